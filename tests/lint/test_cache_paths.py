"""Caches of file contents follow the file, not its name: a relative path names another file after a chdir,
and an edited file is read again (the pytest plugin and editors lint the same names over and over)."""

from __future__ import annotations

from vtlgw.apigw.definition.placement import file_line
from vtlgw.lint import lint

API = """\
openapi: 3.0.1
info: {{title: t, version: '1'}}
paths:
  /x:
    get:
      responses: {{'200': {{description: ok}}}}
      x-amazon-apigateway-integration:
        type: {kind}
"""


def test_the_same_relative_name_in_two_folders_is_two_files(tmp_path, monkeypatch):
    for name, kind in (("one", "mock_typo"), ("two", "other_typo")):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "api.yaml").write_text(API.format(kind=kind), encoding="utf-8")
    seen = []
    for name in ("one", "two"):
        monkeypatch.chdir(tmp_path / name)
        seen.append(file_line("api.yaml", 8))
        found = [d for d in lint(["api.yaml"]) if d.code == "VTL000"]
        assert found and found[0].location.source_line == seen[-1]
    assert seen == ["        type: mock_typo", "        type: other_typo"]


def test_an_edited_file_is_read_again(tmp_path):
    path = tmp_path / "api.yaml"
    path.write_text(API.format(kind="first"), encoding="utf-8")
    assert file_line(str(path), 8) == "        type: first"
    path.write_text(API.format(kind="second_one"), encoding="utf-8")
    assert file_line(str(path), 8) == "        type: second_one"
