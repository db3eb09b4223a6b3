"""Built-in intraday arrival curves, resampled to any interval that divides a day.

Curves are given per hour of the day (24 relative weights); an interval's weight is
the integral of the hourly step function over it, so the same curve works for 15-min,
30-min or 2-h intervals.
"""

from __future__ import annotations

import numpy as np

BUILTIN_CURVES: dict[str, tuple[float, ...]] = {
    # Equal volume in every interval (24/7 queues, Erlang checks).
    "flat": (1.0,) * 24,
    # Office-hours pattern: quiet night, ramp from 08:00, peaks late morning and
    # mid-afternoon, tail in the evening (typical phone and e-mail volume).
    "business_hours": (
        0.2,
        0.1,
        0.1,
        0.1,
        0.1,
        0.2,
        0.5,
        1.5,
        4.0,
        7.0,
        8.5,
        8.5,
        7.0,
        6.5,
        7.5,
        7.5,
        7.0,
        6.0,
        5.0,
        4.0,
        3.0,
        2.0,
        1.0,
        0.5,
    ),
    # Consumer pattern: builds through the day, peaks 19:00-22:00 (social, chat).
    "evening_peak": (
        1.0,
        0.6,
        0.4,
        0.3,
        0.3,
        0.4,
        0.8,
        1.5,
        2.5,
        3.2,
        3.6,
        3.8,
        4.0,
        4.0,
        3.8,
        3.8,
        4.0,
        4.5,
        5.2,
        6.0,
        6.4,
        6.0,
        4.5,
        2.5,
    ),
}


def builtin_profile(name: str, interval: float) -> np.ndarray:
    """Weights of the named curve per interval of `interval` minutes (they sum to 1)."""
    hourly = np.asarray(BUILTIN_CURVES[name], dtype=float)
    per_minute = np.repeat(hourly / 60.0, 60)
    length = round(interval)
    weights = per_minute.reshape(-1, length).sum(axis=1)
    return weights / weights.sum()


def normalise(weights: list[float] | np.ndarray) -> np.ndarray:
    """Scale non-negative weights to sum to 1 (all zeros stay zeros)."""
    arr = np.asarray(weights, dtype=float)
    total = arr.sum()
    return arr / total if total > 0 else arr
