"""A backtest: a scenario replays a past period of the log and its predictions per
interval are set beside what happened — and beside Erlang C and Erlang A on the same
inputs (`ccsim backtest`, `ccsim.backtest`; docs/history.md).

The replay keeps the scenario's model (reasons, handle times, patience, anger curve) and
takes the period's own arrivals — exactly the contacts offered in each interval of each
date — and its own staffing, the agents on duty reconstructed from the log
(`history.staffing`). Definitions, per interval: offered = contacts that reached the
queue or an agent; abandoned = left before an agent answered (balks included); service
level = answered within T over offered; ASA = mean wait of the answered.

Erlang C and Erlang A get, per interval, the same offered volume and agents on duty, the
scenario's mean handle time (and for Erlang A its mean patience); a fractional number of
agents is interpolated between its two neighbours. Errors per method: volume-weighted
mean absolute error and bias over the intervals with at least MIN_OFFERED contacts.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field
from datetime import date
from math import inf
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ccsim import erlang
from ccsim.experiment import counts, display, runner, seeds
from ccsim.experiment.runner import Progress
from ccsim.history import staffing
from ccsim.history.log import Log, calendar_day, days_without_contacts
from ccsim.measure.service_level import label
from ccsim.model import expected, work
from ccsim.scenario import loader, units
from ccsim.scenario.model import Scenario

MIN_OFFERED = 20
METHODS = ("ccsim", "erlang_a", "erlang_c")
METRICS = ("abandon_rate", "service_level", "asa_s")


class InSampleBacktest(UserWarning):
    """A backtest replayed dates its scenario was fitted on (`Backtest.in_sample`): its
    errors there flatter the model. `ccsim.backtest` warns with it, so that a notebook
    says so where the CLI prints it (it was the first of `notes` alone: a walkthrough)."""


@dataclass
class Backtest:
    """Predicted against actual, per interval and channel, and the errors per method."""

    intervals: pd.DataFrame  # channel, start, agents, offered, <method>_<metric> ...
    errors: pd.DataFrame  # method, metric, actual, mae, bias, intervals, contacts
    first: date
    last: date
    within: float  # minutes
    replay: Scenario  # what was simulated
    replications: int
    seed: int
    notes: list[str] = field(default_factory=list)
    in_sample: str | None = None  # the dates replayed that the scenario was fitted on

    def __repr__(self) -> str:  # (the dataclass's: about 30,000 characters)
        channels = ", ".join(dict.fromkeys(self.intervals["channel"]))
        return (
            f"<Backtest {self.first} to {self.last}: {len(self.intervals):,} intervals "
            f"({channels}), {self.replications} replication(s)>"
        )

    def _repr_html_(self) -> str:
        """What Jupyter shows: the headline, each method's mean absolute error and bias
        per metric (shares in points, ASA in seconds) beside the actual level over the
        intervals it judged, and the notes (`errors` has the figures)."""
        e = self.errors
        share = e["metric"] != "asa_s"

        def shown(x: float, is_share: bool, sign: str = "") -> str:
            if pd.isna(x):
                return ""
            return f"{100 * x:{sign}.1f} pts" if is_share else f"{x:{sign}.1f} s"

        table = pd.DataFrame(
            {
                "method": e["method"],
                "metric": e["metric"],
                "actual": [
                    display.percent(x) if s else shown(x, s)
                    for x, s in zip(e["actual"], share, strict=True)
                ],
                "MAE": [shown(x, s) for x, s in zip(e["mae"], share, strict=True)],
                "bias": [shown(x, s, "+") for x, s in zip(e["bias"], share, strict=True)],
                "intervals": e["intervals"],
            }
        )
        caption = f"Errors over the intervals of {MIN_OFFERED} or more contacts offered"
        return display.html_block(repr(self)[1:-1], [(caption, table)], self.notes)

    def document(self) -> dict[str, Any]:
        """The `ccsim backtest --json` document (docs/history.md)."""
        rows = []
        for r in self.intervals.itertuples(index=False):
            row: dict[str, Any] = {
                "channel": r.channel,
                "start": pd.Timestamp(r.start).strftime("%Y-%m-%dT%H:%M"),
                "agents": _num(r.agents),
                "actual": {"offered": int(r.offered), **self._metrics(r, "actual")},
            }
            for method in METHODS:
                row[method] = self._metrics(r, method)
            rows.append(row)
        errors: dict[str, Any] = {m: {} for m in METHODS}
        for e in self.errors.itertuples(index=False):
            errors[e.method][e.metric] = {
                "actual": _num(e.actual),  # the level the errors are of
                "mae": _num(e.mae),
                "bias": _num(e.bias),
                "intervals": int(e.intervals),
            }
        return {
            "period": {"from": self.first.isoformat(), "to": self.last.isoformat()},
            "within_s": _num(self.within * 60),
            "min_offered": MIN_OFFERED,
            "replications": self.replications,
            "seed": self.seed,
            "intervals": rows,
            "errors": errors,
            "notes": self.notes,
        }

    @staticmethod
    def _metrics(r: Any, method: str) -> dict[str, float | None]:
        return {m: _num(getattr(r, f"{method}_{m}")) for m in METRICS}


def _num(x: Any) -> float | None:
    x = float(x)
    return None if not np.isfinite(x) else round(x, 6)


def backtest(
    s: Scenario,
    log: Log,
    first: date | str,
    last: date | str,
    within: float = 20 / 60,
    replications: int = 20,
    seed: int | None = None,
    report_interval: float = 60.0,
    gap: float = staffing.GAP_MINUTES,
    workers: int | None = None,
    progress: Progress | None = None,
    memory_limit: str | float | None = None,
) -> Backtest:
    """Replay the log's dates first..last with scenario `s` (see the module docstring);
    `within`: the service-level threshold (minutes); `report_interval`: minutes per row."""
    staffing.check_interval_and_gap(s.simulation.interval, gap)
    for name, value in (("within", within), ("interval", report_interval)):  # (the API's names)
        if not isinstance(value, numbers.Real) or isinstance(value, bool) or not 0 <= value < inf:
            # (within='20s' was a TypeError from deep inside the replay)
            raise ValueError(f"{name} must be minutes from 0 up (20 s: 20/60), got {value!r}")
    start, end = calendar_day(first, "first"), calendar_day(last, "last")
    period = log.one_span().between(start, end)
    if period.contacts.empty:
        raise ValueError(f"the log has no contacts from {start.date()} to {end.date()}")
    log.covers(start, end, "the backtest period")
    days = (end - start).days + 1
    step = s.simulation.interval
    if report_interval < 1 or report_interval != int(report_interval):
        raise ValueError(f"the report interval must be whole minutes, got {report_interval:g}")
    if report_interval % step and step % report_interval:
        raise ValueError(
            f"the report interval ({report_interval:g} min) must be a multiple or a divisor "
            f"of the scenario's ({step:g} min)"
        )
    step = min(step, report_interval)
    channels = [ch for ch in s.channels if ch in set(period.contacts["channel"])]
    if not channels:
        logged = ", ".join(sorted(map(str, set(period.contacts["channel"]))))
        raise ValueError(
            f"none of the scenario's channels ({', '.join(s.channels)}) is in the log between "
            f"{first} and {last} (it has: {logged})"
        )
    # agents on duty for the scenario's channels only: time an agent spent on a channel
    # the scenario does not have is not capacity for it (a phone-only scenario replayed
    # with the e-mail work of its log: 1,138 agent-hours instead of 748, in a review)
    mine = period.contacts[period.contacts["channel"].isin(channels)]
    on_duty = staffing.on_duty(mine, start, days, step, gap)
    if on_duty.empty:
        answered = (mine["outcome"] == "answered").any()
        why = "no answered contact names its agent" if answered else "no contact was answered"
        raise ValueError(
            f"{why} in the log between {first} and {last}: no agents on duty can be read "
            "from it to replay the period with"
        )
    replay = _replay(s, period, start, days, step, within, on_duty, channels)
    seed = seeds.resolve(seed, s)
    replications = counts.whole(replications, "replications")
    work.ensure_fits(replay, memory_limit, replications)
    result = runner.run(replay, replications, seed, workers=workers, progress=progress)
    actual = _actual(period, start, days, report_interval, within, channels)
    simulated = _simulated(result.intervals, start, report_interval, within)
    agents = on_duty.assign(start=on_duty["start"].dt.floor(f"{int(report_interval)}min")).groupby(
        "start"
    )["agents"].sum() / (report_interval / step)
    table = actual.merge(simulated, on=["channel", "start"], how="left")
    table.insert(2, "agents", table["start"].map(agents).fillna(0.0).to_numpy())
    _analytic(table, s, report_interval, within)
    errors = _errors(table)
    notes = [
        f"staffing: agents on duty reconstructed from the log (work blocks split at gaps over "
        f"{gap:g} min), {on_duty['agents'].sum() * step / 60:,.0f} agent-hours in the period",
        "arrivals: the period's own, exactly as many per interval as the log shows",
    ]
    notes += _unpredicted(table)
    notes += _volumes(period, pd.date_range(start, end, freq="D"), channels, s)
    notes += _left_out(period.contacts["channel"], channels, s)
    if empty := days_without_contacts(
        pd.date_range(start, end, freq="D"), period.contacts["arrival"]
    ):
        notes.append(f"no contacts in the log on {empty}")
    overlap = in_sample(s, log, start.date(), end.date())
    if overlap:
        notes.insert(0, overlap)
    return Backtest(
        table, errors, start.date(), end.date(), within, replay, replications, seed, notes,
        overlap,
    )  # fmt: skip


def _volumes(period: Log, dates: pd.DatetimeIndex, channels: list[str], s: Scenario) -> list[str]:
    """Per channel, the period's contacts against what the scenario expects on those dates
    (its weekly volume shared out by its daily shares): the replay takes the period's own
    arrivals, so its figures say nothing of a forecast's error — this line does (an
    analyst asked "can I plan with it?": the fitted 8,131 a week met a week of 7,107)."""
    out = []
    logged = period.contacts["channel"].value_counts()
    for ch in channels:
        arrivals = s.arrivals.get(ch)
        if arrivals is None or arrivals.counts is not None:  # (dated counts: no forecast)
            continue
        expected = arrivals.per_week() * float(arrivals.daily_shares()[dates.day_of_week].sum())
        seen = int(logged.get(ch, 0))
        change = f" ({seen / expected - 1:+.1%})" if expected > 0 else ""
        out.append(
            f"volume: {ch} {seen:,} contacts in the period against the scenario's "
            f"{expected:,.0f} on those days{change}; the replay used the period's own "
            "arrivals, so the errors above leave the volume forecast's out"
        )
    return out


def _left_out(logged: pd.Series, channels: list[str], s: Scenario) -> list[str]:
    """The log's channels the scenario does not have, with their contacts: left out of
    the actuals and the staffing (a log of 'Phone' and 'phone' was replayed on 'phone'
    alone, 28 % of its calls gone, without a word)."""
    counts = logged[~logged.isin(channels)].value_counts()
    return [
        f"channel {name!r} ({n:,} contacts in the period) is not in the scenario "
        f"({', '.join(s.channels)}): left out of the actuals and the staffing"
        for name, n in counts.items()
    ]


def in_sample(s: Scenario, log: Log, first: date, last: date) -> str | None:
    """A warning when the dates replayed overlap those `s` was fitted on from this log
    (by file name): its errors there are in-sample and flatter the model."""
    fitted = s.fitted
    if fitted is None or Path(log.source).name != fitted.log:
        return None
    a, b = max(first, fitted.first), min(last, fitted.last)
    if a > b:
        return None
    days = (b - a).days + 1
    return (
        f"in-sample: {days} of the {(last - first).days + 1} day(s) replayed ({a} to {b}) "
        f"are in the period the scenario was fitted on from {fitted.log} ({fitted.first} to "
        f"{fitted.last}); judge a model on dates it was not fitted on"
    )


def _replay(s, period, start, days, step, within, on_duty, channels) -> Scenario:
    """The scenario with the period's arrivals, staffing and calendar (always open: the
    arrivals say when contacts came)."""
    data = s.plain()
    data["simulation"].update(
        start=start.date().isoformat(),
        horizon=f"{days}d",
        warmup=0,
        interval=units.format_duration(step),
        sl_definition="offered",  # the log's service level is over offered contacts
    )
    data["simulation"].pop("start_day", None)
    c = period.contacts
    for ch in list(data["channels"]):
        if ch not in channels:  # and every mention of it (a weekend of e-mail alone was
            data["channels"].pop(ch)  # refused: "unknown skill 'chat'")
            data["arrivals"].pop(ch, None)
            for reason in data["reasons"].values():
                reason["mix"].pop(ch, None)
            for group in data["groups"].values():
                group["skills"].pop(ch, None)
            data.get("costs", {}).get("per_contact", {}).pop(ch, None)
            continue
        data["channels"][ch].pop("open", None)
        mine = c[c["channel"] == ch]
        slot = mine["arrival"].dt.floor(f"{int(step)}min")
        counts = slot.value_counts().sort_index()
        rows = [[t.strftime("%Y-%m-%d %H:%M"), int(n)] for t, n in counts.items()]
        data["arrivals"][ch] = {"counts": {"rows": rows, "exact": True}}
    data["reasons"] = {r: v for r, v in data["reasons"].items() if v["mix"]}
    data["roster"] = []
    data["staffing"] = {
        "rows": [
            [t.strftime("%Y-%m-%d %H:%M"), g, round(float(a), 4)]
            for t, g, a in on_duty[["start", "group", "agents"]].itertuples(index=False)
        ]
    }
    groups = sorted(set(on_duty["group"])) or [staffing.GROUP]
    skilled = {g: v for g, v in data["groups"].items() if v["skills"] or g in groups}
    data["groups"] = skilled  # (a group of the dropped channels only is not on duty)
    for g in groups:
        if not data["groups"].setdefault(g, {"skills": {}})["skills"]:
            data["groups"][g]["skills"] = dict.fromkeys(channels, 1)
    data["targets"] = {ch: {"service": [{"within": within, "at_least": 0.0}]} for ch in channels}
    data["shrinkage"] = 0.0
    data["faq_deflection"] = 0.0  # the log's contacts are those that came
    parent = s.source.parent if s.source else "."
    return loader.validate(data, "<replay>", parent, variant=True)  # (durations in minutes)


def _actual(period: Log, start, days, report, within, channels) -> pd.DataFrame:
    c = period.contacts
    wait = period.wait_s.to_numpy() / 60
    answered = (c["outcome"] == "answered").to_numpy()
    gave_up = c["outcome"].isin(["abandoned", "balked"]).to_numpy()  # not those still waiting
    frame = pd.DataFrame(
        {
            "channel": c["channel"].to_numpy(),
            "start": c["arrival"].dt.floor(f"{int(report)}min").to_numpy(),
            "offered": 1,
            "abandoned": gave_up.astype(int),
            "answered": answered.astype(int),
            "hit": (answered & (wait <= within + 1e-9)).astype(int),
            "wait_answered": np.where(answered, wait, 0.0),
        }
    )
    g = frame.groupby(["channel", "start"], as_index=False).sum()
    g = g[g["channel"].isin(channels)]
    with np.errstate(invalid="ignore", divide="ignore"):
        g["actual_abandon_rate"] = g["abandoned"] / g["offered"]
        g["actual_service_level"] = g["hit"] / g["offered"]
        g["actual_asa_s"] = 60 * g["wait_answered"] / g["answered"].where(g["answered"] > 0)
    return g[
        [
            "channel",
            "start",
            "offered",
            "actual_abandon_rate",
            "actual_service_level",
            "actual_asa_s",
        ]
    ].reset_index(drop=True)


def _simulated(intervals: pd.DataFrame, start, report, within) -> pd.DataFrame:
    """The replay's tables pooled over replications, per report interval."""
    t = intervals.copy()
    t["start"] = (start + pd.to_timedelta(t["start"], unit="min")).dt.floor(f"{int(report)}min")
    t["hit"] = t[f"{label(within)}_hits"]  # over offered, as the log's and Erlang's
    t["wait_sum"] = t["asa_s"].fillna(0.0) * t["answered"]
    g = t.groupby(["channel", "start"], as_index=False)[
        ["offered", "answered", "abandoned", "hit", "wait_sum"]
    ].sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        g["ccsim_abandon_rate"] = g["abandoned"] / g["offered"].where(g["offered"] > 0)
        g["ccsim_service_level"] = g["hit"] / g["offered"].where(g["offered"] > 0)
        g["ccsim_asa_s"] = g["wait_sum"] / g["answered"].where(g["answered"] > 0)
    return g[["channel", "start", "ccsim_abandon_rate", "ccsim_service_level", "ccsim_asa_s"]]


def _analytic(table: pd.DataFrame, s: Scenario, report: float, within: float) -> None:
    """Erlang C and Erlang A columns, in place."""
    for method in ("erlang_a", "erlang_c"):
        for m in METRICS:
            table[f"{method}_{m}"] = np.nan
    for ch in table["channel"].unique():
        rows = np.flatnonzero(table["channel"].to_numpy() == ch)
        aht = float(expected.handling(s, ch, np.zeros(1))[0][0])
        patience = expected.mean_patience(s, ch)
        for i in rows:
            rate = table.at[i, "offered"] / report
            n = float(table.at[i, "agents"])
            for method in ("erlang_a", "erlang_c"):
                values = _interpolated(method, rate, aht, patience, n, within)
                for m, v in zip(METRICS, values, strict=True):
                    table.at[i, f"{method}_{m}"] = v


def _interpolated(method, rate, aht, patience, n, within) -> tuple[float, float, float]:
    """(abandon rate, service level, ASA in s) at n agents, linear between ⌊n⌋ and ⌈n⌉."""
    lo, hi = int(np.floor(n)), int(np.ceil(n))
    a = _analytic_at(method, rate, aht, patience, lo, within)
    if hi == lo:
        return a
    b = _analytic_at(method, rate, aht, patience, hi, within)
    f = n - lo
    return tuple(
        x + f * (y - x) if np.isfinite(x) and np.isfinite(y) else (y if f >= 0.5 else x)
        for x, y in zip(a, b, strict=True)
    )  # type: ignore[return-value]


def _analytic_at(method, rate, aht, patience, n, within) -> tuple[float, float, float]:
    """Without patience (a message channel, or nobody gives up) Erlang A is Erlang C: its
    limit as patience grows (a patience of 1e9 min overflowed Erlang A's queue tail)."""
    if rate <= 0:
        return np.nan, np.nan, np.nan
    if method == "erlang_c" or patience is None:
        if n <= rate * aht:  # unstable: the queue grows without end
            return 0.0, 0.0, np.inf
        sl = float(erlang.erlang_c_service_level(rate, aht, n, within))
        return 0.0, sl, 60 * float(erlang.erlang_c_asa(rate, aht, n))
    if n == 0:
        return 1.0, 0.0, np.nan
    r = erlang.erlang_a(rate, aht, patience, n, within)
    return r.p_abandon, r.service_level, 60 * r.asa


# why a method answers nobody in an interval the log has an ASA for
NOBODY = {
    "ccsim": "where the replay answered nobody",
    "erlang_a": "where it answers nobody (under half an agent on duty: taken as none)",
    "erlang_c": "without a figure",
}


def _unpredicted(table: pd.DataFrame) -> list[str]:
    """Per method and metric, the intervals judged (≥ MIN_OFFERED offered, an actual
    figure) that the method gives no figure for, and so are left out of its error: Erlang
    A's ASA with under half an agent on duty (nobody answered) was left out without a word
    (a walkthrough), and its error then stood on fewer intervals than ccsim's."""
    use = table[table["offered"] >= MIN_OFFERED]
    out = []
    for method in METHODS:
        for m in METRICS:
            actual = np.isfinite(use[f"actual_{m}"].to_numpy(float))
            predicted = use[f"{method}_{m}"].to_numpy(float)
            endless = int((actual & np.isinf(predicted)).sum())
            unanswered = int((actual & np.isnan(predicted)).sum())
            why = [
                *([f"{endless} with a queue growing without end (load ≥ the agents on duty, "
                   "rounded to whole agents)"] if endless else []),
                *([f"{unanswered} {NOBODY[method]}"] if unanswered else []),
            ]  # fmt: skip
            if why:
                out.append(
                    f"{method} {m}: no figure for {endless + unanswered} of the "
                    f"{int(actual.sum())} interval(s) judged — {'; '.join(why)} — left out "
                    "of its error"
                )
    return out


def _errors(table: pd.DataFrame) -> pd.DataFrame:
    """Volume-weighted MAE and bias (predicted − actual) per method and metric, and the
    actual level they are errors of, over the intervals with ≥ MIN_OFFERED offered."""
    use = table[table["offered"] >= MIN_OFFERED]
    rows = []
    for method in METHODS:
        for m in METRICS:
            pred, act = use[f"{method}_{m}"].to_numpy(float), use[f"actual_{m}"].to_numpy(float)
            w = use["offered"].to_numpy(float)
            ok = np.isfinite(pred) & np.isfinite(act)
            if not ok.any():
                rows.append(
                    {
                        "method": method,
                        "metric": m,
                        "actual": np.nan,
                        "mae": np.nan,
                        "bias": np.nan,
                        "intervals": 0,
                        "contacts": 0,
                    }
                )
                continue
            d, w = pred[ok] - act[ok], w[ok]
            rows.append(
                {
                    "method": method,
                    "metric": m,
                    "actual": float(np.sum(w * act[ok]) / w.sum()),  # (to judge the errors by)
                    "mae": float(np.sum(w * np.abs(d)) / w.sum()),
                    "bias": float(np.sum(w * d) / w.sum()),
                    "intervals": int(ok.sum()),
                    "contacts": int(w.sum()),
                }
            )
    return pd.DataFrame(rows)
