"""Arrivals fitted from a period of a log: weekly volume, day-of-week shares, intraday
profile per day type, opening hours and day-to-day over-dispersion (docs/history.md).

Weekdays whose intraday profiles differ by less than SAME_SHAPE (total variation) share a
profile. A day type is open from its first to its last interval in which contacts
arrive on at least OPEN_SHARE of its dates, at a rate of at least OPEN_LEVEL of its
busiest interval's.

The model behind it is the simulation's: the count of day d is Poisson with mean
μ_dow(d) × G_d, G_d gamma with mean 1 and CV `overdispersion`, so
Var(count) = μ + cv²·μ². The over-dispersion is estimated from the days' counts within
each weekday (method of moments, with the within-weekday degrees of freedom), its 95 %
interval from Q(α) = Σ (n_k − 1)·s²_k / (μ_k + α·μ_k²), which is χ²-distributed with
Σ (n_k − 1) degrees of freedom under that model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import optimize, stats

from ccsim.history.estimates import Estimate, Z, wilson
from ccsim.scenario import units

SAME_SHAPE = 0.12  # total-variation distance under which two weekdays share a profile
OPEN_SHARE = 0.25  # an interval is open if contacts arrive in it on this share of dates
OPEN_LEVEL = 0.02  # ... and at least this share of the day type's busiest interval


@dataclass
class VolumeFit:
    """A channel's arrivals, fitted."""

    channel: str
    weekly: float
    daily: list[float]  # mon..sun shares
    intraday: list[float] | dict[str, list[float]]  # per interval, or per day range
    open: dict[str, str] | None  # day range -> hours ("closed"), None = always open
    overdispersion: float
    estimates: list[Estimate] = field(default_factory=list)
    per_day: pd.Series = field(default_factory=pd.Series)  # contacts per date
    profile: pd.DataFrame = field(default_factory=pd.DataFrame)  # weekday × interval means
    outside_hours: float = 0.0  # share of the contacts outside the fitted hours


def fit(arrivals: pd.Series, dates: pd.DatetimeIndex, interval: float, channel: str) -> VolumeFit:
    """Fit the arrivals (times) of one channel over `dates` (every date of the period)."""
    per_day = arrivals.dt.normalize().value_counts().reindex(dates, fill_value=0).sort_index()
    dow = per_day.index.day_of_week.to_numpy()
    x = per_day.to_numpy(float)
    n_k = np.bincount(dow, minlength=7).astype(float)
    sums = np.bincount(dow, weights=x, minlength=7)
    mean_k = np.divide(sums, n_k, out=np.zeros(7), where=n_k > 0)
    alpha, alpha_low, alpha_high, df = _overdispersion(x, dow, mean_k)
    prefix = f"arrivals.{channel}"
    total, days = float(x.sum()), len(x)
    # a week: the sum of each weekday's mean (total × 7 / days over whole weeks only — a
    # period of 10 days counted three weekdays twice)
    weekly = float(mean_k.sum())
    # the variances use α, estimated with `df` degrees of freedom: t quantiles
    q = float(stats.t.ppf(0.975, df)) if df > 0 else Z
    var_mean = np.divide(mean_k + alpha * mean_k**2, n_k, out=np.zeros(7), where=n_k > 0)
    half = q * math.sqrt(float(var_mean.sum()))
    estimates = [
        Estimate(
            f"{prefix}.weekly",
            weekly,
            max(weekly - half, 0),
            weekly + half,
            int(total),
            f"{days} days, Poisson–gamma variance",
        ),
        Estimate(
            f"{prefix}.overdispersion",
            math.sqrt(alpha),
            math.sqrt(alpha_low),
            math.sqrt(alpha_high),
            days,
            f"within-weekday moments, {df} df",
        ),
    ]
    shares = mean_k / mean_k.sum() if mean_k.sum() > 0 else np.full(7, 1 / 7)
    for k in range(7):  # delta method: share_k = m_k / Σ m_j
        grad = -shares[k] / mean_k.sum() * np.ones(7)
        grad[k] += 1 / mean_k.sum() if mean_k.sum() > 0 else 0
        se = math.sqrt(float(np.sum(grad**2 * var_mean)))
        estimates.append(
            Estimate(
                f"{prefix}.daily[{k}]",
                float(shares[k]),
                max(shares[k] - q * se, 0),
                min(shares[k] + q * se, 1),
                int(n_k[k]),
                f"{units.DAY_NAMES[k]}: mean of days",
            )
        )
    profile, intraday, hours, outside = _intraday(arrivals, per_day, interval, estimates, prefix)
    return VolumeFit(
        channel,
        weekly,
        [float(v) for v in shares],
        intraday,
        hours,
        math.sqrt(alpha),
        estimates,
        per_day,
        profile,
        outside,
    )


def _overdispersion(x: np.ndarray, dow: np.ndarray, mean_k: np.ndarray) -> tuple[float, ...]:
    """(α, low, high, degrees of freedom): α = cv² of the daily multiplier."""
    groups = [x[dow == k] for k in range(7) if (dow == k).sum() >= 2 and mean_k[k] > 0]
    df = int(sum(g.size - 1 for g in groups))
    if df == 0:
        return 0.0, 0.0, math.inf, 0
    s2 = np.array([g.var(ddof=1) for g in groups])
    m = np.array([g.mean() for g in groups])
    w = np.array([g.size - 1 for g in groups], float)

    def q(alpha: float) -> float:
        return float(np.sum(w * s2 / (m + alpha * m**2)))

    def solve(level: float) -> float:
        """α where Q(α) equals `level` (Q falls with α); 0 if Q(0) is already below."""
        if q(0.0) <= level:
            return 0.0
        hi = 1.0
        while q(hi) > level and hi < 1e6:
            hi *= 4
        return float(optimize.brentq(lambda a: q(a) - level, 0.0, hi)) if q(hi) <= level else hi

    point = solve(df)
    low = solve(float(stats.chi2.ppf(0.975, df)))
    high = solve(float(stats.chi2.ppf(0.025, df)))
    return point, low, high, df


def _intraday(
    arrivals: pd.Series, per_day: pd.Series, interval: float, estimates: list[Estimate], prefix: str
) -> tuple[pd.DataFrame, list[float] | dict[str, list[float]], dict[str, str] | None, float]:
    """Profile per weekday, grouped into day types; opening hours per day type."""
    slots = round(units.MINUTES_PER_DAY / interval)
    minute = arrivals.dt.hour * 60 + arrivals.dt.minute + arrivals.dt.second / 60
    slot = np.minimum((minute.to_numpy() // interval).astype(int), slots - 1)
    dow = arrivals.dt.day_of_week.to_numpy()
    counts = np.zeros((7, slots))
    np.add.at(counts, (dow, slot), 1.0)
    days_of = np.bincount(per_day.index.day_of_week, minlength=7).astype(float)
    # how many dates of each weekday saw contacts in each interval (for opening hours)
    date_slot = pd.DataFrame({"d": arrivals.dt.normalize(), "dow": dow, "slot": slot})
    seen = np.zeros((7, slots))
    for (k, s_), n in date_slot.drop_duplicates().groupby(["dow", "slot"]).size().items():
        seen[k, s_] = n
    profile = pd.DataFrame(
        np.divide(counts, days_of[:, None], out=np.zeros_like(counts), where=days_of[:, None] > 0),
        index=units.DAY_NAMES,
        columns=[units.format_clock(i * interval) for i in range(slots)],
    )
    types = _day_types(counts)
    intraday: dict[str, list[float]] = {}
    hours: dict[str, str] = {}
    open_mask = np.zeros((7, slots), bool)
    for days in types:
        pooled = counts[days].sum(axis=0)
        n = float(pooled.sum())
        key = units.format_days(frozenset(days))
        weights = pooled / n if n > 0 else np.full(slots, 1 / slots)
        intraday[key] = [round(float(v), 6) for v in weights]
        for i, w in enumerate(weights):
            if n > 0:
                lo, hi = wilson(pooled[i], n)
                estimates.append(
                    Estimate(
                        f"{prefix}.intraday[{key}][{i}]",
                        float(w),
                        lo,
                        hi,
                        int(n),
                        f"{units.format_clock(i * interval)}: share of the day type",
                    )
                )
        share = seen[days].sum(axis=0) / max(days_of[days].sum(), 1)
        level = pooled / max(days_of[days].sum(), 1)
        busy = np.flatnonzero((share >= OPEN_SHARE) & (level >= OPEN_LEVEL * level.max()))
        if n == 0 or busy.size == 0:
            hours[key] = "closed"
            continue
        first, last = int(busy[0]), int(busy[-1]) + 1
        open_mask[days, first:last] = True
        hours[key] = f"{units.format_clock(first * interval)}-{units.format_clock(last * interval)}"
    total = counts.sum()
    outside = float(counts[~open_mask].sum() / total) if total > 0 else 0.0
    always = all(h == "00:00-24:00" for h in hours.values())
    return (
        profile,
        next(iter(intraday.values())) if len(intraday) == 1 else intraday,
        None if always else hours,
        0.0 if always else outside,
    )


def _day_types(counts: np.ndarray) -> list[list[int]]:
    """Weekdays grouped by the shape of their intraday profile (greedy, mon first)."""
    types: list[list[int]] = []
    for k in range(7):
        if counts[k].sum() == 0:
            closed = next((t for t in types if counts[t].sum() == 0), None)
            if closed is None:
                types.append([k])
            else:
                closed.append(k)
            continue
        shape = counts[k] / counts[k].sum()
        for t in types:
            pooled = counts[t].sum(axis=0)
            if pooled.sum() > 0 and 0.5 * np.abs(shape - pooled / pooled.sum()).sum() < SAME_SHAPE:
                t.append(k)
                break
        else:
            types.append([k])
    return types
