"""`ccsim erlang {c,a}`: the analytic calculator's known answers, output and bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT

LOAD = ["--calls", "100", "--per", "30min", "--aht", "3min"]  # 10 Erlangs


def ccsim(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ccsim", *args], capture_output=True, text=True, cwd=ROOT
    )


def erlang_json(*args: str) -> dict:
    r = ccsim("erlang", *args, "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def rows_by_agents(doc: dict) -> dict[int, dict]:
    return {row["agents"]: row for row in doc["rows"]}


def test_erlang_c_known_answers():
    doc = erlang_json("c", *LOAD, "--agents", "14", "--agents", "15", "--within", "20s")
    assert doc["model"] == "erlang_c"
    assert doc["arrival_rate_per_min"] == pytest.approx(100 / 30)
    assert doc["aht_s"] == pytest.approx(180.0) and doc["within_s"] == pytest.approx(20.0)
    assert doc["required_agents"] is None
    rows = rows_by_agents(doc)
    assert round(rows[14]["service_level"], 4) == 0.8884
    assert round(rows[14]["p_wait"], 4) == 0.1741
    assert rows[14]["asa_s"] == pytest.approx(7.84, abs=0.005)
    assert rows[14]["occupancy"] == pytest.approx(10 / 14)
    assert round(rows[15]["service_level"], 4) == 0.9415


def test_rate_option_equals_calls_per_period():
    by_rate = erlang_json("c", "--rate", str(100 / 30), "--aht", "180s", "--agents", "14")
    by_calls = erlang_json("c", *LOAD, "--agents", "14")
    assert by_rate["rows"][0]["service_level"] == pytest.approx(
        by_calls["rows"][0]["service_level"]
    )


def test_erlang_a_known_answers():
    doc = erlang_json("a", *LOAD, "--patience", "5min", "--agents", "14")
    assert doc["model"] == "erlang_a" and doc["patience_s"] == pytest.approx(300.0)
    (row,) = doc["rows"]
    assert row["p_wait"] == pytest.approx(0.14526, abs=5e-6)
    assert row["p_abandon"] == pytest.approx(0.013984, abs=5e-7)
    assert round(row["service_level"], 4) == 0.9168
    assert row["wait_mean_s"] > row["asa_s"] * (1 - row["p_abandon"]) > 0


def test_erlang_c_target_gives_required_agents_and_a_table_around_it():
    doc = erlang_json("c", *LOAD, "--target", "0.8")
    assert doc["required_agents"] == 14
    assert [row["agents"] for row in doc["rows"]] == [12, 13, 14, 15, 16]
    assert erlang_json("c", *LOAD, "--target", "80%")["required_agents"] == 14


def test_default_table_skips_unstable_counts():
    doc = erlang_json("c", "--rate", "1", "--aht", "10min", "--within", "0", "--target", "0")
    assert doc["required_agents"] == 11
    assert [row["agents"] for row in doc["rows"]] == [11, 12, 13]


def test_erlang_a_required_agents_with_abandon_limit():
    base = ["a", *LOAD, "--patience", "5min", "--target", "0.8"]
    assert erlang_json(*base)["required_agents"] == 13
    assert erlang_json(*base, "--max-abandon", "1%")["required_agents"] == 15


def test_agents_range_and_unstable_row():
    doc = erlang_json("c", *LOAD, "--agents", "9-11")
    rows = rows_by_agents(doc)
    assert sorted(rows) == [9, 10, 11]
    assert rows[9]["service_level"] == 0 and rows[9]["asa_s"] is None
    assert rows[10]["stable"] is False and rows[11]["stable"] is True


def test_human_table():
    r = ccsim("erlang", "c", *LOAD, "--agents", "12-16", "--target", "0.8")
    assert r.returncode == 0, r.stderr
    assert "0.8884" in r.stdout and "14" in r.stdout and "7.84" in r.stdout
    assert "required agents for SL ≥ 80% in 20s: 14" in r.stdout


def test_human_table_marks_unstable_rows():
    r = ccsim("erlang", "c", *LOAD, "--agents", "9,14")
    assert r.returncode == 0, r.stderr
    unstable = next(line for line in r.stdout.splitlines() if "unstable" in line)
    assert "inf" in unstable and "0.0000" in unstable


def test_human_table_erlang_a():
    r = ccsim("erlang", "a", *LOAD, "--patience", "5min", "--agents", "14")
    assert r.returncode == 0, r.stderr
    assert "P(abandon)" in r.stdout and "0.0140" in r.stdout and "0.9168" in r.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["c", "--calls", "100", "--per", "30min", "--agents", "14"],  # no --aht
        ["a", *LOAD, "--agents", "14"],  # no --patience
        ["c", "--calls", "100", "--per", "30min", "--aht", "-3min", "--agents", "14"],
        ["c", "--calls", "100", "--per", "30min", "--aht", "0", "--agents", "14"],
        ["c", "--calls", "100", "--per", "30min", "--aht", "3 parsecs", "--agents", "14"],
        ["c", *LOAD, "--rate", "3", "--agents", "14"],
        ["c", "--aht", "3min", "--agents", "14"],  # no arrivals
        ["c", "--calls", "100", "--aht", "3min", "--agents", "14"],  # no --per
        ["c", *LOAD, "--agents", "16-12"],
        ["c", *LOAD, "--agents", "12-"],
        ["c", *LOAD, "--agents", "twelve"],
        ["c", *LOAD, "--agents", "0"],
        ["c", *LOAD],  # neither --agents nor --target
        ["c", *LOAD, "--target", "1.5"],
        ["c", *LOAD, "--within", "-20s", "--agents", "14"],
    ],
)
def test_bad_input_is_a_usage_error(args):
    r = ccsim("erlang", *args)
    assert r.returncode == 2, r.stdout + r.stderr
    assert r.stderr.startswith("ccsim: error:")
    assert len(r.stderr.strip().splitlines()) == 1
    assert "Traceback" not in r.stderr + r.stdout


def test_an_unreachable_target_is_an_answer_exit_0():
    # the contract lists exit 0 for `erlang`: "no number of agents" is the calculator's answer
    r = ccsim("erlang", "c", "--rate", "100000", "--aht", "2min", "--target", "0.8")
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    assert "required agents: out of reach — SL ≥ 80% in 20s cannot be met" in r.stdout
    r = ccsim("erlang", "c", *LOAD, "--target", "1.0", "--agents", "14-15", "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["required_agents"] is None
    assert "100% is out of reach" in doc["out_of_reach"]
    assert [row["agents"] for row in doc["rows"]] == [14, 15]
    r = ccsim("erlang", "a", *LOAD, "--patience", "2min", "--max-abandon", "0", "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["rows"] == [] and doc["required_agents"] is None
    assert "0% is out of reach" in doc["out_of_reach"]
    ok = json.loads(ccsim("erlang", "c", *LOAD, "--target", "0.8", "--json").stdout)
    assert ok["required_agents"] is not None and ok["out_of_reach"] is None


def test_a_bare_within_is_minutes_and_said_as_in_backtest():
    # `--within 20` meant for 20 s is 20 minutes: backtest said so, erlang did not
    r = ccsim("erlang", "c", "--rate", "1", "--aht", "3min", "--agents", "5", "--within", "20")
    assert r.returncode == 0 and "answered within 20min" in r.stdout
    assert "ccsim: warning: --within 20 is 20 minutes (write 20s for seconds" in r.stderr
    r = ccsim("erlang", "c", "--rate", "1", "--aht", "3min", "--agents", "5", "--within", "0")
    assert "warning" not in r.stderr  # 0 is 0 in any unit


def test_a_bare_handle_time_or_patience_is_minutes_and_said():
    # `--aht 180` meant for 180 s was three hours, 600 Erlangs, without a word
    r = ccsim("erlang", "a", "--rate", "1", "--aht", "180", "--patience", "5", "--agents", "5")
    assert r.returncode == 0 and "AHT 3h" in r.stdout and "mean patience 5min" in r.stdout
    assert "ccsim: warning: --aht 180 is 180 minutes (write 180s for seconds" in r.stderr
    assert "ccsim: warning: --patience 5 is 5 minutes (write 5s for seconds" in r.stderr
    r = ccsim("erlang", "a", "--rate", "1", "--aht", "180s", "--patience", "5min", "--agents", "5")
    assert r.returncode == 0 and "AHT 3min" in r.stdout and "warning" not in r.stderr
