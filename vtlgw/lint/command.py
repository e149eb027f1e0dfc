"""The ``vtlgw lint`` command's work, kept out of ``vtlgw/cli.py`` so the CLI stays a thin, lazy face.

Exit codes: 0 nothing at or above the fail level, 1 at least one such finding,
2 a usage error or an input that cannot be read (reported with its location).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

import click

from vtlgw.lint.options import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE

if TYPE_CHECKING:
    from vtlgw.lint.runner import LintResult

__all__ = ["LintOptions", "run_lint", "list_rules", "explain_rule"]


@dataclass
class LintOptions:
    """What the command line gave (None: not given, the configuration decides)."""

    paths: tuple[str, ...]
    fmt: str = "text"
    fail_on: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    kind: str | None = None
    media_type: str | None = None
    requests: tuple[str, ...] = ()
    config_path: str | None = None
    isolated: bool = False
    skip_unrecognised: bool = False
    fix: bool = False  # write the fixable rules' fixes into the files
    diff: bool = False  # print those fixes as a unified diff, write nothing


def _codes(values: tuple[str, ...], option: str) -> list[str] | None:
    from vtlgw.lint.config import resolve_codes

    if not values:
        return None
    items = [part for value in values for part in value.split(",") if part.strip()]

    def fail(message: str) -> click.BadParameter:
        return click.BadParameter(message, param_hint=option)

    if not items:
        raise fail("expected rule ids or prefixes such as VTL1,VTL301")

    return resolve_codes(items, fail)


def run_lint(options: LintOptions) -> int:
    """Lint, print the report on stdout (problems with inputs on stderr) and return the exit code."""
    from vtlgw.lint.config import LintConfig, load_config
    from vtlgw.lint.output import render
    from vtlgw.lint.runner import Runner, load_samples
    from vtlgw.vtl.errors import VtlError

    try:
        config = LintConfig() if options.isolated else load_config(options.config_path)
        select = _codes(options.select, "--select")
        ignore = _codes(options.ignore, "--ignore")
        config = config.with_overrides(select=select, fail_on=options.fail_on, kind=options.kind,
                                       media_type=options.media_type)
        if ignore:
            config.ignore = [*config.ignore, *ignore]
        sample_paths = [os.path.join(config.root, p) for p in config.samples] + list(options.requests)
        samples = load_samples(sample_paths)
        runner = Runner(config, samples, skip_unrecognised=options.skip_unrecognised)
        result = runner.run(options.paths or (".",))
        if options.diff and not result.errors:
            return _show_diff(result)
        if options.fix and not result.errors:
            result = _fix(runner, result, options.paths or (".",))
    except VtlError as exc:
        click.echo(str(exc), err=True)
        return EXIT_USAGE
    colour = options.fmt == "text" and _stdout_is_terminal()
    report = render(result, options.fmt, colour=colour)
    if report:
        try:
            click.echo(report, color=colour)
        except BrokenPipeError:  # `vtlgw lint | head`: the reader has gone, the exit code still counts
            _silence_stdout()
    for error in result.errors:
        click.echo(str(error), err=True)
    if result.errors:
        return EXIT_USAGE
    return EXIT_FINDINGS if result.fails(config.fail_level) else EXIT_CLEAN


def _show_diff(result: "LintResult") -> int:
    """``--diff``: the fixes as a unified diff on stdout, nothing written; exit 1 when there is a diff."""
    from vtlgw.lint.fix import plan_fixes, read_text, unified_diff

    report = plan_fixes(result.diagnostics, _reader(read_text))
    diff = unified_diff(report.changed)
    if diff:
        click.echo(diff, nl=False)
    files = len(report.changed)
    click.echo(f"would fix {report.fixed} finding{'s' if report.fixed != 1 else ''} in {files} "
               f"file{'s' if files != 1 else ''}" + _not_applied(report), err=True)
    return EXIT_FINDINGS if diff else EXIT_CLEAN


def _fix(runner: object, result: "LintResult", paths: tuple[str, ...]) -> "LintResult":
    """``--fix``: apply the fixes, lint again (up to ``PASSES`` rounds); the last lint is what is reported."""
    from vtlgw.lint.fix import PASSES, plan_fixes, read_text, write_text

    fixed = 0
    files: set[str] = set()
    report = None
    for _ in range(PASSES):
        report = plan_fixes(result.diagnostics, _reader(read_text))
        if not report.changed:
            break
        for change in report.changed:
            write_text(change.path, change.after)
            files.add(change.path)
        fixed += report.fixed
        result = runner.run(paths)  # type: ignore[attr-defined]
        if result.errors:
            break
    click.echo(f"fixed {fixed} finding{'s' if fixed != 1 else ''} in {len(files)} file{'s' if len(files) != 1 else ''}"
               + (_not_applied(report) if report is not None else ""), err=True)
    return result


def _reader(read: "Callable[[str], str]") -> "Callable[[str], str]":
    def checked(path: str) -> str:
        from vtlgw.lint.errors import LintInputError

        try:
            return read(path)
        except (OSError, UnicodeDecodeError) as exc:
            raise LintInputError(f"cannot read the file to fix it: {exc}", file=path) from None
    return checked


def _not_applied(report: object) -> str:
    left = getattr(report, "not_applied", [])
    if not left:
        return ""
    return (f"; {len(left)} fixable finding{'s' if len(left) != 1 else ''} not fixed (fix not applied: the template "
            "is written as a quoted string, or the text changed), left for a hand edit")


def _silence_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # pragma: no cover - stdout without a file descriptor
        pass
    finally:
        os.close(devnull)


def _stdout_is_terminal() -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or sys.stdout.isatty()


def list_rules() -> int:
    from vtlgw.lint.output import rule_list
    from vtlgw.lint.registry import all_rules

    click.echo(rule_list(all_rules()))
    return EXIT_CLEAN


def explain_rule(code: str) -> int:
    from vtlgw.lint.errors import LintConfigError
    from vtlgw.lint.output import explain
    from vtlgw.lint.registry import get

    try:
        rule = get(code)
    except LintConfigError:
        raise click.BadParameter(f"unknown rule id {code!r} (see vtlgw lint --list-rules)",
                                 param_hint="--explain") from None
    click.echo(explain(rule))
    return EXIT_CLEAN
