"""The HTML report: one self-contained page (styles and PNG charts inline, no scripts,
nothing fetched), so it opens offline and can be mailed as it is. Rendered from the
report object with the Jinja template templates/report.html (values escaped by Jinja)."""

from __future__ import annotations

import base64

from markupsafe import Markup

from ccsim.finance.cost import roster_lines
from ccsim.report import charts, pages
from ccsim.report.console import (
    bound_heading,
    bound_text,
    format_seconds,
    plan_facts,
    target_lines,
)
from ccsim.report.model import Report
from ccsim.scenario.units import interval_text


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x:.1%}"


def target_rows(report: Report) -> list[dict[str, object]]:
    """One row per target (estimate, CI, met, the channel's ASA, a per-period target's
    periods met and worst period), then one per unmet target with its reason."""
    doc = report.document
    rows: list[dict[str, object]] = []
    for channel, ch in doc.channels.items():
        asa = format_seconds(ch.asa_s.mean if ch.asa_s is not None else None)
        for line in target_lines(ch, doc.replications):
            rows.append(
                {
                    "channel": channel,
                    "target": line.label,
                    "estimate": _pct(line.mean),
                    "ci": interval_text(*line.ci, doc.replications, _pct, " – "),
                    "bound": bound_text(line.bound, doc.replications),
                    "mark": _mark(line.met, "met" if line.met else "missed"),
                    "asa": asa,
                    "note": f"{line.periods} met; worst {line.worst}" if line.periods else "",
                }
            )
    for u in getattr(doc, "unmet", []):
        rows.append(
            {
                "channel": u.channel,
                "target": u.label,
                "estimate": "",
                "ci": "",
                "bound": "",
                "mark": _mark(False, "unmet"),
                "asa": "",
                "note": u.reason,
            }
        )
    return rows


def channel_rows(report: Report) -> list[dict[str, str]]:
    """One row per channel, a target or none (a fitted scenario has none, and its waits
    were nowhere on the page: a maintainer's walkthrough): the means of what was
    offered and answered, the abandon rate (callers' and chatters'), the waits, handle
    time and NPS."""

    def mean(x: object) -> float | None:
        return getattr(x, "mean", None)

    def count(x: object) -> str:
        m = mean(x)
        return "–" if m is None else f"{m:,.0f}"

    # only callers and chatters abandon: a message channel's and the escalation queue's
    # rate is always 0 % (the console leaves it blank; a review)
    kinds = report.scenario.channels
    waiting = {name for name, c in kinds.items() if c.kind != "message"}
    return [
        {
            "channel": channel,
            "offered": count(ch.offered),
            "answered": count(ch.answered),
            "abandon": _pct(mean(ch.abandon_rate)) if channel in waiting else "–",
            "p_wait": _pct(mean(ch.p_wait)),
            "asa": format_seconds(mean(ch.asa_s)),
            "wait": format_seconds(mean(ch.wait_mean_s)),
            "aht": format_seconds(mean(ch.aht_s)),
            "nps": "–" if mean(ch.nps) is None else f"{mean(ch.nps):.1f}",
        }
        for channel, ch in report.document.channels.items()
    ]


def _mark(met: bool, text: str) -> Markup:
    """`text` in green (met) or bold red."""
    return Markup('<span class="{}">{}</span>').format("met" if met else "missed", text)


def render(report: Report) -> str:
    """The whole report as one HTML document."""
    doc = report.document
    figures = [
        (title, base64.b64encode(charts.png(draw(report))).decode("ascii"))
        for title, draw in charts.ALL.items()
    ]
    currency = doc.cost.currency
    return pages.render(
        "report.html",
        doc=doc,
        plan=report.is_plan,
        described=report.described,
        by_table=report.scenario.staffing is not None,  # agents: the most on duty at once
        cost=doc.cost,
        money=lambda x: f"{x:,.2f} {currency}",
        mark=_mark,
        targets=target_rows(report),
        channels=channel_rows(report),
        roster=roster_lines(report.scenario),  # a plan's answer (it was in the workbook only)
        judged=bound_heading(doc),
        plan_facts=plan_facts(doc),
        figures=figures,
    )
