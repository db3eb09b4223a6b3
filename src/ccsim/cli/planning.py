"""`ccsim plan`: the cheapest roster that meets every target, and `ccsim capacity`:
required and available FTE, hires and cost over a calendar year (thin layers over
`ccsim.plan` and `ccsim.capacity`; docs/planning.md, docs/capacity.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ccsim.cli.app import app
from ccsim.cli.common import (
    EXIT_FAIL,
    EXIT_OK,
    AllowPath,
    AsJson,
    Changes,
    MaxFileSize,
    MemoryLimit,
    Quiet,
    Report,
    Scheduler,
    SearchReps,
    Seed,
    Verify,
    Workers,
    change_warnings,
    changed,
    err,
    fail,
    fail_usage,
    failed,
    file_limits,
    load_or_exit,
    message_channels,
    minutes_said,
    needs_out,
    out,
    positive_duration,
    print_json,
    say_written,
    status_line,
)
from ccsim.experiment.errors import WorkerError
from ccsim.model.errors import WorkLimitError
from ccsim.planning.errors import PlanError

# the search's budget, for `plan` and for each plan of `capacity`
TimeBudget = Annotated[
    float | None,
    typer.Option(
        parser=minutes_said("--time-budget", positive_duration),
        metavar="DURATION",
        help="also stop trimming after this long, e.g. 5min (the plan then depends on "
        "the machine's speed; none by default)",
    ),
]
MaxRosters = Annotated[
    int | None,
    typer.Option(
        min=1,
        metavar="N",
        help="stop trimming after this many rosters' worth of simulation (a roster on "
        "every search replication counts one; default: 400 M contacts simulated, at "
        "least 4; the same plan on any machine)",
    ),
]


@app.command()
def plan(
    scenario: Annotated[Path, typer.Argument(metavar="SCENARIO", help="scenario file")],
    seed: Seed = None,
    workers: Workers = None,
    scheduler: Scheduler = None,
    as_json: AsJson = False,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out", metavar="DIR", help="write plan.json, roster.yaml and the run outputs here"
        ),
    ] = None,
    start_grid: Annotated[
        float | None,
        typer.Option(
            parser=positive_duration,
            metavar="DURATION",
            help="also try each shift template at every start on this grid, e.g. 30min",
        ),
    ] = None,
    reps: SearchReps = None,
    verify: Verify = None,
    time_budget: TimeBudget = None,
    max_rosters: MaxRosters = None,
    baseline: Annotated[bool, typer.Option(help="also plan the Erlang C baseline")] = True,
    from_roster: Annotated[
        bool,
        typer.Option(
            "--from-roster",
            help="start from the scenario's own roster (say, the last plan's, from its "
            "roster.yaml) instead of the requirements: faster when it is near the answer",
        ),
    ] = False,
    quiet: Quiet = False,
    report: Report = False,
    memory_limit: MemoryLimit = None,
    allow_path: AllowPath = None,
    max_file_size: MaxFileSize = None,
    settings: Changes = None,
) -> None:
    """Find the cheapest roster that meets every target, verified on fresh seeds."""
    import ccsim
    from ccsim.planning import shift_program
    from ccsim.report import console, folders
    from ccsim.report import model as reports

    needs_out(report, out_dir)
    given = load_or_exit(scenario, allow_path, max_file_size)
    s = changed(given, settings)
    for m in change_warnings(given, s, settings, every=False) if settings else ():
        err.print(str(m), markup=False)  # (a plan sets its own roster: its warnings not)
    if start_grid is not None and not shift_program.valid_grid(start_grid):
        fail_usage("--start-grid: " + shift_program.GRID_RULE)
    try:
        with status_line("planning", quiet) as say:
            result = ccsim.plan(
                s,
                seed=seed,
                replications=reps,
                verify=verify,
                start_grid=start_grid,
                workers=workers,
                scheduler=scheduler,
                time_budget=None if time_budget is None else time_budget * 60.0,
                max_rosters=max_rosters,
                baseline=baseline,
                progress=say,
                memory_limit=memory_limit,
                from_roster=from_roster,
            )
    except (WorkerError, PlanError, WorkLimitError) as exc:
        fail(f"{scenario}: {exc}")
    built = reports.from_plan(result)
    if out_dir is not None:
        folders.write_plan(out_dir, result, built, with_report=report, command=sys.argv)
    if as_json:
        print_json(built.document.to_json())
    else:
        console.render_plan(built.document, out, message_channels(s))
    if out_dir is not None:
        say_written(out_dir, "plan written to", report, as_json)
    for u in result.unmet:
        err.print(
            f"ccsim: unmet target: {u.name or f'{u.channel} {u.metric}'}: {u.reason}",
            markup=False,
        )
    raise typer.Exit(EXIT_OK if result.all_met else EXIT_FAIL)


@app.command()
def capacity(
    scenario: Annotated[Path, typer.Argument(metavar="SCENARIO", help="scenario file")],
    calendar: Annotated[
        Path,
        typer.Option("--calendar", "-c", metavar="FILE", help="calendar file (docs/capacity.md)"),
    ],
    seed: Seed = None,
    workers: Workers = None,
    scheduler: Scheduler = None,
    as_json: AsJson = False,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out",
            metavar="DIR",
            help="write capacity.json, weeks.csv, months.csv and quarters.csv here",
        ),
    ] = None,
    reps: SearchReps = None,
    verify: Verify = None,
    max_plans: Annotated[
        int,
        typer.Option(
            min=1, max=60, metavar="N", help="kinds of week planned (the rest interpolated)"
        ),
    ] = 6,
    time_budget: TimeBudget = None,
    max_rosters: MaxRosters = None,
    quiet: Quiet = False,
    report: Report = False,
    allow_path: AllowPath = None,
    max_file_size: MaxFileSize = None,
    memory_limit: MemoryLimit = None,
) -> None:
    """Required and available FTE per week, hires and cost by week, month and year."""
    import ccsim
    from ccsim.scenario import loader

    needs_out(report, out_dir)
    s = load_or_exit(scenario, allow_path, max_file_size)
    if not calendar.exists():
        fail_usage(f"{calendar}: file not found")
    if calendar.is_dir():
        fail_usage(f"--calendar {calendar}: is a folder; give one calendar file")
    try:
        cal = ccsim.load_calendar(calendar, s, file_limits(max_file_size))
    except ccsim.ScenarioError as exc:  # its warnings too, as validate says a scenario's
        failed(loader.in_file_order(exc.messages + exc.warnings))
    for m in cal.warnings:  # valid, likely not meant: a range over part of a week
        err.print(str(m), markup=False)
    try:
        with status_line("capacity", quiet) as say:
            result = ccsim.capacity(
                s,
                cal,
                seed,
                reps,
                verify,
                workers,
                scheduler,
                max_plans,
                time_budget=None if time_budget is None else time_budget * 60.0,
                progress=say,
                max_rosters=max_rosters,
                memory_limit=memory_limit,
            )
    except (WorkerError, PlanError, WorkLimitError) as exc:
        fail(f"{scenario}: {exc}")
    doc = result.document()
    if out_dir is not None:
        ccsim.save(result, out_dir, report=report)
    if as_json:
        print_json(doc)
    else:
        _print_capacity(doc)
    if out_dir is not None:
        say_written(out_dir, "capacity plan written to", report, as_json)
    short = {g: v for g, v in doc["shortfall_fte_weeks"].items() if v > 0}
    unmet = [
        f"kind {k['kind']} ({_weeks(k['weeks'])}): {u}" for k in doc["kinds"] for u in k["unmet"]
    ]
    for g, v in short.items():
        weeks = doc["shortfall_weeks"][g]
        where = f" in {_weeks(weeks)}" if weeks else ""  # (each under 0.005 FTE: none shown)
        err.print(f"ccsim: uncovered: {g} {v} FTE-weeks{where}", markup=False)
    for u in unmet:
        err.print(f"ccsim: unmet target in {u}", markup=False)
    raise typer.Exit(EXIT_FAIL if short or unmet else EXIT_OK)


def _weeks(weeks: list[int]) -> str:
    """`week 30`, `weeks 1-29, 33-46` — which weeks a kind of week is (they are not
    printed anywhere else but capacity.json)."""
    from ccsim.scenario.units import format_runs

    return ("week " if len(weeks) == 1 else "weeks ") + format_runs(weeks)


def _print_capacity(doc: dict) -> None:
    from ccsim.report.capacity import added, kind_planned
    from ccsim.report.terminal import Figures

    cur = doc["currency"]
    groups = list(doc["hires_total"])
    # the kinds of week: which were planned and which interpolated (only the JSON said)
    # (the volume was the largest channel's factor: 1.04× for a week of 0.87×)
    kinds = Figures(title="Kinds of week: required FTE")
    columns = ("kind", "weeks", "volume", "handle", "shrinkage", "how", *groups)
    for col in columns:
        kinds.add_column(col, justify="left" if col in ("weeks", "how") else "right")
    for k in doc["kinds"]:
        kinds.add_row(
            str(k["kind"]),
            _weeks(k["weeks"]),
            f"{k['volume_factor']:.3g}×",
            f"{k['handle_factor']:.3g}×",
            f"{k['shrinkage']:.1%}",
            kind_planned(k),
            *[f"{k['required_fte'].get(g, 0.0):.2f}" for g in groups],
        )
    out.print(kinds)
    title = f"{doc['scenario']}: {len(doc['weeks'])} weeks from {doc['start']}"
    for key, rows in (("month", doc["months"]), ("quarter", doc["quarters"])):
        table = Figures(title=title if key == "month" else None)
        table.add_column(key)
        table.add_column("days", justify="right")  # of the calendar: part periods show
        table.add_column(f"cost ({cur})", justify="right")
        for g in groups:  # the mean over its days; hires decided in it (the workbook's words)
            table.add_column(f"mean FTE required {g}", justify="right")
            table.add_column(f"mean FTE employed {g}", justify="right")
            table.add_column(f"hires decided {g}", justify="right")
        if key == "quarter":  # each year's part and the whole span, as the workbook adds them
            years = sorted({q["quarter"][:4] for q in rows})
            rows = rows + [
                added([q for q in rows if q["quarter"].startswith(y)], key, f"{y} (its quarters)")
                for y in (years if len(years) > 1 else [])
            ]
            rows.append(added(doc["quarters"], key, "total (sum of quarters)"))
        for m in rows:
            per_group = [
                x
                for g in groups
                for x in (_fte(m["required_fte"][g]), _fte(m["fte"][g]), str(m["hires"][g]))
            ]
            table.add_row(m[key], str(m["days"]), f"{m['cost']:,.2f}", *per_group)
        out.print(table)
    hires = ", ".join(f"{g} {n}" for g, n in doc["hires_total"].items())
    out.print(f"total cost {doc['total_cost']:,.2f} {cur}; hires: {hires}", markup=False)


def _fte(value: float | None) -> str:
    """A mean FTE of a period, blank for a total (a mean is not added)."""
    return "" if value is None else f"{value:.2f}"
