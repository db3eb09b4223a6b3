"""The seed policy of every run, plan and comparison (docs/model.md, "Randomness and
reproducibility"; docs/cli.md, `ccsim run`).

The seed is the one asked for, else the scenario's `simulation.seed`, else a fresh
random one — which every output reports, so any run can be repeated exactly.
Replication r of a run always uses the r-th child of `SeedSequence(seed)`.
"""

from __future__ import annotations

import numpy as np

from ccsim.experiment import counts
from ccsim.scenario.model import Scenario

MAX_SEED = 2**63 - 1


def resolve(seed: int | None, s: Scenario) -> int:
    """The seed a run of `s` uses (see the module docstring)."""
    if seed is not None:
        wrong = ValueError(f"a seed must be a whole number from 0 to {MAX_SEED}, got {seed!r}")
        try:
            seed = counts.whole(seed, "seed", least=0)  # 2.5 was taken for 2
        except ValueError:
            raise wrong from None
        if seed > MAX_SEED:
            raise wrong
        return seed
    if s.simulation.seed is not None:
        return s.simulation.seed
    return int(np.random.SeedSequence().entropy % (MAX_SEED + 1))
