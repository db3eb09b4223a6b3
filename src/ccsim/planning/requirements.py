"""Requirements: what each interval of the planning week asks of the agents.

The planning week is the 7 days from simulation time 0 (00:00 of `start_day`) cut
into the scenario's intervals; arrivals, opening hours and shifts all repeat weekly.
For every channel, and for the escalation queue, this module gives the expected
contacts per interval and their mean handle time under the anger curve at the wait a
plan that just meets the targets would give (docs/planning.md), and then

- voice and chat: the agents needed per interval (Erlang A, or Erlang C without
  patience; chat as `concurrency` slots per agent, each slot slowed down as at full
  load), iterated so that the handle time matches the wait it produces;
- message channels and escalations: the work (agent-minutes) arriving per interval
  and the deadline targets, which the shift program meets
  with a backlog that carries over nights and weekends (`ccsim.planning.shift_program`).

`baseline_needs` gives what a spreadsheet does instead: per-interval Erlang C with
the average handle time and no anger, the backlog released when the channel opens.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ccsim import erlang
from ccsim.measure.service_level import label
from ccsim.measure.targets import target_name
from ccsim.model import arrivals
from ccsim.model.distributions import quantile
from ccsim.model.expected import handling, mean_patience
from ccsim.planning.errors import PlanError
from ccsim.scenario import limits, units
from ccsim.scenario.changes import with_changes
from ccsim.scenario.model import ESCALATION, Scenario, Shift
from ccsim.scenario.timegrid import (
    SAMPLES_PER_INTERVAL,
    coverage,
    is_open,
    label_time,
    open_share,
    sample_times,
    time_to_open,
    week,
    week_slot,
)

PATIENCE_DRAWS = 1000  # quantiles of a patience that say who is still waiting (`_counted`)


@dataclass
class Deadline:
    """A message target: `share` of contacts answered within `within` minutes.

    `reachable[t]` is the share of interval t's contacts that can be answered in time
    at all (the channel is open early enough after they arrive); `bound` is that
    share over the week, of the contacts the service level counts (under `answered`,
    a caller who gives up before the channel can be worked is not) — a target over the
    week above it cannot be met by any roster.
    `name` is the target's (`ccsim.measure.targets.target_name`, as its checks are
    named); `scoped`: the target holds per day or interval, not over the week.
    """

    within: float
    share: float
    reachable: np.ndarray
    bound: float
    name: str = ""
    scoped: bool = False

    @property
    def metric(self) -> str:
        return label(self.within)


@dataclass
class Need:
    """What one channel (or `escalation`) asks of the agents, per interval of the week."""

    name: str
    kind: str  # voice, chat, message or escalation
    contacts: np.ndarray  # expected offered contacts
    aht: np.ndarray  # mean handle time (minutes), per session for chat
    open: np.ndarray  # share of the interval the channel can be worked
    escalate: np.ndarray  # share of contacts that go on to the escalation queue
    agents: np.ndarray | None = None  # voice/chat: agents needed
    deadlines: list[Deadline] = field(default_factory=list)  # service targets, reachability
    lost: float = 0.0  # voice/chat: the least share that abandons whatever the roster

    @property
    def work(self) -> np.ndarray:
        """Agent-minutes of work arriving per interval."""
        return self.contacts * self.aht

    @property
    def is_backlog(self) -> bool:
        return self.kind in ("message", ESCALATION)


def offered(s: Scenario, channel: str) -> np.ndarray:
    """Expected offered contacts per interval of the week (FAQ and opening applied)."""
    counts = arrivals.expected_counts(s, channel, 0.0, units.MINUTES_PER_WEEK)
    mix = np.array([r.mix.get(channel, 0.0) for r in s.reasons.values()])
    if arrivals.QUESTION in s.reasons and mix.sum() > 0:
        question = mix[list(s.reasons).index(arrivals.QUESTION)]
        counts = counts * (1.0 - s.faq_deflection * question / mix.sum())
    if s.channels[channel].kind != "message":
        counts = counts * open_share(s, s.channels[channel])
    return counts


def agents_for(
    rate: float,
    aht: float,
    patience: float | None,
    service: list[tuple[float, float]],
    max_abandon: float | None,
    concurrency: int = 1,
    slowdown: float = 0.0,
) -> tuple[int, float]:
    """Fewest agents (and the mean wait they give) for a voice/chat interval.

    `rate` per minute; `service` as (within, share) pairs. Chat counts `concurrency`
    slots per agent, each session taking (1 + slowdown·(concurrency−1)) × aht.
    Without a target the agents carry the load at 85 % occupancy at most.
    """
    if rate <= 0:
        return 0, 0.0
    session = aht * (1.0 + slowdown * (concurrency - 1))
    load = rate * session

    def measures(n: int) -> tuple[bool, float]:
        if patience is None:
            if n <= load:
                return False, math.inf
            ok = all(erlang.erlang_c_service_level(rate, session, n, w) >= p for w, p in service)
            return ok, float(erlang.erlang_c_asa(rate, session, n))
        if n == 0:
            return False, math.inf
        if patience <= 0:  # nobody waits (Erlang B): answered at once, or lost
            lost = erlang.erlang_b(load, n)
            ok = all(1.0 - lost >= p for _, p in service)
            return ok and (max_abandon is None or lost <= max_abandon), 0.0
        ok, r = True, None
        for w, p in service or [(0.0, 0.0)]:
            r = erlang.erlang_a(rate, session, patience, n, w)
            ok = ok and r.service_level >= p
        ok = ok and (max_abandon is None or r.p_abandon <= max_abandon)
        return ok, r.mean_wait

    if load > limits.MAX_AGENTS * concurrency:  # (Erlang A is slow in the agents, too)
        raise PlanError(
            f"{rate * 60:,.0f} contacts an hour of {session:,.0f} min each need more than "
            f"{limits.MAX_AGENTS:,} agents at once, more than ccsim plans for: check the "
            "volumes, handle and venting times (anger) and targets"
        )
    if not service and max_abandon is None:
        slots = max(1, math.ceil(load / 0.85))
        return math.ceil(slots / concurrency), 0.0
    lo = max(0, math.floor(load * 0.9) - 1)  # fails (or is 0)
    hi = max(1, math.ceil(load + 3 * math.sqrt(load) + 3))
    while not measures(hi)[0]:
        lo, hi = hi, 2 * hi
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if measures(mid)[0]:
            hi = mid
        else:
            lo = mid
    return math.ceil(hi / concurrency), measures(hi)[1]


def typical_wait(deadlines: list[tuple[float, float]]) -> float:
    """Median wait of contacts when targets are just met: `within` interpolated at 50 %.

    Targets (within, share) with (0, 0) are read as points of the waiting-time
    distribution; above the last point the last `within` is used.
    """
    points = sorted([(0.0, 0.0), *[(p, w) for w, p in deadlines]])
    shares = [p for p, _ in points]
    times = [w for _, w in points]
    return float(np.interp(0.5, shares, times))


def _targets(s: Scenario, channel: str) -> tuple[list[tuple[float, float]], float | None]:
    target = s.targets.get(channel)
    if target is None:
        return [], None
    limit = target.max_abandon.at_most if target.max_abandon is not None else None
    return [(t.within, t.at_least) for t in target.service], limit


def on_duty(s: Scenario, shifts: dict[str, Shift]) -> np.ndarray:
    """Intervals of the week in which some shift template has agents working."""
    if not shifts:
        return np.zeros(week(s).size, bool)
    return np.max([coverage(s, shift) for shift in shifts.values()], axis=0) > 0


def workable(s: Scenario, channel: str, duty: np.ndarray) -> np.ndarray:
    """Can `channel` be worked at the sample times: open, a skilled group exists and
    some shift template is on duty (`duty`, from `on_duty`)?"""
    times = sample_times(s)
    if not s.skilled_groups(channel):
        return np.zeros(times.shape, bool)
    ch = s.channels.get(channel)
    ok = is_open(s, ch, times) if ch is not None else np.ones(times.shape, bool)
    return ok & duty[:, None]


def _deadlines(
    s: Scenario, channel: str, contacts: np.ndarray, aht: np.ndarray, can_work: np.ndarray
) -> list[Deadline]:
    """Service targets of a channel, with the share of contacts that can be answered in
    time: the time to the next moment it can be worked, plus `aht` (the handle time for
    message channels, whose clock runs to the first reply; zero for voice and chat).
    `contacts`: per interval of the week, as often as the measured window holds it."""
    target = s.targets.get(channel)
    service = target.service if target is not None else []
    wait = _wait_to_work(s, can_work)
    delay = wait + aht[:, None]
    arriving = _arriving(s, channel)
    out = []
    for t in service:
        reachable = _per_interval(delay <= t.within + 1e-9, arriving)
        weight = _counted(s, channel, wait, t.within)
        if weight is None:  # every contact counts (offered, or nobody gives up)
            total = contacts.sum()
        else:  # late ones count only as likely as they stay in the denominator
            late = _per_interval(np.where(delay <= t.within + 1e-9, 0.0, weight), arriving)
            total = ((reachable + late) * contacts).sum()
        bound = float((reachable * contacts).sum() / total) if total > 0 else 1.0
        name = target_name(channel, label(t.within), "service", t.at_least, t.per, t.in_)
        out.append(Deadline(t.within, t.at_least, reachable, bound, name, t.scoped))
    return out


def _arriving(s: Scenario, channel: str) -> np.ndarray | None:
    """The sample times at which a voice or chat channel's contacts arrive: while it is
    open (`offered`: none while closed). None for messages, which arrive at any time."""
    ch = s.channels.get(channel)
    if ch is None or ch.kind == "message":
        return None
    return is_open(s, ch, sample_times(s)).astype(float)


def _per_interval(x: np.ndarray, arriving: np.ndarray | None) -> np.ndarray:
    """The mean of `x` (intervals × samples) over the samples at which contacts arrive."""
    if arriving is None:
        return x.mean(axis=1)
    return (x * arriving).sum(axis=1) / np.maximum(arriving.sum(axis=1), 1.0)


def measured_times(s: Scenario) -> np.ndarray | None:
    """How many times the measured window holds each interval of the planning week —
    None when it holds each as often (whole weeks): a 5-day window measures no weekend."""
    step = s.simulation.interval
    slots = week_slot(s, np.arange(0.0, s.simulation.horizon, step))
    counts = np.bincount(slots, minlength=week(s).size).astype(float)
    return None if np.all(counts == counts[0]) else counts


def _wait_to_work(s: Scenario, can_work: np.ndarray) -> np.ndarray:
    """At each sample time (intervals × samples), minutes to the next moment the channel
    can be worked (0: now; inf: never), cyclic over the week."""
    flat = can_work.ravel()
    n = flat.size
    dt = s.simulation.interval / SAMPLES_PER_INTERVAL
    idx = np.where(flat, np.arange(n), 3 * n)  # next workable sample, cyclic over the week
    nxt = np.minimum.accumulate(np.concatenate([idx, idx + n])[::-1])[::-1][:n]
    return np.where(nxt >= 3 * n, np.inf, (nxt - np.arange(n)) * dt).reshape(can_work.shape)


def _patience_survival(s: Scenario, channel: str, wait: np.ndarray) -> np.ndarray:
    """P(a caller of `channel` still waits after `wait` minutes), from 1,000 quantiles
    of its patience (1 without patience). The patience as written, without the anger
    curve's shortening (`model.expected.mean_patience` applies it): anger only makes
    callers less patient, so the share lost is at least this one's, and a target called
    unreachable on it is unreachable whatever the anger."""
    ch = s.channels.get(channel)
    if ch is None or ch.patience is None:
        return np.ones(np.shape(wait))
    draws = np.sort(quantile(ch.patience, (np.arange(PATIENCE_DRAWS) + 0.5) / PATIENCE_DRAWS))
    return 1.0 - np.searchsorted(draws, wait, side="right") / PATIENCE_DRAWS


def lost(s: Scenario, channel: str, contacts: np.ndarray, can_work: np.ndarray) -> float:
    """The least share of a voice or chat channel's contacts that give up whatever the
    roster: who arrive (while it is open) when it cannot be worked and balk, or give up
    before it can. `contacts`: as in `_deadlines`."""
    ch = s.channels.get(channel)
    total = contacts.sum()
    if ch is None or ch.patience is None or total <= 0:
        return 0.0
    wait = _wait_to_work(s, can_work)
    balk = ch.patience.balk
    gives_up = np.where(
        wait > 0, balk + (1.0 - balk) * (1.0 - _patience_survival(s, channel, wait)), 0.0
    )
    return float((_per_interval(gives_up, _arriving(s, channel)) * contacts).sum() / total)


def _counted(s: Scenario, channel: str, wait: np.ndarray, within: float) -> np.ndarray | None:
    """How likely a contact that cannot be answered in time still counts in the service
    level (`ccsim.measure.service_level`), at each sample's wait for the next moment it
    can be worked; None when all do. Under `answered` a caller counts only if answered —
    who neither balks nor gives up before then; under `exclude_short_abandons`, who does
    not give up before the target's threshold."""
    definition = s.simulation.sl_definition
    ch = s.channels.get(channel)
    if definition == "offered" or ch is None or ch.patience is None:
        return None
    stays = wait if definition == "answered" else np.full(wait.shape, within)
    return (1.0 - ch.patience.balk) * _patience_survival(s, channel, stays)


def needs(s: Scenario, shifts: dict[str, Shift] | None = None) -> dict[str, Need]:
    """What every channel and the escalation queue need in each interval of the week;
    `shifts`: the templates a roster may use (for when backlogs can be worked)."""
    out: dict[str, Need] = {}
    step = s.simulation.interval
    duty = on_duty(s, s.shifts if shifts is None else shifts)
    escalated = np.zeros(week(s).size)
    times = measured_times(s)

    def measured(contacts: np.ndarray) -> np.ndarray:  # as often as the window holds them
        return contacts if times is None else contacts * times

    for name, ch in s.channels.items():
        contacts = offered(s, name)
        service, max_abandon = _targets(s, name)
        if ch.kind == "message":
            wait = time_to_open(s, ch, week(s) + step / 2) + typical_wait(service)
            aht, escalate = handling(s, name, wait)
            need = Need(name, "message", contacts, aht, open_share(s, ch), escalate)
            need.deadlines = _deadlines(s, name, measured(contacts), aht, workable(s, name, duty))
        else:
            need = _staffed(s, name, contacts, service, max_abandon)
            answer = np.zeros(contacts.size)  # the clock stops at the answer, not the reply
            can_work = workable(s, name, duty)
            need.deadlines = _deadlines(s, name, measured(contacts), answer, can_work)
            need.lost = lost(s, name, measured(contacts), can_work)
        out[name] = need
        escalated += need.contacts * need.escalate
    if s.escalation is not None and escalated.sum() > 0:
        aht = np.full(escalated.size, s.escalation.resolve.mean)
        esc = Need(ESCALATION, ESCALATION, escalated, aht, np.ones(aht.size), np.zeros(aht.size))
        esc.deadlines = _deadlines(
            s, ESCALATION, measured(escalated), aht, workable(s, ESCALATION, duty)
        )
        out[ESCALATION] = esc
    return out


def _staffed(
    s: Scenario,
    name: str,
    contacts: np.ndarray,
    service: list[tuple[float, float]],
    max_abandon: float | None,
) -> Need:
    """Voice/chat: agents per interval, the handle time matched to the wait it gives."""
    ch = s.channels[name]
    step = s.simulation.interval
    patience = mean_patience(s, name)
    wait = np.zeros(contacts.size)
    agents = np.zeros(contacts.size, int)
    for _ in range(2 if s.anger.enabled else 1):
        aht, escalate = handling(s, name, wait)
        for t in np.flatnonzero(contacts > 0):
            agents[t], wait[t] = agents_for(
                contacts[t] / step,
                aht[t],
                patience,
                service,
                max_abandon,
                ch.concurrency,
                ch.concurrency_slowdown,
            )
        wait = np.minimum(wait, 10 * ch.tolerance)
    aht, escalate = handling(s, name, wait)
    return Need(name, ch.kind, contacts, aht, open_share(s, ch), escalate, agents)


def table(s: Scenario, needs: dict[str, Need]) -> pd.DataFrame:
    """The requirements as a table: one row per interval of the planning week × channel.

    `required_agents` is the agents a voice/chat channel needs; for message channels and
    escalations, whose work may wait in a backlog, it is the work arriving in the interval
    divided by the interval length — the agents busy all interval it would take to
    answer that work as it arrives (a yardstick, not a staffing rule).
    """
    step = s.simulation.interval
    frames = [
        pd.DataFrame(
            {
                "start": week(s),
                "channel": name,
                "kind": need.kind,
                "contacts": need.contacts,
                "aht_min": need.aht,
                "work_min": need.work,
                "required_agents": need.work / step if need.is_backlog else need.agents,
            }
        )
        for name, need in needs.items()
    ]
    if not frames:
        return pd.DataFrame(columns=["start", "day", "time", "channel", "required_agents"])
    return label_time(s, pd.concat(frames, ignore_index=True))


def baseline_needs(s: Scenario) -> dict[str, Need]:
    """A spreadsheet's requirements: per-interval Erlang C with the average handle time.

    No anger (handle time = resolution + wrap-up), no patience; message channels and
    escalations get Erlang C on their tightest target with the contacts that arrive
    while closed released when the channel opens. Everything comes out as agents per
    interval.
    """
    out: dict[str, Need] = {}
    step = s.simulation.interval
    calm = with_changes(s, {"anger": "off"}) if s.anger.enabled else s
    escalated = np.zeros(week(s).size)
    for name, ch in s.channels.items():
        contacts = offered(s, name)
        aht, escalate = handling(calm, name, np.zeros(contacts.size))
        service, _ = _targets(s, name)
        released = contacts if ch.kind != "message" else release(contacts, open_share(s, ch))
        agents = np.zeros(contacts.size, int)
        for t in np.flatnonzero(released > 0):
            agents[t] = agents_for(
                released[t] / step,
                aht[t],
                None,
                service if ch.kind != "message" else sorted(service)[:1],
                None,
                ch.concurrency,
                ch.concurrency_slowdown,
            )[0]
        out[name] = Need(name, ch.kind, contacts, aht, open_share(s, ch), escalate, agents)
        escalated += contacts * escalate
    if s.escalation is not None and escalated.sum() > 0:
        aht = np.full(escalated.size, s.escalation.resolve.mean)
        service, _ = _targets(s, ESCALATION)
        agents = np.zeros(escalated.size, int)
        for t in np.flatnonzero(escalated > 0):
            agents[t] = agents_for(escalated[t] / step, aht[t], None, sorted(service)[:1], None)[0]
        out[ESCALATION] = Need(
            ESCALATION, ESCALATION, escalated, aht, np.ones(aht.size), np.zeros(aht.size), agents
        )
    return out


def release(contacts: np.ndarray, open_: np.ndarray) -> np.ndarray:
    """Contacts arriving while closed moved to the next interval that is open (cyclic)."""
    out = np.where(open_ > 0, contacts, 0.0)
    if not (open_ > 0).any():
        return out
    n = contacts.size
    carry = 0.0
    first_open = int(np.flatnonzero(open_ > 0)[0])
    for k in range(n):  # start just after an open interval so the carry wraps correctly
        t = (first_open + 1 + k) % n
        if open_[t] > 0:
            out[t] += carry
            carry = 0.0
        else:
            carry += contacts[t]
    out[first_open] += carry
    return out
