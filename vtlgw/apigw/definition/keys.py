"""The keys each integration object may have, per format, and the check that names a misspelt one.

A misspelt key is the quietest of configuration mistakes: ``RequestTemplate``
for ``RequestTemplates`` or ``integrationResponses`` where OpenAPI says
``responses`` loads fine and does nothing, so every response falls back to
passthrough. :func:`check_keys` reports each key a table does not know, with
the closest known key as a suggestion, located at the key itself.

What happens to such a key on AWS differs by format, and so does the report:

* OpenAPI ``x-amazon-apigateway-integration`` (and its ``responses``): API
  Gateway's importer ignores keys it does not know, so the API deploys with the
  setting missing. A warning on the method (``vtlgw invoke`` prints it).
* CloudFormation ``AWS::ApiGateway::Method`` ``Integration`` and its
  ``IntegrationResponses``: the resource type's schema does not allow other
  properties (``additionalProperties: false`` on both objects in the registry
  schema of ``AWS::ApiGateway::Method``), so CloudFormation refuses the
  template ("extraneous key [...] is not permitted"). A definition problem:
  raised when loading strictly, a lint finding otherwise.
* ``aws apigateway get-method`` / ``get-resources`` output: API Gateway never
  writes an unknown key there, so one was added by hand and is ignored. A warning.

The tables are the documented property lists; the page each comes from is
cited above it. They are also what the linter's VTL503 checks against.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import DefinitionError
from .model import Method, NotEmulated, Source
from .yamlload import join_pointer

if TYPE_CHECKING:
    from .common import Context


@dataclass(frozen=True)
class KeyTable:
    """The keys one object of one format may have.

    ``where`` names the object in messages; ``aliases`` maps spellings other
    formats use (or common confusions) to this format's key, for suggestions
    difflib would not find; ``hints`` replaces the suggestion with advice for a
    key that has no counterpart here. ``refused`` is whether deploying refuses
    an unknown key (CloudFormation) rather than ignoring it (API Gateway's importer).
    """

    where: str
    known: frozenset[str]
    aliases: dict[str, str] = field(default_factory=dict)
    hints: dict[str, str] = field(default_factory=dict)
    refused: bool = False

    def suggestion(self, key: str) -> str | None:
        """The known key ``key`` was most likely meant to be, or None."""
        if key in self.aliases:
            return self.aliases[key]
        return did_you_mean(key, self.known)

    def message(self, key: str) -> str:
        """What is wrong with ``key`` in this object, and what follows from it on AWS."""
        hint = self.hints.get(key.lower())
        if hint is None:
            meant = self.suggestion(key)
            hint = f" (did you mean {meant!r}?)" if meant else ""
        if self.refused:
            effect = "CloudFormation refuses the template (extraneous key is not permitted)"
        else:
            effect = "API Gateway ignores it, so the setting it holds has no effect"
        return f"unknown key {key!r} in {self.where}{hint}: {effect}"


def did_you_mean(key: str, known: frozenset[str] | set[str] | list[str]) -> str | None:
    """The closest known key: the same word in another case first, then difflib, as written and lower-cased."""
    options = sorted(known)
    for option in options:
        if option.lower() == key.lower():
            return option
    close = difflib.get_close_matches(key, options, n=1, cutoff=0.6)
    if close:
        return close[0]
    lowered = {option.lower(): option for option in options}
    close = difflib.get_close_matches(key.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[close[0]] if close else None


# ----------------------------------------------------------------------------- OpenAPI
# https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-integration.html
# (integrationSubtype and payloadFormatVersion are documented for HTTP APIs; a REST API import ignores them.)
OPENAPI_INTEGRATION = KeyTable(
    "x-amazon-apigateway-integration",
    frozenset({
        "cacheKeyParameters", "cacheNamespace", "connectionId", "connectionType", "credentials", "contentHandling",
        "httpMethod", "integrationSubtype", "integrationTarget", "passthroughBehavior", "payloadFormatVersion",
        "requestParameters", "requestTemplates", "responses", "responseTransferMode", "timeoutInMillis",
        "tlsConfig", "type", "uri",
    }),
    aliases={"integrationResponses": "responses", "IntegrationResponses": "responses",
             "integrationHttpMethod": "httpMethod", "IntegrationHttpMethod": "httpMethod"},
)

# https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-integration-response.html
OPENAPI_INTEGRATION_RESPONSE = KeyTable(
    "an x-amazon-apigateway-integration response",
    frozenset({"statusCode", "responseTemplates", "responseParameters", "contentHandling"}),
    hints={"selectionpattern": " (in OpenAPI the selection pattern is the key of the response under 'responses', "
                               "or 'default')"},
)

# ----------------------------------------------------------------------------- CloudFormation
# https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-apitgateway-method-integration.html
CLOUDFORMATION_INTEGRATION = KeyTable(
    "the Integration of an AWS::ApiGateway::Method",
    frozenset({
        "CacheKeyParameters", "CacheNamespace", "ConnectionId", "ConnectionType", "ContentHandling", "Credentials",
        "IntegrationHttpMethod", "IntegrationResponses", "IntegrationTarget", "PassthroughBehavior",
        "RequestParameters", "RequestTemplates", "ResponseTransferMode", "TimeoutInMillis", "Type", "Uri",
    }),
    aliases={"HttpMethod": "IntegrationHttpMethod", "httpMethod": "IntegrationHttpMethod",
             "Responses": "IntegrationResponses", "responses": "IntegrationResponses"},
    refused=True,
)

# https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-apigateway-method-integrationresponse.html
CLOUDFORMATION_INTEGRATION_RESPONSE = KeyTable(
    "an IntegrationResponses entry of an AWS::ApiGateway::Method",
    frozenset({"ContentHandling", "ResponseParameters", "ResponseTemplates", "SelectionPattern", "StatusCode"}),
    refused=True,
)

# ----------------------------------------------------------------------------- AWS CLI (get-method output)
# https://docs.aws.amazon.com/apigateway/latest/api/API_Integration.html
AWSCLI_INTEGRATION = KeyTable(
    "methodIntegration",
    frozenset({
        "cacheKeyParameters", "cacheNamespace", "connectionId", "connectionType", "contentHandling", "credentials",
        "httpMethod", "integrationResponses", "integrationTarget", "passthroughBehavior", "requestParameters",
        "requestTemplates", "responseTransferMode", "timeoutInMillis", "tlsConfig", "type", "uri",
    }),
    aliases={"responses": "integrationResponses"},
)

# https://docs.aws.amazon.com/apigateway/latest/api/API_IntegrationResponse.html
AWSCLI_INTEGRATION_RESPONSE = KeyTable(
    "an integrationResponses entry",
    frozenset({"contentHandling", "responseParameters", "responseTemplates", "selectionPattern", "statusCode"}),
)


class UnknownKeyError(DefinitionError):
    """A key CloudFormation does not allow in an integration object (the linter's VTL503 reports it)."""


class _KeySource(Source):
    """A source placed at the mapping key of its pointer (the key is what is wrong, not its value)."""

    @property
    def line(self) -> int | None:
        pos = self.position
        return (pos.key_line or pos.line) if pos else None

    @property
    def column(self) -> int | None:
        pos = self.position
        if pos is None:
            return None
        return pos.key_column if pos.key_line else pos.column


def unknown_keys(mapping: dict[str, Any], table: KeyTable) -> list[str]:
    """The keys of ``mapping`` that ``table`` does not know (``x-`` extension keys are allowed anywhere)."""
    return [key for key in mapping if isinstance(key, str) and key not in table.known and not key.startswith("x-")]


def check_keys(ctx: "Context", mapping: dict[str, Any], pointer: str, table: KeyTable,
               method: Method | None = None) -> None:
    """Report every key of ``mapping`` (the object at ``pointer``) that ``table`` does not know.

    A key the deployer refuses is a definition problem (raised when strict);
    one it ignores is a warning on ``method`` (without a method, none is recorded).
    """
    for key in unknown_keys(mapping, table):
        where = join_pointer(pointer, key)
        source = _KeySource(ctx.doc.name, where, ctx.doc.positions)
        message = table.message(key)
        if table.refused:
            ctx.report_error(UnknownKeyError(message, file=ctx.doc.name, pointer=where, line=source.line,
                                             column=source.column))
        elif method is not None:
            method.not_emulated.append(NotEmulated(f"{method.http_method} {method.resource_path}: {message}",
                                                   source))
