"""One evidence graph and what every analytic reads from it, each worked out once.

The evidence analytics take the graph ``G`` or an :class:`Analysis` of it.
Given the graph, each call indexes it and projects its coordination network
again; given an ``Analysis``, every call shares the one index and the one
network it holds, which on a national graph is most of the time saved.
"""

from __future__ import annotations

from functools import cached_property

import networkx as nx

from graphmodel.analytics.index import GraphIndex
from graphmodel.analytics.projection import project_network

__all__ = ["Analysis"]


class Analysis:
    """The evidence graph with its index and coordination network, each built on first use.

    Building an ``Analysis`` does no work. :attr:`index` and :attr:`network`
    are worked out the first time an analytic asks for them and kept, so
    every analytic given the same ``Analysis`` shares them. The graph must
    not change while the ``Analysis`` is in use (neither is rebuilt).

    Parameters
    ----------
    G : nx.MultiDiGraph
        The evidence graph (:func:`graphmodel.graph.build_graph`).

    Attributes
    ----------
    G : nx.MultiDiGraph
        The evidence graph.

    See Also
    --------
    graphmodel.analytics.index.GraphIndex
    graphmodel.analytics.network.coordination_network

    Examples
    --------
    >>> import networkx as nx
    >>> from graphmodel.analytics import coverage_gaps, stale_ties
    >>> G = nx.MultiDiGraph()
    >>> for a in ("pemko", "iom"):
    ...     G.add_node(a, label="Agency", name=a.upper(), kind="other", level="regency_city")
    >>> _ = G.add_edge("pemko", "iom", key="COOPERATES_WITH", type="COOPERATES_WITH",
    ...                evidence=[{"source": "s", "quote": "kerja sama"}])
    >>> A = Analysis(G)
    >>> A.network.number_of_edges()
    1
    >>> coverage_gaps(A), A.network is Analysis.of(A).network
    ([], True)
    """

    def __init__(self, G: nx.MultiDiGraph) -> None:
        self.G = G

    @classmethod
    def of(cls, G: nx.MultiDiGraph | Analysis) -> Analysis:
        """``G`` itself when it is an ``Analysis``, else a new ``Analysis`` of the graph ``G``.

        Parameters
        ----------
        G : nx.MultiDiGraph or Analysis
            What an analytic was given.

        Returns
        -------
        Analysis

        Examples
        --------
        >>> import networkx as nx
        >>> A = Analysis(nx.MultiDiGraph())
        >>> Analysis.of(A) is A, Analysis.of(A.G).G is A.G
        (True, True)
        """
        return G if isinstance(G, Analysis) else cls(G)

    @cached_property
    def index(self) -> GraphIndex:
        """The :class:`GraphIndex` of :attr:`G`, built once."""
        return GraphIndex(self.G)

    @cached_property
    def network(self) -> nx.Graph:
        """The coordination network of :attr:`G` (``coordination_network(G)``, every tie), built once from :attr:`index`."""
        return project_network(self.index)

    def __repr__(self) -> str:
        return f"Analysis({self.G!r})"
