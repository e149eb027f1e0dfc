"""Run the JDK functions behind ``$util`` (URLEncoder, URLDecoder, Base64) in one JVM.

The Java side is ``UtilOracle.java`` beside this file, compiled once per test
session into a temporary folder. It needs only a JDK (no jars). Text crosses
the pipe as UTF-16 code units, so strings with lone surrogates reach Java
unchanged. Where Java is missing, :func:`util_oracle_unavailable` says why.
"""

from __future__ import annotations

from tests.oracle.jvm import JavaOracle

UTIL = JavaOracle("UtilOracle", utf16=True)  # UTF-16 units, so lone surrogates reach Java unchanged
MODES = ("uenc", "udec", "b64e", "b64d")


def util_oracle_unavailable() -> str | None:
    """Why the oracle cannot run here, or None when it can."""
    return UTIL.unavailable()


def run_util_batch(items: list[tuple[str, str]]) -> list[tuple[bool, str]]:
    """Run ``(mode, text)`` items (modes in :data:`MODES`) in one JVM.

    Returns ``(ok, output)`` per item; when Java threw, ``ok`` is False and the
    output is ``"<SimpleClassName>: <message>"``.
    """
    if not items:
        return []
    for mode, _ in items:
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}")
    return UTIL.run(items)
