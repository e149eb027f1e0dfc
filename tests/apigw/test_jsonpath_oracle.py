"""The JSONPath dialect against Jayway JsonPath itself (the library API Gateway's docs name).

Jayway answers each path over one document in a single JVM; vtlgw must select the same values,
report a missing definite path as nullish where Jayway throws PathNotFoundException, and reject
what Jayway rejects.
"""

import json

import pytest

from tests.oracle.jsonpath_runner import evaluate_all, jsonpath_unavailable
from vtlgw.apigw.jsonpath import select
from vtlgw.vtl.errors import JavaException

DOCUMENT = {
    "store": {
        "book": [
            {"category": "reference", "author": "Nigel Rees", "title": "Sayings", "price": 8.95},
            {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword", "price": 12.99,
             "isbn": "0-553-21311-3"},
            {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick", "isbn": "0-553-21311-4",
             "price": 8.99},
            {"category": "fiction", "author": "J. R. R. Tolkien", "title": "Rings", "isbn": "0-395-19395-8",
             "price": 22.99},
        ],
        "bicycle": {"color": "red", "price": 19.95},
    },
    "expensive": 10,
    "a-b": {"c d": 1, "with.dot": 2, "1abc": 3},
    "nums": [1, 2, 3, 4, 5],
    "nested": [[1, 2], [3, 4]],
    "flags": {"on": True, "off": False, "none": None},
    "empty": [],
    "unicode": "é ☃",
}

# Debian's Jayway is 2.0.0, older than what API Gateway runs: negative indexes, double-quoted
# brackets and length() arrived later. The spec (from the AWS docs) lists them, so for these the
# spec wins; test_input_spec.py pins their behaviour.
NEWER_THAN_JAYWAY_2_0 = {"$.store.book[-1].title", '$["a-b"]["c d"]', "$.nums.length()", "$.store.book.length()"}

PATHS = [
    "$", "$.store", "$.store.book", "$.store.book[0]", "$.store.book[0].title", "$.store.book[-1].title",
    "$.store.book[*].author", "$.store..price", "$..author", "$.store.*", "$..book[2]", "$..book[-1:]",
    "$..book[0,1]", "$..book[:2]", "$..book[1:3].title", "$.nums[1:]", "$.nums[-2:]", "$.nums[0:0]",
    "$['store']['bicycle']['color']", '$["a-b"]["c d"]', "$['a-b']['with.dot']", "$['a-b']['1abc']",
    "$.a-b", "$.nested[1][0]", "$.nested[*][1]", "$.flags.on", "$.flags.off", "$.flags.none",
    "$.empty", "$.empty[*]", "$.unicode", "$.expensive", "$.store.bicycle.price",
    "$..book[?(@.isbn)].title", "$..book[?(@.price < 10)].title", "$..book[?(@.price > 10)].price",
    "$..book[?(@.category == 'fiction')].author", "$..book[?(@.price <= 8.99)].title",
    "$.store.book[?(@.author =~ /.*Melville/)].title", "$['store','expensive']",
    "$.missing", "$.store.book[9]", "$.store.missing.deeper", "$.nums[7]", "$..nothing",
    "$.store.book[*].missing", "$.nums.length()", "$.store.book.length()",
    "$.store.book[", "$..", "$.store.book[?(@.price <]",
    "$..book[?(@.price < 10 && @.category == 'fiction')].title", "$..book[?(@.price < 9 || @.price > 20)].title",
    "$..book[?(@.category != 'fiction')].title", "$..[?(@.price > 19)].price", "$.store.bicycle.*",
    "$.nums[0,2,4]", "$.nums[:-2]", "$..book[?(@.isbn)]..price", "$.store..color", "$..*", "$.nested[*][*]",
    "$..['c d']", "$.store.book[*]['title','price']", "$.store.book[0]['title','price']",
    "$..book[?(@.author =~ /.*(Rees|Waugh)/)].price", "$.nums[?(@ > 2)]", "$..book[?(@.price == 8.95)].title",
    "$..book[?(@.price > $.expensive)].title", "$..book[?(@.isbn && @.price < 20)].title",
    "$.store.book[?(@.category == 'fiction' && (@.price < 9 || @.price > 20))].title",
    # a filter on an object tests the object; a deep filter or deep name union collects matching maps
    "$.store.bicycle[?(@.color == 'red')]", "$.store[?(@.bicycle)].bicycle.color", "$.flags[?(@.on == true)]",
    "$[?(@.expensive)].expensive", "$.store..[?(@.color)]", "$..[?(@.color)]", "$..[?(@ == 3)]",
    "$..['color','price']", "$..['category','isbn']",
    # numbers against numeric strings compare as numbers; =~ matches a number's text
    "$..book[?(@.price == '8.95')].title", "$.nums[?(@ == '3')]", "$..book[?(@.price > '10')].title",
    "$..book[?(@.price =~ /8.*/)].title",
]


@pytest.fixture(scope="module")
def jayway():
    reason = jsonpath_unavailable()
    if reason:
        pytest.skip(f"Jayway JsonPath oracle unavailable: {reason}")
    return dict(zip(PATHS, evaluate_all(json.dumps(DOCUMENT), PATHS)))


@pytest.mark.parametrize("path", [p for p in PATHS if p not in NEWER_THAN_JAYWAY_2_0])
def test_matches_jayway(jayway, path):
    ok, text = jayway[path]
    if not ok and text.startswith("PathNotFoundException"):
        assert select(path, DOCUMENT) is None, f"Jayway: {text}"
        return
    if not ok:
        with pytest.raises(JavaException):
            select(path, DOCUMENT)
        return
    assert select(path, DOCUMENT) == json.loads(text), f"Jayway: {text}"


@pytest.mark.parametrize("body", ["a=1&b=2", "not json", "payload=%7B%22a%22%7D", "Action=SendMessage&x=y+z"])
def test_a_payload_that_is_not_json_is_one_string_as_jayway_reads_it(body):
    """U14: Jayway reads text that is not JSON as one String root; $input.path/json follow it."""
    reason = jsonpath_unavailable()
    if reason:
        pytest.skip(f"Jayway JsonPath oracle unavailable: {reason}")
    from vtlgw.apigw.input import Input

    (root_ok, root), (member_ok, member) = evaluate_all(body, ["$", "$.a"])
    assert root_ok and json.loads(root) == body == Input(body).path("$")
    assert json.loads(Input(body).json("$")) == body
    assert not member_ok and member.startswith("PathNotFoundException") and Input(body).path("$.a") is None
