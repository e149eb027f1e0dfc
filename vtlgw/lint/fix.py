"""``vtlgw lint --fix`` and ``--diff``: apply the safe fixes findings carry, or show them as a diff.

A finding's :class:`~vtlgw.vtl.diagnostics.Fix` holds edits in file
coordinates. Here they are grouped by file, checked against the text they
expect to replace, applied from the end of the file backwards (an edit that
overlaps one already taken waits for the next pass), and written back with the
file's own encoding details kept (a UTF-8 byte-order mark, CRLF line ends).

``--fix`` lints again after writing, up to :data:`PASSES` times, so a fix
that uncovers another fixable finding is followed up; ``--diff`` writes
nothing and shows one pass as a unified diff (``patch -p0`` applies it).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from vtlgw.vtl.diagnostics import Diagnostic, Edit

__all__ = ["FileFix", "FixReport", "PASSES", "apply_edits", "plan_fixes", "unified_diff", "fix_text"]

#: Lint-and-fix rounds at most: fixes are independent, so a second round is rarely needed.
PASSES = 3

_BOM = "\ufeff"


@dataclass
class FileFix:
    """One file's text before and after its fixes, and how many findings they settle."""

    path: str
    before: str
    after: str
    fixed: int = 0


@dataclass
class FixReport:
    """What a fix run did: the files changed, findings fixed, and fixable findings left as they were."""

    files: dict[str, FileFix] = field(default_factory=dict)
    not_applied: list[Diagnostic] = field(default_factory=list)

    @property
    def fixed(self) -> int:
        return sum(f.fixed for f in self.files.values())

    @property
    def changed(self) -> list[FileFix]:
        return [f for f in self.files.values() if f.after != f.before]


def _offsets(text: str) -> list[int]:
    """Offset of the start of each line (index 0 is line 1)."""
    starts = [0]
    at = text.find("\n")
    while at != -1:
        starts.append(at + 1)
        at = text.find("\n", at + 1)
    return starts


def _offset(starts: list[int], text: str, line: int, column: int) -> int | None:
    if not 0 < line <= len(starts):
        return None
    start = starts[line - 1]
    end = starts[line] - 1 if line < len(starts) else len(text)
    at = start + column - 1
    return at if start <= at <= end else None


def apply_edits(text: str, fixes: Iterable[tuple[Diagnostic, tuple[Edit, ...]]]) -> tuple[str, int, list[Diagnostic]]:
    """Apply each finding's edits to ``text`` (all of a fix or none); returns the text, fixes applied, and skipped.

    A fix is skipped when an edit's place does not hold the text it expects, or
    when it overlaps a fix already applied in this pass.
    """
    bom = text.startswith(_BOM)
    body = text[1:] if bom else text
    starts = _offsets(body)
    planned: list[tuple[int, int, str, Diagnostic, int]] = []  # start, end, text, finding, fix number
    skipped: list[Diagnostic] = []
    for number, (finding, edits) in enumerate(fixes):
        spans = []
        for edit in edits:
            start = _offset(starts, body, edit.line, edit.column)
            end = _offset(starts, body, edit.end_line, edit.end_column)
            if start is None or end is None or end < start or body[start:end] != edit.expect:
                spans = None
                break
            spans.append((start, end, edit.text))
        if spans is None:
            skipped.append(finding)
            continue
        planned.extend((s, e, t, finding, number) for s, e, t in spans)
    taken: list[tuple[int, int]] = []
    rejected: set[int] = set()
    by_fix: dict[int, list[tuple[int, int, str]]] = {}
    for start, end, new, finding, number in sorted(planned, key=lambda p: (p[0], p[1])):
        by_fix.setdefault(number, []).append((start, end, new))
    for number, spans in by_fix.items():
        if any(_overlaps(s, e, ts, te) for s, e, _ in spans for ts, te in taken):
            rejected.add(number)
            continue
        taken.extend((s, e) for s, e, _ in spans)
    out = body
    applied = 0
    for number, spans in sorted(by_fix.items(), key=lambda item: -item[1][0][0]):
        if number in rejected:
            continue
        for start, end, new in sorted(spans, reverse=True):
            out = out[:start] + new + out[end:]
        applied += 1
    skipped.extend(finding for start, end, new, finding, number in planned if number in rejected
                   and finding not in skipped)
    return (_BOM if bom else "") + out, applied, skipped


def _overlaps(s: int, e: int, ts: int, te: int) -> bool:
    if s == e or ts == te:  # an insertion collides only strictly inside another span, or at the same point
        return (s == ts and e == te) or ts < s < te or s < ts < e
    return s < te and ts < e


def plan_fixes(diagnostics: Iterable[Diagnostic], read: Callable[[str], str]) -> FixReport:
    """One pass: group fixes by file, apply them to the text ``read(path)`` returns; nothing is written."""
    report = FixReport()
    by_file: dict[str, list[tuple[Diagnostic, tuple[Edit, ...]]]] = {}
    for d in diagnostics:
        if d.fix is None:
            if d.code is not None and _fixable(d.code):
                report.not_applied.append(d)
            continue
        files = {edit.file for edit in d.fix.edits}
        if len(files) != 1:
            report.not_applied.append(d)
            continue
        by_file.setdefault(files.pop(), []).append((d, d.fix.edits))
    for path, fixes in by_file.items():
        before = read(path)
        after, applied, skipped = apply_edits(before, fixes)
        report.files[path] = FileFix(path, before, after, applied)
        report.not_applied.extend(skipped)
    return report


def _fixable(code: str) -> bool:
    from vtlgw.lint.registry import get

    try:
        return get(code).doc.fixable
    except Exception:  # noqa: BLE001 - an unknown code has no fix
        return False


def read_text(path: str) -> str:
    """A file's text exactly (no newline translation), for editing in place."""
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def write_text(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)


def unified_diff(changes: Iterable[FileFix]) -> str:
    """The changes as one unified diff with ``--- path`` / ``+++ path`` headers (``patch -p0`` applies it)."""
    parts: list[str] = []
    for change in changes:
        lines = difflib.unified_diff(change.before.splitlines(keepends=True), change.after.splitlines(keepends=True),
                                     fromfile=Path(change.path).as_posix(), tofile=Path(change.path).as_posix())
        for line in lines:
            parts.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(parts)


def fix_text(text: str, *, kind: str = "request", media_type: str = "application/json", name: str = "<template>",
             config: object = None) -> str:
    """The template ``text`` with every safe fix applied (the Python API's ``--fix`` for one lone template)."""
    from vtlgw.lint.runner import Runner
    from vtlgw.lint.units import TemplateUnit

    runner = Runner(config)  # type: ignore[arg-type]
    path = "template.vtl"  # edits need a file name; the text itself is edited, nothing is written
    for _ in range(PASSES):
        unit = TemplateUnit.build(text, name, kind=kind, media_type=media_type.lower(), file=path)
        found = [f.diagnostic for f in runner.lint_unit(unit)]
        edits = [(d, d.fix.edits) for d in found if d.fix is not None]
        if not edits:
            break
        text, applied, _ = apply_edits(text, edits)
        if not applied:
            break
    return text
