"""ccsim: contact-center capacity planning by discrete-event simulation.

The Python API that notebooks use; the `ccsim` command line is a thin layer over it.
"""

from ccsim.loader import ScenarioError, load, loads
from ccsim.planner import Plan, plan
from ccsim.results import Result
from ccsim.scenario import Scenario
from ccsim.simulation import simulate
from ccsim.whatif import compare, sweep

__version__ = "0.1.0"
__all__ = [
    "Plan",
    "Result",
    "Scenario",
    "ScenarioError",
    "__version__",
    "compare",
    "load",
    "loads",
    "plan",
    "simulate",
    "sweep",
]
