"""Brokers and fragility of the coordination network.

* Gould-Fernandez brokerage roles on a directed network with node groups
  (NetworkX has no implementation);
* betweenness, Burt's constraint and effective size (NetworkX);
* articulation points and bridges: agencies and ties whose loss splits the
  coordination network (single points of failure);
* communities (Louvain with a fixed seed).

References
----------
.. [1] Gould, R. V., & Fernandez, R. M. (1989). Structures of mediation: A
   formal approach to brokerage in transaction networks. Sociological
   Methodology, 19, 89-126.
.. [2] Burt, R. S. (1992). Structural Holes: The Social Structure of
   Competition. Harvard University Press.
.. [3] Hopcroft, J., & Tarjan, R. (1973). Algorithm 447: efficient algorithms
   for graph manipulation. Communications of the ACM, 16(6), 372-378.
.. [4] Blondel, V. D., Guillaume, J.-L., Lambiotte, R., & Lefebvre, E. (2008).
   Fast unfolding of communities in large networks. J. Stat. Mech. P10008.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

import networkx as nx
import pandas as pd

from graphmodel.analytics._index import EvidenceRef, Finding, dedupe
from graphmodel.analytics.network import coordination_digraph, coordination_network
from graphmodel.errors import AnalyticsError

__all__ = [
    "BROKERAGE_ROLES",
    "NetworkFragility",
    "brokerage_table",
    "coordination_communities",
    "gould_fernandez_brokerage",
    "network_fragility",
]

BROKERAGE_ROLES: tuple[str, ...] = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")
"""The five Gould-Fernandez roles; ``itinerant`` is also called *consultant*."""


def _role(ga: Hashable, gv: Hashable, gc: Hashable) -> str:
    if ga == gv == gc:
        return "coordinator"
    if ga == gc:
        return "itinerant"
    if ga == gv:
        return "representative"
    if gv == gc:
        return "gatekeeper"
    return "liaison"


@nx.utils.not_implemented_for("undirected")
def gould_fernandez_brokerage(
    D: nx.DiGraph, attribute: str, nodes: Iterable[Hashable] | None = None
) -> dict[Hashable, dict[str, int]]:
    """Gould-Fernandez brokerage role counts for each node of a directed graph.

    For a broker ``v``, every ordered pair ``(a, c)`` of distinct nodes other
    than ``v`` with ``a -> v``, ``v -> c`` and **no** ``a -> c`` is one
    brokered relation. With ``g(x)`` the group of ``x`` (its ``attribute``),
    the relation is counted in the role

    ==============  ================================  ======================
    role            groups                            v mediates ...
    ==============  ================================  ======================
    coordinator     g(a) = g(v) = g(c)                within its own group
    itinerant       g(a) = g(c) != g(v)               for another group
    representative  g(a) = g(v) != g(c)               its group to outsiders
    gatekeeper      g(a) != g(v) = g(c)               outsiders into its group
    liaison         g(a), g(v), g(c) all different    between two other groups
    ==============  ================================  ======================

    (``itinerant`` is also called the *consultant* role.) Counts are raw, not
    normalised; self-loops and parallel edges are ignored.

    Parameters
    ----------
    D : nx.DiGraph or nx.MultiDiGraph
        Directed network.
    attribute : str
        Node attribute holding each node's group (e.g. ``"level"``, ``"kind"``).
    nodes : iterable, optional
        Brokers to score (default: all nodes).

    Returns
    -------
    dict
        ``{node: {role: count}}`` with every role in :data:`BROKERAGE_ROLES`.

    Raises
    ------
    NetworkXNotImplemented
        If ``D`` is undirected.
    AnalyticsError
        If a node involved lacks ``attribute``.

    Examples
    --------
    Agency ``b`` passes a request from ``a`` (national) on to ``c``
    (regency): ``b``, also national, represents its group to the regency.

    >>> import networkx as nx
    >>> D = nx.DiGraph([("a", "b"), ("b", "c")])
    >>> nx.set_node_attributes(D, {"a": "national", "b": "national", "c": "regency"}, "level")
    >>> gould_fernandez_brokerage(D, "level")["b"]
    {'coordinator': 0, 'itinerant': 0, 'representative': 1, 'gatekeeper': 0, 'liaison': 0}

    References
    ----------
    .. [1] Gould, R. V., & Fernandez, R. M. (1989). Structures of mediation.
       Sociological Methodology, 19, 89-126 (pp. 91-93, the five roles).
    """
    missing = [n for n, d in D.nodes(data=True) if attribute not in d]
    if missing:
        raise AnalyticsError(f"node {missing[0]!r} has no attribute {attribute!r} (needed for brokerage groups)")
    group = nx.get_node_attributes(D, attribute)
    brokers = list(D) if nodes is None else list(nodes)
    for v in brokers:
        if v not in D:
            raise AnalyticsError(f"node {v!r} not in graph")
    result: dict[Hashable, dict[str, int]] = {}
    for v in brokers:
        counts = dict.fromkeys(BROKERAGE_ROLES, 0)
        ins = [a for a in D.predecessors(v) if a != v]
        outs = [c for c in D.successors(v) if c != v]
        for a in ins:
            for c in outs:
                if c == a or D.has_edge(a, c):
                    continue
                counts[_role(group[a], group[v], group[c])] += 1
        result[v] = counts
    return result


def coordination_communities(
    G: nx.MultiDiGraph, since: dt.date | None = None, until: dt.date | None = None, seed: int = 42
) -> list[frozenset[str]]:
    """Communities of the coordination network (Louvain on tie weights, fixed seed).

    Returned largest first, then by smallest member id, so the order is stable.
    Agencies without ties are communities of one.
    """
    H = coordination_network(G, since, until)
    if H.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(H, weight="weight", seed=seed)
    return sorted((frozenset(c) for c in found), key=lambda c: (-len(c), min(c)))


@dataclass(frozen=True)
class NetworkFragility(Finding):
    """An agency (articulation point) or a tie (bridge) whose loss splits the coordination network."""

    kind: str
    agencies: tuple[str, ...]
    names: tuple[str, ...]
    separated: tuple[tuple[str, ...], ...]
    explanation: str
    evidence: tuple[EvidenceRef, ...]
    score: float


def _names(H: nx.Graph, nodes: Iterable[str]) -> str:
    return ", ".join(H.nodes[n].get("name", n) for n in sorted(nodes))


def network_fragility(
    G: nx.MultiDiGraph, since: dt.date | None = None, until: dt.date | None = None
) -> list[NetworkFragility]:
    """Single points of failure of the coordination network: articulation points and bridges.

    An *articulation point* is an agency whose removal disconnects agencies
    that are otherwise connected; a *bridge* is a tie whose removal does. Each
    finding lists the groups of agencies that would lose their only
    coordination path, with the evidence for the ties involved. Ranked by
    the number of agencies cut off from the largest remaining group.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> for a in "xyz":
    ...     G.add_node(a, label="Agency", name=a.upper(), kind="other", level="national")
    >>> ev = [{"source": "s", "quote": "kerja sama"}]
    >>> _ = G.add_edge("x", "y", key="COOPERATES_WITH", type="COOPERATES_WITH", evidence=ev)
    >>> _ = G.add_edge("y", "z", key="COOPERATES_WITH", type="COOPERATES_WITH", evidence=ev)
    >>> [(f.kind, f.agencies) for f in network_fragility(G)]
    [('articulation_point', ('y',)), ('bridge', ('x', 'y')), ('bridge', ('y', 'z'))]
    """
    H = coordination_network(G, since, until)
    found: list[NetworkFragility] = []
    for v in sorted(nx.articulation_points(H)):
        component = nx.node_connected_component(H, v)
        rest = H.subgraph(component - {v})
        parts = sorted((tuple(sorted(c)) for c in nx.connected_components(rest)), key=lambda c: (-len(c), c))
        cut_off = sum(len(p) for p in parts[1:])
        groups = "; ".join("{" + _names(H, p) + "}" for p in parts)
        evidence = dedupe(e for u in H.neighbors(v) for e in H.edges[v, u]["evidence"])
        found.append(
            NetworkFragility(
                kind="articulation_point",
                agencies=(v,),
                names=(H.nodes[v]["name"],),
                separated=tuple(parts),
                explanation=(
                    f"{H.nodes[v]['name']} is the only coordination link between {groups}: "
                    f"without it {cut_off} agenc{'y' if cut_off == 1 else 'ies'} lose every recorded path to the rest."
                ),
                evidence=evidence,
                score=round(0.7 + 0.01 * min(cut_off, 10), 4),
            )
        )
    for u, v in sorted(tuple(sorted(e)) for e in nx.bridges(H)):
        rest = H.copy()
        rest.remove_edge(u, v)
        side_u, side_v = nx.node_connected_component(rest, u), nx.node_connected_component(rest, v)
        smaller = min(len(side_u), len(side_v))
        d = H.edges[u, v]
        found.append(
            NetworkFragility(
                kind="bridge",
                agencies=(u, v),
                names=(H.nodes[u]["name"], H.nodes[v]["name"]),
                separated=(tuple(sorted(side_u)), tuple(sorted(side_v))),
                explanation=(
                    f"The tie {H.nodes[u]['name']} - {H.nodes[v]['name']} ({'; '.join(d['reasons'])}) is the only "
                    f"path between {{{_names(H, side_u)}}} and {{{_names(H, side_v)}}}."
                ),
                evidence=d["evidence"],
                score=round(0.55 + 0.01 * min(smaller, 10), 4),
            )
        )
    found.sort(key=lambda f: (-f.score, f.kind, f.agencies))
    return found


def brokerage_table(
    G: nx.MultiDiGraph,
    attribute: str = "level",
    since: dt.date | None = None,
    until: dt.date | None = None,
    seed: int = 42,
) -> pd.DataFrame:
    """One row per agency: centrality, structural holes, brokerage roles, fragility, community.

    Columns: ``name``, ``kind``, ``level``, ``degree``, ``strength`` (sum of
    tie weights), ``betweenness`` (normalised, on the undirected network,
    unweighted), ``constraint`` and ``effective_size`` (Burt, on tie
    weights; NaN for agencies without ties, as NetworkX defines them), the five
    Gould-Fernandez role counts on :func:`coordination_digraph` grouped by
    ``attribute`` plus their ``brokerage_total``, ``articulation_point`` and
    ``community`` (index into :func:`coordination_communities`). Sorted by
    betweenness, then brokerage total.
    """
    H = coordination_network(G, since, until)
    D = coordination_digraph(G, since, until)
    if H.number_of_nodes() == 0:
        return pd.DataFrame()
    betweenness = nx.betweenness_centrality(H)
    constraint = nx.constraint(H, weight="weight")
    effective = nx.effective_size(H, weight="weight")
    roles = gould_fernandez_brokerage(D, attribute)
    cut = set(nx.articulation_points(H))
    community = {n: i for i, c in enumerate(coordination_communities(G, since, until, seed)) for n in c}
    rows = []
    for n, d in H.nodes(data=True):
        row = {
            "agency": n,
            "name": d["name"],
            "kind": d["kind"],
            "level": d["level"],
            "degree": H.degree(n),
            "strength": H.degree(n, weight="weight"),
            "betweenness": betweenness[n],
            "constraint": constraint[n],
            "effective_size": effective[n],
            **roles[n],
            "brokerage_total": sum(roles[n].values()),
            "articulation_point": n in cut,
            "community": community.get(n),
        }
        rows.append(row)
    frame = pd.DataFrame(rows).set_index("agency")
    return frame.sort_values(["betweenness", "brokerage_total", "name"], ascending=[False, False, True])
