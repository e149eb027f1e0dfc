"""An opt-in real HTTP call for HTTP and HTTP_PROXY integrations (``vtlgw invoke --http-live``).

Off by default, so tests never reach the network. It needs ``httpx``
(``pip install 'vtlgw[live]'``), imported only when a call is made.
"""

from __future__ import annotations

from typing import Any

from .backends import HTTP, BackendCall, BackendResponse
from .failures import BackendError

__all__ = ["LiveHttp"]

#: Set by the HTTP client itself for the bytes it sends.
_CLIENT_OWNED = frozenset({"host", "content-length"})


class LiveHttp:
    """Send the integration request to its URL and return what the server answers."""

    kinds = (HTTP,)

    def __init__(self, client: Any = None) -> None:
        self.client = client  # an httpx.Client (tests may pass a mock transport's client)

    def _client(self) -> Any:
        if self.client is None:
            try:
                import httpx
            except ImportError:
                raise BackendError("--http-live needs the httpx package: pip install 'vtlgw[live]'") from None
            self.client = httpx.Client(follow_redirects=False)
            self.client.headers.clear()  # send the integration request's headers, not httpx's defaults
        return self.client

    def call(self, call: BackendCall) -> BackendResponse:
        import httpx

        request = call.request
        if not request.uri.lower().startswith(("http://", "https://")):
            return BackendResponse(failure=f"{request.uri!r} is not an http:// or https:// URL")
        headers = [(name, value) for name, values in request.multi_value_headers.items()
                   if name.lower() not in _CLIENT_OWNED for value in values]
        content = request.body_bytes() or None
        client = self._client()
        try:
            outgoing = client.build_request(request.http_method, request.url, headers=headers, content=content,
                                            timeout=call.timeout_ms / 1000)
            answer = client.send(outgoing, stream=True)
            try:
                # The bytes as sent: a gzip body stays gzip, as its Content-Encoding says.
                body = answer.content if answer.is_stream_consumed else b"".join(answer.iter_raw())
            finally:
                answer.close()
        except httpx.TimeoutException:
            return BackendResponse(timed_out=True)
        except httpx.HTTPError as exc:
            return BackendResponse(failure=f"{type(exc).__name__}: {exc}")
        multi: dict[str, list[str]] = {}
        for raw_name, raw_value in answer.headers.raw:  # the server's spelling, in order
            multi.setdefault(raw_name.decode("latin-1"), []).append(raw_value.decode("latin-1"))
        return BackendResponse(status=answer.status_code, headers=multi, body=body)
