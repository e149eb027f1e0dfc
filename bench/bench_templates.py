"""Template benchmark: the bench/data workloads through vtlgw, airspeed and the floor.

For each workload every candidate renders the same template over the same
body, interleaved round by round; the report gives ratios of each
candidate's best round:

- vtlgw: the real thing (``$context`` built, ``$input``/``$util`` as on AWS);
- airspeed 0.7.1: given vtlgw's own per-request ``$input``, ``$util``, ``$context``
  and ``$stageVariables`` objects (behind the Python methods airspeed calls),
  built for every render as vtlgw builds them;
- the floor: ``json.loads`` + ``json.dumps`` of the body.

Run: ``pip install -e '.[bench]' && python bench/bench_templates.py``. velocityjs, warmed up in
one node process, and ``vtlgw.render`` on the public path are compared in ``bench_speed.py``.
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

from workloads import add_workloads_option

HERE = Path(__file__).resolve().parent

WORKLOADS = [
    # name, template, body kind, body size, renders per sample
    ("typical request", "request_typical.vtl", "request", 8, 200),
    ("typical response", "response_typical.vtl", "response", 8, 200),
    ("large request (10,000 items)", "request_typical.vtl", "request", 10_000, 1),
    ("passthrough 10 MB", "passthrough.vtl", "request", 100_000, 1),
]


def make_body(workloads: Path, kind: str, n: int) -> str:
    out = subprocess.run([sys.executable, str(workloads / "make_body.py"), kind, str(n)],
                         capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def sample(fn: Callable[[], Any], renders: int) -> float:
    gc.collect()
    t0 = time.perf_counter()
    for _ in range(renders):
        fn()
    return (time.perf_counter() - t0) / renders


# ---------------------------------------------------------------- airspeed: vtlgw's own objects


class _InputForAirspeed:
    """vtlgw's real ``$input`` behind the plain Python methods airspeed calls."""

    def __init__(self, real) -> None:
        self._real = real
        self.body = real.body

    def json(self, path):
        return self._real.json(path)

    def path(self, path):
        return self._real.path(path)

    def params(self, name=None):
        return self._real.params_map() if name is None else self._real.param(name)


class _UtilForAirspeed:
    """vtlgw's real ``$util`` functions under their VTL names."""

    def __init__(self) -> None:
        from vtlgw.apigw import util

        self.escapeJavaScript = util.escape_javascript
        self.urlEncode = util.url_encode
        self.urlDecode = util.url_decode
        self.parseJson = util.parse_json
        self.base64Encode = util.base64_encode
        self.base64Decode = util.base64_decode


def airspeed_candidate(template: str, method_request, body: str, response_side: bool) -> Callable[[], str] | None:
    """airspeed given the same per-request objects vtlgw builds (it cannot build API Gateway's own)."""
    try:
        import airspeed
    except ImportError:
        return None
    from vtlgw.apigw.input import Input
    from vtlgw.apigw.mapping import MappingContext

    compiled = airspeed.Template(template)
    util = _UtilForAirspeed()

    def run() -> str:
        mctx = MappingContext.for_request(method_request)
        payload = body if response_side else method_request.body_text()
        return compiled.merge({"input": _InputForAirspeed(Input(payload, mctx.params)), "util": util,
                               "context": mctx.context, "stageVariables": mctx.stage_variables})

    try:
        run()
    except Exception as exc:  # airspeed cannot run every template
        print(f"  (airspeed failed on this workload: {type(exc).__name__}: {exc})", file=sys.stderr)
        return None
    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_workloads_option(parser)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE.parent))
    from vtlgw.apigw.mapping import MappingContext, render_with
    from vtlgw.apigw.request import request_from_dict
    from vtlgw.vtl import Template

    request_doc = json.loads((args.workloads / "request.json").read_text())
    rows = []
    for name, template_name, kind, size, renders in WORKLOADS:
        template_path = args.workloads / template_name
        template_text = template_path.read_text()
        body = make_body(args.workloads, kind, size)
        req_doc = dict(request_doc, body=body)
        method_request, _ = request_from_dict(req_doc)
        template = Template.cached(template_text, template_name)
        response_side = kind == "response"

        def vtlgw_run() -> str:
            mctx = MappingContext.for_request(method_request)
            return render_with(template, mctx, body=body if response_side else None)

        def floor() -> str:
            return json.dumps(json.loads(body), separators=(",", ":"), ensure_ascii=False)

        candidates: dict[str, Callable[[], Any]] = {"vtlgw": vtlgw_run, "floor": floor}
        air = airspeed_candidate(template_text, method_request, body, response_side)
        if air is not None:
            candidates["airspeed"] = air
        samples: dict[str, list[float]] = {k: [] for k in candidates}
        for fn in candidates.values():
            fn()  # warm up
        for _ in range(args.rounds):
            for key, fn in candidates.items():
                samples[key].append(sample(fn, renders))
        # The best round of each: on a shared machine noise only ever adds time (see timeit's docs),
        # and the rounds interleave the candidates, so each gets the same chances.
        best = {k: min(v) for k, v in samples.items()}
        rows.append((name, best))
        print(f"{name}: " + ", ".join(f"{k} {v * 1e3:.3f} ms" for k, v in best.items()), file=sys.stderr)

    print("| workload | vtlgw vs airspeed 0.7.1 | vtlgw / floor (json.loads+dumps) |")
    print("|---|---|---|")
    for name, best in rows:
        v = best["vtlgw"]
        air = f"{best['airspeed'] / v:.1f}x faster" if "airspeed" in best else "n/a"
        print(f"| {name} | {air} | {v / best['floor']:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
