"""Reading the files users give vtlgw: at most a named cap of bytes per kind, then a clear refusal.

Every input file (a template, a method request, a definition, a backend file)
is read through :func:`read_bytes` or :func:`read_text`, never with a bare
``read()``: a path such as ``/dev/zero`` or an endless stdin is read up to
one byte past the cap of its :class:`InputKind` and then refused with an
:class:`InputTooLargeError` naming the file, the cap and what to do, so that
nothing is read (or held in memory) without bound.
"""

from __future__ import annotations

import functools
import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Callable

from vtlgw.apigw import limits
from vtlgw.apigw.errors import InputFileError

__all__ = ["InputKind", "InputTooLargeError", "read_bytes", "read_capped", "read_text", "decode_text", "read_json",
           "file_line",
           "too_large_message",
           "TEMPLATE", "REQUEST", "DEFINITION", "BACKEND", "RESPONSE_BODY", "SETTINGS"]


@dataclass(frozen=True)
class InputKind:
    """One kind of input file: what it is called in messages, its cap in bytes and the AWS fact behind it."""

    what: str
    max_bytes: int
    why: str  # the sentence after the refusal: the AWS limit the cap leaves room for


TEMPLATE = InputKind("template", limits.MAX_TEMPLATE_FILE_BYTES,
                     f"API Gateway accepts at most {limits.MAX_TEMPLATE_BYTES} bytes (300 KB) per mapping template")
REQUEST = InputKind("request file", limits.MAX_REQUEST_FILE_BYTES,
                    "API Gateway refuses a request payload over 10 MB with 413, "
                    "which a much smaller file already shows")
DEFINITION = InputKind("definition", limits.MAX_DEFINITION_FILE_BYTES,
                       "API Gateway imports definitions of at most 6 MB, CloudFormation templates of at most 1 MB")
BACKEND = InputKind("backend file", limits.MAX_BACKEND_FILE_BYTES,
                    "API Gateway accepts integration responses of at most 10 MB (Lambda: 6 MB)")
RESPONSE_BODY = InputKind("integration response body", limits.MAX_BACKEND_FILE_BYTES,
                          "API Gateway accepts integration responses of at most 10 MB")
#: A small JSON file of run settings (``--api-keys``, ``--claims``).
SETTINGS = InputKind("settings file", limits.MAX_REQUEST_FILE_BYTES,
                     "API keys and token claims take a few kilobytes")


class InputTooLargeError(InputFileError):
    """An input file over the cap of its kind; nothing past the cap was read."""


def too_large_message(kind: InputKind, size: int | None = None) -> str:
    """What vtlgw says of a ``kind`` file over its cap (``size``: its size, when a regular file tells it)."""
    size_text = f"is {size} bytes" if size is not None else f"is larger than {kind.max_bytes} bytes"
    return (f"{kind.what} {size_text}; vtlgw reads at most {kind.max_bytes} bytes ({_human(kind.max_bytes)}) "
            f"of a {kind.what}: {kind.why}. Use a smaller file")


def _human(n: int) -> str:
    if n >= limits.MiB and n % limits.MiB == 0:
        return f"{n // limits.MiB} MiB"
    return f"{n / 1024:.0f} KB" if n >= 1024 else f"{n} bytes"


def read_capped(fh: BinaryIO, kind: InputKind, name: str,
                error: Callable[[str], Exception] | None = None) -> bytes:
    """Read an open binary file up to the cap of ``kind``; one byte more is refused, nothing more is read.

    The refusal is ``error(message)`` (default: an :class:`InputTooLargeError` naming ``name``), so each
    reader raises its own error class: ``lambda m: BackendFileError(m, source=name)``.
    """
    data = fh.read(kind.max_bytes + 1)
    if len(data) > kind.max_bytes:
        size = None
        try:
            info = os.fstat(fh.fileno())
            if stat.S_ISREG(info.st_mode) and info.st_size > kind.max_bytes:
                size = info.st_size
        except (OSError, ValueError, AttributeError):
            pass
        message = too_large_message(kind, size)
        raise error(message) if error is not None else InputTooLargeError(message, file=name)
    return data


def read_bytes(path: str | os.PathLike[str], kind: InputKind, *, name: str | None = None,
               stdin: BinaryIO | None = None) -> bytes:
    """The bytes of ``path`` (``"-"``: stdin), at most ``kind.max_bytes`` of them.

    Raises :class:`InputTooLargeError` past the cap (having read one byte
    more, never the rest) and :class:`InputFileError` for a file that does not
    exist, is a directory or cannot be read. ``name`` is how messages cite the
    file (default: the path, ``<stdin>`` for ``-``).
    """
    if str(path) == "-":
        shown = name or "<stdin>"
        stream = stdin if stdin is not None else sys.stdin.buffer
        try:
            return read_capped(stream, kind, shown)
        except OSError as exc:
            raise InputFileError(f"cannot read {kind.what} from stdin: {exc.strerror or exc}", file=shown) from None
    shown = name or str(path)
    try:
        with open(Path(path), "rb") as fh:
            return read_capped(fh, kind, shown)
    except FileNotFoundError:
        raise InputFileError(f"{kind.what} does not exist", file=shown) from None
    except IsADirectoryError:
        raise InputFileError(f"{kind.what} is a directory", file=shown) from None
    except OSError as exc:
        raise InputFileError(f"cannot read {kind.what}: {exc.strerror or exc}", file=shown) from None


def decode_text(data: bytes, kind: InputKind, name: str) -> str:
    """UTF-8 ``data`` as text, a leading BOM dropped; a bad byte is an :class:`InputFileError` at its line:col."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
        raise InputFileError(f"{kind.what} is not UTF-8 text (byte 0x{data[exc.start]:02x}: {exc.reason})",
                             file=name, line=line, column=column) from None


def read_text(path: str | os.PathLike[str], kind: InputKind, *, name: str | None = None,
              stdin: BinaryIO | None = None) -> str:
    """:func:`read_bytes`, then :func:`decode_text`."""
    shown = name or ("<stdin>" if str(path) == "-" else str(path))
    return decode_text(read_bytes(path, kind, name=shown, stdin=stdin), kind, shown)


def read_json(path: str | os.PathLike[str], kind: InputKind, *, name: str | None = None) -> Any:
    """The JSON value in ``path``; bad JSON is an :class:`InputFileError` at its line:col."""
    import json

    shown = name or str(path)
    text = read_text(path, kind, name=shown)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputFileError(f"invalid JSON: {exc.msg}", file=shown, line=exc.lineno, column=exc.colno) from None
    except RecursionError:
        raise InputFileError("invalid JSON: nested too deeply", file=shown) from None


def _file_lines(path: str) -> tuple[str, ...]:
    """The file's lines, cached per version: a path names another file after a chdir, or after an edit."""
    try:
        info = os.stat(path)
    except OSError:
        return ()
    return _lines_of(os.path.realpath(path), info.st_mtime_ns, info.st_size)


@functools.lru_cache(maxsize=64)
def _lines_of(path: str, mtime_ns: int, size: int) -> tuple[str, ...]:
    try:
        with open(path, "rb") as fh:
            return tuple(fh.read(limits.MAX_DEFINITION_FILE_BYTES + 1).decode("utf-8", "replace").splitlines())
    except OSError:
        return ()


def file_line(path: str | None, line: int | None) -> str | None:
    """The text of 1-based ``line`` of ``path`` (None when unknown or not a real file), for an error's caret."""
    if not path or not line or path.startswith("<"):
        return None
    lines = _file_lines(path)
    return lines[line - 1] if 0 < line <= len(lines) else None
