"""Loading into a real Neo4j: idempotent, deletions swept, invalid seeds write nothing,
and seed -> Neo4j -> NetworkX equals seed -> NetworkX."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import networkx as nx
import pytest
from conftest import MINI_SEED, SEED

from graphmodel.db import write as loader
from graphmodel.db.read import read_graph
from graphmodel.db.statements import node_merge_query, relationship_create_query, relationship_merge_query
from graphmodel.db.write import LoadLock, load_dataset, load_graph
from graphmodel.db.writers import BatchWriters
from graphmodel.errors import LoadConflict
from graphmodel.graph import build_graph
from graphmodel.seed import load_seed

pytestmark = pytest.mark.neo4j


def snapshot(driver) -> tuple[list, list]:
    """Every node and relationship with all its properties, in a canonical order."""
    with driver.session() as s:
        nodes = sorted(
            (r["labels"], sorted(r["props"].items(), key=str))
            for r in s.run("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props")
        )
        rels = sorted(
            (r["a"], r["t"], r["b"], sorted(r["props"].items(), key=str))
            for r in s.run("MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b, properties(r) AS props")
        )
    return [repr(n) for n in nodes], [repr(r) for r in rels]


def test_seed_neo4j_networkx_equals_seed_networkx(clean_neo4j):
    ds = load_seed(SEED)
    expected = build_graph(ds)
    load_dataset(clean_neo4j, ds, batch_size=37)  # a batch size that splits every label unevenly
    got = read_graph(clean_neo4j)
    assert set(got.nodes) == set(expected.nodes)
    assert dict(got.nodes(data=True)) == dict(expected.nodes(data=True))
    assert sorted(got.edges(keys=True, data=True), key=repr) == sorted(expected.edges(keys=True, data=True), key=repr)
    assert nx.utils.graphs_equal(got, expected)


def test_loading_twice_changes_nothing(clean_neo4j):
    ds = load_seed(SEED)
    first = load_dataset(clean_neo4j, ds)
    before = snapshot(clean_neo4j)
    second = load_dataset(clean_neo4j, ds)
    assert snapshot(clean_neo4j) == before
    assert first.load_id == second.load_id
    assert (second.nodes_removed, second.relationships_removed) == (0, 0)
    # 97 seed nodes (the `- id:` records of seed/*.yaml: 25 agencies, 18 regions, 20 people, 7 sources,
    # 7 programmes, 7 facilities, 5 meetings, 7 cohorts, 1 law); relationships = 190 recorded
    # (the `- type:` records of seed/relationships/) + 127 derived (see test_export_formats)
    G = build_graph(ds)
    assert len(before[0]) == G.number_of_nodes() == 97
    assert len(before[1]) == G.number_of_edges() == 190 + 127


def test_reload_after_edit_removes_deleted_facts_and_updates_properties(clean_neo4j, mini_seed):
    load_dataset(clean_neo4j, load_seed(mini_seed))
    rels = mini_seed / "relationships" / "kupang.yaml"
    text = rels.read_text(encoding="utf-8")
    shelters = text[text.index("- type: SHELTERS") : text.index("- type: APPLIES")]
    rels.write_text(text.replace(shelters, ""), encoding="utf-8")  # one fact removed
    cohorts = mini_seed / "cohorts.yaml"
    cohorts.write_text(cohorts.read_text(encoding="utf-8").replace("size: 171", "size: 172"), encoding="utf-8")
    facilities = mini_seed / "facilities.yaml"
    facilities.write_text("- id: hotel-ina-boi\n  name: Hotel Ina Bo'i\n  kind: hotel_shelter\n", encoding="utf-8")  # hotel-lavender gone

    report = load_dataset(clean_neo4j, load_seed(mini_seed))
    with clean_neo4j.session() as s:
        assert s.run("MATCH ()-[r:SHELTERS]->() RETURN count(r) AS n").single()["n"] == 0
        assert s.run("MATCH (c:MigrantCohort {id: 'cohort-kupang'}) RETURN c.size AS n").single()["n"] == 172
        ids = {r["id"] for r in s.run("MATCH (f:Facility) RETURN f.id AS id")}
    assert ids == {"hotel-ina-boi"}
    # removed: the hotel-lavender node; its SHELTERS edge and its MENTIONED_IN edge
    assert report.nodes_removed == 1 and report.relationships_removed == 2
    assert nx.utils.graphs_equal(read_graph(clean_neo4j), build_graph(load_seed(mini_seed)))


def test_invalid_seed_leaves_database_untouched(clean_neo4j, mini_seed):
    load_dataset(clean_neo4j, load_seed(MINI_SEED))
    before = snapshot(clean_neo4j)
    rels = mini_seed / "relationships" / "kupang.yaml"
    rels.write_text(rels.read_text(encoding="utf-8").replace("  to: iom\n", "  to: nobody\n"), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "graphmodel.cli", "load", "--seed", str(mini_seed)],
        capture_output=True, text=True, stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 2 and "no node with id 'nobody'" in proc.stderr and "Traceback" not in proc.stderr
    assert snapshot(clean_neo4j) == before


def test_cli_load_and_run_neo4j(clean_neo4j, tmp_path: Path):
    proc = subprocess.run(
        [sys.executable, "-m", "graphmodel.cli", "load", "--seed", str(MINI_SEED), "--format", "json"],
        capture_output=True, text=True, stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stderr
    assert '"nodes_written": 13' in proc.stdout
    out_dir = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "graphmodel.cli", "run", "--neo4j", "--seed", str(MINI_SEED), "--out", str(out_dir)],
        capture_output=True, text=True, stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Refugees in Kota Kupang" in (out_dir / "report.md").read_text(encoding="utf-8")


def test_labels_and_types_come_only_from_the_schema():
    with pytest.raises(ValueError):
        node_merge_query("Agency {id: 1}) DETACH DELETE n //")
    with pytest.raises(ValueError):
        relationship_merge_query("SERVES]->() DELETE r //")
    with pytest.raises(ValueError):
        relationship_create_query("SERVES]->() DELETE r //")


def test_analytics_identical_on_the_read_back_graph(clean_neo4j):
    """Issue 4: results are identical whether the graph came from the seed files or from Neo4j."""
    from graphmodel.analytics import coordination_gaps, referral_pathways

    ds = load_seed(SEED)
    load_dataset(clean_neo4j, ds)
    from_files, from_neo4j = build_graph(ds), read_graph(clean_neo4j)
    assert [(g.kind, g.title) for g in coordination_gaps(from_neo4j)] == [(g.kind, g.title) for g in coordination_gaps(from_files)]
    for cohort in (n for n, d in from_files.nodes(data=True) if d["label"] == "MigrantCohort"):
        assert referral_pathways(from_neo4j, cohort).explanation == referral_pathways(from_files, cohort).explanation


def test_concurrent_writers_write_the_same_graph_as_one(clean_neo4j):
    """Batches written by several sessions at once (small batches, so many are in flight together) give
    the very graph one writer gives: the same properties on the same elements, and the seed's graph."""
    ds = load_seed(SEED)
    load_dataset(clean_neo4j, ds, workers=1)
    one = snapshot(clean_neo4j)
    with clean_neo4j.session() as s:
        s.run("MATCH (n) DETACH DELETE n").consume()
    report = load_dataset(clean_neo4j, ds, batch_size=7, workers=4)
    assert snapshot(clean_neo4j) == one
    assert report.batches >= (report.nodes_written + report.relationships_written) / 7
    assert nx.utils.graphs_equal(read_graph(clean_neo4j), build_graph(ds))


def count(driver, query: str) -> int:
    with driver.session() as s:
        return s.run(query).single()[0]


def test_relationships_of_new_nodes_are_created_and_the_others_merged(clean_neo4j):
    """A first load creates every relationship; a reload merges every one; a load over part of the graph
    creates exactly the relationships with an end it added, and merges the rest without duplicating any."""
    G = build_graph(load_seed(SEED))
    first = load_graph(clean_neo4j, G)
    assert first.relationships_created == G.number_of_edges()  # an empty database: every end is new
    assert load_graph(clean_neo4j, G).relationships_created == 0  # every node was there

    meetings = {n for n, d in G.nodes(data=True) if d["label"] == "Meeting"}
    assert meetings
    with clean_neo4j.session() as s:
        s.run("MATCH (m:Meeting) DETACH DELETE m").consume()
    # hand derivation: the relationships to be created are exactly those with a meeting at one end
    touching = sum(1 for u, v in G.edges() if u in meetings or v in meetings)
    assert 0 < touching < G.number_of_edges()
    report = load_graph(clean_neo4j, G)
    assert report.relationships_created == touching
    assert count(clean_neo4j, "MATCH ()-[r]->() RETURN count(r)") == G.number_of_edges()  # nothing twice
    assert nx.utils.graphs_equal(read_graph(clean_neo4j), G)


def test_a_second_load_waits_for_the_load_lock(clean_neo4j):
    """While one load holds the database's load lock, another writes nothing; it starts when the lock is let go."""
    G = build_graph(load_seed(MINI_SEED))
    noticed = threading.Event()
    result: dict = {}

    def second_load() -> None:
        try:
            result["report"] = load_graph(clean_neo4j, G, waiting=noticed.set)
        except BaseException as exc:  # handed to the test's thread
            result["error"] = exc

    with LoadLock(clean_neo4j) as held:
        assert not held.waited
        thread = threading.Thread(target=second_load)
        thread.start()
        assert noticed.wait(60), "the second load did not report waiting"
        assert count(clean_neo4j, "MATCH (n) RETURN count(n)") == 0  # it wrote nothing meanwhile
    thread.join(120)
    assert "error" not in result, result.get("error")
    assert result["report"].waited
    assert nx.utils.graphs_equal(read_graph(clean_neo4j), G)
    assert count(clean_neo4j, "MATCH (l:GraphmodelLoadLock) RETURN count(l)") == 0  # the lock leaves no trace


def test_a_load_that_lost_its_lock_says_so(clean_neo4j):
    """The lock's transaction ended by the server mid-load (an administrator's TERMINATE TRANSACTIONS):
    another load may have written meanwhile, so the load stops with a clear error before the sweep."""
    G = build_graph(load_seed(MINI_SEED))
    terminated = []

    def end_the_lock(n: int) -> None:
        if not terminated:
            with clean_neo4j.session() as s:
                ids = [r["id"] for r in s.run(
                    "SHOW TRANSACTIONS YIELD transactionId AS id, metaData WHERE metaData.graphmodel = $lock RETURN id",
                    lock=loader.LOCK_METADATA)]
                terminated.extend(ids)
                s.run("TERMINATE TRANSACTIONS $ids", ids=ids).consume()

    with pytest.raises(LoadConflict, match="lost its lock"):
        load_graph(clean_neo4j, G, batch_size=5, progress=end_the_lock)
    assert len(terminated) == 1
    load_graph(clean_neo4j, G)  # the next load takes the lock again and completes
    assert nx.utils.graphs_equal(read_graph(clean_neo4j), G)


def test_writers_prepare_batches_only_a_little_ahead(clean_neo4j):
    """Batches are drawn as the writers go, at most two per writer ahead of those written (the rows of a
    national load are not all held at once)."""
    drawn = finished = most_ahead = 0

    def jobs():
        nonlocal drawn, most_ahead
        for _ in range(40):
            drawn += 1
            most_ahead = max(most_ahead, drawn - finished)
            yield "RETURN 1", [{}]

    def done(rows, result) -> None:
        nonlocal finished
        finished += 1

    writers = BatchWriters(clean_neo4j, None, workers=2)
    try:
        writers.write(lambda tx, query, rows: tx.run(query).consume(), jobs(), done)
    finally:
        writers.close()
    assert (drawn, finished) == (40, 40)
    assert 1 < most_ahead <= 2 * 2  # the one being drawn and those in flight (all 40 if drawn at once)


def test_writers_count_each_batch_written_again_and_keep_the_driver_s_notice_quiet(clean_neo4j, caplog):
    """A batch rolled back by a transient error (as a deadlock between the writers is) is written again by
    the driver; the writers count it from the attempts at the unit of work, not from the driver's log."""
    from neo4j.exceptions import TransientError

    attempts: dict[str, int] = {}

    def deadlocks_once(tx, query, rows):
        key = rows[0]["batch"]
        attempts[key] = attempts.get(key, 0) + 1
        if key == "b" and attempts[key] == 1:
            raise TransientError("a deadlock, as Neo4j reports one")
        return tx.run(query).single()[0]

    results = []
    writers = BatchWriters(clean_neo4j, None, workers=2)
    try:
        with caplog.at_level("WARNING", logger="neo4j"):
            writers.write(deadlocks_once, [("RETURN 1", [{"batch": b}]) for b in "abc"],
                          lambda rows, result: results.append(result))
    finally:
        writers.close()
    assert attempts == {"a": 1, "b": 2, "c": 1} and results == [1, 1, 1]
    assert writers.retried == 1
    assert "retried" not in caplog.text  # the load reports the count itself


def test_a_node_deleted_during_the_load_stops_it_with_a_clear_error(clean_neo4j):
    """Another writer deletes a node after the nodes are written and before its relationships are: the
    load must not drop them silently (or attach them to a node that reused the element id)."""
    G = build_graph(load_seed(SEED))
    iom_edges = G.degree("iom")
    assert iom_edges > 0
    written = 0

    def delete_iom_after_the_nodes(n: int) -> None:
        nonlocal written
        written += n
        if written == G.number_of_nodes():  # the last node batch: no relationship written yet
            with clean_neo4j.session() as s:
                s.run("MATCH (a:Agency {id: 'iom'}) DETACH DELETE a").consume()

    with pytest.raises(LoadConflict, match="run the load again"):
        load_graph(clean_neo4j, G, batch_size=10, progress=delete_iom_after_the_nodes)
    load_graph(clean_neo4j, G)  # as the message says: the next load completes it
    assert nx.utils.graphs_equal(read_graph(clean_neo4j), G)


def test_status_is_stored_on_each_relationship_and_read_back(clean_neo4j, tmp_path):
    """Issue 21: how each relationship is known is a property in Neo4j, and the read-back graph carries it.

    The seed is the mini seed with three statuses edited by hand (``test_export_status.status_seed``):
    Rudenim Kupang's SERVES is planned, Hotel Lavender's SHELTERS hoped, IOM Kupang's PART_OF inferred;
    the HOSTED relationship says nothing, so it is reported (the schema's default for a non-activity type).
    """
    from test_export_status import status_seed

    ds = load_seed(status_seed(tmp_path / "seed"))
    load_dataset(clean_neo4j, ds)
    with clean_neo4j.session() as s:
        got = {
            (r["a"], r["t"], r["b"]): r["status"]
            for r in s.run("MATCH (a)-[r]->(b) WHERE r.derived IS NULL RETURN a.id AS a, type(r) AS t, b.id AS b, r.status AS status")
        }
    assert got[("rudenim-kupang", "SERVES", "cohort-kupang")] == "planned"
    assert got[("hotel-lavender", "SHELTERS", "cohort-kupang")] == "hoped"
    assert got[("iom-kupang", "PART_OF", "iom")] == "inferred"
    assert got[("rudenim-kupang", "HOSTED", "mtg-kupang-visit")] == "reported"
    expected, read = build_graph(ds), read_graph(clean_neo4j)
    assert sorted(read.edges(keys=True, data=True), key=repr) == sorted(expected.edges(keys=True, data=True), key=repr)
    assert read.nodes["mtg-kupang-visit"]["date_precision"] == "no_later_than"


def test_analytics_identical_on_the_read_back_graph_with_planned_and_hoped_activity(clean_neo4j, tmp_path):
    """Issue 21: with planned and hoped activity in the graph, the findings from Neo4j are those from the files,
    and so is each finding's evidence with its status (the mini seed edited as in the test above)."""
    from test_export_status import status_seed

    from graphmodel.analytics import coordination_gaps

    ds = load_seed(status_seed(tmp_path / "seed"))
    load_dataset(clean_neo4j, ds)
    from_files, from_neo4j = build_graph(ds), read_graph(clean_neo4j)

    def findings(G):
        return [
            (g.kind, g.title, g.explanation, repr(g.evidence), repr(getattr(g, "statuses", None)), repr(getattr(g, "pending", None)))
            for g in coordination_gaps(G)
        ]

    got = findings(from_neo4j)
    assert got == findings(from_files)
    assert any("planned" in row[3] or "planned" in row[5] for row in got)  # the planned SERVES does reach a finding
