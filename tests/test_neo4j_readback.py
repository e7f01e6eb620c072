"""Whole-graph read-back in chunks of nodes: nothing lost, nothing read twice, every attribute
of the type the embedded graph has; and the in-place property decoder it uses."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from neo4j.time import Date
from neo4j_fixtures import reset_database

from graphmodel.db import read as readback
from graphmodel.db.codec import from_properties, from_properties_in_place, to_properties
from graphmodel.db.read import read_graph
from graphmodel.db.write import load_dataset
from graphmodel.graph import build_graph
from graphmodel.seed import load_seed
from graphmodel.synth import generate


def typed(value: Any) -> Any:
    """``value`` with the type of every part spelled out, so that 1 != 1.0, date != Date, tuple != list."""
    if isinstance(value, dict):
        return {key: typed(v) for key, v in value.items()}
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [typed(v) for v in value])
    return (type(value).__name__, value)


def assert_identical(got: nx.MultiDiGraph, expected: nx.MultiDiGraph) -> None:
    assert got.number_of_nodes() == expected.number_of_nodes()
    assert got.number_of_edges() == expected.number_of_edges()
    assert {n: typed(d) for n, d in got.nodes(data=True)} == {n: typed(d) for n, d in expected.nodes(data=True)}
    assert {(u, v, k): typed(d) for u, v, k, d in got.edges(keys=True, data=True)} == {
        (u, v, k): typed(d) for u, v, k, d in expected.edges(keys=True, data=True)
    }
    assert nx.utils.graphs_equal(got, expected)


# --------------------------------------------------------------------------- against Neo4j


@pytest.fixture(scope="module")
def synth_graph(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, nx.MultiDiGraph]:
    out = tmp_path_factory.mktemp("synth") / "seed"
    generate(out, scale=1_000, seed=7)
    return out, build_graph(load_seed(out))


@pytest.fixture(scope="module")
def synth_loaded(neo4j_driver, synth_graph):
    """The session driver on a database holding exactly a synthetic seed of about 1,000 nodes."""
    reset_database(neo4j_driver)
    load_dataset(neo4j_driver, load_seed(synth_graph[0]))
    return neo4j_driver


@pytest.mark.neo4j
def test_the_synthetic_graph_exercises_what_the_decoder_handles(synth_graph):
    # otherwise the read-back tests below would prove less than they claim
    _, G = synth_graph
    assert G.number_of_nodes() > 4 * 37
    attrs = [d for _, d in G.nodes(data=True)] + [d for _, _, d in G.edges(data=True)]
    kinds = Counter(type(v).__name__ for d in attrs for v in d.values())
    assert {"date", "list", "dict", "str", "int", "bool"} <= set(kinds)
    assert any(type(d.get("money", {}).get("amount")) is float for d in attrs)
    assert any(type(d.get("quantity", {}).get("value")) is int for d in attrs)
    assert any(len(d.get("evidence", [])) == 1 for d in attrs)


@pytest.mark.neo4j
@pytest.mark.parametrize("chunk_size", [1, 37, readback.CHUNK_SIZE, 1_000_000])
def test_read_graph_in_chunks_equals_the_built_graph(synth_loaded, synth_graph, chunk_size):
    assert_identical(read_graph(synth_loaded, chunk_size=chunk_size), synth_graph[1])


@pytest.mark.neo4j
@pytest.mark.parametrize("parts", [1, 2, 3])
def test_every_node_and_relationship_travels_exactly_once(synth_loaded, synth_graph, parts):
    # read_graph would merge a node or relationship read twice into the same graph, so count the streams:
    # over the parts of a read, every node and relationship comes exactly once
    _, G = synth_graph
    node_ids: Counter = Counter()
    edges: Counter = Counter()
    records = 0
    expected_records = 0
    with synth_loaded.session(default_access_mode="READ") as session:
        for tails, rest in readback.graph_parts(parts):
            # hand derivation of the part: the nodes whose id's last character is (or, for the rest, is not) in tails
            in_part = sum(1 for n in G if (n[-1:] in tails) != rest)
            expected_records += -(-in_part // 37)
            result = readback.graph_part_records(session, tails, rest, chunk_size=37)
            for labels, props_list, outs in result:
                records += 1
                assert len(labels) == len(props_list) == len(outs) <= 37
                for props, out in zip(props_list, outs):
                    node_ids[props["id"]] += 1
                    for target, rel_props in out:
                        edges[props["id"], target, rel_props["key"]] += 1
    assert records == expected_records
    assert node_ids == Counter(list(G))
    assert edges == Counter(list(G.edges(keys=True)))


@pytest.mark.neo4j
@pytest.mark.parametrize("parts", [1, 3])
def test_the_number_of_parts_does_not_change_the_graph(synth_loaded, synth_graph, parts):
    _, G = synth_graph
    assert nx.utils.graphs_equal(read_graph(synth_loaded, parts=parts), G)


@pytest.mark.neo4j
def test_a_chunk_size_below_one_is_refused(synth_loaded):
    with pytest.raises(ValueError, match="chunk_size"):
        read_graph(synth_loaded, chunk_size=0)


# --------------------------------------------------------------------------- the decoder


def test_from_properties_in_place_undoes_to_properties_and_reuses_the_dict():
    attrs = {
        "name": "A",
        "size": 3,
        "share": 0.5,
        "derived": False,
        "topics": ["x"],
        "date": dt.date(2020, 1, 2),
        "evidence": [{"source": "s1", "quote": "q1"}, {"source": "s2", "quote": "q2"}],
        "money": {"amount": 10.0, "currency": "IDR"},
        "quantity": {"value": 2, "unit": "kit"},
    }
    props = to_properties(attrs) | {"load_id": "L", "key": "K", "date": Date(2020, 1, 2), "pair": ("a", "b")}
    copy = dict(props)
    expected = attrs | {"pair": ["a", "b"]}
    assert typed(from_properties(props)) == typed(expected)
    assert props == copy  # from_properties leaves its argument alone
    decoded = from_properties_in_place(props)
    assert decoded is props
    assert typed(decoded) == typed(expected)
    # plain keys first (in the order of the properties), then evidence, then the records
    assert list(decoded) == ["name", "size", "share", "derived", "topics", "date", "pair", "evidence", "money", "quantity"]


@pytest.mark.parametrize(
    ("props", "expected"),
    [
        ({"id": "a", "load_id": "L"}, {"id": "a"}),
        ({"evidence_sources": ["s"], "evidence_quotes": ["q"]}, {"evidence": [{"source": "s", "quote": "q"}]}),
        ({"evidence_sources": [], "evidence_quotes": []}, {"evidence": []}),
        ({"money_original": "Rp 1"}, {"money": {"original": "Rp 1"}}),
        ({"moneyish": 1}, {"moneyish": 1}),
    ],
)
def test_from_properties_in_place_edge_cases(props, expected):
    assert typed(from_properties_in_place(dict(props))) == typed(expected)
    assert typed(from_properties(props)) == typed(expected)


def test_mismatched_evidence_lists_raise():
    with pytest.raises(ValueError):
        from_properties({"evidence_sources": ["s", "t"], "evidence_quotes": ["q"]})
    with pytest.raises(KeyError):
        from_properties({"evidence_sources": ["s"]})
