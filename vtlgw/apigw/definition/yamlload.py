"""Read YAML and JSON definition files into plain values plus a position map.

Why not ``yaml.safe_load``: CloudFormation short-form tags (``!Ref``, ``!Sub``
...) must survive as their symbolic long forms, every value must be traceable
to a ``line:col`` through its JSON pointer (errors and lint cite it), and
scalars must be typed as the service that reads the file types them.

Scalar typing (documented choice):

* **CloudFormation / SAM / CDK** files are typed as YAML 1.1, as CloudFormation
  does: ``yes/no/on/off`` (all three casings) are booleans, ``010`` is octal,
  ``1:30`` is sexagesimal. A string property given a boolean becomes
  ``"true"``/``"false"``, as CloudFormation converts it. ``y``/``n`` stay
  strings (as in PyYAML and SnakeYAML).
* **OpenAPI** files are typed with the YAML 1.2 core schema: only
  ``true``/``false`` are booleans, so ``on``/``off``/``yes``/``no`` stay
  strings.
* In both, timestamps are never recognised (CloudFormation does not support
  the timestamp type): ``AWSTemplateFormatVersion: 2010-09-09`` is the string
  ``"2010-09-09"``.
* Mapping keys are always the key's source text (``200:`` is the key
  ``"200"``, ``on:`` is ``"on"``).

Duplicate mapping keys are reported (the definition would mean two things);
YAML merge keys (``<<``) and aliases are honoured.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Protocol

import yaml

from vtlgw.apigw import limits
from vtlgw.apigw.files import DEFINITION as DEFINITION_FILE
from vtlgw.apigw.files import read_capped
from vtlgw.apigw.jsonpos import JsonPositions, nesting_offset

from .errors import DefinitionError, DefinitionTooLargeError

# ---------------------------------------------------------------------------
# Positions


@dataclass(frozen=True)
class Position:
    """Where a value sits in its file (1-based lines and columns).

    ``key_line``/``key_column`` give the mapping key of the value, when it has
    one. ``style`` is the YAML scalar style (``None`` plain, ``'``, ``"``,
    ``|``, ``>``), ``"`` for JSON strings and ``None`` for other values. For a
    YAML block scalar, ``content_line``/``content_column`` give the first line
    of the text and the column its lines start at, so that template line *n*
    is file line ``content_line + n - 1`` (exact for ``|``; ``>`` folds lines).
    """

    line: int
    column: int
    end_line: int | None = None
    end_column: int | None = None
    key_line: int | None = None
    key_column: int | None = None
    style: str | None = None
    content_line: int | None = None
    content_column: int | None = None


class PositionMap(Protocol):
    def lookup(self, pointer: str) -> Position | None: ...


class _DictPositions:
    """Positions computed while building the value (YAML)."""

    def __init__(self, table: dict[str, Position]) -> None:
        self._table = table

    def lookup(self, pointer: str) -> Position | None:
        return self._table.get(pointer)


class _JsonPositionMap:
    """Positions of a JSON file, from the shared lazy index (built on the first lookup)."""

    def __init__(self, text: str) -> None:
        self.index = JsonPositions(text)

    def position_of(self, span: tuple) -> Position:
        index = self.index
        start, end, key_at = span
        line, column = index.line_col(start)
        end_line, end_column = index.line_col(end)
        key_line = key_column = None
        if key_at >= 0:
            key_line, key_column = index.line_col(key_at)
        return Position(line, column, end_line, end_column, key_line, key_column,
                        '"' if index.text.startswith('"', start) else None)

    def lookup(self, pointer: str) -> Position | None:
        span = self.index.span(pointer)
        return self.position_of(span) if span is not None else None


def escape_pointer_token(token: str) -> str:
    """Escape one JSON pointer reference token (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def join_pointer(pointer: str, *tokens: str | int) -> str:
    """``join_pointer("/paths", "/pets")`` -> ``/paths/~1pets``."""
    for token in tokens:
        pointer += "/" + escape_pointer_token(str(token))
    return pointer


@dataclass
class Document:
    """One parsed definition file: its value, text and positions."""

    path: Path
    name: str
    data: Any
    syntax: str  # "yaml" or "json"
    text: str = field(repr=False)
    positions: PositionMap = field(repr=False)
    duplicates: list[DefinitionError] = field(default_factory=list, repr=False)

    def position(self, pointer: str) -> Position | None:
        return self.positions.lookup(pointer)

    def error(self, pointer: str, message: str, cls: type[DefinitionError] = DefinitionError) -> DefinitionError:
        """An error at ``pointer`` in this file, with its line:col when known."""
        pos = self.position(pointer)
        return cls(
            message,
            file=self.name,
            pointer=pointer,
            line=pos.line if pos else None,
            column=pos.column if pos else None,
        )


# ---------------------------------------------------------------------------
# Entry points


def read_text(path: Path | None, name: str | None = None, *, stream: BinaryIO | None = None) -> str:
    """Read a definition file (or ``stream``, such as stdin) as UTF-8 (a BOM is dropped), at most
    :data:`~vtlgw.apigw.limits.MAX_DEFINITION_FILE_BYTES`."""
    display = name or str(path)

    def too_large(message: str) -> DefinitionTooLargeError:
        return DefinitionTooLargeError(message, file=display)

    try:
        if stream is not None:
            raw = read_capped(stream, DEFINITION_FILE, display, too_large)
        else:
            with open(path, "rb") as fh:  # type: ignore[arg-type]
                raw = read_capped(fh, DEFINITION_FILE, display, too_large)
    except OSError as exc:
        raise DefinitionError(f"cannot read file: {exc.strerror or exc}", file=display) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DefinitionError(f"file is not UTF-8 text: {exc.reason} at byte {exc.start}", file=display) from None


def load_document(path: str | Path, *, name: str | None = None, yaml11: bool | None = None) -> Document:
    """Read and parse ``path``; the syntax follows the suffix, else the first character."""
    path = Path(path)
    name = name or str(path)
    text = read_text(path, name)
    return parse_document(text, path=path, name=name, yaml11=yaml11)


def load_stream(stream: BinaryIO, *, name: str = "<stdin>", yaml11: bool | None = None) -> Document:
    """Read and parse a definition from ``stream``; JSON or YAML by its first character.

    Relative paths inside it (a SAM ``CodeUri``) are taken from the current directory.
    """
    text = read_text(None, name, stream=stream)
    return parse_document(text, path=Path.cwd() / "<stdin>", name=name, yaml11=yaml11)


def parse_document(
    text: str,
    *,
    path: Path | None = None,
    name: str = "<definition>",
    syntax: str | None = None,
    yaml11: bool | None = None,
) -> Document:
    """Parse definition text as JSON or YAML.

    ``yaml11`` forces YAML 1.1 (CloudFormation) or core-schema (OpenAPI)
    scalar typing; by default a document whose top level has
    ``AWSTemplateFormatVersion``, ``Resources`` or ``Transform`` is typed as
    YAML 1.1 and anything else with the core schema.
    """
    path = path or Path(name)
    if syntax is None:
        suffix = path.suffix.lower()
        if suffix == ".json":
            syntax = "json"
        elif suffix in (".yaml", ".yml"):
            syntax = "yaml"
        else:
            syntax = "json" if text.lstrip()[:1] in ("{", "[") else "yaml"
    if syntax == "json":
        return _parse_json(text, path, name)
    return _parse_yaml(text, path, name, yaml11)


# ---------------------------------------------------------------------------
# JSON


class _DuplicateKey(Exception):
    pass


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _parse_json(text: str, path: Path, name: str) -> Document:
    duplicates: list[DefinitionError] = []
    positions = _JsonPositionMap(text)
    try:
        data = json.loads(text, object_pairs_hook=_reject_duplicates)
    except json.JSONDecodeError as exc:
        raise DefinitionError(f"invalid JSON: {exc.msg}", file=name, line=exc.lineno, column=exc.colno) from None
    except RecursionError:
        raise _json_too_deep(positions, name) from None
    except _DuplicateKey:
        data = json.loads(text)  # last value wins, as most parsers do
        index = positions.index
        for pointer, span, first in index.duplicates:
            line, column = index.line_col(span[2])
            duplicates.append(
                DefinitionError(
                    f"duplicate key (first defined at line {index.line_col(first[2])[0]})",
                    file=name,
                    pointer=pointer,
                    line=line,
                    column=column,
                )
            )
    _check_json_bounds(data, positions, name)
    return Document(path, name, data, "json", text, positions, duplicates)


def _json_too_deep(positions: _JsonPositionMap, name: str) -> DefinitionError:
    offset = nesting_offset(positions.index.text, limits.MAX_DEFINITION_DEPTH)
    line, column = positions.index.line_col(offset) if offset is not None else (None, None)
    return DefinitionTooLargeError(
        f"nested too deeply: more than {limits.MAX_DEFINITION_DEPTH} levels of lists and maps "
        "(vtlgw's limit for definitions)", file=name, line=line, column=column)


def _check_json_bounds(data: Any, positions: _JsonPositionMap, name: str) -> None:
    """Refuse parsed JSON nested deeper than, or holding more values than, the definition caps."""
    values = 1
    todo: list[tuple[Any, int]] = [(data, 1)] if isinstance(data, (dict, list)) else []
    while todo:
        value, depth = todo.pop()
        if depth > limits.MAX_DEFINITION_DEPTH:
            raise _json_too_deep(positions, name)
        children = value.values() if isinstance(value, dict) else value
        values += len(children)
        if values > limits.MAX_DEFINITION_NODES:
            raise DefinitionTooLargeError(
                f"the definition has more than {limits.MAX_DEFINITION_NODES} values (vtlgw's limit); "
                "split it or use a smaller file", file=name)
        todo.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))


# ---------------------------------------------------------------------------
# YAML

_PLAIN_TAG = "tag:vtlgw.local,2024:plain"
_YAML = "tag:yaml.org,2002:"


def _loader_class(base: type) -> type:
    class _Loader(base):  # type: ignore[misc, valid-type]
        """Leaves plain scalars untyped: they are typed later, by the file's schema."""

        def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
            if kind is yaml.ScalarNode and implicit[0]:
                return _PLAIN_TAG
            return super().resolve(kind, value, implicit)

    return _Loader


_LOADER = _loader_class(getattr(yaml, "CSafeLoader", yaml.SafeLoader))
_PY_LOADER = _loader_class(yaml.SafeLoader)

# CloudFormation short forms -> long-form keys.
INTRINSIC_TAGS = {
    "!Ref": "Ref",
    "!Condition": "Condition",
    "!Sub": "Fn::Sub",
    "!GetAtt": "Fn::GetAtt",
    "!Join": "Fn::Join",
    "!Select": "Fn::Select",
    "!Split": "Fn::Split",
    "!If": "Fn::If",
    "!Equals": "Fn::Equals",
    "!Not": "Fn::Not",
    "!And": "Fn::And",
    "!Or": "Fn::Or",
    "!FindInMap": "Fn::FindInMap",
    "!Base64": "Fn::Base64",
    "!Cidr": "Fn::Cidr",
    "!ImportValue": "Fn::ImportValue",
    "!GetAZs": "Fn::GetAZs",
    "!Transform": "Fn::Transform",
    "!Length": "Fn::Length",
    "!ToJsonString": "Fn::ToJsonString",
}

_NULLS = frozenset(["", "~", "null", "Null", "NULL"])
_TRUE_CORE = frozenset(["true", "True", "TRUE"])
_FALSE_CORE = frozenset(["false", "False", "FALSE"])
_TRUE_11 = _TRUE_CORE | {"yes", "Yes", "YES", "on", "On", "ON"}
_FALSE_11 = _FALSE_CORE | {"no", "No", "NO", "off", "Off", "OFF"}

_INT_CORE = re.compile(r"[-+]?[0-9]+\Z")
_HEX_CORE = re.compile(r"0x[0-9a-fA-F]+\Z")
_OCT_CORE = re.compile(r"0o[0-7]+\Z")
_FLOAT_CORE = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")

_INT_11_DEC = re.compile(r"[-+]?(?:0|[1-9][0-9_]*)\Z")
_INT_11_OCT = re.compile(r"[-+]?0[0-7_]+\Z")
_INT_11_HEX = re.compile(r"[-+]?0x[0-9a-fA-F_]+\Z")
_INT_11_BIN = re.compile(r"[-+]?0b[01_]+\Z")
_INT_11_SEX = re.compile(r"[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+\Z")
_FLOAT_11 = re.compile(
    r"[-+]?(?:[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+]?[0-9]+)?)\Z"
)
_FLOAT_11_SEX = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*\Z")
_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)\Z")


def _sign(text: str) -> tuple[int, str]:
    if text[:1] in "+-":
        return (-1 if text[0] == "-" else 1), text[1:]
    return 1, text


def _sexagesimal(text: str) -> float:
    sign, text = _sign(text)
    total = 0.0
    for part in text.split(":"):
        total = total * 60 + float(part)
    return sign * total


def resolve_plain(text: str, yaml11: bool) -> Any:
    """Type a plain (unquoted, untagged) YAML scalar under the chosen schema."""
    if text in _NULLS:
        return None
    if text in (_TRUE_11 if yaml11 else _TRUE_CORE):
        return True
    if text in (_FALSE_11 if yaml11 else _FALSE_CORE):
        return False
    if _INF.match(text):
        return float("-inf") if text.startswith("-") else float("inf")
    if _NAN.match(text):
        return float("nan")
    if not yaml11:
        if _INT_CORE.match(text):
            return int(text, 10)
        if _HEX_CORE.match(text):
            return int(text[2:], 16)
        if _OCT_CORE.match(text):
            return int(text[2:], 8)
        if _FLOAT_CORE.match(text):
            return float(text)
        return text
    if _INT_11_DEC.match(text):
        return int(text.replace("_", ""), 10)
    if _INT_11_BIN.match(text):
        sign, digits = _sign(text.replace("_", ""))
        return sign * int(digits[2:], 2)
    if _INT_11_HEX.match(text):
        sign, digits = _sign(text.replace("_", ""))
        return sign * int(digits[2:], 16)
    if _INT_11_OCT.match(text):
        sign, digits = _sign(text.replace("_", ""))
        return sign * int(digits, 8)
    if _INT_11_SEX.match(text):
        return int(_sexagesimal(text.replace("_", "")))
    if _FLOAT_11.match(text):
        return float(text.replace("_", ""))
    if _FLOAT_11_SEX.match(text):
        return _sexagesimal(text.replace("_", ""))
    return text


def _check_yaml_bounds(text: str, name: str) -> None:
    """Refuse YAML that would expand past the caps, before anything is built from it.

    Walks the event stream (libyaml's parser keeps its own stack, so a file
    nested 100,000 deep costs no recursion here, while composing it would
    overflow the C stack), counting every value as the builder will see it:
    an alias ``*a`` adds as many values, and as much depth, as the node it
    names. The first event past :data:`~vtlgw.apigw.limits.MAX_DEFINITION_DEPTH`,
    :data:`~vtlgw.apigw.limits.MAX_YAML_ALIAS_NODES` or
    :data:`~vtlgw.apigw.limits.MAX_DEFINITION_NODES` is the error's location,
    so a "billion laughs" file is refused at its first alias that expands too far.
    """
    total = 0  # values so far, aliases expanded
    expanded = 0  # values added by aliases
    anchors: dict[str, tuple[int, int]] = {}  # anchor -> (values, height) of the node it names
    stack: list[list[Any]] = []  # open collections: [anchor, total before it, its depth, deepest inside]

    def fail(event: Any, message: str) -> None:
        mark = event.start_mark
        raise DefinitionTooLargeError(message, file=name, line=mark.line + 1, column=mark.column + 1)

    for event in yaml.parse(text, Loader=_LOADER):
        kind = type(event)
        if kind is yaml.ScalarEvent or kind is yaml.SequenceStartEvent or kind is yaml.MappingStartEvent:
            total += 1
            depth = len(stack) + 1
            if kind is yaml.ScalarEvent:
                if event.anchor is not None:
                    anchors[event.anchor] = (1, 1)
            else:
                stack.append([event.anchor, total - 1, depth, depth])
        elif kind is yaml.SequenceEndEvent or kind is yaml.MappingEndEvent:
            anchor, before, own, deepest = stack.pop()
            if anchor is not None:
                anchors[anchor] = (total - before, deepest - own + 1)
            if stack and deepest > stack[-1][3]:
                stack[-1][3] = deepest
            continue
        elif kind is yaml.AliasEvent:
            named = anchors.get(event.anchor)
            if named is None:  # undefined, or inside its own anchor: compose or the builder says which
                continue
            values, height = named
            total += values
            expanded += values
            depth = len(stack) + height
            if expanded > limits.MAX_YAML_ALIAS_NODES:
                fail(event, f"YAML aliases expand to more than {limits.MAX_YAML_ALIAS_NODES} values here "
                            f"(*{event.anchor} alone is {values}); vtlgw refuses alias bombs: write the values "
                            "out, or use fewer aliases")
        else:
            continue
        if depth > limits.MAX_DEFINITION_DEPTH:
            fail(event, f"nested too deeply: more than {limits.MAX_DEFINITION_DEPTH} levels of lists and maps "
                        "(vtlgw's limit for definitions)")
        if total > limits.MAX_DEFINITION_NODES:
            fail(event, f"the definition has more than {limits.MAX_DEFINITION_NODES} values (vtlgw's limit, "
                        "aliases expanded); split it or use a smaller file")
        if stack and depth > stack[-1][3]:
            stack[-1][3] = depth


def _parse_yaml(text: str, path: Path, name: str, yaml11: bool | None) -> Document:
    try:
        _check_yaml_bounds(text, name)
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "syntax error"
        raise DefinitionError(
            f"invalid YAML: {problem}",
            file=name,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as exc:
        raise DefinitionError(f"invalid YAML: {exc}", file=name) from None
    if root is None:
        raise DefinitionError("the file is empty", file=name)
    if yaml11 is None:
        yaml11 = _looks_like_cloudformation(root)
    builder = _YamlBuilder(text, name, yaml11)
    data = builder.build(root, "", None, 0)
    return Document(path, name, data, "yaml", text, _DictPositions(builder.table), builder.duplicates)


def _looks_like_cloudformation(root: yaml.Node) -> bool:
    if not isinstance(root, yaml.MappingNode):
        return False
    keys = {k.value for k, _ in root.value if isinstance(k, yaml.ScalarNode)}
    return bool(keys & {"AWSTemplateFormatVersion", "Resources", "Transform"})


class _YamlBuilder:
    """Turns a composed node tree into plain values, recording a position per pointer."""

    def __init__(self, text: str, name: str, yaml11: bool) -> None:
        self.text = text
        self.lines = text.splitlines()
        self.name = name
        self.yaml11 = yaml11
        self.table: dict[str, Position] = {}
        self.duplicates: list[DefinitionError] = []
        self._active: set[int] = set()

    def error(self, node: yaml.Node, message: str, pointer: str) -> DefinitionError:
        mark = node.start_mark
        return DefinitionError(message, file=self.name, pointer=pointer, line=mark.line + 1, column=mark.column + 1)

    def _record(self, node: yaml.Node, pointer: str, key: yaml.Node | None, indent: int) -> None:
        start, end = node.start_mark, node.end_mark
        style = (node.style or None) if isinstance(node, yaml.ScalarNode) else None  # libyaml says "" for plain
        content_line = content_column = None
        if style in ("|", ">"):
            content_line, content_column = self._block_content(node, indent)
        self.table[pointer] = Position(
            start.line + 1,
            start.column + 1,
            end.line + 1,
            end.column + 1,
            key.start_mark.line + 1 if key is not None else None,
            key.start_mark.column + 1 if key is not None else None,
            style,
            content_line,
            content_column,
        )

    def _block_content(self, node: yaml.Node, indent: int) -> tuple[int, int | None]:
        """First content line and column of a block scalar (the header may follow a tag)."""
        index = node.start_mark.index
        text = self.text
        while index < len(text) and text[index] not in "|>":
            index += 1
        header_line = text.count("\n", 0, index)  # 0-based
        header = text[index : text.find("\n", index) if "\n" in text[index:] else len(text)]
        explicit = re.match(r"[|>][-+]?([1-9])|[|>]([1-9])", header)
        if explicit:
            digit = int(explicit.group(1) or explicit.group(2))
            return header_line + 2, indent + digit + 1
        for line in self.lines[header_line + 1 :]:
            if line.strip():
                return header_line + 2, len(line) - len(line.lstrip(" ")) + 1
        return header_line + 2, None

    def build(self, node: yaml.Node, pointer: str, key: yaml.Node | None, indent: int) -> Any:
        self._record(node, pointer, key, indent)
        tag = node.tag
        if tag in INTRINSIC_TAGS:
            return self._intrinsic(node, pointer, INTRINSIC_TAGS[tag], indent)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, pointer)
        if id(node) in self._active:
            raise self.error(node, "recursive YAML alias", pointer)
        self._active.add(id(node))
        try:
            standard = _YAML + ("seq" if isinstance(node, yaml.SequenceNode) else "map")
            if tag not in (standard, "!"):
                message = f"unknown tag {tag}" if tag.startswith("!") else f"unsupported YAML tag {tag}"
                raise self.error(node, message, pointer)
            if isinstance(node, yaml.SequenceNode):
                column = node.start_mark.column
                return [self.build(item, join_pointer(pointer, i), None, column) for i, item in enumerate(node.value)]
            return self._mapping(node, pointer)
        finally:
            self._active.discard(id(node))

    def _mapping(self, node: yaml.MappingNode, pointer: str) -> dict[str, Any]:
        result: dict[str, Any] = {}
        seen: dict[str, yaml.Node] = {}
        merged: dict[str, Any] = {}
        column = node.start_mark.column
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.error(key_node, "mapping keys must be scalars", pointer)
            if key_node.tag == _PLAIN_TAG and key_node.value == "<<" or key_node.tag == _YAML + "merge":
                merged.update(self._merge(value_node, pointer))
                continue
            name = key_node.value
            child = join_pointer(pointer, name)
            if name in seen:
                first = seen[name].start_mark
                self.duplicates.append(
                    DefinitionError(
                        f"duplicate key (first defined at line {first.line + 1})",
                        file=self.name,
                        pointer=child,
                        line=key_node.start_mark.line + 1,
                        column=key_node.start_mark.column + 1,
                    )
                )
            seen[name] = key_node
            result[name] = self.build(value_node, child, key_node, column)
        for name, value in merged.items():
            result.setdefault(name, value)
        return result

    def _merge(self, node: yaml.Node, pointer: str) -> dict[str, Any]:
        """Values of a ``<<`` merge key (explicit keys of the mapping win)."""
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        merged: dict[str, Any] = {}
        for source in sources:
            if not isinstance(source, yaml.MappingNode):
                raise self.error(source, "a merge key (<<) needs a mapping or a list of mappings", pointer)
            # Positions of merged values are those of the anchored mapping.
            value = _YamlBuilder(self.text, self.name, self.yaml11)
            value._active = self._active
            for name, item in value._mapping(source, pointer).items():
                merged.setdefault(name, item)
            for sub, pos in value.table.items():
                self.table.setdefault(sub, pos)
        return merged

    def _scalar(self, node: yaml.ScalarNode, pointer: str) -> Any:
        tag, text = node.tag, node.value
        if tag == _PLAIN_TAG:
            return resolve_plain(text, self.yaml11)
        if tag in (_YAML + "str", "!", _YAML + "binary", _YAML + "timestamp"):
            return text
        if tag == _YAML + "null":
            return None
        if tag in (_YAML + "bool", _YAML + "int", _YAML + "float"):
            value = resolve_plain(text, self.yaml11)
            kind = {"bool": bool, "int": int, "float": (float, int)}[tag[len(_YAML) :]]
            if isinstance(value, bool) != (kind is bool) or not isinstance(value, kind):
                raise self.error(node, f"{text!r} is not a valid {tag[len(_YAML):]}", pointer)
            return float(value) if tag.endswith("float") else value
        if tag.startswith("!"):
            raise self.error(node, f"unknown tag {tag}", pointer)
        raise self.error(node, f"unsupported YAML tag {tag}", pointer)

    def _intrinsic(self, node: yaml.Node, pointer: str, name: str, indent: int) -> dict[str, Any]:
        """``!Ref X`` -> ``{"Ref": "X"}``, ``!GetAtt A.B`` -> ``{"Fn::GetAtt": ["A", "B"]}``, ..."""
        inner = join_pointer(pointer, name)
        if isinstance(node, yaml.ScalarNode):
            pos = self.table[pointer]
            self.table[inner] = pos
            if name == "Fn::GetAtt":
                logical, dot, attribute = node.value.partition(".")
                if not dot or not logical or not attribute:
                    raise self.error(node, f"!GetAtt needs LogicalId.Attribute, got {node.value!r}", pointer)
                self.table[join_pointer(inner, 0)] = pos
                self.table[join_pointer(inner, 1)] = pos
                return {name: [logical, attribute]}
            return {name: node.value}
        if id(node) in self._active:
            raise self.error(node, "recursive YAML alias", pointer)
        self._active.add(id(node))
        try:
            # Build the node as if it carried its standard tag, keeping positions.
            column = node.start_mark.column
            if isinstance(node, yaml.SequenceNode):
                value: Any = [
                    self.build(item, join_pointer(inner, i), None, column) for i, item in enumerate(node.value)
                ]
            else:
                value = self._mapping(node, inner)  # type: ignore[arg-type]
        finally:
            self._active.discard(id(node))
        self.table[inner] = self.table[pointer]
        return {name: value}
