"""Helpers shared by the definition rules: selection patterns, raw documents, precise locations.

Selection patterns are checked with the regex engine the pipeline uses
(:func:`vtlgw.vtl.jregex.compile_java`, whole-string ``matches()``), so a
finding never disagrees with what ``vtlgw invoke`` would select. Some rules
need what the definition model does not keep (the intrinsic function a
template was written as, the resources of a CloudFormation template), so the
file is re-read once with :func:`vtlgw.apigw.definition.load_document`.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import os
import re
import warnings
from pathlib import Path
from typing import Any, Iterable, Iterator

from vtlgw.apigw.definition import Integration, IntegrationResponse, Method, Source, load_document
from vtlgw.apigw.definition.yamlload import Document
from vtlgw.apigw.http.headers import DROPPED_HEADERS
from vtlgw.vtl.errors import JavaException, VtlError
from vtlgw.vtl.jregex import JavaPattern, compile_java

#: Every status code API Gateway can see from a backend (what HTTP/AWS/MOCK patterns are matched against).
STATUS_CODES: tuple[str, ...] = tuple(str(code) for code in range(100, 600))

#: Seconds one pattern may spend on one value before the linter gives up on it.
MATCH_TIMEOUT = 0.25

#: Lambda error messages as functions really raise them, for the overlap rule (VTL307).
SAMPLE_MESSAGES: tuple[str, ...] = (
    "",
    "Error",
    "error",
    "Not Found",
    "not found",
    "Invalid input",
    "Invalid request: name is required",
    "Bad Request",
    "Unauthorized",
    "Forbidden",
    "Internal Server Error",
    "Task timed out after 3.00 seconds",
    "[BadRequest] name is required",
    "[NotFound] no such order",
    "[InternalServerError] database unavailable",
    "BadRequest: name is required",
    "NotFound: no such order",
    '{"status": 400, "message": "bad request"}',
    '{"status": 404, "message": "not found"}',
    '{"errorType": "ValidationError", "httpStatus": 400}',
    "ValidationError: name is required\n    at handler (index.js:12:11)",
    "Traceback (most recent call last):\n  File \"app.py\", line 3, in handler\nKeyError: 'id'",
)


# ---------------------------------------------------------------------------- patterns


def compile_error(pattern: str) -> JavaException | None:
    """The ``PatternSyntaxException`` ``pattern`` raises in Java, or None when it compiles."""
    try:
        compile_java(pattern)
    except JavaException as exc:
        return exc
    return None


def compiled(pattern: str) -> JavaPattern | None:
    try:
        return compile_java(pattern)
    except JavaException:
        return None


def matches(pattern: str, value: str) -> bool:
    """Whole-string match as API Gateway selects (False when the pattern is invalid or runs away)."""
    compiled_pattern = compiled(pattern)
    if compiled_pattern is None:
        return False
    try:
        return compiled_pattern.matches(value, timeout=MATCH_TIMEOUT)
    except JavaException:
        return False


@functools.lru_cache(maxsize=1024)
def codes_matched(pattern: str) -> frozenset[str]:
    """The status codes from 100 to 599 that ``pattern`` selects."""
    return frozenset(code for code in STATUS_CODES if matches(pattern, code))


def lines_of_message(pattern: str) -> bool:
    """Whether ``pattern`` can match text spanning lines (``(?s)``, ``\\n``, ``\\s``, ``[^x]``, ``\\R`` ...)."""
    return any(matches(pattern, sample) for sample in _multiline_probes(pattern))


def _multiline_probes(pattern: str) -> list[str]:
    probes = []
    for example in examples(pattern):
        for index in range(len(example) + 1):
            probes.append(example[:index] + "\n" + example[index:])
            if len(probes) > 64:
                return probes
    return probes


# ---------------------------------------------------------------------------- examples from a pattern

try:  # Python 3.11+ keeps the parser here; 3.10 has the (then undeprecated) sre_parse module.
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
    from re import _constants as _sre  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _sre  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

_MAX_EXAMPLES = 24
_ANY_CHARS = "a"  # what '.' and wide classes stand for in generated examples


@functools.lru_cache(maxsize=512)
def examples(pattern: str) -> tuple[str, ...]:
    """A few strings ``pattern`` matches: the shortest forms of each alternative, and one repetition more.

    Generated from Python's parse of the pattern, which reads the Java
    constructs selection patterns use (``\\d``, classes, groups, ``{n,m}``);
    each candidate is kept only when the Java engine really matches it, so a
    construct the two dialects read differently yields fewer examples, never
    wrong ones. An unparsable pattern gives none.
    """
    try:
        with warnings.catch_warnings():  # Python 3.10 warns about mid-pattern flags, which Java allows
            warnings.simplefilter("ignore")
            parsed = _sre_parse.parse(pattern)
    except Exception:  # noqa: BLE001 - a Java-only construct: no examples
        return ()
    found: list[str] = []
    for stretch in (0, 1):
        try:
            candidates = _expand(list(parsed), stretch)
        except _TooMany:
            candidates = []
        for candidate in candidates:
            if candidate not in found and matches(pattern, candidate):
                found.append(candidate)
            if len(found) >= _MAX_EXAMPLES:
                return tuple(found)
    return tuple(found)


class _TooMany(Exception):
    pass


def _expand(items: list[Any], stretch: int) -> list[str]:
    """All strings of a parsed sequence (alternatives multiply, capped)."""
    results = [""]
    for op, arg in items:
        options = _expand_item(op, arg, stretch)
        if not options:
            return []
        results = [prefix + option for prefix in results for option in options]
        if len(results) > 256:
            raise _TooMany()
    return results


def _expand_item(op: Any, arg: Any, stretch: int) -> list[str]:
    if op is _sre.LITERAL:
        return [chr(arg)]
    if op is _sre.NOT_LITERAL:
        return ["a" if chr(arg) != "a" else "b"]
    if op is _sre.ANY:
        return [_ANY_CHARS]
    if op is _sre.IN:
        return _class_choice(arg)
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)):
        low, high, body = arg
        inner = _expand(list(body), stretch)
        counts = sorted({low, min(low + stretch, high if high != _sre.MAXREPEAT else low + stretch)})
        out: list[str] = []
        for count in counts:
            if count == 0:
                out.append("")
            else:
                out.extend(option * count for option in inner[:4])
        return out
    if op is _sre.SUBPATTERN:
        return _expand(list(arg[-1]), stretch)
    if op is getattr(_sre, "ATOMIC_GROUP", None):
        return _expand(list(arg), stretch)
    if op is _sre.BRANCH:
        out = []
        for branch in arg[1]:
            out.extend(_expand(list(branch), stretch))
        return out
    if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
        return [""]
    if op is _sre.GROUPREF:
        return [""]
    raise _TooMany()  # something exotic: no examples rather than wrong ones


def _class_choice(items: list[Any]) -> list[str]:
    if items and items[0][0] is _sre.NEGATE:
        excluded = _class_chars(items[1:])
        for candidate in "ax0 _-":
            if candidate not in excluded:
                return [candidate]
        return []
    chars = _class_chars(items)
    return [chars[0]] if chars else []


def _class_chars(items: list[Any]) -> str:
    chars: list[str] = []
    for op, arg in items:
        if op is _sre.LITERAL:
            chars.append(chr(arg))
        elif op is _sre.RANGE:
            chars.append(chr(arg[0]))
        elif op is _sre.CATEGORY:
            chars.append({"CATEGORY_DIGIT": "0", "CATEGORY_SPACE": " ", "CATEGORY_WORD": "a"}.get(str(arg), "a"))
    return "".join(chars)


# ---------------------------------------------------------------------------- walking a definition


def integrations(definition: Any) -> Iterator[tuple[Method, Integration]]:
    """Each method with an integration, in definition order; an integration several HTTP API routes share
    comes once, with its first route, so a finding about it is reported once."""
    seen: set[int] = set()
    for method in definition.methods.values():
        if method.integration is not None and id(method.integration) not in seen:
            seen.add(id(method.integration))
            yield method, method.integration


def rest_integrations(definition: Any) -> Iterator[tuple[Method, Integration]]:
    """:func:`integrations` of a REST API; none for an HTTP API, whose integrations have no mapping
    templates, selection patterns or ``integration.request.*`` parameters for the VTL3xx rules to judge."""
    if getattr(definition, "protocol", "REST") == "HTTP":
        return iter(())
    return integrations(definition)


def patterned(responses: Iterable[IntegrationResponse]) -> list[IntegrationResponse]:
    """The non-default responses (those with a selection pattern)."""
    return [r for r in responses if r.selection_pattern]


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """The closest known name (case differences first), or None."""
    options = list(candidates)
    for option in options:
        if option.lower() == name.lower():
            return option
    close = difflib.get_close_matches(name, options, n=1, cutoff=0.6)
    if close:
        return close[0]
    lowered = {o.lower(): o for o in options}
    close = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[close[0]] if close else None


# ---------------------------------------------------------------------------- the raw document

#: What :func:`value_at` and :func:`raw_value` return for a pointer that names nothing.
MISSING = object()


@functools.lru_cache(maxsize=32)
def _document(file: str, stamp: tuple[int, int]) -> Document | None:
    try:
        return load_document(file)
    except (VtlError, OSError):
        return None


def raw_document(file: str) -> Document | None:
    """The parsed file (data and positions) behind a definition's sources; None if unreadable."""
    try:
        stat = Path(file).stat()
    except OSError:
        return None
    return _document(os.path.realpath(file), (stat.st_mtime_ns, stat.st_size))  # a relative name changes with cwd


def pointer_tokens(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]


def value_at(data: Any, pointer: str) -> Any:
    """The value at a JSON pointer, or ``MISSING``."""
    value = data
    for token in pointer_tokens(pointer):
        if isinstance(value, dict) and token in value:
            value = value[token]
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return MISSING
    return value



def raw_value(source: Source | None) -> Any:
    """The value as written in the file (intrinsics as ``{"Ref": ...}`` objects), or ``MISSING``."""
    if source is None:
        return MISSING
    doc = raw_document(source.file)
    if doc is None:
        return MISSING
    return value_at(doc.data, source.pointer)


def inside_sub(source: Source) -> bool:
    """Whether any object on the way to ``source`` is an ``Fn::Sub`` (its strings are substituted)."""
    doc = raw_document(source.file)
    if doc is None:
        return False
    value = doc.data
    for token in pointer_tokens(source.pointer):
        if isinstance(value, dict) and "Fn::Sub" in value and len(value) == 1:
            return True
        if isinstance(value, dict) and token in value:
            value = value[token]
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return False
    return False


def cloudformation_names(file: str) -> tuple[dict[str, str], frozenset[str]]:
    """(resource logical id -> type, parameter names) of a CloudFormation template; empty otherwise."""
    doc = raw_document(file)
    data = doc.data if doc is not None else None
    if not isinstance(data, dict) or not isinstance(data.get("Resources"), dict):
        return {}, frozenset()
    resources = {
        lid: (spec.get("Type") if isinstance(spec, dict) and isinstance(spec.get("Type"), str) else "")
        for lid, spec in data["Resources"].items()
    }
    params = data.get("Parameters")
    return resources, frozenset(params) if isinstance(params, dict) else frozenset()


# ---------------------------------------------------------------------------- locations


def source_line(file: str, line: int | None) -> str | None:
    doc = raw_document(file)
    if doc is None or line is None:
        return None
    lines = doc.text.splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else None


def at_key(diagnostic: Any, source: Source | None, key: str | None = None, offset: int | None = None) -> Any:
    """The diagnostic moved to the mapping key of ``source`` (a key that is wrong, not its value).

    With ``offset``, onto that character of ``key`` when the key is written as is (no escapes).
    """
    if source is None or source.key_line is None:
        return diagnostic
    line, column = source.key_line, source.key_column
    text = source_line(source.file, line)
    end = None
    if key is not None and text is not None and column is not None:
        start = column - 1
        if text[start:start + 1] in ("'", '"'):
            start += 1  # the key's text starts after its quote
            column = start + 1
        if text[start:start + len(key)] == key:
            end = start + 1 + len(key)
            if offset is not None and 0 <= offset < len(key):
                column, end = start + 1 + offset, start + 2 + offset
    location = dataclasses.replace(diagnostic.location, line=line, column=column, end_line=line if end else None,
                                   end_column=end, source_line=text)
    return dataclasses.replace(diagnostic, location=location)


def at_offset(diagnostic: Any, source: Source | None, text: str, start: int, end: int) -> Any:
    """The diagnostic moved onto ``text[start:end]`` when ``text`` is a ``|`` block or one plain line.

    Otherwise (quoted or folded scalars, where escapes and folding move
    characters) it stays at the value.
    """
    if source is None or source.line is None:
        return diagnostic
    line_index = text.count("\n", 0, start)
    line_start = text.rfind("\n", 0, start) + 1
    if source.style == "|" and source.content_line is not None:
        line = source.content_line + line_index
        column = (source.content_column or 1) + (start - line_start)
    elif "\n" not in text and source.column is not None and _written_as_is(source, text):
        quoted = source.style in ("'", '"')
        line, column = source.line, source.column + start + (1 if quoted else 0)
    else:
        return diagnostic
    length = min(end, text.find("\n", start) if "\n" in text[start:end] else end) - start
    file_line = source_line(source.file, line)
    location = dataclasses.replace(diagnostic.location, line=line, column=column, end_line=line,
                                   end_column=column + max(length, 1), source_line=file_line)
    return dataclasses.replace(diagnostic, location=location)


def _written_as_is(source: Source, text: str) -> bool:
    """Whether the scalar's text stands on its line unchanged (plain, or quoted without escapes)."""
    if source.style not in (None, "'", '"') or source.line is None or source.column is None:
        return False
    line = source_line(source.file, source.line)
    if line is None:
        return False
    start = source.column - 1 + (1 if source.style else 0)
    if line[start:start + len(text)] != text:
        return False
    return source.style is None or line[start + len(text):start + len(text) + 1] == source.style


def with_message(diagnostic: Any, message: str) -> Any:
    return dataclasses.replace(diagnostic, message=message)


_JAVA_INDEX = re.compile(r"near index (\d+)")


def regex_error_text(exc: JavaException) -> tuple[str, int | None]:
    """Java's first message line and the index it names (``Unclosed group near index 3``)."""
    message = (exc.message or str(exc)).split("\n", 1)[0]
    found = _JAVA_INDEX.search(message)
    return message, int(found.group(1)) if found else None


# ---------------------------------------------------------------------------- integration kinds


_ARN_PART = r"(?:\$\{[^}]*\}|[^:$])+"  # a region or account, literal or a CloudFormation placeholder
PLAIN_LAMBDA_ARN = re.compile(
    rf"\Aarn:(?:aws[a-z-]*|\$\{{AWS::Partition\}}):lambda:{_ARN_PART}:{_ARN_PART}:function:[^/]+\Z")
_ARN_PLACEHOLDER = re.compile(r"\A\$\{([A-Za-z0-9]+)\.Arn\}\Z")
LAMBDA_FUNCTION_TYPES = ("AWS::Lambda::Function", "AWS::Serverless::Function", "AWS::Lambda::Alias",
                         "AWS::Lambda::Version")


def plain_lambda_arn(integration: Integration) -> bool:
    """The URI is a Lambda function's ARN itself (``arn:aws:lambda:...:function:f`` or ``!GetAtt F.Arn``)."""
    if integration.type not in ("AWS", "AWS_PROXY") or not integration.uri:
        return False
    uri = integration.uri.strip()
    if PLAIN_LAMBDA_ARN.match(uri):
        return True
    found = _ARN_PLACEHOLDER.match(uri)
    if found and integration.source is not None:
        resources, _ = cloudformation_names(integration.source.file)
        return resources.get(found.group(1), "") in LAMBDA_FUNCTION_TYPES
    return False


def is_lambda_like(integration: Integration) -> bool:
    """A Lambda custom integration, or one meant to be (its URI is the function ARN, VTL504)."""
    return integration.type == "AWS" and (integration.is_lambda or plain_lambda_arn(integration))


def is_status_matched(integration: Integration) -> bool:
    """HTTP, AWS-service and MOCK integrations match patterns against a status code."""
    return integration.type in ("HTTP", "MOCK") or (integration.type == "AWS" and not is_lambda_like(integration))


def looks_like_status_code(pattern: str) -> bool:
    """Matches some status codes and only digit strings (``400``, ``4\\d{2}``, ``2\\d{2}``)."""
    if not codes_matched(pattern):
        return False
    if any(matches(pattern, m) for m in SAMPLE_MESSAGES if m and not m.isdigit()):
        return False
    return all(e.isdigit() for e in examples(pattern))


_MOCK_STATUS = re.compile(r"""["']?statusCode["']?\s*:\s*["']?([0-9]{3})\b""")


def mock_status_codes(integration: Integration) -> list[str] | None:
    """The literal statusCodes a MOCK's request templates emit; None when one is computed or absent."""
    codes: list[str] = []
    for template in integration.request_templates:
        text = template.template or ""
        found = _MOCK_STATUS.findall(text)
        if not found or text.count("statusCode") != len(found):
            return None
        codes.extend(c for c in found if c not in codes)
    return codes


def finding(unit: Any, rule: type, source: Source | None, message: str) -> Any:
    """``unit.diagnostic`` at ``source``; a mapping or list value is reported at its key, where it starts."""
    made = unit.diagnostic(rule, source, message)
    raw = raw_value(source)
    if isinstance(raw, (dict, list)) and source is not None and source.key_line is not None:
        tokens = pointer_tokens(source.pointer)
        return at_key(made, source, tokens[-1] if tokens else None)
    return made
