"""A year (or any run of weeks) for capacity planning: the calendar file.

Volume factors, handle-time factors and shrinkage by week, the starting headcount,
attrition, hiring (lead time, ramp-up, limits, cost) and what may cover a gap
(overtime, temporary staff, an allowed shortfall) — docs/capacity.md has every key.
Read within the same bounds as a scenario (`ccsim.scenario.yamlfile`) and validated
the same way: every problem as `file:line: field: message (expected …)`.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import pandas as pd
from pydantic import (
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)

from ccsim.scenario import loader, rules, units, yamlfile
from ccsim.scenario.limits import (
    DEFAULT_FILE_LIMITS,
    MAX_HANDLING,
    MAX_MONEY,
    MAX_WEEKLY,
    FileLimits,
)
from ccsim.scenario.model import CalendarDate, Model, Scenario, Share
from ccsim.scenario.problems import InputError, Loc, Message, Problem, ScenarioError

MAX_WEEKS = 260  # five years
MAX_FACTOR = 100.0  # a week's volume or handle-time factor
MAX_HEADCOUNT = 1_000_000.0
MAX_RAMP_WEEKS = 52
KEYS = "start, weeks, volume, handle_time, shrinkage, headcount, attrition_per_month, hiring, cover"


def _weeks(value: Any) -> Any:
    """A lead time as a duration (`6w`, `42d`) or a number of weeks."""
    if isinstance(value, str):
        try:  # a number alone is weeks here, quoted or not
            return float(value)
        except ValueError:
            pass
        try:
            minutes = units.parse_duration(value)
        except ValueError:  # (its message says a plain number is minutes: here, weeks)
            raise ValueError(
                f"expected a number of weeks or a duration like 6w or 42d, got {value!r}"
            ) from None
        return minutes / units.MINUTES_PER_WEEK
    return value


Factor = Annotated[float, Field(ge=0.0, le=MAX_FACTOR)]
Weeks = Annotated[float, BeforeValidator(_weeks), Field(ge=0.0, le=MAX_WEEKS)]


class DateRange(Model):
    """A factor (or value) for the weeks that overlap `from`..`to` (inclusive)."""

    model_config = ConfigDict(populate_by_name=True)

    from_: Annotated[CalendarDate, Field(alias="from")]
    to: CalendarDate
    factor: Factor

    @model_validator(mode="after")
    def _ordered(self) -> DateRange:
        if self.to < self.from_:
            raise ValueError(f"`to` {self.to} is before `from` {self.from_}")
        return self


class ByWeek(Model):
    """A value per week: a default, overrides by week number (1 = the first week) and
    by date range (applied after the week numbers)."""

    default: Factor = 1.0
    weeks: dict[int, Factor] = Field(default_factory=dict)
    dates: list[DateRange] = Field(default_factory=list)

    def values(self, starts: list[dt.date], default: float | None = None) -> np.ndarray:
        """The value of each week starting on `starts`."""
        base = self.default if default is None else default
        out = np.full(len(starts), float(base))
        for week, value in self.weeks.items():
            if 1 <= week <= len(starts):
                out[week - 1] = value
        for r in self.dates:
            for i, start in enumerate(starts):
                if start <= r.to and start + dt.timedelta(days=6) >= r.from_:
                    out[i] = r.factor
        return out


PositiveFactor = Annotated[float, Field(gt=0.0, le=MAX_FACTOR)]


class HandleRange(DateRange):
    """A handle-time factor for the weeks that overlap `from`..`to`."""

    factor: PositiveFactor


class HandleTime(ByWeek):
    """Handle-time factors: > 0 (a handle time of 0 is no contact model; it failed only
    when its kind of week was planned, naming no calendar line)."""

    default: PositiveFactor = 1.0
    weeks: dict[int, PositiveFactor] = Field(default_factory=dict)
    dates: list[HandleRange] = Field(default_factory=list)


class Volume(ByWeek):
    """Volume factors for every channel; a channel's own factors (`channels`) multiply
    them."""

    channels: dict[str, ByWeek] = Field(default_factory=dict)


ShrinkShare = Annotated[float, Field(ge=0.0, lt=1.0)]


class ShrinkageRange(DateRange):
    """A shrinkage for the weeks that overlap `from`..`to`."""

    factor: ShrinkShare


class Shrinkage(Model):
    """Shrinkage by week (absence, holidays, training), replacing the scenario's."""

    default: ShrinkShare | None = None  # None: the scenario's `shrinkage`
    weeks: dict[int, ShrinkShare] = Field(default_factory=dict)
    dates: list[ShrinkageRange] = Field(default_factory=list)

    def values(self, starts: list[dt.date], scenario_value: float) -> np.ndarray:
        default = scenario_value if self.default is None else self.default
        return ByWeek(weeks=self.weeks, dates=self.dates, default=0.0).values(starts, default)


class Hiring(Model):
    """New agents: decided `lead_time` before they start, then `ramp_weeks` at a
    productivity rising linearly from `ramp_start` to 1."""

    lead_time: Weeks = 0.0
    ramp_weeks: Annotated[int, Field(ge=0, le=MAX_RAMP_WEEKS)] = 0
    ramp_start: Share = 0.5
    max_per_week: dict[str, Annotated[int, Field(ge=0, le=100_000)]] = Field(default_factory=dict)
    cost_per_hire: Annotated[float, Field(ge=0.0, le=MAX_MONEY)] = 0.0

    @field_validator("lead_time")
    @classmethod
    def _whole_weeks(cls, value: float) -> float:
        if abs(value - round(value)) > 1e-9:
            raise ValueError(f"a lead time of {value:g} weeks: give whole weeks (e.g. 6w)")
        return float(round(value))

    def productivity(self) -> np.ndarray:
        """Productive share of a hire in each of their first weeks (then 1)."""
        if self.ramp_weeks == 0:
            return np.ones(0)
        steps = np.arange(self.ramp_weeks) / self.ramp_weeks
        return self.ramp_start + (1.0 - self.ramp_start) * steps


class Cover(Model):
    """What may fill a gap between the FTE required and those available."""

    overtime_share: Share = 0.0  # of the available FTE, at most
    overtime_premium: Annotated[float, Field(ge=0.0, le=10.0)] = 0.25
    temporary: bool = False  # temporary staff, without limit
    temporary_premium: Annotated[float, Field(ge=0.0, le=10.0)] = 0.4
    shortfall: bool = False  # leave part of the requirement uncovered
    shortfall_penalty: Annotated[float, Field(ge=0.0, le=MAX_MONEY)] = 10_000.0  # per FTE-week


class Calendar(Model):
    """The calendar file (docs/capacity.md)."""

    start: CalendarDate
    weeks: Annotated[int, Field(ge=1, le=MAX_WEEKS)] = 52
    volume: Volume = Field(default_factory=Volume)
    handle_time: HandleTime = Field(default_factory=HandleTime)
    shrinkage: Shrinkage = Field(default_factory=Shrinkage)
    headcount: dict[str, Annotated[float, Field(ge=0.0, le=MAX_HEADCOUNT)]]
    attrition_per_month: Share | dict[str, Share] = 0.0
    hiring: Hiring = Field(default_factory=Hiring)
    cover: Cover = Field(default_factory=Cover)
    _warnings: tuple[Message, ...] = PrivateAttr(())

    @property
    def warnings(self) -> list[Message]:
        """What the file gave that is valid but likely not meant (`ccsim capacity` says
        them on stderr): a date range that covers part of a week (`partial_weeks`)."""
        return list(self._warnings)

    @field_validator("start")
    @classmethod
    def _monday(cls, value: dt.date) -> dt.date:
        if not 1900 <= value.year <= 2200:  # (pandas dates end in 2262)
            raise ValueError(f"{value}: expected a start between 1900 and 2200")
        if value.weekday() != 0:
            raise ValueError(f"{value} is a {value:%A}: a calendar starts on a Monday")
        return value

    def starts(self) -> list[dt.date]:
        return [self.start + dt.timedelta(weeks=i) for i in range(self.weeks)]

    def monthly_attrition(self, group: str) -> float:
        a = self.attrition_per_month
        return a.get(group, 0.0) if isinstance(a, dict) else a

    def attrition(self, group: str) -> float:
        """Weekly attrition of a group: 1 − (1 − monthly)^(12/52)."""
        return 1.0 - (1.0 - self.monthly_attrition(group)) ** (12 / 52)

    def table(self, s: Scenario) -> pd.DataFrame:
        """One row per week: week, start, a volume factor per channel (`volume:<ch>`),
        the overall volume factor (weighted by the scenario's weekly volumes), the
        handle-time factor and the shrinkage."""
        starts = self.starts()
        frame = pd.DataFrame({"week": np.arange(1, self.weeks + 1), "start": starts})
        weights, total = {}, 0.0
        overall = self.volume.values(starts)
        for channel, arrivals in s.arrivals.items():
            per = self.volume.channels.get(channel)
            factor = overall * per.values(starts) if per is not None else overall
            frame[f"volume:{channel}"] = factor
            weights[channel] = arrivals.weekly or 0.0
            total += weights[channel]
        columns = [f"volume:{c}" for c in weights]
        frame["volume_factor"] = (
            sum(frame[f"volume:{c}"] * w for c, w in weights.items()) / total
            if total > 0
            else frame[columns].mean(axis=1)
        )
        frame["handle_factor"] = self.handle_time.values(starts)
        frame["shrinkage"] = self.shrinkage.values(starts, s.shrinkage)
        return frame


def _blocks(cal: Calendar) -> list[tuple[Loc, ByWeek | Shrinkage]]:
    """Every block of values per week, at its place in the file."""
    blocks: list[tuple[Loc, ByWeek | Shrinkage]] = [
        (("volume",), cal.volume),
        (("handle_time",), cal.handle_time),
        (("shrinkage",), cal.shrinkage),
    ]
    return blocks + [(("volume", "channels", c), b) for c, b in cal.volume.channels.items()]


def partial_weeks(cal: Calendar, s: Scenario | None = None) -> list[Problem]:
    """A warning for each date range that covers only part of a week it touches: its
    value applies to the whole week (a calendar's values are per week), so a one-day
    closure at factor 0 empties its week and a four-day peak sets two weeks at the peak
    — silently, until 2026-12-07 (a finance walkthrough). Given the scenario, a week's
    days count by the contacts they bring (`_day_weights`): a range over a week's
    weekdays covers all of it for a channel closed at weekends."""
    out = []
    for loc, block in _blocks(cal):
        channel = loc[2] if len(loc) == 3 else None
        weights = _day_weights(s, channel) if s is not None else np.ones(7)
        for i, r in enumerate(block.dates):
            part = []
            for w, monday in enumerate(cal.starts(), start=1):
                sunday = monday + dt.timedelta(days=6)
                first, last = max(r.from_, monday), min(r.to, sunday)
                if first > last:
                    continue
                days = (last - first).days + 1
                covered = weights[first.weekday() : last.weekday() + 1].sum() / weights.sum()
                if days < 7 and covered < 1 - 1e-9:  # (none of its contacts: warned too)
                    share = "" if s is None else f", {_share(covered)} of its contacts"
                    part.append(f"week {w} ({monday}..{sunday}: {days} of its 7 days{share})")
            if part:
                msg = (
                    f"{r.from_}..{r.to} covers part of {units.listed(part)}: its {r.factor:g} "
                    "applies to the whole of each week it touches (values are per week: for "
                    "a part week, replace the range with `weeks: {N: value}`, the week's value "
                    "as a whole)"
                )
                out.append(Problem((*loc, "dates", i), msg, warning=True))
    return out


def high_premiums(cal: Calendar) -> list[Problem]:
    """Warnings for a premium over 1 (more than double pay) of cover the calendar uses:
    `overtime_premium: 5`, meant as 5 %, priced every hour of overtime at six times the
    wage without a word (a finance walkthrough), and `1.5`, meant as time and a half, at
    2.5 times; double time (1) is an ordinary premium."""
    out = []
    used = {
        "overtime_premium": ("an overtime hour", cal.cover.overtime_share > 0),
        "temporary_premium": ("a temporary hour", cal.cover.temporary),
    }
    for key, (what, on) in used.items():
        value = getattr(cal.cover, key)
        if on and value > 1:
            msg = (
                f"{value:.10g} prices {what} at {1 + value:.10g}× the wage ({100 * value:.10g} "
                f"% on top); for {value:.10g}× the wage, write {value - 1:.10g}; for "
                f"{value:.10g} %, write {value / 100:.10g}"
            )
            out.append(Problem(("cover", key), msg, warning=True))
    return out


DAY = units.MINUTES_PER_DAY


def _share(x: float) -> str:
    """`14%`, and `none`, `under 1%` or `over 99%` where rounding would say 0 or 100."""
    if x <= 0:
        return "none"
    return "under 1%" if x < 0.005 else "over 99%" if x > 0.995 else f"{x:.0%}"


def _day_weights(s: Scenario, channel: str | None) -> np.ndarray:
    """Mon..sun: the contacts a day brings, of one channel or of all — its weekly volume
    times its daily share, none on a day a voice or chat channel never opens (they are
    lost) — or ones when there are none."""
    weights = np.zeros(7)
    for ch, arrivals in s.arrivals.items():
        if channel is not None and ch != channel:
            continue
        day = arrivals.daily_shares() * arrivals.per_week()
        c = s.channels.get(ch)
        windows = None if c is None or c.kind == "message" else c.windows
        if windows is not None:
            opens = [any(a < (d + 1) * DAY and b > d * DAY for a, b in windows) for d in range(7)]
            day = day * np.array(opens)
        weights += day
    return weights if weights.sum() > 0 else np.ones(7)


def week_problems(cal: Calendar) -> list[Problem]:
    """Week numbers that are not weeks of the calendar, date ranges that overlap none of
    its weeks (a typo — a year off — must not pass silently), and a week given two
    different values (a range over a week number, or two ranges: one silently won)."""
    blocks = _blocks(cal)
    first, last = cal.start, cal.start + dt.timedelta(weeks=cal.weeks, days=-1)
    out = []
    for loc, block in blocks:
        for week in block.weeks:
            if not 1 <= week <= cal.weeks:
                msg = f"week {week} is not a week of the calendar (expected 1..{cal.weeks})"
                out.append(Problem((*loc, "weeks", week), msg))
        for i, r in enumerate(block.dates):
            if r.to < first or r.from_ > last:
                msg = f"{r.from_}..{r.to} overlaps no week of the calendar ({first} to {last})"
                out.append(Problem((*loc, "dates", i), msg))
        out += _twice(loc, block, cal.start, cal.weeks)
    return out


def _twice(loc: Loc, block: Any, start: dt.date, weeks: int) -> list[Problem]:
    """Weeks of `block` given two different values — by `weeks` and a date range, or by
    two date ranges — one message each range."""
    given: dict[int, tuple[float, str]] = {
        w: (v, f"weeks: {{{w}: {v:g}}}") for w, v in block.weeks.items()
    }
    out = []
    for i, r in enumerate(block.dates):
        for w in range(1, weeks + 1):
            monday = start + dt.timedelta(weeks=w - 1)
            if not (monday <= r.to and monday + dt.timedelta(days=6) >= r.from_):
                continue
            known = given.setdefault(w, (r.factor, f"dates[{i}]"))
            if known[0] != r.factor:
                msg = (
                    f"{r.from_}..{r.to} gives week {w} {r.factor:g}, which {known[1]} gives "
                    f"{known[0]:g}: give each week one value"
                )
                out.append(Problem((*loc, "dates", i), msg))
                break
    return out


def problems(cal: Calendar, s: Scenario) -> list[Problem]:
    """What the calendar names that the scenario does not have."""
    attrition = cal.attrition_per_month if isinstance(cal.attrition_per_month, dict) else {}
    out = _names(cal.headcount, attrition, cal.hiring.max_per_week, cal.volume.channels, s)
    for channel, arrivals in s.arrivals.items():
        if arrivals.counts is not None:
            msg = f"{channel}: a capacity plan scales weekly volumes; the scenario replays counts"
            out.append(Problem(("volume",), msg))
    return out + _scaled_past_limits(cal, s)


def _names(
    headcount: Iterable[Any] | None,
    attrition: Iterable[Any],
    max_per_week: Iterable[Any],
    channels: Iterable[Any],
    s: Scenario,
) -> list[Problem]:
    """The groups and channels the calendar names that the scenario does not have, and
    the groups without a starting headcount (`headcount` None: that block was refused,
    so none is judged missing)."""
    out = []
    groups = list(s.groups)

    def unknown(g: Any) -> str:  # (`supervisr`: no "did you mean" until 2026-12-07)
        return f"no group {g!r} in the scenario {rules.suggest(str(g), groups)}"

    if headcount is not None:
        named = list(headcount)
        closest = {  # a misspelt group is said once: not also as without a headcount
            g: difflib.get_close_matches(str(g), groups, n=1) for g in named if g not in groups
        }
        out += [Problem(("headcount", g), unknown(g)) for g in closest]
        meant = {m for close in closest.values() for m in close}
        missing = [g for g in groups if g not in named and g not in meant]
        # (a name like no group's may stand for one missing group, not for all of them)
        if len(missing) > sum(not close for close in closest.values()):
            out.append(Problem(("headcount",), f"no starting headcount for {', '.join(missing)}"))
    out += [Problem(("attrition_per_month", g), unknown(g)) for g in attrition if g not in groups]
    out += [
        Problem(("hiring", "max_per_week", g), unknown(g)) for g in max_per_week if g not in groups
    ]
    for channel in channels:
        if channel not in s.arrivals:
            has = rules.suggest(str(channel), list(s.arrivals))
            msg = f"no arrivals for channel {channel!r} in the scenario {has}"
            out.append(Problem(("volume", "channels", channel), msg))
    return out


def _written_problems(data: Any, s: Scenario | None) -> list[Problem]:
    """What a calendar the model refused names that the scenario does not have, and its
    week numbers past its `weeks`, from the file's plain data: said beside the model's
    messages (a misspelt group or week 60 of 52 was said only once every value was
    mended — errors in rounds, a finance walkthrough)."""
    if not isinstance(data, dict):
        return []

    def block(*keys: str) -> dict:
        value: Any = data
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        return value if isinstance(value, dict) else {}

    out = []
    if s is not None:
        headcount = data.get("headcount")
        out += _names(
            headcount if isinstance(headcount, dict) else None,
            block("attrition_per_month"),
            block("hiring", "max_per_week"),
            block("volume", "channels"),
            s,
        )
    weeks = _whole(data.get("weeks", 52))
    if weeks is not None and 1 <= weeks <= MAX_WEEKS:
        blocks: list[Loc] = [("volume",), ("handle_time",), ("shrinkage",)]
        blocks += [("volume", "channels", c) for c in block("volume", "channels")]
        for loc in blocks:
            for key in block(*map(str, loc), "weeks"):
                week = _whole(key)
                if week is not None and not 1 <= week <= weeks:
                    msg = f"week {week} is not a week of the calendar (expected 1..{weeks})"
                    out.append(Problem((*loc, "weeks", key), msg))
    return out


def _whole(value: Any) -> int | None:
    """A whole number as the model reads one (`9`, `9.0`, `'9'`), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        return int(value) if value.lstrip("+-").isdigit() else None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _scaled_past_limits(cal: Calendar, s: Scenario) -> list[Problem]:
    """A week whose factors take a channel's weekly volume or a mean handle time past
    what a scenario may hold (the kind's scenario was refused during planning, naming
    `<changes>` only)."""
    if any(a.counts is not None for a in s.arrivals.values()) or not all(
        c in s.arrivals for c in cal.volume.channels
    ):
        return []  # (said above)
    table = cal.table(s)
    out = []
    past: dict[Loc, list[str]] = {}  # the block that scales them: each channel past the limit
    for channel, arrivals in s.arrivals.items():
        scaled = table[f"volume:{channel}"] * (arrivals.weekly or 0.0)
        if scaled.max() > MAX_WEEKLY:
            week = int(table["week"][scaled.idxmax()])
            own = cal.volume.channels.get(channel)  # blamed where its factor is not 1
            mine = own is not None and own.values(cal.starts())[week - 1] != 1.0
            loc: Loc = ("volume", "channels", channel) if mine else ("volume",)
            past.setdefault(loc, []).append(
                f"week {week} scales {channel}'s {arrivals.weekly:,.0f} contacts a week to "
                f"{scaled.max():,.0f}"
            )
    for loc, parts in past.items():
        most = f"past the most a channel may have ({MAX_WEEKLY:,.0f} a week)"
        out.append(Problem(loc, "; ".join(parts) + ", " + most))
    means = [r.resolve.mean for r in s.reasons.values()]
    means += [s.escalation.resolve.mean] if s.escalation is not None else []
    longest = max(means, default=0.0) * table["handle_factor"]
    if longest.max() > MAX_HANDLING:
        week = int(table["week"][longest.idxmax()])
        most = units.format_duration(max(means))
        msg = (
            f"week {week} scales the longest mean handle time, {most}, "
            f"to {units.format_duration(longest.max())}, past the most a scenario may hold "
            f"({units.format_duration(MAX_HANDLING)})"
        )
        out.append(Problem(("handle_time",), msg))
    return out


def load_calendar(
    path: str | Path,
    scenario: Scenario | None = None,
    limits: FileLimits = DEFAULT_FILE_LIMITS,
) -> Calendar:
    """Read and validate a calendar file (and, given the scenario, what it names);
    raise ScenarioError with every problem located."""
    path = Path(path)
    name = str(path)
    try:
        text = yamlfile.read_text(path, limits, "calendar file")
        data, lines = yamlfile.parse(text, name, limits, "calendar", KEYS)
    except InputError as exc:
        raise ScenarioError(exc.messages) from None
    return calendar_from(data, name, lines, scenario)


def calendar_from(
    data: Any,
    name: str = "<calendar>",
    lines: dict[Loc, int] | None = None,
    scenario: Scenario | None = None,
) -> Calendar:
    """A Calendar of plain data (a dict as the file would hold), validated."""
    if isinstance(data, dict) and {"channels", "arrivals"} <= data.keys():  # swapped files
        msg = (
            "a scenario (it has channels and arrivals), not a calendar: the scenario comes "
            "first, the calendar after --calendar"
        )
        raise ScenarioError([Message(name, 1, None, msg)])
    try:
        cal = loader.validate_model(Calendar, data, name, lines)
    except ScenarioError as exc:  # and what the file names wrong, said at once (the model
        # says nothing of a dict's keys: no message of it says the same thing again)
        more = loader.locate(_written_problems(data, scenario), name, lines)
        raise ScenarioError(loader.in_file_order(exc.messages + more)) from None
    found = week_problems(cal) + (problems(cal, scenario) if scenario is not None else [])
    warnings = partial_weeks(cal, scenario) + high_premiums(cal)
    warned = loader.in_file_order(loader.locate(warnings, name, lines))
    if found:
        raise ScenarioError(loader.in_file_order(loader.locate(found, name, lines)), warned)
    cal._warnings = tuple(warned)
    return cal


def loads_calendar(text: str, scenario: Scenario | None = None, name: str = "<calendar>"):
    """A calendar from YAML text (as `loads` reads a scenario: text built in code)."""
    try:
        data, lines = yamlfile.parse(text, name, DEFAULT_FILE_LIMITS, "calendar", KEYS)
    except InputError as exc:
        raise ScenarioError(exc.messages) from None
    return calendar_from(data, name, lines, scenario)


def month_shares(starts: Iterable[dt.date]) -> list[dict[str, int]]:
    """Days of each week in each calendar month: [{"2027-01": 7}, {"2027-01": 3,
    "2027-02": 4}, ...]."""
    out = []
    for start in starts:
        days: dict[str, int] = {}
        for d in range(7):
            key = (start + dt.timedelta(days=d)).strftime("%Y-%m")
            days[key] = days.get(key, 0) + 1
        out.append(days)
    return out
