"""The request body against the method's model (docs/method-request.md, section 3).

The model is the one the method declares for the request's content type
(its MIME type in lower case; no ``Content-Type`` is ``application/json``), or
for ``$default``; with none, the body is not validated
[D:api-gateway-method-request-validation]. Models are JSON Schema draft 4
[D:models-mappings-models], checked with ``jsonschema``'s ``Draft4Validator``;
``$ref`` reaches other models by address and a model's own ``#/...`` parts.
A body that fails is a 400 ``Invalid request body`` [AWS-rec]; the execution
log lists the reasons (U54, U55).
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

from vtlgw.apigw.definition.validation import BUILT_IN_MODELS, MODEL_URL, Model, model_name_from_url
from vtlgw.apigw.jsonvalue import MAX_VALUE_DEPTH
from vtlgw.apigw.errors import InputFileError
from vtlgw.vtl.errors import VtlError

from .messages import describe_errors
from .patterns import PatternProblem as _PatternProblem
from .patterns import search as _search
from .state import StageRejected, StageState

__all__ = ["check", "choose_model", "body_errors", "ModelSchemaError", "MESSAGE", "LOG_LINE"]

MESSAGE = "Invalid request body"
LOG_LINE = "Request body does not match model schema for content type {content_type}: [{errors}]"
DEFAULT_CONTENT_TYPE = "application/json"


class ModelSchemaError(InputFileError):
    """A model that is not a valid draft 4 schema (API Gateway refuses to create it), at its place in the file."""

    @classmethod
    def at(cls, model: Model, message: str, path: Any = ()) -> "ModelSchemaError":
        """The error at ``model`` (and at ``path`` inside its schema, when the place is known)."""
        source = model.source
        if source is None:
            return cls(f"model {model.name}: {message}")
        tokens = "".join("/" + str(t).replace("~", "~0").replace("/", "~1") for t in path)
        if tokens:
            from vtlgw.apigw.definition.model import Source

            inner = Source(source.file, source.pointer + tokens, getattr(source, "_positions", None))
            if inner.line is not None:
                source = inner
        return cls(f"model {model.name}: {message}", file=source.file, pointer=source.pointer, line=source.line,
                   column=source.column)


class BodyTooDeepError(VtlError):
    """A body nested deeper than vtlgw validates (``MAX_VALUE_DEPTH`` levels)."""


def _method_place(method: Any) -> dict[str, Any]:
    source = getattr(method, "source", None)
    if source is None:
        return {}
    return {"file": source.file, "pointer": source.pointer, "line": source.line, "column": source.column}


def _depth(value: Any) -> int:
    """How many containers deep ``value`` nests, found without recursion."""
    deepest = 0
    todo = [(value, 1)]
    while todo:
        item, level = todo.pop()
        if isinstance(item, dict):
            items: Any = item.values()
        elif isinstance(item, list):
            items = item
        else:
            continue
        deepest = max(deepest, level)
        todo.extend((child, level + 1) for child in items if isinstance(child, (dict, list)))
    return deepest


def _frames() -> int:
    """The frames already on the stack."""
    frame, count = sys._getframe(), 0
    while frame is not None:
        frame, count = frame.f_back, count + 1
    return count


def content_type_of(request: Any) -> str:
    """The MIME type the model is chosen by: without parameters, in lower case; application/json if absent."""
    header = request.content_type or ""
    media = header.split(";", 1)[0].strip().lower()
    return media or DEFAULT_CONTENT_TYPE


def choose_model(method: Any, content_type: str) -> str | None:
    """The model name the method declares for ``content_type`` (keys compared ignoring case), else ``$default``."""
    for key, name in method.request_models.items():
        if key.strip().lower() == content_type:
            return name
    return method.request_models.get("$default")


def _model(definition: Any, name: str) -> Model | None:
    found = definition.models.get(name) if definition is not None else None
    if found is None and name in BUILT_IN_MODELS:
        found = Model(name, BUILT_IN_MODELS[name], built_in=True)
    return found


def body_errors(definition: Any, model: Model, instance: Any) -> list[str]:
    """The validation errors of ``instance`` against ``model``, as the execution log lists them."""
    import jsonschema
    from referencing import Registry, Resource
    from referencing.exceptions import NoSuchResource, Unresolvable

    api_id = getattr(definition, "api_id", None) or "offline"

    def retrieve(uri: str) -> Resource:
        name = model_name_from_url(uri)
        target = _model(definition, name) if name is not None else None
        if target is None:
            raise NoSuchResource(ref=uri)
        return Resource.from_contents(target.schema, default_specification=_draft4())

    registry: Registry = Registry(retrieve=retrieve)  # type: ignore[call-arg]
    schema = model.schema
    for reached in _reachable(definition, model):
        try:
            jsonschema.Draft4Validator.check_schema(reached.schema)
        except jsonschema.SchemaError as exc:
            raise ModelSchemaError.at(reached, f"not a valid JSON Schema draft 4 schema: {exc.message}",
                                      exc.path) from None
    root = MODEL_URL.format(api=api_id, name=model.name)
    registry = registry.with_resource(root, Resource.from_contents(schema, default_specification=_draft4()))
    validator = _validator_class()({"$ref": root}, registry=registry, format_checker=_format_checker())
    depth = _depth(instance)
    if depth > MAX_VALUE_DEPTH:
        raise BodyTooDeepError(f"the request body nests {depth} levels deep; vtlgw validates bodies of at most "
                               f"{MAX_VALUE_DEPTH} levels")
    old_limit = sys.getrecursionlimit()
    try:
        # jsonschema descends by recursion: a few frames per level of the body, on top of the caller's
        sys.setrecursionlimit(max(old_limit, _frames() + 40 * depth + 1000))
        errors = list(validator.iter_errors(instance))
    except RecursionError:
        raise ModelSchemaError.at(model, "validation never ends: a $ref loop that reads no part of the body "
                                         "(such as A: {$ref: A})?") from None
    except Unresolvable as exc:  # a $ref to no model: CloudFormation would refuse the model
        raise ModelSchemaError.at(model, f"$ref {exc.ref!r} reaches no model of this API") from None
    except _PatternProblem as exc:
        raise ModelSchemaError.at(model, f"(or a model it reaches): {exc}") from None
    finally:
        sys.setrecursionlimit(old_limit)
    return describe_errors(errors)


def _reachable(definition: Any, model: Model) -> list[Model]:
    """``model`` and every model its ``$ref`` addresses reach, each once: API Gateway refuses to create
    a model that is not a valid schema, so each is checked before it is used."""
    found: list[Model] = []
    seen: set[str] = set()
    todo = [model]
    while todo:
        current = todo.pop()
        if current.name in seen:
            continue
        seen.add(current.name)
        found.append(current)
        stack: list[Any] = [current.schema]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                ref = node.get("$ref")
                name = model_name_from_url(ref) if isinstance(ref, str) else None
                target = _model(definition, name) if name is not None else None
                if target is not None and target.name not in seen:
                    todo.append(target)
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)
    return found


def _draft4() -> Any:
    from referencing.jsonschema import DRAFT4

    return DRAFT4


def check(state: StageState) -> None:
    """400 ``BAD_REQUEST_BODY`` when the validator checks bodies and the body does not match its model."""
    method = state.method
    validator = method.request_validator
    if validator is None or not validator.validate_body:
        return
    content_type = content_type_of(state.request)
    name = choose_model(method, content_type)
    if name is None:
        state.trace.append(f"request validator {validator.name}: no model for {content_type}; the body is not "
                           "validated")
        return
    model = _model(state.definition, name)
    if model is None:
        raise ModelSchemaError(f"{method.http_method} {method.resource_path}: request model {name!r} is not "
                               "defined in the API", **_method_place(method))
    errors = _errors(state, model)
    if not errors:
        state.trace.append(f"request validator {validator.name}: the body matches model {name} ({content_type})")
        return
    listed = ", ".join(errors)
    line = LOG_LINE.format(content_type=content_type, errors=listed)
    state.trace.append(f"request validator {validator.name}: the body does not match model {name}: {listed} "
                       "(API Gateway answers 400)")
    raise StageRejected(line, "BAD_REQUEST_BODY", MESSAGE, recorded_body=True,
                        error_fields={"validationErrorString": f"[{listed}]"})


#: The one reason logged for a body that cannot be read as JSON: empty, not JSON, not UTF-8 (recorded).
UNPARSABLE = "Unknown error parsing request body"


def _errors(state: StageState, model: Model) -> list[str]:
    """Parse the body and validate it; a body that is not JSON (an empty one included) fails (U56, U62)."""
    try:
        raw = state.request.body_bytes() or b""
        text = raw.decode("utf-8")
        instance = json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, TypeError, UnicodeDecodeError, RecursionError) as exc:
        state.trace.append(f"request body: not JSON ({exc})" if str(exc) else "request body: not JSON")
        return [UNPARSABLE]
    return body_errors(state.definition, model, instance)


_CHECKER: Any = None
_VALIDATOR: Any = None

def _validator_class() -> Any:
    """Draft 4, with ``pattern``, ``patternProperties`` and ``additionalProperties`` matching through
    :func:`_search`, so a model cannot make a request take unbounded time."""
    global _VALIDATOR
    if _VALIDATOR is None:
        import jsonschema
        from jsonschema import ValidationError, validators

        def pattern(validator: Any, value: Any, instance: Any, schema: Any) -> Any:
            if validator.is_type(instance, "string") and not _search(value, instance):
                yield ValidationError(f"{instance!r} does not match {value!r}")

        def pattern_properties(validator: Any, value: Any, instance: Any, schema: Any) -> Any:
            if not validator.is_type(instance, "object"):
                return
            for expression, subschema in value.items():
                for key, item in instance.items():
                    if _search(expression, key):
                        yield from validator.descend(item, subschema, path=key, schema_path=expression)

        def additional_properties(validator: Any, value: Any, instance: Any, schema: Any) -> Any:
            if not validator.is_type(instance, "object"):
                return
            known = schema.get("properties", {})
            expressions = list(schema.get("patternProperties", {}))
            extras = [key for key in instance
                      if key not in known and not any(_search(e, key) for e in expressions)]
            if validator.is_type(value, "object"):
                for extra in extras:
                    yield from validator.descend(instance[extra], value, path=extra)
            elif not value and extras:
                yield ValidationError(f"Additional properties are not allowed ({', '.join(map(repr, extras))})")

        _VALIDATOR = validators.extend(jsonschema.Draft4Validator, {
            "pattern": pattern, "patternProperties": pattern_properties,
            "additionalProperties": additional_properties})
    return _VALIDATOR


def _format_checker() -> Any:
    """The ``format`` values the Java validator checks in draft 4, and only those (U74)."""
    global _CHECKER
    if _CHECKER is None:
        import jsonschema

        checker = jsonschema.FormatChecker(formats=())
        for name, check in _FORMAT_CHECKS.items():
            checker.checks(name)(check)
        _CHECKER = checker
    return _CHECKER


def _is_date_time(value: Any) -> bool:
    return not isinstance(value, str) or _DATE_TIME.fullmatch(value) is not None


def _is_email(value: Any) -> bool:
    if not isinstance(value, str):
        return True
    local, at, domain = value.rpartition("@")
    return bool(at and local and domain) and not any(c.isspace() for c in value) and "@" not in domain


def _is_hostname(value: Any) -> bool:
    return not isinstance(value, str) or _HOSTNAME.fullmatch(value) is not None


def _is_ip(version: int) -> Any:
    def check(value: Any) -> bool:
        import ipaddress

        if not isinstance(value, str):
            return True
        try:
            address = ipaddress.ip_address(value)
        except ValueError:
            return False
        return address.version == version

    return check


def _is_uri(value: Any) -> bool:
    return not isinstance(value, str) or _URI.fullmatch(value) is not None


def _is_regex(value: Any) -> bool:
    if not isinstance(value, str):
        return True
    try:
        re.compile(value)
    except re.error:
        return False
    return True


_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,12})?(Z|[+-]\d{2}:?\d{2})")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOSTNAME = re.compile(rf"(?=.{{1,255}}\Z){_LABEL}(?:\.{_LABEL})*")
_URI = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*")
_FORMAT_CHECKS = {"date-time": _is_date_time, "email": _is_email, "hostname": _is_hostname, "ipv4": _is_ip(4),
                  "ipv6": _is_ip(6), "uri": _is_uri, "regex": _is_regex}


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")
