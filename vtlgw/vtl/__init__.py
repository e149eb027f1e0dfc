"""The Velocity Template Language as API Gateway runs it (Velocity 1.7 + the AWS null model).

This package knows nothing of API Gateway: hosts pass variables in, and the
objects they expose derive from :class:`vtlgw.vtl.values.HostObject`.
``Template`` and ``Limits`` load on first use, so importing the errors (as
``vtlgw`` and its command line do) stays cheap.
"""

from typing import Any

from vtlgw.vtl.errors import (
    JavaException,
    LimitExceeded,
    TemplateError,
    TemplateRuntimeError,
    TemplateSyntaxError,
    VtlError,
)

__all__ = ["Template", "Limits", "VtlError", "TemplateError", "TemplateSyntaxError",
           "TemplateRuntimeError", "LimitExceeded", "JavaException"]


def __getattr__(name: str) -> Any:
    if name == "Template":
        from vtlgw.vtl.template import Template

        return Template
    if name == "Limits":
        from vtlgw.vtl.limits import Limits

        return Limits
    raise AttributeError(f"module 'vtlgw.vtl' has no attribute {name!r}")
