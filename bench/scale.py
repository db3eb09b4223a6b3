"""Scale: scenarios/large_center.yaml (1,500 agents, ~0.9M contacts a week).

    python bench/scale.py [--reps 4] [--skip-parallel]

Prints, each in a fresh process (so peak memory is that run's own):
- one replication in one process: seconds and peak memory;
- `ccsim.simulate(large_center, --reps, workers=1)`: seconds and peak memory, against one
  replication (goal: at most 1.3×: replications are measured as they finish and only
  their tables are kept);
- `--reps` replications on 1 and on 2 local worker processes, the speed-up and whether
  both give identical results.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "large_center.yaml"

MEASURE = """
import json, resource, sys, time
import ccsim
s = ccsim.load(sys.argv[1])
start = time.perf_counter()
r = ccsim.simulate(s, int(sys.argv[2]), seed=int(sys.argv[3]), workers=int(sys.argv[4]))
seconds = time.perf_counter() - start
offered = int(r.summary.query("channel != 'escalation'")["offered"].sum())
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak, "offered": offered,
                  "summary": r.summary.to_json(), "intervals": r.intervals.to_json()}))
"""


def measure(reps: int, seed: int, workers: int) -> dict:
    """`ccsim.simulate` in a fresh interpreter: seconds, peak memory, tables."""
    run = subprocess.run(
        [sys.executable, "-c", MEASURE, str(SCENARIO), str(reps), str(seed), str(workers)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(run.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=4)
    parser.add_argument("--skip-parallel", action="store_true")
    args = parser.parse_args()

    one = measure(1, 1, 1)
    print(
        f"one replication, one process: {one['seconds']:.1f} s, peak memory "
        f"{one['peak_mb']:,.0f} MB ({one['offered']:,} contacts offered in the week)"
    )
    serial = measure(args.reps, 2, 1)
    print(
        f"{args.reps} replications, one process: {serial['seconds']:.1f} s, peak memory "
        f"{serial['peak_mb']:,.0f} MB = {serial['peak_mb'] / one['peak_mb']:.2f}x one "
        "replication (goal <= 1.3x)"
    )
    if not args.skip_parallel:
        parallel = measure(args.reps, 2, 2)
        same = serial["summary"] == parallel["summary"] and (
            serial["intervals"] == parallel["intervals"]
        )
        speedup = serial["seconds"] / parallel["seconds"]
        print(
            f"{args.reps} replications: 1 worker {serial['seconds']:.1f} s, 2 workers "
            f"{parallel['seconds']:.1f} s, speed-up {speedup:.2f}x; identical results: {same}"
        )


if __name__ == "__main__":
    main()
