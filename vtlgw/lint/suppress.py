"""Inline suppression comments in templates.

``## vtlgw: ignore[VTL106]`` on its own line silences the named rules on the
next line; ``## vtlgw: ignore-file[VTL201]`` silences them in the whole
template. Several ids are separated by commas. A ``##`` comment is a Velocity
line comment, so the marker never reaches the rendered output (placed at
column 1 on its own line it also removes its own line break).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Suppressions", "parse_suppressions"]

_ID = re.compile(r"[^,\s]+")
_MARKER = re.compile(r"##\s*vtlgw:\s*(ignore|ignore-file)\[([^\]]*)\]")


@dataclass
class Suppressions:
    """Rule ids silenced per template line (1-based) and for the whole template."""

    by_line: dict[int, set[str]] = field(default_factory=dict)
    whole_file: set[str] = field(default_factory=set)
    markers: list[tuple[int, str]] = field(default_factory=list)  # (template offset, id), for checking ids

    def covers(self, code: str | None, line: int | None) -> bool:
        if code is None:
            return False
        if code in self.whole_file:
            return True
        return line is not None and code in self.by_line.get(line, ())

    def __bool__(self) -> bool:
        return bool(self.by_line or self.whole_file)


def parse_suppressions(text: str) -> Suppressions:
    """Find the markers of a template; cheap when there are none."""
    found = Suppressions()
    if "vtlgw:" not in text:
        return found
    offset = 0
    for number, line in enumerate(text.split("\n"), start=1):
        for match in _MARKER.finditer(line):
            ids = [(offset + match.start(2) + m.start(), m.group().upper())
                   for m in _ID.finditer(match.group(2))]
            found.markers.extend(ids)
            codes = {code for _, code in ids}
            if match.group(1) == "ignore-file":
                found.whole_file |= codes
            else:
                found.by_line.setdefault(number + 1, set()).update(codes)
        offset += len(line) + 1
    return found
