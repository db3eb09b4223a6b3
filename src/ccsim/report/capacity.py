"""What finance opens of a capacity plan: capacity.json, weeks.csv and months.csv, and
with `--report` an Excel workbook (Weeks and Months sheets, totals as formulas that
reconcile with the JSON to the cent) and an HTML page with the year's chart —
rendered from the CapacityPlan in memory (docs/capacity.md)."""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ccsim.atomic import atomic_folder
from ccsim.planning.capacity import CapacityPlan
from ccsim.report import charts, pages
from ccsim.report.history import write_json
from ccsim.scenario import units

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from openpyxl import Workbook


def write(folder: Path, cp: CapacityPlan, with_report: bool = False) -> Path:
    """capacity.json, weeks.csv, months.csv (and report.xlsx, report.html) atomically."""
    doc = cp.document()
    with atomic_folder(folder) as tmp:
        write_json(tmp / "capacity.json", doc)
        cp.weeks.to_csv(tmp / "weeks.csv", index=False)
        cp.months.to_csv(tmp / "months.csv", index=False)
        if with_report:
            workbook(cp).save(tmp / "report.xlsx")
            (tmp / "report.html").write_text(html(cp), encoding="utf-8")
    return Path(folder)


def year_chart(cp: CapacityPlan) -> Figure:
    """Required against available (productive) FTE per week, one panel per group, with
    cover stacked on the available and hires decided as bars."""
    groups = [g for g in cp.groups if cp.weeks[f"required:{g}"].max() > 0]
    groups = groups or list(cp.groups)
    fig, axes = charts.figure(len(groups), height=2.6)
    weeks = cp.weeks["week"].to_numpy()
    for ax, g in zip(axes, groups, strict=True):
        w = cp.weeks
        available = w[f"productive:{g}"].to_numpy()
        cover = (w[f"overtime:{g}"] + w[f"temporary:{g}"]).to_numpy()
        ax.fill_between(weeks, 0, available, step="mid", color="C0", alpha=0.35, label="available")
        ax.fill_between(
            weeks, available, available + cover, step="mid", color="C1", alpha=0.5, label="cover"
        )
        ax.step(weeks, w[f"required:{g}"], where="mid", color="black", lw=1.5, label="required")
        hires = w[f"hires:{g}"].to_numpy()
        if hires.any():
            twin = ax.twinx()
            twin.bar(weeks, hires, color="C2", alpha=0.8, width=0.6, label="hires decided")
            twin.set_ylabel("hires", fontsize=8)
            twin.set_ylim(0, max(hires.max() * 3, 1))
            twin.legend(loc="upper right", fontsize=8)
        ax.set_ylabel("FTE")
        ax.set_xlabel("week")
        ax.set_title(f"{g}: required against available FTE", loc="left")
        ax.legend(loc="upper left", fontsize=8, ncols=3)
        ax.grid(alpha=0.3)
    return fig


def html(cp: CapacityPlan) -> str:
    """One self-contained page: totals, months, the chart."""
    doc = cp.document()
    image = base64.b64encode(charts.png(year_chart(cp))).decode("ascii")
    weeks = {k["kind"]: units.format_runs(k["weeks"]) for k in doc["kinds"]}
    uncovered = {g: units.format_runs(w) for g, w in doc["shortfall_weeks"].items()}
    return pages.render("capacity.html", doc=doc, image=image, weeks=weeks, uncovered=uncovered)


def workbook(cp: CapacityPlan) -> Workbook:
    """Weeks and Months sheets; week costs and every total are formulas."""
    from openpyxl import Workbook  # the whole of openpyxl only when a workbook is made

    doc = cp.document()
    money = f'#,##0.00 "{doc["currency"]}"'
    groups = list(cp.groups)
    wb = Workbook()
    weeks = wb.active
    weeks.title = "Weeks"
    header = ["week", "start", "volume factor", "handle-time factor", "shrinkage"]
    per_group = ["required", "available", "employed", "cover", "shortfall"]
    for g in groups:  # employed: what the wages pay; shortfall: what nothing covered
        header += [f"{what} FTE {g}" for what in per_group] + [f"hires {g}"]
    header += ["wages and overhead", "cover", "hiring", "contacts", "cost"]  # (said wages)
    weeks.append(header)
    first_cost = len(header) - 4  # 1-based column of wages and overhead
    a, d = get_column_letter(first_cost), get_column_letter(first_cost + 3)
    for i, w in enumerate(doc["weeks"], start=2):
        start = dt.date.fromisoformat(w["start"])  # a date, not text: it sorts and filters
        row: list[Any] = [w["week"], start, w["volume_factor"], w["handle_factor"], w["shrinkage"]]
        for g in groups:
            row += [
                w["required_fte"][g],
                w["available_fte"][g],
                w["employed_fte"][g],
                w["cover_fte"][g],
                w["shortfall_fte"][g],
                w["hires"][g],
            ]
        row += [w["cost_wages"], w["cost_cover"], w["cost_hiring"], w["cost_contacts"]]
        row.append(f"=ROUND(SUM({a}{i}:{d}{i}),2)")
        weeks.append(row)
    last = len(doc["weeks"]) + 1
    total: list[Any] = ["total", None, None, None, None]
    for j in range(len(total) + 1, len(header) + 1):
        name = header[j - 1]
        summed = name.startswith("hires") or j >= first_cost
        total.append(
            f"=ROUND(SUM({get_column_letter(j)}2:{get_column_letter(j)}{last}),2)"
            if summed
            else None
        )
    weeks.append(total)
    for cells in weeks.iter_rows(min_row=2, min_col=first_cost, max_col=len(header)):
        for cell in cells:
            cell.number_format = money
    for cells in weeks.iter_rows(min_row=2, max_row=last, min_col=2, max_col=5):
        cells[0].number_format = "yyyy-mm-dd"
        cells[3].number_format = "0.0%"
    for cell in weeks[1]:
        cell.font = Font(bold=True)
    for cell in weeks[last + 1]:
        cell.font = Font(bold=True)
    weeks.freeze_panes = "C2"

    months = wb.create_sheet("Months")
    # days: of the plan in the month (its first and last months are part months)
    months.append(["month", "days", "cost", *[f"FTE employed {g}" for g in groups]])
    for m in doc["months"]:
        months.append([m["month"], m["days"], m["cost"], *[m["fte"][g] for g in groups]])
    n = len(doc["months"]) + 1
    months.append(["year (sum of months)", f"=SUM(B2:B{n})", f"=ROUND(SUM(C2:C{n}),2)"])
    cost_col = get_column_letter(len(header))
    months.append(["year (sum of weeks)", None, f"=Weeks!{cost_col}{last + 1}"])
    for cells in months.iter_rows(min_row=2, min_col=3, max_col=3):
        for cell in cells:
            cell.number_format = money
    for cell in months[1]:
        cell.font = Font(bold=True)
    months.freeze_panes = "C2"
    for ws in (weeks, months):
        for column in ws.columns:
            width = max(len(str(c.value or "")) for c in column[:60])
            ws.column_dimensions[column[0].column_letter].width = min(max(10, width + 2), 40)
    return wb
