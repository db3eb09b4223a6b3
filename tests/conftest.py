"""Shared fixtures: a minimal valid scenario as YAML text, and a loader for variants."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

import ccsim

# Property tests draw the same examples on every run and machine (derived from each
# test's name), as the other statistical tests use fixed seeds: a CI failure is one a
# maintainer can repeat. `pytest --hypothesis-profile explore` draws new ones.
settings.register_profile("ccsim", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile("ccsim")

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"

# The tests judge the code beside them: run from another checkout (a clone or worktree
# sharing a virtualenv), `import ccsim` and `python -m ccsim` found that virtualenv's
# editable install and passed or failed on code the change had not touched (a
# maintainer's walkthrough).
if not Path(ccsim.__file__).resolve().is_relative_to(ROOT / "src"):
    pytest.exit(
        f"these tests are in {ROOT}, but `import ccsim` finds {Path(ccsim.__file__).parent}: "
        f"install this checkout (pip install -e .) or set PYTHONPATH={ROOT / 'src'}",
        returncode=4,
    )
# ... and so do the commands the tests start, from any folder (`PYTHONPATH=src`, relative,
# found the virtualenv's ccsim from a test's tmp_path: a review)
os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(ROOT / "src"), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
)

# A small valid scenario. Tests make broken variants by replacing one line, so the
# line numbers of the keys below are part of the tests: keep the layout stable.
MINIMAL = """\
name: minimal
simulation:
  horizon: 2d
  warmup: 1d
  interval: 1h
channels:
  phone:
    kind: voice
    patience: 3min
    open: {mon-fri: "08:00-18:00"}
  email:
    kind: message
arrivals:
  phone: {weekly: 500, intraday: business_hours}
  email: {weekly: 300}
reasons:
  question:
    mix: {phone: 0.7, email: 0.6}
    resolve: {mean: 3min, cv: 0.5}
  special:
    mix: {phone: 0.3, email: 0.4}
    resolve: {mean: 8min, cv: 0.8}
    escalate: true
escalation:
  resolve: {mean: 10min, cv: 0.5}
groups:
  agents:
    skills: {phone: 1, email: 2}
    wage: 15
  supervisor:
    skills: {escalation: 1}
    wage: 25
shifts:
  day: {start: "08:00", length: 10h, days: mon-fri}
roster:
  - {group: agents, shift: day, agents: 3}
  - {group: supervisor, shift: day, agents: 1}
targets:
  phone: {service: [{within: 20s, at_least: 0.8}], max_abandon: 0.05}
  email: {service: [{within: 24h, at_least: 0.9}]}
"""


def minimal_line(text: str) -> int:
    """1-based line of the first line of MINIMAL containing `text`."""
    for i, line in enumerate(MINIMAL.splitlines(), start=1):
        if text in line:
            return i
    raise AssertionError(f"{text!r} not in MINIMAL")


@pytest.fixture
def minimal_text() -> str:
    return MINIMAL


def load_text(text: str, tmp_path: Path, name: str = "s.yaml") -> ccsim.Scenario:
    """Write `text` to a file and load it (so messages carry a real path)."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return ccsim.load(path)


def errors_of(text: str, tmp_path: Path) -> list[str]:
    """The messages loading `text` produces (empty if it loads)."""
    try:
        load_text(text, tmp_path)
    except ccsim.ScenarioError as exc:
        return [str(m) for m in exc.messages]
    return []


def simulate_default(text: str, contacts: bool = False) -> ccsim.Result:
    """Simulate scenario text with the replications and seed the scenario names."""
    s = ccsim.loads(text)
    return ccsim.simulate(s, s.simulation.replications, s.simulation.seed, contacts=contacts)
