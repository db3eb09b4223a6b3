"""Service level: the share of contacts answered (first reply sent) within a threshold.

Three denominators, named in every report (`sl_definition`):

- `offered` (default): all offered contacts; abandons and contacts never answered
  count as misses.
- `exclude_short_abandons`: offered minus contacts that abandoned before the
  threshold (they gave up before the target clock ran out).
- `answered`: answered contacts only.
"""

from __future__ import annotations

import numpy as np

DEFINITIONS = ("offered", "exclude_short_abandons", "answered")


def service_level(
    elapsed: np.ndarray,
    answered: np.ndarray,
    abandoned: np.ndarray,
    waited: np.ndarray,
    within: float,
    definition: str = "offered",
) -> float:
    """SL over contacts: `elapsed` is the time to answer (or first reply), NaN if none.

    `waited` is how long abandoned contacts waited; NaN when there are no contacts.
    """
    hits = answered & (elapsed <= within + 1e-9)
    if definition == "offered":
        denominator = elapsed.size
    elif definition == "exclude_short_abandons":
        denominator = elapsed.size - int(np.count_nonzero(abandoned & (waited < within)))
    elif definition == "answered":
        denominator = int(np.count_nonzero(answered))
    else:
        raise ValueError(f"unknown service-level definition {definition!r}")
    return float(np.count_nonzero(hits)) / denominator if denominator else float("nan")


def label(within_minutes: float) -> str:
    """Column label of a threshold: `sl_20s`, `sl_1min`, `sl_1h`, `sl_24h`, `sl_90s`."""
    minutes = round(within_minutes, 9)
    if minutes >= 60 and minutes % 60 == 0:
        return f"sl_{minutes / 60:g}h"
    if minutes >= 1 and minutes % 1 == 0:
        return f"sl_{minutes:g}min"
    return f"sl_{minutes * 60:g}s"
