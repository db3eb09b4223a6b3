"""Rich tables for the terminal: a scenario's summary, a run's targets and groups, a
plan's roster and its baseline."""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass

import pandas as pd
from rich.console import Console
from rich.text import Text

from ccsim.experiment.document import AbandonLimit, ChannelResult, RunDocument, ServiceResult
from ccsim.planning.document import (
    BaselineResult,
    PlanDocument,
    SearchStats,
    close_words,
    minimality,
)
from ccsim.report.terminal import Figures
from ccsim.scenario import summary, units
from ccsim.scenario.model import ESCALATION, Scenario
from ccsim.scenario.units import ONE_REPLICATION, interval_text, percent

MISSED_SHOWN = 12  # missed periods named under the table, then how many more


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.1%}"


@dataclass(frozen=True)
class TargetLine:
    """One target of a channel as reports show it: `label` ("20s ≥ 80% per interval"),
    goal, estimate over the window with its CI, met; for a target per day or interval,
    `periods` ("13/24 intervals") and `worst` ("mon 11:00 76.8% (56.9%–96.7%)")."""

    label: str
    goal: float
    mean: float | None
    ci: tuple[float | None, float | None]
    met: bool
    periods: str = ""
    worst: str = ""
    bound: float | None = None  # the one-sided bound judged, when a confidence was asked


def _scope(result: ServiceResult | AbandonLimit, replications: int | None) -> tuple[str, str, str]:
    """(label suffix, periods met, worst period) of a target's scope; the worst period's
    CI over `replications` (not shown for one, or when not given)."""
    a = result.periods
    if a is None:
        return "", "", ""
    suffix = f" per {a.per}" + (f" in {percent(a.required)}" if a.required < 1 else "")
    periods = f"{a.met}/{a.judged} {a.per if a.per == 'day' else 'interval'}s"
    if a.required < 1 and a.judged:  # (`in: 0.9`: how many of them must meet it)
        periods += f", {math.ceil(a.required * a.judged - 1e-9)} needed"
    if a.not_judged:
        periods += f" ({a.not_judged} not judged)"
    worst = ""
    if a.worst is not None:
        w = a.worst
        worst = f"{w.period} {_pct(w.mean)}"
        if replications is not None and replications > 1:  # (one: no CI to give)
            worst += f" ({interval_text(*w.ci, replications, _pct)})"
        worst += f", bound {_pct(w.bound)}" if w.bound is not None else ""
    return suffix, periods, worst


def target_lines(channel: ChannelResult, replications: int | None = None) -> list[TargetLine]:
    """A channel's targets, e.g. TargetLine("30s ≥ 80%", 0.8, 0.83, (0.81, 0.85), True);
    an abandon limit comes last. A worst period's CI is said given the `replications`
    (what shows it: the console, the HTML and the workbook)."""
    lines = []
    for t in channel.service:
        suffix, periods, worst = _scope(t, replications)
        label = f"{format_within(t.within_s)} ≥ {percent(t.at_least)}{suffix}"
        lines.append(TargetLine(label, t.at_least, t.mean, t.ci, t.met, periods, worst, t.bound))
    if channel.max_abandon is not None and channel.abandon_rate is not None:
        a, limit = channel.abandon_rate, channel.max_abandon
        suffix, periods, worst = _scope(limit, replications)
        label = f"abandon ≤ {percent(limit.limit)}{suffix}"
        lines.append(
            TargetLine(label, limit.limit, a.mean, a.ci, limit.met, periods, worst, limit.bound)
        )
    return lines


def bound_heading(doc: RunDocument | BaselineResult) -> str:
    """`judged (one-sided 95% bound)` when some target was judged by its bound, else ""
    (a target met beside a two-sided interval that crosses the goal reads as a
    contradiction without it)."""
    for channel in doc.channels.values():
        if any(line.bound is not None for line in target_lines(channel)):
            level = getattr(doc, "confidence", None)
            return f"judged (one-sided {level:.0%} bound)" if level else "judged (bound)"
    return ""


def missed_targets(doc: RunDocument | BaselineResult) -> list[str]:
    """`phone 20s ≥ 80%`, ... for every target a document misses."""
    return [
        f"{name} {line.label}"
        for name, channel in doc.channels.items()
        for line in target_lines(channel)
        if not line.met
    ]


def format_seconds(x: float | None) -> str:
    """A duration in seconds the way a planner reads it: 14s, 5.3min, 9.8h."""
    if x is None:
        return "-"
    if x < 120:
        return f"{x:.0f}s"
    return f"{x / 60:.1f}min" if x < 7200 else f"{x / 3600:.1f}h"


def format_within(seconds: float | None) -> str:
    """A target threshold: 20s, 1min, 1h, 24h, 48h."""
    if seconds is None:
        return "-"
    if seconds % 3600 == 0:
        return f"{seconds / 3600:g}h"
    return f"{seconds / 60:g}min" if seconds % 60 == 0 else f"{seconds:g}s"


def render_scenario(s: Scenario, console: Console) -> None:
    """`ccsim show`: the scenario's settings, channels and roster."""
    console.print(
        Text.assemble((s.name, "bold"), f" — {s.description.strip()}" if s.description else "")
    )
    sim = s.simulation
    console.print(
        f"horizon {units.format_duration(sim.horizon)} from {sim.start_day}, warm-up "
        f"{units.format_duration(sim.warmup)}, interval {units.format_duration(sim.interval)}, "
        f"anger {'on' if s.anger.enabled else 'off'}, shrinkage {s.shrinkage:.0%}, "
        f"FAQ deflection {s.faq_deflection:.0%}"
    )
    ch = summary.channels_table(s)
    table = Figures(title="Channels")
    for col in ("channel", "kind", "open", "contacts/week", "groups", "patience", "targets"):
        table.add_column(col, justify="right" if col == "contacts/week" else "left")
    for row in ch.itertuples():
        volume = "-" if pd.isna(row.weekly) else f"{row.after_faq:,.0f}"
        table.add_row(
            row.channel, row.kind, row.open, volume, row.groups, row.patience, row.targets
        )
    console.print(table)
    console.print(f"total contacts/week after FAQ deflection: {ch['after_faq'].sum():,.0f}")
    table = Figures(title="Reasons")  # (show had no patience nor resolution times)
    for col in ("reason", "mix", "resolve", "notes"):
        table.add_column(col)
    for row in summary.reasons_table(s).itertuples():
        table.add_row(row.reason, row.mix, row.resolve, row.notes)
    console.print(table)

    ro = summary.roster_table(s)
    if ro.empty and s.staffing is not None:  # (a fitted scenario: "roster: none", and
        # `ccsim plan`, which it pointed to, refuses a scenario without shift templates)
        rows = s.staffing.rows or []
        where = s.staffing.path.name if s.staffing.csv is not None else f"{len(rows):,} rows"
        console.print(
            f"staffing: a table of agents on duty per interval and group ({where}), no shift "
            "roster (`ccsim run` simulates it; `ccsim plan` needs shift templates)",
            markup=False,
        )
        return
    if ro.empty:
        console.print("roster: none (plan one with `ccsim plan`)")
        return
    table = Figures(title="Roster")
    for col in ("group", "shift", "days", "hours", "agents", "paid h/week", "breaks"):
        table.add_column(col, justify="right" if col in ("agents", "paid h/week") else "left")
    for row in ro.itertuples():
        table.add_row(
            row.group,
            row.shift,
            row.days,
            row.hours,
            str(row.agents),
            f"{row.paid_hours:,.1f}",
            row.breaks,
        )
    table.add_row(
        "total",
        "",
        "",
        "",
        str(ro["agents"].sum()),
        f"{ro['paid_hours'].sum():,.1f}",
        "",
        style="bold",
    )
    console.print(table)


def render_run(doc: RunDocument, console: Console, messages: Collection[str] = ()) -> None:
    """Print a run document: one row per target, then one row per group. `messages`: the
    message channels, whose abandon rate (always 0: nobody hangs up on a message) is left
    blank, as the escalations' is."""
    title = (
        f"{doc.scenario} — {doc.replications} replication(s), seed {doc.seed}, "
        f"service level over {doc.sl_definition} contacts"
    )
    table = Figures(title=title)
    lines = {name: target_lines(ch, doc.replications) for name, ch in doc.channels.items()}
    scoped = any(line.periods for rows in lines.values() for line in rows)
    judged = bound_heading(doc)
    columns = ["channel", "target", "estimate", "95% CI", *([judged] if judged else []), "met"]
    # by bound, the worst period is not the lowest estimate (88.8 % was "worst" beside a
    # met 87.5 %: a walkthrough, 2026-12-07)
    if scoped:  # (a scenario of targets per period only has no `judged` column)
        by_bound = any(
            target.periods.worst.bound is not None
            for ch in doc.channels.values()
            for target in [*ch.service, *([ch.max_abandon] if ch.max_abandon else [])]
            if target.periods is not None and target.periods.worst is not None
        )
        columns += ["periods met", "worst period (by bound)" if by_bound else "worst period"]
    for col in (*columns, "offered", "abandon rate", "ASA", "AHT"):
        table.add_column(col, justify="left" if col in ("channel", "target") else "right")
    for name, ch in doc.channels.items():
        offered = ch.offered.mean if ch.offered is not None else None
        # the abandon rate, a channel's first figure without a target (a fitted scenario
        # has none: only run.json gave its 10 % — an analyst's walkthrough)
        rate = ch.abandon_rate.mean if ch.abandon_rate is not None else None
        rate = None if name in messages or name == ESCALATION else rate
        asa = ch.asa_s.mean if ch.asa_s is not None else None
        aht = ch.aht_s.mean if ch.aht_s is not None else None
        for i, line in enumerate(lines[name] or [None]):
            cells = ["-", "", "", "", *([""] if judged else [])] if line is None else [
                line.label,
                _pct(line.mean),
                interval_text(*line.ci, doc.replications, _pct) if line.mean is not None else "",
                *([bound_text(line.bound, doc.replications)] if judged else []),
                Text("✓", "green") if line.met else Text("✗", "red"),
            ]  # fmt: skip
            if scoped:
                cells += ["", ""] if line is None else [line.periods, line.worst]
            table.add_row(
                name if i == 0 else "",
                *cells,
                f"{offered:,.0f}" if i == 0 and offered is not None else "",
                _pct(rate) if i == 0 and rate is not None else "",
                format_seconds(asa) if i == 0 else "",
                format_seconds(aht) if i == 0 else "",
            )
    console.print(table)
    if doc.replications < 2 and any(lines.values()):  # (a verdict on 81.5 % read as sure)
        console.print(
            "one replication: no spread, so no CI, and ✓/✗ compare the estimate alone (-n 2 "
            "or more gives a CI; with --confidence, ✓/✗ then judge its one-sided bound)"
        )
    console.print(  # (read as the resolution time alone: the column did not say it)
        "ASA: mean wait of the answered; AHT: mean handle time of the answered, venting and "
        "wrap-up included"
    )
    if scoped:
        console.print(
            "targets per day or interval: the estimate is over the whole window; ✓ means "
            "enough periods met it (each period's contacts pooled over the replications)"
        )
        for name, ch in doc.channels.items():  # which periods (only a count was said)
            scoped_targets = [*ch.service, *([ch.max_abandon] if ch.max_abandon else [])]
            for target, line in zip(scoped_targets, lines[name], strict=False):
                if target.periods is not None and (missed := target.periods.missed):
                    shown = ", ".join(missed[:MISSED_SHOWN])
                    more = (
                        f" and {len(missed) - MISSED_SHOWN} more"
                        if len(missed) > MISSED_SHOWN
                        else ""
                    )
                    console.print(f"{name} {line.label}: missed in {shown}{more}", markup=False)
    for name, ch in doc.channels.items():  # lost without a word (only the JSON had them)
        if ch.closed is not None and ch.closed.mean >= 0.5:
            share = ch.closed.mean / (ch.closed.mean + (ch.offered.mean if ch.offered else 0.0))
            console.print(
                f"{name}: {ch.closed.mean:,.0f} attempts arrived while the channel was closed "
                f"({share:.1%} of the attempts simulated) — not offered, not in any figure above",
                markup=False,
            )
    groups = Figures(title="Groups")
    for col in ("group", "agents", "paid h/week", "occupancy", "95% CI", "overtime h/week"):
        groups.add_column(col, justify="left" if col == "group" else "right")
    for name, g in doc.groups.items():
        occ, late = g.occupancy, g.overtime_hours.mean
        groups.add_row(
            name,
            str(g.agents),
            f"{g.paid_hours:,.1f}",
            _pct(occ.mean),
            interval_text(*occ.ci, doc.replications, _pct),
            "—" if late is None else f"{late:,.1f}",
        )
    console.print(groups)
    cost = doc.cost
    console.print(
        f"weekly cost {cost.total:,.2f} {cost.currency} "
        f"(wages {cost.wages:,.2f}, overhead {cost.overhead:,.2f}, "
        f"contacts {cost.contacts:,.2f}); paid hours {cost.paid_hours:,.1f}"
    )
    colour = {"every target met": "green", "some targets missed": "red"}
    shown = doc.verdict if doc.verdict != "no targets" else "no targets to judge (add `targets:`)"
    console.print(Text(shown, colour.get(doc.verdict, "yellow")))


def render_plan(doc: PlanDocument, console: Console, messages: Collection[str] = ()) -> None:
    """Print a plan document: roster, people and hours per group, targets on fresh
    seeds (`render_run`), cost, and the Erlang baseline beside it."""
    roster = Figures(title=f"Plan for {doc.scenario} — roster (agents on each shift)")
    for col in ("group", "shift", "start", "hours", "days", "agents", "paid h/week", "staff cost"):
        roster.add_column(
            col, justify="right" if col in ("agents", "paid h/week", "staff cost") else "left"
        )
    for line in doc.roster:
        roster.add_row(
            line.group,
            line.shift,
            line.start,
            f"{line.length_h:g}h",
            line.days,
            str(line.agents),
            f"{line.paid_hours:,.1f}",
            f"{line.staff_cost:,.2f}",
        )
    console.print(roster)
    # who to employ (docs/reports.md, "Shrinkage, FTE and hires"): the roster's people
    # already have their absences simulated; `hired` backfills them, more than verified
    # (it read "full-time people to employ, shrinkage included": a finance walkthrough
    # took it for the number to recruit, 110 against the roster's 85 people)
    people = Figures(
        title="Headcount and hours per group (headcount: the roster's people, their absences "
        "simulated: the service verified; hired: absences backfilled, FTE / (1 - shrinkage), "
        "at least the most on duty at once)"
    )
    for col in ("group", "headcount", "FTE", "paid h/week", "hired"):
        people.add_column(col, justify="left" if col == "group" else "right")
    for g, n in doc.headcount.items():
        people.add_row(
            g,
            str(n),
            f"{doc.fte[g]:.2f}",
            f"{doc.groups[g].paid_hours:,.1f}",
            str(doc.cost.by_group[g].hired),
        )
    people.add_row(
        "total",
        str(sum(doc.headcount.values())),
        f"{sum(doc.fte.values()):.2f}",
        f"{doc.paid_hours:,.1f}",
        str(doc.cost.hired),
    )
    console.print(people)
    render_run(doc, console, messages)
    for u in doc.unmet:
        console.print(Text.assemble(("unmet", "red"), f" {u.channel} {u.label}: {u.reason}"))
    base = doc.erlang_baseline
    if base is not None:
        compare = Figures(title="Simulation plan vs per-interval Erlang C baseline (fresh seeds)")
        for col in ("", "headcount", "paid h/week", "weekly cost", "targets"):
            compare.add_column(col, justify="left" if col in ("", "targets") else "right")
        for name, d in (("ccsim plan", doc), ("Erlang C baseline", base)):
            missed = missed_targets(d)
            compare.add_row(
                name,
                str(sum(d.headcount.values())),
                f"{d.paid_hours:,.1f}",
                f"{d.cost.total:,.2f} {d.cost.currency}",
                Text("all met", "green")
                if not missed
                else Text("missed: " + ", ".join(missed), "red"),
            )
        console.print(compare)
    console.print(f"search: {search_text(doc.search)}")
    for line in close_texts(doc.search):
        console.print(Text(line, "yellow"))


def bound_text(bound: float | None, replications: int) -> str:
    """The one-sided bound a target was judged by; none of one replication (it showed the
    estimate again, as if exact: a review)."""
    if bound is None:
        return ""
    return ONE_REPLICATION if replications < 2 else _pct(bound)


def search_text(s: SearchStats) -> str:
    """How a plan's search went and what its verification is — 1-minimal or not, fresh
    seeds or seeds a repair looked at — as the console, the HTML report and the workbook
    say it (the reports said "cheapest roster found" alone: a planner's walkthrough)."""
    # (`--max-rosters 8` beside "16 simulated rosters" read as a budget overrun: a walkthrough)
    worth = (
        ""
        if s.work is None
        else f" ({s.work:,.2f} rosters' worth of simulation, the unit of --max-rosters, "
        "which stops the trim alone)"
    )
    return (
        f"{s.simulations} simulated rosters{worth} on {s.replications} replications "
        "(common random numbers; "
        # (a plan.json from before the count reads back 0: not said, rather than "0")
        + (f"{n} replications simulated in all; " if (n := s.replications_simulated) else "")
        + (
            "a target met when every search replication meets it"
            if s.rule == "each"
            else "a target met when its mean less the verification's margin does"
        )
        + (
            "), started from the scenario's roster, "
            if s.start == "roster"
            else f"), {s.correction_rounds} correction round(s), "
        )
        + f"{minimality(s.one_minimal, s.unproven)}, {s.seconds:.0f} s; "
        + (
            f"verified on {s.verify_replications} fresh replications "
            if not s.verification_repairs
            else f"verified on {s.verify_replications} replications, fresh seeds that "
            f"{s.verification_repairs} repair(s) of the search then looked at "
        )
        + "(met = one-sided 95% lower bound reaches the target)"
        + {
            "search": "",
            "erlang_baseline": "; the roster is the Erlang C baseline's (it did better on "
            "verification than the search's)",
            "erlang_baseline trimmed": "; the roster is the Erlang C baseline's, trimmed (it "
            "did better on verification than the search's)",
        }.get(s.chosen, f"; the roster is the {s.chosen}'s")
    )


def close_texts(s: SearchStats) -> list[str]:
    """A line for each target the verification met near its goal (`close_calls`)."""
    return [
        f"close to its goal: {close_words(c, s.verify_replications)} — verify on more "
        "replications before relying on it"
        for c in s.close_calls
    ]


def plan_facts(doc: RunDocument) -> list[tuple[str, str]]:
    """A plan's search, its close calls and its Erlang C baseline, as the reports'
    summaries list them (none for a run)."""
    if not isinstance(doc, PlanDocument):
        return []
    verify = doc.search.verify_replications
    close = [("close to its goal", close_words(c, verify)) for c in doc.search.close_calls]
    search = ("search", search_text(doc.search))
    return [search, *close, ("Erlang C baseline", baseline_text(doc))]


def baseline_text(doc: PlanDocument) -> str:
    """The Erlang C baseline beside the plan, in a line: its headcount, paid hours, weekly
    cost and targets on the same verification."""
    base = doc.erlang_baseline
    if base is None:
        return "not computed"
    missed = missed_targets(base)
    return (
        f"{sum(base.headcount.values())} people, {base.paid_hours:,.1f} paid h/week, "
        f"{base.cost.total:,.2f} {base.cost.currency}/week; "
        + ("every target met" if not missed else "missed: " + ", ".join(missed))
    )
