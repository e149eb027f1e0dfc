"""``vtlgw lint``: find before deploy what API Gateway would reject or silently get wrong.

The Python API returns :class:`~vtlgw.vtl.diagnostics.Diagnostic` objects::

    from vtlgw.lint import lint, lint_text
    for d in lint(["templates/", "openapi.yaml"]):
        print(d)

Inputs that cannot be read or parsed raise :class:`vtlgw.VtlError` subclasses
(with the file and location), like the rest of vtlgw.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from vtlgw.lint.config import LintConfig, load_config
from vtlgw.lint.errors import LintConfigError, LintInputError
from vtlgw.vtl.diagnostics import Diagnostic, Location, Severity

__all__ = ["lint", "lint_text", "LintConfig", "load_config", "LintConfigError", "LintInputError",
           "Diagnostic", "Location", "Severity"]


def lint(paths: Iterable[str | Path], *, config: LintConfig | None = None,
         samples: Iterable[dict] = ()) -> list[Diagnostic]:
    """Lint ``.vtl`` files, directories and API definitions; raise the first input that cannot be linted."""
    from vtlgw.lint.runner import Runner

    result = Runner(config, samples).run(paths)
    if result.errors:
        raise result.errors[0]
    return result.diagnostics


def lint_text(text: str, *, name: str = "<template>", kind: str = "request",
              media_type: str = "application/json", config: LintConfig | None = None,
              samples: Iterable[dict] = ()) -> list[Diagnostic]:
    """Lint one template given as text (a lone template: no definition around it)."""
    from vtlgw.lint.runner import Runner
    from vtlgw.lint.units import TemplateUnit

    runner = Runner(config, samples)
    unit = TemplateUnit.build(text, name, kind=kind, media_type=media_type.lower(), samples=runner.samples)
    return [f.diagnostic for f in runner.lint_unit(unit)]
