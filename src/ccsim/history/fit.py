"""A scenario fitted from a period of a contact log (`ccsim fit`, `ccsim.fit`).

Per channel: arrivals (`history.volume`), patience and balking (`history.patience`,
voice and chat), the after-contact work a log does not record (`history.wrapup`); per
reason: its share of each channel and its handle-time distribution
(`history.durations`); the anger curve or `anger: off` (`history.anger`); the agents on
duty as a weekly staffing table (`history.staffing`). Every fitted value carries its
estimate, 95 % interval and sample size: as a YAML comment, in `Fit.estimates` and in
the report (docs/history.md).
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ccsim.atomic import atomic_file, signed
from ccsim.experiment import display
from ccsim.history import anger as anger_fit
from ccsim.history import durations, patience, staffing, volume, wrapup
from ccsim.history.estimates import Estimate, listed, wilson
from ccsim.history.log import Log, calendar_day, days_without_contacts
from ccsim.scenario import loader, units, yamlfile
from ccsim.scenario.model import MAX_TITLE, AngerModel, Scenario

VOICE_NAMES = ("phone", "voice", "call", "calls", "tel", "telephone")
GROUP = staffing.GROUP


@dataclass
class Fit:
    """A fitted scenario and the evidence behind every value."""

    document: dict[str, Any]  # the scenario as plain data
    estimates: pd.DataFrame  # field, estimate, ci_low, ci_high, n, method, unit
    log: Log  # the fit period's contacts
    first: date
    last: date
    volumes: dict[str, volume.VolumeFit] = field(default_factory=dict)
    handle: dict[str, durations.DurationFit] = field(default_factory=dict)
    patience: dict[str, patience.PatienceFit] = field(default_factory=dict)
    anger: anger_fit.AngerFit | None = None
    staffing: pd.DataFrame = field(default_factory=pd.DataFrame)  # by date
    notes: list[str] = field(default_factory=list)  # the period's, e.g. days without contacts

    def __repr__(self) -> str:  # (the dataclass's: about 100,000 characters)
        channels = ", ".join(self.document.get("channels", {}))
        return (
            f"<Fit {self.first} to {self.last}: {len(self.log):,} contacts ({channels}), "
            f"{len(self.estimates)} estimates>"
        )

    def _repr_html_(self) -> str:
        """What Jupyter shows: the headline and every fitted value with its 95 % CI, the
        contacts it rests on and how it was estimated — the intraday shares counted, not
        listed (the estimates table has them: 24 a day type) — and the period's notes."""
        rows = listed(self.estimates)
        table = rows[["field", "estimate", "ci", "unit", "n", "method"]].rename(
            columns={"ci": "95 % CI"}
        )
        shares = len(self.estimates) - len(rows)
        notes = [f"{shares} intraday shares in the estimates table."] if shares else []
        return display.html_block(repr(self)[1:-1], [("Estimates", table)], notes + self.notes)

    @cached_property
    def scenario(self) -> Scenario:
        """The fitted scenario, validated like a file."""
        return loader.validate(self.document, "<fit>", ".")

    def estimate(self, field_: str) -> Estimate:
        """The estimate of one field (`arrivals.phone.weekly`)."""
        row = self.estimates.set_index("field").loc[field_]
        return Estimate(
            field_,
            row["estimate"],
            row["ci_low"],
            row["ci_high"],
            int(row["n"]),
            row["method"],
            row["unit"],
        )

    def to_yaml(self) -> str:
        """The scenario as YAML, each fitted value with its interval as a comment."""
        comments = {row.field: _comment(row) for row in self.estimates.itertuples(index=False)}
        for row in self.estimates.itertuples(index=False):  # a list: one line for its items
            base, _, index = row.field.rpartition("[")
            if index.rstrip("]").isdigit() and "[" not in base:
                item = f"{_short(row.ci_low)}–{_short(row.ci_high)}"
                comments[base] = (comments.get(base, "95% CIs:") + f" {item}").strip()
        header = (
            f"{MARK[2:]} from {Path(self.log.source).name}, contacts of "
            f"{self.first.isoformat()} to {self.last.isoformat()} ({len(self.log):,} offered).\n"
            "Comments: each value's 95% confidence interval, sample size and method; the\n"
            + (
                "staffing table is the agents on duty reconstructed from who handled which\n"
                "contact (docs/history.md)."
                if "staffing" in self.document
                else "log names no agents: no staffing table (add a roster or staffing) and\n"
                "no wrap-up were fitted (docs/history.md)."
            )
            + " Add targets (and shifts, for `ccsim plan`)."
        )
        for note in self.notes:  # the file keeps what the fit said (days fitted as closed)
            if not note.startswith("no answered contact names its agent"):  # (said above)
                header += "\n" + "\n  ".join(textwrap.wrap(f"Note: {note}", 86))
        tree = _commented(self.document, (), comments)
        tree.yaml_set_start_comment(header)
        return yamlfile.dump(tree, width=100)

    def save(self, path: str | Path) -> Path:
        """Write the scenario YAML (atomically); it validates and runs as it is."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_file(path, MARK) as tmp:  # (a scenario of the user's is not replaced)
            tmp.write_text(signed(self.to_yaml()), encoding="utf-8")
        return path


MARK = "# Fitted by ccsim"  # how a fitted scenario's file starts


LONG_WAIT_S = 2 * 3600  # a wait this long on a voice or chat channel is said


def _in_minutes(spec: dict[str, float | str]) -> dict[str, float | str]:
    """A fitted distribution with its mean written `3.2167min`: the unit named, so that a
    long mean is not warned about as a bare number (`scenario.rules.written`)."""
    return {**spec, "mean": f"{spec['mean']!r}min"}


def _long_waits(channel: str, kind: str, wait_s: np.ndarray) -> list[str]:
    """Voice or chat waits of hours, said: likely a wrong date (three answers dated a day
    late moved one log's patience from 6.4 to 11.4 min, without a word); they stay in the
    fit — the log is the user's to correct."""
    long = wait_s[np.isfinite(wait_s) & (wait_s > LONG_WAIT_S)]
    if not long.size:
        return []
    return [
        f"{channel}: {long.size:,} contact(s) waited more than {LONG_WAIT_S // 3600} h (the "
        f"longest {long.max() / 3600:,.1f} h) — on a {kind} channel likely a wrong date or "
        "time; they are in the patience fit (remove them from the log if they are wrong)"
    ]


MOST_DROPPED = 0.5  # a log that lost this share of its rows is misread, not fitted


def _mostly_read(log: Log) -> None:
    """A ValueError for a log that lost half its rows or more as bad — phantom calls and
    repeated ids aside, which are the log's own: a misread column (handle times in
    milliseconds, a wrong `time_format`), whose fit rests on the rest and is wrong (a
    walkthrough: 51 % dropped, a fit of half the volume and 733-minute calls, exit 0)."""
    bad = {why: n for why, n in log.dropped.items() if not why.startswith(("phantom", "duplicate"))}
    rows = len(log.contacts) + sum(log.dropped.values())
    if rows and sum(bad.values()) / rows >= MOST_DROPPED:
        worst = max(bad, key=lambda why: bad[why])
        raise ValueError(
            f"{sum(bad.values()) / rows:.0%} of the log's rows were dropped as bad (most as "
            f"{worst}): a column read the wrong way, not bad rows — the log's notes say what "
            "to check; correct the log or its column mapping before fitting it"
        )


def _period(log: Log, first: date | str | None, last: date | str | None) -> pd.DatetimeIndex:
    """Every date of the fit period: first..last, by default the log's first and last
    arrival dates. A period reaching past the weeks of the log is refused (`Log.covers`),
    and so is one shorter than a week, whose missing weekdays would get no contacts."""
    if log.contacts.empty:
        raise ValueError("the log has no contacts")
    span = log.dates()
    start = span[0] if first is None else calendar_day(first, "first")
    end = span[-1] if last is None else calendar_day(last, "last")
    shown = f"{start.date()} to {end.date()}"
    if end < start:
        raise ValueError(f"the fit period {shown} ends before it starts")
    log.covers(start, end, "the fit period")
    monday = span[0] - pd.Timedelta(days=span[0].weekday())
    dates = pd.date_range(start, end, freq="D")
    if len(dates) < 7:
        raise ValueError(
            f"the fit period {shown} has {len(dates)} day(s): a fit needs at least a "
            f"week, every weekday once (closed at weekends? --from {monday.date()} --to "
            f"{(start + pd.Timedelta(days=6 - start.weekday())).date()})"
        )
    return dates


def fit(
    log: Log,
    first: date | str | None = None,
    last: date | str | None = None,
    interval: float = 60.0,
    kinds: dict[str, str] | None = None,
    gap: float = staffing.GAP_MINUTES,
) -> Fit:
    """Fit a scenario to the contacts of `log` that arrived on the dates first..last
    (default: all). `interval`: minutes of the intraday profile and staffing table;
    `kinds`: a channel's kind (voice, chat, message) where its name does not tell."""
    staffing.check_interval_and_gap(interval, gap)
    log = log.one_span()
    _mostly_read(log)
    dates = _period(log, first, last)
    period = log.between(first, last)
    if period.contacts.empty:
        raise ValueError(f"the log has no contacts from {dates[0].date()} to {dates[-1].date()}")
    c = period.contacts
    wait = period.wait_s.to_numpy()
    found: list[Estimate] = []
    doc: dict[str, Any] = {
        "name": f"Fitted from {units.printable(Path(log.source).name)}"[:MAX_TITLE],
        "description": f"Contacts of {dates[0].date()} to {dates[-1].date()}, fitted by ccsim fit.",
        "fitted": {
            "log": Path(log.source).name,
            "first": dates[0].date().isoformat(),
            "last": dates[-1].date().isoformat(),
        },
        "simulation": {
            "horizon": "7d",
            "warmup": "1d",
            "interval": units.format_duration(interval),
            "start_day": "mon",
            "replications": 20,
            "seed": 1,
        },
        "channels": {},
        "arrivals": {},
        "reasons": {},
    }
    result = Fit(doc, pd.DataFrame(), period, dates[0].date(), dates[-1].date())
    if empty := days_without_contacts(dates, c["arrival"]):  # they count as days of no volume
        result.notes.append(
            f"no contacts on {empty}: fitted as days without contacts (closed); give a "
            "period the log covers if they were not"
        )
    if c.loc[c["outcome"] == "answered", "agent"].isna().all():  # (said nowhere: a walkthrough)
        result.notes.append(
            "no answered contact names its agent: no wrap-up (gaps between an agent's "
            "contacts) and no staffing table (agents on duty) are fitted, and a backtest "
            "cannot replay the log's staffing; give an agent column to fit them"
        )
    channels = sorted(c["channel"].unique())
    for ch in channels:
        mine = (c["channel"] == ch).to_numpy()
        kind = (kinds or {}).get(ch) or _kind(ch, c.loc[mine, "outcome"])
        v = volume.fit(c.loc[mine, "arrival"], dates, interval, ch)
        result.volumes[ch] = v
        found += v.estimates
        doc["channels"][ch] = {"kind": kind}
        if v.open is not None:
            doc["channels"][ch]["open"] = v.open
        doc["arrivals"][ch] = {
            "weekly": round(v.weekly, 1),
            "daily": _shares(v.daily),
            "intraday": v.intraday,
            "overdispersion": round(v.overdispersion, 4) if v.overdispersion >= 1e-3 else 0.0,
        }
        w, est = wrapup.fit(c[mine], f"channels.{ch}.wrapup", log.contacts)
        if w is not None:
            doc["channels"][ch]["wrapup"] = _in_minutes(w.spec())  # (a bare 0.9242: a review)
            found += est
        if kind != "message":
            result.notes += _long_waits(ch, kind, wait[mine])
            p, est = patience.fit(
                wait[mine], c.loc[mine, "outcome"].to_numpy(), f"channels.{ch}.patience"
            )
            found += est
            if p is not None:
                result.patience[ch] = p
                doc["channels"][ch]["patience"] = _in_minutes(p.spec())
    # reasons: shares per channel, handle times
    for ch in channels:
        mine = c["channel"] == ch
        counts = c.loc[mine, "reason"].value_counts()
        shares = _shares(list(counts.to_numpy() / counts.sum()))
        for r, share, n_r in zip(counts.index, shares, counts.to_numpy(), strict=True):
            doc["reasons"].setdefault(str(r), {"mix": {}})["mix"][ch] = share
            found.append(
                Estimate(
                    f"reasons.{r}.mix.{ch}",
                    share,
                    *wilson(n_r, counts.sum()),
                    int(counts.sum()),
                    "share of the channel's contacts",
                )
            )
    answered = (c["outcome"] == "answered").to_numpy() & c["handle_s"].notna().to_numpy()
    live = [ch for ch in channels if doc["channels"][ch]["kind"] != "message"]
    main = max(live, key=lambda ch: int((answered & (c["channel"] == ch)).sum()), default=None)
    venting, vent_var = np.zeros(len(c)), np.zeros(len(c))
    if main is not None:
        on = answered & (c["channel"] == main).to_numpy()
        a, est = anger_fit.fit(
            wait[on], c.loc[on, "handle_s"].to_numpy(), c.loc[on, "reason"].to_numpy()
        )
        result.anger = a
        found += [
            e if e.field != "tolerance" else _renamed(e, f"channels.{main}.tolerance") for e in est
        ]
        if a.enabled:
            doc["channels"][main]["tolerance"] = round(a.tolerance, 4)
            doc["anger"] = {**_anger_defaults(), "empathy_decay": round(a.empathy_decay, 4)}
            venting[on], vent_var[on] = a.venting(wait[on] / 60)
        else:
            doc["anger"] = "off"
    else:
        doc["anger"] = "off"
    for r in doc["reasons"]:
        mine = answered & (c["reason"] == r).to_numpy()
        borrowed = mine.sum() < 2  # a reason (almost) never answered: all reasons' times
        if borrowed:
            mine = answered
        why = " (answered < 2 times: every reason's)" if borrowed else ""
        seconds = c.loc[mine, "handle_s"].to_numpy() - venting[mine] * 60
        try:
            d, est = durations.fit(seconds, f"reasons.{r}.resolve")
        except ValueError:  # all alike (2 answers of 120 s): no spread to fit
            if borrowed:
                raise
            borrowed, mine, why = True, answered, " (all alike: every reason's)"
            seconds = c.loc[mine, "handle_s"].to_numpy() - venting[mine] * 60
            d, est = durations.fit(seconds, f"reasons.{r}.resolve")
        if borrowed:
            est = [_renamed(e, e.field, why) for e in est]
        if result.anger is not None and result.anger.enabled and r in result.anger.levels:
            d, est = _resolution(d, est, result.anger.levels[r], seconds, vent_var[mine])
        result.handle[r] = d
        found += est
        doc["reasons"][r]["resolve"] = _in_minutes(d.spec())
    # people: one group per log group (or `agents`), the agents on duty as a weekly table
    dated = staffing.on_duty(c, pd.Timestamp(dates[0]), len(dates), interval, gap)
    result.staffing = dated
    pattern = staffing.weekly_pattern(dated)
    groups = sorted(pattern["group"].unique()) if not pattern.empty else [GROUP]
    doc["groups"] = {g: {"skills": dict.fromkeys(channels, 1)} for g in groups}
    if not pattern.empty:  # a log that names no agents gives no staffing table
        rows = [[r.day, r.time, r.group, float(r.agents)] for r in pattern.itertuples()]
        doc["staffing"] = {"rows": rows}
    doc["shrinkage"] = 0.0
    result.estimates = pd.DataFrame(
        [
            {
                "field": e.field,
                "estimate": e.value,
                "ci_low": e.low,
                "ci_high": e.high,
                "n": e.n,
                "method": e.method,
                "unit": e.unit,
            }
            for e in found
        ]
    )
    return result


def _resolution(d, est, level: float, residual_s: np.ndarray, vent_var: np.ndarray):
    """With the anger curve on, a reason's resolution time: its mean is the calibrated
    level; its spread is that of handle time minus the expected venting, less the
    venting's own variance (initial anger differs between customers)."""
    cv_est = next(e for e in est if e.field.endswith(".cv"))
    var = max(float(np.var(residual_s / 60)) - float(np.mean(vent_var)), (0.05 * level) ** 2)
    cv = math.sqrt(var) / level
    # d cv / d Var is larger by cv_residual / cv than for the residual's own CV
    widen = cv_est.value / cv if cv > 0 else 1.0
    d.mean, d.cv = level, cv
    if d.dist not in ("lognormal", "gamma"):  # a family given by its CV
        d.dist, d.shape = "gamma", None
    half_low, half_high = cv_est.value - cv_est.low, cv_est.high - cv_est.value
    corrected = Estimate(
        cv_est.field,
        cv,
        max(cv - widen * half_low, 0.0),
        cv + widen * half_high,
        cv_est.n,
        "handle time less venting: moments, delta method",
    )
    return d, [e for e in est if not e.field.endswith((".mean", ".cv"))] + [corrected]


def _kind(channel: str, outcomes: pd.Series) -> str:
    """voice for phone-like names, chat for chats, else voice if anyone abandons, else
    message (a channel nobody abandons is a backlog)."""
    name = channel.lower()
    if any(v in name for v in VOICE_NAMES):
        return "voice"
    if "chat" in name:
        return "chat"
    return "voice" if outcomes.isin(["abandoned", "balked"]).any() else "message"


def _shares(values: list[float]) -> list[float]:
    """Shares rounded to 6 decimals that still sum to exactly 1 (the largest absorbs it)."""
    rounded = [round(float(v), 6) for v in values]
    if rounded:
        biggest = int(np.argmax(rounded))
        rounded[biggest] = round(rounded[biggest] + 1 - sum(rounded), 6)
    return rounded


def _anger_defaults() -> dict[str, Any]:
    curve = AngerModel()
    return {
        "calm_below": curve.calm_below,
        "rise_rate": curve.rise_rate,
        "peak_gain": curve.peak_gain,
        "patience_drop": 0.0,  # the fitted patience is that of customers as angry as they were
        "escalate_above": 1.0,
        "prepared_answer_speedup": 0.0,
    }


def _renamed(e: Estimate, field_: str, note: str = "") -> Estimate:
    return Estimate(field_, e.value, e.low, e.high, e.n, e.method + note, e.unit)


def _short(x: float) -> str:
    return f"{x:.3g}"


def _comment(row: Any) -> str:
    return Estimate(
        row.field, row.estimate, row.ci_low, row.ci_high, int(row.n), row.method, row.unit
    ).comment()


def _commented(node: Any, loc: tuple, comments: dict[str, str]) -> Any:
    """The document as ruamel nodes, each field with an estimate commented."""
    if isinstance(node, dict):
        out = CommentedMap()
        for key, value in node.items():
            path = (*loc, key)
            out[key] = _commented(value, path, comments)
            text = comments.get(".".join(map(str, path)))
            if text is not None and not isinstance(value, dict):
                out.yaml_add_eol_comment(text, key)
        return out
    if isinstance(node, list):
        seq = CommentedSeq(_commented(v, (*loc, i), comments) for i, v in enumerate(node))
        if all(not isinstance(v, dict | list) for v in node):
            seq.fa.set_flow_style()
        return seq
    return node
