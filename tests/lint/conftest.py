"""Shared helpers for the linter's tests: a small project directory and throw-away rules.

The sample rules (VTL99x) exist only inside the ``sample_rules`` fixture, so the
framework can be tested without depending on any real rule's judgement.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from vtlgw.lint.registry import registered
from vtlgw.lint.rule import DefinitionRule, RuleDoc, TemplateRule
from vtlgw.vtl import nodes
from vtlgw.vtl.diagnostics import Severity


def _doc(code: str, name: str, severity: Severity, message: str) -> RuleDoc:
    return RuleDoc(code=code, name=name, severity=severity, message=message, what=f"{name}: what",
                   why=f"{name}: why", example=f"{name}: example", fix=f"{name}: fix")


class PrintsFoo(TemplateRule):
    """Flags every printed ``$foo`` reference, spanning the reference."""

    doc = _doc("VTL991", "prints-foo", Severity.WARNING, "do not print $foo")

    def check(self, unit):
        for stmt in _statements(unit.tree or []):
            if isinstance(stmt, nodes.Output) and stmt.ref.name == "foo":
                yield unit.diagnostic(type(self), stmt.pos, stmt.pos + len(stmt.ref.source))


class MentionsBar(TemplateRule):
    """An info on every ``bar`` in the template text (a text-offset rule)."""

    doc = _doc("VTL992", "mentions-bar", Severity.INFO, "bar mentioned")

    def check(self, unit):
        start = unit.text.find("bar")
        while start != -1:
            yield unit.diagnostic(type(self), start, start + 3)
            start = unit.text.find("bar", start + 1)


class SyntaxErrors(TemplateRule):
    """Reports the unit's syntax error at the offset of its line:col."""

    doc = _doc("VTL993", "syntax", Severity.ERROR, "syntax error")

    def check(self, unit):
        if unit.syntax_error is not None:
            err = unit.syntax_error
            yield unit.diagnostic(type(self), unit.offset_of(err.line, err.column), message=err.message)


class EveryIntegration(DefinitionRule):
    """One finding per integration, at its source."""

    doc = _doc("VTL994", "every-integration", Severity.WARNING, "an integration")

    def check(self, unit):
        for method in unit.definition.methods.values():
            if method.integration is not None:
                yield unit.diagnostic(type(self), method.integration.source,
                                      message=f"integration of {method.http_method} {method.resource_path}")


class Crashes(TemplateRule):
    """A buggy rule: must become a finding, not a traceback."""

    doc = _doc("VTL995", "crashes", Severity.INFO, "never seen")

    def check(self, unit):
        if "crash" in unit.text:
            raise ZeroDivisionError("boom")
        return iter(())


SAMPLE_RULES = (PrintsFoo, MentionsBar, SyntaxErrors, EveryIntegration, Crashes)


def _statements(body: list) -> Iterator:
    """Statements of a body, nested blocks included (enough for the sample rules)."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, nodes.If):
            for _cond, block in stmt.branches:
                yield from _statements(block)
            if stmt.otherwise:
                yield from _statements(stmt.otherwise)
        elif isinstance(stmt, (nodes.Foreach, nodes.Define)):
            yield from _statements(stmt.body)


@pytest.fixture
def sample_rules() -> Iterator[tuple[type, ...]]:
    with registered(*SAMPLE_RULES):
        yield SAMPLE_RULES


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project directory (with a .git marker) as the working directory."""
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def write(project: Path):
    """``write("dir/name.vtl", text)``: create a file in the project, parents included."""

    def write_file(name: str, text: str | bytes) -> Path:
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return write_file
