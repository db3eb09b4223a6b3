"""A readable summary of a scenario (what `ccsim show` prints): channels, weekly
volumes, roster lines, targets — as tables; `ccsim.report.console` draws them."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ccsim.scenario import units
from ccsim.scenario.model import Channel, Distribution, Patience, Scenario, Shift


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
    parts = [
        f"{units.percent(t.at_least)} in {units.format_duration(t.within)}{t.scope_text}"
        for t in target.service
    ]
    if (a := target.max_abandon) is not None:
        parts.append(f"abandon ≤ {units.percent(a.at_most)}{a.scope_text}")
    return ", ".join(parts) or "-"


def duration_text(d: Distribution) -> str:
    """`3min exponential`, `8min lognormal cv 0.8`, `4min weibull shape 0.7`, `2min
    fixed`: a duration's mean (to three digits: `6.37min`), then its distribution."""
    text = f"{units.readable_duration(d.mean)} {d.dist}"
    if d.dist in ("lognormal", "gamma") and d.cv is not None:
        text += f" cv {d.cv:g}"
    if d.dist == "weibull" and d.shape is not None:
        text += f" shape {d.shape:g}"
    return text


def patience_text(channel: Channel) -> str:
    """`3min weibull shape 0.7, 5% balk`; `never abandon` without patience; `-` for a
    message channel (its customers do not hang up)."""
    if channel.kind == "message":
        return "-"
    patience: Patience | None = channel.patience
    if patience is None:
        return "never abandon"
    balk = f", {units.percent(patience.balk)} balk" if patience.balk else ""
    return duration_text(patience) + balk


def reasons_table(s: Scenario) -> pd.DataFrame:
    """One row per reason: its share of each channel, resolution time, and what else it
    does (a prepared answer, always escalating)."""
    rows = []
    for name, r in s.reasons.items():
        notes = [
            ("prepared answer" if r.prepared_answer else ""),
            ("escalates" if r.escalate else ""),
        ]
        rows.append(
            {
                "reason": name,
                "mix": ", ".join(f"{ch} {units.percent(v)}" for ch, v in r.mix.items() if v),
                "resolve": duration_text(r.resolve),
                "notes": ", ".join(n for n in notes if n) or "-",
            }
        )
    if s.escalation is not None:  # (its resolution time was nowhere but in the file)
        resolve = duration_text(s.escalation.resolve)
        rows.append({"reason": "escalation", "mix": "-", "resolve": resolve, "notes": "queue"})
    return pd.DataFrame(rows)


def channels_table(s: Scenario) -> pd.DataFrame:
    """One row per channel (plus escalation if targeted): kind, hours, volume, targets."""
    rows = []
    for name, ch in s.channels.items():
        arr = s.arrivals.get(name)
        weekly = arr.per_week() if arr else 0.0
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
                "patience": patience_text(ch),
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
                "patience": "-",
                "targets": targets_text(s, "escalation"),
            }
        )
    return pd.DataFrame(rows)


def roster_lines(s: Scenario) -> list[dict[str, Any]]:
    """Roster lines with their shift's start, length, days and the paid hours per week
    (`ccsim.finance.cost.roster_lines` adds the staff cost)."""
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
            }
        )
    return lines


def roster_table(s: Scenario) -> pd.DataFrame:
    """One row per roster line: group, shift, days, hours (start+length), agents, paid
    hours per week."""
    rows = [
        {
            "group": line["group"],
            "shift": line["shift"],
            "days": line["days"],
            "hours": f"{line['start']}+{units.format_duration(s.shifts[line['shift']].length)}",
            "agents": line["agents"],
            "paid_hours": line["paid_hours"],
            "breaks": breaks_text(s.shifts[line["shift"]], line["agents"]),
        }
        for line in roster_lines(s)
    ]
    columns = ["group", "shift", "days", "hours", "agents", "paid_hours", "breaks"]
    return pd.DataFrame(rows, columns=columns)


def breaks_text(shift: Shift, agents: int) -> str:
    """`12:00+30min all at once, 16:00+15min paid` — each break's start, length, whether
    paid, and whether the line's people take it together (nobody of the line on duty
    then) or in turns: a whole line's break left a channel unanswered unseen (`show` had
    no breaks: a hand editor's walkthrough, 2026-12-07)."""
    parts = []
    for b in shift.breaks:
        turns = min(b.turns, agents)
        how = f" in {turns} turns" if turns > 1 else " all at once" if agents > 1 else ""
        paid = " paid" if b.paid else ""
        parts.append(
            f"{units.format_clock((shift.start + b.after) % units.MINUTES_PER_DAY)}+"
            f"{units.format_duration(b.length)}"
            f"{paid}{how}"
        )
    return ", ".join(parts) or "-"
