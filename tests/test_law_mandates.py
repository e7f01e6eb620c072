"""The mandate rows read as the articles read (issue 21, section 3; domain review of December 2026, findings 9-16).

Each test quotes the sentence of the instrument it rests on and says what the
sentence implies; the expected values are derived by hand from that sentence
and from the small graphs built here (same pattern as
``tests/test_analytics_mandates.py``: schema models and ``build_graph``).
"""

from __future__ import annotations

import datetime as dt

import pytest

from graphmodel.analytics import load_mandates, mandate_gaps
from graphmodel.graph import build_graph
from graphmodel.model.schema import (
    Agency,
    Evidence,
    HasJurisdiction,
    HostsCohort,
    Implements,
    MigrantCohort,
    Programme,
    Region,
    Serves,
    ServiceType,
    Targets,
)
from graphmodel.seed import Dataset

EV = (Evidence(source="src-t", quote="kutipan dari sumber"),)
ACTIVITY = (Serves, Implements, Targets)
MANDATES = {m.id: m for m in load_mandates().mandates}


def rel(model, a, b, **kw):
    if model in ACTIVITY:
        kw.setdefault("status", "reported")
    return model.model_validate({"from": a, "to": b, "evidence": EV, **kw})


def victims(where: str = "pontianak", *, presence: str = "transit", extra: tuple = ()) -> Dataset:
    """Trafficking victims present in Kota Pontianak (Kalimantan Barat, Indonesia) or in Malaysia; Kemensos and Kemenlu."""
    nodes = [
        Region(id="indonesia", name="Indonesia", kind="country"),
        Region(id="prov-kalbar", name="Kalimantan Barat", kind="province", code="61", parent="indonesia"),
        Region(id="kota-pontianak", name="Kota Pontianak", kind="city", code="61.71", parent="prov-kalbar"),
        Region(id="malaysia", name="Malaysia", kind="country"),
        MigrantCohort(id="victims", name="Trafficking victims", cohort_type="trafficking_victims", size_basis="unknown", evidence=EV),
        Agency(id="kemensos", name="Kementerian Sosial", acronym="Kemensos", kind="ministry", level="national"),
        Agency(id="kemenlu", name="Kementerian Luar Negeri", acronym="Kemenlu", kind="ministry", level="national"),
    ]
    region = "kota-pontianak" if where == "pontianak" else "malaysia"
    rels = [
        rel(HostsCohort, region, "victims", presence=presence),
        rel(HasJurisdiction, "kemensos", "indonesia"),
        rel(HasJurisdiction, "kemenlu", "indonesia"),
        rel(HasJurisdiction, "kemenlu", "malaysia"),  # its missions abroad
        *extra,
    ]
    nodes += [x for x in extra if not hasattr(x, "source_node")]
    rels = [r for r in rels if hasattr(r, "source_node")]
    return Dataset(nodes={n.id: n for n in nodes}, relationships=rels)


def gaps_of(ds: Dataset) -> dict[str, object]:
    return {g.mandate: g for g in mandate_gaps(build_graph(ds, derived=False))}


# --------------------------------------------------------------------------- Perpres 125/2016


def test_no_row_makes_iom_a_duty_bearer_of_perpres_125():
    """Perpres 125/2016 Pasal 2 (as reported by Indopost, Jan 2017): handling is "berdasarkan kerja sama
    antara Pemerintah pusat dengan Perserikatan Bangsa-Bangsa (PBB) melalui Komisariat Tinggi Urusan
    Pengungsi di Indonesia dan/atau organisasi internasional".

    The government *cooperates with* an international organisation; a Perpres cannot bind IOM. So every
    Perpres 125/2016 row naming IOM is a cooperation row, and the old IOM care row is gone.
    """
    iom_rows = [m for m in MANDATES.values() if m.instrument == "perpres-125-2016" and m.actor == "IOM"]
    assert iom_rows, "the voluntary-return cooperation row names IOM"
    assert {m.phrasing for m in iom_rows} == {"cooperation"}
    assert not any(m.yields_gaps for m in iom_rows)
    assert "perpres125-care-iom" not in MANDATES and "perpres125-return-iom" not in MANDATES


def test_resettlement_is_unhcrs_and_voluntary_return_is_where_iom_cooperates():
    """Rudenim Kupang (2021) on resettlement: it "merupakan wewenang dan ranah dari UNHCR"; Pasal 1
    angka 2: "Pemulangan Sukarela adalah kegiatan memulangkan Pengungsi ke negara asal Pengungsi secara
    sukarela".

    The merged IOM row is split: resettlement names UNHCR (a practice, no article found), voluntary
    return names IOM as a cooperating organisation.
    """
    resettle, ret = MANDATES["perpres125-resettlement-unhcr"], MANDATES["perpres125-voluntary-return-iom"]
    assert (resettle.actor, resettle.phrasing, resettle.verified) == ("UNHCR", "practice", False)
    assert (ret.actor, ret.phrasing) == ("IOM", "cooperation")
    assert "Pemulangan Sukarela" in ret.citation


def test_the_city_determines_the_shelter_site_and_does_not_fund_it():
    """Rudenim Pekanbaru on the Perpres: "Pemda yang menentukan tempatnya"; Pasal 40 huruf a: "Pendanaan
    yang diperlukan untuk penanganan pengungsi bersumber dari anggaran pendapatan dan belanja negara
    melalui kementerian/lembaga terkait".

    The city's duty is to *determine* the site; funding is national. The row's verb and the finding it
    yields say "determination of a shelter site", never that the city must provide or pay for shelter.
    """
    m = MANDATES["perpres125-shelter-regency-city"]
    assert m.asks.startswith("determine the shelter site")
    assert "anggaran pendapatan dan belanja negara" in m.citation
    ds = Dataset(
        nodes={n.id: n for n in [
            Region(id="indonesia", name="Indonesia", kind="country"),
            Region(id="kota-kupang", name="Kota Kupang", kind="city", code="53.71", parent="indonesia"),
            MigrantCohort(id="refugees", name="Refugees in Kupang", cohort_type="foreign_refugees", size_basis="unknown", evidence=EV),
            Agency(id="pemko", name="Pemerintah Kota Kupang", kind="regional_government", level="regency_city"),
        ]},
        relationships=[rel(HostsCohort, "kota-kupang", "refugees"), rel(HasJurisdiction, "pemko", "kota-kupang")],
    )
    g = gaps_of(ds)["perpres125-shelter-regency-city"]
    assert "no determination of a shelter site" in g.explanation
    assert "to determine the shelter site" in g.explanation
    assert "provide shelter" not in g.explanation and "fund" not in g.explanation


def test_a_definition_never_yields_verified_wording():
    """Perpres 125/2016 Pasal 1 angka 1 defines a refugee as one who "telah mendapatkan status pencari
    suaka atau status pengungsi dari Perserikatan Bangsa-Bangsa melalui Komisariat Tinggi Urusan
    Pengungsi di Indonesia".

    A definition imposes nothing: its finding is a question to check, says what the article is, never
    "verified", and ranks below a duty's finding of the same kind.
    """
    m = MANDATES["perpres125-status-determination-unhcr"]
    assert (m.phrasing, m.binding, m.verified) == ("definition", False, True)
    ds = Dataset(
        nodes={n.id: n for n in [
            Region(id="kota-kupang", name="Kota Kupang", kind="city", code="53.71"),
            MigrantCohort(id="refugees", name="Refugees in Kupang", cohort_type="foreign_refugees", size_basis="unknown", evidence=EV),
        ]},
        relationships=[rel(HostsCohort, "kota-kupang", "refugees")],
    )
    gaps = gaps_of(ds)
    g = gaps["perpres125-status-determination-unhcr"]
    assert "verified" not in g.explanation.lower()
    assert "is a definition, not a duty" in g.explanation
    assert "question to check" in g.explanation
    # security (a duty row, police absent) outranks the definition although that one's wording was read
    assert gaps["perpres125-security-police"].score > g.score
    for other in gaps.values():
        if not other.binding:
            assert "verified" not in other.explanation.lower(), other.mandate


def test_no_non_duty_finding_on_the_seed_says_verified():
    """Issue 21 section 3: "no finding says 'verified' where the row's own note says the article is not
    phrased as a duty" -- checked on every mandate gap of the seed."""
    from pathlib import Path

    from graphmodel.seed import load_seed

    seed = Path(__file__).resolve().parents[1] / "seed"
    if not seed.is_dir():
        pytest.skip("no seed/ folder")
    gaps = mandate_gaps(build_graph(load_seed(seed)))
    non_duty = [g for g in gaps if not g.binding]
    assert non_duty
    assert all("verified" not in g.explanation.lower() for g in non_duty)
    assert not any(g.mandate in ("perpres125-voluntary-return-iom",) for g in gaps)


# --------------------------------------------------------------------------- UU 21/2007


def test_pasal_54_ayat_1_does_not_apply_to_victims_already_in_pontianak():
    """UU 21/2007 Pasal 54 ayat (1): "Dalam hal korban berada di luar negeri memerlukan perlindungan hukum
    ..., maka Pemerintah Republik Indonesia melalui perwakilannya di luar negeri wajib melindungi ... dan
    mengusahakan untuk memulangkan korban ke Indonesia atas biaya negara."

    It binds only while the victim is abroad. Victims at the Pontianak transit post (a Kemendagri-coded
    city in Indonesia) are outside it: no Kemenlu gap. The same cohort in Malaysia is inside it, and with
    Kemenlu recorded doing nothing for it, the gap is there.
    """
    assert MANDATES["uu21-return-kemenlu"].applies_where == "abroad"
    assert "uu21-return-kemenlu" not in gaps_of(victims("pontianak", presence="transit"))
    assert "uu21-return-kemenlu" not in gaps_of(victims("pontianak", presence="residing"))
    abroad = gaps_of(victims("malaysia", presence="residing"))["uu21-return-kemenlu"]
    assert (abroad.status, abroad.candidates) == ("actor_not_linked", ("kemenlu",))


def test_pasal_52_ayat_1_covers_rehabilitation_return_and_reintegration():
    """UU 21/2007 Pasal 52 ayat (1): the minister or agency handling rehabilitation "wajib memberikan
    rehabilitasi kesehatan, rehabilitasi sosial, pemulangan, dan reintegrasi sosial paling lambat 7
    (tujuh) hari terhitung sejak diajukan permohonan".

    Four services, not psychosocial support alone: health (rehabilitasi kesehatan), psychosocial
    (rehabilitasi sosial), safe_return (pemulangan) and reintegration_livelihoods (reintegrasi sosial).
    """
    rows = [m for m in MANDATES.values() if m.instrument == "uu-21-2007" and "Pasal 52 ayat (1)" in m.article]
    assert {m.duty for m in rows} == {ServiceType.HEALTH, ServiceType.PSYCHOSOCIAL, ServiceType.SAFE_RETURN,
                                      ServiceType.REINTEGRATION_LIVELIHOODS}
    assert all(m.phrasing == "duty" for m in rows)


def test_police_service_rooms_and_integrated_service_centres():
    """UU 21/2007 Pasal 45 ayat (1): "di setiap provinsi dan kabupaten/kota wajib dibentuk ruang
    pelayanan khusus pada kantor kepolisian setempat" -- a duty on the police of each province and
    regency/city. Pasal 46 (integrated service centres) was not read, so its row takes the weaker,
    enabling reading and is not marked verified."""
    rpk, ppt = MANDATES["uu21-police-service-room"], MANDATES["uu21-integrated-service-centre"]
    assert (rpk.phrasing, tuple(rpk.agency_kinds), rpk.verified) == ("duty", ("police",), True)
    assert "wajib dibentuk ruang pelayanan khusus pada kantor kepolisian" in rpk.citation
    assert (ppt.phrasing, ppt.verified) == ("enabling", False)


# --------------------------------------------------------------------------- missing instruments


def test_perpres_49_2023_makes_the_police_and_bp2mi_responsible():
    """Perpres 49/2023 (tirto.id quoting JDIH Setneg): the Kapolri becomes ketua harian of the Gugus
    Tugas TPPO, "Sekretariat ... dilaksanakan secara ex-officio oleh salah satu unit kerja yang berada di
    lingkungan Kepolisian Negara Republik Indonesia", and "TNI, PPATK dan BP2MI dilibatkan".

    So rows of Perpres 49/2023 name the police (by kind) and BP2MI (by name), for trafficking victims and
    non-procedural migrant workers."""
    rows = [m for m in MANDATES.values() if m.instrument == "perpres-49-2023"]
    assert any("police" in m.agency_kinds for m in rows)
    assert any(m.actor and "BP2MI" in m.actor for m in rows)
    for m in rows:
        assert {"trafficking_victims", "non_procedural_migrant_workers"} <= {c.value for c in m.cohort_types}


def test_uu_18_2017_village_duties_and_return_help_posts_and_the_local_refugee_task_force():
    """UU 18/2017 Pasal 42: "Pemerintah Desa memiliki tugas dan tanggung jawab: ... b. melakukan
    verifikasi data dan pencatatan Calon Pekerja Migran Indonesia" (a duty of the village of origin); the
    province provides "pos bantuan dan pelayanan di tempat pemberangkatan dan pemulangan" (where
    returnees pass through); SE Mendagri 300/2308/SJ asks regencies and cities to form a Satgas PPLN (a
    circular: enabling)."""
    village = MANDATES["uu18-village-registration"]
    assert (village.phrasing, village.duty, tuple(p.value for p in village.applies_to_presence)) == (
        "duty", ServiceType.IDENTIFICATION_REGISTRATION, ("origin",))
    assert "verifikasi data dan pencatatan" in village.citation
    post = MANDATES["uu18-help-post-province"]
    assert tuple(p.value for p in post.applies_to_presence) == ("transit",)
    satgas = MANDATES["satgas-ppln-regency-city"]
    assert (satgas.phrasing, satgas.actor) == ("enabling", "Satgas PPLN")


def test_every_row_says_how_it_was_checked():
    """Issue 21 section 3: every row keeps saying whether its wording was verified in a copy of the text
    (and which copy), and what it is not."""
    for m in MANDATES.values():
        assert m.verification_note and m.phrasing
        if m.verified:
            assert m.checked_sources, m.id


# --------------------------------------------------------------------------- met only for the mandated service


def hygiene_kits(status: str = "reported") -> tuple:
    """Kemensos implements a hygiene-kit programme (basic needs) targeting the victims."""
    return (
        Programme(id="kits", name="Hygiene kits", kind="in_kind_aid", services=["basic_needs_cash"], start=dt.date(2020, 8, 26)),
        rel(Implements, "kemensos", "kits", status=status),
        rel(Targets, "kits", "victims"),
    )


def test_a_link_for_another_service_does_not_meet_the_rehabilitation_mandate():
    """UU 21/2007 Pasal 52 ayat (1) asks for "rehabilitasi sosial" (and health rehabilitation, return,
    reintegration). Kemensos handing out hygiene kits (basic_needs_cash) is not social rehabilitation:
    the social-rehabilitation gap stays, naming Kemensos as the candidate recorded for basic needs only."""
    gaps = gaps_of(victims(extra=hygiene_kits()))
    g = gaps["uu21-rehabilitation-kemensos"]
    assert (g.status, g.candidates, g.linked_for, g.duty) == ("actor_not_linked", ("kemensos",), ("basic_needs_cash",),
                                                              "psychosocial")
    assert "recorded for basic_needs_cash, which does not meet this mandate" in g.explanation
    for other in ("uu21-health-rehabilitation", "uu21-return-domestic", "uu21-reintegration"):
        assert other in gaps


def test_a_planned_provision_does_not_close_the_gap_and_is_shown_as_pending():
    """Issue 21 section 2: "Planned and hoped activity never closes a gap; it is shown beside the gap
    ('planned by X since DATE')". Kemensos *planning* social rehabilitation (status planned, programme
    starting 2020-08-26) leaves the Pasal 52 ayat (1) gap open with that plan as pending; the same
    provision reported as done closes it."""
    plan = (
        Programme(id="rehab", name="Rehabilitasi sosial", kind="protection", services=["psychosocial"], start=dt.date(2020, 8, 26)),
        rel(Implements, "kemensos", "rehab", status="planned"),
        rel(Targets, "rehab", "victims"),
    )
    g = gaps_of(victims(extra=plan))["uu21-rehabilitation-kemensos"]
    assert [(p.agency, p.status, p.since) for p in g.pending] == [("kemensos", "planned", dt.date(2020, 8, 26))]
    assert "planned by Kementerian Sosial (since 2020-08-26)" in g.explanation
    assert g.to_dict()["pending"][0]["status"] == "planned"  # JSON-ready

    done = (plan[0], rel(Implements, "kemensos", "rehab", status="reported"), plan[2])
    assert "uu21-rehabilitation-kemensos" not in gaps_of(victims(extra=done))


def test_a_reported_serves_of_the_mandated_service_meets_the_mandate():
    """The converse, by hand: Kemensos SERVES the victims with psychosocial support (reported) -> the
    social-rehabilitation row is met; the other Pasal 52 ayat (1) services are still gaps."""
    gaps = gaps_of(victims(extra=(rel(Serves, "kemensos", "victims", service="psychosocial"),)))
    assert "uu21-rehabilitation-kemensos" not in gaps
    assert {"uu21-health-rehabilitation", "uu21-return-domestic", "uu21-reintegration"} <= set(gaps)
