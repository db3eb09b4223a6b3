"""`ccsim report`: the Excel workbook and HTML report of a run or plan output folder
(a thin layer over `ccsim.report`); also used by `run --report` and `plan --report`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ccsim.cli import _fail_usage, app
from ccsim.cli_common import EXIT_FAIL, err, out


def write_report(folder: Path) -> None:
    """Write report.xlsx and report.html into `folder`; a bad folder exits 1 with one line."""
    from ccsim import report as reports

    try:
        written = reports.write(folder)
    except reports.ReportError as exc:
        err.print(f"ccsim: error: {exc}", markup=False)
        raise typer.Exit(EXIT_FAIL) from None
    out.print("report written: " + ", ".join(str(p) for p in written), markup=False)


@app.command()
def report(
    result_dir: Annotated[Path, typer.Argument(help="the --out folder of ccsim run or plan")],
) -> None:
    """Write report.xlsx and report.html (charts inline) from a run or plan output folder."""
    if not result_dir.exists():
        _fail_usage(f"{result_dir}: no such folder")
    write_report(result_dir)
