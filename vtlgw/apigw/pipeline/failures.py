"""Why a run stopped early: one exception type the steps raise and ``invoke`` turns into a response.

Keeping the status, body source and log line together means each step states
its own failure once (docs/integration.md §7) and the orchestration stays a
straight line.
"""

from __future__ import annotations

from vtlgw.vtl.errors import VtlError

__all__ = ["Failure", "BackendError", "CONFIG_PREFIX"]

CONFIG_PREFIX = "Execution failed due to configuration error: "


class Failure(Exception):
    """The pipeline stops here and answers with a gateway response or a fixed body.

    ``response_type`` names the gateway response (§8); ``body`` replaces its
    default template when nothing customises it (or is the whole answer when
    ``response_type`` is None). ``error`` is the underlying template or
    configuration error for the CLI's stderr; it is None for client errors
    (415, 400, 504), which are not the API author's mistakes.
    """

    def __init__(self, log_line: str, *, response_type: str | None = "API_CONFIGURATION_ERROR",
                 status: int | None = None, body: str | None = None, message: str | None = None,
                 error: str | None = None) -> None:
        super().__init__(log_line)
        self.log_line = log_line
        self.response_type = response_type
        self.status = status
        self.body = body
        self.message = message
        self.error = error

    @classmethod
    def config(cls, text: str, error: str | None = None) -> "Failure":
        """A 500 caused by the API definition (logged ``Execution failed due to configuration error: …``)."""
        return cls(CONFIG_PREFIX + text, body='{"message": "Internal server error"}',
                   message="Internal server error", error=error or text)


class BackendError(VtlError):
    """A backend that cannot serve this integration (wrong kind, bad file, missing backend)."""
