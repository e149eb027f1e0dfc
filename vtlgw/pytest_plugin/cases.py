"""``test_*.vtlgw.yaml`` case files as pytest items: one item per case, named after it.

Loading and running are :mod:`vtlgw.testing.cases`'; this module is the
collector and the item, and how a failing case reads in pytest's report.
"""

from __future__ import annotations

from typing import Any

import pytest

from . import _defaults, make_harness


class CaseFailed(Exception):
    """A case whose result differs from ``expect``; carries the lines to show."""

    def __init__(self, lines: list[str], result: Any) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines
        self.result = result


class CaseFileCollector(pytest.File):
    """A case file; a malformed one fails collection with its located error."""

    def collect(self) -> Any:
        from vtlgw.testing.cases import load_cases
        from vtlgw.vtl.errors import VtlError

        try:
            cases = load_cases(self.path)
        except VtlError as exc:
            raise self.CollectError(str(exc)) from None
        for case in cases.cases:
            yield CaseItem.from_parent(self, name=case.name, cases=cases, case=case)


class CaseItem(pytest.Item):
    def __init__(self, *, cases: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.cases = cases
        self.case = case

    def runtest(self) -> None:
        from vtlgw.testing.cases import run_case

        harness = make_harness(self.config, self, {**_defaults(self.config, self)})
        result, problems = run_case(harness, self.cases, self.case)
        if problems:
            raise CaseFailed(problems, result)

    def repr_failure(self, excinfo: Any, style: Any = None) -> str:
        from vtlgw.testing.results import Invoked
        from vtlgw.vtl.errors import VtlError

        where = f"{self.path.name}:{self.case.line}" if self.case.line else self.path.name
        if isinstance(excinfo.value, CaseFailed):
            lines = [f"case {self.case.name!r} ({where}) does not match its expect:"]
            lines += [f"  {line}" for line in excinfo.value.lines]
            result = excinfo.value.result
            if isinstance(result, Invoked):
                lines += ["", result.explain()]
            return "\n".join(lines)
        if isinstance(excinfo.value, VtlError):
            return f"case {self.case.name!r} ({where}):\n{excinfo.value}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Any, int | None, str]:
        return self.path, (self.case.line - 1) if self.case.line else None, f"vtlgw case: {self.case.name}"
