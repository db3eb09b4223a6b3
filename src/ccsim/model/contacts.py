"""Contacts as columns: everything random about a contact is drawn up front, in batches.

A contact's reason, initial anger, resolution time, patience, wrap-up and
escalated-handling time come from streams of their own per channel, so changing the
roster (or anything the engine decides) never changes them (common random numbers).
The engine fills in the outcome columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ccsim.model import anger, distributions
from ccsim.model.arrivals import ChannelArrivals
from ccsim.model.streams import Streams
from ccsim.scenario.model import Scenario

INF = float("inf")


@dataclass
class Contacts:
    """Per-contact columns of one replication, sorted by arrival time."""

    channel: np.ndarray  # channel index (scenario order)
    reason: np.ndarray  # reason index (scenario order)
    arrival: np.ndarray
    a0: np.ndarray  # initial anger
    resolve: np.ndarray  # resolution time (prepared answers applied)
    wrapup: np.ndarray  # after-contact work
    patience: np.ndarray  # voice/chat patience (anger applied), inf otherwise
    balk_u: np.ndarray  # uniform for the balk decision
    esc_resolve: np.ndarray  # escalated-handling time, used if the contact escalates
    esc_forced: np.ndarray  # the reason always escalates
    outcome: dict[str, np.ndarray] = field(default_factory=dict)  # filled by the engine

    def __len__(self) -> int:
        return int(self.arrival.size)


def draw(s: Scenario, streams: Streams, arrivals: dict[str, ChannelArrivals]) -> Contacts:
    """Draw every contact attribute for the given arrivals; merge channels by time."""
    reasons = list(s.reasons.values())
    alpha, beta = anger.beta_parameters(
        [r.anger.mean for r in reasons], [r.anger.concentration for r in reasons]
    )
    speedup = np.array(
        [s.anger.prepared_answer_speedup if r.prepared_answer else 0.0 for r in reasons]
    )
    parts = []
    for ch_index, (name, channel) in enumerate(s.channels.items()):
        arr = arrivals[name]
        n = arr.times.size
        rsn = arr.reasons
        a0 = streams.get("anger", name).beta(alpha[rsn], beta[rsn]) if n else np.empty(0)
        u = streams.get("resolve", name).random(n)
        resolve = np.empty(n)
        for i, reason in enumerate(reasons):
            mask = rsn == i
            resolve[mask] = distributions.quantile(reason.resolve, u[mask])
        resolve *= 1.0 - speedup[rsn]
        wrapup = (
            distributions.sample(channel.wrapup, streams.get("wrapup", name), n)
            if channel.wrapup is not None
            else np.zeros(n)
        )
        patience_rng = streams.get("patience", name)
        if channel.patience is not None:
            patience = distributions.sample(channel.patience, patience_rng, n)
            if s.anger.enabled:
                patience *= anger.patience_factor(a0, s.anger.patience_drop)
            balk_u = streams.get("patience", name, "balk").random(n)  # not after n patiences
        else:
            patience, balk_u = np.full(n, INF), np.ones(n)
        esc = np.zeros(n)
        if s.escalation is not None:
            esc = distributions.sample(s.escalation.resolve, streams.get("escalation", name), n)
        forced = np.array([r.escalate for r in reasons], bool)[rsn] if n else np.zeros(0, bool)
        parts.append(
            (
                np.full(n, ch_index, np.int16),
                rsn.astype(np.int16),
                arr.times,
                a0,
                resolve,
                wrapup,
                patience,
                balk_u,
                esc,
                forced,
            )
        )
    if len(parts) == 1:  # one channel: its arrivals are in time order already
        return Contacts(*parts[0])
    columns = [np.concatenate(col) for col in zip(*parts, strict=True)]
    order = np.argsort(columns[2], kind="stable")
    return Contacts(*(col[order] for col in columns))
