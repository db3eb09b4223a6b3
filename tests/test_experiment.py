"""Replications in parallel: identical results for any worker count and on Dask."""

from __future__ import annotations

import json
import re
import warnings
from datetime import date
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

import ccsim
from ccsim.experiment import runner as experiment
from ccsim.measure.confidence import t_interval
from ccsim.scenario import limits
from conftest import SCENARIOS
from test_whatif import TABLED


@pytest.fixture(scope="module")
def shop():
    return ccsim.load(SCENARIOS / "small_shop.yaml")


@pytest.fixture(scope="module")
def serial(shop):
    return experiment.run(shop, 4, seed=21, workers=1)


def _same(a: ccsim.Result, b: ccsim.Result) -> None:
    assert a.summary.equals(b.summary)
    assert a.intervals.equals(b.intervals)
    assert a.groups.equals(b.groups)


def test_pool_results_are_bit_identical_to_serial(shop, serial):
    _same(serial, experiment.run(shop, 4, seed=21, workers=2))
    _same(serial, experiment.run(shop, 4, seed=21, workers=3))


def test_simulate_and_experiment_agree(shop, serial):
    _same(serial, ccsim.simulate(shop, 4, 21))


def test_dask_local_cluster_is_bit_identical(shop, serial):
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        _same(serial, experiment.run(shop, 4, seed=21, scheduler=cluster.scheduler_address))


def test_a_batch_of_single_replications_of_several_scenarios_equals_their_runs(shop, serial):
    """`Runner.tables`: replication i of each scenario asked for, in one batch, is
    replication i of that scenario's own run (the planner judges rosters this way)."""
    fewer = ccsim.with_changes(shop, {"roster[0].agents": 3})
    own = experiment.run(fewer, 2, seed=21, workers=1)
    for workers in (1, 2):
        with experiment.Runner(workers) as runner:
            tables = runner.tables([(shop, 3), (fewer, 1), (shop, 0)], seed=21)
        assert [t.index for t in tables] == [3, 1, 0]
        for got, want in zip(
            tables, [serial.tables[3], own.tables[1], serial.tables[0]], strict=True
        ):
            assert got.summary.equals(want.summary) and got.intervals.equals(want.intervals)
    assert not own.summary.equals(serial.summary.iloc[: len(own.summary)])


def test_unreachable_scheduler_is_a_clear_error(shop):
    with pytest.raises(experiment.WorkerError, match="cannot reach the Dask scheduler"):
        experiment.run(shop, 1, seed=1, scheduler="tcp://127.0.0.1:9")


def test_precision_adds_replications_until_the_ci_is_narrow(shop):
    loose = experiment.run(shop, 2, seed=5, workers=1)
    result = experiment.run_to_precision(shop, 2, 5, precision=0.02, max_replications=32, workers=1)
    assert experiment.widest_service_ci(loose) > 0.02
    assert experiment.widest_service_ci(result) <= 0.02 or len(result.tables) == 32
    assert len(result.tables) > 2
    # the first replications are the same ones a plain run makes
    assert result.summary[result.summary.replication < 2].equals(loose.summary)


def test_the_python_api_warns_when_the_cap_stopped_a_run_to_precision(shop):
    # only the CLI said so until 2026-12-06: a notebook got 4 replications in silence
    with pytest.warns(ccsim.PrecisionNotReached, match=r"precision 0.001 not reached in 4 "):
        result = ccsim.simulate(shop, 2, 5, workers=1, precision=0.001, max_replications=4)
    assert len(result.tables) == 4
    with warnings.catch_warnings():
        warnings.simplefilter("error", ccsim.PrecisionNotReached)
        ccsim.simulate(shop, 2, 5, workers=1, precision=0.5, max_replications=4)


def test_check_takes_one_path_as_one_file(tmp_path, monkeypatch):
    # a string was iterated: 's', 'h', 'o', … and '.', every YAML below the working folder
    (tmp_path / "shop.yaml").write_text((SCENARIOS / "small_shop.yaml").read_text())
    (tmp_path / "other.yaml").write_text("name: not checked\n")
    monkeypatch.chdir(tmp_path)
    for given in ("shop.yaml", tmp_path / "shop.yaml"):
        files = ccsim.check(given, replications=2, seed=1, workers=1)
        assert [f.path.name for f in files] == ["shop.yaml"] and files[0].valid
    once = ccsim.check((p for p in ["shop.yaml"]), replications=2, seed=1, workers=1)
    assert [f.path.name for f in once] == ["shop.yaml"]  # a generator, read once


def test_the_document_adds_up_what_was_offered(shop):
    # run.json had no waiting_at_end: an understaffed inbox's offered e-mails did not add up
    few = ccsim.with_changes(
        shop, {"roster[0].agents": 1, "roster[1].agents": 0, "roster[2].agents": 0}
    )
    channels = ccsim.simulate(few, 2, seed=1, workers=1).document()["channels"]
    for name, c in channels.items():
        parts = c["answered"]["mean"] + c["abandoned"]["mean"] + c["waiting_at_end"]["mean"]
        assert c["offered"]["mean"] == pytest.approx(parts, abs=1e-9), name
    assert channels["email"]["waiting_at_end"]["mean"] > 0


def test_a_notebook_catches_what_the_planner_raises_as_ccsim_plan_error(shop):
    with pytest.raises(ccsim.PlanError, match="time_budget must be seconds above 0"):
        ccsim.plan(shop, time_budget=-5)
    assert "PlanError" in ccsim.__all__


def test_check_given_what_is_not_a_path_says_so(shop):
    # a Scenario iterates as its fields: "expected str, bytes or os.PathLike object, not tuple"
    with pytest.raises(TypeError, match=r"got a Scenario: for one in memory, ccsim.simulate"):
        ccsim.check(shop)
    with pytest.raises(TypeError, match=r"expected a file path or a list of them, got 5"):
        ccsim.check(5)
    with pytest.raises(TypeError, match=r"got \['shop.yaml', 3\]"):
        ccsim.check(["shop.yaml", 3])


def test_results_add_only_other_replications_of_the_same_run(shop):
    a = experiment.run(shop, 2, seed=1, workers=1)
    more = experiment.run(shop, 2, seed=1, workers=1, first=2)
    assert [t.index for t in (a + more).tables] == [0, 1, 2, 3]
    with pytest.raises(ValueError, match=r"share replications \[0, 1\]"):
        a + a  # counted twice: the CIs narrowed on the same weeks
    with pytest.raises(ValueError, match="seeds 1 and 2"):
        a + experiment.run(shop, 2, seed=2, workers=1, first=2)
    busier = ccsim.with_changes(shop, {"arrivals.phone.weekly": "*2"})
    with pytest.raises(ValueError, match="different scenarios"):
        a + experiment.run(busier, 2, seed=1, workers=1, first=2)
    # contacts() gave the kept side's records only, beside estimates of both
    kept = experiment.run(shop, 1, seed=1, workers=1, first=2, contacts=True)
    with pytest.raises(ValueError, match="kept per-contact records to one that did not"):
        a + kept
    with pytest.raises(ValueError, match="kept per-contact records to one that did not"):
        kept + a
    assert [t.index for t in sum([a, more]).tables] == [0, 1, 2, 3]  # sum() starts at 0


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda r: r.checks(95), "confidence must be a number between 0.5 and 1 (0.95), got 95"),
        (lambda r: r.checks(0), "confidence must be a number between 0.5 and 1"),
        (lambda r: r.document(1.0), "confidence must be a number between 0.5 and 1"),
        (lambda r: r.estimates(1.5), "level must be a number between 0 and 1"),
        (lambda r: r.estimates(-1), "level must be a number between 0 and 1"),
    ],
)
def test_a_confidence_level_outside_0_to_1_is_refused(shop, call, expected):
    # the API judged every target unmet at 95 and gave zero-width intervals at 1.5
    result = experiment.run(shop, 2, seed=1, workers=1)
    with pytest.raises(ValueError, match=re.escape(expected)):
        call(result)


@pytest.mark.parametrize("precision", [0, -0.1, float("nan"), 0.6, 1, 1.5, True, "x"])
def test_a_precision_outside_0_to_half_is_refused(shop, precision):
    # 0, -0.1 and nan ran 200 replications; "x" was a TypeError from inside; 1, meant as
    # 1 %, was ±100 points, which any run reaches at once (a planner's walkthrough)
    with pytest.raises(ValueError, match=r"a number above 0 and at most 0\.5, got") as info:
        ccsim.simulate(shop, 2, 1, workers=1, precision=precision)
    if type(precision) is int and precision == 1:
        assert str(info.value).endswith("got 1; for 1 %, write 0.01")


@pytest.mark.parametrize(
    "call",
    [
        lambda: ccsim.simulate(str(SCENARIOS / "small_shop.yaml"), 1),
        lambda: ccsim.plan("small_shop.yaml"),
        lambda: ccsim.with_changes("small_shop.yaml", {}),
        lambda: ccsim.sweep("small_shop.yaml", {"shrinkage": [0.1]}),
        lambda: ccsim.compare("small_shop.yaml", {"as is": {}}),
        lambda: ccsim.backtest("small_shop.yaml", "log.csv", "2024-01-01", "2024-01-07"),
    ],
)
def test_a_path_where_a_scenario_is_expected_says_how_to_load_it(call):
    # "'str' object has no attribute 'simulation'", from deep inside
    with pytest.raises(TypeError, match=re.escape("expected a Scenario — ccsim.load('file.yaml')")):
        call()


def test_other_wrong_arguments_of_the_python_api_are_one_clear_error(shop):
    with pytest.raises(TypeError, match=r"changes: expected \{field path: value\}, got list"):
        ccsim.with_changes(shop, ["shrinkage"])
    with pytest.raises(TypeError, match=r"a contact log's path or a Log .*got DataFrame"):
        ccsim.fit(pd.DataFrame({"arrival": []}))
    result = ccsim.simulate(shop, 2, 1, workers=1, contacts=True)
    assert len(result.contacts(1)) > 0
    with pytest.raises(ValueError, match=r"no replication 5 in this result \(it has: 0, 1\)"):
        result.contacts(5)  # "No objects to concatenate"


def test_progress_is_reported(shop):
    seen = []
    experiment.run(shop, 3, seed=1, workers=1, progress=lambda done, total: seen.append(done))
    assert seen == [1, 2, 3]


def test_contact_records_only_on_request(shop):
    lean = experiment.run(shop, 2, seed=1, workers=2)
    with pytest.raises(ValueError, match="kept no per-contact records"):
        lean.contacts()
    full = experiment.run(shop, 2, seed=1, workers=2, contacts=True)
    assert len(full.contacts()) > 0


def test_simulate_offers_the_same_executors(shop, serial):
    _same(serial, ccsim.simulate(shop, 4, 21, workers=2))


def test_result_checks_are_the_targets_ccsim_check_evaluates():
    from ccsim.measure import targets

    s = ccsim.load(SCENARIOS / "small_shop.yaml")
    r = ccsim.simulate(s, replications=3, seed=4)
    table = r.checks()
    evaluated = targets.evaluate(s, r.summary)
    assert list(table["target"]) == [c.name for c in evaluated]
    assert list(table["met"]) == [c.met for c in evaluated]
    assert (table["ci_low"] <= table["mean"]).all() and (table["mean"] <= table["ci_high"]).all()
    assert len(table) == sum(
        len(t.service) + (t.max_abandon is not None) for t in s.targets.values()
    )


def test_checks_have_their_columns_without_targets_and_whole_period_counts():
    # no targets: a table with no columns (selecting one was a KeyError); counts were 33.0
    peaked = ccsim.simulate(ccsim.load(SCENARIOS / "peaked_day.yaml"), 2, seed=1, workers=1)
    scoped = peaked.checks().dropna(subset=["periods"])
    assert len(scoped) and str(scoped["periods"].dtype) == "Int64"
    assert (scoped["periods_met"] <= scoped["periods"]).all()
    none = ccsim.with_changes(ccsim.load(SCENARIOS / "small_shop.yaml"), {"targets": {}})
    table = ccsim.simulate(none, 1, seed=1, workers=1).checks()
    assert table.empty and {"target", "met", "periods"} <= set(table.columns)
    assert table["met"].dtype == bool and table["mean"].dtype == float  # t[~t.met] works
    assert table[~table["met"]].columns.tolist() == table.columns.tolist()
    # no target per day or interval: the periods' table keeps its columns (it had none)
    empty, full = ccsim.simulate(none, 1, seed=1, workers=1).periods(), peaked.periods()
    assert empty.empty and empty.columns.tolist() == full.columns.tolist()
    assert (empty.dtypes == full.dtypes).all()
    assert empty[~empty["met"]].empty
    # the periods' table checks its confidence too (95: every bound NaN, every period unmet)
    with pytest.raises(ValueError, match=r"confidence must be a number between 0\.5 and 1"):
        peaked.periods(95)
    with pytest.raises(ValueError, match=r"confidence must be a number between 0\.5 and 1"):
        peaked.checks(0.2)  # a one-sided bound above the mean: easier than the mean


def test_one_seed_policy_for_every_run(shop):
    """The seed given, else the scenario's, else a fresh one that the result reports."""
    assert shop.simulation.seed is not None
    as_file = ccsim.simulate(shop, 2, workers=1)
    assert as_file.seed == shop.simulation.seed
    compared = ccsim.compare(shop, {"as is": {}}, replications=2, workers=1)
    channels = compared[compared.channel != "all"]  # (`all`: the week's costs)
    assert channels.set_index(["channel", "metric"])["mean"].equals(
        as_file.estimates().set_index(["channel", "metric"])["mean"]
    )
    unseeded = ccsim.with_changes(shop, {"simulation.seed": None})
    first, second = (ccsim.simulate(unseeded, 1, workers=1) for _ in range(2))
    assert first.seed != second.seed  # fresh each time ...
    again = ccsim.simulate(unseeded, 1, seed=first.seed, workers=1)
    assert again.summary.equals(first.summary)  # ... and reported, so it repeats exactly
    with pytest.raises(ValueError, match="a seed must be"):
        ccsim.simulate(shop, 1, seed=-1)


def test_a_result_says_its_first_replication_when_a_run_can_repeat_it():
    s = ccsim.load(SCENARIOS / "erlang_check.yaml")
    one = ccsim.simulate(s, 1, 7, workers=1)
    two = ccsim.simulate(s, 1, 7, workers=1, first_replication=1)
    four = ccsim.simulate(s, 1, 7, workers=1, first_replication=3)
    assert (one.first_replication, two.first_replication) == (0, 1)
    assert (one + two).run_document().first_replication == 0  # 0 and 1: repeated by -n 2
    assert (one + four).run_document().first_replication is None  # 0 and 3: by no run
    both = ccsim.simulate(s, 2, 7, workers=1).summary  # replication 1 is replication 1
    pd.testing.assert_frame_equal(
        two.summary, both[both["replication"] == 1].reset_index(drop=True)
    )


def test_values_all_the_same_give_that_value_and_no_interval():
    # the mean of three 11,184.55 was 11,184.550000000003, and a week's staff cost, the
    # same in every replication, got a CI of its rounding (a review, 2026-12-07)
    for n in (1, 2, 3, 6, 7, 13):
        mean, low, high = t_interval(np.full(n, 11184.55))
        assert mean == low == high == 11184.55, n
    mean, low, high = t_interval(np.array([[0.7, 1.0], [0.7, 2.0], [0.7, np.nan]]))
    assert mean[0] == low[0] == high[0] == 0.7 and low[1] < mean[1] == 1.5 < high[1]


def test_a_result_keeps_the_scenario_it_simulated_when_the_scenario_is_edited_later():
    # a notebook's `s.groups["generalist"].wage = 100.0` after a run changed that run's
    # cost (7,374.55 → 20,035.25) and its targets, never re-simulated (a walkthrough)
    s = ccsim.load(SCENARIOS / "small_shop.yaml")
    r = ccsim.simulate(s, 2, seed=1, workers=1)
    cost, goals = r.cost["total"], r.checks()["goal"].tolist()
    s.groups["generalist"].wage = 100.0
    s.targets["phone"].service[0].at_least = 0.99
    assert r.cost["total"] == cost and r.checks()["goal"].tolist() == goals
    assert r.scenario.groups["generalist"].wage != 100.0


@pytest.mark.parametrize("call", ["simulate", "compare", "plan", "with_changes"])
def test_a_scenario_edited_in_place_is_validated_again_before_any_work(call):
    # `s.roster[0].agents = -2` in a notebook went unchecked into the simulation and
    # failed deep inside numpy; a roster line appended as a dict was "'dict' object has no
    # attribute 'shift'" (a notebook walkthrough)
    s = ccsim.load(SCENARIOS / "small_shop.yaml")
    s.groups["generalist"].wage = "twenty"
    s.roster[0].agents = -2
    run = {
        "simulate": lambda: ccsim.simulate(s, 1, seed=1, workers=1),
        "compare": lambda: ccsim.compare(s, {"more": {"roster[1].agents": 5}}, 1, seed=1),
        "plan": lambda: ccsim.plan(s, seed=1, replications=2, verify=2),
        "with_changes": lambda: ccsim.with_changes(s, {"roster[1].agents": 5}),
    }[call]
    with pytest.raises(ccsim.ScenarioError) as caught:
        run()
    assert [str(m) for m in caught.value.messages] == [
        "small_shop.yaml (edited in place): groups.generalist.wage: got 'twenty' (expected a "
        "number)",
        "small_shop.yaml (edited in place): roster[0].agents: got -2 (expected a value at least 0)",
    ]


def test_a_scenario_edited_in_place_into_a_good_one_runs_as_a_variant_of_its_file(tmp_path):
    s = ccsim.load(SCENARIOS / "small_shop.yaml")
    assert not s.edited
    first = ccsim.simulate(s, 2, seed=1, workers=1)
    line = {"group": "generalist", "shift": s.roster[0].shift, "agents": np.int64(1)}
    s.groups["generalist"].wage = "20"  # read as a file's value would be
    s.roster.append(line)
    assert s.edited
    r = ccsim.simulate(s, 2, seed=1, workers=1)
    assert r.scenario.groups["generalist"].wage == 20.0 and len(r.scenario.roster) == 6
    assert r.cost["total"] > first.cost["total"]
    meta = json.loads((ccsim.save(r, tmp_path / "run") / "meta.json").read_text())
    assert (meta["scenario_file"], meta["changed_from"]) == (None, str(s.source))
    # the figures of the same change made with with_changes
    lines = [*ccsim.load(SCENARIOS / "small_shop.yaml").plain()["roster"], line]
    same = ccsim.with_changes(first.scenario, {"groups.generalist.wage": 20, "roster": lines})
    assert ccsim.simulate(same, 2, seed=1, workers=1).summary.equals(r.summary)
    s.groups["generalist"].wage = object()  # no value a field holds
    with pytest.raises(ccsim.ScenarioError, match=r"\(edited in place\): a value set in place"):
        ccsim.simulate(s, 1, seed=1, workers=1)


def test_a_results_repr_says_its_targets_met_and_its_weekly_cost():
    # a notebook cell showed "<Result 'Small shop week': 2 replication(s), seed 1>" and
    # nothing of what the run found (a walkthrough)
    r = ccsim.simulate(ccsim.load(SCENARIOS / "small_shop.yaml"), 2, seed=1, workers=1)
    checks = r.checks()
    assert repr(r) == (
        f"<Result 'Small shop week': 2 replication(s), seed 1; {int(checks['met'].sum())} of "
        f"{len(checks)} targets met by the mean; {r.cost['total']:,.2f} EUR/week>"
    )
    harder = ccsim.with_changes(r.scenario, {"targets.phone.service[0].at_least": 0.999})
    assert f"{int(checks['met'].sum()) - 1} of" in repr(
        ccsim.simulate(harder, 2, seed=1, workers=1)
    )


def html_tables(page: str) -> list[pd.DataFrame]:
    """The tables of an HTML page as text cells, their first row the header."""

    class Tables(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tables: list[list[list[str]]] = []
            self.cell: list[str] | None = None

        def handle_starttag(self, tag: str, attrs: list) -> None:
            if tag == "table":
                self.tables.append([])
            elif tag == "tr":
                self.tables[-1].append([])
            elif tag in ("td", "th"):
                self.cell = []

        def handle_endtag(self, tag: str) -> None:
            if tag in ("td", "th") and self.cell is not None:
                self.tables[-1][-1].append("".join(self.cell).strip())
                self.cell = None

        def handle_data(self, data: str) -> None:
            if self.cell is not None:
                self.cell.append(data)

    parser = Tables()
    parser.feed(page)
    return [pd.DataFrame(rows[1:], columns=rows[0]) for rows in parser.tables]


def test_a_notebook_shows_a_results_targets_as_a_table():
    # Jupyter showed the one-line repr; the targets took another cell (a walkthrough)
    s = ccsim.with_changes(
        ccsim.load(SCENARIOS / "small_shop.yaml"), {"targets.phone.service[0].at_least": 0.999}
    )
    r = ccsim.simulate(s, 2, seed=1, workers=1)
    fragment = r._repr_html_()
    assert "&#x27;Small shop week&#x27;: 2 replication(s)" in fragment  # escaped
    [table] = html_tables(fragment)
    assert table.columns.tolist() == ["target", "mean", "95 % CI", "met"]
    checks = r.checks()
    expected = [
        [
            c.target,
            f"{100 * c.mean:.1f} %",
            f"{100 * c.ci_low:.1f} % – {100 * c.ci_high:.1f} %",
            "yes" if c.met else "NO",
        ]
        for c in checks.itertuples()
    ]
    assert table.values.tolist() == expected
    assert ["yes" if m else "NO" for m in checks["met"]].count("NO") == 1
    # one replication has no spread: no CI, where it showed `90.7 % – 90.7 %` (a review)
    one = ccsim.simulate(s, 1, seed=1, workers=1)
    assert (one.checks()["ci_low"] == one.checks()["mean"]).all()  # (the JSON's, as before)
    [table] = html_tables(one._repr_html_())
    assert set(table["95 % CI"]) == {"none (1 rep)"}


def test_a_notebook_shows_the_periods_met_of_a_target_per_interval():
    r = ccsim.simulate(ccsim.load(SCENARIOS / "peaked_day.yaml"), 1, seed=1, workers=1)
    [table] = html_tables(r._repr_html_())
    [c] = r.checks().itertuples()
    assert table.columns.tolist() == ["target", "mean", "95 % CI", "periods met", "met"]
    assert table["periods met"].tolist() == [
        f"{c.periods_met} of {c.periods} intervals, worst {c.worst_period} "
        f"{100 * c.worst_mean:.1f} %"
    ]
    assert table["met"].tolist() == ["yes" if c.met else "NO"]
    # no interval with min_offered contacts: "0 of 0 intervals, worst None" (a review)
    none = ccsim.with_changes(
        r.scenario, {"targets.phone.service[0].min_offered": limits.MAX_MIN_OFFERED}
    )
    [table] = html_tables(ccsim.simulate(none, 1, seed=1, workers=1)._repr_html_())
    assert table[["periods met", "met"]].values.tolist() == [
        ["none judged (no interval with min_offered contacts)", "NO"]
    ]


def test_checks_show_the_bound_that_decided_met():
    # under a confidence, `met` compared a one-sided bound the table did not show
    r = ccsim.simulate(ccsim.load(SCENARIOS / "small_shop.yaml"), 3, seed=2, workers=1)
    plain, strict = r.checks(), r.checks(0.95)
    assert (plain["bound"] == plain["mean"])[plain["per"] == "week"].all()
    week = strict[strict["per"] == "week"]
    service = week["metric"].str.startswith("sl_")
    assert (week["bound"] <= week["mean"])[service].all()  # (equal: 100 % every time)
    assert (week["bound"] < week["mean"])[service].sum() >= 3
    assert (week["bound"] > week["mean"])[~service].all()  # an abandon rate's upper bound
    met = np.where(
        service, week["bound"] >= week["goal"] - 1e-9, week["bound"] <= week["goal"] + 1e-9
    )
    assert (week["met"] == met).all()
    checks = r.target_checks(0.95)
    assert strict["bound"].tolist() == [c.bound for c in checks]


def test_a_scenario_edited_in_place_is_validated_again_as_it_was_read(tmp_path, monkeypatch):
    # a review of the change above: validating again read the staffing table from the
    # current folder (another table, silently); took `start = "09:00"` or `days =
    # "mon-thu"` for values no field can hold; refused a new `simulation.start` for its old
    # `start_day`; missed a roster line replaced by its dict; and a plan shared the
    # input's groups, so a later wage changed its cost
    here, elsewhere = tmp_path / "here", tmp_path / "elsewhere"
    for folder, agents in ((here, 2), (elsewhere, 9)):
        folder.mkdir()
        (folder / "staffing.csv").write_text(f"day,time,group,agents\nmon,09:00,agents,{agents}\n")
    tabled = ccsim.loads(TABLED, base_dir=here)
    monkeypatch.chdir(elsewhere)
    tabled.groups["agents"].wage = 20.0
    assert ccsim.simulate(tabled, 1, seed=1, workers=1).scenario.paid_hours() == {"agents": 2.0}

    shop = ccsim.load(SCENARIOS / "small_shop.yaml")
    shop.shifts["early"].start = "09:00"  # as a file writes them
    shop.shifts["early"].days = "mon-thu"
    shop.simulation.start = date(2026, 3, 4)  # a Wednesday
    shop.roster[0] = shop.roster[0].model_dump()  # (it dumps as the line it was)
    assert shop.edited
    ran = ccsim.simulate(shop, 1, seed=1, workers=1).scenario
    assert (ran.shifts["early"].start, ran.shifts["early"].days) == (540.0, frozenset(range(4)))
    assert ran.simulation.start_day == "wed" and type(ran.roster[0]).__name__ == "RosterLine"
    shop.roster[0]["agents"] = -2
    with pytest.raises(ccsim.ScenarioError, match=r"roster\[0\]\.agents: got -2"):
        ccsim.save(shop, tmp_path / "v.yaml")  # (it wrote a file that would not load)

    s = ccsim.load(SCENARIOS / "erlang_check.yaml")
    p = ccsim.plan(s, seed=1, replications=2, verify=2, workers=1)
    cost, roster = p.cost["total"], p.document()["roster"]
    next(iter(s.groups.values())).wage = 999.0
    assert (p.cost["total"], p.document()["roster"]) == (cost, roster)


def test_validating_again_keeps_the_allowed_folders_numpy_numbers_and_a_cleared_start(
    tmp_path, monkeypatch
):
    # a second review: folders allowed as relative paths were read from the current
    # folder again; `agents = np.int64(4)` counted as an edit; clearing `start` in place
    # moved the week to Monday
    (tmp_path / "scen").mkdir()
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "staffing.csv").write_text("day,time,group,agents\nmon,09:00,agents,2\n")
    (tmp_path / "scen" / "s.yaml").write_text(
        TABLED.replace("staffing.csv", "../data/staffing.csv")
    )
    monkeypatch.chdir(tmp_path)
    tabled = ccsim.load("scen/s.yaml", allow_paths="data")
    monkeypatch.chdir(tmp_path / "scen")
    tabled.groups["agents"].wage = 20.0
    assert ccsim.simulate(tabled, 1, seed=1, workers=1).scenario.paid_hours() == {"agents": 2.0}

    shop = ccsim.load(SCENARIOS / "small_shop.yaml")
    shop.roster[0].agents = np.int64(shop.roster[0].agents)
    assert not shop.edited
    wednesday = ccsim.with_changes(shop, {"simulation.start": "2026-03-04"})
    wednesday.simulation.start = None
    assert ccsim.with_changes(wednesday, {}).simulation.start_day == "wed"
    assert ccsim.simulate(wednesday, 1, seed=1, workers=1).scenario.simulation.start_day == "wed"
