"""Required request parameters (docs/method-request.md, section 2).

API Gateway checks that each parameter a method declares required is in the
request and not blank; it checks no type or format
[D:api-gateway-method-request-validation]. The names missing are listed in
the order of their ``method.request.<location>.<name>`` keys (U53): headers,
then path, then query string, which is the order recorded on AWS
(``[x-header, q]``).
"""

from __future__ import annotations

from vtlgw.apigw.request import MethodRequest

from .state import StageRejected, StageState

__all__ = ["check", "missing_parameters", "MESSAGE"]

MESSAGE = "Missing required request parameters: [{names}]"
_PREFIX = "method.request."


def missing_parameters(required: dict[str, bool], request: MethodRequest) -> list[str]:
    """The names of the required parameters ``request`` lacks or leaves blank, in API Gateway's order."""
    missing: list[tuple[str, str]] = []
    for key, needed in required.items():
        if not needed or not key.startswith(_PREFIX):
            continue
        location, _, name = key[len(_PREFIX):].partition(".")
        if not name:
            continue
        if not _present(request, location, name):
            missing.append((key, name))
    missing.sort(key=lambda item: item[0])
    return [name for _, name in missing]


def _present(request: MethodRequest, location: str, name: str) -> bool:
    if location == "path":
        values = [request.path_parameters[name]] if name in request.path_parameters else []
    elif location in ("querystring", "multivaluequerystring"):
        values = list(request.query.get(name) or [])
    elif location in ("header", "multivalueheader"):
        values = [v for key, vs in request.headers.items() if key.lower() == name.lower() for v in vs]
    else:
        return True  # not a location the validator knows; the loader has reported it
    return any(value.strip() for value in values)


def check(state: StageState) -> None:
    """400 ``BAD_REQUEST_PARAMETERS`` when the validator checks parameters and one is missing."""
    validator = state.method.request_validator
    if validator is None or not validator.validate_parameters:
        return
    missing = missing_parameters(state.method.request_parameters, state.request)
    if not missing:
        state.trace.append(f"request validator {validator.name}: every required parameter is present")
        return
    message = MESSAGE.format(names=", ".join(missing))
    state.trace.append(f"request validator {validator.name}: {message} (API Gateway answers 400)")
    raise StageRejected(message, "BAD_REQUEST_PARAMETERS", message, recorded_body=True,
                        error_fields={"validationErrorString": message})
