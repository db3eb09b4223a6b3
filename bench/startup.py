"""How long a `ccsim` command takes from start to finish, as a whole process.

    python bench/startup.py [--runs N] [--src DIR]

Runs each command below N times (default 7, after one run not counted) with this
Python and this checkout's `src/` first on the path, and prints the median and the range
of the wall times; a command that fails stops the bench (a quick exit 2 is no speed-up).
`--src DIR` times another checkout's `src/` instead, to compare two versions in the same
hour. The quick commands — help, validate, the Erlang
calculator — are what a CI pipeline or a planner at the terminal waits for most often;
until 2026-12-07 each of them paid for importing the whole API first
(docs/architecture.md, "Start-up").
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = {
    "ccsim --help": ["--help"],
    "ccsim validate small_shop.yaml": ["validate", "scenarios/small_shop.yaml"],
    "ccsim erlang c (README)": [
        *("erlang", "c", "--calls", "100", "--per", "30min", "--aht", "3min"),
        *("--agents", "13-15", "--target", "0.8"),
    ],
    "ccsim run small_shop.yaml -n 1": ["run", "scenarios/small_shop.yaml", "-n", "1", "-w", "1"],
}


def wall_times(args: list[str], runs: int, env: dict[str, str]) -> list[float]:
    """The wall seconds of `runs` runs of `python -m ccsim ARGS` (one more first, not
    counted: it warms the file cache)."""
    times = []
    for i in range(runs + 1):
        start = time.perf_counter()
        r = subprocess.run(
            [sys.executable, "-m", "ccsim", *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        if r.returncode != 0:
            raise SystemExit(f"ccsim {' '.join(args)}: exit {r.returncode}\n{r.stderr}")
        if i:
            times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--src", type=Path, help="another checkout's src/ to time instead")
    a = parser.parse_args()
    src = (a.src or ROOT / "src").resolve()
    path = os.pathsep.join([str(src), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "PYTHONPATH": path}
    print(f"timing {src}")
    print(f"{'command':<34} {'median':>8} {'min':>7} {'max':>7}  ({a.runs} runs)")
    for name, args in COMMANDS.items():
        t = wall_times(args, a.runs, env)
        print(f"{name:<34} {statistics.median(t):7.2f}s {min(t):6.2f}s {max(t):6.2f}s")


if __name__ == "__main__":
    main()
