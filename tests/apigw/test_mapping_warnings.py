"""Warnings of a lone render: Diagnostics, the duplicate-override ones at the assignment that repeats."""

import pytest

from vtlgw.apigw.mapping import (
    MappingContext,
    duplicate_override_warnings,
    override_location,
    render_mapping,
    render_traced_with,
    render_with,
)
from vtlgw.apigw.request import MethodRequest
from vtlgw.vtl import Template
from vtlgw.vtl.diagnostics import Diagnostic, Location, Severity

LOOP = "#foreach($i in [1..1001])#end"


def render_twice_assigned(source: str) -> tuple[Template, list[Diagnostic]]:
    template = Template(source, "t.vtl")
    mctx = MappingContext.for_request(MethodRequest())
    render_with(template, mctx)
    return template, duplicate_override_warnings(mctx, template)


def test_render_mapping_and_the_traced_render_give_diagnostics():
    result = render_mapping("a" + LOOP, name="t.vtl")
    assert result.output == "a"
    assert result.warnings == [Diagnostic(Severity.WARNING, None,
                                          "#foreach stopped after 1000 iterations (API Gateway's limit per loop)",
                                          Location("t.vtl", 1, 2, source_line="a" + LOOP))]
    received: list = []  # a caller's own list receives them too
    traced = render_traced_with(Template("a" + LOOP, "t.vtl"), MappingContext.for_request(MethodRequest()),
                                warnings=received)
    assert traced.text == "a" and received == result.warnings


@pytest.mark.parametrize("second", [
    '#set($context.responseOverride.header.X = "2")',
    '#set($context.responseOverride.header["X"] = "2")',
    "$context.responseOverride.header.put('X', '2')",
])
def test_a_duplicate_override_points_at_the_second_assignment(second):
    first = '#set($context.responseOverride.header.X = "1")\n'
    template, warnings = render_twice_assigned(first + "  " + second)
    assert [w.message for w in warnings] == [
        "responseOverride.header.X was overridden more than once (API Gateway answers 500)"]
    where = warnings[0].location
    start = second.index("$context") + 3  # two spaces of indentation, 1-based
    assert (where.file, where.line, where.column) == ("t.vtl", 2, start)
    assert where.source_line == "  " + second


def test_a_key_assigned_again_by_a_loop_points_at_its_only_assignment():
    template, warnings = render_twice_assigned("#foreach($i in [1, 2])#set($context.responseOverride.status = 400)#end")
    assert [(w.location.line, w.location.column) for w in warnings] == [(1, len("#foreach($i in [1, 2])#set(") + 1)]


def test_a_computed_key_is_cited_by_the_template_name():
    template, warnings = render_twice_assigned(
        '#set($k = "X")#set($context.responseOverride.header[$k] = 1)#set($context.responseOverride.header[$k] = 2)')
    assert len(warnings) == 1 and warnings[0].location == Location("t.vtl")


def test_override_location_without_a_template():
    assert override_location(None, "responseOverride.status") == Location("<template>")
