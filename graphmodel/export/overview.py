"""The main job's pictures: ``overview.png``, ``overview.svg`` and ``network.html``.

All three are meant for sharing, so they are redacted
(:func:`graphmodel.export.common.redact_graph`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx

from graphmodel.export import ExportFormat, export_graph

__all__ = ["write_overview", "OVERVIEW_FILES"]

OVERVIEW_FILES = {"overview.png": ExportFormat.PNG, "overview.svg": ExportFormat.SVG, "network.html": ExportFormat.HTML}


def write_overview(G: nx.MultiDiGraph, out_dir: Path | str, highlight: Any = None) -> list[Path]:
    """Write the overview diagram (PNG, SVG) and the interactive page into ``out_dir``.

    ``highlight``: node ids and (from, to) pairs to emphasise, or a
    :class:`~graphmodel.export.common.Highlight`, e.g. from
    :func:`graphmodel.export.overlays.gap_highlight`. Returns the paths written.
    """
    out_dir = Path(out_dir)
    written: list[Path] = []
    for name, fmt in OVERVIEW_FILES.items():
        written += export_graph(G, fmt, out_dir / name, highlight=highlight)
    return written
