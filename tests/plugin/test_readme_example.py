"""The README's "Testing with pytest" example, pasted into an empty project as a new user would."""

import re
from pathlib import Path

from .test_plugin import QUIET

README = Path(__file__).parents[2] / "README.md"


def _example_files() -> dict[str, str]:
    section = README.read_text(encoding="utf-8").split("## Testing with pytest", 1)[1].split("\n## ", 1)[0]
    files = {}
    # Each file is introduced by a line starting with its `name`, then the next fenced block is its text.
    for match in re.finditer(r"^`([^`]+\.(?:yaml|py|vtl))`[^\n]*\n\n```[a-z]*\n(.*?)```", section, re.S | re.M):
        files[match.group(1)] = match.group(2)
    return files


def write(pytester, files):
    for name, text in files.items():
        path = pytester.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    pytester.makeini("[pytest]\n")


def test_the_readme_names_five_files():
    assert sorted(_example_files()) == ["src/app.py", "template.yaml", "templates/create-order.vtl",
                                        "tests/test_orders.py", "tests/test_orders.vtlgw.yaml"]


def test_the_readme_example_passes(pytester):
    write(pytester, _example_files())
    result = pytester.runpytest(*QUIET)
    result.assert_outcomes(passed=5)


def test_the_readme_example_fails_as_the_readme_says(pytester):
    files = _example_files()
    files["tests/test_orders.py"] = files["tests/test_orders.py"].replace(
        'assert result.json() == {"id": "42", "status": "PAID"}', 'assert result.json() == {"id": "42", "status": "SHIPPED"}')
    files["tests/test_orders.vtlgw.yaml"] = files["tests/test_orders.vtlgw.yaml"].replace("status: 200", "stauts: 200")
    write(pytester, files)
    result = pytester.runpytest(*QUIET, "--continue-on-collection-errors")
    result.assert_outcomes(passed=2, failed=1, errors=1)
    text = README.read_text(encoding="utf-8")
    diff_line = re.search(r'reads as a JSON diff \(`([^`]+)`\)', text).group(1)
    error_line = re.search(r"such as\n?`(tests/test_orders\.vtlgw\.yaml:[^`]+)`", text.replace("\n", " ")
                           .replace("such as `", "such as\n`")).group(1)
    out = result.stdout.str()
    assert diff_line in out
    assert error_line in out
