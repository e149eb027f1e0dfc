"""Run the JDK functions behind ``$util`` (URLEncoder, URLDecoder, Base64) in one JVM.

The Java side is ``UtilOracle.java`` beside this file, compiled once per test
session into a temporary folder. It needs only a JDK (no jars). Text crosses
the pipe as UTF-16 code units, so strings with lone surrogates reach Java
unchanged. Where Java is missing, :func:`util_oracle_unavailable` says why.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import subprocess
import tempfile
from pathlib import Path

SOURCE = Path(__file__).with_name("UtilOracle.java")
MODES = ("uenc", "udec", "b64e", "b64d")


def util_oracle_unavailable() -> str | None:
    """Why the oracle cannot run here, or None when it can."""
    for tool in ("java", "javac"):
        if shutil.which(tool) is None:
            return f"{tool} not found (install a JDK, e.g. apt-get install default-jdk-headless)"
    return None


@functools.lru_cache(maxsize=1)
def _compiled() -> str:
    out = tempfile.mkdtemp(prefix="vtlgw-util-oracle-")
    atexit.register(shutil.rmtree, out, True)  # compiled classes live for this process only
    subprocess.run(["javac", "-nowarn", "-d", out, str(SOURCE)], check=True, capture_output=True)
    return out


def _units(text: str) -> bytes:
    return text.encode("utf-16-be", "surrogatepass")


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
    classes = _compiled()
    parts = []
    for mode, text in items:
        data = _units(text)
        parts.append(f"{mode} {len(data) // 2}\n".encode("ascii") + data)
    proc = subprocess.run(["java", "-cp", classes, "UtilOracle"], input=b"".join(parts),
                          capture_output=True, check=True)
    out, results, i = proc.stdout, [], 0
    while i < len(out):
        j = out.index(b"\n", i)
        status, count = out[i:j].decode("ascii").split()
        end = j + 1 + 2 * int(count)
        results.append((status == "OK", out[j + 1:end].decode("utf-16-be", "surrogatepass")))
        i = end
    if len(results) != len(items):
        raise RuntimeError(f"oracle answered {len(results)} of {len(items)} items: {proc.stderr.decode()}")
    return results
