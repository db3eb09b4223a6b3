"""A readable summary of a scenario: channels, weekly volumes, roster, targets."""

from __future__ import annotations

import pandas as pd

from ccsim import units
from ccsim.scenario import Channel, Scenario


def opening_hours(channel: Channel) -> str:
    """`mon-fri 08:00-20:00; sat 09:00-14:00` or `24/7`."""
    if channel.open is None:
        return "24/7"
    parts = []
    for days, hours in channel.open.items():
        text = (
            "closed"
            if hours in ("closed", None)
            else (", ".join(hours) if isinstance(hours, list) else str(hours))
        )
        parts.append(f"{days} {text}")
    return "; ".join(parts)


def targets_text(s: Scenario, channel: str) -> str:
    """`80% in 20s, abandon ≤ 5%`."""
    target = s.targets.get(channel)
    if target is None:
        return "-"
    parts = [f"{t.at_least:.0%} in {units.format_duration(t.within)}" for t in target.service]
    if target.max_abandon is not None:
        parts.append(f"abandon ≤ {target.max_abandon:.0%}")
    return ", ".join(parts) or "-"


def channels_table(s: Scenario) -> pd.DataFrame:
    """One row per channel (plus escalation if targeted): kind, hours, volume, targets."""
    rows = []
    for name, ch in s.channels.items():
        arr = s.arrivals.get(name)
        weekly = arr.weekly if arr else 0.0
        deflected = s.faq_deflection * sum(
            r.mix.get(name, 0.0) for key, r in s.reasons.items() if key == "question"
        )
        rows.append(
            {
                "channel": name,
                "kind": ch.kind,
                "open": opening_hours(ch),
                "weekly": weekly,
                "after_faq": weekly * (1 - deflected),
                "groups": ", ".join(s.skilled_groups(name)),
                "targets": targets_text(s, name),
            }
        )
    if "escalation" in s.targets or s.escalation is not None:
        rows.append(
            {
                "channel": "escalation",
                "kind": "queue",
                "open": "24/7",
                "weekly": float("nan"),
                "after_faq": float("nan"),
                "groups": ", ".join(s.skilled_groups("escalation")),
                "targets": targets_text(s, "escalation"),
            }
        )
    return pd.DataFrame(rows)


def roster_table(s: Scenario) -> pd.DataFrame:
    """One row per roster line: group, shift, days, hours, agents, paid hours per week
    (the lines of `documents.roster_lines`, start and length shown together)."""
    from ccsim.documents import roster_lines

    rows = [
        {
            "group": line["group"],
            "shift": line["shift"],
            "days": line["days"],
            "hours": f"{line['start']}+{units.format_duration(s.shifts[line['shift']].length)}",
            "agents": line["agents"],
            "paid_hours": line["paid_hours"],
        }
        for line in roster_lines(s)
    ]
    return pd.DataFrame(rows, columns=["group", "shift", "days", "hours", "agents", "paid_hours"])


def render(s: Scenario, console=None) -> None:
    """Print the summary with rich tables."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    console.print(
        f"[bold]{s.name}[/bold]" + (f" — {s.description.strip()}" if s.description else "")
    )
    sim = s.simulation
    console.print(
        f"horizon {units.format_duration(sim.horizon)} from {sim.start_day}, warm-up "
        f"{units.format_duration(sim.warmup)}, interval {units.format_duration(sim.interval)}, "
        f"anger {'on' if s.anger.enabled else 'off'}, shrinkage {s.shrinkage:.0%}, "
        f"FAQ deflection {s.faq_deflection:.0%}"
    )
    ch = channels_table(s)
    table = Table(title="Channels")
    for col in ("channel", "kind", "open", "contacts/week", "groups", "targets"):
        table.add_column(col, justify="right" if col == "contacts/week" else "left")
    for row in ch.itertuples():
        volume = "-" if pd.isna(row.weekly) else f"{row.after_faq:,.0f}"
        table.add_row(row.channel, row.kind, row.open, volume, row.groups, row.targets)
    console.print(table)
    console.print(f"total contacts/week after FAQ deflection: {ch['after_faq'].sum():,.0f}")

    ro = roster_table(s)
    if ro.empty:
        console.print("roster: none (plan one with `ccsim plan`)")
        return
    table = Table(title="Roster")
    for col in ("group", "shift", "days", "hours", "agents", "paid h/week"):
        table.add_column(col, justify="right" if col in ("agents", "paid h/week") else "left")
    for row in ro.itertuples():
        table.add_row(
            row.group, row.shift, row.days, row.hours, str(row.agents), f"{row.paid_hours:,.1f}"
        )
    table.add_row(
        "total",
        "",
        "",
        "",
        str(ro["agents"].sum()),
        f"{ro['paid_hours'].sum():,.1f}",
        style="bold",
    )
    console.print(table)
