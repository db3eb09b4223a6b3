"""Targets: is each service-level and abandonment target met, and with what confidence?

Without a confidence level a target is met when the estimate (mean over
replications) reaches it. With `confidence` C (`ccsim check --confidence 0.95`) the
one-sided C lower bound of a service level must reach its target, and the upper bound
of an abandon rate must stay under its limit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ccsim.measure.confidence import lower_bound, t_interval
from ccsim.measure.service_level import label
from ccsim.scenario.model import Scenario


@dataclass(frozen=True)
class TargetCheck:
    """One target of one channel, with its estimate over replications."""

    channel: str
    metric: str  # sl_20s, ..., or abandon_rate
    kind: str  # "service" (at least) or "max_abandon" (at most)
    within: float | None  # minutes (service targets)
    goal: float
    mean: float
    ci: tuple[float, float]
    bound: float  # the value compared with the goal
    met: bool

    @property
    def name(self) -> str:
        """`phone sl_20s ≥ 80%` — a readable identifier (JUnit test names, tables)."""
        sign = "≥" if self.kind == "service" else "≤"
        return f"{self.channel} {self.metric} {sign} {self.goal:.0%}"


def evaluate(
    s: Scenario, summary: pd.DataFrame, confidence: float | None = None
) -> list[TargetCheck]:
    """Check every target of `s` against the summary table of its replications (one row
    per replication × channel)."""
    checks: list[TargetCheck] = []
    for channel, target in s.targets.items():
        rows = summary[summary["channel"] == channel]
        for t in target.service:
            metric = label(t.within)
            values = rows[metric].to_numpy(float) if metric in rows else np.array([np.nan])
            checks.append(
                _check(channel, metric, "service", t.within, t.at_least, values, confidence)
            )
        if target.max_abandon is not None:
            values = rows["abandon_rate"].to_numpy(float)
            checks.append(
                _check(
                    channel,
                    "abandon_rate",
                    "max_abandon",
                    None,
                    target.max_abandon,
                    values,
                    confidence,
                )
            )
    return checks


def _check(channel, metric, kind, within, goal, values, confidence) -> TargetCheck:
    values = values[~np.isnan(values)]
    if values.size == 0:  # nobody offered: nothing measured, nothing missed
        return TargetCheck(
            channel,
            metric,
            kind,
            within,
            goal,
            float("nan"),
            (float("nan"), float("nan")),
            float("nan"),
            True,
        )
    mean, lo, hi = (float(x) for x in t_interval(values))
    lo, hi = max(lo, 0.0), min(hi, 1.0)  # shares: the interval stays in [0, 1]
    if confidence is None:
        bound = mean
    elif kind == "service":
        bound = float(lower_bound(values, confidence))
    else:
        bound = -float(lower_bound(-values, confidence))  # upper bound of the abandon rate
    met = bound >= goal - 1e-12 if kind == "service" else bound <= goal + 1e-12
    return TargetCheck(channel, metric, kind, within, goal, mean, (lo, hi), bound, met)
