"""Parsing of the scenario format's small languages: durations, days and clock times.

Everything inside ccsim is in **minutes** (float). A week starts on Monday 00:00
(minute 0) and has 10,080 minutes; days are numbered 0 (mon) to 6 (sun).
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable, Iterable
from typing import Any

MINUTES_PER_DAY = 1440.0
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_UNITS = {
    "s": 1 / 60,
    "sec": 1 / 60,
    "secs": 1 / 60,
    "second": 1 / 60,
    "seconds": 1 / 60,
    "m": 1.0,
    "min": 1.0,
    "mins": 1.0,
    "minute": 1.0,
    "minutes": 1.0,
    "h": 60.0,
    "hr": 60.0,
    "hrs": 60.0,
    "hour": 60.0,
    "hours": 60.0,
    "d": 1440.0,
    "day": 1440.0,
    "days": 1440.0,
    "w": 10080.0,
    "week": 10080.0,
    "weeks": 10080.0,
}
_DURATION = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*([a-zA-Z]*)\s*$")
_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")

DURATION_HELP = "a duration like 20s, 4min, 1.5h, 2d or a number of minutes"
DAYS_HELP = "days like mon-fri, sat, mon-sun or a list of them"
HOURS_HELP = 'opening hours like "08:00-20:00" or a list of such ranges'


DATE_HELP = "a date written YYYY-MM-DD, like 2027-01-04"
_DATE = re.compile(r"^\s*\d{4}-\d{2}-\d{2}\s*$")
MAX_SHOWN = 60  # characters of a value quoted in a message


def printable(text: object) -> str:
    """`text` on one line as a log shows it: each character that is not printable (a line
    break, an escape) written as Python writes it, `\\n`, `\\x1b` (a file named with a
    line break forged a line of `ccsim validate`'s output in a CI log)."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(text))


def listed(names: list[str]) -> str:
    """`a`, `a and b`, `a, b and c`: names in a message."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def shown(value: object) -> str:
    """A value as a message quotes it: repr, at most MAX_SHOWN characters (a 30,000-
    character value is not echoed whole)."""
    text = repr(value)
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + f"… ({len(text):,} characters)"


def parse_date(value: object) -> object:
    """A calendar date as written, `2027-01-04` (or a date already, or a date and time at
    midnight — a pandas Timestamp): not a number, which pydantic reads as seconds since
    1970 (`86400` was 1970-01-02), nor a time of day. The text is checked here and
    converted by the date field it annotates."""
    if isinstance(value, str) and _DATE.match(value):
        return value.strip()
    if hasattr(value, "isoformat") and not hasattr(value, "hour"):  # a date object
        return value
    midnight = ("hour", "minute", "second", "microsecond")
    exact = getattr(value, "nanosecond", 0) == 0  # (a pandas Timestamp's)
    if hasattr(value, "date") and exact and all(getattr(value, a, 1) == 0 for a in midnight):
        return value.date()  # type: ignore[attr-defined]
    raise ValueError(f"got {shown(value)} (expected {DATE_HELP})")


def parse_duration(value: object) -> float:
    """Return a duration in minutes from `20s`, `4min`, `1.5h`, `2d` or a plain number."""
    if isinstance(value, bool):
        raise ValueError(f"expected {DURATION_HELP}, got {shown(value)}")
    if isinstance(value, numbers.Real):  # (a numpy integer too: a sweep over np.arange
        return float(value)  # was "expected a duration … got np.int64(20)")
    if isinstance(value, str):
        m = _DURATION.match(value)
        if m:
            number, unit = m.groups()
            factor = _UNITS.get(unit.lower()) if unit else 1.0
            if factor is not None:
                return float(number) * factor
        if re.fullmatch(r"\s*[0-9]+,[0-9]{1,2}\s*[A-Za-z]*\s*", value) and _DURATION.match(
            value.replace(",", ".", 1)
        ):  # `1,5h`: a decimal comma (`1,200` is a thousands one)
            point = value.replace(",", ".", 1).strip()
            raise ValueError(f"expected {DURATION_HELP}, got {shown(value)} (write {point})")
    raise ValueError(f"expected {DURATION_HELP}, got {shown(value)}")


def duration_argument(value: object, name: str, unit: str = "minutes") -> object:
    """A Python API argument in `unit` (minutes or seconds), also taken as a duration
    with its unit written (`'20s'`, `'5min'`): a number, or anything else, is returned as
    given for the caller's own check. A number in text (`'20'`) is refused — minutes
    everywhere in a scenario, it would be read against the unit of an argument in seconds."""
    if not isinstance(value, str):
        return value
    m = _DURATION.match(value)
    if m is None or not m.group(2) or _UNITS.get(m.group(2).lower()) is None:
        raise ValueError(
            f"{name} must be a duration with its unit (20s, 5min, 1.5h) or a number of "
            f"{unit}, got {shown(value)}"
        )
    return parse_duration(value) * (60.0 if unit == "seconds" else 1.0)


def format_duration(minutes: float) -> str:
    """Render minutes compactly (`20s`, `4min`, `1.5h`, `2d`) for summaries."""
    if minutes == 0:
        return "0"
    for unit, size in (("d", 1440.0), ("h", 60.0), ("min", 1.0)):
        if minutes >= size and abs(minutes / size - round(minutes / size, 2)) < 1e-9:
            return f"{round(minutes / size, 2):g}{unit}"
    return f"{minutes * 60:g}s"


def readable_duration(minutes: float) -> str:
    """`format_duration`, but where it falls back to seconds for a mean no unit holds to
    two decimals, three significant digits in the largest unit that fits: a fitted
    6.3725 min is `6.37min`, not `382.35s` (`ccsim show` of a fitted scenario: a
    walkthrough); what a user wrote (`61.5min`, `12.25min`) is kept."""
    short = format_duration(minutes)
    if not short.endswith("s") or short.endswith("min") or minutes * 60 == round(minutes * 60):
        return short
    for unit, size in (("d", 1440.0), ("h", 60.0), ("min", 1.0)):
        if minutes >= size:
            return f"{minutes / size:.3g}{unit}"
    return f"{minutes * 60:.3g}s"


def is_number(text: str) -> bool:
    """Text Python reads as a float (`1.5`, `1e3`, `inf`)."""
    try:
        float(text)
    except ValueError:
        return False
    return True


def exact_duration(minutes: float) -> str:
    """`minutes` as a duration with its unit that reads back exactly (`format_duration`
    when it does, else the minutes in full, `0.1234567min`); none is `0min` (a scenario
    written with `warmup: '0'`, text in quotes, until 2026-12-07)."""
    if minutes == 0:
        return "0min"
    short = format_duration(minutes)
    return short if parse_duration(short) == minutes else f"{minutes!r}min"


def parse_day(value: str) -> int:
    """Return 0..6 for a day name (`mon`, `Monday`, ...)."""
    key = str(value).strip().lower()
    for i, short in enumerate(DAY_NAMES):
        if key in (short, _FULL_DAY_NAMES[i]):
            return i
    raise ValueError(f"expected a day name (mon, tue, ..., sun), got {shown(value)}")


def parse_days(value: object) -> frozenset[int]:
    """Return the set of days in `mon-fri`, `sat`, `fri-mon` (wraps), `[mon-wed, fri]`."""
    if isinstance(value, list | tuple):
        if not value:
            raise ValueError(f"expected {DAYS_HELP}, got an empty list")
        days: set[int] = set()
        for item in value:
            days |= parse_days(item)
        return frozenset(days)
    if not isinstance(value, str):
        raise ValueError(f"expected {DAYS_HELP}, got {shown(value)}")
    days = set()
    for part in value.split(","):
        part = part.strip()
        if part in ("all", "daily", "everyday"):
            days |= set(range(7))
        elif part in ("weekdays",):
            days |= set(range(5))
        elif part in ("weekend", "weekends"):
            days |= {5, 6}
        elif "-" in part:
            lo, hi = (s.strip() for s in part.split("-", 1))
            try:
                a, b = parse_day(lo), parse_day(hi)
            except ValueError:
                raise ValueError(f"expected {DAYS_HELP}, got {shown(value)}") from None
            days |= {(a + i) % 7 for i in range((b - a) % 7 + 1)}
        else:
            try:
                days.add(parse_day(part))
            except ValueError:
                raise ValueError(f"expected {DAYS_HELP}, got {shown(value)}") from None
    return frozenset(days)


def runs(numbers: Iterable[int]) -> list[tuple[int, int]]:
    """Runs of consecutive whole numbers as (first, last): 1, 2, 3, 7 → (1, 3), (7, 7)."""
    out: list[tuple[int, int]] = []
    for n in sorted(numbers):
        if out and n == out[-1][1] + 1:
            out[-1] = (out[-1][0], n)
        else:
            out.append((n, n))
    return out


def format_runs(numbers: Iterable[int]) -> str:
    """`1-29, 33-46`, `30`: runs of consecutive whole numbers (weeks) as ranges."""
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs(numbers))


def format_days(days: frozenset[int] | set[int]) -> str:
    """`mon-fri`, `sat-sun`, `mon-sun`, `mon,wed-fri`: runs of consecutive days as ranges."""
    return ",".join(
        DAY_NAMES[a] if a == b else f"{DAY_NAMES[a]}-{DAY_NAMES[b]}" for a, b in runs(days)
    )


def parse_clock(value: object) -> float:
    """Return minutes after midnight for `HH:MM` (`24:00` allowed as end of day). Only
    text: a number is refused, whatever its value — `start: 8.0` or `start: 8` would
    otherwise be read as 00:08 by someone meaning 08:00 (the planner's own shift
    templates are copied with their minutes, not validated again)."""
    m = _CLOCK.match(str(value)) if isinstance(value, str) else None
    if m:
        hours, minutes = int(m.group(1)), int(m.group(2))
        if minutes < 60 and (hours < 24 or (hours == 24 and minutes == 0)):
            return float(hours * 60 + minutes)
    raise ValueError(f"expected a clock time HH:MM (00:00 to 24:00), got {shown(value)}")


def format_clock(minutes: float) -> str:
    """Render minutes after midnight as `HH:MM`."""
    m = round(minutes)
    return f"{m // 60:02d}:{m % 60:02d}"


def parse_time_ranges(value: object) -> list[tuple[float, float]]:
    """Return (start, end) minutes after midnight for `"08:00-12:00, 14:00-20:00"` or a list.

    An end at or before the start means the range runs past midnight (`22:00-02:00`
    ends at 26:00 = 02:00 the next day); `00:00-24:00` is the whole day.
    """
    items = value if isinstance(value, list | tuple) else [value]
    ranges: list[tuple[float, float]] = []
    for item in items:
        if not isinstance(item, str):
            raise ValueError(f"expected {HOURS_HELP}, got {item!r}")
        for part in item.split(","):
            bounds = part.split("-")
            if len(bounds) != 2:
                raise ValueError(f"expected {HOURS_HELP}, got {part.strip()!r}")
            try:
                start, end = parse_clock(bounds[0]), parse_clock(bounds[1])
            except ValueError:
                raise ValueError(f"expected {HOURS_HELP}, got {part.strip()!r}") from None
            if start >= MINUTES_PER_DAY:
                raise ValueError(f"a range cannot start at 24:00: {part.strip()!r}")
            if end <= start:
                end += MINUTES_PER_DAY
            ranges.append((start, end))
    return ranges


def merge_intervals(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Union of half-open intervals, sorted and non-overlapping."""
    merged: list[tuple[float, float]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def weekly_windows(
    days: frozenset[int], ranges: list[tuple[float, float]]
) -> list[tuple[float, float]]:
    """Minute-of-week windows [start, end) for daily ranges on `days`, wrapped into one week."""
    windows: list[tuple[float, float]] = []
    for day in days:
        for start, end in ranges:
            s, e = day * MINUTES_PER_DAY + start, day * MINUTES_PER_DAY + end
            if e > MINUTES_PER_WEEK:  # Sunday night past midnight wraps to Monday
                windows.append((s, MINUTES_PER_WEEK))
                windows.append((0.0, e - MINUTES_PER_WEEK))
            else:
                windows.append((s, e))
    return merge_intervals(windows)


def percent(share: float) -> str:
    """`90%`, `90.4%`, `12.5%`: as many digits as the share has (up to four decimals of
    a percent), so that targets of 90 % and 90.4 % have different names (the planner
    tells targets apart by name) and a goal of 87.5 % does not read "88%"."""
    return f"{round(share * 100, 4):g}%"


ONE_REPLICATION = "none (1 rep)"  # (short: a console column wrapped on a longer one)
NO_CI = "1 replication: no CI"  # what a verdict or a difference of one replication says


def percent_hint(x: float, lo: float, hi: float, low_open: bool = False) -> str:
    """`; for 1 %, write 0.01` where `x` read as a percentage is a share in [lo, hi] (in
    (lo, hi] with `low_open`), else "" — for an option or argument that refused `x`."""
    share = x / 100
    inside = (lo < share if low_open else lo <= share) and share <= hi  # (0 %: not > 0)
    return f"; for {x:g} %, write {share:g}" if inside else ""


def interval_text(
    low: object, high: object, replications: int, shown: Callable[[Any], str], dash: str = "–"
) -> str:
    """A 95 % CI as text (`81.2%–84.0%`); `none (1 rep)` where one replication
    gives no spread (it was shown zero-wide, `88.5%–88.5%`, as if exact: a review); empty
    where there is no estimate (a channel without contacts)."""
    if low is None or low != low:  # (NaN)
        return ""
    return ONE_REPLICATION if replications < 2 else f"{shown(low)}{dash}{shown(high)}"
