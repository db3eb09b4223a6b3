"""The `ccsim` command line: a thin layer over the Python API.

Exit codes: 0 ok, 1 invalid scenario / targets not met, 2 usage error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ccsim import loader
from ccsim.scenario import json_schema

app = typer.Typer(
    name="ccsim",
    help="Contact-center capacity planning by simulation.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, highlight=False, soft_wrap=True)

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


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


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        err.print("ccsim: interrupted")
        sys.exit(130)
