"""The code base stays ruff-clean (a linter run is part of the tests)."""

import shutil
import subprocess
import tomllib

import pytest

from conftest import ROOT


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]])
def test_ruff_clean(command):
    # (the format was kept but not checked: an edit that passed `ruff check` left the
    # tree unformatted, a maintainer's walkthrough)
    ruff = shutil.which("ruff") or str(ROOT / ".venv" / "bin" / "ruff")
    if not shutil.which(ruff):
        pytest.skip("ruff is not installed")
    r = subprocess.run(
        [ruff, *command, "src", "tests", "bench", "notebooks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stdout + r.stderr


def test_readme_opens_with_the_two_commands():
    text = (ROOT / "README.md").read_text()
    blocks = [b.split("```")[0].strip() for b in text.split("```sh\n")[1:3]]
    assert blocks[0].startswith("python3 -m venv .venv") and "ccsim" in blocks[0]
    assert blocks[1].startswith("python3 -m venv .venv") and "pytest" in blocks[1]
    ci = (ROOT / ".ci" / "run").read_text()
    assert blocks[1] in ci, ".ci/run must call exactly the README's test command"


def test_python_version_is_stated_once():
    """requires-python, ruff's target and the CI workflow name the same Python."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    minimum = project["project"]["requires-python"].removeprefix(">=")
    assert project["tool"]["ruff"]["target-version"] == "py" + minimum.replace(".", "")
    workflow = (ROOT / "examples" / "ci" / "ccsim-check.yml").read_text()
    assert f'python-version: "{minimum}"' in workflow
