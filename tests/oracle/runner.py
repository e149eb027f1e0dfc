"""Run templates through the real Velocity 1.7 jar (and commons-lang 2.6) in one JVM.

The differential tests compare vtlgw against these outputs. The Java side is
``VelocityOracle.java`` beside this file, compiled once per test session into a
temporary folder. Where Java or the jars are missing, :func:`oracle_unavailable`
says why, and the tests skip with that reason (CI installs both).
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

JAVA_DIR = Path(os.environ.get("VTLGW_JAVA_DIR", "/usr/share/java"))
JARS = ("velocity-1.7.jar", "commons-collections3.jar", "commons-lang-2.6.jar")
SOURCE = Path(__file__).with_name("VelocityOracle.java")


def oracle_unavailable() -> str | None:
    """Why the oracle cannot run here, or None when it can."""
    for tool in ("java", "javac"):
        if shutil.which(tool) is None:
            return f"{tool} not found (install a JDK, e.g. apt-get install default-jdk-headless)"
    for jar in JARS:
        if not (JAVA_DIR / jar).exists():
            return f"{JAVA_DIR / jar} not found (apt-get install velocity libcommons-lang-java)"
    return None


def _classpath(extra: str) -> str:
    return os.pathsep.join([extra, *(str(JAVA_DIR / j) for j in JARS)])


@functools.lru_cache(maxsize=1)
def _compiled() -> str:
    out = tempfile.mkdtemp(prefix="vtlgw-oracle-")
    atexit.register(shutil.rmtree, out, True)  # compiled classes live for this process only
    subprocess.run(["javac", "-nowarn", "-d", out, "-cp", _classpath(out), str(SOURCE)],
                   check=True, capture_output=True)
    return out


def run_batch(items: list[tuple[str, str]]) -> list[tuple[bool, str]]:
    """Run ``(mode, text)`` items in one JVM; mode ``vtl`` renders, ``ejs`` escapes JavaScript.

    Returns ``(ok, output)`` per item; ``ok`` is False when Java threw (output is the message).
    """
    if not items:
        return []
    classes = _compiled()
    data = b"".join(f"{mode} {len(t.encode())}\n".encode() + t.encode() for mode, t in items)
    proc = subprocess.run(["java", "-cp", _classpath(classes), "VelocityOracle"],
                          input=data, capture_output=True, check=True)
    out, results, i = proc.stdout, [], 0
    while i < len(out):
        j = out.index(b"\n", i)
        status, length = out[i:j].decode().split()
        end = j + 1 + int(length)
        results.append((status == "OK", out[j + 1:end].decode("utf-8")))
        i = end
    if len(results) != len(items):
        raise RuntimeError(f"oracle answered {len(results)} of {len(items)} items: {proc.stderr.decode()}")
    return results


def render_all(templates: list[str]) -> list[tuple[bool, str]]:
    """Render each template with Velocity 1.7 in a fresh, empty context."""
    return run_batch([("vtl", t) for t in templates])


def escape_javascript_all(texts: list[str]) -> list[str]:
    """commons-lang 2.6 ``StringEscapeUtils.escapeJavaScript`` of each text."""
    return [out for _, out in run_batch([("ejs", t) for t in texts])]
