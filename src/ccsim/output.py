"""Output folders written atomically: everything goes to a temporary folder beside the
target, which is renamed into place at the end — an interrupted run leaves no
half-written result (and keeps an older result in place)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ccsim.results import Result


@contextlib.contextmanager
def atomic_folder(target: Path) -> Iterator[Path]:
    """Yield a temporary folder; on success it replaces `target`, on failure it vanishes."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        target.rename(old)
    tmp.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_json(path: Path, doc: Any) -> None:
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_run(folder: Path, result: Result, document: dict, contacts: bool = False) -> None:
    """run.json, intervals.csv, groups.csv, summary.csv, the scenario, meta.json
    (and contacts.parquet on request) into `folder`, atomically."""
    with atomic_folder(folder) as tmp:
        _write_run_files(tmp, result, document, contacts)


def _write_run_files(tmp: Path, result: Result, document: dict, contacts: bool = False) -> None:
    from ccsim import __version__

    write_json(tmp / "run.json", document)
    result.intervals.to_csv(tmp / "intervals.csv", index=False)
    result.groups.to_csv(tmp / "groups.csv", index=False)
    result.summary.to_csv(tmp / "summary.csv", index=False)
    source = result.scenario.source
    if result.scenario.as_in_source and source is not None and source.exists():
        shutil.copyfile(source, tmp / f"scenario{source.suffix or '.yaml'}")  # comments kept
    else:  # a variant, or a scenario from text: write what was simulated
        (tmp / "scenario.yaml").write_text(result.scenario.to_yaml(), encoding="utf-8")
    if contacts:
        result.contacts().to_parquet(tmp / "contacts.parquet", index=False)
    write_json(
        tmp / "meta.json",
        {
            "ccsim_version": __version__,
            "scenario": result.scenario.name,
            "scenario_file": str(source) if source else None,
            "seed": result.seed,
            "replications": len(result.tables),
            "command": sys.argv,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
        },
    )


def roster_yaml(plan) -> str:
    """The plan's roster as YAML to paste into the scenario (with any generated shifts)."""
    from ccsim import units

    s = plan.scenario
    lines = [
        f"# ccsim plan for {s.name!r}: "
        + (
            "the cheapest roster found that meets every target"
            if plan.all_met
            else "the cheapest roster found; NOT every target is met (see plan.json)"
        ),
        f"# paid hours {sum(plan.paid_hours.values()):,.1f}/week, staff cost "
        f"{plan.staff_cost:,.2f} {s.costs.currency}/week (wages and overhead)",
        "# Replace the scenario's `roster:` with the one below"
        + (" and add the `shifts:` entries." if plan.generated_shifts else "."),
    ]
    if plan.generated_shifts:
        lines.append("shifts:")
        for name in plan.generated_shifts:
            sh = s.shifts[name]
            breaks = ", ".join(
                f"{{after: {units.format_duration(b.after)}, "
                f"length: {units.format_duration(b.length)}, paid: {str(b.paid).lower()}}}"
                for b in sh.breaks
            )
            lines.append(
                f'  "{name}": {{start: "{units.format_clock(sh.start)}", '
                f"length: {units.format_duration(sh.length)}, "
                f"days: [{units.format_days(sh.days).replace(',', ', ')}], breaks: [{breaks}]}}"
            )
    lines.append("roster:")
    for line in s.roster:
        lines.append(f'  - {{group: {line.group}, shift: "{line.shift}", agents: {line.agents}}}')
    return "\n".join(lines) + "\n"


def write_plan(folder: Path, plan, document: dict) -> None:
    """plan.json, roster.yaml, requirements.csv (the planner's per-interval requirements)
    and the run outputs of the verified roster, atomically."""
    from ccsim import requirements

    with atomic_folder(folder) as tmp:
        _write_run_files(tmp, plan.result, document)
        write_json(tmp / "plan.json", document)
        requirements.table(plan.scenario, plan.needs).to_csv(tmp / "requirements.csv", index=False)
        (tmp / "roster.yaml").write_text(roster_yaml(plan), encoding="utf-8")
