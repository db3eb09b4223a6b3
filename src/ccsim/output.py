"""Output folders written atomically: everything goes to a temporary folder beside the
target, which is renamed into place at the end — an interrupted run leaves no
half-written result (and keeps an older result in place)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ccsim.results import Result


@contextlib.contextmanager
def atomic_folder(target: Path) -> Iterator[Path]:
    """Yield a temporary folder; on success it replaces `target`, on failure it vanishes."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        target.rename(old)
    tmp.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_json(path: Path, doc: Any) -> None:
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_run(folder: Path, result: Result, document: dict, contacts: bool = False) -> None:
    """run.json, intervals.csv, groups.csv, summary.csv, the scenario, meta.json
    (and contacts.parquet on request) into `folder`, atomically."""
    from ccsim import __version__

    with atomic_folder(folder) as tmp:
        write_json(tmp / "run.json", document)
        result.intervals.to_csv(tmp / "intervals.csv", index=False)
        result.groups.to_csv(tmp / "groups.csv", index=False)
        result.summary.to_csv(tmp / "summary.csv", index=False)
        source = result.scenario.source
        if source is not None and source.exists():
            shutil.copyfile(source, tmp / f"scenario{source.suffix or '.yaml'}")
        if contacts:
            result.contacts().to_parquet(tmp / "contacts.parquet", index=False)
        write_json(
            tmp / "meta.json",
            {
                "ccsim_version": __version__,
                "scenario": result.scenario.name,
                "scenario_file": str(source) if source else None,
                "seed": result.seed,
                "replications": len(result.tables),
                "command": sys.argv,
                "created": datetime.now(UTC).isoformat(timespec="seconds"),
            },
        )
