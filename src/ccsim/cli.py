"""The `ccsim` command line: a thin layer over the Python API.

Exit codes: 0 ok, 1 invalid scenario / targets not met, 2 usage error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ccsim import loader
from ccsim.cli_common import EXIT_FAIL, EXIT_OK, EXIT_USAGE, err, out
from ccsim.scenario import json_schema

app = typer.Typer(
    name="ccsim",
    help="Contact-center capacity planning by simulation.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _fail_usage(message: str) -> None:
    err.print(f"ccsim: error: {message}", markup=False)
    raise typer.Exit(EXIT_USAGE)


def _load_or_exit(path: Path):
    """Load one scenario; on a problem print every message and exit 1."""
    if not path.exists():
        _fail_usage(f"{path}: file not found")
    try:
        return loader.load(path)
    except loader.ScenarioError as exc:
        for message in exc.messages:
            err.print(str(message), markup=False)
        raise typer.Exit(EXIT_FAIL) from None


@app.command()
def validate(
    paths: Annotated[list[Path], typer.Argument(help="scenario files or folders")],
    as_json: Annotated[bool, typer.Option("--json", help="one JSON document on stdout")] = False,
    strict: Annotated[bool, typer.Option(help="treat warnings as errors")] = False,
) -> None:
    """Load and validate scenario files (folders: every *.yaml inside)."""
    missing = [p for p in paths if not p.exists()]
    if missing:
        for p in missing:
            err.print(f"ccsim: error: {p}: file not found", markup=False)
        raise typer.Exit(EXIT_USAGE)
    files = loader.expand_paths(paths)
    if not files:
        _fail_usage("no *.yaml files found in " + ", ".join(map(str, paths)))
    results = loader.validate_paths(files)
    invalid = {f for f, msgs in results.items() if any(not m.warning for m in msgs)}
    if strict:
        invalid |= {f for f, msgs in results.items() if msgs}
    if as_json:
        doc = {
            "valid": not invalid,
            "files": [
                {
                    "path": f,
                    "valid": f not in invalid,
                    "errors": [_message_dict(m) for m in msgs if not m.warning],
                    "warnings": [_message_dict(m) for m in msgs if m.warning],
                }
                for f, msgs in results.items()
            ],
        }
        print(json.dumps(doc, indent=2))
    else:
        for f, msgs in results.items():
            for m in msgs:
                (out if m.warning else err).print(str(m), markup=False)
            if f not in invalid:
                out.print(f"{f}: ok", markup=False)
        n = len(results)
        out.print(f"{n - len(invalid)} of {n} scenario file(s) valid", markup=False)
    raise typer.Exit(EXIT_FAIL if invalid else EXIT_OK)


def _message_dict(m: loader.Message) -> dict:
    return {"line": m.line, "field": m.field, "message": m.message}


@app.command()
def schema() -> None:
    """Print the scenario JSON Schema."""
    print(json.dumps(json_schema(), indent=2))


@app.command()
def show(scenario: Annotated[Path, typer.Argument(help="scenario file")]) -> None:
    """Validate a scenario and print a readable summary of it."""
    from ccsim import summary

    s = _load_or_exit(scenario)
    for w in s.warnings:
        err.print(str(w), markup=False)
    summary.render(s, out)


# --- ccsim erlang {c,a}: the analytic calculator --------------------------------------------


def _progress(quiet: bool):
    """A progress callback drawing a bar on stderr (None when quiet or not a terminal)."""
    if quiet or not err.is_terminal:
        return None, None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    bar = Progress(
        "simulating",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )
    task = bar.add_task("replications", total=None)
    return bar, lambda done, total: bar.update(task, completed=done, total=total)


def _simulate(
    s, reps, seed, workers, scheduler, quiet, contacts=False, precision=None, max_reps=200
):
    """Run the replications with a progress bar; worker failures exit 1 with a message."""
    from ccsim import experiment

    bar, callback = _progress(quiet)
    options = dict(workers=workers, scheduler=scheduler, contacts=contacts, progress=callback)
    try:
        if bar is not None:
            bar.start()
        if precision is not None:
            return experiment.run_to_precision(s, reps, seed, precision, max_reps, **options)
        return experiment.run(s, reps, seed, **options)
    except experiment.WorkerError as exc:
        err.print(f"ccsim: error: {exc}", markup=False)
        raise typer.Exit(EXIT_FAIL) from None
    finally:
        if bar is not None:
            bar.stop()


def needs_out(report: bool, out_dir: Path | None) -> None:
    """`--report` writes into the --out folder: without one it is a usage error."""
    if report and out_dir is None:
        _fail_usage("--report needs --out DIR (the report is written into that folder)")


def show_result(doc, as_json, render, out_dir, written, report) -> None:
    """Print a run or plan document (JSON, or `render`ed tables), say where it was
    written, and write the report of that folder when asked."""
    if as_json:
        print(json.dumps(doc, indent=2, ensure_ascii=False))
    else:
        render(doc, out)
        if out_dir is not None:
            out.print(f"{written} {out_dir}/", markup=False)
    if report:
        cli_report.write_report(out_dir)


def _run_settings(s, reps, seed):
    if reps is not None and reps < 1:
        _fail_usage("--reps must be at least 1")
    seed = seed if seed is not None else s.simulation.seed
    if seed is None:
        import secrets

        seed = secrets.randbits(63)
    return reps or s.simulation.replications, seed


Reps = Annotated[
    int | None, typer.Option("--reps", "-n", help="replications (default: the scenario's)")
]
Seed = Annotated[int | None, typer.Option(help="seed (default: the scenario's, else random)")]
Workers = Annotated[
    int | None,
    typer.Option("--workers", "-w", min=1, help="local worker processes (default: cores)"),
]
Scheduler = Annotated[str | None, typer.Option(help="Dask scheduler address, e.g. tcp://host:8786")]
AsJson = Annotated[bool, typer.Option("--json", help="one JSON document on stdout")]
Report = Annotated[
    bool, typer.Option("--report", help="with --out: also write report.xlsx and report.html")
]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="no progress bar")]


@app.command()
def run(
    scenario: Annotated[Path, typer.Argument(help="scenario file")],
    reps: Reps = None,
    seed: Seed = None,
    workers: Workers = None,
    scheduler: Scheduler = None,
    as_json: AsJson = False,
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="write run.json, CSV tables, meta.json here")
    ] = None,
    contacts: Annotated[bool, typer.Option(help="with --out: also contacts.parquet")] = False,
    precision: Annotated[
        float | None,
        typer.Option(
            min=0.0, help="add replications until every service-level CI half-width ≤ this"
        ),
    ] = None,
    max_reps: Annotated[int, typer.Option(min=1, help="cap for --precision")] = 200,
    quiet: Quiet = False,
    report: Report = False,
) -> None:
    """Simulate the scenario's roster N times: service levels with 95% CIs, occupancy, cost."""
    from ccsim import console, documents, output

    needs_out(report, out_dir)
    s = _load_or_exit(scenario)
    reps, seed = _run_settings(s, reps, seed)
    if not any(s.agents_per_group().values()):
        err.print(
            f"ccsim: warning: {scenario}: the roster has no agents, so nobody answers "
            "(add `roster:` lines, or find one with `ccsim plan`)",
            markup=False,
        )
    keep = contacts and out_dir is not None
    result = _simulate(s, reps, seed, workers, scheduler, quiet, keep, precision, max_reps)
    doc = documents.run_document(result)
    if out_dir is not None:
        output.write_run(out_dir, result, doc, contacts=contacts)
    show_result(doc, as_json, console.render_run, out_dir, "results written to", report)


@app.command()
def check(
    paths: Annotated[list[Path], typer.Argument(help="scenario files or folders")],
    reps: Reps = None,
    seed: Seed = None,
    confidence: Annotated[
        float | None,
        typer.Option(
            min=0.5, max=0.9999, help="require the one-sided lower bound to meet each target"
        ),
    ] = None,
    junit: Annotated[Path | None, typer.Option(help="write JUnit XML here")] = None,
    workers: Workers = None,
    scheduler: Scheduler = None,
    as_json: AsJson = False,
    quiet: Quiet = False,
) -> None:
    """Validate, simulate and assert every target (exit 1 if any is missed)."""
    from ccsim import documents, targets
    from ccsim import junit as junit_xml

    missing = [p for p in paths if not p.exists()]
    if missing:
        _fail_usage(", ".join(f"{p}: file not found" for p in missing))
    files = loader.expand_paths(paths)
    if not files:
        _fail_usage("no *.yaml files found in " + ", ".join(map(str, paths)))
    ok = True
    report: dict[str, list] = {}
    docs = []
    for path in files:
        try:
            s = loader.load(path)
        except loader.ScenarioError as exc:
            ok = False
            report[str(path)] = [str(m) for m in exc.messages]
            docs.append(
                {
                    "path": str(path),
                    "valid": False,
                    "errors": report[str(path)],
                    "targets_met": False,
                }
            )
            for m in exc.messages:
                err.print(str(m), markup=False)
            continue
        n, file_seed = _run_settings(s, reps, seed)
        result = _simulate(s, n, file_seed, workers, scheduler, quiet)
        checks = targets.evaluate(result, confidence)
        report[str(path)] = checks
        met = all(c.met for c in checks)
        ok &= met
        docs.append(
            {
                "path": str(path),
                "valid": True,
                "targets_met": met,
                "run": documents.run_document(result, confidence),
            }
        )
        if not as_json:
            for c in checks:
                mark = "ok  " if c.met else "MISS"
                out.print(
                    f"{mark} {path}: {c.name}: estimate {c.mean:.4f} "
                    f"(95% CI {c.ci[0]:.4f}-{c.ci[1]:.4f})",
                    markup=False,
                )
    if junit is not None:
        junit_xml.write(junit, report)
    if as_json:
        print(
            json.dumps(
                {"targets_met": ok, "confidence": confidence, "files": docs},
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        out.print(
            "every target met" if ok else "some targets missed or files invalid", markup=False
        )
    raise typer.Exit(EXIT_OK if ok else EXIT_FAIL)


def _split_values(text: str) -> list[str]:
    """`4000,4800` → ["4000", "4800"]; commas inside {...}, [...] or quotes do not split."""
    parts, depth, quote, current = [], 0, "", ""
    for ch in text:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        current += ch
    parts.append(current)
    return [p.strip() for p in parts]


def _parse_grid(settings: list[str]) -> dict[str, list]:
    """`--set key=v1,v2` options as a grid; values read as YAML (numbers, off, {...})."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    grid: dict[str, list] = {}
    for setting in settings:
        key, sep, values = setting.partition("=")
        if not sep or not key.strip() or not values.strip():
            _fail_usage(f"--set {setting!r}: expected KEY=VALUE[,VALUE...]")
        try:
            grid[key.strip()] = [yaml.load(v) for v in _split_values(values)]
        except Exception as exc:
            _fail_usage(f"--set {setting!r}: cannot read the values ({exc})")
    return grid


@app.command()
def sweep(
    scenario: Annotated[Path, typer.Argument(help="scenario file")],
    settings: Annotated[
        list[str],
        typer.Option("--set", help="KEY=V1,V2: a field path and the values to try (repeatable)"),
    ],
    reps: Reps = None,
    seed: Seed = None,
    workers: Workers = None,
    scheduler: Scheduler = None,
    as_json: AsJson = False,
) -> None:
    """What-if sweep: every combination of the --set values, under common random numbers."""

    from ccsim import experiment, whatif

    s = _load_or_exit(scenario)
    grid = _parse_grid(settings)
    reps, seed = _run_settings(s, reps, seed)
    try:
        table = whatif.sweep(s, grid, reps, seed, workers=workers, scheduler=scheduler)
    except loader.ScenarioError as exc:
        for m in exc.messages:
            err.print(f"ccsim: error: {m}", markup=False)
        raise typer.Exit(EXIT_FAIL) from None
    except (experiment.WorkerError, ValueError) as exc:
        err.print(f"ccsim: error: {exc}", markup=False)
        raise typer.Exit(EXIT_FAIL) from None
    shown = table[table["metric"].str.startswith("sl_") | (table["metric"] == "abandon_rate")]
    if as_json:
        doc = {
            "scenario": s.name,
            "replications": reps,
            "seed": seed,
            "grid": grid,
            "rows": json.loads(table.to_json(orient="records")),
        }
        print(json.dumps(doc, indent=2, ensure_ascii=False))
        return
    view = Table(title=f"{s.name}: what-if sweep, {reps} replication(s), seed {seed}")
    for col in [*grid, "channel", "metric", "estimate", "95% CI"]:
        view.add_column(col, justify="right" if col in ("estimate", "95% CI") else "left")
    for row in shown.itertuples(index=False):
        values = [str(v) for v in row[: len(grid)]]
        view.add_row(
            *values,
            row.channel,
            row.metric,
            f"{row.mean:.1%}",
            f"{row.ci_low:.1%}–{row.ci_high:.1%}",
        )
    out.print(view)


from ccsim import cli_plan, cli_report  # noqa: E402,F401 - register `ccsim plan`, `report`
from ccsim.cli_erlang import erlang_app  # noqa: E402 - registered after the app exists

app.add_typer(erlang_app, name="erlang")


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        err.print("ccsim: interrupted")
        sys.exit(130)
