"""Engine benchmark: vtlgw against airspeed 0.7.1, interleaved in one run, reported as ratios.

Workloads (from bench/data, or --workloads DIR):
- ``engine_loops.vtl``: the Velocity core alone (10,000 loop iterations);
- a 300 KB template (``request_typical.vtl`` repeated to API Gateway's size limit):
  parse time, and parse + compile time, since vtlgw compiles to Python.

Run: ``pip install -e '.[bench]' && python bench/bench_engine.py``.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

from workloads import add_workloads_option

HERE = Path(__file__).resolve().parent


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def without_gc(fn):
    """Run ``fn`` with the cyclic GC paused, as ``Template`` does around parsing."""
    def run():
        gc.disable()
        try:
            return fn()
        finally:
            gc.enable()
    return run


def interleave(candidates: dict, rounds: int, repeat: int) -> dict[str, float]:
    """Median time per candidate, running the candidates in alternation to share machine noise."""
    samples: dict[str, list[float]] = {name: [] for name in candidates}
    for _ in range(rounds):
        for name, fn in candidates.items():
            samples[name].extend(timed(fn, repeat))
    return {name: statistics.median(s) for name, s in samples.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_workloads_option(parser)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE.parent))
    from vtlgw.vtl import Template
    from vtlgw.vtl.compiler import compile_tree
    from vtlgw.vtl.parser import parse
    from vtlgw.vtl.runtime import DEFAULT_LIMITS

    try:
        import airspeed
    except ImportError:
        print("airspeed is not installed: pip install -e '.[bench]'", file=sys.stderr)
        return 2

    loops_src = (args.workloads / "engine_loops.vtl").read_text()
    typical = (args.workloads / "request_typical.vtl").read_text()
    big = (typical * (307_200 // len(typical) + 1))[:300_000]

    ours = Template(loops_src)
    theirs = airspeed.Template(loops_src)
    ours.render()
    theirs.merge({})
    render = interleave({"vtlgw": ours.render, "airspeed": lambda: theirs.merge({})}, args.rounds, 3)

    def airspeed_parse() -> None:
        t = airspeed.Template(big)
        t.ensure_compiled()

    parse_times = interleave({
        "vtlgw parse": without_gc(lambda: parse(big)),
        "vtlgw parse+compile": without_gc(lambda: compile_tree(parse(big), "<bench>", DEFAULT_LIMITS)),
        "airspeed parse": airspeed_parse,
    }, args.rounds, 1)

    print("| workload | vtlgw | airspeed 0.7.1 | vtlgw speed-up |")
    print("|---|---|---|---|")
    print(f"| engine_loops.vtl render | {render['vtlgw'] * 1e3:.1f} ms | {render['airspeed'] * 1e3:.1f} ms "
          f"| {render['airspeed'] / render['vtlgw']:.1f}x |")
    p, pc, a = parse_times["vtlgw parse"], parse_times["vtlgw parse+compile"], parse_times["airspeed parse"]
    print(f"| 300 KB template, parse | {p * 1e3:.0f} ms | {a * 1e3:.0f} ms | {a / p:.1f}x |")
    print(f"| 300 KB template, parse + compile | {pc * 1e3:.0f} ms | {a * 1e3:.0f} ms | {a / pc:.1f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
