"""Faults: Ctrl-C leaves no half-written output and exits 130 with one line; a Dask
worker killed mid-run has its replications recomputed, bit-identically."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import ccsim
from ccsim.cli import main as cli_main
from ccsim.experiment import runner
from ccsim.report import workbook
from conftest import SCENARIOS

GUARD = 300  # seconds: a hang guard for subprocesses, not a speed assertion


def cpu_seconds(pid: int) -> float:
    """CPU time a process and its children (worker processes) have used, from Linux's
    /proc: a way to wait until it is well into its work whatever the machine's speed."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # a process that just ended
        if stat.parent.name == str(pid) or fields[1] == str(pid):
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (its worker processes), from /proc."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if stat.read_text().rsplit(")", 1)[1].split()[1] == str(pid):
                out.append(int(stat.parent.name))
        except OSError:
            continue
    return out


def alive(pid: int) -> bool:
    """Whether `pid` still runs (a zombie waiting for its parent does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def interrupt_when_busy(
    args: list[str], cpu: float, cwd: Path, sig: int = signal.SIGINT, workers: list | None = None
) -> subprocess.CompletedProcess:
    """Start `ccsim ARGS`, send `sig` (SIGINT: Ctrl-C) once it has used `cpu` CPU seconds;
    the pids of its worker processes then go into `workers`."""
    p = subprocess.Popen(
        [sys.executable, "-m", "ccsim", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
        # a test run started in the background of a non-interactive shell ignores SIGINT,
        # and so would the child: give it the default disposition, as a terminal would
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + GUARD
    while p.poll() is None and cpu_seconds(p.pid) < cpu and time.monotonic() < deadline:
        time.sleep(0.1)
    assert p.poll() is None, "the command ended before it could be interrupted"
    if workers is not None:
        workers += children(p.pid)
    p.send_signal(sig)
    out, err = p.communicate(timeout=GUARD)
    return subprocess.CompletedProcess(p.args, p.returncode, out, err)


def assert_nothing_left(folder: Path, name: str) -> None:
    assert not (folder / name).exists()
    assert [p.name for p in folder.iterdir()] == [], "a temporary output was left behind"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
@pytest.mark.parametrize(
    "command",
    [
        ["run", str(SCENARIOS / "large_center.yaml"), "-n", "4", "-w", "2", "--report"],
        ["plan", str(SCENARIOS / "ecommerce_omnichannel.yaml"), "-w", "2", "--report"],
    ],
    ids=["run", "plan"],
)
def test_ctrl_c_leaves_no_output_and_exits_130(tmp_path, command):
    out = tmp_path / "out"
    out.mkdir()
    r = interrupt_when_busy([*command, "--out", str(out / "result")], cpu=6.0, cwd=tmp_path)
    assert r.returncode == 130, r.stderr
    *warnings, last = r.stderr.strip().splitlines()  # large_center.yaml's kept warning
    assert last == "ccsim: interrupted" and all(": warning: " in w for w in warnings), r.stderr
    assert_nothing_left(out, "result")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=["TERM", "HUP"])
def test_sigterm_and_sighup_stop_like_ctrl_c_and_leave_no_worker(tmp_path, sig):
    # `docker stop`, systemd and a cancelled CI job send SIGTERM: it ended the process at
    # once, its workers ran on for ever (holding the caller's pipes) and a hidden,
    # half-written output folder stayed behind
    out = tmp_path / "out"
    out.mkdir()
    command = ["run", str(SCENARIOS / "large_center.yaml"), "-n", "4", "-w", "2", "--report"]
    workers: list[int] = []
    r = interrupt_when_busy([*command, "--out", str(out / "result")], 6.0, tmp_path, sig, workers)
    assert r.returncode == 128 + sig, r.stderr
    assert r.stderr.strip().splitlines()[-1] == f"ccsim: stopped by {signal.Signals(sig).name}"
    assert_nothing_left(out, "result")
    assert len(workers) == 2 and not any(alive(w) for w in workers)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_under_nohup_a_closed_terminal_stops_neither_the_command_nor_its_workers(tmp_path):
    # SIGHUP ignored from the start (`nohup`): the workers reset it to the default and
    # died when the terminal's hangup reached the job's process group; the run failed
    p = subprocess.Popen(
        [sys.executable, "-m", "ccsim", "run", str(SCENARIOS / "ecommerce_omnichannel.yaml"),
         "-n", "40", "-w", "2", "--json", "-q"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
        start_new_session=True,  # its own process group, as a terminal's job
        preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN),
    )  # fmt: skip
    deadline = time.monotonic() + GUARD
    while p.poll() is None and len(children(p.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    while p.poll() is None and cpu_seconds(p.pid) < 3.0 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert p.poll() is None, "the run ended before the hangup"
    os.killpg(p.pid, signal.SIGHUP)  # the terminal closes
    out, err = p.communicate(timeout=GUARD)
    assert p.returncode == 0, err
    assert json.loads(out)["replications"] == 40


def test_main_called_in_a_process_leaves_its_signal_handlers_as_it_found_them(monkeypatch):
    # a notebook or a test calling ccsim.cli.main kept ccsim's handlers and hook after
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    hook = sys.unraisablehook
    monkeypatch.setattr(sys, "argv", ["ccsim", "validate", str(SCENARIOS / "erlang_check.yaml")])
    with pytest.raises(SystemExit) as done:
        cli_main()
    assert done.value.code == 0
    assert {s: signal.getsignal(s) for s in handlers} == handlers
    assert sys.unraisablehook is hook


HALF_A_RESULT = """
import os, struct, sys, time
from pathlib import Path

def send_half(index):
    # the header of a 1 MB message and 10 of its bytes in the result pipe
    result_queue = sys._getframe(2).f_locals["result_queue"]  # concurrent.futures' worker
    os.write(result_queue._writer.fileno(), struct.pack("!i", 1 << 20) + b"0" * 10)
    Path(f"sent-{index}").touch()

def half_a_result(s, seed, index, contacts):
    send_half(index)
    time.sleep(GUARD)  # until Ctrl-C stops it

def half_a_result_then_killed(s, seed, index, contacts):
    if index == 0:
        send_half(index)
        os._exit(9)  # killed (out of memory, say) in the middle of sending
    time.sleep(GUARD)  # the other worker, busy
""".replace("GUARD", str(GUARD))

STOPPED_WHILE_SENDING = """
import os, signal, sys, threading, time
from pathlib import Path
import ccsim
import halfway
from ccsim.experiment.runner import Runner, WorkerError

def press_ctrl_c():
    while not list(Path().glob("sent-*")):
        time.sleep(0.05)
    time.sleep(0.5)  # the pool's manager thread is now waiting for the rest of the message
    os.kill(os.getpid(), signal.SIGINT)

work = getattr(halfway, sys.argv[2])
if work is halfway.half_a_result:
    threading.Thread(target=press_ctrl_c, daemon=True).start()
try:
    with Runner(2, work=work) as runner:
        runner.run(ccsim.load(sys.argv[1]), 2, seed=1)
except KeyboardInterrupt:
    print("interrupted", flush=True)
except WorkerError as exc:
    print(exc, flush=True)
"""


@pytest.mark.parametrize(
    ("work", "said"),
    [
        ("half_a_result", "interrupted"),
        ("half_a_result_then_killed", "a worker process died while simulating"),
    ],
    ids=["ctrl-c", "killed"],
)
def test_a_worker_stopped_while_sending_its_result_does_not_hang(tmp_path, work, said):
    """A worker stopped half-way through sending its tables (by Ctrl-C, or killed) left
    the process pool's manager thread waiting for the rest for ever: Python's exit
    waited for that thread (a hang after "ccsim: interrupted": 2 of 21 plans interrupted
    in a reproduction, and once in CI), and a killed worker never broke the pool."""
    (tmp_path / "halfway.py").write_text(HALF_A_RESULT)
    (tmp_path / "main.py").write_text(STOPPED_WHILE_SENDING)
    paths = [str(tmp_path), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    r = subprocess.run(
        [sys.executable, "main.py", str(SCENARIOS / "small_shop.yaml"), work],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=GUARD,
    )
    assert list(tmp_path.glob("sent-*")), "no worker got as far as sending: " + r.stderr
    assert r.stdout.startswith(said), r.stdout + r.stderr
    assert r.returncode == 0, r.stderr


def test_ctrl_c_while_writing_a_report_keeps_the_old_one_and_no_temporary_file(
    tmp_path, monkeypatch
):
    folder = ccsim.save(
        ccsim.simulate(ccsim.load(SCENARIOS / "small_shop.yaml"), 1), tmp_path / "r"
    )
    (folder / "report.xlsx").write_text("the report of yesterday")
    before = sorted(p.name for p in folder.iterdir())

    def pressed_ctrl_c(report):
        raise KeyboardInterrupt

    monkeypatch.setattr(workbook, "build", pressed_ctrl_c)
    monkeypatch.setattr(sys, "argv", ["ccsim", "report", str(folder)])
    from ccsim.cli import main

    with pytest.raises(SystemExit) as stopped:
        main()
    assert stopped.value.code == 130
    assert (folder / "report.xlsx").read_text() == "the report of yesterday"
    assert sorted(p.name for p in folder.iterdir()) == before


def test_ctrl_c_while_writing_an_output_folder_keeps_the_old_one(tmp_path, monkeypatch):
    r = ccsim.simulate(ccsim.load(SCENARIOS / "small_shop.yaml"), 1)
    folder = ccsim.save(r, tmp_path / "r")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    monkeypatch.setattr(workbook, "build", lambda report: (_ for _ in ()).throw(KeyboardInterrupt))
    with pytest.raises(KeyboardInterrupt):
        ccsim.save(ccsim.simulate(r.scenario, 2), folder, report=True)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["r"]


def test_a_dask_worker_killed_mid_run_is_recomputed_bit_identically():
    distributed = pytest.importorskip("dask.distributed")
    busy = ccsim.with_changes(
        ccsim.load(SCENARIOS / "ecommerce_omnichannel.yaml"),
        {f"arrivals.{c}.weekly": "*8" for c in ("phone", "chat", "email", "whatsapp", "social")},
    )
    serial = runner.run(busy, 6, seed=3, workers=1)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        pids = sorted(client.run(os.getpid).values())
        done: list[int] = []  # replications finished when the worker was killed

        def kill_one_worker() -> None:
            time.sleep(1.0)  # well into the first replications (each takes seconds)
            done.append(len(progressed))
            os.kill(pids[0], signal.SIGKILL)

        progressed: list[int] = []
        killer = threading.Thread(target=kill_one_worker)
        killer.start()
        killed = runner.run(
            busy, 6, seed=3, scheduler=client, progress=lambda n, total: progressed.append(n)
        )
        killer.join()
        assert done and done[0] < 6  # killed while replications were still running
        assert pids[0] not in client.run(os.getpid).values()  # that worker did die
    assert killed.summary.equals(serial.summary)
    assert killed.intervals.equals(serial.intervals) and killed.groups.equals(serial.groups)
