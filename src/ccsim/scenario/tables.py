"""Tables a scenario reads from CSV files: an intraday profile, the contacts per interval
of each date (a past period replayed), and the agents on duty per interval and group
(instead of a shift roster).

Every file is named relative to the scenario file and must lie in its folder tree —
symlinks followed — unless another folder is allowed (`allow_paths`, `--allow-path`);
it is size-checked before it is read, and a message quotes no more of it than the
offending cell, cut short (docs/ci.md, "Validating untrusted files").
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, PrivateAttr, ValidationInfo, model_validator

from ccsim.scenario import limits, units, yamlfile
from ccsim.scenario.limits import FileLimits

# a time's UTC offset after it (`2024-03-31 03:00+02:00`, `07:00:30 -0500`): group 1 is
# the local date and time
# the local date and time (a time of day: 07:00, 7:00:30.5, 0700) and an offset after it
_OFFSET = r"^(.*\d(?::?\d\d){1,2}(?:\.\d*)?)\s*[+-]\d\d(?::?\d\d)?$"
# a time in UTC: 07:00Z, 07Z, 07:00 UTC, 07:00 GMT
_UTC = r"\d(?:Z|\s*(?:UTC|GMT))$"


class Table(BaseModel):
    """Base: a CSV file named by a scenario (`csv: path`) — or, for the tables by rows
    (counts, staffing), the rows written inline (`rows: [[...], ...]`), in the order of
    the columns the table documents."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    csv: str | None = None

    @property
    def path(self) -> Path:
        """The file read (resolved)."""
        return self._path

    def _text(self, info: ValidationInfo, what: str) -> tuple[str, FileLimits]:
        """The file's text, read within the rules of the validation context."""
        context = info.context or {}
        rules: FileLimits = context.get("limits", limits.DEFAULT_FILE_LIMITS)
        base = Path(context.get("base_dir", "."))
        path = self._path = confined(base / self.csv, base, context.get("allowed", ()))
        try:
            size = path.stat().st_size
            if not path.is_file():  # a FIFO would block, /dev/zero never end (size 0)
                raise ValueError(f"{self.csv}: is not a regular file")
            if size > rules.max_csv_bytes:
                raise ValueError(
                    f"{self.csv}: the file has {size:,} bytes, more than the "
                    f"{rules.max_csv_bytes:,} allowed for {what} (--max-file-size)"
                )
            data = path.read_bytes()
            if wide := yamlfile.wide_text(data):
                raise ValueError(f"cannot read {what} {self.csv!r}: {wide} text: save it as UTF-8")
            return data.decode("utf-8-sig"), rules  # (a BOM is no text)
        except (OSError, UnicodeDecodeError) as exc:
            why = getattr(exc, "strerror", None) or "not UTF-8 text"
            raise ValueError(f"cannot read {what} {self.csv!r}: {why}") from None

    def _frame(self, info: ValidationInfo, what: str, columns: list[list[str]]) -> pd.DataFrame:
        """The table as text cells with one of the `columns` lists: the file (a header
        row names them), or the inline `rows` (the columns in that order)."""
        rows = getattr(self, "rows", None)
        if (rows is None) == (self.csv is None):
            raise ValueError(f"give {what} as `csv: path` or as `rows: [...]`, one of them")
        if rows is not None:
            self._rules = (info.context or {}).get("limits", limits.DEFAULT_FILE_LIMITS)
            wanted = next((c for c in columns if all(len(r) == len(c) for r in rows)), None)
            if wanted is None or not rows:
                shapes = " or ".join("[" + ", ".join(c) + "]" for c in columns)
                raise ValueError(f"expected rows {shapes}")
            return pd.DataFrame([[str(v) for v in r] for r in rows], columns=wanted)
        text, rules = self._text(info, what)
        try:
            frame = pd.read_csv(io.StringIO(text), dtype=str, skipinitialspace=True)
        except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error, ValueError) as exc:
            detail = " ".join(str(exc).split())[:120]
            raise ValueError(f"{self.csv}: not a readable CSV file ({detail})") from None
        self._lines = _record_lines(text, len(frame))
        frame.columns = [str(c).strip().lower() for c in frame.columns]
        if not any(set(wanted) <= set(frame.columns) for wanted in columns):
            options = " or ".join(", ".join(c) for c in columns)
            found = ", ".join(rules.quote(c) for c in frame.columns[:8])
            raise ValueError(f"{self.csv}: expected the columns {options} (found {found})")
        if frame.empty:
            raise ValueError(f"{self.csv}: no rows")
        self._rules = rules
        return frame

    def _numbers(self, frame: pd.DataFrame, column: str, low: float = 0.0) -> np.ndarray:
        """A column as finite numbers ≥ `low`; the first bad cell named by its line."""
        values = pd.to_numeric(frame[column], errors="coerce").to_numpy(float)
        bad = ~np.isfinite(values) | (values < low)
        if bad.any():
            i, *others = np.flatnonzero(bad).tolist()
            raise ValueError(
                f"{self._at(i)}: {column}: expected a finite number >= {low:g}, "
                f"got {self._rules.quote(str(frame[column].iloc[i]))}{self._too(others)}"
            )
        return values

    def _too(self, rows: list[int]) -> str:
        """`; also at lines 8, 10, 12` — the other rows with the same problem, so that a
        CI job fixes them in one go (only the first was named)."""
        if not rows:
            return ""
        listed = ", ".join(self._row(i) for i in rows[:5])
        listed += f" and {len(rows) - 5} more" if len(rows) > 5 else ""
        noun = ("lines " if len(rows) > 1 else "line ") if self.csv else ""
        return f"; also at {noun}{listed}"

    def _datetimes(self, frame: pd.DataFrame, column: str) -> np.ndarray:
        """A column of dates and times (1999-02-15 07:00) as datetime64 minutes, on the
        scenario's clock: a time's UTC offset (`07:00+01:00`, an export's local time) is
        dropped — it had been converted to UTC, and offsets that change with summer
        time were a pandas error — and a time in UTC (`Z`), or in a zone written another
        way (`GMT+1`), is refused."""
        text = frame[column].astype(str).str.strip()
        utc = text.str.contains(_UTC, case=False)
        wall = text.str.replace(_OFFSET, r"\1", regex=True).mask(utc)
        try:
            parsed = pd.to_datetime(wall, errors="coerce", format="mixed")
            zoned = getattr(parsed.dt, "tz", None) is not None
        except ValueError:  # times in several zones written in a way not stripped above
            zoned = True
        if zoned:  # the first row read with a zone
            i = next((i for i, v in enumerate(wall) if _zoned(v)), 0)
            raise ValueError(
                f"{self._at(i)}: {column}: got {self._rules.quote(str(frame[column].iloc[i]))}, "
                "a time with a time zone: expected the local date and time (07:00, or "
                "07:00+01:00), as the scenario's opening hours and shifts are"
            )
        bad = parsed.isna().to_numpy()
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            got = self._rules.quote(str(frame[column].iloc[i]))
            if utc.iloc[i]:
                raise ValueError(
                    f"{self._at(i)}: {column}: got {got}, a time in UTC: expected the "
                    "local date and time, as the scenario's opening hours and shifts are"
                )
            raise ValueError(
                f"{self._at(i)}: {column}: expected a date and time like "
                f"1999-02-15 07:00, got {got}"
            )
        return parsed.to_numpy().astype("datetime64[m]")

    _rules: FileLimits = PrivateAttr(default_factory=FileLimits)
    _path: Path = PrivateAttr(default_factory=Path)
    _lines: np.ndarray = PrivateAttr(default_factory=lambda: np.empty(0, int))  # of each row

    def _row(self, i: int) -> str:
        """Data row i (0-based): its line in the file (after the header, past blank
        lines), or `rows[i]` for inline rows."""
        return str(self._lines[i]) if self.csv is not None else f"rows[{i}]"

    def located(self, rows: np.ndarray, problem: str) -> str:
        """`file.csv:LINE: problem; also at lines …`: a problem of the data rows a mask
        picks (the file's order), the first named, the others listed after it."""
        first, *others = np.flatnonzero(rows).tolist()
        return f"{self._at(first)}: {problem}{self._too(others)}"

    def _at(self, i: int | None = None) -> str:
        """Where data row i is: `file.csv:LINE`, or `rows[i]` for inline rows; without i,
        the file or `rows`."""
        if i is None:
            return self.csv if self.csv is not None else "rows"
        return f"{self.csv}:{self._row(i)}" if self.csv is not None else self._row(i)


class IntradayCSV(Table):
    """Intraday weights, one row per interval: the column a header row names `weight`,
    else the last column."""

    csv: str

    _weights: list[float] = PrivateAttr(default_factory=list)

    @model_validator(mode="after")
    def _read(self, info: ValidationInfo) -> IntradayCSV:
        text, rules = self._text(info, "an intraday profile")
        values: list[float] = []
        header: int | None = None  # cells of the header row (None: no header)
        width: int | None = None  # cells of the first data row
        title = False  # a header of one cell
        column, where = -1, "the last column"  # the weights' (a header may name it)
        semicolons = f"{self.csv}:{{}}: expected comma-separated values with a decimal point "
        semicolons += "(9,1.2), got {}"
        try:
            for lineno, row in enumerate(csv.reader(text.splitlines()), start=1):
                if not row or not any(c.strip() for c in row):
                    continue
                cell = row[column] if len(row) > column else ""
                try:
                    if "_" in cell:  # Python's float reads `1_0` as 10
                        raise ValueError(cell)
                    value = float(cell)
                except ValueError:
                    if values or header is not None or units.is_number(cell.replace("_", "")):
                        # (the first row may be a header, but not `1_0`)
                        if any(";" in c for c in (row if column == -1 else [cell])):  # `0:00;1`
                            raise ValueError(
                                semicolons.format(lineno, rules.quote(",".join(row)))
                            ) from None
                        raise ValueError(
                            f"{self.csv}:{lineno}: expected a number in {where}, "
                            f"got {rules.quote(cell)}"
                        ) from None
                    header, title = len(row), len(row) == 1
                    names = [c.strip().lower() for c in row]
                    if "weight" in names[:-1]:  # `hour,weight,comment`: the last was read
                        column, where = names.index("weight"), "the weight column"
                    continue  # header row
                # `9;1,2` was read as the cells `9;1` and `2`: a weight of 2, silently (a
                # header naming `weight` split into cells: the file is comma-separated)
                if any(";" in c for c in (row if column == -1 else [cell])):
                    raise ValueError(semicolons.format(lineno, rules.quote(",".join(row))))
                width = width or len(row)
                # a header naming 2+ columns bounds the width; one cell (`weight`) may head
                # `09:00,1` — but not `0,5`, a one-column decimal comma (read as 5)
                wider = header is not None and not title and len(row) > header
                comma = title and len(row) == 2 and all(c.strip().isdigit() for c in row)
                if len(row) != width or wider or comma:
                    expected = 1 if comma else min(width, header or width)
                    raise ValueError(
                        f"{self.csv}:{lineno}: expected {expected} column(s), as in the rows "
                        f"above, got {len(row)} (a decimal comma? write 0.5, not 0,5)"
                    )
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


class CountsTable(Table):
    """Contacts per interval of each date (a past period replayed): columns `start` (the
    interval's date and time, e.g. 1999-02-15 07:00) and `count`. `exact` (default):
    exactly that many arrive, at times uniform in the interval; false: `count` is the
    expected number (Poisson, with the channel's over-dispersion)."""

    exact: bool = True
    rows: list[list[Any]] | None = None
    _starts: np.ndarray = PrivateAttr(default_factory=lambda: np.empty(0, "datetime64[m]"))
    _counts: np.ndarray = PrivateAttr(default_factory=lambda: np.empty(0))

    @model_validator(mode="after")
    def _read(self, info: ValidationInfo) -> CountsTable:
        frame = self._frame(info, "arrival counts", [["start", "count"]])
        starts = self._datetimes(frame, "start")
        counts = self._numbers(frame, "count")
        if counts.max() > limits.MAX_WEEKLY:
            most = f"{limits.MAX_WEEKLY:,.0f}"
            row = int(np.argmax(counts))  # (the table's first line was named, not the row)
            raise ValueError(f"{self._at(row)}: a count above {most} in one interval")
        if self.exact and (part := np.flatnonzero(counts != np.floor(counts))).size:
            i = int(part[0])  # rounded (2.5 arrived as 2, 2.7 as 3), said nowhere
            raise ValueError(
                f"{self._at(i)}: count {counts[i]:g} is not a whole number of contacts (with "
                "`exact: false` a count is the expected number, fractions allowed)"
                f"{self._too(list(part[1:]))}"
            )
        self._starts, self._counts = starts, counts  # the file's order, for its lines
        order = np.argsort(starts, kind="stable")
        twice = np.flatnonzero(np.diff(starts[order]) == np.timedelta64(0, "m"))
        if twice.size:  # the later row of the first pair in the file (it named none)
            pairs = sorted((int(max(order[k], order[k + 1])), int(min(order[k], order[k + 1])))
                           for k in twice)  # fmt: skip
            i, j = pairs[0]
            when = self._rules.quote(str(frame["start"].iloc[i]).strip())
            raise ValueError(
                f"{self._at(i)}: the interval {when} appears twice (first at {self._at(j)}; "
                "expected one row each)"
            )
        return self

    def table(self) -> tuple[np.ndarray, np.ndarray]:
        """(start of each row, datetime64 minutes; count), in the file's order."""
        return self._starts, self._counts

    def per_minute_offset(self, origin: np.datetime64) -> tuple[np.ndarray, np.ndarray]:
        """(interval starts as minutes after `origin`, counts)."""
        return (self._starts - origin).astype(float), self._counts

    def same_rows(self, other: CountsTable) -> bool:
        """The same counts as `other` read (a file of one name may have changed), in
        whatever order of rows."""
        return _equal(self.by_time(), other.by_time())

    def by_time(self) -> tuple[np.ndarray, np.ndarray]:
        """`table()` with its rows in time order."""
        order = np.argsort(self._starts, kind="stable")
        return self._starts[order], self._counts[order]


class StaffingTable(Table):
    """Agents on duty per interval and group, instead of a shift roster: columns
    `start` (date and time: a past period) or `day` and `time` (a weekly pattern,
    e.g. mon, 07:00), `group` and `agents` — the average number on duty in the
    interval (fractions allowed: 2.5 = two all interval and one half of it)."""

    rows: list[list[Any]] | None = None
    _group: np.ndarray = PrivateAttr(default_factory=lambda: np.empty(0, object))
    _agents: np.ndarray = PrivateAttr(default_factory=lambda: np.empty(0))
    _starts: np.ndarray | None = PrivateAttr(None)  # datetime64[m], for dates
    _week_minute: np.ndarray | None = PrivateAttr(None)  # minute of the week, for a pattern

    @model_validator(mode="after")
    def _read(self, info: ValidationInfo) -> StaffingTable:
        frame = self._frame(
            info,
            "a staffing table",
            [["start", "group", "agents"], ["day", "time", "group", "agents"]],
        )
        self._agents = self._numbers(frame, "agents")
        if self._agents.max() > limits.MAX_AGENTS:
            most = f"{limits.MAX_AGENTS:,}"
            raise ValueError(f"{self._at()}: more than {most} agents in one interval")
        self._group = frame["group"].astype(str).str.strip().to_numpy(object)
        if "start" in frame.columns:
            self._starts = self._datetimes(frame, "start")
            keys = list(zip(self._starts.tolist(), self._group, strict=True))
        else:
            minutes: list[float] = []
            bad: list[int] = []
            for i, (day, clock) in enumerate(zip(frame["day"], frame["time"], strict=True)):
                try:
                    minute = units.parse_day(str(day)) * units.MINUTES_PER_DAY
                    minutes.append(minute + units.parse_clock(str(clock)))
                except ValueError:
                    bad.append(i)
            if bad:
                i = bad[0]
                day, clock = (self._rules.quote(str(frame[c].iloc[i])) for c in ("day", "time"))
                raise ValueError(
                    f"{self._at(i)}: expected a day (mon..sun) and a time HH:MM, got {day}, "
                    f"{clock}{self._too(bad[1:])}"
                )
            self._week_minute = np.array(minutes, float)
            keys = list(zip(minutes, self._group, strict=True))
        first: dict[tuple, int] = {}
        for i, key in enumerate(keys):
            if key in first:  # (it named no row, interval or group)
                when = (
                    frame["start"].iloc[i]
                    if "start" in frame
                    else (f"{frame['day'].iloc[i]} {frame['time'].iloc[i]}")
                )
                raise ValueError(
                    f"{self._at(i)}: group {self._rules.quote(key[1])} at "
                    f"{self._rules.quote(str(when).strip())} appears twice (first at "
                    f"{self._at(first[key])}; expected one row per interval and group)"
                )
            first[key] = i
        return self

    def row_of(self, group: str) -> str:
        """Where the first row of `group` is: `file.csv:LINE` or `rows[i]`."""
        return self._at(int(np.flatnonzero(self._group == group)[0]))

    @property
    def weekly(self) -> bool:
        """A weekly pattern (day, time) rather than dates."""
        return self._week_minute is not None

    @property
    def groups(self) -> list[str]:
        return list(dict.fromkeys(self._group.tolist()))

    def table(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(start of each row — datetime64 minutes, or minute of the week —, group, agents)."""
        starts = self._starts if self._starts is not None else self._week_minute
        return starts, self._group, self._agents  # type: ignore[return-value]

    def same_rows(self, other: StaffingTable) -> bool:
        """The same rows as `other` read (a file of one name may have changed)."""
        return self.weekly == other.weekly and _equal(self.table(), other.table())


def _record_lines(text: str, rows: int) -> np.ndarray:
    """The line each of a CSV's `rows` data rows starts on: the records after the header
    that are not blank, which pandas skips (a blank line moved every line after it by
    one), a cell over two lines inside quotes counted as the lines it takes (it moved
    every line after it back by one). If pandas read another number of rows, one row a
    line."""
    starts: list[int] = []
    end = 0
    try:
        reader = csv.reader(io.StringIO(text), skipinitialspace=True)
        for record in reader:
            start, end = end + 1, reader.line_num
            if len(record) > 1 or any(cell.strip() for cell in record):
                starts.append(start)
    except csv.Error:
        starts = []
    if len(starts) - 1 == rows:
        return np.array(starts[1:], int)
    return np.arange(rows) + (starts[0] if starts else 1) + 1


def _equal(these: tuple[np.ndarray, ...], those: tuple[np.ndarray, ...]) -> bool:
    return all(
        a.shape == b.shape and bool((a == b).all()) for a, b in zip(these, those, strict=True)
    )


def _zoned(value: object) -> bool:
    """A date and time read with a time zone."""
    try:
        return pd.Timestamp(value).tzinfo is not None
    except (ValueError, TypeError):
        return False


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


def plain(table: Any) -> Any:
    """A table as plain values for a self-contained scenario document (an intraday
    profile becomes its weights; counts and staffing stay CSV references)."""
    if isinstance(table, IntradayCSV):
        return list(table._weights)
    return table
