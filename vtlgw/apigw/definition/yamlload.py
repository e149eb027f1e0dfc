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
from array import array
from bisect import bisect_left
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


class _YamlPositions:
    """Positions of a YAML file: the parser's marks per pointer, made ``Position`` objects when looked up."""

    def __init__(self, text: str, table: dict[str, Any]) -> None:
        self._text = text
        self._table = table  # pointer -> Position, or (start mark, end mark, key mark, style, indent)
        self._newlines: array | None = None
        self._lines: list[str] | None = None

    def lookup(self, pointer: str) -> Position | None:
        found = self._table.get(pointer)
        if found is None or found.__class__ is Position:
            return found
        start, end, key, style, indent = found
        content_line = content_column = None
        if style == "|" or style == ">":
            content_line, content_column = self._block_content(start.index, indent)
        position = Position(
            start.line + 1,
            start.column + 1,
            end.line + 1,
            end.column + 1,
            key.line + 1 if key is not None else None,
            key.column + 1 if key is not None else None,
            style,
            content_line,
            content_column,
        )
        self._table[pointer] = position
        return position

    def _block_content(self, index: int, indent: int) -> tuple[int, int | None]:
        """First content line and column of a block scalar starting at ``index`` (the header may follow a tag);
        ``indent`` is the column its collection starts at."""
        text = self._text
        while index < len(text) and text[index] not in "|>":
            index += 1
        if self._newlines is None:
            self._newlines = array("q", (m.start() for m in re.finditer("\n", text)))
        header_line = bisect_left(self._newlines, index)  # 0-based: the newlines before it
        end = text.find("\n", index)
        header = text[index : end if end >= 0 else len(text)]
        explicit = _BLOCK_INDENT.match(header)
        if explicit:
            digit = int(explicit.group(1) or explicit.group(2))
            return header_line + 2, indent + digit + 1
        if self._lines is None:
            self._lines = text.splitlines()
        lines = self._lines
        for number in range(header_line + 1, len(lines)):
            line = lines[number]
            if line.strip():
                return header_line + 2, len(line) - len(line.lstrip(" ")) + 1
        return header_line + 2, None


_BLOCK_INDENT = re.compile(r"[|>][-+]?([1-9])|[|>]([1-9])")


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
    if "~" in token or "/" in token:
        return token.replace("~", "~0").replace("/", "~1")
    return token


def join_pointer(pointer: str, *tokens: str | int) -> str:
    """``join_pointer("/paths", "/pets")`` -> ``/paths/~1pets``."""
    for token in tokens:
        token = token if token.__class__ is str else str(token)
        if "~" in token or "/" in token:
            token = token.replace("~", "~0").replace("/", "~1")
        pointer = f"{pointer}/{token}"
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
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _DuplicateKey()
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
    # One level at a time (the comprehension keeps the per-value work in C); a text past both caps
    # is walked again as the checks were first written, depth first, to report the one met first.
    max_depth, max_nodes = limits.MAX_DEFINITION_DEPTH, limits.MAX_DEFINITION_NODES
    containers = (dict, list)
    level = [data] if data.__class__ in containers else []
    values = 1
    depth = 0
    while level:
        depth += 1
        if depth > max_depth:
            break
        below: list[Any] = []
        for value in level:
            children = value.values() if value.__class__ is dict else value
            values += len(children)
            below += [child for child in children if child.__class__ in containers]
        level = below
    too_deep, too_many = depth > max_depth, values > max_nodes
    if too_deep and too_many or too_deep and level and not _fits_below(level, values, max_nodes):
        _check_json_bounds_in_order(data, positions, name)
    if too_deep:
        raise _json_too_deep(positions, name)
    if too_many:
        raise _too_many_json_values(name)


def _fits_below(level: list[Any], values: int, max_nodes: int) -> bool:
    """Whether the values under ``level`` (not counted yet) keep the total within ``max_nodes``."""
    todo = list(level)
    while todo:
        value = todo.pop()
        children = value.values() if value.__class__ is dict else value
        values += len(children)
        if values > max_nodes:
            return False
        todo += [child for child in children if child.__class__ is dict or child.__class__ is list]
    return True


def _too_many_json_values(name: str) -> DefinitionTooLargeError:
    return DefinitionTooLargeError(
        f"the definition has more than {limits.MAX_DEFINITION_NODES} values (vtlgw's limit); "
        "split it or use a smaller file", file=name)


def _check_json_bounds_in_order(data: Any, positions: _JsonPositionMap, name: str) -> None:
    values = 1
    todo: list[tuple[Any, int]] = [(data, 1)] if isinstance(data, (dict, list)) else []
    while todo:
        value, depth = todo.pop()
        if depth > limits.MAX_DEFINITION_DEPTH:
            raise _json_too_deep(positions, name)
        children = value.values() if isinstance(value, dict) else value
        values += len(children)
        if values > limits.MAX_DEFINITION_NODES:
            raise _too_many_json_values(name)
        todo.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))


# ---------------------------------------------------------------------------
# YAML

_YAML = "tag:yaml.org,2002:"

# The event parsers: libyaml's (in C) when PyYAML has it, else PyYAML's own (pure Python, same events).
_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PY_LOADER: type = yaml.SafeLoader


def _native(loader: type) -> bool:
    """Whether ``loader`` parses with libyaml."""
    return bool(getattr(yaml, "__with_libyaml__", False)) and issubclass(loader, yaml.cyaml.CParser)

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


# Plain scalars that need no pattern: their value in each schema.
_PLAIN_FIXED_CORE = {**dict.fromkeys(_NULLS), **dict.fromkeys(_TRUE_CORE, True), **dict.fromkeys(_FALSE_CORE, False)}
_PLAIN_FIXED_11 = {**dict.fromkeys(_NULLS), **dict.fromkeys(_TRUE_11, True), **dict.fromkeys(_FALSE_11, False)}
# Every other plain scalar that is not a string starts with one of these (see resolve_plain's patterns).
_NUMBER_START = frozenset("+-.0123456789")
_STRING_TAGS = frozenset([_YAML + "str", "!", _YAML + "binary", _YAML + "timestamp"])
_CHECKED_TAGS: dict[str, Any] = {_YAML + "bool": bool, _YAML + "int": int, _YAML + "float": (float, int)}


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

    The bounds are checked by the one pass that also builds the value (see :class:`_YamlPass`);
    this runs that pass with nothing built, for callers that only want the check.
    """
    _YamlPass(text, name, False, _LOADER, build=False).run()


def _parse_yaml(text: str, path: Path, name: str, yaml11: bool | None, loader: type | None = None) -> Document:
    """Parse YAML text in one pass over the parser's events (libyaml's C parser when present).

    With ``yaml11`` None the schema is first guessed from the text; in the rare case the top-level
    keys the pass found disagree with the guess, the pass runs again with the other schema.
    """
    loader = loader or _LOADER
    schema = _guess_cloudformation(text) if yaml11 is None else yaml11
    try:
        result = _YamlPass(text, name, schema, loader).run()
        if yaml11 is None and result.cloudformation != schema and not isinstance(result.error, _ComposeError):
            result = _YamlPass(text, name, result.cloudformation, loader).run()
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
    if result.error is not None:
        raise result.error.error
    return Document(path, name, result.data, "yaml", text, _YamlPositions(text, result.table), result.duplicates)


_CLOUDFORMATION_KEYS = frozenset(["AWSTemplateFormatVersion", "Resources", "Transform"])
_CLOUDFORMATION_LINE = re.compile(r"""^["']?(?:AWSTemplateFormatVersion|Resources|Transform)\b""", re.M)


def _guess_cloudformation(text: str) -> bool:
    """Whether the text likely has a top-level ``AWSTemplateFormatVersion``, ``Resources`` or ``Transform``.

    Only a guess, to type the scalars of the first pass: the pass finds the real top-level keys.
    """
    if "Resources" not in text and "AWSTemplateFormatVersion" not in text and "Transform" not in text:
        return False
    return _CLOUDFORMATION_LINE.search(text) is not None


class _BuildError(Exception):
    """Why the value could not be built; reported unless the stream has a worse error."""

    def __init__(self, error: DefinitionError) -> None:
        super().__init__(str(error))
        self.error = error


class _ComposeError(_BuildError):
    pass


# The kinds of open collections while building.
_MAP, _SEQ, _MERGE_MAP, _MERGE_SEQ = range(4)


class _Frame:
    """An open collection: a mapping or list being built, or (part of) a merge key's ``<<`` value."""

    __slots__ = (
        "kind", "value", "pointer", "table", "dups", "indent", "ident", "event", "start", "key", "own_indent",
        "own_pointer", "intrinsic", "expect_key", "name", "child", "key_mark", "merging", "seen", "merged",
        "index", "acc", "owner", "single",
    )

    def __init__(self, kind: int, value: Any, pointer: str, table: dict, dups: list, indent: int) -> None:
        self.kind = kind
        self.value = value  # the dict or list being filled (None for a merge key's list)
        self.pointer = pointer  # the pointer its children are under (for an intrinsic, the inner one)
        self.table = table  # where its children's positions go
        self.dups = dups  # where duplicate keys under it are reported
        self.indent = indent  # its start column (0-based), which block scalars in it are indented from
        self.ident = 0  # the id of its start event while it is open (an alias may lead back to it)
        self.intrinsic: str | None = None
        self.expect_key = True
        self.merging = False
        self.index = 0
        self.seen: dict[str, Any] = {}
        self.merged: dict[str, Any] = {}


class _Result:
    __slots__ = ("data", "table", "duplicates", "error", "cloudformation")


_MISSING = object()


class _YamlPass:
    """One pass over a YAML text's events: bounds, composition checks, values and positions.

    Errors are reported in the order separate stages would find them: a bounds or syntax error
    anywhere in the stream wins over a composition error of the (single) document (an undefined
    alias, a duplicate anchor, a second document), which wins over an error building the value (an
    unknown tag, a non-scalar key, ...). After one of the latter, building stops and the rest of the
    stream is only checked.

    An alias is expanded by replaying the events recorded under its anchor: it gets values,
    positions and duplicate-key reports of its own, as if its node were written out again there.
    Positions are kept as the parser's marks and turned into line:col when looked up.
    """

    def __init__(self, text: str, name: str, yaml11: bool, loader: type, *, build: bool = True) -> None:
        self.text = text
        self.name = name
        self.yaml11 = yaml11
        self.loader = loader
        self.build = build
        self.table: dict[str, Any] = {}
        self.duplicates: list[DefinitionError] = []
        self.stack: list[_Frame] = []
        self.active: set[int] = set()
        self.anchors: dict[str, list] = {}  # anchor -> [first recorded index, end index or None, its first event]
        self.recorded: list[Any] = []
        self.merge_replays: set[str] = set()
        self.data: Any = None
        self.fixed = _PLAIN_FIXED_11 if yaml11 else _PLAIN_FIXED_CORE
        self.numbers: dict[str, Any] = {}

    # ------------------------------------------------------------ the pass

    def run(self) -> _Result:
        name = self.name
        max_depth, max_nodes = limits.MAX_DEFINITION_DEPTH, limits.MAX_DEFINITION_NODES
        max_alias = limits.MAX_YAML_ALIAS_NODES
        Scalar, Alias = yaml.ScalarEvent, yaml.AliasEvent
        SeqStart, MapStart, SeqEnd, MapEnd = (yaml.SequenceStartEvent, yaml.MappingStartEvent,
                                              yaml.SequenceEndEvent, yaml.MappingEndEvent)
        DocStart, StreamEnd = yaml.DocumentStartEvent, yaml.StreamEndEvent

        # Bounds, over the whole stream, counting every value as a builder sees it: an alias adds
        # as many values, and as much depth, as the node it names (once that node is complete).
        total = 0  # values so far, aliases expanded
        expanded = 0  # values added by aliases
        sizes: dict[str, tuple[int, int]] = {}  # anchor -> (values, height) of the node it names
        bounds: list[list[Any]] = []  # open collections: [anchor, total before it, its depth, deepest inside]

        # Composition of the first document.
        documents = 0
        composing = True
        compose_error: tuple[str, Any] | None = None
        anchors = self.anchors
        recorded = self.recorded
        record = recorded.append
        open_anchors: list[str | None] = []  # the anchor of each open collection
        recording = 0  # open anchored collections: their events are kept for aliases to replay
        root_is_map = False
        root_children = 0
        root_keys: set[str] = set()

        building = self.build
        native = _native(self.loader)
        build_error: _BuildError | None = None
        feed = self.feed

        def fail(event: Any, message: str) -> None:
            mark = event.start_mark
            raise DefinitionTooLargeError(message, file=name, line=mark.line + 1, column=mark.column + 1)

        parser = self.loader(self.text)
        get_event = parser.get_event
        try:
            while True:
                event = get_event()
                kind = event.__class__
                # -- bounds
                if kind is Scalar:
                    total += 1
                    depth = len(bounds) + 1
                    if event.anchor is not None:
                        sizes[event.anchor] = (1, 1)
                elif kind is MapStart or kind is SeqStart:
                    total += 1
                    depth = len(bounds) + 1
                    bounds.append([event.anchor, total - 1, depth, depth])
                elif kind is MapEnd or kind is SeqEnd:
                    anchor, before, own, deepest = bounds.pop()
                    if anchor is not None:
                        sizes[anchor] = (total - before, deepest - own + 1)
                    if bounds and deepest > bounds[-1][3]:
                        bounds[-1][3] = deepest
                    depth = 0
                elif kind is Alias:
                    depth = 0
                    named = sizes.get(event.anchor)
                    if named is not None:  # else undefined, or inside its own anchor: said below
                        values, height = named
                        total += values
                        expanded += values
                        depth = len(bounds) + height
                        if expanded > max_alias:
                            fail(event, f"YAML aliases expand to more than {max_alias} values here "
                                        f"(*{event.anchor} alone is {values}); vtlgw refuses alias bombs: write "
                                        "the values out, or use fewer aliases")
                elif kind is StreamEnd:
                    break
                else:
                    if kind is DocStart:
                        documents += 1
                        if documents > 1 and composing:
                            composing = building = False
                            compose_error = ("but found another document", event.start_mark)
                    continue
                if depth:
                    if depth > max_depth:
                        fail(event, f"nested too deeply: more than {max_depth} levels of lists and maps "
                                    "(vtlgw's limit for definitions)")
                    if total > max_nodes:
                        fail(event, f"the definition has more than {max_nodes} values (vtlgw's limit, "
                                    "aliases expanded); split it or use a smaller file")
                    if bounds and depth > bounds[-1][3]:
                        bounds[-1][3] = depth
                if not composing:
                    continue
                # -- composition of the document: anchors, aliases, top-level keys
                if kind is MapEnd or kind is SeqEnd:
                    if recording:
                        record(event)
                    anchor = open_anchors.pop()
                    if anchor is not None:
                        anchors[anchor][1] = len(recorded)
                        recording -= 1
                else:
                    if kind is Alias:
                        if event.anchor not in anchors:
                            # (PyYAML's own composer names the alias, libyaml's binding does not)
                            undefined = "found undefined alias" + ("" if native else f" {event.anchor!r}")
                            compose_error = (undefined, event.start_mark)
                            composing = building = False
                            continue
                        level = len(bounds)
                    else:
                        anchor = event.anchor
                        if anchor is not None:
                            if anchor in anchors:
                                compose_error = ("second occurrence", event.start_mark)
                                composing = building = False
                                continue
                            anchors[anchor] = [len(recorded), None, event]
                        if kind is Scalar:
                            level = len(bounds)
                            if recording or anchor is not None:
                                record(event)
                                if anchor is not None:
                                    anchors[anchor][1] = len(recorded)
                        else:
                            level = len(bounds) - 1
                            open_anchors.append(anchor)
                            if anchor is not None:
                                recording += 1
                            if recording:
                                record(event)
                    if kind is Alias and recording:
                        record(event)
                    if level <= 1:
                        if level == 0:
                            root_is_map = kind is MapStart
                        elif root_is_map:
                            root_children += 1
                            if root_children % 2:
                                key = event if kind is not Alias else anchors[event.anchor][2]
                                if key.__class__ is Scalar:
                                    root_keys.add(key.value)
                # -- the value
                if building:
                    try:
                        feed(event)
                    except _BuildError as exc:
                        build_error = exc
                        building = False
        finally:
            parser.dispose()
        result = _Result()
        result.cloudformation = bool(root_keys & _CLOUDFORMATION_KEYS)
        result.data = self.data
        result.table = self.table
        result.duplicates = self.duplicates
        if compose_error is not None:
            problem, mark = compose_error
            result.error = _ComposeError(DefinitionError(f"invalid YAML: {problem}", file=name, line=mark.line + 1,
                                                         column=mark.column + 1))
        elif documents == 0:
            result.error = _ComposeError(DefinitionError("the file is empty", file=name))
        else:
            result.error = build_error
        return result

    # ------------------------------------------------------------ building

    def error_at(self, mark: Any, message: str, pointer: str) -> None:
        raise _BuildError(DefinitionError(message, file=self.name, pointer=pointer, line=mark.line + 1,
                                          column=mark.column + 1))

    def feed(self, event: Any) -> None:
        """Build with one event of the document (or of an alias's replay)."""
        kind = event.__class__
        stack = self.stack
        if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            self.end(event)
            return
        if not stack:
            if kind is yaml.ScalarEvent or kind is yaml.SequenceStartEvent or kind is yaml.MappingStartEvent:
                self.value(event, "", None, 0, self.table, self.duplicates)
            return
        top = stack[-1]
        if top.kind is _SEQ:
            self.value(event, f"{top.pointer}/{top.index}", None, top.indent, top.table, top.dups)
        elif top.kind is _MERGE_SEQ:
            self.merge_item(top, event)
        elif top.expect_key:
            self.key(top, event)
        elif top.merging:
            self.merge_value(top, event)
        else:
            self.value(event, top.child, top.key_mark, top.indent, top.table, top.dups)

    def deliver(self, value: Any) -> None:
        stack = self.stack
        if not stack:
            self.data = value
            return
        top = stack[-1]
        if top.kind is _SEQ:
            top.value.append(value)
            top.index += 1
        else:
            top.value[top.name] = value
            top.expect_key = True

    def value(self, event: Any, pointer: str, key: Any, indent: int, table: dict, dups: list) -> None:
        """A value at ``pointer`` (its key's mark ``key``) begins, or is a scalar or alias."""
        kind = event.__class__
        tag = event.tag if kind is not yaml.AliasEvent else None
        if kind is yaml.ScalarEvent:
            record = (event.start_mark, event.end_mark, key, event.style or None, indent)
            table[pointer] = record
            intrinsic = INTRINSIC_TAGS.get(tag) if tag is not None else None
            if intrinsic is None:
                self.deliver(self.scalar(event, tag, pointer))
                return
            inner = join_pointer(pointer, intrinsic)
            table[inner] = record
            text = event.value
            if intrinsic == "Fn::GetAtt":
                logical, dot, attribute = text.partition(".")
                if not dot or not logical or not attribute:
                    self.error_at(event.start_mark, f"!GetAtt needs LogicalId.Attribute, got {text!r}", pointer)
                table[inner + "/0"] = record
                table[inner + "/1"] = record
                self.deliver({intrinsic: [logical, attribute]})
            else:
                self.deliver({intrinsic: text})
            return
        if kind is yaml.AliasEvent:
            self.replay(event.anchor, pointer, merge=False)
            return
        ident = id(event)
        if ident in self.active:
            self.error_at(event.start_mark, "recursive YAML alias", pointer)
        is_map = kind is yaml.MappingStartEvent
        intrinsic = None
        child = pointer
        if tag is not None and tag != "!":
            intrinsic = INTRINSIC_TAGS.get(tag)
            if intrinsic is not None:
                child = join_pointer(pointer, intrinsic)
            elif tag != (_YAML + "map" if is_map else _YAML + "seq"):
                message = f"unknown tag {tag}" if tag.startswith("!") else f"unsupported YAML tag {tag}"
                self.error_at(event.start_mark, message, pointer)
        start = event.start_mark
        frame = _Frame(_MAP if is_map else _SEQ, {} if is_map else [], child, table, dups, start.column)
        frame.ident = ident
        frame.event = event  # alive while the frame is open, so that its id stays its own
        frame.start = start
        frame.key = key
        frame.own_indent = indent
        frame.own_pointer = pointer
        frame.intrinsic = intrinsic
        self.active.add(ident)
        self.stack.append(frame)

    def end(self, event: Any) -> None:
        frame = self.stack.pop()
        kind = frame.kind
        if kind is _MERGE_SEQ:
            owner = frame.owner
            owner.merged.update(frame.acc)
            owner.merging = False
            owner.expect_key = True
            return
        value = frame.value
        if kind is not _SEQ:
            for name, item in frame.merged.items():
                value.setdefault(name, item)
        if kind is _MERGE_MAP:
            acc = frame.acc
            for name, item in value.items():
                acc.setdefault(name, item)
            into = frame.owner.table
            for pointer, record in frame.table.items():
                into.setdefault(pointer, record)
            if frame.single:
                owner = frame.owner
                owner.merged.update(acc)
                owner.merging = False
                owner.expect_key = True
            return
        self.active.discard(frame.ident)
        record = (frame.start, event.end_mark, frame.key, None, frame.own_indent)
        frame.table[frame.own_pointer] = record
        if frame.intrinsic is not None:
            frame.table[frame.pointer] = record
            value = {frame.intrinsic: value}
        self.deliver(value)

    def key(self, frame: _Frame, event: Any) -> None:
        kind = event.__class__
        if kind is yaml.AliasEvent:
            event = self.anchors[event.anchor][2]
            kind = event.__class__
        if kind is not yaml.ScalarEvent:
            self.error_at(event.start_mark, "mapping keys must be scalars", frame.pointer)
        tag = event.tag
        name = event.value
        if name == "<<" and (tag is None or tag == "!") and event.implicit[0] or tag == _YAML + "merge":
            frame.merging = True
            frame.expect_key = False
            return
        child = f"{frame.pointer}/{name}" if "~" not in name and "/" not in name else join_pointer(frame.pointer, name)
        mark = event.start_mark
        seen = frame.seen
        if name in seen:
            frame.dups.append(
                DefinitionError(
                    f"duplicate key (first defined at line {seen[name].line + 1})",
                    file=self.name,
                    pointer=child,
                    line=mark.line + 1,
                    column=mark.column + 1,
                )
            )
        seen[name] = mark
        frame.name = name
        frame.child = child
        frame.key_mark = mark
        frame.expect_key = False

    def merge_value(self, frame: _Frame, event: Any) -> None:
        """The value of a ``<<`` key: a mapping, an alias of one, or a list of them."""
        kind = event.__class__
        if kind is yaml.MappingStartEvent:
            self.merge_source(frame, event, {}, single=True)
        elif kind is yaml.SequenceStartEvent:
            merging = _Frame(_MERGE_SEQ, None, frame.pointer, frame.table, frame.dups, event.start_mark.column)
            merging.owner = frame
            merging.acc = {}
            self.stack.append(merging)
        elif kind is yaml.AliasEvent:
            self.replay(event.anchor, frame.pointer, merge=True)
        else:
            self.error_at(event.start_mark, "a merge key (<<) needs a mapping or a list of mappings", frame.pointer)

    def merge_item(self, frame: _Frame, event: Any) -> None:
        kind = event.__class__
        if kind is yaml.MappingStartEvent:
            self.merge_source(frame.owner, event, frame.acc, single=False)
        elif kind is yaml.AliasEvent:
            self.replay(event.anchor, frame.pointer, merge=True)
        else:
            self.error_at(event.start_mark, "a merge key (<<) needs a mapping or a list of mappings", frame.pointer)

    def merge_source(self, owner: _Frame, event: Any, acc: dict, *, single: bool) -> None:
        """A mapping whose keys go into ``owner`` (explicit keys win), with positions but no duplicate reports."""
        source = _Frame(_MERGE_MAP, {}, owner.pointer, {}, [], event.start_mark.column)
        source.owner = owner
        source.acc = acc
        source.single = single
        self.stack.append(source)

    def replay(self, anchor: str, pointer: str, *, merge: bool) -> None:
        """Build the node ``anchor`` names again, here, from its recorded events."""
        start, end, first = self.anchors[anchor]
        if merge:
            if anchor in self.merge_replays:
                self.error_at(first.start_mark, "recursive YAML alias", pointer)
            self.merge_replays.add(anchor)
        recorded = self.recorded
        if end is None:  # the alias is inside its own anchor: replaying it leads back here
            end = len(recorded)
        depth = len(self.stack)
        feed = self.feed
        try:
            for index in range(start, end):
                feed(recorded[index])
        finally:
            if merge:
                self.merge_replays.discard(anchor)
        if len(self.stack) != depth:
            self.error_at(first.start_mark, "recursive YAML alias", pointer)

    def scalar(self, event: Any, tag: str | None, pointer: str) -> Any:
        text = event.value
        if tag is None or tag == "!":
            if not event.implicit[0]:
                return text
            value = self.fixed.get(text, _MISSING)
            if value is not _MISSING:
                return value
            if text[0] not in _NUMBER_START:
                return text
            value = self.numbers.get(text, _MISSING)
            if value is _MISSING:
                value = self.numbers[text] = resolve_plain(text, self.yaml11)
            return value
        if tag in _STRING_TAGS:
            return text
        if tag == _YAML + "null":
            return None
        if tag in _CHECKED_TAGS:
            value = resolve_plain(text, self.yaml11)
            kind = _CHECKED_TAGS[tag]
            if isinstance(value, bool) != (kind is bool) or not isinstance(value, kind):
                self.error_at(event.start_mark, f"{text!r} is not a valid {tag[len(_YAML):]}", pointer)
            return float(value) if tag.endswith("float") else value
        if tag.startswith("!"):
            self.error_at(event.start_mark, f"unknown tag {tag}", pointer)
        self.error_at(event.start_mark, f"unsupported YAML tag {tag}", pointer)
