"""The extractor: scores on the five source documents and on held-out articles, and its parts.

Expected values come from reading the articles by hand: the gold files in
tests/data/extraction/gold/ (the five documents of the seed, which the rules
were written against) and tests/data/extraction/heldout/ (five articles
written before the rules and never tuned on). Dates without a year were
checked with a calendar (21 Feb 2022 is a Monday; 17 Apr is a Monday in 2017
and 2023).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from graphmodel.extract.dates import find_dates, infer_year
from graphmodel.extract.draft import read_draft, write_draft
from graphmodel.extract.evaluate import Evaluation, TypeScore, evaluate, format_report, gold_for, load_gold
from graphmodel.extract.extractor import extract_articles
from graphmodel.extract.gazetteer import build_gazetteer
from graphmodel.extract.numbers import find_counts, find_money, parse_money, parse_number
from graphmodel.extract.resolve import Resolver, normalise_name, pmi_reading
from graphmodel.seed import load_seed
from graphmodel.util.text import fold_space

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seed"
DATA = ROOT / "tests" / "data" / "extraction"
FIVE = sorted((SEED / "sources").glob("*.txt"))
HELDOUT = sorted((DATA / "heldout" / "articles").glob("*.txt"))
REQUIRED = ("agencies", "regions", "dates", "counts")


@pytest.fixture(scope="module")
def dataset():
    return load_seed(SEED)


@pytest.fixture(scope="module")
def five(dataset):
    return extract_articles(FIVE, dataset=dataset)


@pytest.fixture(scope="module")
def heldout(dataset):
    return extract_articles(HELDOUT, dataset=dataset)


# --------------------------------------------------------------------------- scores


def test_five_source_documents_meet_the_thresholds(five):
    ev = evaluate(five, [gold_for(DATA / "gold", a) for a in FIVE])
    print("\n" + format_report(ev, "five source documents (rules written against these)"))
    for kind in REQUIRED:
        assert ev.scores[kind].recall >= 0.9, kind
        assert ev.scores[kind].precision >= 0.85, kind
    assert ev.scores["money"].recall == 1.0 and ev.scores["instruments"].recall == 1.0


def test_heldout_articles_scores(heldout):
    """Held-out articles, never tuned on. First run (recorded in tests/data/extraction/README.md):
    agencies P 0.974 R 1.000 (one extra: a second Red Cross node for a bare "Relawan PMI"), every
    other type P = R = 1.000. Asserted here at the task's aims, which that run met."""
    ev = evaluate(heldout, [gold_for(DATA / "heldout" / "gold", a) for a in HELDOUT])
    print("\n" + format_report(ev, "held-out articles (never tuned on)"))
    assert len(HELDOUT) >= 4
    for kind in REQUIRED:
        assert ev.scores[kind].recall >= 0.9, kind
        assert ev.scores[kind].precision >= 0.85, kind


def test_extraction_reproduces_curated_facts(five):
    by_name = {d.article.path.name: d for d in five}
    matched = {r.draft.get("match") for d in five for r in d.records}
    # sources are recognised, not proposed again
    assert all(d.source_match for d in five)
    # meetings, cohorts, programmes, instruments and facilities attach to the curated nodes
    for node_id in ("mtg-2016-10-01-medan-audience", "mtg-2019-07-25-sergai-rakor", "mtg-2024-09-11-kupang-visit",
                    "mtg-2020-08-26-kemensos-handover", "mtg-2022-02-21-ntb-audience", "cohort-medan-refugees",
                    "cohort-kupang-refugees", "prog-iom-medan-cash", "prog-iom-hygiene-kits-pontianak",
                    "prog-ntb-zero-unprocedural-migrant", "perpres-125-2016", "hotel-lavender-kupang",
                    "hotel-kupang-inn", "hotel-ina-boi-kupang", "rptc-kemensos", "transit-post-pontianak",
                    "rudenim-medan-facility", "community-shelters-medan"):
        assert node_id in matched, node_id
    ntb = by_name["004_a876f2159b73204f.txt"]
    (date,) = ntb.mentions.dates
    assert date.date == dt.date(2022, 2, 21) and date.basis == "inferred"
    assert "only 2022 has 21 February on a Monday" in date.reasoning
    medan = by_name["000_4c83c7828043e383.txt"]
    counts = {(c.value, c.basis) for c in medan.mentions.counts}
    assert (2000, "approximate") in counts and (1600, "stated") in counts and (400, "stated") in counts
    shelters = {(r.data["from"], r.data.get("count")) for r in medan.relationships if r.data["type"] == "SHELTERS"}
    assert ("rudenim-medan-facility", 400) in shelters and ("community-shelters-medan", 1600) in shelters
    coop = {frozenset((r.data["from"], r.data["to"])) for d in five for r in d.relationships if r.data["type"] == "COOPERATES_WITH"}
    assert {frozenset(("dinsosnaker-medan", "iom")), frozenset(("rudenim-kupang", "iom-kupang"))} <= coop
    applies = {(r.data["from"], r.data["to"]) for d in five for r in d.relationships if r.data["type"] == "APPLIES"}
    assert ("rudenim-kupang", "perpres-125-2016") in applies
    attended = {(r.data["from"], r.data.get("role")) for d in five for r in d.relationships
                if r.data["type"] == "ATTENDED" and r.data["to"] == "mtg-2019-07-25-sergai-rakor"}
    assert {a for a, _ in attended} >= {"ditjen-imigrasi", "kanwil-kemenkumham-sumut", "iom-indonesia",
                                        "polres-serdang-bedagai", "kodim-0204-deli-serdang", "pemkab-serdang-bedagai"}


def test_every_quote_is_verbatim_and_offsets_point_at_it(five, heldout):
    for doc in [*five, *heldout]:
        text = doc.article.text
        for rec in [*doc.records, *doc.relationships]:
            start, end = rec.draft["offsets"]
            for ev in rec.data.get("evidence", []):
                if ev["source"] == doc.source_id:
                    assert fold_space(ev["quote"]) in fold_space(text), (rec.data, ev)
            first = next((ev for ev in rec.data.get("evidence", []) if ev["source"] == doc.source_id), None)
            if first is not None and rec.label is not None and rec.label.value != "Region":
                assert fold_space(text[start:end]) == fold_space(first["quote"]) or rec.draft["match"], rec.data
            assert rec.draft["rule"] and 0 < rec.draft["confidence"] <= 1


def test_draft_files_read_back_as_written(tmp_path, heldout):
    written = write_draft(heldout, tmp_path / "draft", seed_dir=SEED)
    assert (tmp_path / "draft" / "draft.yaml") in written
    draft = read_draft(tmp_path / "draft")
    assert not draft.problems
    proposed = sum(len(d.records) for d in heldout) + sum(len(d.relationships) for d in heldout)
    assert 0 < len(draft.entries) <= proposed
    assert all(e.status == "proposed" for e in draft.entries)
    assert not list(tmp_path.glob(".draft.partial-*"))


# --------------------------------------------------------------------------- the miss report


def test_miss_report_format():
    ev = Evaluation(
        scores={"agencies": TypeScore(tp=3, fp=1, fn=1, misses=[("a.txt", "Rudenim Pekanbaru")], spurious=[("a.txt", "pmi")]),
                "regions": TypeScore(tp=4), "dates": TypeScore(), "counts": TypeScore(tp=1, fn=1, misses=[("b.txt", "137")]),
                "money": TypeScore(), "instruments": TypeScore()},
        documents=["a.txt", "b.txt"],
    )
    lines = format_report(ev, "title").splitlines()
    assert lines[0] == "title"
    assert lines[1] == "2 document(s): a.txt, b.txt"
    assert lines[2].split() == ["type", "precision", "recall", "f1", "tp", "fp", "fn"]
    assert lines[3].split() == ["agencies", "0.750", "0.750", "0.750", "3", "1", "1"]
    assert lines[6].split() == ["counts", "1.000", "0.500", "0.667", "1", "0", "1"]
    assert "  MISSED agencies    a.txt  Rudenim Pekanbaru" in lines
    assert "  EXTRA  agencies    a.txt  pmi" in lines
    assert "  MISSED counts      b.txt  137" in lines
    assert format_report(Evaluation({"regions": TypeScore(tp=1)}, ["x"])).endswith("no misses, no extras")


def test_miss_report_names_what_a_wrong_gold_expects(tmp_path, five):
    gold = (DATA / "gold" / "002_82afef0093a6f2c7.yaml").read_text(encoding="utf-8")
    changed = gold.replace('regions: ["53.71"]', 'regions: ["53.71", "53.01"]').replace("counts: [171]", "counts: []")
    (tmp_path / "002_82afef0093a6f2c7.yaml").write_text(changed, encoding="utf-8")
    kupang = next(d for d in five if d.article.path.name.startswith("002"))
    report = format_report(evaluate([kupang], [load_gold(tmp_path / "002_82afef0093a6f2c7.yaml")]))
    assert "MISSED regions     002_82afef0093a6f2c7.txt  53.01" in report
    assert "EXTRA  counts      002_82afef0093a6f2c7.txt  171" in report


# --------------------------------------------------------------------------- dates


def test_yearless_date_by_weekday_in_window():
    (d,) = find_dates("saat menerima audiensi IOM UN secara daring di ruang kerjanya, Senin (21/02).")
    assert d.date == dt.date(2022, 2, 21)
    assert d.basis == "inferred"
    assert "between 2015 and 2025 only 2022 has 21 February on a Monday" in d.reasoning


def test_stated_dates_with_weekday():
    (d,) = find_dates("Hal itu dikatakan Kabag Humas Pemko Medan Budi Hariono, Sabtu (1/10/2016) usai upacara")
    assert (d.date, d.basis, d.reasoning) == (dt.date(2016, 10, 1), "stated", None)
    (d,) = find_dates("di Sei Rampah, Kamis (25/7/2019).")
    assert d.date == dt.date(2019, 7, 25)
    (d,) = find_dates("Rabu (11/09/2024)")
    assert d.date == dt.date(2024, 9, 11)


def test_weekday_that_does_not_fit_is_flagged():
    (d,) = find_dates("Jumat (1/10/2016)")  # 1 Oct 2016 was a Saturday
    assert d.date == dt.date(2016, 10, 1) and d.confidence < 0.9 and "check" in d.reasoning


def test_ambiguous_weekday_resolved_by_article_date():
    year, why, _, candidates = infer_year(17, 4, 0, reference=dt.date(2023, 4, 18))
    assert (year, candidates) == (2023, (2017, 2023))
    assert "2023-04-18" in why
    (d,) = find_dates("tiba di Bandara El Tari Kupang, Senin (17/4) sore.", article_date=dt.date(2023, 4, 18))
    assert d.date == dt.date(2023, 4, 17) and d.basis == "inferred"


def test_yearless_date_takes_the_year_of_a_full_date_in_the_report():
    dates = find_dates("kata Mensos Juliari, di Jakarta (27/8/2020). ... di Kementerian Sosial kemarin (26/08).")
    assert [(d.date, d.basis) for d in dates] == [(dt.date(2020, 8, 27), "stated"), (dt.date(2020, 8, 26), "inferred")]
    assert "yesterday" in dates[1].reasoning


def test_textual_dates_and_non_dates():
    assert [d.date for d in find_dates("rapat pada Senin, 14 Agustus 2023 pukul 09.00")] == [dt.date(2023, 8, 14)]
    assert find_dates("UU 21/2007, Perpres 125/2016, periode 2009-2013, Pabung 0204/DS, Maria (29)") == []
    assert find_dates("pada (26/08)") == []  # no weekday, no reference: no year can be given


# --------------------------------------------------------------------------- numbers and money


def test_indonesian_numbers():
    assert parse_number("2.000") == 2000
    assert parse_number("1.250.000") == 1_250_000
    assert parse_number("1,2") == pytest.approx(1.2)
    assert parse_number("171") == 171
    with pytest.raises(ValueError):
        parse_number("dua ribu")


def test_money():
    assert parse_money("Rp1,2 jt") == (1_200_000, "IDR")
    assert parse_money("Rp 1.250.000") == (1_250_000, "IDR")
    assert parse_money("Rp 8 juta") == (8_000_000, "IDR")
    assert parse_money("Rp7,5 juta") == (7_500_000, "IDR")
    assert parse_money("USD 500") == (500, "USD")
    (m,) = find_money("memberikan bantuan uang tunai sebesar Rp1,2 jt untuk para imigran setiap bulannya.")
    assert (m.amount, m.original, m.per) == (1_200_000, "Rp1,2 jt", "month")
    (m,) = find_money("biaya hidup sebesar Rp1.250.000 per orang setiap bulan")
    assert m.per == "person per month"
    assert find_money("gaji 1.500 ringgit per bulan") == []


def test_counts():
    counts = find_counts("tercatat ada sekitar 2.000 orang imigran. 1.600 orang diantaranya menetap, 400 orang lagi")
    assert [(c.value, c.basis) for c in counts] == [(2000, "approximate"), (1600, "stated"), (400, "stated")]
    assert [c.value for c in find_counts("pengungsi di wilayah kota kupang berjumlah 171 orang")] == [171]
    assert [(c.value, c.kind) for c in find_counts("menyerahkan 2.500 paket hygiene kit")] == [(2500, "items")]
    assert find_counts("Covid-19, Pasal 81, Kelas I, tahun 2023, berusia 29 tahun, tersebar di 3 tempat") == []


# --------------------------------------------------------------------------- PMI


@pytest.mark.parametrize(
    ("text", "meaning"),
    [
        ("Sebanyak 112 Pekerja Migran Indonesia (PMI) yang dideportasi dari Malaysia tiba. Para PMI didata.", "migrant_workers"),
        ("Jenazah PMI asal NTT dipulangkan dari Malaysia", "migrant_workers"),
        ("Relawan PMI membagikan makanan dan mendonorkan darah untuk korban banjir", "red_cross"),
        ("Ketua PMI Kota Surabaya menyiagakan ambulans", "red_cross"),
        ("PMI hadir.", "unsure"),
    ],
)
def test_pmi_reading(text, meaning):
    start = text.index("PMI", text.index("PMI)") + 3) if "(PMI)" in text else text.index("PMI")
    assert pmi_reading(text, start, start + 3).meaning == meaning


def test_pmi_in_an_extraction(tmp_path, dataset):
    article = tmp_path / "pmi.txt"
    article.write_text(
        "SURABAYA - Sebanyak 40 PMI asal Jawa Timur yang dideportasi dari Malaysia tiba di Surabaya, Jumat (2/6/2023). "
        "Relawan Palang Merah Indonesia (PMI) Kota Surabaya memeriksa kesehatan para PMI tersebut.\n"
        "Ketua PMI Kota Surabaya mengatakan pihaknya menyiagakan ambulans.\n", encoding="utf-8")
    (doc,) = extract_articles([article], dataset=dataset)
    names = {e.canonical for e in doc.agencies}
    assert "Palang Merah Indonesia Kota Surabaya" in names
    assert not any("Pekerja" in n for n in names)
    cohorts = [r for r in doc.records if r.label is not None and r.label.value == "MigrantCohort"]
    assert [c.data["cohort_type"] for c in cohorts] == ["indonesian_migrant_workers"]
    assert cohorts[0].data["size"] == 40


# --------------------------------------------------------------------------- resolution


@pytest.mark.parametrize(
    ("spelling", "node_id"),
    [
        ("IOM", "iom"),
        ("International Organization for Migration (IOM) Indonesia", "iom-indonesia"),
        ("IOM UN", "iom-indonesia"),
        ("the International Organization for Migrant (IOM) United Nations", "iom-indonesia"),
        ("International Of Migration (IOM) Kupang", "iom-kupang"),
        ("International Organisation for Migration (IOM) Kupang", "iom-kupang"),  # not in the seed: normalised
        ("Pemkot Medan", "pemko-medan"),
        ("Direktorat Jenderal (Ditjen) Imigrasi", "ditjen-imigrasi"),
        ("Kanwil Kemenkumham Sumatera Utara", "kanwil-kemenkumham-sumut"),
    ],
)
def test_spellings_resolve_to_existing_nodes(dataset, spelling, node_id):
    assert Resolver(dataset, build_gazetteer(dataset)).resolve([spelling]).match == node_id


def test_near_miss_is_flagged_not_merged(dataset):
    res = Resolver(dataset, build_gazetteer(dataset)).resolve(["Satgas Nasional Penanganan Covid"])
    assert res.match is None
    assert res.candidates and res.candidates[0][0] == "satgas-covid19" and 85 <= res.candidates[0][1] < 100
    assert "not merged" in res.note


def test_other_regions_are_not_near_misses(dataset):
    res = Resolver(dataset, build_gazetteer(dataset)).resolve(["Rumah Detensi Imigrasi Makassar"])
    assert (res.match, res.candidates) == (None, ())


def test_near_miss_reaches_the_draft(tmp_path, dataset):
    article = tmp_path / "satgas.txt"
    article.write_text("JAKARTA - IOM menyerahkan 300 paket masker kepada Satgas Nasional Penanganan Covid, "
                       "Senin (3/8/2020).\n", encoding="utf-8")
    (doc,) = extract_articles([article], dataset=dataset)
    rec = next(r for r in doc.records if r.data.get("name", "").startswith("Satgas Nasional"))
    assert rec.draft["match"] is None and rec.draft["candidates"][0]["id"] == "satgas-covid19"
    assert rec.data["id"] != "satgas-covid19"


def test_normalised_names():
    assert normalise_name("Pemko Medan") == normalise_name("Pemerintah Kota Medan")
    assert normalise_name("Direktorat Jendral Imigrasi") == normalise_name("Dirjen Imigrasi")


# --------------------------------------------------------------------------- activity status (issue 21)

REAL = DATA / "heldout" / "real"
"""Real Indonesian news reports (tests/data/extraction/README.md gives each address and title)."""


def _status_of(sentence: str, trigger: str):
    from graphmodel.extract.status import activity_status

    at = sentence.index(trigger)
    status, cue = activity_status(sentence, (at, at + len(trigger)))
    return (status.value if status is not None else "none"), cue


@pytest.mark.parametrize(("sentence", "trigger", "expected", "cue"), [
    # issue 21: "A wish ... must never become a delivered service"
    ("Kami berharap Pemerintah Kota Makassar dapat menyediakan layanan kesehatan", "layanan kesehatan", "hoped", "berharap"),
    # a hope outranks a plan in the same clause
    ("Kami berharap Pemkot akan menyediakan layanan kesehatan bagi pengungsi", "layanan kesehatan", "hoped", "berharap"),
    # seed source 004 (NTB): "IOM UN akan melakukan kerjasama" is announced, not done
    ("Sebagai informasi, IOM UN akan melakukan kerjasama dengan Pemerintah Provinsi NTB", "kerjasama", "planned", "akan"),
    # aceh_besar_rohingya.txt: "akan menangani 57 orang pengungsi Rohingya"
    ("UNHCR dan IOM akan menangani 57 orang pengungsi Rohingya", "menangani", "planned", "akan"),
    # makassar_bp2mi_pmi_sabah.txt: a commitment, and readiness, are plans
    ("BP2MI terus berkomitmen untuk memberikan bantuan maksimal kepada para PMI", "memberikan bantuan", "planned", "berkomitmen"),
    ("Intinya kami siap memfasilitasi hingga sampai ke daerah masing-masing", "memfasilitasi", "planned", "siap"),
    # kemensos_pemulangan_7300_pmi.txt: a headline's bare "Siapkan" is "menyiapkan"
    ("Kemensos Siapkan Pemulangan 7.300 Pekerja Migran", "Pemulangan", "planned", "Siapkan"),
    # makassar_satgas_ppln_rakor.txt: a hope, and a never
    ("Kepala Rudenim Makassar, Alimuddin, berharap adanya joint monitoring yang dapat dilaksanakan secara terjadwal oleh Satgas PPLN.",
     "joint monitoring", "hoped", "berharap"),
    ("Kami menyatakan tidak pernah memberikan dukungan terhadap aksi demonstrasi", "memberikan dukungan", "none", "tidak"),
    # belum = not yet: nothing is proposed, not even planned
    ("Dinas Kesehatan Kota Makassar belum menyediakan layanan kesehatan bagi pengungsi", "layanan kesehatan", "none", "belum"),
    # ... but a negation that describes the people ("yang belum") does not negate the help
    ("IOM memberikan bantuan biaya hidup kepada pengungsi yang belum terdaftar", "bantuan biaya hidup", "reported", "memberikan"),
    # aceh_besar_rohingya.txt: "tak jauh dari" (not far from) is no negation
    ("para pengungsi itu ditampung sementara di Gedung UPTD Dinsos Aceh di Ladong atau tak jauh dari lokasi pendaratan",
     "ditampung", "reported", "ditampung"),
    # aceh_besar_rohingya.txt: the akan is in a relative clause about UNHCR and IOM, the coordination is done
    ("mereka telah berkordinasi dengan pihak UNHCR dan IOM yang menyatakan akan menangani para kaum migran",
     "berkordinasi", "reported", "telah"),
    # ... and a new subject after "dan" starts a new clause: done, then ready
    ("saya telah koordinasi dengan perwakilan IOM dan mereka siap mendukung logistik", "koordinasi", "reported", "telah"),
    ("saya telah koordinasi dengan perwakilan IOM dan mereka siap mendukung logistik", "mendukung logistik", "planned", "siap"),
    # two clauses, two statuses
    ("Dinas Kesehatan belum menyediakan layanan kesehatan, sementara IOM akan memberikan pemeriksaan kesehatan",
     "pemeriksaan kesehatan", "planned", "akan"),
    # a clause that mixes a report and a plan is proposed at the weaker reading
    ("IOM telah menyalurkan bantuan dan akan menambah paket sembako", "bantuan", "planned", "akan"),
    # aceh_unhcr_keterbatasan_tempat.txt: a shortage of shelter is no shelter; a duty is not a delivery
    ("UNHCR mengalami kendala berupa keterbatasan tempat penampungan sementara dalam menangani pengungsi",
     "tempat penampungan", "none", "keterbatasan"),
    ("pemerintah Aceh dan kabupaten/kota memiliki kewajiban untuk menyediakan tempat bagi para pengungsi",
     "menyediakan tempat", "hoped", "kewajiban"),
    # seed source 002 (Kupang): stated protection and assistance is reported, like any stated activity
    ("Pentingnya kerjasama antara Rumah Detensi Imigrasi Kupang dan IOM dalam memberikan perlindungan dan bantuan kepada para pengungsi",
     "kerjasama", "reported", "memberikan"),
    # a plain statement with no cue is reported
    ("IOM Makassar bekerja sama dengan Rudenim Makassar", "bekerja sama", "reported", "bekerja sama"),
    # "akan tetapi" (however) and "kepastian akan" (certainty about) are no plans
    ("Akan tetapi, IOM menyalurkan bantuan tunai setiap bulan", "bantuan tunai", "reported", "menyalurkan"),
])
def test_activity_status_from_the_sentence_cue(sentence, trigger, expected, cue):
    """Expected values are read by hand from each sentence by the threshold of seed/README.md
    (graphmodel.model.schema.ActivityStatus); the comment names the article each sentence comes from."""
    assert _status_of(sentence, trigger) == (expected, cue)


def _status_table(gold_file: Path) -> tuple[Counter, list]:
    import yaml

    table: Counter = Counter()
    misses = []
    for row in yaml.safe_load(gold_file.read_text(encoding="utf-8")):
        text = (REAL / row["article"]).read_text(encoding="utf-8")
        assert row["sentence"] in text, row["sentence"]  # the labelled sentence is the article's own
        got, cue = _status_of(row["sentence"], row["trigger"])
        table[(row["status"], got)] += 1
        if got != row["status"]:
            misses.append((row["status"], got, cue, row["sentence"]))
    return table, misses


def _overclaims(table: Counter) -> int:
    """Statements labelled not done (planned, hoped, none) that came out reported: the mistake that matters."""
    return sum(n for (want, got), n in table.items() if got == "reported" and want != "reported")


def test_status_on_real_reports_tells_planned_hoped_and_done_apart():
    """33 activity statements of five real reports, labelled by hand in status_gold.yaml before the status
    rules were run on them. First run 28/33 (four over-claims, one under-claim); the rules were then fixed
    (headline "Siapkan", "bisa", shortage words, duty words, clause breaks at ", kemudian" and at "dan" before
    a new subject), so these articles are no longer unseen: see the frozen test below."""
    table, misses = _status_table(REAL / "status_gold.yaml")
    print("\n(label, proposed): count", dict(table), *misses, sep="\n")
    assert _overclaims(table) == 0, misses
    for status in ("reported", "planned", "hoped", "none"):
        assert table[(status, status)] >= 2, status  # each one told apart, more than once
    assert sum(n for (want, got), n in table.items() if want == got) == 33, misses


def test_status_on_unseen_real_reports_frozen_first_run():
    """13 statements of two more real reports, labelled (status_gold_frozen.yaml) after the rules were final,
    run once and never tuned on. That run: 10/13; two over-claims, both a call the cue lists do not hold
    ("Dia mengajak IOM ... untuk menangani", "Tugas Dinsos memfasilitasi": an invitation and a duty named
    by a noun), and one planned vaccination read as hoped (a "harus" earlier in its clause). Asserted as a
    floor: a change that makes the unseen reading worse fails here."""
    table, misses = _status_table(REAL / "status_gold_frozen.yaml")
    print("\n(label, proposed): count", dict(table), *misses, sep="\n")
    assert sum(n for (want, got), n in table.items() if want == got) >= 10, misses
    assert _overclaims(table) <= 2, misses


@pytest.fixture(scope="module")
def real(dataset):
    return extract_articles(sorted(REAL.glob("*.txt")), dataset=dataset)


def test_extraction_on_real_reports_matches_the_hand_labelled_statuses(real):
    """Every activity relationship proposed from the real reports has a hand label (relationships_gold.yaml,
    read from its quote); none labelled planned, hoped or not-done is proposed as reported, and the
    relationships labelled `none` (a shortage of shelter) are not proposed at all."""
    import yaml

    from graphmodel.model.schema import ACTIVITY_RELS

    labels = {(r["article"], r["type"], r["from"], r["to"], r.get("service")): r["status"]
              for r in yaml.safe_load((REAL / "relationships_gold.yaml").read_text(encoding="utf-8"))}
    proposed = {(d.article.path.name, r.data["type"], r.data["from"], r.data["to"], r.data.get("service")): r.data["status"]
                for d in real for r in d.relationships if r.data["type"] in {t.value for t in ACTIVITY_RELS}}
    assert set(proposed) <= set(labels), set(proposed) - set(labels)  # a new proposal needs a label first
    table = Counter((want, proposed.get(key, "none")) for key, want in labels.items())
    print("\n(label, proposed): count", dict(table))
    assert _overclaims(table) == 0
    assert table[("none", "none")] == sum(1 for s in labels.values() if s == "none")
    assert table[("planned", "planned")] >= 2 and table[("reported", "reported")] >= 10
    # the one miss: 20 Community Houses named in a call to keep order in them, proposed as hoped (safe side)
    assert sum(n for (want, got), n in table.items() if want != got) <= 1


def test_the_makassar_wish_never_becomes_a_delivered_service(tmp_path, dataset):
    """Issue 21: "Kami berharap Pemerintah Kota Makassar dapat menyediakan layanan kesehatan" must never become
    a delivered service. Added to the review article with a 'belum' sentence: the wish is proposed as hoped,
    IOM's announced check-ups as planned, and the 'belum' gives no proposal, only a line to check."""
    article = tmp_path / "makassar_wish.txt"
    article.write_text(
        (DATA / "review" / "makassar_pengungsi.txt").read_text(encoding="utf-8")
        + '\n"Kami berharap Pemerintah Kota Makassar dapat menyediakan layanan kesehatan bagi para pengungsi," '
          "kata Koordinator IOM Makassar.\n\nDinas Kesehatan Kota Makassar belum menyediakan layanan kesehatan bagi "
          "pengungsi, sementara IOM akan memberikan pemeriksaan kesehatan bagi pengungsi.\n", encoding="utf-8")
    (doc,) = extract_articles([article], dataset=dataset)
    health = {r.data["from"]: r for r in doc.relationships if r.data["type"] == "SERVES" and r.data["service"] == "health"}
    assert health["pemko-makassar"].data["status"] == "hoped"
    assert health["pemko-makassar"].data["notes"] == 'status hoped from "berharap"'
    assert health["pemko-makassar"].draft["cue"] == "berharap"
    assert health["iom"].data["status"] == "planned" and health["iom"].draft["cue"] == "akan"
    assert set(health) == {"pemko-makassar", "iom"}  # Dinas Kesehatan "belum": nothing
    assert any("not proposed: negated by 'belum'" in flag for flag in doc.mentions.flags)
    # the report in the same article stays reported
    cash = next(r for r in doc.relationships if r.data["type"] == "SERVES" and r.data["service"] == "basic_needs_cash")
    assert cash.data["status"] == "reported" and cash.draft["cue"] == "memberikan"


def test_every_proposed_activity_relationship_validates_with_its_status(five, heldout, real):
    """The schema requires a status on activity relationships (issue 21): each proposal, without its draft
    mapping, is a valid seed relationship, and its notes name what decided the status."""
    from pydantic import TypeAdapter

    from graphmodel.model.schema import ACTIVITY_RELS, Relationship

    adapter = TypeAdapter(Relationship)
    activity = {t.value for t in ACTIVITY_RELS}
    seen = Counter()
    for doc in [*five, *heldout, *real]:
        for rec in doc.relationships:
            rel = adapter.validate_python(rec.data)
            if rec.data["type"] in activity:
                seen[rel.status.value] += 1
                assert rec.data["notes"].startswith(f"status {rel.status.value}"), rec.data
    assert seen["reported"] and seen["planned"], seen
