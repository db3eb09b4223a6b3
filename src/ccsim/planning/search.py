"""The simulate–correct–trim–verify search over rosters (docs/planning.md, steps 2–5).

Rosters are simulated on the search replications under common random numbers; a
target counts as met during the search when its mean minus the one-sided margin that
verification will apply still reaches it, so that a roster trimmed to the edge passes on
fresh seeds. Verification uses replications the search never saw.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np

from ccsim.experiment.result import Result
from ccsim.finance import cost
from ccsim.finance.cost import agent_cost
from ccsim.measure.targets import TargetCheck
from ccsim.planning import requirements, shift_program
from ccsim.planning.requirements import Need
from ccsim.planning.staffing import Roster, Staffing, Unmet
from ccsim.scenario import timegrid, units
from ccsim.scenario.model import ESCALATION, RosterLine, Scenario, Shift
from ccsim.scenario.timegrid import week_slot

CORRECTION_ROUNDS = 8
CONFIDENCE = 0.95
REPAIRS = 4  # verification failures repaired by giving back an agent the trim removed
ADDITIONS = 8  # then by adding one where the verification fell short
BLOCK = 16  # the trim removes 1/BLOCK of a roster line at a time (at least one agent)


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
        self.progress = say
        # the trimming budget (set by the plan): a time.monotonic() deadline, rosters
        self.deadline: float | None = None
        self.max_rosters: int | None = None
        self.cost = float("nan")  # staff cost of the roster simulated last
        self.cache: dict[frozenset, tuple[Scenario, Result, list[TargetCheck]]] = {}
        self.simulations = 0
        self.rounds = 0
        self.repairs = 0
        self.removed: list[tuple[str, str]] = []
        self.candidates: dict[frozenset, Candidate] = {}  # every roster verified

    def say(self, message: str) -> None:
        """Progress: the step, then the round, rosters simulated, the cost of the roster
        simulated last and the trimming budget left."""
        state = [f"round {self.rounds}", f"{self.simulations} rosters simulated"]
        if self.cost == self.cost:
            state.append(f"{self.cost:,.0f} {self.s.costs.currency}/week")
        if self.deadline is not None:
            state.append(f"{max(0.0, self.deadline - time.monotonic()):.0f} s budget left")
        if self.max_rosters is not None:
            state.append(f"{max(0, self.max_rosters - self.simulations)} rosters budget left")
        self.progress(f"{message} · " + " · ".join(state))

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
            self.cost = cost.staff_cost(variant)
            result = self.runner.run(variant, self.replications, self.seed)
            self.simulations += 1
            self.cache[key] = (variant, result, result.target_checks())
        return self.cache[key]

    def _set_aside(self, check: TargetCheck) -> bool:
        return any(u.channel == check.channel and u.metric == check.metric for u in self.unmet)

    def failing(self, result: Result) -> list[TargetCheck]:
        """Targets (not set aside) that the verification would likely miss: compared as
        on `verify` fresh replications with the spread of the search's (every period of a
        target per day or interval on its own)."""
        return self._failing(self.judged(result))

    def _failing(self, checks: list[TargetCheck]) -> list[TargetCheck]:
        return [c for c in checks if not c.met and not self._set_aside(c)]

    def judged(self, result: Result) -> list[TargetCheck]:
        """Every target as the search judges it: compared as on `verify` fresh
        replications, with the spread of the search's."""
        return result.target_checks(CONFIDENCE, planned=self.verify_n)

    # --- 2 + 3: schedule, simulate, correct ---------------------------------------------

    def correct(self) -> Roster:
        """Solve, simulate, raise the requirements where contacts missed; repeat."""
        needs = {c: replace(n) for c, n in self.needs.items()}
        shares = {(u.channel, u.within): 0.0 for u in self.unmet if u.within is not None}
        best: Roster = {}
        for round_ in range(1, CORRECTION_ROUNDS + 1):
            self.rounds = round_
            self.say("solving the shift schedule")
            schedule = shift_program.solve(self.s, needs, self.shifts, shares)
            best = schedule.agents
            _, result, _ = self.evaluate(best)
            failing = self.failing(result)
            self.say(
                f"simulated {sum(best.values())} agents, "
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

    def trim(self, roster: Roster, floor: Roster | None = None) -> tuple[Roster, bool]:
        """Remove agents, most expensive line first, while every target stays met; never
        below `floor`. True when no single removal keeps every target met (1-minimal):
        the last pass tried one agent fewer on every line of the final roster, and each
        failed.

        A line loses a block of agents at a time, 1/BLOCK of it (at least one) at first
        (one, when trimming again above a floor after a give-back). The next block is
        where the first target margin (`slack`) that fell with the last block would,
        falling on linearly, reach zero — never more than twice the last block after a
        removal that works, always fewer after one that does not — or, without such a
        margin, double or half the last (`_next_block`). The line is done when removing
        a single agent fails."""
        s, floor = self.s, floor or {}
        checks = self.judged(self.evaluate(roster)[1])
        if self._failing(checks):
            return roster, False  # the correction did not reach every target: keep it all

        def price(key: tuple[str, str]) -> float:
            return agent_cost(s, key[0], self.shifts[key[1]])

        # after a give-back (a floor) the roster is at the edge already: one at a time
        block = {key: 1 if floor else max(1, n // BLOCK) for key, n in roster.items()}
        margin = self.slack(checks)
        while True:
            improved = False
            for key in sorted(roster, key=price, reverse=True):
                while roster.get(key, 0) > floor.get(key, 0):
                    if self._out_of_budget():
                        return roster, False
                    k = min(block[key], roster[key] - floor.get(key, 0))
                    trial = dict(roster)
                    trial[key] -= k
                    checks = self.judged(self.evaluate(trial)[1])
                    after = self.slack(checks)
                    if self._failing(checks):
                        if k == 1:
                            break
                        block[key] = _next_block(k, margin, after, failed=True)
                        continue
                    block[key] = _next_block(k, margin, after, failed=False)
                    roster, margin = {k_: v for k_, v in trial.items() if v > 0}, after
                    self.removed.extend([key] * k)
                    improved = True
                    self.say(f"trimming: {sum(roster.values())} agents (−{k} {key[0]} {key[1]})")
            if not improved:
                return roster, True

    def _out_of_budget(self) -> bool:
        """Trimming stops past `deadline`, or once `max_rosters` rosters were simulated
        (a budget that does not depend on the machine's speed)."""
        if self.max_rosters is not None and self.simulations >= self.max_rosters:
            return True
        return self.deadline is not None and time.monotonic() > self.deadline

    def slack(self, checks: list[TargetCheck]) -> dict[str, float] | None:
        """The margin by which each target not set aside is met as the search judges
        (`judged`: bound − goal; goal − bound for an abandon limit; negative: missed), or
        None when a target is judged per day or interval (met there counts periods)."""
        margins = {}
        for c in checks:
            if self._set_aside(c):
                continue
            if c.attainment is not None:
                return None
            margins[c.name] = c.bound - c.goal if c.kind == "service" else c.goal - c.bound
        return margins

    # --- 5: verify ----------------------------------------------------------------------

    def verify(
        self, roster: Roster, minimal: bool, source: str = "search"
    ) -> tuple[Staffing, bool]:
        """Simulate on fresh seeds. If a target fails there, give back the last agent
        removed (its removal is then known to fail) and trim the rest again (at most
        REPAIRS times); then add one agent where the verification fell short (at most
        ADDITIONS times)."""
        floor: Roster = {}
        gave_back = 0
        for _ in range(REPAIRS + ADDITIONS):
            staffing = self.verified(roster, minimal, source)
            if self.passes(staffing):
                return staffing, minimal
            self.repairs += 1
            short = "verification short" + _names(
                [c for c in staffing.checks if not c.met and not self._set_aside(c)]
            )
            if self.removed and gave_back < REPAIRS:
                gave_back += 1
                key = self.removed.pop()
                roster = {**roster, key: roster.get(key, 0) + 1}
                floor[key] = roster[key]
                self.say(f"{short}; giving back 1 {key[0]} {key[1]}, trimming again")
                roster, minimal = self.trim(roster, floor)
                continue
            key = self.addition(staffing)
            if key is None:
                return staffing, minimal
            roster = {**roster, key: roster.get(key, 0) + 1}
            minimal = False  # the agent added can be removed under the search's seeds
            self.say(f"{short}; adding 1 {key[0]} {key[1]} where it fell short")
        return self.verified(roster, False, source), False

    def addition(self, staffing: Staffing) -> tuple[str, str] | None:
        """The agent to add where a verification fell short (nothing left to give back):
        the group × shift template that works most of the intervals whose contacts missed
        a failing target, per unit of cost (None if no skilled template works any)."""
        s, best, key = self.s, 0.0, None
        failing = [c for c in staffing.checks if not c.met and not self._set_aside(c)]
        for c in failing:
            need = self.needs.get(c.channel)
            if need is None:
                continue
            missed = _missed_intervals(s, staffing.result, c, need.contacts.size)
            for g, group in s.groups.items():
                if c.channel not in group.skills:
                    continue
                for name, shift in self.shifts.items():
                    worked = float(timegrid.coverage(s, shift) @ missed)
                    score = worked / agent_cost(s, g, shift)
                    if worked > 0 and score > best + 1e-12:
                        best, key = score, (g, name)
        return key

    def improve(self, staffing: Staffing, source: str) -> Staffing:
        """Trim a verified roster that meets every target (a feasible baseline) the same
        way, and verify what is left."""
        self.removed = []
        roster = {(line.group, line.shift): line.agents for line in staffing.scenario.roster}
        roster, minimal = self.trim(roster)
        return self.verify(roster, minimal, source)[0]

    def passes(self, staffing: Staffing) -> bool:
        """Every target not set aside met on verification."""
        return all(c.met for c in staffing.checks if not self._set_aside(c))

    def verified(self, roster: Roster, minimal: bool = False, source: str = "search") -> Staffing:
        """The roster simulated on the verification replications (the same fresh seeds for
        every roster), kept as a candidate answer."""
        key = frozenset((k, v) for k, v in roster.items() if v > 0)
        if key in self.candidates:
            known = self.candidates[key]
            self.candidates[key] = replace(known, one_minimal=known.one_minimal or minimal)
            return known.staffing
        variant = self.scenario(roster)
        self.cost = cost.staff_cost(variant)
        result = self.runner.run(variant, self.verify_n, self.seed, first=self.replications)
        self.simulations += 1
        generated = [
            n for n in dict.fromkeys(r.shift for r in variant.roster) if n not in self.s.shifts
        ]
        staffing = Staffing(variant, result, result.target_checks(CONFIDENCE), generated)
        self.candidates[key] = Candidate(staffing, minimal, source)
        return staffing

    def baseline(self) -> Staffing:
        """The per-interval Erlang C roster, scheduled and verified the same way."""
        needs = requirements.baseline_needs(self.s)
        schedule = shift_program.solve(self.s, needs, self.shifts)
        return self.verified(schedule.agents, source="erlang_baseline")

    def best(self) -> Candidate:
        """The answer: the cheapest verified roster that meets every target not set aside;
        when none does, the one that misses fewest (then the cheapest)."""

        def order(c: Candidate) -> tuple:
            missed = sum(not x.met for x in c.staffing.checks if not self._set_aside(x))
            return (
                missed,
                c.staffing.staff_cost,
                sum(c.staffing.headcount.values()),
                not c.one_minimal,
            )

        return min(self.candidates.values(), key=order)

    def comparisons(self, staffing: Staffing) -> int:
        """Comparisons the verification made: one per target over the window, one per
        judged period of a target per day or interval."""
        return sum(1 if c.attainment is None else c.attainment.judged for c in staffing.checks)

    def missed(self, staffing: Staffing) -> list[Unmet]:
        """Every target the verified roster misses, with its estimate and the reason: why
        it was set aside, or what the verification measured."""
        out = []
        for c in staffing.checks:
            if c.met:
                continue
            aside = next(
                (u for u in self.unmet if u.channel == c.channel and u.metric == c.metric), None
            )
            reason = _verification_text(c, self.verify_n)
            if aside is not None:
                reason = f"{aside.reason}; {reason}"
            estimate = (
                c.mean
                if c.attainment is None or c.attainment.worst is None
                else c.attainment.worst.mean
            )
            out.append(Unmet(c.channel, c.metric, c.goal, reason, c.within, estimate))
        return out


@dataclass(frozen=True)
class Candidate:
    """A verified roster the planner may answer with."""

    staffing: Staffing
    one_minimal: bool
    source: str  # search, erlang_baseline, erlang_baseline trimmed


def _verification_text(c: TargetCheck, n: int) -> str:
    a = c.attainment
    if a is None:
        return (
            f"missed on verification ({n} fresh replications): estimate {c.mean:.1%} "
            f"(95% CI {c.ci[0]:.1%}–{c.ci[1]:.1%}), one-sided 95% bound {c.bound:.1%}"
        )
    return f"on verification ({n} fresh replications) {a.text()}"


def _offered_slots(s: Scenario, result: Result, channel: str, n: int) -> np.ndarray:
    """Intervals of the planning week in which `channel` had contacts."""
    rows = result.intervals[result.intervals["channel"] == channel]
    slot = week_slot(s, rows["start"].to_numpy())
    return np.bincount(slot, weights=rows["offered"].to_numpy(float), minlength=n) > 0


def _names(checks: list[TargetCheck]) -> str:
    return (": " + ", ".join(c.name for c in checks)) if checks else ""


def _missed_intervals(s: Scenario, result: Result, check: TargetCheck, n: int) -> np.ndarray:
    """Intervals of the planning week whose contacts missed `check` (pooled over the
    replications and over the weeks of the horizon); for a target per interval exactly
    its failing intervals, per day those of its failing days whose contacts missed it
    (all of the day's, if none did on its own)."""
    if check.channel == ESCALATION:
        return np.zeros(n, bool)
    a = check.attainment
    if a is not None:
        failing = np.asarray(a.failing, float)
        if a.per == "interval":
            out = np.zeros(n, bool)
            out[week_slot(s, failing)] = True
            return out
        per_day = int(units.MINUTES_PER_DAY // s.simulation.interval)
        days = np.zeros(n, bool)
        for start in week_slot(s, failing):
            days[start : start + per_day] = True
        week = replace(check, attainment=None)
        missed = _missed_intervals(s, result, week, n) & days
        return missed if missed.any() else days & _offered_slots(s, result, check.channel, n)
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


def _next_block(
    k: int, before: dict[str, float] | None, after: dict[str, float] | None, failed: bool
) -> int:
    """The next block of a line after removing k agents moved the targets' margins from
    `before` to `after`: where the first margin that fell, falling on linearly, reaches
    zero — at most 2k after a success, at most k − 1 after a failure — or 2k / k // 2
    when no margin fell (or there are none)."""
    base = before if failed else after  # margins of the roster the next block leaves
    edges = [
        base[name] / ((before[name] - after[name]) / k)
        for name in (before or {})
        if after is not None and name in after and after[name] < before[name]
    ]
    if not edges:
        return 2 * k if not failed else max(1, k // 2)
    edge = max(0, int(min(edges) + 1e-9))
    return max(1, min(k - 1, edge)) if failed else max(1, min(2 * k, edge))
