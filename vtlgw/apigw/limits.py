"""API Gateway's limits on what it receives, and vtlgw's caps on the files it reads.

The template engine's own limits (string, output, list sizes …) are in
:mod:`vtlgw.vtl.limits`; these are about inputs: how large a request, a
definition or a backend file may be before vtlgw refuses to read on, and how
large or deep a definition may be once parsed. Each cap is generous next to
the AWS figure it guards, so that a file API Gateway would accept is never
refused, while ``/dev/zero``, an endless stdin or a YAML alias bomb ends in
one clear error instead of exhausting memory.
"""

from __future__ import annotations

from vtlgw.vtl.limits import MAX_TEMPLATE_BYTES

MiB = 1024 * 1024

#: API Gateway: a method request payload (or an integration response) is at most 10 MB [D:limits].
MAX_PAYLOAD_BYTES = 10 * MiB
#: API Gateway: stage variables per stage, and the characters of a name and of a value
#: [API:CreateStage; D:api-gateway-execution-service-limits-table].
MAX_STAGE_VARIABLES = 100
MAX_STAGE_VARIABLE_NAME_CHARS = 64
MAX_STAGE_VARIABLE_VALUE_CHARS = 512
#: API Gateway ImportRestApi: an API definition file is at most 6 MB (CloudFormation: 1 MB per template).
MAX_AWS_DEFINITION_BYTES = 6 * MiB

#: Bytes of a template file vtlgw reads: the template limit plus a UTF-8 BOM.
MAX_TEMPLATE_FILE_BYTES = MAX_TEMPLATE_BYTES + 3
#: Bytes of a method request file: room for a 10 MB payload base64-encoded and JSON-escaped.
MAX_REQUEST_FILE_BYTES = 64 * MiB
#: Bytes of a backend file (``--lambda-result``, ``--lambda-error``, ``--http-response``, ``--backend``)
#: or of a raw integration response body (``render -i``).
MAX_BACKEND_FILE_BYTES = 64 * MiB
#: Bytes of an API definition file (OpenAPI, CloudFormation, SAM, CDK output).
MAX_DEFINITION_FILE_BYTES = 16 * MiB

#: Values in a parsed definition, YAML aliases expanded (every scalar, list and map counts one).
MAX_DEFINITION_NODES = 1_000_000
#: Values a definition's YAML aliases (``*name``) may add by expansion, all aliases together.
MAX_YAML_ALIAS_NODES = 100_000
#: Nesting of lists and maps in a definition.
MAX_DEFINITION_DEPTH = 128
