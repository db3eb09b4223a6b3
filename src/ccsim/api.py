"""The application layer: the functions notebooks call and the command line calls.

Every run follows one seed policy (`ccsim.experiment.seeds`: the seed given, else the
scenario's, else a fresh random one that the output reports) and one workers default
(the machine's cores; a run of one replication stays in this process). Results never
depend on the number of workers or on a Dask cluster.
"""

from __future__ import annotations

import os
import re
import time
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from numbers import Real
from pathlib import Path

from ccsim.experiment import counts, runner, seeds, variants
from ccsim.experiment.result import Result
from ccsim.experiment.runner import Progress
from ccsim.measure.confidence import checked_confidence
from ccsim.measure.targets import TargetCheck
from ccsim.model import work
from ccsim.model.errors import WorkLimitError
from ccsim.planning import capacity as _capacity
from ccsim.planning.plan import Plan
from ccsim.planning.plan import plan as _plan
from ccsim.planning.staffing import StepProgress
from ccsim.report import capacity as capacity_report
from ccsim.report import folders
from ccsim.report import model as reports
from ccsim.scenario import calendar as _calendar
from ccsim.scenario import changes as _changes
from ccsim.scenario import limits, loader, rules, units
from ccsim.scenario.limits import DEFAULT_FILE_LIMITS, FileLimits
from ccsim.scenario.loader import load, loads, valid
from ccsim.scenario.model import Scenario
from ccsim.scenario.problems import Message, ScenarioError, ScenarioWarning

__all__ = [
    "FileCheck",
    "WorkLimitError",
    "capacity",
    "check",
    "compare",
    "load",
    "load_calendar",
    "loads",
    "plan",
    "save",
    "simulate",
    "sweep",
    "with_changes",
    "write_report",
]

compare = variants.compare
sweep = variants.sweep


plan = _plan


def with_changes(s: Scenario, changes: dict, *, label: str = _changes.CHANGES) -> Scenario:
    """`s` with each field path set to its value, validated like a file
    (ccsim/scenario/changes.py); what the change itself is warned of — a volume set ten
    times off (`arrivals.chat.weekly: 1.2`, meant as +20 %), a bare `within: 20` read as
    minutes — is also raised as a `ScenarioWarning`, which a notebook shows (it was kept
    in `.warnings` alone, where `ccsim run --set` prints it: a notebook walkthrough)."""
    variant = _changes.with_changes(s, changes, label=label)
    # what the scenario is warned of already (its own warm-up, or what an edit in place
    # brought) is not warned of again with other figures; another warning at the same
    # field, or the same slip made again with other numbers, is (a review)
    warned = {_gist(m) for m in valid(s).warnings}
    for m in variant.warnings:
        if _gist(m) not in warned:
            where = f"{m.field}: " if m.field else ""
            warnings.warn(f"{label}: {where}{m.message}", ScenarioWarning, 2)
    return variant


def _gist(m: Message) -> tuple[str | None, str]:
    """A warning's field and words, its figures left out."""
    return m.field, re.sub(r"\d[\d.,:]*", "#", m.message)


def simulate(
    s: Scenario,
    replications: int | None = None,
    seed: int | None = None,
    contacts: bool = False,
    workers: int | None = None,
    scheduler: str | object | None = None,
    progress: Progress | None = None,
    precision: float | None = None,
    max_replications: int = 200,
    memory_limit: str | float | None = None,
    first_replication: int = 0,
) -> Result:
    """Simulate `replications` (default: the scenario's) independent runs of `s`:
    replications `first_replication`, `first_replication` + 1, … of the seed (a plan's
    verification starts after its search's: its document says where, and this repeats it).

    Each replication is measured as it finishes and only its tables are kept, unless
    `contacts=True` keeps the per-contact records too (`Result.contacts()`).
    `precision`: add replications (doubling, up to `max_replications`) until every
    service-level 95 % CI half-width is at most this (a `PrecisionNotReached` warning
    when the cap stopped it first). A replication estimated to need
    more memory than `memory_limit` (bytes or a size like "16GB"; default: a quarter of
    this machine's memory) is refused up front with `WorkLimitError`. A scenario with no
    roster lines and no staffing table is refused with `ScenarioError`, as `ccsim run`
    refuses it (`rules.runnable`): nobody would answer. A scenario edited in place since
    it was validated is validated again first (`loader.valid`). The result keeps a copy
    of `s`: editing `s` afterwards changes no figure of it.
    """
    s = valid(s)
    if missing := rules.runnable(s):
        raise ScenarioError(missing)
    # the result keeps the scenario it simulated: a notebook's later `s.groups[g].wage =
    # 100` changed an earlier result's cost and targets, never re-simulated (a walkthrough)
    s = s.model_copy(deep=True)
    n = s.simulation.replications if replications is None else replications
    n = counts.whole(n, "replications")  # (0 was taken for "the scenario's")
    max_replications = counts.whole(max_replications, "max_replications")
    work.ensure_fits(s, memory_limit, max_replications if precision is not None else n)
    first = counts.whole(first_replication, "first_replication", least=0)
    if first > limits.MAX_FIRST_REPLICATION:
        raise ValueError(
            f"first_replication must be at most {limits.MAX_FIRST_REPLICATION:,}, got {first:,}"
        )
    options = dict(workers=workers, scheduler=scheduler, contacts=contacts, progress=progress)
    seed = seeds.resolve(seed, s)
    if precision is None:
        return runner.run(s, n, seed, first=first, **options)
    if first:
        raise ValueError("precision adds replications from replication 0: no first_replication")
    if isinstance(precision, bool) or not isinstance(precision, Real) or not 0 < precision <= 0.5:
        # (1, meant as 1 %, was ±100 points: every run reached it at once — a walkthrough)
        given = isinstance(precision, Real) and not isinstance(precision, bool)
        hint = units.percent_hint(float(precision), 0.0, 0.5, low_open=True) if given else ""
        raise ValueError(
            "precision is a CI half-width of a share: a number above 0 and at most 0.5, got "
            f"{precision!r}{hint}"
        )
    result = runner.run_to_precision(s, n, seed, precision, max_replications, **options)
    if (short := runner.shortfall(result, precision)) is not None:
        warnings.warn(short, runner.PrecisionNotReached, stacklevel=2)
    return result


@dataclass
class FileCheck:
    """One scenario file of `check`: its problems (invalid) or its targets (simulated)."""

    path: Path
    messages: list[Message] = field(default_factory=list)  # why it is invalid
    result: Result | None = None
    confidence: float | None = None
    said: list[Message] = field(default_factory=list)  # an invalid file's warnings
    seeded: bool = True  # a seed was given (`check(seed=…)`), or the file has its own
    seconds: float = 0.0  # wall time to read, validate and simulate the file

    @property
    def valid(self) -> bool:
        return self.result is not None

    @property
    def checks(self) -> list[TargetCheck]:
        return self.result.target_checks(self.confidence) if self.result is not None else []

    @property
    def warnings(self) -> list[Message]:
        """The file's warnings, as `validate` gives them (`check` printed none until
        2026-12-07: a target read as 30 minutes passed the gate without a word), and, for
        a file simulated on a random seed, that seed: a gate near a goal then passes and
        fails by turns, and its failure could not be repeated (a CI walkthrough); and,
        for a confidence judged on one replication, that it had no spread."""
        if self.result is None:
            return self.said
        said = list(self.result.scenario.warnings)
        if not self.seeded:
            msg = (
                f"no seed: this check drew a random one, {self.result.seed}, so its figures "
                "change from check to check (set simulation.seed; checking this file alone "
                f"with --seed {self.result.seed}, seed={self.result.seed} in Python, repeats "
                "this one)"
            )
            said.append(Message(str(self.path), None, "simulation.seed", msg, warning=True))
        if self.confidence is not None and len(self.result.tables) < 2:
            msg = (  # (said on stderr alone until 2026-12-08: not in --json or JUnit)
                "one replication has no spread: --confidence judged each target by its "
                "estimate (give --reps 2 or more, replications=2 in Python)"
            )
            said.append(Message(str(self.path), None, None, msg, warning=True))
        return said

    @property
    def met(self) -> bool:
        """Valid and every target met."""
        return self.valid and all(c.met for c in self.checks)


def check(
    paths: str | Path | Iterable[str | Path],
    replications: int | None = None,
    seed: int | None = None,
    confidence: float | None = None,
    workers: int | None = None,
    scheduler: str | object | None = None,
    progress: Progress | None = None,
    memory_limit: str | float | None = None,
    allow_paths: str | Path | Iterable[str | Path] = (),
    limits: FileLimits = DEFAULT_FILE_LIMITS,
) -> list[FileCheck]:
    """Validate and simulate every scenario file (folders: every *.yaml inside) and
    check every target — what `ccsim check` gates CI on. `confidence`: the one-sided
    bound must reach each target instead of the mean. A file too large to simulate
    within `memory_limit` counts as invalid, with the estimate."""
    confidence = checked_confidence(confidence)  # before any file is simulated
    out = []
    for path, why in loader.scan(paths, allow_paths):
        start, before = time.perf_counter(), len(out)
        try:
            if why is not None:  # a link out of the folder: not read
                out.append(FileCheck(path, [Message(str(path), None, None, why)]))
                continue
            try:
                s = load(path, allow_paths, limits)
            except ScenarioError as exc:
                out.append(FileCheck(path, exc.messages, said=exc.warnings))
                continue
            try:  # a valid file that cannot run keeps its warnings (they were lost)
                if missing := rules.runnable(s, str(path)):
                    raise ScenarioError(missing)
                work.ensure_fits(s, memory_limit, replications or s.simulation.replications)
            except ScenarioError as exc:
                out.append(FileCheck(path, exc.messages, said=s.warnings))
                continue
            except WorkLimitError as exc:
                problem = Message(str(path), None, None, str(exc))
                out.append(FileCheck(path, [problem], said=s.warnings))
                continue
            result = simulate(
                s, replications, seed, workers=workers, scheduler=scheduler, progress=progress,
                memory_limit=memory_limit,
            )  # fmt: skip
            seeded = seed is not None or s.simulation.seed is not None
            out.append(FileCheck(path, result=result, confidence=confidence, seeded=seeded))
        finally:  # each file's time, for a JUnit report
            for checked in out[before:]:
                checked.seconds = time.perf_counter() - start
    return out


def load_calendar(
    path: str | Path,
    scenario: Scenario | None = None,
    limits: FileLimits = DEFAULT_FILE_LIMITS,
) -> _calendar.Calendar:
    """Read and validate a calendar file (docs/capacity.md); given the scenario, also
    what it names (groups, channels). ScenarioError lists every problem; `limits` bound
    the file as `load`'s do (`--max-file-size`)."""
    return _calendar.load_calendar(path, scenario, limits)


def capacity(
    s: Scenario,
    calendar: _calendar.Calendar | dict | str | Path,
    seed: int | None = None,
    replications: int | None = None,
    verify: int | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    max_plans: int = _capacity.MAX_PLANS,
    time_budget: float | str | None = None,
    progress: StepProgress | None = None,  # progress(message), as plan's
    max_rosters: int | None = None,
    memory_limit: str | float | None = None,
) -> _capacity.CapacityPlan:
    """Required and available FTE per week, the hiring plan and the cost by week, month
    and year of `calendar` — a Calendar, a calendar file, or the file's keys as a dict
    (`ccsim.planning.capacity`; `ccsim capacity`)."""
    s = valid(s)
    if isinstance(calendar, dict):  # (it was a TypeError from the file reader)
        cal = _calendar.calendar_from(calendar, scenario=s)
    elif isinstance(calendar, _calendar.Calendar):
        cal = calendar
    else:
        cal = load_calendar(calendar, s)
    found = _calendar.problems(cal, s)
    if found:
        raise ScenarioError(loader.locate(found, "<calendar>", None))
    return _capacity.capacity(
        s,
        cal,
        seed=seed,
        replications=replications,
        verify=verify,
        workers=workers,
        scheduler=scheduler,
        max_plans=max_plans,
        time_budget=time_budget,
        progress=progress,
        max_rosters=max_rosters,
        memory_limit=memory_limit,
    )


def save(
    what: Result | Plan | _capacity.CapacityPlan | Scenario,
    folder: str | Path,
    contacts: bool = False,
    report: bool = False,
) -> Path:
    """Write the output folder of a run, a plan or a capacity plan — what `ccsim run
    --out`, `ccsim plan --out`, `ccsim capacity --out` write (`report=True`: with
    report.xlsx and report.html) — atomically; a scenario (a variant) as the YAML file
    `folder` names, its tables beside it (`folders.write_scenario`)."""
    if isinstance(what, Scenario):  # (edited in place: validated, not written as it is)
        return folders.write_scenario(Path(folder), valid(what))
    if not isinstance(what, Result | Plan | _capacity.CapacityPlan):
        raise TypeError(
            f"save writes a Result, Plan, CapacityPlan or Scenario, not {type(what).__name__}"
        )
    if isinstance(what, _capacity.CapacityPlan):
        return capacity_report.write(Path(folder), what, with_report=report)
    if isinstance(what, Plan):
        return folders.write_plan(Path(folder), what, with_report=report)
    return folders.write_run(Path(folder), what, contacts=contacts, with_report=report)


def write_report(folder: str | Path) -> list[Path]:
    """Write report.xlsx and report.html into a run or plan output folder (`ccsim
    report DIR`); raises `ccsim.report.model.ReportError` for a folder that is not one."""
    if not isinstance(folder, str | os.PathLike):  # (a Result: pathlib's TypeError)
        raise TypeError(
            f"write_report reads an output folder, got {type(folder).__name__}: for a "
            "result, plan or capacity plan in memory, ccsim.save(it, folder, report=True)"
        )
    return folders.write_report(Path(folder), reports.read(Path(folder)))
