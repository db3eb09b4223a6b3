"""The report of a run or a plan, as one typed object in memory.

Built from a `Result` or a `Plan` (`from_result`, `from_plan`) — or rebuilt from an
output folder (`read`), which holds the same pieces: the document (run.json / plan.json),
the interval and group tables, the requirement per interval and the scenario. The
workbook, the HTML page and the charts render this object; nothing is simulated or
planned again and nothing is read back from disk while writing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import ValidationError

from ccsim.experiment.document import RunDocument
from ccsim.experiment.result import Result
from ccsim.measure.service_level import label
from ccsim.measure.targets import period_name, periods
from ccsim.planning import requirements
from ccsim.planning.document import PlanDocument, minimality
from ccsim.planning.errors import PlanError
from ccsim.planning.plan import Plan
from ccsim.scenario import loader, units
from ccsim.scenario.model import Scenario, ServiceTarget
from ccsim.scenario.problems import ScenarioError

TABLES = ("intervals.csv", "groups.csv", "requirements.csv")
COLUMNS = {  # the columns of each table the report reads (beyond those per target)
    "intervals.csv": (
        "replication",
        "start",
        "day",
        "time",
        "channel",
        "offered",
        "answered",
        "backlog",
    ),
    "groups.csv": ("replication", "start", "day", "time", "group", "agents", "occupancy"),
    "requirements.csv": ("start", "day", "time", "channel", "required_agents"),
}


@dataclass(frozen=True)
class ServiceGrid:
    """One heat map: a channel's service target (`metric`: sl_20s, …) by day (rows) and
    time of day (columns)."""

    channel: str
    metric: str
    goal: float
    grid: pd.DataFrame  # the pooled service level (NaN: no contact counted)
    judged: pd.DataFrame  # False: a cell the target per interval or day does not judge
    per: str  # week, day or interval
    min_offered: float  # contacts a replication a period needs to be judged

    @property
    def unjudged(self) -> bool:
        """Some cell with a level is not judged."""
        return bool((~self.judged.to_numpy() & self.grid.notna().to_numpy()).any())


class ReportError(ValueError):
    """The folder is not a complete run or plan output (the message says what is wrong)."""


@dataclass
class Report:
    """Everything a report shows of one run or plan."""

    document: RunDocument | PlanDocument
    scenario: Scenario  # what was simulated (a plan: the input with the planned roster)
    intervals: pd.DataFrame  # replication × interval × channel
    groups: pd.DataFrame  # replication × interval × group
    requirement: pd.DataFrame  # interval of the planning week × channel

    @property
    def is_plan(self) -> bool:
        return isinstance(self.document, PlanDocument)

    @property
    def kind(self) -> str:
        return "plan" if self.is_plan else "run"

    @property
    def described(self) -> str:
        """What the report is of, in words: a plan, a run of the roster, or a run of a
        staffing table (a fitted scenario's was called "the scenario's roster")."""
        if isinstance(self.document, PlanDocument):  # (1-minimal or not: the console's)
            return f"plan (cheapest roster found, {minimality(self.document.search.one_minimal)})"
        by = "staffing table" if self.scenario.staffing is not None else "roster"
        return f"run of the scenario's {by}"

    @cached_property
    def staffing(self) -> pd.DataFrame:
        """Per interval of the measured window: agents on duty per group (mean over
        replications), their total, the requirement per channel and its total."""
        duty = self.groups.pivot_table(
            index="start", columns="group", values="agents", aggfunc="mean", sort=False
        )
        duty = duty.reindex(columns=list(self.scenario.groups)).fillna(0.0)
        need = self.requirement.pivot_table(
            index="start", columns="channel", values="required_agents", aggfunc="sum", sort=False
        )
        slot = duty.index.to_numpy() % units.MINUTES_PER_WEEK
        need = need.reindex(slot).fillna(0.0).set_axis(duty.index)
        table = pd.concat(
            [
                duty.add_prefix("on duty: "),
                pd.DataFrame({"on duty": duty.sum(axis=1)}),
                need.add_prefix("required: "),  # (none past what ccsim plans for: blank)
                pd.DataFrame(
                    {"required": need.sum(axis=1) if len(need.columns) else np.nan},
                    index=duty.index,
                ),
            ],
            axis=1,
        ).reset_index()
        labels = self.groups.drop_duplicates("start").set_index("start")[["day", "time"]]
        table.insert(1, "day", labels.loc[table["start"], "day"].to_numpy())
        table.insert(2, "time", labels.loc[table["start"], "time"].to_numpy())
        return table

    @cached_property
    def service(self) -> pd.DataFrame:
        """Service level per interval, channel and service target (`which`: its place in
        the channel's `service` list), pooled over replications: the contacts that count
        as in time over those the scenario's `sl_definition` counts (`<metric>_hits` /
        `<metric>_base` of `intervals`), as the period targets are judged
        (`ccsim.measure.targets`); `judged`: False in an interval a target per interval
        (or in a day a target per day) does not judge — fewer than `min_offered` contacts
        a replication — not counted among its periods."""
        rows = []
        for channel, target in self.scenario.targets.items():
            table = self.intervals[self.intervals["channel"] == channel]
            for which, t in enumerate(target.service):
                metric = label(t.within)
                if table.empty or f"{metric}_hits" not in table:
                    continue
                pooled = (
                    table[["start", f"{metric}_hits", f"{metric}_base"]]
                    .set_axis(["start", "hits", "n"], axis=1)
                    .groupby("start")
                    .sum()
                )
                level = pooled["hits"] / pooled["n"].where(pooled["n"] > 0)
                rows.append(
                    pd.DataFrame(
                        {
                            "start": pooled.index,
                            "channel": channel,
                            "target": metric,
                            "which": which,
                            "goal": t.at_least,
                            "per": t.per,
                            "min_offered": t.min_offered if t.scoped else 0.0,
                            "service_level": level.to_numpy(),
                            "judged": self._judged(channel, metric, t, pooled.index),
                        }
                    )
                )
        return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()

    def _judged(self, channel: str, metric: str, t: ServiceTarget, starts: pd.Index) -> Any:
        """Whether the target judges the period of each interval start (True for a target
        over the week, and where nothing was counted: such a cell shows no level)."""
        if not t.scoped:
            return np.ones(len(starts), bool)
        found = periods(self.scenario, self.intervals, channel, metric, "service", t.at_least, t)
        length = units.MINUTES_PER_DAY if t.per == "day" else self.scenario.simulation.interval
        period = np.floor(starts.to_numpy(float) / length + 1e-9) * length
        judged = dict(zip(found["start"], found["judged"], strict=True))
        return np.array([bool(judged.get(p, True)) for p in period])

    def service_grids(self) -> list[ServiceGrid]:
        """The heat maps of the reports, one for each channel's service target: the
        pooled service level with one row per day of the measured window (`mon`, `week
        2 mon` or the date) and one column per time of day, NaN where no contact was
        counted (none arrived, or none the `sl_definition` counts), and which cells the
        target judges."""
        out = []
        s = self.scenario
        table = self.service
        if table.empty:
            return out
        for _, rows in table.groupby(["channel", "which"], sort=False):
            start = rows["start"].to_numpy(float)
            day = np.floor(start / units.MINUTES_PER_DAY) * units.MINUTES_PER_DAY
            frame = pd.DataFrame(
                {
                    "day": day,
                    "time": start - day,
                    "level": rows["service_level"].to_numpy(),
                    "judged": rows["judged"].to_numpy(float),
                }
            )
            first = rows.iloc[0]
            out.append(
                ServiceGrid(
                    str(first["channel"]),
                    str(first["target"]),
                    float(first["goal"]),
                    _by_day(frame, "level", s),
                    _by_day(frame, "judged", s).fillna(1.0).astype(bool),
                    str(first["per"]),
                    float(first["min_offered"]),
                )
            )
        return out

    @cached_property
    def backlog(self) -> pd.DataFrame:
        """Message channels: contacts waiting at each interval's end (mean over replications)."""
        kinds = {c: ch.kind for c, ch in self.scenario.channels.items()}
        table = self.intervals[self.intervals["channel"].map(kinds) == "message"]
        return table.pivot_table(index="start", columns="channel", values="backlog", aggfunc="mean")

    def assumptions(self) -> list[tuple[str, str, Any, str]]:
        """Every input that drives the cost: (section, item, value, unit)."""
        s, c, doc = self.scenario, self.scenario.costs, self.document
        cur = c.currency
        rows: list[tuple[str, str, Any, str]] = [
            ("costs", "currency", cur, ""),
            ("costs", "overhead (employer costs, share of wages)", c.overhead, "share"),
            ("costs", "paid hours of one full-time agent a week (fte_hours)", c.fte_hours, "h"),
            ("costs", "shrinkage (share of paid time lost)", s.shrinkage, "share"),
            ("costs", "weeks per month (52/12)", 52 / 12, "weeks"),
            ("costs", "weeks per year", 52, "weeks"),
        ]
        rows += [("wage per paid hour", g, grp.wage, cur) for g, grp in s.groups.items()]
        rows += [
            ("cost per offered contact", ch, c.per_contact.get(ch, 0.0), cur) for ch in s.channels
        ]
        for name, sh in s.shifts.items():
            unpaid = sum(b.length for b in sh.breaks if not b.paid)
            rows.append(
                (
                    "shift",
                    name,
                    f"{units.format_clock(sh.start)}, {units.format_duration(sh.length)}, "
                    f"{units.format_days(sh.days)}, unpaid breaks {units.format_duration(unpaid)}",
                    f"{sh.paid_minutes / 60:g} paid h/day",
                )
            )
        rows += [("roster", f"{r.group} × {r.shift}", r.agents, "agents") for r in s.roster]
        by_channel = doc.cost.by_channel
        rows += [
            ("offered contacts a week", ch, v.offered, "contacts") for ch, v in by_channel.items()
        ]
        rows += [
            ("handled contacts a week", ch, v.handled, "contacts") for ch, v in by_channel.items()
        ]
        rows += [
            ("share of agent busy time", ch, v.busy_share, "share") for ch, v in by_channel.items()
        ]
        rows += [
            ("simulation", "measured window", units.format_duration(s.simulation.horizon), ""),
            ("simulation", "replications", doc.replications, ""),
            ("simulation", "seed", doc.seed, ""),
        ]
        return rows


def from_result(result: Result, confidence: float | None = None) -> Report:
    """The report of a run; the requirement is the planner's for the scenario's shifts
    (none where it is past what the planner plans for)."""
    s = result.scenario
    # past what ccsim plans for, the run is saved without the yardstick (`run --out`
    # failed after the run until 2026-12-06, the run lost)
    try:
        needs = requirements.needs(s)
    except PlanError:
        needs = {}
    requirement = requirements.table(s, needs)
    return Report(result.run_document(confidence), s, result.intervals, result.groups, requirement)


def _unplannable(s: Scenario) -> bool:
    """The requirement of `s` is past what the planner plans for (PlanError)."""
    try:
        requirements.needs(s)
    except PlanError:
        return True
    return False


def from_plan(plan: Plan) -> Report:
    """The report of a plan: its verification run and the requirement it planned to."""
    requirement = requirements.table(plan.scenario, plan.needs)
    return Report(
        plan.plan_document(),
        plan.scenario,
        plan.result.intervals,
        plan.result.groups,
        requirement,
    )


def read(path: Path) -> Report:
    """Rebuild the report of a run or plan output folder; ReportError (`path: what is
    wrong`) when the folder is not a complete ccsim output."""
    path = Path(path)
    if not path.is_dir():
        raise ReportError(f"{path}: not a folder (expected the --out folder of ccsim run or plan)")
    is_plan = (path / "plan.json").is_file()
    name = "plan.json" if is_plan else "run.json"
    missing = [n for n in (name, *TABLES, "scenario.yaml") if not (path / n).is_file()]
    other = {  # another command's folder, and where its report comes from
        "capacity.json": "ccsim capacity: its report is written with the plan, by "
        "`ccsim capacity … --out DIR --report` (or `ccsim.save(cp, DIR, report=True)` of "
        "the plan in hand); it cannot be rebuilt from the folder",
        "fit.html": "ccsim fit --report: fit.html is its report",
        "backtest.json": "ccsim backtest: backtest.html is its report",
    }
    made_by = next((what for doc, what in other.items() if (path / doc).is_file()), None)
    if missing and made_by is not None:
        raise ReportError(f"{path}: an output folder of {made_by}")
    if missing:
        if missing == ["requirements.csv"]:
            raise ReportError(
                f"{path}: written by an older ccsim (no requirements.csv): run or plan again "
                "with --out"
            )
        raise ReportError(
            f"{path}: not a ccsim run or plan output folder (missing {', '.join(missing)})"
        )
    try:
        data = json.loads((path / name).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReportError(f"{path / name}: cannot read it ({exc})") from None
    except RecursionError:  # ([[[[…]]]]: Python's decoder gives up, a traceback)
        raise ReportError(f"{path / name}: cannot read it (nested too deeply)") from None
    kind = PlanDocument if is_plan else RunDocument
    try:
        document = kind.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ReportError(
            f"{path / name}: not a ccsim {'plan' if is_plan else 'run'} document "
            f"({where}: {first['msg']}; written by another ccsim version?)"
        ) from None
    try:
        scenario = loader.load(path / "scenario.yaml")
    except ScenarioError as exc:
        raise ReportError("; ".join(str(m) for m in exc.messages)) from None
    tables = [_table(path / n) for n in TABLES]
    for name, table in zip(TABLES, tables, strict=True):
        if missing := [c for c in COLUMNS[name] if c not in table.columns]:
            raise ReportError(
                f"{path / name}: missing column(s) {', '.join(missing)} (not a table ccsim wrote)"
            )
        if name == "requirements.csv" and table.empty and not is_plan and _unplannable(scenario):
            continue  # a run past what ccsim plans for is saved without one (from_result)
        _complete(path / name, table, document.replications)
    _counted(path / "intervals.csv", tables[0], scenario)
    slots = round(units.MINUTES_PER_WEEK / scenario.simulation.interval)
    per_channel = tables[2].groupby("channel").size()
    if (per_channel != slots).any():  # one week of intervals per channel (no replications)
        raise ReportError(
            f"{path / 'requirements.csv'}: rows per channel {_counts(per_channel)}, expected "
            f"{slots} each, a week of intervals (the file was cut short?)"
        )
    return Report(document, scenario, *tables)


def _counted(path: Path, intervals: pd.DataFrame, s: Scenario) -> None:
    """A folder written before the intervals kept each target's `_hits` and `_base`
    (2026-12-02): under `sl_definition: offered` they are the level × offered and the
    offered, added in place; under another definition they cannot be rebuilt, and the
    folder is refused (its heat maps came out empty, "no service-level targets")."""
    for target in s.targets.values():
        for t in target.service:
            metric = label(t.within)
            if metric not in intervals or f"{metric}_hits" in intervals:
                continue
            if s.simulation.sl_definition != "offered":
                raise ReportError(
                    f"{path}: written by an older ccsim (no {metric}_hits column, needed under "
                    f"sl_definition: {s.simulation.sl_definition}): run or plan again with --out"
                )
            intervals[f"{metric}_hits"] = intervals[metric].fillna(0.0) * intervals["offered"]
            intervals[f"{metric}_base"] = intervals["offered"]


def _table(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path)
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        why = " ".join(str(exc).split())
        raise ReportError(f"{path}: cannot read it ({why})") from None


KEYS = {  # the columns that name a row of each table, and its counts: never empty
    "intervals.csv": ("replication", "start", "channel", "offered", "answered"),
    "groups.csv": ("replication", "start", "group", "agents"),
    "requirements.csv": ("start", "channel", "required_agents"),
}


def _complete(path: Path, table: pd.DataFrame, replications: int) -> None:
    """ReportError when a table was cut short (a row with empty keys or counts, or a
    replication missing or with fewer rows than the others): the report would show a
    partial week as if it were the run."""
    with path.open("rb") as f:
        f.seek(-1, 2)
        if f.read(1) != b"\n":  # ccsim ends every line; a row cut in its empty fields parses
            raise ReportError(
                f"{path}:{len(table) + 1}: the last line is cut short (the file was cut short?)"
            )
    keys = list(KEYS[path.name])
    empty = table[keys].isna().any(axis=1).to_numpy()
    if empty.any():
        line = int(np.argmax(empty)) + 2  # the header is line 1
        raise ReportError(f"{path}:{line}: a row with empty fields (the file was cut short?)")
    if table.empty:
        raise ReportError(f"{path}: no rows (the file was cut short?)")
    if "replication" not in table:
        return
    rows = table.groupby("replication").size()  # a plan's verification: numbers after the search's
    if len(rows) != replications or rows.nunique() != 1:
        raise ReportError(
            f"{path}: rows for replications {_counts(rows)}, expected the same number for "
            f"each of {replications} replications (the file was cut short?)"
        )


def _counts(rows: pd.Series) -> str:
    return ", ".join(f"{r}: {n}" for r, n in rows.items())


def _by_day(frame: pd.DataFrame, values: str, s: Scenario) -> pd.DataFrame:
    """A column of `frame` (day, time, …) as a grid: a row per day, named, a column per
    time of day (NaN where the frame has none)."""
    grid = frame.pivot_table(index="day", columns="time", values=values, dropna=False)
    grid = grid.reindex(columns=np.arange(0, units.MINUTES_PER_DAY, s.simulation.interval))
    grid.index = [period_name(s, d, "day") for d in grid.index]
    grid.columns = [units.format_clock(m) for m in grid.columns]
    return grid
