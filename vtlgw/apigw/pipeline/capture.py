"""Running user code in-process without letting it take over vtlgw: its output captured, its exits contained.

An in-process handler (a Lambda function, an HTTP backend callable, a SAM
function's module being imported) may print, write to file descriptors 1 and
2 directly (``os.write``, a child process), raise any ``BaseException`` or call
``sys.exit``. :func:`run_user_code` runs it with both streams captured (Python's
``sys.stdout``/``sys.stderr`` and, where they exist, the descriptors under
them), so nothing reaches vtlgw's own stdout (``vtlgw invoke -f json`` stays
JSON) and returns what happened as data.

``KeyboardInterrupt`` is the one exception let through: it is the user asking
vtlgw itself to stop, not the function failing.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import threading
from dataclasses import dataclass
from typing import Any, Callable

__all__ = ["Outcome", "run_user_code", "describe_exception"]

# Streams and descriptors are process-wide: one capture at a time (re-entrant, for a handler that invokes).
_LOCK = threading.RLock()


@dataclass
class Outcome:
    """What user code did: returned ``value``, or raised ``exception``; ``output`` is what it wrote."""

    value: Any = None
    exception: BaseException | None = None
    output: str = ""


def describe_exception(exc: BaseException) -> str:
    """``str(exc)``, even when the exception's own ``__str__`` fails."""
    try:
        return str(exc)
    except BaseException:  # noqa: BLE001 - user code: anything may fail
        return f"<{type(exc).__name__}: str() failed>"


class _FdCapture:
    """Descriptor ``fd`` redirected into a temporary file until :meth:`stop`."""

    def __init__(self, fd: int, sink: Any) -> None:
        self.fd = fd
        self.saved: int | None = None
        try:
            self.saved = os.dup(fd)
        except OSError:  # closed or absent (an embedded interpreter): nothing to capture
            return
        os.dup2(sink.fileno(), fd)

    def stop(self) -> None:
        if self.saved is not None:
            os.dup2(self.saved, self.fd)
            os.close(self.saved)
            self.saved = None


def _flush(stream: Any) -> None:
    try:
        stream.flush()
    except BaseException:  # noqa: BLE001 - a stream the user replaced may fail in any way
        pass


def run_user_code(function: Callable[..., Any], *args: Any) -> Outcome:
    """Call ``function(*args)`` with stdout and stderr captured; every exception but KeyboardInterrupt is caught.

    The captured text interleaves the two streams in the order Python code
    wrote them (as CloudWatch merges a function's streams); what went to the
    descriptors directly follows it.
    """
    with _LOCK:
        text = io.StringIO()
        saved_streams = (sys.stdout, sys.stderr)
        for stream in saved_streams:
            if stream is not None:
                _flush(stream)
        outcome = Outcome()
        with tempfile.TemporaryFile() as sink:
            fds = [_FdCapture(1, sink), _FdCapture(2, sink)]
            sys.stdout = sys.stderr = text
            try:
                outcome.value = function(*args)
            except KeyboardInterrupt:
                raise
            except BaseException as exc:  # noqa: BLE001 - SystemExit and the rest: the user code failed
                outcome.exception = exc
            finally:
                for stream in (sys.stdout, sys.stderr):
                    if stream is not text and stream is not None:
                        _flush(stream)  # user code swapped a stream in: its text lands in the descriptor
                sys.stdout, sys.stderr = saved_streams
                for capture in reversed(fds):
                    capture.stop()
                sink.seek(0)
                raw = sink.read()
        outcome.output = text.getvalue() + raw.decode("utf-8", "replace")
        return outcome
