"""Robustness: arbitrary template text never crashes, hangs or leaks a raw Python exception.

Two property tests feed the engine (a) random text built from VTL-ish fragments
and (b) mutations of the differential corpus (insert / delete / duplicate /
swap / truncate chunks). For every input, ``Template(src).render({})`` must
either return a string or raise a :class:`vtlgw.VtlError` that points inside
the template (line >= 1, column >= 1) and whose ``str()`` shows a caret line.

Each example has a deadline (hypothesis) and a hard wall-clock limit (SIGALRM),
so an engine that loops forever fails the test instead of hanging CI. The runs
are derandomized, hence deterministic.
"""

from __future__ import annotations

import re
import signal
import threading
from contextlib import contextmanager
from datetime import timedelta
from typing import Iterator

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.vtl.oracle_corpus import CASES

FRAGMENTS = [
    # references and their pieces
    "$", "$!", "${", "$!{", "}", "$x", "$name", "$foo-bar", "$_y", "$a.b", "$m.k", "$l[0]", "$l[-1]",
    ".", "..", ".size()", ".length()", ".get(0)", ".put('k', 1)", ".add(1)", ".split(',')", "|",
    # directives
    "#", "#if(", "#elseif(", "#else", "#end", "#{if}(", "#{else}", "#{end}", "#set(", "#{set}(",
    "#foreach(", " in ", "#break", "#stop", "#define(", "#macro(", "#include(", "#parse(",
    "#evaluate(", "#greet(", "#foo", "$foreach.index", "$foreach.hasNext", "$velocityCount",
    # comments, escapes
    "##", "#*", "*#", "#[[", "]]#", "\\", "\\$", "\\#", "\\\\",
    # punctuation and operators
    "(", ")", "[", "]", "{", "}", ",", ":", '"', "'", "=", "==", "!=", "<", ">", "<=", ">=",
    "+", "-", "*", "/", "%", "!", "&&", "||", "and", "or", "not", "eq", "lt",
    # literals and words
    "true", "false", "null", "x", "a", "name", "k", "0", "1", "-1", "42", "2.5", ".5", "1e3",
    "2147483647", "[1..3]", "[3..1]", '{"k": 1}', '"s"', "'t'", '"$x"',
    # whitespace and other characters
    " ", "  ", "\t", "\n", "\r\n", "\r", "@", "é", "✓", "\x00",
]

SOURCES = [case.source for case in CASES]

#: wall-clock limit for one Template(...).render(...) call
HARD_LIMIT_SECONDS = 10.0

FUZZ_SETTINGS = settings(
    max_examples=400,
    deadline=timedelta(seconds=2),
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


class RenderHang(BaseException):
    """Rendering exceeded the hard limit (a BaseException, so engine code cannot swallow it)."""


@contextmanager
def _hard_limit(source: str) -> Iterator[None]:
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(signum, frame):
        raise RenderHang(f"rendering did not finish within {HARD_LIMIT_SECONDS}s: {source!r}")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, HARD_LIMIT_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


_CARET_LINE = re.compile(r"^[ \t]*\^[\^~]*[ \t]*$", re.MULTILINE)


def _inside(source: str, line: int, column: int) -> bool:
    """Whether line:column (1-based) is a position in ``source`` or just past the end of a line.

    Lines are counted at ``\\n`` (then ``\\r`` belongs to the line) or at any of
    ``\\r\\n``, ``\\r``, ``\\n``; either convention is accepted.
    """
    for lines in (source.split("\n"), re.split(r"\r\n|\r|\n", source)):
        if 1 <= line <= len(lines) and 1 <= column <= len(lines[line - 1]) + 1:
            return True
    return False


def check_robust(source: str) -> None:
    from vtlgw import VtlError
    from vtlgw.vtl import Template

    try:
        with _hard_limit(source):
            output = Template(source).render({})
    except VtlError as exc:
        line = getattr(exc, "line", None)
        column = getattr(exc, "column", None)
        text = str(exc)
        assert isinstance(line, int) and isinstance(column, int), (
            f"{type(exc).__name__} without line/column for {source!r}: {text}")
        assert line >= 1 and column >= 1, f"position {line}:{column} < 1 for {source!r}: {text}"
        assert _inside(source, line, column), f"position {line}:{column} outside {source!r}: {text}"
        assert _CARET_LINE.search(text), f"no caret line in the message for {source!r}:\n{text}"
        assert "internal error" not in text, f"engine bug surfaced as an internal error for {source!r}:\n{text}"
    except RenderHang:
        raise
    except Exception as exc:
        raise AssertionError(f"raw {type(exc).__name__} for {source!r}: {exc!r}") from exc
    else:
        assert isinstance(output, str), f"render returned {type(output).__name__} for {source!r}"


_noise = st.text(alphabet="$#!{}[]()\"'\\.*-_ az09\n", min_size=1, max_size=4)

vtl_soup = st.lists(st.one_of(st.sampled_from(FRAGMENTS), _noise), max_size=40).map("".join)


@st.composite
def mutated_corpus(draw) -> str:
    source = draw(st.sampled_from(SOURCES))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        n = len(source)
        i = draw(st.integers(min_value=0, max_value=n))
        j = draw(st.integers(min_value=i, max_value=min(n, i + 16)))
        op = draw(st.sampled_from(["insert", "delete", "duplicate", "swap", "truncate"]))
        if op == "insert":
            source = source[:i] + draw(st.one_of(st.sampled_from(FRAGMENTS), _noise)) + source[i:]
        elif op == "delete":
            source = source[:i] + source[j:]
        elif op == "duplicate":
            source = source[:j] + source[i:j] + source[j:]
        elif op == "swap":
            k = draw(st.integers(min_value=j, max_value=n))
            m = draw(st.integers(min_value=k, max_value=min(n, k + 16)))
            source = source[:i] + source[k:m] + source[j:k] + source[i:j] + source[m:]
        else:
            source = source[:i]
    return source


@FUZZ_SETTINGS
@given(vtl_soup)
def test_fragment_soup_is_handled(source: str) -> None:
    check_robust(source)


@FUZZ_SETTINGS
@given(mutated_corpus())
def test_mutated_corpus_is_handled(source: str) -> None:
    check_robust(source)


def test_checker_accepts_positions() -> None:
    """The position check itself (runs without the engine)."""
    assert _inside("ab\ncd", 2, 3)
    assert _inside("ab\r\ncd", 1, 3)
    assert _inside("a\rb", 2, 2)
    assert not _inside("ab", 2, 1)
    assert not _inside("ab", 1, 0)
    assert _CARET_LINE.search("t:1:2: error: x\n  ab\n   ^")
