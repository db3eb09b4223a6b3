"""Weekly totals: contacts per week from a planning system's export, for a volume
forecast when no per-contact log is at hand (docs/capacity.md).

A CSV or Parquet file with a column `week` — the Monday the week starts on
(2027-01-04) or its ISO week (2027-W01) — and `contacts`, optionally `channel` (a row
per week and channel). Weeks follow each other without a gap (a week without contacts
is a row of 0: a missing row is more often a lost export than a closed week), each once
per channel. Every problem is a LogError message with its file and line.
"""

from __future__ import annotations

import csv
import math
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from ccsim.history.log import LogError, named, readable, table, undecodable
from ccsim.scenario.problems import Message

COLUMNS = ("week", "contacts")
MAX_MESSAGES = 20  # bad rows listed one by one; the rest counted
MAX_CONTACTS = 1e12  # a week's contacts above this is a unit mistake, not a volume


def read(path: str | Path, channel: str | None = None) -> pd.Series:
    """Contacts per week (index: the Mondays, consecutive), of `channel` or of all
    channels summed; LogError with one message per problem."""
    path = Path(path)
    name = str(path)
    readable(path, "weekly totals")
    lines = _lines(path)
    frame = table(path)
    if lines is not None and len(lines) != len(frame):  # rows told apart otherwise: by number
        lines = None
    layout = "weekly totals have `week` (the Monday, 2027-01-04, or 2027-W01), `contacts`"
    frame = named(frame, path, COLUMNS, layout + " and optionally `channel`")
    by_channel = "channel" in frame.columns
    if channel is not None and not by_channel:
        msg = f"no `channel` column: the totals are of every channel (drop --channel {channel})"
        raise LogError([Message(name, 1, None, msg)])
    problems: list[Message] = []
    rows: list[tuple[str, date, float]] = []
    seen: dict[tuple[str, date], str] = {}
    columns = list(frame.columns)
    for i, cells in enumerate(frame.itertuples(index=False, name=None)):
        line = lines[i] if lines is not None else None
        where = "" if lines is not None else f"row {i + 1}: "  # Parquet has no lines
        cell = dict(zip(columns, cells, strict=True))
        week, why = _week(cell["week"])
        contacts, how = _contacts(cell["contacts"])
        name_ = "" if not by_channel or _empty(cell["channel"]) else str(cell["channel"]).strip()
        for field, what in (("week", why), ("contacts", how)):
            if what:
                problems.append(Message(name, line, field, where + what))
        if by_channel and not name_:
            what = where + "empty (expected a channel name)"
            problems.append(Message(name, line, "channel", what))
        if week is None or contacts is None or (by_channel and not name_):
            continue
        if (name_, week) in seen:
            what = f"the week of {week} appears twice (first on {seen[name_, week]})"
            what += f" for {name_}" if name_ else ""
            problems.append(Message(name, line, "week", where + what))
            continue
        seen[name_, week] = f"line {line}" if line is not None else f"row {i + 1}"
        rows.append((name_, week, contacts))
    if problems:
        raise LogError(_capped(problems))
    if not rows:
        raise LogError([Message(name, None, None, "no weeks in the file")])
    data = pd.DataFrame(rows, columns=["channel", "week", "contacts"])
    if channel is not None:
        data = data[data["channel"] == channel]
        if data.empty:
            listed = ", ".join(sorted(set(r[0] for r in rows)))
            msg = f"no rows of channel {channel!r} (the file has: {listed})"
            raise LogError([Message(name, None, None, msg)])
    grid = data.pivot(index="week", columns="channel", values="contacts").sort_index()
    first, last = grid.index[0], grid.index[-1]
    weeks = [first + timedelta(weeks=k) for k in range((last - first).days // 7 + 1)]
    gaps = [w for w in weeks if w not in grid.index]
    if gaps:
        msg = (
            f"no row for the week of {_listed(gaps)} (weeks run from {first} to {last}): "
            "write 0 for a week without contacts"
        )
        raise LogError([Message(name, None, "week", msg)])
    holes = [(c, w) for c in grid.columns for w in grid.index[grid[c].isna()]]
    if holes:
        msg = "; ".join(f"{c} has no row for the week of {w}" for c, w in holes[:5])
        more = f" and {len(holes) - 5} more" if len(holes) > 5 else ""
        raise LogError([Message(name, None, "week", f"{msg}{more} (write 0 for none)")])
    index = pd.date_range(pd.Timestamp(first), periods=len(grid), freq="7D")  # as `weekly`
    return pd.Series(grid.sum(axis=1).to_numpy(float), index=index)


def _lines(path: Path) -> list[int] | None:
    """The line of each data row of a CSV file (None for Parquet), pandas' rows read
    after it: LogError for a file not in UTF-8, and for each row with more cells than
    the header (pandas took the first column for an index, or could not parse the file:
    `2027-01-04,1,234` read as week 1, 234 contacts)."""
    if path.suffix.lower() in (".parquet", ".pq"):
        return None
    name = str(path)
    lines: list[int] = []
    wide: list[Message] = []
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            rows = csv.reader(f)
            header = len(next(rows, []))
            for row in rows:
                if not row:  # a blank line: pandas skips it too
                    continue
                lines.append(rows.line_num)
                if len(row) > header:
                    wide.append(
                        Message(
                            name,
                            rows.line_num,
                            None,
                            f"{len(row)} cells under a header of {header} (a thousands "
                            "separator or a decimal comma? write 1234 or 1234.5, not 1,234)",
                        )
                    )
    except UnicodeDecodeError:
        line, byte = undecodable(path, "utf-8") or (None, 0)
        msg = f"not UTF-8 text (byte 0x{byte:02x}): save the totals as UTF-8 (Excel: CSV UTF-8)"
        raise LogError([Message(name, line, None, msg)]) from None
    except csv.Error as exc:
        raise LogError([Message(name, None, None, f"not a readable CSV file ({exc})")]) from None
    if wide:
        raise LogError(_capped(wide))
    return lines


def _empty(cell: object) -> bool:
    return cell is None or (isinstance(cell, float) and math.isnan(cell)) or not str(cell).strip()


def _week(cell: object) -> tuple[date | None, str]:
    """(the Monday, "") or (None, what is wrong)."""
    if _empty(cell):
        return None, "empty (expected the Monday the week starts on, e.g. 2027-01-04, or 2027-W01)"
    if isinstance(cell, pd.Timestamp):  # a Parquet date column
        cell = cell.to_pydatetime()
    text = str(cell).strip()
    day_text, _, clock = text.partition("T" if "T" in text else " ")
    if "W" in text.upper():
        day_text, clock = text.upper(), ""
    try:
        day = date.fromisoformat(day_text)
    except ValueError:
        return None, (
            f"got {text[:60]!r} (expected a date like 2027-01-04 or an ISO week like 2027-W01)"
        )
    if clock.strip() and clock.strip().rstrip("0:.") != "":  # Excel writes 00:00:00
        return None, f"got {text[:60]!r} (expected a date without a time of day, like 2027-01-04)"
    if day.weekday() != 0:
        monday = day - timedelta(days=day.weekday())
        return None, (
            f"{day} is a {day:%A}: expected the Monday the week starts on (weeks run Monday "
            f"to Sunday: the week holding {day} starts on {monday})"
        )
    return day, ""


def _contacts(cell: object) -> tuple[float | None, str]:
    if _empty(cell):
        return None, "empty (expected a number of contacts, 0 for none)"
    text = str(cell).strip()
    try:
        if "_" in text:  # Python's float reads `1_0` as 10
            raise ValueError(text)
        value = float(text)
    except ValueError:
        comma = ": write 1234 or 1234.5, not 1,234" if "," in text else ""
        return None, f"got {text[:60]!r} (expected a number of contacts{comma})"
    if not math.isfinite(value) or not 0 <= value <= MAX_CONTACTS:
        return None, f"got {text[:60]!r} (expected a number of contacts from 0 to {MAX_CONTACTS:g})"
    return value, ""


def _listed(weeks: list[date]) -> str:
    shown = ", ".join(map(str, weeks[:3]))
    return shown + (f" and {len(weeks) - 3} more" if len(weeks) > 3 else "")


def _capped(problems: list[Message]) -> list[Message]:
    if len(problems) <= MAX_MESSAGES:
        return problems
    rest = len(problems) - MAX_MESSAGES
    first = problems[0].file
    return [*problems[:MAX_MESSAGES], Message(first, None, None, f"and {rest} more problem(s)")]
