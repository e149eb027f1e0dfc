"""Case files: many request/expectation pairs for one API or template, in YAML, without Python.

A ``test_*.vtlgw.yaml`` file holds ``api:`` (or ``template:``) and a list of
``cases``; each case is a request (the fixture's request keywords), at most
one backend keyword, and ``expect``. :func:`load_cases` checks the whole file
up front, so a typo is one located error (``file:line:col: error: /pointer``)
rather than a confusing failure later; :func:`run_case` returns the list of
mismatches, empty when the case passes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vtlgw.apigw.errors import InputFileError

from .harness import BACKEND_KEYWORDS, Harness
from .jsondiff import json_diff
from .request import REQUEST_KEYWORDS
from .results import Invoked, OutputNotJsonError, Rendered

__all__ = ["CaseFileError", "Case", "CaseFile", "load_cases", "run_case", "CASE_FILE_KEYS"]

CASE_FILE_KEYS = ("api", "api_id", "template", "stage", "stage_variables", "context", "cases")
_RUN_KEYS = ("stage", "stage_variables", "context")
_CASE_KEYS = ("name", "request", "expect", "integration_response", *BACKEND_KEYWORDS, *_RUN_KEYS)
_API_EXPECT = ("status", "headers", "json", "body", "integration_request")
_TEMPLATE_EXPECT = ("json", "body")
_INTEGRATION_EXPECT = ("method", "uri", "url", "headers", "json", "body")


class CaseFileError(InputFileError):
    """A case file that cannot be run: where, and what is wrong."""

    default_file = "<case file>"


@dataclass
class Case:
    """One case: its name, where it starts, and what to send and expect."""

    name: str
    index: int
    line: int | None
    request: dict[str, Any]
    backend: dict[str, Any]
    run: dict[str, Any]
    integration_response: Any
    expect: dict[str, Any]


@dataclass
class CaseFile:
    """A parsed case file: the API or template it tests (absolute), file-level defaults, its cases."""

    path: Path
    api: Path | None
    api_id: str | None
    template: Path | None
    defaults: dict[str, Any]
    cases: list[Case] = field(default_factory=list)


class _Checker:
    def __init__(self, path: Path, doc: Any) -> None:
        self.path = path
        self.doc = doc

    def error(self, pointer: str, message: str, *, key: bool = False) -> CaseFileError:
        """An error at ``pointer``: at its key (``key=True``, for unknown keys) or at its value."""
        position = self.doc.position(pointer)
        line = column = None
        if position is not None:
            line, column = position.line, position.column
            if key and position.key_line is not None:
                line, column = position.key_line, position.key_column
        return CaseFileError(message, file=_display(self.path), pointer=pointer or None, line=line, column=column)

    def mapping(self, value: Any, pointer: str, what: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.error(pointer, f"{what} must be a mapping")
        return value

    def keys(self, value: dict[str, Any], pointer: str, allowed: tuple[str, ...], what: str) -> None:
        for key in value:
            if key not in allowed:
                raise self.error(f"{pointer}/{_escape(key)}",
                                 f"unknown key {key!r} in {what}; expected one of {', '.join(allowed)}", key=True)


def load_cases(path: Path) -> CaseFile:
    """Parse and check a case file; raise :class:`CaseFileError` with the place of the first problem."""
    from vtlgw.apigw.definition import DefinitionError, load_document

    try:
        doc = load_document(path, name=_display(path), yaml11=False)
    except DefinitionError as exc:
        raise CaseFileError(exc.message, file=exc.file, pointer=exc.pointer, line=exc.line,
                            column=exc.column) from None
    check = _Checker(path, doc)
    top = check.mapping(doc.data, "", "a case file")
    check.keys(top, "", CASE_FILE_KEYS, "a case file")
    if ("api" in top) == ("template" in top):
        raise check.error("", "a case file names either api: (a definition) or template: (a .vtl file)")
    base = path.parent
    target_key = "api" if "api" in top else "template"
    target = top[target_key]
    if not isinstance(target, str) or not target:
        raise check.error(f"/{target_key}", f"{target_key}: must be a path relative to this file")
    target_path = (base / target).resolve()
    if not target_path.exists():
        raise check.error(f"/{target_key}", f"{target_key}: {target} does not exist (looked for {target_path})")
    if top.get("api_id") is not None and not isinstance(top["api_id"], str):
        raise check.error("/api_id", "api_id: must be text (a logical id)")
    defaults = {key: top[key] for key in _RUN_KEYS if key in top}
    _check_run(check, defaults, "")
    cases = top.get("cases")
    if not isinstance(cases, list) or not cases:
        raise check.error("/cases" if "cases" in top else "", "cases: must be a non-empty list of cases")
    result = CaseFile(path, target_path if target_key == "api" else None, top.get("api_id"),
                      target_path if target_key == "template" else None, defaults)
    names: set[str] = set()
    for index, raw in enumerate(cases):
        pointer = f"/cases/{index}"
        case = check.mapping(raw, pointer, "a case")
        check.keys(case, pointer, _CASE_KEYS, "a case")
        name = case.get("name", f"case {index + 1}")
        if not isinstance(name, str) or not name.strip():
            raise check.error(f"{pointer}/name", "name: must be text")
        if name in names:
            raise check.error(f"{pointer}/name", f"two cases are named {name!r}; names must be unique")
        names.add(name)
        request = check.mapping(case.get("request", {}), f"{pointer}/request", "request")
        check.keys(request, f"{pointer}/request", tuple(sorted(REQUEST_KEYWORDS - {"request"}) + ["file"]),
                   "request")
        if "file" in request:
            request = dict(request)
            request["request"] = str((base / str(request.pop("file"))).resolve())
        backends = {k: case[k] for k in BACKEND_KEYWORDS if k in case}
        if "backend" in backends:
            raise check.error(f"{pointer}/backend", "backend: is for Python tests; a case file uses lambda_result, "
                                                    "lambda_error, http_response or lambda_handler")
        if len(backends) > 1:
            raise check.error(pointer, f"choose one backend, not {' and '.join(backends)}")
        if result.template is not None:
            if backends:
                raise check.error(f"{pointer}/{next(iter(backends))}", "a template case calls no backend")
        elif "integration_response" in case:
            raise check.error(f"{pointer}/integration_response", "integration_response: is for template cases")
        elif not {"method", "path"} <= set(request):
            raise check.error(f"{pointer}/request", "an API case's request needs method: and path:")
        for key, value in backends.items():
            if isinstance(value, str) and key != "lambda_handler":
                backends[key] = str((base / value).resolve())  # a file next to the case file
        run = {key: case[key] for key in _RUN_KEYS if key in case}
        _check_run(check, run, pointer)
        expect = check.mapping(case.get("expect"), f"{pointer}/expect", "expect")
        allowed = _TEMPLATE_EXPECT if result.template is not None else _API_EXPECT
        check.keys(expect, f"{pointer}/expect", allowed, "expect")
        if "json" in expect and "body" in expect:
            raise check.error(f"{pointer}/expect", "expect json: or body:, not both")
        if "status" in expect and (not isinstance(expect["status"], int) or isinstance(expect["status"], bool)):
            raise check.error(f"{pointer}/expect/status", "status: must be an integer")
        if "body" in expect and not isinstance(expect["body"], str):
            raise check.error(f"{pointer}/expect/body", "body: must be text (use json: for a JSON value)")
        if "headers" in expect:
            _check_headers(check, expect["headers"], f"{pointer}/expect/headers")
        if "integration_request" in expect:
            sub = check.mapping(expect["integration_request"], f"{pointer}/expect/integration_request",
                                "integration_request")
            check.keys(sub, f"{pointer}/expect/integration_request", _INTEGRATION_EXPECT, "integration_request")
            if "headers" in sub:
                _check_headers(check, sub["headers"], f"{pointer}/expect/integration_request/headers")
        position = doc.position(pointer)
        result.cases.append(Case(name, index, position.line if position else None, request, backends, run,
                                 case.get("integration_response"), expect))
    return result


def _check_run(check: _Checker, run: dict[str, Any], pointer: str) -> None:
    if "stage" in run and not isinstance(run["stage"], str):
        raise check.error(f"{pointer}/stage", "stage: must be text")
    for key in ("stage_variables", "context"):
        if key in run:
            check.mapping(run[key], f"{pointer}/{key}", f"{key}")


def _check_headers(check: _Checker, value: Any, pointer: str) -> None:
    headers = check.mapping(value, pointer, "headers")
    for name, text in headers.items():
        if not isinstance(text, (str, int, float)) or isinstance(text, bool):
            raise check.error(f"{pointer}/{_escape(name)}", "a header value must be text")


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def _escape(token: str) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


# ---------------------------------------------------------------------------- running


def run_case(harness: Harness, cases: CaseFile, case: Case) -> tuple[Rendered | Invoked, list[str]]:
    """Run one case; the result, and what differs from ``expect`` (empty when the case passes)."""
    keywords: dict[str, Any] = {**cases.defaults, **case.run, **case.request}
    if cases.template is not None:
        result: Rendered | Invoked = harness.render(cases.template, integration_response=case.integration_response,
                                                    **keywords)
        return result, _compare_body(result, case.expect)
    route = f"{keywords.pop('method')} {keywords.pop('path')}"
    assert cases.api is not None
    api = harness.api(cases.api, api_id=cases.api_id)
    invoked = api.invoke(route, **keywords, **case.backend)
    problems: list[str] = []
    expect = case.expect
    if "status" in expect and invoked.status != expect["status"]:
        problems.append(f"status: expected {expect['status']}, got {invoked.status}")
    problems += _compare_headers("headers", expect.get("headers"), invoked.headers)
    problems += _compare_body(invoked, expect)
    sub = expect.get("integration_request")
    if sub is not None:
        seen = invoked.integration_request
        if seen is None:
            problems.append("integration_request: the backend was never called")
        else:
            for key in ("method", "uri", "url"):
                actual = seen.method if key == "method" else getattr(seen, key)
                if key in sub and str(sub[key]) != actual:
                    problems.append(f"integration_request.{key}: expected {sub[key]!r}, got {actual!r}")
            problems += _compare_headers("integration_request.headers", sub.get("headers"), seen.headers)
            problems += _compare_body(seen, sub, label="integration_request.")
    return invoked, problems


def _compare_headers(label: str, expected: Any, actual: Any) -> list[str]:
    problems = []
    for name, value in (expected or {}).items():
        if name not in actual:
            problems.append(f"{label}.{name}: expected {str(value)!r}, the header is absent")
        elif actual[name] != str(value):
            problems.append(f"{label}.{name}: expected {str(value)!r}, got {actual[name]!r}")
    return problems


def _compare_body(result: Any, expect: dict[str, Any], label: str = "") -> list[str]:
    text = result.text if isinstance(result, Rendered) else result.body
    if "body" in expect and text != expect["body"]:
        return [f"{label}body: expected {expect['body']!r}", f"{' ' * len(label)}      got {text!r}"]
    if "json" in expect:
        try:
            actual = result.json()
        except OutputNotJsonError as exc:
            return [f"{label}json: {exc}"]
        differences = json_diff(actual, expect["json"])
        if differences:
            return [f"{label}json differs (left: actual, right: expected):"] + [f"  {d}" for d in differences]
    return []
