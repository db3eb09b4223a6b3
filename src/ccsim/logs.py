"""The application layer for contact logs: read one, fit a scenario to it, forecast its
weekly volumes, replay a period of it (`ccsim.read_log`, `ccsim.fit`, `ccsim.forecast`,
`ccsim.backtest`; `ccsim fit`, `forecast`, `backtest`).

Apart from api.py so that a run, a plan or a check loads neither the history package
nor scipy.stats, which only fitting needs (about 0.9 s of every `ccsim run` until
2026-12-07; docs/architecture.md, "Start-up").
"""

from __future__ import annotations

import warnings
from datetime import date
from pathlib import Path

import pandas as pd

from ccsim.experiment.runner import Progress
from ccsim.history import backtest as history_backtest
from ccsim.history import fit as history_fit
from ccsim.history import forecast as history_forecast
from ccsim.history import log as history_log
from ccsim.history import staffing as history_staffing
from ccsim.history import totals as history_totals
from ccsim.scenario.loader import valid
from ccsim.scenario.model import Scenario
from ccsim.scenario.units import duration_argument

__all__ = ["backtest", "fit", "forecast", "read_log"]


def read_log(path: str | Path, format: str = "generic", strict: bool = False) -> history_log.Log:
    """A contact log as one tidy table (`ccsim.history.log`; format: generic, bank, or a
    column-mapping .yaml file); bad rows dropped and counted, or refused when `strict`."""
    return history_log.read(path, format, strict)


def _as_log(log: history_log.Log | str | Path, format: str, strict: bool) -> history_log.Log:
    if isinstance(log, history_log.Log):
        return log
    if not isinstance(log, str | Path):  # (a DataFrame: "expected str, bytes or os.PathLike")
        raise TypeError(
            f"expected a contact log's path or a Log (ccsim.read_log(path)), got "
            f"{type(log).__name__}"
        )
    return read_log(log, format, strict)


def fit(
    log: history_log.Log | str | Path,
    first: str | date | None = None,
    last: str | date | None = None,
    *,
    format: str = "generic",
    interval: float | str = 60.0,
    strict: bool = False,
    gap: float | str = history_staffing.GAP_MINUTES,
) -> history_fit.Fit:
    """A scenario fitted to the contacts of `log` (a Log, or a path read with `format`)
    that arrived on the dates first..last; `interval`: minutes of its profiles; `gap`:
    the staffing reconstruction's rule (see `backtest`). Both also as durations with
    their unit (`'30min'`)."""
    interval = duration_argument(interval, "interval")
    gap = duration_argument(gap, "gap")
    return history_fit.fit(_as_log(log, format, strict), first, last, interval, gap=gap)


def forecast(
    log: history_log.Log | str | Path | pd.Series,
    weeks: int = 52,
    method: str = "ets",
    channel: str | None = None,
    format: str = "generic",
    strict: bool = False,
) -> history_forecast.VolumeForecast:
    """Weekly volumes of a contact log — or weekly totals: a file read with
    `format="weekly"` (`ccsim.history.totals`), or a Series of contacts indexed by the
    Mondays — forecast `weeks` ahead (ets, mstl or seasonal_naive), with every method's
    rolling-origin backtest; `.volume_block()` is the capacity calendar's `volume:`
    (`ccsim.history.forecast`, docs/capacity.md). `strict`: refuse a log with bad rows
    instead of dropping them (as `read_log`)."""
    if isinstance(log, pd.Series):
        if channel is not None:
            raise ValueError(
                "channel: a Series has no channels to pick from; give that channel's weekly totals"
            )
        return history_forecast.forecast_weekly(log, weeks, method)
    if format == "weekly" and not isinstance(log, history_log.Log):
        totals = history_totals.read(log, channel)
        return history_forecast.forecast_weekly(totals, weeks, method, "the file has {} weeks")
    return history_forecast.forecast_log(_as_log(log, format, strict), weeks, method, channel)


def backtest(
    s: Scenario,
    log: history_log.Log | str | Path,
    first: str | date,
    last: str | date,
    *,
    format: str = "generic",
    within: float | str = 20 / 60,
    replications: int = 20,
    seed: int | None = None,
    interval: float | str = 60.0,
    gap: float | str = history_staffing.GAP_MINUTES,
    workers: int | None = None,
    progress: Progress | None = None,
    memory_limit: str | float | None = None,
    strict: bool = False,
) -> history_backtest.Backtest:
    """Replay the log's dates first..last with scenario `s` and set its predictions per
    interval (`interval` minutes) beside what happened, and beside Erlang C and A, the
    service level counting what is answered within `within` minutes (20/60: 20 s). `gap`:
    the staffing reconstruction's rule — an agent's work block ends at a pause longer
    than `gap` minutes between handled contacts (docs/history.md). `within`, `interval`
    and `gap` also as durations with their unit (`within='20s'`)."""
    within, interval, gap = (
        duration_argument(v, name)
        for v, name in ((within, "within"), (interval, "interval"), (gap, "gap"))
    )
    b = history_backtest.backtest(
        valid(s), _as_log(log, format, strict), first, last, within, replications, seed, interval,
        gap, workers=workers, progress=progress, memory_limit=memory_limit,
    )  # fmt: skip
    if b.in_sample is not None:
        warnings.warn(b.in_sample, history_backtest.InSampleBacktest, stacklevel=2)
    return b
