"""Outcome columns of a replication, derived after the run (vectorised).

The engine records times (answer, first reply, end, escalation) and who handled each
contact in typed arrays (written through memoryviews); this module turns them into numpy
columns without copying and adds what follows from them: the anger at pick-up `a_w` and
its peak `a_peak` (`ccsim.model.anger`).
"""

from __future__ import annotations

from array import array

import numpy as np

from ccsim.model.anger import anger_after_wait, peak_after_wait
from ccsim.model.contacts import Contacts
from ccsim.scenario.model import Scenario

Buffer = array | memoryview  # a typed array ('d' or 'q'), or a memoryview of one


def as_numpy(buffer: Buffer) -> np.ndarray:
    """A typed array ('d' or 'q'), or a memoryview of one, as a numpy array sharing its
    memory."""
    code = buffer.format if isinstance(buffer, memoryview) else buffer.typecode
    return np.frombuffer(buffer, dtype=np.float64 if code == "d" else np.int64)


def columns(
    s: Scenario,
    contacts: Contacts,
    *,
    answer: Buffer,
    reply: Buffer,
    end: Buffer,
    agent: Buffer,
    expire: Buffer,
    esc_queued: Buffer,
    esc_start: Buffer,
    esc_end: Buffer,
    esc_agent: Buffer,
) -> dict[str, np.ndarray]:
    """Every outcome column: times in minutes (NaN = never), agent indices (−1 = none),
    `expire` = when a customer gave up or would have (arrival + patience; the time of a
    balk), anger at pick-up and its peak (NaN when never answered)."""
    tolerance = np.array([*(ch.tolerance for ch in s.channels.values()), np.inf])
    answered_at = as_numpy(answer)
    a_w = anger_after_wait(contacts.a0, answered_at - contacts.arrival, tolerance[contacts.channel])
    return {
        "answer": answered_at,
        "reply": as_numpy(reply),
        "end": as_numpy(end),
        "a_w": a_w,
        "a_peak": peak_after_wait(a_w, s.anger),
        "agent": as_numpy(agent),
        "expire": as_numpy(expire),
        "esc_queued": as_numpy(esc_queued),
        "esc_start": as_numpy(esc_start),
        "esc_end": as_numpy(esc_end),
        "esc_agent": as_numpy(esc_agent),
    }
