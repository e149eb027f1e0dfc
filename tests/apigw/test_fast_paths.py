"""The public path's shortcuts give what the full path gives (issue 16: no semantic change).

``request_from_dict`` reads a plain proxy-shaped dict in one pass (``_plain_proxy``);
``build_context(keys=...)`` builds only the ``$context`` keys a template can see. The plain
reader takes only resource/path pairs and stage variables the full checks have passed, so
each case is read by the full reader first, as ``request_from_dict`` does. Both are checked here against the full path on seeded random mutations of a realistic
request: where a shortcut answers, it must answer exactly what the full path builds,
with no warning the full path would give.
"""

import copy
import json
import math
import random
from pathlib import Path

import pytest

from vtlgw.apigw import context as C
from vtlgw.apigw import request as R
from vtlgw.apigw.mapping import OverrideMap

BASE = json.loads((Path(__file__).parents[2] / "bench" / "data" / "request.json").read_text(encoding="utf-8"))
BASE["body"] = '{"a":1}'


class Text(str):
    """A str subclass: not plain JSON for the shortcut."""


VALUES = [None, True, False, 0, 1, 1.5, math.nan, math.inf, "x", "/a", "/a?b", "GET", "post", "FOO", Text("x"), [],
          ["a"], [1], {}, {"a": "b"}, {"a": 1}, {1: "a"}, {"a": {"b": [1, {"c": math.nan}]}}, b"xy", set(), ("a",),
          "/orders", "/{id}", "/{id", "prod", "dGVzdA==", "!!", 2.5, {"sourceIp": 5},
          {"sourceIp": "1.2.3.4", "clientCert": "x"}, {"clientCert": {"a": 1}}]
KEYS = list(R.PROXY_KEYS) + ["version", "pathWithQueryString", "extra", "multiValueHeaders"]
SUBKEYS = ["stage", "requestId", "identity", "httpMethod", "resourcePath", "requestTime", "requestTimeEpoch",
           "authorizer", "custom", "path", "Authorization", "tableName", "id", 5]
MAPS = ["headers", "queryStringParameters", "requestContext", "stageVariables", "pathParameters", "multiValueHeaders"]


def mutate(rng, base):
    d = copy.deepcopy(base)
    for _ in range(rng.randint(1, 3)):
        r = rng.random()
        if r < 0.4:
            d[rng.choice(KEYS)] = copy.deepcopy(rng.choice(VALUES))
        elif r < 0.6 and d:
            d.pop(rng.choice(list(d)))
        else:
            key = rng.choice(MAPS)
            sub = d.get(key) if isinstance(d.get(key), dict) else {}
            sub_key, sub_value = rng.choice(SUBKEYS), copy.deepcopy(rng.choice(VALUES))
            if key == "requestContext" and rng.random() < 0.3:
                sub_key = "identity"
                sub_value = {"sourceIp": rng.choice(["1.1.1.1", 5, None]), "user": rng.choice([None, "u", []])}
            sub[sub_key] = sub_value
            d[key] = sub
    if rng.random() < 0.05:
        d["headers"] = d["queryStringParameters"] = {"a": "b"}  # one map shared by two keys
    if rng.random() < 0.05 and isinstance(d.get("requestContext"), dict):
        d["requestContext"]["self"] = d["requestContext"]  # a cycle
    if rng.random() < 0.3:
        d["resource"] = rng.choice(["/{id}", "/orders", "/{proxy+}", None])
        d["path"] = rng.choice(["/orders", "/x", "/a/b", None])
        if rng.random() < 0.5:
            d["pathParameters"] = rng.choice([{"id": "orders"}, {"id": "x"}, {"proxy": "a/b"}, {}, None])
    return d


def full_read(d):
    reader = R._Reader("<request>", None)
    reader.python_values = True
    try:
        return reader.read(d), None, reader.warnings
    except Exception as exc:  # the full path's errors are what the shortcut must never hide
        return None, exc, reader.warnings


def test_the_plain_reader_answers_only_what_the_full_reader_builds():
    rng = random.Random(1)
    answered = 0
    for _ in range(4000):
        d = mutate(rng, BASE)
        built, error, warnings = full_read(d)
        fast = R._plain_proxy(d)
        if fast is None:
            continue
        answered += 1
        assert error is None, (d, error)
        assert fast == built, d
        assert not warnings, (d, warnings)
    assert answered > 100  # the shortcut is exercised, not only skipped


def same(a, b):
    """Deep equality that also compares types and key order (and NaN with NaN)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b or (a != a and b != b)


EXTRA_CONTEXT = [{"domainName": "api.example.com"}, {"apiId": "zz"}, {"stage": "$default"}, {"stage": 5},
                 {"identity": {"userAgent": "x", "sourceIp": None}}, {"custom": {"a": [1, {"b": None}]}},
                 {"authorizer": None}, {"requestTime": None}, {"requestOverride": {"header": {"a": "b"}}},
                 {"responseOverride": {"status": 5}}, {"domainName": 5}, {"apiId": None}, {"path": "/x"},
                 {"resourcePath": "/orders"}]


@pytest.mark.parametrize("seed", [7, 8])
def test_a_partial_context_holds_each_key_as_the_whole_map_does(seed):
    rng = random.Random(seed)
    checked = 0
    for _ in range(1500):
        d = mutate(rng, BASE)
        if rng.random() < 0.5:
            rc = dict(d["requestContext"]) if isinstance(d.get("requestContext"), dict) else {}
            for _ in range(rng.randint(1, 3)):
                rc.update(copy.deepcopy(rng.choice(EXTRA_CONTEXT)))
            d["requestContext"] = rc
        if rng.random() < 0.3:
            d["headers"] = {"Host": rng.choice(["h.example", "x"]), "user-agent": "UA", "X": "y"}
        full_read(d)  # as request_from_dict does: what the full checks pass, the plain reader may take
        request = R._plain_proxy(d)
        if request is None:
            continue
        whole = C.build_context(request, override_map=OverrideMap)
        every = set(C.CONTEXT_KEY_ORDER) | set(request.request_context) | {"authorizer", "nope"}
        for keys in [frozenset([k]) for k in every] + [frozenset(every), frozenset(rng.sample(sorted(every), 3))]:
            part = C.build_context(request, override_map=OverrideMap, keys=keys)
            assert set(part) <= keys
            for key in keys:
                assert (key in part) == (key in whole), (key, d)
                if key in whole:
                    assert same(part[key], whole[key]), (key, d)
        checked += 1
    assert checked > 50
