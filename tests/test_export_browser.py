"""End to end: the interactive HTML export in real headless Chromium.

Debian's ``chromium`` (``/usr/bin/chromium``, installed by
``scripts/install-system-deps.sh``) is driven with Playwright's Python API;
no browser is downloaded. Without Chromium the tests are skipped, except on
CI (``CI=true``), where a missing browser fails them.

The page is opened from a ``file://`` URL with every network request refused,
so it must work offline. A copy of the seed has two agencies renamed to
hostile HTML; the page must show them as text and run none of it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from pathlib import Path

import pytest

from graphmodel.export import export_graph
from graphmodel.graph import build_graph
from graphmodel.seed import load_seed

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "</script><script>window.__pwned=1</script>"
HOSTILE = {"rudenim-kupang": ("Rumah Detensi Imigrasi Kupang", IMG), "kemenlu": ("Kementerian Luar Negeri", SCRIPT)}


def _browser_or_skip():
    reasons = []
    if not CHROMIUM.exists():
        reasons.append(f"{CHROMIUM} is missing (run scripts/install-system-deps.sh)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
        reasons.append("the Python package playwright is not installed")
    if reasons:
        message = "; ".join(reasons)
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"browser test cannot run on CI: {message}")
        pytest.skip(message)
    return sync_playwright


@pytest.fixture(scope="module")
def hostile_html(tmp_path_factory) -> tuple[Path, int]:
    seed = tmp_path_factory.mktemp("hostile") / "seed"
    shutil.copytree(ROOT / "seed", seed)
    agencies = seed / "agencies.yaml"
    text = agencies.read_text(encoding="utf-8")
    for node, (old, new) in HOSTILE.items():
        line = f"- id: {node}\n  name: {old}\n"
        assert text.count(line) == 1, node
        text = text.replace(line, f"- id: {node}\n  name: {json.dumps(new)}\n")
    agencies.write_text(text, encoding="utf-8")
    G = build_graph(load_seed(seed))
    assert G.nodes["rudenim-kupang"]["name"] == IMG
    path = export_graph(G, "html", seed.parent / "network.html", highlight={"rudenim-kupang"})[0]
    return path, G.number_of_nodes()


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module (Playwright's sync API runs one instance per thread)."""
    sync_playwright = _browser_or_skip()
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


def _open(browser, path: Path):
    """A new page on ``path``, offline, recording dialogs, errors and requests; returned once the graph is drawn."""
    pg = browser.new_page(viewport={"width": 1600, "height": 1000})
    pg.dialogs = []
    pg.errors = []
    pg.requests = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("request", lambda r: pg.requests.append(r.url))
    pg.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://") else route.abort())
    pg.goto(path.as_uri())
    # predicates as functions: a string predicate is polled with eval(), which the page's CSP refuses
    pg.wait_for_function("() => window.graphmodelNetwork && window.graphmodelNetwork.ready", timeout=20_000)
    return pg


@pytest.fixture(scope="module")
def page(browser, hostile_html):
    pg = _open(browser, hostile_html[0])
    yield pg
    pg.close()


def _click_node(pg, node_id: str) -> None:
    x, y = pg.evaluate(
        """(id) => { const n = window.graphmodelNetwork.cy.$id(id); const p = n.renderedPosition();
                     const r = document.getElementById('cy').getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }""",
        node_id,
    )
    pg.mouse.click(x, y)


def test_network_renders_every_exported_node(page, hostile_html):
    _, n_nodes = hostile_html
    assert page.evaluate("window.graphmodelNetwork.cy.nodes().length") == n_nodes
    # people and sources are hidden at first; everything else is drawn
    assert page.evaluate("window.graphmodelNetwork.cy.nodes(':visible').length") == n_nodes - 20 - 7
    assert page.errors == []
    assert all(url.startswith("file://") for url in page.requests), page.requests


def test_clicking_a_node_shows_its_evidence_quote(page):
    _click_node(page, "rudenim-kupang")
    details = page.locator("#details")
    details.get_by_text("Rumah Detensi Imigrasi Kupang mendapatkan kunjungan").first.wait_for(timeout=5_000)
    assert "source: src-002" in details.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "network-html.png"))


def test_hostile_names_show_as_text_and_run_nothing(page):
    from playwright.sync_api import expect  # waits for the click's effect (the machine may be loaded)

    _click_node(page, "rudenim-kupang")
    expect(page.locator("#details h2")).to_have_text(IMG)
    assert page.locator("#details img").count() == 0 and page.locator("img").count() == 0
    _click_node(page, "kemenlu")
    expect(page.locator("#details h2")).to_have_text(SCRIPT)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.dialogs == []
    assert page.evaluate("document.querySelectorAll('script').length") == 3  # data, Cytoscape.js, the page's own


def _settles_to(pg, expression: str, expected, timeout: float = 10_000):
    """The value of ``expression`` once the page has applied a UI change (or the last value seen).

    The filters restyle the graph on the input's event, and Cytoscape's
    ``:visible`` follows the style; under load the first read can come before
    that. A function predicate is polled (a string one would need eval(), which
    the page's CSP refuses).
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with contextlib.suppress(PlaywrightTimeout):
        want = json.dumps(json.dumps(expected, separators=(",", ":")))  # JSON.stringify's spacing, as a JS string
        pg.wait_for_function(f"() => JSON.stringify({expression}) === {want}", timeout=timeout)
    return pg.evaluate(expression)


def test_search_and_type_filter(page):
    page.fill("#search", "rudenim")
    # ids, names and aliases: the three Rudenim nodes and the meeting "IOM Kupang visit to Rudenim Kupang"
    expected = ["mtg-2024-09-11-kupang-visit", "rudenim-kupang", "rudenim-medan", "rudenim-medan-facility"]
    assert _settles_to(page, "window.graphmodelNetwork.cy.nodes('.match').map(n => n.id()).sort()", expected) == expected
    page.fill("#search", "")
    page.locator("#types input[value=Region]").uncheck()
    assert _settles_to(page, "window.graphmodelNetwork.cy.nodes('[type = \"Region\"]:visible').length", 0) == 0
    page.locator("#types input[value=Region]").check()


def test_time_filter_hides_meetings_outside_the_window(page):
    # set both values first, then fire one change: the page filters on "change"
    page.evaluate("""() => {
        document.getElementById('since').value = '2020-01-01';
        document.getElementById('until').value = '2020-12-31';
        document.getElementById('until').dispatchEvent(new Event('change'));
    }""")
    query = "window.graphmodelNetwork.cy.nodes('[type = \"Meeting\"]:visible').map(n => n.id())"
    page.wait_for_function(f"() => {query}.length === 1", timeout=10_000)
    visible = page.evaluate(query)
    assert visible == ["mtg-2020-08-26-kemensos-handover"]
    page.fill("#since", "")
    page.fill("#until", "")
    page.dispatch_event("#until", "change")


def test_page_declares_a_restrictive_content_security_policy(hostile_html):
    text = hostile_html[0].read_text(encoding="utf-8")
    assert "default-src 'none'" in text and "script-src 'sha256-" in text and "unsafe-eval" not in text
    assert IMG not in text and SCRIPT not in text  # embedded only in escaped form


# --------------------------------------------------------------------------- how each link is known


@pytest.fixture(scope="module")
def status_page(browser, tmp_path_factory):
    """The page of the mini seed with a planned, a hoped and an inferred relationship (see
    ``tests/test_export_status.py``: ``status_seed`` and the expectations derived from its edits)."""
    from test_export_status import status_seed

    folder = tmp_path_factory.mktemp("status")
    G = build_graph(load_seed(status_seed(folder / "seed")))
    pg = _open(browser, export_graph(G, "html", folder / "network.html")[0])
    yield pg
    pg.close()


PLANNED_EDGE = "rudenim-kupang--SERVES:immigration_supervision--cohort-kupang"
HOPED_EDGE = "hotel-lavender--SHELTERS--cohort-kupang"
REPORTED_EDGE = "rudenim-kupang--HOSTED--mtg-kupang-visit"


def _edge_style(pg, edge_id: str) -> dict:
    """The style Cytoscape.js computed for the edge, as drawn (not the data the page was given)."""
    return pg.evaluate(
        """(id) => { const e = window.graphmodelNetwork.cy.$id(id);
                     return { status: e.data('status'), line: e.style('line-style'), dashes: e.style('line-dash-pattern') }; }""",
        edge_id,
    )


def test_planned_and_hoped_links_are_drawn_dashed_with_a_legend_entry(status_page):
    planned, hoped, reported = (_edge_style(status_page, e) for e in (PLANNED_EDGE, HOPED_EDGE, REPORTED_EDGE))
    assert (planned["status"], hoped["status"], reported["status"]) == ("planned", "hoped", "reported")
    assert planned["line"] == "dashed" and hoped["line"] == "dashed" and reported["line"] == "solid"
    assert planned["dashes"] != hoped["dashes"]  # a wish is not drawn as a plan
    legend = status_page.locator("#statuses").inner_text()
    for title in ("Reported", "Inferred by the curator", "Planned, not yet reported", "Hoped for or requested"):
        assert title in legend
    assert status_page.locator("#statuses .status-entry[data-status=planned] line").get_attribute("stroke-dasharray")
    # each legend swatch is drawn: a box the reader can see (a zero-height box once hid them all)
    for status in ("reported", "inferred", "planned", "hoped"):
        box = status_page.locator(f"#statuses .status-entry[data-status={status}] svg").bounding_box()
        assert box is not None and box["width"] >= 20 and box["height"] >= 4, (status, box)
    assert status_page.errors == []


def test_a_links_details_name_its_status(status_page):
    from playwright.sync_api import expect

    status_page.evaluate("(id) => window.graphmodelNetwork.cy.$id(id).emit('tap')", PLANNED_EDGE)
    expect(status_page.locator("#details .edge-status")).to_have_text("Status: planned (Planned, not yet reported)")


def test_an_upper_bound_meeting_date_and_the_reference_date_are_shown(status_page):
    from playwright.sync_api import expect

    # the mini seed's latest date is the visit's, 11/09/2024 (tests/data/mini_seed/sources.yaml and meetings.yaml)
    expect(status_page.locator("#as-of")).to_have_text("as of 2024-09-11 (the latest date in the sources)")
    assert status_page.evaluate("window.graphmodelNetwork.cy.$id('mtg-kupang-visit').data('short')") == "Visit ≤ 2024-09-11"
    status_page.evaluate("() => window.graphmodelNetwork.cy.$id('mtg-kupang-visit').emit('tap')")
    expect(status_page.locator("#details")).to_contain_text("Date: ≤ 2024-09-11 (no later than")
