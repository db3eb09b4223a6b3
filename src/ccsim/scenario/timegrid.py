"""The time grid: simulation time, calendar week, intervals, opening hours, and bins.

Simulation time is in minutes from the start of the measured window: time 0 is 00:00
of `simulation.start_day`, warm-up is negative time. The calendar week starts on Monday
00:00 (minute 0). Intervals are `simulation.interval` long; the planning week is the
7 days from time 0. Every function here is vectorised over numpy arrays.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import pandas as pd

from ccsim.scenario import units
from ccsim.scenario.model import Arrivals, Channel, Scenario, Shift

SAMPLES_PER_INTERVAL = 30  # time points per interval for opening-hour shares


def minute_of_week(s: Scenario, t: np.ndarray | float) -> np.ndarray:
    """Minute of the calendar week (0 = Monday 00:00) at simulation time t."""
    return np.mod(
        s.simulation.start_day_index * units.MINUTES_PER_DAY + np.asarray(t, float),
        units.MINUTES_PER_WEEK,
    )


def is_open(s: Scenario, channel: Channel | None, t: np.ndarray | float) -> np.ndarray:
    """Whether `channel` is open at simulation times t (None or no hours: always)."""
    t = np.asarray(t, float)
    if channel is None or channel.windows is None:
        return np.ones(t.shape, bool)
    if not channel.windows:  # closed all week
        return np.zeros(t.shape, bool)
    starts = np.array([w[0] for w in channel.windows])
    ends = np.array([w[1] for w in channel.windows])
    mow = minute_of_week(s, t)
    i = np.searchsorted(starts, mow, side="right") - 1
    return (i >= 0) & (mow < ends[np.maximum(i, 0)])


def open_changes(s: Scenario, channel: Channel, t0: float, t1: float) -> list[tuple[float, bool]]:
    """(time, now_open) for every opening and closing of `channel` in [t0, t1)."""
    if channel.windows is None:
        return []
    offset = s.simulation.start_day_index * units.MINUTES_PER_DAY
    changes: list[tuple[float, bool]] = []
    first_week = int(np.floor((t0 + offset) / units.MINUTES_PER_WEEK)) - 1
    last_week = int(np.floor((t1 + offset) / units.MINUTES_PER_WEEK)) + 1
    for week in range(first_week, last_week + 1):
        base = week * units.MINUTES_PER_WEEK - offset
        for start, end in channel.windows:
            changes += [(base + start, True), (base + end, False)]
    changes.sort()
    # a window ending exactly where the next starts (wrap at the week boundary) is one
    merged: list[tuple[float, bool]] = []
    for t, now_open in changes:
        if merged and merged[-1][0] == t and merged[-1][1] != now_open:
            merged.pop()
            continue
        merged.append((t, now_open))
    return [(t, o) for t, o in merged if t0 <= t < t1]


def time_to_open(s: Scenario, channel: Channel | None, t: np.ndarray) -> np.ndarray:
    """Minutes from simulation times `t` until `channel` is next open (0 if open)."""
    t = np.asarray(t, float)
    if channel is None or channel.windows is None:
        return np.zeros(t.shape)
    if not channel.windows:  # closed all week: never
        return np.full(t.shape, np.inf)
    mow = minute_of_week(s, t)
    starts = np.array([w[0] for w in channel.windows])
    starts = np.concatenate([starts, starts + units.MINUTES_PER_WEEK])
    following = starts[np.searchsorted(starts, mow, side="right").clip(max=starts.size - 1)]
    return np.where(is_open(s, channel, t), 0.0, following - mow)


def week(s: Scenario) -> np.ndarray:
    """Start times (minutes) of the intervals of the planning week."""
    return np.arange(0.0, units.MINUTES_PER_WEEK, s.simulation.interval)


def forecast(s: Scenario, arrivals: Arrivals, starts: np.ndarray, scale: float = 1.0) -> np.ndarray:
    """`scale` × the day's share × its intraday weight in each interval starting at
    `starts` (simulation minutes): with `scale` the weekly volume, the expected contacts
    (`ccsim.model.arrivals.expected_counts`); with 1, the share of the week's."""
    step = s.simulation.interval
    day = np.floor(starts / units.MINUTES_PER_DAY).astype(int)
    dow = (s.simulation.start_day_index + day) % 7
    slot = np.round(np.mod(starts, units.MINUTES_PER_DAY) / step).astype(int)
    return scale * arrivals.daily_shares()[dow] * arrivals.intraday_weights(step)[dow, slot]


def week_slot(s: Scenario, starts: np.ndarray) -> np.ndarray:
    """Interval of the planning week (0 .. intervals a week − 1) of interval start times."""
    slot = np.mod(np.asarray(starts, float), units.MINUTES_PER_WEEK) // s.simulation.interval
    return slot.astype(int)


def sample_times(s: Scenario) -> np.ndarray:
    """SAMPLES_PER_INTERVAL evenly spaced times inside each interval of the planning
    week: shape (intervals, samples)."""
    step = s.simulation.interval
    offsets = (np.arange(SAMPLES_PER_INTERVAL) + 0.5) * step / SAMPLES_PER_INTERVAL
    return week(s)[:, None] + offsets[None, :]


def open_share(s: Scenario, channel: Channel | None) -> np.ndarray:
    """Share of each interval of the planning week during which `channel` is open."""
    if channel is None or channel.windows is None:
        return np.ones(week(s).size)
    return is_open(s, channel, sample_times(s)).mean(axis=1)


def edges(step: float, horizon: float) -> np.ndarray:
    """Edges of the reporting intervals of the measured window [0, horizon)."""
    return np.arange(0.0, horizon + step / 2, step)


@functools.lru_cache(maxsize=16)
def clock_labels(start_day: int, step: float, horizon: float) -> tuple[np.ndarray, np.ndarray]:
    """Day-of-week and `HH:MM` labels of the reporting intervals (the same every
    replication, so computed once)."""
    starts = edges(step, horizon)[:-1]
    unique, where = np.unique(starts, return_inverse=True)
    day = (start_day + np.floor(unique / units.MINUTES_PER_DAY)).astype(int)
    days = np.array([units.DAY_NAMES[d % 7] for d in day])
    times = np.array([units.format_clock(m % units.MINUTES_PER_DAY) for m in unique])
    return days[where], times[where]


def label_time(s: Scenario, table: pd.DataFrame) -> pd.DataFrame:
    """Add day-of-week and clock-time columns after `start` (minutes) of any table."""
    if table.empty:
        return table
    starts = table["start"].to_numpy()
    day = (s.simulation.start_day_index + np.floor(starts / units.MINUTES_PER_DAY)).astype(int)
    at = table.columns.get_loc("start") + 1
    table.insert(at, "day", [units.DAY_NAMES[d % 7] for d in day])
    table.insert(at + 1, "time", [units.format_clock(m % units.MINUTES_PER_DAY) for m in starts])
    return table


def overlap_per_bin(
    starts: np.ndarray, ends: np.ndarray, bin_edges: np.ndarray, weights: np.ndarray | None = None
) -> np.ndarray:
    """Total (weighted) length of segments [start, end) in each bin of the uniform
    `bin_edges`.

    Exact bookkeeping (no cumulative sums of large times): a segment adds its partial
    lengths to its first and last bins and a whole bin length to the bins between.
    Only the segments that span bins (few, for handling times) take the second path.
    """
    n_bins = bin_edges.size - 1
    lo, hi = bin_edges[0], bin_edges[-1]
    s, e = np.clip(starts, lo, hi), np.clip(ends, lo, hi)
    w = None if weights is None else np.asarray(weights, float)
    keep = e > s
    if not keep.all():
        s, e = s[keep], e[keep]
        w = None if w is None else w[keep]
    if s.size == 0:
        return np.zeros(n_bins)
    step = bin_edges[1] - bin_edges[0]
    first = np.minimum(((s - lo) // step).astype(int), n_bins - 1)
    last = np.minimum(((e - lo) // step).astype(int), n_bins - 1)
    span = np.flatnonzero(last > first)
    last[span[lo + last[span] * step >= e[span]]] -= 1  # ends exactly on an edge
    span = span[last[span] > first[span]]
    same = np.ones(s.size, bool)
    same[span] = False
    length = e - s if w is None else w * (e - s)
    out = np.zeros(n_bins)
    out += np.bincount(first[same], weights=length[same], minlength=n_bins)
    f, la = first[span], last[span]
    ws = np.ones(span.size) if w is None else w[span]
    out += np.bincount(f, weights=ws * (lo + (f + 1) * step - s[span]), minlength=n_bins)
    out += np.bincount(la, weights=ws * (e[span] - (lo + la * step)), minlength=n_bins)
    out += step * _running(f + 1, la, ws, n_bins)
    return out


def _running(begin: np.ndarray, end: np.ndarray, ws: np.ndarray, n_bins: int) -> np.ndarray:
    """Per bin, the weight of the segments that cover it whole (those of bins begin..end-1).
    A few distinct weights (1/concurrency) are counted in integers, then weighted: a
    float running sum of +1/3 and −1/3 left ±1e-15 where none ran, and more on long runs."""
    kinds, which = np.unique(ws, return_inverse=True)
    if kinds.size > 16:  # arbitrary weights: the float running sum
        middle = np.bincount(begin, weights=ws, minlength=n_bins + 1) - np.bincount(
            end, weights=ws, minlength=n_bins + 1
        )
        return np.cumsum(middle)[:n_bins]
    out = np.zeros(n_bins)
    for k, weight in enumerate(kinds):
        mine = which == k
        count = np.bincount(begin[mine], minlength=n_bins + 1) - np.bincount(
            end[mine], minlength=n_bins + 1
        )
        out += weight * np.cumsum(count)[:n_bins]
    return out


def coverage(s: Scenario, shift: Shift) -> np.ndarray:
    """Share of each interval of the planning week one agent on `shift` is working
    (breaks excluded; a shift running past Sunday midnight wraps to Monday); breaks
    taken in turns count at the mean over the turns."""
    step = s.simulation.interval
    length = units.MINUTES_PER_WEEK
    offset = s.simulation.start_day_index * units.MINUTES_PER_DAY  # calendar → simulation
    people = math.lcm(*[b.turns for b in shift.breaks]) if shift.breaks else 1
    starts, ends = [], []
    for day in shift.days:
        begin = day * units.MINUTES_PER_DAY + shift.start - offset
        for person in range(people):  # one of each combination of turns
            cuts = [(begin + b.begins(person), begin + b.begins(person) + b.length)
                    for b in shift.breaks]  # fmt: skip
            bounds = [begin, *[x for cut in sorted(cuts) for x in cut], begin + shift.length]
            for a, b in zip(bounds[::2], bounds[1::2], strict=True):
                for shift_by in (-length, 0.0, length):  # wrap around the week
                    starts.append(a + shift_by)
                    ends.append(b + shift_by)
    worked = overlap_per_bin(np.array(starts), np.array(ends), edges(step, length))
    return worked / step / people
