"""What-if variants of a scenario: field paths set to new values, validated like a file.

A change is a field path and a value: `arrivals.phone.weekly: 4800`,
`roster[0].agents: 12` (or `roster[generalist/late].agents`: the line by its group and
shift), `arrivals.*.weekly: "*1.15"` (`*`: every key or line there),
`channels.whatsapp.open: {mon-fri: "09:00-18:00"}`,
`anger: off`. A value `"*1.2"` (or `"x1.2"`) scales the current number. Every variant
is validated like a scenario file (structure and cross-field rules), so a change that
breaks a rule is reported with its field path.

A value replaces what is at its path, except that a switch (`off`, `on`, true, false)
given to a block with an `enabled` field sets only that field: `anger: on` keeps the
file's curve. A mapping that replaces a block of fields (`arrivals.phone: {weekly: 550}`)
must not lose a value the scenario sets for a field it leaves out (nor a later change
names): that is refused, naming them (`daily` went to uniform and three quarters of the
calls fell outside the phone's hours, silently, until 2026-12-06). A shorthand
(`patience: 4min`) is the format's whole block, as in a file, and is held to the same
rule: where it would change the family or drop a balk it is refused (a Weibull
patience became an exponential without balking, silently, until 2026-12-08).
"""

from __future__ import annotations

import difflib
import re
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel

from ccsim.scenario import rules, units
from ccsim.scenario.loader import locate, revalidate, valid
from ccsim.scenario.model import Distribution, Patience, Scenario, switch
from ccsim.scenario.problems import Message, ScenarioError, field_path

# a name, `[0]`, `[*]`, or `[group/shift]`
_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+|\*)\]|\[([^\[\]]+/[^\[\]]+)\]")
CHANGES = "<changes>"  # the "file" named in a variant's messages
FOLLOWS = {"start_day": "start"}  # a field that follows from another when that is given


def parse_path(path: str) -> list[str | int | Line]:
    """`roster[0].agents` → ["roster", 0, "agents"]; `roster[generalist/late].agents` →
    ["roster", Line("generalist/late"), "agents"]: a roster line by its group and shift
    (`with_changes` finds its number)."""
    parts: list[str | int | Line] = []
    end = 0
    for m in _TOKEN.finditer(path):
        name, index, line = m.groups()
        between = path[end : m.start()]  # a name after a dot (but the first), `[…]` right after
        if between != ("." if name and parts else ""):
            break
        parts.append(name or ("*" if index == "*" else int(index)) if line is None else Line(line))
        end = m.end()
    if not parts or end != len(path):  # (what the tokens did not read)
        raise ValueError(
            f"cannot read the field path {path!r} (expected e.g. roster[0].agents or "
            "roster[generalist/late].agents)"
        )
    return parts


@dataclass(frozen=True)
class Line:
    """A roster line named by its group and shift in a field path: `generalist/late`
    (a name may hold a `/` itself: the line whose `group/shift` reads so)."""

    text: str

    def of(self, line: dict) -> bool:
        return f"{line['group']}/{line['shift']}" == self.text

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class _Change:
    """One field set: `shown` in messages, its `parts`, the `value`, and the `path`
    written (a `*` path is one change per key there)."""

    shown: str
    parts: list[str | int]
    value: Any
    path: str


def _resolved(data: dict, changes: Mapping[str, Any], label: str) -> list[_Change]:
    """Each change as (path, parts, value): a roster line named by group and shift made
    its number, and a path with a `*` part made one change per key (or line) there, each
    set to the value — `arrivals.*.weekly: "*1.15"` scales every channel's volume (a
    sweep over it took every combination of one `--set` per channel: 32 variants for 5
    channels where 2 were meant; a walkthrough, 2026-12-07). A field set by two changes
    is refused: one of them was lost (`arrivals.phone.weekly` beside `arrivals.*.weekly`)."""
    out: list[_Change] = []
    by: dict[str, str] = {}  # a field's path → the change that set it
    for path, value in changes.items():
        try:
            parts = _numbered(data, parse_path(path), label, path, value)
        except ValueError as exc:
            lines = data.get("roster") if path.startswith("roster[") else None  # (roster[late])
            said = f"{exc}; {_lines(lines)}" if lines else str(exc)
            raise ScenarioError([Message(label, None, path, said)]) from None
        found: list[list[str | int]] = [[]]
        for part in parts:
            grown = [[*f, k] for f in found for k in _keys(data, f)] if part == "*" else []
            if part == "*" and not grown:
                where = _written(found[0]) or "the scenario"
                msg = f"* stands for every key of {where}, and it has none"
                raise ScenarioError([Message(label, None, path, msg)])
            found = grown if part == "*" else [[*f, part] for f in found]
        for f in found:
            field = _written(f)
            if field in by:
                msg = (
                    f"{field} is set by {by[field]!r} and by {path!r}: give it once (one of "
                    "them would be lost)"
                )
                raise ScenarioError([Message(label, None, path, msg)])
            by[field] = path
            shown = path if len(found) == 1 and "*" not in parts else f"{path} ({field})"
            out.append(_Change(shown, f, value, path))
    return out


def _folded(messages: list[Message], resolved: list[_Change]) -> list[Message]:
    """The same problem on every key of a `*` path said once, at the path written:
    `arrivals.*.wekly: unknown key 'wekly'`, `arrivals.*.daily[6]: got 'a'` (they were
    said once per channel). A problem on some of the keys stays on each of them."""
    stars: dict[str, list[str]] = {}  # a * path → the fields it set
    for change in resolved:
        if change.shown != change.path:
            stars.setdefault(change.path, []).append(_written(change.parts))

    def placed(m: Message) -> tuple[str, str, str] | None:
        """(the * path, the field under it, the rest of the message's field)."""
        for path, fields in stars.items():
            for f in fields:
                rest = (m.field or "")[len(f) :]
                if (m.field or "").startswith(f) and rest[:1] in ("", ".", "["):
                    return path, f, rest
        return None

    where = {id(m): placed(m) for m in messages}

    def text(m: Message) -> str:  # the message with its key written as the * path
        at = where[id(m)]
        return m.message if at is None else m.message.replace(at[1], at[0])

    out: list[Message] = []
    said: set[tuple[str, str, str]] = set()
    for m in messages:
        at = where[id(m)]
        if at is None or len(stars[at[0]]) < 2:
            out.append(m)
            continue
        path, _, rest = at
        alike = {
            w[1]
            for x in messages
            if (w := where[id(x)]) and (w[0], w[2], text(x)) == (path, rest, text(m))
        }
        if alike != set(stars[path]):
            out.append(m)
        elif (path, rest, text(m)) not in said:
            said.add((path, rest, text(m)))
            out.append(Message(m.file, m.line, path + rest, text(m), m.warning))
    return out


def _numbered(
    data: dict, parts: list[str | int | Line], label: str, path: str, value: Any = None
) -> list[str | int]:
    """`parts` with a roster line named by group and shift replaced by its number; one
    that names no line, or two, is refused with the roster's lines — but
    `roster[GROUP/SHIFT].agents` set to a number for a group and a shift of the scenario
    that no line has adds that line (a what-if "two supervisors in the evening" could
    not be said with --set: a walkthrough)."""
    out: list[str | int] = []
    for k, part in enumerate(parts):
        if not isinstance(part, Line):
            out.append(part)
            continue
        if out != ["roster"]:
            msg = f"[{part}] names a roster line by its group and shift: roster[{part}]"
            raise ScenarioError([Message(label, None, path, msg)])
        lines = data.get("roster") or []
        found = [k for k, x in enumerate(lines) if part.of(x)]
        new = _new_line(data, part)
        if not found and new is not None and parts[k + 1 :] == ["agents"] and not _scales(value):
            data["roster"] = lines = [*lines, {**new, "agents": 0}]
            found = [len(lines) - 1]
        if len(found) != 1:
            what = "no roster line is" if not found else f"{len(found)} roster lines are"
            msg = f"{what} {part}: " + (_lines(lines) if lines else "there is no roster")
            if not found and new is not None:  # (`*2`, or another field of it)
                msg += f"; a number of agents adds it: roster[{part}].agents=2"
            raise ScenarioError([Message(label, None, path, msg)])
        out.append(found[0])
    return out


def _new_line(data: dict, line: Line) -> dict[str, str] | None:
    """The group and shift of the scenario a roster line's name reads (`supervisor/evening`:
    a name may hold a `/` itself), if exactly one pair does."""
    groups, shifts = data.get("groups") or {}, data.get("shifts") or {}
    pairs = [(g, s) for g in groups for s in shifts if f"{g}/{s}" == line.text]
    return {"group": pairs[0][0], "shift": pairs[0][1]} if len(pairs) == 1 else None


def _keys(data: Any, parts: list[str | int]) -> list[str | int]:
    """The keys of the mapping, or the line numbers of the list, at `parts` (none where
    neither is)."""
    for part in parts:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return []
    if isinstance(data, list):
        return list(range(len(data)))
    return list(data) if isinstance(data, dict) else []


def _written(parts: list[str | int | Line] | list[str | int]) -> str:
    """The path of `parts` as `parse_path` reads it: `arrivals.phone.weekly`, `roster[1]`."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int | Line) else f".{part}" if text else part
    return text


def _lines(lines: list[dict]) -> str:
    """`the roster's lines are roster[0] (generalist/early), roster[1] (generalist/late)`
    (the lines of a validated scenario's plain data)."""
    named = [f"roster[{k}] ({x['group']}/{x['shift']})" for k, x in enumerate(lines)]
    return "the roster's lines are " + units.listed(named)


def with_changes(s: Scenario, changes: dict[str, Any], *, label: str = CHANGES) -> Scenario:
    """A new, validated scenario: `s` with each field path set to its value (`*1.2` or
    `x1.2` scales the number there; `x2` sets a text field to "x2"; `+1` is refused, not
    read as 1). `label` names the variant in messages (`compare` gives its name)."""
    if not isinstance(changes, Mapping):
        raise TypeError(f"changes: expected {{field path: value}}, got {type(changes).__name__}")
    s = valid(s)
    data = s.plain()  # CSV profiles as the weights read: nothing is read again
    resolved = _resolved(data, changes, label)
    changes = {c.shown: c.value for c in resolved}  # as resolved, in order
    paths: dict[str, list[str | int]] = {c.shown: c.parts for c in resolved}
    blocks: dict[str, BaseModel] = {}  # path → the block of fields a mapping replaced
    for change in resolved:
        path, parts, value = change.shown, change.parts, change.value
        parent = data
        try:
            for part in parts[:-1]:
                parent = parent[part]
            key = parts[-1]
            if isinstance(value, str) and value[:1] == "+" and units.is_number(value[1:]):
                msg = (  # ("+1" was read as 1: roster[0].agents went from 4 to 1)
                    f"{value} is not an increment: give the new value, or scale the number "
                    f"there with *N (it holds {units.shown(parent[key])})"
                )
                raise ScenarioError([Message(label, None, path, msg)])
            held = parent.get(key) if isinstance(parent, dict) else parent[key]  # (new key: None)
            if isinstance(held, dict) and "enabled" in held:
                on = switch(value)  # `anger: on` switches the file's curve on
                if on is not None:
                    held["enabled"] = on
                    continue
            old = _field(s, parts)
            if _blocks(old) and (isinstance(value, Mapping) or _bare(old, value)):
                blocks[path] = old  # (a shorthand, `patience: 4min`, is the whole block)
            if _scales(value) and not (value[0] == "x" and isinstance(held, str)):  # `name: x2`
                held = parent[key]  # (nothing there to scale: no such field)
                if isinstance(held, bool) or not isinstance(held, int | float):
                    msg = f"{value} scales a number; the field holds {units.shown(held)}"
                    raise ScenarioError([Message(label, None, path, msg)])
                value = held * float(value[1:])
            if isinstance(value, pd.DataFrame):  # (`p.roster`, its agents edited in a notebook)
                value = _records(value, _item_model(s, parts))
            parent[key] = value
        except (KeyError, IndexError, TypeError):
            msg = "no such field in the scenario" + _did_you_mean(data, parts)
            lines = data.get("roster") if parts[0] == "roster" and len(parts) > 1 else None
            if lines and not (isinstance(parts[1], int) and parts[1] < len(lines)):
                msg += f"; {_lines(lines)} (or roster[GROUP/SHIFT])"  # (roster[9], roster[late])
            raise ScenarioError([Message(label, None, path, msg)]) from None
    if not changes:  # its file's scenario still, with the file's own warnings
        return s.model_copy()
    start = changes.get("simulation.start")
    if start is not None and "simulation.start_day" not in changes:  # FOLLOWS
        data["simulation"].pop("start_day", None)  # it follows from the date (a date not a
        # Monday was refused: "is a wed, but start_day says mon", the day the copy held)
    try:
        variant = revalidate(s, data, label)
    except ScenarioError as exc:  # a block set whole may be why: `simulation: {start: …}`
        said = exc.messages + _reset(None, paths, blocks, changes, label)
        raise ScenarioError(_folded(said, resolved)) from None
    if reset := _reset(variant, paths, blocks, changes, label):
        raise ScenarioError(_folded(reset, resolved))
    said = _written_bare(data, resolved, label) + _far_off(s, variant, resolved, label)
    if said:
        return variant.with_origin(s.source, [*variant.warnings, *said], True)
    return variant


# fields where a value ten times off what the scenario held is more likely a slip than a
# what-if: a weekly volume set to 1.2 (for +20 %), a wage in cents
QUANTITIES = ("weekly", "wage")
FAR = 10.0


def _far_off(s: Scenario, variant: Scenario, resolved: list[_Change], label: str) -> list[Message]:
    """Warnings for a weekly volume or a wage changed more than ten times up or down:
    `arrivals.chat.weekly=1.2`, meant as +20 %, simulated 1.2 chats a week, and `*20`
    twenty times the chats, without a word (a planner's walkthrough); 0 is a what-if."""
    out = []
    for c in resolved:
        if c.parts[-1] not in QUANTITIES:
            continue
        old, new = _field(s, c.parts), _field(variant, c.parts)
        numbers = all(isinstance(x, int | float) and not isinstance(x, bool) for x in (old, new))
        if not numbers or old <= 0 or new == 0:
            continue
        ratio = new / old
        if 1 / FAR * (1 - 1e-9) <= ratio <= FAR * (1 + 1e-9):  # (1.4 for 14: ×0.1, not less)
            continue
        k = float(c.value[1:]) if _scales(c.value) else None
        if k is not None:  # `*20` or `*0.05` for 20 % or 5 % more
            more = k if k > 1 else 100 * k
            hint = f"for {more:g} % more, write *{1 + more / 100:g}"
        elif c.parts[-1] == "wage" and new > old:
            hint = f"a wage per paid hour: in cents, it is {new / 100:,.10g}"
        elif new < old and new <= FAR:  # `1.2` for +20 %
            hint = f"to scale the number there, write *{c.value}"
        else:
            hint = "check that it is the number meant"
        times = f"{ratio:,.0f}" if ratio > 1 else f"{ratio:.2g}"
        msg = f"{c.value} sets {old:,.10g} to {new:,.10g} (×{times}): {hint}"
        out.append(Message(label, None, c.shown, msg, warning=True))
    return out


def _written_bare(data: dict, resolved: list[_Change], label: str) -> list[Message]:
    """A file's warnings on bare numbers (`rules.written`) for the values the changes
    gave — not those they scaled (`*2` keeps the unit) nor the scenario's own, all
    minutes by now: `sweep(s, {"targets.phone.service[0].within": [20, 30]})` measured
    20 and 30 minutes without a word, where a file is warned (a walkthrough)."""
    given = [tuple(c.parts) for c in resolved if not _scales(c.value)]
    found = [p for p in rules.written(data) if any(p.loc[: len(parts)] == parts for parts in given)]
    return _folded(locate(found, label, None), resolved)


def _scales(value: Any) -> bool:
    """`*1.2` or `x1.2`: scale the number there (`x2` for a text field is its text)."""
    return isinstance(value, str) and value[:1] in "*x" and units.is_number(value[1:])


def _item_model(s: Scenario, parts: list[str | int]) -> type[BaseModel] | None:
    """The model of a list field's items (`roster`: RosterLine), None if not a list of
    models."""
    parent = _field(s, parts[:-1]) if parts[:-1] else s
    if not isinstance(parent, BaseModel) or not isinstance(parts[-1], str):
        return None
    names = {f.alias or name: f for name, f in type(parent).model_fields.items()}
    field = names.get(parts[-1])
    args = typing.get_args(field.annotation) if field is not None else ()
    return next((a for a in args if isinstance(a, type) and issubclass(a, BaseModel)), None)


def _records(table: pd.DataFrame, model: type[BaseModel] | None) -> list[dict[str, Any]]:
    """A table's rows as a list field's items: only the columns the items' `model` has
    (a plan's roster table has `start`, `paid_hours`, … beside a roster line's group,
    shift and agents: it was "roster[0]: got 'group'", a DataFrame read as its column
    names), as plain Python values."""
    fields = None if model is None else {f.alias or n for n, f in model.model_fields.items()}
    columns = [c for c in table.columns if fields is None or c in fields]
    return [
        {c: v.item() if isinstance(v, np.generic) else v for c, v in zip(columns, row, strict=True)}
        for row in table[columns].itertuples(index=False, name=None)
    ]


def _field(s: Scenario, parts: list[str | int]) -> Any:
    """What the validated scenario holds at a field path (None where it cannot tell):
    a pydantic model is a block of fields, a dict holds the file's own keys (opening
    hours, channels by name) that a value replaces whole."""
    node: Any = s
    for part in parts:
        if isinstance(node, BaseModel) and isinstance(part, str):
            names = {f.alias or name: name for name, f in type(node).model_fields.items()}
            node = getattr(node, names.get(part, part), None)
        elif isinstance(node, dict | list) and isinstance(part, str) == isinstance(node, dict):
            try:
                node = node[part]
            except (KeyError, IndexError):
                return None
        else:
            return None
    return node


def _blocks(old: Any) -> bool:
    """A block of fields (a pydantic model), or a dict of them by name (`arrivals`,
    `channels`, `reasons`): what a mapping given for it must not empty silently (a
    channel's `daily` went to uniform inside `arrivals={…, phone: {weekly: 550}}`, as
    one level down: a review)."""
    if isinstance(old, dict):
        return any(isinstance(v, BaseModel) for v in old.values())
    return isinstance(old, BaseModel)


def _bare(old: BaseModel, value: Any) -> bool:
    """A duration given for a whole distribution (`patience=2min`): the format's
    shorthand, an exponential or a fixed time of that mean — which dropped a Weibull
    patience's shape and its balking without a word, and a planner's "shorter patience"
    then lost fewer calls (a notebook walkthrough)."""
    if not isinstance(old, Distribution) or isinstance(value, bool):
        return False
    if not isinstance(value, str | int | float) or _scales(value):
        return False
    try:  # (not a duration: its own error says so, and nothing more)
        units.parse_duration(value)
    except ValueError:
        return False
    return True


def _reset(
    variant: Scenario | None,
    paths: dict[str, list[str | int]],
    blocks: dict[str, BaseModel],
    changes: Mapping[str, Any],
    label: str,
) -> list[Message]:
    """One message per mapping that replaced a block of fields — or a block inside it
    (`channels.phone: {patience: {mean: 4min}, …}`) — and changed a field the scenario
    set that neither it nor a later change names: the scenario's value is lost. A
    parameter the new distribution has no use for (`shape` once `dist: exponential`)
    is not counted. Without a variant (it did not validate), every such field is named:
    its loss may be why (`simulation: {start: …}` dropped the interval)."""
    order = list(changes)
    nested = [
        block
        for path, old in blocks.items()
        for block in _inner(paths[path], old, changes[path], order.index(path))
    ]
    messages = []
    for parts, old, given_, after, bare in nested:
        new = old if variant is None else _field(variant, parts)
        if bare is not None:  # what the shorthand stands for, the variant valid or not
            # (not validated: only its fields are compared, and a mean of 0 is no
            # exponential's)
            new = type(old).model_construct(dist=_meant(old)[1], mean=old.mean)
        if not isinstance(new, BaseModel):
            continue
        depth = len(parts)
        named = (
            {str(k) for k in given_}
            | {  # a later path into the block names it
                str(paths[p][depth])
                for p in order[after + 1 :]
                if len(paths[p]) > depth and paths[p][:depth] == parts
            }
        )
        fields = type(old).model_fields
        key = {name: fields[name].alias or name for name in fields}
        switched = isinstance(new, Distribution) and new.dist != getattr(old, "dist", None)
        lost = [
            key[f]
            for f in sorted(old.model_fields_set & set(fields), key=list(fields).index)
            if key[f] not in named
            and FOLLOWS.get(key[f]) not in named
            and not (switched and f in ("cv", "shape") and getattr(new, f) is None)
            and ((variant is None and bare is None) or getattr(new, f, None) != getattr(old, f))
        ]
        if lost and bare is not None:
            where = field_path(tuple(parts))  # a shorthand: what it stands for, said
            messages.append(
                Message(
                    label,
                    None,
                    where,
                    f"{bare} is the whole block ({_meant(old)[0]} {bare}), "
                    f"so {units.listed(lost)} would lose the "
                    f"scenario's {'value' if len(lost) == 1 else 'values'} "
                    f"({_held(old, lost)}): to change the mean give {where}.mean; to replace "
                    "the block, give it as a mapping naming "
                    f"{'it' if len(lost) == 1 else 'them'}",
                )
            )
        elif lost:
            where = field_path(tuple(parts))
            example = f"{where}.{next(iter(given_), lost[0])}"
            messages.append(
                Message(
                    label,
                    None,
                    where,
                    f"sets the whole block, so {units.listed(lost)} would lose the scenario's "
                    f"{'value' if len(lost) == 1 else 'values'}: to change one value give "
                    f"its own path (e.g. {example}); to replace the block, name "
                    f"{'it' if len(lost) == 1 else 'them'} too",
                )
            )
    return messages


def _mapping(given: Any) -> Mapping[str, Any]:
    """What a change gave for a block, as a mapping: a shorthand duration is its mean."""
    return given if isinstance(given, Mapping) else {"mean": given}


def _held(old: BaseModel, names: list[str]) -> str:
    """`dist weibull, balk 0.05`: the values a change would lose."""
    return ", ".join(f"{n} {getattr(old, n)}" for n in names)


def _meant(old: BaseModel) -> tuple[str, str]:
    """What a bare duration stands for in place of `old` (model.py's shorthand), in
    words and as its `dist`."""
    if isinstance(old, Patience):
        return "an exponential of mean", "exponential"
    return "a fixed time of", "fixed"


def _inner(
    parts: list[str | int], old: BaseModel | dict[str, Any], given: Any, after: int
) -> list[tuple[list[str | int], BaseModel, Mapping[str, Any], int, Any]]:
    """The block a mapping (or a shorthand duration) replaced, then every block inside it
    that the mapping gives a mapping or a shorthand for, checked the same way (one
    level down the reset went unseen, and so did `patience: 2min` inside
    `channels.phone: {…}`): (parts, the scenario's block, the mapping given, after which
    change, the shorthand given or None)."""
    bare = None if isinstance(given, Mapping) else given
    given_ = _mapping(given)
    if isinstance(old, dict):  # entries by name: each one given is a block (the others go)
        inside_of = old.get
        out = []
    else:
        names = {f.alias or name: name for name, f in type(old).model_fields.items()}
        inside_of = lambda k: getattr(old, names.get(k, k), None)  # noqa: E731
        out = [(parts, old, given_, after, bare)]
    for k, value in given_.items():
        inside = inside_of(str(k))
        if _blocks(inside) and (isinstance(value, Mapping) or _bare(inside, value)):
            out += _inner([*parts, str(k)], inside, value, after)
    return out


def _did_you_mean(data: Any, parts: list[str | int]) -> str:
    """`arrivals.phne.weekly`: "; did you mean 'arrivals.phone.weekly'?" (as a file's
    unknown keys get) — every misspelt part corrected, or nothing when a part has no
    close key (a suggestion that is still wrong helps nobody)."""
    node: Any = data
    fixed: list[str | int] = []
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            fixed.append(part)
            node = node[part]
            continue
        if not isinstance(node, dict):
            return ""
        if part not in node:
            close = difflib.get_close_matches(str(part), [str(k) for k in node], n=1, cutoff=0.6)
            if not close:
                return ""  # (a new key at the end would have been set, not refused)
            part = close[0]
        fixed.append(part)
        node = node[part] if not last else None
    if fixed == parts:
        return ""
    return f"; did you mean {field_path(tuple(fixed))!r}?"
