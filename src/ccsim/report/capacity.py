"""What finance opens of a capacity plan: capacity.json, weeks.csv, months.csv and
quarters.csv, and with `--report` an Excel workbook (Weeks, Months, Quarters, Kinds —
one row per kind of week: its factors, required FTE and whether its plan met every
target — and Assumptions sheets; totals as formulas that reconcile with the JSON to the
cent) and an HTML page with the year's chart — rendered from the CapacityPlan in memory
(docs/capacity.md)."""

from __future__ import annotations

import base64
import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ccsim.atomic import atomic_folder
from ccsim.finance.cost import fte_cost
from ccsim.planning.capacity import CapacityPlan, quarter_of
from ccsim.planning.document import minimality
from ccsim.report import charts, pages
from ccsim.report.folders import write_json
from ccsim.scenario import units
from ccsim.version import __version__ as version

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet


def write(folder: Path, cp: CapacityPlan, with_report: bool = False) -> Path:
    """capacity.json, weeks.csv, months.csv, quarters.csv (and report.xlsx, report.html)
    atomically."""
    doc = cp.document()
    with atomic_folder(folder) as tmp:
        write_json(tmp / "capacity.json", doc)
        # 12 significant digits: a float's noise (0.6000000000000001) is not a figure
        for name, table in (("weeks", cp.weeks), ("months", cp.months), ("quarters", cp.quarters)):
            table.to_csv(tmp / f"{name}.csv", index=False, float_format="%.12g")
        if with_report:
            workbook(cp, doc).save(tmp / "report.xlsx")
            (tmp / "report.html").write_text(html(cp, doc), encoding="utf-8")
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


def html(cp: CapacityPlan, doc: dict[str, Any] | None = None) -> str:
    """One self-contained page: totals, the chart, quarters, months and kinds."""
    doc = doc or cp.document()
    image = base64.b64encode(charts.png(year_chart(cp))).decode("ascii")
    weeks = {k["kind"]: units.format_runs(k["weeks"]) for k in doc["kinds"]}
    uncovered = {g: units.format_runs(w) for g, w in doc["shortfall_weeks"].items()}
    span = _span(doc)
    quarters = doc["quarters"]
    years = sorted({q["quarter"][:4] for q in quarters})
    by_year = [  # a calendar over two years: each one's part, as the workbook adds them
        added([q for q in quarters if q["quarter"].startswith(y)], "quarter", f"{y} (its quarters)")
        for y in (years if len(years) > 1 else [])
    ]
    return pages.render(
        "capacity.html",
        doc=doc,
        image=image,
        weeks=weeks,
        uncovered=uncovered,
        costs=PARTS,
        planned=kind_planned,
        met=kind_met,
        quarter_totals=[*by_year, year(added(quarters, "quarter", f"total, {span}"), doc)],
        month_totals=[year(added(doc["months"], "month", f"total, {span}"), doc)],
    )


def added(periods: list[dict[str, Any]], label: str, name: str) -> dict[str, Any]:
    """Months or quarters added into one row named `name`, by `PER_GROUP`'s rules: costs
    to the cent, days, hires and covered and uncovered FTE-weeks summed, the FTE employed
    at the end the last period's, no mean FTE."""
    row: dict[str, Any] = {label: name, "days": sum(p["days"] for p in periods)}
    for key in ("cost", *PARTS):
        row[key] = round(sum(p[key] for p in periods), 2)
    for _, key, rule, _ in PER_GROUP:
        groups = periods[-1][key]
        row[key] = {
            g: sum(p[key][g] for p in periods) if rule == "sum"
            else periods[-1][key][g] if rule == "last"
            else None
            for g in groups
        }  # fmt: skip
    return row


def year(total: dict[str, Any], doc: dict[str, Any]) -> dict[str, Any]:
    """The whole calendar's row: its covered and uncovered FTE-weeks the plan's own (the
    weeks' sums, as the page's first lines say), not the sum of months or quarters rounded
    one by one (0.03 against 0.04 where every week is 0.0031 short; the months' covered
    9.57 beside the quarters' 9.58: a review). Costs, to the cent, agree."""
    own = {k: dict(doc[k]) for k in ("cover_fte_weeks", "shortfall_fte_weeks")}
    return {**total, **own}


def kind_planned(kind: dict[str, Any]) -> str:
    """How a kind of week got its FTE: `planned`, `planned from the roster of kind 1` (a
    heavier kind planned cheaper), `planned (kind 1's roster tried, no cheaper)`, or
    `interpolated` — in the console, the HTML and the workbook alike — and, planned, the
    kinds of more work that need fewer FTE (`more_fte_than_kinds`)."""
    if not kind["planned"]:
        return "interpolated"
    if kind.get("roster_from_kind"):
        text = f"planned from the roster of kind {kind['roster_from_kind']}"
    elif kind.get("roster_tried_from_kind"):
        text = f"planned (kind {kind['roster_tried_from_kind']}'s roster tried, no cheaper)"
    else:
        text = "planned"
    if more := kind.get("more_fte_than_kinds"):  # (a plan.json from before: none)
        which = (
            f"kind {more[0]}, which has"
            if len(more) == 1
            else (f"kinds {', '.join(map(str, more))}, which have")
        )
        text += f"; more FTE than {which} more work (each plan its own search)"
    return text


def kind_met(kind: dict[str, Any]) -> str:
    """Whether a kind's plan met every target on verification, and which it missed."""
    if kind["targets_met"] is None:
        return "— (interpolated)"
    if kind["targets_met"]:
        return "yes"
    return "no: " + "; ".join(kind["unmet"]) if kind["unmet"] else "no"


def workbook(cp: CapacityPlan, doc: dict[str, Any] | None = None) -> Workbook:
    """Weeks, Months, Quarters, Kinds and Assumptions sheets; every cost of a month or
    quarter and every total a formula (docs/capacity.md)."""
    from openpyxl import Workbook  # the whole of openpyxl only when a workbook is made

    doc = doc or cp.document()
    money = f'#,##0.00 "{doc["currency"]}"'
    groups = list(cp.groups)
    wb = Workbook()
    weeks = wb.active
    weeks.title = "Weeks"
    totals = _weeks_sheet(weeks, doc, cp.weeks, groups, money)
    span = _span(doc)
    months = wb.create_sheet("Months")
    rules = _period_sheet(months, "month", doc["months"], cp.months, groups, money)
    rows = {m["month"]: r for r, m in enumerate(doc["months"], start=2)}
    _total_rows(months, rules, money, 2, months.max_row, f"total, {span} (sum of months)")
    check = [f"total, {span} (sum of weeks)"]  # the Weeks sheet's totals, to reconcile
    for name in _header(months)[1:]:  # (the weeks' uncovered FTE-weeks: "shortfall FTE g",
        name = re.sub(r"^uncovered FTE-weeks ", "shortfall FTE ", name)  # covered: "cover")
        name = re.sub(r"^covered FTE-weeks ", "cover FTE ", name)
        check.append(f"=Weeks!{totals[name]}" if name in totals else None)
    months.append(check)
    for cell in months[months.max_row]:  # each column's format (money was General here)
        cell.font = Font(bold=True)
        cell.number_format = months.cell(2, cell.column).number_format
    quarters = wb.create_sheet("Quarters")
    rules = _period_sheet(quarters, "quarter", doc["quarters"], cp.quarters, groups, money)
    _quarter_formulas(quarters, rules, months, rows)
    last = quarters.max_row
    years = sorted({q["quarter"][:4] for q in doc["quarters"]})
    for year in years if len(years) > 1 else []:  # a calendar over two years: each one's part
        inside = [r for r in range(2, last + 1) if quarters.cell(r, 1).value.startswith(year)]
        _total_rows(quarters, rules, money, inside[0], inside[-1], f"{year} (its quarters)")
    _total_rows(quarters, rules, money, 2, last, f"total, {span} (sum of quarters)")
    _kinds_sheet(wb.create_sheet("Kinds"), doc, groups)
    _assumptions_sheet(wb.create_sheet("Assumptions"), cp, money)
    for ws in wb.worksheets:
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for column in ws.columns:
            width = max(len(str(c.value or "")) for c in column[:60])
            ws.column_dimensions[column[0].column_letter].width = min(max(10, width + 2), 40)
    return wb


# a week's, month's or quarter's costs, by their JSON keys (the parts of its cost)
PARTS = {
    "cost_wages": "wages and overhead",  # (said "wages": it was 30 % over FTE × wage)
    "cost_cover": "cover",
    "cost_hiring": "hiring",
    "cost_contacts": "contacts",
}


def _header(ws: Worksheet) -> list[str]:
    return [str(c.value) for c in ws[1]]


def _column(ws: Worksheet, name: str) -> str:
    """The letter of the column headed `name` (positions counted by hand broke when a
    column was added)."""
    return get_column_letter(_header(ws).index(name) + 1)


def _span(doc: dict[str, Any]) -> str:
    """`8 weeks, 2027-11-22 to 2028-01-16`: what a total row adds."""
    return f"{len(doc['weeks'])} weeks, {doc['start']} to {_last_day(doc)}"


def _last_day(doc: dict[str, Any]) -> str:
    last = dt.date.fromisoformat(doc["weeks"][-1]["start"]) + dt.timedelta(days=6)
    return last.isoformat()


# a week's FTE columns per group (employed: what the wages pay; shortfall: what nothing
# covered) and the plan's columns (CapacityPlan.weeks) that add up to each
WEEK_FTE = (
    ("required", ("required",)),
    ("available", ("productive",)),
    ("employed", ("employed",)),
    ("cover", ("overtime", "temporary")),
    ("shortfall", ("shortfall",)),
)


def _weeks_sheet(
    ws: Worksheet, doc: dict[str, Any], table: pd.DataFrame, groups: list[str], money: str
) -> dict:
    """A row per week and a total row (the FTE columns of cover and shortfall summed as
    FTE-weeks); returns the total row's cell of each summed column by its header. Its
    FTE cells hold the plan's own figures (`table`), shown to two decimals, not the
    document's rounded ones: a column of those added up to 20.42 beside the weeks'
    20.43 (a finance walkthrough)."""
    header = ["week", "start", "volume factor", "handle-time factor", "shrinkage"]
    for g in groups:
        header += [f"{what} FTE {g}" for what, _ in WEEK_FTE] + [f"hires decided {g}"]
    header += [*PARTS.values(), "cost"]
    ws.append(header)
    a, d = _column(ws, PARTS["cost_wages"]), _column(ws, PARTS["cost_contacts"])
    exact_weeks = table.to_dict("records")
    for i, (w, exact) in enumerate(zip(doc["weeks"], exact_weeks, strict=True), start=2):
        start = dt.date.fromisoformat(w["start"])  # a date, not text: it sorts and filters
        row: list[Any] = [w["week"], start, w["volume_factor"], w["handle_factor"], w["shrinkage"]]
        for g in groups:
            row += [float(sum(exact[f"{c}:{g}"] for c in columns)) for _, columns in WEEK_FTE]
            row.append(w["hires"][g])
        row += [w[key] for key in PARTS]
        row.append(f"=ROUND(SUM({a}{i}:{d}{i}),2)")
        ws.append(row)
    last = len(doc["weeks"]) + 1
    summed = ("hires decided", "cover FTE", "shortfall FTE", *PARTS.values(), "cost")
    total: list[Any] = ["total (FTE columns: FTE-weeks)"]
    cells = {}
    for j, name in enumerate(header[1:], start=2):
        col = get_column_letter(j)
        if name.startswith(summed):
            total.append(f"=ROUND(SUM({col}2:{col}{last}),2)")
            cells[name] = f"{col}{last + 1}"
        else:
            total.append(None)
    ws.append(total)
    for name in (*PARTS.values(), "cost"):
        for (cell,) in ws[f"{_column(ws, name)}2:{_column(ws, name)}{last + 1}"]:
            cell.number_format = money
    for row_cells in ws.iter_rows(min_row=2, max_row=last, min_col=2, max_col=5):
        row_cells[0].number_format = "yyyy-mm-dd"
        row_cells[3].number_format = "0.0%"
    _fte_format(ws, [n for n in header if n.startswith(tuple(f"{w} FTE" for w, _ in WEEK_FTE))])
    for cell in ws[last + 1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "C2"
    return cells


# a month's or quarter's columns per group: header, its JSON key, how a total adds it,
# and the plan's column (CapacityPlan.months, .quarters) of an FTE, written exact
PER_GROUP = (
    ("hires decided {g}", "hires", "sum", None),
    ("mean FTE required {g}", "required_fte", None, "required"),
    ("mean FTE employed {g}", "fte", None, "fte"),
    ("FTE employed {g} at {end}", "employed_end_fte", "last", "employed_end"),
    ("covered FTE-weeks {g}", "cover_fte_weeks", "sum", "cover"),
    ("uncovered FTE-weeks {g}", "shortfall_fte_weeks", "sum", "shortfall"),
)


def _period_columns(label: str, groups: list[str]) -> list[tuple[str, Any, str | None]]:
    """(header, value of a period from its JSON entry and its row of the plan's table,
    how totals add it: money, sum, last or None) of the Months or Quarters sheet."""
    end = f"{label} end"
    columns: list[tuple[str, Any, str | None]] = [
        (label, lambda p, _: p[label], None),
        ("days", lambda p, _: p["days"], "sum"),
        ("cost", None, "money"),  # the sum of its parts: a formula
    ]
    columns += [(name, lambda p, _, k=key: p[k], "money") for key, name in PARTS.items()]
    for g in groups:
        columns += [
            (
                name.format(g=g, end=end),
                (lambda p, _, k=key, g=g: p[k][g]) if exact is None
                else (lambda _, x, c=f"{exact}:{g}": float(x[c])),
                rule,
            )
            for name, key, rule, exact in PER_GROUP
        ]  # fmt: skip
    return columns


def _period_sheet(
    ws: Worksheet,
    label: str,
    periods: list[dict[str, Any]],
    table: pd.DataFrame,
    groups: list[str],
    money: str,
) -> dict[str, str | None]:
    """A row per month or quarter (days: of the calendar in it — its first and last are
    part periods), its cost the sum of its parts, its FTE the plan's own (`table`, as in
    the Weeks sheet); returns how totals add each column."""
    columns = _period_columns(label, groups)
    ws.append([name for name, _, _ in columns])
    a, d = _column(ws, PARTS["cost_wages"]), _column(ws, PARTS["cost_contacts"])
    for i, (p, exact) in enumerate(zip(periods, table.to_dict("records"), strict=True), start=2):
        ws.append([f"=ROUND(SUM({a}{i}:{d}{i}),2)" if get is None else get(p, exact)
                   for _, get, _ in columns])  # fmt: skip
    for name, _, rule in columns:
        if rule == "money":
            for (cell,) in ws[f"{_column(ws, name)}2:{_column(ws, name)}{ws.max_row}"]:
                cell.number_format = money
    fte = [n for n, _, _ in columns if "FTE" in n and not n.startswith("hires")]
    _fte_format(ws, fte)
    ws.freeze_panes = "B2"
    return {name: rule for name, _, rule in columns}


def _fte_format(ws: Worksheet, names: list[str]) -> None:
    """The rows of the columns headed `names` shown to two decimals."""
    for name in names:
        for (cell,) in ws[f"{_column(ws, name)}2:{_column(ws, name)}{ws.max_row}"]:
            cell.number_format = "0.00"


def _quarter_formulas(
    ws: Worksheet, rules: dict[str, str | None], months: Worksheet, rows: dict[str, int]
) -> None:
    """Each quarter's summed columns as a SUM over its months' `rows` of the Months sheet,
    its end-of-quarter FTE a reference to its last month's."""
    for r in range(2, ws.max_row + 1):
        mine = [row for month, row in rows.items() if quarter_of(month) == ws.cell(r, 1).value]
        a, b = mine[0], mine[-1]
        for j, name in enumerate(_header(ws)[1:], start=2):
            col = _column(months, name.replace("at quarter end", "at month end"))
            if rules[name] in ("sum", "money") and name != "cost":
                total = f"SUM(Months!{col}{a}:{col}{b})"
                ws.cell(r, j).value = (
                    f"=ROUND({total},2)" if rules[name] == "money" else f"={total}"
                )
            elif rules[name] == "last":
                ws.cell(r, j).value = f"=Months!{col}{b}"


def _total_rows(
    ws: Worksheet, rules: dict[str, str | None], money: str, first: int, last: int, label: str
) -> None:
    """A bold row under the sheet adding rows `first`..`last` column by column, as each
    column adds (`rules`: money to the cent, counts, the last row's FTE at the end)."""
    row: list[Any] = [label]
    for j, name in enumerate(_header(ws)[1:], start=2):
        col, rule = get_column_letter(j), rules[name]
        row.append(
            f"=ROUND(SUM({col}{first}:{col}{last}),2)" if rule == "money"
            else f"=SUM({col}{first}:{col}{last})" if rule == "sum"
            else f"={col}{last}" if rule == "last"
            else None
        )  # fmt: skip
    ws.append(row)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
        if rules.get(_header(ws)[cell.column - 1]) == "money":
            cell.number_format = money
        else:  # (FTE to two decimals, as in its rows: a sum of exact FTE showed 14 digits)
            cell.number_format = ws.cell(first, cell.column).number_format


def _kinds_sheet(ws: Worksheet, doc: dict[str, Any], groups: list[str]) -> None:
    """One row per kind of week: its weeks and factors, whether it was planned, the FTE
    it requires and whether its plan met every target — which it missed (the workbook
    alone gave no sign that a kind's roster fails a target)."""
    ws.append(
        ["kind", "weeks", "volume factor", "handle-time factor", "shrinkage", "how",
         "workload", *(f"required FTE {g}" for g in groups), "targets met on verification"]
    )  # fmt: skip
    for k in doc["kinds"]:
        ws.append(
            [k["kind"], units.format_runs(k["weeks"]), k["volume_factor"], k["handle_factor"],
             k["shrinkage"], kind_planned(k), k["workload"],
             *(k["required_fte"][g] for g in groups), kind_met(k)]
        )  # fmt: skip
        row = ws[ws.max_row]
        for cell, fmt in zip(row[2:7], ("0.000", "0.000", "0.0%", None, "#,##0"), strict=True):
            if fmt:
                cell.number_format = fmt
        for cell in row[7 : 7 + len(groups)]:
            cell.number_format = "0.00"
    ws.freeze_panes = "B2"


def _assumptions_sheet(ws: Worksheet, cp: CapacityPlan, money: str) -> None:
    """What the figures rest on, one per row with where it comes from: the calendar, the
    scenario's cost model, each group's wage, headcount, attrition and hiring limit, the
    hiring and cover rules, how many kinds of week were planned, and what the cost leaves
    out."""
    s, cal = cp.scenario, cp.calendar
    cur = s.costs.currency
    share, day = "0.0%", "yyyy-mm-dd"
    last = cal.start + dt.timedelta(weeks=cal.weeks, days=-1)
    rows: list[tuple[str, Any, str, str | None]] = [
        ("scenario", s.name, "the scenario file", None),
        ("calendar: first day", cal.start, "calendar: start", day),
        ("calendar: last day", last, f"calendar: {cal.weeks} weeks", day),
        ("seed", cp.seed, "--seed (or the scenario's)", None),
        ("ccsim version", version, "the program that made this workbook", None),
        ("currency", cur, "scenario: costs.currency", None),
        ("paid hours of one FTE a week", s.costs.fte_hours, "scenario: costs.fte_hours", None),
        ("overhead, a share of wages", s.costs.overhead, "scenario: costs.overhead", share),
    ]
    for g in cp.groups:
        limit = cal.hiring.max_per_week.get(g)
        rows += [
            (f"{g}: wage per hour", s.groups[g].wage, f"scenario: groups.{g}.wage", money),
            (f"{g}: cost of one FTE a week, wages and overhead", round(fte_cost(s, g), 2),
             "fte_hours × wage × (1 + overhead)", money),
            (f"{g}: headcount at the start (FTE)", cal.headcount.get(g, 0.0),
             f"calendar: headcount.{g}", None),
            (f"{g}: attrition a month", cal.monthly_attrition(g),
             "calendar: attrition_per_month", share),
            (f"{g}: hires a week at most", "no limit" if limit is None else limit,
             f"calendar: hiring.max_per_week.{g}", None),
        ]  # fmt: skip
    h, c = cal.hiring, cal.cover
    rows += [
        ("hiring: lead time (weeks)", h.lead_time, "calendar: hiring.lead_time", None),
        ("hiring: ramp-up weeks", h.ramp_weeks, "calendar: hiring.ramp_weeks", None),
    ]
    if h.ramp_weeks > 0:  # (without a ramp-up a hire is productive from the first week)
        rows.append(("hiring: productivity in the first week", h.ramp_start,
                     "calendar: hiring.ramp_start", share))  # fmt: skip
    rows += [
        ("hiring: cost per hire", h.cost_per_hire, "calendar: hiring.cost_per_hire", money),
        ("cover: overtime, a share of available FTE at most", c.overtime_share,
         "calendar: cover.overtime_share", share),
        ("cover: overtime premium", c.overtime_premium, "calendar: cover.overtime_premium",
         share),
        ("cover: temporary staff allowed", "yes" if c.temporary else "no",
         "calendar: cover.temporary", None),
        ("cover: temporary premium", c.temporary_premium, "calendar: cover.temporary_premium",
         share),
        ("cover: shortfall allowed", "yes" if c.shortfall else "no", "calendar: cover.shortfall",
         None),
    ]  # fmt: skip
    if c.shortfall:  # (otherwise the program's penalty is prohibitive, not this one)
        rows.append(("cover: shortfall penalty per FTE-week", c.shortfall_penalty,
                     "calendar: cover.shortfall_penalty", money))  # fmt: skip
    rows += [
        ("uncovered FTE-weeks", "not in the cost",
         "work nobody does: a penalty only steers the hiring program", None),
        ("kinds of week", len(cp.kinds), "distinct volume, handle time and shrinkage", None),
        ("kinds planned (the others interpolated)", sum(k.planned for k in cp.kinds),
         "--max-plans", None),
    ]  # fmt: skip
    # how each kind was planned: the settings that change its FTE (a finance walkthrough
    # could not tell which -n and --verify had made a year: 7.15 FTE at 2, 5.75 at the
    # defaults), and the prices of the contacts cost line (in no sheet)
    for i, k in enumerate(cp.kinds, start=1):
        if k.plan is not None:
            run = k.plan.search
            how = (
                f"{run['replications']} search and {run['verify_replications']} "
                f"verification replications, {run['simulations']} rosters simulated, "
                f"{minimality(run['one_minimal'], run.get('unproven'))}"
            )
            rows.append((f"kind {i}: how it was planned", how,
                         "-n, --verify, --max-rosters, --time-budget", None))  # fmt: skip
    for channel, price in s.costs.per_contact.items():
        rows.append((f"{channel}: price per contact offered", price,
                     f"scenario: costs.per_contact.{channel}", money))  # fmt: skip
    for m in cal.warnings:
        rows.append(("calendar warning", m.message, f"calendar: {m.field or 'the file'}", None))
    ws.append(["assumption", "value", "where it comes from"])
    for label, value, source, number_format in rows:
        ws.append([label, value, source])
        if number_format is not None:
            ws.cell(ws.max_row, 2).number_format = number_format
