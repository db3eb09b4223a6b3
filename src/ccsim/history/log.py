"""Contact logs: an ACD, helpdesk or chat export read into one tidy contacts table.

One row per contact that reached a queue or an agent (docs/history.md has the layout):

| column | meaning |
|---|---|
| `id` | the contact's id (optional; a repeated id is dropped; without ids, nothing is) |
| `channel` | phone, chat, e-mail, … |
| `reason` | call type, skill or category (`all` when the log has none) |
| `arrival` | when it reached the queue (or an agent, if it never queued) |
| `answer` | when an agent answered (first reply: when the reply started); empty if never |
| `end` | end of the handling; for an abandon, when the customer gave up |
| `outcome` | `answered`, `abandoned`, `balked` (gave up at once), `waiting` (never answered) |
| `handle_s` | seconds of handling (answer → end when not given) |
| `agent`, `group` | who handled it (optional) |

Formats: `generic` — that layout as CSV or Parquet (what `ccsim run --contacts`
writes); a column-mapping YAML for any other export; `bank` — the public Anonymous
Bank log (docs/history.md). Rows that cannot be right (end before arrival, negative
durations, unknown outcomes, unparsable times, duplicates) are dropped and counted per
reason; `strict=True` refuses the log instead. A log is size-checked before it is read.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import difflib
import functools
import re
import warnings
import zoneinfo
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ccsim.scenario import limits, units, yamlfile
from ccsim.scenario.limits import DEFAULT_FILE_LIMITS, FileLimits
from ccsim.scenario.problems import InputError, Message

COLUMNS = [
    "id",
    "channel",
    "reason",
    "arrival",
    "answer",
    "end",
    "outcome",
    "handle_s",
    "agent",
    "group",
]
REQUIRED = ("channel", "arrival", "outcome")
OUTCOMES = ("answered", "abandoned", "balked", "waiting")
MAX_LOG_BYTES = 2_000_000_000  # a log larger than this is refused before it is read
UNREAD_ARRIVAL = "unparsable or missing arrival time"  # a reason rows are dropped for
TOLERANCE = pd.Timedelta(seconds=2)  # clock skew between systems tolerated in a log


class LogError(InputError):
    """A log could not be read (`.messages`: file, line, what is wrong)."""


def days_without_contacts(dates: pd.DatetimeIndex, arrivals: pd.Series) -> str | None:
    """The `dates` no arrival falls on, "n of the period's N days (d1, d2, d3 and k
    more)", or None: a fit and a backtest say them (a week of a one-day log was fitted
    as six closed days, a period past the log's end replayed as empty days, unsaid)."""
    empty = dates.difference(pd.DatetimeIndex(arrivals.dt.tz_localize(None).dt.normalize()))
    if empty.empty:
        return None
    more = f" and {len(empty) - 3} more" if len(empty) > 3 else ""
    shown = ", ".join(str(d.date()) for d in empty[:3]) + more
    return f"{len(empty)} of the period's {len(dates)} days ({shown})"


def calendar_day(value: object, name: str) -> pd.Timestamp:
    """A date of a period asked for (`first`, `last`): a date, a timestamp at midnight or
    text written YYYY-MM-DD, as the CLI's --from/--to; ValueError naming `name` otherwise
    (pandas read "02/01/2024" as 1 February, and "2024-01-01 12:00" as a date). A numpy
    datetime64 counts as a timestamp."""
    if isinstance(value, np.datetime64) and np.datetime_data(value.dtype)[0] not in "YMW":
        value = pd.Timestamp(value)  # (a month or a year alone is no date: refused below)
    try:
        return pd.Timestamp(units.parse_date(value))
    except ValueError as exc:
        raise ValueError(f"{name}: {exc}") from None


@dataclass
class Log:
    """A contact log: the valid contacts, and the rows dropped per reason."""

    contacts: pd.DataFrame  # the tidy layout above, sorted by arrival
    source: str
    format: str
    dropped: dict[str, int] = field(default_factory=dict)  # reason -> rows
    first_line: dict[str, int] = field(default_factory=dict)  # reason -> a line of the file
    not_offered: int = 0  # rows that never reached a queue (e.g. left in the voice menu)
    # rows kept with a cell read another way (reason -> rows; its line in first_line)
    repaired: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # the whole log's, e.g. channel names
    examples: dict[str, str] = field(default_factory=dict)  # reason -> what its line adds

    def __len__(self) -> int:
        return len(self.contacts)

    def __repr__(self) -> str:  # (the dataclass's printed the whole table)
        c = self.contacts
        span = f", {c['arrival'].min():%Y-%m-%d} to {c['arrival'].max():%Y-%m-%d}" if len(c) else ""
        channels = ", ".join(map(str, c["channel"].unique()[:6])) if len(c) else "none"
        dropped = sum(self.dropped.values())
        return (
            f"<Log {Path(self.source).name}: {len(c):,} contacts{span} ({channels}); "
            f"{dropped:,} row(s) dropped, {len(self.notes)} note(s)>"
        )

    @property
    def wait_s(self) -> pd.Series:
        """Seconds from arrival to the answer, or to giving up."""
        c = self.contacts
        until = c["answer"].where(c["outcome"] == "answered", c["end"])
        return (until - c["arrival"]).dt.total_seconds()

    def between(self, first: date | str | None, last: date | str | None) -> Log:
        """The contacts that arrived on the dates first..last (inclusive)."""
        c = self.contacts
        keep = np.ones(len(c), bool)
        day = c["arrival"].dt.normalize()
        if first is not None:
            keep &= (day >= calendar_day(first, "first")).to_numpy()
        if last is not None:
            keep &= (day <= calendar_day(last, "last")).to_numpy()
        return self._rows(keep)

    def replication(self, index: int) -> Log:
        """The contacts of one replication of a simulated log (`ccsim run --contacts`
        writes a `replication` column)."""
        if "replication" not in self.contacts:
            raise ValueError(f"{self.source} is not a simulated log of replications")
        kept = self.contacts["replication"]
        if not (kept == index).any():
            there = ", ".join(map(str, sorted(kept.unique())))
            raise ValueError(f"no replication {index!r} in the log (it has: {there})")
        return self._rows((kept == index).to_numpy())

    def one_span(self) -> Log:
        """This log, if it is one span of time; a ValueError for a simulated log of
        several replications, whose contacts share the same dates (a fit pooled them:
        twice the weekly volume from two replications)."""
        runs = self.contacts["replication"].nunique() if "replication" in self.contacts else 1
        if runs > 1:
            raise ValueError(
                f"the log holds {runs} replications of one simulated span (column "
                "`replication`), over the same dates: use one — `log.replication(0)` in "
                "Python, or `ccsim run -n 1 --contacts`"
            )
        return self

    def _rows(self, keep: np.ndarray) -> Log:
        return replace(self, contacts=self.contacts[keep].reset_index(drop=True))

    def dates(self) -> pd.DatetimeIndex:
        """Every date from the first arrival to the last."""
        days = self.contacts["arrival"].dt.normalize()
        return pd.date_range(days.min(), days.max(), freq="D")

    def covers(self, start: pd.Timestamp, end: pd.Timestamp, what: str) -> None:
        """A ValueError when `what` (`the fit period`) reaches past the weeks of the log —
        from the Monday of its first arrival to the Sunday of its last, so that a center
        closed at weekends can name its week whole: the days past it would count as days
        without contacts (a fit's means diluted; a backtest compared 7 days the log does
        not have with the scenario's volume: "-52 %", a walkthrough)."""
        span = self.dates()
        monday = span[0] - pd.Timedelta(days=span[0].weekday())
        sunday = span[-1] + pd.Timedelta(days=6 - span[-1].weekday())
        if start < monday or end > sunday:
            outside = (("starts before", start < monday), ("ends after", end > sunday))
            sides = [side for side, out in outside if out]
            raise ValueError(
                f"{what} {start.date()} to {end.date()} {' and '.join(sides)} the log, whose "
                f"contacts arrive from {span[0].date()} to {span[-1].date()} (weeks "
                f"{monday.date()} to {sunday.date()})"
            )

    def problems(self, refused: bool = False) -> list[str]:
        """One line per reason rows were dropped or repaired, with a line of the file:
        what `strict` refuses (`refused`: worded so, not as rows dropped)."""
        where = lambda why: f"{self.source}:{self.first_line.get(why, 0)}"  # noqa: E731
        fate = "bad row(s), refused (strict)" if refused else "row(s) dropped"
        dropped = self.dropped.items()
        return [f"{where(w)}: {n:,} {fate}: {w}{self.examples.get(w, '')}" for w, n in dropped] + [
            f"{where(why)}: {n:,} row(s): {why}" for why, n in self.repaired.items()
        ]

    def report(self) -> list[str]:
        """The problems, then the notes on the whole log."""
        lines = self.problems() + [f"{self.source}: {note}" for note in self.notes]
        if self.not_offered:
            lines.append(
                f"{self.source}: {self.not_offered:,} contact(s) never reached a queue "
                "(left in the voice menu): not offered, left out"
            )
        return lines


# --- formats ---------------------------------------------------------------------------


class Column(BaseModel):
    """Where one field of the tidy layout comes from in another export."""

    model_config = ConfigDict(extra="forbid")

    column: str | None = None  # the export's column
    date: str | None = None  # or a date column and a time column, joined
    time: str | None = None
    value: str | None = None  # or one value for every row
    map: dict[str, str] = Field(default_factory=dict)  # the export's values → ours
    unit: Literal["s", "min", "ms"] = "s"  # durations: seconds, minutes or milliseconds

    @field_validator("map", mode="before")
    @classmethod
    def _keys_as_written(cls, value: Any) -> Any:
        """A key YAML reads as a number or a boolean (`1`, `01`, `true`) cannot say how
        the export writes it: refused, asking for it quoted as written (it was "Input
        should be a valid string"; read as `str(key)`, `true` missed every `true` cell)."""
        if isinstance(value, dict):
            for key in value:
                if key is None:  # `null:`, `~:` or nothing before the colon
                    raise ValueError(
                        "a key is empty (null or nothing before the colon): quote it as the "
                        "export writes it; an empty cell is '': …"
                    )
                if not isinstance(key, str):
                    kind = "a boolean" if isinstance(key, bool) else "a number"
                    raise ValueError(
                        f"the key {key!r} is read as {kind}: quote it as the export writes "
                        f"it, e.g. '{key}': …"
                    )
        return value


class Mapping(BaseModel):
    """A column-mapping file: how to read an export into the tidy layout."""

    model_config = ConfigDict(extra="forbid")

    columns: dict[str, Column]  # a name alone is `{column: name}`
    separator: str = ","
    time_format: str | None = None  # strftime format of the times (default: ISO 8601)
    timezone: str | None = None  # times with an offset are converted to this zone
    encoding: str = "utf-8"
    decimal: Literal[".", ","] = "."  # of the handle times: 90.5 or 90,5

    @field_validator("columns", mode="before")
    @classmethod
    def _names_are_columns(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: {"column": v} if isinstance(v, str) else v for k, v in value.items()}
        return value

    @field_validator("separator")
    @classmethod
    def _one_character(cls, value: str) -> str:
        if value == "\\t":  # '\t' in single quotes (YAML keeps the backslash): not a tab
            raise ValueError('a backslash and a t, not a tab: write a tab as "\\t" (double quotes)')
        if value == "":  # `separator: |` unquoted is YAML's block of text, empty here
            raise ValueError("empty: quote the character, e.g. '|' or ';'")
        if len(value) != 1:  # (longer ones were read as a pattern, quotes ignored)
            raise ValueError(f"expected one character, e.g. ';' or \"\\t\" (a tab), got {value!r}")
        if value in '"\r\n':
            raise ValueError(f"{value!r} cannot separate cells (it quotes them or ends a line)")
        return value

    @field_validator("time_format")
    @classmethod
    def _a_format_pandas_reads(cls, value: str | None) -> str | None:
        if value is not None:
            try:  # a bad directive fails on any text, not only on a time
                pd.to_datetime(pd.Series(["0"]), format=value, errors="coerce")
            except ValueError as exc:
                raise ValueError(f"not a time format: {exc}") from None
        return value

    @field_validator("timezone")
    @classmethod
    def _a_known_zone(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                zoneinfo.ZoneInfo(value)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                raise ValueError(
                    f"unknown time zone {value!r} (expected an IANA name like Europe/Madrid)"
                ) from None
        return value

    @field_validator("encoding")
    @classmethod
    def _a_known_encoding(cls, value: str) -> str:
        try:
            codec = codecs.lookup(value)
        except LookupError:
            raise ValueError(f"unknown encoding {value!r} (e.g. utf-8, latin-1)") from None
        if not getattr(codec, "_is_text_encoding", True):  # rot13, base64, zlib: bytes
            raise ValueError(f"{value!r} is not a text encoding (e.g. utf-8, latin-1)")
        return value


def read(
    path: str | Path,
    format: str = "generic",
    strict: bool = False,
    limits: FileLimits = DEFAULT_FILE_LIMITS,
) -> Log:
    """Read a contact log (`format`: generic, bank, or the path of a column-mapping
    YAML). Bad rows are dropped and counted (`Log.dropped`); `strict` raises LogError
    on any. Every other problem is one LogError message: file, line, what is wrong."""
    path = Path(path)
    name = str(path)
    readable(path)
    read = Read()
    if format == "bank":
        raw, lines, not_offered, read = _bank(path)
    elif format == "generic":
        raw, lines, not_offered = _generic(path), None, 0
    elif format.endswith((".yaml", ".yml")):
        raw, lines, not_offered = _mapped(path, Path(format), limits), None, 0
    elif format == "weekly":  # totals.py reads those, for a forecast only
        msg = "weekly totals serve `ccsim forecast` only: this needs a row per contact"
        raise LogError([Message(name, None, None, msg)])
    else:
        msg = f"unknown log format {format!r} (expected generic, bank, or a mapping .yaml file)"
        raise LogError([Message(name, None, None, msg)])
    log = _tidy(raw, name, format, lines, read)
    log.not_offered = not_offered
    if strict and log.problems():  # (it said "dropped" of a log it refused)
        raise LogError([Message(*_split(line)) for line in log.problems(refused=True)])
    if log.contacts.empty:  # why each row was dropped, then that none is left
        why = [Message(*_split(line)) for line in log.problems()]
        raise LogError([*why, Message(name, None, None, "no valid contacts in the log")])
    return log


def readable(path: Path, what: str = "log") -> None:
    """LogError unless `path` is a regular, non-empty file ccsim reads at once."""
    name = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise LogError(
            [Message(name, None, None, f"cannot read the {what}: {exc.strerror}")]
        ) from None
    if path.is_dir():
        raise LogError([Message(name, None, None, f"is a folder, expected a {what} file")])
    if not path.is_file():  # a FIFO would block, /dev/zero never end (size 0)
        raise LogError([Message(name, None, None, "is not a regular file")])
    if size == 0:
        raise LogError([Message(name, None, None, f"the {what} is empty")])
    if size > MAX_LOG_BYTES:
        msg = f"the {what} has {size:,} bytes, more than the {MAX_LOG_BYTES:,} ccsim reads at once"
        raise LogError([Message(name, None, None, msg)])


def _nearest(name: str, export: pd.DataFrame) -> str:
    """ "; did you mean 'Status'?" for a mapping's misspelt column (case aside), then the
    export's columns (its first ten, of how many)."""
    columns = [str(c) for c in export.columns]
    folded = {c.lower(): c for c in columns}
    close = difflib.get_close_matches(name.lower(), list(folded), n=1, cutoff=0.6)
    hint = f"; did you mean {folded[close[0]]!r}?" if close else ""
    shown = ", ".join(columns[:10]) + (
        f" and {len(columns) - 10} more" if len(columns) > 10 else ""
    )
    return f"{hint} (its columns: {shown})"


def _bom(frame: pd.DataFrame) -> str:
    """A hint when the first column's name starts with a UTF-8 byte-order mark read in
    another encoding (`ï»¿CallRef` under latin-1)."""
    first = str(frame.columns[0]) if len(frame.columns) else ""
    if first.startswith(("\ufeff", "ï»¿")):
        return "; the file starts with a UTF-8 byte-order mark: read it with `encoding: utf-8-sig`"
    return ""


def _split(line: str) -> tuple[str, int | None, None, str]:
    where, _, what = line.partition(": ")
    file, _, number = where.rpartition(":")
    return file, int(number) if number.isdigit() else None, None, what


def table(path: Path, sep: str = ",", encoding: str = "utf-8") -> pd.DataFrame:
    """A CSV or Parquet file as a table of text cells (CSV) or typed columns (Parquet)."""
    name = str(path)
    with path.open("rb") as f:
        magic = f.read(8)
    if magic.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):  # (it said "not utf-8 text")
        msg = "an Excel workbook (or another binary file), not a table of text: save it as CSV"
        raise LogError([Message(name, None, None, msg)])
    try:
        if path.suffix.lower() in (".parquet", ".pq"):  # its saved index is no line number
            return pd.read_parquet(path).reset_index(drop=True)
        read = functools.partial(
            pd.read_csv,
            path,
            sep=sep,
            dtype=str,
            encoding=encoding,
            keep_default_na=False,
            na_values=[""],
            skipinitialspace=True,
            skip_blank_lines=False,  # kept, then dropped: row i is line i + 2 still
            index_col=False,  # a field more than the header (`…,phone,`) made a text index
        )
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            try:
                frame = read()
            except pd.errors.ParserWarning:  # rows wider than the header: cells dropped
                if (wide := _wider_than_header(path, sep, encoding)) is not None:
                    line, cells, width = wide
                    msg = (
                        f"{cells} cells where the header names {width} "
                        f"column{'s' if width != 1 else ''} (the wrong "
                        "separator, one inside an unquoted cell, or a column without a name?)"
                    )
                    raise LogError([Message(name, line, None, msg)]) from None
                warnings.simplefilter("ignore", pd.errors.ParserWarning)
                frame = read()  # only empty cells past the header (`…,phone,`): dropped
        if (starts := record_lines(path, sep, encoding, len(frame))) is not None:
            frame.index = starts[1:] - 2  # a quoted cell spans lines: row i is not line i + 2
        return frame.dropna(how="all")  # (blank lines moved every later line number)
    except UnicodeDecodeError as exc:
        line, byte = undecodable(path, encoding) or (None, exc.object[exc.start])
        msg = (
            f"not {encoding} text (byte 0x{byte:02x}); a column mapping's `encoding` "
            "reads others, e.g. latin-1"
        )
        raise LogError([Message(name, line, None, msg)]) from None
    except (pd.errors.ParserError, ValueError, OSError) as exc:
        if (line := _open_quote_line(path, sep, encoding, str(exc))) is not None:
            msg = (
                'a quote (") opens a cell here that no quote closes, so the rest of the '
                "file would be one cell: close it, or remove it"
            )
            raise LogError([Message(name, line, None, msg)]) from None
        if found := re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc)):
            width, record, cells = (int(g) for g in found.groups())
            starts = _record_starts(path, sep, encoding)  # pandas counts records, not lines
            line = int(starts[record - 1]) if starts is not None and record <= len(starts) else None
            msg = (
                f"{cells} cells where the rows before it have {width} (a separator inside "
                "an unquoted cell?)"
            )
            raise LogError([Message(name, line, None, msg)]) from None
        detail = " ".join(str(exc).split())[:160]
        raise LogError([Message(name, None, None, f"not a readable table ({detail})")]) from None


def _wider_than_header(path: Path, sep: str, encoding: str) -> tuple[int, int, int] | None:
    """(line, cells, header's columns) of the first record with a non-empty cell past the
    header's columns; None when every such cell is empty (a trailing separator)."""
    try:
        with contextlib.closing(_records(path, sep, encoding)) as records:
            width = len(next(records, (1, []))[1])
            for start, record in records:
                if any(cell.strip() for cell in record[width:]):
                    return start, len(record), width
    except (csv.Error, UnicodeDecodeError, OSError):
        return None
    return None


def _open_quote_line(path: Path, sep: str, encoding: str, error: str) -> int | None:
    """The line of the record whose quote pandas found open at the end of the file — it
    names the record ("EOF inside string starting at row 3"), which is not the line when
    a quoted cell before it spans lines."""
    found = re.search(r"EOF inside string starting at row (\d+)", error)
    starts = _record_starts(path, sep, encoding) if found else None
    record = int(found[1]) if found else -1
    return int(starts[record]) if starts is not None and record < len(starts) else None


CHUNK_BYTES = 1 << 20  # read at a time when looking for a log's first undecodable byte


def undecodable(path: Path, encoding: str) -> tuple[int, int] | None:
    """The first line of `path` that is not `encoding` text, and its first bad byte;
    lines end in \\n, \\r\\n or a lone \\r (an old Mac export's, read as line 1 until
    2026-12-05). Read in chunks (a log may have gigabytes)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    lines, last = 1, b""  # line breaks so far + 1; the last byte read
    with path.open("rb") as f:
        while True:
            chunk = f.read(CHUNK_BYTES)
            pending = decoder.getstate()[0]  # bytes of a character cut by the last chunk
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                at = exc.start - len(pending)  # in `chunk` (< 0: in the pending bytes)
                return lines + _breaks(last + chunk[: max(at, 0)]) - _breaks(last), exc.object[
                    exc.start
                ]
            if not chunk:
                return None
            lines += _breaks(last + chunk) - _breaks(last)
            last = chunk[-1:]


def record_lines(path: Path, sep: str, encoding: str, rows: int) -> np.ndarray | None:
    """The line each record of a CSV file starts on (the header's first), when a quoted
    cell spans lines so that records and lines part ways; None when every record is one
    line (counted in byte chunks, cheap), or when the records do not match the `rows`
    read (a separator is one character: `Mapping`)."""
    breaks, last = 0, b""
    with path.open("rb") as f:
        while chunk := f.read(CHUNK_BYTES):
            breaks += _breaks(last + chunk) - _breaks(last)
            last = chunk[-1:]
    if breaks + (last not in (b"\n", b"\r", b"")) <= rows + 1:
        return None
    starts = _record_starts(path, sep, encoding)
    return starts if starts is not None and len(starts) == rows + 1 else None


def _record_starts(path: Path, sep: str, encoding: str) -> np.ndarray | None:
    """The line each record of a CSV file starts on, read with the csv module (None if it
    cannot read the file)."""
    try:
        return np.fromiter((start for start, _ in _records(path, sep, encoding)), np.int64)
    except (csv.Error, UnicodeDecodeError, OSError):
        return None


def _records(path: Path, sep: str, encoding: str) -> Iterator[tuple[int, list[str]]]:
    """Each record of a CSV file with the line it starts on (a quoted cell may span
    lines), read with the csv module; its errors are the caller's."""
    limit = csv.field_size_limit(max(path.stat().st_size, 131072))  # a cell may be long
    try:
        with path.open(encoding=encoding, newline="") as text:
            reader = csv.reader(text, delimiter=sep, skipinitialspace=True)
            start = 1
            for record in reader:
                yield start, record
                start = reader.line_num + 1  # the next starts after this one ended
    finally:
        csv.field_size_limit(limit)


def _breaks(data: bytes) -> int:
    """Line ends in `data`: \\n, \\r\\n or a lone \\r."""
    return data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")


def _generic(path: Path) -> pd.DataFrame:
    frame = table(path)
    totals = {"week", "contacts"} <= {str(c).strip().lower() for c in frame.columns}
    layout = "docs/history.md has the layout" + (
        "; weekly totals are read by `ccsim forecast --format weekly`" if totals else ""
    )
    header = {n.strip() for c in frame.columns for n in str(c).split("\t")}
    if set(BANK_COLUMNS) <= header:  # (an analyst who forgot the option was told the layout)
        msg = "its columns are the bank layout's, not the generic one's: give --format bank"
        raise LogError([Message(str(path), 1, None, msg + " (format='bank' in Python)")])
    return named(frame, path, REQUIRED, layout)


def named(frame: pd.DataFrame, path: Path, required: Iterable[str], layout: str) -> pd.DataFrame:
    """`frame` with its column names stripped and lower-cased; LogError at line 1 for two
    columns of one name (`channel` and `Channel`: which is meant cannot be told) or for
    a required column missing (`layout`: where to read what to write)."""
    names = [str(c).strip().lower() for c in frame.columns]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        same = [str(c) for c in frame.columns if str(c).strip().lower() == twice[0]]
        msg = f"columns {' and '.join(map(repr, same))} are one name in the layout: keep one"
        raise LogError([Message(str(path), 1, None, msg)])
    frame.columns = names
    missing = [c for c in required if c not in frame.columns]
    if missing:
        found = ", ".join(map(str, list(frame.columns)[:10]))
        msg = f"missing column(s) {', '.join(missing)} (found: {found}; {layout})"
        other = [s for s in ";\t|" if len(frame.columns) == 1 and s in str(frame.columns[0])]
        if other:  # an export separated by ';' read as one column
            shown = {"\t": "a tab"}.get(other[0], repr(other[0]))
            msg += (
                f"; its header is separated by {shown}, not commas: a column mapping's "
                "`separator` reads it"
            )
        raise LogError([Message(str(path), 1, None, msg)])
    return frame


def _mapped(path: Path, mapping_file: Path, limits: FileLimits) -> pd.DataFrame:
    """An export read through a column-mapping YAML file."""
    name = str(mapping_file)
    try:
        data, lines = yamlfile.parse(
            yamlfile.read_text(mapping_file, limits, "mapping file", option=False),
            name,
            limits,
            "column mapping",
            "columns, separator, time_format, ...",
        )
        mapping = Mapping.model_validate(data)
    except InputError as exc:
        raise LogError(exc.messages) from None
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        loc = tuple(first["loc"])
        line = next((lines[loc[:n]] for n in range(len(loc), -1, -1) if loc[:n] in lines), None)
        field_ = ".".join(map(str, loc))
        msg = first["msg"].removeprefix("Value error, ")
        if first["type"] == "model_type":  # (not the class's name: what to write)
            msg = "expected a column name or {column | date + time | value, map, unit}"
        if first["type"] == "extra_forbidden":  # `seperator`: say what was meant
            known = Mapping.model_fields if len(loc) == 1 else Column.model_fields
            close = difflib.get_close_matches(str(loc[-1]), list(known), n=1)
            msg = f"unknown key (expected one of: {', '.join(known)})" + (
                f"; did you mean {close[0]!r}?" if close else ""
            )
        raise LogError([Message(name, line, field_, msg)]) from None
    unknown = [k for k in mapping.columns if k not in COLUMNS]
    if unknown:
        line = lines.get(("columns", unknown[0]))
        msg = f"unknown field {unknown[0]!r} (expected one of: {', '.join(COLUMNS)})"
        raise LogError([Message(name, line, f"columns.{unknown[0]}", msg)])
    if outcome := mapping.columns.get("outcome"):  # (a slip dropped every abandon as a bad row)
        wrong = [(k, v) for k, v in outcome.map.items() if v.strip().lower() not in OUTCOMES]
        if wrong:
            key, value = wrong[0]
            close = difflib.get_close_matches(value.strip().lower(), OUTCOMES, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            line = lines.get(("columns", "outcome", "map", key), lines.get(("columns", "outcome")))
            msg = f"maps {key!r} to {value!r} (expected one of {', '.join(OUTCOMES)}){hint}"
            raise LogError([Message(name, line, f"columns.outcome.map.{key}", msg)])
    export = table(path, mapping.separator, mapping.encoding)
    out = pd.DataFrame(index=export.index)
    for target, spec in mapping.columns.items():
        if target == "handle_s":  # read as numbers in _tidy, where a bad one is reported
            out.attrs["handle_unit"] = {"s": 1.0, "min": 60.0, "ms": 0.001}[spec.unit]
        if spec.value is not None:
            out[target] = spec.value
            continue
        needed = [c for c in (spec.column, spec.date, spec.time) if c is not None]
        absent = [c for c in needed if c not in export.columns]
        if absent or not needed:
            line = lines.get(("columns", target))
            msg = (
                f"column {absent[0]!r} is not in {path.name}{_nearest(absent[0], export)}"
                + _bom(export)
                if absent
                else "give `column`, `date` and `time`, or `value`"
            )
            raise LogError([Message(name, line, f"columns.{target}", msg)])
        if spec.column is not None:
            values = export[spec.column]
        else:
            values = export[spec.date].astype(str) + " " + export[spec.time].astype(str)
        if spec.map:
            values = values.map(lambda v, m=spec.map: m.get(str(v).strip(), v))
        out[target] = values
    missing = [c for c in REQUIRED if c not in out.columns]
    if missing:
        msg = f"the mapping gives no {', '.join(missing)} (required)"
        raise LogError([Message(name, None, "columns", msg)])
    out.attrs["mapping"] = name
    out.attrs["time_format"] = mapping.time_format
    out.attrs["timezone"] = mapping.timezone
    out.attrs["decimal"] = mapping.decimal
    return out


BANK_COLUMNS = [
    "vru+line",
    "call_id",
    "customer_id",
    "priority",
    "type",
    "date",
    "vru_entry",
    "vru_exit",
    "vru_time",
    "q_start",
    "q_exit",
    "q_time",
    "outcome",
    "ser_start",
    "ser_exit",
    "ser_time",
    "server",
]


STAGES = ["vru_entry", "vru_exit", "q_start", "q_exit", "ser_start", "ser_exit"]  # H:MM:SS


@dataclass
class Read:
    """What a format's own reader found in its rows (`_bank`): reason → the rows `_tidy`
    drops for it, first reason first; reason → the rows it kept, read another way."""

    bad: dict[str, pd.Series] = field(default_factory=dict)
    repaired: dict[str, pd.Series] = field(default_factory=dict)


def _bank(path: Path) -> tuple[pd.DataFrame, pd.Series, int, Read]:
    """The Anonymous Bank call log (one row per call, tab-separated; docs/history.md):
    the queue entry is `q_start`, or — for a call that went straight to an agent — the
    end of the voice menu; calls that hung up in the voice menu never reached the queue
    (not offered); PHANTOM calls cannot be traced (dropped, counted)."""
    raw = table(path, sep="\t")
    raw.columns = [str(c).strip() for c in raw.columns]
    missing = [c for c in BANK_COLUMNS if c not in raw.columns]
    if missing:
        msg = f"not the bank layout: missing column(s) {', '.join(missing[:5])}"
        raise LogError([Message(str(path), 1, None, msg)])
    day = pd.to_datetime(raw["date"], format="%y%m%d", errors="coerce")
    entered = pd.to_timedelta(raw["vru_entry"], errors="coerce")

    def at(column: str) -> pd.Series:
        """A stage's time on the call's date — or the next day's, when it is more than
        half a day earlier than the call entered the voice menu: a call across midnight
        (its 18 rows were dropped as "end before arrival", one placed a day early). A
        minute earlier is the log's own disorder (the voice menu's entry logged after
        the queue's), left to the checks."""
        times = pd.to_timedelta(raw[column], errors="coerce")
        wrapped = times < entered - pd.Timedelta(hours=12)
        times = times.where(~wrapped, times + pd.Timedelta(days=1))
        return (day + times).where(raw[column] != "0:00:00")

    queued, vru_exit = at("q_start"), at("vru_exit")
    q_exit, served, ser_exit = at("q_exit"), at("ser_start"), at("ser_exit")
    outcome = raw["outcome"].str.strip()
    answered = (outcome == "AGENT") & served.notna()
    hung = outcome == "HANG"
    # an AGENT row that never queued is offered (it reached an agent) even without an
    # answer time: dropped for that, as a queued one is (21 were counted as voice-menu
    # hang-ups, 29 queued ones dropped: the same defect, two fates)
    offered = queued.notna() | (outcome == "AGENT")
    # straight to an agent: the end of the voice menu, or the answer when it is logged
    # earlier (the menu's stamp late: wait 0) — beyond the skew every log has, a repair
    # said (82 calls of the February log, 3 s to 5 min, were moved without a word)
    early = queued.isna() & (served < vru_exit)
    arrival = queued.where(queued.notna(), vru_exit.where(~early, served))
    unreadable = pd.Series(False, index=raw.index)
    for column in STAGES:
        text = raw[column].astype("string").str.strip()
        # (pandas reads 7:6x:00 as 7:06 and 7:61:00 as 8:01: the layout is checked)
        unreadable |= text.notna() & ~text.str.fullmatch(r"\d{1,2}:[0-5]\d:[0-5]\d").fillna(False)
    raw_bad = {  # rows `_tidy` drops, first reason first (each was read as something else)
        # (a row cut short, or an empty cell the reader needs; an empty cell it does not
        # need — customer_id, vru_time, ser_time, server — leaves the row as it was)
        "a field it needs is empty or missing (date, stage times, outcome)": raw[
            ["date", *STAGES, "outcome"]
        ]
        .isna()
        .any(axis=1),
        "a time not written H:MM:SS (vru_entry … ser_exit)": unreadable,
        "outcome not AGENT, HANG or PHANTOM": ~outcome.isin(["AGENT", "HANG", "PHANTOM"]),
    }
    skew = (vru_exit - served).dt.total_seconds() > TOLERANCE.total_seconds()
    q_time = pd.to_numeric(raw["q_time"], errors="coerce")
    kind = np.select(
        [outcome == "AGENT", hung & (q_time == 0), hung],
        ["answered", "balked", "abandoned"],
        default=np.where(outcome == "PHANTOM", "phantom", outcome.str.lower()),
    )
    tidy = pd.DataFrame(
        {
            "id": raw["vru+line"] + ":" + raw["call_id"],  # call ids repeat across lines
            "channel": "phone",
            "reason": raw["type"].str.strip(),
            "arrival": arrival,
            "answer": served.where(answered),
            "end": ser_exit.where(answered, q_exit),
            "outcome": kind,
            "handle_s": raw["ser_time"].where(answered),  # text: `_tidy` says what it cannot read
            "agent": raw["server"].where(raw["server"] != "NO_SERVER"),
            "priority": raw["priority"],
        }
    )
    broken = pd.concat(raw_bad, axis=1).any(axis=1)
    keep = offered | (outcome == "PHANTOM") | day.isna() | broken
    lines = pd.Series(raw.index.to_numpy() + 2, index=raw.index)  # header is line 1
    moved = "answered straight from the voice menu, its answer logged before the menu's end"
    read = Read(
        {why: rows[keep] for why, rows in raw_bad.items()},
        {f"{moved}: arrival at the answer": (early & skew & answered)[keep]},
    )
    return tidy[keep], lines[keep], int((~keep).sum()), read


# --- the tidy table ---------------------------------------------------------------------


_OFFSET_END = r"\s*(?:Z|[+-]\d\d(?::?\d\d)?)$"  # a time's offset: Z, +01:00, +0100, +01


def _offsets(text: pd.Series) -> pd.Series:
    """The UTC offset at the end of each time (`+01:00`, `-0500`; none: 0)."""
    parts = text.str.extract(r"([+-])(\d\d):?(\d\d)$")
    sign = parts[0].map({"+": 1, "-": -1}).fillna(0).astype(float)
    minutes = parts[1].astype(float).fillna(0) * 60 + parts[2].astype(float).fillna(0)
    return pd.to_timedelta(sign * minutes, unit="min")


def _times(values: pd.Series, time_format: str | None, timezone: str | None) -> pd.Series:
    """Dates and times (naive, local); text that is not one → NaT."""
    if pd.api.types.is_datetime64_any_dtype(values):
        parsed = values
    else:
        text = values.astype("string").str.strip()
        if time_format:
            try:
                parsed = pd.to_datetime(text, format=time_format, errors="coerce")
            except ValueError:  # offsets (%z) that change with summer time: "Mixed timezones"
                utc = pd.to_datetime(text, format=time_format, errors="coerce", utc=True)
                if timezone:
                    parsed = utc.dt.tz_convert(timezone).dt.tz_localize(None)
                else:  # the clock time as written: the instant plus its own offset
                    parsed = utc.dt.tz_localize(None) + _offsets(text)
        else:
            # a time of day, then Z or an offset (+01:00, +0100, +01)
            offset = r"\d?\d:\d\d(?::\d\d(?:\.\d+)?)?\s*(?:Z|[+-]\d\d(?::?\d\d)?)$"
            aware = text.str.contains(offset, regex=True, na=False)
            try:
                parsed = pd.to_datetime(text.where(~aware), format="ISO8601", errors="coerce")
            except ValueError:  # offsets the pattern does not know: every time as UTC
                aware = text.notna()
                parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
            if aware.any():  # offsets converted to `timezone`; naive times stay local as
                # written (read as UTC, they were shifted by the zone's offset)
                local = None
                if not timezone:  # the clock time as written, like naive times (UTC until
                    # 2026-12-05: an export's 09:00+01:00 was profiled at 08:00)
                    wall = text.where(aware).str.replace(_OFFSET_END, "", regex=True)
                    with contextlib.suppress(ValueError):  # an offset not of that shape
                        local = pd.to_datetime(wall, format="ISO8601", errors="coerce")
                if local is None:
                    utc = pd.to_datetime(
                        text.where(aware), format="ISO8601", errors="coerce", utc=True
                    )
                    local = utc.dt.tz_convert(timezone or "UTC").dt.tz_localize(None)
                parsed = parsed.where(~aware, local)
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = (parsed.dt.tz_convert(timezone) if timezone else parsed).dt.tz_localize(None)
    try:
        return parsed.astype("datetime64[ns]")
    except (OverflowError, pd.errors.OutOfBoundsDatetime):  # year -1, 9999: not a time
        inside = (parsed >= pd.Timestamp.min) & (parsed <= pd.Timestamp.max)
        return parsed.where(inside).astype("datetime64[ns]")


def _tidy(
    raw: pd.DataFrame, name: str, format: str, lines: pd.Series | None, read: Read | None = None
) -> Log:
    """The tidy contacts table of a raw one: types, derived handle times, bad rows (and
    those its format's reader found: `read`)."""
    read = read or Read()
    if lines is None:  # the header is line 1; blank lines left out keep their numbers
        lines = pd.Series(raw.index.to_numpy() + 2, index=raw.index)
    time_format, timezone = raw.attrs.get("time_format"), raw.attrs.get("timezone")
    c = pd.DataFrame(index=raw.index)
    text = lambda col, default=None: (  # noqa: E731 - an empty cell is none, in any format
        raw[col].astype("string").str.strip().replace("", pd.NA)
        if col in raw
        else pd.Series(default, index=raw.index, dtype="string")
    )
    c["id"] = text("id")
    c["channel"] = text("channel")
    c["reason"] = text("reason", "all").fillna("all")
    for col in ("arrival", "answer", "end"):
        c[col] = _times(raw[col], time_format, timezone) if col in raw else pd.NaT
    c["outcome"] = text("outcome").str.lower()
    if "answer" not in raw and (n := int((c["outcome"] == "answered").sum())):
        # (every answered row was dropped as "answered without a (parsable) answer time",
        # and the fit failed for want of observations: a walkthrough)
        why = (
            f"{n:,} contact(s) are answered, and an answered contact's wait ends at its answer time"
        )
        if mapping := raw.attrs.get("mapping"):  # (its columns are the mapping's to name)
            raise LogError(
                [Message(mapping, None, "columns", f"the mapping gives no answer: {why}")]
            )
        found = ", ".join(map(str, list(raw.columns)[:10]))
        raise LogError([Message(name, 1, None, f"missing column answer: {why} (found: {found})")])
    given, unreadable = _seconds(raw, raw.attrs.get("decimal", "."))
    derived = (c["end"] - c["answer"]).dt.total_seconds()
    c["handle_s"] = given.where(given.notna(), derived)
    c["agent"] = text("agent")
    c["group"] = text("group")
    for extra in raw.columns.difference(COLUMNS):
        c[extra] = raw[extra]

    bad: dict[str, pd.Series] = {}  # reason -> rows dropped for it (each row once)
    drop = pd.Series(False, index=c.index)
    answered = c["outcome"] == "answered"
    checks = [
        *read.bad.items(),  # a format's own (the bank's broken rows)
        ("phantom call (cannot be traced)", c["outcome"] == "phantom"),
        ("no channel", c["channel"].isna() | (c["channel"] == "")),
        (UNREAD_ARRIVAL, c["arrival"].isna()),
        (f"unknown outcome (expected {', '.join(OUTCOMES)})", ~c["outcome"].isin(OUTCOMES)),
        ("answered without a (parsable) answer time", answered & c["answer"].isna()),
        ("answer before arrival", c["answer"] < c["arrival"] - TOLERANCE),
        ("end before arrival", c["end"] < c["arrival"] - TOLERANCE),
        ("end before answer", c["end"] < c["answer"]),
        ("negative duration", c["handle_s"] < 0),
        (
            f"handle time longer than {limits.MAX_HANDLING / 60:g} h (not one contact)",
            c["handle_s"] > limits.MAX_HANDLING * 60,
        ),
        (
            f"waited longer than {limits.MAX_WITHIN / 1440:g} days",
            (c["answer"].fillna(c["end"]) - c["arrival"]).dt.total_seconds()
            > limits.MAX_WITHIN * 60,
        ),
        ("duplicate id", c["id"].notna() & c["id"].duplicated()),
    ]
    for why, mask in checks:
        mask = mask.fillna(False).astype(bool) & ~drop
        if mask.any():
            bad[why] = mask
            drop |= mask
    dropped = {why: int(mask.sum()) for why, mask in bad.items()}
    first = {why: int(lines[mask].iloc[0]) for why, mask in bad.items()}
    repaired: dict[str, int] = {}
    # an answered contact's: kept (it is a contact), its handle time from its times (text
    # such as `n/a` beside an abandon is no handle time, as an empty cell)
    unreadable &= ~drop & answered.fillna(False).astype(bool)
    if unreadable.any():
        sample = str(raw.loc[unreadable, "handle_s"].iloc[0]).strip()
        why = f"handle_s {sample!r} is not a number of seconds: end − answer used"
        if "," in sample and raw.attrs.get("decimal", ".") == ".":
            why += " (a decimal comma needs `decimal: ','` in a column mapping)"
        repaired[why] = int(unreadable.sum())
        first[why] = int(lines[unreadable].iloc[0])
    for why, rows in read.repaired.items():  # a format's own repairs
        rows = rows.fillna(False).astype(bool) & ~drop
        if rows.any():
            repaired[why], first[why] = int(rows.sum()), int(lines[rows].iloc[0])
    ok = c[~drop].copy()
    # skew of a second or two between systems: an answer (or, unanswered, the end) just
    # before the arrival is at it — an abandon's wait stays ≥ 0, its patience observed
    for col in ("answer", "end"):
        early = ok[col] < ok["arrival"]
        ok.loc[early, "arrival"] = ok.loc[early, col]
    ok = ok.sort_values("arrival", kind="stable").reset_index(drop=True)
    notes = (
        _case_notes(ok)
        + _share_notes(dropped, len(c))
        + _minute_notes(ok, bool(given.notna().any()))
    )
    notes += _utc_notes(raw, timezone) + _agentless_notes(ok)
    notes += _unit_notes(given[~drop], derived[~drop], answered[~drop], c["channel"][~drop])
    if c["id"].isna().all():  # without ids, rows alike are contacts alike: kept (until
        # 2026-12-05 dropped: 58 % of a log with times to the minute)
        alike = int(raw.duplicated()[~drop].sum())
        if alike:
            notes.append(
                f"{alike:,} row(s) repeat an earlier row exactly; without an id column "
                "they are taken for distinct contacts (an id column drops repeats)"
            )
    unread = UNREAD_ARRIVAL
    examples = {unread: _unread(raw, bad[unread], "arrival")} if unread in dropped else {}
    return Log(ok, name, format, dropped, first, repaired=repaired, notes=notes, examples=examples)


def _unread(raw: pd.DataFrame, rows: pd.Series, column: str) -> str:
    """The first time of `column` in `rows` (those dropped for it) that could not be read,
    and what is read (the message named no value, and a day-first date was not said to
    need a `time_format`)."""
    if column not in raw:
        return ""
    text = raw[column].astype("string").str.strip()
    bad = text[rows & text.notna() & (text != "")]
    if bad.empty:
        return ""
    how = raw.attrs.get("time_format")
    expected = (
        f"expected {how!r}"
        if how
        else "expected ISO 8601, e.g. 2024-01-31 08:00:00, or a column mapping's `time_format`"
    )
    return f" ({bad.iloc[0][:40]!r}: {expected})"


def _seconds(raw: pd.DataFrame, decimal: str) -> tuple[pd.Series, pd.Series]:
    """The log's own handle times in seconds (NaN where it gives none), and the rows
    whose cell holds text that is not a number (it was ignored without a word)."""
    if "handle_s" not in raw:
        return pd.Series(np.nan, index=raw.index), pd.Series(False, index=raw.index)
    values, unit = raw["handle_s"], raw.attrs.get("handle_unit", 1.0)
    if pd.api.types.is_timedelta64_dtype(values):  # a Parquet duration column
        return values.dt.total_seconds(), pd.Series(False, index=raw.index)
    if pd.api.types.is_numeric_dtype(values):
        return values.astype(float) * unit, pd.Series(False, index=raw.index)
    text = values.astype("string").str.strip()
    if decimal == ",":  # 1.234,5: a dot groups thousands
        text = text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    number = pd.to_numeric(text, errors="coerce").astype(float)
    unreadable = (text.notna() & (text != "") & number.isna()).fillna(False).astype(bool)
    return number * unit, unreadable


def _case_notes(contacts: pd.DataFrame) -> list[str]:
    """Channel and reason names that differ only in case: read as different ones, said
    (reasons were split without a word: each handle-time fit got half the rows)."""
    notes = []
    for column, what in (("channel", "channels"), ("reason", "reasons")):
        names = pd.Series(contacts[column].dropna().unique(), dtype="string")
        for _, same in names.groupby(names.str.casefold()):
            if len(same) > 1:
                shown = " and ".join(repr(str(n)) for n in sorted(same))
                notes.append(
                    f"{what} {shown} differ only in case: read as {len(same)} {what} "
                    "(give them one name with a column mapping's `map`)"
                )
    return notes


SHARE_NOTED = 0.10  # a reason that drops this share of the rows is said, with what to check


def _share_notes(dropped: dict[str, int], rows: int) -> list[str]:
    """A reason that dropped a large share of the log is likely a misread column, not
    bad rows (handle times in milliseconds dropped 65 % as longer than a day; the fit
    went on from the rest): said, with what to check."""
    notes = []
    for why, n in dropped.items():
        if why.startswith(("phantom", "duplicate")):  # (a log's own, not a misread column)
            continue
        if rows and n / rows >= SHARE_NOTED:
            hint = ""
            if why.startswith("handle time longer"):
                hint = ": is handle_s in milliseconds or minutes? (a column mapping's `unit`)"
            elif why.startswith(("unparsable", "answered without")):
                hint = ": check how times are written (a column mapping's `time_format`)"
            elif why.startswith("unknown outcome"):
                hint = ": check the outcome values (a column mapping's `map`)"
            notes.append(f"{n / rows:.0%} of the rows were dropped as {why}{hint}")
    return notes


def _agentless_notes(contacts: pd.DataFrame) -> list[str]:
    """Answered contacts that name no agent among ones that do (the bank log's 491 calls
    served by NO_SERVER): kept, but the staffing reconstruction cannot count them."""
    answered = contacts[contacts["outcome"] == "answered"]
    missing = int(answered["agent"].isna().sum())
    if not missing or missing == len(answered):  # (none names one: the fit says so)
        return []
    return [
        f"{missing:,} answered contact(s) name no agent: kept as answered (their handle "
        "times are fitted), but the staffing a backtest reconstructs from agents leaves "
        "them out"
    ]


UNITS = {"minutes": 1 / 60, "milliseconds": 1000.0}  # handle_s ÷ (end − answer), misread
UNIT_NEAR = 1.25  # a contact's ratio within this factor of a unit's
UNIT_SHARE = 0.7  # ... for this share of a channel's contacts: the unit, not chance


def _unit_notes(
    given: pd.Series, derived: pd.Series, answered: pd.Series, channel: pd.Series
) -> list[str]:
    """A channel's handle_s that is `end − answer` in another unit — minutes (1/60) or
    milliseconds (1,000) — for most of its contacts: said, with what to check (a log in
    minutes fitted handle times 60 times too short without a word: a walkthrough). Ratios
    spread wide are not a unit: an e-mail's worked time against the hours it was open."""
    both = answered.fillna(False).astype(bool) & (given > 0) & (derived > 0)
    ratio = np.log((given / derived)[both].astype(float))
    notes = []
    for ch, r in ratio.groupby(channel[both]):
        if len(r) < 20:
            continue
        for unit, factor in UNITS.items():
            near = float((np.abs(r - np.log(factor)) < np.log(UNIT_NEAR)).mean())
            if near >= UNIT_SHARE:
                notes.append(
                    f"{ch}: handle_s is {factor:.3g} times end − answer on {near:.0%} of its "
                    f"{len(r):,} answered contacts that give both: is it in {unit}? handle_s "
                    "was used as seconds (a column mapping's `unit`: s, min or ms)"
                )
    return notes


def _utc_notes(raw: pd.DataFrame, timezone: str | None) -> list[str]:
    """Arrival times written in UTC (`…Z`, `+00:00`, a UTC Parquet column) and no zone to
    read them in: profiled on UTC hours, said (opening hours came out 05:00–22:00 for a
    center open 07:00–24:00, without a word). And a mapping's `timezone` that no time
    needs — none carries an offset — said too: it did nothing without a word."""
    if "arrival" not in raw:
        return []
    if timezone:
        values, how = raw["arrival"], raw.attrs.get("time_format")
        if pd.api.types.is_datetime64_any_dtype(values):
            return []
        # the times read with the zone and without it: the same, the zone did nothing (a
        # look at the text missed `%Z` in a time_format: a review)
        zoned, naive = _times(values, how, timezone), _times(values, how, None)
        if not (zoned.isna().all() or zoned.equals(naive)):
            return []
        return [
            f"the mapping's timezone {timezone} changed nothing: no arrival time carries an "
            "offset (Z, +02:00), so every time is read as written, on the center's clock"
        ]
    values = raw["arrival"]
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        utc = str(values.dt.tz) in ("UTC", "UTC+00:00", "+00:00")
    else:
        text = values.astype("string").str.strip()
        hits = text.str.contains(r"(?:Z|[+-]00:?00)$", regex=True, na=False)
        utc = bool(len(hits)) and float(hits.to_numpy(dtype=bool).mean()) > 0.5  # (no rows:
        # the mean of none was NA, a TypeError — a header-only log's traceback)
    if not utc:
        return []
    return [
        "arrival times are in UTC: read as written, so opening hours and profiles are on "
        "UTC hours; a column mapping's `timezone` (e.g. Europe/Madrid) reads them on the "
        "center's clock"
    ]


def _minute_notes(contacts: pd.DataFrame, handle_given: bool) -> list[str]:
    """Times written to the whole minute: a wait or handle time under a minute reads as
    0 (39 % of one log's abandons had a wait of 0, and the patience fit left them out)."""
    times = pd.concat([contacts[col].dropna() for col in ("arrival", "answer", "end")])
    if len(times) < 100 or (times.dt.second + times.dt.microsecond).any():
        return []
    zero = contacts["outcome"].eq("abandoned") & (contacts["end"] <= contacts["arrival"])
    waits = f"; {int(zero.sum()):,} abandon(s) show a wait of 0" if zero.any() else ""
    # (handle times the log gives in handle_s are not read from the times)
    what = "waits are" if handle_given else "waits and handle times (end − answer) are"
    return [
        f"every time is a whole minute: {what} known to the minute only (one under a "
        f"minute reads as 0){waits}"
    ]


def from_contacts(contacts: pd.DataFrame, origin: pd.Timestamp) -> pd.DataFrame:
    """Simulated contacts (`Result.contacts()`, minutes from time 0) in the generic
    layout, time 0 at `origin` — what `ccsim run --contacts` writes."""
    minute = pd.Timedelta(minutes=1)
    at = lambda col: origin + contacts[col] * minute  # noqa: E731 - NaN → NaT
    abandoned = contacts["abandoned"].to_numpy(bool)
    answered = contacts["answer"].notna().to_numpy()
    waited = contacts["wait"].to_numpy(float)
    outcome = np.select(
        [answered, abandoned & (waited <= 0), abandoned],
        ["answered", "balked", "abandoned"],
        "waiting",
    )
    gave_up = origin + (contacts["arrival"] + contacts["wait"]) * minute
    out = pd.DataFrame(
        {
            "id": np.arange(len(contacts)),
            "channel": contacts["channel"].to_numpy(),
            "reason": contacts["reason"].to_numpy(),
            "arrival": at("arrival"),
            "answer": at("answer"),
            "end": at("end").where(answered, gave_up.where(outcome != "waiting")),
            "outcome": outcome,
            "handle_s": (contacts["handle"] * 60).where(answered),
            "agent": np.where(
                contacts["agent"] >= 0, "agent-" + contacts["agent"].astype(str), None
            ),
            "group": contacts["group"].replace("", None).to_numpy(),
        }
    )
    if "replication" in contacts:
        out.insert(1, "replication", contacts["replication"].to_numpy())
    return out


def default_origin(start_day: int) -> pd.Timestamp:
    """Time 0 of a simulation with no calendar date: the first day of 2024 that falls on
    its `start_day` (0 = Monday, so 2024-01-01 itself)."""
    return pd.Timestamp("2024-01-01") + pd.Timedelta(days=start_day % 7)
