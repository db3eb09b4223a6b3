"""The scenario: every key of the scenario YAML format as pydantic models.

Structural checks (types, ranges, required keys) live on the models; rules that
span several blocks (mixes sum to 1, names that must exist, ...) live in
`ccsim.scenario.rules` and run after the structure is valid (`ccsim.scenario.loader`
runs both), so every problem is reported with its own field path.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PrivateAttr,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from ruamel.yaml import YAML

from ccsim.scenario import limits, profiles, units
from ccsim.scenario.limits import FileLimits

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
PositiveDuration = Annotated[Duration, Field(gt=0)]
NonNegDuration = Annotated[Duration, Field(ge=0)]
Share = Annotated[float, Field(ge=0.0, le=1.0)]


def _days(value: Any) -> frozenset[int]:
    return value if isinstance(value, frozenset) else units.parse_days(value)


DaySet = Annotated[
    frozenset[int],
    BeforeValidator(_days),
    PlainSerializer(lambda d: [units.DAY_NAMES[i] for i in sorted(d)], return_type=list),
    WithJsonSchema(
        {
            "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
            "description": units.DAYS_HELP,
        }
    ),
]
Clock = Annotated[
    float,
    BeforeValidator(lambda v: v if isinstance(v, float) else units.parse_clock(v)),
    PlainSerializer(units.format_clock, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^\d{1,2}:\d{2}$", "description": "HH:MM"}),
]
DayName = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DistName = Literal["exponential", "lognormal", "gamma", "weibull", "fixed"]
ESCALATION = "escalation"


class Model(BaseModel):
    """Base: unknown keys are errors (typos must not pass silently)."""

    model_config = ConfigDict(
        extra="forbid", frozen=False, validate_default=True, allow_inf_nan=False
    )


# --- simulation ------------------------------------------------------------------


class Simulation(Model):
    """Time window, interval and replication defaults."""

    horizon: PositiveDuration = Field(
        7 * 1440.0, le=limits.MAX_HORIZON, description="measured window"
    )
    warmup: NonNegDuration = Field(
        0.0, le=limits.MAX_WARMUP, description="simulated before the window, not measured"
    )
    interval: PositiveDuration = Field(
        30.0, ge=1, le=1440, description="staffing and reporting interval"
    )
    start_day: DayName = Field("mon", description="day of week at time 0 of the measured window")
    replications: int = Field(
        20, ge=1, le=limits.MAX_REPLICATIONS, description="default replications for run/check"
    )
    seed: int | None = Field(None, ge=0, le=2**63 - 1, description="default seed (none = random)")
    sl_definition: Literal["offered", "exclude_short_abandons", "answered"] = Field(
        "offered",
        description="service-level denominator: all offered contacts (abandons are misses); "
        "offered minus abandons shorter than the threshold; or answered contacts only",
    )

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
    """Allow `4min` for an exponential/lognormal mean and `{mean, cv}` without `dist`."""

    def convert(value: Any) -> Any:
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            mean = units.parse_duration(value)  # report a bad shorthand at the field itself
            return {"dist": "exponential" if default == "exponential" else "fixed", "mean": mean}
        if isinstance(value, dict) and "dist" not in value:
            return {"dist": default, **value}
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

    def open_fraction(self, week_start: float, length: float) -> float:
        """Share of [week_start, week_start+length) (minute of week) that is open."""
        if self.windows is None:
            return 1.0
        covered = 0.0
        lo, hi = week_start, week_start + length
        for shift in (-units.MINUTES_PER_WEEK, 0.0, units.MINUTES_PER_WEEK):
            for s, e in self.windows:
                covered += max(0.0, min(hi, e + shift) - max(lo, s + shift))
        return covered / length


# --- arrivals --------------------------------------------------------------------


class IntradayCSV(Model):
    """Intraday weights read from a CSV file: the last column, one row per interval (a
    header row is skipped). The path is relative to the scenario file and must stay in
    its folder tree, symlinks followed, unless another folder is allowed (`allow_paths`,
    `--allow-path`); messages quote no more of the file than the offending cell, cut."""

    csv: str
    _weights: list[float] = PrivateAttr(default_factory=list)

    @model_validator(mode="after")
    def _read(self, info: ValidationInfo) -> IntradayCSV:
        context = info.context or {}
        rules: FileLimits = context.get("limits", limits.DEFAULT_FILE_LIMITS)
        base = Path(context.get("base_dir", "."))
        path = confined(base / self.csv, base, context.get("allowed", ()))
        try:
            size = path.stat().st_size
            if size > rules.max_csv_bytes:
                raise ValueError(
                    f"{self.csv}: the file has {size:,} bytes, more than the "
                    f"{rules.max_csv_bytes:,} allowed for an intraday profile"
                )
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            why = getattr(exc, "strerror", None) or "not UTF-8 text"
            raise ValueError(f"cannot read intraday CSV {self.csv!r}: {why}") from None
        values: list[float] = []
        try:
            for lineno, row in enumerate(csv.reader(text.splitlines()), start=1):
                if not row or not any(c.strip() for c in row):
                    continue
                try:
                    value = float(row[-1])
                except ValueError:
                    if values or lineno > 1:
                        raise ValueError(
                            f"{self.csv}:{lineno}: expected a number in the last column, "
                            f"got {rules.quote(row[-1])}"
                        ) from None
                    continue  # header row
                if not math.isfinite(value) or value < 0:
                    raise ValueError(
                        f"{self.csv}:{lineno}: expected a finite number >= 0, got {value!r}"
                    )
                values.append(value)
        except csv.Error as exc:
            raise ValueError(f"{self.csv}: not a readable CSV file ({exc})") from None
        if not values:
            raise ValueError(f"{self.csv}: expected non-negative numbers, one row per interval")
        self._weights = values
        return self


def confined(path: Path, base: Path, allowed: tuple | list = ()) -> Path:
    """`path` resolved (symlinks followed), if it lies in `base`'s folder tree or in an
    allowed folder; else a ValueError naming the path and the rule."""
    resolved = path.resolve()
    roots = [base.resolve(), *(Path(a).resolve() for a in allowed)]
    if not any(resolved.is_relative_to(root) for root in roots):
        raise ValueError(
            f"{str(path)!r} resolves outside the scenario's folder {str(roots[0])!r}: files a "
            "scenario names must lie in its folder tree (allow another folder with "
            "--allow-path DIR, or allow_paths= in Python)"
        )
    return resolved


class Arrivals(Model):
    """Weekly volume split by day of week and by interval within the day."""

    weekly: float = Field(ge=0, le=limits.MAX_WEEKLY, description="expected contacts per week")
    daily: Literal["uniform"] | list[Annotated[float, Field(ge=0)]] = Field(
        "uniform", description="mon..sun shares summing to 1, or uniform"
    )
    intraday: str | list[Annotated[float, Field(ge=0)]] | IntradayCSV = Field(
        "flat", description="built-in curve name, weights per interval, or {csv: path}"
    )
    overdispersion: float = Field(
        0.0,
        ge=0,
        le=limits.MAX_OVERDISPERSION,
        description="CV of a daily gamma volume multiplier (0 = pure Poisson)",
    )

    @field_validator("overdispersion")
    @classmethod
    def _overdispersion(cls, value: float) -> float:
        if 0 < value < limits.MIN_CV:
            raise ValueError(
                f"got {value!r} (expected 0 for pure Poisson arrivals, or at least {limits.MIN_CV})"
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
        if isinstance(value, str) and value not in profiles.BUILTIN_CURVES:
            names = ", ".join(profiles.BUILTIN_CURVES)
            raise ValueError(f"unknown intraday curve {value!r} (expected one of: {names})")
        if isinstance(value, list) and not any(v > 0 for v in value):
            raise ValueError("intraday weights must not all be zero")
        return value

    def daily_shares(self) -> np.ndarray:
        """Shares mon..sun (calendar order)."""
        if self.daily == "uniform":
            return np.full(7, 1 / 7)
        return np.asarray(self.daily, dtype=float)

    def intraday_weights(self, interval: float) -> np.ndarray:
        """Weights per interval of the day, summing to 1."""
        if isinstance(self.intraday, str):
            return profiles.builtin_profile(self.intraday, interval)
        if isinstance(self.intraday, IntradayCSV):
            return profiles.normalise(self.intraday._weights)
        return profiles.normalise(self.intraday)

    def intraday_length(self) -> int | None:
        """Number of intervals the profile gives (None for a built-in curve)."""
        if isinstance(self.intraday, str):
            return None
        if isinstance(self.intraday, IntradayCSV):
            return len(self.intraday._weights)
        return len(self.intraday)


# --- reasons and anger -------------------------------------------------------------


class AngerPrior(Model):
    """Initial anger a0 ~ Beta with this mean and concentration (alpha + beta)."""

    mean: float = Field(0.3, gt=0, lt=1)
    concentration: float = Field(5.0, gt=0, le=limits.MAX_CONCENTRATION)


class Reason(Model):
    """Why a customer gets in touch: channel mix, initial anger, resolution time."""

    mix: dict[str, Share] = Field(description="share of each channel's contacts with this reason")
    anger: AngerPrior = AngerPrior()
    resolve: ResolveSpec = Field(description="resolution time (lognormal if `dist` is omitted)")
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


def _anger_switch(value: Any) -> Any:
    if value is False or (isinstance(value, str) and value.lower() in ("off", "false", "no")):
        return {"enabled": False}
    if value is True or (isinstance(value, str) and value.lower() in ("on", "true", "yes")):
        return {"enabled": True}
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
    """A break inside a shift, `after` its start."""

    after: NonNegDuration
    length: PositiveDuration
    paid: bool = False


class Shift(Model):
    """A shift template: start time, length, breaks and days of the week."""

    start: Clock
    length: Annotated[Duration, Field(gt=0, le=1440)]
    days: DaySet = Field(frozenset(range(7)))
    breaks: list[Break] = Field(default_factory=list)

    @model_validator(mode="after")
    def _breaks_inside(self) -> Shift:
        for i, brk in enumerate(self.breaks):
            if brk.after + brk.length > self.length:
                raise ValueError(f"break {i + 1} ends after the shift ends")
        return self

    @property
    def paid_minutes(self) -> float:
        """Paid minutes of one shift: length minus unpaid breaks."""
        return self.length - sum(b.length for b in self.breaks if not b.paid)

    @property
    def weekly_paid_hours(self) -> float:
        """Paid hours per week of one agent on this shift (paid minutes × its days)."""
        return len(self.days) * self.paid_minutes / 60.0

    @property
    def working_minutes(self) -> float:
        """Minutes on duty (available to take contacts) in one shift."""
        return self.length - sum(b.length for b in self.breaks)


class RosterLine(Model):
    """`agents` of `group` work `shift`."""

    group: str
    shift: str
    agents: int = Field(ge=0, le=limits.MAX_AGENTS)


# --- targets and costs -------------------------------------------------------------


class ServiceTarget(Model):
    """At least `at_least` of contacts answered (first reply) within `within`."""

    within: Annotated[Duration, Field(ge=0, le=limits.MAX_WITHIN)]
    at_least: Share


class Target(Model):
    """Targets of one channel (or `escalation`)."""

    service: list[ServiceTarget] = Field(default_factory=list)
    max_abandon: Share | None = None


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


class Scenario(Model):
    """A whole contact-center scenario (one YAML file)."""

    name: str = Field(min_length=1)
    description: str = ""
    simulation: Simulation = Simulation()
    channels: dict[str, Channel] = Field(min_length=1)
    arrivals: dict[str, Arrivals]
    reasons: dict[str, Reason] = Field(min_length=1)
    faq_deflection: Share = Field(0.0, description="share of `question` contacts that never arrive")
    anger: Annotated[AngerModel, BeforeValidator(_anger_switch)] = AngerModel()
    escalation: Escalation | None = None
    groups: dict[str, Group] = Field(min_length=1)
    shifts: dict[str, Shift] = Field(default_factory=dict, max_length=limits.MAX_SHIFTS)
    roster: list[RosterLine] = Field(default_factory=list, max_length=limits.MAX_ROSTER_LINES)
    shrinkage: float = Field(0.0, ge=0, lt=1, description="share of rostered time lost")
    targets: dict[str, Target] = Field(default_factory=dict)
    costs: Costs = Costs()

    _source: Path | None = PrivateAttr(None)
    _variant: bool = PrivateAttr(False)  # a what-if variant: no longer what `source` says
    _warnings: tuple[Any, ...] = PrivateAttr(())
    _allowed: tuple[str, ...] = PrivateAttr(())

    def with_origin(
        self,
        source: Path | None,
        warnings: list[Any] | tuple = (),
        variant: bool = False,
        allowed: tuple[str, ...] | None = None,
    ) -> Scenario:
        """A copy that knows the file it came from, what validation warned about (located
        messages), whether it is a variant of that file (a what-if, a planned roster) and
        the folders beyond its own it may read files from (None: as before)."""
        copy = self.model_copy()
        copy._source, copy._warnings, copy._variant = source, tuple(warnings), variant
        if allowed is not None:
            copy._allowed = tuple(allowed)
        return copy

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

    @property
    def as_in_source(self) -> bool:
        """True when this is exactly the scenario of its source file (not a variant)."""
        return self._source is not None and not self._variant

    def plain(self) -> dict[str, Any]:
        """Every field as plain YAML/JSON values, CSV profiles as the weights read from
        them — a self-contained document that loads anywhere, naming no file."""
        data = self.model_dump(mode="json")
        for name, arr in self.arrivals.items():
            if isinstance(arr.intraday, IntradayCSV):
                data["arrivals"][name]["intraday"] = list(arr.intraday._weights)
        return data

    def to_yaml(self) -> str:
        """The scenario as a loadable, self-contained YAML document (`plain()`)."""
        data = self.plain()
        buffer = io.StringIO()
        YAML().dump(data, buffer)
        return buffer.getvalue()

    def skilled_groups(self, channel: str) -> list[str]:
        """Groups that can serve `channel` (or `escalation`)."""
        return [g for g, grp in self.groups.items() if channel in grp.skills]

    def agents_per_group(self) -> dict[str, int]:
        """Rostered agents per group (every group, zero if not rostered)."""
        counts = dict.fromkeys(self.groups, 0)
        for line in self.roster:
            counts[line.group] += line.agents
        return counts

    def paid_hours(self) -> dict[str, float]:
        """Paid hours per week per group from the roster (before shrinkage)."""
        hours = dict.fromkeys(self.groups, 0.0)
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
