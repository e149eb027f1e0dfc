import shutil
from pathlib import Path

import pytest

# Imported here so pytester's in-process runs find them already loaded: it unloads what a run imported,
# and re-importing PyYAML beside its C extension breaks it (and re-importing the engine costs seconds).
import yaml  # noqa: F401
import vtlgw.apigw.definition  # noqa: F401
import vtlgw.apigw.pipeline  # noqa: F401
import vtlgw.testing.cases  # noqa: F401
import vtlgw.testing.compare  # noqa: F401
import vtlgw.vtl.template  # noqa: F401

REPO = Path(__file__).parents[2]


@pytest.fixture
def project(pytester):
    """A small user project: the shipped templates, fixtures (SAM + handlers) and a pytest.ini."""
    shutil.copytree(REPO / "templates", pytester.path / "templates")
    shutil.copytree(REPO / "fixtures", pytester.path / "fixtures")
    pytester.makeini("[pytest]\n")
    return pytester
