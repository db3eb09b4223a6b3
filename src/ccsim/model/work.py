"""The work of one replication, estimated from the scenario before anything is drawn:
contacts, events and memory — so that a run too large for the machine is refused with
the estimate and the way to allow it, instead of ending in a MemoryError or running for
days.

Memory is the contacts simulated (warm-up and cool-down included) times what one costs
— measured at about 480 bytes on the bundled scenarios (bench/scale.py), 600 used here
for headroom — plus the agents' duty periods, plus the measured tables every replication
keeps. The default limit is a quarter of this machine's memory (with W workers, W
replications run at once, each in its own process).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from ccsim.model import arrivals
from ccsim.model.errors import WorkLimitError
from ccsim.model.replication import time_span
from ccsim.scenario import units
from ccsim.scenario.model import Scenario

BYTES_PER_CONTACT = 600
BYTES_PER_AGENT_DAY = 1_000
BYTES_PER_TABLE_ROW = 160  # a row of the interval (per channel) or group table, kept
EVENTS_PER_CONTACT = 1  # the end of its handling (arrivals need no event: model/engine.py)
EVENTS_PER_AGENT_DAY = 6  # clock in and out, a break
UNITS = {"b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12}


@dataclass(frozen=True)
class Work:
    """What one replication of a scenario takes."""

    contacts: float  # expected contacts simulated
    agent_days: float  # rostered person-days simulated
    table_rows: float  # rows of the measured tables it keeps (interval × channel or group)

    @property
    def events(self) -> float:
        return EVENTS_PER_CONTACT * self.contacts + EVENTS_PER_AGENT_DAY * self.agent_days

    @property
    def memory(self) -> float:
        """Bytes while it runs."""
        return BYTES_PER_CONTACT * self.contacts + BYTES_PER_AGENT_DAY * self.agent_days

    @property
    def kept(self) -> float:
        """Bytes of the tables kept after it ran."""
        return BYTES_PER_TABLE_ROW * self.table_rows

    def of_run(self, replications: int) -> float:
        """Bytes a run of `replications` needs at its peak, in one process: one
        replication running and the tables of all."""
        return self.memory + replications * self.kept


def estimate(s: Scenario) -> Work:
    """The expected work of one replication of `s` (over the whole simulated span)."""
    t0, t1 = time_span(s)
    contacts = sum(float(arrivals.expected_counts(s, ch, t0, t1).sum()) for ch in s.arrivals)
    days = (t1 - t0) / units.MINUTES_PER_DAY
    agent_days = sum(
        line.agents * len(s.shifts[line.shift].days) / 7 * days
        for line in s.roster
        if line.shift in s.shifts
    )
    intervals = s.simulation.horizon / s.simulation.interval
    return Work(contacts, agent_days, intervals * (len(s.channels) + 1 + len(s.groups)))


def machine_memory() -> int:
    """Bytes of physical memory of this machine (0 when the system does not tell)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 0


def default_limit() -> float:
    """A quarter of this machine's memory per replication (8 GB if it cannot be told)."""
    return machine_memory() / 4 or 8e9


def parse_size(value: str | float | int | None, unlimited: bool = True) -> float:
    """Bytes from `16GB`, `500MB`, a number of bytes, or `none` (no limit, when
    `unlimited` allows it: a file's size limit does not); None: the default limit."""
    if value is None:
        return default_limit()
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 0 < value < float("inf"):
            raise ValueError(f"a size must be positive and finite, got {value!r}")
        return float(value)
    text = str(value).strip().lower().replace(" ", "")
    examples = "16GB, 500MB or none" if unlimited else "5MB, 200KB or a number of bytes"
    if text in ("none", "off", "unlimited"):
        if not unlimited:  # (`none` was offered for a file's size, then refused)
            raise ValueError(f"a size limit cannot be {text} (expected a size like {examples})")
        return float("inf")
    number = text.rstrip("kmgtb")
    unit = text[len(number) :] or "b"
    unit = unit if unit.endswith("b") else unit + "b"
    try:
        size = float(number) * UNITS[unit]
    except (ValueError, KeyError):
        raise ValueError(f"expected a size like {examples}, got {value!r}") from None
    if not 0 < size < float("inf"):
        raise ValueError(f"a size must be positive and finite, got {value!r}")
    return size


def ensure_fits(s: Scenario, limit: str | float | int | None = None, replications: int = 1) -> Work:
    """The work of one replication of `s`; WorkLimitError when a run of `replications`
    needs more memory than `limit` (bytes or a size like 16GB; None = `default_limit()`)."""
    allowed = parse_size(limit)
    work = estimate(s)
    need = work.of_run(replications)
    if need > allowed:
        default = " (default: a quarter of this machine's memory)"  # said only when it is
        raise WorkLimitError(
            f"{replications} replication(s) of {s.name!r} would simulate about "
            f"{_count(work.contacts)} contacts each ({_count(work.events)} events) and need "
            f"about {_gb(need)} of memory, more than the limit of "
            f"{_gb(allowed)}{default if limit is None else ''}; shorten the "
            "horizon or the volume, or allow it with --memory-limit SIZE (memory_limit= "
            "in Python)"
        )
    return work


def _gb(size: float) -> str:
    if size >= 1e9:
        return f"{size / 1e9:,.1f} GB"
    if size >= 1e7:
        return f"{size / 1e6:,.0f} MB"
    # (1KB: "0 MB"; 1.4 MB needed beside a limit of 1 MB read "1 MB, more than 1 MB")
    return f"{size / 1e6:,.1f} MB" if size >= 1e6 else f"{size:,.0f} bytes"


def _count(n: float) -> str:
    """`1.29 million` or `4,512` (a small week read "0.00 million contacts")."""
    return f"{n / 1e6:,.2f} million" if n >= 1e6 else f"{n:,.0f}"
