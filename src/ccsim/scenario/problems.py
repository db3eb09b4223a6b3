"""Problems found in a scenario file: where they are and what is wrong.

`Problem` is a rule's finding at a field path; `Message` is a problem located in a file
(`file:line: field: message`); `InputError` carries every message of a file that could
not be read (`ScenarioError` for a scenario, `history.log.LogError` for a contact log).
Bad input that is not a file's — an argument, an output path, a size — is refused by
the layer that reads it, each with its own error (`atomic.OutputError`,
`model.errors.WorkLimitError`, `planning.errors.PlanError`, `report.model.ReportError`,
or a ValueError or TypeError naming the argument).
"""

from __future__ import annotations

from dataclasses import dataclass

from ccsim.scenario import units

Loc = tuple[str | int, ...]


MAX_KEY = 60  # characters of a key a field path shows


def _key(text: str) -> str:
    """A key as a field path shows it: `""` when empty; quoted, escaped and cut when it
    holds a line break or a control character or is long (a key with a line break
    printed a forged line into a CI log)."""
    if text == "":
        return '""'
    if text.isprintable() and len(text) <= MAX_KEY:
        return text
    shown = repr(text[:MAX_KEY])
    return shown + (f"… ({len(text):,} characters)" if len(text) > MAX_KEY else "")


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or suspicious) in a scenario, at a field path."""

    loc: Loc
    message: str
    warning: bool = False

    @property
    def field(self) -> str:
        """Dotted field path, list indices in brackets: `roster[0].group`."""
        return field_path(self.loc)


def field_path(loc: Loc) -> str:
    """`("roster", 0, "group")` → `roster[0].group`; the empty path is `(top level)`, an
    empty key `""` (`groups.agents.""`: it was `groups.agents.`), a key YAML read as a
    number or null in brackets (`channels[1.5]`, `channels[None]`)."""
    out = ""
    for part in loc:
        name = _key(str(part))
        if not isinstance(part, str):  # a list's index, or a key read as a number or null
            out += f"[{part}]"
        else:
            out += f".{name}" if out else name
    return out or "(top level)"


@dataclass(frozen=True)
class Message:
    """A problem located in a file; `str()` gives `file:line: field: message`."""

    file: str
    line: int | None
    field: str | None
    message: str
    warning: bool = False

    def __str__(self) -> str:
        file = units.printable(self.file)  # one line, whatever the file is named
        where = f"{file}:{self.line}" if self.line else file
        kind = "warning: " if self.warning else ""
        field = f"{self.field}: " if self.field else ""
        return f"{where}: {kind}{field}{self.message}"


class InputError(Exception):
    """An input file could not be read; `.messages` lists every problem found."""

    def __init__(self, messages: list[Message]):
        super().__init__("\n".join(str(m) for m in messages))
        self.messages = messages


class ScenarioError(InputError):
    """A scenario file could not be loaded; `.messages` lists every problem found, and
    `.warnings` what else its text gave warnings about (`validate` and `check` say them
    in the same round)."""

    def __init__(self, messages: list[Message], warnings: list[Message] | None = None):
        super().__init__(messages)
        self.warnings = list(warnings or [])


class ScenarioWarning(UserWarning):
    """What validation warned of in a scenario made in Python (a what-if variant of
    `compare` or `sweep`), where no file's warnings are printed: said as a Python warning
    (a notebook shows it; `ccsim compare`/`sweep` print it on stderr)."""
