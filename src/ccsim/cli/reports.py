"""`ccsim report`: the Excel workbook and HTML report of a run or plan output folder (a
thin layer over `ccsim.write_report`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ccsim.cli.app import app
from ccsim.cli.common import fail, fail_usage, out


@app.command()
def report(
    result_dir: Annotated[
        Path, typer.Argument(metavar="FOLDER", help="the --out folder of ccsim run or plan")
    ],
) -> None:
    """Write report.xlsx and report.html (charts inline) from a run or plan output folder."""
    import ccsim
    from ccsim.report.model import ReportError

    if not result_dir.exists():
        fail_usage(f"{result_dir}: no such folder")
    try:
        written = ccsim.write_report(result_dir)
    except ReportError as exc:
        fail(str(exc))
    out.print("report written: " + ", ".join(str(p) for p in written), markup=False)
