"""Idiomatic SimPy 4 reference model of an Erlang-A (M/M/n+M) call center.

This is deliberately written the way a typical SimPy user would write it: one
process per customer, a ``simpy.Resource`` for the agents, reneging via
``yield req | env.timeout(patience)`` and random numbers drawn one at a time.
It serves as the speed baseline for the optimised ``ccsim`` engine and as an
independent cross-check of its results.

Measurement convention: only customers arriving in ``[warmup, warmup + horizon)``
are counted. Arrivals stop at ``warmup + horizon`` and the simulation then runs
until the system is empty, so every measured customer is resolved (answered or
abandoned). With FIFO service, customers arriving later can never affect those
ahead of them, so stopping arrivals does not bias the measured customers.
A customer counts as *answered* when an agent picks the call up (start of
service); the wait is the time from arrival to that moment.

Times are in minutes, rates per minute.

Usage::

    python bench/simpy_reference.py            # 30-day benchmark load
    python bench/simpy_reference.py --days 5   # shorter run
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Generator
from dataclasses import dataclass

import numpy as np
import simpy


@dataclass
class _Stats:
    """Running tallies for measured customers."""

    offered: int = 0
    answered: int = 0
    abandoned: int = 0
    waited: int = 0
    answered_within: int = 0
    total_wait_answered: float = 0.0
    contacts: int = 0


def _customer(
    env: simpy.Environment,
    agents: simpy.Resource,
    rng: np.random.Generator,
    aht: float,
    patience_mean: float,
    within: float,
    measured: bool,
    stats: _Stats,
) -> Generator[simpy.Event, object, None]:
    """One caller: queue for an agent, renege if patience runs out, else get served."""
    arrival = env.now
    patience = rng.exponential(patience_mean)
    # Found no free agent on arrival -> has to wait (FIFO: queue non-empty implies all busy).
    must_wait = agents.count >= agents.capacity
    with agents.request() as req:
        result = yield req | env.timeout(patience)
        if req in result:
            wait = env.now - arrival
            if measured:
                stats.offered += 1
                stats.answered += 1
                stats.waited += must_wait
                stats.total_wait_answered += wait
                if wait <= within:
                    stats.answered_within += 1
            yield env.timeout(rng.exponential(aht))
        elif measured:
            stats.offered += 1
            stats.abandoned += 1
            stats.waited += must_wait


def _arrivals(
    env: simpy.Environment,
    agents: simpy.Resource,
    rng: np.random.Generator,
    arrival_rate: float,
    aht: float,
    patience_mean: float,
    warmup: float,
    end: float,
    within: float,
    stats: _Stats,
) -> Generator[simpy.Event, object, None]:
    """Poisson arrival stream; stops generating callers at ``end``."""
    mean_iat = 1.0 / arrival_rate
    while True:
        yield env.timeout(rng.exponential(mean_iat))
        if env.now >= end:
            return
        stats.contacts += 1
        measured = env.now >= warmup
        env.process(_customer(env, agents, rng, aht, patience_mean, within, measured, stats))


def run_idiomatic(
    arrival_rate: float,
    n_agents: int,
    aht: float,
    patience_mean: float,
    horizon: float,
    warmup: float = 0.0,
    within: float = 1 / 3,
    seed: int = 1,
) -> dict[str, float | int]:
    """Simulate an M/M/n+M call center and return service metrics.

    Service and patience times are exponential with means ``aht`` and
    ``patience_mean``; arrivals are Poisson with ``arrival_rate`` per minute.
    Customers arriving in ``[warmup, warmup + horizon)`` are measured; the run
    continues after ``warmup + horizon`` (without new arrivals) until all of
    them are resolved. Deterministic for a given ``seed``.
    """
    rng = np.random.default_rng(seed)
    env = simpy.Environment()
    agents = simpy.Resource(env, capacity=n_agents)
    stats = _Stats()
    env.process(
        _arrivals(
            env,
            agents,
            rng,
            arrival_rate,
            aht,
            patience_mean,
            warmup,
            warmup + horizon,
            within,
            stats,
        )
    )
    t0 = time.perf_counter()
    env.run()  # until no events remain: arrivals stopped and system drained
    seconds = time.perf_counter() - t0

    offered = stats.offered
    answered = stats.answered
    return {
        "offered": offered,
        "answered": answered,
        "abandoned": stats.abandoned,
        "service_level": stats.answered_within / offered if offered else float("nan"),
        "p_wait": stats.waited / offered if offered else float("nan"),
        "abandon_rate": stats.abandoned / offered if offered else float("nan"),
        "asa": stats.total_wait_answered / answered if answered else float("nan"),
        "contacts": stats.contacts,
        "seconds": seconds,
    }


def main() -> None:
    """Run the benchmark load and print throughput and service metrics."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=float, default=30.0, help="horizon in days (default 30)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    res = run_idiomatic(
        arrival_rate=675 / 60,  # 675 calls/h
        n_agents=50,
        aht=4.0,
        patience_mean=3.0,
        horizon=args.days * 24 * 60,
        warmup=0.0,
        within=1 / 3,
        seed=args.seed,
    )
    rate = res["contacts"] / res["seconds"]
    print(f"contacts:      {res['contacts']}")
    print(f"wall-clock:    {res['seconds']:.3f} s")
    print(f"contacts/s:    {rate:,.0f}")
    print(f"service level: {res['service_level']:.4f} (answered within 20 s / offered)")
    print(f"p_wait:        {res['p_wait']:.4f}")
    print(f"p_abandon:     {res['abandon_rate']:.4f}")
    print(f"ASA:           {res['asa'] * 60:.2f} s")


if __name__ == "__main__":
    main()
