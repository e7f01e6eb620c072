"""Coordination projections: who coordinates with whom, and why.

The evidence graph mixes agencies, meetings, programmes, regions and sources;
network measures run on a *projection* of it onto agencies only, whose ties
say why two agencies count as coordinating and when they last did.

References
----------
.. [1] Borgatti, S. P., & Halgin, D. S. (2011). Analyzing affiliation
   networks. In The SAGE Handbook of Social Network Analysis (pp. 417-433).
   (Projecting two-mode affiliation data onto one mode.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import networkx as nx

from graphmodel.analytics.analysis import Analysis
from graphmodel.analytics.projection import DEFAULT_TIE_WEIGHTS, project_digraph, project_network

__all__ = ["DEFAULT_TIE_WEIGHTS", "coordination_network", "coordination_digraph", "tie_summary"]


def coordination_network(
    G: nx.MultiDiGraph | Analysis,
    since: dt.date | None = None,
    until: dt.date | None = None,
    weights: Mapping[str, float] | None = None,
) -> nx.Graph:
    """The undirected coordination network among agencies.

    Two agencies are tied when, within ``[since, until]``, they both attended
    or hosted a meeting (agencies' own ``ATTENDED``/``HOSTED``; people's
    attendance is not credited to an office they may have held at another
    time), both fund, implement or receive support from a
    programme, one ``COOPERATES_WITH`` the other, or one is ``PART_OF`` the
    other. The tie weight is the sum over those reasons of ``weights[kind]``
    (:data:`DEFAULT_TIE_WEIGHTS`: one per shared meeting, one per shared
    programme, one for cooperation, one for PART_OF).

    Undated facts (a programme without start or end, a cooperation without
    ``last_seen``) count in every window, and PART_OF is structural and always
    counts: a window never drops a tie for lack of a date.

    Parameters
    ----------
    G : nx.MultiDiGraph or Analysis
        The evidence graph, or an :class:`~graphmodel.analytics.analysis.Analysis`
        of it (whose index is then used; its :attr:`~graphmodel.analytics.analysis.Analysis.network`
        is this network for every tie, built once).
    since, until : datetime.date, optional
        Keep only ties dated in this window (inclusive).
    weights : mapping, optional
        Weight per tie kind (``meeting``, ``programme``, ``cooperates_with``,
        ``part_of``).

    Returns
    -------
    nx.Graph
        Every agency as a node (``name``, ``kind``, ``level``); edge attributes
        ``weight``, ``distance`` (``1/weight``, for shortest paths),
        ``meetings``, ``programmes``, ``cooperates``, ``part_of``, ``reasons``,
        ``first_contact``, ``last_contact`` (dates of dated ties) and
        ``evidence`` (:class:`EvidenceRef`).

    See Also
    --------
    coordination_digraph : the directed ties brokerage counts on.
    tie_summary : the ties as a table.

    References
    ----------
    .. [1] Borgatti, S. P., & Halgin, D. S. (2011). Analyzing affiliation
       networks. In The SAGE Handbook of Social Network Analysis (pp. 417-433):
       the projection of two-mode data (agencies and the meetings and
       programmes they share) onto one mode, agencies.
    .. [2] The project's ``docs/findings.md``, "Caveats on network findings":
       an organisation chart (``PART_OF``) is not coordination, and planned
       ties are not ties.

    Examples
    --------
    >>> import datetime as dt, networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> for a in ("pemko", "iom"):
    ...     G.add_node(a, label="Agency", name=a.upper(), kind="other", level="regency_city")
    >>> G.add_node("m1", label="Meeting", name="Audience", date=dt.date(2016, 10, 1))
    >>> ev = [{"source": "src-000", "quote": "pertemuannya dengan Wakil Wali Kota"}]
    >>> _ = G.add_edge("pemko", "m1", key="HOSTED", type="HOSTED", evidence=ev)
    >>> _ = G.add_edge("iom", "m1", key="ATTENDED", type="ATTENDED", role="visitor", evidence=ev)
    >>> H = coordination_network(G)
    >>> H.edges["iom", "pemko"]["weight"], H.edges["iom", "pemko"]["last_contact"]
    (1.0, datetime.date(2016, 10, 1))
    >>> coordination_network(G, since=dt.date(2017, 1, 1)).number_of_edges()
    0
    """
    return project_network(Analysis.of(G).index, since, until, weights)


def coordination_digraph(
    G: nx.MultiDiGraph | Analysis,
    since: dt.date | None = None,
    until: dt.date | None = None,
    weights: Mapping[str, float] | None = None,
    *,
    attributes: bool = True,
) -> nx.DiGraph:
    """A directed coordination network: who convenes, funds or reaches out to whom.

    Directions follow who initiates the contact or channels resources:

    * meeting: each host -> every other participant; a participant whose role
      is ``visitor`` also -> each host (the visitor sought the meeting); a
      meeting without a host ties its participants both ways;
    * programme: each funder -> each implementer, and funders and implementers
      -> each agency the programme ``SUPPORTS``;
    * ``COOPERATES_WITH`` and ``PART_OF``: both ways (reciprocal ties).

    This is the input of :func:`~graphmodel.analytics.brokerage.gould_fernandez_brokerage`.
    Edge attributes are those of :func:`coordination_network`.
    With ``attributes=False`` the ties are the same and carry no attributes:
    the brokerage counts need only who is tied to whom, and at national scale
    the reasons and evidence of every directed tie cost time and memory for
    nothing (``weights`` then changes nothing).

    Parameters
    ----------
    G : nx.MultiDiGraph or Analysis
        The evidence graph, or an :class:`~graphmodel.analytics.analysis.Analysis`
        of it (whose index is then used).
    since, until, weights : optional
        As in :func:`coordination_network`.
    attributes : bool
        Whether the ties carry their attributes.

    Returns
    -------
    nx.DiGraph
        Every agency as a node; a tie from whoever initiates the contact.

    See Also
    --------
    coordination_network

    References
    ----------
    .. [1] Gould, R. V., & Fernandez, R. M. (1989). Structures of mediation: A
       formal approach to brokerage in transaction networks. Sociological
       Methodology, 19, 89-126 (brokerage is read on directed transactions).
    .. [2] Borgatti, S. P., & Halgin, D. S. (2011). Analyzing affiliation
       networks. In The SAGE Handbook of Social Network Analysis (pp. 417-433).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> for a in ("donor", "ngo", "ministry"):
    ...     G.add_node(a, label="Agency", name=a, kind="other", level="national")
    >>> G.add_node("p", label="Programme", name="Kits", services=["health"])
    >>> ev = [{"source": "s", "quote": "kits"}]
    >>> _ = G.add_edge("donor", "p", key="FUNDS", type="FUNDS", evidence=ev)
    >>> _ = G.add_edge("ngo", "p", key="IMPLEMENTS", type="IMPLEMENTS", evidence=ev)
    >>> _ = G.add_edge("p", "ministry", key="SUPPORTS", type="SUPPORTS", evidence=ev)
    >>> sorted(coordination_digraph(G).edges())
    [('donor', 'ministry'), ('donor', 'ngo'), ('ngo', 'ministry')]
    """
    return project_digraph(Analysis.of(G).index, since, until, weights, attributes=attributes)


def tie_summary(H: nx.Graph, a: str, b: str) -> str:
    """One line saying why two agencies are tied in a projection (or that they are not).

    Parameters
    ----------
    H : nx.Graph or nx.DiGraph
        A coordination network (:func:`coordination_network`).
    a, b : str
        Two agency ids.

    Returns
    -------
    str
        The tie's reasons and its last dated contact.

    See Also
    --------
    coordination_network : the ties and their reasons.
    coordination_digraph : the same ties, directed.

    References
    ----------
    .. [1] The project's ``docs/findings.md``, "Caveats on network findings":
       the last dated contact is the latest contact the sources report, not
       the last time the agencies met.

    Examples
    --------
    >>> import datetime as dt, networkx as nx
    >>> H = nx.Graph()
    >>> H.add_edge("iom", "pemko", reasons=("met at Audience (2016-10-01)",), last_contact=dt.date(2016, 10, 1))
    >>> tie_summary(H, "iom", "pemko")
    'met at Audience (2016-10-01); last contact 2016-10-01'
    >>> tie_summary(H, "iom", "unhcr")
    'no recorded coordination tie'
    """
    if not H.has_edge(a, b):
        return "no recorded coordination tie"
    d = H.edges[a, b]
    last = d.get("last_contact")
    when = f"; last contact {last.isoformat()}" if last else "; no dated contact"
    return "; ".join(d["reasons"]) + when
