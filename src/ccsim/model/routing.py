"""The routing policy: which free agent takes an arriving contact, and which queue an
agent that becomes free serves next (docs/model.md, "Queues and routing").

- An arriving contact goes to a free agent of the skilled group with the best priority
  for its channel; within a group — or groups of the same priority — the agent idle
  longest. For chat, an agent already
  chatting *on that chat queue* with a free slot comes first (an agent never holds
  chats of two chat channels at once).
- A fully free agent takes the oldest waiting contact of its highest-priority
  non-empty open skill queue.

Pools are dicts used as ordered sets (insertion order = longest idle first).
"""

from __future__ import annotations

from ccsim.model.queues import INF
from ccsim.model.topology import Agent, Topology

Pool = dict[Agent, None]


class Router:
    """The free agents of one replication, in pools per group and per chat queue."""

    __slots__ = ("chat_for", "chat_pools", "concurrency", "idle", "idle_for", "levels", "routed")

    def __init__(self, topology: Topology):
        self.concurrency = topology.concurrency
        self.idle: list[Pool] = [{} for _ in range(topology.n_groups)]  # fully free
        # per queue: the idle pools of its groups, one tuple per priority level
        self.levels: list[list[tuple[Pool, ...]]] = [
            [tuple(self.idle[gi] for gi in level) for level in levels]
            for levels in topology.groups_for
        ]
        # the pools in order, for a queue whose levels hold one group each (the engine's
        # inlined `free_agent`); `routed`: per queue, None there, else the method to ask
        # (`free_chat_agent` for chat, `free_agent` for groups of the same priority)
        self.idle_for = [[pool for level in levels for pool in level] for levels in self.levels]
        self.routed = [
            self.free_chat_agent
            if self.concurrency[q] > 1
            else self.free_agent
            if any(len(level) > 1 for level in levels)
            else None
            for q, levels in enumerate(self.levels)
        ]
        # chat queue q, group g: agents of g chatting on q with a free session slot, in
        # the order they got it; groups of the same priority share one pool
        self.chat_pools: list[dict[int, Pool]] = [{} for _ in self.levels]
        # chat queue q, per priority level: (its chatting pool, its idle pools)
        self.chat_for: list[list[tuple[Pool, tuple[Pool, ...]]]] = [[] for _ in self.levels]
        for q, levels in enumerate(topology.groups_for):
            if self.concurrency[q] == 1:
                continue
            for level, idle in zip(levels, self.levels[q], strict=True):
                shared: Pool = {}
                self.chat_pools[q].update(dict.fromkeys(level, shared))
                self.chat_for[q].append((shared, idle))

    def free_agent(self, q: int) -> Agent | None:
        """A free agent for queue q by group priority, taken out of its pool: of groups of
        the same priority, the agent idle longest. (The engine's arrival loop,
        `ccsim.model.engine.Center._admit`, does the same inline over `idle_for` for a
        queue of one session at a time whose levels hold one group each: one call fewer
        an arrival.)"""
        if self.concurrency[q] > 1:
            return self.free_chat_agent(q)
        for level in self.levels[q]:
            if len(level) == 1:  # (most levels: no call a contact)
                for agent in level[0]:
                    del level[0][agent]
                    return agent
            elif (agent := _longest_idle(level)) is not None:
                return agent
        return None

    def free_chat_agent(self, q: int) -> Agent | None:
        """Chat queue q: an agent with an open session slot on q first, else an idle one,
        by priority level; of groups of the same priority, the agent that has had a free
        slot longest (they share a chatting pool), else the one idle longest."""
        concurrency = self.concurrency[q]
        for chatting, idle in self.chat_for[q]:
            for agent in chatting:  # the first to have a free slot, of the level's groups
                if agent.load + 1 >= concurrency:
                    del chatting[agent]
                return agent
            agent = None
            if len(idle) == 1:  # (most levels: no call a contact)
                for agent in idle[0]:
                    del idle[0][agent]
                    break
            else:
                agent = _longest_idle(idle)
            if agent is not None:
                chatting[agent] = None
                agent.chat_pool = chatting
                return agent
        return None

    def next_queue(self, agent: Agent, now: float) -> int:
        """The queue a fully free agent serves next: the oldest head among its open,
        non-empty skill queues of the best priority that has any. −1: nothing to do,
        and the agent now waits in its group's idle pool."""
        for q, queue, others in agent.levels:  # most levels have one queue: no inner loop
            best = queue.peek(now) if queue.size and queue.open else INF
            if others:  # several queues of this priority: the oldest head
                for other_q, other in others:
                    if other.size and other.open:
                        t = other.peek(now)
                        if t < best:
                            q, best = other_q, t
            if best < INF:
                return q
        agent.idle_since = now
        self.idle[agent.gi][agent] = None
        return -1

    def chatting(self, agent: Agent, q: int) -> None:
        """`agent` took chats of queue q: it belongs to q's chat pool of its group, and is
        in line for more while it has a free slot."""
        pool = agent.chat_pool = self.chat_pools[q][agent.gi]
        if agent.load < self.concurrency[q]:
            pool[agent] = None

    def keep_chatting(self, agent: Agent) -> None:
        """`agent`, still chatting, has a free slot again on the queue it chats on."""
        agent.chat_pool[agent] = None  # type: ignore[index]  # set while it chats

    def full(self, agent: Agent) -> None:
        """`agent` holds as many chats as it may: out of line until one ends."""
        agent.chat_pool.pop(agent, None)  # type: ignore[union-attr]  # set while it chats

    def leave_chat(self, agent: Agent) -> None:
        """`agent` holds no more chats: out of its chat pool."""
        if agent.chat_pool is not None:
            agent.chat_pool.pop(agent, None)
            agent.chat_pool = None

    def withdraw(self, agent: Agent) -> None:
        """`agent` stops taking work (break, shift end): out of every pool."""
        self.idle[agent.gi].pop(agent, None)
        if agent.chat_pool is not None:
            agent.chat_pool.pop(agent, None)

    def idle_agents(self, q: int) -> list[Agent]:
        """Fully free agents of the groups serving q (best priority first; of groups of
        the same priority, idle longest first), e.g. to take the work of a message
        channel that opens."""
        agents: list[Agent] = []
        for level in self.levels[q]:
            if len(level) == 1:
                agents.extend(level[0])
            else:  # (stable: an equal time keeps the group listed first)
                agents.extend(sorted((a for pool in level for a in pool), key=_idle_since))
        return agents

    def take_out(self, agent: Agent) -> bool:
        """Take a fully free agent out of its idle pool (False if it is not there)."""
        pool = self.idle[agent.gi]
        if agent in pool:
            del pool[agent]
            return True
        return False

    def close(self) -> None:
        """Empty every pool (after the run: agents and pools refer to each other)."""
        for pool in self.idle:
            for agent in pool:
                agent.chat_pool = None
            pool.clear()
        for pools in self.chat_pools:
            for pool in pools.values():
                for agent in pool:
                    agent.chat_pool = None
                pool.clear()


def _idle_since(agent: Agent) -> float:
    return agent.idle_since


def _longest_idle(pools: tuple[Pool, ...]) -> Agent | None:
    """The agent idle longest in the pools of groups of the same priority (the first of
    each: pools keep the order agents became free), taken out of its pool; of equal
    times, the first pool's. (A level of one group takes its first agent inline.)"""
    best: Agent | None = None
    best_pool: Pool = {}
    for pool in pools:
        for agent in pool:
            if best is None or agent.idle_since < best.idle_since:
                best, best_pool = agent, pool
            break
    if best is not None:
        del best_pool[best]
    return best
