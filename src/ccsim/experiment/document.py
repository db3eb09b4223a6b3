"""The run document: what `ccsim run --json` prints and run.json holds, as typed models.

Keys and units as the CLI contract (docs/cli.md): times in seconds (`_s`), shares as
fractions, every estimate over replications as {"mean": x, "ci": [lo, hi]} (95%).
`to_json()` gives the plain JSON value; `RunDocument.model_validate(json)` reads it
back (a report rebuilt from an output folder).
"""

from __future__ import annotations

import math
from typing import Annotated, Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, Field, model_serializer

from ccsim.finance.cost import Cost
from ccsim.measure import week
from ccsim.measure.confidence import t_interval
from ccsim.measure.targets import TargetCheck
from ccsim.scenario.model import ESCALATION, Scenario

Bound = float | None


class MeanCI(BaseModel):
    """Mean over replications and its 95 % confidence interval (null: not measured)."""

    mean: Bound
    ci: tuple[Bound, Bound]


UNMEASURED = MeanCI(mean=None, ci=(None, None))  # e.g. the waits of a channel no one reached


# with a confidence (`check --confidence`, a plan's verification) a target, or a period of one,
# is met when this one-sided bound reaches the goal, not the estimate: reports show it
# beside the two-sided interval, which may cross the goal (absent without a confidence)
JudgedBound = Annotated[Bound, Field(default=None)]


class PeriodResult(BaseModel):
    """One period of a target per day or interval: its estimate (contacts pooled over
    the replications) and CI, and whether it met the target."""

    period: str  # `tue 10:30`, `sat`, `2024-01-16 10:30`
    start_min: float  # minutes from time 0
    offered: Bound  # mean contacts a replication
    mean: Bound
    ci: tuple[Bound, Bound]
    bound: JudgedBound  # with a confidence: the one-sided bound that was compared
    met: bool

    @model_serializer(mode="wrap")
    def _bound_if_judged(self, handler: Any) -> dict[str, Any]:
        return _without_none(handler(self), "bound")


class PeriodAttainment(BaseModel):
    """How many judged periods met a target per day or interval, and the worst one."""

    per: str
    required: float  # the share of judged periods that must meet it (`in`)
    judged: int
    met: int
    not_judged: int  # periods with contacts but fewer than `min_offered` a replication
    worst: PeriodResult | None
    # the judged periods that missed it, by name (only a count and the worst were said:
    # a client asks which half hours — a walkthrough, 2026-12-07)
    missed: list[str] = []


class ScopedResult(BaseModel):
    """Where a target was judged (the scenario's `Scoped` says where it must hold):
    `per` week (the whole window) or per day / interval, with `periods` then."""

    per: str = "week"
    periods: PeriodAttainment | None = None

    @model_serializer(mode="wrap")
    def _scoped_only(self, handler: Any) -> dict[str, Any]:
        return _without_none(handler(self), "periods", "bound")


def _without_none(data: dict[str, Any], *keys: str) -> dict[str, Any]:
    """`data` without those of `keys` whose value is None (documents without them read
    the same as before they existed)."""
    for key in keys:
        if data.get(key) is None:
            data.pop(key, None)
    return data


class ServiceResult(ScopedResult):
    """A service-level target: threshold, goal, estimate over the window, and whether it
    is met (in the scope it is judged in)."""

    within_s: Bound
    at_least: float
    mean: Bound
    ci: tuple[Bound, Bound]
    bound: JudgedBound
    met: bool


class AbandonLimit(ScopedResult):
    """An abandon-rate limit and whether it is met (the estimate is `abandon_rate`)."""

    limit: float
    bound: JudgedBound
    met: bool


class ChannelResult(BaseModel):
    """One channel's estimates (null where nothing was measured: no contact, none
    answered) and its targets."""

    offered: MeanCI | None = None
    answered: MeanCI | None = None
    abandoned: MeanCI | None = None
    # still waiting when the run ended: offered = answered + abandoned + waiting_at_end
    waiting_at_end: MeanCI | None = None
    closed: MeanCI | None = None
    abandon_rate: MeanCI | None = None
    p_wait: MeanCI | None = None
    asa_s: MeanCI | None = None
    wait_mean_s: MeanCI | None = None
    aht_s: MeanCI | None = None
    nps: MeanCI | None = None
    service: list[ServiceResult] = []
    max_abandon: AbandonLimit | None = None

    @model_serializer(mode="wrap")
    def _measured_only(self, handler: Any) -> dict[str, Any]:
        """An absent abandon limit (and an estimate not built) is left out."""
        data = handler(self)
        return {k: v for k, v in data.items() if v is not None}


# the figures estimated per channel: ChannelResult's MeanCI fields, in their order (a
# second hand-kept list had to be held to them by a test: a maintainer's walkthrough)
ESTIMATED = tuple(
    name for name, f in ChannelResult.model_fields.items() if f.annotation == MeanCI | None
)


class GroupResult(BaseModel):
    """One group's agents, paid hours a week, occupancy and overtime: the hours a week
    worked past a shift's end to finish the contacts in hand (the measured span's,
    scaled to a week; not in the cost: the roster's paid hours are)."""

    agents: int
    paid_hours: float
    occupancy: MeanCI
    overtime_hours: MeanCI = UNMEASURED  # absent from documents written before 2026-12-06


class RunDocument(BaseModel):
    """The document of a run: per-channel estimates and targets, groups, cost."""

    scenario: str
    replications: int
    # the number of the first (a plan's verification follows its search's replications:
    # `ccsim run --seed S -n N --first-replication F` repeats it); None for results added
    # together whose numbers are not consecutive (no run repeats them)
    first_replication: int | None = 0
    seed: int
    sl_definition: str
    confidence: float | None
    channels: dict[str, ChannelResult]
    groups: dict[str, GroupResult]
    cost: Cost
    targets_met: bool

    def to_json(self) -> dict[str, Any]:
        """The plain JSON value (dicts, lists, numbers, null)."""
        return self.model_dump(mode="json")

    @property
    def verdict(self) -> str:
        """`every target met`, `some targets missed`, or `no targets` when the scenario
        sets none (a fitted one: `targets_met` is then vacuously true, and the outputs
        said "every target met" — an analyst's walkthrough)."""
        if not any(ch.service or ch.max_abandon for ch in self.channels.values()):
            return "no targets"
        return "every target met" if self.targets_met else "some targets missed"


def number(x: float | None) -> float | None:
    """JSON-safe number: NaN and infinities become null; 6 decimals."""
    return None if x is None or not math.isfinite(x) else round(float(x), 6)


def estimate(mean: float, lo: float, hi: float) -> MeanCI:
    return MeanCI(mean=number(mean), ci=(number(lo), number(hi)))


def _share_estimate(values: np.ndarray) -> MeanCI:
    """A share's mean and t-interval, the interval kept within [0, 1] (an occupancy near
    100 % had a CI reaching past it)."""
    mean, lo, hi = t_interval(values)
    return estimate(mean, max(float(lo), 0.0), min(float(hi), max(1.0, float(mean))))


def _hours_estimate(values: np.ndarray) -> MeanCI:
    """Hours' mean and t-interval, the interval kept from 0 up."""
    mean, lo, hi = t_interval(values)
    return estimate(mean, max(float(lo), 0.0), hi)


def channel_results(
    estimates: pd.DataFrame, checks: list[TargetCheck], confidence: float | None = None
) -> dict[str, ChannelResult]:
    """Per channel (in the order the estimates list them): estimates and target results,
    with `confidence` the one-sided bounds that were compared with the goals."""
    est = estimates.set_index(["channel", "metric"])
    out: dict[str, ChannelResult] = {}
    for channel in dict.fromkeys(estimates["channel"]):
        measured = {  # a channel without contacts: null estimates, not missing keys
            m: estimate(*est.loc[(channel, m)]) if (channel, m) in est.index else UNMEASURED
            for m in ESTIMATED
            if not (channel == ESCALATION and m == "nps")  # escalations have no NPS of their own
        }
        service = [
            ServiceResult(
                within_s=number(c.within * 60 if c.within is not None else None),
                at_least=c.goal,
                mean=number(c.mean),
                ci=(number(c.ci[0]), number(c.ci[1])),
                met=c.met,
                per=c.per,
                periods=attainment(c, confidence),
                bound=_judged(c, confidence),
            )
            for c in checks
            if c.channel == channel and c.kind == "service"
        ]
        limit = next(
            (
                AbandonLimit(
                    limit=c.goal,
                    met=c.met,
                    per=c.per,
                    periods=attainment(c, confidence),
                    bound=_judged(c, confidence),
                )
                for c in checks
                if c.channel == channel and c.kind == "max_abandon"
            ),
            None,
        )
        out[channel] = ChannelResult(**measured, service=service, max_abandon=limit)
    return out


def _judged(check: TargetCheck, confidence: float | None) -> float | None:
    """The one-sided bound a target over the window was judged by (None without a
    confidence, or for a target per period: its periods were judged)."""
    return number(check.bound) if confidence is not None and check.attainment is None else None


def attainment(check: TargetCheck, confidence: float | None = None) -> PeriodAttainment | None:
    """The per-period attainment of a check (None over the whole window); with a
    confidence, the worst period's one-sided bound."""
    a = check.attainment
    if a is None:
        return None
    worst = None
    if a.worst is not None:
        w = a.worst
        worst = PeriodResult(
            period=w.name,
            start_min=w.start,
            offered=number(w.offered),
            mean=number(w.mean),
            ci=(number(w.ci[0]), number(w.ci[1])),
            met=w.met,
            bound=number(w.bound) if confidence is not None else None,
        )
    return PeriodAttainment(
        per=a.per, required=a.required, judged=a.judged, met=a.met, not_judged=a.not_judged,
        worst=worst, missed=list(a.missed),
    )  # fmt: skip


def group_results(s: Scenario, groups: pd.DataFrame) -> dict[str, GroupResult]:
    """Per group: rostered agents, paid hours, occupancy (busy / available) and overtime
    hours a week, with CIs over replications."""
    paid = s.paid_hours()
    agents = s.agents_per_group()
    out: dict[str, GroupResult] = {}
    for g in s.groups:
        rows = groups[groups["group"] == g]
        per_rep = rows.groupby("replication")[["busy_min", "agents", "overtime_min"]].sum()
        with np.errstate(invalid="ignore", divide="ignore"):
            occupancy = (
                per_rep["busy_min"] / (per_rep["agents"] * s.simulation.interval)
            ).to_numpy()
        out[g] = GroupResult(
            agents=agents[g],
            paid_hours=round(paid[g], 2),
            occupancy=_share_estimate(occupancy[~np.isnan(occupancy)]),
            overtime_hours=_hours_estimate(  # a week's, as the paid hours
                per_rep["overtime_min"].to_numpy() / 60.0 * week.duty_factor(s, g)
            ),
        )
    return out
