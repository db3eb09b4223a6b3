"""Reports of the history commands: the fit report (one HTML page, fitted against observed)
and the backtest folder (JSON, the intervals as CSV, a chart of predicted against
actual). Rendered from the Fit and Backtest objects in memory."""

from __future__ import annotations

import base64
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
from scipy import stats

from ccsim.atomic import atomic_folder
from ccsim.history import estimates
from ccsim.history.backtest import METHODS, METRICS, Backtest
from ccsim.history.fit import Fit
from ccsim.history.patience import survival
from ccsim.report import charts, pages
from ccsim.scenario.units import parse_days

COLOURS = {"actual": "black", "ccsim": "C0", "erlang_a": "C1", "erlang_c": "C2"}
_METRIC_NAMES = {
    "abandon_rate": "abandon rate",
    "service_level": "service level",
    "asa_s": "ASA (s)",
}


def fit_document(fit: Fit, scenario_path: str | None = None) -> dict[str, Any]:
    """The `ccsim fit --json` document: period, contacts, rows dropped, every estimate."""
    return {
        "log": fit.log.source,
        "period": {"from": fit.first.isoformat(), "to": fit.last.isoformat()},
        "contacts": len(fit.log),
        "dropped": fit.log.dropped,
        "repaired": fit.log.repaired,
        "notes": fit.log.notes + fit.notes,
        "not_offered": fit.log.not_offered,
        "outside_hours": {ch: round(v.outside_hours, 6) for ch, v in fit.volumes.items()},
        "scenario": scenario_path,
        "anger": {
            "enabled": bool(fit.anger and fit.anger.enabled),
            "reason": fit.anger.reason if fit.anger else "no voice or chat channel",
        },
        "estimates": json.loads(fit.estimates.to_json(orient="records")),
    }


def write_fit_report(folder: Path, fit: Fit) -> Path:
    """fit.html (charts inline) and estimates.csv into `folder`, atomically."""
    with atomic_folder(folder) as tmp:
        (tmp / "fit.html").write_text(render_fit(fit), encoding="utf-8")
        fit.estimates.to_csv(tmp / "estimates.csv", index=False)
    return Path(folder)


def fit_charts(fit: Fit) -> dict[str, Any]:
    """The fit report's figures by title (those the log has data for): intraday profile,
    patience survival, handle-time densities, handle time against wait."""
    figures = {
        "Intraday profile: observed against fitted": _intraday(fit),
        "Patience: Kaplan–Meier against the fitted distribution": _patience(fit),
        "Handle time: histogram against the fitted density": _handle(fit),
        "Handle time against the wait before the answer": _anger(fit),
    }
    return {title: fig for title, fig in figures.items() if fig is not None}


def render_fit(fit: Fit) -> str:
    images = [(title, _png(fig)) for title, fig in fit_charts(fit).items()]
    rows = estimates.listed(fit.estimates)  # (the intraday shares: the chart shows those)
    observed = _observed(fit)
    return pages.render(
        "fit.html", fit=fit, images=images, rows=rows.to_dict("records"), observed=observed
    )


def _observed(fit: Fit) -> list[dict[str, Any]]:
    """Per channel what the period itself shows — offered, the share that gave up (balks
    included), the mean wait of the answered — to set a run of the fitted scenario
    against (the page gave none: an analyst's walkthrough)."""
    c, wait = fit.log.contacts, fit.log.wait_s
    out = []
    for ch in sorted(c["channel"].unique()):
        mine = (c["channel"] == ch).to_numpy()
        outcome = c.loc[mine, "outcome"]
        answered = (outcome == "answered").to_numpy()
        gave_up = float(outcome.isin(["abandoned", "balked"]).mean())
        asa = float(wait[mine][answered].mean()) if answered.any() else math.nan
        out.append({"channel": ch, "offered": int(mine.sum()), "gave_up": gave_up, "asa_s": asa})
    return out


def write_backtest(folder: Path, result: Backtest) -> Path:
    """backtest.json, intervals.csv, backtest.png and backtest.html into `folder`."""
    doc = result.document()
    figure = predicted_against_actual(result)
    with atomic_folder(folder) as tmp:
        (tmp / "backtest.json").write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
        result.intervals.to_csv(tmp / "intervals.csv", index=False)
        (tmp / "backtest.png").write_bytes(charts.png(figure))
        page = pages.render(
            "backtest.html", doc=doc, image=_png(figure), errors=result.errors.to_dict("records")
        )
        (tmp / "backtest.html").write_text(page, encoding="utf-8")
    return Path(folder)


def _png(fig: Any) -> str:
    return base64.b64encode(charts.png(fig)).decode("ascii")


def predicted_against_actual(result: Backtest) -> Any:
    """Per metric: every interval's prediction (each method) against what happened."""
    use = result.intervals[result.intervals["offered"] >= 20]
    fig, axes = charts.figure(1, 3, height=3.6)
    for ax, metric in zip(axes, METRICS, strict=True):
        actual = use[f"actual_{metric}"].to_numpy(float)
        for method in METHODS:
            pred = use[f"{method}_{metric}"].to_numpy(float)
            ok = np.isfinite(pred) & np.isfinite(actual)
            ax.scatter(actual[ok], pred[ok], s=8, alpha=0.5, color=COLOURS[method], label=method)
        top = float(np.nanmax(actual)) if np.isfinite(actual).any() else 1.0
        top = top if top > 0 else 1.0
        ax.plot([0, top], [0, top], color="grey", lw=1, ls=":")
        if metric == "asa_s":  # Erlang C's ASA, far off, would flatten the rest
            ax.set_ylim(0, 1.5 * top)
            off = sum(int((use[f"{m}_{metric}"] > 1.5 * top).sum()) for m in METHODS)
            if off:
                ax.annotate(f"{off} predictions above the chart", (0.02, 0.95),
                            xycoords="axes fraction", fontsize=7, va="top")  # fmt: skip
        name = _METRIC_NAMES.get(metric, metric.replace("_", " "))  # ("asa s": a review)
        ax.set_xlabel(f"actual {name}")
        ax.set_ylabel(f"predicted {name}")
        ax.set_title(name, loc="left")
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    return fig


def _intraday(fit: Fit) -> Any:
    v = next(iter(fit.volumes.values()), None)
    if v is None:
        return None
    fig, (ax,) = charts.figure(height=3.2)
    x = np.arange(v.profile.shape[1])
    for i, day in enumerate(v.profile.index):
        ax.plot(x, v.profile.loc[day].to_numpy(), color=f"C{i}", lw=1, label=f"{day} observed")
    weekly, shares = v.weekly, np.asarray(v.daily)
    profiles = v.intraday if isinstance(v.intraday, dict) else {"mon-sun": v.intraday}
    for days, weights in profiles.items():
        for d in parse_days(days):
            ax.plot(
                x, weekly * shares[d] * np.asarray(weights), color=f"C{d}", lw=2, ls="--", alpha=0.6
            )
    ax.set_xticks(x[:: max(1, len(x) // 12)], v.profile.columns[:: max(1, len(x) // 12)])
    ax.set_ylabel("contacts per interval (mean of the dates)")
    ax.set_title(
        f"{v.channel}: observed (solid) and fitted (dashed), per day of the week", loc="left"
    )
    ax.legend(fontsize=7, ncols=4)
    ax.grid(alpha=0.3)
    return fig


def _patience(fit: Fit) -> Any:
    p = next(iter(fit.patience.values()), None)
    if p is None:
        return None
    fig, (ax,) = charts.figure(height=3.2)
    t, sf, low, high = p.km
    ax.step(t, sf, where="post", color="black", label="Kaplan–Meier")
    ax.fill_between(t, low, high, step="post", color="grey", alpha=0.3, label="95% band")
    grid = np.linspace(0, float(t.max()) if t.size else 1, 200)
    ax.plot(grid, survival(grid, p.exponential_mean[0]), color="C1", label="exponential")
    k, mean = p.weibull[3], p.weibull[0]
    if math.isfinite(k) and k > 0:  # (no Weibull fit when every wait was alike)
        label = f"Weibull (shape {k:.2f})"
        ax.plot(grid, survival(grid, mean, k), color="C0", label=label)
    ax.set_xlabel("minutes waited")
    ax.set_ylabel("share still waiting (patience survival)")
    ax.set_title(f"chosen: {p.dist}, mean {p.mean:.2f} min; balk {p.balk:.2%}", loc="left")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return fig


def _handle(fit: Fit) -> Any:
    c = fit.log.contacts
    answered = c[(c["outcome"] == "answered") & c["handle_s"].notna()]
    if answered.empty:
        return None
    top = list(answered["reason"].value_counts().index[:4])
    fig, axes = charts.figure(1, len(top), height=3.0)
    for ax, reason in zip(axes, top, strict=True):
        minutes = answered.loc[answered["reason"] == reason, "handle_s"].to_numpy() / 60
        edge = float(np.quantile(minutes, 0.99))
        ax.hist(minutes, bins=50, range=(0, edge), density=True, color="grey", alpha=0.6)
        d = fit.handle.get(reason)
        if d is not None:
            grid = np.linspace(0.01, edge, 200)
            ax.plot(grid, _density(d, grid), color="C0", lw=2)
            ax.set_title(f"{reason}: {d.dist}, mean {d.mean:.2f} min", loc="left", fontsize=9)
        ax.set_xlabel("minutes")
    return fig


def _density(d: Any, x: np.ndarray) -> np.ndarray:
    if d.dist == "exponential":
        return stats.expon.pdf(x, scale=d.mean)
    if d.dist == "lognormal":
        sigma = np.sqrt(np.log1p(d.cv**2))
        return stats.lognorm.pdf(x, sigma, scale=d.mean * np.exp(-(sigma**2) / 2))
    if d.dist == "gamma":
        k = 1 / d.cv**2
        return stats.gamma.pdf(x, k, scale=d.mean / k)
    k = d.shape or 1.0
    return stats.weibull_min.pdf(x, k, scale=d.mean / math.gamma(1 + 1 / k))


def _anger(fit: Fit) -> Any:
    a = fit.anger
    if a is None or a.binned.empty:
        return None
    fig, (ax,) = charts.figure(height=3.2)
    for i, (reason, rows) in enumerate(a.binned.groupby("reason")):
        err = 1.96 * np.sqrt(rows["var"].to_numpy())
        ax.errorbar(
            rows["wait"], rows["handle"], yerr=err, fmt="o", ms=3, color=f"C{i}", label=reason
        )
    ax.set_xlabel("minutes waited before the answer")
    ax.set_ylabel("mean handle time (min), 95% CI")
    slope = a.slope
    ax.set_title(
        f"{'anger on' if a.enabled else 'anger off'}: {slope[0]:+z.1f} s per minute waited "
        f"(95% CI {slope[1]:+z.1f} to {slope[2]:+z.1f})",
        loc="left",
    )
    ax.legend(fontsize=7, ncols=3)
    ax.grid(alpha=0.3)
    return fig
