"""Mutants of the bundled scenarios (and of a minimal one) for fuzzing, and the one
verdict on a mutant: rejected (ScenarioError — at load, or no roster lines to simulate —,
or a run too large for the memory limit),
ran (one replication simulated and measured), or crashed (anything else).

Used by tests/test_fuzz.py (hypothesis draws the mutations) and bench/fuzz.py (a seeded
random walk over thousands of mutants, with a time limit per mutant to count hangs).
The bases are cut to a short horizon, no warm-up and few contacts, so that each mutant
simulates in a fraction of a second; the mutations may undo any of that.
"""

from __future__ import annotations

import copy
import io
import math
import random
import traceback
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

import ccsim
from conftest import MINIMAL

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
MEMORY_LIMIT = 60e6  # bytes: a mutant that would need more is refused (a clean rejection)
MAX_BASE_CONTACTS = 3_000  # per week, per channel, in a base

_yaml = YAML(typ="safe", pure=True)

# the vocabulary: values of every JSON type, extreme and non-finite numbers, durations,
# clock strings, day ranges and names that exist elsewhere in a scenario
NUMBERS: list[Any] = [
    0, -1, 1, 2, 7, 0.5, -0.0, 1e-12, 1e-300, 1e12, 1e308, 2**31, 2**63, 2**64, -(2**63),
    math.inf, -math.inf, math.nan, 0.999999, 1.000001,
]  # fmt: skip
STRINGS: list[Any] = [
    "", " ", "x" * 300, "ü∆😀", "\x00\x07", "20s", "0s", "0", "-5min", "4min", "1.5h", "2d",
    "99999d", "1e309h", "1e-9s", "nan", "inf", "-inf", "1e3", "24:00", "25:00", "23:59",
    "00:00", "08:00-20:00", "22:00-02:00", "00:00-00:00", "08:00-08:00", "09:00-13:00, 14:00-18:00",
    "mon-fri", "fri-mon", "sun", "sat-sun", "weekdays", "always", "closed", "off", "on",
    "edf", "fifo", "weibull", "gamma", "lognormal", "fixed", "exponential", "uniform",
    "flat", "business_hours", "evening_peak", "phone", "chat", "email", "escalation",
    "generalist", "supervisor", "question", "../../etc/passwd", "/etc/hostname",
    "week", "day", "interval", "month", "in",
]  # fmt: skip
CONTAINERS: list[Any] = [
    None, True, False, [], {}, [0], [1, 2, 3], [[]], {"": None}, {"csv": "missing.csv"},
    {"mon-fri": "08:00-20:00"}, {"mon-sun": "closed"}, {"dist": "weibull", "mean": "3min"},
    {"mean": 0}, {"within": "20s", "at_least": 0.8}, [{"within": "1h", "at_least": 1.5}],
    {"group": "nobody", "shift": "nowhere", "agents": 3},
    {"within": "20s", "at_least": 0.8, "per": "interval", "in": 0.9, "min_offered": 5},
    {"at_most": 0.05, "per": "day"}, {"within": "1h", "at_least": 0.5, "per": "day", "in": 0},
]  # fmt: skip
VALUES = NUMBERS + STRINGS + CONTAINERS
SCALES = [0, -1, 1e9, 1e-9, 1.5, 1e300, math.inf]
ACTIONS = [
    "drop", "replace", "retype", "scale", "nudge", "nudge", "rename", "swap", "empty", "duplicate",
]  # fmt: skip
NUDGES = [0.5, 0.9, 1.1, 2.0, 3.0]


def _cut(doc: dict) -> dict:
    """A base: one day, no warm-up, at most MAX_BASE_CONTACTS a week per channel."""
    sim = doc.setdefault("simulation", {})
    sim.update(horizon="1d", warmup=0, replications=1)
    for arrivals in (doc.get("arrivals") or {}).values():
        if isinstance(arrivals, dict) and arrivals.get("weekly", 0) > MAX_BASE_CONTACTS:
            arrivals["weekly"] = MAX_BASE_CONTACTS
    return doc


def bases() -> list[tuple[str, dict, str]]:
    """(name, document, folder) of every base: the bundled scenarios and a minimal one."""
    out = [("minimal", _cut(_yaml.load(MINIMAL)), str(ROOT))]
    for path in sorted(SCENARIOS.glob("*.yaml")):
        out.append((path.stem, _cut(_yaml.load(path.read_text())), str(path.parent)))
    return out


def paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """The field paths of a document: every key, and of a list its first two items and
    its last (so that a 48-value profile does not outweigh the rest of the file)."""
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i in sorted({0, 1, len(node) - 1} & set(range(len(node)))):
            out += paths(node[i], (*prefix, i))
    return out


def names(doc: dict) -> list[str]:
    """Names defined in the document (channels, groups, shifts, reasons): swapping one
    for another makes references that exist but mean something else."""
    found: list[str] = []
    for block in ("channels", "groups", "shifts", "reasons", "arrivals", "targets"):
        if isinstance(doc.get(block), dict):
            found += [str(k) for k in doc[block]]
    return found or ["x"]


def mutate(doc: dict, choose) -> dict:
    """One mutation of `doc` in place; `choose(options)` picks one of a list (hypothesis'
    sampled_from, or random.choice)."""
    candidates = paths(doc)
    if not candidates:
        return doc
    path = choose(candidates)
    parent: Any = doc
    for key in path[:-1]:
        parent = parent[key]
    key = path[-1]
    action = choose(ACTIONS)
    value = parent[key]
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if action in ("scale", "nudge") and not number:
        action = "replace"
    if (action == "rename" and not isinstance(parent, dict)) or (
        action == "duplicate" and not isinstance(parent, list)
    ):
        action = "drop"
    if action == "drop":
        del parent[key]
    elif action == "replace":  # a value of the same kind: the likely mistakes
        if isinstance(value, bool) or value is None:
            kind = CONTAINERS[:3]
        elif isinstance(value, int | float):
            kind = NUMBERS
        elif isinstance(value, str):
            kind = STRINGS
        else:
            kind = CONTAINERS
        parent[key] = copy.deepcopy(choose(kind))
    elif action == "retype":  # any JSON value at all
        parent[key] = copy.deepcopy(choose(VALUES))
    elif action == "scale":
        try:
            parent[key] = value * choose(SCALES)
        except OverflowError:
            parent[key] = math.inf
    elif action == "nudge":
        parent[key] = type(value)(value * choose(NUDGES)) if math.isfinite(value) else value
    elif action == "rename":
        parent[choose(names(doc) + STRINGS[:8])] = parent.pop(key)
    elif action == "swap" and isinstance(value, str):
        parent[key] = choose(names(doc))
    elif action == "empty" and isinstance(value, dict | list):
        value.clear()
    elif action == "duplicate":
        parent.append(copy.deepcopy(value))
    else:  # swap or empty where they do not apply: a value of any kind
        parent[key] = copy.deepcopy(choose(VALUES))
    return doc


def to_text(doc: dict) -> str:
    buffer = io.StringIO()
    _yaml.dump(doc, buffer)
    return buffer.getvalue()


def verdict(text: str, folder: str) -> tuple[str, str]:
    """("rejected" | "ran" | "crashed", detail) for one mutant's YAML text."""
    try:
        s = ccsim.loads(text, name="mutant.yaml", base_dir=folder)
    except ccsim.ScenarioError as exc:
        bad = [str(m) for m in exc.messages if not str(m).startswith("mutant.yaml")]
        if not exc.messages or bad:
            return "crashed", f"messages not located in the file: {bad or 'none'}"
        return "rejected", str(exc.messages[0])
    except Exception:
        return "crashed", traceback.format_exc()
    try:
        result = ccsim.simulate(s, 1, seed=1, workers=1, memory_limit=MEMORY_LIMIT)
        result.document()
    except ccsim.WorkLimitError as exc:
        return "rejected", str(exc)
    except ccsim.ScenarioError as exc:  # valid, but not runnable (no roster lines)
        if [str(m) for m in exc.messages if not str(m).startswith("mutant.yaml: roster:")]:
            return "crashed", f"refused to simulate: {exc}"
        return "rejected", str(exc.messages[0])
    except Exception:
        return "crashed", traceback.format_exc()
    return "ran", ""


def random_mutant(rng: random.Random, base_list: list[tuple[str, dict, str]]) -> tuple[str, str]:
    """(YAML text, folder) of a mutant: 1 to 3 random mutations of a random base."""
    _, base, folder = rng.choice(base_list)
    doc = copy.deepcopy(base)
    for _ in range(rng.randint(1, 3)):
        mutate(doc, rng.choice)
    return to_text(doc), folder
