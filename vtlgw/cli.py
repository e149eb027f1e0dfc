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
              help="text: the output exactly; json: an envelope with output, overrides and warnings.")
@click.option("--fresh", is_flag=True,
              help="Use a new request id and the current time instead of the fixed defaults.")
def render(template: str, request_path: str | None, response_path: str | None, stage_variables: tuple[str, ...],
           context_items: tuple[str, ...], stage: str | None, fmt: str, fresh: bool) -> None:
    """Render one mapping TEMPLATE ('-' for stdin) for a method request.

    Prints the rendered text to stdout byte for byte (no newline added).
    Warnings and the final requestOverride/responseOverride go to stderr.
    """
    from vtlgw.apigw.context import parse_context_assignments
    from vtlgw.apigw.mapping import MappingContext, render_with
    from vtlgw.apigw.request import MethodRequest, load_request
    from vtlgw.vtl import Template, VtlError
    from vtlgw.vtl.errors import TemplateError

    if template == "-" and request_path == "-":
        _fail("error: TEMPLATE and --request cannot both read stdin", EXIT_BAD_INPUT)
    source, name = _read_text(template, "template")
    request_warnings: list[str] = []
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
    duplicates = mctx.duplicate_overrides()
    warnings += [f"warning: {key} was overridden more than once (API Gateway answers 500)" for key in duplicates]
    if fmt == "json":
        envelope: dict[str, Any] = {
            "output": output,
            "requestOverride": mctx.request_override(),
            "responseOverride": mctx.response_override(),
            "warnings": warnings,
        }
        click.echo(json.dumps(envelope, indent=2, ensure_ascii=False, default=_jsonable))
        return
    sys.stdout.buffer.write(output.encode("utf-8", "surrogatepass"))
    sys.stdout.flush()
    for warning in warnings:
        click.echo(warning, err=True)
    _echo_overrides(mctx.request_override(), mctx.response_override())


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
