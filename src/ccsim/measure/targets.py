"""Targets: is each service-level and abandonment target met, and with what confidence?

Without a confidence level a target is met when the estimate (mean over replications)
reaches it. With `confidence` C (`ccsim check --confidence 0.95`, every plan's
verification) the one-sided C lower bound of a service level must reach its target,
and the upper bound of an abandon rate must stay under its limit.

A target `per: day` or `per: interval` is checked in every period of the measured window
(docs/scenario-format.md, "Targets per period"): the period's estimate pools its contacts
over the replications (contacts in time / contacts counted), with the ratio estimator's
standard error across replications; each period is compared on its own at level C (one
comparison per judged period — no simultaneous correction; docs/planning.md). Periods
with fewer than `min_offered` contacts a replication on average are not judged. The
target is met when at least the share `in` of the judged periods are.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy import special

from ccsim.measure.confidence import checked_confidence, t_interval
from ccsim.measure.service_level import label
from ccsim.scenario import units
from ccsim.scenario.model import Scenario, Scoped
from ccsim.scenario.units import percent

TOLERANCE = 1e-12


def ci_words(ci: tuple[float, float], replications: int, fmt: str, dash: str = "–") -> str:
    """`95% CI 69.1%–87.1%`, or `1 replication: no CI` (it read `90.67%-90.67%`, as if
    exact: a review)."""
    if replications < 2:
        return units.NO_CI
    return f"95% CI {ci[0]:{fmt}}{dash}{ci[1]:{fmt}}"


@dataclass(frozen=True)
class Period:
    """One judged period of a scoped target: its estimate and the value compared."""

    start: float  # minutes from time 0
    name: str  # `tue 10:30`, `sat`, `2024-01-16 10:30`
    offered: float  # mean contacts a replication
    mean: float
    ci: tuple[float, float]
    bound: float
    met: bool
    replications: int  # its CI's (one: none)

    def text(self, fmt: str = ".1%") -> str:
        """`mon 09:00: 78.1% (95% CI 69.1%–87.1%), one-sided bound 70.7%` (no bound when
        the estimate itself was compared: `ccsim check` without `--confidence`)."""
        ci = ci_words(self.ci, self.replications, fmt)
        text = f"{self.name}: {self.mean:{fmt}} ({ci})"
        return text + ("" if self.bound == self.mean else f", one-sided bound {self.bound:{fmt}}")


@dataclass(frozen=True)
class Attainment:
    """How many periods of a scoped target met it, and the worst one."""

    per: str  # day or interval
    required: float  # the share of judged periods that must meet it (`in`)
    judged: int
    met: int
    not_judged: int  # periods with contacts, but fewer than `min_offered` a replication
    worst: Period | None
    failing: tuple[float, ...] = ()  # starts (minutes) of the judged periods that missed
    missed: tuple[str, ...] = ()  # their names (`mon 17:00`), in order of time

    @property
    def ok(self) -> bool:
        """Met: the share `in` of the judged periods met it — and some period was judged.
        A target judged nowhere is not met (it passed as "0 of 0": a plan of 0 agents, all
        calls lost, read "every target met" — a walkthrough, 2026-12-07)."""
        if self.judged == 0:
            return self.not_judged == 0  # no period with contacts: nothing to miss
        return self.met >= math.ceil(self.required * self.judged - 1e-9)

    def text(self, fmt: str = ".1%") -> str:
        """`30 of 32 interval periods met, 100% required; worst mon 09:00: …`."""
        if self.judged == 0:
            return (
                f"no {self.per} period judged, so not met: the {self.not_judged} with contacts "
                "had fewer than min_offered a replication on average (a lower min_offered "
                "judges them)"
                if self.not_judged
                else f"no {self.per} period judged: none had a contact counted"
            )
        required = percent(self.required)  # (87.5 % read "88% required")
        text = f"{self.met} of {self.judged} {self.per} periods met, {required} required"
        return text + (f"; worst {self.worst.text(fmt)}" if self.worst is not None else "")


@dataclass(frozen=True)
class TargetCheck:
    """One target of one channel, with its estimate over replications."""

    channel: str
    metric: str  # sl_20s, ..., or abandon_rate
    kind: str  # "service" (at least) or "max_abandon" (at most)
    within: float | None  # minutes (service targets)
    goal: float
    mean: float  # over the whole window (also for a scoped target)
    ci: tuple[float, float]
    bound: float  # the value compared with the goal (scoped: the worst period's)
    met: bool
    replications: int  # with an estimate of it (its CI's; one: none)
    per: str = "week"
    attainment: Attainment | None = None
    error: float = float("nan")  # standard error of `mean` over the replications

    def shortfall(self) -> str:
        """What was compared with the goal, in words: the estimate, its interval and the
        bound, or — for a target per day or interval — how many periods met it and the
        worst one (its week mean says nothing about its periods)."""
        if self.attainment is not None:
            return self.attainment.text()
        return (
            f"estimate {self.mean:.1%} ({ci_words(self.ci, self.replications, '.1%')}), "
            f"value compared with the goal {self.bound:.1%}"
        )

    def verdict(self, confidence: float | None = None) -> str:
        """What decided the target, as `ccsim check` and its JUnit report say it: for one
        per day or interval its periods (a MISS beside a window estimate above the goal
        read as a contradiction); for one over the window the estimate, and when
        `confidence` decided a miss the one-sided bound it compared. In percentages, as
        the target's name gives them, to two decimals, as a verdict close to its goal
        needs (`estimate 0.7870` until 2026-12-07)."""
        if self.mean != self.mean:  # a channel without contacts: no estimate (it read nan)
            if self.met:
                return "no estimate (no contacts)"
            return "no estimate, so not met: none of its offered contacts was counted"
        estimate = f"estimate {self.mean:.2%} ({ci_words(self.ci, self.replications, '.2%', '-')})"
        if self.attainment is not None:
            return f"{self.attainment.text('.2%')}; over the window {estimate}"
        if self.met or confidence is None:
            return estimate
        sign = "<" if self.kind == "service" else ">"
        if self.replications < 2:  # the estimate says it: no spread, no bound
            return f"{estimate} {sign} {percent(self.goal)}"
        if self.ci[0] == self.ci[1]:  # the same in every replication: the bound is it
            return f"{estimate} {sign} {percent(self.goal)} (no spread to bound)"
        bound = f"one-sided {confidence:.0%} bound {self.bound:.2%}"
        return f"{estimate}, {bound} {sign} {percent(self.goal)}"

    @property
    def name(self) -> str:
        """`phone sl_20s ≥ 80%`, `phone sl_20s ≥ 80% per interval` — a readable identifier
        (JUnit test names, tables)."""
        required = self.attainment.required if self.attainment is not None else 1.0
        return target_name(self.channel, self.metric, self.kind, self.goal, self.per, required)


def target_name(
    channel: str, metric: str, kind: str, goal: float, per: str, required: float
) -> str:
    sign = "≥" if kind == "service" else "≤"
    scope = (
        ""
        if per == "week"
        else f" per {per}" + (f" in {percent(required)}" if required < 1 else "")
    )
    return f"{channel} {metric} {sign} {percent(goal)}{scope}"


def _items(s: Scenario):
    """(channel, metric, kind, within, goal, scope) of every target, in order."""
    for channel, target in s.targets.items():
        for t in target.service:
            yield channel, label(t.within), "service", t.within, t.at_least, t
        if (a := target.max_abandon) is not None:
            yield channel, "abandon_rate", "max_abandon", None, a.at_most, a


def evaluate(
    s: Scenario,
    summary: pd.DataFrame,
    intervals: pd.DataFrame | None = None,
    confidence: float | None = None,
    planned: int | None = None,
    each: bool = False,
) -> list[TargetCheck]:
    """Check every target of `s` against the summary table of its replications (one row
    per replication × channel) and, for targets per day or interval, its interval table.
    `planned`: compare as a verification on that many replications would, with the spread
    seen here (the planner's search anticipates its verification). `each`: a target over
    the whole window is met when every replication meets it on its own (its bound is the
    worst replication's value) — the planner's search rule for a large week
    (docs/planning.md); targets per day or interval are judged as without it."""
    confidence = checked_confidence(confidence)
    checks: list[TargetCheck] = []
    for channel, metric, kind, within, goal, scope in _items(s):
        rows = summary[summary["channel"] == channel]
        values = rows[metric].to_numpy(float) if metric in rows else np.array([np.nan])
        check = _check(channel, metric, kind, within, goal, values, confidence, planned, each)
        if scope.scoped:
            if intervals is None:
                raise ValueError(f"{check.name} per {scope.per} needs the interval table")
            table = periods(s, intervals, channel, metric, kind, goal, scope, confidence, planned)
            check = _scoped(check, scope, table)
        offered = rows["offered"].to_numpy(float).sum() if "offered" in rows else 0.0
        if offered > 0 and check.mean != check.mean:  # offered, but none counted (no one
            # answered, the service level over the answered): it passed as "no contacts"
            check = replace(check, met=False)
        checks.append(check)
    return checks


def lead(check: TargetCheck) -> float | None:
    """How far the value a target was judged by passes its goal, in standard errors of
    its estimate: under about one, a fresh verification of as many replications may well
    miss it (its bound then under the goal). None for a target per day or interval, a
    miss, no spread, or a target no roster can miss (a service level of 0 %, an abandon
    limit of 100 %: its bound, kept within [0, 1], sits on the goal)."""
    if check.attainment is not None or not check.met or not check.error > 0:
        return None
    if check.goal <= 0 if check.kind == "service" else check.goal >= 1:
        return None
    ahead = check.bound - check.goal if check.kind == "service" else check.goal - check.bound
    return float(ahead / check.error)


def margins(
    s: Scenario, summary: pd.DataFrame, goals: dict[str, float] | None = None
) -> pd.DataFrame:
    """How far each replication is from every target over the whole window: value − goal
    for a service level, goal − value for an abandon limit (negative: missed; NaN: nothing
    measured). Rows: replications; columns: the targets' names (targets per day or
    interval left out); `goals`: other goals by name (the planner's for a target out of
    reach). The planner orders replications by it (`ccsim.planning.trim`)."""
    columns = {}
    for channel, metric, kind, _, goal, scope in _items(s):
        if scope.scoped:
            continue
        rows = summary[summary["channel"] == channel]
        values = rows[metric].to_numpy(float) if metric in rows else np.full(len(rows), np.nan)
        name = target_name(channel, metric, kind, goal, "week", 1.0)
        goal = (goals or {}).get(name, goal)
        margin = values - goal if kind == "service" else goal - values
        columns[name] = pd.Series(margin, index=rows["replication"].to_numpy())
    return pd.DataFrame(columns)


PERIOD_COLUMNS = ["start", "name", "offered", "mean", "ci_low", "ci_high", "bound", "judged", "met"]
_TEXT = ("target", "channel", "metric", "per", "name")


def _empty(columns: list[str]) -> pd.DataFrame:
    """A table of these columns without rows, each of the type it has with rows."""
    kinds = {"judged": bool, "met": bool} | {c: str for c in _TEXT}
    return pd.DataFrame({c: pd.Series(dtype=kinds.get(c, float)) for c in columns})


def all_periods(
    s: Scenario, intervals: pd.DataFrame, confidence: float | None = None
) -> pd.DataFrame:
    """The `periods` of every target per day or interval, one table: target, channel,
    metric, per, goal, then the period columns."""
    confidence = checked_confidence(confidence)
    frames = []
    for channel, metric, kind, _, goal, scope in _items(s):
        if scope.scoped:
            table = periods(s, intervals, channel, metric, kind, goal, scope, confidence)
            name = target_name(channel, metric, kind, goal, scope.per, scope.in_)
            info = {"target": name, "channel": channel, "metric": metric, "per": scope.per}
            frames.append(table.assign(**info, goal=goal))
    first = ["target", "channel", "metric", "per", "goal"]
    if not frames:  # (it had no columns at all)
        return _empty(first + PERIOD_COLUMNS)
    table = pd.concat(frames, ignore_index=True)
    return table[first + [c for c in table.columns if c not in first]]


def _check(
    channel, metric, kind, within, goal, values, confidence, planned, each=False
) -> TargetCheck:
    values = values[~np.isnan(values)]
    if values.size == 0:  # nobody offered: nothing measured, nothing missed
        nan = float("nan")
        return TargetCheck(channel, metric, kind, within, goal, nan, (nan, nan), nan, True, 0)
    mean, lo, hi = (float(x) for x in t_interval(values))
    lo, hi = max(lo, 0.0), min(hi, 1.0)  # shares: the interval stays in [0, 1]
    sd = float(np.std(values, ddof=1)) if values.size > 1 else 0.0
    if each:  # every replication on its own: the worst one is compared
        bound = float(values.min() if kind == "service" else values.max())
    else:
        bound = float(_bound(mean, sd, planned or values.size, kind, confidence))
    met = bool(_met(bound, goal, kind))
    error = sd / math.sqrt(values.size)
    return TargetCheck(
        channel, metric, kind, within, goal, mean, (lo, hi), bound, met, int(values.size),
        error=error,
    )  # fmt: skip


def _bound(mean, sd, n, kind: str, confidence: float | None):
    """The value compared with the goal: the estimate, or its one-sided bound at
    `confidence` for a mean of `n` replications with spread `sd` (vectorised), kept
    within [0, 1] — a share's bound says nothing more beyond (a bound of −3 % read as
    a figure; only a goal of 0 %, or an abandon limit of 100 %, compares differently, and
    those are met by any roster)."""
    if confidence is None:
        return mean
    margin = (
        special.stdtrit(max(n - 1, 1), confidence) * np.asarray(sd) / math.sqrt(n) if n > 1 else 0.0
    )
    return np.clip(mean - margin if kind == "service" else mean + margin, 0.0, 1.0)


def _met(bound, goal: float, kind: str):
    if kind == "service":
        return np.asarray(bound) >= goal - TOLERANCE
    return np.asarray(bound) <= goal + TOLERANCE


def periods(
    s: Scenario,
    intervals: pd.DataFrame,
    channel: str,
    metric: str,
    kind: str,
    goal: float,
    scope: Scoped,
    confidence: float | None = None,
    planned: int | None = None,
) -> pd.DataFrame:
    """Every period of a scoped target with contacts: start (minutes), name, offered (mean
    a replication), mean, ci_low, ci_high, bound, judged, met. The estimate pools the
    period's contacts over the replications; its spread is the ratio estimator's across
    replications."""
    confidence = checked_confidence(confidence)
    rows = intervals[intervals["channel"] == channel]
    hits, base = (
        (f"{metric}_hits", f"{metric}_base") if kind == "service" else ("abandoned", "offered")
    )
    if rows.empty or hits not in rows:  # typed, so that an empty table judges nothing
        return _empty(PERIOD_COLUMNS)
    length = units.MINUTES_PER_DAY if scope.per == "day" else s.simulation.interval
    period = np.floor(rows["start"].to_numpy(float) / length + 1e-9) * length
    frame = pd.DataFrame(
        {
            "replication": rows["replication"].to_numpy(),
            "start": period,
            "hits": rows[hits].to_numpy(float),
            "base": rows[base].to_numpy(float),
            "offered": rows["offered"].to_numpy(float),
        }
    )
    sums = frame.groupby(["replication", "start"]).sum()
    reps = sums.index.get_level_values(0).unique()
    k = len(reps)
    grid = sums.unstack("replication").fillna(0.0)  # periods × (column, replication)
    h, b, o = (grid[c].to_numpy().T for c in ("hits", "base", "offered"))  # reps × periods
    total = b.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = h.sum(axis=0) / total
        resid = h - mean * b
        sd = (
            np.sqrt((resid**2).sum(axis=0) / max(k - 1, 1)) / (total / k)
            if k > 1
            else np.zeros(mean.size)
        )
    sd = np.nan_to_num(sd)
    half = (
        special.stdtrit(max(k - 1, 1), 0.975) * sd / math.sqrt(k) if k > 1 else np.zeros(mean.size)
    )
    bound = _bound(mean, sd, planned or k, kind, confidence)
    offered = o.mean(axis=0)
    judged = (offered >= max(scope.min_offered, 1e-12)) & (total > 0)
    out = pd.DataFrame(
        {
            "start": grid.index.to_numpy(float),
            "name": [period_name(s, t, scope.per) for t in grid.index],
            "offered": offered,
            "mean": mean,
            "ci_low": np.clip(mean - half, 0.0, 1.0),
            "ci_high": np.clip(mean + half, 0.0, 1.0),
            "bound": bound,
            "judged": judged,
            "met": np.where(judged, _met(bound, goal, kind), True),
        }
    )
    return out[total > 0].reset_index(drop=True)


def _scoped(check: TargetCheck, scope: Scoped, table: pd.DataFrame) -> TargetCheck:
    judged = table[table["judged"]]
    worst = None
    if not judged.empty:
        order = judged["bound"] if check.kind == "service" else -judged["bound"]
        row = judged.loc[order.idxmin()]
        worst = Period(
            float(row["start"]),
            str(row["name"]),
            float(row["offered"]),
            float(row["mean"]),
            (float(row["ci_low"]), float(row["ci_high"])),
            float(row["bound"]),
            bool(row["met"]),
            check.replications,
        )
    attainment = Attainment(
        scope.per,
        scope.in_,
        len(judged),
        int(judged["met"].sum()),
        int(len(table) - len(judged)),
        worst,
        tuple(float(x) for x in judged.loc[~judged["met"].astype(bool), "start"]),
        tuple(str(x) for x in judged.loc[~judged["met"].astype(bool), "name"]),
    )
    bound = worst.bound if worst is not None else check.bound
    return TargetCheck(
        check.channel,
        check.metric,
        check.kind,
        check.within,
        check.goal,
        check.mean,
        check.ci,
        bound,
        attainment.ok,
        check.replications,
        scope.per,
        attainment,
        check.error,
    )


def period_name(s: Scenario, start: float, per: str) -> str:
    """A period's name: `tue 10:30` (`tue` for a day); with a start date, the date; past
    the first week, the week too (`week 2 tue 10:30`)."""
    sim = s.simulation
    minute = float(start)
    clock = "" if per == "day" else " " + units.format_clock(minute % units.MINUTES_PER_DAY)
    if sim.start is not None:
        day = pd.Timestamp(sim.start) + pd.Timedelta(minutes=minute)
        return day.strftime("%Y-%m-%d") + clock
    day_index = int(minute // units.MINUTES_PER_DAY)
    week = day_index // 7
    name = units.DAY_NAMES[(sim.start_day_index + day_index) % 7] + clock
    return f"week {week + 1} {name}" if sim.horizon > units.MINUTES_PER_WEEK else name
