"""What the steps of the method request stage share, and how one of them stops the request."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable, Protocol

from vtlgw.apigw.definition.authorizers import Authorizer
from vtlgw.apigw.definition.validation import ApiKey
from vtlgw.apigw.request import MethodRequest
from vtlgw.vtl.diagnostics import Diagnostic

__all__ = ["StageState", "StageRejected", "LogLike", "AuthorizerReply"]


class LogLike(Protocol):
    """The execution log as the stage writes to it (the pipeline's ``ExecutionLog``)."""

    def add(self, text: str) -> None: ...

    def value(self, label: str, value: str) -> None: ...


@dataclass
class StageState:
    """One request going through the stage.

    ``context`` is the request's ``$context`` map: what a step sets there
    (``identity.apiKey``, ``identity.apiKeyId``; an authorizer's
    ``authorizer.*``) is what templates and the proxy event see. ``api_keys``
    are keys known besides the definition's own (the command line, a keys
    file, the test). ``usage_identifier_key`` is the key an authorizer
    returned, read when the API's key source is ``AUTHORIZER``.
    """

    definition: Any
    method: Any
    request: MethodRequest
    context: dict[str, Any]
    log: LogLike
    trace: list[str] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    api_keys: list[ApiKey] = field(default_factory=list)
    usage_identifier_key: str | None = None
    stage: str = ""
    stage_variables: dict[str, str] = field(default_factory=dict)
    #: How a Lambda authorizer is called (the pipeline's backends), and the REQUEST authorizer's event.
    call_authorizer: Callable[[Authorizer, dict[str, Any]], AuthorizerReply] | None = None
    request_event: Callable[..., dict[str, Any]] | None = None  # (payload format or None) -> event
    #: Cognito claims given for the run, in place of decoding the token.
    claims: dict[str, Any] | None = None
    #: A REST Lambda authorizer's latency, which the proxy event's ``requestContext.authorizer`` also
    #: reports (templates do not see it); None without one.
    authorizer_latency_ms: int | None = None
    #: An HTTP API route's payload format ("1.0", "2.0"); None for a REST API.
    payload_version: str | None = None


@dataclass
class AuthorizerReply:
    """What calling a Lambda authorizer gave: its payload text, its function error, or why it could not run."""

    payload: str | None = None
    error: Any = None
    failure: str | None = None
    timed_out: bool = False
    latency_ms: int = 0


class StageRejected(Exception):
    """A step refused the request: the gateway response to answer with and the log line before it.

    Its attributes are those of the pipeline's own early stops (``log_line``,
    ``response_type``, ``status``, ``body``, ``message``, ``error``), so the
    pipeline answers both alike; ``error_fields`` adds ``$context.error`` values
    (``validationErrorString``) for customised gateway responses.
    """

    def __init__(self, log_line: str, response_type: str, message: str, *, recorded_body: bool = False,
                 error_fields: dict[str, str] | None = None) -> None:
        super().__init__(log_line)
        self.log_line = log_line
        self.response_type = response_type
        self.status: int | None = None
        self.message = message
        #: As recorded on AWS, the 400s print their JSON with a space after the colon.
        self.body = json.dumps({"message": message}, ensure_ascii=False) if recorded_body else None
        self.error: str | None = None
        self.error_fields = dict(error_fields or {})
