"""Integration configuration rules (VTL3xx) over definitions that break them and look-alikes that do not.

The broken definitions in ``data/definitions/`` carry their expected findings as
comments: ``# expect: VTL302@11`` on the line of the finding (11 is the column
the finding must start at), or ``# expect-line: 69 VTL501@41`` for a line inside
a YAML block scalar, where a comment would be template text. Each file must
give exactly the expected findings of these families: no more (a look-alike
firing), no fewer, and no duplicate (a loader problem reported twice).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from vtlgw.lint import lint
from vtlgw.lint.registry import all_rules, get
from vtlgw.vtl.diagnostics import Severity

DATA = Path(__file__).parent / "data" / "definitions"
ROOT = Path(__file__).resolve().parents[2]

_EXPECT = re.compile(r"#\s*expect:\s*(.+)$")
_EXPECT_LINE = re.compile(r"#\s*expect-line:\s*(\d+)\s+(.+)$")
_ITEM = re.compile(r"(VTL\d{3})@(\d+)")


def expected_findings(path: Path) -> Counter:
    """(code, line, column) the file's ``expect`` comments announce."""
    found: Counter = Counter()
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        marker = _EXPECT_LINE.search(text)
        if marker:
            line, items = int(marker.group(1)), marker.group(2)
        else:
            marker = _EXPECT.search(text)
            if not marker:
                continue
            line, items = number, marker.group(1)
        for code, column in _ITEM.findall(items):
            found[(code, line, int(column))] += 1
    return found


def findings(path: Path, families: tuple[str, ...]) -> Counter:
    """(code, line, column) of the linter's findings whose code starts with one of ``families``."""
    return Counter((d.code, d.location.line, d.location.column) for d in lint([path])
                   if d.code and d.code.startswith(families))


def _codes(counter: Counter) -> set[str]:
    return {code for code, _, _ in counter}


INTEGRATION = tuple(f"VTL3{n:02d}" for n in range(1, 23))
#: The families these broken files exercise (the template rules have their own tests); VTL000 is
#: included so that a loader problem a rule reports is not reported a second time.
RULE_FAMILIES = ("VTL3", "VTL5", "VTL000")


@pytest.mark.parametrize("name", ["broken-patterns.openapi.yaml", "broken-mappings.openapi.yaml"])
def test_broken_definitions_give_exactly_the_announced_findings(name):
    path = DATA / name
    expected = expected_findings(path)
    assert expected, "the data file announces no findings"
    assert findings(path, RULE_FAMILIES) == expected


def test_every_integration_rule_is_triggered_by_a_broken_definition():
    seen = set()
    for path in DATA.glob("broken*.yaml"):
        seen |= _codes(expected_findings(path))
    assert set(INTEGRATION) <= seen


@pytest.mark.parametrize("name", ["good-lookalikes.openapi.yaml", "good-lookalikes.cloudformation.yaml"])
def test_lookalikes_give_no_integration_finding(name):
    assert findings(DATA / name, ("VTL3", "VTL000")) == Counter()


def test_shipped_fixtures_have_no_error_or_warning_findings():
    """The definitions the project ships as examples are correct configurations (template rules aside)."""
    definitions = sorted((ROOT / "fixtures").glob("*.yaml"))
    assert definitions
    bad = [f"{d.location}: {d.code} {d.message}" for d in lint(definitions)
           if d.severity >= Severity.WARNING and d.code and d.code.startswith(RULE_FAMILIES + ("VTL000",))]
    assert bad == []


def test_every_rule_documents_itself():
    for code in INTEGRATION:
        doc = get(code).doc
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", doc.name), code
        assert doc.message and "\n" not in doc.message, code
        assert all((doc.what, doc.why, doc.example, doc.fix)), code
    assert [r.doc.code for r in all_rules() if r.doc.code in INTEGRATION] == list(INTEGRATION)


def _write(tmp_path: Path, text: str, name: str = "api.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


_LAMBDA_API = """\
openapi: 3.0.1
info: {{title: t, version: "1"}}
paths:
  /f:
    post:
      responses:
        "200": {{description: ok}}
        "400": {{description: bad}}
      x-amazon-apigateway-integration:
        type: aws
        httpMethod: POST
        uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:f/invocations
        responses:
          default: {{statusCode: "200"}}
          {pattern}: {{statusCode: "400"}}
"""


@pytest.mark.parametrize("pattern, codes", [
    ("'Invalid'", {"VTL302"}),
    ("'.*Invalid.*'", {"VTL306"}),
    ("'(\\n|.)*Invalid(\\n|.)*'", set()),
    ("'(?s).*Invalid.*'", set()),
    ("'.+'", {"VTL306"}),
    ("'(\\n|.)+'", set()),
    ("'400'", {"VTL304"}),
    ("'.*400.*'", {"VTL306"}),
    ("'(\\n|.)*'", {"VTL305"}),
    ("'Error.*|'", {"VTL305"}),
])
def test_lambda_patterns_against_the_errormessage(tmp_path, pattern, codes):
    """Lambda patterns match the whole errorMessage, without DOTALL; success is the empty string."""
    path = _write(tmp_path, _LAMBDA_API.format(pattern=pattern))
    assert _codes(findings(path, ("VTL3",))) == codes


_HTTP_API = """\
openapi: 3.0.1
info: {{title: t, version: "1"}}
paths:
  /h:
    get:
      responses:
        "200": {{description: ok}}
        "400": {{description: bad}}
        "404": {{description: missing}}
      x-amazon-apigateway-integration:
        type: {kind}
        httpMethod: GET
        uri: {uri}
{extra}        responses:
          default: {{statusCode: "200"}}
{responses}"""


def _http(kind: str = "http", uri: str = "https://example.com/h", extra: str = "", **patterns: str) -> str:
    """An HTTP (or AWS service) method whose integration responses are ``status=pattern``."""
    responses = "".join(f"          {pattern}: {{statusCode: \"{status[1:]}\"}}\n"
                        for status, pattern in patterns.items())
    return _HTTP_API.format(kind=kind, uri=uri, extra=extra, responses=responses)


@pytest.mark.parametrize("kind, uri", [("http", "https://example.com/h"),
                                       ("aws", "arn:aws:apigateway:us-east-1:sqs:path/1/q")])
@pytest.mark.parametrize("pattern, codes", [
    ("'40'", {"VTL303"}),
    ("'4\\d'", {"VTL303"}),
    ("'.*error.*'", {"VTL303"}),
    ("'4\\d{2}'", set()),
    ("'400|404'", set()),
])
def test_status_patterns_are_tried_against_every_code(tmp_path, kind, uri, pattern, codes):
    path = _write(tmp_path, _http(kind, uri, s400=pattern))
    assert _codes(findings(path, ("VTL3",))) == codes


def test_overlap_is_reported_when_an_earlier_pattern_takes_a_later_ones_values(tmp_path):
    shadowing = _write(tmp_path, _http(s400="'4\\d{2}'", s404="'404'"), "shadowing.yaml")
    assert _codes(findings(shadowing, ("VTL3",))) == {"VTL307"}
    specific_first = _write(tmp_path, _http(s404="'404'", s400="'4\\d{2}'"), "ordered.yaml")
    assert _codes(findings(specific_first, ("VTL3",))) == set()


def test_lambda_without_default_is_covered_by_a_pattern_matching_success(tmp_path):
    text = _LAMBDA_API.format(pattern="'(\\n|.)*BadRequest(\\n|.)*'").replace(
        '          default: {statusCode: "200"}\n', '          "(\\\\n|.)*": {statusCode: "200"}\n')
    found = _codes(findings(_write(tmp_path, text), ("VTL3",)))
    assert "VTL309" not in found  # '(\n|.)*' catches the empty success value
    assert "VTL305" in found


def test_invalid_pattern_is_one_finding_with_the_java_message(tmp_path):
    path = _write(tmp_path, _http(s400="'4\\d{2'"))
    messages = [d.message for d in lint([path]) if d.code == "VTL301"]
    assert len(messages) == 1
    assert "is not a valid Java regex" in messages[0] and "index" in messages[0]


def test_a_claimed_loader_problem_is_not_also_a_vtl000(tmp_path):
    path = _write(tmp_path, _http(s400="'4\\d{2'"))
    assert [d.code for d in lint([path]) if d.code in ("VTL000", "VTL301")] == ["VTL301"]


def test_claims_recognise_the_loader_problem(tmp_path):
    from vtlgw.apigw.definition import load_definition

    path = _write(tmp_path, _http(s400="'4\\d{2'"))
    problems = load_definition(path, strict=False).problems
    assert len(problems) == 1
    assert get("VTL301").claims(problems[0])
    assert not get("VTL502").claims(problems[0])


def test_forbidden_headers_depend_on_the_integration_type(tmp_path):
    """Authorization may be mapped for HTTP integrations, not for AWS ones (Content-Length for neither)."""
    extra = "        requestParameters:\n          integration.request.header.Authorization: \"'x'\"\n"
    http = _write(tmp_path, _http(extra=extra, s400="'4\\d{2}'"), "http.yaml")
    aws = _write(tmp_path, _http("aws", "arn:aws:apigateway:us-east-1:sqs:path/1/q", extra, s400="'4\\d{2}'"),
                 "aws.yaml")
    assert _codes(findings(http, ("VTL3",))) == set()
    assert _codes(findings(aws, ("VTL3",))) == {"VTL315"}


_MAPPED = """\
openapi: 3.0.1
info: {{title: t, version: "1"}}
paths:
  /items/{{id}}:
    get:
      parameters:
        - {{name: id, in: path, required: true, schema: {{type: string}}}}
        - {{name: X-Tenant, in: header, schema: {{type: string}}}}
      responses:
        "200":
          description: ok
          headers:
            X-Out: {{schema: {{type: string}}}}
      x-amazon-apigateway-integration:
        type: http
        httpMethod: POST
        uri: {uri}
        requestParameters:
          {target}: {source}
        responses:
          default:
            statusCode: "200"
            responseParameters:
              {response_target}: {response_source}
"""


def _mapped(tmp_path: Path, target: str = "integration.request.header.X-In", source: str = "\"'v'\"",
            response_target: str = "method.response.header.X-Out", response_source: str = "\"'v'\"",
            uri: str = "https://example.com/items") -> Counter:
    text = _MAPPED.format(target=target, source=source, response_target=response_target,
                          response_source=response_source, uri=uri)
    return findings(_write(tmp_path, text), ("VTL3",))


@pytest.mark.parametrize("source, codes", [
    ("\"'application/json'\"", set()),
    ("application/json", {"VTL312"}),
    ("method.request.header.X-Tenant", set()),
    ("method.request.multivalueheader.X-Tenant", set()),
    ("method.request.header.X-Other", {"VTL313"}),
    ("method.request.querystring.id", {"VTL313"}),
    ("method.request.body", set()),
    ("method.request.body.order.id", set()),
    ("method.request.body.$.order.id", {"VTL312"}),
    ("method.request.cookie.session", {"VTL312"}),
    ("context.requestId", set()),
    ("stageVariables.backend", set()),
    ("integration.response.body", {"VTL312"}),
])
def test_request_parameter_sources(tmp_path, source, codes):
    assert _codes(_mapped(tmp_path, source=source)) == codes


def test_a_wrong_target_prefix_is_reported_at_the_key(tmp_path):
    found = _mapped(tmp_path, target="integration.request.cookie.session")
    assert list(found) == [("VTL312", 19, 11)]


@pytest.mark.parametrize("target, source, codes", [
    ("method.response.header.X-Out", "integration.response.header.X-Up", set()),
    ("method.response.header.X-Out", "integration.response.body.a.b", set()),
    ("method.response.header.X-Out", "integration.response.body.$.a", {"VTL312"}),
    ("method.response.header.X-Out", "method.request.header.X-Tenant", {"VTL312"}),
    ("method.response.header.X-Out", "text/plain", {"VTL312"}),
    ("method.response.header.X-Missing", "\"'v'\"", {"VTL311"}),
])
def test_response_parameters(tmp_path, target, source, codes):
    assert _codes(_mapped(tmp_path, response_target=target, response_source=source)) == codes


@pytest.mark.parametrize("uri, target, codes", [
    ("https://example.com/items/{id}", "integration.request.path.id", set()),
    ("https://example.com/items/{id}", "integration.request.header.X-In", {"VTL314"}),
    ("https://example.com/items", "integration.request.path.id", {"VTL314"}),
    ("https://${stageVariables.host}/items", "integration.request.header.X-In", set()),
])
def test_uri_placeholders_and_path_mappings(tmp_path, uri, target, codes):
    found = _mapped(tmp_path, uri=uri, target=target, source="method.request.path.id")
    assert _codes(found) == codes


@pytest.mark.parametrize("pattern", ["40", "4\\d", "4\\d{2}", ".*error.*", "[45]0[0-9]", "(?i)5\\d\\d", "2..|3.."])
def test_status_pattern_findings_agree_with_the_pipelines_selection(tmp_path, pattern):
    """VTL303 says 'never selected' exactly when select_response picks the response for no code."""
    from vtlgw.apigw.definition import load_definition
    from vtlgw.apigw.pipeline.selection import select_response

    quoted = "'" + pattern.replace("'", "''") + "'"
    path = _write(tmp_path, _http(s400=quoted))
    responses = load_definition(path).method("GET", "/h").integration.integration_responses
    selected = [code for code in map(str, range(100, 600))
                if select_response(responses, code).response.status_code == "400"]
    assert ("VTL303" in _codes(findings(path, ("VTL3",)))) == (not selected)


_MOCK = """\
openapi: 3.0.1
info: {{title: t, version: "1"}}
paths:
  /m:
    get:
      responses:
        "200": {{description: ok}}
        "404": {{description: missing}}
      x-amazon-apigateway-integration:
        type: mock
{templates}        responses:
          "2\\\\d{{2}}": {{statusCode: "200"}}
"""


@pytest.mark.parametrize("templates, codes", [
    ("        requestTemplates:\n          application/json: '{\"statusCode\": 200}'\n", set()),
    ("        requestTemplates:\n          application/json: '{\"statusCode\": 404}'\n", {"VTL309"}),
    # the status is computed by the template: which one it is cannot be told without rendering
    ("        requestTemplates:\n          application/json: '{\"statusCode\": $input.params(''s'')}'\n", set()),
    ("", {"VTL309"}),  # no template: the passthrough call needs the default response
])
def test_mock_without_default_response(tmp_path, templates, codes):
    path = _write(tmp_path, _MOCK.format(templates=templates))
    assert _codes(findings(path, ("VTL3",))) == codes
