"""The 4W matrix (:func:`graphmodel.analytics.coverage_matrix`) as an HXL-tagged CSV for humanitarian tools.

References
----------
.. [1] HXL Hashtag Dictionary, Humanitarian Exchange Language standard 1.1,
   https://hxlstandard.org/standard/dictionary/ (``#org``, ``#sector``,
   ``#adm1``, ``#adm2``, ``#date``, ``#affected``, ``#meta``).
.. [2] OWASP, "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path
from typing import IO

import networkx as nx
import pandas as pd

from graphmodel.analytics import Analysis, coverage_matrix

__all__ = ["HXL_COLUMNS", "hxl_text", "write_4w_hxl"]


HXL_COLUMNS: list[tuple[str, str, str]] = [
    ("Organisation", "#org", "agency_name"),
    ("Organisation type", "#org+type", "agency_kind"),
    ("Service (sector)", "#sector", "service"),
    ("Province", "#adm1+name", "adm1_name"),
    ("Province code", "#adm1+code", "adm1_code"),
    ("Regency/city", "#adm2+name", "adm2_name"),
    ("Regency/city code", "#adm2+code", "adm2_code"),
    ("Start date", "#date+start", "start"),
    ("End date", "#date+end", "end"),
    ("Affected population type", "#affected+type", "cohort_types"),
    ("Source", "#meta+source", "sources"),
]
"""(header, HXL hashtag, 4W matrix column) for :func:`write_4w_hxl`."""

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    """A CSV cell that spreadsheets will not run as a formula (OWASP CSV injection)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_4w_hxl(G: nx.MultiDiGraph | Analysis, path: str | Path | IO[str]) -> Path | None:
    """Write the 4W matrix as an HXL-tagged CSV: a header row, a hashtag row, then the data.

    Columns and hashtags are :data:`HXL_COLUMNS` (``#org``, ``#org+type``,
    ``#sector``, ``#adm1+name``, ``#adm1+code``, ``#adm2+name``,
    ``#adm2+code``, ``#date+start``, ``#date+end``, ``#affected+type``,
    ``#meta+source``). Codes are Kemendagri codes; a region above the
    province level leaves the admin columns empty. Cells that a spreadsheet
    would read as a formula are prefixed with ``'``.

    Parameters
    ----------
    G : nx.MultiDiGraph or Analysis
        The evidence graph, or an :class:`~graphmodel.analytics.analysis.Analysis`
        of it (whose index is then used).
    path : path or text file object
        Where to write (UTF-8). A file object is written to and left open.

    Returns
    -------
    Path or None
        The path written, or None when given a file object.

    Examples
    --------
    >>> import io, networkx as nx
    >>> buf = io.StringIO()
    >>> write_4w_hxl(nx.MultiDiGraph(), buf)
    >>> buf.getvalue().splitlines()[1]
    '#org,#org+type,#sector,#adm1+name,#adm1+code,#adm2+name,#adm2+code,#date+start,#date+end,#affected+type,#meta+source'
    """
    frame = coverage_matrix(G)
    if isinstance(path, (str, Path)):
        target = Path(path)
        with target.open("w", encoding="utf-8", newline="") as fh:
            _write_hxl(frame, fh)
        return target
    _write_hxl(frame, path)
    return None


def _write_hxl(frame: pd.DataFrame, fh: IO[str]) -> None:
    writer = csv.writer(fh, lineterminator="\n")
    writer.writerow([h for h, _, _ in HXL_COLUMNS])
    writer.writerow([t for _, t, _ in HXL_COLUMNS])
    for record in frame.to_dict("records"):
        writer.writerow([_cell(record[c]) for _, _, c in HXL_COLUMNS])


def hxl_text(G: nx.MultiDiGraph | Analysis) -> str:
    """The HXL CSV as text (see :func:`write_4w_hxl`).

    Parameters
    ----------
    G : nx.MultiDiGraph or Analysis
        As in :func:`write_4w_hxl`.

    Returns
    -------
    str
        The header row, the hashtag row and the data, one line each.

    See Also
    --------
    write_4w_hxl

    Examples
    --------
    >>> import networkx as nx
    >>> hxl_text(nx.MultiDiGraph()).splitlines()[0].split(",")[:3]
    ['Organisation', 'Organisation type', 'Service (sector)']
    """
    buf = io.StringIO()
    write_4w_hxl(G, buf)
    return buf.getvalue()
