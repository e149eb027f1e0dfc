"""Lint configuration: ``[tool.vtlgw.lint]`` in ``pyproject.toml`` or ``vtlgw.toml``, then the command line.

The nearest file upward from the working directory that has the table wins
(``vtlgw.toml`` before ``pyproject.toml`` in the same directory). Every key
and rule id is checked: a typo is an error naming the file and key, not a
silently ignored setting.
"""

from __future__ import annotations

import fnmatch
import os
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable

from vtlgw.lint.errors import LintConfigError
from vtlgw.lint.options import FAIL_LEVELS, KINDS
from vtlgw.vtl.diagnostics import Severity

__all__ = ["LintConfig", "load_config", "find_config_file", "FAIL_LEVELS", "resolve_codes"]


#: Built-in name patterns: ``<name>.<kind>.<type>.vtl`` (``orders.request.json.vtl``).
SHORT_MEDIA_TYPES = {
    "json": "application/json",
    "xml": "application/xml",
    "txt": "text/plain",
    "text": "text/plain",
    "html": "text/html",
    "form": "application/x-www-form-urlencoded",
    "csv": "text/csv",
    "yaml": "application/yaml",
}

_KEYS = ("select", "ignore", "per-file-ignores", "fail-on", "severity", "kind-patterns", "media-type-patterns",
         "samples")


@dataclass
class LintConfig:
    """What to check and how to judge it; the defaults are "every rule, fail on errors"."""

    select: list[str] | None = None  # rule ids or id prefixes; None selects every rule
    ignore: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)  # glob -> ids
    fail_on: str = "error"
    severity: dict[str, Severity] = field(default_factory=dict)
    kind_patterns: dict[str, str] = field(default_factory=dict)  # glob -> request|response|gateway
    media_type_patterns: dict[str, str] = field(default_factory=dict)  # glob -> MIME type
    samples: list[str] = field(default_factory=list)  # request files, relative to root
    kind: str | None = None  # --kind: for every lone template
    media_type: str | None = None  # --media-type
    root: str = "."  # directory globs and sample paths are relative to
    file: str | None = None  # the configuration file, for messages

    # ------------------------------------------------------------ rule selection

    def enabled(self, code: str) -> bool:
        """Selected and not ignored (globally)."""
        selected = self.select is None or any(code.startswith(p) for p in self.select)
        return selected and not any(code.startswith(p) for p in self.ignore)

    def ignored_for(self, code: str, path: str) -> bool:
        """Whether a per-file-ignores glob matching ``path`` (relative to the root) names ``code``."""
        if not self.per_file_ignores:
            return False
        rel = _relative(path, self.root)
        for pattern, codes in self.per_file_ignores.items():
            if _glob_match(rel, pattern) and any(code.startswith(p) for p in codes):
                return True
        return False

    def severity_of(self, code: str, default: Severity) -> Severity:
        return self.severity.get(code, default)

    @property
    def fail_level(self) -> Severity | None:
        """The lowest severity that fails the run; None for ``never``."""
        return None if self.fail_on == "never" else Severity.parse(self.fail_on)

    # ------------------------------------------------------------ template kind and media type

    def classify(self, path: str) -> tuple[str, str]:
        """(kind, media type) of a lone template file: options, configured patterns, the name, defaults."""
        rel = _relative(path, self.root)
        kind = self.kind or _first_match(self.kind_patterns, rel)
        media = self.media_type or _first_match(self.media_type_patterns, rel)
        name_kind, name_media = _from_name(os.path.basename(path))
        return kind or name_kind or "request", (media or name_media or "application/json").lower()

    def with_overrides(self, **changes: Any) -> "LintConfig":
        """A copy with the command line's values (None means "not given") applied."""
        given = {k: v for k, v in changes.items() if v is not None}
        return replace(self, **given)


def _from_name(name: str) -> tuple[str | None, str | None]:
    parts = name.lower().split(".")
    if len(parts) < 2 or parts[-1] != "vtl":
        return None, None
    inner = parts[1:-1]
    kind = next((p for p in inner if p in KINDS), None)
    media = next((SHORT_MEDIA_TYPES[p] for p in reversed(inner) if p in SHORT_MEDIA_TYPES), None)
    return kind, media


def _first_match(patterns: dict[str, str], rel: str) -> str | None:
    for pattern, value in patterns.items():
        if _glob_match(rel, pattern):
            return value
    return None


def _glob_match(rel: str, pattern: str) -> bool:
    """A glob against the root-relative path; a pattern without ``/`` also matches the base name."""
    pattern = pattern.replace("\\", "/").removeprefix("./")
    if fnmatch.fnmatchcase(rel, pattern):
        return True
    if pattern.startswith("**/") and fnmatch.fnmatchcase(rel, pattern[3:]):
        return True
    return "/" not in pattern and fnmatch.fnmatchcase(rel.rsplit("/", 1)[-1], pattern)


def _relative(path: str, root: str) -> str:
    try:
        rel = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    except ValueError:
        rel = path
    return rel.replace(os.sep, "/")


# ---------------------------------------------------------------- loading


def find_config_file(start: str | os.PathLike[str] = ".") -> Path | None:
    """The nearest ``vtlgw.toml`` or ``pyproject.toml`` with a ``[tool.vtlgw.lint]`` table, upward from ``start``."""
    here = Path(start).resolve()
    for directory in (here, *here.parents):
        for name in ("vtlgw.toml", "pyproject.toml"):
            candidate = directory / name
            if candidate.is_file() and _has_lint_table(candidate):
                return candidate
    return None


def _has_lint_table(path: Path) -> bool:
    try:
        text = path.read_text("utf-8", "replace")
    except OSError:
        return False
    if path.name == "vtlgw.toml":
        return "lint" in text
    return "tool.vtlgw" in text


def _toml() -> Any:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        try:
            import tomli as tomllib
        except ImportError:
            raise LintConfigError("reading TOML configuration on Python 3.10 needs the 'tomli' package") from None
    return tomllib


def load_config(path: str | os.PathLike[str] | None = None, *, start: str | os.PathLike[str] = ".") -> LintConfig:
    """The configuration from ``path``, or from the nearest configuration file; defaults when there is none."""
    found = Path(path) if path is not None else find_config_file(start)
    if found is None:
        return LintConfig()
    shown = _shown(found)
    try:
        data = _toml().loads(found.read_text("utf-8"))
    except OSError as exc:
        raise LintConfigError(f"cannot read the configuration: {exc.strerror}", file=shown) from None
    except UnicodeDecodeError as exc:
        raise LintConfigError(f"the configuration is not UTF-8 text (byte {exc.start})", file=shown) from None
    except ValueError as exc:  # tomllib.TOMLDecodeError
        raise LintConfigError(f"not valid TOML: {exc}", file=shown) from None
    if found.name == "vtlgw.toml":
        table = data.get("lint", data.get("tool", {}).get("vtlgw", {}).get("lint", {}))
        prefix = "[lint]" if "lint" in data else "[tool.vtlgw.lint]"
    else:
        table = data.get("tool", {}).get("vtlgw", {}).get("lint", {})
        prefix = "[tool.vtlgw.lint]"
    return config_from_table(table, file=shown, root=str(found.parent), prefix=prefix)


def _shown(path: Path) -> str:
    from vtlgw.lint.units import display_path

    return display_path(path)


def config_from_table(table: Any, *, file: str, root: str, prefix: str = "[tool.vtlgw.lint]") -> LintConfig:
    """Check and convert the configuration table (unknown keys, rule ids and values are errors)."""

    def fail(key: str, message: str) -> LintConfigError:
        return LintConfigError(f"{prefix} {key}: {message}", file=file)

    if not isinstance(table, dict):
        raise fail("", "expected a table")
    for key in table:
        if key not in _KEYS:
            raise fail(key, f"unknown key (expected one of: {', '.join(_KEYS)})")
    config = LintConfig(root=root, file=file)
    if "select" in table:
        config.select = resolve_codes(_strings(table["select"], lambda m: fail("select", m)),
                                      lambda m: fail("select", m))
    if "ignore" in table:
        config.ignore = resolve_codes(_strings(table["ignore"], lambda m: fail("ignore", m)),
                                      lambda m: fail("ignore", m))
    if "per-file-ignores" in table:
        value = table["per-file-ignores"]
        if not isinstance(value, dict):
            raise fail("per-file-ignores", "expected a table of glob = [rule ids]")
        for pattern, codes in value.items():
            key = f"per-file-ignores.{pattern!r}"
            config.per_file_ignores[pattern] = resolve_codes(
                _strings(codes, lambda m, k=key: fail(k, m)), lambda m, k=key: fail(k, m))
    if "fail-on" in table:
        value = table["fail-on"]
        if value not in FAIL_LEVELS:
            raise fail("fail-on", f"{value!r} is not one of {', '.join(FAIL_LEVELS)}")
        config.fail_on = value
    if "severity" in table:
        value = table["severity"]
        if not isinstance(value, dict):
            raise fail("severity", 'expected a table such as {VTL111 = "warning"}')
        for code, level in value.items():
            key = f"severity.{code}"
            resolve_codes([code], lambda m, k=key: fail(k, m), prefixes=False)
            try:
                config.severity[code.upper()] = Severity.parse(str(level))
            except ValueError:
                raise fail(key, f"{level!r} is not error, warning or info") from None
    for name, attr in (("kind-patterns", "kind_patterns"), ("media-type-patterns", "media_type_patterns")):
        if name in table:
            value = table[name]
            if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
                raise fail(name, 'expected a table of glob = "value"')
            if name == "kind-patterns":
                for pattern, kind in value.items():
                    if kind not in KINDS:
                        raise fail(f"{name}.{pattern!r}", f"{kind!r} is not one of {', '.join(KINDS)}")
            else:
                for pattern, media in value.items():
                    if "/" not in media:
                        raise fail(f"{name}.{pattern!r}", f"{media!r} is not a MIME type such as application/json")
            setattr(config, attr, {k: v.lower() for k, v in value.items()})
    if "samples" in table:
        config.samples = _strings(table["samples"], lambda m: fail("samples", m))
    return config


def _strings(value: Any, fail: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail("expected a list of strings")
    return list(value)


def resolve_codes(codes: Iterable[str], fail: Any, *, prefixes: bool = True) -> list[str]:
    """Upper-cased ids, each a known rule id (or, with ``prefixes``, a prefix of one such as ``VTL1``/``ALL``)."""
    from vtlgw.lint.registry import all_rules

    known = [rule.doc.code for rule in all_rules()]
    out: list[str] = []
    for raw in codes:
        code = raw.strip().upper()
        if prefixes and code == "ALL":
            out.append("VTL")
            continue
        if code in known or (prefixes and len(code) >= 3 and any(k.startswith(code) for k in known)):
            out.append(code)
            continue
        raise fail(f"unknown rule id {raw!r} (see vtlgw lint --list-rules)")
    return out
