"""The shift program: the cheapest agents per group × shift that cover the requirements.

An integer program (scipy.optimize.milp, HiGHS) over the planning week:

- y[g, s] ≥ 0 integer: agents of group g working shift template s (the cost of one
  is the shift's paid hours × the group's wage × (1 + overhead));
- x[g, c, t] ≥ 0: agents of group g working channel c in interval t (only where g
  has the skill). Per group and interval Σ_c x ≤ (1 − shrinkage) × the group's agents
  on duty (breaks excluded), so one agent is never counted on two channels at once;
- voice/chat: Σ_g x[g, c, t] ≥ the agents the channel needs in t;
- message channels and escalations: a fluid backlog b[c, t] ≥ 0 carried across
  intervals (cyclically: the week repeats), b[t] = b[t−1] + work[t] − served[t]
  with served[t] = minutes worked on c in t; and for each deadline target
  (within T, share p) and each interval j whose contacts can be answered in time,
  the work served in (j, j+T] ≥ p × b[j] — first-in-first-out, the backlog at j is
  what must go first.

Requirements no shift can cover get a slack variable with a prohibitive cost, and a
message channel no shift can ever work (open only while none is on duty) is left out,
so the program is always feasible and the slack tells which requirements are out of
reach.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint

from ccsim.finance.cost import agent_cost
from ccsim.planning import highs
from ccsim.planning.errors import PlanError
from ccsim.planning.requirements import Need
from ccsim.scenario import units
from ccsim.scenario.model import Scenario, Shift
from ccsim.scenario.timegrid import coverage

UNCOVERED = 1e6  # cost of one agent-interval (or agent-minute of backlog) left uncovered
HOUR_TOKEN = 1e-3  # cost per paid hour on top of wages (breaks ties, zero-wage groups)
MANY_SHIFTS = 20  # above this many templates the program stops at a 0.5 % gap ...
MANY_NODES = 20  # ... or after this many branch-and-bound nodes (the root is the most work)
NODES = 1000  # the node limit of a program of fewer templates (solved at the root so far)
GRID_RULE = "the start grid must be a whole number of minutes from 1min to 24h"
REACHABLE = 0.5  # a deadline binds interval j when this share of its contacts can meet it


@dataclass
class Schedule:
    """Agents per (group, shift), the weekly cost, and what stayed uncovered."""

    agents: dict[tuple[str, str], int]
    cost: float
    uncovered: dict[str, float]  # channel -> slack (agent-intervals or agent-minutes)
    optimal: bool  # solved to its optimum (within the gap); bench/plan.py's bound needs it
    relaxed_cost: float = float("nan")  # Σ agent cost × y before rounding (relax=True: LP)


def valid_grid(grid: object) -> bool:
    """A start grid (minutes) the planner accepts: `GRID_RULE` (a number: `"30min"` from
    Python was a TypeError)."""
    number = isinstance(grid, numbers.Real) and not isinstance(grid, bool)
    return number and 1 <= grid <= units.MINUTES_PER_DAY and grid == round(grid)


def shift_options(s: Scenario, grid: float | None = None) -> dict[str, Shift]:
    """The scenario's shift templates, plus (with `grid` minutes) each template at every
    start time on the grid, named `template@HH:MM`. The grid is a whole number of minutes
    from 1 min to 24 h: shift starts are written to the minute (`HH:MM`), so a roster of
    other starts could not be written as it was simulated."""
    options = dict(s.shifts)
    if grid is not None and not valid_grid(grid):
        number = isinstance(grid, numbers.Real) and not isinstance(grid, bool)
        got = (
            units.format_duration(grid) if number and grid > 0
            else f"{grid!r} minutes" if number  # (not -1800s)
            else f"{units.shown(grid)}: minutes as a number, e.g. 30"  # ('30min' minutes)
        )  # fmt: skip
        raise PlanError(f"{GRID_RULE} (got {got})")
    if grid:
        for name, shift in s.shifts.items():
            for start in np.arange(0.0, units.MINUTES_PER_DAY, grid):
                if abs(start - shift.start) > 1e-9:
                    label = f"{name}@{units.format_clock(start)}"
                    options[label] = shift.model_copy(update={"start": float(start)})
    return options


def solve(
    s: Scenario,
    needs: dict[str, Need],
    shifts: dict[str, Shift],
    shares: dict[str, float] | None = None,
    relax: bool = False,
) -> Schedule:
    """The cheapest agents per group × shift covering `needs` (see the module docstring).

    `shares` overrides the share of a deadline target, keyed by the target's name
    (`Deadline.name`); a share of 0 drops the target (one that cannot be met). `relax`: the linear
    relaxation (agents may be fractional) — its `relaxed_cost` is a lower bound on any
    roster's cost that covers these requirements (bench/plan.py prints it).
    """
    shares = shares or {}
    step = s.simulation.interval
    groups, names = list(s.groups), list(shifts)
    cover = {c: n for c, n in needs.items() if not n.is_backlog and n.agents is not None}
    backlog = {c: n for c, n in needs.items() if n.is_backlog}
    channels = [*cover, *backlog]
    pairs = [(g, c) for g in groups for c in channels if c in s.groups[g].skills]
    n = next(iter(needs.values())).contacts.size if needs else 0
    cov = np.array([coverage(s, shifts[name]) for name in names]).reshape(len(names), n)

    # variable layout: y | x (pairs × n) | backlog (channels × n) | slack (rows that may)
    ny = len(groups) * len(names)
    x0 = ny
    b0 = x0 + len(pairs) * n
    nvars = b0 + len(backlog) * n
    lower, upper = [], []
    triplets: list[tuple[list[int], list[int], list[float]]] = []
    slack_of: list[str] = []  # channel of each slack variable (added as columns later)

    def add_row(cols: list[int], vals: list[float], lo: float, hi: float, slack: str | None):
        r = len(lower)
        if slack is not None:
            cols, vals = [*cols, nvars + len(slack_of)], [*vals, 1.0]
            slack_of.append(slack)
        triplets.append(([r] * len(cols), cols, vals))
        lower.append(lo)
        upper.append(hi)

    def x(p: int, t: int) -> int:
        return x0 + p * n + t

    def b(k: int, t: int) -> int:
        return b0 + k * n + t % n

    available = 1.0 - s.shrinkage
    for gi, g in enumerate(groups):
        mine = [p for p, (pg, _) in enumerate(pairs) if pg == g]
        for t in range(n):
            cols = [x(p, t) for p in mine] + [gi * len(names) + si for si in range(len(names))]
            vals = [1.0] * len(mine) + list(-available * cov[:, t])
            add_row(cols, vals, -np.inf, 0.0, None)
    for c, need in cover.items():
        serving = [p for p, (_, pc) in enumerate(pairs) if pc == c]
        for t in np.flatnonzero(need.agents > 0):
            add_row([x(p, t) for p in serving], [1.0] * len(serving), need.agents[t], np.inf, c)
    for k, (c, need) in enumerate(backlog.items()):
        serving = [p for p, (_, pc) in enumerate(pairs) if pc == c]
        minutes = step * need.open  # minutes one agent can work c in each interval
        if not serving or not (minutes * cov.any(axis=0) > 0).any():
            continue  # no shift is ever on duty while it is open: nothing to plan for it
        work = need.work
        for t in range(n):
            cols = [b(k, t), b(k, t - 1)] + [x(p, t) for p in serving]
            vals = [1.0, -1.0] + [minutes[t]] * len(serving)
            add_row(cols, vals, work[t], work[t], None)
        for d in need.deadlines:
            share = shares.get(d.name, d.share)
            if share <= 0:
                continue
            span = max(1, math.ceil(d.within / step - 1e-9))
            for j in np.flatnonzero(d.reachable >= REACHABLE):
                window = [(j + i) % n for i in range(1, span + 1)]
                cols = [x(p, t) for t in window for p in serving] + [b(k, j)]
                vals = [minutes[t] for t in window for _ in serving] + [-share]
                add_row(cols, vals, 0.0, np.inf, c)

    total = nvars + len(slack_of)
    r_idx = np.concatenate([np.array(r, int) for r, _, _ in triplets]) if triplets else []
    c_idx = np.concatenate([np.array(c, int) for _, c, _ in triplets]) if triplets else []
    v_idx = np.concatenate([np.array(v, float) for _, _, v in triplets]) if triplets else []
    matrix = sparse.csr_array((v_idx, (r_idx, c_idx)), shape=(len(lower), total))
    cost = np.zeros(total)
    for gi, g in enumerate(groups):
        for si, name in enumerate(names):  # + a token per paid hour: fewest hours on ties
            shift = shifts[name]
            cost[gi * len(names) + si] = (
                agent_cost(s, g, shift) + HOUR_TOKEN * shift.weekly_paid_hours
            )
    # prohibitive: more than any template's week, in any currency (at least UNCOVERED)
    cost[nvars:] = max(UNCOVERED, 100 * float(cost[:ny].max(initial=0.0)))
    integrality = np.zeros(total)
    integrality[:ny] = 0 if relax else 1
    upper_bounds = np.full(total, np.inf)
    for p, (_, c) in enumerate(pairs):  # nobody works a channel while it is closed
        need = needs[c]
        upper_bounds[x0 + p * n : x0 + (p + 1) * n] = np.where(need.open > 0, np.inf, 0.0)

    # many templates (a start grid): stop within 0.5 % of the optimum, the simulation
    # trims the rest; few: solve to (practically) the optimum. Limits on nodes, not on
    # time, so the answer does not depend on the machine's speed or load.
    few = len(names) <= MANY_SHIFTS
    gap, nodes = (1e-4, NODES) if few else (5e-3, MANY_NODES)
    result = highs.solve(
        cost,
        integrality=integrality,
        bounds=Bounds(np.zeros(total), upper_bounds),
        constraints=LinearConstraint(matrix, np.array(lower), np.array(upper)),
        options={"node_limit": nodes, "mip_rel_gap": gap},
    )
    if result.x is None:
        raise PlanError(f"the shift-scheduling program found no roster: {result.message}")
    y = np.round(result.x[:ny]).astype(int)
    agents = {
        (g, name): int(y[gi * len(names) + si])
        for gi, g in enumerate(groups)
        for si, name in enumerate(names)
        if y[gi * len(names) + si] > 0
    }
    uncovered: dict[str, float] = {}
    for i, c in enumerate(slack_of):
        if result.x[nvars + i] > 1e-6:
            uncovered[c] = uncovered.get(c, 0.0) + float(result.x[nvars + i])
    weekly = sum(agent_cost(s, g, shifts[name]) * k for (g, name), k in agents.items())
    relaxed = sum(
        agent_cost(s, g, shifts[name]) * float(result.x[gi * len(names) + si])
        for gi, g in enumerate(groups)
        for si, name in enumerate(names)
    )
    return Schedule(agents, weekly, uncovered, result.status == 0, relaxed)
