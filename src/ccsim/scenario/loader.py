"""Load scenario YAML files and report every problem as `file:line: field: message`.

The YAML is read within bounds by `ccsim.scenario.yamlfile`, which keeps the line of
every key; pydantic errors and cross-field rule violations carry a field path, mapped
back to the closest line in the file. Loading never raises anything but `ScenarioError`.
"""

from __future__ import annotations

import difflib
import os
import re
import typing
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from ccsim.scenario import rules, units, yamlfile
from ccsim.scenario.limits import DEFAULT_FILE_LIMITS, FileLimits
from ccsim.scenario.model import Scenario
from ccsim.scenario.problems import InputError, Loc, Message, Problem, ScenarioError

__all__ = [
    "Message",
    "ScenarioError",
    "load",
    "loads",
    "locate",
    "validate",
    "validate_model",
    "validate_paths",
]

M = TypeVar("M", bound=BaseModel)


# shares that may pass 1 (a 130 % overhead), written as a percentage all the same (a
# calendar's premiums: `temporary_premium: 40%` got no hint, `attrition_per_month: 3%` did)
OVER_ONE_SHARES = ("overhead", "concurrency_slowdown", "overtime_premium", "temporary_premium")


def load(
    path: str | Path,
    allow_paths: str | Path | Iterable[str | Path] = (),
    limits: FileLimits = DEFAULT_FILE_LIMITS,
) -> Scenario:
    """Load and validate one scenario file; raise ScenarioError listing every problem.

    Files the scenario names (CSV profiles) must lie in the scenario file's folder tree
    or in one of `allow_paths`; `limits` bound the file's size, nesting and aliases."""
    path = Path(path)
    try:
        text = yamlfile.read_text(path, limits, "scenario file")
    except InputError as exc:
        raise ScenarioError(exc.messages) from None
    return loads(text, name=str(path), base_dir=path.parent, allow_paths=allow_paths, limits=limits)


def loads(
    text: str,
    name: str = "<string>",
    base_dir: str | Path = ".",
    allow_paths: str | Path | Iterable[str | Path] = (),
    limits: FileLimits = DEFAULT_FILE_LIMITS,
) -> Scenario:
    """Validate scenario YAML given as text (`name` is used in messages; files it names
    are read relative to `base_dir`, and must lie inside it or in `allow_paths`)."""
    try:
        data, lines = yamlfile.parse(text, name, limits, "scenario", "name, channels, ...")
    except InputError as exc:
        raise ScenarioError(exc.messages) from None
    source = Path(name) if name != "<string>" else None
    return validate(data, name, base_dir, lines, source, allow_paths=allow_paths, limits=limits)


def validate(
    data: Any,
    name: str,
    base_dir: str | Path,
    lines: dict[Loc, int] | None = None,
    source: Path | None = None,
    variant: bool = False,
    allow_paths: str | Path | Iterable[str | Path] = (),
    limits: FileLimits = DEFAULT_FILE_LIMITS,
) -> Scenario:
    """The Scenario of plain data: the model's structural checks, then the cross-field
    rules; every problem located at its line (`lines`: field path -> line; without it
    messages name the field only). Raises ScenarioError with every message."""
    if isinstance(data, dict) and "channels" not in data and {"weeks", "headcount"} <= data.keys():
        msg = (
            "a capacity calendar (it has weeks and headcount), not a scenario: it goes to "
            "`ccsim capacity SCENARIO --calendar FILE`, which validates it"
        )
        raise ScenarioError([Message(name, 1, None, msg)])
    if written := _written_by_ccsim(data):
        raise ScenarioError([Message(name, 1, None, written)])
    if foreign := _not_a_scenario(data):
        raise ScenarioError([Message(name, 1, None, foreign)])
    allowed = tuple(str(p) for p in as_paths(allow_paths))
    context = {"base_dir": str(base_dir), "allowed": allowed, "limits": limits}
    # how the file is written: said with its errors too (a variant's data is the model's,
    # durations in bare minutes); until 2026-12-07 only once every error was mended
    written = [] if variant else [_locate(p, name, lines) for p in rules.written(data)]
    try:
        scenario = Scenario.model_validate(data, context=context)
    except ValidationError as exc:
        messages = _from_pydantic(exc, name, lines)
        found = messages + _unknown_names(data, messages, name, lines)
        raise ScenarioError(in_file_order(found), _unsaid(written, found)) from None
    errors, warnings = rules.check(scenario)
    if errors:
        found = [_locate(p, name, lines) for p in errors]
        raise ScenarioError(in_file_order(found), _unsaid(written, found))
    # in file order, as errors are (those of the written text came after the rest)
    located = in_file_order([_locate(p, name, lines) for p in warnings] + written)
    base = Path(base_dir).absolute()  # (the folder, whatever the current one is later)
    return scenario.with_origin(source, located, variant, allowed, base, limits)


def _unsaid(warnings: list[Message], errors: list[Message]) -> list[Message]:
    """The warnings on fields no error is about (`within: 20x` is an error, not also a
    bare number)."""
    wrong = {m.field for m in errors}
    return [w for w in warnings if w.field not in wrong]


def _written_by_ccsim(data: Any) -> str | None:
    """One message for an output of ccsim given as a scenario — a run's or plan's
    document (`run.json`, `plan.json`: JSON is YAML), a plan's `roster.yaml` — saying
    what to load instead (a plan.json was 155 lines of unknown keys and missing
    fields, a roster.yaml five: a notebook walkthrough); None for anything else."""
    if not isinstance(data, dict):
        return None
    keys = {str(k) for k in data}
    if {"sl_definition", "targets_met", "cost", "replications"} <= keys:
        kind = "plan" if {"search", "roster"} <= keys else "run"
        return (
            f"a {kind}'s document written by ccsim (run.json, plan.json), not a scenario: load the "
            "scenario.yaml beside it, the scenario that was "
            + ("planned, with the planned roster" if kind == "plan" else "run")
        )
    if "roster" in keys and keys <= {"roster", "shifts"}:
        return (
            "a roster, as `ccsim plan` writes it (roster.yaml), not a whole scenario: put "
            "its `roster:` (and any `shifts:`) into the scenario, or give it as a change "
            "(--set 'roster=[...]', ccsim.with_changes(s, {'roster': ...}))"
        )
    return None


def _not_a_scenario(data: Any) -> str | None:
    """One message for a YAML file with no scenario key but a name or description (a CI
    workflow or a compose file in a folder `validate` was given: a message for every
    missing field and unknown key until 2026-12-06), else None."""
    if not isinstance(data, dict) or not data:
        return None
    keys = [str(k) for k in data]
    told = {"name", "description"}  # (a file begun with its name alone: what it lacks)
    fields = {f.alias or n for n, f in Scenario.model_fields.items()} - told
    if set(keys) <= told or any(k in fields or any(_slip(k, f) for f in fields) for k in keys):
        return None
    others = [k for k in keys if k not in told]  # (`name` was listed as not a scenario's)
    shown = ", ".join(others[:4]) + (f" and {len(others) - 4} more" if len(others) > 4 else "")
    return (
        f"not a scenario: none of its keys ({shown}) is a scenario's (channels, arrivals, "
        "reasons, groups, ...: docs/scenario-format.md)"
    )


def in_file_order(messages: list[Message]) -> list[Message]:
    """Messages by line, those without one last, each line's in the order found (unknown
    names came after every value error until 2026-12-06)."""
    return sorted(messages, key=lambda m: (m.line is None, m.line or 0))


def _unknown_names(
    data: Any, reported: list[Message], name: str, lines: dict[Loc, int] | None
) -> list[Message]:
    """The unknown names of data the model refused, beside its messages (a bad value
    hid a misspelt group until it was fixed): those at a field no message names, nor a
    field inside or around one; none judged against a block of names (channels, groups,
    shifts) that is empty or whose entries the model refused as a whole."""
    taken = [m.field or "" for m in reported]

    def near(field: str) -> bool:
        return any(f == field or f.startswith((field + ".", field + "[")) or
                   field.startswith((f + ".", f + "[")) for f in taken)  # fmt: skip

    def refused(block: str) -> bool:  # the block, or one of its entries as a whole
        rest = [f.removeprefix(block + ".") for f in taken if f.startswith(block + ".")]
        return block in taken or any("." not in r and "[" not in r for r in rest)

    names = rules.Names.written(data, {block for block in rules.DEFINING if refused(block)})
    return [_locate(p, name, lines) for p in rules.unknown_names(names) if not near(p.field)]


def valid(s: object) -> Scenario:
    """`s` if it is a Scenario as ccsim validated it; a TypeError saying how to get one
    otherwise (a path given to `ccsim.simulate` was "'str' object has no attribute ...").
    One edited in place since (`Scenario.edited`) is validated again, like a variant:
    a bad value (`s.roster[0].agents = -2`) is a ScenarioError with one message per
    problem at its field, not an error deep inside numpy while simulating (a notebook
    walkthrough); a good one gives the validated copy (`"20"` read as 20.0, a roster
    line appended as a dict made a line), a variant of its file (`as_in_source`)."""
    if not isinstance(s, Scenario):
        raise TypeError(
            f"expected a Scenario — ccsim.load('file.yaml') — got {type(s).__name__} {s!r:.60}"
        )
    if not s.edited:
        return s
    label = f"{s.source.name if s.source is not None else 'the scenario'} (edited in place)"
    try:
        data = s.plain()  # (without pydantic's warnings on a wrong type: said below)
    except (ValueError, TypeError, AttributeError) as exc:  # (pydantic cannot write it)
        msg = f"a value set in place is none a scenario field can hold: {exc}"
        raise ScenarioError([Message(label, None, None, msg)]) from None
    if s.start_moved and isinstance(data.get("simulation"), dict):  # (as with_changes: a
        data["simulation"].pop("start_day", None)  # new start's day follows from it)
    return revalidate(s, data, label)


def revalidate(s: Scenario, data: dict[str, Any], label: str) -> Scenario:
    """`data` (a variant of `s`'s fields) validated as `s` was: its CSV files read from
    the same folder within the same limits, the same folders allowed."""
    return validate(
        data, label, s.base_dir, source=s.source, variant=True, allow_paths=s.allowed_paths,
        limits=s.file_limits,
    )  # fmt: skip


def validate_model(
    model: type[M],
    data: Any,
    name: str,
    lines: dict[Loc, int] | None = None,
    context: dict[str, Any] | None = None,
) -> M:
    """Any input file's model (a calendar, say) validated like a scenario: every problem
    as `file:line: field: message (expected …)`; raises ScenarioError."""
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        raise ScenarioError(in_file_order(_from_pydantic(exc, name, lines, model))) from None


def locate(problems: Iterable[Problem], name: str, lines: dict[Loc, int] | None) -> list[Message]:
    """Cross-field problems (a field path and a message) located at their lines."""
    return [_locate(p, name, lines) for p in problems]


def validate_paths(
    paths: Iterable[str | Path],
    allow_paths: str | Path | Iterable[str | Path] = (),
    limits: FileLimits = DEFAULT_FILE_LIMITS,
) -> dict[str, list[Message]]:
    """Validate files and folders (every *.yaml / *.yml inside); return messages per file."""
    results: dict[str, list[Message]] = {}
    for path, why in scan(paths, allow_paths):
        if why is not None:
            results[str(path)] = [Message(str(path), None, None, why)]
            continue
        try:
            scenario = load(path, allow_paths, limits)
        except ScenarioError as exc:  # its errors and its text's warnings, in file order
            results[str(path)] = in_file_order(exc.messages + exc.warnings)
        else:
            results[str(path)] = list(scenario.warnings)
    return results


def as_paths(paths: str | Path | Iterable[str | Path]) -> list[Path]:
    """One path or several, as a list (`check("a.yaml")` checked 'a', '.', … one
    character at a time: a path starting with '/' crawled the whole disk); TypeError for
    anything else (a Scenario iterates as its fields: `check(s)` was "expected str, bytes
    or os.PathLike object, not tuple")."""
    if isinstance(paths, Scenario):
        raise TypeError(
            "expected scenario file paths, got a Scenario: for one in memory, "
            "ccsim.simulate(s).checks()"
        )
    if isinstance(paths, str | os.PathLike):
        return [Path(paths)]
    items = list(paths) if isinstance(paths, Iterable) else None  # (a generator: read once)
    if items is None or not all(isinstance(p, str | os.PathLike) for p in items):
        raise TypeError(f"expected a file path or a list of them, got {units.shown(paths)}")
    return [Path(p) for p in items]


def expand_paths(paths: str | Path | Iterable[str | Path]) -> list[Path]:
    """Files as given (one path, or several); folders replaced by their *.yaml / *.yml
    files (`scan`), each once."""
    return [f for f, _ in scan(paths)]


def scan(
    paths: str | Path | Iterable[str | Path], allow_paths: str | Path | Iterable[str | Path] = ()
) -> list[tuple[Path, str | None]]:
    """Files as given (one path, or several); folders replaced by their *.yaml / *.yml
    files (any case; recursively, sorted, linked folders followed — until 2026-12-06 a
    linked subfolder was skipped and `validate` passed without reading it), hidden files
    and folders left out (`validate .` in a project read the YAML of `.venv/` and
    `.github/`: 167 messages not the user's); each file once (a file named twice was
    checked twice, and a JUnit report held it once). Each with None, or why it is not
    read: a link found in a folder that leads outside it (and outside `allow_paths`) —
    a pull request's `cred.yaml -> ~/.git-credentials` had its first line quoted, and
    `up -> ..` read the whole parent folder (a CI walkthrough; docs/ci.md)."""
    allowed = [os.path.realpath(p) for p in as_paths(allow_paths)]
    out: list[tuple[Path, str | None]] = []
    for p in as_paths(paths):
        out += _yaml_files(p, allowed) if p.is_dir() else [(p, None)]
    unique: dict[str, tuple[Path, str | None]] = {}  # real path -> the first that named it
    for f, why in out:
        unique.setdefault(os.path.realpath(f) if why is None else str(f), (f, why))
    # a link out of one folder to what another argument reads anyway is read there, once
    # (`validate sc other` refused sc/b.yaml -> ../other/b.yaml and read other/b.yaml)
    given = [os.path.realpath(p) for p in as_paths(paths) if p.is_dir()]

    def read_anyway(f: Path) -> bool:
        real = os.path.realpath(f)
        inside = any(real == g or real.startswith(g.rstrip(os.sep) + os.sep) for g in given)
        return real in unique or inside

    return [(f, why) for f, why in unique.values() if why is None or not read_anyway(f)]


def _yaml_files(folder: Path, allowed: list[str]) -> list[tuple[Path, str | None]]:
    """The YAML files below `folder`, linked folders followed once each (a link loop
    ends), hidden ones left out; a link that leads outside `folder` and `allowed` not
    followed, but listed with why. An entry named *.yaml that is no regular file — a
    fifo, a link to a device or to nothing — is listed too, so that reading it names the
    problem (it was skipped: "2 of 2 valid" beside a broken link)."""
    root = os.path.realpath(folder)

    def outside(path: Path) -> str | None:
        if not os.path.islink(path):
            return None
        real = os.path.realpath(path)
        if any(real == r or real.startswith(r.rstrip(os.sep) + os.sep) for r in [root, *allowed]):
            return None
        where = f"a link to {units.printable(real)}, outside {units.printable(str(folder))}"
        if os.path.isdir(real):
            return f"{where}: not read (--allow-path {units.printable(real)} reads it)"
        return f"{where}: not read (name the file itself, or --allow-path its folder, to read it)"

    found: list[tuple[Path, str | None]] = []
    visited: set[str] = set()
    for here, dirs, files in os.walk(folder, followlinks=True):
        real = os.path.realpath(here)
        if real in visited:
            dirs[:] = []
            continue
        visited.add(real)
        kept = []
        for d in sorted(d for d in dirs if not d.startswith(".")):
            if (why := outside(Path(here) / d)) is None:
                kept.append(d)
            elif _holds_yaml(Path(here) / d):  # (a linked data folder is no scenario's)
                found.append((Path(here) / d, why))
        dirs[:] = kept
        for name in files:
            f = Path(here) / name
            if not name.startswith(".") and f.suffix.lower() in (".yaml", ".yml"):
                found.append((f, outside(f) if os.path.exists(f) else None))
    return sorted(found, key=lambda item: item[0])


def _holds_yaml(folder: Path) -> bool:
    """`folder` has a *.yaml or *.yml file at its top (its names listed, nothing read)."""
    try:
        with os.scandir(folder) as entries:
            return any(
                not e.name.startswith(".") and e.name.lower().endswith((".yaml", ".yml"))
                for e in entries
            )
    except OSError:
        return False


def _line_of(loc: Loc, lines: dict[Loc, int] | None) -> int | None:
    """Line of the field, or of its nearest ancestor present in the file (None when
    there is no file: a what-if change)."""
    if lines is None:
        return None
    for n in range(len(loc), -1, -1):
        if loc[:n] in lines:
            return lines[loc[:n]]
        as_text = (*loc[: n - 1], str(loc[n - 1])) if n else ()  # a key YAML read as a number
        if n and as_text in lines:  # (the file's keys are kept as text)
            return lines[as_text]
    return 1


_NAMED = re.compile(r"`(\w+)(?:\[(\d+)\])?[`:]")  # `concurrency`, `discipline: edf`, `breaks[1]`


def _locate(p: Problem, name: str, lines: dict[Loc, int] | None) -> Message:
    """The message at the line of its field — or, when it names a key of that field in
    backticks that the file holds, at that key's line (`concurrency` on an e-mail
    channel was reported at the channel's first line; a break past its shift's end, at
    the `breaks:` line)."""
    named = [(*p.loc, key, *([int(i)] if i else [])) for key, i in _NAMED.findall(p.message)]
    inside = next((loc for loc in named if lines is not None and loc in lines), None)
    return Message(name, _line_of(inside or p.loc, lines), p.field, p.message, p.warning)


# --- pydantic errors as plain messages -------------------------------------------------

SURE_SLIP = 0.8  # similarity above which an unknown key is taken for the key it resembles

_TYPE_WORDS = {
    "float": "a number",
    "int": "a whole number",
    "bool": "true or false",
    "string": "text",
    "dict": "a mapping (key: value)",
    "list": "a list",
    "model": "a mapping (key: value)",
    "date": units.DATE_HELP,
}


def _from_pydantic(
    exc: ValidationError, name: str, lines: dict[Loc, int] | None, root: type[BaseModel] = Scenario
) -> list[Message]:
    messages: list[Message] = []
    seen: set[tuple[Loc, str]] = set()
    errors = _prune_union_noise(exc.errors(include_url=False))
    # `skils:` is one problem: the "did you mean 'skills'?" says it; not also "skills:
    # required field is missing"
    meant = {  # (only a near-certain slip: `group_notes` may sit beside a missing `groups`)
        (*loc[:-1], key)
        for loc in (_clean_loc(e["loc"]) for e in errors if e["type"] == "extra_forbidden")
        if (key := _closest(loc, root)) is not None and _slip(str(loc[-1]), key)
    }
    for err in errors:
        loc = _clean_loc(err["loc"])
        if err["type"] == "missing" and loc in meant:
            continue
        text = _describe(err, loc, root)  # (at the model's field: a duration's units)
        key = "[key]" in err["loc"]  # a mapping's key refused (pydantic wrote `true` as 1)
        named = key and err["type"] == "string_type"  # `123:`, `true:`
        if named or err["type"] == "invalid_key":  # (`1.5:` among the scenario's own keys)
            text = _not_text(err["input"], "name" if named else "key")
        if key or err["type"] == "invalid_key":  # the key itself, as YAML read it: a
            loc = (*loc[:-1], err["input"])  # week `1.5:` is weeks[1.5], not weeks.1.5
        if err["type"] != "missing" and lines and _shorthand(loc, lines, root):
            loc = loc[:-1]  # a shorthand's value (`max_abandon: 1.5` is {at_most: 1.5})
        if (loc, text) in seen:
            continue
        seen.add((loc, text))
        messages.append(_locate(Problem(loc, text), name, lines))
    return messages


def _not_text(key: object, what: str) -> str:
    """What is wrong with a key YAML read as a number, a boolean or null."""
    if key is None:  # `null:`, `~:` or nothing before the colon
        return f"a {what} is empty (null or nothing before the colon; expected text)"
    return f"the {what} {units.shown(key)} is not text (write it in quotes)"


_TAG = re.compile(
    r"^((function-(before|after|plain|wrap)|list|dict|literal|is-instance|lax-or-strict|"
    r"json-or-python|nullable|tagged-union|union|frozenset|set|tuple)\[.*\]|constrained-\w+|"
    r"str|float|int|bool|IntradayCSV|Patience|Distribution|AngerModel|intraday-profile|"
    r"intraday-by-day)$"
)


def _clean_loc(loc: tuple) -> Loc:
    """Drop pydantic's union-branch and validator tags from a location, and the `[key]`
    of a mapping's refused key (the key's own field names it)."""
    return tuple(p for p in loc if not (isinstance(p, str) and (p == "[key]" or _TAG.match(p))))


def _mismatch(err: dict) -> bool:
    """A union branch refused the value's type as a whole (its location ends at the
    branch's tag): `intraday` given a list, refused by the text branch."""
    last = err["loc"][-1] if err["loc"] else None
    kind = err["type"]
    wrong_type = kind.endswith("_type") or kind in ("literal_error", "is_instance_of")
    return wrong_type and isinstance(last, str) and last != "[key]" and bool(_TAG.match(last))


def _prune_union_noise(errors: list[dict]) -> list[dict]:
    """For a union field, keep the errors of the branch the user most likely meant: a
    branch that took the value's type and refused something inside it (a list with one
    bad weight) over the branches that refused the type (`intraday: [.., x, ..]` gave
    "expected text" beside "[14]: expected a number"); else the most specific error."""
    inside = [_clean_loc(e["loc"]) for e in errors if not _mismatch(e)]

    def entered(loc: Loc) -> bool:  # another branch refused something below `loc`
        return any(len(d) > len(loc) and d[: len(loc)] == loc for d in inside)

    errors = [e for e in errors if not (_mismatch(e) and entered(_clean_loc(e["loc"])))]
    by_loc: dict[Loc, list[dict]] = {}
    for err in errors:
        by_loc.setdefault(_clean_loc(err["loc"]), []).append(err)
    kept: list[dict] = []
    for errs in by_loc.values():
        if len(errs) > 1:
            wanted = ("value_error", "missing", "extra_forbidden")
            specific = [e for e in errs if e["type"] in wanted]
            kept += specific[:1] or errs[:1]
        else:
            kept += errs
    return kept


def _bound(value: Any, duration: bool) -> str:
    """A bound as the user wrote it: a duration (`31d`) or a number (`10,000,000`)."""
    if duration:
        return units.format_duration(float(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"  # exactly: a seed of 2**63 is not 9.22337e+18
    number = float(value)
    return f"{int(number):,}" if number.is_integer() and abs(number) < 1e15 else f"{number:g}"


def _describe(err: dict, loc: Loc, root: type[BaseModel] = Scenario) -> str:
    """One readable sentence for a pydantic error, saying what was expected."""
    kind, ctx, raw = err["type"], err.get("ctx") or {}, err.get("input")
    got = "nothing" if raw is None else units.shown(raw)  # (an empty value was `None`)
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return (
            f"unknown key {units.shown(loc[-1])}{_did_you_mean(loc, root)}"
            if loc
            else "unknown key"
        )
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    if kind == "literal_error":
        return f"got {got} (expected {ctx.get('expected')})"
    if kind == "finite_number":
        return f"got {got} (expected a finite number)"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        words = {
            "greater_than": "greater than",
            "greater_than_equal": "at least",
            "less_than": "less than",
            "less_than_equal": "at most",
        }
        bound = next(v for k, v in ctx.items() if k in ("gt", "ge", "lt", "le"))
        duration = _is_duration(loc, root)
        shown = _bound(raw, duration) if isinstance(raw, int | float) else got
        hint = ""
        # a share written as a percentage (`at_least: 80`, `shrinkage: 30`): not 1.5,
        # no percent, nor 100 under a strict bound (shrinkage < 1: "write 1" is refused)
        percent = isinstance(raw, int | float) and 2 <= raw <= 100
        if raw == 100 and kind == "less_than":
            percent = False
        if bound == 1 and kind.startswith("less") and percent:
            hint = f"; for {raw:g} %, write {raw / 100:g}"
        elif loc and loc[-1] in OVER_ONE_SHARES and kind.startswith("less") and percent:
            hint = f"; for {raw:g} %, write {raw / 100:g}"  # (`overhead: 35`: then `10` ran)
        return f"got {shown} (expected a value {words[kind]} {_bound(bound, duration)}{hint})"
    if kind.startswith("date_from_datetime"):  # 2027-13-01, 2027-02-30
        return f"got {got} (no such day; expected {units.DATE_HELP})"
    if kind == "int_from_float":
        return f"got {got} (expected a whole number)"
    if kind.endswith(("_type", "_parsing")):
        expected = next((w for k, w in _TYPE_WORDS.items() if kind.startswith(k)), "another type")
        # a share written `10%` (the command line's --target takes it; a file does not)
        percent = (
            re.fullmatch(r"\s*([0-9]+(?:\.[0-9]*)?)\s*%\s*", raw) if isinstance(raw, str) else None
        )
        number = kind.startswith(("float_", "int_"))  # (not a mapping of shares: `mix: "94%"`)
        over_one = bool(loc) and loc[-1] in OVER_ONE_SHARES
        if percent and number and (_is_share(loc, root) or over_one):
            expected += f"; for {percent[1]} %, write {float(percent[1]) / 100:g}"
        thousands = (  # `weekly: 1,200`, as ccsim prints numbers: the commas left out
            re.fullmatch(r"\s*[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?\s*", raw)
            if isinstance(raw, str)
            else None
        )
        if thousands and number:
            expected += f"; write {raw.strip().replace(',', '')}, without the thousands commas"
        return f"{'empty' if raw is None else f'got {got}'} (expected {expected})"
    if kind in ("too_short", "too_long"):  # pydantic: "Dictionary should have at least 1
        # item after validation, not 0"
        bound = ctx.get("min_length" if kind == "too_short" else "max_length")
        count = ctx.get("actual_length")
        what = "at least" if kind == "too_short" else "at most"
        if isinstance(bound, int) and isinstance(count, int):
            entries = "entry" if bound == 1 else "entries"
            if count == 0:  # `reasons: {}` read "got 0"
                return f"empty (expected {what} {bound:,} {entries})"
            return f"got {count:,} (expected {what} {bound:,} {entries})"
    return f"{err['msg']} (got {got})"


def _metadata(loc: Loc, root: type[BaseModel] = Scenario) -> list[Any]:
    """The validators and constraints of the field at `loc` (none for a list's item or a
    mapping's value)."""
    if not loc or not isinstance(loc[-1], str):
        return []
    model = _model_at(loc[:-1], root)
    field = model.model_fields.get(loc[-1]) if model is not None else None
    if field is None:
        return []
    found = [m for a in _flatten(field.annotation) for m in getattr(a, "__metadata__", ())]
    # a nested `Annotated[float, Field(le=1)]` (a mapping's values) holds its constraints
    # in a FieldInfo; the field's own are unpacked already
    found = [c for m in found for c in (m.metadata if isinstance(m, FieldInfo) else [m])]
    return found + list(field.metadata)


def _is_duration(loc: Loc, root: type[BaseModel] = Scenario) -> bool:
    """Whether the field at `loc` is a duration (its values are minutes internally)."""
    return any(getattr(v, "func", None) is units.parse_duration for v in _metadata(loc, root))


def _is_share(loc: Loc, root: type[BaseModel] = Scenario) -> bool:
    """Whether the field at `loc` is a share (bounded by 1: `at_least`, `shrinkage`), or
    a value of a mapping of shares (`mix: {phone: …}`: no hint for `"70%"` there until
    2026-12-07)."""

    def bounded(at: Loc) -> bool:
        return any(
            1 in (getattr(v, "le", None), getattr(v, "lt", None)) for v in _metadata(at, root)
        )

    daily = len(loc) >= 2 and loc[-2] == "daily" and isinstance(loc[-1], int)  # shares of 1
    return daily or bounded(loc) or (_in_mapping(loc, root) and bounded(loc[:-1]))


def _in_mapping(loc: Loc, root: type[BaseModel] = Scenario) -> bool:
    """Whether `loc` is a value of a field that is a mapping (`reasons.x.mix.phone`)."""
    model = _model_at(loc[:-2], root) if len(loc) >= 2 and isinstance(loc[-2], str) else None
    field = model.model_fields.get(loc[-2]) if model is not None else None
    return field is not None and any(
        typing.get_origin(c) is dict for c in _flatten(field.annotation)
    )


def _slip(written: str, key: str) -> bool:
    """`written` is near-certainly `key` mistyped: the same letters (`nmae`), or close
    (`skils`) — not a key of its own that only resembles it (`group_notes`)."""
    same = sorted(written) == sorted(key)
    return same or difflib.SequenceMatcher(None, written, key).ratio() >= SURE_SLIP


def _did_you_mean(loc: Loc, root: type[BaseModel] = Scenario) -> str:
    """Suggest the closest allowed key for an unknown key at `loc`."""
    model = _model_at(loc[:-1], root)
    if model is None:
        return ""
    close = _closest(loc, root)
    if close is not None and _slip(str(loc[-1]), close):  # `group` for `groups`
        return f"; did you mean {close!r}?"
    if under := _belongs_under(str(loc[-1]), model):  # (before a near name: `replications`
        return f" here: it belongs under {under}"  # got "did you mean 'escalation'?")
    if close is not None:
        return f"; did you mean {close!r}?"
    allowed = [f.alias or name for name, f in model.model_fields.items()]
    return f" (expected one of: {', '.join(allowed)})"


def _belongs_under(key: str, model: type[BaseModel]) -> str | None:
    """Where an unknown `key` of `model` belongs when one block of it has such a field:
    `seed` at the top level is `simulation: (simulation.seed)` and `wage` is `groups:
    (groups.NAME.wage)` — they were "did you mean 'escalation'?" and "'anger'?" (a hand
    editor's walkthrough). None when no block, or several, have it."""
    found = []
    for name, field in model.model_fields.items():
        inner = _model_at((name,), model)
        if inner is None or key not in {f.alias or n for n, f in inner.model_fields.items()}:
            continue
        origins = {typing.get_origin(c) for c in _flatten(field.annotation)}
        block = field.alias or name
        entry = ".NAME" if dict in origins else "[i]" if list in origins else ""
        found.append(f"{block}: ({block}{entry}.{key})")
    return found[0] if len(found) == 1 else None


def _closest(loc: Loc, root: type[BaseModel] = Scenario) -> str | None:
    """The allowed key closest to the unknown key at `loc` (None: none is close)."""
    model = _model_at(loc[:-1], root)
    if model is None:
        return None
    allowed = [f.alias or name for name, f in model.model_fields.items()]
    close = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
    return close[0] if close else None


def _shorthand(loc: Loc, lines: dict[Loc, int], root: type[BaseModel]) -> bool:
    """`loc` is a field of a model the file wrote as a shorthand value (`max_abandon:
    1.5`, `patience: 400d`): the field's line is not in the file, its parent's is (a
    mapping's own key, `weeks: {47: 0}`, is not such a field)."""
    if not loc or loc in lines or loc[:-1] not in lines or not isinstance(loc[-1], str):
        return False
    parent = _model_at(loc[:-1], root)
    return parent is not None and loc[-1] in parent.model_fields


def _model_at(loc: Loc, root: type[BaseModel] = Scenario) -> type[BaseModel] | None:
    """The pydantic model class that validates the mapping at `loc` (None if not a model)."""
    model: Any = root
    i = 0
    while i < len(loc):
        field = model.model_fields.get(loc[i]) if isinstance(loc[i], str) else None
        if field is None:
            return None
        classes = _flatten(field.annotation)
        model = next((c for c in classes if isinstance(c, type) and issubclass(c, BaseModel)), None)
        if model is None:
            return None
        i += 1
        if any(typing.get_origin(c) in (dict, list) for c in classes):
            i += 1  # skip the user's name or the list index
    return model


def _flatten(annotation: Any) -> list[Any]:
    """Every class mentioned in a (possibly nested generic / Annotated) annotation."""
    out: list[Any] = []
    stack = [annotation]
    while stack:
        a = stack.pop()
        out.append(a)
        stack.extend(typing.get_args(a))
    return out
