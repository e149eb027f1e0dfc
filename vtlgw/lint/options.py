"""The choices the command line and the configuration share, declared once (and cheap to import)."""

FORMATS = ("text", "json", "sarif", "github")
FAIL_LEVELS = ("error", "warning", "info", "never")
KINDS = ("request", "response", "gateway")

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
