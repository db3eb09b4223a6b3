"""Plan quality measured: on an instance small enough to enumerate every roster, the
planner's roster costs exactly as little as the cheapest roster that meets every target
under the same search replications and criterion."""

from __future__ import annotations

import itertools

import pytest

import ccsim
from ccsim.experiment.runner import Runner
from ccsim.finance.cost import staff_cost
from ccsim.planning import plan as planner
from ccsim.planning import requirements, shift_program
from ccsim.planning.search import RULES, Search
from ccsim.planning.trim import Active

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


@pytest.mark.parametrize("rule", RULES)
def test_the_plan_is_the_cheapest_roster_that_meets_every_target(rule):
    """Under either search rule (`mean`, or `each`: every search replication on its own —
    the default for a large week), the same criterion as the planner's search."""
    s = ccsim.loads(SMALL)
    p = planner.plan(s, workers=1, replications=REPS, verify=VERIFY, baseline=False, rule=rule)
    assert p.all_met and p.search["rule"] == rule
    shifts = shift_program.shift_options(s)
    needs = requirements.needs(s, shifts)
    lines = [(g, name) for g in s.groups for name in shifts]
    passing = []
    with Runner(1) as runner:
        quiet = lambda message: None  # noqa: E731
        seed = p.search["seed"]
        search = Search(s, needs, shifts, runner, seed, REPS, VERIFY, [], quiet, rule)
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


def test_replication_counts_stay_eight_and_thirty_and_change_only_for_a_large_week():
    assert planner.replication_counts(20_000) == (8, 30)
    assert planner.replication_counts(planner.LARGE_WEEK) == (8, 30)
    assert planner.search_rule(planner.LARGE_WEEK) == "mean"
    # a large week: 16 search weeks under the rule `each`, fewer verification weeks
    assert planner.replication_counts(500_000) == (16, 15)
    assert planner.replication_counts(1_300_000) == (16, 10)
    assert planner.search_rule(500_000) == "each"
    verify = [planner.replication_counts(n)[1] for n in range(100_000, 3_000_000, 50_000)]
    assert verify == sorted(verify, reverse=True)  # never more weeks for a larger week


A, B = ("generalist", "early"), ("chat_team", "late")


def _stand_in(slack):
    """A Search whose 'simulation' is a formula: a roster meets every target while line
    A keeps 37 agents and line B 50; `slack(roster)` is the margin it reports (or None)."""
    s = ccsim.loads(SMALL)
    search = Search.__new__(Search)
    search.s, search.shifts = s, dict(s.shifts)
    search.removed, tried = [], []
    search.deadline = search.max_rosters = None  # no trimming budget
    search.say = lambda message: None

    def judge(roster, reps=None):  # the "checks" of a roster: the roster itself
        tried.append(dict(roster))
        return roster

    search.judge = judge
    search._active = lambda roster: Active([0], [], refutable=False)  # one replication
    search._failing = lambda roster: (
        [] if roster.get(A, 0) >= 37 and roster.get(B, 0) >= 50 else ["short"]
    )
    search.slack = slack
    return search, tried


@pytest.mark.parametrize(
    "slack",
    [
        lambda roster: None,  # no margins (targets per period): double or halve
        lambda roster: {"a": (roster.get(A, 0) - 37) / 100, "b": (roster.get(B, 0) - 50) / 100},
        lambda roster: {"a": (roster.get(A, 0) - 37) ** 3 / 1e6, "b": roster.get(B, 0) - 50},
    ],
    ids=["no margins", "linear margin", "cubic margin"],
)
def test_the_trim_removes_blocks_and_ends_one_agent_fewer_failing_on_every_line(slack):
    """From 100 and 120 agents the trim must end exactly at 37 and 50, say it is
    1-minimal with the evidence simulated (each line with one agent fewer), and need far
    fewer rosters than one agent at a time (63 + 70 removals and 2 failures)."""
    search, tried = _stand_in(slack)
    roster, minimal = search.trim({A: 100, B: 120})
    assert roster == {A: 37, B: 50} and minimal
    assert {A: 36, B: 50} in tried and {A: 37, B: 49} in tried  # the 1-minimality evidence
    assert len(tried) < 40
    assert sorted(search.removed) == sorted([A] * 63 + [B] * 70)


def test_margins_lead_the_trim_to_the_edge_in_a_few_rosters():
    linear, tried_linear = _stand_in(
        lambda roster: {"a": (roster.get(A, 0) - 37) / 100, "b": (roster.get(B, 0) - 50) / 100}
    )
    blind, tried_blind = _stand_in(lambda roster: None)
    linear.trim({A: 100, B: 120})
    blind.trim({A: 100, B: 120})

    def simulated(tried):  # the search caches rosters: one simulated more than once is not
        return len({frozenset(r.items()) for r in tried})

    assert simulated(tried_linear) <= 9 < simulated(tried_blind) == 27


# Rule `each`: replication r is met while line A keeps THRESHOLDS[r][0] agents and line B
# THRESHOLDS[r][1]; the trim starts on replications 0 and 1, which do not bind: 4 binds A
# (37) and 3 binds B (50).
THRESHOLDS = {0: (30, 40), 1: (33, 45), 2: (35, 41), 3: (31, 50), 4: (37, 44), 5: (29, 42)}


def _each_stand_in(workers):
    s = ccsim.loads(SMALL)
    search = Search.__new__(Search)
    search.s, search.shifts = s, dict(s.shifts)
    search.removed = []
    search.deadline = search.max_rosters = None
    search.planned, search.periods_kept = {}, {}  # no target out of reach or kept
    search.say = lambda message: None
    search.runner = type("Runner", (), {"workers": workers})()
    judged = []

    def judge(roster, reps=None):
        reps = list(THRESHOLDS) if reps is None else list(reps)
        judged.extend((frozenset(roster.items()), r) for r in reps)
        a, b = roster.get(A, 0), roster.get(B, 0)
        return [(r, a - THRESHOLDS[r][0], b - THRESHOLDS[r][1]) for r in reps]

    search.judge = judge
    search.simulate = lambda wanted: None
    search._failing = lambda checks: [c for c in checks if min(c[1:]) < 0]
    search.verdict = lambda checks: ""  # checks are tuples here
    search.slack = lambda checks: {
        "a": min(c[1] for c in checks) / 100,
        "b": min(c[2] for c in checks) / 100,
    }
    search._active = lambda roster: Active([0, 1], [2, 3, 4, 5], refutable=True)
    return search, judged


def test_the_trim_on_active_replications_ends_where_every_replication_is_met():
    """Rule `each`: trials judged on two replications that do not bind; the roster is
    then checked on the others, the failing one joins, the trim steps back and goes on.
    It ends exactly at the binding replications' edge, 1-minimal with the evidence — each
    line with one agent fewer judged on a replication it fails — whatever the number of
    workers, and judging far fewer (roster, replication) pairs than every roster on
    every replication."""
    ends = []
    for workers in (1, 2):
        search, judged = _each_stand_in(workers)
        roster, minimal = search.trim({A: 100, B: 120})
        assert roster == {A: 37, B: 50} and minimal
        pairs = set(judged)
        assert (frozenset({A: 36, B: 50}.items()), 4) in pairs  # fails on replication 4
        assert (frozenset({A: 37, B: 49}.items()), 3) in pairs  # fails on replication 3
        assert sorted(search.removed) == sorted([A] * 63 + [B] * 70)
        rosters = {r for r, _ in pairs}
        assert len(rosters) < 25 and len(pairs) < 0.75 * len(THRESHOLDS) * len(rosters)
        ends.append((roster, search.removed))
    assert ends[0] == ends[1]


@pytest.mark.parametrize("budget", [None, 3])
def test_under_the_rule_each_the_plan_and_its_work_do_not_depend_on_the_workers(budget):
    """Rule `each` simulates replications a few at a time and stops at the first that
    refutes a roster: the batches are the planner's own, not the workers', so the plan,
    the replications simulated and the budget's cut are the same on 1 and 2 workers."""
    s = ccsim.loads(SMALL)
    options = dict(replications=REPS, verify=VERIFY, baseline=False, rule="each")
    one = planner.plan(s, workers=1, max_rosters=budget, **options).document()
    two = planner.plan(s, workers=2, max_rosters=budget, **options).document()
    one["search"].pop("seconds"), two["search"].pop("seconds")
    assert one == two
    assert one["search"]["replications_simulated"] < one["search"]["simulations"] * REPS
