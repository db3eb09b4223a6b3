"""Patience of voice/chat customers fitted from censored waits (docs/history.md).

An abandon is an observation of the customer's patience (they waited that long); an
answered call only says the patience was longer than its wait — a right-censored
observation. Kaplan–Meier (scipy.stats.ecdf) shows the survival of patience without a
model; exponential and Weibull are fitted by censored maximum likelihood and the better
one by AIC goes into the scenario. Customers who gave up at once (`balked`) are the
scenario's `balk` share among those who found no agent free (they waited, or balked).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special, stats

from ccsim.history.estimates import Estimate, Z, wilson


@dataclass
class PatienceFit:
    """Patience fitted: the chosen family and both fits, the balk share, Kaplan–Meier."""

    dist: str  # exponential or weibull
    mean: float  # minutes (chosen family)
    shape: float | None
    balk: float
    loglik: dict[str, float]
    exponential_mean: tuple[float, float, float]  # minutes, with its 95 % interval
    weibull: tuple[float, float, float, float]  # mean (min) and its interval, shape
    km: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # minutes, survival, low, high
    events: int
    censored: int

    def spec(self) -> dict[str, float | str]:
        out: dict[str, float | str] = {"dist": self.dist, "mean": round(self.mean, 4)}
        if self.dist == "weibull":
            out["shape"] = round(self.shape or 1.0, 4)
        if self.balk > 0:
            out["balk"] = round(self.balk, 5)
        return out


def survival(minutes: np.ndarray, mean: float, shape: float | None = None) -> np.ndarray:
    """The share of callers still waiting after `minutes` under an exponential patience
    of this mean (no shape) or a Weibull one (plotted against Kaplan–Meier)."""
    t = np.asarray(minutes, float)
    if shape is None:
        return np.exp(-t / mean)
    scale = mean / math.gamma(1 + 1 / shape)
    return np.exp(-((t / scale) ** shape))


def fit(
    wait_s: np.ndarray, outcome: np.ndarray, field: str
) -> tuple[PatienceFit | None, list[Estimate]]:
    """Patience from the waits (seconds) and outcomes of a channel's offered contacts;
    None, with the reason as the estimate's method, when fewer than two gave up after a
    wait (nobody seen giving up: the channel is written without patience)."""
    wait = np.asarray(wait_s, float) / 60
    outcome = np.asarray(outcome)
    balked = int(np.sum(outcome == "balked"))
    event = (outcome == "abandoned") & (wait > 0)
    censored = (outcome != "abandoned") & (outcome != "balked") & (wait > 0)
    w_event, w_all = wait[event], wait[event | censored]
    d = int(event.sum())
    # an abandon without an end time has no wait: counted in the volume, left out here
    # (it biases the patience up: said in the method, not dropped silently)
    unknown = int(np.sum((outcome == "abandoned") & ~np.isfinite(wait)))
    lost = f"; {unknown:,} abandon(s) without an end time left out" if unknown else ""
    if d < 2:
        why = (
            f"{d} abandon(s) after a wait, too few to fit: no patience, nobody gives up in "
            f"the simulation ({balked:,} balk(s) not modelled either){lost}"
        )
        return None, [
            Estimate(f"{field}.mean", math.nan, math.nan, math.nan, int(w_all.size), why, "min")
        ]
    waited = int((event | censored).sum())
    balk = balked / (balked + waited)
    exp_mean = float(w_all.sum() / d)
    exp_ci = (
        2 * w_all.sum() / stats.chi2.ppf(0.975, 2 * d),
        2 * w_all.sum() / stats.chi2.ppf(0.025, 2 * d),
    )
    ll_exp = -d * math.log(exp_mean) - float(w_all.sum()) / exp_mean
    weibull = _weibull(w_event, w_all)
    if weibull is None:  # its shape would be outside [0.02, 50] (waits all alike, say)
        k = wei_mean = se = se_log_k = math.nan
        loglik = {"exponential": ll_exp}
        best = "exponential"
    else:
        k, scale, ll_wei, cov = weibull
        wei_mean = scale * math.gamma(1 + 1 / k)
        grad = np.array([-wei_mean * float(special.digamma(1 + 1 / k)) / k, wei_mean])
        se = math.sqrt(max(float(grad @ cov @ grad), 0.0))  # delta method in (log k, log λ)
        se_log_k = math.sqrt(max(cov[0, 0], 0.0))
        loglik = {"exponential": ll_exp, "weibull": ll_wei}
        best = "weibull" if 2 * 2 - 2 * ll_wei < 2 * 1 - 2 * ll_exp else "exponential"
    km = stats.ecdf(stats.CensoredData(uncensored=w_event, right=wait[censored]))
    with warnings.catch_warnings():  # undefined where survival reaches 0: NaN there
        warnings.simplefilter("ignore", RuntimeWarning)
        band = km.sf.confidence_interval(0.95)
    times = km.sf.quantiles
    fitted = PatienceFit(
        best,
        wei_mean if best == "weibull" else exp_mean,
        k if best == "weibull" else None,
        balk,
        loglik,
        (exp_mean, *exp_ci),
        (wei_mean, max(wei_mean - Z * se, 0), wei_mean + Z * se, k),
        (times, km.sf.probabilities, band.low.probabilities, band.high.probabilities),
        d,
        int(censored.sum()),
    )
    n = d + int(censored.sum())
    chosen = fitted.weibull[:3] if best == "weibull" else fitted.exponential_mean
    estimates = [
        Estimate(f"{field}.mean", *chosen, n, f"{best}, censored MLE, {d:,} abandons{lost}", "min"),
        Estimate(
            f"{field}.balk",
            balk,
            *wilson(balked, balked + waited),
            balked + waited,
            "gave up at once, of those who found no agent free",
        ),
    ]
    if best == "weibull":
        estimates.insert(
            1,
            Estimate(
                f"{field}.shape",
                k,
                k * math.exp(-Z * se_log_k),
                k * math.exp(Z * se_log_k),
                n,
                "Weibull, censored MLE",
            ),
        )
    return fitted, estimates


def _weibull(
    w_event: np.ndarray, w_all: np.ndarray
) -> tuple[float, float, float, np.ndarray] | None:
    """Censored Weibull MLE: (shape, scale, log-likelihood, covariance of (log k, log λ));
    None when the shape's estimate is not within [0.02, 50] — when every wait is alike
    it grows without bound — and the exponential is the only fit."""
    d = w_event.size
    log_e, log_all = np.log(w_event), np.log(w_all)

    def score(k: float) -> float:  # ∂ℓ/∂k with the scale profiled out
        wk = np.exp(k * log_all)
        return d / k + log_e.sum() - d * float((wk * log_all).sum() / wk.sum())

    if score(0.02) * score(50.0) > 0:
        return None
    k = float(optimize.brentq(score, 0.02, 50.0))
    scale = float((np.exp(k * log_all).sum() / d) ** (1 / k))

    def loglik(theta: np.ndarray) -> float:
        kk, lam = math.exp(theta[0]), math.exp(theta[1])
        return float(
            d * math.log(kk)
            - d * kk * math.log(lam)
            + (kk - 1) * log_e.sum()
            - np.exp(kk * (log_all - math.log(lam))).sum()
        )

    theta = np.array([math.log(k), math.log(scale)])
    h = 1e-4
    hessian = np.zeros((2, 2))
    for i in range(2):
        for j in range(2):
            e_i, e_j = np.eye(2)[i] * h, np.eye(2)[j] * h
            hessian[i, j] = (
                loglik(theta + e_i + e_j)
                - loglik(theta + e_i - e_j)
                - loglik(theta - e_i + e_j)
                + loglik(theta - e_i - e_j)
            ) / (4 * h * h)
    cov = np.linalg.inv(-hessian)
    return k, scale, loglik(theta), cov
