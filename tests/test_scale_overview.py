"""The overview of a graph too big to draw whole: the top agencies, said so in the title."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest
from lxml import etree

from graphmodel.export import overview
from graphmodel.export.overview import TIE_TYPE, top_agencies_view, write_overview
from graphmodel.graph import build_graph
from graphmodel.seed import load_seed

ROOT = Path(__file__).resolve().parents[1]
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def G() -> nx.MultiDiGraph:
    return build_graph(load_seed(ROOT / "seed"))


def test_view_keeps_the_top_agencies_their_regions_and_ties(G, monkeypatch):
    monkeypatch.setattr(overview, "TOP_CENTRAL", 3)
    V, counts = top_agencies_view(G, 8)
    agencies = [n for n, d in V.nodes(data=True) if d["label"] == "Agency"]
    assert len(agencies) == counts["shown"] == 8 and counts["central"] == 3
    assert sum(V.nodes[a]["level"] in {"national", "international"} for a in agencies) == 3
    assert {d["label"] for _, d in V.nodes(data=True)} <= {"Agency", "Region"}
    assert counts["left_out"] == G.number_of_nodes() - V.number_of_nodes()
    ties = [(u, v) for u, v, d in V.edges(data=True) if d["type"] == TIE_TYPE]
    assert ties and all(V.nodes[u]["label"] == V.nodes[v]["label"] == "Agency" for u, v in ties)
    for u, v, k, d in V.edges(keys=True, data=True):
        if d["type"] != TIE_TYPE:
            assert G.has_edge(u, v, k)  # every other edge is a recorded relationship


def test_big_graph_overview_draws_the_view_and_says_what_was_left_out(G, tmp_path, monkeypatch):
    monkeypatch.setattr(overview, "OVERVIEW_MAX_NODES", 20)
    monkeypatch.setattr(overview, "TOP_AGENCIES", 6)
    written = write_overview(G, tmp_path, highlight=["iom-kupang"])
    assert sorted(p.name for p in written) == ["network.html", "overview.png", "overview.svg"]
    root = etree.parse(str(tmp_path / "overview.svg")).getroot()
    text = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    assert re.search(r"the 6 most connected of \d+ agencies", text)
    assert re.search(r"[\d,]+ of [\d,]+ nodes not shown", text)
    page = (tmp_path / "network.html").read_text(encoding="utf-8")
    doc = json.loads(re.search(r'<script type="application/json"[^>]*>(.*?)</script>', page, re.S).group(1))
    assert sum(n["data"]["type"] == "Agency" for n in doc["nodes"]) == 6
    assert "nodes not shown" in page


def test_report_tables_and_timeline_of_a_big_graph_state_what_they_leave_out(G, tmp_path, monkeypatch):
    from graphmodel.report import context as report

    ds = load_seed(ROOT / "seed")
    monkeypatch.setattr(report, "TABLE_ROWS", 2)
    monkeypatch.setattr(report, "TIMELINE_ROWS", 3)
    monkeypatch.setattr(report, "TIMELINE_LABELS", 2)
    report.write_report(ds, G, tmp_path)
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert re.search(r"The 2 with the most relationships of \d+; all are in the \[GraphML\]", md)
    assert re.search(r"The 2 largest of \d+ cohorts", md)
    assert re.search(r"The 2 latest of \d+ meetings", md)
    assert re.search(r"The 2 most cited of \d+ sources", md)
    rows = [line for line in md.split("## Meetings on a timeline")[1].split("\n## ")[0].splitlines() if line.startswith("| 20")]
    assert len(rows) == 2
    assert "The 2 latest of" in (tmp_path / "report.html").read_text(encoding="utf-8")
    assert (tmp_path / "timeline.svg").read_text(encoding="utf-8").startswith("<svg")


def test_view_uses_the_network_of_the_analysis_it_is_given(G):
    from graphmodel.analytics import Analysis

    A = Analysis(G)
    assert top_agencies_view(A, 5)[0].edges == top_agencies_view(G, 5)[0].edges
    assert "network" in vars(A)  # the view read the Analysis's network (built once, kept on it)
