"""ccsim: contact-center capacity planning by discrete-event simulation.

The Python API that notebooks use (`ccsim.api`); the `ccsim` command line is a thin
layer over it. docs/architecture.md draws the packages and how they depend on each other.
"""

from ccsim.api import (
    FileCheck,
    WorkLimitError,
    backtest,
    capacity,
    check,
    compare,
    fit,
    forecast,
    load,
    load_calendar,
    loads,
    plan,
    read_log,
    save,
    simulate,
    sweep,
    with_changes,
    write_report,
)
from ccsim.experiment.result import Result
from ccsim.experiment.runner import PrecisionNotReached
from ccsim.planning.errors import PlanError
from ccsim.planning.plan import Plan
from ccsim.scenario.model import Scenario
from ccsim.scenario.problems import ScenarioError
from ccsim.version import __version__

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
