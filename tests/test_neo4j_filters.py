"""Filtered read-back: ``read_graph(driver, filter=f)`` selects in Cypher exactly the view that
``graphmodel.graph.views.subgraph`` cuts from the embedded graph."""

from __future__ import annotations

import datetime as dt

import networkx as nx
import pytest
from conftest import SEED
from neo4j_fixtures import reset_database

from graphmodel.db.read import read_graph
from graphmodel.db.write import load_dataset
from graphmodel.errors import UnknownNode
from graphmodel.graph import build_graph, views
from graphmodel.graph.views import GraphFilter, subgraph
from graphmodel.seed import load_seed

pytestmark = pytest.mark.neo4j

FILTERS = {
    "region kota-medan": GraphFilter(region="kota-medan"),
    "region prov-sumatera-utara": GraphFilter(region="prov-sumatera-utara"),
    "since 2020-01-01": GraphFilter(since=dt.date(2020, 1, 1)),
    "cohort_type foreign_refugees": GraphFilter(cohort_type="foreign_refugees"),
    "sumut, since 2017, refugees": GraphFilter(region="prov-sumatera-utara", since=dt.date(2017, 1, 1), cohort_type="foreign_refugees"),
    "until 2019-12-31": GraphFilter(until=dt.date(2019, 12, 31)),
    "window 2019-07-25 only": GraphFilter(since=dt.date(2019, 7, 25), until=dt.date(2019, 7, 25)),
    "region indonesia": GraphFilter(region="indonesia"),
    "region kab-karo (no facts)": GraphFilter(region="kab-karo"),
    "region prov-ntb, migrant workers": GraphFilter(region="prov-ntb", cohort_type="indonesian_migrant_workers"),
    "ego iom-indonesia radius 2": GraphFilter(ego="iom-indonesia", radius=2),
    "sumut ego iom-medan radius 3": GraphFilter(region="prov-sumatera-utara", ego="iom-medan", radius=3),
    "ego of an excluded cohort": GraphFilter(ego="cohort-kupang-refugees", cohort_type="trafficking_victims"),
    "types Agency+Meeting": GraphFilter(node_types=frozenset({"Agency", "Meeting"})),
    "kupang, types Agency+Source": GraphFilter(region="kota-kupang", node_types=frozenset({"Agency", "Source"})),
}


@pytest.fixture(scope="module")
def seed_graph() -> nx.MultiDiGraph:
    return build_graph(load_seed(SEED))


@pytest.fixture(scope="module")
def seeded(neo4j_driver):
    """The session driver on a database holding exactly the seed graph (loaded once for this module)."""
    reset_database(neo4j_driver)
    load_dataset(neo4j_driver, load_seed(SEED))
    return neo4j_driver


def assert_same_graph(got: nx.MultiDiGraph, expected: nx.MultiDiGraph) -> None:
    assert set(got.nodes) == set(expected.nodes)
    assert dict(got.nodes(data=True)) == dict(expected.nodes(data=True))
    assert sorted(got.edges(keys=True, data=True), key=repr) == sorted(expected.edges(keys=True, data=True), key=repr)
    assert nx.utils.graphs_equal(got, expected)


@pytest.mark.parametrize("f", FILTERS.values(), ids=FILTERS.keys())
def test_filtered_read_equals_the_embedded_view(seeded, seed_graph, f):
    assert_same_graph(read_graph(seeded, filter=f), subgraph(seed_graph, f))


@pytest.mark.parametrize("f", FILTERS.values(), ids=FILTERS.keys())
def test_filtered_read_in_small_chunks_equals_the_embedded_view(seeded, seed_graph, f):
    # three nodes per record: every view of more than three nodes spans several chunks
    assert_same_graph(read_graph(seeded, filter=f, chunk_size=3), subgraph(seed_graph, f))


def test_the_selection_runs_in_cypher_not_through_views_subgraph(seeded, seed_graph, monkeypatch):
    expected = subgraph(seed_graph, FILTERS["region kota-medan"])

    def refuse(*args, **kwargs):
        raise AssertionError("read_graph must select the view in Cypher")

    monkeypatch.setattr(views, "subgraph", refuse)
    monkeypatch.setattr(views, "region_scope", refuse)
    assert_same_graph(read_graph(seeded, filter=FILTERS["region kota-medan"]), expected)


def test_region_view_by_hand(seeded):
    # Kota Medan's recorded neighbours (000_medan, 001_sergai): the four agencies with jurisdiction,
    # the community shelters, the detention house and the audience located there, the two cohorts it
    # hosts (the refugees; the PMI-NP cohort, an inferred origin), the cash programme targeting it.
    # One step further: e.g. Ditjen Imigrasi (rudenim-medan is PART_OF it, inferred; since the re-read
    # it SERVES no cohort), the Sergai Rakor (DISCUSSED the PMI-NP cohort), IOM Indonesia (iom-medan is
    # PART_OF it). Not: other regions (Sumatera Utara, Serdang Bedagai are barriers), nor Kupang's cohort.
    G = read_graph(seeded, filter=FILTERS["region kota-medan"])
    core = {
        "iom-medan", "pemko-medan", "dinsosnaker-medan", "rudenim-medan", "rudenim-medan-facility",
        "community-shelters-medan", "mtg-2016-10-01-medan-audience", "cohort-medan-refugees",
        "cohort-sergai-pmi-np", "prog-iom-medan-cash",
    }
    assert core | {"kota-medan", "ditjen-imigrasi", "mtg-2019-07-25-sergai-rakor", "iom-indonesia"} <= set(G)
    assert not {"prov-sumatera-utara", "kab-serdang-bedagai", "cohort-kupang-refugees", "iom"} & set(G)
    # the sources mentioning kept nodes are kept, so every fact keeps its evidence
    assert {"src-000", "src-001", "idn-area-regencies"} <= set(G)
    assert G.nodes["cohort-medan-refugees"]["size"] == 2000
    assert G.nodes["mtg-2016-10-01-medan-audience"]["date"] == dt.date(2016, 10, 1)


def test_time_and_cohort_filters_by_hand(seeded):
    # Meetings (meetings.yaml) from 2020 on: the Kemensos handover, the NTB audience, the Kupang visit.
    G = read_graph(seeded, filter=FILTERS["since 2020-01-01"])
    assert {n for n, d in G.nodes(data=True) if d["label"] == "Meeting"} == {
        "mtg-2020-08-26-kemensos-handover", "mtg-2022-02-21-ntb-audience", "mtg-2024-09-11-kupang-visit",
    }
    # Refugee cohorts (cohorts.yaml): Medan and Kupang only.
    G = read_graph(seeded, filter=FILTERS["cohort_type foreign_refugees"])
    assert {n for n, d in G.nodes(data=True) if d["label"] == "MigrantCohort"} == {"cohort-medan-refugees", "cohort-kupang-refugees"}


def test_unfiltered_and_empty_filter_read_the_whole_graph(seeded, seed_graph):
    assert_same_graph(read_graph(seeded), seed_graph)
    assert_same_graph(read_graph(seeded, filter=GraphFilter()), seed_graph)


@pytest.mark.parametrize(
    ("f", "message"),
    [
        (GraphFilter(region="atlantis"), "region 'atlantis' not in graph"),
        (GraphFilter(region="iom"), "region 'iom' not in graph"),  # a node, but not a region
        (GraphFilter(ego="nobody"), "node 'nobody' not in graph"),
    ],
)
def test_unknown_filter_nodes_raise_like_the_embedded_view(seeded, seed_graph, f, message):
    with pytest.raises(UnknownNode, match=message):
        subgraph(seed_graph, f)
    with pytest.raises(UnknownNode, match=message):
        read_graph(seeded, filter=f)
