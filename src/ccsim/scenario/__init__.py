"""The scenario layer: the scenario format as pydantic models, its cross-field rules,
the loader that points every problem at its file line, what-if changes, the time grid
and the `show` summary. Imports nothing else of ccsim."""

from ccsim.scenario.changes import with_changes
from ccsim.scenario.loader import load, loads
from ccsim.scenario.model import Scenario
from ccsim.scenario.problems import Message, ScenarioError

__all__ = ["Message", "Scenario", "ScenarioError", "load", "loads", "with_changes"]
