"""Branch forcing: Template.if_chains() and Template.variant(), for render-based lint checks."""

import pytest

from tests.vtl.oracle_corpus import CASES, RUNTIME_ERROR_GROUP, SYNTAX_ERROR_GROUP
from vtlgw.vtl import Template, TemplateRuntimeError, VtlError
from vtlgw.vtl.template import IfChain


def test_forcing_the_else():
    t = Template("#if(true)a#{else}b#end")
    assert t.if_chains() == (IfChain(0, 1, True),)
    assert t.render() == "a"
    assert t.variant({0: 1}).render() == "b"
    assert t.variant({0: 0}).render() == "a"


def test_forcing_each_branch_of_a_chain():
    src = "[#if($a)A#elseif($b)B#elseif($c)C#end]"
    t = Template(src)
    assert t.if_chains() == (IfChain(1, 3, False),)
    assert [t.variant({1: i}).render() for i in range(4)] == ["[A]", "[B]", "[C]", "[]"]
    assert t.variant({1: 9}).render() == "[]"  # past the last branch: none runs


def test_other_chains_are_evaluated_normally():
    src = "#if($x)X#{else}x#end#if($y)Y#{else}y#end"
    t = Template(src)
    second = t.if_chains()[1].pos
    assert second == src.index("#if($y)")
    assert t.variant({0: 0}).render({"y": True}) == "XY"
    assert t.variant({0: 0}).render({"y": False}) == "Xy"
    assert t.variant({second: 1}).render({"x": True, "y": True}) == "Xy"


def test_the_forced_chains_conditions_are_not_evaluated():
    t = Template('#set($l = [])#if($l.add(1))#elseif($l.add(2))#end$l')
    assert t.render() == "[1]"  # add() is true: the #if is taken, the #elseif never tested
    pos = t.if_chains()[0].pos
    assert t.variant({pos: 1}).render() == "[]"


def test_forcing_a_chain_inside_a_loop_forces_every_iteration():
    src = "#foreach($i in [1, 2, 3])#if($i == 2)T#{else}F#end#end"
    t = Template(src)
    (chain,) = t.if_chains()
    assert t.render() == "FTF"
    assert t.variant({chain.pos: 0}).render() == "TTT"
    assert t.variant({chain.pos: 1}).render() == "FFF"


def test_chains_in_define_bodies_and_string_literals_are_listed_and_forced():
    src = '#define($d)#if(false)D#end#end#set($s = "#if(false)S#end")$d$s'
    t = Template(src)
    chains = t.if_chains()
    assert [c.pos for c in chains] == [src.index("#if"), src.index('"#if') + 1]
    assert t.render() == ""
    assert t.variant({chains[0].pos: 0, chains[1].pos: 0}).render() == "DS"


def test_nested_chains_are_listed_in_source_order():
    src = "#if($a)#if($b)x#end#elseif($c)#{else}#if($d)y#{else}z#end#end"
    t = Template(src)
    assert t.if_chains() == (
        IfChain(0, 2, True),
        IfChain(src.index("#if($b)"), 1, False),
        IfChain(src.index("#if($d)"), 1, True),
    )
    inner = t.if_chains()[2].pos
    assert t.variant({0: 2, inner: 0}).render({"d": False}) == "y"
    assert t.variant({0: 2}).render({"d": False}) == "z"


def test_variants_are_cached_and_compose():
    t = Template("#if($a)A#{else}a#end#if($b)B#{else}b#end")
    first, second = (c.pos for c in t.if_chains())
    assert t.variant({}) is t
    assert t.variant({first: 1}) is t.variant({first: 1})
    both = t.variant({first: 1}).variant({second: 0})
    assert both is t.variant({first: 1, second: 0})
    assert both.forced == {first: 1, second: 0}
    assert both.render() == "aB"
    assert both.variant({}) is both  # adds nothing to its forcing


def test_variants_render_traced():
    src = "#if(true)\n  a\n#else\n  b,\n#end"
    v = Template(src).variant({0: 1})
    traced = v.render_traced()
    assert traced.text == "  b,\n"
    assert traced.origin(3) == (4, 4)


def test_variant_errors_are_located():
    src = "#if(true)ok#else\n$s.substring(9)#end"
    with pytest.raises(TemplateRuntimeError) as err:
        Template(src).variant({0: 1}).render({"s": "x"})
    assert (err.value.line, err.value.column) == (2, 1)


def test_unknown_chain_or_bad_index_is_refused():
    t = Template("#if(true)a#end")
    with pytest.raises(ValueError, match="no #if chain starts at offset 3"):
        t.variant({3: 0})
    with pytest.raises(ValueError, match="branch index"):
        t.variant({0: -1})


CHAINED = [c for c in CASES if c.group not in (SYNTAX_ERROR_GROUP, RUNTIME_ERROR_GROUP) and "#if" in c.source]


@pytest.mark.parametrize("case", CHAINED, ids=[c.id for c in CHAINED])
def test_every_branch_of_the_corpus_renders(case):
    # Forcing never breaks the engine itself: a variant renders, or fails as a template can.
    t = Template(case.source)
    for chain in t.if_chains():
        for branch in range(chain.branches + 1):
            variant = t.variant({chain.pos: branch})
            try:
                text = variant.render()
            except VtlError as exc:
                assert "internal error" not in str(exc)
                continue
            assert variant.render_traced().text == text


def test_forcing_deeply_nested_chains():
    depth = 150
    t = Template("#if(true)" * depth + "x" + "#{else}y#end" * depth)
    chains = t.if_chains()
    assert len(chains) == depth
    assert t.render() == "x"
    assert t.variant({chains[-1].pos: 1}).render() == "y"
    assert t.variant({chains[0].pos: 1}).render() == "y"
    assert t.variant({chains[0].pos: 2}).render() == ""


def test_a_forced_render_leaves_the_template_and_other_variants_alone():
    t = Template("#if($a)A#{else}B#end")
    forced = t.variant({0: 1})
    assert forced.render({"a": True}) == "B"
    assert t.render({"a": True}) == "A"
    assert t.variant({0: 0}).render({"a": False}) == "A"
    assert forced.render({"a": True}) == "B"
