"""The static diagrams: size, not blank, legend and title present, highlights drawn.

The PNG of the seed graph is also saved to ``test-artifacts/`` to be looked at.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from lxml import etree
from PIL import Image

from graphmodel.export import export_graph
from graphmodel.export.diagram import HIGHLIGHT_COLOUR
from graphmodel.export.overview import write_overview
from graphmodel.graph import build_graph
from graphmodel.seed import load_seed

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def G() -> nx.MultiDiGraph:
    return build_graph(load_seed(ROOT / "seed"))


@pytest.fixture(scope="module")
def png(G, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("diagram") / "seed.png"
    export_graph(G, "png", path, highlight={"rudenim-kupang", ("iom-kupang", "rudenim-kupang")}, as_of=dt.date(2024, 9, 30))
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(path, ARTIFACTS / "diagram-seed.png")
    return path


def test_png_has_the_briefing_size(png):
    with Image.open(png) as im:
        assert im.size == (2400, 1600)


def test_png_is_not_blank(png):
    with Image.open(png) as im:
        pixels = np.asarray(im.convert("RGB")).reshape(-1, 3)
    distinct = len(np.unique(pixels, axis=0))
    non_white = float(np.mean(np.any(pixels < 245, axis=1)))
    assert distinct > 500, distinct  # antialiased text, markers of nine colours, shaded sectors
    assert non_white > 0.25, non_white  # sectors, edges, labels: not a near-empty canvas


def test_png_draws_the_highlight(png):
    red = tuple(int(HIGHLIGHT_COLOUR[i : i + 2], 16) for i in (1, 3, 5))
    with Image.open(png) as im:
        pixels = np.asarray(im.convert("RGB")).reshape(-1, 3)
    assert int(np.sum(np.all(np.abs(pixels.astype(int) - red) <= 12, axis=1))) > 300


def test_svg_is_well_formed_with_title_and_legend_as_text(G, tmp_path):
    path = export_graph(G, "svg", tmp_path / "seed.svg", title="Briefing: coordination graph")[0]
    root = etree.parse(str(path)).getroot()  # raises on malformed XML
    assert root.tag == f"{SVG}svg"
    texts = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    assert "Briefing: coordination graph" in texts
    for legend in ("Agency", "Migrant cohort", "Region", "Meeting"):
        assert legend in texts
    assert "whole graph" in texts  # the filter description in the subtitle


def test_people_and_sources_are_hidden_unless_asked(G, tmp_path):
    hidden = etree.parse(str(export_graph(G, "svg", tmp_path / "a.svg")[0])).getroot()
    shown = etree.parse(str(export_graph(G, "svg", tmp_path / "b.svg", include_people=True, include_sources=True)[0])).getroot()
    def texts(root):
        return " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    assert "Person" not in texts(hidden).replace("people", "") and "Not shown: people and sources" in texts(hidden)
    assert "Person" in texts(shown)


def test_filtered_diagram_title_names_the_filter(G, tmp_path):
    from graphmodel.graph.views import GraphFilter

    path = export_graph(G, "svg", tmp_path / "ntt.svg", filter=GraphFilter(region="prov-ntt"))[0]
    root = etree.parse(str(path)).getroot()
    assert "region prov-ntt and sub-regions" in " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))


def test_write_overview_writes_the_three_files(G, tmp_path):
    written = write_overview(G, tmp_path / "out", highlight=["cohort-kupang-refugees"])
    assert sorted(p.name for p in written) == ["network.html", "overview.png", "overview.svg"]
    assert all(p.stat().st_size > 10_000 for p in written)
