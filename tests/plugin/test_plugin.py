"""The pytest plugin, run as users run it: real pytest sessions of small projects (pytester)."""

import json
import re
import textwrap

import pytest


# Plugins unrelated to vtlgw's are kept out of the inner runs: loading hypothesis's alone costs a second a run.
QUIET = ("-p", "no:cacheprovider", "-p", "no:randomly", "-p", "no:hypothesispytest", "-p", "no:benchmark")


def run(project, *args):
    return project.runpytest(*QUIET, *args)


# ---------------------------------------------------------------------------- passing and failing


def test_registered_by_entry_point_without_conftest_or_import(project):
    project.makepyfile(test_x="""
        def test_fixture_is_there(vtlgw):
            assert vtlgw.render_text("$input.params('id')", path_params={"id": "7"}).text == "7"
    """)
    result = run(project)
    result.assert_outcomes(passed=1)


def test_render_and_invoke_pass(project):
    project.makepyfile(test_orders="""
        import pytest

        def test_render(vtlgw):
            result = vtlgw.render("templates/lambda-request.vtl", request="fixtures/orders-post.json")
            assert result.json()["params"]["path"] == {"id": "42"}
            assert str(result) == result.text

        @pytest.mark.vtlgw(api="fixtures/orders-sam.yaml")
        def test_invoke(vtlgw):
            result = vtlgw.invoke("GET /orders/4242")
            assert result.status == 404
            assert result.headers["x-error-code"] == "NotFound"
            assert result.json() == {"error": "NotFound", "message": "no order 4242"}
            assert result.integration_request.json() == {"orderId": "4242", "caller": "192.0.2.1"}
    """)
    result = run(project)
    result.assert_outcomes(passed=2)


def test_a_failing_comparison_shows_a_structural_diff_and_the_pipeline_trace(project):
    project.makepyfile(test_orders="""
        import pytest

        @pytest.mark.vtlgw(api="fixtures/orders-sam.yaml")
        def test_invoke(vtlgw):
            result = vtlgw.invoke("GET /orders/4242")
            assert result.json() == {"error": "NotFound", "message": "no such order"}
    """)
    result = run(project)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "*vtlgw JSON differs, 1 difference (left: the response body of GET /orders/4242; right: expected):",
        '*$.message: "no order 4242" != "no such order"',
        "*pipeline trace of GET /orders/4242 (status 404):",
        "*route: GET /orders/4242 -> GET /orders/{id} (path parameters id='4242')",
        "*- vtlgw trace -*",
        "*selection: pattern '.*\"status\": ?404.*' (404) tested against '{\"status\": 404,*: matches -> chosen",
        "*Execution log for request c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
    ])


def test_a_template_error_is_reported_as_the_cli_reports_it(project):
    project.maketxtfile(**{"templates/broken": "{\n  #if($input.path('$.flag'))\n  \"a\": 1\n}\n"})
    (project.path / "templates/broken.txt").rename(project.path / "templates/broken.vtl")
    project.makepyfile(test_broken="""
        def test_broken(vtlgw):
            vtlgw.render("templates/broken.vtl")
    """)
    result = run(project)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "test_broken.py:2: in test_broken",
        '    vtlgw.render("templates/broken.vtl")',
        "templates/broken.vtl:2:3: error: #if is never closed*",
        "    #if($input.path('$.flag'))",
        "    ^",
    ])
    assert "vtlgw/vtl/" not in result.stdout.str()  # no traceback into vtlgw


def test_json_of_output_that_is_not_json_names_the_template_position(project):
    project.maketxtfile(**{"item": '#set($b = $input.path(\'$\'))\n{\n  "name": "$b.name",\n}\n'})
    project.makepyfile(test_json="""
        def test_json(vtlgw):
            vtlgw.render("item.txt", json={"name": "x"}).json()
    """)
    result = run(project)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "*the output of item.txt is not JSON: Expecting property name enclosed in double quotes at output line 3, "
        "column 1",
        '*  "name": "x",',
        "*}",
        "*^",
        "*the character there was written by item.txt:4:1",
    ])


# ---------------------------------------------------------------------------- choosing the API


@pytest.fixture
def two_apis(project):
    """Two definitions whose MOCK answers say which one ran."""
    for name in ("ini", "cli", "marker"):
        project.makefile(".yaml", **{f"api_{name}": textwrap.dedent(f"""\
            openapi: 3.0.1
            info: {{title: {name}, version: "1"}}
            paths:
              /which:
                get:
                  responses: {{"200": {{description: ok}}}}
                  x-amazon-apigateway-integration:
                    type: mock
                    requestTemplates: {{application/json: '{{"statusCode": 200}}'}}
                    responses:
                      default:
                        statusCode: "200"
                        responseTemplates: {{application/json: '{{"api": "{name}", "stage": "$context.stage"}}'}}
            """)})
    project.makeini("[pytest]\nvtlgw_api = api_ini.yaml\n")
    project.makepyfile(test_which="""
        import json
        import pytest

        def test_default(vtlgw):
            print("API", json.dumps(vtlgw.invoke("GET /which").json()))

        @pytest.mark.vtlgw(api="api_marker.yaml", stage="beta")
        def test_marked(vtlgw):
            print("API", json.dumps(vtlgw.invoke("GET /which").json()))

        @pytest.mark.vtlgw(api="api_marker.yaml", stage="beta")
        def test_call_wins(vtlgw):
            print("API", json.dumps(vtlgw.invoke("GET /which", stage="gamma").json()))
    """)
    return project


def _apis(result):
    return [json.loads(found) for found in re.findall(r"API (\{[^}]*\})", result.stdout.str())]


def test_the_ini_option_chooses_the_api(two_apis):
    result = run(two_apis, "-s")
    result.assert_outcomes(passed=3)
    assert _apis(result) == [{"api": "ini", "stage": "test"}, {"api": "marker", "stage": "beta"},
                             {"api": "marker", "stage": "gamma"}]


def test_the_command_line_wins_over_the_ini_option_and_the_marker_over_both(two_apis):
    result = run(two_apis, "-s", "--vtlgw-api", "api_cli.yaml")
    result.assert_outcomes(passed=3)
    assert [a["api"] for a in _apis(result)] == ["cli", "marker", "marker"]


def test_a_module_marker_applies_and_a_function_marker_overrides_it(two_apis):
    two_apis.makepyfile(test_which="""
        import json
        import pytest

        pytestmark = pytest.mark.vtlgw(api="api_marker.yaml", stage="module")

        def test_module(vtlgw):
            print("API", json.dumps(vtlgw.invoke("GET /which").json()))

        @pytest.mark.vtlgw(stage="function")
        def test_function(vtlgw):
            print("API", json.dumps(vtlgw.invoke("GET /which").json()))
    """)
    result = run(two_apis, "-s", "--vtlgw-api", "api_cli.yaml")
    result.assert_outcomes(passed=2)
    assert _apis(result) == [{"api": "marker", "stage": "module"}, {"api": "marker", "stage": "function"}]


def test_invoke_without_an_api_says_how_to_configure_one(project):
    project.makepyfile(test_x="""
        def test_x(vtlgw):
            vtlgw.invoke("GET /x")
    """)
    result = run(project)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*no API is configured for vtlgw.invoke: set @pytest.mark.vtlgw(api=...)*"])


# ---------------------------------------------------------------------------- strict mode


STRICT_TEST = """
    def test_loop_cap(vtlgw):
        result = vtlgw.render_text("#foreach($i in [1..1001])#end done")
        assert result.text == " done"
"""


def test_warnings_become_pytest_warnings(project):
    project.makepyfile(test_warn=STRICT_TEST)
    result = run(project)
    result.assert_outcomes(passed=1, warnings=1)
    result.stdout.fnmatch_lines(["*VtlgwWarning: <template>:1:1: warning: #foreach stopped after 1000 iterations*"])


@pytest.mark.parametrize("how", ["--vtlgw-strict", "ini"])
def test_strict_mode_fails_the_test_on_a_warning(project, how):
    project.makepyfile(test_warn=STRICT_TEST)
    args = []
    if how == "ini":
        project.makeini("[pytest]\nvtlgw_strict = true\n")
    else:
        args = [how]
    result = run(project, *args)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*strict mode: <template>:1:1: warning: #foreach stopped after 1000 iterations*"])


def test_strict_mode_fails_on_what_the_definition_sets_and_vtlgw_does_not_run(project):
    project.makefile(".yaml", api="""
        openapi: 3.0.1
        info: {title: t, version: "1"}
        paths:
          /secure:
            get:
              security: [{MyAuthorizer: []}]
              responses: {"200": {description: ok}}
              x-amazon-apigateway-integration:
                type: mock
                requestTemplates: {application/json: '{"statusCode": 200}'}
                responses: {default: {statusCode: "200"}}
    """)
    project.makepyfile(test_secure="""
        import pytest

        @pytest.mark.vtlgw(api="api.yaml")
        def test_secure(vtlgw):
            assert vtlgw.invoke("GET /secure").status == 200
    """)
    run(project).assert_outcomes(passed=1, warnings=1)
    result = run(project, "--vtlgw-strict")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*strict mode: *api.yaml:6:17: warning: /paths/~1secure/get/security: "
                                 "GET /secure: security scheme 'MyAuthorizer' is not defined: API Gateway applies no authorizer*"])


# ---------------------------------------------------------------------------- case files


CASES = """\
api: ../fixtures/orders-sam.yaml
cases:
  - name: unknown order gives 404
    request: {method: GET, path: /orders/42}
    lambda_error: {errorMessage: '{"status": 404, "code": "NotFound", "message": "gone"}', errorType: E}
    expect:
      status: 404
      headers: {X-Error-Code: NotFound}
      json: {error: NotFound, message: gone}
      integration_request: {json: {orderId: "42", caller: 192.0.2.1}}
  - name: a found order passes through
    request: {method: GET, path: /orders/7, headers: {Accept: application/json}}
    lambda_result: {id: "7", status: PENDING}
    expect:
      status: 200
      json: {id: "7", status: PENDING}
"""


def test_case_files_are_collected_one_item_per_case(project):
    project.mkdir("cases")
    (project.path / "cases" / "test_orders.vtlgw.yaml").write_text(CASES)
    result = run(project, "-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*test_orders.vtlgw.yaml::unknown order gives 404 PASSED*",
                                 "*test_orders.vtlgw.yaml::a found order passes through PASSED*"])
    result = run(project, "-k", "found")
    result.assert_outcomes(passed=1, deselected=1)


def test_a_failing_case_shows_what_differs_and_the_trace(project):
    project.mkdir("cases")
    (project.path / "cases" / "test_orders.vtlgw.yaml").write_text(CASES.replace("message: gone}\n", "message: lost}\n"))
    result = run(project)
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines([
        "case 'unknown order gives 404' (test_orders.vtlgw.yaml:3) does not match its expect:",
        "  json differs (left: actual, right: expected):",
        '    $.message: "gone" != "lost"',
        "vtlgw invoke GET /orders/42 -> 404",
        "*selection: match value*",
    ])


def test_a_malformed_case_file_is_a_located_collection_error(project):
    project.mkdir("cases")
    (project.path / "cases" / "test_bad.vtlgw.yaml").write_text(CASES.replace("status: 200", "stauts: 200"))
    result = run(project)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["cases/test_bad.vtlgw.yaml:15:7: error: /cases/1/expect/stauts: unknown key "
                                 "'stauts' in expect; expected one of status, headers, json, body, "
                                 "integration_request"])


def test_template_case_files(project):
    (project.path / "greet.vtl").write_text('{"hello": "$input.params(\'name\')", "n": $input.json(\'$.n\')}')
    (project.path / "req.json").write_text('{"path": "/greet", "queryStringParameters": {"name": "Ada"}, '
                                           '"body": {"n": 2}}')
    (project.path / "test_greet.vtlgw.yaml").write_text(textwrap.dedent("""\
        template: greet.vtl
        cases:
          - name: from a request file
            request: {file: req.json}
            expect:
              json: {hello: Ada, n: 2}
          - name: from keywords
            request: {query: {name: Bob}, json: {n: 3}}
            expect:
              body: '{"hello": "Bob", "n": 3}'
          - name: a wrong expectation
            request: {query: {name: Eve}, json: {n: 4}}
            expect:
              json: {hello: Eve, n: 5}
    """))
    result = run(project)
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["case 'a wrong expectation' (test_greet.vtlgw.yaml:11) does not match its expect:",
                                 "  json differs (left: actual, right: expected):", "    $.n: 4 != 5"])


# ---------------------------------------------------------------------------- snapshots and xdist


SNAPSHOT_TESTS = """
    import pytest

    def test_render(vtlgw, snapshot):
        assert vtlgw.render("templates/lambda-request.vtl", request="fixtures/orders-post.json") == snapshot

    @pytest.mark.vtlgw(api="fixtures/orders-sam.yaml")
    def test_invoke(vtlgw, snapshot):
        assert vtlgw.invoke("GET /orders/4242", fresh=True) == snapshot
"""


def test_snapshots_are_written_then_compared(project):
    project.makepyfile(test_snap=SNAPSHOT_TESTS)
    run(project, "--snapshot-update").assert_outcomes(passed=2)
    stored = json.loads((project.path / "__snapshots__" / "test_snap" / "test_invoke.json").read_text())
    assert stored["status"] == 404
    assert stored["headers"]["X-Request-Id"] == "<requestId>"  # a fresh id, normalised
    assert stored["body"] == {"error": "NotFound", "message": "no order 4242"}
    run(project).assert_outcomes(passed=2)
    snap = project.path / "__snapshots__" / "test_snap" / "test_render.json"
    snap.write_text(snap.read_text().replace("42", "43"))
    result = run(project)
    result.assert_outcomes(passed=1, failed=1)


def test_xdist_gives_the_same_results(project):
    project.makepyfile(test_snap=SNAPSHOT_TESTS)
    (project.path / "test_orders.vtlgw.yaml").write_text(CASES.replace("../fixtures", "fixtures"))
    assert run(project, "--snapshot-update").ret == 0
    result = project.runpytest_subprocess(*QUIET, "-n", "2")
    result.assert_outcomes(passed=4)


# ---------------------------------------------------------------------------- the method request stage


def test_api_keys_and_request_validation_through_invoke(project):
    project.makepyfile(test_pets="""
        import pytest

        pytestmark = pytest.mark.vtlgw(api="fixtures/pets-validated.openapi.yaml", api_keys=["known-key-0001"])

        def test_a_valid_key_and_body(vtlgw):
            result = vtlgw.invoke("POST /pets", api_key="k-0123456789", json={"name": "Rex", "kind": "dog"})
            assert result.status == 201
            assert result.json()["key"] == "k-0123456789"

        def test_a_marker_key_sent_as_a_header(vtlgw):
            result = vtlgw.invoke("POST /pets", headers={"x-api-key": "known-key-0001"},
                                  json={"name": "Rex", "kind": "dog"})
            assert result.status == 201

        def test_a_wrong_key_and_a_bad_body(vtlgw):
            assert vtlgw.invoke("POST /pets", headers={"x-api-key": "nope"}, json={}).status == 403
            result = vtlgw.invoke("POST /pets", api_key="k-0123456789", json={"name": "Rex"})
            assert (result.status, result.json()) == (400, {"message": "Invalid request body"})

        def test_both_ways_of_giving_a_key_is_a_mistake(vtlgw):
            with pytest.raises(Exception, match="give api_key= or an x-api-key header, not both"):
                vtlgw.invoke("POST /pets", api_key="a", headers={"X-Api-Key": "b"})
    """)
    run(project).assert_outcomes(passed=4)


def test_authorizer_and_claims_keywords(project):
    project.makepyfile(test_secured="""
        import pytest

        from fixtures.handlers.auth import token_authorizer

        pytestmark = pytest.mark.vtlgw(api="fixtures/pets-secured.openapi.yaml")
        HEADERS = {"Authorization": "Bearer allow-bob", "x-tenant": "t1"}

        def test_a_handler(vtlgw):
            result = vtlgw.invoke("POST /pets?version=1", headers=HEADERS, api_key="k-0123456789",
                                  json={"name": "Rex", "kind": "cat"}, authorizer=token_authorizer)
            assert result.json()["principal"] == "bob"

        def test_a_result(vtlgw):
            deny = {"principalId": "x", "policyDocument": {"Statement": [
                {"Effect": "Deny", "Action": "execute-api:Invoke", "Resource": "*"}]}}
            result = vtlgw.invoke("POST /pets", headers=HEADERS, api_key="k-0123456789", json={}, authorizer=deny)
            assert result.status == 403

        def test_bad_keywords(vtlgw):
            with pytest.raises(Exception, match="authorizer= is the authorizer function"):
                vtlgw.invoke("POST /pets", authorizer=3)
            with pytest.raises(Exception, match="claims= is a dict"):
                vtlgw.invoke("POST /pets", claims="sub")
    """)
    run(project).assert_outcomes(passed=3)
