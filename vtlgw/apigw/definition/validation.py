"""What the method request stage needs from a definition: request validators, models and API keys.

The loaders (OpenAPI, CloudFormation) fill these in; the stage itself lives in
``vtlgw.apigw.method_request`` (docs/method-request.md). Kept apart from
``model.py`` so that the readers of each format share one way of reading a
validator, a model and its unsupported keywords.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .yamlload import join_pointer

if TYPE_CHECKING:
    from .common import Context
    from .model import Source

__all__ = ["RequestValidator", "Model", "ApiKey", "MODEL_URL", "BUILT_IN_MODELS", "UNSUPPORTED_KEYWORDS",
           "unsupported_keywords", "model_from_schema", "api_key_id", "rewrite_local_refs", "validator_from"]

#: A model's address in ``$ref`` [D:models-mappings-models]; any API id is accepted offline.
MODEL_URL = "https://apigateway.amazonaws.com/restapis/{api}/models/{name}"
_MODEL_URL = re.compile(r"\Ahttps?://apigateway\.amazonaws\.com/restapis/[^/]+/models/([^/#]+)(#.*)?\Z")
_DRAFT4 = "http://json-schema.org/draft-04/schema#"

#: Every REST API has these two models [D:models-mappings-models].
BUILT_IN_MODELS: dict[str, dict[str, Any]] = {
    "Empty": {"$schema": _DRAFT4, "title": "Empty Schema", "type": "object"},
    "Error": {"$schema": _DRAFT4, "title": "Error Schema", "type": "object",
              "properties": {"message": {"type": "string"}}},
}

#: Keywords API Gateway models do not apply: OpenAPI-only ones [D:api-gateway-known-issues] and those of
#: JSON Schema drafts after 4, which a draft 4 validator ignores (the model page: models use draft 4).
UNSUPPORTED_KEYWORDS: dict[str, str] = {
    "discriminator": "an OpenAPI keyword API Gateway does not support",
    "example": "an OpenAPI keyword API Gateway does not support",
    "readOnly": "an OpenAPI keyword API Gateway does not support",
    "writeOnly": "an OpenAPI keyword",
    "nullable": "an OpenAPI 3.0 keyword; in draft 4 write \"type\": [\"string\", \"null\"]",
    "xml": "an OpenAPI keyword",
    "externalDocs": "an OpenAPI keyword",
    "deprecated": "an OpenAPI keyword (draft 2019-09)",
    "const": "draft 6; in draft 4 write \"enum\": [value]",
    "contains": "draft 6",
    "propertyNames": "draft 6",
    "examples": "draft 6",
    "$id": "draft 6; draft 4 spells it \"id\"",
    "$comment": "draft 7",
    "if": "draft 7",
    "then": "draft 7",
    "else": "draft 7",
    "contentEncoding": "draft 7",
    "contentMediaType": "draft 7",
    "$defs": "draft 2019-09; draft 4 uses \"definitions\"",
    "$anchor": "draft 2019-09",
    "dependentRequired": "draft 2019-09; draft 4 uses \"dependencies\"",
    "dependentSchemas": "draft 2019-09; draft 4 uses \"dependencies\"",
    "unevaluatedProperties": "draft 2019-09",
    "unevaluatedItems": "draft 2019-09",
    "prefixItems": "draft 2020-12; draft 4 gives \"items\" a list",
}

#: Keywords whose value is a schema, a list of schemas or a map of schemas: where to look further.
_SCHEMA_VALUED = {"items", "additionalItems", "additionalProperties", "not", "contains", "propertyNames",
                  "if", "then", "else", "unevaluatedProperties", "unevaluatedItems"}
_SCHEMA_LISTS = {"allOf", "anyOf", "oneOf", "items", "prefixItems"}
_SCHEMA_MAPS = {"properties", "patternProperties", "definitions", "$defs", "dependencies", "dependentSchemas"}


@dataclass
class RequestValidator:
    """A named request validator: whether it checks required parameters, the body, or both."""

    name: str
    validate_body: bool = False
    validate_parameters: bool = False
    source: Source | None = field(default=None, compare=False, repr=False)


@dataclass
class Model:
    """A model: a JSON Schema (draft 4) by name, as API Gateway stores it.

    ``schema`` has local OpenAPI references (``#/definitions/Pet``) already
    turned into model addresses, as an import does. ``unsupported`` lists the
    keywords API Gateway would not apply, each as (keyword, JSON pointer in the file).
    """

    name: str
    schema: Any
    content_type: str = "application/json"
    source: Source | None = field(default=None, compare=False, repr=False)
    unsupported: list[tuple[str, str]] = field(default_factory=list, compare=False, repr=False)
    built_in: bool = False

    def note(self, keyword: str, pointer: str) -> str:
        """The warning text for one unsupported keyword of this model."""
        why = UNSUPPORTED_KEYWORDS.get(keyword, "not a JSON Schema draft 4 keyword")
        return (f"model {self.name}: keyword {keyword!r} at {pointer} is not applied by API Gateway ({why}); "
                "request validation ignores it")


@dataclass
class ApiKey:
    """An API key a request may present in ``x-api-key`` (or that an authorizer returns)."""

    value: str
    id: str
    name: str | None = None
    enabled: bool = True
    source: Source | None = field(default=None, compare=False, repr=False)


def api_key_id(value: str) -> str:
    """A stable 10-character id for a key defined without one (API Gateway's ids look like this) (U60)."""
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).digest()
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(alphabet[b % len(alphabet)] for b in digest[:10])


def unsupported_keywords(schema: Any, pointer: str) -> list[tuple[str, str]]:
    """(keyword, pointer) for every keyword of ``schema`` a draft 4 API Gateway model does not apply.

    Only schema positions are walked (``properties`` members, ``items``...), so
    a property that happens to be called ``example`` is not reported.
    """
    found: list[tuple[str, str]] = []
    stack: list[tuple[Any, str]] = [(schema, pointer)]
    while stack:
        node, where = stack.pop()
        if not isinstance(node, dict):
            continue
        for key, value in node.items():
            child = join_pointer(where, key)
            if key in UNSUPPORTED_KEYWORDS:
                found.append((key, child))
            if key in _SCHEMA_MAPS and isinstance(value, dict):
                stack.extend((sub, join_pointer(child, name)) for name, sub in value.items())
            elif key in _SCHEMA_LISTS and isinstance(value, list):
                stack.extend((sub, join_pointer(child, index)) for index, sub in enumerate(value))
            elif key in _SCHEMA_VALUED and isinstance(value, dict):
                stack.append((value, child))
    found.sort(key=lambda item: item[1])
    return found


def rewrite_local_refs(schema: Any, prefixes: tuple[str, ...], models: set[str], api_id: str) -> Any:
    """A copy of ``schema`` whose ``#/definitions/X`` (or ``#/components/schemas/X``) references to
    models of the same document become model addresses, as an OpenAPI import stores them."""
    schema = copy.deepcopy(schema)
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                for prefix in prefixes:
                    name = ref[len(prefix):].replace("~1", "/").replace("~0", "~")
                    if ref.startswith(prefix) and name in models:
                        node["$ref"] = MODEL_URL.format(api=api_id, name=name)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return schema


def model_name_from_url(ref: str) -> str | None:
    """``Pet`` for ``https://apigateway.amazonaws.com/restapis/abc/models/Pet``; None for other addresses."""
    match = _MODEL_URL.match(ref)
    return match.group(1) if match else None


def model_from_schema(ctx: Context, name: str, schema: Any, pointer: str, content_type: str = "application/json",
                      ) -> Model | None:
    """A :class:`Model` from a schema written as an object or as JSON text (CloudFormation allows both)."""
    if isinstance(schema, str):
        try:
            schema = json.loads(schema)
        except ValueError as exc:
            ctx.report(pointer, f"model {name}: the schema is not valid JSON ({exc})")
            return None
    if not isinstance(schema, dict):
        ctx.report(pointer, f"model {name}: a schema is a JSON object, not {type(schema).__name__}")
        return None
    return Model(name, schema, content_type, source=ctx.source(pointer),
                 unsupported=unsupported_keywords(schema, pointer))


def validator_from(ctx: Context, name: str, spec: Any, pointer: str, body_key: str,
                   params_key: str) -> RequestValidator | None:
    """A validator object (``validateRequestBody``/``ValidateRequestBody`` and the parameters flag)."""
    from .common import as_bool, as_mapping

    table = as_mapping(ctx, spec, pointer)
    if table is None:
        return None
    body = as_bool(ctx, table[body_key], join_pointer(pointer, body_key)) if body_key in table else False
    params = as_bool(ctx, table[params_key], join_pointer(pointer, params_key)) if params_key in table else False
    return RequestValidator(name, bool(body), bool(params), source=ctx.source(pointer))
