"""The anger curve (docs/model.md) as pure functions of their inputs.

Anger `a` is in [0, 1]. Waiting raises it towards 1; in the conversation an angry
customer first vents (anger rises to a peak) and then calms down under the agent's
empathy; only then can the problem be solved. Every function works on numpy arrays
(vectorised) and on plain floats. The engine's per-contact path writes the venting
formula out inline (`ccsim.model.engine`), where numpy's per-call overhead dominates;
tests/test_engine.py holds it to `venting_time`.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from ccsim.scenario.model import AngerModel

PROMOTER, PASSIVE, DETRACTOR = 1, 0, -1
NEVER = float("inf")


def beta_parameters(mean: ArrayLike, concentration: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Beta(alpha, beta) with the given mean and concentration alpha + beta."""
    mean, concentration = np.asarray(mean, float), np.asarray(concentration, float)
    return mean * concentration, (1.0 - mean) * concentration


def anger_after_wait(a0: ArrayLike, wait: ArrayLike, tolerance: ArrayLike) -> np.ndarray:
    """a_w = 1 − (1 − a0)·exp(−w / tolerance): waiting makes customers angrier."""
    return 1.0 - (1.0 - np.asarray(a0, float)) * np.exp(-np.asarray(wait, float) / tolerance)


def peak_anger(a_w: ArrayLike, peak_gain: float) -> np.ndarray:
    """a_peak = min(1, a_w·(1 + peak_gain)) for customers who vent (a_w > calm_below)."""
    return np.minimum(1.0, np.asarray(a_w, float) * (1.0 + peak_gain))


def peak_after_wait(a_w: ArrayLike, curve: AngerModel) -> np.ndarray:
    """a_peak of each customer: the vented peak for a_w > calm_below, a_w itself for
    customers calm enough not to vent."""
    a_w = np.asarray(a_w, float)
    return np.where(a_w > curve.calm_below, peak_anger(a_w, curve.peak_gain), a_w)


def escalation_threshold(curve: AngerModel) -> float:
    """Anger at pick-up above which a contact escalates (a_peak > escalate_above).

    a_peak is a_w for calm customers and min(1, a_w·(1 + peak_gain)) for venting ones,
    a non-decreasing function of a_w, so the rule is a threshold on a_w (inf = never).
    """
    if not curve.enabled or curve.escalate_above >= 1.0:
        return NEVER
    if curve.escalate_above < curve.calm_below:
        return curve.escalate_above
    return max(curve.calm_below, curve.escalate_above / (1.0 + curve.peak_gain))


def rise_time(a_w: ArrayLike, calm_below: float, rise_rate: float, peak_gain: float) -> np.ndarray:
    """Minutes of rising anger: ln(a_peak / a_w) / rise_rate (0 for calm customers)."""
    a_w = np.asarray(a_w, float)
    vents = a_w > calm_below
    safe = np.where(vents, a_w, 1.0)
    return np.where(vents, np.log(peak_anger(safe, peak_gain) / safe) / rise_rate, 0.0)


def calming_time(
    a_w: ArrayLike, calm_below: float, peak_gain: float, empathy_decay: float, empathy: ArrayLike
) -> np.ndarray:
    """Minutes of empathy until anger is back at calm_below (0 for calm customers)."""
    a_w = np.asarray(a_w, float)
    vents = a_w > calm_below
    peak = peak_anger(np.where(vents, a_w, 1.0), peak_gain)
    rate = empathy_decay * np.asarray(empathy, float)
    return np.where(vents, np.log(peak / calm_below) / rate, 0.0)


def venting_time(
    a_w: ArrayLike,
    calm_below: float,
    rise_rate: float,
    peak_gain: float,
    empathy_decay: float,
    empathy: ArrayLike = 1.0,
) -> np.ndarray:
    """Venting = rise + calming time; zero when a_w ≤ calm_below."""
    return rise_time(a_w, calm_below, rise_rate, peak_gain) + calming_time(
        a_w, calm_below, peak_gain, empathy_decay, empathy
    )


def patience_factor(a0: ArrayLike, patience_drop: float) -> np.ndarray:
    """Angry customers are less patient: mean patience × (1 − patience_drop·a0)."""
    return 1.0 - patience_drop * np.asarray(a0, float)


def nps_class(
    a_w: ArrayLike, abandoned: ArrayLike, promoter_below: float, detractor_above: float
) -> np.ndarray:
    """+1 promoter (a_w < promoter_below), −1 detractor (a_w > detractor_above or
    abandoned), 0 passive."""
    a_w = np.asarray(a_w, float)
    out = np.zeros(a_w.shape, dtype=np.int8)
    out[a_w < promoter_below] = PROMOTER
    out[(a_w > detractor_above) | np.asarray(abandoned, bool)] = DETRACTOR
    return out


def nps(classes: ArrayLike) -> float:
    """Net promoter score: % promoters − % detractors (NaN for no customers)."""
    classes = np.asarray(classes)
    if classes.size == 0:
        return float("nan")
    return 100.0 * (np.mean(classes == PROMOTER) - np.mean(classes == DETRACTOR))


def trajectory(
    t: ArrayLike,
    a_w: float,
    calm_below: float,
    rise_rate: float,
    peak_gain: float,
    empathy_decay: float,
    empathy: float = 1.0,
) -> np.ndarray:
    """Anger during the conversation at times t (minutes after the agent answers), for plots.

    Rises exponentially at rise_rate to the peak, then decays exponentially at
    empathy_decay × empathy to calm_below, after which it stays there (problem solving).
    """
    t = np.asarray(t, float)
    if a_w <= calm_below:
        return np.full(t.shape, a_w)
    peak = min(1.0, a_w * (1.0 + peak_gain))
    t_rise = math.log(peak / a_w) / rise_rate
    rate = empathy_decay * empathy
    t_calm = math.log(peak / calm_below) / rate
    rising = a_w * np.exp(rise_rate * np.minimum(t, t_rise))
    falling = peak * np.exp(-rate * np.clip(t - t_rise, 0.0, t_calm))
    return np.where(t < t_rise, rising, falling)
