"""Where the shared benchmark workloads are, checked before any benchmark starts."""

from __future__ import annotations

import argparse
from pathlib import Path

DEFAULT_WORKLOADS = Path(__file__).resolve().parent.parent.parent / "shared" / "bench"


def add_workloads_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workloads", type=workloads_dir, default=str(DEFAULT_WORKLOADS),
                        help=f"the shared/bench directory (default: {DEFAULT_WORKLOADS})")


def workloads_dir(text: str | Path) -> Path:
    """``text`` as the workloads directory, or a usage error saying what is missing."""
    path = Path(text)
    if not (path / "request.json").is_file():
        raise argparse.ArgumentTypeError(
            f"{path} is not the shared/bench workloads directory (no request.json there)")
    return path
