"""A short run of the benchmark harness (embedded parts only, ~1k nodes): it runs, tables, and checks.

The benchmark itself (``make bench``) is not part of the test run; this
proves the harness works and that its results are checked, not only timed:
every check must hold on a real (small) run. No timing is asserted.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.run import markdown_table, rows, run

ANALYTICS = "report,coordination_network,coverage_matrix,brokerage_table,network_fragility,analytics_sections"


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict:
    work = tmp_path_factory.mktemp("bench")
    return run([
        "--scales", "1000", "--embedded-only", "--workdir", str(work), "--results", str(work / "results.json"),
        "--analytics", ANALYTICS, "--main-job-max", "1000", "--betweenness-k", "50",
        "--analytics-timeout", "300", "--timeout", "300",
    ])


def test_table_has_the_expected_rows(results: dict) -> None:
    cells = {label: cells for label, cells, _, _ in rows(results)}
    for expected in [
        "graph nodes / edges (built, with derived)",
        "validate load_seed",
        "build_graph",
        "GraphML export",
        "coordination_network",
        "brokerage_table",
        "network_fragility",
        "betweenness exact (NetworkX)",
        "run_main_job end to end",
    ]:
        assert expected in cells, sorted(cells)
        assert cells[expected][0] not in ("-", "error") and not cells[expected][0].startswith(">"), (expected, cells[expected])


def test_results_are_checked_not_only_timed(results: dict) -> None:
    checks = results["checks"]
    # the generator's counts, the GraphML file, and the fast analytics against NetworkX / a direct count
    wanted = [
        "1000/validate/nodes_match_generator",
        "1000/validate/relationships_match_generator",
        "1000/graphml/graphml_edge_count",
        "1000/analytics/coordination_network/projection_matches_direct_count",
        "1000/analytics/brokerage_table/constraint_equals_networkx_on_sample",
        "1000/analytics/brokerage_table/effective_size_equals_networkx_on_sample",
        "1000/analytics/network_fragility/bridges_are_networkx_bridges",
        "1000/betweenness/package_equals_networkx_on_sampled_subgraphs",
        "1000/main_job/outputs_written",
    ]
    for name in wanted:
        assert name in checks, sorted(checks)
    assert results["all_checks_passed"], [k for k, ok in checks.items() if not ok]
    assert Path(results["args"]["results"]).is_file()


def test_markdown_table_has_one_row_per_measure(results: dict) -> None:
    lines = markdown_table(results).splitlines()
    assert lines[0] == "| measure | 1,000 | growth exp. (nodes) | (elements) |"
    assert len(lines) == 2 + len(rows(results))
    assert any(line.startswith("| validate load_seed | ") for line in lines)


def test_growth_exponents_in_nodes_and_in_elements() -> None:
    # Hand-made results of two scales: nodes 10 -> 100, relationships 90 -> 9,900, so elements
    # 100 -> 10,000. A validation that took 1 s, then 100 s, grew as nodes^2 and as elements^1.
    # The n log n reference from n = 10 to 100 is log10(100 ln 100 / (10 ln 10)) = 1 + log10(2) = 1.30;
    # from 100 to 10,000 elements, 0.5 * log10(10,000 ln 10,000 / (100 ln 100)) = 1 + 0.5 * log10(2) = 1.15.
    scales = [
        {"scale": 10, "graph": {"nodes": 10, "edges": 90}, "synth": {"reused": True, "nodes": 10, "relationships": 80},
         "validate": {"seconds": 1.0}},
        {"scale": 100, "graph": {"nodes": 100, "edges": 9_900}, "synth": {"seconds": 1.0, "nodes": 100, "relationships": 9_800},
         "validate": {"seconds": 100.0}},
    ]
    table = {label: (exp_nodes, exp_elements) for label, _, exp_nodes, exp_elements in rows({"scales": scales})}
    cells = {label: cells for label, cells, _, _ in rows({"scales": scales})}
    # a seed reused from an earlier run was not generated, so it has no time and gives no exponent
    assert cells["synth (generate the seed)"] == ["reused", "1.0 s"] and table["synth (generate the seed)"] == ("-", "-")
    assert table["validate load_seed"] == ("2.00", "1.00")
    assert table["reference: n log n (the issue's bound)"] == ("1.30", "1.15")
    assert table["build_graph"] == ("-", "-")  # not measured: no exponent


def test_stage_timer_runs_every_step_of_the_main_job(capsys):
    # bench.stages runs run_main_job's steps one by one; on the seed every step prints a line
    # and the gap analytics list their parts (no time is asserted)
    from bench import stages

    assert stages.main([str(Path(__file__).resolve().parents[1] / "seed")]) == 0
    out = capsys.readouterr().out
    for step in ("validate and build (build_graph_from_seed)", "free the records", "coordination network", "gap analytics (find_gaps)",
                 "report sections", "GraphML", "total"):
        assert step in out
    assert all(part.lstrip("_") in out for part in stages.PARTS)


@pytest.mark.neo4j
def test_neo4j_measures_run_and_check_their_results(clean_neo4j, tmp_path: Path) -> None:
    # The Neo4j half of the harness on a small synthetic graph, against the suite's real server:
    # the loader (with its reload) and the read-back must pass every check they make. The
    # expected counts are the NetworkX graph's own, computed here independently of the harness.
    from bench.neo4j_bench import bench_loader, bench_readback, warm_up
    from graphmodel.graph import build_graph
    from graphmodel.seed import load_seed
    from graphmodel.synth import generate

    generate(tmp_path / "seed", 300, 5, overwrite=True)
    G = build_graph(load_seed(tmp_path / "seed"))

    warm = warm_up(clean_neo4j, G, relationships=100, rounds=2, max_rounds=4)
    assert 2 <= len(warm["rounds"]) <= 4 and 100 < warm["elements"] <= 300  # 100 relationships and their ends
    # it stops at the first round (from the second on) no more than 10% faster than the best before it, or at the fourth
    settled = [i for i in range(1, len(warm["rounds"])) if warm["rounds"][i] >= 0.9 * min(warm["rounds"][:i])]
    assert (settled and settled[0] == len(warm["rounds"]) - 1 and len(warm["rounds"]) >= 2) or len(warm["rounds"]) == 4
    with clean_neo4j.session() as session:
        assert session.run("MATCH (n) RETURN count(n) AS c").single()["c"] == 0  # left empty for the timed load

    load = bench_loader(clean_neo4j, G, sample=40)
    assert load["elements"] == G.number_of_nodes() + G.number_of_edges()
    assert {"reload_same_load_id", "reload_created_no_relationship", "reload_swept_nothing",
            "reload_label_counts_equal_graph", "reload_type_counts_equal_graph"} <= set(load["checks"])
    assert all(load["checks"].values()), load["checks"]
    assert load["reload_seconds"] > 0 and load["baseline_sample_relationships"] > 0

    readback = bench_readback(clean_neo4j, G, sample=20)
    assert all(readback["checks"].values()), readback["checks"]
    with clean_neo4j.session() as session:
        in_db = session.run("MATCH (n) WHERE n.load_id IS NOT NULL RETURN count(n) AS c").single()["c"]
    assert in_db == G.number_of_nodes()
