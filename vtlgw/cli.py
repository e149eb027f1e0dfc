"""The ``vtlgw`` command line.

Imports of the engine happen inside the commands, so ``vtlgw --help`` starts
fast. User errors print one screen (``file:line:col``, the line, a caret) and
exit non-zero without a traceback: 1 for template errors, 2 for bad arguments
or input files.
"""

from __future__ import annotations

import dataclasses
import json
import re
import sys
from typing import Any

import click

from vtlgw.lint import options as lint_options

EXIT_TEMPLATE_ERROR = 1
EXIT_BAD_INPUT = 2


class CliError(click.ClickException):
    """A message already in its final form (located where it can be), shown once on stderr, with its exit code."""

    def __init__(self, message: str, exit_code: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file: Any = None) -> None:
        click.echo(self.message, err=True)


def _shown(exc: Exception) -> str:
    """An error as the terminal shows it: located errors in input files get their source line and a caret."""
    shown = getattr(exc, "shown", None)
    return shown() if callable(shown) else str(exc)


def _read_text(path: str, what: str) -> tuple[str, str]:
    """Read a file (or stdin for ``-``) as UTF-8, up to the cap of its kind; return (text, display name)."""
    from vtlgw.apigw import files

    kind = {"template": files.TEMPLATE, "request file": files.REQUEST}.get(what, files.RESPONSE_BODY)
    try:
        if path == "-":
            return files.read_capped(sys.stdin.buffer, kind, "<stdin>").decode("utf-8"), "<stdin>"
        with open(path, "rb") as fh:
            return files.read_capped(fh, kind, path).decode("utf-8"), path
    except files.InputTooLargeError as exc:
        raise CliError(_shown(exc)) from None
    except FileNotFoundError:
        raise CliError(f"error: {what} {path!r} does not exist") from None
    except IsADirectoryError:
        raise CliError(f"error: {what} {path!r} is a directory") from None
    except UnicodeDecodeError as exc:
        raise CliError(f"{path}: error: {what} is not UTF-8 text (byte {exc.start}: {exc.reason})") from None
    except OSError as exc:
        raise CliError(f"error: cannot read {what} {path!r}: {exc.strerror}") from None


# ---------------------------------------------------------------- parameter types


def _request_problem(shape: dict[str, Any]) -> str | None:
    """What the request reader says of ``shape`` (the one set of rules a request file follows too), or None."""
    from vtlgw.apigw.request import request_from_dict
    from vtlgw.vtl import VtlError

    try:
        request_from_dict(shape, "<option>")
    except VtlError as exc:
        return getattr(exc, "message", str(exc))
    return None


class Assignment(click.ParamType):
    """``NAME=VALUE`` as a ``(name, value)`` pair."""

    name = "K=V"

    def convert(self, value: Any, param: Any, ctx: Any) -> tuple[str, str]:
        if isinstance(value, tuple):
            return value
        text = str(value)
        key, sep, rest = text.partition("=")
        if not sep or not key:
            self.fail(f"expected NAME=VALUE, got {text!r}", param, ctx)
        return key, rest


class StageVariable(Assignment):
    """``NAME=VALUE`` checked as a request file's ``stageVariables`` entry is."""

    def convert(self, value: Any, param: Any, ctx: Any) -> tuple[str, str]:
        key, rest = super().convert(value, param, ctx)
        problem = _request_problem({"stageVariables": {key: rest}})
        if problem:
            self.fail(f"{key}={rest}: {problem}", param, ctx)
        return key, rest


class HttpMethod(click.ParamType):
    """An HTTP method a method request can have (any case; upper-cased)."""

    name = "METHOD"

    def convert(self, value: Any, param: Any, ctx: Any) -> str:
        from vtlgw.apigw.request import HTTP_METHODS

        text = str(value).upper()
        if text not in HTTP_METHODS:
            self.fail(f"{value!r} is not one of {', '.join(HTTP_METHODS)}", param, ctx)
        return text


class RequestPath(click.ParamType):
    """A request path with an optional ``?query``, checked as a request file's ``path`` is."""

    name = "PATH"

    def convert(self, value: Any, param: Any, ctx: Any) -> str:
        text = str(value)
        if not text.startswith("/"):
            self.fail(f"{text!r} must start with \"/\" (the path without the stage, e.g. /orders/42)", param, ctx)
        problem = _request_problem({"httpMethod": "GET", "pathWithQueryString": text})
        if problem:
            self.fail(f"{text!r}: {problem}", param, ctx)
        return text


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # an HTTP token (RFC 9110, 5.6.2)
_HEADER_VALUE_BAD = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


class HeaderLine(click.ParamType):
    """``Name: value`` as curl's ``-H`` takes it, as a ``(name, value)`` pair."""

    name = "'NAME: VALUE'"

    def convert(self, value: Any, param: Any, ctx: Any) -> tuple[str, str]:
        if isinstance(value, tuple):
            return value
        text = str(value)
        name, sep, rest = text.partition(":")
        if not sep:
            self.fail(f"expected 'Name: value' (the header name, a colon, the value), got {text!r}", param, ctx)
        if not name:
            self.fail(f"{text!r} has no header name before the colon", param, ctx)
        if not _HEADER_NAME.fullmatch(name):
            bad = next(ch for ch in name if not _HEADER_NAME.fullmatch(ch))
            self.fail(f"{text!r}: the header name {name!r} has {bad!r}; names are letters, digits and "
                      "!#$%&'*+-.^_`|~ (no spaces)", param, ctx)
        rest = rest.strip(" \t")
        if _HEADER_VALUE_BAD.search(rest):
            self.fail(f"{text!r}: header values cannot hold line breaks or other control characters", param, ctx)
        return name, rest


@dataclasses.dataclass(frozen=True)
class RequestBody:
    """A ``-d`` body: text, or base64 of a file that is not UTF-8; ``stdin`` when it is still to be read (``@-``)."""

    text: str = ""
    base64: bool = False
    stdin: bool = False


class BodyArgument(click.ParamType):
    """``-d BODY``: the body itself, ``@FILE`` (read byte for byte) or ``@-`` (stdin)."""

    name = "BODY|@FILE"

    def convert(self, value: Any, param: Any, ctx: Any) -> RequestBody:
        if isinstance(value, RequestBody):
            return value
        text = str(value)
        if not text.startswith("@"):
            return RequestBody(text)
        if text == "@":
            self.fail("'@' names no file: give -d @FILE, -d @- for stdin, or the body itself", param, ctx)
        if text == "@-":
            return RequestBody(stdin=True)
        from vtlgw.apigw.errors import InputFileError

        try:
            return _body_of(_read_body(text[1:]))
        except InputFileError as exc:
            self.fail(f"{text}: {exc.message}", param, ctx)


def _read_body(path: str) -> bytes:
    """A ``-d @FILE`` body's bytes (``-``: stdin), capped as a request file is."""
    from vtlgw.apigw import files

    kind = files.InputKind("request body", files.REQUEST.max_bytes, files.REQUEST.why)
    return files.read_bytes(path, kind)


def _body_of(data: bytes) -> RequestBody:
    """UTF-8 bytes as the body's text; other bytes base64-encoded (``isBase64Encoded``)."""
    import base64

    try:
        return RequestBody(data.decode("utf-8"))
    except UnicodeDecodeError:
        return RequestBody(base64.b64encode(data).decode("ascii"), base64=True)


class StackValue(click.ParamType):
    """A value of the supposed stack (``--region``, ``--account-id``, ``--stack-name``), checked as AWS would."""

    def __init__(self, kind: str, metavar: str) -> None:
        self.kind = kind
        self.name = metavar

    def convert(self, value: Any, param: Any, ctx: Any) -> str:
        from vtlgw.apigw.definition.stack import stack_value_problem

        problem = stack_value_problem(self.kind, value)
        if problem:
            self.fail(problem, param, ctx)
        return value


class StackParameter(Assignment):
    """``Name=Value`` for a template parameter, as ``sam deploy --parameter-overrides`` takes it."""

    def convert(self, value: Any, param: Any, ctx: Any) -> tuple[str, str]:
        from vtlgw.apigw.definition.stack import stack_value_problem

        key, rest = super().convert(value, param, ctx)
        problem = stack_value_problem("parameter", key)
        if problem:
            self.fail(f"{key}={rest}: {problem}", param, ctx)
        return key, rest


def _stack_options(f: Any) -> Any:
    """The supposed stack intrinsics are evaluated against (``!Sub``, ``!Ref``, ``!GetAtt``), declared once."""
    options = [
        click.option("--region", type=StackValue("region", "REGION"), default=None,
                     help="AWS::Region of the supposed stack (default us-east-1)."),
        click.option("--account-id", type=StackValue("account_id", "ID"), default=None,
                     help="AWS::AccountId of the supposed stack (default 123456789012)."),
        click.option("--stack-name", type=StackValue("stack_name", "NAME"), default=None,
                     help="AWS::StackName, which also starts generated resource names (default vtlgw-stack; "
                          "a CDK template's own stack name)."),
        click.option("--parameter", "parameters", multiple=True, type=StackParameter(), metavar="NAME=VALUE",
                     help="A template parameter's value instead of its Default (repeatable), as "
                          "sam deploy --parameter-overrides."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _stack(region: str | None, account_id: str | None, stack_name: str | None,
           parameters: tuple[tuple[str, str], ...]) -> Any:
    """The stack the options describe, or None when none is given (the loader's default applies)."""
    if region is None and account_id is None and stack_name is None and not parameters:
        return None
    from vtlgw.apigw.definition import Stack

    given = {k: v for k, v in (("region", region), ("account_id", account_id), ("stack_name", stack_name)) if v}
    return Stack(**given, parameters=dict(parameters))


_METHOD = HttpMethod()
_PATH = RequestPath()


def _shared_request_options(f: Any) -> Any:
    """The options ``render`` and ``invoke`` share, declared once (they override the request file)."""
    options = [
        click.option("--stage", metavar="NAME",
                     help="The stage name ($context.stage; default 'test'); overrides the request file's."),
        click.option("--stage-variable", "-s", "stage_variables", multiple=True, type=StageVariable(),
                     metavar="K=V", help="Set $stageVariables.K (repeatable); overrides the request file's."),
        click.option("--context", "-c", "context_items", multiple=True, type=Assignment(), metavar="K=V",
                     help="Override a $context value, dotted for nested keys: identity.sourceIp=203.0.113.7 "
                          "(repeatable); overrides the request file's."),
        click.option("--fresh", is_flag=True,
                     help="A new request id, the current time and the measured latency instead of fixed defaults."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


_API_HELP = ("API definition: OpenAPI/Swagger (JSON/YAML), CloudFormation/SAM template, CDK output "
             "(a cdk.out folder or *.template.json), a Serverless service folder (after 'serverless "
             "package'), or Terraform JSON ('terraform show -json' of a plan or state); '-' for stdin.")


def _non_empty_values(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    """A repeatable option whose values must not be empty (``--api-key ''`` is a mistake, not a key)."""
    if any(not value for value in values):
        raise click.BadParameter("expected a non-empty value", ctx=ctx, param=param)
    return values


def _api_options(*, required: bool, help_tail: str = "") -> Any:
    """``--api`` and ``--api-id``, declared once (``invoke`` needs an API, ``event`` may go without)."""
    options = [
        click.option("--api", "-a", "api_path", required=required, metavar="FILE", help=_API_HELP + help_tail),
        click.option("--api-id", metavar="ID", help="Which API, when the file defines several (a logical id, "
                                                    "Stack/LogicalId of cdk.out, or a Terraform address)."),
        click.option("--endpoint-type", type=click.Choice(["EDGE", "REGIONAL", "PRIVATE"], case_sensitive=False),
                     default=None, help="A REST API's endpoint type, where the definition does not say (an "
                                        "OpenAPI file's is chosen at import; default EDGE): EDGE re-spells "
                                        "Authorization, User-Agent and Host (U63)."),
    ]

    def decorate(f: Any) -> Any:
        for option in reversed(options):
            f = option(f)
        return f

    return decorate


def _load_api(api_path: str, api_id: str | None, stack: Any, endpoint_type: str | None) -> Any:
    """The definition ``--api`` names (``-`` is stdin), with ``--endpoint-type`` applied."""
    from vtlgw.apigw.definition import load_definition, load_definition_stream

    if api_path == "-":
        definition = load_definition_stream(sys.stdin.buffer, api=api_id, stack=stack)
    else:
        definition = load_definition(api_path, api=api_id, stack=stack)
    if endpoint_type is not None:
        if definition.protocol == "HTTP":
            raise click.UsageError("--endpoint-type is for REST APIs; an HTTP API is always REGIONAL")
        definition.endpoint_type = endpoint_type.upper()
    return definition


def _method_request_options(f: Any) -> Any:
    """The method request from a file and curl-like flags (``invoke`` and ``event``), declared once."""
    options = [
        click.option("--method", "-X", "http_method", type=_METHOD, metavar="M",
                     help="HTTP method (default: the request file's, else POST with -d, else GET); overrides "
                          "the request file's."),
        click.option("--path", "-p", "path", type=_PATH, metavar="P",
                     help="Request path, optionally with ?query (default: the request file's); overrides the "
                          "request file's path (and, with ?query, its query string)."),
        click.option("--request", "-r", "request_path", metavar="REQ", help="Method request file; '-' for stdin."),
        click.option("--header", "-H", "header_lines", multiple=True, type=HeaderLine(), metavar="'NAME: VALUE'",
                     help="A request header, as curl -H (repeatable: a name given twice has both values); "
                          "replaces the request file's header of that name (in any case)."),
        click.option("--data", "-d", "data", type=BodyArgument(), metavar="BODY|@FILE",
                     help="The request body; @FILE reads a file byte for byte (not UTF-8: sent base64-encoded), "
                          "@- stdin. Replaces the request file's body; no Content-Type is added (give -H).")
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _load_method_request(request_path: str | None, http_method: str | None, path: str | None,
                         header_lines: tuple[tuple[str, str], ...], data: RequestBody | None) -> tuple[Any, list]:
    """The request file (or ``GET /``; ``POST /`` with a body) with the flags put in, and the file's warnings.

    Raises ``VtlError`` for a bad request file or body file.
    """
    from vtlgw.apigw.request import MethodRequest, load_request

    warnings: list = []
    request = MethodRequest()
    if request_path:
        text, name = _read_text(request_path, "request file")
        request, warnings = load_request(text, name)
    if data is not None and data.stdin:
        data = _body_of(_read_body("-"))
    default_method = None if request_path else ("POST" if data is not None else "GET")
    request = _apply_flags(request, http_method or default_method, path or (None if request_path else "/"),
                           header_lines, data)
    return request, warnings


def _check_stdin(**users: str | None) -> None:
    """At most one input reads stdin (``--api -``, ``--request -``, ``-d @-``)."""
    given = [name for name, value in users.items() if value == "-"]
    if len(given) > 1:
        raise click.UsageError(f"{' and '.join(given)} cannot both read stdin; give one of them as a file")


def _context_overrides(items: tuple[tuple[str, str], ...], stage: str | None) -> dict:
    """``-c`` assignments (and ``--stage``) as nested override maps, the highest layer of ``$context``."""
    from vtlgw.apigw.context import build_context, parse_context_assignments
    from vtlgw.apigw.request import MethodRequest
    from vtlgw.vtl import VtlError

    defaults = build_context(MethodRequest())
    for key, value in items:
        if "." not in key and isinstance(defaults.get(key), dict):
            members = ", ".join(f"{key}.{k}" for k in list(defaults[key])[:3])
            raise click.BadParameter(f"{key}={value}: $context.{key} is a map; assign one of its keys ({members}, ...)",
                                     param_hint="'--context'")
    try:
        overrides = parse_context_assignments([f"{k}={v}" for k, v in items])
    except VtlError as exc:
        raise click.BadParameter(str(exc).removeprefix("--context "), param_hint="'--context'") from None
    if stage is not None:
        if "stage" in overrides and overrides["stage"] != stage:
            raise click.UsageError("--stage and --context stage=... name different stages; give one")
        overrides["stage"] = stage
    return overrides


def _apply_flags(request: Any, http_method: str | None, path: str | None,
                 header_lines: tuple[tuple[str, str], ...] = (), data: RequestBody | None = None) -> Any:
    """The request with ``-X``/``-p``/``-H``/``-d`` put in.

    A new path also drops the file's resource and path parameters (the
    resource is the path, as in a request file that names none); ``-H``
    names replace the file's headers of those names, in any case.
    """
    from vtlgw.apigw.request import request_from_dict

    if http_method:
        request = dataclasses.replace(request, http_method=http_method)
    if path:
        parsed, _ = request_from_dict({"httpMethod": request.http_method, "pathWithQueryString": path}, "--path")
        request = dataclasses.replace(request, path=parsed.path, resource=parsed.resource, path_parameters={},
                                      query=parsed.query if "?" in path else request.query)
    if header_lines:
        given: dict[str, list[str]] = {}
        spelling: dict[str, str] = {}
        for name, value in header_lines:
            given.setdefault(spelling.setdefault(name.lower(), name), []).append(value)
        kept = {k: v for k, v in request.headers.items() if k.lower() not in spelling}
        request = dataclasses.replace(request, headers={**kept, **given})
    if data is not None:
        request = dataclasses.replace(request, body=data.text, is_base64_encoded=data.base64)
    return request


# ---------------------------------------------------------------- commands


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="vtlgw")
def main() -> None:
    """Run API Gateway REST mapping templates (VTL) and custom integrations offline, byte for byte."""


@main.command()
@click.argument("template", metavar="TEMPLATE")
@click.option("--request", "-r", "request_path", metavar="REQ",
              help="Method request file (a REST v1 proxy event or a TestInvokeMethod request); '-' for stdin.")
@click.option("--integration-response", "-i", "response_path", metavar="BODY",
              help="Render TEMPLATE as a response template over this integration response body (raw text).")
@_shared_request_options
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: the output exactly; json: an envelope with output, overrides and warnings "
                   "(objects: severity, message, file, line, column, pointer, text).")
def render(template: str, request_path: str | None, response_path: str | None,
           stage_variables: tuple[tuple[str, str], ...], context_items: tuple[tuple[str, str], ...],
           stage: str | None, fmt: str, fresh: bool) -> None:
    """Render one mapping TEMPLATE ('-' for stdin) for a method request.

    Prints the rendered text to stdout byte for byte (no newline added).
    Warnings and the final requestOverride/responseOverride go to stderr.
    Options override what the request file gives.
    """
    from vtlgw.apigw.mapping import MappingContext, duplicate_override_warnings, render_with
    from vtlgw.apigw.request import MethodRequest, load_request
    from vtlgw.vtl import Template, VtlError
    from vtlgw.vtl.diagnostics import Diagnostic
    from vtlgw.vtl.errors import TemplateError
    from vtlgw.vtl.warning import to_json

    if template == "-" and request_path == "-":
        raise click.UsageError("TEMPLATE and --request cannot both read stdin")
    overrides = _context_overrides(context_items, stage)
    from vtlgw.apigw.wire import strip_bom

    source, name = _read_text(template, "template")
    source = strip_bom(source)  # a file's byte order mark is not template text
    request_warnings: list[Diagnostic] = []
    request = MethodRequest()
    if request_path:
        data, req_name = _read_text(request_path, "request file")
        try:
            request, request_warnings = load_request(data, req_name)
        except VtlError as exc:
            raise CliError(_shown(exc)) from None
    body = None
    if response_path:
        body, _ = _read_text(response_path, "integration response body")
    try:
        mctx = MappingContext.for_request(request, context_overrides=overrides,
                                          stage_variables=dict(stage_variables), fresh=fresh)
    except VtlError as exc:
        raise CliError(f"error: {exc}") from None
    warnings = list(request_warnings)
    try:
        compiled = Template.cached(source, name)
        output = render_with(compiled, mctx, body=body, warnings=warnings)
    except TemplateError as exc:
        raise CliError(str(exc), EXIT_TEMPLATE_ERROR) from None
    except VtlError as exc:
        raise CliError(f"{name}: error: {exc}", EXIT_TEMPLATE_ERROR) from None
    warnings += duplicate_override_warnings(mctx, compiled)
    if fmt == "json":
        envelope: dict[str, Any] = {
            "output": output,
            "requestOverride": mctx.request_override(),
            "responseOverride": mctx.response_override(),
            "warnings": [to_json(w) for w in warnings],
        }
        click.echo(json.dumps(envelope, indent=2, ensure_ascii=False, default=_jsonable))
        return
    sys.stdout.buffer.write(output.encode("utf-8", "surrogatepass"))
    sys.stdout.flush()
    notes = bool(warnings) or any(v for v in mctx.request_override().values()) or any(
        v for v in mctx.response_override().values())
    if notes and output and not output.endswith("\n") and sys.stdout.isatty() and sys.stderr.isatty():
        click.echo("", err=True)  # start the notes on their own line; stdout itself stays exact
    for warning in warnings:
        click.echo(str(warning), err=True)
    _echo_overrides(mctx.request_override(), mctx.response_override())


@main.command()
@_api_options(required=True)
@_method_request_options
@click.option("--lambda-handler", metavar="MOD:FN",
              help="Call this Python function as the Lambda (in-process); MOD is imported with the current "
                   "directory first on sys.path, like `python -m`.")
@click.option("--lambda-result", metavar="FILE", help="JSON the Lambda function returned (a success).")
@click.option("--lambda-error", metavar="FILE", help='A Lambda function error: {"errorMessage", "errorType", "stackTrace"}.')
@click.option("--http-response", metavar="FILE",
              help='An HTTP or AWS-service backend response: {"statusCode": 404, "headers": {...}, "body": "..."}.')
@click.option("--backend", "backend_path", metavar="FILE",
              help='A backend file in any shape: {"result": ...}, {"payload": "..."}, {"error": {...}}, '
                   '{"failure": "timeout"} or an HTTP response.')
@click.option("--http-live", is_flag=True,
              help="Send HTTP and HTTP_PROXY integration requests to their real URLs (needs httpx: "
                   "pip install 'vtlgw[live]'). Off by default, so nothing reaches the network.")
@click.option("--api-key", "api_key_values", multiple=True, metavar="KEY", callback=_non_empty_values,
              help="An API key the API accepts in x-api-key, besides its AWS::ApiGateway::ApiKey resources "
                   "(repeatable).")
@click.option("--api-keys", "api_keys_file", metavar="FILE", type=click.Path(dir_okay=False),
              help='A JSON list of API keys: ["value", {"value": "...", "id": "...", "name": "..."}].')
@click.option("--authorizer-handler", metavar="MOD:FN",
              help="Call this Python function as the method's Lambda authorizer (in-process), in place of the "
                   "template's own function.")
@click.option("--claims", "claims_file", metavar="FILE", type=click.Path(dir_okay=False),
              help="A JSON object of Cognito claims for a COGNITO_USER_POOLS method, in place of decoding the "
                   "caller's token.")
@_shared_request_options
@_stack_options
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--truncate-log", is_flag=True, help="Cut logged values at 1,024 bytes as API Gateway does.")
@click.option("--proxy-headers", "proxy_headers", type=click.Choice(["recorded", "docs"]), default="recorded",
              show_default=True,
              help="Lambda proxy responses: a name in both headers and multiValueHeaders keeps both values "
                   "(recorded on AWS) or only the multi-value ones (the docs) (U32).")
def invoke(api_path: str, api_id: str | None, endpoint_type: str | None, http_method: str | None, path: str | None,
           request_path: str | None,
           header_lines: tuple[tuple[str, str], ...], data: RequestBody | None, lambda_handler: str | None,
           lambda_result: str | None, lambda_error: str | None,
           http_response: str | None, backend_path: str | None, http_live: bool,
           api_key_values: tuple[str, ...], api_keys_file: str | None, authorizer_handler: str | None,
           claims_file: str | None, stage: str | None,
           stage_variables: tuple[tuple[str, str], ...], context_items: tuple[tuple[str, str], ...],
           region: str | None, account_id: str | None, stack_name: str | None,
           parameters: tuple[tuple[str, str], ...], fmt: str,
           truncate_log: bool, fresh: bool, proxy_headers: str) -> None:
    """Run one request through a custom or Lambda proxy integration, as API Gateway's test-invoke would.

    Prints the status, headers, body and execution log. Exit code 0 when the
    pipeline ran (whatever the HTTP status), 1 when it hit a template or
    configuration error, or a Lambda proxy response API Gateway refuses (the
    emulated 500 or 502 is still printed, the reasons go to stderr), 2 for bad input.
    Options override what the request file gives; the latency is 0 ms unless --fresh.
    """
    import os

    from vtlgw.apigw.pipeline import (
        LambdaHandler,
        backend_from_file,
        format_text,
        invoke as run_invoke,
        to_json,
    )
    from vtlgw.vtl import VtlError

    chosen = [name for name, value in (("--lambda-handler", lambda_handler), ("--lambda-result", lambda_result),
                                       ("--lambda-error", lambda_error), ("--http-response", http_response),
                                       ("--backend", backend_path), ("--http-live", http_live)) if value]
    if len(chosen) > 1:
        raise click.UsageError(f"choose one backend, not {' and '.join(chosen)}")
    _check_stdin(**{"--api": api_path, "--request": request_path, "-d @-": "-" if data and data.stdin else None})
    overrides = _context_overrides(context_items, stage)
    try:
        definition = _load_api(api_path, api_id, _stack(region, account_id, stack_name, parameters), endpoint_type)
        request, warnings = _load_method_request(request_path, http_method, path, header_lines, data)
        backend = None
        if lambda_handler:
            if os.getcwd() not in sys.path:
                sys.path.insert(0, os.getcwd())  # let MOD be a module of the user's project
            backend = LambdaHandler(lambda_handler)
        elif lambda_result:
            backend = backend_from_file(lambda_result, "lambda-result")
        elif lambda_error:
            backend = backend_from_file(lambda_error, "lambda-error")
        elif http_response:
            backend = backend_from_file(http_response, "http-response")
        elif backend_path:
            backend = backend_from_file(backend_path)
        elif http_live:
            from vtlgw.apigw.pipeline.live import LiveHttp

            backend = LiveHttp()
        api_keys: list[Any] = list(api_key_values)
        if api_keys_file:
            from vtlgw.apigw.method_request.api_key import keys_from_file

            api_keys.extend(keys_from_file(api_keys_file))
        authorizer = None
        if authorizer_handler:
            if os.getcwd() not in sys.path:
                sys.path.insert(0, os.getcwd())
            authorizer = LambdaHandler(authorizer_handler)
        claims = None
        if claims_file:
            from vtlgw.apigw.method_request.claims import claims_from_file

            claims = claims_from_file(claims_file)
        result = run_invoke(definition, request, backend=backend, stage_variables=dict(stage_variables) or None,
                            context_overrides=overrides or None, truncate_log=truncate_log, fresh=fresh,
                            proxy_header_merge=proxy_headers, report_latency=fresh, api_keys=api_keys or None,
                            authorizer=authorizer, claims=claims)
    except VtlError as exc:
        raise CliError(_shown(exc)) from None
    for warning in warnings + list(result.warnings):
        click.echo(str(warning), err=True)
    if fmt == "json":
        click.echo(json.dumps(to_json(result), indent=2, ensure_ascii=False))
        if getattr(result, "handler_output", ""):
            click.echo(result.handler_output, err=True, nl=False)  # what the handler printed, never in the JSON
    else:
        click.echo(format_text(result))
    if result.error:
        click.echo(result.error, err=True)
        sys.exit(EXIT_TEMPLATE_ERROR)


@main.command()
@_api_options(required=False, help_tail=" With it, the route decides resource, pathParameters and "
                                         "stageVariables (and an HTTP API route the payload format).")
@_method_request_options
@click.option("--payload", type=click.Choice(["1.0", "2.0"]), default=None,
              help="An HTTP API payload format version (default: the HTTP API route's, else the REST API v1 "
                   "event).")
@_shared_request_options
@_stack_options
def event(api_path: str | None, api_id: str | None, endpoint_type: str | None, http_method: str | None, path: str | None,
          request_path: str | None, header_lines: tuple[tuple[str, str], ...], data: RequestBody | None,
          payload: str | None, stage: str | None, stage_variables: tuple[tuple[str, str], ...],
          context_items: tuple[tuple[str, str], ...], fresh: bool, region: str | None, account_id: str | None,
          stack_name: str | None, parameters: tuple[tuple[str, str], ...]) -> None:
    """Print the event a Lambda proxy integration's function receives for one request, as JSON.

    Without --api, the REST API (v1) event of the request as given (or the
    --payload format). With --api, the request is routed first, as vtlgw
    invoke routes it; a request no route matches is API Gateway's own 403
    (REST API) or 404 (HTTP API), and exits 1. Ids and times are fixed unless
    --fresh. Exit code 2 for bad input.
    """
    from vtlgw.apigw.proxy.request_event import NoRouteError, build_event
    from vtlgw.vtl import VtlError

    if api_path is None:
        given = [name for name, value in (("--api-id", api_id), ("--endpoint-type", endpoint_type),
                                          ("--region", region), ("--account-id", account_id),
                                          ("--stack-name", stack_name), ("--parameter", parameters)) if value]
        if given:
            one = len(given) == 1
            raise click.UsageError(f"{', '.join(given)} {'is' if one else 'are'} for the definition --api reads; "
                                   f"give --api FILE or leave {'it' if one else 'them'} out")
    _check_stdin(**{"--api": api_path, "--request": request_path, "-d @-": "-" if data and data.stdin else None})
    overrides = _context_overrides(context_items, stage)
    try:
        definition = None
        if api_path is not None:
            definition = _load_api(api_path, api_id, _stack(region, account_id, stack_name, parameters),
                                   endpoint_type)
        request, warnings = _load_method_request(request_path, http_method, path, header_lines, data)
        built, notes = build_event(definition, request, payload=payload, stage_variables=dict(stage_variables) or None,
                                   context_overrides=overrides or None, fresh=fresh,
                                   api_name="<stdin>" if api_path == "-" else api_path)
    except NoRouteError as exc:
        raise CliError(f"error: {exc.message}", EXIT_TEMPLATE_ERROR) from None
    except VtlError as exc:
        raise CliError(_shown(exc)) from None
    for warning in warnings + notes:
        click.echo(str(warning), err=True)
    text = json.dumps(built, indent=2, ensure_ascii=False)
    # A lone surrogate (a request file's "\ud800") stays a JSON escape, so the output is UTF-8 and JSON.
    click.echo(_LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text))


_MEDIA_TYPE_HELP = "Media type of lone templates (default: from the name, e.g. x.response.xml.vtl, else application/json)."


class _MediaType(click.ParamType):
    """A bare MIME type such as application/json."""

    name = "MIME"

    def convert(self, value: Any, param: Any, ctx: Any) -> str:
        text = str(value).strip().lower()
        if text.count("/") != 1 or not all(text.split("/")) or ";" in text:
            self.fail(f"{value!r} is not a MIME type such as application/json", param, ctx)
        return text


@main.command()
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option("--format", "-f", "fmt", type=click.Choice(lint_options.FORMATS), default="text", show_default=True,
              help="text (grouped, colour on a terminal), json, sarif (2.1.0) or github (workflow annotations).")
@click.option("--fail-on", type=click.Choice(lint_options.FAIL_LEVELS), default=None,
              help="Exit 1 when a finding is at or above this severity (default: error, or the configuration's).")
@click.option("--select", multiple=True, metavar="IDS", help="Only these rule ids or prefixes (VTL1,VTL301).")
@click.option("--ignore", multiple=True, metavar="IDS", help="Skip these rule ids or prefixes (repeatable).")
@click.option("--kind", type=click.Choice(lint_options.KINDS), default=None,
              help="Kind of lone .vtl templates (default: from the name, e.g. x.response.json.vtl, else request).")
@click.option("--media-type", type=_MediaType(), default=None, help=_MEDIA_TYPE_HELP)
@click.option("--request", "-r", "requests", multiple=True, metavar="REQ",
              type=click.Path(exists=True, dir_okay=False),
              help="A method request file used as a sample by the render-based checks (repeatable).")
@click.option("--config", "config_path", metavar="FILE", type=click.Path(exists=True, dir_okay=False),
              help="Read [tool.vtlgw.lint] from this file instead of the nearest pyproject.toml/vtlgw.toml.")
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option("--skip-unrecognised", is_flag=True,
              help="Skip named YAML/JSON files that are not API definitions, as a directory walk does (pre-commit).")
@click.option("--fix", is_flag=True, help="Apply the safe, mechanical fixes (rules marked fixable) to the files in place.")
@click.option("--diff", is_flag=True, help="Show the fixes as a unified diff on stdout and write nothing (also with --fix).")
@click.option("--list-rules", is_flag=True, help="List every rule: id, severity, name, what to do.")
@click.option("--explain", metavar="ID", help="Explain one rule: what it catches, why, an example, the fix.")
def lint(paths: tuple[str, ...], fmt: str, fail_on: str | None, select: tuple[str, ...], ignore: tuple[str, ...],
         kind: str | None, media_type: str | None, requests: tuple[str, ...], config_path: str | None,
         isolated: bool, skip_unrecognised: bool, fix: bool, diff: bool, list_rules: bool,
         explain: str | None) -> None:
    """Check templates and API definitions before deploy (PATHs: .vtl files, directories, definitions; default .).

    Exit code 0 when nothing is at or above --fail-on, 1 when something is,
    2 for usage errors and inputs that cannot be read.
    """
    from vtlgw.lint import command

    if list_rules and explain:
        raise click.UsageError("--list-rules and --explain cannot be combined")
    if list_rules:
        sys.exit(command.list_rules())
    if explain:
        sys.exit(command.explain_rule(explain))
    if config_path and isolated:
        raise click.UsageError("--config and --isolated cannot be combined")
    sys.exit(command.run_lint(command.LintOptions(
        paths=paths, fmt=fmt, fail_on=fail_on, select=select, ignore=ignore, kind=kind, media_type=media_type,
        requests=requests, config_path=config_path, isolated=isolated, skip_unrecognised=skip_unrecognised,
        fix=fix, diff=diff)))


def _jsonable(value: Any) -> Any:
    from vtlgw.vtl.values import to_text

    return to_text(value)


def _echo_overrides(request_override: dict, response_override: dict) -> None:
    """Report overrides a template set (only those that are non-empty) on stderr."""
    from vtlgw.vtl.values import to_text

    for name, section in (("requestOverride", request_override), ("responseOverride", response_override)):
        for key, value in section.items():
            if isinstance(value, dict):
                for k, v in value.items():
                    click.echo(f"$context.{name}.{key}.{k} = {to_text(v)}", err=True)
            else:
                click.echo(f"$context.{name}.{key} = {to_text(value)}", err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
