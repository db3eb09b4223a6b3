"""Scale: scenarios/large_center.yaml (1,500 agents, ~1M contacts a week).

    python bench/scale.py [--reps 4]

Prints the wall-clock time of one replication in one process (goal: < 30 s), then
the time of `--reps` replications on 1 and on 2 local worker processes and the
speed-up (goal: >= 1.7x on a 2-core machine), checking that both give identical
results.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import ccsim
from ccsim import experiment

ROOT = Path(__file__).resolve().parents[1]


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=4)
    args = parser.parse_args()
    s = ccsim.load(ROOT / "scenarios" / "large_center.yaml")

    one, seconds = timed(lambda: experiment.run(s, 1, seed=1, workers=1))
    contacts = int(one.summary.query("channel != 'escalation'")["offered"].sum())
    print(
        f"one replication, one process: {seconds:.1f} s "
        f"({contacts:,} contacts offered in the measured week)"
    )

    serial, t1 = timed(lambda: experiment.run(s, args.reps, seed=2, workers=1))
    parallel, t2 = timed(lambda: experiment.run(s, args.reps, seed=2, workers=2))
    same = serial.summary.equals(parallel.summary) and serial.intervals.equals(parallel.intervals)
    print(
        f"{args.reps} replications: 1 worker {t1:.1f} s, 2 workers {t2:.1f} s, "
        f"speed-up {t1 / t2:.2f}x; identical results: {same}"
    )


if __name__ == "__main__":
    main()
