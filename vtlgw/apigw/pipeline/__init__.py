"""The custom-integration pipeline: a method request in, the method response and the execution log out.

``invoke(definition, request, backend=...)`` runs one request through a MOCK,
Lambda custom, AWS service or HTTP integration as API Gateway does
(docs/integration.md). Backends are recorded files (:func:`backend_from_file`) or
Python callables (:class:`LambdaHandler`, :class:`HttpHandler`).
"""

from .backends import (
    Backend,
    BackendCall,
    BackendFileError,
    BackendResponse,
    HttpHandler,
    HttpResponse,
    LambdaContext,
    LambdaError,
    LambdaHandler,
    LambdaPayload,
    LambdaResult,
    MockBackend,
    Timeout,
    backend_from_dict,
    backend_from_file,
)
from .endpoint import IntegrationRequest
from .failures import BackendError
from .invoke import MAX_BODY_BYTES, InvokeResult, invoke
from .output import format_text, to_json

__all__ = [
    "invoke",
    "InvokeResult",
    "IntegrationRequest",
    "format_text",
    "to_json",
    "Backend",
    "BackendCall",
    "BackendResponse",
    "BackendError",
    "BackendFileError",
    "MockBackend",
    "LambdaResult",
    "LambdaPayload",
    "LambdaError",
    "LambdaHandler",
    "LambdaContext",
    "HttpResponse",
    "HttpHandler",
    "Timeout",
    "backend_from_file",
    "backend_from_dict",
    "MAX_BODY_BYTES",
]
