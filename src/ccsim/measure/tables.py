"""The measured tables of a replication, computed after the run from its columnar
records, vectorised: per interval × channel, per interval × group, and a summary per
channel (with the `escalation` pseudo-channel). Times in the contact records are
minutes from the start of the measured window; summary times are seconds (`_s`), as in
the `--json` output.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ccsim.measure import service_level
from ccsim.measure.disposition import Dispositions
from ccsim.measure.service_level import label
from ccsim.model import anger
from ccsim.model.contacts import Contacts
from ccsim.model.replication import Replication
from ccsim.scenario import timegrid
from ccsim.scenario.model import ESCALATION, Scenario


def _summary_row(s: Scenario, rep: Replication, out: Dispositions, k: int, name: str) -> dict:
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
        # not answered on arrival: a balker too (it found every agent busy; wait 0)
        "p_wait": ((wait > 0) | abandoned).mean() if m.size else np.nan,
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


def _escalation_row(s: Scenario, rep: Replication, out: Dispositions) -> dict:
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
    out = Dispositions(rep, len(s.channels))
    rows = [_summary_row(s, rep, out, k, name) for k, name in enumerate(s.channels)]
    if s.escalation is not None or ESCALATION in s.targets:
        rows.append(_escalation_row(s, rep, out))
    summary = pd.DataFrame(rows)
    summary.insert(0, "replication", rep.index)
    return Tables(rep.index, summary, _interval_table(s, rep, out), _group_table(s, rep))


def _stack(
    s: Scenario, rep: Replication, key: str, blocks: dict[str, dict[str, np.ndarray]]
) -> pd.DataFrame:
    """One table from blocks of per-interval columns (a block a channel or group), built at
    once: the frame `pd.concat` of one frame a block would give (columns in order of first
    appearance, NaN where a block lacks one), with day and clock time after `start`."""
    step, horizon = s.simulation.interval, s.simulation.horizon
    starts = timegrid.edges(step, horizon)[:-1]
    names = list(blocks)
    table: dict[str, object] = {"replication": rep.index, "start": np.tile(starts, len(names))}
    if starts.size and names:
        days, times = timegrid.clock_labels(s.simulation.start_day_index, step, horizon)
        table["day"], table["time"] = np.tile(days, len(names)), np.tile(times, len(names))
    table[key] = np.repeat(np.array(names), starts.size)
    missing = np.full(starts.size, np.nan)
    for column in dict.fromkeys(col for block in blocks.values() for col in block):
        table[column] = np.concatenate([block.get(column, missing) for block in blocks.values()])
    return pd.DataFrame(table)


def _interval_table(s: Scenario, rep: Replication, out: Dispositions) -> pd.DataFrame:
    step = s.simulation.interval
    edges = timegrid.edges(step, s.simulation.horizon)
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
            "waiting_at_end": count(out.waiting[m]),  # offered = answered + abandoned + this
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
                hits, base = service_level.counted(
                    elapsed, answered, abandoned, wait, t.within, s.simulation.sl_definition
                )
                metric = label(t.within)
                block[f"{metric}_hits"], block[f"{metric}_base"] = count(hits), count(base)
                block[metric] = block[f"{metric}_hits"] / block[f"{metric}_base"]
        block["backlog"] = _backlog(c, o, out, k, edges[1:])
        block["closed"] = np.histogram(rep.closed.get(name, np.empty(0)), edges)[0]
        blocks[name] = block
    return _stack(s, rep, "channel", blocks)


def _group_table(s: Scenario, rep: Replication) -> pd.DataFrame:
    step = s.simulation.interval
    edges = timegrid.edges(step, s.simulation.horizon)
    weight_of = np.array([1.0 / ch.concurrency for ch in s.channels.values()])
    c, o = rep.contacts, rep.contacts.outcome
    agent_group = np.array([*(a.group for a in rep.agents), -1], int)  # -1: nobody
    duty, duty_group = _segments(rep, "duty")
    overtime, overtime_group = _segments(rep, "overtime")
    group_of, esc_group_of = agent_group[o["agent"]], agent_group[o["esc_agent"]]
    end = np.where(np.isnan(o["end"]), rep.t1, o["end"])
    esc_end = np.where(np.isnan(o["esc_end"]), rep.t1, o["esc_end"])
    blocks = {}
    for gi, name in enumerate(s.groups):
        mine_duty = duty[duty_group == gi]
        available = timegrid.overlap_per_bin(mine_duty[:, 0], mine_duty[:, 1], edges)
        mine, mine_esc = group_of == gi, esc_group_of == gi
        busy = timegrid.overlap_per_bin(
            o["answer"][mine], end[mine], edges, weight_of[c.channel[mine]]
        ) + timegrid.overlap_per_bin(o["esc_start"][mine_esc], esc_end[mine_esc], edges)
        with np.errstate(invalid="ignore", divide="ignore"):  # nobody on duty: undefined
            occupancy = np.where(available > 0, busy / available, np.nan)
        late = overtime[overtime_group == gi]
        blocks[name] = {
            "agents": available / step,
            "busy_min": busy,
            "occupancy": occupancy,
            "overtime_min": timegrid.overlap_per_bin(late[:, 0], late[:, 1], edges),
        }
    return _stack(s, rep, "group", blocks)


def _segments(rep: Replication, field: str) -> tuple[np.ndarray, np.ndarray]:
    """Every agent's segments of `field` (`duty`, `overtime`) as rows [start, end), and
    the group of each row's agent."""
    per_agent = [getattr(a, field) for a in rep.agents]
    rows = np.array([seg for segs in per_agent for seg in segs], float).reshape(-1, 2)
    groups = np.repeat(np.array([a.group for a in rep.agents], int), [len(s) for s in per_agent])
    return rows, groups


def _count(bins: np.ndarray, n_bins: int, mask: np.ndarray) -> np.ndarray:
    """Number of masked contacts per interval bin."""
    return np.bincount(bins[mask], minlength=n_bins)


def _backlog(c: Contacts, o: dict, out: Dispositions, k: int, at: np.ndarray) -> np.ndarray:
    """Contacts of channel k waiting (arrived, not answered, not abandoned) at times `at`."""
    ch = c.channel == k
    arrived = np.searchsorted(np.sort(c.arrival[ch]), at, side="right")
    answered = np.searchsorted(np.sort(o["answer"][ch & out.answered]), at, side="right")
    gone = np.searchsorted(np.sort(o["expire"][ch & out.abandoned]), at, side="right")
    return arrived - answered - gone
