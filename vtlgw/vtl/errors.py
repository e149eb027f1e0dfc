"""Errors of the template language.

Every failure a template can cause is a :class:`VtlError`. Errors tied to a
place in a template carry its name, 1-based line and column and the source
line, and render as ``name:line:col: error: message`` plus the line and a caret,
so that a user can act on them without a traceback.
"""

from __future__ import annotations

from vtlgw.vtl.diagnostics import Diagnostic, Location, Severity, format_text


class VtlError(Exception):
    """Base class of every error vtlgw raises for a template or its inputs."""


class JavaException(VtlError):
    """A Java exception thrown by a method or host function during rendering.

    Host code (methods, ``$util``, JSONPath) raises it without knowing where in
    the template it was called from; the runtime re-raises it as a
    :class:`TemplateRuntimeError` at the calling reference.
    """

    def __init__(self, java_class: str, message: str) -> None:
        super().__init__(f"{java_class}: {message}" if message else java_class)
        self.java_class = java_class
        self.message = message


class TemplateError(VtlError):
    """An error at a place in a template."""

    kind = "error"

    def __init__(
        self,
        message: str,
        *,
        name: str = "<template>",
        line: int = 0,
        column: int = 0,
        source_line: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.name = name
        self.line = line
        self.column = column
        self.source_line = source_line

    @property
    def where(self) -> str:
        """``name:line:col`` as text (the head of the message)."""
        return f"{self.name}:{self.line}:{self.column}"

    @property
    def location(self) -> Location:
        """Where the error is, as the project-wide :class:`Location`."""
        return Location(file=self.name, line=self.line, column=self.column, source_line=self.source_line)

    def diagnostic(self) -> Diagnostic:
        """The error as a code-less error :class:`Diagnostic`."""
        return Diagnostic(Severity.ERROR, None, self.message, self.location)

    def __str__(self) -> str:
        return format_text(self.diagnostic(), gutter=False)


class TemplateSyntaxError(TemplateError):
    """The template does not parse (API Gateway answers every request with 500)."""


class TemplateRuntimeError(TemplateError):
    """Rendering failed: a Java method threw, a directive is unsupported, a limit was hit."""


class LimitExceeded(TemplateRuntimeError):
    """A configured engine limit was exceeded; the message names the limit."""


def locate(source: str, offset: int) -> tuple[int, int, str]:
    """Return the 1-based line, column and source line text of ``offset``."""
    offset = max(0, min(offset, len(source)))
    line_start = source.rfind("\n", 0, offset) + 1
    line_no = source.count("\n", 0, offset) + 1
    line_end = source.find("\n", offset)
    if line_end == -1:
        line_end = len(source)
    return line_no, offset - line_start + 1, source[line_start:line_end]
