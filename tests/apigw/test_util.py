"""``$util`` (docs/variables.md §3): the spec's examples, the Uxx defaults, and Java differentials.

* Examples and UNCERTAIN defaults are asserted as written in the spec; tests
  named ``test_uNN_…`` pin default ``UNN``.
* ``escapeJavaScript`` is compared with commons-lang 2.6 through the Velocity
  oracle (``tests/oracle/runner.py``), the other four functions with the JDK
  through ``tests/oracle/util_runner.py``. Each oracle runs once per session
  over a fixed, seeded corpus; without Java those tests skip and say why.
"""

from __future__ import annotations

import base64
import itertools
import random

import pytest

from tests.oracle.util_runner import run_util_batch, util_oracle_unavailable
from vtlgw.apigw.util import (
    APPSYNC_HELPERS,
    APPSYNC_NAMESPACES,
    UTIL_FUNCTIONS,
    Util,
    base64_decode,
    base64_encode,
    escape_javascript,
    parse_json,
    url_decode,
    url_encode,
)
from vtlgw.vtl import JavaException, Template, TemplateRuntimeError
from vtlgw.vtl.values import ArrayList

try:
    from hypothesis import given
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - hypothesis is a test extra
    given = None


def render(src: str, **variables) -> str:
    return Template(src).render({"util": Util(), **variables})


def java_error(fn, arg) -> JavaException:
    with pytest.raises(JavaException) as info:
        fn(arg)
    return info.value


# ======================================================== escapeJavaScript (U11)

@pytest.mark.parametrize("text,expected", [
    ("it's", "it\\'s"),
    ('say "hi"', 'say \\"hi\\"'),
    ("C:\\dir", "C:\\\\dir"),
    ("\b\t\n\f\r", "\\b\\t\\n\\f\\r"),
    ("<a href='x'>&amp;</a>", "<a href=\\'x\\'>&amp;<\\/a>"),
    ("\x7f", "\x7f"),
    ("", ""),
])
def test_escape_javascript_examples(text, expected):
    assert escape_javascript(text) == expected


def test_u11_escape_javascript_slash():
    assert escape_javascript("a/b</script>") == "a\\/b<\\/script>"


def test_u11_escape_javascript_other_controls_are_uppercase_u00xx():
    assert escape_javascript("\x00\x01\x0b\x0e\x1b\x1f") == "\\u0000\\u0001\\u000B\\u000E\\u001B\\u001F"


def test_u11_escape_javascript_non_ascii_is_uppercase_uxxxx():
    assert escape_javascript("\x80é\xff") == "\\u0080\\u00E9\\u00FF"
    assert escape_javascript("€ ſ \u0fff \ufeff") == "\\u20AC \\u017F \\u0FFF \\uFEFF"


def test_u11_escape_javascript_non_bmp_is_two_surrogate_escapes():
    assert escape_javascript("😀") == "\\uD83D\\uDE00"
    assert escape_javascript("x\U0010ffff") == "x\\uDBFF\\uDFFF"


def test_escape_javascript_lone_surrogates_escape_like_any_char():
    # A Python str may hold lone surrogates (JSON "\ud83d"); Java escapes each unit.
    assert escape_javascript("\ud83d") == "\\uD83D"
    assert escape_javascript("\ud83d" + "\ude00") == "\\uD83D\\uDE00"


def test_escape_javascript_of_input_json_string():
    # $util.escapeJavaScript($input.json('$.Age')) on "6" [D]
    assert escape_javascript('"6"') == '\\"6\\"'
    assert render("$util.escapeJavaScript($age)", age='"6"') == '\\"6\\"'


def test_escape_javascript_documented_replace_all_idiom():
    pytest.importorskip("vtlgw.vtl.jregex", reason="String.replaceAll needs vtlgw.vtl.jregex")
    src = """$util.escapeJavaScript($s).replaceAll("\\\\'","'")"""
    assert render(src, s="it's \"x\"") == "it's \\\"x\\\""


# ================================================================ parseJson (U17)

ERROR_MESSAGE = '{"key1":"value1","key2":{"arr":[1,2,3]}}'


def test_parse_json_documented_example():
    # $util.parseJson($input.path('$.errorMessage')).key2.arr[0] → 1 [D]
    assert render("$util.parseJson($m).key2.arr[0]", m=ERROR_MESSAGE) == "1"


def test_u17_parse_json_uses_input_path_model():
    value = parse_json('{"name":"Ann","n":1,"x":null,"tags":[{"k":"v"}],"d":10.00}')
    assert type(value) is dict and type(value["tags"]) is list
    assert render("$util.parseJson($t)", t='{"name":"Ann","n":1,"x":null}') == "{name=Ann, n=1, x=null}"
    assert render("$util.parseJson($t)", t='{"a":{"b":"c"},"tags":[{"k":"v"}]}') == '{a={b=c}, tags=[{"k":"v"}]}'
    assert render("$util.parseJson($t)", t='[{"id":1}, 2, "a", null]') == '[{"id":1},2,"a",null]'
    assert render("$util.parseJson($t).d", t='{"d": 10.00}') == "10.0"  # U15 numbers
    assert render("$util.parseJson($t).size()", t="[1, 2, 3]") == "3"


def test_u17_parse_json_scalars():
    assert parse_json('"text"') == "text"
    assert parse_json("42") == 42
    assert parse_json(" true ") is True
    assert parse_json("null") is None
    assert render("[$util.parseJson('null')]") == "[]"


def test_parse_json_keeps_source_key_order_and_last_duplicate():
    assert render("$util.parseJson($t)", t='{"b":1,"a":2,"b":3}') == "{b=3, a=2}"


@pytest.mark.parametrize("text,where", [
    ("{bad", "line 1, column 2"),
    ("[1,]", "line 1, column 4"),
    ('{"a":1}x', "line 1, column 8"),
    ('{\n  "a": NaN}', "line 2, column 8"),
    ("", "line 1, column 1"),
])
def test_u07_invalid_json_is_java_exception(text, where):
    err = java_error(parse_json, text)
    assert err.java_class == "JsonParseException"
    assert err.message.endswith(where)


def test_u07_json_nested_too_deeply_is_java_exception():
    assert java_error(parse_json, "[" * 100_000).java_class == "JsonParseException"


def test_u07_invalid_json_is_render_error_at_call():
    with pytest.raises(TemplateRuntimeError) as info:
        render("ok\n  $util.parseJson($t)", t="{bad")
    assert (info.value.line, info.value.column) == (2, 3)
    assert "JsonParseException" in info.value.message


def test_u11_nullish_argument_to_parse_json_is_empty_text_so_invalid():
    # Nullish behaves as "" (U11), and "" is not JSON (U07), as Jackson refuses empty content.
    with pytest.raises(TemplateRuntimeError):
        render("$util.parseJson($undef)")


# ================================================================== urlEncode

@pytest.mark.parametrize("text,expected", [
    ('{"k": 1}', "%7B%22k%22%3A+1%7D"),  # [AWS-rec]
    ("a b", "a+b"),
    ("~", "%7E"),
    ("a&b=c+d", "a%26b%3Dc%2Bd"),
    ("AZaz09.-*_", "AZaz09.-*_"),
    ("/?#%", "%2F%3F%23%25"),
    ("é€", "%C3%A9%E2%82%AC"),
    ("😀", "%F0%9F%98%80"),
    ("", ""),
])
def test_url_encode_examples(text, expected):
    assert url_encode(text) == expected


def test_url_encode_surrogates_as_java():
    assert url_encode("\ud83d" + "\ude00") == "%F0%9F%98%80"  # a split pair is one char to Java
    assert url_encode("a\ud800b\udc00") == "a%3Fb%3F"  # unpaired: Java's encoder writes '?'


# ================================================================== urlDecode

@pytest.mark.parametrize("text,expected", [
    ("a+b", "a b"),
    ("%7B%22k%22%3A+1%7D", '{"k": 1}'),
    ("%c3%a9%E2%82%AC", "é€"),
    ("%F0%9F%98%80", "😀"),
    ("a%2Bb", "a+b"),
    ("100%25", "100%"),
    ("plain~text", "plain~text"),
    ("%C3", "\ufffd"),  # invalid UTF-8 → U+FFFD
    ("%FFok", "\ufffdok"),
    ("%C3x%A9", "\ufffdx\ufffd"),  # escapes separated by a character decode separately
    ("%ED%A0%80", "\ufffd"),  # an encoded surrogate is one U+FFFD, as in the JDK
    ("", ""),
])
def test_url_decode_examples(text, expected):
    assert url_decode(text) == expected


@pytest.mark.parametrize("text", ["%", "100%", "%4", "%41%", "abc%4"])
def test_u07_incomplete_percent_escape_is_java_exception(text):
    err = java_error(url_decode, text)
    assert (err.java_class, err.message) == ("IllegalArgumentException",
                                             "URLDecoder: Incomplete trailing escape (%) pattern")


@pytest.mark.parametrize("text,detail", [
    ("%zz", 'Error at index 0 in: "zz"'),
    ("%4G", 'Error at index 1 in: "4G"'),
    ("50% off", 'Error at index 0 in: " o"'),
    ("%-1", "negative value"),
])
def test_u07_non_hex_percent_escape_is_java_exception(text, detail):
    err = java_error(url_decode, text)
    assert err.java_class == "IllegalArgumentException"
    assert err.message == f"URLDecoder: Illegal hex characters in escape (%) pattern - {detail}"


def test_url_decode_jdk_integer_parse_quirks():
    # JDK 8–17 read the two digits with Integer.parseInt: a sign and non-ASCII digits pass.
    assert url_decode("%+41") == "\x04" + "1"
    assert url_decode("%-0") == "\x00"
    assert url_decode("%\u0663\u0663") == "3"  # Arabic-Indic digits 3, 3 → 0x33
    assert url_decode("%\uff21\uff21") == "\ufffd"  # fullwidth A, A → byte 0xAA


def test_u07_malformed_percent_is_render_error():
    with pytest.raises(TemplateRuntimeError) as info:
        render("$util.urlDecode('50%')")
    assert "Incomplete trailing escape" in info.value.message


# ================================================================ base64Encode

@pytest.mark.parametrize("text,expected", [
    ("", ""),
    ("a", "YQ=="),
    ("ab", "YWI="),
    ("abc", "YWJj"),
    ("é", "w6k="),
    ("😀", "8J+YgA=="),
    ("\ud800", "Pw=="),  # unpaired surrogate → '?'
])
def test_base64_encode_examples(text, expected):
    assert base64_encode(text) == expected


def test_base64_encode_has_no_line_breaks():
    out = base64_encode("x" * 300)
    assert "\n" not in out and len(out) == 400


# ================================================================ base64Decode

@pytest.mark.parametrize("text,expected", [
    ("", ""),
    ("YQ==", "a"),
    ("YQ", "a"),  # padding optional
    ("YWI=", "ab"),
    ("YWI", "ab"),
    ("w6k=", "é"),
    ("8J+YgA==", "😀"),
    ("/w==", "\ufffd"),  # not UTF-8 → U+FFFD
])
def test_base64_decode_examples(text, expected):
    assert base64_decode(text) == expected


def test_base64_decode_then_parse_json():
    # parseJson($util.base64Decode(…)).message works [AWS-rec]
    b64 = base64.b64encode(b'{"message":"hi \xc3\xa9"}').decode()
    assert render("$util.parseJson($util.base64Decode($b)).message", b=b64) == "hi é"


@pytest.mark.parametrize("text,message", [
    ("a-b_", "Illegal base64 character 2d"),  # the URL alphabet is not accepted
    ("YQ==\n", "Input byte array has incorrect ending byte at 4"),
    ("Y Q==", "Illegal base64 character 20"),
    ("Yé==", "Illegal base64 character -17"),  # Java prints the signed Latin-1 byte
    ("YQ一=", "Illegal base64 character 3f"),  # beyond Latin-1 it becomes '?'
    ("Y", "Input byte[] should at least have 2 bytes for base64 bytes"),
    ("YQ=", "Input byte array has wrong 4-byte ending unit"),
    ("YWJj=", "Input byte array has wrong 4-byte ending unit"),
    ("YWJjZ", "Last unit does not have enough valid bits"),
    ("YQ==YQ", "Input byte array has incorrect ending byte at 4"),
])
def test_u07_invalid_base64_is_java_exception(text, message):
    err = java_error(base64_decode, text)
    assert (err.java_class, err.message) == ("IllegalArgumentException", message)


def test_u07_invalid_base64_is_render_error():
    with pytest.raises(TemplateRuntimeError) as info:
        render("$util.base64Decode('not base64!')")
    assert "IllegalArgumentException: Illegal base64 character 20" in info.value.message


# ======================================================= the $util object (U11)

def test_nullish_argument_behaves_as_empty_string():
    # $util.urlEncode($input.body.missing) → "" [AWS-rec]
    assert render("[$util.urlEncode($body.missing)]", body='{"a": 1}') == "[]"
    for fn in ("escapeJavaScript", "urlEncode", "urlDecode", "base64Encode", "base64Decode"):
        assert render(f"[$util.{fn}($undef)]") == "[]", fn
    assert Util().vtl_call("urlEncode", [None]) == ""


def test_u11_non_string_arguments_use_their_template_text():
    assert render("$util.urlEncode(1.5)|$util.urlEncode(42)|$util.base64Encode(true)") == "1.5|42|dHJ1ZQ=="
    assert render("$util.escapeJavaScript([1, 'two'])") == "[1, two]"
    assert render("$util.escapeJavaScript({'a': 'x/y'})") == "{a=x\\/y}"
    assert render("$util.urlEncode($l)", l=[1, "a"]) == "%5B1%2C%22a%22%5D"  # a JSON list prints as JSON
    assert render("$util.parseJson($l).get(1)", l=[1, "a"]) == "a"  # JSON text, so it parses back
    with pytest.raises(TemplateRuntimeError):  # a map's text {a=1} is not JSON
        render("$util.parseJson($util.parseJson($t))", t='{"a":1}')
    util = Util()
    assert util.vtl_call("escapeJavaScript", [ArrayList(["x", None])]) == "[x, null]"


@pytest.mark.parametrize("name", sorted(APPSYNC_HELPERS))
def test_appsync_helpers_are_nullish(name):
    util = Util()
    assert util.vtl_call(name, ["x"]) is None
    assert util.vtl_call(name, []) is None
    assert util.vtl_get(name) is None


def test_unknown_functions_properties_and_arity_are_nullish():
    assert render("[$util.toJson($m)][$util.isNull($x)][$util.qr($l.add(1))]", m={"a": 1}, l=[]) == "[][][]"
    assert render("[$util.time.nowISO8601()][$util.str.toUpper('a')][$util.time]") == "[][][]"
    assert render("[$util.urlEncode()][$util.urlEncode('a', 'b')][$util.escapejavascript('a')]") == "[][][]"
    # "._…" is not a member in Velocity 1.7 (a member starts with a letter): `$util` then the text
    assert render("[$util.class][$util.getClass()][$util.__class__]") == "[][][.__class__]"
    assert render("[$util]") == "[]"


def test_function_names():
    assert UTIL_FUNCTIONS == {"escapeJavaScript", "parseJson", "urlEncode", "urlDecode",
                              "base64Encode", "base64Decode"}
    assert not UTIL_FUNCTIONS & APPSYNC_HELPERS
    assert APPSYNC_NAMESPACES <= APPSYNC_HELPERS
    assert {"toJson", "qr", "quiet", "error", "appendError", "isNull", "isNullOrEmpty", "isNullOrBlank",
            "defaultIfNull", "defaultIfNullOrEmpty", "defaultIfNullOrBlank", "isString", "isNumber",
            "isBoolean", "isList", "isMap", "typeOf", "matches", "autoId", "autoUlid", "unauthorized",
            "validate", "time", "list", "map", "str", "math", "dynamodb", "transform", "rds", "http",
            "xml"} == APPSYNC_HELPERS


# ================================================================== properties

if given is not None:
    _text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)

    @given(_text)
    def test_url_round_trip(s):
        encoded = url_encode(s)
        assert encoded.isascii()
        assert url_decode(encoded) == s

    @given(_text)
    def test_base64_round_trip(s):
        assert base64_decode(base64_encode(s)) == s
        assert base64_decode(base64_encode(s).rstrip("=")) == s

    @given(_text)
    def test_escape_javascript_is_ascii_and_reversible(s):
        out = escape_javascript(s)
        assert out.isascii()
        # JavaScript string-literal unescaping gives the text back
        back = out.replace("\\/", "/").replace("\\'", "'").encode("ascii").decode("unicode_escape")
        assert back.encode("utf-16-le", "surrogatepass").decode("utf-16-le") == s

    @given(st.binary(max_size=24))
    def test_base64_decode_of_any_bytes_matches_utf8_replacement_shape(data):
        # Valid UTF-8 decodes exactly; the result never holds a surrogate.
        out = base64_decode(base64.b64encode(data).decode())
        try:
            assert out == data.decode("utf-8")
        except UnicodeDecodeError:
            assert "\ufffd" in out
        assert not any(0xD800 <= ord(c) <= 0xDFFF for c in out)


# ===================================================== commons-lang differential

def _ejs_corpus() -> list[str]:
    rnd = random.Random(20240611)
    texts = [chr(c) for c in range(0x100)]  # every ASCII and Latin-1 char alone
    texts += ["".join(chr(c) for c in range(0x80)), "\"'\\/<>&\x7f", "😀", "a\U0010ffff", "\u0fff\u1000\uffff"]
    pools = [
        (0x00, 0x7F), (0x00, 0x1F), (0x80, 0xFF), (0x100, 0x7FF), (0x800, 0xD7FF),
        (0xE000, 0xFFFF), (0x10000, 0x10FFFF), (0x1F300, 0x1FAFF),
    ]
    for _ in range(400):
        size = rnd.randint(0, 16)
        texts.append("".join(chr(rnd.randint(*rnd.choice(pools))) for _ in range(size)))
    return texts


@pytest.fixture(scope="module")
def ejs_differential(velocity_oracle):
    texts = _ejs_corpus()
    return texts, velocity_oracle.escape_javascript_all(texts)


def test_u11_escape_javascript_matches_commons_lang(ejs_differential):
    texts, expected = ejs_differential
    mismatches = [(t, e, escape_javascript(t)) for t, e in zip(texts, expected) if escape_javascript(t) != e]
    assert not mismatches, f"{len(mismatches)} of {len(texts)} differ, e.g. {mismatches[:5]!r}"


# ============================================================= JDK differential

_FUNCS = {"uenc": url_encode, "udec": url_decode, "b64e": base64_encode, "b64d": base64_decode}

# Bytes at UTF-8's boundaries: ASCII, continuation edges, every kind of lead byte.
_EDGE_BYTES = (0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1,
               0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xF7, 0xF8, 0xFF)

_URL_PIECES = list("aZ09.-*_ ~+%/=?&#\n\t\"'\\") + [
    "%4", "%41", "%zz", "%+1", "%-1", "%-0", "%\u0663\u0663", "%\uff21\uff21", "%\uff41", "%E2%82%AC",
    "%ED%A0%80", "%F0%9F%98%80", "é", "ÿ", "€", "\ud800", "\udc00", "\ud83d", "\ude00", "😀",
    "\U0010ffff", "\uff10", "%\ud83d\ude00", "%😀", "%%", "%2", "%C3%A9",
]
_B64_PIECES = list("ABCxyz019+/=-_ \n") + ["é", "一", "😀", "\ud800", "==", "YQ", "YWJj"]


def _jdk_corpus() -> dict[str, list[tuple[str, str]]]:
    rnd = random.Random(1729)
    corpus: dict[str, list[tuple[str, str]]] = {"text": [], "utf8": [], "base64": []}
    for _ in range(600):
        s = "".join(rnd.choice(_URL_PIECES) for _ in range(rnd.randint(0, 8)))
        corpus["text"] += [("uenc", s), ("udec", s), ("b64e", s)]
        corpus["base64"].append(("b64d", "".join(rnd.choice(_B64_PIECES) for _ in range(rnd.randint(0, 8)))))
    for _ in range(400):
        data = bytes(rnd.choice(_EDGE_BYTES + (rnd.randrange(256),)) for _ in range(rnd.randint(0, 10)))
        encoded = base64.b64encode(data).decode()
        corpus["base64"] += [("b64d", encoded), ("b64d", encoded.rstrip("="))]
    # UTF-8 replacement: every byte, every pair after a non-ASCII byte, edge triples, random runs
    sequences = [bytes([b]) for b in range(256)]
    sequences += [bytes([a, b]) for a in range(0x80, 0x100) for b in range(256)]
    sequences += [bytes(t) for t in itertools.product(_EDGE_BYTES, repeat=3)]
    sequences += [bytes(rnd.choice(_EDGE_BYTES) for _ in range(rnd.randint(4, 7))) for _ in range(3000)]
    corpus["utf8"] = [("udec", "".join(f"%{b:02X}" for b in seq)) for seq in sequences]
    return corpus


@pytest.fixture(scope="module")
def jdk_differential():
    reason = util_oracle_unavailable()
    if reason:
        pytest.skip(f"JDK oracle for $util unavailable: {reason}")
    corpus = _jdk_corpus()
    items = [item for part in corpus.values() for item in part]
    results = iter(run_util_batch(items))
    return {name: [(item, next(results)) for item in part] for name, part in corpus.items()}


def _mismatches(pairs: list) -> list:
    out = []
    for (mode, text), expected in pairs:
        try:
            got = (True, _FUNCS[mode](text))
        except JavaException as exc:
            got = (False, str(exc))
        if got != expected:
            out.append((mode, text, expected, got))
    return out


@pytest.mark.parametrize("part", ["text", "base64", "utf8"])
def test_util_matches_jdk(jdk_differential, part):
    pairs = jdk_differential[part]
    bad = _mismatches(pairs)
    assert not bad, f"{len(bad)} of {len(pairs)} differ from the JDK, e.g. {bad[:5]!r}"
