"""What a channel's contacts can be expected to need, analytically: the reason mix after
the FAQ, the mean handle time and escalation share after a wait under the anger curve,
and the mean patience — the same formulas the simulation applies to each contact
(`ccsim.model.anger`), averaged over the reasons and each reason's initial anger. Used by
the planner's requirements and by the Erlang view of a backtest.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from ccsim.model.anger import (
    anger_after_wait,
    beta_parameters,
    escalation_threshold,
    patience_factor,
    venting_time,
)
from ccsim.model.arrivals import QUESTION
from ccsim.scenario.model import Scenario

QUANTILES = 64  # points of the initial-anger distribution used for expectations


def offered_mix(s: Scenario, channel: str) -> tuple[np.ndarray, np.ndarray]:
    """Each reason's mix of the channel's arrivals, before and after the FAQ deflects
    its share of questions."""
    before = np.array([r.mix.get(channel, 0.0) for r in s.reasons.values()])
    after = before.copy()
    if QUESTION in s.reasons:
        after[list(s.reasons).index(QUESTION)] *= 1.0 - s.faq_deflection
    return before, after


def reason_shares(s: Scenario, channel: str) -> np.ndarray:
    """Share of each reason among the channel's offered contacts (after the FAQ)."""
    mix = offered_mix(s, channel)[1]
    return mix / mix.sum() if mix.sum() > 0 else mix


def initial_anger(s: Scenario) -> np.ndarray:
    """Quantiles of each reason's initial-anger Beta distribution: (reasons, QUANTILES)."""
    reasons = list(s.reasons.values())
    alpha, beta = beta_parameters(
        [r.anger.mean for r in reasons], [r.anger.concentration for r in reasons]
    )
    u = (np.arange(QUANTILES) + 0.5) / QUANTILES
    return special.betaincinv(alpha[:, None], beta[:, None], u[None, :])  # (stats.beta.ppf)


def first_empathy(s: Scenario, channel: str) -> float:
    """Empathy of the groups that serve `channel` first (best priority): when several
    share it, their mean weighted by their rostered agents (the engine pools them, so
    each agent takes about as many contacts: `ccsim.model.routing`), equal weights when
    none is rostered (a plan's requirements); the lowest of them until 2026-12-06."""
    skilled = [(g.skills[channel], name) for name, g in s.groups.items() if channel in g.skills]
    if not skilled:
        return 1.0
    best = min(priority for priority, _ in skilled)
    names = [name for priority, name in skilled if priority == best]
    agents = s.agents_per_group()
    weights = np.array([agents.get(name, 0) for name in names], float)
    empathy = np.array([s.groups[name].empathy for name in names])
    return float(np.average(empathy, weights=weights if weights.sum() > 0 else None))


def handling(s: Scenario, channel: str, wait: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean handle time and escalation share of the channel's contacts after `wait`.

    Handle time = venting at the anger after waiting (docs/model.md) + resolution time
    (prepared answers applied) + wrap-up, averaged over the reason mix and each
    reason's initial anger; `wait` is an array (one value per interval).
    """
    wait = np.asarray(wait, float)
    shares = reason_shares(s, channel)
    reasons = list(s.reasons.values())
    speedup = s.anger.prepared_answer_speedup
    resolve = sum(
        share * r.resolve.mean * (1.0 - (speedup if r.prepared_answer else 0.0))
        for share, r in zip(shares, reasons, strict=True)
    )
    ch = s.channels[channel]
    wrapup = ch.wrapup.mean if ch.wrapup is not None else 0.0
    forced = float(sum(sh for sh, r in zip(shares, reasons, strict=True) if r.escalate))
    if not s.anger.enabled:
        return np.full(wait.shape, resolve + wrapup), np.full(wait.shape, forced)
    a = s.anger
    a0 = initial_anger(s)  # (reasons, QUANTILES)
    a_w = anger_after_wait(a0[:, :, None], wait[None, None, :], ch.tolerance)
    vent = venting_time(
        a_w, a.calm_below, a.rise_rate, a.peak_gain, a.empathy_decay, first_empathy(s, channel)
    ).mean(axis=1)  # (reasons, intervals)
    angry = (a_w > escalation_threshold(s.anger)).mean(axis=1)
    forced_r = np.array([r.escalate for r in reasons], float)[:, None]
    escalate = shares @ np.maximum(forced_r, angry)
    return shares @ vent + resolve + wrapup, escalate


def mean_patience(s: Scenario, channel: str) -> float | None:
    """Mean patience of the channel's customers (anger applied), None = never abandon."""
    p = s.channels[channel].patience
    if p is None:
        return None
    if not s.anger.enabled:
        return p.mean
    a0_mean = float(reason_shares(s, channel) @ [r.anger.mean for r in s.reasons.values()])
    return p.mean * float(patience_factor(a0_mean, s.anger.patience_drop))
