"""The `ccsim` typer application and its entry point.

Exit codes: 0 ok, 1 invalid input / targets not met, 2 usage error, 130 interrupted;
stopped by SIGTERM or SIGHUP, 128 + the signal (143, 129) after the same clean-up.
Usage errors (an unknown option, a bad option value) print one `ccsim: error: …` line.
"""

from __future__ import annotations

import difflib
import os
import re
import signal
import sys
import threading
from collections.abc import Callable
from typing import Annotated

import typer

from ccsim.atomic import OutputError
from ccsim.cli import streams
from ccsim.cli.common import (
    EXIT_FAIL,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    err,
    forget_json,
    report_failure,
)
from ccsim.experiment.errors import WorkerError
from ccsim.model.errors import WorkLimitError
from ccsim.planning.errors import PlanError
from ccsim.scenario.problems import InputError
from ccsim.version import __version__

try:  # typer vendors click (0.2x and later)
    from typer._click.exceptions import NoArgsIsHelpError, NoSuchOption, UsageError
except ImportError:  # pragma: no cover - typer on an external click
    from click.exceptions import NoArgsIsHelpError, NoSuchOption, UsageError

app = typer.Typer(
    name="ccsim",
    help="Contact-center capacity planning by simulation.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _print_version(asked: bool) -> None:
    if asked:
        typer.echo(f"ccsim {__version__}")
        raise typer.Exit()


@app.callback()
def _command_begins(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="print ccsim's version"
        ),
    ] = False,
) -> None:
    forget_json()  # (before the command's options are parsed)


_PHRASES = (  # typer's bounds checks speak pydantic: say them the way the rest does
    (
        re.compile(r"Input should be greater than or equal to (\S+)"),
        r"expected a value at least \1",
    ),
    (re.compile(r"Input should be less than or equal to (\S+)"), r"expected a value at most \1"),
    (re.compile(r"Input should be greater than (\S+)"), r"expected a value greater than \1"),
    (re.compile(r"Input should be less than (\S+)"), r"expected a value less than \1"),
    (
        re.compile(r"Input should be a valid integer, unable to parse string as an integer"),
        "expected a whole number",
    ),
)


def _plain(message: str) -> str:
    message = message.replace("Value error, ", "")
    for pattern, words in _PHRASES:
        message = pattern.sub(words, message)
    return message


def _suggest(exc: NoSuchOption, argv: list[str]) -> str:
    """`No such option: --rep; did you mean --reps or --report?`: the command's options
    that look like the word without their dashes, whatever its case, the closest first
    (click compared them with the dashes: `--bogus` was offered `--out`). A word written
    with one dash (`-reps`) is named whole: click read it as `-r` and offered nothing."""
    given = exc.option_name
    if len(given) == 2 and not given.startswith("--"):  # -r of -reps, -u of -quiet?
        words = (a for a in argv if a[:1] == "-" and a[1:2] != "-" and len(a) > 2)
        given = next((a for a in words if given[1] in a[1:]), given)
    names = exc.possibilities or ()
    if exc.ctx is not None:  # (with --help: `--hlep`)
        params = exc.ctx.command.get_params(exc.ctx)
        names = [o for p in params for o in p.opts + p.secondary_opts]
    bare = {p.lstrip("-").lower(): p for p in names if p.startswith("--")}
    word = given.lstrip("-").lower()
    close = [word] if word in bare else difflib.get_close_matches(word, bare, n=3, cutoff=0.6)
    near = [bare[w] for w in close]  # (--REPS, -reps: --reps alone)
    said = f"No such option: {given}"
    return f"{said}; did you mean {' or '.join(near)}?" if near else said


STOPPING = [
    signal.SIGINT,
    signal.SIGTERM,
    *([signal.SIGHUP] if hasattr(signal, "SIGHUP") else []),
]
_stopped_by: list[int] = []  # the signals that stopped the command, if any did


def _stop(signum: int, frame: object) -> None:
    """Ctrl-C, SIGTERM (`docker stop`, systemd, a cancelled CI job) and SIGHUP (a closed
    terminal) stop a command alike: workers stopped, temporary outputs removed. By
    default SIGTERM and SIGHUP ended the process at once, leaving workers running and a
    half-written output folder."""
    _stopped_by.append(signum)
    raise KeyboardInterrupt


def _unraisable(hook: sys.UnraisableHookArgs) -> None:
    """A stop that landed in a weakref callback or a finaliser, where Python prints the
    exception and carries on, is sent again a moment later, from a thread (sent at
    once, it lands in this hook again): the command stops at its next step."""
    if isinstance(hook.exc_value, KeyboardInterrupt) and _stopped_by:
        again = threading.Timer(0.01, os.kill, (os.getpid(), _stopped_by[-1]))
        again.daemon = True
        again.start()
        return
    sys.__unraisablehook__(hook)


def _catch_stops() -> Callable[[], None]:
    """Install `_stop` for the stopping signals, except one ignored from the start
    (`nohup` ignores SIGHUP; a background job of a non-interactive shell, SIGINT); the
    function returned puts back what was there (`main` called in a notebook or a test
    leaves that process as it found it)."""
    before = {signum: signal.getsignal(signum) for signum in STOPPING}
    hook = sys.unraisablehook
    _stopped_by.clear()
    for signum, handler in before.items():
        if handler is not signal.SIG_IGN:
            signal.signal(signum, _stop)
    sys.unraisablehook = _unraisable

    def restore() -> None:
        for signum, handler in before.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
        sys.unraisablehook = hook

    return restore


def main() -> None:
    """Console-script entry point."""
    stdout, unguard = streams.harden()
    restore = _catch_stops()
    try:
        code = _run()
        if (failed := streams.failure_text(stdout)) is not None:  # (a full disk: traceback)
            err.print(f"ccsim: error: {failed}", markup=False)
            code = code or EXIT_FAIL
    finally:
        restore()
        unguard()
    sys.exit(code)


def _run() -> int:
    """The command of `sys.argv`, its failures turned into lines: the exit code."""
    try:
        code = app(standalone_mode=False)
    except NoArgsIsHelpError as exc:
        err.print(exc.format_message(), markup=False)
        return EXIT_USAGE
    except UsageError as exc:
        message = (
            _suggest(exc, sys.argv[1:]) if isinstance(exc, NoSuchOption) else exc.format_message()
        )
        message = _plain(message)
        err.print(f"ccsim: error: {message}", markup=False)
        return EXIT_USAGE
    except (KeyboardInterrupt, typer.Abort):
        code = EXIT_INTERRUPTED
    # one a command did not catch itself (run --out builds the requirements of its report,
    # say; capacity let the memory limit through until 2026-12-06): one line, no traceback
    except (OutputError, PlanError, WorkLimitError, WorkerError) as exc:
        report_failure([str(exc)])  # one line
        return EXIT_FAIL
    except InputError as exc:  # a command that did not catch a problem with its input
        report_failure(exc.messages)
        return EXIT_FAIL
    if code == EXIT_INTERRUPTED and _stopped_by and _stopped_by[0] != signal.SIGINT:
        name = signal.Signals(_stopped_by[0]).name
        err.print(f"ccsim: stopped by {name}", markup=False)
        return 128 + _stopped_by[0]
    if code == EXIT_INTERRUPTED:  # typer turns Ctrl-C in a command into exit code 130
        err.print("ccsim: interrupted", markup=False)
    return code or 0
