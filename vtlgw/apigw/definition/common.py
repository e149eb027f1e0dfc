"""Checks and builders shared by the OpenAPI, CloudFormation and AWS CLI loaders.

The formats spell the same integration fields differently (``requestTemplates``
in OpenAPI, ``RequestTemplates`` in CloudFormation) but API Gateway validates
them the same way, so one builder reads them through a table of key names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, NoReturn

from vtlgw.apigw.http.paths import is_greedy, is_path_part, is_variable, split_resource_path
from vtlgw.apigw.wire import strip_bom

from . import intrinsics
from .errors import DefinitionError
from .model import (
    CONTENT_HANDLINGS,
    DEFAULT_PASSTHROUGH,
    DEFAULT_TIMEOUT_MILLIS,
    HTTP_METHODS,
    INTEGRATION_TYPES,
    PASSTHROUGH_BEHAVIORS,
    Integration,
    IntegrationResponse,
    MappingTemplate,
    Method,
    NotEmulated,
    Source,
    Substitution,
)
from .yamlload import Document, join_pointer


class Context:
    """The file being read and where problems go.

    Strict loading raises the first problem; lenient loading (for the linter)
    collects them and carries on with what can be kept.
    """

    def __init__(
        self,
        doc: Document,
        *,
        strict: bool = True,
        problems: list[DefinitionError] | None = None,
        cloudformation: bool = False,
        intrinsics: bool = False,
    ) -> None:
        self.doc = doc
        self.strict = strict
        self.problems = problems if problems is not None else []
        #: CloudFormation properties: scalars convert to strings as CloudFormation converts them.
        self.cloudformation = cloudformation
        #: Intrinsic functions may appear (anywhere inside a CloudFormation template, Body included).
        self.intrinsics = intrinsics or cloudformation
        #: Evaluates intrinsics against the supposed stack (``stack.Evaluator``); None keeps them symbolic.
        self.evaluator: Any = None
        #: With intrinsics kept symbolic, an evaluator used only to find what CloudFormation refuses.
        self.checker: Any = None
        #: Shared by derived contexts: every Ref/GetAtt evaluated, and the values that could not be known.
        self.substitutions: list[Substitution] = []
        self.unresolved: list[tuple[Source, str]] = []
        for dup in doc.duplicates:
            self.report_error(dup)

    def derive(self, doc: Document | None = None, *, cloudformation: bool | None = None) -> Context:
        """A context sharing the problem list, for another file or another part of this one."""
        ctx = Context.__new__(Context)
        ctx.doc = doc or self.doc
        ctx.strict = self.strict
        ctx.problems = self.problems
        ctx.cloudformation = self.cloudformation if cloudformation is None else cloudformation
        ctx.intrinsics = self.intrinsics
        ctx.evaluator = self.evaluator
        ctx.checker = self.checker
        ctx.substitutions = self.substitutions
        ctx.unresolved = self.unresolved
        if doc is not None and doc is not self.doc:
            ctx.intrinsics = ctx.cloudformation
            for dup in doc.duplicates:
                ctx.report_error(dup)
        return ctx

    def evaluated(self, value: Any, pointer: str) -> Any:
        """``value`` with its intrinsics evaluated against the stack (``NO_VALUE`` when it removes itself).

        A function CloudFormation would refuse is reported at its pointer (None comes back); a value
        that cannot be known offline comes back as inert ``<...>`` text and is remembered for a warning.
        """
        from .stack import StackError

        ev = self.evaluator
        seen, unknown = len(ev.evaluated), len(ev.unresolved)
        try:
            result = ev.evaluate(value, pointer)
        except StackError as exc:
            self.report(exc.pointer or pointer, exc.message, StackError)
            return None
        for where, written, text in ev.evaluated[seen:]:
            self.substitutions.append(Substitution(written, text, self.source(self._written(where, pointer))))
        for item in ev.unresolved[unknown:]:
            self.unresolved.append((self.source(self._written(item.pointer, pointer)),
                                    f"{item.text} cannot be known offline: {item.reason}; the text {item.text} "
                                    "is used"))
        return result

    def _written(self, pointer: str, fallback: str) -> str:
        """``pointer`` if the file has it, else its nearest ancestor that it has (a value vtlgw built, such as
        the URI of a SAM event's integration, is cited at what the user wrote)."""
        at = pointer
        while at and at != fallback and self.doc.position(at) is None:
            at = at.rsplit("/", 1)[0]
        return at if at and self.doc.position(at) is not None else fallback

    def check_intrinsic(self, value: Any, pointer: str) -> None:
        """Report what CloudFormation would refuse in ``value`` (with a checker), keeping it symbolic."""
        from .stack import StackError

        ev = self.checker
        if ev is None:
            return
        seen, unknown = len(ev.evaluated), len(ev.unresolved)
        try:
            ev.evaluate(value, pointer)
        except StackError as exc:
            self.report(exc.pointer or pointer, exc.message, StackError)
        finally:
            del ev.evaluated[seen:]
            del ev.unresolved[unknown:]

    def evaluated_text(self, value: Any, pointer: str) -> str | None:
        """An intrinsic where a string is needed, evaluated (numbers and booleans as CloudFormation writes them)."""
        from .stack import NO_VALUE

        result = self.evaluated(value, pointer)
        if result is None or result is NO_VALUE or isinstance(result, str):
            return None if result is NO_VALUE else result
        if isinstance(result, bool):
            return "true" if result else "false"
        if isinstance(result, (int, float)):
            return str(result)
        self.report(pointer, f"expected a string, but this evaluates to {describe(result)}")
        return None

    def source(self, pointer: str) -> Source:
        return Source(self.doc.name, pointer, self.doc.positions)

    def report(self, pointer: str, message: str, cls: type[DefinitionError] = DefinitionError) -> None:
        """A problem API Gateway would reject; raised when strict, else recorded."""
        self.report_error(self.doc.error(pointer, message, cls))

    def report_error(self, error: DefinitionError) -> None:
        if self.strict:
            raise error
        self.problems.append(error)

    def fail(self, pointer: str, message: str, cls: type[DefinitionError] = DefinitionError) -> NoReturn:
        """A problem that stops loading whatever the mode."""
        raise self.doc.error(pointer, message, cls)


# ---------------------------------------------------------------------------
# Typed access


def describe(value: Any) -> str:
    """How a wrong value is named in messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if intrinsics.intrinsic_name(value):
        return f"the intrinsic function {intrinsics.intrinsic_name(value)}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def as_mapping(ctx: Context, value: Any, pointer: str, *, allow_none: bool = True) -> dict[str, Any] | None:
    """``value`` if it is a mapping (None stays None); otherwise a reported problem."""
    if value is None and allow_none:
        return None
    if isinstance(value, dict) and not (ctx.intrinsics and intrinsics.intrinsic_name(value)):
        return value
    ctx.report(pointer, f"expected a mapping, got {describe(value)}")
    return None


def as_list(ctx: Context, value: Any, pointer: str) -> list[Any] | None:
    if value is None:
        return None
    if isinstance(value, list):
        return value
    ctx.report(pointer, f"expected a list, got {describe(value)}")
    return None


def as_string(
    ctx: Context,
    value: Any,
    pointer: str,
    *,
    integer: bool = False,
    symbolic: bool = False,
) -> str | None:
    """A string field. None stays None.

    ``integer`` also accepts an integer (status codes). CloudFormation turns
    any scalar into a string property (``true`` -> ``"true"``, ``200`` ->
    ``"200"``), so in a CloudFormation context scalars are accepted.
    ``symbolic`` accepts an intrinsic function, rendered readable.
    """
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and (integer or ctx.cloudformation):
        return str(value)
    if ctx.cloudformation and isinstance(value, (bool, float)):
        return intrinsics.render(value)
    name = intrinsics.intrinsic_name(value) if ctx.intrinsics else None
    if name:
        if ctx.evaluator is not None:
            text = ctx.evaluated_text(value, pointer)
            if text is not None and integer and not text.lstrip("-").isdigit():
                ctx.report(pointer, f"expected an integer, but this evaluates to {text!r}")
                return None
            return text
        if symbolic:
            ctx.check_intrinsic(value, pointer)
            return intrinsics.render(value)
        ctx.report(pointer, f"cannot evaluate {name} offline here: give a literal value")
        return None
    ctx.report(pointer, f"expected a string{' or integer' if integer else ''}, got {describe(value)}")
    return None


def as_enum(ctx: Context, value: Any, pointer: str, allowed: tuple[str, ...], what: str) -> str | None:
    """An enumeration value, compared case-insensitively (OpenAPI examples use lower case)."""
    text = as_string(ctx, value, pointer)
    if text is None:
        return None
    upper = text.upper()
    if upper not in allowed:
        ctx.report(pointer, f"unknown {what} {text!r}: expected one of {', '.join(allowed)}")
        return None
    return upper


def as_bool(ctx: Context, value: Any, pointer: str) -> bool | None:
    """A boolean; CloudFormation also takes the strings ``"true"``/``"false"``."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    ctx.report(pointer, f"expected a boolean, got {describe(value)}")
    return None


_STATUS = re.compile(r"[1-5][0-9]{2}\Z")


def as_status_code(ctx: Context, value: Any, pointer: str) -> str | None:
    text = as_string(ctx, value, pointer, integer=True)
    if text is None:
        return None
    if not _STATUS.match(text):
        ctx.report(pointer, f"invalid status code {text!r}: expected three digits from 100 to 599")
        return None
    return text


_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_MEDIA_TYPE = re.compile(
    rf"{_TOKEN}/{_TOKEN}(?:[ \t]*;[ \t]*{_TOKEN}=(?:{_TOKEN}|\"(?:[^\"\\]|\\.)*\"))*\Z"
)


def is_media_type(key: str) -> bool:
    """Whether API Gateway accepts ``key`` as a template or model key.

    A ``type/subtype`` with optional parameters; wildcards and ``$default`` are
    accepted (they are never selected, which the linter reports, VTL318).
    """
    return key == "$default" or bool(_MEDIA_TYPE.match(key))


def templates(ctx: Context, value: Any, pointer: str) -> list[MappingTemplate]:
    """``requestTemplates``/``responseTemplates`` in definition order; ``""`` gives None."""
    result: list[MappingTemplate] = []
    table = as_mapping(ctx, value, pointer)
    if not table:
        return result
    for key, text in table.items():
        child = join_pointer(pointer, key)
        if not is_media_type(key):
            ctx.report(child, f"Invalid content type specified: {key!r}")
        symbolic = ctx.intrinsics and intrinsics.is_symbolic(text)
        substituted = False
        if symbolic and ctx.evaluator is not None:
            body: str | None = ctx.evaluated_text(text, child)
            if body is None:
                continue
            symbolic, substituted = False, True
        elif symbolic:
            ctx.check_intrinsic(text, child)
            body = intrinsics.render(text)
        elif isinstance(text, str) or text is None:
            body = text
        else:
            ctx.report(child, f"expected the template text as a string, got {describe(text)}")
            continue
        if body:
            body = strip_bom(body)  # a template pasted with its file's byte order mark: not template text
        result.append(MappingTemplate(key, body or None, ctx.source(child), symbolic, substituted))
    return result


def string_map(
    ctx: Context, value: Any, pointer: str, sources: dict[str, Source] | None = None, prefix: str = ""
) -> dict[str, str]:
    """A parameter mapping (target -> source expression); values must be strings.

    With ``sources``, each entry's source is recorded as ``<prefix>.<key>``.
    """
    result: dict[str, str] = {}
    table = as_mapping(ctx, value, pointer)
    if not table:
        return result
    for key, expression in table.items():
        child = join_pointer(pointer, key)
        text = as_string(ctx, expression, child, symbolic=True)
        if text is not None:
            result[key] = text
            if sources is not None:
                sources[f"{prefix}.{key}"] = ctx.source(child)
    return result


def bool_map(
    ctx: Context, value: Any, pointer: str, sources: dict[str, Source] | None = None, prefix: str = ""
) -> dict[str, bool]:
    """Declared parameters (name -> required); entry sources recorded as in :func:`string_map`."""
    result: dict[str, bool] = {}
    table = as_mapping(ctx, value, pointer)
    if not table:
        return result
    for key, required in table.items():
        child = join_pointer(pointer, key)
        flag = as_bool(ctx, required, child)
        if flag is not None:
            result[key] = flag
            if sources is not None:
                sources[f"{prefix}.{key}"] = ctx.source(child)
    return result


def field_sources(
    ctx: Context, obj: dict[str, Any], pointer: str, keys: Keys, names: tuple[str, ...]
) -> dict[str, Source]:
    """Sources of the fields of ``obj`` present in the file, by model field name."""
    return {
        name: ctx.source(join_pointer(pointer, getattr(keys, name)))
        for name in names
        if getattr(keys, name) in obj
    }


# ---------------------------------------------------------------------------
# Integrations


@dataclass(frozen=True)
class Keys:
    """How a format names the integration fields."""

    type: str
    uri: str
    http_method: str
    request_templates: str
    request_parameters: str
    passthrough_behavior: str
    content_handling: str
    timeout_in_millis: str
    credentials: str
    connection_type: str
    cache_key_parameters: str
    status_code: str
    selection_pattern: str
    response_parameters: str
    response_templates: str


CAMEL = Keys(
    "type", "uri", "httpMethod", "requestTemplates", "requestParameters", "passthroughBehavior",
    "contentHandling", "timeoutInMillis", "credentials", "connectionType", "cacheKeyParameters",
    "statusCode", "selectionPattern", "responseParameters", "responseTemplates",
)
PASCAL = Keys(
    "Type", "Uri", "IntegrationHttpMethod", "RequestTemplates", "RequestParameters", "PassthroughBehavior",
    "ContentHandling", "TimeoutInMillis", "Credentials", "ConnectionType", "CacheKeyParameters",
    "StatusCode", "SelectionPattern", "ResponseParameters", "ResponseTemplates",
)

_INTEGRATION_FIELDS = (
    "type", "uri", "http_method", "request_templates", "request_parameters", "passthrough_behavior",
    "content_handling", "timeout_in_millis", "credentials", "connection_type", "cache_key_parameters",
)
_RESPONSE_FIELDS = ("status_code", "selection_pattern", "response_parameters", "response_templates", "content_handling")

_HTTP_URI = re.compile(r"https?://[^/\s?#]+", re.I)
_AWS_URI = re.compile(r"arn:aws[-a-z]*:apigateway:[^:]+:[^:]+:(path|action)/.+\Z")
_PROXY_TARGET = re.compile(r":(lambda|firehose):")


def build_integration(ctx: Context, obj: dict[str, Any], pointer: str, keys: Keys) -> Integration:
    """The integration fields other than the responses, validated as API Gateway does."""
    at = lambda key: join_pointer(pointer, key)  # noqa: E731
    kind = None
    if keys.type not in obj:
        ctx.report(pointer, f"missing required key {keys.type!r} (the integration type)")
    else:
        kind = as_enum(ctx, obj[keys.type], at(keys.type), INTEGRATION_TYPES, "integration type")
    integration = Integration(type=kind or "", source=ctx.source(pointer))
    integration.sources = field_sources(ctx, obj, pointer, keys, _INTEGRATION_FIELDS)

    raw_uri = obj.get(keys.uri)
    integration.uri_raw = raw_uri
    integration.uri = as_string(ctx, raw_uri, at(keys.uri), symbolic=True)
    if kind and kind != "MOCK" and not integration.uri:
        ctx.report(pointer, f"missing required key {keys.uri!r} (needed by {kind} integrations)")
    elif kind and integration.uri and (not intrinsics.is_symbolic(raw_uri) or ctx.evaluator is not None) \
            and "<" not in integration.uri:  # an unresolved <...> value is warned about, not checked
        _check_uri(ctx, kind, integration.uri, at(keys.uri))

    if keys.http_method in obj:
        integration.http_method = as_enum(ctx, obj[keys.http_method], at(keys.http_method), HTTP_METHODS,
                                          "HTTP method")
    elif kind and kind != "MOCK":
        ctx.report(pointer, f"missing required key {keys.http_method!r} (needed by {kind} integrations)")

    integration.request_templates = templates(ctx, obj.get(keys.request_templates), at(keys.request_templates))
    integration.request_parameters = string_map(ctx, obj.get(keys.request_parameters), at(keys.request_parameters),
                                                integration.sources, "request_parameters")
    if obj.get(keys.passthrough_behavior) is not None:
        integration.passthrough_behavior = (
            as_enum(ctx, obj[keys.passthrough_behavior], at(keys.passthrough_behavior), PASSTHROUGH_BEHAVIORS,
                    "passthrough behavior") or DEFAULT_PASSTHROUGH
        )
    if obj.get(keys.content_handling) is not None:
        integration.content_handling = as_enum(ctx, obj[keys.content_handling], at(keys.content_handling),
                                               CONTENT_HANDLINGS, "content handling")
    if obj.get(keys.timeout_in_millis) is not None:
        integration.timeout_in_millis = _timeout(ctx, obj[keys.timeout_in_millis], at(keys.timeout_in_millis))
    integration.credentials = as_string(ctx, obj.get(keys.credentials), at(keys.credentials), symbolic=True)
    integration.connection_type = as_string(ctx, obj.get(keys.connection_type), at(keys.connection_type))
    cache_keys = as_list(ctx, obj.get(keys.cache_key_parameters), at(keys.cache_key_parameters)) or []
    integration.cache_key_parameters = [
        s for i, item in enumerate(cache_keys)
        if (s := as_string(ctx, item, join_pointer(at(keys.cache_key_parameters), i))) is not None
    ]
    return integration


def _check_uri(ctx: Context, kind: str, uri: str, pointer: str) -> None:
    """The URI API Gateway accepts for ``kind``; a refused one is reported with what is wrong with it."""
    if kind in ("HTTP", "HTTP_PROXY"):
        if not _HTTP_URI.match(uri) and "${stageVariables." not in uri:
            placeholder = _PLACEHOLDER.search(uri)
            if placeholder:
                ctx.report(pointer, f"the HTTP endpoint holds an unsubstituted {placeholder.group(0)}: "
                                    f"{_substitution_advice(ctx, placeholder.group(1))}: {uri!r}")
            else:
                ctx.report(pointer, f"Invalid HTTP endpoint specified for URI: {uri!r}")
    elif kind in ("AWS", "AWS_PROXY"):
        problem = _aws_uri_problem(ctx, uri)
        if problem:
            ctx.report(pointer, f"{problem}: {uri!r}")
        elif kind == "AWS_PROXY" and not _PROXY_TARGET.search(uri):
            ctx.report(pointer, "Integrations of type 'AWS_PROXY' currently only supports Lambda function "
                                "and Firehose stream invocations.")


#: A ``${...}`` that is not a stage variable (API Gateway fills ``${stageVariables.x}`` in itself).
_PLACEHOLDER = re.compile(r"\$\{(?!stageVariables\.)([^{}]*)\}")
_REGION = re.compile(r"[a-z]{2}(?:-[a-z]+)+-\d+\Z")
_SHAPE = "arn:aws:apigateway:<region>:<service>:path/<path> or ...:action/<Action>"


def _aws_uri_problem(ctx: Context, uri: str) -> str | None:
    """Why API Gateway refuses ``uri`` as an AWS service ARN, naming the part that is wrong; None if it is fine.

    A ``${AWS::Region}`` left in a plain string (CloudFormation substitutes only
    inside Fn::Sub) is named as such, not as the missing ``path``/``action``
    that the broken region field makes it look like.
    """
    if _AWS_URI.match(uri):
        return None
    placeholder = _PLACEHOLDER.search(uri)
    if placeholder:
        return (f"the integration ARN holds an unsubstituted {placeholder.group(0)} (nothing replaces it in a plain "
                f"string): {_substitution_advice(ctx, placeholder.group(1))}")
    parts = uri.split(":", 5)
    if parts[0] != "arn" or len(parts) < 5:
        return f"the integration URI is not an ARN: expected {_SHAPE}"
    if parts[2] == "lambda" and len(parts) == 6 and parts[5].startswith("function:"):
        region = parts[3] or "<region>"
        return ("AWS ARN for integration must contain path or action: this is the Lambda function's ARN, and "
                f"API Gateway invokes it through arn:{parts[1]}:apigateway:{region}:lambda:path/2015-03-31/"
                "functions/<that ARN>/invocations")
    if parts[2] != "apigateway":
        return (f"the integration ARN names the service {parts[2]!r} where API Gateway's own ARN is needed "
                f"('apigateway'): expected {_SHAPE}")
    if not parts[1].startswith("aws"):
        return f"the integration ARN's partition {parts[1]!r} is not aws, aws-cn or aws-us-gov"
    if len(parts) == 5:  # one field short: the region or the service was left out
        if _REGION.match(parts[3]):
            return (f"the integration ARN names no AWS service after the region {parts[3]!r}: expected "
                    f"arn:aws:apigateway:{parts[3]}:<service>:{parts[4].split('/', 1)[0]}/...")
        return (f"the integration ARN has no region: {parts[3]!r} is where the region goes, expected "
                f"arn:aws:apigateway:<region>:{parts[3]}:{parts[4].split('/', 1)[0]}/...")
    region, service, rest = parts[3], parts[4], parts[5]
    if not region:
        return f"the integration ARN has no region (arn:aws:apigateway:<region>:{service or '<service>'}:...)"
    if not service:
        return f"the integration ARN names no AWS service after the region {region!r}: expected {_SHAPE}"
    head = rest.split("/", 1)[0]
    if head in ("path", "action"):
        return (f"AWS ARN for integration must contain path or action: '{head}' is not followed by "
                f"{'the path' if head == 'path' else 'the Action'} ({head}/...)")
    return (f"AWS ARN for integration must contain path or action: after the service {service!r} comes "
            f"'path/<path>' or 'action/<Action>', not {head!r}")


def _substitution_advice(ctx: Context, name: str) -> str:
    """How to get the value in: Fn::Sub in a CloudFormation template, the literal value in an OpenAPI file."""
    if ctx.intrinsics:
        return "CloudFormation substitutes ${...} only inside Fn::Sub: write the value as !Sub '...' (Fn::Sub)"
    literal = {"AWS::Region": "the region, such as us-east-1,", "AWS::AccountId": "the 12-digit account id",
               "AWS::Partition": "the partition, aws,"}.get(name.strip(), "the literal value")
    return f"an OpenAPI definition is imported as written: put {literal} in its place"


def _timeout(ctx: Context, value: Any, pointer: str) -> int:
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip().isdecimal():  # as Integer.parseInt reads it
        number = int(value)
    if number is None:
        ctx.report(pointer, f"expected an integer number of milliseconds, got {describe(value)}")
        return DEFAULT_TIMEOUT_MILLIS
    if number < 50:
        ctx.report(pointer, f"timeout {number} ms is below the minimum of 50 ms")
    return number


def build_integration_response(
    ctx: Context,
    obj: dict[str, Any],
    pointer: str,
    keys: Keys,
    selection_pattern: str | None,
) -> IntegrationResponse | None:
    """One integration response; ``""`` patterns are normalised to None (default)."""
    at = lambda key: join_pointer(pointer, key)  # noqa: E731
    if obj.get(keys.status_code) is None:
        ctx.report(pointer, f"missing required key {keys.status_code!r}")
        return None
    status = as_status_code(ctx, obj[keys.status_code], at(keys.status_code))
    if status is None:
        return None
    if selection_pattern and not _valid_java_regex(ctx, selection_pattern,
                                                    at(keys.selection_pattern) if keys.selection_pattern in obj
                                                    else pointer):
        return None
    response = IntegrationResponse(status, selection_pattern or None, source=ctx.source(pointer))
    response.sources = field_sources(ctx, obj, pointer, keys, _RESPONSE_FIELDS)
    response.response_parameters = string_map(ctx, obj.get(keys.response_parameters), at(keys.response_parameters),
                                              response.sources, "response_parameters")
    response.response_templates = templates(ctx, obj.get(keys.response_templates), at(keys.response_templates))
    if obj.get(keys.content_handling) is not None:
        response.content_handling = as_enum(ctx, obj[keys.content_handling], at(keys.content_handling),
                                             CONTENT_HANDLINGS, "content handling")
    return response


def _valid_java_regex(ctx: Context, pattern: str, pointer: str) -> bool:
    """API Gateway refuses a selectionPattern that is not a Java regex when the API is deployed."""
    from vtlgw.vtl.errors import JavaException
    from vtlgw.vtl.jregex import compile_java

    try:
        compile_java(pattern)
    except JavaException as exc:
        ctx.report(pointer, f"selectionPattern {pattern!r} is not a valid Java regex: {exc.message or exc}")
        return False
    return True


def add_integration_response(ctx: Context, integration: Integration, response: IntegrationResponse | None) -> None:
    """Append, refusing a second response for a status (API Gateway keys them by status code)."""
    if response is None:
        return
    for other in integration.integration_responses:
        if other.status_code == response.status_code:
            first = other.source.line if other.source else None
            where = f" (first at line {first})" if first else ""
            ctx.report(
                response.source.pointer if response.source else "",
                f"a second integration response for status {response.status_code}{where}: "
                "API Gateway keeps one integration response per status code, so one of the two would be lost",
            )
            return
    integration.integration_responses.append(response)


# ---------------------------------------------------------------------------
# Resources and methods

def check_path_part(ctx: Context, part: str, pointer: str) -> bool:
    if not is_path_part(part):
        ctx.report(
            pointer,
            f"invalid path part {part!r}: Resource's path part only allow a-zA-Z0-9._- and curly braces at "
            "the beginning and the end and an optional plus sign before the closing brace",
        )
        return False
    return True


def normalise_path(path: str) -> str:
    """``pets/`` -> ``/pets``; the root stays ``/``."""
    parts = split_resource_path(path)
    return "/" + "/".join(parts)


def check_resource_tree(ctx: Context, paths: dict[str, str]) -> None:
    """Sibling and greedy rules API Gateway enforces when creating resources.

    ``paths`` maps each resource path to the pointer that defined it.
    """
    variable_child: dict[str, tuple[str, str]] = {}
    for path, pointer in paths.items():
        parts = split_resource_path(path)
        for index, part in enumerate(parts):
            parent = "/" + "/".join(parts[:index])
            if is_greedy(part) and index != len(parts) - 1:
                ctx.report(pointer, f"resource {path!r}: a greedy path variable {part} cannot have child resources")
                return
            if is_variable(part):
                seen = variable_child.setdefault(parent, (part, pointer))
                if seen[0] != part:
                    ctx.report(
                        pointer,
                        f"resource {path!r}: A sibling ({seen[0]}) of this resource already has a variable path "
                        "part -- only one is allowed",
                    )
                    return


def not_emulated(ctx: Context, method: Method, pointer: str, what: str) -> None:
    """Record a setting of ``method`` that the offline pipeline does not apply."""
    method.not_emulated.append(NotEmulated(f"{method.http_method} {method.resource_path}: {what}",
                                           ctx.source(pointer)))


def proxy_leftovers(ctx: Context, method: Method, pointer: str, keys: "Keys") -> None:
    """Templates and parameter mappings on a proxy integration, which API Gateway ignores (as vtlgw does)."""
    integration = method.integration
    if integration is None or not integration.is_proxy:
        return
    if integration.request_templates:
        not_emulated(ctx, method, join_pointer(pointer, keys.request_templates),
                     f"request templates are ignored on an {integration.type} integration")
    if any(r.response_templates or r.response_parameters for r in integration.integration_responses):
        not_emulated(ctx, method, pointer,
                     f"integration response templates and mappings are ignored on an {integration.type} "
                     "integration")


def add_method(ctx: Context, methods: dict[tuple[str, str], Method], method: Method) -> None:
    if method.key in methods:
        first = methods[method.key].source
        where = f" (first at {first.location})" if first and first.line else ""
        ctx.report(method.source.pointer if method.source else "",
                   f"method {method.http_method} {method.resource_path} is defined twice{where}")
        return
    methods[method.key] = method
