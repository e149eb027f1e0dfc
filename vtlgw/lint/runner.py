"""Run the rules over templates and definitions, then apply the configuration.

Rules report everything they see; what the user selected, ignored, suppressed
inline or re-graded is applied here, once, so that no rule has to know about
configuration.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

from vtlgw.lint.config import LintConfig
from vtlgw.lint.errors import LintInputError
from vtlgw.lint.registry import definition_rules, template_rules
from vtlgw.lint.suppress import Suppressions, parse_suppressions
from vtlgw.lint.units import DefinitionUnit, TemplateUnit, display_path
from vtlgw.vtl.diagnostics import Diagnostic, Location, Severity
from vtlgw.vtl.errors import VtlError

if TYPE_CHECKING:
    from vtlgw.apigw.definition.model import ApiDefinition, MappingTemplate
    from vtlgw.lint.files import Item

__all__ = ["Finding", "LintResult", "Runner", "load_samples"]

# How the loaders say "this file holds no REST API" (skipped in a directory walk, an error when named).
_NOT_AN_API = ("not a recognised API definition", "no REST API found")


@dataclass(frozen=True)
class Finding:
    """A diagnostic with the template it was found in (None for definition-level findings)."""

    diagnostic: Diagnostic
    kind: str | None = None
    media_type: str | None = None


@dataclass
class LintResult:
    """Findings in path order, the files looked at, and the inputs that could not be linted (exit 2)."""

    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    errors: list[VtlError] = field(default_factory=list)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return [f.diagnostic for f in self.findings]

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.diagnostic.severity == severity)

    def fails(self, level: Severity | None) -> bool:
        """Whether some finding is at or above ``level`` (None: never)."""
        return level is not None and any(f.diagnostic.severity >= level for f in self.findings)


class Runner:
    """Rule instances made once per run, applied to every unit."""

    def __init__(self, config: LintConfig | None = None, samples: Iterable[dict] = (), *,
                 skip_unrecognised: bool = False) -> None:
        self.config = config or LintConfig()
        self.samples = list(samples)
        # pre-commit passes every YAML/JSON file: skip those that are not API definitions, as a directory walk does
        self.skip_unrecognised = skip_unrecognised
        self.template_rules = [cls() for cls in template_rules() if self.config.enabled(cls.doc.code)]
        self.definition_rules = [cls() for cls in definition_rules() if self.config.enabled(cls.doc.code)]

    # ------------------------------------------------------------ paths

    def run(self, paths: Iterable[str | Path], *, jobs: int | None = None) -> LintResult:
        """Lint every path; with many files, on several processes (``jobs``; default: the CPU count)."""
        from vtlgw.lint.files import discover

        items = list(discover(paths))
        workers = _workers(jobs, len(items))
        if workers > 1:
            return self._run_parallel(items, workers)
        result = LintResult()
        for item in items:
            self._lint_item(item, result)
        return result

    def _lint_item(self, item: "Item", result: LintResult) -> None:
        if item.error is not None:
            result.errors.append(item.error)
            return
        try:
            if item.is_template:
                findings: list[Finding] | None = self.lint_template_file(item.path)
            else:
                findings = self.lint_definition_file(item.path, explicit=item.explicit and not self.skip_unrecognised)
        except VtlError as exc:
            result.files.append(display_path(item.path))
            result.errors.append(exc)
            return
        except Exception as exc:  # a bug in vtlgw: still a located message, never a traceback
            result.files.append(display_path(item.path))
            result.errors.append(LintInputError(
                f"internal error in vtlgw ({type(exc).__name__}: {exc}); please report it",
                file=display_path(item.path)))
            return
        if findings is not None:
            result.files.append(display_path(item.path))
            result.findings.extend(findings)

    def _run_parallel(self, items: list["Item"], workers: int) -> LintResult:
        """Contiguous chunks on forked workers (they inherit this runner); results merged in input order."""
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        global _FORKED
        size = -(-len(items) // (workers * 4))
        chunks = [items[i:i + size] for i in range(0, len(items), size)]
        _FORKED = self
        try:
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                parts = list(pool.map(_lint_chunk, chunks))
        finally:
            _FORKED = None
        result = LintResult()
        for part in parts:
            result.findings.extend(part.findings)
            result.files.extend(part.files)
            result.errors.extend(part.errors)
        return result

    def lint_template_file(self, path: str | Path) -> list[Finding]:
        text = _read_template(path)
        shown = display_path(path)
        kind, media_type = self.config.classify(str(path))
        unit = TemplateUnit.build(text, shown, kind=kind, media_type=media_type, samples=self.samples, file=shown)
        return self.lint_unit(unit)

    def lint_definition_file(self, path: str | Path, *, explicit: bool = True) -> list[Finding] | None:
        """Every REST API of a definition file (or ``cdk.out``); None when skipped as not a definition.

        Only a file named explicitly must be a definition; in a directory walk a
        YAML/JSON file that is not one (or a template with no REST API) is skipped.
        """
        from vtlgw.apigw.definition import DefinitionError, list_api_ids, load_definition
        from vtlgw.lint.files import looks_like_definition

        if not explicit and not looks_like_definition(str(path)):
            return None
        try:
            ids: list[str | None] = list(list_api_ids(path)) or [None]
            definitions = [load_definition(path, api=api, strict=False, evaluate=False) for api in ids]
        except DefinitionError as exc:
            if not explicit and exc.message.startswith(_NOT_AN_API):
                return None
            raise
        findings: list[Finding] = []
        for definition in definitions:
            findings.extend(self.lint_definition(definition, display_path(path)))
        return findings

    # ------------------------------------------------------------ units

    def lint_definition(self, definition: "ApiDefinition", file: str) -> list[Finding]:
        """The definition rules, then every embedded template in its context."""
        unit = DefinitionUnit(definition, file)
        findings: list[Finding] = []
        for rule in self.definition_rules:
            for d in self._checked(rule, unit):
                kept = self._judge(d, file, None, None)
                if kept is not None:
                    findings.append(Finding(kept))
        for template_unit in self.embedded_units(definition, file):
            findings.extend(self.lint_unit(template_unit))
        return findings

    def embedded_units(self, definition: "ApiDefinition", file: str) -> Iterator[TemplateUnit]:
        """A unit per integration request, integration response and gateway response template."""
        common = {"definition": definition, "samples": self.samples}

        def unit(mapping: "MappingTemplate", kind: str, **context: object) -> TemplateUnit:
            source = mapping.source
            shown = display_path(source.file) if source is not None and source.file else file
            name = f"{shown}{'#' + source.pointer if source is not None and source.pointer else ''}"
            return TemplateUnit.build(mapping.template or "", name, kind=kind,
                                      media_type=mapping.content_type.lower(), mapping=mapping, file=shown,
                                      **common, **context)

        for method in definition.methods.values():
            integration = method.integration
            if integration is None:
                continue
            for mapping in integration.request_templates:
                if mapping.template is not None:
                    yield unit(mapping, "request", integration=integration, method=method)
            for response in integration.integration_responses:
                for mapping in response.response_templates:
                    if mapping.template is not None:
                        yield unit(mapping, "response", integration=integration, method=method, response=response)
        for gateway in definition.gateway_responses.values():
            for mapping in gateway.response_templates:
                if mapping.template is not None:
                    yield unit(mapping, "gateway")

    def lint_unit(self, unit: TemplateUnit) -> list[Finding]:
        """Every selected template rule over one unit, with suppression and configuration applied."""
        suppressions = parse_suppressions(unit.text)
        findings: list[Finding] = []
        for offset, code in suppressions.markers:
            if code not in _known_codes():
                findings.append(Finding(Diagnostic(
                    Severity.WARNING, None, f"unknown rule id {code!r} in a vtlgw: ignore comment (it silences nothing)",
                    unit.location(offset, offset + len(code))), unit.kind, unit.media_type))
        for rule in self.template_rules:
            for d in self._checked(rule, unit):
                kept = self._judge(d, unit.file, unit, suppressions)
                if kept is not None:
                    findings.append(Finding(kept, unit.kind, unit.media_type))
        return findings

    def _checked(self, rule: object, unit: object) -> Iterator[Diagnostic]:
        """The rule's findings; a crashing rule is reported as an internal error, never a traceback."""
        code = rule.doc.code  # type: ignore[attr-defined]
        try:
            yield from rule.check(unit)  # type: ignore[attr-defined]
        except VtlError as exc:
            yield Diagnostic(Severity.ERROR, code, f"could not check: {exc}", _unit_location(unit))
        except Exception as exc:  # a bug in a rule must not hide the other findings
            yield Diagnostic(Severity.ERROR, code,
                             f"internal error in rule {code} ({type(exc).__name__}: {exc}); please report it",
                             _unit_location(unit))

    def _judge(self, d: Diagnostic, file: str, unit: TemplateUnit | None,
               suppressions: Suppressions | None) -> Diagnostic | None:
        code = d.code
        if code is not None:
            if not self.config.enabled(code) or self.config.ignored_for(code, d.location.file or file):
                return None
            if suppressions and unit is not None and suppressions.covers(code, unit.template_line(d)):
                return None
            severity = self.config.severity_of(code, d.severity)
            if severity != d.severity:
                d = replace(d, severity=severity)
        return d


def _known_codes() -> set[str]:
    from vtlgw.lint.registry import all_rules

    return {rule.doc.code for rule in all_rules()}


#: Below this many files, forking costs more than it saves.
PARALLEL_THRESHOLD = 200
_FORKED: "Runner | None" = None


def _workers(jobs: int | None, count: int) -> int:
    import os

    if jobs is None:
        import threading

        # forking a process that runs other threads can deadlock: only a single-threaded caller goes parallel
        if (count < PARALLEL_THRESHOLD or sys.platform == "win32" or "fork" not in _start_methods()
                or threading.active_count() > 1):
            return 1
        jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(jobs, count))


def _start_methods() -> list[str]:
    import multiprocessing

    return multiprocessing.get_all_start_methods()


def _lint_chunk(items: list["Item"]) -> LintResult:
    """In a worker: lint some items with the runner inherited from the parent; errors as plain, picklable text."""
    assert _FORKED is not None
    result = LintResult()
    for item in items:
        _FORKED._lint_item(item, result)
    result.errors = [ReportedError(str(e)) for e in result.errors]
    return result


class ReportedError(VtlError):
    """An input error already formatted (``file:line:col: error: ...``), as it crosses from a worker process."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text

    def __str__(self) -> str:
        return self.text


def _unit_location(unit: object) -> Location:
    if isinstance(unit, TemplateUnit):
        return unit.location(0)
    if isinstance(unit, DefinitionUnit):
        return unit.location(unit.definition.source)
    return Location("<unknown>")


def _read_template(path: str | Path) -> str:
    from vtlgw.apigw import files, limits

    # Far enough past API Gateway's 300 KB limit to report an oversized template (VTL401), and no
    # further: /dev/zero or an endless stdin is refused, never read without bound.
    kind = files.InputKind("template", limits.MAX_DEFINITION_FILE_BYTES,
                           "the linter reads this much to report a template over API Gateway's 300 KB limit")
    shown = display_path(path)
    try:
        if str(path) == "-":
            data = files.read_capped(sys.stdin.buffer, kind, shown)
        else:
            with open(Path(path), "rb") as fh:
                data = files.read_capped(fh, kind, shown)
    except files.InputTooLargeError as exc:
        raise LintInputError(exc.message, file=shown) from None
    except FileNotFoundError:
        raise LintInputError("no such file", file=shown) from None
    except IsADirectoryError:
        raise LintInputError("is a directory", file=shown) from None
    except OSError as exc:
        raise LintInputError(f"cannot read: {exc.strerror}", file=shown) from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise LintInputError(f"not UTF-8 text (byte 0x{data[exc.start]:02x})", file=shown, line=line,
                             column=column) from None


def load_samples(paths: Iterable[str | Path]) -> list[dict]:
    """Method request files as dicts, each checked as ``vtlgw render --request`` checks it."""
    from vtlgw.apigw import files
    from vtlgw.apigw.request import load_request

    samples = []
    for path in paths:
        shown = display_path(path)
        try:
            with open(Path(path), "rb") as fh:
                data = files.read_capped(fh, files.REQUEST, shown)
        except files.InputTooLargeError as exc:
            raise LintInputError(exc.message, file=shown) from None
        except OSError as exc:
            raise LintInputError(f"cannot read the request sample: {exc.strerror}", file=shown) from None
        load_request(data, shown)  # raises RequestFileError with line:col for a bad file
        obj = json.loads(data.decode("utf-8-sig"))
        if not isinstance(obj, dict):
            raise LintInputError("a request sample is a JSON object", file=shown)
        samples.append(obj)
    return samples
