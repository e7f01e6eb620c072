"""Dates as the analytics count them: 4W periods and elapsed years."""

from __future__ import annotations

import datetime as dt

import networkx as nx

from graphmodel.errors import AnalyticsError
from graphmodel.graph import as_date

__all__ = ["graph_as_of", "latest_date", "period_label", "subtract_years", "years_between"]


def period_label(start: dt.date | None, end: dt.date | None) -> str:
    """A 4W period: ``"2016"``, ``"2016-2020"`` or ``"undated"``.

    >>> period_label(dt.date(2016, 10, 1), None), period_label(None, None)
    ('2016', 'undated')
    """
    years = sorted({d.year for d in (start, end) if d is not None})
    if not years:
        return "undated"
    return str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"


def years_between(earlier: dt.date, later: dt.date) -> float:
    """Elapsed time in years (365.25-day years)."""
    return (later - earlier).days / 365.25


def subtract_years(day: dt.date, years: float) -> dt.date:
    """``day`` moved back by ``years`` calendar years (29 Feb falls back to 28 Feb).

    >>> subtract_years(dt.date(2024, 2, 29), 5)
    datetime.date(2019, 2, 28)
    """
    whole = int(years)
    try:
        moved = day.replace(year=day.year - whole)
    except ValueError:
        moved = day.replace(year=day.year - whole, day=28)
    return moved - dt.timedelta(days=round((years - whole) * 365.25))


def latest_date(G: nx.MultiDiGraph) -> dt.date | None:
    """The latest date the graph records (meetings, sources, services, ties, cohorts).

    Parameters
    ----------
    G : nx.MultiDiGraph
        The evidence graph.

    Returns
    -------
    datetime.date or None
        The latest of the nodes' ``date``, ``end_date``, ``published``,
        ``as_of``, ``start`` and ``end`` and the edges' ``since``,
        ``last_seen`` and ``as_of``; None when nothing is dated.

    See Also
    --------
    graph_as_of : the same date, as the default "now" of the analytics.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("m", label="Meeting", date="2024-09-11")
    >>> G.add_node("s", label="Source", published=dt.date(2016, 10, 1))
    >>> latest_date(G)
    datetime.date(2024, 9, 11)
    """
    dates: list[dt.date] = []
    for _, d in G.nodes(data=True):
        for key in ("date", "end_date", "published", "as_of", "start", "end"):
            value = d.get(key)
            if value:
                try:
                    dates.append(as_date(value))  # type: ignore[arg-type]
                except ValueError:
                    pass
    for _, _, d in G.edges(data=True):
        for key in ("since", "last_seen", "as_of"):
            if d.get(key):
                dates.append(as_date(d[key]))  # type: ignore[arg-type]
    return max(dates) if dates else None


def graph_as_of(G: nx.MultiDiGraph) -> dt.date | None:
    """The latest date recorded anywhere in ``G`` (the default "now" for recency and staleness).

    Using the data's own horizon rather than today's date keeps results
    reproducible: the same seed gives the same answer next year.

    Parameters
    ----------
    G : nx.MultiDiGraph
        The evidence graph.

    Returns
    -------
    datetime.date or None
        :func:`latest_date` of ``G``.

    See Also
    --------
    graphmodel.analytics.dates.latest_date, graphmodel.analytics.ties.stale_ties

    References
    ----------
    .. [1] The project's ``docs/findings.md``, "Caveats on network findings"
       (Time): the reference date ("as of") is the date of the latest source.

    Examples
    --------
    >>> import networkx as nx
    >>> graph_as_of(nx.MultiDiGraph()) is None
    True
    """
    if not isinstance(G, nx.MultiDiGraph):
        raise AnalyticsError(f"expected the evidence graph (a MultiDiGraph from build_graph), got {type(G).__name__}")
    return latest_date(G)
