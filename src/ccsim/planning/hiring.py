"""The hiring plan: hires per week and group at least cost, an integer program.

For one group over weeks w = 1..W (scipy.optimize.milp, HiGHS), with r = 1 − the
weekly attrition, L the lead time and ρ(k) the productivity of a hire in their k-th
week (ramp-up, then 1):

- h[d] ≥ 0 integer: hires decided in week d; they are employed from week d + L on
  (decisions whose hires would start after the last week are not made);
- employed E[w] = E₀ r^(w−1) + Σ_{d+L ≤ w} h[d] r^(w−d−L), E₀ the starting headcount:
  attrition removes the expected share every week (nobody is let go);
- productive P[w] = E₀ r^(w−1) + Σ h[d] r^(w−d−L) ρ(w−d−L);
- overtime o[w] ≤ `overtime_share` × P[w]; temporary cover t[w] (when allowed);
  shortfall u[w] (when allowed; otherwise it still exists at a prohibitive cost and is
  reported, so that the program is always feasible);
- P[w] + o[w] + t[w] + u[w] ≥ the required FTE of week w; h[d] ≤ `max_per_week`;
- minimise Σ_w c E[w] + c (1 + overtime premium) o[w] + c (1 + temporary premium) t[w]
  + penalty u[w] + cost per hire × h[w], with c the weekly cost of one FTE (fte_hours ×
  wage × (1 + overhead)).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint

from ccsim.planning import highs
from ccsim.planning.errors import PlanError
from ccsim.scenario.calendar import Calendar

UNCOVERED = 1e7  # cost of one FTE-week left uncovered when no shortfall is allowed, at
# least (`_prohibitive`: more where a hire costs more, in yen or won)
NODES = 10_000  # branch-and-bound nodes at most (tests/test_capacity.py: 124 at most) ...
BACKSTOP = 60.0  # ... and seconds: only a calendar of years reaches it (then the plan may
# depend on the machine's speed; docs/capacity.md)


@dataclass(frozen=True)
class HiringPlan:
    """One group's weeks: hires decided, employed, productive, cover and shortfall FTE."""

    hires: np.ndarray  # decided in each week (integers)
    employed: np.ndarray
    productive: np.ndarray
    overtime: np.ndarray
    temporary: np.ndarray
    shortfall: np.ndarray


def _prohibitive(cal: Calendar, weeks: int, weekly_cost: float) -> float:
    """A cost of one FTE-week uncovered that no way of covering it reaches: ten times a
    hire employed every week of the calendar at the higher premium, per FTE-week of their
    least productive week — at least UNCOVERED. (A fixed 10⁷ was less than a year's hire
    in won: the program left weeks uncovered that hiring could fill.)"""
    cover, hiring = cal.cover, cal.hiring
    ramp = hiring.productivity()
    least = float(min([1.0, *ramp[ramp > 0]]))
    premium = 1 + max(cover.overtime_premium, cover.temporary_premium)
    return max(UNCOVERED, 10 * (weekly_cost * weeks * premium + hiring.cost_per_hire) / least)


def plan_hires(
    required: np.ndarray,
    start: float,
    cal: Calendar,
    group: str,
    weekly_cost: float,
) -> HiringPlan:
    """The least-cost hires of `group` covering `required` FTE per week (see above)."""
    W = required.size
    hiring, cover = cal.hiring, cal.cover
    lead = int(hiring.lead_time)
    r = 1.0 - cal.attrition(group)
    ramp = hiring.productivity()
    weeks = np.arange(W)
    # E[w] = base[w] + Σ_d A[w, d] h[d];  P[w] = base[w] + Σ_d B[w, d] h[d]
    base = start * r**weeks
    k = weeks[:, None] - weeks[None, :] - lead  # weeks since hire d started, at week w
    since = np.where(k >= 0, k, 0)
    A = np.where(k >= 0, r**since, 0.0)
    rho = np.append(ramp, 1.0)[np.minimum(since, ramp.size)]  # ρ(k), 1 after the ramp
    B = A * rho

    # variables: h (W) | o (W) | t (W) | u (W)
    n = 4 * W
    eye = sparse.identity(W, format="csr")
    Bs = sparse.csr_array(B)
    rows = [
        # P + o + t + u ≥ required − base
        sparse.hstack([Bs, eye, eye, eye]),
        # o − share × P ≤ share × base
        sparse.hstack([-cover.overtime_share * Bs, eye, 0 * eye, 0 * eye]),
    ]
    lower = np.concatenate([required - base, np.full(W, -np.inf)])
    upper = np.concatenate([np.full(W, np.inf), cover.overtime_share * base])
    cap = hiring.max_per_week.get(group, np.inf)
    h_upper = np.where(weeks + lead < W, cap, 0.0)
    upper_bounds = np.concatenate(
        [
            h_upper,
            np.full(W, np.inf),
            np.full(W, np.inf if cover.temporary else 0.0),
            np.full(W, np.inf),
        ]
    )
    penalty = cover.shortfall_penalty if cover.shortfall else _prohibitive(cal, W, weekly_cost)
    cost = np.concatenate(
        [
            weekly_cost * A.sum(axis=0) + hiring.cost_per_hire,
            np.full(W, weekly_cost * (1 + cover.overtime_premium)),
            np.full(W, weekly_cost * (1 + cover.temporary_premium)),
            np.full(W, penalty),
        ]
    )
    integrality = np.concatenate([np.ones(W), np.zeros(3 * W)])
    result = highs.solve(  # HiGHS traces kept off stdout: `--json` stays one document
        cost,
        integrality=integrality,
        bounds=Bounds(np.zeros(n), upper_bounds),
        constraints=LinearConstraint(sparse.vstack(rows), lower, upper),
        options={"mip_rel_gap": 1e-6, "node_limit": NODES, "time_limit": BACKSTOP},
    )
    if result.x is None:
        raise PlanError(f"the hiring program found no plan: {result.message}")
    x = result.x
    h = np.round(x[:W])
    o, t, u = (np.maximum(x[i * W : (i + 1) * W], 0.0) for i in (1, 2, 3))
    return HiringPlan(h.astype(int), base + A @ h, base + B @ h, o, t, u)
