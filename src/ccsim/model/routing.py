"""The routing policy: which free agent takes an arriving contact, and which queue an
agent that becomes free serves next (docs/model.md, "Queues and routing").

- An arriving contact goes to a free agent of the skilled group with the best priority
  for its channel; within a group, the agent idle longest. For chat, an agent already
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

    __slots__ = ("chat_for", "chat_pools", "concurrency", "idle", "idle_for")

    def __init__(self, topology: Topology):
        self.concurrency = topology.concurrency
        self.idle: list[Pool] = [{} for _ in range(topology.n_groups)]  # fully free
        self.idle_for = [[self.idle[gi] for gi in gis] for gis in topology.groups_for]
        # chat queue q, group g: agents of g chatting on q with a free session slot
        self.chat_pools: list[dict[int, Pool]] = [
            {gi: {} for gi in gis} if self.concurrency[q] > 1 else {}
            for q, gis in enumerate(topology.groups_for)
        ]
        self.chat_for: list[list[tuple[Pool, Pool]]] = [
            [(self.chat_pools[q][gi], self.idle[gi]) for gi in gis] if self.chat_pools[q] else []
            for q, gis in enumerate(topology.groups_for)
        ]

    def free_agent(self, q: int) -> Agent | None:
        """A free agent for queue q by group priority, taken out of its pool. (The
        engine's arrival loop, `ccsim.model.engine.Center._admit`, does the same inline
        for a queue of one session at a time, over `idle_for`: one call fewer an arrival.)"""
        if self.concurrency[q] > 1:
            return self.free_chat_agent(q)
        for pool in self.idle_for[q]:
            for agent in pool:  # the first one (dicts keep insertion order)
                del pool[agent]
                return agent
        return None

    def free_chat_agent(self, q: int) -> Agent | None:
        """Chat queue q: an agent with an open session slot on q first, else an idle one."""
        concurrency = self.concurrency[q]
        for chatting, idle in self.chat_for[q]:
            for agent in chatting:
                if agent.load + 1 >= concurrency:
                    del chatting[agent]
                return agent
            for agent in idle:
                del idle[agent]
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
        """Fully free agents of the groups serving q (best priority first), e.g. to take
        the work of a message channel that opens."""
        return [agent for pool in self.idle_for[q] for agent in pool]

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
