"""Planning again from a roster (`ccsim.plan(..., from_roster=True)`, `ccsim plan
--from-roster`): the warm start scales the scenario's own roster to the edge, then the
usual trim and verification make it a 1-minimal, verified plan."""

from __future__ import annotations

import pytest

import ccsim
from ccsim.experiment.runner import Runner
from ccsim.planning import plan as planner
from ccsim.planning import requirements, shift_program
from ccsim.planning.search import RULES, Search
from ccsim.planning.warm_start import scaled
from test_cli import ccsim as run_cli
from test_plan_quality import REPS, SMALL, VERIFY, A, B, _each_stand_in

OPTIONS = dict(replications=REPS, verify=VERIFY, baseline=False)

# one generalist too many on the late line, the rest as planned under the rule `each`
SLACK = {
    ("generalist", "early"): 2,
    ("generalist", "late"): 4,
    ("chat_team", "early"): 2,
    ("chat_team", "late"): 2,
}


def _with_roster(s: ccsim.Scenario, lines: dict[tuple[str, str], int]) -> ccsim.Scenario:
    roster = [{"group": g, "shift": sh, "agents": n} for (g, sh), n in lines.items()]
    return ccsim.with_changes(s, {"roster": roster})


def _warm(
    s: ccsim.Scenario, lines: dict[tuple[str, str], int], rule: str
) -> tuple[planner.Plan, list[str]]:
    """A plan from `lines` put in `s` as its roster (`from_roster`), and what it said."""
    said: list[str] = []
    p = planner.plan(
        _with_roster(s, lines),
        workers=1,
        rule=rule,
        from_roster=True,
        progress=said.append,
        **OPTIONS,
    )
    return p, said


def _lines(p: planner.Plan) -> dict[tuple[str, str], int]:
    return {(line.group, line.shift): line.agents for line in p.scenario.roster}


def test_a_roster_is_scaled_line_by_line_to_the_nearest_agent():
    roster = {A: 30, B: 3, ("g", "x"): 1}
    assert scaled(roster, 1.25) == {A: 38, B: 4, ("g", "x"): 1}
    assert scaled(roster, 0.4) == {A: 12, B: 1}  # 0.4 agents: the line is gone


@pytest.mark.parametrize("rule", RULES)
def test_from_its_own_plan_the_warm_start_finds_the_same_roster_with_less_work(rule):
    """The plan's roster is 1-minimal on the same search replications: started from it,
    the planner finds it again — one agent fewer on each line fails — and verifies it,
    simulating fewer (roster, replication) pairs than planning from the requirements."""
    s = ccsim.loads(SMALL)
    cold = planner.plan(s, workers=1, rule=rule, **OPTIONS)
    warm, said = _warm(s, _lines(cold), rule)
    assert _lines(warm) == _lines(cold) and warm.staff_cost == cold.staff_cost
    assert warm.all_met and warm.search["one_minimal"]
    assert warm.search["start"] == "roster" and cold.search["start"] == "requirements"
    assert warm.search["replications_simulated"] < cold.search["replications_simulated"]
    assert any(m.startswith("the scenario's roster: ") and "all met" in m for m in said)
    assert not any(m.startswith("solving the shift schedule") for m in said)


def test_a_roster_that_misses_is_scaled_up_and_trimmed_to_a_verified_1_minimal_plan():
    """Rule `mean`: every line at one agent misses; ×1.5 (two on each line) meets every
    target, and the trim from there ends at the cheapest roster (the one planning from
    the requirements finds: test_plan_quality enumerates it)."""
    s = ccsim.loads(SMALL)
    cold = planner.plan(s, workers=1, rule="mean", **OPTIONS)
    warm, said = _warm(s, {key: 1 for key in _lines(cold)}, "mean")
    assert any(m.startswith("the scenario's roster: 4 agents, 3 target(s) short") for m in said)
    assert any(m.startswith("the scenario's roster ×1.500: 8 agents, all met") for m in said)
    assert warm.all_met and warm.search["one_minimal"] and warm.search["start"] == "roster"
    assert _lines(warm) == _lines(cold)


def test_a_roster_too_far_from_the_answer_is_planned_from_the_requirements():
    """Rule `each`: one agent a line, doubled, still misses chat: the planner says so and
    plans from the requirements, to a verified 1-minimal roster."""
    s = ccsim.loads(SMALL)
    p, said = _warm(s, {("generalist", "early"): 1, ("chat_team", "late"): 1}, "each")
    assert any("still misses at ×2: too far from the answer, planning from the" in m for m in said)
    assert any(m.startswith("solving the shift schedule") for m in said)
    assert p.search["start"] == "requirements"
    assert p.all_met and p.search["one_minimal"]


def test_under_the_rule_each_a_roster_that_misses_ends_where_every_replication_is_met():
    """The rule-`each` stand-in (test_plan_quality: the trim judges replications 0 and 1
    first; 4 binds A at 37 and 3 binds B at 50): from {A: 30, B: 40}, which misses, the
    scaled roster that meets the active replications fails replication 2, which joins
    them; scaling goes on until every replication is met, and the trim one agent at a
    time ends at the edge, 1-minimal."""
    search, judged = _each_stand_in(workers=1)
    search.cost_of = lambda roster: float(sum(roster.values()))
    start = search.start_from({A: 30, B: 40})
    assert start is not None and start[A] >= 37 and start[B] >= 50
    assert start[B] - 50 <= 2 and start[A] - 37 <= 2  # the factor bisected near the edge
    assert (frozenset({A: 34, B: 45}.items()), 2) in set(judged)  # refuted by 2, joined
    roster, minimal = search.trim(start, edge=True)
    assert roster == {A: 37, B: 50} and minimal


def test_from_roster_without_a_roster_is_a_clear_error(tmp_path):
    path = tmp_path / "small.yaml"
    path.write_text(SMALL)  # it has no `roster:`
    r = run_cli("plan", str(path), "-w", "1", "--from-roster")
    assert r.returncode == 1
    assert "no roster to start from" in r.stderr and "Traceback" not in r.stderr
    assert r.stderr.count("\n") == 1


def test_a_warm_start_does_not_depend_on_the_workers():
    """The warm start's trials are judged in the planner's own batches: the same plan
    and the same work on 1 and 2 workers (from a roster with slack, scaled down)."""
    start = _with_roster(ccsim.loads(SMALL), SLACK)
    docs = [
        planner.plan(start, workers=w, rule="each", from_roster=True, **OPTIONS).document()
        for w in (1, 2)
    ]
    for d in docs:
        d["search"].pop("seconds")
    assert docs[0] == docs[1]
    assert docs[0]["search"]["start"] == "roster" and docs[0]["search"]["one_minimal"]


def test_ccsim_plan_from_roster_says_where_it_started(tmp_path):
    path = tmp_path / "small.yaml"
    path.write_text(
        SMALL
        + "roster:\n"
        + "".join(f"  - {{group: {g}, shift: {sh}, agents: {n}}}\n" for (g, sh), n in SLACK.items())
    )
    options = ["-w", "1", "--reps", str(REPS), "--verify", str(VERIFY), "--no-baseline"]
    shown = run_cli("plan", str(path), "--from-roster", *options)
    assert shown.returncode == 0, shown.stderr
    assert "started from the scenario's roster" in " ".join(shown.stdout.split())
    cold = run_cli("plan", str(path), *options)
    assert "correction round(s)" in " ".join(cold.stdout.split())
    assert "started from" not in cold.stdout


def test_a_roster_with_slack_is_scaled_down_to_the_edge_then_trimmed():
    """Rule `each`: the roster meets every target; ×0.75 (9 agents) still does, ×0.5 not:
    the trim from the scaled roster ends at the plan from the requirements, 1-minimal."""
    s = ccsim.loads(SMALL)
    cold = planner.plan(s, workers=1, rule="each", **OPTIONS)
    warm, said = _warm(s, SLACK, "each")
    assert any(m.startswith("the scenario's roster ×0.750: 9 agents, all met") for m in said)
    assert any(m.startswith("the scenario's roster ×0.500: 5 agents, ") for m in said)
    assert warm.search["start"] == "roster" and warm.search["correction_rounds"] == 0
    assert _lines(warm) == _lines(cold) and warm.all_met and warm.search["one_minimal"]


def test_a_roster_that_meets_every_target_at_half_its_size_is_planned_from_the_requirements():
    """Forty agents a line is far above the edge: the planner says so and plans from the
    requirements — the same plan as without `from_roster`."""
    s = ccsim.loads(SMALL)
    cold = planner.plan(s, workers=1, rule="mean", **OPTIONS)
    p, said = _warm(s, {key: 40 for key in SLACK}, "mean")
    assert any("still meets every target at ×0.5: too far from the answer" in m for m in said)
    assert p.search["start"] == "requirements" and _lines(p) == _lines(cold)


def test_after_a_fallback_the_active_replications_are_chosen_as_from_the_requirements():
    """The warm start chose its active replications from the scenario's roster; when it
    gives up, the search chooses them again from the corrected roster, as a plan from
    the requirements does."""
    s = ccsim.loads(SMALL)
    shifts = shift_program.shift_options(s)
    needs = requirements.needs(s, shifts)
    with Runner(1) as runner:
        searches = [
            Search(s, needs, shifts, runner, 2, REPS, VERIFY, [], lambda m: None, "each")
            for _ in range(2)
        ]
        far = {("generalist", "early"): 1, ("chat_team", "late"): 1}
        assert searches[0].start_from(far) is None and searches[0].active is None
        for search in searches:
            search.lower(search.correct())
    assert searches[0].active == searches[1].active


def test_edge_starts_the_trim_one_agent_at_a_time():
    """Without `edge` a line first loses 1/8 of its agents; from a warm start, one."""
    first = []
    for edge in (False, True):
        search, judged = _each_stand_in(workers=1)
        start = {A: 80, B: 120}
        search.trim(start, edge=edge)
        first.append(next(dict(r) for r, _ in judged if dict(r) != start))
    assert first[0] == {A: 80, B: 120 - 120 // 8} and first[1] == {A: 80, B: 119}
