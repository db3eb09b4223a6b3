"""The planner: the cheapest roster that meets every target (docs/planning.md).

1. Requirements per interval and channel (`ccsim.planning.requirements`); targets that
   no roster can reach (the channel is closed, or no skilled shift is on duty, when
   their clock runs) are `unmet`, with the reason, and planned for at a lower share
   (`ccsim.planning.search.unreachable`).
2. The shift program (`ccsim.planning.shift_program`): an integer program.
3. Simulate and correct, 4. trim (`ccsim.planning.trim`), 5. verify on fresh seeds
   (`ccsim.planning.search`).

With `from_roster`, the scenario's own roster scaled to the edge takes the place of
steps 2 and 3 (`ccsim.planning.warm_start`).

The Erlang baseline — per-interval Erlang C with average handle times, scheduled
by the same program and verified the same way — comes with the plan.
"""

from __future__ import annotations

import numbers
import time
from dataclasses import dataclass, field
from typing import Any

from ccsim.experiment import counts, display, seeds
from ccsim.experiment.document import number
from ccsim.experiment.runner import Runner
from ccsim.finance.cost import roster_lines, rounded
from ccsim.measure.targets import TargetCheck, lead
from ccsim.model import work
from ccsim.planning import requirements, shift_program
from ccsim.planning.document import (
    BaselineResult,
    CloseCall,
    PlanDocument,
    RosterLineResult,
    SearchStats,
    UnmetTarget,
    close_words,
    minimality,
)
from ccsim.planning.errors import PlanError
from ccsim.planning.requirements import Need
from ccsim.planning.search import CONFIDENCE, Search, unreachable
from ccsim.planning.staffing import Roster, Staffing, StepProgress, Unmet, roster_of
from ccsim.scenario import rules, units
from ccsim.scenario.loader import valid
from ccsim.scenario.model import Scenario


@dataclass(repr=False)  # Staffing.__repr__: a line, not the arrays
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

    def __repr__(self) -> str:
        """The headline, then what the search proved: a plan not proven 1-minimal said so
        in its HTML display alone, and a what-if's cheaper plan read as a saving (a
        notebook walkthrough)."""
        if not self.search:
            return super().__repr__()
        proven = minimality(self.search.get("one_minimal"), self.search.get("unproven"))
        return f"<Plan {self.scenario.name!r}: {self.figures()}; {proven}>"

    def _repr_html_(self) -> str:
        """What Jupyter shows: the roster and targets as verified (`Staffing`), then what
        the plan could not meet and why, how the search went and the Erlang baseline."""
        notes = [f"Not met: {u.name or u.channel + ' ' + u.metric}: {u.reason}" for u in self.unmet]
        if self.search:  # (not proven is what False says, as the console says it)
            minimal = minimality(self.search.get("one_minimal"), self.search.get("unproven"))
            notes.append(
                f"Search: {self.search.get('simulations')} rosters simulated, {minimal}, "
                f"{self.search.get('seconds', 0):.0f} s."
            )
            verify = self.search.get("verify_replications", 0)
            for c in self.search.get("close_calls", []):
                notes.append(f"Close to its goal: {close_words(CloseCall(**c), verify)}.")
        if self.baseline is not None:  # (its repr was cut at a name's own ": ": a review)
            notes.append(f"Erlang baseline: {self.baseline.figures()}.")
        return display.html_block(repr(self)[1:-1], self.html_tables(), notes)

    def plan_document(self) -> PlanDocument:
        """The typed `ccsim plan --json` document: the run document of the verified
        roster (one-sided 95 % bounds) plus roster, people, hours, unmet, baseline."""
        run = self.result.run_document(confidence=CONFIDENCE)
        baseline = None
        if self.baseline is not None:
            base = self.baseline.result.run_document(confidence=CONFIDENCE)
            baseline = BaselineResult(
                roster=_lines(self.baseline),
                headcount=self.baseline.headcount,
                paid_hours=round(sum(self.baseline.paid_hours.values()), 2),
                cost=base.cost,
                targets_met=base.targets_met,
                channels=base.channels,
            )
        return PlanDocument(
            **{**dict(run), "targets_met": self.all_met},
            roster=_lines(self),
            headcount=self.headcount,
            fte={g: rounded(v) for g, v in self.fte.items()},
            paid_hours=round(sum(self.paid_hours.values()), 2),
            unmet=[
                UnmetTarget(
                    channel=u.channel,
                    metric=u.metric,
                    target=u.goal,
                    reason=u.reason,
                    estimate=number(u.estimate),
                    name=u.name,
                    planned=number(u.planned),
                    planned_periods=u.planned_periods,
                )
                for u in self.unmet
            ],
            search=SearchStats(**self.search),
            erlang_baseline=baseline,
        )

    def document(self) -> dict[str, Any]:
        """The `ccsim plan --json` document as plain JSON."""
        return self.plan_document().to_json()


CLOSE = 1.0  # a bound less than this many standard errors past its goal is said


def close_calls(checks: list[TargetCheck]) -> list[CloseCall]:
    """The targets over the window that the verification met with a bound less than
    `CLOSE` standard errors past the goal: a plan verified on few replications may go
    either way there on fresh seeds, and said nothing of it (a walkthrough)."""
    out = []
    for c in checks:
        ahead = lead(c)
        if ahead is not None and ahead < CLOSE:
            out.append(CloseCall(target=c.name, estimate=c.mean, bound=c.bound, error=c.error))
    return out


def _lines(staffing: Staffing) -> list[RosterLineResult]:
    return [RosterLineResult(**line) for line in roster_lines(staffing.scenario)]


LARGE_WEEK = 250_000  # contacts a replication simulates, above which fewer replications
SEARCH_CONTACTS = 400_000_000  # default search budget: contacts simulated, all rosters together
MIN_ROSTERS = 4  # ... but at least this many rosters


def replication_counts(contacts: float) -> tuple[int, int]:
    """Default (search, verification) replications for a scenario that simulates
    `contacts` a replication: 8 and 30 up to LARGE_WEEK; above it the verification is
    scaled down with the work of a replication, to at least 10 (docs/planning.md,
    "Large centers"): still a one-sided 95 % bound per target, on fewer weeks — and the
    search, under the rule `each` (`search_rule`), takes 16 weeks: a trial is judged on
    the few that bind, so more weeks cost little more, and the worst of 16 stands for
    fresh weeks better than the worst of 8 (large_center.yaml's e-mail 24 h share swings
    by 4–5 points with the week's phone volume; trimmed to the worst of 8 search weeks, it
    missed on 10 fresh ones)."""
    if contacts <= LARGE_WEEK:
        return 8, 30
    return 16, max(10, round(30 * LARGE_WEEK / contacts))


def search_rule(contacts: float) -> str:
    """How the search judges a target by default: `mean` (the mean over the search
    replications less the margin the verification will apply) up to LARGE_WEEK contacts
    a replication; `each` (every search replication meets it on its own) above, where a
    week's figures vary little from one replication to the next, so the rule costs little,
    and one replication can refute a roster (docs/planning.md, "Large centers")."""
    return "mean" if contacts <= LARGE_WEEK else "each"


def roster_budget(contacts: float, replications: int) -> int:
    """The default budget of the search in rosters' worth of work (`Search.work`): as many
    rosters on every search replication as simulate SEARCH_CONTACTS contacts, at least
    MIN_ROSTERS. A budget in work, not in seconds, so that the default plan is the same on
    every machine, number of workers or Dask cluster (docs/planning.md, step 4): 2,123
    for ecommerce_omnichannel.yaml (its full trim needs 37), 17 for large_center.yaml
    (~1.44 M contacts a replication, 16 search replications; its trim to 1-minimal took
    14, about 17 minutes on this project's two slow cores of 2026-12-04). Until that day
    it was 50 M contacts — 4 rosters for large_center.yaml, a plan in two minutes but
    not trimmed to the end."""
    return max(MIN_ROSTERS, int(SEARCH_CONTACTS // max(1.0, contacts * replications)))


def start_roster(s: Scenario) -> Roster:
    """The scenario's own roster as the search's start (`plan(from_roster=True)`)."""
    if s.staffing is not None:
        raise PlanError(
            "the scenario has a staffing table, not a roster, to start from: replace "
            "`staffing:` by `roster:` lines (say, from the roster.yaml of an earlier plan), "
            "or plan without --from-roster"
        )
    roster = roster_of(s)
    if not roster:
        raise PlanError(
            "the scenario has no roster to start from: add `roster:` lines with agents "
            "(say, from the roster.yaml of an earlier plan), or plan without --from-roster"
        )
    return roster


def judged_somewhere(s: Scenario, where: str = "") -> None:
    """A PlanError for a target per day or interval that no period of `s` can judge
    (`rules.unjudged`): no roster can meet it. `where`: what `s` is, before the field."""
    if problems := rules.unjudged(s):
        raise PlanError(f"{where}{problems[0].field}: {problems[0].message}")


def plan_fits(
    s: Scenario,
    replications: int | None,
    verify: int | None,
    memory_limit: str | float | None = None,
) -> tuple[int, int, float]:
    """(search replications, verifications, contacts of a replication) of a plan of `s`
    — the defaults of `replication_counts` where None —; WorkLimitError when its runs
    need more memory than `memory_limit` (`ccsim.model.work`)."""
    contacts = work.estimate(s).contacts
    default_search, default_verify = replication_counts(contacts)
    # a plan needs 2 of each for a spread (0 was taken for the default, as in simulate)
    replications = counts.whole(
        default_search if replications is None else replications, "replications", least=2
    )
    verify = counts.whole(default_verify if verify is None else verify, "verify", least=2)
    work.ensure_fits(s, memory_limit, replications + verify)
    return replications, verify, contacts


def plan(
    s: Scenario,
    seed: int | None = None,
    replications: int | None = None,
    verify: int | None = None,
    start_grid: float | str | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    time_budget: float | str | None = None,
    max_rosters: int | None = None,
    baseline: bool = True,
    progress: StepProgress | None = None,
    memory_limit: str | float | None = None,
    rule: str | None = None,
    from_roster: bool = False,
) -> Plan:
    """Find the cheapest roster of `s` that meets every target (see the module docstring).

    `replications`: simulated weeks per roster tried during the search (common random
    numbers); `verify`: fresh replications for the final check (defaults: 8 and 30,
    fewer verifications for a large week, see `replication_counts`); `start_grid`: also try
    every shift template at start times on this grid (minutes); `max_rosters`: trimming
    stops once this many rosters were simulated (default: `roster_budget`) — a budget
    independent of the machine's speed, so the plan is the same on any number of workers
    (it then says it is not proven 1-minimal); `time_budget`: seconds after which trimming
    also stops (none by default: a plan cut by time depends on the machine) — it and
    `start_grid` also as durations with their unit (`'5min'`, `'30min'`);
    `memory_limit`: refuse up front a scenario whose replication needs more memory
    (`ccsim.model.work`); `rule`: how the search judges a target, `mean` (the mean less
    the verification's margin) or `each` (every search replication on its own) —
    default `search_rule`; `from_roster`: start the search from the scenario's own roster
    (say, the last plan's, pasted from roster.yaml) instead of the requirements — faster
    when it is near the answer (`ccsim.planning.warm_start`).
    """
    # a copy of its own: the rosters tried share its blocks (`model_copy(update=…)`), and
    # a notebook's later `s.groups[g].wage = …` changed the plan's cost (a review)
    s = valid(s).model_copy(deep=True)
    replications, verify, contacts = plan_fits(s, replications, verify, memory_limit)
    if max_rosters is not None:
        max_rosters = counts.whole(max_rosters, "max_rosters", least=1)  # as --max-rosters
        # (0 returned the untrimmed roster, 18 % dearer, as the plan: a notebook walkthrough)
    if max_rosters is None:
        max_rosters = roster_budget(contacts, replications)
    rule = rule or search_rule(contacts)
    try:
        time_budget = units.duration_argument(time_budget, "time_budget", "seconds")
        start_grid = units.duration_argument(start_grid, "start_grid")
    except ValueError as exc:
        raise PlanError(str(exc)) from None
    number = isinstance(time_budget, numbers.Real) and not isinstance(time_budget, bool)
    if time_budget is not None and not (number and 0 < time_budget < float("inf")):
        raise PlanError(f"time_budget must be seconds above 0, got {time_budget!r}")  # (-5 ran)
    started = time.monotonic()
    say = progress or (lambda message: None)
    seed = seeds.resolve(seed, s)
    shifts = shift_program.shift_options(s, start_grid)
    if not shifts:
        raise PlanError("the scenario has no shift templates to plan with: add `shifts:`")
    judged_somewhere(s)  # (a plan of 0 agents, every call lost, read "every target met")
    start = start_roster(s) if from_roster else None
    say("requirements per interval")
    needs = requirements.needs(s, shifts)
    unmet = unreachable(s, needs)
    with Runner(workers, scheduler) as runner:
        search = Search(s, needs, shifts, runner, seed, replications, verify, unmet, say, rule)
        search.max_rosters = max_rosters
        search.deadline = None if time_budget is None else started + time_budget
        roster = None if start is None else search.start_from(start)
        warm = roster is not None
        if roster is None:
            roster = search.lower(search.correct())
        roster, one_minimal = search.trim(roster, edge=warm)
        search.say("verifying on fresh seeds")
        found, _ = search.verify(roster, one_minimal)
        base = None
        if baseline:
            search.say("Erlang C baseline")
            base = search.baseline()
            if search.passes(base) and (
                not search.passes(found) or base.staff_cost < found.staff_cost
            ):  # a feasible baseline is a verified roster too: trim it as well
                search.say("the baseline meets every target: trimming it")
                search.improve(base, "erlang_baseline trimmed")
        chosen = search.best()
        final = chosen.staffing
        plan_ = Plan(
            final.scenario,
            final.result,
            final.checks,
            final.generated_shifts,
            unmet=search.missed(final),
            baseline=base,
            needs=needs,
            search={
                "seed": seed,
                "replications": replications,
                "verify_replications": verify,
                "start_grid_min": start_grid,
                "rule": rule,
                "start": "roster" if warm else "requirements",
                "simulations": search.simulations,
                "work": round(search.work, 2),
                "replications_simulated": search.replications_simulated,
                "correction_rounds": search.rounds,
                "one_minimal": chosen.one_minimal,
                "unproven": chosen.unproven,
                "verification_repairs": search.repairs,
                "verified_rosters": len(search.candidates),
                "chosen": chosen.source,
                "comparisons": search.comparisons(final),
                # (plain data, as the rest: capacity.json wrote the search as it is)
                "close_calls": [c.model_dump() for c in close_calls(final.checks)],
                "seconds": 0.0,
            },
        )
    plan_.search["seconds"] = round(time.monotonic() - started, 1)
    return plan_
