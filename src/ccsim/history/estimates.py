"""A fitted value with its 95 % confidence interval and sample size — what every line of
a fitted scenario carries (as a YAML comment, in `Fit.estimates` and in the report)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

Z = float(stats.norm.ppf(0.975))


@dataclass(frozen=True)
class Estimate:
    """`field` (a scenario field path) = `value`, 95 % CI [low, high], from `n` observations
    by `method`; `unit` names what the numbers are in."""

    field: str
    value: float
    low: float
    high: float
    n: int
    method: str
    unit: str = ""

    def comment(self) -> str:
        """`95% CI 0.061–0.075, n = 14,956 (censored MLE)`."""
        return f"95% CI {_short(self.low)}–{_short(self.high)}, n = {self.n:,} ({self.method})" + (
            f" [{self.unit}]" if self.unit else ""
        )


def _short(x: float) -> str:
    if not math.isfinite(x):
        return "∞" if x > 0 else "-∞"
    return f"{x:.4g}"


def figure(x: float) -> str:
    """A fitted value as a reader wants it: four significant digits, a large one whole
    (12,345, not 1.234e+04), none as an empty cell."""
    if x != x:  # (NaN: a cv of one observation)
        return ""
    if math.isfinite(x) and abs(x) >= 10_000:
        return f"{x:,.0f}"
    return _short(x)


INTRADAY = r"\.intraday\["  # a profile's shares: 24 a day type, shown as a chart


def listed(estimates: pd.DataFrame) -> pd.DataFrame:
    """The estimates a table lists — every one but the intraday shares — with the
    estimate and its 95 % CI as text (`figure`): the fit report's and a notebook's."""
    rows = estimates[~estimates["field"].str.contains(INTRADAY, regex=True)]
    return rows.assign(
        estimate=rows["estimate"].map(figure),
        ci=[
            f"{figure(a)} – {figure(b)}" if a == a else ""
            for a, b in zip(rows["ci_low"], rows["ci_high"], strict=True)
        ],
    )


def wilson(successes: float, n: float) -> tuple[float, float]:
    """Wilson score interval of a proportion (95 %)."""
    if n <= 0:
        return 0.0, 1.0
    p = successes / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def mean_interval(values: np.ndarray) -> tuple[float, float, float]:
    """(mean, low, high): the 95 % t-interval of a mean."""
    values = np.asarray(values, float)
    n = values.size
    mean = float(values.mean())
    if n < 2:
        return mean, mean, mean
    half = float(stats.t.ppf(0.975, n - 1) * values.std(ddof=1) / math.sqrt(n))
    return mean, mean - half, mean + half


def cv_interval(values: np.ndarray) -> tuple[float, float, float]:
    """(cv, low, high): the coefficient of variation with a 95 % delta-method interval
    from the sample's second to fourth central moments (no normality assumed)."""
    x = np.asarray(values, float)
    n = x.size
    m = float(x.mean())
    d = x - m
    m2, m3, m4 = float(np.mean(d**2)), float(np.mean(d**3)), float(np.mean(d**4))
    if n < 3 or m <= 0 or m2 <= 0:
        cv = math.sqrt(m2) / m if m > 0 else float("nan")
        return cv, cv, cv
    s = math.sqrt(m2)
    cv = s / m
    gradient = np.array([-s / m**2, 1 / (2 * s * m)])  # d cv / d(mean, variance)
    cov = np.array([[m2, m3], [m3, m4 - m2 * m2]]) / n
    se = math.sqrt(max(float(gradient @ cov @ gradient), 0.0))
    return cv, max(cv - Z * se, 0.0), cv + Z * se
