"""SimPy's own share of a replication: what the event loop costs with no model in it.

    python bench/event_loop.py [scenario.yaml]

Prints the number of SimPy events one replication of the scenario (default
scenarios/large_center.yaml) processes and its time, then the time SimPy's
`Environment.run` takes for the same number of events when each event's only callback
puts it back on the queue a little later (`ccsim.model.events.Due`, as the engine does
with an agent's end of handling), with as many events pending as the scenario has
agents. That second figure is the floor of a replication while SimPy is the event loop
(docs/planning.md, "The issue's other ideas, measured").
"""

from __future__ import annotations

import argparse
import time
from heapq import heapify, heappush
from pathlib import Path

import numpy as np
import simpy
from simpy.events import NORMAL

import ccsim
from ccsim.model.events import Due
from ccsim.model.replication import run_replication

ROOT = Path(__file__).resolve().parents[1]


def counted_replication(s: ccsim.Scenario) -> tuple[int, int, float, int]:
    """(events, contacts simulated, seconds, agents) of replication 0 of `s`."""
    steps = 0
    step = simpy.Environment.step

    def counting(env: simpy.Environment) -> None:
        nonlocal steps
        steps += 1
        step(env)

    simpy.Environment.step = counting  # type: ignore[method-assign]
    try:
        start = time.perf_counter()
        rep = run_replication(s, np.random.SeedSequence(s.simulation.seed).spawn(1)[0], 0)
        seconds = time.perf_counter() - start
    finally:
        simpy.Environment.step = step  # type: ignore[method-assign]
    return steps, len(rep.contacts.arrival), seconds, len(rep.agents)


def bare_loop(events: int, pending: int) -> float:
    """Seconds SimPy takes to run `events` events, `pending` of them on the queue at a
    time, each with one callback that only reschedules it one minute later."""
    env = simpy.Environment()
    queue, eid = env._queue, env._eid
    left = events - pending

    def again(due: Due) -> None:
        nonlocal left
        if left > 0:
            left -= 1
            due.callbacks, due.at = callbacks, env._now + 1.0
            heappush(queue, (due.at, NORMAL, next(eid), due))

    callbacks = (again,)
    for i in range(pending):
        due = Due.spare()
        due.callbacks, due.at = callbacks, i / pending
        queue.append((due.at, NORMAL, next(eid), due))
    heapify(queue)
    start = time.perf_counter()
    env.run()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("scenario", nargs="?", default=str(ROOT / "scenarios/large_center.yaml"))
    args = parser.parse_args()
    s = ccsim.load(args.scenario)
    events, contacts, seconds, agents = counted_replication(s)
    print(
        f"{Path(args.scenario).name}: one replication {seconds:.1f} s (counting its events): "
        f"{events:,} SimPy events, {contacts:,} contacts simulated, {agents:,} agents"
    )
    bare = min(bare_loop(events, agents) for _ in range(3))
    print(
        f"SimPy alone, the same {events:,} events ({agents:,} pending, one callback that "
        f"reschedules): {bare:.2f} s = {bare / events * 1e6:.2f} us an event (best of 3)"
    )


if __name__ == "__main__":
    main()
