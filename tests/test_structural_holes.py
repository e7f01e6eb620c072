"""Burt's constraint / effective size and betweenness equal NetworkX's reference implementations.

The expected values come from NetworkX itself (``nx.constraint``,
``nx.effective_size``, ``nx.betweenness_centrality``: independent, pure-Python
transcriptions of Burt 1992 and Brandes 2001) and, for the small cases, from
hand computation.

NetworkX is asked for its per-node code path (``nodes=list(H)``): with SciPy
installed and ``nodes`` left out it takes a sparse-matrix path whose weighted
effective size normalises by the wrong node's strongest tie (a 1-D max
broadcast across columns; networkx/networkx pull request 8906, open in
September 2026), so it disagrees with its own per-node definition on weighted
graphs. The per-node path is the transcription of Burt's formula.
"""

from __future__ import annotations

import math
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphmodel.analytics import coordination_network
from graphmodel.analytics.structural_holes import betweenness, structural_holes
from graphmodel.errors import AnalyticsError

SEED = Path(__file__).resolve().parents[1] / "seed"


def _approx(expected: dict) -> dict:
    return {k: pytest.approx(v, rel=1e-9, abs=1e-12, nan_ok=True) for k, v in expected.items()}


@st.composite
def weighted_graphs(draw) -> nx.Graph:
    n = draw(st.integers(min_value=0, max_value=10))
    pairs = [(u, v) for u in range(n) for v in range(u + 1, n)]
    edges = draw(st.lists(st.sampled_from(pairs), unique=True)) if pairs else []
    H = nx.Graph()
    H.add_nodes_from(range(n))  # nodes left without edges are isolated: NaN
    for u, v in edges:
        w = draw(st.one_of(st.integers(min_value=1, max_value=5), st.floats(min_value=0.01, max_value=100)))
        H.add_edge(u, v, weight=w)
    return H


@settings(max_examples=150, deadline=None)
@given(H=weighted_graphs())
def test_structural_holes_equal_networkx_on_random_weighted_graphs(H):
    constraint, effective = structural_holes(H, weight="weight")
    assert constraint == _approx(nx.constraint(H, nodes=list(H), weight="weight"))
    assert effective == _approx(nx.effective_size(H, nodes=list(H), weight="weight"))


@settings(max_examples=60, deadline=None)
@given(H=weighted_graphs())
def test_unweighted_structural_holes_equal_networkx(H):
    # weight=None: NetworkX uses Borgatti's shortcut n - 2t/n for effective size; the general formula agrees
    constraint, effective = structural_holes(H, weight=None)
    assert constraint == _approx(nx.constraint(H, nodes=list(H)))
    assert effective == _approx(nx.effective_size(H, nodes=list(H)))


def test_hand_computed_triangle_with_pendant():
    # a-b-c triangle, d hangs on a; unit weights. p(a, .) = 1/3 each.
    # constraint(a) = (1/3 + p(a,c)p(c,b))^2 + (1/3 + p(a,b)p(b,c))^2 + (1/3)^2 = 2 (1/3 + 1/6)^2 + 1/9 = 1/2 + 1/9
    # effective(a) = 3 - 2t/n = 3 - 2*1/3 = 7/3 (one tie, b-c, among its three contacts)
    H = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("a", "d")])
    constraint, effective = structural_holes(H, weight=None)
    assert constraint["a"] == pytest.approx(1 / 2 + 1 / 9)
    assert effective["a"] == pytest.approx(7 / 3)
    assert constraint["d"] == pytest.approx(1.0) and effective["d"] == pytest.approx(1.0)


def test_isolated_nodes_are_nan():
    H = nx.Graph()
    H.add_node("alone")
    H.add_edge("x", "y", weight=2.0)
    constraint, effective = structural_holes(H)
    assert math.isnan(constraint["alone"]) and math.isnan(effective["alone"])
    assert constraint["x"] == 1.0 and effective["x"] == 1.0


def test_directed_multigraphs_self_loops_and_non_positive_weights_are_refused():
    with pytest.raises(nx.NetworkXNotImplemented):
        structural_holes(nx.DiGraph([(1, 2)]))
    with pytest.raises(nx.NetworkXNotImplemented):
        structural_holes(nx.MultiGraph([(1, 2)]))
    with pytest.raises(AnalyticsError, match="self-loop"):
        structural_holes(nx.Graph([(1, 2), (2, 2)]))
    with pytest.raises(AnalyticsError, match="not positive"):
        structural_holes(nx.Graph([(1, 2, {"weight": 0})]))


@pytest.fixture(scope="module")
def seed_network() -> nx.Graph:
    if not SEED.is_dir():
        pytest.skip("no seed/ folder")
    from graphmodel.graph import build_graph
    from graphmodel.seed import load_seed

    H = coordination_network(build_graph(load_seed(SEED)))
    H.add_node("test-isolated-agency", name="Isolated", kind="other", level="national")
    return H


def test_structural_holes_equal_networkx_on_the_seed_network(seed_network):
    H = seed_network
    assert any(H.degree(n) == 0 for n in H)  # isolated agencies are part of the check
    constraint, effective = structural_holes(H, weight="weight")
    assert constraint == _approx(nx.constraint(H, nodes=list(H), weight="weight"))
    assert effective == _approx(nx.effective_size(H, nodes=list(H), weight="weight"))
    assert math.isnan(constraint["test-isolated-agency"]) and math.isnan(effective["test-isolated-agency"])


# --------------------------------------------------------------------------- betweenness


@st.composite
def simple_graphs(draw) -> nx.Graph:
    n = draw(st.integers(min_value=0, max_value=12))
    pairs = [(u, v) for u in range(n) for v in range(u + 1, n)]
    H = nx.Graph()
    H.add_nodes_from(range(n))
    H.add_edges_from(draw(st.lists(st.sampled_from(pairs), unique=True)) if pairs else [])
    return H


@settings(max_examples=150, deadline=None)
@given(H=simple_graphs())
def test_exact_betweenness_equals_networkx(H):
    found, method = betweenness(H)
    assert method.startswith("exact")
    assert found == _approx(nx.betweenness_centrality(H))


@pytest.mark.parametrize(
    "H",
    [nx.path_graph(5), nx.star_graph(6), nx.karate_club_graph(), nx.les_miserables_graph(), nx.barbell_graph(5, 2)],
    ids=["path", "star", "karate", "les-miserables", "barbell"],
)
def test_exact_betweenness_on_known_graphs(H):
    found, _ = betweenness(H)
    assert found == _approx(nx.betweenness_centrality(H))


def test_hand_computed_path_betweenness():
    # path 0-1-2-3-4: node 2 lies on the 4 paths 0-3, 0-4, 1-3, 1-4; pairs of other nodes: C(4, 2) = 6
    found, _ = betweenness(nx.path_graph(5))
    assert found[2] == pytest.approx(4 / 6)
    assert found[1] == pytest.approx(3 / 6) and found[0] == 0.0


def test_above_the_limit_betweenness_is_networkx_sampled_with_a_fixed_seed():
    H = nx.les_miserables_graph()
    found, method = betweenness(H, exact_max=10, pivots=20, seed=7)
    assert method == "estimated: Brandes-Pich sampling of 20 pivots, seed 7"
    assert found == _approx(nx.betweenness_centrality(H, k=20, seed=7))
    assert betweenness(H, exact_max=10, pivots=20, seed=7)[0] == found  # reproducible


@settings(max_examples=80, deadline=None)
@given(H=simple_graphs(), pivots=st.integers(min_value=1, max_value=12), seed=st.integers(min_value=0, max_value=99))
def test_sampled_betweenness_in_c_equals_networkx_sampled(H, pivots, seed):
    found, method = betweenness(H, exact_max=0, pivots=pivots, seed=seed)
    assert method.startswith("estimated") or len(H) == 0
    assert found == _approx(nx.betweenness_centrality(H, k=min(pivots, len(H)), seed=seed))


def test_sampled_betweenness_is_close_on_a_moderate_graph():
    # the docstring's Hoeffding bound for n = 500, k = 200, delta = 0.05 is sqrt(ln(2n/delta) / 2k) = 0.16
    H = nx.barabasi_albert_graph(500, 3, seed=1)
    exact = nx.betweenness_centrality(H)
    found, _ = betweenness(H, exact_max=100, pivots=200)
    assert max(abs(found[v] - exact[v]) for v in H) < math.sqrt(math.log(2 * 500 / 0.05) / (2 * 200))


def test_weighted_effective_size_by_hand_equals_networkx_per_node_path():
    # A weighted example where NetworkX's two code paths differ (see the module docstring). Hand computation for node 0 (ties 0-1 weight 1, 0-2 weight 2, 1-2 weight 3):
    # mutual weights double every weight; p(0,1) = 2/6, p(0,2) = 4/6; q(1, w) = m(1, w) / max_w m(1, w)
    # = (2, 6)/6 over w = (0, 2); q(2, w) = (4, 6)/6 over w = (0, 1).
    # e(0) = (1 - p(0,2) q(1,2)) + (1 - p(0,1) q(2,1)) = (1 - 4/6 * 1) + (1 - 2/6 * 1) = 1/3 + 2/3 = 1.
    H = nx.Graph()
    H.add_weighted_edges_from([(0, 1, 1), (0, 2, 2), (1, 2, 3)])
    ours = structural_holes(H, weight="weight")[1]
    assert ours[0] == pytest.approx(1.0)
    assert nx.effective_size(H, nodes=[0], weight="weight")[0] == pytest.approx(1.0)
