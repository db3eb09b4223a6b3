"""The per-contact table of a replication (`Result.contacts()`): one row per measured
contact with its channel, reason, times, outcome, group, anger and NPS class (missing
for a contact still waiting at the end)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ccsim.measure.disposition import Dispositions
from ccsim.model import anger
from ccsim.model.replication import Replication
from ccsim.scenario.model import Scenario


def contact_table(s: Scenario, rep: Replication) -> pd.DataFrame:
    channels, reasons = np.array(list(s.channels)), np.array(list(s.reasons))
    group_names = np.array([*s.groups, ""])
    out = Dispositions(rep)
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
            "agent": o["agent"][m],  # the agent's index in the replication (−1: nobody)
            "a0": c.a0[m],
            "a_w": o["a_w"][m],
            "a_peak": o["a_peak"][m],
            "nps_class": _nps_classes(s, rep, out),
        }
    )


def _nps_classes(s: Scenario, rep: Replication, out: Dispositions) -> pd.arrays.IntegerArray:
    """+1, 0, −1 as `ccsim.model.anger.nps_class`, and missing for a contact still
    waiting at the end: no answer, no verdict (the summary's NPS leaves them out too;
    their anger at pick-up is NaN, which had read as 0, a promoter)."""
    m = out.measured
    classes = anger.nps_class(
        np.nan_to_num(rep.contacts.outcome["a_w"][m]),
        out.abandoned[m],
        s.anger.promoter_below,
        s.anger.detractor_above,
    )
    return pd.arrays.IntegerArray(classes, out.waiting[m].copy())
