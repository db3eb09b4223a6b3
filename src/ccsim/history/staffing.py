"""Agents on duty per interval, reconstructed from who handled which contact.

The rule (docs/history.md): an agent is on duty from the start of a handled contact to
its end and through any gap shorter than `gap` (default 30 minutes) before the next one
the same day — work blocks from the first handled contact to the last, split at longer
gaps. Time on duty before an agent's first contact, after the last one or in a long gap
is not seen in a log and not counted, so in a quiet center the reconstruction is a lower
bound of the staffing (docs/history.md measures it on the February log).
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from ccsim.scenario import timegrid

GAP_MINUTES = 30.0
GROUP = "agents"  # the one group of a log that names none


def check_interval_and_gap(interval: object, gap: object) -> None:
    """ValueError unless `interval` is whole minutes that divide a day and `gap` is
    minutes from 0 up — what the CLI's --interval and --gap ask (from the Python API,
    `interval=0` was a ZeroDivisionError, `gap=-1` taken)."""
    number = isinstance(interval, numbers.Real) and not isinstance(interval, bool)
    if not number or not 0 < interval <= 1440 or interval != int(interval) or 1440 % interval:
        raise ValueError(
            f"interval must be whole minutes that divide a day (e.g. 15, 30, 60), got {interval!r}"
        )
    if isinstance(gap, bool) or not isinstance(gap, numbers.Real) or not 0 <= gap < float("inf"):
        raise ValueError(f"gap must be minutes from 0 up, got {gap!r}")


def on_duty(
    contacts: pd.DataFrame,
    first: pd.Timestamp,
    days: int,
    interval: float,
    gap: float = GAP_MINUTES,
) -> pd.DataFrame:
    """Agents on duty per interval of `days` days from `first` (00:00), per group:
    columns start (date and time), group, agents (the average number on duty)."""
    served = contacts[contacts["agent"].notna() & contacts["answer"].notna()]
    group = served["group"].fillna(GROUP) if "group" in served else GROUP
    frame = pd.DataFrame(
        {
            "agent": served["agent"].astype(str).to_numpy(),
            "group": np.asarray(group, dtype=object) if not isinstance(group, str) else group,
            "day": served["answer"].dt.normalize().to_numpy(),
            "start": _minutes(served["answer"], first),
            "end": _minutes(served["end"].fillna(served["answer"]), first),
        }
    ).sort_values(["group", "agent", "start"], kind="stable")
    edges = np.arange(0.0, days * 1440.0 + interval / 2, interval)
    starts = first + pd.to_timedelta(edges[:-1], unit="min")
    out = []
    for g, mine in frame.groupby("group", sort=True):
        s, e = _blocks(mine, gap)
        agents = timegrid.overlap_per_bin(s, e, edges) / interval
        out.append(pd.DataFrame({"start": starts, "group": g, "agents": agents}))
    if not out:
        return pd.DataFrame(columns=["start", "group", "agents"])
    return pd.concat(out, ignore_index=True)


def _minutes(times: pd.Series, first: pd.Timestamp) -> np.ndarray:
    return ((times - first) / pd.Timedelta(minutes=1)).to_numpy(float)


def _blocks(frame: pd.DataFrame, gap: float) -> tuple[np.ndarray, np.ndarray]:
    """Work blocks [start, end) of every agent and day, vectorised: a contact opens a new
    block when it starts more than `gap` after the furthest end so far."""
    agent, day = frame["agent"].to_numpy(), frame["day"].to_numpy()
    start, end = frame["start"].to_numpy(), frame["end"].to_numpy()
    same = np.r_[False, (agent[1:] == agent[:-1]) & (day[1:] == day[:-1])]
    reach = pd.Series(end).groupby(np.cumsum(~same)).cummax().to_numpy()  # per agent-day
    new = ~same | (start - np.r_[-np.inf, reach[:-1]] > gap)
    block = np.cumsum(new)
    s = pd.Series(start).groupby(block).min().to_numpy()
    e = pd.Series(end).groupby(block).max().to_numpy()
    return s, e


def weekly_pattern(dated: pd.DataFrame) -> pd.DataFrame:
    """The mean agents on duty per day of the week and time of day: columns day, time,
    group, agents (a weekly staffing table)."""
    if dated.empty:
        return pd.DataFrame(columns=["day", "time", "group", "agents"])
    day = dated["start"].dt.day_of_week.map(
        lambda d: ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[d]
    )
    time = dated["start"].dt.strftime("%H:%M")
    table = (
        pd.DataFrame({"day": day, "time": time, "group": dated["group"], "agents": dated["agents"]})
        .groupby(["day", "time", "group"], sort=False)["agents"]
        .mean()
        .reset_index()
    )
    table["agents"] = table["agents"].round(3)
    return table
