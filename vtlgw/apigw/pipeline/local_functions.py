"""The template's own Python Lambda functions, run in-process when no backend is given.

A SAM ``CodeUri`` folder (or a CDK asset folder) with ``Handler: app.handler``
and a ``python3.x`` runtime is all it takes: ``invoke`` imports the module
from that folder and calls the function as :class:`~.backends.LambdaHandler`
does. Each folder's modules are imported under a name of their own, so two
functions with an ``app.py`` each do not shadow one another.
"""

from __future__ import annotations

import hashlib
import importlib.util
import sys
import threading
from pathlib import Path
from typing import Any, Callable

from vtlgw.apigw.definition.model import LambdaFunction

from .capture import describe_exception, run_user_code
from .failures import BackendError

__all__ = ["local_handler", "take_init_output"]

_LOCK = threading.Lock()
_LOADED: dict[tuple[str, str], Callable[..., Any]] = {}
_INIT_OUTPUT: dict[tuple[str, str], str] = {}  # what importing a module printed, until the first call shows it


def local_handler(function: LambdaFunction) -> Callable[..., Any]:
    """The handler callable of ``function``; a :class:`BackendError` says why it cannot run offline."""
    name = function.logical_id
    if not function.is_python:
        raise BackendError(f"the function {name} has runtime {function.runtime or '(none)'}; vtlgw runs only "
                           "Python functions in-process. Give what it returns instead: --lambda-result FILE or "
                           "--lambda-error FILE (--backend FILE for any shape), or a Python stand-in with "
                           "--lambda-handler MOD:FN; in tests, lambda_result=, lambda_error= or lambda_handler=")
    if not function.handler or "." not in function.handler:
        raise BackendError(f"the function {name} has no Handler of the form module.function")
    if function.code_dir is None:
        raise BackendError(f"the function {name} has no local code folder (a SAM CodeUri, a CDK asset, the "
                           "Serverless service folder or a Terraform archive_file source_dir): give a backend "
                           "(--lambda-result FILE, --lambda-error FILE, or --lambda-handler MOD:FN)")
    key = (function.code_dir, function.handler)
    with _LOCK:
        if key not in _LOADED:
            _LOADED[key], _INIT_OUTPUT[key] = _load(function.code_dir, function.handler, name)
        return _LOADED[key]


def take_init_output(function: LambdaFunction) -> str:
    """What importing ``function``'s module printed, once (the cold start's lines); ``""`` afterwards."""
    with _LOCK:
        return _INIT_OUTPUT.pop((function.code_dir, function.handler), "")


def _load(code_dir: str, handler: str, name: str) -> tuple[Callable[..., Any], str]:
    module_path, _, attr = handler.rpartition(".")
    folder = Path(code_dir)
    parts = module_path.split(".")
    candidates = [folder.joinpath(*parts).with_suffix(".py"), folder.joinpath(*parts, "__init__.py")]
    file = next((c for c in candidates if c.is_file()), None)
    if file is None:
        raise BackendError(f"the function {name}: no module {module_path} in {code_dir}")
    unique = "vtlgw_local_" + hashlib.sha1(str(file).encode()).hexdigest()[:12] + "_" + module_path.replace(".", "_")
    if code_dir not in sys.path:
        sys.path.insert(0, code_dir)  # the function's sibling imports, as the Lambda runtime allows them
    spec = importlib.util.spec_from_file_location(unique, file)
    if spec is None or spec.loader is None:  # pragma: no cover - a .py file always has a loader
        raise BackendError(f"the function {name}: cannot import {file}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[unique] = module
    # The module's top level runs with its output captured; any exception, sys.exit included, is an init error.
    outcome = run_user_code(spec.loader.exec_module, module)
    exc = outcome.exception
    if exc is not None:
        sys.modules.pop(unique, None)
        what = f"exited (sys.exit({exc.code!r}))" if isinstance(exc, SystemExit) else \
            f"{type(exc).__name__}: {describe_exception(exc)}"
        printed = f"; it printed: {outcome.output.strip()[:500]}" if outcome.output.strip() else ""
        raise BackendError(f"the function {name}: importing {file} failed: {what}{printed}") from None
    try:
        target = getattr(module, attr, None)
    except Exception:  # noqa: BLE001 - a module __getattr__ of the user's
        target = None
    if not callable(target):
        raise BackendError(f"the function {name}: {file} has no function {attr}")
    return target, outcome.output
