"""Atomic writes: every file and folder ccsim writes appears whole or not at all.

Outputs go to a temporary name beside the target and are renamed into place at the end,
so an interrupted run (Ctrl-C, a crash, a full disk) leaves no half-written result and
keeps an older one in place. An output folder replaces only a folder that is empty or
that ccsim wrote — every file in it listed in its `MANIFEST` or one of the names ccsim
writes (`OUTPUT_FILES`): never a file (the scenario given as `--out` by mistake), a
device, a folder of other files (`--out .`, `--out ~`), or an earlier output a user put
files of their own in.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

# the main document of each output folder ccsim writes (run, plan, capacity, fit report,
# backtest): a folder holding one of them was written by ccsim
OUTPUT_DOCUMENTS = ("run.json", "plan.json", "capacity.json", "fit.html", "backtest.json")
# every name ccsim writes at the top of an output folder (`ccsim report` adds the report
# to a run folder after its manifest was written)
OUTPUT_FILES = frozenset(
    (
        *OUTPUT_DOCUMENTS,
        *("summary.csv", "intervals.csv", "groups.csv", "requirements.csv", "meta.json"),
        *("scenario.yaml", "contacts.parquet", "roster.yaml", "report.xlsx", "report.html"),
        *("weeks.csv", "months.csv", "estimates.csv", "backtest.png", "backtest.html"),
    )
)
# in every output folder: the files ccsim wrote there, one relative path a line
MANIFEST = ".ccsim-output"
MAX_MANIFEST_BYTES = 1_000_000
# what file browsers leave in a folder: not the user's work
LITTER = frozenset((".DS_Store", "Thumbs.db", "desktop.ini"))


class OutputError(ValueError):
    """An output path ccsim will not write (one line: the path and why)."""


def check_folder(target: Path) -> Path:
    """`target` made absolute, if an output folder may be written there: it is new,
    empty, or an earlier output of ccsim; its nearest existing parent is a folder."""
    target = Path(target).absolute()
    if target.name in ("", ".", "..") or (target.is_symlink() and target.is_dir()):
        target = target.resolve()  # (a link to a folder: the folder it names is replaced)
    if target.exists() or target.is_symlink():
        if not target.is_dir() or target.is_symlink():
            raise OutputError(f"{target}: exists and is not a folder")
        _replaceable(target)
    _parent_ok(target)
    return target


def _replaceable(target: Path) -> None:
    """Refuse a folder holding anything ccsim did not write there — a file, a link or a
    folder of the user's (until 2026-12-05 an earlier output was replaced whole, a
    user's notebook beside run.json included)."""
    entries = _entries(target)
    if not entries:
        return
    manifest = target / MANIFEST
    listed: set[str] = set()
    if manifest.is_file() and not manifest.is_symlink():
        with manifest.open(encoding="utf-8", errors="replace") as f:
            listed = set(f.read(MAX_MANIFEST_BYTES).splitlines())
    elif not any((target / n).is_file() for n in OUTPUT_DOCUMENTS):
        raise OutputError(
            f"{target}: a folder of other files — ccsim replaces only an empty folder or "
            "one it wrote; give a new folder"
        )
    others = [
        e
        for e in entries
        if e not in listed and e not in OUTPUT_FILES and e != MANIFEST and not _litter(e)
    ]
    if others:
        shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
        raise OutputError(
            f"{target}: holds files ccsim did not write ({shown}) — move them out or give a "
            "new folder"
        )


def _entries(folder: Path) -> list[str]:
    """Every file, link and empty folder below `folder`, as relative paths (links not
    followed; an empty folder ends in /)."""
    found = []
    for here, dirs, files in os.walk(folder, followlinks=False):
        rel = Path(here).relative_to(folder).as_posix()
        prefix = "" if rel == "." else f"{rel}/"
        found += [prefix + name for name in files]
        found += [prefix + name for name in dirs if os.path.islink(os.path.join(here, name))]
        if prefix and not dirs and not files:
            found.append(prefix)
    return sorted(found)


def _litter(entry: str) -> bool:
    name = entry.rsplit("/", 1)[-1]
    return name in LITTER or name.startswith("._")


def _write_manifest(folder: Path) -> None:
    """List the files of a finished output folder (`MANIFEST`)."""
    names = _entries(folder)
    (folder / MANIFEST).write_text("".join(f"{n}\n" for n in names), encoding="utf-8")


def check_file(target: Path, ours: str | None = None) -> Path:
    """`target` made absolute, if an output file may be written there (not a folder;
    its nearest existing parent is a folder; with `ours`, the first text of a file ccsim
    writes there, an existing file must start with it — a scenario or calendar of the
    user's given as `-o` is not replaced: until 2026-12-05 it was)."""
    target = Path(target).absolute()
    if target.is_dir():
        raise OutputError(f"{target}: is a folder; give a file name")
    if target.exists() and not target.is_file():
        raise OutputError(f"{target}: exists and is not a regular file")
    if ours is not None and target.is_file():
        with target.open("rb") as f:
            start = f.read(len(ours.encode())).decode("utf-8", errors="replace")
        if start != ours:
            raise OutputError(
                f"{target}: exists and was not written by ccsim — give a new file name, or move it"
            )
    _parent_ok(target)
    return target


def _parent_ok(target: Path) -> None:
    parent = target.parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        raise OutputError(f"{target}: {parent} is not a folder")


@contextlib.contextmanager
def atomic_folder(target: Path) -> Iterator[Path]:
    """Yield a temporary folder; on success it replaces `target` (`check_folder`), on
    failure it vanishes."""
    target = check_folder(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        yield tmp
        _write_manifest(tmp)
        _readable(tmp, folder=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = None
    if target.exists():
        try:  # again: a file may have been saved there while ccsim worked
            _replaceable(target)
        except OutputError as exc:  # the new output is kept beside it, not thrown away
            kept = _keep_beside(tmp, target)
            raise OutputError(
                f"{exc} — saved there while ccsim worked; the new output is in {kept}"
            ) from None
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        target.rename(old)
    tmp.rename(target)
    if old is not None:
        try:  # (one saved in the instant between: the old folder is kept, with it)
            _replaceable(old)
        except OutputError:
            return
        shutil.rmtree(old, ignore_errors=True)


def _keep_beside(tmp: Path, target: Path) -> Path:
    """Rename the finished output `tmp` to the first of `target`-2, -3, … that is free
    (one taken meanwhile by another process: the next); the name it got."""
    n = 2
    while True:
        kept = target.with_name(f"{target.name}-{n}")
        n += 1
        if kept.exists() or kept.is_symlink():
            continue
        try:
            tmp.rename(kept)
            return kept
        except OSError:
            if kept.exists() or kept.is_symlink():
                continue  # taken between the look and the rename
            shutil.rmtree(tmp, ignore_errors=True)
            raise


@contextlib.contextmanager
def atomic_file(target: Path, ours: str | None = None) -> Iterator[Path]:
    """Yield a temporary path beside `target` (`check_file`, with `ours`; missing parent
    folders are made); on success it replaces `target`."""
    target = check_file(target, ours)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        _readable(tmp, folder=False)
        check_file(target, ours)  # again: a file of the user's may have come meanwhile
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _readable(path: Path, folder: bool) -> None:
    """mkstemp/mkdtemp make private files; outputs get the usual permissions (umask)."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, (0o777 if folder else 0o666) & ~umask)
