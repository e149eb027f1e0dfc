"""What a lint rule is: documentation (:class:`RuleDoc`) plus a ``check`` over one unit.

Rules are small classes, one per id, in the manner of ruff and flake8: a
template rule sees one :class:`~vtlgw.lint.units.TemplateUnit` (a template in
its context), a definition rule one :class:`~vtlgw.lint.units.DefinitionUnit`
(a loaded API definition). Both yield :class:`Diagnostic` objects, normally
made with ``unit.diagnostic(...)`` so that code, severity and location are
filled in consistently.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Iterator

from vtlgw.vtl.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from vtlgw.apigw.errors import InputFileError
    from vtlgw.lint.units import DefinitionUnit, TemplateUnit

__all__ = ["RuleDoc", "TemplateRule", "DefinitionRule", "Severity", "Diagnostic"]


@dataclass(frozen=True)
class RuleDoc:
    """A rule's id, name, default severity, one-line advice and its documentation."""

    code: str
    name: str
    severity: Severity
    message: str
    what: str
    why: str
    example: str
    fix: str
    fixable: bool = False


class TemplateRule:
    """Checks one mapping template in its context (kind, media type, integration)."""

    doc: ClassVar[RuleDoc]

    def check(self, unit: "TemplateUnit") -> Iterator[Diagnostic]:  # pragma: no cover - interface
        raise NotImplementedError


class DefinitionRule:
    """Checks a loaded API definition (integration configuration)."""

    doc: ClassVar[RuleDoc]

    @classmethod
    def claims(cls, problem: "InputFileError") -> bool:
        """Whether this rule reports a loader problem itself (VTL000 then leaves it out, so it is not reported twice)."""
        return False

    def check(self, unit: "DefinitionUnit") -> Iterator[Diagnostic]:  # pragma: no cover - interface
        raise NotImplementedError
