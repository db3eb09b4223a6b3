"""What-if variants of a scenario and sweeps over them, under common random numbers.

A change is a field path and a value: `arrivals.phone.weekly: 4800`,
`roster[0].agents: 12`, `channels.whatsapp.open: {mon-fri: "09:00-18:00"}`,
`anger: off`. A value `"*1.2"` (or `"x1.2"`) scales the current number. Every variant
is validated like a scenario file, so a change that breaks a rule is reported with
its field path.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import numpy as np
import pandas as pd

from ccsim import experiment
from ccsim.confidence import t_interval
from ccsim.loader import Message, ScenarioError
from ccsim.results import Result
from ccsim.rules import RuleViolations
from ccsim.scenario import Scenario

_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def parse_path(path: str) -> list[str | int]:
    """`roster[0].agents` → ["roster", 0, "agents"]."""
    parts: list[str | int] = []
    for name, index in _TOKEN.findall(path):
        parts.append(int(index) if index else name)
    if not parts or "".join(str(p) for p in parts) != re.sub(r"[.\[\]]", "", path):
        raise ValueError(f"cannot read the field path {path!r} (expected e.g. roster[0].agents)")
    return parts


def with_changes(s: Scenario, changes: dict[str, Any]) -> Scenario:
    """A new, validated scenario: `s` with each field path set to its value."""
    from pydantic import ValidationError

    data = s.model_dump(mode="json", exclude_defaults=False)
    _restore_csv_paths(s, data)
    for path, value in changes.items():
        parts = parse_path(path)
        parent = data
        try:
            for part in parts[:-1]:
                parent = parent[part]
            key = parts[-1]
            if isinstance(value, str) and value[:1] in ("*", "x") and _is_number(value[1:]):
                value = parent[key] * float(value[1:])
            parent[key] = value
        except (KeyError, IndexError, TypeError):
            raise ScenarioError(
                [Message("<changes>", None, path, "no such field in the scenario")]
            ) from None
    context = {"base_dir": str(s.source.parent) if s.source else "."}
    try:
        variant = Scenario.model_validate(data, context=context)
    except ValidationError as exc:
        raise ScenarioError(
            [
                Message("<changes>", None, ".".join(map(str, e["loc"])), e["msg"])
                for e in exc.errors(include_url=False)
            ]
        ) from None
    except RuleViolations as exc:
        raise ScenarioError(
            [Message("<changes>", None, p.field, p.message) for p in exc.problems]
        ) from None
    variant._source = s.source
    variant._changed = True
    return variant


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _restore_csv_paths(s: Scenario, data: dict) -> None:
    """Keep `{csv: path}` intraday profiles as written (dump keeps them; nothing to do)."""
    for name, arr in s.arrivals.items():
        if hasattr(arr.intraday, "csv"):
            data["arrivals"][name]["intraday"] = {"csv": arr.intraday.csv}


def _simulate(
    s: Scenario,
    variants: dict[Any, dict[str, Any]],
    replications: int | None,
    seed: int | None,
    **options: Any,
) -> dict[Any, Result]:
    """Each variant (`{name: changes}`) simulated on the same replications of one seed."""
    replications = replications or s.simulation.replications
    seed = seed if seed is not None else (s.simulation.seed or 0)
    return {
        name: experiment.run(with_changes(s, changes), replications, seed, **options)
        for name, changes in variants.items()
    }


def sweep(
    s: Scenario,
    grid: dict[str, list[Any]],
    replications: int | None = None,
    seed: int | None = None,
    **options: Any,
) -> pd.DataFrame:
    """Simulate every combination of the grid's values under the same seed (common random
    numbers); a tidy table: one row per variant × channel × metric, with a 95% CI."""
    keys = list(grid)
    combinations = dict(  # numbered: values may be unhashable (opening hours, roster lines)
        enumerate(
            dict(zip(keys, values, strict=True))
            for values in itertools.product(*(grid[k] for k in keys))
        )
    )
    frames = []
    for i, result in _simulate(s, combinations, replications, seed, **options).items():
        table = result.estimates()
        for key, value in reversed(combinations[i].items()):
            table.insert(0, key, [value] * len(table))
        frames.append(table)
    return pd.concat(frames, ignore_index=True)


def compare(
    s: Scenario,
    variants: dict[str, dict[str, Any]],
    replications: int | None = None,
    seed: int | None = None,
    level: float = 0.95,
    **options: Any,
) -> pd.DataFrame:
    """Simulate named variants (`{name: changes}`; `{}` = the scenario as it is) under
    the same seed: one row per variant × channel × metric with mean and CI, and the
    difference to the FIRST variant with its paired CI. Common random numbers make the
    paired CI far narrower than the two separate CIs suggest: replication r of every
    variant sees the same customers."""
    if not variants:
        raise ValueError("compare needs at least one variant")
    runs = _simulate(s, variants, replications, seed, **options)
    first = next(iter(runs.values())).summary.set_index(["channel", "replication"])
    frames = []
    for name, result in runs.items():
        table = result.estimates(level)
        summary = result.summary.set_index(["channel", "replication"])
        diff = summary.sub(first.reindex(index=summary.index, columns=summary.columns))
        paired = [
            t_interval(diff.loc[channel, metric].to_numpy(float), level)
            for channel, metric in zip(table["channel"], table["metric"], strict=True)
        ]
        table["diff"], table["diff_low"], table["diff_high"] = (
            np.array(paired, float).reshape(-1, 3).T
        )
        table.insert(0, "variant", name)
        frames.append(table)
    return pd.concat(frames, ignore_index=True)
