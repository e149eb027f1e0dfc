"""The ``vtlgw`` command line.

Imports of the engine happen inside the commands, so ``vtlgw --help`` starts
fast. User errors print one screen (``file:line:col``, the line, a caret) and
exit non-zero without a traceback: 1 for template errors, 2 for bad arguments
or input files.
"""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

import click

from vtlgw.lint import options as lint_options

EXIT_TEMPLATE_ERROR = 1
EXIT_BAD_INPUT = 2


def _fail(message: str, code: int) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(code)


def _read_text(path: str, what: str) -> tuple[str, str]:
    """Read a file (or stdin for ``-``) as UTF-8; return (text, display name)."""
    try:
        if path == "-":
            return sys.stdin.buffer.read().decode("utf-8"), "<stdin>"
        with open(path, "rb") as fh:
            return fh.read().decode("utf-8"), path
    except FileNotFoundError:
        _fail(f"error: {what} {path!r} does not exist", EXIT_BAD_INPUT)
    except IsADirectoryError:
        _fail(f"error: {what} {path!r} is a directory", EXIT_BAD_INPUT)
    except UnicodeDecodeError as exc:
        _fail(f"{path}: error: {what} is not UTF-8 text (byte {exc.start}: {exc.reason})", EXIT_BAD_INPUT)
    except OSError as exc:
        _fail(f"error: cannot read {what} {path!r}: {exc.strerror}", EXIT_BAD_INPUT)


def _assignments(items: tuple[str, ...], option: str) -> list[str]:
    for item in items:
        if "=" not in item or item.startswith("="):
            _fail(f"error: {option} expects NAME=VALUE, got {item!r}", EXIT_BAD_INPUT)
    return list(items)


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
@click.option("--stage-variable", "-s", "stage_variables", multiple=True, metavar="K=V",
              help="Set $stageVariables.K (repeatable).")
@click.option("--context", "-c", "context_items", multiple=True, metavar="K=V",
              help="Override a $context value, dotted for nested keys: identity.sourceIp=203.0.113.7 (repeatable).")
@click.option("--stage", metavar="NAME", help="The stage name ($context.stage); default 'test'.")
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: the output exactly; json: an envelope with output, overrides and warnings "
                   "(objects: severity, message, file, line, column, pointer, text).")
@click.option("--fresh", is_flag=True,
              help="Use a new request id and the current time instead of the fixed defaults.")
def render(template: str, request_path: str | None, response_path: str | None, stage_variables: tuple[str, ...],
           context_items: tuple[str, ...], stage: str | None, fmt: str, fresh: bool) -> None:
    """Render one mapping TEMPLATE ('-' for stdin) for a method request.

    Prints the rendered text to stdout byte for byte (no newline added).
    Warnings and the final requestOverride/responseOverride go to stderr.
    """
    from vtlgw.apigw.context import parse_context_assignments
    from vtlgw.apigw.mapping import MappingContext, duplicate_override_warnings, render_with
    from vtlgw.apigw.request import MethodRequest, load_request
    from vtlgw.vtl import Template, VtlError
    from vtlgw.vtl.diagnostics import Diagnostic
    from vtlgw.vtl.errors import TemplateError
    from vtlgw.vtl.warning import to_json

    if template == "-" and request_path == "-":
        _fail("error: TEMPLATE and --request cannot both read stdin", EXIT_BAD_INPUT)
    source, name = _read_text(template, "template")
    request_warnings: list[Diagnostic] = []
    request = MethodRequest()
    if request_path:
        data, req_name = _read_text(request_path, "request file")
        try:
            request, request_warnings = load_request(data, req_name)
        except VtlError as exc:
            _fail(str(exc), EXIT_BAD_INPUT)
    body = None
    if response_path:
        body, _ = _read_text(response_path, "integration response body")
    try:
        overrides = parse_context_assignments(_assignments(context_items, "--context"))
        variables = dict(item.split("=", 1) for item in _assignments(stage_variables, "--stage-variable"))
        mctx = MappingContext.for_request(request, stage=stage, context_overrides=overrides,
                                          stage_variables=variables, fresh=fresh)
    except VtlError as exc:
        _fail(f"error: {exc}", EXIT_BAD_INPUT)
    warnings = list(request_warnings)
    try:
        compiled = Template.cached(source, name)
        output = render_with(compiled, mctx, body=body, warnings=warnings)
    except TemplateError as exc:
        _fail(str(exc), EXIT_TEMPLATE_ERROR)
    except VtlError as exc:
        _fail(f"{name}: error: {exc}", EXIT_TEMPLATE_ERROR)
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
@click.option("--api", "-a", "api_path", required=True, metavar="FILE",
              help="API definition: OpenAPI/Swagger (JSON/YAML), CloudFormation/SAM template, or CDK output "
                   "(a cdk.out folder or *.template.json).")
@click.option("--api-id", metavar="ID", help="Which API, when the file defines several (logical id).")
@click.option("--method", "-X", "http_method", metavar="M", help="HTTP method (default: the request file's, or GET).")
@click.option("--path", "-p", "path", metavar="P", help="Request path, optionally with ?query (default: the request file's).")
@click.option("--request", "-r", "request_path", metavar="REQ", help="Method request file; '-' for stdin.")
@click.option("--lambda-handler", metavar="MOD:FN", help="Call this Python function as the Lambda (in-process).")
@click.option("--lambda-result", metavar="FILE", help="JSON the Lambda function returned (a success).")
@click.option("--lambda-error", metavar="FILE", help='A Lambda function error: {"errorMessage", "errorType", "stackTrace"}.')
@click.option("--http-response", metavar="FILE",
              help='An HTTP or AWS-service backend response: {"statusCode": 404, "headers": {...}, "body": "..."}.')
@click.option("--backend", "backend_path", metavar="FILE",
              help='A backend file in any shape: {"result": ...}, {"payload": "..."}, {"error": {...}}, '
                   '{"failure": "timeout"} or an HTTP response.')
@click.option("--stage", metavar="NAME", help="The stage name ($context.stage); default 'test'.")
@click.option("--stage-variable", "-s", "stage_variables", multiple=True, metavar="K=V", help="Set a stage variable.")
@click.option("--context", "-c", "context_items", multiple=True, metavar="K=V", help="Override a $context value.")
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--truncate-log", is_flag=True, help="Cut logged values at 1,024 bytes as API Gateway does.")
@click.option("--fresh", is_flag=True, help="A new request id and the current time instead of fixed defaults.")
@click.option("--proxy-headers", "proxy_headers", type=click.Choice(["recorded", "docs"]), default="recorded",
              show_default=True,
              help="Lambda proxy responses: a name in both headers and multiValueHeaders keeps both values "
                   "(recorded on AWS) or only the multi-value ones (the docs) (U32).")
def invoke(api_path: str, api_id: str | None, http_method: str | None, path: str | None, request_path: str | None,
           lambda_handler: str | None, lambda_result: str | None, lambda_error: str | None,
           http_response: str | None, backend_path: str | None, stage: str | None,
           stage_variables: tuple[str, ...], context_items: tuple[str, ...], fmt: str, truncate_log: bool,
           fresh: bool, proxy_headers: str) -> None:
    """Run one request through a custom or Lambda proxy integration, as API Gateway's test-invoke would.

    Prints the status, headers, body and execution log. Exit code 0 when the
    pipeline ran (whatever the HTTP status), 1 when it hit a template or
    configuration error, or a Lambda proxy response API Gateway refuses (the
    emulated 500 or 502 is still printed, the reasons go to stderr), 2 for bad input.
    """
    import os

    from vtlgw.apigw.context import parse_context_assignments
    from vtlgw.apigw.definition import load_definition
    from vtlgw.apigw.pipeline import (
        LambdaHandler,
        backend_from_file,
        format_text,
        invoke as run_invoke,
        to_json,
    )
    from vtlgw.apigw.request import load_request, request_from_dict
    from vtlgw.vtl import VtlError
    from vtlgw.vtl.diagnostics import Diagnostic

    chosen = [name for name, value in (("--lambda-handler", lambda_handler), ("--lambda-result", lambda_result),
                                       ("--lambda-error", lambda_error), ("--http-response", http_response),
                                       ("--backend", backend_path)) if value]
    if len(chosen) > 1:
        _fail(f"error: choose one backend, not {' and '.join(chosen)}", EXIT_BAD_INPUT)
    try:
        definition = load_definition(api_path, api=api_id)
        warnings: list[Diagnostic] = []
        if request_path:
            data, req_name = _read_text(request_path, "request file")
            request, warnings = load_request(data, req_name)
        else:
            shape: dict[str, Any] = {"httpMethod": (http_method or "GET").upper()}
            if path and "?" in path:
                shape["pathWithQueryString"] = path
            else:
                shape["path"] = path or "/"
            request, warnings = request_from_dict(shape, "--path")
            http_method = path = None
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
        overrides = parse_context_assignments(_assignments(context_items, "--context"))
        variables = dict(item.split("=", 1) for item in _assignments(stage_variables, "--stage-variable"))
        result = run_invoke(definition, request, method=http_method.upper() if http_method else None, path=path,
                            backend=backend, stage=stage, stage_variables=variables or None,
                            context_overrides=overrides or None, truncate_log=truncate_log, fresh=fresh,
                            proxy_header_merge=proxy_headers)
    except VtlError as exc:
        _fail(str(exc), EXIT_BAD_INPUT)
    for warning in warnings + list(result.warnings):
        click.echo(str(warning), err=True)
    if fmt == "json":
        click.echo(json.dumps(to_json(result), indent=2, ensure_ascii=False))
    else:
        click.echo(format_text(result))
    if result.error:
        click.echo(result.error, err=True)
        sys.exit(EXIT_TEMPLATE_ERROR)


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
