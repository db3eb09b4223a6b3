"""After-contact work that a log does not record, seen in the gaps between contacts.

When contacts of a channel are waiting, a free agent takes the next one at once; so
the time between the end of an agent's contact and that agent's next answer, at moments
when someone was waiting, is time the agent was not free: after-contact work, or any
other unavailability the log does not show. Those gaps (same agent, same day, under
MAX_GAP, the agent on no contact of another channel meanwhile) are fitted like a
duration (`history.durations`) and become the channel's `wrapup`: in the simulation, as
in the log, an agent takes no contact during it. When most gaps are under NONE_BELOW
the next contact is taken at once: no wrap-up, the few long gaps are breaks.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ccsim.history import durations
from ccsim.history.estimates import Estimate

MAX_GAP = 1800.0  # seconds: a longer gap is a break or the end of a block, not wrap-up
MIN_GAPS = 50
NONE_BELOW = 2.0  # seconds: gaps this short (on average, or most) are no wrap-up


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


def _served(contacts: pd.DataFrame) -> pd.DataFrame:
    """The answered contacts that name their agent, by agent and answer time."""
    served = contacts[(contacts["outcome"] == "answered") & contacts["agent"].notna()]
    return served.sort_values(["agent", "answer"], kind="stable")


def _busy_until(served: pd.DataFrame, agent: np.ndarray, at: np.ndarray) -> np.ndarray:
    """For each (agent, time): the latest end of that agent's contacts of any channel
    answered strictly before the time (-inf if none) — later than the end of the agent's
    previous contact of a channel when other work filled the gap after it."""
    book = pd.DataFrame(
        {
            "agent": served["agent"].astype(str).to_numpy(),
            "t": _seconds(served["answer"]),
            "end": _seconds(served["end"].fillna(served["answer"])),
        }
    ).sort_values(["agent", "t"], kind="stable")
    book["end"] = book.groupby("agent")["end"].cummax()
    asked = pd.DataFrame({"agent": agent.astype(str), "t": at, "row": np.arange(len(at))})
    found = pd.merge_asof(
        asked.sort_values("t", kind="stable"),
        book.sort_values("t", kind="stable"),
        on="t",
        by="agent",
        allow_exact_matches=False,
    )
    return found.sort_values("row")["end"].fillna(-np.inf).to_numpy()


def _seconds(times: pd.Series) -> np.ndarray:
    return times.to_numpy().astype("datetime64[ns]").astype(np.int64) / 1e9


def fit(
    contacts: pd.DataFrame, field: str, everyone: pd.DataFrame | None = None
) -> tuple[durations.DurationFit | None, list[Estimate]]:
    """The wrap-up of a channel's contacts (None when fewer than MIN_GAPS are seen, or
    they are shorter than NONE_BELOW on average or mostly). `everyone`: the whole log's contacts
    (same index), so that a gap in which the agent worked a contact of another channel
    is not taken for this channel's wrap-up."""
    served = _served(contacts)
    if len(served) < 2:  # no agents named: no gaps to see
        return None, []
    agent = served["agent"].to_numpy()
    answer, end = _seconds(served["answer"]), _seconds(served["end"].fillna(served["answer"]))
    day = served["answer"].dt.normalize().to_numpy()
    same = (agent[1:] == agent[:-1]) & (day[1:] == day[:-1])
    gap = answer[1:] - end[:-1]
    ok = same & (gap >= 0) & (gap < MAX_GAP)
    if everyone is not None:  # the agent busy with other work during the gap
        ok &= _busy_until(_served(everyone), agent[1:], answer[1:]) <= end[:-1]
    busy = waiting_at(contacts, end[:-1][ok] + 0.5) > 0
    gaps = gap[ok][busy]
    # most gaps under NONE_BELOW: the next contact is taken at once, no after-contact
    # work; the few long gaps are breaks (a CV over 10 failed the fit of a simulated
    # e-commerce log once the gaps filled with other channels' contacts were left out)
    if gaps.size < MIN_GAPS or gaps.mean() < NONE_BELOW or np.median(gaps) < NONE_BELOW:
        return None, []
    try:
        fitted, estimates = durations.fit(gaps, field)
    except ValueError:  # all alike: no spread to fit — thin data, not a failed fit
        return None, []
    method = f"gaps before an agent's next answer while contacts waited, {gaps.size:,} gaps"
    return fitted, [
        Estimate(e.field, e.value, e.low, e.high, e.n, method, e.unit) for e in estimates
    ]
