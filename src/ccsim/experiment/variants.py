"""What-if variants side by side: sweeps and comparisons under common random numbers.

Variants are made with `ccsim.scenario.changes` (field path → value, validated like a
file); every variant runs the same replications of one seed, so replication r of each
sees the same customers and a difference is the change, not the noise.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from ccsim.experiment import counts, runner, seeds
from ccsim.experiment.result import Result, estimate_table
from ccsim.measure.confidence import checked_level, t_interval
from ccsim.model import work
from ccsim.scenario import rules
from ccsim.scenario.changes import with_changes
from ccsim.scenario.loader import valid
from ccsim.scenario.model import Scenario
from ccsim.scenario.problems import ScenarioError, ScenarioWarning


def _simulate(
    s: Scenario,
    variants: dict[Any, dict[str, Any]],
    replications: int | None,
    seed: int | None,
    workers: int | None,
    scheduler: str | object | None,
    progress: runner.Progress | None,
    memory_limit: str | float | None,
    named: bool,
) -> dict[Any, Result]:
    """Each variant (`{name: changes}`) simulated on the same replications of one seed;
    `named`: messages name the variant (compare's names; a sweep's are numbers). Every
    variant is checked against `memory_limit` before the first runs (as `simulate` is)."""
    s = valid(s)
    replications = s.simulation.replications if replications is None else replications
    replications = counts.whole(replications, "replications")
    seed = seeds.resolve(seed, s)
    scenarios = {
        name: with_changes(s, changes, **({"label": f"variant {name!r}"} if named else {}))
        for name, changes in variants.items()
    }
    for variant in scenarios.values():  # none without a roster (nobody would answer)
        if missing := rules.runnable(variant):
            raise ScenarioError(missing)
        # a variant's own seed or replications (ignored until 2026-12-06)
        for field, option in (("seed", "--seed"), ("replications", "--reps")):
            if getattr(variant.simulation, field) != getattr(s.simulation, field):
                raise ValueError(
                    f"simulation.{field} of a variant: every variant runs the same "
                    f"replications of one seed (common random numbers); give {field}= "
                    f"({option}) instead"
                )
        if variant.costs.currency != s.costs.currency:  # (labelled in the scenario's)
            raise ValueError(
                f"costs.currency of a variant: every variant's costs are set side by side "
                f"in the scenario's currency, {s.costs.currency}; convert the wages and "
                "per-contact costs instead"
            )
        work.ensure_fits(variant, memory_limit, replications)  # (none was: 2026-12-06)
    _warn_new(s, variants, scenarios, named)
    results = {}
    for i, (name, variant) in enumerate(scenarios.items()):
        done = i * replications  # one bar over every variant (it went back to 0 each)
        step = None if progress is None else _after(progress, done, replications * len(scenarios))
        results[name] = runner.run(variant, replications, seed, workers, scheduler, progress=step)
    return results


def _warn_new(
    s: Scenario,
    variants: dict[Any, dict[str, Any]],
    scenarios: dict[Any, Scenario],
    named: bool,
) -> None:
    """One `ScenarioWarning` per problem the variants bring that the scenario has not at
    that field (`within: 20`, a bare number), naming the variants it is in: a sweep of
    20 variants said the same line 20 times, and said again, with other figures, what
    the scenario itself is warned of (a review)."""
    warned = {m.field for m in s.warnings}
    found: dict[tuple[str | None, str], list[str]] = {}
    for name, changes in variants.items():
        label = repr(name) if named else "; ".join(f"{k}={_shown(v)}" for k, v in changes.items())
        for m in scenarios[name].warnings:
            if m.field not in warned:
                found.setdefault((m.field, m.message), []).append(label)
    for (field, message), labels in found.items():
        which = (
            f"variant {labels[0]}"
            if len(labels) == 1
            else f"{len(labels)} variants ({labels[0]}, …)"
        )
        where = f": {field}" if field else ""
        warnings.warn(f"{which}{where}: {message}", ScenarioWarning, 4)


def _shown(value: Any) -> str:
    """A changed value in a variant's label: a table by its size."""
    return f"<a table of {len(value)} rows>" if isinstance(value, pd.DataFrame) else str(value)


def _after(progress: runner.Progress, done: int, total: int) -> runner.Progress:
    return lambda n, _: progress(done + n, total)


def sweep(
    s: Scenario,
    grid: dict[str, list[Any]],
    replications: int | None = None,
    seed: int | None = None,
    *,
    workers: int | None = None,
    scheduler: str | object | None = None,
    progress: runner.Progress | None = None,
    memory_limit: str | float | None = None,
) -> pd.DataFrame:
    """Simulate every combination of the grid's values under the same seed (common random
    numbers); a tidy table: one row per variant × channel × metric, with a 95% CI — and
    per variant the week's `staff_cost` and `total_cost` (channel `all`:
    `Result.costs`), so that a what-if shows what it costs beside what it buys — and,
    as `compare`, each figure's difference to the first combination's with its paired
    95% CI (`diff`, `diff_low`, `diff_high`; none until 2026-12-07, when two overlapping
    CIs read as "no effect" where the paired one showed a clear one)."""
    if not isinstance(grid, Mapping):  # (None or "k=v" was a raw TypeError)
        raise TypeError(f"grid: expected {{field path: values}}, got {type(grid).__name__}")
    keys = list(grid)
    lists = [_values(k, grid[k]) for k in keys]
    combinations = dict(  # numbered: values may be unhashable (opening hours, roster lines)
        enumerate(dict(zip(keys, values, strict=True)) for values in itertools.product(*lists))
    )
    runs = _simulate(
        s, combinations, replications, seed, workers, scheduler, progress, memory_limit, False
    )
    frames = []
    for i, table in _paired(runs, 0.95).items():
        for key, value in reversed(combinations[i].items()):
            table.insert(0, key, [value] * len(table))
        frames.append(table)
    return pd.concat(frames, ignore_index=True)


def _values(key: str, entry: Any) -> list[Any]:
    """A grid entry's values: a list, tuple, range, array or other iterable of them, or
    one value — text, a number or a mapping (`"600"` swept the characters '6', '0', '0'; a
    number was a TypeError). A value that is itself a list (a roster) goes in a list."""
    one = isinstance(entry, str | bytes | Mapping | pd.DataFrame)  # (a roster table)
    one = one or not isinstance(entry, Iterable)
    values = [entry] if one else list(entry)
    if not values:
        raise ValueError(f"sweep: no values for {key!r}")
    return values


def compare(
    s: Scenario,
    variants: dict[str, dict[str, Any]],
    replications: int | None = None,
    seed: int | None = None,
    level: float = 0.95,
    *,
    workers: int | None = None,
    scheduler: str | object | None = None,
    progress: runner.Progress | None = None,
    memory_limit: str | float | None = None,
) -> pd.DataFrame:
    """Simulate named variants (`{name: changes}`; `{}` = the scenario as it is) under
    the same seed: one row per variant × channel × metric with mean and CI (the week's
    costs as in `sweep`), and the difference to the FIRST variant with its paired CI.
    Common random numbers make the paired CI far narrower than the two separate CIs
    suggest: replication r of every variant sees the same customers."""
    if not isinstance(variants, Mapping):  # (a list was an AttributeError)
        raise TypeError(f"variants: expected {{name: changes}}, got {type(variants).__name__}")
    if not variants:
        raise ValueError("compare needs at least one variant")
    level = checked_level(level)  # before the runs, not after them
    runs = _simulate(
        s, variants, replications, seed, workers, scheduler, progress, memory_limit, True
    )
    frames = []
    for name, table in _paired(runs, level).items():
        table.insert(0, "variant", name)
        frames.append(table)
    return pd.concat(frames, ignore_index=True)


def _paired(runs: dict[Any, Result], level: float) -> dict[Any, pd.DataFrame]:
    """Per variant its estimates (`estimate_table`, the costs too) and each one's
    difference to the FIRST variant's with its paired CI (`diff`, `diff_low`,
    `diff_high`): replication r of each saw the same customers."""
    first = _measured(next(iter(runs.values()))).set_index(["channel", "replication"])
    tables = {}
    for name, result in runs.items():
        measured = _measured(result)
        table = estimate_table(measured, level)
        summary = measured.set_index(["channel", "replication"])
        diff = summary.sub(first.reindex(index=summary.index, columns=summary.columns))
        paired = [
            t_interval(diff.loc[channel, metric].to_numpy(float), level)
            for channel, metric in zip(table["channel"], table["metric"], strict=True)
        ]
        table["diff"], table["diff_low"], table["diff_high"] = (
            np.array(paired, float).reshape(-1, 3).T
        )
        tables[name] = table
    return tables


def _measured(result: Result) -> pd.DataFrame:
    """Per replication × channel every measured figure, and the week's costs (`all`)."""
    return pd.concat([result.summary, result.costs()], ignore_index=True)
