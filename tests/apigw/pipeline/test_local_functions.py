"""Without a backend, a Lambda integration runs the template's own Python function in-process."""

import pytest

from vtlgw.apigw.definition import Stack, load_definition
from vtlgw.apigw.pipeline import BackendError, invoke

from .helpers import DATA, req


@pytest.fixture(scope="module")
def definition():
    return load_definition(DATA / "localfn" / "template.yaml")


def test_functions_are_read_with_globals_and_code_folders(definition):
    greet = definition.functions["Greet"]
    assert (greet.handler, greet.runtime) == ("app.handler", "python3.12")  # Runtime from Globals
    assert greet.code_dir == str((DATA / "localfn" / "src").resolve())
    assert definition.methods[("POST", "/greet")].integration.function_id == "Greet"


def test_the_templates_function_answers(definition):
    result = invoke(definition, req(httpMethod="POST", path="/greet", body={"name": "Ada"}))
    assert result.status == 200
    # The handler's context.function_name is the physical name CloudFormation gives the unnamed function
    assert result.json() == {"greeting": "hello Ada", "function": Stack().generated_name("Greet", limit=64)}
    assert any("backend: the template's function Greet" in line for line in result.trace)


def test_two_folders_with_an_app_module_do_not_shadow_each_other(definition):
    first = invoke(definition, req(httpMethod="POST", path="/greet", body={"name": "x"}))
    other = invoke(definition, req(httpMethod="POST", path="/other", body={}))
    assert first.json()["greeting"] == "hello x"
    assert other.json() == {"other": True}


def test_a_function_of_another_runtime_needs_a_backend(definition):
    with pytest.raises(BackendError, match="runtime nodejs20.x"):
        invoke(definition, req(httpMethod="POST", path="/node", body={}))
