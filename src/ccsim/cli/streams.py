"""The standard streams a command writes to, made safe for any pipe or runner: text a
stream's encoding cannot hold is written in ASCII (`≥` as `>=`: a Windows runner's cp1252
stdout raised UnicodeEncodeError in `check`, with a traceback and no JUnit file); a
reader that closes the pipe early (`ccsim check … | head -1`) no longer changes the exit
code; a full disk or a closed stdout is one line, not a traceback (a CI walkthrough)."""

from __future__ import annotations

import codecs
import errno
import io
import os
import sys
from typing import Any

from ccsim.report.terminal import ASCII

HANDLER = "ccsim-ascii"


def _ascii(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(ASCII.get(c, "?") for c in bad), error.end


class Guarded(io.TextIOBase):
    """stdout or stderr that, once its reader is gone (EPIPE), writes nowhere and lets the
    command finish — its files written, its exit code its own — and that remembers any
    other failure to write (a full disk) for `failure`."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.failure: OSError | None = None
        self._gone = False

    def _guard(self, action: Any, *args: Any) -> Any:
        if self._gone:
            return None
        try:
            return action(*args)
        except BrokenPipeError:
            self._leave()
        except OSError as exc:
            self.failure = self.failure or exc
            self._leave()
        return None

    def _leave(self) -> None:
        """Nothing more to stdout, also not at exit (Python's flush then said "Exception
        ignored … BrokenPipeError")."""
        self._gone = True
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)
        except (OSError, ValueError, AttributeError):
            pass

    def write(self, text: str) -> int:
        self._guard(self._stream.write, text)
        return len(text)

    def flush(self) -> None:
        self._guard(self._stream.flush)

    def isatty(self) -> bool:
        return not self._gone and self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._stream.encoding


def harden() -> tuple[Guarded, Any]:
    """Install the guards on sys.stdout and sys.stderr (a closed one: /dev/null; `2>&1 |
    head` closed stderr's pipe too); (the new stdout, whose `failure` says whether writing
    it failed, and a function that puts back the streams as they were — `main` called in
    a notebook leaves its process as it found it)."""
    codecs.register_error(HANDLER, _ascii)
    before = (sys.stdout, sys.stderr)
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None:  # (`ccsim … >&-`: "'NoneType' object has no attribute 'isatty'")
            stream = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the run
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and not _utf(stream):
            reconfigure(errors=HANDLER)
        setattr(sys, name, stream if isinstance(stream, Guarded) else Guarded(stream))

    def restore() -> None:
        sys.stdout, sys.stderr = before

    return sys.stdout, restore


def _utf(stream: Any) -> bool:
    return str(getattr(stream, "encoding", "") or "").lower().replace("-", "").startswith("utf")


def failure_text(stdout: Guarded) -> str | None:
    """One line for a failure to write stdout other than its reader leaving, else None."""
    exc = stdout.failure
    if exc is None or exc.errno == errno.EPIPE:
        return None
    return f"cannot write the output: {exc.strerror or exc}"
