"""Sampling of the scenario's duration distributions by inverse transform.

Each draw is a function of one uniform number, so contact i keeps its uniform when
a what-if variant changes a distribution or a reason mix (common random numbers).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from ccsim.scenario.model import Distribution


def quantile(dist: Distribution, u: np.ndarray) -> np.ndarray:
    """Inverse CDF of `dist` at uniforms `u` in (0, 1): durations in minutes."""
    u = np.asarray(u, float)
    m = dist.mean
    if dist.dist == "fixed":
        return np.full(u.shape, m)
    if dist.dist == "exponential":
        return -m * np.log1p(-u)
    if dist.dist == "lognormal":
        sigma2 = math.log1p(dist.cv**2)
        mu = math.log(m) - sigma2 / 2
        return np.exp(mu + math.sqrt(sigma2) * special.ndtri(u))
    if dist.dist == "gamma":
        k = 1.0 / dist.cv**2
        return special.gammaincinv(k, u) * (m / k)
    if dist.dist == "weibull":
        k = dist.shape
        scale = m / math.gamma(1 + 1 / k)
        return scale * (-np.log1p(-u)) ** (1 / k)
    raise ValueError(f"unknown distribution {dist.dist!r}")


def sample(dist: Distribution, rng: np.random.Generator, size: int) -> np.ndarray:
    """`size` draws of `dist` from `rng`."""
    return quantile(dist, rng.random(size))
