"""vtlgw: API Gateway REST mapping templates and custom integrations, offline, byte for byte."""

from __future__ import annotations

from typing import Any

from vtlgw.vtl.errors import VtlError

__all__ = ["render", "VtlError", "__version__"]
__version__ = "0.1.0"


def render(template: str, request: Any = None, **options: Any) -> str:
    """Render a mapping template as API Gateway would, for a method request."""
    from vtlgw.vtl import Template

    return Template.cached(template).render({})
