"""The machine-readable documents of `ccsim run` and `ccsim check` (`--json`, run.json).

Keys and units as shared/INTERFACE.md: times in seconds (`_s`), shares as fractions,
every estimate over replications as {"mean": x, "ci": [lo, hi]} (95%).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ccsim import cost, targets
from ccsim.results import Result

ESTIMATED = (
    "offered",
    "answered",
    "abandoned",
    "closed",
    "abandon_rate",
    "p_wait",
    "asa_s",
    "wait_mean_s",
    "aht_s",
    "nps",
)


def _num(x: float) -> float | None:
    """JSON-safe number: NaN and infinities become null."""
    return None if x is None or not math.isfinite(x) else round(float(x), 6)


def _estimate(mean: float, lo: float, hi: float) -> dict:
    return {"mean": _num(mean), "ci": [_num(lo), _num(hi)]}


def run_document(result: Result, confidence: float | None = None) -> dict[str, Any]:
    """The `--json` document of a run (see shared/INTERFACE.md)."""
    s = result.scenario
    est = result.estimates().set_index(["channel", "metric"])
    checks = targets.evaluate(result, confidence)
    channels: dict[str, Any] = {}
    for channel in result.summary["channel"].unique():
        doc = {m: _estimate(*est.loc[(channel, m)]) for m in ESTIMATED if (channel, m) in est.index}
        doc["service"] = [
            {
                "within_s": _num(c.within * 60),
                "at_least": c.goal,
                **_estimate(c.mean, *c.ci),
                "met": c.met,
            }
            for c in checks
            if c.channel == channel and c.kind == "service"
        ]
        for c in checks:
            if c.channel == channel and c.kind == "max_abandon":
                doc["max_abandon"] = {"limit": c.goal, "met": c.met}
        channels[channel] = doc
    groups_table = result.groups
    paid = cost.paid_hours(s)
    agents = s.agents_per_group()
    groups: dict[str, Any] = {}
    for g in s.groups:
        rows = groups_table[groups_table["group"] == g]
        per_rep = rows.groupby("replication")[["busy_min", "agents"]].sum()
        occupancy = (per_rep["busy_min"] / (per_rep["agents"] * s.simulation.interval)).to_numpy()
        from ccsim.confidence import t_interval

        groups[g] = {
            "agents": agents[g],
            "paid_hours": round(paid[g], 2),
            "occupancy": _estimate(*t_interval(occupancy[~np.isnan(occupancy)])),
        }
    mean = lambda metric: {  # noqa: E731
        ch: float(est.loc[(ch, metric), "mean"]) for ch in channels if (ch, metric) in est.index
    }
    return {
        "scenario": s.name,
        "replications": len(result.tables),
        "seed": result.seed,
        "sl_definition": s.simulation.sl_definition,
        "confidence": confidence,
        "channels": channels,
        "groups": groups,
        "cost": cost.weekly_cost(s, mean("offered"), mean("answered"), mean("busy_min")),
        "targets_met": all(c.met for c in checks),
    }


def plan_document(plan) -> dict[str, Any]:
    """The `plan --json` document: the run document of the verified roster, plus the
    roster, headcount, FTE, paid hours, unmet targets and the Erlang baseline."""
    doc = run_document(plan.result, confidence=0.95)
    doc["roster"] = roster_lines(plan.scenario)
    doc["headcount"] = plan.headcount
    doc["fte"] = {g: round(v, 2) for g, v in plan.fte.items()}
    doc["paid_hours"] = round(sum(plan.paid_hours.values()), 2)
    doc["unmet"] = [u.document() for u in plan.unmet]
    doc["targets_met"] = plan.all_met
    doc["search"] = plan.search
    if plan.baseline is not None:
        base = run_document(plan.baseline.result, confidence=0.95)
        doc["erlang_baseline"] = {
            "roster": roster_lines(plan.baseline.scenario),
            "headcount": plan.baseline.headcount,
            "paid_hours": round(sum(plan.baseline.paid_hours.values()), 2),
            "cost": base["cost"],
            "targets_met": base["targets_met"],
            "channels": base["channels"],
        }
    return doc


def roster_lines(s) -> list[dict[str, Any]]:
    """Roster lines with their shift, paid hours and staff cost (wages and overhead) per week."""
    from ccsim import scheduling, units

    lines = []
    for r in s.roster:
        shift = s.shifts[r.shift]
        lines.append(
            {
                "group": r.group,
                "shift": r.shift,
                "agents": r.agents,
                "start": units.format_clock(shift.start),
                "length_h": round(shift.length / 60, 4),
                "days": units.format_days(shift.days),
                "paid_hours": round(shift.weekly_paid_hours * r.agents, 2),
                "staff_cost": round(scheduling.agent_cost(s, r.group, shift) * r.agents, 2),
            }
        )
    return lines
