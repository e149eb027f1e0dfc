"""Loading benchmark: how far is vtlgw's definition loader from plain ``yaml.load`` / ``json.loads``?

Generates, deterministically and into a temporary directory, two OpenAPI 3 definitions, each
written as YAML (hand-style: block scalars for mapping templates) and as JSON:

- ``methods``: 600 methods (150 paths x GET/POST/PUT/DELETE), each with parameters, responses,
  and an ``x-amazon-apigateway-integration`` with request parameters, ``requestTemplates`` and
  integration ``responses`` with ``responseTemplates``;
- ``paths``: 20,000 paths, each with one mocked GET.

For every file it times, best of N interleaved rounds (after a warm-up):

- ``load_definition``: ``vtlgw.apigw.definition.load_definition(path)``, end to end (read,
  parse with positions, build the API model);
- ``load_document``: ``vtlgw.apigw.definition.yamlload.load_document(path)`` alone (read,
  bounds checks, typed values, JSON-pointer position map, duplicate keys);
- the floor: read the file the same way (UTF-8, BOM dropped), then ``yaml.load(text,
  Loader=yaml.CSafeLoader)`` (``yaml.SafeLoader`` when libyaml is missing) for YAML,
  ``json.loads(text)`` for JSON: the same values, with no positions and no checks.

Ratios (vtlgw / floor) are what compare across machines. Goal: ``load_document`` on YAML within
2x the CSafeLoader floor.

Run: ``pip install -e . && python bench/bench_load.py [--rounds 7] [--keep DIR]``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

import yaml

FLOOR_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
GOAL_DOCUMENT_YAML = 2.0

# ---------------------------------------------------------------------------
# The definitions

REQUEST_TEMPLATE = """#set($inputRoot = $input.path('$'))
{
  "TableName": "orders-$stageVariables.stage",
  "Key": {
    "id": {"S": "$util.escapeJavaScript($input.params('id'))"}
  },
  "requestId": "$context.requestId",
  "items": [
#foreach($item in $inputRoot.items)
    {"sku": "$item.sku", "quantity": $item.quantity}#if($foreach.hasNext),#end
#end
  ]
}
"""

RESPONSE_TEMPLATE = """#set($root = $input.path('$'))
{
  "id": "$root.Item.id.S",
  "status": "$root.Item.status.S",
  "total": $root.Item.total.N
}
"""

ERROR_TEMPLATE = """{"message": $input.json('$.message'), "requestId": "$context.requestId"}"""


def methods_api(paths: int = 150) -> dict[str, Any]:
    """An OpenAPI 3 API with ``4 * paths`` fully written AWS-integration methods."""
    api: dict[str, Any] = {
        "openapi": "3.0.1",
        "info": {"title": "orders", "version": "2026-12-04", "description": "Generated for bench_load.py"},
        "servers": [{"url": "https://api.example.com/{basePath}",
                     "variables": {"basePath": {"default": "prod"}}}],
        "paths": {},
        "components": {
            "schemas": {
                "Order": {"type": "object", "required": ["id", "items"], "properties": {
                    "id": {"type": "string"}, "status": {"type": "string", "enum": ["new", "paid", "shipped"]},
                    "total": {"type": "number", "minimum": 0},
                    "items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}}},
                "Item": {"type": "object", "properties": {
                    "sku": {"type": "string"}, "quantity": {"type": "integer", "minimum": 1}}},
                "Error": {"type": "object", "properties": {"message": {"type": "string"}}},
            },
            "securitySchemes": {"api_key": {"type": "apiKey", "name": "x-api-key", "in": "header"}},
        },
    }
    for p in range(paths):
        path: dict[str, Any] = {}
        for verb in ("get", "post", "put", "delete"):
            operation: dict[str, Any] = {
                "operationId": f"{verb}Resource{p}",
                "summary": f"{verb.upper()} one resource of collection {p}",
                "tags": [f"collection{p % 12}"],
                "security": [{"api_key": []}],
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "limit", "in": "query", "required": False,
                     "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}},
                    {"name": "X-Request-Id", "in": "header", "required": False, "schema": {"type": "string"}},
                ],
                "responses": {
                    "200": {"description": "OK",
                            "headers": {"Access-Control-Allow-Origin": {"schema": {"type": "string"}}},
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}}},
                    "400": {"description": "Bad request",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                    "500": {"description": "Server error",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                },
                "x-amazon-apigateway-integration": {
                    "type": "aws",
                    "httpMethod": "POST",
                    "uri": "arn:aws:apigateway:eu-west-1:dynamodb:action/GetItem",
                    "credentials": f"arn:aws:iam::123456789012:role/orders-{p}",
                    "passthroughBehavior": "never",
                    "timeoutInMillis": 29000,
                    "requestParameters": {
                        "integration.request.header.X-Request-Id": "method.request.header.X-Request-Id",
                        "integration.request.querystring.limit": "method.request.querystring.limit",
                    },
                    "requestTemplates": {"application/json": REQUEST_TEMPLATE},
                    "responses": {
                        "default": {
                            "statusCode": "200",
                            "responseParameters": {
                                "method.response.header.Access-Control-Allow-Origin": "'*'"},
                            "responseTemplates": {"application/json": RESPONSE_TEMPLATE},
                        },
                        "4\\d{2}": {"statusCode": "400",
                                    "responseTemplates": {"application/json": ERROR_TEMPLATE}},
                        "5\\d{2}": {"statusCode": "500",
                                    "responseTemplates": {"application/json": ERROR_TEMPLATE}},
                    },
                },
            }
            if verb in ("post", "put"):
                operation["requestBody"] = {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}}}
            path[verb] = operation
        api["paths"][f"/v1/collection{p}/{{id}}"] = path
    return api


def paths_api(paths: int = 20_000) -> dict[str, Any]:
    """An OpenAPI 3 API with ``paths`` paths, each with one small mocked GET."""
    api: dict[str, Any] = {
        "openapi": "3.0.1",
        "info": {"title": "many-paths", "version": "1"},
        "paths": {},
    }
    for p in range(paths):
        api["paths"][f"/items/group{p // 100}/item{p}"] = {
            "get": {
                "operationId": f"getItem{p}",
                "responses": {"200": {"description": "OK"}},
                "x-amazon-apigateway-integration": {
                    "type": "mock",
                    "requestTemplates": {"application/json": '{"statusCode": 200}'},
                    "responses": {"default": {"statusCode": "200",
                                              "responseTemplates": {"application/json": f'{{"item": {p}}}'}}},
                },
            }
        }
    return api


# ---------------------------------------------------------------------------
# A small YAML writer in the style people write definitions in

_PLAIN = re.compile(r"[A-Za-z_/$][A-Za-z0-9 _./$:{}()'*-]*\Z")


def _scalar(value: Any) -> str:
    if value is True or value is False:
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    if (_PLAIN.match(text) and not text.endswith((" ", ":")) and ": " not in text and " #" not in text
            and text.lower() not in ("true", "false", "null", "yes", "no", "on", "off", "y", "n", "~")):
        return text
    return json.dumps(text)  # a JSON string is a YAML double-quoted scalar


def _key(key: str) -> str:
    return key if _PLAIN.match(key) and ": " not in key and not key.endswith(":") else json.dumps(key)


def to_yaml(value: Any, indent: int = 0) -> list[str]:
    """Block-style YAML lines for ``value`` (a map or list), multi-line strings as ``|`` scalars."""
    pad = " " * indent
    lines: list[str] = []
    items = value.items() if isinstance(value, dict) else ((None, v) for v in value)
    for key, item in items:
        lead = f"{pad}{_key(key)}:" if key is not None else f"{pad}-"
        if isinstance(item, (dict, list)) and item:
            if key is None:
                inner = to_yaml(item, indent + 2)
                lines.append(f"{pad}- {inner[0].lstrip()}")
                lines.extend(inner[1:])
            else:
                lines.append(lead)
                lines.extend(to_yaml(item, indent + 2))
        elif isinstance(item, (dict, list)):
            lines.append(f"{lead} {'{}' if isinstance(item, dict) else '[]'}")
        elif isinstance(item, str) and "\n" in item:
            chomp = "" if item.endswith("\n") and not item.endswith("\n\n") else "-"
            lines.append(f"{lead} |{chomp}")
            lines.extend(f"{pad}  {line}" if line else "" for line in item.rstrip("\n").split("\n"))
        else:
            lines.append(f"{lead} {_scalar(item)}")
    return lines


def write_files(directory: Path) -> dict[str, tuple[Path, Any]]:
    """The four benchmark files: name -> (path, the data they hold)."""
    files = {}
    for label, data in (("methods", methods_api()), ("paths", paths_api())):
        yaml_path = directory / f"{label}.openapi.yaml"
        yaml_path.write_text("\n".join(to_yaml(data)) + "\n", encoding="utf-8")
        json_path = directory / f"{label}.openapi.json"
        json_path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        files[f"{label} (YAML)"] = (yaml_path, data)
        files[f"{label} (JSON)"] = (json_path, data)
    return files


# ---------------------------------------------------------------------------
# Timing


def read(path: Path) -> str:
    with open(path, "rb") as fh:
        return fh.read().decode("utf-8-sig")


def floor(path: Path) -> Callable[[], Any]:
    if path.suffix == ".json":
        return lambda: json.loads(read(path))
    return lambda: yaml.load(read(path), Loader=FLOOR_LOADER)


def timed(fn: Callable[[], object]) -> float:
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def best_of(candidates: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    """Best time per candidate over ``rounds`` rounds, candidates alternating within each round."""
    for fn in candidates.values():  # warm-up: imports, caches, the file in the page cache
        fn()
    best = {name: float("inf") for name in candidates}
    order = list(candidates)
    for r in range(rounds):
        for name in order if r % 2 == 0 else reversed(order):
            best[name] = min(best[name], timed(candidates[name]))
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds; the best of each is reported")
    parser.add_argument("--keep", type=Path, help="write the generated files to this directory and keep them")
    parser.add_argument("--only", choices=["methods", "paths"], help="time one of the two definitions only")
    args = parser.parse_args(argv)

    from vtlgw.apigw.definition import load_definition
    from vtlgw.apigw.definition.yamlload import load_document

    with tempfile.TemporaryDirectory(prefix="vtlgw-load-bench-") as tmp:
        directory = args.keep or Path(tmp)
        directory.mkdir(parents=True, exist_ok=True)
        files = write_files(directory)
        results = []
        for label, (path, data) in files.items():
            if args.only and not label.startswith(args.only):
                continue
            # The files hold what they were generated from, for vtlgw and the floor alike.
            if floor(path)() != data or load_document(path).data != data:
                raise SystemExit(f"{path}: does not load back as the data it was written from")
            definition = load_definition(path)
            if definition.problems:
                raise SystemExit(f"{path}: {len(definition.problems)} problems, first: {definition.problems[0]}")
            best = best_of({
                "floor": floor(path),
                "load_document": lambda path=path: load_document(path),
                "load_definition": lambda path=path: load_definition(path),
            }, args.rounds)
            results.append((label, path.stat().st_size, best))

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    libyaml = f"libyaml {yaml._yaml.get_version_string()}" if FLOOR_LOADER is not yaml.SafeLoader else "no libyaml"
    print(f"vtlgw load benchmark: best of {args.rounds} interleaved rounds; PyYAML {yaml.__version__} ({libyaml}), "
          f"Python {sys.version.split()[0]}; {os.cpu_count()} CPUs, load {load:.2f}")
    print(f"floor: read + yaml.load(text, Loader=yaml.{FLOOR_LOADER.__name__}) for YAML, read + json.loads for JSON\n")
    width = max(len(label) for label, _, _ in results)
    print(f"{'file':<{width}}  {'size':>8}  {'floor':>9}  {'load_document':>13}  {'ratio':>6}  "
          f"{'load_definition':>15}  {'ratio':>6}")
    for label, size, best in results:
        doc_ratio = best["load_document"] / best["floor"]
        def_ratio = best["load_definition"] / best["floor"]
        goal = ""
        if "YAML" in label and FLOOR_LOADER is not yaml.SafeLoader:
            goal = "  ok" if doc_ratio <= GOAL_DOCUMENT_YAML else f"  OVER (goal {GOAL_DOCUMENT_YAML:g}x)"
        print(f"{label:<{width}}  {size / 1024:6.0f}KB  {best['floor'] * 1000:6.1f} ms  "
              f"{best['load_document'] * 1000:10.1f} ms  {doc_ratio:5.2f}x  "
              f"{best['load_definition'] * 1000:12.1f} ms  {def_ratio:5.2f}x{goal}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
