"""`ccsim fit`, `ccsim backtest` and `ccsim forecast`: a scenario fitted from a contact
log, a scenario replayed against another period of it, and a log's weekly volumes
forecast (thin layers over `ccsim.fit`, `ccsim.backtest` and `ccsim.forecast`;
docs/history.md, docs/capacity.md)."""

from __future__ import annotations

import warnings
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from ccsim.cli.app import app
from ccsim.cli.common import (
    AllowPath,
    AsJson,
    MaxFileSize,
    MemoryLimit,
    Quiet,
    Seed,
    Workers,
    err,
    fail,
    fail_usage,
    failed,
    load_or_exit,
    number_between,
    out,
    out_ok,
    positive_duration,
    print_json,
    progress_bar,
    threshold,
)
from ccsim.experiment.errors import WorkerError
from ccsim.model.errors import WorkLimitError
from ccsim.scenario.units import MINUTES_PER_DAY, parse_date, printable

FORECAST_MARK = "# volume factors forecast by"  # how a forecast calendar's file starts


def _check_interval(minutes: float) -> None:
    """An interval of whole minutes that divides a day, else a usage error (`30s` was
    floored to 0 minutes: three internal messages)."""
    if minutes != int(minutes) or MINUTES_PER_DAY % minutes:
        fail_usage("--interval must be whole minutes that divide a day (e.g. 15min, 30min, 1h)")


Format = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help="generic (CSV/Parquet), bank, or a column-mapping .yaml file",
    ),
]
TotalsFormat = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help="generic (CSV/Parquet), bank, a column-mapping .yaml file, or weekly: totals "
        "per week (columns week, contacts, optionally channel)",
    ),
]
From = Annotated[
    str | None, typer.Option("--from", metavar="DATE", help="first date, e.g. 1999-02-01")
]
To = Annotated[str | None, typer.Option("--to", metavar="DATE", help="last date (inclusive)")]
Strict = Annotated[bool, typer.Option(help="refuse a log with bad rows instead of dropping them")]
Interval = Annotated[
    float,
    typer.Option(
        parser=positive_duration, metavar="DURATION", help="interval of profiles and rows"
    ),
]


Gap = Annotated[
    float,
    typer.Option(
        parser=positive_duration,
        metavar="DURATION",
        help="staffing rule: a pause between an agent's contacts longer than this ends the "
        "agent's work block",
    ),
]


def _date(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:  # written YYYY-MM-DD, as the Python API takes it (history.log.calendar_day)
        written = str(parse_date(text))
    except ValueError:
        fail_usage(f"{option}: expected a date like 1999-02-15, got {text!r}")
    try:
        return date.fromisoformat(written)
    except ValueError:  # ("1999-02-30" was told to be written like 1999-02-15: it was)
        fail_usage(f"{option}: {text!r} is no day of the calendar")


def _log_path(path: Path) -> None:
    """A usage error (exit 2) for a log that is missing or a folder, as for a scenario."""
    if not path.exists():
        fail_usage(f"{path}: file not found")
    if path.is_dir():
        fail_usage(f"{path}: is a folder, expected a log file")


def _read(path: Path, format: str, strict: bool):
    """The log, with its dropped rows reported on stderr; a bad log exits 1."""
    import ccsim
    from ccsim.history.log import LogError

    _log_path(path)
    if format.endswith((".yaml", ".yml")):
        if not Path(format).exists():
            fail_usage(f"--format {format}: file not found")
    elif format not in ("generic", "bank"):
        weekly = " (weekly totals serve `ccsim forecast` only)" if format == "weekly" else ""
        fail_usage(
            f"--format: expected generic, bank or a column-mapping .yaml file, got {format!r}"
            + weekly
        )
    try:
        log = ccsim.read_log(path, format, strict)
    except LogError as exc:
        failed(exc.messages)
    for line in log.report():
        err.print(line, markup=False)
    return log


@app.command("fit")
def fit_command(
    log: Annotated[Path, typer.Argument(metavar="LOG", help="the contact log")],
    output: Annotated[
        Path, typer.Option("--output", "-o", metavar="FILE", help="write the scenario YAML here")
    ],
    format: Format = "generic",
    first: From = None,
    last: To = None,
    interval: Interval = "1h",  # type: ignore[assignment]  # the parser converts it
    report: Annotated[
        Path | None,
        typer.Option("--report", metavar="DIR", help="write fit.html and estimates.csv here"),
    ] = None,
    gap: Gap = "30min",  # type: ignore[assignment]
    as_json: AsJson = False,
    strict: Strict = False,
) -> None:
    """Fit a scenario to a period of a contact log: each value with its 95% CI."""
    import ccsim
    from ccsim.history.fit import MARK
    from ccsim.report import history as reports

    _check_interval(interval)
    out_ok(output, "--output", folder=False, ours=MARK)
    if report is not None:
        out_ok(report, "--report")
        if report.resolve() in (output.resolve(), *output.resolve().parents):  # replaced
            fail_usage(
                f"--output {output} is inside the --report folder {report}: write it elsewhere"
            )
    start, end = _date(first, "--from"), _date(last, "--to")
    if start and end and end < start:
        fail_usage("--to comes before --from")
    contacts = _read(log, format, strict)
    try:
        fitted = ccsim.fit(
            contacts,
            first=start,
            last=end,
            interval=interval,
            gap=gap,
        )
    except ValueError as exc:
        fail(f"{log}: {exc}")
    try:
        fitted.scenario  # noqa: B018 - validates it
    except ccsim.ScenarioError as exc:  # a log of odd times (zones, clocks) fits odd values
        for note in fitted.notes:  # what says why (waits of days: a wrong date or time)
            err.print(f"{log}: {note}", markup=False)
        found = "; ".join(f"{m.field}: {m.message}" for m in exc.messages)
        fail(f"{log}: the fitted scenario is outside the format's bounds ({found}): check the log")
    path = fitted.save(output)
    if report is not None:
        reports.write_fit_report(report, fitted)
    if as_json:
        print_json(reports.fit_document(fitted, str(path)))
        return
    out.print(
        f"fitted {len(fitted.log):,} contacts of {fitted.first} to {fitted.last}: scenario "
        f"written to {printable(path)}" + (f", report to {printable(report)}/" if report else ""),
        markup=False,
    )
    for note in fitted.notes:
        out.print(note, markup=False)
    for channel, v in fitted.volumes.items():
        if v.outside_hours > 0:
            kind = fitted.document["channels"][channel]["kind"]
            fate = "wait for the opening" if kind == "message" else "are turned away as closed"
            out.print(
                f"{channel}: {v.outside_hours:.2%} of the contacts arrived outside the fitted "
                f"opening hours; in a simulation such contacts {fate}",
                markup=False,
            )
    out.print(
        f"anger: {'on' if fitted.anger and fitted.anger.enabled else 'off'} — "
        f"{fitted.anger.reason if fitted.anger else 'no voice or chat channel'}",
        markup=False,
    )


@app.command("backtest")
def backtest_command(
    scenario: Annotated[
        Path, typer.Argument(metavar="SCENARIO", help="the scenario (fitted or written)")
    ],
    log: Annotated[Path, typer.Argument(metavar="LOG", help="the contact log")],
    first: Annotated[str, typer.Option("--from", metavar="DATE", help="first date replayed")],
    last: Annotated[str, typer.Option("--to", metavar="DATE", help="last date replayed")],
    format: Format = "generic",
    within: Annotated[
        float,
        typer.Option(
            parser=threshold,
            metavar="DURATION",
            help="service-level threshold, e.g. 20s (a bare number: minutes)",
        ),
    ] = "20s",  # type: ignore[assignment]  # the parser converts it
    reps: Annotated[
        int, typer.Option("--reps", "-n", min=1, metavar="N", help="replications")
    ] = 20,
    interval: Interval = "1h",  # type: ignore[assignment]
    gap: Gap = "30min",  # type: ignore[assignment]  # the parser converts it
    seed: Seed = None,
    workers: Workers = None,
    as_json: AsJson = False,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out", metavar="DIR", help="write backtest.json, intervals.csv and the chart here"
        ),
    ] = None,
    strict: Strict = False,
    quiet: Quiet = False,
    memory_limit: MemoryLimit = None,
    allow_path: AllowPath = None,
    max_file_size: MaxFileSize = None,
) -> None:
    """Replay a period of the log with its own arrivals and staffing: predicted against
    actual per interval, beside Erlang C and Erlang A."""
    import ccsim
    from ccsim.history.backtest import MIN_OFFERED, InSampleBacktest
    from ccsim.report import history as reports

    _check_interval(interval)
    s = load_or_exit(scenario, allow_path, max_file_size)
    step = s.simulation.interval
    if interval % step and step % interval:
        fail_usage(
            f"--interval ({interval:g} min) must be a multiple or a divisor of the "
            f"scenario's interval ({step:g} min)"
        )
    start, end = _date(first, "--from"), _date(last, "--to")
    if end < start:
        fail_usage("--to comes before --from")
    if out_dir is not None:
        out_ok(out_dir, "--out")
    contacts = _read(log, format, strict)
    bar, progress = progress_bar(quiet)
    try:
        if bar is not None:
            bar.start()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", InSampleBacktest)  # (said below, as the CLI says)
            result = ccsim.backtest(
                s, contacts, start, end, within=within, replications=reps, seed=seed,
                interval=interval, gap=gap, workers=workers, progress=progress,
                memory_limit=memory_limit,
            )  # fmt: skip
    except (ValueError, WorkerError, WorkLimitError) as exc:
        fail(f"{log}: {exc}")
    finally:
        if bar is not None:
            bar.stop()
    if result.in_sample is not None:
        err.print(f"ccsim: warning: {result.in_sample}", markup=False)
    if out_dir is not None:
        reports.write_backtest(out_dir, result)
    if as_json:
        print_json(result.document())
        return
    from ccsim.report.terminal import Figures

    table = Figures(
        title=f"Backtest {start} to {end}: volume-weighted errors per interval",
        caption=f"bias = predicted − actual; intervals with at least {MIN_OFFERED} offered; "
        f"service level within {result.within * 60:g} s; {result.replications} "
        f"replication(s), seed {result.seed}",
    )
    for col in ("metric", "method", "actual", "mean abs. error", "bias", "intervals"):
        table.add_column(col, justify="left" if col in ("metric", "method") else "right")
    for e in result.errors.sort_values(["metric", "method"]).itertuples(index=False):
        table.add_row(
            e.metric,
            e.method,
            f"{e.actual:.4f}",
            f"{e.mae:.4f}",
            f"{e.bias:+.4f}",
            str(e.intervals),
        )
    out.print(table)
    for note in result.notes:  # (the console left them to backtest.html)
        if note != result.in_sample:
            out.print(note, markup=False)
    if out_dir is not None:
        out.print(f"backtest written to {printable(out_dir)}/", markup=False)


@app.command("forecast")
def forecast_command(
    log: Annotated[Path, typer.Argument(metavar="LOG", help="the contact log, or weekly totals")],
    format: TotalsFormat = "generic",
    channel: Annotated[
        str | None, typer.Option(metavar="CHANNEL", help="one channel (default: all)")
    ] = None,
    weeks: Annotated[int, typer.Option(min=1, max=260, metavar="N", help="weeks to forecast")] = 52,
    method: Annotated[
        str, typer.Option(metavar="METHOD", help="ets, mstl or seasonal_naive")
    ] = "ets",
    base: Annotated[
        float | None,
        typer.Option(
            parser=number_between(0.0, 1e12, low_open=True),
            metavar="N",
            help="contacts a week the factors are relative to (default: the "
            "mean of the log's last 52 weeks; give the scenario's weekly volume)",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="write the calendar `volume:` block here"
        ),
    ] = None,
    as_json: AsJson = False,
    strict: Strict = False,
) -> None:
    """Weekly volumes of a log (or weekly totals) forecast ahead, backtested against the
    seasonal naive."""
    import json

    import ccsim
    from ccsim.atomic import atomic_file, signed
    from ccsim.history import forecast as forecasts
    from ccsim.history.log import LogError

    if method not in forecasts.METHODS:
        fail_usage(f"--method: expected one of {', '.join(forecasts.METHODS)}, got {method!r}")
    if output is not None:
        out_ok(output, "--output", folder=False, ours=FORECAST_MARK)
    try:
        if format == "weekly":  # (a log is read here: its dropped rows said on stderr)
            _log_path(log)
            result = ccsim.forecast(log, weeks, method, channel, format)
        else:
            result = ccsim.forecast(_read(log, format, strict), weeks, method, channel)
    except LogError as exc:
        failed(exc.messages)
    except ValueError as exc:
        fail(f"{log}: {exc}")
    try:
        block = result.volume_block(base)
    except ValueError as exc:
        if base is not None:
            fail_usage(f"--base: {exc}")
        fail(f"{log}: {exc}")  # the base is then the log's own mean
    used = result.own_base if base is None else base
    whose = "the log's" if channel is None else f"{printable(channel)}'s"
    last = min(len(result.history), forecasts.SEASON)
    mean = f"(the mean of {whose} last {last} weeks)"
    used = round(used, 1) if used >= 1 else float(f"{used:.3g}")  # (--base 0.04 said 0)
    written = f"{used:,.1f}".removesuffix(".0") if used >= 1 else f"{used:g}"
    said = f"{written} contacts a week {'(--base)' if base is not None else mean}"
    if output is not None:
        lines = [
            f"{FORECAST_MARK} {result.method} from {log.name} "
            f"({len(result.history)} weeks of history); the start of a calendar: week 1 is",
            "# the week after the log; add headcount (docs/capacity.md). Its factors are relative",
            f"# to {said}: for a scenario",
            "# of another weekly volume, forecast again with --base at that volume",
            f"start: {result.predicted.index[0].date().isoformat()}",
            f"weeks: {weeks}",
            "volume:",
        ]
        # one channel's forecast is that channel's factors (a file's `volume` is every one's)
        indent = "  " if channel is None else "      "
        if channel is not None:
            lines += ["  channels:", f"    {json.dumps(channel)}:"]
        lines += [
            f"{indent}default: {block['default']}",
            f"{indent}weeks: {{" + ", ".join(f"{w}: {f}" for w, f in block["weeks"].items()) + "}",
        ]
        with atomic_file(output, FORECAST_MARK) as tmp:
            tmp.write_text(signed("\n".join(lines) + "\n"), encoding="utf-8")
    for note in result.notes:
        err.print(f"{log}: {note}", markup=False)
    doc = {
        "method": result.method,
        "notes": result.notes,
        "history_weeks": len(result.history),
        "first_week": result.predicted.index[0].date().isoformat(),
        "predicted": [round(float(v), 1) for v in result.predicted],
        "volume": block,
        "base": used,  # what `volume` is relative to
        "channel": channel,  # whose factors `volume` holds (null: every channel's)
        "base_from": "--base" if base is not None else "history",
        "backtest": json.loads(result.scores.to_json(orient="records")),
    }
    if as_json:
        print_json(doc)
        return
    table = result.scores.pivot(index="horizon", columns="method", values="mape")
    out.print(f"{len(result.history)} weeks of history; MAPE by horizon (weeks), rolling origins:")
    out.print(table.to_string(float_format=lambda x: f"{x:.1%}"), markup=False)
    out.print(
        f"forecast ({result.method}) from {doc['first_week']}: "
        f"{len(block['weeks'])} weeks differ from the base by more than 0.5 %; the base: {said}",
        markup=False,
    )
