"""Typical request, counted in CPU instructions under callgrind: vtlgw against airspeed 0.7.1.

Wall-clock ratios on a shared machine move by ±10% from run to run; an
instruction count does not. Each candidate runs in a child process twice, with
0 and with N renders, so start-up and imports cancel out.

Run: ``pip install -e '.[bench]' && python bench/bench_instructions.py`` (needs valgrind).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from workloads import add_workloads_option

HERE = Path(__file__).resolve().parent


def child(which: str, renders: int, workloads: Path) -> None:
    sys.path.insert(0, str(HERE.parent))
    sys.path.insert(0, str(HERE))
    import bench_templates as bt
    from vtlgw.apigw.mapping import MappingContext, render_with
    from vtlgw.apigw.request import request_from_dict
    from vtlgw.vtl import Template

    body = bt.make_body(workloads, "request", 8)
    request, _ = request_from_dict(dict(json.loads((workloads / "request.json").read_text()), body=body))
    source = (workloads / "request_typical.vtl").read_text()
    if which == "airspeed":
        run = bt.airspeed_candidate(source, request, body, False)
    else:
        template = Template.cached(source)

        def run() -> str:
            return render_with(template, MappingContext.for_request(request))
    for _ in range(20 + renders):
        run()


def instructions(which: str, renders: int, workloads: Path) -> int:
    out = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
                          __file__, "--child", which, str(renders), "--workloads", str(workloads)],
                         capture_output=True, text=True, check=True)
    return int(re.search(r"Collected : (\d+)", out.stderr).group(1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_workloads_option(parser)
    parser.add_argument("--renders", type=int, default=1000)
    parser.add_argument("--child", nargs=2, metavar=("WHICH", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child[0], int(args.child[1]), args.workloads)
        return 0
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt-get install valgrind)", file=sys.stderr)
        return 1
    per = {}
    for which in ("vtlgw", "airspeed"):
        base = instructions(which, 0, args.workloads)
        per[which] = (instructions(which, args.renders, args.workloads) - base) / args.renders
    print("| typical request | vtlgw | airspeed 0.7.1 | ratio |")
    print("|---|---|---|---|")
    print(f"| instructions per render | {per['vtlgw']:,.0f} | {per['airspeed']:,.0f} | "
          f"{per['airspeed'] / per['vtlgw']:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
