"""Exports of the graph, or a filtered view of it, to files other tools open.

=============  ==========================================  =================
format         for                                         redacted by default
=============  ==========================================  =================
``graphml``    yEd, Gephi, Cytoscape, igraph (full data)   no
``neo4j-csv``  ``neo4j-admin database import`` (a folder)  no
``gexf``       Gephi, with a timeline                      yes
``cytoscape``  Cytoscape.js / Cytoscape desktop JSON       yes
``png``        briefing diagram, 2400 x 1600 px            yes
``svg``        the same diagram, scalable, text as text    yes
``html``       one self-contained interactive page         yes
``hxl-4w``     HXL-tagged 4W table                         no
=============  ==========================================  =================

Sensitive data: :data:`graphmodel.model.schema.SENSITIVE_FIELDS` (people's names and
aliases, facility addresses). Formats meant for sharing (GEXF, Cytoscape JSON,
PNG, SVG, HTML) redact them unless ``redact=False``; the data exports
(GraphML, neo4j CSV, 4W) keep them unless ``redact=True``. What redaction does
is described in :mod:`graphmodel.export.common`.

Every file is written atomically: to a temporary file beside the target,
moved into place only when complete (``neo4j-csv``: a staging folder that
takes the place of the earlier folder whole). An output replaces only a
regular file (a folder of an earlier export, for ``neo4j-csv``) or a new
path: devices, FIFOs and symbolic links are refused and left as they are.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graphmodel.errors import ExportError

if TYPE_CHECKING:  # imported where used: `graphmodel --help` lists the formats without loading NetworkX
    import networkx as nx

    from graphmodel.graph.views import GraphFilter

__all__ = [
    "ExportFormat", "export_graph", "SHARING_FORMATS", "available_formats", "check_filter", "check_export_target",
]


class ExportFormat(StrEnum):
    GRAPHML = "graphml"
    GEXF = "gexf"
    CYTOSCAPE = "cytoscape"
    NEO4J_CSV = "neo4j-csv"
    PNG = "png"
    SVG = "svg"
    HTML = "html"
    HXL_4W = "hxl-4w"


SHARING_FORMATS = frozenset({ExportFormat.GEXF, ExportFormat.CYTOSCAPE, ExportFormat.PNG, ExportFormat.SVG, ExportFormat.HTML})
"""Formats meant for sharing: redacted unless asked otherwise."""

_DATED_FORMATS = frozenset({ExportFormat.PNG, ExportFormat.SVG, ExportFormat.HTML})
"""Formats that print the graph's reference date."""


def available_formats() -> list[ExportFormat]:
    """The formats this installation can write (all of them)."""
    return list(ExportFormat)


def check_filter(G: nx.MultiDiGraph, f: GraphFilter) -> None:
    """Raise :class:`ExportError` (or :class:`graphmodel.graph.views.UnknownNode`) for a filter that cannot mean anything."""
    from graphmodel.errors import UnknownNode
    from graphmodel.graph.views import region_scope
    from graphmodel.model.schema import CohortType, NodeLabel

    if f.node_types:
        unknown = sorted(set(f.node_types) - {lab.value for lab in NodeLabel})
        if unknown:
            raise ExportError(f"unknown node type(s) {', '.join(map(repr, unknown))}; known: {', '.join(lab.value for lab in NodeLabel)}")
    if f.cohort_type and f.cohort_type not in {c.value for c in CohortType}:
        raise ExportError(f"unknown cohort type {f.cohort_type!r}; known: {', '.join(c.value for c in CohortType)}")
    if f.since and f.until and f.since > f.until:
        raise ExportError(f"--since {f.since} is after --until {f.until}")
    if f.radius < 0:
        raise ExportError(f"radius must be 0 or more, not {f.radius}")
    if f.region:
        region_scope(G, f.region)  # raises UnknownNode
    if f.ego and f.ego not in G:
        raise UnknownNode(f"node {f.ego!r} not in graph")


def _title(f: GraphFilter | None) -> str:
    from graphmodel.graph.views import GraphFilter

    return (f or GraphFilter()).describe()


def export_graph(
    G: nx.MultiDiGraph,
    fmt: ExportFormat | str,
    path: Path | str,
    *,
    filter: GraphFilter | None = None,  # noqa: A002 - the issue's name for it
    redact: bool | None = None,
    highlight: Any = None,
    include_people: bool = False,
    include_sources: bool = False,
    title: str = "Stakeholder coordination graph: migration governance in Indonesia",
    as_of: dt.date | None = None,
) -> list[Path]:
    """Write ``G`` (or the view ``filter`` selects) as ``fmt`` to ``path``; return the files written.

    Parameters
    ----------
    G : MultiDiGraph
        A graph from :func:`graphmodel.graph.build_graph`.
    fmt : ExportFormat or str
        See the module docstring. ``neo4j-csv`` writes into the folder ``path``.
    filter : GraphFilter, optional
        Cut with :func:`graphmodel.graph.views.subgraph` first.
    redact : bool, optional
        Default: ``True`` for formats meant for sharing, ``False`` for data exports.
    highlight : iterable of node ids and (from, to) pairs, or Highlight, optional
        Gaps and single points of failure to emphasise (diagrams, HTML, GEXF, Cytoscape).
    include_people, include_sources : bool
        Draw Person / Source nodes in PNG and SVG (hidden by default).
    as_of : datetime.date, optional
        The reference date PNG, SVG and HTML print ("as of ..."). Default: the
        whole graph's :func:`graphmodel.export.common.reference_date` (the date
        the report measures recency from), whatever the filter keeps.

    Raises
    ------
    ExportError
        Unknown format, a filter that names unknown types, or a view with no nodes.
    graphmodel.errors.OutputError
        ``path`` is not what the format may replace (:func:`check_export_target`),
        or the disk refused the write (full, read-only); ``path`` is then as it was.
    graphmodel.graph.views.UnknownNode
        The filter's region or ego node is not in the graph.
    """
    from graphmodel.export.common import prepare, reference_date
    from graphmodel.graph.views import GraphFilter, subgraph
    from graphmodel.util.output import atomic_write

    try:
        fmt = ExportFormat(fmt)
    except ValueError:
        raise ExportError(f"unknown export format {fmt!r}; known: {', '.join(f.value for f in available_formats())}") from None
    check_export_target(fmt, path)
    f = filter or GraphFilter()
    check_filter(G, f)
    view = subgraph(G, f)
    if view.number_of_nodes() == 0:
        raise ExportError(f"the filter ({f.describe()}) selects no nodes; nothing was written")
    if redact is None:
        redact = fmt in SHARING_FORMATS
    if as_of is None and fmt in _DATED_FORMATS:
        as_of = reference_date(G)  # of the whole graph, as the report's: a filter does not move "now"
    data, hl = prepare(view, redact=redact, highlight=highlight)
    hl = type(hl)(frozenset(n for n in hl.nodes if n in data), frozenset(e for e in hl.edges if e[0] in data and e[1] in data), hl.reasons)
    description = _title(f)
    path = Path(path)

    if fmt is ExportFormat.NEO4J_CSV:
        from graphmodel.export.neo4j_csv import write_neo4j_csv

        return write_neo4j_csv(data, path)
    with atomic_write(path) as tmp:
        if fmt is ExportFormat.GRAPHML:
            from graphmodel.export.graphml import write_graphml

            write_graphml(data, tmp)
        elif fmt is ExportFormat.GEXF:
            from graphmodel.export.gexf import write_gexf

            write_gexf(data, tmp, highlight=hl, description=f"{title}: {description}")
        elif fmt is ExportFormat.CYTOSCAPE:
            from graphmodel.export.cytoscape import write_cytoscape_json

            write_cytoscape_json(data, tmp, highlight=hl, description=description)
        elif fmt in {ExportFormat.PNG, ExportFormat.SVG}:
            from graphmodel.export.diagram import default_subtitle, write_diagram

            write_diagram(data, tmp, fmt=fmt.value, title=title, subtitle=default_subtitle(data, description, as_of),
                          highlight=hl, include_people=include_people, include_sources=include_sources)
        elif fmt is ExportFormat.HTML:
            from graphmodel.export.html import write_html

            write_html(data, tmp, highlight=hl, title=title, description=description, as_of=as_of)
        elif fmt is ExportFormat.HXL_4W:
            from graphmodel.export.hxl import write_4w_hxl

            write_4w_hxl(data, tmp)
    return [path]


def check_export_target(fmt: ExportFormat | str, path: Path | str) -> None:
    """Raise :class:`~graphmodel.errors.OutputError` unless ``fmt`` may be written at ``path``.

    A file format takes the place of a regular file or a new path; ``neo4j-csv``
    that of a new path, an empty folder or one holding only an earlier
    ``neo4j-csv`` export (it replaces the folder whole). A device, FIFO, socket
    or symbolic link there is left as it is. Meant to be called before the
    work, so that a wrong ``-o`` is refused at once; the writers check again.
    """
    from graphmodel.util.output import check_output_folder, check_output_target

    if fmt == ExportFormat.NEO4J_CSV:
        from graphmodel.export.neo4j_csv import is_export_file

        check_output_folder(path, is_export_file)
    else:
        check_output_target(path)
