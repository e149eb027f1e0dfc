"""The one resource-path module (vtlgw/apigw/http/paths.py): how ``{name}``/``{name+}`` segments are read, and
that the definition loaders and the routers read them through it."""

import pytest

from vtlgw.apigw.definition import common, httpapi, model
from vtlgw.apigw.http import paths


def test_the_loaders_and_routers_use_the_paths_module_itself():
    # One definition of each: the routing tree (model), the resource checks (common) and HTTP API routes.
    assert model.split_resource_path is paths.split_resource_path is common.split_resource_path
    assert model.is_variable is paths.is_variable is common.is_variable
    assert model.is_greedy is paths.is_greedy is common.is_greedy is httpapi.is_greedy


@pytest.mark.parametrize("resource,segments", [
    ("/", []), ("/pets", ["pets"]), ("/pets/{id}/", ["pets", "{id}"]), ("pets/{proxy+}", ["pets", "{proxy+}"]),
])
def test_split_resource_path(resource, segments):
    assert paths.split_resource_path(resource) == segments


@pytest.mark.parametrize("segment,variable,greedy,name", [
    ("{id}", True, False, "id"), ("{proxy+}", True, True, "proxy"), ("pets", False, False, None),
])
def test_segment_kinds_and_names(segment, variable, greedy, name):
    assert paths.is_variable(segment) is variable and paths.is_greedy(segment) is greedy
    if name is not None:
        assert paths.variable_name(segment) == name


@pytest.mark.parametrize("part,valid", [
    ("pets", True), ("a.b-c_9", True), ("{id}", True), ("{proxy+}", True),
    ("pe ts", False), ("{id", False), ("{a+b}", False), ("x{id}", False), ("", False),
])
def test_is_path_part_as_api_gateway_accepts_one(part, valid):
    # The CreateResource rule the loaders report: a-zA-Z0-9._- and curly braces at both ends, + before the last.
    assert paths.is_path_part(part) is valid


@pytest.mark.parametrize("path,segments", [
    ("/pets", ["pets"]), ("/pets/", ["pets", ""]), ("//pets", ["", "pets"]), ("/", []), ("/a?b=/c", ["a"]),
])
def test_route_segments_fold_nothing(path, segments):
    # U49: an HTTP API compares paths as given, so a trailing or doubled slash leaves an empty segment.
    assert paths.route_segments(path) == segments


def test_request_segments_fold_as_a_rest_api_routes():
    # Recorded on AWS: runs of slashes are one and a single trailing slash is no segment.
    assert paths.request_segments("//a//b/") == ["a", "b"]
