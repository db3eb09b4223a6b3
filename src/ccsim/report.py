"""`ccsim report`: the Excel workbook and the HTML report of a run or plan output folder.

This module reads the folder (run.json — the plan document in a plan folder —,
intervals.csv, groups.csv, the scenario copy, and requirements.csv in a plan folder),
derives the tables the workbook and the charts share, and writes `report.xlsx`
(`ccsim.workbook`) and `report.html` (`ccsim.report_html`, charts from
`ccsim.charts`), each atomically. Nothing is simulated again: the figures are the
folder's.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from ccsim import loader, requirements, units
from ccsim.scenario import Scenario
from ccsim.service_level import label

NEEDED = ("run.json", "intervals.csv", "groups.csv")


class ReportError(ValueError):
    """The folder is not a complete run or plan output (the message says what is wrong)."""


@dataclass
class Folder:
    """A run or plan output folder, read, with the tables the report derives from it."""

    path: Path
    doc: dict[str, Any]  # run.json (in a plan folder, the plan document)
    scenario: Scenario  # the scenario copy (a plan folder: the input, before planning)
    intervals: pd.DataFrame  # replication × interval × channel
    groups: pd.DataFrame  # replication × interval × group
    requirement: pd.DataFrame  # interval of the planning week × channel

    @property
    def is_plan(self) -> bool:
        return "roster" in self.doc and "headcount" in self.doc

    @property
    def roster(self) -> list[dict[str, Any]]:
        """The roster the figures are for: the plan's, or the scenario's for a run."""
        from ccsim.documents import roster_lines

        return self.doc["roster"] if self.is_plan else roster_lines(self.scenario)

    @cached_property
    def staffing(self) -> pd.DataFrame:
        """Per interval of the measured window: agents on duty per group (mean over
        replications), their total, the requirement per channel and its total."""
        duty = self.groups.pivot_table(
            index="start", columns="group", values="agents", aggfunc="mean", sort=False
        )
        duty = duty.reindex(columns=list(self.scenario.groups)).fillna(0.0)
        need = self.requirement.pivot_table(
            index="start", columns="channel", values="required_agents", aggfunc="sum", sort=False
        )
        slot = duty.index.to_numpy() % units.MINUTES_PER_WEEK
        need = need.reindex(slot).fillna(0.0).set_axis(duty.index)
        table = pd.concat(
            [
                duty.add_prefix("on duty: "),
                pd.DataFrame({"on duty": duty.sum(axis=1)}),
                need.add_prefix("required: "),
                pd.DataFrame({"required": need.sum(axis=1)}),
            ],
            axis=1,
        ).reset_index()
        labels = self.groups.drop_duplicates("start").set_index("start")[["day", "time"]]
        table.insert(1, "day", labels.loc[table["start"], "day"].to_numpy())
        table.insert(2, "time", labels.loc[table["start"], "time"].to_numpy())
        return table

    @cached_property
    def service(self) -> pd.DataFrame:
        """Service level per interval, channel and target, pooled over replications
        (contacts within the target / contacts offered in the interval)."""
        rows = []
        for channel, target in self.scenario.targets.items():
            table = self.intervals[self.intervals["channel"] == channel]
            for t in target.service:
                metric = label(t.within)
                if table.empty or metric not in table:
                    continue
                hits = table[metric].fillna(0.0) * table["offered"]
                pooled = (
                    pd.DataFrame({"start": table["start"], "hits": hits, "n": table["offered"]})
                    .groupby("start")
                    .sum()
                )
                level = pooled["hits"] / pooled["n"].where(pooled["n"] > 0)
                rows.append(
                    pd.DataFrame(
                        {
                            "start": pooled.index,
                            "channel": channel,
                            "target": metric,
                            "goal": t.at_least,
                            "service_level": level.to_numpy(),
                        }
                    )
                )
        return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()

    @cached_property
    def backlog(self) -> pd.DataFrame:
        """Message channels: contacts waiting at each interval's end (mean over replications)."""
        kinds = {c: ch.kind for c, ch in self.scenario.channels.items()}
        table = self.intervals[self.intervals["channel"].map(kinds) == "message"]
        return table.pivot_table(index="start", columns="channel", values="backlog", aggfunc="mean")

    def assumptions(self) -> list[tuple[str, str, Any, str]]:
        """Every input that drives the cost: (section, item, value, unit)."""
        s, c = self.scenario, self.scenario.costs
        cur = c.currency
        rows: list[tuple[str, str, Any, str]] = [
            ("costs", "currency", cur, ""),
            ("costs", "overhead (employer costs, share of wages)", c.overhead, "share"),
            ("costs", "paid hours of one full-time agent a week (fte_hours)", c.fte_hours, "h"),
            ("costs", "shrinkage (share of paid time lost)", s.shrinkage, "share"),
            ("costs", "weeks per month (52/12)", 52 / 12, "weeks"),
            ("costs", "weeks per year", 52, "weeks"),
        ]
        rows += [("wage per paid hour", g, grp.wage, cur) for g, grp in s.groups.items()]
        rows += [
            ("cost per offered contact", ch, c.per_contact.get(ch, 0.0), cur) for ch in s.channels
        ]
        for name, sh in s.shifts.items():
            unpaid = sum(b.length for b in sh.breaks if not b.paid)
            rows.append(
                (
                    "shift",
                    name,
                    f"{units.format_clock(sh.start)}, {units.format_duration(sh.length)}, "
                    f"{units.format_days(sh.days)}, unpaid breaks {units.format_duration(unpaid)}",
                    f"{sh.paid_minutes / 60:g} paid h/day",
                )
            )
        rows += [
            ("roster", f"{r['group']} × {r['shift']}", r["agents"], "agents") for r in self.roster
        ]
        by_channel = self.doc["cost"].get("by_channel", {})
        rows += [
            ("offered contacts a week", ch, v["offered"], "contacts")
            for ch, v in by_channel.items()
        ]
        rows += [
            ("handled contacts a week", ch, v["handled"], "contacts")
            for ch, v in by_channel.items()
        ]
        rows += [
            ("share of agent busy time", ch, v["busy_share"], "share")
            for ch, v in by_channel.items()
        ]
        rows += [
            ("simulation", "measured window", units.format_duration(s.simulation.horizon), ""),
            ("simulation", "replications", self.doc["replications"], ""),
            ("simulation", "seed", self.doc["seed"], ""),
        ]
        return rows


def read(path: Path) -> Folder:
    """Read a run or plan output folder; ReportError (`path: what is wrong`) otherwise."""
    path = Path(path)
    if not path.is_dir():
        raise ReportError(f"{path}: not a folder (expected the --out folder of ccsim run or plan)")
    missing = [name for name in NEEDED if not (path / name).is_file()]
    if missing:
        raise ReportError(
            f"{path}: not a ccsim run or plan output folder (missing {', '.join(missing)})"
        )
    try:
        doc = json.loads((path / "run.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReportError(f"{path / 'run.json'}: cannot read it ({exc})") from None
    if not isinstance(doc, dict) or not {"channels", "groups", "cost"} <= set(doc):
        raise ReportError(f"{path / 'run.json'}: not a ccsim run document")
    if not {"by_group", "by_channel", "monthly", "yearly"} <= set(doc["cost"]):
        raise ReportError(
            f"{path / 'run.json'}: written by an older ccsim without the cost model "
            "(run or plan again with --out)"
        )
    copies = sorted(p for p in path.glob("scenario.*") if p.suffix in (".yaml", ".yml"))
    if not copies:
        raise ReportError(f"{path}: the scenario copy (scenario.yaml) is missing")
    try:
        scenario = loader.load(copies[0])
    except loader.ScenarioError as exc:
        raise ReportError("; ".join(str(m) for m in exc.messages)) from None
    try:
        intervals = pd.read_csv(path / "intervals.csv")
        groups = pd.read_csv(path / "groups.csv")
        planned = path / "requirements.csv"
        requirement = (
            pd.read_csv(planned)
            if planned.is_file()
            else requirements.table(scenario, requirements.needs(scenario))
        )
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise ReportError(f"{path}: cannot read the tables ({exc})") from None
    return Folder(path, doc, scenario, intervals, groups, requirement)


def write_atomic(target: Path, write: Callable[[Path], None]) -> None:
    """Call `write(temporary path)` beside `target`, then rename it into place."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; a report is not
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write(path: Path) -> list[Path]:
    """Write report.xlsx and report.html into the output folder `path`; return them."""
    from ccsim import report_html, workbook

    folder = read(path)
    xlsx, html = folder.path / "report.xlsx", folder.path / "report.html"
    write_atomic(xlsx, lambda tmp: workbook.build(folder).save(tmp))
    write_atomic(html, lambda tmp: tmp.write_text(report_html.render(folder), encoding="utf-8"))
    return [xlsx, html]
