"""Overload, empty rosters, no arrivals and dying workers give clear results, not hangs."""

from __future__ import annotations

import json
import os
import time

import pytest

import ccsim
from ccsim.experiment import runner as experiment
from conftest import SCENARIOS
from test_cli import ccsim as cli


def test_three_times_overloaded_finishes_and_reports_misses():
    s = ccsim.with_changes(ccsim.load(SCENARIOS / "erlang_check.yaml"), {"roster[0].agents": 3})
    start = time.process_time()
    doc = ccsim.simulate(s, 2, 1, contacts=False).document()
    assert time.process_time() - start < 60  # bounded work, not a hang (generous bound)
    phone = doc["channels"]["phone"]
    assert phone["service"][0]["met"] is False and doc["targets_met"] is False
    assert phone["abandon_rate"]["mean"] > 0.5


def test_overloaded_message_backlog_grows_without_abandoning():
    s = ccsim.with_changes(
        ccsim.load(SCENARIOS / "small_shop.yaml"),
        {"roster": [{"group": "generalist", "shift": "early", "agents": 1}]},
    )
    r = ccsim.simulate(s, 1, 1, contacts=False)
    email = r.intervals[r.intervals.channel == "email"]
    assert email["backlog"].iloc[-1] > email["backlog"].iloc[0]
    assert r.summary.set_index("channel").loc["email", "abandoned"] == 0


@pytest.mark.parametrize("roster", ["roster: []\n", ""])
def test_run_and_check_refuse_a_scenario_without_roster_lines(tmp_path, roster):
    # the format (docs/scenario-format.md): roster "optional for `plan`, required for `run`/`check`"; both
    # ran it (nobody answered, `run` exited 0)
    text = (SCENARIOS / "small_shop.yaml").read_text()
    f = tmp_path / "plan_input.yaml"
    f.write_text(text[: text.index("\nroster:") + 1] + roster + text[text.index("shrinkage:") :])
    expected = f"{f}: roster: no roster lines: `run` and `check` simulate the scenario's roster"
    assert cli("validate", str(f)).returncode == 0  # what `plan` takes
    r = cli("run", str(f), "-n", "1", "--json")
    assert r.returncode == 1 and r.stderr.startswith(expected), r.stderr
    assert [e["field"] for e in json.loads(r.stdout)["errors"]] == ["roster"]
    r = cli("check", str(f), "-n", "1", "--json")
    said = r.stderr.splitlines()  # the file's warnings too, in file order (a line-less one last)
    assert r.returncode == 1 and said[-1].startswith(expected), r.stderr
    assert said[:-1] == [str(w) for w in ccsim.load(f).warnings]
    assert json.loads(r.stdout)["files"][0]["valid"] is False
    with pytest.raises(ccsim.ScenarioError) as refused:  # and the Python API, as the CLI
        ccsim.simulate(ccsim.load(f), 1, seed=1)
    assert str(refused.value).startswith(expected)


def test_no_agents_gives_zero_service_and_a_warning(tmp_path):
    text = (SCENARIOS / "small_shop.yaml").read_text()
    lines = "roster:\n  - {group: generalist, shift: early, agents: 0}\n"
    body = text[: text.index("\nroster:") + 1] + lines + text[text.index("shrinkage:") :]
    f = tmp_path / "empty.yaml"
    f.write_text(body)
    r = cli("run", str(f), "-n", "1", "--json")
    assert r.returncode == 0 and "the roster has no agents" in r.stderr
    doc = json.loads(r.stdout)
    assert doc["channels"]["phone"]["service"][0]["mean"] == 0.0
    assert doc["channels"]["phone"]["abandon_rate"]["mean"] == 1.0
    assert doc["targets_met"] is False


def test_no_arrivals_is_a_clear_empty_result():
    s = ccsim.with_changes(
        ccsim.load(SCENARIOS / "small_shop.yaml"),
        {"arrivals.phone.weekly": 0, "arrivals.chat.weekly": 0, "arrivals.email.weekly": 0},
    )
    doc = ccsim.simulate(s, 2, 1).document()
    phone = doc["channels"]["phone"]
    assert phone["offered"]["mean"] == 0
    assert phone["service"][0]["mean"] is None and phone["service"][0]["met"] is True


def _die(*args):
    os._exit(3)  # a worker killed mid-replication (out of memory, say)


def test_a_dying_worker_is_reported_clearly():
    s = ccsim.load(SCENARIOS / "small_shop.yaml")
    with (
        pytest.raises(experiment.WorkerError, match="a worker process died"),
        experiment.Runner(2, work=_die) as runner,
    ):
        runner.run(s, 2, seed=1)
