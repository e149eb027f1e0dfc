"""The node walker (iter_child_nodes / walk) and the source spans nodes carry."""

import inspect

import pytest

from vtlgw.vtl import Template, TemplateRuntimeError
from vtlgw.vtl import nodes as n
from vtlgw.vtl.nodes import iter_child_nodes, walk
from vtlgw.vtl.parser import parse

# One template that needs every node class of the tree.
EVERY_NODE = (
    '#set($a = [1, {"k": $b}])'              # Set, Ref, ListLit, Literal, MapLit
    '#set($r = [1..3])'                      # Range
    '#if(!($a.x(1)[0] > 1))$a.p#elseif($b)x#{else}"$y"#end'  # If, Not, Paren, BinOp, Call, Index, Prop, Output, Text
    '#set($s = "in $a")'                     # InterpString
    '#foreach($i in $r)#break#end'           # Foreach, Break
    '#define($d)body#end'                    # Define
    '#stop'                                  # Stop
    '#include("x")'                          # Unsupported
)


def concrete_node_classes():
    return {c for _, c in inspect.getmembers(n, inspect.isclass)
            if issubclass(c, n.Node) and c is not n.Node and c.__module__ == n.__name__}


def test_walk_visits_every_node_class():
    # A node class added without walker support fails here (KeyError in walk, or missing from the set).
    visited = {type(x) for x in walk(parse(EVERY_NODE))}
    assert visited == concrete_node_classes()


def test_every_node_has_a_span():
    for x in walk(parse(EVERY_NODE)):
        assert 0 <= x.pos <= x.end <= len(EVERY_NODE), x


def names(nodes):
    return [type(x).__name__ for x in nodes]


def test_walk_is_depth_first_in_source_order():
    tree = parse("#if($a == 1)A$b#elseif($c)C#{else}E#end")
    assert names(walk(tree)) == [
        "If", "BinOp", "Ref", "Literal", "Text", "Output", "Ref", "Ref", "Text", "Text"]
    texts = [x.text for x in walk(tree) if isinstance(x, n.Text)]
    assert texts == ["A", "C", "E"]


def test_iter_child_nodes_of_set_foreach_and_calls():
    (set_, loop) = parse("#set($m.k = $f.g($x, 'y'))#foreach($i in $list)$i#end")
    assert names(iter_child_nodes(set_)) == ["Ref", "Ref"]
    target, value = iter_child_nodes(set_)
    assert target.name == "m" and value.name == "f"
    (call,) = iter_child_nodes(value)
    assert isinstance(call, n.Call) and call.name == "g"
    assert [getattr(a, "name", None) or a.value for a in iter_child_nodes(call)] == ["x", "y"]
    kids = list(iter_child_nodes(loop))
    assert kids[0].name == "list" and isinstance(kids[1], n.Output)


def test_map_literal_children_alternate_keys_and_values():
    (set_,) = parse('#set($m = {"a": 1, "b": $v})')
    assert [getattr(x, "value", None) or x.name for x in iter_child_nodes(set_.value)] == ["a", 1, "b", "v"]


def test_interpolated_string_body_is_walked():
    (set_,) = parse('#set($s = "x $y #if($z)z#end")')
    assert {"Ref", "If", "Text"} <= set(names(walk(set_.value)))


def test_walk_accepts_a_single_node():
    (out,) = parse("$a.b")
    assert names(walk(out)) == ["Output", "Ref", "Prop"]


# ---------------------------------------------------------------- spans

def span(src, node):
    return src[node.pos:node.end]


def test_reference_span_covers_the_whole_call():
    src = '{"v": "$util.escapeJavaScript($x)"}'
    (ref,) = [x for x in walk(parse(src)) if isinstance(x, n.Ref) and x.name == "util"]
    assert span(src, ref) == "$util.escapeJavaScript($x)"
    (inner,) = [x for x in walk(parse(src)) if isinstance(x, n.Ref) and x.name == "x"]
    assert span(src, inner) == "$x"


@pytest.mark.parametrize("src", ["${a.b}", "$!a.b[0].c()", "$!{a}", "$a.b"])
def test_reference_spans(src):
    (out,) = parse(src)
    assert span(src, out.ref) == src
    assert span(src, out) == src


def test_directive_spans():
    src = "#set( $x = 1 )\n#if($x)a#else b#end  \n#foreach($i in [1..2])$i#end#define($d)q#end#stop"
    stmts = [x for x in parse(src) if not isinstance(x, n.Text)]
    assert [span(src, x) for x in stmts] == [
        "#set( $x = 1 )", "#if($x)a#else b#end", "#foreach($i in [1..2])$i#end", "#define($d)q#end", "#stop"]


def test_string_literal_spans():
    src = """#set($a = "x$y")#set($b = 'z')#set($c = "plain")$f.g("arg")"""
    strings = [x for x in walk(parse(src))
               if isinstance(x, n.InterpString) or (isinstance(x, n.Literal) and isinstance(x.value, str))]
    assert [span(src, x) for x in strings] == ['"x$y"', "'z'", '"plain"', '"arg"']


def test_nested_reference_spans_inside_string_literals():
    src = '#set($a = "pre ${b.c} post")'
    (ref,) = [x for x in walk(parse(src)) if isinstance(x, n.Ref) and x.name == "b"]
    assert span(src, ref) == "${b.c}"


def test_template_keeps_its_tree():
    t = Template("#set($x = 1)$x")
    assert names(walk(t.tree)) == ["Set", "Ref", "Literal", "Output", "Ref"]


def test_if_chain_keeps_its_keywords_offsets():
    src = "#if($a)A#elseif($b)B#{elseif}($c)C#{else}D#end"
    (chain,) = parse(src)
    assert [src[k:k + 8] for k in chain.keywords] == ["#if($a)A", "#elseif(", "#{elseif", "#{else}D"]
    (plain,) = parse("#if($a)A#end")
    assert plain.keywords == (0,)


def test_spans_inside_a_string_literal_with_doubled_quotes():
    # "" is one character of the value; nodes after it still point at their source.
    src = '#set($s = "a""b $x.y """" ${z}")'
    refs = [x for x in walk(parse(src)) if isinstance(x, n.Ref) and x.name != "s"]
    assert [span(src, r) for r in refs] == ["$x.y", "${z}"]


def test_runtime_error_inside_a_string_with_doubled_quotes_is_located():
    src = '#set($s = "a""b""c $x.substring(5)")$s'
    with pytest.raises(TemplateRuntimeError) as err:
        Template(src).render({"x": "a"})
    assert err.value.column == src.index("$x") + 1
