"""The planning layer's error: what cannot be planned, said in one line (the CLI prints
it and exits 1)."""

from __future__ import annotations


class PlanError(ValueError):
    """The scenario cannot be planned at all (say, it has no shift templates, or the
    start grid is not whole minutes), or an integer program found no solution within
    its limit."""
