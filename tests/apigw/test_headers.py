"""The one case-insensitive header type (vtlgw/apigw/http/headers.py) and the places that read names through it.

Header maps keep each name as it was sent and every value in order; only the questions HTTP asks in any case
(is it there, its last value, replace it) fold case. Templates still match names exactly (docs/variables.md).
"""

from vtlgw.apigw.http.headers import Headers, finalise_headers, spellings
from vtlgw.apigw.pipeline.endpoint import IntegrationRequest
from vtlgw.apigw.request import MethodRequest
from vtlgw.testing.results import Headers as ResultHeaders


def sample():
    return {"Accept": ["a"], "x-Tag": ["1", "2"], "X-TAG": ["3"], "x-empty": []}


def test_names_and_membership_fold_case_and_keep_order():
    headers = Headers(sample())
    assert headers.names("X-Tag") == ["x-Tag", "X-TAG"]
    assert "accept" in headers and "ACCEPT" in headers and "Missing" not in headers
    assert 1 not in headers
    assert spellings(["A", "b", "a"], "a") == ["A", "a"]


def test_last_is_the_last_value_of_the_last_spelling_that_has_values():
    # U18: one value read from a repeated header is the last one.
    headers = Headers({"x-Tag": ["1", "2"], "X-TAG": ["3"], "x-tag": []})
    assert headers.last("X-Tag") == "3"
    assert Headers({"a": []}).last("A") is None and Headers().last("a") is None


def test_values_are_every_spelling_in_map_order():
    assert Headers(sample()).values("x-tag") == ["1", "2", "3"]
    assert Headers(sample()).values("nope") == []


def test_set_replaces_every_spelling_and_comes_last_in_the_wrapped_map():
    raw = sample()
    Headers(raw).set("X-Tag", ["9"])
    assert raw == {"Accept": ["a"], "x-empty": [], "X-Tag": ["9"]}
    assert list(raw) == ["Accept", "x-empty", "X-Tag"]


def test_append_goes_to_the_first_spelling_else_a_new_name():
    raw = sample()
    Headers(raw).append("X-TAG", "4")
    Headers(raw).append("New", "n")
    assert raw["x-Tag"] == ["1", "2", "4"] and raw["X-TAG"] == ["3"] and raw["New"] == ["n"]


def test_remove_drops_every_spelling():
    raw = sample()
    Headers(raw).remove("X-TAG")
    assert raw == {"Accept": ["a"], "x-empty": []}
    Headers(raw).remove("absent")  # nothing to do
    assert raw == {"Accept": ["a"], "x-empty": []}


def test_the_callers_read_names_in_any_case_as_before():
    request = MethodRequest(headers={"content-type": ["text/plain"], "Content-Type": ["application/json"],
                                    "ACCEPT": ["image/png"]})
    assert request.content_type == "application/json" and request.accept == "image/png"
    assert request.header("accept") is None  # exact, as $input.params reads names
    sent = IntegrationRequest(uri="https://x", http_method="GET", headers={"a": "1", "A": "2"},
                              multi_value_headers={}, query={}, body="", is_base64_encoded=False,
                              path_parameters={})
    assert sent.header("a") == "2" and sent.header("B") is None
    result = ResultHeaders({"Content-Type": "text/plain", "content-type": "x"})
    assert result["content-type"] == "x" and result["CONTENT-TYPE"] == "text/plain"
    # docs/integration.md, section 6 (U25): application/json only when no spelling of Content-Type is set.
    assert finalise_headers([("content-TYPE", ["text/csv"])]) == {"content-TYPE": ["text/csv"]}
    assert finalise_headers([("X", ["1"])]) == {"Content-Type": ["application/json"], "X": ["1"]}
