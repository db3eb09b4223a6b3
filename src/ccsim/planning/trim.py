"""Step 4 of the planner: trim a roster that meets every target, line by line, to
1-minimal (docs/planning.md, step 4 and "Large centers").

A line loses blocks of agents guided by the target margins until one agent fewer
fails. With the rule `each` (every search replication meets each target on its own),
trials are judged on the few active replications that bind and refuted by the first
that fails; each line is then checked on the other replications. `Trimming.lower`
first scales every requirement down by one bisected factor. `Trimming` is the part of
`ccsim.planning.search.Search` that does this; it uses the search's simulation of
rosters replication by replication (`judge`, `simulate`, `outcome`) and its budget.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np

from ccsim.finance import cost
from ccsim.finance.cost import agent_cost
from ccsim.measure import targets
from ccsim.measure.targets import TargetCheck
from ccsim.planning import shift_program
from ccsim.planning.requirements import Need
from ccsim.planning.staffing import Roster

BLOCK = 8  # the trim removes 1/BLOCK of a roster line at first (at least one agent)
GROWTH = 4  # ... and at most GROWTH times the last block after a removal that works
ACTIVE = 2  # rule `each`: the trim judges its trials on this many replications at first
LOWEST = 0.5  # rule `each`: requirements scaled down to at most this share before the trim
LOWER_ROUNDS = 5  # ... bisected in this many rounds


@dataclass
class Active:
    """The search replications the trim judges its trials on (binding ones first), the
    others in the order it checks them, and whether one replication refutes a trial."""

    reps: list[int]
    rest: list[int]
    refutable: bool

    def join(self, i: int) -> None:
        """Replication i (one of the rest) binds: judge every trial on it, first."""
        self.rest.remove(i)
        self.reps.insert(0, i)


class Trimming:
    """Trimming and scaling-down, mixed into `ccsim.planning.search.Search` (which holds
    the scenario, the simulated replications, the rule, the removed agents, the
    progress and the budget these methods use)."""

    def verdict(self, checks: list[TargetCheck]) -> str:
        """A progress line's verdict on a roster's `checks`: the targets it misses as the
        search counts them, else "all met" — "as planned" when some count as met only at the
        level planned or kept for an unmet target, or set aside (`Search._meets`)."""
        missed = self._failing(checks)
        if missed:
            return f"{len(missed)} target(s) short" + target_names(missed)
        kept = sum(not c.met for c in checks)
        return "all met" if not kept else f"all met as planned ({kept} unmet target(s) below goal)"

    def trim(
        self, roster: Roster, floor: Roster | None = None, edge: bool = False
    ) -> tuple[Roster, bool]:
        """Remove agents, most expensive line first, while every target stays met; never
        below `floor` (`edge`: the roster is near its edge, the first blocks one agent).
        True when no single removal keeps every target met (1-minimal):
        the roster meets every target on every search replication, and the last pass
        tried one agent fewer on every line of it, and each failed.

        A line loses a block of agents at a time, 1/BLOCK of it (at least one) at first
        (one, when trimming again above a floor after a give-back, or with `edge`). The
        next block is where the first target margin (`slack`) that fell with the last
        block would, falling on linearly, reach zero — never more than GROWTH times the
        last block after a removal that works, always fewer after one that does not — or,
        without such a margin, double or half the last (`_next_block`). The line is done
        when removing a single agent fails.

        With the rule `each`, trials are judged on the active replications only (the
        ones that bind, `_active`); when a line is done, the roster is checked on the
        other search replications (`_line`). A trial that fails on one replication fails
        on all of them together, so the last pass is the 1-minimality check on every
        search replication."""
        floor = floor or {}
        if self._failing(self.judge(roster)):  # the correction did not reach every target
            self.unproven = (
                "the corrected roster missed a target under the search's rule, so it was not "
                "trimmed"
            )
            return roster, False  # keep it all
        s = self.s

        def price(key: tuple[str, str]) -> float:
            return agent_cost(s, key[0], self.shifts[key[1]])

        active = self._active(roster)
        # after a give-back (a floor), or from a roster `edge` says is near it (a warm
        # start, ccsim.planning.warm_start), the roster is at the edge: one at a time
        block = {key: 1 if floor or edge else max(1, n // BLOCK) for key, n in roster.items()}
        while True:
            improved = False
            for key in sorted(roster, key=price, reverse=True):
                if key not in roster:
                    continue  # the line was trimmed away
                before = roster
                roster, within_budget = self._line(key, roster, floor, active, block)
                improved = improved or roster != before
                if not within_budget:
                    self.unproven = self._budget_words()
                    return roster, False
            if not improved:
                self.unproven = ""
                return roster, True

    def _line(self, key, roster, floor, active: Active, block) -> tuple[Roster, bool]:
        """Trim one line of a roster that meets every search replication, trials judged
        on the active replications, until one agent fewer fails there; then check the
        others: the first that fails joins the active ones, the line steps back to its
        last roster that meets it (`_step_back`) and goes on. The answer meets every
        search replication; False when the budget ran out."""
        history = [(roster, len(self.removed))]  # the line's accepted rosters
        margin = self.slack(self.judge(roster, active.reps))
        while True:
            while roster.get(key, 0) > floor.get(key, 0):
                if self._out_of_budget():
                    if self._first_failing(roster, active.rest) is not None:
                        roster, removed = history[0]  # the line's start: it meets them all
                        del self.removed[removed:]
                    return roster, False
                k = min(block[key], roster[key] - floor.get(key, 0))
                trial = dict(roster)
                trial[key] -= k
                self.say(f"trimming: trying {sum(trial.values())} agents (−{k} {key[0]} {key[1]})")
                judged = self._refuted(trial, active)
                checks = self.judge(trial, judged)
                after = self.slack(checks)
                if self._failing(checks):
                    if k == 1:
                        break
                    before = (
                        margin if judged == active.reps else self.slack(self.judge(roster, judged))
                    )
                    block[key] = _next_block(k, before, after, failed=True)
                    continue
                block[key] = _next_block(k, margin, after, failed=False)
                roster, margin = {k_: v for k_, v in trial.items() if v > 0}, after
                self.removed.extend([key] * k)
                history.append((roster, len(self.removed)))
                self.say(f"trimming: {sum(roster.values())} agents (−{k} {key[0]} {key[1]})")
            if len(history) == 1:
                return roster, True  # nothing removed: the start met them all
            failed = self._first_failing(roster, active.rest)
            if failed is None:
                return roster, True
            active.join(failed)
            roster, block[key] = self._step_back(key, history, active.reps)
            self.say(
                f"search replication {failed + 1} misses a target: judged on it too, "
                f"{key[0]} {key[1]} back to {roster.get(key, 0)}"
            )
            margin = self.slack(self.judge(roster, active.reps))

    def _active(self, roster: Roster) -> Active:
        """The replications the trim judges its trials on, chosen once a search from the
        first roster trimmed (`roster`) and kept; a replication that refutes a roster
        later joins them. Rule `mean`: all of them. Rule `each` (targets over the whole
        window only): for each target, tightest first, the replication where this roster
        meets it by the least, until ACTIVE are chosen; the others are checked in the
        order of the tightest target's margin. Targets per day or interval are judged on
        every replication pooled: with any of them, all replications."""
        if self.active is not None:
            return self.active
        self.active = self._choose_active(roster)
        return self.active

    def _choose_active(self, roster: Roster) -> Active:
        every = list(range(self.replications))
        checks = [c for c in self.judge(roster) if not self._set_aside(c)]
        if not self.each or any(c.attainment is not None for c in checks):
            return Active(every, [], refutable=False)
        goals = {name: share for name, (share, _) in self.planned.items()}
        margins = targets.margins(self.s, self.outcome(roster).summary, goals)
        margins = margins[[c.name for c in checks if c.name in margins]].dropna(axis=1, how="all")
        if margins.empty:
            return Active(every, [], refutable=False)
        tightest = margins.min().sort_values(kind="stable").index
        reps: list[int] = []
        for name in tightest:
            worst = int(margins[name].idxmin())
            if worst not in reps:
                reps.append(worst)
            if len(reps) == ACTIVE:
                break
        order = [int(i) for i in margins[tightest[0]].sort_values(kind="stable").index]
        return Active(reps, [i for i in order if i not in reps], refutable=True)

    def lower(self, roster: Roster) -> Roster:
        """Rule `each`: bring the roster near its edge at once, before the trim (step 4;
        `roster` meets every target, from `correct`): the corrected requirements (step 3)
        of every channel are scaled by one factor and the shift program solved again; the
        factor is bisected over [LOWEST, 1] for LOWER_ROUNDS rounds, judged on the active
        replications. One factor for all channels, because channels share agents: a
        channel served last (e-mail, say) misses when the requirement of one served
        first (phone) falls. The answer: the cheapest of these rosters that meets every
        search replication (a replication that refutes one joins the active ones), else
        `roster`; the trim goes on from it."""
        active = self._active(roster)
        if not active.refutable or self.corrected is None:
            return roster  # without a correction that met every target: nothing to lower
        needs, shares = self.corrected
        low, high = LOWEST, 1.0
        passed: list[Roster] = []
        for _ in range(LOWER_ROUNDS):
            factor = (low + high) / 2
            trial = shift_program.solve(self.s, _scaled(needs, factor), self.shifts, shares).agents
            checks = self.judge(trial, active.reps)
            missed = self._failing(checks)
            self.say(
                f"requirements ×{factor:.3f}: {sum(trial.values())} agents, " + self.verdict(checks)
            )
            if missed:
                low = factor
            else:
                high = factor
                passed.append(trial)
        found = self._cheapest_meeting_all(passed, active, than=roster)
        return roster if found is None else found

    def _cheapest_meeting_all(
        self, passed: list[Roster], active: Active, than: Roster | None = None
    ) -> Roster | None:
        """The cheapest of `passed` (rosters that met the active replications when tried)
        that meets every search replication — cheaper than `than`, if given — or None;
        each replication that refutes one on the way joins the active ones."""
        for trial in sorted(passed, key=self.cost_of):
            if than is not None and self.cost_of(trial) >= self.cost_of(than):
                break  # no cheaper than the roster it started from
            if self._failing(self.judge(trial, active.reps)):
                continue  # refuted by a replication that joined since
            failed = self._first_failing(trial, active.rest)
            if failed is None:
                return trial
            active.join(failed)
        return None

    def cost_of(self, roster: Roster) -> float:
        """Staff cost of a roster per week."""
        return cost.staff_cost(self.variant(roster))

    def _refuted(self, trial: Roster, active: Active) -> list[int]:
        """The active replications a trial is judged on: all of them — or, when one
        replication can refute it (rule `each`), those up to the first (in order) on
        which it misses a target (`_first_failing`)."""
        if not active.refutable:
            return active.reps
        failed = self._first_failing(trial, active.reps)
        return active.reps if failed is None else active.reps[: active.reps.index(failed) + 1]

    def _first_failing(self, roster: Roster, reps: list[int]) -> int | None:
        """The first of `reps` (in their order) on which the roster misses a target, or
        None; simulated ACTIVE at a time, stopping after the first batch with a failure.
        The batch does not depend on the number of workers, so neither does the work
        counted against the budget."""
        if not reps:
            return None
        size = ACTIVE
        for start in range(0, len(reps), size):
            batch = reps[start : start + size]
            self.simulate([(roster, i) for i in batch])
            for i in batch:
                if self._failing(self.judge(roster, [i])):
                    return i
        return None

    def _step_back(self, key, history: list[tuple[Roster, int]], active: list[int]):
        """The last roster of a line's history that meets the `active` replications (the
        first does: it met all of them), by bisection on the one that just joined, and
        the next block to try on the line (half the removal that failed); the history
        and the agents removed are cut back to it."""
        lo, hi = 0, len(history) - 1  # history[hi], the line's roster, fails it
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if self._failing(self.judge(history[mid][0], active)):
                hi = mid
            else:
                lo = mid
        roster, removed = history[lo]
        step = roster.get(key, 0) - history[hi][0].get(key, 0)
        del history[lo + 1 :]
        del self.removed[removed:]
        return roster, max(1, step // 2)

    def _budget_words(self) -> str:
        """Which budget stopped the trim, in words."""
        if self.max_rosters is not None and self.work >= self.max_rosters - 1e-9:
            return (  # (said in Python too: the option's name alone read as the CLI's)
                f"the trim stopped at its budget of {self.max_rosters:,} "
                f"roster{'s' if self.max_rosters != 1 else ''}: "
                "--max-rosters, max_rosters= in Python"
            )
        return "the trim stopped at its time budget: --time-budget, time_budget= in Python"

    def _out_of_budget(self) -> bool:
        """Trimming stops past `deadline`, or once `max_rosters` rosters' worth of work
        was simulated (`work`: a roster on every search replication, or a verification,
        is one; a budget that does not depend on the machine's speed)."""
        if self.max_rosters is not None and self.work >= self.max_rosters - 1e-9:
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
            margins[c.name] = self.margin(c)
        return margins


def _scaled(needs: dict[str, Need], factor: float) -> dict[str, Need]:
    """Requirements scaled by `factor`: agents needed (voice, chat; rounded up) and the
    work arriving (message channels, escalations)."""
    out = {}
    for c, n in needs.items():
        if n.is_backlog:
            out[c] = replace(n, contacts=n.contacts * factor)
        elif n.agents is not None:
            out[c] = replace(n, agents=np.ceil(n.agents * factor - 1e-9).astype(int))
        else:
            out[c] = n
    return out


def target_names(checks: list[TargetCheck]) -> str:
    """`: phone sl_20s ≥ 80%, …` for a progress line (empty without checks)."""
    return (": " + ", ".join(c.name for c in checks)) if checks else ""


def _next_block(
    k: int, before: dict[str, float] | None, after: dict[str, float] | None, failed: bool
) -> int:
    """The next block of a line after removing k agents moved the targets' margins from
    `before` to `after`: where the first margin that fell, falling on linearly, reaches
    zero — at most GROWTH × k after a success, at most k − 1 after a failure — or 2k / k // 2
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
    return max(1, min(k - 1, edge)) if failed else max(1, min(GROWTH * k, edge))
