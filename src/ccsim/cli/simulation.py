"""`ccsim run`, `ccsim check`, `ccsim sweep`: simulations of a scenario's roster."""

from __future__ import annotations

import contextlib
import json
import math
import sys
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer

from ccsim.cli.app import app
from ccsim.cli.common import (
    EXIT_FAIL,
    EXIT_OK,
    AllowPath,
    AsJson,
    Changes,
    Confidence,
    MaxFileSize,
    MemoryLimit,
    Quiet,
    Report,
    Reps,
    Scheduler,
    Seed,
    Workers,
    change_warnings,
    changed,
    counted,
    err,
    fail,
    fail_usage,
    failed,
    file_limits,
    load_or_exit,
    message_channels,
    message_json,
    needs_out,
    number_between,
    out,
    out_ok,
    print_json,
    progress_bar,
    say_written,
    setting,
)
from ccsim.experiment.errors import WorkerError
from ccsim.model.errors import WorkLimitError
from ccsim.report.terminal import Figures
from ccsim.scenario import limits, units
from ccsim.scenario.units import interval_text

if TYPE_CHECKING:
    import pandas as pd

    from ccsim.experiment.runner import Progress
    from ccsim.scenario.model import Scenario


@contextlib.contextmanager
def simulating(quiet: bool) -> Iterator[Any]:
    """A progress callback (a bar on stderr) for the replications; a worker that fails
    or a run too large for the memory limit exits 1 with one line."""
    bar, callback = progress_bar(quiet)
    try:
        if bar is not None:
            bar.start()
        yield callback
    except (WorkerError, WorkLimitError) as exc:
        fail(str(exc))
    finally:
        if bar is not None:
            bar.stop()


@contextlib.contextmanager
def _warned_at_once() -> Iterator[None]:
    """What a variant is warned of (`ScenarioWarning`: `within=20`, closed hours) printed on
    stderr as it is raised, before the runs — it was printed after the whole sweep, and
    lost when a run failed or the sweep was interrupted; any other warning as Python
    shows it."""
    from ccsim.scenario.problems import ScenarioWarning

    with warnings.catch_warnings():  # (restores showwarning on the way out)
        warnings.simplefilter("always", ScenarioWarning)
        python_shows = warnings.showwarning

        def show(
            message: Warning | str,
            category: type[Warning],
            filename: str,
            lineno: int,
            file: TextIO | None = None,
            line: str | None = None,
        ) -> None:
            if issubclass(category, ScenarioWarning):
                err.print(f"ccsim: warning: {message}", markup=False)
            else:
                python_shows(message, category, filename, lineno, file, line)

        warnings.showwarning = show
        yield


@app.command()
def run(
    scenario: Annotated[Path, typer.Argument(metavar="SCENARIO", help="scenario file")],
    reps: Reps = None,
    seed: Seed = None,
    workers: Workers = None,
    scheduler: Scheduler = None,
    as_json: AsJson = False,
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", metavar="DIR", help="write run.json, CSV tables, meta.json here"),
    ] = None,
    contacts: Annotated[bool, typer.Option(help="with --out: also contacts.parquet")] = False,
    precision: Annotated[
        float | None,
        typer.Option(
            parser=number_between(0.0, 0.5, low_open=True),  # (1 was ±100 points)
            metavar="X",
            help="add replications until every service-level CI half-width ≤ this (0-0.5)",
        ),
    ] = None,
    max_reps: Annotated[int, typer.Option(min=1, metavar="N", help="cap for --precision")] = 200,
    first_replication: Annotated[
        int,
        typer.Option(
            min=0,
            max=limits.MAX_FIRST_REPLICATION,
            metavar="F",
            help="number of the first replication (a plan's verification: its first_replication)",
        ),
    ] = 0,
    confidence: Confidence = None,
    quiet: Quiet = False,
    report: Report = False,
    memory_limit: MemoryLimit = None,
    allow_path: AllowPath = None,
    max_file_size: MaxFileSize = None,
    settings: Changes = None,
) -> None:
    """Simulate the scenario's roster N times: service levels with 95% CIs, occupancy, cost
    (`--confidence 0.95`: each target, and each period of one, judged by its one-sided
    bound, as a plan's verification and `check --confidence` judge them)."""
    import ccsim
    from ccsim.experiment.runner import PrecisionNotReached, shortfall
    from ccsim.report import console, folders
    from ccsim.report import model as reports
    from ccsim.scenario import rules

    needs_out(report, out_dir)
    if precision is not None and first_replication:
        fail_usage("--precision adds replications from replication 0: drop --first-replication")
    given = load_or_exit(scenario, allow_path, max_file_size)
    s = changed(given, settings)
    named = units.printable(scenario) + (" with --set" if settings else "")
    if missing := rules.runnable(s, named):
        failed(missing)
    if not any(s.agents_per_group().values()):
        err.print(
            f"ccsim: warning: {named}: the roster has no agents, so nobody answers (add "
            "`roster:` lines, or find one with `ccsim plan`)",
            markup=False,
        )
    else:  # what `validate` warns of (a group nobody rostered, a target nobody serves)
        for m in change_warnings(given, s, settings):
            err.print(str(m), markup=False)
    keep = contacts and out_dir is not None
    with simulating(quiet) as progress, warnings.catch_warnings():
        warnings.simplefilter("ignore", PrecisionNotReached)  # said below, as the CLI says
        result = ccsim.simulate(
            s, reps, seed, contacts=keep, workers=workers, scheduler=scheduler,
            progress=progress, precision=precision, max_replications=max_reps,
            memory_limit=memory_limit, first_replication=first_replication,
        )  # fmt: skip
    if precision is not None and (short := shortfall(result, precision, "--max-reps")):
        err.print(f"ccsim: warning: {units.printable(scenario)}: --{short}", markup=False)
    if out_dir is not None:
        built = reports.from_result(result, confidence)
        folders.write_run(
            out_dir, result, built, contacts=keep, with_report=report, command=sys.argv
        )
        doc = built.document
    else:
        doc = result.run_document(confidence)
    if as_json:
        print_json(doc.to_json())
    else:
        console.render_run(doc, out, message_channels(s))
    if out_dir is not None:
        say_written(out_dir, "results written to", report, as_json)


@app.command()
def check(
    paths: Annotated[list[Path], typer.Argument(metavar="PATH", help="scenario files or folders")],
    reps: Reps = None,
    seed: Seed = None,
    confidence: Confidence = None,
    junit: Annotated[Path | None, typer.Option(metavar="FILE", help="write JUnit XML here")] = None,
    workers: Workers = None,
    scheduler: Scheduler = None,
    as_json: AsJson = False,
    quiet: Quiet = False,
    memory_limit: MemoryLimit = None,
    allow_path: AllowPath = None,
    max_file_size: MaxFileSize = None,
) -> None:
    """Validate, simulate and assert every target (exit 1 if any is missed)."""
    import ccsim
    from ccsim.report import junit as junit_xml
    from ccsim.scenario import loader

    missing = [p for p in paths if not p.exists()]
    if missing:
        fail_usage(", ".join(f"{p}: file not found" for p in missing))
    if not loader.expand_paths(paths):
        fail_usage("no *.yaml or *.yml files found in " + ", ".join(map(str, paths)))
    if junit is not None:
        out_ok(junit, "--junit", folder=False, ours=junit_xml.MARK)
    with simulating(quiet) as progress:
        files = ccsim.check(
            paths, reps, seed, confidence, workers=workers, scheduler=scheduler,
            progress=progress, memory_limit=memory_limit, allow_paths=allow_path or (),
            limits=file_limits(max_file_size),
        )  # fmt: skip
    docs = []
    for f in files:
        for m in loader.in_file_order(f.messages + f.warnings):  # as validate says them
            err.print(str(m), markup=False)
        path = units.printable(f.path)  # one line, whatever the file is named
        warned = [message_json(m) for m in f.warnings]
        if not f.valid:
            errors = [message_json(m) for m in f.messages]  # as validate's (strings before)
            docs.append(
                {"path": str(f.path), "valid": False, "errors": errors, "warnings": warned,
                 "targets_met": False}
            )  # fmt: skip
            if not as_json:  # (stdout never named an invalid file: only stderr did)
                count = counted(len(f.messages), "problem")
                out.print(f"MISS {path}: {junit_xml.VALID}: {count} (above)", markup=False)
            continue
        docs.append(
            {
                "path": str(f.path),
                "valid": True,
                "warnings": warned,
                "targets_met": f.met,
                "targets": len(f.checks),  # 0: met vacuously, nothing was checked
                "run": f.result.document(confidence),
            }
        )
        if not as_json:
            for c in f.checks:
                mark = "ok  " if c.met else "MISS"
                out.print(f"{mark} {path}: {c.name}: {c.verdict(confidence)}", markup=False)
            if not f.checks:  # (a gate passed it with "every target met", said of nothing)
                said = f"ok   {path}: no targets to check (the scenario sets none)"
                out.print(said, markup=False)
    ok = all(f.met for f in files)
    none = all(f.valid and not f.checks for f in files)
    if junit is not None:
        junit_xml.write(
            junit,
            {str(f.path): f.checks if f.valid else [str(m) for m in f.messages] for f in files},
            confidence,
            {str(f.path): [str(m) for m in f.warnings] for f in files},
            {str(f.path): f.seconds for f in files},
        )
    if as_json:
        print_json({"targets_met": ok, "confidence": confidence, "files": docs})
    else:
        verdict = "every target met" if ok else "some targets missed or files invalid"
        out.print("no targets to check" if none else verdict, markup=False)
    raise typer.Exit(EXIT_OK if ok else EXIT_FAIL)


@app.command()
def sweep(
    scenario: Annotated[Path, typer.Argument(metavar="SCENARIO", help="scenario file")],
    settings: Annotated[
        list[str],  # each a (key, values) pair, parsed by setting
        typer.Option(
            "--set",
            parser=setting,
            metavar="KEY=V1,V2",
            help="KEY=V1,V2: a field path and the values to try (repeatable)",
        ),
    ],
    reps: Reps = None,
    seed: Seed = None,
    workers: Workers = None,
    scheduler: Scheduler = None,
    as_json: AsJson = False,
    memory_limit: MemoryLimit = None,
    allow_path: AllowPath = None,
    max_file_size: MaxFileSize = None,
    quiet: Quiet = False,
) -> None:
    """What-if sweep: every combination of the --set values, under common random numbers."""
    import ccsim

    keys = [key for key, _ in settings]
    if twice := sorted({k for k in keys if keys.count(k) > 1}):  # the last one alone was kept
        fail_usage(f"--set {twice[0]} given twice: give its values in one --set ({twice[0]}=V1,V2)")
    grid = dict(settings)
    options = {"workers": workers, "scheduler": scheduler, "memory_limit": memory_limit}
    _what_if(
        load_or_exit(scenario, allow_path, max_file_size),
        lambda s, n, seed, progress: ccsim.sweep(s, grid, n, seed, progress=progress, **options),
        reps,
        seed,
        as_json,
        ("grid", grid),
        list(grid),
        "sweep",
        quiet=quiet,
    )


def _what_if(
    s: Scenario,
    simulate: Callable[[Scenario, int, int, Progress | None], pd.DataFrame],
    reps: int | None,
    seed: int | None,
    as_json: bool,
    given: tuple[str, Any],
    keys: list[str],
    what: str,
    versus: str = "vs first",
    quiet: bool = False,
) -> None:
    """What `sweep` and `compare` share: the variants simulated (`simulate(s, replications,
    seed, progress)`, the seed policy's seed, a bar on stderr unless `quiet`) and printed —
    `--json` with `given` (the grid, or the named variants), or the table side by side
    (`keys`: the columns naming a variant)."""
    import ccsim
    from ccsim.experiment import seeds

    reps = reps or s.simulation.replications
    seed = seeds.resolve(seed, s)
    try:
        with simulating(quiet) as progress, _warned_at_once():
            table = simulate(s, reps, seed, progress)
    except ccsim.ScenarioError as exc:
        failed(exc.messages)
    except (WorkerError, ccsim.WorkLimitError, ValueError) as exc:
        fail(str(exc))
    if as_json:
        rows = json.loads(table.to_json(orient="records"))
        doc = {"scenario": s.name, "replications": reps, "seed": seed, given[0]: given[1]}
        print_json({**doc, "rows": rows})
        return
    title = f"{s.name}: what-if {what}, {reps} replication(s), seed {seed}"
    out.print(_side_by_side(s, table, keys, title, reps, versus))


def variant(value: Any) -> tuple[str, dict[str, Any]]:
    """`--variant "NAME: KEY=VALUE; KEY=VALUE"`: a named variant, its changes separated by
    semicolons (outside quotes and brackets), each value read as `--set` reads one."""
    if isinstance(value, tuple):
        return value
    text = str(value)
    cut = text.rfind(":", 0, text.find("=") if "=" in text else len(text))  # a name may
    name, rest = text[:cut], text[cut + 1 :]  # hold a colon: `open 08:00: anger=off`
    parts = _outside_brackets(rest, ";") if cut >= 0 else []
    if not name.strip() or not parts:
        raise ValueError(f"{value!r}: expected NAME: KEY=VALUE[; KEY=VALUE...]")
    changes: dict[str, Any] = {}
    for part in parts:
        key, values = setting(part)
        if len(values) != 1:
            raise ValueError(
                f"{part.strip()!r} in variant {name.strip()!r}: one value a key (to try several, "
                "give each its variant, or use ccsim sweep)"
            )
        if key in changes:
            raise ValueError(f"{key} given twice in variant {name.strip()!r}")
        changes[key] = values[0]
    return name.strip(), changes


def _outside_brackets(text: str, sep: str) -> list[str]:
    """`text` split at each `sep` outside quotes, `{}` and `[]`; a quote opens only where
    a value starts, as in YAML (`name=Bob's shop; anger=off` has none: the `;` split it)."""
    parts, depth, quote, current = [], 0, "", ""
    for ch in text:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'" and current.rstrip()[-1:] in ("", "=", ",", "[", "{", ":", sep):
            quote = ch
        elif ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append(current)
            current = ""
            continue
        current += ch
    return [p for p in [*parts, current] if p.strip()]


AS_IS = "as is"  # the scenario unchanged: compare's first variant, every difference's base


@app.command()
def compare(
    scenario: Annotated[Path, typer.Argument(metavar="SCENARIO", help="scenario file")],
    variants: Annotated[
        list[str],  # each a (name, changes) pair, parsed by variant
        typer.Option(
            "--variant",
            parser=variant,
            metavar="'NAME: KEY=V; KEY=V'",
            help="a named variant: its changes (field path = one value), ';' between them "
            "(repeatable)",
        ),
    ],
    reps: Reps = None,
    seed: Seed = None,
    workers: Workers = None,
    scheduler: Scheduler = None,
    as_json: AsJson = False,
    memory_limit: MemoryLimit = None,
    allow_path: AllowPath = None,
    max_file_size: MaxFileSize = None,
    quiet: Quiet = False,
) -> None:
    """What-if comparison: named variants beside the scenario as it is, under common
    random numbers, each figure's difference to it with its paired CI."""
    import ccsim

    names = [name for name, _ in variants]
    if AS_IS in names:
        fail_usage(f"--variant {AS_IS!r}: that is the scenario unchanged's name; give another")
    if twice := sorted({n for n in names if names.count(n) > 1}):
        fail_usage(f"--variant {twice[0]!r} given twice: each variant needs a name of its own")
    named = {AS_IS: {}, **dict(variants)}
    options = {"workers": workers, "scheduler": scheduler, "memory_limit": memory_limit}
    _what_if(
        load_or_exit(scenario, allow_path, max_file_size),
        lambda s, n, seed, progress: ccsim.compare(s, named, n, seed, progress=progress, **options),
        reps,
        seed,
        as_json,
        ("variants", named),
        ["variant"],
        "comparison",
        "vs as is",
        quiet=quiet,
    )


def _side_by_side(
    s: Scenario,
    table: pd.DataFrame,
    keys: list[str],
    title: str,
    replications: int,
    versus: str = "vs first",
) -> Figures:
    """The console table of a sweep or comparison: per variant (its `keys` columns) the
    service levels, abandon rates and costs (`_swept`), each with its CI and its paired
    difference to the first variant (`_difference`), blank for the first; no CI of one
    replication."""
    view = Figures(title=title)
    figures = ("estimate", "95% CI", f"{versus} (paired 95% CI)")
    for col in [*keys, "channel", "metric", *figures]:
        view.add_column(col, justify="right" if col in figures else "left")
    shown = [_swept(s, c, m) for c, m in zip(table["channel"], table["metric"], strict=True)]
    # the first variant's rows come first, each (channel, metric) once: they end where
    # one comes again (matched by values, a later combination equal to the first, `=3,3`,
    # was left blank; by a count of rows, a variant with a channel nobody reached — fewer
    # rows — moved the cut)
    seen: set[tuple[str, str]] = set()
    pairs = zip(table["channel"], table["metric"], strict=True)
    first = next((i for i, p in enumerate(pairs) if p in seen or seen.add(p)), len(table))
    for row in table[shown].itertuples():
        values = list(row[1 : len(keys) + 1])
        money = row.metric.endswith("_cost")
        fixed = row.metric == "staff_cost"  # the same in every replication: no CI at all
        one = replications < 2
        estimate = f"{row.mean:,.2f} {s.costs.currency}" if money else f"{row.mean:.1%}"
        form = (lambda x: f"{x:,.2f}") if money else (lambda x: f"{x:.1%}")
        spread = interval_text(row.ci_low, row.ci_high, replications, form)
        paired = (row.diff, row.diff_low, row.diff_high)
        view.add_row(
            *map(str, values),
            row.channel,
            f"{row.metric} / week" if money else row.metric,
            estimate,
            "" if fixed or (row.ci_low == row.ci_high and money and not one) else spread,
            "" if row.Index < first else _difference(*paired, money, one and not fixed),
        )
    return view


def _difference(diff: float, low: float, high: float, money: bool, one: bool) -> str:
    """A variant's difference to the first, with its paired CI: `+2.1 pts (+0.7 to
    +3.4)`, `+1,404.00` (no CI when it is the same in every replication); `n/a` for a
    figure this variant or the first did not measure in every replication (no contact of
    the channel: it was `+nan`)."""
    if not math.isfinite(diff):
        return "n/a (not measured in every replication)"
    if one:  # one replication: no spread to give a CI
        shown = f"{diff:+,.2f}" if money else f"{100 * diff:+.1f} pts"
        return f"{shown} ({units.NO_CI})"
    if money:  # (to the cent: a total cost's difference can be the same in every week)
        exact = f"{low:+,.2f}" == f"{high:+,.2f}"
        return f"{diff:+,.2f}" + ("" if exact else f" ({low:+,.2f} to {high:+,.2f})")
    return f"{100 * diff:+.1f} pts ({100 * low:+.1f} to {100 * high:+.1f})"


def _swept(s: Scenario, channel: str, metric: str) -> bool:
    """A row `sweep` prints: service levels, abandon rates of the channels whose
    customers can abandon (voice and chat: a message channel's and the escalations' were
    printed, always 0 %), and the week's costs."""
    if metric.startswith("sl_") or metric in ("staff_cost", "total_cost"):
        return True
    voice_or_chat = channel in s.channels and s.channels[channel].kind != "message"
    return metric == "abandon_rate" and voice_or_chat
