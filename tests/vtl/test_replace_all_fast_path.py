"""``String.replaceAll`` decides once per (pattern, replacement) whether it is a plain ``str.replace``.

``methods._str_replace_all`` caches that decision; here it must give exactly what
``JavaPattern.replace_all`` gives (text or the same error), first call and cached call alike.
"""

import pytest

from vtlgw.vtl import methods as M
from vtlgw.vtl import runtime as rt
from vtlgw.vtl.jregex import compile_java


class St:
    limits = rt.Limits()


PATTERNS = ["\\'", "'", "a", "a.b", "a\\.b", "\\\\", "\\$", "$", "[a-c]", "(a)", "", "\\", "(", "x*", "\\Q.\\E", "\\d",
            "é", "\\n", "ab", "\\p{L}"]
REPLACEMENTS = ["'", "", "x", "$1", "\\$", "\\\\", "$", "a$0b", "\\", "${name}", "é"]
SUBJECTS = ["", "O\\'Brien", "a.b a\\.b axb", "aaa", "$1 \\ '", "x\ny", "abcé"]


def generic(s, pattern, replacement):
    try:
        return "value", compile_java(pattern).replace_all(s, replacement, timeout=St.limits.regex_timeout)
    except Exception as exc:
        return "error", (type(exc).__name__, str(exc))


def fast(s, pattern, replacement):
    try:
        return "value", M._str_replace_all(St(), s, (pattern, replacement))
    except Exception as exc:
        return "error", (type(exc).__name__, str(exc))


@pytest.mark.parametrize("pattern", PATTERNS)
@pytest.mark.parametrize("replacement", REPLACEMENTS)
def test_replace_all_equals_the_regex_path(pattern, replacement):
    for _ in range(2):  # the first call fills the cache, the second reads it
        for s in SUBJECTS:
            assert fast(s, pattern, replacement) == generic(s, pattern, replacement), (s, pattern, replacement)


def test_the_idiom_takes_the_literal_path():
    assert M._str_replace_all(St(), "O\\'Brien", ("\\\\'", "'")) == "O'Brien"
    assert M._LITERAL_REPLACE_ALL[("\\\\'", "'")] == ("\\'", "'")
    assert M._str_replace_all(St(), "ab", ("(a)", "$1$1")) == "aab"
    assert M._LITERAL_REPLACE_ALL[("(a)", "$1$1")] is False


def test_non_string_arguments_are_no_match():
    assert M._str_replace_all(St(), "a", ("a", 1)) is M.NO_MATCH
    assert M._str_replace_all(St(), "a", ("a",)) is M.NO_MATCH
