"""Where the benchmark workloads are, checked before any benchmark starts.

They ship in ``bench/data`` (templates, the request file and ``make_body.py``, which writes the
bodies), so every figure in the README can be reproduced from a checkout; ``--workloads DIR``
points the benchmarks at another copy of the same files.
"""

from __future__ import annotations

import argparse
from pathlib import Path

DEFAULT_WORKLOADS = Path(__file__).resolve().parent / "data"


def add_workloads_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workloads", type=workloads_dir, default=str(DEFAULT_WORKLOADS),
                        help=f"the workloads directory (default: {DEFAULT_WORKLOADS})")


def workloads_dir(text: str | Path) -> Path:
    """``text`` as the workloads directory, or a usage error saying what is missing."""
    path = Path(text)
    if not (path / "request.json").is_file():
        raise argparse.ArgumentTypeError(
            f"{path} is not a benchmark workloads directory (no request.json there; bench/data is one)")
    return path
