"""Engine speed: ccsim against an idiomatic SimPy model of the same Erlang-A load.

    python bench/engine.py [--days 30] [--pairs 10] [--repeat 3] [--skip-idiomatic]

Prints contacts/s for both and the ratio (with the peak memory of the process after
a ccsim run, before the reference's), then contacts/s for the bundled e-commerce
scenario with everything on (anger, chat concurrency, messages, escalations, shifts,
breaks, absence).
Contacts/s counts every simulated contact (warm-up and cool-down included) over the
wall-clock time of `ccsim.simulate` (arrival generation, the run and the records).

ccsim and the reference are timed in `--pairs` alternating pairs in one process (ccsim
first in even pairs, the reference first in odd ones), and the ratio is taken pair by
pair: its median and range hold while this shared machine's speed drifts, which the
best of a few runs on each side, taken minutes apart, does not (the bench did that
until 2026-12-05; README, "Benchmarks").
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import ccsim  # noqa: E402
from ccsim.model.replication import run_replication  # noqa: E402
from ccsim.model.streams import replication_seeds  # noqa: E402


def simulate(s, replications: int, seed: int):
    """One process, contact records kept (they are what is counted)."""
    return ccsim.simulate(s, replications, seed, workers=1, contacts=True)


ERLANG_A = """\
name: bench Erlang-A
simulation: {{horizon: {days}d, warmup: 0, interval: 30min, seed: 1}}
channels:
  phone: {{kind: voice, patience: {{dist: exponential, mean: 3min}}}}
arrivals:
  phone: {{weekly: {weekly}, daily: uniform, intraday: flat}}
reasons:
  call: {{mix: {{phone: 1.0}}, resolve: {{dist: exponential, mean: 4min}}}}
anger: off
groups:
  agents: {{skills: {{phone: 1}}}}
shifts:
  always: {{start: "00:00", length: 24h}}
roster:
  - {{group: agents, shift: always, agents: 50}}
"""


def rate(fn, repeat: int) -> tuple[float, int, float]:
    """(contacts/s, contacts, seconds) of the fastest of `repeat` calls of fn() -> contacts.

    Best-of-N because this shared machine's timings vary by ±30 % from run to run.
    """
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        n = fn()
        best = min(best, time.perf_counter() - start)
    return n / best, n, best


def timed(fn) -> tuple[float, int, float]:
    """(contacts/s, contacts, seconds) of one call of fn() -> (contacts, seconds)."""
    gc.collect()
    n, sec = fn()
    return n / sec, n, sec


def paired(ours, theirs, pairs: int) -> list[tuple[tuple, tuple]]:
    """`pairs` alternating pairs of timed() figures of ours and theirs (ours first in
    even pairs, theirs first in odd ones)."""
    out = []
    for i in range(pairs):
        if i % 2:
            b = timed(theirs)
            a = timed(ours)
        else:
            a = timed(ours)
            b = timed(theirs)
        out.append((a, b))
    return out


def spread(values: list[float], fmt: str) -> str:
    """Median and range of values."""
    return (
        f"median {format(statistics.median(values), fmt)} "
        f"({format(min(values), fmt)}–{format(max(values), fmt)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--skip-idiomatic", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (best is kept)")
    parser.add_argument("--pairs", type=int, default=10, help="ccsim/reference pairs")
    args = parser.parse_args()

    scenario = ccsim.loads(ERLANG_A.format(days=args.days, weekly=675 * 24 * 7))

    def ours() -> tuple[int, float]:
        start = time.perf_counter()
        n = sum(len(r.contacts) for r in simulate(scenario, 1, 1).replications)
        return n, time.perf_counter() - start

    label = f"Erlang-A 50 agents 675/h, {args.days} days"
    if args.skip_idiomatic:
        rate_, n, sec = rate(lambda: ours()[0], args.repeat)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"ccsim, {label}: {n:,} contacts in {sec:.2f} s = {rate_:,.0f} contacts/s; "
            f"peak memory of the process so far {peak:,.0f} MB"
        )
    else:
        from simpy_reference import run_idiomatic

        def theirs() -> tuple[int, float]:
            r = run_idiomatic(675 / 60, 50, 4.0, 3.0, args.days * 1440.0, seed=1)
            return r["contacts"], r["seconds"]

        timed(ours)  # warm-up: imports, caches
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        runs = paired(ours, theirs, args.pairs)
        (_, n, _), (_, m, _) = runs[0]
        print(
            f"ccsim, {label}: {n:,} contacts, "
            + spread([a[0] for a, _ in runs], ",.0f")
            + f" contacts/s; peak memory of the process after one run {peak:,.0f} MB"
        )
        print(
            f"idiomatic SimPy, same load: {m:,} contacts, "
            + spread([b[0] for _, b in runs], ",.0f")
            + " contacts/s"
        )
        print(
            f"ratio ccsim / idiomatic, pair by pair ({args.pairs} alternating pairs): "
            + spread([a[0] / b[0] for a, b in runs], ".2f")
        )

    shop = ccsim.load(ROOT / "scenarios" / "ecommerce_omnichannel.yaml")
    reps = 5
    full, n, sec = rate(
        lambda: sum(len(r.contacts) for r in simulate(shop, reps, 2026).replications), args.repeat
    )
    print(
        f"ccsim, ecommerce_omnichannel.yaml (everything on), {reps} replications: "
        f"{n:,} contacts in {sec:.2f} s = {full:,.0f} contacts/s (simulate: model and tables)"
    )
    seeds = replication_seeds(2026, reps)
    engine, n, sec = rate(
        lambda: sum(len(run_replication(shop, ss, i).contacts) for i, ss in enumerate(seeds)),
        args.repeat,
    )
    print(
        f"  of which the model alone (run_replication, no tables): {n:,} contacts in "
        f"{sec:.2f} s = {engine:,.0f} contacts/s"
    )


if __name__ == "__main__":
    main()
