"""Weekly volumes from a contact log, forecast for a capacity calendar.

`weekly` counts a log's offered contacts per calendar week (Monday to Sunday) — or
history/totals.py reads them from a planning system's export. `forecast`
extends a weekly series with a standard method — Holt–Winters exponential smoothing
(ETS: damped additive trend, multiplicative yearly seasonality — additive with a week of
no contacts; statsmodels), MSTL (seasonal-trend
decomposition with a yearly period, the remainder and trend forecast by ETS), or the
seasonal-naive baseline (the same week a year before) — and `evaluate` backtests them
on rolling origins: the mean absolute percentage error by horizon. `volume_block` turns
a forecast into the calendar's `volume:` factors relative to a base week, with known
events (a campaign, a new market) as extra factors (docs/capacity.md).
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ccsim.history.log import Log
from ccsim.scenario.calendar import MAX_FACTOR

SEASON = 52  # weeks
METHODS = ("ets", "mstl", "seasonal_naive")


def weekly(log: Log, channel: str | None = None) -> pd.Series:
    """Offered contacts per week (index: the Monday), full weeks only: the first week
    counts when the log's first contact falls on or before the first weekday that ever
    has contacts, the last when its last contact falls on or after the last such weekday
    (a center closed at weekends lost its last full week, ending on a Friday)."""
    table = log.contacts
    if channel is not None:
        table = table[table["channel"] == channel]
    day = pd.to_datetime(table["arrival"]).dt.normalize()
    monday = day - pd.to_timedelta(day.dt.day_of_week, unit="D")
    counts = monday.value_counts()
    if counts.empty:
        return pd.Series(dtype=float)
    first, last = day.min(), day.max()
    worked = day.dt.day_of_week.unique()
    first_monday = first - pd.Timedelta(days=first.weekday())
    last_monday = last - pd.Timedelta(days=last.weekday())
    week = pd.Timedelta(days=7)
    first_full = first_monday if first.weekday() <= worked.min() else first_monday + week
    last_full = last_monday if last.weekday() >= worked.max() else last_monday - week
    index = pd.date_range(first_full, last_full, freq="7D")
    return counts.reindex(index, fill_value=0).astype(float)


def _checked(history: pd.Series) -> pd.Series:
    """`history` as a float series on consecutive Mondays; ValueError saying what is not."""
    if not isinstance(history, pd.Series) or not isinstance(history.index, pd.DatetimeIndex):
        raise ValueError("expected contacts per week: a pandas Series indexed by the Mondays")
    index = history.index
    if len(index) and (index.day_of_week != 0).any():
        first = index[index.day_of_week != 0][0]
        raise ValueError(f"{first.date()} is a {first:%A}: weeks are indexed by their Monday")
    if len(index) > 1 and (index[1:] - index[:-1] != pd.Timedelta(days=7)).any():
        raise ValueError("weeks must follow each other, a row each (0 for none), in order")
    values = pd.to_numeric(history, errors="coerce").astype(float)
    if not np.isfinite(values.to_numpy()).all() or (values < 0).any():
        raise ValueError("expected a finite number of contacts >= 0 every week")
    return values


def used(method: str, weeks: int) -> str:
    """The method that forecasts `weeks` of history when `method` is asked: ETS and MSTL
    fit a season from more than two years only; from one to two years the seasonal naive
    (the same week a year before) stands in — a damped trend alone took the last weeks'
    seasonal dip for a fall: every week of the next year 25–38 % low, no peak."""
    if method in ("ets", "mstl") and SEASON <= weeks <= 2 * SEASON:
        return "seasonal_naive"
    return method


def forecast(series: pd.Series, horizon: int, method: str = "ets") -> np.ndarray:
    """The next `horizon` weeks of `series` by `method` (see the module docstring), or
    by the method `used` in its stead. Under a year of history ETS and MSTL are a damped
    trend without seasonality, and the seasonal naive repeats the last value."""
    y = np.asarray(series, float)
    if method not in METHODS:
        raise ValueError(f"unknown forecast method {method!r} (expected one of {METHODS})")
    method = used(method, y.size)
    if method == "seasonal_naive":
        if y.size < SEASON:
            return np.full(horizon, y[-1])
        return np.array([y[y.size - SEASON + (h % SEASON)] for h in range(horizon)])
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    seasonal = y.size > 2 * SEASON  # more than two seasons to fit one
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter of the optimiser
        if method == "ets" or not seasonal:
            # a week without contacts (an outage, a closure) rules out a multiplicative
            # season, not the season: additive then (it was dropped, the peaks with it)
            kind = "mul" if (y > 0).all() else "add"
            model = ExponentialSmoothing(
                y,
                trend="add",
                damped_trend=True,
                seasonal=kind if seasonal else None,
                seasonal_periods=SEASON if seasonal else None,
                initialization_method="estimated",
            ).fit()
            return np.maximum(model.forecast(horizon), 0.0)
        from statsmodels.tsa.seasonal import MSTL

        parts = MSTL(y, periods=[SEASON]).fit()
        season = np.asarray(parts.seasonal).reshape(-1)
        rest = y - season
        trend = ExponentialSmoothing(
            rest, trend="add", damped_trend=True, initialization_method="estimated"
        ).fit()
        ahead = season[y.size - SEASON + (np.arange(horizon) % SEASON)]
        return np.maximum(trend.forecast(horizon) + ahead, 0.0)


def evaluate(
    series: pd.Series,
    horizons: Iterable[int] = (1, 4, 13, 26, 52),
    methods: Iterable[str] = METHODS,
    origins: int = 8,
) -> pd.DataFrame:
    """Rolling-origin backtest: for each of `origins` cut points (the last ones that
    leave the longest horizon to compare), fit on the weeks before, forecast, and
    compare. One row per method × horizon: MAPE (mean of |forecast − actual| / actual
    over the origins) and the number of origins."""
    y = np.asarray(series, float)
    horizons = sorted(set(horizons))
    longest = horizons[-1]
    cuts = [c for c in range(y.size - longest - origins + 1, y.size - longest + 1) if c >= 4]
    rows = []
    for method in methods:
        errors: dict[int, list[float]] = {h: [] for h in horizons}
        for cut in cuts:
            ahead = forecast(pd.Series(y[:cut]), longest, method)
            for h in horizons:
                actual = y[cut + h - 1]
                if actual > 0:
                    errors[h].append(abs(ahead[h - 1] - actual) / actual)
        for h in horizons:
            values = errors[h]
            rows.append(
                {
                    "method": method,
                    "horizon": h,
                    "mape": float(np.mean(values)) if values else float("nan"),
                    "origins": len(values),
                }
            )
    return pd.DataFrame(rows)


def volume_block(
    predicted: np.ndarray,
    base: float,
    events: dict[int, float] | None = None,
) -> dict:
    """The calendar's `volume:` block, week 1 the first forecast week: each week's forecast over
    `base` (the weekly volume of the scenario), times an event's factor where one is
    known (week number → factor); weeks within 0.5 % of 1 are left at the default."""
    if not base > 0 or not np.isfinite(base):  # (an all-zero history: ZeroDivisionError)
        raise ValueError(
            f"the base weekly volume is {base:g}: factors need one above 0 — give the "
            "scenario's weekly volume"
        )
    events = events or {}
    weeks = {}
    for i, value in enumerate(predicted, start=1):
        factor = float(value) / base * events.get(i, 1.0)
        if factor > MAX_FACTOR:  # the calendar would refuse the block written
            raise ValueError(
                f"week {i}'s forecast is {factor:,.1f} × the base {base:g}, over a "
                f"calendar's limit of {MAX_FACTOR:g}: give the scenario's weekly volume"
            )
        if abs(factor - 1.0) > 0.005:
            weeks[i] = round(factor, 3)
    return {"default": 1.0, "weeks": weeks}


@dataclass
class VolumeForecast:
    """A log's weekly volumes, their forecast and the backtest of the methods."""

    history: pd.Series  # contacts per week (index: the Mondays)
    predicted: pd.Series  # the forecast (index: the Mondays after the history)
    method: str  # the method used (`used`)
    scores: pd.DataFrame  # `evaluate`: method, horizon, mape, origins
    notes: list[str]  # what the reader of the forecast should know (method, length)

    def __repr__(self) -> str:  # (the dataclass's printed both series: 2,666 characters)
        h, p = self.history, self.predicted
        return (
            f"<VolumeForecast {self.method}: {len(h)} weeks from {h.index[0].date()} "
            f"(mean {h.mean():,.0f}/week), {len(p)} ahead from {p.index[0].date()} "
            f"(mean {p.mean():,.0f}/week), {len(self.notes)} note(s)>"
        )

    @property
    def own_base(self) -> float:
        """The base the factors take by default: the mean of the history's last 52 weeks
        (or of all of it, when shorter). Said wherever the factors are (`ccsim forecast`:
        none said it until 2026-12-07, and factors made against one volume were read
        against a scenario's other one, silently)."""
        return float(self.history.iloc[-SEASON:].mean())

    def volume_block(self, base: float | None = None, events: dict[int, float] | None = None):
        """The calendar's `volume:` block for the forecast weeks; `base` defaults to
        `own_base`."""
        base = self.own_base if base is None else base
        return volume_block(self.predicted.to_numpy(), base, events)


def forecast_log(
    log: Log, weeks: int = 52, method: str = "ets", channel: str | None = None
) -> VolumeForecast:
    """Weekly volumes of `log` (one channel or all), forecast `weeks` ahead by `method`,
    with the rolling-origin backtest of every method (horizons up to `weeks`)."""
    history = weekly(log.one_span(), channel)
    if channel is not None and history.empty:
        logged = ", ".join(sorted(map(str, log.contacts["channel"].unique())))
        raise ValueError(f"no contacts of channel {channel!r} in the log (it has: {logged})")
    return forecast_weekly(history, weeks, method, "the log holds {} full weeks")


def forecast_weekly(
    history: pd.Series,
    weeks: int = 52,
    method: str = "ets",
    holds: str = "the history has {} weeks",
) -> VolumeForecast:
    """Contacts per week (index: consecutive Mondays, as `weekly` or totals.py gives
    them) forecast `weeks` ahead by `method`, with every method's backtest."""
    if isinstance(weeks, bool) or not isinstance(weeks, numbers.Integral) or weeks < 1:
        raise ValueError(f"weeks must be a whole number of weeks ahead, at least 1, got {weeks!r}")
    weeks = int(weeks)
    history = _checked(history)
    if len(history) < 8:
        raise ValueError(f"{holds.format(len(history))}: a forecast needs at least 8")
    ahead = forecast(history, weeks, method)
    index = pd.date_range(history.index[-1] + pd.Timedelta(days=7), periods=weeks, freq="7D")
    horizons = [h for h in (1, 4, 13, 26, 52) if h <= weeks and h < len(history) // 2]
    scores = evaluate(history, horizons or [1], origins=min(8, max(1, len(history) // 4)))
    n, notes, chosen = len(history), [], used(method, len(history))
    empty = history.index[history.to_numpy() == 0]
    if len(empty):  # a gap in the log reads as weeks without demand
        shown = ", ".join(d.date().isoformat() for d in empty[:3])
        more = f" and {len(empty) - 3} more" if len(empty) > 3 else ""
        notes.append(
            f"{len(empty)} week(s) without contacts ({shown}{more}): a gap in the log is "
            "read as no demand, and carried into the forecast"
        )
    longest = max(horizons or [1])
    if method != "seasonal_naive" and n - longest <= 2 * SEASON < n:
        notes.append(
            f"the backtest fits on {n - longest} weeks at most (its origins leave "
            f"{longest} weeks to compare): {method} is scored there as the seasonal naive "
            f"it gives way to, not as the seasonal fit the forecast from all {n} weeks makes"
        )
    if chosen != method:
        notes.append(
            f"{method} fits a yearly season from more than {2 * SEASON} weeks; the log "
            f"has {n}: the seasonal naive (the same week a year before) was used"
        )
    elif n < SEASON and method != "seasonal_naive":
        notes.append(f"{n} weeks of history: no yearly season to learn, a damped trend only")
    if weeks > n:
        notes.append(
            f"{weeks} weeks forecast from {n} weeks of history: read the far weeks with care"
        )
    return VolumeForecast(history, pd.Series(ahead, index=index), chosen, scores, notes)
