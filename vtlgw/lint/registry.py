"""The one registry mapping rule ids to rule classes.

``@register`` adds a class at import time; a second class with the same id is
a programming error and fails the import. ``all_rules()`` imports the rule
modules on first use, so merely importing ``vtlgw.lint`` stays cheap.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Iterator, TypeVar

from vtlgw.lint.errors import LintConfigError
from vtlgw.lint.rule import DefinitionRule, TemplateRule

__all__ = ["register", "all_rules", "get", "template_rules", "definition_rules", "CODE_PATTERN"]

CODE_PATTERN = re.compile(r"VTL\d{3}\Z")

_RULES: dict[str, type] = {}
_loaded = False

R = TypeVar("R", bound=type)


def register(cls: R) -> R:
    """Class decorator: add a rule to the registry (its ``doc.code`` must be new and well-formed)."""
    doc = getattr(cls, "doc", None)
    if doc is None or not issubclass(cls, (TemplateRule, DefinitionRule)):
        raise TypeError(f"{cls.__name__}: a rule derives from TemplateRule or DefinitionRule and has a doc")
    if not CODE_PATTERN.match(doc.code):
        raise ValueError(f"{cls.__name__}: rule code {doc.code!r} is not VTL followed by three digits")
    existing = _RULES.get(doc.code)
    if existing is not None and existing is not cls:
        raise ValueError(f"rule {doc.code} registered twice: {existing.__name__} and {cls.__name__}")
    _RULES[doc.code] = cls
    return cls


def _load() -> None:
    global _loaded
    if not _loaded:
        _loaded = True
        import vtlgw.lint.builtin  # noqa: F401  (VTL000, the framework's own rule)
        import vtlgw.lint.rules  # noqa: F401  (every rule module registers on import)


def all_rules() -> list[type]:
    """Every registered rule class, sorted by code."""
    _load()
    return [_RULES[code] for code in sorted(_RULES)]


def template_rules() -> list[type]:
    return [r for r in all_rules() if issubclass(r, TemplateRule)]


def definition_rules() -> list[type]:
    return [r for r in all_rules() if issubclass(r, DefinitionRule)]


def get(code: str) -> type:
    """The rule class for ``code`` (case-insensitive); :class:`LintConfigError` when there is none."""
    _load()
    key = code.strip().upper()
    if key in _RULES:
        return _RULES[key]
    raise LintConfigError(f"unknown rule id {code!r} (see vtlgw lint --list-rules)", file="<rules>")


@contextmanager
def registered(*classes: type) -> Iterator[None]:
    """Register rules for the duration of a ``with`` block (for tests of the framework itself)."""
    _load()
    added = [cls for cls in classes if _RULES.get(cls.doc.code) is not cls]
    for cls in added:
        register(cls)
    try:
        yield
    finally:
        for cls in added:
            _RULES.pop(cls.doc.code, None)
