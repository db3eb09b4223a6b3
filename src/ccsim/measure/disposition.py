"""What happened to each contact of a replication: answered, abandoned or still waiting
at the end, how long it waited, whether it is measured — the masks and times every
table is built from."""

from __future__ import annotations

import numpy as np

from ccsim.model.replication import Replication


class Dispositions:
    """Derived per-contact outcomes of one replication (masks and times), and the measured
    contacts of each of the first `n_channels` channels (indices, in arrival order)."""

    def __init__(self, rep: Replication, n_channels: int = 0):
        c, o = rep.contacts, rep.contacts.outcome
        self.answered = ~np.isnan(o["answer"])
        self.abandoned = ~self.answered & (o["expire"] <= rep.t1)
        self.waiting = ~self.answered & ~self.abandoned
        self.wait = np.where(
            self.answered,
            o["answer"] - c.arrival,
            np.where(self.abandoned, o["expire"] - c.arrival, rep.t1 - c.arrival),
        )
        self.to_reply = o["reply"] - c.arrival  # NaN when never answered
        self.to_answer = o["answer"] - c.arrival
        self.handle = o["end"] - o["answer"]
        self.measured = (c.arrival >= 0) & (c.arrival < rep.horizon)
        self.escalated = ~np.isnan(o["esc_queued"])
        self.of_channel = [
            np.flatnonzero(self.measured & (c.channel == k)) for k in range(n_channels)
        ]
