"""The curated seed holds every fact of DOMAIN.md's tables, checked on its GraphML export.

The expectation list below was written by hand from ``../shared/DOMAIN.md``
(its tables) and from reading the five source documents, independently of the
seed files; region codes were looked up by hand in the official list
(``graphmodel/data/idn-area-data/regencies.csv``). The GraphML is read back with
plain ``networkx.read_graphml`` (not our reader), decoding only the JSON fields.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

from graphmodel.seed import load_seed

from conftest import SEED

# --- hand-written expectations (DOMAIN.md "Node types" table and the sources) ---------------

AGENCIES = {  # id -> kind (ids are the seed's contract, kinds from what the sources say each is)
    "iom": "international_organisation",
    "iom-indonesia": "international_office",
    "iom-medan": "international_office",
    "iom-kupang": "international_office",
    "pemko-medan": "regional_government",
    "dinsosnaker-medan": "regional_department",
    "rudenim-medan": "detention_centre",
    "rudenim-kupang": "detention_centre",
    "ditjen-imigrasi": "directorate_general",
    "kanwil-kemenkumham-sumut": "ministry_regional_office",
    "pemkab-serdang-bedagai": "regional_government",
    "polres-serdang-bedagai": "police",
    "kodim-0204-deli-serdang": "military",
    "kemensos": "ministry",
    "ditjen-rehsos": "directorate_general",
    "satgas-covid19": "task_force",
    "kemenlu": "ministry",
    "pemprov-ntb": "regional_government",
    "disnakertrans-ntb": "regional_department",
    "dpmpd-dukcapil-ntb": "regional_department",
}

REGIONS = {  # id -> (kind, official code, parent)
    "prov-sumatera-utara": ("province", "12", "indonesia"),
    "kota-medan": ("city", "12.71", "prov-sumatera-utara"),
    "kab-serdang-bedagai": ("regency", "12.18", "prov-sumatera-utara"),
    "kab-deli-serdang": ("regency", "12.07", "prov-sumatera-utara"),
    "kab-langkat": ("regency", "12.05", "prov-sumatera-utara"),
    "kab-simalungun": ("regency", "12.08", "prov-sumatera-utara"),
    "prov-ntt": ("province", "53", "indonesia"),
    "kota-kupang": ("city", "53.71", "prov-ntt"),
    "prov-kalimantan-barat": ("province", "61", "indonesia"),
    "kota-pontianak": ("city", "61.71", "prov-kalimantan-barat"),
    "prov-ntb": ("province", "52", "indonesia"),
    "kab-lombok-timur": ("regency", "52.03", "prov-ntb"),
    "kab-lombok-barat": ("regency", "52.01", "prov-ntb"),
    "prov-aceh": ("province", "11", "indonesia"),
}

MEDAN_NATIONALITIES = {  # src-000, spellings normalised: Srilangka, Irak, Etophia, Mesir (twice), Suriah, Jordania
    "Sri Lanka", "Somalia", "Sudan", "Afghanistan", "Iran", "Iraq", "Ethiopia", "Kuwait", "Egypt", "Syria", "Jordan", "Myanmar",
}

COHORTS = {  # id -> (cohort type, size, size basis, nationalities or None when not stated)
    "cohort-medan-refugees": ("foreign_refugees", 2000, "approximate", MEDAN_NATIONALITIES),
    "cohort-kupang-refugees": ("foreign_refugees", 171, "stated", {"Afghanistan", "Pakistan"}),
    "cohort-sergai-pmi-np": ("non_procedural_migrant_workers", None, "unknown", None),
    "cohort-pontianak-kpo": ("trafficking_victims", None, "unknown", None),
    "cohort-ntb-pmi": ("indonesian_migrant_workers", None, "unknown", None),
}

MEETINGS = {  # id -> (date, date basis); DOMAIN.md "Meeting" row
    "mtg-2016-10-01-medan-audience": ("2016-10-01", None),  # printed date is the spokesman's; basis may be either
    "mtg-2019-07-25-sergai-rakor": ("2019-07-25", "stated"),
    "mtg-2024-09-11-kupang-visit": ("2024-09-11", "stated"),
    "mtg-2020-08-26-kemensos-handover": ("2020-08-26", None),
    "mtg-2022-02-21-ntb-audience": ("2022-02-21", "inferred"),  # "Senin (21/02)": no year printed
}

SHELTERED = [  # (facility id, cohort id, count or None): 1,600 in shelters and 400 in Rudenim Belawan; three Kupang hotels
    ("rudenim-medan-facility", "cohort-medan-refugees", 400),
    ("community-shelters-medan", "cohort-medan-refugees", 1600),
    ("hotel-lavender-kupang", "cohort-kupang-refugees", None),
    ("hotel-ina-boi-kupang", "cohort-kupang-refugees", None),
    ("hotel-kupang-inn", "cohort-kupang-refugees", None),
    ("transit-post-pontianak", "cohort-pontianak-kpo", None),
]

SOURCES = {"src-000": None, "src-001": "Realitasnews.com", "src-002": None, "src-003": "TRIBUNNEWS.COM", "src-004": "JejakNTB.com"}

DECODE = {"aliases", "evidence", "nationalities", "money", "quantity", "services", "topics"}


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> nx.MultiDiGraph:
    path = tmp_path_factory.mktemp("export") / "seed.graphml"
    proc = subprocess.run(
        [sys.executable, "-m", "graphmodel.cli", "export", "--format", "graphml", "-o", str(path), "--seed", str(SEED)],
        capture_output=True, text=True, stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stderr
    G = nx.read_graphml(path, force_multigraph=True)
    for _, attrs in list(G.nodes(data=True)) + [(None, d) for _, _, d in G.edges(data=True)]:
        for key in DECODE & set(attrs):
            attrs[key] = json.loads(attrs[key])
    return G


def out_edges(G, node, rtype):
    return [(v, d) for _, v, d in G.out_edges(node, data=True) if d["type"] == rtype]


def test_seed_validates():
    load_seed(SEED)


def test_agencies(exported):
    for agency, kind in AGENCIES.items():
        assert agency in exported, f"missing agency {agency}"
        attrs = exported.nodes[agency]
        assert (attrs["label"], attrs["kind"]) == ("Agency", kind), agency


def test_exactly_one_iom_organisation_with_offices_as_parts(exported):
    iom_like = [
        n for n, d in exported.nodes(data=True)
        if d["label"] == "Agency" and d["kind"] == "international_organisation"
        and ("IOM" in d["name"] or "Organization for Migration" in d["name"] or "IOM" in d.get("aliases", []))
    ]
    assert iom_like == ["iom"]
    parts = nx.DiGraph([(u, v) for u, v, d in exported.edges(data=True) if d["type"] == "PART_OF"])
    for office in ("iom-indonesia", "iom-medan", "iom-kupang"):
        assert nx.has_path(parts, office, "iom"), office


def test_no_unhcr_in_the_graph(exported):
    # UNHCR appears in none of the five sources (DOMAIN.md): the graph must not invent it
    assert not [n for n, d in exported.nodes(data=True) if "UNHCR" in d["name"]]


def test_regions_with_official_codes_and_hierarchy(exported):
    for region, (kind, code, parent) in REGIONS.items():
        attrs = exported.nodes[region]
        assert (attrs["label"], attrs["kind"], attrs["code"], attrs["parent"]) == ("Region", kind, code, parent), region
        located = [v for v, d in out_edges(exported, region, "LOCATED_IN")]
        assert located == [parent], region


def test_cohorts_sizes_and_nationalities(exported):
    for cohort, (ctype, size, basis, nationalities) in COHORTS.items():
        attrs = exported.nodes[cohort]
        assert (attrs["cohort_type"], attrs.get("size"), attrs["size_basis"]) == (ctype, size, basis), cohort
        if nationalities is not None:
            assert set(attrs["nationalities"]) == nationalities and len(attrs["nationalities"]) == len(nationalities)
    hosts = {(u, v) for u, v, d in exported.edges(data=True) if d["type"] == "HOSTS_COHORT"}
    assert ("kota-medan", "cohort-medan-refugees") in hosts
    assert ("kota-kupang", "cohort-kupang-refugees") in hosts
    assert ("kab-serdang-bedagai", "cohort-sergai-pmi-np") in hosts
    assert ("kota-pontianak", "cohort-pontianak-kpo") in hosts
    assert {("kab-lombok-timur", "cohort-ntb-pmi"), ("kab-lombok-barat", "cohort-ntb-pmi")} <= hosts


def test_shelters_and_counts(exported):
    for facility, cohort, count in SHELTERED:
        edges = [d for v, d in out_edges(exported, facility, "SHELTERS") if v == cohort]
        assert len(edges) == 1, (facility, cohort)
        assert edges[0].get("count") == count, (facility, cohort)
    # 1,600 + 400 = the ~2,000 of the Medan cohort
    medan = sum(d.get("count", 0) for _, v, d in exported.edges(data=True) if d["type"] == "SHELTERS" and v == "cohort-medan-refugees")
    assert medan == 2000
    assert "Selebes" in exported.nodes["rudenim-medan-facility"]["address"]


def test_meeting_dates(exported):
    for meeting, (date, basis) in MEETINGS.items():
        attrs = exported.nodes[meeting]
        assert attrs["date"] == date, meeting
        if basis is not None:
            assert attrs["date_basis"] == basis, meeting
    ntb = exported.nodes["mtg-2022-02-21-ntb-audience"]
    assert ntb["format"] == "online" and "2022" in ntb["date_reasoning"] and "Monday" in ntb["date_reasoning"]


def test_programmes_money_and_quantities(exported):
    programmes = {n: d for n, d in exported.nodes(data=True) if d["label"] == "Programme"}
    cash = [d for d in programmes.values() if d.get("money")]
    assert len(cash) == 1 and cash[0]["money"]["amount"] == 1_200_000 and cash[0]["money"]["currency"] == "IDR"
    assert cash[0]["money"]["per"] == "month"
    kits = [d for d in programmes.values() if d.get("quantity", {}).get("value") == 2500]
    assert len(kits) == 1 and "hygiene" in kits[0]["quantity"]["unit"].lower()
    names = " | ".join(d["name"] for d in programmes.values()).lower()
    for words in ("zero", "ventilator", "protection"):
        assert words in names or any(words in (d.get("notes") or "").lower() for d in programmes.values()), words


def test_legal_instrument_and_its_use(exported):
    perpres = exported.nodes["perpres-125-2016"]
    assert (perpres["label"], perpres["number"], perpres["year"]) == ("LegalInstrument", "125", 2016)
    assert ("perpres-125-2016", "rudenim-kupang") in {(v, u) for u, v, d in exported.edges(data=True) if d["type"] == "APPLIES"}


def test_sources_with_outlets(exported):
    for source, outlet in SOURCES.items():
        attrs = exported.nodes[source]
        assert attrs["label"] == "Source" and attrs["kind"] == "news"
        if outlet:
            assert outlet in attrs["outlet"]


def test_every_relationship_has_evidence_found_in_its_source(exported):
    texts = {}
    for n, d in exported.nodes(data=True):
        if d["label"] == "Source" and d["kind"] == "news":
            texts[n] = " ".join((SEED / d["path"]).read_text(encoding="utf-8").split())
    counted = Counter()
    for _, _, d in exported.edges(data=True):
        assert d["evidence"], d
        for ev in d["evidence"]:
            if ev["source"] in texts:
                assert " ".join(ev["quote"].split()) in texts[ev["source"]], ev
                counted[ev["source"]] += 1
    assert set(counted) == set(SOURCES)  # every document contributes evidence


def test_every_meeting_has_attendees_and_a_place(exported):
    for meeting in MEETINGS:
        attendees = [u for u, _, d in exported.in_edges(meeting, data=True) if d["type"] == "ATTENDED"]
        assert len(attendees) >= 2, meeting
        assert out_edges(exported, meeting, "LOCATED_IN"), meeting


def test_alias_resolution():
    ds = load_seed(SEED)
    parts = nx.DiGraph([(r.source_node, r.target_node) for r in ds.relationships if r.type == "PART_OF"])
    spellings = [  # as printed in the five sources
        "International Organization for Migration (IOM) Indonesia",
        "International Of Migration (IOM) Kupang",
        "International Organization for Migrant (IOM) United Nations",
        "IOM UN",
        "IOM Kupang",
    ]
    for spelling in spellings:
        node = ds.resolve(spelling)
        assert node == "iom" or nx.has_path(parts, node, "iom"), spelling
    assert ds.resolve("International Of Migration (IOM) Kupang") == "iom-kupang"
    assert ds.resolve("Sergai") == "kab-serdang-bedagai"
    for printed, canonical in {"Etophia": "Ethiopia", "Srilangka": "Sri Lanka", "Mesir": "Egypt", "Irak": "Iraq", "Suriah": "Syria", "Jordania": "Jordan"}.items():
        assert ds.nationality(printed) == canonical
