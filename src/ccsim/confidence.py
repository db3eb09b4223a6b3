"""Confidence intervals over replications (Student t), vectorised over columns."""

from __future__ import annotations

import warnings

import numpy as np
from scipy import stats


def t_interval(
    values: np.ndarray, level: float = 0.95, axis: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(mean, low, high) of the two-sided t-interval along `axis`; NaNs are ignored.

    With a single replication (or zero variance) the interval collapses to the mean.
    """
    values = np.asarray(values, float)
    n = np.sum(~np.isnan(values), axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # one replication: no spread
        mean = np.nanmean(values, axis=axis) if values.size else np.full(n.shape, np.nan)
        sd = np.nanstd(values, axis=axis, ddof=1) if values.size else np.zeros(n.shape)
        half = stats.t.ppf(0.5 + level / 2, np.maximum(n - 1, 1)) * sd / np.sqrt(n)
    half = np.where(n > 1, np.nan_to_num(half), 0.0)
    return mean, mean - half, mean + half


def lower_bound(values: np.ndarray, level: float = 0.95, axis: int = 0) -> np.ndarray:
    """One-sided lower confidence bound of the mean at `level`."""
    values = np.asarray(values, float)
    n = np.sum(~np.isnan(values), axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.nanmean(values, axis=axis)
        sd = np.nanstd(values, axis=axis, ddof=1)
        half = stats.t.ppf(level, np.maximum(n - 1, 1)) * sd / np.sqrt(n)
    return mean - np.where(n > 1, np.nan_to_num(half), 0.0)
