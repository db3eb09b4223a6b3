"""The planner never lies (issue: targets per period): on a peaked single-queue day with
many shift templates and break positions, a target per interval; the plan's verdict is
its roster's fresh verification, every failing target is in `unmet` with its estimate,
and a feasible Erlang baseline is never beaten by a dearer plan."""

from __future__ import annotations

import json
import sys
from types import SimpleNamespace as Fake

import numpy as np
import pytest

import ccsim
from ccsim.cli import main
from ccsim.experiment.runner import run as run_replications
from ccsim.planning import plan as planner
from ccsim.planning import search

# Calls per half hour rising from 06:00 to a late-morning peak and falling to a trickle
# by 21:30 (scenarios/peaked_day.yaml at a seventh of its volume); 6-minute
# gamma service, gamma patience of 2 minutes; 18 templates: a start every hour from
# 06:00 to 14:00, 8.5 h with an unpaid 30-minute lunch after 3 or 4 hours.
SHAPE = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 335, 351.2, 383.8, 412.5, 437.5, 460, 480, 492.5, 497.5, 500, 500, 493.8, 481.2, 468.8, 456.2, 443.8, 431.2, 416.2, 398.8, 380, 360, 337.5, 312.5, 281.2, 243.8, 206.2, 168.8, 131.2, 93.8, 61.2, 33.8, 20, 0, 0, 0, 0]  # fmt: skip
TEMPLATES = "\n".join(
    f'  s{h:02d}_l{b}: {{start: "{h:02d}:00", length: 8.5h, days: mon, '
    f"breaks: [{{after: {b}h, length: 30min}}]}}"
    for h in range(6, 15)
    for b in (3, 4)
)
PEAKED = f"""\
name: peaked day
simulation: {{horizon: 1d, warmup: 0d, interval: 30min, seed: 7}}
channels:
  phone:
    kind: voice
    open: {{mon: "06:00-22:00", tue-sun: closed}}
    patience: {{dist: gamma, mean: 2min, cv: 0.5}}
arrivals:
  phone: {{weekly: 1600, daily: [1, 0, 0, 0, 0, 0, 0], intraday: {SHAPE}}}
reasons:
  call: {{mix: {{phone: 1.0}}, resolve: {{dist: gamma, mean: 6min, cv: 0.24}}}}
anger: off
groups:
  agents: {{skills: {{phone: 1}}, wage: 18}}
shifts:
{TEMPLATES}
roster:
  - {{group: agents, shift: s06_l4, agents: 10}}
targets:
  phone: {{service: [{{within: 20s, at_least: 0.80, per: interval}}]}}
"""
REPS, VERIFY = 6, 15


def peaked() -> ccsim.Scenario:
    return ccsim.loads(PEAKED)


def reverified(p: planner.Plan) -> list:
    """The plan's roster simulated again on the verification seeds."""
    seed = p.search["seed"]
    result = run_replications(p.scenario, VERIFY, seed, workers=1, first=REPS)
    return result.target_checks(search.CONFIDENCE)


@pytest.fixture(scope="module")
def plan():
    return planner.plan(peaked(), workers=1, replications=REPS, verify=VERIFY)


def test_the_plan_meets_every_interval_on_verification_and_says_so(plan):
    assert plan.all_met and plan.unmet == []
    (check,) = plan.checks
    a = check.attainment
    assert a.per == "interval" and a.judged == a.met == 32  # 06:00–22:00, half hours
    assert plan.search["comparisons"] == 32
    # the verdict is the roster's own verification: simulated again, the same figures
    again = reverified(plan)
    assert [(c.met, c.mean, c.bound) for c in again] == [
        (c.met, c.mean, c.bound) for c in plan.checks
    ]
    doc = plan.document()
    assert doc["targets_met"] is True and doc["unmet"] == []


def feasible() -> ccsim.Scenario:
    """The peaked day with 70 % per half hour: its Erlang baseline meets the target."""
    return ccsim.loads(PEAKED.replace("at_least: 0.80", "at_least: 0.70"))


def test_the_plan_is_no_dearer_than_a_feasible_baseline():
    p = planner.plan(feasible(), workers=1, replications=REPS, verify=VERIFY)
    base = p.baseline
    assert base is not None and base.targets_met  # the case this test is about
    assert p.all_met and p.staff_cost <= base.staff_cost + 1e-9
    assert p.search["verified_rosters"] >= 2  # the search's and the baseline's


def test_every_period_of_the_plan_meets_the_target_on_fresh_seeds(plan):
    """A check the verification never saw: 30 replications under another seed. Each
    half hour's pooled estimate must reach the target; per period this is a one-in-20
    event at worst if the verification was right, so allow none below the CI."""
    fresh = run_replications(plan.scenario, 30, 12345, workers=1)
    table = fresh.periods(0.95)
    assert len(table) == 32
    # the verification's one-sided 95 % bound reached 80 % in every period; on fresh
    # seeds, the two-sided 95 % CI of each period must therefore still reach it
    assert (table["ci_high"] >= 0.80).all(), table.loc[table["ci_high"] < 0.8]


class Naive(search.Search):
    """The planner before per-period verification: the search judges targets by their
    estimate, not by the bound its verification will apply — it trims to the edge."""

    def failing(self, result):
        checks = result.target_checks()
        return [c for c in checks if not c.met and not self._set_aside(c)]


def test_a_search_that_trims_to_the_edge_is_caught_and_reported(monkeypatch):
    monkeypatch.setattr(planner, "Search", Naive)
    monkeypatch.setattr(search, "REPAIRS", 0)  # no repair: the verification's verdict stands
    monkeypatch.setattr(search, "ADDITIONS", 0)
    p = planner.plan(peaked(), workers=1, replications=REPS, verify=VERIFY, baseline=False)
    # the case must fall short on this seed (a skip here had let it pass unseen): if the
    # draws change and the naive roster passes, choose a seed on which it does not
    assert not p.all_met, "the naive search's roster passed its verification: no case"
    # it failed: the plan says which targets, with the estimate and the reason
    failing = [c for c in p.checks if not c.met]
    assert failing and len(p.unmet) == len(failing)
    (u,) = p.unmet
    # the estimate is the worst period's, which missed by its one-sided bound (its mean
    # may sit above the goal: 83.0 % with the draws of 2026-12-06, bound under 80 %)
    (c,) = failing
    worst = c.attainment.worst
    assert u.estimate is not None and np.isfinite(u.estimate) and u.estimate == worst.mean
    assert not worst.met and worst.bound < 0.80 and "one-sided bound" in u.reason
    assert "periods met" in u.reason and "worst" in u.reason
    doc = p.document()
    assert doc["targets_met"] is False and doc["unmet"][0]["estimate"] == pytest.approx(
        u.estimate, abs=1e-4
    )


def test_a_roster_mended_by_an_addition_is_never_claimed_1_minimal(monkeypatch):
    # the naive search falls short on verification; with no give-back allowed, the
    # agents added mend it — and each of them can be removed under the search's seeds,
    # so the plan must not say 1-minimal
    monkeypatch.setattr(planner, "Search", Naive)
    monkeypatch.setattr(search, "REPAIRS", 0)
    p = planner.plan(peaked(), workers=1, replications=REPS, verify=VERIFY, baseline=False)
    assert p.search["verification_repairs"] >= 1  # an addition was made (no give-back)
    assert p.search["one_minimal"] is False
    assert [c.met for c in reverified(p)] == [c.met for c in p.checks]


def test_with_a_feasible_baseline_the_naive_search_still_answers_a_verified_roster(
    monkeypatch,
):
    monkeypatch.setattr(planner, "Search", Naive)
    monkeypatch.setattr(search, "REPAIRS", 0)
    monkeypatch.setattr(search, "ADDITIONS", 0)
    p = planner.plan(feasible(), workers=1, replications=REPS, verify=VERIFY)
    assert p.baseline is not None and p.baseline.targets_met
    assert p.all_met and p.staff_cost <= p.baseline.staff_cost + 1e-9
    # whatever it answers, the answer's checks are its own verification
    assert [c.met for c in reverified(p)] == [c.met for c in p.checks]
    assert p.all_met == (not p.unmet)


def test_ccsim_plan_exits_1_with_every_failing_target_named(tmp_path, monkeypatch, capsys):
    """`ccsim plan` on the naive search without repairs (in this process, so that the
    search can be replaced): the best verified roster, the target named with its
    estimate in the JSON and on stderr, exit 1."""
    monkeypatch.setattr(planner, "Search", Naive)
    monkeypatch.setattr(search, "REPAIRS", 0)
    monkeypatch.setattr(search, "ADDITIONS", 0)
    path = tmp_path / "peaked.yaml"
    path.write_text(PEAKED, encoding="utf-8")
    argv = ["ccsim", "plan", str(path), "--json", "-q", "-w", "1", "--no-baseline",
            "--reps", str(REPS), "--verify", str(VERIFY)]  # fmt: skip
    monkeypatch.setattr(sys, "argv", argv)
    with pytest.raises(SystemExit) as ended:
        main()
    out, err = capsys.readouterr()
    assert ended.value.code == 1, err
    doc = json.loads(out)
    assert doc["targets_met"] is False
    (u,) = doc["unmet"]
    (service,) = doc["channels"]["phone"]["service"]
    worst = service["periods"]["worst"]  # the estimate is the worst period's, which missed
    assert (u["channel"], u["metric"]) == ("phone", "sl_20s") and not worst["met"]
    assert u["estimate"] == pytest.approx(worst["mean"], abs=1e-6)
    assert u["name"] == "phone sl_20s ≥ 80% per interval"
    assert "ccsim: unmet target: phone sl_20s ≥ 80% per interval: on verification" in err
    assert "Traceback" not in err


def test_a_target_per_interval_the_rounds_cannot_reach_is_reported_by_its_periods(
    monkeypatch,
):
    """Not reached by the correction rounds, a target per interval says how many periods
    the last roster met and its worst — not the week's mean, which could read as met —
    and the answer keeps that many (the trim used to drop the target: nobody staffed)."""
    monkeypatch.setattr(search, "CORRECTION_ROUNDS", 1)
    p = planner.plan(peaked(), workers=1, replications=REPS, verify=VERIFY, baseline=False)
    (unmet,) = p.unmet
    searched = unmet.reason.split("; on verification")[0]
    assert "not reached after 1 rounds" in searched
    assert "interval periods met, 100% required; worst mon" in searched
    assert "best" not in searched
    kept = int(searched.split("planned to keep what the first reached: ")[1].split(" of 32")[0])
    assert kept > 0 and p.headcount["agents"] > 0
    assert unmet.planned_periods == kept and unmet.planned is None  # plan.json says it too
    (written,) = p.document()["unmet"]
    assert written["planned_periods"] == kept and written["planned"] is None
    # the answer keeps them on the search replications, judged as the search judges
    # (the verification reports, it does not chase a level the search kept)
    again = run_replications(p.scenario, REPS, p.search["seed"], workers=1)
    (check,) = again.target_checks(search.CONFIDENCE, planned=VERIFY)
    assert check.attainment.met >= kept


def test_a_feasible_baseline_beats_a_cheaper_plan_that_misses_a_target_kept(monkeypatch):
    # one correction round: the search keeps the 70 % per half hour at what its first
    # roster reached and answers cheaper — but the Erlang baseline meets every half hour
    # on verification, and a plan that meets every target wins over one that does not
    monkeypatch.setattr(search, "CORRECTION_ROUNDS", 1)
    p = planner.plan(feasible(), workers=1, replications=REPS, verify=VERIFY)
    assert p.baseline is not None and p.baseline.targets_met
    assert p.all_met and p.unmet == [] and p.staff_cost <= p.baseline.staff_cost + 1e-9


def test_of_rosters_missing_the_same_targets_the_one_missing_fewest_periods_is_answered():
    # a cheaper Erlang baseline meeting 29 of 40 half hours (worst 68 %) was answered over
    # the search's 31 of 40 (worst 83 %): cost came before how far each fell short

    def candidate(cost: float, failing: int, source: str) -> search.Candidate:
        miss = Fake(met=False, attainment=Fake(failing=tuple(range(failing))))
        met = Fake(met=True, attainment=None)
        staffing = Fake(checks=[miss, met], staff_cost=cost, headcount={"agents": int(cost)})
        return search.Candidate(staffing, True, source)

    cheap, close = candidate(9499.58, 11, "erlang_baseline"), candidate(10535.03, 9, "search")
    for required in (True, False):  # kept by the search ("planned to keep 35 of 40") or not
        fake = Fake(candidates={1: cheap, 2: close}, _required=lambda x, r=required: r)
        assert search.Search.best(fake) is close
    # fewer targets missed still comes first, and with equal shortfalls the cheaper
    fewer = candidate(12000.0, 0, "search")
    fewer.staffing.checks[0] = Fake(met=True, attainment=None)
    fake = Fake(candidates={1: cheap, 2: close, 3: fewer}, _required=lambda x: True)
    assert search.Search.best(fake) is fewer
    same = candidate(10000.0, 11, "search")
    fake = Fake(candidates={1: cheap, 2: same}, _required=lambda x: True)
    assert search.Search.best(fake) is cheap
    # a missed target over the week is one failed comparison, as one missed interval is:
    # the cheaper of the two (the week's counted 0 and won whatever its cost)
    week = candidate(20000.0, 0, "search")
    week.staffing.checks[0] = Fake(met=False, attainment=None)
    one = candidate(9000.0, 1, "erlang_baseline")
    fake = Fake(candidates={1: week, 2: one}, _required=lambda x: True)
    assert search.Search.best(fake) is one


EDGE = """\
name: edge
simulation: {horizon: 1d, warmup: 0d, interval: 1h, seed: 5, replications: 3}
channels:
  phone: {kind: voice, patience: {dist: exponential, mean: 5min}}
arrivals:
  phone: {weekly: 1092, daily: uniform, intraday: [0,0,0,0,0,0,0,0,0,1,1,1.5,1,1,1,1,0,0,0,0,0,0,0,0]}
reasons:
  call: {mix: {phone: 1.0}, resolve: {dist: exponential, mean: 3min}}
anger: off
groups:
  agents: {skills: {phone: 1}, wage: 20}
shifts:
  day: {start: "08:00", length: 10h}
targets:
  phone: {service: [{within: 20s, at_least: 0.8, per: interval, min_offered: 26}]}
"""


def test_a_target_the_search_replications_judge_nowhere_is_a_plan_error_not_0_agents():
    # the busiest hour expects 31.2 calls, above min_offered 26 (validate is silent), but
    # its mean over 3 search replications of seed 7 is below: every roster "kept 0 of 0"
    # periods and the trim removed every agent, 100 % of calls lost (a review, 2026-12-07)
    s = ccsim.loads(EDGE)
    assert not [w for w in s.warnings if "min_offered" in w.field]
    with pytest.raises(planner.PlanError, match=r"on the search's 3 replications no interval "
                       r"period judged, so not met: the 7 with contacts"):  # fmt: skip
        planner.plan(s, seed=7, replications=3, verify=3, workers=1)
    p = planner.plan(s, seed=7, replications=12, verify=4, workers=1)  # nearer the forecast
    assert sum(p.headcount.values()) > 0
