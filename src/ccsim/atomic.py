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
import errno
import hashlib
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
        *(
            "weeks.csv",
            "months.csv",
            "quarters.csv",
            "estimates.csv",
            "backtest.png",
            "backtest.html",
        ),
    )
)
# what a new output folder's name must not end with: a file's (its files are inside)
FILE_SUFFIXES = frozenset((".xlsx", ".xls", ".html", ".htm", ".json", ".csv", ".parquet", ".pdf"))
# in every output folder: the files ccsim wrote there, one relative path a line, a
# regular file's with a tab and the SHA-256 of what ccsim wrote (an edited one is kept)
MANIFEST = ".ccsim-output"
MAX_MANIFEST_BYTES = 1_000_000
# what file browsers leave in a folder: not the user's work
LITTER = frozenset((".DS_Store", "Thumbs.db", "desktop.ini"))


class OutputError(ValueError):
    """An output path ccsim will not write (one line: the path and why)."""


# folders `check_folder` found writable in this process and not yet written: a file of
# the user's found there when the output is written came while ccsim worked
_CHECKED: set[Path] = set()


def check_folder(target: Path) -> Path:
    """`target` made absolute, if an output folder may be written there: it is new,
    empty, or an earlier output of ccsim; its nearest existing parent is a folder."""
    target = _absolute(target)
    _folder_ok(target, replaceable=True)
    _CHECKED.add(target)
    return target


def _absolute(target: Path) -> Path:
    target = Path(target).absolute()
    if target.name in ("", ".", "..") or (target.is_symlink() and target.is_dir()):
        target = target.resolve()  # (a link to a folder: the folder it names is replaced)
    return target


def _folder_ok(target: Path, replaceable: bool) -> None:
    if target.exists() or target.is_symlink():
        if not target.is_dir() or target.is_symlink():
            raise OutputError(f"{target}: exists and is not a folder")
        if replaceable:
            _replaceable(target)
        _movable(target)
    elif target.suffix.lower() in FILE_SUFFIXES:  # (`save(r, "out.xlsx")` made a folder
        raise OutputError(  # out.xlsx/ holding run.json, …: a notebook walkthrough)
            f"{target}: names a {target.suffix} file, and ccsim writes an output folder "
            f"here, its files inside; give a folder's name, e.g. {target.with_suffix('')}"
        )
    _parent_ok(target)


def _movable(target: Path) -> None:
    """Refuse a folder that cannot be replaced by renaming — a mount point (a USB stick,
    a container's volume: the rename failed after the whole work, and the output was
    lost) — or should not be — the current folder or one holding it (the shell was left
    in a deleted folder)."""
    try:
        inside: Path | None = Path.cwd().resolve()
    except OSError:  # the current folder was deleted: it holds nothing
        inside = None
    here = target.resolve()
    if os.path.ismount(here):
        raise OutputError(
            f"{target}: a mount point — ccsim writes an output folder whole and renames it "
            f"into place, which a mount point refuses; give a folder inside it, e.g. "
            f"{target / 'run'}"
        )
    if inside is not None and (inside == here or here in inside.parents):
        raise OutputError(
            f"{target}: the current folder{'' if inside == here else ' holds it'} — ccsim "
            f"replaces an output folder whole; give a new folder, e.g. {target / 'run'}"
        )


def _replaceable(target: Path) -> None:
    """Refuse a folder holding anything ccsim did not write there — a file, a link or a
    folder of the user's (until 2026-12-05 an earlier output was replaced whole, a
    user's notebook beside run.json included)."""
    with os.scandir(target) as top:  # (nothing walked yet: `--out /` walked every disk)
        if next(top, None) is None:
            return
    manifest = target / MANIFEST
    listed: dict[str, str] = {}
    if manifest.is_file() and not manifest.is_symlink():
        listed = _manifest(manifest)
    elif not any((target / n).is_file() for n in OUTPUT_DOCUMENTS):
        raise OutputError(
            f"{target}: a folder of other files — ccsim replaces only an empty folder or "
            "one it wrote; give a new folder"
        )
    if edited_files := _edited(target, listed):  # (a manager's notes in report.xlsx were
        # replaced by the next run's workbook: a notebook walkthrough, 2026-12-07)
        shown = ", ".join(edited_files[:3]) + (" and more" if len(edited_files) > 3 else "")
        raise OutputError(
            f"{target}: {shown} edited since ccsim wrote it — move it out or give a new folder"
        )
    others = []
    for e in _walk(target):  # up to the fourth file not ours: enough to refuse and show
        if e not in listed and e not in OUTPUT_FILES and e != MANIFEST and not _litter(e):
            others.append(e)
            if len(others) > 3:
                break
    if others:
        shown = ", ".join(sorted(others)[:3]) + (" and more" if len(others) > 3 else "")
        raise OutputError(
            f"{target}: holds files ccsim did not write ({shown}) — move them out or give a "
            "new folder"
        )


def _walk(folder: Path) -> Iterator[str]:
    """Every file, link and empty folder below `folder`, as relative paths (links not
    followed; an empty folder ends in /), as the walk finds them."""
    for here, dirs, files in os.walk(folder, followlinks=False):
        rel = Path(here).relative_to(folder).as_posix()
        prefix = "" if rel == "." else f"{rel}/"
        yield from (prefix + name for name in files)
        yield from (prefix + n for n in dirs if os.path.islink(os.path.join(here, n)))
        if prefix and not dirs and not files:
            yield prefix


def _entries(folder: Path) -> list[str]:
    """`_walk`'s paths, sorted."""
    return sorted(_walk(folder))


def _litter(entry: str) -> bool:
    name = entry.rsplit("/", 1)[-1]
    return name in LITTER or name.startswith("._")


def _write_manifest(folder: Path, names: list[str] | None = None) -> None:
    """List the files of a finished output folder (`MANIFEST`), each regular file with
    the hash of what was written; `names`: those only, added to the list (a report
    written into an earlier output)."""
    manifest = folder / MANIFEST
    listed = _manifest(manifest) if names is not None and manifest.is_file() else {}
    for name in _entries(folder) if names is None else names:
        path = folder / name
        listed[name] = _file_sha(path) if path.is_file() and not path.is_symlink() else ""
    lines = (f"{n}\t{h}" if h else n for n, h in sorted(listed.items()) if n != MANIFEST)
    manifest.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")


def _manifest(path: Path) -> dict[str, str]:
    """A manifest's files and their hashes ("" where none was written: a link, an empty
    folder, or a manifest from before 2026-12-07)."""
    with path.open(encoding="utf-8", errors="replace") as f:
        lines = f.read(MAX_MANIFEST_BYTES).splitlines()
    return {name: sha for name, _, sha in (line.partition("\t") for line in lines)}


def _edited(folder: Path, listed: dict[str, str]) -> list[str]:
    """The files of an output folder whose content is no longer what ccsim wrote."""
    return sorted(
        name
        for name, sha in listed.items()
        if sha and (p := folder / name).is_file() and not p.is_symlink() and _file_sha(p) != sha
    )


def _file_sha(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_report(folder: Path, names: tuple[str, ...]) -> None:
    """Refuse to replace files of an output folder edited since ccsim wrote them (a
    report written again into it)."""
    manifest = Path(folder) / MANIFEST
    listed = _manifest(manifest) if manifest.is_file() and not manifest.is_symlink() else {}
    if edited_files := _edited(Path(folder), {n: listed.get(n, "") for n in names}):
        raise OutputError(
            f"{Path(folder) / edited_files[0]}: edited since ccsim wrote it — move it out "
            "(ccsim replaces its own files only as it wrote them)"
        )


def add_to_manifest(folder: Path, names: tuple[str, ...]) -> None:
    """Record files ccsim wrote into an earlier output folder, with their hashes."""
    if (Path(folder) / MANIFEST).is_file():
        _write_manifest(Path(folder), list(names))


SIGNED = "# ccsim-sha256: "  # the last line of a file ccsim writes for users to edit


def signed(text: str) -> str:
    """`text` with a last line holding its SHA-256, so that a later write can tell the
    file was edited since ccsim wrote it (`check_file`)."""
    text = text if text.endswith("\n") else text + "\n"
    return f"{text}{SIGNED}{_sha(text)}\n"


def edited(target: Path) -> bool:
    """Whether a file `signed` wrote was changed since: its text (line ends and blank
    lines at its end aside) no longer has the hash its last line holds. A file without
    that line — one written before 2026-12-07 — is taken as written."""
    with target.open("rb") as f:
        data = f.read(_SIGNED_MAX + 1)
    if len(data) > _SIGNED_MAX:  # (a file that large was not ours as written)
        return True
    text = data.decode("utf-8", errors="replace").replace("\r\n", "\n")
    body, _, last = text.rstrip("\n").rpartition("\n")
    if not last.startswith(SIGNED):
        return False
    return last.removeprefix(SIGNED).strip() != _sha(body + "\n")


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


_SIGNED_MAX = 16 * 2**20  # bytes of a file `edited` reads


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
        if edited(target):  # (a fitted scenario given targets was replaced by a refit)
            raise OutputError(
                f"{target}: was edited since ccsim wrote it — give a new file name, or move "
                "it (ccsim replaces its own files only as it wrote them)"
            )
    _parent_ok(target)
    return target


def _parent_ok(target: Path) -> None:
    parent = target.parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        raise OutputError(f"{target}: {parent} is not a folder")
    try:  # a place no file can be made in (read-only, /proc): said before the work
        fd, probe = tempfile.mkstemp(prefix=".ccsim-probe.", dir=parent)
    except OSError as exc:
        raise _unwritable(target, exc, f"no file can be made in {parent}") from None
    os.close(fd)
    os.unlink(probe)


@contextlib.contextmanager
def atomic_folder(target: Path) -> Iterator[Path]:
    """Yield a temporary folder; on success it replaces `target` (`check_folder`), on
    failure it vanishes. A folder checked before the work (a command's `--out`) that
    holds a file of the user's now got it while ccsim worked: the new output is kept
    beside it (until 2026-12-06 it was refused here, and thrown away)."""
    target = _absolute(target)
    _folder_ok(target, replaceable=target not in _CHECKED)
    _CHECKED.discard(target)
    tmp = Path(_writing(lambda: _made_folder(target), target))
    try:
        yield tmp
        _write_manifest(tmp)
        _readable(tmp, folder=True)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if _full(exc):  # a full disk while writing
            raise _unwritable(target, exc) from None
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
        try:
            target.rename(old)
        except OSError as exc:  # (a mount point or the like, found only now): kept beside
            kept = _keep_beside(tmp, target)
            raise OutputError(f"{_unwritable(target, exc)} — the new output is in {kept}") from None
    try:
        tmp.rename(target)
    except OSError as exc:
        if old is not None:
            old.rename(target)  # the earlier output back in place
        shutil.rmtree(tmp, ignore_errors=True)
        raise _unwritable(target, exc) from None
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
    with atomic_files(target, ours=ours) as (tmp,):
        yield tmp


@contextlib.contextmanager
def atomic_files(*targets: Path, ours: str | None = None) -> Iterator[list[Path]]:
    """Temporary paths beside several `targets` (`check_file`, with `ours`) that replace
    them together: every one written and every target checked again before the first
    is replaced, so a full disk or a file of the user's that came meanwhile leaves
    them all as they were (a report's workbook and page: not one new beside one old)."""
    targets = tuple(check_file(t, ours) for t in targets)
    made: list[Path] = []
    try:
        for target in targets:
            made.append(Path(_writing(lambda t=target: _made_file(t), target)))
        yield made
        for tmp in made:
            _readable(tmp, folder=False)
        for target in targets:  # again: a file of the user's may have come meanwhile
            check_file(target, ours)
        for tmp, target in zip(made, targets, strict=True):
            _writing(lambda a=tmp, b=target: os.replace(a, b), target)
    except BaseException as exc:
        for tmp in made:
            tmp.unlink(missing_ok=True)
        if _full(exc):  # a full disk while writing one of them (which, it does not say)
            reason = exc.strerror or type(exc).__name__  # type: ignore[attr-defined]
            names = ", ".join(str(t) for t in targets)
            raise OutputError(f"{names}: cannot write there ({reason})") from None
        raise


def _made_folder(target: Path) -> str:
    target.parent.mkdir(parents=True, exist_ok=True)
    return tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent)


def _made_file(target: Path) -> str:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    return name


def _writing(step, target: Path, tmp: Path | None = None):
    """`step()`, an OSError of the file system (a read-only place, /proc, no space, no
    permission) made an OutputError: one line, no traceback (`tmp` is removed)."""
    try:
        return step()
    except OSError as exc:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        raise _unwritable(target, exc) from None


# what writing an output can meet that is the place's fault, not ccsim's: said in one line
_WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EFBIG}


def _full(exc: BaseException) -> bool:
    """An error of writing the output (a full disk, a read-only or forbidden place) —
    not any OSError of the work inside (a file read, a lost connection)."""
    return isinstance(exc, OSError) and exc.errno in _WRITE_ERRORS


def _unwritable(target: Path, exc: OSError, where: str | None = None) -> OutputError:
    """`target: cannot write there (why)`, with where it was tried when that says more."""
    reason = exc.strerror or type(exc).__name__
    return OutputError(f"{target}: cannot write there ({f'{where}: ' if where else ''}{reason})")


def _readable(path: Path, folder: bool) -> None:
    """mkstemp/mkdtemp make private files; outputs get the usual permissions (umask)."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, (0o777 if folder else 0o666) & ~umask)
