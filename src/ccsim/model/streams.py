"""Random streams: one numpy Generator per purpose, derived from one seed.

A replication's streams depend only on (seed, replication index, purpose, name), so
results are identical whatever the number of workers, and a what-if variant that
changes the roster keeps every arrival, reason, anger and resolution draw (common
random numbers). Names are hashed (crc32) rather than numbered so that adding a
channel or a roster line does not shift the streams of the others. Each stream draws in
time order only (one batch of one kind), so a longer simulated span adds draws at its
end and moves none: a target's `within`, which sets the cool-down, keeps them too.
"""

from __future__ import annotations

import zlib

import numpy as np

# a purpose's key is its place here: append a new one at the end, or every stream after
# it moves and so does every figure measured before
PURPOSES = (
    "arrivals",
    "reasons",
    "anger",
    "resolve",
    "patience",
    "wrapup",
    "escalation",
    "absence",
    "volume",
)


def replication_seed(seed: int, index: int) -> np.random.SeedSequence:
    """Replication `index`'s SeedSequence of a run seeded with `seed`: the `index`-th
    child of `SeedSequence(seed).spawn(n)` (its spawn key is (index,)), without spawning
    the ones before it — a run from replication 10**8 spawned 10**8 of them first."""
    return np.random.SeedSequence(seed, spawn_key=(index,))


class Streams:
    """The random streams of one replication."""

    def __init__(self, seed: np.random.SeedSequence | int):
        self.root = (
            seed if isinstance(seed, np.random.SeedSequence) else (np.random.SeedSequence(seed))
        )

    def get(self, purpose: str, *names: str) -> np.random.Generator:
        """The generator for `purpose` (e.g. "arrivals") and names (e.g. a channel)."""
        key = (PURPOSES.index(purpose), *(zlib.crc32(n.encode()) for n in names))
        child = np.random.SeedSequence(self.root.entropy, spawn_key=(*self.root.spawn_key, *key))
        return np.random.Generator(np.random.PCG64(child))
