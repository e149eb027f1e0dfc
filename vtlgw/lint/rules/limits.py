"""Limit rules (VTL4xx): API Gateway's size and loop limits, checked before deploy.

The limits are the engine's own (:data:`vtlgw.vtl.runtime.DEFAULT_LIMITS`), so
the linter and a render agree on where they lie.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from vtlgw.lint.registry import register
from vtlgw.lint.rule import RuleDoc, TemplateRule
from vtlgw.lint.tree import facts, span
from vtlgw.vtl import nodes as n
from vtlgw.vtl.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from vtlgw.lint.units import TemplateUnit


def _limits():
    from vtlgw.vtl.runtime import DEFAULT_LIMITS

    return DEFAULT_LIMITS


@register
class TemplateTooLargeRule(TemplateRule):
    doc = RuleDoc(
        code="VTL401",
        name="template-too-large",
        severity=Severity.ERROR,
        message="split or shrink the template: API Gateway accepts at most 300 KB (307,200 bytes) per template",
        what="A mapping template larger than 300 KB of UTF-8.",
        why="300 KB is API Gateway's limit for one mapping template; a larger one cannot be used.",
        example="(a template generated with a 400 KB lookup table inlined)\n",
        fix="Move large constant data to the backend or to stage variables, or split the method.",
    )

    def check(self, unit: "TemplateUnit") -> Iterator[Diagnostic]:
        size = len(unit.text.encode("utf-8", "surrogatepass"))
        limit = _limits().max_template_bytes
        if size > limit:
            yield unit.diagnostic(type(self), 0, None,
                                  message=f"template is {size:,} bytes; API Gateway accepts at most {limit:,} "
                                          "bytes (300 KB) per mapping template")


def _int_bound(expr: object, constants: dict[str, int]) -> int | None:
    """An integer literal, or a variable the template sets once, to an integer literal (``#set($max = 5000)``)."""
    if isinstance(expr, n.Literal) and type(expr.value) is int:
        return expr.value
    if isinstance(expr, n.Ref) and not expr.parts:
        return constants.get(expr.name)
    return None


def _constants(sets: list) -> dict[str, int]:
    """Plain variables assigned exactly once in the template, and to an integer literal."""
    values: dict[str, list] = {}
    for node in sets:
        values.setdefault(node.target.name, []).append(node)
    return {name: only.value.value for name, (only, *more) in values.items()
            if not more and not only.target.parts and isinstance(only.value, n.Literal)
            and type(only.value.value) is int}


@register
class LoopOverLimitRule(TemplateRule):
    doc = RuleDoc(
        code="VTL402",
        name="loop-over-limit",
        severity=Severity.WARNING,
        message="keep loops to 1,000 iterations: API Gateway stops a #foreach after its 1,000th",
        what="A range literal with more than 1,000 elements ([1..5000]), which a #foreach over it would walk.",
        why="API Gateway ends every #foreach after 1,000 iterations; the rest of the items are silently "
            "left out of the payload.",
        example="#foreach($i in [1..5000])$i #end\n",
        fix="Loop over at most 1,000 items (nest two loops, or let the backend do the work).",
    )

    def check(self, unit: "TemplateUnit") -> Iterator[Diagnostic]:
        if unit.tree is None:
            return
        cap = _limits().max_loop_iterations
        f = facts(unit.tree)
        ranges = f.nodes(n.Range)
        constants = _constants(f.nodes(n.Set)) if ranges else {}
        for node in ranges:
            lo, hi = _int_bound(node.start, constants), _int_bound(node.stop, constants)
            if lo is None or hi is None:
                continue
            count = abs(hi - lo) + 1
            if count > cap:
                start, end = span(node)
                yield unit.diagnostic(type(self), start, end,
                                      message=f"this range has {count:,} elements; a #foreach stops after "
                                              f"{cap:,} on API Gateway")
