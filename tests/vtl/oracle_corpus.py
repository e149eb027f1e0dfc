"""Differential corpus: templates whose output must equal the Velocity 1.7 jar's, byte for byte.

Every case here is in the part of the language where API Gateway behaves as stock
Velocity 1.7 (docs/velocity.md §3-§7): every reference is defined before use, nothing
prints a null, and the directives AWS disables (#macro, #evaluate, #include,
#parse) are left out. The undefined/null model and the disabled directives are
asserted elsewhere against the outputs written in the spec.

``CASES`` is a list of :class:`Case` (group, name, source). Two groups are
special:

* ``syntax_error``: the jar rejects each template before rendering (a
  ParseErrorException, or for ``#define()`` the VelocityException of directive
  initialisation); vtlgw must raise ``TemplateSyntaxError``.
* ``runtime_error``: the jar throws while rendering (a Java method throws, U07);
  vtlgw must raise ``TemplateRuntimeError``.

Every other group renders in the jar. Whitespace handling (docs/velocity.md §5) has
two groups: ``whitespace`` (hand-written layouts) and ``whitespace_gen``,
generated from a small grammar of line shapes x indentation x trailing blanks x
line endings, with a fixed, bounded selection of combinations.

All templates are this project's own.
"""

from __future__ import annotations

from typing import NamedTuple


class Case(NamedTuple):
    group: str
    name: str
    source: str

    @property
    def id(self) -> str:
        return f"{self.group}-{self.name}"


CASES: list[Case] = []

#: groups whose templates the jar must reject / fail on
SYNTAX_ERROR_GROUP = "syntax_error"
RUNTIME_ERROR_GROUP = "runtime_error"


def _group(group: str, cases: list[tuple[str, str]]) -> None:
    for name, source in cases:
        CASES.append(Case(group, name, source))


# ---------------------------------------------------------------------------
# References: plain, formal, quiet, hyphenated, chains (docs/velocity.md §3)
# ---------------------------------------------------------------------------
_group("reference", [
    ("plain", '#set($name = "Ann")Hi $name!'),
    ("formal", '#set($name = "Ann")#set($n = 3)${name}ette ${n}rd a$!{n}b $n!'),
    ("quiet", '#set($name = "Ann")[$!name][$!{name}]x'),
    ("formal_chain", '#set($m = {"a": {"b": "deep"}})${m.a.b}!'),
    ("quiet_chain", '#set($m = {"a": {"b": "deep"}})$!m.a.b'),
    ("formal_quiet_methods", '#set($s = "abc")${s.toUpperCase()}z $!s.length() $!{s.substring(1)}'),
    ("adjacent_refs", '#set($a = "x")#set($b = "y")$a$b$a'),
    ("hyphen_name", '#set($my-var = 5)#set($a-b-c = "abc")$my-var <$a-b-c>'),
    ("hyphen_formal_split", '#set($stage = "dev")#set($name = "api")${stage}-$name'),
    ("hyphen_trailing", '#set($i- = "DASH")#set($i = "I")$i-'),
    ("hyphen_map_key", '#set($h = {"Content-Type": "json", "X-Id": "42"})$h.Content-Type ${h.X-Id}.'),
    ("reference_end_chars", '#set($w = "www")$w. $w. $w@x.com'),
    ("dollar_not_a_reference", "#set($x = 1)$1abc $9 a $ b $.a $[0] $..b $$x"),
    ("bang_alone", '#set($n = "N")a $! b $n'),
    ("underscore", '#set($_x = "u")#set($_1 = "one")$_x $_1'),
    ("case_and_digits", '#set($Abc = 1)#set($abc = 2)#set($a12 = "w")$Abc$abc $a12'),
    ("method_chain", '#set($s = " Hello ")$s.trim().toUpperCase().length()'),
    ("property_index_chain", '#set($m = {"list": [{"n": "first"}, {"n": "second"}]})$m.list[1].n'),
    ("ref_then_brackets_parens", '#set($a = "x")($a) $a [text] $a (note)'),
    ("empty_property", '#set($s = "abc")#set($e = "")#set($l = [1])#set($z = [])$s.empty $e.empty $l.empty $z.empty'),
    ("map_keys_named_like_methods", '#set($m = {"empty": "yes", "size": "big"})$m.empty $m.size'),
    ("unicode_text", '#set($n = "Zoë")¡Hola $n! ✓'),
])

# ---------------------------------------------------------------------------
# Index notation
# ---------------------------------------------------------------------------
_group("index", [
    ("list", '#set($l = ["a", "b", "c"])$l[0]$l[2]'),
    ("list_negative", '#set($l = ["a", "b", "c"])$l[-1] $l[-3]'),
    ("nested", '#set($a = [[1, 2], [3, 4]])$a[1][1] $a[0][1]'),
    ("map_string_key", "#set($m = {\"k\": \"v\", \"a b\": 1})$m[\"k\"] $m['k'] $m[\"a b\"]"),
    ("map_var_key", '#set($m = {"a": 1, "b": 2})#set($k = "b")$m[$k]'),
    ("map_int_key", '#set($m = {1: "one", 2: "two"})$m[2]'),
    ("then_property", '#set($a = [{"b": "x"}, {"b": "y"}])$a[1].b'),
    ("then_method", '#set($l = ["abc"])$l[0].toUpperCase()'),
    ("formal_quiet", '#set($l = ["p", "q"])${l[1]}! $!l[0]'),
    ("var_index", '#set($l = ["p", "q", "r"])#set($i = 2)#set($last = $l.size() - 1)$l[$i]$l[$last]'),
    ("map_nested", '#set($m = {"a": {"b": "c"}, "l": [10, 20]})$m["a"]["b"] $m["l"][1] $m.l[0]'),
    ("in_if", '#set($l = [true, false])#if($l[1])T#else F#end'),
    ("in_string", '#set($l = ["x", "y"])#set($s = "<$l[1]>")$s'),
    ("after_method", '#set($s = "a,b,c")$s.split(",")[1]'),
    ("range", '#set($r = [5..9])$r[2]'),
])

# ---------------------------------------------------------------------------
# String literals
# ---------------------------------------------------------------------------
_group("string", [
    ("single_no_interp", "#set($n = \"x\")#set($s = '$n is ${n} #if(true)x#end')$s"),
    ("double_interp", '#set($n = "x")#set($s = "val=$n ${n}y")$s'),
    ("double_method_index", '#set($n = "abc")#set($l = ["ab"])#set($s = "len ${n.length()} ${l[0].length()}")$s'),
    ("double_if", '#set($s = "#if(true)yes#else no#end")$s'),
    ("double_if_false", '#set($s = "#if(false)yes#{else}no#end")$s'),
    ("double_foreach", '#set($s = "#foreach($i in [1..3])$i#end")$s'),
    ("double_set", '#set($s = "#set($z = 9)z")$s$z'),
    ("doubled_quotes", "#set($s = \"say \"\"hi\"\"\")#set($t = 'it''s')$s $t"),
    ("other_quote_inside", "#set($s = \"it's\")#set($t = 'say \"x\"')$s $t"),
    ("backslash_not_escape", r"#set($s = 'a\nb')#set($t = " + '"a\\nb \\{")$s $t'),
    ("backslash_escaped_ref_in_double", r'#set($n = "v")#set($s = "\$n")$s'),
    ("empty_strings", "#set($e = \"\")#set($f = '')[$e][$f]"),
    ("real_newline_and_tab", '#set($s = "a\nb\tc")[$s]'),
    ("dollar_text_in_double", '#set($s = "cost $ 5")#set($t = "a$")[$s][$t]'),
    ("special_text_kept", "#set($c = \"#13ff93\")#set($s = \"$.a.b\")#set($t = '$.a[0]')$c $s $t"),
    ("unicode", '#set($s = "héllo ✓")$s $s.length()'),
    ("interp_values", '#set($l = [1, 2])#set($m = {"a": 1})#set($n = 42)#set($s = "l=$l m=$m n=$n")$s'),
    ("interp_nested_quotes", '#set($n = "q")#set($s = "[""$n""]")$s'),
    ("line_comment_in_double", '#set($s = "a ## b")[$s]'),
    ("literal_args", "#set($d = \"D\")#set($s = \"abc\")$s.concat('$d') $s.concat(\"$d\")"),
    ("quoted_text_outside", '#set($n = "x")"$n" and \'$n\''),
    ("interp_define", '#define($d)D#end#set($s = "[$d]")$s'),
])

# ---------------------------------------------------------------------------
# Escapes and stray # / $
# ---------------------------------------------------------------------------
_group("escape", [
    ("dollar", r"#set($x = 1)\$x"),
    ("double_backslash", r"#set($x = 1)\\$x"),
    ("triple_backslash", r"#set($x = 1)\\\$x"),
    ("quad_backslash", r"#set($x = 1)\\\\$x"),
    ("formal_quiet", r"#set($x = 1)\${x} \$!x \$!{x}"),
    ("chain_method", r'#set($m = {"y": 2})#set($s = "ab")\$m.y \$s.length()'),
    ("end", r"a\#end b"),
    ("if", r"\#if(true)x\#end"),
    ("if_args_rendered", r"#set($x = 1)\#if($x == 1)a\#end"),
    ("set", r"#set($x = 1)\#set($x = 2)$x"),
    ("other_directives", r'#set($i = "I")\#foreach($i in [1]) \#else \#elseif(true) \#stop'),
    ("brace_end", r"\#{end}"),
    ("backslash_space_hash", r"\# end"),
    ("double_backslash_if", r"\\#if(true)x#end"),
    ("double_backslash_set", r"\\#set($x = 3)$x"),
    ("escaped_end_inside_if", r"#if(true)\#end#end"),
    ("lone_hash", "a # b"),
    ("color", "color: #13ff93;"),
    ("href", '<a href="#">top</a>'),
    ("hash_not_directive", "#1 #2 #(x) #{ not a directive #{1}"),
    ("lone_backslashes", r"a \ b \n \\ c\t \$ d"),
    ("ref_backslash_ref", r"#set($x = 1)$x\$x \x"),
    ("backslash_at_end", "#set($x = 1)$x\\"),
    ("escaped_in_string", r'#set($x = 1)#set($s = "\\$x")$s'),
])

# ---------------------------------------------------------------------------
# Comments and unparsed blocks
# ---------------------------------------------------------------------------
_group("comment", [
    ("line", "a## comment\nb### three\nc"),
    ("line_at_end", "a ## trailing"),
    ("line_only", "## only"),
    ("line_with_directive_text", "a## #if(true) $x\nb"),
    ("block", "a #* block *# b#if(true)a#* c *#b#end"),
    ("block_multiline", "a#* one\ntwo\nthree *#b"),
    ("block_empty_and_doc", "a#**#b#** doc *#c"),
    ("block_ends_at_first_close", "a#* x * y *# z *#."),
    ("block_hash_inside", "a#* # ## #if( *#b"),
    ("unparsed", "#set($x = 1)#[[ $x #if( ]]#"),
    ("unparsed_multiline", "#[[\n#foreach($i in $l)\n  $i\n#end\n]]#"),
    ("unparsed_empty_and_stray_close", "a#[[]]#b ]]# c"),
    ("unparsed_then_ref", "#set($x = 1)#[[$x]]#$x"),
    ("after_ref_and_directive", "#set($x = 1)## set\n$x## note\nend"),
    ("in_foreach", "#foreach($i in [1..3])$i## c\n#end"),
    ("then_crlf", "a## c\r\nb"),
])

# ---------------------------------------------------------------------------
# Literals: numbers, booleans, lists, maps, ranges
# ---------------------------------------------------------------------------
_group("literal", [
    ("ints", "#set($a = 42)#set($b = -5)#set($c = 0)#set($d = 007)$a $b $c $d"),
    ("int_long_big", "#set($a = 2147483647)#set($b = 2147483648)#set($c = 9223372036854775807)#set($d = 9223372036854775808)$a $b $c $d"),
    ("floats", "#set($a = 2.50)#set($b = -0.5)#set($c = 1.0)#set($d = 3.)#set($e = 0.0)$a $b $c $d $e"),
    ("float_exponents", "#set($a = 1e3)#set($b = 1.5E2)#set($c = 2.5e-3)$a $b $c"),
    ("float_small", "#set($a = 0.0001)#set($b = 0.001)$a $b"),
    ("float_large", "#set($a = 10000000.0)#set($b = 1234567.5)#set($c = 12345678.9)$a $b $c"),
    ("booleans", "#set($a = true)#set($b = false)$a $b"),
    ("list", '#set($x = 3)#set($l = [1, "two", $x])$l'),
    ("list_empty_nested", '#set($l = [[1, 2], ["a"], []])#set($e = [])$l $e'),
    ("list_spaces", "#set($l = [ 1 , 2 ,3 ])$l"),
    ("list_mixed_types", '#set($l = [true, 1.5, "s", 7, {"a": 1}])$l'),
    ("map", '#set($m = {"k": "v", 1: "one"})#set($e = {})$m $e'),
    ("map_nested", '#set($m = {"a": {"b": {"c": 1}}})$m'),
    ("map_var_key_value", '#set($k = "key")#set($v = "val")#set($m = {$k: $v})$m'),
    ("map_order", '#set($m = {"z": 1, "a": 2, "m": 3})$m'),
    ("map_duplicate_key", '#set($m = {"a": 1, "b": 2, "a": 3})$m'),
    ("map_single_quotes_spaces", "#set($m = { 'a' : 'x' , \"b\":2 })$m"),
    ("range", "#set($r = [1..5])#set($d = [5..1])#set($z = [0..0])$r $d $z"),
    ("range_spaces", "#set($r = [ 1 .. 3 ])$r $r.size()"),
    ("range_negative", "#set($r = [-2..2])#set($s = [3..-2])$r $s"),
    ("range_vars", "#set($a = 2)#set($b = 4)#set($c = -1)#set($r = [$a..$b])#set($s = [$a..$c])$r $s"),
    ("list_of_ranges", "#set($l = [[1..2], [3..4]])$l"),
])

# ---------------------------------------------------------------------------
# Operators: logic, word forms, precedence, short-circuit
# ---------------------------------------------------------------------------
_group("operator", [
    ("and_or_not", "#set($a = true && false)#set($b = false || true)#set($c = !true)#set($d = !!true)$a $b $c $d"),
    ("word_logic", "#set($a = true and true)#set($b = false or false)#set($c = not false)$a $b $c"),
    ("word_comparisons",
     "#set($a = 2 eq 2)#set($b = 2 ne 2)#set($c = 1 lt 2)#set($d = 2 le 2)#set($e = 1 gt 2)#set($f = 3 ge 2)"
     "$a $b $c $d $e $f"),
    ("and_binds_tighter", "#set($a = true || false && false)#set($b = false && false || true)$a $b"),
    ("not_binds_tightest", "#set($a = !false && false)#set($b = !(true || true))$a $b"),
    ("mul_before_add", "#set($a = 1 + 2 * 3)#set($b = (1 + 2) * 3)#set($c = 2*3+1)$a $b $c"),
    ("left_assoc", "#set($a = 10 - 2 - 3)#set($b = 64 / 4 / 2)$a $b"),
    ("mod_mul_same_level", "#set($a = 2 * 7 % 4)#set($b = 7 % 4 * 2)$a $b"),
    ("relational_precedence", "#set($a = 1 < 2 == true)#set($b = 1 + 1 > 1)$a $b"),
    ("nested_parens", "#set($r = ((2 + 3) * (4 - 1)) / 5)$r"),
    ("negative_literals", "#set($a = -5 + 3)#set($b = 5 - -3)#set($c = 5 --3)$a $b $c"),
    ("short_circuit_and", "#set($l = [])#set($f = false)#if($f && $l.add(1))T#end$l.size()"),
    ("short_circuit_or", "#set($l = [])#set($t = true)#if($t || $l.add(1))T#end$l.size()"),
    ("no_short_circuit", "#set($l = [])#set($t = true)#if($t && $l.add(1))T#end$l.size()"),
    ("logic_returns_boolean",
     '#set($f = false)#set($w = "x")#set($a = $f || $w)#set($b = $w && $w)#set($z = 0)#set($c = $z || false)$a $b $c'),
    ("and_of_string_literals", '#set($r = "a" && "b")$r'),
    ("not_of_string_ref", '#set($s = "")#set($r = !$s)$r'),
    ("refs_in_logic", "#set($a = 3)#set($b = 4)#set($r = $a < $b && $b <= 4)$r"),
    ("word_ops_in_if", "#set($x = 7)#if($x gt 5 and $x lt 10 and not ($x eq 8))in#end"),
])

# ---------------------------------------------------------------------------
# Arithmetic: integer/long/big, double, division, modulo, concatenation
# ---------------------------------------------------------------------------
_group("arith", [
    ("int_div", "#set($a = 7 / 2)#set($b = -7 / 2)#set($c = -7 / -2)#set($d = 6 / 3)$a $b $c $d"),
    ("mod", "#set($a = 7 % 3)#set($b = -7 % 3)#set($c = 7 % -3)$a $b $c"),
    ("sub_negative_result", "#set($r = 5 - 10)$r"),
    ("int_overflow_add_sub", "#set($a = 2147483647 + 1)#set($b = -2147483648 - 1)$a $b"),
    ("int_overflow_mul", "#set($a = 2147483647 * 2)#set($b = 46341 * 46341)$a $b"),
    ("long_div_mod", "#set($a = 4294967296 / 2)#set($b = 10000000000 % 7)$a $b"),
    ("long_overflow_add_sub", "#set($a = 9223372036854775807 + 1)#set($b = -9223372036854775807 - 10)$a $b"),
    ("long_overflow_mul", "#set($r = 9223372036854775807 * 3)$r"),
    ("bigint_back_to_long", "#set($r = 9223372036854775808 - 1)$r"),
    ("min_int_div_neg_one", "#set($r = -2147483648 / -1)$r"),
    ("float_mod", "#set($r = 7.5 % 2)$r"),
    ("int_float_mix", "#set($a = 1 + 2.5)#set($b = 100.0 / 50)#set($c = 10 / 4.0)#set($d = 0.5 - 2)$a $b $c $d"),
    ("double_digits", "#set($a = 0.1 + 0.2)#set($b = 1 / 3.0)$a $b"),
    ("float_exponent_printing",
     "#set($a = 2.0 * 5000000)#set($b = 1 / 10000.0)#set($c = 1 / 1000.0)#set($d = 123456.0 * 1000)#set($e = 0.00002 * 0.5)"
     "$a $b $c $d $e"),
    ("div_mod_zero", "#set($r = 1)#set($r = 5 / 0)#set($q = 2)#set($q = 7 % 0)$r $q"),
    ("float_div_zero", "#set($r = 3)#set($r = 5.0 / 0)#set($q = 4)#set($q = 5 / 0.0)$r $q"),
    ("div_zero_in_expr", "#set($r = 5)#set($r = 1 + 5 / 0)$r"),
    ("string_concat_numbers", '#set($a = "n" + 1)#set($b = 1 + "b")#set($c = "3" + 2)#set($d = "v" + 2.50)$a $b $c $d'),
    ("string_concat_others", '#set($m = {"a": 1})#set($a = "is " + true)#set($b = "m:" + $m)$a $b'),
    ("list_plus_string", '#set($l = [1, 2, 3])#set($r = $l + "x")$r'),
    ("non_numbers_give_null",
     '#set($l = [1])#set($a = "k")#set($a = "3" * 2)#set($b = "k")#set($b = true + 1)'
     '#set($c = "k")#set($c = $l + 1)#set($d = "k")#set($d = "5" - 1)$a$b$c$d'),
    ("refs_add", '#set($a = 2)#set($b = 40)#set($c = "2")#set($d = "40")#set($r = $a + $b)#set($s = $c + $d)$r $s'),
    ("math_in_if", "#if(1 + 1 == 2)yes#end"),
    ("mixed_chain", "#set($r = 1 + 2 * 3.0 - 4 / 2)$r"),
])

# ---------------------------------------------------------------------------
# Comparison
# ---------------------------------------------------------------------------
_group("compare", [
    ("cross_type_equality", '#set($a = 1 == "1")#set($b = 7 == 7.0)#set($c = true == "true")#set($d = 2 != "2")$a $b $c $d'),
    ("strings_not_ordered", '#set($a = "b" > "a")#set($b = "a" < "b")#set($c = "10" < 5)$a $b $c'),
    ("string_equality", '#set($a = "a" == "a")#set($b = "a" == "A")#set($e = "")#set($c = $e == "")$a $b $c'),
    ("list_equality", "#set($a = [1, 2] == [1, 2])#set($b = [1, 2] == [2, 1])$a $b"),
    ("map_equality", '#set($a = {"x": 1, "y": 2})#set($b = {"y": 2, "x": 1})#set($r = $a == $b)$r'),
    ("numeric_ordering", "#set($a = 1 < 2.5)#set($b = 2147483648 > 1)#set($c = 3 >= 3)#set($d = 3 <= 2)$a $b $c $d"),
    ("to_string_equality", '#set($m = {"a": 1})#set($a = "1.0" == 1.0)#set($b = [1] == "[1]")#set($c = 2.50 == "2.5")#set($d = $m == "{a=1}")$a $b $c $d'),
    ("booleans", "#set($a = false == false)#set($b = true == 1)$a $b"),
    ("long_int_equality", "#set($a = 4294967296)#set($r = $a / 2 == 2147483648)$r"),
    ("in_if", '#set($s = "abc")#if($s == "abc")eq#else ne#end'),
])

# ---------------------------------------------------------------------------
# #set
# ---------------------------------------------------------------------------
_group("set", [
    ("simple_and_overwrite", '#set($x = 1)$x #set($x = "two")$x'),
    ("map_property", '#set($m = {"k": 1, "j": 2})#set($m.k = 3)#set($m.n = "v")$m'),
    ("map_index", '#set($m = {"a": 0})#set($k = "b")#set($m["k"] = 1)#set($m[$k] = 2)$m'),
    ("list_index", '#set($l = ["a", "b", "c"])#set($i = 0)#set($l[1] = "X")#set($l[$i] = "Y")$l'),
    ("list_negative_index", "#set($l = [1, 2])#set($l[-1] = 5)$l"),
    ("nested_property_index", '#set($a = {"b": [1, 2, 3]})#set($a.b[1] = 9)$a'),
    ("nested_map_property", '#set($m = {"n": {}})#set($m.n.x = 1)$m'),
    ("nested_index_index", '#set($m = {"n": {"x": 0}})#set($l = [[1, 2], [3, 4]])#set($m["n"]["x"] = 5)#set($l[1][0] = 0)$m $l'),
    ("property_of_missing_key_does_nothing", "#set($m = {})#set($m.a.b = 1)$m"),
    ("from_expression_and_method", '#set($s = "abc")#set($x = 2 * 21)#set($n = $s.length())$x $n'),
    ("spacing_and_brace_variants", "#set( $a = 1 )#set($b=2)#set ($c = 3)#{set}($d = 4)$a$b$c$d"),
    ("inside_if", "#set($x = 1)#if(true)#set($x = 2)#end$x"),
    ("interpolated", '#set($a = "A")#set($x = "<$a>")$x'),
    ("self_reference", '#set($m = {"c": 1})#set($m.c = $m.c + 1)$m.c'),
    ("aliasing", "#set($a = [1])#set($b = $a)#set($ok = $b.add(2))$a $ok"),
    ("int_key_index", '#set($m = {1: "a"})#set($m[1] = "b")$m'),
    ("hyphen_property", '#set($h = {})#set($h.X-Custom-Id = "7")$h'),
])

# ---------------------------------------------------------------------------
# #if / #elseif / #else
# ---------------------------------------------------------------------------
_group("if", [
    ("true_false", "#if(true)yes#end#if(false)no#end."),
    ("else", "#if(false)a#else b#end"),
    ("elseif", "#set($x = 2)#if($x == 1)one#elseif($x == 2)two#else other#end"),
    ("elseif_none", "#set($x = 9)#if($x == 1)one#elseif($x == 2)two#elseif($x == 3)three#end."),
    ("elseif_first_wins", "#set($x = 2)#if($x > 0)pos#elseif($x == 2)two#end"),
    ("nested", "#set($a = true)#set($b = false)#if($a)A#if($b)B#else!B#end#end"),
    ("truthy_refs",
     '#set($s = "")#set($z = 0)#set($l = [])#set($m = {})#if($s)1#end#if($z)2#end#if($l)3#end#if($m)4#end'),
    ("false_refs", "#set($f = false)#set($l = [false])#if($f)T#else F#end#if(!$f)T#end#if($l[0])X#end"),
    ("not_string_ref", '#set($s = "x")#if(!$s)T#else F#end'),
    ("literal_only_conditions",
     '#set($v = "x")#if("x")1#end#if(0)2#end#if([])3#end#if({"a": 1})4#end#if("$v")5#end#if([1..2])6#end#if(("x"))7#end.'),
    ("math_conditions", "#set($n = 1)#if(1 + 1)A#end#if($n + 1)B#end#if($n - 1 == 0)C#end."),
    ("parens_ref", "#set($t = true)#if(($t))T#else F#end"),
    ("method_result", '#set($s = "abc")#if($s.contains("b"))T#else F#end'),
    ("spacing_variants", "#if( true )T#end#if (true)U#end"),
    ("brace_forms", "#if(false)a#{else}b#end #if(true)a#{end}b"),
    ("all_brace", "#{if}(false)a#{elseif}(true)b#{else}c#{end}d"),
    ("else_brace_butted", "#set($x = 1)#if($x == 2)true#{else}false#{end}!"),
    ("deeply_nested", "#if(true)1#if(true)2#if(false)X#else 3#if(true)4#end#end#end#end"),
    ("elseif_with_set", "#if(false)#set($x = 1)#elseif(true)#set($x = 2)#end$x"),
    ("comparison_condition", "#set($n = 10)#if($n >= 10 && $n < 20)teen#end"),
])

# ---------------------------------------------------------------------------
# #foreach
# ---------------------------------------------------------------------------
_group("foreach", [
    ("list_ref", "#set($l = [1, 2, 3])#foreach($i in $l)<$i>#end"),
    ("range_up_down", "#foreach($i in [1..4])$i#end #foreach($i in [3..0])$i#end"),
    ("range_negative", "#foreach($i in [-2..1])$i #end"),
    ("range_vars", "#set($a = 3)#set($b = 5)#foreach($i in [$a..$b])$i#end #foreach($i in [$b..$a])$i#end"),
    ("range_string_bound", '#set($a = "x")#foreach($i in [$a..3])$i#end.'),
    ("map_values", '#set($m = {"a": 1, "b": 2})#foreach($v in $m)$v#end'),
    ("entry_set", '#set($m = {"a": 1, "b": "x"})#foreach($e in $m.entrySet())$e.key=$e.value;$e.getKey()/$e.getValue();[$e]#end'),
    ("key_set", '#set($m = {"a": 1, "b": 2})#foreach($k in $m.keySet())$k=$m.get($k) #end'),
    ("index_count", '#foreach($i in ["a", "b"])$foreach.index:$foreach.count #end'),
    ("has_next", "#foreach($i in [1..3])$i#if($foreach.hasNext),#end#end"),
    ("first_last", "#foreach($i in [1..3])#if($foreach.first)[#end$i#if($foreach.last)]#end$foreach.first/$foreach.last #end"),
    ("parent", "#foreach($i in [1..2])#foreach($j in [1..2])$foreach.parent.index$foreach.index/${foreach.parent.count}-$foreach.count #end#end"),
    ("velocity_count_has_next", "#foreach($i in ['a', 'b', 'c'])$velocityCount$velocityHasNext #end"),
    ("velocity_count_inner", "#foreach($i in [1..2])#foreach($j in [1..3])$velocityCount#end|#end"),
    ("nested", "#foreach($i in [1..2])#foreach($j in ['a', 'b'])$i$j #end#end"),
    ("nested_has_next_outer", "#foreach($i in [1..2])#foreach($j in [1])$j#end#if($foreach.hasNext);#end#end"),
    ("restore_loop_var", '#set($i = "orig")#foreach($i in [1, 2])$i#end $i'),
    ("set_inside_persists", "#set($t = 0)#foreach($i in [1..4])#set($t = $t + $i)#end$t"),
    ("break", "#foreach($i in [1..5])#if($i == 3)#break#end$i#end."),
    ("break_inner_only", "#foreach($i in [1..3])#foreach($j in [1..3])#if($j == 2)#break#end$i$j #end#end"),
    ("stop_inside", "a#foreach($i in [1..5])$i#if($i == 2)#stop#end#end b"),
    ("non_iterables", '#set($s = "abc")#set($n = 5)#set($b = true)#foreach($c in $s)x#end#foreach($c in $n)y#end#foreach($c in $b)z#end.'),
    ("empty", "#set($m = {})#foreach($i in [])x#end#foreach($i in $m)y#end."),
    ("split_array", '#set($s = "a,b,c")#foreach($p in $s.split(","))[$p]#end'),
    ("spacing_variants", "#foreach( $i in [1..2] )$i#end#foreach ($i in [3..4])$i#end"),
    ("brace_form", "#{foreach}($i in [1..2])$i#{end}!"),
    ("list_of_maps", '#foreach($p in [{"n": "a"}, {"n": "b"}])$p.n#end'),
    ("nested_lists", "#foreach($r in [[1, 2], [3]])$r:#foreach($c in $r)$c#end|#end"),
    ("json_like", '{#foreach($k in ["a", "b"])"$k": $foreach.count#if($foreach.hasNext), #end#end}'),
    ("single_item", "#foreach($i in [7])$foreach.first$foreach.last$foreach.hasNext#end"),
])

# ---------------------------------------------------------------------------
# #break / #stop outside loops
# ---------------------------------------------------------------------------
_group("control", [
    ("stop", "a#stop b"),
    ("stop_in_if", "a#if(true)b#stop c#end d"),
    ("stop_in_false_if", "a#if(false)#stop#end b"),
    ("break_outside_loop", "a#break b"),
    ("break_in_if_outside_loop", "a#if(true)b#break c#end d"),
    ("brace_forms", "#foreach($i in [1..3])$i#{break}#end.#{stop}x"),
    ("break_in_else", "#foreach($i in [1..3])#if($i < 2)$i#else#break#end#end."),
    ("stop_in_define", "#define($d)x#stop y#end$d z"),
])

# ---------------------------------------------------------------------------
# #define
# ---------------------------------------------------------------------------
_group("define", [
    ("late_binding", '#define($d)Hello $n#end#set($n = "A")$d #set($n = "B")$d'),
    ("with_directives", "#define($d)#foreach($i in [1..$n])*#end#end#set($n = 3)$d#set($n = 1)|$d"),
    ("in_loop", "#define($d)[$i]#end#foreach($i in [1..3])$d#end"),
    ("uses_other_define", "#define($a)A#end#define($b)<$a>#end$b"),
    ("reference_forms", "#define($d)D#end$d() ${d}x $!d"),
    ("redefine", "#define($d)one#end$d#define($d)two#end$d"),
    ("in_string", '#set($n = 1)#define($d)n=$n#end#set($s = "[$d]")$s'),
    ("empty_and_multiline", "#define($e)#end#define($d)\nline1\nline2\n#end[$e]($d)"),
    ("set_inside", "#define($d)#set($x = 5)#end#set($x = 1)$x$d$x"),
    ("brace_form", "#{define}($d)B#{end}$d"),
])

# ---------------------------------------------------------------------------
# Unknown directives (printed verbatim by 1.7 as on AWS)
# ---------------------------------------------------------------------------
_group("unknown_directive", [
    ("call_with_string", '#greet("x")'),
    ("bare_words", "#foo bar a#bar()b #return"),
    ("ref_arg_not_evaluated", "#set($x = 1)#hello($x) $x"),
    ("misspelled_and_text", "#iff(true)x Issue #fix the thing #{foo}"),
    ("in_if", "#if(true)#nope#end"),
])

# ---------------------------------------------------------------------------
# String methods (java.lang.String)
# ---------------------------------------------------------------------------
_group("string_method", [
    ("length_is_empty", '#set($s = "hello")#set($u = "äöü")#set($e = "")$s.length() $u.length() $e.isEmpty() $s.isEmpty()'),
    ("char_at", '#set($s = "hello")$s.charAt(1) #if($s.charAt(0) == "h")yes#end'),
    ("contains", '#set($s = "hello")$s.contains("ell") $s.contains("xyz")'),
    ("starts_ends_with", '#set($s = "hello")$s.startsWith("he") $s.startsWith("lo") $s.startsWith("ll", 2) $s.endsWith("lo") $s.endsWith("he")'),
    ("index_of", '#set($s = "hello")$s.indexOf("l") $s.indexOf("z") $s.indexOf("l", 3)'),
    ("last_index_of", '#set($s = "hello")$s.lastIndexOf("l") $s.lastIndexOf("q") $s.lastIndexOf("l", 2)'),
    ("substring", '#set($s = "hello")$s.substring(2) $s.substring(1, 3) [$s.substring(5)]'),
    ("replace", "#set($s = \"a-b-c\")$s.replace(\"-\", \"+\") $s.replace(\"-\", '$')"),
    ("replace_all_first", '#set($s = "a1b22c")#set($t = "aaa")$s.replaceAll("[0-9]+", "#") $t.replaceFirst("a", "b")'),
    ("replace_all_groups", '#set($s = "a,b")#set($t = "abc")$s.replaceAll("(a)", "[$1]") $t.replaceAll("b", "<$0>")'),
    ("replace_all_swap", "#set($s = \"john smith\")$s.replaceAll('(\\w+) (\\w+)', '$2, $1')"),
    ("replace_all_backslash_quote", "#set($s = \"it\\'s\")$s.replaceAll(\"\\\\'\", \"'\")"),
    ("replace_all_escaped_dollar", "#set($s = \"cost\")$s.replaceAll(\"cost\", '\\$5')"),
    ("replace_all_unicode", '#set($s = "naïve café")$s.replaceAll("[^a-z ]", "?")'),
    ("matches", "#set($s = \"12345\")#set($h = \"Hello\")$s.matches('\\d+') $h.matches(\"ell\") $h.matches(\".*ell.*\")"),
    ("split_sizes",
     '#set($a = "a,b,c")#set($b = "a,b,,")#set($c = "a.b")$a.split(",").size() $b.split(",").size() $b.split(",", -1).size() $c.split(".").size()'),
    ("split_limit", '#set($s = "a,b,c")#foreach($p in $s.split(",", 2))[$p]#end'),
    ("split_regexes", "#set($s = \"a.b\")#set($t = \"a  b \tc\")#foreach($p in $s.split('\\.'))[$p]#end#foreach($p in $t.split('\\s+'))<$p>#end"),
    ("split_leading_empty", '#set($s = ",a")#foreach($p in $s.split(","))[$p]#end'),
    ("case", '#set($s = "HeLLo")#set($u = "straße")$s.toLowerCase() $s.toUpperCase() $u.toUpperCase()'),
    ("trim_concat_to_string", '#set($s = "  pad \t")#set($a = "ab")[$s.trim()] $a.concat("cd") $a.toString()'),
    ("equals", '#set($s = "ab")$s.equals("ab") $s.equals("AB") $s.equalsIgnoreCase("AB")'),
    ("compare_to", '#set($s = "b")#set($u = "B")$s.compareTo("a") $s.compareTo("b") $s.compareTo("d") $u.compareToIgnoreCase("b")'),
    ("chains", '#set($s = "a b")#set($h = "hello")$s.replace(" ", "_").toUpperCase() $h.indexOf("l").toString()'),
    ("ref_args", '#set($s = "hello")#set($n = 1)#set($m = $s.length() - 2)$s.substring($n, 4) $s.substring($m)'),
])

# ---------------------------------------------------------------------------
# List methods (java.util.ArrayList)
# ---------------------------------------------------------------------------
_group("list_method", [
    ("size_is_empty", "#set($l = [1, 2, 3])#set($e = [])$l.size() $l.isEmpty() $e.isEmpty()"),
    ("get", '#set($l = ["a", {"a": "x"}])$l.get(0) $l.get(1).a'),
    ("contains", '#set($l = ["a", "b"])#set($n = [1, 2])$l.contains("a") $l.contains("z") $n.contains(2)'),
    ("index_of", '#set($l = ["a", "b", "a"])$l.indexOf("a") $l.indexOf("z") $l.lastIndexOf("a")'),
    ("add_returns_true", "#set($l = [1])$l.add(2) $l"),
    ("add_at_index_add_all", '#set($l = ["a", "c"])#set($ok = $l.add(1, "b"))$l.addAll(["d"]) $l'),
    ("set_returns_previous", '#set($l = ["a", "b"])$l.set(0, "z") $l'),
    ("remove_by_index", '#set($l = ["a", "b", "c"])$l.remove(1) $l'),
    ("remove_by_object", '#set($l = ["a", "b", "c"])$l.remove("c") $l.remove("q") $l'),
    ("clear", "#set($l = [1, 2])#set($ok = $l.clear())$l $l.size()"),
    ("sub_list", "#set($l = [1, 2, 3, 4])$l.subList(1, 3) $l.subList(1, 1)"),
    ("equals_to_string", "#set($l = [1, 2])$l.equals([1, 2]) $l.equals([2]) $l.toString()"),
    ("range_add", "#set($r = [1..2])$r.add(3) $r"),
    ("add_composites", '#set($l = [1])$l.add([2]) $l.add({"k": 1}) $l'),
    ("adds_in_loop", "#set($l = [])#foreach($i in [1..5])#set($ok = $l.add($i))#end$l.size() $l"),
    ("add_in_if", "#set($l = [])#if($l.add(1))added#end$l"),
    ("split_array_methods", '#set($s = "x:y")$s.split(":").get(0) $s.split(":").contains("y")'),
    ("set_views", '#set($m = {"a": 1, "b": [2]})$m.keySet().size() $m.keySet().contains("a") $m.keySet().contains("z") $m.values()'),
])

# ---------------------------------------------------------------------------
# Map methods (java.util.LinkedHashMap)
# ---------------------------------------------------------------------------
_group("map_method", [
    ("size_is_empty", '#set($m = {"a": 1, "b": 2})#set($e = {})$m.size() $m.isEmpty() $e.isEmpty()'),
    ("get", '#set($m = {"a": 1, "n": {"b": "c"}})#set($i = {1: "one"})#set($k = "a")$m.get("a") $i.get(1) $m.get($k) $m.get("n").get("b")'),
    ("contains", '#set($m = {"a": 1, "k": ""})$m.containsKey("a") $m.containsKey("b") $m.containsValue(1) $m.containsValue(2)#if($m.containsKey("k")) has#end'),
    ("put_returns_previous", '#set($m = {"a": 1})$m.put("a", 2) $m'),
    ("put_new", '#set($m = {"a": 1})#set($ok = $m.put("b", 2))$m'),
    ("put_all", '#set($m = {"a": 1})#set($ok = $m.putAll({"b": 2, "a": 3}))$m'),
    ("remove", '#set($m = {"a": 1, "b": 2})$m.remove("a") $m'),
    ("views", '#set($m = {"b": 1, "a": 2})$m.keySet() $m.values() $m.entrySet()'),
    ("get_or_default", '#set($m = {"a": 1})$m.getOrDefault("a", 0) $m.getOrDefault("z", "dflt")'),
    ("put_if_absent", '#set($m = {"a": 1})$m.putIfAbsent("a", 5) #set($ok = $m.putIfAbsent("b", 5))$m'),
    ("clear", '#set($m = {"a": 1})#set($ok = $m.clear())$m'),
    ("equals_to_string", '#set($m = {"a": [1, 2]})$m.equals({"a": [1, 2]}) $m.equals({}) $m.toString()'),
    ("order_after_put_and_remove",
     '#set($m = {"a": 1, "b": 2})#set($ok = $m.put("a", 9))$m #set($ok = $m.remove("a"))#set($ok = $m.put("a", 3))$m'),
    ("key_set_after_set", "#set($m = {})#set($m.z = 1)#set($m.y = 2)#foreach($k in $m.keySet())$k#end"),
    ("view_sizes", '#set($m = {"a": 1, "b": 1})$m.values().size() $m.entrySet().size()'),
    ("int_and_string_keys", '#set($m = {1: "i", "1": "s"})$m.size() $m.get(1) $m.get("1")'),
])

# ---------------------------------------------------------------------------
# Number and Boolean methods
# ---------------------------------------------------------------------------
_group("number_method", [
    ("to_string", "#set($n = 5)#set($d = 0.1)#set($l = 3000000000)$n.toString() $d.toString() $l.toString() $n.toString().length()"),
    ("int_value", "#set($a = 2.7)#set($b = -2.7)#set($c = 1.0E7)$a.intValue() $b.intValue() $c.intValue()"),
    ("long_double_value", "#set($n = 5)$n.longValue() $n.doubleValue()"),
    ("equals", "#set($n = 5)$n.equals(5) $n.equals(6) $n.equals(5.0)"),
    ("compare_to", "#set($n = 5)#set($d = 1.5)$n.compareTo(3) $n.compareTo(5) $n.compareTo(9) $d.compareTo(1.5)"),
    ("boolean", "#set($b = true)#set($f = false)$b.toString() $f.booleanValue() $b.equals(true) $b.equals(false)"),
])

# ---------------------------------------------------------------------------
# Printing of composite values
# ---------------------------------------------------------------------------
_group("print", [
    ("list_of_maps", '#set($l = [{"a": 1}, {"b": 2}])$l'),
    ("map_of_maps", '#set($m = {"a": {"b": {}}, "c": {"d": [1, {"e": 2}]}})$m'),
    ("entry_key_value_sets", '#set($m = {"a": 1, "b": 2})$m.entrySet() $m.keySet() $m.values()'),
    ("strings_with_spaces", '#set($l = ["a b", " c", ""])$l'),
    ("bools_doubles_longs", "#set($l = [true, false, 2.0, 1.0E-4, 10000000.0, 2147483648])#set($m = {\"t\": true, \"f\": 0.5})$l $m"),
    ("empty_nested", '#set($m = {"l": [], "m": {}})$m'),
    ("number_keys", '#set($m = {1: 2, 3: 4})#set($f = {1.5: "x"})$m $f'),
    ("entries_in_list", '#set($m = {"a": 1})#set($l = [])#foreach($e in $m.entrySet())#set($ok = $l.add($e))#end$l'),
    ("formal_and_lookalike", '#set($l = [1])#set($m = {"k": "{a=1}"})${l}! $m'),
])


# ---------------------------------------------------------------------------
# Whitespace (docs/velocity.md §5): hand-written layouts, then a generated grammar
# ---------------------------------------------------------------------------
_group("whitespace", [
    ("set_own_line", "A\n#set($x = 1)\nB$x"),
    ("set_indented", "A\n    #set($x = 1)\nB"),
    ("set_trailing_spaces", "A\n#set($x = 1)   \nB"),
    ("set_then_blank_spaces_line", "#set($a = 1)  \n  \nX"),
    ("if_lines", "A\n#if(true)\nB\n#end\nC"),
    ("if_indented", "A\n  #if(true)\n  B\n  #end\nC"),
    ("if_else_lines", "A\n#if(false)\nB\n#else\nX\n#end\nC"),
    ("elseif_lines", "#if(false)\nA\n#elseif(true)\nB\n#end\nD"),
    ("else_inline_spaces", "#if(false)a#else  b#end"),
    ("if_mid_line_trailing", "A  #if(true)  \nB  #end  \nC"),
    ("foreach_array", "[\n#foreach($i in [1..2])\n  $i#if($foreach.hasNext),#end\n#end\n]"),
    ("foreach_json", "{\n  \"a\": [\n    #foreach($i in [1..2])\n    {\"v\": $i}#if($foreach.hasNext),#end\n    #end\n  ]\n}"),
    ("foreach_inline", "a #foreach($i in [1,2])$i #end b"),
    ("line_comment_mid", "A ## note\nB"),
    ("line_comment_indented", "A\n  ## note\nB"),
    ("block_comment_after_text", "A#* c *#\nB"),
    ("block_comment_own_line", "A\n#* c *#\nB"),
    ("crlf_if", "A\r\n#if(true)\r\nB\r\n#end\r\nC"),
    ("define_lines", "#define($d)\nX\n#end\n$d\nY"),
    ("ref_space_set", "#set($x = 1.5)$x #set($y = 2)$y"),
    ("ref_tabs_set", "#set($x = 1)$x\t#set($y = 2)$y $x \t #set($y = 3)$y"),
    ("other_refs_space_set", '#set($s = "ab")#set($l = [7])${s} #set($y = 2)$y $s.length() #set($y = 3)$y $l[0] #set($y = 4)$y'),
    ("text_space_set", "#set($x = 1)text #set($y = 2)$y $x #if(true)T#end"),
    ("ref_newline_set", "#set($x = 1)$x\n#set($y = 2)$y"),
    ("end_at_eof", "#if(true)\nA\n#end"),
    ("set_at_eof", "A\n#set($x = 1)"),
    ("end_then_text", "#if(true)\nA\n#end tail\nB#if(true)\nA\n#end   tail\nB"),
    ("else_then_text", "#if(false)\nA\n#else text\nB\n#end\nC"),
    ("brace_else_newline", "#if(false)\nA\n#{else}\nB\n#{end}\nC"),
    ("two_sets_one_line", "#set($a = 1) #set($b = 2)\n$a$b"),
    ("set_then_comments", "#set($a = 1) ## note\n$a#set($b = 1)#* c *#\n$b"),
    ("if_then_comment", "#if(true) ## c\nA\n#end\nB"),
    ("unparsed_lines", "A\n#[[ raw ]]#\nB\n#[[raw]]#  \nC"),
    ("blank_lines_around_set", "A\n\n#set($x = 1)\n\nB"),
    ("nested_blocks_indented",
     "#foreach($i in [1..2])\n  #if($i == 1)\n    one\n  #else\n    other\n  #end\n#end\nZ"),
    ("break_own_line", "#foreach($i in [1..3])\n$i\n  #break\n#end\nZ"),
    ("stop_own_line", "A\n#stop\nB"),
    ("stop_trailing_spaces", "A\n  #stop  \nB"),
    ("unknown_directive_lines", "A\n#nope\nB\n#nope(1)  \nC"),
    ("crlf_set_trailing_comment", "A\r\n#set($x = 1)  \r\nB$x\r\nA ## c\r\nB\r\n"),
    ("crlf_else", "#if(false)\r\nA\r\n#else\r\nB\r\n#end\r\n"),
    ("mixed_eol", "A\n#if(true)\r\nB\n#end\r\nC\n"),
    ("foreach_text_after_paren", "#foreach($i in [1..2]) x\n$i\n#end"),
    ("define_use_with_newline", "#define($d)\n  X\n#end\n[$d]"),
    ("comment_at_eof", "A\n## c"),
    ("block_comment_multiline_own_lines", "A\n#*\n c\n*#\nB"),
])

_INDENTS = ["", "  ", "\t", "    ", " \t"]
_TRAILS = ["", " ", "  ", "\t", " \t "]
_EOLS = ["\n", "\r\n"]

# Line shapes: {I} = indentation, {T} = trailing blanks after a directive, {N} = line end.
_SHAPES: dict[str, str] = {
    "set": "{I}#set($v = 1){T}{N}",
    "set_brace": "{I}#{set}($v = 2){T}{N}",
    "if_block": "{I}#if(true){T}{N}{I}  body{N}{I}#end{T}{N}",
    "if_false_block": "{I}#if(false){T}{N}{I}  body{N}{I}#end{T}{N}",
    "if_else_block": "{I}#if(false){T}{N}{I}no{N}{I}#else{T}{N}{I}yes{N}{I}#end{T}{N}",
    "if_elseif_block": "{I}#if(false){T}{N}a{N}{I}#elseif(true){T}{N}b{N}{I}#end{T}{N}",
    "if_brace_block": "{I}#{if}(true){T}{N}x{N}{I}#{else}{T}{N}y{N}{I}#{end}{T}{N}",
    "foreach_block": "{I}#foreach($k in [1..2]){T}{N}{I}  $k{N}{I}#end{T}{N}",
    "foreach_if_block": "{I}#foreach($k in [1..3]){T}{N}{I}$k#if($foreach.hasNext),#end{T}{N}{I}#end{T}{N}",
    "nested_block": "{I}#if(true){T}{N}{I}{I}#foreach($k in [1..2]){T}{N}{I}{I}{I}$k{N}{I}{I}#end{T}{N}{I}#end{T}{N}",
    "line_comment": "{I}## comment{T}{N}",
    "text_line_comment": "{I}text ## comment{N}",
    "block_comment": "{I}#* block *#{T}{N}",
    "block_comment_multi": "{I}#* one{N}two *#{T}{N}",
    "unparsed": "{I}#[[ #if raw $v ]]#{T}{N}",
    "ref_set": "{I}$v{T}#set($w = 2)$w{N}",
    "inline_if_text_after": "{I}#if(true)x#end tail{T}{N}",
    "inline_else": "{I}#if(false)a#else b#end{T}{N}",
    "end_text_after": "{I}#if(true){T}{N}x{N}{I}#end after{N}",
    "define_block": "{I}#define($dd){T}{N}{I}D$v{N}{I}#end{T}{N}{I}$dd{N}",
    "break_block": "{I}#foreach($k in [1..3]){T}{N}{I}$k{N}{I}#if($k == 2)#break#end{T}{N}{I}#end{T}{N}",
    "blank_lines_set": "{N}{I}{T}{N}{I}#set($v = 3){T}{N}{T}{N}",
    "directive_mid_line": "{I}a #set($v = 4) b #if(true)c#end{T}{N}",
    "set_then_ref_line": "{I}#set($v = 5){T}$v{N}",
}

_PREFIX = '#set($v = "v")A{N}'
_SUFFIX = "Z$v{N}"


def _fill(text: str, indent: str, trail: str, eol: str) -> str:
    return text.replace("{I}", indent).replace("{T}", trail).replace("{N}", eol)


def _whitespace_generated() -> list[tuple[str, str]]:
    """Every shape in 2 fixed combinations, then pairs of shapes; bounded and deterministic."""
    out: list[tuple[str, str]] = []
    names = list(_SHAPES)
    for s, name in enumerate(names):
        for k in range(2):
            ind = (s + k) % len(_INDENTS)
            trl = (2 * s + 3 * k) % len(_TRAILS)
            eol = (s + k) % len(_EOLS)
            src = _fill(_PREFIX + _SHAPES[name] + _SUFFIX, _INDENTS[ind], _TRAILS[trl], _EOLS[eol])
            out.append((f"{name}.i{ind}t{trl}{'crlf' if eol else 'lf'}", src))
    # pairs of adjacent shapes (the second butting against the first)
    for s in range(0, len(names), 2):
        a, b = names[s], names[(s * 7 + 3) % len(names)]
        if a == b:
            continue
        ind, trl, eol = s % len(_INDENTS), (s + 1) % len(_TRAILS), s % len(_EOLS)
        src = _fill(_PREFIX + _SHAPES[a] + _SHAPES[b] + _SUFFIX, _INDENTS[ind], _TRAILS[trl], _EOLS[eol])
        out.append((f"{a}+{b}.i{ind}t{trl}{'crlf' if eol else 'lf'}", src))
    return out


_group("whitespace_gen", _whitespace_generated())


# ---------------------------------------------------------------------------
# Syntax errors (the jar throws ParseErrorException)
# ---------------------------------------------------------------------------
_group(SYNTAX_ERROR_GROUP, [
    ("unclosed_if", "#if(true)a"),
    ("unclosed_foreach", "#foreach($i in [1..2])$i"),
    ("unclosed_define", "#define($d)x"),
    ("stray_end", "a#end"),
    ("stray_else", "a#else b"),
    ("stray_elseif", "#elseif(true)x"),
    ("elseif_after_else", "#if(true)a#else b#elseif(true)c#end"),
    ("dollar_at_end", "a$"),
    ("hash_at_end", "a#"),
    ("dollar_at_end_after_ref", "#set($p = 5)$p$"),
    ("quiet_dollar_at_end", "#set($x = 1)$!x$!"),
    ("set_null", "#set($x = null)"),
    ("unary_minus_ref", "#set($y = 1)#set($x = -$y)"),
    ("method_arg_expression", "#set($l = [])#set($i = 2)#set($ok = $l.add($i * 2))"),
    ("minus_without_spaces", "#set($r = 3-1)$r"),
    ("method_on_literal", '#set($s = "a.b".split("."))'),
    ("pipe_default", "#set($a = 1)${a|b}"),
    ("index_identifier", "#set($name = [1])$name[abc]"),
    ("index_text_after_index", '#set($l = ["x"])$l[0][not an index'),
    ("index_expression", "#set($l = [1, 2, 3])$l[1 + 1]"),
    ("index_empty", "#set($l = [1])$l[]"),
    ("assign_in_if", "#set($x = 1)#if($x = 1)a#end"),
    ("set_missing_value", "#set($x = )"),
    ("set_no_dollar", "#set(x = 1)"),
    ("set_no_assignment", "#set($x)"),
    ("set_two_values", "#set($x = 1 2)"),
    ("set_unbalanced_paren", "#set($x = (1 + 2)"),
    ("if_empty", "#if()a#end"),
    ("backslash_quote_in_string", r'#set($s = "\"x\"")'),
    ("unterminated_double", '#set($x = "abc)'),
    ("list_unclosed", "#set($l = [1, 2)"),
    ("map_missing_colon", '#set($m = {"a" 1})'),
    ("formal_unclosed", "#set($x = 1)${x"),
    ("method_unclosed", '#set($s = "a")$s.concat("b"'),
    ("define_no_arg", "#define()x#end"),
    ("if_double_operator", "#if(1 + * 2)a#end"),
    ("if_brace_unclosed", "#{if(true)a#end"),
    ("else_in_foreach", "#foreach($i in [1])a#else b#end"),
    ("unclosed_if_crlf", "A\r\n#if(true)\r\nB\r\n"),
    ("stray_end_line_3", "a\nb\n  #end\n"),
])

# ---------------------------------------------------------------------------
# Runtime errors (the jar throws while rendering; U07)
# ---------------------------------------------------------------------------
_group(RUNTIME_ERROR_GROUP, [
    ("list_get_out_of_range", "#set($l = [1, 2])$l.get(5)"),
    ("substring_out_of_range", '#set($s = "abc")$s.substring(10)'),
    ("invalid_regex", '#set($s = "abc")$s.matches("(")'),
    ("replace_all_lone_dollar", "#set($s = \"abc\")$s.replaceAll(\"b\", '$')"),
    ("list_remove_out_of_range", "#set($l = [1])$l.remove(4)"),
    ("sub_list_bad_bounds", "#set($l = [1, 2])$l.subList(2, 1)"),
    ("index_out_of_range", "#set($l = [1, 2])$l[5]"),
    ("set_index_out_of_range", "#set($l = [1, 2])#set($l[7] = 1)$l"),
])


_group("quirk", [
    # found by randomized differential runs against the jar
    ("dollar_before_directive", "#set($x = 1)a$#if(true)x#end|$#set($y = 1)|$##c\nb|$#x|$# y|a$#* c *#b"),
    ("lone_hash_before_set", "#set($x = 1)a # #set($y = 1)b|a #\t#set($y = 1)|# #set($y = 1)|a ##set($y=1)\n"),
    ("lone_dollar_before_set", "#set($y = 0)a $  #set($y = 1)b$y"),
    ("backslash_before_set", "#set($y = 0)a\\\\  #set($y = 1)b$y"),
    ("null_operand_literal", '#set($s = "a")#set($y = $s + (1/0))[$y]#set($y = (1/0) + $s)[$y]'
                             '#set($y = $s + 1/0)[$y]#set($y = $s + (1 / 0 ))[$y]'),
    ("hash_hash_after_property", '#set($m = {"k": {"j": "w"}})$m.k## c\nA|$m.k.j## c\nA|$!m.k## c\nB'),
    ("hash_hash_after_other_refs", '#set($x = "X")#set($l = ["a"])$x## c\nA|${x}## c\nA|$x.toString()## c\nA|$l[0]## c\nA'),
    ("null_operand_literal_spacing", '#set($s = "a")#set($y = $s+1/0)[$y]#set($y = $s +  1 /  0)[$y]'),
])


def _check_unique() -> None:
    seen: set[str] = set()
    for case in CASES:
        if case.id in seen:
            raise AssertionError(f"duplicate corpus case id {case.id}")
        seen.add(case.id)


_check_unique()

