"""A roster with its verification — what a plan (or its Erlang baseline) gives — and the
targets a planner could not reach."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ccsim.experiment import display
from ccsim.experiment.result import Result, check_table
from ccsim.finance import cost
from ccsim.measure.targets import TargetCheck
from ccsim.scenario.model import Scenario

StepProgress = Callable[
    [str], None
]  # a planning step said in one line (a run's is runner.Progress)
Roster = dict[tuple[str, str], int]  # (group, shift) -> agents


def roster_of(s: Scenario) -> Roster:
    """The agents of a scenario's `roster:` per (group, shift), lines of one group and
    shift added up, empty lines left out."""
    out: Roster = {}
    for line in s.roster:
        if line.agents:
            key = (line.group, line.shift)
            out[key] = out.get(key, 0) + line.agents
    return out


@dataclass(frozen=True)
class Unmet:
    """A target the planner could not reach, and why."""

    channel: str
    metric: str
    goal: float
    reason: str
    within: float | None = None  # minutes, for a service target (None: abandon limit)
    estimate: float | None = None  # on verification (a target per period: its worst)
    name: str = ""  # the target's, as its checks are named (`TargetCheck.name`)
    # the level the search kept instead (`ccsim.planning.search`): out of reach, the share
    # of contacts answered in time it planned for; not reached by the correction rounds,
    # what their first roster reached — a share, or for an abandon limit a rate not to
    # exceed (None for a target per day or interval: `planned_periods`)
    planned: float | None = None
    # not reached by the correction rounds, a target per day or interval: how many of
    # its periods the first round's roster met, which the search kept
    planned_periods: int | None = None


@dataclass
class Staffing:
    """A roster with its simulated verification: what the plan (or baseline) gives."""

    scenario: Scenario  # the input scenario with this roster (and the shifts it uses)
    result: Result  # verification replications
    checks: list[TargetCheck]
    generated_shifts: list[str] = field(default_factory=list)  # start-grid templates used

    def __repr__(self) -> str:  # (the dataclass's: tens of thousands of characters)
        return f"<{type(self).__name__} {self.scenario.name!r}: {self.figures()}>"

    def figures(self) -> str:
        """`9 people, 22,680.00 EUR/week staff cost (23,107.50 in all), 2 of 3 targets met`:
        the staff cost the planner minimises, and the weekly cost `ccsim plan` heads with
        (the contacts' prices too: a notebook's headline and the console's differed
        without a word, a walkthrough)."""
        people = sum(self.headcount.values())
        met = sum(c.met for c in self.checks)
        total = self.result.weekly_cost().total
        return (
            f"{people} people, {self.staff_cost:,.2f} {self.scenario.costs.currency}/week "
            f"staff cost ({total:,.2f} in all), {met} of {len(self.checks)} targets met"
        )

    def _repr_html_(self) -> str:
        """What Jupyter shows: the headline, the roster and every target as verified, in
        percentages, judged by its one-sided bound (`roster`, `checks` have the figures)."""
        return display.html_block(repr(self)[1:-1], self.html_tables(), [])

    def html_tables(self) -> list[tuple[str, pd.DataFrame]]:
        """The roster (a line per group and shift, people and cost) and the targets as
        verified, captioned, for `_repr_html_`."""
        lines = self.roster
        roster = pd.DataFrame(
            {
                "group": lines["group"],
                "shift": lines["shift"],
                "days": lines["days"],
                "agents": lines["agents"],
                "paid hours": lines["paid_hours"].map("{:,.1f}".format),
                f"cost ({self.scenario.costs.currency}/week)": lines["staff_cost"].map(
                    "{:,.2f}".format
                ),
            }
        )
        replications = len(self.result.tables)
        targets = display.targets_table(
            check_table(self.checks), "judged by", replications=replications
        )
        return [
            ("Roster", roster),
            (f"Targets on {replications} verification replication(s)", targets),
        ]

    @property
    def roster(self) -> pd.DataFrame:
        """One row per roster line: group, shift, start, length, days, agents, paid hours
        and staff cost (wages and overhead) per week."""
        return pd.DataFrame(cost.roster_lines(self.scenario))

    @property
    def headcount(self) -> dict[str, int]:
        """People on the roster per group (one person per roster position)."""
        return self.scenario.agents_per_group()

    @property
    def paid_hours(self) -> dict[str, float]:
        return self.scenario.paid_hours()

    @property
    def fte(self) -> dict[str, float]:
        """Full-time equivalents per group: paid hours / `costs.fte_hours`."""
        return {g: h / self.scenario.costs.fte_hours for g, h in self.paid_hours.items()}

    @property
    def staff_cost(self) -> float:
        """Wages and overhead per week, to the cent, as the documents add them
        (`ccsim.finance.cost.staff_money`)."""
        return cost.staff_money(self.scenario)

    @property
    def targets_met(self) -> bool:
        return all(c.met for c in self.checks)

    @property
    def cost(self) -> dict[str, Any]:
        """The cost model's figures of the verified roster (see `Result.cost`)."""
        return self.result.cost
