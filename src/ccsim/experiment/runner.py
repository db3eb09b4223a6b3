"""Replications on this process, a local process pool or a Dask cluster — same results.

Replication r is seeded by the r-th child of SeedSequence(seed) and computed by the
same function wherever it runs, so the result is bit-identical for any number of
workers, on one machine or on a dask.distributed cluster. Each replication is measured
where it runs, as soon as it finishes; only its tables travel back (and the per-contact
records when asked for), so memory stays that of one replication plus the tables.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import numpy as np

from ccsim.experiment import counts
from ccsim.experiment.errors import WorkerError
from ccsim.experiment.result import Result
from ccsim.measure.tables import Tables, measure
from ccsim.model.replication import Replication, run_replication
from ccsim.model.streams import replication_seed
from ccsim.scenario.model import Scenario

Progress = Callable[[int, int], None]  # (replications done, replications in all)
Output = tuple[Tables, Replication | None]
Job = tuple[Scenario, int]  # a scenario and the index of one of its replications
WATCH = 1.0  # seconds: how often a wait for a worker's result checks the workers live


def replicate(s: Scenario, seed: np.random.SeedSequence, index: int, contacts: bool) -> Output:
    """One replication, measured; the unit of work sent to a worker."""
    rep = run_replication(s, seed, index)
    return measure(s, rep), (rep if contacts else None)


def _ignore_interrupts() -> None:
    """In a worker process: Ctrl-C is the parent's to handle (it stops the pool); a
    SIGTERM or SIGHUP sent to the worker itself ends it, as by default (the command
    line's handlers of them, inherited on fork, are the parent's) — unless it was
    ignored from the start (`nohup`: a closed terminal must not kill the workers)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name) and signal.getsignal(getattr(signal, name)) != signal.SIG_IGN:
            signal.signal(getattr(signal, name), signal.SIG_DFL)


def default_workers() -> int:
    """Worker processes used when none is asked for: the machine's cores."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def worker_count(workers: int | None) -> int:
    """The local worker processes asked for (a whole number, at least 1, as `--workers`
    takes); None: the machine's cores (`default_workers`). 0 is refused: it meant every
    core, which a notebook's `workers=0` ("no extra processes") did not expect."""
    if workers is None:
        return default_workers()
    try:
        return counts.whole(workers, "workers")
    except ValueError as exc:
        raise ValueError(f"{exc} (None: the machine's cores)") from None


class Runner:
    """Runs replications on workers kept between runs: a local process pool (default:
    the machine's cores; 1 = in this process) or a dask.distributed cluster at
    `scheduler` (an address, or a Client). The planner runs many short experiments and
    reuses one Runner."""

    def __init__(
        self,
        workers: int | None = None,
        scheduler: str | object | None = None,
        work: Callable[..., Output] = replicate,
    ):
        self.workers = worker_count(workers)
        self.work = work  # the unit of work: replicate(s, seed, index, contacts)
        self.scheduler = scheduler
        self._pool: ProcessPoolExecutor | None = None
        self._client = None

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Shut the pool down (or leave the Dask cluster)."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def _worker_processes(self) -> list:
        """The pool's worker processes (none once it is shut down)."""
        return list((getattr(self._pool, "_processes", None) or {}).values())

    def _stop_now(self) -> None:
        """Interrupted, or a worker died: stop the worker processes at once rather than
        let their replications run to the end (the results would be thrown away)."""
        if self._pool is not None:
            processes = self._worker_processes()
            for process in processes:
                process.terminate()
            for process in processes:
                process.join(timeout=10)
            # a worker killed while sending its tables leaves half a message in the
            # result pipe, and the pool's manager thread waits for the rest for ever;
            # Python's exit joins that thread: a hang after "interrupted" (2 of 21
            # plans interrupted in a reproduction, 0 of 60 with this). With the workers
            # dead, this process holds the pipe's last writer: closing it turns that
            # wait into end-of-file, which the manager thread handles as a broken pool.
            results = getattr(self._pool, "_result_queue", None)
            if results is not None:
                results._writer.close()
            # its manager thread sees the workers die and closes its pipes; wait for it,
            # or Python's exit may write to a pipe it is closing ("Bad file descriptor"
            # printed after "interrupted": 3 exits in 60 in a reproduction, 0 with this)
            manager = getattr(self._pool, "_executor_manager_thread", None)
            if manager is not None:
                manager.join(timeout=10)
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        if self._client is not None and isinstance(self.scheduler, str):
            self._client.close()
        self._client = None

    def run(
        self,
        s: Scenario,
        replications: int,
        seed: int,
        contacts: bool = False,
        progress: Progress | None = None,
        first: int = 0,
    ) -> Result:
        """Replications first..first+replications-1 of `s` under `seed`."""
        jobs = [(s, index) for index in range(first, first + replications)]
        outputs = self._compute(jobs, seed, contacts, progress)
        tables = [t for t, _ in outputs]
        reps = [r for _, r in outputs if r is not None]
        return Result(s, seed, tables, reps if contacts else None)

    def tables(self, jobs: Sequence[Job], seed: int) -> list[Tables]:
        """The measured tables of replication `index` of each `(scenario, index)` job under
        `seed`, in the order asked, computed as one batch on the workers — say, the same
        replication of several rosters (the planner judges rosters replication by
        replication, `ccsim.planning.search`)."""
        return [t for t, _ in self._compute(jobs, seed, False, None)]

    def _compute(
        self, jobs: Sequence[Job], seed: int, contacts: bool, progress: Progress | None
    ) -> list[Output]:
        if not jobs:
            return []
        units = [(s, replication_seed(seed, index), index) for s, index in jobs]
        if self.scheduler is not None:
            return self._on_dask(units, contacts, progress)
        if self.workers <= 1 or len(units) == 1:
            outputs = []
            for s, ss, index in units:
                outputs.append(self.work(s, ss, index, contacts))
                if progress:
                    progress(len(outputs), len(units))
            return outputs
        return self._on_pool(units, contacts, progress)

    def _on_pool(self, units, contacts, progress) -> list[Output]:
        outputs = []
        try:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(self.workers, initializer=_ignore_interrupts)
            futures = [self._pool.submit(self.work, s, ss, i, contacts) for s, ss, i in units]
            for future in futures:
                outputs.append(self._result(future))
                if progress:
                    progress(len(outputs), len(units))
        except KeyboardInterrupt:
            self._stop_now()
            raise
        except BrokenProcessPool as exc:
            self._pool = None
            raise WorkerError(
                "a worker process died while simulating (out of memory or killed?); "
                "try fewer --workers or fewer replications at once"
            ) from exc
        return outputs

    def _result(self, future: Future) -> Output:
        """A worker's output. A worker that dies half-way through sending its tables
        (killed, out of memory) leaves the pool's manager thread waiting for the rest for
        ever, and the pool never breaks: so the wait looks at the workers every WATCH
        seconds and, finding one dead, stops them all (`_stop_now`): the pool is broken."""
        while True:
            try:
                return future.result(timeout=WATCH)
            except TimeoutError:
                if any(process.exitcode is not None for process in self._worker_processes()):
                    self._stop_now()
                    raise BrokenProcessPool("a worker process died") from None

    def _on_dask(self, units, contacts, progress) -> list[Output]:
        try:
            from dask.distributed import Client, as_completed
        except ImportError as exc:
            raise WorkerError(
                "--scheduler needs dask.distributed: pip install 'ccsim[dask]'"
            ) from exc
        if self._client is None:
            try:
                self._client = (
                    Client(self.scheduler, timeout="10s")
                    if isinstance(self.scheduler, str)
                    else self.scheduler
                )
            except (OSError, ValueError) as exc:  # ValueError: not an address
                raise WorkerError(
                    f"cannot reach the Dask scheduler at {self.scheduler}: {exc}"
                ) from exc
        client = self._client
        try:
            futures = [
                client.submit(self.work, s, ss, i, contacts, pure=False) for s, ss, i in units
            ]
            for done, _ in enumerate(as_completed(futures), start=1):
                if progress:
                    progress(done, len(units))
            return [f.result() for f in futures]
        except Exception as exc:  # a task that failed on the cluster more than it may
            raise WorkerError(f"the Dask cluster could not finish the replications: {exc}") from exc


def run(
    s: Scenario,
    replications: int,
    seed: int,
    workers: int | None = None,
    scheduler: str | object | None = None,
    contacts: bool = False,
    progress: Progress | None = None,
    first: int = 0,
) -> Result:
    """Replications first..first+replications-1 of `s` under `seed`, in parallel.

    `workers`: local processes (default: the machine's cores; 1 = in this process).
    `scheduler`: a dask.distributed scheduler (tcp://host:8786, or a Client) instead.
    """
    if scheduler is None:
        workers = min(worker_count(workers), max(replications, 1))
    with Runner(workers, scheduler) as runner:
        return runner.run(s, replications, seed, contacts, progress, first)


def run_to_precision(
    s: Scenario,
    replications: int,
    seed: int,
    precision: float,
    max_replications: int = 200,
    **options,
) -> Result:
    """Add replications (doubling) until every service-level CI half-width ≤ precision,
    or `max_replications` is reached (the first run too is capped by it; one
    replication has no CI: not reached)."""
    result = run(s, min(replications, max_replications), seed, **options)
    while len(result.tables) < max_replications and not reached(result, precision):
        more = min(len(result.tables), max_replications - len(result.tables))
        result = result + run(s, more, seed, first=len(result.tables), **options)
    return result


class PrecisionNotReached(UserWarning):
    """`precision` asked of a run was not reached before `max_replications`."""


def shortfall(result: Result, precision: float, cap: str = "max_replications") -> str | None:
    """Why a run to `precision` stopped short of it (None: it reached it): the
    replications run (`cap` names the limit) and the widest service-level CI half-width."""
    if reached(result, precision):
        return None
    n = len(result.tables)
    widest = f"is {widest_service_ci(result):.4f}" if n > 1 else "is unknown (one has no CI)"
    runs = f"{n} replication" + "s" * (n != 1)
    return (
        f"precision {precision:g} not reached in {runs} ({cap}): the widest service-level "
        f"CI half-width {widest}"
    )


def reached(result: Result, precision: float) -> bool:
    """Every service-level CI half-width ≤ precision, on 2 replications or more (one
    has no interval: its CI is the estimate itself)."""
    return len(result.tables) >= 2 and widest_service_ci(result) <= precision


def widest_service_ci(result: Result) -> float:
    """Largest 95% CI half-width over the service-level estimates (0 if none)."""
    est = result.estimates()
    sl = est[est["metric"].str.startswith("sl_")]
    half = (sl["ci_high"] - sl["ci_low"]) / 2
    return float(half.max()) if len(half) else 0.0
