"""4W coverage matrix, HXL export and coverage gaps.

Expected rows and gaps are derived by hand from the small graphs below; the
pathway template used is passed explicitly so the test does not depend on
the shipped templates.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import networkx as nx
import pytest

from graphmodel.analytics import coverage_gaps, coverage_matrix, parse_pathways
from graphmodel.export.hxl import HXL_COLUMNS, write_4w_hxl

SEED = Path(__file__).resolve().parents[1] / "seed"


class Builder:
    def __init__(self) -> None:
        self.G = nx.MultiDiGraph()

    def node(self, n: str, label: str, **attrs) -> Builder:
        self.G.add_node(n, id=n, label=label, name=attrs.pop("name", n), **attrs)
        return self

    def agency(self, n: str, name: str | None = None, kind: str = "other", level: str = "regency_city") -> Builder:
        return self.node(n, "Agency", name=name or n, kind=kind, level=level)

    def edge(self, u: str, v: str, rtype: str, quote: str = "kutipan", qualifier: str = "", source: str = "src-t", **attrs) -> Builder:
        key = f"{rtype}:{qualifier}" if qualifier else rtype
        self.G.add_edge(u, v, key=key, type=rtype, evidence=[{"source": source, "quote": quote}], **attrs)
        return self


TEMPLATE = parse_pathways(
    {"templates": [{"cohort_type": "foreign_refugees", "steps": ["shelter", "basic_needs_cash", "health"], "basis": "test"}]}
)


def medan() -> Builder:
    """Refugees in Kota Medan (Sumatera Utara); IOM implements a cash programme a donor funds;
    Rudenim operates a community house sheltering them; two clinics serve health."""
    b = Builder()
    b.node("indonesia", "Region", name="Indonesia", kind="country")
    b.node("sumut", "Region", name="Sumatera Utara", kind="province", code="12", parent="indonesia")
    b.node("medan", "Region", name="Kota Medan", kind="city", code="12.71", parent="sumut")
    b.node("c", "MigrantCohort", name="Refugees in Medan", cohort_type="foreign_refugees", size=2000)
    b.node("rudenim-f", "Facility", name="Community house", kind="community_shelter")
    b.node("cash", "Programme", name="Monthly cash", services=["basic_needs_cash"], start=dt.date(2016, 1, 1), end=dt.date(2017, 12, 31))
    b.agency("iom", "IOM Medan").agency("donor", "Donor", level="international").agency("rudenim", "Rudenim Medan")
    b.agency("clinic-a", "Clinic A").agency("clinic-b", "Clinic B")
    b.edge("medan", "c", "HOSTS_COHORT", quote="2.000 orang imigran", source="src-000")
    b.edge("rudenim-f", "c", "SHELTERS", as_of=dt.date(2016, 10, 1)).edge("rudenim-f", "medan", "LOCATED_IN")
    b.edge("rudenim", "rudenim-f", "OPERATES")
    b.edge("iom", "cash", "IMPLEMENTS").edge("donor", "cash", "FUNDS").edge("cash", "c", "TARGETS")
    b.edge("clinic-a", "c", "SERVES", qualifier="health", service="health")
    b.edge("clinic-b", "c", "SERVES", qualifier="health", service="health", last_seen=dt.date(2020, 5, 1))
    return b


def test_coverage_matrix_counts_implementers_not_funders():
    frame = coverage_matrix(medan().G)
    rows = {(r.agency, r.service): r for r in frame.itertuples()}
    # 4 deliveries: IOM cash (programme 2016-2017), Rudenim shelter (OPERATES, as_of 2016),
    # two clinics' health (one undated, one last seen 2020). The donor only funds: no row.
    assert set(rows) == {("iom", "basic_needs_cash"), ("rudenim", "shelter"), ("clinic-a", "health"), ("clinic-b", "health")}
    assert rows[("iom", "basic_needs_cash")].period == "2016-2017"
    assert rows[("rudenim", "shelter")].period == "2016" and rows[("rudenim", "shelter")].via == "OPERATES"
    assert rows[("clinic-a", "health")].period == "undated"
    assert rows[("clinic-b", "health")].period == "2020"
    r = rows[("iom", "basic_needs_cash")]
    assert (r.region, r.adm1_name, r.adm1_code, r.adm2_name, r.adm2_code) == ("medan", "Sumatera Utara", "12", "Kota Medan", "12.71")
    assert r.cohorts == "c" and r.cohort_types == "foreign_refugees" and r.records == 1


def test_undated_fact_joins_the_dated_period_of_the_same_place():
    # IOM also SERVES the cohort with cash, undated: it joins the 2016-2017 row, no "undated" row.
    b = medan().edge("iom", "c", "SERVES", qualifier="basic_needs_cash", service="basic_needs_cash")
    frame = coverage_matrix(b.G)
    iom = frame[frame.agency == "iom"]
    assert iom.period.tolist() == ["2016-2017"] and iom.records.tolist() == [2]
    assert iom.via.tolist() == ["IMPLEMENTS; SERVES"]


def test_hxl_export_has_header_and_hashtag_rows(tmp_path):
    path = write_4w_hxl(medan().G, tmp_path / "4w.csv")
    rows = list(csv.reader(path.open(encoding="utf-8")))
    assert rows[0] == [h for h, _, _ in HXL_COLUMNS]
    assert rows[1] == ["#org", "#org+type", "#sector", "#adm1+name", "#adm1+code", "#adm2+name", "#adm2+code",
                       "#date+start", "#date+end", "#affected+type", "#meta+source"]
    assert len(rows) == 2 + 4
    iom = next(r for r in rows[2:] if r[0] == "IOM Medan")
    assert iom == ["IOM Medan", "other", "basic_needs_cash", "Sumatera Utara", "12", "Kota Medan", "12.71",
                   "2016-01-01", "2017-12-31", "foreign_refugees", "src-t"]


def test_hxl_cells_cannot_become_spreadsheet_formulas():
    b = medan()
    b.G.nodes["iom"]["name"] = "=HYPERLINK(\"http://x\")"
    buf = io.StringIO()
    write_4w_hxl(b.G, buf)
    assert "'=HYPERLINK" in buf.getvalue()


def test_coverage_gaps_no_single_and_uncoordinated_providers():
    G = medan().G
    gaps = coverage_gaps(G, TEMPLATE)
    # shelter: Rudenim only -> single_provider; cash: IOM only (donor funds, does not deliver)
    # -> single_provider; health: clinics A and B, no tie between them -> uncoordinated_overlap.
    found = {(g.service, g.kind): g for g in gaps}
    assert set(found) == {("shelter", "single_provider"), ("basic_needs_cash", "single_provider"),
                          ("health", "uncoordinated_overlap")}
    assert found[("health", "uncoordinated_overlap")].untied_pairs == (("clinic-a", "clinic-b"),)
    assert found[("shelter", "single_provider")].providers == ("rudenim",)
    assert any(e.source == "src-000" for e in found[("shelter", "single_provider")].evidence)
    # ranking: single providers (0.6) before overlap (0.5); pathway order within a kind
    assert [g.service for g in gaps] == ["shelter", "basic_needs_cash", "health"]


def test_tie_between_providers_removes_the_overlap_and_missing_service_is_reported():
    b = medan()
    b.node("m", "Meeting", date=dt.date(2021, 1, 1))
    b.edge("clinic-a", "m", "ATTENDED").edge("clinic-b", "m", "ATTENDED")
    b.G.remove_node("rudenim")  # nobody operates the detention house any more
    found = {(g.service, g.kind) for g in coverage_gaps(b.G, TEMPLATE)}
    assert found == {("shelter", "no_provider"), ("basic_needs_cash", "single_provider")}


def test_programme_targeting_a_province_reaches_a_cohort_in_its_city():
    # A programme that TARGETS the province covers the city below it.
    b = medan()
    b.node("kits", "Programme", services=["health"])
    b.agency("ngo").edge("ngo", "kits", "IMPLEMENTS").edge("kits", "sumut", "TARGETS")
    health = next(g for g in coverage_gaps(b.G, TEMPLATE) if g.service == "health")
    assert set(health.providers) == {"clinic-a", "clinic-b", "ngo"}


# --------------------------------------------------------------------------- the seed


@pytest.fixture(scope="module")
def seed_graph():
    if not SEED.is_dir():
        pytest.skip("no seed/ folder")
    from graphmodel.graph import build_graph
    from graphmodel.seed import load_seed

    return build_graph(load_seed(SEED))


def test_seed_4w_rows_are_traceable_and_coded(seed_graph):
    frame = coverage_matrix(seed_graph)
    # src-000: IOM's monthly Rp 1.2 million cash for the Medan refugees, as of the 2016 report
    cash = frame[(frame.agency == "iom-medan") & (frame.service == "basic_needs_cash")]
    assert cash.region.tolist() == ["kota-medan"] and cash.adm2_code.tolist() == ["12.71"]
    assert cash.period.tolist() == ["2016"] and cash.sources.tolist() == ["src-000"]
    # every row names the documents behind it
    assert frame.sources.str.match(r"^src-\d{3}").all()
    # IOM Indonesia only funds the Pontianak hygiene kits (Kemensos implements them): its health row
    # there comes from its own SERVES and programme, never from FUNDS alone
    assert not ((frame.agency == "iom-indonesia") & frame.via.str.fullmatch("FUNDS")).any()


def test_seed_medan_refugee_shelter_and_cash(seed_graph):
    """src-000: "1.600 orang diantaranya menetap di sejumlah penampungan" and "400 orang lagi saat ini berada di Rumah
    Detensi Imigrasi": the detention house is not shelter (Perpres 125/2016), and the article names nobody running
    the community shelters. So shelter has no recorded provider, but the cohort is recorded in shelters."""
    gaps = {(g.cohort, g.service): g for g in coverage_gaps(seed_graph)}
    shelter = gaps[("cohort-medan-refugees", "shelter")]
    cash = gaps[("cohort-medan-refugees", "basic_needs_cash")]
    assert (shelter.kind, shelter.providers, shelter.sheltered_in) == ("no_provider", (), ("community-shelters-medan",))
    assert "no agency is recorded running or paying for them" in shelter.explanation
    assert (cash.kind, cash.providers) == ("single_provider", ("iom-medan",))
    assert any("Rp1,2 jt" in e.quote for e in cash.evidence)
    # Kupang: "tersebar di 3 tempat penampungan" (three hotels), no operator recorded -> the same reading
    kupang = gaps[("cohort-kupang-refugees", "shelter")]
    assert kupang.kind == "no_provider" and len(kupang.sheltered_in) == 3


# --------------------------------------------------------------------------- untied provider pairs at scale

from itertools import combinations  # noqa: E402 - used by the reference below only

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from graphmodel.analytics.coverage import MAX_UNTIED_PAIRS, untied_provider_pairs  # noqa: E402


@st.composite
def _providers_and_ties(draw):
    names = [f"a{i:02d}" for i in range(draw(st.integers(min_value=0, max_value=30)))]
    pairs = list(combinations(names, 2))
    H = nx.Graph()
    H.add_nodes_from(names)
    H.add_edges_from(draw(st.lists(st.sampled_from(pairs), unique=True, max_size=200)) if pairs else [])
    # providers: any subset, in any order; some may have no node in H (no tie at all)
    providers = draw(st.lists(st.sampled_from(names + ["zz-no-ties"]), unique=True)) if names else []
    return H, tuple(providers)


@settings(max_examples=300, deadline=None)
@given(case=_providers_and_ties(), listed=st.sampled_from([0, 1, 3, MAX_UNTIED_PAIRS]))
def test_untied_provider_pairs_equals_every_pair_checked(case, listed):
    # Reference: the definition, every pair of providers in id order checked for an edge.
    H, providers = case
    every = [(a, b) for a, b in combinations(sorted(providers), 2) if not H.has_edge(a, b)]
    assert untied_provider_pairs(H, providers, listed) == (len(every), tuple(every[:listed]))


def test_uncoordinated_overlap_counts_all_pairs_and_lists_the_first():
    # 25 more clinics deliver health to the cohort, 27 with the fixture's two, none tied:
    # 27*26/2 = 351 untied pairs (hand count), of which the first MAX_UNTIED_PAIRS in id order
    # are listed; the explanation names 10 of the 27 providers and says "and 17 more".
    b = medan()
    for i in range(25):
        b.agency(f"clinic-{i:02d}", name=f"Clinic {i:02d}")
        b.edge(f"clinic-{i:02d}", "c", "SERVES", qualifier="health", service="health")
    gap = next(g for g in coverage_gaps(b.G, TEMPLATE) if g.service == "health")
    providers = sorted({*gap.providers})
    assert gap.kind == "uncoordinated_overlap" and len(providers) == 27  # the fixture's two clinics too
    assert gap.untied == 27 * 26 // 2
    assert len(gap.untied_pairs) == MAX_UNTIED_PAIRS and gap.untied_pairs[0] == (providers[0], providers[1])
    assert "351 of their 351 pairs" in gap.explanation and "and 17 more" in gap.explanation
