"""Differential tests: vtlgw renders every corpus template exactly as Velocity 1.7 does.

The whole corpus (``tests/vtl/oracle_corpus.py``) goes through the real 1.7 jar
in ONE JVM call (a session fixture); each template is then one test case that
compares vtlgw's output with the jar's, byte for byte. Templates the jar
rejects must make vtlgw raise ``TemplateSyntaxError``; templates where a Java
method throws must make it raise ``TemplateRuntimeError`` (U07).

Where Java or the jars are missing, the ``velocity_oracle`` fixture skips.
"""

from __future__ import annotations

import collections

import pytest

from tests.vtl.oracle_corpus import CASES, RUNTIME_ERROR_GROUP, SYNTAX_ERROR_GROUP, Case


@pytest.fixture(scope="session")
def jar_outputs(velocity_oracle) -> dict[str, tuple[bool, str]]:
    """``case.id -> (ok, output or Java error)`` for the whole corpus, from one JVM run."""
    results = velocity_oracle.render_all([case.source for case in CASES])
    return {case.id: result for case, result in zip(CASES, results)}


def _report(case: Case, headline: str, **parts: object) -> str:
    lines = [headline, f"  template: {case.source!r}"]
    for label, value in parts.items():
        lines.append(f"  {label + ':':9} {value!r}" if not isinstance(value, _Raw) else f"  {label + ':':9} {value}")
    return "\n".join(lines)


class _Raw(str):
    """A value shown as is (an error text), not through repr."""


def _render(case: Case) -> tuple[str | None, BaseException | None]:
    from vtlgw import VtlError
    from vtlgw.vtl import Template

    try:
        return Template(case.source, name=case.id).render({}), None
    except VtlError as exc:
        return None, exc
    except Exception as exc:  # a raw Python exception is always a bug
        raise AssertionError(
            _report(case, f"vtlgw raised a non-VtlError {type(exc).__name__}", error=_Raw(repr(exc)))
        ) from exc


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_matches_velocity_17(case: Case, jar_outputs: dict[str, tuple[bool, str]]) -> None:
    from vtlgw.vtl.errors import TemplateRuntimeError, TemplateSyntaxError

    jar_ok, jar_out = jar_outputs[case.id]

    # The corpus itself must still mean what its groups say.
    if case.group == SYNTAX_ERROR_GROUP:
        assert not jar_ok, _report(case, "corpus: the jar renders this syntax-error case", jar=jar_out)
    elif case.group == RUNTIME_ERROR_GROUP:
        assert not jar_ok and not jar_out.startswith("ParseErrorException"), _report(
            case, "corpus: the jar does not fail at render time on this runtime-error case", jar=_Raw(jar_out))
    else:
        assert jar_ok, _report(case, "corpus: the jar fails on this case", jar=_Raw(jar_out))

    actual, error = _render(case)

    if case.group == SYNTAX_ERROR_GROUP:
        assert error is not None, _report(
            case, "the jar rejects this template but vtlgw renders it", jar=_Raw(jar_out), actual=actual)
        assert isinstance(error, TemplateSyntaxError), _report(
            case, f"expected TemplateSyntaxError, vtlgw raised {type(error).__name__}",
            jar=_Raw(jar_out), error=_Raw(str(error)))
        assert getattr(error, "line", 0) >= 1 and getattr(error, "column", 0) >= 1, _report(
            case, "syntax error without a location", error=_Raw(str(error)))
    elif case.group == RUNTIME_ERROR_GROUP:
        assert error is not None, _report(
            case, "the jar throws while rendering but vtlgw renders", jar=_Raw(jar_out), actual=actual)
        assert isinstance(error, TemplateRuntimeError), _report(
            case, f"expected TemplateRuntimeError, vtlgw raised {type(error).__name__}",
            jar=_Raw(jar_out), error=_Raw(str(error)))
    else:
        assert error is None, _report(
            case, f"vtlgw raised {type(error).__name__} where the jar renders",
            expected=jar_out, error=_Raw(str(error)))
        assert actual == jar_out, _report(case, "output differs from Velocity 1.7", expected=jar_out, actual=actual)


def test_corpus_shape() -> None:
    """The corpus stays within its intended size and covers every group (runs without Java)."""
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))
    assert 300 <= len(CASES) <= 500
    groups = collections.Counter(case.group for case in CASES)
    assert groups["whitespace"] + groups["whitespace_gen"] >= 60
    assert groups[SYNTAX_ERROR_GROUP] >= 20
    for case in CASES:
        for banned in ("#macro", "#evaluate", "#include", "#parse"):
            assert banned not in case.source, case.id
