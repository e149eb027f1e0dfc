"""Template language rules (VTL0xx): what Velocity 1.7 on API Gateway parses or runs differently than written.

Each rule reads the parse tree through :mod:`vtlgw.lint.tree`; the
method allow-list is the engine's own (:mod:`vtlgw.vtl.methods`), so a finding
never disagrees with what a render does.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Iterator

from vtlgw.lint.registry import register
from vtlgw.lint.rule import RuleDoc, TemplateRule
from vtlgw.lint.tree import LOOP_HELPERS, exclusive, facts, key_path, literal_text, span, verbatim_directives
from vtlgw.vtl import nodes as n
from vtlgw.vtl.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from vtlgw.lint.units import TemplateUnit

_DIRECTIVES = ("set", "if", "elseif", "else", "end", "foreach", "define", "break", "stop")


def _oversized(text: str) -> bool:
    from vtlgw.vtl.runtime import DEFAULT_LIMITS

    return len(text.encode("utf-8", "surrogatepass")) > DEFAULT_LIMITS.max_template_bytes


def _sites(unit: "TemplateUnit"):
    """Verbatim directives of a template that parses, skipping ones written after a backslash."""
    if unit.tree is None:
        return []
    memo = facts(unit.tree).memo
    if "sites" not in memo:
        memo["sites"] = [s for s in verbatim_directives(unit.text, unit.name)
                         if not (s.start > 0 and unit.text[s.start - 1] == "\\")]
    return memo["sites"]


def _macro_names(sites) -> set[str]:
    names = set()
    for site in sites:
        if site.word == "macro" and site.args.strip():
            names.add(site.args.split()[0].strip(",").lstrip("$"))
    return names


_CFN_PLACEHOLDER = re.compile(r"\$\{[A-Za-z0-9]+::[A-Za-z0-9]+\}")  # ${AWS::Region}: not VTL


@register
class SyntaxErrorRule(TemplateRule):
    doc = RuleDoc(
        code="VTL001",
        name="syntax-error",
        severity=Severity.ERROR,
        message="fix the syntax error: API Gateway answers every request with 500",
        what="A template that Velocity 1.7 cannot parse: an unclosed #if or #foreach (reported at the "
             "opener), a stray #end, #elseif after #else, a '$' at the very end, \"\\\"x\\\"\", -$x, "
             "\"lit\".method(), ${a|b}, #set($x = null), $name[abc].",
        why="API Gateway does not check templates when you deploy; the template fails at run time and "
            "every request through it gets a 500.",
        example='#if($input.params(\'id\') != "")\n{"id": "$input.params(\'id\')"}\n',
        fix="Correct what the message names; for an unclosed block, add the missing #end.",
    )

    def check(self, unit: "TemplateUnit") -> Iterator[Diagnostic]:
        err = unit.syntax_error
        if err is None or _oversized(unit.text):
            return
        start = unit.offset_of(err.line, err.column)
        message = unit.in_file(err.message)
        for m in _CFN_PLACEHOLDER.finditer(unit.text):
            if m.start() <= start < m.end():
                if unit.mapping is not None and unit.mapping.symbolic:
                    return  # written with !Sub: CloudFormation replaces it before API Gateway parses
                message += (f" ({m.group()} is a CloudFormation placeholder: it is replaced only inside "
                            "Fn::Sub, so API Gateway gets the text as written)")
                break
        yield unit.diagnostic(type(self), start, min(start + 1, len(unit.text)), message=message)


@register
class MacroRule(TemplateRule):
    doc = RuleDoc(
        code="VTL002",
        name="macro",
        severity=Severity.ERROR,
        message="remove the #macro: API Gateway ignores definitions and prints calls as text; use #define or #set",
        what="A #macro definition, or a call of a macro (#name(…) naming a macro, #@name(…)…#end).",
        why="API Gateway disables macros: a definition prints nothing and defines nothing, and a call is "
            "printed verbatim into the payload.",
        example="#macro(field $k $v)\"$k\": \"$v\"#end\n{#field('id' $input.params('id'))}\n",
        fix="Write the text out, or store it with #define($block)…#end and print $block.",
    )

    def check(self, unit: "TemplateUnit") -> Iterator[Diagnostic]:
        sites = _sites(unit)
        macros = _macro_names(sites)
        for site in sites:
            if site.word == "macro":
                yield unit.diagnostic(type(self), site.start, site.end,
                                      message="#macro is disabled on API Gateway: this defines nothing")
            elif site.word.startswith("@") or site.word in macros:
                name = site.word.lstrip("@")
                yield unit.diagnostic(type(self), site.start, site.end,
                                      message=f"macro call #{site.word} is printed verbatim: macros are "
                                              f"disabled on API Gateway (inline what {name} should produce)")


@register
class EvaluateRule(TemplateRule):
    doc = RuleDoc(
        code="VTL003",
        name="evaluate",
        severity=Severity.ERROR,
        message="remove #evaluate: API Gateway prints it as literal text",
        what="An #evaluate(…) directive.",
        why="#evaluate is not a directive on API Gateway: the whole call, arguments unevaluated, is "
            "printed into the payload.",
        example='#evaluate("#set($x = 1)")\n',
        fix="Write the VTL directly in the template instead of evaluating a string.",
    )

    def check(self, unit: "TemplateUnit") -> Iterator[Diagnostic]:
        for site in _sites(unit):
            if site.word == "evaluate":
                yield unit.diagnostic(type(self), site.start, site.end)


@register
class IncludeRule(TemplateRule):
    doc = RuleDoc(
        code="VTL004",
        name="include-parse",
        severity=Severity.ERROR,
        message="remove #include/#parse: templates cannot load other files on API Gateway",
        what="An #include(…) or #parse(…) directive.",
        why="API Gateway templates have no file access: the directive fails at run time and the request "
            "gets a 500.",
        example='#parse("common.vtl")\n',
        fix="Copy the shared text into this template (or generate the templates when you build).",
    )

    def check(self, unit: "TemplateUnit") -> Iterator[Diagnostic]:
        if unit.tree is None:
            return
        for node in facts(unit.tree).nodes(n.Unsupported):
            start, end = span(node)
            yield unit.diagnostic(type(self), start, end,
                                  message=f"#{node.directive} fails on API Gateway (templates cannot "
                                          "load other files): inline the text")


# Names that look like directives of other template languages or Velocity versions.
_FOREIGN_DIRECTIVES = {
    "return": "Velocity 1.7 has no #return; use #stop to end the output",
    "elif": "write #elseif", "elsif": "write #elseif", "elseIf": "write #elseif",
    "endif": "write #end", "endforeach": "write #end", "endfor": "write #end", "fi": "write #end",
    "for": "write #foreach($x in $list)", "each": "write #foreach($x in $list)",
    "while": "Velocity has no #while; use #foreach over a range",
    "import": "templates cannot load other files",
}


def _edits(a: str, b: str) -> int:
    """Edit distance counting a swap of neighbours as one edit (esle -> else)."""
    d = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


def _near_directive(word: str, called: bool = False) -> str | None:
    """The directive ``word`` is likely a misspelling of: one edit off, same first letter."""
    if len(word) < (3 if called else 4):
        return None  # '#top', '#fff': too short to tell from text
    low = word.lower()
    for directive in _DIRECTIVES:
        if directive[0] == low[0] and _edits(low, directive) <= 1:
            return directive
    return None


@register
class UnknownDirectiveRule(TemplateRule):
    doc = RuleDoc(
        code="VTL005",
        name="unknown-directive",
        severity=Severity.WARNING,
        message="fix or escape the directive: an unknown #name(…) is printed verbatim into the payload",
        what="A directive Velocity 1.7 does not know: #name(…) with arguments, a misspelt directive "
             "(#esle, #foreah), or one from another language (#return, #elif, #endif).",
        why="Unknown directives are not errors: they are printed as text, arguments and all, so the "
            "payload silently gains template source.",
        example='#if($x)a#esle b#end\n',
        fix="Spell the directive correctly, or write \\# (or ${'#'}) when a literal '#' is meant.",
    )

    def check(self, unit: "TemplateUnit") -> Iterator[Diagnostic]:
        sites = _sites(unit)
        macros = _macro_names(sites)
        for site in sites:
            word = site.word
            if word in ("macro", "evaluate") or word.startswith("@") or word in macros:
                continue
            near = _near_directive(word, site.has_args)
            if word in _FOREIGN_DIRECTIVES:
                hint = _FOREIGN_DIRECTIVES[word]
            elif near is not None:
                hint = f"did you mean #{near}?"
            elif site.has_args:
                hint = "Velocity has no such directive"
            else:
                continue  # '#word' in text (a CSS colour, an anchor) is just text
            yield unit.diagnostic(type(self), site.start, site.end,
                                  message=f"unknown directive #{word} is printed verbatim ({hint})")


_OVERRIDE_HEADERS = ("requestOverride", "responseOverride")


@register
class HyphenRule(TemplateRule):
    doc = RuleDoc(
        code="VTL006",
        name="hyphen-in-reference",
        severity=Severity.WARNING,
        message="write ${name}- : Velocity 1.7 reads the hyphen as part of the variable name",
        what="A reference whose name swallows a hyphen: $stage-$name is $stage- followed by $name, "
             "$id-suffix is one name. Reported when that name is never set but the part before the hyphen is.",
        why="In Velocity 1.7 an identifier may contain '-', so the reference names an undefined variable "
            "and renders as empty: the text before the hyphen is lost.",
        example='"key": "$stage-$input.params(\'id\')"\n',
        fix="Use the formal form to end the name: ${stage}-$input.params('id').",
    )

    def check(self, unit: "TemplateUnit") -> Iterator[Diagnostic]:
        if unit.tree is None:
            return
        f = facts(unit.tree)
        for ref in f.refs:
            name = ref.name
            if "-" in name and not f.known_root(name):
                prefix = name.split("-", 1)[0]
                if prefix and f.known_root(prefix):
                    start = ref.pos
                    yield unit.diagnostic(type(self), start, span(ref)[1],
                                          message=f"${name} is read as one name (never set); "
                                                  f"write ${{{prefix}}}-{name.split('-', 1)[1]}")
            elif ref.parts and isinstance(ref.parts[-1], n.Prop) and ref.parts[-1].name.endswith("-") \
                    and not ref.source.endswith("}") and not _override_header(ref):
                # `$context.stage-$x`: no key ends in '-', the hyphen was meant as text
                member = ref.parts[-1].name
                head = ref.source[:len(ref.source) - 1]
                yield unit.diagnostic(type(self), ref.pos, span(ref)[1],
                                      message=f".{member} is read as one name ending in '-'; write "
                                              f"${{{head[1:].lstrip('!')}}}-")
            elif name == "stageVariables":
                # stage variable names are [A-Za-z0-9_]+, so a hyphen always ends the name
                keys = key_path(ref.parts)
                if keys and "-" in keys[0] and isinstance(ref.parts[0], n.Prop):
                    head, tail = keys[0].split("-", 1)
                    yield unit.diagnostic(type(self), ref.pos, span(ref)[1],
                                          message=f"stage variable names cannot contain '-': write "
                                                  f"${{stageVariables.{head}}}-{tail}")


def _override_header(ref: n.Ref) -> bool:
    """``$context.requestOverride.header.X-…`` / ``responseOverride.header``: header names keep their hyphens."""
    keys = key_path(ref.parts)
    return ref.name == "context" and keys[:1] in (["requestOverride"], ["responseOverride"]) and "header" in keys[1:2]


@lru_cache(maxsize=1)
def _allowed_methods() -> frozenset[str]:
    from vtlgw.vtl.methods import TABLES_BY_TYPE

    return frozenset(name for table in TABLES_BY_TYPE.values() for name in table)


def _foreach_method(name: str) -> bool:
    from vtlgw.vtl.runtime import ForeachState

    return ForeachState(2, None).vtl_call(name, []) is not None


_METHOD_HINTS = {
    "count": "use size()",
    "upper": "use toUpperCase()", "lower": "use toLowerCase()", "strip": "use trim()",
    "stripLeading": "use trim()", "stripTrailing": "use trim()", "isBlank": "use trim().isEmpty()",
    "repeat": "not in Java 8", "lines": "use split(\"\\n\")",
    "append": "use add(…)", "push": "use add(…)", "pop": "use remove(size - 1)", "extend": "use addAll(…)",
    "items": "use entrySet()", "keys": "use keySet()", "join": "build the text in #foreach",
    "getClass": "reflection is not available", "class": "reflection is not available",
    "format": "build the text with concatenation", "stop": "use #break to leave a loop",
    "toJson": "use $input.json(…)",
}


@register
class UnknownMethodRule(TemplateRule):
    doc = RuleDoc(
        code="VTL007",
        name="unknown-method",
        severity=Severity.WARNING,
        message="use a Java 8 method on the allow-list: this call renders as empty",
        what="A method call that is not a Java method of the value: Python names (upper, append, items), "
             "reflection (getClass), $foreach.stop(), Java 11+ methods (isBlank, strip), count() on a list.",
        why="A call to a method that does not exist is nullish: the whole reference prints as empty, and "
            "no error tells you so.",
        example="#set($n = $input.path('$.items').count())\n",
        fix="Use the Java method (size(), toUpperCase(), trim(), add(), entrySet(), #break).",
    )

    def check(self, unit: "TemplateUnit") -> Iterator[Diagnostic]:
        if unit.tree is None:
            return
        allowed = _allowed_methods()
        for ref in facts(unit.tree).refs:
            for i, part in enumerate(ref.parts):
                if not isinstance(part, n.Call):
                    continue
                if i == 0 and ref.name in ("util", "input"):
                    continue  # $util.x(…) and $input.x(…): the variable rules judge those
                if ref.name == "foreach" and all(isinstance(p, n.Prop) and p.name == "parent"
                                                 for p in ref.parts[:i]):
                    if _foreach_method(part.name):
                        continue
                elif part.name in allowed:
                    continue
                hint = _METHOD_HINTS.get(part.name, "no Java method of that name")
                start, end = span(part)
                yield unit.diagnostic(type(self), start, end,
                                      message=f"{part.name}() is not an allowed method ({hint}); it renders as empty")


_VALUE_RETURNING = frozenset({"add", "addAll", "put", "putIfAbsent", "remove", "set"})


@register
class BareMutatorRule(TemplateRule):
    doc = RuleDoc(
        code="VTL008",
        name="printed-mutator",
        severity=Severity.WARNING,
        message="wrap the call in #set($ignore = …): it prints its return value into the payload",
        what="A value-returning method used as a statement: $list.add(1), $map.put('k', $v), "
             "$list.remove(0) outside #set or #if.",
        why="A reference statement prints what it evaluates to: add() prints true, put() and set() print "
            "the previous value, remove() the removed element.",
        example="#set($ids = [])\n#foreach($i in $input.path('$.items'))$ids.add($i.id)#end\n",
        fix="#set($ignore = $ids.add($i.id))",
    )

    def check(self, unit: "TemplateUnit") -> Iterator[Diagnostic]:
        if unit.tree is None:
            return
        for printed in facts(unit.tree).printed:
            ref = printed.output.ref
            if not ref.parts or ref.name in ("util", "input"):
                continue
            last = ref.parts[-1]
            if isinstance(last, n.Call) and last.name in _VALUE_RETURNING:
                keys = key_path(ref.parts)
                if ref.name == "context" and keys[:1] and keys[0] in _OVERRIDE_HEADERS and last.name == "put":
                    continue  # the documented override form; a repeated key is VTL011's business
                start, end = span(ref)
                yield unit.diagnostic(type(self), start, end,
                                      message=f"{last.name}() prints its result here: write "
                                              f"#set($ignore = {ref.source})")


def _only_literal(expr: n.Node) -> bool:
    while isinstance(expr, n.Paren):
        expr = expr.inner
    if isinstance(expr, n.Literal):
        return not isinstance(expr.value, bool)
    return isinstance(expr, (n.InterpString, n.ListLit, n.MapLit, n.Range))


def _conditions(tree: list) -> Iterator[n.Node]:
    for node in facts(tree).nodes(n.If):
        for cond, _ in node.branches:
            yield cond


@register
class LiteralConditionRule(TemplateRule):
    doc = RuleDoc(
        code="VTL009",
        name="literal-condition",
        severity=Severity.WARNING,
        message='test the reference itself: a condition that is only a literal is always false',
        what='An #if or #elseif whose whole condition is a literal: #if("$x"), #if("true"), #if(1), #if([]).',
        why="Velocity 1.7 evaluates a condition made only of a literal as false, whatever it contains "
            '(a string literal with a reference inside included).',
        example='#if("$input.params(\'debug\')")"debug": true,#end\n',
        fix="#if($input.params('debug') != \"\") … or #if($flag == \"true\")",
    )

    def check(self, unit: "TemplateUnit") -> Iterator[Diagnostic]:
        if unit.tree is None:
            return
        for cond in _conditions(unit.tree):
            if _only_literal(cond):
                start, end = span(cond)
                yield unit.diagnostic(type(self), start, end)


_BOOLEAN_PROPS = frozenset({"empty", "hasNext", "first", "last"})


def _presence_tests(expr: n.Node, negated: bool = False) -> Iterator[tuple[n.Ref, bool]]:
    """References used as truth values (operands of &&, ||, !, or the whole condition), and whether negated.

    A test the rest of its chain makes harmless is left out: in ``$x && $x != ""`` or
    ``$x && $x.size() > 0`` (and ``!$x || $x == ""``) the comparison decides when the value is missing.
    """
    while isinstance(expr, n.Paren):
        expr = expr.inner
    if isinstance(expr, n.BinOp) and expr.op in ("&&", "||"):
        compared = _compared_refs(expr)
        for side in (expr.left, expr.right):
            for ref, ref_negated in _presence_tests(side, negated):
                inside_not = ref_negated != negated  # a ! between this chain and the reference
                if (expr.op == "&&") != inside_not and _guarded(ref.source, compared):
                    continue
                yield ref, ref_negated
    elif isinstance(expr, n.Not):
        yield from _presence_tests(expr.operand, not negated)
    elif isinstance(expr, n.Ref):
        yield expr, negated


_COMPARISONS = ("==", "!=", "<", "<=", ">", ">=")


def _compared_refs(expr: n.Node) -> set[str]:
    """Sources of the references a condition compares (``$x != ""``, ``$x.size() > 0``)."""
    found: set[str] = set()
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, n.Paren):
            stack.append(node.inner)
        elif isinstance(node, n.Not):
            stack.append(node.operand)
        elif isinstance(node, n.BinOp):
            if node.op in _COMPARISONS:
                found.update(side.source for side in (node.left, node.right) if isinstance(side, n.Ref))
            stack += [node.left, node.right]
    return found


def _guarded(source: str, compared: set[str]) -> bool:
    return any(c == source or c.startswith((source + ".", source + "[")) for c in compared)


@register
class PresenceTestRule(TemplateRule):
    doc = RuleDoc(
        code="VTL010",
        name="presence-test",
        severity=Severity.INFO,
        message='compare with "" instead: a missing value is "", which #if treats as true',
        what="#if($input.path(…)) or #if($obj.field) used to test whether a value is present.",
        why='On API Gateway a missing value evaluates to "" (a non-null String), which is true; '
            "#if(!$x) is false. Only a JSON false is false.",
        example="#if($input.path('$.nextToken'))\"next\": \"$input.path('$.nextToken')\"#end\n",
        fix="#if($input.path('$.nextToken') != \"\") … #end",
    )

    def check(self, unit: "TemplateUnit") -> Iterator[Diagnostic]:
        if unit.tree is None:
            return
        for cond in _conditions(unit.tree):
            for ref, negated in _presence_tests(cond):
                if ref.name in LOOP_HELPERS or not ref.parts:
                    continue
                last = ref.parts[-1]
                presence = (isinstance(last, n.Prop) and last.name not in _BOOLEAN_PROPS) or (
                    isinstance(last, n.Call) and (last.name in ("path", "get", "getOrDefault")
                                                  or (ref.name == "input" and last.name == "params"
                                                      and len(last.args) == 1)))
                if presence:
                    start, end = span(ref)
                    if negated:
                        message = f'!{ref.source} is false when the value is missing (""): write {ref.source} == ""'
                    else:
                        message = f'{ref.source} is true when the value is missing (""): write {ref.source} != ""'
                    yield unit.diagnostic(type(self), start, end, message=message)


def _override_target(ref: n.Ref) -> tuple[str, ...] | None:
    """The constant key a #set target or put() call assigns under $context.*Override, if any."""
    if ref.name != "context":
        return None
    keys = key_path(ref.parts)
    if not keys or keys[0] not in _OVERRIDE_HEADERS:
        return None
    if len(keys) != len(ref.parts):
        return None
    if keys[0] == "responseOverride" and keys[1:2] == ["status"]:
        return tuple(keys[:2])
    return tuple(keys[:3]) if len(keys) >= 3 else None


def _assignments(unit: "TemplateUnit"):
    """``(key, node)`` for each override key assigned by #set or a put() statement."""
    f = facts(unit.tree)
    statements = sorted(f.nodes(n.Set) + f.nodes(n.Output), key=lambda node: node.pos)
    for node in statements:
        if isinstance(node, n.Set):
            key = _override_target(node.target)
            if key is not None:
                yield key, node
        else:
            ref = node.ref
            last = ref.parts[-1] if ref.parts else None
            if isinstance(last, n.Call) and last.name == "put" and last.args and literal_text(last.args[0]):
                head = n.Ref(ref.pos, ref.name, ref.parts[:-1], ref.source)
                keys = key_path(head.parts)
                if ref.name == "context" and len(keys) == 2 and keys[0] in _OVERRIDE_HEADERS \
                        and len(keys) == len(head.parts) and f.is_printed(node):
                    yield (*keys, literal_text(last.args[0])), node


@register
class DuplicateOverrideRule(TemplateRule):
    doc = RuleDoc(
        code="VTL011",
        name="duplicate-override",
        severity=Severity.WARNING,
        message="assign each override once: a second assignment of the same key gives a 5XX",
        what="The same $context.requestOverride.* or responseOverride.* key assigned twice on paths that "
             "can both run (not in different branches of one #if), or assigned inside a #foreach.",
        why="The API Gateway documentation says that overriding the same parameter twice in one template "
            "fails the request with a 5XX error.",
        example='#set($context.responseOverride.status = 400)\n#if($err)\n'
                '#set($context.responseOverride.status = 500)\n#end\n',
        fix="Compute the value first (#set($status = …)) and assign the override once, or put the "
            "assignments in #if/#else branches.",
    )

    def check(self, unit: "TemplateUnit") -> Iterator[Diagnostic]:
        if unit.tree is None:
            return
        f = facts(unit.tree)
        seen: dict[tuple, list[n.Node]] = {}
        for key, node in _assignments(unit):
            path = f.branch_path(node)
            loop = next((a for a in f.ancestors(node) if isinstance(a, n.Foreach)), None)
            if loop is not None:
                start, end = span(node)
                where = unit.location(loop.pos)
                yield unit.diagnostic(type(self), start, end,
                                      message=f"$context.{'.'.join(key)} is assigned on every iteration of the "
                                              f"#foreach at {where.line}:{where.column}; a second assignment "
                                              "gives a 5XX (assign it once, after the loop)")
                seen.setdefault(key, []).append(node)
                continue
            for earlier in seen.get(key, []):
                if not exclusive(f.branch_path(earlier), path):
                    start, end = span(node)
                    first = unit.location(earlier.pos)
                    yield unit.diagnostic(type(self), start, end,
                                          message=f"$context.{'.'.join(key)} is also assigned at "
                                                  f"{first.line}:{first.column}; a second assignment gives a 5XX")
                    break
            seen.setdefault(key, []).append(node)


def _status_ok(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return 100 <= value <= 599
    if isinstance(value, str) and value.strip().isdigit() and value.strip().isascii():
        return 100 <= int(value.strip()) <= 599
    return False


@register
class OverrideMisuseRule(TemplateRule):
    doc = RuleDoc(
        code="VTL012",
        name="override-misuse",
        severity=Severity.WARNING,
        message="set responseOverride.status to a code from 100 to 599, and requestOverride only in request templates",
        what="$context.responseOverride.status set to a literal that is not a number from 100 to 599; "
             "$context.requestOverride written in a response template.",
        why="API Gateway ignores an invalid status override; a request override in a response template "
            "comes too late to change the integration request.",
        example="#set($context.responseOverride.status = \"Not Found\")\n",
        fix="#set($context.responseOverride.status = 404)",
    )

    def check(self, unit: "TemplateUnit") -> Iterator[Diagnostic]:
        if unit.tree is None:
            return
        for node in facts(unit.tree).nodes(n.Set):
            if node.target.name != "context":
                continue
            keys = key_path(node.target.parts)
            if keys[:2] == ["responseOverride", "status"] and isinstance(node.value, n.Literal) \
                    and not _status_ok(node.value.value):
                start, end = span(node.value)
                yield unit.diagnostic(type(self), start, end,
                                      message=f"status {node.value.value!r} is not a code from 100 to 599: "
                                              "API Gateway ignores it")
            elif keys[:1] == ["requestOverride"] and unit.kind == "response":
                start, end = span(node.target)
                yield unit.diagnostic(type(self), start, end,
                                      message="requestOverride has no effect in a response template "
                                              "(set it in the integration request template)")


def _is_split(expr: object) -> bool:
    return isinstance(expr, n.Ref) and bool(expr.parts) and isinstance(expr.parts[-1], n.Call) \
        and expr.parts[-1].name == "split"


@register
class PrintedSplitRule(TemplateRule):
    doc = RuleDoc(
        code="VTL013",
        name="printed-split",
        severity=Severity.INFO,
        message="print the elements (#foreach) or the original string: a split() array prints as a JVM object id",
        what="The result of split() printed directly, or a variable holding one.",
        why="split() returns a Java String[]; printing it on API Gateway gives something like "
            "[Ljava.lang.String;@1b6d3586, not the elements.",
        example="#set($parts = $input.params('ids').split(','))\n\"ids\": \"$parts\"\n",
        fix='#foreach($p in $parts)"$p"#if($foreach.hasNext),#end#end',
    )

    def check(self, unit: "TemplateUnit") -> Iterator[Diagnostic]:
        if unit.tree is None:
            return
        f = facts(unit.tree)
        split_vars = {name for name, values in f.bindings.items() if values and all(_is_split(v) for v in values)}
        for printed in f.printed:
            ref = printed.output.ref
            if _is_split(ref) or (not ref.parts and ref.name in split_vars):
                start, end = span(ref)
                yield unit.diagnostic(type(self), start, end)
