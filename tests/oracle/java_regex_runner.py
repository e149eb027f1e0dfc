"""Run java.util.regex operations in one JVM (the oracle for vtlgw.vtl.jregex)."""

from __future__ import annotations

from tests.oracle.jvm import JavaOracle

JAVA_REGEX = JavaOracle("JavaRegexOracle")


def java_unavailable() -> str | None:
    return JAVA_REGEX.unavailable()


def run_all(cases: list[tuple[str, str, str, str]]) -> list[tuple[bool, str]]:
    """``(op, pattern, input, argument)`` cases → ``(ok, result or exception class)``."""
    return JAVA_REGEX.run([(op, "\0".join((p, s, a))) for op, p, s, a in cases])
