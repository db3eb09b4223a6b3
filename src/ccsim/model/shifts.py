"""Shifts and the roster turned into each agent's duty periods in simulation time.

Every roster line puts `agents` people of a group on a shift template; each person
works the template on its days. Shrinkage is modelled as absence: each person-day
is lost with probability `shrinkage` (drawn per roster line and day, a draw per person
in order, so adding a person does not change anyone else's absences and a longer span
keeps the earlier days'). Consecutive days that abut (a 24-h
shift) form one duty period, so nobody "leaves" at midnight.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ccsim.model.streams import Streams
from ccsim.scenario import units
from ccsim.scenario.model import Scenario


@dataclass
class DutyPeriod:
    """One continuous stretch of scheduled work: [start, end) and breaks (start, length).

    `ends_shift` False: the end is where a staffing table's fractional count stops within
    an interval (`staffing_plans`), an average rather than a person's clock-out, so the
    work finished past it is not overtime."""

    start: float
    end: float
    breaks: list[tuple[float, float]] = field(default_factory=list)
    ends_shift: bool = True


@dataclass
class AgentPlan:
    """One person of the roster: group, roster line, and scheduled duty periods."""

    group: str
    line: int
    periods: list[DutyPeriod]


def agent_plans(s: Scenario, streams: Streams, t0: float, t1: float) -> list[AgentPlan]:
    """Duty periods of every rostered person overlapping [t0, t1), absences removed."""
    first_day = int(np.floor(t0 / units.MINUTES_PER_DAY)) - 1
    last_day = int(np.ceil(t1 / units.MINUTES_PER_DAY))
    days = range(first_day, last_day + 1)
    weekday = [(s.simulation.start_day_index + day) % 7 for day in days]
    plans: list[AgentPlan] = []
    seen: dict[tuple[str, str], int] = {}
    for i, line in enumerate(s.roster):
        shift = s.shifts[line.shift]
        occurrence = seen.get((line.group, line.shift), 0)
        seen[(line.group, line.shift)] = occurrence + 1
        # one stream per day (its number from time 0), one draw per person in order: a
        # person added keeps everyone else's absences, a longer span keeps the days before
        absent = np.array(
            [
                streams.get("absence", line.group, line.shift, str(occurrence), str(day)).random(
                    line.agents
                )
                < s.shrinkage
                for day in days
            ]
        ).T.tolist()
        for person in range(line.agents):
            periods: list[DutyPeriod] = []
            for j, day in enumerate(days):
                if weekday[j] not in shift.days or absent[person][j]:
                    continue
                start = day * units.MINUTES_PER_DAY + shift.start
                end = start + shift.length
                if end <= t0 or start >= t1:
                    continue
                brks = _breaks(start, shift.breaks, t0, person)
                if periods and periods[-1].end == start:
                    periods[-1].end = end
                    periods[-1].breaks += brks
                else:
                    periods.append(DutyPeriod(start, end, brks))
            if periods:
                plans.append(AgentPlan(line.group, i, periods))
    return plans


def _breaks(start: float, breaks: list, t0: float, person: int) -> list[tuple[float, float]]:
    """(start, length) of a shift's breaks; of a shift begun before the run (t0), what
    is left of them — a break over before t0 had been taken again, in full, at t0."""
    out = []
    for b in breaks:
        begin = start + b.begins(person)  # its turn, when the line takes it in turns
        end = begin + b.length
        if end > t0:
            out.append((max(begin, t0), end - max(begin, t0)))
    return out


def staffing_plans(s: Scenario, t0: float, t1: float) -> list[AgentPlan]:
    """Duty periods that give exactly the staffing table's agents on duty in every
    interval of [t0, t1): agent k of a group is on duty in an interval for the share
    min(1, max(0, agents − k)) of it, from its start; no shrinkage is applied (the table
    is who was on duty). Abutting stretches form one duty period; one that ends within
    an interval does not end a shift (no overtime past it)."""
    assert s.staffing is not None
    step = s.simulation.interval
    starts = np.arange(t0, t1, step)
    at, groups, agents = s.staffing.table()
    if s.staffing.weekly:  # minute of the week → every week of the simulated span
        offset = s.simulation.start_day_index * units.MINUTES_PER_DAY
        slot = np.round(np.mod(starts + offset, units.MINUTES_PER_WEEK) / step).astype(int)
    else:
        minutes = (at - s.simulation.origin).astype(float)
    plans: list[AgentPlan] = []
    for g in s.groups:
        if s.staffing.weekly:  # agents on duty per interval of [t0, t1)
            on_duty = _weekly(slot, at, groups, agents, g, step)
        else:
            on_duty = _dated(starts, minutes, groups, agents, g, step)
        if not on_duty.any():
            continue
        for k in range(int(np.ceil(on_duty.max() - 1e-9))):
            share = np.clip(on_duty - k, 0.0, 1.0)
            periods: list[DutyPeriod] = []
            for i in np.flatnonzero(share > 1e-9):
                start, end = starts[i], starts[i] + share[i] * step
                if periods and abs(periods[-1].end - start) < 1e-9:
                    periods[-1].end = end
                else:
                    periods.append(DutyPeriod(start, end))
                periods[-1].ends_shift = bool(share[i] > 1 - 1e-9)
            plans.append(AgentPlan(g, -1, periods))
    return plans


def _weekly(slot: np.ndarray, week_minutes, groups, agents, group: str, step: float) -> np.ndarray:
    """Agents on duty per interval from a weekly pattern (intervals not listed: none)."""
    per_slot = np.zeros(round(units.MINUTES_PER_WEEK / step))
    mine = groups == group
    np.add.at(per_slot, np.round(week_minutes[mine] / step).astype(int), agents[mine])
    return per_slot[slot]


def _dated(starts: np.ndarray, minutes, groups, agents, group: str, step: float) -> np.ndarray:
    """Agents on duty per interval from rows by date (intervals not listed: none)."""
    out = np.zeros(starts.size)
    mine = groups == group
    index = np.round((minutes[mine] - starts[0]) / step).astype(int) if starts.size else []
    inside = (index >= 0) & (index < starts.size)
    np.add.at(out, index[inside], agents[mine][inside])
    return out
