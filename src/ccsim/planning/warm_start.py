"""Planning from a roster instead of the requirements: a warm start (`ccsim.plan(...,
from_roster=True)`, `ccsim plan --from-roster`; docs/planning.md, "Planning again from a
roster").

A planner who changes one assumption re-plans from the roster of the last plan (pasted
into the scenario from roster.yaml), which is near the new answer. Steps 2 and 3 (the
shift program, simulate and correct) and the scaling-down of the requirements give way to
one factor that scales every line of that roster: the roster is simulated on the search
replications; if it meets every target, smaller factors are tried (1 − 1/32, 1 − 1/16,
… down to LOWEST), else larger ones (1 + 1/32, 1 + 1/16, … up to HIGHEST), until the
answer changes, then bisections until the last factor that missed and the last that met
are within STEP; trials are judged on the active replications, and the cheapest that
meets every search replication is kept (a replication that refutes it joins the active
ones, and the scaling goes on above the factors that missed). The trim
(`ccsim.planning.trim`) then starts one agent at a time. A roster that still misses at
HIGHEST, or still meets every target at LOWEST, is too far from the answer: the search
starts from the requirements after all. Like the scaling-down of the requirements, the
warm start does not stop for the trim's budget.
"""

from __future__ import annotations

from ccsim.planning.staffing import Roster
from ccsim.planning.trim import LOWEST, Trimming

STEP = 1 / 32  # the first factor tried is 1 ± STEP; the step doubles with each try
HIGHEST = 2.0  # the largest factor tried on a roster that misses a target


def scaled(roster: Roster, factor: float) -> Roster:
    """Every line of `roster` times `factor`, to the nearest agent (lines at 0 dropped)."""
    out = {key: int(n * factor + 0.5) for key, n in roster.items()}
    return {key: n for key, n in out.items() if n > 0}


class WarmStart(Trimming):
    """The warm start, mixed into `ccsim.planning.search.Search` like `Trimming`."""

    def start_from(self, roster: Roster) -> Roster | None:
        """The roster the trim starts from, found by scaling `roster` (see the module
        docstring), or None when the roster is too far from the answer — it still misses
        a target at HIGHEST × or still meets every target at LOWEST × — and the search
        should start from the requirements (the active replications are then chosen
        afresh, as in a plan from the requirements)."""
        self.rounds = 0  # no correction round: the roster is the start
        checks = self.judge(roster)
        for check in checks if self.planned else []:  # out of reach: at most its reach
            if check.name in self.planned:
                self._plan_for_at_most(check, "the scenario's roster")
        failing = self._failing(checks)
        self.say(f"the scenario's roster: {sum(roster.values())} agents, " + self.verdict(checks))
        active = self._active(roster)
        meets = not failing
        fails = None if meets else 1.0  # the largest factor known to miss a target
        while True:
            passed, fails = self._scale(roster, meets, active.reps, fails)
            if fails is None or not (passed or meets):  # no edge between LOWEST and HIGHEST
                self.active = None
                still = f"meets every target at ×{LOWEST:g}" if meets else f"misses at ×{HIGHEST:g}"
                self.say(
                    f"the scenario's roster still {still}: too far from the answer, planning "
                    "from the requirements"
                )
                return None
            found = self._cheapest_meeting_all(passed, active, than=roster if meets else None)
            if found is not None:
                return found
            if meets:
                return roster
            # every roster that met the active replications was refuted by one that joins
            # them now; the factors that missed still miss (rule `each`: on more of them)

    def _scale(
        self, roster: Roster, meets: bool, reps: list[int], fails: float | None
    ) -> tuple[list[Roster], float | None]:
        """The scaled rosters that meet every target on `reps`, and the largest factor
        known to miss one (`fails`: known before). Factors from 1 away from the roster's
        side of the edge, the step doubling, until the answer changes (or LOWEST, HIGHEST
        are passed), then bisections until the last that missed and the last that met
        are within STEP (the trim, one agent at a time at first, does the rest). A factor
        below a known miss is not tried; one that rounds to a roster judged already is
        not simulated again."""
        meets_at = 1.0 if meets else None  # the smallest factor known to meet them
        known = {frozenset(roster.items()): meets}
        passed: list[Roster] = []
        step = STEP
        while (fails if meets else meets_at) is None:
            factor = 1 - step if meets else 1 + step
            step *= 2
            if not LOWEST - 1e-9 <= factor <= HIGHEST + 1e-9:
                break
            if fails is not None and factor <= fails:
                continue  # missed already on fewer replications
            if self._try_scaled(roster, factor, reps, known, passed):
                meets_at = factor
            else:
                fails = factor
        while fails is not None and meets_at is not None and meets_at - fails > STEP + 1e-9:
            factor = (fails + meets_at) / 2
            if self._try_scaled(roster, factor, reps, known, passed):
                meets_at = factor
            else:
                fails = factor
        return passed, fails

    def _try_scaled(
        self, roster: Roster, factor: float, reps: list[int], known: dict, passed: list
    ) -> bool:
        """Whether `roster` × `factor` meets every target on `reps` (a roster in `known`
        is not judged again; one judged now is kept there, and in `passed` if it meets)."""
        trial = scaled(roster, factor)
        key = frozenset(trial.items())
        if key not in known:
            checks = self.judge(trial, reps)
            missed = self._failing(checks)
            self.say(
                f"the scenario's roster ×{factor:.3f}: {sum(trial.values())} agents, "
                + self.verdict(checks)
            )
            known[key] = not missed
            if not missed:
                passed.append(trial)
        return known[key]
