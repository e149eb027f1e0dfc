"""Run JSONPath expressions through Jayway JsonPath (Debian's libjsonpath-java) in one JVM."""

from __future__ import annotations

from tests.oracle.jvm import JavaOracle

JAYWAY = JavaOracle("JsonPathOracle", ("json-path.jar", "json-smart.jar", "accessors-smart.jar", "asm.jar",
                                       "slf4j-api.jar", "slf4j-nop.jar"),
                    install="apt-get install libjsonpath-java libslf4j-java")


def jsonpath_unavailable() -> str | None:
    return JAYWAY.unavailable()


def evaluate_all(document: str, paths: list[str]) -> list[tuple[bool, str]]:
    """``(ok, text)`` per path: the result as compact JSON, or the exception Jayway threw."""
    return JAYWAY.run([("doc", document)] + [("path", p) for p in paths], answers=len(paths))
