"""``vtlgw lint --fix`` / ``--diff`` and the Python API's ``fix_text``: safe, mechanical, idempotent fixes."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

import vtlgw
from vtlgw.cli import main
from vtlgw.lint import lint
from vtlgw.lint.fix import apply_edits, fix_text
from vtlgw.vtl.diagnostics import Diagnostic, Edit, Location, Severity

BROKEN = Path(__file__).parent / "data" / "broken"
FIXED_RULES = ("VTL106", "VTL113", "VTL312")


def run(*args: str):
    return CliRunner().invoke(main, ["lint", *args], catch_exceptions=False)


def remaining(path: Path | str, codes=FIXED_RULES) -> list[str]:
    return [d.code for d in lint([path]) if d.code in codes]


# ---------------------------------------------------------------- fix_text (the Python API)


def test_replace_all_is_appended_to_escape_javascript() -> None:
    text = '{"name": "$util.escapeJavaScript($input.path(\'$.name\'))"}'
    assert fix_text(text) == '{"name": "$util.escapeJavaScript($input.path(\'$.name\')).replaceAll("\\\\\'","\'")"}'


def test_replace_all_goes_inside_braces_and_before_further_calls() -> None:
    text = '{"a": "${util.escapeJavaScript($input.params(\'a\'))}", "b": "$util.escapeJavaScript($x).trim()"}'
    fixed = fix_text(text)
    assert '${util.escapeJavaScript($input.params(\'a\')).replaceAll("\\\\\'","\'")}' in fixed
    assert '$util.escapeJavaScript($x).replaceAll("\\\\\'","\'").trim()' in fixed


def test_a_variable_holding_escape_javascript_is_fixed_where_it_is_set() -> None:
    text = '#set($n = $util.escapeJavaScript($input.path(\'$.n\')))\n{"n": "$n"}'
    assert fix_text(text).splitlines()[0] == \
        '#set($n = $util.escapeJavaScript($input.path(\'$.n\')).replaceAll("\\\\\'","\'"))'


def test_form_values_are_wrapped_in_url_encode() -> None:
    text = "Action=SendMessage&MessageBody=$input.body&Tag=$!{input.params('tag')}"
    assert fix_text(text, media_type="application/x-www-form-urlencoded") == \
        "Action=SendMessage&MessageBody=$util.urlEncode($input.body)&Tag=$util.urlEncode($input.params('tag'))"


def test_fixes_are_idempotent() -> None:
    for name in ("VTL106-escapejavascript-without-replaceall.request.json.vtl", "VTL113-sqs-form-unencoded.request.form.vtl"):
        media = "application/x-www-form-urlencoded" if ".form." in name else "application/json"
        once = fix_text((BROKEN / name).read_text(encoding="utf-8"), media_type=media)
        assert fix_text(once, media_type=media) == once


@pytest.mark.parametrize("name,body,params", [
    ("VTL106-escapejavascript-without-replaceall.request.json.vtl",
     json.dumps({"comment": 'Ship "fast" please\\today', "author": "Ann"}), {}),
    ("VTL113-sqs-form-unencoded.request.form.vtl", "hello", {"source": "web"}),
])
def test_fixed_templates_lint_clean_and_render_the_same_for_data_without_apostrophes(
        name: str, body: str, params: dict) -> None:
    text = (BROKEN / name).read_text(encoding="utf-8")
    media = "application/x-www-form-urlencoded" if ".form." in name else "application/json"
    fixed = fix_text(text, media_type=media)
    assert fixed != text
    from vtlgw.lint import lint_text

    assert [d.code for d in lint_text(fixed, media_type=media) if d.code in FIXED_RULES] == []
    request = {"httpMethod": "POST", "path": "/", "body": body, "queryStringParameters": params}
    assert vtlgw.render(fixed, request) == vtlgw.render(text, request)


# ---------------------------------------------------------------- applying edits


def finding(*edits: Edit) -> tuple[Diagnostic, tuple[Edit, ...]]:
    return Diagnostic(Severity.WARNING, "VTL106", "m", Location("f")), edits


def test_an_edit_whose_text_has_changed_is_not_applied() -> None:
    text, applied, skipped = apply_edits("abc\ndef\n", [finding(Edit("f", 2, 1, 2, 4, "XYZ", "dex"))])
    assert (text, applied, len(skipped)) == ("abc\ndef\n", 0, 1)


def test_overlapping_fixes_wait_for_the_next_pass() -> None:
    text, applied, skipped = apply_edits("abcdef", [finding(Edit("f", 1, 2, 1, 5, "X", "bcd")),
                                                    finding(Edit("f", 1, 3, 1, 6, "Y", "cde"))])
    assert (text, applied, len(skipped)) == ("aXef", 1, 1)


def test_byte_order_mark_and_crlf_are_kept() -> None:
    text, applied, _ = apply_edits("\ufeffa\r\nbc\r\n", [finding(Edit("f", 2, 2, 2, 2, "+", ""))])
    assert (text, applied) == ("\ufeffa\r\nb+c\r\n", 1)


# ---------------------------------------------------------------- the command line


def copy_broken(project: Path, *names: str) -> None:
    for name in names:
        shutil.copy(BROKEN / name, project / name)


FIXABLE_FILES = ("VTL106-escapejavascript-without-replaceall.request.json.vtl",
                 "VTL113-sqs-form-unencoded.request.form.vtl",
                 "VTL311-VTL312-VTL320-response-headers.openapi.yaml")


def test_fix_writes_the_files_and_they_lint_clean(project: Path) -> None:
    copy_broken(project, *FIXABLE_FILES)
    before = {name: (project / name).read_text(encoding="utf-8") for name in FIXABLE_FILES}
    result = run("--fix", ".")
    assert "fixed 4 findings in 3 files" in result.stderr
    for name in FIXABLE_FILES:
        assert (project / name).read_text(encoding="utf-8") != before[name]
    assert remaining(project) == []
    fixed = (project / FIXABLE_FILES[2]).read_text(encoding="utf-8")
    assert "method.response.header.Content-Type: \"'application/json'\"" in fixed


def test_fixed_definition_is_still_the_same_api(project: Path) -> None:
    from vtlgw.apigw.definition import load_definition

    copy_broken(project, FIXABLE_FILES[2])
    run("--fix", FIXABLE_FILES[2])
    [method] = load_definition(FIXABLE_FILES[2]).methods.values()
    params = method.integration.integration_responses[0].response_parameters
    assert params["method.response.header.Content-Type"] == "'application/json'"


def test_fix_in_a_yaml_block_scalar_and_not_in_a_quoted_template(project: Path, write) -> None:
    write("api.openapi.yaml", """openapi: 3.0.1
info: {title: t, version: "1"}
paths:
  /q:
    post:
      responses:
        "200": {description: ok}
      x-amazon-apigateway-integration:
        type: aws
        httpMethod: POST
        uri: arn:aws:apigateway:us-east-1:sqs:path/123456789012/orders
        credentials: arn:aws:iam::123456789012:role/api-sqs
        requestParameters:
          integration.request.header.Content-Type: "'application/x-www-form-urlencoded'"
        requestTemplates:
          application/json: |
            Action=SendMessage&MessageBody=$input.body
          text/plain: "Action=SendMessage&MessageBody=$input.body"
        responses:
          default: {statusCode: "200"}
""")
    result = run("--fix", "api.openapi.yaml")
    assert "fixed 1 finding in 1 file; 1 fixable finding not fixed (fix not applied" in result.stderr
    text = (project / "api.openapi.yaml").read_text(encoding="utf-8")
    assert "            Action=SendMessage&MessageBody=$util.urlEncode($input.body)\n" in text
    assert 'text/plain: "Action=SendMessage&MessageBody=$input.body"' in text
    assert remaining("api.openapi.yaml") == ["VTL113"]


def test_diff_writes_nothing_exits_1_and_applies_as_a_patch(project: Path) -> None:
    copy_broken(project, *FIXABLE_FILES)
    before = {name: (project / name).read_text(encoding="utf-8") for name in FIXABLE_FILES}
    result = run("--diff", ".")
    assert result.exit_code == 1
    assert "would fix 4 findings in 3 files" in result.stderr
    assert {name: (project / name).read_text(encoding="utf-8") for name in FIXABLE_FILES} == before
    assert result.stdout.startswith("--- ")
    (project / "fixes.diff").write_text(result.stdout, encoding="utf-8")
    subprocess.run(["git", "apply", "-p0", "fixes.diff"], cwd=project, check=True)
    patched = {name: (project / name).read_text(encoding="utf-8") for name in FIXABLE_FILES}
    for name in FIXABLE_FILES:
        (project / name).write_text(before[name], encoding="utf-8")
    run("--fix", ".")
    assert {name: (project / name).read_text(encoding="utf-8") for name in FIXABLE_FILES} == patched


def test_diff_with_nothing_to_fix_exits_0(project: Path, write) -> None:
    write("good.vtl", '{"a": 1}')
    result = run("--diff", "good.vtl")
    assert (result.exit_code, result.stdout) == (0, "")
    assert "would fix 0 findings in 0 files" in result.stderr


def test_summary_counts_fixable_findings(project: Path) -> None:
    copy_broken(project, FIXABLE_FILES[0])
    assert "(1 fixable with vtlgw lint --fix)" in run(FIXABLE_FILES[0]).stdout
