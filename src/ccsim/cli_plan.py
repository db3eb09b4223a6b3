"""`ccsim plan`: the cheapest roster that meets every target (a thin layer over
`ccsim.planner.plan`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ccsim import units
from ccsim.cli import (
    AsJson,
    Quiet,
    Report,
    Scheduler,
    Seed,
    Workers,
    _fail_usage,
    _load_or_exit,
    app,
    needs_out,
    show_result,
)
from ccsim.cli_common import EXIT_FAIL, EXIT_OK, err


@app.command()
def plan(
    scenario: Annotated[Path, typer.Argument(help="scenario file")],
    seed: Seed = None,
    workers: Workers = None,
    scheduler: Scheduler = None,
    as_json: AsJson = False,
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", help="write plan.json, roster.yaml and the run outputs here"),
    ] = None,
    start_grid: Annotated[
        str | None,
        typer.Option(help="also try each shift template at every start on this grid, e.g. 30min"),
    ] = None,
    reps: Annotated[
        int, typer.Option("--reps", "-n", min=2, help="replications per roster tried")
    ] = 8,
    verify: Annotated[int, typer.Option(min=2, help="fresh replications to verify")] = 30,
    time_budget: Annotated[
        str, typer.Option(help="stop trimming after this long (e.g. 150s, 5min)")
    ] = "150s",
    baseline: Annotated[bool, typer.Option(help="also plan the Erlang C baseline")] = True,
    quiet: Quiet = False,
    report: Report = False,
) -> None:
    """Find the cheapest roster that meets every target, verified on fresh seeds."""
    from ccsim import console, documents, experiment, output, planner

    needs_out(report, out_dir)
    s = _load_or_exit(scenario)
    grid = _duration(start_grid, "--start-grid") if start_grid else None
    if grid is not None and not (0 < grid <= units.MINUTES_PER_DAY):
        _fail_usage("--start-grid must be between 1min and 24h")
    budget = _duration(time_budget, "--time-budget") * 60.0
    status = None
    if not quiet and err.is_terminal:
        status = err.status("planning")
        status.start()

    def say(message: str) -> None:
        if status is not None:
            status.update(f"planning: {message}")

    try:
        result = planner.plan(
            s,
            seed=seed,
            replications=reps,
            verify=verify,
            start_grid=grid,
            workers=workers,
            scheduler=scheduler,
            time_budget=budget,
            baseline=baseline,
            progress=say,
        )
    except (experiment.WorkerError, planner.PlanError) as exc:
        err.print(f"ccsim: error: {scenario}: {exc}", markup=False)
        raise typer.Exit(EXIT_FAIL) from None
    finally:
        if status is not None:
            status.stop()
    doc = documents.plan_document(result)
    if out_dir is not None:
        output.write_plan(out_dir, result, doc)
    show_result(doc, as_json, console.render_plan, out_dir, "plan written to", report)
    for u in result.unmet:
        err.print(f"ccsim: unmet target: {u.channel} {u.metric}: {u.reason}", markup=False)
    raise typer.Exit(EXIT_OK if result.all_met else EXIT_FAIL)


def _duration(text: str, option: str) -> float:
    try:
        return units.parse_duration(text)
    except ValueError as exc:
        _fail_usage(f"{option}: {exc}")
        raise  # unreachable: _fail_usage exits
