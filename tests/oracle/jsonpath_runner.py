"""Run JSONPath expressions through Jayway JsonPath (Debian's libjsonpath-java) in one JVM."""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

JAVA_DIR = Path(os.environ.get("VTLGW_JAVA_DIR", "/usr/share/java"))
JARS = ("json-path.jar", "json-smart.jar", "accessors-smart.jar", "asm.jar", "slf4j-api.jar", "slf4j-nop.jar")
SOURCE = Path(__file__).with_name("JsonPathOracle.java")


def jsonpath_unavailable() -> str | None:
    for tool in ("java", "javac"):
        if shutil.which(tool) is None:
            return f"{tool} not found"
    for jar in JARS:
        if not (JAVA_DIR / jar).exists():
            return f"{JAVA_DIR / jar} not found (apt-get install libjsonpath-java libslf4j-java)"
    return None


def _classpath(extra: str) -> str:
    return os.pathsep.join([extra, *(str(JAVA_DIR / j) for j in JARS)])


@functools.lru_cache(maxsize=1)
def _compiled() -> str:
    out = tempfile.mkdtemp(prefix="vtlgw-jsonpath-oracle-")
    atexit.register(shutil.rmtree, out, True)
    subprocess.run(["javac", "-nowarn", "-d", out, "-cp", _classpath(out), str(SOURCE)], check=True,
                   capture_output=True)
    return out


def evaluate_all(document: str, paths: list[str]) -> list[tuple[bool, str]]:
    """``(ok, text)`` per path: the result as compact JSON, or the exception Jayway threw."""
    classes = _compiled()
    records = [("doc", document)] + [("path", p) for p in paths]
    data = b"".join(f"{mode} {len(t.encode())}\n".encode() + t.encode() for mode, t in records)
    proc = subprocess.run(["java", "-cp", _classpath(classes), "JsonPathOracle"], input=data,
                          capture_output=True, check=True)
    out, results, i = proc.stdout, [], 0
    while i < len(out):
        j = out.index(b"\n", i)
        status, length = out[i:j].decode().split()
        end = j + 1 + int(length)
        results.append((status == "OK", out[j + 1:end].decode("utf-8")))
        i = end
    if len(results) != len(paths):
        raise RuntimeError(f"oracle answered {len(results)} of {len(paths)}: {proc.stderr.decode()}")
    return results
