"""Template coordinates in the file the user has open: one mapping for errors, warnings and lint findings.

A template embedded in a definition has two coordinate systems: its own
(line 1 is its first line) and the definition file's. Every report uses the
file's, in one format:

- a YAML ``|`` block scalar maps line by line (template line *n* is file line
  ``content_line + n - 1``, indented by the block's indentation), so the
  location, the positions a message mentions ("opened at 2:4") and the source
  line under the caret are all the file's;
- any other template (a JSON or quoted YAML string, ``Fn::Sub``) is reported
  at its key, with ``(template <pointer>, at L:C)`` added to the message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vtlgw.vtl.diagnostics import Location

if TYPE_CHECKING:
    from vtlgw.apigw.definition.model import Source
    from vtlgw.vtl.errors import TemplateError

__all__ = ["Placement", "place", "relocate_error", "file_line", "in_block_scalar"]

# "opened at 2:4", "end of template reached at 7:1": the positions template messages cite.
_CITED = re.compile(r"\bat (\d+):(\d+)\b")


from vtlgw.apigw.files import file_line  # noqa: E402  (re-exported: the loaders and the linter read it here)


def in_block_scalar(source: "Source | None") -> bool:
    """Whether template lines map one to one onto the file's (a YAML ``|`` block scalar)."""
    return source is not None and source.style == "|" and bool(source.content_line)


@dataclass(frozen=True)
class Placement:
    """A location in file coordinates, and what the message gains (the template-relative position, if any)."""

    location: Location
    suffix: str = ""


def place(source: "Source | None", where: Location, file: str | None = None) -> Placement:
    """Where a template-relative location is in the definition file (``file``: the name to show for it)."""
    if source is None or not where.line:
        return Placement(where)
    shown = file or source.file
    if in_block_scalar(source):
        first = source.content_line or 1
        indent = (source.content_column or 1) - 1
        line = first + where.line - 1
        text = file_line(source.file, line)
        if text is None and where.source_line is not None:
            text = " " * indent + where.source_line
        return Placement(Location(
            shown, line, None if where.column is None else where.column + indent,
            None if where.end_line is None else first + where.end_line - 1,
            None if where.end_column is None else where.end_column + indent,
            pointer=source.pointer or None, source_line=text))
    key_line = source.key_line or source.line
    key_column = source.key_column or source.column
    at = f"{where.line}:{where.column}" if where.column else f"{where.line}"
    return Placement(Location(shown, key_line, key_column if key_line else None, pointer=source.pointer or None,
                              source_line=file_line(source.file, key_line)),
                     f" (template {source.pointer or '/'}, at {at})")


def cited_positions(message: str, source: "Source | None") -> str:
    """A message with the template positions it cites ("opened at 2:4") moved into a block scalar's file lines."""
    if not in_block_scalar(source):
        return message
    assert source is not None
    first = source.content_line or 1
    indent = (source.content_column or 1) - 1
    return _CITED.sub(lambda m: f"at {first + int(m.group(1)) - 1}:{int(m.group(2)) + indent}", message)


def relocate_error(exc: "TemplateError", source: "Source | None", file: str | None = None) -> "TemplateError":
    """The same error in file coordinates (the error is updated in place and returned)."""
    if source is None or not exc.line:
        return exc
    placed = place(source, exc.location, file)
    loc = placed.location
    exc.message = cited_positions(exc.message, source) + placed.suffix
    exc.args = (exc.message,)
    exc.name = loc.file
    exc.line = loc.line or 0
    exc.column = loc.column or 0
    exc.source_line = loc.source_line
    return exc
