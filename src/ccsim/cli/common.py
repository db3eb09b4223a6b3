"""What the command modules share: consoles, exit codes, option types and helpers.

Option values are parsed by the typer parsers below (`duration`, `share`,
`agent_counts`, …): a bad value is a usage error, reported as one `ccsim: error: …` line
with exit 2 (`ccsim.cli.app.main`).
"""

from __future__ import annotations

import contextlib
import json
import math
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console

from ccsim.atomic import OutputError, check_file, check_folder
from ccsim.scenario.problems import Message, ScenarioError
from ccsim.scenario.units import is_number, parse_duration, percent_hint, printable

if TYPE_CHECKING:
    from ccsim.scenario.model import Scenario

# no markup, no emoji: names and paths from the user are printed as written
# (`[/bold] shop` is a name, `file.yaml:100:` a line number, not the emoji :100:)
# not a terminal (a CI log, a file): tables 160 wide, a line of text never broken (a
# `check` line of a long path was split in two)
out = Console(
    highlight=False,
    markup=False,
    emoji=False,
    width=None if sys.stdout is not None and sys.stdout.isatty() else 160,
    soft_wrap=not (sys.stdout is not None and sys.stdout.isatty()),
)
err = Console(stderr=True, highlight=False, markup=False, emoji=False, soft_wrap=True)

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def stderr_is_terminal() -> bool:
    """stderr is a terminal: the progress bar and status line are drawn there only (rich's
    `is_terminal` is true under FORCE_COLOR, which CI sets: 9,746 bytes of bar frames in
    a CI log, a walkthrough)."""
    return sys.stderr is not None and sys.stderr.isatty()


_json_output = False  # this command's --json (`report_failure`): one command a process


def _remember_json(value: bool) -> bool:
    global _json_output
    _json_output = value
    return value


def forget_json() -> None:
    """A new command begins (the app's callback): no --json until its option says so —
    one process may run several (typer's CliRunner: `report` after `erlang --json`
    printed an errors document)."""
    _remember_json(False)


def duration(value: Any, least: str = ">= 0") -> float:
    """A duration like 20s, 3min, 1.5h or a number of minutes → minutes (finite, ≥ 0);
    `least` is the bound a refusal names (`positive_duration`'s is "> 0")."""
    if isinstance(value, float):
        return value
    text = str(value).strip()
    minutes = parse_duration(text.removeprefix("-"))  # ValueError: a usage error
    if text.startswith("-") or not math.isfinite(minutes):
        raise ValueError(f"must be a finite duration {least}, got {value!r}")
    return minutes


def positive_duration(value: Any) -> float:
    """A duration > 0 (see `duration`)."""
    minutes = duration(value, "> 0")
    if minutes == 0:
        raise ValueError(f"must be a finite duration > 0, got {value!r}")
    return minutes


def minutes_said(option: str, parse: Callable[[Any], float] = duration) -> Callable[[Any], float]:
    """A duration parser for `option` that says, on stderr, when a bare number was read as
    minutes — as everywhere in a scenario — where seconds are as likely meant: `--within
    20` meant for 20 s gave a service level of 0.84 for 0.48 without a word, `--aht 180`
    was three hours, and `--time-budget 20` is 20 minutes where `ccsim.plan(time_budget=
    20)` is 20 seconds."""

    def parsed(value: Any) -> float:
        if isinstance(value, float):
            return value
        minutes = parse(value)
        text = str(value).strip()
        if minutes > 0 and re.fullmatch(r"[0-9.eE+]+", text):
            err.print(
                f"ccsim: warning: {option} {text} is {text} minutes (write {text}s for "
                f"seconds, {text}min to say minutes)",
                markup=False,
            )
        return minutes

    return parsed


threshold = minutes_said("--within")  # a service-level threshold


def share(value: Any) -> float:
    """A share in [0, 1] written as 0.8 or 80%."""
    if isinstance(value, float):
        return value
    text = str(value).strip()
    percent = text.endswith("%")
    try:
        result = float(text.removesuffix("%")) / (100.0 if percent else 1.0)
    except ValueError:
        result = math.nan
    if not 0.0 <= result <= 1.0:
        raise ValueError(f"expected a share like 0.8 or 80%, got {value!r}")
    return result


def number_between(lo: float, hi: float = math.inf, *, low_open: bool = False):
    """A parser of a finite number in [lo, hi] (in (lo, hi] with `low_open`); NaN and
    infinity are refused with the range in the message — and a share written as a
    percentage (`--confidence 95`, `95%`) with the number to write, as a file's is."""
    shown = f"{'>' if low_open else '>='} {lo:g}" + ("" if hi == math.inf else f" and <= {hi:g}")

    def refused(value: Any) -> ValueError:
        said = f"expected a number {shown}, got {value!r}"
        percent = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]*)?)\s*%?\s*", str(value))
        given = float(percent[1]) if percent else math.nan
        # (`1%` got none: 1 reads as a share; nor `--precision 1`, over its 0.5)
        written = "%" in str(value) or given > 1 or given > hi
        if hi <= 1 and written:
            said += percent_hint(given, lo, hi, low_open)
        return ValueError(said)

    def parse(value: Any) -> float:
        if isinstance(value, float):
            return value
        try:
            result = float(value)
        except ValueError:
            raise refused(value) from None
        low_ok = result > lo if low_open else result >= lo
        if not (math.isfinite(result) and low_ok and result <= hi):
            raise refused(value)
        return result

    return parse


number = number_between(0.0)  # a finite number ≥ 0


SEED_MAX = 2**63 - 1


def seed_number(value: Any) -> int:
    """A seed: a whole number from 0 to 2**63 - 1 (numpy's seeds are 64-bit)."""
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or int(text) > SEED_MAX:
        raise ValueError(f"expected a whole number from 0 to {SEED_MAX}, got {value!r}")
    return int(text)


def agent_counts(most: int, rows: int):
    """A parser of agent counts — `14`, a range `12-16`, a list `12,14` — into sorted
    distinct counts from 1 to `most`, at most `rows` of them."""

    def parse(value: Any) -> tuple[int, ...]:
        if isinstance(value, tuple):
            return value
        counts: set[int] = set()
        for item in (part.strip() for part in str(value).split(",")):
            lo_text, dash, hi_text = item.partition("-")
            lo, hi = count(lo_text, item), count(hi_text if dash else lo_text, item)
            if lo > hi:
                raise ValueError(f"range {item!r} runs backwards (write LO-HI)")
            counts.update(range(lo, hi + 1))
            if len(counts) > rows:
                raise ValueError(f"more than {rows} agent counts")
        return tuple(sorted(counts))

    def count(text: str, item: str) -> int:
        text = text.strip()
        if not text.isdigit() or not 1 <= int(text) <= most:
            raise ValueError(f"expected a count 1..{most} or a range like 12-16, got {item!r}")
        return int(text)

    return parse


def message_channels(s: Scenario) -> list[str]:
    """The message channels of `s` (their abandon rate, always 0, is not printed)."""
    return [name for name, c in s.channels.items() if c.kind == "message"]


def counted(n: int, what: str) -> str:
    """`1 warning`, `2 errors`."""
    return f"{n} {what}{'s' * (n != 1)}"


def fail_usage(message: str) -> NoReturn:
    """A usage error found after parsing: one line (a path's line break written out),
    exit 2."""
    err.print(f"ccsim: error: {printable(message)}", markup=False)
    raise typer.Exit(EXIT_USAGE)


def fail(message: str) -> NoReturn:
    """The job failed for a reason the user can act on: one line, exit 1."""
    failed([message])


def failed(problems: Iterable[Message | str]) -> NoReturn:
    """The input or the job failed: every problem said (`report_failure`), exit 1."""
    report_failure(problems)
    raise typer.Exit(EXIT_FAIL)


def report_failure(problems: Iterable[Message | str]) -> None:
    """One line per problem on stderr — a located `Message` as `file:line: field: …`,
    anything else as `ccsim: error: …` — and, under `--json`, the document
    `{"errors": [{"path", "line", "field", "message"}]}` on stdout, so that a job that
    reads the output finds JSON whether the command worked or not (docs/cli.md)."""
    problems = list(problems)
    for p in problems:
        line = str(p) if isinstance(p, Message) else f"ccsim: error: {printable(p)}"
        err.print(line, markup=False)
    if _json_output:
        print_json({"errors": [error_json(p) for p in problems]})


def error_json(problem: Message | str) -> dict:
    """One problem in the `--json` document of a failed command."""
    if isinstance(problem, Message):
        return {"path": problem.file, **message_json(problem)}
    return {"path": None, "line": None, "field": None, "message": str(problem)}


def print_json(doc: Any) -> None:
    # (default=str: a date a --set value named, 2027-01-04, was a TypeError)
    print(json.dumps(doc, indent=2, ensure_ascii=False, default=str))


def file_size(value: Any) -> int:
    """A file size like 5MB, 200KB or a number of bytes."""
    from ccsim.model.work import parse_size

    return int(parse_size(str(value), unlimited=False))


def memory_size(value: Any) -> str:
    """A memory size like 16GB, 500MB, or none (checked here, parsed where it is used).
    A bare number is refused: it is bytes to `parse_size`, and `--memory-limit 16` meant
    16 GB to whoever typed it (it refused every run, "more than the limit of 16 bytes",
    until 2026-12-07)."""
    from ccsim.model.work import parse_size

    text = str(value).strip()
    if is_number(text) and 0 < float(text) < math.inf:  # (the rest: parse_size's words)
        raise ValueError(f"{text} has no unit: write {text}GB, {text}MB or none")
    parse_size(text)
    return text


def file_limits(max_file_size: int | None):
    """The input-file limits with the size the user allows (None: the default)."""
    from ccsim.scenario.limits import DEFAULT_FILE_LIMITS, FileLimits

    if max_file_size is None:
        return DEFAULT_FILE_LIMITS
    return FileLimits(max_bytes=max_file_size, max_csv_bytes=max_file_size)


def message_json(m) -> dict:
    """One problem of a file in a `--json` document (`validate`, `check`)."""
    return {"line": m.line, "field": m.field, "message": m.message}


def load_or_exit(path: Path, allow: list[Path] | None = None, max_file_size: int | None = None):
    """Load one scenario; on a problem print every message and exit 1."""
    from ccsim.scenario import loader

    if not path.exists():
        fail_usage(f"{path}: file not found")
    if path.is_dir():  # a wrong argument, as a missing file is (validate and check take folders)
        held = path / "scenario.yaml"  # (an output folder: its scenario is in it)
        came = f" ({held} is the scenario this folder's output came from)"
        fail_usage(f"{path}: is a folder; give one scenario file{came if held.is_file() else ''}")
    try:
        return loader.load(path, allow or (), file_limits(max_file_size))
    except loader.ScenarioError as exc:
        failed(exc.messages)


def setting(value: Any) -> tuple[str, list[Any]]:
    """`--set KEY=V1,V2`: a field path and the values to try, read as one YAML flow
    sequence (numbers, `off`, {mon-fri: "09:00-18:00"}, quoted text with commas); a value
    `*1.2` (scale the current number) is quoted first, as YAML reads `*` as an alias, and
    so is `+1`, which YAML reads as 1 (`with_changes` refuses it: not an increment)."""
    if isinstance(value, tuple):
        return value
    from ruamel.yaml import YAML

    key, sep, values = str(value).partition("=")
    if not sep or not key.strip() or not values.strip():
        raise ValueError(f"{value!r}: expected KEY=VALUE[,VALUE...]")
    values = re.sub(r"(^|,)(\s*)([*+][^,\s\[\]{}\"']+)(?=\s*(,|$))", r'\1\2"\3"', values)
    try:
        parsed = YAML(typ="safe", pure=True).load(f"[{values}]")
    except Exception as exc:  # YAML's own words, without its "<unicode string>" and marks
        detail = " ".join(str(getattr(exc, "problem", None) or exc).split())
        raise ValueError(
            f"{value!r}: cannot read the values ({detail}; write them as KEY=V1,V2, text with "
            'a comma in quotes: KEY="a, b")'
        ) from None
    return key.strip(), list(parsed)


def one_setting(value: Any) -> tuple[str, Any]:
    """`--set KEY=VALUE` of `run` and `plan`: one field and its one new value."""
    if isinstance(value, tuple):
        return value
    try:
        key, values = setting(value)
    except ValueError as exc:  # (sweep's form, KEY=V1,V2, is not this option's)
        raise ValueError(str(exc).replace("KEY=VALUE[,VALUE...]", "KEY=VALUE")) from None
    if len(values) != 1:
        raise ValueError(
            f"{value!r}: one value a key (to try several, use ccsim sweep; text with a comma "
            'in quotes: KEY="a, b")'
        )
    return key, values[0]


SET = "--set"  # the "file" named in the messages of a --set change


def changed(s: Scenario, settings: list[tuple[str, Any]] | None) -> Scenario:
    """The scenario with the `--set` changes (`ccsim.with_changes`), its file untouched,
    said on stderr; a bad change said as a scenario problem (exit 1), a key given twice a
    usage error (exit 2)."""
    from ccsim.scenario.changes import with_changes

    if not settings:
        return s
    keys = [key for key, _ in settings]
    if twice := sorted({k for k in keys if keys.count(k) > 1}):
        fail_usage(f"--set {twice[0]} given twice: give it once")
    try:
        variant = with_changes(s, dict(settings), label=SET)
    except ScenarioError as exc:
        failed(exc.messages)
    shown = ", ".join(f"{key}={_written(value)}" for key, value in settings)
    err.print(f"ccsim: with --set {printable(shown)} (the file unchanged)", markup=False)
    return variant


def _written(value: Any) -> str:
    """A --set value as it could be written again (text with a comma or a space quoted:
    `name=Small shop, what-if` read as two settings)."""
    if isinstance(value, str) and not re.search(r"[,\s\"']", value):
        return value
    return json.dumps(value, default=str, ensure_ascii=False)


def change_warnings(
    s: Scenario, variant: Scenario, settings: list[tuple[str, Any]] | None, every: bool = True
) -> list[Message]:
    """What to warn of a scenario changed by --set: the file's warnings the changed one
    still has (with their lines; one the change mends is not said — a warm-up set to 55h
    still read "the warm-up begins at sun 00:00"), then the changed one's own; or, not
    `every` (a plan, which says none of the file's and sets its own roster), only those
    of its own at a field a change named."""
    if not settings:
        return list(s.warnings)
    now = {(m.field, m.message) for m in variant.warnings}
    known = {(m.field, m.message) for m in s.warnings}
    kept = [m for m in s.warnings if (m.field, m.message) in now]
    new = [m for m in variant.warnings if (m.field, m.message) not in known]
    if not every:
        named = [key for key, _ in settings]
        return [m for m in new if any((m.field or "").startswith(k) for k in named)]
    return kept + new


def progress_bar(quiet: bool):
    """(bar, callback) drawing replications done on stderr; (None, None) when quiet or
    stderr is not a terminal."""
    if quiet or not stderr_is_terminal():
        return None, None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    bar = Progress(
        "simulating",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )
    task = bar.add_task("replications", total=None)
    return bar, lambda done, total: bar.update(task, completed=done, total=total)


Changes = Annotated[
    list[str] | None,  # each a (key, value) pair, parsed by one_setting
    typer.Option(
        "--set",
        parser=one_setting,
        metavar="KEY=VALUE",
        help="change a field for this command alone, e.g. arrivals.chat.weekly=*1.2 "
        "(repeatable; the file is not changed)",
    ),
]
Reps = Annotated[
    int | None,
    typer.Option("--reps", "-n", min=1, metavar="N", help="replications (default: the scenario's)"),
]
Seed = Annotated[
    int | None,
    typer.Option(
        parser=seed_number, metavar="SEED", help="seed (default: the scenario's, else random)"
    ),
]
Workers = Annotated[
    int | None,
    typer.Option(
        "--workers", "-w", min=1, metavar="N", help="local worker processes (default: cores)"
    ),
]
_ADDRESS = re.compile(r"^([a-z][a-z0-9+.-]*://)?(\[[0-9a-fA-F:.]+\]|[^\s:/\[\]]+):\d{1,5}$")


def scheduler_address(value: Any) -> str:
    """A Dask scheduler address, `tcp://host:8786` or `host:8786`: one without a port is
    a bad option value (exit 2), as a missing one is; one that does not answer is found
    when the run starts (exit 1)."""
    text = str(value).strip()
    if not _ADDRESS.match(text):
        raise ValueError(f"expected an address like tcp://host:8786, got {value!r}")
    return text


Scheduler = Annotated[
    str | None,
    typer.Option(
        parser=scheduler_address,
        metavar="ADDRESS",
        help="Dask scheduler address, e.g. tcp://host:8786",
    ),
]
AsJson = Annotated[
    bool, typer.Option("--json", callback=_remember_json, help="one JSON document on stdout")
]
Report = Annotated[
    bool, typer.Option("--report", help="with --out: also write report.xlsx and report.html")
]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="no progress bar")]
Confidence = Annotated[
    float | None,
    typer.Option(
        parser=number_between(0.5, 0.9999),
        metavar="C",
        help="require the one-sided lower bound to meet each target (0.5-0.9999)",
    ),
]
SearchReps = Annotated[
    int | None,
    typer.Option(
        "--reps",
        "-n",
        min=2,
        metavar="N",
        help="replications per roster tried [default: 8; 16 above 250,000 contacts]",
    ),
]
Verify = Annotated[
    int | None,
    typer.Option(
        min=2, metavar="N", help="fresh replications to verify [default: 30; fewer above 250,000]"
    ),
]


@contextlib.contextmanager
def status_line(title: str, quiet: bool) -> Iterator[Callable[[str], None]]:
    """A live status line on stderr (a terminal only, and not with --quiet); yields the
    callback that updates it with the step being worked on."""
    status = None
    if not quiet and stderr_is_terminal():
        status = err.status(title)
        status.start()

    def say(message: str) -> None:
        if status is not None:
            status.update(f"{title}: {message}")

    try:
        yield say
    finally:
        if status is not None:
            status.stop()


AllowPath = Annotated[
    list[Path] | None,
    typer.Option(
        "--allow-path",
        metavar="DIR",
        help="a folder outside the scenario's own that files it names may be in (repeatable)",
    ),
]
MaxFileSize = Annotated[
    int | None,
    typer.Option(
        parser=file_size,
        metavar="SIZE",
        help="largest scenario or CSV file read, e.g. 5MB (default 1MB)",
    ),
]
MemoryLimit = Annotated[
    str | None,
    typer.Option(
        parser=memory_size,
        metavar="SIZE",
        help="memory one replication may need, e.g. 16GB or none "
        "(default: a quarter of this machine's)",
    ),
]


def needs_out(report: bool, out_dir: Path | None) -> None:
    """`--report` writes into the --out folder: without one it is a usage error; so is an
    --out ccsim would not write (a file, a folder of other files: `atomic.check_folder`),
    found before any work is done."""
    if report and out_dir is None:
        fail_usage("--report needs --out DIR (the report is written into that folder)")
    if out_dir is not None:
        out_ok(out_dir, "--out")


def out_ok(path: Path, option: str, folder: bool = True, ours: str | None = None) -> None:
    """A usage error (exit 2) when ccsim would not write output `path` (`ccsim.atomic`;
    `ours`: how a file ccsim writes there starts)."""
    try:
        check_folder(path) if folder else check_file(path, ours)
    except OutputError as exc:
        fail_usage(f"{option} {exc}")


def say_written(folder: Path, what: str, report: bool, as_json: bool) -> None:
    """Where an output folder (and its report) went: on stdout, or stderr under --json."""
    console = err if as_json else out
    console.print(f"{what} {printable(folder)}/", markup=False)
    if report:
        paths = ", ".join(printable(folder / name) for name in ("report.xlsx", "report.html"))
        console.print(f"report written: {paths}", markup=False)
