"""The anger curve (docs/model.md, "Contacts, anger and handle time"): closed forms,
shapes, NPS."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import ccsim
from ccsim.model import anger, expected
from conftest import MINIMAL

# The defaults of the scenario's `anger:` block.
CALM, RISE, GAIN, DECAY = 0.30, 1.5, 0.5, 0.8


def closed_form_venting(a_w, calm_below, rise_rate, peak_gain, empathy_decay, empathy):
    """The anger curve's step 3 (docs/model.md), written out independently of ccsim.anger."""
    if a_w <= calm_below:
        return 0.0
    a_peak = min(1.0, a_w * (1.0 + peak_gain))
    return math.log(a_peak / a_w) / rise_rate + math.log(a_peak / calm_below) / (
        empathy_decay * empathy
    )


# --- waiting -------------------------------------------------------------------------


def test_no_wait_leaves_initial_anger():
    a0 = np.array([0.0, 0.1, 0.5, 0.99])
    np.testing.assert_allclose(anger.anger_after_wait(a0, 0.0, 3.0), a0, rtol=0, atol=1e-15)


def test_endless_wait_makes_everyone_furious():
    a0 = np.array([0.0, 0.3, 0.9])
    np.testing.assert_allclose(anger.anger_after_wait(a0, 1e6, 3.0), 1.0, rtol=0, atol=1e-12)


@pytest.mark.parametrize(
    ("a0", "wait", "tolerance", "expected"),
    [
        (0.2, 3.0, 3.0, 1 - 0.8 * math.exp(-1)),  # one time constant
        (0.0, 6.0, 3.0, 1 - math.exp(-2)),
        (0.5, 1440.0, 1440.0, 1 - 0.5 * math.exp(-1)),  # a day on e-mail
        (0.4, math.log(2) * 5, 5.0, 0.7),  # half the remaining headroom used up
    ],
)
def test_anger_after_wait_closed_form(a0, wait, tolerance, expected):
    assert anger.anger_after_wait(a0, wait, tolerance) == pytest.approx(expected, rel=1e-12)


def test_anger_after_wait_increases_with_wait_and_is_vectorised():
    waits = np.linspace(0.0, 30.0, 301)
    a_w = anger.anger_after_wait(0.25, waits, 3.0)
    assert a_w.shape == waits.shape
    assert np.all(np.diff(a_w) > 0)
    assert np.all((a_w >= 0.25) & (a_w < 1.0))
    # element-wise over a0, wait and tolerance together
    a0 = np.array([0.1, 0.2, 0.3])
    wait = np.array([1.0, 2.0, 3.0])
    tol = np.array([3.0, 5.0, 1440.0])
    expected = [1 - (1 - a) * math.exp(-w / t) for a, w, t in zip(a0, wait, tol, strict=True)]
    np.testing.assert_allclose(anger.anger_after_wait(a0, wait, tol), expected, rtol=1e-12)


# --- venting ---------------------------------------------------------------------------


@pytest.mark.parametrize("a_w", [0.31, 0.4, 0.6, 0.66, 0.67, 0.9, 1.0])
@pytest.mark.parametrize("empathy", [0.7, 1.0, 1.3])
def test_venting_time_closed_form(a_w, empathy):
    got = anger.venting_time(a_w, CALM, RISE, GAIN, DECAY, empathy)
    assert got == pytest.approx(
        closed_form_venting(a_w, CALM, RISE, GAIN, DECAY, empathy), rel=1e-12
    )


def test_venting_peak_is_capped_at_one():
    # a_w = 0.8 with gain 0.5 would peak at 1.2: the peak is 1, reached in ln(1/0.8)/rise.
    assert anger.peak_anger(0.8, GAIN) == 1.0
    assert anger.rise_time(0.8, CALM, RISE, GAIN) == pytest.approx(math.log(1 / 0.8) / RISE)
    assert anger.calming_time(0.8, CALM, GAIN, DECAY, 1.0) == pytest.approx(
        math.log(1 / CALM) / DECAY
    )


def test_calm_customers_do_not_vent():
    a_w = np.array([0.0, 0.1, 0.29, CALM])
    np.testing.assert_array_equal(anger.venting_time(a_w, CALM, RISE, GAIN, DECAY), 0.0)
    np.testing.assert_array_equal(anger.rise_time(a_w, CALM, RISE, GAIN), 0.0)
    np.testing.assert_array_equal(anger.calming_time(a_w, CALM, GAIN, DECAY, 1.0), 0.0)


def test_venting_time_is_vectorised_over_customers_and_empathy():
    a_w = np.array([0.1, 0.5, 0.9])
    empathy = np.array([1.0, 1.2, 0.8])
    got = anger.venting_time(a_w, CALM, RISE, GAIN, DECAY, empathy)
    expected = [
        closed_form_venting(a, CALM, RISE, GAIN, DECAY, e)
        for a, e in zip(a_w, empathy, strict=True)
    ]
    np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_more_empathy_shortens_venting():
    empathy = np.linspace(0.2, 3.0, 50)
    times = anger.venting_time(0.7, CALM, RISE, GAIN, DECAY, empathy)
    assert np.all(np.diff(times) < 0)


def test_venting_grows_with_anger_up_to_the_peak_cap():
    cap = 1 / (1 + GAIN)  # above this a_w the peak is capped at 1
    a_w = np.linspace(CALM + 1e-6, cap, 500)
    times = anger.venting_time(a_w, CALM, RISE, GAIN, DECAY)
    assert np.all(np.diff(times) > 0)
    # just above calm_below the customer still rises by the full gain and calms back down
    jump = math.log(1 + GAIN) / RISE + math.log(1 + GAIN) / DECAY
    assert times[0] == pytest.approx(jump, rel=1e-5)


def test_venting_above_the_peak_cap_follows_the_design_formula():
    # With a_peak = min(1, ·), calming from 1 takes a fixed time and the rise to 1 gets
    # shorter as a_w approaches 1: the design's formula (docs/model.md) makes venting *decrease* here.
    a_w = np.linspace(1 / (1 + GAIN), 1.0, 100)
    times = anger.venting_time(a_w, CALM, RISE, GAIN, DECAY)
    np.testing.assert_allclose(
        times, np.log(1 / a_w) / RISE + math.log(1 / CALM) / DECAY, rtol=1e-12
    )
    assert np.all(np.diff(times) < 0)


@settings(max_examples=300, deadline=None)
@given(
    a_w=st.floats(0.0, 1.0),
    calm_below=st.floats(0.01, 1.0),
    rise_rate=st.floats(0.01, 10.0),
    peak_gain=st.floats(0.0, 3.0),
    empathy_decay=st.floats(0.01, 5.0),
    empathy=st.floats(0.1, 3.0),
)
def test_venting_time_matches_its_closed_form_on_a_float(
    a_w, calm_below, rise_rate, peak_gain, empathy_decay, empathy
):
    got = anger.venting_time(a_w, calm_below, rise_rate, peak_gain, empathy_decay, empathy)
    expected = closed_form_venting(a_w, calm_below, rise_rate, peak_gain, empathy_decay, empathy)
    assert float(got) == pytest.approx(expected, rel=1e-12, abs=1e-12)


# --- trajectory ------------------------------------------------------------------------


@pytest.mark.parametrize(("a_w", "empathy"), [(0.5, 1.0), (0.8, 1.3), (0.35, 0.6)])
def test_trajectory_rises_to_peak_then_calms(a_w, empathy):
    peak = min(1.0, a_w * (1 + GAIN))
    t_rise = math.log(peak / a_w) / RISE
    t_calm = math.log(peak / CALM) / (DECAY * empathy)
    assert t_rise + t_calm == pytest.approx(
        float(anger.venting_time(a_w, CALM, RISE, GAIN, DECAY, empathy))
    )

    def at(t):
        return float(anger.trajectory(t, a_w, CALM, RISE, GAIN, DECAY, empathy))

    assert at(0.0) == pytest.approx(a_w)
    assert at(t_rise / 2) == pytest.approx(math.sqrt(a_w * peak))  # exponential rise
    assert at(t_rise) == pytest.approx(peak)
    assert at(t_rise + t_calm / 2) == pytest.approx(math.sqrt(peak * CALM))  # exponential decay
    assert at(t_rise + t_calm) == pytest.approx(CALM)
    assert at(t_rise + t_calm + 10.0) == pytest.approx(CALM)  # stays calm while solving

    t = np.sort(np.append(np.linspace(0.0, t_rise + t_calm, 400), t_rise))
    path = anger.trajectory(t, a_w, CALM, RISE, GAIN, DECAY, empathy)
    rising = t <= t_rise
    assert np.all(np.diff(path[rising]) >= 0)
    assert np.all(np.diff(path[~rising]) <= 0)
    assert path.max() == pytest.approx(peak, rel=1e-12)


def test_trajectory_of_calm_customer_is_flat():
    t = np.linspace(0.0, 20.0, 50)
    np.testing.assert_array_equal(anger.trajectory(t, 0.2, CALM, RISE, GAIN, DECAY), 0.2)


# --- patience, NPS -------------------------------------------------------------------


def test_patience_factor():
    a0 = np.array([0.0, 0.5, 1.0])
    np.testing.assert_allclose(anger.patience_factor(a0, 0.3), [1.0, 0.85, 0.7])
    np.testing.assert_allclose(anger.patience_factor(a0, 0.0), 1.0)


def test_nps_class_thresholds():
    a_w = np.array([0.0, 0.24, 0.25, 0.4, 0.6, 0.61, 1.0, 0.1, 0.4])
    abandoned = np.array([False] * 7 + [True, True])
    got = anger.nps_class(a_w, abandoned, promoter_below=0.25, detractor_above=0.6)
    P, N, D = anger.PROMOTER, anger.PASSIVE, anger.DETRACTOR
    np.testing.assert_array_equal(got, [P, P, N, N, N, D, D, D, D])
    assert (P, N, D) == (1, 0, -1)


def test_nps_class_scalar_abandoned_broadcasts():
    got = anger.nps_class(np.array([0.1, 0.4, 0.9]), False, 0.25, 0.6)
    np.testing.assert_array_equal(got, [1, 0, -1])
    np.testing.assert_array_equal(anger.nps_class(np.array([0.1, 0.4]), True, 0.25, 0.6), [-1, -1])


def test_nps_score():
    classes = np.array([1] * 6 + [0] * 2 + [-1] * 2)  # 60 % promoters, 20 % detractors
    assert anger.nps(classes) == pytest.approx(40.0)
    assert anger.nps([1, 1]) == pytest.approx(100.0)
    assert anger.nps([-1, 0, 0, 0]) == pytest.approx(-25.0)
    assert math.isnan(anger.nps(np.array([], dtype=np.int8)))


# --- initial anger prior ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mean", "concentration"), [(0.3, 5.0), (0.15, 10.0), (0.5, 5.0), (0.8, 2.0)]
)
def test_beta_parameters_give_mean_and_concentration(mean, concentration):
    alpha, beta = anger.beta_parameters(mean, concentration)
    assert alpha + beta == pytest.approx(concentration)
    n = 100_000
    draws = np.random.default_rng(20240601).beta(alpha, beta, n)
    variance = mean * (1 - mean) / (concentration + 1)  # variance of a Beta with this mean, α+β
    assert abs(draws.mean() - mean) < 4 * math.sqrt(variance / n)
    # sample variance: Var(s²) ≈ σ⁴·(2/(n−1) + excess kurtosis/n)
    kurtosis = float(stats.beta(alpha, beta).stats(moments="k"))
    rel_se = math.sqrt(2 / (n - 1) + kurtosis / n)
    assert draws.var(ddof=1) == pytest.approx(variance, rel=4 * rel_se)


def test_beta_parameters_vectorised():
    alpha, beta = anger.beta_parameters([0.2, 0.5], [10.0, 4.0])
    np.testing.assert_allclose(alpha, [2.0, 2.0])
    np.testing.assert_allclose(beta, [8.0, 2.0])


def test_the_analytic_empathy_of_groups_of_the_same_priority_weighs_their_agents():
    # the engine pools groups of the same priority; the requirement took the lowest
    # empathy of them (0.5), as if only that group answered
    text = MINIMAL.replace(
        "    skills: {phone: 1, email: 2}\n", "    skills: {phone: 1, email: 2}\n    empathy: 0.5\n"
    )
    text = text.replace(
        "    skills: {escalation: 1}\n", "    skills: {escalation: 1, phone: 1}\n    empathy: 1.0\n"
    )
    s = ccsim.loads(text)
    # weighted by their rostered agents (each agent takes about as many calls): 3 and 1
    assert expected.first_empathy(s, "phone") == pytest.approx((3 * 0.5 + 1 * 1.0) / 4)
    assert expected.first_empathy(s, "email") == pytest.approx(0.5)  # one group: its own
    unrostered = ccsim.with_changes(s, {"roster": []})  # a plan's input: equal weights
    assert expected.first_empathy(unrostered, "phone") == pytest.approx(0.75)


@pytest.mark.parametrize(
    ("calm_below", "peak_gain", "escalate_above", "threshold"),
    [
        (0.3, 0.5, 0.6, 0.4),  # venters above 0.4 peak above 0.6
        (0.3, 0.5, 0.4, 0.3),  # every venter peaks above 0.45 > 0.4: calm_below decides
        (0.3, 0.5, 0.2, 0.2),  # below calm_below: a_peak = a_w there
        (0.3, 0.5, 1.0, math.inf),  # a peak never exceeds 1
    ],
)
def test_the_escalation_threshold_on_a_w_is_the_rule_on_a_peak(
    calm_below, peak_gain, escalate_above, threshold
):
    curve = ccsim.scenario.model.AngerModel(
        calm_below=calm_below, peak_gain=peak_gain, escalate_above=escalate_above
    )
    assert anger.escalation_threshold(curve) == pytest.approx(threshold)
    a_w = np.linspace(0.0, 1.0, 2001)
    by_peak = anger.peak_after_wait(a_w, curve) > escalate_above
    np.testing.assert_array_equal(by_peak, a_w > anger.escalation_threshold(curve))
