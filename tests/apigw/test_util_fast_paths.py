"""``$util.escapeJavaScript``'s method has the function's common case inline; it must equal the generic wrapper."""

from hypothesis import given, settings
from hypothesis import strategies as hs

from vtlgw.apigw import util as U
from vtlgw.vtl.values import JArray, JHashMap

GENERIC = U._method(U.escape_javascript)
FAST = U._METHODS["escapeJavaScript"]
VALUES = ["", "c-42", "O'Brien \"Bob\" <bob@example.com>", "a/b\\c", "\x7f", "\x00\x1f\t\n", "é", "\ud800", "😀",
          "it's", None, 0, -1, 1.5, 1e300, True, False, JHashMap(a="b'"), JArray(["/", 1]), ["x"], {"k": None}]


def test_escape_javascript_method_equals_the_wrapper_on_examples():
    for value in VALUES:
        assert FAST(None, value) == GENERIC(None, value), value
        assert type(FAST(None, value)) is str


@settings(max_examples=500, deadline=None)
@given(hs.text(alphabet=hs.characters(min_codepoint=0, max_codepoint=0x10FFFF)))
def test_escape_javascript_method_equals_the_wrapper_on_any_text(s):
    assert FAST(None, s) == GENERIC(None, s)
