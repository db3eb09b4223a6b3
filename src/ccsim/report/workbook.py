"""The Excel workbook of a run or plan (openpyxl): Summary, Targets, Roster, Staffing
by interval, Service heat map, Cost by channel, Assumptions.

Figures come from the report object's document (what run.json holds); totals, the
monthly and yearly extrapolation and per-group wages and overhead are formulas (over
cells holding the same cents), so finance can follow them, and they reconcile with
run.json to the cent. Header rows are frozen; money carries the scenario's currency.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ccsim.experiment.document import RunDocument
from ccsim.finance.cost import Cost, roster_lines
from ccsim.report.console import plan_facts, target_lines
from ccsim.report.model import Report
from ccsim.scenario.units import percent

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")
PERCENT = "0.0%"
HOURS = "#,##0.0"
COUNT = "#,##0.0"
FTE = "0.00"


# results added together with a gap, or a plan.json from before 2026-12-06
_NO_FIRST = "none (numbers not consecutive, or not recorded)"
_MET = {"every target met": "yes", "some targets missed": "no", "no targets": "no targets"}


def build(report: Report) -> Workbook:
    """The workbook (not saved)."""
    from openpyxl import Workbook  # the whole of openpyxl only when a workbook is made

    doc = report.document
    money = f'#,##0.00 "{doc.cost.currency}"'
    wb = Workbook()
    wb.remove(wb.active)
    summary, targets, roster, staffing, heat, channels, assumptions = (
        wb.create_sheet(name)
        for name in (
            "Summary",
            "Targets",
            "Roster",
            "Staffing by interval",
            "Service heat map",
            "Cost by channel",
            "Assumptions",
        )
    )
    cells = _assumptions(assumptions, report)
    contacts_total = _cost_by_channel(channels, doc.cost, money)
    _summary(summary, report, money, cells, contacts_total)
    _targets(targets, doc)
    _roster(roster, report, money)
    _staffing(staffing, report)
    _heat_map(heat, report)
    for ws in wb.worksheets:
        _widths(ws)
    return wb


def _header(ws: Worksheet, row: int, names: list[str]) -> None:
    for col, name in enumerate(names, start=1):
        cell = ws.cell(row, col, name)
        cell.font, cell.fill = BOLD, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _put(ws: Worksheet, row: int, values: list[Any], formats: list[str | None]) -> None:
    for col, (value, fmt) in enumerate(zip(values, formats, strict=True), start=1):
        cell = ws.cell(row, col, value)
        if fmt:
            cell.number_format = fmt


def _total_row(ws: Worksheet, row: int, first: int, columns: dict[int, str]) -> None:
    """A bold `total` row with =SUM over rows first..row-1 in the given columns."""
    ws.cell(row, 1, "total").font = BOLD
    for col, fmt in columns.items():
        letter = get_column_letter(col)
        cell = ws.cell(row, col, f"=SUM({letter}{first}:{letter}{row - 1})")
        cell.number_format, cell.font = fmt, BOLD


def _widths(ws: Worksheet) -> None:
    """Each column as wide as its widest cell (at most 60), but a cell that wraps its text
    (a plan's search, a paragraph: it widened the column of the figures under it)."""
    for col in ws.iter_cols(min_row=1, max_row=min(ws.max_row, 60)):
        shown = [c for c in col if c.value is not None and not c.alignment.wrap_text]
        width = max((len(str(c.value)) for c in shown), default=8)
        ws.column_dimensions[col[0].column_letter].width = min(max(10, width + 2), 60)


def _summary(
    ws: Worksheet, report: Report, money: str, cells: dict[str, str], contacts_total: str
) -> None:
    """Run facts; people and hours per group; weekly, monthly and yearly cost."""
    doc, cost = report.document, report.document.cost
    ws["A1"] = f"ccsim {report.kind}: {doc.scenario}"
    ws["A1"].font = Font(bold=True, size=14)
    facts = [
        ("replications", doc.replications),
        # (a plan's verification follows its search: `ccsim run --first-replication`)
        ("first replication", _NO_FIRST if (f := doc.first_replication) is None else f),
        ("seed", doc.seed),
        ("service level over", f"{doc.sl_definition} contacts"),
        ("every target met", _MET[doc.verdict]),
        ("currency", cost.currency),
        *plan_facts(doc),  # a plan's search (1-minimal or not) and its Erlang C baseline
    ]
    for i, (k, v) in enumerate(facts, start=2):
        ws.cell(i, 1, k)
        ws.cell(i, 2, v)
        if isinstance(v, str) and len(v) > 60:  # (a plan's search: a paragraph)
            ws.cell(i, 2).alignment = Alignment(wrap_text=True, vertical="top")
    row = len(facts) + 3
    _header(
        ws,
        row,
        [
            "group",
            "agents",
            "paid h/week",
            "FTE",
            "hired if absences backfilled",
            "wage/h",
            "wages/week",
            "overhead/week",
        ],
    )
    first = row + 1
    for g, v in cost.by_group.items():
        row += 1
        _put(
            ws,
            row,
            [
                g,
                v.agents,
                v.paid_hours,
                v.fte,
                v.hired,
                f"={cells['wage:' + g]}",
                f"=ROUND(C{row}*F{row},2)",
                f"=ROUND(G{row}*{cells['overhead']},2)",
            ],
            [None, "0", HOURS, FTE, "0", money, money, money],
        )
    row += 1
    _total_row(ws, row, first, {2: "0", 3: HOURS, 4: FTE, 5: "0", 7: money, 8: money})
    people_total = row
    row += 2
    _header(ws, row, ["cost", "week", "month (× 52/12)", "year (× 52)"])
    first = row + 1
    parts = [
        ("wages", f"=G{people_total}"),
        ("overhead", f"=H{people_total}"),
        ("per-contact costs", f"='Cost by channel'!{contacts_total}"),
    ]
    for i, (name, formula) in enumerate(parts):
        r = first + i
        _put(
            ws,
            r,
            [
                name,
                formula,
                f"=ROUND(B{r}*{cells['weeks per month']},2)",
                f"=ROUND(B{r}*{cells['weeks per year']},2)",
            ],
            [None, money, money, money],
        )
    last = first + len(parts) - 1  # the totals: sums of the cents above, in every column
    _put(
        ws,
        last + 1,
        ["total", *(f"=SUM({c}{first}:{c}{last})" for c in "BCD")],
        [None, money, money, money],
    )
    for col in range(1, 5):
        ws.cell(first + 3, col).font = BOLD
    ws.freeze_panes = "A2"


def _targets(ws: Worksheet, doc: RunDocument) -> None:
    """One row per target: estimate, 95 % CI (empty for one replication: it has no
    spread, and showed the estimate twice), the one-sided bound judged (with a
    confidence: a plan's verification) and whether it is met."""
    spread = doc.replications > 1
    _header(
        ws,
        1,
        [
            "channel",
            "target",
            "goal",
            "estimate",
            "95% CI low",
            "95% CI high",
            "one-sided bound judged",
            "met",
            "periods met",
            "worst period",
        ],
    )
    row = 1
    for channel, ch in doc.channels.items():
        for line in target_lines(ch, doc.replications):
            row += 1
            _put(
                ws,
                row,
                [
                    channel,
                    line.label,
                    line.goal,
                    line.mean,
                    line.ci[0] if spread else None,
                    line.ci[1] if spread else None,
                    line.bound,  # empty when the estimate itself was judged
                    "yes" if line.met else "no",
                    line.periods,
                    line.worst,
                ],
                [None, None, PERCENT, PERCENT, PERCENT, PERCENT, PERCENT, None, None, None],
            )
    for name in getattr(doc, "unmet", []):
        row += 1
        ws.cell(row, 1, name.channel)
        ws.cell(row, 2, f"{name.label}: unmet — {name.reason}")
    ws.freeze_panes = "A2"


def _roster(ws: Worksheet, report: Report, money: str) -> None:
    """Roster lines: shift, agents, paid hours and staff cost (wages and overhead)."""
    roster = roster_lines(report.scenario)
    _header(
        ws,
        1,
        ["group", "shift", "start", "length h", "days", "agents", "paid h/week", "staff cost/week"],
    )
    for row, line in enumerate(roster, start=2):
        _put(
            ws,
            row,
            [
                line["group"],
                line["shift"],
                line["start"],
                line["length_h"],
                line["days"],
                line["agents"],
                line["paid_hours"],
                line["staff_cost"],
            ],
            [None, None, None, "0.0#", None, "0", HOURS, money],
        )
    _total_row(ws, len(roster) + 2, 2, {6: "0", 7: HOURS, 8: money})
    ws.freeze_panes = "A2"


def _staffing(ws: Worksheet, report: Report) -> None:
    """Agents on duty per group against the requirement per channel, per interval."""
    table = report.staffing
    columns = [c for c in table.columns if c != "start"]
    _header(ws, 1, [*columns, "on duty − required"])
    duty, need = columns.index("on duty") + 1, columns.index("required") + 1
    formats = [None, None, *[COUNT] * (len(columns) - 2)]
    for row, values in enumerate(table[columns].itertuples(index=False), start=2):
        _put(ws, row, list(values), formats)
        a, b = get_column_letter(duty), get_column_letter(need)
        ws.cell(row, len(columns) + 1, f"={a}{row}-{b}{row}").number_format = COUNT
    ws.freeze_panes = "C2"


def _heat_map(ws: Worksheet, report: Report) -> None:
    """Service level by day × interval per channel and target, coloured against the
    goal (red below, green above; the goal itself yellow), cells below it in bold red;
    a cell a target per interval or day does not judge shows its level in brackets."""
    from openpyxl.formatting.rule import CellIsRule, ColorScaleRule

    grids = report.service_grids()
    ws.cell(1, 1, "service level by day and interval").font = Font(bold=True)
    if not grids:
        ws.cell(2, 1, "no service-level targets")
    row = 3
    for heat in grids:
        channel, metric, goal, grid = heat.channel, heat.metric, heat.goal, heat.grid
        title = f"{channel}: answered within {metric[3:]}, goal {percent(goal)}"
        title += f" per {heat.per}" if heat.per != "week" else ""
        ws.cell(row, 1, title).font = Font(bold=True)
        _header(ws, row + 1, ["day", *grid.columns])
        first = row + 2
        for r, ((day, values), judged) in enumerate(
            zip(grid.iterrows(), heat.judged.to_numpy(bool), strict=True), start=first
        ):
            ws.cell(r, 1, day)
            for c, (value, counts) in enumerate(zip(values, judged, strict=True), start=2):
                if value != value:  # NaN: no contacts, the cell stays empty
                    continue
                if counts:
                    ws.cell(r, c, float(value)).number_format = "0%"
                else:  # text: neither the scale nor the bold red of a miss colours it
                    ws.cell(r, c, f"({value:.0%})").alignment = Alignment(horizontal="right")
        area = f"B{first}:{get_column_letter(len(grid.columns) + 1)}{first + len(grid) - 1}"
        scale = ColorScaleRule(
            start_type="num", start_value=0, start_color="F8696B",
            mid_type="num", mid_value=goal, mid_color="FFEB84",
            end_type="num", end_value=1, end_color="63BE7B",
        )  # fmt: skip
        missed = CellIsRule(
            operator="lessThan", formula=[str(goal)], font=Font(bold=True, color="9C0006")
        )
        ws.conditional_formatting.add(area, scale)
        ws.conditional_formatting.add(area, missed)
        row = first + len(grid) + 1
        if heat.unjudged:
            note = (
                f"(in brackets: not judged, under {heat.min_offered:g} contacts a replication "
                f"on average; not counted among the {heat.per}s the target per {heat.per} "
                "compares)"
            )
            ws.cell(row, 1, note).font = Font(italic=True)
            row += 2
    ws.freeze_panes = "B1"


def _cost_by_channel(ws: Worksheet, cost: Cost, money: str) -> str:
    """Agent cost allocated by busy time plus per-contact costs, per channel; returns the
    address of the per-contact cost total."""
    _header(
        ws,
        1,
        [
            "channel",
            "offered/week",
            "handled/week",
            "share of agent busy time",
            "agent cost/week",
            "per-contact costs/week",
            "total/week",
            "cost per handled contact",
        ],
    )
    lines = cost.by_channel
    row = 1
    for channel, v in lines.items():
        row += 1
        per = f"=G{row}/C{row}" if v.handled > 0 else "-"
        _put(
            ws,
            row,
            [
                channel,
                v.offered,
                v.handled,
                v.busy_share,
                v.agent_cost,
                v.contact_cost,
                f"=E{row}+F{row}",
                per,
            ],
            [None, COUNT, COUNT, PERCENT, money, money, money, money],
        )
    if cost.unallocated:
        row += 1
        _put(
            ws,
            row,
            [
                "not allocated (no agent time measured)",
                None,
                None,
                None,
                cost.unallocated,
                0,
                f"=E{row}+F{row}",
                None,
            ],
            [None, None, None, None, money, money, money, None],
        )
    row += 1
    _total_row(ws, row, 2, {2: COUNT, 3: COUNT, 4: PERCENT, 5: money, 6: money, 7: money})
    ws.cell(row, 8, f"=G{row}/C{row}").number_format = money
    ws.freeze_panes = "A2"
    return f"F{row}"


def _assumptions(ws: Worksheet, report: Report) -> dict[str, str]:
    """Every input that drives the cost; returns the addresses formulas refer to."""
    _header(ws, 1, ["section", "item", "value", "unit"])
    currency = report.document.cost.currency
    money = f'#,##0.00 "{currency}"'
    cells: dict[str, str] = {}
    for row, (section, item, value, unit) in enumerate(report.assumptions(), start=2):
        fmt = PERCENT if unit == "share" else money if unit == currency else None
        _put(ws, row, [section, item, value, unit], [None, None, fmt, None])
        address = f"Assumptions!$C${row}"
        if section == "wage per paid hour":
            cells[f"wage:{item}"] = address
        elif item.startswith(("overhead", "weeks per month", "weeks per year")):
            cells[item.split(" (")[0]] = address
    ws.freeze_panes = "A2"
    return cells
