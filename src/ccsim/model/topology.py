"""The center's topology: its queues, which groups serve each, and its agents.

Queues are numbered: the channels in scenario order, then the escalation queue. Each
agent knows its skill queues grouped by priority (best first); each queue knows the
groups that serve it grouped by priority (best first). Built once per replication.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import simpy

from ccsim.model.events import Due
from ccsim.model.queues import CallQueue, EdfBacklog, FifoBacklog, Queue
from ccsim.model.shifts import AgentPlan
from ccsim.scenario.model import ESCALATION, Scenario

# one priority level of an agent's skills: its first queue (index, queue) and the
# others of the same priority, e.g. (0, phone, ()) or (2, whatsapp, ((4, social),))
Level = tuple[int, Queue, tuple[tuple[int, Queue], ...]]


class Agent:
    """One person: its group's skills, the work in hand and whether it takes more."""

    __slots__ = (
        "calm_rate",
        "chat_pool",
        "done",
        "duty",
        "ends",
        "gi",
        "idle_since",
        "index",
        "levels",
        "line",
        "load",
        "overtime",
        "since",
        "taking",
        "waiter",
    )

    def __init__(self, index: int, gi: int, line: int, levels: tuple[Level, ...], calm: float):
        self.index, self.gi, self.line = index, gi, line
        self.levels = levels  # its skill queues grouped by priority, best first
        self.calm_rate = calm  # empathy_decay × the group's empathy
        self.load = 0  # contacts in hand
        self.taking = False  # on duty, not on break, not leaving
        self.chat_pool: dict[Agent, None] | None = None  # the chat pool it belongs to
        self.done = Due.spare()  # the end of its handling, reused (ccsim.model.events)
        self.done.agent = self
        self.waiter: simpy.Event | None = None  # set while it finishes work to clock out
        self.duty: list[tuple[float, float]] = []  # available segments [start, end)
        self.since = 0.0
        self.idle_since = 0.0  # when it last became fully free (ties between groups)
        self.overtime: list[tuple[float, float]] = []  # past a shift's end [end, clock-out)
        self.ends = 0.0  # the end of its current shift


@dataclass
class AgentLog:
    """What one agent did: where it sat, when it was available, its overtime."""

    group: int
    line: int
    duty: list[tuple[float, float]]  # available segments [start, end) (breaks excluded)
    overtime: list[tuple[float, float]]  # worked past a shift's end [end, clock-out)


@dataclass
class Topology:
    """Queues, who serves them and the agents of one replication."""

    queues: list[Queue]
    escalation: int  # index of the escalation queue
    concurrency: list[int]  # sessions an agent may hold, per queue
    groups_for: list[list[list[int]]]  # per queue: its groups by priority, best first;
    # groups of the same priority share a level (the agent idle longest of them all first)
    agents: list[Agent]
    n_groups: int


def build(
    s: Scenario, arrival: list[float], expire: Sequence[float], plans: list[AgentPlan]
) -> Topology:
    """The topology of `s` for contacts with these arrival and give-up times."""
    names = list(s.channels)
    queues: list[Queue] = []
    for name, ch in s.channels.items():
        if ch.kind == "message":
            queues.append(_backlog(s, name, ch.discipline, arrival))
        else:
            queues.append(CallQueue(arrival, expire))
    queues.append(
        _backlog(s, ESCALATION, s.escalation.discipline if s.escalation else "fifo", arrival)
    )
    esc = len(names)

    groups = list(s.groups.values())
    group_names = list(s.groups)
    queue_of = {name: i for i, name in enumerate(names)} | {ESCALATION: esc}
    groups_for: list[list[list[int]]] = []
    for q in range(len(queues)):
        qname = names[q] if q < esc else ESCALATION
        levels: dict[int, list[int]] = {}
        for gi, g in enumerate(groups):
            if qname in g.skills:
                levels.setdefault(g.skills[qname], []).append(gi)
        groups_for.append([levels[p] for p in sorted(levels)])

    agents: list[Agent] = []
    for plan in plans:
        gi = group_names.index(plan.group)
        group = groups[gi]
        by_priority: dict[int, list[int]] = {}
        for skill, priority in group.skills.items():
            by_priority.setdefault(priority, []).append(queue_of[skill])
        levels = tuple(_level(sorted(by_priority[p]), queues) for p in sorted(by_priority))
        calm = s.anger.empathy_decay * group.empathy
        agents.append(Agent(len(agents), gi, plan.line, levels, calm))
    concurrency = [ch.concurrency for ch in s.channels.values()] + [1]
    return Topology(queues, esc, concurrency, groups_for, agents, len(groups))


def _level(skill_queues: list[int], queues: list[Queue]) -> Level:
    """The level of these queues (of one priority): the first one and the others."""
    first, *others = skill_queues
    return first, queues[first], tuple((q, queues[q]) for q in others)


def _backlog(s: Scenario, name: str, discipline: str, arrival: list[float]) -> Queue:
    """The backlog of a message channel (or `escalation`): EDF over its targets, if any."""
    if discipline == "edf" and name in s.targets:
        thresholds = [t.within for t in s.targets[name].service]
        if thresholds:
            return EdfBacklog(arrival, thresholds)
    return FifoBacklog(arrival)
