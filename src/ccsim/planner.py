"""The planner: the cheapest roster that meets every target (DESIGN.md §7).

1. Requirements per interval and channel (`ccsim.requirements`); targets that no
   roster can reach (the channel is closed, or no skilled shift is on duty, when
   their clock runs) are set aside as `unmet`, with the reason.
2. Shift scheduling: the integer program of `ccsim.scheduling`.
3. Simulate and correct: the roster is simulated (search replications, common
   random numbers); where a target fails, the requirement of the intervals whose
   contacts missed is raised and the program solved again.
4. Trim: one agent at a time, most expensive first, is removed while every target
   stays met, until no single removal keeps them met (1-minimal) or the time budget
   runs out.
5. Verify on fresh seeds (replications the search never saw): each target's
   estimate, 95 % CI and met flag (one-sided 95 % lower bound ≥ target).

During the search a target counts as met when its mean minus the one-sided 95 %
margin that verification will apply (estimated from the search replications) still
reaches it, so that a roster trimmed to the edge passes on fresh seeds.

The Erlang baseline — per-interval Erlang C with average handle times, scheduled
by the same program and verified the same way — comes with the plan.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ccsim import requirements, scheduling, targets, units
from ccsim.experiment import Runner
from ccsim.requirements import Need
from ccsim.results import Result
from ccsim.scenario import ESCALATION, RosterLine, Scenario, Shift
from ccsim.targets import TargetCheck

Progress = Callable[[str], None]
Roster = dict[tuple[str, str], int]  # (group, shift) -> agents

CORRECTION_ROUNDS = 8
CONFIDENCE = 0.95
REPAIRS = 4  # verification failures repaired before giving up on 1-minimality


class PlanError(ValueError):
    """The scenario cannot be planned at all (say, it has no shift templates)."""


@dataclass(frozen=True)
class Unmet:
    """A target the planner could not reach, and why."""

    channel: str
    metric: str
    goal: float
    reason: str
    within: float | None = None  # minutes, for a service target (None: abandon limit)

    def document(self) -> dict[str, Any]:
        return {
            "channel": self.channel,
            "metric": self.metric,
            "target": self.goal,
            "reason": self.reason,
        }


@dataclass
class Staffing:
    """A roster with its simulated verification: what the plan (or baseline) gives."""

    scenario: Scenario  # the input scenario with this roster (and the shifts it uses)
    result: Result  # verification replications
    checks: list[TargetCheck]
    generated_shifts: list[str] = field(default_factory=list)  # start-grid templates used

    @property
    def roster(self) -> pd.DataFrame:
        """One row per roster line: group, shift, start, length, days, agents, paid hours
        and staff cost (wages and overhead) per week."""
        from ccsim.documents import roster_lines

        return pd.DataFrame(roster_lines(self.scenario))

    @property
    def headcount(self) -> dict[str, int]:
        """People on the roster per group (one person per roster position)."""
        return self.scenario.agents_per_group()

    @property
    def paid_hours(self) -> dict[str, float]:
        return self.scenario.paid_hours()

    @property
    def fte(self) -> dict[str, float]:
        """Full-time equivalents per group: paid hours / `costs.fte_hours`."""
        return {g: h / self.scenario.costs.fte_hours for g, h in self.paid_hours.items()}

    @property
    def staff_cost(self) -> float:
        """Wages and overhead per week."""
        s = self.scenario
        return sum(
            scheduling.agent_cost(s, line.group, s.shifts[line.shift]) * line.agents
            for line in s.roster
        )

    @property
    def targets_met(self) -> bool:
        return all(c.met for c in self.checks)

    @property
    def cost(self) -> dict:
        """The cost model's figures of the verified roster (see `Result.cost`)."""
        return self.result.cost


@dataclass
class Plan(Staffing):
    """The planner's answer: the verified roster, what it could not meet, the baseline."""

    unmet: list[Unmet] = field(default_factory=list)
    baseline: Staffing | None = None
    needs: dict[str, Need] = field(default_factory=dict)  # step 1: requirements per interval
    search: dict[str, Any] = field(default_factory=dict)

    @property
    def all_met(self) -> bool:
        """Every target of the scenario met on verification (none set aside)."""
        return self.targets_met and not self.unmet

    def document(self) -> dict[str, Any]:
        """The `ccsim plan --json` document."""
        from ccsim.documents import plan_document

        return plan_document(self)

    def save(self, folder: str | Path, report: bool = False) -> Path:
        """Write what `ccsim plan --out folder [--report]` writes: plan.json, roster.yaml
        (ready to paste), requirements.csv and the verification run (atomically)."""
        from ccsim import output

        folder = Path(folder)
        output.write_plan(folder, self, self.document())
        if report:
            from ccsim import report as reports

            reports.write(folder)
        return folder


def plan(
    s: Scenario,
    seed: int | None = None,
    replications: int = 8,
    verify: int = 30,
    start_grid: float | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    time_budget: float = 150.0,
    baseline: bool = True,
    progress: Progress | None = None,
) -> Plan:
    """Find the cheapest roster of `s` that meets every target (see the module docstring).

    `replications`: simulated weeks per roster tried during the search (common random
    numbers); `verify`: fresh replications for the final check; `start_grid`: also try
    every shift template at start times on this grid (minutes); `time_budget`: seconds
    after which trimming stops (the plan then says it is not proven 1-minimal).
    """
    started = time.monotonic()
    say = progress or (lambda message: None)
    seed = seed if seed is not None else (s.simulation.seed or 0)
    shifts = scheduling.shift_options(s, start_grid)
    if not shifts:
        raise PlanError("the scenario has no shift templates to plan with: add `shifts:`")
    say("requirements per interval")
    needs = requirements.needs(s, shifts)
    unmet = _unreachable(s, needs)
    with Runner(workers, scheduler) as runner:
        search = _Search(s, needs, shifts, runner, seed, replications, verify, unmet, say)
        roster = search.correct()
        roster, one_minimal = search.trim(roster, started + time_budget)
        say("verifying on fresh seeds")
        final, one_minimal = search.verify(roster, started + time_budget, one_minimal)
        plan_ = Plan(
            final.scenario,
            final.result,
            final.checks,
            final.generated_shifts,
            unmet=search.unmet,
            needs=needs,
            search={
                "seed": seed,
                "replications": replications,
                "verify_replications": verify,
                "start_grid_min": start_grid,
                "simulations": search.simulations,
                "correction_rounds": search.rounds,
                "one_minimal": one_minimal,
                "verification_repairs": search.repairs,
                "seconds": 0.0,
            },
        )
        if baseline:
            say("Erlang C baseline")
            plan_.baseline = search.baseline()
    plan_.search["seconds"] = round(time.monotonic() - started, 1)
    return plan_


def _unreachable(s: Scenario, needs: dict[str, Need]) -> list[Unmet]:
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


class _Search:
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
        variant = s.model_copy(update={"roster": lines, "shifts": shifts})
        variant._source = s.source
        variant._changed = True  # its roster is the plan's, not the file's
        return variant

    def evaluate(self, roster: Roster) -> tuple[Scenario, Result, list[TargetCheck]]:
        """Simulate the roster on the search replications (cached)."""
        key = frozenset((k, v) for k, v in roster.items() if v > 0)
        if key not in self.cache:
            variant = self.scenario(roster)
            result = self.runner.run(variant, self.replications, self.seed)
            self.simulations += 1
            self.cache[key] = (variant, result, targets.evaluate(result))
        return self.cache[key]

    def _set_aside(self, check: TargetCheck) -> bool:
        return any(u.channel == check.channel and u.metric == check.metric for u in self.unmet)

    def failing(self, result: Result) -> list[TargetCheck]:
        """Targets (not set aside) that the verification would likely miss."""
        out = []
        summary = result.summary
        for check in targets.evaluate(result):
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
            schedule = scheduling.solve(self.s, needs, self.shifts, shares)
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
            return scheduling.agent_cost(s, key[0], self.shifts[key[1]])

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
        return Staffing(variant, result, targets.evaluate(result, CONFIDENCE), generated)

    def baseline(self) -> Staffing:
        """The per-interval Erlang C roster, scheduled and verified the same way."""
        needs = requirements.baseline_needs(self.s)
        schedule = scheduling.solve(self.s, needs, self.shifts)
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
    slot = np.mod(rows["start"].to_numpy(), units.MINUTES_PER_WEEK) // s.simulation.interval
    slot = slot.astype(int)
    offered = np.bincount(slot, weights=rows["offered"].to_numpy(float), minlength=n)
    if check.kind == "service":
        hits = np.nan_to_num(rows[check.metric].to_numpy(float)) * rows["offered"].to_numpy()
        share = np.bincount(slot, weights=hits, minlength=n)
        with np.errstate(invalid="ignore", divide="ignore"):
            return (offered > 0) & (share / offered < check.goal)
    lost = np.bincount(slot, weights=rows["abandoned"].to_numpy(float), minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (offered > 0) & (lost / offered > check.goal)
