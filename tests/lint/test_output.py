"""Output formats: text (grouped, summary, colour), json, SARIF 2.1.0 (validated against the schema), github."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from vtlgw.lint.output import explain, github_report, json_report, rule_list, sarif_report, summary_line, text_report
from vtlgw.lint.runner import Finding, LintResult
from vtlgw.vtl.diagnostics import Diagnostic, Location, Severity

from .conftest import PrintsFoo, SAMPLE_RULES

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def finding(severity, code, message, file, line=None, column=None, end_line=None, end_column=None, *,
            pointer=None, source_line=None, kind="request", media="application/json", notes=()):
    location = Location(file, line, column, end_line, end_column, pointer=pointer, source_line=source_line)
    return Finding(Diagnostic(severity, code, message, location, tuple(notes)), kind, media)


def sample_result() -> LintResult:
    return LintResult(
        findings=[
            finding(Severity.WARNING, "VTL991", "do not print $foo", "b.vtl", 3, 5, 3, 9, source_line="    $foo"),
            finding(Severity.ERROR, "VTL993", "syntax error", "a.vtl", 2, 1, source_line="#end"),
            finding(Severity.INFO, "VTL992", "bar mentioned", "b.vtl", 1, 1, 1, 4, source_line="bar"),
            finding(Severity.ERROR, "VTL000", "/paths: bad", "api.yaml", 7, 3, pointer="/paths", kind=None,
                    media=None),
        ],
        files=["a.vtl", "b.vtl", "api.yaml", "clean.vtl"],
    )


# ---------------------------------------------------------------- text


@pytest.mark.parametrize(("counts", "files", "expected"), [
    ((0, 0, 0), 3, "All clean: 0 findings in 3 files"),
    ((0, 0, 0), 1, "All clean: 0 findings in 1 file"),
    ((3, 2, 1), 4, "3 errors, 2 warnings, 1 info in 4 files"),
    ((1, 1, 2), 1, "1 error, 1 warning, 2 info in 1 file"),
    ((2, 0, 0), 2, "2 errors in 2 files"),
    ((0, 0, 1), 2, "1 info in 2 files"),
])
def test_summary_line(counts, files, expected):
    findings = []
    for severity, n in zip((Severity.ERROR, Severity.WARNING, Severity.INFO), counts):
        findings += [finding(severity, "VTL991", "m", "a.vtl", 1, 1)] * n
    assert summary_line(LintResult(findings, [f"f{i}" for i in range(files)])) == expected


def test_text_report_groups_by_file_in_order_of_position():
    report = text_report(sample_result())
    assert report == "\n".join([
        "b.vtl:1:1: info VTL992 bar mentioned",
        "    1 | bar",
        "      | ^^^",
        "b.vtl:3:5: warning VTL991 do not print $foo",
        "    3 |     $foo",
        "      |     ^^^^",
        "",
        "a.vtl:2:1: error VTL993 syntax error",
        "    2 | #end",
        "      | ^",
        "",
        "api.yaml:7:3: error VTL000 /paths: bad",
        "",
        "2 errors, 1 warning, 1 info in 4 files",
    ])


def test_text_report_colour_only_when_asked():
    plain = text_report(sample_result())
    assert not ANSI.search(plain)
    coloured = text_report(sample_result(), colour=True)
    assert ANSI.search(coloured)
    assert ANSI.sub("", coloured) == plain


def test_text_report_when_clean():
    assert text_report(LintResult(files=["a.vtl", "b.vtl"])) == "All clean: 0 findings in 2 files"


# ---------------------------------------------------------------- json


def test_json_report_shape():
    data = json.loads(json_report(sample_result()))
    assert data["summary"] == {"error": 2, "warning": 1, "info": 1}
    first = data["findings"][0]
    assert first == {
        "rule": "VTL992", "severity": "info", "message": "bar mentioned", "file": "b.vtl", "line": 1,
        "column": 1, "endLine": 1, "endColumn": 4, "pointer": None,
        "template": {"kind": "request", "mediaType": "application/json"}, "notes": [], "fix": None,
    }
    definition = data["findings"][-1]
    assert definition["template"] is None and definition["pointer"] == "/paths"
    assert json.loads(json_report(LintResult())) == {"findings": [], "summary": {"error": 0, "warning": 0, "info": 0}}


# ---------------------------------------------------------------- sarif


def test_sarif_validates_against_the_published_schema(sample_rules, monkeypatch):
    import vtlgw.lint.output as output

    monkeypatch.setattr(output, "docs_url", lambda: "https://example.org/docs/lint.md")
    result = sample_result()
    result.findings.append(finding(Severity.WARNING, None, "a plain warning", "d.vtl", 2, 3))
    result.findings.append(finding(Severity.WARNING, "VTL991", "no position", "dir with space/c.vtl",
                                   notes=("sample: empty body",)))
    document = json.loads(sarif_report(result))
    jsonschema.Draft4Validator(SCHEMA).validate(document)
    assert document["version"] == "2.1.0"
    [run] = document["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "vtlgw" and driver["version"]
    ids = [r["id"] for r in driver["rules"]]
    assert ids == sorted(ids) and "VTL991" in ids
    rule = driver["rules"][ids.index("VTL991")]
    assert rule["shortDescription"]["text"] == PrintsFoo.doc.message
    assert rule["defaultConfiguration"]["level"] == "warning"
    assert rule["helpUri"] == "https://example.org/docs/lint.md#vtl991"
    assert driver["informationUri"] == "https://example.org/docs/lint.md"
    plain = [r for r in run["results"] if "ruleId" not in r]
    assert [r["message"]["text"] for r in plain] == ["a plain warning"] and "ruleIndex" not in plain[0]
    levels = {r["ruleId"]: r["level"] for r in run["results"] if "ruleId" in r}
    assert levels == {"VTL992": "note", "VTL991": "warning", "VTL993": "error",
                      "VTL000": "error"}
    for result_item in run["results"]:
        if "ruleId" in result_item:
            assert driver["rules"][result_item["ruleIndex"]]["id"] == result_item["ruleId"]
    first = run["results"][0]["locations"][0]["physicalLocation"]
    assert first == {"artifactLocation": {"uri": "b.vtl"},
                     "region": {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 4}}
    last = run["results"][-1]
    assert last["locations"][0]["physicalLocation"] == {"artifactLocation": {"uri": "dir%20with%20space/c.vtl"}}
    assert last["message"]["text"] == "no position\nsample: empty body"


def test_sarif_of_a_clean_run_validates(monkeypatch):
    import vtlgw.lint.output as output

    monkeypatch.setattr(output, "docs_url", lambda: None)
    document = json.loads(sarif_report(LintResult(files=["a.vtl"]), rules=list(SAMPLE_RULES)))
    jsonschema.Draft4Validator(SCHEMA).validate(document)
    assert document["runs"][0]["results"] == []
    assert "helpUri" not in document["runs"][0]["tool"]["driver"]["rules"][0]  # no guessed address


def test_sarif_schema_rejects_a_broken_document():
    """The schema file is the real one: a result with a bad level does not validate."""
    document = json.loads(sarif_report(sample_result(), rules=list(SAMPLE_RULES)))
    document["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(SCHEMA).validate(document)


# ---------------------------------------------------------------- github


def test_github_workflow_commands():
    lines = github_report(sample_result()).split("\n")
    assert lines == [
        "::notice file=b.vtl,line=1,col=1,endLine=1,endColumn=4,title=VTL992::bar mentioned",
        "::warning file=b.vtl,line=3,col=5,endLine=3,endColumn=9,title=VTL991::do not print $foo",
        "::error file=a.vtl,line=2,col=1,title=VTL993::syntax error",
        "::error file=api.yaml,line=7,col=3,title=VTL000::/paths: bad",
    ]


def test_github_escapes_data_and_properties():
    result = LintResult([finding(Severity.ERROR, "VTL991", "100% wrong\r\nsee: a, b", "odd,name:x.vtl", 1, 2,
                                 notes=("note 1",))], ["odd,name:x.vtl"])
    assert github_report(result) == (
        "::error file=odd%2Cname%3Ax.vtl,line=1,col=2,title=VTL991::100%25 wrong%0D%0Asee: a, b%0Anote 1")


# ---------------------------------------------------------------- rule documentation


def test_rule_list_and_explain():
    listing = rule_list([PrintsFoo, SAMPLE_RULES[1]]).split("\n")
    assert listing[0].split() == ["VTL991", "warning", "prints-foo", "do", "not", "print", "$foo"]
    assert listing[1].startswith("VTL992  info     mentions-bar")
    text = explain(PrintsFoo)
    assert text.startswith("VTL991 prints-foo (warning)\ndo not print $foo\n")
    for title, body in (("What it catches", "prints-foo: what"), ("Why it matters on API Gateway", "prints-foo: why"),
                        ("Example", "prints-foo: example"), ("Fix", "prints-foo: fix")):
        assert f"\n\n{title}\n    {body}" in text


def test_docs_rules_table_is_current():
    from pathlib import Path

    from vtlgw.lint.output import rules_markdown
    from vtlgw.lint.registry import all_rules

    docs = (Path(__file__).parents[2] / "docs" / "lint.md").read_text(encoding="utf-8")
    assert rules_markdown(all_rules()) in docs, "regenerate the table with vtlgw.lint.output.rules_markdown"


def test_summary_is_not_all_clean_when_an_input_could_not_be_linted():
    from vtlgw.lint.errors import LintInputError

    result = LintResult(files=["a.yaml"], errors=[LintInputError("too big", file="a.yaml")])
    assert text_report(result) == "0 findings in 1 file; 1 input could not be linted (see stderr)"
