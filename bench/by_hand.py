"""The benchmark workloads written directly in Python: the floor a Python engine cannot beat.

Each function does the work its template describes with dicts, ``json`` and
string formatting, and nothing a template engine needs (no value model, no
null checks, no Java ordering); ``bench_speed.py`` checks that each returns
exactly what vtlgw renders, so the floor does the same job.
"""

from __future__ import annotations

import json
from typing import Any


def engine_loops() -> str:
    """``engine_loops.vtl`` by hand."""
    acc = 0
    words = ["alpha", "beta", "gamma", "delta"]
    counts = {"alpha": 0, "beta": 0, "gamma": 0, "delta": 0}
    for i in range(1, 101):
        for j in range(1, 101):
            p = i * j
            acc = acc + p % 7
            k = j % 4
            w = words[k]
            n = counts[w] + 1
            big = n > 2000  # noqa: F841  (the template computes it too)
            counts[w] = n
    return f'{{"acc": {acc}, "alpha": {counts["alpha"]}, "first": "{words[0]}", "size": {len(words)}}}\n'


def _escape_js(text: str) -> str:
    # What $util.escapeJavaScript does to this workload's values (quotes, backslashes, no control characters).
    return json.dumps(text, ensure_ascii=False)[1:-1].replace("'", "\\'")


def typical_request(request: dict[str, Any]) -> str:
    """``request_typical.vtl`` by hand, from the same request dict ``vtlgw.render`` is given."""
    root = json.loads(request["body"])
    items = root["items"]
    headers = request["headers"]
    query = request["queryStringParameters"]
    rc = request["requestContext"]
    customer = root["customer"]
    out = [
        "{\n"
        f'  "orderId": "{_escape_js(root["orderId"])}",\n'
        '  "customer": {\n'
        f'    "id": "{_escape_js(customer["id"])}",\n'
        f'    "name": "{_escape_js(customer["name"]).replace(chr(92) + chr(39), chr(39))}",\n'
        f'    "tier": "{customer["tier"]}"\n'
        "  },\n"
        '  "items": [\n'
    ]
    last = len(items) - 1
    for n, item in enumerate(items):
        out.append("    {\n"
                   f'      "sku": "{item["sku"]}",\n'
                   f'      "quantity": {item["quantity"]},\n'
                   f'      "unitPrice": {item["price"]},\n'
                   f'      "giftWrap": {"true" if item["giftWrap"] is True else "false"}'
                   f'    }}{"," if n < last else ""}')
    out.append("  ],\n"
               f'  "itemCount": {len(items)},\n'
               f'  "rawTotal": {json.dumps(root["total"], separators=(",", ":"), ensure_ascii=False)},\n'
               f'  "auth": "{headers["Authorization"]}",\n'
               f'  "traceId": "{headers["X-Amzn-Trace-Id"]}",\n'
               '  "query": {\n')
    names = list(query)
    for n, name in enumerate(names):
        out.append(f'    "{name}": "{_escape_js(query[name])}"{"," if n < len(names) - 1 else ""}')
    out.append("  },\n"
               f'  "stage": "{rc["stage"]}",\n'
               f'  "requestId": "{rc["requestId"]}",\n'
               f'  "sourceIp": "{rc["identity"]["sourceIp"]}",\n'
               f'  "table": "{request["stageVariables"]["tableName"]}"\n'
               "}\n")
    return "".join(out)


def passthrough(body: str) -> str:
    """``$input.json('$')`` by hand: the body parsed and written back compactly (and the template's newline)."""
    return json.dumps(json.loads(body), separators=(",", ":"), ensure_ascii=False) + "\n"
