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

import networkx as nx
import pytest
from conftest import SEED

from graphmodel.seed import load_seed

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
    # src-003 "untuk PMI yang ada di transit pos pemulangan WNI M KPO Pontianak": returning workers, not identified victims
    "cohort-pontianak-kpo": ("non_procedural_migrant_workers", None, "unknown", None),
    "cohort-ntb-pmi": ("indonesian_migrant_workers", None, "unknown", None),
    # src-001 "... dan Tindak Pidana Perdagangan Orang (TPPO)": the Rakor's trafficking half
    "cohort-sergai-tppo-victims": ("trafficking_victims", None, "unknown", None),
    # src-003 "korban kekerasan berbasis gender"
    "cohort-gbv-victims-iom-assisted": ("gender_based_violence_victims", None, "unknown", None),
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


# --- issue 21 section 4: corrections of the seed, each derived by hand from its quoted sentence -----------


@pytest.fixture(scope="module")
def seed():
    return load_seed(SEED)


def rels_of(seed, rtype, source=None, target=None):
    return [
        r for r in seed.relationships
        if r.type == rtype and source in (None, r.source_node) and target in (None, r.target_node)
    ]


def test_medan_meeting_date_is_an_upper_bound(seed):
    """src-000 dates only the spokesman's briefing: "Hal itu dikatakan Kabag Humas Pemko Medan Budi Hariono,
    Sabtu (1/10/2016) usai upacara ...". The audience happened on or before that day: no_later_than, not day."""
    meeting = seed.nodes["mtg-2016-10-01-medan-audience"]
    assert (str(meeting.date), meeting.date_precision) == ("2016-10-01", "no_later_than")
    assert meeting.date_basis == "inferred" and "upper bound" in meeting.date_reasoning


def test_rudenim_medan_is_detention_and_supervision_not_shelter(seed):
    """src-000: "1.600 orang diantaranya menetap di sejumlah penampungan, sedangkan 400 orang lagi saat ini berada
    di Rumah Detensi Imigrasi (Rudenim)". Detention is immigration supervision; the shelter is the community one.

    The Rudenim serves the cohort with immigration supervision only; its building
    stays a detention_centre whose SHELTERS edge is a headcount of 400 that says so.
    """
    services = {r.service for r in rels_of(seed, "SERVES", "rudenim-medan", "cohort-medan-refugees")}
    assert services == {"immigration_supervision"}
    assert seed.nodes["rudenim-medan-facility"].kind == "detention_centre"
    held = rels_of(seed, "SHELTERS", "rudenim-medan-facility", "cohort-medan-refugees")
    assert len(held) == 1 and held[0].count == 400
    assert "detention" in held[0].notes and "not shelter" in held[0].notes
    sheltered = rels_of(seed, "SHELTERS", "community-shelters-medan", "cohort-medan-refugees")
    assert len(sheltered) == 1 and sheltered[0].count == 1600
    assert seed.nodes["community-shelters-medan"].kind == "community_shelter"


def test_ditjen_imigrasi_briefed_officials_and_enforced_nothing(seed):
    """src-001: "Rapat Koordinasi tersebut juga menyelenggarakan sesi pemaparan materi dan diskusi perihal
    pencegahan tindak pidana" is a briefing to the officials at the Rakor, not prevention for migrants; and the
    text reports no arrest, investigation or prosecution ("mencari solusi dalam penanganan kegiatan ilegal" only).

    So Ditjen Imigrasi serves no cohort, stays the Rakor's host, and no
    programme or SERVES anywhere carries law_enforcement.
    """
    assert not rels_of(seed, "SERVES", "ditjen-imigrasi")
    assert rels_of(seed, "HOSTED", "ditjen-imigrasi", "mtg-2019-07-25-sergai-rakor")
    assert rels_of(seed, "ATTENDED", "ditjen-imigrasi", "mtg-2019-07-25-sergai-rakor")
    programmes = [n for n in seed.nodes.values() if n.label == "Programme"]
    assert all("law_enforcement" not in p.services for p in programmes)
    assert all(r.service != "law_enforcement" for r in seed.relationships if r.type == "SERVES")


def test_iom_kupang_gives_the_stated_assistance(seed):
    """src-002: "Pentingnya kerjasama antara Rumah Detensi Imigrasi Kupang dan IOM dalam memberikan perlindungan dan
    bantuan kepada para pengungsi" and "pengungsi luar negeri yang berada di bawah pengawasan Rumah Detensi
    Imigrasi Kupang dan IOM Kupang": assistance stated as going on, so reported, read as basic needs (bantuan)."""
    serves = rels_of(seed, "SERVES", "iom-kupang", "cohort-kupang-refugees")
    assert [(r.service, r.status) for r in serves] == [("basic_needs_cash", "reported")]
    quotes = " | ".join(ev.quote for ev in serves[0].evidence)
    assert "dalam memberikan perlindungan dan bantuan kepada para pengungsi" in quotes


def test_organisational_links_are_all_recorded(seed):
    """The seed's rule (seed/README.md): every office whose parent is in the graph has its PART_OF, inferred when
    the text does not state it. Ditjen Imigrasi belonged to Kemenkumham in 2016-2024, which no source states
    ("Kantor Wilayah Kementerian Hukum dan HAM Sumut" is the ministry's only mention), so its link is inferred,
    as are the Rudenim links ("Rumah Detensi Imigrasi Kupang", no parent printed)."""
    part_of = {(r.source_node, r.target_node): r.status for r in seed.relationships if r.type == "PART_OF"}
    assert part_of[("ditjen-imigrasi", "kemenkumham")] == "inferred"
    assert part_of[("rudenim-medan", "ditjen-imigrasi")] == "inferred"
    assert part_of[("rudenim-kupang", "ditjen-imigrasi")] == "inferred"
    assert part_of[("kanwil-kemenkumham-sumut", "kemenkumham")] == "reported"  # the name says it
    # every detention house, directorate, regional office and IOM office has a parent
    offices = {"detention_centre", "directorate", "directorate_general", "international_office", "ministry_regional_office"}
    for node in seed.nodes.values():
        if node.label == "Agency" and node.kind in offices:
            assert any(a == node.id for a, _ in part_of), node.id


def test_pontianak_cohort_is_returning_workers_labelled_wni_m_kpo(seed):
    """src-003: "menyerahkan 2.500 paket hygiene kit untuk PMI yang ada di transit pos pemulangan WNI M KPO
    Pontianak". The people are PMI at a return post; "WNI M KPO" is the ministry's label for it, and the
    Director General says migrant workers are only "umumnya" (generally) trafficking victims: victims may be
    among them, none is identified."""
    cohort = seed.nodes["cohort-pontianak-kpo"]
    assert cohort.cohort_type == "non_procedural_migrant_workers"
    assert "WNI M KPO" in cohort.aliases and "WNI M KPO" in cohort.name
    assert "may be" in cohort.notes and "among them" in cohort.notes


def test_sergai_trafficking_half_is_modelled(seed):
    """src-001: "Rapat Koordinasi (Rakor) terkait kerjasama Keimigrasian dengan Organisasi Internasional dalam
    Penanganan Pekerja Migran Indonesia Non-Prosedural (PMI-NP) dan Tindak Pidana Perdagangan Orang (TPPO)".
    The TPPO half is a cohort discussed at the Rakor; its place is inferred, since the text speaks only of the
    "kemungkinan" (possibility) of illegal recruitment."""
    cohort = seed.nodes["cohort-sergai-tppo-victims"]
    assert cohort.cohort_type == "trafficking_victims"
    discussed = rels_of(seed, "DISCUSSED", "mtg-2019-07-25-sergai-rakor", cohort.id)
    assert len(discussed) == 1
    assert any("Tindak Pidana Perdagangan Orang (TPPO)" in ev.quote for ev in discussed[0].evidence)
    hosts = rels_of(seed, "HOSTS_COHORT", target=cohort.id)
    assert [(r.source_node, r.status) for r in hosts] == [("kab-serdang-bedagai", "inferred")]


def test_gender_based_violence_victims_are_modelled(seed):
    """src-003: "memberikan bantuan untuk kasus-kasus yang rentan di tempat penampungan ataupun transit, bagi korban
    perdagangan manusia, korban kekerasan berbasis gender maupun kasus rentan lainnya", introduced by "IOM
    melaksanakan berbagai kegiatan" (carries out): a cohort IOM reports serving (reported)."""
    cohort = seed.nodes["cohort-gbv-victims-iom-assisted"]
    assert cohort.cohort_type == "gender_based_violence_victims"
    serves = rels_of(seed, "SERVES", target=cohort.id)
    assert [(r.source_node, r.status) for r in serves] == [("iom-indonesia", "reported")]
    assert any("korban kekerasan berbasis gender" in ev.quote for ev in serves[0].evidence)
    assert rels_of(seed, "HOSTS_COHORT", target=cohort.id)


def test_pmi_np_origins_beyond_sergai_are_inferred(seed):
    """src-001: "sama halnya juga dengan Kabupaten Deli Serdang, Kota Medan, Kabupaten Langkat dan Simalungun yang
    juga termasuk daerah PMI terbesar" counts PMI in general, not PMI-NP: those four origins are inferred; Sergai,
    where the Rakor on PMI-NP was held for "pekerja migran Indonesia terkhusus yang berasal dari Kabupaten
    Sergai", is reported."""
    origins = {r.source_node: r.status for r in rels_of(seed, "HOSTS_COHORT", target="cohort-sergai-pmi-np")}
    assert origins == {
        "kab-serdang-bedagai": "reported",
        "kab-deli-serdang": "inferred", "kota-medan": "inferred", "kab-langkat": "inferred", "kab-simalungun": "inferred",
    }

