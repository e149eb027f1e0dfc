"""What every oracle runner shares: find Java, compile one class once per session, run a batch.

Each oracle is one Java class beside this file that reads records from stdin
and answers each with one record. A record is a header line ``<tag> <length>``
and ``length`` units of text: UTF-8 bytes, or UTF-16 code units for an oracle
that must see lone surrogates. The answer's tag is ``OK`` or ``ERR``.
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
HERE = Path(__file__).resolve().parent


class JavaOracle:
    """One Java oracle class (``<main>.java`` here) with the jars it needs from :data:`JAVA_DIR`."""

    def __init__(self, main: str, jars: tuple[str, ...] = (), *, install: str = "", utf16: bool = False) -> None:
        self.main = main
        self.jars = jars
        self.install = install  # how to get the jars, for the skip message
        self.utf16 = utf16

    def unavailable(self) -> str | None:
        """Why the oracle cannot run here, or None when it can."""
        for tool in ("java", "javac"):
            if shutil.which(tool) is None:
                return f"{tool} not found (install a JDK, e.g. apt-get install default-jdk-headless)"
        for jar in self.jars:
            if not (JAVA_DIR / jar).exists():
                return f"{JAVA_DIR / jar} not found ({self.install})"
        return None

    def _classpath(self, classes: str) -> str:
        return os.pathsep.join([classes, *(str(JAVA_DIR / j) for j in self.jars)])

    @functools.cached_property
    def _classes(self) -> str:
        out = tempfile.mkdtemp(prefix=f"vtlgw-{self.main}-")
        atexit.register(shutil.rmtree, out, True)  # compiled classes live for this process only
        subprocess.run(["javac", "-nowarn", "-d", out, "-cp", self._classpath(out), str(HERE / f"{self.main}.java")],
                       check=True, capture_output=True)
        return out

    def _encode(self, text: str) -> tuple[int, bytes]:
        if self.utf16:
            data = text.encode("utf-16-be", "surrogatepass")
            return len(data) // 2, data
        data = text.encode("utf-8")
        return len(data), data

    def run(self, records: list[tuple[str, str]], answers: int | None = None) -> list[tuple[bool, str]]:
        """Send ``(tag, text)`` records in one JVM; ``(ok, text)`` per answer.

        ``answers`` is how many answers to expect (default: one per record).
        """
        parts = []
        for tag, text in records:
            length, data = self._encode(text)
            parts.append(f"{tag} {length}\n".encode("ascii") + data)
        proc = subprocess.run(["java", "-cp", self._classpath(self._classes), self.main], input=b"".join(parts),
                              capture_output=True, check=True)
        out, results, i = proc.stdout, [], 0
        unit = 2 if self.utf16 else 1
        while i < len(out):
            j = out.index(b"\n", i)
            status, length = out[i:j].decode("ascii").split()
            end = j + 1 + unit * int(length)
            body = out[j + 1:end]
            results.append((status == "OK", body.decode("utf-16-be", "surrogatepass") if self.utf16
                            else body.decode("utf-8")))
            i = end
        expected = len(records) if answers is None else answers
        if len(results) != expected:
            raise RuntimeError(f"{self.main} answered {len(results)} of {expected}: {proc.stderr.decode()}")
        return results
