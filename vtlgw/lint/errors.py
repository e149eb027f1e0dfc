"""Errors of the linter itself: bad configuration or usage, unreadable inputs (exit code 2)."""

from __future__ import annotations

from vtlgw.apigw.errors import InputFileError


class LintConfigError(InputFileError):
    """A rule id, key or value the linter does not accept (from the configuration or the command line)."""

    default_file = "<configuration>"


class LintInputError(InputFileError):
    """A path to lint that does not exist, cannot be read or is not a template or definition."""

    default_file = "<input>"
