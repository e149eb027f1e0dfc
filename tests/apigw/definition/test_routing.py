"""ApiDefinition.find_method routes as API Gateway REST APIs do."""

from __future__ import annotations

from pathlib import Path

import pytest

from vtlgw.apigw.definition import ApiDefinition, Method, load_definition

DATA = Path(__file__).parent / "data"


def api_with(*keys: str, resources: tuple[str, ...] = ()) -> ApiDefinition:
    """An API with methods given as "VERB /path"."""
    api = ApiDefinition(source_file="<test>", format="test", resource_paths=list(resources))
    for key in keys:
        verb, path = key.split(" ", 1)
        api.methods[(verb, path)] = Method(verb, path)
    return api


def route(api: ApiDefinition, verb: str, path: str) -> tuple[str, dict[str, str]] | None:
    found = api.find_method(verb, path)
    if found is None:
        return None
    method, params = found
    return f"{method.http_method} {method.resource_path}", params


class TestSpecificity:
    def test_literal_beats_variable_beats_greedy(self):
        api = api_with("GET /pets/{id}", "GET /pets/mine", "GET /{proxy+}")
        assert route(api, "GET", "/pets/mine") == ("GET /pets/mine", {})
        assert route(api, "GET", "/pets/42") == ("GET /pets/{id}", {"id": "42"})
        assert route(api, "GET", "/pets/42/toys") == ("GET /{proxy+}", {"proxy": "pets/42/toys"})

    def test_order_of_definition_does_not_matter(self):
        api = api_with("GET /{proxy+}", "GET /pets/{id}", "GET /pets/mine")
        assert route(api, "GET", "/pets/mine") == ("GET /pets/mine", {})

    def test_leftmost_segment_decides(self):
        api = api_with("GET /{a}/b", "GET /a/{b}")
        assert route(api, "GET", "/a/b") == ("GET /a/{b}", {"b": "b"})
        assert route(api, "GET", "/x/b") == ("GET /{a}/b", {"a": "x"})

    def test_no_dead_end_on_a_literal_branch(self):
        api = api_with("GET /pets/dogs", "GET /pets/{id}/toys")
        assert route(api, "GET", "/pets/dogs/toys") == ("GET /pets/{id}/toys", {"id": "dogs"})

    def test_nested_greedy_beats_root_greedy(self):
        api = api_with("ANY /{proxy+}", "ANY /files/{key+}")
        assert route(api, "GET", "/files/a/b.txt") == ("ANY /files/{key+}", {"key": "a/b.txt"})
        assert route(api, "GET", "/other/a") == ("ANY /{proxy+}", {"proxy": "other/a"})


class TestMethods:
    def test_exact_method_beats_any_on_the_same_resource(self):
        api = api_with("ANY /pets", "GET /pets")
        assert route(api, "GET", "/pets") == ("GET /pets", {})
        assert route(api, "DELETE", "/pets") == ("ANY /pets", {})

    def test_method_mismatch_falls_through_to_a_less_specific_resource(self):
        # Observed on AWS: a declared verb mismatch, or a resource without methods, is served by {proxy+}.
        api = api_with("GET /things/real", "ANY /things/{proxy+}", "OPTIONS /cors_only", "ANY /{proxy+}",
                       resources=("/jobs",))
        assert route(api, "POST", "/things/real") == ("ANY /things/{proxy+}", {"proxy": "real"})
        assert route(api, "GET", "/cors_only") == ("ANY /{proxy+}", {"proxy": "cors_only"})
        assert route(api, "GET", "/jobs") == ("ANY /{proxy+}", {"proxy": "jobs"})

    def test_literal_yields_to_parameter_sibling_on_method_mismatch(self):
        api = api_with("GET /users/{userId}", "PATCH /users/me")
        assert route(api, "GET", "/users/me") == ("GET /users/{userId}", {"userId": "me"})
        assert route(api, "PATCH", "/users/me") == ("PATCH /users/me", {})
        assert route(api, "POST", "/users/me") is None

    def test_any_on_specific_resource_beats_get_on_greedy(self):
        api = api_with("ANY /pets", "GET /{proxy+}")
        assert route(api, "GET", "/pets") == ("ANY /pets", {})

    def test_head_is_not_get(self):
        api = api_with("GET /pets")
        assert route(api, "HEAD", "/pets") is None

    def test_method_name_is_case_insensitive(self):
        api = api_with("GET /pets")
        assert route(api, "get", "/pets") == ("GET /pets", {})


class TestPaths:
    def test_unknown_route_is_none(self):
        api = api_with("GET /pets")
        assert route(api, "GET", "/owners") is None
        assert route(api, "GET", "/") is None

    def test_root(self):
        api = api_with("GET /")
        assert route(api, "GET", "/") == ("GET /", {})
        assert route(api, "GET", "") == ("GET /", {})

    def test_greedy_does_not_match_the_root_or_an_empty_rest(self):
        api = api_with("ANY /{proxy+}", "ANY /files/{key+}")
        assert route(api, "GET", "/") is None
        # an empty {key+} does not match; the trailing slash is not part of {proxy+} (recorded on AWS)
        assert route(api, "GET", "/files/") == ("ANY /{proxy+}", {"proxy": "files"})

    def test_trailing_slash(self):
        api = api_with("GET /pets/{id}", "ANY /{proxy+}")
        assert route(api, "GET", "/pets/42/") == ("GET /pets/{id}", {"id": "42"})
        # recorded on AWS: /proxy-value/ gives pathParameters.proxy "proxy-value"
        assert route(api, "POST", "/a/b/") == ("ANY /{proxy+}", {"proxy": "a/b"})

    def test_runs_of_slashes_count_as_one(self):
        # recorded on AWS: //proxy-value routes as /proxy-value, and //hardcoded to /hardcoded itself
        api = api_with("GET /hardcoded", "ANY /{proxy+}")
        assert route(api, "GET", "//hardcoded") == ("GET /hardcoded", {})
        assert route(api, "GET", "//proxy-value") == ("ANY /{proxy+}", {"proxy": "proxy-value"})
        assert route(api, "GET", "/a//b") == ("ANY /{proxy+}", {"proxy": "a/b"})

    def test_paths_are_case_sensitive_and_not_decoded(self):
        api = api_with("GET /pets/{id}")
        assert route(api, "GET", "/Pets/1") is None
        assert route(api, "GET", "/pets/a%20b") == ("GET /pets/{id}", {"id": "a%20b"})

    def test_empty_segment_is_not_a_parameter(self):
        api = api_with("GET /pets/{id}/toys")
        assert route(api, "GET", "/pets//toys") is None

    def test_query_string_is_ignored(self):
        api = api_with("GET /pets")
        assert route(api, "GET", "/pets?limit=1") == ("GET /pets", {})

    def test_table_follows_changes(self):
        api = api_with("GET /pets")
        assert route(api, "GET", "/owners") is None
        api.methods[("GET", "/owners")] = Method("GET", "/owners")
        assert route(api, "GET", "/owners") == ("GET /owners", {})


@pytest.mark.parametrize(
    "verb,path,expected",
    [
        ("GET", "/pets", ("GET", "/pets", {})),
        ("POST", "/pets", ("POST", "/pets", {})),
        ("GET", "/pets/7", ("GET", "/pets/{petId}", {"petId": "7"})),
        ("PUT", "/pets/7/photo", ("PUT", "/pets/{petId}/photo", {"petId": "7"})),
        ("DELETE", "/pets/7", ("ANY", "/{proxy+}", {"proxy": "pets/7"})),
        ("GET", "/health", ("GET", "/health", {})),
        ("GET", "/", None),
    ],
)
def test_petstore_routes(verb, path, expected):
    api = load_definition(DATA / "petstore-openapi3.yaml")
    found = api.find_method(verb, path)
    if expected is None:
        assert found is None
    else:
        method, params = found
        assert (method.http_method, method.resource_path, params) == expected


def test_cloudformation_routes():
    api = load_definition(DATA / "orders-cfn.yaml", api="OrdersApi")
    method, params = api.find_method("GET", "/orders/o-17/items")
    assert method.resource_path == "/orders/{id}/items" and params == {"id": "o-17"}
    assert api.find_method("GET", "/orders/o-17") is None  # only OPTIONS there
    assert api.find_method("OPTIONS", "/orders/o-17")[0].http_method == "OPTIONS"
