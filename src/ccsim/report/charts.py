"""The report's charts as matplotlib Figures, drawn with the Agg canvas (no display).

Figures are built without pyplot, so nothing global changes (a notebook keeps its own
backend) and no window is ever opened. `png` turns one into bytes for the HTML report.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import numpy as np

from ccsim.model import anger
from ccsim.report.model import Report
from ccsim.scenario import units
from ccsim.scenario.units import percent

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def figure(rows: int = 1, cols: int = 1, height: float = 3.2) -> tuple[Figure, np.ndarray]:
    # matplotlib is imported when a chart is drawn: `import ccsim` stays quick to start
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(11, height * rows), layout="constrained")
    FigureCanvasAgg(fig)
    axes = np.atleast_1d(fig.subplots(rows, cols, squeeze=False).ravel())
    return fig, axes


def png(fig: Figure) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=96)
    return buffer.getvalue()


def _days(ax, report: Report, starts: np.ndarray) -> None:
    """Label the x axis (hours from the window's start) with the day names."""
    first = report.scenario.simulation.start_day_index
    ticks = np.arange(0, (starts.max() if starts.size else 0) + 1, units.MINUTES_PER_DAY)
    ax.set_xticks(ticks / 60)
    ax.set_xticklabels([units.DAY_NAMES[(first + i) % 7] for i in range(ticks.size)], ha="left")
    ax.grid(alpha=0.3)


def _shares(ax) -> None:
    """A 0–1 axis labelled in per cent, as the bars' and goals' labels are."""
    from matplotlib.ticker import PercentFormatter

    ax.yaxis.set_major_formatter(PercentFormatter(1.0))


def _empty(message: str) -> Figure:
    fig, (ax,) = figure(height=1.2)
    ax.axis("off")
    ax.text(0.5, 0.5, message, ha="center", va="center")
    return fig


def service_levels(report: Report) -> Figure:
    """Service level per interval, one panel per channel, each target against its goal."""
    table = report.service
    if table.empty:
        return _empty("no service-level targets")
    channels = list(dict.fromkeys(table["channel"]))
    fig, axes = figure(len(channels), height=2.4)
    for ax, channel in zip(axes, channels, strict=True):
        rows = table[table["channel"] == channel]
        for i, (target, part) in enumerate(rows.groupby("target", sort=False)):
            color = f"C{i}"
            ax.plot(
                part["start"] / 60,
                part["service_level"],
                ".-",
                ms=3,
                lw=1,
                color=color,
                label=f"within {target[3:]}",
            )
            ax.axhline(
                part["goal"].iloc[0],
                ls="--",
                lw=1,
                color=color,
                label=f"goal {percent(part['goal'].iloc[0])}",
            )
        ax.set_ylim(-0.02, 1.02)
        _shares(ax)
        ax.set_ylabel("service level")
        ax.set_title(f"{channel}: share answered in time, by arrival interval", loc="left")
        ax.legend(loc="lower left", fontsize=8, ncols=4)
        _days(ax, report, rows["start"].to_numpy())
    return fig


def service_heat_map(report: Report) -> Figure:
    """Service level by day × interval, one panel per channel and target: green at or
    above the goal, red below it (× marks each interval that missed), grey without
    contacts; a target per interval or day hatches the cells it does not judge (fewer
    than `min_offered` contacts a replication), which cannot miss it (they had an × too)."""
    from matplotlib import colormaps
    from matplotlib.colors import TwoSlopeNorm
    from matplotlib.patches import Rectangle

    grids = report.service_grids()
    if not grids:
        return _empty("no service-level targets")
    days = max(len(g.grid) for g in grids)
    fig, axes = figure(len(grids), height=0.9 + 0.28 * days)
    cmap = colormaps["RdYlGn"].with_extremes(bad="#dddddd")
    for ax, heat in zip(axes, grids, strict=True):
        channel, metric, goal, grid = heat.channel, heat.metric, heat.goal, heat.grid
        values = grid.to_numpy(float)
        judged = heat.judged.to_numpy(bool)
        norm = TwoSlopeNorm(vmin=0.0, vcenter=min(max(goal, 0.01), 0.99), vmax=1.0)
        image = ax.imshow(
            np.ma.masked_invalid(values), aspect="auto", cmap=cmap, norm=norm, interpolation="none"
        )
        below = np.argwhere((values < goal - 1e-12) & judged)
        ax.scatter(below[:, 1], below[:, 0], marker="x", s=10, lw=0.8, color="black")
        for row, col in np.argwhere(~judged & ~np.isnan(values)):
            ax.add_patch(
                Rectangle((col - 0.5, row - 0.5), 1, 1, fill=False, hatch="///", lw=0, ec="#444444")
            )
        step = max(1, len(grid.columns) // 12)
        ax.set_xticks(range(0, len(grid.columns), step))
        ax.set_xticklabels(grid.columns[::step], fontsize=8)
        ax.set_yticks(range(len(grid)))
        ax.set_yticklabels(grid.index, fontsize=8)
        marks = "× below the goal"
        if heat.unjudged:
            marks += f", hatched: not judged (< {heat.min_offered:g} contacts)"
        per = f" per {heat.per}" if heat.per != "week" else ""
        ax.set_title(
            f"{channel}: answered within {metric[3:]} by day and interval — goal "
            f"{percent(goal)}{per} ({marks}, grey: none)",
            loc="left",
            fontsize="medium",  # (the marks' line at 12 pt ran past the panel)
        )
        bar = fig.colorbar(image, ax=ax, fraction=0.03, pad=0.01)
        bar.ax.axhline(goal, color="black", lw=1.5)
        bar.set_ticks([0, goal, 1])
        bar.set_ticklabels(["0%", f"goal {percent(goal)}", "100%"], fontsize=8)
    return fig


def backlog(report: Report) -> Figure:
    """Contacts waiting in each message channel at the end of every interval."""
    table = report.backlog
    if table.empty:
        return _empty("no message channels")
    fig, (ax,) = figure()
    for channel in table.columns:
        ax.plot(table.index / 60, table[channel], lw=1.5, label=channel)
    ax.set_ylabel("contacts waiting")
    ax.set_title("Message backlog over the week (mean over replications)", loc="left")
    ax.legend(fontsize=8)
    _days(ax, report, table.index.to_numpy())
    return fig


def staffing(report: Report) -> Figure:
    """Agents on duty (all groups) against the requirement, stacked by channel."""
    table = report.staffing
    hours = table["start"].to_numpy() / 60
    needs = [c for c in table.columns if c.startswith("required: ")]
    fig, (ax,) = figure(height=3.6)
    if needs:  # (none where the load is past what ccsim plans for)
        ax.stackplot(
            hours,
            *[table[c].to_numpy() for c in needs],
            labels=[c.removeprefix("required: ") + " (required)" for c in needs],
            step="post",
            alpha=0.6,
        )
    ax.step(hours, table["on duty"], where="post", color="black", lw=1.5, label="agents on duty")
    ax.set_ylabel("agents")
    against = "against the requirement" if needs else "(no requirement: past what ccsim plans)"
    ax.set_title(f"Agents on duty {against}, by interval", loc="left")
    ax.legend(fontsize=8, ncols=3, loc="upper right")
    _days(ax, report, table["start"].to_numpy())
    return fig


def occupancy(report: Report) -> Figure:
    """Occupancy per group (busy time / time on duty) with its 95 % CI."""
    groups = report.document.groups
    names = list(groups)
    nan = lambda v: np.nan if v is None else v  # noqa: E731
    mean = np.array([nan(groups[g].occupancy.mean) for g in names], float)
    ci = np.array([[nan(v) for v in groups[g].occupancy.ci] for g in names], float)
    fig, (ax,) = figure(height=2.8)
    error = np.abs(np.vstack([mean - ci[:, 0], ci[:, 1] - mean]))
    ax.bar(names, np.nan_to_num(mean), yerr=np.nan_to_num(error), capsize=4, color="C0")
    for x, m in enumerate(mean):
        if not np.isnan(m):
            ax.text(x + 0.03, m, f"{m:.0%}", ha="left", va="bottom")  # beside the CI bar
    ax.set_ylim(0, 1)
    _shares(ax)
    ax.set_ylabel("occupancy")
    ax.set_title("Occupancy by group (95% CI over replications)", loc="left")
    return fig


def cost(report: Report) -> Figure:
    """Weekly cost by component (wages per group, overhead, per-contact costs) and the
    cost per handled contact by channel."""
    c = report.document.cost
    fig, (left, right) = figure(1, 2, height=3.2)
    parts = {f"wages {g}": v.wages for g, v in c.by_group.items()}
    parts |= {"overhead": c.overhead, "per-contact costs": c.contacts}
    left.barh(list(parts), list(parts.values()), color=[f"C{i}" for i in range(len(parts))])
    left.invert_yaxis()
    left.set_xlabel(f"{c.currency} per week")
    left.set_title(f"Weekly cost {c.total:,.2f} {c.currency}", loc="left")
    per = c.per_contact
    right.bar(list(per), list(per.values()), color="C2")
    for x, v in enumerate(per.values()):
        right.text(x, v, f"{v:,.2f}", ha="center", va="bottom")
    right.margins(y=0.15)
    right.set_ylabel(f"{c.currency} per handled contact")
    right.set_title("Cost per handled contact by channel", loc="left")
    return fig


def anger_curve(report: Report) -> Figure:
    """The scenario's anger curve: anger during the conversation for customers who
    start at each reason's mean initial anger, at once and after waiting one tolerance."""
    s = report.scenario
    a = s.anger
    if not a.enabled:
        return _empty("the anger curve is off in this scenario (handle time = resolution)")
    tolerance = next((ch.tolerance for ch in s.channels.values() if ch.tolerance), None)
    empathy = next(iter(s.groups.values())).empathy
    t = np.linspace(0, 6, 300)
    fig, (ax,) = figure(height=3.4)
    for i, (name, reason) in enumerate(s.reasons.items()):
        start = reason.anger.mean
        curves = [(start, "no wait", "-")]
        if tolerance:
            waited = float(anger.anger_after_wait(start, tolerance, tolerance))
            curves.append((waited, f"after waiting {units.format_duration(tolerance)}", "--"))
        for a_w, when, style in curves:
            y = anger.trajectory(
                t, a_w, a.calm_below, a.rise_rate, a.peak_gain, a.empathy_decay, empathy
            )
            ax.plot(t, y, style, color=f"C{i}", label=f"{name}, {when}")
    ax.axhline(a.calm_below, color="grey", lw=1, ls=":", label=f"calm below {a.calm_below:g}")
    ax.set_xlabel("minutes after the agent answers")
    ax.set_ylabel("anger")
    ax.set_ylim(0, 1.02)
    ax.set_title("Anger curve: venting, then empathy brings the customer down", loc="left")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return fig


ALL = {
    "Service level by interval against the target": service_levels,
    "Service level by day and interval (heat map)": service_heat_map,
    "Message backlog over the week": backlog,
    "Agents on duty against the requirement": staffing,
    "Occupancy by group": occupancy,
    "Cost breakdown": cost,
    "Anger curve": anger_curve,
}
