"""ccsim: contact-center capacity planning by discrete-event simulation.

The Python API that notebooks use (`ccsim.api`, and `ccsim.logs` for contact logs); the
`ccsim` command line is a thin layer over it. docs/architecture.md draws the packages
and how they depend on each other.

The names below are loaded on first use (PEP 562 `__getattr__`): `import ccsim.cli`
must not pay for the whole API — scipy.stats, pandas, openpyxl, the model —
before `ccsim --help` or `ccsim validate` has printed anything.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import TYPE_CHECKING, Any

from ccsim.version import __version__

if TYPE_CHECKING:  # the same names, for type checkers and readers
    from ccsim.api import (
        FileCheck,
        WorkLimitError,
        capacity,
        check,
        compare,
        load,
        load_calendar,
        loads,
        plan,
        save,
        simulate,
        sweep,
        with_changes,
        write_report,
    )
    from ccsim.experiment.result import Result
    from ccsim.experiment.runner import PrecisionNotReached
    from ccsim.logs import backtest, fit, forecast, read_log
    from ccsim.planning.errors import PlanError
    from ccsim.planning.plan import Plan
    from ccsim.scenario.model import Scenario
    from ccsim.scenario.problems import ScenarioError

__all__ = [
    "FileCheck",
    "Plan",
    "PlanError",
    "PrecisionNotReached",
    "Result",
    "Scenario",
    "ScenarioError",
    "WorkLimitError",
    "__version__",
    "backtest",
    "capacity",
    "check",
    "compare",
    "fit",
    "forecast",
    "load",
    "load_calendar",
    "loads",
    "plan",
    "read_log",
    "save",
    "simulate",
    "sweep",
    "with_changes",
    "write_report",
]
# the module each public name comes from: api.py unless named here (tests/test_architecture.py
# holds this table to the imports above)
_ELSEWHERE = {
    **dict.fromkeys(("backtest", "fit", "forecast", "read_log"), "ccsim.logs"),
    "Result": "ccsim.experiment.result",
    "PrecisionNotReached": "ccsim.experiment.runner",
    "PlanError": "ccsim.planning.errors",
    "Plan": "ccsim.planning.plan",
    "Scenario": "ccsim.scenario.model",
    "ScenarioError": "ccsim.scenario.problems",
}
_HOME = {name: _ELSEWHERE.get(name, "ccsim.api") for name in __all__ if name != "__version__"}
_MODULES = {m.name for m in pkgutil.iter_modules(__path__) if m.name != "__main__"}


if not TYPE_CHECKING:  # (hidden from type checkers: `ccsim.simulatee` stays an error there)

    def __getattr__(name: str) -> Any:
        """A public name, imported from its module the first time it is asked for; or a
        module of the package (`ccsim.erlang`), imported as `import ccsim.erlang` would."""
        home = _HOME.get(name)
        if home is not None:
            value = getattr(importlib.import_module(home), name)
        elif name in _MODULES:
            value = importlib.import_module(f"ccsim.{name}")
        else:
            raise AttributeError(f"module 'ccsim' has no attribute {name!r}")
        globals()[name] = value  # (asked once: later lookups do not come here)
        return value

    def __dir__() -> list[str]:
        return sorted({*globals(), *_HOME, *_MODULES})
