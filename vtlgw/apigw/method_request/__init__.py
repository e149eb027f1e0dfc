"""The method request stage: what API Gateway checks before the integration request (docs/method-request.md).

One entry point, :func:`run_method_request`, which the pipeline calls after
logging the method request and before choosing a template or building a
proxy event. It runs each step of :data:`STEPS` in API Gateway's order on one
:class:`StageState`; a step that refuses the request raises
:class:`StageRejected`, which the pipeline answers with that gateway response.
A step that accepts the request may add to ``$context`` (``identity.apiKey``)
before any template or event reads it.

The authorizer runs first: the API key step reads ``state.usage_identifier_key``
when the API takes its keys from the authorizer.
"""

from __future__ import annotations

from typing import Callable

from . import api_key, authorizer, body, parameters
from .state import AuthorizerReply, StageRejected, StageState

__all__ = ["run_method_request", "run_http_api_stage", "StageState", "StageRejected", "AuthorizerReply", "STEPS"]

#: The checks in API Gateway's order: the authorizer, the caller's key, required parameters, the body.
STEPS: tuple[Callable[[StageState], None], ...] = (
    authorizer.check,
    api_key.check,
    parameters.check,
    body.check,
)


def run_method_request(state: StageState) -> None:
    """Run every step on ``state``; raises :class:`StageRejected` at the first that refuses the request."""
    if state.method is None:
        return
    for step in STEPS:
        step(state)


def run_http_api_stage(state: StageState) -> None:
    """An HTTP API route's stage: its authorizer alone (HTTP APIs have no API keys or request validation)."""
    if state.method is not None:
        authorizer.check(state)
