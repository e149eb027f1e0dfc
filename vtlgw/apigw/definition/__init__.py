"""Load the API definitions users already have into one model.

``load_definition(path)`` reads, and detects the format of:

* OpenAPI 3.0 / Swagger 2.0 (JSON or YAML) with ``x-amazon-apigateway-*``;
* CloudFormation and SAM templates (JSON or YAML with short-form tags);
* CDK output: a ``*.template.json`` or a ``cdk.out`` directory;
* ``aws apigateway get-method`` / ``get-resources --embed methods`` JSON;
* Terraform: the JSON of ``terraform show -json`` for a saved plan or for state.

Everything becomes an :class:`ApiDefinition` whose objects remember their
file, JSON pointer and line:col. Problems API Gateway would reject at import
or deploy raise :class:`DefinitionError` with that location; with
``strict=False`` they are collected in ``ApiDefinition.problems`` instead (for
the linter) and loading goes on with what can be kept.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

from vtlgw.apigw.errors import ArgumentError

from .awscli import awscli_kind, build_awscli
from .cloudformation import (
    SERVERLESS_TEMPLATE,
    ApiCandidate,
    api_kind,
    attach_evaluation,
    build_cloudformation,
    choose_api,
    is_cloudformation,
    list_apis,
    serverless_package,
)
from .common import Context, is_media_type
from .errors import AmbiguousApiError, DefinitionError, UnsupportedDefinitionError
from .intrinsics import is_symbolic
from .intrinsics import render as render_intrinsic
from .model import (
    ApiDefinition,
    GatewayResponse,
    Integration,
    IntegrationResponse,
    LambdaFunction,
    MappingTemplate,
    Method,
    MethodResponse,
    NotEmulated,
    Source,
    Substitution,
    templates_as_dict,
)
from .openapi import build_openapi, openapi_version
from .stack import Evaluator, Stack, StackError, stack_value_problem
from .terraform import build_terraform, is_terraform
from .terraform import list_apis as terraform_apis
from .yamlload import Document, Position, load_document, load_stream, parse_document

__all__ = [
    "load_definition",
    "load_definition_stream",
    "Stack",
    "StackError",
    "list_api_ids",
    "ApiDefinition",
    "Method",
    "MethodResponse",
    "Integration",
    "IntegrationResponse",
    "LambdaFunction",
    "NotEmulated",
    "Substitution",
    "MappingTemplate",
    "GatewayResponse",
    "Source",
    "Position",
    "DefinitionError",
    "AmbiguousApiError",
    "UnsupportedDefinitionError",
    "is_media_type",
    "render_intrinsic",
    "templates_as_dict",
    "load_document",
    "parse_document",
]


def load_definition(path: str | Path, *, api: str | None = None, strict: bool = True,
                    stack: Stack | None = None, evaluate: bool = True) -> ApiDefinition:
    """Load one REST API or HTTP API (``protocol == "HTTP"``) from a definition file or a ``cdk.out`` directory.

    ``api`` chooses among several APIs of a template: a logical id, a
    ``Stack/LogicalId`` (``cdk.out``) or a CDK construct path
    (``MyStack/OrdersApi``). It is ignored for OpenAPI and AWS CLI files, which
    hold one API. CloudFormation intrinsics (``!Sub``, ``!Ref``, ``!GetAtt`` …)
    are evaluated against ``stack`` (default: ``Stack()``, us-east-1, account
    123456789012, stack ``vtlgw-stack``, the parameters' defaults), as
    CloudFormation would before API Gateway sees them; ``evaluate=False``
    keeps them symbolic. Arguments of the wrong kind raise ``ArgumentError`` (a ``VtlError``).
    """
    path = _path_argument("load_definition", path)
    _api_argument("load_definition", api)
    stack = _stack_argument("load_definition", stack)
    if path.is_dir() and _serverless_template(path) is not None:
        path = _serverless_template(path)
    if path.is_dir():
        return _load_cdk_out(path, api, strict, stack, evaluate)
    return _build(load_document(path), api, strict, stack, evaluate)


def load_definition_stream(stream: BinaryIO, *, name: str = "<stdin>", api: str | None = None,
                           strict: bool = True, stack: Stack | None = None, evaluate: bool = True) -> ApiDefinition:
    """Load one REST API or HTTP API from an open binary stream (``vtlgw invoke --api -`` reads stdin this way).

    The format is detected from the content; relative paths in it are taken from the current directory.
    """
    if not hasattr(stream, "read"):
        raise ArgumentError(f"load_definition_stream(stream): expected a binary stream, not {_kind(stream)}")
    if not isinstance(name, str):
        raise ArgumentError(f"load_definition_stream(name): expected a str, not {_kind(name)}")
    _api_argument("load_definition_stream", api)
    stack = _stack_argument("load_definition_stream", stack)
    return _build(load_stream(stream, name=name), api, strict, stack, evaluate)


def _stack_argument(function: str, stack: object) -> Stack | None:
    if stack is not None and not isinstance(stack, Stack):
        raise ArgumentError(f"{function}(stack): expected a vtlgw.apigw.definition.Stack, or None, not "
                            f"{_kind(stack)}")
    return stack


def _api_argument(function: str, api: object) -> None:
    if api is not None and not isinstance(api, str):
        raise ArgumentError(f"{function}(api): expected an API id as a str, or None, not {_kind(api)}")


def _build(doc: Document, api: str | None, strict: bool, stack: Stack | None = None,
           evaluate: bool = True) -> ApiDefinition:
    ctx = Context(doc, strict=strict)
    data = doc.data
    version = openapi_version(data)
    if version is not None:
        definition = ApiDefinition(source_file=doc.name, format=version, source=ctx.source(""))
        definition.problems = ctx.problems
        if evaluate and is_symbolic(data):
            # Written to be included (AWS::Include): its intrinsics are evaluated as the including
            # template's would be; names only that template knows stay unresolved, with a warning.
            ctx.intrinsics = True
            ctx.evaluator = Evaluator({}, stack or Stack())
            ctx.evaluator.standalone = True
        build_openapi(ctx, data, "", definition)
        if ctx.evaluator is not None:
            attach_evaluation(ctx, definition)
        return definition
    if is_cloudformation(data):
        return build_cloudformation(ctx, choose_api(list_apis(doc), api, doc.name, doc),
                                    stack=stack or _cdk_stack(doc) or _serverless_stack(doc), evaluate=evaluate)
    if awscli_kind(data) is not None:
        definition = ApiDefinition(source_file=doc.name, format="aws-cli", source=ctx.source(""))
        definition.problems = ctx.problems
        build_awscli(ctx, data, definition)
        return definition
    if is_terraform(data):
        return build_terraform(ctx, api)
    raise DefinitionError(
        "not a recognised API definition: expected OpenAPI ('openapi: 3.x' or 'swagger: \"2.0\"'), a "
        "CloudFormation/SAM/CDK template ('Resources'), 'aws apigateway get-method'/'get-resources' JSON, or "
        "Terraform's 'terraform show -json' of a plan or state ('format_version')",
        file=doc.name,
    )


def list_api_ids(path: str | Path) -> list[str]:
    """The API ids a template or ``cdk.out`` offers to ``load_definition(api=...)``."""
    path = _path_argument("list_api_ids", path)
    if path.is_dir() and _serverless_template(path) is not None:
        path = _serverless_template(path)
    if path.is_dir():
        return [_qualified(c) for c in _cdk_candidates(path)]
    doc = load_document(path)
    if is_terraform(doc.data):
        return terraform_apis(doc)
    return [c.logical_id for c in list_apis(doc)] if is_cloudformation(doc.data) else []


def _kind(value: object) -> str:
    if value is None:
        return "None"
    name = type(value).__name__
    return f"an {name}" if name[:1].lower() in "aeiou" else f"a {name}"


def _path_argument(function: str, path: object) -> Path:
    """``path`` as a :class:`Path`: a ``str`` or ``os.PathLike`` naming a file or directory."""
    if isinstance(path, (bytes, bytearray)):
        raise ArgumentError(f"{function}(path): expected a path as a str or pathlib.Path, not bytes; decode it")
    if not isinstance(path, (str, os.PathLike)):
        raise ArgumentError(f"{function}(path): expected the definition file (or cdk.out directory) as a str or "
                            f"pathlib.Path, not {_kind(path)}")
    try:
        text = os.fspath(path)
    except TypeError as exc:  # an os.PathLike whose __fspath__ gives something else
        raise ArgumentError(f"{function}(path): {exc}") from None
    if not isinstance(text, str):
        raise ArgumentError(f"{function}(path): expected a path as a str or pathlib.Path, not bytes; decode it")
    if not text:
        raise ArgumentError(f"{function}(path): the path is empty; name the definition file or cdk.out directory")
    if "\x00" in text:
        raise ArgumentError(f"{function}(path): {text!r} holds a NUL character, which no file name can")
    return Path(text)


def _cdk_templates(directory: Path) -> list[Path]:
    if (directory / "cdk.out").is_dir() and not list(directory.glob("*.template.json")):
        directory = directory / "cdk.out"
    found = sorted(directory.glob("*.template.json")) + sorted(directory.glob("assembly-*/*.template.json"))
    if not found:
        raise DefinitionError("no *.template.json in this directory (expected a cdk.out)", file=str(directory))
    return found


def _cdk_candidates(directory: Path) -> list[ApiCandidate]:
    candidates: list[ApiCandidate] = []
    for template in _cdk_templates(directory):
        doc = load_document(template)
        if is_cloudformation(doc.data):
            candidates.extend(list_apis(doc))
    return candidates


def _qualified(candidate: ApiCandidate) -> str:
    return f"{candidate.doc.path.name.removesuffix('.template.json')}/{candidate.logical_id}"


def _load_cdk_out(directory: Path, api: str | None, strict: bool, stack: Stack | None = None,
                  evaluate: bool = True) -> ApiDefinition:
    candidates = _cdk_candidates(directory)
    try:
        chosen = choose_api(candidates, api, str(directory))
    except AmbiguousApiError as exc:
        listing = ", ".join(
            _qualified(c) + (f" ({c.cdk_path})" if c.cdk_path else "") for c in candidates
        )
        raise AmbiguousApiError(
            f"several {api_kind(candidates, plural=True)} are defined; choose one with api=<id>: {listing}",
            candidates=[_qualified(c) for c in candidates],
            file=exc.file,
        ) from None
    return build_cloudformation(Context(chosen.doc, strict=strict), chosen, stack=stack or _cdk_stack(chosen.doc),
                                evaluate=evaluate)


def _serverless_template(directory: Path) -> Path | None:
    """The template ``serverless package`` wrote, for a Serverless service folder or its ``.serverless``."""
    for candidate in (directory / SERVERLESS_TEMPLATE, directory / ".serverless" / SERVERLESS_TEMPLATE):
        if candidate.is_file() and candidate.parent.name == ".serverless":
            return candidate
    return None


def _serverless_stack(doc: Document) -> Stack | None:
    """The Serverless Framework names its stack ``<service>-<stage>``."""
    found = serverless_package(doc)
    name = f"{found[0]}-{found[1]}" if found and all(found) else ""
    return Stack(stack_name=name) if name and not stack_value_problem("stack_name", name) else None


def _cdk_stack(doc: Document) -> Stack | None:
    """CDK names a template after its stack (``MyStack.template.json``), and CloudFormation's generated
    names start with the stack's name: so that is the supposed stack's name."""
    name = doc.path.name.removesuffix(".template.json")
    if name == doc.path.name or stack_value_problem("stack_name", name):
        return None
    return Stack(stack_name=name)

