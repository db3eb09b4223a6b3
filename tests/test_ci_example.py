"""The example CI workflow (examples/ci/ccsim-check.yml), run as written on scenarios/.

Every `run:` line of the workflow that starts with `ccsim ` is executed, in order, in a
copy of the repository's scenarios/ (the "repository" a user's CI job checks out), and
the results are asserted: validation passes, the JUnit XML holds one test case per
file x target, and exactly the targets that ecommerce_omnichannel.yaml misses on
purpose fail (its roster is a deliberately short starting point for `ccsim plan`).
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from ruamel.yaml import YAML

import ccsim
from ccsim.measure.service_level import label
from conftest import ROOT, SCENARIOS

# one worker runs this module under `-n auto` (`--dist loadgroup`, pyproject.toml), so
# the workflow's commands (the `ci` fixture, ~30-60 s) run once, not once per worker
pytestmark = pytest.mark.xdist_group("ci_example")

WORKFLOW = ROOT / "examples" / "ci" / "ccsim-check.yml"


def workflow() -> dict:
    return YAML(typ="safe").load(WORKFLOW.read_text(encoding="utf-8"))


def steps() -> list[dict]:
    return [step for job in workflow()["jobs"].values() for step in job["steps"]]


def ccsim_lines() -> list[str]:
    """The workflow's ccsim commands, in order (each a single `run:` line)."""
    return [
        step["run"].strip()
        for step in steps()
        if str(step.get("run", "")).strip().startswith("ccsim ")
    ]


def command(name: str) -> str:
    (line,) = [line for line in ccsim_lines() if shlex.split(line)[1] == name]
    return line


def run_line(line: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run one workflow line as the CI runner would, with this interpreter's ccsim."""
    argv = shlex.split(line)
    assert argv[0] == "ccsim"
    return subprocess.run(
        [sys.executable, "-m", "ccsim", *argv[1:]],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=1800,
    )


def scenario_files() -> list[str]:
    """Every scenario file below scenarios/, as the CLI names it (relative path)."""
    files = [*SCENARIOS.rglob("*.yaml"), *SCENARIOS.rglob("*.yml")]
    return sorted(p.relative_to(ROOT).as_posix() for p in files)


def target_names(path: str) -> list[str]:
    """The JUnit test case names of a scenario file's targets, from the loaded scenario."""
    names = []
    for channel, target in ccsim.load(ROOT / path).targets.items():
        names += [
            f"{channel} {label(t.within)} ≥ {t.at_least:.0%}{t.scope_text}" for t in target.service
        ]
        if (a := target.max_abandon) is not None:
            names.append(f"{channel} abandon_rate ≤ {a.at_most:.0%}{a.scope_text}")
    return names


@pytest.fixture(scope="session")
def ci(tmp_path_factory):
    """The workflow's ccsim commands, run once in a fresh copy of scenarios/ (a session's
    fixture: a module's ran twice, ~70 s each, when xdist sent the worker another
    module's tests between this module's)."""
    repo = tmp_path_factory.mktemp("repo")
    # The bundled scenarios reference no outside files (no `intraday: {csv: ...}`); if
    # one ever does, validation in the copy fails and says which file and field.
    shutil.copytree(SCENARIOS, repo / "scenarios")
    return repo, {line: run_line(line, repo) for line in ccsim_lines()}


def test_module_runs_in_one_worker(request):
    """Under `-n auto --dist loadgroup`, xdist marks this module's tests with their group
    (a node id ending `@ci_example`) and sends them to one worker, so `ci` runs once; a
    pytest that drops the mark (9.2 with xdist 3.8, pyproject.toml) runs it per worker."""
    if not getattr(request.config.option, "loadgroup", False):
        pytest.skip("not a worker of `pytest -n N --dist loadgroup`")
    assert request.node.nodeid.endswith("@ci_example"), request.node.nodeid


def test_workflow_triggers_and_steps():
    doc = workflow()
    on = doc["on"]
    for event in ("push", "pull_request"):
        assert "scenarios/**" in on[event]["paths"]
    assert "workflow_dispatch" in on
    (job,) = doc["jobs"].values()
    uses = [step.get("uses", "") for step in job["steps"]]
    assert any(u.startswith("actions/checkout@") for u in uses)
    (setup,) = [s for s in job["steps"] if s.get("uses", "").startswith("actions/setup-python@")]
    assert str(setup["with"]["python-version"]) == "3.11"
    # ccsim commands sit on single lines (so this test runs exactly what CI runs)
    for step in job["steps"]:
        run = str(step.get("run", "")).strip()
        if "ccsim " in run:
            assert run.startswith("ccsim ") and "\n" not in run, run
    lines = ccsim_lines()
    assert lines == [command("validate"), command("check")]  # validate first
    assert shlex.split(command("validate"))[2:] == ["scenarios/"]
    check = shlex.split(command("check"))
    assert check[2] == "scenarios/"
    assert "--junit" in check and "--confidence" in check
    assert "-n" not in check and "--reps" not in check  # each file's own replications
    junit = check[check.index("--junit") + 1]
    # the check runs after a failed validation too: its report names the invalid files (a
    # CI walkthrough: the job stopped at validate, and the report was missing)
    (step,) = [s for s in job["steps"] if str(s.get("run", "")).startswith("ccsim check")]
    assert step["if"] == "success() || failure()"
    # the JUnit file is uploaded and published even when the check step fails; the
    # report only where the token may create a check run (not a fork's pull request)
    fork = "github.event.pull_request.head.repo.full_name == github.repository"
    for prefix, condition in (
        ("actions/upload-artifact@", "always()"),
        (
            "mikepenz/action-junit-report@",
            f"always() && (github.event_name != 'pull_request' || {fork})",
        ),
    ):
        (step,) = [s for s in job["steps"] if s.get("uses", "").startswith(prefix)]
        assert step["if"] == condition
        assert junit in (step["with"].get("path"), step["with"].get("report_paths"))


def test_validate_step_passes_on_every_file(ci):
    _, results = ci
    r = results[command("validate")]
    assert r.returncode == 0, r.stderr
    files = scenario_files()
    for f in files:
        assert f"{f}: ok" in r.stdout
    assert f"{len(files)} of {len(files)} scenario file(s) valid" in r.stdout
    assert "Traceback" not in r.stderr


def junit_cases(repo: Path) -> dict[str, dict[str, bool]]:
    """{file: {test case name: failed?}} from the check step's JUnit file."""
    check = shlex.split(command("check"))
    root = ET.parse(repo / check[check.index("--junit") + 1]).getroot()
    assert root.tag == "testsuites"
    cases: dict[str, dict[str, bool]] = {}
    for suite in root.iter("testsuite"):
        found = {
            case.get("name"): case.find("failure") is not None for case in suite.iter("testcase")
        }
        assert len(found) == len(list(suite.iter("testcase")))  # names unique in a file
        assert int(suite.get("tests")) == len(found)
        assert int(suite.get("failures")) == sum(found.values())
        cases[suite.get("name")] = found
    return cases


def test_check_step_writes_one_testcase_per_target(ci):
    repo, _ = ci
    cases = junit_cases(repo)
    assert sorted(cases) == scenario_files()
    for f in scenario_files():
        assert sorted(cases[f]) == sorted(target_names(f)), f


def test_check_step_fails_exactly_when_its_report_has_failures(ci):
    """Exit code, JUnit failures and the MISS/ok lines of the log tell one story."""
    repo, results = ci
    r = results[command("check")]
    assert "Traceback" not in r.stderr
    cases = junit_cases(repo)
    failed = {(f, name) for f, found in cases.items() for name, x in found.items() if x}
    passed = {(f, name) for f, found in cases.items() for name, x in found.items() if not x}
    lines = {
        mark: {
            tuple(line.removeprefix(mark).split(": ")[:2])
            for line in r.stdout.splitlines()
            if line.startswith(mark)
        }
        for mark in ("MISS ", "ok   ")
    }
    assert lines["MISS "] == failed and lines["ok   "] == passed, r.stdout
    assert r.returncode == (1 if failed else 0)
    assert r.stdout.strip().endswith(
        "some targets missed or files invalid" if failed else "every target met"
    )


def test_validate_step_catches_a_broken_field(tmp_path):
    (tmp_path / "scenarios").mkdir()
    text = (SCENARIOS / "small_shop.yaml").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    (line,) = [i for i, s in enumerate(lines, 1) if s.lstrip().startswith("replications:")]
    lines[line - 1] = "  replications: many\n"
    (tmp_path / "scenarios" / "small_shop.yaml").write_text("".join(lines), encoding="utf-8")
    r = run_line(command("validate"), tmp_path)
    assert r.returncode == 1
    assert f"scenarios/small_shop.yaml:{line}: simulation.replications: got 'many'" in r.stderr
    assert "0 of 1 scenario file(s) valid" in r.stdout
    assert "Traceback" not in r.stderr


def test_docs_show_the_workflow_commands():
    docs = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    for line in ccsim_lines():
        assert f"run: {line}\n" in docs
