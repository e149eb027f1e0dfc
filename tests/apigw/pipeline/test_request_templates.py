"""Request template choice and the passthroughBehavior table (docs/integration.md §3.1–3.2)."""

import pytest

from vtlgw.apigw.pipeline import HttpHandler, HttpResponse, invoke
from vtlgw.apigw.http.media import mime_type
from vtlgw.apigw.pipeline.templates import choose_request_template, choose_response_template

from .helpers import api, req, templates, texts

HTTP_URI = "https://backend.example.com/items"


def capture():
    seen = []

    def handler(request):
        seen.append(request)
        return HttpResponse(200, body="{}")

    return HttpHandler(handler), seen


# --- the passthroughBehavior table: every row ------------------------------------------------------

TABLE = [
    # templates defined, Content-Type, behaviour, outcome
    ({"application/json": '{"t": "json"}'}, "application/json", "WHEN_NO_MATCH", "transform"),
    ({"application/json": '{"t": "json"}'}, "application/json", "WHEN_NO_TEMPLATES", "transform"),
    ({"application/json": '{"t": "json"}'}, "application/json", "NEVER", "transform"),
    ({}, "text/plain", "WHEN_NO_MATCH", "passthrough"),
    ({}, "text/plain", "WHEN_NO_TEMPLATES", "passthrough"),
    ({}, "text/plain", "NEVER", "415"),
    ({"application/json": '{"t": "json"}'}, "text/plain", "WHEN_NO_MATCH", "passthrough"),
    ({"application/json": '{"t": "json"}'}, "text/plain", "WHEN_NO_TEMPLATES", "415"),
    ({"application/json": '{"t": "json"}'}, "text/plain", "NEVER", "415"),
]


@pytest.mark.parametrize("tpl,content_type,behavior,outcome", TABLE)
def test_passthrough_table(tpl, content_type, behavior, outcome):
    backend, seen = capture()
    definition = api(type="HTTP", uri=HTTP_URI, request_templates=tpl, passthrough=behavior)
    result = invoke(definition, req(headers={"Content-Type": content_type}, body="hello"), backend=backend)
    if outcome == "415":
        assert result.status == 415
        assert result.body == '{"message":"Unsupported Media Type"}'
        assert seen == [] and result.integration_request is None
        assert result.error is None
        assert texts(result.log_lines)[-2:] == [
            f"Execution failed: Request content type {content_type} does not match any template and "
            f"passthrough behavior is {behavior}",
            "Method completed with status: 415",
        ]
    elif outcome == "passthrough":
        assert result.status == 200
        assert seen[0].body == "hello"
    else:
        assert seen[0].body == '{"t": "json"}'


def test_u24_415_without_a_body():
    definition = api(request_templates={"application/json": "{}"}, passthrough="NEVER")
    result = invoke(definition, req(headers={"Content-Type": "application/xml"}))
    assert result.status == 415
    assert result.body == '{"message":"Unsupported Media Type"}'


def test_no_content_type_means_application_json_under_every_behavior():
    for behavior in ("WHEN_NO_MATCH", "WHEN_NO_TEMPLATES", "NEVER"):
        definition = api(request_templates={"application/json": '{"statusCode": 200}'}, passthrough=behavior)
        assert invoke(definition, req(body="x")).status == 200


def test_no_content_type_and_no_json_template_is_415_under_never():
    definition = api(request_templates={"application/xml": '{"statusCode": 200}'}, passthrough="NEVER")
    result = invoke(definition, req(body="x"))
    assert result.status == 415
    assert "Request content type application/json does not match" in result.log


def test_content_type_parameters_dropped_and_case_insensitive():
    backend, seen = capture()
    definition = api(type="HTTP", uri=HTTP_URI, request_templates={"Application/JSON": '{"t": 1}'})
    invoke(definition, req(headers={"content-type": "APPLICATION/json; charset=UTF-8"}, body="{}"), backend=backend)
    assert seen[0].body == '{"t": 1}'


@pytest.mark.parametrize("key", ["$default", "*/*", "application/*", "application/json; charset=utf-8"])
def test_u23_default_wildcard_and_parameterised_keys_never_match(key):
    definition = api(request_templates={key: '{"statusCode": 200}'}, passthrough="WHEN_NO_TEMPLATES")
    result = invoke(definition, req(headers={"Content-Type": "application/json"}, body="{}"))
    assert result.status == 415
    # not even a request whose Content-Type is the key's own text
    assert invoke(definition, req(headers={"Content-Type": key}, body="{}")).status == 415


def test_empty_template_is_selected_and_means_passthrough():
    backend, seen = capture()
    definition = api(type="HTTP", uri=HTTP_URI, request_templates={"application/json": None},
                     passthrough="NEVER")
    result = invoke(definition, req(headers={"Content-Type": "application/json"}, body='{"a":1}'), backend=backend)
    assert result.status == 200
    assert seen[0].body == '{"a":1}'


def test_parameters_are_mapped_on_passthrough_too():
    backend, seen = capture()
    definition = api(type="HTTP", uri=HTTP_URI, request_parameters={"integration.request.header.X-From": "'gw'"})
    invoke(definition, req(headers={"Content-Type": "text/plain"}, body="raw"), backend=backend)
    assert seen[0].headers["X-From"] == "gw"
    assert seen[0].body == "raw"


def test_u37_content_type_is_the_template_key_or_the_original_on_passthrough():
    backend, seen = capture()
    definition = api(type="HTTP", uri=HTTP_URI, request_templates={"application/json": "{}"})
    invoke(definition, req(headers={"Content-Type": "application/json; charset=utf-8"}, body="{}"), backend=backend)
    invoke(definition, req(headers={"Content-Type": "text/csv; header=present"}, body="a,b"), backend=backend)
    assert seen[0].headers["Content-Type"] == "application/json"
    assert seen[1].headers["Content-Type"] == "text/csv; header=present"


def test_u64_a_bodiless_get_passed_through_to_an_http_backend_has_no_content_type():
    # Recorded on AWS: a GET without a body, passed through to an HTTP integration, reaches the endpoint
    # with no Content-Type header, though the client sent one.
    backend, seen = capture()
    definition = api(type="HTTP", uri=HTTP_URI, verb="GET")
    result = invoke(definition, req(httpMethod="GET", headers={"Content-Type": "application/json"}),
                    backend=backend)
    assert result.status == 200
    assert not any(name.lower() == "content-type" for name in seen[0].multi_value_headers)
    assert "Content-Type" not in result.integration_request.headers


def test_u64_a_passthrough_with_a_body_keeps_the_clients_content_type():
    # The rule is about the missing body (U64): the same GET with a body still carries the client's type (U37).
    backend, seen = capture()
    definition = api(type="HTTP", uri=HTTP_URI, verb="GET")
    invoke(definition, req(httpMethod="GET", headers={"Content-Type": "text/plain"}, body="x"), backend=backend)
    assert seen[0].headers["Content-Type"] == "text/plain"


def test_u64_a_rendered_template_keeps_its_key_without_a_body():
    # Only passthrough loses the header: a matched template sends its key even when it renders nothing.
    backend, seen = capture()
    definition = api(type="HTTP", uri=HTTP_URI, verb="GET", request_templates={"application/json": "#set($a = 1)"})
    invoke(definition, req(httpMethod="GET", headers={"Content-Type": "application/json"}), backend=backend)
    assert seen[0].headers["Content-Type"] == "application/json"


# --- unit level -------------------------------------------------------------------------------------


def test_mime_type():
    assert mime_type("Application/JSON ; charset=utf-8") == "application/json"
    assert mime_type(None) is None
    assert mime_type("") is None


def test_choice_object():
    choice = choose_request_template(templates({"application/json": "x"}), None, "NEVER")
    assert (choice.key, choice.text, choice.passthrough, choice.reject) == ("application/json", "x", False, False)


def test_response_template_choice_rules():
    tpl = templates({"application/xml": "xml", "application/json": "json", "text/html": "html"})
    assert choose_response_template(tpl, "text/html, application/xml").template == "html"
    assert choose_response_template(tpl, "application/xml;q=0.9").template == "xml"
    assert choose_response_template(tpl, "image/png").template == "json"
    assert choose_response_template(tpl, None).template == "json"
    assert choose_response_template(tpl, "*/*").template == "json"
    assert choose_response_template([], "text/html") is None


def test_u22_first_template_when_accept_matches_nothing_and_no_json():
    tpl = templates({"text/plain": "plain", "application/xml": "xml"})
    assert choose_response_template(tpl, "text/html").template == "plain"
    assert choose_response_template(tpl, None).template == "plain"
