"""The planners' notebooks: each runs top to bottom (quick setting, `CCSIM_QUICK=1`), and
they are stored in git without outputs."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import ccsim
from ccsim.atomic import MANIFEST

# one worker runs every notebook under `-n auto` (`--dist loadgroup`, pyproject.toml):
# kernels started in two processes at once can pick the same port (jupyter_client#487)
pytestmark = pytest.mark.xdist_group("notebooks")

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
EXPECTED = [
    "01_quickstart",
    "02_what_if",
    "03_plan_and_cost",
    "04_anger_curve",
    "05_from_history",
    "06_year_plan",
]


def notebooks() -> list[Path]:
    return sorted(NOTEBOOKS.glob("*.ipynb"))


def test_the_planners_notebooks_are_there():
    assert [p.stem for p in notebooks()] == EXPECTED


def test_notebooks_are_stored_without_outputs():
    dirty = []
    for path in notebooks():
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        for i, cell in enumerate(nb.cells):
            if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None):
                dirty.append(f"{path.name}: cell {i}")
        if "widgets" in nb.metadata:
            dirty.append(f"{path.name}: widget state in the metadata")
    assert not dirty, (
        "notebooks must be committed without outputs (run `nbstripout notebooks/*.ipynb`): "
        + ", ".join(dirty)
    )


@pytest.mark.parametrize("name", EXPECTED)
def test_notebook_runs_top_to_bottom(name, tmp_path, monkeypatch):
    monkeypatch.setenv("CCSIM_QUICK", "1")  # fewer replications; the code path is the same
    monkeypatch.setenv("CCSIM_NOTEBOOK_OUT", str(tmp_path))  # exports go here, not the repo
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    # raises CellExecutionError, with the cell and its traceback, if any cell fails;
    # the timeout only stops a hung kernel
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}
    ).execute()
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code)
    outputs = [o for c in code for o in c.outputs]
    assert any("image/png" in o.get("data", {}) for o in outputs), "no chart was drawn"
    if name == "03_plan_and_cost":
        plan = tmp_path / "plan"
        assert {"report.xlsx", "report.html", "roster.yaml", "plan.json"} <= {
            p.name for p in plan.iterdir()
        }
    if name == "05_from_history":  # the fitted scenario loads; the backtest folder is whole
        assert ccsim.load(tmp_path / "fitted.yaml").channels
        assert {"backtest.json", "intervals.csv", "backtest.png", "backtest.html", MANIFEST} == {
            p.name for p in (tmp_path / "backtest").iterdir()
        }
    if name == "06_year_plan":  # the year's folder holds what finance opens
        assert {
            "capacity.json",
            "weeks.csv",
            "months.csv",
            "quarters.csv",
            "report.xlsx",
            "report.html",
            MANIFEST,
        } == {p.name for p in (tmp_path / "year").iterdir()}
