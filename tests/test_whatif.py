"""What-if variants and sweeps."""

from __future__ import annotations

import json
import re
import sys
import warnings

import numpy as np
import openpyxl
import pandas as pd
import pytest
import typer

import ccsim
from ccsim.atomic import OutputError
from ccsim.cli import simulation
from ccsim.cli.simulation import variant
from ccsim.experiment import runner
from ccsim.experiment.errors import WorkerError
from ccsim.finance.cost import agent_cost
from ccsim.model.replication import run_replication
from ccsim.model.streams import replication_seed
from ccsim.scenario.problems import ScenarioWarning
from conftest import MINIMAL, SCENARIOS
from test_cli import ccsim as cli


@pytest.fixture(scope="module")
def omni():
    return ccsim.load(SCENARIOS / "ecommerce_omnichannel.yaml")


def test_with_changes_covers_the_planners_questions(omni):
    v = ccsim.with_changes(
        omni,
        {
            "arrivals.phone.weekly": "*1.2",
            "channels.whatsapp.open": {"mon-fri": "09:00-18:00"},
            "roster[0].agents": 20,
            "anger.enabled": False,
            "faq_deflection": 0.25,
            "anger.prepared_answer_speedup": 0.0,
        },
    )
    assert v.arrivals["phone"].weekly == pytest.approx(4200 * 1.2)
    assert v.channels["whatsapp"].windows == [
        (d * 1440 + 540.0, d * 1440 + 1080.0) for d in range(5)
    ]
    assert v.roster[0].agents == 20 and v.anger.enabled is False
    assert v.faq_deflection == 0.25
    # the original is untouched
    assert omni.arrivals["phone"].weekly == 4200 and omni.anger.enabled
    assert omni.roster[0].agents != 20


def test_variants_keep_common_random_numbers(omni):
    v = ccsim.with_changes(
        omni, {"roster[0].agents": 30, "channels.whatsapp.open": {"mon-sun": "08:00-22:00"}}
    )
    seed = replication_seed(3, 0)
    a, b = run_replication(omni, seed).contacts, run_replication(v, seed).contacts
    for column in ("arrival", "reason", "a0", "resolve"):
        np.testing.assert_array_equal(getattr(a, column), getattr(b, column))


def test_bad_changes_are_reported_with_their_path(omni):
    with pytest.raises(ccsim.ScenarioError, match=r"roster\[0\]\.group: unknown group"):
        ccsim.with_changes(omni, {"roster[0].group": "nobody"})
    with pytest.raises(ccsim.ScenarioError, match="no such field"):
        ccsim.with_changes(omni, {"roster[99].agents": 1})
    with pytest.raises(ccsim.ScenarioError, match="shrinkage"):
        ccsim.with_changes(omni, {"shrinkage": 1.5})
    # a misspelt path gets the suggestion a file's unknown key gets (it had none)
    with pytest.raises(ccsim.ScenarioError) as caught:
        ccsim.with_changes(omni, {"arrivals.phne.weekly": 600})
    assert str(caught.value.messages[0]) == (
        "<changes>: arrivals.phne.weekly: no such field in the scenario; did you mean "
        "'arrivals.phone.weekly'?"
    )
    with pytest.raises(ccsim.ScenarioError) as caught:  # every slip corrected, or none
        ccsim.with_changes(omni, {"arrivls.phne.weekly": 600})
    assert str(caught.value.messages[0]).endswith("did you mean 'arrivals.phone.weekly'?")
    with pytest.raises(ccsim.ScenarioError) as caught:
        ccsim.with_changes(omni, {"arrivls.zzzzz.weekly": 600})
    assert str(caught.value.messages[0]).endswith("no such field in the scenario")
    # scaling a field that is not a number: it said "no such field"
    with pytest.raises(ccsim.ScenarioError, match=r"\*1.2 scales a number; the field holds"):
        ccsim.with_changes(omni, {"channels.phone.kind": "*1.2"})
    # but a text field may be set to text like "x2" (it said "x2 scales a number")
    assert ccsim.with_changes(omni, {"name": "x2"}).name == "x2"


def test_a_roster_line_is_named_by_its_group_and_shift_or_its_number_is_told():
    # only a line's number named it, and a wrong one said "no such field" without the
    # roster's lines: a planner counting from 1 changed the wrong line (a walkthrough)
    shop = ccsim.load(SCENARIOS / "small_shop.yaml")
    late = [k for k, r in enumerate(shop.roster) if (r.group, r.shift) == ("generalist", "late")]
    named = ccsim.with_changes(shop, {"roster[generalist/late].agents": 9})
    numbered = ccsim.with_changes(shop, {f"roster[{late[0]}].agents": 9})
    assert named.model_dump() == numbered.model_dump() and named.roster[late[0]].agents == 9
    lines = (
        "the roster's lines are "
        + ", ".join(f"roster[{k}] ({r.group}/{r.shift})" for k, r in enumerate(shop.roster[:-1]))
        + f" and roster[{len(shop.roster) - 1}] ({shop.roster[-1].group}/{shop.roster[-1].shift})"
    )
    said = {
        "roster[generalist/night].agents": f"no roster line is generalist/night: {lines}",
        "roster[9].agents": f"no such field in the scenario; {lines} (or roster[GROUP/SHIFT])",
        "roster[late].agents": "cannot read the field path 'roster[late].agents' (expected e.g. "
        f"roster[0].agents or roster[generalist/late].agents); {lines}",
        "shifts[a/b].length": "[a/b] names a roster line by its group and shift: roster[a/b]",
    }
    for path, message in said.items():
        with pytest.raises(ccsim.ScenarioError) as info:
            ccsim.with_changes(shop, {path: 1})
        assert [str(m) for m in info.value.messages] == [f"<changes>: {path}: {message}"]
    twice = ccsim.with_changes(
        shop, {"roster": [*shop.plain()["roster"], shop.plain()["roster"][late[0]]]}
    )
    with pytest.raises(ccsim.ScenarioError, match="2 roster lines are generalist/late: the"):
        ccsim.with_changes(twice, {"roster[generalist/late].agents": 1})


def test_a_number_of_agents_for_a_group_and_shift_no_line_has_adds_the_line():
    # "two supervisors on the part-time shift" could not be said with --set (a walkthrough)
    shop = ccsim.load(SCENARIOS / "small_shop.yaml")
    added = ccsim.with_changes(shop, {"roster[supervisor/part].agents": 2})
    assert [(r.group, r.shift, r.agents) for r in added.roster] == [
        *[(r.group, r.shift, r.agents) for r in shop.roster],
        ("supervisor", "part", 2),
    ]
    assert sum(added.agents_per_group().values()) == sum(shop.agents_per_group().values()) + 2
    for path, value in (("roster[supervisor/part].agents", "*2"),
                        ("roster[supervisor/part].days", "mon")):  # fmt: skip
        with pytest.raises(ccsim.ScenarioError) as info:
            ccsim.with_changes(shop, {path: value})
        (said,) = [m.message for m in info.value.messages]
        assert said.startswith("no roster line is supervisor/part: the roster's lines are")
        assert said.endswith("; a number of agents adds it: roster[supervisor/part].agents=2")
    with pytest.raises(ccsim.ScenarioError) as info:  # (no such shift: nothing to add)
        ccsim.with_changes(shop, {"roster[supervisor/night].agents": 2})
    assert "adds it" not in info.value.messages[0].message
    sweep = ccsim.sweep(shop, {"roster[supervisor/part].agents": [0, 2]}, 1, workers=1)
    cost = sweep[(sweep.metric == "staff_cost") & (sweep.channel == "all")]["mean"].tolist()
    assert cost[1] > cost[0]


def test_a_star_in_a_path_sets_every_key_or_line_there(omni):
    # "+15 % on every channel" took one --set per channel, and a sweep then every
    # combination of them: 32 variants for 5 channels where 2 were meant (a walkthrough)
    v = ccsim.with_changes(omni, {"arrivals.*.weekly": "*1.15", "roster[*].agents": 1})
    for ch, arrivals in omni.arrivals.items():
        assert v.arrivals[ch].weekly == pytest.approx(1.15 * arrivals.weekly, rel=1e-12)
    assert [r.agents for r in v.roster] == [1] * len(omni.roster)
    assert v.arrivals["phone"].daily == omni.arrivals["phone"].daily  # nothing else
    with pytest.raises(ccsim.ScenarioError) as info:
        ccsim.with_changes(omni, {"name.*": 1})
    said = "<changes>: name.*: * stands for every key of name, and it has none"
    assert [str(m) for m in info.value.messages] == [said]
    # a field set twice, by a * and by its own path, is refused: one was lost (a review)
    for twice in (
        {"arrivals.phone.weekly": 200, "arrivals.*.weekly": "*2"},
        {"arrivals.*.weekly": "*2", "arrivals.phone.weekly": "*2"},
    ):
        with pytest.raises(
            ccsim.ScenarioError, match=re.escape("arrivals.phone.weekly is set by '")
        ):
            ccsim.with_changes(omni, twice)
    # the lines of a list; names holding a dot (they were read as two parts); a message
    # names the path as written and the field it reached
    assert [r.agents for r in ccsim.with_changes(omni, {"roster[*].agents": 2}).roster] == [
        2
    ] * len(omni.roster)
    dotted = ccsim.loads(MINIMAL.replace("email", "e.mail"))
    doubled = ccsim.with_changes(dotted, {"arrivals.*.weekly": "*2"})
    assert doubled.arrivals["e.mail"].weekly == 2 * dotted.arrivals["e.mail"].weekly
    with pytest.raises(ccsim.ScenarioError) as info:
        ccsim.with_changes(omni, {"*.phone.weekly": 3})
    assert str(info.value.messages[0]).startswith("<changes>: *.phone.weekly (name.phone.weekly):")
    # the same problem on every key is said once, at the path written (once per channel
    # until 2026-12-07); a problem on some of the keys stays on each of them
    with pytest.raises(ccsim.ScenarioError) as info:
        ccsim.with_changes(omni, {"arrivals.*.wekly": 3})
    said = "<changes>: arrivals.*.wekly: unknown key 'wekly'; did you mean 'weekly'?"
    assert [str(m) for m in info.value.messages] == [said]
    with pytest.raises(ccsim.ScenarioError) as info:  # under the field, too (a review)
        ccsim.with_changes(omni, {"arrivals.*.daily": [0.5, 0.5, 0, 0, 0, 0, "a"]})
    said = "<changes>: arrivals.*.daily[6]: got 'a' (expected a number)"
    assert [str(m) for m in info.value.messages] == [said]
    with pytest.raises(ccsim.ScenarioError) as info:  # a block set on every line: its
        ccsim.with_changes(omni, {"roster[*]": {"group": "x"}})  # losses said once too
    fields = [m.field for m in info.value.messages]
    assert sorted(fields) == ["roster[*]", "roster[*].agents", "roster[*].group", "roster[*].shift"]
    assert "(e.g. roster[*].group)" in str(info.value.messages[fields.index("roster[*]")])
    with pytest.raises(ccsim.ScenarioError) as info:
        ccsim.with_changes(omni, {"channels.*.patience": "2min"})
    messages = {ch for ch, c in omni.channels.items() if c.kind == "message"}
    assert {m.field for m in info.value.messages} == {f"channels.{ch}" for ch in messages}
    with pytest.raises(ccsim.ScenarioError) as info:  # at the field set, on some keys
        ccsim.with_changes(omni, {"targets.*.max_abandon": 0.1})
    refused = {f"targets.{ch}.max_abandon" for ch in [*messages, "escalation"]}
    assert (
        {m.field for m in info.value.messages}
        == refused
        < {f"targets.{ch}.max_abandon" for ch in omni.targets}
    )
    table = ccsim.sweep(omni, {"arrivals.*.weekly": ["*1", "*1.15"]}, 1, seed=3, workers=1)
    offered = table[table.metric == "offered"].set_index(["arrivals.*.weekly", "channel"])["mean"]
    assert sorted(set(table["arrivals.*.weekly"])) == ["*1", "*1.15"]  # two variants
    assert all(offered["*1.15", ch] > offered["*1", ch] for ch in omni.arrivals)


def test_sweep_is_tidy_and_monotone_in_staffing():
    s = ccsim.load(SCENARIOS / "erlang_check.yaml")
    table = ccsim.sweep(s, {"roster[0].agents": [13, 15]}, replications=3, seed=2, workers=1)
    assert {"roster[0].agents", "channel", "metric", "mean", "ci_low", "ci_high"} <= set(table)
    sl = table[table.metric == "sl_20s"].set_index("roster[0].agents")["mean"]
    assert sl[15] > sl[13]
    # same seed for every variant: offered volumes are identical
    offered = table[table.metric == "offered"].set_index("roster[0].agents")["mean"]
    assert offered[13] == offered[15]


def test_a_sweep_value_given_alone_is_one_value_and_an_empty_list_is_refused():
    # "600" swept the characters '6', '0', '0' (phone weekly 6, 0, 0); 600 was a TypeError
    s = ccsim.load(SCENARIOS / "small_shop.yaml")
    for given in ("600", 600, ["600"]):
        table = ccsim.sweep(s, {"arrivals.phone.weekly": given}, 1, seed=1, workers=1)
        offered = table.query("channel == 'phone' and metric == 'offered'")["mean"]
        assert len(offered) == 1 and 500 < offered.iloc[0] < 700, table
    with pytest.raises(ValueError, match="sweep: no values for 'shrinkage'"):
        ccsim.sweep(s, {"shrinkage": []}, 1, seed=1, workers=1)
    # a range, an array: several values, as a list is
    for given in (range(4, 6), np.arange(4, 6)):
        table = ccsim.sweep(s, {"roster[0].agents": given}, 1, seed=1, workers=1)
        assert sorted(set(table["roster[0].agents"])) == [4, 5]


def test_variants_without_a_roster_are_refused_as_a_run_is(tmp_path):
    s = ccsim.load(SCENARIOS / "small_shop.yaml")
    expected = f"{SCENARIOS / 'small_shop.yaml'} as changed: roster: no roster lines"
    with pytest.raises(ccsim.ScenarioError, match=re.escape(expected)):
        ccsim.compare(s, {"as is": {}, "nobody": {"roster": []}}, 1, seed=1, workers=1)
    with pytest.raises(ccsim.ScenarioError, match=re.escape(expected)):
        ccsim.sweep(s, {"roster": [[]]}, 1, seed=1, workers=1)
    # an unchanged variant is its file's scenario: the file is named, not "as changed"
    text = (SCENARIOS / "small_shop.yaml").read_text()
    bare = tmp_path / "bare.yaml"
    bare.write_text(text[: text.index("\nroster:")] + "\n")
    assert not ccsim.load(bare).roster
    with pytest.raises(ccsim.ScenarioError, match=re.escape(f"{bare}: roster: no roster lines")):
        ccsim.compare(ccsim.load(bare), {"as is": {}}, 1, seed=1, workers=1)
    for call in (  # with replications given too (the path reached .simulation first)
        lambda: ccsim.compare(str(SCENARIOS / "small_shop.yaml"), {"a": {}}, 2),
        lambda: ccsim.sweep(str(SCENARIOS / "small_shop.yaml"), {"shrinkage": 0.1}, 2),
        lambda: ccsim.capacity("small_shop.yaml", "calendars/ecommerce_2027.yaml"),
    ):
        with pytest.raises(TypeError, match="expected a Scenario"):
            call()
    with pytest.raises(ValueError, match="level must be a number between 0 and 1"):
        ccsim.compare(s, {"a": {}}, 1, seed=1, level=95)  # before any run
    with pytest.raises(ccsim.ScenarioError, match=re.escape("scenario 'Small shop week'")):
        text = (SCENARIOS / "small_shop.yaml").read_text()
        ccsim.simulate(ccsim.loads(text[: text.index("\nroster:")] + "\n"), 1, seed=1)


def test_compare_gives_paired_differences_under_common_random_numbers():
    s = ccsim.load(SCENARIOS / "erlang_check.yaml")
    agents = lambda n: {"roster[0].agents": n}  # noqa: E731
    table = ccsim.compare(
        s,
        {"13": agents(13), "15": agents(15), "13 again": agents(13)},
        replications=4,
        seed=2,
        workers=1,
    ).set_index(["variant", "channel", "metric"])
    assert {"mean", "ci_low", "ci_high", "diff", "diff_low", "diff_high"} <= set(table)
    # the first variant against itself, and an identical variant: exactly zero
    for name in ("13", "13 again"):
        rows = table.loc[name]
        assert (rows["diff"] == 0).all() and (rows["diff_high"] - rows["diff_low"] == 0).all()
    sl13, sl15 = table.loc[("13", "phone", "sl_20s")], table.loc[("15", "phone", "sl_20s")]
    assert sl15["diff"] == pytest.approx(sl15["mean"] - sl13["mean"])
    assert sl15["diff_low"] > 0  # two more agents: better, and significantly so
    # same customers in replication r of both: the paired interval is narrower than
    # the two separate intervals together
    paired = sl15["diff_high"] - sl15["diff_low"]
    separate = (sl15["ci_high"] - sl15["ci_low"]) + (sl13["ci_high"] - sl13["ci_low"])
    assert paired < separate
    assert table.loc[("15", "phone", "offered"), "diff"] == 0


def test_a_sweep_and_a_compare_show_what_each_variant_costs_a_week():
    """Beside what a variant buys, what it costs (neither said it until 2026-12-07): per
    variant the week's staff cost (the roster's wages and overhead: the same in every
    replication) and total cost (with the per-contact costs of what each replication
    offered), as `ccsim run` counts them."""
    shop = ccsim.load(SCENARIOS / "small_shop.yaml")
    line = shop.roster[0]
    one = agent_cost(shop, line.group, shop.shifts[line.shift])
    agents = [line.agents, line.agents + 2]
    table = ccsim.sweep(shop, {"roster[0].agents": agents}, 3, seed=4, workers=1)
    cost = table[table.channel == "all"].set_index(["roster[0].agents", "metric"])
    assert set(cost.index.get_level_values("metric")) == {"staff_cost", "total_cost"}
    for n in agents:
        run = ccsim.simulate(ccsim.with_changes(shop, {"roster[0].agents": n}), 3, 4, workers=1)
        staff = cost.loc[(n, "staff_cost")]
        assert staff["mean"] == round(run.cost["wages"] + run.cost["overhead"], 2)
        assert staff["ci_low"] == staff["mean"] == staff["ci_high"]  # no randomness in it
        # the mean of each replication's cents against the cents of the mean offered: at
        # most half a cent of rounding a channel each way
        total = cost.loc[(n, "total_cost")]
        assert total["mean"] == pytest.approx(run.cost["total"], abs=0.01 * len(shop.channels))
        assert total["ci_low"] < total["mean"] < total["ci_high"]  # the contacts vary
    more = cost.loc[(agents[1], "staff_cost"), "mean"] - cost.loc[(agents[0], "staff_cost"), "mean"]
    assert more == pytest.approx(2 * one, abs=0.01)
    # compare: the difference to the first variant, paired; exact for the staff cost
    compared = ccsim.compare(
        shop, {"as is": {}, "+2": {"roster[0].agents": agents[1]}}, 3, seed=4, workers=1
    ).set_index(["variant", "channel", "metric"])
    plus = compared.loc[("+2", "all", "staff_cost")]
    assert plus["diff"] == pytest.approx(2 * one, abs=0.01)
    assert plus["diff_low"] == plus["diff"] == plus["diff_high"]
    assert compared.loc[("+2", "all", "total_cost"), "diff"] == pytest.approx(2 * one, abs=0.05)
    # a sweep gives the same paired differences to its first combination (it gave none:
    # two overlapping CIs read as "no effect" where the paired one showed a clear one)
    swept = table.set_index(["roster[0].agents", "channel", "metric"]).loc[agents[1]]
    columns = ["mean", "ci_low", "ci_high", "diff", "diff_low", "diff_high"]
    pd.testing.assert_frame_equal(swept[columns], compared.loc["+2"][columns])
    assert (table.set_index("roster[0].agents").loc[agents[0], "diff"] == 0).all()
    # every variant's costs in the scenario's currency: a variant in another was
    # labelled in the scenario's (a review)
    with pytest.raises(ValueError, match=r"costs.currency of a variant: .* currency, EUR"):
        ccsim.sweep(shop, {"costs.currency": ["EUR", "USD"]}, 1, seed=4, workers=1)


def test_the_sweep_console_shows_the_cost_and_no_abandon_rate_where_nobody_can_abandon():
    """Abandon rates were printed for the e-mail channel and the escalations, always
    0.0 % (nobody hangs up on a message); the week's costs were not printed at all."""
    r = cli("sweep", str(SCENARIOS / "small_shop.yaml"), "--set", "roster[0].agents=4,6",
            "-n", "2", "-w", "1")  # fmt: skip
    assert r.returncode == 0, r.stderr
    rows = [line for line in r.stdout.splitlines() if "│" in line]
    abandon = {line.split("│")[2].strip() for line in rows if "abandon_rate" in line}
    assert abandon == {"phone", "chat"}, r.stdout
    staff = [line for line in rows if "staff_cost / week" in line]
    assert len(staff) == 2 and all(re.search(r"\d,?\d*\.\d\d EUR", x) for x in staff), r.stdout
    # the difference to the first combination, paired: none for the first itself; two
    # agents more on the line cost exactly their pay (no CI), and change service levels
    # by a paired interval
    shop = ccsim.load(SCENARIOS / "small_shop.yaml")
    line = shop.roster[0]
    assert staff[0].split("│")[-2].strip() == ""
    assert (
        staff[1].split("│")[-2].strip()
        == f"+{2 * agent_cost(shop, line.group, shop.shifts[line.shift]):,.2f}"
    )
    phone = [line for line in rows if "│ phone" in line and "sl_" in line]
    assert re.fullmatch(
        r"[+-]\d+\.\d pts \([+-]\d+\.\d to [+-]\d+\.\d\)", phone[1].split("│")[-2].strip()
    )
    assert len([line for line in rows if "total_cost / week" in line]) == 2


def test_a_volume_or_wage_set_ten_times_off_is_warned():
    """`arrivals.chat.weekly=1.2`, meant as +20 %, simulated 1.2 chats a week, `*20`
    twenty times the chats, and a wage of 1400 (cents) was taken, without a word (a
    planner's walkthrough); a volume scaled by 1.2, or set to 0, is a what-if."""
    shop = ccsim.load(SCENARIOS / "small_shop.yaml")

    def said(changes):
        variant = ccsim.with_changes(shop, changes)
        return [m.message for m in variant.warnings if m.field in changes]

    assert said({"arrivals.chat.weekly": 1.2}) == [
        "1.2 sets 400 to 1.2 (×0.003): to scale the number there, write *1.2"
    ]
    assert said({"arrivals.chat.weekly": "*20"}) == [
        "*20 sets 400 to 8,000 (×20): for 20 % more, write *1.2"
    ]
    # a scale down read as an increase (`*0.05` for 5 % more), a value set far up (a review)
    assert said({"arrivals.chat.weekly": "*0.05"}) == [
        "*0.05 sets 400 to 20 (×0.05): for 5 % more, write *1.05"
    ]
    assert said({"arrivals.chat.weekly": 40000}) == [
        "40000 sets 400 to 40,000 (×100): check that it is the number meant"
    ]
    [wage] = said({"groups.generalist.wage": 1350})
    assert wage.endswith("(×100): a wage per paid hour: in cents, it is 13.5")
    for fine in ({"arrivals.chat.weekly": "*1.2"}, {"arrivals.chat.weekly": 0},
                 {"arrivals.chat.weekly": 4000}, {"groups.generalist.wage": 1.35}):  # fmt: skip
        assert said(fine) == [], fine
    r = cli("compare", str(SCENARIOS / "small_shop.yaml"), "--variant",
            "chat: arrivals.chat.weekly=1.2", "-n", "2", "-w", "1", "-q")  # fmt: skip
    assert r.returncode == 0 and r.stderr.startswith(
        "ccsim: warning: variant 'chat': arrivals.chat.weekly: 1.2 sets 400 to 1.2"
    ), r.stderr


def test_one_replication_shows_no_ci_in_run_and_compare(tmp_path):
    """One replication has no spread; its CIs were shown zero-wide (`90.7%–90.7%`) as if
    exact, in `run` (targets, occupancy, the HTML report) and in `compare` (the paired
    difference too)."""
    shop = str(SCENARIOS / "small_shop.yaml")
    r = cli("run", shop, "-n", "1", "-w", "1", "-q", "--out", str(tmp_path / "one"), "--report")
    assert r.returncode == 0, r.stderr
    rows = [line for line in r.stdout.splitlines() if "│" in line and "%" in line]
    assert rows and all("none (1 rep)" in line for line in rows), r.stdout
    assert "one replication: no spread, so no CI, and ✓/✗ compare the estimate alone" in r.stdout
    # nor a one-sided bound, which was the estimate again (`90.7% … 90.7%`: a review)
    judged = cli("run", shop, "-n", "1", "-w", "1", "-q", "--confidence", "0.95")
    rows = [line.split("│") for line in judged.stdout.splitlines() if "│ 30s ≥ 80%" in line]
    assert [cell.strip() for cell in rows[0][4:6]] == ["none (1 rep)"] * 2, judged.stdout
    assert not re.search(r"(\d+\.\d%)–\1", r.stdout), r.stdout
    page = (tmp_path / "one" / "report.html").read_text(encoding="utf-8")
    assert page.count("<td>none (1 rep)</td>") == 6  # small_shop's six targets
    sheet = openpyxl.load_workbook(tmp_path / "one" / "report.xlsx")["Targets"]
    header = [c.value for c in sheet[1]]
    lows = [row[header.index("95% CI low")] for row in sheet.iter_rows(2, values_only=True)]
    assert lows and set(lows) == {None}  # (the estimate, twice, until 2026-12-07)
    # a target per interval's worst period: no CI either (`mon 09:00 40.0% (40.0%–40.0%)`)
    scoped = tmp_path / "scoped.yaml"
    scoped.write_text(MINIMAL.replace("at_least: 0.8", "at_least: 0.8, per: interval"))
    r = cli("run", str(scoped), "-n", "1", "-w", "1", "-q")
    (line,) = [x for x in r.stdout.splitlines() if "│ 20s ≥ 80% per interval" in x]
    assert line.count("none (1 rep)") == 1 and not re.search(r"%–\d|% \(", line), line
    r = cli("compare", shop, "--variant", "more: roster[0].agents=9", "-n", "1", "-w", "1", "-q")
    assert r.returncode == 0, r.stderr
    rows = [line.split("│") for line in r.stdout.splitlines() if "│ sl_30s" in line]
    assert [row[-3].strip() for row in rows] == ["none (1 rep)"] * 2, r.stdout
    assert re.fullmatch(r"\+\d+\.\d pts \(1 replication: no CI\)", rows[1][-2].strip())
    r = cli("run", shop, "-n", "2", "-w", "1", "-q")  # two: a CI
    assert "none (1 rep)" not in r.stdout and re.search(r"\d%–\d", r.stdout)
    assert "one replication" not in r.stdout


def test_a_later_combination_equal_to_the_first_shows_its_difference_of_nothing():
    """`roster[0].agents=4,4`: the second combination's "vs first" was blank, as if it
    were the first (the console matched the first by its values)."""
    r = cli("sweep", str(SCENARIOS / "small_shop.yaml"), "--set", "roster[0].agents=4,4",
            "-n", "2", "-w", "1")  # fmt: skip
    assert r.returncode == 0, r.stderr
    rows = [line for line in r.stdout.splitlines() if "│" in line]
    versus = [line.split("│")[-2].strip() for line in rows if "staff_cost / week" in line]
    assert versus == ["", "+0.00"], r.stdout
    phone = [line.split("│")[-2].strip() for line in rows if "│ phone" in line and "sl_" in line]
    assert phone[-1] == "+0.0 pts (+0.0 to +0.0)", r.stdout
    # combinations of unequal rows (a channel nobody reached has no rates): a count of
    # rows put the cut inside the second, or compared the first with itself (a review)
    for order in ("0,400", "400,0"):
        r = cli("sweep", str(SCENARIOS / "small_shop.yaml"), "--set",
                f"arrivals.chat.weekly={order}", "-n", "2", "-w", "1")  # fmt: skip
        rows = [line.split("│") for line in r.stdout.splitlines() if "│" in line]
        first = [row[-2].strip() for row in rows if row[1].strip() == order.split(",")[0]]
        later = [row[-2].strip() for row in rows if row[1].strip() == order.split(",")[1]]
        assert set(first) == {""} and "" not in later, r.stdout
        chat = [row[-2].strip() for row in rows if row[2].strip() == "chat"]
        if order == "0,400":  # no chat in the first: nothing to differ from
            assert chat == ["n/a (not measured in every replication)"] * 2, r.stdout


def test_compare_on_the_command_line_sets_named_variants_beside_the_scenario_as_it_is():
    """`ccsim compare` (there was none: only `ccsim.compare` named variants of several
    changes each — a walkthrough): the scenario as it is first, each variant's rows as
    the API gives them, differences to the scenario unchanged."""
    shop = SCENARIOS / "small_shop.yaml"
    more = "more: roster[generalist/late].agents=*2; anger=off"
    hours = 'hours: channels.phone.open={mon-fri: "08:00-20:00"}; name="a; b"'
    r = cli("compare", str(shop), "--variant", more, "--variant", hours,
            "-n", "2", "--seed", "3", "-w", "1", "--json")  # fmt: skip
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    s = ccsim.load(shop)
    late = {"roster[generalist/late].agents": "*2", "anger": "off"}
    opened = {"channels.phone.open": {"mon-fri": "08:00-20:00"}, "name": "a; b"}
    assert doc["variants"] == {"as is": {}, "more": late, "hours": opened}
    with pytest.warns(ScenarioWarning, match=r"^variant 'hours': channels\.phone\.open: .*no"):
        api = ccsim.compare(s, doc["variants"], 2, seed=3, workers=1)  # (08:00, nobody on)
    assert doc["rows"] == json.loads(api.to_json(orient="records"))
    assert "ccsim: warning: variant 'hours': channels.phone.open: channel is open" in r.stderr
    shown = cli("compare", str(shop), "--variant", more, "-n", "2", "--seed", "3", "-w", "1")
    staff = [line.split("│") for line in shown.stdout.splitlines() if "staff_cost" in line]
    line = next(x for x in s.roster if (x.group, x.shift) == ("generalist", "late"))
    added = line.agents * agent_cost(s, "generalist", s.shifts["late"])
    assert [row[1].strip() for row in staff] == ["as is", "more"]
    assert [row[-2].strip() for row in staff] == ["", f"+{added:,.2f}"], shown.stdout
    # usage: a name, one value a key, names of their own; a change that names no field
    # is the scenario's problem, said with the variant's name
    for variants, said in (
        (["roster[0].agents=6"], "expected NAME: KEY=VALUE"),
        (["a: ;"], "expected NAME: KEY=VALUE"),  # no change: it was a copy of `as is`
        (["a: roster[0].agents=6,7"], "one value a key"),
        (["as is: anger=off"], "the scenario unchanged's name"),
        (["a: anger=off", "a: anger=on"], "--variant 'a' given twice"),
    ):
        options = [x for v in variants for x in ("--variant", v)]
        bad = cli("compare", str(shop), *options, "-n", "1", "-w", "1")
        assert bad.returncode == 2 and said in bad.stderr, bad.stderr
    # an apostrophe inside a value opens no quote (it swallowed the rest: a review), and
    # a name may hold a colon
    assert variant("open 08:00: name=Bob's shop; anger=off") == (
        "open 08:00",
        {"name": "Bob's shop", "anger": "off"},
    )
    bad = cli("compare", str(shop), "--variant", "a: roster[0].agnts=6", "-n", "1", "-w", "1")
    assert bad.returncode == 1 and "variant 'a': roster[0].agnts: unknown key" in bad.stderr


def _sweep_json(*settings: str):
    """`ccsim sweep small_shop.yaml --set …` on one replication, one worker, as JSON."""
    sets = [arg for setting in settings for arg in ("--set", setting)]
    return cli("sweep", str(SCENARIOS / "small_shop.yaml"), *sets, "-n", "1", "--json", "-w", "1")


def test_sweep_cli():
    r = _sweep_json("roster[0].agents=2,4", "anger=on,off")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["grid"] == {"roster[0].agents": [2, 4], "anger": ["on", "off"]}
    variants = {(row["roster[0].agents"], row["anger"]) for row in doc["rows"]}
    assert variants == {(2, "on"), (2, "off"), (4, "on"), (4, "off")}
    assert cli("sweep", str(SCENARIOS / "small_shop.yaml"), "--set", "novalue").returncode == 2
    bad = cli("sweep", str(SCENARIOS / "small_shop.yaml"), "--set", "roster[0].group=x", "-n", "1")
    assert bad.returncode == 1 and "unknown group" in bad.stderr and "Traceback" not in bad.stderr


def test_sweep_cli_scales_the_current_number_with_a_star():
    """`--set KEY=*1.2` (docs/cli.md): YAML would read `*1.2` as an alias; the command
    scales the scenario's own number instead, beside plain values."""
    shop = ccsim.load(SCENARIOS / "small_shop.yaml")
    weekly = shop.arrivals["phone"].weekly
    r = _sweep_json(f"arrivals.phone.weekly=*2, {weekly}")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["grid"] == {"arrivals.phone.weekly": ["*2", weekly]}
    offered = {
        row["arrivals.phone.weekly"]: row["mean"]
        for row in doc["rows"]
        if row["channel"] == "phone" and row["metric"] == "offered"
    }
    assert offered["*2"] > 1.5 * offered[weekly]


@pytest.mark.parametrize(
    ("setting", "said"),
    [  # each was "found undefined alias '1e400' in "<unicode string>"…", exit 2
        ("roster[0].agents=*1e400", "<changes>: roster[0].agents: got inf (expected a finite"),
        ("roster[0].agents=*-1", "<changes>: roster[0].agents: got -"),
        ("roster[0].agents=*nan", "<changes>: roster[0].agents: got nan (expected a finite"),
    ],
)
def test_a_star_or_plus_value_is_text_whatever_follows_the_sign(setting, said):
    r = _sweep_json(setting)
    assert r.returncode == 1 and r.stderr.strip().splitlines()[-1].startswith(said), r.stderr
    assert "alias" not in r.stderr


def test_a_set_value_yaml_cannot_read_says_so_without_yamls_internals():
    r = cli("sweep", str(SCENARIOS / "small_shop.yaml"), "--set", "shrinkage=[a, b")
    assert r.returncode == 2 and "cannot read the values (expected ',' or ']'" in r.stderr
    assert "<unicode string>" not in r.stderr and 'KEY="a, b"' in r.stderr
    r = cli(  # the second one alone was swept
        "sweep", str(SCENARIOS / "small_shop.yaml"), "--set", "shrinkage=0.1", "--set",
        "shrinkage=0.2",
    )  # fmt: skip
    assert r.returncode == 2 and r.stderr.strip() == (
        "ccsim: error: --set shrinkage given twice: give its values in one --set (shrinkage=V1,V2)"
    )


def test_a_saved_variant_writes_the_scenario_it_simulated(omni, tmp_path):
    variant = ccsim.with_changes(omni, {"faq_deflection": 0.25, "arrivals.phone.weekly": "*1.2"})
    assert omni.as_in_source and not variant.as_in_source
    folder = ccsim.save(ccsim.simulate(variant, 1, seed=1), tmp_path / "variant")
    back = ccsim.load(folder / "scenario.yaml")  # not a copy of the original file
    assert back.faq_deflection == 0.25
    assert back.model_dump() == variant.model_dump()
    # the variant itself, as a scenario file (an AttributeError deep in the report)
    written = ccsim.save(variant, tmp_path / "variant.yaml")
    assert ccsim.load(written).model_dump() == variant.model_dump()
    with pytest.raises(TypeError, match="save writes a Result, Plan, CapacityPlan or Scenario"):
        ccsim.save({"roster": []}, tmp_path / "x")


def test_a_run_saved_after_its_file_was_edited_keeps_the_scenario_it_simulated(tmp_path):
    # the edited file was copied beside the figures of the old one
    text = (SCENARIOS / "small_shop.yaml").read_text()
    f = tmp_path / "shop.yaml"
    f.write_text(text)
    s = ccsim.load(f)
    result = ccsim.simulate(s, 1, seed=1, workers=1)
    unchanged = ccsim.save(result, tmp_path / "before")
    assert (unchanged / "scenario.yaml").read_text() == text  # as written, comments kept
    f.write_text(
        text.replace("name: ", "name: edited ", 1).replace("shrinkage: ", "shrinkage: 0.2 #", 1)
    )
    folder = ccsim.save(result, tmp_path / "after")
    assert ccsim.load(folder / "scenario.yaml").model_dump() == s.model_dump()
    # a scenario from text named after a file that says something else
    other = ccsim.loads(text.replace("name: ", "name: from text ", 1), name=str(f))
    folder = ccsim.save(ccsim.simulate(other, 1, seed=1, workers=1), tmp_path / "text")
    assert ccsim.load(folder / "scenario.yaml").model_dump() == other.model_dump()


def test_a_run_of_a_scenario_reading_an_intraday_csv_is_saved_self_contained(tmp_path):
    # the file was copied as written, without its CSV: `ccsim report` of the folder failed
    (tmp_path / "phone.csv").write_text("".join(f"{h % 5 + 1}\n" for h in range(24)))
    text = (SCENARIOS / "small_shop.yaml").read_text()
    start = text.index("    intraday: [0, 0, 0")
    end = text.index("    overdispersion", start)
    f = tmp_path / "s.yaml"
    f.write_text(text[:start] + "    intraday: {csv: phone.csv}\n" + text[end:])
    s = ccsim.load(f)
    folder = ccsim.save(ccsim.simulate(s, 1, seed=1, workers=1), tmp_path / "out" / "run")
    again = ccsim.load(folder / "scenario.yaml")  # no phone.csv beside it
    assert again.arrivals["phone"].intraday_weights(60)[0] == pytest.approx(
        s.arrivals["phone"].intraday_weights(60)[0]
    )
    assert ccsim.write_report(folder)


TABLED = """
name: a week on a staffing table
simulation: {horizon: 2d, interval: 1h, seed: 3, replications: 1}
channels: {phone: {kind: voice}}
arrivals: {phone: {weekly: 300}}
reasons: {call: {mix: {phone: 1}, resolve: {mean: 3min, cv: 0.8}}}
anger: off
groups: {agents: {skills: {phone: 1}}}
staffing: {csv: staffing.csv}
"""


def test_a_scenario_reading_a_table_is_saved_with_it(tmp_path):
    # the table was not copied: the saved variant and a run folder's scenario.yaml
    # named a staffing.csv that was not there (`ccsim report` failed on the folder)
    source = tmp_path / "src"
    source.mkdir()
    (source / "staffing.csv").write_text("day,time,group,agents\nmon,09:00,agents,2\n")
    (source / "s.yaml").write_text(TABLED)
    s = ccsim.load(source / "s.yaml")
    variant = ccsim.with_changes(s, {"arrivals.phone.weekly": 350})
    out = tmp_path / "out"
    written = ccsim.save(variant, out / "v.yaml")
    assert (out / "staffing.csv").read_text() == (source / "staffing.csv").read_text()
    assert ccsim.load(written).model_dump(exclude={"staffing"}) == variant.model_dump(
        exclude={"staffing"}
    )
    assert ccsim.save(variant, out / "v.yaml") == written  # its own file: replaced
    (out / "mine.yaml").write_text("name: mine\n")
    with pytest.raises(OutputError, match="exists and was not written by ccsim"):
        ccsim.save(variant, out / "mine.yaml")
    (out / "staffing.csv").write_text("day,time,group,agents\nmon,09:00,agents,9\n")
    with pytest.raises(OutputError, match=r"staffing\.csv: exists and differs from"):
        ccsim.save(variant, out / "v2.yaml")
    assert not (out / "v2.yaml").exists()
    for what in (s, variant):  # the file as written and a variant: the folder reports
        folder = ccsim.save(ccsim.simulate(what, 1, seed=1), tmp_path / f"run{what is s}")
        assert (folder / "staffing.csv").is_file()
        ccsim.write_report(folder)


@pytest.mark.parametrize("call", ["simulate", "compare", "plan"])
def test_zero_replications_are_refused_not_taken_for_the_scenarios(call):
    # `replications=0` ran the scenario's default (5; the plan's 8) without a word
    s = ccsim.load(SCENARIOS / "small_shop.yaml")
    with pytest.raises(ValueError, match=r"at least .*, got 0"):
        if call == "simulate":
            ccsim.simulate(s, replications=0)
        elif call == "compare":
            ccsim.compare(s, {"a": {}, "b": {"shrinkage": 0.1}}, replications=0)
        else:
            ccsim.plan(s, replications=0)


@pytest.mark.parametrize(
    "call, wrong",
    [
        (lambda s: ccsim.simulate(s, replications=2.5), "replications must be a whole number"),
        (lambda s: ccsim.compare(s, {"a": {}}, replications="3"), "replications must be"),
        (lambda s: ccsim.plan(s, replications=2.5), "replications must be a whole number"),
        (lambda s: ccsim.plan(s, verify=True), "verify must be a whole number at least 2"),
        (lambda s: ccsim.simulate(s, 2, workers=1.5), "workers must be a whole number"),
        (lambda s: ccsim.simulate(s, 2, workers=-1), "workers must be a whole number"),
        (  # it ran on every core, as --workers (which refuses 0) never does
            lambda s: ccsim.compare(s, {"a": {}}, 2, workers=0),
            r"workers must be a whole number at least 1, got 0 \(None: the machine's cores\)",
        ),
        (lambda s: ccsim.simulate(s, 2, seed=2.5), "a seed must be a whole number"),
        (lambda s: ccsim.simulate(s, 2, seed=2**1100), "a seed must be a whole number"),
        (lambda s: ccsim.simulate(s, -(10**400)), "replications must be a whole number"),
    ],
    ids=[
        *("simulate", "compare", "plan", "verify", "workers", "negative workers"),
        *("zero workers", "seed"),
        *("huge seed", "huge negative"),
    ],
)
def test_counts_and_seeds_that_are_not_whole_numbers_are_refused(call, wrong):
    # replications=2.5 was a TypeError from inside the run, plan(replications=2.5) was
    # accepted, workers=-1 ran, and seed=2.5 was taken for seed 2
    s = ccsim.load(SCENARIOS / "small_shop.yaml")
    with pytest.raises(ValueError, match=wrong):
        call(s)


def test_whole_numbers_of_any_type_are_accepted():
    s = ccsim.load(SCENARIOS / "small_shop.yaml")
    result = ccsim.simulate(s, replications=np.int64(2), workers=1, seed=3.0)
    assert len(result.tables) == 2 and result.seed == 3


def test_a_date_set_from_python_or_the_command_line():
    # a pandas Timestamp at midnight is a date; one with a time of day is not; a date
    # named by --set broke `sweep --json` (a TypeError)
    import pandas as pd

    shop = ccsim.load(SCENARIOS / "small_shop.yaml")
    s = ccsim.with_changes(shop, {"simulation.start": pd.Timestamp("2024-01-08")})
    assert str(s.simulation.start) == "2024-01-08"
    with pytest.raises(ccsim.ScenarioError, match="expected a date written YYYY-MM-DD"):
        ccsim.with_changes(shop, {"simulation.start": pd.Timestamp("2024-01-08 10:00")})
    r = cli(
        "sweep", str(SCENARIOS / "small_shop.yaml"), "--set", "simulation.start=2024-01-08",
        "-n", "1", "--workers", "1", "--json",
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["grid"] == {"simulation.start": ["2024-01-08"]}


def test_results_of_a_table_changed_on_disk_are_not_added(tmp_path):
    # plain() names a table by its file: a run before and one after the file changed
    # were pooled as one scenario's
    (tmp_path / "staffing.csv").write_text("day,time,group,agents\nmon,09:00,agents,2\n")
    (tmp_path / "s.yaml").write_text(TABLED)
    before = runner.run(ccsim.load(tmp_path / "s.yaml"), 1, seed=1, workers=1)
    again = runner.run(ccsim.load(tmp_path / "s.yaml"), 1, seed=1, workers=1, first=1)
    assert [t.index for t in (before + again).tables] == [0, 1]  # the same file: added
    (tmp_path / "staffing.csv").write_text("day,time,group,agents\nmon,09:00,agents,5\n")
    after = runner.run(ccsim.load(tmp_path / "s.yaml"), 1, seed=1, workers=1, first=1)
    with pytest.raises(ValueError, match="different scenarios"):
        before + after


def test_a_sign_a_seed_or_a_replication_count_in_a_variant_is_refused_not_ignored():
    s = ccsim.load(SCENARIOS / "small_shop.yaml")
    # "+1" was read as 1: the first roster line went from 4 agents to 1
    with pytest.raises(ccsim.ScenarioError, match=r"roster\[0\]\.agents: \+1 is not an increment"):
        ccsim.with_changes(s, {"roster[0].agents": "+1"})
    r = cli("sweep", str(SCENARIOS / "small_shop.yaml"), "--set", "roster[0].agents=+1", "-n", "1")
    assert r.returncode == 1 and "+1 is not an increment" in r.stderr, r.stderr
    # a variant's own seed or replications were ignored: a seed sweep showed no spread
    for changes in ({"simulation.seed": 99}, {"simulation.replications": 10}):
        with pytest.raises(ValueError, match="every variant runs the same replications"):
            ccsim.compare(s, {"a": {}, "b": changes}, 1, seed=1, workers=1)
    for grid in (None, "roster[0].agents=3"):
        with pytest.raises(TypeError, match=r"grid: expected \{field path: values\}"):
            ccsim.sweep(s, grid, 1, seed=1, workers=1)


def test_a_block_set_whole_keeps_what_it_does_not_name_or_is_refused():
    """`arrivals.phone: {weekly: 550}` sent daily and intraday back to uniform and flat:
    77 % of the calls arrived while the phone was closed and were lost, silently."""
    s = ccsim.load(SCENARIOS / "small_shop.yaml")
    with pytest.raises(ccsim.ScenarioError) as caught:
        ccsim.with_changes(s, {"arrivals.phone": {"weekly": 550}})
    assert str(caught.value.messages[0]) == (
        "<changes>: arrivals.phone: sets the whole block, so daily, intraday and "
        "overdispersion would lose the scenario's values: to change one value give its own "
        "path (e.g. arrivals.phone.weekly); to replace the block, name them too"
    )
    # every field named, in the mapping or by a path of its own: as asked
    phone = s.plain()["arrivals"]["phone"]
    v = ccsim.with_changes(s, {"arrivals.phone": {**phone, "weekly": 550}})
    assert v.arrivals["phone"].weekly == 550
    assert v.plain()["arrivals"]["phone"]["daily"] == phone["daily"]
    v = ccsim.with_changes(
        s,
        {"arrivals.phone": {"weekly": 550}, "arrivals.phone.daily": "uniform",
         "arrivals.phone.intraday": "flat", "arrivals.phone.overdispersion": 0},
    )  # fmt: skip
    assert v.plain()["arrivals"]["phone"]["daily"] == "uniform"
    # a mapping of the file's own keys (opening hours) is replaced whole, as before
    v = ccsim.with_changes(s, {"channels.phone.open": {"mon-fri": "09:00-18:00"}})
    assert v.plain()["channels"]["phone"]["open"] == {"mon-fri": "09:00-18:00"}
    # (the review) a path before the block is overwritten by it: it names nothing
    with pytest.raises(ccsim.ScenarioError, match="so overdispersion would lose the scenario"):
        ccsim.with_changes(
            s,
            {"arrivals.phone.overdispersion": 0.3,
             "arrivals.phone": {"weekly": 550, "daily": "uniform", "intraday": "flat"}},
        )  # fmt: skip
    # another distribution: the Weibull's shape has no use there, so nothing is lost
    exponential = {"dist": "exponential", "mean": "3min", "balk": 0.05}
    v = ccsim.with_changes(s, {"channels.phone.patience": exponential})
    assert v.channels["phone"].patience.dist == "exponential"
    # a block written back in its short form (a share alone) crashed the check
    per_day = ccsim.with_changes(s, {"targets.phone.max_abandon": {"at_most": 0.08, "per": "day"}})
    with pytest.raises(ccsim.ScenarioError, match="so per would lose the scenario's value"):
        ccsim.with_changes(per_day, {"targets.phone.max_abandon": {"at_most": 0.05}})
    # (the second review) a field set to nothing is lost too — the abandon target, a
    # patience (callers who never hang up) —, and a block inside the block is checked
    with pytest.raises(ccsim.ScenarioError, match="so max_abandon would lose the scenario"):
        ccsim.with_changes(s, {"targets.phone": {"service": [{"within": "30s", "at_least": 0.8}]}})
    phone = s.plain()["channels"]["phone"]
    with pytest.raises(ccsim.ScenarioError, match="so patience would lose the scenario"):
        ccsim.with_changes(s, {"channels.phone": {"kind": "voice", "open": phone["open"]}})
    with pytest.raises(ccsim.ScenarioError) as caught:
        ccsim.with_changes(s, {"channels.phone": {**phone, "patience": {"mean": "4min"}}})
    assert str(caught.value.messages[0]).startswith(
        "<changes>: channels.phone.patience: sets the whole block, so dist and balk would lose"
    )
    v = ccsim.with_changes(s, {"channels.phone": {**phone, "patience": exponential}})
    assert v.channels["phone"].patience.dist == "exponential"
    # a block whose loss makes the variant invalid: the loss is named beside the error
    with pytest.raises(ccsim.ScenarioError) as caught:
        ccsim.with_changes(s, {"simulation": {"start": "2024-01-03"}})
    shown = [str(m) for m in caught.value.messages]
    assert "intraday profile has 24 values, expected 48" in shown[0]
    assert shown[-1].startswith("<changes>: simulation: sets the whole block, so horizon")


def test_a_switch_on_a_block_keeps_its_values():
    """`anger: on` replaced the file's curve by the defaults (escalate_above 0.95 → 1.0:
    anger never escalated) — a model other than the file's for "on"."""
    s = ccsim.load(SCENARIOS / "small_shop.yaml")
    assert s.anger.enabled and s.anger.escalate_above == 0.95  # not the default, 1.0
    off = ccsim.with_changes(s, {"anger": "off"})
    assert not off.anger.enabled and off.anger.escalate_above == 0.95
    for on in ("on", True, "yes"):
        back = ccsim.with_changes(off, {"anger": on})
        assert back.anger == s.anger, on
    with pytest.raises(
        ccsim.ScenarioError, match=r"so escalate_above would lose the scenario.s value"
    ):
        ccsim.with_changes(s, {"anger": {"enabled": True}})


def test_compare_names_the_variant_counts_progress_once_and_refuses_a_list():
    s = ccsim.load(SCENARIOS / "small_shop.yaml")
    with pytest.raises(ccsim.ScenarioError) as caught:
        ccsim.compare(s, {"as is": {}, "more calls": {"arrivals.phone.weekly": -5}}, 1, seed=1)
    assert str(caught.value.messages[0]).startswith(
        "variant 'more calls': arrivals.phone.weekly: got -5"
    )
    with pytest.raises(TypeError, match=r"variants: expected \{name: changes\}, got list"):
        ccsim.compare(s, [{}, {"roster[0].agents": 5}], 1, seed=1)
    with pytest.raises(
        TypeError, match=r"compare\(\) got an unexpected keyword argument 'wrokers'"
    ):
        ccsim.compare(s, {"a": {}}, 1, seed=1, wrokers=1)
    calls: list[tuple[int, int]] = []  # one bar over every variant: it went back to 0
    ccsim.compare(s, {"a": {}, "b": {}}, 2, seed=1, workers=1, progress=lambda *c: calls.append(c))
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_a_start_date_set_as_a_what_if_brings_its_own_day():
    """`simulation.start: 2024-01-03` was refused ("is a wed, but start_day says mon": the
    day the scenario's copy held), so a period not starting on a Monday could not be set."""
    s = ccsim.load(SCENARIOS / "small_shop.yaml")
    v = ccsim.with_changes(s, {"simulation.start": "2024-01-03"})
    assert str(v.simulation.start) == "2024-01-03" and v.simulation.start_day == "wed"
    with pytest.raises(ccsim.ScenarioError, match="is a wed, but start_day says mon"):
        ccsim.with_changes(s, {"simulation.start": "2024-01-03", "simulation.start_day": "mon"})
    dated = ccsim.with_changes(s, {"simulation.start": "2024-01-03"})  # a date removed: the
    assert ccsim.with_changes(dated, {"simulation.start": None}).simulation.start_day == "wed"
    block = {k: v for k, v in s.plain()["simulation"].items() if k != "start_day"}
    v = ccsim.with_changes(s, {"simulation": {**block, "start": "2024-01-03"}})
    assert v.simulation.start_day == "wed"  # (not "start_day would lose the scenario's value")


def test_a_roster_table_edited_in_a_notebook_is_a_roster_change():
    # `with_changes(p.scenario, {"roster": table})` with a plan's roster table (its
    # agents edited) was "roster[0]: got 'group' …": a DataFrame read as its column names
    s = ccsim.load(SCENARIOS / "small_shop.yaml")
    table = pd.DataFrame(
        {
            "group": [line.group for line in s.roster],
            "shift": [line.shift for line in s.roster],
            "agents": np.array([line.agents for line in s.roster], dtype=np.int64) + 1,
            "start": 480.0,  # the columns a Plan's roster table has beside a line's
            "length_h": 8.0,
            "days": "mon-fri",
            "paid_hours": 40.0,
            "staff_cost": 600.0,
        }
    )
    changed = ccsim.with_changes(s, {"roster": table})
    assert [(x.group, x.shift, x.agents) for x in changed.roster] == [
        (x.group, x.shift, x.agents + 1) for x in s.roster
    ]
    assert all(type(x.agents) is int for x in changed.roster)


def test_a_bare_number_a_variant_gives_a_duration_is_warned_as_in_a_file():
    # `--set targets.phone.service[0].within=20,30` measured 20 and 30 minutes without a
    # word (the column said sl_20min), where a file's `within: 20` is warned of
    r = _sweep_json("targets.phone.service[0].within=20,30s,*2")
    assert r.returncode == 0, r.stderr
    assert r.stderr.splitlines() == [
        "ccsim: warning: variant targets.phone.service[0].within=20: "
        "targets.phone.service[0].within: 20 is read as 20 minutes (a bare number is "
        "minutes); voice targets are usually seconds: write 20s, or 20min to keep minutes"
    ]  # (not 30s, nor *2: the scenario's 30s doubled)
    s = ccsim.load(SCENARIOS / "small_shop.yaml")
    with pytest.warns(
        ScenarioWarning, match=r"^variant 'slow': channels\.phone\.patience\.mean: 300 is"
    ):
        ccsim.compare(s, {"slow": {"channels.phone.patience.mean": 300}}, 1, seed=1, workers=1)
    changed = ccsim.with_changes(s, {"reasons.*.resolve.mean": "*2", "shrinkage": 0.1})
    assert [m for m in changed.warnings if "bare number" in m.message] == []
    assert (
        len(ccsim.with_changes(s, {"channels.chat.patience": 300}).warnings) == len(s.warnings) + 1
    )


def test_a_variants_warning_is_printed_before_the_runs_and_kept_when_one_fails(monkeypatch, capsys):
    # `ccsim sweep` printed what a variant is warned of after every variant had run: an
    # hour late on a long sweep, and never when a run failed or the sweep was interrupted
    def fails(*args, **kwargs):
        print("running", file=sys.stderr)
        raise WorkerError("a worker died")

    monkeypatch.setattr(runner, "run", fails)
    grid = [("targets.phone.service[0].within", [20])]
    with pytest.raises(typer.Exit) as exit:
        simulation.sweep(SCENARIOS / "small_shop.yaml", grid, reps=1, seed=1, quiet=True)
    assert exit.value.exit_code == 1
    said = capsys.readouterr().err.splitlines()
    assert said[0].startswith("ccsim: warning: variant targets.phone.service[0].within=20: ")
    assert said[1:] == ["running", "ccsim: error: a worker died"]
    with pytest.raises(typer.Exit):  # compare says it the same way
        simulation.compare(
            SCENARIOS / "small_shop.yaml", [("slow", {"channels.phone.patience.mean": 300})]
        )
    said = capsys.readouterr().err.splitlines()
    assert said[0].startswith("ccsim: warning: variant 'slow': channels.phone.patience.mean")
    assert said[1:] == ["running", "ccsim: error: a worker died"]


def test_a_warning_many_variants_bring_is_said_once_and_a_roster_table_is_one_value():
    # a second review: a 2 × 3 sweep said the same warning three times for each value
    # (a 20 × 10 grid: 200 lines); a sweep over one roster table swept its column names,
    # and a table was refused on a scenario without roster lines
    s = ccsim.load(SCENARIOS / "small_shop.yaml")
    grid = {"targets.phone.service[0].within": [20, 30], "roster[0].agents": [3, 4, 5]}
    with pytest.warns(ScenarioWarning) as caught:
        ccsim.sweep(s, grid, 1, seed=1, workers=1)
    said = [str(w.message) for w in caught if issubclass(w.category, ScenarioWarning)]
    assert [m.split(":")[0] for m in said] == [
        "3 variants (targets.phone.service[0].within=20; roster[0].agents=3, …)",
        "3 variants (targets.phone.service[0].within=30; roster[0].agents=3, …)",
    ]
    table = pd.DataFrame({"group": ["generalist"], "shift": ["early"], "agents": [9], "start": 1})
    empty = ccsim.with_changes(s, {"roster": []})
    assert [x.agents for x in ccsim.with_changes(empty, {"roster": table}).roster] == [9]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ScenarioWarning)  # (nobody else on: said, not tested)
        swept = ccsim.sweep(s, {"roster": table}, 1, seed=1, workers=1)
    assert swept["roster"].map(lambda value: value is table).all()  # one variant: the table


def test_a_duration_swept_over_numpy_integers_is_minutes_as_a_python_int_is():
    # `np.arange(2, 6)` of patience means: "expected a duration … got np.int64(2)" (a review)
    s = ccsim.load(SCENARIOS / "small_shop.yaml")
    means = [
        ccsim.with_changes(s, {"channels.phone.patience.mean": m}).channels["phone"].patience.mean
        for m in np.arange(2, 6)
    ]
    assert means == [2.0, 3.0, 4.0, 5.0]
    with pytest.raises(ccsim.ScenarioError, match="expected a duration"):
        ccsim.with_changes(s, {"channels.phone.patience.mean": np.bool_(True)})


def test_run_and_plan_take_a_what_if_with_set_and_leave_the_file_unchanged(tmp_path):
    # a what-if run or plan needed an edited copy of the file or Python (a walkthrough)
    shop = SCENARIOS / "small_shop.yaml"
    before = shop.read_text()
    changes = {"arrivals.phone.weekly": "*1.5", "roster[generalist/early].agents": 6}
    r = cli("run", str(shop), "-n", "2", "-w", "1", "--json",
            *[a for k, v in changes.items() for a in ("--set", f"{k}={v}")])  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "ccsim: with --set arrivals.phone.weekly=*1.5, roster[generalist/early].agents=6 " \
        "(the file unchanged)" in r.stderr  # fmt: skip
    expected = ccsim.simulate(ccsim.with_changes(ccsim.load(shop), changes), 2, workers=1)
    doc = json.loads(r.stdout)
    assert (
        doc["channels"]["phone"]["offered"] == expected.document()["channels"]["phone"]["offered"]
    )
    assert doc["cost"] == expected.document()["cost"]
    assert shop.read_text() == before
    # what a change is warned of is said, the file's own warnings once, with their lines
    r = cli("run", str(shop), "-n", "1", "-w", "1", "-q", "--set", "arrivals.phone.weekly=*20")
    assert r.returncode == 0, r.stderr
    assert "--set: warning: arrivals.phone.weekly: *20 sets 500 to 10,000 (×20)" in r.stderr
    assert r.stderr.count("simulation.warmup") == 1 and "small_shop.yaml:38:" in r.stderr
    # a file's warning the change mends is not said; one it moves is said as the change's
    r = cli("run", str(shop), "-n", "1", "-w", "1", "-q", "--set", "simulation.warmup=55h")
    assert r.returncode == 0 and "warning" not in r.stderr, r.stderr
    r = cli("run", str(shop), "-n", "1", "-w", "1", "-q", "--set", "simulation.warmup=10h")
    assert "small_shop.yaml:38:" not in r.stderr
    assert "--set: warning: simulation.warmup: the warm-up begins at sun 14:00" in r.stderr
    # a change that empties the roster: one line, naming the change, not the file alone
    r = cli("run", str(shop), "-n", "1", "-w", "1", "-q", "--set", "roster[*].agents=0")
    assert r.stderr.splitlines()[1:] == [
        f"ccsim: warning: {shop} with --set: the roster has no agents, so nobody answers (add "
        "`roster:` lines, or find one with `ccsim plan`)"
    ], r.stderr
    # a bad change is a scenario problem; several values or a key twice, usage
    bad = cli("run", str(shop), "-n", "1", "--set", "arrivls.phone.weekly=3")
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert "--set: arrivls.phone.weekly: no such field in the scenario; did you mean " \
        "'arrivals.phone.weekly'?" in bad.stderr  # fmt: skip
    many = cli("run", str(shop), "--set", "roster[0].agents=3,4")
    assert (
        many.returncode == 2 and "one value a key (to try several, use ccsim sweep" in many.stderr
    )
    assert 'text with a comma in quotes: KEY="a, b")' in many.stderr
    empty = cli("run", str(shop), "--set", "name=")
    assert empty.returncode == 2 and empty.stderr.endswith("'name=': expected KEY=VALUE\n")
    twice = cli("plan", str(shop), "--set", "anger=off", "--set", "anger=on")
    assert twice.returncode == 2 and "--set anger given twice" in twice.stderr
    # a plan sets its own roster: an emptied one is not warned of, a slip in a value is
    p = cli("plan", str(shop), "-n", "2", "--verify", "2", "--max-rosters", "2", "-w", "1", "-q",
            "--no-baseline", "--set", "roster[*].agents=0", "--set", "arrivals.phone.weekly=*20",
            "--json")  # fmt: skip
    assert p.stderr.splitlines()[1:] == [
        "--set: warning: arrivals.phone.weekly: *20 sets 500 to 10,000 (×20): for 20 % more, "
        "write *1.2"
    ], p.stderr
    # a plan of the what-if: its document and its folder's scenario are the changed one
    out = tmp_path / "plan"
    p = cli("plan", str(shop), "-n", "2", "--verify", "2", "--max-rosters", "4", "-w", "1",
            "--no-baseline", "--set", "arrivals.phone.weekly=900", "--out", str(out), "-q")  # fmt: skip
    assert p.returncode in (0, 1), p.stderr
    assert ccsim.load(out / "scenario.yaml").arrivals["phone"].weekly == 900
    assert shop.read_text() == before


def test_a_bare_duration_for_a_whole_distribution_keeps_nothing_unsaid():
    # `channels.phone.patience=2min` made the Weibull patience (shape 0.8, balk 5 %) an
    # exponential without balking, without a word, and "shorter patience" lost fewer
    # calls than the scenario (a notebook walkthrough)
    s = ccsim.load(SCENARIOS / "small_shop.yaml")
    with pytest.raises(ccsim.ScenarioError) as caught:
        ccsim.with_changes(s, {"channels.phone.patience": "2min"})
    assert [str(m) for m in caught.value.messages] == [
        "<changes>: channels.phone.patience: 2min is the whole block (an exponential of mean "
        "2min), so dist and balk would lose the scenario's values (dist weibull, balk 0.05): "
        "to change the mean give channels.phone.patience.mean; to replace the block, give it "
        "as a mapping naming them"
    ]
    with pytest.raises(ccsim.ScenarioError, match=r"a fixed time of 5min.*dist lognormal"):
        ccsim.with_changes(s, {"reasons.question.resolve": "5min"})
    # what it asks for, the mean alone, and a shorthand that loses nothing
    shorter = ccsim.with_changes(s, {"channels.phone.patience.mean": "2min"}).channels["phone"]
    assert (shorter.patience.dist, shorter.patience.mean, shorter.patience.balk) == (
        "weibull",
        2.0,
        0.05,
    )
    assert (
        ccsim.with_changes(s, {"channels.chat.patience": "2min"}).channels["chat"].patience.mean
        == 2.0
    )  # (an exponential without balking already)
    replaced = {"dist": "exponential", "mean": "2min", "balk": 0}
    patience = ccsim.with_changes(s, {"channels.phone.patience": replaced}).channels["phone"]
    assert (patience.patience.dist, patience.patience.balk) == ("exponential", 0.0)
    # inside a block set whole too (it went unseen: a review), and of an escalation
    phone = {**s.plain()["channels"]["phone"], "patience": "2min"}
    with pytest.raises(ccsim.ScenarioError, match=r"channels\.phone\.patience: 2min is the"):
        ccsim.with_changes(s, {"channels.phone": phone})
    escalation = {**s.plain()["escalation"], "resolve": "20min"}
    with pytest.raises(ccsim.ScenarioError, match=r"escalation\.resolve: 20min is the whole"):
        ccsim.with_changes(s, {"escalation": escalation})
    # one level up too, in a dict of blocks by name (arrivals, channels, reasons: a review)
    plain = s.plain()
    arrivals = {**plain["arrivals"], "phone": {"weekly": 550}}
    with pytest.raises(ccsim.ScenarioError, match=r"arrivals\.phone: sets the whole block, so da"):
        ccsim.with_changes(s, {"arrivals": arrivals})
    channels = {**plain["channels"], "phone": phone}
    with pytest.raises(ccsim.ScenarioError, match=r"channels\.phone\.patience: 2min is the"):
        ccsim.with_changes(s, {"channels": channels})
    assert ccsim.with_changes(s, {"arrivals": plain["arrivals"]}).arrivals == s.arrivals
    # a value that is no duration has its own message alone
    with pytest.raises(ccsim.ScenarioError) as caught:
        ccsim.with_changes(s, {"channels.phone.patience": "abc"})
    assert len(caught.value.messages) == 1 and "expected a duration" in str(caught.value)
    # a patience of 0 (fixed: nobody waits) is no exponential's: compared, not validated
    # (a traceback: a review)
    no_wait = {"dist": "fixed", "mean": 0, "balk": 0.05}
    at_once = ccsim.with_changes(s, {"channels.phone.patience": no_wait})
    with pytest.raises(
        ccsim.ScenarioError, match=r"so dist and balk would lose .*\(dist fixed, balk 0\.05\)"
    ):
        ccsim.with_changes(at_once, {"channels.phone.patience": "2min"})
    # in an invalid variant too, only what the shorthand changes is named
    with pytest.raises(ccsim.ScenarioError) as caught:
        ccsim.with_changes(s, {"channels.chat.patience": "2min", "simulation.interval": "7min"})
    assert not any(m.field == "channels.chat.patience" for m in caught.value.messages)


def test_what_a_change_is_warned_of_is_a_python_warning_too():
    # `ccsim.with_changes(s, {"arrivals.chat.weekly": 1.2})`, meant as +20 %, planned a
    # week of almost no chats without a word in a notebook: the warning was kept in
    # `.warnings` alone, where `ccsim run --set` prints it (a notebook walkthrough)
    s = ccsim.load(SCENARIOS / "small_shop.yaml")
    with pytest.warns(ScenarioWarning) as said:
        v = ccsim.with_changes(s, {"arrivals.chat.weekly": 1.2})
    assert [str(w.message) for w in said] == [
        "<changes>: arrivals.chat.weekly: 1.2 sets 400 to 1.2 (×0.003): to scale the number "
        "there, write *1.2"
    ]
    assert said[0].filename == __file__  # (the caller's line, where a notebook shows it)
    assert v.arrivals["chat"].weekly == 1.2  # warned, not refused
    # a variant of that variant: a new slip at the same field is warned of (a review)
    with pytest.warns(ScenarioWarning, match=r"40000 sets 1\.2 to 40,000"):
        ccsim.with_changes(v, {"arrivals.chat.weekly": 40000})
    # the scenario's own warnings (its warm-up) are not said again; a change that brings
    # none is silent
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ccsim.with_changes(s, {"arrivals.chat.weekly": "*1.2", "shrinkage": 0.1})
        # nor again with other figures: the warm-up warning names e-mail's closing
        ccsim.with_changes(s, {"channels.email.open": {"mon-fri": "09:00-16:00"}})
        # nor one an edit in place brought, blamed on the change (a review)
        edited = ccsim.load(SCENARIOS / "small_shop.yaml")
        edited.channels["email"].open = {"mon-fri": "09:00-16:00"}
        ccsim.with_changes(edited, {"shrinkage": 0.12})
