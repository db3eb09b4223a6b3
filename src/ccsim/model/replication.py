"""One replication: arrivals, contacts and agents' duty drawn from one seed, then the
engine run over the simulated span.

The simulated time runs from −warm-up to horizon + cool-down. The cool-down (the
longest service target, rounded up to whole intervals) lets contacts that arrive
late in the measured window get their answer, so none is censored; its contacts are
simulated but not measured; the run stops early once every contact of the window has
its outcome (`ccsim.model.settled`). Contacts are measured by arrival time in [0, horizon).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ccsim.model import arrivals, contacts, shifts
from ccsim.model.contacts import Contacts
from ccsim.model.engine import Center
from ccsim.model.streams import Streams
from ccsim.model.topology import AgentLog
from ccsim.scenario.model import Scenario


@dataclass
class Replication:
    """The records of one replication."""

    index: int
    contacts: Contacts
    closed: dict[str, np.ndarray]  # voice/chat attempts while closed, per channel
    agents: list[AgentLog]
    t0: float  # start of the simulated time (−warm-up)
    t1: float  # end of the run: horizon + cool-down, or the cool-down's first interval
    # boundary where every measured contact was settled (ccsim.model.settled)
    horizon: float


def time_span(s: Scenario) -> tuple[float, float]:
    """Simulated span (t0, t1): warm-up before 0, cool-down after the horizon."""
    sim = s.simulation
    longest = max((t.within for tg in s.targets.values() for t in tg.service), default=0.0)
    cooldown = math.ceil(longest / sim.interval - 1e-9) * sim.interval
    return -sim.warmup, sim.horizon + cooldown


def run_replication(s: Scenario, seed: np.random.SeedSequence, index: int = 0) -> Replication:
    """Simulate replication `index` of scenario `s` from its `seed`."""
    streams = Streams(seed)
    t0, t1 = time_span(s)
    arr = arrivals.generate(s, streams, t0, t1)
    table = contacts.draw(s, streams, arr)
    if s.staffing is not None:
        plans = shifts.staffing_plans(s, t0, t1)
    else:
        plans = shifts.agent_plans(s, streams, t0, t1)
    center = Center(s, table, plans, t0, t1)
    center.run()
    table.outcome = center.outcomes()
    logs = center.logs()
    center.close()
    closed = {name: a.closed_times for name, a in arr.items()}
    return Replication(index, table, closed, logs, t0, center.env.now, s.simulation.horizon)
