"""Durations, day ranges, clock times and opening hours."""

import pytest

from ccsim.scenario import units


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("20s", 1 / 3),
        ("4min", 4.0),
        ("1.5h", 90.0),
        ("2d", 2880.0),
        ("90", 90.0),
        (30, 30.0),
        (2.5, 2.5),
        ("45 min", 45.0),
        ("1w", 10080.0),
        ("0.5 hours", 30.0),
    ],
)
def test_durations(text, minutes):
    assert units.parse_duration(text) == pytest.approx(minutes)


@pytest.mark.parametrize("bad", ["", "min", "4 parsecs", "-3min", "1h30", True, None, [1]])
def test_bad_durations_say_what_is_expected(bad):
    with pytest.raises(ValueError, match="expected a duration like 20s"):
        units.parse_duration(bad)


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("mon-fri", {0, 1, 2, 3, 4}),
        ("sat", {5}),
        ("mon-sun", set(range(7))),
        ("sat-sun", {5, 6}),
        ("fri-mon", {4, 5, 6, 0}),
        (["mon-wed", "fri"], {0, 1, 2, 4}),
        ("mon, thu", {0, 3}),
        ("Monday", {0}),
        ("weekend", {5, 6}),
    ],
)
def test_day_ranges(text, days):
    assert units.parse_days(text) == frozenset(days)


@pytest.mark.parametrize("bad", ["mond-fri", "xyz", [], 3, "mon-xyz"])
def test_bad_day_ranges(bad):
    with pytest.raises(ValueError, match="expected"):
        units.parse_days(bad)


def test_clock_and_ranges():
    assert units.parse_clock("08:30") == 510
    assert units.parse_clock("24:00") == 1440
    assert units.parse_time_ranges("08:00-20:00") == [(480, 1200)]
    assert units.parse_time_ranges(["08:00-12:00", "14:00-18:00"]) == [(480, 720), (840, 1080)]
    assert units.parse_time_ranges("08:00-12:00, 14:00-18:00") == [(480, 720), (840, 1080)]
    # past midnight: ends the next day
    assert units.parse_time_ranges("22:00-02:00") == [(1320, 1560)]
    assert units.parse_time_ranges("00:00-24:00") == [(0, 1440)]


@pytest.mark.parametrize("bad", ["25:00", "8-20", "08:00", "08:60-09:00", "24:00-02:00"])
def test_bad_clock_ranges(bad):
    with pytest.raises(ValueError):
        units.parse_time_ranges(bad)


def test_weekly_windows_wrap_sunday_night_into_monday():
    windows = units.weekly_windows(frozenset({6}), [(1320.0, 1560.0)])  # sun 22:00-02:00
    assert windows == [(0.0, 120.0), (6 * 1440 + 1320.0, 10080.0)]


def test_weekly_windows_merge_overlaps():
    windows = units.weekly_windows(frozenset({0}), [(480.0, 720.0), (600.0, 900.0)])
    assert windows == [(480.0, 900.0)]


def test_format_round_trips():
    for text in ("20s", "4min", "1.5h", "2d"):
        assert units.format_duration(units.parse_duration(text)) == text
