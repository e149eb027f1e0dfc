"""The framework's own rule: problems found while loading a definition (VTL000).

``load_definition(strict=False)`` collects what API Gateway would reject at
import or deploy in ``ApiDefinition.problems``; each becomes a VTL000 error at
the offending value, so it can be selected, ignored and explained like any rule.
A problem that a more specific rule reports itself (``DefinitionRule.claims``,
e.g. VTL301 for a selection pattern that is not a Java regex) is left to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from vtlgw.lint.registry import register
from vtlgw.lint.rule import DefinitionRule, RuleDoc
from vtlgw.vtl.diagnostics import Diagnostic, Location, Severity

if TYPE_CHECKING:
    from vtlgw.lint.units import DefinitionUnit


@register
class DefinitionProblem(DefinitionRule):
    doc = RuleDoc(
        code="VTL000",
        name="definition-problem",
        severity=Severity.ERROR,
        message="fix the definition: API Gateway rejects it at import or deploy",
        what="A problem found while loading the API definition: a value of the wrong type, an unknown "
             "integration type, a duplicate method, a selection pattern that is not a Java regex, ...",
        why="API Gateway refuses the import or the deployment, or the method cannot work at all.",
        example="x-amazon-apigateway-integration:\n  type: lambda_proxy_typo\n",
        fix="Correct the value the message names, at the line and JSON pointer given.",
    )

    def check(self, unit: "DefinitionUnit") -> Iterator[Diagnostic]:
        from vtlgw.lint.registry import definition_rules

        claimants = [rule for rule in definition_rules() if rule is not type(self)]
        for problem in unit.definition.problems:
            if any(rule.claims(problem) for rule in claimants):
                continue  # a more specific rule reports it
            where = problem.location
            location = Location(file=unit.display(where.file), line=where.line, column=where.column,
                                pointer=where.pointer, source_line=unit.file_line(where.line))
            pointer = f"{where.pointer}: " if where.pointer else ""
            yield Diagnostic(self.doc.severity, self.doc.code, f"{pointer}{problem.message}", location)
