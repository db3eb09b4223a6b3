"""The result of a simulation run: the measured tables of each replication, estimates
with confidence intervals, targets, cost and (when kept) the per-contact records."""

from __future__ import annotations

from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from ccsim.experiment import display
from ccsim.experiment.document import RunDocument, channel_results, group_results
from ccsim.finance.cost import Cost, money, weekly_cost
from ccsim.measure import targets
from ccsim.measure.confidence import t_interval
from ccsim.measure.contacts import contact_table
from ccsim.measure.tables import Tables
from ccsim.model.replication import Replication
from ccsim.scenario.model import WHOLE_CENTER, Scenario

CHECK_COLUMNS = (
    "target", "channel", "metric", "goal", "mean", "ci_low", "ci_high", "bound", "per",
    "periods_met", "periods", "worst_period", "worst_mean", "met",
)  # fmt: skip


class Result:
    """Tables (and, when kept, per-contact records) of a simulation run."""

    def __init__(
        self,
        scenario: Scenario,
        seed: int,
        tables: list[Tables],
        replications: list[Replication] | None = None,
    ):
        self.scenario = scenario
        self.seed = seed
        self.tables = sorted(tables, key=lambda t: t.index)
        self.replications = sorted(replications or [], key=lambda r: r.index)

    def __repr__(self) -> str:
        """What a notebook cell shows: the run, its targets met (by the mean) and its
        cost a week (it showed neither: a notebook walkthrough)."""
        text = (
            f"<Result {self.scenario.name!r}: {len(self.tables)} replication(s), seed {self.seed}"
        )
        if not self.tables:
            return text + ">"
        checks = self.target_checks()
        met = (
            f"{sum(c.met for c in checks)} of {len(checks)} targets met by the mean"
            if checks
            else "no targets"
        )
        cost = self.weekly_cost()
        return f"{text}; {met}; {cost.total:,.2f} {self.scenario.costs.currency}/week>"

    def _repr_html_(self) -> str:
        """What Jupyter shows: the headline and every target with its mean, 95 % CI and
        met or not, in percentages (`checks()` has the figures as numbers)."""
        headline = repr(self)[1:-1]
        if not self.tables:
            return display.html_block(headline, [], [])
        checks = self.checks()
        targets = display.targets_table(checks, replications=len(self.tables))
        tables = [("Targets, by the mean over replications", targets)]
        return display.html_block(headline, tables if len(checks) else [], [])

    def __add__(self, other: Result) -> Result:
        """The replications of both runs of the same scenario and seed, none of them in
        both, both with per-contact records or both without (ValueError otherwise: `a +
        a` counted each replication twice and narrowed the CIs, results of other seeds or
        scenarios were pooled under this one's, and `contacts()` gave one side's only)."""
        if not isinstance(other, Result):
            return NotImplemented
        if other.seed != self.seed:
            raise ValueError(f"cannot add results of seeds {self.seed} and {other.seed}")
        if other.scenario is not self.scenario and not self.scenario.same_as(other.scenario):
            raise ValueError("cannot add results of different scenarios")
        both = {t.index for t in self.tables} & {t.index for t in other.tables}
        if both:
            raise ValueError(
                f"cannot add results that share replications {sorted(both)[:5]}: simulate "
                "more replications at once (replications=N, or precision=) instead"
            )
        if bool(self.replications) != bool(other.replications):
            # contacts() gave the records of one side's replications only, estimates() both
            raise ValueError(
                "cannot add a result that kept per-contact records to one that did not: "
                "simulate both with contacts=True, or both without"
            )
        return Result(
            self.scenario,
            self.seed,
            self.tables + other.tables,
            self.replications + other.replications,
        )

    def __radd__(self, other: object) -> Result:
        """`sum(results)`: its start, 0, adds nothing."""
        if isinstance(other, int) and other == 0:
            return self
        return NotImplemented

    @cached_property
    def summary(self) -> pd.DataFrame:
        """One row per replication × channel (and `escalation` if anything escalates)."""
        return pd.concat([t.summary for t in self.tables], ignore_index=True)

    @cached_property
    def intervals(self) -> pd.DataFrame:
        """Per replication × interval × channel: offered, answered, abandoned, SL, ASA,
        backlog at the interval's end, closed attempts."""
        return pd.concat([t.intervals for t in self.tables], ignore_index=True)

    @cached_property
    def groups(self) -> pd.DataFrame:
        """Per replication × interval × group: agents available, busy minutes, occupancy."""
        return pd.concat([t.groups for t in self.tables], ignore_index=True)

    def estimates(self, level: float = 0.95) -> pd.DataFrame:
        """Mean and t-interval over replications: rows channel × metric.

        Intervals are truncated to the metric's range (shares in [0, 1], NPS in
        [−100, 100], counts and times ≥ 0)."""
        return estimate_table(self.summary, level)

    def costs(self) -> pd.DataFrame:
        """Per replication, the week's `staff_cost` (wages and overhead: the roster's,
        the same in every replication) and `total_cost` (with the per-contact costs of
        the contacts that replication offered), both as `weekly_cost` counts them, in
        the scenario's currency; `channel` is `all` — the rows `sweep` and `compare`
        set beside the channels' (experiment/variants.py)."""
        rows = []
        for replication, frame in self.summary.groupby("replication", sort=True):
            by_channel = frame.set_index("channel")

            def of(metric: str, by_channel: pd.DataFrame = by_channel) -> dict[str, float]:
                values = by_channel[metric]
                return {ch: float(values[ch]) for ch in self.scenario.channels if ch in values}

            cost = weekly_cost(self.scenario, of("offered"), of("answered"), of("busy_min"))
            rows.append(
                {
                    "replication": replication,
                    "channel": WHOLE_CENTER,
                    "staff_cost": money(cost.wages + cost.overhead),
                    "total_cost": cost.total,
                }
            )
        return pd.DataFrame(rows)

    def target_checks(
        self, confidence: float | None = None, planned: int | None = None, each: bool = False
    ) -> list[targets.TargetCheck]:
        """Every target with its estimate (`ccsim.measure.targets.evaluate`); `planned`:
        judged as a verification on that many replications would be; `each`: a target
        over the window met only when every replication meets it."""
        return targets.evaluate(
            self.scenario, self.summary, self.intervals, confidence, planned, each
        )

    def periods(self, confidence: float | None = None) -> pd.DataFrame:
        """Every period of every target per day or interval (`targets.all_periods`):
        target, channel, metric, per, goal, start, name, offered, mean, CI, bound,
        judged, met."""
        return targets.all_periods(self.scenario, self.intervals, confidence)

    def checks(self, confidence: float | None = None) -> pd.DataFrame:
        """Every target: channel, metric, goal, estimate with its 95% CI, `bound` — the
        value compared with the goal: the mean; with `confidence`, its one-sided bound;
        for a target per day or interval, the worst judged period's (then `met` counts
        the periods that reach the goal against `in`) — and met (as `ccsim check`). The
        bound was not in the table: under a confidence, `met` was decided by a figure it
        did not show (a notebook walkthrough)."""
        return check_table(self.target_checks(confidence))

    @property
    def targets_met(self) -> bool:
        """Every target met by its estimate (the mean over replications)."""
        return all(c.met for c in self.target_checks())

    def weekly_cost(self) -> Cost:
        """The cost model's figures (`ccsim.finance.cost.weekly_cost`) of this run: the
        roster's pay and the contacts measured, per week."""
        est = self.estimates()
        means = est.pivot_table(index="metric", columns="channel", values="mean", sort=False)

        def mean(metric: str) -> dict[str, float]:
            if metric not in means.index:
                return {}
            return {
                ch: float(v)
                for ch, v in means.loc[metric].items()
                if ch in self.scenario.channels and not np.isnan(v)
            }

        return weekly_cost(self.scenario, mean("offered"), mean("answered"), mean("busy_min"))

    @property
    def cost(self) -> dict[str, Any]:
        """The cost figures (week, month, year, per group and channel, FTE, hires) as a
        plain dict: the `cost` key of `document()`; definitions in docs/reports.md."""
        return self.weekly_cost().model_dump(mode="json")

    @property
    def first_replication(self) -> int | None:
        """The number of the first replication; None when the numbers are not consecutive
        (results added together with a gap: no `first_replication` repeats them)."""
        numbers = sorted(self.summary["replication"].unique()) if self.tables else [0]
        consecutive = numbers == list(range(numbers[0], numbers[0] + len(numbers)))
        return int(numbers[0]) if consecutive else None

    def run_document(self, confidence: float | None = None) -> RunDocument:
        """The typed `ccsim run --json` document."""
        checks = self.target_checks(confidence)
        return RunDocument(
            scenario=self.scenario.name,
            replications=len(self.tables),
            first_replication=self.first_replication,
            seed=self.seed,
            sl_definition=self.scenario.simulation.sl_definition,
            confidence=confidence,
            channels=channel_results(self.estimates(), checks, confidence),
            groups=group_results(self.scenario, self.groups),
            cost=self.weekly_cost(),
            targets_met=all(c.met for c in checks),
        )

    def document(self, confidence: float | None = None) -> dict[str, Any]:
        """The `ccsim run --json` document as plain JSON (dicts, lists, numbers)."""
        return self.run_document(confidence).to_json()

    def contacts(self, replication: int | None = None) -> pd.DataFrame:
        """Per-contact records (measured window; all replications unless one is given)."""
        if not self.replications:
            raise ValueError("this result kept no per-contact records (run with contacts=True)")
        frames = [
            contact_table(self.scenario, rep)
            for rep in self.replications
            if replication is None or rep.index == replication
        ]
        if not frames:
            kept = ", ".join(str(rep.index) for rep in self.replications)
            raise ValueError(f"no replication {replication!r} in this result (it has: {kept})")
        return pd.concat(frames, ignore_index=True)


def check_table(checks: list[targets.TargetCheck]) -> pd.DataFrame:
    """Target checks as the rows of `Result.checks()` (its docstring says the columns)."""
    rows = [
        {
            "target": c.name,
            "channel": c.channel,
            "metric": c.metric,
            "goal": c.goal,
            "mean": c.mean,
            "ci_low": c.ci[0],
            "ci_high": c.ci[1],
            "bound": c.bound,
            "per": c.per,
            "periods_met": c.attainment.met if c.attainment else None,
            "periods": c.attainment.judged if c.attainment else None,
            "worst_period": c.attainment.worst.name
            if c.attainment and c.attainment.worst
            else None,
            "worst_mean": c.attainment.worst.mean if c.attainment and c.attainment.worst else None,
            "met": c.met,
        }
        for c in checks
    ]
    table = pd.DataFrame(rows, columns=CHECK_COLUMNS)  # (no targets: the columns still)
    for count in ("periods_met", "periods"):  # whole numbers, or <NA> (not 33.0)
        table[count] = table[count].astype("Int64")
    numbers = ["goal", "mean", "ci_low", "ci_high", "bound", "worst_mean"]
    return table.astype({**dict.fromkeys(numbers, float), "met": bool})


def estimate_table(per_replication: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Mean and t-interval over replications of every metric column of a table of one
    row per replication × channel (`Result.summary`): rows channel × metric, a metric
    a channel does not measure (all NaN) left out."""
    rows = []
    for channel, frame in per_replication.groupby("channel", sort=False):
        for metric in frame.columns.drop(["replication", "channel"]):
            values = frame[metric].to_numpy(float)
            if np.isnan(values).all():
                continue  # not measured for this channel (another channel's target)
            mean, lo, hi = t_interval(values, level)  # quiet for one replication
            low, high = _feasible(metric)  # a CI never leaves the metric's range
            rows.append(
                {
                    "channel": channel,
                    "metric": metric,
                    "mean": float(mean),
                    "ci_low": float(max(lo, low)),
                    "ci_high": float(min(hi, high)),
                }
            )
    return pd.DataFrame(rows)


def _feasible(metric: str) -> tuple[float, float]:
    """Range of a summary metric."""
    if metric.startswith("sl_") or metric in ("abandon_rate", "p_wait"):
        return 0.0, 1.0
    if metric == "nps":
        return -100.0, 100.0
    return 0.0, float("inf")
