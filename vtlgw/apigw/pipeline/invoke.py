"""One method request through one custom integration, in API Gateway's order (docs/integration.md §2).

:func:`invoke` routes the request, runs the request template, builds the
integration request, calls the backend, selects the integration response and
builds the method response, writing the execution log as it goes. Every early
stop is a :class:`~.failures.Failure` raised by the step that hit it; the
``except`` at the bottom turns it into the gateway response and the log tail.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import re
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from vtlgw.apigw import arguments as args
from vtlgw.apigw.definition.authorizers import Authorizer
from vtlgw.apigw.definition.model import ApiDefinition, Integration, MappingTemplate, Method
from vtlgw.apigw.jsonvalue import describe_type
from vtlgw.apigw.definition.placement import place, relocate_error
from vtlgw.apigw.http.content import (ConversionError, Payload, convert_proxy_response, convert_request,
                                      convert_response)
from vtlgw.apigw.http.headers import HIDDEN_FROM_EVENT, REMAPPED_HEADERS, Headers, finalise_headers
from vtlgw.apigw.http.media import first_accept, is_binary_type
from vtlgw.apigw.http.trace import TRACE_HEADER, response_trace_id
from vtlgw.apigw.mapping import override_location, render_with
from vtlgw.apigw.method_request import (AuthorizerReply, StageRejected, StageState, run_http_api_stage,
                                        run_method_request)
from vtlgw.apigw.method_request.api_key import keys_argument
from vtlgw.apigw.proxy import http_api_response, rest_response
from vtlgw.apigw.proxy.choose import event_for, payload_of
from vtlgw.apigw.proxy.response import MALFORMED_LOG_LINE, MERGES
from vtlgw.apigw.request import MethodRequest
from vtlgw.apigw.routed import route
from vtlgw.apigw.wire import as_sent, java_utf8
from vtlgw.vtl import Template
from vtlgw.vtl.diagnostics import Diagnostic, Location
from vtlgw.vtl.errors import TemplateError
from vtlgw.vtl.values import to_text
from vtlgw.vtl.warning import warning

from .backends import AWS, HTTP, LAMBDA, Backend, BackendCall, BackendResponse
from .endpoint import IntegrationRequest, endpoint_url, function_arn, resolve_uri
from .failures import BackendError, Failure
from .gateway import GatewayAnswer, gateway_response
from .http_api_params import map_http_api_request
from .lenient import mock_status_code
from .log import ExecutionLog, java_map
from .params import (
    INVALID_MAPPING,
    BadRequestBody,
    FORBIDDEN_AWS_HEADERS,
    FORBIDDEN_HEADERS,
    IntegrationResponseView,
    Mapped,
    MappingError,
    SourceReader,
    map_request_parameters,
    map_response_parameters,
)
from .selection import PatternError, select_response
from .templates import choose_request_template, choose_response_template

__all__ = ["invoke", "InvokeResult", "MAX_BODY_BYTES", "REMAPPED_HEADERS"]

#: A method request body larger than this is refused with 413 [D:limits].
MAX_BODY_BYTES = 10 * 1024 * 1024

_UNABLE_REQUEST = "Unable to transform request"
_UNABLE_RESPONSE = "Unable to transform response"
_INTERNAL = '{"message": "Internal server error"}'
_BINARY = "[Binary Data]"
#: What an HTTP API answers where a REST API would use a gateway response (U51); the rest are 500s.
HTTP_API_ERRORS = {
    "NOT_FOUND": (404, "Not Found"),
    "UNAUTHORIZED": (401, "Unauthorized"),
    "ACCESS_DENIED": (403, "Forbidden"),
    "INTEGRATION_TIMEOUT": (503, "Service Unavailable"),
    "REQUEST_TOO_LARGE": (413, "Request Entity Too Large"),
}
HTTP_API_ERROR_BODY = '{"message":"%s"}'
#: Lambda's answer to an invocation with a method other than POST (aws/serverless-application-model issue 430).
_LAMBDA_REFUSAL = ("<AccessDeniedException>\n<Message>Unable to determine service/operation name to be "
                   "authorized</Message>\n</AccessDeniedException>\n")


@dataclass
class InvokeResult:
    """The method response and everything a test or the CLI wants to see about the run.

    ``headers`` holds the last value per name, ``multi_value_headers`` all of
    them. ``body`` is text; a binary body is base64 with ``is_base64_encoded``.
    ``error`` is the underlying template or configuration error (None when the
    run had none, including client errors such as 415). ``match_value`` is
    the string the selection patterns were matched against. ``trace`` says, in
    order, what the pipeline decided and why (route, template choice,
    passthrough, each selection pattern and the value it was tested against,
    mappings and overrides applied): the execution log records what AWS
    prints, the trace what a test author needs when a result surprises them.
    ``warnings`` are warning :class:`~vtlgw.vtl.diagnostics.Diagnostic` objects
    located in the definition (or the template) that caused them.
    ``handler_output`` is what an in-process handler (a Python Lambda function or
    HTTP callable) printed during the call, stdout and stderr together: the
    function's log lines, kept apart from the execution log and the response.
    """

    status: int
    headers: dict[str, str]
    multi_value_headers: dict[str, list[str]]
    body: str
    is_base64_encoded: bool
    integration_request: IntegrationRequest | None
    log: str
    log_lines: list[str]
    latency_ms: int
    error: str | None = None
    warnings: list[Diagnostic] = field(default_factory=list)
    match_value: str | None = None
    integration_status: int | None = None
    trace: list[str] = field(default_factory=list)
    request_id: str = ""
    request_time: str = ""
    request_time_epoch: int = 0
    handler_output: str = ""
    #: The values CloudFormation would have computed that this method's run used (its own, and the
    #: API's such as stage variables), evaluated against the supposed stack: ``Substitution`` objects.
    substitutions: list = field(default_factory=list)

    @property
    def body_bytes(self) -> bytes:
        return base64.b64decode(self.body) if self.is_base64_encoded else java_utf8(self.body)

    def json(self) -> Any:
        """The body parsed as JSON (raises ValueError when it is not JSON)."""
        return json.loads(self.body)


def invoke(definition: ApiDefinition, request: MethodRequest | dict | None = None, *, method: str | None = None,
           path: str | None = None, backend: Backend | None = None, stage: str | None = None,
           stage_variables: dict[str, str] | None = None, context_overrides: dict | None = None,
           truncate_log: bool = False, fresh: bool = False, proxy_header_merge: str = "recorded",
           report_latency: bool = True, api_keys: Any = None, authorizer: Backend | None = None,
           claims: dict[str, Any] | None = None) -> InvokeResult:
    """Run ``request`` through the method it routes to (by ``method``/``path`` or the request's own).

    ``fresh`` gives a random request id and the current time instead of the
    fixed, reproducible defaults (a request file's ``requestContext`` still wins).
    ``proxy_header_merge`` is how a Lambda proxy response's ``headers`` and
    ``multiValueHeaders`` combine: ``"recorded"`` (both kept) or ``"docs"`` (U32).
    ``report_latency=False`` reports 0 ms in the result and the log (for
    reproducible test output); timeouts still use the measured time.
    ``api_keys`` are API keys the run accepts besides the definition's own:
    key values, ``ApiKey`` objects or ``{"value", "id", "name"}`` maps.
    ``authorizer`` answers the method's Lambda authorizer (a backend such as
    ``LambdaHandler``), in place of the template's own function; ``claims``
    are a Cognito authorizer's claims, in place of decoding the caller's token.

    ``request`` is a :class:`MethodRequest`, a dict in the request-file shape
    (read as ``vtlgw.render`` reads one; its warnings join the result's) or
    None (``GET /``).

    Raises :class:`BackendError` (a ``VtlError``) when the integration cannot be
    run at all: no backend for a non-MOCK integration, a backend of the wrong
    kind, an HTTP proxy integration; an ``ArgumentError`` (a ``VtlError``) names
    an argument of the wrong kind. Everything API Gateway itself would answer,
    errors included, comes back as an :class:`InvokeResult`.
    """

    if proxy_header_merge not in MERGES:
        raise BackendError(f"proxy_header_merge must be one of {', '.join(MERGES)}, "
                           f"not {proxy_header_merge!r}")
    request, request_warnings = _check_arguments(definition, request, method, path, backend, stage)
    run = _Run(definition, request, method, path, backend, stage,
               args.stage_variables_argument("invoke", stage_variables),
               args.context_argument("invoke", "context_overrides", context_overrides), truncate_log, fresh)
    run.proxy_header_merge = proxy_header_merge
    run.report_latency = report_latency
    run.api_keys = keys_argument(api_keys)  # known besides the definition's AWS::ApiGateway::ApiKey values
    if authorizer is not None and not hasattr(authorizer, "call"):
        raise args.ArgumentError("invoke(authorizer): expected a backend (LambdaHandler, LambdaResult, ...), not "
                                 f"{type(authorizer).__name__}")
    if claims is not None and not isinstance(claims, dict):
        raise args.ArgumentError(f"invoke(claims): expected a dict of claims, not {type(claims).__name__}")
    run.authorizer_backend, run.claims = authorizer, claims
    result = run.execute()
    result.warnings[:0] = request_warnings
    return result


def _check_arguments(definition: Any, request: Any, method: Any, path: Any, backend: Any,
                     stage: Any) -> tuple[MethodRequest, list[Diagnostic]]:
    """:func:`invoke`'s arguments as the README gives them, or an ``ArgumentError`` naming the one that is not."""
    if not isinstance(definition, ApiDefinition):
        hint = "; load it first: load_definition(path)" if isinstance(definition, (str, bytes)) or hasattr(
            definition, "__fspath__") else ""
        raise args.ArgumentError(f"invoke(definition): expected an ApiDefinition, not "
                                 f"{describe_type(definition)}{hint}")
    args.optional_text("invoke", "method", method, "HTTP method")
    args.optional_text("invoke", "path", path, "request path")
    args.optional_text("invoke", "stage", stage, "stage name")
    if backend is not None and not callable(getattr(backend, "call", None)):
        raise args.ArgumentError(f"invoke(backend): expected a backend (MockBackend(), LambdaResult(value), "
                                 f"LambdaHandler(fn), HttpResponse(status, headers, body), …), not "
                                 f"{describe_type(backend)}" + ("; a recorded file's shape is "
                                                                "backend_from_dict(obj)" if isinstance(backend, dict)
                                                                else ""))
    return args.method_request("invoke", request)


class _Run:
    """The state of one invocation (kept on an object so each step stays a small method)."""

    def __init__(self, definition: ApiDefinition, request: MethodRequest, verb: str | None, path: str | None,
                 backend: Backend | None, stage: str | None, stage_variables: dict[str, str] | None,
                 context_overrides: dict | None, truncate_log: bool, fresh: bool = False) -> None:
        self.started = time.perf_counter()
        self.definition = definition
        self.verb = (verb or request.http_method).upper()
        self.path = path or request.path
        self.backend = backend
        self.stage = stage
        self.extra_stage_variables = stage_variables
        self.context_overrides = context_overrides
        self.truncate_log = truncate_log
        self.fresh = fresh
        self.proxy_header_merge = "recorded"
        self.report_latency = True
        self.api_keys: list[Any] = []
        self.claims: dict[str, Any] | None = None  # Cognito claims given for the run
        self.authorizer_backend: Backend | None = None  # what answers a Lambda authorizer (else its function)
        self.stage_state: StageState | None = None
        self.request = request
        self.warnings: list[Diagnostic] = []
        self.rendered: list[tuple[Template, MappingTemplate]] = []  # run so far, to locate what they set
        self.integration_request: IntegrationRequest | None = None
        self.match_value: str | None = None
        self.integration_status: int | None = None
        self.method: Method | None = None
        self.trace: list[str] = []
        self.handler_output = ""

    # ------------------------------------------------------------------ top level

    def execute(self) -> InvokeResult:
        routed = route(self.definition, self.request, http_method=self.verb, path=self.path, stage=self.stage,
                       stage_variables=self.extra_stage_variables, context_overrides=self.context_overrides,
                       fresh=self.fresh)
        self.routed = routed
        self.request, self.mctx, self.method = routed.request, routed.mctx, routed.method
        ctx = self.mctx.context
        self.request_id = to_text(ctx.get("requestId"))
        epoch = ctx.get("requestTimeEpoch")
        self.epoch_ms = epoch if isinstance(epoch, int) else 0
        self.log = ExecutionLog(self.request_id, self.epoch_ms, truncate=self.truncate_log)
        self.log.add(f"Starting execution for request: {self.request_id}")
        self.log.add(f"HTTP Method: {self.verb}, Resource Path: {self.path}")
        if self.method is None and self.http_api:
            self.trace.append(f"route: no route matches {self.verb} {self.path} and there is no $default route "
                              "(the HTTP API answers 404)")
            return self._failed(Failure("Execution failed: no route matches", response_type="NOT_FOUND"))
        if self.method is None:
            self.trace.append(f"route: no method matches {self.verb} {self.path} (API Gateway answers 403)")
            failure = Failure("Execution failed: Missing Authentication Token",
                              response_type="MISSING_AUTHENTICATION_TOKEN")
            return self._failed(failure)
        params_text = ", ".join(f"{k}={v!r}" for k, v in self.request.path_parameters.items())
        self.trace.append(f"route: {self.verb} {self.path} -> {self.method.http_method} {self.method.resource_path}"
                          + (f" (path parameters {params_text})" if params_text else ""))
        for note in self.method.not_emulated:
            self.warnings.append(note.diagnostic())
        integration = self.method.integration
        if integration is None:
            raise BackendError(f"{self.verb} {self.method.resource_path} has no integration")
        if integration.is_proxy and integration.type != "HTTP_PROXY" and not integration.is_lambda:
            raise BackendError(f"{self.verb} {self.method.resource_path} uses a {integration.type} integration "
                               f"({integration.uri}); vtlgw runs custom integrations, Lambda proxy "
                               "and HTTP proxy integrations")
        self.integration = integration
        if not integration.is_proxy:
            self._warn_undeclared_statuses(integration)
        self._log_method_request()
        try:
            # authorizer, API key, validation (docs/method-request.md); an HTTP API route's JWT authorizer
            self.stage_state = StageState(self.definition, self.method, self.request, self.mctx.context,
                                          self.log, self.trace, self.warnings, self.api_keys,
                                          stage=to_text(self.mctx.context.get("stage")),
                                          stage_variables=dict(self.mctx.stage_variables or {}),
                                          call_authorizer=self._call_authorizer,
                                          request_event=lambda payload=None: event_for(self.definition, self.routed,
                                                                                       payload=payload),
                                          claims=self.claims,
                                          payload_version=payload_of(self.definition, self.routed)
                                          if self.http_api else None)
            if self.http_api:
                run_http_api_stage(self.stage_state)
            else:
                run_method_request(self.stage_state)
            if integration.type == "HTTP_PROXY":
                return self._run_http_proxy(integration)
            if integration.is_proxy:
                return self._run_lambda_proxy(integration)
            return self._run(integration)
        except (Failure, StageRejected) as failure:
            return self._failed(failure)

    def _run(self, integration: Integration) -> InvokeResult:
        raw = self._request_bytes()
        choice = choose_request_template(integration.request_templates, self.request.content_type,
                                         integration.passthrough_behavior)
        self.trace.append(_template_decision(choice, self.request.content_type, integration))
        if choice.reject:
            raise Failure(f"Execution failed: Request content type {choice.key} does not match any template "
                          f"and passthrough behavior is {integration.passthrough_behavior}",
                          response_type="UNSUPPORTED_MEDIA_TYPE")
        binary = is_binary_type(self.request.content_type, self.definition.binary_media_types)
        try:
            payload = convert_request(raw, binary, integration.content_handling)
        except ConversionError as exc:
            raise Failure.config(_UNABLE_REQUEST, f"contentHandling CONVERT_TO_BINARY: {exc}") from None
        rendered: str | None = None
        if choice.text is not None and choice.template is not None:
            rendered = self._render(choice.template, payload, "request", _UNABLE_REQUEST)
        self._check_duplicates()
        self._reset_override_tracking()

        if integration.is_mock:
            response, status = self._mock(rendered, choice.template)
        else:
            response, status = self._call_backend(integration, choice.key, choice.passthrough, payload, rendered)
        return self._respond(integration, response, status, rendered is None and integration.is_mock)

    # ------------------------------------------------------------------ Lambda proxy

    def _run_lambda_proxy(self, integration: Integration) -> InvokeResult:
        """AWS_PROXY: the event in, the function's response validated out (docs/proxy.md §1, §3)."""

        self._request_bytes()  # the size check
        if self.http_api:  # HTTP API mapping keys (overwrite:header.x) are not REST's
            mapped = Mapped()
            self.trace.append(f"HTTP API: payload format {payload_of(self.definition, self.routed)}")
        else:
            mapped = self._map_parameters(integration)  # Authorization, Content-Length, ...: a 500 as for AWS
        try:
            event = event_for(self.definition, self.routed)
        except ConversionError as exc:  # contentHandling CONVERT_TO_BINARY on a body that is not base64 (U66)
            raise Failure.config(_UNABLE_REQUEST, f"contentHandling CONVERT_TO_BINARY: {exc}") from None
        state = self.stage_state
        latency = state.authorizer_latency_ms if state is not None else None
        if latency is not None and isinstance(event.get("requestContext"), dict):
            # A Lambda authorizer's entry also has its latency, which templates do not see (docs/proxy.md §1).
            authorizer = event["requestContext"].get("authorizer")
            if isinstance(authorizer, dict):
                authorizer["integrationLatency"] = latency if self.report_latency else 0
        body = as_sent(json.dumps(event, ensure_ascii=False))  # as the event goes over the wire
        url = endpoint_url(integration.uri or "", integration.type, to_text(self.mctx.context.get("accountId")))
        # As for a custom Lambda integration; the client's headers travel in the event.
        headers = {**self._endpoint_headers(), **mapped.header, "Content-Type": ["application/json"]}
        verb = (integration.http_method or "POST").upper()
        if verb != "POST":
            self._lambda_refuses(integration, verb, url)
        request = IntegrationRequest(uri=url, http_method="POST", headers={k: v[-1] for k, v in headers.items()},
                                     multi_value_headers=headers, query={}, body=body, is_base64_encoded=False,
                                     path_parameters={})
        self.log.value("Endpoint request URI", request.url)
        self.log.value("Endpoint request headers", java_map(headers))
        self.log.value("Endpoint request body after transformations", body)
        response, call = self._send(LAMBDA, integration, request)
        self.log.value("Endpoint response body before transformations", response.text)
        self.log.value("Endpoint response headers", java_map(response.headers))
        self.integration_status = response.status
        if response.is_function_error:
            message = _error_message(response.function_error)
            self.log.add(f"Lambda execution failed with status 200 due to customer function error: {message}. "
                         f"Lambda request id: {call.lambda_request_id}")
        if payload_of(self.definition, self.routed) == "2.0":
            result = http_api_response(response.body, function_error=response.is_function_error)
        else:
            result = rest_response(response.body, function_error=response.is_function_error,
                                   accept=self.request.accept, binary_media_types=self.definition.binary_media_types,
                                   merge=self.proxy_header_merge)
            if self.http_api and not result.valid:  # an HTTP API answers 500, not REST's 502 (docs/proxy.md)
                result = dataclasses.replace(result, status=500, body=HTTP_API_ERROR_BODY % "Internal Server Error",
                                             headers={"Content-Type": "application/json"},
                                             multi_value_headers={"Content-Type": ["application/json"]})
        if not result.valid:
            if not response.is_function_error:
                self.log.add(MALFORMED_LOG_LINE)
            self.log.add(f"Method completed with status: {result.status}")
            what = "The Lambda function failed" if response.is_function_error else "Malformed Lambda proxy response"
            headers = self._http_api_headers(result.multi_value_headers) if self.http_api else \
                result.multi_value_headers
            return self._result(result.status, headers, result.body, False,
                                f"{what}:" + "".join(f"\n  - {reason}" for reason in result.reasons))
        self.log.value("Method response body after transformations",
                       _BINARY if result.is_base64_encoded else result.body)
        self.log.value("Method response headers", java_map(result.multi_value_headers))
        self.log.add("Successfully completed execution")
        self.log.add(f"Method completed with status: {result.status}")
        if self.http_api:
            out = self._result(result.status, self._http_api_headers(result.multi_value_headers), result.body,
                               result.is_base64_encoded, None)
            out.headers = {**dict(result.headers), "apigw-requestid": out.headers["apigw-requestid"]}
            return out
        out = self._result(result.status, self._with_trace_id(result.multi_value_headers), result.body,
                           result.is_base64_encoded, None)
        out.headers = {**dict(result.headers), TRACE_HEADER: out.headers[TRACE_HEADER]}  # values joined with ", "
        return out

    # ------------------------------------------------------------------ HTTP proxy

    def _run_http_proxy(self, integration: Integration) -> InvokeResult:
        """HTTP_PROXY: the client's request forwarded, the backend's answer returned (docs/proxy.md, section 6)."""
        raw = self._request_bytes()
        sent = self.routed.path_parameters  # as the client sent them, still percent-encoded
        client = {name: list(values) for name, values in self.request.headers.items()
                  if values and name.lower() not in HIDDEN_FROM_EVENT and name.lower() not in _NOT_FORWARDED}
        query = {name: list(values) for name, values in self.request.query.items()}
        uri = integration.uri or ""
        if self.http_api:
            mapped_api = map_http_api_request(integration.request_parameters, self.request, self.mctx.context,
                                              self.mctx.stage_variables, self.request.path_parameters, client, query)
            headers, query = mapped_api.headers, mapped_api.query
            for line in mapped_api.applied:
                self.trace.append(f"parameter mapping: {line}")
            uri = _fill_path(uri, sent, self.mctx.stage_variables)
            if mapped_api.path is not None:
                uri = _replace_path(uri, mapped_api.path)
        else:
            mapped = self._map_parameters(integration)
            headers = client
            for name, values in mapped.header.items():
                Headers(headers).set(name, values)
            query.update(mapped.querystring)
            # A mapped path value that is the client's own parameter goes as the client sent it (U52).
            raw_values = {name: sent[name] for name, values in mapped.path.items()
                          if name in sent and values and values[-1] == self.request.path_parameters.get(name)}
            uri = _fill_path(uri, raw_values, {})
            uri = resolve_uri(uri, mapped.path, self.mctx.stage_variables, self.warnings,
                              _definition_location(integration.where("uri")))
        headers[TRACE_HEADER] = [response_trace_id(self.request.header_any_case(TRACE_HEADER), self.epoch_ms,
                                                   self.request_id)]
        verb = (integration.http_method or "ANY").upper()
        verb = self.verb if verb == "ANY" else verb
        try:  # the integration's contentHandling, by the documented request table (U66)
            sent_payload = convert_request(raw, is_binary_type(self.request.content_type,
                                                               self.definition.binary_media_types),
                                           None if self.http_api else integration.content_handling)
        except ConversionError as exc:
            raise Failure.config(_UNABLE_REQUEST, f"contentHandling CONVERT_TO_BINARY: {exc}") from None
        try:
            body, b64 = sent_payload.data.decode("utf-8"), False
        except UnicodeDecodeError:
            body, b64 = base64.b64encode(sent_payload.data).decode("ascii"), True
        request = IntegrationRequest(uri=uri, http_method=verb, headers={k: v[-1] for k, v in headers.items() if v},
                                     multi_value_headers=headers, query=query, body=body, is_base64_encoded=b64,
                                     path_parameters={})
        self.log.value("Endpoint request URI", request.url)
        self.log.value("Endpoint request headers", java_map(headers))
        self.log.value("Endpoint request body after transformations", _BINARY if b64 else body)
        response, _call = self._send(HTTP, integration, request)
        content_type = _last(response.headers, "Content-Type")
        binary = is_binary_type(content_type, self.definition.binary_media_types)
        self.log.value("Endpoint response body before transformations", _BINARY if binary else response.text)
        self.log.value("Endpoint response headers", java_map(response.headers))
        self.integration_status = response.status
        if self.http_api:  # bytes pass through; only text that is not UTF-8 needs base64 to be shown
            try:
                out_body, out_b64 = response.body.decode("utf-8"), False
            except UnicodeDecodeError:
                out_body, out_b64 = base64.b64encode(response.body).decode("ascii"), True
            out_headers = self._http_api_headers({k: list(v) for k, v in response.headers.items()})
        else:
            # Bytes only for a binary Content-Type and a binary first Accept; base64 text for a binary
            # Content-Type without one; else text, invalid UTF-8 as U+FFFD (U52, U65).
            accept_binary = is_binary_type(first_accept(self.request.accept), self.definition.binary_media_types)
            out = convert_proxy_response(response.body, binary, accept_binary,
                                         bool(self.definition.binary_media_types))
            if out.binary:
                out_body, out_b64 = base64.b64encode(out.data).decode("ascii"), True
            else:
                out_body, out_b64 = out.data.decode("utf-8", "replace"), False
            out_headers = finalise_headers(list(response.headers.items()))
        self.log.value("Method response body after transformations", _BINARY if out_b64 else out_body)
        self.log.value("Method response headers", java_map(out_headers))
        self.log.add("Successfully completed execution")
        self.log.add(f"Method completed with status: {response.status}")
        self.trace.append(f"HTTP proxy: {verb} {request.url} answered {response.status}")
        return self._result(response.status, out_headers, out_body, out_b64, None)

    @property
    def http_api(self) -> bool:
        """An HTTP API (API Gateway v2): no gateway responses, its own error answers and response rules."""
        return getattr(self.definition, "protocol", "REST") == "HTTP"

    def _http_api_headers(self, headers: dict[str, list[str]]) -> dict[str, list[str]]:
        """An HTTP API response carries ``apigw-requestid`` (U51: the value is the extended request id)."""
        out = dict(headers)
        Headers(out).set("apigw-requestid", [to_text(self.mctx.context.get("extendedRequestId")) or self.request_id])
        return out

    def _with_trace_id(self, headers: dict[str, list[str]]) -> dict[str, list[str]]:
        """A proxy response carries ``X-Amzn-Trace-Id``, continuing the client's trace [AWS-rec] (U47)."""
        out = dict(headers)
        client = self.request.header_any_case(TRACE_HEADER)
        Headers(out).set(TRACE_HEADER, [response_trace_id(client, self.epoch_ms, self.request_id)])
        return out

    def _lambda_refuses(self, integration: Integration, verb: str, url: str) -> None:
        """An ``httpMethod`` other than POST: Lambda refuses the call and the client gets a 500 [AWS-rec].

        The function is not run. Lambda's answer is the one users report for a
        GET (aws/serverless-application-model issue 430); the log lines around
        it are vtlgw's (U48).
        """
        self.log.add(f"Sending request to {url}")
        self.log.add("Received response. Status: 403, Integration latency: 0 ms")
        self.log.value("Endpoint response body before transformations", _LAMBDA_REFUSAL)
        self.log.add(f"Lambda invocation failed with status: 403. Lambda request id: "
                     f"{uuid.uuid5(uuid.NAMESPACE_URL, 'lambda:' + self.request_id)}")
        self.trace.append(f"integration: httpMethod {verb}; Lambda is only invoked with POST, so API Gateway "
                          "answers 500 without running the function")
        raise Failure.config("Lambda invocation failed with status: 403",
                             f"{self.verb} {integration_label(self.method)}: the Lambda proxy integration's "
                             f"httpMethod is {verb}; Lambda functions are invoked with POST (API Gateway "
                             "answers 500 Internal server error)")

    # ------------------------------------------------------------------ request side

    def _request_bytes(self) -> bytes:
        """The method request payload; a 413 when it is over API Gateway's limit."""
        try:
            raw = self.request.body_bytes() or b""
        except (ValueError, TypeError):
            raise BackendError("the request body is marked isBase64Encoded but is not base64") from None
        if len(raw) > MAX_BODY_BYTES:
            raise Failure("Execution failed: Request Too Long", response_type="REQUEST_TOO_LARGE")
        return raw

    def _warn_undeclared_statuses(self, integration: Any) -> None:
        """Found as soon as the method is known, with its place: an integration response no method response
        declares fails whenever it is chosen (the error itself comes only then, as on AWS)."""
        for response in integration.integration_responses:
            if response.status_code not in self.method.method_responses:
                self.warnings.append(_undeclared_status_warning(self.method, response))

    def _log_method_request(self) -> None:
        req = self.request
        self.log.value("Method request path", java_map(req.path_parameters))
        self.log.value("Method request query string", java_map(req.single_query()))
        self.log.value("Method request headers", java_map(req.single_headers()))
        binary = req.is_base64_encoded and is_binary_type(req.content_type, self.definition.binary_media_types)
        self.log.value("Method request body before transformations", _BINARY if binary else req.body_text())

    def _template_name(self, template: MappingTemplate, side: str) -> str:
        source = template.source
        if source is not None:
            return f"{source.file}#{source.pointer}"
        assert self.method is not None
        return f"<{self.method.http_method} {self.method.resource_path} {side} template {template.content_type}>"

    def _render(self, template: MappingTemplate, payload: Payload, side: str, failure_text: str) -> str:
        try:
            body = payload.data.decode("utf-8")
        except UnicodeDecodeError:
            raise Failure.config(failure_text, f"the {side} payload is binary (not UTF-8) and a mapping "
                                               f"template ({template.content_type}) would read it") from None
        text = template.template or ""
        warnings: list[Diagnostic] = []
        try:
            compiled = Template.cached(text, self._template_name(template, side))
            self.rendered.append((compiled, template))
            return render_with(compiled, self.mctx, body=body, warnings=warnings)
        except TemplateError as exc:
            raise Failure.config(failure_text, _relocate(exc, template)) from None
        finally:
            self.warnings.extend(_placed(w, template) for w in warnings)

    def _check_duplicates(self) -> None:
        duplicates = self.mctx.duplicate_overrides()
        if duplicates:
            key = duplicates[0]
            raise Failure.config(f"Parameter {key} was overridden more than once",
                                 f"$context.{key} was assigned more than once in one template (U27)")

    def _reset_override_tracking(self) -> None:
        self.mctx.reset_override_tracking()

    def _mock(self, rendered: str | None, template: MappingTemplate | None) -> tuple[BackendResponse, int | None]:
        if rendered is None:
            return BackendResponse(200), None  # passthrough: the default response is used
        status = mock_status_code(rendered)
        if status is None:
            where = template.source if template is not None else None
            detail = (f"the MOCK request template rendered {rendered[:200]!r}, which has no integer "
                      "statusCode (U28)")
            raise Failure.config("Unable to parse statusCode. It should be an integer that is defined in the "
                                 "request template.", f"{where.location}: {detail}" if where is not None else detail)
        self.match_value = str(status)
        self.trace.append(f"selection: match value {self.match_value!r} (the MOCK template's statusCode)")
        return BackendResponse(status), status

    def _map_parameters(self, integration: Integration) -> Mapped:
        assert self.method is not None
        reader = SourceReader(self.request, self.mctx.context, self.mctx.stage_variables,
                              declared=set(self.method.request_parameters))
        try:
            mapped = map_request_parameters(integration.request_parameters, reader,
                                            aws=integration.type in ("AWS", "AWS_PROXY"))
        except MappingError as exc:
            raise Failure.config(INVALID_MAPPING, _mapping_error(integration, str(exc))) from None
        except BadRequestBody:
            raise Failure("Execution failed: Invalid JSON in request body", response_type="BAD_REQUEST_BODY",
                          body='{"message": "Invalid JSON in request body"}',
                          message="Invalid JSON in request body") from None
        for section in ("path", "querystring", "header"):
            for name, values in mapped.section(section).items():
                target = f"integration.request.{section}.{name}"
                self.trace.append(f"request parameter: {target} = {integration.request_parameters.get(target, '?')}"
                                  f" -> {_values_text(values)}")
        forbidden = FORBIDDEN_AWS_HEADERS if integration.type in ("AWS", "AWS_PROXY") else FORBIDDEN_HEADERS
        overrides = self.mctx.request_override()
        for section in ("path", "querystring", "header"):
            target = mapped.section(section)
            for name, value in overrides.get(section, {}).items():
                name = to_text(name)
                if section == "header" and name.lower() in forbidden:
                    raise Failure.config(INVALID_MAPPING, f"requestOverride.header.{name}: the {name} header "
                                                          "cannot be overridden")
                values = [to_text(v) for v in value] if isinstance(value, list) else [to_text(value)]
                self.trace.append(f"requestOverride.{section}.{name} = {_values_text(values)}")
                if section == "header":
                    Headers(target).set(name, values)
                else:
                    target[name] = values
        return mapped

    def _call_backend(self, integration: Integration, key: str, passthrough: bool, payload: Payload,
                      rendered: str | None) -> tuple[BackendResponse, int]:
        mapped = self._map_parameters(integration)
        kind = LAMBDA if integration.is_lambda else AWS if integration.type == "AWS" else HTTP
        uri = resolve_uri(integration.uri or "", mapped.path, self.mctx.stage_variables, self.warnings,
                          _definition_location(integration.where("uri")))
        url = endpoint_url(uri, integration.type, to_text(self.mctx.context.get("accountId")))
        headers = self._endpoint_headers()
        content_type = key if not passthrough else self.request.content_type
        if passthrough and not payload.data and kind == HTTP:
            content_type = None  # no body, no Content-Type: recorded on AWS for a bodiless GET (U64)
        if content_type:
            headers["Content-Type"] = [content_type]
        for name, values in mapped.header.items():
            Headers(headers).set(name, values)
        if rendered is not None:
            body, b64 = rendered, False
        elif payload.binary:
            body, b64 = base64.b64encode(payload.data).decode("ascii"), True
        else:
            body, b64 = payload.data.decode("utf-8", "replace"), False
        logged_body = body  # an empty passthrough body is logged empty, though Lambda gets {} (recorded on AWS)
        if kind == LAMBDA and rendered is None and body == "" and not b64:
            body = "{}"  # U29
        request = IntegrationRequest(
            uri=url, http_method=(integration.http_method or self.verb).upper(),
            headers={k: v[-1] for k, v in headers.items() if v}, multi_value_headers=headers,
            query=dict(mapped.querystring), body=body, is_base64_encoded=b64,
            path_parameters={k: v[-1] for k, v in mapped.path.items() if v})
        self.log.value("Endpoint request URI", request.url)
        self.log.value("Endpoint request headers", java_map(headers))
        self.log.value("Endpoint request body after transformations", _BINARY if b64 else logged_body)
        if kind == LAMBDA:
            self._check_lambda_json(body, b64)
        response, call = self._send(kind, integration, request)
        binary_response = is_binary_type(_last(response.headers, "Content-Type"), self.definition.binary_media_types)
        self.log.value("Endpoint response body before transformations", _BINARY if binary_response else response.text)
        self.log.value("Endpoint response headers", java_map(response.headers))
        if kind == LAMBDA:
            if response.is_function_error:
                message = _error_message(response.function_error)
                self.log.add(f"Lambda execution failed with status 200 due to customer function error: {message}. "
                             f"Lambda request id: {call.lambda_request_id}")
                self.match_value = message
            else:
                self.match_value = ""
        else:
            self.match_value = str(response.status)
        self.integration_status = response.status
        what = ("the Lambda errorMessage" if response.is_function_error else "no function error: the empty string"
                ) if kind == LAMBDA else "the integration response status"
        self.trace.append(f"selection: match value {self.match_value!r} ({what})")
        return response, response.status

    def _call_authorizer(self, authorizer: Authorizer, event: dict[str, Any]) -> AuthorizerReply:
        """Call a Lambda authorizer: the run's authorizer backend, else the template's function in-process."""
        backend = self.authorizer_backend
        function = self.definition.functions.get(authorizer.function_id or "")
        if backend is None and function is not None:
            from .backends import LambdaHandler
            from .local_functions import local_handler, take_init_output

            handler = local_handler(function)  # a BackendError says why it cannot run offline
            self.trace.append(f"authorizer: the template's function {function.logical_id} ({function.handler}), "
                              "run in-process")
            backend = LambdaHandler(handler, init_output=take_init_output(function), environment=function.environment,
                                    timeout_seconds=function.timeout_seconds)
        if backend is None:
            raise BackendError(f"{self.verb} {integration_label(self.method)} has the Lambda authorizer "
                               f"{authorizer.name}, which invokes {authorizer.function_arn or authorizer.uri}; the "
                               "definition has no local code for it: give --authorizer-handler MOD:FN (in tests, "
                               "authorizer=)")
        body = json.dumps(event, ensure_ascii=False)
        url = endpoint_url(authorizer.uri or "", "AWS", to_text(self.mctx.context.get("accountId")))
        self.log.value("Endpoint request URI", url)
        self.log.value("Endpoint request body after transformations", body)
        request = IntegrationRequest(uri=url, http_method="POST", headers={"Content-Type": "application/json"},
                                     multi_value_headers={"Content-Type": ["application/json"]}, query={},
                                     body=as_sent(body), is_base64_encoded=False, path_parameters={})
        call = BackendCall(LAMBDA, request, 30000, self.request_id,
                           str(uuid.uuid5(uuid.NAMESPACE_URL, "authorizer:" + self.request_id)),
                           authorizer.function_arn, self.epoch_ms)
        began = time.perf_counter()
        response = backend.call(call)
        latency = int((time.perf_counter() - began) * 1000)
        self.handler_output += response.handler_output
        if response.timed_out:
            return AuthorizerReply(failure="the authorizer function timed out", timed_out=True, latency_ms=latency)
        if response.is_function_error:
            return AuthorizerReply(error=response.function_error, latency_ms=latency)
        return AuthorizerReply(payload=response.text, latency_ms=latency)

    def _endpoint_headers(self) -> dict[str, list[str]]:
        """What API Gateway itself sends to every integration (docs/integration.md §3.4) [AWS-rec]."""
        api_id = to_text(self.mctx.context.get("apiId"))
        return {"Accept": ["application/json"], "User-Agent": [f"AmazonAPIGateway_{api_id}"],
                "X-Amzn-Apigateway-Api-Id": [api_id]}

    def _send(self, kind: str, integration: Integration,
              request: IntegrationRequest) -> tuple[BackendResponse, BackendCall]:
        """Call the backend with the integration request, logging the exchange; a timeout is the gateway's 504."""
        backend = self._backend_for(kind, integration)
        self.log.add(f"Sending request to {request.url}")
        self.integration_request = request
        arn = function_arn(integration.uri)
        if integration.function_id and (arn is None or "${" in arn):  # a CloudFormation reference, kept symbolic
            account = to_text(self.mctx.context.get("accountId"))
            arn = f"arn:aws:lambda:us-east-1:{account}:function:{integration.function_id}"
        call = BackendCall(kind, request, integration.timeout_in_millis, self.request_id,
                           str(uuid.uuid5(uuid.NAMESPACE_URL, "lambda:" + self.request_id)), arn, self.epoch_ms)
        began = time.perf_counter()
        response = backend.call(call)
        latency = int((time.perf_counter() - began) * 1000)
        self.handler_output += response.handler_output
        if response.timed_out or latency > integration.timeout_in_millis:
            raise Failure("Execution failed due to a timeout error", response_type="INTEGRATION_TIMEOUT",
                          body='{"message": "Endpoint request timed out"}')
        if response.failure is not None:
            # No response at all (an HTTP handler that raised): API Gateway answers an HTTP endpoint it cannot
            # reach (a name that does not resolve, a refused connection) with its 500 and this log line.
            raise Failure.config("Invalid endpoint address",
                                 f"{response.failure}; API Gateway answers an endpoint it cannot reach with 500")
        shown = latency if self.report_latency else 0
        self.log.add(f"Received response. Status: {response.status}, Integration latency: {shown} ms")
        return response, call

    def _check_lambda_json(self, body: str, b64: bool) -> None:
        try:
            if b64:
                raise ValueError("binary payload")
            json.loads(body, parse_constant=_not_json_constant)  # strict: no NaN or Infinity
        except (ValueError, RecursionError) as exc:
            detail = str(exc)
            message = f"Could not parse request body into json: {detail}"
            raise Failure(f"Execution failed: {message}", response_type=None, status=400,
                          body=json.dumps({"message": message}, ensure_ascii=False)) from None

    def _backend_for(self, kind: str, integration: Integration) -> Backend:
        backend = self.backend
        function = self.definition.functions.get(integration.function_id or "")
        if backend is None and kind == LAMBDA and function is not None:
            from .backends import LambdaHandler
            from .local_functions import local_handler, take_init_output

            self.trace.append(f"backend: the template's function {function.logical_id} ({function.handler}, "
                              f"{function.code_dir}), run in-process")
            handler = local_handler(function)
            return LambdaHandler(handler, init_output=take_init_output(function), environment=function.environment,
                                 timeout_seconds=function.timeout_seconds)
        if backend is None:
            what = {LAMBDA: "Lambda", AWS: "AWS service", HTTP: "HTTP"}[kind]
            raise BackendError(f"{self.verb} {integration_label(self.method)} has a {what} integration; "
                               "give a backend (a recorded response or a Python callable)")
        kinds = getattr(backend, "kinds", (LAMBDA, AWS, HTTP))
        if kind not in kinds:
            raise BackendError(f"a {type(backend).__name__} backend cannot answer a {kind} integration "
                               f"({integration.uri})")
        return backend

    # ------------------------------------------------------------------ response side

    def _respond(self, integration: Integration, response: BackendResponse, status: int | None,
                 mock_passthrough: bool) -> InvokeResult:
        assert self.method is not None
        if mock_passthrough:
            defaults = integration.default_responses
            chosen = defaults[0] if defaults else None
            self.trace.append("selection: MOCK passthrough (no request template) -> the default response "
                              + (chosen.status_code if chosen else "(none)"))
        else:
            tried: list[tuple[Any, bool]] = []
            try:
                selection = select_response(integration.integration_responses, self.match_value, tried)
            except PatternError as exc:
                raise Failure.config("Invalid selection pattern", str(exc)) from None
            finally:
                self._trace_selection(integration, tried)
            chosen = selection.response if selection else None
            if selection is not None and not selection.matched:
                self.trace.append(f"selection: no pattern matched -> the default response {chosen.status_code}")
        shown = status if status is not None else 200
        if chosen is None:
            raise Failure.config("No match for output mapping and no default output mapping configured. "
                                 f"Endpoint Response Status Code: {shown}")
        if chosen.status_code not in self.method.method_responses:
            text = f"Output mapping refers to an invalid method response: {chosen.status_code}"
            declared = ", ".join(self.method.method_responses) or "none"
            raise Failure.config(text, _mapping_error(chosen, f"{text} (the method declares {declared}; add "
                                                              f"{chosen.status_code} to its responses)",
                                                      "status_code"))
        method_response = self.method.method_responses[chosen.status_code]

        text = response.text
        view = IntegrationResponseView(response.headers, text, lambda_errors=integration.is_lambda)
        reader = SourceReader(self.request, self.mctx.context, self.mctx.stage_variables, response=view)
        try:
            mapped = map_response_parameters(chosen.response_parameters, reader)
        except MappingError as exc:
            raise Failure.config(INVALID_MAPPING, _mapping_error(chosen, str(exc))) from None
        declared = {name.lower() for name in method_response.header_names}
        headers: list[tuple[str, list[str]]] = []
        for name, values in mapped:
            self.trace.append(f"response parameter: method.response.header.{name} = "
                              f"{chosen.response_parameters.get('method.response.header.' + name, '?')} -> "
                              f"{_values_text(values)}")
            if name.lower() not in declared:
                where = chosen.where(f"response_parameters.method.response.header.{name}")
                self.warnings.append(warning(f"method.response.header.{name} is not declared on method response "
                                             f"{chosen.status_code}; API Gateway would reject the mapping",
                                             _definition_location(where)))
            headers.append((name, values))

        types_set = bool(self.definition.binary_media_types)
        payload_binary = is_binary_type(_last(response.headers, "Content-Type"), self.definition.binary_media_types)
        data = response.body
        template = choose_response_template(chosen.response_templates, self.request.accept)
        if template is None or not template.template:
            self.trace.append(f"response template: none for {chosen.status_code}; the integration response body "
                              "passes through")
        else:
            accept = first_accept(self.request.accept)
            self.trace.append(f"response template: Accept {accept or '(none)'} -> {template.content_type}"
                              f"{_where(template)}")
        if template is not None and template.template:
            rendered = self._render(template, Payload(data, payload_binary), "response", _UNABLE_RESPONSE)
            self._check_duplicates()
            data, payload_binary = java_utf8(rendered), False

        final_status = int(chosen.status_code)
        override = self.mctx.response_override()
        if "status" in override:
            final_status = self._override_status(override["status"], final_status)
            self.trace.append(f"responseOverride.status = {to_text(override['status'])} -> status {final_status}")
        for name, value in (override.get("header") or {}).items():
            self.trace.append(f"responseOverride.header.{to_text(name)} = {to_text(value)}")
            values = [to_text(v) for v in value] if isinstance(value, list) else [to_text(value)]
            headers = [(n, v) for n, v in headers if n.lower() != to_text(name).lower()]
            headers.append((to_text(name), values))

        accept_binary = is_binary_type(first_accept(self.request.accept), self.definition.binary_media_types)
        try:
            body = convert_response(data, payload_binary, accept_binary, types_set, chosen.content_handling)
        except ConversionError as exc:
            raise Failure.config(_UNABLE_RESPONSE, f"contentHandling CONVERT_TO_BINARY: {exc}") from None
        final_headers = finalise_headers(headers)
        body_text, b64 = _body_out(body)
        self.log.value("Method response body after transformations", _BINARY if b64 else body_text)
        self.log.value("Method response headers", java_map(final_headers))
        self.log.add("Successfully completed execution")
        self.log.add(f"Method completed with status: {final_status}")
        return self._result(final_status, final_headers, body_text, b64, None)

    def _trace_selection(self, integration: Integration, tried: list[tuple[Any, bool]]) -> None:
        value = self.match_value or ""
        for response, matched in tried:
            verdict = "matches" if matched else "no match"
            self.trace.append(f"selection: pattern {response.selection_pattern!r} ({response.status_code}) "
                              f"tested against {value!r}: {verdict}" + (" -> chosen" if matched else ""))
        if not integration.integration_responses:
            self.trace.append("selection: the integration has no integration responses")

    def _override_status(self, value: Any, current: int) -> int:
        candidate: int | None = None
        if isinstance(value, int) and not isinstance(value, bool):
            candidate = value
        elif isinstance(value, str) and value.strip().isdecimal():  # as Integer.parseInt reads it
            candidate = int(value.strip())
        if candidate is None or not 100 <= candidate <= 599:
            where, suffix = self._setter_location("responseOverride.status")
            self.warnings.append(warning(f"$context.responseOverride.status {to_text(value)!r} is not a status "
                                         f"code from 100 to 599; it is ignored (U26){suffix}", where))
            return current
        return candidate

    def _setter_location(self, key: str) -> tuple[Location, str]:
        """Where the templates run so far assign ``$context.<key>`` (the last one that does), and the suffix
        a quoted template's report adds to the message (see ``placement``)."""
        for compiled, template in reversed(self.rendered):
            where = override_location(compiled, key)
            if where.line is not None:
                placed = place(template.source, where)
                return placed.location, placed.suffix
        if self.rendered:
            compiled, template = self.rendered[-1]
            return (template.source.to_location() if template.source is not None else Location(compiled.name)), ""
        return Location("<template>"), ""

    # ------------------------------------------------------------------ results

    def _failed(self, failure: Failure) -> InvokeResult:
        self.log.add(failure.log_line)
        if self.http_api:  # HTTP APIs have no gateway responses: fixed answers (U51)
            status, message = HTTP_API_ERRORS.get(failure.response_type or "", (500, "Internal Server Error"))
            self.trace.append(f"stopped: {failure.log_line} (the HTTP API answers {status} {message})")
            self.log.add(f"Method completed with status: {status}")
            headers = self._http_api_headers({"Content-Type": ["application/json"]})
            return self._result(status, headers, HTTP_API_ERROR_BODY % message, False, failure.error)
        self.trace.append(f"stopped: {failure.log_line}"
                          + (f" (gateway response {failure.response_type})" if failure.response_type else ""))
        if failure.response_type is not None:
            answer = gateway_response(self.definition, failure.response_type, request=self.request,
                                      context=self.mctx.context, stage_variables=self.mctx.stage_variables,
                                      message=failure.message, literal_body=failure.body,
                                      error_fields=getattr(failure, "error_fields", None))
        else:
            answer = GatewayAnswer(failure.status or 500, {"Content-Type": ["application/json"]},
                                   failure.body or "")
        status = answer.status
        self.log.add(f"Method completed with status: {status}")
        headers = list(answer.headers.items())
        return self._result(status, finalise_headers(headers, remap=False), answer.body, False, failure.error)

    def _result(self, status: int, headers: dict[str, list[str]], body: str, b64: bool,
                error: str | None) -> InvokeResult:
        # What the client receives is bytes: a lone surrogate a header or body still holds is `?` (wire.py).
        headers = {as_sent(name): [as_sent(v) for v in values] for name, values in headers.items()}
        body = as_sent(body)
        return InvokeResult(
            status=status,
            headers={k: v[-1] for k, v in headers.items() if v},
            multi_value_headers=headers,
            body=body,
            is_base64_encoded=b64,
            integration_request=self.integration_request,
            log=self.log.text,
            log_lines=list(self.log.lines),
            latency_ms=int((time.perf_counter() - self.started) * 1000) if self.report_latency else 0,
            error=error,
            warnings=self.warnings,
            match_value=self.match_value,
            integration_status=self.integration_status,
            trace=list(self.trace),
            handler_output=self.handler_output,
            request_id=self.request_id,
            request_time=to_text(self.mctx.context.get("requestTime")),
            request_time_epoch=self.epoch_ms,
            substitutions=self._substitutions(),
        )

    def _substitutions(self) -> list:
        """The definition's substitutions this method's run depends on: inside the method, or outside every method."""
        found = getattr(self.definition, "substitutions", None) or []
        if not found:
            return []
        methods = [m.source for m in self.definition.methods.values() if m.source is not None]

        def inside(source: Any, method_source: Any) -> bool:
            return source.file == method_source.file and (source.pointer + "/").startswith(method_source.pointer + "/")

        own = self.method.source if self.method is not None else None
        chosen, seen = [], set()
        for item in found:
            where = item.source
            if where is None:
                continue
            if (own is not None and inside(where, own)) or not any(inside(where, m) for m in methods):
                key = (item.written, item.value)
                if key not in seen:
                    seen.add(key)
                    chosen.append(item)
        return chosen


# ---------------------------------------------------------------------------- helpers


def _values_text(values: list[str]) -> str:
    return repr(values[0]) if len(values) == 1 else repr(values)


def _where(template: MappingTemplate) -> str:
    return f" ({template.source.location})" if template.source is not None else ""


def _template_decision(choice: Any, content_type: str | None, integration: Integration) -> str:
    """One trace line for §3.1–3.2: which request template, or passthrough, or 415, and why."""
    given = f"Content-Type {content_type!r}" if content_type else "no Content-Type (taken as application/json)"
    behavior = integration.passthrough_behavior
    if choice.reject:
        keys = ", ".join(t.content_type for t in integration.request_templates) or "none"
        return (f"request template: {given} matches no template (keys: {keys}); passthroughBehavior {behavior} "
                "-> 415")
    if choice.template is None:
        keys = ", ".join(t.content_type for t in integration.request_templates) or "none"
        return (f"request template: {given} matches no template (keys: {keys}); passthroughBehavior {behavior} "
                "-> the body passes through unchanged")
    if choice.passthrough:
        return f"request template: {given} -> {choice.template.content_type}, an empty template: passthrough"
    return f"request template: {given} -> {choice.template.content_type}{_where(choice.template)}"


def integration_label(method: Method | None) -> str:
    return method.resource_path if method else "?"


def _not_json_constant(name: str) -> Any:
    raise ValueError(f"Unrecognized token '{name}': NaN and Infinity are not JSON")


def _last(headers: dict[str, list[str]], name: str) -> str | None:
    return Headers(headers).last(name)


def _error_message(error: Any) -> str:
    """The match value of a function error: ``errorMessage`` as text, compact JSON if not a string (U35)."""
    message = error.get("errorMessage") if isinstance(error, dict) else None
    if message is None:
        return ""
    if isinstance(message, str):
        return message
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False)


def _body_out(payload: Payload) -> tuple[str, bool]:
    if payload.binary:
        return base64.b64encode(payload.data).decode("ascii"), True
    try:
        return payload.data.decode("utf-8"), False
    except UnicodeDecodeError:
        return base64.b64encode(payload.data).decode("ascii"), True


def _undeclared_status_warning(method: Any, response: Any) -> Diagnostic:
    declared = ", ".join(method.method_responses) or "none"
    return warning(f"integration response {response.status_code} has no method response (the method declares "
                   f"{declared}): whenever it is selected, API Gateway answers 500 'Output mapping refers to an "
                   f"invalid method response'", _place_of(response, "status_code"))


def _place_of(obj: Any, field: str) -> Location:
    where = obj.where(field)
    return where.to_location() if where is not None else Location("<definition>")


def _mapping_error(obj: Any, detail: str, field: str | None = None) -> str:
    """``file:line:col: detail`` at the model object (or one of its fields), as far as its place is known."""
    where = (obj.where(field) if field else obj.where()) if hasattr(obj, "where") else None
    return f"{where.location}: {detail}" if where is not None else detail


def _relocate(exc: TemplateError, template: MappingTemplate) -> str:
    """The template error in the definition file's coordinates (docs: one format for every report)."""
    return str(relocate_error(exc, template.source))


def _placed(warning: Diagnostic, template: MappingTemplate) -> Diagnostic:
    """A template warning in the definition file's coordinates, its message saying where in a quoted template."""
    placed = place(template.source, warning.location)
    return dataclasses.replace(warning, location=placed.location, message=warning.message + placed.suffix)


def _definition_location(source: Any) -> Location:
    """A definition :class:`~vtlgw.apigw.definition.model.Source` as a Location (``<definition>`` if unknown)."""
    return source.to_location() if source is not None else Location("<definition>")


#: Client headers an HTTP proxy integration does not forward: the backend's host is the URL's (U52).
_NOT_FORWARDED = frozenset({"host", "content-length"})
_PATH_PLACEHOLDER = re.compile(r"\{([A-Za-z0-9._-]+)\+?\}")


def _fill_path(uri: str, values: dict[str, str], stage_variables: dict[str, str]) -> str:
    """``{name}`` in an HTTP proxy URI replaced by the value as sent; others are left for ``resolve_uri``."""
    if stage_variables:
        uri = re.sub(r"\$\{stageVariables\.([A-Za-z0-9_]+)\}", lambda m: stage_variables.get(m.group(1), ""), uri)
    return _PATH_PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), uri)


def _replace_path(uri: str, path: str) -> str:
    """``overwrite:path``: the URL's path is the mapped value (AWS docs, http-api-parameter-mapping)."""
    found = re.match(r"(https?://[^/?#]+)[^?#]*(.*)\Z", uri, re.I | re.S)
    if found is None:
        return uri
    return found.group(1) + (path if path.startswith("/") else "/" + path) + found.group(2)
