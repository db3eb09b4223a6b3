"""The SimPy model: contacts arrive, wait in queues, and are handled by agents on shifts.

Kept thin and fast: the per-contact path uses only timeouts with callbacks (one for
the arrival, one for the end of each handling; `Due`, a lighter `Timeout`) and the
deques of `ccsim.routing`; agents' shifts and breaks are one SimPy process per agent (not per
contact). All randomness was drawn beforehand (`ccsim.contacts`), so the model is
deterministic given its inputs.

Routing: an arriving contact goes to a free agent of the skilled group with the
best priority for its channel (chat: an agent already chatting with a free slot
first); otherwise it queues. A free agent takes the oldest waiting contact of its
highest-priority non-empty skill queue. Breaks and shift ends wait for the work in
hand to finish (overtime is recorded).
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from heapq import heappush
from math import exp, log

import numpy as np
import simpy
from simpy.events import NORMAL

from ccsim.anger import anger_after_wait
from ccsim.arrivals import open_changes
from ccsim.contacts import Contacts
from ccsim.routing import INF, Backlog, CallQueue, FifoBacklog
from ccsim.scenario import ESCALATION, Scenario
from ccsim.shifts import AgentPlan

NAN = float("nan")
Queue = CallQueue | FifoBacklog | Backlog


class Due:
    """A timeout at a fraction of the cost of `simpy.Timeout`, for the per-contact events.

    SimPy's event loop reads only an event's `callbacks` (calling each with the event)
    and `_ok`. A Due schedules itself `delay` after now at normal priority as a Timeout
    does (the body of `Environment.schedule`, inlined), so events keep their order; `at`
    is its time, the simulation clock when its callbacks run."""

    __slots__ = ("at", "callbacks", "value")
    _ok = True

    def __init__(self, env: simpy.Environment, delay: float, callbacks: tuple, value: int):
        self.callbacks = callbacks  # a shared tuple: SimPy only replaces it by None
        self.value = value
        self.at = at = env._now + delay
        heappush(env._queue, (at, NORMAL, next(env._eid), self))


@dataclass
class AgentLog:
    """What one agent did: where it sat, when it was available, its overtime."""

    group: int
    line: int
    duty: list[tuple[float, float]]  # available segments [start, end) (breaks excluded)
    overtime: float


def escalation_threshold(s: Scenario) -> float:
    """Anger at pick-up above which a contact escalates (a_peak > escalate_above).

    a_peak is a_w for calm customers and min(1, a_w·(1 + peak_gain)) for venting ones,
    a non-decreasing function of a_w, so the rule is a threshold on a_w (inf = never).
    """
    a = s.anger
    if not a.enabled or a.escalate_above >= 1.0:
        return INF
    if a.escalate_above < a.calm_below:
        return a.escalate_above
    return max(a.calm_below, a.escalate_above / (1.0 + a.peak_gain))


def peak_anger(s: Scenario, a_w: np.ndarray) -> np.ndarray:
    """a_peak per contact from a_w (equal to a_w for customers who do not vent)."""
    a = s.anger
    return np.where(a_w > a.calm_below, np.minimum(1.0, a_w * (1.0 + a.peak_gain)), a_w)


class Agent:
    """One person: its group's skills, the work in hand and whether it takes more."""

    __slots__ = (
        "calm_rate",
        "duty",
        "gi",
        "idle",
        "index",
        "levels",
        "line",
        "load",
        "overtime",
        "partial",
        "since",
        "taking",
        "waiter",
    )

    def __init__(
        self,
        index: int,
        gi: int,
        line: int,
        levels: list[list[tuple[int, Queue]]],
        calm_rate: float,
        pools: tuple[dict[Agent, None], dict[Agent, None]],
    ):
        self.index, self.gi, self.line = index, gi, line
        self.levels = levels  # (index, queue) grouped by priority, best first
        self.idle, self.partial = pools  # its group's pools of free agents (see Center)
        self.calm_rate = calm_rate  # empathy_decay × empathy
        self.load = 0  # contacts in hand
        self.taking = False  # on duty, not on break, not leaving
        self.waiter: simpy.Event | None = None
        self.duty: list[tuple[float, float]] = []
        self.since = 0.0
        self.overtime = 0.0


class Center:
    """The contact center of one replication."""

    # slots: faster attribute access on the hot path (over 30 attributes in a __dict__
    # make every lookup a dictionary search)
    __slots__ = (
        "_n",
        "_on_arrive",
        "_on_finish",
        "a0",
        "agent_of",
        "agents",
        "anger_on",
        "answer",
        "any_chat",
        "arrival",
        "balks",
        "c",
        "calm",
        "chan",
        "concurrency",
        "end",
        "env",
        "esc",
        "esc_agent",
        "esc_end",
        "esc_queued",
        "esc_resolve",
        "esc_start",
        "escalate_a_w",
        "escalates",
        "expire",
        "gain1",
        "group_names",
        "groups_for",
        "idle",
        "idle_for",
        "n_channels",
        "partial",
        "pools_for",
        "queues",
        "reply",
        "resolve",
        "rise",
        "s",
        "slowdown",
        "t0",
        "t1",
        "tolerance",
        "wrapup",
    )

    def __init__(
        self, s: Scenario, contacts: Contacts, plans: list[AgentPlan], t0: float, t1: float
    ):
        self.s, self.c, self.t0, self.t1 = s, contacts, t0, t1
        self.env = simpy.Environment(initial_time=t0)
        names = list(s.channels)
        self.n_channels = len(names)
        self.esc = len(names)  # queue index of the escalation queue
        self.slowdown = [ch.concurrency_slowdown for ch in s.channels.values()]
        self.tolerance = [ch.tolerance for ch in s.channels.values()]

        # per-contact inputs as Python lists: fast scalar access on the hot path
        self.arrival = contacts.arrival.tolist()
        self.chan = contacts.channel.tolist()
        self.a0 = contacts.a0.tolist()
        self.resolve = contacts.resolve.tolist()
        self.wrapup = contacts.wrapup.tolist()
        self.esc_resolve = contacts.esc_resolve.tolist()
        self.escalates = contacts.esc_forced.tolist()  # set at pick-up for angry customers
        self.expire = (contacts.arrival + contacts.patience).tolist()
        balk = [ch.patience.balk if ch.patience else 0.0 for ch in s.channels.values()]
        self.balks = (contacts.balk_u < np.array([*balk, 0.0])[contacts.channel]).tolist()
        n = len(contacts)
        # outcomes: compact typed arrays (8 bytes a value, no float objects)
        nan = array("d", [NAN]) * n
        self.answer, self.reply, self.end = array("d", nan), array("d", nan), array("d", nan)
        self.esc_queued, self.esc_start, self.esc_end = array("d", nan), array("d", nan), nan
        self.agent_of = array("l", [-1]) * n
        self.esc_agent = array("l", [-1]) * n

        # queues: channels in scenario order, then escalation
        self.queues: list[Queue] = []
        for name, ch in s.channels.items():
            if ch.kind == "message":
                self.queues.append(self._backlog(name, ch.discipline))
            else:
                self.queues.append(CallQueue(self.arrival, self.expire))
        esc_discipline = s.escalation.discipline if s.escalation else "fifo"
        self.queues.append(self._backlog(ESCALATION, esc_discipline))

        # groups: who serves which queue, in priority order
        groups = list(s.groups.values())
        self.group_names = list(s.groups)
        queue_of = {name: i for i, name in enumerate(names)} | {ESCALATION: self.esc}
        self.groups_for: list[list[int]] = []
        for q in range(len(self.queues)):
            qname = names[q] if q < self.esc else ESCALATION
            skilled = [(g.skills[qname], gi) for gi, g in enumerate(groups) if qname in g.skills]
            self.groups_for.append([gi for _, gi in sorted(skilled)])
        self.idle: list[dict[Agent, None]] = [{} for _ in groups]  # longest idle first
        self.partial: list[dict[Agent, None]] = [{} for _ in groups]  # chatting, slot free
        self.idle_for = [[self.idle[gi] for gi in gis] for gis in self.groups_for]
        self.pools_for = [
            [(self.partial[gi], self.idle[gi]) for gi in gis] for gis in self.groups_for
        ]
        a = s.anger
        self.agents: list[Agent] = []
        for plan in plans:
            gi = self.group_names.index(plan.group)
            g = groups[gi]
            by_priority: dict[int, list[int]] = {}
            for skill, priority in g.skills.items():
                by_priority.setdefault(priority, []).append(queue_of[skill])
            levels = [
                [(q, self.queues[q]) for q in sorted(by_priority[p])] for p in sorted(by_priority)
            ]
            pools = self.idle[gi], self.partial[gi]
            calm_rate = a.empathy_decay * g.empathy
            agent = Agent(len(self.agents), gi, plan.line, levels, calm_rate, pools)
            self.agents.append(agent)
            self.env.process(self._life(agent, plan))
        self.concurrency = [ch.concurrency for ch in s.channels.values()] + [1]
        self.gain1 = 1.0 + a.peak_gain
        self.anger_on = a.enabled
        self.any_chat = max(self.concurrency) > 1
        self.escalate_a_w = escalation_threshold(s)
        self.calm, self.rise = a.calm_below, a.rise_rate
        for q, ch in enumerate(s.channels.values()):
            if ch.kind == "message" and ch.windows is not None:
                self._schedule_opening(q, ch)

    # --- set-up helpers ---------------------------------------------------------------

    def _backlog(self, name: str, discipline: str) -> FifoBacklog | Backlog:
        """The backlog of a message channel (or `escalation`): EDF over its targets, if any."""
        if discipline == "edf" and name in self.s.targets:
            thresholds = [t.within for t in self.s.targets[name].service]
            if thresholds:
                return Backlog(self.arrival, thresholds)
        return FifoBacklog(self.arrival)

    def _schedule_opening(self, q: int, channel) -> None:
        from ccsim.arrivals import is_open

        queue = self.queues[q]
        queue.open = bool(is_open(self.s, channel, np.array([self.t0]))[0])
        for t, now_open in open_changes(self.s, channel, self.t0, self.t1):
            if t > self.t0:
                ev = self.env.timeout(t - self.t0, value=(q, now_open))
                ev.callbacks.append(self._opening)

    def _opening(self, event: simpy.Event) -> None:
        q, now_open = event.value
        self.queues[q].open = now_open
        if now_open:
            for gi in self.groups_for[q]:
                for agent in list(self.idle[gi]):
                    if agent in self.idle[gi]:
                        del self.idle[gi][agent]
                        self._take_work(agent, self.env.now)

    # --- running ------------------------------------------------------------------------

    def run(self) -> None:
        """Simulate [t0, t1)."""
        self._n = len(self.arrival)
        self._on_arrive, self._on_finish = (self._arrive,), (self._finish,)  # bound once
        if self._n:
            Due(self.env, self.arrival[0] - self.t0, self._on_arrive, 0)
        self.env.run(until=self.t1)
        now = self.env.now
        for agent in self.agents:  # close the books of agents still working
            if agent.taking or agent.load:
                agent.duty.append((agent.since, now))

    def _arrive(self, event: Due) -> None:
        """Arrival of contact `event.value`, and of the ones after it that come before any
        other scheduled event (handled here at their own time, saving an event each)."""
        env, arrival, chan, queues, n = self.env, self.arrival, self.chan, self.queues, self._n
        balks, expire, free_agent, start = self.balks, self.expire, self._free_agent, self._start
        heap = env._queue  # never empty here: run()'s stop event at t1 is in it
        c = event.value
        t = clock = event.at
        while True:
            q = chan[c]
            queue = queues[q]
            agent = free_agent(q) if queue.open else None
            if agent is not None:
                start(agent, c, q, t, t - clock)
            elif balks[c]:
                expire[c] = t  # hangs up at once rather than wait
            else:
                queue.push(c)
            c += 1
            if c >= n:
                break
            t = arrival[c]
            if t >= heap[0][0]:  # something else happens first: wait for it
                Due(env, t - clock, self._on_arrive, c)
                break

    def _free_agent(self, q: int) -> Agent | None:
        """A free agent for queue q by group priority, the one idle longest."""
        if self.concurrency[q] > 1:
            return self._free_chat_agent(q)
        for pool in self.idle_for[q]:
            for agent in pool:  # the first one (dicts keep insertion order)
                del pool[agent]
                return agent
        return None

    def _free_chat_agent(self, q: int) -> Agent | None:
        """A free agent for chat queue q by group priority: fill open sessions first."""
        concurrency = self.concurrency[q]
        for partial, idle in self.pools_for[q]:
            for agent in partial:
                if agent.load + 1 >= concurrency:
                    del partial[agent]
                return agent
            for agent in idle:
                del idle[agent]
                partial[agent] = None
                return agent
        return None

    def _start(self, agent: Agent, c: int, q: int, now: float, ahead: float = 0.0) -> None:
        """Agent starts handling contact c from queue q at time `now`, which is `ahead` of
        the simulation clock (> 0 only for arrivals handled ahead of it)."""
        load = agent.load = agent.load + 1
        if q == self.esc:
            self.esc_start[c] = now
            self.esc_agent[c] = agent.index
            Due(self.env, ahead + self.esc_resolve[c], self._on_finish, ~c)
            return
        work = self.resolve[c]
        if self.anger_on:  # anger at pick-up, venting, escalation: DESIGN.md §3
            a_w = 1.0 - (1.0 - self.a0[c]) * exp((self.arrival[c] - now) / self.tolerance[q])
            if a_w > self.calm:
                peak = a_w * self.gain1
                if peak > 1.0:
                    peak = 1.0
                work += log(peak / a_w) / self.rise + log(peak / self.calm) / agent.calm_rate
            if a_w > self.escalate_a_w:
                self.escalates[c] = True
        if load > 1:  # a chat session beside others takes longer
            work *= 1.0 + self.slowdown[q] * (load - 1)
        self.answer[c] = now
        self.reply[c] = now + work
        self.agent_of[c] = agent.index
        Due(self.env, ahead + work + self.wrapup[c], self._on_finish, c)

    def _finish(self, event: Due) -> None:
        """End of a handling: escalate if needed, free the agent, take more work."""
        c, now = event.value, event.at
        if c < 0:
            c = ~c
            self.esc_end[c] = now
            agent = self.agents[self.esc_agent[c]]
        else:
            self.end[c] = now
            agent = self.agents[self.agent_of[c]]
            if self.escalates[c]:
                self._escalate(c, now)
        load = agent.load = agent.load - 1
        if not agent.taking:
            if load == 0 and agent.waiter is not None:
                agent.waiter.succeed()
            return
        if load == 0:
            if self.any_chat:
                agent.partial.pop(agent, None)
            self._take_work(agent, now)
            return
        q = self.chan[c]  # still chatting: may take another session of this chat queue
        queue = self.queues[q]
        if queue.size and queue.peek(now) < INF:
            self._start(agent, queue.pop(), q, now)
            if agent.load >= self.concurrency[q]:
                agent.partial.pop(agent, None)
        else:
            agent.partial[agent] = None

    def _escalate(self, c: int, now: float) -> None:
        """Contact c continues to the escalation queue after its first handling."""
        self.esc_queued[c] = now
        helper = self._free_agent(self.esc)
        if helper is not None:
            self._start(helper, c, self.esc, now)
        else:
            self.queues[self.esc].push(c)

    def _take_work(self, agent: Agent, now: float) -> None:
        """A fully free agent takes the oldest contact of its best non-empty queue."""
        for level in agent.levels:
            best_q, best_queue, best_t = -1, None, INF
            for q, queue in level:
                if queue.size and queue.open:
                    t = queue.peek(now)
                    if t < best_t:
                        best_q, best_queue, best_t = q, queue, t
            if best_queue is not None:
                self._start(agent, best_queue.pop(), best_q, now)
                cap = self.concurrency[best_q]
                if cap > 1:
                    while agent.load < cap and best_queue.peek(now) < INF:
                        self._start(agent, best_queue.pop(), best_q, now)
                    if agent.load < cap:
                        agent.partial[agent] = None
                return
        agent.idle[agent] = None

    # --- shifts ---------------------------------------------------------------------------

    def _clock_in(self, agent: Agent) -> None:
        agent.taking = True
        agent.since = self.env.now
        self._take_work(agent, self.env.now)

    def _clock_out(self, agent: Agent):
        """Stop taking work; wait for the work in hand; record the available segment."""
        agent.taking = False
        agent.idle.pop(agent, None)
        agent.partial.pop(agent, None)
        if agent.load:
            agent.waiter = self.env.event()
            yield agent.waiter
            agent.waiter = None
        agent.duty.append((agent.since, self.env.now))

    def _life(self, agent: Agent, plan: AgentPlan):
        """An agent's shifts: clock in, breaks, clock out (finishing the work in hand)."""
        env = self.env
        for period in plan.periods:
            if period.start > env.now:
                yield env.timeout(period.start - env.now)
            if env.now >= period.end:
                continue
            self._clock_in(agent)
            for start, length in period.breaks:
                if start > env.now:
                    yield env.timeout(start - env.now)
                if env.now >= period.end:
                    break
                yield from self._clock_out(agent)
                yield env.timeout(length)
                if env.now < period.end:
                    self._clock_in(agent)
            if not agent.taking:
                continue
            if period.end > env.now:
                yield env.timeout(period.end - env.now)
            yield from self._clock_out(agent)
            agent.overtime += env.now - period.end

    def logs(self) -> list[AgentLog]:
        return [AgentLog(a.gi, a.line, a.duty, a.overtime) for a in self.agents]

    def outcomes(self) -> dict[str, np.ndarray]:
        """Outcome columns as numpy arrays (zero-copy views of the typed arrays)."""
        as_np = lambda a: np.frombuffer(a, dtype=np.float64 if a.typecode == "d" else np.int64)  # noqa: E731
        c = self.c
        tolerance = np.array([*self.tolerance, np.inf])[c.channel]
        a_w = anger_after_wait(c.a0, as_np(self.answer) - c.arrival, tolerance)
        return {
            "answer": as_np(self.answer),
            "reply": as_np(self.reply),
            "end": as_np(self.end),
            "a_w": a_w,
            "a_peak": peak_anger(self.s, a_w),
            "agent": as_np(self.agent_of),
            "expire": np.array(self.expire),
            "esc_queued": as_np(self.esc_queued),
            "esc_start": as_np(self.esc_start),
            "esc_end": as_np(self.esc_end),
            "esc_agent": as_np(self.esc_agent),
        }
