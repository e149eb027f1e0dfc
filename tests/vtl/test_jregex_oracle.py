"""vtlgw.vtl.jregex against java.util.regex itself, in one JVM run.

Every translated construct (line terminators, ASCII classes, anchors, quoting,
POSIX and Unicode classes, intersections, possessive and atomic groups, named
groups, back references, inline flags) is run over inputs chosen to expose the
differences between Java and Python; results and exception classes must agree.
"""

import pytest

from tests.oracle.java_regex_runner import java_unavailable, run_all
from vtlgw.vtl.errors import JavaException
from vtlgw.vtl.jregex import compile_java

PATTERNS = [
    "abc", ".*", ".+", "a.c", "(\\n|.)*", "(?s).*", "^a", "c$", "a$", "(?m)^b$", "\\d+", "\\D+", "\\w+", "\\W",
    "\\s+", "\\S+", "\\bword\\b", "a\\z", "a\\Z", "\\Aa", "\\Qa.c\\E", "[a-c]+", "[^a-c]+", "[a-z&&[^aeiou]]+",
    "[a-c[x-z]]+", "\\p{Alpha}+", "\\p{Digit}+", "\\p{Upper}", "\\p{Punct}+", "\\p{L}+", "\\p{Lu}", "\\P{Alpha}+",
    "\\p{IsAlphabetic}+", "\\p{InGreek}+", "a++b", "a*+a", "(?>a+)b", "(?<y>\\d{4})-(?<m>\\d\\d)", "(a)\\1",
    "(a)(b)\\2", "(?i)abc", "(?i)é", "a(?i)b|c", "(?i:a)b", "(?x) a b # c", "\\h+", "\\v", "\\R", "\\x41",
    "\\x{1F600}", "\\u00e9", "\\0101", "\\cA", "\\t", "(?=a)a", "(?!a).", "(?<=a)b", "(?<!a)b", "a{2}", "a{1,}",
    "a{1,2}?", "a{2,}", "[{]", "\\{",
    "[\\d\\s]+", "[\\w-]+", "[.]", "\\.", "\\$", "[\\^a]", "a|", "|a", "()", "(?:ab)+",
    "(a)\\\u00b2", "(a)\\1\u0663", ".*\"status\": ?404.*", "4\\d{2}", "5\\d{2}|4\\d{2}", ".*Invalid.*", "Invalid",
    "\\d{3}-\\d{4}",
]
INPUTS = ["abc", "ABC", "a\nb", "a\r\nb", "a\u0085b", "a\u2028", "a\n", "a\r\n", "word words", "12\u0663",
          "é Ω ω", "aab", "a.c", "axc", "\t \u00a0 ", "aa", "ab", "2024-11", "", "\u0001",
          '{"status": 404, "code": "NotFound"}', "404", "201", "Invalid input", "Invalid", "555-1234", "ΑΒΓ"]
REPLACEMENTS = [
    ("(a)", "a,b,a", "[$1]"), ("cost", "cost", "\\$5"), ("(?<y>\\d+)", "x42", "${y}!"), ("\\\\'", "it\\'s", "'"),
    ("a*", "baab", "-"), ("", "abc", "-"), ("(a)(b)?", "ac", "<$2>"), ("x", "axb", "$"), ("x", "axb", "\\"),
    ("(a)", "a", "$2"), ("(a)", "a", "$12"), ("(a)", "a", "${nope}"), ("\\s+", "a  b\t\nc", " "),
    ("(\\w+) (\\w+)", "john smith", "$2, $1"), ("é", "café", "e"), ("(?i)A", "aAa", "b"),
    # literal patterns, which take the str.replace fast path
    ("\\.", "a.b.c", "-"), ("aa", "aaaaa", "b"), ("x", "", "y"), ("\\'", "it's", "\\\\'"),
    ("\\$", "$5 $6", "USD "), ("\\\\", "a\\b", "\\\\\\\\"), ("a\\+b", "a+ba+b", "[$0]"), ("\\_x", "_x_x", "y"),
    # only ASCII digits make group references: '²' is a digit to Python's isdigit(), not to Java
    ("(a)", "abc\u00b2", "$1\u00b2"), ("(a)", "abc", "$\u00b2"), ("(a)\\\u00b2", "a\u00b2", "X"),
    ("(a)", "ab", "$1\u0663"),
]
SPLITS = [
    (",", "a,b,,", 0), (",", "a,b,,", -1), (",", "a,b,c", 2), (",", ",a", 0), ("", "abc", 0), (".", "a.b", 0),
    ("\\.", "a.b", 0), ("\\s+", " a  b ", 0), ("(?=b)", "abab", 0), (",", "", 0), ("x", "abc", 0),
    ("\\d", "a1b2c3", 0), ("\\d", "a1b2c3", -1), ("a", "aaa", 0), ("a", "aaa", -1), ("", "", 0),
]
BAD_PATTERNS = ["(", "[a", "a{2,1}", "\\y", "*a", "(?<1a>x)", "\\k<none>", "a)", "[b-a]", "\\p{Nope}", "(?d)x",
                # Java has no literal "{" outside a class
                "a{2", "x{", "{", "a{,2}", "4\\d{2"]

CASES = (
    [("matches", p, s, "") for p in PATTERNS for s in INPUTS]
    + [("find", p, s, "") for p in PATTERNS for s in INPUTS[:8]]
    + [("replaceAll", p, s, r) for p, s, r in REPLACEMENTS]
    + [("replaceFirst", p, s, r) for p, s, r in REPLACEMENTS]
    + [("split", p, s, str(limit)) for p, s, limit in SPLITS]
    + [("matches", p, "a", "") for p in BAD_PATTERNS]
)


@pytest.fixture(scope="module")
def java():
    reason = java_unavailable()
    if reason:
        pytest.skip(f"Java regex oracle unavailable: {reason}")
    return run_all(CASES)


def ours(op, pattern, text, arg):
    compiled = compile_java(pattern)
    if op == "matches":
        return "true" if compiled.matches(text) else "false"
    if op == "find":
        return "true" if compiled.find(text) else "false"
    if op == "replaceAll":
        return compiled.replace_all(text, arg)
    if op == "replaceFirst":
        return compiled.replace_first(text, arg)
    pieces = compiled.split(text, int(arg))
    return f"{len(pieces)}\0" + "\0".join(pieces)


@pytest.mark.parametrize("index", range(len(CASES)))
def test_matches_java(java, index):
    op, pattern, text, arg = CASES[index]
    ok, expected = java[index]
    try:
        actual, error = ours(op, pattern, text, arg), None
    except JavaException as exc:
        actual, error = None, exc.java_class
    where = f"{op}({pattern!r}, {text!r}, {arg!r})"
    if ok:
        assert error is None and actual == expected, f"{where}: Java {expected!r}, vtlgw {actual!r} {error or ''}"
    else:
        assert error == expected, f"{where}: Java threw {expected}, vtlgw gave {actual!r} {error or ''}"
