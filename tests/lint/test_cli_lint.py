"""``vtlgw lint`` on the command line: formats, exit codes, options, configuration precedence, bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from vtlgw.cli import main

ONLY_SAMPLES = ["--select", "VTL000,VTL99"]


def run(*args: str):
    return CliRunner().invoke(main, ["lint", *args], catch_exceptions=False)


@pytest.fixture
def templates(project, write, sample_rules):
    write("good.vtl", '{"a": 1}')
    write("warn.vtl", '{"a": "$foo"}')
    write("info.vtl", "bar")
    return project


def test_clean_run_exits_0(templates):
    result = run(*ONLY_SAMPLES, "good.vtl")
    assert result.exit_code == 0
    assert result.stdout == "All clean: 0 findings in 1 file\n"


def test_default_fail_level_is_error(templates):
    result = run(*ONLY_SAMPLES, ".")
    assert result.exit_code == 0  # a warning and an info only
    assert result.stdout.endswith("1 warning, 1 info in 3 files\n")
    assert "warn.vtl:1:8: warning VTL991 do not print $foo\n" in result.stdout


@pytest.mark.parametrize(("level", "code"), [("warning", 1), ("info", 1), ("error", 0), ("never", 0)])
def test_fail_on(templates, level, code):
    assert run(*ONLY_SAMPLES, "--fail-on", level, ".").exit_code == code


def test_fail_on_info_only_counts_findings_at_or_above(templates):
    assert run(*ONLY_SAMPLES, "--fail-on", "warning", "info.vtl").exit_code == 0
    assert run(*ONLY_SAMPLES, "--fail-on", "info", "info.vtl").exit_code == 1


def test_errors_exit_1(project, write, sample_rules):
    write("broken.vtl", "#if($x)\nnever closed")
    result = run(*ONLY_SAMPLES, "broken.vtl")
    assert result.exit_code == 1
    assert result.stdout.startswith("broken.vtl:1:1: error VTL993 ")


def test_colour_follows_the_terminal_and_the_environment(templates, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    assert "\x1b[" not in run(*ONLY_SAMPLES, "warn.vtl").stdout  # not a terminal
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b[" in run(*ONLY_SAMPLES, "warn.vtl").stdout
    assert "\x1b[" not in run(*ONLY_SAMPLES, "-f", "json", "warn.vtl").stdout
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in run(*ONLY_SAMPLES, "warn.vtl").stdout


def test_a_closed_pipe_is_not_a_traceback(project, write):
    for i in range(300):
        write(f"t{i:03d}.vtl", "$nope\n" * 20)
    proc = subprocess.run(f"{sys.executable} -m vtlgw.cli lint --isolated . | head -1", shell=True,
                          capture_output=True, text=True)
    assert proc.stdout.count("\n") == 1
    assert proc.stderr == ""  # no traceback, no "Exception ignored" either


def test_json_format(templates):
    result = run(*ONLY_SAMPLES, "-f", "json", "warn.vtl")
    data = json.loads(result.stdout)
    assert data["summary"] == {"error": 0, "warning": 1, "info": 0}
    assert data["findings"][0]["rule"] == "VTL991" and data["findings"][0]["file"] == "warn.vtl"


def test_sarif_format(templates):
    document = json.loads(run(*ONLY_SAMPLES, "--format", "sarif", ".").stdout)
    assert document["version"] == "2.1.0"
    assert {r["ruleId"] for r in document["runs"][0]["results"]} == {"VTL991", "VTL992"}


def test_github_format(templates):
    result = run(*ONLY_SAMPLES, "--format", "github", "warn.vtl")
    assert result.stdout == "::warning file=warn.vtl,line=1,col=8,endLine=1,endColumn=12,title=VTL991::do not print $foo\n"


def test_a_template_from_stdin(project, sample_rules):
    result = CliRunner().invoke(main, ["lint", *ONLY_SAMPLES, "-f", "json", "--kind", "response", "-"],
                                input='{"a": "$foo"}')
    [found] = json.loads(result.stdout)["findings"]
    assert (found["file"], found["line"], found["column"]) == ("<stdin>", 1, 8)
    assert found["template"] == {"kind": "response", "mediaType": "application/json"}


def test_unknown_format_is_a_usage_error(templates):
    result = run("--format", "xml", ".")
    assert result.exit_code == 2
    assert "Invalid value for '--format' / '-f'" in result.stderr


def test_select_and_ignore(templates):
    only_info = run("--select", "VTL992", ".")
    assert "VTL991" not in only_info.stdout and "VTL992" in only_info.stdout
    ignored = run(*ONLY_SAMPLES, "--ignore", "VTL992", "--ignore", "VTL991", ".")
    assert ignored.stdout == "All clean: 0 findings in 3 files\n"


def test_unknown_rule_id_on_the_command_line(templates):
    result = run("--select", "VTL991,VTL9999", ".")
    assert result.exit_code == 2
    assert "Invalid value for --select: unknown rule id 'VTL9999'" in result.stderr


def test_empty_select_is_a_usage_error(templates):
    result = run("--select", " , ", ".")
    assert result.exit_code == 2 and "Invalid value for --select: expected rule ids" in result.stderr


def test_command_line_overrides_the_configuration(templates, write):
    write("pyproject.toml", '[tool.vtlgw.lint]\nselect = ["VTL991"]\nfail-on = "warning"\n')
    assert run(".").exit_code == 1
    assert run("--fail-on", "error", ".").exit_code == 0
    selected = run("--select", "VTL992", ".")
    assert selected.exit_code == 0 and "VTL992" in selected.stdout and "VTL991" not in selected.stdout
    assert run("--isolated", *ONLY_SAMPLES, ".").exit_code == 0  # the file's fail-on is not read


def test_explicit_config_file(templates, write):
    write("ci/lint.toml", '[tool.vtlgw.lint]\nselect = ["VTL992"]\n')
    result = run("--config", "ci/lint.toml", ".")
    assert "VTL992" in result.stdout and "VTL991" not in result.stdout


def test_invalid_configuration_exits_2(templates, write):
    write("pyproject.toml", '[tool.vtlgw.lint]\nignore = ["VTL9999"]\n')
    result = run(".")
    assert result.exit_code == 2
    assert result.stderr == ("pyproject.toml: error: [tool.vtlgw.lint] ignore: unknown rule id 'VTL9999' "
                             "(see vtlgw lint --list-rules)\n")


def test_kind_and_media_type_options(project, write, sample_rules):
    write("t.vtl", "$foo")
    data = json.loads(run(*ONLY_SAMPLES, "-f", "json", "--kind", "response", "--media-type", "Application/XML",
                          "t.vtl").stdout)
    assert data["findings"][0]["template"] == {"kind": "response", "mediaType": "application/xml"}
    bad = run("--media-type", "json", "t.vtl")
    assert bad.exit_code == 2 and "'json' is not a MIME type" in bad.stderr


def test_list_rules(sample_rules):
    result = run("--list-rules")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["VTL000", "error", "definition-problem"]
    assert any(line.split()[:3] == ["VTL991", "warning", "prints-foo"] for line in lines)


def test_explain(sample_rules):
    result = run("--explain", "vtl991")
    assert result.exit_code == 0
    assert result.stdout.startswith("VTL991 prints-foo (warning)\n")
    assert "Why it matters on API Gateway\n    prints-foo: why" in result.stdout


def test_explain_unknown_id_exits_2():
    result = run("--explain", "VTL1234")
    assert result.exit_code == 2
    assert "Invalid value for --explain: unknown rule id 'VTL1234'" in result.stderr


def test_list_rules_and_explain_together_is_a_usage_error():
    assert run("--list-rules", "--explain", "VTL000").exit_code == 2


# ---------------------------------------------------------------- inputs that cannot be linted


def test_missing_path_exits_2(project):
    result = run("nope.vtl")
    assert result.exit_code == 2
    assert result.stderr == "nope.vtl: error: no such file or directory\n"


def test_non_utf8_template_exits_2_with_location(project, write):
    write("bad.vtl", b'{"a":\n "\xff"}')
    result = run("bad.vtl")
    assert result.exit_code == 2
    assert result.stderr == "bad.vtl:2:3: error: not UTF-8 text (byte 0xff)\n"


def test_unparsable_definition_exits_2_with_location(project, write, sample_rules):
    write("api.yaml", "openapi: 3.0.1\npaths:\n  /x: [unclosed\n")
    write("ok.vtl", "$foo")
    result = run(*ONLY_SAMPLES, "ok.vtl", "api.yaml")
    assert result.exit_code == 2
    assert result.stderr.startswith("api.yaml:")
    assert "Traceback" not in result.stderr + result.stdout
    assert "ok.vtl:1:1: warning VTL991" in result.stdout  # the other findings are still reported


def test_bad_request_sample_exits_2(project, write):
    write("t.vtl", "x")
    write("req.json", '{"httpMethod": "GET",\n "path": }')
    result = run("--request", "req.json", "t.vtl")
    assert result.exit_code == 2
    assert result.stderr.startswith("req.json:2:")
    missing = run("--request", "missing.json", "t.vtl")
    assert missing.exit_code == 2 and "does not exist" in missing.stderr


def test_request_samples_reach_the_units(project, write):
    from vtlgw.lint.command import LintOptions, run_lint  # noqa: F401  (the path the command takes)
    from vtlgw.lint.runner import Runner, load_samples

    write("req.json", '{"httpMethod": "POST", "path": "/x", "body": "{}"}')
    samples = load_samples(["req.json"])
    runner = Runner(samples=samples)
    assert runner.samples == [{"httpMethod": "POST", "path": "/x", "body": "{}"}]
    from vtlgw.lint.units import TemplateUnit

    assert TemplateUnit.build("x", "t", samples=runner.samples).samples == runner.samples


def test_configured_samples_are_relative_to_the_configuration(project, write):
    write("pyproject.toml", '[tool.vtlgw.lint]\nsamples = ["samples/missing.json"]\n')
    write("t.vtl", "x")
    result = run("t.vtl")
    assert result.exit_code == 2
    assert result.stderr.startswith("samples/missing.json: error: cannot read the request sample")


def test_importing_the_cli_does_not_load_the_linter():
    """``vtlgw --help`` stays fast: the lint command imports its machinery only when it runs."""
    code = ("import sys, vtlgw.cli; heavy = [m for m in ('vtlgw.lint.runner', 'vtlgw.lint.config', "
            "'vtlgw.vtl.template', 'vtlgw.apigw.definition', 'pathspec', 'tomllib') if m in sys.modules]; "
            "print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_help_lists_the_options():
    result = CliRunner().invoke(main, ["lint", "--help"])
    assert result.exit_code == 0
    for option in ("--format", "--fail-on", "--select", "--ignore", "--kind", "--media-type", "--request",
                   "--list-rules", "--explain", "--config"):
        assert option in result.stdout
