"""vtlgw's pytest plugin: the ``vtlgw`` fixture, the ``vtlgw`` marker, case files and readable failures.

Registered through the ``pytest11`` entry point, so installing vtlgw is all it
takes. It stays thin: the work is :mod:`vtlgw.testing`'s; this module only
maps pytest's options, markers and reports onto it. Nothing heavy is imported
until a test asks for the fixture or a case file is collected.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

__all__ = ["vtlgw"]

_HARNESS = pytest.StashKey["Any"]()
_MARKER_KEYS = ("api", "api_id", "stage", "stage_variables", "context", "api_keys")
CASE_FILE_SUFFIX = ".vtlgw.yaml"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("vtlgw", "vtlgw: API Gateway mapping templates offline")
    group.addoption("--vtlgw-api", metavar="FILE", default=None,
                    help="API definition for vtlgw.invoke (relative to the rootdir); a vtlgw marker's api wins.")
    group.addoption("--vtlgw-strict", action="store_true", default=None,
                    help="Fail a test on any vtlgw warning (something not emulated, or set and ignored).")
    parser.addini("vtlgw_api", "API definition for vtlgw.invoke, relative to the rootdir.", default=None)
    parser.addini("vtlgw_strict", "Fail a test on any vtlgw warning.", type="bool", default=False)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "vtlgw(api=None, api_id=None, stage=None, stage_variables=None, context=None, api_keys=None): defaults for "
        "the vtlgw "
        "fixture; the closest marker wins, a call's own keywords win over it.")


def _defaults(config: pytest.Config, node: Any) -> dict[str, Any]:
    defaults: dict[str, Any] = {}
    api = config.getoption("vtlgw_api") or config.getini("vtlgw_api")
    if api:
        defaults["api"] = api
    # iter_markers yields the closest first: apply the farthest first so closer ones override.
    for marker in reversed(list(node.iter_markers("vtlgw"))):
        if marker.args:
            raise pytest.UsageError(f"{node.nodeid}: @pytest.mark.vtlgw takes keywords only "
                                    f"({', '.join(_MARKER_KEYS)})")
        unknown = sorted(set(marker.kwargs) - set(_MARKER_KEYS))
        if unknown:
            raise pytest.UsageError(f"{node.nodeid}: @pytest.mark.vtlgw has no {', '.join(unknown)}; expected "
                                    f"{', '.join(_MARKER_KEYS)}")
        defaults.update({k: v for k, v in marker.kwargs.items() if v is not None})
    return defaults


def _strict(config: pytest.Config) -> bool:
    option = config.getoption("vtlgw_strict")
    return bool(option) if option is not None else bool(config.getini("vtlgw_strict"))


def make_harness(config: pytest.Config, node: Any, defaults: dict[str, Any] | None = None) -> Any:
    from vtlgw.testing import Harness

    harness = Harness(Path(config.rootpath), defaults if defaults is not None else _defaults(config, node),
                      strict=_strict(config))
    node.stash[_HARNESS] = harness
    return harness


@pytest.fixture
def vtlgw(request: pytest.FixtureRequest) -> Any:
    """Render templates, invoke methods and build events offline: ``vtlgw.render(path, ...)``,
    ``vtlgw.invoke("GET /x")``, ``vtlgw.event("GET /x")``."""
    return make_harness(request.config, request.node)


# ---------------------------------------------------------------------------- failures


def pytest_assertrepr_compare(config: pytest.Config, op: str, left: Any, right: Any) -> list[str] | None:
    """A structural JSON diff for results and for what their ``.json()`` returned."""
    if op != "==":
        return None
    from vtlgw.testing.compare import explain_comparison

    return explain_comparison(left, right, verbose=config.get_verbosity() > 0)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    harness = item.stash.get(_HARNESS, None)
    excinfo = call.excinfo
    from vtlgw.vtl.errors import VtlError

    if _is_case_item(item):
        return  # a case's own report already shows its trace
    if excinfo is not None and isinstance(excinfo.value, VtlError):
        report.longrepr = _short_repr(item, excinfo)
    if harness is not None and harness.invocations:
        report.sections.append(("vtlgw trace", "\n\n".join(i.explain() for i in harness.invocations)))


def _is_case_item(item: pytest.Item) -> bool:
    from .cases import CaseItem

    return isinstance(item, CaseItem)


def _short_repr(item: pytest.Item, excinfo: Any) -> str:
    """The test's own line and the error as the CLI prints it, not a traceback into vtlgw."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    user = [entry for entry in excinfo.traceback if not str(entry.path).startswith(package)]
    lines = []
    if user:
        entry = user[-1]
        try:
            shown = os.path.relpath(str(entry.path))
        except ValueError:
            shown = str(entry.path)
        lines.append(f"{shown}:{entry.lineno + 1}: in {entry.name}")
        try:
            lines.append("    " + str(entry.statement).strip())
        except Exception:  # pragma: no cover - the source may be unavailable
            pass
    lines.append(str(excinfo.value))
    return "\n".join(lines)


# ---------------------------------------------------------------------------- case files


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> Any:
    if file_path.name.startswith("test_") and file_path.name.endswith(CASE_FILE_SUFFIX):
        from .cases import CaseFileCollector

        return CaseFileCollector.from_parent(parent, path=file_path)
    return None
