"""Cross-field rules of a scenario: names that must exist, shares that must add up.

`check` returns the errors of a validated scenario, each with the field path it
concerns so that the loader can point at the file line, and — once there are none —
the warnings that compare its parts (`_warnings`: a rule that needs a consistent
scenario). The warnings on how one value is written (`written`, a bare `within: 20`)
look at the file's plain data and come with the model's errors, in the same round.
A new warning goes in one of the two: `written` if one value shows it, else
`_warnings`; a test per rule in tests/test_rules.py.
"""

from __future__ import annotations

import difflib
import math
import unicodedata
from dataclasses import dataclass, field

import numpy as np

from ccsim.scenario import timegrid, units
from ccsim.scenario.model import ESCALATION, RESERVED_CHANNELS, WHOLE_CENTER, Scenario
from ccsim.scenario.problems import Loc, Message, Problem
from ccsim.scenario.tables import Table

MIX_TOLERANCE = 1e-6


def check(s: Scenario) -> tuple[list[Problem], list[Problem]]:
    """Return (errors, warnings) for the cross-field rules of scenario `s`."""
    errors: list[Problem] = []
    for rule in (_names, _mixes, _arrivals, _time_grid, _skills_cover, _escalation, _replay):
        errors += rule(s)
    warnings = [] if errors else _warnings(s)
    return errors, warnings


def runnable(s: Scenario, file: str | None = None) -> list[Message]:
    """What keeps a valid scenario from being run or checked: no roster (absent or
    empty) and no staffing table — the format's `roster` is "optional for `plan`,
    required for `run`/`check`" (docs/scenario-format.md; until 2026-12-06 both ran it:
    nobody answered, every target missed, and `run` exited 0). `file` names it
    (default: its file, or what it is when no file says it)."""
    if s.roster or s.staffing is not None:
        return []
    if file is None:
        source = s.source
        file = (
            f"scenario {s.name!r}" if source is None
            else str(source) if s.as_in_source
            else f"{source} as changed"
        )  # fmt: skip
    return [
        Message(
            file,
            None,
            "roster",
            "no roster lines: `run` and `check` simulate the scenario's roster (or a "
            "`staffing:` table); `ccsim plan` finds one, and `validate` accepts the file as "
            "its input",
        )
    ]


def suggest(name: str, options: list[str]) -> str:
    """`(expected one of: a, b); did you mean 'b'?` for a name none of `options` is."""
    close = difflib.get_close_matches(name, options, n=1)
    listed = ", ".join(options) if options else "none defined"
    hint = f"; did you mean {close[0]!r}?" if close else ""
    same = [
        o for o in options if unicodedata.normalize("NFC", o) == unicodedata.normalize("NFC", name)
    ]
    if same:  # `équipe` as e + accent against é: "did you mean 'équipe'?" looked the same
        hint = (
            f"; {same[0]!r} looks the same but is written with other characters (an accent "
            "typed as its own character, or pasted): type the name again in both places"
        )
    return f"(expected one of: {listed}){hint}"


@dataclass
class Names:
    """The names a scenario defines and those it refers to, as written: what `_names`
    checks. Built from a valid Scenario, or from the raw data of one the model refused
    (`Names.written`), so that an unknown name is reported beside the value errors
    instead of only once they are fixed."""

    channels: list[str] | None  # None: not to be judged against (broken or empty)
    groups: list[str] | None
    shifts: list[str] | None
    arrivals: list[str] = field(default_factory=list)
    mixes: dict[str, list[str]] = field(default_factory=dict)  # reason -> channels
    skills: dict[str, list[str]] = field(default_factory=dict)  # group -> skills
    roster: list[tuple[object, object]] = field(default_factory=list)  # (group, shift)
    targets: list[str] = field(default_factory=list)
    per_contact: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, s: Scenario) -> Names:
        return cls(
            list(s.channels), list(s.groups), list(s.shifts), list(s.arrivals),
            {r: list(reason.mix) for r, reason in s.reasons.items()},
            {g: list(group.skills) for g, group in s.groups.items()},
            [(line.group, line.shift) for line in s.roster],
            list(s.targets), list(s.costs.per_contact),
        )  # fmt: skip

    @classmethod
    def written(cls, data: object, broken: set[str] | frozenset[str] = frozenset()) -> Names:
        """The names of raw scenario data. A block that defines names (channels,
        groups, shifts) that is not a mapping, is empty, or is `broken` (the model
        refused something in it) defines None: references to it are not judged.
        Entries of the wrong shape are left out (the model reports those)."""
        data = data if isinstance(data, dict) else {}

        def defined(block: str) -> list[str] | None:
            value = data.get(block, {} if block == "shifts" else None)
            ok = isinstance(value, dict) and bool(value) and block not in broken
            return [k for k in value if isinstance(k, str)] if ok else None

        channels, groups, shifts = (defined(block) for block in DEFINING)

        def keys(value: object) -> list[str]:
            return [k for k in value if isinstance(k, str)] if isinstance(value, dict) else []

        def inner(block: str, key: str) -> dict[str, list[str]]:
            items = data.get(block)
            items = items if isinstance(items, dict) else {}
            return {n: keys(v.get(key)) for n, v in items.items() if isinstance(v, dict)}

        roster = data.get("roster")
        lines = roster if isinstance(roster, list) else []
        costs = data.get("costs")
        return cls(
            channels, groups, shifts, keys(data.get("arrivals")),
            inner("reasons", "mix"), inner("groups", "skills"),
            [(ln.get("group"), ln.get("shift")) if isinstance(ln, dict) else (None, None)
             for ln in lines],
            keys(data.get("targets")),
            keys(costs.get("per_contact")) if isinstance(costs, dict) else [],
        )  # fmt: skip


DEFINING = ("channels", "groups", "shifts")  # the blocks whose keys are names


def unknown_names(n: Names) -> list[Problem]:
    """Every name used in one block must be defined in the block it refers to (not
    judged against a block that defines None)."""
    out: list[Problem] = []

    def judge(loc: Loc, name: object, options: list[str] | None, what: str) -> None:
        if options is not None and isinstance(name, str) and name not in options:
            out.append(Problem(loc, f"unknown {what} {name!r} {suggest(name, options)}"))

    channels = n.channels
    with_esc = None if channels is None else [*channels, ESCALATION]
    for ch in n.arrivals:
        judge(("arrivals", ch), ch, channels, "channel")
    for r, mix in n.mixes.items():
        for ch in mix:
            judge(("reasons", r, "mix", ch), ch, channels, "channel")
    for g, skills in n.skills.items():
        for ch in skills:
            judge(("groups", g, "skills", ch), ch, with_esc, "skill")
    for i, (group, shift) in enumerate(n.roster):
        judge(("roster", i, "group"), group, n.groups, "group")
        judge(("roster", i, "shift"), shift, n.shifts, "shift")
    for ch in n.targets:
        judge(("targets", ch), ch, with_esc, "channel")
    for ch in n.per_contact:
        judge(("costs", "per_contact", ch), ch, channels, "channel")
    return out


def _names(s: Scenario) -> list[Problem]:
    """Unknown names, reserved ones, and abandon limits and escalation scopes where they
    cannot apply."""
    out = unknown_names(Names.of(s))
    for ch in s.channels:  # (a channel `escalation` was accepted, its rows mixed with the
        if ch in RESERVED_CHANNELS:  # escalations'; `all` with the costs of a sweep)
            what = {
                ESCALATION: "the escalations' figures",
                WHOLE_CENTER: "the whole center's figures (a sweep's or compare's costs)",
            }[ch]
            msg = f"{ch!r} names {what} in the outputs: name the channel otherwise"
            out.append(Problem(("channels", ch), msg))
    for ch, target in s.targets.items():
        message = ch == ESCALATION or (ch in s.channels and s.channels[ch].kind == "message")
        if target.max_abandon is not None and message:
            msg = "max_abandon applies to voice and chat channels only (messages never abandon)"
            out.append(Problem(("targets", ch, "max_abandon"), msg))
    if ESCALATION in s.targets:  # escalations are measured over the window only
        target = s.targets[ESCALATION]
        for i, t in enumerate(target.service):
            if t.scoped:
                msg = "escalation targets are judged over the whole window: per: week only"
                out.append(Problem(("targets", ESCALATION, "service", i, "per"), msg))
    return out


def _meant(used: list[str], options: list[str]) -> set[str]:
    """The options that names in `used` not among them probably meant (their closest
    match; all options for one with none): checks on those options would only repeat
    the unknown name's message (a share misspelt `phnoe` made phone's mix not sum to 1)."""
    meant: set[str] = set()
    for name in used:
        if name not in options:
            close = difflib.get_close_matches(name, options, n=1)
            meant |= set(close or options)
    return meant


def _skills(s: Scenario) -> list[str]:
    """Every skill the groups name (misspelt ones too)."""
    return [ch for group in s.groups.values() for ch in group.skills]


def _mixes(s: Scenario) -> list[Problem]:
    """Each channel's reason mix sums to 1 (not checked for a channel a misspelt name in
    a mix probably meant: that name has its message)."""
    out: list[Problem] = []
    meant = _meant([ch for reason in s.reasons.values() for ch in reason.mix], list(s.channels))
    for ch in s.channels:
        if ch in meant:
            continue
        entries = [(r, reason.mix[ch]) for r, reason in s.reasons.items() if ch in reason.mix]
        total = sum(share for _, share in entries)
        if not entries:
            msg = "no reason has a mix share for this channel (expected shares summing to 1)"
            out.append(Problem(("channels", ch), msg))
        elif abs(total - 1.0) > MIX_TOLERANCE:
            parts = " + ".join(f"{r} {share:g}" for r, share in entries)
            # the reason that left the channel out is the likelier slip (the message sat
            # at the first one that gave it a share: a hand editor's walkthrough)
            silent = [r for r in s.reasons if r not in dict(entries)]
            none = f"; no share from {', '.join(silent)}" if silent else ""
            msg = f"reason mix for channel {ch!r} sums to {total:.6g} ({parts}{none}; expected 1)"
            out.append(Problem(("reasons", entries[0][0], "mix", ch), msg))
    return out


def _arrivals(s: Scenario) -> list[Problem]:
    """Every channel has arrivals; profiles match the interval."""
    out: list[Problem] = []
    ipd = s.simulation.intervals_per_day
    meant = _meant(list(s.arrivals), list(s.channels))  # a misspelt key has its message
    for ch in s.channels:
        if ch not in s.arrivals and ch not in meant:
            msg = "channel has no `arrivals` entry (expected arrivals." + ch + ".weekly)"
            out.append(Problem(("channels", ch), msg))
    for ch, arr in s.arrivals.items():
        for days, csv, n in arr.intraday_sizes():
            if n == ipd:
                continue
            source = f"{csv}: " if csv else ""  # a CSV's length is not the YAML's to see
            msg = (
                f"{source}intraday profile has {n} values, expected {ipd} "
                f"(one per {units.format_duration(s.simulation.interval)} interval of the day)"
            )
            where = ("arrivals", ch, "intraday") + ((days,) if days is not None else ())
            out.append(Problem(where, msg))
    return out


def _replay(s: Scenario) -> list[Problem]:
    """Counts and staffing by date need a start date; their intervals are the
    scenario's; staffing names existing groups and replaces the roster. A row that
    breaks a rule is named by its line."""
    out: list[Problem] = []
    sim = s.simulation
    step = units.format_duration(sim.interval)
    dated: list[tuple[Loc, Table, np.ndarray]] = [
        (("arrivals", ch, "counts"), arr.counts, arr.counts.table()[0])
        for ch, arr in s.arrivals.items()
        if arr.counts is not None
    ]
    if s.staffing is not None:
        starts, groups, _ = s.staffing.table()
        unknown = sorted(set(groups.tolist()) - set(s.groups))
        if unknown:
            where = s.staffing.row_of(unknown[0])  # (it named no row)
            msg = f"{where}: unknown group {unknown[0]!r} {suggest(unknown[0], list(s.groups))}"
            out.append(Problem(("staffing",), msg))
        if s.roster:
            msg = "give either a `roster:` (shifts) or `staffing:` (agents per interval), not both"
            out.append(Problem(("staffing",), msg))
        if s.staffing.weekly:
            off = np.mod(starts, sim.interval) > 1e-9
            if off.any():
                when = _week_time(float(starts[np.argmax(off)]))
                msg = f"{when} is not the start of a {step} interval (the scenario's)"
                out.append(Problem(("staffing",), s.staffing.located(off, msg)))
        else:
            dated.append((("staffing",), s.staffing, starts))
    for loc, table, starts in dated:
        if sim.origin is None:
            msg = "a table by date needs `simulation.start` (the date of time 0)"
            out.append(Problem(loc, msg))
            continue
        minutes = (starts - sim.origin).astype(float)
        off = np.mod(minutes, sim.interval) > 1e-9
        if off.any():
            when = _datetime(starts[np.argmax(off)])
            msg = f"start {when} is not the start of a {step} interval (the scenario's)"
            out.append(Problem(loc, table.located(off, msg)))
        outside = (minutes < -sim.warmup) | (minutes >= sim.horizon)
        if outside.any():
            first = _datetime(sim.origin - np.timedelta64(int(sim.warmup), "m"))
            end = sim.horizon - sim.interval  # the last interval's start
            last = _datetime(sim.origin + np.timedelta64(int(end), "m"))
            when = _datetime(starts[np.argmax(outside)])
            msg = (
                f"start {when} is outside the simulated period (expected an interval from "
                f"{first} to {last})"
            )
            out.append(Problem(loc, table.located(outside, msg)))
    return out


def _datetime(value: np.datetime64) -> str:
    """1999-02-15 07:00, as a table writes it."""
    return str(value.astype("datetime64[m]")).replace("T", " ")


def _time_grid(s: Scenario) -> list[Problem]:
    """The interval divides a day; horizon and warm-up are whole numbers of intervals."""
    out: list[Problem] = []
    sim = s.simulation
    step = sim.interval
    if step != round(step) or units.MINUTES_PER_DAY % step:
        msg = f"interval {units.format_duration(step)} must be whole minutes dividing a day "
        out.append(Problem(("simulation", "interval"), msg + "(expected e.g. 15min, 30min, 1h)"))
        return out
    for key in ("horizon", "warmup"):
        value = getattr(sim, key)
        if abs(value / step - round(value / step)) > 1e-9:
            msg = (
                f"{units.format_duration(value)} is not a whole number of "
                f"{units.format_duration(step)} intervals"
            )
            out.append(Problem(("simulation", key), msg))
    return out


def _skills_cover(s: Scenario) -> list[Problem]:
    """Every channel that receives contacts has a group with its skill."""
    out: list[Problem] = []
    meant = _meant(_skills(s), [*s.channels, ESCALATION])  # a misspelt skill has its message
    for ch, arr in s.arrivals.items():
        covered = ch not in s.channels or ch in meant or s.skilled_groups(ch)
        if arr.per_week() > 0 and not covered:
            msg = f"no group has the {ch!r} skill (expected a group with skills: {{{ch}: 1}})"
            out.append(Problem(("channels", ch), msg))
    return out


def _escalation(s: Scenario) -> list[Problem]:
    """Escalation needs an `escalation` block and a group with the escalation skill."""
    out: list[Problem] = []
    sources: list[tuple[Loc, str]] = [
        (("reasons", r, "escalate"), f"reason {r!r} escalates")
        for r, reason in s.reasons.items()
        if reason.escalate
    ]
    if s.anger.enabled and s.anger.escalate_above < 1:
        sources.append((("anger", "escalate_above"), "escalate_above < 1 escalates angry contacts"))
    slipped = ESCALATION in _meant(_skills(s), [*s.channels, ESCALATION])  # its own message
    for loc, why in sources:
        if not s.skilled_groups("escalation") and not slipped:
            msg = f"{why} but no group has the `escalation` skill "
            msg += "(expected a group with skills: {escalation: 1})"
            out.append(Problem(loc, msg))
        if s.escalation is None:
            out.append(Problem(loc, f"{why} but there is no `escalation:` block with `resolve`"))
    return out


SPANS_SHOWN = 3  # uncovered open spans a warning names


CLOSED_WARNED = 0.05  # share of a call or chat channel's forecast that arrives while closed


def _closed_volume(s: Scenario) -> list[Problem]:
    """A call or chat channel whose forecast puts more than CLOSED_WARNED of the measured
    window's contacts in its closed hours: they are lost, not offered, so every figure
    looks better (phone open 11-16 lost 46 % of small_shop's calls, and its service
    level rose)."""
    out = []
    for ch, channel in s.channels.items():
        arrivals = s.arrivals.get(ch)
        if channel.kind == "message" or arrivals is None or arrivals.counts is not None:
            continue
        starts = np.arange(0.0, s.simulation.horizon, s.simulation.interval)  # the window's
        weights = timegrid.forecast(s, arrivals, starts)
        if weights.sum() <= 0:
            continue
        closed = 1 - timegrid.open_share(s, channel)[timegrid.week_slot(s, starts)]
        lost = float((weights * closed).sum() / weights.sum())
        if lost > CLOSED_WARNED:
            msg = (
                f"{lost:.0%} of the forecast arrives while the channel is closed: those "
                "attempts are lost, not offered, and no figure counts them but `closed` "
                "(open it then, or move the volume in arrivals)"
            )
            out.append(Problem(("channels", ch, "open"), msg, warning=True))
    return out


def unjudged(s: Scenario) -> list[Problem]:
    """A target per day or interval whose `min_offered` is above what every period of the
    window expects: it judges no period, and a target judged nowhere is missed (a plan
    of 0 agents read "every target met" with `min_offered: 1000` on peaked_day's busiest
    half hour of 500 calls — a walkthrough, 2026-12-07). Expected contacts: the forecast,
    less what arrives while a call or chat channel is closed (a replay table's counts
    are not read here). `ccsim plan` refuses such a target: no roster can meet it."""
    out = []
    starts = np.arange(0.0, s.simulation.horizon, s.simulation.interval)
    for ch, target in s.targets.items():
        arrivals, channel = s.arrivals.get(ch), s.channels.get(ch)
        if arrivals is None or channel is None or arrivals.counts is not None:
            continue
        expected = timegrid.forecast(s, arrivals, starts, arrivals.weekly or 0.0)
        if channel.kind != "message":
            expected = expected * timegrid.open_share(s, channel)[timegrid.week_slot(s, starts)]
        scoped = [(("service", i), t) for i, t in enumerate(target.service)]
        scoped += [(("max_abandon",), target.max_abandon)] if target.max_abandon else []
        for where, scope in scoped:
            if not scope.scoped or expected.sum() <= 0:
                continue
            if scope.per == "day":
                day = np.floor(starts / units.MINUTES_PER_DAY).astype(int)
                per_period = np.bincount(day, weights=expected)
            else:
                per_period = expected
            most = float(per_period.max())
            if most < scope.min_offered:
                msg = (
                    f"min_offered {scope.min_offered:g} is more than any {scope.per} expects "
                    f"(the busiest: {most:,.1f} contacts): the target judges no {scope.per} "
                    "and is missed whatever the staffing (lower min_offered)"
                )
                out.append(Problem(("targets", ch, *where, "min_offered"), msg, warning=True))
    return out


def _short_warmup(s: Scenario) -> list[Problem]:
    """A warm-up that begins while a message channel has been closed since earlier, with
    contacts forecast in between: those are never simulated, so the backlog they leave
    is missing (small_shop's Monday 09:00 held 0.2 of Saturday's 28 e-mails with a
    warm-up of 1d; with 7d, 33 — and phone answered 25 %, not 65 %, in 20 s while the
    agents worked them). Only when the inbox stays closed until the window: if it opens
    during the warm-up, whether its agents clear what was missed depends on the staffing
    (a window on a Tuesday with a warm-up from Monday 00:00 is not warned about)."""
    out = []
    begin, step = -s.simulation.warmup, s.simulation.interval
    for ch, channel in s.channels.items():
        arrivals = s.arrivals.get(ch)
        if channel.kind != "message" or arrivals is None or arrivals.counts is not None:
            continue
        if bool(timegrid.is_open(s, channel, begin)):
            continue  # the warm-up begins with the inbox open: its queue is simulated
        if any(now_open for _, now_open in timegrid.open_changes(s, channel, begin, 0.0)):
            continue  # it opens before the window: its agents work what was missed first
        before = timegrid.open_changes(s, channel, begin - units.MINUTES_PER_WEEK, begin + 1e-6)
        closings = [t for t, now_open in before if not now_open]
        if not closings or closings[-1] >= begin:
            continue  # closed all week (nothing is answered), or closing as it begins
        closing = closings[-1]
        missed = np.arange(math.floor(closing / step) * step, begin, step)
        if (arrivals.weekly or 0.0) * timegrid.forecast(s, arrivals, missed).sum() < 1:
            continue  # less than one contact forecast while it is closed
        need = units.format_duration(math.ceil(-closing / step) * step)
        at = lambda t: _week_time(float(timegrid.minute_of_week(s, t)))  # noqa: E731
        starts = "the window begins" if begin == 0 else "the warm-up begins"
        msg = (
            f"{starts} at {at(begin)}, while {ch!r} has been closed since {at(closing)}: what "
            "arrives in between is never simulated, so the backlog it leaves is missing (a "
            f"warm-up of {need}, from that closing, holds it)"
        )
        out.append(Problem(("simulation", "warmup"), msg, warning=True))
    return out


def _warnings(s: Scenario) -> list[Problem]:
    """Legal but suspicious: volume in closed hours, a warm-up shorter than a closed
    inbox's backlog, a target a sample cannot judge (`unjudged`), an overhead of 1 or
    more (a percentage meant), unrostered groups, nobody on duty while open, targets no
    rostered agent can reach, and roster lines on duty only while their channels are
    closed (`_idle_lines`)."""
    out: list[Problem] = _closed_volume(s) + _short_warmup(s) + unjudged(s)
    if (overhead := s.costs.overhead) >= 1:  # `overhead: 10` for 10 %: 10 × the wages, silently
        msg = (
            f"overhead {overhead:g} is {overhead * 100:,.0f}% of the wages on top of them "
            f"(if {overhead:g} % was meant, write {overhead / 100:g})"
        )
        out.append(Problem(("costs", "overhead"), msg, warning=True))
    if not s.roster:
        return out  # nothing rostered (or a staffing table): nothing to compare
    rostered = {line.group for line in s.roster if line.agents > 0}
    for g in s.groups:
        if g not in rostered:
            out.append(Problem(("groups", g), "group has no agents on the roster", warning=True))
    for ch, channel in s.channels.items():
        if channel.kind == "message" and channel.open is None:
            continue  # an always-open inbox simply waits for the next shift
        if gaps := _uncovered_open_time(s, ch, channel.windows):
            shown = ", ".join(_week_span(*gap) for gap in gaps[:SPANS_SHOWN])
            more = f" and {len(gaps) - SPANS_SHOWN} more" if len(gaps) > SPANS_SHOWN else ""
            msg = f"channel is open {shown}{more} with no {ch!r}-skilled agent on duty"
            out.append(Problem(("channels", ch, "open" if channel.open else "kind"), msg, True))
    for ch in s.targets:
        skilled = set(s.skilled_groups(ch))
        if not skilled & rostered:
            msg = f"no rostered agent has the {ch!r} skill, so this target cannot be reached"
            out.append(Problem(("targets", ch), msg, warning=True))
    return out + _idle_lines(s)


def _idle_lines(s: Scenario) -> list[Problem]:
    """Roster lines on duty only while every channel their group serves is closed: paid
    for no work (a 22:00-06:00 line of phone and chat agents, 40 paid hours a week each,
    passed `validate` and `check` without a word until 2026-12-07). A group with the
    escalation skill, or a channel always open, always has work waiting."""
    out = []
    for i, line in enumerate(s.roster):
        group, shift = s.groups.get(line.group), s.shifts.get(line.shift)
        if line.agents <= 0 or group is None or shift is None or ESCALATION in group.skills:
            continue
        windows = [s.channels[ch].windows for ch in group.skills if ch in s.channels]
        if not windows or any(w is None for w in windows):
            continue
        duty = units.weekly_windows(shift.days, [(shift.start, shift.start + shift.length)])
        week = units.MINUTES_PER_WEEK
        if not any(
            a < d + k * week and c + k * week < b
            for w in windows for a, b in w for c, d in duty for k in (-1, 0, 1)
        ):  # fmt: skip
            channels = units.listed([repr(ch) for ch in group.skills])
            msg = (
                f"{line.group}/{line.shift} works only while {channels} "
                f"{'is' if len(group.skills) == 1 else 'are'} closed: "
                f"{_hours(line.agents * shift.weekly_paid_hours)} paid hours a week with no work"
            )
            out.append(Problem(("roster", i), msg, warning=True))
    return out


def _hours(h: float) -> str:
    """`80`, `12,000`, `37.5` (`.4g` gave `1.2e+04`)."""
    return f"{h:,.1f}".removesuffix(".0")


SECONDS_LIKELY = 5  # a bare `within` of at least this many minutes on a call or chat
LONG_LIKELY = 60  # a bare mean handle time or a call's patience of at least an hour
HOURS_LIKELY = 24  # a bare shift length or break start under this many minutes: hours?
TOLERANCE_HOURS_LIKELY = 168  # a message's bare tolerance under a week's hours: hours?


def _bare(value: object) -> float | None:
    """The number of a duration written bare (`20`, `"20"`, or a distribution's `mean:
    20`), else None: a bare number is minutes."""
    if isinstance(value, dict):
        value = value.get("mean")
    if isinstance(value, str) and "_" not in value and units.is_number(value):
        value = float(value)  # `within: "20"` is a bare number too
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def _mapping(data: object, key: str) -> dict:
    block = data.get(key) if isinstance(data, dict) else None
    return block if isinstance(block, dict) else {}


def written(data: object) -> list[Problem]:
    """Warnings on how a file was written (`data`, as read; given with its errors too, so
    that a file is not fixed in two rounds — these look at one value each): durations
    given as bare
    numbers — minutes, as every bare duration is — where seconds were likely meant: a
    voice or chat target's `within` of at least SECONDS_LIKELY (`within: 20` is 20
    minutes), and a mean resolution time or a call's or chat's patience of at least
    LONG_LIKELY (`resolve: {mean: 240}` is four hours a contact: validated silently, and a
    run answered 0.6 % of calls in time, until 2026-12-07). Writing the unit (`20s`,
    `20min`) says which was meant, and silences the warning."""
    out: list[Problem] = []
    kinds = _kinds(data)
    for ch, target in _mapping(data, "targets").items():
        kind = kinds.get(ch)
        service = target.get("service") if isinstance(target, dict) else None
        if kind not in ("voice", "chat") or not isinstance(service, list):
            continue
        for i, t in enumerate(service):
            within = _bare(t.get("within")) if isinstance(t, dict) else None
            if within is not None and within >= SECONDS_LIKELY:
                msg = (
                    f"{within:g} is read as {within:g} minutes (a bare number is minutes); "
                    f"{kind} targets are usually seconds: write {within:g}s, or "
                    f"{within:g}min to keep minutes"
                )
                out.append(Problem(("targets", ch, "service", i, "within"), msg, warning=True))
    long: list[tuple[tuple[str | int, ...], object, str]] = [
        (("reasons", name, "resolve"), reason.get("resolve"), "resolution time")
        for name, reason in _mapping(data, "reasons").items()
        if isinstance(reason, dict)
    ]
    escalation = _mapping(data, "escalation")
    long.append((("escalation", "resolve"), escalation.get("resolve"), "resolution time"))
    for ch, channel in _mapping(data, "channels").items():
        if isinstance(channel, dict) and kinds.get(ch) in ("voice", "chat"):
            long.append((("channels", ch, "patience"), channel.get("patience"), "patience"))
    for path, value, what in long:
        minutes = _bare(value)
        if minutes is not None and minutes >= LONG_LIKELY:
            where = (*path, "mean") if isinstance(value, dict) else path
            msg = (
                f"{minutes:g} is read as {minutes:g} minutes ({units.format_duration(minutes)}; "
                f"a bare number is minutes), a long mean {what}: write {minutes:g}s for "
                f"seconds, or {minutes:g}min to keep minutes"
            )
            out.append(Problem(where, msg, warning=True))
    return out + _hours_likely(data, kinds) + _opening_slips(data)


def _written_ranges(value: object) -> list[str]:
    """The ranges of opening hours as written: `"08:00-12:00, 14:00-20:00"` → two."""
    items = value if isinstance(value, list) else [value]
    return [part.strip() for item in items for part in str(item).split(",")]


def _whole_day(written: str) -> bool:
    """`00:00-00:00`, `08:00-08:00`: a range that starts where it ends (24 hours)."""
    start, _, end = written.partition("-")
    return units.parse_clock(start) == units.parse_clock(end)


def _opening_slips(data: object) -> list[Problem]:
    """Opening hours that do not say what they seem to: a day given under two keys whose
    hours overlap, or one `closed` while another opens it — the hours of both apply,
    merged, so `{mon-fri: "08:00-18:00", fri: "08:00-16:00"}` keeps Friday to 18:00 and
    `{mon-sun: ..., sun: closed}` leaves Sunday open (a day split over two keys, 08-12
    and 13-17, is not warned about) — and a range that starts where it ends
    (`00:00-00:00`), which is open 24 hours, not closed (a hand editor's walkthrough,
    2026-12-07)."""
    out = []
    for ch, channel in _mapping(data, "channels").items():
        hours = channel.get("open") if isinstance(channel, dict) else None
        if not isinstance(hours, dict):
            continue
        seen: dict[int, tuple[str, list[tuple[float, float]]]] = {}
        for key, value in hours.items():
            closed = value in ("closed", None)
            try:
                days = units.parse_days(key)
                ranges = [] if closed else units.parse_time_ranges(value)
            except ValueError:
                continue  # (an error of its own)
            clash = [
                d
                for d in sorted(days)
                if d in seen and seen[d][1] and _overlap(seen[d][1], ranges, closed)
            ]
            if clash:
                day, first = units.DAY_NAMES[clash[0]], seen[clash[0]][0]
                msg = (
                    f"{day} is given by `{first}` and by `{key}`: the hours of both apply, "
                    "merged (`closed` closes nothing the other opens); give each day once, "
                    f"e.g. the days of `{first}` but {day}, and {day} apart"
                )
                out.append(Problem(("channels", ch, "open", key), msg, warning=True))
            for d in days:
                seen.setdefault(d, (str(key), ranges))
            if not closed and any(_whole_day(part) for part in _written_ranges(value)):
                msg = (
                    "a range that starts where it ends is open 24 hours from its start (from "
                    "00:00: the whole day), not closed: write `closed` for a closed day"
                )
                out.append(Problem(("channels", ch, "open", key), msg, warning=True))
    return out


def _overlap(
    first: list[tuple[float, float]], then: list[tuple[float, float]], closed: bool
) -> bool:
    """A later key's hours for a day the first opens: `closed` (it closes nothing), or
    ranges overlapping the first's (read as replacing them)."""
    return closed or any(a < d and c < b for a, b in first for c, d in then)


def _kinds(data: object) -> dict[str, object]:
    """Each channel's `kind` as written."""
    channels = _mapping(data, "channels").items()
    return {ch: c.get("kind") for ch, c in channels if isinstance(c, dict)}


def _hours_likely(data: object, kinds: dict[str, object]) -> list[Problem]:
    """Bare numbers where hours are usual: a shift's length or a break's start under
    HOURS_LIKELY (`length: 4` validated as a 4-minute shift, and the gate then failed on
    something else), a message channel's tolerance under 168 (a week in hours: 720 is
    12 hours in minutes as likely as 30 days in hours; `tolerance: 72` made
    e-mail customers angry within 72 minutes: escalations tripled, silently) — a user's
    walkthrough, 2026-12-07 —, and under 168 a message target's `within` and the
    simulation's `horizon` (another walkthrough the same day)."""
    short: list[tuple[tuple[str | int, ...], object, str]] = []
    for name, shift in _mapping(data, "shifts").items():
        if isinstance(shift, dict):
            short.append((("shifts", name, "length"), shift.get("length"), "a shift of {}"))
            breaks = shift.get("breaks")
            for i, b in enumerate(breaks if isinstance(breaks, list) else []):
                at = b.get("after") if isinstance(b, dict) else None
                where = ("shifts", name, "breaks", i, "after")
                short.append((where, at, "a break {} into the shift"))
    days = [  # where hours or days are usual, under a week's hours
        (("simulation", "horizon"), _mapping(data, "simulation").get("horizon"), "a window of {}")
    ]  # (`horizon: 120` measured 2 hours: a phone open from 08:00 offered nothing)
    for ch, target in _mapping(data, "targets").items():
        service = target.get("service") if isinstance(target, dict) else None
        if kinds.get(ch) != "message" or not isinstance(service, list):
            continue
        for i, t in enumerate(service):  # (`within: 24` passed as 24 minutes, silently)
            at = t.get("within") if isinstance(t, dict) else None
            days.append((("targets", ch, "service", i, "within"), at, "a message target of {}"))
    out = []
    for (path, value, what), limit in [(x, HOURS_LIKELY) for x in short] + [
        (x, TOLERANCE_HOURS_LIKELY) for x in days
    ]:
        minutes = _bare(value)
        if minutes is not None and 0 < minutes < limit:
            said = what.format(f"{minutes:g} minutes")
            out.append(Problem(path, _hours_said(minutes, said), True))
    for ch, channel in _mapping(data, "channels").items():
        if kinds.get(ch) == "message" and isinstance(channel, dict):
            minutes = _bare(channel.get("tolerance"))
            if minutes is not None and 0 < minutes < TOLERANCE_HOURS_LIKELY:
                said = (
                    f"a message's customers angry within {units.format_duration(minutes)}, "
                    "where hours or days are usual"
                )
                out.append(Problem(("channels", ch, "tolerance"), _hours_said(minutes, said), True))
    return out


def _hours_said(minutes: float, what: str) -> str:
    return (
        f"{minutes:g} is read as {minutes:g} minutes (a bare number is minutes), {what}: "
        f"write {minutes:g}h for hours, or {minutes:g}min to keep minutes"
    )


def _week_span(start: float, end: float) -> str:
    """`mon 06:00-14:00`, `fri 22:00-24:00`, or `mon 06:00-sat 22:00` across days (minutes
    of the week; until 2026-12-06 a gap of days printed `mon 06:00-166:00`)."""
    day = int(start // units.MINUTES_PER_DAY)
    last = math.ceil(end / units.MINUTES_PER_DAY) - 1  # the day the span ends in (24:00)
    head = _week_time(start)
    if last == day:
        return f"{head}-{units.format_clock(end - day * units.MINUTES_PER_DAY)}"
    ending = end - last * units.MINUTES_PER_DAY
    again = "next " if last % 7 == day % 7 else ""  # (wed 12:00-wed 10:00 read backwards)
    return f"{head}-{again}{units.DAY_NAMES[last % 7]} {units.format_clock(ending)}"


def _week_time(minute: float) -> str:
    """`fri 17:00`: a minute of the week."""
    day = int(minute // units.MINUTES_PER_DAY)
    return f"{units.DAY_NAMES[day % 7]} {units.format_clock(minute % units.MINUTES_PER_DAY)}"


def _uncovered_open_time(
    s: Scenario, channel: str, windows: list[tuple[float, float]] | None
) -> list[tuple[float, float]]:
    """The open periods of the week with no skilled agent on duty, as (start, end) in
    minutes of the week, in order from Monday 00:00; a gap over the week's end (Saturday
    22:00 to Monday 06:00) is one, the first, ending past the week (until 2026-12-06 it
    was reported as `mon 00:00-06:00`)."""
    skilled = set(s.skilled_groups(channel))
    duty: list[tuple[float, float]] = []
    for line in s.roster:
        if line.group in skilled and line.agents > 0:
            shift = s.shifts[line.shift]
            duty += units.weekly_windows(shift.days, [(shift.start, shift.start + shift.length)])
    duty = units.merge_intervals(duty)
    gaps: list[tuple[float, float]] = []
    for start, end in windows if windows is not None else [(0.0, units.MINUTES_PER_WEEK)]:
        t = start
        for ds, de in duty:
            if de <= t or ds >= end:
                continue
            if ds > t:
                gaps.append((t, ds))
            t = max(t, de)
        if t < end:
            gaps.append((t, end))
    gaps = units.merge_intervals(gaps)
    week = units.MINUTES_PER_WEEK
    if len(gaps) > 1 and gaps[0][0] == 0 and gaps[-1][1] == week:
        gaps = [(gaps[-1][0], week + gaps[0][1]), *gaps[1:-1]]
    return gaps
