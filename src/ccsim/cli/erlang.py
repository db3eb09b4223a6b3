"""`ccsim erlang c|a`: the analytic Erlang C / Erlang A calculator on the command line."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Annotated

import typer

from ccsim.cli.common import (
    AsJson,
    agent_counts,
    fail,
    fail_usage,
    minutes_said,
    number,
    out,
    positive_duration,
    share,
    threshold,
)
from ccsim.report.terminal import Figures
from ccsim.scenario.units import format_duration

erlang_app = typer.Typer(
    help="Analytic Erlang C / Erlang A calculator: service level, P(wait), abandonment, ASA "
    "and required agents.",
    no_args_is_help=True,
)

_MAX_AGENTS = 100_000  # search limit of the required-agents functions
_MAX_ROWS = 1_000

CallsOpt = Annotated[
    float | None, typer.Option(parser=number, metavar="N", help="contacts offered per --per period")
]
PerOpt = Annotated[
    float | None,
    typer.Option(
        parser=positive_duration,
        metavar="DURATION",
        help="period the --calls arrive in, e.g. 30min or 1h",
    ),
]
RateOpt = Annotated[
    float | None,
    typer.Option(
        parser=number, metavar="N", help="arrival rate in contacts per minute (instead of --calls)"
    ),
]
AhtOpt = Annotated[
    float | None,
    typer.Option(
        parser=minutes_said("--aht", positive_duration),
        metavar="DURATION",
        help="mean handle time, e.g. 3min or 180s (required; a bare number: minutes)",
    ),
]
AgentsOpt = Annotated[
    list[str] | None,  # each a tuple of counts, parsed by agent_counts
    typer.Option(
        parser=agent_counts(_MAX_AGENTS, _MAX_ROWS),
        metavar="N|LO-HI",
        help="agent counts to evaluate: repeat the option, or give a range 12-16 or a list 12,14",
    ),
]
WithinOpt = Annotated[
    float,
    typer.Option(
        parser=threshold, metavar="DURATION", help="service-level threshold (answered within)"
    ),
]
PatienceOpt = Annotated[
    float | None,
    typer.Option(
        parser=minutes_said("--patience", positive_duration),
        metavar="DURATION",
        help="mean patience before abandoning, e.g. 5min (required; a bare number: minutes)",
    ),
]
TargetOpt = Annotated[
    float | None,
    typer.Option(
        parser=share,
        metavar="SHARE",
        help="service-level target (0.8 or 80%); prints required agents",
    ),
]
MaxAbandonOpt = Annotated[
    float | None,
    typer.Option(
        parser=share, metavar="SHARE", help="abandon-rate limit (0.05 or 5%) for required agents"
    ),
]


@dataclass(frozen=True)
class _ErlangQuery:
    """Validated `ccsim erlang` inputs: times in minutes, rate per minute."""

    model: str  # "erlang_c" or "erlang_a"
    rate: float
    aht: float
    within: float
    patience: float | None
    target: float | None
    max_abandon: float | None
    agents: tuple[int, ...]  # empty: show a few counts around the required one

    @property
    def load(self) -> float:
        """Offered load in Erlangs."""
        return self.rate * self.aht

    @property
    def has_goal(self) -> bool:
        """True when required agents are asked for (--target or --max-abandon)."""
        return self.target is not None or self.max_abandon is not None


@erlang_app.command("c")
def erlang_c_command(
    calls: CallsOpt = None,
    per: PerOpt = None,
    rate: RateOpt = None,
    aht: AhtOpt = None,
    agents: AgentsOpt = None,
    within: WithinOpt = "20s",  # type: ignore[assignment]  # the parser converts it
    target: TargetOpt = None,
    as_json: AsJson = False,
) -> None:
    """Erlang C (M/M/n, nobody abandons): service level, P(wait), ASA, required agents.

    Example: ccsim erlang c --calls 100 --per 30min --aht 3min --agents 13-15 --target 0.8
    """
    query = _query("erlang_c", calls, per, rate, aht, agents, within, target, None, None)
    _erlang_report(query, as_json)


@erlang_app.command("a")
def erlang_a_command(
    calls: CallsOpt = None,
    per: PerOpt = None,
    rate: RateOpt = None,
    aht: AhtOpt = None,
    patience: PatienceOpt = None,
    agents: AgentsOpt = None,
    within: WithinOpt = "20s",  # type: ignore[assignment]  # the parser converts it
    target: TargetOpt = None,
    max_abandon: MaxAbandonOpt = None,
    as_json: AsJson = False,
) -> None:
    """Erlang A (M/M/n+M, callers abandon): also P(abandon) and mean wait of all offered.

    Example: ccsim erlang a --rate 3.33 --aht 3min --patience 5min --target 80% --max-abandon 5%
    """
    if patience is None:
        fail_usage("missing option --patience (a duration like 5min)")
    query = _query("erlang_a", calls, per, rate, aht, agents, within, target, patience, max_abandon)
    _erlang_report(query, as_json)


def _query(model, calls, per, rate, aht, agents, within, target, patience, max_abandon):
    """The parsed options as a query; a missing or contradictory option exits 2."""
    if aht is None:
        fail_usage("missing option --aht (a duration like 3min or 180s)")
    counts = tuple(sorted({n for group in agents or [] for n in group}))
    if len(counts) > _MAX_ROWS:
        fail_usage(f"--agents: more than {_MAX_ROWS} agent counts")
    query = _ErlangQuery(
        model, _arrival_rate(calls, per, rate), aht, within, patience, target, max_abandon, counts
    )
    if not query.agents and not query.has_goal:
        goal = "--target SL" + (" or --max-abandon SHARE" if model == "erlang_a" else "")
        fail_usage(f"give --agents N (or a range like 12-16), {goal}, or both")
    return query


def _arrival_rate(calls: float | None, per: float | None, rate: float | None) -> float:
    """Arrivals per minute from either `--calls N --per PERIOD` or `--rate R`."""
    if rate is not None and (calls is not None or per is not None):
        fail_usage("give either --calls N --per PERIOD or --rate R, not both")
    if rate is not None:
        return rate
    if calls is None and per is None:
        fail_usage(
            "missing arrivals: give --calls N --per PERIOD (e.g. --calls 100 --per 30min) "
            "or --rate R (contacts per minute)"
        )
    if calls is None:
        fail_usage("--per needs --calls N (the contacts offered in that period)")
    if per is None:
        fail_usage("--calls needs --per PERIOD (e.g. --per 30min)")
    return calls / per


def _erlang_report(query: _ErlangQuery, as_json: bool) -> None:
    """Compute the rows and required agents, then print them as JSON or a table."""
    required, out_of_reach = _required_agents(query)
    counts = query.agents or _counts_around(query, required)
    rows = [_erlang_row(query, n) for n in counts]
    if as_json:
        print(json.dumps(_erlang_document(query, rows, required, out_of_reach), indent=2))
    else:
        _print_erlang(query, rows, required, out_of_reach)


def _required_agents(q: _ErlangQuery) -> tuple[int | None, str | None]:
    """Fewest agents meeting the target(s), or why no count does (an answer: exit 0).

    (None, None) without a goal.
    """
    from ccsim import erlang  # here, not at the top: `ccsim --help` starts quicker

    if not q.has_goal:
        return None, None
    try:
        if q.model == "erlang_c":
            return erlang.required_agents_erlang_c(
                q.rate, q.aht, q.within, q.target, max_agents=_MAX_AGENTS
            ), None
        return erlang.required_agents_erlang_a(
            q.rate, q.aht, q.patience, q.within, q.target or 0.0, q.max_abandon, _MAX_AGENTS
        ), None
    except ValueError as exc:
        return None, f"{_goal_text(q)} cannot be met: {exc}"


def _counts_around(q: _ErlangQuery, required: int | None) -> tuple[int, ...]:
    """required-2 .. required+2, dropping counts < 1 (and unstable ones for Erlang C).

    No rows when the goal is out of reach and no --agents were given.
    """
    if required is None:
        return ()
    low = math.floor(q.load) + 1 if q.model == "erlang_c" else 1
    return tuple(n for n in range(required - 2, required + 3) if n >= max(low, 1))


def _erlang_row(q: _ErlangQuery, agents: int) -> dict:
    """One table row; times in seconds, inf when the queue is unstable."""
    from ccsim import erlang

    if q.model == "erlang_c":
        stable = q.load < agents
        return {
            "agents": agents,
            "occupancy": min(q.load / agents, 1.0),
            "p_wait": erlang.erlang_c(q.load, agents),
            "service_level": erlang.erlang_c_service_level(q.rate, q.aht, agents, q.within),
            "asa_s": erlang.erlang_c_asa(q.rate, q.aht, agents) * 60.0,
            "stable": stable,
        }
    try:
        r = erlang.erlang_a(q.rate, q.aht, q.patience, agents, q.within)
    except ValueError as exc:
        fail(f"Erlang A with {agents} agents: {exc}")
    return {
        "agents": agents,
        "occupancy": r.occupancy,
        "p_wait": r.p_wait,
        "service_level": r.service_level,
        "asa_s": r.asa * 60.0,
        "p_abandon": r.p_abandon,
        "wait_mean_s": r.mean_wait * 60.0,
    }


def _json_number(x: object) -> object:
    """JSON has no infinity: infinite or NaN floats become null."""
    return x if not isinstance(x, float) or math.isfinite(x) else None


def _erlang_document(
    q: _ErlangQuery, rows: list[dict], required: int | None, out_of_reach: str | None
) -> dict:
    """The `--json` document of `ccsim erlang`."""
    doc: dict = {
        "model": q.model,
        "arrival_rate_per_min": q.rate,
        "aht_s": q.aht * 60.0,
        "within_s": q.within * 60.0,
        "load_erlangs": q.load,
    }
    if q.patience is not None:
        doc["patience_s"] = q.patience * 60.0
    doc["target"] = q.target
    if q.model == "erlang_a":
        doc["max_abandon"] = q.max_abandon
    doc["rows"] = [{k: _json_number(v) for k, v in row.items()} for row in rows]
    doc["required_agents"] = required
    doc["out_of_reach"] = out_of_reach
    return doc


def _duration_text(minutes: float) -> str:
    """`20s`, `3min`, `1.5h`; `0s` for zero."""
    return format_duration(minutes) if minutes else "0s"


def _percent(share: float) -> str:
    """0.8 -> `80%`."""
    return f"{share * 100:g}%"


def _goal_text(q: _ErlangQuery) -> str:
    """`SL ≥ 80% in 20s and abandon ≤ 5%`."""
    parts = []
    if q.target is not None:
        parts.append(f"SL ≥ {_percent(q.target)} in {_duration_text(q.within)}")
    if q.max_abandon is not None:
        parts.append(f"abandon ≤ {_percent(q.max_abandon)}")
    return " and ".join(parts)


def _print_erlang(
    q: _ErlangQuery, rows: list[dict], required: int | None, out_of_reach: str | None
) -> None:
    """Human output: the inputs, one table row per agent count, the required agents."""
    name = "Erlang C" if q.model == "erlang_c" else "Erlang A"
    inputs = (
        f"{name}: {q.rate:.4g} contacts/min × AHT {_duration_text(q.aht)} = "
        f"{q.load:.2f} Erlangs; service level = answered within {_duration_text(q.within)}"
    )
    if q.patience is not None:
        inputs += f"; mean patience {_duration_text(q.patience)}"
    out.print(inputs, markup=False)
    if rows:
        out.print(_erlang_table(q, rows, required))
    if required is not None:
        out.print(f"required agents for {_goal_text(q)}: {required}", markup=False)
    if out_of_reach is not None:
        out.print(f"required agents: out of reach — {out_of_reach}", markup=False)


def _erlang_table(q: _ErlangQuery, rows: list[dict], required: int | None) -> Figures:
    """A rich table; seconds with 2 decimals, probabilities with 4."""
    is_a = q.model == "erlang_a"
    headers = ["agents", "occupancy", "P(wait)", f"SL ({_duration_text(q.within)})", "ASA (s)"]
    if is_a:
        headers += ["P(abandon)", "mean wait (s)"]
    notes = [_row_note(q, row, required) for row in rows]
    table = Figures(*headers, *(["note"] if any(notes) else []))
    for column in table.columns[: len(headers)]:
        column.justify = "right"
    for row, note in zip(rows, notes, strict=True):
        cells = [str(row["agents"])]
        cells += [f"{row[k]:.4f}" for k in ("occupancy", "p_wait", "service_level")]
        cells.append(f"{row['asa_s']:.2f}" if math.isfinite(row["asa_s"]) else "inf")
        if is_a:
            cells += [f"{row['p_abandon']:.4f}", f"{row['wait_mean_s']:.2f}"]
        table.add_row(*cells, *([note] if any(notes) else []))
    return table


def _row_note(q: _ErlangQuery, row: dict, required: int | None) -> str:
    """`unstable (load ≥ agents)` or `required` for the row that meets the goal first."""
    if not row.get("stable", True):
        return f"unstable (load {q.load:.2f} ≥ agents)"
    return "← required" if row["agents"] == required else ""
