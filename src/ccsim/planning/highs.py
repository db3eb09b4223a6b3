"""The HiGHS solver as the planner calls it (`scipy.optimize.milp`), its C-level traces
kept off standard output: HiGHS writes some (`HighsMipSolverData::…`) straight to file
descriptor 1 whatever its display options, and `--json` must stay one document."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import Any

from scipy.optimize import OptimizeResult, milp


@contextlib.contextmanager
def quiet_stdout() -> Iterator[None]:
    """Silence file descriptor 1 (C-level output) for the block."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def solve(*args: Any, **kwargs: Any) -> OptimizeResult:
    """`scipy.optimize.milp(*args, **kwargs)` with standard output silenced."""
    with quiet_stdout():
        return milp(*args, **kwargs)
