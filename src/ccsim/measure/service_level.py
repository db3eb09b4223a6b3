"""Service level: the share of contacts answered (first reply sent) within a threshold.

Three denominators, named in every report (`sl_definition`):

- `offered` (default): all offered contacts; abandons and contacts never answered
  count as misses.
- `exclude_short_abandons`: offered minus contacts that abandoned before the
  threshold (they gave up before the target clock ran out).
- `answered`: answered contacts only.
"""

from __future__ import annotations

from typing import get_args

import numpy as np

from ccsim.scenario.model import SLDefinition

DEFINITIONS = get_args(SLDefinition)


def counted(
    elapsed: np.ndarray,
    answered: np.ndarray,
    abandoned: np.ndarray,
    waited: np.ndarray,
    within: float,
    definition: str = "offered",
) -> tuple[np.ndarray, np.ndarray]:
    """(hits, counted): masks of the contacts answered within the threshold, and of those
    in the service level's denominator under `definition`. `elapsed` is the time to
    answer (or first reply), NaN if none; `waited` how long abandoned contacts waited."""
    hits = answered & (elapsed <= within + 1e-9)
    if definition == "offered":
        return hits, np.ones(hits.size, bool)
    if definition == "exclude_short_abandons":
        return hits, ~(abandoned & (waited < within))
    if definition == "answered":
        return hits, np.asarray(answered, bool)
    raise ValueError(f"unknown service-level definition {definition!r}")


def service_level(
    elapsed: np.ndarray,
    answered: np.ndarray,
    abandoned: np.ndarray,
    waited: np.ndarray,
    within: float,
    definition: str = "offered",
) -> float:
    """SL over contacts (see `counted`); NaN when none are counted."""
    hits, base = counted(elapsed, answered, abandoned, waited, within, definition)
    n = int(np.count_nonzero(base))
    return float(np.count_nonzero(hits)) / n if n else float("nan")


def label(within_minutes: float) -> str:
    """Column label of a threshold: `sl_20s`, `sl_1min`, `sl_1h`, `sl_24h`, `sl_90s`."""
    minutes = round(within_minutes, 9)
    if minutes >= 60 and minutes % 60 == 0:
        return f"sl_{minutes / 60:g}h"
    if minutes >= 1 and minutes % 1 == 0:
        return f"sl_{minutes:g}min"
    return f"sl_{minutes * 60:g}s"
