"""Planner benchmark: `ccsim plan scenarios/ecommerce_omnichannel.yaml`, end to end.

    python bench/plan.py [SCENARIO] [--start-grid 1h]

Runs the command exactly as a planner would (default settings, local workers = the
machine's cores), and prints the wall-clock time (goal: ≤ 3 minutes on 2 cores),
whether every target is met on the fresh verification seeds, whether the roster is
1-minimal, and its headcount, paid hours and weekly cost beside the Erlang C
baseline's, with the baseline's missed targets.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from ccsim.console import missed_targets

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "scenario", nargs="?", default=str(ROOT / "scenarios" / "ecommerce_omnichannel.yaml")
    )
    parser.add_argument("--start-grid", default=None)
    args = parser.parse_args()
    command = [sys.executable, "-m", "ccsim", "plan", args.scenario, "--json", "--quiet"]
    if args.start_grid:
        command += ["--start-grid", args.start_grid]
    start = time.perf_counter()
    run = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if run.returncode not in (0, 1):
        sys.exit(run.stderr)
    doc = json.loads(run.stdout)
    base = doc["erlang_baseline"]
    print(f"ccsim plan {Path(args.scenario).name}: {seconds:.0f} s wall clock (goal ≤ 180 s)")
    print(
        f"  every target met on {doc['search']['verify_replications']} fresh replications: "
        f"{doc['targets_met']}; 1-minimal: {doc['search']['one_minimal']}; "
        f"{doc['search']['simulations']} rosters simulated; unmet: {doc['unmet'] or 'none'}"
    )
    for name, d in (("plan", doc), ("Erlang C baseline", base)):
        print(
            f"  {name}: {sum(d['headcount'].values())} people, {d['paid_hours']:,.1f} paid h/week, "
            f"weekly cost {d['cost']['total']:,.2f} {d['cost']['currency']}; "
            f"missed: {', '.join(missed_targets(d)) or 'none'}"
        )


if __name__ == "__main__":
    main()
