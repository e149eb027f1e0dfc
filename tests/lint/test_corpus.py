"""The lint corpora: broken examples that together yield every rule, good examples that lint clean.

``data/broken/`` holds templates and definitions with the bugs users actually ship (unbalanced
quotes, ``escapeJavaScript`` without the ``replaceAll``, six default responses, a ``!Ref`` to a
Model, ...). Each file is named for the rule ids it demonstrates (``VTL310-six-defaults...``).
The coverage test iterates the registry, so a new rule without a broken example fails it.

``data/good/`` holds realistic templates and definitions for each integration kind (Lambda, SQS,
DynamoDB, Step Functions, EventBridge, Kinesis, S3, HTTP, MOCK); they must give no error and no
warning, and no info either: every idiom in them is the one the rules recommend.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from vtlgw.lint import lint
from vtlgw.lint.registry import all_rules
from vtlgw.lint.runner import Runner
from vtlgw.vtl.diagnostics import Severity

DATA = Path(__file__).parent / "data"
BROKEN = DATA / "broken"
GOOD = DATA / "good"
REPO = Path(__file__).resolve().parents[2]

_CODE = re.compile(r"VTL\d{3}")
#: Render-based rules being written: their examples are in the corpus already and count once registered.
PENDING = {"VTL201", "VTL202", "VTL203", "VTL204", "VTL205"}
#: A template over API Gateway's 300 KB limit is generated rather than stored (see oversized_template).
GENERATED = {"VTL401"}


def registered() -> set[str]:
    return {rule.doc.code for rule in all_rules()}


def named_codes(path: Path) -> set[str]:
    return set(_CODE.findall(path.name))


def broken_files() -> list[Path]:
    return sorted(p for p in BROKEN.iterdir() if p.is_file())


def good_files() -> list[Path]:
    return sorted(p for p in GOOD.iterdir() if p.is_file())


def oversized_template() -> str:
    """A price lookup written out as #elseif branches: valid VTL, just over 300 KB (307,200 bytes)."""
    lines = ["#set($sku = $input.params('sku'))", "{"]
    branch = "#if"
    number = 0
    while sum(len(line) + 1 for line in lines) < 310_000:
        lines.append(f'{branch}($sku == "SKU-{number:06d}")\n  "price": {number % 997 + 1}.99, "currency": "EUR"')
        branch = "#elseif"
        number += 1
    lines += ["#else", '  "price": null', "#end", "}"]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- broken


def test_every_broken_file_names_known_rules() -> None:
    """A typo in a file name would silently demonstrate nothing."""
    known = registered() | PENDING
    for path in broken_files():
        codes = named_codes(path)
        assert codes, f"{path.name} names no rule id"
        assert codes <= known, f"{path.name} names unknown ids {sorted(codes - known)}"


@pytest.mark.parametrize("path", broken_files(), ids=lambda p: p.name)
def test_broken_file_yields_the_rules_its_name_says(path: Path) -> None:
    wanted = named_codes(path) & registered()
    if not wanted:
        pytest.skip(f"{sorted(named_codes(path))} not registered yet")
    found = {d.code for d in lint([path])}
    assert wanted <= found, f"missing {sorted(wanted - found)}; found {sorted(c for c in found if c)}"


def test_oversized_template_yields_vtl401(tmp_path: Path) -> None:
    path = tmp_path / "VTL401-price-table.request.json.vtl"
    path.write_text(oversized_template(), encoding="utf-8")
    assert path.stat().st_size > 307_200
    assert "VTL401" in {d.code for d in lint([path])}


def test_broken_directory_yields_every_registered_rule(tmp_path: Path) -> None:
    """Lint the directory as a user would (a directory walk), plus the generated oversized template."""
    corpus = tmp_path / "broken"
    shutil.copytree(BROKEN, corpus)
    (corpus / "VTL401-price-table.request.json.vtl").write_text(oversized_template(), encoding="utf-8")
    found = {d.code for d in lint([corpus])}
    missing = registered() - found
    assert not missing, f"no broken example yields {sorted(missing)}"


def test_every_rule_has_a_stored_example_except_the_generated_one() -> None:
    stored = set().union(*(named_codes(p) for p in broken_files()))
    assert registered() - stored <= GENERATED


# ---------------------------------------------------------------- good


def _findings(path: Path) -> list[str]:
    return [str(d) for d in lint([path])]


@pytest.mark.parametrize("path", good_files(), ids=lambda p: p.name)
def test_good_file_lints_clean(path: Path) -> None:
    assert _findings(path) == []


def test_good_directory_lints_clean() -> None:
    """The directory walk finds every good file (none skipped as 'not a definition') and none has findings."""
    result = Runner().run([GOOD], jobs=1)
    assert result.errors == []
    assert len(result.files) == len(good_files())
    assert [str(d) for d in result.diagnostics] == []


def test_good_corpus_covers_each_integration_kind() -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in good_files()).lower()
    for marker in (":lambda:path/", ":sqs:path/", ":dynamodb:action/", ":states:action/", ":events:action/",
                   ":kinesis:action/", ":s3:path/", "type: http", "type: mock"):
        assert marker in text, marker


def test_shipped_examples_lint_clean() -> None:
    """As ``vtlgw lint templates fixtures`` walks them (test_rules_language.py checks them one by one)."""
    paths = [REPO / "templates", REPO / "fixtures"]
    problems = [str(d) for d in lint(paths) if d.severity >= Severity.WARNING]
    assert problems == []
