"""Speed on the public path, measured fairly: vtlgw against warmed velocityjs and hand-written Python.

One command gives the README's table: ``python bench/bench_speed.py`` (after
``pip install -e . && (cd bench && npm install)``). It runs ``--runs`` separate
runs (each a fresh Python process with its own node process) and prints, per
figure, the range over the runs.

Within a run every candidate renders the same workload in interleaved rounds
(the order rotates each round), and each candidate's figure is its best round:
noise on a shared machine only ever adds time. Every figure is a ratio of two
best rounds of the same run. The candidates:

- ``vtlgw.render(template_text, request_dict)``: the public API, as a user calls
  it (the request dict is read and checked on every call; the template text is
  found in the process's compile cache);
- prepared: the template compiled once (``Template``) and the method request
  built once (``request_from_dict``); per render, ``MappingContext.for_request``
  and ``render_with``;
- velocityjs 2.1.7 (serverless-offline's engine) in one node process for the
  whole run: the template parsed once, one ``Velocity.Compile`` reused, warmed
  up with thousands of renders before the first timed round, and timed over the
  same rounds as vtlgw (its own clock, so no pipe time is counted). It gets small
  JavaScript stand-ins for ``$input``/``$util``/``$context`` (built per render,
  the body parsed per render, as vtlgw parses it);
- hand-written Python (``by_hand.py``): the workload written directly with
  dicts and ``json``, checked to return exactly vtlgw's output; the floor.

Workloads come from ``bench/data`` (``--workloads DIR`` for another copy).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

import by_hand
from workloads import add_workloads_option

HERE = Path(__file__).resolve().parent
SAMPLE_SECONDS = 0.02  # each timed round of a candidate lasts about this long
JS_WARMUP_RENDERS = 5000
JS_WARMUP_SECONDS = 3.0  # at most this long per workload (engine_loops renders 10,000 iterations each time)


class Workload:
    """One row of the table: its candidates (callables) and which ratios it reports."""

    def __init__(self, name: str, template: str, body_kind: str | None, body_size: int, rounds: int) -> None:
        self.name, self.template, self.body_kind, self.body_size, self.rounds = \
            name, template, body_kind, body_size, rounds
        self.candidates: dict[str, Callable[[], Any]] = {}


WORKLOADS = [
    Workload("typical request (~1 KB)", "request_typical.vtl", "request", 8, 30),
    Workload("typical response", "response_typical.vtl", "response", 8, 30),
    Workload("engine_loops.vtl (10,000 iterations)", "engine_loops.vtl", None, 0, 12),
    Workload("passthrough 10 MB", "passthrough.vtl", "request", 100_000, 7),
]


def make_body(workloads: Path, kind: str, n: int) -> str:
    out = subprocess.run([sys.executable, str(workloads / "make_body.py"), kind, str(n)],
                         capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def build(workload: Workload, workloads: Path, tmp: Path) -> dict[str, Any]:
    """Fill ``workload.candidates``; returns the velocityjs spec for it."""
    import vtlgw
    from vtlgw.apigw.mapping import MappingContext, render_with
    from vtlgw.apigw.request import request_from_dict
    from vtlgw.vtl import Template

    text = (workloads / workload.template).read_text(encoding="utf-8")
    body = make_body(workloads, workload.body_kind, workload.body_size) if workload.body_kind else None
    request = json.loads((workloads / "request.json").read_text(encoding="utf-8"))
    response_side = workload.body_kind == "response"
    if workload.body_kind == "request":
        request = dict(request, body=body)
    spec: dict[str, Any] = {"name": workload.name, "template": str(workloads / workload.template),
                            "request": str(tmp / f"{workload.template}.request.json"),
                            "body": str(tmp / f"{workload.template}.body") if body is not None else None}
    Path(spec["request"]).write_text(json.dumps(request), encoding="utf-8")
    if body is not None:
        Path(spec["body"]).write_text(body, encoding="utf-8")

    c = workload.candidates
    if workload.body_kind is None:  # the engine alone: no API Gateway variables
        template = Template(text, workload.template)
        c["vtlgw.render"] = c["prepared"] = template.render
        c["by hand"] = by_hand.engine_loops
    else:
        integration = body if response_side else None
        template = Template(text, workload.template)
        method_request, _ = request_from_dict(request)
        c["vtlgw.render"] = lambda: vtlgw.render(text, request, integration_response=integration)
        c["prepared"] = lambda: render_with(template, MappingContext.for_request(method_request), body=integration)
        if workload.template == "request_typical.vtl":
            c["by hand"] = lambda: by_hand.typical_request(request)
        elif workload.template == "passthrough.vtl":
            c["by hand"] = lambda: by_hand.passthrough(body)
    outputs = {name: fn() for name, fn in c.items()}
    for name, output in outputs.items():
        if output != outputs["vtlgw.render"]:
            raise SystemExit(f"{workload.name}: {name} does not give vtlgw.render's output")
    return spec


class VelocityJs:
    """The one node process that times velocityjs for the whole run."""

    def __init__(self, specs: list[dict[str, Any]], tmp: Path) -> None:
        spec_file = tmp / "velocityjs.json"
        spec_file.write_text(json.dumps([dict(s, warmup=JS_WARMUP_RENDERS, warmupSeconds=JS_WARMUP_SECONDS)
                                         for s in specs]), encoding="utf-8")
        self.proc = subprocess.Popen(["node", str(HERE / "velocityjs_server.js"), str(spec_file)], cwd=HERE,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        if self.proc.stdout.readline().strip() != "ready":
            raise SystemExit("velocityjs_server.js did not start")

    def time(self, index: int, renders: int) -> float:
        self.proc.stdin.write(f"{index} {renders}\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())["seconds_per_render"]

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait()


def velocityjs_available() -> bool:
    return shutil.which("node") is not None and (HERE / "node_modules" / "velocityjs").is_dir()


def per_render(fn: Callable[[], Any], renders: int) -> float:
    gc.collect()
    t0 = time.perf_counter()
    for _ in range(renders):
        fn()
    return (time.perf_counter() - t0) / renders


def calibrate(fn: Callable[[], Any]) -> int:
    """Renders per timed round, so that a round lasts about ``SAMPLE_SECONDS``."""
    once = min(per_render(fn, 1) for _ in range(3))
    return max(1, round(SAMPLE_SECONDS / max(once, 1e-9)))


def one_run(workloads: Path) -> dict[str, dict[str, float]]:
    """Best seconds per render of every candidate of every workload, from interleaved rounds."""
    with tempfile.TemporaryDirectory(prefix="vtlgw-bench-") as tmp_name:
        tmp = Path(tmp_name)
        specs = [build(w, workloads, tmp) for w in WORKLOADS]
        js = VelocityJs(specs, tmp) if velocityjs_available() else None
        try:
            best: dict[str, dict[str, float]] = {}
            for index, w in enumerate(WORKLOADS):
                renders = {name: calibrate(fn) for name, fn in w.candidates.items()}
                names = list(w.candidates) + (["velocityjs"] if js else [])
                if js:
                    js_once = js.time(index, 1)
                    renders["velocityjs"] = max(1, round(SAMPLE_SECONDS / max(js_once, 1e-9)))
                samples: dict[str, list[float]] = {name: [] for name in names}
                for r in range(w.rounds):
                    order = names[r % len(names):] + names[:r % len(names)]
                    for name in order:
                        if name == "velocityjs":
                            samples[name].append(js.time(index, renders[name]))
                        else:
                            samples[name].append(per_render(w.candidates[name], renders[name]))
                best[w.name] = {name: min(s) for name, s in samples.items()}
                print(f"  {w.name}: " + ", ".join(f"{k} {v * 1e6:,.1f} µs" for k, v in best[w.name].items()),
                      file=sys.stderr)
            return best
        finally:
            if js:
                js.close()


def ratios(best: dict[str, float]) -> dict[str, float]:
    """The figures of one workload in one run (velocityjs: its time over vtlgw's, so > 1 is faster)."""
    out = {}
    for ours in ("vtlgw.render", "prepared"):
        if "velocityjs" in best:
            out[f"{ours} vs velocityjs"] = best["velocityjs"] / best[ours]
        if "by hand" in best:
            out[f"{ours} / by hand"] = best[ours] / best["by hand"]
    return out


COLUMNS = ["vtlgw.render vs velocityjs", "prepared vs velocityjs", "vtlgw.render / by hand", "prepared / by hand"]


def span(values: list[float], unit: str) -> str:
    lo, hi = min(values), max(values)
    digits = 2 if hi < 10 else 1
    return f"{lo:.{digits}f}{unit}" if f"{lo:.{digits}f}" == f"{hi:.{digits}f}" else \
        f"{lo:.{digits}f}–{hi:.{digits}f}{unit}"


def table(runs: list[dict[str, dict[str, float]]]) -> str:
    lines = ["| Workload | `vtlgw.render` vs velocityjs (warm) | prepared vs velocityjs | "
             "`vtlgw.render` / hand-written Python | prepared / hand-written Python |",
             "|---|---|---|---|---|"]
    for w in WORKLOADS:
        per_run = [ratios(run[w.name]) for run in runs]
        cells = []
        for column in COLUMNS:
            values = [r[column] for r in per_run if column in r]
            if not values:
                cells.append("")
            elif "velocityjs" in column:
                cells.append(span(values, "× faster") if min(values) >= 1 else span(values, "× (slower)")
                             if max(values) < 1 else span(values, "×"))
            else:
                cells.append(span(values, "×"))
        lines.append(f"| {w.name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_workloads_option(parser)
    parser.add_argument("--runs", type=int, default=3, help="separate runs; figures give their range")
    parser.add_argument("--one-run", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE.parent))
    if args.one_run:
        print(json.dumps(one_run(args.workloads)))
        return 0
    if not velocityjs_available():
        print("velocityjs is not installed (cd bench && npm install); its columns stay empty", file=sys.stderr)
    runs = []
    for n in range(args.runs):
        print(f"run {n + 1} of {args.runs}", file=sys.stderr)
        out = subprocess.run([sys.executable, __file__, "--one-run", "--workloads", str(args.workloads)],
                             stdout=subprocess.PIPE, check=True, text=True)
        runs.append(json.loads(out.stdout))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{args.runs} runs, {os.cpu_count()} CPUs, load {load:.2f}; best of interleaved rounds per run, "
          "ranges over runs\n")
    print(table(runs))
    print("\nbest time per render (µs), per run:")
    for w in WORKLOADS:
        cells = ", ".join(f"{k} " + "/".join(f"{run[w.name][k] * 1e6:,.0f}" for run in runs)
                          for k in runs[0][w.name])
        print(f"- {w.name}: {cells}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
