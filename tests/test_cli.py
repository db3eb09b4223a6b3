"""The command line: exit codes, messages without tracebacks, JSON output."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

import ccsim as ccsim_api
from ccsim.cli import main
from ccsim.scenario import summary
from ccsim.version import __version__
from conftest import MINIMAL, ROOT, SCENARIOS


def ccsim(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ccsim", *args], capture_output=True, text=True, cwd=cwd
    )


def test_validate_bundled_scenarios_exits_0():
    r = ccsim("validate", "scenarios/")
    assert r.returncode == 0, r.stderr
    assert "scenario file(s) valid" in r.stdout
    assert "Traceback" not in r.stderr


def test_version_prints_the_packages_version():
    r = ccsim("--version")
    assert r.returncode == 0 and r.stdout == f"ccsim {__version__}\n", (r.stdout, r.stderr)


def test_validate_broken_file_exits_1_with_file_line_field(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINIMAL.replace("weekly: 500,", "weekly: lots,"))
    r = ccsim("validate", str(bad), str(SCENARIOS / "small_shop.yaml"))
    assert r.returncode == 1
    assert f"{bad}:14: arrivals.phone.weekly: got 'lots' (expected a number)" in r.stderr
    assert "small_shop.yaml: ok" in r.stdout
    assert "Traceback" not in r.stderr + r.stdout


def test_validate_reports_every_problem(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINIMAL.replace("weekly: 500,", "weekly: lots,").replace("wage: 25", "wage: x"))
    r = ccsim("validate", str(bad))
    assert r.returncode == 1
    assert len([line for line in r.stderr.splitlines() if line.startswith(str(bad))]) == 2
    # and stdout says so, with why (an invalid file had no line there; under --strict a
    # file of warnings alone was counted invalid without a word of why)
    assert r.stdout.splitlines() == [f"{bad}: invalid (2 errors)", "0 of 1 scenario file(s) valid"]
    shop = str(SCENARIOS / "small_shop.yaml")  # (its warm-up warning)
    assert ccsim("validate", shop).stdout.startswith(f"{shop}: ok (1 warning)\n")
    strict = ccsim("validate", "--strict", shop)
    assert strict.returncode == 1 and f"{shop}: invalid (1 warning, --strict)" in strict.stdout


def test_validate_broken_yaml_empty_and_list(tmp_path):
    for name, text in [("broken.yaml", "a: [\n"), ("empty.yaml", ""), ("list.yaml", "- 1\n")]:
        (tmp_path / name).write_text(text)
    r = ccsim("validate", str(tmp_path))
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    for name in ("broken.yaml", "empty.yaml", "list.yaml"):
        assert str(tmp_path / name) in r.stderr


def test_validate_missing_file_is_a_usage_error(tmp_path):
    r = ccsim("validate", str(tmp_path / "nope.yaml"))
    assert r.returncode == 2
    assert "file not found" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["run", "{d}"], "ccsim: error: {d}: is a folder; give one scenario file"),
        (["capacity", "{shop}", "--calendar", "{d}"],
         "ccsim: error: --calendar {d}: is a folder; give one calendar file"),
    ],
)  # fmt: skip
def test_a_folder_where_one_file_is_expected_is_a_usage_error(tmp_path, args, expected):
    # exit 1 with no `ccsim: error:` before, unlike a missing file (2)
    shop = str(SCENARIOS / "small_shop.yaml")
    r = ccsim(*[a.format(d=tmp_path, shop=shop) for a in args])
    assert r.returncode == 2 and r.stderr.strip() == expected.format(d=tmp_path)
    if args[0] == "run":  # an output folder: its scenario named (a notebook walkthrough)
        (tmp_path / "scenario.yaml").write_text("name: x\n")
        r = ccsim(*[a.format(d=tmp_path, shop=shop) for a in args])
        assert r.stderr.strip() == expected.format(d=tmp_path) + (
            f" ({tmp_path / 'scenario.yaml'} is the scenario this folder's output came from)"
        )


def test_an_option_below_its_bound_says_so_in_plain_words():
    # "Input should be greater than or equal to 1": pydantic's words, not ccsim's
    r = ccsim("run", str(SCENARIOS / "small_shop.yaml"), "-n", "0")
    assert r.returncode == 2
    assert r.stderr.strip() == (
        "ccsim: error: Invalid value for '--reps' / '-n': expected a value at least 1"
    )
    r = ccsim("run", str(SCENARIOS / "small_shop.yaml"), "-n", "abc")
    assert r.stderr.strip() == (
        "ccsim: error: Invalid value for '--reps' / '-n': expected a whole number"
    )


def test_unknown_option_is_a_usage_error():
    r = ccsim("validate", "--frobnicate", "scenarios/")
    assert r.returncode == 2


@pytest.mark.parametrize(
    ("option", "said"),
    [  # click compared with the dashes: `--bogus` was offered `--out`
        ("--bogus", "No such option: --bogus\n"),
        ("--rep", "No such option: --rep; did you mean --reps or --report?\n"),
        ("--sed", "No such option: --sed; did you mean --seed or --set?\n"),
        # upper case was offered nothing; one dash was read as `-r` and offered nothing
        ("--REPS", "No such option: --REPS; did you mean --reps?\n"),
        ("-reps", "No such option: -reps; did you mean --reps?\n"),
        ("-x", "No such option: -x\n"),
        ("-quiet", "No such option: -quiet; did you mean --quiet?\n"),  # (click: -q, then -u)
        ("--hlep", "No such option: --hlep; did you mean --help?\n"),  # (lost in a first fix)
    ],
)
def test_an_unknown_option_is_offered_only_the_options_that_look_like_it(option, said):
    r = ccsim("run", "scenarios/small_shop.yaml", option)
    assert r.returncode == 2
    assert r.stderr == f"ccsim: error: {said}"


def test_validate_json(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINIMAL.replace("  warmup: 1d", "  warmpu: 1d"))
    r = ccsim("validate", "--json", str(bad))
    assert r.returncode == 1
    doc = json.loads(r.stdout)
    (entry,) = doc["files"]
    assert doc["valid"] is False and entry["valid"] is False
    assert entry["errors"] == [
        {
            "line": 4,
            "field": "simulation.warmpu",
            "message": "unknown key 'warmpu'; did you mean 'warmup'?",
        }
    ]
    # and on stderr, the log a CI job shows (docs/ci.md; `check --json` did, this did not)
    assert r.stderr.strip() == (
        f"{bad}:4: simulation.warmpu: unknown key 'warmpu'; did you mean 'warmup'?"
    )


def test_warnings_do_not_fail_unless_strict(tmp_path):
    f = tmp_path / "w.yaml"
    f.write_text(
        MINIMAL.replace('open: {mon-fri: "08:00-18:00"}', 'open: {mon-sat: "08:00-18:00"}')
    )
    assert ccsim("validate", str(f)).returncode == 0
    r = ccsim("validate", "--strict", str(f))
    assert r.returncode == 1 and "warning: channels.phone.open" in r.stderr  # (stdout before)
    assert "warning: " not in r.stdout  # (the messages; stdout says the verdict and why)


def test_schema_is_json_schema_naming_every_top_level_key():
    r = ccsim("schema")
    assert r.returncode == 0
    schema = json.loads(r.stdout)
    for key in (
        "name",
        "simulation",
        "channels",
        "arrivals",
        "reasons",
        "faq_deflection",
        "anger",
        "escalation",
        "groups",
        "shifts",
        "roster",
        "shrinkage",
        "targets",
        "costs",
    ):
        assert key in schema["properties"], key
    assert schema["required"] == ["name", "channels", "arrivals", "reasons", "groups"]


def test_schema_validates_the_bundled_scenarios():
    jsonschema = __import__("pytest").importorskip("jsonschema")
    from ruamel.yaml import YAML

    schema = json.loads(ccsim("schema").stdout)
    for path in SCENARIOS.glob("*.yaml"):
        doc = YAML(typ="safe").load(path.read_text())
        jsonschema.validate(doc, schema)


def test_show_prints_a_summary():
    r = ccsim("show", "scenarios/ecommerce_omnichannel.yaml")
    assert r.returncode == 0, r.stderr
    for word in ("phone", "whatsapp", "social", "contacts/week", "Roster", "47% in 1h"):
        assert word in r.stdout


def test_names_are_printed_as_written_not_read_as_markup_or_emoji(tmp_path):
    # rich would read `[/bold]` as a closing tag (an error) and `:100:` as an emoji
    text = MINIMAL.replace("name: minimal", 'name: "[/bold] shop [b]x[/]"')
    (tmp_path / "s.yaml").write_text(text)
    r = ccsim("show", str(tmp_path / "s.yaml"))
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    assert r.stdout.splitlines()[0] == "[/bold] shop [b]x[/]"
    lines = text.splitlines()
    lines += [""] * (99 - len(lines)) + ["faq_deflection: lots"]  # line 100
    (tmp_path / "l.yaml").write_text("\n".join(lines) + "\n")
    r = ccsim("validate", str(tmp_path / "l.yaml"))
    assert f"{tmp_path / 'l.yaml'}:100: faq_deflection" in r.stderr


def test_a_scheduler_that_is_not_an_address_is_one_line(tmp_path):
    (tmp_path / "s.yaml").write_text(MINIMAL)
    r = ccsim("run", str(tmp_path / "s.yaml"), "-n", "2", "-q", "--scheduler", "garbage")
    # a bad option value: exit 2 before any work (until 2026-12-06 exit 1, from Dask)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.strip() == (
        "ccsim: error: Invalid value for '--scheduler': expected an address like "
        "tcp://host:8786, got 'garbage'"
    )


@pytest.mark.parametrize("size", ["0", "1e400", "-5MB"])
def test_a_size_that_is_not_positive_and_finite_is_named_as_a_size(size):
    r = ccsim("validate", str(SCENARIOS / "small_shop.yaml"), f"--max-file-size={size}")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.strip() == (
        "ccsim: error: Invalid value for '--max-file-size': a size must be positive and "
        f"finite, got '{size}'"
    )


@pytest.mark.parametrize(
    ("size", "said"),
    [  # `lots` was offered "16GB, 500MB or none", and `none` then refused
        ("lots", "expected a size like 5MB, 200KB or a number of bytes, got 'lots'"),
        (
            "none",
            "a size limit cannot be none (expected a size like 5MB, 200KB or a number of bytes)",
        ),
    ],
)
def test_a_file_size_limit_is_offered_only_what_it_takes(size, said):
    r = ccsim("validate", str(SCENARIOS / "small_shop.yaml"), f"--max-file-size={size}")
    assert r.returncode == 2
    assert r.stderr.strip() == f"ccsim: error: Invalid value for '--max-file-size': {said}"


@pytest.mark.parametrize(
    ("command", "option", "value", "expected"),
    [
        ("check", "--confidence", "nan", "a number >= 0.5 and <= 0.9999"),
        ("check", "--confidence", "inf", "a number >= 0.5 and <= 0.9999"),
        ("check", "--confidence", "1", "a number >= 0.5 and <= 0.9999"),
        ("run", "--precision", "nan", "a number > 0 and <= 0.5"),
        ("run", "--precision", "-0.1", "a number > 0 and <= 0.5"),
        ("run", "--precision", "0", "a number > 0 and <= 0.5"),  # (a traceback: the API wants > 0)
        # a scheduler address without a port is a bad value too (it exited 1)
        ("run", "--scheduler", "notanaddress", "an address like tcp://host:8786"),
        ("check", "--scheduler", "host:99999999", "an address like tcp://host:8786"),
        # the seed's bounds were printed in every --help as [0<=x<=9223372036854775807]
        ("run", "--seed", "-1", "a whole number from 0 to 9223372036854775807"),
        ("run", "--seed", "9223372036854775808", "a whole number from 0 to 9223372036854775807"),
        ("run", "--seed", "٣", "a whole number from 0 to 9223372036854775807"),
    ],
)
def test_a_number_out_of_its_range_names_the_range(command, option, value, expected):
    """NaN passed typer's `min`/`max` checks with a message naming only one side."""
    r = ccsim(command, str(SCENARIOS / "small_shop.yaml"), "-n", "2", option, value)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.strip() == (
        f"ccsim: error: Invalid value for '{option}': expected {expected}, got '{value}'"
    )


def test_a_precision_of_1_is_read_as_a_percentage():
    # `--precision 1`, meant as 1 %, was ±100 points, which any run reaches at once
    r = ccsim("run", str(SCENARIOS / "small_shop.yaml"), "--precision", "1")
    assert r.returncode == 2 and r.stderr.strip() == (
        "ccsim: error: Invalid value for '--precision': expected a number > 0 and <= 0.5, got "
        "'1'; for 1 %, write 0.01"
    )


@pytest.mark.parametrize("command", ["plan", "capacity", "run", "validate", "backtest", "fit"])
def test_help_says_what_each_option_takes_and_keeps_its_bracketed_words(command):
    """typer's rich help printed `<bool>` beside every flag, `<int range>` beside counts,
    and read `[default: 8; 16 above 250,000 contacts]` in a help text as markup: gone."""
    r = subprocess.run(
        [sys.executable, "-m", "ccsim", command, "--help"],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "COLUMNS": "100"},
    )  # fmt: skip
    assert r.returncode == 0
    for shown in ("<bool>", "<int", "<str>", "[0<=x<="):
        assert shown not in r.stdout, (command, shown)
    if command == "plan":
        assert "--reps N" in r.stdout and "--out DIR" in r.stdout and "--seed SEED" in r.stdout
        assert "[default: 8; 16" in r.stdout and "[default: 30; fewer" in r.stdout


def test_a_check_line_of_a_long_path_is_one_line_in_a_log(tmp_path):
    # stdout that is not a terminal was 160 columns wide: a line was split in two
    folder = tmp_path / ("a_rather_long_folder_name_" * 5)
    folder.mkdir()
    (folder / "erlang_check_of_a_long_name.yaml").write_text(
        (ROOT / "scenarios" / "erlang_check.yaml").read_text()
    )
    r = ccsim("check", str(folder), "-n", "2", "-q")
    lines = r.stdout.strip().splitlines()
    assert len(str(folder)) > 160 and len(lines) == 2, r.stdout
    assert lines[0].startswith(f"ok   {folder}") and lines[0].endswith(")"), lines[0]


@pytest.mark.parametrize(
    "command",
    [("run", "-q"), ("plan", "-q"), ("sweep", "--set", "arrivals.phone.weekly=600"), ("show",)],
)
def test_a_failed_command_under_json_prints_an_errors_document(tmp_path, command):
    """A job that reads `--json` output finds JSON when the input is bad too: every
    problem with its file, line and field (stderr keeps the lines); without --json
    stdout stays empty. (`show` has no --json: a usage error, exit 2, no document.)"""
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINIMAL.replace("weekly: 500,", "weekly: lots,").replace("wage: 25", "wage: x"))
    r = ccsim(command[0], str(bad), *command[1:], "--json")
    if command[0] == "show":
        assert r.returncode == 2 and r.stdout == ""
        return
    assert r.returncode == 1, r.stderr
    errors = json.loads(r.stdout)["errors"]
    assert [(e["path"], e["field"]) for e in errors] == [
        (str(bad), "arrivals.phone.weekly"),
        (str(bad), "groups.supervisor.wage"),
    ]
    assert errors[0]["line"] == 14 and "expected a number" in errors[0]["message"]
    assert f"{bad}:14: arrivals.phone.weekly" in r.stderr
    plain = ccsim(command[0], str(bad), *command[1:])
    assert plain.returncode == 1 and plain.stdout == ""


def test_a_job_that_fails_under_json_prints_its_one_line_as_a_document():
    r = ccsim("run", str(SCENARIOS / "small_shop.yaml"), "--json", "-q", "--memory-limit", "1KB")
    assert r.returncode == 1
    (error,) = json.loads(r.stdout)["errors"]
    assert error["path"] is None and error["line"] is None
    assert "more than the limit of 1,000 bytes" in error["message"]
    assert f"ccsim: error: {error['message']}" in r.stderr


def test_a_memory_limit_without_a_unit_is_refused_with_the_sizes_to_write():
    # `--memory-limit 16` was 16 bytes: every run was refused, "more than the limit of 16
    # bytes", where 16 GB was meant
    r = ccsim("run", str(SCENARIOS / "small_shop.yaml"), "-q", "--memory-limit", "16")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "16 has no unit: write 16GB, 16MB or none" in r.stderr, r.stderr
    assert "bytes" not in r.stderr
    for value in ("0", "-5", "inf"):  # no unit to offer: "write 0GB" was refused in turn
        r = ccsim("run", str(SCENARIOS / "small_shop.yaml"), "-q", "--memory-limit", value)
        assert r.returncode == 2 and "a size must be positive and finite" in r.stderr, r.stderr


def test_one_commands_json_does_not_carry_over_to_the_next_in_one_process(tmp_path):
    # the --json flag is remembered for the errors document: typer's CliRunner runs
    # commands in one process, and `report` after `erlang --json` printed one
    from typer.testing import CliRunner

    import ccsim.cli

    runner = CliRunner()
    erlang = ["erlang", "c", "--rate", "1", "--aht", "3min", "--agents", "5", "--json"]
    assert runner.invoke(ccsim.cli.app, erlang).exit_code == 0
    (tmp_path / "capacity.json").write_text("{}")
    r = runner.invoke(ccsim.cli.app, ["report", str(tmp_path)])
    assert r.exit_code == 1 and r.stdout == ""
    r = runner.invoke(ccsim.cli.app, ["run", str(tmp_path / "none.yaml"), "--json"])
    assert r.exit_code == 2 and r.stdout == ""  # a usage error: no document


def test_show_gives_each_roster_lines_breaks_and_whether_its_people_take_them_together():
    # a whole line's break left a channel unanswered, and `show` had no breaks to see it
    # by (a hand editor's walkthrough, 2026-12-07)
    s = ccsim_api.loads(MINIMAL)
    night = {"start": "22:00", "length": "8h", "breaks": [
        {"after": "3h", "length": "30min", "stagger": "1h"},  # 3 turns: 01:00, 01:30, 02:00
        {"after": "6h", "length": "15min", "paid": True},
    ]}  # fmt: skip
    s = ccsim_api.with_changes(s, {"shifts.night": night})
    shift = s.shifts["night"]
    assert summary.breaks_text(shift, 5) == "01:00+30min in 3 turns, 04:00+15min paid all at once"
    assert summary.breaks_text(shift, 2) == "01:00+30min in 2 turns, 04:00+15min paid all at once"
    assert summary.breaks_text(shift, 1) == "01:00+30min, 04:00+15min paid"
    r = ccsim("show", "scenarios/ecommerce_omnichannel.yaml")
    assert "breaks" in r.stdout and "11:00+30min all at once" in r.stdout


def test_show_gives_each_channels_patience_and_each_reasons_mix_and_resolution_time():
    # a hand editor could not see patience, balk or resolution times anywhere but the file
    s = ccsim_api.load(SCENARIOS / "small_shop.yaml")
    channels = summary.channels_table(s).set_index("channel")["patience"].to_dict()
    assert channels == {
        "phone": "3min weibull shape 0.8, 5% balk",
        "chat": "5min exponential",
        "email": "-",
        "escalation": "-",
    }
    reasons = summary.reasons_table(s).set_index("reason").to_dict("index")
    assert reasons == {
        "question": {
            "mix": "phone 94%, chat 96%, email 95%",
            "resolve": "4min lognormal cv 0.5",
            "notes": "prepared answer",
        },
        "special_case": {
            "mix": "phone 6%, chat 4%, email 5%",
            "resolve": "10min gamma cv 0.8",
            "notes": "escalates",
        },
        "escalation": {"mix": "-", "resolve": "15min lognormal cv 0.7", "notes": "queue"},
    }
    impatient = ccsim_api.with_changes(s, {"channels.chat.patience": None})
    assert summary.patience_text(impatient.channels["chat"]) == "never abandon"
    # a fitted mean to three digits: "382.35s", "178.482s" (a walkthrough)
    fitted = ccsim_api.with_changes(s, {"channels.phone.patience.mean": "6.3725min",
                                        "reasons.question.resolve.mean": "2.97472min"})  # fmt: skip
    assert summary.patience_text(fitted.channels["phone"]).startswith("6.37min weibull")
    assert summary.duration_text(fitted.reasons["question"].resolve) == "2.97min lognormal cv 0.5"
    typed = ccsim_api.with_changes(s, {"reasons.question.resolve.mean": "61.5min"})  # as typed
    assert summary.duration_text(typed.reasons["question"].resolve) == "61.5min lognormal cv 0.5"
    r = ccsim("show", str(SCENARIOS / "small_shop.yaml"))
    assert r.returncode == 0 and "Reasons" in r.stdout and "patience" in r.stdout, r.stderr


def test_a_stdout_that_cannot_take_the_text_or_goes_away_is_no_traceback(tmp_path):
    # a Windows runner's cp1252 stdout raised UnicodeEncodeError on `≥`: a traceback and no
    # JUnit file; `| head -1` made a passing gate exit 1; a full disk and a closed stdout
    # were tracebacks (a CI walkthrough)
    gate = ["-m", "ccsim", "check", "scenarios/erlang_check.yaml", "-n", "2", "-q", "-w", "1"]
    env = {**os.environ, "PYTHONIOENCODING": "cp1252"}
    junit = tmp_path / "junit.xml"
    r = subprocess.run([sys.executable, *gate, "--junit", str(junit)], capture_output=True,
                       cwd=ROOT, env=env)  # fmt: skip
    assert r.returncode == 0 and b"Traceback" not in r.stderr, r.stderr
    assert b"phone sl_20s >= 80%" in r.stdout and junit.exists()
    # a reader that leaves early: the command finishes, with its own exit code
    run = [sys.executable, "-m", "ccsim", "run", "scenarios/small_shop.yaml", "-n", "2", "-q",
           "-w", "1", "--out", str(tmp_path / "out")]  # fmt: skip
    with subprocess.Popen(run, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT) as p:
        p.stdout.close()  # (a `head -1` gone before the table is printed)
        said = p.stderr.read()
    assert p.returncode == 0 and b"Traceback" not in said and b"Exception ignored" not in said
    assert (tmp_path / "out" / "run.json").exists()
    # a full disk: one line, exit 1; a closed stdout: the command runs
    with open("/dev/full", "w") as full:
        r = subprocess.run([sys.executable, *gate], stdout=full, stderr=subprocess.PIPE, cwd=ROOT)
    assert r.returncode == 1 and r.stderr.strip().endswith(
        b"ccsim: error: cannot write the output: No space left on device"
    ), r.stderr
    assert b"Traceback" not in r.stderr
    shell = f"{sys.executable} -m ccsim check scenarios/erlang_check.yaml -n 2 -q -w 1 >&-"
    r = subprocess.run(["sh", "-c", shell], capture_output=True, cwd=ROOT)
    assert r.returncode == 0 and r.stderr == b"", r.stderr
    # `2>&1 | head`: stderr's pipe closed too, the command runs on
    with subprocess.Popen(run, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=ROOT) as p:
        p.stdout.close()
    assert p.returncode == 0
    # main() in a notebook or a test leaves the streams as it found them (a review)
    before = (sys.stdout, sys.stderr)
    with pytest.raises(SystemExit):
        cli_main_with(["--version"])
    assert (sys.stdout, sys.stderr) == before
    # FORCE_COLOR (set by many CI runners) draws no progress bar into the log
    env = {**os.environ, "FORCE_COLOR": "1"}
    r = subprocess.run([sys.executable, *gate[:-3], "-w", "1"], capture_output=True,
                       cwd=ROOT, env=env)  # fmt: skip
    assert r.returncode == 0 and r.stderr == b"", r.stderr[:200]


def test_check_of_a_file_without_a_seed_says_the_seed_it_drew_and_it_repeats_the_check(
    tmp_path,
):
    # a gate near its goal passed and failed by turns, and a failure could not be repeated
    # from the CI log: the seed drawn was in --json alone (a CI walkthrough)
    text = (ROOT / "scenarios" / "erlang_check.yaml").read_text()
    assert "\n  seed: 1\n" in text
    path = tmp_path / "noseed.yaml"
    path.write_text(text.replace("\n  seed: 1\n", "\n"))
    junit = tmp_path / "junit.xml"
    r = ccsim("check", str(path), "-n", "2", "-q", "-w", "1", "--json", "--junit", str(junit))
    assert r.returncode == 0, r.stderr
    (said,) = re.findall(r"no seed: this check drew a random one, (\d+), .*", r.stderr)
    doc = json.loads(r.stdout)["files"][0]
    assert int(said) == doc["run"]["seed"]
    assert [w["message"] for w in doc["warnings"]] == [
        f"no seed: this check drew a random one, {said}, so its figures change from check to "
        f"check (set simulation.seed; checking this file alone with --seed {said}, "
        f"seed={said} in Python, repeats this one)"
    ]
    assert f"--seed {said}, seed={said} in Python, repeats this one" in junit.read_text()
    again = ccsim("check", str(path), "-n", "2", "-q", "-w", "1", "--json", "--seed", said)
    assert again.returncode == 0 and "no seed" not in again.stderr
    assert json.loads(again.stdout)["files"][0]["run"] == doc["run"]
    seeded = ccsim("check", "scenarios/erlang_check.yaml", "-n", "2", "-q", "-w", "1")
    assert seeded.returncode == 0 and "no seed" not in seeded.stderr


def cli_main_with(argv: list[str]) -> None:
    """`ccsim ARGV` in this process."""
    saved = sys.argv
    sys.argv = ["ccsim", *argv]
    try:
        main()
    finally:
        sys.argv = saved
