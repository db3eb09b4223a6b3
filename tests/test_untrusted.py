"""Scenario files from untrusted pull requests: paths confined to the scenario's folder
tree, bounded parsing (size, nesting, aliases), and no file contents in messages beyond
the offending cell, cut short. Each hostile file is refused by `ccsim validate` with
one located message, exit 1 and no traceback (docs/ci.md, "Validating untrusted files").
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import ccsim
from conftest import MINIMAL

SECRET = "TOKEN-s3cr3t-4f9a"
GUARD = 120  # seconds: a hang guard for the subprocess, not a speed assertion


def validate(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ccsim", "validate", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=GUARD,
    )


def refused(r: subprocess.CompletedProcess, *expected: str) -> str:
    """The one error line of a refused file (asserts exit 1, no traceback, no secret)."""
    assert r.returncode == 1, r.stdout + r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert "Traceback" not in r.stderr and SECRET not in r.stderr + r.stdout
    for text in expected:
        assert text in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository folder with a scenario, beside a folder it must not read."""
    (tmp_path / "outside").mkdir()
    secret = "interval,weight\n" + "".join(f"{h:02d}:00,{SECRET}\n" for h in range(24))
    (tmp_path / "outside" / "profile.csv").write_text(secret)
    (tmp_path / "repo" / "profiles").mkdir(parents=True)
    return tmp_path / "repo"


def with_profile(repo: Path, csv: str) -> Path:
    path = repo / "s.yaml"
    path.write_text(MINIMAL.replace("intraday: business_hours", f"intraday: {{csv: {csv!r}}}"))
    return path


@pytest.mark.parametrize("kind", ["relative", "absolute", "symlink"])
def test_a_profile_outside_the_scenarios_folder_is_refused(repo, kind):
    outside = repo.parent / "outside" / "profile.csv"
    if kind == "relative":
        csv = "../" * 12 + str(outside).lstrip("/")  # climbs above / and back down
    elif kind == "absolute":
        csv = str(outside)
    else:
        (repo / "profiles" / "link.csv").symlink_to(outside)
        csv = "profiles/link.csv"
    r = validate(str(with_profile(repo, csv)), cwd=repo)
    line = refused(
        r, "s.yaml:", "arrivals.phone.intraday", "resolves outside the scenario's folder"
    )
    assert "--allow-path" in line


def test_allow_path_widens_the_tree_and_a_bad_cell_is_quoted_cut_short(repo):
    outside = repo.parent / "outside"
    path = with_profile(repo, str(outside / "profile.csv"))
    r = validate(str(path), "--allow-path", str(outside), cwd=repo)
    assert r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert f"profile.csv:2: expected a number in the last column, got '{SECRET}'" in r.stderr
    assert "interval" not in r.stderr and "00:00" not in r.stderr  # the cell, nothing more
    long = "x" * 1000
    (outside / "profile.csv").write_text("a,b\n" + "".join(f"{h},{long}\n" for h in range(24)))
    line = refused(
        validate(str(path), "--allow-path", str(outside), cwd=repo), "(1,000 characters)"
    )
    assert len(line) < 500
    good = "".join(f"{h},{h % 5 + 1}\n" for h in range(24))
    (outside / "profile.csv").write_text(good)
    r = validate(str(path), "--allow-path", str(outside), cwd=repo)
    assert r.returncode == 0, r.stderr
    s = ccsim.load(path, allow_paths=[outside])
    assert s.arrivals["phone"].intraday_weights(60)[0].sum() == pytest.approx(1.0)
    with pytest.raises(ccsim.ScenarioError, match="resolves outside"):
        ccsim.load(path)


def test_a_profile_with_a_ten_million_character_cell_is_refused_unread(repo):
    (repo / "profiles" / "huge.csv").write_text("h,w\n0," + "9" * 10**7 + "\n")
    r = validate(str(with_profile(repo, "profiles/huge.csv")), cwd=repo)
    refused(r, "profiles/huge.csv: the file has 10,000,007 bytes, more than the 1,000,000")


def _bomb(levels: int = 10, width: int = 10) -> str:
    """Anchors a0..a9, each a list of ten references to the previous: 10^10 values."""
    lines = ["a0: &a0 [" + ", ".join(["x"] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_a_yaml_alias_bomb_is_refused(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(_bomb() + MINIMAL)
    assert path.stat().st_size < 2000
    refused(
        validate(str(path), cwd=tmp_path),
        "bomb.yaml:",
        "more than 100,000 values once YAML aliases",
    )


def test_an_anchor_bomb_inside_the_roster_is_refused(tmp_path):
    lines = ["  - &r0 {group: agents, shift: day, agents: 3}"]
    lines += [f"  - &r{i} [" + ", ".join([f"*r{i - 1}"] * 10) + "]" for i in range(1, 9)]
    text = MINIMAL.replace(
        "roster:\n  - {group: agents, shift: day, agents: 3}\n",
        "roster:\n" + "\n".join(lines) + "\n",
    )
    path = tmp_path / "roster.yaml"
    path.write_text(text)
    refused(validate(str(path), cwd=tmp_path), "roster.yaml:", "once YAML aliases are expanded")


def test_a_few_aliases_within_the_bounds_are_fine(tmp_path):
    text = MINIMAL.replace(
        '  day: {start: "08:00", length: 10h, days: mon-fri}',
        '  day: &day {start: "08:00", length: 10h, days: mon-fri}\n  copy: *day',
    )
    assert "copy: *day" in text
    s = ccsim.loads(text)
    assert s.shifts["copy"] == s.shifts["day"]


@pytest.mark.parametrize("style", ["flow", "block"])
def test_a_value_nested_five_thousand_levels_deep_is_refused(tmp_path, style):
    if style == "flow":
        deep = "description: " + "[" * 5000 + "]" * 5000 + "\n"
    else:  # indentation: 200 levels already make a file of 40 KB
        deep = "deep:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(200))
    path = tmp_path / "deep.yaml"
    path.write_text(MINIMAL + deep)
    refused(validate(str(path), cwd=tmp_path), "deep.yaml:", "nested more than 32 levels deep")


def test_a_fifty_megabyte_scenario_is_refused_unread(tmp_path):
    path = tmp_path / "big.yaml"
    with path.open("wb") as f:
        f.truncate(50 * 2**20)  # sparse: written instantly, never read by ccsim
    line = refused(
        validate(str(path), cwd=tmp_path), "big.yaml: the scenario file has 52,428,800 bytes"
    )
    assert "--max-file-size" in line
    r = validate(str(path), "--max-file-size", "60MB", cwd=tmp_path)
    assert "52,428,800 bytes" not in r.stderr  # allowed: now read (and found not YAML)


def test_every_command_that_reads_a_scenario_takes_the_size_limit_it_names(tmp_path):
    # plan, sweep, capacity and backtest said "raise the limit with --max-file-size" and
    # had no such option: a large fitted scenario could not be planned or backtested
    big = tmp_path / "big.yaml"
    big.write_text(MINIMAL + "#" * 1_100_000 + "\n")

    def sweep(*more: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "ccsim", "sweep", str(big), "--set", "roster[0].agents=4",
             "-n", "1", "--json", *more],
            capture_output=True, text=True, cwd=tmp_path, timeout=GUARD,
        )  # fmt: skip

    assert "raise the limit with --max-file-size" in refused(sweep(), "big.yaml: the scenario")
    r = sweep("--max-file-size", "2MB")
    assert r.returncode == 0, r.stderr
    for command in ("validate", "run", "check", "plan", "sweep", "capacity", "backtest"):
        help_text = subprocess.run(
            [sys.executable, "-m", "ccsim", command, "--help"],
            capture_output=True, text=True, cwd=tmp_path, timeout=GUARD,
            env={**os.environ, "COLUMNS": "200"},
        ).stdout  # fmt: skip
        assert "--max-file-size" in help_text, command


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_scenario_that_is_a_fifo_or_a_device_is_refused_unread(tmp_path, kind):
    # a FIFO would block the read forever; /dev/zero reports 0 bytes and never ends
    path = tmp_path / "odd.yaml"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    refused(validate(str(path), cwd=tmp_path), "odd.yaml: is not a regular file")


def test_a_csv_profile_that_is_a_device_is_refused_unread(tmp_path):
    (tmp_path / "zero.csv").symlink_to("/dev/zero")
    text = MINIMAL.replace("{weekly: 300}", "{weekly: 300, intraday: {csv: zero.csv}}")
    (tmp_path / "s.yaml").write_text(text)
    refused(
        validate("s.yaml", "--allow-path", "/dev", cwd=tmp_path), "zero.csv: is not a regular file"
    )


def test_names_and_keys_cannot_forge_a_log_line_or_break_the_junit_file(tmp_path):
    # a key with a line break printed a forged `ok …` line into a CI log; a channel
    # named with a control character passed validation, and check --junit wrote a file
    # that was not XML
    from xml.etree import ElementTree

    from ccsim.report import junit

    forged = MINIMAL.replace(
        "    kind: voice\n", '    kind: voice\n    "x\\nok   fake.yaml: met \\e[31m": 1\n', 1
    )
    control = MINIMAL.replace("  phone:\n    kind: voice", '  "ph\\x01one":\n    kind: voice', 1)
    long = MINIMAL.replace("  agents:\n", f"  {'a' * 61}:\n", 1)
    for text, field in [
        (forged, "channels.phone.'x\\nok   fake.yaml: met \\x1b[31m'"),
        (control, "channels.'ph\\x01one'"),
        (long, f"groups.'{'a' * 60}'… (61 characters)"),
    ]:
        with pytest.raises(ccsim.ScenarioError) as info:
            ccsim.loads(text, name="s.yaml")
        shown = [str(m) for m in info.value.messages]
        assert all("\n" not in m and "\x1b" not in m and "\x01" not in m for m in shown)
        assert any(f": {field}: " in m for m in shown), shown
    name_rule = "(expected a name of 1 to 60 printable characters on one line)"
    with pytest.raises(ccsim.ScenarioError) as info:
        ccsim.loads(control, name="s.yaml")
    assert [str(m) for m in info.value.messages] == [  # one message: no unknown-name echoes
        f"s.yaml:7: channels.'ph\\x01one': got 'ph\\x01one' {name_rule}"
    ]
    out = tmp_path / "j.xml"
    junit.write(out, {"odd\x01name.yaml": ["s.yaml:1: bad \x1b[31m"]})
    case = ElementTree.parse(out).getroot().find("testsuite/testcase")
    assert case.get("file") == "odd\\x01name.yaml" and case.get("classname") == "odd\\x01name"
    assert case.find("failure").text == "s.yaml:1: bad \\x1b[31m"


def test_a_scenario_name_or_file_name_cannot_forge_a_log_line(tmp_path):
    # the scenario's own name was not bounded like the other names: `run` and `show`
    # printed a line break and an escape from it; a file named with a line break printed
    # `validate`'s and `check`'s lines over two lines
    forged = MINIMAL.replace(
        "name: ", 'name: "x\\nok   fake.yaml: all targets met\\e[31m"\nold_name: ', 1
    ).replace("old_name: ", "description: ", 1)
    with pytest.raises(ccsim.ScenarioError) as info:
        ccsim.loads(forged, name="s.yaml")
    assert [str(m) for m in info.value.messages] == [
        "s.yaml:1: name: got 'x\\nok   fake.yaml: all targets met\\x1b[31m' (expected a name "
        "of 1 to 200 printable characters on one line; `description` takes more)"
    ]
    folder = tmp_path / "repo"
    folder.mkdir()
    (folder / "x\nok   fake.yaml").write_text(MINIMAL + "shrinkage: 2\n")
    (folder / "y\x1b[31m.yaml").write_text(MINIMAL)
    r = subprocess.run(
        [sys.executable, "-m", "ccsim", "validate", str(folder)],
        capture_output=True, text=True, timeout=GUARD,
    )  # fmt: skip
    assert r.returncode == 1
    lines = (r.stdout + r.stderr).splitlines()
    assert not any(line.startswith("ok ") for line in lines), lines
    assert f"{folder}/x\\nok   fake.yaml:" in r.stderr and "\x1b" not in r.stdout + r.stderr
    assert f"{folder}/y\\x1b[31m.yaml: ok" in r.stdout
    # the paths `plan` and `run` print: errors and "written to" lines (a review found
    # them printed raw after the fix above)
    out = tmp_path / "o\nFAKE"
    r = subprocess.run(
        [sys.executable, "-m", "ccsim", "plan", str(folder / "y\x1b[31m.yaml"), "-w", "1",
         "-q", "--out", str(out), "--memory-limit", "1KB"],
        capture_output=True, text=True, timeout=GUARD,
    )  # fmt: skip
    assert r.returncode == 1 and not out.exists()
    shown = f"{folder}/y\\x1b[31m.yaml"  # the file's name, its escape written out
    lines = r.stderr.strip().splitlines()  # MINIMAL's own warning, then the refusal
    assert lines[-1].startswith(f"ccsim: error: {shown}: "), lines  # (`plan` printed it raw)
    assert all(line.startswith((shown, "ccsim: error: ")) for line in lines), lines
    assert "\x1b" not in r.stdout + r.stderr
    r = subprocess.run(
        [sys.executable, "-m", "ccsim", "run", str(folder / "y\x1b[31m.yaml"), "-n", "1",
         "-w", "1", "-q", "--out", str(out)],
        capture_output=True, text=True, timeout=GUARD,
    )  # fmt: skip
    assert r.returncode in (0, 1) and out.is_dir()
    assert f"results written to {tmp_path}/o\\nFAKE/" in r.stdout
    assert not any(line.startswith("FAKE") for line in r.stdout.splitlines())
