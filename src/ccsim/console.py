"""Rich tables of a run for the terminal: targets per channel, agents per group."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.1%}"


def target_lines(channel: dict) -> list[tuple[str, float, float | None, list, bool]]:
    """A channel's targets from its run document: (label, goal, estimate, CI, met), e.g.
    ("30s ≥ 80%", 0.8, 0.83, [0.81, 0.85], True); an abandon limit comes last."""
    lines = [
        (
            f"{format_within(t['within_s'])} ≥ {t['at_least']:.0%}",
            t["at_least"],
            t["mean"],
            t["ci"],
            t["met"],
        )
        for t in channel["service"]
    ]
    if "max_abandon" in channel:
        a, limit = channel["abandon_rate"], channel["max_abandon"]
        lines.append(
            (f"abandon ≤ {limit['limit']:.0%}", limit["limit"], a["mean"], a["ci"], limit["met"])
        )
    return lines


def missed_targets(doc: dict) -> list[str]:
    """`phone 20s ≥ 80%`, ... for every target a run document misses."""
    return [
        f"{name} {label}"
        for name, channel in doc["channels"].items()
        for label, _, _, _, met in target_lines(channel)
        if not met
    ]


def render_run(doc: dict, console: Console) -> None:
    """Print the `run` document: one row per target, then one row per group."""
    title = (
        f"{doc['scenario']} — {doc['replications']} replication(s), seed {doc['seed']}, "
        f"service level over {doc['sl_definition']} contacts"
    )
    table = Table(title=title)
    for col in ("channel", "target", "estimate", "95% CI", "met", "offered", "ASA", "AHT"):
        table.add_column(col, justify="left" if col in ("channel", "target") else "right")
    for name, ch in doc["channels"].items():
        rows = [line[:1] + line[2:] for line in target_lines(ch)]
        rows = rows or [("-", None, [None, None], None)]
        for i, (target, mean, ci, met) in enumerate(rows):
            mark = "" if met is None else ("[green]✓[/green]" if met else "[red]✗[/red]")
            table.add_row(
                name if i == 0 else "",
                target,
                _pct(mean),
                f"{_pct(ci[0])}–{_pct(ci[1])}" if mean is not None else "",
                mark,
                f"{ch['offered']['mean']:,.0f}"
                if i == 0 and ch["offered"]["mean"] is not None
                else "",
                format_seconds(ch["asa_s"]["mean"]) if i == 0 else "",
                format_seconds(ch["aht_s"]["mean"]) if i == 0 else "",
            )
    console.print(table)
    groups = Table(title="Groups")
    for col in ("group", "agents", "paid h/week", "occupancy", "95% CI"):
        groups.add_column(col, justify="left" if col == "group" else "right")
    for name, g in doc["groups"].items():
        occ = g["occupancy"]
        groups.add_row(
            name,
            str(g["agents"]),
            f"{g['paid_hours']:,.1f}",
            _pct(occ["mean"]),
            f"{_pct(occ['ci'][0])}–{_pct(occ['ci'][1])}",
        )
    console.print(groups)
    cost = doc["cost"]
    console.print(
        f"weekly cost {cost['total']:,.2f} {cost['currency']} "
        f"(wages {cost['wages']:,.2f}, overhead {cost['overhead']:,.2f}, "
        f"contacts {cost['contacts']:,.2f}); paid hours {cost['paid_hours']:,.1f}"
    )
    verdict = (
        "[green]every target met[/green]"
        if doc["targets_met"]
        else "[red]some targets missed[/red]"
    )
    console.print(verdict)


def format_seconds(x: float | None) -> str:
    """A duration in seconds the way a planner reads it: 14s, 5.3min, 9.8h."""
    if x is None:
        return "-"
    if x < 120:
        return f"{x:.0f}s"
    return f"{x / 60:.1f}min" if x < 7200 else f"{x / 3600:.1f}h"


def format_within(seconds: float) -> str:
    """A target threshold: 20s, 1min, 1h, 24h, 48h."""
    if seconds % 3600 == 0:
        return f"{seconds / 3600:g}h"
    return f"{seconds / 60:g}min" if seconds % 60 == 0 else f"{seconds:g}s"


def render_plan(doc: dict, console: Console) -> None:
    """Print the `plan` document: roster, people and hours per group, targets on fresh
    seeds, cost, and the Erlang baseline beside it."""
    roster = Table(title=f"Plan for {doc['scenario']} — roster (agents on each shift)")
    for col in ("group", "shift", "start", "hours", "days", "agents", "paid h/week", "staff cost"):
        roster.add_column(
            col, justify="right" if col in ("agents", "paid h/week", "staff cost") else "left"
        )
    for line in doc["roster"]:
        roster.add_row(
            line["group"],
            line["shift"],
            line["start"],
            f"{line['length_h']:g}h",
            line["days"],
            str(line["agents"]),
            f"{line['paid_hours']:,.1f}",
            f"{line['staff_cost']:,.2f}",
        )
    console.print(roster)
    people = Table(title="Headcount and hours per group")
    for col in ("group", "headcount", "FTE", "paid h/week"):
        people.add_column(col, justify="left" if col == "group" else "right")
    for g, n in doc["headcount"].items():
        people.add_row(g, str(n), f"{doc['fte'][g]:.1f}", f"{doc['groups'][g]['paid_hours']:,.1f}")
    people.add_row(
        "total",
        str(sum(doc["headcount"].values())),
        f"{sum(doc['fte'].values()):.1f}",
        f"{doc['paid_hours']:,.1f}",
    )
    console.print(people)
    render_run(doc, console)
    for u in doc["unmet"]:
        console.print(f"[red]unmet[/red] {u['channel']} {u['metric']}: {u['reason']}")
    base = doc.get("erlang_baseline")
    if base is not None:
        compare = Table(title="Simulation plan vs per-interval Erlang C baseline (fresh seeds)")
        for col in ("", "headcount", "paid h/week", "weekly cost", "targets"):
            compare.add_column(col, justify="left" if col in ("", "targets") else "right")
        for name, d in (("ccsim plan", doc), ("Erlang C baseline", base)):
            missed = missed_targets(d)
            compare.add_row(
                name,
                str(sum(d["headcount"].values())),
                f"{d['paid_hours']:,.1f}",
                f"{d['cost']['total']:,.2f} {d['cost']['currency']}",
                "[green]all met[/green]" if not missed else "[red]missed: " + ", ".join(missed),
            )
        console.print(compare)
    s = doc["search"]
    console.print(
        f"search: {s['simulations']} simulated rosters ({s['replications']} replications each, "
        f"common random numbers), {s['correction_rounds']} correction round(s), "
        f"{'1-minimal' if s['one_minimal'] else 'NOT proven 1-minimal'}, {s['seconds']:.0f} s; "
        f"verified on {s['verify_replications']} fresh replications "
        "(met = one-sided 95% lower bound reaches the target)"
    )
