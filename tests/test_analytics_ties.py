"""Missing and stale coordination ties; overlaps and ages computed by hand in the comments."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import networkx as nx
import pytest

from graphmodel.analytics import graph_as_of, missing_ties, service_footprints, stale_ties
from graphmodel.errors import AnalyticsError

SEED = Path(__file__).resolve().parents[1] / "seed"


class Builder:
    def __init__(self) -> None:
        self.G = nx.MultiDiGraph()

    def node(self, n: str, label: str, **attrs) -> Builder:
        self.G.add_node(n, id=n, label=label, name=attrs.pop("name", n), **attrs)
        return self

    def agency(self, n: str) -> Builder:
        return self.node(n, "Agency", name=n.upper(), kind="other", level="regency_city")

    def edge(self, u: str, v: str, rtype: str, qualifier: str = "", **attrs) -> Builder:
        key = f"{rtype}:{qualifier}" if qualifier else rtype
        self.G.add_edge(u, v, key=key, type=rtype, evidence=[{"source": "src-t", "quote": f"{u} {rtype} {v}"}], **attrs)
        return self


def two_cities() -> Builder:
    """Refugees c1 in city r1 and c2 in city r2. A serves c1; B serves c1 and c2; C serves c2."""
    b = Builder()
    b.node("r1", "Region", kind="city").node("r2", "Region", kind="city")
    b.node("c1", "MigrantCohort", cohort_type="foreign_refugees").node("c2", "MigrantCohort", cohort_type="foreign_refugees")
    b.edge("r1", "c1", "HOSTS_COHORT").edge("r2", "c2", "HOSTS_COHORT")
    for a in "ABC":
        b.agency(a)
    b.edge("A", "c1", "SERVES", qualifier="shelter", service="shelter")
    b.edge("B", "c1", "SERVES", qualifier="health", service="health")
    b.edge("B", "c2", "SERVES", qualifier="health", service="health")
    b.edge("C", "c2", "SERVES", qualifier="shelter", service="shelter")
    return b


def test_footprints_hold_cohorts_and_their_regions():
    feet = service_footprints(two_cities().G)
    assert set(feet["A"]) == {"cohort:c1", "region:r1"}
    assert set(feet["B"]) == {"cohort:c1", "region:r1", "cohort:c2", "region:r2"}


def test_missing_ties_jaccard_by_hand():
    # F(A) = {c1, r1}; F(B) = {c1, r1, c2, r2}; F(C) = {c2, r2}.
    # A-B: |{c1, r1}| / |{c1, r1, c2, r2}| = 2/4 = 0.5; B-C: 2/4 = 0.5; A-C: no overlap.
    ties = missing_ties(two_cities().G)
    assert [(t.agency_a, t.agency_b, t.overlap) for t in ties] == [("A", "B", 0.5), ("B", "C", 0.5)]
    assert ties[0].shared_cohorts == ("c1",) and ties[0].shared_regions == ("r1",)
    assert "both serve cohort c1" in ties[0].reasons
    assert {e.quote for e in ties[0].evidence} >= {"A SERVES c1", "B SERVES c1"}
    assert missing_ties(two_cities().G, min_overlap=0.5) == []
    with pytest.raises(AnalyticsError):
        missing_ties(two_cities().G, min_overlap=2)


def test_a_shared_meeting_in_the_window_closes_the_gap():
    b = two_cities()
    b.node("m", "Meeting", date=dt.date(2019, 7, 25))
    b.edge("A", "m", "ATTENDED").edge("B", "m", "HOSTED")
    assert [(t.agency_a, t.agency_b) for t in missing_ties(b.G)] == [("B", "C")]
    # a window after the meeting reopens it
    after = missing_ties(b.G, since=dt.date(2020, 1, 1))
    assert [(t.agency_a, t.agency_b) for t in after] == [("A", "B"), ("B", "C")]
    assert "since 2020-01-01" in after[0].explanation


def test_shared_programme_and_same_organisation_count_as_ties():
    b = two_cities()
    b.node("p", "Programme", services=["health"])
    b.edge("B", "p", "FUNDS").edge("C", "p", "IMPLEMENTS")  # B-C share a programme
    b.agency("A-office").edge("A-office", "c1", "SERVES", qualifier="health", service="health").edge("A-office", "A", "PART_OF")
    pairs = {(t.agency_a, t.agency_b) for t in missing_ties(b.G)}
    # B-C tied by the programme; A and A-office are one organisation; A-office-B still untied
    assert pairs == {("A", "B"), ("A-office", "B")}


def test_stale_ties_by_hand():
    b = Builder()
    for a in "PQRS":
        b.agency(a)
    b.node("m", "Meeting", date=dt.date(2016, 10, 1))
    b.edge("P", "m", "HOSTED").edge("Q", "m", "ATTENDED")
    b.edge("P", "R", "COOPERATES_WITH", last_seen=dt.date(2023, 1, 1))
    b.edge("Q", "S", "COOPERATES_WITH")  # undated: cannot be judged
    b.edge("R", "S", "PART_OF")  # structural: never stale
    as_of = dt.date(2024, 9, 11)
    ties = stale_ties(b.G, as_of, years=5)
    # P-Q last met 2016-10-01: 2902 days / 365.25 = 7.95 years > 5 -> stale; P-R (2023) is recent.
    assert [(t.agency_a, t.agency_b, t.last_contact, t.age_years) for t in ties] == [("P", "Q", dt.date(2016, 10, 1), 7.95)]
    assert stale_ties(b.G, as_of, years=8) == []
    with pytest.raises(AnalyticsError):
        stale_ties(b.G, as_of, years=0)


# --------------------------------------------------------------------------- the seed


@pytest.fixture(scope="module")
def seed_graph():
    if not SEED.is_dir():
        pytest.skip("no seed/ folder")
    from graphmodel.graph import build_graph
    from graphmodel.seed import load_seed

    return build_graph(load_seed(SEED))


def test_seed_iom_medan_and_rudenim_medan_share_the_refugees_but_no_tie(seed_graph):
    # src-000: IOM pays monthly cash to the Medan refugees, 400 of whom are in Rudenim Belawan,
    # which Rudenim Medan operates; the report records no meeting or cooperation between the two.
    ties = {(t.agency_a, t.agency_b): t for t in missing_ties(seed_graph)}
    t = ties[("iom-medan", "rudenim-medan")]
    assert t.overlap == 1.0 and t.shared_cohorts == ("cohort-medan-refugees",)
    assert {e.source for e in t.evidence} == {"src-000"}
    assert next(iter(missing_ties(seed_graph))) == t  # the strongest overlap ranks first


def test_seed_medan_ties_are_stale_by_the_latest_source_date(seed_graph):
    as_of = graph_as_of(seed_graph)
    assert as_of == dt.date(2024, 9, 11)  # the Kupang visit, the latest dated fact
    stale = {(t.agency_a, t.agency_b): t for t in stale_ties(seed_graph, as_of, years=5)}
    # Pemko Medan and IOM Medan: audience of 1 Oct 2016, about 7.95 years before 11 Sep 2024
    t = stale[("iom-medan", "pemko-medan")]
    assert t.last_contact == dt.date(2016, 10, 1) and t.age_years == pytest.approx(7.95, abs=0.01)
    # Kupang's 2024 tie is fresh
    assert ("iom-kupang", "rudenim-kupang") not in stale


# --------------------------------------------------------------------------- missing ties at scale

from itertools import combinations  # noqa: E402 - used by the reference below only

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from graphmodel.analytics import count_missing_ties  # noqa: E402


def _missing_reference(G: nx.MultiDiGraph) -> list[tuple]:
    """The definition, every pair of agencies checked: (a, b, overlap) ranked as documented."""
    from graphmodel.analytics import GraphIndex, coordination_network

    ix = GraphIndex(G)
    H = coordination_network(G)
    feet = {a: set(f) for a, f in service_footprints(G).items()}
    found = []
    for a, b in combinations(sorted(feet), 2):
        shared = feet[a] & feet[b]
        if shared and not H.has_edge(a, b) and not ix.same_organisation(a, b):
            overlap = round(len(shared) / len(feet[a] | feet[b]), 4)
            cohorts = sum(t.startswith("cohort:") for t in shared)
            found.append((-overlap, -cohorts, G.nodes[a]["name"], G.nodes[b]["name"], a, b))
    return [(a, b, -o) for o, _, _, _, a, b in sorted(found)]


@st.composite
def _serving_graphs(draw) -> nx.MultiDiGraph:
    b = Builder()
    regions = [f"r{i}" for i in range(draw(st.integers(1, 3)))]
    cohorts = [f"c{i}" for i in range(draw(st.integers(1, 4)))]
    agencies = [f"a{i:02d}" for i in range(draw(st.integers(2, 9)))]
    for r in regions:
        b.node(r, "Region", kind="city")
    for c in cohorts:
        b.node(c, "MigrantCohort", cohort_type="foreign_refugees")
        b.edge(draw(st.sampled_from(regions)), c, "HOSTS_COHORT")
    for a in agencies:
        b.agency(a)
        b.G.nodes[a]["name"] = draw(st.sampled_from(["X", "Y", a.upper()]))  # equal names: ties broken by id
        for c in draw(st.lists(st.sampled_from(cohorts), unique=True, max_size=3)):
            b.edge(a, c, "SERVES", qualifier="health", service="health")
    for u, v in draw(st.lists(st.sampled_from(list(combinations(agencies, 2))), unique=True, max_size=6)):
        b.edge(u, v, draw(st.sampled_from(["COOPERATES_WITH", "PART_OF"])))
    return b.G


@settings(max_examples=150, deadline=None)
@given(G=_serving_graphs(), top=st.sampled_from([None, 0, 1, 2, 5]))
def test_missing_ties_equal_every_pair_checked_and_top_is_a_prefix(G, top):
    expected = _missing_reference(G)
    assert [(t.agency_a, t.agency_b, t.overlap) for t in missing_ties(G)] == expected
    assert [(t.agency_a, t.agency_b, t.overlap) for t in missing_ties(G, top=top)] == expected[:top]
    assert count_missing_ties(G) == len(expected)


def test_missing_ties_top_must_not_be_negative():
    with pytest.raises(AnalyticsError, match="top must be at least 0"):
        missing_ties(two_cities().G, top=-1)


@settings(max_examples=60, deadline=None)
@given(G=_serving_graphs(), top=st.sampled_from([None, 1, 2]))
def test_missing_ties_counted_in_small_row_blocks_equal_every_pair_checked(G, top):
    # at national scale the shared-token product runs in blocks of agencies; blocks of one or two rows
    # here make every pair cross a block boundary somewhere
    from unittest import mock

    from graphmodel.analytics import ties

    expected = _missing_reference(G)
    with mock.patch.object(ties, "BLOCK_SHARED_TOKENS", 2):
        assert [(t.agency_a, t.agency_b, t.overlap) for t in missing_ties(G, top=top)] == expected[:top]
        assert count_missing_ties(G) == len(expected)


def test_overlap_is_rounded_as_python_rounds_each_float():
    # 1/160 = 0.00625 is stored as a double just above the half, so Python rounds it up to 0.0063,
    # while rint(0.00625 * 10,000) = rint(62.5) would give 62 (by hand; checked with round() below).
    # Two pairs: (aa, ab) share 1 of 160 cohorts, (ca, cb) 1 of 159 (0.00629, 0.0063 as well). Rounded as
    # Python rounds, both overlaps are 0.0063 and the names decide (AA before CA); rounded by rint, (aa, ab)
    # would rank below at 0.0062.
    assert round(1 / 160, 4) == 0.0063 and round(1 / 159, 4) == 0.0063
    b = Builder()
    for pair, own in ((("aa", "ab"), (80, 79)), (("ca", "cb"), (79, 79))):
        shared = f"c-{pair[0]}-shared"
        b.node(shared, "MigrantCohort", cohort_type="foreign_refugees")
        for agency, n in zip(pair, own):
            b.agency(agency)
            b.edge(agency, shared, "SERVES", qualifier="health", service="health")
            for i in range(n):
                cohort = f"c-{agency}-{i}"
                b.node(cohort, "MigrantCohort", cohort_type="foreign_refugees")
                b.edge(agency, cohort, "SERVES", qualifier="health", service="health")
    found = [(t.agency_a, t.agency_b) for t in missing_ties(b.G)]
    assert found == [(a, b) for a, b, _ in _missing_reference(b.G)] == [("aa", "ab"), ("ca", "cb")]
