"""Property tests: every mutated scenario is either rejected with a clear, located error
or simulated — never a crash inside `simulate` after loading without complaint.

The mutations (tests/mutate.py) draw from a vocabulary of values of every JSON type,
extreme and non-finite numbers, durations and clock strings, deleted and renamed keys and
names swapped for others; bench/fuzz.py runs the same at 10,000 mutants and counts hangs.
"""

from __future__ import annotations

import copy
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ccsim
import mutate
from conftest import MINIMAL

BASES = mutate.bases()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_mutant_is_rejected_clearly_or_simulated(data):
    name, base, folder = data.draw(st.sampled_from(BASES))
    doc = copy.deepcopy(base)
    for _ in range(data.draw(st.integers(1, 3))):
        mutate.mutate(doc, lambda options: data.draw(st.sampled_from(options)))
    kind, detail = mutate.verdict(mutate.to_text(doc), folder)
    assert kind in ("rejected", "ran"), f"{name}: {detail}"


# The crash classes found by hand before these tests (issue: an intraday weight inf, a
# weekly volume of 1e12, a resolve cv of 1e12, `open: {}`, a target within 99999d, a
# horizon of 1E309): each is now refused at load, naming the field and the bound.
@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("intraday: business_hours", "intraday: [.inf" + ", 1" * 23 + "]", "got inf (expected a finite number)"),
        ("weekly: 500,", "weekly: 1e12,", "arrivals.phone.weekly: got 1,000,000,000,000 (expected a value at most 10,000,000)"),
        ("resolve: {mean: 3min, cv: 0.5}", "resolve: {mean: 3min, cv: 1e12}", "reasons.question.resolve.cv: got 1,000,000,000,000 (expected a value at most 10)"),
        ('open: {mon-fri: "08:00-18:00"}', "open: {}", "channels.phone.open: no opening hours given"),
        ("within: 20s", "within: 99999d", "targets.phone.service[0].within: got '99999d' (expected a value at most 31d)"),
        ("horizon: 2d", "horizon: 1E309", "simulation.horizon: got inf (expected a finite number)"),
        # found by bench/fuzz.py (10,000 mutants): 1/cv² overflowed in the arrivals
        ("weekly: 500,", "weekly: 500, overdispersion: 1e-300,", "expected 0 for pure Poisson arrivals, or at least 0.001"),
    ],
)  # fmt: skip
def test_the_crashes_found_by_hand_are_refused_at_load(old, new, expected):
    assert old in MINIMAL
    with pytest.raises(ccsim.ScenarioError) as caught:
        ccsim.loads(MINIMAL.replace(old, new, 1), name="s.yaml")
    messages = [str(m) for m in caught.value.messages]
    assert any(expected in m for m in messages), messages
    assert all(m.startswith("s.yaml:") for m in messages)


def test_a_channel_closed_all_week_is_simulated_as_never_open():
    text = MINIMAL.replace('open: {mon-fri: "08:00-18:00"}', "open: {mon-sun: closed}")
    r = ccsim.simulate(ccsim.loads(text), 1, seed=1, workers=1)
    phone = r.summary.set_index("channel").loc["phone"]
    assert phone["offered"] == 0 and phone["closed"] > 0  # every call came while closed


def test_a_run_too_large_for_the_memory_limit_is_refused_with_the_estimate():
    s = ccsim.loads(MINIMAL.replace("weekly: 500,", "weekly: 5000000,"))
    with pytest.raises(ccsim.WorkLimitError) as caught:
        ccsim.simulate(s, 2, seed=1, memory_limit="100MB")
    message = str(caught.value)
    assert "million contacts" in message and "more than the limit of 100 MB" in message
    assert "--memory-limit" in message and "memory_limit=" in message
    assert "(default:" not in message  # it said the default's origin of a limit given
    small_week = ccsim.loads(MINIMAL)
    with pytest.raises(ccsim.WorkLimitError) as caught:
        ccsim.simulate(small_week, 1, seed=1, memory_limit=1)
    assert "would simulate about 457 contacts each" in str(caught.value)  # "0.00 million"
    assert "(default:" not in str(caught.value)
    # sweep and compare ran it anyway until 2026-12-06 (no check, no --memory-limit)
    big = {"arrivals.phone.weekly": 5000000}
    small = ccsim.loads(MINIMAL)
    with pytest.raises(ccsim.WorkLimitError, match="more than the limit of 100 MB"):
        ccsim.compare(small, {"as is": {}, "big": big}, 2, seed=1, memory_limit="100MB")
    with pytest.raises(ccsim.WorkLimitError, match="more than the limit of 100 MB"):
        ccsim.sweep(
            small, {"arrivals.phone.weekly": [500, 5000000]}, 2, seed=1, memory_limit="100MB"
        )


def test_sweep_on_the_command_line_takes_a_memory_limit(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text(MINIMAL)
    r = subprocess.run(
        [sys.executable, "-m", "ccsim", "sweep", str(path), "--set",
         "arrivals.phone.weekly=500,5000000", "-n", "2", "--memory-limit", "100MB"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "more than the limit of 100 MB" in r.stderr and r.stdout == ""


# --- contact logs ----------------------------------------------------------------------

LOG_ROWS = [
    "id,channel,reason,arrival,answer,end,outcome,handle_s,agent",
    *[
        f"{i},phone,{'PS' if i % 3 else 'NW'},2024-01-0{1 + i % 5} 0{8 + i % 2}:{i % 60:02d}:00,"
        + (
            f"2024-01-0{1 + i % 5} 0{8 + i % 2}:{i % 60:02d}:{10 + i % 40},"
            f"2024-01-0{1 + i % 5} 0{8 + i % 2}:{(i + 3) % 60:02d}:59,answered,{60 + i},a{i % 4}"
            if i % 4
            else f",2024-01-0{1 + i % 5} 0{8 + i % 2}:{i % 60:02d}:30,abandoned,,"
        )
        for i in range(60)
    ],
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_mutated_log_is_refused_clearly_or_read(data, tmp_path_factory):
    """A log with cells, rows and columns mutated is either refused (LogError, located
    messages) or read — and a log that is read either fits or says why it cannot."""
    from ccsim.history.log import LogError

    rows = [r.split(",") for r in LOG_ROWS]
    for _ in range(data.draw(st.integers(1, 4))):
        action = data.draw(
            st.sampled_from(["cell", "drop-row", "drop-column", "duplicate", "header"])
        )
        i = data.draw(st.integers(0, len(rows) - 1))
        if action == "cell" and rows[i]:
            j = data.draw(st.integers(0, len(rows[i]) - 1))
            rows[i][j] = str(data.draw(st.sampled_from(mutate.VALUES))).replace(",", ";")
        elif action == "drop-row" and len(rows) > 1:
            rows.pop(i)
        elif action == "drop-column" and rows[0]:
            j = data.draw(st.integers(0, len(rows[0]) - 1))
            rows = [r[:j] + r[j + 1 :] for r in rows]
        elif action == "duplicate":
            rows.append(list(rows[i]))
        else:
            rows[0][data.draw(st.integers(0, len(rows[0]) - 1))] = data.draw(
                st.sampled_from(mutate.STRINGS)
            )
    path = tmp_path_factory.mktemp("log") / "log.csv"
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", errors="surrogateescape")
    try:
        log = ccsim.read_log(path)
    except LogError as exc:
        assert exc.messages and all(str(m).startswith(str(path)) for m in exc.messages)
        return
    try:
        fitted = ccsim.fit(log, interval=60)
    except ValueError:
        return  # too few contacts of some kind to fit: said in the message
    fitted.scenario  # noqa: B018 - what a fit writes validates


def test_a_time_outside_pandas_range_is_an_unparsable_row_not_a_crash(tmp_path):
    """Found by the log fuzz: an arrival of `-1` parsed as year −1 overflowed."""
    rows = [r.split(",") for r in LOG_ROWS]
    column = rows[0].index("arrival")
    rows[1][column], rows[2][column] = "-1", "9999-12-31 10:00"
    path = tmp_path / "log.csv"
    path.write_text("\n".join(",".join(r) for r in rows) + "\n")
    log = ccsim.read_log(path)
    assert log.dropped["unparsable or missing arrival time"] == 2


def test_a_tiny_memory_limit_is_shown_as_given():
    # `--memory-limit 1KB` said "more than the limit of 0 MB"
    s = ccsim.loads(MINIMAL)
    with pytest.raises(ccsim.WorkLimitError, match="more than the limit of 1,000 bytes"):
        ccsim.simulate(s, 1, seed=1, memory_limit="1KB")
