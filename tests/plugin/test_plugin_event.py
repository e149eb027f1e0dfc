"""`vtlgw.event(...)` in the pytest plugin: the event a Lambda proxy function receives, as a dict."""

QUIET = ("-p", "no:cacheprovider", "-p", "no:randomly", "-p", "no:hypothesispytest", "-p", "no:benchmark")


def run(project, *args):
    return project.runpytest(*QUIET, *args)


def test_event_through_the_configured_api_and_without_one(project):
    project.makepyfile(test_events="""
        import pytest

        @pytest.mark.vtlgw(api="fixtures/orders-sam.yaml")
        def test_routed(vtlgw):
            event = vtlgw.event("GET /orders?status=PENDING", headers={"Accept": "application/json"})
            assert event["resource"] == "/orders"
            assert event["queryStringParameters"] == {"status": "PENDING"}
            assert event["headers"] == {"Accept": "application/json"}
            assert event["requestContext"]["stage"] == "prod"  # the template's stage
            assert event["requestContext"]["requestId"] == "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"

        def test_unrouted(vtlgw):
            event = vtlgw.event(method="post", path="/orders/a%2Bb?q=a+b", body="hi", query={"n": 1},
                                stage="beta", stage_variables={"table": "t1"})
            assert (event["httpMethod"], event["resource"], event["body"]) == ("POST", "/orders/a%2Bb", "hi")
            assert event["multiValueQueryStringParameters"] == {"q": ["a b"], "n": ["1"]}
            assert event["stageVariables"] == {"table": "t1"}
            assert event["requestContext"]["path"] == "/beta/orders/a%2Bb"

        def test_api_path_and_payload(vtlgw):
            api = vtlgw.api("fixtures/orders-sam.yaml")
            event = api.event("GET /orders", payload="2.0", headers={"Cookie": "a=1; b=2"})
            assert (event["version"], event["routeKey"], event["rawPath"]) == ("2.0", "GET /orders", "/prod/orders")
            assert event["cookies"] == ["a=1", "b=2"]
            assert api.event("GET /orders", payload="1.0")["version"] == "1.0"
            assert vtlgw.event("GET /orders/7", fresh=True)["requestContext"]["requestId"] != \\
                "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"
    """)
    result = run(project)
    result.assert_outcomes(passed=3)


def test_no_route_and_bad_keywords_are_vtlgw_errors(project):
    project.makepyfile(test_errors="""
        import pytest
        from vtlgw import VtlError
        from vtlgw.testing import NoRouteError, RequestKeywordError

        def test_errors(vtlgw):
            api = vtlgw.api("fixtures/orders-sam.yaml")
            with pytest.raises(NoRouteError) as caught:
                api.event("DELETE /orders")
            assert caught.value.status == 403
            assert str(caught.value).startswith("DELETE /orders matches no method of fixtures/orders-sam.yaml")
            assert 'API Gateway answers 403 {"message":"Missing Authentication Token"}' in str(caught.value)
            with pytest.raises(RequestKeywordError, match="payload= is an HTTP API payload format version"):
                vtlgw.event("GET /", payload="3.0")
            with pytest.raises(RequestKeywordError, match="give the route 'GET /x' or method=, not both"):
                vtlgw.event("GET /x", method="POST")
            with pytest.raises(RequestKeywordError, match="unknown keyword lambda_result"):
                vtlgw.event("GET /x", lambda_result={})
            assert issubclass(NoRouteError, VtlError)

        @pytest.mark.vtlgw(api="fixtures/orders-sam.yaml")
        def test_unrouted_fails_with_the_message(vtlgw):
            vtlgw.event("GET /nope")
    """)
    result = run(project)
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines([
        "*test_errors.py:*: in test_unrouted_fails_with_the_message",
        '*GET /nope matches no method of fixtures/orders-sam.yaml (its methods: GET /orders/{id}, GET /orders); '
        'API Gateway answers 403*',
    ])


def test_a_custom_integration_route_warns_and_fails_in_strict_mode(project):
    project.makepyfile(test_custom="""
        import pytest

        @pytest.mark.vtlgw(api="fixtures/orders-sam.yaml")
        def test_custom(vtlgw):
            assert vtlgw.event("GET /orders/7")["pathParameters"] == {"id": "7"}
    """)
    result = run(project)
    result.assert_outcomes(passed=1, warnings=1)
    result.stdout.fnmatch_lines(["*VtlgwWarning*GET /orders/{id} has a Lambda custom integration (type AWS)*"])
    strict = run(project, "--vtlgw-strict")
    strict.assert_outcomes(failed=1)
    strict.stdout.fnmatch_lines(["*strict mode:*GET /orders/{id} has a Lambda custom integration*"])
