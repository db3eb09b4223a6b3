"""Measured outputs of a simulation: per-contact records and the tables built from them.

All tables are computed after the run from the columnar records, vectorised:
per interval × channel, per interval × group, and a summary per channel (with the
`escalation` pseudo-channel) for each replication, plus estimates with 95% CIs.
Times in the contact records are minutes from the start of the measured window;
summary times are seconds (`_s`), as in the `--json` output.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from ccsim import anger, service_level
from ccsim.confidence import t_interval
from ccsim.contacts import Contacts
from ccsim.engine import AgentLog
from ccsim.scenario import ESCALATION, Scenario
from ccsim.service_level import label


@dataclass
class Replication:
    """The records of one replication."""

    index: int
    seed: int | None
    contacts: Contacts
    closed: dict[str, np.ndarray]  # voice/chat attempts while closed, per channel
    agents: list[AgentLog]
    t0: float  # start of the simulated time (−warm-up)
    t1: float  # end of the simulated time (horizon + cool-down)
    horizon: float


def overlap_per_bin(
    starts: np.ndarray, ends: np.ndarray, edges: np.ndarray, weights: np.ndarray | None = None
) -> np.ndarray:
    """Total (weighted) length of segments [start, end) in each bin of the uniform `edges`.

    Exact bookkeeping (no cumulative sums of large times): a segment adds its partial
    lengths to its first and last bins and a whole bin length to the bins between.
    """
    n_bins = edges.size - 1
    w = np.ones(starts.size) if weights is None else np.asarray(weights, float)
    lo, hi = edges[0], edges[-1]
    s, e = np.clip(starts, lo, hi), np.clip(ends, lo, hi)
    keep = e > s
    s, e, w = s[keep], e[keep], w[keep]
    if s.size == 0:
        return np.zeros(n_bins)
    step = edges[1] - edges[0]
    first = np.minimum(((s - lo) // step).astype(int), n_bins - 1)
    last = np.minimum(((e - lo) // step).astype(int), n_bins - 1)
    last = np.where((last > first) & (lo + last * step >= e), last - 1, last)  # end on an edge
    same = first == last
    out = np.zeros(n_bins)
    out += np.bincount(first[same], weights=w[same] * (e[same] - s[same]), minlength=n_bins)
    span = ~same
    f, la, ws = first[span], last[span], w[span]
    out += np.bincount(f, weights=ws * (lo + (f + 1) * step - s[span]), minlength=n_bins)
    out += np.bincount(la, weights=ws * (e[span] - (lo + la * step)), minlength=n_bins)
    middle = np.bincount(f + 1, weights=ws, minlength=n_bins + 1) - np.bincount(
        la, weights=ws, minlength=n_bins + 1
    )
    out += step * np.cumsum(middle)[:n_bins]
    return out


class Outcomes:
    """Derived per-contact outcomes of one replication (masks and times), and the measured
    contacts of each of the first `n_channels` channels (indices, in arrival order)."""

    def __init__(self, rep: Replication, n_channels: int = 0):
        c, o = rep.contacts, rep.contacts.outcome
        self.answered = ~np.isnan(o["answer"])
        self.abandoned = ~self.answered & (o["expire"] <= rep.t1)
        self.waiting = ~self.answered & ~self.abandoned
        self.wait = np.where(
            self.answered,
            o["answer"] - c.arrival,
            np.where(self.abandoned, o["expire"] - c.arrival, rep.t1 - c.arrival),
        )
        self.to_reply = o["reply"] - c.arrival  # NaN when never answered
        self.to_answer = o["answer"] - c.arrival
        self.handle = o["end"] - o["answer"]
        self.measured = (c.arrival >= 0) & (c.arrival < rep.horizon)
        self.escalated = ~np.isnan(o["esc_queued"])
        self.of_channel = [
            np.flatnonzero(self.measured & (c.channel == k)) for k in range(n_channels)
        ]


def _summary_row(s: Scenario, rep: Replication, out: Outcomes, k: int, name: str) -> dict:
    o = rep.contacts.outcome
    kind = s.channels[name].kind
    m = out.of_channel[k]
    answered, abandoned = out.answered[m], out.abandoned[m]
    elapsed = out.to_reply[m] if kind == "message" else out.to_answer[m]
    wait, handle = out.wait[m], out.handle[m]
    nps_classes = anger.nps_class(
        np.nan_to_num(o["a_w"][m]), abandoned, s.anger.promoter_below, s.anger.detractor_above
    )[answered | abandoned]
    closed = rep.closed.get(name, np.empty(0))
    row = {
        "channel": name,
        "offered": m.size,
        "answered": int(answered.sum()),
        "abandoned": int(abandoned.sum()),
        "waiting_at_end": int(out.waiting[m].sum()),
        "closed": int(((closed >= 0) & (closed < rep.horizon)).sum()),
        "abandon_rate": abandoned.mean() if m.size else np.nan,
        "p_wait": (wait > 0).mean() if m.size else np.nan,
        "asa_s": 60 * wait[answered].mean() if answered.any() else np.nan,
        "wait_mean_s": 60 * wait.mean() if m.size else np.nan,
        "aht_s": 60 * np.nanmean(handle) if np.isfinite(handle).any() else np.nan,
        "nps": anger.nps(nps_classes),
        "busy_min": float(np.nansum(handle) / s.channels[name].concurrency),
    }
    for t in s.targets[name].service if name in s.targets else []:
        row[label(t.within)] = service_level.service_level(
            elapsed, answered, abandoned, wait, t.within, s.simulation.sl_definition
        )
    return row


def _escalation_row(s: Scenario, rep: Replication, out: Outcomes) -> dict:
    c, o = rep.contacts, rep.contacts.outcome
    m = out.measured & out.escalated
    started = ~np.isnan(o["esc_start"][m])
    total = o["esc_end"][m] - c.arrival[m]
    queue_wait = np.where(started, o["esc_start"][m], rep.t1) - o["esc_queued"][m]
    handle = o["esc_end"][m] - o["esc_start"][m]
    row = {
        "channel": ESCALATION,
        "offered": int(m.sum()),
        "answered": int(started.sum()),
        "abandoned": 0,
        "waiting_at_end": int((~started).sum()),
        "closed": 0,
        "abandon_rate": 0.0 if m.any() else np.nan,
        "p_wait": (queue_wait > 0).mean() if m.any() else np.nan,
        "asa_s": 60 * queue_wait[started].mean() if started.any() else np.nan,
        "wait_mean_s": 60 * queue_wait.mean() if m.any() else np.nan,
        "aht_s": 60 * np.nanmean(handle) if np.isfinite(handle).any() else np.nan,
        "nps": np.nan,
        "busy_min": float(np.nansum(handle)),
    }
    done = ~np.isnan(total)
    for t in s.targets[ESCALATION].service if ESCALATION in s.targets else []:
        row[label(t.within)] = service_level.service_level(
            total, done, np.zeros(done.size, bool), total, t.within, "offered"
        )
    return row


@dataclass
class Tables:
    """The measured tables of one replication: all a parallel worker needs to send back."""

    index: int
    summary: pd.DataFrame
    intervals: pd.DataFrame
    groups: pd.DataFrame


def measure(s: Scenario, rep: Replication) -> Tables:
    """Summary, interval and group tables of one replication."""
    out = Outcomes(rep, len(s.channels))
    rows = [_summary_row(s, rep, out, k, name) for k, name in enumerate(s.channels)]
    if s.escalation is not None or ESCALATION in s.targets:
        rows.append(_escalation_row(s, rep, out))
    summary = pd.DataFrame(rows)
    summary.insert(0, "replication", rep.index)
    return Tables(rep.index, summary, _interval_table(s, rep, out), _group_table(s, rep))


class Result:
    """Tables (and, when kept, per-contact records) of a simulation run."""

    def __init__(
        self,
        scenario: Scenario,
        seed: int,
        tables: list[Tables],
        replications: list[Replication] | None = None,
    ):
        self.scenario = scenario
        self.seed = seed
        self.tables = sorted(tables, key=lambda t: t.index)
        self.replications = replications or []

    def __repr__(self) -> str:
        return f"<Result {self.scenario.name!r}: {len(self.tables)} replication(s)>"

    @cached_property
    def summary(self) -> pd.DataFrame:
        """One row per replication × channel (and `escalation` if anything escalates)."""
        return pd.concat([t.summary for t in self.tables], ignore_index=True)

    @cached_property
    def intervals(self) -> pd.DataFrame:
        """Per replication × interval × channel: offered, answered, abandoned, SL, ASA,
        backlog at the interval's end, closed attempts."""
        return pd.concat([t.intervals for t in self.tables], ignore_index=True)

    @cached_property
    def groups(self) -> pd.DataFrame:
        """Per replication × interval × group: agents available, busy minutes, occupancy."""
        return pd.concat([t.groups for t in self.tables], ignore_index=True)

    def estimates(self, level: float = 0.95) -> pd.DataFrame:
        """Mean and t-interval over replications: rows channel × metric.

        Intervals are truncated to the metric's range (shares in [0, 1], NPS in
        [−100, 100], counts and times ≥ 0)."""
        rows = []
        for channel, frame in self.summary.groupby("channel", sort=False):
            for metric in frame.columns.drop(["replication", "channel"]):
                values = frame[metric].to_numpy(float)
                if np.isnan(values).all():
                    continue  # not measured for this channel (another channel's target)
                mean, lo, hi = t_interval(values, level)  # quiet for one replication
                low, high = _feasible(metric)  # a CI never leaves the metric's range
                lo, hi = max(lo, low), min(hi, high)
                rows.append(
                    {
                        "channel": channel,
                        "metric": metric,
                        "mean": float(mean),
                        "ci_low": float(lo),
                        "ci_high": float(hi),
                    }
                )
        return pd.DataFrame(rows)

    def checks(self, confidence: float | None = None) -> pd.DataFrame:
        """Every target: channel, metric, goal, estimate with its 95% CI, met (as
        `ccsim check`; with `confidence`, the one-sided bound must reach the goal)."""
        from ccsim.targets import evaluate

        rows = [
            {
                "target": c.name,
                "channel": c.channel,
                "metric": c.metric,
                "goal": c.goal,
                "mean": c.mean,
                "ci_low": c.ci[0],
                "ci_high": c.ci[1],
                "met": c.met,
            }
            for c in evaluate(self, confidence)
        ]
        return pd.DataFrame(rows)

    def document(self, confidence: float | None = None) -> dict:
        """The `ccsim run --json` document: estimates, targets, groups and `cost`."""
        from ccsim.documents import run_document

        return run_document(self, confidence)

    @property
    def cost(self) -> dict:
        """The cost model's figures (week, month, year, per group and channel, FTE,
        hires): the `cost` key of `document()`; definitions in docs/reports.md."""
        return self.document()["cost"]

    def save(self, folder: str | Path, contacts: bool = False, report: bool = False) -> Path:
        """Write what `ccsim run --out folder [--contacts] [--report]` writes (atomically)."""
        from ccsim import output

        folder = Path(folder)
        output.write_run(folder, self, self.document(), contacts=contacts)
        if report:
            from ccsim import report as reports

            reports.write(folder)
        return folder

    def contacts(self, replication: int | None = None) -> pd.DataFrame:
        """Per-contact records (measured window; all replications unless one is given)."""
        if not self.replications:
            raise ValueError("this result kept no per-contact records (run with contacts=True)")
        s = self.scenario
        frames = [
            _contact_table(s, rep)
            for rep in self.replications
            if replication is None or rep.index == replication
        ]
        return pd.concat(frames, ignore_index=True)


def _feasible(metric: str) -> tuple[float, float]:
    """Range of a summary metric."""
    if metric.startswith("sl_") or metric in ("abandon_rate", "p_wait"):
        return 0.0, 1.0
    if metric == "nps":
        return -100.0, 100.0
    return 0.0, float("inf")


@functools.lru_cache(maxsize=16)
def _clock_labels(start_day: int, step: float, horizon: float) -> tuple[np.ndarray, np.ndarray]:
    """Day-of-week and `HH:MM` labels of the reporting intervals (the same every replication)."""
    from ccsim import units

    starts = _edges(step, horizon)[:-1]
    unique, where = np.unique(starts, return_inverse=True)
    day = (start_day + np.floor(unique / units.MINUTES_PER_DAY)).astype(int)
    days = np.array([units.DAY_NAMES[d % 7] for d in day])
    times = np.array([units.format_clock(m % units.MINUTES_PER_DAY) for m in unique])
    return days[where], times[where]


def label_time(s: Scenario, table: pd.DataFrame) -> pd.DataFrame:
    """Add day-of-week and clock-time columns after `start` (minutes) of any table."""
    if table.empty:
        return table
    from ccsim import units

    starts = table["start"].to_numpy()
    day = (s.simulation.start_day_index + np.floor(starts / units.MINUTES_PER_DAY)).astype(int)
    at = table.columns.get_loc("start") + 1
    table.insert(at, "day", [units.DAY_NAMES[d % 7] for d in day])
    table.insert(at + 1, "time", [units.format_clock(m % units.MINUTES_PER_DAY) for m in starts])
    return table


def _edges(step: float, horizon: float) -> np.ndarray:
    """Edges of the reporting intervals of the measured window."""
    return np.arange(0.0, horizon + step / 2, step)


def _stack(
    s: Scenario, rep: Replication, key: str, blocks: dict[str, dict[str, np.ndarray]]
) -> pd.DataFrame:
    """One table from blocks of per-interval columns (a block a channel or group), built at
    once: the frame `pd.concat` of one frame a block would give (columns in order of first
    appearance, NaN where a block lacks one), with day and clock time after `start`."""
    step, horizon = s.simulation.interval, s.simulation.horizon
    starts = _edges(step, horizon)[:-1]
    names = list(blocks)
    table: dict[str, object] = {"replication": rep.index, "start": np.tile(starts, len(names))}
    if starts.size and names:
        days, times = _clock_labels(s.simulation.start_day_index, step, horizon)
        table["day"], table["time"] = np.tile(days, len(names)), np.tile(times, len(names))
    table[key] = np.repeat(np.array(names), starts.size)
    missing = np.full(starts.size, np.nan)
    for column in dict.fromkeys(col for block in blocks.values() for col in block):
        table[column] = np.concatenate([block.get(column, missing) for block in blocks.values()])
    return pd.DataFrame(table)


def _interval_table(s: Scenario, rep: Replication, out: Outcomes) -> pd.DataFrame:
    step = s.simulation.interval
    edges = _edges(step, s.simulation.horizon)
    n_bins = edges.size - 1
    c, o = rep.contacts, rep.contacts.outcome
    bins = np.floor(c.arrival / step).astype(int)
    blocks = {}
    for k, name in enumerate(s.channels):
        m = out.of_channel[k]
        b = bins[m]
        count = functools.partial(_count, b, n_bins)
        answered, abandoned = out.answered[m], out.abandoned[m]
        wait = out.wait[m]
        block = {
            "offered": count(np.ones(b.size, bool)),
            "answered": count(answered),
            "abandoned": count(abandoned),
        }
        with np.errstate(invalid="ignore", divide="ignore"):
            block["asa_s"] = (
                60
                * np.bincount(b[answered], weights=wait[answered], minlength=n_bins)
                / block["answered"]
            )
            kind = s.channels[name].kind
            elapsed = out.to_reply[m] if kind == "message" else out.to_answer[m]
            for t in s.targets[name].service if name in s.targets else []:
                hits = answered & (elapsed <= t.within + 1e-9)
                block[label(t.within)] = count(hits) / block["offered"]
        block["backlog"] = _backlog(c, o, out, k, edges[1:])
        block["closed"] = np.histogram(rep.closed.get(name, np.empty(0)), edges)[0]
        blocks[name] = block
    return _stack(s, rep, "channel", blocks)


def _group_table(s: Scenario, rep: Replication) -> pd.DataFrame:
    step = s.simulation.interval
    edges = _edges(step, s.simulation.horizon)
    weight_of = np.array([1.0 / ch.concurrency for ch in s.channels.values()])
    c, o = rep.contacts, rep.contacts.outcome
    agent_group = np.array([*(a.group for a in rep.agents), -1], int)  # -1: nobody
    duty = np.array([seg for a in rep.agents for seg in a.duty], float).reshape(-1, 2)
    duty_group = np.repeat(agent_group[:-1], [len(a.duty) for a in rep.agents])
    group_of, esc_group_of = agent_group[o["agent"]], agent_group[o["esc_agent"]]
    end = np.where(np.isnan(o["end"]), rep.t1, o["end"])
    esc_end = np.where(np.isnan(o["esc_end"]), rep.t1, o["esc_end"])
    blocks = {}
    for gi, name in enumerate(s.groups):
        mine_duty = duty[duty_group == gi]
        available = overlap_per_bin(mine_duty[:, 0], mine_duty[:, 1], edges)
        mine, mine_esc = group_of == gi, esc_group_of == gi
        busy = overlap_per_bin(
            o["answer"][mine], end[mine], edges, weight_of[c.channel[mine]]
        ) + overlap_per_bin(o["esc_start"][mine_esc], esc_end[mine_esc], edges)
        with np.errstate(invalid="ignore", divide="ignore"):
            occupancy = busy / available
        blocks[name] = {"agents": available / step, "busy_min": busy, "occupancy": occupancy}
    return _stack(s, rep, "group", blocks)


def _contact_table(s: Scenario, rep: Replication) -> pd.DataFrame:
    channels, reasons = np.array(list(s.channels)), np.array(list(s.reasons))
    group_names = np.array([*s.groups, ""])
    out = Outcomes(rep)
    c, o = rep.contacts, rep.contacts.outcome
    m = out.measured
    agent_group = np.array([*(a.group for a in rep.agents), -1], int)
    return pd.DataFrame(
        {
            "replication": rep.index,
            "channel": channels[c.channel[m]],
            "reason": reasons[c.reason[m]],
            "arrival": c.arrival[m],
            "answer": o["answer"][m],
            "reply": o["reply"][m],
            "end": o["end"][m],
            "wait": out.wait[m],
            "handle": out.handle[m],
            "abandoned": out.abandoned[m],
            "escalated": out.escalated[m],
            "esc_start": o["esc_start"][m],
            "esc_end": o["esc_end"][m],
            "group": group_names[agent_group[o["agent"][m]]],
            "a0": c.a0[m],
            "a_w": o["a_w"][m],
            "a_peak": o["a_peak"][m],
            "nps_class": anger.nps_class(
                np.nan_to_num(o["a_w"][m]),
                out.abandoned[m],
                s.anger.promoter_below,
                s.anger.detractor_above,
            ),
        }
    )


def _count(bins: np.ndarray, n_bins: int, mask: np.ndarray) -> np.ndarray:
    """Number of masked contacts per interval bin."""
    return np.bincount(bins[mask], minlength=n_bins)


def _backlog(c: Contacts, o: dict, out: Outcomes, k: int, at: np.ndarray) -> np.ndarray:
    """Contacts of channel k waiting (arrived, not answered, not abandoned) at times `at`."""
    ch = c.channel == k
    arrived = np.searchsorted(np.sort(c.arrival[ch]), at, side="right")
    answered = np.searchsorted(np.sort(o["answer"][ch & out.answered]), at, side="right")
    gone = np.searchsorted(np.sort(o["expire"][ch & out.abandoned]), at, side="right")
    return arrived - answered - gone
