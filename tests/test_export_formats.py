"""Export formats: schema validity, independent readers, filters, redaction, CLI errors.

Expected values come from the seed files, read by hand:

- ``seed/`` has 97 nodes (25 Agency, 18 Region, 20 Person, 7 Source,
  7 Programme, 7 Facility, 5 Meeting, 7 MigrantCohort, 1 LegalInstrument:
  the ``- id:`` records of each node file) and 190 recorded relationships
  (the ``- type:`` records of ``seed/relationships/``: 34 Medan, 58 Sergai,
  26 Kupang, 41 Kemensos, 31 NTB). The graph adds 127 derived edges: 111
  MENTIONED_IN (one per node and source its evidence quotes: 30 for the
  agencies, whose offices are quoted in several reports, 34 for the regions,
  1 for each of the 47 other nodes, none for the 7 sources) and 16 region
  LOCATED_IN (the regions with a ``parent``), 317 edges in all.
  Against the first seed (95 nodes, 185 relationships) the re-read of
  issue 21 added two cohorts, ``cohort-sergai-tppo-victims`` (the Rakor's
  "dan Tindak Pidana Perdagangan Orang (TPPO)": its HOSTS_COHORT, DISCUSSED
  and TARGETS) and ``cohort-gbv-victims-iom-assisted`` ("korban kekerasan
  berbasis gender": its HOSTS_COHORT and IOM's SERVES), the inferred
  PART_OF of ``ditjen-imigrasi`` to ``kemenkumham`` and IOM Kupang's SERVES
  ("bantuan kepada para pengungsi"), and dropped two SERVES (Rudenim
  Medan's shelter, Ditjen Imigrasi's prevention): 185 + 7 - 2 = 190.
- ``seed/relationships/000_medan.yaml``: ``kota-medan`` HOSTS_COHORT
  ``cohort-medan-refugees``; ``002_kupang.yaml``: only ``kota-kupang`` hosts
  ``cohort-kupang-refugees``. So the Kota Medan view keeps the Medan
  refugees and not the Kupang ones.
- ``seed/people.yaml``: "Mariam Kohkar" (head of the IOM office in Medan) and
  "Akhyar Nasution" (Vice Mayor of Medan), both also quoted in evidence of
  ``src-000``; ``seed/facilities.yaml``: the Rudenim Medan address
  "Jalan Selebes, Medan Belawan".
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import warnings
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest
from lxml import etree

from graphmodel.errors import ExportError, UnknownNode
from graphmodel.export import ExportFormat, available_formats, export_graph
from graphmodel.graph import build_graph
from graphmodel.graph.views import GraphFilter
from graphmodel.seed import load_seed

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seed"
SCHEMAS = ROOT / "tests" / "schemas"
PEOPLE = ("Mariam Kohkar", "Akhyar Nasution")
ADDRESS = "Jalan Selebes"

N_NODES, N_EDGES = 97, 317
N_RECORDED = 190
LABEL_COUNTS = {
    "Agency": 25, "Region": 18, "Person": 20, "Source": 7, "Programme": 7, "Facility": 7,
    "Meeting": 5, "MigrantCohort": 7, "LegalInstrument": 1,
}


@pytest.fixture(scope="module")
def G() -> nx.MultiDiGraph:
    return build_graph(load_seed(SEED))


def test_seed_counts_are_the_ones_read_by_hand(G):
    assert (G.number_of_nodes(), G.number_of_edges()) == (N_NODES, N_EDGES)
    assert Counter(d["label"] for _, d in G.nodes(data=True)) == LABEL_COUNTS
    assert sum(1 for *_, d in G.edges(data=True) if not d.get("derived")) == N_RECORDED


# --------------------------------------------------------------------------- GraphML


def _schema(*parts: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS.joinpath(*parts))))


def test_graphml_is_valid_against_the_graphml_schema(G, tmp_path):
    path = export_graph(G, "graphml", tmp_path / "g.graphml")[0]
    schema = _schema("graphml", "graphml.xsd")
    assert schema.validate(etree.parse(str(path))), schema.error_log.filter_from_errors()[:5]


def test_graphml_is_read_by_igraph_with_the_same_counts_and_attributes(G, tmp_path):
    igraph = pytest.importorskip("igraph")
    path = export_graph(G, "graphml", tmp_path / "g.graphml")[0]
    with warnings.catch_warnings():
        # igraph notes that our `id` attribute takes the place of its own vertex ids: they are equal
        warnings.filterwarnings("ignore", "Could not add vertex ids", RuntimeWarning)
        g = igraph.Graph.Read_GraphML(str(path))
    assert (g.vcount(), g.ecount()) == (N_NODES, N_EDGES)
    assert g.is_directed()
    got = {(v["id"], v["label"], v["name"]) for v in g.vs}
    assert got == {(n, d["label"], d["name"]) for n, d in G.nodes(data=True)}
    edges = Counter((g.vs[e.source]["id"], g.vs[e.target]["id"], e["type"]) for e in g.es)
    assert edges == Counter((u, v, d["type"]) for u, v, d in G.edges(data=True))


def test_graphml_is_full_fidelity_by_default_and_redacted_on_request(G, tmp_path):
    full = export_graph(G, "graphml", tmp_path / "full.graphml")[0].read_text(encoding="utf-8")
    assert all(name in full for name in PEOPLE) and ADDRESS in full
    red = export_graph(G, "graphml", tmp_path / "red.graphml", redact=True)[0].read_text(encoding="utf-8")
    assert not any(name in red for name in PEOPLE) and ADDRESS not in red


# --------------------------------------------------------------------------- GEXF

GEXF13 = {"g": "http://gexf.net/1.3", "viz": "http://gexf.net/1.3/viz"}


def test_gexf_fits_the_gexf_schema(G, tmp_path):
    """See tests/schemas/README.md: no registry ships the 1.3 XSDs, so the 1.3 file is
    checked against the official 1.2draft schema (namespace renamed, viz taken out)
    and its viz elements by hand."""
    path = export_graph(G, "gexf", tmp_path / "g.gexf")[0]
    root = etree.parse(str(path)).getroot()
    assert root.tag == "{http://gexf.net/1.3}gexf" and root.get("version") == "1.3"
    graph = root.find("g:graph", GEXF13)
    assert (graph.get("mode"), graph.get("timeformat"), graph.get("defaultedgetype")) == ("dynamic", "date", "directed")

    viz = root.xpath("//viz:*", namespaces=GEXF13)
    # the enumerations node-shape-type and edge-shape-type of tests/schemas/gexf-1.2draft/viz.xsd
    shapes = {"node": {"disc", "square", "triangle", "diamond", "image"}, "edge": {"solid", "dotted", "dashed", "double"}}
    for el in viz:
        tag = etree.QName(el).localname
        if tag == "color":
            assert all(0 <= int(el.get(c)) <= 255 for c in "rgb") and 0 <= float(el.get("a")) <= 1
        elif tag in {"size", "thickness"}:
            assert float(el.get("value")) > 0
        elif tag == "shape":  # an edge's shape draws how its relationship is known (planned dashed, hoped dotted)
            assert el.get("value") in shapes[etree.QName(el.getparent()).localname]
        else:
            pytest.fail(f"unexpected viz element {tag}")
    assert sum(1 for el in viz if etree.QName(el).localname == "color") >= N_NODES  # every node coloured by type

    text = path.read_text(encoding="utf-8")
    text = text.replace("http://gexf.net/1.3/viz", "http://www.gexf.net/1.2draft/viz").replace("http://gexf.net/1.3", "http://www.gexf.net/1.2draft")
    doc = etree.fromstring(text.replace('version="1.3"', 'version="1.2"').encode("utf-8"))
    for el in doc.xpath("//v:*", namespaces={"v": "http://www.gexf.net/1.2draft/viz"}):
        el.getparent().remove(el)
    for el in doc.xpath("//g:edge[@kind]", namespaces={"g": "http://www.gexf.net/1.2draft"}):
        del el.attrib["kind"]  # GEXF 1.3 edge kind (keeps parallel edges apart in Gephi); not in 1.2draft
    schema = _schema("gexf-1.2draft", "gexf.xsd")
    assert schema.validate(doc), schema.error_log.filter_from_errors()[:5]

    declared = {(a.getparent().get("class"), a.get("id")) for a in root.iterfind(".//g:attributes/g:attribute", GEXF13)}
    for cls in ("node", "edge"):
        used = {v.get("for") for v in root.iterfind(f".//g:{cls}/g:attvalues/g:attvalue", GEXF13)}
        assert used <= {i for c, i in declared if c == cls}


def test_gexf_is_read_by_networkx_with_types_names_and_meeting_dates(G, tmp_path):
    path = export_graph(G, "gexf", tmp_path / "g.gexf", redact=False)[0]
    H = nx.read_gexf(path)
    assert (H.number_of_nodes(), H.number_of_edges()) == (N_NODES, N_EDGES)
    for n, d in G.nodes(data=True):
        assert (H.nodes[n]["type"], H.nodes[n]["name"], H.nodes[n]["label"]) == (d["label"], d["name"], d["name"])
    assert Counter(d["type"] for *_, d in H.edges(data=True)) == Counter(d["type"] for *_, d in G.edges(data=True))
    # meetings exist on their day on Gephi's timeline, and so do their attendance edges
    meeting = H.nodes["mtg-2019-07-25-sergai-rakor"]
    assert (meeting["start"], meeting["end"]) == ("2019-07-25", "2019-07-25")
    attended = [d for u, v, d in H.edges(data=True) if v == "mtg-2019-07-25-sergai-rakor" and d["type"] == "ATTENDED"]
    assert attended and all(d["start"] == "2019-07-25" for d in attended)
    assert "start" not in H.nodes["iom"]  # undated: always shown
    assert H.nodes["iom"]["viz"]["color"] == {"r": 0, "g": 114, "b": 178, "a": 1.0}  # Agency blue


# --------------------------------------------------------------------------- Cytoscape JSON, neo4j CSV, HXL


def test_cytoscape_json_has_every_element(G, tmp_path):
    doc = json.loads(export_graph(G, "cytoscape", tmp_path / "g.cyjs")[0].read_text(encoding="utf-8"))
    nodes, edges = doc["elements"]["nodes"], doc["elements"]["edges"]
    assert (len(nodes), len(edges)) == (N_NODES, N_EDGES)
    ids = {n["data"]["id"] for n in nodes}
    assert all(e["data"]["source"] in ids and e["data"]["target"] in ids for e in edges)
    assert len({e["data"]["id"] for e in edges}) == N_EDGES
    assert Counter(n["data"]["label"] for n in nodes) == LABEL_COUNTS
    assert doc["data"]["redacted"] is True


def _read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def test_neo4j_admin_csv_headers_and_row_counts(G, tmp_path):
    out = tmp_path / "csv"
    written = export_graph(G, "neo4j-csv", out)
    assert out / "import-command.txt" in written
    for label, count in LABEL_COUNTS.items():
        header, rows = _read_csv(out / f"nodes_{label}.csv")
        assert header[0] == f"id:ID({label})" and header[-1] == ":LABEL"
        assert "evidence_quotes:string[]" in header or label == "Source"
        assert len(rows) == count and {r[-1] for r in rows} == {label}
    header, _ = _read_csv(out / "nodes_MigrantCohort.csv")
    assert {"size:long", "as_of:date", "nationalities:string[]"} <= set(header)
    total = 0
    for path in out.glob("rels_*.csv"):
        header, rows = _read_csv(path)
        rtype, start, end = path.stem.split("_", 1)[1].rsplit("_", 2)
        assert header[:3] == [f":START_ID({start})", f":END_ID({end})", ":TYPE"]
        assert {r[2] for r in rows} == {rtype}
        total += len(rows)
    assert total == N_EDGES
    _, rows = _read_csv(out / "rels_ATTENDED_Agency_Meeting.csv")
    assert len(rows) == sum(1 for u, v, d in G.edges(data=True) if d["type"] == "ATTENDED" and G.nodes[u]["label"] == "Agency")
    command = (out / "import-command.txt").read_text(encoding="utf-8")
    assert "--nodes=nodes_Agency.csv" in command and '--array-delimiter=";"' in command


def test_hxl_4w_delegates_to_the_analytics(G, tmp_path):
    assert ExportFormat.HXL_4W in available_formats()
    path = export_graph(G, "hxl-4w", tmp_path / "4w.csv")[0]
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[1].startswith("#org,")


# --------------------------------------------------------------------------- filters


def test_region_view_of_kota_medan_keeps_the_medan_cohort_only(G, tmp_path):
    f = GraphFilter(region="kota-medan")
    doc = json.loads(export_graph(G, "cytoscape", tmp_path / "medan.cyjs", filter=f)[0].read_text(encoding="utf-8"))
    ids = {n["data"]["id"] for n in doc["elements"]["nodes"]}
    assert {"kota-medan", "cohort-medan-refugees", "pemko-medan", "iom-medan"} <= ids
    assert "cohort-kupang-refugees" not in ids and "kota-kupang" not in ids


def test_cohort_type_and_node_type_filters(G, tmp_path):
    f = GraphFilter(cohort_type="trafficking_victims", node_types=frozenset({"MigrantCohort", "Region"}))
    doc = json.loads(export_graph(G, "cytoscape", tmp_path / "t.cyjs", filter=f)[0].read_text(encoding="utf-8"))
    labels = Counter(n["data"]["label"] for n in doc["elements"]["nodes"])
    # seed/cohorts.yaml: only cohort-sergai-tppo-victims says `cohort_type: trafficking_victims`
    # (the Pontianak cohort is now non_procedural_migrant_workers: "WNI M KPO" is a label, not an identification)
    assert labels == {"MigrantCohort": 1, "Region": 18}
    assert "cohort-sergai-tppo-victims" in {n["data"]["id"] for n in doc["elements"]["nodes"]}


@pytest.mark.parametrize(
    ("f", "error"),
    [
        (GraphFilter(region="atlantis"), UnknownNode),
        (GraphFilter(ego="nobody"), UnknownNode),
        (GraphFilter(node_types=frozenset({"Agencies"})), ExportError),
        (GraphFilter(cohort_type="tourists"), ExportError),
    ],
)
def test_bad_filters_raise_clear_errors_and_write_nothing(G, tmp_path, f, error):
    with pytest.raises(error):
        export_graph(G, "graphml", tmp_path / "g.graphml", filter=f)
    assert list(tmp_path.iterdir()) == []


def graphmodel(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "graphmodel.cli", *args], capture_output=True, text=True, stdin=subprocess.DEVNULL, cwd=ROOT)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--region", "atlantis"], "region 'atlantis' not in graph"),
        (["--types", "Agency,Foo"], "unknown node type(s) 'Foo'"),
        (["--since", "2020-02-30"], "--since '2020-02-30' is not a date"),
        (["--since", "2024-01-01", "--until", "2020-01-01"], "is after --until"),
        (["--ego", "nobody"], "node 'nobody' not in graph"),
    ],
)
def test_cli_bad_filter_exits_2_without_traceback(tmp_path, args, message):
    proc = graphmodel("export", "--format", "png", "-o", str(tmp_path / "x.png"), *args)
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr and "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_cli_writes_a_filtered_view(tmp_path):
    target = tmp_path / "medan.gexf"
    proc = graphmodel("export", "--format", "gexf", "-o", str(target), "--region", "kota-medan", "--since", "2016-01-01", "--until", "2016-12-31")
    assert proc.returncode == 0, proc.stderr
    H = nx.read_gexf(target)
    assert "cohort-medan-refugees" in H and "cohort-kupang-refugees" not in H
    meetings = {n for n, d in H.nodes(data=True) if d["type"] == "Meeting"}
    assert meetings == {"mtg-2016-10-01-medan-audience"}  # the 2019 Sergai Rakor also touches Medan, but not in 2016
    assert [p.name for p in tmp_path.iterdir()] == ["medan.gexf"]  # no temporary file left


# --------------------------------------------------------------------------- redaction


@pytest.mark.parametrize("fmt", ["gexf", "cytoscape", "html", "svg"])
def test_sharing_formats_are_redacted_by_default(G, tmp_path, fmt):
    text = export_graph(G, fmt, tmp_path / f"g.{fmt}")[0].read_text(encoding="utf-8")
    for name in PEOPLE:
        assert name not in text and name.split()[-1] not in text, name
    assert ADDRESS not in text
    assert "person-mariam-kohkar" not in text  # the curated id spells the name
    assert "Person (office: Kepala Kantor IOM" in text or fmt == "svg"


def test_no_redact_keeps_names_for_sharing_formats(G, tmp_path):
    doc = json.loads(export_graph(G, "cytoscape", tmp_path / "g.cyjs", redact=False)[0].read_text(encoding="utf-8"))
    names = {n["data"]["name"] for n in doc["elements"]["nodes"]}
    assert set(PEOPLE) <= names
