"""Which mapping template runs: request templates by Content-Type, response ones by Accept.

Request side (docs/integration.md §3.1–3.2): exact MIME-type match only (U23), no
Content-Type means ``application/json``, and ``passthroughBehavior`` decides
between passing through and a 415. Response side (§6): the first Accept type,
else ``application/json``, else the first template in definition order (U22).
"""

from __future__ import annotations

from dataclasses import dataclass

from vtlgw.apigw.definition.model import MappingTemplate
from vtlgw.apigw.http.media import DEFAULT_TYPE, first_accept, mime_type

__all__ = ["RequestTemplateChoice", "choose_request_template", "choose_response_template"]

def _find(templates: list[MappingTemplate], key: str) -> MappingTemplate | None:
    """The template whose key is exactly ``key``; ``$default``, wildcard and parameterised keys never match (U23)."""
    for template in templates:
        candidate = template.content_type.strip().lower()
        if candidate == key and not candidate.startswith("$") and "*" not in candidate and ";" not in candidate:
            return template
    return None


@dataclass
class RequestTemplateChoice:
    """The outcome of §3.1–3.2: a template to render, a passthrough, or a 415.

    ``template`` is the matched entry (its text may be None: a ``""`` template,
    which means passthrough); ``key`` is the MIME type used for matching.
    """

    key: str
    template: MappingTemplate | None
    passthrough: bool
    reject: bool

    @property
    def text(self) -> str | None:
        """The template text to render, or None when nothing is rendered."""
        if self.template is None or self.reject:
            return None
        return self.template.template or None


def choose_request_template(templates: list[MappingTemplate], content_type: str | None,
                            behavior: str) -> RequestTemplateChoice:
    """Apply the passthroughBehavior table (§3.2) to the request's Content-Type."""
    key = mime_type(content_type) or DEFAULT_TYPE
    match = _find(templates, key)
    if match is not None:
        return RequestTemplateChoice(key, match, passthrough=not match.template, reject=False)
    behavior = (behavior or "WHEN_NO_MATCH").upper()
    if behavior == "NEVER" or (behavior == "WHEN_NO_TEMPLATES" and templates):
        return RequestTemplateChoice(key, None, passthrough=False, reject=True)
    return RequestTemplateChoice(key, None, passthrough=True, reject=False)


def choose_response_template(templates: list[MappingTemplate], accept: str | None) -> MappingTemplate | None:
    """The response template for an Accept header (§6), or None when there are none."""
    if not templates:
        return None
    key = first_accept(accept) or DEFAULT_TYPE
    return _find(templates, key) or _find(templates, DEFAULT_TYPE) or templates[0]
