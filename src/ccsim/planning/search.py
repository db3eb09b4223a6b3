"""The simulate–correct–trim–verify search over rosters (docs/planning.md, steps 2–5).

Rosters are simulated on the search replications under common random numbers; a
target counts as met during the search when its mean minus the one-sided margin that
verification will apply still reaches it, so that a roster trimmed to the edge passes on
fresh seeds. Verification uses replications the search never saw.
"""

from __future__ import annotations

import math
import time
from dataclasses import replace

import numpy as np
from scipy import stats

from ccsim.experiment.result import Result
from ccsim.finance.cost import agent_cost
from ccsim.measure.targets import TargetCheck
from ccsim.planning import requirements, shift_program
from ccsim.planning.requirements import Need
from ccsim.planning.staffing import Roster, Staffing, Unmet
from ccsim.scenario import units
from ccsim.scenario.model import ESCALATION, RosterLine, Scenario, Shift
from ccsim.scenario.timegrid import week_slot

CORRECTION_ROUNDS = 8
CONFIDENCE = 0.95
REPAIRS = 4  # verification failures repaired before giving up on 1-minimality


def unreachable(s: Scenario, needs: dict[str, Need]) -> list[Unmet]:
    """Targets no roster can meet: too few contacts can be answered in time (the channel
    is closed, no skilled group, or no shift on duty, for too long after they arrive)."""
    out = []
    for channel in s.targets:
        need = needs.get(channel)
        if need is None:
            continue  # nothing offered: nothing to miss
        for d in need.deadlines:
            if d.bound + 1e-9 < d.share:
                out.append(
                    Unmet(
                        channel,
                        d.metric,
                        d.share,
                        f"at most {d.bound:.1%} of {channel} contacts can be answered within "
                        f"{units.format_duration(d.within)}: the channel is closed, or no "
                        "skilled shift is on duty, for too long after they arrive",
                        d.within,
                    )
                )
    return out


class Search:
    """The simulate–correct–trim search over rosters (one instance per `plan` call)."""

    def __init__(self, s, needs, shifts, runner, seed, replications, verify, unmet, say):
        self.s, self.needs, self.shifts = s, needs, shifts
        self.runner, self.seed, self.replications, self.verify_n = (
            runner,
            seed,
            replications,
            verify,
        )
        self.unmet: list[Unmet] = list(unmet)
        self.say = say
        self.cache: dict[frozenset, tuple[Scenario, Result, list[TargetCheck]]] = {}
        self.simulations = 0
        self.rounds = 0
        self.repairs = 0
        self.removed: list[tuple[str, str]] = []
        self.margin = stats.t.ppf(CONFIDENCE, max(verify - 1, 1)) / math.sqrt(verify)

    # --- rosters as scenarios -----------------------------------------------------------

    def scenario(self, roster: Roster) -> Scenario:
        """The input scenario with this roster (and only the shift templates it uses
        beyond the scenario's own)."""
        s = self.s
        lines = [
            RosterLine(group=g, shift=name, agents=k)
            for g in s.groups
            for name in self.shifts
            if (k := roster.get((g, name), 0)) > 0
        ]
        shifts: dict[str, Shift] = dict(s.shifts)
        shifts.update({line.shift: self.shifts[line.shift] for line in lines})
        variant = s.model_copy(update={"roster": lines, "shifts": shifts, "staffing": None})
        return variant.with_origin(s.source, variant=True)  # its roster is the plan's

    def evaluate(self, roster: Roster) -> tuple[Scenario, Result, list[TargetCheck]]:
        """Simulate the roster on the search replications (cached)."""
        key = frozenset((k, v) for k, v in roster.items() if v > 0)
        if key not in self.cache:
            variant = self.scenario(roster)
            result = self.runner.run(variant, self.replications, self.seed)
            self.simulations += 1
            self.cache[key] = (variant, result, result.target_checks())
        return self.cache[key]

    def _set_aside(self, check: TargetCheck) -> bool:
        return any(u.channel == check.channel and u.metric == check.metric for u in self.unmet)

    def failing(self, result: Result) -> list[TargetCheck]:
        """Targets (not set aside) that the verification would likely miss."""
        out = []
        summary = result.summary
        for check in result.target_checks():
            if self._set_aside(check) or math.isnan(check.mean):
                continue
            values = summary.loc[summary["channel"] == check.channel, check.metric]
            values = values.to_numpy(float)
            values = values[~np.isnan(values)]
            sd = float(np.std(values, ddof=1)) if values.size > 1 else 0.0
            if check.kind == "service":
                ok = check.mean - self.margin * sd >= check.goal - 1e-12
            else:
                ok = check.mean + self.margin * sd <= check.goal + 1e-12
            if not ok:
                out.append(check)
        return out

    # --- 2 + 3: schedule, simulate, correct ---------------------------------------------

    def correct(self) -> Roster:
        """Solve, simulate, raise the requirements where contacts missed; repeat."""
        needs = {c: replace(n) for c, n in self.needs.items()}
        shares = {(u.channel, u.within): 0.0 for u in self.unmet if u.within is not None}
        best: Roster = {}
        for round_ in range(1, CORRECTION_ROUNDS + 1):
            self.rounds = round_
            self.say(f"round {round_}: solving the shift schedule")
            schedule = shift_program.solve(self.s, needs, self.shifts, shares)
            best = schedule.agents
            _, result, _ = self.evaluate(best)
            failing = self.failing(result)
            self.say(
                f"round {round_}: {sum(best.values())} agents, "
                f"{len(failing)} target(s) short" + _names(failing)
            )
            if not failing:
                return best
            for check in failing:
                self._raise(needs, shares, result, check)
        for check in self.failing(self.evaluate(best)[1]):
            self.unmet.append(
                Unmet(
                    check.channel,
                    check.metric,
                    check.goal,
                    f"not reached after {CORRECTION_ROUNDS} rounds of simulate-and-correct "
                    f"(best {check.mean:.1%})",
                    check.within,
                )
            )
        return best

    def _raise(self, needs, shares, result: Result, check: TargetCheck) -> None:
        """Raise the requirement of `check`'s channel in the intervals whose contacts missed."""
        s, need = self.s, needs[check.channel]
        missed = _missed_intervals(s, result, check, need.contacts.size)
        if not need.is_backlog:
            extra = np.maximum(1, np.ceil(0.1 * need.agents)).astype(int)
            if not missed.any():
                missed = need.agents > 0
            need.agents = need.agents + np.where(missed, extra, 0)
            return
        within = check.within or 0.0
        deficit = check.goal - check.mean
        key = (check.channel, within)
        shares[key] = min(1.0, max(shares.get(key, check.goal), check.goal) + deficit + 0.02)
        boost = np.where(missed, 1.25, 1.0) if missed.any() else np.full(missed.size, 1.15)
        need.contacts = need.contacts * boost

    # --- 4: trim ------------------------------------------------------------------------

    def trim(
        self, roster: Roster, deadline: float, floor: Roster | None = None
    ) -> tuple[Roster, bool]:
        """Remove agents, most expensive first, while every target stays met; never below
        `floor`. True when no single removal keeps every target met (1-minimal)."""
        s, floor = self.s, floor or {}
        if self.failing(self.evaluate(roster)[1]):
            return roster, False  # the correction did not reach every target: keep it all

        def cost(key: tuple[str, str]) -> float:
            return agent_cost(s, key[0], self.shifts[key[1]])

        while True:
            improved = False
            for key in sorted(roster, key=cost, reverse=True):
                while roster.get(key, 0) > floor.get(key, 0):
                    if time.monotonic() > deadline:
                        return roster, False
                    trial = dict(roster)
                    trial[key] -= 1
                    if self.failing(self.evaluate(trial)[1]):
                        break
                    roster = {k: v for k, v in trial.items() if v > 0}
                    self.removed.append(key)
                    improved = True
                    self.say(f"trimming: {sum(roster.values())} agents (−1 {key[0]} {key[1]})")
            if not improved:
                return roster, True

    # --- 5: verify ----------------------------------------------------------------------

    def verify(self, roster: Roster, deadline: float, minimal: bool) -> tuple[Staffing, bool]:
        """Simulate on fresh seeds. If a target fails there, give back the last agent
        removed (its removal is then known to fail) and trim the rest again."""
        floor: Roster = {}
        for _ in range(REPAIRS):
            staffing = self._verified(roster)
            if all(c.met for c in staffing.checks if not self._set_aside(c)) or not self.removed:
                return staffing, minimal
            key = self.removed.pop()
            roster = {**roster, key: roster.get(key, 0) + 1}
            floor[key] = roster[key]
            self.repairs += 1
            self.say(f"verification short: giving back 1 {key[0]} {key[1]}, trimming again")
            roster, minimal = self.trim(roster, deadline, floor)
        return self._verified(roster), False

    def _verified(self, roster: Roster) -> Staffing:
        variant = self.scenario(roster)
        result = self.runner.run(variant, self.verify_n, self.seed, first=self.replications)
        self.simulations += 1
        generated = [
            n for n in dict.fromkeys(r.shift for r in variant.roster) if n not in self.s.shifts
        ]
        return Staffing(variant, result, result.target_checks(CONFIDENCE), generated)

    def baseline(self) -> Staffing:
        """The per-interval Erlang C roster, scheduled and verified the same way."""
        needs = requirements.baseline_needs(self.s)
        schedule = shift_program.solve(self.s, needs, self.shifts)
        return self._verified(schedule.agents)


def _names(checks: list[TargetCheck]) -> str:
    return (": " + ", ".join(c.name for c in checks)) if checks else ""


def _missed_intervals(s: Scenario, result: Result, check: TargetCheck, n: int) -> np.ndarray:
    """Intervals of the planning week whose contacts missed `check` (pooled over the
    replications and over the weeks of the horizon)."""
    if check.channel == ESCALATION:
        return np.zeros(n, bool)
    table = result.intervals
    rows = table[table["channel"] == check.channel]
    slot = week_slot(s, rows["start"].to_numpy())
    offered = np.bincount(slot, weights=rows["offered"].to_numpy(float), minlength=n)
    if check.kind == "service":
        hits = np.nan_to_num(rows[check.metric].to_numpy(float)) * rows["offered"].to_numpy()
        share = np.bincount(slot, weights=hits, minlength=n)
        with np.errstate(invalid="ignore", divide="ignore"):
            return (offered > 0) & (share / offered < check.goal)
    lost = np.bincount(slot, weights=rows["abandoned"].to_numpy(float), minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (offered > 0) & (lost / offered > check.goal)
