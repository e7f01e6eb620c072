"""The GEXF export opened by Gephi itself: Gephi Toolkit 0.10.1's GEXF importer, headless.

``tests/gephi/`` holds a small Java program, ``GexfCheck``, that imports a GEXF
file the way Gephi does (its GEXF importer, then its default processor into a
workspace) and prints one JSON line: node and edge counts, the importer's report
issues, the time format and bounds, node columns, and the colour and intervals of
the nodes asked for. The module fixture builds it once with Maven (the toolkit's
jar comes from Maven Central into ``~/.m2``, then ``tests/gephi/target/lib``).
Without ``mvn`` or ``java`` the tests are skipped, except on CI (``CI=true``),
where they fail. See ``tests/schemas/README.md`` for how this sits beside the
schema check in ``test_export_formats.py``.

Expected values never come from our GEXF writer:

- element counts from the exported XML read with lxml, and for the whole seed
  from the NetworkX graph;
- meeting and programme dates from ``seed/meetings.yaml`` and
  ``seed/programmes.yaml`` read with PyYAML;
- colours from the palette ``NODE_STYLE`` in ``graphmodel/export/common.py``
  (hex strings, converted here); ``iom-medan`` is in ``seed/agencies.yaml``;
- the Kota Medan view's window from the command line that wrote it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
import yaml
from lxml import etree

from graphmodel.export import export_graph
from graphmodel.export.common import NODE_STYLE
from graphmodel.graph import build_graph
from graphmodel.seed import load_seed

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seed"
GEPHI = ROOT / "tests" / "gephi"
MAVEN = ["mvn", "-q", "-B", "-f", str(GEPHI / "pom.xml"), "package"]
CHECK = "graphmodel.gephi.GexfCheck"
GEXF = "{http://gexf.net/1.3}"  # the GEXF 1.3 namespace, written out here rather than taken from the writer
BAD_LEVELS = {"WARNING", "SEVERE", "CRITICAL"}  # org.gephi.io.importer.api.Issue.Level above INFO

MEETING = "mtg-2019-07-25-sergai-rakor"
MEDAN_MEETING = "mtg-2016-10-01-medan-audience"
PROGRAMME = "prog-iom-hygiene-kits-pontianak"  # has a start and no end in seed/programmes.yaml
AGENCY = "iom-medan"
SINCE, UNTIL = "2016-01-01", "2016-12-31"


def _seed_records(name: str) -> dict[str, dict]:
    return {r["id"]: r for r in yaml.safe_load((SEED / name).read_text(encoding="utf-8"))}


def _rgb(hex_colour: str) -> list[int]:
    return [int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]


def _tools_or_skip() -> None:
    missing = [tool for tool in ("mvn", "java") if shutil.which(tool) is None]
    if missing:
        message = f"{' and '.join(missing)} not on PATH (OpenJDK 17 and Maven build the Gephi check in tests/gephi)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Gephi test cannot run on CI: {message}")
        pytest.skip(message)


@pytest.fixture(scope="module")
def gephi():
    """Build GexfCheck (once per module) and return ``run(path, *node_ids) -> dict``."""
    _tools_or_skip()
    build = subprocess.run(MAVEN, capture_output=True, text=True, stdin=subprocess.DEVNULL, cwd=ROOT, timeout=1200)
    if build.returncode != 0:
        pytest.fail(f"building the Gephi check failed: {' '.join(MAVEN)} exited {build.returncode}\n"
                    f"--- stdout\n{build.stdout[-8000:]}\n--- stderr\n{build.stderr[-8000:]}")
    classpath = os.pathsep.join([str(GEPHI / "target" / "classes"), str(GEPHI / "target" / "lib" / "*")])

    def run(path: Path, *node_ids: str) -> dict:
        proc = subprocess.run(["java", "-cp", classpath, CHECK, str(path), *node_ids],
                              capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300)
        assert proc.returncode == 0, f"GexfCheck exited {proc.returncode}\n{proc.stderr[-8000:]}"
        lines = proc.stdout.splitlines()
        assert len(lines) == 1, proc.stdout[-4000:]
        return json.loads(lines[0])

    return run


def _exported(path: Path) -> dict:
    """What the GEXF file holds, read with lxml: element counts and every date on the timeline."""
    root = etree.parse(str(path)).getroot()
    dates = [el.get(a) for el in root.iter() for a in ("start", "end") if el.get(a)]
    return {
        "nodes": sum(1 for _ in root.iter(f"{GEXF}node")),
        "edges": sum(1 for _ in root.iter(f"{GEXF}edge")),
        "dates": dates,
        "node_titles": {a.get("title") for a in root.iterfind(f".//{GEXF}attributes[@class='node']/{GEXF}attribute")},
    }


@pytest.fixture(scope="module")
def G() -> nx.MultiDiGraph:
    return build_graph(load_seed(SEED))


@pytest.fixture(scope="module")
def whole(G, gephi, tmp_path_factory):
    """The whole seed, as `graphmodel export --format gexf` writes it by default (redacted, for sharing)."""
    path = export_graph(G, "gexf", tmp_path_factory.mktemp("gephi") / "seed.gexf")[0]
    return _exported(path), gephi(path, MEETING, PROGRAMME, AGENCY)


@pytest.fixture(scope="module")
def medan(gephi, tmp_path_factory):
    """The Kota Medan view of 2016, written by the command line with a time window."""
    path = tmp_path_factory.mktemp("gephi") / "medan.gexf"
    proc = subprocess.run(
        [sys.executable, "-m", "graphmodel.cli", "export", "--format", "gexf", "-o", str(path),
         "--region", "kota-medan", "--since", SINCE, "--until", UNTIL],
        capture_output=True, text=True, stdin=subprocess.DEVNULL, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    return _exported(path), gephi(path, MEDAN_MEETING, AGENCY, MEETING)


@pytest.fixture(params=["whole", "medan"])
def export(request):
    return request.getfixturevalue(request.param)


def test_the_export_has_every_element_of_the_graph(G, whole):
    exported, _ = whole
    assert (exported["nodes"], exported["edges"]) == (G.number_of_nodes(), G.number_of_edges())  # NetworkX


def test_gephi_imports_every_node_directed_with_dates(export):
    exported, got = export
    assert got["importer"] == "org.gephi.io.importer.plugin.file.ImporterGEXF"
    assert got["nodes"] == exported["nodes"], got["issues"]
    assert got["directed"] is True  # defaultedgetype="directed"
    assert got["time_format"] == "DATE"  # timeformat="date"
    assert exported["node_titles"] <= set(got["node_columns"])  # every declared node attribute became a column


def test_gephi_imports_every_edge(export):
    exported, got = export
    assert got["edges"] == exported["edges"], got["issues"]


def test_gephi_reports_no_warning(export):
    _, got = export
    assert not [i for i in got["issues"] if i["level"] in BAD_LEVELS], got["issues"]


def test_gephi_timeline_spans_the_dates_in_the_export(export):
    exported, got = export
    assert got["time_bounds"] == [min(exported["dates"]), max(exported["dates"])]


def test_medan_timeline_stays_inside_the_window(medan):
    exported, got = medan
    assert SINCE <= got["time_bounds"][0] <= got["time_bounds"][1] <= UNTIL  # the --since/--until of the export
    assert got["asked"][MEETING] is None  # the 2019 Sergai Rakor also touches Medan, but not in 2016


def test_meetings_and_programmes_carry_their_seed_dates(whole, medan):
    meetings, programmes = _seed_records("meetings.yaml"), _seed_records("programmes.yaml")
    for got, meeting in ((whole[1], MEETING), (medan[1], MEDAN_MEETING)):
        day = meetings[meeting]["date"].isoformat()
        assert got["asked"][meeting]["intervals"] == [[day, day]], meeting  # one day on Gephi's timeline
    programme = programmes[PROGRAMME]
    assert "end" not in programme
    assert whole[1]["asked"][PROGRAMME]["intervals"] == [[programme["start"].isoformat(), None]]  # open end


def test_gephi_colours_nodes_by_type(whole, medan):
    assert AGENCY in _seed_records("agencies.yaml")
    for _, got in (whole, medan):
        assert got["asked"][AGENCY] == {"color": _rgb(NODE_STYLE["Agency"].colour), "intervals": []}  # undated: always shown
    assert whole[1]["asked"][MEETING]["color"] == _rgb(NODE_STYLE["Meeting"].colour)
    assert whole[1]["asked"][PROGRAMME]["color"] == _rgb(NODE_STYLE["Programme"].colour)


def test_the_check_sees_what_gephi_rejects(G, gephi, tmp_path):
    """Control: a copy of the export with a meeting's date spoiled makes Gephi report SEVERE."""
    path = export_graph(G, "gexf", tmp_path / "spoiled.gexf")[0]
    tree = etree.parse(str(path))
    meeting = tree.getroot().find(f".//{GEXF}node[@id='{MEETING}']")
    meeting.set("start", "2019-13-45")
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    got = gephi(path)
    assert [i["level"] for i in got["issues"] if MEETING in i["message"]] == ["SEVERE"], got["issues"]
