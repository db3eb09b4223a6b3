"""The planner: requirements, the shift-scheduling program, the simulate–correct–trim
search, unmet targets, the anger feedback and the Erlang baseline."""

from __future__ import annotations

import html
import json
import re
from dataclasses import replace
from io import StringIO

import numpy as np
import pytest
from rich.console import Console
from ruamel.yaml import YAML

import ccsim
from ccsim import erlang
from ccsim.experiment.runner import Runner
from ccsim.finance import cost
from ccsim.measure.targets import TargetCheck, lead
from ccsim.model import work
from ccsim.planning import highs, requirements, search
from ccsim.planning import plan as planner
from ccsim.planning import shift_program as scheduling
from ccsim.planning.requirements import Need
from ccsim.planning.staffing import roster_of
from ccsim.report import console
from ccsim.report import folders as output
from ccsim.scenario import timegrid
from conftest import SCENARIOS
from test_cli import ccsim as run_cli
from test_experiment import html_tables

# A stationary voice queue: 100 calls per 30 min, AHT 3 min, patience 5 min (Erlang A),
# one 24-hour shift. Target 90 % in 20 s: Erlang A needs exactly 14 agents
# (13 give 85.8 %, 14 give 91.7 %).
QUEUE = """\
name: stationary queue
simulation: {{horizon: 2d, warmup: 2h, interval: 30min, seed: 5}}
channels:
  phone: {{kind: voice, patience: {{dist: exponential, mean: 5min}}, tolerance: 3min}}
arrivals:
  phone: {{weekly: {weekly}, daily: uniform, intraday: flat}}
reasons:
  call:
    mix: {{phone: 1.0}}
    resolve: {{dist: exponential, mean: 3min}}
    anger: {{mean: {anger}, concentration: 8}}
anger: {anger_switch}
groups:
  agents: {{skills: {{phone: 1}}, wage: 20}}
shifts:
  always: {{start: "00:00", length: 24h}}
targets:
  phone: {{service: [{{within: 20s, at_least: {goal}}}]}}
"""


def queue(weekly=100 * 48 * 7, goal=0.90, anger=0.2, anger_switch="off") -> ccsim.Scenario:
    return ccsim.loads(
        QUEUE.format(weekly=weekly, goal=goal, anger=anger, anger_switch=anger_switch)
    )


def test_requirements_of_a_stationary_queue_are_the_erlang_a_staffing():
    s = queue()
    need = requirements.needs(s)["phone"]
    expected = erlang.required_agents_erlang_a(100 / 30, 3.0, 5.0, 20 / 60, 0.90)
    assert expected == 14
    assert (need.agents == expected).all()
    assert need.contacts.sum() == pytest.approx(100 * 48 * 7)


def test_the_planner_returns_exactly_the_erlang_a_staffing_for_a_stationary_queue(tmp_path):
    s = queue()
    result = planner.plan(s, workers=1, replications=6, verify=10, baseline=False)
    assert result.headcount == {"agents": 14}
    assert result.all_met and result.search["one_minimal"]
    # the Python API writes what `ccsim plan --out` writes
    doc = result.document()
    assert doc["headcount"] == {"agents": 14} and doc["cost"] == result.cost
    folder = ccsim.save(result, tmp_path / "plan")
    assert json.loads((folder / "plan.json").read_text())["roster"] == doc["roster"]
    assert "agents: 14" in (folder / "roster.yaml").read_text()
    # 1-minimal: 13 agents miss the target on the verification seeds as well
    thirteen = ccsim.with_changes(
        s, {"roster": [{"group": "agents", "shift": "always", "agents": 13}]}
    )
    fewer = ccsim.simulate(thirteen, replications=10, seed=5)
    assert fewer.summary["sl_20s"].mean() < 0.90


def test_a_plan_does_not_depend_on_the_number_of_workers_or_on_dask():
    distributed = pytest.importorskip("dask.distributed")
    s = queue(weekly=60 * 48 * 7)
    options = dict(replications=4, verify=4, baseline=False, seed=3)
    one = planner.plan(s, workers=1, **options)
    two = planner.plan(s, workers=2, **options)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        dask = planner.plan(s, scheduler=cluster.scheduler_address, **options)
    for other in (two, dask):
        assert other.headcount == one.headcount
        assert other.result.summary.equals(one.result.summary)


def test_a_budget_in_rosters_stops_the_trim_at_the_same_roster_on_any_number_of_workers():
    s = queue(weekly=60 * 48 * 7)
    options = dict(replications=4, verify=4, baseline=False, seed=3, time_budget=3600.0)
    full = planner.plan(s, workers=1, **options)
    assert full.search["one_minimal"]
    budget = max(1, full.search["simulations"] - 3)  # the trim is cut before it ends
    # (at least 1: no budget at all is refused)
    one = planner.plan(s, workers=1, max_rosters=budget, **options)
    two = planner.plan(s, workers=2, max_rosters=budget, **options)
    assert not one.search["one_minimal"]
    # and says why (a budget 30 times what the trim used read as its reason: a walkthrough)
    rosters = f"{budget} roster{'s' if budget != 1 else ''}"
    assert one.search["unproven"] == (
        f"the trim stopped at its budget of {rosters}: --max-rosters, max_rosters= in Python"
    )
    # the budget's unit: a roster on every search replication, or a verification, is one
    assert budget <= one.search["work"] <= one.search["simulations"]
    assert full.search["unproven"] == ""
    out = StringIO()
    console.render_plan(one.plan_document(), Console(file=out, width=400))
    said = " ".join(out.getvalue().split())
    assert (
        f"NOT proven 1-minimal (the trim stopped at its budget of {rosters}: "
        "--max-rosters, max_rosters= in Python)"
    ) in said
    assert one.search["simulations"] < full.search["simulations"]
    assert sum(one.headcount.values()) >= sum(full.headcount.values())
    assert two.headcount == one.headcount
    assert two.result.summary.equals(one.result.summary)


def test_the_default_trim_budget_is_work_not_time():
    # as many rosters as simulate SEARCH_CONTACTS contacts on the search replications
    assert planner.roster_budget(1.44e6, 16) == 17  # large_center.yaml's week
    assert planner.roster_budget(23_550, 8) == 2_123  # the example's
    assert planner.roster_budget(50e6, 16) == planner.MIN_ROSTERS  # a huge week
    assert planner.roster_budget(0.0, 8) == planner.SEARCH_CONTACTS  # no contacts at all


def test_without_a_budget_given_the_plan_is_cut_by_its_work_budget_the_same_on_any_workers(
    monkeypatch,
):
    s = queue(weekly=60 * 48 * 7)
    options = dict(replications=4, verify=4, baseline=False, seed=3)
    full = planner.plan(s, workers=1, **options)
    assert full.search["one_minimal"]
    rosters = full.search["simulations"] - 2  # the trim's last trial is cut
    contacts = work.estimate(s).contacts
    monkeypatch.setattr(planner, "MIN_ROSTERS", 1)
    monkeypatch.setattr(planner, "SEARCH_CONTACTS", contacts * 4 * (rosters + 0.5))
    one = planner.plan(s, workers=1, **options)
    two = planner.plan(s, workers=2, **options)
    assert not one.search["one_minimal"]
    assert one.search["simulations"] == two.search["simulations"] < full.search["simulations"]
    assert two.headcount == one.headcount
    assert two.result.summary.equals(one.result.summary)


# --- the scheduling program against brute force ----------------------------------------

TWO_INTERVALS = """\
name: two intervals
simulation: {horizon: 7d, interval: 12h}
channels:
  phone: {kind: voice}
  chat: {kind: voice}
arrivals:
  phone: {weekly: 1, daily: [1, 0, 0, 0, 0, 0, 0], intraday: [1, 1]}
  chat: {weekly: 1, daily: [1, 0, 0, 0, 0, 0, 0], intraday: [1, 1]}
reasons:
  r: {mix: {phone: 1, chat: 1}, resolve: 3min}
anger: off
groups:
  both: {skills: {phone: 1, chat: 2}, wage: 20}
  phone_only: {skills: {phone: 1}, wage: 14}
shifts:
  night: {start: "00:00", length: 12h, days: mon}
  day: {start: "12:00", length: 12h, days: mon}
  middle: {start: "06:00", length: 12h, days: mon}
"""


def _need(name: str, agents: list[float]) -> Need:
    n = 14  # 7 days × 2 intervals
    required = np.zeros(n)
    required[: len(agents)] = agents
    return Need(name, "voice", np.ones(n), np.ones(n), np.ones(n), np.zeros(n), required)


@pytest.mark.parametrize(
    "phone, chat",
    [([3, 5], [1, 2]), ([4, 1], [2, 3]), ([0, 6], [3, 0]), ([2, 2], [2, 2])],
)
def test_the_shift_program_finds_the_brute_force_optimum(phone, chat):
    s = ccsim.loads(TWO_INTERVALS)
    needs = {"phone": _need("phone", phone), "chat": _need("chat", chat)}
    shifts = dict(s.shifts)
    schedule = scheduling.solve(s, needs, shifts)

    cov = np.array([timegrid.coverage(s, shifts[n])[:2] for n in shifts])  # (shifts, 2)
    assert cov.tolist() == [[1, 0], [0, 1], [0.5, 0.5]]
    names = list(shifts)
    unit = np.array([[cost.agent_cost(s, g, shifts[n]) for n in names] for g in s.groups])
    # every roster with 0..7 agents per group × shift, as rows of (both, phone_only)
    y = np.indices((8,) * 2 * len(names)).reshape(2 * len(names), -1).T
    both, phone_only = y[:, : len(names)], y[:, len(names) :]
    cap_both, cap_phone = both @ cov, phone_only @ cov  # (rosters, 2 intervals)
    # Hall's condition for the fluid assignment of two groups to two channels
    ok = (np.array(chat) <= cap_both + 1e-9).all(axis=1) & (
        np.array(phone) + np.array(chat) <= cap_both + cap_phone + 1e-9
    ).all(axis=1)
    best = (both @ unit[0] + phone_only @ unit[1])[ok].min()
    assert schedule.cost == pytest.approx(best)
    assert not schedule.uncovered


def test_the_shift_program_staffs_the_same_roster_in_any_currency():
    # an agent-interval uncovered cost a fixed 10⁶: less than a 12-hour shift at 200,000
    # rupiah an hour, so the program left the calls uncovered instead of rostering
    s = ccsim.loads(TWO_INTERVALS)
    rich = ccsim.loads(TWO_INTERVALS.replace("wage: 20}", "wage: 200000}").replace(
        "wage: 14}", "wage: 140000}"))  # fmt: skip
    needs = {"phone": _need("phone", [3, 5]), "chat": _need("chat", [1, 2])}
    euros = scheduling.solve(s, needs, dict(s.shifts))
    rupiah = scheduling.solve(rich, needs, dict(rich.shifts))
    assert not rupiah.uncovered and rupiah.agents == euros.agents


def test_coverage_excludes_breaks_and_wraps_past_midnight():
    s = ccsim.with_changes(
        ccsim.loads(TWO_INTERVALS),
        {
            "simulation.interval": "1h",
            "arrivals.phone.intraday": "flat",
            "arrivals.chat.intraday": "flat",
            "shifts.night": {
                "start": "22:00",
                "length": "8h",
                "days": "sun",
                "breaks": [{"after": "4h", "length": "1h"}],
            },
        },
    )
    cov = timegrid.coverage(s, s.shifts["night"])
    assert cov.sum() == pytest.approx(7.0)  # 8 h minus a 1-h break
    assert cov[-2:].tolist() == [1.0, 1.0]  # Sunday 22:00-24:00 ...
    assert cov[:6].tolist() == [1.0, 1.0, 0.0, 1.0, 1.0, 1.0]  # ... into Monday, break 02:00


def test_a_start_grid_adds_each_template_at_every_start():
    s = ccsim.loads(TWO_INTERVALS)
    options = scheduling.shift_options(s, 60.0)
    assert len(options) == 3 * 24
    assert options["night@05:00"].start == 300.0
    assert options["night@05:00"].length == s.shifts["night"].length


@pytest.mark.parametrize("grid", ["22.5min", "30s", "25h"])
def test_a_start_grid_that_is_not_whole_minutes_up_to_a_day_is_refused(grid, tmp_path):
    # starts are written HH:MM: at 22.5 min, `early@16:08` would name a shift simulated
    # at 16:07:30, and the roster written would not be the roster verified
    shop = str(SCENARIOS / "small_shop.yaml")
    r = run_cli("plan", shop, "--start-grid", grid, "--out", str(tmp_path / "p"))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.strip() == (
        "ccsim: error: --start-grid: the start grid must be a whole number of minutes "
        "from 1min to 24h"
    )
    assert not (tmp_path / "p").exists()
    with pytest.raises(planner.PlanError, match=r"whole number of minutes .*\(got 22\.5min\)"):
        planner.plan(ccsim.load(shop), start_grid=22.5, workers=1)
    # from Python: said in minutes, as given (-30 was "got -1800s"; "30min" a TypeError,
    # then refused; now a duration with its unit, so "22.5min" is 22.5 minutes)
    for given, said in [(-30, "(got -30 minutes)"), ("22.5min", "(got 22.5min)"),
                        ("30", "or a number of minutes, got '30'")]:  # fmt: skip
        with pytest.raises(planner.PlanError, match=re.escape(said)):
            planner.plan(ccsim.load(shop), start_grid=given, workers=1)
    with pytest.raises(planner.PlanError, match="or a number of seconds, got '300'"):
        planner.plan(ccsim.load(shop), time_budget="300", workers=1)  # seconds? minutes?
    with pytest.raises(planner.PlanError, match="time_budget must be seconds above 0, got -5"):
        planner.plan(ccsim.load(shop), time_budget=-5, workers=1)


def test_the_shift_program_is_limited_by_work_not_time(monkeypatch):
    # a time limit would make the first roster, and so the plan, depend on the machine's
    # speed and load (same scenario and seed, different plans); a node limit does not
    seen = []

    def milp(*args, **kwargs):
        seen.append(dict(kwargs["options"]))  # (milp empties the dict it is given)
        return real(*args, **kwargs)

    real = highs.milp
    monkeypatch.setattr(highs, "milp", milp)
    s = ccsim.loads(TWO_INTERVALS)
    needs = {"phone": _need("phone", [3, 5]), "chat": _need("chat", [1, 2])}
    scheduling.solve(s, needs, scheduling.shift_options(s))
    scheduling.solve(s, needs, scheduling.shift_options(s, 60.0))  # many templates
    assert [o.get("node_limit") for o in seen] == [scheduling.NODES, scheduling.MANY_NODES]
    assert not any("time_limit" in o for o in seen)


def test_a_shift_program_without_a_solution_is_a_plan_error(monkeypatch):
    class NoSolution:
        x, status, message = None, 1, "Node limit reached"

    monkeypatch.setattr(highs, "milp", lambda *a, **k: NoSolution())
    s = ccsim.loads(TWO_INTERVALS)
    needs = {"phone": _need("phone", [3, 5])}
    with pytest.raises(planner.PlanError, match="found no roster: Node limit reached"):
        scheduling.solve(s, needs, scheduling.shift_options(s))


# --- message deadlines and unmet targets -------------------------------------------------

MESSAGES = """\
name: short opening
simulation: {{horizon: 2d, warmup: 1d, interval: 1h, seed: 2}}
channels:
  email: {{kind: message, open: {{mon-sun: "{hours}"}}}}
  phone: {{kind: voice, patience: 3min}}
arrivals:
  email: {{weekly: 700, daily: uniform, intraday: flat}}
  phone: {{weekly: 700, daily: uniform, intraday: flat}}
reasons:
  r: {{mix: {{email: 1, phone: 1}}, resolve: {{dist: exponential, mean: 4min}}}}
anger: off
groups:
  agents: {{skills: {{phone: 1, email: 2}}, wage: 15}}
shifts:
  day: {{start: "00:00", length: 24h}}
targets:
  email: {{service: [{{within: 1h, at_least: 0.9}}, {{within: 24h, at_least: 0.95}}]}}
  phone: {{service: [{{within: 30s, at_least: 0.8}}]}}
"""


def test_the_reachable_share_of_a_deadline_follows_the_opening_hours():
    s = ccsim.loads(MESSAGES.format(hours="09:00-10:00"))
    email = requirements.needs(s)["email"]
    one_hour, day = email.deadlines
    # flat arrivals: those from 08:00 to 09:56 can be answered within the hour
    # (the reply itself takes 4 min) — about 2 of 24 hours
    assert one_hour.bound == pytest.approx((60 + 56) / 1440, abs=0.01)
    assert day.bound == pytest.approx(1.0)


def test_an_impossible_target_is_unmet_with_its_reason_and_the_rest_is_planned():
    s = ccsim.loads(MESSAGES.format(hours="09:00-10:00"))
    result = planner.plan(s, workers=1, replications=4, verify=6, baseline=False)
    assert [(u.channel, u.metric) for u in result.unmet] == [("email", "sl_1h")]
    assert result.unmet[0].name == "email sl_1h ≥ 90%"
    assert "at most 8.1% of email contacts" in result.unmet[0].reason
    assert not result.all_met
    met = {(c.channel, c.metric): c.met for c in result.checks}
    assert met[("phone", "sl_30s")] and met[("email", "sl_24h")]
    # the roster to paste does not claim what the plan did not achieve
    assert "NOT every target is met" in output.roster_yaml(result)


def test_a_notebook_shows_a_plans_roster_its_targets_and_what_it_could_not_meet():
    # Jupyter showed one line; the roster, the targets and the reasons took three cells
    s = ccsim.with_changes(  # (a name with ": " cut the baseline's line: a review)
        ccsim.loads(MESSAGES.format(hours="09:00-10:00")), {"name": "Shop: <b>winter</b> & co"}
    )
    result = planner.plan(s, workers=1, replications=4, verify=6)
    fragment = result._repr_html_()
    assert "Plan &#x27;Shop: &lt;b&gt;winter&lt;/b&gt; &amp; co&#x27;: " in fragment
    roster, targets = html_tables(fragment)
    currency = s.costs.currency
    assert roster.columns.tolist() == [
        "group", "shift", "days", "agents", "paid hours", f"cost ({currency}/week)"
    ]  # fmt: skip
    assert roster["agents"].astype(int).tolist() == result.roster["agents"].tolist()
    pay = roster[f"cost ({currency}/week)"].str.replace(",", "").astype(float).sum()
    assert pay == pytest.approx(result.staff_cost, abs=0.005)
    assert targets.columns.tolist() == ["target", "mean", "95 % CI", "judged by", "met"]
    bounds = {c.name: (f"{100 * c.bound:.1f} %", "yes" if c.met else "NO") for c in result.checks}
    shown = targets.set_index("target")
    assert {k: (row["judged by"], row["met"]) for k, row in shown.iterrows()} == bounds
    assert bounds["email sl_1h ≥ 90%"][1] == "NO"
    reason = html.escape(f"Not met: email sl_1h ≥ 90%: {result.unmet[0].reason}")
    assert reason in fragment
    people = sum(result.baseline.headcount.values())
    assert f"Erlang baseline: {people} people" in fragment


def test_the_roster_to_paste_names_a_group_the_plan_leaves_empty():
    # a dearer group with the same skill gets nobody; pasted back, validate would warn
    # "group has no agents on the roster": the roster's header says so first
    s = ccsim.with_changes(
        ccsim.loads(MESSAGES.format(hours="00:00-24:00")),
        {"groups.dear": {"skills": {"phone": 1, "email": 2}, "wage": 40}},
    )
    result = planner.plan(s, workers=1, replications=4, verify=6, baseline=False)
    assert {r.group for r in result.scenario.roster if r.agents} == {"agents"}
    text = output.roster_yaml(result)
    assert "the plan gives no agents to 'dear': `ccsim validate` warns of each" in text


def test_a_target_per_interval_is_not_set_aside_by_the_share_of_the_week():
    # one opening hour a day: within 1 h, 90 % of the week cannot be met, but 90 % in
    # 5 % of the hours can (the two hours before each opening): the search plans for it
    s = ccsim.with_changes(
        ccsim.loads(MESSAGES.format(hours="09:00-10:00")),
        {
            "targets.email.service": [
                {"within": "1h", "at_least": 0.9},
                {"within": "1h", "at_least": 0.9, "per": "interval", "in": 0.05},
            ]
        },
    )
    unmet = search.unreachable(s, requirements.needs(s))
    assert [u.name for u in unmet] == ["email sl_1h ≥ 90%"]


def test_a_target_out_of_reach_does_not_change_another_of_the_same_channel_and_deadline():
    # `email sl_1h ≥ 90%` is out of reach (planned for at 90 % of the reachable share);
    # `email sl_1h ≥ 5%` is not and keeps its own goal (and not the other's reason)
    s = ccsim.with_changes(
        ccsim.loads(MESSAGES.format(hours="09:00-10:00")),
        {
            "targets.email.service": [
                {"within": "1h", "at_least": 0.9},
                {"within": "1h", "at_least": 0.05},
            ]
        },
    )
    needs = requirements.needs(s)
    unmet = search.unreachable(s, needs)
    assert [(u.name, u.goal) for u in unmet] == [("email sl_1h ≥ 90%", 0.9)]
    (reachable,) = [d.bound for d in needs["email"].deadlines if d.share == 0.9]
    assert unmet[0].planned == pytest.approx(0.9 * reachable)
    shifts = scheduling.shift_options(s)
    looking = search.Search(s, needs, shifts, None, 1, 4, 6, unmet, lambda m: None, "mean")
    nobody = ccsim.with_changes(s, {"roster": [{"group": "agents", "shift": "day", "agents": 0}]})
    result = ccsim.simulate(nobody, replications=2, seed=1, workers=1)
    short = {c.name: c for c in looking.failing(result)}
    assert {"email sl_1h ≥ 5%", "email sl_1h ≥ 90%"} <= set(short)  # nobody answers
    high, low = short["email sl_1h ≥ 90%"], short["email sl_1h ≥ 5%"]
    assert looking.margin(high) == pytest.approx(high.bound - 0.9 * reachable)
    assert looking.margin(low) == pytest.approx(low.bound - 0.05)
    # the shift program drops a target by name only
    both = scheduling.solve(s, needs, shifts, {"email sl_1h ≥ 90%": 0.0})
    alone = ccsim.with_changes(s, {"targets.email.service": [{"within": "1h", "at_least": 0.05}]})
    assert both.agents == scheduling.solve(alone, requirements.needs(alone), shifts).agents


DEDICATED = """\
name: whatsapp answered by day only
simulation: {horizon: 7d, warmup: 1d, interval: 1h, seed: 2}
channels:
  whatsapp: {kind: message, open: {mon-sun: "00:00-24:00"}}
  phone: {kind: voice, patience: 3min, open: {mon-sun: "08:00-20:00"}}
arrivals:
  whatsapp: {weekly: 2000, daily: uniform, intraday: flat}
  phone: {weekly: 2000, daily: uniform, intraday: business_hours}
reasons:
  r: {mix: {whatsapp: 1, phone: 1}, resolve: {dist: exponential, mean: 4min}}
anger: off
groups:
  wa: {skills: {whatsapp: 1}, wage: 15}
  ph: {skills: {phone: 1}, wage: 15}
shifts:
  day: {start: "08:00", length: 8h, days: mon-fri}
  late: {start: "12:00", length: 8h, days: mon-sun}
targets:
  whatsapp: {service: [{within: 1h, at_least: 0.9}]}
  phone: {service: [{within: 30s, at_least: 0.8}]}
"""


@pytest.mark.parametrize("goal", [0.9, 0.99])
def test_a_channel_whose_only_target_is_out_of_reach_is_still_staffed(goal):
    # messages arriving at night cannot be answered within 1 h: at most 49.1 % can. The
    # planner used to set the target aside and, the channel having no other target and
    # its own group, staff nobody for it (0 % answered). It now plans for the target's
    # share of the reachable ones — at most what the shift program's roster for it
    # reached: first come, first served, the night's messages go first, and pushing
    # further cost 8 correction rounds and 107 agents for 47.5 % (goal 99 %) in a review
    s = ccsim.loads(DEDICATED.replace("at_least: 0.9}", f"at_least: {goal}}}"))
    said: list[str] = []
    p = planner.plan(s, workers=1, replications=4, verify=6, baseline=False, progress=said.append)
    (u,) = p.unmet
    # the progress does not say "all met" of a roster that meets only the level planned
    verdicts = [m.split(" agents, ")[1].split(" · ")[0] for m in said if " agents, " in m]
    assert verdicts and "all met" not in verdicts, said
    assert "all met as planned (1 unmet target(s) below goal)" in verdicts, said
    assert u.name == f"whatsapp sl_1h ≥ {goal:.0%}" and "; planned for " in u.reason
    assert 0 < u.planned <= goal * 0.491 and f"planned for {u.planned:.1%}" in u.reason
    assert 0 < p.headcount["wa"] < 40 and p.search["one_minimal"]
    assert p.search["correction_rounds"] == 1
    check = next(c for c in p.checks if c.name == u.name)
    assert not check.met and check.ci[1] >= u.planned  # the share planned for, on fresh seeds
    assert next(c for c in p.checks if c.channel == "phone").met
    if goal == 0.9:  # planned again from its own roster: the same share, the same plan
        lines = [
            {"group": g, "shift": h, "agents": n} for (g, h), n in roster_of(p.scenario).items()
        ]
        again = planner.plan(
            ccsim.with_changes(s, {"roster": lines}), workers=1, replications=4, verify=6,
            baseline=False, from_roster=True,
        )  # fmt: skip
        assert again.unmet[0].planned == u.planned and again.staff_cost == p.staff_cost


SATURDAY = """\
name: saturday mornings
simulation: {{horizon: 2d, warmup: 1d, interval: 1h, seed: 2}}
channels:
  email: {{kind: message, open: {{sat: "09:00-12:00", mon-fri: closed, sun: closed}}}}
arrivals:
  email: {{weekly: 300, daily: [0, 0, 0, 0, 0, 1, 0], intraday: flat}}
reasons:
  r: {{mix: {{email: 1}}, resolve: {{dist: exponential, mean: 4min}}}}
anger: off
groups:
  agents: {{skills: {{email: 1}}, wage: 15}}
shifts:
  day: {{start: "00:00", length: 24h}}
targets:
  email: {{service: [{{within: {within}, at_least: 0.9}}]}}
"""


@pytest.mark.parametrize("within", ["1min", "1h"])
def test_a_target_out_of_reach_with_nothing_to_measure_is_planned_without_rounds(within):
    # e-mail only on Saturday mornings, a window of Monday and Tuesday: within 1 min
    # nothing is reachable (a division by zero in a review), within 1 h some is, but
    # nothing is measured (8 rounds and 111 agents in a review); nothing offered in the
    # window, nothing missed
    s = ccsim.loads(SATURDAY.format(within=within))
    p = planner.plan(s, workers=1, replications=4, verify=6, baseline=False)
    assert p.search["correction_rounds"] == 1 and p.headcount == {"agents": 0}
    assert p.all_met and p.unmet == []


NIGHT_LINE = """\
name: answered
simulation: {horizon: 2d, warmup: 1d, interval: 1h, seed: 2, sl_definition: answered}
channels:
  phone: {kind: voice, patience: 3min, open: {mon-sun: "00:00-24:00"}}
arrivals:
  phone: {weekly: 2000, daily: uniform, intraday: flat}
reasons:
  r: {mix: {phone: 1}, resolve: {dist: exponential, mean: 4min}}
anger: off
groups:
  agents: {skills: {phone: 1}, wage: 15}
shifts:
  day: {start: "08:00", length: 12h}
targets:
  phone: {service: [{within: 20s, at_least: 0.8}]}
"""


def test_under_answered_a_caller_who_cannot_be_answered_in_time_is_not_counted():
    # a phone line open all night, agents by day: under `sl_definition: answered` the
    # night's callers give up (3 min) and leave the denominator, so 80 % in 20 s is in
    # reach (it was judged out of reach: "at most 50.0 %", and planned for 40 %)
    s = ccsim.loads(NIGHT_LINE)
    assert search.unreachable(s, requirements.needs(s)) == []
    p = planner.plan(s, workers=1, replications=4, verify=6, baseline=False)
    assert p.all_met and p.unmet == []


def test_under_answered_callers_patient_enough_to_wait_for_the_morning_count():
    # with a patience of 2 h some of the night's callers are still waiting at 08:00 and
    # are answered late: 90 % in 20 s is out of reach, and planned for (in a review the
    # correction rounds went from 3 agents to 10 for a point and a half)
    s = ccsim.loads(NIGHT_LINE.replace("patience: 3min", "patience: 2h").replace("0.8}", "0.9}"))
    (u,) = search.unreachable(s, requirements.needs(s))
    reach = next(d.bound for d in requirements.needs(s)["phone"].deadlines)
    assert 0.5 < reach < 0.9 and u.planned == pytest.approx(0.9 * reach)
    p = planner.plan(s, workers=1, replications=4, verify=6, baseline=False)
    assert p.search["correction_rounds"] == 1 and p.headcount["agents"] <= 4


def test_a_channel_nobody_is_on_duty_for_is_unmet():
    s = ccsim.with_changes(
        ccsim.loads(MESSAGES.format(hours="00:00-24:00")),
        {"shifts.day": {"start": "09:00", "length": "1h"}},
    )
    unmet = search.unreachable(s, requirements.needs(s))
    # one hour on duty a day: within 1 h (e-mail) or 30 s (phone) is out of reach,
    # within 24 h is not
    assert {(u.channel, u.metric) for u in unmet} == {("email", "sl_1h"), ("phone", "sl_30s")}


def test_a_requirement_beyond_a_roster_line_is_a_plan_error_not_a_hang():
    # empathy decay 1e-9: venting takes ~1e8 minutes, so Erlang A would be asked for
    # ~1e7 agents (and take hours); the planner says why instead
    s = queue(anger_switch="on", anger=0.9)
    s = ccsim.with_changes(s, {"anger.empathy_decay": 1e-9})
    with pytest.raises(planner.PlanError, match=r"need more than 100,000 agents"):
        planner.plan(s, workers=1, replications=2, verify=2, baseline=False)


def test_run_out_of_a_scenario_beyond_the_planning_limit_is_saved_without_a_requirement(
    tmp_path,
):
    # the run folder's report builds the requirements too: until 2026-12-06 the same
    # PlanError, after the run (one line, the run lost); now the run is saved without it
    text = QUEUE.format(weekly=100 * 48 * 7, goal=0.9, anger=0.9, anger_switch="on")
    text = text.replace("anger: on", "anger: {empathy_decay: 1.0e-9}")
    text += "roster: [{group: agents, shift: always, agents: 40}]\n"  # run needs one
    (tmp_path / "s.yaml").write_text(text)
    r = run_cli("run", str(tmp_path / "s.yaml"), "-n", "1", "--out", str(tmp_path / "out"))
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    assert (tmp_path / "out" / "run.json").is_file()
    assert len((tmp_path / "out" / "requirements.csv").read_text().splitlines()) == 1


def test_without_patience_the_requirement_is_erlang_b():
    # patience 0: a call is answered at once or lost — the loss system of Erlang B
    rate, aht = 2.0, 3.0  # 6 erlangs
    n, wait = requirements.agents_for(rate, aht, 0.0, [(20 / 60, 0.9)], None)
    assert erlang.erlang_b(6.0, n) <= 0.1 < erlang.erlang_b(6.0, n - 1)
    assert wait == 0.0


# --- the anger feedback -------------------------------------------------------------------


def test_anger_raises_handle_times_and_the_requirement():
    calm = queue(anger=0.5, anger_switch="off")
    angry = queue(anger=0.5, anger_switch="on")
    calm_need = requirements.needs(calm)["phone"]
    angry_need = requirements.needs(angry)["phone"]
    assert (angry_need.aht > calm_need.aht).all()
    assert angry_need.agents.sum() > calm_need.agents.sum()


def test_the_planner_needs_more_agents_with_anger_on_than_off():
    calm = queue(anger=0.5, anger_switch="off")
    angry = queue(anger=0.5, anger_switch="on")
    options = dict(workers=1, replications=4, verify=6, baseline=False)
    calm_plan = planner.plan(calm, **options)
    angry_plan = planner.plan(angry, **options)
    assert calm_plan.all_met and angry_plan.all_met
    assert angry_plan.headcount["agents"] > calm_plan.headcount["agents"]


# --- the command line -----------------------------------------------------------------------


def test_ccsim_plan_json_out_and_a_roster_ready_to_paste(tmp_path):
    out = tmp_path / "plan"
    shop = str(SCENARIOS / "small_shop.yaml")
    r = run_cli(
        "plan", shop, "--json", "--out", str(out), "-n", "8", "--verify", "10", "--start-grid", "4h"
    )
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    for key in ("roster", "headcount", "fte", "paid_hours", "unmet", "erlang_baseline"):
        assert key in doc
    assert doc["targets_met"] is True and doc["unmet"] == []
    assert set(doc["erlang_baseline"]) >= {"roster", "cost", "targets_met", "channels"}
    assert doc["paid_hours"] == pytest.approx(sum(g["paid_hours"] for g in doc["groups"].values()))
    files = {p.name for p in out.iterdir()}
    assert {"plan.json", "roster.yaml", "run.json", "intervals.csv", "meta.json"} <= files
    assert "meets every target" in (out / "roster.yaml").read_text()

    # roster.yaml pasted into the scenario gives back the planned roster
    yaml = YAML(typ="safe")
    pasted = yaml.load((out / "roster.yaml").read_text())
    base = yaml.load((SCENARIOS / "small_shop.yaml").read_text())
    base["roster"] = pasted["roster"]
    base["shifts"].update(pasted.get("shifts", {}))
    s = ccsim.Scenario.model_validate(base)
    assert [(r.group, r.shift, r.agents) for r in s.roster] == [
        (r["group"], r["shift"], r["agents"]) for r in doc["roster"]
    ]


def test_ccsim_plan_exits_1_and_names_an_unmet_target(tmp_path):
    # two e-mail targets within 1 h: the unmet one is named with its goal, so that it
    # cannot be taken for the other
    path = tmp_path / "short.yaml"
    path.write_text(
        MESSAGES.format(hours="09:00-10:00").replace(
            "{within: 1h, at_least: 0.9}",
            "{within: 1h, at_least: 0.9}, {within: 1h, at_least: 0.05}",
        )
    )
    r = run_cli(
        "plan", str(path), "-n", "3", "--verify", "4", "--workers", "1", "--no-baseline", "--json"
    )
    assert r.returncode == 1
    assert "unmet target: email sl_1h ≥ 90%: at most" in r.stderr
    unmet = json.loads(r.stdout)["unmet"]
    names = [u["name"] for u in unmet]
    assert names[0] == "email sl_1h ≥ 90%" and len(set(names)) == len(names)
    assert 0 < unmet[0]["planned"] < 0.9  # the share the search planned for instead
    for name in names:  # (on 4 verification weeks the 5 % one may be missed too)
        assert f"ccsim: unmet target: {name}: " in r.stderr


def test_a_phone_line_open_when_nobody_can_be_on_duty_is_unmet():
    s = ccsim.with_changes(
        ccsim.loads(MESSAGES.format(hours="00:00-24:00")),
        {"shifts.day": {"start": "08:00", "length": "12h"}},
    )
    unmet = {(u.channel, u.metric) for u in search.unreachable(s, requirements.needs(s))}
    assert ("phone", "sl_30s") in unmet  # half of the calls come at night, nobody is there


def test_a_target_per_interval_missed_where_no_shift_is_on_duty_says_so():
    # chat open from 06:00, the first shift at 08:30: the reason said only "not reached
    # after 8 rounds", not that no roster of these shifts can meet those intervals
    s = ccsim.with_changes(
        ccsim.load(SCENARIOS / "small_shop.yaml"),
        {
            "channels.chat.open": {"mon-fri": "06:00-23:00"},
            "arrivals.chat.intraday": "flat",
            "targets.chat.service[0].per": "interval",
        },
    )
    p = planner.plan(s, seed=1, replications=2, verify=2, max_rosters=2, workers=1)
    (chat,) = [u for u in p.unmet if u.channel == "chat"]
    assert "failing intervals (from mon 06:00) have no shift template on duty" in chat.reason


def test_a_message_target_per_interval_no_shift_can_answer_in_time_says_so():
    # e-mail closed at weekends: Friday evening's mail cannot be answered in 24 h; voice and
    # chat got "no roster of these shifts can meet them", e-mail "not reached" alone (a
    # walkthrough, 2026-12-07)
    s = ccsim.with_changes(
        ccsim.load(SCENARIOS / "small_shop.yaml"),
        {"targets.email.service[0].per": "interval", "targets.email.service[0].min_offered": 2},
    )
    p = planner.plan(s, seed=1, replications=2, verify=2, max_rosters=2, workers=1)
    (mail,) = [u for u in p.unmet if u.name.startswith("email sl_24h")]
    assert re.search(
        r"; \d+ of its \d+ failing intervals \(from fri 1\d:\d\d\) cannot be answered within "
        r"1d by any shift template \(none is on duty in time\): no roster of these shifts",
        mail.reason,
    ), mail.reason


def test_plan_without_shift_templates_is_a_clear_error(tmp_path):
    text = MESSAGES.format(hours="09:00-17:00").replace(
        'shifts:\n  day: {start: "00:00", length: 24h}\n', ""
    )
    path = tmp_path / "noshifts.yaml"
    path.write_text(text)
    r = run_cli("plan", str(path), "-w", "1")
    assert r.returncode == 1
    assert "no shift templates" in r.stderr and "Traceback" not in r.stderr


def test_the_plan_console_shows_fte_and_hires_as_the_json_does(tmp_path):
    # one decimal: rows 5.8 and 0.8 under a total of 6.5 (the JSON's 5.75 + 0.8 = 6.55);
    # and who to employ, which only the documents said until 2026-12-07
    shop = SCENARIOS / "small_shop.yaml"
    options = ("-n", "3", "--verify", "4", "-w", "1", "--seed", "4")
    doc = json.loads(run_cli("plan", str(shop), *options, "--json").stdout)
    shown = run_cli("plan", str(shop), *options).stdout
    cells = [line.split("│") for line in shown.splitlines() if line.count("│") == 6]
    rows = {row[1].strip(): [c.strip() for c in row[2:6]] for row in cells}
    hired = {g: str(c["hired"]) for g, c in doc["cost"]["by_group"].items()}
    for g, fte in doc["fte"].items():
        assert rows[g][1] == f"{fte:.2f}" and rows[g][3] == hired[g], rows
    assert rows["total"][1] == f"{sum(doc['fte'].values()):.2f}"
    assert rows["total"][3] == str(doc["cost"]["hired"])


def test_progress_says_the_round_rosters_simulated_cost_and_budget_left():
    said: list[str] = []
    planner.plan(queue(), workers=1, replications=4, verify=6, baseline=False, progress=said.append)
    steps = [m for m in said if "rosters simulated" in m]
    assert steps and all("round " in m and "budget left" in m for m in steps)
    simulated = [int(m.split(" rosters simulated")[0].rsplit("· ", 1)[1]) for m in steps]
    assert simulated == sorted(simulated) and simulated[-1] >= 1
    assert any("EUR/week" in m or "/week" in m for m in steps[1:])


NIGHT_MAIL = """\
name: night mail
simulation: {horizon: 2d, warmup: 1d, interval: 1h, seed: 2}
channels:
  email: {kind: message, open: {mon-sun: "02:00-04:00"}}
  phone: {kind: voice, patience: 3min, open: {mon-sun: "08:00-16:00"}}
arrivals:
  email: {weekly: 300, daily: uniform, intraday: flat}
  phone: {weekly: 700, daily: uniform, intraday: flat}
reasons:
  r: {mix: {email: 1, phone: 1}, resolve: {dist: exponential, mean: 4min}}
anger: off
groups:
  agents: {skills: {phone: 1, email: 2}, wage: 15}
shifts:
  day: {start: "08:00", length: 8h}
targets:
  email: {service: [{within: 24h, at_least: 0.9}]}
  phone: {service: [{within: 30s, at_least: 0.8}]}
"""


def test_a_message_channel_no_shift_can_ever_work_leaves_the_program_feasible():
    # e-mail answered 02:00-04:00, the only shift 08:00-16:00: its backlog could never
    # be worked, and the program was infeasible (a plan error); now it plans the phone
    p = planner.plan(ccsim.loads(NIGHT_MAIL), workers=1, replications=3, verify=4, baseline=False)
    assert [u.name for u in p.unmet] == ["email sl_24h ≥ 90%"] and p.headcount["agents"] > 0
    assert next(c for c in p.checks if c.channel == "phone").met


def test_the_correction_rounds_raise_only_intervals_a_shift_can_work():
    # a phone line open all night, one 08-20 shift: the calls that miss are the night's,
    # and raising the night's requirement changed no roster (8 rounds of the same 2
    # agents, 40 % in 20 s missed); the day's, raised instead, get it met (the abandon
    # limit is out of reach: half the night's callers give up)
    s = ccsim.loads(
        NIGHT_LINE.replace(", sl_definition: answered", "").replace(
            "{service: [{within: 20s, at_least: 0.8}]}",
            "{service: [{within: 20s, at_least: 0.4}], max_abandon: 0.3}",
        )
    )
    # the abandon limit: half the day unstaffed, callers who wait 3 min on average —
    # all but 3/720 of the night's give up (exponential patience, waits uniform up to 12 h)
    lost = requirements.needs(s)["phone"].lost
    assert lost == pytest.approx(0.5 * (1 - 3 / 720), abs=0.002)
    (u,) = search.unreachable(s, requirements.needs(s))
    assert u.name == "phone abandon_rate ≤ 30%" and u.planned == pytest.approx(
        lost + 0.3 * (1 - lost)
    )
    assert f"at least {lost:.1%} of phone contacts give up whatever the roster" in u.reason
    p = planner.plan(s, workers=1, replications=4, verify=6, baseline=False)
    assert [u.name for u in p.unmet] == ["phone abandon_rate ≤ 30%"]
    assert next(c for c in p.checks if c.kind == "service").met
    assert p.search["correction_rounds"] <= 2  # (8 before the limit was known out of reach)


def _night_line(**changes: str) -> ccsim.Scenario:
    text = NIGHT_LINE.replace(", sl_definition: answered", "")
    for old, new in changes.values():
        text = text.replace(old, new)
    return ccsim.loads(text)


@pytest.mark.parametrize(
    "case",
    [
        {  # open 08:30-20:30 on an hourly grid, staffed 08:00-21:00: every caller can be
            # answered at once — the closed half hours are no one's wait
            "open": ('open: {mon-sun: "00:00-24:00"}', 'open: {mon-sun: "08:30-20:30"}'),
            "shift": ("length: 12h}", "length: 13h}"),
        },
        {  # a window of Monday to Friday, staffed Monday to Friday, the line also open
            # at weekends: the weekend's callers are not measured
            "window": ("horizon: 2d", "horizon: 5d"),
            "open": ('open: {mon-sun: "00:00-24:00"}', 'open: {mon-sun: "08:00-20:00"}'),
            "shift": ("length: 12h}", "length: 12h, days: mon-fri}"),
        },
    ],
    ids=["partly-open-intervals", "five-day-window"],
)
def test_nothing_is_out_of_reach_where_every_measured_caller_can_be_answered(case):
    # a review found 4.0 % (partly open) and 28.6 % (weekend) of callers counted as
    # lost whatever the roster, and 95.8 % / 71.4 % as the most answerable in 20 s
    s = _night_line(
        **case,
        targets=(
            "{service: [{within: 20s, at_least: 0.8}]}",
            "{service: [{within: 20s, at_least: 0.96}], max_abandon: 0.03}",
        ),
    )
    needs = requirements.needs(s)
    assert needs["phone"].lost == 0.0 and [d.bound for d in needs["phone"].deadlines] == [1.0]
    assert search.unreachable(s, needs) == []


MAIL_BY_DAY = """\
name: mail by day
simulation: {horizon: 7d, warmup: 1d, interval: 1h, seed: 2}
channels:
  email: {kind: message, open: {mon-sun: "08:00-20:00"}}
arrivals:
  email: {weekly: 3000, daily: uniform, intraday: flat}
reasons:
  r: {mix: {email: 1}, resolve: {dist: exponential, mean: 6min}}
anger: off
groups:
  agents: {skills: {email: 1}, wage: 15}
shifts:
  a: {start: "08:00", length: 8h}
  b: {start: "12:00", length: 8h}
targets:
  email: {service: [{within: 1h, at_least: 0.45}]}
"""


def test_a_message_channel_is_raised_where_its_contacts_missed_even_while_closed():
    # e-mail open 08-20, arriving around the clock: the night's mail waits for the
    # morning, so raising the night's work is what buys the morning's agents (masked as
    # for a phone line: 8 rounds and 12 agents, the target missed on verification)
    p = planner.plan(ccsim.loads(MAIL_BY_DAY), workers=1, replications=4, verify=6, baseline=False)
    assert p.all_met and p.search["correction_rounds"] <= 3


def test_an_abandon_limit_of_zero_out_of_reach_is_planned_for_all_the_same():
    s = _night_line(
        targets=("{service: [{within: 20s, at_least: 0.8}]}", "{service: [], max_abandon: 0}")
    )
    needs = requirements.needs(s)
    (u,) = search.unreachable(s, needs)
    looking = search.Search(
        s, needs, scheduling.shift_options(s), None, 1, 4, 6, [u], lambda m: None, "mean"
    )
    assert looking.planned == {u.name: (u.planned, 1.0)} and u.planned == needs["phone"].lost


def _shop_without_supervisors():
    """small_shop.yaml, its shift options, its requirements, and its roster but the
    supervisors (nobody handles escalations)."""
    shop = ccsim.load(SCENARIOS / "small_shop.yaml")
    shifts = scheduling.shift_options(shop)
    needs = requirements.needs(shop, shifts)
    roster = {(r.group, r.shift): r.agents for r in shop.roster if r.group != "supervisor"}
    return shop, shifts, needs, roster


def test_a_verification_short_on_escalations_adds_a_supervisor_where_their_work_arrives():
    # escalations have no intervals of their own, so "where the verification fell short"
    # was nowhere: no agent could be added and the bundled example's plan gave up, missing
    # escalation 48 h (83.4 %), on the draws of 2026-12-06
    shop, shifts, needs, roster = _shop_without_supervisors()
    with Runner(1) as runner:
        looking = search.Search(shop, needs, shifts, runner, 1, 2, 2, [], lambda m: None)
        staffing = looking.verified(roster)
    # nobody handles escalations (the other targets: judged on 2 weeks, left aside here)
    (short,) = [c for c in staffing.checks if not c.met and c.channel == "escalation"]
    assert short.mean == 0.0
    group, shift = looking.addition(replace(staffing, checks=[short]))
    assert group == "supervisor" and shift in shifts
    work = needs["escalation"].contacts > 0
    assert float(timegrid.coverage(shop, shifts[shift]) @ work) > 0


def test_the_erlang_baseline_keeps_the_scenarios_prepared_answer_speedup():
    """The baseline switches anger off as a what-if; `anger: off` sent every anger key back
    to its default until 2026-12-06 — the templates' speed-up too (0.3), which applies with
    anger off as well: a scenario without templates got the baseline of one with them."""
    s = ccsim.load(SCENARIOS / "small_shop.yaml")
    phone = {
        v: requirements.baseline_needs(ccsim.with_changes(s, {"anger.prepared_answer_speedup": v}))[
            "phone"
        ].agents.sum()
        for v in (0.0, 0.3, 0.6)
    }
    assert phone[0.0] > phone[0.3] > phone[0.6]


def test_the_plan_console_says_when_verification_seeds_were_used_for_repairs_and_whose_roster():
    # "verified on 10 fresh replications" beside 7 repairs judged on them, and nothing
    # said when the answer was the Erlang baseline's roster (a walkthrough, 2026-12-07)
    doc = planner.plan(queue(), workers=1, replications=4, verify=4, baseline=False).plan_document()

    def said(**search) -> str:
        out = StringIO()
        shown = doc.model_copy(update={"search": doc.search.model_copy(update=search)})
        console.render_plan(shown, Console(file=out, width=400))
        return " ".join(out.getvalue().split())

    assert "verified on 4 fresh replications (met = " in said(verification_repairs=0)
    assert "the roster is" not in said(verification_repairs=0)
    repaired = said(verification_repairs=7)
    assert "verified on 4 replications, fresh seeds that 7 repair(s) of the search" in repaired
    assert "fresh replications" not in repaired
    assert said(chosen="erlang_baseline").endswith(
        "; the roster is the Erlang C baseline's (it did better on verification than the search's)"
    )
    assert "the roster is the Erlang C baseline's, trimmed" in said(
        chosen="erlang_baseline trimmed"
    )


def test_a_target_met_less_than_a_standard_error_past_its_goal_is_said_close():
    # a quick plan verified on 10 replications met escalation 48h ≥ 90% with a bound of
    # 90.9 %, and missed it on fresh seeds; nothing had said how close it was (a
    # walkthrough)
    def check(bound, error, kind="service", goal=0.9, met=True, **more):
        metric = "sl_48h" if kind == "service" else "abandon_rate"
        return TargetCheck(
            "escalation", metric, kind, 2880.0, goal, 0.95, (0.9, 1.0), bound, met, 10,
            error=error, **more,
        )  # fmt: skip

    assert lead(check(0.909, 0.01)) == pytest.approx(0.9)
    assert lead(check(0.041, 0.005, "max_abandon", 0.05)) == pytest.approx(1.8)
    assert lead(check(0.88, 0.01, met=False)) is None  # a miss is said as one
    assert lead(check(0.95, 0.0)) is None  # no spread: nothing uncertain
    scoped = TargetCheck("chat", "sl_1min", "service", 1.0, 0.8, 0.9, (0.8, 1.0), 0.85, True, 10,
                         "interval", object(), 0.01)  # fmt: skip
    assert lead(scoped) is None  # (its periods are judged one by one)
    # a target no roster can miss: its bound, kept within [0, 1], sits on the goal (a review)
    assert lead(check(0.0, 0.01, goal=0.0)) is None
    assert lead(check(1.0, 0.01, "max_abandon", 1.0)) is None
    calls = planner.close_calls([check(0.909, 0.01), check(0.92, 0.01), check(0.9099, 0.01)])
    assert [c.bound for c in calls] == [0.909, 0.9099]  # 0.9 and 0.99 errors; not 2.0
    assert calls[0].target == "escalation sl_48h ≥ 90%" and calls[0].error == 0.01

    planned = planner.plan(queue(), workers=1, replications=4, verify=4, baseline=False)
    # plain data in the search, as the rest of it (capacity.json could not write it: a review)
    assert json.loads(json.dumps(planned.search))["close_calls"] == []
    planned.search["close_calls"] = [c.model_dump() for c in calls]
    json.dumps(planned.search)
    assert "Close to its goal: escalation sl_48h ≥ 90% met on verification with a one-sided " \
        "bound of 90.90%" in html.unescape(planned._repr_html_())  # fmt: skip
    doc = planned.plan_document()
    shown = doc.model_copy(update={"search": doc.search.model_copy(update={"close_calls": calls})})
    out = StringIO()
    console.render_plan(shown, Console(file=out, width=400))
    said = " ".join(out.getvalue().split())
    assert (
        "close to its goal: escalation sl_48h ≥ 90% met on verification with a one-sided bound "
        "of 90.90% (estimate 95.00%, standard error 1.00 pts), less than a standard error from "
        "the goal: a fresh verification of 4 replications may judge it missed — verify on more "
        "replications before relying on it"
    ) in said
    facts = dict(console.plan_facts(shown))
    assert facts["close to its goal"].startswith("escalation sl_48h ≥ 90% met on verification")
    assert len([k for k, _ in console.plan_facts(shown) if k == "close to its goal"]) == 2
    assert "close to its goal" not in dict(console.plan_facts(doc.model_copy(
        update={"search": doc.search.model_copy(update={"close_calls": []})})))  # fmt: skip
    # plan.json keeps them, and a plan.json from before reads back without any
    again = type(doc).model_validate_json(shown.model_dump_json())
    assert again.search.close_calls == calls
    old = json.loads(doc.model_dump_json())
    del old["search"]["close_calls"]
    assert type(doc).model_validate(old).search.close_calls == []


def test_a_roster_not_proven_1_minimal_says_why():
    # "NOT proven 1-minimal" beside a budget of 2,123 rosters with 67 used: the example's
    # plan had an agent added on verification, and nothing said so (a walkthrough)
    shop, shifts, needs, roster = _shop_without_supervisors()
    with Runner(1) as runner:
        looking = search.Search(shop, needs, shifts, runner, 1, 2, 2, [], lambda m: None)
        staffing, minimal = looking.verify(roster, True)  # nothing removed to give back
        base = looking.baseline()
    assert not minimal and staffing.headcount["supervisor"] >= 1
    assert looking.unproven == (
        "an agent was added where the verification fell short, which the search's "
        "replications may not need"
    )
    assert sum(staffing.headcount.values()) > sum(roster.values())
    found = looking.candidates[search._key(roster_of(staffing.scenario))]
    assert found.unproven == looking.unproven and not found.one_minimal
    known = looking.candidates[search._key(roster_of(base.scenario))]
    assert known.unproven == "the Erlang C baseline's roster, not trimmed"
    # a baseline answer whose own trim the budget cut says the budget (it said "the Erlang
    # C baseline's roster, not trimmed", the reason it was first verified with: a review)
    cut = planner.plan(shop, max_rosters=3, workers=1)
    assert cut.search["chosen"] == "erlang_baseline" and not cut.search["one_minimal"]
    assert cut.search["unproven"] == (
        "the trim stopped at its budget of 3 rosters: --max-rosters, max_rosters= in Python"
    )
    # its repr says so (the HTML display alone did: a notebook walkthrough)
    assert repr(cut).endswith(f"; NOT proven 1-minimal ({cut.search['unproven']})>")
    # no budget at all is refused, as --max-rosters 0 is (it returned the untrimmed roster)
    with pytest.raises(ValueError, match="max_rosters"):
        planner.plan(shop, max_rosters=0, workers=1)
    # a notebook's headline: the staff cost the planner minimises and the weekly cost the
    # console heads with (phone's price per contact included)
    total = staffing.result.document()["cost"]["total"]
    assert total > staffing.staff_cost + 1
    assert f"EUR/week staff cost ({total:,.2f} in all)" in repr(staffing)
