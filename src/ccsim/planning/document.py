"""The plan document: what `ccsim plan --json` prints and plan.json holds, as typed
models — the run document of the verified roster plus the roster, people, hours,
unmet targets, the search's figures and the Erlang baseline (docs/cli.md)."""

from __future__ import annotations

from pydantic import BaseModel

from ccsim.experiment.document import ChannelResult, RunDocument
from ccsim.finance.cost import Cost


def minimality(one_minimal: bool | None, unproven: str | None = "") -> str:
    """`1-minimal` or `NOT proven 1-minimal`, with why (`unproven`): how every output says
    what a plan's search proved (docs/planning.md; why was said nowhere, and a budget 30
    times what the trim used read as its reason: a walkthrough)."""
    if one_minimal:
        return "1-minimal"
    return "NOT proven 1-minimal" + (f" ({unproven})" if unproven else "")


class RosterLineResult(BaseModel):
    """One roster line with its shift, paid hours and staff cost per week."""

    group: str
    shift: str
    agents: int
    start: str
    length_h: float
    days: str
    paid_hours: float
    staff_cost: float


class UnmetTarget(BaseModel):
    """A target the planner could not reach, and why."""

    channel: str
    metric: str
    target: float
    reason: str
    estimate: float | None = None  # on verification (per period: the worst period's)
    name: str = ""  # `email sl_1h ≥ 90%`: tells apart targets of one channel and metric
    planned: float | None = None  # the level the search kept instead (`Unmet.planned`)
    planned_periods: int | None = None  # per day or interval: periods kept (`Unmet`)

    @property
    def label(self) -> str:
        """The target without its channel (`sl_1h ≥ 90%`), as reports show it."""
        return self.name.removeprefix(f"{self.channel} ") if self.name else self.metric


class CloseCall(BaseModel):
    """A target the verification met with its bound less than a standard error of its
    estimate past the goal (`ccsim.measure.targets.lead`): a fresh verification of as
    many replications may well miss it."""

    target: str  # `escalation sl_48h ≥ 90%`
    estimate: float
    bound: float  # the one-sided bound it was judged by
    error: float  # the estimate's standard error


def close_words(call: CloseCall, verify: int) -> str:
    """A close call in words, as the console, the reports and a notebook say it."""
    return (
        f"{call.target} met on verification with a one-sided bound of {call.bound:.2%} "
        f"(estimate {call.estimate:.2%}, standard error {call.error * 100:.2f} pts), less "
        f"than a standard error from the goal: a fresh verification of {verify} "
        "replications may judge it missed"
    )


class SearchStats(BaseModel):
    """How the search went: seed, replications, rosters simulated, 1-minimality, time."""

    seed: int
    replications: int
    verify_replications: int
    start_grid_min: float | None
    rule: str = "mean"  # how the search judged targets: mean, or each replication
    start: str = "requirements"  # where the search started: requirements, or roster
    simulations: int
    # rosters' worth of simulation, as --max-rosters counts (a trial judged on 2 of 8
    # search replications: a quarter); None in a plan.json from before
    work: float | None = None
    replications_simulated: int = 0  # (roster, replication) pairs, verification included
    correction_rounds: int
    one_minimal: bool
    unproven: str = ""  # why not 1-minimal ("" when it is, or in a plan.json from before)
    verification_repairs: int
    verified_rosters: int = 1  # rosters simulated on the verification replications
    chosen: str = "search"  # where the answer came from: search, erlang_baseline (trimmed)
    comparisons: int = 0  # target comparisons of its verification (one per judged period)
    # met on verification, the bound less than a standard error past the goal
    close_calls: list[CloseCall] = []
    seconds: float


class BaselineResult(BaseModel):
    """The per-interval Erlang C plan, verified like the plan."""

    roster: list[RosterLineResult]
    headcount: dict[str, int]
    paid_hours: float
    cost: Cost
    targets_met: bool
    channels: dict[str, ChannelResult]


class PlanDocument(RunDocument):
    """The plan document (`targets_met`: every target met on verification, none unmet)."""

    # a plan's verification follows its search replications: a plan.json written before
    # 2026-12-06 does not say where, and reads back as None, not as the run's 0
    first_replication: int | None = None
    roster: list[RosterLineResult]
    headcount: dict[str, int]
    fte: dict[str, float]
    paid_hours: float
    unmet: list[UnmetTarget]
    search: SearchStats
    erlang_baseline: BaselineResult | None = None
