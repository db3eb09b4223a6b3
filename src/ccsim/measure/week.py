"""A measured window's figures as a week's: the factor that turns what was counted in
[0, horizon) into a week of the scenario.

A window of one day is not a seventh of a week: `scenarios/peaked_day.yaml` simulates
the Monday that holds the whole week's calls, and scaling its contacts by 7 days /
horizon made them 7 times the forecast (and the per-contact fees and the cost per
contact with them). So contacts scale by the channel's expected contacts in a week over
those in the window, and a group's overtime by its rostered time in a week over that in
the window. Where the scenario has no week to compare with — counts or a staffing table
by date — both are 7 days / horizon, the mean week of the window.
"""

from __future__ import annotations

import numpy as np

from ccsim.model import shifts
from ccsim.model.arrivals import expected_counts
from ccsim.scenario import timegrid, units
from ccsim.scenario.model import Scenario


def calendar_factor(s: Scenario) -> float:
    """7 days / horizon: the window's mean week."""
    return units.MINUTES_PER_WEEK / s.simulation.horizon


def contacts_factor(s: Scenario, channel: str) -> float:
    """A week's expected contacts of `channel` over those of the window — of a call or
    chat channel those that find it open, the only ones offered (the volume multiplier
    and the FAQ scale both alike); 7 days / horizon for counts by date, or when the
    window expects none (then nothing is counted to scale)."""
    if s.arrivals[channel].counts is not None:
        return calendar_factor(s)
    window = _offered(s, channel, s.simulation.horizon)
    week = _offered(s, channel, units.MINUTES_PER_WEEK)
    return week / window if window > 0 else calendar_factor(s)


def _offered(s: Scenario, channel: str, end: float) -> float:
    """Expected contacts of `channel` in [0, end) that are offered: a call or chat
    arriving while its channel is closed is not."""
    counts = expected_counts(s, channel, 0.0, end)
    spec = s.channels[channel]
    if spec.kind != "message":
        starts = np.arange(0.0, end, s.simulation.interval)
        counts = counts * timegrid.open_share(s, spec)[timegrid.week_slot(s, starts)]
    return float(counts.sum())


def duty_factor(s: Scenario, group: str) -> float:
    """A week's rostered minutes of `group` over those in the window (every shift worked
    in full, before absences) — of a weekly staffing table its agents on duty; 7 days /
    horizon with a table by date, or when the window holds none of the group's time."""
    horizon = s.simulation.horizon
    if s.staffing is not None:
        if not s.staffing.weekly:
            return calendar_factor(s)
        window = _on_duty(s, group, horizon)
        week = _on_duty(s, group, units.MINUTES_PER_WEEK)
        return week / window if window > 0 else calendar_factor(s)
    days = np.arange(-1, int(np.ceil(horizon / units.MINUTES_PER_DAY)) + 1)
    weekday = (s.simulation.start_day_index + days) % 7
    week = window = 0.0
    for line in s.roster:
        if line.group != group:
            continue
        shift = s.shifts[line.shift]
        starts = days * units.MINUTES_PER_DAY + shift.start
        worked = np.isin(weekday, list(shift.days))
        overlap = np.clip(
            np.minimum(starts + shift.length, horizon) - np.maximum(starts, 0), 0, None
        )
        window += line.agents * float(overlap[worked].sum())
        week += line.agents * shift.length * len(shift.days)
    return week / window if window > 0 else calendar_factor(s)


def _on_duty(s: Scenario, group: str, end: float) -> float:
    """Agent-minutes of `group` a weekly staffing table has on duty in [0, end)."""
    plans = shifts.staffing_plans(s, 0.0, end)
    return sum(p.end - p.start for a in plans if a.group == group for p in a.periods)
