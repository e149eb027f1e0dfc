"""The integration request: what API Gateway sends to the backend (docs/integration.md §3.4).

Builds the endpoint URL from the integration URI (``{name}`` path parameters,
``${stageVariables.x}``, AWS ``arn:aws:apigateway:…`` forms turned into the
service endpoint the console log shows) and the default headers.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from vtlgw.apigw.http.headers import spellings
from vtlgw.apigw.wire import java_utf8
from vtlgw.vtl.diagnostics import Diagnostic, Location
from vtlgw.vtl.warning import warning

__all__ = ["IntegrationRequest", "resolve_uri", "endpoint_url", "function_arn", "DEFAULT_REGION"]

DEFAULT_REGION = "us-east-1"
_SEGMENT_SAFE = "-._~!$&'()*+,;=:@"
_STAGE_VAR = re.compile(r"\$\{stageVariables\.([A-Za-z0-9_]+)\}")
_PLACEHOLDER = re.compile(r"(?<!\$)\{([A-Za-z0-9._-]+)\}")
_AWS_ARN = re.compile(r"^arn:(?P<partition>[^:]+):apigateway:(?P<region>[^:]*):(?P<service>[^:]+):"
                      r"(?P<kind>path|action)/(?P<rest>.*)$", re.DOTALL)
_FUNCTION = re.compile(r"/functions/(?P<arn>.+?)/invocations(?:$|\?)")


@dataclass
class IntegrationRequest:
    """The request sent to the backend; ``body`` is text, or base64 when ``is_base64_encoded``."""

    uri: str
    http_method: str
    headers: dict[str, str] = field(default_factory=dict)
    multi_value_headers: dict[str, list[str]] = field(default_factory=dict)
    query: dict[str, list[str]] = field(default_factory=dict)
    body: str = ""
    is_base64_encoded: bool = False
    path_parameters: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """``uri`` with the query string appended."""
        if not self.query:
            return self.uri
        pairs = [(name, value) for name, values in self.query.items() for value in values]
        sep = "&" if "?" in self.uri else "?"
        return self.uri + sep + urlencode(pairs, quote_via=quote)

    def body_bytes(self) -> bytes:
        if self.is_base64_encoded:
            return base64.b64decode(self.body)
        return java_utf8(self.body)

    def header(self, name: str) -> str | None:
        """A header's last value, matched case-insensitively."""
        found = spellings(self.headers, name)
        return self.headers[found[-1]] if found else None


def resolve_uri(uri: str, path: dict[str, list[str]], stage_variables: dict[str, str],
                warnings: list[Diagnostic] | None = None, where: Location | None = None) -> str:
    """Substitute ``${stageVariables.x}`` (as text) and ``{name}`` (URL-encoded as a path segment).

    A placeholder with no mapping is a warning appended to ``warnings``, at
    ``where`` (the URI's place in the definition) when given.
    """
    text = _STAGE_VAR.sub(lambda m: stage_variables.get(m.group(1), ""), uri)

    def fill(m: re.Match[str]) -> str:
        values = path.get(m.group(1))
        if not values:
            if warnings is not None:
                warnings.append(warning(f"integration URI placeholder {m.group(0)} has no integration.request.path."
                                        f"{m.group(1)} mapping; it is sent as written",
                                        where or Location("<integration uri>")))
            return m.group(0)
        return quote(values[-1], safe=_SEGMENT_SAFE)

    return _PLACEHOLDER.sub(fill, text)


def endpoint_url(uri: str, integration_type: str, account_id: str | None = None) -> str:
    """The URL the request goes to: HTTP URIs as they are, AWS ARNs as their service endpoint.

    In a URI rendered from a CloudFormation ``!Sub``, ``${AWS::Region}`` and
    ``${AWS::AccountId}`` become the engine's region and ``$context.accountId``.
    """
    if integration_type != "AWS":
        return uri
    uri = uri.replace("${AWS::Region}", DEFAULT_REGION)
    if account_id:
        uri = uri.replace("${AWS::AccountId}", account_id)
    m = _AWS_ARN.match(uri)
    if not m:
        return uri
    region = m.group("region")
    if not region or region.startswith("${"):
        region = DEFAULT_REGION
    service = m.group("service")
    suffix = ".amazonaws.com.cn" if m.group("partition") == "aws-cn" else ".amazonaws.com"
    host = f"{service}.{region}{suffix}"
    rest = m.group("rest")
    if m.group("kind") == "action":
        action, _, params = rest.partition("&")
        query = f"Action={action}" + (f"&{params}" if params else "")
        return f"https://{host}/?{query}"
    return f"https://{host}/{rest}"


def function_arn(uri: str | None) -> str | None:
    """The function ARN of a Lambda invocation URI."""
    if not uri:
        return None
    m = _FUNCTION.search(uri)
    return m.group("arn") if m else None
