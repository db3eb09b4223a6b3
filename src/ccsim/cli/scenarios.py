"""`ccsim validate`, `ccsim schema`, `ccsim show`: scenario files checked and summarised."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ccsim.cli.app import app
from ccsim.cli.common import (
    EXIT_FAIL,
    EXIT_OK,
    AllowPath,
    AsJson,
    MaxFileSize,
    counted,
    err,
    fail_usage,
    file_limits,
    load_or_exit,
    message_json,
    out,
)
from ccsim.scenario import units


@app.command()
def validate(
    paths: Annotated[list[Path], typer.Argument(metavar="PATH", help="scenario files or folders")],
    as_json: AsJson = False,
    strict: Annotated[bool, typer.Option(help="treat warnings as errors")] = False,
    allow_path: AllowPath = None,
    max_file_size: MaxFileSize = None,
) -> None:
    """Load and validate scenario files (folders: every *.yaml, *.yml inside, not hidden)."""
    from ccsim.scenario import loader

    missing = [p for p in paths if not p.exists()]
    if missing:
        for p in missing:
            err.print(f"ccsim: error: {p}: file not found", markup=False)
        raise typer.Exit(2)
    files = loader.expand_paths(paths)
    if not files:
        fail_usage("no *.yaml or *.yml files found in " + ", ".join(map(str, paths)))
    results = loader.validate_paths(paths, allow_path or (), file_limits(max_file_size))
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
                    "errors": [message_json(m) for m in msgs if not m.warning],
                    "warnings": [message_json(m) for m in msgs if m.warning],
                }
                for f, msgs in results.items()
            ],
        }
        print(json.dumps(doc, indent=2))
        for msgs in results.values():  # the log a CI job shows, as `check --json` does
            for m in msgs:
                err.print(str(m), markup=False)
    else:
        for f, msgs in results.items():
            for m in msgs:  # every problem, warnings too, one line on stderr (docs/ci.md)
                err.print(str(m), markup=False)
            # each file's verdict and why (an invalid file had no line; under --strict a
            # file of warnings alone was counted invalid without a word of why)
            errors, warned = sum(not m.warning for m in msgs), sum(m.warning for m in msgs)
            if f not in invalid:
                said = f"ok ({counted(warned, 'warning')})" if warned else "ok"
            elif errors:  # (its text's warnings come with its errors, since 2026-12-07)
                also = f", {counted(warned, 'warning')}" if warned else ""
                said = f"invalid ({counted(errors, 'error')}{also})"
            else:
                said = f"invalid ({counted(warned, 'warning')}, --strict)"
            out.print(f"{units.printable(f)}: {said}", markup=False)
        n = len(results)
        out.print(f"{n - len(invalid)} of {n} scenario file(s) valid", markup=False)
    raise typer.Exit(EXIT_FAIL if invalid else EXIT_OK)


@app.command()
def schema() -> None:
    """Print the scenario JSON Schema."""
    from ccsim.scenario.model import json_schema

    print(json.dumps(json_schema(), indent=2))


@app.command()
def show(
    scenario: Annotated[Path, typer.Argument(metavar="SCENARIO", help="scenario file")],
    allow_path: AllowPath = None,
    max_file_size: MaxFileSize = None,
) -> None:
    """Validate a scenario and print a readable summary of it."""
    from ccsim.report.console import render_scenario

    s = load_or_exit(scenario, allow_path, max_file_size)
    for w in s.warnings:
        err.print(str(w), markup=False)
    render_scenario(s, out)
