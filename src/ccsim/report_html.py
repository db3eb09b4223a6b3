"""The HTML report: one self-contained file (styles and PNG charts inline, no scripts,
nothing fetched), so it opens offline and can be mailed as it is."""

from __future__ import annotations

import base64
from html import escape

from ccsim import charts
from ccsim.console import format_seconds, target_lines
from ccsim.report import Folder

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; }
th { background: #dde5f0; } td:first-child, th:first-child { text-align: left; }
.met { color: #17803d; } .missed { color: #b42318; font-weight: bold; }
img { max-width: 100%; border: 1px solid #eee; }
"""


def _table(header: list[str] | None, rows: list[list[str]]) -> str:
    """A table; cells are HTML (escape text before), the header is plain text."""
    head = "<tr>" + "".join(f"<th>{escape(h)}</th>" for h in header) + "</tr>" if header else ""
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table>{head}{body}</table>"


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x:.1%}"


def _money(x: float, currency: str) -> str:
    return f"{x:,.2f} {escape(currency)}"


def summary(folder: Folder) -> str:
    """Run facts, cost per week/month/year, hours and people."""
    doc, c = folder.doc, folder.doc["cost"]
    cur = c["currency"]
    met = doc["targets_met"]
    facts = _table(
        None,
        [
            ["scenario", escape(doc["scenario"])],
            [
                "kind",
                "plan (cheapest roster found)"
                if folder.is_plan
                else "run of the scenario's roster",
            ],
            ["replications, seed", f"{doc['replications']}, {doc['seed']}"],
            ["service level over", escape(f"{doc['sl_definition']} contacts")],
            [
                "every target met",
                f'<span class="{"met" if met else "missed"}">{"yes" if met else "no"}</span>',
            ],
        ],
    )
    cost = _table(
        ["cost", "week", "month (× 52/12)", "year (× 52)"],
        [
            [name, *(_money(p[key], cur) for p in (c, c["monthly"], c["yearly"]))]
            for name, key in (
                ("wages", "wages"),
                ("overhead", "overhead"),
                ("per-contact costs", "contacts"),
                ("<b>total</b>", "total"),
            )
        ],
    )
    people = _table(
        ["group", "agents on the roster", "paid h/week", "FTE", "hired headcount"],
        [
            [
                escape(g),
                str(v["agents"]),
                f"{v['paid_hours']:,.1f}",
                f"{v['fte']:.2f}",
                str(v["hired"]),
            ]
            for g, v in c["by_group"].items()
        ]
        + [
            [
                "<b>total</b>",
                str(c["headcount"]),
                f"{c['paid_hours']:,.1f}",
                f"{c['fte']:.2f}",
                str(c["hired"]),
            ]
        ],
    )
    return facts + cost + people


def targets(folder: Folder) -> str:
    """Every target with its estimate, 95 % CI and whether it is met."""
    rows = []
    for channel, ch in folder.doc["channels"].items():
        for target, _, mean, ci, met in target_lines(ch):
            mark = '<span class="met">met</span>' if met else '<span class="missed">missed</span>'
            rows.append(
                [
                    escape(channel),
                    escape(target),
                    _pct(mean),
                    f"{_pct(ci[0])} – {_pct(ci[1])}",
                    mark,
                    format_seconds(ch["asa_s"]["mean"]),
                ]
            )
    for u in folder.doc.get("unmet", []):
        rows.append(
            [
                escape(u["channel"]),
                escape(u["metric"]),
                "",
                "",
                '<span class="missed">unmet</span>',
                escape(u["reason"]),
            ]
        )
    return _table(["channel", "target", "estimate", "95% CI", "", "ASA"], rows)


def render(folder: Folder) -> str:
    """The whole report as one HTML document."""
    doc = folder.doc
    figures = []
    for title, draw in charts.ALL.items():
        data = base64.b64encode(charts.png(draw(folder))).decode("ascii")
        img = f'<img alt="{escape(title)}" src="data:image/png;base64,{data}">'
        figures.append(f"<h2>{escape(title)}</h2>{img}")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>ccsim report: {escape(doc['scenario'])}</title><style>{STYLE}</style></head><body>"
        f"<h1>ccsim report: {escape(doc['scenario'])}</h1>"
        f"<h2>Summary</h2>{summary(folder)}<h2>Targets</h2>{targets(folder)}"
        + "".join(figures)
        + "<p><small>Definitions: docs/reports.md of ccsim. Cost per week; month = week × 52/12; "
        "year = week × 52.</small></p></body></html>\n"
    )
