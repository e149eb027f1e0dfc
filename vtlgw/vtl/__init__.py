"""The Velocity Template Language as API Gateway runs it (Velocity 1.7 + the AWS null model).

This package knows nothing of API Gateway: hosts pass variables in, and the
objects they expose derive from :class:`vtlgw.vtl.values.HostObject`.
"""

from vtlgw.vtl.errors import (
    JavaException,
    LimitExceeded,
    TemplateError,
    TemplateRuntimeError,
    TemplateSyntaxError,
    VtlError,
)
from vtlgw.vtl.runtime import Limits
from vtlgw.vtl.template import Template

__all__ = ["Template", "Limits", "VtlError", "TemplateError", "TemplateSyntaxError",
           "TemplateRuntimeError", "LimitExceeded", "JavaException"]
