"""Output folders of `ccsim run --out` and `ccsim plan --out`, written once, atomically.

A run folder: run.json, summary.csv, intervals.csv, groups.csv, requirements.csv (the
planner's requirement for the scenario's shifts, which the report sets against the
agents on duty), scenario.yaml (the file as it was, or the variant that was simulated),
meta.json, and on request contacts.parquet and the report (report.xlsx, report.html).
A plan folder adds plan.json and roster.yaml (the planned roster, ready to paste); its
run files are those of the verified roster. `ccsim.report.model.read` rebuilds the same
report object from a folder.
"""

from __future__ import annotations

import filecmp
import json
import shutil
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ccsim.atomic import (
    OutputError,
    add_to_manifest,
    atomic_file,
    atomic_files,
    atomic_folder,
    check_report,
)
from ccsim.experiment.result import Result
from ccsim.finance.cost import staff_money
from ccsim.history import log as history_log
from ccsim.planning.plan import Plan
from ccsim.report import html, workbook
from ccsim.report.model import Report, from_plan, from_result
from ccsim.scenario import loader, units, yamlfile
from ccsim.scenario.model import Scenario
from ccsim.scenario.problems import InputError
from ccsim.version import __version__


def write_json(path: Path, doc: Any) -> None:
    """A document into an output folder being written (`atomic_folder`'s temporary one)."""
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_run(
    folder: Path,
    result: Result,
    report: Report | None = None,
    contacts: bool = False,
    with_report: bool = False,
    command: Sequence[str] | None = None,
) -> Path:
    """Write the run folder of `result` (its report object is built unless given);
    `command`: the command line that asked for it, for meta.json."""
    report = report or from_result(result)
    with atomic_folder(folder) as tmp:
        _write_run_files(tmp, report, result.summary, result.scenario)
        if contacts:  # in the generic log layout, so that `ccsim fit` reads it back
            s = result.scenario
            origin = pd.Timestamp(s.simulation.start) if s.simulation.start else None
            origin = origin or history_log.default_origin(s.simulation.start_day_index)
            layout = history_log.from_contacts(result.contacts(), origin)
            layout.to_parquet(tmp / "contacts.parquet", index=False)
        _meta(tmp, report, result.scenario, command)
        if with_report:
            write_report(tmp, report)
    return Path(folder)


def write_plan(
    folder: Path,
    plan: Plan,
    report: Report | None = None,
    with_report: bool = False,
    command: Sequence[str] | None = None,
) -> Path:
    """Write the plan folder of `plan` (its report object is built unless given);
    `command` as for `write_run`."""
    report = report or from_plan(plan)
    with atomic_folder(folder) as tmp:
        _write_run_files(tmp, report, plan.result.summary, plan.scenario)
        write_json(tmp / "plan.json", report.document.to_json())
        (tmp / "roster.yaml").write_text(roster_yaml(plan), encoding="utf-8")
        _meta(tmp, report, plan.scenario, command)
        if with_report:
            write_report(tmp, report)
    return Path(folder)


def write_report(folder: Path, report: Report) -> list[Path]:
    """report.xlsx and report.html of `report` into `folder`, together (`atomic_files`):
    a full disk or a file of the user's in their place leaves neither new (until
    2026-12-07 a new workbook could stand beside an old page)."""
    xlsx, page = Path(folder) / "report.xlsx", Path(folder) / "report.html"
    check_report(folder, (xlsx.name, page.name))  # (a manager's edits were replaced)
    book, text = workbook.build(report), html.render(report)
    with atomic_files(xlsx, page) as (book_tmp, page_tmp):
        book.save(book_tmp)
        page_tmp.write_text(text, encoding="utf-8")
    add_to_manifest(folder, (xlsx.name, page.name))
    return [xlsx, page]


def _write_run_files(tmp: Path, report: Report, summary: pd.DataFrame, s: Scenario) -> None:
    write_json(tmp / "run.json", report.document.to_json())
    summary.to_csv(tmp / "summary.csv", index=False)
    report.intervals.to_csv(tmp / "intervals.csv", index=False)
    report.groups.to_csv(tmp / "groups.csv", index=False)
    report.requirement.to_csv(tmp / "requirements.csv", index=False)
    if _as_on_disk(s):
        shutil.copyfile(s.source, tmp / "scenario.yaml")  # the file as written, comments kept
    else:  # a variant, a scenario from text, or one reading tables: what was simulated,
        (tmp / "scenario.yaml").write_text(s.to_yaml(), encoding="utf-8")
        for name, table in s.files().items():  # its tables beside it (`ccsim report` reads
            shutil.copyfile(table, tmp / name)  # them: it failed on a fitted scenario's)


def _as_on_disk(s: Scenario) -> bool:
    """The scenario's file (no tables beside it) still says what `s` is: it was loaded
    from it, unchanged, and the file was not edited since (a run saved after an edit
    copied the edited file beside the figures of the old one)."""
    source = s.source
    if not s.as_in_source or source is None or not source.is_file() or s.files():
        return False
    if s.plain() != s.model_dump(mode="json"):  # it reads intraday CSV profiles: the
        return False  # folder's copy holds their weights (docs/scenario-format.md)
    try:
        again = loader.load(source, s.allowed_paths)
    except (InputError, OSError):  # (a scenario's problems are InputErrors too)
        return False
    return again.plain() == s.plain()


SCENARIO_MARK = "# Scenario written by ccsim"  # how a file `write_scenario` wrote starts


def write_scenario(path: Path, s: Scenario) -> Path:
    """`s` as a scenario file at `path`, its count and staffing tables copied beside it
    (named by file name, as `Scenario.to_yaml` names them), each atomically. A file
    there is replaced only if ccsim wrote it, a table only by the same content."""
    path = Path(path)
    for name, table in s.files().items():  # all checked before anything is written
        there = path.parent / name
        if there.exists() and not filecmp.cmp(there, table, shallow=False):
            raise OutputError(
                f"{there}: exists and differs from {table}, which the scenario reads: save "
                "it in another folder"
            )
    with atomic_file(path, SCENARIO_MARK) as tmp:
        tmp.write_text(f"{SCENARIO_MARK}: {s.name}\n{s.to_yaml()}", encoding="utf-8")
    for name, table in s.files().items():
        if not (path.parent / name).exists():
            with atomic_file(path.parent / name) as tmp:
                shutil.copyfile(table, tmp)
    return path


def _meta(tmp: Path, report: Report, s: Scenario, command: Sequence[str] | None) -> None:
    """meta.json: `scenario_file` the file the folder's scenario is, unchanged;
    `changed_from` the file a variant (a what-if, a plan's roster) was made from; `command`
    the command line that wrote the folder, null from the Python API (it was the
    calling process's arguments: `["-c"]`, a notebook kernel's)."""
    variant = s.source is not None and not s.as_in_source
    write_json(
        tmp / "meta.json",
        {
            "ccsim_version": __version__,
            "kind": report.kind,
            "scenario": s.name,
            "scenario_file": str(s.source) if s.as_in_source else None,
            "changed_from": str(s.source) if variant else None,
            "seed": report.document.seed,
            "replications": report.document.replications,
            "first_replication": report.document.first_replication,
            "command": list(command) if command is not None else None,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
        },
    )


def roster_yaml(plan: Plan) -> str:
    """The plan's roster as YAML to paste into the scenario (with any generated shifts)."""
    s = plan.scenario
    header = (
        f"ccsim plan for {s.name!r}: "
        + (
            "the cheapest roster found that meets every target"
            if plan.all_met
            else "the cheapest roster found; NOT every target is met (see plan.json)"
        )
        + f"\npaid hours {sum(plan.paid_hours.values()):,.1f}/week, staff cost "
        f"{staff_money(s):,.2f} {s.costs.currency}/week (wages and overhead)\n"
        "Replace the scenario's `roster:` with the one below"
        + (" and add the `shifts:` entries." if plan.generated_shifts else ".")
    )
    idle = [g for g in s.groups if not any(r.group == g and r.agents for r in s.roster)]
    if idle and s.roster:  # (with no roster at all, validate has nothing to warn of)
        header += (
            f"\nthe plan gives no agents to {', '.join(map(repr, idle))}: `ccsim validate` "
            "warns of each that it has no agents on the roster"
        )
    doc = CommentedMap()
    if plan.generated_shifts:
        shifts = CommentedMap()
        for name in plan.generated_shifts:
            sh = s.shifts[name]
            entry = _flow(
                {
                    "start": units.format_clock(sh.start),
                    "length": units.format_duration(sh.length),
                    "days": _flow_list(units.format_days(sh.days).split(",")),
                    "breaks": _flow_list(
                        [
                            _flow(
                                {
                                    "after": units.format_duration(b.after),
                                    "length": units.format_duration(b.length),
                                    "paid": b.paid,
                                }
                                | (
                                    {"stagger": units.format_duration(b.stagger)}
                                    if b.stagger
                                    else {}
                                )
                            )
                            for b in sh.breaks
                        ]
                    ),
                }
            )
            shifts[name] = entry
        doc["shifts"] = shifts
    doc["roster"] = CommentedSeq(
        [_flow({"group": r.group, "shift": r.shift, "agents": r.agents}) for r in s.roster]
    )
    doc.yaml_set_start_comment(header)
    return yamlfile.dump(doc, width=4096)


def _flow(mapping: dict[str, Any]) -> CommentedMap:
    """A mapping written on one line ({a: 1, b: 2})."""
    out = CommentedMap(mapping)
    out.fa.set_flow_style()
    return out


def _flow_list(items: list[Any]) -> CommentedSeq:
    out = CommentedSeq(items)
    out.fa.set_flow_style()
    return out
