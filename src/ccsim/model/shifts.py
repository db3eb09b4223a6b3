"""Shifts and the roster turned into each agent's duty periods in simulation time.

Every roster line puts `agents` people of a group on a shift template; each person
works the template on its days. Shrinkage is modelled as absence: each person-day
is lost with probability `shrinkage` (drawn per roster line and person, so adding a
person does not change anyone else's absences). Consecutive days that abut (a 24-h
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
    """One continuous stretch of scheduled work: [start, end) and breaks (start, length)."""

    start: float
    end: float
    breaks: list[tuple[float, float]] = field(default_factory=list)


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
        rng = streams.get("absence", line.group, line.shift, str(occurrence))
        absent = (rng.random((line.agents, len(days))) < s.shrinkage).tolist()
        for person in range(line.agents):
            periods: list[DutyPeriod] = []
            for j, day in enumerate(days):
                if weekday[j] not in shift.days or absent[person][j]:
                    continue
                start = day * units.MINUTES_PER_DAY + shift.start
                end = start + shift.length
                if end <= t0 or start >= t1:
                    continue
                brks = [(start + b.after, b.length) for b in shift.breaks]
                if periods and periods[-1].end == start:
                    periods[-1].end = end
                    periods[-1].breaks += brks
                else:
                    periods.append(DutyPeriod(start, end, brks))
            if periods:
                plans.append(AgentPlan(line.group, i, periods))
    return plans
