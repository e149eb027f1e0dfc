"""``vtlgw lint``: find before deploy what API Gateway would reject or silently get wrong.

The Python API returns :class:`~vtlgw.vtl.diagnostics.Diagnostic` objects::

    from vtlgw.lint import lint, lint_text
    for d in lint(["templates/", "openapi.yaml"]):
        print(d)

Inputs that cannot be read or parsed raise :class:`vtlgw.VtlError` subclasses
(with the file and location), like the rest of vtlgw.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable

if TYPE_CHECKING:
    from pathlib import Path

    from vtlgw.lint.config import LintConfig
    from vtlgw.vtl.diagnostics import Diagnostic

__all__ = ["lint", "lint_text", "fix_text", "LintConfig", "load_config", "LintConfigError", "LintInputError",
           "Diagnostic", "Location", "Severity"]


_LAZY = {
    "fix_text": "vtlgw.lint.fix",
    "LintConfig": "vtlgw.lint.config",
    "load_config": "vtlgw.lint.config",
    "LintConfigError": "vtlgw.lint.errors",
    "LintInputError": "vtlgw.lint.errors",
    "Diagnostic": "vtlgw.vtl.diagnostics",
    "Location": "vtlgw.vtl.diagnostics",
    "Severity": "vtlgw.vtl.diagnostics",
}


def __getattr__(name: str) -> Any:
    """Load the rest on first use, so the command line's import of ``vtlgw.lint.options`` stays cheap."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'vtlgw.lint' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


def lint(paths: "Iterable[str | Path]", *, config: "LintConfig | None" = None,
         samples: Iterable[dict] = ()) -> "list[Diagnostic]":
    """Lint ``.vtl`` files, directories and API definitions; raise the first input that cannot be linted."""
    from vtlgw.lint.runner import Runner

    result = Runner(config, samples).run(paths)
    if result.errors:
        raise result.errors[0]
    return result.diagnostics


def lint_text(text: str, *, name: str = "<template>", kind: str = "request",
              media_type: str = "application/json", config: "LintConfig | None" = None,
              samples: Iterable[dict] = ()) -> "list[Diagnostic]":
    """Lint one template given as text (a lone template: no definition around it)."""
    from vtlgw.lint.runner import Runner
    from vtlgw.lint.units import TemplateUnit

    runner = Runner(config, samples)
    unit = TemplateUnit.build(text, name, kind=kind, media_type=media_type.lower(), samples=runner.samples)
    return [f.diagnostic for f in runner.lint_unit(unit)]
