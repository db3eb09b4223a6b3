"""After-contact work that a log does not record, seen in the gaps between contacts.

When contacts are waiting, a free agent takes the next one at once; so the time from
the moment an agent is free of every contact to that agent's next answer — of any
channel — at moments when a contact of a channel the agent answers was waiting, is
time the agent was not free: after-contact work, or any other unavailability the log
does not show. Those gaps (same agent, same day, under MAX_GAP) are fitted like a
duration (`history.durations`) and become the `wrapup` of the channel whose contact
ended last: in the simulation, as in the log, an agent takes no contact during it.
(Gaps taken within one channel's contacts counted a generalist's phone calls between
two e-mails as e-mail wrap-up: 3.6 min fitted to a simulated log with none;
docs/history.md.)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ccsim.history import durations
from ccsim.history.estimates import Estimate

MAX_GAP = 1800.0  # seconds: a longer gap is a break or the end of a block, not wrap-up
MIN_GAPS = 50
NONE_BELOW = 2.0  # seconds: gaps this short on average are no wrap-up, only clock noise


def waiting_at(contacts: pd.DataFrame, times: np.ndarray) -> np.ndarray:
    """How many contacts were waiting (arrived, not yet answered or gone) at `times`
    (seconds since the epoch)."""
    arrival = _seconds(contacts["arrival"])
    left = np.where(
        (contacts["outcome"] == "answered").to_numpy(),
        _seconds(contacts["answer"]),
        _seconds(contacts["end"].fillna(contacts["arrival"])),
    )
    arrived = np.searchsorted(np.sort(arrival), times, side="right")
    gone = np.searchsorted(np.sort(left), times, side="right")
    return arrived - gone


def _waiting_for(
    contacts: pd.DataFrame, served: pd.DataFrame, agents: np.ndarray, times: np.ndarray
) -> np.ndarray:
    """Whether a contact of a channel the agent answers (in `served`) was waiting at
    each of `times` — a contact only another group can take keeps nobody busy."""
    skills = served.groupby("agent")["channel"].unique()
    out = np.zeros(times.size, bool)
    for ch, mine in contacts.groupby("channel"):
        skilled = np.array([ch in skills.get(a, ()) for a in agents], bool)
        if skilled.any():
            out[skilled] |= waiting_at(mine, times[skilled]) > 0
    return out


def _seconds(times: pd.Series) -> np.ndarray:
    return times.to_numpy().astype("datetime64[ns]").astype(np.int64) / 1e9


def fit(
    contacts: pd.DataFrame, field: str, channel: str | None = None
) -> tuple[durations.DurationFit | None, list[Estimate]]:
    """The wrap-up after the contacts of `channel` (default: all) among `contacts`, every
    channel's (None when fewer than MIN_GAPS are seen, or they are shorter than
    NONE_BELOW on average)."""
    served = contacts[(contacts["outcome"] == "answered") & contacts["agent"].notna()]
    served = served.sort_values(["agent", "answer"], kind="stable")
    agent = served["agent"].to_numpy()
    answer, end = _seconds(served["answer"]), _seconds(served["end"].fillna(served["answer"]))
    day = served["answer"].dt.normalize().to_numpy()
    same = (agent[1:] == agent[:-1]) & (day[1:] == day[:-1])
    # the agent is free once every contact taken so far has ended (chats overlap): the
    # gap runs from the latest end to the next answer, after that latest contact
    group = np.cumsum(np.r_[True, ~same])
    free_at = pd.Series(end).groupby(group).cummax().to_numpy()
    last = pd.Series(np.where(end == free_at, served["channel"].to_numpy(), None))
    last_channel = last.groupby(group).ffill().to_numpy()
    gap = answer[1:] - free_at[:-1]
    ok = same & (gap >= 0) & (gap < MAX_GAP)
    if channel is not None:  # the gaps after this channel's contacts
        ok &= last_channel[:-1] == channel
    busy = _waiting_for(contacts, served, agent[:-1][ok], free_at[:-1][ok] + 0.5)
    gaps = gap[ok][busy]
    if gaps.size < MIN_GAPS or gaps.mean() < NONE_BELOW:
        return None, []
    fitted, estimates = durations.fit(gaps, field)
    method = f"gaps before an agent's next answer while contacts waited, {gaps.size:,} gaps"
    return fitted, [
        Estimate(e.field, e.value, e.low, e.high, e.n, method, e.unit) for e in estimates
    ]
