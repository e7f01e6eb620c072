"""Coordination projections, Gould-Fernandez brokerage, structural holes, fragility, communities.

Expected values are computed by hand in each test (the comment says how) from
the definitions in Gould & Fernandez (1989), "Structures of mediation",
Sociological Methodology 19:89-126, pp. 91-93, and checked against an
independent brute-force transcription of that definition on random graphs.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphmodel.analytics import (
    BROKERAGE_ROLES,
    brokerage_table,
    coordination_communities,
    coordination_digraph,
    coordination_network,
    gould_fernandez_brokerage,
    network_fragility,
)
from graphmodel.errors import AnalyticsError

SEED = Path(__file__).resolve().parents[1] / "seed"


class Builder:
    """Evidence graphs with build_graph's conventions (label, name, type, key, evidence)."""

    def __init__(self) -> None:
        self.G = nx.MultiDiGraph()

    def agency(self, n: str, level: str = "national", kind: str = "other") -> Builder:
        self.G.add_node(n, id=n, label="Agency", name=n.upper(), kind=kind, level=level)
        return self

    def node(self, n: str, label: str, **attrs) -> Builder:
        self.G.add_node(n, id=n, label=label, name=attrs.pop("name", n), **attrs)
        return self

    def edge(self, u: str, v: str, rtype: str, quote: str = "kutipan", qualifier: str = "", **attrs) -> Builder:
        key = f"{rtype}:{qualifier}" if qualifier else rtype
        self.G.add_edge(u, v, key=key, type=rtype, evidence=[{"source": "src-x", "quote": quote}], **attrs)
        return self


def zero(**counts: int) -> dict[str, int]:
    return {role: counts.get(role, 0) for role in BROKERAGE_ROLES}


# --------------------------------------------------------------------------- Gould-Fernandez


@pytest.mark.parametrize(
    ("groups", "role"),
    [
        # a -> v -> c, no a -> c; the role follows from who shares v's group (G&F 1989, fig. 1)
        ({"a": "X", "v": "X", "c": "X"}, "coordinator"),  # all three in one group
        ({"a": "X", "v": "Y", "c": "X"}, "itinerant"),  # a and c together, v outside
        ({"a": "X", "v": "X", "c": "Y"}, "representative"),  # v speaks for its group (a) to c
        ({"a": "X", "v": "Y", "c": "Y"}, "gatekeeper"),  # v admits outsider a into its group (c)
        ({"a": "X", "v": "Y", "c": "Z"}, "liaison"),  # three different groups
    ],
)
def test_each_role_on_a_single_open_two_path(groups, role):
    D = nx.DiGraph([("a", "v"), ("v", "c")])
    nx.set_node_attributes(D, groups, "g")
    result = gould_fernandez_brokerage(D, "g")
    assert result["v"] == zero(**{role: 1})
    # a and c broker nothing: a has no in-neighbour, c no out-neighbour
    assert result["a"] == zero() and result["c"] == zero()


def test_closed_triad_and_reciprocal_tie_are_not_brokerage():
    # a -> v -> c with a -> c: a reaches c directly, so v brokers nothing;
    # v -> a -> v is a reciprocal pair, not a path between two others (a == c).
    D = nx.DiGraph([("a", "v"), ("v", "c"), ("a", "c"), ("v", "a")])
    nx.set_node_attributes(D, "X", "g")
    result = gould_fernandez_brokerage(D, "g")
    assert result["v"] == zero()
    # a, however, brokers v -> a -> c? v -> c exists, so no. All zero.
    assert result["a"] == zero()


def test_hand_computed_five_node_example():
    # Groups: a, b in N; v, c in P; d in R. Edges: a->v, b->v, v->c, v->d, a->c, c->v.
    # Broker v: in = {a, b, c}, out = {c, d}. Ordered pairs (in, out):
    #   (a, c): a->c exists, skip          (a, d): N,P,R -> liaison
    #   (b, c): N,P,P -> gatekeeper         (b, d): N,P,R -> liaison
    #   (c, c): same node, skip             (c, d): P,P,R -> representative
    # Broker c: in = {v, a}, out = {v}: (a, v) has a->v, (v, v) same node -> nothing.
    D = nx.DiGraph([("a", "v"), ("b", "v"), ("v", "c"), ("v", "d"), ("a", "c"), ("c", "v")])
    nx.set_node_attributes(D, {"a": "N", "b": "N", "v": "P", "c": "P", "d": "R"}, "level")
    result = gould_fernandez_brokerage(D, "level")
    assert result["v"] == zero(representative=1, gatekeeper=1, liaison=2)
    assert result["c"] == zero()
    assert result["a"] == zero() and result["b"] == zero() and result["d"] == zero()
    assert gould_fernandez_brokerage(D, "level", nodes=["v"]) == {"v": result["v"]}


def test_multidigraph_parallel_edges_and_self_loops_are_ignored():
    # Same open two-path as the coordinator case, with a duplicate edge and a self-loop on v.
    D = nx.MultiDiGraph([("a", "v"), ("a", "v"), ("v", "c"), ("v", "v")])
    nx.set_node_attributes(D, "X", "g")
    assert gould_fernandez_brokerage(D, "g")["v"] == zero(coordinator=1)


def test_undirected_graph_and_missing_attribute_are_refused():
    with pytest.raises(nx.NetworkXNotImplemented):
        gould_fernandez_brokerage(nx.path_graph(3), "g")
    D = nx.DiGraph([("a", "v")])
    D.nodes["a"]["g"] = "X"
    with pytest.raises(AnalyticsError, match="node 'v' has no attribute 'g'"):
        gould_fernandez_brokerage(D, "g")
    with pytest.raises(AnalyticsError, match="not in graph"):
        gould_fernandez_brokerage(nx.DiGraph(), "g", nodes=["ghost"])


def _brute_force(D: nx.DiGraph, attr: str) -> dict:
    """The published definition transcribed literally: every ordered triple (a, v, c) of distinct nodes."""
    g = nx.get_node_attributes(D, attr)
    out = {v: zero() for v in D}
    for a, v, c in itertools.permutations(D.nodes, 3):
        if D.has_edge(a, v) and D.has_edge(v, c) and not D.has_edge(a, c):
            if g[a] == g[v] == g[c]:
                role = "coordinator"
            elif g[a] == g[c] != g[v]:
                role = "itinerant"
            elif g[a] == g[v] != g[c]:
                role = "representative"
            elif g[a] != g[v] == g[c]:
                role = "gatekeeper"
            else:
                role = "liaison"
            out[v][role] += 1
    return out


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=7),
    data=st.data(),
)
def test_matches_brute_force_definition_on_random_digraphs(n, data):
    pairs = [(u, v) for u in range(n) for v in range(n) if u != v]
    edges = data.draw(st.lists(st.sampled_from(pairs), unique=True) if pairs else st.just([]))
    groups = data.draw(st.lists(st.sampled_from("ABC"), min_size=n, max_size=n))
    D = nx.DiGraph()
    D.add_nodes_from(range(n))
    D.add_edges_from(edges)
    nx.set_node_attributes(D, dict(enumerate(groups)), "g")
    assert gould_fernandez_brokerage(D, "g") == _brute_force(D, "g")


# --------------------------------------------------------------------------- projections


def coordination_fixture() -> nx.MultiDiGraph:
    b = Builder()
    for a in ("pemko", "iom", "dinsos", "rudenim", "donor"):
        b.agency(a, level="regency_city" if a != "donor" else "international")
    b.node("m2016", "Meeting", date=dt.date(2016, 10, 1))
    b.node("m2024", "Meeting", date=dt.date(2024, 9, 11))
    b.node("cash", "Programme", services=["basic_needs_cash"])
    b.edge("pemko", "m2016", "HOSTED").edge("iom", "m2016", "ATTENDED", role="visitor").edge("dinsos", "m2016", "ATTENDED")
    b.edge("rudenim", "m2024", "HOSTED").edge("iom", "m2024", "ATTENDED", role="visitor")
    b.edge("donor", "cash", "FUNDS").edge("iom", "cash", "IMPLEMENTS")
    b.edge("dinsos", "iom", "COOPERATES_WITH", last_seen=dt.date(2016, 10, 1))
    b.edge("dinsos", "pemko", "PART_OF")
    return b.G


def test_coordination_network_weights_reasons_and_dates():
    H = coordination_network(coordination_fixture())
    # iom-dinsos: the 2016 meeting (1) + COOPERATES_WITH (1) = 2; last contact 2016-10-01
    d = H.edges["iom", "dinsos"]
    assert d["weight"] == 2.0 and d["meetings"] == ("m2016",) and d["cooperates"]
    assert d["last_contact"] == dt.date(2016, 10, 1) and d["distance"] == pytest.approx(0.5)
    # pemko-dinsos: the 2016 meeting + PART_OF = 2, PART_OF is undated so the last contact is the meeting
    assert H.edges["pemko", "dinsos"]["weight"] == 2.0 and H.edges["pemko", "dinsos"]["part_of"]
    # donor-iom: one shared programme
    assert H.edges["donor", "iom"]["programmes"] == ("cash",) and H.edges["donor", "iom"]["weight"] == 1.0
    assert H.edges["iom", "rudenim"]["last_contact"] == dt.date(2024, 9, 11)
    assert set(H.nodes) == {"pemko", "iom", "dinsos", "rudenim", "donor"}
    assert all(e.source == "src-x" for e in d["evidence"])


def test_coordination_network_time_window():
    G = coordination_fixture()
    H = coordination_network(G, since=dt.date(2020, 1, 1))
    # 2016 meeting and 2016 cooperation drop out; PART_OF and the undated programme stay
    assert not H.has_edge("iom", "dinsos")
    assert H.has_edge("pemko", "dinsos") and H.edges["pemko", "dinsos"]["weight"] == 1.0
    assert H.has_edge("donor", "iom") and H.has_edge("iom", "rudenim")
    assert not coordination_network(G, until=dt.date(2020, 1, 1)).has_edge("iom", "rudenim")


def test_coordination_digraph_directions():
    D = coordination_digraph(coordination_fixture())
    # host -> participants; the visitor also -> host; funder -> implementer; cooperation and PART_OF both ways
    assert D.has_edge("pemko", "iom") and D.has_edge("iom", "pemko")
    assert D.has_edge("pemko", "dinsos") and D.has_edge("dinsos", "pemko")
    assert D.has_edge("donor", "iom") and not D.has_edge("iom", "donor")
    assert D.has_edge("rudenim", "iom") and D.has_edge("iom", "rudenim")
    assert not D.has_edge("dinsos", "rudenim")


def test_network_fragility_triangle_with_pendant():
    # Triangle a-b-c plus c-d: removing c isolates d (articulation point c); c-d is the only bridge.
    b = Builder()
    for a in "abcd":
        b.agency(a)
    for u, v in [("a", "b"), ("b", "c"), ("a", "c"), ("c", "d")]:
        b.edge(u, v, "COOPERATES_WITH")
    found = network_fragility(coordination_network(b.G))
    assert [(f.kind, f.agencies) for f in found] == [("articulation_point", ("c",)), ("bridge", ("c", "d"))]
    # removing c leaves {a, b} (the rest, counted) and {d} (cut off, listed)
    assert found[0].separated == (("d",),) and found[0].rest == 2
    assert found[1].separated == (("d",),) and found[1].rest == 3
    assert "D" in found[0].explanation and found[0].evidence


def test_brokerage_table_structural_holes_on_a_star():
    # Star centre s with three leaves, ties by COOPERATES_WITH (weight 1 each).
    # Betweenness of s = 1 (all 3 leaf pairs pass through s, normalised by 3).
    # Burt: p_sj = 1/3, no ties among leaves, so constraint(s) = 3 * (1/3)^2 = 1/3 and
    # effective size(s) = n - 2t/n = 3 - 0 = 3; each leaf has one tie: constraint 1, effective size 1.
    b = Builder()
    b.agency("s", level="national")
    for leaf in "xyz":
        b.agency(leaf, level="regency_city").edge("s", leaf, "COOPERATES_WITH")
    t = brokerage_table(b.G)
    assert t.loc["s", "betweenness"] == pytest.approx(1.0)
    assert t.loc["s", "constraint"] == pytest.approx(1 / 3)
    assert t.loc["s", "effective_size"] == pytest.approx(3.0)
    assert t.loc["x", "constraint"] == pytest.approx(1.0) and t.loc["x", "effective_size"] == pytest.approx(1.0)
    # Directed: cooperation is both ways, so s brokers every ordered leaf pair (6): leaf(regency) -> s(national)
    # -> other leaf(regency) is the itinerant role.
    assert t.loc["s", "itinerant"] == 6 and t.loc["s", "brokerage_total"] == 6
    assert bool(t.loc["s", "articulation_point"]) and t.index[0] == "s"


def test_communities_are_deterministic_and_cover_every_agency():
    # Two triangles joined by one tie: Louvain separates them.
    b = Builder()
    for a in "abcdef":
        b.agency(a)
    for u, v in [("a", "b"), ("b", "c"), ("a", "c"), ("d", "e"), ("e", "f"), ("d", "f"), ("c", "d")]:
        b.edge(u, v, "COOPERATES_WITH")
    first = coordination_communities(coordination_network(b.G))
    assert first == coordination_communities(coordination_network(b.G))
    assert sorted(map(sorted, first)) == [["a", "b", "c"], ["d", "e", "f"]]


# --------------------------------------------------------------------------- the seed


@pytest.fixture(scope="module")
def seed_graph():
    if not SEED.is_dir():
        pytest.skip("no seed/ folder")
    from graphmodel.graph import build_graph
    from graphmodel.seed import load_seed

    return build_graph(load_seed(SEED))


def test_seed_iom_indonesia_is_the_network_cut_point(seed_graph):
    # IOM Indonesia is the only agency present in all five documents' coordination
    # (Medan office, Sergai Rakor, Kupang office, Kemensos handover, NTB audience),
    # so removing it splits the network into the per-document clusters.
    found = {f.agencies: f for f in network_fragility(coordination_network(seed_graph)) if f.kind == "articulation_point"}
    iom = found[("iom-indonesia",)]
    assert len(iom.separated) + 1 >= 4  # the groups cut off, plus the rest
    assert {e.source for e in iom.evidence} >= {"src-001", "src-003", "src-004"}
    table = brokerage_table(seed_graph)
    assert table.index[0] == "iom-indonesia"
    assert table.loc["iom-indonesia", "liaison"] > 0


def test_seed_kupang_visit_tie_is_dated_from_the_source(seed_graph):
    H = coordination_network(seed_graph)
    d = H.edges["iom-kupang", "rudenim-kupang"]
    assert d["last_contact"] == dt.date(2024, 9, 11)
    assert "mtg-2024-09-11-kupang-visit" in d["meetings"] and d["cooperates"]
    assert any(e.source == "src-002" for e in d["evidence"])


def test_louvain_in_networkx_and_igraph_find_a_planted_partition():
    # Independent source: the groups planted_partition_graph draws (10 groups of 30 agencies, ties inside a group
    # with probability 0.5, across groups 0.01). Both implementations must return exactly those groups.
    # coordination_communities takes NetworkX's Louvain up to LOUVAIN_NETWORKX_MAX agencies, igraph's above it.
    import random
    from unittest import mock

    from graphmodel.analytics import communities

    def louvain(H, igraph):
        with mock.patch.object(communities, "LOUVAIN_NETWORKX_MAX", 0 if igraph else 10**6):
            return coordination_communities(H, seed=42)

    P = nx.planted_partition_graph(10, 30, 0.5, 0.01, seed=7)
    nx.set_edge_attributes(P, 1.0, "weight")
    planted = sorted(sorted(g) for g in P.graph["partition"])
    via_networkx = louvain(P, igraph=False)
    state = random.getstate()
    via_igraph = louvain(P, igraph=True)
    assert random.getstate() == state  # the seed igraph draws with is put back
    assert sorted(sorted(c) for c in via_networkx) == planted
    assert sorted(sorted(c) for c in via_igraph) == planted
    assert via_igraph == louvain(P, igraph=True)  # the same seed, the same communities
    # with weaker structure the partitions differ in detail; their quality (modularity) must not
    R = nx.powerlaw_cluster_graph(600, 3, 0.3, seed=3)
    for u, v in R.edges():
        R.edges[u, v]["weight"] = 1.0 + (u * v) % 3
    q_networkx = nx.community.modularity(R, louvain(R, igraph=False), weight="weight")
    q_igraph = nx.community.modularity(R, louvain(R, igraph=True), weight="weight")
    assert q_networkx > 0.3 and abs(q_networkx - q_igraph) <= 0.01 * q_networkx
