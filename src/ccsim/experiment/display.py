"""What a notebook cell shows (`_repr_html_`) of a run, a plan, a capacity plan, a fit or
a backtest: its headline and its tables as text a reader takes in — shares in percent,
money to the cent; the text repr says the headline only (a notebook walkthrough: a run
showed one line, its targets took another cell)."""

from __future__ import annotations

import html

import pandas as pd

from ccsim.scenario.units import interval_text


def percent(x: object) -> str:
    """A share as `84.2 %`, an empty cell for none."""
    return "" if x is None or pd.isna(x) else f"{100 * float(x):.1f} %"  # type: ignore[arg-type]


def targets_table(
    checks: pd.DataFrame, bound: str | None = None, *, replications: int
) -> pd.DataFrame:
    """The rows of `Result.checks()` as a reader wants them: the target as written, the
    mean with its 95 % CI (over `replications`), the value compared with the goal when it
    is not the mean (`bound`: its heading), the periods met of a target per day or
    interval, met or not."""
    out = pd.DataFrame(
        {
            "target": checks["target"],
            "mean": checks["mean"].map(percent),
            "95 % CI": [
                interval_text(lo, hi, replications, percent, " – ")
                for lo, hi in zip(checks["ci_low"], checks["ci_high"], strict=True)
            ],
        }
    )
    if bound is not None:
        out[bound] = checks["bound"].map(percent)
    if checks["periods"].notna().any():
        out["periods met"] = [
            periods(m, n, per, w, wm)
            for m, n, per, w, wm in zip(
                checks["periods_met"],
                checks["periods"],
                checks["per"],
                checks["worst_period"],
                checks["worst_mean"],
                strict=True,
            )
        ]
    out["met"] = checks["met"].map({True: "yes", False: "NO"})
    return out


def periods(met: object, judged: object, per: str, worst: object, worst_mean: object) -> str:
    """`8 of 32 intervals, worst mon 07:30 0.0 %`; `none judged` when no period had
    `min_offered` contacts (it read "0 of 0 intervals, worst None": a review)."""
    if pd.isna(judged):  # type: ignore[arg-type]
        return ""
    if judged == 0:
        return f"none judged (no {per} with min_offered contacts)"
    text = f"{met} of {judged} {per}s"
    return text if worst is None else f"{text}, worst {worst} {percent(worst_mean)}"


def html_block(headline: str, tables: list[tuple[str, pd.DataFrame]], notes: list[str]) -> str:
    """A headline, captioned tables and notes as one HTML fragment, every text escaped."""
    parts = [f"<p><strong>{html.escape(headline)}</strong></p>"]
    for caption, table in tables:
        parts.append(f"<p>{html.escape(caption)}</p>")
        parts.append(table.to_html(index=False, escape=True, border=0, na_rep=""))
    parts += [f"<p>{html.escape(n)}</p>" for n in notes]
    return "<div>" + "".join(parts) + "</div>"
