"""When the measured window is settled: every contact that arrived in [0, horizon) has
its final outcome, so simulating the rest of the cool-down cannot change any measured
figure (docs/model.md, "Time").

A contact is settled when it gave up (never answered, its give-up time — arrival +
patience, or its arrival when it balked — has passed; message contacts never give up)
or when its handling ended, including the escalation it continues to, if any. The
engine checks at every interval boundary of the cool-down and stops the run at the
first one where the measured window is settled; the tables are bit-identical to a run
to the end of the cool-down (they measure [0, horizon) only, and agents' availability
only inside it).
"""

from __future__ import annotations

import numpy as np

from ccsim.model.outcomes import Buffer, as_numpy

CHUNK = 8192  # contacts examined at a time: the first unsettled one is usually early


def first_unsettled(
    now: float,
    lo: int,
    hi: int,
    *,
    answer: Buffer,
    end: Buffer,
    esc_end: Buffer,
    expire: Buffer,
    escalates: list[bool],
) -> int:
    """The first contact in [lo, hi) not settled at `now` (hi when all are)."""
    answer_, end_, esc_end_, expire_ = (as_numpy(x) for x in (answer, end, esc_end, expire))
    while lo < hi:
        k = min(hi, lo + CHUNK)
        unanswered = np.isnan(answer_[lo:k])
        gave_up = unanswered & (expire_[lo:k] <= now)
        ended = ~np.isnan(end_[lo:k]) & (
            ~np.array(escalates[lo:k], dtype=bool) | ~np.isnan(esc_end_[lo:k])
        )
        open_ = np.flatnonzero(~(gave_up | ended))
        if open_.size:
            return lo + int(open_[0])
        lo = k
    return hi
