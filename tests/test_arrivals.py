"""Arrivals (docs/model.md, "Arrivals"): volumes, profiles, opening hours, FAQ, CRN.

Statistical checks use fixed seeds and tolerances of 4 standard errors of the
quantity checked, derived from the Poisson (or gamma-Poisson) model.
"""

import json
import math

import numpy as np
import pytest
from scipy import stats

import ccsim
from ccsim.model import arrivals
from ccsim.model.streams import Streams
from ccsim.scenario import profiles, timegrid

DAY = 1440.0
WEEK = 7 * DAY
MON_FRI_8_18 = {"mon-fri": "08:00-18:00"}


def make(
    phone: dict | None = None,
    email: dict | None = None,
    *,
    phone_channel: dict | None = None,
    email_channel: dict | None = None,
    mix: dict | None = None,
    faq: float = 0.0,
    start_day: str = "mon",
    interval: str = "1h",
) -> ccsim.Scenario:
    """A two-channel scenario (voice `phone`, message `email`) built as YAML (JSON) text."""
    mix = mix or {
        "question": {"phone": 0.6, "email": 0.5},
        "delivery": {"phone": 0.3, "email": 0.5},
        "complaint": {"phone": 0.1},
    }
    text = json.dumps(
        {
            "name": "arrivals test",
            "simulation": {"horizon": "7d", "interval": interval, "start_day": start_day},
            "channels": {
                "phone": {"kind": "voice", **(phone_channel or {})},
                "email": {"kind": "message", **(email_channel or {})},
            },
            "arrivals": {
                "phone": {"weekly": 7000, **(phone or {})},
                "email": {"weekly": 700, **(email or {})},
            },
            "reasons": {
                name: {"mix": shares, "resolve": {"mean": "3min", "cv": 0.5}}
                for name, shares in mix.items()
            },
            "faq_deflection": faq,
            "groups": {"agents": {"skills": {"phone": 1, "email": 2}}},
        }
    )
    return ccsim.loads(text)


def within_poisson(count: int, expected: float, sigmas: float = 4.0) -> bool:
    return abs(count - expected) < sigmas * math.sqrt(expected)


def chi_square_p(counts: np.ndarray, probs: np.ndarray) -> float:
    probs = np.asarray(probs, float)
    return stats.chisquare(counts, counts.sum() * probs / probs.sum()).pvalue


# --- volume ----------------------------------------------------------------------------


def test_expected_counts_sum_to_weekly_volume():
    s = make({"intraday": "business_hours", "daily": [0.3, 0.2, 0.2, 0.1, 0.1, 0.05, 0.05]})
    counts = arrivals.expected_counts(s, "phone", 0.0, 3 * WEEK)
    assert counts.shape == (3 * 7 * 24,)
    assert counts.sum() == pytest.approx(3 * 7000)
    # the warm-up day before a Monday start is a Sunday
    sunday = arrivals.expected_counts(s, "phone", -DAY, 0.0)
    assert sunday.sum() == pytest.approx(0.05 * 7000)
    np.testing.assert_allclose(sunday, counts[6 * 24 : 7 * 24])


def test_total_count_matches_weekly_volume():
    weeks = 26
    s = make({"weekly": 7000})
    arr = arrivals.generate(s, Streams(1), 0.0, weeks * WEEK)["phone"]
    # Poisson total with mean 7000·weeks: the weekly mean is within 4·√λ/weeks of 7000
    assert abs(arr.times.size / weeks - 7000) < 4 * math.sqrt(7000 * weeks) / weeks
    assert np.all((arr.times >= 0) & (arr.times < weeks * WEEK))
    assert np.all(np.diff(arr.times) >= 0)
    assert arr.closed == 0 and arr.closed_times.size == 0
    assert arr.reasons.shape == arr.times.shape


def test_warmup_window_generates_negative_times():
    s = make({"weekly": 7000})
    arr = arrivals.generate(s, Streams(2), -2 * DAY, 5 * DAY)["phone"]
    assert arr.times.min() < 0 <= arr.times.max() < 5 * DAY
    assert within_poisson(arr.times.size, 7000)


# --- profiles ----------------------------------------------------------------------------


def test_intraday_shape_follows_builtin_curve():
    weeks = 8
    s = make({"weekly": 20_000, "intraday": "business_hours"})
    times = arrivals.generate(s, Streams(3), 0.0, weeks * WEEK)["phone"].times
    hour = (np.mod(times, DAY) // 60).astype(int)
    counts = np.bincount(hour, minlength=24)
    assert chi_square_p(counts, profiles.builtin_profile("business_hours", 60)) > 0.001
    # and the busiest hour really is busier: a flat profile would be rejected
    assert chi_square_p(counts, np.ones(24)) < 1e-6


def test_times_are_uniform_within_each_interval():
    s = make({"weekly": 20_000, "intraday": "business_hours"})
    times = arrivals.generate(s, Streams(4), 0.0, 4 * WEEK)["phone"].times
    offset = np.mod(times, 60.0) / 60.0  # position inside the 1-hour interval
    assert stats.kstest(offset, "uniform").pvalue > 0.001


def test_half_hour_interval_splits_hourly_curve():
    weeks = 8
    s = make({"weekly": 20_000, "intraday": "business_hours"}, interval="30min")
    times = arrivals.generate(s, Streams(5), 0.0, weeks * WEEK)["phone"].times
    counts = np.bincount((np.mod(times, DAY) // 30).astype(int), minlength=48)
    hourly = np.asarray(profiles.BUILTIN_CURVES["business_hours"])
    assert chi_square_p(counts, np.repeat(hourly, 2)) > 0.001


SHARES = [0.30, 0.25, 0.20, 0.10, 0.10, 0.05, 0.0]  # mon..sun, nothing on Sunday


@pytest.mark.parametrize(("start_day", "start_index"), [("mon", 0), ("wed", 2), ("sun", 6)])
def test_daily_shares_follow_the_calendar(start_day, start_index):
    weeks = 10
    s = make({"weekly": 7000, "daily": SHARES}, start_day=start_day)
    times = arrivals.generate(s, Streams(6), 0.0, weeks * WEEK)["phone"].times
    # simulation day d is calendar day (start_index + d) % 7
    sim_day = (times // DAY).astype(int) % 7
    counts = np.bincount(sim_day, minlength=7)
    expected_shares = np.roll(SHARES, -start_index)
    assert counts[expected_shares == 0].sum() == 0  # Sunday is empty, wherever it falls
    nonzero = expected_shares > 0
    assert chi_square_p(counts[nonzero], expected_shares[nonzero]) > 0.001
    # minute_of_week agrees: calendar day from minute of week
    calendar_day = (timegrid.minute_of_week(s, times) // DAY).astype(int)
    np.testing.assert_array_equal(calendar_day, (start_index + times // DAY).astype(int) % 7)
    for day, share in enumerate(SHARES):
        if share > 0:
            assert within_poisson(int(np.sum(calendar_day == day)), weeks * 7000 * share)


def test_minute_of_week():
    s = make(start_day="wed")
    assert timegrid.minute_of_week(s, 0.0) == 2 * DAY
    assert timegrid.minute_of_week(s, 5 * DAY + 60) == DAY * 0 + 60  # Monday 01:00
    assert timegrid.minute_of_week(s, -DAY) == DAY  # warm-up: Tuesday


# --- opening hours --------------------------------------------------------------------------


def test_is_open_at_the_boundaries():
    s = make(phone_channel={"open": MON_FRI_8_18})
    phone = s.channels["phone"]
    mon, sat = 0.0, 5 * DAY
    t = np.array(
        [mon + 479.9, mon + 480, mon + 1079.9, mon + 1080, 4 * DAY + 600, sat + 600, WEEK + 600]
    )
    np.testing.assert_array_equal(
        timegrid.is_open(s, phone, t), [False, True, True, False, True, False, True]
    )
    assert np.all(timegrid.is_open(s, s.channels["email"], t))  # no hours = always open
    wed = make(phone_channel={"open": MON_FRI_8_18}, start_day="wed")
    # t = 0 is Wednesday; t = 3 days + 10 h is Saturday 10:00
    np.testing.assert_array_equal(
        timegrid.is_open(wed, wed.channels["phone"], np.array([600.0, 3 * DAY + 600])),
        [True, False],
    )


@pytest.mark.parametrize("kind", ["voice", "chat"])
def test_live_arrivals_outside_opening_hours_are_not_offered(kind):
    weeks = 4
    s = make({"weekly": 7000}, phone_channel={"kind": kind, "open": MON_FRI_8_18})
    assert s.channels["phone"].kind == kind
    arr = arrivals.generate(s, Streams(7), 0.0, weeks * WEEK)["phone"]
    phone = s.channels["phone"]
    assert arr.times.size > 0
    assert np.all(timegrid.is_open(s, phone, arr.times))
    assert arr.closed == arr.closed_times.size
    assert not np.any(timegrid.is_open(s, phone, arr.closed_times))
    # flat profile: 50 open hours of 168 a week
    expected = weeks * 7000.0
    assert within_poisson(arr.times.size, expected * 50 / 168)
    assert within_poisson(arr.closed, expected * 118 / 168)
    assert within_poisson(arr.times.size + arr.closed, expected)


def test_kept_and_closed_together_are_the_always_open_arrivals():
    # same streams with and without opening hours: the hours only split the arrivals
    hours = make({"weekly": 7000}, phone_channel={"open": MON_FRI_8_18})
    always = make({"weekly": 7000})
    split = arrivals.generate(hours, Streams(8), -DAY, 2 * WEEK)["phone"]
    full = arrivals.generate(always, Streams(8), -DAY, 2 * WEEK)["phone"]
    np.testing.assert_array_equal(
        np.sort(np.concatenate([split.times, split.closed_times])), full.times
    )
    open_now = timegrid.is_open(hours, hours.channels["phone"], full.times)
    np.testing.assert_array_equal(split.times, full.times[open_now])
    np.testing.assert_array_equal(split.reasons, full.reasons[open_now])
    assert split.closed == int((~open_now).sum())


def test_message_channel_keeps_arrivals_outside_hours():
    hours = make(email_channel={"open": MON_FRI_8_18})
    always = make()
    kept = arrivals.generate(hours, Streams(9), 0.0, 4 * WEEK)["email"]
    full = arrivals.generate(always, Streams(9), 0.0, 4 * WEEK)["email"]
    assert kept.closed == 0 and kept.closed_times.size == 0
    np.testing.assert_array_equal(kept.times, full.times)
    assert not np.all(timegrid.is_open(hours, hours.channels["email"], kept.times))


def test_open_changes_mon_fri():
    s = make(phone_channel={"open": MON_FRI_8_18})
    changes = timegrid.open_changes(s, s.channels["phone"], 0.0, WEEK)
    expected = []
    for day in range(5):
        expected += [(day * DAY + 480, True), (day * DAY + 1080, False)]
    assert changes == expected
    assert len(changes) == 10
    assert timegrid.open_changes(s, s.channels["email"], 0.0, WEEK) == []


def test_open_changes_with_warmup_and_start_day():
    s = make(phone_channel={"open": MON_FRI_8_18}, start_day="wed")
    phone = s.channels["phone"]
    changes = timegrid.open_changes(s, phone, -3 * DAY, 2 * WEEK)
    expected = []
    for day in range(-3, 14):
        if (2 + day) % 7 < 5:  # calendar mon-fri
            expected += [(day * DAY + 480, True), (day * DAY + 1080, False)]
    assert changes == expected
    # each change really switches is_open
    t = np.array([c[0] for c in changes])
    np.testing.assert_array_equal(timegrid.is_open(s, phone, t), [c[1] for c in changes])
    np.testing.assert_array_equal(timegrid.is_open(s, phone, t - 1e-6), [not c[1] for c in changes])


def test_open_changes_across_the_week_boundary_and_round_the_clock():
    s = make(phone_channel={"open": {"sun": "22:00-02:00"}})  # Sunday night into Monday
    changes = timegrid.open_changes(s, s.channels["phone"], 0.0, 2 * WEEK)
    assert changes == [
        (120.0, False),
        (WEEK - 120, True),
        (WEEK + 120, False),
        (2 * WEEK - 120, True),
    ]
    always = make(phone_channel={"open": {"mon-sun": "00:00-24:00"}})
    assert timegrid.open_changes(always, always.channels["phone"], -DAY, 2 * WEEK) == []


# --- reasons and FAQ deflection --------------------------------------------------------------


def reason_index(s: ccsim.Scenario, name: str) -> int:
    return list(s.reasons).index(name)


def test_reason_frequencies_match_the_channel_mix():
    s = make({"weekly": 20_000}, {"weekly": 5000})
    out = arrivals.generate(s, Streams(10), 0.0, 2 * WEEK)
    names = list(s.reasons)
    for channel in ("phone", "email"):
        reasons = out[channel].reasons
        mix = np.array([s.reasons[r].mix.get(channel, 0.0) for r in names])
        counts = np.bincount(reasons, minlength=len(names))
        assert counts.size == len(names)
        assert counts[mix == 0].sum() == 0  # email has no complaints
        assert chi_square_p(counts[mix > 0], mix[mix > 0]) > 0.001
        n = reasons.size
        for count, p in zip(counts, mix, strict=True):
            assert abs(count / n - p) <= 4 * math.sqrt(p * (1 - p) / n)


def test_faq_deflection_removes_a_share_of_questions():
    weeks = 4
    s = make(
        {"weekly": 20_000},
        mix={"question": {"phone": 0.6, "email": 1.0}, "other": {"phone": 0.4}},
        faq=0.25,
    )
    reasons = arrivals.generate(s, Streams(11), 0.0, weeks * WEEK)["phone"].reasons
    kept_share = 1 - 0.6 * 0.25  # 0.85
    # thinning a Poisson process leaves a Poisson process
    assert within_poisson(reasons.size, weeks * 20_000 * kept_share)
    p = 0.6 * 0.75 / kept_share
    share = np.mean(reasons == reason_index(s, "question"))
    assert abs(share - p) < 4 * math.sqrt(p * (1 - p) / reasons.size)


def test_faq_deflection_only_removes_questions():
    mix = {"question": {"phone": 0.6, "email": 1.0}, "other": {"phone": 0.4}}
    with_faq = make({"weekly": 7000}, mix=mix, faq=0.25)
    without = make({"weekly": 7000}, mix=mix)
    a = arrivals.generate(with_faq, Streams(12), 0.0, WEEK)["phone"]
    b = arrivals.generate(without, Streams(12), 0.0, WEEK)["phone"]
    # same arrival and reason streams: the deflected run is a subset of the other
    assert np.all(np.isin(a.times, b.times))
    q = reason_index(without, "question")
    np.testing.assert_array_equal(a.times[a.reasons != q], b.times[b.reasons != q])
    assert a.times.size < b.times.size


# --- over-dispersion -------------------------------------------------------------------------


def daily_totals(cv: float, days: int, seed: int, per_day: float) -> np.ndarray:
    s = make({"weekly": 7 * per_day, "overdispersion": cv})
    times = arrivals.generate(s, Streams(seed), 0.0, days * DAY)["phone"].times
    return np.bincount((times // DAY).astype(int), minlength=days)


@pytest.mark.parametrize("cv", [0.0, 0.1, 0.3])
def test_daily_variance_includes_volume_multiplier(cv):
    days, lam = 2800, 500.0
    totals = daily_totals(cv, days, seed=13, per_day=lam)
    assert totals.size == days
    variance = lam + (cv * lam) ** 2
    # a gamma-mixed Poisson count is negative binomial (a Poisson when cv = 0)
    if cv > 0:
        r = 1 / cv**2
        twin = stats.nbinom(r, r / (r + lam))
    else:
        twin = stats.poisson(lam)
    assert float(twin.var()) == pytest.approx(variance)
    kurtosis = float(twin.stats(moments="k"))
    assert abs(totals.mean() - lam) < 4 * math.sqrt(variance / days)
    # sample variance: Var(s²) ≈ σ⁴·(2/(n−1) + excess kurtosis/n)
    rel_se = math.sqrt(2 / (days - 1) + kurtosis / days)
    assert totals.var(ddof=1) == pytest.approx(variance, rel=4 * rel_se)


def test_volume_multiplier_is_shared_by_the_day():
    # within a day, hours move together: morning and afternoon totals are correlated
    days, lam, cv = 2000, 480.0, 0.3
    s = make({"weekly": 7 * lam, "overdispersion": cv})
    times = arrivals.generate(s, Streams(14), 0.0, days * DAY)["phone"].times
    day = (times // DAY).astype(int)
    morning = np.bincount(day[np.mod(times, DAY) < 720], minlength=days)
    afternoon = np.bincount(day[np.mod(times, DAY) >= 720], minlength=days)
    # each half: mean lam/2, covariance (cv·lam/2)², variance lam/2 + (cv·lam/2)²
    half = lam / 2
    rho = (cv * half) ** 2 / (half + (cv * half) ** 2)
    r = np.corrcoef(morning, afternoon)[0, 1]
    assert abs(r - rho) < 4 * (1 - rho**2) / math.sqrt(days - 3)


# --- reproducibility and common random numbers ------------------------------------------------


def test_same_seed_same_arrivals_different_seed_different():
    s = make(phone_channel={"open": MON_FRI_8_18}, faq=0.1, phone={"overdispersion": 0.2})
    a = arrivals.generate(s, Streams(123), -DAY, WEEK)
    b = arrivals.generate(s, Streams(123), -DAY, WEEK)
    c = arrivals.generate(s, Streams(124), -DAY, WEEK)
    for ch in s.channels:
        np.testing.assert_array_equal(a[ch].times, b[ch].times)
        np.testing.assert_array_equal(a[ch].reasons, b[ch].reasons)
        np.testing.assert_array_equal(a[ch].closed_times, b[ch].closed_times)
        assert a[ch].closed == b[ch].closed
        assert a[ch].times.size != c[ch].times.size or not np.array_equal(a[ch].times, c[ch].times)


def test_changing_one_channel_leaves_the_others_arrivals_alone():
    base = make({"weekly": 7000}, {"weekly": 700, "overdispersion": 0.2})
    variants = [
        make({"weekly": 9000}, {"weekly": 700, "overdispersion": 0.2}),
        make(
            {"weekly": 7000, "intraday": "evening_peak", "overdispersion": 0.3},
            {"weekly": 700, "overdispersion": 0.2},
        ),
        make(
            {"weekly": 7000},
            {"weekly": 700, "overdispersion": 0.2},
            phone_channel={"open": MON_FRI_8_18},
        ),
    ]
    ref = arrivals.generate(base, Streams(55), 0.0, 2 * WEEK)
    for variant in variants:
        other = arrivals.generate(variant, Streams(55), 0.0, 2 * WEEK)
        np.testing.assert_array_equal(other["email"].times, ref["email"].times)
        np.testing.assert_array_equal(other["email"].reasons, ref["email"].reasons)
        assert not np.array_equal(other["phone"].times, ref["phone"].times)
