"""Known answers: the simulator reproduces Erlang B, C and A within its replication CI.

Each check runs R independent replications with a fixed seed and asserts that the
analytic value lies inside the 99% t-interval of the replication means (a fixed seed
makes the outcome deterministic; 99% rather than 95% so that the chosen seed is not a
coin flip). The analytic values themselves are checked to 4+ decimals in test_erlang.
"""

from __future__ import annotations

import sys

import numpy as np
import pytest
from scipy import stats

import ccsim
from ccsim import erlang
from ccsim.measure.confidence import t_interval
from conftest import ROOT, simulate_default

LEVEL = 0.99


def queue_yaml(
    agents: int,
    patience: str | None = "5min",
    balk: float = 0.0,
    calls_per_30min: float = 100,
    aht: str = "3min",
    days: int = 7,
    replications: int = 8,
) -> str:
    """A single always-open voice queue in the Erlang form (anger off, shrinkage 0)."""
    if patience is None:
        patience_line = ""
    else:
        patience_line = f"    patience: {{dist: exponential, mean: {patience}, balk: {balk}}}\n"
    return f"""\
name: queue
simulation: {{horizon: {days}d, warmup: 1d, interval: 30min, replications: {replications}, seed: 11}}
channels:
  phone:
    kind: voice
{patience_line}arrivals:
  phone: {{weekly: {calls_per_30min * 48 * 7}, daily: uniform, intraday: flat}}
reasons:
  call: {{mix: {{phone: 1.0}}, resolve: {{dist: exponential, mean: {aht}}}}}
anger: off
groups:
  agents: {{skills: {{phone: 1}}}}
shifts:
  always: {{start: "00:00", length: 24h}}
roster:
  - {{group: agents, shift: always, agents: {agents}}}
targets:
  phone: {{service: [{{within: 20s, at_least: 0.8}}]}}
"""


def interval_of(result: ccsim.Result, metric: str, channel: str = "phone"):
    # scipy's t-interval, not ccsim's own (`measure.confidence`, tested against it below):
    # a wider interval in the code under test must not loosen these checks
    values = result.summary.query("channel == @channel")[metric].to_numpy(float)
    mean, scale = values.mean(), stats.sem(values)
    lo, hi = stats.t.interval(LEVEL, values.size - 1, loc=mean, scale=scale)
    return float(mean), float(lo), float(hi)


def test_ccsims_t_interval_is_scipys():
    values = np.random.default_rng(4).normal(10, 2, 9)
    for level in (0.9, 0.95, 0.99):
        expected = stats.t.interval(level, 8, loc=values.mean(), scale=stats.sem(values))
        np.testing.assert_allclose(t_interval(values, level)[1:], expected, rtol=1e-12)


def assert_in_ci(result, metric, expected, scale=1.0):
    mean, lo, hi = interval_of(result, metric)
    assert lo * scale <= expected <= hi * scale, (
        f"{metric}: analytic {expected:.6g} outside {LEVEL:.0%} CI "
        f"[{lo * scale:.6g}, {hi * scale:.6g}] (mean {mean * scale:.6g})"
    )


@pytest.fixture(scope="module")
def erlang_c_14():
    return simulate_default(queue_yaml(14, patience=None))


def test_erlang_c_service_level_p_wait_and_asa(erlang_c_14):
    lam, aht, n = 100 / 30, 3.0, 14
    assert_in_ci(erlang_c_14, "sl_20s", erlang.erlang_c_service_level(lam, aht, n, 1 / 3))
    assert_in_ci(erlang_c_14, "p_wait", erlang.erlang_c(lam * aht, n))
    assert_in_ci(erlang_c_14, "asa_s", 60 * erlang.erlang_c_asa(lam, aht, n))
    # sanity on the analytic side: the published figures
    assert erlang.erlang_c_service_level(lam, aht, n, 1 / 3) == pytest.approx(0.8884, abs=5e-5)


def test_erlang_c_fifteen_agents():
    result = simulate_default(queue_yaml(15, patience=None))
    assert_in_ci(result, "sl_20s", 0.9415)


def test_erlang_a_scenario_file_reproduces_the_analytic_answer():
    from conftest import SCENARIOS

    s = ccsim.load(SCENARIOS / "erlang_check.yaml")
    result = ccsim.simulate(s, replications=8, seed=5)
    expected = erlang.erlang_a(100 / 30, 3.0, 5.0, 14, within=1 / 3)
    assert expected.p_wait == pytest.approx(0.14526, abs=5e-6)
    assert_in_ci(result, "p_wait", expected.p_wait)
    assert_in_ci(result, "abandon_rate", expected.p_abandon)
    assert_in_ci(result, "sl_20s", expected.service_level)
    assert_in_ci(result, "asa_s", 60 * expected.asa)  # the answered callers' mean wait


def test_erlang_b_blocking_with_balking_callers():
    # callers who must wait all hang up at once (balk 1): a loss system, Erlang B
    text = queue_yaml(17, patience="5min", balk=1.0, calls_per_30min=10 / 3 * 30, days=7)
    result = simulate_default(text)
    assert_in_ci(result, "abandon_rate", erlang.erlang_b(10.0, 17))
    assert erlang.erlang_b(10.0, 17) == pytest.approx(0.0129489, abs=5e-8)
    # P(wait) is the share not answered on arrival — the blocked callers, who balked
    # (until 2026-12-06 a balker counted as not waiting: P(wait) was 0 here)
    assert_in_ci(result, "p_wait", erlang.erlang_b(10.0, 17))


def test_abandoned_callers_wait_exactly_their_patience_and_erlang_a_holds_in_overload():
    # 10 Erlangs on 8 agents: an overloaded M/M/8+M queue, which only abandonment keeps
    # stable; every caller who gave up waited exactly the patience drawn for them
    result = simulate_default(queue_yaml(8, replications=4), contacts=True)
    for rep in result.replications:
        c, o = rep.contacts, rep.contacts.outcome
        gone = np.isnan(o["answer"]) & (o["expire"] <= rep.t1)
        assert gone.sum() > 1000
        np.testing.assert_allclose(o["expire"][gone] - c.arrival[gone], c.patience[gone])
    expected = erlang.erlang_a(100 / 30, 3.0, 5.0, 8, 20 / 60)
    assert_in_ci(result, "abandon_rate", expected.p_abandon)
    assert_in_ci(result, "sl_20s", expected.service_level)


def test_the_engine_agrees_with_an_idiomatic_simpy_model():
    """bench/simpy_reference.py — one process per caller, a Resource, reneging with
    `req | timeout` — is an independent implementation of the same M/M/10+M queue: the
    two agree on service level, abandon rate and ASA within the two-sample 99 % CI of
    their replications (Welch, Bonferroni over the three metrics)."""
    sys.path.insert(0, str(ROOT / "bench"))
    from simpy_reference import run_idiomatic

    reps = 12
    reference = [
        run_idiomatic(2.0, 10, 4.0, 3.0, 2 * 1440.0, warmup=1440.0, within=20 / 60, seed=100 + i)
        for i in range(reps)
    ]
    text = queue_yaml(
        10, patience="3min", calls_per_30min=60, aht="4min", days=2, replications=reps
    )
    ours = ccsim.simulate(ccsim.loads(text), reps, seed=7).summary.query("channel == 'phone'")
    for metric, theirs, scale in (
        ("sl_20s", "service_level", 1.0),
        ("abandon_rate", "abandon_rate", 1.0),
        ("asa_s", "asa", 60.0),
    ):
        a = ours[metric].to_numpy(float)
        b = np.array([r[theirs] for r in reference]) * scale
        p = stats.ttest_ind(a, b, equal_var=False).pvalue
        assert p > 0.01 / 3, f"{metric}: ccsim {a.mean():.4f} vs SimPy {b.mean():.4f} (p = {p:.2g})"
