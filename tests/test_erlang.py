"""Tests for ccsim.erlang: known answers, stability, monotonicity and independent cross-checks."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.linalg import expm

from ccsim.erlang import (
    ErlangAResult,
    erlang_a,
    erlang_b,
    erlang_c,
    erlang_c_asa,
    erlang_c_service_level,
    required_agents_erlang_a,
    required_agents_erlang_c,
)
from ccsim.erlang import _erlang_a_queue_probs as queue_probs

LAM = 100 / 30  # calls per minute
AHT = 3.0  # minutes
WITHIN = 1 / 3  # 20 seconds


# --- known answers (from the issue tracker) ---------------------------------------------------


def test_erlang_b_known_answer() -> None:
    assert erlang_b(10, 17) == pytest.approx(0.0129489, abs=5e-8)


def test_erlang_c_known_answers() -> None:
    assert erlang_c_service_level(LAM, AHT, 14, WITHIN) == pytest.approx(0.8884, abs=5e-5)
    assert erlang_c(LAM * AHT, 14) == pytest.approx(0.1741, abs=5e-5)
    assert erlang_c_asa(LAM, AHT, 14) * 60 == pytest.approx(7.84, abs=5e-3)
    # 7.84 s is 7.84/60 = 0.13067 min only after rounding; the exact ASA is 0.130599 min.
    assert erlang_c_asa(LAM, AHT, 14) == pytest.approx(7.84 / 60, abs=0.005 / 60)
    assert erlang_c_asa(LAM, AHT, 14) == pytest.approx(0.1306, abs=5e-5)
    assert erlang_c_service_level(LAM, AHT, 15, WITHIN) == pytest.approx(0.9415, abs=5e-5)


def test_erlang_a_known_answers() -> None:
    r = erlang_a(LAM, AHT, 5.0, 14, WITHIN)
    assert isinstance(r, ErlangAResult)
    assert r.p_wait == pytest.approx(0.14526, abs=5e-6)
    assert r.p_abandon == pytest.approx(0.013984, abs=5e-7)
    assert r.service_level == pytest.approx(0.9168, abs=5e-5)


def test_required_agents_erlang_c_known_answers() -> None:
    assert required_agents_erlang_c(LAM, AHT, WITHIN, 0.80) == 14
    assert required_agents_erlang_c(LAM, AHT, WITHIN, 0.90) == 15


# --- basic properties ---------------------------------------------------------------------------


def test_erlang_b_edge_cases() -> None:
    assert erlang_b(5.0, 0) == 1.0
    assert erlang_b(0.0, 3) == 0.0
    assert erlang_b(1.0, 1) == pytest.approx(0.5)
    with pytest.raises(ValueError):
        erlang_b(1.0, -1)


def test_erlang_c_unstable_and_closed_form() -> None:
    assert erlang_c(14.0, 14) == 1.0
    assert erlang_c(20.0, 14) == 1.0
    assert erlang_c_service_level(LAM, AHT, 10, WITHIN) == 0.0
    assert erlang_c_asa(LAM, AHT, 10) == math.inf
    # M/M/1: C = rho.
    assert erlang_c(0.7, 1) == pytest.approx(0.7)
    # Zero threshold: SL = 1 - P(wait).
    assert erlang_c_service_level(LAM, AHT, 14, 0.0) == pytest.approx(1 - erlang_c(10.0, 14))


def test_erlang_c_vectorised_matches_scalar() -> None:
    lams = np.array([2.0, 3.0, LAM, 4.0, 5.0])  # last one is unstable for 14 agents
    sl = erlang_c_service_level(lams, AHT, 14, WITHIN)
    asa = erlang_c_asa(lams, AHT, 14)
    assert isinstance(sl, np.ndarray) and sl.shape == lams.shape
    for i, lam in enumerate(lams):
        assert sl[i] == pytest.approx(erlang_c_service_level(float(lam), AHT, 14, WITHIN))
        assert asa[i] == pytest.approx(erlang_c_asa(float(lam), AHT, 14))
    assert sl[-1] == 0.0 and asa[-1] == math.inf


# --- stability for large systems ----------------------------------------------------------------


def test_large_system_stability() -> None:
    b = erlang_b(4900, 5000)
    c = erlang_c(4900.0, 5000)
    for v in (b, c):
        assert math.isfinite(v) and 0.0 <= v <= 1.0
    assert c > b  # C >= B always
    # Overloaded loss system: B ~ 1 - n/a for a >> n.
    assert erlang_b(10000.0, 5000) == pytest.approx(0.5, abs=1e-3)


@pytest.mark.parametrize("load", [1950.0, 2000.0, 2100.0])
def test_erlang_a_large_system_stability(load: float) -> None:
    r = erlang_a(load / AHT, AHT, 5.0, 2000, WITHIN)
    for v in (r.p_wait, r.p_abandon, r.service_level, r.occupancy):
        assert math.isfinite(v) and 0.0 <= v <= 1.0
    assert math.isfinite(r.mean_wait) and math.isfinite(r.asa)


# --- monotonicity -------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    load=st.floats(0.5, 60.0),
    aht=st.floats(0.5, 10.0),
    patience=st.floats(0.2, 20.0),
    within=st.floats(0.0, 2.0),
)
def test_monotone_in_agents(load: float, aht: float, patience: float, within: float) -> None:
    lam = load / aht
    n_range = range(max(1, int(load) - 5), int(load) + 15)
    c_sl = [erlang_c_service_level(lam, aht, n, within) for n in n_range]
    c_pw = [erlang_c(load, n) for n in n_range]
    a_res = [erlang_a(lam, aht, patience, n, within) for n in n_range]
    tol = 1e-12
    assert all(y >= x - tol for x, y in itertools.pairwise(c_sl))
    assert all(y <= x + tol for x, y in itertools.pairwise(c_pw))
    for r0, r1 in itertools.pairwise(a_res):
        assert r1.service_level >= r0.service_level - tol
        assert r1.p_wait <= r0.p_wait + tol
        assert r1.p_abandon <= r0.p_abandon + tol


# --- Erlang A cross-checks ----------------------------------------------------------------------


@pytest.mark.parametrize("n", [12, 14, 16])
def test_erlang_a_approaches_erlang_c_for_huge_patience(n: int) -> None:
    r = erlang_a(LAM, AHT, 1e9, n, WITHIN)
    assert r.p_wait == pytest.approx(erlang_c(LAM * AHT, n), abs=1e-7)
    assert r.service_level == pytest.approx(erlang_c_service_level(LAM, AHT, n, WITHIN), abs=1e-7)
    assert r.mean_wait == pytest.approx(erlang_c_asa(LAM, AHT, n), rel=1e-6)
    assert r.p_abandon < 1e-8
    assert r.occupancy == pytest.approx(LAM * AHT / n, rel=1e-7)


@pytest.mark.parametrize(("n", "patience"), [(14, 5.0), (8, 1.0), (30, 0.5), (10, 50.0)])
def test_erlang_a_conservation_identities(n: int, patience: float) -> None:
    theta = 1 / patience
    r = erlang_a(LAM, AHT, patience, n, WITHIN)
    pq = queue_probs(LAM, 1 / AHT, theta, n)
    mean_queue = float(np.dot(np.arange(pq.size), pq))
    # Abandonment flow = theta * E[Q] = lam * P(abandon); Little: E[Q] = lam * mean wait.
    assert r.p_abandon == pytest.approx(theta * mean_queue / LAM, rel=1e-9)
    assert r.mean_wait == pytest.approx(mean_queue / LAM, rel=1e-9)
    # Mean wait over all offered splits into answered and abandoned parts.
    assert r.mean_wait >= r.asa * (1 - r.p_abandon) - 1e-12
    # Busy agents: carried load = E[min(N, n)] = lam (1 - P(ab)) aht.
    assert r.occupancy == pytest.approx(LAM * AHT * (1 - r.p_abandon) / n)


def _generator_stationary(n: int, patience: float, states: int) -> np.ndarray:
    """Stationary law of the truncated M/M/n+M chain by a dense linear solve (independent)."""
    mu, theta = 1 / AHT, 1 / patience
    q = np.zeros((states, states))
    for k in range(states):
        if k + 1 < states:
            q[k, k + 1] = LAM
        if k > 0:
            q[k, k - 1] = min(k, n) * mu + max(k - n, 0) * theta
        q[k, k] = -q[k].sum()
    a = np.vstack([q.T, np.ones(states)])
    rhs = np.zeros(states + 1)
    rhs[-1] = 1.0
    return np.linalg.lstsq(a, rhs, rcond=None)[0]


def _sl_wait_part(n: int, patience: float, states: int = 120) -> float:
    """P(wait and answered within WITHIN) via the tagged customer's absorbing CTMC and expm."""
    mu, theta = 1 / AHT, 1 / patience
    pi = _generator_stationary(n, patience, n + states)
    jmax = states - 1
    # Transient states i = number ahead (0..jmax); absorbing "served" = index jmax + 1.
    size = jmax + 2
    g = np.zeros((size, size))
    for i in range(jmax + 1):
        if i > 0:
            g[i, i - 1] = n * mu + i * theta
        else:
            g[i, size - 1] = n * mu
        g[i, i] = -(n * mu + (i + 1) * theta)  # own abandonment leaves the state space
    served = expm(g * WITHIN)[: jmax + 1, size - 1]
    return float(np.dot(pi[n : n + jmax + 1], served))


@pytest.mark.parametrize(("n", "patience"), [(14, 5.0), (9, 1.0), (12, 0.3)])
def test_erlang_a_against_independent_ctmc(n: int, patience: float) -> None:
    r = erlang_a(LAM, AHT, patience, n, WITHIN)
    pi = _generator_stationary(n, patience, n + 120)
    assert r.p_wait == pytest.approx(pi[n:].sum(), abs=1e-9)
    expected_sl = pi[:n].sum() + _sl_wait_part(n, patience)
    assert r.service_level == pytest.approx(expected_sl, abs=1e-8)
    # ASA: the mean wait of the answered alone — E[wait; answered] / P(answered) for a
    # tagged arrival finding j waiting (the Monte Carlo test below checks its parts)
    c, theta = n / AHT, 1 / patience
    ahead = pi[n:]
    m = np.arange(1, ahead.size + 1)
    p_ans = c / (c + m * theta)
    wait_ans = p_ans * np.cumsum(1 / (c + m * theta))
    answered = pi[:n].sum() + np.dot(ahead, p_ans)
    assert r.p_abandon == pytest.approx(1 - answered, abs=1e-9)
    assert r.asa == pytest.approx(np.dot(ahead, wait_ans) / answered, rel=1e-7)


def test_erlang_a_mean_and_asa_by_monte_carlo() -> None:
    """The closed forms that `test_erlang_a_against_independent_ctmc` holds `erlang_a`
    to — a tagged arrival's chance of an answer, mean wait and answered-in-time share
    given j waiting ahead — checked by direct sampling: each sample mean within 4 of its
    standard errors (estimated from the sample) of the closed form. A fixed seed, and a
    two-sided 4-sigma band misses a right formula with probability 6e-5, while a wrong
    one (ASA not divided by P(answered), a rate off by one θ) is off by 20 standard
    errors or more."""
    rng = np.random.default_rng(1)
    n, patience, j = 14, 5.0, 3
    c, theta = n / AHT, 1 / patience
    samples = 200_000
    t = sum(rng.exponential(1 / (c + i * theta), samples) for i in range(j + 1))
    pat = rng.exponential(patience, samples)
    answered = t <= pat
    # Closed forms used in erlang_a.
    m = j + 1
    p_ans = c / (c + m * theta)
    wait_ans = p_ans * sum(1 / (c + i * theta) for i in range(1, m + 1))
    in_time = p_ans * _hypo_cdf(c, theta, m, WITHIN)
    for sample, expected in [
        (answered, p_ans),
        (np.minimum(t, pat), m / (c + m * theta)),
        (t * answered, wait_ans),
        (answered & (t <= WITHIN), in_time),
    ]:
        assert float(np.mean(sample)) == pytest.approx(expected, abs=4 * _se_of(sample))
    # the band is narrow enough to tell the closed forms from their likely slips
    assert abs(float(np.mean(t * answered)) - wait_ans / p_ans) > 20 * _se_of(t * answered)
    assert abs(float(np.mean(answered)) - c / (c + j * theta)) > 20 * _se_of(answered)


def _se_of(sample: np.ndarray) -> float:
    """Standard error of a sample mean."""
    return float(np.std(sample, ddof=1)) / math.sqrt(sample.size)


def _hypo_cdf(c: float, theta: float, m: int, t: float) -> float:
    """CDF of sum_{i=1..m} Exp(c + i theta) by the textbook partial-fraction formula."""
    rates = [c + i * theta for i in range(1, m + 1)]
    total = 0.0
    for i, ri in enumerate(rates):
        coef = math.prod(rk / (rk - ri) for k, rk in enumerate(rates) if k != i)
        total += coef * (1 - math.exp(-ri * t))
    return total


def test_erlang_a_zero_threshold_and_no_traffic() -> None:
    r = erlang_a(LAM, AHT, 5.0, 14, 0.0)
    assert r.service_level == pytest.approx(1 - r.p_wait)
    r0 = erlang_a(0.0, AHT, 5.0, 3, WITHIN)
    assert (r0.p_wait, r0.p_abandon, r0.service_level) == (0.0, 0.0, 1.0)
    with pytest.raises(ValueError):
        erlang_a(LAM, AHT, math.inf, 14)


# --- staffing searches --------------------------------------------------------------------------


def test_required_agents_erlang_a() -> None:
    n80 = required_agents_erlang_a(LAM, AHT, 5.0, WITHIN, 0.80)
    # Minimality: n80 meets the target, n80 - 1 does not.
    assert erlang_a(LAM, AHT, 5.0, n80, WITHIN).service_level >= 0.80
    assert erlang_a(LAM, AHT, 5.0, n80 - 1, WITHIN).service_level < 0.80
    # Abandonment keeps the queue shorter, so Erlang A never needs more agents than Erlang C.
    assert n80 <= required_agents_erlang_c(LAM, AHT, WITHIN, 0.80)
    n_ab = required_agents_erlang_a(LAM, AHT, 5.0, WITHIN, 0.80, max_abandon=0.005)
    assert erlang_a(LAM, AHT, 5.0, n_ab, WITHIN).p_abandon <= 0.005
    assert erlang_a(LAM, AHT, 5.0, n_ab - 1, WITHIN).p_abandon > 0.005
    assert n_ab >= n80


def test_required_agents_large_and_unreachable() -> None:
    n = required_agents_erlang_c(4900 / AHT, AHT, WITHIN, 0.8)
    assert n > 4900
    assert erlang_c_service_level(4900 / AHT, AHT, n, WITHIN) >= 0.8
    assert erlang_c_service_level(4900 / AHT, AHT, n - 1, WITHIN) < 0.8
    with pytest.raises(ValueError):
        required_agents_erlang_c(LAM, AHT, WITHIN, 0.8, max_agents=10)
    with pytest.raises(ValueError):
        required_agents_erlang_a(LAM, AHT, 5.0, WITHIN, 0.99, max_agents=10)


def test_erlang_a_with_a_rate_too_small_to_represent_is_no_traffic() -> None:
    # the ratio of rates underflowed to 0 and its log was a "math domain error"
    r = erlang_a(5e-324, 3.0, 5.0, 1, 20 / 60)
    assert r.service_level == 1.0
    assert r.p_abandon == pytest.approx(0.0, abs=1e-300) and r.p_wait < 1e-300


def test_a_perfect_target_is_out_of_reach_not_met_by_rounding():
    # at 44 agents the Erlang C service level rounded to exactly 1.0 (P(wait) 2e-15), and
    # "44 agents" were required for 100 %; no number of agents gives it
    with pytest.raises(ValueError, match="100% is out of reach"):
        required_agents_erlang_c(100 / 30, 5.0, 0.0, 1.0)
    with pytest.raises(ValueError, match="100% is out of reach"):
        required_agents_erlang_a(100 / 30, 5.0, 1.0, 20 / 60, 1.0)
    with pytest.raises(ValueError, match="0% is out of reach"):
        required_agents_erlang_a(100 / 30, 5.0, 1.0, 20 / 60, 0.0, max_abandon=0.0)
    assert required_agents_erlang_c(0.0, 5.0, 0.0, 1.0) == 1  # nobody calls: met
