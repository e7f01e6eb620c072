"""The main job's summary report, as Markdown and as one standalone HTML page.

Sections: counts; actors by administrative level; cohorts by region; meetings
on a timeline; sources. Every value is escaped for its format (HTML
autoescaping; :func:`graphmodel.util.escaping.markdown_text` in Markdown, so no
link, image, heading or emphasis comes from data; the timeline's labels go
through :func:`graphmodel.util.escaping.matplotlib_text`), so a hostile name in a
seed shows as text.

A national graph has hundreds of thousands of elements: each table shows at
most :data:`TABLE_ROWS` rows (the most connected actors, the largest cohorts,
the latest meetings, the most cited sources), states the total and points to
the data files, and above :data:`TIMELINE_ROWS` meetings the timeline shows
meetings per month with only the latest labelled.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter, methodcaller
from pathlib import Path
from typing import Any

import networkx as nx
from jinja2 import Environment, PackageLoader, select_autoescape

from graphmodel.graph import edge_attribute_dicts, out_edge_attributes
from graphmodel.model.schema import (
    AdminLevel,
    Agency,
    DateBasis,
    DatePrecision,
    Meeting,
    MigrantCohort,
    NodeLabel,
    Region,
    RegionKind,
    RelType,
    Source,
)
from graphmodel.seed import Dataset
from graphmodel.util.escaping import MATPLOTLIB_TEXT_RC, markdown_text, matplotlib_text

__all__ = [
    "write_report", "prepare_report", "render_report", "report_context", "timeline_svg", "meeting_label", "meeting_marker",
    "TABLE_ROWS", "TIMELINE_ROWS", "TIMELINE_LABELS",
]

TABLE_ROWS = 100
"""Most rows a report table shows; the total is stated and the rest are in the data files."""

TIMELINE_ROWS = 60
"""Up to this many meetings the timeline has one labelled row each; above, meetings per month."""

TIMELINE_LABELS = 30
"""How many of the latest meetings a per-month timeline labels."""

LEVEL_TITLES = {
    AdminLevel.INTERNATIONAL: "International",
    AdminLevel.NATIONAL: "National",
    AdminLevel.PROVINCIAL: "Provincial",
    AdminLevel.REGENCY_CITY: "Regency / city",
}


md_escape = markdown_text
"""The Markdown filter of the report's templates (:func:`graphmodel.util.escaping.markdown_text`)."""


@dataclass
class ActorRow:
    id: str
    name: str
    kind: str
    jurisdiction: str
    part_of: str


@dataclass
class CohortRow:
    region_path: str
    id: str
    name: str
    cohort_type: str
    size: str
    size_basis: str
    nationalities: str
    shelters: str
    presence: str


@dataclass
class MeetingRow:
    date: str
    date_note: str
    id: str
    name: str
    venue: str
    format: str
    attendees: str
    hosts: str


@dataclass
class ReportContext:
    title: str
    generated_from: str
    node_counts: list[tuple[str, int]]
    rel_counts: list[tuple[str, int]]
    actors_by_level: list[tuple[str, list[ActorRow], int]]
    """(level title, rows shown, number of actors at that level)"""
    cohorts: list[CohortRow]
    meetings: list[MeetingRow]
    sources: list[dict[str, str]]
    timeline_svg: str = ""
    extra_sections: list[dict[str, Any]] = field(default_factory=list)
    cohorts_total: int = 0
    meetings_total: int = 0
    sources_total: int = 0
    table_rows: int = TABLE_ROWS


def _names(G: nx.MultiDiGraph, ids: list[str]) -> str:
    return "; ".join(sorted(G.nodes[i]["name"] for i in ids))


def _region_path(ds: Dataset, region_id: str) -> str:
    parts = []
    current: str | None = region_id
    while current is not None:
        region = ds.nodes[current]
        assert isinstance(region, Region)
        if region.kind is not RegionKind.COUNTRY:
            parts.append(region.name)
        current = region.parent
    return " / ".join(reversed(parts))


def _out(G: nx.MultiDiGraph, node: str, rtype: RelType) -> list[str]:
    return [v for v, d in out_edge_attributes(G, node) if d["type"] == rtype and not d.get("derived")]


def _in(G: nx.MultiDiGraph, node: str, rtype: RelType) -> list[tuple[str, dict]]:
    return [(u, d) for u, _, d in G.in_edges(node, data=True) if d["type"] == rtype]


def _most(items: list, key: Any) -> list:
    """The :data:`TABLE_ROWS` items with the largest ``key``, in their original order (all of them when there are few)."""
    n = TABLE_ROWS
    if len(items) <= n:
        return items
    chosen = {id(x) for x in sorted(items, key=key, reverse=True)[:n]}
    return [x for x in items if id(x) in chosen]


def report_context(ds: Dataset, G: nx.MultiDiGraph, seed_dir: Path | None = None) -> ReportContext:
    """Everything the report shows, as plain rows (the templates only lay them out).

    The relationship counts and citations come from ``G``'s recorded
    (non-derived) edges, one per relationship of ``ds``: the main job lets the
    relationship records go as it builds the graph
    (:func:`~graphmodel.graph.build_graph` with ``release=True``).
    """
    recorded = [d for d in edge_attribute_dicts(G) if not d.get("derived")]
    counts = {"nodes": Counter(n.label for n in ds.nodes.values()), "relationships": Counter(map(itemgetter("type"), recorded))}
    by_level: dict[AdminLevel, list[Agency]] = {level: [] for level in AdminLevel}
    for agency in ds.by_label(NodeLabel.AGENCY):
        assert isinstance(agency, Agency)
        by_level[agency.level].append(agency)
    actors: list[tuple[str, list[ActorRow], int]] = []
    for level, agencies in by_level.items():
        if not agencies:
            continue
        shown = _most(agencies, key=lambda a: (G.degree(a.id), a.name))
        rows = [
            ActorRow(
                agency.id,
                agency.name,
                agency.kind.value.replace("_", " "),
                _names(G, _out(G, agency.id, RelType.HAS_JURISDICTION)),
                _names(G, _out(G, agency.id, RelType.PART_OF)),
            )
            for agency in shown
        ]
        actors.append((LEVEL_TITLES[level], sorted(rows, key=lambda r: r.name), len(agencies)))
    all_cohorts = ds.by_label(NodeLabel.MIGRANT_COHORT)
    cohorts = []
    for cohort in _most(all_cohorts, key=lambda c: (c.size or 0, c.name)):
        assert isinstance(cohort, MigrantCohort)
        hosts = _in(G, cohort.id, RelType.HOSTS_COHORT)
        shelters = [
            f"{G.nodes[u]['name']}" + (f" ({d['count']:,})" if d.get("count") else "")
            for u, d in _in(G, cohort.id, RelType.SHELTERS)
        ]
        region_paths = sorted({_region_path(ds, u) for u, _ in hosts}) or ["(no region recorded)"]
        presence = sorted({d.get("presence", "residing") for _, d in hosts})
        cohorts.append(
            CohortRow(
                "; ".join(region_paths),
                cohort.id,
                cohort.name,
                cohort.cohort_type.value.replace("_", " "),
                f"{cohort.size:,}" if cohort.size else "unknown",
                cohort.size_basis.value,
                ", ".join(cohort.nationalities) or "-",
                "; ".join(sorted(shelters)) or "-",
                ", ".join(presence) or "-",
            )
        )
    cohorts.sort(key=lambda r: (r.region_path, r.name))
    all_meetings = sorted((m for m in ds.by_label(NodeLabel.MEETING) if isinstance(m, Meeting)), key=lambda m: m.date)
    meetings = []
    for meeting in all_meetings[-TABLE_ROWS:]:  # the latest
        assert isinstance(meeting, Meeting)
        note = "inferred: " + (meeting.date_reasoning or "") if meeting.date_basis is DateBasis.INFERRED else "stated"
        date_text = meeting.date.isoformat() + (f" to {meeting.end_date.isoformat()}" if meeting.end_date else "")
        meetings.append(
            MeetingRow(
                date_text,
                note,
                meeting.id,
                meeting.name,
                meeting.venue or "-",
                meeting.format.value.replace("_", " "),
                _names(G, [u for u, _ in _in(G, meeting.id, RelType.ATTENDED) if G.nodes[u]["label"] == NodeLabel.AGENCY]),
                _names(G, [u for u, _ in _in(G, meeting.id, RelType.HOSTED)]),
            )
        )
    all_sources = [s for s in ds.by_label(NodeLabel.SOURCE) if isinstance(s, Source)]
    if len(all_sources) > TABLE_ROWS:
        cited: Counter = Counter(ev.source for node in ds.nodes.values() for ev in node.evidence)
        # every recorded edge's quotes (millions at national scale), counted without a Python step per quote
        cited.update(map(itemgetter("source"), chain.from_iterable(map(methodcaller("get", "evidence", ()), recorded))))
        all_shown = _most(all_sources, key=lambda s: (cited[s.id], s.id))
    else:
        all_shown = all_sources
    sources = [
        {
            "id": s.id,
            "name": s.name,
            "outlet": s.outlet,
            "published": (s.published.isoformat() + (" (inferred)" if s.date_basis is DateBasis.INFERRED else "")) if s.published else "-",
            "path": s.path,
        }
        for s in all_shown
    ]
    return ReportContext(
        title="graphmodel: migration-governance coordination graph",
        generated_from=str(seed_dir) if seed_dir else "(dataset)",
        node_counts=sorted(counts["nodes"].items()),
        rel_counts=sorted(counts["relationships"].items()),
        actors_by_level=actors,
        cohorts=cohorts,
        meetings=meetings,
        sources=sources,
        cohorts_total=len(all_cohorts),
        meetings_total=len(all_meetings),
        sources_total=len(all_sources),
    )


def timeline_svg(ds: Dataset) -> str:
    """The meetings on a time axis, as SVG text (text drawn as paths, so no markup can leak)."""
    # (no backend is forced: without a display matplotlib falls back to Agg itself,
    # and a notebook keeps its inline backend)
    import matplotlib

    meetings = sorted((m for m in ds.by_label(NodeLabel.MEETING) if isinstance(m, Meeting)), key=lambda m: m.date)
    # the labels are escaped for these settings, whatever the user's matplotlibrc says
    rc: dict[Any, Any] = dict(MATPLOTLIB_TEXT_RC)  # matplotlib types its keys as a closed set of names
    with matplotlib.rc_context(rc):
        # one labelled 0.45-inch row per meeting would be 90,000 inches at 200k meetings
        fig = _timeline_by_month(meetings) if len(meetings) > TIMELINE_ROWS else _timeline_rows(meetings)
    return _svg_text(fig)


def meeting_label(meeting: Meeting) -> str:
    """``date (inferred)  name``, cut to 90 characters, as matplotlib text (a ``$`` in a name is not maths).

    A date that is only an upper bound (``no_later_than``: the source dates a
    later briefing, not the meeting) reads ``on or before 2016-10-01``.
    """
    inferred = meeting.date_basis is DateBasis.INFERRED
    bound = "on or before " if _upper_bound(meeting) else ""
    return matplotlib_text(f"{bound}{meeting.date.isoformat()}{' (inferred)' if inferred else ''}  {meeting.name}"[:90])


def _upper_bound(meeting: Meeting) -> bool:
    return meeting.date_precision is DatePrecision.NO_LATER_THAN


def meeting_marker(meeting: Meeting) -> str:
    """The timeline's matplotlib marker of a meeting: ``"<"`` for a date that is only an upper bound, else ``"o"``.

    A left-pointing triangle says the meeting was on or before the date; a
    dot, on it.
    """
    return "<" if _upper_bound(meeting) else "o"


def _timeline_rows(meetings: list[Meeting]) -> Any:
    """One labelled row per meeting."""
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(10, 1.2 + 0.45 * max(len(meetings), 1)))
    for i, meeting in enumerate(meetings):
        inferred = meeting.date_basis is DateBasis.INFERRED
        ax.plot([meeting.date], [i], marker=meeting_marker(meeting), markersize=9, color="#1f77b4",  # type: ignore[arg-type]  # a date axis
                markerfacecolor="white" if inferred else "#1f77b4")
        ax.annotate(meeting_label(meeting), (mdates.date2num(meeting.date), i), xytext=(8, 0),
                    textcoords="offset points", va="center", fontsize=8)
    if meetings:
        first, last = meetings[0].date, meetings[-1].date
        ax.set_xlim(mdates.date2num(first - dt.timedelta(days=200)), mdates.date2num(last + dt.timedelta(days=1500)))
    ax.set_ylim(-1, max(len(meetings), 1))
    ax.invert_yaxis()
    ax.get_yaxis().set_visible(False)
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.set_title("Meetings (hollow marker: date inferred, not printed in the source; "
                 "left-pointing marker: on or before that date)", fontsize=9)
    fig.tight_layout()
    return fig


def _svg_text(fig: Any) -> str:
    import matplotlib
    import matplotlib.pyplot as plt

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "graphmodel"}):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg") :]


def _timeline_by_month(meetings: list[Meeting]) -> Any:
    """Meetings per month as one line, above the :data:`TIMELINE_LABELS` latest meetings, one labelled row each."""
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    per_month = Counter(m.date.replace(day=1) for m in meetings)
    months = sorted(per_month)
    # every month in the span, so a month without meetings shows as zero, not as a straight line across it
    span = [months[0]]
    while span[-1] < months[-1]:
        d = span[-1]
        span.append(d.replace(year=d.year + 1, month=1) if d.month == 12 else d.replace(month=d.month + 1))
    latest = meetings[-TIMELINE_LABELS:]
    fig, (ax, ax2) = plt.subplots(2, 1, figsize=(10, 3.0 + 0.3 * len(latest)), height_ratios=[2.2, 0.3 * len(latest)])
    ax.fill_between([mdates.date2num(d) for d in span], [per_month.get(d, 0) for d in span], step="post", color="#1f77b4", alpha=0.35, linewidth=0)
    ax.step([mdates.date2num(d) for d in span], [per_month.get(d, 0) for d in span], where="post", color="#1f77b4", linewidth=1)
    ax.set_ylabel("meetings per month", fontsize=8)
    ax.set_title(f"{len(meetings):,} meetings, {meetings[0].date.isoformat()} to {meetings[-1].date.isoformat()}: "
                 f"per month above, the {len(latest)} latest below (hollow marker: date inferred)", fontsize=9)
    for i, meeting in enumerate(latest):
        inferred = meeting.date_basis is DateBasis.INFERRED
        ax2.plot([meeting.date], [i], marker=meeting_marker(meeting), markersize=7, color="#1f77b4",
                 markerfacecolor="white" if inferred else "#1f77b4")
        ax2.annotate(meeting_label(meeting), (mdates.date2num(meeting.date), i), xytext=(8, 0),
                     textcoords="offset points", va="center", fontsize=8)
    first, last = latest[0].date, latest[-1].date
    ax2.set_xlim(mdates.date2num(first - dt.timedelta(days=30)), mdates.date2num(last + (last - first) * 1.5 + dt.timedelta(days=60)))
    ax2.set_ylim(-1, len(latest))
    ax2.invert_yaxis()
    ax2.get_yaxis().set_visible(False)
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax2.xaxis.set_major_locator(mdates.AutoDateLocator())
    ax2.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax2.xaxis.get_major_locator()))
    for a in (ax, ax2):
        for side in ("right", "top"):
            a.spines[side].set_visible(False)
    ax2.spines["left"].set_visible(False)
    fig.tight_layout()
    return fig


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("graphmodel.report", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_escape
    return env


def prepare_report(ds: Dataset, G: nx.MultiDiGraph, seed_dir: Path | None = None) -> ReportContext:
    """Everything the report needs from the dataset, with the timeline drawn: after this the dataset can go.

    The main job drops the validated dataset here, before the analytics run,
    so a national seed is not held in memory twice (records and graph).
    """
    ctx = report_context(ds, G, seed_dir)
    ctx.timeline_svg = timeline_svg(ds)
    return ctx


def render_report(ctx: ReportContext, out_dir: Path, extra_sections: list[dict[str, Any]] | None = None) -> list[Path]:
    """Write ``report.md``, ``report.html`` and ``timeline.svg`` of a :func:`prepare_report` context into ``out_dir``."""
    ctx.extra_sections = extra_sections or []
    env = _environment()
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / "report.md", out_dir / "report.html", out_dir / "timeline.svg"]
    paths[0].write_text(env.get_template("report.md.j2").render(ctx=ctx), encoding="utf-8")
    paths[1].write_text(env.get_template("report.html").render(ctx=ctx), encoding="utf-8")
    paths[2].write_text(ctx.timeline_svg, encoding="utf-8")
    return paths


def write_report(ds: Dataset, G: nx.MultiDiGraph, out_dir: Path, seed_dir: Path | None = None, extra_sections: list[dict[str, Any]] | None = None) -> list[Path]:
    """Write ``report.md``, ``report.html`` and ``timeline.svg`` into ``out_dir``."""
    return render_report(prepare_report(ds, G, seed_dir), out_dir, extra_sections)
