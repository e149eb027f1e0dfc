"""The execution-log texts that the spec leaves UNCERTAIN (U30, U36), pinned under their ids."""

from vtlgw.apigw.pipeline import LambdaError, invoke

from .helpers import LAMBDA_URI, api, req, response, texts


def test_u30_request_template_failure_log_text():
    definition = api(request_templates={"application/json": "#if("}, responses=[response("200")])
    result = invoke(definition, req(body="{}"))
    assert result.status == 500
    assert texts(result.log_lines)[-2] == \
        "Execution failed due to configuration error: Unable to transform request"


def test_u30_response_template_failure_log_text():
    definition = api(request_templates={"application/json": '{"statusCode": 200}'},
                     responses=[response("200", tpl={"application/json": "$util.parseJson('{')"})])
    result = invoke(definition, req(body="{}"))
    assert result.status == 500
    assert texts(result.log_lines)[-2] == \
        "Execution failed due to configuration error: Unable to transform response"


def test_u36_lambda_function_error_log_text():
    definition = api(type="AWS", uri=LAMBDA_URI, request_templates={"application/json": "{}"},
                     responses=[response("200")])
    result = invoke(definition, req(body="{}"), backend=LambdaError("boom", "ValueError", []))
    failed = [t for t in texts(result.log_lines) if t.startswith("Lambda execution failed")]
    assert failed and failed[0].startswith(
        "Lambda execution failed with status 200 due to customer function error: boom. Lambda request id: ")


def test_u36_unsupported_media_type_log_text():
    definition = api(request_templates={"application/json": '{"statusCode": 200}'}, passthrough="NEVER",
                     responses=[response("200")])
    result = invoke(definition, req(body="x", headers={"Content-Type": "text/plain"}))
    assert result.status == 415
    assert texts(result.log_lines)[-2] == ("Execution failed: Request content type text/plain does not match any "
                                           "template and passthrough behavior is NEVER")


def test_u36_duplicate_override_log_text():
    template = ('{"statusCode": 200}#set($context.requestOverride.header.X = "1")'
                '#set($context.requestOverride.header.X = "2")')
    definition = api(request_templates={"application/json": template}, responses=[response("200")])
    result = invoke(definition, req(body="{}"))
    assert result.status == 500
    assert "Parameter requestOverride.header.X was overridden more than once" in result.log
