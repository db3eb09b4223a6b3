"""What finance opens of a capacity plan: capacity.json, weeks.csv, months.csv and
quarters.csv, and with `--report` an Excel workbook (Weeks, Months, Quarters and
Assumptions sheets, totals as formulas that reconcile with the JSON to the cent) and an
HTML page with the year's chart —
rendered from the CapacityPlan in memory (docs/capacity.md)."""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ccsim.atomic import atomic_folder
from ccsim.finance.cost import fte_cost
from ccsim.planning.capacity import COSTS, CapacityPlan
from ccsim.report import charts, pages
from ccsim.report.history import write_json
from ccsim.scenario import units

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet


def write(folder: Path, cp: CapacityPlan, with_report: bool = False) -> Path:
    """capacity.json, weeks.csv, months.csv, quarters.csv (and report.xlsx, report.html)
    atomically."""
    doc = cp.document()
    with atomic_folder(folder) as tmp:
        write_json(tmp / "capacity.json", doc)
        cp.weeks.to_csv(tmp / "weeks.csv", index=False)
        cp.months.to_csv(tmp / "months.csv", index=False)
        cp.quarters.to_csv(tmp / "quarters.csv", index=False)
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
    """Weeks, Months, Quarters and Assumptions sheets; every cost and total a formula
    but the weeks' own costs (docs/capacity.md)."""
    from openpyxl import Workbook  # the whole of openpyxl only when a workbook is made

    doc = cp.document()
    money = f'#,##0.00 "{doc["currency"]}"'
    wb = Workbook()
    weeks = wb.active
    weeks.title = "Weeks"
    totals = _weeks_sheet(weeks, doc, list(cp.groups), money)
    months = wb.create_sheet("Months")
    spans = _months_sheet(months, doc, list(cp.groups), money, totals)
    _quarters_sheet(wb.create_sheet("Quarters"), doc, list(cp.groups), money, spans)
    _assumptions_sheet(wb.create_sheet("Assumptions"), cp)
    for ws in wb.worksheets:
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for column in ws.columns:
            width = max(len(str(c.value or "")) for c in column[:60])
            ws.column_dimensions[column[0].column_letter].width = min(max(10, width + 2), 40)
    return wb


COST_NAMES = ("wages and overhead", "cover", "hiring", "contacts")  # (said "wages")


def _weeks_sheet(ws: Worksheet, doc: dict[str, Any], groups: list[str], money: str) -> dict:
    """A row per week and a total row; returns the total row's cell of each summed
    column by its header."""
    header = ["week", "start", "volume factor", "handle-time factor", "shrinkage"]
    per_group = ["required", "available", "employed", "cover", "shortfall"]
    for g in groups:  # employed: what the wages pay; shortfall: what nothing covered
        header += [f"{what} FTE {g}" for what in per_group] + [f"hires decided {g}"]
    header += [*COST_NAMES, "cost"]
    ws.append(header)
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
        ws.append(row)
    last = len(doc["weeks"]) + 1
    total: list[Any] = ["total", None, None, None, None]
    cells = {}
    for j in range(len(total) + 1, len(header) + 1):
        name, col = header[j - 1], get_column_letter(j)
        summed = name.startswith("hires") or j >= first_cost
        total.append(f"=ROUND(SUM({col}2:{col}{last}),2)" if summed else None)
        cells[name] = f"{col}{last + 1}"
    ws.append(total)
    for row_cells in ws.iter_rows(min_row=2, min_col=first_cost, max_col=len(header)):
        for cell in row_cells:
            cell.number_format = money
    for row_cells in ws.iter_rows(min_row=2, max_row=last, min_col=2, max_col=5):
        row_cells[0].number_format = "yyyy-mm-dd"
        row_cells[3].number_format = "0.0%"
    for cell in ws[last + 1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "C2"
    return cells


def _period_header(label: str, groups: list[str], end: str) -> list[str]:
    header = [label, "days", "cost", *COST_NAMES]
    for g in groups:
        header += [f"hires decided {g}", f"mean FTE employed {g}", f"FTE employed {g} at {end}"]
    return header


def _months_sheet(
    ws: Worksheet, doc: dict[str, Any], groups: list[str], money: str, weeks: dict
) -> dict[str, tuple[int, int]]:
    """A row per month (days: of the plan in it; its first and last months are part
    months), its cost the sum of its parts, and the year twice: the sum of the months and
    the Weeks sheet's totals. Returns each quarter's first and last row."""
    ws.append(_period_header("month", groups, "month end"))
    spans: dict[str, tuple[int, int]] = {}
    for i, m in enumerate(doc["months"], start=2):
        ws.append([m["month"], m["days"], f"=ROUND(SUM(D{i}:G{i}),2)", *_parts(m, groups)])
        q = f"{m['month'][:4]}-Q{(int(m['month'][5:7]) - 1) // 3 + 1}"
        spans[q] = (spans.get(q, (i, i))[0], i)
    n = len(doc["months"]) + 1
    year: list[Any] = ["year (sum of months)", f"=SUM(B2:B{n})"]
    for j in range(3, ws.max_column + 1):
        col, name = get_column_letter(j), ws.cell(1, j).value
        money_col = j <= 3 + len(COST_NAMES)
        summed = money_col or name.startswith("hires")
        year.append((f"=ROUND(SUM({col}2:{col}{n}),2)" if money_col else f"=SUM({col}2:{col}{n})")
                    if summed else None)  # fmt: skip
    ws.append(year)
    check: list[Any] = ["year (sum of weeks)", None]  # the weeks' totals, to reconcile
    for j in range(3, ws.max_column + 1):
        name = ws.cell(1, j).value  # cost, its parts and hires: the Weeks sheet's names
        check.append(f"=Weeks!{weeks[name]}" if name in weeks else None)
    ws.append(check)
    _money(ws, money)
    for cell in (*ws[n + 1], *ws[n + 2]):
        cell.font = Font(bold=True)
    ws.freeze_panes = "C2"
    return spans


def _quarters_sheet(
    ws: Worksheet,
    doc: dict[str, Any],
    groups: list[str],
    money: str,
    spans: dict[str, tuple[int, int]],
) -> None:
    """A row per calendar quarter — sums of its months' rows on the Months sheet, the
    mean FTE over its days, the FTE of its last month's end — and the year."""
    ws.append(_period_header("quarter", groups, "quarter end"))
    for q in doc["quarters"]:
        a, b = spans[q["quarter"]]
        row: list[Any] = [q["quarter"]]
        for j in range(2, 3 + len(COST_NAMES) + 1):
            col = get_column_letter(j)
            total = f"SUM(Months!{col}{a}:{col}{b})"
            row.append(f"=ROUND({total},2)" if j >= 3 else f"={total}")
        for k, g in enumerate(groups):
            hires, end = (get_column_letter(8 + 3 * k + off) for off in (0, 2))
            row += [f"=SUM(Months!{hires}{a}:{hires}{b})", q["fte"][g], f"=Months!{end}{b}"]
        ws.append(row)
    n = len(doc["quarters"]) + 1
    year: list[Any] = ["year (sum of quarters)", f"=SUM(B2:B{n})"]
    for j in range(3, ws.max_column + 1):
        col, name = get_column_letter(j), ws.cell(1, j).value
        if j <= 3 + len(COST_NAMES):
            year.append(f"=ROUND(SUM({col}2:{col}{n}),2)")
        else:
            year.append(f"=SUM({col}2:{col}{n})" if name.startswith("hires") else None)
    ws.append(year)
    _money(ws, money)
    for cell in ws[n + 1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "B2"


def _parts(period: dict[str, Any], groups: list[str]) -> list[Any]:
    """A month's costs and, per group, hires, mean FTE and FTE at its end."""
    out: list[Any] = [period[c] for c in COSTS]
    for g in groups:
        out += [period["hires"][g], period["fte"][g], period["employed_end_fte"][g]]
    return out


def _money(ws: Worksheet, money: str) -> None:
    """The cost columns (3 to 3 + the parts) in the currency."""
    for row_cells in ws.iter_rows(min_row=2, min_col=3, max_col=3 + len(COST_NAMES)):
        for cell in row_cells:
            cell.number_format = money


def _assumptions_sheet(ws: Worksheet, cp: CapacityPlan) -> None:
    """What the figures rest on, one per row: the calendar, the scenario's cost model,
    each group's wage, headcount, attrition and hiring limit, and how many kinds of week
    were planned."""
    s, cal = cp.scenario, cp.calendar
    cur = s.costs.currency
    ws.append(["assumption", "value", "where it comes from"])
    rows: list[tuple[str, Any, str]] = [
        ("scenario", s.name, "the scenario file"),
        ("calendar start", cal.start, "calendar: start"),
        ("weeks", cal.weeks, "calendar: weeks"),
        ("seed", cp.seed, "--seed (or the scenario's)"),
        ("currency", cur, "scenario: costs.currency"),
        ("paid hours of one FTE a week", s.costs.fte_hours, "scenario: costs.fte_hours"),
        ("overhead (share of wages)", s.costs.overhead, "scenario: costs.overhead"),
    ]
    for g in cp.groups:
        rows += [
            (f"{g}: wage per hour ({cur})", s.groups[g].wage, f"scenario: groups.{g}.wage"),
            (f"{g}: cost of one FTE a week, wages and overhead ({cur})",
             round(fte_cost(s, g), 2), "fte_hours × wage × (1 + overhead)"),
            (f"{g}: headcount at the start (FTE)", cal.headcount.get(g, 0.0),
             f"calendar: headcount.{g}"),
            (f"{g}: attrition a month", cal.monthly_attrition(g),
             "calendar: attrition_per_month"),
            (f"{g}: hires a week at most", cal.hiring.max_per_week.get(g, "no limit"),
             f"calendar: hiring.max_per_week.{g}"),
        ]  # fmt: skip
    h, c = cal.hiring, cal.cover
    rows += [
        ("hiring: lead time (weeks)", h.lead_time, "calendar: hiring.lead_time"),
        ("hiring: ramp-up weeks", h.ramp_weeks, "calendar: hiring.ramp_weeks"),
        ("hiring: productivity in the first week", h.ramp_start, "calendar: hiring.ramp_start"),
        (f"hiring: cost per hire ({cur})", h.cost_per_hire, "calendar: hiring.cost_per_hire"),
        ("cover: overtime, share of available FTE at most", c.overtime_share,
         "calendar: cover.overtime_share"),
        ("cover: overtime premium", c.overtime_premium, "calendar: cover.overtime_premium"),
        ("cover: temporary staff allowed", "yes" if c.temporary else "no",
         "calendar: cover.temporary"),
        ("cover: temporary premium", c.temporary_premium, "calendar: cover.temporary_premium"),
        ("cover: shortfall allowed", "yes" if c.shortfall else "no", "calendar: cover.shortfall"),
        (f"cover: shortfall penalty per FTE-week ({cur})", c.shortfall_penalty,
         "calendar: cover.shortfall_penalty"),
        ("kinds of week", len(cp.kinds), "distinct volume, handle-time and shrinkage"),
        ("kinds planned (the others interpolated)", sum(k.planned for k in cp.kinds),
         "--max-plans"),
    ]  # fmt: skip
    for label, value, source in rows:
        ws.append([label, value, source])
        cell = ws.cell(ws.max_row, 2)
        if isinstance(value, dt.date):
            cell.number_format = "yyyy-mm-dd"
        elif isinstance(value, float) and any(w in label for w in SHARES):
            cell.number_format = "0.0%"


# assumptions that are shares of something (shown as percentages)
SHARES = ("overhead", "attrition", "productivity", "share", "premium")
