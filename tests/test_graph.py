"""Dataset <-> NetworkX <-> GraphML round trips, and the derived edges."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import networkx as nx
import pytest
from conftest import MINI_SEED, SEED
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from graphmodel.export.graphml import read_graphml, write_graphml
from graphmodel.graph import build_graph, dataset_from_graph
from graphmodel.seed import load_seed


def _same_dataset(a, b) -> None:
    assert a.nodes == b.nodes
    assert sorted(a.relationships, key=repr) == sorted(b.relationships, key=repr)


@pytest.mark.parametrize("seed", [MINI_SEED, SEED], ids=["mini", "curated"])
def test_dataset_graph_round_trip_is_exact(seed: Path):
    ds = load_seed(seed)
    G = build_graph(ds)
    _same_dataset(ds, dataset_from_graph(G))


@pytest.mark.parametrize("seed", [MINI_SEED, SEED], ids=["mini", "curated"])
def test_graphml_round_trip_is_exact(seed: Path, tmp_path: Path):
    ds = load_seed(seed)
    G = build_graph(ds)
    path = write_graphml(G, tmp_path / "g.graphml")
    H = read_graphml(path)
    assert set(H.nodes) == set(G.nodes)
    assert sorted(H.edges(keys=True)) == sorted(G.edges(keys=True))
    _same_dataset(ds, dataset_from_graph(H))


def test_graph_attributes_follow_the_contract():
    G = build_graph(load_seed(MINI_SEED))
    for n, attrs in G.nodes(data=True):
        assert attrs["id"] == n and attrs["label"] and attrs["name"]
    for _, _, attrs in G.edges(data=True):
        assert attrs["type"] and attrs["evidence"], attrs
    cohort = G.nodes["cohort-kupang"]
    assert (cohort["label"], cohort["size"], cohort["size_basis"]) == ("MigrantCohort", 171, "stated")


def test_derived_edges():
    G = build_graph(load_seed(MINI_SEED))
    # kota-kupang's parent is prov-ntt: the edge quotes the official list's row verbatim
    (attrs,) = [d for _, v, d in G.out_edges("kota-kupang", data=True) if d["type"] == "LOCATED_IN"]
    assert attrs["derived"] and attrs["evidence"] == [{"source": "idn-area-regencies", "quote": "53.71,53,Kota Kupang"}]
    (attrs,) = [d for _, v, d in G.out_edges("prov-ntt", data=True) if d["type"] == "LOCATED_IN"]
    assert attrs["evidence"] == [{"source": "idn-area-provinces", "quote": "53,Nusa Tenggara Timur"}]
    # every node with evidence is MENTIONED_IN its source; the country and the IOM root have none here
    mentioned = {u for u, v, d in G.edges(data=True) if d["type"] == "MENTIONED_IN"}
    assert mentioned == {n for n, d in G.nodes(data=True) if d.get("evidence")}
    assert "iom" not in mentioned and "iom-kupang" in mentioned


def test_graphml_has_typed_keys_and_the_contract_attributes(tmp_path: Path):
    path = write_graphml(build_graph(load_seed(MINI_SEED)), tmp_path / "g.graphml")
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    keys = {(k.get("for"), k.get("attr.name")): k.get("attr.type") for k in etree.parse(str(path)).getroot().iterfind("g:key", ns)}
    assert keys[("node", "id")] == "string" and keys[("node", "label")] == "string" and keys[("node", "name")] == "string"
    assert keys[("edge", "type")] == "string"
    assert keys[("node", "size")] in {"int", "long"}
    assert keys[("edge", "derived")] == "boolean"


def test_graphml_is_read_by_networkx_plainly(tmp_path: Path):
    """A reader that knows nothing of our JSON fields still gets ids, labels, names and types."""
    path = write_graphml(build_graph(load_seed(MINI_SEED)), tmp_path / "g.graphml")
    raw = nx.read_graphml(path)
    assert raw.nodes["rudenim-kupang"]["label"] == "Agency"
    assert {d["type"] for _, _, d in raw.edges(data=True)} >= {"SERVES", "SHELTERS", "LOCATED_IN", "MENTIONED_IN"}


def test_streamed_graphml_is_byte_for_byte_networkx_own(tmp_path: Path):
    # The streaming writer must write exactly what NetworkX's lxml writer writes for the
    # encoded copy of the graph (the code it replaced): the seed, plus a 1,000-node synthetic
    # graph for dates, money, quantities, booleans and numbers on nodes and edges.
    from graphmodel.export.graphml import graphml_ready
    from graphmodel.synth import generate

    generate(tmp_path / "synth", scale=1000, seed=5)
    seed_graph = build_graph(load_seed(SEED))
    # a filtered view too (what `graphmodel export --region ...` writes): the writer walks the view's own adjacency
    agencies_and_regions = nx.subgraph_view(seed_graph, filter_node=lambda n: seed_graph.nodes[n]["label"] in {"Agency", "Region"})
    for name, G in (("seed", seed_graph), ("synth", build_graph(load_seed(tmp_path / "synth"))), ("view", agencies_and_regions)):
        assert G.number_of_edges() > 0
        ours = write_graphml(G, tmp_path / f"{name}-ours.graphml")
        theirs = tmp_path / f"{name}-networkx.graphml"
        nx.write_graphml_lxml(graphml_ready(G), theirs, named_key_ids=False, edge_id_from_attribute=None)
        assert ours.read_bytes() == theirs.read_bytes(), name


@settings(max_examples=500, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("a&<>\"'\n\r\t ]é\u00a0\x7f\x85😀")), max_size=10) | st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\ufffe\uffff"),
        max_size=20,
    ),
)
def test_graphml_escapes_text_and_ids_as_lxml_does(tmp_path_factory, value: str) -> None:
    # Independent reference: NetworkX's lxml writer on the same one-node, one-edge graph.
    G = nx.MultiDiGraph(name="graphmodel")
    G.add_node(value or "x", label="Agency", name=value, notes=["a", value])
    G.add_node("b", label="Agency")
    G.add_edge(value or "x", "b", key="COOPERATES_WITH", type="COOPERATES_WITH", notes=value, weight=1.5, derived=True)
    from graphmodel.export.graphml import graphml_ready

    tmp = tmp_path_factory.mktemp("esc")
    ours = write_graphml(G, tmp / "ours.graphml")
    nx.write_graphml_lxml(graphml_ready(G), tmp / "theirs.graphml", named_key_ids=False, edge_id_from_attribute=None)
    assert ours.read_bytes() == (tmp / "theirs.graphml").read_bytes()


_texts = st.text(alphabet=st.sampled_from(list("a&<>\"'\\/\n\r\t\x00\x1f ]é\u2028\ud800😀")), max_size=8)
_evidence_items = st.one_of(
    st.fixed_dictionaries({"source": _texts, "quote": _texts}),  # the usual shape, written directly
    st.dictionaries(st.sampled_from(["source", "quote", "page"]), st.one_of(_texts, st.integers(), st.none())),
    st.integers(),
    _texts,
)


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.lists(_evidence_items, max_size=4), _texts, st.none()))
def test_graphml_evidence_text_is_what_json_dumps_writes(value) -> None:
    # Independent reference: the standard library's json.dumps with the options GraphML export documents
    # (the encoded copy the byte-for-byte test compares against uses the same shortcut, so it cannot check it)
    import json

    from graphmodel.export.graphml import evidence_json

    assert evidence_json(value) == json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


def test_graphml_refuses_a_control_character_and_names_where(tmp_path: Path) -> None:
    G = nx.MultiDiGraph(name="graphmodel")
    G.add_node("iom", label="Agency", name="IOM\x0bMedan")
    with pytest.raises(ValueError, match=r"node 'iom': attribute 'name' holds a character XML cannot carry"):
        write_graphml(G, tmp_path / "bad.graphml")
    G = nx.MultiDiGraph(name="graphmodel")
    G.add_node("iom", label="Agency")
    G.add_node("un\x00hcr", label="Agency")
    with pytest.raises(ValueError, match=r"node 'un\\x00hcr': its id holds a character XML cannot carry"):
        write_graphml(G, tmp_path / "bad.graphml")


@pytest.mark.parametrize("chunk", [1, 300, 1 << 20])
@pytest.mark.parametrize("bad", ["\x0b", "\x00", "\ufffe", "\uffff"])
def test_graphml_names_the_element_holding_a_bad_character_in_any_chunk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                       chunk: int, bad: str) -> None:
    """Elements are checked a chunk at a time: the one at fault is named wherever it falls, on a node or an edge."""
    from graphmodel.export import graphml

    monkeypatch.setattr(graphml, "CHECK_CHUNK_CHARS", chunk)
    G = nx.MultiDiGraph(name="graphmodel")
    for i in range(40):
        G.add_node(f"a{i}", label="Agency", name=f"Agency {i}", notes=["fine", "é😀"])
    for i in range(39):
        G.add_edge(f"a{i}", f"a{i + 1}", key="COOPERATES_WITH", type="COOPERATES_WITH", evidence=[{"source": "s", "quote": "q"}])
    # (in a list, JSON escapes a control character, but not U+FFFE or U+FFFF; a plain text value holds any of them as is)
    G.edges["a20", "a21", "COOPERATES_WITH"]["notes"] = f"x{bad}y"
    with pytest.raises(ValueError, match=r"edge 'a20' -> 'a21' \(COOPERATES_WITH\): attribute 'notes' holds a character XML cannot carry"):
        write_graphml(G, tmp_path / "bad.graphml")
    del G.edges["a20", "a21", "COOPERATES_WITH"]["notes"]
    G.nodes["a33"]["name"] = f"x{bad}y"
    with pytest.raises(ValueError, match=r"node 'a33': attribute 'name' holds a character XML cannot carry"):
        write_graphml(G, tmp_path / "bad.graphml")
    G.nodes["a33"]["name"] = "fine"
    assert read_graphml(write_graphml(G, tmp_path / "good.graphml")).number_of_edges() == 39


def test_release_builds_the_same_graph_and_the_same_report_tables(tmp_path: Path) -> None:
    """``build_graph(ds, release=True)`` (the main job's way) gives the graph and the report context of
    ``build_graph(ds)``, and leaves no relationship record behind; the report's relationship counts are
    the seed's own (``Dataset.counts``), now read off the graph's recorded edges."""
    from graphmodel.report import TABLE_ROWS, report_context
    from graphmodel.synth import generate

    generate(tmp_path / "synth", scale=1000, seed=5)
    kept, released = load_seed(tmp_path / "synth"), load_seed(tmp_path / "synth")
    want_counts = kept.counts()["relationships"]
    G_kept = build_graph(kept)
    G_released = build_graph(released, release=True)
    assert released.relationships == [] and len(kept.relationships) > 2000
    assert list(G_released.nodes(data=True)) == list(G_kept.nodes(data=True))
    assert list(G_released.edges(keys=True, data=True)) == list(G_kept.edges(keys=True, data=True))
    ctx_kept, ctx_released = report_context(kept, G_kept), report_context(released, G_released)
    assert ctx_released == ctx_kept
    assert ctx_released.rel_counts == sorted(want_counts.items())
    # more sources than a table shows, so the most-cited ones are chosen, from the recorded edges' citations
    assert ctx_released.sources_total > TABLE_ROWS and len(ctx_released.sources) == TABLE_ROWS
    # the citations the report ranks sources by, from the records themselves (nodes and relationships)
    # and as report_context reads them off the graph (node attributes and recorded edges)
    from collections import Counter

    from_records = Counter(ev.source for item in (*kept.nodes.values(), *kept.relationships) for ev in item.evidence)
    from_graph = Counter(ev["source"] for _, d in G_released.nodes(data=True) for ev in d.get("evidence", ()))
    from_graph.update(ev["source"] for _, _, d in G_released.edges(data=True) if not d.get("derived") for ev in d.get("evidence", ()))
    assert from_graph == from_records
    # and the sources the report shows are the most cited by that count (ties broken by id)
    sources = [n for n in kept.nodes.values() if n.label == "Source"]
    most_cited = sorted(sources, key=lambda s: (from_records[s.id], s.id), reverse=True)[:TABLE_ROWS]
    assert {s["id"] for s in ctx_released.sources} == {s.id for s in most_cited}


def test_load_graph_validates_and_builds_in_one_pass_the_same_graph(tmp_path: Path) -> None:
    """``build_graph_from_seed`` (the main job's way since the sixth round) equals ``build_graph(load_seed(...))``:
    same nodes and edges with the same attributes, in the same order, and the same report context;
    no relationship record is kept."""
    from graphmodel.graph import build_graph_from_seed
    from graphmodel.report import report_context
    from graphmodel.synth import generate

    generate(tmp_path / "synth", scale=1000, seed=5)
    for seed in (SEED, tmp_path / "synth"):
        ds, G = build_graph_from_seed(seed)
        kept = load_seed(seed)
        G_kept = build_graph(kept)
        assert ds.relationships == [] and len(kept.relationships) > 100
        assert list(G.nodes(data=True)) == list(G_kept.nodes(data=True))
        assert list(G.edges(keys=True, data=True)) == list(G_kept.edges(keys=True, data=True))
        assert ds.nodes == kept.nodes and ds.origins == kept.origins
        assert report_context(ds, G) == report_context(kept, G_kept)


def test_the_build_puts_in_what_networkx_add_node_and_add_edge_put_in(tmp_path: Path) -> None:
    """The graph built by writing NetworkX's dicts directly equals the graph NetworkX's own ``add_node`` and
    ``add_edge`` build from the same records in the same order: nodes, attributes, successors and
    predecessors with their order, and one key dict shared by both directions, as NetworkX shares it.
    (The derived edges are left out: both builds add those with ``add_edge``.)"""
    from graphmodel.graph import build_graph_from_seed, edge_key, node_attributes, relationship_attributes
    from graphmodel.model.schema import rel_qualifier
    from graphmodel.synth import generate

    def reference_graph(ds) -> nx.MultiDiGraph:  # NetworkX's public methods, record by record
        R = nx.MultiDiGraph(name="graphmodel")
        for node in ds.nodes.values():
            R.add_node(node.id, **node_attributes(node))
        for rel in ds.relationships:
            R.add_edge(rel.source_node, rel.target_node, key=edge_key(rel.type, rel_qualifier(rel)),
                       **relationship_attributes(rel))
        return R

    def ordered(value):  # nested dicts as lists of items, so that order counts too
        return [(k, ordered(v)) for k, v in value.items()] if isinstance(value, dict) else value

    generate(tmp_path / "synth", scale=1000, seed=5)
    for seed in (SEED, tmp_path / "synth"):
        R = reference_graph(load_seed(seed))
        for G in (build_graph(load_seed(seed), derived=False), build_graph_from_seed(seed, derived=False)[1]):
            assert G.number_of_edges() > 100
            assert ordered(G._node) == ordered(R._node)
            assert ordered(G._succ) == ordered(R._succ)
            assert ordered(G._pred) == ordered(R._pred)
            assert all(G._pred[v][u] is keydict for u, nbrs in G._succ.items() for v, keydict in nbrs.items())


def test_the_graph_keeps_one_copy_of_each_evidence_text(tmp_path: Path) -> None:
    """Equal evidence source ids and quotes are one string object across the graph's nodes and edges.

    The values are untouched (the test above compares them with the records'
    own); only duplicate copies are dropped. Checked by object identity on a
    synthetic seed, where a meeting's quote backs every attendance of it.
    """
    from graphmodel.graph import build_graph_from_seed, edge_attribute_dicts
    from graphmodel.synth import generate

    generate(tmp_path / "synth", scale=1000, seed=5)
    for G in (build_graph_from_seed(tmp_path / "synth")[1], build_graph(load_seed(tmp_path / "synth"))):
        texts = [e[k] for d in [*G._node.values(), *edge_attribute_dicts(G)] for e in d.get("evidence", ()) for k in ("source", "quote")]
        assert len(texts) > len(set(texts)) > 100  # the same texts recur
        assert len({id(t) for t in texts}) == len(set(texts))  # ... as one object each


def test_load_graph_of_a_bad_seed_raises_what_load_seed_raises(tmp_path: Path) -> None:
    """A relationship with a problem is reported as ``load_seed`` reports it, and none reaches a graph."""
    import shutil

    from graphmodel.errors import SeedValidationError
    from graphmodel.graph import build_graph_from_seed

    shutil.copytree(MINI_SEED, tmp_path / "seed")
    rels = tmp_path / "seed" / "relationships" / "kupang.yaml"
    text = rels.read_text(encoding="utf-8")
    first = text.index("- type:")
    second = text.index("- type:", first + 1)
    # the first relationship again (a duplicate), and one to a node that does not exist
    extra = text[first:second] + text[first:second].replace("to: iom\n", "to: no-such-agency\n")
    rels.write_text(text + extra, encoding="utf-8")
    with pytest.raises(SeedValidationError) as by_records:
        load_seed(tmp_path / "seed")
    with pytest.raises(SeedValidationError) as by_graph:
        build_graph_from_seed(tmp_path / "seed")
    assert [str(p) for p in by_graph.value.problems] == [str(p) for p in by_records.value.problems]
    assert any("duplicate relationship" in str(p) for p in by_graph.value.problems)
    assert any("no node with id 'no-such-agency'" in str(p) for p in by_graph.value.problems)


def test_edge_attribute_walks_equal_networkx_edge_views():
    # the walks over NetworkX's own adjacency (used by GraphML export and the report) must give the very dicts,
    # in the order, that the public edge views give: on the seed graph and on a filtered view of it
    from graphmodel.graph import edge_attribute_dicts, out_edge_attributes

    G = build_graph(load_seed(SEED))
    view = nx.subgraph_view(G, filter_node=lambda n: G.nodes[n]["label"] != "Source")
    for H in (G, view):
        walked = list(edge_attribute_dicts(H))
        assert len(walked) == H.number_of_edges() > 0
        assert all(a is b for a, (_, _, b) in zip(walked, H.edges(data=True)))
        for node in H:
            assert [(v, id(d)) for v, d in out_edge_attributes(H, node)] == [(v, id(d)) for _, v, d in H.out_edges(node, data=True)]


def test_attribute_dicts_equal_the_plain_copy_of_model_dump(tmp_path: Path) -> None:
    # node_attributes / relationship_attributes convert model_dump's fresh containers in place; the value must be
    # the plain copy of it (enums as strings, tuples as lists, no None), for every record of the seed and a synthetic seed
    from enum import Enum

    from graphmodel.graph import node_attributes, relationship_attributes
    from graphmodel.synth import generate

    def _plain(value):  # the reference: a new plain copy, recursively
        if isinstance(value, Enum):
            return value.value
        if isinstance(value, (list, tuple)):
            return [_plain(v) for v in value]
        if isinstance(value, dict):
            return {k: _plain(v) for k, v in value.items() if v is not None}
        return value

    generate(tmp_path / "synth", scale=1000, seed=5)
    plain_types = (str, int, float, bool, dt.date, list, dict)

    def plain(value) -> bool:  # exact types: a str enum equals its value, so == alone would not notice one
        if type(value) not in plain_types:
            return False
        if type(value) is list:
            return all(map(plain, value))
        if type(value) is dict:
            return all(map(plain, value.values()))
        return True

    checked = 0
    for folder in (SEED, tmp_path / "synth"):
        ds = load_seed(folder)
        for node in ds.nodes.values():
            want = _plain(node.model_dump(exclude_none=True))
            got = node_attributes(node)
            assert got == want and list(got) == list(want) and plain(got)
            checked += 1
        for rel in ds.relationships:
            want = _plain(rel.model_dump(exclude_none=True, exclude={"source_node", "target_node"}))
            got = relationship_attributes(rel)
            assert got == want and list(got) == list(want) and plain(got)
            checked += 1
    assert checked > 3000
