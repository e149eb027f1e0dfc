"""API keys (docs/method-request.md, section 4).

A method with ``apiKeyRequired`` needs a known, enabled key: by default from
the ``x-api-key`` header, or from the authorizer's ``usageIdentifierKey``
when the API's key source is ``AUTHORIZER`` [D:api-gateway-api-key-source].
A missing or unknown key is 403 ``Forbidden``, the ``INVALID_API_KEY``
gateway response [D:supported-gateway-response-types]. An accepted key sets
``$context.identity.apiKey`` and ``apiKeyId`` [D:api-gateway-mapping-template-reference].
Known keys: the definition's ``AWS::ApiGateway::ApiKey`` resources (enabled,
with a ``Value``) and those given to ``invoke`` (``--api-key``, a keys file,
the pytest plugin's ``api_keys=``). Usage plans are not checked (U59).
"""

from __future__ import annotations

from vtlgw.apigw.definition.validation import ApiKey

from .state import StageRejected, StageState

__all__ = ["check", "mask", "known_keys", "HEADER"]

HEADER = "x-api-key"


def mask(key: str) -> str:
    """A key as API Gateway logs it: all but its last 4 characters starred (U57)."""
    return "*" * max(len(key) - 4, 0) + key[-4:]


def known_keys(state: StageState) -> list[ApiKey]:
    """Every key this run accepts: the definition's enabled ones, then those given for the run."""
    return [key for key in [*(getattr(state.definition, "api_keys", None) or []), *state.api_keys] if key.enabled]


def check(state: StageState) -> None:
    """403 ``INVALID_API_KEY`` unless the method needs no key or the request presents a known one."""
    method = state.method
    if not method.api_key_required:
        return
    source = getattr(state.definition, "api_key_source", "HEADER")
    presented = state.usage_identifier_key if source == "AUTHORIZER" else state.request.header_any_case(HEADER)
    where = "the authorizer's usageIdentifierKey" if source == "AUTHORIZER" else f"the {HEADER} header"
    label = f"'{method.http_method} {method.resource_path}'"
    api_stage = f"{state.context.get('apiId') or ''}/{state.stage or state.context.get('stage') or ''}"
    if not presented:
        state.trace.append(f"API key: method {label} requires an API key and {where} gives none (API Gateway "
                           "answers 403)")
        raise StageRejected(f"API Key not provided for method {label}, which requires an API Key",
                            "INVALID_API_KEY", "Forbidden")
    state.log.add(f"Verifying Usage Plan for request: {state.context.get('requestId') or ''}. "
                  f"API Key: {mask(presented)} API Stage: {api_stage}")
    keys = known_keys(state)
    match = next((key for key in keys if key.value == presented), None)
    if match is None:
        hint = "" if keys else " (no API keys are known: define AWS::ApiGateway::ApiKey resources or give --api-key)"
        state.trace.append(f"API key: {mask(presented)} from {where} is not a known key{hint} (API Gateway "
                           "answers 403)")
        raise StageRejected(f"API Key {mask(presented)} not authorized because method {label} requires API Key "
                            f"and API Key is not found for API Stage {api_stage}", "INVALID_API_KEY", "Forbidden")
    state.log.add(f"API Key {mask(presented)} authorized because method {label} requires API Key and API Key "
                  f"is valid for API Stage {api_stage}")
    state.log.add(f"Usage Plan check succeeded for API Key {mask(presented)} and API Stage {api_stage}")
    identity = state.context.get("identity")
    if isinstance(identity, dict):
        identity["apiKey"] = match.value
        identity["apiKeyId"] = match.id
    state.trace.append(f"API key: {mask(presented)} is key {match.name or match.id}; $context.identity.apiKey "
                       "and apiKeyId are set")


def keys_argument(value: object, where: str = "invoke(api_keys)") -> list[ApiKey]:
    """Known keys as given to ``invoke``: key values, ``ApiKey`` objects or ``{"value", "id", "name"}`` maps."""
    from vtlgw.apigw.definition.validation import api_key_id
    from vtlgw.apigw.errors import ArgumentError

    if value is None:
        return []
    if isinstance(value, (str, dict, ApiKey)):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise ArgumentError(f"{where}: expected a list of API key values, not {type(value).__name__}")
    out: list[ApiKey] = []
    for index, item in enumerate(value):
        if isinstance(item, ApiKey):
            out.append(item)
        elif isinstance(item, str) and item:
            out.append(ApiKey(item, api_key_id(item)))
        elif isinstance(item, dict) and isinstance(item.get("value"), str) and item["value"]:
            key_id = item.get("id")
            name = item.get("name")
            if (key_id is not None and not isinstance(key_id, str)) or (name is not None and not isinstance(name,
                                                                                                        str)):
                raise ArgumentError(f"{where}[{index}]: 'id' and 'name' are text")
            out.append(ApiKey(item["value"], key_id or api_key_id(item["value"]), name,
                              enabled=item.get("enabled", True) is not False))
        else:
            raise ArgumentError(f"{where}[{index}]: expected a non-empty key value or "
                                f"{{\"value\": ..., \"id\": ...}}, not {_shown(item)}")
    return out


def _shown(value: object) -> str:
    import json

    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return type(value).__name__


def keys_from_file(path: str) -> list[ApiKey]:
    """``--api-keys FILE``: a JSON list of key values or ``{"value", "id", "name", "enabled"}`` objects.

    A wrong entry is an ``InputFileError`` naming the file and its JSON pointer.
    """
    from vtlgw.apigw import files
    from vtlgw.apigw.errors import ArgumentError, InputFileError

    data = files.read_json(path, files.SETTINGS)
    if not isinstance(data, list):
        raise InputFileError('expected a list of API keys: ["key value", {"value": "...", "id": "..."}]',
                             file=path, pointer="")
    keys: list[ApiKey] = []
    for index, item in enumerate(data):
        try:
            keys.extend(keys_argument([item], where="key"))
        except ArgumentError as exc:
            message = str(exc).split(": ", 1)[-1]
            raise InputFileError(message, file=path, pointer=f"/{index}") from None
    return keys
