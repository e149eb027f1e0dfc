"""Configuration: [tool.vtlgw.lint] discovery, validation, and what each key does."""

from __future__ import annotations

import pytest

from vtlgw.lint import LintConfig, lint, lint_text
from vtlgw.lint.config import config_from_table, find_config_file, load_config
from vtlgw.lint.errors import LintConfigError
from vtlgw.vtl.diagnostics import Severity


def codes(diagnostics):
    return [(d.code, d.location.file) for d in diagnostics]


def test_nearest_file_upward_wins_and_vtlgw_toml_first(project, write):
    write("pyproject.toml", '[tool.vtlgw.lint]\nfail-on = "warning"\n')
    write("sub/deeper/x.txt", "")
    assert find_config_file(project / "sub" / "deeper") == (project / "pyproject.toml").resolve()
    write("sub/pyproject.toml", "[project]\nname = 'no-lint-table'\n")  # no table: keep looking upward
    assert find_config_file(project / "sub" / "deeper") == (project / "pyproject.toml").resolve()
    write("sub/vtlgw.toml", '[lint]\nfail-on = "info"\n')
    assert find_config_file(project / "sub" / "deeper") == (project / "sub" / "vtlgw.toml").resolve()
    assert load_config(start=project / "sub" / "deeper").fail_on == "info"
    assert load_config(start=project).fail_on == "warning"


def test_no_configuration_means_defaults(project):
    config = load_config()
    assert config.select is None and config.fail_on == "error" and config.file is None


def test_every_key_is_read(project, write, sample_rules):
    write("pyproject.toml", """\
[tool.vtlgw.lint]
select = ["VTL99"]
ignore = ["VTL995"]
fail-on = "warning"
severity = {VTL992 = "warning"}
samples = ["samples/get.json"]
[tool.vtlgw.lint.per-file-ignores]
"legacy/*.vtl" = ["VTL991"]
[tool.vtlgw.lint.kind-patterns]
"responses/*.vtl" = "response"
[tool.vtlgw.lint.media-type-patterns]
"*.xml.vtl" = "Application/XML"
""")
    config = load_config()
    assert config.file == "pyproject.toml"
    assert config.select == ["VTL99"] and config.ignore == ["VTL995"] and config.fail_on == "warning"
    assert config.severity == {"VTL992": Severity.WARNING}
    assert config.samples == ["samples/get.json"]
    assert config.per_file_ignores == {"legacy/*.vtl": ["VTL991"]}
    assert config.classify(str(project / "responses" / "a.xml.vtl")) == ("response", "application/xml")
    assert config.classify(str(project / "a.vtl")) == ("request", "application/json")
    assert config.fail_level is Severity.WARNING


@pytest.mark.parametrize(("table", "message"), [
    ('selct = ["VTL991"]', "[tool.vtlgw.lint] selct: unknown key"),
    ('select = ["VTL9999"]', "[tool.vtlgw.lint] select: unknown rule id 'VTL9999'"),
    ('ignore = ["XYZ"]', "[tool.vtlgw.lint] ignore: unknown rule id 'XYZ'"),
    ('select = "VTL991, VTL992"', "select: unknown rule id 'VTL991, VTL992'"),
    ("ignore = [1]", "[tool.vtlgw.lint] ignore: expected a list of strings"),
    ('fail-on = "fatal"', "[tool.vtlgw.lint] fail-on: 'fatal' is not one of error, warning, info, never"),
    ('severity = {VTL1234 = "info"}', "[tool.vtlgw.lint] severity.VTL1234: unknown rule id 'VTL1234'"),
    ('severity = {VTL99 = "info"}', "severity.VTL99: unknown rule id 'VTL99'"),  # no prefixes here
    ('severity = {VTL991 = "loud"}', "[tool.vtlgw.lint] severity.VTL991: 'loud' is not error, warning or info"),
    ('per-file-ignores = {"a/*.vtl" = ["VTL7"]}', "per-file-ignores.'a/*.vtl': unknown rule id 'VTL7'"),
    ('kind-patterns = {"*.vtl" = "reply"}', "kind-patterns.'*.vtl': 'reply' is not one of request"),
    ('media-type-patterns = {"*.vtl" = "json"}', "'json' is not a MIME type"),
    ("samples = 3", "[tool.vtlgw.lint] samples: expected a list of strings"),
])
def test_invalid_configuration_names_the_file_and_key(project, write, sample_rules, table, message):
    write("pyproject.toml", f"[tool.vtlgw.lint]\n{table}\n")
    with pytest.raises(LintConfigError) as info:
        load_config()
    text = str(info.value)
    assert text.startswith("pyproject.toml: error: ")
    assert message in text


def test_toml_syntax_error_is_a_config_error(project, write):
    write("vtlgw.toml", "[lint\n")
    with pytest.raises(LintConfigError, match=r"vtlgw.toml: error: not valid TOML"):
        load_config()


def test_ids_are_case_insensitive_and_prefixes_allowed(sample_rules):
    config = config_from_table({"select": ["vtl99", "ALL"], "ignore": ["vtl991"]}, file="x", root=".")
    assert config.select == ["VTL99", "VTL"] and config.ignore == ["VTL991"]


def test_per_file_ignores_match_paths_relative_to_the_config(project, write, sample_rules, monkeypatch):
    write("pyproject.toml", '[tool.vtlgw.lint]\nselect = ["VTL99"]\n'
                            '[tool.vtlgw.lint.per-file-ignores]\n"legacy/**" = ["VTL991"]\n"b.vtl" = ["VTL99"]\n')
    write("legacy/old/a.vtl", "$foo")
    write("new/a.vtl", "$foo")
    write("new/b.vtl", "$foo")
    config = load_config()
    assert codes(lint(["."], config=config)) == [("VTL991", "new/a.vtl")]
    # run from a subdirectory: the globs stay relative to the configuration's directory
    monkeypatch.chdir(project / "new")
    assert codes(lint([".."], config=load_config())) == [("VTL991", "a.vtl")]


def test_severity_override_and_fail_level(sample_rules):
    config = LintConfig(select=["VTL992"], severity={"VTL992": Severity.ERROR})
    [d] = lint_text("bar", config=config)
    assert d.severity is Severity.ERROR
    assert LintConfig(fail_on="never").fail_level is None


def test_command_line_values_override_the_file(sample_rules):
    base = config_from_table({"select": ["VTL991"], "fail-on": "warning"}, file="x", root=".")
    merged = base.with_overrides(select=["VTL992"], fail_on=None, kind="response", media_type=None)
    assert merged.select == ["VTL992"] and merged.fail_on == "warning" and merged.kind == "response"
    assert base.select == ["VTL991"]  # the file's configuration is not changed


def test_kind_and_media_type_from_the_name():
    config = LintConfig()
    assert config.classify("t/create.request.json.vtl") == ("request", "application/json")
    assert config.classify("t/get.response.xml.vtl") == ("response", "application/xml")
    assert config.classify("t/DEFAULT_4XX.gateway.json.vtl") == ("gateway", "application/json")
    assert config.classify("t/plain.vtl") == ("request", "application/json")
    assert config.classify("t/form.request.form.vtl") == ("request", "application/x-www-form-urlencoded")
    # options win over the name
    forced = LintConfig(kind="response", media_type="text/plain")
    assert forced.classify("t/create.request.json.vtl") == ("response", "text/plain")
