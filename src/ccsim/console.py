"""Rich tables of a run for the terminal: targets per channel, agents per group."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.1%}"


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
        rows = [
            (
                f"{_within(t['within_s'])} ≥ {t['at_least']:.0%}",
                t["mean"],
                t["ci"],
                t["met"],
            )
            for t in ch["service"]
        ]
        if "max_abandon" in ch:
            a = ch["abandon_rate"]
            rows.append(
                (
                    f"abandon ≤ {ch['max_abandon']['limit']:.0%}",
                    a["mean"],
                    a["ci"],
                    ch["max_abandon"]["met"],
                )
            )
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
                _seconds(ch["asa_s"]["mean"]) if i == 0 else "",
                _seconds(ch["aht_s"]["mean"]) if i == 0 else "",
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


def _seconds(x: float | None) -> str:
    """A duration in seconds the way a planner reads it: 14s, 5.3min, 9.8h."""
    if x is None:
        return "-"
    if x < 120:
        return f"{x:.0f}s"
    return f"{x / 60:.1f}min" if x < 7200 else f"{x / 3600:.1f}h"


def _within(seconds: float) -> str:
    """A target threshold: 20s, 1min, 1h, 24h, 48h."""
    if seconds % 3600 == 0:
        return f"{seconds / 3600:g}h"
    return f"{seconds / 60:g}min" if seconds % 60 == 0 else f"{seconds:g}s"
