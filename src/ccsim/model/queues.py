"""Queues the agents take work from: plain deques, no SimPy resources.

Every queue follows the `Queue` protocol the routing policy relies on: `push(c)`,
`peek(now)` (arrival time of the contact an agent would get next, INF if none),
`pop()` (take what `peek` found), `size` and `open`.

`CallQueue` (voice, chat): FIFO; customers whose patience ran out are dropped
lazily when an agent reaches them — their abandonment time is arrival + patience,
so nothing needs scheduling per customer.

`FifoBacklog` (message channels, escalations): never abandons, oldest first.

`EdfBacklog` (message channels, escalations with service targets): never abandons;
earliest-deadline-first, in order of first arrival — an
escalation joins it when its first handling ends, not in that order. With several service targets
(1 h and 24 h, say), a contact's deadline is its earliest target still reachable;
contacts past every target are served only when nothing reachable waits (oldest
first).
"""

from __future__ import annotations

import bisect
from collections import deque
from collections.abc import Sequence
from typing import Protocol

INF = float("inf")


class Queue(Protocol):
    """What the routing policy needs of a queue (contacts are integer ids)."""

    open: bool  # agents take work from it only while open (message channels' hours)
    size: int  # contacts in it (a voice queue may count some who gave up already)

    def push(self, c: int) -> None: ...

    def peek(self, now: float) -> float:
        """Arrival time of the contact an agent would take at `now` (INF if none)."""
        ...

    def pop(self) -> int:
        """Take the contact `peek` found (call `peek` first)."""
        ...


class FifoBacklog:
    """Message backlog served oldest first: nobody abandons."""

    __slots__ = ("arrival", "items", "open", "size")

    def __init__(self, arrival: list[float]):
        self.items: deque[int] = deque()
        self.arrival = arrival
        self.open = True
        self.size = 0  # contacts in the queue

    def push(self, c: int) -> None:
        self.items.append(c)
        self.size += 1

    def peek(self, now: float) -> float:
        """Arrival time of the next contact an agent would get (INF if none)."""
        items = self.items
        return self.arrival[items[0]] if items else INF

    def pop(self) -> int:
        """Take the contact `peek` found (call `peek` first)."""
        self.size -= 1
        return self.items.popleft()

    def __len__(self) -> int:
        return self.size


class CallQueue(FifoBacklog):
    """FIFO queue with lazy reneging: `expire[c]` = arrival + patience of contact c."""

    __slots__ = ("expire",)

    def __init__(self, arrival: list[float], expire: Sequence[float]):
        super().__init__(arrival)
        self.expire = expire  # `size` counts contacts who may have given up already

    def peek(self, now: float) -> float:
        """Arrival time of the next contact an agent would get (INF if none)."""
        items, expire = self.items, self.expire
        while items:
            c = items[0]
            if expire[c] > now:
                return self.arrival[c]
            items.popleft()  # gave up before an agent reached them
            self.size -= 1
        return INF


class EdfBacklog:
    """Message backlog served earliest deadline first over the channel's target
    thresholds (FIFO is `FifoBacklog`)."""

    __slots__ = (
        "_chosen",
        "arrival",
        "head",
        "items",
        "open",
        "pointers",
        "served",
        "size",
        "thresholds",
    )

    def __init__(self, arrival: list[float], thresholds: Sequence[float]):
        if not thresholds:
            raise ValueError("an EDF backlog needs at least one target threshold")
        self.arrival = arrival
        self.items: list[int] = []  # contact ids in arrival order
        self.served: list[bool] = []
        self.head = 0  # first position not yet served
        self.thresholds = sorted(thresholds)
        self.pointers = [0] * len(self.thresholds)
        self.open = True
        self.size = 0  # contacts waiting
        self._chosen = -1

    def push(self, c: int) -> None:
        items, arrival = self.items, self.arrival
        self.size += 1
        if not items or arrival[items[-1]] <= arrival[c]:  # a message: in arrival order
            items.append(c)
            self.served.append(False)
            return
        # an escalation, queued when its first handling ends, keeps its first arrival
        # (deadlines run from it): into arrival order. A pointer past it moves back to it
        # (what it skipped stays skipped by `peek`); the positions after it shift by one.
        at = bisect.bisect_right(_ArrivalView(arrival, items), arrival[c], lo=self.head)
        items.insert(at, c)
        self.served.insert(at, False)
        self.pointers = [min(p, at) for p in self.pointers]
        if self._chosen >= at:
            self._chosen += 1

    def peek(self, now: float) -> float:
        """Arrival time of the contact an agent would take next (INF if empty)."""
        items, served = self.items, self.served
        n = len(items)
        h = self.head
        while h < n and served[h]:
            h += 1
        self.head = h
        if h >= n:
            return INF
        best, best_deadline = -1, INF
        arrival, pointers = self.arrival, self.pointers
        for k, threshold in enumerate(self.thresholds):
            p = pointers[k]
            if p < h:
                p = h
            if p < n and arrival[items[p]] + threshold < now:  # skip contacts past target
                p = max(p, bisect.bisect_left(_ArrivalView(arrival, items), now - threshold, lo=p))
            while p < n and served[p]:
                p += 1
            pointers[k] = p
            if p < n:
                deadline = arrival[items[p]] + threshold
                if deadline < best_deadline:
                    best, best_deadline = p, deadline
        chosen = self._chosen = best if best >= 0 else h
        return arrival[items[chosen]]

    def pop(self) -> int:
        """Take the contact `peek` chose (call `peek` first)."""
        p = self._chosen
        self.served[p] = True
        self.size -= 1
        c = self.items[p]
        if self.head > 4096 and self.head * 2 > len(self.items):
            self._compact()
        return c

    def _compact(self) -> None:
        h = self.head
        del self.items[:h]
        del self.served[:h]
        self.pointers = [max(0, p - h) for p in self.pointers]
        self.head = 0
        self._chosen = -1

    def __len__(self) -> int:
        return len(self.items) - self.head - sum(self.served[self.head :])


class _ArrivalView:
    """Read-only sequence of arrival times of `items`, for bisect."""

    __slots__ = ("arrival", "items")

    def __init__(self, arrival: list[float], items: list[int]):
        self.arrival, self.items = arrival, items

    def __getitem__(self, i: int) -> float:
        return self.arrival[self.items[i]]

    def __len__(self) -> int:
        return len(self.items)
