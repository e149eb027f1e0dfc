"""A syrupy extension that stores vtlgw results as pretty JSON (``pip install 'vtlgw[snapshot]'``).

``assert vtlgw.render(...) == snapshot`` picks it by itself: a result compared
with a syrupy snapshot asks for this extension, so the stored file is the
payload a reviewer wants to read, with the request id and times replaced by
placeholders (they differ between fresh runs, and say nothing about a template).
"""

from __future__ import annotations

import json
from typing import Any

try:
    from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError("vtlgw's snapshots need syrupy: pip install 'vtlgw[snapshot]'") from exc

__all__ = ["VtlgwSnapshotExtension", "normalise"]

PLACEHOLDERS = (("requestId", "<requestId>"), ("requestTime", "<requestTime>"),
                ("requestTimeEpoch", "<requestTimeEpoch>"))


def normalise(data: Any, stamps: dict[str, Any]) -> Any:
    """``data`` with every occurrence of the run's request id and times replaced by placeholders."""
    replacements = [(str(stamps[key]), text) for key, text in PLACEHOLDERS if stamps.get(key) not in (None, "", 0)]
    replacements.sort(key=lambda pair: -len(pair[0]))  # the epoch's digits before any shorter value

    def fix(value: Any) -> Any:
        if isinstance(value, str):
            for old, new in replacements:
                value = value.replace(old, new)
            return value
        if isinstance(value, int) and not isinstance(value, bool) and str(value) in dict(replacements):
            return dict(replacements)[str(value)]
        if isinstance(value, dict):
            return {fix(k): fix(v) for k, v in value.items()}
        if isinstance(value, list):
            return [fix(v) for v in value]
        return value

    return fix(data)


class VtlgwSnapshotExtension(SingleFileSnapshotExtension):
    """One ``.json`` file per snapshot: the result's ``snapshot_data()``, indented, keys in their order."""

    _write_mode = WriteMode.TEXT
    file_extension = "json"

    def serialize(self, data: Any, **kwargs: Any) -> str:
        if hasattr(data, "snapshot_data"):
            payload = normalise(data.snapshot_data(), getattr(data, "stamps", {}))
        else:
            payload = data
        return json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n"
