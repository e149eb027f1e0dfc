"""The template level of the parser (text, references, escapes, comments, directives in a block).

Text pieces join into one Text node; each node knows which source character
every printed character came from, which is what output origins rely on.
"""

import pytest

from vtlgw.vtl import TemplateSyntaxError
from vtlgw.vtl import nodes as n
from vtlgw.vtl.parser import parse


def texts(src):
    return [x for x in n.walk(parse(src)) if isinstance(x, n.Text)]


def test_text_across_a_comment_is_one_node_mapped_piecewise():
    src = "ab#* c *#cd## line\nef"
    (t,) = texts(src)
    assert t.text == "abcdef"
    assert [src[t.source_offset(k)] for k in range(len(t.text))] == list("abcdef")
    assert (t.pos, t.end) == (0, len(src))


def test_contiguous_text_has_no_origins():
    src = "#if(true)\n  a, b\n#end"
    (t,) = texts(src)
    assert t.origins == ()
    assert src[t.pos:t.end] == t.text


def test_unparsed_block_maps_to_its_content():
    src = "x#[[$a#b]]#y"
    (t,) = texts(src)
    assert t.text == "x$a#by"
    assert [t.source_offset(k) for k in range(len(t.text))] == [0, 4, 5, 6, 7, 11]


def test_escaped_reference_maps_to_the_reference():
    src = r"a\$b c"
    (t,) = texts(src)
    assert t.text == "a$b c"
    assert t.source_offset(1) == src.index("$")
    assert t.source_offset(4) == src.index("c")


def test_unknown_directive_is_text():
    src = "#foo($x) and #bar"
    (t,) = texts(src)
    assert t.text == src and t.origins == ()


def test_lone_characters_are_text():
    src = "a # b $ c"
    (t,) = texts(src)
    assert t.text == src


@pytest.mark.parametrize("src,expected", [
    ("a$x.y##b", ["a", "##b"]),  # "##" right after a property prints
    ("a${x}##b", ["a"]),        # ... but is a comment after a formal reference
])
def test_double_hash_after_a_property(src, expected):
    assert [t.text for t in texts(src)] == expected


def test_block_returns_the_terminator():
    with pytest.raises(TemplateSyntaxError, match="#end without a matching opening directive"):
        parse("a#end")
    with pytest.raises(TemplateSyntaxError, match="#else after #else"):
        parse("#if(true)#else#else#end")


def test_blanks_before_set_after_a_token_are_dropped():
    (out, set_, t) = parse("$a  #set($b = 1)c")
    assert isinstance(out, n.Output) and isinstance(set_, n.Set) and t.text == "c"


def test_blanks_before_set_after_text_stay():
    (t, set_) = parse("a  #set($b = 1)")
    assert t.text == "a  "
