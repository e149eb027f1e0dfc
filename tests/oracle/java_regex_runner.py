"""Run java.util.regex operations in one JVM (the oracle for vtlgw.vtl.jregex)."""

from __future__ import annotations

import atexit
import functools
import shutil
import subprocess
import tempfile
from pathlib import Path

SOURCE = Path(__file__).with_name("JavaRegexOracle.java")


def java_unavailable() -> str | None:
    for tool in ("java", "javac"):
        if shutil.which(tool) is None:
            return f"{tool} not found (install a JDK)"
    return None


@functools.lru_cache(maxsize=1)
def _compiled() -> str:
    out = tempfile.mkdtemp(prefix="vtlgw-regex-oracle-")
    atexit.register(shutil.rmtree, out, True)
    subprocess.run(["javac", "-nowarn", "-d", out, str(SOURCE)], check=True, capture_output=True)
    return out


def run_all(cases: list[tuple[str, str, str, str]]) -> list[tuple[bool, str]]:
    """``(op, pattern, input, argument)`` cases → ``(ok, result or exception class)``."""
    data = b"".join(
        f"{op} {len(payload.encode())}\n".encode() + payload.encode()
        for op, payload in ((op, "\0".join((p, s, a))) for op, p, s, a in cases))
    proc = subprocess.run(["java", "-cp", _compiled(), "JavaRegexOracle"], input=data, capture_output=True,
                          check=True)
    out, results, i = proc.stdout, [], 0
    while i < len(out):
        j = out.index(b"\n", i)
        status, length = out[i:j].decode().split()
        end = j + 1 + int(length)
        results.append((status == "OK", out[j + 1:end].decode("utf-8")))
        i = end
    if len(results) != len(cases):
        raise RuntimeError(f"oracle answered {len(results)} of {len(cases)}: {proc.stderr.decode()}")
    return results
