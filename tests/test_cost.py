"""The cost model against a hand calculation: a tiny scenario, 2 agents on one shift."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import ccsim
from ccsim.finance import cost
from ccsim.measure import week
from ccsim.report import folders
from conftest import ROOT, SCENARIOS
from test_cli import ccsim as run_cli

# 2 agents, 09:00-17:00 Monday to Friday with a 30-min unpaid break:
# paid hours = 2 agents × 5 days × 7.5 h = 75 h/week.
TINY = """\
name: tiny
simulation: {horizon: 7d, warmup: 1d, interval: 1h, seed: 3}
channels:
  phone: {kind: voice, patience: 5min, open: {mon-fri: "09:00-17:00"}}
  email: {kind: message}
arrivals:
  phone: {weekly: 150, intraday: business_hours}
  email: {weekly: 60}
reasons:
  question: {mix: {phone: 1.0, email: 1.0}, resolve: {mean: 4min, cv: 0.5}}
anger: off
groups:
  agents: {skills: {phone: 1, email: 2}, wage: 20}
shifts:
  day: {start: "09:00", length: 8h, days: mon-fri, breaks: [{after: 4h, length: 30min}]}
roster:
  - {group: agents, shift: day, agents: 2}
shrinkage: 0.2
costs: {currency: EUR, overhead: 0.25, fte_hours: 37.5, per_contact: {phone: 0.5, email: 0.1}}
"""


@pytest.fixture(scope="module")
def tiny() -> ccsim.Scenario:
    return ccsim.loads(TINY)


def test_the_cost_model_matches_a_hand_calculation(tiny):
    doc = cost.weekly_cost(
        tiny,
        offered={"phone": 100, "email": 50},
        answered={"phone": 90, "email": 50},
        busy={"phone": 600.0, "email": 200.0, "escalation": 999.0},  # escalation: shared out
    ).model_dump()
    # wages 75 h × 20 = 1500; overhead 25 % = 375; contacts 100 × 0.5 + 50 × 0.1 = 55
    assert doc["paid_hours"] == 75.0
    assert (doc["wages"], doc["overhead"], doc["contacts"], doc["total"]) == (
        1500.0,
        375.0,
        55.0,
        1930.0,
    )
    assert doc["monthly"] == {
        "wages": 6500.0,
        "overhead": 1625.0,
        "contacts": 238.33,
        "total": 8363.33,
    }
    assert doc["yearly"] == {
        "wages": 78000.0,
        "overhead": 19500.0,
        "contacts": 2860.0,
        "total": 100360.0,
    }
    # FTE = 75 / 37.5 = 2; hired = ceil(2 / (1 - 0.2)) = ceil(2.5) = 3
    assert doc["fte"] == 2.0 and doc["headcount"] == 2 and doc["hired"] == 3
    assert doc["by_group"]["agents"] == {
        "agents": 2,
        "paid_hours": 75.0,
        "wage": 20.0,
        "wages": 1500.0,
        "overhead": 375.0,
        "fte": 2.0,
        "hired": 3,
    }
    # agent cost 1875 split by busy time 600:200 -> 1406.25 and 468.75
    phone, email = doc["by_channel"]["phone"], doc["by_channel"]["email"]
    assert (phone["agent_cost"], phone["contact_cost"], phone["total"]) == (1406.25, 50.0, 1456.25)
    assert (email["agent_cost"], email["contact_cost"], email["total"]) == (468.75, 5.0, 473.75)
    assert doc["per_contact"] == {"phone": round(1456.25 / 90, 4), "email": 9.475}
    assert doc["unallocated"] == 0.0


def test_a_shorter_horizon_is_scaled_to_a_week(tiny):
    two_days = ccsim.with_changes(tiny, {"simulation.horizon": "2d"})
    doc = cost.weekly_cost(two_days, {"phone": 20}, {"phone": 20}, {"phone": 100.0}).model_dump()
    # 20 in Monday and Tuesday: the phone is open on weekdays only, so 50 a week (the
    # weekend's forecast calls are not offered; 7 days / 2 made them 70 until 2026-12-06)
    assert doc["by_channel"]["phone"]["offered"] == 50.0
    assert doc["contacts"] == 25.0


def test_a_window_that_is_not_a_seventh_of_its_week_is_scaled_by_what_it_holds(tiny):
    # peaked_day.yaml simulates the Monday that holds the whole week's calls: 7 days /
    # horizon made its 11,101 calls 77,707 a week, and their fees and cost per call with them
    s = ccsim.with_changes(
        tiny,
        {
            "simulation.horizon": "2d",  # Monday and Tuesday: 70 % of the phone's week
            "arrivals.phone.daily": [0.4, 0.3, 0.1, 0.1, 0.1, 0.0, 0.0],
        },
    )
    doc = cost.weekly_cost(s, {"phone": 21, "email": 4}, {"phone": 21}, {"phone": 1.0}).model_dump()
    assert doc["by_channel"]["phone"]["offered"] == 30.0  # 21 / 0.7
    assert doc["by_channel"]["email"]["offered"] == 14.0  # e-mail every day alike: 4 × 7 / 2
    assert doc["contacts"] == 30 * 0.5 + 14 * 0.1
    one_day = ccsim.with_changes(
        s, {"simulation.horizon": "1d", "arrivals.phone.daily": [1, 0, 0, 0, 0, 0, 0]}
    )
    assert week.contacts_factor(one_day, "phone") == 1.0  # the week's calls, all on Monday


def test_a_window_counts_the_calls_that_find_the_line_open(tiny):
    # calls arriving while closed are not offered: a Saturday open 12-18 offers a quarter
    # of Saturday's forecast, and the week offers Monday to Friday whole (the review: the
    # Saturday window was scaled by 20, where its offered calls are 1/77 of the week's)
    s = ccsim.with_changes(
        tiny,
        {
            "channels.phone.open": {"mon-fri": "00:00-24:00", "sat": "12:00-18:00"},
            "arrivals.phone.daily": [0.19, 0.19, 0.19, 0.19, 0.19, 0.05, 0.0],
            "arrivals.phone.intraday": "flat",
            "simulation.horizon": "1d",
            "simulation.start_day": "sat",
        },
    )
    assert week.contacts_factor(s, "phone") == pytest.approx((0.95 + 0.05 / 4) / (0.05 / 4))
    assert week.contacts_factor(s, "email") == pytest.approx(
        7.0
    )  # an inbox keeps what arrives closed


def test_overtime_is_scaled_by_the_rostered_time_the_window_holds(tiny):
    # the day shift works Monday to Friday: a window of Monday and Tuesday holds 2 of its 5
    two_days = ccsim.with_changes(tiny, {"simulation.horizon": "2d"})
    assert week.duty_factor(two_days, "agents") == 2.5
    # a night shift from Sunday 22:00 works 6 h of its 8 on Monday, then Monday 22:00-24:00
    night = ccsim.with_changes(
        two_days,
        {
            "simulation.horizon": "1d",
            "shifts.night": {"start": "22:00", "length": "8h", "days": "sun-mon"},
            "roster": [{"group": "agents", "shift": "night", "agents": 3}],
        },
    )
    assert week.duty_factor(night, "agents") == 16 / 8  # 2 nights a week, 6 + 2 h in the day
    # a weekly staffing table: its agents on duty in a week over those in the window
    rows = [["mon", f"{h:02d}:00", "agents", 10] for h in range(9, 17)]
    rows += [[d, "12:00", "agents", 1] for d in ("tue", "wed", "thu", "fri", "sat", "sun")]
    table = ccsim.with_changes(
        tiny,
        {"simulation.horizon": "1d", "roster": [], "staffing": {"rows": rows}},
    )
    assert week.duty_factor(table, "agents") == pytest.approx((80 + 6) / 80)  # (it said 7)
    whole = ccsim.with_changes(tiny, {"simulation.horizon": "14d"})
    assert week.duty_factor(whole, "agents") == 0.5  # two weeks: half of them a week


def test_money_rounds_halves_up_and_allocation_adds_up_to_the_cent():
    assert cost.money(2.675) == 2.68 and cost.money(0.125) == 0.13 and cost.money(1.004) == 1.0
    # FTE too, as the workbook's ROUND shows them: 305 paid hours / 40 = 7.625 → 7.63
    assert cost.rounded(7.625) == 7.63 and cost.rounded(0.1234565, 6) == 0.123457
    assert cost.rounded(float("nan")) != cost.rounded(float("nan"))  # NaN stays NaN
    six = ccsim.with_changes(
        ccsim.load(ROOT / "scenarios" / "small_shop.yaml"),
        {"roster": [{"group": "generalist", "shift": "early", "agents": 6}]},
    )
    assert cost.weekly_cost(six).by_group["generalist"].fte == 5.63  # 225 h / 40 = 5.625
    shares = cost.allocate(100.0, {"a": 1.0, "b": 1.0, "c": 1.0})
    assert sorted(shares.values()) == [33.33, 33.33, 33.34]
    assert cost.allocate(10.0, {"a": 0.0}) == {"a": 0.0}


def test_hired_headcount_rounds_up_after_shrinkage():
    assert cost.hired(2.0, 0.0) == 2 and cost.hired(2.0, 0.2) == 3 and cost.hired(0.0, 0.5) == 0
    assert cost.hired(1.6, 0.2) == 2  # exactly 2.0 is not rounded up to 3
    # FTE / (1 − shrinkage), not FTE × (1 + shrinkage): 10 / 0.7 = 14.3 → 15 (not 13)
    assert cost.hired(10.0, 0.3) == 15 and cost.hired(14.0, 0.3) == 20


def test_ccsim_run_reports_the_cost_model(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY, encoding="utf-8")
    r = run_cli("run", str(path), "-n", "2", "-w", "1", "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    c = doc["cost"]
    assert (c["wages"], c["overhead"], c["fte"], c["hired"]) == (1500.0, 375.0, 2.0, 3)
    offered = {ch: doc["channels"][ch]["offered"]["mean"] for ch in ("phone", "email")}
    assert c["contacts"] == cost.money(
        cost.money(0.5 * offered["phone"]) + cost.money(0.1 * offered["email"])
    )
    assert c["total"] == cost.money(1875.0 + c["contacts"])
    for period, weeks in (("monthly", 52 / 12), ("yearly", 52)):  # each part to the cent,
        parts = [cost.money(c[k] * weeks) for k in ("wages", "overhead", "contacts")]
        assert [c[period][k] for k in ("wages", "overhead", "contacts")] == parts
        assert c[period]["total"] == cost.money(sum(parts))  # and the total their sum
    channels = c["by_channel"].values()
    assert sum(ch["agent_cost"] for ch in channels) == pytest.approx(1875.0, abs=1e-9)
    assert sum(ch["total"] for ch in channels) == pytest.approx(c["total"], abs=0.005)


def test_the_python_api_gives_the_same_cost_and_output_folder_as_the_cli(tiny, tmp_path):
    r = ccsim.simulate(tiny, replications=2, seed=3)
    c = r.cost
    assert (c["wages"], c["overhead"], c["fte"], c["hired"]) == (1500.0, 375.0, 2.0, 3)
    assert c == r.document()["cost"]
    folder = ccsim.save(r, tmp_path / "run", report=True)
    names = {p.name for p in folder.iterdir()}
    assert {"run.json", "summary.csv", "intervals.csv", "meta.json", "report.xlsx"} <= names
    assert json.loads((folder / "run.json").read_text())["cost"] == c
    # the tables read back are the Result's: same columns, no index column, same values
    for name, table in (("summary", r.summary), ("intervals", r.intervals), ("groups", r.groups)):
        back = pd.read_csv(folder / f"{name}.csv")
        pd.testing.assert_frame_equal(
            back, table.reset_index(drop=True), check_dtype=False, rtol=1e-11, obj=name
        )


def test_a_roster_lines_staff_cost_rounds_half_up_as_every_other_figure():
    # 5 × 37.5 h × 13.5 × 1.3 = 3,290.625 was 3,290.62 (round half to even, on a float),
    # so roster.yaml's total was a cent short of the plan's wages + overhead
    s = ccsim.with_changes(
        ccsim.load(ROOT / "scenarios" / "small_shop.yaml"),
        {"roster": [{"group": "generalist", "shift": "early", "agents": 5}]},
    )
    (line,) = cost.roster_lines(s)
    doc = cost.weekly_cost(s)
    assert line["staff_cost"] == 3290.63 == cost.money(doc.wages + doc.overhead)


def test_the_roster_lines_staff_costs_add_up_to_the_weeks_to_the_cent():
    # three lines of one generalist at 37.5 h × 13.5 × 1.3 = 658.125 each: each rounded
    # on its own, 658.13 × 3 = 1,974.39, a cent over the group's 1,974.38 (wages
    # 1,518.75 + overhead 455.63) — the Roster sheet's SUM beside the Summary's total
    s = ccsim.with_changes(
        ccsim.load(ROOT / "scenarios" / "small_shop.yaml"),
        {
            "shifts.early2": {"start": "07:30", "length": "8h", "days": "mon-fri",
                              "breaks": [{"after": "4.5h", "length": "30min", "paid": False}]},
            "shifts.early3": {"start": "06:30", "length": "8h", "days": "mon-fri",
                              "breaks": [{"after": "4.5h", "length": "30min", "paid": False}]},
            "roster": [
                {"group": "generalist", "shift": shift, "agents": 1}
                for shift in ("early", "early2", "early3")
            ] + [{"group": "supervisor", "shift": "early", "agents": 2}],
        },
    )  # fmt: skip
    lines = cost.roster_lines(s)
    exact = [cost.agent_cost(s, r.group, s.shifts[r.shift]) * r.agents for r in s.roster]
    assert exact[:3] == [658.125] * 3  # the half cents the case needs
    doc = cost.weekly_cost(s)
    by_group = {g: round(sum(line["staff_cost"] for line in lines if line["group"] == g), 2)
                for g in ("generalist", "supervisor")}  # fmt: skip
    assert by_group == {g: cost.money(c.wages + c.overhead) for g, c in doc.by_group.items()
                        if g in by_group}  # fmt: skip
    assert by_group["generalist"] == 1974.38
    assert round(sum(line["staff_cost"] for line in lines), 2) == cost.staff_money(s)
    assert all(abs(line["staff_cost"] - e) <= 0.01 for line, e in zip(lines, exact, strict=True))


def test_the_weeks_staff_cost_is_the_sum_of_the_documents_cents(tmp_path):
    # a supervisor at 20.03/h: 1,552.325 + 465.6975 rounded per group, as the cost
    # document adds them, is 7,037.33; the unrounded sum rounded once was 7,037.32 —
    # the figure roster.yaml and Plan.staff_cost printed beside the document's
    s = ccsim.with_changes(
        ccsim.load(ROOT / "scenarios" / "small_shop.yaml"), {"groups.supervisor.wage": 20.03}
    )
    doc = cost.weekly_cost(s)
    assert cost.staff_money(s) == cost.money(doc.wages + doc.overhead) == 7037.33
    assert round(cost.staff_cost(s), 2) == 7037.32  # the case is a real half cent
    plan = ccsim.Plan(scenario=s, result=ccsim.simulate(s, 1, seed=1, workers=1), checks=[])
    assert plan.staff_cost == 7037.33
    assert "staff cost 7,037.33 EUR/week" in folders.roster_yaml(plan)


def test_hired_headcount_is_at_least_the_people_on_duty_at_once(tiny):
    # two part-timers 10:00-14:00 were 0.8 FTE and "1 hired": nobody sits in two seats
    part = ccsim.with_changes(
        tiny,
        {
            "shrinkage": 0.0,
            "shifts.part": {"start": "10:00", "length": "4h", "days": "mon-fri"},
            "shifts.after": {"start": "14:00", "length": "4h", "days": "mon-fri"},
            "shifts.night": {"start": "22:00", "length": "10h", "days": "sun"},
            "roster": [
                {"group": "agents", "shift": "part", "agents": 2},
                {"group": "agents", "shift": "after", "agents": 3},  # after them, not beside
                {"group": "agents", "shift": "night", "agents": 1},  # Sunday 22:00-Monday 08:00
            ],
        },
    )
    doc = cost.weekly_cost(part).model_dump()
    assert doc["fte"] == round((2 * 20 + 3 * 20 + 10) / 37.5, 2)  # 2.93: 3 by FTE alone
    assert cost.on_duty_at_once(part) == {"agents": 3}
    assert doc["by_group"]["agents"]["hired"] == doc["hired"] == 3
    more = ccsim.with_changes(part, {"roster[1].agents": 5})
    assert cost.weekly_cost(more).model_dump()["hired"] == 5  # 4 FTE, 5 at once
    # the Sunday night shift goes on into Monday: beside a Monday 06:00 shift, two at once
    early = ccsim.with_changes(
        part,
        {
            "shifts.early": {"start": "06:00", "length": "4h", "days": "mon"},
            "roster": [
                {"group": "agents", "shift": "night", "agents": 1},
                {"group": "agents", "shift": "early", "agents": 1},
            ],
        },
    )
    assert cost.on_duty_at_once(early) == {"agents": 2}


def test_a_months_and_a_years_total_is_the_sum_of_their_cents():
    # small_shop, seed 1: the month's parts summed to 31,960.06 and its total, the week's
    # total × 52/12, read 31,960.07
    c = ccsim.simulate(ccsim.load(SCENARIOS / "small_shop.yaml"), 3, seed=1, workers=1).cost
    for period in ("monthly", "yearly"):
        parts = [c[period][k] for k in ("wages", "overhead", "contacts")]
        assert c[period]["total"] == cost.money(sum(parts)), period
    assert c["monthly"]["total"] == 31960.06
