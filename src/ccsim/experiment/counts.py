"""How many replications, and on how many workers, a run asks for: whole numbers,
checked up front, so that `replications=2.5` from a notebook is one clear message, not
a `TypeError` from deep inside a run (or, for a seed, 2.5 silently read as 2)."""

from __future__ import annotations

import math
import numbers


def whole(value: object, name: str, least: int = 1) -> int:
    """`value` as an int, refused with a ValueError naming `name` unless it is a whole
    number (an int, a numpy integer or a float like 3.0; not True/False) of at least
    `least`."""
    wrong = ValueError(f"{name} must be a whole number at least {least}, got {value!r}")
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise wrong
    fraction = not isinstance(value, numbers.Integral) and (  # an int may be past floats
        not math.isfinite(value) or value != int(value)
    )
    if fraction or value < least:
        raise wrong
    return int(value)
