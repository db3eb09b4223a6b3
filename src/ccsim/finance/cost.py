"""The cost model: paid hours, wages, overhead, per-contact costs, FTE and hires.

Weekly figures (the roster repeats every week), extrapolated to a month (× 52/12) and
a year (× 52). Money is rounded to the cent per group and per channel first and the
totals are sums of those cents, so a spreadsheet summing the parts gets the same total.
Agent cost (wages and overhead) is allocated to channels by the agent time each channel
took (busy minutes; escalation work is shared out with the rest), so that finance sees
a cost per handled contact with Σ per_contact × handled = total. Definitions:
docs/reports.md.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

import numpy as np
from pydantic import BaseModel

from ccsim.measure import week
from ccsim.scenario import summary, units
from ccsim.scenario.model import Scenario, Shift

K = TypeVar("K")  # what `allocate` shares an amount among

WEEKS_PER_YEAR = 52
MONTHS_PER_YEAR = 12
PERIODS = {"monthly": WEEKS_PER_YEAR / MONTHS_PER_YEAR, "yearly": float(WEEKS_PER_YEAR)}


class Amounts(BaseModel):
    """Money of one period: wages, overhead, per-contact costs and their total."""

    wages: float
    overhead: float
    contacts: float
    total: float


class GroupCost(BaseModel):
    """One group's people, hours and pay per week."""

    agents: int
    paid_hours: float
    wage: float
    wages: float
    overhead: float
    fte: float
    hired: int


class ChannelCost(BaseModel):
    """One channel's contacts per week and the cost allocated to it."""

    offered: float
    handled: float
    busy_share: float
    agent_cost: float
    contact_cost: float
    total: float
    per_contact: float | None


class Cost(BaseModel):
    """The cost document (the `cost` key of every run and plan; docs/reports.md)."""

    currency: str
    paid_hours: float
    wages: float
    overhead: float
    contacts: float
    total: float
    per_contact: dict[str, float]
    monthly: Amounts
    yearly: Amounts
    unallocated: float
    fte: float
    headcount: int
    hired: int
    by_group: dict[str, GroupCost]
    by_channel: dict[str, ChannelCost]


def rounded(x: float, places: int = 2) -> float:
    """Round to `places` decimals, halves away from zero (as a spreadsheet's ROUND does;
    Python's round takes 7.625 FTE to 7.62, the workbook's ROUND to 7.63)."""
    if not math.isfinite(x):
        return float(x)
    step = Decimal(1).scaleb(-places)
    return float(Decimal(repr(float(x))).quantize(step, rounding=ROUND_HALF_UP))


def money(x: float) -> float:
    """Round to the cent, halves away from zero (as a spreadsheet's ROUND does)."""
    return rounded(x, 2)


def _extrapolated(weekly: dict[str, float], weeks: float) -> dict[str, float]:
    """A week's wages, overhead and contacts over `weeks` weeks, each to the cent, and
    their total the sum of those cents (the week's total × 52/12 was a cent off the sum
    of its rounded parts)."""
    parts = {k: money(weekly[k] * weeks) for k in ("wages", "overhead", "contacts")}
    return {**parts, "total": money(sum(parts.values()))}


def agent_cost(s: Scenario, group: str, shift: Shift) -> float:
    """Weekly cost of one agent of `group` on `shift` (wages and overhead)."""
    return shift.weekly_paid_hours * s.groups[group].wage * (1.0 + s.costs.overhead)


def fte_cost(s: Scenario, group: str) -> float:
    """Weekly cost of one full-time equivalent of `group` (`costs.fte_hours` paid hours,
    wages and overhead)."""
    return s.costs.fte_hours * s.groups[group].wage * (1.0 + s.costs.overhead)


def staff_cost(s: Scenario) -> float:
    """Wages and overhead of the roster, per week, unrounded: what the search compares."""
    return sum(agent_cost(s, r.group, s.shifts[r.shift]) * r.agents for r in s.roster)


def group_pay(s: Scenario) -> dict[str, tuple[float, float]]:
    """Per group, the week's wages and overhead, each to the cent (the cost document's
    `by_group`)."""
    hours = paid_hours(s)
    out = {}
    for g, group in s.groups.items():
        wages = money(hours[g] * group.wage)
        out[g] = (wages, money(wages * s.costs.overhead))
    return out


def staff_money(s: Scenario) -> float:
    """Wages and overhead per week to the cent as every output adds them: the sum of
    each group's rounded wages and overhead (the unrounded `staff_cost` of 5,609.825
    printed as 5,609.82 beside a document's 4,315.25 + 1,294.58 = 5,609.83)."""
    return money(sum(w + o for w, o in group_pay(s).values()))


def roster_lines(s: Scenario) -> list[dict[str, Any]]:
    """Roster lines (`ccsim.scenario.summary.roster_lines`) with their staff cost (wages
    and overhead) per week: each group's rounded wages and overhead (`group_pay`) shared
    out over its lines in cents that add up to it, so that the lines add up to the total
    every document prints (each line rounded on its own, three lines of 658.125 were
    658.13 each, a cent over their group's 1,974.38, until 2026-12-07)."""
    lines = summary.roster_lines(s)
    for group, (wages, overhead) in group_pay(s).items():
        exact = {
            i: agent_cost(s, r.group, s.shifts[r.shift]) * r.agents
            for i, r in enumerate(s.roster)
            if r.group == group
        }
        for i, amount in allocate(wages + overhead, exact).items():
            lines[i]["staff_cost"] = amount
    return lines


def paid_hours(s: Scenario) -> dict[str, float]:
    """Paid hours per week per group (shift length minus unpaid breaks × days × agents)."""
    return s.paid_hours()


def hired(fte: float, shrinkage: float, at_once: int = 0) -> int:
    """People to employ so that `fte` is worked although `shrinkage` of every person's paid
    time is lost (absence, training, off-phone work): absences backfilled, which the
    simulation does not do (its roster's people are absent at random, and the service
    verified is theirs: docs/reports.md, "Shrinkage, FTE and hires") — but at least the
    `at_once` the roster has on duty at the same moment, whom nobody can be twice (two
    part-timers 10:00-14:00 were 0.8 FTE, "1 hired")."""
    return max(math.ceil(fte / (1.0 - shrinkage) - 1e-9) if fte > 0 else 0, at_once)


def on_duty_at_once(s: Scenario) -> dict[str, int]:
    """Per group, the most rostered people on duty at the same moment of the week (breaks
    count as on duty: the seat is theirs); with a staffing table, its most on duty."""
    if s.staffing is not None:
        return s.agents_per_group()
    changes: dict[str, list[tuple[float, int]]] = {g: [] for g in s.groups}
    for line in s.roster:
        shift = s.shifts[line.shift]
        for day in shift.days:
            start = (day * units.MINUTES_PER_DAY + shift.start) % units.MINUTES_PER_WEEK
            end = start + shift.length
            spans = [(start, min(end, units.MINUTES_PER_WEEK))]  # a Sunday night goes on
            spans += [(0.0, end - units.MINUTES_PER_WEEK)] if end > units.MINUTES_PER_WEEK else []
            for a, b in spans:
                changes[line.group] += [(a, line.agents), (b, -line.agents)]
    out = {}
    for g, events in changes.items():  # ends before starts at one moment: no overlap
        counts = np.cumsum([n for _, n in sorted(events, key=lambda e: (e[0], e[1]))])
        out[g] = int(counts.max()) if counts.size else 0
    return out


def allocate(amount: float, weights: dict[K, float]) -> dict[K, float]:
    """Share `amount` out in proportion to `weights`, in cents that add up exactly
    (largest remainder)."""
    total = sum(weights.values())
    cents = round(amount * 100)
    if total <= 0:
        return dict.fromkeys(weights, 0.0)
    exact = {k: cents * w / total for k, w in weights.items()}
    floor = {k: math.floor(v) for k, v in exact.items()}
    by_remainder = sorted(exact, key=lambda k: exact[k] - floor[k], reverse=True)
    for k in by_remainder[: cents - sum(floor.values())]:
        floor[k] += 1
    return {k: v / 100 for k, v in floor.items()}


def weekly_cost(
    s: Scenario,
    offered: dict[str, float] | None = None,
    answered: dict[str, float] | None = None,
    busy: dict[str, float] | None = None,
) -> Cost:
    """The `cost` document: weekly wages, overhead, contact costs and total; the same per
    month and year; per group paid hours, FTE and hired headcount; per channel the
    allocated cost and the cost per handled contact.

    `offered`, `answered` and `busy` (agent minutes) are per channel over the measured
    window; contacts are scaled to a week (`ccsim.measure.week`), busy time only shares
    the agents' cost out.
    """
    hours = paid_hours(s)
    agents = s.agents_per_group()
    at_once = on_duty_at_once(s)
    pay = group_pay(s)
    by_group = {}
    for g, group in s.groups.items():
        fte = hours[g] / s.costs.fte_hours
        by_group[g] = {
            "agents": agents[g],
            "paid_hours": round(hours[g], 2),
            "wage": group.wage,
            "wages": pay[g][0],
            "overhead": pay[g][1],
            "fte": rounded(fte),
            "hired": hired(fte, s.shrinkage, at_once[g]),
        }
    wages = money(sum(g["wages"] for g in by_group.values()))
    overhead = money(sum(g["overhead"] for g in by_group.values()))
    weekly_of = {ch: week.contacts_factor(s, ch) for ch in s.channels}
    offered = {ch: (offered or {}).get(ch, 0.0) * weekly_of[ch] for ch in s.channels}
    handled = {ch: (answered or {}).get(ch, 0.0) * weekly_of[ch] for ch in s.channels}
    contact_costs = {ch: money(s.costs.per_contact.get(ch, 0.0) * offered[ch]) for ch in s.channels}
    busy = {ch: max((busy or {}).get(ch, 0.0), 0.0) for ch in s.channels}
    agent_costs = allocate(wages + overhead, busy)
    contacts = money(sum(contact_costs.values()))
    total = money(wages + overhead + contacts)
    by_channel = {}
    per_contact = {}
    for ch in s.channels:
        channel_total = money(agent_costs[ch] + contact_costs[ch])
        by_channel[ch] = {
            "offered": round(offered[ch], 2),
            "handled": round(handled[ch], 2),
            "busy_share": round(busy[ch] / sum(busy.values()), 6) if any(busy.values()) else 0.0,
            "agent_cost": agent_costs[ch],
            "contact_cost": contact_costs[ch],
            "total": channel_total,
            "per_contact": round(channel_total / handled[ch], 4) if handled[ch] > 0 else None,
        }
        if handled[ch] > 0:
            per_contact[ch] = by_channel[ch]["per_contact"]
    weekly = {"wages": wages, "overhead": overhead, "contacts": contacts, "total": total}
    return Cost.model_validate(
        {
            "currency": s.costs.currency,
            "paid_hours": round(sum(g["paid_hours"] for g in by_group.values()), 2),
            **weekly,
            "per_contact": per_contact,
            **{name: _extrapolated(weekly, f) for name, f in PERIODS.items()},
            "unallocated": money(wages + overhead - sum(agent_costs.values())),
            "fte": rounded(sum(g["fte"] for g in by_group.values())),
            "headcount": sum(agents.values()),
            "hired": sum(g["hired"] for g in by_group.values()),
            "by_group": by_group,
            "by_channel": by_channel,
        }
    )
