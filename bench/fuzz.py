"""Simulation-level fuzz: mutants of the bundled scenarios, each loaded and simulated.

    python bench/fuzz.py [--mutants 10000] [--seed 1] [--timeout 30] [--workers 2]

Every mutant (1 to 3 mutations of a bundled scenario or a minimal one, cut to one day:
tests/mutate.py) must be either rejected with a clear error (ScenarioError, or a run too
large for the memory limit) or simulated for one replication. Prints the counts —
rejected / ran / crashed / hung (no verdict within --timeout seconds) — the most common
reasons for rejection, and the first crashes and hangs in full.
"""

from __future__ import annotations

import argparse
import collections
import multiprocessing
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import mutate  # noqa: E402


def judge(job: tuple[str, str]) -> tuple[str, str]:
    return mutate.verdict(*job)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutants", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    bases = mutate.bases()
    jobs = [mutate.random_mutant(rng, bases) for _ in range(args.mutants)]
    counts: collections.Counter[str] = collections.Counter()
    reasons: collections.Counter[str] = collections.Counter()
    bad: list[tuple[str, str, str]] = []
    started = time.perf_counter()
    context = multiprocessing.get_context("fork")
    todo = list(range(len(jobs)))
    while todo:
        with context.Pool(args.workers, maxtasksperchild=500) as pool:
            pending = [(i, pool.apply_async(judge, (jobs[i],))) for i in todo]
            todo = []
            for position, (i, future) in enumerate(pending):
                try:
                    kind, detail = future.get(timeout=args.timeout)
                except multiprocessing.TimeoutError:
                    kind, detail = "hung", f"no verdict within {args.timeout:g} s"
                    todo = [j for j, _ in pending[position + 1 :]]  # a fresh pool for the rest
                counts[kind] += 1
                if kind == "rejected":
                    reasons[detail.split(": ")[1] if ": " in detail else detail] += 1
                elif kind in ("crashed", "hung"):
                    bad.append((kind, detail, jobs[i][0]))
                if kind == "hung":
                    pool.terminate()
                    break
    seconds = time.perf_counter() - started
    print(
        f"{sum(counts.values()):,} mutants in {seconds:.0f} s: rejected {counts['rejected']:,}, "
        f"ran {counts['ran']:,}, crashed {counts['crashed']:,}, hung {counts['hung']:,}"
    )
    print("most common reasons for rejection (the field):")
    for field, n in reasons.most_common(12):
        print(f"  {n:6,}  {field}")
    for kind, detail, text in bad[:5]:
        print(f"\n--- {kind} ---\n{detail}\n--- the mutant ---\n{text}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
