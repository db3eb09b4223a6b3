"""Planner benchmark: `ccsim plan SCENARIO` end to end, its cost against a lower bound
and the Erlang baseline, and its 1-minimality checked.

    python bench/plan.py [SCENARIO] [--start-grid 1h] [--check-minimal]
                         [--time-budget 20min] [--max-rosters 12] [--workers 1]
                         [--no-baseline] [--from-roster] [--roster ROSTER.yaml]
                         [--set KEY=VALUE ...]

`--roster` (a roster.yaml that `ccsim plan --out` wrote) replaces the scenario's roster
and plans from it (`--from-roster`: docs/planning.md, "Planning again from a roster");
`--set` changes a field of the scenario first (`arrivals.email.weekly=210000`, `*1.05`
scales it), as `ccsim sweep --set` does. The variant is written next to the scenario for
the run (so that its CSV tables resolve) and removed afterwards.

Runs the command exactly as a planner would (default settings, local workers = the
machine's cores) and prints:
- the wall-clock time, whether every target is met on the fresh verification seeds,
  whether the planner says the roster is 1-minimal, rosters simulated;
- the plan's staff cost (wages + overhead a week) against
  - the LP relaxation of the shift program on the analytic requirement with the anger
    curve off (`shift_program.solve(relax=True)`): a lower bound on the cost of any
    roster covering the Erlang A requirement — a yardstick under the analytic model,
    not a proof about the simulated one;
  - the same relaxation with the anger curve on (the requirement the planner starts
    from), and the Erlang C baseline's staff cost and missed targets;
- with `--check-minimal`: every roster line with one agent fewer, simulated on all the
  search's replications and judged by the search's criterion (its rule), and where that passes,
  on the verification replications: for the roster to be 1-minimal each must fail
  one of the two (docs/planning.md) — checked, not assumed.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ruamel.yaml import YAML

import ccsim
from ccsim.cli.simulation import setting
from ccsim.experiment.runner import Runner
from ccsim.planning import requirements, shift_program
from ccsim.planning.search import Search
from ccsim.scenario import units

ROOT = Path(__file__).resolve().parents[1]


def lower_bound(s: ccsim.Scenario, grid: float | None, anger: bool) -> float:
    """The shift program's LP relaxation on the analytic requirement."""
    if not anger:
        s = ccsim.with_changes(s, {"anger": "off"})
    shifts = shift_program.shift_options(s, grid)
    needs = requirements.needs(s, shifts)
    lp = shift_program.solve(s, needs, shifts, relax=True)
    if not lp.optimal:  # a relaxation stopped before its optimum bounds nothing
        raise SystemExit(
            f"the LP relaxation stopped before its optimum: {lp.relaxed_cost:,.2f} bounds nothing"
        )
    return lp.relaxed_cost


def staff(doc: dict) -> float:
    return doc["cost"]["wages"] + doc["cost"]["overhead"]


def missed(doc: dict) -> list[str]:
    out = []
    for channel, ch in doc["channels"].items():
        out += [
            f"{channel} {units.format_duration(t['within_s'] / 60)}"  # (it said 172800s)
            for t in ch.get("service", [])
            if not t["met"]
        ]
        if ch.get("max_abandon") and not ch["max_abandon"]["met"]:
            out.append(f"{channel} abandon")
    return out


def check_minimal(
    s: ccsim.Scenario, doc: dict, grid: float | None
) -> list[tuple[str, bool, bool | None]]:
    """(roster line, passes the search with one agent fewer, and if so whether it also
    passes the verification) for every line of the plan."""
    search_info = doc["search"]
    shifts = shift_program.shift_options(s, grid)
    needs = requirements.needs(s, shifts)
    roster = {(line["group"], line["shift"]): line["agents"] for line in doc["roster"]}
    out = []
    with Runner(None) as runner:
        search = Search(
            s, needs, shifts, runner, search_info["seed"], search_info["replications"],
            search_info["verify_replications"], [], lambda message: None, search_info["rule"],
        )  # fmt: skip
        for key in roster:
            fewer = {**roster, key: roster[key] - 1}
            fewer = {k: v for k, v in fewer.items() if v > 0}
            # rule `each`: one failing replication refutes it; look for it two at a time
            every = list(range(search.replications))
            refuted = search.each and search._first_failing(fewer, every) is not None
            passes = not refuted and not search.failing(search.outcome(fewer))
            verified = search.passes(search.verified(fewer)) if passes else None
            out.append((f"{key[0]} × {key[1]}", passes, verified))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "scenario", nargs="?", default=str(ROOT / "scenarios" / "ecommerce_omnichannel.yaml")
    )
    parser.add_argument("--start-grid", default=None)
    parser.add_argument("--check-minimal", action="store_true")
    parser.add_argument("--time-budget", default=None, help="passed to ccsim plan")
    parser.add_argument("--max-rosters", default=None, help="passed to ccsim plan")
    parser.add_argument("--workers", default=None, help="passed to ccsim plan")
    parser.add_argument("--no-baseline", action="store_true", help="passed to ccsim plan")
    parser.add_argument("--from-roster", action="store_true", help="passed to ccsim plan")
    parser.add_argument("--roster", default=None, help="a roster.yaml to plan again from")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    args = parser.parse_args()
    s = ccsim.load(args.scenario)
    changes = {}
    if args.roster:
        pasted = YAML(typ="safe").load(Path(args.roster).read_text())
        changes["roster"] = pasted["roster"]
        changes.update({f"shifts.{k}": v for k, v in (pasted.get("shifts") or {}).items()})
        args.from_roster = True
    for item in args.set:
        key, values = setting(item)  # read as `ccsim sweep --set` reads it (`*1.05` too)
        changes[key] = values[0]
    path = args.scenario
    if changes:
        s = ccsim.with_changes(s, changes)
        with tempfile.NamedTemporaryFile(
            "w", suffix=".yaml", prefix=".bench-", dir=Path(args.scenario).parent, delete=False
        ) as variant:
            variant.write(s.to_yaml())
        path = variant.name
    command = [sys.executable, "-m", "ccsim", "plan", path, "--json", "--quiet"]
    for option in ("start_grid", "time_budget", "max_rosters", "workers"):
        if getattr(args, option):
            command += [f"--{option.replace('_', '-')}", getattr(args, option)]
    command += ["--no-baseline"] * args.no_baseline + ["--from-roster"] * args.from_roster
    try:
        start = time.perf_counter()
        run = subprocess.run(command, capture_output=True, text=True)
        seconds = time.perf_counter() - start
    finally:
        if changes:
            Path(path).unlink()
    if run.returncode not in (0, 1) or not run.stdout.strip():
        sys.exit(run.stderr)
    doc = json.loads(run.stdout)
    search = doc["search"]
    base = doc["erlang_baseline"]
    grid = search["start_grid_min"]
    currency = doc["cost"]["currency"]
    print(
        f"ccsim plan {Path(args.scenario).name}"
        + (f" ({', '.join(sorted(changes))} changed)" if changes else "")
        + f": {seconds:.0f} s wall clock; started from the {search.get('start', 'requirements')}"
    )
    print(
        f"  every target met on {search['verify_replications']} fresh replications: "
        f"{doc['targets_met']}; 1-minimal (the planner says): {search['one_minimal']}; "
        f"search rule {search['rule']}; {search['simulations']} rosters simulated "
        f"({search['replications_simulated']} replications); unmet: {doc['unmet'] or 'none'}"
    )
    plan_cost = staff(doc)
    off, on = lower_bound(s, grid, anger=False), lower_bound(s, grid, anger=True)
    print(
        f"  staff cost a week: plan {plan_cost:,.2f} {currency} "
        f"({sum(doc['headcount'].values())} people, {doc['paid_hours']:,.1f} paid h)"
    )
    print(
        f"  LP bound, analytic requirement, anger off: {off:,.2f} (plan {plan_cost / off - 1:+.1%})"
    )
    print(
        f"  LP bound, analytic requirement, anger on:  {on:,.2f} (plan {plan_cost / on - 1:+.1%})"
    )
    if base is not None:
        print(
            f"  Erlang C baseline: {staff(base):,.2f} ({sum(base['headcount'].values())} people, "
            f"plan {plan_cost / staff(base) - 1:+.1%}); missed: {', '.join(missed(base)) or 'none'}"
        )
    if args.check_minimal:
        lines = check_minimal(s, doc, grid)
        search_only = [name for name, passes, verified in lines if passes and not verified]
        both = [name for name, passes, verified in lines if passes and verified]
        print(
            f"  1-minimal checked: {len(lines)} roster lines with one agent fewer: "
            f"{len(both)} pass the search and the verification"
            + (f" ({', '.join(both)}) — NOT 1-minimal" if both else "")
            + f"; {len(search_only)} pass the search but fail the verification"
            + (f" ({', '.join(search_only)})" if search_only else "")
        )


if __name__ == "__main__":
    main()
