"""Run templates through the real Velocity 1.7 jar (and commons-lang 2.6) in one JVM.

The differential tests compare vtlgw against these outputs. The Java side is
``VelocityOracle.java`` beside this file, compiled once per test session into a
temporary folder. Where Java or the jars are missing, :func:`oracle_unavailable`
says why, and the tests skip with that reason (CI installs both).
"""

from __future__ import annotations

from tests.oracle.jvm import JavaOracle

VELOCITY = JavaOracle("VelocityOracle", ("velocity-1.7.jar", "commons-collections3.jar", "commons-lang-2.6.jar"),
                      install="apt-get install velocity libcommons-lang-java")


def oracle_unavailable() -> str | None:
    """Why the oracle cannot run here, or None when it can."""
    return VELOCITY.unavailable()


def run_batch(items: list[tuple[str, str]]) -> list[tuple[bool, str]]:
    """Run ``(mode, text)`` items in one JVM; mode ``vtl`` renders, ``ejs`` escapes JavaScript.

    Returns ``(ok, output)`` per item; ``ok`` is False when Java threw (output is the message).
    """
    return VELOCITY.run(items) if items else []


def render_all(templates: list[str]) -> list[tuple[bool, str]]:
    """Render each template with Velocity 1.7 in a fresh, empty context."""
    return run_batch([("vtl", t) for t in templates])


def escape_javascript_all(texts: list[str]) -> list[str]:
    """commons-lang 2.6 ``StringEscapeUtils.escapeJavaScript`` of each text."""
    return [out for _, out in run_batch([("ejs", t) for t in texts])]
