"""File-level problems: broken YAML, empty files, wrong top-level type, missing files."""

from __future__ import annotations

import json
import os

import pytest

import ccsim
from conftest import MINIMAL, SCENARIOS, errors_of
from test_cli import ccsim as cli


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ":? the file is empty"),
        ("# only a comment\n", "the file is empty"),
        ("- a\n- b\n", ":1: expected a mapping of scenario keys (name, channels, ...), got a list"),
        ("just text\n", ":1: expected a mapping of scenario keys"),
        ("name: x\nchannels: {phone: [\n", "invalid YAML"),
        ("name: x\n  bad indent: 1\n", ":2: invalid YAML"),
        # the parser's words were all it said: "expected <block end>, but found
        # '<block mapping start>'"
        (
            "name: x\nsimulation:\n  horizon: 1d\n warmup: 1d\n",
            ":4: invalid YAML: this line is indented differently from the keys above it",
        ),
        (
            'name: "Shop" 2\n',
            ":1: invalid YAML: expected <block end>, but found '<scalar>' (text "
            "after a quoted value, a [list] or a {mapping}: put the whole value in quotes)",
        ),
        (
            "name: x\nsimulation:\n  horizon: 1d\n   warmup: 1d\n",
            ":4: invalid YAML: mapping values are not allowed here (a key indented deeper",
        ),
        ("name: a\nname: b\n", ":2: invalid YAML: found duplicate key 'name' (first on line 1"),
        # a key without the space after its colon, or without a colon, was reported a line
        # or two on, in the parser's words (a hand editor's walkthrough, 2026-12-07)
        (
            "name: x\nchannels:\n  phone:\n    kind: voice\n    patience:3min\n"
            "    tolerance: 3min\n",
            ":5: invalid YAML: `patience:3min` has no space after its colon: write "
            "`patience: 3min`",
        ),
        (
            "name: x\nsimulation:\n  warmup:\u00a02d\n  seed: 1\n",
            ":3: invalid YAML: `warmup:` is followed by a non-breaking space (pasted from a "
            "web page?): write an ordinary space, `warmup: 2d`",
        ),
        (
            "name: x\nsimulation:\n  horizon 7d\n  warmup: 1d\n",
            ":3: invalid YAML: `horizon 7d` has no colon after its key: write `horizon: 7d`",
        ),
        # ... but not a text written over lines, nor a list item: values (a review)
        (
            "name: x\ndescription: Small web shop\n  with phone support\n  Note: closed\n",
            ":4: invalid YAML: mapping values are not allowed here (a key indented deeper",
        ),
        (
            "name: x\nlinks:\n  - mailto:help@x.com\nfoo: a: b\n",
            ":4: invalid YAML: mapping values are not allowed here",
        ),
        (
            "name: x\nskills:\n  - phone support\n  - name: x\nfoo: a: b\n",
            ":5: invalid YAML: mapping values are not allowed here",
        ),
        # a quote left open in a {mapping} was reported where the reader stopped, lines on
        (
            'name: x\nchannels:\n  phone: {kind: voice, open: {mon: "08:00-18:00}}\n'
            "arrivals:\n  phone: {weekly: 10}\ngroups: {}\n",
            ":3: invalid YAML: the quoted scalar begun on this line runs on to line 7 "
            "(found unexpected end of stream): a closing quote missing?",
        ),
        (
            'name: x\nchannels:\n  phone: {kind: voice, open: {mon: "08:00-18:00}}\n'
            'arrivals:\n  phone: {weekly: 10, intraday: "flat"}\n',
            ":3: invalid YAML: the flow mapping begun on this line runs on to line 5 "
            "(expected ',' or '}', but got '<scalar>'): a closing quote, } or ] missing?",
        ),
        # ... but an error inside a valid list or text written over several lines keeps
        # its own line
        (
            "name: x\narrivals:\n  phone: {weekly: 10, intraday: [1, 2,\n"
            "                                  3, 4}]}\n",
            ":4: invalid YAML: expected ',' or ']', but got '}'",
        ),
        ('name: "two\n  lines \\d"\n', ":2: invalid YAML: found unknown escape character 'd'"),
        # a quote left open where the next quote sits deeper, lines on
        (
            'name: x\nchannels:\n  phone: {kind: "voice, tolerance: 3min}\n  chat:\n'
            '    kind: chat\n    open: {mon-fri: "09:00-21:00"}\n',
            ":3: invalid YAML: the flow mapping begun on this line runs on to line 6",
        ),
        # a block value's quote left open runs on to the next quote (until 2026-12-06
        # reported there, lines on), deeper or not
        (
            'name: x\nchannels:\n  phone:\n    kind: "voice\n    tolerance: 3min\n'
            '    open: {mon-fri: "09:00-21:00"}\n',
            ":4: invalid YAML: the quoted scalar begun on this line runs on to line 6 "
            "(expected <block end>, but found '<scalar>'",
        ),
        (
            "name: 'Shop\nchannels:\n  phone: {kind: voice, patience: '3min'}\n",
            ":1: invalid YAML: the quoted scalar begun on this line runs on to line 3",
        ),
        # ... and text over lines, closed, keeps an error of a later line there
        ('name: "two\n  lines"\nshrinkage: [0.1\n', ":3: invalid YAML"),
        # ... and on its own closing line: the text after it, not an open quote
        (
            'name: "two\n  lines" oops\nchannels: {}\n',
            ":2: invalid YAML: expected <block end>, but found '<scalar>' (text after a quoted",
        ),
        # another tool's YAML in a folder given to `validate`: one message, not one per
        # missing field and unknown key
        (
            "name: ci\non: [push]\njobs: {check: {runs-on: ubuntu-latest}}\n",
            ":1: not a scenario: none of its keys (on, jobs) is a scenario's",  # (name is one)
        ),
    ],
)
def test_file_level_problems(tmp_path, text, expected):
    messages = errors_of(text, tmp_path)
    assert len(messages) == 1
    prefix = str(tmp_path / "s.yaml")
    assert messages[0].startswith(prefix)
    if expected.startswith(":? "):
        assert expected[3:] in messages[0]
    else:
        assert expected in messages[0], messages[0]


def test_every_duplicated_key_is_reported_at_once(tmp_path):
    # ruamel stops at the first: a file with three was fixed in three rounds
    text = (
        "name: a\nchannels:\n  phone: {kind: voice}\n  phone: {kind: chat}\n"
        "shrinkage: 0.1\nname: b\ngroups: {g: {skills: {phone: 1, phone: 2}}}\n"
        "shifts: {d: &d {start: '08:00', length: 8h}, e: {<<: *d, <<: *d}}\n"
        "arrivals: {'1': 1, 1: 2, !!str 2: 3, 2: 4}\n"
    )
    messages = errors_of(text, tmp_path)
    assert [m.split(": ", 1)[0].rsplit(":", 1)[1] for m in messages] == ["4", "6", "7"]
    assert "duplicate key 'phone' (first on line 3" in messages[0]
    assert "duplicate key 'name' (first on line 1" in messages[1]
    assert "duplicate key 'phone' (first on line 7" in messages[2]  # in a flow mapping


def test_missing_file(tmp_path):
    with pytest.raises(ccsim.ScenarioError) as info:
        ccsim.load(tmp_path / "nope.yaml")
    assert str(info.value) == f"{tmp_path / 'nope.yaml'}: file not found"


def test_folder_instead_of_file(tmp_path):
    with pytest.raises(ccsim.ScenarioError, match="is a folder"):
        ccsim.load(tmp_path)


def test_not_utf8_or_a_control_character_is_named_at_its_line(tmp_path):
    # they had no line: "cannot read file: not UTF-8 text", and ruamel's "unacceptable
    # character #x0000: special characters are not allowed in "<unicode string>",
    # position 500"
    path = tmp_path / "s.yaml"
    path.write_bytes(b"name: x\n# caf\xe9\n")
    with pytest.raises(ccsim.ScenarioError) as caught:
        ccsim.load(path)
    assert [str(m) for m in caught.value.messages] == [
        f"{path}:2: cannot read file: not UTF-8 text (byte 0xe9): save the file as UTF-8"
    ]
    for char in ("\x00", "\x07"):
        with pytest.raises(ccsim.ScenarioError) as caught:
            ccsim.loads(MINIMAL.replace("name: minimal", f"name: mini{char}mal"), name="s.yaml")
        assert [str(m) for m in caught.value.messages] == [
            f"s.yaml:1: invalid YAML: the control character {char!r} is not allowed in a YAML file"
        ]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le"])
def test_a_utf16_scenario_or_table_is_named_as_such(tmp_path, codec):
    # without a byte-order mark it was "the control character '\x00' is not allowed", and a
    # counts table's columns were "found 's\x00t\x00a\x00r\x00t\x00'"
    path = tmp_path / "s.yaml"
    path.write_bytes(MINIMAL.encode(codec))
    with pytest.raises(ccsim.ScenarioError) as caught:
        ccsim.load(path)
    assert [str(m) for m in caught.value.messages] == [
        f"{path}: cannot read file: {codec[:6].upper()} text: save the file as UTF-8"
    ]
    (tmp_path / "counts.csv").write_bytes("start,count\n1999-02-15 08:00,4\n".encode(codec))
    path.write_text(
        "name: counts\nsimulation: {start: 1999-02-15, horizon: 1d, interval: 1h}\n"
        "channels: {phone: {kind: voice, patience: 2min}}\n"
        "arrivals: {phone: {counts: {csv: counts.csv}}}\n"
        "reasons: {call: {mix: {phone: 1}, resolve: 3min}}\n"
        "groups: {agents: {skills: {phone: 1}}}\n"
        "shifts: {day: {start: '08:00', length: 8h, days: mon}}\n"
        "roster: [{group: agents, shift: day, agents: 2}]\n"
    )
    with pytest.raises(ccsim.ScenarioError) as caught:
        ccsim.load(path)
    assert [m.message for m in caught.value.messages] == [
        f"cannot read arrival counts 'counts.csv': {codec[:6].upper()} text: save it as UTF-8"
    ]
    (tmp_path / "counts.csv").write_text("start,count\n1999-02-15 08:00,4\n")
    assert ccsim.load(path).arrivals["phone"].per_week() == 4 * 7


def test_loads_from_text():
    s = ccsim.loads(MINIMAL)
    assert set(s.channels) == {"phone", "email"}
    assert s.simulation.intervals_per_day == 24
    assert s.channels["phone"].patience.mean == 3.0
    assert s.reasons["special"].resolve.dist == "lognormal"


def test_paid_hours_and_agents():
    s = ccsim.loads(MINIMAL)
    assert s.agents_per_group() == {"agents": 3, "supervisor": 1}
    assert s.paid_hours() == {"agents": 3 * 5 * 10.0, "supervisor": 5 * 10.0}


def test_unpaid_breaks_reduce_paid_hours():
    text = MINIMAL.replace(
        "length: 10h, days: mon-fri}",
        "length: 10h, days: mon-fri, breaks: [{after: 4h, length: 30min}, "
        "{after: 7h, length: 15min, paid: true}]}",
    )
    s = ccsim.loads(text)
    assert s.shifts["day"].paid_minutes == 570
    assert s.paid_hours()["agents"] == pytest.approx(3 * 5 * 9.5)


@pytest.mark.parametrize(
    ("second", "said"),
    [
        ("{after: 9h, length: 2h}", "`breaks[1]` ends after the shift ends"),
        ("{after: 4h, length: 1h}", "breaks[0] and `breaks[1]` overlap"),
    ],
)
def test_a_break_that_does_not_fit_is_reported_at_its_own_line(second, said):
    # it was reported at the `breaks:` line, a list of several breaks above it (a hand
    # editor's walkthrough)
    shift = '  day: {start: "08:00", length: 10h, days: mon-fri}\n'
    lines = [
        "  day:",
        '    start: "08:00"',
        "    length: 10h",
        "    days: mon-fri",
        "    breaks:",
        "      - {after: 4h, length: 30min}",
        f"      - {second}",
    ]
    text = MINIMAL.replace(shift, "\n".join(lines) + "\n")
    with pytest.raises(ccsim.ScenarioError) as caught:
        ccsim.loads(text, name="s.yaml")
    (message,) = caught.value.messages
    line = text.splitlines().index(f"      - {second}") + 1
    assert (message.line, message.field) == (line, "shifts.day"), str(message)
    assert said in message.message


def test_odd_user_keys_are_reported_not_crashed(tmp_path):
    # found by the fuzz test: a key that looks like a pydantic location tag
    messages = errors_of(MINIMAL.replace("name: minimal", "']': minimal"), tmp_path)
    assert any(": name: required field is missing" in m for m in messages)
    assert any("unknown key ']'" in m for m in messages)


@pytest.mark.parametrize("start", ["8.5", "8.0", "8", "480.0", "1e308", "-500.0"])
def test_a_shift_start_written_as_a_number_is_refused(start):
    # read as minutes, `8.5` would silently start the shift at 00:08:30, `8.0` at 00:08
    text = MINIMAL.replace('day: {start: "08:00"', f"day: {{start: {start}")
    with pytest.raises(ccsim.ScenarioError) as info:
        ccsim.loads(text)
    (message,) = [str(m) for m in info.value.messages]
    assert "shifts.day.start: expected a clock time HH:MM (00:00 to 24:00)" in message


def test_intraday_weights_that_overflow_or_a_csv_of_zeros_are_refused(tmp_path):
    huge = "[" + ", ".join(["1e308"] * 24) + "]"
    text = MINIMAL.replace("intraday: business_hours", f"intraday: {huge}")
    with pytest.raises(ccsim.ScenarioError, match="intraday weights must have a finite sum"):
        ccsim.loads(text)  # (their sum is infinite: every share would be 0, no arrivals)
    (tmp_path / "zeros.csv").write_text("weight\n" + "0\n" * 24)
    text = MINIMAL.replace("intraday: business_hours", "intraday: {csv: zeros.csv}")
    (tmp_path / "s.yaml").write_text(text)
    with pytest.raises(ccsim.ScenarioError, match="intraday weights must not all be zero"):
        ccsim.load(tmp_path / "s.yaml")  # as inline zeros are


def test_a_bad_inline_row_is_named_by_its_index_not_as_none():
    rows = '{counts: {rows: [["2024-01-01 09:00", 5], ["2024-01-01 10:00", -3]]}}'
    text = MINIMAL.replace("phone: {weekly: 500, intraday: business_hours}", f"phone: {rows}")
    with pytest.raises(ccsim.ScenarioError) as info:
        ccsim.loads(text)
    (message,) = [str(m) for m in info.value.messages]
    assert "arrivals.phone.counts: rows[1]: count: expected a finite number >= 0, got '-3'" in (
        message
    ), message


def test_a_seed_just_over_the_limit_is_told_in_whole_numbers():
    # "%g" showed both as 9.22337e+18: the message must show how the value is too big
    text = MINIMAL.replace("interval: 1h\n", "interval: 1h\n  seed: 9223372036854775808\n", 1)
    with pytest.raises(ccsim.ScenarioError) as info:
        ccsim.loads(text)
    (message,) = [str(m) for m in info.value.messages]
    assert message.endswith(
        "simulation.seed: got 9,223,372,036,854,775,808 (expected a value at most "
        "9,223,372,036,854,775,807)"
    ), message


def test_an_abandon_limit_written_as_a_percentage_says_what_is_expected():
    text = MINIMAL.replace("max_abandon: 0.05}", "max_abandon: 8%}")
    with pytest.raises(ccsim.ScenarioError) as info:
        ccsim.loads(text)
    (message,) = [str(m) for m in info.value.messages]
    assert message.endswith(
        "targets.phone.max_abandon: got '8%' (expected a share like 0.05, or {at_most: 0.05})"
    ), message


def test_an_abandon_limit_given_as_an_object_from_python_is_kept():
    s = ccsim.loads(MINIMAL)
    limit = s.targets["phone"].max_abandon.model_copy(update={"at_most": 0.03})
    changed = ccsim.with_changes(s, {"targets.phone.max_abandon": limit})
    assert changed.targets["phone"].max_abandon.at_most == 0.03


@pytest.mark.parametrize(
    "old, new, where",
    [
        ("agents: 3}", "agents: true}", "roster[0].agents: "),
        ("weekly: 500", "weekly: true", "arrivals.phone.weekly: "),
        ("at_least: 0.8}", "at_least: false}", "targets.phone.service[0].at_least: "),
        ("mix: {phone: 0.7", "mix: {phone: true", "reasons.question.mix: phone: "),
        ("weekly: 300}", "weekly: 300, daily: [1, 1, 1, 1, 1, 1, true]}", "daily: [6]: "),
    ],
)
def test_a_boolean_where_a_number_is_expected_is_refused(old, new, where):
    # pydantic would read `true` as 1 and `false` as 0: one agent, one contact a week
    with pytest.raises(ccsim.ScenarioError) as info:
        ccsim.loads(MINIMAL.replace(old, new))
    (message,) = [str(m) for m in info.value.messages]
    assert f"{where}expected a number, got a boolean (true/false)" in message


def test_a_quoted_number_is_that_number_and_quoted_text_is_refused_at_its_line():
    """docs/scenario-format.md, "Values": `"3"` and `"15.0"` read as 3 and 15.0 (a
    spreadsheet's export may quote them); `"13,5"` is no number and is named at its line."""
    quoted = ccsim.loads(
        MINIMAL.replace("agents: 3}", 'agents: "3"}').replace("wage: 15", 'wage: "15.0"')
    )
    plain = ccsim.loads(MINIMAL)
    assert quoted.roster[0].agents == plain.roster[0].agents == 3
    assert quoted.groups == plain.groups
    with pytest.raises(ccsim.ScenarioError) as info:
        ccsim.loads(MINIMAL.replace("wage: 15", 'wage: "13,5"'))
    (message,) = [str(m) for m in info.value.messages]
    line = 1 + MINIMAL[: MINIMAL.index("wage: 15")].count("\n")
    assert message.endswith(f":{line}: groups.agents.wage: got '13,5' (expected a number)")


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        ("at_least: 0.8}", 'at_least: "80%"}', "targets.phone.service[0].at_least: got '80%' "
         "(expected a number; for 80 %, write 0.8)"),
        ("at_least: 0.8}", "at_least: 12.5 %}", "targets.phone.service[0].at_least: got "
         "'12.5 %' (expected a number; for 12.5 %, write 0.125)"),
        ("simulation:", 'shrinkage: "10%"\nsimulation:', "shrinkage: got '10%' (expected a "
         "number; for 10 %, write 0.1)"),
        # a share in a mapping of shares (no hint until 2026-12-07)
        ("mix: {phone: 0.7,", 'mix: {phone: "70%",', "reasons.question.mix.phone: got '70%' "
         "(expected a number; for 70 %, write 0.7)"),
        # not a share: no hint, nor in a mapping of other numbers
        ("wage: 15", 'wage: "5%"', "groups.agents.wage: got '5%' (expected a number)"),
        ("skills: {phone: 1,", 'skills: {phone: "1%",', "groups.agents.skills.phone: got '1%' "
         "(expected a whole number)"),
        # nor for a whole mapping of shares written as one (`write 0.94` is refused too)
        ("mix: {phone: 0.7, email: 0.6}", 'mix: "94%"', "reasons.question.mix: got '94%' "
         "(expected a mapping (key: value))"),
    ],
)  # fmt: skip
def test_a_share_written_as_a_percentage_is_told_the_number_to_write(old, new, said):
    with pytest.raises(ccsim.ScenarioError) as info:
        ccsim.loads(MINIMAL.replace(old, new))
    (message,) = [str(m) for m in info.value.messages]
    assert message.endswith(said), message


def test_booleans_stay_booleans_where_the_format_wants_them():
    s = ccsim.loads(MINIMAL.replace("escalate: true", "escalate: false") + "anger: off\n")
    assert s.reasons["special"].escalate is False and not s.anger.enabled


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("at_least: 0.8}", "at_least: 80}", "targets.phone.service[0].at_least: got 80 (expected "
         "a value at most 1; for 80 %, write 0.8)"),
        ("shift: day, agents: 3}", "shift: day, agents: 3.5}", "roster[0].agents: got 3.5 "
         "(expected a whole number)"),
        ("simulation:", "simulation:\n  start: 04/01/2027", "simulation.start: got "
         "'04/01/2027' (expected a date written YYYY-MM-DD, like 2027-01-04)"),
        # a traceback (ruamel's ValueError), and a number read as seconds since 1970
        ("simulation:", "simulation:\n  start: 2027-13-01", "simulation.start: got "
         "'2027-13-01' (no such day; expected a date written YYYY-MM-DD, like 2027-01-04)"),
        ("simulation:", "simulation:\n  start: 86400", "simulation.start: got 86400 (expected "
         "a date written YYYY-MM-DD, like 2027-01-04)"),
        # a value is quoted at most 60 characters long (it was echoed whole)
        ("simulation:", "simulation:\n  start: " + "x" * 3000, "simulation.start: got 'xxxxx"
         "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx… (3,002 characters)"),
        ("simulation:", "shrinkage: 30\nsimulation:", "shrinkage: got 30 (expected a value "
         "less than 1; for 30 %, write 0.3)"),
    ],
)  # fmt: skip
def test_a_share_as_a_percentage_a_fraction_of_an_agent_or_a_date_says_what_to_write(
    old, new, expected
):
    # "Input should be a valid integer, got a number with a fractional part", "expected
    # another type" for a date, no hint that 80 meant 80 %
    assert old in MINIMAL
    with pytest.raises(ccsim.ScenarioError) as caught:
        ccsim.loads(MINIMAL.replace(old, new, 1), name="s.yaml")
    assert any(expected in str(m) for m in caught.value.messages), caught.value.messages


def _only_message(old: str, new: str) -> str:
    """The one message of MINIMAL with `old` replaced by `new` (it must fail, once)."""
    text = MINIMAL.replace(old, new, 1)
    assert text != MINIMAL
    with pytest.raises(ccsim.ScenarioError) as caught:
        ccsim.loads(text, name="s.yaml")
    (message,) = [str(m) for m in caught.value.messages]
    return message


def test_a_value_with_an_explicit_yaml_tag_is_read_as_its_text():
    # `!!timestamp 2024-01-08` was refused, shown as "got TaggedScalar(value='2024-01-08',…"
    for tag in ("!!timestamp", "!!str"):
        s = ccsim.loads(MINIMAL.replace("simulation:", f"simulation:\n  start: {tag} 2024-01-08"))
        assert str(s.simulation.start) == "2024-01-08"
    message = _only_message("simulation:", "simulation:\n  start: !!str 5")
    assert message.endswith(
        "simulation.start: got '5' (expected a date written YYYY-MM-DD, like 2027-01-04)"
    )


def test_a_yaml_set_is_read_as_its_members():
    # `!!set {a, b}` was shown as "got set(odict_keys(['a', 'b']))"
    message = _only_message("name: minimal", "name: !!set {b, a}")
    assert message == "s.yaml:1: name: got ['b', 'a'] (expected text)"


def test_a_tab_where_yaml_forbids_one_is_told_to_use_spaces():
    message = _only_message("\n  phone:", "\n\tphone:")
    assert message.endswith("(YAML does not allow a tab there: use spaces)"), message


@pytest.mark.parametrize(("value", "shown"), [("of", "'of'"), ("1", "1"), ("[on]", "['on']")])
def test_anger_misspelt_names_off(value, shown):
    # "expected a mapping (key: value)": no word of `off`
    with pytest.raises(ccsim.ScenarioError) as caught:
        ccsim.loads(MINIMAL + f"anger: {value}\n", name="s.yaml")
    assert [m.message for m in caught.value.messages] == [
        f"got {shown} (expected off, on, or a mapping of the curve's values)"
    ]


@pytest.mark.parametrize(
    ("added", "said"),
    [
        (
            "seed: 7",
            "seed: unknown key 'seed' here: it belongs under simulation: (simulation.seed)",
        ),
        (  # (it was "did you mean 'escalation'?")
            "replications: 4",
            "replications: unknown key 'replications' here: it belongs under simulation: "
            "(simulation.replications)",
        ),
        ("wage: 15", "wage: unknown key 'wage' here: it belongs under groups: (groups.NAME.wage)"),
        (
            "agents: 3",
            "agents: unknown key 'agents' here: it belongs under roster: (roster[i].agents)",
        ),
    ],
)
def test_a_key_written_one_block_too_high_says_where_it_belongs(added, said):
    # a hand editor's `seed: 7` at the top level got "unknown key 'seed' (expected one of:
    # name, description, …)", a list without it
    with pytest.raises(ccsim.ScenarioError) as caught:
        ccsim.loads(MINIMAL + added + "\n", name="s.yaml")
    assert [str(m) for m in caught.value.messages] == [
        f"s.yaml:{MINIMAL.count(chr(10)) + 1}: {said}"
    ]


def test_a_misspelt_block_is_a_slip_not_a_key_of_the_block_below():
    # `group:` for `groups:` is a field of a roster line too: the review found it said
    # "belongs under roster: (roster[i].group)" where "did you mean 'groups'?" was right
    message = _only_message("groups:", "group:")
    assert message.endswith("group: unknown key 'group'; did you mean 'groups'?"), message


def test_a_misspelt_required_key_is_one_message_not_two():
    # `skils:` said "unknown key 'skils'; did you mean 'skills'?" and "skills: required
    # field is missing" for one slip
    message = _only_message("skills:", "skils:")
    assert message.endswith("skils: unknown key 'skils'; did you mean 'skills'?"), message
    # a key that only resembles a missing one does not hide it
    lines = MINIMAL.splitlines()
    start = lines.index("groups:")
    end = next(i for i in range(start + 1, len(lines)) if lines[i] and lines[i][0] != " ")
    text = "\n".join([*lines[:start], "group_notes: two teams", *lines[end:]]) + "\n"
    with pytest.raises(ccsim.ScenarioError) as caught:
        ccsim.loads(text, name="s.yaml")
    fields = [m.field for m in caught.value.messages]
    assert "groups" in fields and "group_notes" in fields, fields
    # transposed letters are a slip too (`nmae`: also "name: required field is missing")
    with pytest.raises(ccsim.ScenarioError) as caught:
        ccsim.loads(MINIMAL.replace("name:", "nmae:", 1), name="s.yaml")
    assert [m.field for m in caught.value.messages] == ["nmae"]


def test_a_folder_gives_its_scenario_files_of_any_case_not_its_hidden_ones(tmp_path):
    # `validate .` in a project read `.venv/` and `.github/` (167 messages); `.YAML`
    # was skipped
    from ccsim.scenario.loader import expand_paths

    for name in ("a.yaml", "B.YAML", "sub/c.yml", ".github/workflows/ci.yml",
                 ".venv/lib/x.yaml", "sub/.hidden.yaml", "notes.txt"):  # fmt: skip
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(MINIMAL)
    found = [p.relative_to(tmp_path).as_posix() for p in expand_paths([tmp_path])]
    assert found == ["B.YAML", "a.yaml", "sub/c.yml"]
    hidden = tmp_path / ".venv" / "lib" / "x.yaml"
    assert expand_paths([hidden]) == [hidden]  # a file named is read, hidden or not


def test_a_linked_folder_is_read_once_and_a_file_named_twice_once(tmp_path):
    # a linked subfolder was skipped: `validate` passed without reading its files
    from ccsim.scenario.loader import scan

    (tmp_path / "team" / "scen").mkdir(parents=True)
    (tmp_path / "team" / "scen" / "broken.yaml").write_text("name: x\n")
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "own.yaml").write_text(MINIMAL)
    (folder / "teamA").symlink_to(tmp_path / "team" / "scen")
    (folder / "teamA" / "loop").symlink_to(folder)  # a link back up: read once, it ends
    # a link out of the folder is read only where --allow-path allows it (a CI
    # walkthrough: `cred.yaml -> ~/.git-credentials` had its first line quoted)
    outside = tmp_path / "team" / "scen"
    found = [(p.relative_to(folder).as_posix(), why) for p, why in scan(folder, [outside])]
    assert found == [("own.yaml", None), ("teamA/broken.yaml", None)]
    own = folder / "own.yaml"
    assert [p for p, _ in scan([own, folder, str(own)], outside)] == [
        own, folder / "teamA" / "broken.yaml"
    ]  # fmt: skip
    r = cli("validate", str(folder), "--allow-path", str(outside))
    assert r.returncode == 1 and "broken.yaml" in r.stdout + r.stderr
    (refused,) = [why for p, why in scan(folder) if p == folder / "teamA"]
    assert (
        refused
        == f"a link to {outside}, outside {folder}: not read (--allow-path {outside} reads it)"
    )
    r = cli("validate", str(folder))
    assert r.returncode == 1 and "broken.yaml" not in r.stdout + r.stderr
    assert f"{folder / 'teamA'}: {refused}" in r.stderr
    # the whole parent folder, or a linked data folder: not read, and no scenario's (a
    # review: a link to a data folder failed the gate)
    (folder / "up").symlink_to(tmp_path)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "calls.csv").write_text("x\n")
    (folder / "data").symlink_to(tmp_path / "data")
    (folder / "cred.yaml").symlink_to(tmp_path / "team" / "scen" / "broken.yaml")
    r = cli("validate", "--json", str(folder))
    said = {f["path"]: f["errors"] for f in json.loads(r.stdout)["files"]}
    assert r.returncode == 1 and set(said) == {
        str(folder / n) for n in ("cred.yaml", "own.yaml", "teamA")
    }
    assert said[str(folder / "own.yaml")] == []
    assert said[str(folder / "cred.yaml")][0]["message"].endswith(
        "not read (name the file itself, or --allow-path its folder, to read it)"
    )
    checked = ccsim.check(folder, replications=1, workers=1)
    assert [(c.path.name, c.valid) for c in checked] == [
        ("cred.yaml", False), ("own.yaml", True), ("teamA", False)
    ]  # fmt: skip
    # a link to a file another argument reads anyway: read once, not refused (a review)
    team = tmp_path / "team" / "scen"
    assert [(p, why) for p, why in scan([folder, team]) if "broken" in p.name or p.name in (
        "cred.yaml", "teamA")] == [(team / "broken.yaml", None)]  # fmt: skip


def test_a_yaml_name_in_a_folder_that_is_no_file_is_named_not_skipped(tmp_path):
    # a fifo, a link to a device and a broken link were left out: "1 of 1 valid"
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "own.yaml").write_text(MINIMAL)
    os.mkfifo(folder / "pipe.yaml")
    (folder / "zero.yaml").symlink_to("/dev/zero")
    (folder / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    r = cli("validate", str(folder))
    assert r.returncode == 1 and "1 of 4 scenario file(s) valid" in r.stdout
    assert f"{folder / 'pipe.yaml'}: is not a regular file" in r.stderr
    assert f"{folder / 'zero.yaml'}: a link to /dev/zero, outside {folder}: not read" in r.stderr
    assert (
        f"{folder / 'gone.yaml'}: a link to a file that does not exist "
        f"({tmp_path / 'nowhere.yaml'})" in r.stderr
    )


@pytest.mark.parametrize(
    ("written", "read"), [("monday", "mon"), ("Sunday", "sun"), ("TUE", "tue")]
)
def test_start_day_takes_full_names_as_shift_days_do(written, read):
    # docs/scenario-format.md allows `monday` for days; `start_day: monday` was refused
    s = ccsim.loads(
        MINIMAL.replace("  horizon: 2d\n", f"  horizon: 2d\n  start_day: {written}\n", 1)
    )
    assert s.simulation.start_day == read


def test_a_scenario_begun_or_misspelt_is_still_told_what_it_lacks(tmp_path):
    # only a scenario with nothing of one is "not a scenario"
    for text in ("name: x\n", "name: x\nchanels: {phone: {kind: voice}}\n"):
        messages = errors_of(text, tmp_path)
        assert not any("not a scenario" in m for m in messages), messages
        assert any("arrivals: required field is missing" in m for m in messages), messages


@pytest.mark.parametrize(
    ("line", "expected"),
    [  # each gave a second message first: "intraday: got [...] (expected text)"
        (
            "  phone: {weekly: 500, intraday: [1, 2, x, 1]}",
            "s.yaml:14: arrivals.phone.intraday[2]: got 'x' (expected a number)",
        ),
        (
            "  phone: {weekly: 500, intraday: [1, 2, -1, 1]}",
            "s.yaml:14: arrivals.phone.intraday[2]: got -1 (expected a value at least 0)",
        ),
        (
            "  phone: {weekly: 500, daily: [0.2, x, 0.2, 0.2, 0.2, 0.1, 0.1]}",
            "s.yaml:14: arrivals.phone.daily[1]: got 'x' (expected a number)",
        ),
        (
            "  phone: {weekly: 500, intraday: {csv: 5}}",
            "s.yaml:14: arrivals.phone.intraday.csv: got 5 (expected text)",
        ),
        (  # was "unknown intraday curve 'x.csv'"
            "  phone: {weekly: 500, intraday: {cvs: x.csv}}",
            "s.yaml:14: arrivals.phone.intraday: expected days like mon-fri, sat, mon-sun or a "
            "list of them, got 'cvs'; did you mean 'csv'? ({csv: path} reads a CSV file)",
        ),
    ],
)
def test_a_bad_value_inside_a_list_or_a_mapping_is_one_message_where_it_is(line, expected):
    text = MINIMAL.replace("  phone: {weekly: 500, intraday: business_hours}", line, 1)
    with pytest.raises(ccsim.ScenarioError) as caught:
        ccsim.loads(text, name="s.yaml")
    assert [str(m) for m in caught.value.messages] == [expected]


@pytest.mark.parametrize(
    ("key", "read"),
    [("123", "123"), ("true", "True"), ("1.5", "1.5"), ("1e3", "1000.0"), (".inf", "inf")],
)
def test_a_name_yaml_reads_as_a_number_is_told_to_be_quoted_at_its_line(key, read):
    # `123:` under channels was "channels[123]: got 123 (expected text)" at the line of
    # `channels:`, however far below the key was; `true:` was `channels[1]` there; `1.5:`
    # was taken for a channel named "1.5" (and `1e3:` for "1000.0")
    text = MINIMAL.replace("  email:\n    kind: message", f"  {key}:\n    kind: message", 1)
    with pytest.raises(ccsim.ScenarioError) as caught:
        ccsim.loads(text, name="s.yaml")
    first = str(caught.value.messages[0])
    line = MINIMAL.splitlines().index("  email:") + 1
    assert first == (
        f"s.yaml:{line}: channels[{read}]: the name {read} is not text (write it in quotes)"
    )


@pytest.mark.parametrize("key", ["null", "~", ""])
def test_an_empty_name_is_refused_at_its_line(key):
    # `null:` (or `~:`, or nothing before the colon) was a channel named "None"
    text = MINIMAL.replace("  email:\n    kind: message", f"  {key}:\n    kind: message", 1)
    with pytest.raises(ccsim.ScenarioError) as caught:
        ccsim.loads(text, name="s.yaml")
    line = MINIMAL.splitlines().index("  email:") + 1
    assert str(caught.value.messages[0]) == (
        f"s.yaml:{line}: channels[None]: a name is empty (null or nothing before the colon; "
        "expected text)"
    )


def test_a_scenario_key_yaml_reads_as_a_number_is_told_to_be_quoted():
    end = len(MINIMAL.splitlines()) + 1
    with pytest.raises(ccsim.ScenarioError) as caught:
        ccsim.loads(MINIMAL + "1.5: x\n", name="s.yaml")
    assert [str(m) for m in caught.value.messages] == [
        f"s.yaml:{end}: [1.5]: the key 1.5 is not text (write it in quotes)"
    ]


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [  # Python's and PyYAML's words: "got None", "but found another document"
        ("  email:\n    kind: message\n", "  email:\n", "channels.email: empty (expected a mapping"),
        ("name: minimal\n", "name: minimal\n---\nname: again\n",
         "invalid YAML: a second YAML document begins here (a file holds one: remove the ---)"),
        ("patience: 3min", "patience: [5min]",  # (it said only "expected a mapping")
         "patience: got ['5min'] (expected a duration like 4min, or a mapping like {mean: 4min"),
    ],
)  # fmt: skip
def test_an_empty_value_or_a_second_document_is_said_in_plain_words(old, new, said):
    with pytest.raises(ccsim.ScenarioError) as caught:
        ccsim.loads(MINIMAL.replace(old, new, 1), name="s.yaml")
    assert any(said in str(m) for m in caught.value.messages), caught.value.messages


def test_an_output_of_ccsim_given_as_a_scenario_says_what_to_load(tmp_path):
    # a plan.json loaded as a scenario was 155 lines of unknown keys and missing fields,
    # a roster.yaml five, a folder "is a folder" (a notebook walkthrough)
    shop = ccsim.load(SCENARIOS / "small_shop.yaml")
    p = ccsim.plan(shop, replications=2, verify=2, baseline=False, max_rosters=1, workers=1)
    folder = ccsim.save(p, tmp_path / "plan")
    for file, kind in (("plan.json", "plan"), ("run.json", "plan")):
        with pytest.raises(ccsim.ScenarioError) as caught:
            ccsim.load(folder / file)
        (said,) = caught.value.messages
        assert str(said).startswith(
            f"{folder / file}:1: a {kind}'s document written by ccsim (run.json, plan.json), "
            "not a scenario: load the scenario.yaml beside it"
        )
    with pytest.raises(ccsim.ScenarioError) as caught:
        ccsim.load(folder / "roster.yaml")
    (said,) = caught.value.messages
    assert "a roster, as `ccsim plan` writes it (roster.yaml), not a whole scenario" in str(said)
    with pytest.raises(ccsim.ScenarioError) as caught:
        ccsim.load(folder)
    assert str(caught.value.messages[0]).endswith("; it holds scenario.yaml: load that")
    assert ccsim.load(folder / "scenario.yaml").roster  # what it says to load, loads
    run = ccsim.save(ccsim.simulate(shop, 1, seed=1, workers=1), tmp_path / "run")
    with pytest.raises(ccsim.ScenarioError, match=r"a run's document written by ccsim"):
        ccsim.load(run / "run.json")
