"""The scenario: every key of the scenario YAML format as pydantic models.

Structural checks (types, ranges, required keys) live on the models; rules that
span several blocks (mixes sum to 1, names that must exist, ...) live in
`ccsim.scenario.rules` and run after the structure is valid (`ccsim.scenario.loader`
runs both), so every problem is reported with its own field path.
"""

from __future__ import annotations

import difflib
import hashlib
import itertools
import math
import types
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import numpy as np
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PlainSerializer,
    PrivateAttr,
    Tag,
    WithJsonSchema,
    field_validator,
    model_serializer,
    model_validator,
)

from ccsim.scenario import limits, profiles, tables, units, yamlfile
from ccsim.scenario.tables import CountsTable, IntradayCSV, StaffingTable

# --- small types -----------------------------------------------------------------

Duration = Annotated[
    float,
    BeforeValidator(units.parse_duration),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "description": "minutes"},
                {"type": "string", "pattern": r"^\s*[0-9.]+\s*(s|min|h|d|w)?\s*$"},
            ],
            "description": units.DURATION_HELP,
        }
    ),
]
# a calendar date, written 2027-01-04 (`units.parse_date`)
CalendarDate = Annotated[date, BeforeValidator(units.parse_date)]
PositiveDuration = Annotated[Duration, Field(gt=0)]
NonNegDuration = Annotated[Duration, Field(ge=0)]
Share = Annotated[float, Field(ge=0.0, le=1.0)]
MAX_NAME = 60  # characters of a channel's, reason's, group's or shift's name
MAX_TITLE = 200  # characters of a scenario's name


def _one_line(most: int, more: str = "") -> Callable[[str], str]:
    """A validator of a name that a report, a log line and a JUnit file print:
    printable, on one line, 1 to `most` characters (until 2026-12-06 a channel named with
    a line break and a control character printed a forged line into CI logs and its
    JUnit file was not XML; a scenario's name printed its line breaks in `run`)."""

    def check(value: str) -> str:
        if not value.isprintable() or not 1 <= len(value) <= most:
            raise ValueError(
                f"got {units.shown(value)} (expected a name of 1 to {most} printable "
                f"characters on one line{more})"
            )
        return value

    return check


Name = Annotated[str, AfterValidator(_one_line(MAX_NAME))]
Title = Annotated[str, AfterValidator(_one_line(MAX_TITLE, "; `description` takes more"))]


def _days(value: Any) -> frozenset[int]:
    return value if isinstance(value, frozenset) else units.parse_days(value)


def _day_names(days: frozenset[int]) -> list[str]:
    return [units.DAY_NAMES[i] for i in sorted(days)]


def _as_set_in_place(value: Any, write: Callable[[Any], Any]) -> Any:
    """A field's value as a file writes it; one set in place as a file would write it
    (`shift.start = "09:00"`, `days = "mon-sat"`) as it is, for validation to read: it
    stopped a notebook's re-validation with "Error calling function format_clock"."""
    try:
        return write(value)
    except (TypeError, ValueError, KeyError, IndexError):
        return value


DaySet = Annotated[
    frozenset[int],
    BeforeValidator(_days),
    PlainSerializer(lambda d: _as_set_in_place(d, _day_names), return_type=list),
    WithJsonSchema(
        {
            "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
            "description": units.DAYS_HELP,
        }
    ),
]
Clock = Annotated[
    float,
    BeforeValidator(units.parse_clock),
    PlainSerializer(lambda m: _as_set_in_place(m, units.format_clock), return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^\d{1,2}:\d{2}$", "description": "HH:MM"}),
]
DayName = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DistName = Literal["exponential", "lognormal", "gamma", "weibull", "fixed"]
ESCALATION = "escalation"
WHOLE_CENTER = "all"  # the figures of the whole center beside the channels' (the costs)
# names the measured tables give other rows than a channel's: a channel cannot take them
RESERVED_CHANNELS = (ESCALATION, WHOLE_CENTER)


# the service level's denominators (`ccsim.measure.service_level.counted`)
SLDefinition = Literal["offered", "exclude_short_abandons", "answered"]


class Model(BaseModel):
    """Base: unknown keys are errors (typos must not pass silently), and so is `true`
    or `false` where a number is expected (pydantic would read them as 1 and 0)."""

    model_config = ConfigDict(
        extra="forbid", frozen=False, validate_default=True, allow_inf_nan=False
    )

    @field_validator("*", mode="before")
    @classmethod
    def _no_booleans_as_numbers(cls, value: Any, info: Any) -> Any:
        field = cls.model_fields.get(info.field_name) if info.field_name else None
        if field is None or any(isinstance(m, BeforeValidator) for m in field.metadata):
            return value  # (a field with its own parser says what it expects)
        where = _boolean_for_number(value, field.annotation)
        if where is not None:
            raise ValueError(f"{where}expected a number, got a boolean (true/false)")
        return value


def _boolean_for_number(value: Any, annotation: Any, where: str = "") -> str | None:
    """Where `value` holds a boolean that `annotation` wants as a number (`""`: the value
    itself, `"phone: "`: a mapping's value or key, `"[2]: "`: a list's item); None:
    nowhere. Types with their own parser (`Duration`, `Clock`) are left to it."""
    annotation, parsed = _unwrapped(annotation)
    if parsed:
        return None
    if isinstance(value, bool):
        return where if _takes_numbers(annotation) else None
    origin, args = get_origin(annotation), get_args(annotation)
    found: list[str | None] = []
    if origin in (Union, types.UnionType):
        found = [_boolean_for_number(value, a, where) for a in args if a is not type(None)]
    elif origin is dict and isinstance(value, dict) and len(args) == 2:
        for k, v in value.items():
            key = f"{where}{str(k).lower() if isinstance(k, bool) else k}: "
            found += [_boolean_for_number(k, args[0], key), _boolean_for_number(v, args[1], key)]
    elif origin in (list, tuple) and isinstance(value, list | tuple) and args:
        fixed = origin is tuple and Ellipsis not in args and len(args) == len(value)
        found = [
            _boolean_for_number(v, args[i] if fixed else args[0], f"{where}[{i}]: ")
            for i, v in enumerate(value)
        ]
    return next((f for f in found if f is not None), None)


def _unwrapped(annotation: Any) -> tuple[Any, bool]:
    """`Annotated[T, ...]` as T, and whether its metadata parses the input itself."""
    parsed = False
    while get_origin(annotation) is Annotated:
        annotation, *meta = get_args(annotation)
        parsed = parsed or any(isinstance(m, BeforeValidator) for m in meta)
    return annotation, parsed


def _takes_numbers(annotation: Any) -> bool:
    """A number goes here and a boolean has no meaning of its own: `float`, `int`,
    `float | None`, `float | dict[str, float]` — not `bool | float` or `Any`."""
    annotation, parsed = _unwrapped(annotation)
    if parsed:
        return False
    if annotation in (int, float):
        return True
    if get_origin(annotation) in (Union, types.UnionType):
        arms = [_unwrapped(a)[0] for a in get_args(annotation) if a is not type(None)]
        if any(a is bool or a is Any for a in arms):
            return False
        return any(_takes_numbers(a) for a in arms)
    return False


# --- simulation ------------------------------------------------------------------


class Simulation(Model):
    """Time window, interval and replication defaults."""

    horizon: PositiveDuration = Field(
        7 * limits.MINUTES_PER_DAY, le=limits.MAX_HORIZON, description="measured window"
    )
    warmup: NonNegDuration = Field(
        0.0, le=limits.MAX_WARMUP, description="simulated before the window, not measured"
    )
    interval: PositiveDuration = Field(
        30.0, ge=1, le=limits.MAX_INTERVAL, description="staffing and reporting interval"
    )
    start_day: DayName = Field("mon", description="day of week at time 0 of the measured window")
    start: CalendarDate | None = Field(
        None,
        description="calendar date of time 0 (a past period replayed: arrival counts and "
        "staffing by date); start_day follows from it",
    )
    replications: int = Field(
        20, ge=1, le=limits.MAX_REPLICATIONS, description="default replications for run/check"
    )
    seed: int | None = Field(None, ge=0, le=2**63 - 1, description="default seed (none = random)")
    sl_definition: SLDefinition = Field(
        "offered",
        description="service-level denominator: all offered contacts (abandons are misses); "
        "offered minus abandons shorter than the threshold; or answered contacts only",
    )

    @field_validator("start_day", mode="before")
    @classmethod
    def _day_name(cls, value: object) -> object:
        """`monday`, `Mon` too, as shift days are read (`units.parse_day`; until
        2026-12-06 only `mon`…`sun` were, though the format allows full names)."""
        if not isinstance(value, str):
            return value
        try:
            return units.DAY_NAMES[units.parse_day(value)]
        except ValueError:
            return value  # the field's own message, which lists the names

    @model_validator(mode="after")
    def _start(self) -> Simulation:
        if self.start is not None:
            day = units.DAY_NAMES[self.start.weekday()]
            if "start_day" in self.model_fields_set and self.start_day != day:
                raise ValueError(
                    f"start {self.start.isoformat()} is a {day}, but start_day says "
                    f"{self.start_day} (give one of them, or make them agree)"
                )
            self.start_day = day  # type: ignore[assignment]
        return self

    @property
    def origin(self) -> np.datetime64 | None:
        """Time 0 as a calendar minute (None without a `start` date)."""
        return None if self.start is None else np.datetime64(self.start, "m")

    @property
    def intervals_per_day(self) -> int:
        return round(units.MINUTES_PER_DAY / self.interval)

    @property
    def start_day_index(self) -> int:
        return units.DAY_NAMES.index(self.start_day)


# --- distributions ---------------------------------------------------------------


class Distribution(Model):
    """A positive random duration given by its mean and a shape parameter."""

    dist: DistName = "lognormal"
    mean: Annotated[Duration, Field(ge=0, le=limits.MAX_HANDLING)]
    cv: float | None = Field(
        None,
        ge=limits.MIN_CV,
        le=limits.MAX_CV,
        description="coefficient of variation (lognormal, gamma)",
    )
    shape: float | None = Field(
        None, ge=limits.MIN_SHAPE, le=limits.MAX_SHAPE, description="Weibull shape parameter"
    )

    @model_validator(mode="after")
    def _parameters(self) -> Distribution:
        if self.dist in ("lognormal", "gamma") and self.cv is None:
            raise ValueError(f"a {self.dist} distribution needs `cv` (coefficient of variation)")
        if self.dist == "weibull" and self.shape is None:
            raise ValueError("a weibull distribution needs `shape`")
        if self.dist != "fixed" and self.mean <= 0:
            raise ValueError(f"a {self.dist} distribution needs a mean > 0")
        return self

    @property
    def variance(self) -> float:
        """Variance of the distribution (minutes²)."""
        m = self.mean
        if self.dist == "fixed":
            return 0.0
        if self.dist == "exponential":
            return m * m
        if self.dist in ("lognormal", "gamma"):
            return (m * (self.cv or 0.0)) ** 2
        k = self.shape or 1.0
        return m * m * (math.gamma(1 + 2 / k) / math.gamma(1 + 1 / k) ** 2 - 1)


def _distribution_shorthand(default: str) -> Any:
    """Allow a bare duration — an exponential mean where `default` is exponential
    (patience), else a fixed time (`resolve: 4min`, `wrapup: 1min`) — and a mapping
    without `dist`, of the `default` family (`resolve: {mean, cv}`: lognormal)."""

    def convert(value: Any) -> Any:
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            mean = units.parse_duration(value)  # report a bad shorthand at the field itself
            return {"dist": "exponential" if default == "exponential" else "fixed", "mean": mean}
        if isinstance(value, dict) and "dist" not in value:
            return {"dist": default, **value}
        if isinstance(value, list):  # (it said "expected a mapping", leaving out durations)
            raise ValueError(
                f"got {units.shown(value)} (expected a duration like 4min, or a mapping like "
                "{mean: 4min, cv: 0.5})"
            )
        return value

    return convert


class Patience(Distribution):
    """How long a voice/chat customer waits before abandoning; `balk` hang up at once."""

    dist: DistName = "exponential"
    mean: Annotated[Duration, Field(ge=0, le=limits.MAX_PATIENCE)]
    balk: Share = Field(0.0, description="share who hang up at once if they must wait")


PatienceSpec = Annotated[Patience, BeforeValidator(_distribution_shorthand("exponential"))]
ResolveSpec = Annotated[Distribution, BeforeValidator(_distribution_shorthand("lognormal"))]


# --- channels --------------------------------------------------------------------


class Channel(Model):
    """A contact channel: voice (one call per agent), chat (concurrent), message (backlog)."""

    kind: Literal["voice", "chat", "message"]
    patience: PatienceSpec | None = Field(
        None, description="voice/chat only; omitted = customers never abandon"
    )
    tolerance: Annotated[Duration, Field(gt=0, le=limits.MAX_TOLERANCE)] | None = Field(
        None, description="anger growth time constant while waiting (default by kind)"
    )
    open: dict[str, Any] | None = Field(
        None,
        description='opening hours per day range, e.g. {mon-fri: "08:00-20:00"}; omitted = always',
    )
    concurrency: int = Field(
        1, ge=1, le=limits.MAX_CONCURRENCY, description="chat: sessions one agent holds at once"
    )
    concurrency_slowdown: float = Field(
        0.0,
        ge=0,
        le=limits.MAX_SLOWDOWN,
        description="chat: extra handle time per other session held",
    )
    discipline: Literal["fifo", "edf"] = Field(
        "fifo", description="message: fifo, or earliest-deadline-first on the tightest target"
    )
    wrapup: ResolveSpec | None = Field(None, description="after-contact work added to handle time")

    _windows: list[tuple[float, float]] | None = PrivateAttr(None)

    @field_validator("open", mode="before")
    @classmethod
    def _open(cls, value: Any) -> Any:
        if value is None or value in ("always", "24/7"):
            return None
        if not isinstance(value, dict):
            raise ValueError(
                "expected a mapping of day ranges to hours, like "
                f'{{mon-fri: "08:00-20:00"}}, got {value!r}'
            )
        if not value:
            raise ValueError(
                "no opening hours given (expected day ranges with hours like {mon-fri: "
                '"08:00-20:00"}; omit `open` or write `always` for always open, '
                "{mon-sun: closed} for a channel that never opens)"
            )
        for days, hours in value.items():
            units.parse_days(days)
            if hours not in ("closed", None):
                units.parse_time_ranges(hours)
        return value

    @model_validator(mode="after")
    def _kind_rules(self) -> Channel:
        if self.kind == "message" and self.patience is not None:
            raise ValueError("message channels have no abandonment: remove `patience`")
        if self.kind != "chat" and (self.concurrency != 1 or self.concurrency_slowdown):
            raise ValueError("`concurrency` and `concurrency_slowdown` apply to chat channels only")
        if self.kind != "message" and self.discipline != "fifo":
            raise ValueError("`discipline: edf` applies to message channels only")
        if self.tolerance is None:
            self.tolerance = {"voice": 3.0, "chat": 5.0, "message": 1440.0}[self.kind]
        return self

    @property
    def windows(self) -> list[tuple[float, float]] | None:
        """Open windows as minute-of-week [start, end) pairs; None = always open."""
        if self.open is None:
            return None
        if self._windows is None:
            raw: list[tuple[float, float]] = []
            for days, hours in self.open.items():
                if hours in ("closed", None):
                    continue
                raw += units.weekly_windows(units.parse_days(days), units.parse_time_ranges(hours))
            self._windows = units.merge_intervals(raw)
        return self._windows


# --- arrivals --------------------------------------------------------------------


Profile = str | list[Annotated[float, Field(ge=0)]] | IntradayCSV


def _profile_or_days(value: Any) -> str:
    """A mapping is of day ranges, unless it names a CSV file (`{csv: path}`): so a CSV
    that cannot be read is reported as such, not as an unknown day range."""
    if isinstance(value, dict) and "csv" not in value:
        return "intraday-by-day"
    return "intraday-profile"


class Arrivals(Model):
    """Weekly volume split by day of week and by interval within the day — or, for a past
    period replayed, the contacts per interval of each date (`counts`)."""

    weekly: float | None = Field(
        None, ge=0, le=limits.MAX_WEEKLY, description="expected contacts per week"
    )
    daily: Literal["uniform"] | list[Annotated[float, Field(ge=0)]] = Field(
        "uniform", description="mon..sun shares summing to 1, or uniform"
    )
    intraday: Annotated[
        Annotated[Profile, Tag("intraday-profile")]
        | Annotated[dict[str, Profile], Tag("intraday-by-day")],
        Discriminator(_profile_or_days),
    ] = Field(
        "flat",
        description="built-in curve name, weights per interval, or {csv: path}; or a "
        "mapping of day ranges to such profiles (e.g. {sun-thu: ..., fri: ..., sat: ...})",
    )
    overdispersion: float = Field(
        0.0,
        ge=0,
        le=limits.MAX_OVERDISPERSION,
        description="CV of a daily gamma volume multiplier (0 = pure Poisson)",
    )
    counts: CountsTable | None = Field(
        None,
        description="contacts per interval of each date, {csv: path} with columns start, "
        "count (needs simulation.start); replaces weekly, daily and intraday",
    )

    @model_validator(mode="after")
    def _volume(self) -> Arrivals:
        if self.weekly is None and self.counts is None:
            raise ValueError("give `weekly` (expected contacts a week) or `counts: {csv: path}`")
        return self

    @field_validator("overdispersion")
    @classmethod
    def _overdispersion(cls, value: float) -> float:
        if 0 < value < limits.MIN_CV:
            raise ValueError(
                f"got {value!r} (expected 0 for pure Poisson arrivals, or at least {limits.MIN_CV})"
            )
        return value

    @field_validator("daily", mode="before")
    @classmethod
    def _daily_written(cls, value: Any) -> Any:
        if isinstance(value, dict):  # (it read "got {'mon': 0.2, …} (expected 'uniform')")
            raise ValueError(
                "got a mapping by day (expected `uniform` or a list of 7 shares, Monday "
                "first: daily: [0.2, 0.19, 0.18, 0.18, 0.15, 0.06, 0.04])"
            )
        return value

    @field_validator("daily")
    @classmethod
    def _daily(cls, value: Any) -> Any:
        if isinstance(value, list):
            if len(value) != 7:
                raise ValueError(f"expected 7 shares (mon..sun), got {len(value)}")
            if abs(sum(value) - 1.0) > 1e-6:
                raise ValueError(f"daily shares must sum to 1, they sum to {sum(value):.6g}")
        return value

    @field_validator("intraday")
    @classmethod
    def _intraday(cls, value: Any) -> Any:
        if isinstance(value, dict):  # its day ranges first: `{cvs: x.csv}` is a slip of csv,
            for days in value:  # not the unknown curve 'x.csv' it was reported as
                try:
                    units.parse_days(days)
                except ValueError as exc:
                    slip = "; did you mean 'csv'? ({csv: path} reads a CSV file)"
                    near = difflib.get_close_matches(str(days), ["csv"], cutoff=0.6)
                    raise ValueError(f"{exc}{slip if near else ''}") from None
        profiles_ = value.values() if isinstance(value, dict) else [value]
        for profile in profiles_:
            if isinstance(profile, str) and profile not in profiles.BUILTIN_CURVES:
                names = ", ".join(profiles.BUILTIN_CURVES)
                raise ValueError(f"unknown intraday curve {profile!r} (expected one of: {names})")
            weights = profile._weights if isinstance(profile, IntradayCSV) else profile
            if not isinstance(weights, list | np.ndarray):
                continue  # a built-in curve
            if not any(v > 0 for v in weights):
                raise ValueError("intraday weights must not all be zero")
            if not math.isfinite(sum(map(float, weights))):
                raise ValueError("intraday weights must have a finite sum (they are shares)")
        if isinstance(value, dict):
            seen: dict[int, str] = {}
            for days in value:
                for day in units.parse_days(days):
                    if day in seen:
                        raise ValueError(
                            f"{units.DAY_NAMES[day]} has two intraday profiles "
                            f"({seen[day]!r} and {days!r})"
                        )
                    seen[day] = days
            missing = [units.DAY_NAMES[d] for d in range(7) if d not in seen]
            if missing:
                raise ValueError(f"no intraday profile for {', '.join(missing)}")
        return value

    def per_week(self) -> float:
        """Contacts a week: `weekly`, or the counts scaled to a week of the dates they
        cover."""
        if self.counts is None:
            return float(self.weekly or 0.0)
        starts, counts = self.counts.by_time()  # (a sum in one order, whatever the file's)
        days = len(np.unique(starts.astype("datetime64[D]"))) if starts.size else 1
        return float(counts.sum()) * 7 / max(days, 1)

    def daily_shares(self) -> np.ndarray:
        """Shares mon..sun (calendar order)."""
        if self.daily == "uniform":
            return np.full(7, 1 / 7)
        return np.asarray(self.daily, dtype=float)

    def profiles(self) -> dict[int, Profile]:
        """The intraday profile of each day of the week (0 = mon)."""
        if isinstance(self.intraday, dict):
            return {
                day: profile
                for days, profile in self.intraday.items()
                for day in units.parse_days(days)
            }
        return dict.fromkeys(range(7), self.intraday)

    def intraday_weights(self, interval: float) -> np.ndarray:
        """Weights per interval of each day of the week: shape (7, intervals a day), each
        row summing to 1 (mon first)."""
        return np.array([_weights(p, interval) for _, p in sorted(self.profiles().items())])

    def intraday_sizes(self) -> list[tuple[str | None, str | None, int]]:
        """Each profile written as weights: (its `intraday` key — `mon-fri` — or None for
        one profile, its CSV file or None, the number of values). Built-in curves fit
        any interval and are left out."""
        written = self.intraday if isinstance(self.intraday, dict) else {None: self.intraday}
        out: list[tuple[str | None, str | None, int]] = []
        for days, profile in written.items():
            if isinstance(profile, IntradayCSV):
                out.append((days, profile.csv, len(profile._weights)))
            elif isinstance(profile, list):
                out.append((days, None, len(profile)))
        return out


def _weights(profile: Profile, interval: float) -> np.ndarray:
    if isinstance(profile, str):
        return profiles.builtin_profile(profile, interval)
    if isinstance(profile, IntradayCSV):
        return profiles.normalise(profile._weights)
    return profiles.normalise(profile)


# --- reasons and anger -------------------------------------------------------------


class AngerPrior(Model):
    """Initial anger a0 ~ Beta with this mean and concentration (alpha + beta)."""

    mean: float = Field(0.3, gt=0, lt=1)
    concentration: float = Field(5.0, gt=0, le=limits.MAX_CONCENTRATION)


class Reason(Model):
    """Why a customer gets in touch: channel mix, initial anger, resolution time."""

    mix: dict[str, Share] = Field(description="share of each channel's contacts with this reason")
    anger: AngerPrior = AngerPrior()
    resolve: ResolveSpec = Field(
        description="resolution time: {mean, cv} without `dist` is lognormal, a bare duration fixed"
    )
    prepared_answer: bool = Field(False, description="a prepared answer speeds resolution up")
    escalate: bool = Field(False, description="always continues to the escalation queue")


class AngerModel(Model):
    """Parameters of the anger curve (docs/model.md); `anger: off` disables its effects."""

    enabled: bool = Field(True, description="false (or `anger: off`) = handle time = resolution")
    calm_below: float = Field(0.30, gt=0, le=1)
    rise_rate: float = Field(1.5, gt=0, le=limits.MAX_RATE, description="per minute")
    peak_gain: float = Field(0.5, ge=0, le=limits.MAX_GAIN)
    empathy_decay: float = Field(
        0.8, gt=0, le=limits.MAX_RATE, description="per minute, times the group's empathy"
    )
    escalate_above: Share = Field(1.0, description="peak anger above this escalates (1 = never)")
    patience_drop: Share = 0.3
    promoter_below: Share = 0.25
    detractor_above: Share = 0.60
    prepared_answer_speedup: float = Field(0.30, ge=0, lt=1)

    @model_validator(mode="after")
    def _order(self) -> AngerModel:
        if self.promoter_below > self.detractor_above:
            raise ValueError("promoter_below must not exceed detractor_above")
        return self


def switch(value: Any) -> bool | None:
    """`off`/`false`/`no`/False → False, `on`/`true`/`yes`/True → True, else None."""
    if value is False or (isinstance(value, str) and value.lower() in ("off", "false", "no")):
        return False
    if value is True or (isinstance(value, str) and value.lower() in ("on", "true", "yes")):
        return True
    return None


def _anger_switch(value: Any) -> Any:
    if (on := switch(value)) is not None:
        return {"enabled": on}
    if isinstance(value, str | int | float | list):  # `anger: of`, `anger: 1`
        raise ValueError(f"got {value!r} (expected off, on, or a mapping of the curve's values)")
    return value


class Escalation(Model):
    """Second-level handling of escalated contacts (a backlog served by `escalation` skill)."""

    resolve: ResolveSpec
    discipline: Literal["fifo", "edf"] = "fifo"


# --- people ------------------------------------------------------------------------


class Group(Model):
    """Agents with the same skills, wage and empathy."""

    skills: dict[str, Annotated[int, Field(ge=1)]] = Field(
        description="channel (or `escalation`) -> priority, 1 = first"
    )
    wage: float = Field(0.0, ge=0, le=limits.MAX_MONEY, description="per paid hour")
    empathy: float = Field(
        1.0, gt=0, le=limits.MAX_EMPATHY, description="multiplies the anger decay rate"
    )


class Break(Model):
    """A break inside a shift, `after` its start; with `stagger`, the people of a roster
    line take it in turns, one turn a break's length after the other, as many turns as
    begin within `stagger` (person k of the line in turn k mod turns): without it, every
    one of them is off at the same moment (docs/model.md)."""

    after: NonNegDuration
    length: PositiveDuration
    paid: bool = False
    stagger: NonNegDuration = 0.0

    @property
    def turns(self) -> int:
        """How many turns the break is taken in (1: all at once)."""
        return int(self.stagger // self.length + 1e-9) + 1

    def begins(self, person: int) -> float:
        """When person `person` of a roster line begins it, from the shift's start."""
        return self.after + (person % self.turns) * self.length


MAX_BREAK_TURNS = 100_000  # people of a roster line compared for overlapping breaks


def _overlapping(one: Break, other: Break) -> tuple[int, bool] | None:
    """(person, staggered) of the first person of a roster line whose turns of the two
    breaks overlap, or None (turns repeat every lcm of the two breaks' turn counts)."""
    people = np.arange(min(math.lcm(one.turns, other.turns), MAX_BREAK_TURNS))
    a = one.after + (people % one.turns) * one.length
    b = other.after + (people % other.turns) * other.length
    clash = np.flatnonzero((a < b + other.length - 1e-9) & (b < a + one.length - 1e-9))
    return (int(clash[0]), one.turns > 1 or other.turns > 1) if clash.size else None


def _after(minutes: float) -> str:
    return units.format_duration(float(minutes)) if minutes else "0min"


class Shift(Model):
    """A shift template: start time, length, breaks and days of the week."""

    start: Clock
    length: Annotated[Duration, Field(gt=0, le=limits.MAX_SHIFT)]
    days: DaySet = Field(frozenset(range(7)))
    breaks: list[Break] = Field(default_factory=list)

    @model_validator(mode="after")
    def _breaks_inside(self) -> Shift:
        for i, brk in enumerate(self.breaks):
            if brk.begins(brk.turns - 1) + brk.length > self.length:
                late = " (its last turn)" if brk.turns > 1 else ""
                raise ValueError(  # (at the line of `breaks[i]`, the break's own)
                    f"`breaks[{i}]` ends after the shift ends{late} (expected "
                    f"after + length within the shift's {units.format_duration(self.length)})"
                )
        for (i, one), (j, other) in itertools.combinations(enumerate(self.breaks), 2):
            if person := _overlapping(one, other):  # (two 4-hour breaks in a 5-hour shift
                # were -6 paid hours a week, and cheaper than the shift without them)
                who = f" for person {person[0] + 1} of a roster line" if person[1] else ""
                raise ValueError(
                    f"breaks[{i}] and `breaks[{j}]` overlap{who} (expected one to end before "
                    f"the other begins: breaks[{i}] runs from {_after(one.begins(person[0]))} "
                    f"to {_after(one.begins(person[0]) + one.length)} after the shift starts)"
                )
        return self

    @property
    def paid_minutes(self) -> float:
        """Paid minutes of one shift: length minus unpaid breaks."""
        return self.length - sum(b.length for b in self.breaks if not b.paid)

    @property
    def weekly_paid_hours(self) -> float:
        """Paid hours per week of one agent on this shift (paid minutes × its days)."""
        return len(self.days) * self.paid_minutes / 60.0


class RosterLine(Model):
    """`agents` of `group` work `shift`."""

    group: str
    shift: str
    agents: int = Field(ge=0, le=limits.MAX_AGENTS)


# --- targets and costs -------------------------------------------------------------


Scope = Literal["week", "day", "interval"]


class Scoped(Model):
    """Where a target must hold (docs/scenario-format.md, "Targets per period"): over the
    whole measured window (`per: week`, the default), in every day, or in every interval
    of it — or in at least the share `in` of those periods. A period is judged when at
    least `min_offered` contacts a replication (on average) arrive in it; the others
    cannot fail the target and do not count towards `in`."""

    model_config = ConfigDict(populate_by_name=True)

    per: Scope = "week"
    in_: Annotated[float, Field(gt=0.0, le=1.0, alias="in")] = 1.0
    min_offered: Annotated[float, Field(ge=0.0, le=limits.MAX_MIN_OFFERED)] = 1.0

    @model_validator(mode="after")
    def _scoped_only(self) -> Scoped:
        extra = [k for k in ("in_", "min_offered") if k in self.model_fields_set]
        if self.per == "week" and extra:
            name = "in" if extra[0] == "in_" else extra[0]
            raise ValueError(f"`{name}` applies to `per: day` or `per: interval` targets")
        return self

    @property
    def scoped(self) -> bool:
        """Judged per day or per interval (not over the whole window)."""
        return self.per != "week"

    @property
    def scope_text(self) -> str:
        """` per interval`, ` per day in 90%` — empty over the whole window."""
        if not self.scoped:
            return ""
        return f" per {self.per}" + (f" in {units.percent(self.in_)}" if self.in_ < 1 else "")

    def _compact(self, data: dict[str, Any]) -> dict[str, Any]:
        """The fields as written: scope keys only where they say something."""
        out = {k: v for k, v in data.items() if k not in ("per", "in", "in_", "min_offered")}
        if self.scoped:
            out["per"] = self.per
            if self.in_ != 1.0:
                out["in"] = self.in_
            if self.min_offered != 1.0:
                out["min_offered"] = self.min_offered
        return out


class ServiceTarget(Scoped):
    """At least `at_least` of contacts answered (first reply) within `within`."""

    within: Annotated[Duration, Field(ge=0, le=limits.MAX_WITHIN)]
    at_least: Share

    @model_serializer(mode="wrap")
    def _written(self, handler: Any) -> dict[str, Any]:
        return self._compact(handler(self))


class AbandonTarget(Scoped):
    """At most `at_most` of the offered contacts abandon; `max_abandon: 0.05` is
    `{at_most: 0.05}` over the whole window."""

    at_most: Share

    @model_serializer(mode="wrap")
    def _written(self, handler: Any) -> float | dict[str, Any]:
        data = self._compact(handler(self))
        return data["at_most"] if list(data) == ["at_most"] else data


def _number_too(schema: dict[str, Any]) -> None:
    """JSON Schema: `max_abandon` may also be a bare share."""
    schema["anyOf"] = [{"type": "number", "minimum": 0, "maximum": 1}, *schema.get("anyOf", [])]


def _abandon_limit(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return {"at_most": value}
    if value is not None and not isinstance(value, dict | AbandonTarget):  # `8%`, say
        raise ValueError(f"got {value!r} (expected a share like 0.05, or {{at_most: 0.05}})")
    return value


class Target(Model):
    """Targets of one channel (or `escalation`)."""

    service: list[ServiceTarget] = Field(default_factory=list)
    max_abandon: Annotated[
        AbandonTarget | None,
        BeforeValidator(_abandon_limit),
        Field(json_schema_extra=_number_too),
    ] = None


class Costs(Model):
    """Wages are per group; these are the rest of the cost model."""

    currency: str = "EUR"
    overhead: float = Field(
        0.0, ge=0, le=limits.MAX_OVERHEAD, description="employer costs as a share of wages"
    )
    fte_hours: float = Field(
        40.0, gt=0, le=limits.MAX_FTE_HOURS, description="paid hours of one full-time agent a week"
    )
    per_contact: dict[str, Annotated[float, Field(ge=0, le=limits.MAX_MONEY)]] = Field(
        default_factory=dict
    )


# --- the scenario --------------------------------------------------------------------


def _without_none(model: Any, data: Any) -> Any:
    """`data`, the plain form of `model`, without the fields of `model` (and of the models
    inside it) that hold None; a None inside a mapping of the file's own (`open: {sat:
    null}`) stays, as it means something there."""
    if isinstance(model, BaseModel) and isinstance(data, dict):
        fields = type(model).model_fields
        names = {f.alias or name: name for name, f in fields.items()} | {n: n for n in fields}
        return {
            key: _without_none(getattr(model, names[key]), value)
            for key, value in data.items()
            if key not in names or getattr(model, names[key]) is not None
        }
    if isinstance(model, list | tuple) and isinstance(data, list) and len(model) == len(data):
        return [_without_none(m, d) for m, d in zip(model, data, strict=True)]
    if isinstance(model, dict) and isinstance(data, dict):
        return {k: _without_none(model.get(k), v) for k, v in data.items()}
    return data


class Fitted(Model):
    """Where a fitted scenario's values come from (`ccsim fit` writes it): a backtest of
    the same log on these dates is in-sample, and says so (docs/history.md)."""

    log: str = Field(min_length=1, description="the log's file name")
    first: CalendarDate = Field(description="first date of the fit period")
    last: CalendarDate = Field(description="last date of the fit period")

    @model_validator(mode="after")
    def _in_order(self) -> Fitted:
        if self.last < self.first:
            raise ValueError("`last` comes before `first`")
        return self


def _plain_number(value: Any) -> Any:
    """A numpy number set in place (`s.roster[0].agents = np.int64(3)`, from a
    computation) as the Python number it is; anything else unknown is refused."""
    if isinstance(value, np.generic):
        return value.item()
    raise ValueError(f"{type(value).__name__} {value!r:.40} is no value a scenario holds")


def _kinds(value: Any) -> Iterator[str]:
    """The class of every block, mapping and list inside `value`, in order (a numpy
    number's as the Python number it is)."""
    yield type(value.item() if isinstance(value, np.generic) else value).__name__
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _kinds(getattr(value, name, None))
    elif isinstance(value, dict):
        for item in value.values():
            yield from _kinds(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _kinds(item)


class Scenario(Model):
    """A whole contact-center scenario (one YAML file)."""

    name: Title
    description: str = ""
    fitted: Fitted | None = Field(None, description="the log and dates it was fitted on")
    simulation: Simulation = Simulation()
    channels: dict[Name, Channel] = Field(min_length=1)
    arrivals: dict[str, Arrivals]
    reasons: dict[Name, Reason] = Field(min_length=1)
    faq_deflection: Share = Field(0.0, description="share of `question` contacts that never arrive")
    anger: Annotated[AngerModel, BeforeValidator(_anger_switch)] = AngerModel()
    escalation: Escalation | None = None
    groups: dict[Name, Group] = Field(min_length=1)
    shifts: dict[Name, Shift] = Field(default_factory=dict, max_length=limits.MAX_SHIFTS)
    roster: list[RosterLine] = Field(default_factory=list, max_length=limits.MAX_ROSTER_LINES)
    staffing: StaffingTable | None = Field(
        None,
        description="agents on duty per interval and group, {csv: path} (by date, or a "
        "weekly pattern by day and time), instead of a shift roster",
    )
    shrinkage: float = Field(0.0, ge=0, lt=1, description="share of rostered time lost")
    targets: dict[str, Target] = Field(default_factory=dict)
    costs: Costs = Costs()

    _source: Path | None = PrivateAttr(None)
    _variant: bool = PrivateAttr(False)  # a what-if variant: no longer what `source` says
    _warnings: tuple[Any, ...] = PrivateAttr(())
    _allowed: tuple[str, ...] = PrivateAttr(())
    _digest: str | None = PrivateAttr(None)  # its fields when validated (`edited`)
    _base: Path | None = PrivateAttr(None)  # the folder its CSV files were read from
    _limits: Any = PrivateAttr(None)  # the FileLimits it was read within
    _start: date | None = PrivateAttr(None)  # `simulation.start` when validated

    def with_origin(
        self,
        source: Path | None,
        warnings: list[Any] | tuple = (),
        variant: bool = False,
        allowed: tuple[str, ...] | None = None,
        base: Path | None = None,
        file_limits: Any = None,
    ) -> Scenario:
        """A copy that knows the file it came from, what validation warned about (located
        messages), whether it is a variant of that file (a what-if, a planned roster),
        the folders beyond its own it may read files from, the folder it read its CSV
        files from and within which limits (None: as before) — what validating it again
        needs (`loader.valid`, `changes.with_changes`)."""
        copy = self.model_copy()
        copy._source, copy._warnings, copy._variant = source, tuple(warnings), variant
        if allowed is not None:  # (absolute: read again after a change of folder)
            copy._allowed = tuple(str(Path(a).absolute()) for a in allowed)
        if base is not None:
            copy._base = base
        if file_limits is not None:
            copy._limits = file_limits
        copy._digest = copy._fields_digest()
        copy._start = copy.simulation.start
        return copy

    @property
    def base_dir(self) -> Path:
        """The folder its CSV files are read from: the one it was validated with (until
        2026-12-07 validating again read them from its file's folder, or the current
        one for a scenario given as text: another table, silently)."""
        if self._base is not None:
            return self._base
        return self._source.parent if self._source is not None else Path(".")

    @property
    def file_limits(self) -> Any:
        """The FileLimits its files were read within (`ccsim.scenario.limits`)."""
        return self._limits if self._limits is not None else limits.DEFAULT_FILE_LIMITS

    @property
    def start_moved(self) -> bool:
        """`simulation.start` set in place since it was validated: its `start_day` then
        follows from it (as `with_changes` has it), not from the old date."""
        now = getattr(self.simulation, "start", None)  # (`simulation` set to a dict)
        return self._digest is not None and now is not None and now != self._start

    @property
    def edited(self) -> bool:
        """Whether a field was set in place since ccsim validated the scenario (a
        notebook's `s.groups["agents"].wage = "20"`), or it was never validated by ccsim
        (built from its classes): then `loader.valid` validates it again."""
        return self._digest is None or self._digest != self._fields_digest()

    def _fields_digest(self) -> str | None:
        """SHA-256 of every field; None when a value set in place is none a scenario
        can hold (an `object()`; a numpy number is its Python value)."""
        try:
            text = self.model_dump_json(warnings=False, fallback=_plain_number)
        except (ValueError, TypeError, AttributeError):  # (pydantic's is a ValueError)
            return None
        digest = hashlib.sha256(text.encode())
        for kind in _kinds(self):  # (`s.roster[0] = s.roster[0].model_dump()` dumps alike)
            digest.update(kind.encode())
        return digest.hexdigest()

    @property
    def allowed_paths(self) -> tuple[str, ...]:
        """Folders beyond the scenario file's own that it was allowed to read from."""
        return self._allowed

    @property
    def source(self) -> Path | None:
        """The file this scenario was loaded from, if any."""
        return self._source

    @property
    def warnings(self) -> list[Any]:
        """Legal but suspicious things found while validating (located messages)."""
        return list(self._warnings)

    def __repr__(self) -> str:  # (pydantic's: every field, 4,000-12,000 characters)
        staffed = (
            f"{len(self.roster)} roster line(s)" if self.staffing is None else "a staffing table"
        )
        where = f" from {self.source.name}" if self.source is not None else ""
        where += " as changed" if where and self._variant else ""
        return (
            f"<Scenario {self.name!r}{where}: channels {', '.join(self.channels)}; "
            f"{len(self.groups)} group(s), {staffed}; {len(self.targets)} target block(s)>"
        )

    __str__ = __repr__  # (print(s) too: pydantic's str is every field)

    @property
    def as_in_source(self) -> bool:
        """True when this is exactly the scenario of its source file (not a variant)."""
        return self._source is not None and not self._variant

    def plain(self, self_contained: bool = False) -> dict[str, Any]:
        """Every field as plain YAML/JSON values, intraday CSV profiles as the weights
        read from them. Count and staffing tables stay CSV references — as written, or
        (`self_contained`) by file name alone, for a folder that holds the files too
        (`files()`)."""
        data = self.model_dump(mode="json", fallback=_plain_number, warnings=False)
        for name, arr in self.arrivals.items():
            if not isinstance(arr, Arrivals):  # (a mapping set in place: written as it is)
                continue
            if isinstance(arr.intraday, dict):
                data["arrivals"][name]["intraday"] = {
                    days: tables.plain(p) for days, p in arr.intraday.items()
                }
            else:
                data["arrivals"][name]["intraday"] = tables.plain(arr.intraday)
            if arr.counts is not None and arr.counts.csv is not None and self_contained:
                data["arrivals"][name]["counts"]["csv"] = arr.counts.path.name
        staffed = isinstance(self.staffing, StaffingTable) and self.staffing.csv is not None
        if staffed and self_contained:
            data["staffing"]["csv"] = self.staffing.path.name
        for block in [*data["arrivals"].values(), data]:  # a table is a file or rows
            for key in ("counts", "staffing"):
                if isinstance(block.get(key), dict):
                    block[key] = {k: v for k, v in block[key].items() if v is not None}
        return data

    def same_as(self, other: Scenario) -> bool:
        """The same scenario as `other`: every field (`plain()`), and the rows its count and
        staffing tables read, which `plain()` names by file only."""
        if self.plain() != other.plain():
            return False
        mine = [(a.counts, other.arrivals[ch].counts) for ch, a in self.arrivals.items()]
        pairs = [*mine, (self.staffing, other.staffing)]
        return all(a is None or a.same_rows(b) for a, b in pairs)  # type: ignore[arg-type]

    def files(self) -> dict[str, Path]:
        """The count and staffing tables it reads from files: file name → the file."""
        tables_ = [a.counts for a in self.arrivals.values() if a.counts is not None]
        tables_ += [self.staffing] if self.staffing is not None else []
        return {table.path.name: table.path for table in tables_ if table.csv is not None}

    def to_yaml(self) -> str:
        """The scenario as a loadable YAML document that names no file but its own count
        and staffing tables, by file name (`plain(self_contained=True)`); a target's
        `within` with its unit (`30s`: a bare 0.5 is minutes, and a bare number of 5 or
        more on a call or chat target is warned about, `rules.written`), and so the mean
        of every resolution time and patience (a bare 75 is warned about as well), every
        tolerance, shift length and break time (a bare 4 for a shift as well), and the
        simulation's horizon and warm-up (a bare 120 as well). Fields
        without a value are left out: every one of them defaults to none
        (`tests/test_scenarios.py`), and a file full of empty keys was hard to read and
        to hand on."""
        data = _without_none(self, self.plain(self_contained=True))
        for target in data.get("targets", {}).values():
            for t in target.get("service") or []:
                t["within"] = units.exact_duration(t["within"])
        timed = [r.get("resolve") for r in data.get("reasons", {}).values()]
        timed += [(data.get("escalation") or {}).get("resolve")]
        timed += [c.get("patience") for c in data.get("channels", {}).values()]
        for d in timed:
            if isinstance(d, dict) and isinstance(d.get("mean"), float | int):
                d["mean"] = units.exact_duration(d["mean"])
        # and the durations where hours are usual (a bare 360 for a tolerance is warned about)
        spans = [(c, ("tolerance",)) for c in data.get("channels", {}).values()]
        spans.append((data.get("simulation", {}), ("horizon", "warmup")))  # (a bare 120)
        for shift in data.get("shifts", {}).values():
            spans.append((shift, ("length",)))
            spans += [(b, ("after", "length", "stagger")) for b in shift.get("breaks") or []]
        for d, keys in spans:
            for key in keys:
                if isinstance(d.get(key), float | int):
                    d[key] = units.exact_duration(d[key])
        return yamlfile.dump(data)

    def skilled_groups(self, channel: str) -> list[str]:
        """Groups that can serve `channel` (or `escalation`)."""
        return [g for g, grp in self.groups.items() if channel in grp.skills]

    def agents_per_group(self) -> dict[str, int]:
        """Rostered agents per group (every group, zero if not rostered); with a
        staffing table, the most on duty at once."""
        counts = dict.fromkeys(self.groups, 0)
        if self.staffing is not None:
            _, group, agents = self.staffing.table()
            for g in counts:
                mine = agents[group == g]
                counts[g] = math.ceil(mine.max() - 1e-9) if mine.size else 0
            return counts
        for line in self.roster:
            counts[line.group] += line.agents
        return counts

    def paid_hours(self) -> dict[str, float]:
        """Paid hours per week per group from the roster (before shrinkage); with a
        staffing table, the agent-hours on duty, per week."""
        hours = dict.fromkeys(self.groups, 0.0)
        if self.staffing is not None:
            starts, group, agents = self.staffing.table()
            step = self.simulation.interval
            if self.staffing.weekly:
                weeks = 1.0
            else:
                days = {str(d)[:10] for d in starts.astype("datetime64[D]")}
                weeks = max(len(days), 1) / 7
            for g in hours:
                hours[g] = float(agents[group == g].sum()) * step / 60 / weeks
            return hours
        for line in self.roster:
            hours[line.group] += line.agents * self.shifts[line.shift].weekly_paid_hours
        return hours


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the scenario format (what `ccsim schema` prints).

    Shorthands the loader accepts are added here: `patience: 4min` (an exponential
    mean), `wrapup: 1min` (fixed), and `anger: off`.
    """
    schema = Scenario.model_json_schema(mode="validation")
    duration = {"anyOf": [{"type": "number"}, {"type": "string"}], "description": "mean"}

    def widen(node: Any) -> Any:
        if isinstance(node, dict):
            if node.get("$ref") in ("#/$defs/Patience", "#/$defs/Distribution"):
                return {"anyOf": [dict(node), duration]}
            return {k: widen(v) for k, v in node.items()}
        if isinstance(node, list):
            return [widen(v) for v in node]
        return node

    schema = widen(schema)
    anger = schema["properties"]["anger"]
    schema["properties"]["anger"] = {
        "anyOf": [anger, {"type": "boolean"}, {"enum": ["off", "on"]}],
        "description": "anger-curve parameters, or `off`",
    }
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "ccsim scenario"
    return schema
