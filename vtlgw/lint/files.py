"""Which files to lint: the paths given, and directories walked as git would see them.

A directory is walked recursively, skipping hidden directories, ``.git``,
``node_modules``, ``__pycache__`` and virtual environments, and honouring every
``.gitignore`` from the repository root down (with ``pathspec``'s git
semantics). In a directory, ``.vtl`` files are templates; YAML and JSON files
are linted when they look like API definitions (so that ``package.json`` or a
request sample is not an error). A file named explicitly is always linted.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from vtlgw.lint.errors import LintInputError
from vtlgw.lint.units import display_path
from vtlgw.vtl.errors import VtlError

__all__ = ["Item", "discover", "looks_like_definition", "DEFINITION_SUFFIXES", "TEMPLATE_SUFFIXES"]

TEMPLATE_SUFFIXES = (".vtl",)
STDIN = "-"  # a template read from standard input
DEFINITION_SUFFIXES = (".yaml", ".yml", ".json", ".template")
SKIPPED_DIRS = {"node_modules", "__pycache__", "venv", "site-packages"}
# Text that only API definitions carry; checked on the first 64 KiB.
_DEFINITION_MARKERS = ("x-amazon-apigateway-", "AWS::ApiGateway::", "AWS::Serverless::", "apigateway:",
                       "resourceMethods", "methodIntegration")


@dataclass(frozen=True)
class Item:
    """One file to lint, or a path that cannot be linted (``error``)."""

    path: str
    is_template: bool = False
    explicit: bool = True
    error: VtlError | None = None


def discover(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Item]:
    """The files to lint, in the order given (directories sorted), each once."""
    seen: set[str] = set()
    for raw in paths:
        path = os.fspath(raw)
        if path == STDIN:
            items: Iterable[Item] = [Item(path, is_template=True)]
        elif os.path.isdir(path) and not _is_cdk_out(path):
            items = _walk(path)
        elif os.path.isdir(path):
            items = [Item(path)]
        elif not os.path.exists(path):
            items = [Item(path, error=LintInputError("no such file or directory", file=display_path(path)))]
        else:
            items = [Item(path, is_template=path.lower().endswith(TEMPLATE_SUFFIXES))]
        for item in items:
            key = os.path.abspath(item.path)
            if key not in seen:
                seen.add(key)
                yield item


def _is_cdk_out(path: str) -> bool:
    return os.path.basename(os.path.abspath(path)) == "cdk.out" and os.path.isfile(os.path.join(path, "manifest.json"))


def _walk(root: str) -> Iterator[Item]:
    ignore = _Ignores(root)
    for directory, dirnames, filenames in os.walk(root):
        ignore.enter(directory)
        dirnames[:] = sorted(d for d in dirnames if not _skipped_dir(directory, d)
                             and not ignore.ignored(os.path.join(directory, d), is_dir=True))
        for name in sorted(filenames):
            full = os.path.join(directory, name)
            if ignore.ignored(full, is_dir=False):
                continue
            lower = name.lower()
            if lower.endswith(TEMPLATE_SUFFIXES):
                yield Item(full, is_template=True, explicit=False)
            elif lower.endswith(DEFINITION_SUFFIXES):
                yield Item(full, explicit=False)


def _skipped_dir(parent: str, name: str) -> bool:
    if name.startswith(".") or name in SKIPPED_DIRS:
        return True
    return os.path.isfile(os.path.join(parent, name, "pyvenv.cfg"))


def looks_like_definition(path: str) -> bool:
    """A cheap sniff: the first 64 KiB name API Gateway or SAM (a cdk.out directory always counts)."""
    if os.path.isdir(path):
        return True
    try:
        with open(path, "rb") as fh:
            head = fh.read(65536).decode("utf-8", "replace")
    except OSError:
        return True  # let the loader report why it cannot be read
    return any(marker in head for marker in _DEFINITION_MARKERS)


class _Ignores:
    """The ``.gitignore`` files that apply under a walked directory, from the repository root down."""

    def __init__(self, root: str) -> None:
        self.specs: list[tuple[Path, object]] = []
        self.loaded: set[Path] = set()
        top = Path(root).resolve()
        chain = [top, *top.parents]
        repo = next((d for d in chain if (d / ".git").exists()), None)
        ancestors = chain[1 : chain.index(repo) + 1] if repo is not None and repo != top else []
        for directory in reversed(ancestors):
            self._load(directory)

    def enter(self, directory: str) -> None:
        self._load(Path(directory).resolve())

    def _load(self, directory: Path) -> None:
        if directory in self.loaded:
            return
        self.loaded.add(directory)
        gitignore = directory / ".gitignore"
        if not gitignore.is_file():
            return
        import pathspec

        try:
            lines = gitignore.read_text("utf-8", "replace").splitlines()
        except OSError:
            return
        self.specs.append((directory, pathspec.GitIgnoreSpec.from_lines(lines)))

    def ignored(self, path: str, *, is_dir: bool) -> bool:
        if not self.specs:
            return False
        full = Path(path).resolve()
        verdict = False
        for base, spec in self.specs:
            try:
                rel = full.relative_to(base).as_posix()
            except ValueError:
                continue
            if is_dir:
                rel += "/"
            if hasattr(spec, "check_file"):  # pathspec >= 0.12: a later "!pattern" re-includes
                include = spec.check_file(rel).include  # type: ignore[attr-defined]
                if include is not None:
                    verdict = include
            elif spec.match_file(rel):  # type: ignore[attr-defined]
                verdict = True
        return verdict
