"""Output origins: Template.render_traced says which template line:col wrote each output character."""

import pytest

from tests.vtl.oracle_corpus import CASES, RUNTIME_ERROR_GROUP, SYNTAX_ERROR_GROUP
from vtlgw.vtl import Limits, Template, TemplateRuntimeError, VtlError


def line_col(src, offset):
    line = src.count("\n", 0, offset) + 1
    return line, offset - (src.rfind("\n", 0, offset) + 1) + 1


def test_comma_in_a_loop_points_at_the_comma():
    src = "[#foreach($x in [1,2])$x,#end]"
    traced = Template(src).render_traced()
    assert traced.text == "[1,2,]"
    comma = src.index("$x,") + 2
    assert traced.origin(2) == (1, comma + 1)
    assert traced.origin(4) == (1, comma + 1)
    assert traced.origin(0) == (1, 1)
    assert traced.origin(5) == (1, len(src))


def test_stray_comma_on_a_later_line():
    src = '{\n  "a": "$a",\n  "b": 1,\n}\n'
    traced = Template(src).render_traced({"a": "x"})
    text = traced.text
    stray = text.rindex(",")
    assert traced.origin(stray) == (3, 9)
    assert traced.origin(text.index("x")) == (2, 9)  # the reference's "$"


def test_every_character_of_a_printed_value_points_at_the_reference():
    src = "ab\n  $name.first!"
    traced = Template(src).render_traced({"name": {"first": "Ann"}})
    assert traced.text == "ab\n  Ann!"
    assert [traced.origin(i) for i in range(5, 8)] == [(2, 3)] * 3
    assert traced.origin(8) == (2, 14)


def test_text_after_comments_and_unparsed_blocks_maps_exactly():
    src = "a## note\nb#* block *#c#[[$d]]#e"
    traced = Template(src).render_traced()
    assert traced.text == "abc$de"
    assert [traced.source_offset(i) for i in range(6)] == [
        0, src.index("b"), src.index("c#"), src.index("$d"), src.index("d]"), src.rindex("e")]


def test_text_inside_branches_and_after_directives():
    src = '#set($ok = true)\n#if($ok)\n  "yes",\n#else\n  "no"\n#end\n]'
    traced = Template(src).render_traced()
    assert traced.text == '  "yes",\n]'
    assert traced.origin(traced.text.index(",")) == (3, 8)
    assert traced.origin(len(traced.text) - 1) == (7, 1)


def test_define_block_text_keeps_its_own_origins():
    src = "#define($b)in$x#end[$b]"
    traced = Template(src).render_traced({"x": "Q"})
    assert traced.text == "[inQ]"
    assert [traced.source_offset(i) for i in range(5)] == [
        src.index("["), src.index("in$"), src.index("n$"), src.index("$x"), src.index("]")]


def test_nested_define_blocks_keep_their_origins():
    src = "#define($a)A#end#define($b)<$a>#end$b$b"
    traced = Template(src).render_traced()
    assert traced.text == "<A><A>"
    assert [traced.source_offset(i) for i in range(3)] == [src.index("<"), src.index("A#end"), src.index(">")]
    assert traced.source_offset(4) == src.index("A#end")


def test_a_block_used_as_a_value_points_at_the_reference_printing_the_value():
    src = '#define($b)xy#end#set($s = "$b!")$s'
    traced = Template(src).render_traced()
    assert traced.text == "xy!"
    assert {traced.source_offset(i) for i in range(3)} == {src.rindex("$s")}


BLOCK_ESCAPES = [
    "#define($b)x#stop y#end a$b z",
    "#define($a)1#stop 2#end#define($b)<$a>#end[$b]",
    "#define($b)x#break y#end[$b$b]",
    '#define($a)1#stop#end#define($b)<#set($s = "$a")$s>#end[$b]',
    "#foreach($i in [1, 2])#define($b)$i#if($i == 2)#stop#end;#end$b#end!",
    '#define($b)q#end#set($s = "[$b]")$s$b',
]


@pytest.mark.parametrize("src", BLOCK_ESCAPES)
def test_blocks_print_the_same_text_traced(src):
    t = Template(src)
    assert t.render_traced().text == t.render()


def test_string_literal_text_points_at_the_printing_reference():
    src = '#set($s = "x$v")$s'
    traced = Template(src).render_traced({"v": 1})
    assert traced.text == "x1"
    assert traced.origin(0) == traced.origin(1) == (1, src.rindex("$s") + 1)


def test_offsets_outside_the_output_have_no_origin():
    traced = Template("ab").render_traced()
    assert traced.origin(-1) is None and traced.origin(2) is None
    assert str(traced) == "ab"


def test_stop_inside_a_define_keeps_its_text_and_origins():
    src = "a#define($b)x#stop#end$b"
    traced = Template(src).render_traced()
    assert traced.text == "ax"
    assert traced.origin(0) == (1, 1)
    assert traced.source_offset(1) == src.index("x")


def test_traced_render_reports_errors_like_render():
    src = "ok\n  $s.substring(5)"
    with pytest.raises(TemplateRuntimeError) as plain:
        Template(src).render({"s": "ab"})
    with pytest.raises(TemplateRuntimeError) as traced:
        Template(src).render_traced({"s": "ab"})
    assert (traced.value.line, traced.value.column, str(traced.value)) == (
        plain.value.line, plain.value.column, str(plain.value))
    assert (plain.value.line, plain.value.column) == (2, 3)


def test_traced_render_warns_like_render():
    limits = Limits(max_loop_iterations=2)
    warnings = []
    traced = Template("#foreach($i in [1..5])$i#end", limits=limits).render_traced(warnings=warnings)
    assert traced.text == "12"
    assert len(warnings) == 1 and "#foreach stopped after 2 iterations" in warnings[0].message
    assert (warnings[0].location.line, warnings[0].location.column) == (1, 1)


def test_traced_render_copies_inputs_unless_told_not_to():
    data = {"list": [1]}
    Template("#set($x = $list.add(2))").render_traced(data)
    assert data == {"list": [1]}
    Template("#set($x = $list.add(2))").render_traced(data, copy=False)
    assert data == {"list": [1, 2]}


RENDERABLE = [c for c in CASES if c.group not in (SYNTAX_ERROR_GROUP, RUNTIME_ERROR_GROUP)]


@pytest.mark.parametrize("case", RENDERABLE, ids=[c.id for c in RENDERABLE])
def test_traced_output_equals_render_and_points_into_the_template(case):
    template = Template(case.source)
    try:
        expected = template.render()
    except VtlError:
        return
    traced = template.render_traced()
    assert traced.text == expected
    for i, char in enumerate(traced.text):
        at = traced.source_offset(i)
        if at is None:
            continue
        assert 0 <= at < len(case.source)
        # Literal text maps to the very character; printed values map to their reference's "$".
        assert case.source[at] in (char, "$"), (i, char, at)


def test_writer_tells_literal_text_from_a_printed_value():
    from vtlgw.vtl import nodes as n

    src = "a$b"
    traced = Template(src).render_traced({"b": "xy"})
    assert isinstance(traced.writer(0), n.Text)
    ref = traced.writer(2)
    assert isinstance(ref, n.Ref) and src[ref.pos:ref.end] == "$b"
    assert traced.writer(3) is None
