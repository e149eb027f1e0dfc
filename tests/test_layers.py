"""The package's layers, read from its import statements: each layer imports only those below it.

    vtl            the Velocity language; knows nothing of API Gateway
    apigw/http     HTTP pieces shared by proxy and pipeline
    apigw (rest)   method request, $input/$util/$context, definitions, routing
    apigw/method_request  the method request stage: API keys, request validation (reads definitions)
    apigw/proxy    proxy events and responses
    apigw/pipeline the whole invoke pipeline (uses proxy, never the reverse)
    faces          cli, lint, testing (+ pytest_plugin over testing)
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "vtlgw"
FACES = {"cli", "lint", "testing", "pytest_plugin"}


def _imports(top_level_only: bool) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for file in ROOT.rglob("*.py"):
        parts = list(file.relative_to(ROOT.parent).with_suffix("").parts)
        package = parts[:-1] if parts[-1] != "__init__" else parts[:-1]
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        tree = ast.parse(file.read_text(encoding="utf-8"))
        nodes = tree.body if top_level_only else ast.walk(tree)
        for node in nodes:
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package[:len(package) - (node.level - 1)]
                    name = ".".join(base + ([node.module] if node.module else []))
                else:
                    name = node.module or ""
                # ``from . import intrinsics`` imports the submodule, not the package's __init__
                names = [name] if node.module else [f"{name}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            found[module].update(n for n in names if n == "vtlgw" or n.startswith("vtlgw."))
    return found


def _area(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "vtlgw"
    if parts[1] == "apigw" and len(parts) > 2 and parts[2] in {"http", "proxy", "pipeline", "definition",
                                                               "method_request"}:
        return "apigw." + parts[2]
    return parts[1]


ALLOWED = {
    "vtl": {"vtl"},
    "apigw.http": {"vtl", "apigw.http"},
    "apigw": {"vtl", "apigw.http", "apigw"},
    "apigw.definition": {"vtl", "apigw.http", "apigw", "apigw.definition"},
    "apigw.method_request": {"vtl", "apigw.http", "apigw", "apigw.definition", "apigw.method_request"},
    "apigw.proxy": {"vtl", "apigw.http", "apigw", "apigw.definition", "apigw.proxy"},
    "apigw.pipeline": {"vtl", "apigw.http", "apigw", "apigw.definition", "apigw.method_request", "apigw.proxy",
                       "apigw.pipeline"},
}


def test_each_layer_imports_only_the_layers_below_it():
    wrong = []
    for module, names in _imports(top_level_only=False).items():
        area = _area(module)
        allowed = ALLOWED.get(area)
        for name in names:
            target = _area(name)
            if allowed is not None and target not in allowed:
                wrong.append(f"{module} imports {name}")
            elif area in FACES and target in FACES - {area}:
                # A face may call another only where the edge dispatches to it: the CLI's lint command,
                # and the pytest plugin over the testing harness.
                if (area, target) not in {("cli", "lint"), ("pytest_plugin", "testing")}:
                    wrong.append(f"{module} imports {name}")
    assert wrong == []


def test_the_vtl_layer_knows_nothing_of_api_gateway():
    for module, names in _imports(top_level_only=False).items():
        if _area(module) == "vtl":
            assert all(_area(n) == "vtl" for n in names), (module, names)


def test_module_level_imports_have_no_cycle():
    graph = _imports(top_level_only=True)
    modules = set(graph)
    seen: dict[str, int] = {}
    stack: list[str] = []

    def visit(module: str) -> None:
        seen[module] = 1
        stack.append(module)
        for name in sorted(graph.get(module, ())):
            target = name if name in modules else name.rsplit(".", 1)[0]
            if target not in modules or target == module:
                continue
            if seen.get(target) == 1:
                raise AssertionError("import cycle: " + " -> ".join(stack[stack.index(target):] + [target]))
            if target not in seen:
                visit(target)
        stack.pop()
        seen[module] = 2

    for module in sorted(modules):
        if module not in seen:
            visit(module)
