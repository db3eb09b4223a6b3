"""Cost of a roster: paid hours, wages, employer overhead, per-contact costs.

Weekly figures (the roster repeats every week). Agent cost is allocated to channels
by the agent time each channel took (busy minutes), so that finance sees a cost per
handled contact.
"""

from __future__ import annotations

from ccsim import units
from ccsim.scenario import Scenario


def paid_hours(s: Scenario) -> dict[str, float]:
    """Paid hours per week per group (shift length minus unpaid breaks × days × agents)."""
    return s.paid_hours()


def weekly_cost(
    s: Scenario,
    offered: dict[str, float] | None = None,
    answered: dict[str, float] | None = None,
    busy: dict[str, float] | None = None,
) -> dict:
    """Wages, overhead, contact costs and total per week; cost per handled contact.

    `offered`, `answered` and `busy` (agent minutes) are per channel over the measured
    window; they are scaled to a week.
    """
    hours = paid_hours(s)
    wages = sum(hours[g] * s.groups[g].wage for g in s.groups)
    overhead = wages * s.costs.overhead
    week = units.MINUTES_PER_WEEK / s.simulation.horizon
    offered = {ch: v * week for ch, v in (offered or {}).items()}
    contact_costs = {
        ch: s.costs.per_contact.get(ch, 0.0) * offered.get(ch, 0.0) for ch in s.channels
    }
    doc = {
        "currency": s.costs.currency,
        "paid_hours": round(sum(hours.values()), 2),
        "wages": round(wages, 2),
        "overhead": round(overhead, 2),
        "contacts": round(sum(contact_costs.values()), 2),
        "total": round(wages + overhead + sum(contact_costs.values()), 2),
        "per_contact": {},
    }
    busy = {ch: v for ch, v in (busy or {}).items() if ch in s.channels}  # escalations are
    total_busy = sum(busy.values())  # shared out over the channels with the rest
    for ch in s.channels:
        handled = (answered or {}).get(ch, 0.0) * week
        if handled <= 0:
            continue
        agent_share = (wages + overhead) * busy.get(ch, 0.0) / total_busy if total_busy else 0.0
        doc["per_contact"][ch] = round((agent_share + contact_costs[ch]) / handled, 4)
    return doc
