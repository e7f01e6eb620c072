"""Neo4j measurements: the project's loader and read-back against naive baselines, and ``neo4j-admin import``.

Every ratio compares two runs made in the same process, on the same server,
on the same data:

* **loader**: :func:`graphmodel.db.write.load_graph` (batched ``UNWIND ...
  MERGE``) on the whole graph, against a naive loader that writes one element
  per transaction (``MERGE (n:Label {id: $id}) SET n = $props``; for a
  relationship ``MATCH`` both ends, ``MERGE`` it, ``SET`` its properties).
  The naive loader runs on a random sample of relationships and their end
  nodes (``sample`` elements of each kind, seed 42) with the same constraints
  in place, and its time per element is extrapolated to the whole graph.
* **read-back**: :func:`graphmodel.db.read.read_graph` against reading
  record by record (one query per node id for the node and its outgoing
  relationships) on a sample of node ids, extrapolated per row.
* **neo4j-admin database import full** from the CSV files of
  :func:`graphmodel.export.neo4j_csv.write_neo4j_csv`, run from the server
  jars into a scratch Neo4j home (never the running server's).

Results are checked: after the load, the count of every label and
relationship type in Neo4j equals the graph's; a second load of the same
graph (timed too) merges every element, sweeps nothing and leaves the same
counts, so the loader is shown idempotent at each size; the read-back graph has the
graph's counts and, on a sample of nodes, equal attributes and out-edges.
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx

from graphmodel.db.codec import to_properties
from graphmodel.db.read import read_graph
from graphmodel.db.statements import schema_name
from graphmodel.db.write import ensure_schema, load_graph
from graphmodel.model.schema import NodeLabel, RelType
from neo4j import Driver

__all__ = ["wipe", "warm_up", "bench_loader", "bench_readback", "bench_admin_import"]


def wipe(driver: Driver) -> None:
    """Empty the benchmark database (nodes and relationships; constraints stay).

    Relationships first, then the bare nodes: a batch of DETACH DELETE takes every
    relationship of its nodes into one transaction, and at 500k nodes a batch with
    a hub agency (tens of thousands of meetings) exceeded the transaction memory pool.
    """
    with driver.session() as session:
        session.run("MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS").consume()
        session.run("MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


def warm_up(driver: Driver, G: nx.MultiDiGraph, relationships: int = 20_000, rounds: int = 3,
            max_rounds: int = 12, settled: float = 0.1) -> dict:
    """Bring the server to speed before anything is timed: loads and read-backs of a sample of ``G``.

    A freshly started JVM interprets, then compiles, the code a load runs: on
    the 2-core machine the first load of the 10k graph after a server start
    took 19-20 s, and it took about six more before loads settled at 2-3 s.
    A planner's server is warm, so the loader, the baseline and the read-back
    are timed on a warm server, in whatever order the scales run. Each round
    loads ``relationships`` random relationships of ``G`` (seed 7) with their
    end nodes into the emptied database and reads them back, so every kind of
    write and read runs; rounds go on until one is no more than ``settled``
    (10%) faster than the best before it (the server has stopped speeding
    up), at least ``rounds`` and at most ``max_rounds`` of them. The times of
    the rounds are returned (the first is the cold load when the server has
    just started); the database is left empty.
    """
    rng = random.Random(7)
    edges = list(G.edges(keys=True))
    sample = G.edge_subgraph(rng.sample(edges, min(relationships, len(edges)))).copy()
    seconds: list[float] = []
    while len(seconds) < max_rounds:
        wipe(driver)
        t0 = time.perf_counter()
        load_graph(driver, sample)
        read_graph(driver)
        seconds.append(time.perf_counter() - t0)
        if len(seconds) >= rounds and seconds[-1] >= (1 - settled) * min(seconds[:-1]):
            break
    wipe(driver)
    return {"rounds": seconds, "elements": sample.number_of_nodes() + sample.number_of_edges()}


def _counts_in_db(driver: Driver) -> tuple[Counter, Counter]:
    labels: Counter = Counter()
    types: Counter = Counter()
    with driver.session() as session:
        for label in NodeLabel:
            labels[label.value] = session.run(f"MATCH (n:{schema_name(label.value)}) RETURN count(n) AS c").single()["c"]
        for rel in RelType:
            types[rel.value] = session.run(f"MATCH ()-[r:{schema_name(rel.value)}]->() RETURN count(r) AS c").single()["c"]
    return +labels, +types


def _naive_node(tx: Any, label: str, node_id: str, props: dict) -> None:
    tx.run(f"MERGE (n:{schema_name(label)} {{id: $id}}) SET n = $props", id=node_id, props=props).consume()


def _naive_rel(tx: Any, rtype: str, a_label: str, b_label: str, row: dict) -> None:
    tx.run(
        f"MATCH (a:{schema_name(a_label)} {{id: $from}}) MATCH (b:{schema_name(b_label)} {{id: $to}}) "
        f"MERGE (a)-[r:{schema_name(rtype)} {{key: $key}}]->(b) SET r = $props",
        **row,
    ).consume()


def bench_loader(driver: Driver, G: nx.MultiDiGraph, sample: int = 5000, batch_size: int | None = None) -> dict:
    """Time the naive per-row baseline on a sample, then the project's loader on everything; check counts.

    Then load the same graph again over itself, timed as ``reload_seconds``,
    and check that the load is idempotent at this size: the same content hash,
    every relationship merged rather than created, nothing swept, the same counts.
    """
    rng = random.Random(42)
    edges = list(G.edges(keys=True, data=True))
    edge_sample = rng.sample(edges, min(sample, len(edges)))
    node_sample = sorted({u for u, _, _, _ in edge_sample} | {v for _, v, _, _ in edge_sample})
    node_sample = node_sample[: max(sample, 1)]
    keep = set(node_sample)
    edge_sample = [e for e in edge_sample if e[0] in keep and e[1] in keep]

    wipe(driver)
    ensure_schema(driver)
    with driver.session() as session:
        t0 = time.perf_counter()
        for n in node_sample:
            attrs = G.nodes[n]
            props = to_properties(attrs)
            props["load_id"] = "baseline"
            session.execute_write(_naive_node, attrs["label"], n, props)
        t_nodes = time.perf_counter() - t0
        t1 = time.perf_counter()
        for u, v, k, d in edge_sample:
            props = to_properties(d)
            props.update(load_id="baseline", key=k)
            session.execute_write(_naive_rel, d["type"], G.nodes[u]["label"], G.nodes[v]["label"],
                                  {"from": u, "to": v, "key": k, "props": props})
        t_rels = time.perf_counter() - t1
    per_node = t_nodes / max(len(node_sample), 1)
    per_rel = t_rels / max(len(edge_sample), 1)
    baseline_estimate = per_node * G.number_of_nodes() + per_rel * G.number_of_edges()

    wipe(driver)
    kwargs = {"batch_size": batch_size} if batch_size else {}
    t2 = time.perf_counter()
    report = load_graph(driver, G, **kwargs)
    t_loader = time.perf_counter() - t2
    elements = G.number_of_nodes() + G.number_of_edges()

    labels, types = _counts_in_db(driver)
    want_labels = Counter(d["label"] for _, d in G.nodes(data=True))
    want_types = Counter(d["type"] for _, _, d in G.edges(data=True))

    # Idempotence at this size: the same graph loaded again over itself is merged
    # (no relationship is created), nothing is swept, and the counts stay those of the graph.
    t3 = time.perf_counter()
    again = load_graph(driver, G, **kwargs)
    t_reload = time.perf_counter() - t3
    labels_again, types_again = _counts_in_db(driver)
    return {
        "seconds": t_loader,
        "elements": elements,
        "elements_per_second": elements / t_loader,
        "baseline_sample_nodes": len(node_sample),
        "baseline_sample_relationships": len(edge_sample),
        "baseline_seconds_per_node": per_node,
        "baseline_seconds_per_relationship": per_rel,
        "baseline_estimated_seconds": baseline_estimate,
        "baseline_elements_per_second": (len(node_sample) + len(edge_sample)) / max(t_nodes + t_rels, 1e-9),
        "speedup_vs_baseline": baseline_estimate / t_loader,
        "batches": report.batches,
        "retried": report.retried,  # batches rolled back by a deadlock between the loader's writers
        "reload_seconds": t_reload,
        "reload_elements_per_second": elements / t_reload,
        "reload_retried": again.retried,
        "checks": {
            "label_counts_equal_graph": labels == +want_labels,
            "type_counts_equal_graph": types == +want_types,
            "nothing_swept": report.nodes_removed == 0 and report.relationships_removed == 0,
            "every_relationship_created_on_empty_database": report.relationships_created == G.number_of_edges(),
            "reload_same_load_id": again.load_id == report.load_id,
            "reload_label_counts_equal_graph": labels_again == +want_labels,
            "reload_type_counts_equal_graph": types_again == +want_types,
            "reload_swept_nothing": again.nodes_removed == 0 and again.relationships_removed == 0,
            "reload_created_no_relationship": again.relationships_created == 0,
        },
    }


_ONE_NODE = """
MATCH (n {id: $id})
WHERE any(label IN labels(n) WHERE label IN $labels)
OPTIONAL MATCH (n)-[r]->(b)
RETURN properties(n) AS props, [label IN labels(n) WHERE label IN $labels][0] AS label,
       collect(CASE WHEN r IS NULL THEN NULL ELSE {target: b.id, key: r.key, props: properties(r)} END) AS rels
"""

_ONE_NODE_BY_LABEL = {
    label.value: f"""
MATCH (n:{schema_name(label.value)} {{id: $id}})
OPTIONAL MATCH (n)-[r]->(b)
RETURN properties(n) AS props, collect(CASE WHEN r IS NULL THEN NULL ELSE {{target: b.id, key: r.key, props: properties(r)}} END) AS rels
"""
    for label in NodeLabel
}


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return a == b


def bench_readback(driver: Driver, G: nx.MultiDiGraph, sample: int = 2000) -> dict:
    """Time ``read_graph`` on the loaded graph and the record-by-record baseline on a sample; check equality."""
    t0 = time.perf_counter()
    H = read_graph(driver)
    seconds = time.perf_counter() - t0
    rows = H.number_of_nodes() + H.number_of_edges()

    rng = random.Random(7)
    ids = rng.sample(sorted(G.nodes), min(sample, G.number_of_nodes()))
    baseline_rows = 0
    with driver.session(default_access_mode="READ") as session:
        t1 = time.perf_counter()
        for node_id in ids:
            # the label is known from the graph, as a record-by-record reader keyed by (label, id) would know it
            record = session.run(_ONE_NODE_BY_LABEL[G.nodes[node_id]["label"]], id=node_id).single()
            baseline_rows += 1 + len(record["rels"])
        t_base = time.perf_counter() - t1
    baseline_rate = baseline_rows / t_base

    same_nodes = all(_same(dict(H.nodes[n]), dict(G.nodes[n])) for n in ids if n in H)
    same_edges = True
    for n in ids[:500]:
        want = {(v, k): d for _, v, k, d in G.out_edges(n, keys=True, data=True)}
        got = {(v, k): d for _, v, k, d in H.out_edges(n, keys=True, data=True)} if n in H else {}
        if want.keys() != got.keys() or not all(_same(got[x], want[x]) for x in want):
            same_edges = False
            break
    return {
        "seconds": seconds,
        "rows": rows,
        "rows_per_second": rows / seconds,
        "baseline_sample_nodes": len(ids),
        "baseline_rows": baseline_rows,
        "baseline_rows_per_second": baseline_rate,
        "speedup_vs_baseline": (rows / seconds) / baseline_rate,
        "checks": {
            "node_count_equal": H.number_of_nodes() == G.number_of_nodes(),
            "edge_count_equal": H.number_of_edges() == G.number_of_edges(),
            "sampled_nodes_equal": same_nodes and all(n in H for n in ids),
            "sampled_out_edges_equal": same_edges,
        },
    }


def bench_admin_import(G: nx.MultiDiGraph, repo_root: Path, workdir: Path, timeout: float = 3600) -> dict:
    """``neo4j-admin database import full`` of the same graph, from the server jars, into a scratch home."""
    from graphmodel import local_neo4j
    from graphmodel.export.neo4j_csv import write_neo4j_csv

    root = workdir / "admin-import"
    shutil.rmtree(root, ignore_errors=True)
    lib = (repo_root / local_neo4j.LIB_PATH).resolve()
    if not any(lib.glob("neo4j-import-tool-*.jar")):
        return {"error": f"no neo4j-import-tool jar in {lib}"}
    (root / "neo4j" / "target").mkdir(parents=True)
    (root / "neo4j" / "target" / "lib").symlink_to(lib)
    layout = local_neo4j.Layout.for_repo(root)
    layout.make_dirs()
    layout.conf_file.write_text(local_neo4j.render_conf(layout, local_neo4j.free_port()), encoding="utf-8")
    csv_dir = root / "csv"
    t0 = time.perf_counter()
    files = write_neo4j_csv(G, csv_dir)
    t_csv = time.perf_counter() - t0
    nodes = [f"--nodes={p}" for p in files if p.name.startswith("nodes_")]
    rels = [f"--relationships={p}" for p in files if p.name.startswith("rels_")]
    java = local_neo4j.find_java()
    cmd = local_neo4j.jvm_command(java, layout, local_neo4j.ADMIN_CLASS, heap_initial="1g", heap_max="2g")
    # the database name goes first: --nodes/--relationships take a variable number of files
    cmd += ["database", "import", "full", "neo4j", "--overwrite-destination=true", "--array-delimiter=;",
            "--multiline-fields=true", "--threads=2", *nodes, *rels]
    t1 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=layout.home, env=local_neo4j.jvm_environment(layout), stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=timeout, check=False)
    seconds = time.perf_counter() - t1
    output = proc.stdout + proc.stderr
    result: dict[str, Any] = {"seconds": seconds, "csv_seconds": t_csv, "exit_code": proc.returncode}
    if proc.returncode != 0:
        result["error"] = "\n".join(output.splitlines()[-15:])
        shutil.rmtree(root, ignore_errors=True)
        return result
    m_nodes = re.search(r"Imported:\s*\n?\s*([\d,]+) nodes", output) or re.search(r"([\d,]+) nodes", output)
    m_rels = re.search(r"([\d,]+) relationships", output)
    got_nodes = int(m_nodes.group(1).replace(",", "")) if m_nodes else None
    got_rels = int(m_rels.group(1).replace(",", "")) if m_rels else None
    result.update(
        imported_nodes=got_nodes,
        imported_relationships=got_rels,
        elements_per_second=(G.number_of_nodes() + G.number_of_edges()) / seconds,
        checks={"import_counts_equal_graph": got_nodes == G.number_of_nodes() and got_rels == G.number_of_edges()},
    )
    shutil.rmtree(root, ignore_errors=True)
    return result
