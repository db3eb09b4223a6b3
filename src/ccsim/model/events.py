"""The engine's per-contact events: `Due`, a lighter `simpy.Timeout` at an absolute time.

SimPy's event loop reads only an event's `callbacks` (calling each with the event) and
`_ok`. A Due puts itself on the environment's queue at normal priority exactly as a
Timeout does (the body of `Environment.schedule`, inlined), so events keep SimPy's
order; `at` is its time, the simulation clock when its callbacks run. It refuses a time
in the past. The engine pins SimPy 4 (pyproject.toml) and tests/test_engine.py checks
that Due events run in the order Timeouts would.

An owner may reuse a Due once SimPy has run it (`callbacks` is None again): the engine
gives each agent one (`Due.spare`) for the end of its handling, rescheduled in place, so
the per-contact path allocates no event (`ccsim.model.engine.Center._start`). `agent` is
the agent whose handling the Due ends (None for other events), so that the end of a
handling finds its agent without looking it up.
"""

from __future__ import annotations

from heapq import heappush

import simpy
from simpy.events import NORMAL

NAN = float("nan")


class Due:
    """An event at absolute time `at` whose callbacks get it (and its `value`)."""

    __slots__ = ("_ok", "agent", "at", "callbacks", "value")

    def __init__(
        self,
        env: simpy.Environment,
        at: float,
        callbacks: tuple,
        value: object,
        agent: object = None,
    ):
        if at < env._now:
            raise ValueError(f"cannot schedule an event at {at!r}, before now ({env._now!r})")
        self._ok = True  # a slot, not a class attribute: SimPy reads it at every event
        self.callbacks = callbacks  # a shared tuple: SimPy only replaces it by None
        self.value = value
        self.at = at
        self.agent = agent
        heappush(env._queue, (at, NORMAL, next(env._eid), self))

    @classmethod
    def spare(cls) -> Due:
        """A Due not scheduled (callbacks None, as after SimPy ran it), to be reused."""
        due = cls.__new__(cls)
        due._ok, due.at, due.callbacks, due.value, due.agent = True, NAN, None, None, None
        return due
