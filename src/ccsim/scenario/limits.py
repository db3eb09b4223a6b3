"""Limits on what ccsim accepts: sane bounds of the scenario's values, and bounds on the
files it reads (size, nesting, aliases), so that a file — from a pull request, say —
that validates can also be simulated, and none can make ccsim hang or exhaust memory.

Every bound is named in the message that refuses a value (docs/scenario-format.md lists
them; docs/ci.md says what ccsim promises about untrusted files).
"""

from __future__ import annotations

from dataclasses import dataclass

MINUTES_PER_DAY = 1440.0

# --- values (each far beyond any real operation, yet small enough to simulate) ---------
MAX_WEEKLY = 10_000_000.0  # contacts a week on one channel (large_center: ~1M in all)
MAX_HORIZON = 366 * MINUTES_PER_DAY  # the measured window (a year plan loops over weeks)
MAX_WARMUP = 28 * MINUTES_PER_DAY
MAX_WITHIN = 31 * MINUTES_PER_DAY  # a service target's threshold (sets the cool-down)
MAX_HANDLING = MINUTES_PER_DAY  # mean resolution, wrap-up or escalated handling
MAX_INTERVAL = MINUTES_PER_DAY  # the staffing and reporting interval divides a day
MAX_SHIFT = MINUTES_PER_DAY  # a shift's length, breaks included
MAX_PATIENCE = 30 * MINUTES_PER_DAY  # mean patience of a voice/chat customer
MAX_TOLERANCE = 365 * MINUTES_PER_DAY  # anger growth time constant
MIN_CV, MAX_CV = 0.001, 10.0  # coefficient of variation of a lognormal/gamma duration
MIN_SHAPE, MAX_SHAPE = 0.05, 100.0  # Weibull shape
MAX_OVERDISPERSION = 5.0  # CV of the daily volume multiplier
MAX_RATE = 1_000.0  # per minute: anger rise rate, empathy decay
MAX_GAIN = 100.0  # anger peak gain
MAX_CONCENTRATION = 1e6  # of an initial-anger Beta distribution
MAX_EMPATHY = 100.0
MAX_CONCURRENCY = 50  # chat sessions one agent holds
MAX_SLOWDOWN = 10.0
MAX_AGENTS = 100_000  # on one roster line
MAX_REPLICATIONS = 10_000
MAX_FIRST_REPLICATION = 2**31 - 1  # a run's first replication number (--first-replication)
MAX_MONEY = 1e9  # a wage per hour, a cost per contact
MAX_OVERHEAD = 10.0  # employer costs as a share of wages
MAX_FTE_HOURS = 168.0  # hours in a week
MAX_SHIFTS = 1_000  # shift templates
MAX_ROSTER_LINES = 10_000
MAX_MIN_OFFERED = 1_000_000.0  # a scoped target's least contacts per period to be judged


@dataclass(frozen=True)
class FileLimits:
    """Bounds on reading one input file (scenario, CSV profile, calendar, log mapping).

    The defaults are far above what a real file needs (the bundled scenarios are under
    25 KB with nesting 5 and at most about 1,200 values) and keep the work of refusing a
    hostile file well under a second."""

    max_bytes: int = 1_000_000  # size of a scenario or calendar file
    max_depth: int = 32  # nesting of mappings and lists
    max_values: int = 100_000  # values once YAML aliases are expanded
    max_csv_bytes: int = 1_000_000  # a CSV profile
    max_cell: int = 40  # characters of a file's content quoted in a message

    def quote(self, text: str) -> str:
        """`text` as a message may show it: repr, cut to `max_cell` characters."""
        shown = repr(text[: self.max_cell])
        return shown + (f"… ({len(text):,} characters)" if len(text) > self.max_cell else "")


DEFAULT_FILE_LIMITS = FileLimits()
