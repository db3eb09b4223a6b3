"""Duration distributions fitted by maximum likelihood among the scenario format's
families (exponential, lognormal, gamma, Weibull; scipy.stats, location 0), the best by
AIC; mean and CV with 95 % intervals that do not depend on the family chosen."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy import stats

from ccsim.history.estimates import Estimate, cv_interval, mean_interval

MIN_SECONDS = 1.0  # durations are floored at one second (logs round to whole seconds)
FAMILIES = ("exponential", "lognormal", "gamma", "weibull")


@dataclass
class DurationFit:
    """A fitted duration: the scenario's distribution (minutes) and the evidence."""

    dist: str
    mean: float  # minutes
    cv: float
    shape: float | None  # Weibull shape
    loglik: dict[str, float]  # family -> log-likelihood (seconds)
    n: int

    def spec(self) -> dict[str, float | str]:
        """The scenario's `{dist, mean, cv | shape}` (mean in minutes)."""
        out: dict[str, float | str] = {"dist": self.dist, "mean": round(self.mean, 4)}
        if self.dist in ("lognormal", "gamma"):
            out["cv"] = round(self.cv, 4)
        if self.dist == "weibull":
            out["shape"] = round(self.shape or 1.0, 4)
        return out


def fit(seconds: np.ndarray, field: str) -> tuple[DurationFit, list[Estimate]]:
    """The best family for durations in seconds, with the mean's and CV's intervals."""
    x = np.maximum(np.asarray(seconds, float), MIN_SECONDS)
    x = x[np.isfinite(x)]
    n = x.size
    if n < 2:
        raise ValueError(f"{field}: {n} observation(s), too few to fit a distribution")
    if np.ptp(x) == 0:  # (the families' fits fail on it: "solver cannot continue")
        raise ValueError(f"{field}: all {n:,} durations are {x[0]:g} s, nothing to fit a spread to")
    loglik = {family: _loglik(family, x) for family in FAMILIES}
    aic = {f: 2 * (1 if f == "exponential" else 2) - 2 * ll for f, ll in loglik.items()}
    best = min(aic, key=aic.get)  # type: ignore[arg-type]
    mean, mean_lo, mean_hi = mean_interval(x)
    cv, cv_lo, cv_hi = cv_interval(x)
    shape = _weibull_shape(x) if best == "weibull" else None
    result = DurationFit(best, mean / 60, cv, shape, loglik, n)
    method = f"{best} by AIC of {', '.join(FAMILIES)}"
    estimates = [
        Estimate(f"{field}.mean", mean / 60, mean_lo / 60, mean_hi / 60, n, method, "min"),
        Estimate(f"{field}.cv", cv, cv_lo, cv_hi, n, "sample moments, delta method"),
    ]
    return result, estimates


def _loglik(family: str, x: np.ndarray) -> float:
    """Maximised log-likelihood of `family` (location 0) for positive durations."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if family == "exponential":
            return float(np.sum(stats.expon.logpdf(x, scale=x.mean())))
        if family == "lognormal":
            logs = np.log(x)
            sigma = logs.std()
            return float(np.sum(stats.norm.logpdf(logs, logs.mean(), sigma) - logs))
        if family == "gamma":
            a, _, scale = stats.gamma.fit(x, floc=0)
            return float(np.sum(stats.gamma.logpdf(x, a, scale=scale)))
        k = _weibull_shape(x)
        scale = float(np.mean(x**k) ** (1 / k))
        return float(np.sum(stats.weibull_min.logpdf(x, k, scale=scale)))


def _weibull_shape(x: np.ndarray) -> float:
    """Weibull shape by maximum likelihood (location 0)."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        k, _, _ = stats.weibull_min.fit(x, floc=0)
    return float(k)
