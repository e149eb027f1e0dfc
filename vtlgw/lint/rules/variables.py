"""Variable rules (VTL1xx): what ``$input``, ``$util``, ``$context`` and friends do not have or do not do.

The facts come from the modules that implement the variables: the ``$util``
functions are :class:`vtlgw.apigw.util.Util`'s, the ``$input`` members
:class:`vtlgw.apigw.input.Input`'s, the ``$context`` keys those
:mod:`vtlgw.apigw.context` builds, and JSONPath arguments are parsed by
:mod:`vtlgw.apigw.jsonpath` itself.
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterator

from vtlgw.lint.registry import get as get_rule
from vtlgw.lint.registry import register
from vtlgw.lint.rule import RuleDoc, TemplateRule
from vtlgw.lint.tree import GATEWAY_ROOTS, LOOP_HELPERS, TreeFacts, cloudformation_placeholder, facts, \
    key_path, literal_text, span
from vtlgw.vtl import nodes as n
from vtlgw.vtl.diagnostics import Diagnostic, Fix, Severity

if TYPE_CHECKING:
    from vtlgw.lint.units import TemplateUnit

# ---------------------------------------------------------------- $context facts

#: Documented keys that exist only when the request supplies them (an authorizer, an API key, WAF, ...).
OPTIONAL_CONTEXT_KEYS = frozenset({"authorizer", "awsEndpointRequestId", "isCanaryRequest", "wafResponseCode",
                                   "webaclArn", "error"})
OPTIONAL_IDENTITY_KEYS = frozenset({"apiKey", "apiKeyId", "clientCert", "vpcId", "vpceId"})
CLIENT_CERT_KEYS = frozenset({"clientCertPem", "subjectDN", "issuerDN", "serialNumber", "validity"})
OVERRIDE_PARTS = {"requestOverride": frozenset({"path", "header", "querystring"}),
                  "responseOverride": frozenset({"header", "status"})}

#: Variables API Gateway documents "for access logging only": always empty in templates.
ACCESS_LOG_ONLY = frozenset({"authorize", "authenticate", "customDomain", "integration", "integrationErrorMessage",
                             "integrationLatency", "integrationStatus", "responseLatency", "responseLength",
                             "status", "waf", "xrayTraceId"})
ACCESS_LOG_ONLY_AUTHORIZER = frozenset({"error", "integrationLatency", "integrationStatus", "latency",
                                        "requestId", "status"})
#: $context.error.* keys that only gateway-response templates see.
GATEWAY_ERROR_KEYS = frozenset({"message", "messageString", "responseType"})
#: AppSync's context fields, which API Gateway does not have.
APPSYNC_CONTEXT_KEYS = frozenset({"arguments", "source", "result"})


@lru_cache(maxsize=1)
def _context_keys() -> tuple[frozenset[str], frozenset[str]]:
    from vtlgw.apigw.context import CONTEXT_KEY_ORDER, IDENTITY_KEY_ORDER

    return (frozenset(CONTEXT_KEY_ORDER) | OPTIONAL_CONTEXT_KEYS,
            frozenset(IDENTITY_KEY_ORDER) | OPTIONAL_IDENTITY_KEYS)


def _suggest(name: str, known, cutoff: float = 0.75) -> str | None:
    """The known name ``name`` probably means: the same but for case, else the closest one."""
    for key in known:
        if key.lower() == name.lower():
            return key
    prefix = max(sorted(known), key=lambda key: _common_prefix(key.lower(), name.lower()), default=None)
    if prefix is not None and _common_prefix(prefix.lower(), name.lower()) >= 4:
        return prefix  # escapeJson -> escapeJavaScript
    match = difflib.get_close_matches(name, sorted(known), n=1, cutoff=cutoff)
    return match[0] if match else None


def _common_prefix(a: str, b: str) -> int:
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    return i


def _context_finding(keys: list[str], kind: str, custom: set[tuple[str, ...]]) -> tuple[str, str] | None:
    """``(rule code, message)`` for a $context key path, or None when it is fine."""
    if not keys or tuple(keys[:1]) in custom or tuple(keys[:2]) in custom:
        return None
    top, identity = _context_keys()
    if keys[-1].endswith("-") and keys[-1].rstrip("-") in (top | identity | OVERRIDE_PARTS.keys()):
        return None  # `$context.stage-$x`: a swallowed hyphen, VTL006's finding
    head = keys[0]
    dotted = "$context." + ".".join(keys)
    if head in APPSYNC_CONTEXT_KEYS:
        return "VTL101", f"{dotted} is AppSync's; API Gateway has no $context.{head} (use $input)"
    if head in ACCESS_LOG_ONLY:
        return "VTL103", f"$context.{head} exists only in access logs; in a template it is always empty"
    if head not in top:
        hint = _suggest(head, top)
        return "VTL105", (f"$context.{head} is not a $context variable"
                          + (f" (did you mean $context.{hint}?)" if hint else "") + "; it renders as empty")
    if len(keys) < 2:
        return None
    sub = keys[1]
    if head == "identity" and sub not in identity:
        hint = _suggest(sub, identity)
        return "VTL105", (f"$context.identity.{sub} is not an identity variable"
                          + (f" (did you mean $context.identity.{hint}?)" if hint else "") + "; it renders as empty")
    if head == "identity" and sub == "clientCert" and len(keys) > 2 and keys[2] not in CLIENT_CERT_KEYS:
        return "VTL105", f"{dotted} is not a client certificate variable; it renders as empty"
    if head in OVERRIDE_PARTS and sub not in OVERRIDE_PARTS[head]:
        known = OVERRIDE_PARTS[head]
        hint = _suggest(sub, known)
        return "VTL105", (f"$context.{head}.{sub} is not an override"
                          + (f" (did you mean $context.{head}.{hint}?)" if hint else "")
                          + f"; {head} has {', '.join(sorted(known))}")
    if head == "authorizer" and sub in ACCESS_LOG_ONLY_AUTHORIZER:
        return "VTL103", f"$context.authorizer.{sub} exists only in access logs; in a template it is always empty"
    if head == "error" and sub in GATEWAY_ERROR_KEYS and kind != "gateway":
        return "VTL104", f"$context.error.{sub} exists only in gateway responses; here it is always empty"
    if head == "error" and sub not in GATEWAY_ERROR_KEYS | {"validationErrorString"}:
        hint = _suggest(sub, GATEWAY_ERROR_KEYS | {"validationErrorString"})
        return "VTL105", (f"$context.error.{sub} is not an error variable"
                          + (f" (did you mean $context.error.{hint}?)" if hint else "") + "; it renders as empty")
    return None


def _custom_context_keys(f: TreeFacts) -> set[tuple[str, ...]]:
    """Keys the template itself puts on $context (#set($context.myKey = …)), which it may then read."""
    custom = f.memo.get("custom_context_keys")
    if custom is not None:
        return custom
    custom = f.memo["custom_context_keys"] = set()
    for node in f.nodes(n.Set):
        if node.target.name == "context":
            keys = key_path(node.target.parts)
            if keys and keys[0] not in OVERRIDE_PARTS:  # a misspelt override part stays a finding
                custom.add(tuple(keys[:1]))
    return custom


def _context_findings(unit: "TemplateUnit", code: str) -> Iterator[Diagnostic]:
    if unit.tree is None:
        return
    f = facts(unit.tree)
    custom = _custom_context_keys(f)
    rule = get_rule(code)
    for ref in f.refs:
        if ref.name != "context":
            continue
        found = _context_finding(key_path(ref.parts), unit.kind, custom)
        if found is not None and found[0] == code:
            start, end = span(ref)
            yield unit.diagnostic(rule, start, end, message=found[1])




# ---------------------------------------------------------------- $util


def _util_functions() -> frozenset[str]:
    from vtlgw.apigw.util import UTIL_FUNCTIONS

    return UTIL_FUNCTIONS


def _util_call_exists(name: str, argc: int) -> bool:
    from vtlgw.apigw.util import Util

    return Util.vtl_method(name, argc) is not None


_APPSYNC_HINTS = {
    "toJson": "use $input.json('$…') for request data",
    "qr": "use #set($ignore = …)", "quiet": "use #set($ignore = …)",
    "isNull": 'compare with "": #if($x == "")', "isNullOrEmpty": 'compare with "": #if($x == "")',
    "isNullOrBlank": 'use #if($x.trim() == "")',
    "defaultIfNull": "use #if/#else", "defaultIfNullOrEmpty": "use #if/#else", "defaultIfNullOrBlank": "use #if/#else",
    "time": "use $context.requestTime or $context.requestTimeEpoch",
    "autoId": "use $context.requestId",
    "error": "map errors with integration responses instead",
    "dynamodb": "write the DynamoDB JSON ({\"S\": …}) yourself",
}


@register
class AppSyncHelperRule(TemplateRule):
    doc = RuleDoc(
        code="VTL101",
        name="appsync-helper",
        severity=Severity.ERROR,
        message="remove the AppSync helper: API Gateway does not have it and it renders as empty",
        what="AppSync-only helpers: $util.toJson, $util.qr, $util.quiet, $util.error, $util.isNull…, "
             "$util.defaultIfNull…, $util.time.*, $util.dynamodb.* and the other AppSync namespaces; "
             "$ctx, $context.arguments, $context.source, $context.result.",
        why="API Gateway's $util has six functions only (escapeJavaScript, parseJson, urlEncode, urlDecode, "
            "base64Encode, base64Decode). Anything else is nullish and prints as empty.",
        example='{"item": $util.toJson($ctx.args.input)}\n',
        fix="{\"item\": $input.json('$.input')}",
    )

    def check(self, unit: "TemplateUnit") -> Iterator[Diagnostic]:
        if unit.tree is None:
            return
        from vtlgw.apigw.util import APPSYNC_HELPERS

        f = facts(unit.tree)
        for ref in f.refs:
            if ref.name == "ctx" and not f.known_root("ctx"):
                start, end = span(ref)
                yield unit.diagnostic(type(self), start, end,
                                      message="$ctx is AppSync's; API Gateway's is $context (and the request is $input)")
            elif ref.name == "util" and ref.parts and isinstance(ref.parts[0], (n.Prop, n.Call)) \
                    and ref.parts[0].name in APPSYNC_HELPERS:
                name = ref.parts[0].name
                hint = _APPSYNC_HINTS.get(name, "API Gateway's $util has escapeJavaScript, parseJson, urlEncode, "
                                                "urlDecode, base64Encode and base64Decode only")
                start, end = span(ref.parts[0])
                yield unit.diagnostic(type(self), ref.pos, end,
                                      message=f"$util.{name} is an AppSync helper, not in API Gateway ({hint})")
        yield from _context_findings(unit, "VTL101")


@register
class UnknownUtilRule(TemplateRule):
    doc = RuleDoc(
        code="VTL102",
        name="unknown-util",
        severity=Severity.ERROR,
        message="use one of $util's six functions: this renders as empty",
        what="A $util member that is not escapeJavaScript, parseJson, urlEncode, urlDecode, base64Encode or "
             "base64Decode ($util.escapeJson), or one of those called without exactly one argument.",
        why="Anything else on $util is nullish: the reference prints as empty and the payload loses data.",
        example='"name": "$util.escapeJson($input.path(\'$.name\'))"\n',
        fix='"name": "$util.escapeJavaScript($input.path(\'$.name\')).replaceAll("\\\\\'","\'")"',
    )

    def check(self, unit: "TemplateUnit") -> Iterator[Diagnostic]:
        if unit.tree is None:
            return
        from vtlgw.apigw.util import APPSYNC_HELPERS

        functions = _util_functions()
        for ref in facts(unit.tree).refs:
            if ref.name != "util" or not ref.parts or not isinstance(ref.parts[0], (n.Prop, n.Call)):
                continue
            part = ref.parts[0]
            name = part.name
            if name in APPSYNC_HELPERS:
                continue  # VTL101
            start, end = span(part)
            if name not in functions:
                hint = _suggest(name, functions, cutoff=0.5)
                yield unit.diagnostic(type(self), ref.pos, end,
                                      message=f"$util.{name} does not exist"
                                              + (f" (did you mean $util.{hint}?)" if hint else "")
                                              + "; it renders as empty")
            elif isinstance(part, n.Prop):
                yield unit.diagnostic(type(self), ref.pos, end,
                                      message=f"$util.{name} is a function: call it, $util.{name}($value)")
            elif not _util_call_exists(name, len(part.args)):
                yield unit.diagnostic(type(self), ref.pos, end,
                                      message=f"$util.{name} takes exactly one argument, not {len(part.args)}; "
                                              "this renders as empty")


@register
class AccessLogVariableRule(TemplateRule):
    doc = RuleDoc(
        code="VTL103",
        name="access-log-variable",
        severity=Severity.WARNING,
        message="remove it: this $context variable exists only in access logs and is empty in templates",
        what="$context variables API Gateway documents for access logging only: integrationLatency, "
             "integration.*, status, responseLatency, responseLength, xrayTraceId, authorizer.latency, "
             "waf.*, customDomain.basePathMatched, authorize.*, authenticate.*.",
        why="They are filled in after the templates run, for the access log; in a mapping template they are "
            "always empty.",
        example='"latency": "$context.integrationLatency"\n',
        fix="Log it with an access log format instead of mapping it.",
    )

    def check(self, unit: "TemplateUnit") -> Iterator[Diagnostic]:
        yield from _context_findings(unit, "VTL103")


@register
class GatewayErrorVariableRule(TemplateRule):
    doc = RuleDoc(
        code="VTL104",
        name="gateway-error-variable",
        severity=Severity.WARNING,
        message="use $context.error.* only in gateway responses: in a mapping template it is empty",
        what="$context.error.message, .messageString or .responseType in an integration request or response "
             "template.",
        why="These variables are set only when API Gateway itself generates the response (a gateway "
            "response); mapping templates always see them empty.",
        example='{"error": "$context.error.message"}\n',
        fix="Read the backend's error from $input (e.g. $input.path('$.errorMessage')), or move the template "
            "to a gateway response.",
    )

    def check(self, unit: "TemplateUnit") -> Iterator[Diagnostic]:
        yield from _context_findings(unit, "VTL104")


@register
class UnknownContextRule(TemplateRule):
    doc = RuleDoc(
        code="VTL105",
        name="unknown-context-variable",
        severity=Severity.WARNING,
        message="use a documented $context variable (names are case-sensitive): this renders as empty",
        what="A $context key API Gateway does not document: a typo such as $context.requestID or "
             "$context.identity.sourceIP, or a name that does not exist ($context.queueUrl).",
        why="$context names are case-sensitive and unknown keys are nullish, so the value silently renders "
            "as empty.",
        example='"ip": "$context.identity.sourceIP"\n',
        fix='"ip": "$context.identity.sourceIp"',
    )

    def check(self, unit: "TemplateUnit") -> Iterator[Diagnostic]:
        yield from _context_findings(unit, "VTL105")


# ---------------------------------------------------------------- JSON strings


def _runs_vtl_json(unit: "TemplateUnit") -> bool:
    """A mapping template whose output is JSON (gateway responses are plain substitution, not VTL)."""
    return unit.kind != "gateway" and unit.json_output

#: $context values API Gateway generates itself: they never hold an apostrophe or a quote.
_GENERATED_CONTEXT = frozenset({"accountId", "apiId", "deploymentId", "domainName", "domainPrefix",
                                "extendedRequestId", "httpMethod", "protocol", "requestId", "requestTime",
                                "requestTimeEpoch", "resourceId", "resourcePath", "stage", "isCanaryRequest",
                                "awsEndpointRequestId", "wafResponseCode", "webaclArn"})
_GENERATED_IDENTITY = frozenset({"sourceIp", "accountId", "apiKeyId", "caller", "user", "userArn", "accessKey",
                                 "cognitoIdentityId", "cognitoIdentityPoolId", "principalOrgId", "vpcId", "vpceId"})
_ESCAPING_UTIL = frozenset({"escapeJavaScript", "urlEncode", "base64Encode"})


def _generated(ref: n.Ref) -> bool:
    """A value that cannot hold ' or \": gateway-generated $context values, stage variables, loop counters."""
    if ref.name == "stageVariables":
        return True  # stage variable values are [A-Za-z0-9-._~:/?#&=,]+
    if ref.name in LOOP_HELPERS:
        return True
    if ref.name == "context":
        keys = key_path(ref.parts)
        if keys[:1] and keys[0] in _GENERATED_CONTEXT:
            return True
        return len(keys) >= 2 and keys[0] == "identity" and keys[1] in _GENERATED_IDENTITY
    return False


def _safe_value(expr: Any, f: TreeFacts, depth: int = 0) -> bool:
    """Whether a value cannot break a JSON string: generated, escaped, a constant without quotes."""
    if depth > 8:
        return False
    if isinstance(expr, n.Literal):
        return not (isinstance(expr.value, str) and ("'" in expr.value or '"' in expr.value or "\\" in expr.value))
    if isinstance(expr, n.BinOp):
        return expr.op != "+" or (_safe_value(expr.left, f, depth + 1) and _safe_value(expr.right, f, depth + 1))
    if isinstance(expr, n.InterpString):
        return all((isinstance(part, n.Text) and not any(c in part.text for c in "'\"\\"))
                   or (isinstance(part, n.Output) and _safe_value(part.ref, f, depth + 1)) for part in expr.body)
    if not isinstance(expr, n.Ref):
        return False
    if _generated(expr):
        return True
    if expr.name == "util":
        return bool(expr.parts) and isinstance(expr.parts[0], n.Call) and expr.parts[0].name in _ESCAPING_UTIL
    if not expr.parts and expr.name in f.bindings:
        return all(_safe_value(v, f, depth + 1) for v in f.bindings[expr.name])
    return False


def _apostrophe_free(expr: Any, f: TreeFacts) -> bool:
    """Whether an escapeJavaScript argument can never contain an apostrophe."""
    if isinstance(expr, n.Literal):
        return "'" not in str(expr.value)
    return isinstance(expr, n.Ref) and _generated(expr)


def _undoes_apostrophe(part: Any) -> bool:
    """``.replaceAll("\\\\'","'")`` or ``.replace("\\'", "'")`` after escapeJavaScript."""
    return isinstance(part, n.Call) and part.name in ("replaceAll", "replace") and bool(part.args) \
        and "'" in (literal_text(part.args[0]) or "")


@register
class EscapeJavaScriptApostropheRule(TemplateRule):
    doc = RuleDoc(
        code="VTL106",
        name="escapejavascript-in-json-string",
        severity=Severity.WARNING,
        message="add .replaceAll(\"\\\\'\",\"'\") after escapeJavaScript: its \\' is not valid JSON",
        what="$util.escapeJavaScript(…) printed inside a JSON string of a JSON template, not followed by "
             ".replaceAll(\"\\\\'\",\"'\").",
        why="escapeJavaScript turns every ' into \\', which JSON parsers reject: any apostrophe in the data "
            "(O'Brien, can't) breaks the payload. The API Gateway documentation prescribes the replaceAll.",
        example='"name": "$util.escapeJavaScript($input.path(\'$.name\'))"\n',
        fix='"name": "$util.escapeJavaScript($input.path(\'$.name\')).replaceAll("\\\\\'","\'")"',
        fixable=True,
    )

    def check(self, unit: "TemplateUnit") -> Iterator[Diagnostic]:
        if unit.tree is None or not _runs_vtl_json(unit):
            return
        f = facts(unit.tree)
        for printed in f.printed:
            ref = printed.output.ref
            if not printed.in_string:
                continue
            if _leaves_apostrophe_escaped(ref, f):
                start, end = span(ref)
                yield unit.diagnostic(type(self), start, end, fix=_replace_all_fix(unit, [ref]))
            elif not ref.parts and f.bindings.get(ref.name) and all(
                    isinstance(v, n.Ref) and _leaves_apostrophe_escaped(v, f) for v in f.bindings[ref.name]):
                # #set($name = $util.escapeJavaScript(...)) then "…$name…"
                start, end = span(ref)
                first = unit.location(f.bindings[ref.name][0].pos)
                yield unit.diagnostic(type(self), start, end,
                                      message=f"${ref.name} holds escapeJavaScript output (set at {first.line}:"
                                              f"{first.column}): add .replaceAll(\"\\\\'\",\"'\") there; "
                                              "its \\' is not valid JSON",
                                      fix=_replace_all_fix(unit, f.bindings[ref.name]))


#: What VTL106's fix appends to the escapeJavaScript call, as the API Gateway documentation writes it.
REPLACE_ALL = ".replaceAll(\"\\\\'\",\"'\")"


def _replace_all_fix(unit: "TemplateUnit", refs: list) -> Fix | None:
    """Insert the replaceAll right after each escapeJavaScript call (None where the file cannot be edited)."""
    edits = []
    for ref in refs:
        end = span(ref.parts[0])[1]
        edit = unit.edit(end, end, REPLACE_ALL)
        if edit is None:
            return None
        edits.append(edit)
    return Fix("append .replaceAll(\"\\\\'\",\"'\") to escapeJavaScript", tuple(edits))


def _leaves_apostrophe_escaped(ref: n.Ref, f: TreeFacts) -> bool:
    """``$util.escapeJavaScript(x)`` without the replaceAll, over a value that may hold an apostrophe."""
    if ref.name != "util" or not ref.parts:
        return False
    call = ref.parts[0]
    if not isinstance(call, n.Call) or call.name != "escapeJavaScript" or len(call.args) != 1:
        return False
    if len(ref.parts) > 1 and _undoes_apostrophe(ref.parts[1]):
        return False
    return not _apostrophe_free(call.args[0], f)


@register
class UnknownInputMemberRule(TemplateRule):
    doc = RuleDoc(
        code="VTL107",
        name="unknown-input-member",
        severity=Severity.WARNING,
        message="use $input.body, $input.json(path), $input.path(path) or $input.params(…): this renders as empty",
        what="An $input member that does not exist ($input.headers, $input.param('x'), $input.query), a "
             "property of the $input.body String ($input.body.name), or a section of $input.params() other "
             "than path, querystring and header.",
        why="Unknown members are nullish, so the reference silently renders as empty.",
        example='"auth": "$input.headers.Authorization"\n',
        fix='"auth": "$input.params(\'Authorization\')"',
    )

    def check(self, unit: "TemplateUnit") -> Iterator[Diagnostic]:
        if unit.tree is None:
            return
        from vtlgw.apigw.input import Input

        probe = Input("")
        for ref in facts(unit.tree).refs:
            if ref.name != "input" or not ref.parts:
                continue
            part = ref.parts[0]
            rest = ref.parts[1:]
            start, end = span(part)
            if isinstance(part, n.Prop):
                if probe.vtl_get(part.name) is None:
                    yield unit.diagnostic(type(self), ref.pos, end, message=self._unknown(part.name, "property"))
                elif rest and isinstance(rest[0], n.Prop):
                    s2, e2 = span(rest[0])
                    yield unit.diagnostic(type(self), ref.pos, e2,
                                          message=f"$input.body is a String: .{rest[0].name} renders as empty "
                                                  f"(use $input.path('$.{rest[0].name}'))")
            elif isinstance(part, n.Call):
                if Input.vtl_method(part.name, len(part.args)) is None:
                    yield unit.diagnostic(type(self), ref.pos, end,
                                          message=self._unknown(part.name, "method", len(part.args)))
                elif part.name == "params" and not part.args and rest:
                    keys = key_path(rest)
                    if keys and keys[0] not in ("path", "querystring", "header"):
                        s2, e2 = span(rest[0])
                        yield unit.diagnostic(type(self), s2, e2,
                                              message=f"$input.params() has path, querystring and header, "
                                                      f"not {keys[0]!r}; this renders as empty")

    @staticmethod
    def _unknown(name: str, what: str, argc: int = 0) -> str:
        known = {"body", "json", "path", "params"}
        if name in known:
            return f"$input.{name} does not take {argc} argument{'s' if argc != 1 else ''}; it renders as empty"
        hint = {"headers": "$input.params('Name') or $input.params().header", "header": "$input.params('Name')",
                "param": "$input.params('name')", "query": "$input.params().querystring",
                "querystring": "$input.params().querystring", "payload": "$input.body",
                "jsonPath": "$input.path(…)"}.get(name) or _suggest(name, known)
        return f"$input has no {what} {name}" + (f" (use {hint})" if hint else "") + "; it renders as empty"


def _jsonpath_error(path: str) -> str | None:
    """The real JSONPath module's complaint about ``path`` (filters included), or None."""
    from vtlgw.apigw.jsonpath import compile_path, evaluate
    from vtlgw.vtl.errors import JavaException

    try:
        compiled = compile_path(path)
        for step in compiled.steps:
            if step.kind in ("filter", "deepfilter"):
                evaluate(f"$[?({step.arg})]", [{}])  # parses the filter the way a render would
    except JavaException as exc:
        return exc.message or str(exc)
    return None


@register
class JsonPathRule(TemplateRule):
    doc = RuleDoc(
        code="VTL108",
        name="invalid-jsonpath",
        severity=Severity.ERROR,
        message="fix the JSONPath: it does not parse in API Gateway's (Jayway) dialect, so the request gets a 500",
        what="A literal JSONPath passed to $input.path(…) or $input.json(…) that does not parse, or that uses a "
             "function other than length().",
        why="The path is parsed when the template runs: an invalid one is a runtime error and API Gateway "
            "answers 500.",
        example="$input.json('$.items[?(@.price < 10]')\n",
        fix="$input.json('$.items[?(@.price < 10)]')",
    )

    def check(self, unit: "TemplateUnit") -> Iterator[Diagnostic]:
        if unit.tree is None:
            return
        for ref in facts(unit.tree).refs:
            if ref.name != "input" or not ref.parts:
                continue
            call = ref.parts[0]
            if isinstance(call, n.Call) and call.name in ("path", "json") and len(call.args) == 1:
                path = literal_text(call.args[0])
                if path is None:
                    continue
                problem = _jsonpath_error(path)
                if problem is not None:
                    start, end = span(call.args[0])
                    yield unit.diagnostic(type(self), start, end, message=f"invalid JSONPath: {problem}")


def _object_value(expr: Any, f: TreeFacts | None = None) -> bool:
    """``$input.path('$')`` or ``$util.parseJson(…)`` itself: a Map that prints Java-style."""
    if not isinstance(expr, n.Ref):
        return False
    if len(expr.parts) == 1 and isinstance(expr.parts[0], n.Call):
        call = expr.parts[0]
        if expr.name == "input" and call.name == "path" and len(call.args) == 1:
            return (literal_text(call.args[0]) or "").strip() == "$"
        if expr.name == "util" and call.name == "parseJson":
            return True
    if f is not None and not expr.parts and expr.name in f.bindings:
        return all(_object_value(v) for v in f.bindings[expr.name])
    return False


@register
class PrintedMapRule(TemplateRule):
    doc = RuleDoc(
        code="VTL109",
        name="printed-map",
        severity=Severity.WARNING,
        message="print $input.json(…) instead: a map from $input.path or $util.parseJson prints as {k=v}, not JSON",
        what="$input.path('$'), $util.parseJson(…), or a variable set to one of them, printed into JSON output "
             "(\"body\": $input.path('$')).",
        why="These return Java maps, which print Java-style ({name=Ann, n=1}): the payload is not JSON.",
        example='{"body": $input.path(\'$\')}\n',
        fix='{"body": $input.json(\'$\')}',
    )

    def check(self, unit: "TemplateUnit") -> Iterator[Diagnostic]:
        if unit.tree is None or not _runs_vtl_json(unit):
            return
        f = facts(unit.tree)
        for printed in f.printed:
            ref = printed.output.ref
            if not printed.in_string and _object_value(ref, f):
                start, end = span(ref)
                yield unit.diagnostic(type(self), start, end)


def _is_input_json(ref: n.Ref) -> bool:
    return ref.name == "input" and len(ref.parts) == 1 and isinstance(ref.parts[0], n.Call) \
        and ref.parts[0].name == "json"


@register
class QuotedInputJsonRule(TemplateRule):
    doc = RuleDoc(
        code="VTL110",
        name="quoted-input-json",
        severity=Severity.WARNING,
        message="remove the quotes around $input.json(…): it already prints JSON text, quotes included",
        what='"$input.json(…)" inside a JSON string.',
        why='$input.json returns JSON text: a string value keeps its quotes ("\\"Ann\\"" becomes ""Ann""), and '
            "an object ends up inside a string. Either way the payload is broken.",
        example='"name": "$input.json(\'$.name\')"\n',
        fix='"name": $input.json(\'$.name\')',
    )

    def check(self, unit: "TemplateUnit") -> Iterator[Diagnostic]:
        if unit.tree is None or not _runs_vtl_json(unit):
            return
        for printed in facts(unit.tree).printed:
            if printed.in_string and _is_input_json(printed.output.ref):
                start, end = span(printed.output.ref)
                yield unit.diagnostic(type(self), start, end)


@register
class UnescapedStringRule(TemplateRule):
    doc = RuleDoc(
        code="VTL111",
        name="unescaped-json-string",
        severity=Severity.INFO,
        message="wrap the value in $util.escapeJavaScript(…).replaceAll(\"\\\\'\",\"'\"): a \" or \\ in it breaks the JSON",
        what='Request or response data interpolated into a JSON string without escaping: "$input.params(\'q\')", '
             '"$item.name".',
        why='A value that contains " or \\ (or a newline) ends the string early or makes an invalid escape; the '
            "backend or client then gets invalid JSON. The documentation recommends $util.escapeJavaScript.",
        example='"q": "$input.params(\'q\')"\n',
        fix='"q": "$util.escapeJavaScript($input.params(\'q\')).replaceAll("\\\\\'","\'")"',
    )

    def check(self, unit: "TemplateUnit") -> Iterator[Diagnostic]:
        if unit.tree is None or not _runs_vtl_json(unit):
            return
        f = facts(unit.tree)
        for printed in f.printed:
            ref = printed.output.ref
            if not printed.in_string or printed.is_key or _is_input_json(ref) or cloudformation_placeholder(unit, ref):
                continue
            if _carries_data(ref, f) and not _safe_value(ref, f):
                start, end = span(ref)
                yield unit.diagnostic(type(self), start, end)


def _carries_data(ref: n.Ref, f: TreeFacts) -> bool:
    """Whether a reference prints request or backend data (which may hold quotes and backslashes)."""
    if ref.name == "context":
        keys = key_path(ref.parts)
        return keys[:1] == ["authorizer"] or keys[:2] == ["identity", "userAgent"]
    if ref.name == "util":
        return bool(ref.parts) and isinstance(ref.parts[0], n.Call) \
            and ref.parts[0].name in ("urlDecode", "base64Decode", "parseJson")
    if ref.name == "input":
        return True
    if ref.name == "stageVariables" or ref.name in LOOP_HELPERS:
        return False
    return ref.name in f.defined  # variables and loop items; undefined names are VTL112's


# ---------------------------------------------------------------- names


def _mapping_hint(ref: n.Ref) -> str:
    keys = key_path(ref.parts)
    if ref.name == "method" and len(keys) >= 3 and keys[0] == "request":
        where, name = keys[1], ".".join(keys[2:])
        if where in ("path", "querystring", "header", "multivalueheader", "multivaluequerystring"):
            return f"mapping-expression syntax; in a template write $input.params('{name}')"
        if where == "body":
            return f"mapping-expression syntax; in a template write $input.path('$.{name}')"
    if ref.name in ("method", "integration"):
        return "mapping-expression syntax, not a template variable; use $input.params(…) or $input.path(…)"
    return ""


_FOREIGN_ROOTS = {
    "esc": "VelocityTools' EscapeTool is not in API Gateway (write the character, or use $util.escapeJavaScript)",
    "date": "VelocityTools' DateTool is not in API Gateway (use $context.requestTime or requestTimeEpoch)",
    "math": "VelocityTools' MathTool is not in API Gateway (use arithmetic: $a + $b)",
    "json": "there is no $json; use $input.json(…) or $util.parseJson(…)",
    "request": "there is no $request; the method request is $input",
    "event": "there is no $event; the method request is $input",
    "body": "there is no $body; use $input.body or $input.path('$')",
    "params": "there is no $params; use $input.params(…)",
    "stage": "there is no $stage; use $context.stage",
}


@register
class UnknownVariableRule(TemplateRule):
    doc = RuleDoc(
        code="VTL112",
        name="unknown-variable",
        severity=Severity.WARNING,
        message="use $input, $context, $util or $stageVariables, or #set the variable first: this renders as empty",
        what="A variable that API Gateway does not provide and the template never sets: mapping-expression "
             "syntax ($method.request.path.id), VelocityTools ($esc.newline, $date), or a typo ($stagevariables). "
             "Names the template #sets, #defines or loops over anywhere are known, and so are $foreach, "
             "$velocityCount and $velocityHasNext.",
        why="An undefined variable is nullish on API Gateway: it prints as empty, with no error.",
        example='{"id": "$method.request.path.id"}\n',
        fix='{"id": "$input.params(\'id\')"}',
    )

    def check(self, unit: "TemplateUnit") -> Iterator[Diagnostic]:
        if unit.tree is None or unit.kind == "gateway":  # plain substitution there (VTL322)
            return
        f = facts(unit.tree)
        for ref in f.refs:
            name = ref.name
            if f.known_root(name) or name in ("null", "ctx") or cloudformation_placeholder(unit, ref):
                continue  # $null is the idiom for "nullish"; $ctx is VTL101; ${Stage} in a !Sub is CloudFormation's
            if "-" in name and f.known_root(name.split("-", 1)[0]):
                continue  # VTL006
            hint = _mapping_hint(ref) or _FOREIGN_ROOTS.get(name)
            if not hint:
                near = _suggest(name, GATEWAY_ROOTS | (f.defined - {name}))
                hint = f"did you mean ${near}?" if near else "it is never set"
            start, end = span(ref)
            yield unit.diagnostic(type(self), start, end,
                                  message=f"${name} is not a variable here ({hint}); it renders as empty")


# ---------------------------------------------------------------- form bodies


@register
class FormValueNotEncodedRule(TemplateRule):
    doc = RuleDoc(
        code="VTL113",
        name="form-value-not-url-encoded",
        severity=Severity.WARNING,
        message="wrap the form value in $util.urlEncode(…): an & = + or space in it breaks the form body",
        what="A value printed into a form-encoded body (Action=SendMessage&MessageBody=$input.body) without "
             "$util.urlEncode, in an AWS-service integration request template or a .vtl file that renders a "
             "form body.",
        why="AWS query APIs (SQS, SNS, …) read the body as application/x-www-form-urlencoded: an unencoded "
            "'&' or '=' splits the value, '+' turns into a space, and '%' sequences are decoded.",
        example="Action=SendMessage&MessageBody=$input.body\n",
        fix="Action=SendMessage&MessageBody=$util.urlEncode($input.body)",
        fixable=True,
    )

    def check(self, unit: "TemplateUnit") -> Iterator[Diagnostic]:
        if unit.tree is None or unit.kind != "request" or not unit.renders_form_body:
            return
        integration = unit.integration
        if integration is not None and str(integration.type).upper() != "AWS":
            return
        f = facts(unit.tree)
        for printed in f.printed:
            ref = printed.output.ref
            if not printed.form_value or self._encoded(ref, f) or cloudformation_placeholder(unit, ref):
                continue
            start, end = span(ref)
            wrapped = f"$util.urlEncode({_plain_source(ref)})"
            edit = unit.edit(start, end, wrapped)
            yield unit.diagnostic(type(self), start, end,
                                  message=f"form value {ref.source} is not URL-encoded: write {wrapped}",
                                  fix=Fix(f"wrap {ref.source} in $util.urlEncode", (edit,)) if edit else None)

    @classmethod
    def _encoded(cls, expr: Any, f: TreeFacts, depth: int = 0) -> bool:
        if isinstance(expr, n.Literal):
            return not any(c in str(expr.value) for c in "&=+% #")
        if not isinstance(expr, n.Ref) or depth > 8:
            return False
        if expr.name in LOOP_HELPERS:
            return True
        if expr.name == "context":
            keys = key_path(expr.parts)
            return tuple(keys) in _FORM_SAFE_CONTEXT and len(keys) == len(expr.parts)
        if expr.name == "util":
            return bool(expr.parts) and isinstance(expr.parts[0], n.Call) and expr.parts[0].name == "urlEncode"
        if not expr.parts and expr.name in f.bindings:
            return all(cls._encoded(v, f, depth + 1) for v in f.bindings[expr.name])
        return False


#: $context values made only of letters, digits, '-', '.' and ':' (nothing a form decoder changes).
_FORM_SAFE_CONTEXT = frozenset({("requestId",), ("apiId",), ("accountId",), ("stage",), ("httpMethod",),
                                ("resourceId",), ("deploymentId",), ("requestTimeEpoch",),
                                ("identity", "sourceIp")})


def _plain_source(ref: n.Ref) -> str:
    """``$!{x.y}`` written as ``$x.y``, the form an argument takes."""
    text = ref.source
    if text.startswith("$!"):
        text = "$" + text[2:]
    if text.startswith("${") and text.endswith("}"):
        text = "$" + text[2:-1]
    return text


# ---------------------------------------------------------------- XML


@register
class XmlDeclarationRule(TemplateRule):
    doc = RuleDoc(
        code="VTL114",
        name="xml-declaration-not-first",
        severity=Severity.WARNING,
        message="move <?xml … ?> to the very start of the output: nothing, not even a newline, may precede it",
        what="An XML declaration that is not at offset 0 of the rendered output: indentation or a line break "
             "before it in the template, or anything printed before it.",
        why="XML allows the declaration only as the first thing in the document; parsers reject the payload "
            "otherwise ('XML declaration allowed only at the start').",
        example='#set($id = $input.params(\'id\'))\n  <?xml version="1.0"?>\n<order id="$id"/>\n',
        fix="Start the line with <?xml, and put #set lines before it (a directive line leaves no text).",
    )

    def check(self, unit: "TemplateUnit") -> Iterator[Diagnostic]:
        if unit.tree is None:
            return
        f = facts(unit.tree)
        where = f.static_output.find("<?xml")
        if where <= 0:
            return
        for node in f.nodes(n.Text):
            if "<?xml" in node.text and f.is_printed(node):
                start = unit.text.find("<?xml", node.pos)
                if start < 0:
                    return
                before = f.static_output[:where]
                what = "whitespace" if not before.strip() else "output"
                yield unit.diagnostic(type(self), start, start + 5,
                                      message=f"the XML declaration comes after {what} ({len(before)} "
                                              f"character{'s' if len(before) != 1 else ''}); it must be first")
                return


# ---------------------------------------------------------------- output kind


def _is_xml_media_type(media_type: str | None) -> bool:
    base = (media_type or "").split(";", 1)[0].strip().lower()
    return base in ("application/xml", "text/xml") or base.endswith("+xml")


def _declared_output_type(unit: "TemplateUnit") -> str | None:
    """The media type the output is sent as, when the definition says so.

    A response template's key is what the client asked for; a request template's key is the
    client's content type, not the output's, so only an integration Content-Type mapped to a
    constant declares a request template's output.
    """
    if unit.kind in ("response", "gateway"):
        return unit.media_type
    if unit.integration is None:
        return None
    for target, value in unit.integration.request_parameters.items():
        value = value.strip()
        if target.lower() == "integration.request.header.content-type" and len(value) >= 2 \
                and value[0] == value[-1] == "'":
            return value[1:-1].strip().lower()
    return None


def _output_looks_like(static_output: str) -> str | None:
    head = static_output.lstrip(" \t\r\n")
    if head.startswith(("{", "[")):
        return "JSON"
    if head.startswith("<"):
        return "XML"
    return None


@register
class OutputKindMismatchRule(TemplateRule):
    doc = RuleDoc(
        code="VTL115",
        name="output-kind-mismatch",
        severity=Severity.WARNING,
        message="make the output match its media type: this template renders JSON under an XML type (or the reverse)",
        what="A template whose output starts as JSON ({ or [) while its media type is XML (application/xml, "
             "text/xml, *+xml), or starts with < while its media type is JSON. The media type is the key of a "
             "response template, or the Content-Type an integration maps to a constant for a request template.",
        why="The client (or the backend) is told one format and receives another; a copied template under the "
            "wrong key is the usual cause.",
        example='responseTemplates:\n  application/xml: \'{"id": "$input.path(\'$.id\')"}\'\n',
        fix="Key the template by the type it renders (application/json), or render that type.",
    )

    def check(self, unit: "TemplateUnit") -> Iterator[Diagnostic]:
        if unit.tree is None:
            return
        declared = _declared_output_type(unit)
        if declared is None:
            return
        from vtlgw.lint.units import is_json_media_type

        f = facts(unit.tree)
        looks = _output_looks_like(f.static_output)
        expected = "JSON" if is_json_media_type(declared) else "XML" if _is_xml_media_type(declared) else None
        if looks is None or expected is None or looks == expected:
            return
        first = next((node for node in f.nodes(n.Text) if f.is_printed(node) and node.text.strip()), None)
        if first is None:
            return
        start = first.pos + len(first.text) - len(first.text.lstrip(" \t\r\n"))
        yield unit.diagnostic(type(self), start, start + 1,
                              message=f"this template renders {looks} but its media type is {declared}: key it "
                                      f"by the type it renders, or render {expected}")
