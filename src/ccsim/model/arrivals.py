"""Arrivals: a Poisson process per channel with piecewise-constant rate per interval.

The expected count of an interval is weekly × daily share × intraday weight × the
day's volume multiplier (gamma, mean 1, CV `overdispersion`). Counts are Poisson,
times uniform within the interval — exactly a non-homogeneous Poisson process. Each
contact gets a reason from the channel's mix; FAQ deflection removes a share of
`question` contacts; voice/chat contacts arriving while the channel is closed are
not offered (counted as `closed`). Everything is drawn in numpy batches.

Simulation time is in minutes from the start of the measured window (time 0 is
00:00 of `start_day`); warm-up is negative time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ccsim.model.streams import Streams
from ccsim.scenario import units
from ccsim.scenario.model import Scenario
from ccsim.scenario.timegrid import forecast, is_open

QUESTION = "question"


@dataclass
class ChannelArrivals:
    """The contacts one channel receives in a run (sorted by time)."""

    times: np.ndarray  # arrival times (minutes)
    reasons: np.ndarray  # index into scenario.reasons
    closed: int  # voice/chat attempts while closed (not offered), over the whole run
    closed_times: np.ndarray  # their times, for per-interval reporting


def expected_counts(s: Scenario, channel: str, t0: float, t1: float) -> np.ndarray:
    """Expected arrivals per interval in [t0, t1) before the volume multiplier and FAQ:
    weekly × daily share × the day's intraday weight — or the channel's counts by date
    (zero in intervals the table does not list)."""
    sim = s.simulation
    arr = s.arrivals[channel]
    step = sim.interval
    starts = np.arange(t0, t1, step)
    if arr.counts is not None and sim.origin is not None:
        at, counts = arr.counts.per_minute_offset(sim.origin)
        out = np.zeros(starts.size)
        index = np.round((at - t0) / step).astype(int)
        inside = (index >= 0) & (index < starts.size)
        np.add.at(out, index[inside], counts[inside])
        return out
    return forecast(s, arr, starts, arr.weekly or 0.0)


def generate(s: Scenario, streams: Streams, t0: float, t1: float) -> dict[str, ChannelArrivals]:
    """Arrivals of every channel in [t0, t1) (t0, t1 multiples of the interval)."""
    out: dict[str, ChannelArrivals] = {}
    step = s.simulation.interval
    reason_names = list(s.reasons)
    for name, channel in s.channels.items():
        counts = expected_counts(s, name, t0, t1)
        rng = streams.get("arrivals", name)
        exact = s.arrivals[name].counts is not None and s.arrivals[name].counts.exact
        cv = 0.0 if exact else s.arrivals[name].overdispersion
        if cv > 0:
            day0 = int(np.floor(t0 / units.MINUTES_PER_DAY))
            days = np.floor(np.arange(t0, t1, step) / units.MINUTES_PER_DAY).astype(int) - day0
            k = 1.0 / cv**2
            multiplier = streams.get("volume", name).gamma(k, 1.0 / k, size=days.max() + 1)
            counts = counts * multiplier[days]
        n = np.round(counts).astype(int) if exact else rng.poisson(counts)
        starts = np.arange(t0, t1, step)
        # times from a stream of their own: the counts' draws vary in number, and the
        # first day's times would move with the span's length (a target's `within` sets
        # the cool-down); every draw here keeps its prefix when the span grows
        u = streams.get("arrivals", name, "times").random(n.sum())
        times = np.sort(np.repeat(starts, n) + u * step)

        mix = np.array([s.reasons[r].mix.get(name, 0.0) for r in reason_names])
        reason_rng = streams.get("reasons", name)
        reasons = np.searchsorted(
            np.cumsum(mix) / mix.sum(), reason_rng.random(times.size), side="right"
        )
        reasons = np.minimum(reasons, len(mix) - 1)
        keep = np.ones(times.size, bool)
        if s.faq_deflection > 0 and QUESTION in s.reasons:
            u = streams.get("reasons", name, "faq").random(times.size)
            keep &= ~((reasons == reason_names.index(QUESTION)) & (u < s.faq_deflection))
        closed_times = np.empty(0)
        if channel.kind != "message" and channel.windows is not None:
            open_now = is_open(s, channel, times)
            closed_times = times[keep & ~open_now]
            keep &= open_now
        out[name] = ChannelArrivals(
            times[keep], reasons[keep], int(closed_times.size), closed_times
        )
    return out
