"""The anger curve fitted from a log: does handling take longer after a longer wait?

1. A regression of handle time on the wait before the answer, with a level per reason
   (least squares, heteroscedasticity-robust standard errors): the slope and its 95 %
   interval. No significant increase → `anger: off`, with the figures as the reason.
2. Otherwise the curve is calibrated: with the format's defaults for the shape of venting
   (`calm_below`, `rise_rate`, `peak_gain`) and for the initial anger of each reason,
   the channel's `tolerance` and `empathy_decay` are chosen by weighted least squares so
   that the model's expected handle time after a wait (`ccsim.model.anger`) follows the
   binned means of the log; each reason's resolution mean is its level. Intervals come
   from the fit's Jacobian.

Abandonment after a wait is the patience fit's concern (`ccsim.history.patience`): the
fitted patience already is that of customers as angry as they were, so the fitted
scenario sets `patience_drop: 0`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import optimize, stats

from ccsim.history.estimates import Estimate, Z
from ccsim.model.anger import anger_after_wait, beta_parameters, venting_time
from ccsim.scenario.model import AngerModel, AngerPrior

BINS = 12  # wait bins per reason for the calibration
MIN_BIN = 30  # contacts in a bin at least
SAMPLE = 256  # waits per bin over which the model's expected venting is averaged


@dataclass
class AngerFit:
    """The verdict: off (with why), or the calibrated tolerance and empathy decay."""

    enabled: bool
    reason: str  # why off, or how it was fitted
    slope: tuple[float, float, float]  # handle seconds per minute of wait, with interval
    tolerance: float | None = None  # minutes
    empathy_decay: float | None = None
    levels: dict[str, float] = field(default_factory=dict)  # reason -> resolution mean (min)
    binned: pd.DataFrame = field(default_factory=pd.DataFrame)  # reason, wait, handle, n
    curve: AngerModel = field(default_factory=AngerModel)

    def venting(self, wait_min: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Mean and variance of venting (minutes) after each wait, under the fitted curve."""
        if not self.enabled:
            return np.zeros(np.shape(wait_min)), np.zeros(np.shape(wait_min))
        return venting_moments(np.asarray(wait_min, float), self.tolerance, self.curve)


def expected_venting(wait: np.ndarray, tolerance: float, curve: AngerModel) -> np.ndarray:
    """Mean venting (minutes) after `wait` minutes over the default initial anger."""
    return venting_moments(wait, tolerance, curve)[0]


def venting_moments(
    wait: np.ndarray, tolerance: float, curve: AngerModel
) -> tuple[np.ndarray, np.ndarray]:
    """Mean and variance of venting (minutes) after `wait` minutes, over the default
    initial anger (`ccsim.model.anger`): how much of handle time's spread is venting.

    Only customers whose anger after the wait exceeds `calm_below` vent, i.e. those with
    a0 above a0* = 1 − (1 − calm_below)·e^(w/τ); the integral over a0 ∈ [a0*, 1] against
    the Beta density is taken by Gauss–Legendre quadrature, so the result is smooth in
    the wait and the tolerance (quantile points would make it jump)."""
    prior = AngerPrior()
    alpha, beta = beta_parameters(prior.mean, prior.concentration)
    w = np.asarray(wait, float)[None, :]
    low = np.clip(1 - (1 - curve.calm_below) * np.exp(w / tolerance), 0.0, 1.0)
    a0 = low + (1 - low) * _NODES[:, None]  # (nodes, waits)
    weight = (1 - low) * _WEIGHTS[:, None] * stats.beta.pdf(a0, alpha, beta)
    a_w = anger_after_wait(a0, w, tolerance)
    vent = venting_time(
        a_w, curve.calm_below, curve.rise_rate, curve.peak_gain, curve.empathy_decay
    )
    mean = (weight * vent).sum(axis=0)
    return mean, np.maximum((weight * vent**2).sum(axis=0) - mean**2, 0.0)


_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(32)
_NODES, _WEIGHTS = (_NODES + 1) / 2, _WEIGHTS / 2  # on [0, 1]


def fit(
    wait_s: np.ndarray, handle_s: np.ndarray, reason: np.ndarray
) -> tuple[AngerFit, list[Estimate]]:
    """The anger verdict from answered contacts: waits, handle times (seconds), reasons."""
    wait, handle = np.asarray(wait_s, float) / 60, np.asarray(handle_s, float) / 60
    reason = np.asarray(reason).astype(str)
    names = sorted(set(reason))
    slope = _slope(wait, handle, reason, names)
    low, high = slope[1], slope[2]
    n = wait.size
    method = "handle time on wait, robust least squares"
    estimate = Estimate("anger.slope", slope[0] * 60, low * 60, high * 60, n, method, "s/min")
    binned = _bins(wait, handle, reason, names)
    why = ""
    # above rounding: handle times all alike gave a slope of 1e-14 with no spread, "on"
    scale = float(np.mean(handle)) if handle.size else 0.0  # (no answered contact)
    if not low > 1e-9 * max(scale, 1e-12):
        why = (
            f"handle time does not grow significantly with the wait: {slope[0] * 60:+z.1f} s "
            f"per minute waited (95% CI {low * 60:+z.1f} to {high * 60:+z.1f}, n = {n:,})"
        )
    elif binned.empty:  # no reason has two answered contacts alike in wait to compare
        why = (
            f"too few answered contacts per reason to calibrate ({len(names):,} reasons, n = {n:,})"
        )
    if why:
        return AngerFit(False, why, (slope[0] * 60, low * 60, high * 60), binned=binned), [estimate]
    fitted, estimates = _calibrate(binned, names)
    fitted.slope = (slope[0] * 60, low * 60, high * 60)
    return fitted, [estimate, *estimates]


def _slope(wait, handle, reason, names) -> tuple[float, float, float]:
    """Least-squares slope of handle on wait with a level per reason (HC1 errors)."""
    x = np.column_stack([(reason == r).astype(float) for r in names] + [wait])
    xtx_inv = np.linalg.pinv(x.T @ x)
    beta = xtx_inv @ x.T @ handle
    e = handle - x @ beta
    n, p = x.shape
    meat = (x * (e * e)[:, None]).T @ x
    cov = xtx_inv @ meat @ xtx_inv * n / max(n - p, 1)
    se = math.sqrt(max(cov[-1, -1], 0.0))
    return float(beta[-1]), float(beta[-1] - Z * se), float(beta[-1] + Z * se)


def _bins(wait, handle, reason, names) -> pd.DataFrame:
    """Per reason, contacts binned by wait: mean wait, mean handle, its variance, n, and
    a sample of the bin's waits (the model is averaged over them, not taken at the mean)."""
    rng = np.random.default_rng(0)  # which waits stand for a bin: fixed, for repeatability
    rows = []
    for r in names:
        mine = reason == r
        w, h = wait[mine], handle[mine]
        bins = min(BINS, max(1, w.size // MIN_BIN))
        edges = np.unique(np.quantile(w, np.linspace(0, 1, bins + 1)))
        which = np.clip(np.searchsorted(edges, w, side="right") - 1, 0, max(edges.size - 2, 0))
        for b in np.unique(which):
            sel = which == b
            if sel.sum() < 2:
                continue
            members = w[sel]
            if members.size > SAMPLE:
                members = rng.choice(members, SAMPLE, replace=False)
            rows.append(
                {
                    "reason": r,
                    "wait": float(w[sel].mean()),
                    "handle": float(h[sel].mean()),
                    "var": float(h[sel].var(ddof=1) / sel.sum()),
                    "n": int(sel.sum()),
                    "waits": members,
                }
            )
    return pd.DataFrame(rows)


def _calibrate(binned: pd.DataFrame, names: list[str]) -> tuple[AngerFit, list[Estimate]]:
    """Tolerance, empathy decay and a resolution level per reason by weighted least
    squares on the binned means."""
    which = binned["reason"].map({r: i for i, r in enumerate(names)}).to_numpy()
    h = binned["handle"].to_numpy()
    sd = np.sqrt(np.maximum(binned["var"].to_numpy(), 1e-12))
    waits = np.concatenate(binned["waits"].to_list())
    bin_of = np.repeat(np.arange(len(binned)), [len(x) for x in binned["waits"]])
    size = np.bincount(bin_of)

    def model(theta: np.ndarray) -> np.ndarray:
        tolerance, decay = math.exp(theta[0]), math.exp(theta[1])
        curve = AngerModel(empathy_decay=min(decay, 1000.0))
        vent = np.bincount(bin_of, weights=expected_venting(waits, tolerance, curve)) / size
        return theta[2:][which] + vent

    levels0 = [float(h[which == i].min()) for i in range(len(names))]
    start = np.array([math.log(3.0), math.log(0.8), *levels0])
    bounds = (
        [math.log(0.05), math.log(1e-3)] + [0.0] * len(names),
        [math.log(1e4), math.log(1e3)] + [np.inf] * len(names),
    )
    fit = optimize.least_squares(lambda t: (model(t) - h) / sd, start, bounds=bounds)
    dof = max(len(h) - fit.x.size, 1)
    scale = max(float(np.sum(fit.fun**2)) / dof, 1.0)  # inflate when the bins scatter more
    information = fit.jac.T @ fit.jac
    if np.linalg.matrix_rank(information) < information.shape[0]:  # not identified
        cov = np.full(information.shape, np.inf)
    else:
        cov = np.linalg.inv(information) * scale
    se = np.sqrt(np.maximum(np.diag(cov), 0.0))
    Z_ = float(stats.t.ppf(0.975, dof))  # the spread of the bins is estimated: t quantile
    tolerance, decay = math.exp(fit.x[0]), math.exp(fit.x[1])
    curve = AngerModel(empathy_decay=min(decay, 1000.0))
    levels = {r: float(fit.x[2 + i]) for i, r in enumerate(names)}
    n = int(binned["n"].sum())
    method = "weighted least squares on binned handle times"

    def log_scale(name: str, value: float, error: float, unit: str) -> Estimate:
        """A parameter fitted on the log scale: its CI is exp(log value ± t × se)."""
        low, high = value * math.exp(-Z_ * error), value * math.exp(Z_ * error)
        return Estimate(name, value, low, high, n, method, unit)

    estimates = [
        log_scale("tolerance", tolerance, se[0], "min"),
        log_scale("anger.empathy_decay", decay, se[1], "per min"),
    ]
    for i, r in enumerate(names):
        v, e = levels[r], float(se[2 + i])
        estimates.append(
            Estimate(
                f"reasons.{r}.resolve.mean",
                v,
                max(v - Z_ * e, 0),
                v + Z_ * e,
                int(binned.loc[binned["reason"] == r, "n"].sum()),
                method,
                "min",
            )
        )
    why = (
        f"calibrated on {n:,} answered contacts: tolerance {tolerance:.3g} min, empathy "
        f"decay {decay:.3g} per min"
    )
    return AngerFit(True, why, (0, 0, 0), tolerance, decay, levels, binned, curve), estimates
