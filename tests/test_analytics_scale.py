"""The fast paths of the analytics give what the straightforward definitions give.

Each test puts a shortcut taken for national-scale graphs (an index instead
of a scan, one depth-first search instead of a component search per finding,
one index and network shared by every analytic) next to the literal
definition it replaces, on the seed, the mini seed and random graphs.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphmodel.analytics import (
    GAP_KINDS,
    Analysis,
    EvidenceRef,
    GraphIndex,
    brokerage_table,
    coordination_communities,
    coordination_gaps,
    coordination_network,
    coverage_gaps,
    find_gaps,
    load_mandates,
    mandate_gaps,
    missing_ties,
    network,
    network_fragility,
    referral_pathways,
    responsible_agencies,
    stale_ties,
)
from graphmodel.analytics.findings import dedupe
from graphmodel.analytics.mandates import ResponsibleAgencies
from graphmodel.analytics.projection import project_network
from graphmodel.errors import AnalyticsError
from graphmodel.report import analytics_sections

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seed"
MINI_SEED = ROOT / "tests" / "data" / "mini_seed"


def _graph(folder: Path) -> nx.MultiDiGraph:
    if not folder.is_dir():
        pytest.skip(f"no {folder.name}/ folder")
    from graphmodel.graph import build_graph
    from graphmodel.seed import load_seed

    return build_graph(load_seed(folder))


@pytest.fixture(scope="module", params=["seed", "mini_seed"])
def graph(request) -> nx.MultiDiGraph:
    return _graph(SEED if request.param == "seed" else MINI_SEED)


# --------------------------------------------------------------------------- index lookups


def test_provisions_to_equals_the_scan_of_every_provision(graph):
    ix = GraphIndex(graph)
    regions = [None, *ix.nodes("Region"), "no-such-region"]
    services = [None, *sorted({p.service for p in ix.provisions})]
    assert ix.cohorts() and ix.provisions
    for cohort in ix.cohorts():
        for region in regions:
            scanned = [p for p in ix.provisions if ix.reaches(p, cohort, region)]
            assert ix.provisions_to(cohort, region) == scanned
            for service in services[1:]:
                assert ix.provisions_to(cohort, region, service) == [p for p in scanned if p.service == service]
            delivering = {s: [p for p in scanned if p.delivers and p.service == s] for s in services[1:]}
            assert ix.delivered_to(cohort, region) == {s: ps for s, ps in delivering.items() if ps}


def test_responsible_agencies_by_region_equal_the_covers_test(graph):
    ix = GraphIndex(graph)
    for m in load_mandates().mandates:
        agencies = responsible_agencies(graph, m)
        indexed = ResponsibleAgencies(ix, agencies)
        for region in ix.nodes("Region"):
            assert indexed.in_region(region) == [a for a in agencies if ix.covers(a, region)]


def test_linked_agencies_equal_the_per_agency_test(graph):
    ix = GraphIndex(graph)
    for cohort in ix.cohorts():
        for region in ix.cohort_regions(cohort):
            linked = {
                a for a in ix.agencies()
                if any(ix.reaches(p, cohort, region) for p in ix.provisions_by_agency.get(a, ()))
            }
            assert ix.agencies_reaching(cohort, region) == linked


def test_typed_adjacency_equals_the_scan_of_the_graph(graph):
    # the index builds each (type, direction) adjacency only when first asked for; every one of them must
    # still be the literal scan of G's edges of that type, in the graph's order
    ix = GraphIndex(graph)
    types = sorted({d["type"] for _, _, d in graph.edges(data=True)}) + ["NO_SUCH_TYPE"]
    for rtype in types:
        scanned = [(u, v, d) for u, v, d in graph.edges(data=True) if d["type"] == rtype]
        for node in graph:
            assert ix.out(node, rtype) == [(v, d) for u, v, d in scanned if u == node]
            assert ix.inn(node, rtype) == [(u, d) for u, v, d in scanned if v == node]
            assert ix.out(node, rtype, derived=False) == [(v, d) for u, v, d in scanned if u == node and not d.get("derived")]
        # grouped by source in the order the sources are first met; each source's edges in graph order
        sources = list(dict.fromkeys(u for u, _, _ in scanned))
        assert list(ix.edges(rtype)) == [(u, v, d) for s in sources for u, v, d in scanned if u == s]
    assert {t for t, _ in ix.built_adjacencies} == set(types)


def test_the_attribute_free_digraph_has_the_same_ties(graph):
    # brokerage counts run on the digraph without tie attributes: the same nodes and ties, in the same order
    full = network.coordination_digraph(graph)
    bare = network.coordination_digraph(graph, attributes=False)
    assert full.number_of_edges() > 0
    assert list(bare.nodes(data=True)) == list(full.nodes(data=True))
    assert list(bare.edges()) == list(full.edges())
    assert all(not d for _, _, d in bare.edges(data=True))


# --------------------------------------------------------------------------- fragility


def _fragility_reference(H: nx.Graph) -> list[tuple]:
    """The definition, one component search per finding (the code this module replaced).

    Every group the removal leaves is found; the largest (on equal sizes, the
    one holding the smallest id) is the rest, counted; the others are listed.
    A bridge that is only a PART_OF link (an organisation chart) is not a
    coordination bridge and is not reported (issue 21).
    """
    def split(groups):
        groups = [tuple(sorted(g)) for g in groups]
        rest = min(groups, key=lambda g: (-len(g), g[0]))
        cut = sorted((g for g in groups if g is not rest), key=lambda c: (-len(c), c))
        return tuple(cut), len(rest)

    found = []
    for v in sorted(nx.articulation_points(H)):
        component = nx.node_connected_component(H, v)
        rest = H.subgraph(component - {v})
        found.append(("articulation_point", (v,), *split(nx.connected_components(rest))))
    for u, v in sorted(tuple(sorted(e)) for e in nx.bridges(H)):
        tie = H.edges[u, v]
        if tie.get("part_of") and not (tie.get("meetings") or tie.get("programmes") or tie.get("cooperates")):
            continue
        rest = H.copy()
        rest.remove_edge(u, v)
        found.append(("bridge", (u, v), *split([nx.node_connected_component(rest, u), nx.node_connected_component(rest, v)])))
    return sorted(found)


@st.composite
def networks(draw) -> nx.Graph:
    n = draw(st.integers(min_value=0, max_value=14))
    names = [f"a{i:02d}" for i in range(n)]
    pairs = [(u, v) for i, u in enumerate(names) for v in names[i + 1:]]
    H = nx.Graph()
    for a in names:
        H.add_node(a, name=a.upper())
    for u, v in draw(st.lists(st.sampled_from(pairs), unique=True, max_size=20)) if pairs else []:
        H.add_edge(u, v, reasons=("met",), evidence=(EvidenceRef("s", f"{u}-{v}"),))
    return H


@settings(max_examples=200, deadline=None)
@given(H=networks())
def test_fragility_from_one_search_equals_a_search_per_finding(H):
    found = network_fragility(H)
    assert sorted((f.kind, f.agencies, f.separated, f.rest) for f in found) == _fragility_reference(H)


def test_fragility_on_the_seed_equals_the_reference(graph):
    H = coordination_network(graph)
    found = network_fragility(H)
    assert sorted((f.kind, f.agencies, f.separated, f.rest) for f in found) == _fragility_reference(H)
    assert found == network_fragility(Analysis(graph).network)


def test_depth_first_search_is_iterative():
    # a ring of 50,000 agencies is searched 50,000 deep, which would overflow a recursive search; one more
    # agency tied to the ring makes one articulation point and one bridge
    H = nx.cycle_graph([f"a{i:05d}" for i in range(50_000)])
    H.add_edge("a00000", "z")
    for v in H:
        H.nodes[v]["name"] = v.upper()
    for u, v in H.edges():
        H.edges[u, v].update(reasons=("met",), evidence=(EvidenceRef("s", f"{u}-{v}"),))
    found = network_fragility(H)
    assert sorted((f.kind, f.agencies, f.separated, f.rest) for f in found) == [
        ("articulation_point", ("a00000",), (("z",),), 49_999),
        ("bridge", ("a00000", "z"), (("z",),), 50_000),
    ]


# --------------------------------------------------------------------------- pathways
# Chains, disjoint chains and critical providers against their definitions on an explicit
# DAG: tests/test_analytics_pathways.py::test_chains_disjoint_and_critical_match_their_definitions.


# --------------------------------------------------------------------------- one index, one network per run


def test_shared_index_and_network_give_the_same_results(graph):
    # one Analysis given to every analytic (its index and network built once) against the graph given to each
    A = Analysis(graph)
    assert coverage_gaps(graph) == coverage_gaps(A)
    assert mandate_gaps(graph) == mandate_gaps(A)
    assert missing_ties(graph) == missing_ties(A)
    as_of = A.index.latest_date()
    if as_of:
        assert stale_ties(graph, as_of) == stale_ties(A, as_of)
    for cohort in A.index.cohorts():
        try:
            alone = referral_pathways(graph, cohort)
        except AnalyticsError:
            continue
        assert alone == referral_pathways(A, cohort)
    assert coordination_gaps(graph) == coordination_gaps(A)
    table = brokerage_table(graph)
    assert table.equals(brokerage_table(A))
    assert table.attrs["betweenness_method"].startswith("exact")
    assert list(coordination_network(A).edges(data=True)) == list(A.network.edges(data=True))  # and shares this network


def test_best_chain_and_its_gaps_do_not_depend_on_k(graph):
    ix = GraphIndex(graph)
    for cohort in ix.cohorts():
        try:
            one, three = referral_pathways(graph, cohort, k=1), referral_pathways(graph, cohort, k=3)
        except AnalyticsError:
            continue
        assert (one.best, one.gaps) == (three.best, three.gaps)


def test_report_sections_rank_the_same_gaps_as_coordination_gaps(graph):
    A = Analysis(graph)
    found = find_gaps(A, "all", A.index.latest_date(), 5, k=3)
    assert found.ranked() == found.ranked(GAP_KINDS) == coordination_gaps(graph)
    assert found.ranked("mandate") == coordination_gaps(graph, kinds="mandate")


def test_report_communities_are_the_table_communities(graph):
    table = brokerage_table(graph)
    from_table = [sorted(m) for _, m in sorted(table.groupby("community").groups.items())]
    assert from_table == [sorted(c) for c in coordination_communities(coordination_network(graph))]


def _count_calls(monkeypatch, real, calls: dict, key: str) -> None:
    """Count the calls of ``real`` (a public function) wherever the package's modules took it by name.

    The network is counted at :func:`~graphmodel.analytics.projection.project_network`, which builds every
    coordination network: ``Analysis.network`` and ``coordination_network`` both call it.

    The modules of the analytics, the report, the exports and the pipeline are imported first, so that every
    one of them that takes ``real`` is found, whatever file it is in.
    """
    import importlib
    import pkgutil
    import sys

    for package in ("analytics", "report", "export"):
        root = importlib.import_module(f"graphmodel.{package}")
        for info in pkgutil.walk_packages(root.__path__, f"graphmodel.{package}."):
            importlib.import_module(info.name)
    importlib.import_module("graphmodel.pipeline")

    def counting(*args, **kwargs):
        calls[key] += 1
        return real(*args, **kwargs)

    taken = [m for name, m in list(sys.modules.items())
             if name.startswith("graphmodel.") and getattr(m, real.__name__, None) is real]
    assert taken, real.__name__
    for module in taken:
        monkeypatch.setattr(module, real.__name__, counting)
    assert getattr(sys.modules[real.__module__], real.__name__) is counting


def _count_indexes(monkeypatch, calls: dict) -> None:
    """Count the :class:`GraphIndex` objects built (each reads the whole graph)."""
    real_init = GraphIndex.__init__

    def counting_init(self, G):
        calls["index"] += 1
        real_init(self, G)

    monkeypatch.setattr(GraphIndex, "__init__", counting_init)


def test_analytics_sections_build_the_index_and_the_network_once(graph, monkeypatch):
    calls = {"index": 0, "network": 0}
    _count_indexes(monkeypatch, calls)
    _count_calls(monkeypatch, project_network, calls, "network")
    analytics_sections(graph)
    assert calls == {"index": 1, "network": 1}


# --------------------------------------------------------------------------- the main job at scale


def test_main_job_runs_every_analytic_once(tmp_path, monkeypatch):
    # The overview's highlight and the report's sections share one run of the gap analytics
    # (they were computed twice before): count the calls into the collector and the network.
    from graphmodel import pipeline

    calls = {"findings": 0, "index": 0, "network": 0}
    # find_gaps is the one collector of the gap analytics (coordination_gaps calls it too)
    _count_calls(monkeypatch, find_gaps, calls, "findings")
    _count_indexes(monkeypatch, calls)
    _count_calls(monkeypatch, project_network, calls, "network")
    import gc

    pipeline.run_main_job(SEED, tmp_path / "out")
    assert calls == {"findings": 1, "index": 1, "network": 1}
    assert (tmp_path / "out" / "report.md").is_file()
    # the job freezes the heap while it runs (pipeline: heap_frozen) and must leave it as it found it
    assert gc.get_freeze_count() == 0 and gc.isenabled()


def test_validated_records_hold_no_reference_cycles(tmp_path):
    """The main job lets the records go by reference counting alone, so none of them may sit in a cycle.

    With the collector saving what it finds, the records (pydantic models) let go after
    building the graph must not turn up as cyclic garbage.
    """
    import gc

    from pydantic import BaseModel

    from graphmodel.graph import build_graph
    from graphmodel.report import prepare_report
    from graphmodel.seed import load_seed
    from graphmodel.synth import generate

    generate(tmp_path / "seed", scale=1000, seed=7)
    gc.collect()
    gc.disable()
    try:
        ds = load_seed(tmp_path / "seed")
        G = build_graph(ds)
        prepare_report(ds, G, tmp_path / "seed")
        gc.collect()  # what reading and the report's charts left, before the records go
        gc.set_debug(gc.DEBUG_SAVEALL)
        del ds
        gc.collect()
        stuck = [o for o in gc.garbage if isinstance(o, BaseModel)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert G.number_of_nodes() > 900
    assert stuck == []


@pytest.fixture(scope="module")
def synth_graph(tmp_path_factory):
    from graphmodel.graph import build_graph
    from graphmodel.seed import load_seed
    from graphmodel.synth import generate

    out = tmp_path_factory.mktemp("synth") / "seed"
    generate(out, scale=1000, seed=7)
    return build_graph(load_seed(out))


def test_report_sections_are_capped_and_say_how_many(synth_graph):
    # On a 1,000-node synthetic graph the coverage gaps, the 4W matrix and the cohorts' pathways
    # each have more rows than a section shows: each table shows its first MAX_ROWS rows and says
    # how many there are; the pathways are detailed for the MAX_PATHWAYS most broken only.
    from graphmodel.analytics import coverage_matrix, find_gaps
    from graphmodel.report import sections as sections_module

    found = find_gaps(synth_graph, k=3)
    n_rows = len(coverage_matrix(synth_graph))
    cohorts = sum(1 for _, r in found.pathways if not isinstance(r, AnalyticsError))
    assert n_rows > sections_module.MAX_ROWS and cohorts > sections_module.MAX_PATHWAYS  # the premise
    out = {s["title"]: s["markdown"] for s in analytics_sections(synth_graph, findings=found)}
    assert f"The first {sections_module.MAX_ROWS} of {n_rows:,} rows" in out["Coverage (4W) and coverage gaps"]
    pathways_md = out["Referral pathways"]
    assert f"the {sections_module.MAX_PATHWAYS} most broken of {cohorts:,} pathways" in pathways_md
    # the summary table's heading, then one heading ("### name (type)") per detailed cohort
    assert pathways_md.count("\n### ") == 1 + sections_module.MAX_PATHWAYS
    ranked = out["Coordination gaps (ranked)"]
    assert f"{len(found.ranked()):,} findings" in ranked
    # every table row of every section is within the cap (rows start with "| " after the two header lines)
    for title, md in out.items():
        for table in md.split("\n\n"):
            rows = [line for line in table.splitlines() if line.startswith("| ")]
            assert len(rows) <= sections_module.MAX_ROWS + 1, title  # + the header row


def test_report_sections_from_best_chains_only_equal_those_from_three(synth_graph):
    # The main job keeps only each cohort's best chain (k=1); the sections work out the alternatives
    # of the pathways they detail. The report must read exactly as with k=3 findings.
    from graphmodel.analytics import find_gaps

    def markdown(k):
        return [s["markdown"] for s in analytics_sections(synth_graph, findings=find_gaps(synth_graph, k=k))]

    three = markdown(3)
    assert three == markdown(1)
    assert "| 3 |" in next(md for md in three if "most broken" in md)  # some detailed pathway shows a third chain


def _dedupe_by_definition(evidence):
    """The definition, written out: the first of each (source, quote, about), in the order first seen."""
    out = []
    for e in evidence:
        if not any((e.source, e.quote, e.about) == (o.source, o.quote, o.about) for o in out):
            out.append(e)
    return tuple(out)


_refs = st.builds(EvidenceRef, st.sampled_from(["s1", "s2", "s3"]), st.sampled_from(["q", "q ", "Q"]),
                  st.sampled_from(["", "a", "b"]))


@settings(max_examples=300, deadline=None)
@given(st.lists(_refs, max_size=30), st.sampled_from([list, tuple, iter]))
def test_dedupe_equals_its_definition(evidence, container):
    # the fast dedupe keeps the last of equal references in the first one's place: equal values, same order
    got = dedupe(container(evidence))
    want = _dedupe_by_definition(evidence)
    assert got == want
    assert [(e.source, e.quote, e.about) for e in got] == [(e.source, e.quote, e.about) for e in want]


def test_network_ties_have_the_documented_attributes_in_order(graph):
    # the final dict of a tie is built in one go (network._finished); its keys are those coordination_network
    # documents, in the order they always had, and the working "dates" list is gone
    keys = ["weight", "meetings", "programmes", "cooperates", "part_of", "reasons", "evidence",
            "first_contact", "last_contact", "distance"]
    for build in (coordination_network, network.coordination_digraph):
        H = build(graph)
        assert H.number_of_edges() > 0
        for _, _, d in H.edges(data=True):
            assert list(d) == keys
            assert d["distance"] == 1.0 / d["weight"]
            assert (d["first_contact"] is None) == (d["last_contact"] is None)


def test_equal_tie_lists_are_one_object(graph):
    # ties keep one object per distinct meetings, programmes and reasons tuple (memory at national scale);
    # a tuple is immutable, so sharing changes no value
    for build in (coordination_network, network.coordination_digraph):
        ties = [d for _, _, d in build(graph).edges(data=True)]
        for key in ("meetings", "programmes", "reasons"):
            assert len({id(d[key]) for d in ties}) == len({d[key] for d in ties}), key
    seed_ties = [d for _, _, d in coordination_network(_graph(SEED)).edges(data=True)]
    assert len(seed_ties) > len({d["reasons"] for d in seed_ties})  # the seed has ties that share their reasons


def test_meeting_participants_without_evidence_are_the_same_agencies_and_roles(graph):
    # the attribute-free digraph asks for participants without evidence; who took part and in which role must
    # not change, and the cached map holds exactly the meetings that have agency participants
    ix = GraphIndex(graph)
    meetings = ix.nodes("Meeting")
    assert meetings
    for m in meetings:
        full = ix.meeting_participants(m)
        bare = ix.meeting_participants(m, evidence=False)
        assert [(p.agency, p.event, p.role) for p in bare] == [(p.agency, p.event, p.role) for p in full]
        assert all(p.evidence == () for p in bare) and all(p.evidence for p in full)
        # a host is listed once, as host, even when its attendance is recorded too
        hosts = {u for u, _ in ix.inn(m, "HOSTED") if ix.is_agency(u)}
        assert {p.agency for p in full if p.role == "host"} == hosts
    assert ix.meeting_participation == {m: ix.meeting_participants(m) for m in meetings if ix.meeting_participants(m)}
