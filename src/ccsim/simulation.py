"""Run a scenario: replications of the engine, each from its own spawned seed.

The simulated time runs from −warm-up to horizon + cool-down. The cool-down (the
longest service target, rounded up to whole intervals) lets contacts that arrive
late in the measured window get their answer, so none is censored; its contacts are
simulated but not measured. Contacts are measured by arrival time in [0, horizon).
"""

from __future__ import annotations

import math

import numpy as np

from ccsim import arrivals, contacts, shifts
from ccsim.engine import Center
from ccsim.results import Replication, Result, measure
from ccsim.scenario import Scenario
from ccsim.streams import Streams, replication_seeds


def time_span(s: Scenario) -> tuple[float, float]:
    """Simulated span (t0, t1): warm-up before 0, cool-down after the horizon."""
    sim = s.simulation
    longest = max((t.within for tg in s.targets.values() for t in tg.service), default=0.0)
    cooldown = math.ceil(longest / sim.interval - 1e-9) * sim.interval
    return -sim.warmup, sim.horizon + cooldown


def run_replication(s: Scenario, seed: np.random.SeedSequence, index: int = 0) -> Replication:
    """Simulate one replication of scenario `s` from `seed`."""
    streams = Streams(seed)
    t0, t1 = time_span(s)
    arr = arrivals.generate(s, streams, t0, t1)
    table = contacts.draw(s, streams, arr)
    plans = shifts.agent_plans(s, streams, t0, t1)
    center = Center(s, table, plans, t0, t1)
    center.run()
    table.outcome = center.outcomes()
    closed = {name: a.closed_times for name, a in arr.items()}
    return Replication(index, None, table, closed, center.logs(), t0, t1, s.simulation.horizon)


def simulate(
    s: Scenario,
    replications: int = 1,
    seed: int | None = None,
    contacts: bool = True,
    workers: int = 1,
    scheduler: str | None = None,
) -> Result:
    """Simulate `replications` independent runs of `s` (seed: the scenario's, else random).

    Replication r uses the r-th child of SeedSequence(seed), so a result never depends
    on how replications are spread over processes: `workers` local processes, or a
    dask.distributed cluster at `scheduler`. `contacts=False` keeps only the tables
    (less memory), not the per-contact records.
    """
    if seed is None:
        seed = s.simulation.seed
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % (2**63))
    if workers != 1 or scheduler is not None:
        from ccsim import experiment

        return experiment.run(
            s, replications, seed, workers=workers, scheduler=scheduler, contacts=contacts
        )
    reps = [run_replication(s, ss, i) for i, ss in enumerate(replication_seeds(seed, replications))]
    return Result(s, seed, [measure(s, r) for r in reps], reps if contacts else None)
