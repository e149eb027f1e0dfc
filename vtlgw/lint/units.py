"""What a rule checks: one template in its context, or one loaded definition.

A :class:`TemplateUnit` is parsed once and every rule reads the same tree; it
is compiled (``Template.cached``) only when a rule asks for the template. Its ``location()`` turns template offsets into
the coordinates of the file the user has open: the ``.vtl`` file itself, the
definition file's lines for a YAML ``|`` block scalar, or else the template's
key in the definition (the template-relative ``line:col`` and JSON pointer are
then added to the message).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable

from vtlgw.vtl.diagnostics import Diagnostic, Edit, Fix, Location
from vtlgw.vtl.errors import TemplateSyntaxError, locate

if TYPE_CHECKING:
    from vtlgw.apigw.definition.model import (
        ApiDefinition,
        Integration,
        IntegrationResponse,
        MappingTemplate,
        Method,
        Source,
    )
    from vtlgw.vtl.template import Template

__all__ = ["TemplateUnit", "DefinitionUnit", "display_path", "is_json_media_type", "looks_like_form_body"]

# ``Action=SendMessage&MessageBody=...``: name=value pairs joined by '&'.
_FORM_START = re.compile(r"[A-Za-z][A-Za-z0-9_.\-\[\]]*=")
_JSON_MEDIA = re.compile(r"^application/(json|x-amz-json-1\.[01]|[\w.\-]+\+json)$|^[\w.\-]+/[\w.\-]+\+json$")


def is_json_media_type(media_type: str | None) -> bool:
    """``application/json``, ``application/x-amz-json-1.0``/``1.1``, ``*/*+json`` (parameters ignored)."""
    if not media_type:
        return False
    return bool(_JSON_MEDIA.match(media_type.split(";", 1)[0].strip().lower()))


def looks_like_form_body(text: str) -> bool:
    """Whether the template renders an ``a=b&c=d`` form body: its first content line starts ``name=``."""
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        return bool(_FORM_START.match(stripped)) and "&" in text
    return False


def display_path(path: str | os.PathLike[str]) -> str:
    """``path`` relative to the working directory when it lies under it, with ``/`` separators."""
    text = os.fspath(path)
    if text == "-":
        return "<stdin>"
    if text.startswith("<"):
        return text
    try:
        rel = os.path.relpath(text)
    except ValueError:  # another drive on Windows
        return text.replace(os.sep, "/")
    if rel.startswith(".."):
        rel = os.path.abspath(text)
    return rel.replace(os.sep, "/")


def file_line(path: str, line: int | None) -> str | None:
    """The text of 1-based ``line`` of ``path``, or None when unknown."""
    from vtlgw.apigw.definition.placement import file_line as read_line

    return read_line(path, line)


@dataclass
class TemplateUnit:
    """One template with what a rule needs to judge it (see the fields)."""

    text: str
    name: str
    kind: str = "request"
    media_type: str = "application/json"
    tree: list | None = None
    syntax_error: TemplateSyntaxError | None = None
    _template: "Template | None" = field(default=None, repr=False)
    integration: "Integration | None" = None
    response: "IntegrationResponse | None" = None
    method: "Method | None" = None
    definition: "ApiDefinition | None" = None
    samples: list[dict] = field(default_factory=list)
    mapping: "MappingTemplate | None" = None  # the definition entry the template came from
    file: str = ""  # display path of the file that holds the template
    _template_lines: dict[int, tuple[Diagnostic, int]] = field(default_factory=dict, repr=False, compare=False)
    _compile_failed: bool = field(default=False, repr=False, compare=False)
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)  # what rules derived once

    @classmethod
    def build(cls, text: str, name: str, **context: Any) -> "TemplateUnit":
        """Parse ``text`` once, keeping the syntax error instead of raising it.

        The template is compiled only when a rule asks for ``template`` (to
        render it): most rules read the tree, and compiling costs more than
        parsing.
        """
        unit = cls(text=text, name=name, **context)
        if not unit.file:
            unit.file = name
        try:
            unit.tree = _parse(text, name)
        except TemplateSyntaxError as exc:
            unit.syntax_error = exc
        return unit

    @property
    def template(self) -> "Template | None":
        """The compiled template (``Template.cached``), None when it does not parse."""
        if self._template is None and self.tree is not None and not self._compile_failed:
            from vtlgw.vtl.template import Template

            try:
                self._template = Template.cached(self.text, self.name)
            except TemplateSyntaxError as exc:  # pragma: no cover - the tree parsed, so the template does too
                self._compile_failed = True
                self.syntax_error = self.syntax_error or exc
        return self._template

    @template.setter
    def template(self, value: "Template | None") -> None:
        self._template = value

    # ------------------------------------------------------------ locations

    @property
    def source(self) -> "Source | None":
        return self.mapping.source if self.mapping is not None else None

    @property
    def in_block_scalar(self) -> bool:
        """Whether template lines map one to one onto the definition file's lines (YAML ``|``)."""
        from vtlgw.apigw.definition.placement import in_block_scalar

        return in_block_scalar(self.source)

    def _placed(self, start: int, end: int | None = None) -> Any:
        """The template text ``[start, end)`` placed in the file (see :mod:`vtlgw.apigw.definition.placement`)."""
        from vtlgw.apigw.definition.placement import place

        line, column, text = locate(self.text, start)
        end_line = end_column = None
        if end is not None and end > start:
            end_line, end_column, _ = locate(self.text, end)
        where = Location(self.file, line, column, end_line, end_column, source_line=text)
        return place(self.source, where, self.file)

    def location(self, start: int, end: int | None = None) -> Location:
        """File coordinates of the template text ``[start, end)``."""
        return self._placed(start, end).location

    def in_file(self, message: str) -> str:
        """A message whose template positions ("opened at 2:4") are moved into the file's lines."""
        from vtlgw.apigw.definition.placement import cited_positions

        return cited_positions(message, self.source)

    def offset_of(self, line: int, column: int) -> int:
        """The template offset of a 1-based template ``line:col`` (as a syntax error reports it)."""
        start = 0
        for _ in range(max(line, 1) - 1):
            found = self.text.find("\n", start)
            if found == -1:
                return len(self.text)
            start = found + 1
        return min(start + max(column, 1) - 1, len(self.text))

    def template_line(self, diagnostic: Diagnostic) -> int | None:
        """The template-relative line a diagnostic points at (for inline suppression)."""
        entry = self._template_lines.get(id(diagnostic))
        if entry is not None and entry[0] is diagnostic:
            return entry[1]
        line = diagnostic.location.line
        if line is None or diagnostic.location.file != self.file:
            return None
        if self.source is None:
            return line
        if self.in_block_scalar:
            return line - (self.source.content_line or 1) + 1
        return None

    def edit(self, start: int, end: int, text: str) -> Edit | None:
        """An :class:`Edit` of the file replacing template text ``[start, end)``, or None where none is safe.

        Only a ``.vtl`` file or a YAML ``|`` block scalar maps template
        characters one to one onto the file's; a template written as a quoted
        string (JSON, YAML quotes, ``Fn::Sub``) is left for a hand edit.
        """
        if "\n" in text or "\n" in self.text[start:end]:
            return None
        source = self.source
        if source is not None and not self.in_block_scalar:
            return None
        if source is not None and (source.file is None or "\t" in self.text[:end]):
            return None
        path = self.file if source is None else source.file
        if not path or path.startswith("<"):
            return None
        first = self.location(start)
        last = self.location(end)
        if first.line is None or first.column is None or last.line is None or last.column is None:
            return None
        return Edit(path, first.line, first.column, last.line, last.column, text, self.text[start:end])

    def diagnostic(self, rule: type, start: int, end: int | None = None, message: str | None = None,
                   notes: Iterable[str] = (), fix: Fix | None = None) -> Diagnostic:
        """A finding of ``rule`` at template offsets ``[start, end)``, with the rule's code and severity."""
        doc = rule.doc
        placed = self._placed(start, end)
        made = Diagnostic(doc.severity, doc.code, (message or doc.message) + placed.suffix, placed.location,
                          tuple(notes), fix)
        self._template_lines[id(made)] = (made, locate(self.text, start)[0])
        return made

    # ------------------------------------------------------------ what the output is meant to be

    @property
    def renders_form_body(self) -> bool:
        """The text renders ``name=value&...`` (an AWS-service form body such as SQS ``SendMessage``)."""
        return looks_like_form_body(self.text)

    @property
    def integration_content_type(self) -> str | None:
        """The Content-Type the integration request is sent with: a mapped static header, else the key (U37)."""
        if self.integration is None or self.kind != "request":
            return None
        for target, value in self.integration.request_parameters.items():
            if target.lower() == "integration.request.header.content-type":
                value = value.strip()
                if len(value) >= 2 and value[0] == value[-1] == "'":
                    return value[1:-1].strip().lower()
                return None  # mapped from the request: not known statically
        return self.media_type

    @property
    def json_output(self) -> bool:
        """Whether the rendered output is meant to be JSON (the rendered-JSON rules apply)."""
        integration = self.integration
        if self.kind == "request" and integration is not None:
            if integration.is_lambda or integration.is_mock:
                return True
            content_type = self.integration_content_type
            if content_type is None:
                return False
            return is_json_media_type(content_type) and not (integration.type == "AWS" and self.renders_form_body)
        if self.kind in ("response", "gateway"):
            return is_json_media_type(self.media_type)
        return is_json_media_type(self.media_type) and not self.renders_form_body


def _parse(text: str, name: str) -> list:
    """The tree as ``Template`` would parse it (same size limit and nesting limit), without compiling."""
    import gc

    from vtlgw.vtl.limits import template_too_large_message
    from vtlgw.vtl.parser import parse
    from vtlgw.vtl.runtime import DEFAULT_LIMITS

    size = len(text.encode("utf-8", "surrogatepass"))
    if size > DEFAULT_LIMITS.max_template_bytes:
        raise TemplateSyntaxError(template_too_large_message(size, DEFAULT_LIMITS.max_template_bytes),
                                  name=name, line=1, column=1, source_line=text.split("\n", 1)[0][:200])
    gc_was_enabled = gc.isenabled()
    gc.disable()  # parsing allocates many small acyclic objects
    try:
        return parse(text, name, max_depth=DEFAULT_LIMITS.max_parse_depth)
    except (RecursionError, MemoryError) as exc:
        raise TemplateSyntaxError(f"template too deeply nested to compile ({type(exc).__name__})",
                                  name=name, line=1, column=1, source_line=None) from None
    finally:
        if gc_was_enabled:
            gc.enable()


@dataclass
class DefinitionUnit:
    """A loaded API definition, for the definition (VTL3xx/VTL5xx) rules."""

    definition: "ApiDefinition"
    file: str

    def display(self, path: str | None) -> str:
        return display_path(path) if path else self.file

    def file_line(self, line: int | None) -> str | None:
        return file_line(self.definition.source_file, line)

    def location(self, source: "Source | None") -> Location:
        """The place of a model object (its value's line:col) with its JSON pointer."""
        if source is None:
            return Location(self.file)
        pos = source.position
        end_line = end_column = None
        if pos is not None and pos.end_line == pos.line and pos.end_column:  # a one-line value: underline it
            end_line, end_column = pos.end_line, pos.end_column
        return Location(self.display(source.file), source.line, source.column, end_line, end_column,
                        pointer=source.pointer, source_line=file_line(source.file, source.line))

    def diagnostic(self, rule: type, source: "Source | None", message: str | None = None,
                   notes: Iterable[str] = (), fix: Fix | None = None) -> Diagnostic:
        doc = rule.doc
        return Diagnostic(doc.severity, doc.code, message or doc.message, self.location(source), tuple(notes), fix)

    def edit(self, source: "Source | None", text: str, expect: str) -> Edit | None:
        """An :class:`Edit` replacing a one-line value (its whole span, quotes included) with ``text``."""
        if source is None or not source.file:
            return None
        pos = source.position
        if pos is None or pos.end_line != pos.line or not pos.end_column or not pos.column:
            return None
        return Edit(source.file, pos.line, pos.column, pos.end_line, pos.end_column, text, expect)
