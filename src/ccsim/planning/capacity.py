"""The year for finance: required and available FTE per week, the hiring plan and the
cost by week, month and year (docs/capacity.md).

1. Every week of the calendar is a *kind*: its volume factor per channel, handle-time
   factor and shrinkage. Each distinct kind up to `max_plans` is planned by the planner
   (`ccsim.planning.plan`, a verified roster); with more kinds, the peak kinds (largest
   workload), the lightest with any work and the most frequent one are planned and the
   required FTE of the others is interpolated linearly in the workload (contacts ×
   handle-time factor / (1 − shrinkage), weighted over the channels) between the
   planned kinds.
2. The required FTE of a week is its kind's roster paid hours / `costs.fte_hours`.
3. Hires per group at least cost (`ccsim.planning.hiring`), then the cost of each week:
   wages and overhead of the employed FTE, cover at its premium, hiring cost and the
   per-contact costs of the week's volume. A month is the sum of the days of its weeks
   (a week that spans two months is split by days); the year is the sum of its weeks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from ccsim.experiment import counts, display, seeds
from ccsim.finance.cost import fte_cost, money, rounded
from ccsim.model import arrivals, expected
from ccsim.model.errors import WorkLimitError
from ccsim.planning import hiring, requirements
from ccsim.planning.plan import Plan, judged_somewhere, plan, plan_fits
from ccsim.planning.staffing import StepProgress
from ccsim.scenario import units
from ccsim.scenario.calendar import Calendar, month_shares
from ccsim.scenario.changes import with_changes
from ccsim.scenario.loader import valid
from ccsim.scenario.model import Scenario
from ccsim.scenario.problems import ScenarioError

MAX_PLANS = 6
# a week's costs, which add up to its `cost` (each rounded to the cent)
COSTS = ("cost_wages", "cost_cover", "cost_hiring", "cost_contacts")


@dataclass
class Kind:
    """A distinct kind of week and the FTE it requires."""

    factors: dict[str, float]  # volume factor per channel
    handle: float
    shrinkage: float
    weeks: list[int]  # week numbers (1-based) of this kind
    workload: float
    # contacts a week per channel (the scenario's weekly volumes × the factors)
    by_channel: dict[str, float] = field(default_factory=dict)
    fte: dict[str, float] = field(default_factory=dict)
    plan: Plan | None = None  # planned (None: interpolated)
    contacts_cost: float = 0.0  # per-contact costs a week
    roster_from: int | None = None  # the heavier kind whose roster its plan started from
    roster_tried: int | None = None  # a heavier kind whose roster was tried and not kept

    @property
    def planned(self) -> bool:
        return self.plan is not None

    def variant(self, s: Scenario) -> Scenario:
        """The scenario of this kind of week."""
        changes: dict[str, Any] = {"shrinkage": self.shrinkage}
        for channel, factor in self.factors.items():
            if s.arrivals[channel].weekly is not None:
                changes[f"arrivals.{channel}.weekly"] = f"*{factor!r}"
        if self.handle != 1.0:
            for name in s.reasons:
                changes[f"reasons.{name}.resolve.mean"] = f"*{self.handle!r}"
            if s.escalation is not None:
                changes["escalation.resolve.mean"] = f"*{self.handle!r}"
        return with_changes(s, changes)


@dataclass
class CapacityPlan:
    """Weeks, kinds, hires and costs of a calendar (see the module docstring)."""

    scenario: Scenario
    calendar: Calendar
    weeks: pd.DataFrame  # one row per week
    kinds: list[Kind]
    groups: dict[str, hiring.HiringPlan]
    seed: int

    def __repr__(self) -> str:  # (the dataclass's: tens of thousands of characters)
        planned = sum(k.planned for k in self.kinds)
        total = float(self.weeks["cost"].sum())
        return (
            f"<CapacityPlan {self.scenario.name!r}: {len(self.weeks)} weeks, "
            f"{len(self.kinds)} kinds ({planned} planned), {total:,.2f} "
            f"{self.scenario.costs.currency}>"
        )

    def _repr_html_(self) -> str:
        """What Jupyter shows: the headline and the year by quarter — cost, and per group
        hires, mean required and employed FTE and FTE-weeks left uncovered — with a total
        row (`months`, `quarters` and `weeks` have every figure)."""
        q = self.quarters
        table = pd.DataFrame(
            {
                "quarter": q["quarter"],
                "days": q["days"],
                f"cost ({self.scenario.costs.currency})": q["cost"].map("{:,.2f}".format),
            }
        )
        last = self.calendar.start + dt.timedelta(days=7 * len(self.weeks) - 1)
        total = {  # as the report's total row: no mean FTE, the weeks' own uncovered sum
            "quarter": f"total, {len(self.weeks)} weeks, {self.calendar.start} to {last}",
            "days": int(q["days"].sum()),
            table.columns[2]: f"{self.total_cost:,.2f}",
        }
        for g, st in self.groups.items():
            table[f"{g}: hires"] = q[f"hires:{g}"].astype(int)
            table[f"{g}: mean FTE required"] = q[f"required:{g}"].map("{:,.2f}".format)
            table[f"{g}: mean FTE employed"] = q[f"fte:{g}"].map("{:,.2f}".format)
            table[f"{g}: uncovered FTE-weeks"] = q[f"shortfall:{g}"].map("{:,.2f}".format)
            total |= {
                f"{g}: hires": self.hires_total[g],
                f"{g}: mean FTE required": "",
                f"{g}: mean FTE employed": "",
                f"{g}: uncovered FTE-weeks": f"{float(st.shortfall.sum()):,.2f}",
            }
        table = pd.concat([table, pd.DataFrame([total])], ignore_index=True)
        hires = ", ".join(f"{g} {n}" for g, n in self.hires_total.items())
        notes = [f"Hires over the calendar: {hires}." if hires else "No groups."]
        notes += [f"Calendar warning: {m}" for m in self.calendar.warnings]
        return display.html_block(repr(self)[1:-1], [("By quarter", table)], notes)

    @cached_property
    def months(self) -> pd.DataFrame:
        """Per calendar month: the days of the calendar in it (a month the calendar starts
        or ends in is part of one: January 2028 of a year from 4 January 2027 has 2
        days); its cost and each part of it (`COSTS`) — a week that spans two months
        shared by days (cents by largest remainder, so the months add up to the weeks),
        but its hiring cost, like its hires, in the month the week starts in (the week a
        hire is decided; a split put the cost of 54 hires into two months) — and per
        group the hires decided, the mean required and mean employed FTE over its days,
        the employed FTE of its last week (month end), and the FTE-weeks covered by
        overtime and temporary staff and left uncovered (by days; until 2026-12-08 a
        month had no required FTE and no cover, so what it was short of showed only in
        the weeks)."""
        rows: dict[str, dict[str, Any]] = {}
        shares = month_shares(self.weeks["start"])
        groups = list(self.groups)
        for (_, week), days in zip(self.weeks.iterrows(), shares, strict=True):
            first = week["start"].strftime("%Y-%m")
            for month, n in days.items():
                row = rows.setdefault(month, _empty_month(groups))
                row["days"] += n
                for g in groups:
                    row[f"required:{g}"] += week[f"required:{g}"] * n
                    row[f"fte:{g}"] += week[f"employed:{g}"] * n
                    row[f"employed_end:{g}"] = week[f"employed:{g}"]
                    cover = week[f"overtime:{g}"] + week[f"temporary:{g}"]
                    row[f"cover:{g}"] += cover * n / 7
                    row[f"shortfall:{g}"] += week[f"shortfall:{g}"] * n / 7
            for cost in COSTS:
                split = {first: 7} if cost == "cost_hiring" else days
                for month, cents in _split_cents(round(week[cost] * 100), split).items():
                    rows[month][cost] += cents
            for g in groups:
                rows[first][f"hires:{g}"] += int(week[f"hires:{g}"])
        table = pd.DataFrame([{"month": m, **r} for m, r in rows.items()])
        table["days"] = table["days"].astype(int)  # of the calendar: fewer in its first and last
        for g in groups:
            table[f"required:{g}"] = table[f"required:{g}"] / table["days"]
            table[f"fte:{g}"] = table[f"fte:{g}"] / table["days"]
        table.insert(2, "cost", (table[list(COSTS)].sum(axis=1) / 100).round(2))
        for cost in COSTS:
            table[cost] = (table[cost] / 100).round(2)
        return table

    @cached_property
    def quarters(self) -> pd.DataFrame:
        """The months by calendar quarter (`quarter_of`), in the months' columns: days,
        costs, hires and covered and uncovered FTE-weeks summed, the mean required and
        employed FTE over its days, the employed FTE at its last month's end."""
        m = self.months.copy()
        m.insert(0, "quarter", [quarter_of(k) for k in m["month"]])
        m = m.drop(columns="month")
        fte = [c for c in m.columns if c.startswith(("fte:", "required:"))]  # means by day
        m[fte] = m[fte].mul(m["days"], axis=0)
        rules = {c: "last" if c.startswith("employed_end:") else "sum" for c in m.columns[1:]}
        out = m.groupby("quarter", sort=False).agg(rules).reset_index()
        out[fte] = out[fte].div(out["days"], axis=0)
        money = ["cost", *COSTS]
        out[money] = out[money].round(2)
        return out

    @property
    def total_cost(self) -> float:
        return round(float(self.weeks["cost"].sum()), 2)

    @property
    def hires_total(self) -> dict[str, int]:
        return {g: int(st.hires.sum()) for g, st in self.groups.items()}

    def document(self) -> dict[str, Any]:
        """The `ccsim capacity --json` document (docs/capacity.md)."""
        groups = list(self.groups)

        def per(row: pd.Series, prefix: str, digits: int = 2) -> dict[str, float]:
            return {g: rounded(float(row[f"{prefix}:{g}"]), digits) for g in groups}

        def period(row: pd.Series) -> dict[str, Any]:  # a month's or a quarter's figures
            return {
                "days": int(row["days"]),
                "cost": float(row["cost"]),
                **{cost: float(row[cost]) for cost in COSTS},
                "hires": {g: int(row[f"hires:{g}"]) for g in groups},
                "required_fte": per(row, "required"),  # mean over its days
                "fte": per(row, "fte"),  # mean employed over its days
                "employed_end_fte": per(row, "employed_end"),
                "cover_fte_weeks": per(row, "cover"),  # overtime and temporary, by days
                "shortfall_fte_weeks": per(row, "shortfall"),  # uncovered, by days
            }

        weeks = [
            {
                "week": int(row["week"]),
                "start": row["start"].isoformat(),
                "kind": int(row["kind"]),
                "planned": bool(row["planned"]),
                "volume_factor": round(float(row["volume_factor"]), 6),
                "handle_factor": round(float(row["handle_factor"]), 6),
                "shrinkage": round(float(row["shrinkage"]), 6),
                "required_fte": per(row, "required"),
                "available_fte": per(row, "productive"),
                "employed_fte": per(row, "employed"),
                "cover_fte": {
                    g: rounded(float(row[f"overtime:{g}"] + row[f"temporary:{g}"])) for g in groups
                },
                "shortfall_fte": per(row, "shortfall"),
                "hires": {g: int(row[f"hires:{g}"]) for g in groups},
                "cost_wages": round(float(row["cost_wages"]), 2),
                "cost_cover": round(float(row["cost_cover"]), 2),
                "cost_hiring": round(float(row["cost_hiring"]), 2),
                "cost_contacts": round(float(row["cost_contacts"]), 2),
                "cost": round(float(row["cost"]), 2),
            }
            for _, row in self.weeks.iterrows()
        ]
        months = [{"month": row["month"], **period(row)} for _, row in self.months.iterrows()]
        quarters = [
            {"quarter": row["quarter"], **period(row)} for _, row in self.quarters.iterrows()
        ]
        volume_factor = self.weeks["volume_factor"].to_numpy()
        kinds = [
            {
                "kind": i,
                "weeks": k.weeks,
                "planned": k.planned,
                "volume": {c: round(f, 6) for c, f in k.factors.items()},
                # over the channels, weighted by the scenario's weekly volumes (the weeks')
                "volume_factor": round(float(volume_factor[k.weeks[0] - 1]), 6),
                "handle_factor": k.handle,
                "shrinkage": k.shrinkage,
                "workload": round(k.workload, 2),
                "required_fte": {g: rounded(v) for g, v in k.fte.items()},
                "targets_met": k.plan.all_met if k.plan is not None else None,
                # planned from the roster of this (heavier) kind: it was cheaper
                "roster_from_kind": None if k.roster_from is None else k.roster_from + 1,
                # planned cheaper by a heavier kind, re-planned from its roster, which did
                # no better here: the kind's own plan is kept (a non-monotone cost, said)
                "roster_tried_from_kind": None if k.roster_tried is None else k.roster_tried + 1,
                # planned kinds of more work that need fewer FTE in all (each plan is its
                # own search, and the cost order is what is kept: nothing said it)
                "more_fte_than_kinds": inverted(self.kinds, i - 1),
                "unmet": [u.name or f"{u.channel} {u.metric}" for u in k.plan.unmet]
                if k.plan
                else [],
                # how it was planned: its plan's search (replications, 1-minimal, …), which
                # the settings change (nothing in the outputs said so: a walkthrough)
                # (its seconds left out: the document is the same on any machine)
                "search": {key: v for key, v in k.plan.search.items() if key != "seconds"}
                if k.plan is not None
                else None,
            }
            for i, k in enumerate(self.kinds, start=1)
        ]
        return {
            "scenario": self.scenario.name,
            "start": self.calendar.start.isoformat(),
            "seed": self.seed,
            "currency": self.scenario.costs.currency,
            "weeks": weeks,
            "months": months,
            "quarters": quarters,
            "kinds": kinds,
            "total_cost": self.total_cost,
            "hires_total": self.hires_total,
            "cover_fte_weeks": {  # overtime and temporary staff, the weeks' sum
                g: round(float((st.overtime + st.temporary).sum()), 2)
                for g, st in self.groups.items()
            },
            "shortfall_fte_weeks": {
                g: round(float(st.shortfall.sum()), 2) for g, st in self.groups.items()
            },
            "shortfall_weeks": {  # which (the sums alone said nothing to act on)
                g: [w["week"] for w in weeks if w["shortfall_fte"][g] > 0] for g in groups
            },
            # what validating the calendar warned of (said on stderr only: a notebook and
            # the folder had none of it)
            "warnings": [str(m) for m in self.calendar.warnings],
        }


def _empty_month(groups: list[str]) -> dict[str, Any]:
    """A month before its weeks are added: costs in cents, FTE × days."""
    row: dict[str, Any] = {"days": 0, **dict.fromkeys(COSTS, 0)}
    for g in groups:
        row |= {f"hires:{g}": 0, f"required:{g}": 0.0, f"fte:{g}": 0.0}
        row |= {f"employed_end:{g}": 0.0, f"cover:{g}": 0.0, f"shortfall:{g}": 0.0}
    return row


def quarter_of(month: str) -> str:
    """`2027-Q2` for `2027-05`: the calendar quarter of a month."""
    return f"{month[:4]}-Q{(int(month[5:7]) - 1) // 3 + 1}"


def _split_cents(cents: int, days: dict[str, int]) -> dict[str, int]:
    """A week's cost in cents shared over its months by days (largest remainder)."""
    exact = {m: cents * d / 7 for m, d in days.items()}
    out = {m: int(np.floor(v)) for m, v in exact.items()}
    left = cents - sum(out.values())
    for m in sorted(exact, key=lambda m: exact[m] - out[m], reverse=True)[:left]:
        out[m] += 1
    return out


def kinds_of(s: Scenario, table: pd.DataFrame) -> tuple[list[Kind], np.ndarray]:
    """The distinct kinds of week in the calendar's week table, and each week's kind."""
    channels = [c[len("volume:") :] for c in table.columns if c.startswith("volume:")]
    key_columns = [f"volume:{c}" for c in channels] + ["handle_factor", "shrinkage"]
    keys = [tuple(round(float(v), 9) for v in row) for row in table[key_columns].to_numpy()]
    order: dict[tuple, int] = {}
    index = np.array([order.setdefault(k, len(order)) for k in keys])
    kinds = []
    for key, i in order.items():
        factors = dict(zip(channels, key[: len(channels)], strict=True))
        handle, shrink = key[-2], key[-1]
        weeks = [int(w) for w in table["week"].to_numpy()[index == i]]
        by_channel = {c: (s.arrivals[c].weekly or 0.0) * f for c, f in factors.items()}
        workload = sum(by_channel.values()) * handle / (1 - shrink)
        kinds.append(Kind(factors, handle, shrink, weeks, workload, by_channel))
    return kinds, index


def to_plan(kinds: list[Kind], most: int) -> list[int]:
    """Which kinds the planner plans: all of them up to `most`; else the heaviest,
    the lightest with any work and the most frequent, then the next heaviest. A week
    without work needs nobody and is interpolated to 0 (a closed week, as the lightest,
    took a plan and moved the interpolation of every week between it and the next)."""
    if len(kinds) <= most:
        return list(range(len(kinds)))
    by_load = sorted(range(len(kinds)), key=lambda i: kinds[i].workload)
    by_load = [i for i in by_load if kinds[i].workload > 0] or by_load
    chosen = [by_load[-1], by_load[0], max(sorted(by_load), key=lambda i: len(kinds[i].weeks))]
    for i in reversed(by_load):
        if len(dict.fromkeys(chosen)) >= most:
            break
        chosen.append(i)
    return list(dict.fromkeys(chosen))[:most]


def heavier_and_cheaper(kinds: list[Kind], plans: dict[int, Plan], i: int) -> int | None:
    """The planned kind of more work than kind `i` whose roster costs least, if its staff
    cost is less than kind `i`'s plan's: each plan is its own 1-minimal search, so a
    heavier week can come out cheaper (docs/capacity.md)."""
    heavier = [j for j in plans if kinds[j].workload > kinds[i].workload]
    j = min(heavier, key=lambda j: plans[j].staff_cost, default=None)
    return j if j is not None and plans[j].staff_cost < plans[i].staff_cost else None


def inverted(kinds: list[Kind], i: int) -> list[int]:
    """The planned kinds (numbered from 1) of more work than kind `i` that need fewer FTE
    in all than its plan: a heavier week planned cheaper is planned again (above), but
    its FTE may still come out fewer — cheaper groups, other draws (a finance walkthrough
    found a lighter kind needing more FTE, and nothing said so)."""
    if kinds[i].plan is None:
        return []
    mine = sum(kinds[i].fte.values())
    return [
        j + 1
        for j, k in enumerate(kinds)
        if k.plan is not None and k.workload > kinds[i].workload
        and sum(k.fte.values()) < mine - 0.005
    ]  # fmt: skip


def better(again: Plan, own: Plan) -> bool:
    """`again` is the kind's plan instead of `own`: cheaper, and no target unmet that
    `own` met."""
    missed = lambda p: {u.name or f"{u.channel} {u.metric}" for u in p.unmet}  # noqa: E731
    return missed(again) <= missed(own) and again.staff_cost < own.staff_cost


def interpolate(kinds: list[Kind], groups: list[str], rates: dict[str, float]) -> None:
    """Required FTE of the kinds not planned, linear in the workload between the planned
    ones (proportional beyond them); per-contact costs of every kind: its contacts of each
    channel at that channel's `rates` (`contact_rates`; one rate for all channels
    overcharged a week whose extra contacts were on a channel without per-contact cost:
    +56 % in a review)."""
    planned = sorted((k for k in kinds if k.planned), key=lambda k: k.workload)
    loads = np.array([k.workload for k in planned])
    for k in kinds:
        k.contacts_cost = sum(rates.get(c, 0.0) * n for c, n in k.by_channel.items())
        if k.planned:
            continue
        for g in groups:
            values = np.array([p.fte.get(g, 0.0) for p in planned])
            if k.workload < loads[0]:
                fte = values[0] * k.workload / loads[0] if loads[0] > 0 else values[0]
            elif k.workload > loads[-1]:
                fte = values[-1] * k.workload / loads[-1] if loads[-1] > 0 else values[-1]
            else:
                fte = float(np.interp(k.workload, loads, values))
            k.fte[g] = fte


def contact_rates(s: Scenario) -> dict[str, float]:
    """Each channel's per-contact cost a contact expected (of its weekly arrivals, which
    a kind of week counts): its rate × the share of them offered — what the FAQ leaves
    and, on voice and chat, what arrives while the channel is open — from the expected
    arrivals, as `run` charges offered contacts. A price times a forecast: until
    2026-12-06 the planned kinds' mean simulated cost, which carried their sampling
    noise (−3 % on 2 replications) and could not be reproduced from the assumptions."""
    rates: dict[str, float] = {}
    for channel in s.channels:
        price = s.costs.per_contact.get(channel, 0.0)
        arriving = arrivals.expected_counts(s, channel, 0.0, units.MINUTES_PER_WEEK).sum()
        if price == 0 or arriving <= 0:  # (none this week: the FAQ's share alone)
            before, after = expected.offered_mix(s, channel)
            share = float(after.sum() / before.sum()) if before.sum() > 0 else 0.0
        else:
            share = float(requirements.offered(s, channel).sum() / arriving)
        rates[channel] = price * share
    return rates


def _week_scenario(k: Kind, s: Scenario) -> Scenario:
    """The scenario of kind `k`; a ScenarioError names the weeks whose factors made it
    invalid (a volume past a channel's limit said only `<changes>: arrivals...`)."""
    try:
        return k.variant(s)
    except ScenarioError as exc:
        scaled = f"week(s) {_weeks(k.weeks)} of the calendar (the scenario scaled by its factors)"
        raise ScenarioError(
            [replace(m, message=f"{m.message} — in {scaled}") for m in exc.messages]
        ) from None


def capacity(
    s: Scenario,
    cal: Calendar,
    seed: int | None = None,
    replications: int | None = None,
    verify: int | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    max_plans: int = MAX_PLANS,
    time_budget: float | None = None,
    progress: StepProgress | None = None,
    max_rosters: int | None = None,
    memory_limit: str | float | None = None,
) -> CapacityPlan:
    """Required and available FTE, hires and cost for every week of `cal` (see the module
    docstring); `replications`, `verify`, `workers`, `scheduler`, `max_rosters`,
    `time_budget` and `memory_limit` are the planner's for each kind of week planned —
    every kind's scenario is built and its runs' memory checked before the first is
    planned (a peak week over the limit failed after the others were planned)."""
    max_plans = counts.whole(max_plans, "max_plans")
    say = progress or (lambda message: None)
    s = valid(s)
    seed = seeds.resolve(seed, s)
    table = cal.table(s)
    kinds, index = kinds_of(s, table)
    groups = list(s.groups)
    chosen = to_plan(kinds, max_plans)
    variants = {i: _week_scenario(kinds[i], s) for i in chosen}
    for i, variant in variants.items():  # every kind's runs fit before the first is planned
        try:
            plan_fits(variant, replications, verify, memory_limit)
        except WorkLimitError as exc:
            raise WorkLimitError(
                f"week(s) {_weeks(kinds[i].weeks)} of the calendar: {exc}"
            ) from None
        # a light week under a target's min_offered: named by its weeks (the scenario
        # itself validated clean)
        judged_somewhere(variant, f"week(s) {_weeks(kinds[i].weeks)} of the calendar: ")

    def plan_kind(n: int, scenario: Scenario, from_roster: bool = False) -> Plan:
        return plan(
            scenario,
            seed=seed,
            replications=replications,
            verify=verify,
            workers=workers,
            scheduler=scheduler,
            time_budget=time_budget,
            max_rosters=max_rosters,
            memory_limit=memory_limit,
            # as `ccsim plan`: its verified Erlang baseline may be cheaper (a plan from a
            # heavier kind's roster is weighed against the kind's own plan instead)
            baseline=not from_roster,
            progress=lambda message: say(f"kind {n}/{len(chosen)}: {message}"),
            from_roster=from_roster,
        )

    plans: dict[int, Plan] = {}
    for n, i in enumerate(chosen, start=1):
        say(f"planning kind of week {n} of {len(chosen)} (weeks {_weeks(kinds[i].weeks)})")
        plans[i] = plan_kind(n, variants[i])
    heaviest_first = sorted(enumerate(chosen, start=1), key=lambda p: -kinds[p[1]].workload)
    for n, i in heaviest_first if s.staffing is None else []:  # (a table: no roster to start)
        if (j := heavier_and_cheaper(kinds, plans, i)) is None:  # plans are local optima
            continue
        mine, theirs = _weeks(kinds[i].weeks), _weeks(kinds[j].weeks)
        say(f"week(s) {theirs}, more work, were planned cheaper than week(s) {mine}: "
            f"planning week(s) {mine} again from their roster")  # fmt: skip
        lines = [line.model_dump() for line in plans[j].scenario.roster]
        again = plan_kind(n, with_changes(variants[i], {"roster": lines}), from_roster=True)
        kept = better(again, plans[i])
        if kept:
            plans[i], kinds[i].roster_from = again, j
        else:
            kinds[i].roster_tried = j
        say(f"week(s) {mine}: " + ("the plan from their roster is kept" if kept else
            "their roster did no better here: the first plan is kept"))  # fmt: skip
    for i, p in plans.items():
        kinds[i].plan, kinds[i].fte = p, {g: p.fte.get(g, 0.0) for g in groups}
    interpolate(kinds, groups, contact_rates(s))

    weekly_cost = {g: fte_cost(s, g) for g in groups}
    table["kind"] = index + 1
    table["planned"] = [kinds[i].planned for i in index]
    staffed: dict[str, hiring.HiringPlan] = {}
    wages = np.zeros(len(table))
    cover = np.zeros(len(table))
    hires_cost = np.zeros(len(table))
    for g in groups:
        required = np.array([kinds[i].fte.get(g, 0.0) for i in index])
        say(f"hiring plan: {g}")
        st = hiring.plan_hires(required, cal.headcount.get(g, 0.0), cal, g, weekly_cost[g])
        staffed[g] = st
        table[f"required:{g}"] = required
        table[f"employed:{g}"] = st.employed
        table[f"productive:{g}"] = st.productive
        table[f"overtime:{g}"] = st.overtime
        table[f"temporary:{g}"] = st.temporary
        table[f"shortfall:{g}"] = st.shortfall
        table[f"hires:{g}"] = st.hires
        c = weekly_cost[g]
        wages += c * st.employed
        cover += c * (1 + cal.cover.overtime_premium) * st.overtime
        cover += c * (1 + cal.cover.temporary_premium) * st.temporary
        hires_cost += cal.hiring.cost_per_hire * st.hires
    # to the cent, halves away from zero, as `run`'s cost and a spreadsheet's ROUND
    # (np.round, halves to even, made 2,030.125 2,030.12)
    table["cost_wages"] = _cents(wages)
    table["cost_cover"] = _cents(cover)
    table["cost_hiring"] = _cents(hires_cost)
    table["cost_contacts"] = _cents([kinds[i].contacts_cost for i in index])
    table["cost"] = table[list(COSTS)].sum(axis=1)
    table["cost"] = table["cost"].round(2)
    return CapacityPlan(s, cal, table, kinds, staffed, seed)


def _cents(values) -> np.ndarray:
    """Amounts of money to the cent (`finance.cost.money`)."""
    return np.array([money(v) for v in np.ravel(values)], float)


def _weeks(numbers: list[int]) -> str:
    shown = ", ".join(map(str, numbers[:6]))
    return shown + (f", … ({len(numbers)} weeks)" if len(numbers) > 6 else "")
