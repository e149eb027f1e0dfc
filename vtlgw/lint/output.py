"""The output formats of ``vtlgw lint``: text, json, sarif (2.1.0) and github (workflow commands).

Each formatter turns a :class:`~vtlgw.lint.runner.LintResult` into one string;
none of them knows how findings were made.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from typing import Any, Callable

from vtlgw.lint.runner import Finding, LintResult
from vtlgw.vtl.diagnostics import Diagnostic, Severity, format_text

__all__ = ["FORMATS", "render", "text_report", "json_report", "sarif_report", "github_report", "summary_line",
           "docs_url"]

#: The ``[project.urls]`` entry of the lint documentation (docs/lint.md); SARIF's ``helpUri`` is it plus ``#vtl106``.
DOCS_URL_LABEL = "Lint rules"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


def _sorted(findings: list[Finding]) -> list[Finding]:
    """Grouped by file in first-seen order, by position within a file."""
    groups: OrderedDict[str, list[Finding]] = OrderedDict()
    for finding in findings:
        groups.setdefault(finding.diagnostic.location.file, []).append(finding)
    ordered: list[Finding] = []
    for group in groups.values():
        ordered.extend(sorted(group, key=lambda f: (f.diagnostic.location.line or 0,
                                                     f.diagnostic.location.column or 0)))
    return ordered


# ---------------------------------------------------------------- text


def _plural(n: int, word: str) -> str:
    if word == "info":
        return f"{n} info"
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def summary_line(result: LintResult) -> str:
    """``3 errors, 2 warnings, 1 info in 4 files``, or ``All clean: 0 findings in N files``."""
    files = _plural(len(result.files), "file")
    counts = [(result.count(s), str(s)) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)]
    parts = [_plural(n, word) for n, word in counts if n]
    unread = f"; {_plural(len(result.errors), 'input')} could not be linted (see stderr)" if result.errors else ""
    if not parts:
        return f"0 findings in {files}{unread}" if unread else f"All clean: 0 findings in {files}"
    fixable = sum(1 for f in result.findings if f.diagnostic.fix is not None)
    hint = f" ({fixable} fixable with vtlgw lint --fix)" if fixable else ""
    return f"{', '.join(parts)} in {files}{hint}{unread}"


def _styled_text(d: Diagnostic, colour: bool) -> str:
    text = format_text(d)
    if not colour:
        return text
    import click

    head, *rest = text.split("\n")
    where = str(d.location)
    label = f"{d.severity} {d.code}" if d.code else f"{d.severity}:"
    prefix = f"{where}: {label}"
    if head.startswith(prefix):
        head = (click.style(where, bold=True) + ": " + click.style(label, fg=_COLOURS[d.severity], bold=True)
                + head[len(prefix):])
    styled = [head]
    for line in rest:
        gutter, bar, code = line.partition(" | ")
        if bar and not gutter.strip("0123456789 "):
            code = click.style(code, fg=_COLOURS[d.severity]) if not code.strip(" ^") else code
            line = click.style(gutter + bar, fg="cyan") + code
        styled.append(line)
    return "\n".join(styled)


def text_report(result: LintResult, *, colour: bool = False) -> str:
    """Findings grouped by file, one ruff-style block each, a blank line between files, then the summary."""
    blocks: list[str] = []
    previous: str | None = None
    for finding in _sorted(result.findings):
        d = finding.diagnostic
        if previous is not None and d.location.file != previous:
            blocks.append("")
        previous = d.location.file
        blocks.append(_styled_text(d, colour))
    summary = summary_line(result)
    if colour:
        import click

        summary = click.style(summary, bold=True, fg="green" if not result.findings else None)
    if blocks:
        blocks.append("")
    blocks.append(summary)
    return "\n".join(blocks)


# ---------------------------------------------------------------- json


def json_report(result: LintResult) -> str:
    findings = []
    for finding in _sorted(result.findings):
        d, loc = finding.diagnostic, finding.diagnostic.location
        findings.append({
            "rule": d.code,
            "severity": str(d.severity),
            "message": d.message,
            "file": loc.file,
            "line": loc.line,
            "column": loc.column,
            "endLine": loc.end_line,
            "endColumn": loc.end_column,
            "pointer": loc.pointer,
            "template": None if finding.kind is None else {"kind": finding.kind, "mediaType": finding.media_type},
            "notes": list(d.notes),
            "fix": None if d.fix is None else {
                "description": d.fix.description,
                "edits": [{"file": e.file, "line": e.line, "column": e.column, "endLine": e.end_line,
                           "endColumn": e.end_column, "text": e.text} for e in d.fix.edits]},
        })
    summary = {str(s): result.count(s) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)}
    return json.dumps({"findings": findings, "summary": summary}, indent=2, ensure_ascii=False)


# ---------------------------------------------------------------- sarif

_SARIF_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def sarif_report(result: LintResult, *, rules: list[type] | None = None) -> str:
    """One SARIF 2.1.0 run; ``rules`` (default: every registered rule) describes the tool's rules."""
    from vtlgw import __version__
    from vtlgw.lint.registry import all_rules

    rule_classes = all_rules() if rules is None else rules
    docs = docs_url()
    index = {cls.doc.code: i for i, cls in enumerate(rule_classes)}
    descriptors = [{
        "id": cls.doc.code,
        "name": cls.doc.name,
        "shortDescription": {"text": cls.doc.message},
        "fullDescription": {"text": cls.doc.what},
        "help": {"text": _explain_plain(cls.doc)},
        "defaultConfiguration": {"level": _SARIF_LEVELS[cls.doc.severity]},
        **({"helpUri": f"{docs}#{cls.doc.code.lower()}"} if docs else {}),
    } for cls in rule_classes]
    results = []
    for finding in _sorted(result.findings):
        d, loc = finding.diagnostic, finding.diagnostic.location
        physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(loc.file)}}
        if loc.line:
            region: dict[str, int] = {"startLine": loc.line}
            if loc.column:
                region["startColumn"] = loc.column
            if loc.end_line:
                region["endLine"] = loc.end_line
            if loc.end_column and loc.column:
                region["endColumn"] = loc.end_column
            physical["region"] = region
        item: dict[str, Any] = {
            "level": _SARIF_LEVELS[d.severity],
            "message": {"text": "\n".join((d.message, *d.notes))},
            "locations": [{"physicalLocation": physical}],
        }
        if d.code is not None:
            item["ruleId"] = d.code
            if d.code in index:
                item["ruleIndex"] = index[d.code]
        if loc.pointer:
            item["properties"] = {"jsonPointer": loc.pointer}
        results.append(item)
    run = {
        "tool": {"driver": {"name": "vtlgw", "version": __version__, **({"informationUri": docs} if docs else {}),
                            "rules": descriptors}},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return json.dumps({"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2, ensure_ascii=False)


def docs_url() -> str | None:
    """The published lint documentation, from the package's ``[project.urls]`` (``Lint rules = "https://..."``).

    Without one, SARIF rules carry no ``helpUri`` rather than a guessed address.
    """
    from importlib import metadata

    try:
        entries = metadata.metadata("vtlgw").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return None
    for entry in entries:
        label, _, url = entry.partition(",")
        if label.strip().lower() == DOCS_URL_LABEL.lower() and url.strip():
            return url.strip()
    return None


def _uri(path: str) -> str:
    from urllib.parse import quote

    return quote(path.replace("\\", "/"), safe="/:")


def _explain_plain(doc: Any) -> str:
    return f"{doc.what}\n\nWhy: {doc.why}\n\nFix: {doc.fix}"


# ---------------------------------------------------------------- github

_GITHUB_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_report(result: LintResult) -> str:
    """One ``::error``/``::warning``/``::notice`` workflow command per finding."""
    lines = []
    for finding in _sorted(result.findings):
        d, loc = finding.diagnostic, finding.diagnostic.location
        props = [("file", loc.file)]
        if loc.line:
            props.append(("line", str(loc.line)))
            if loc.column:
                props.append(("col", str(loc.column)))
            if loc.end_line:
                props.append(("endLine", str(loc.end_line)))
            if loc.end_column and loc.column:
                props.append(("endColumn", str(loc.end_column)))
        props.append(("title", d.code or "vtlgw"))
        head = ",".join(f"{k}={_escape_property(v)}" for k, v in props)
        message = "\n".join((d.message, *d.notes))
        lines.append(f"::{_GITHUB_LEVELS[d.severity]} {head}::{_escape_data(message)}")
    return "\n".join(lines)


FORMATS: dict[str, Callable[..., str]] = {
    "text": text_report,
    "json": json_report,
    "sarif": sarif_report,
    "github": github_report,
}


def render(result: LintResult, fmt: str, *, colour: bool = False) -> str:
    """The report in format ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "text":
        return text_report(result, colour=colour)
    return FORMATS[fmt](result)


# ---------------------------------------------------------------- rule documentation


def rule_list(rules: list[type]) -> str:
    """``--list-rules``: id, severity, name and one-line message per rule."""
    rows = [(r.doc.code, str(r.doc.severity), r.doc.name + (" (fixable)" if r.doc.fixable else ""), r.doc.message)
            for r in rules]
    if not rows:
        return ""
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return "\n".join(f"{c:<{widths[0]}}  {s:<{widths[1]}}  {n:<{widths[2]}}  {m}" for c, s, n, m in rows)


def explain(rule: type) -> str:
    """``--explain``: what the rule catches, why it matters on AWS, an example and the fix."""
    doc = rule.doc

    def section(title: str, body: str) -> str:
        indented = "\n".join(f"    {line}" if line.strip() else "" for line in body.strip("\n").split("\n"))
        return f"{title}\n{indented}"

    head = f"{doc.code} {doc.name} ({doc.severity}{', fixable' if doc.fixable else ''})\n{doc.message}"
    return "\n\n".join([head, section("What it catches", doc.what), section("Why it matters on API Gateway", doc.why),
                        section("Example", doc.example), section("Fix", doc.fix)])


def rules_markdown(rules: list[type]) -> str:
    """The rules table of docs/lint.md, each id an anchor (SARIF's ``helpUri`` points at it)."""
    rows = ["| Id | Severity | Name | What to do |", "|---|---|---|---|"]
    for rule in rules:
        doc = rule.doc
        message = doc.message
        for char, escaped in (("\\", "\\\\"), ("|", "\\|"), ("*", "\\*"), ("_", "\\_"), ("<", "&lt;")):
            message = message.replace(char, escaped)
        fixable = " (fixable)" if doc.fixable else ""
        anchor = f'<a id="{doc.code.lower()}"></a>'
        rows.append(f"| {anchor}{doc.code} | {doc.severity} | `{doc.name}`{fixable} | {message} |")
    return "\n".join(rows)
