"""The SimPy model: contacts arrive, wait in queues, and are handled by agents on shifts.

Kept thin and fast: the per-contact path uses only `Due` events with callbacks (one for
the end of each handling; `ccsim.model.events`), the queues of `ccsim.model.queues` and
the pools of the routing policy (`ccsim.model.routing`); agents' shifts and breaks are
one SimPy process per agent (not per contact). Arrivals need no event: every event of
the model ends by admitting the arrivals that come before the next scheduled event, at
their own times (`Center._admit`), so SimPy's clock order is kept. All
randomness was drawn beforehand (`ccsim.model.contacts`), so the model is deterministic
given its inputs. The topology is built by `ccsim.model.topology`; the outcome columns
derived after the run by `ccsim.model.outcomes`. The run stops early, at an interval
boundary of the cool-down, once every measured contact is settled (`ccsim.model.settled`).

Breaks and shift ends wait for the work in hand to finish (overtime is recorded).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from heapq import heappush
from math import exp, log

import numpy as np
import simpy
from simpy.events import NORMAL

from ccsim.model import outcomes, settled, topology
from ccsim.model.anger import escalation_threshold
from ccsim.model.contacts import Contacts
from ccsim.model.events import Due
from ccsim.model.queues import INF
from ccsim.model.routing import Router
from ccsim.model.shifts import AgentPlan
from ccsim.model.topology import Agent, AgentLog
from ccsim.scenario.model import Scenario
from ccsim.scenario.timegrid import is_open, open_changes

NAN = float("nan")


class Center:
    """The contact center of one replication: its event callbacks and shift processes."""

    # slots: faster attribute access on the hot path
    __slots__ = (
        "_admit_with",
        "_eid",
        "_heap",
        "_lives",
        "_next",
        "_next_queue",
        "_on_finish",
        "_unsettled",
        "a0",
        "a_arrived",
        "agent_of",
        "agents",
        "anger_on",
        "answer",
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
        "measured_end",
        "queues",
        "reply",
        "resolve",
        "rise",
        "router",
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
        self._heap, self._eid = self.env._queue, self.env._eid  # hot path, bound once
        self.slowdown = [ch.concurrency_slowdown for ch in s.channels.values()]
        self.tolerance = [ch.tolerance for ch in s.channels.values()]

        # per-contact inputs read often as Python lists (fast scalar access on the hot
        # path), those read at most once a contact as typed arrays (no Python float
        # made for each value up front: a list of 0.5 M floats takes ~12 ms to build)
        self.arrival = contacts.arrival.tolist()
        self.arrival.append(INF)  # an endless arrival: what `_admit` reads after the last
        self.chan = contacts.channel.tolist()
        # a_arrived: anger at pick-up of a contact answered on arrival (no wait: exp(0) = 1),
        # the same float operations as `_start` does for the others
        self.a0, self.a_arrived, self.resolve, self.wrapup, self.esc_resolve = (
            array("d", np.ascontiguousarray(x, float).tobytes())
            for x in (
                contacts.a0,
                1.0 - (1.0 - contacts.a0),
                contacts.resolve,
                contacts.wrapup,
                contacts.esc_resolve,
            )
        )
        self.escalates = contacts.esc_forced.tolist()  # set at pick-up for angry customers
        self.expire = array("d", (contacts.arrival + contacts.patience).tobytes())  # balks set it
        balk = [ch.patience.balk if ch.patience else 0.0 for ch in s.channels.values()]
        self.balks = (contacts.balk_u < np.array([*balk, 0.0])[contacts.channel]).tolist()
        n = len(contacts)
        # outcomes: compact typed arrays (8 bytes a value on every platform), written
        # through memoryviews (a store takes a third less time than into the array itself)
        nan = array("d", [NAN]) * n
        self.answer, self.reply, self.end, self.esc_queued, self.esc_start, self.esc_end = (
            memoryview(array("d", nan)) for _ in range(6)
        )
        self.agent_of = memoryview(array("q", [-1]) * n)
        self.esc_agent = memoryview(array("q", [-1]) * n)

        top = topology.build(s, self.arrival, self.expire, plans)
        self.queues, self.esc, self.concurrency = top.queues, top.escalation, top.concurrency
        self.agents = top.agents
        self.router = Router(top)
        self._next_queue = self.router.next_queue
        a = s.anger
        self.gain1 = 1.0 + a.peak_gain
        self.anger_on = a.enabled
        self.escalate_a_w = escalation_threshold(a)
        self.calm, self.rise = a.calm_below, a.rise_rate
        self._lives = []
        for agent, plan in zip(self.agents, plans, strict=True):
            generator = self._life(agent, plan)
            life = self.env.process(generator)
            life.callbacks.append(self._admit)  # its end is an event too
            self._lives.append((life, generator))
        for q, ch in enumerate(s.channels.values()):
            if ch.kind == "message" and ch.windows is not None:
                self.queues[q].open = bool(is_open(s, ch, t0))
                for t, now_open in open_changes(s, ch, t0, t1):
                    if t > t0:
                        Due(self.env, t, (self._opening, self._admit), (q, now_open))
        # the measured contacts (arrival in [0, horizon)) and the cool-down's checks
        self._unsettled = bisect_left(self.arrival, 0.0)
        self.measured_end = bisect_left(self.arrival, s.simulation.horizon)
        step, at = s.simulation.interval, s.simulation.horizon
        while at < t1:
            if at >= t0:
                Due(self.env, at, (self._settle, self._admit), None)
            at += step

    def _settle(self, event: Due) -> None:
        """In the cool-down: stop the run once every measured contact is settled."""
        self._unsettled = settled.first_unsettled(
            event.at,
            self._unsettled,
            self.measured_end,
            answer=self.answer,
            end=self.end,
            esc_end=self.esc_end,
            expire=self.expire,
            escalates=self.escalates,
        )
        if self._unsettled >= self.measured_end:
            raise simpy.core.StopSimulation(None)  # what SimPy's run(until=…) raises

    def _opening(self, event: Due) -> None:
        """A message channel opens (its backlog can be worked) or closes."""
        q, now_open = event.value
        queue = self.queues[q]
        queue.open = now_open
        if now_open:
            for agent in self.router.idle_agents(q):
                if not (queue.size and queue.peek(event.at) < INF):
                    break  # nothing left: the others keep their place in line
                if self.router.take_out(agent):
                    self._take_work(agent, event.at)

    # --- running ------------------------------------------------------------------------

    def run(self) -> None:
        """Simulate [t0, t1)."""
        self._next = 0
        self._on_finish = (self._finish,)  # bound once
        self._admit_with = (  # what `_admit` reads, in one tuple: it runs every other event
            self.arrival,
            self.chan,
            self.queues,
            self.balks,
            self.expire,
            self.router.routed,
            self.router.idle_for,
            self._start,
        )
        self.env.run(until=self.t1)
        now = self.env.now
        for agent in self.agents:  # close the books of agents still working
            if agent.taking or agent.load:
                agent.duty.append((agent.since, now))
            if agent.waiter is not None:  # still finishing work to clock out
                self._overtime(agent, agent.ends)

    def _admit(self, event: object = None) -> None:
        """Handle the arrivals that come before the next scheduled event, each at its own
        time (ahead of the simulation clock): the last callback of every event of the
        model, and what an agent's process does before it waits. Nothing that happens
        before the next event can change what these arrivals find, so the order is the
        one SimPy would give them as events, without an event each."""
        c = self._next
        t = self.arrival[c]
        heap = self._heap  # never empty here: run()'s stop event at t1 is in it
        if t >= heap[0][0]:  # (the last arrival is followed by an endless one)
            return
        arrival, chan, queues, balks, expire, routed, idle_for, start = self._admit_with
        while True:
            q = chan[c]
            queue = queues[q]
            if not queue.open:
                agent = None
            elif (route := routed[q]) is not None:  # chat, or groups of the same priority
                agent = route(q)
            else:  # the first agent of the best pool (`Router.free_agent`, inlined)
                agent = None
                for pool in idle_for[q]:
                    if pool:
                        agent = next(iter(pool))
                        del pool[agent]
                        break
            if agent is not None:
                start(agent, c, q, t)
            elif balks[c]:
                expire[c] = t  # hangs up at once rather than wait
            else:
                queue.push(c)
            c += 1
            t = arrival[c]
            if t >= heap[0][0]:  # something else happens first: wait for it
                break
        self._next = c

    def _start(self, agent: Agent, c: int, q: int, now: float) -> None:
        """Agent starts handling contact c from channel queue q at time `now` (at or
        ahead of the simulation clock: arrivals are handled ahead of it, see `_admit`),
        and the end of the handling is scheduled: on the agent's own Due once SimPy ran
        it (no allocation on the per-contact path), on a new one while it holds another
        chat session."""
        load = agent.load = agent.load + 1
        work = self.resolve[c]
        if self.anger_on:  # anger at pick-up, venting, escalation: ccsim.model.anger
            arrived = self.arrival[c]
            if arrived == now:  # about half the contacts: no wait, no exp
                a_w = self.a_arrived[c]
            else:
                a_w = 1.0 - (1.0 - self.a0[c]) * exp((arrived - now) / self.tolerance[q])
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
        reply = self.reply[c] = now + work
        self.agent_of[c] = agent.index
        at = reply + self.wrapup[c]
        done = agent.done
        if done.callbacks is None:
            done.at, done.callbacks, done.value = at, self._on_finish, c
            heappush(self._heap, (at, NORMAL, next(self._eid), done))
        else:
            Due(self.env, at, self._on_finish, c, agent)

    def _start_escalated(self, agent: Agent, c: int, now: float) -> None:
        """Agent starts the escalated handling of contact c; its end carries ~c."""
        agent.load += 1
        self.esc_start[c] = now
        self.esc_agent[c] = agent.index
        Due(self.env, now + self.esc_resolve[c], self._on_finish, ~c, agent)

    def _finish(self, event: Due) -> None:
        """End of a handling: escalate if needed, free the agent, take more work; then
        admit the arrivals before the next event (`_admit`; called here rather than as
        a second callback: most events have none to admit)."""
        c, now, agent = event.value, event.at, event.agent
        if c < 0:
            c = ~c
            self.esc_end[c] = now
        else:
            self.end[c] = now
            if self.escalates[c]:
                self._escalate(c, now)
        load = agent.load = agent.load - 1
        if not agent.taking:
            if load == 0 and agent.waiter is not None:
                agent.waiter.succeed()
        elif load == 0:
            if agent.chat_pool is not None:
                self.router.leave_chat(agent)
            q = self._next_queue(agent, now)  # (`_take_work`, one call fewer)
            if q >= 0:
                self._take_from(agent, q, now)
        else:  # still chatting: may take another session of this chat queue
            q = self.chan[c]
            queue = self.queues[q]
            if queue.size and queue.peek(now) < INF:
                self._start(agent, queue.pop(), q, now)
                if agent.load >= self.concurrency[q]:
                    self.router.full(agent)
            else:
                self.router.keep_chatting(agent)
        if self.arrival[self._next] < self._heap[0][0]:
            self._admit()

    def _escalate(self, c: int, now: float) -> None:
        """Contact c continues to the escalation queue after its first handling."""
        self.esc_queued[c] = now
        helper = self.router.free_agent(self.esc)
        if helper is not None:
            self._start_escalated(helper, c, now)
        else:
            self.queues[self.esc].push(c)

    def _take_work(self, agent: Agent, now: float) -> None:
        """A fully free agent takes the oldest contact of its best non-empty queue (a
        chat agent as many sessions of that queue as it may hold), or waits in its pool."""
        q = self._next_queue(agent, now)
        if q >= 0:
            self._take_from(agent, q, now)

    def _take_from(self, agent: Agent, q: int, now: float) -> None:
        """A fully free agent takes the oldest contact of queue q (a chat agent as many
        sessions as it may hold)."""
        queue = self.queues[q]
        if q == self.esc:
            self._start_escalated(agent, queue.pop(), now)
            return
        self._start(agent, queue.pop(), q, now)
        cap = self.concurrency[q]
        if cap > 1:
            while agent.load < cap and queue.peek(now) < INF:
                self._start(agent, queue.pop(), q, now)
            self.router.chatting(agent, q)

    # --- shifts ---------------------------------------------------------------------------

    def _clock_in(self, agent: Agent) -> None:
        agent.taking = True
        agent.since = self.env.now
        self._take_work(agent, self.env.now)

    def _clock_out(self, agent: Agent):
        """Stop taking work; wait for the work in hand; record the available segment."""
        agent.taking = False
        self.router.withdraw(agent)
        if agent.load:
            agent.waiter = self.env.event()
            self._admit()
            yield agent.waiter
            agent.waiter = None
        agent.duty.append((agent.since, self.env.now))

    def _after(self, delay: float) -> simpy.Timeout:
        """The timeout an agent's process waits on, after admitting the arrivals before
        the next event (the timeout is one of them)."""
        timeout = self.env.timeout(delay)
        self._admit()
        return timeout

    def _life(self, agent: Agent, plan: AgentPlan):
        """An agent's shifts: clock in, breaks, clock out (finishing the work in hand)."""
        env = self.env
        for period in plan.periods:
            if period.start > env.now:
                yield self._after(period.start - env.now)
            if env.now >= period.end:
                continue
            self._clock_in(agent)
            agent.ends = period.end if period.ends_shift else INF  # INF: no overtime
            for start, length in period.breaks:
                if start > env.now:
                    yield self._after(start - env.now)
                if env.now >= period.end:
                    break
                yield from self._clock_out(agent)
                self._overtime(agent, period.end)  # the work before a late break
                yield self._after(length)
                if env.now < period.end:
                    self._clock_in(agent)
            if not agent.taking:
                continue
            if period.end > env.now:
                yield self._after(period.end - env.now)
            yield from self._clock_out(agent)
            self._overtime(agent, agent.ends)

    def _overtime(self, agent: Agent, end: float) -> None:
        """Record the time an agent clocked out past its shift's end."""
        if self.env.now > end:
            agent.overtime.append((end, self.env.now))

    # --- after the run ----------------------------------------------------------------------

    def close(self) -> None:
        """Drop the references that tie the replication's objects into cycles (callbacks
        bound to this center, the events still queued, the free-agent pools, the agents'
        processes still waiting when the run ended), so that its memory is returned as
        soon as the replication is measured, not at the next full garbage collection — a
        run of many replications then needs the memory of one."""
        self._on_finish = self._admit_with = ()
        self.env._queue.clear()
        for agent in self.agents:  # its own Due may still hold this center's callbacks,
            agent.done.callbacks = agent.done.agent = None  # and refers back to it
        self.router.close()
        for life, generator in self._lives:  # a run that ended early leaves lives waiting
            life.callbacks = []
            generator.close()
        self._lives = []

    def logs(self) -> list[AgentLog]:
        return [AgentLog(a.gi, a.line, a.duty, a.overtime) for a in self.agents]

    def outcomes(self) -> dict[str, np.ndarray]:
        """The outcome columns of every contact (`ccsim.model.outcomes`)."""
        return outcomes.columns(
            self.s,
            self.c,
            answer=self.answer,
            reply=self.reply,
            end=self.end,
            agent=self.agent_of,
            expire=self.expire,
            esc_queued=self.esc_queued,
            esc_start=self.esc_start,
            esc_end=self.esc_end,
            esc_agent=self.esc_agent,
        )
