"""--http-live's backend: a real HTTP call through httpx, exercised on httpx's mock transport (no network)."""

import httpx

from vtlgw.apigw.definition import load_definition
from vtlgw.apigw.pipeline import invoke
from vtlgw.apigw.pipeline.live import LiveHttp
from vtlgw.apigw.request import request_from_dict

from .test_http_proxy import API


def run(handler, path="/backend/a%2Bb?q=x+y", client=None, **fields):
    client = client or httpx.Client(transport=httpx.MockTransport(handler))
    request, _ = request_from_dict({"httpMethod": "POST", "pathWithQueryString": path, "body": "payload",
                                    "headers": {"Connection": "close", "X-Up": "1"}, **fields})
    return invoke(load_definition(API), request, backend=LiveHttp(client))


def test_the_request_goes_out_as_built_and_the_answer_comes_back():
    seen = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen["request"] = request
        return httpx.Response(201, headers=[("X-Back", "1"), ("X-Back", "2"), ("Content-Type", "text/plain")],
                              content=b"made")

    result = run(handler)
    sent = seen["request"]
    assert sent.method == "POST" and str(sent.url) == "https://backend.example.com/a%2Bb?q=x%20y"
    assert sent.content == b"payload" and sent.headers["x-up"] == "1"
    assert sent.headers.get("connection") != "close"  # the client's hop-by-hop header is not forwarded
    assert result.status == 201 and result.body == "made"
    assert result.multi_value_headers["X-Back"] == ["1", "2"]


def test_a_timeout_is_the_504_and_a_connection_error_the_500():
    def slow(request):
        raise httpx.ReadTimeout("slow", request=request)

    def refused(request):
        raise httpx.ConnectError("refused", request=request)

    assert run(slow).status == 504
    result = run(refused)
    assert result.status == 500 and any("Invalid endpoint address" in line for line in result.log_lines)


def test_its_own_client_sends_no_default_headers_of_httpx(monkeypatch):
    seen = {}

    def handler(request):
        seen["request"] = request
        return httpx.Response(200, content=b"ok")

    backend = LiveHttp()
    real = httpx.Client
    monkeypatch.setattr(httpx, "Client", lambda **kw: real(transport=httpx.MockTransport(handler), **kw))
    backend._client()
    request, _ = request_from_dict({"httpMethod": "GET", "path": "/backend/a"})
    invoke(load_definition(API), request, backend=backend)
    sent = {name.lower() for name in seen["request"].headers}
    assert "user-agent" not in sent and "accept-encoding" not in sent and "x-amzn-trace-id" in sent
