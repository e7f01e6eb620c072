"""The main job's summary report, as Markdown and as one standalone HTML page.

Sections: counts; actors by administrative level; cohorts by region; meetings
on a timeline; sources. Every value is escaped for its format (HTML
autoescaping; Markdown table cells have ``|``, ``<``, ``>`` and ``&``
escaped), so a hostile name in a seed shows as text.
"""

from __future__ import annotations

import datetime as dt
import html
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
from jinja2 import Environment, PackageLoader, select_autoescape

from graphmodel.schema import (
    AdminLevel,
    Agency,
    DateBasis,
    Meeting,
    MigrantCohort,
    NodeLabel,
    Region,
    RegionKind,
    RelType,
    Source,
)
from graphmodel.seed import Dataset

__all__ = ["write_report", "report_context"]

LEVEL_TITLES = {
    AdminLevel.INTERNATIONAL: "International",
    AdminLevel.NATIONAL: "National",
    AdminLevel.PROVINCIAL: "Provincial",
    AdminLevel.REGENCY_CITY: "Regency / city",
}


def md_escape(value: Any) -> str:
    """Escape a value for a Markdown table cell (also neutralises raw HTML).

    >>> md_escape("a|b <img src=x onerror=alert(1)>")
    'a\\\\|b &lt;img src=x onerror=alert(1)&gt;'
    """
    text = html.escape(str(value), quote=False)
    return text.replace("|", "\\|").replace("\n", " ").replace("`", "\\`").replace("*", "\\*").replace("_", "\\_")


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
    actors_by_level: list[tuple[str, list[ActorRow]]]
    cohorts: list[CohortRow]
    meetings: list[MeetingRow]
    sources: list[dict[str, str]]
    timeline_svg: str = ""
    extra_sections: list[dict[str, Any]] = field(default_factory=list)


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
    return [v for _, v, d in G.out_edges(node, data=True) if d["type"] == rtype and not d.get("derived")]


def _in(G: nx.MultiDiGraph, node: str, rtype: RelType) -> list[tuple[str, dict]]:
    return [(u, d) for u, _, d in G.in_edges(node, data=True) if d["type"] == rtype]


def report_context(ds: Dataset, G: nx.MultiDiGraph, seed_dir: Path | None = None) -> ReportContext:
    """Everything the report shows, as plain rows (the templates only lay them out)."""
    counts = ds.counts()
    actors: dict[AdminLevel, list[ActorRow]] = {level: [] for level in AdminLevel}
    for agency in ds.by_label(NodeLabel.AGENCY):
        assert isinstance(agency, Agency)
        actors[agency.level].append(
            ActorRow(
                agency.id,
                agency.name,
                agency.kind.value.replace("_", " "),
                _names(G, _out(G, agency.id, RelType.HAS_JURISDICTION)),
                _names(G, _out(G, agency.id, RelType.PART_OF)),
            )
        )
    cohorts = []
    for cohort in ds.by_label(NodeLabel.MIGRANT_COHORT):
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
    meetings = []
    for meeting in sorted(ds.by_label(NodeLabel.MEETING), key=lambda m: m.date):
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
    sources = [
        {
            "id": s.id,
            "name": s.name,
            "outlet": s.outlet,
            "published": (s.published.isoformat() + (" (inferred)" if s.date_basis is DateBasis.INFERRED else "")) if s.published else "-",
            "path": s.path,
        }
        for s in ds.by_label(NodeLabel.SOURCE)
        if isinstance(s, Source)
    ]
    return ReportContext(
        title="graphmodel: migration-governance coordination graph",
        generated_from=str(seed_dir) if seed_dir else "(dataset)",
        node_counts=sorted(counts["nodes"].items()),
        rel_counts=sorted(counts["relationships"].items()),
        actors_by_level=[(LEVEL_TITLES[level], sorted(rows, key=lambda r: r.name)) for level, rows in actors.items() if rows],
        cohorts=cohorts,
        meetings=meetings,
        sources=sources,
    )


def timeline_svg(ds: Dataset) -> str:
    """The meetings on a time axis, as SVG text (text drawn as paths, so no markup can leak)."""
    # (no backend is forced: without a display matplotlib falls back to Agg itself,
    # and a notebook keeps its inline backend)
    import matplotlib
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    meetings = sorted((m for m in ds.by_label(NodeLabel.MEETING) if isinstance(m, Meeting)), key=lambda m: m.date)
    fig, ax = plt.subplots(figsize=(10, 1.2 + 0.45 * max(len(meetings), 1)))
    for i, meeting in enumerate(meetings):
        inferred = meeting.date_basis is DateBasis.INFERRED
        ax.plot([meeting.date], [i], marker="o", markersize=9, color="#1f77b4", markerfacecolor="white" if inferred else "#1f77b4")
        label = f"{meeting.date.isoformat()}{' (inferred)' if inferred else ''}  {meeting.name}"
        ax.annotate(label[:90], (mdates.date2num(meeting.date), i), xytext=(8, 0), textcoords="offset points", va="center", fontsize=8)
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
    ax.set_title("Meetings (hollow marker: date inferred, not printed in the source)", fontsize=9)
    fig.tight_layout()
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "graphmodel"}):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg") :]


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("graphmodel", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_escape
    return env


def write_report(ds: Dataset, G: nx.MultiDiGraph, out_dir: Path, seed_dir: Path | None = None, extra_sections: list[dict[str, Any]] | None = None) -> list[Path]:
    """Write ``report.md``, ``report.html`` and ``timeline.svg`` into ``out_dir``."""
    ctx = report_context(ds, G, seed_dir)
    ctx.extra_sections = extra_sections or []
    svg = timeline_svg(ds)
    ctx.timeline_svg = svg
    env = _environment()
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / "report.md", out_dir / "report.html", out_dir / "timeline.svg"]
    paths[0].write_text(env.get_template("report.md.j2").render(ctx=ctx), encoding="utf-8")
    paths[1].write_text(env.get_template("report.html").render(ctx=ctx), encoding="utf-8")
    paths[2].write_text(svg, encoding="utf-8")
    return paths
