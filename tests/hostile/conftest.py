"""Helpers for the hostile-input suite: every case runs in its own process, bounded in memory and time.

A hang or a memory blow-up must fail the test, not stall the run: ``run_limited`` gives the child an
address-space limit (``RLIMIT_AS``) and a timeout, and reports what happened as data.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

#: Address space a case may use (the interpreter and vtlgw take about 100 MB of it).
MEMORY_MB = 1024
#: Seconds a case may take (generous: a hang is what it catches, not slowness).
TIMEOUT_S = 30


@dataclass
class Outcome:
    returncode: int
    stdout: str
    stderr: str

    @property
    def traceback(self) -> bool:
        return "Traceback (most recent call last)" in self.stderr or "Traceback (most recent call last)" in self.stdout


def _limit(memory_mb: int):
    def apply() -> None:
        import resource

        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return apply


def run_limited(args: list[str], *, stdin: bytes | None = None, cwd: str | Path | None = None,
                memory_mb: int = MEMORY_MB, timeout: float = TIMEOUT_S) -> Outcome:
    """Run ``args`` (a command, or ``["-c", code]`` for Python) with a memory cap and a timeout."""
    command = [sys.executable, *args] if args and args[0] in ("-c", "-m") else list(args)
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    try:
        done = subprocess.run(command, input=stdin, capture_output=True, timeout=timeout, cwd=cwd, env=env,
                              preexec_fn=_limit(memory_mb) if sys.platform != "win32" else None)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{command!r} did not finish within {timeout} s")
    return Outcome(done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace"))


def vtlgw_cli(*args: str, **kw) -> Outcome:
    """``vtlgw ARGS`` in a bounded subprocess."""
    return run_limited(["-m", "vtlgw.cli", *args], **kw)


def python_api(code: str, **kw) -> Outcome:
    """Python ``code`` in a bounded subprocess (``import vtlgw`` already done)."""
    return run_limited(["-c", "import vtlgw\n" + code], **kw)
