"""Parse template text into a tree of :mod:`vtlgw.vtl.nodes`, as Velocity 1.7 reads it.

The parser is scannerless at the template level (text, references, directives,
comments, escapes, whitespace gobbling) and uses :mod:`vtlgw.vtl.lexer` tokens
inside directive arguments. Whitespace rules are those of Velocity 1.7 (see
docs/velocity.md, section 5); they are applied here, so the compiler only ever sees
text that is printed.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_left

from vtlgw.vtl import nodes as n
from vtlgw.vtl.errors import TemplateSyntaxError, locate
from vtlgw.vtl.lexer import (
    BLANK_TO_EOL_RE,
    DIRECTIVE_WORD_RE,
    SET_AHEAD_RE,
    WORD_OPERATORS,
    Token,
    describe,
    scan_token,
    skip_ws,
)
from vtlgw.vtl.limits import MAX_PARSE_DEPTH

SPECIAL_RE = re.compile(r"[$#\\]")
LONE_CHAR_BEFORE_SET_RE = re.compile(r"[#$][ \t]+(?=#set[ \t]*\(|#\{set\}[ \t]*\()")
# A name may start with "_"; a member after "." must start with a letter (1.7: "." then an ALPHA_CHAR),
# so `$m._id` is `$m` followed by the text "._id".
SIMPLE_REF_RE = re.compile(r"\$!?(\{)?([A-Za-z_][A-Za-z0-9_-]*)((?:\.[A-Za-z][A-Za-z0-9_-]*)*)")
# "()", "('text')" or ("text") with no quote doubling and, for "…", nothing to interpolate.
SIMPLE_ARGS_RE = re.compile(r"""\([ \t]*(?:'([^']*)'(?!')|"([^"$#]*)"(?!")|)[ \t]*\)""")
MEMBER_RE = re.compile(r"\.([A-Za-z][A-Za-z0-9_-]*)(\()?")
KNOWN_DIRECTIVES = frozenset(
    ["set", "if", "elseif", "else", "end", "foreach", "define", "macro", "break", "stop",
     "include", "parse", "evaluate"]
)
# Directives printed verbatim on API Gateway, like any unknown name.
VERBATIM_DIRECTIVES = frozenset(["evaluate"])
BLOCK_TERMINATORS = ("end", "else", "elseif")

DEFAULT_MAX_DEPTH = MAX_PARSE_DEPTH


class Parser:
    """One parse of one template (or of a double-quoted string literal inside it)."""

    def __init__(self, source: str, name: str = "<template>", *, max_depth: int = DEFAULT_MAX_DEPTH,
                 base: int = 0, root_source: str | None = None, depth: int = 0) -> None:
        self.src = source
        self.n = len(source)
        self.name = name
        self.max_depth = max_depth
        self.base = base  # offset of `source` inside the root template (string literals)
        self.root_source = source if root_source is None else root_source
        self.depth = depth
        self.in_string = base > 0 or root_source is not None
        self.pos = 0
        self._cache_pos = -1
        self._cache_tok: Token | None = None
        self.end_of_block = 0  # offset after the last #end that block_until_end consumed

    # ------------------------------------------------------------ entry points

    def parse(self) -> list[n.Stmt]:
        old_limit = sys.getrecursionlimit()
        if old_limit < 20 * self.max_depth + 1000:
            sys.setrecursionlimit(20 * self.max_depth + 1000)
        try:
            body, term, term_pos = self.block()
        finally:
            sys.setrecursionlimit(old_limit)
        if term is not None:
            word = "#" + term
            raise self.error(f"{word} without a matching opening directive", term_pos)
        return body

    # ------------------------------------------------------------ errors

    def error(self, message: str, pos: int) -> TemplateSyntaxError:
        line, col, text = locate(self.root_source, self.base + pos)
        return TemplateSyntaxError(message, name=self.name, line=line, column=col, source_line=text)

    def where(self, pos: int) -> str:
        line, col, _ = locate(self.root_source, self.base + pos)
        return f"{line}:{col}"

    def nested(self, pos: int) -> "_Nesting":
        """Count one level of nesting for the duration of a ``with`` block (limit: max_depth)."""
        return _Nesting(self, pos)

    # ------------------------------------------------------------ template level

    def block(self) -> tuple[list[n.Stmt], str | None, int]:
        """Statements up to a block terminator (``#end``, ``#else``, ``#elseif``) or the end.

        Returns the body, the terminator's name (None at the end of the text) and
        its position; ``self.pos`` is left just after the terminator's keyword.
        """
        src = self.src
        run = _Body(self.base)
        while self.pos < self.n:
            if run.after_token and src[self.pos] in " \t":
                self.skip_blanks_before_set()
            if self.plain_text(run):
                continue
            c = src[self.pos]
            if c == "$":
                self.dollar(run)
            elif c == "\\":
                self.backslashes(run)
            else:
                term = self.hash(run)
                if term is not None:
                    run.flush()
                    return run.body, term[0], term[1]
        run.flush()
        return run.body, None, self.n

    def skip_blanks_before_set(self) -> None:
        """Velocity 1.7 lexes blanks before ``#set`` into the directive when they follow a token."""
        m = SET_AHEAD_RE.match(self.src, self.pos)
        if m:
            self.pos = m.end()

    def plain_text(self, run: "_Body") -> bool:
        """Take the text up to the next ``$``, ``#`` or ``\\``; False when the cursor is at one."""
        pos = self.pos
        m = SPECIAL_RE.search(self.src, pos)
        stop = m.start() if m else self.n
        if stop == pos:
            return False
        run.add(self.src[pos:stop], pos)
        run.after_token = False
        self.pos = stop
        return True

    # ------------------------------------------------------------ template level: $

    def dollar(self, run: "_Body") -> None:
        """A reference at ``$``, or a ``$`` that starts none."""
        src, pos = self.src, self.pos
        ref = self.reference(pos)
        if ref is None:
            self.lone_dollar(run, pos)
            return
        run.flush()
        run.body.append(n.Output(ref.pos, ref, end=ref.end))
        run.after_token = True
        if (ref.parts and isinstance(ref.parts[-1], n.Prop) and not ref.source.endswith("}")
                and src.startswith("##", self.pos)):
            # 1.7 does not see "##" as a comment right after a property: it prints it.
            run.add("#", self.pos)
            self.pos += 1
            run.after_token = False

    def lone_dollar(self, run: "_Body", pos: int) -> None:
        src = self.src
        if src.startswith("#*", pos + 1) or (
                src.startswith("#", pos + 1) and self.directive_word(pos + 1)[0] in KNOWN_DIRECTIVES):
            self.pos = pos + 1  # 1.7 drops a "$" right before a directive or a block comment
            return
        m = LONE_CHAR_BEFORE_SET_RE.match(src, pos)
        if m:  # ... and a "$" plus blanks before #set
            run.flush()
            self.pos = m.end()
            run.after_token = True
            return
        bang = src.startswith("$!", pos) and not src.startswith("$!{", pos)
        if pos + 1 + bang >= self.n and not self.in_string:
            raise self.error("'$' at the end of the template (write \\$ or ${'$'} for a dollar sign)", pos)
        # Velocity 1.7 prints "$!" that starts no reference as "$".
        run.add("$", pos, pos + 1 + bang)
        run.after_token = False
        self.pos = pos + 1 + bang

    # ------------------------------------------------------------ template level: \

    def backslashes(self, run: "_Body") -> None:
        """Backslashes before ``$ref`` or ``#directive``: k//2 print, an odd count escapes."""
        src = self.src
        pos = end = self.pos
        while end < self.n and src[end] == "\\":
            end += 1
        k = end - pos
        run.after_token = True  # 1.7 lexes backslashes as their own token (blanks before #set go)
        if end < self.n and src[end] == "$":
            ref = self.reference(end)
            if ref is not None:
                run.add("\\" * (k // 2), pos, end)
                if k % 2:
                    run.add(src[end:self.pos], end)
                    return
                run.flush()
                run.body.append(n.Output(ref.pos, ref, end=ref.end))
                return
        elif end < self.n and src[end] == "#":
            word, word_end = self.directive_word(end)
            if word in KNOWN_DIRECTIVES:
                if k % 2:
                    run.add("\\" * (k // 2), pos, end)
                    run.add(src[end:word_end], end)
                    self.pos = word_end
                    return
                # Velocity 1.7 prints all the backslashes before an unescaped #set.
                run.add("\\" * (k if word == "set" else k // 2), pos, end)
                self.pos = end
                return
        run.add(src[pos:end], pos)
        self.pos = end

    # ------------------------------------------------------------ template level: #

    def hash(self, run: "_Body") -> tuple[str, int] | None:
        """A comment, unparsed block, directive or lone ``#``; a block terminator is returned."""
        src, pos = self.src, self.pos
        if src.startswith("##", pos):
            run.flush()
            eol = src.find("\n", pos)
            self.pos = self.n if eol < 0 else eol + 1
            run.after_token = True
            return None
        if src.startswith("#*", pos):
            run.flush()
            end = src.find("*#", pos + 2)
            self.pos = self.n if end < 0 else end + 2
            run.after_token = True
            return None
        if src.startswith("#[[", pos):
            self.unparsed_block(run, pos)
            return None
        if src.startswith("#@", pos) and self.block_macro_call(pos):
            run.add(src[pos:self.pos], pos)
            run.after_token = False
            return None
        word, word_end = self.directive_word(pos)
        if word is None:
            self.lone_hash(run, pos)
            return None
        if word in BLOCK_TERMINATORS:
            self.pos = word_end
            return word, pos
        stmt = self.directive(word, pos, word_end)
        if isinstance(stmt, n.Text):
            run.add(stmt.text, pos, self.pos)  # an unknown directive, printed verbatim
            run.after_token = False
            return None
        run.flush()
        if stmt is not None:
            run.body.append(stmt)
        run.after_token = True
        return None

    def unparsed_block(self, run: "_Body", pos: int) -> None:
        """``#[[…]]#``: its content is text, as written."""
        end = self.src.find("]]#", pos + 3)
        if end < 0:
            raise self.error("#[[ is never closed (expected ]]#)", pos)
        run.add(self.src[pos + 3:end], pos + 3, end + 3)
        self.pos = end + 3
        run.after_token = True

    def lone_hash(self, run: "_Body", pos: int) -> None:
        """A ``#`` that starts no directive: text, except before ``#set`` and at the very end."""
        m = LONE_CHAR_BEFORE_SET_RE.match(self.src, pos)
        if m:
            # 1.7 lexes "# " before #set into the directive: both disappear.
            run.flush()
            self.pos = m.end()
            run.after_token = True
            return
        if pos + 1 >= self.n and not self.in_string:
            raise self.error("'#' at the end of the template (Velocity 1.7 rejects it)", pos)
        run.add("#", pos)
        run.after_token = False
        self.pos = pos + 1

    def block_macro_call(self, pos: int) -> bool:
        """``#@name(…)…#end``: a block macro call, printed verbatim (macros are off on AWS)."""
        m = DIRECTIVE_WORD_RE.match(self.src, pos + 2)
        if not m:
            return False
        end = self.balanced_args_end(m.end())
        if end is None:
            return False
        self.pos = end
        with self.nested(pos):
            self.block_until_end("@" + m.group(), pos)
        return True

    def directive_word(self, pos: int) -> tuple[str | None, int]:
        """The directive name at ``#`` (``#name`` or ``#{name}``) and the offset after it."""
        src = self.src
        if src.startswith("#{", pos):
            m = DIRECTIVE_WORD_RE.match(src, pos + 2)
            if m and src.startswith("}", m.end()):
                return m.group(), m.end() + 1
            return None, pos
        m = DIRECTIVE_WORD_RE.match(src, pos + 1)
        if not m:
            return None, pos
        return m.group(), m.end()

    def gobble(self) -> None:
        """Drop the rest of the line after a directive when it is only blanks and a line break."""
        m = BLANK_TO_EOL_RE.match(self.src, self.pos)
        if m:
            self.pos = m.end()

    # ------------------------------------------------------------ directives

    def directive(self, word: str, pos: int, after: int) -> n.Stmt | None:
        src = self.src
        if word not in KNOWN_DIRECTIVES or word in VERBATIM_DIRECTIVES:
            # Unknown names (macro calls included) print verbatim, arguments unevaluated.
            end = self.balanced_args_end(after)
            self.pos = end if end is not None else after
            return n.Text(self.base + pos, src[pos:self.pos], end=self.base + self.pos)
        if word in ("break", "stop"):
            self.pos = after
            self.gobble()
            end = self.base + after
            return n.Break(self.base + pos, end=end) if word == "break" else n.Stop(self.base + pos, end=end)
        open_paren = self.expect_open_paren(word, pos, after)
        if word == "set":
            return self.set_directive(pos, open_paren)
        if word == "if":
            return self.if_directive(pos, open_paren)
        if word == "foreach":
            return self.foreach_directive(pos, open_paren)
        if word == "define":
            return self.define_directive(pos, open_paren)
        if word == "macro":
            return self.macro_directive(pos, open_paren)
        # include / parse
        end = self.balanced_args_end(after)
        if end is None:
            raise self.error(f"#{word}( is never closed (expected ')')", pos)
        self.pos = end
        self.gobble()
        return n.Unsupported(self.base + pos, word, end=self.base + end)

    def expect_open_paren(self, word: str, pos: int, after: int) -> int:
        i = after
        while i < self.n and self.src[i] in " \t":
            i += 1
        if i >= self.n or self.src[i] != "(":
            found = "end of template" if i >= self.n else repr(self.src[i])
            raise self.error(f"expected '(' after #{word}, found {found}", i)
        self.pos = i + 1
        return i

    def balanced_args_end(self, after: int) -> int | None:
        """Offset after the ``)`` matching a ``(`` at ``after`` (strings respected), else None."""
        src = self.src
        i = after
        while i < self.n and src[i] in " \t":
            i += 1
        if i >= self.n or src[i] != "(":
            return None
        depth = 0
        while i < self.n:
            c = src[i]
            if c in "\"'":
                j = i + 1
                while True:
                    j = src.find(c, j)
                    if j < 0:
                        return None
                    if src.startswith(c + c, j):
                        j += 2
                        continue
                    break
                i = j + 1
                continue
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
                if depth == 0:
                    return i + 1
            i += 1
        return None

    def close_paren(self, word: str, open_pos: int) -> int:
        """Consume the ``)`` closing a directive's arguments and gobble; return the offset after it."""
        self.pos = skip_ws(self.src, self.pos)
        tok = scan_token(self.src, self.pos)
        if tok.kind != "PUNCT" or tok.value != ")":
            raise self.error(f"expected ')' to close #{word}( opened at {self.where(open_pos)}, found {describe(tok)}", tok.pos)
        self.pos = tok.end
        self.gobble()
        return tok.end

    def set_directive(self, pos: int, open_paren: int) -> n.Set:
        src = self.src
        self.pos = skip_ws(src, self.pos)
        if not src.startswith("$", self.pos):
            raise self.error("#set must assign to a reference, e.g. #set($x = 1)", self.pos)
        target = self.reference(self.pos)
        if target is None:
            raise self.error("#set must assign to a reference, e.g. #set($x = 1)", self.pos)
        if target.parts and isinstance(target.parts[-1], n.Call):
            raise self.error("cannot assign to a method call", target.parts[-1].pos - self.base)
        self.pos = skip_ws(src, self.pos)
        tok = scan_token(src, self.pos)
        if tok.kind != "OP" or tok.value != "=":
            raise self.error(f"expected '=' in #set, found {describe(tok)}", tok.pos)
        self.pos = tok.end
        value = self.expression()
        end = self.close_paren("set", open_paren)
        return n.Set(self.base + pos, target, value, end=self.base + end)

    def if_directive(self, pos: int, open_paren: int) -> n.If:
        with self.nested(pos):
            cond = self.expression()
            self.close_paren("if", open_paren)
            branches: list[tuple[n.Expr, list[n.Stmt]]] = []
            otherwise = None
            keywords = [self.base + pos]
            while True:
                body, term, term_pos = self.block()
                if term is None:
                    raise self.error(
                        f"#if is never closed (end of template reached at {self.where(self.n)}; "
                        "expected #else, #elseif or #end)", pos)
                if otherwise is not None:
                    otherwise = body
                    if term != "end":
                        raise self.error(f"#{term} after #else (expected #end)", term_pos)
                    end = self.pos
                    self.gobble()
                    break
                branches.append((cond, body))
                if term == "end":
                    end = self.pos
                    self.gobble()
                    break
                keywords.append(self.base + term_pos)
                if term == "else":
                    self.gobble()
                    otherwise = []
                    continue
                # elseif
                paren = self.expect_open_paren("elseif", term_pos, self.pos)
                cond = self.expression()
                self.close_paren("elseif", paren)
            return n.If(self.base + pos, branches, otherwise, tuple(keywords), end=self.base + end)

    def block_until_end(self, word: str, pos: int) -> list[n.Stmt]:
        """A body up to its ``#end``; ``self.end_of_block`` is left just after the ``#end`` keyword."""
        body, term, term_pos = self.block()
        if term is None:
            raise self.error(f"#{word} is never closed (end of template reached at {self.where(self.n)}; expected #end)", pos)
        if term != "end":
            raise self.error(f"#{term} inside #{word} (expected #end)", term_pos)
        self.end_of_block = self.pos
        self.gobble()
        return body

    def foreach_directive(self, pos: int, open_paren: int) -> n.Foreach:
        src = self.src
        with self.nested(pos):
            self.pos = skip_ws(src, self.pos)
            var = self.reference(self.pos) if src.startswith("$", self.pos) else None
            if var is None or var.parts:
                raise self.error("#foreach needs a loop variable, e.g. #foreach($item in $list)", self.pos)
            self.pos = skip_ws(src, self.pos)
            tok = scan_token(src, self.pos)
            if tok.kind != "WORD" or tok.value != "in":
                raise self.error(f"expected 'in' in #foreach, found {describe(tok)}", tok.pos)
            self.pos = tok.end
            iterable = self.primary()
            self.close_paren("foreach", open_paren)
            body = self.block_until_end("foreach", pos)
            return n.Foreach(self.base + pos, var.name, iterable, body, end=self.base + self.end_of_block)

    def define_directive(self, pos: int, open_paren: int) -> n.Define:
        src = self.src
        with self.nested(pos):
            self.pos = skip_ws(src, self.pos)
            ref = self.reference(self.pos) if src.startswith("$", self.pos) else None
            if ref is None or ref.parts:
                raise self.error("#define needs a name, e.g. #define($block)", self.pos)
            self.close_paren("define", open_paren)
            body = self.block_until_end("define", pos)
            return n.Define(self.base + pos, ref.name, body, end=self.base + self.end_of_block)

    def macro_directive(self, pos: int, open_paren: int) -> None:
        """``#macro`` parses (it must be well formed) and defines nothing: AWS disables it."""
        end = self.balanced_args_end(open_paren)
        if end is None:
            raise self.error("#macro( is never closed (expected ')')", pos)
        self.pos = end
        self.gobble()
        with self.nested(pos):
            self.block_until_end("macro", pos)
        return None

    # ------------------------------------------------------------ references

    def reference(self, pos: int) -> n.Ref | None:
        """The reference starting at ``$`` (``pos``), or None when the text is not one."""
        src = self.src
        base = self.base
        m = SIMPLE_REF_RE.match(src, pos)
        if m is None:
            return None
        formal = m.group(1) is not None
        name = m.group(2)
        members = m.group(3)
        i = m.end()
        nxt = src[i:i + 1]
        names = members[1:].split(".") if members else []
        if nxt == "(" and names:
            # The last member is a method name: the general loop below parses the call.
            i -= len(names.pop()) + 1
        parts: list[n.Prop | n.Call | n.Index] = []
        offset = pos + len(m.group(0)) - len(members)
        for member in names:
            start = base + offset + 1
            parts.append(n.Prop(start, member, end=start + len(member)))
            offset += len(member) + 1
        if not formal and nxt != "(" and nxt != "[":
            self.pos = i  # a plain chain of properties: the common case
            return n.Ref(base + pos, name, parts, src[pos:i], end=base + i)
        while i < self.n:
            c = src[i]
            if c == ".":
                m = MEMBER_RE.match(src, i)
                if not m:
                    break
                member = m.group(1)
                j = m.end()
                if m.group(2):
                    if j == self.n:
                        return None  # 1.7 prints an unfinished call at the very end as text
                    self.pos = j
                    args = self.arguments(j - 1)
                    parts.append(n.Call(base + i + 1, member, args, end=base + self.pos))
                    i = self.pos
                else:
                    parts.append(n.Prop(base + i + 1, member, end=base + j))
                    i = j
            elif c == "[":
                self.pos = i + 1
                with self.nested(i):
                    key = self.parameter()
                tok = self.next_token()
                if tok.kind != "PUNCT" or tok.value != "]":
                    raise self.error(f"expected ']' to close the index opened at {self.where(i)}, found {describe(tok)}", tok.pos)
                parts.append(n.Index(base + i, key, end=base + tok.end))
                i = tok.end
            else:
                break
        if formal:
            if not src.startswith("}", i):
                found = "end of template" if i >= self.n else repr(src[i])
                raise self.error(f"expected '}}' to close ${{{name}, found {found}", i)
            i += 1
        self.pos = i
        return n.Ref(base + pos, name, parts, src[pos:i], end=base + i)

    def arguments(self, open_pos: int) -> list[n.Expr]:
        """Method arguments after ``(``: comma-separated parameters, then ``)``."""
        src = self.src
        args: list[n.Expr] = []
        m = SIMPLE_ARGS_RE.match(src, open_pos)
        if m is not None:
            # Fast path for "()" and one plain string literal, the usual shapes.
            self.pos = m.end()
            if m.group(1) is not None:
                args.append(n.Literal(self.base + m.start(1) - 1, m.group(1), end=self.base + m.end(1) + 1))
            elif m.group(2) is not None:
                args.append(n.Literal(self.base + m.start(2) - 1, m.group(2), end=self.base + m.end(2) + 1))
            return args
        with self.nested(open_pos):
            self.pos = skip_ws(src, self.pos)
            tok = scan_token(src, self.pos)
            if tok.kind == "PUNCT" and tok.value == ")":
                self.pos = tok.end
                return args
            while True:
                tok = scan_token(src, skip_ws(src, self.pos))
                if tok.kind == "WORD" and tok.value == "null":
                    # A method argument may be null (1.7 passes Java null); nowhere else is it a literal.
                    args.append(n.Literal(self.base + tok.pos, None, end=self.base + tok.end))
                    self.pos = tok.end
                else:
                    args.append(self.parameter())
                self.pos = skip_ws(src, self.pos)
                tok = scan_token(src, self.pos)
                if tok.kind == "PUNCT" and tok.value == ",":
                    self.pos = tok.end
                    continue
                if tok.kind == "PUNCT" and tok.value == ")":
                    self.pos = tok.end
                    return args
                raise self.error(
                    f"expected ',' or ')' in the method arguments opened at {self.where(open_pos)}, "
                    f"found {describe(tok)} (arguments are literals or references; compute with #set first)",
                    tok.pos)

    # ------------------------------------------------------------ expressions

    def next_token(self) -> Token:
        """The token after any whitespace at the cursor (cached: the same token is asked for often)."""
        if self.pos == self._cache_pos:
            tok = self._cache_tok
        else:
            self._cache_pos = self.pos
            tok = self._cache_tok = scan_token(self.src, self.pos)
        self.pos = tok.pos
        return tok

    def op_token(self) -> str | None:
        """The binary/unary operator at the cursor (word forms normalised), without consuming it."""
        tok = self.next_token()
        if tok.kind == "OP":
            return tok.value
        if tok.kind == "WORD" and tok.value in WORD_OPERATORS:
            return WORD_OPERATORS[tok.value]
        return None

    def consume_op(self) -> None:
        self.pos = self.next_token().end

    def expression(self) -> n.Expr:
        return self.binary(1)

    PRECEDENCE = {"||": 1, "&&": 2, "==": 3, "!=": 3, "<": 4, "<=": 4, ">": 4, ">=": 4,
                  "+": 5, "-": 5, "*": 6, "/": 6, "%": 6}

    def binary(self, min_prec: int) -> n.Expr:
        """Precedence climbing over the binary operators (all left-associative)."""
        left = self.unary()
        while True:
            op = self.op_token()
            prec = self.PRECEDENCE.get(op) if op else None
            if prec is None or prec < min_prec:
                return left
            op_pos = self.pos
            self.consume_op()
            op_end = self.pos
            with self.nested(op_pos):
                right = self.binary(prec + 1)
            # 1.7 prints a null operand of a string "+" as this text (after the operator).
            left = n.BinOp(self.base + op_pos, op, left, right, self.src[op_end:self.pos], end=right.end)

    def unary(self) -> n.Expr:
        if self.op_token() == "!":
            pos = self.pos
            self.consume_op()
            with self.nested(pos):
                operand = self.unary()
                return n.Not(self.base + pos, operand, end=operand.end)
        return self.primary()

    def primary(self) -> n.Expr:
        tok = self.next_token()
        if tok.kind == "PUNCT" and tok.value == "(":
            self.pos = tok.end
            with self.nested(tok.pos):
                inner = self.expression()
            close = self.next_token()
            if close.kind != "PUNCT" or close.value != ")":
                raise self.error(f"expected ')' to close '(' at {self.where(tok.pos)}, found {describe(close)}", close.pos)
            self.pos = close.end
            return n.Paren(self.base + tok.pos, inner, self.src[tok.end:close.pos], end=self.base + close.end)
        return self.parameter()

    def parameter(self) -> n.Expr:
        """A literal or reference: what method arguments, list items and indexes accept."""
        tok = self.next_token()
        k = tok.kind
        if k == "REF":
            ref = self.reference(tok.pos)
            if ref is None:
                raise self.error("'$' must start a reference here", tok.pos)
            return ref
        if k == "INT":
            self.pos = tok.end
            return n.Literal(self.base + tok.pos, int(tok.value), end=self.base + tok.end)
        if k == "FLOAT":
            self.pos = tok.end
            return n.Literal(self.base + tok.pos, float(tok.value), end=self.base + tok.end)
        if k == "SSTRING":
            self.pos = tok.end
            return n.Literal(self.base + tok.pos, tok.value, end=self.base + tok.end)
        if k == "DSTRING":
            self.pos = tok.end
            return self.string_literal(tok)
        if k == "WORD" and tok.value in ("true", "false"):
            self.pos = tok.end
            return n.Literal(self.base + tok.pos, tok.value == "true", end=self.base + tok.end)
        if k == "PUNCT" and tok.value == "[":
            return self.list_literal(tok)
        if k == "PUNCT" and tok.value == "{":
            return self.map_literal(tok)
        if k == "ERROR":
            raise self.error(tok.value, tok.pos)
        if k == "WORD" and tok.value == "null":
            raise self.error("there is no null literal in Velocity (leave the variable unset instead)", tok.pos)
        raise self.error(f"expected a value (literal or reference), found {describe(tok)}", tok.pos)

    def string_literal(self, tok: Token) -> n.Expr:
        value = tok.value
        if "$" not in value and "#" not in value:
            return n.Literal(self.base + tok.pos, value, end=self.base + tok.end)
        sub = Parser(value, self.name, max_depth=self.max_depth, base=self.base + tok.pos + 1,
                     root_source=self.root_source, depth=self.depth + 1)
        if sub.depth > self.max_depth:
            raise self.error(f"nesting deeper than {self.max_depth} levels (engine limit)", tok.pos)
        body, term, term_pos = sub.block()
        if term is not None:
            raise sub.error(f"#{term} without a matching opening directive", term_pos)
        raw = self.src[tok.pos + 1:tok.end - 1]
        if '""' in raw:
            _undo_quote_doubling(body, self.base + tok.pos + 1, raw)
        return n.InterpString(self.base + tok.pos, body, end=self.base + tok.end)

    def list_literal(self, open_tok: Token) -> n.Expr:
        self.pos = open_tok.end
        with self.nested(open_tok.pos):
            tok = self.next_token()
            if tok.kind == "PUNCT" and tok.value == "]":
                self.pos = tok.end
                return n.ListLit(self.base + open_tok.pos, [], end=self.base + tok.end)
            first = self.parameter()
            tok = self.next_token()
            if tok.kind == "OP" and tok.value == "..":
                if not isinstance(first, (n.Ref, n.Literal)) or (isinstance(first, n.Literal) and type(first.value) is not int):
                    raise self.error("a range bound must be an integer or a reference", first.pos - self.base)
                self.pos = tok.end
                second = self.parameter()
                if not isinstance(second, (n.Ref, n.Literal)) or (isinstance(second, n.Literal) and type(second.value) is not int):
                    raise self.error("a range bound must be an integer or a reference", second.pos - self.base)
                close = self.next_token()
                if close.kind != "PUNCT" or close.value != "]":
                    raise self.error(f"expected ']' to close the range, found {describe(close)}", close.pos)
                self.pos = close.end
                return n.Range(self.base + open_tok.pos, first, second, end=self.base + close.end)
            items = [first]
            while True:
                tok = self.next_token()
                if tok.kind == "PUNCT" and tok.value == "]":
                    self.pos = tok.end
                    return n.ListLit(self.base + open_tok.pos, items, end=self.base + tok.end)
                if tok.kind == "PUNCT" and tok.value == ",":
                    self.pos = tok.end
                    items.append(self.parameter())
                    continue
                raise self.error(
                    f"expected ',' or ']' in the list opened at {self.where(open_tok.pos)}, found {describe(tok)}",
                    tok.pos)

    def map_literal(self, open_tok: Token) -> n.Expr:
        self.pos = open_tok.end
        pairs: list[tuple[n.Expr, n.Expr]] = []
        with self.nested(open_tok.pos):
            tok = self.next_token()
            if tok.kind == "PUNCT" and tok.value == "}":
                self.pos = tok.end
                return n.MapLit(self.base + open_tok.pos, pairs, end=self.base + tok.end)
            while True:
                key = self.parameter()
                tok = self.next_token()
                if tok.kind != "PUNCT" or tok.value != ":":
                    raise self.error(f"expected ':' after a map key, found {describe(tok)}", tok.pos)
                self.pos = tok.end
                value = self.parameter()
                pairs.append((key, value))
                tok = self.next_token()
                if tok.kind == "PUNCT" and tok.value == "}":
                    self.pos = tok.end
                    return n.MapLit(self.base + open_tok.pos, pairs, end=self.base + tok.end)
                if tok.kind == "PUNCT" and tok.value == ",":
                    self.pos = tok.end
                    continue
                raise self.error(
                    f"expected ',' or '}}' in the map opened at {self.where(open_tok.pos)}, found {describe(tok)}",
                    tok.pos)


class _Body:
    """The statements of one block as the parser collects them, with the text run in progress.

    Adjacent text pieces join into one :class:`~vtlgw.vtl.nodes.Text`; where the
    pieces are not one contiguous stretch of source (escapes, comments, ``#[[…]]#``),
    the node's ``origins`` say where each part came from.
    """

    __slots__ = ("base", "body", "text", "starts", "text_end", "after_token")

    def __init__(self, base: int) -> None:
        self.base = base
        self.body: list[n.Stmt] = []
        self.text: list[str] = []
        self.starts: list[int] = []  # per piece, its source offset
        self.text_end = 0
        self.after_token = True  # at the start, or right after a non-text construct

    def add(self, piece: str, start: int, end: int = -1) -> None:
        """A piece of printed text taken from ``start`` (its source runs to ``end``)."""
        self.text.append(piece)
        self.starts.append(start)
        self.text_end = start + len(piece) if end < 0 else end

    def flush(self) -> None:
        text = self.text
        if not text:
            return
        base, starts = self.base, self.starts
        joined = "".join(text)
        origins: tuple[tuple[int, int], ...] = ()
        if len(text) > 1:
            pieces, offset, expected = [], 0, starts[0]
            for piece, start in zip(text, starts):
                if start != expected:
                    pieces.append((offset, base + start))
                offset += len(piece)
                expected = start + len(piece)
            if pieces:
                origins = ((0, base + starts[0]), *pieces)
        body = self.body
        end = base + self.text_end
        last = body[-1] if body else None
        if type(last) is n.Text:
            if origins or last.origins or last.end != base + starts[0]:
                # Joined across a comment or another construct that printed nothing.
                shift = len(last.text)
                mine = origins or ((0, base + starts[0]),)
                last.origins = (*(last.origins or ((0, last.pos),)), *((o + shift, s) for o, s in mine))
            last.text += joined
            last.end = end
        else:
            body.append(n.Text(base + starts[0], joined, end=end, origins=origins))
        text.clear()
        starts.clear()


def _undo_quote_doubling(body: list[n.Stmt], base: int, raw: str) -> None:
    """Move a string literal's nodes to their source offsets: each ``""`` is one character of the value."""
    doubles: list[int] = []  # value offsets of the quotes written doubled
    i = raw.find('""')
    while i >= 0:
        doubles.append(i - len(doubles))
        i = raw.find('""', i + 2)

    def moved(offset: int) -> int:
        return offset if offset < base else offset + bisect_left(doubles, offset - base)

    for node in n.walk(body):
        node.pos = moved(node.pos)
        if node.end >= 0:
            node.end = moved(node.end)
        if type(node) is n.Text and node.origins:
            node.origins = tuple((k, moved(at)) for k, at in node.origins)
        elif type(node) is n.If:
            node.keywords = tuple(moved(k) for k in node.keywords)


class _Nesting:
    __slots__ = ("parser", "pos")

    def __init__(self, parser: Parser, pos: int) -> None:
        self.parser = parser
        self.pos = pos

    def __enter__(self) -> None:
        p = self.parser
        p.depth += 1
        if p.depth > p.max_depth:
            raise p.error(f"nesting deeper than {p.max_depth} levels (engine limit)", self.pos)

    def __exit__(self, *exc: object) -> None:
        self.parser.depth -= 1


def parse(source: str, name: str = "<template>", *, max_depth: int = DEFAULT_MAX_DEPTH) -> list[n.Stmt]:
    """Parse a whole template."""
    return Parser(source, name, max_depth=max_depth).parse()
