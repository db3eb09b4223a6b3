"""Confidence intervals over replications (Student t), vectorised over columns."""

from __future__ import annotations

import numbers
import warnings

import numpy as np
from scipy import special


def _mean_and_error(values: np.ndarray, axis: int) -> tuple[np.ndarray, ...]:
    """(count, mean, standard error) along `axis`, NaNs ignored; quiet (no RuntimeWarning)
    when there are fewer than two values and so no spread. Values all the same give that
    value and no error exactly (the mean of three 11,184.55 was 11,184.550000000003, and
    a week's staff cost, the same in every replication, got a CI of its rounding)."""
    values = np.asarray(values, float)
    n = np.sum(~np.isnan(values), axis=axis)
    if not values.size:
        return n, np.full(n.shape, np.nan), np.zeros(n.shape)
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        mean = np.nanmean(values, axis=axis)
        sd = np.nanstd(values, axis=axis, ddof=1)
        low = np.nanmin(values, axis=axis)
        same = low == np.nanmax(values, axis=axis)
        # ([()]: a scalar stays a NumPy float, as nanmean gives it: JSON writes those)
        mean = np.where(same, low + 0.0, mean)  # (+ 0.0: -0.0 and 0.0 are 0.0, as the mean)
        return n, mean[()], (np.where(same, 0.0, sd) / np.sqrt(n))[()]


def _half_width(n: np.ndarray, error: np.ndarray, quantile: float) -> np.ndarray:
    """t quantile × standard error; 0 with fewer than two values (or zero variance)."""
    with np.errstate(invalid="ignore"):
        half = special.stdtrit(np.maximum(n - 1, 1), quantile) * error
    return np.where(n > 1, np.nan_to_num(half), 0.0)


def checked_level(value: object, name: str = "level", low: float = 0.0) -> float:
    """A confidence level: a number above `low` (or equal, for a positive `low`) and below
    1, refused with a ValueError naming `name` otherwise (`confidence=95` judged every
    target unmet, `level=1.5` gave zero-width intervals: the CLI checks its options, the
    Python API did not). A one-sided bound asks `low=0.5`: below it the bound passes the
    mean, and a target gets easier to meet."""
    number = isinstance(value, numbers.Real) and not isinstance(value, bool)
    if not number or not (0 < value < 1 and value >= low):
        raise ValueError(f"{name} must be a number between {low:g} and 1 (0.95), got {value!r}")
    return float(value)


def checked_confidence(value: float | None) -> float | None:
    """A one-sided confidence level (None: judged by the estimate), as `--confidence`."""
    return None if value is None else checked_level(value, "confidence", low=0.5)


def t_interval(
    values: np.ndarray, level: float = 0.95, axis: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(mean, low, high) of the two-sided t-interval along `axis`; NaNs are ignored.

    With a single replication (or zero variance) the interval collapses to the mean.
    """
    level = checked_level(level)
    n, mean, error = _mean_and_error(values, axis)
    half = _half_width(n, error, 0.5 + level / 2)
    return mean, mean - half, mean + half
