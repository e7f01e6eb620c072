"""Every export carries how each relationship is known (its ``status``) and draws planned and hoped
ties apart from reported ones; dates that are only an upper bound are shown as one; the pictures
print the report's reference date.

The data is a copy of the mini seed (``tests/data/mini_seed``, the Kupang article) with three
statuses edited by hand (:func:`status_seed`), so every expectation below follows from those edits:

- ``rudenim-kupang`` SERVES ``cohort-kupang`` (immigration_supervision): ``planned``;
- ``hotel-lavender`` SHELTERS ``cohort-kupang``: ``hoped``;
- ``iom-kupang`` PART_OF ``iom``: ``inferred`` (a PART_OF may say so, see the schema);
- the meeting ``mtg-kupang-visit``: ``date_precision: no_later_than`` on 2024-09-11.

Each pair above is joined by that one relationship only (read in ``relationships/kupang.yaml``),
so each is drawn with its own status. Every file is read back with a tool other than our writer:
NetworkX and lxml (GraphML, GEXF), ``json`` (Cytoscape), ``csv`` (neo4j-admin CSV), lxml (SVG).
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import networkx as nx
import pytest
from conftest import MINI_SEED, ROOT
from lxml import etree

from graphmodel.export import export_graph
from graphmodel.export.overview import write_overview
from graphmodel.graph import build_graph
from graphmodel.seed import load_seed

SVG = "{http://www.w3.org/2000/svg}"
GEXF13 = {"g": "http://gexf.net/1.3", "viz": "http://gexf.net/1.3/viz"}
VIZ_XSD = ROOT / "tests" / "schemas" / "gexf-1.2draft" / "viz.xsd"

PLANNED = ("rudenim-kupang", "SERVES:immigration_supervision", "cohort-kupang")
HOPED = ("hotel-lavender", "SHELTERS", "cohort-kupang")
INFERRED = ("iom-kupang", "PART_OF", "iom")
REPORTED = ("rudenim-kupang", "HOSTED", "mtg-kupang-visit")
# the mini seed's latest date: the visit "Rabu (11/09/2024)" and the source published that day (sources.yaml)
AS_OF_TEXT = "as of 2024-09-11 (the latest date in the sources)"


def status_seed(dest: Path) -> Path:
    """A copy of the mini seed at ``dest`` with the three statuses and the date precision edited (module docstring)."""
    shutil.copytree(MINI_SEED, dest)
    rels = dest / "relationships" / "kupang.yaml"
    text = rels.read_text(encoding="utf-8")
    edits = [
        ("  to: cohort-kupang\n  status: reported\n  service: immigration_supervision",
         "  to: cohort-kupang\n  status: planned\n  service: immigration_supervision"),
        ("- type: SHELTERS\n  from: hotel-lavender\n  to: cohort-kupang\n  status: reported",
         "- type: SHELTERS\n  from: hotel-lavender\n  to: cohort-kupang\n  status: hoped"),
        ("- type: PART_OF\n  from: iom-kupang\n  to: iom\n", "- type: PART_OF\n  from: iom-kupang\n  to: iom\n  status: inferred\n"),
    ]
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    rels.write_text(text, encoding="utf-8")
    meetings = dest / "meetings.yaml"
    text = meetings.read_text(encoding="utf-8")
    assert text.count("  date: 2024-09-11\n") == 1
    meetings.write_text(text.replace("  date: 2024-09-11\n", "  date: 2024-09-11\n  date_precision: no_later_than\n"), encoding="utf-8")
    return dest


@pytest.fixture(scope="module")
def G(tmp_path_factory) -> nx.MultiDiGraph:
    return build_graph(load_seed(status_seed(tmp_path_factory.mktemp("status") / "seed")))


def test_the_edited_seed_has_the_statuses_read_by_hand(G):
    # the premise of every test below
    def status(edge: tuple[str, str, str]) -> str:
        u, key, v = edge
        return G.edges[u, v, key]["status"]

    assert (status(PLANNED), status(HOPED), status(INFERRED), status(REPORTED)) == ("planned", "hoped", "inferred", "reported")
    assert G.nodes["mtg-kupang-visit"]["date_precision"] == "no_later_than"


# --------------------------------------------------------------------------- data formats


def test_graphml_declares_and_carries_the_status(G, tmp_path):
    path = export_graph(G, "graphml", tmp_path / "g.graphml")[0]
    keys = etree.parse(str(path)).getroot().iterfind("{http://graphml.graphdrawing.org/xmlns}key")
    assert ("edge", "status", "string") in {(k.get("for"), k.get("attr.name"), k.get("attr.type")) for k in keys}
    H = nx.read_graphml(path, force_multigraph=True)  # NetworkX's reader, not ours
    by_id = {k: d for _, _, k, d in H.edges(keys=True, data=True)}
    for (u, key, v), status in ((PLANNED, "planned"), (HOPED, "hoped"), (INFERRED, "inferred"), (REPORTED, "reported")):
        assert by_id[f"{u}--{key}--{v}"]["status"] == status


def test_gexf_carries_the_status_and_draws_planned_dashed_and_hoped_dotted(G, tmp_path):
    path = export_graph(G, "gexf", tmp_path / "g.gexf")[0]
    H = nx.read_gexf(path)
    statuses = {d["id"]: d["status"] for _, _, d in H.edges(data=True) if "status" in d}
    assert statuses["--".join(PLANNED)] == "planned" and statuses["--".join(HOPED)] == "hoped"
    root = etree.parse(str(path)).getroot()
    declared = {a.get("id"): a.get("type") for a in root.iterfind(".//g:attributes[@class='edge']/g:attribute", GEXF13)}
    assert declared["status"] == "string"

    def shape(edge: tuple[str, str, str]) -> str | None:
        found = root.xpath("//g:edge[@id=$id]/viz:shape/@value", namespaces=GEXF13, id="--".join(edge))
        return found[0] if found else None

    assert (shape(PLANNED), shape(HOPED), shape(REPORTED), shape(INFERRED)) == ("dashed", "dotted", None, None)
    # the values GEXF allows for an edge's shape, read from the viz schema (tests/schemas)
    xsd = etree.parse(str(VIZ_XSD))
    allowed = set(xsd.xpath("//xs:simpleType[@name='edge-shape-type']//xs:enumeration/@value",
                            namespaces={"xs": "http://www.w3.org/2001/XMLSchema"}))
    assert {"dashed", "dotted"} <= allowed


def test_cytoscape_json_carries_the_status(G, tmp_path):
    doc = json.loads(export_graph(G, "cytoscape", tmp_path / "g.cyjs")[0].read_text(encoding="utf-8"))
    edges = {e["data"]["id"]: e["data"] for e in doc["elements"]["edges"]}
    assert edges["--".join(PLANNED)]["status"] == "planned"
    assert edges["--".join(HOPED)]["status"] == "hoped"
    assert edges["--".join(INFERRED)]["status"] == "inferred"
    assert edges["--".join(REPORTED)]["status"] == "reported"


def test_neo4j_csv_has_a_status_column(G, tmp_path):
    out = tmp_path / "csv"
    export_graph(G, "neo4j-csv", out)

    def rows(name: str) -> list[dict[str, str]]:
        with open(out / name, encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))

    (serves,) = rows("rels_SERVES_Agency_MigrantCohort.csv")
    assert (serves[":START_ID(Agency)"], serves["status"]) == ("rudenim-kupang", "planned")
    (shelters,) = rows("rels_SHELTERS_Facility_MigrantCohort.csv")
    assert shelters["status"] == "hoped"
    (part_of,) = rows("rels_PART_OF_Agency_Agency.csv")
    assert part_of["status"] == "inferred"
    meetings = rows("nodes_Meeting.csv")
    assert [m["date_precision"] for m in meetings] == ["no_later_than"]


# --------------------------------------------------------------------------- pictures


@pytest.fixture(scope="module")
def svg(G, tmp_path_factory) -> etree._Element:
    path = export_graph(G, "svg", tmp_path_factory.mktemp("svg") / "status.svg")[0]
    return etree.parse(str(path)).getroot()


def _texts(root: etree._Element) -> str:
    return " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))


def _tie_style(root: etree._Element, u: str, v: str, status: str) -> str:
    """The style of the line matplotlib drew for the pair, found by the group id the diagram gives it."""
    a, b = sorted((u, v))
    (group,) = root.iterfind(f".//{SVG}g[@id='tie--{a}--{b}--{status}']")
    (path,) = group.iter(f"{SVG}path")
    return path.get("style", "")


def test_svg_draws_planned_and_hoped_ties_dashed_and_reported_ones_solid(svg):
    planned = _tie_style(svg, PLANNED[0], PLANNED[2], "planned")
    hoped = _tie_style(svg, HOPED[0], HOPED[2], "hoped")
    reported = _tie_style(svg, REPORTED[0], REPORTED[2], "reported")
    dashes = re.compile(r"stroke-dasharray: ?([\d.]+),([\d.]+)")
    assert dashes.search(planned) and dashes.search(hoped)
    assert dashes.search(planned).groups() != dashes.search(hoped).groups()  # told apart from each other too
    assert "stroke-dasharray" not in reported


def test_svg_legend_has_an_entry_per_status_drawn(svg):
    texts = _texts(svg)
    for title in ("Reported (wider: several)", "Planned, not yet reported", "Hoped for or requested",
                  "Inferred by the curator"):
        assert title in texts


def test_svg_shows_an_upper_bound_date_as_one(svg):
    texts = _texts(svg)
    assert "Visit ≤ 2024-09-11" in texts  # the meeting's label
    assert "Meeting on or before the date (≤)" in texts  # its hollow marker's legend entry
    assert "Visit 2024-09-11" not in texts


def test_the_seed_diagram_keeps_its_single_relationship_legend(tmp_path):
    """A graph in which everything is reported needs no status legend (the seed as committed in 5408612)."""
    G = build_graph(load_seed(MINI_SEED))
    root = etree.parse(str(export_graph(G, "svg", tmp_path / "mini.svg")[0])).getroot()
    texts = _texts(root)
    assert "Relationship (wider: several)" in texts and "Planned, not yet reported" not in texts


# --------------------------------------------------------------------------- one reference date


def test_overview_and_page_print_the_reports_reference_date(G, tmp_path):
    from graphmodel.analytics import graph_as_of

    assert graph_as_of(G).isoformat() == "2024-09-11"  # what the report's sections use (GraphIndex.latest_date)
    written = {p.name: p for p in write_overview(G, tmp_path / "out")}
    svg_root = etree.parse(str(written["overview.svg"])).getroot()
    assert AS_OF_TEXT in _texts(svg_root)
    page = written["network.html"].read_text(encoding="utf-8")
    assert f'<span id="as-of">{AS_OF_TEXT}</span>' in page


def test_a_filtered_view_keeps_the_whole_graphs_reference_date(G, tmp_path):
    """A view without the meeting and the source still says the date of the whole graph, not of the view."""
    from graphmodel.graph.views import GraphFilter

    f = GraphFilter(node_types=frozenset({"Agency", "Region"}))
    root = etree.parse(str(export_graph(G, "svg", tmp_path / "agencies.svg", filter=f)[0])).getroot()
    assert AS_OF_TEXT in _texts(root)
