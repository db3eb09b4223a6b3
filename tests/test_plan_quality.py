"""Plan quality measured: on an instance small enough to enumerate every roster, the
planner's roster costs exactly as little as the cheapest roster that meets every target
under the same search replications and criterion."""

from __future__ import annotations

import itertools

import ccsim
from ccsim.experiment.runner import Runner
from ccsim.finance.cost import staff_cost
from ccsim.planning import plan as planner
from ccsim.planning import requirements, shift_program
from ccsim.planning.search import Search

# Phone and chat on a Monday 08:00–16:00; generalists answer phone only, the chat team
# chat first and phone second; two four-hour templates: 2 groups × 2 templates.
OPEN = ", ".join(["0"] * 8 + ["1"] * 8 + ["0"] * 8)
SMALL = f"""\
name: enumerable
simulation: {{horizon: 1d, warmup: 0d, interval: 1h, seed: 2}}
channels:
  phone:
    kind: voice
    patience: {{dist: exponential, mean: 4min}}
    open: {{mon: "08:00-16:00", tue-sun: closed}}
  chat:
    kind: chat
    patience: {{dist: exponential, mean: 6min}}
    open: {{mon: "08:00-16:00", tue-sun: closed}}
arrivals:
  phone: {{weekly: 200, daily: [1, 0, 0, 0, 0, 0, 0], intraday: [{OPEN}]}}
  chat: {{weekly: 90, daily: [1, 0, 0, 0, 0, 0, 0], intraday: [{OPEN}]}}
reasons:
  ask: {{mix: {{phone: 1.0, chat: 1.0}}, resolve: {{dist: exponential, mean: 4min}}}}
anger: off
groups:
  generalist: {{skills: {{phone: 1}}, wage: 15}}
  chat_team: {{skills: {{chat: 1, phone: 2}}, wage: 18}}
shifts:
  early: {{start: "08:00", length: 4h, days: mon}}
  late: {{start: "12:00", length: 4h, days: mon}}
targets:
  phone: {{service: [{{within: 30s, at_least: 0.75}}], max_abandon: 0.08}}
  chat: {{service: [{{within: 1min, at_least: 0.70}}]}}
"""
REPS, VERIFY, MOST = 6, 10, 4  # search and verification replications; agents per line


def test_the_plan_is_the_cheapest_roster_that_meets_every_target():
    s = ccsim.loads(SMALL)
    p = planner.plan(s, workers=1, replications=REPS, verify=VERIFY, baseline=False)
    assert p.all_met
    shifts = shift_program.shift_options(s)
    needs = requirements.needs(s, shifts)
    lines = [(g, name) for g in s.groups for name in shifts]
    passing = []
    with Runner(1) as runner:
        quiet = lambda message: None  # noqa: E731
        search = Search(s, needs, shifts, runner, p.search["seed"], REPS, VERIFY, [], quiet)
        for counts in itertools.product(range(MOST + 1), repeat=len(lines)):
            roster = {line: k for line, k in zip(lines, counts, strict=True) if k}
            variant = search.scenario(roster)
            if staff_cost(variant) > p.staff_cost + 1e-9:
                continue  # dearer than the plan: it cannot beat it
            _, result, _ = search.evaluate(roster)
            if not search.failing(result):
                passing.append((staff_cost(variant), counts))
    planned = tuple(
        next((r.agents for r in p.scenario.roster if (r.group, r.shift) == line), 0)
        for line in lines
    )
    assert max(planned) <= MOST, "the enumeration must cover the plan's roster"
    assert planned in {counts for _, counts in passing}  # it passes the search criterion
    cheapest = min(cost for cost, _ in passing)
    assert p.staff_cost == cheapest, (p.staff_cost, sorted(passing)[:5], planned)
