"""Analytic queueing formulas: Erlang B, Erlang C (M/M/n) and Erlang A (M/M/n+M).

This is the analytic backbone of ccsim: quick staffing estimates and the reference the
simulation is validated against. All times are in MINUTES and all rates are per minute.

Notation: arrival rate ``lam``, mean handle time ``aht`` (service rate ``mu = 1/aht``), offered
load ``a = lam * aht`` in Erlangs, ``n`` agents, mean patience ``1/theta`` (Erlang A only).

Everything is computed with bounded recursions or in log-space, so it stays finite for
thousands of agents (e.g. ``erlang_b(4900, 5000)``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import betainc, gammaln

__all__ = [
    "ErlangAResult",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "erlang_c_asa",
    "erlang_c_service_level",
    "required_agents_erlang_a",
    "required_agents_erlang_c",
]

# Erlang A tail truncation: drop the tail once its (bounded) mass is below exp(-_TAIL_LOG_EPS)
# relative to the total, i.e. ~1e-17.
_TAIL_LOG_EPS = 40.0
_MAX_TAIL_STATES = 10_000_000


def _check_agents(agents: int, minimum: int = 0) -> int:
    if int(agents) != agents or agents < minimum:
        raise ValueError(f"agents must be an integer >= {minimum}, got {agents!r}")
    return int(agents)


def _clip01(x: float) -> float:
    """Clamp a probability to [0, 1] (removes ~1e-15 rounding excursions)."""
    return min(max(x, 0.0), 1.0)


def _as_output(x: np.ndarray) -> float | np.ndarray:
    """Return a Python float for 0-d results and the array otherwise."""
    return float(x) if np.ndim(x) == 0 else x


def _erlang_b_array(load: ArrayLike, agents: int) -> np.ndarray:
    """Erlang B by the recursion B(0)=1, B(k) = a B(k-1) / (k + a B(k-1)); never overflows."""
    a = np.asarray(load, dtype=float)
    if np.any(a < 0):
        raise ValueError("load must be >= 0")
    b = np.ones_like(a)
    for k in range(1, agents + 1):
        ab = a * b
        b = ab / (k + ab)
    return b


def _erlang_c_array(load: ArrayLike, agents: int) -> np.ndarray:
    """Erlang C from Erlang B: C = n B / (n - a (1 - B)) for a < n, else 1."""
    a = np.asarray(load, dtype=float)
    b = _erlang_b_array(a, agents)
    stable = a < agents
    denom = np.where(stable, agents - a * (1.0 - b), 1.0)
    return np.where(stable, agents * b / denom, 1.0)


def erlang_b(load: float, agents: int) -> float:
    """Blocking probability of an M/M/n/n loss system with ``load`` Erlangs offered.

    Uses the stable recursion, so it works for thousands of agents. A numpy array of loads is
    also accepted (an array is returned).
    """
    return _as_output(_erlang_b_array(load, _check_agents(agents)))


def erlang_c(load: float, agents: int) -> float:
    """Probability that an arrival waits in an M/M/n queue (Erlang C); 1.0 when load >= agents.

    A numpy array of loads is also accepted (an array is returned).
    """
    return _as_output(_erlang_c_array(load, _check_agents(agents)))


def erlang_c_service_level(
    arrival_rate: ArrayLike, aht: float, agents: int, within: float
) -> float | np.ndarray:
    """Share of calls answered within ``within`` minutes for M/M/n: 1 - C exp(-(n-a) t / aht).

    Returns 0 when unstable (a >= n). ``arrival_rate`` may be a scalar (float returned) or a
    numpy array (broadcast, array returned).
    """
    n = _check_agents(agents)
    lam = np.asarray(arrival_rate, dtype=float)
    a = lam * aht
    c = _erlang_c_array(a, n)
    stable = a < n
    sl = 1.0 - c * np.exp(-np.where(stable, n - a, 0.0) * within / aht)
    return _as_output(np.where(stable, sl, 0.0))


def erlang_c_asa(arrival_rate: ArrayLike, aht: float, agents: int) -> float | np.ndarray:
    """Average speed of answer (mean wait over all calls, minutes) for M/M/n: C aht / (n - a).

    Returns inf when unstable (a >= n). Accepts scalar or numpy-array ``arrival_rate``.
    """
    n = _check_agents(agents)
    a = np.asarray(arrival_rate, dtype=float) * aht
    c = _erlang_c_array(a, n)
    stable = a < n
    asa = c * aht / np.where(stable, n - a, 1.0)
    return _as_output(np.where(stable, asa, np.inf))


@dataclass(frozen=True)
class ErlangAResult:
    """Steady-state performance of an M/M/n+M (Erlang A) queue; times in minutes."""

    p_wait: float  # P(an arrival finds all agents busy)
    p_abandon: float  # share of offered arrivals who abandon
    service_level: float  # share of ALL offered arrivals answered within `within`
    mean_wait: float  # mean wait over all offered arrivals (abandoned: time until abandoning)
    asa: float  # mean wait of answered arrivals
    occupancy: float  # carried load / agents


def _logsumexp(x: np.ndarray) -> float:
    """log(sum(exp(x))) without overflow (scipy's version is slow for this hot loop)."""
    top = float(x.max())
    return top + math.log(float(np.exp(x - top).sum()))


def _erlang_a_queue_probs(lam: float, mu: float, theta: float, n: int) -> np.ndarray:
    """Stationary P(state n+j), j = 0..J, of the M/M/n+M birth-death chain (tail truncated).

    Log weights: k log a - log k! for k <= n, then ratio lam / (n mu + i theta) per extra
    queued call. Normalised with logsumexp, so no overflow for large n.
    """
    a = lam / mu
    k = np.arange(n + 1)
    log_w_busy = k * math.log(a) - gammaln(k + 1)  # states 0..n
    log_w_n = log_w_busy[-1]

    blocks: list[np.ndarray] = []
    last, size, j0 = log_w_n, 256, 0
    while True:
        i = np.arange(j0 + 1, j0 + size + 1)
        block = last + np.cumsum(math.log(lam) - np.log(n * mu + i * theta))
        blocks.append(block)
        j0, last, size = j0 + size, block[-1], size * 2
        # Remaining tail is bounded by a geometric series with ratio r (ratios only decrease).
        r = lam / (n * mu + (j0 + 1) * theta)
        if r == 0.0:  # a rate so small the ratio underflows: no tail left
            break
        if r < 1.0:
            total = _logsumexp(np.concatenate([log_w_busy, *blocks]))
            if last + math.log(r / (1.0 - r)) < total - _TAIL_LOG_EPS:
                break
        if j0 > _MAX_TAIL_STATES:
            raise ValueError("Erlang A queue tail too long; patience too large for this load")

    log_w_queue = np.concatenate([[log_w_n], *blocks])
    log_total = _logsumexp(np.concatenate([log_w_busy[:-1], log_w_queue]))
    return np.exp(log_w_queue - log_total)


def erlang_a(
    arrival_rate: float, aht: float, patience: float, agents: int, within: float = 0.0
) -> ErlangAResult:
    """Exact Erlang A (M/M/n+M, Palm / Garnett-Mandelbaum-Reiman) performance measures.

    Stationary probabilities come from the birth-death chain (up rate lam; down rate k mu for
    k <= n and n mu + j theta with j queued). By PASTA an arrival sees that distribution. An
    arrival finding j calls queued ahead (c = n mu) is answered after
    T_j = sum_{i=0..j} Exp(c + i theta) unless its own Exp(theta) patience expires first, so
    with m = j + 1 (closed forms, the product of Laplace transforms telescopes):

    * P(answered | j)            = E[exp(-theta T_j)] = c / (c + m theta)
    * E[wait | j]                = E[min(T_j, patience)] = m / (c + m theta)
    * E[wait; answered | j]      = c / (c + m theta) * sum_{i=1..m} 1 / (c + i theta)
    * P(answered within t | j)   = c / (c + m theta) * P(S_m <= t),
      S_m = sum_{i=1..m} Exp(c + i theta), whose CDF is the regularized incomplete beta
      I_x(m, c / theta + 1) with x = 1 - exp(-theta t) (stable for any m).

    ``patience`` is the mean patience (minutes), finite and > 0; for infinite patience use the
    Erlang C functions. Raises ValueError if the truncated queue tail would exceed 10 million
    states (heavy overload combined with near-infinite patience).
    """
    n = _check_agents(agents, minimum=1)
    if not (aht > 0 and 0 < patience < math.inf):
        raise ValueError("aht must be > 0 and patience finite and > 0")
    if arrival_rate < 0 or within < 0:
        raise ValueError("arrival_rate and within must be >= 0")
    if arrival_rate == 0:
        return ErlangAResult(0.0, 0.0, 1.0, 0.0, 0.0, 0.0)

    mu, theta = 1.0 / aht, 1.0 / patience
    c = n * mu
    pq = _erlang_a_queue_probs(arrival_rate, mu, theta, n)  # P(find n+j), j = 0..J
    m = np.arange(1, pq.size + 1, dtype=float)
    p_answer_j = c / (c + m * theta)

    p_wait = float(pq.sum())
    p_abandon = float(np.dot(pq, 1.0 - p_answer_j))
    mean_wait = float(np.dot(pq, m / (c + m * theta)))
    wait_answered = float(np.dot(pq, p_answer_j * np.cumsum(1.0 / (c + m * theta))))
    asa = wait_answered / (1.0 - p_abandon) if p_abandon < 1.0 else 0.0

    answered_within = 0.0
    if within > 0:
        x = -math.expm1(-theta * within)
        answered_within = float(np.dot(pq, p_answer_j * betainc(m, c / theta + 1.0, x)))
    service_level = (1.0 - p_wait) + answered_within

    occupancy = arrival_rate * aht * (1.0 - p_abandon) / n
    return ErlangAResult(
        p_wait=_clip01(p_wait),
        p_abandon=_clip01(p_abandon),
        service_level=_clip01(service_level),
        mean_wait=mean_wait,
        asa=asa,
        occupancy=_clip01(occupancy),
    )


def required_agents_erlang_c(
    arrival_rate: float, aht: float, within: float, target: float, max_agents: int = 100000
) -> int:
    """Smallest n with a < n and Erlang C service level >= ``target``.

    Walks n upward updating Erlang B incrementally, so the search is O(n). Raises ValueError if
    no n <= ``max_agents`` qualifies.
    """
    a = arrival_rate * aht
    if a < 0 or not 0 <= target <= 1:
        raise ValueError("need arrival_rate * aht >= 0 and 0 <= target <= 1")
    if a > 0 and target >= 1:  # (rounding made 1.0 of 1 − 2e-15: "44 agents required")
        raise ValueError("a service level of 100% is out of reach: some contacts always wait")
    b = 1.0
    for n in range(1, max_agents + 1):
        b = a * b / (n + a * b)
        if a < n:
            c = n * b / (n - a * (1.0 - b))
            if 1.0 - c * math.exp(-(n - a) * within / aht) >= target:
                return n
    raise ValueError(f"target service level not reachable with <= {max_agents} agents")


def required_agents_erlang_a(
    arrival_rate: float,
    aht: float,
    patience: float,
    within: float,
    target: float,
    max_abandon: float | None = None,
    max_agents: int = 100000,
) -> int:
    """Smallest n with Erlang A service level >= ``target`` and p_abandon <= ``max_abandon``.

    Both measures improve monotonically with n, so an exponential then binary search is used.
    Raises ValueError if no n <= ``max_agents`` qualifies.
    """

    if arrival_rate > 0 and target >= 1:
        raise ValueError("a service level of 100% is out of reach: some contacts always wait")
    if arrival_rate > 0 and max_abandon is not None and max_abandon <= 0:
        raise ValueError("an abandon rate of 0% is out of reach: some callers always hang up")

    def ok(n: int) -> bool:
        r = erlang_a(arrival_rate, aht, patience, n, within)
        return r.service_level >= target and (max_abandon is None or r.p_abandon <= max_abandon)

    lo, hi = 0, 1  # invariant: lo fails (n = 0 is never considered); search upward from hi
    while not ok(hi):
        if hi >= max_agents:
            raise ValueError(f"targets not reachable with <= {max_agents} agents")
        lo, hi = hi, min(2 * hi, max_agents)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if ok(mid):
            hi = mid
        else:
            lo = mid
    return hi
