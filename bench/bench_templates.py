"""Template benchmark: the shared/bench workloads through vtlgw, airspeed, velocityjs and the floor.

For each workload every candidate renders the same template over the same
body, interleaved round by round, and the report gives ratios:

- vtlgw: the real thing (``$context`` built, ``$input``/``$util`` as on AWS);
- airspeed 0.7.1 and velocityjs (npm, run with node): given small dict-backed
  ``$input``/``$util`` stand-ins, since neither has API Gateway's variables;
- the floor: ``json.loads`` + ``json.dumps`` of the body.

Run: ``pip install -e '.[bench]' && (cd bench && npm install) && python bench/bench_templates.py``.
velocityjs is skipped with a note when node or the package is missing.
"""

from __future__ import annotations

import argparse
import gc
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
DEFAULT_WORKLOADS = HERE.parent.parent / "shared" / "bench"

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


# ---------------------------------------------------------------- airspeed stand-ins


def _walk(data: Any, path: str) -> Any:
    if path == "$":
        return data
    for key in path[2:].split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


class _Input:
    def __init__(self, body: str, request: dict) -> None:
        self.body = body
        self._parsed = json.loads(body or "{}")
        self._request = request

    def json(self, path: str) -> str:
        return json.dumps(_walk(self._parsed, path), separators=(",", ":"), ensure_ascii=False)

    def path(self, path: str) -> Any:
        return _walk(self._parsed, path)

    def params(self, name: str | None = None) -> Any:
        query = self._request.get("queryStringParameters") or {}
        headers = self._request.get("headers") or {}
        if name is None:
            return {"path": {}, "querystring": query, "header": headers}
        return query.get(name) or headers.get(name) or ""


class _Util:
    @staticmethod
    def escapeJavaScript(s: Any) -> str:  # noqa: N802 - the VTL name
        return json.dumps(str(s), ensure_ascii=True)[1:-1].replace("'", "\\'")

    @staticmethod
    def urlEncode(s: Any) -> str:  # noqa: N802
        from urllib.parse import quote_plus

        return quote_plus(str(s))

    @staticmethod
    def parseJson(s: str) -> Any:  # noqa: N802
        return json.loads(s)


def airspeed_candidate(template: str, body: str, request: dict) -> Callable[[], str] | None:
    try:
        import airspeed
    except ImportError:
        return None
    compiled = airspeed.Template(template)

    def run() -> str:
        return compiled.merge({
            "input": _Input(body, request), "util": _Util,
            "context": {"stage": "prod", "requestId": "id", "identity": {"sourceIp": "203.0.113.7"},
                        "responseOverride": {"header": {}}},
            "stageVariables": request.get("stageVariables") or {},
        })

    try:
        run()
    except Exception as exc:  # airspeed cannot run every template
        print(f"  (airspeed failed on this workload: {type(exc).__name__}: {exc})", file=sys.stderr)
        return None
    return run


def velocityjs_sampler(template_path: Path, body: str, request: dict) -> Callable[[int], float] | None:
    if shutil.which("node") is None or not (HERE / "node_modules" / "velocityjs").exists():
        return None
    tmp = Path(tempfile.mkdtemp(prefix="vtlgw-bench-"))
    (tmp / "body.json").write_text(body, encoding="utf-8")
    (tmp / "request.json").write_text(json.dumps(request), encoding="utf-8")

    def run(renders: int) -> float:
        out = subprocess.run(["node", str(HERE / "velocityjs_bench.js"), str(template_path),
                              str(tmp / "body.json"), str(tmp / "request.json"), str(renders)],
                             capture_output=True, check=True, cwd=HERE)
        return json.loads(out.stdout)["seconds_per_render"]

    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workloads", type=Path, default=DEFAULT_WORKLOADS)
    parser.add_argument("--rounds", type=int, default=5)
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
        air = airspeed_candidate(template_text, body, req_doc)
        if air is not None:
            candidates["airspeed"] = air
        vjs = velocityjs_sampler(template_path, body, req_doc)
        samples: dict[str, list[float]] = {k: [] for k in candidates}
        if vjs is not None:
            samples["velocityjs"] = []
        for fn in candidates.values():
            fn()  # warm up
        for _ in range(args.rounds):
            for key, fn in candidates.items():
                samples[key].append(sample(fn, renders))
            if vjs is not None:
                samples["velocityjs"].append(vjs(max(renders, 3)))
        med = {k: statistics.median(v) for k, v in samples.items()}
        rows.append((name, med))
        print(f"{name}: " + ", ".join(f"{k} {v * 1e3:.3f} ms" for k, v in med.items()), file=sys.stderr)

    print("| workload | vtlgw vs airspeed 0.7.1 | vtlgw vs velocityjs | vtlgw / floor (json.loads+dumps) |")
    print("|---|---|---|---|")
    for name, med in rows:
        v = med["vtlgw"]
        air = f"{med['airspeed'] / v:.1f}x faster" if "airspeed" in med else "n/a"
        vjs = f"{med['velocityjs'] / v:.2f}x" if "velocityjs" in med else "n/a (no node/velocityjs)"
        print(f"| {name} | {air} | {vjs} | {v / med['floor']:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
