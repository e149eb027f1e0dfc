"""Limit rules (VTL4xx): API Gateway's 300 KB template limit and its 1,000-iteration loop limit."""

from __future__ import annotations

import pytest

from vtlgw.lint import registry
from vtlgw.lint.units import TemplateUnit
from vtlgw.vtl.diagnostics import Severity

LIMIT = 307_200  # 300 KB, API Gateway's limit per mapping template


def findings(code: str, text: str) -> list[tuple[str, int, int]]:
    unit = TemplateUnit.build(text, "t.vtl")
    return [(d.code, d.location.line, d.location.column) for d in registry.get(code)().check(unit)]


def test_template_over_300_kb() -> None:
    assert findings("VTL401", "a" * (LIMIT + 1)) == [("VTL401", 1, 1)]


def test_template_of_exactly_300_kb() -> None:
    assert findings("VTL401", "a" * LIMIT) == []


def test_size_counts_utf8_bytes_not_characters() -> None:
    text = "é" * (LIMIT // 2 + 1)  # fewer characters than the limit, more bytes
    assert len(text) < LIMIT
    assert findings("VTL401", text) == [("VTL401", 1, 1)]


def test_oversized_template_is_reported_once_as_vtl401() -> None:
    from vtlgw.lint import lint_text

    codes = [d.code for d in lint_text("{" + "x" * LIMIT + "}")]
    assert codes == ["VTL401"]


def test_range_over_1000_elements() -> None:
    text = "[\n#foreach($i in [1..5000])$i,#end\n]"
    assert findings("VTL402", text) == [("VTL402", 2, 16)]  # the "["


@pytest.mark.parametrize("text", ["#foreach($i in [0..1000])$i#end", "#foreach($i in [1000..-1])$i#end",
                                  "#set($r = [1..1001])", "#set($max = 5000)\n#foreach($i in [1..$max])$i#end"])
def test_ranges_of_1001_elements(text: str) -> None:
    assert [c for c, *_ in findings("VTL402", text)] == ["VTL402"]


@pytest.mark.parametrize("text", ["#foreach($i in [1..1000])$i#end", "#foreach($i in [1000..1])$i#end",
                                  "#foreach($i in [1..$n])$i#end", "#foreach($i in $input.path('$.items'))$i#end",
                                  # set twice, or to something that is no integer literal: not a known bound
                                  "#set($n = 10)#set($n = 5000)#foreach($i in [1..$n])$i#end",
                                  "#set($n = $input.path('$.n'))#foreach($i in [1..$n])$i#end",
                                  "#set($max = 900)#foreach($i in [1..$max])$i#end"])
def test_loops_that_stay_within_the_limit_or_are_not_static(text: str) -> None:
    assert findings("VTL402", text) == []


@pytest.mark.parametrize("code, severity", [("VTL401", Severity.ERROR), ("VTL402", Severity.WARNING)])
def test_default_severities(code: str, severity: Severity) -> None:
    doc = registry.get(code).doc
    assert doc.severity is severity
    assert all(text.strip() for text in (doc.message, doc.what, doc.why, doc.example, doc.fix))
