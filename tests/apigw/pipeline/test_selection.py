"""Integration response selection (docs/integration.md §5)."""

import pytest

from vtlgw.apigw.pipeline import HttpResponse, LambdaError, LambdaResult, invoke
from vtlgw.apigw.pipeline.selection import PatternError, select_response

from .helpers import LAMBDA_URI, api, req, response, texts

STACK = ("Traceback (most recent call last):\n"
         "  File \"/var/task/app.py\", line 9, in handler\n"
         "    raise RuntimeError('boom')\n"
         "RuntimeError: boom")


def pick(responses, value):
    selection = select_response(responses, value)
    return selection.response.status_code if selection else None


def test_whole_string_match_not_find():
    responses = [response("400", "Invalid"), response("200")]
    assert pick(responses, "Invalid") == "400"
    assert pick(responses, "Invalid order id") == "200"
    assert pick([response("400", ".*Invalid.*"), response("200")], "Invalid order id") == "400"


def test_dot_does_not_match_newlines():
    assert pick([response("500", ".+"), response("200")], STACK) == "200"
    assert pick([response("500", r"(\n|.)+"), response("200")], STACK) == "500"


def test_empty_matching_pattern_catches_successes():
    # A successful Lambda call has the match value "": `.*` takes it.
    assert pick([response("500", ".*"), response("200")], "") == "500"
    assert pick([response("500", r"(\n|.)*"), response("200")], "") == "500"
    assert pick([response("500", ".+"), response("200")], "") == "200"


def test_u21_first_matching_pattern_in_definition_order_wins():
    responses = [response("404", r"4\d{2}"), response("400", "40[0-9]"), response("200")]
    assert pick(responses, "404") == "404"
    responses.reverse()
    assert pick(responses, "404") == "400"


def test_default_anywhere_in_the_list():
    assert pick([response("200"), response("400", "4..")], "400") == "400"
    assert pick([response("200"), response("400", "4..")], "500") == "200"


def test_no_match_and_no_default():
    assert pick([response("400", "4..")], "500") is None


def test_bad_pattern_is_reported():
    with pytest.raises(PatternError, match="not a valid Java regex"):
        select_response([response("400", "(unclosed")], "x")


# --- end to end ------------------------------------------------------------------------------------


def http_api(responses, method_responses=None):
    return api(type="HTTP", uri="https://backend.example.com/items", responses=responses,
               method_responses=method_responses)


def test_http_400_with_only_a_default_200_gives_200():
    result = invoke(http_api([response("200")]), req(), backend=HttpResponse(400, body='{"e": 1}'))
    assert result.status == 200
    assert result.body == '{"e": 1}'
    assert result.match_value == "400"


@pytest.mark.parametrize("backend_status,expected", [(404, 404), (201, 200)])
def test_4xx_pattern_takes_404_and_201_falls_to_default(backend_status, expected):
    definition = http_api([response("404", r"4\d{2}"), response("200")])
    assert invoke(definition, req(), backend=HttpResponse(backend_status)).status == expected


def test_lambda_error_matching_nothing_gets_the_default_with_the_error_body():
    definition = api(type="AWS", uri=LAMBDA_URI, responses=[response("400", "Invalid.*"), response("200")])
    result = invoke(definition, req(body="{}"), backend=LambdaError("Boom", "RuntimeError", []))
    assert result.status == 200
    assert result.body == '{"errorMessage":"Boom","errorType":"RuntimeError","stackTrace":[]}'


def test_lambda_200_pattern_never_matches():
    definition = api(type="AWS", uri=LAMBDA_URI, responses=[response("201", "200"), response("200")])
    assert invoke(definition, req(body="{}"), backend=LambdaResult({"ok": True})).status == 200


def test_multiline_stack_trace_end_to_end():
    definition = api(type="AWS", uri=LAMBDA_URI,
                     responses=[response("502", ".+"), response("500", r"(\n|.)+"), response("200")])
    result = invoke(definition, req(body="{}"), backend=LambdaError(STACK))
    assert result.status == 500


def test_no_match_no_default_is_500_with_the_log_line():
    definition = http_api([response("400", r"4\d{2}")])
    result = invoke(definition, req(), backend=HttpResponse(503))
    assert result.status == 500
    assert result.body == '{"message": "Internal server error"}'
    assert result.headers["x-amzn-ErrorType"] == "InternalServerErrorException"
    assert texts(result.log_lines)[-2:] == [
        "Execution failed due to configuration error: No match for output mapping and no default output "
        "mapping configured. Endpoint Response Status Code: 503",
        "Method completed with status: 500",
    ]
    assert result.error is not None


def test_status_without_method_response_is_500():
    definition = http_api([response("200")], method_responses={"201": []})
    result = invoke(definition, req(), backend=HttpResponse(200))
    assert result.status == 500
    assert texts(result.log_lines)[-2] == ("Execution failed due to configuration error: Output mapping refers "
                                           "to an invalid method response: 200")


def test_invalid_pattern_stops_the_pipeline():
    definition = http_api([response("400", "(4"), response("200")])
    result = invoke(definition, req(), backend=HttpResponse(200))
    assert result.status == 500
    assert "not a valid Java regex" in result.error


def test_runaway_pattern_is_a_configuration_error(monkeypatch):
    import vtlgw.apigw.pipeline.selection as selection
    from vtlgw.vtl.jregex import RegexTimeoutError

    class Runaway:
        def matches(self, value, timeout=None):
            raise RegexTimeoutError("RegexTimeout", "took longer than 2.0 s")

    monkeypatch.setattr(selection, "_compile", lambda pattern: Runaway())
    with pytest.raises(PatternError, match="took too long to match"):
        select_response([response("400", "(a+)+b")], "aaaa")
    result = invoke(http_api([response("400", "(a+)+b"), response("200")]), req(), backend=HttpResponse(200))
    assert result.status == 500 and "took too long" in result.error
