"""Java regex facts from the spec (docs/velocity.md §7, docs/integration.md §5), through the module and templates.

The Velocity 1.7 corpus compares the String methods against the jar; these pin
the spec's own examples and the error classes.
"""

import pytest

from vtlgw.vtl import LimitExceeded, Template, TemplateRuntimeError
from vtlgw.vtl.errors import JavaException
from vtlgw.vtl.jregex import RegexTimeoutError, compile_java


def test_matches_is_whole_string():
    assert not compile_java("ell").matches("Hello")
    assert compile_java(".*ell.*").matches("Hello")
    assert compile_java("Invalid").matches("Invalid")
    assert not compile_java("Invalid").matches("Invalid input")


@pytest.mark.parametrize("terminator", ["\n", "\r", "\u0085", "\u2028", "\u2029"])
def test_dot_excludes_java_line_terminators(terminator):
    assert not compile_java(".+").matches(f"a{terminator}b")
    assert compile_java("(\n|.)+").matches("a\nb") if terminator == "\n" else True
    assert compile_java("(?s).+").matches(f"a{terminator}b")


def test_multiline_stack_trace_needs_newline_alternative():
    message = 'Traceback\n  File "x.py", line 1\nValueError: bad'
    assert not compile_java(".*bad.*").matches(message)
    assert compile_java("(\\n|.)*bad(\\n|.)*").matches(message)


def test_ascii_classes_and_anchors():
    assert not compile_java("\\d+").matches("\u0663")  # Arabic-Indic three is not \d in Java
    assert compile_java("\\w+").matches("abc_1")
    assert not compile_java("\\w+").matches("é")
    assert compile_java("a\\Z").find("a\n")
    assert not compile_java("a\\z").find("a\n")
    assert compile_java("\\p{Alpha}+").matches("abc")
    assert not compile_java("\\p{Alpha}+").matches("é")
    assert compile_java("\\Qa.b\\E").matches("a.b") and not compile_java("\\Qa.b\\E").matches("axb")
    assert compile_java("[a-z&&[^aeiou]]+").matches("bcd") and not compile_java("[a-z&&[^aeiou]]+").matches("bad")
    assert compile_java("(?<year>\\d{4})").replace_all("2024", "${year}!") == "2024!"
    assert compile_java("a++b").matches("aab")


def test_inline_flag_applies_to_the_rest_of_its_group_and_alternatives():
    p = compile_java("a(?i)b|c")
    assert p.matches("aB") and p.matches("C") and not p.matches("A")


def test_replacement_syntax():
    assert compile_java("(a)").replace_all("a,b", "[$1]") == "[a],b"
    assert compile_java("cost").replace_all("cost", "\\$5") == "$5"
    assert compile_java("-").replace_first("a-b-c", "+") == "a+b-c"
    with pytest.raises(JavaException) as err:
        compile_java("a").replace_all("a", "$")
    assert err.value.java_class == "IllegalArgumentException"
    with pytest.raises(JavaException) as err:
        compile_java("a").replace_all("a", "x\\")
    assert err.value.java_class == "IllegalArgumentException"
    with pytest.raises(JavaException) as err:
        compile_java("(a)").replace_all("a", "$2")
    assert err.value.java_class == "IndexOutOfBoundsException"


def test_documented_unescape_idiom():
    # .replaceAll("\\'","'") in a template: the pattern is backslash backslash quote
    assert compile_java("\\\\'").replace_all("it\\'s", "'") == "it's"


@pytest.mark.parametrize("text,pattern,limit,expected", [
    ("a,b,,", ",", 0, ["a", "b"]),
    ("a.b", ".", 0, []),
    (",a", ",", 0, ["", "a"]),
    ("abc", "", 0, ["a", "b", "c"]),
    ("a,b,c", ",", 2, ["a", "b,c"]),
    ("a,b,,", ",", -1, ["a", "b", "", ""]),
    ("", ",", 0, [""]),
    ("no-match", ",", 0, ["no-match"]),
])
def test_split_rules(text, pattern, limit, expected):
    assert compile_java(pattern).split(text, limit) == expected


def test_invalid_pattern_is_pattern_syntax_exception():
    with pytest.raises(JavaException) as err:
        compile_java("(unclosed")
    assert err.value.java_class == "PatternSyntaxException"
    with pytest.raises(JavaException):
        compile_java("\\y")


def test_u07_invalid_regex_in_template_is_a_located_render_error():
    with pytest.raises(TemplateRuntimeError) as err:
        Template('#set($s = "a")\n$s.matches("(")', "t.vtl").render()
    assert (err.value.line, err.value.column) == (2, 1)
    assert "PatternSyntaxException" in str(err.value)


def test_catastrophic_backtracking_is_a_limit_error():
    with pytest.raises(RegexTimeoutError):
        compile_java("(a|aa)+c").matches("a" * 40, timeout=0.05)
    from vtlgw.vtl import Limits

    src = '#set($s = "' + "a" * 40 + '")$s.matches("(a|aa)+c")'
    with pytest.raises(LimitExceeded) as err:
        Template(src, limits=Limits(regex_timeout=0.05)).render()
    assert "catastrophic backtracking" in str(err.value)
