"""What-if variants of a scenario: field paths set to new values, validated like a file.

A change is a field path and a value: `arrivals.phone.weekly: 4800`,
`roster[0].agents: 12`, `channels.whatsapp.open: {mon-fri: "09:00-18:00"}`,
`anger: off`. A value `"*1.2"` (or `"x1.2"`) scales the current number. Every variant
is validated like a scenario file (structure and cross-field rules), so a change that
breaks a rule is reported with its field path.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import Any

from ccsim.scenario import units
from ccsim.scenario.loader import validate
from ccsim.scenario.model import Scenario, given
from ccsim.scenario.problems import Message, ScenarioError

_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
CHANGES = "<changes>"  # the "file" named in a variant's messages


def parse_path(path: str) -> list[str | int]:
    """`roster[0].agents` → ["roster", 0, "agents"]."""
    parts: list[str | int] = []
    for name, index in _TOKEN.findall(path):
        parts.append(int(index) if index else name)
    if not parts or "".join(str(p) for p in parts) != re.sub(r"[.\[\]]", "", path):
        raise ValueError(f"cannot read the field path {path!r} (expected e.g. roster[0].agents)")
    return parts


def with_changes(s: Scenario, changes: dict[str, Any]) -> Scenario:
    """A new, validated scenario: `s` with each field path set to its value (`*1.2` or
    `x1.2` scales the number there; `x2` sets a text field to "x2"; `+1` is refused, not
    read as 1)."""
    if not isinstance(changes, Mapping):
        raise TypeError(f"changes: expected {{field path: value}}, got {type(changes).__name__}")
    data = given(s).plain()  # CSV profiles as the weights read: nothing is read again
    for path, value in changes.items():
        try:
            parts = parse_path(path)
        except ValueError as exc:
            raise ScenarioError([Message(CHANGES, None, path, str(exc))]) from None
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
                raise ScenarioError([Message(CHANGES, None, path, msg)])
            scale = isinstance(value, str) and value[:1] in "*x" and units.is_number(value[1:])
            if scale and not (value[0] == "x" and isinstance(parent[key], str)):  # `name: x2`
                current = parent[key]
                if isinstance(current, bool) or not isinstance(current, int | float):
                    msg = f"{value} scales a number; the field holds {units.shown(current)}"
                    raise ScenarioError([Message(CHANGES, None, path, msg)])
                value = current * float(value[1:])
            parent[key] = value
        except (KeyError, IndexError, TypeError):
            msg = "no such field in the scenario" + _did_you_mean(data, parts)
            raise ScenarioError([Message(CHANGES, None, path, msg)]) from None
    if not changes:  # its file's scenario still, with the file's own warnings
        return given(s).model_copy()
    base = s.source.parent if s.source else "."
    return validate(data, CHANGES, base, source=s.source, variant=True, allow_paths=s.allowed_paths)


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
    shown = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in fixed)
    return f"; did you mean {shown.lstrip('.')!r}?"
