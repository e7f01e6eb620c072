"""The planner query library (graphmodel/db/queries/*.cypher) against a real Neo4j loaded with the seed.

Every query has a test whose expected answer was worked out by hand from the
seed files (the comment above each expectation names the records used), not
by running the query. Further tests: the headers, read-only execution (a write
is refused and changes nothing), parameter handling, and the
``graphmodel query`` command.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SEED
from neo4j_fixtures import reset_database

from graphmodel.db.queries import (
    get_query,
    list_queries,
    parse_cli_params,
    parse_query_file,
    prepare_params,
    run_cypher,
    run_query,
)
from graphmodel.db.write import load_dataset
from graphmodel.errors import QueryError
from graphmodel.seed import load_seed

QUERY_DIR = ROOT / "graphmodel" / "db" / "queries"
QUERY_FILES = sorted(QUERY_DIR.glob("*.cypher"))
QUERY_NAMES = [p.stem for p in QUERY_FILES]


def test_the_query_files_are_where_the_library_reads_them():
    """The parametrised tests below run once per file found here: an empty folder would make them vacuous
    (it did, for a moment, when the queries moved under graphmodel/db/). The library lists the same names."""
    from graphmodel.db.queries import list_queries

    assert len(QUERY_NAMES) >= 17
    assert sorted(q.name for q in list_queries()) == QUERY_NAMES

# `graphmodel query ...` through graphmodel.cli.main (which turns QueryError into exit 2 and
# Neo4jUnavailable into exit 3); registers the command first if cli.py does not yet.
CLI = [
    sys.executable,
    "-c",
    "import graphmodel.cli as c\n"
    "from graphmodel.cli.query import register\n"
    "if not any(i.name == 'query' for i in c.app.registered_commands): register(c.app)\n"
    "c.main()",
    "query",
]


@pytest.fixture(scope="module")
def seeded(neo4j_driver):
    """The session driver on a database holding exactly the seed graph (loaded once for this module)."""
    reset_database(neo4j_driver)
    load_dataset(neo4j_driver, load_seed(SEED))
    return neo4j_driver


def rows_of(driver, name: str, **params) -> list[dict]:
    columns, rows = run_query(driver, name, params)
    assert columns == get_query(name).returns, "the header's returns line lists the columns in order"
    return [dict(zip(columns, row, strict=True)) for row in rows]


def by(rows: list[dict], key: str) -> dict:
    out = {row[key]: row for row in rows}
    assert len(out) == len(rows), f"{key} is not unique in the answer"
    return out


def counts(driver) -> tuple[int, int]:
    with driver.session() as s:
        nodes = s.run("MATCH (n) RETURN count(n) AS n").single()["n"]
        rels = s.run("MATCH ()-[r]->() RETURN count(r) AS n").single()["n"]
    return nodes, rels


# --------------------------------------------------------------------------- the files themselves


def test_library_has_at_least_twelve_queries_one_per_file():
    assert len(QUERY_FILES) >= 12
    assert [q.name for q in list_queries()] == QUERY_NAMES


_PARAM_EXAMPLE = re.compile(r"^:param (\w+) => (.+)$")


def _cypher_literal(text: str):
    """The value of a `:param x => ...` right-hand side (the forms the headers use)."""
    text = text.strip()
    if text == "null":
        return None
    if m := re.fullmatch(r"date\('(\d{4}-\d\d-\d\d)'\)", text):
        return dt.date.fromisoformat(m[1])
    if m := re.fullmatch(r"'([^']*)'", text):
        return m[1]
    if text in {"true", "false"}:
        return text == "true"
    if m := re.fullmatch(r"\[(.*)\]", text):
        return [item.strip().strip("'") for item in m[1].split(",") if item.strip()]
    return float(text) if "." in text else int(text)


@pytest.mark.parametrize("path", QUERY_FILES, ids=QUERY_NAMES)
def test_header_is_complete_and_examples_can_be_pasted(path: Path):
    q = parse_query_file(path.read_text(encoding="utf-8"), path.name)
    assert q.name == path.stem
    assert q.purpose and q.returns
    # every parameter has a type, an example and a description, and a `:param` line a planner
    # can paste into Neo4j Browser, with the same value as the header's "e.g."
    pasted = {}
    for line in q.examples:
        m = _PARAM_EXAMPLE.match(line)
        assert m, f"not a :param line: {line!r}"
        pasted[m[1]] = _cypher_literal(m[2])
    assert pasted == q.example_params()
    for spec in q.parameters.values():
        assert spec.example and spec.description
    # values only as $parameters: no string literal in the query is glued to a parameter
    assert not re.search(r"\$\w+\s*\+|\+\s*\$\w+", q.text)


def test_malformed_headers_are_refused_with_the_file_name():
    with pytest.raises(QueryError, match="x.cypher: header lacks '// purpose"):
        parse_query_file("// name: x\n// returns: a\nRETURN 1 AS a\n", "x.cypher")
    with pytest.raises(QueryError, match=r"undeclared parameter\(s\) \$who"):
        parse_query_file("// name: x\n// purpose: p\n// returns: a\nRETURN $who AS a\n", "x.cypher")
    with pytest.raises(QueryError, match="unknown type 'text'"):
        parse_query_file("// name: x\n// purpose: p\n// parameters: $a (text) e.g. 1 -- d\n// returns: a\nRETURN $a AS a\n", "x.cypher")


# --------------------------------------------------------------------------- parameters (no server needed)

_TYPED = parse_query_file(
    "// name: typed\n// purpose: p\n"
    "// parameters: $n (int) e.g. 3 -- a count\n"
    "// parameters: $x (float) e.g. 1.5 -- a share\n"
    "// parameters: $on (bool) e.g. true -- a switch\n"
    "// parameters: $ids (list<string>) e.g. a,b -- ids\n"
    "// parameters: $day (date?) e.g. 2020-01-01 -- a day\n"
    "// parameters: $who (string) e.g. 'iom' -- an id\n"
    "// returns: a\n"
    "RETURN [$n, $x, $on, $ids, $day, $who] AS a\n",
    "typed.cypher",
)


def test_cli_parameters_are_converted_to_the_declared_types():
    got = parse_cli_params(_TYPED, ["n=3", "x=1.5", "on=yes", "ids=iom, kemensos,", "day=2016-10-01", "who=x=y"])
    assert got == {"n": 3, "x": 1.5, "on": True, "ids": ["iom", "kemensos"], "day": dt.date(2016, 10, 1), "who": "x=y"}
    # an optional parameter left out, or given empty, is null
    assert parse_cli_params(_TYPED, ["n=3", "x=1", "on=false", "ids=a", "who=w"])["day"] is None
    assert parse_cli_params(_TYPED, ["n=3", "x=1", "on=false", "ids=a", "who=w", "day="])["day"] is None


@pytest.mark.parametrize(
    ("items", "message"),
    [
        (["n=three", "x=1", "on=true", "ids=a", "who=w"], "parameter n='three' is not a valid int"),
        (["n=3", "x=1", "on=maybe", "ids=a", "who=w"], "is not a valid bool"),
        (["n=3", "x=1", "on=true", "ids=a", "who=w", "day=1/10/2016"], "is not a valid date: expected an ISO date"),
        (["n=3", "x=1", "on=true", "ids=a"], r"needs parameter\(s\) who"),
        (["n=3", "x=1", "on=true", "ids=a", "who=w", "colour=red"], "has no parameter colour"),
        (["n=3", "n=4"], "given twice"),
        (["n"], "is not key=value"),
    ],
)
def test_bad_cli_parameters_raise_query_error(items, message):
    with pytest.raises(QueryError, match=message):
        parse_cli_params(_TYPED, items)


def test_unknown_query_and_missing_parameter_fail_before_touching_the_database():
    with pytest.raises(QueryError, match="unknown query 'no_such_query'; known queries: actors_in_region"):
        run_query(None, "no_such_query", {})  # type: ignore[arg-type]
    with pytest.raises(QueryError, match=r"needs parameter\(s\) region"):
        run_query(None, "cohorts_by_region", {})  # type: ignore[arg-type]
    with pytest.raises(QueryError, match="has no parameter regoin"):
        prepare_params(get_query("cohorts_by_region"), {"region": "kota-medan", "regoin": "x"})


# --------------------------------------------------------------------------- every query runs read-only


@pytest.mark.neo4j
@pytest.mark.parametrize("name", QUERY_NAMES)
def test_every_query_is_a_read_query_answering_its_example(seeded, name):
    q = get_query(name)
    columns, rows = run_query(seeded, name, q.example_params())
    assert columns == q.returns
    assert rows, "the header's example finds something in the seed"
    json.dumps(rows)  # plain values only
    with seeded.session(default_access_mode="READ") as s:
        assert s.run(q.text, q.example_params()).consume().query_type == "r"


# --------------------------------------------------------------------------- one test per query, answers by hand


@pytest.mark.neo4j
def test_agencies_met_agency(seeded):
    # IOM's family: iom, iom-indonesia (PART_OF iom, 000_medan), iom-medan (PART_OF iom-indonesia,
    # 000_medan), iom-kupang (PART_OF iom-indonesia, 002_kupang). Meetings between 2019-01-01 and
    # 2022-12-31 (meetings.yaml): the Sergai Rakor 2019-07-25, the Kemensos handover 2020-08-26, the
    # NTB audience 2022-02-21; IOM Indonesia ATTENDED all three (001, 003, 004). The other agencies
    # that ATTENDED/HOSTED them: 001_sergai: ditjen-imigrasi, its three directorates, pemkab-sergai,
    # kanwil-kemenkumham-sumut, polres, kodim; 003_kemensos: kemensos, ditjen-rehsos;
    # 004_ntb: pemprov-ntb, disnakertrans-ntb, dpmpd-dukcapil-ntb.
    rows = by(rows_of(seeded, "agencies_met_agency", agency="iom", since=dt.date(2019, 1, 1), until=dt.date(2022, 12, 31)), "agency_id")
    rakor, handover, audience = "mtg-2019-07-25-sergai-rakor", "mtg-2020-08-26-kemensos-handover", "mtg-2022-02-21-ntb-audience"
    expected = {
        "ditjen-imigrasi": rakor, "dit-lalu-lintas-keimigrasian": rakor, "dit-penindakan-pengawasan-keimigrasian": rakor,
        "dit-kerja-sama-keimigrasian": rakor, "pemkab-serdang-bedagai": rakor, "kanwil-kemenkumham-sumut": rakor,
        "polres-serdang-bedagai": rakor, "kodim-0204-deli-serdang": rakor,
        "kemensos": handover, "ditjen-rehsos": handover,
        "pemprov-ntb": audience, "disnakertrans-ntb": audience, "dpmpd-dukcapil-ntb": audience,
    }
    assert {a: r["meetings"] for a, r in rows.items()} == {a: [m] for a, m in expected.items()}
    assert {tuple(r["met_via"]) for r in rows.values()} == {("iom-indonesia",)}
    assert rows["kemensos"]["first_met"] == rows["kemensos"]["last_met"] == "2020-08-26"
    assert rows["pemkab-serdang-bedagai"]["kind"] == "regional_government"

    # A one-day window still catches the meeting of that day (the Rakor only).
    one_day = rows_of(seeded, "agencies_met_agency", agency="iom", since=dt.date(2019, 7, 25), until=dt.date(2019, 7, 25))
    assert {r["agency_id"] for r in one_day} == {a for a, m in expected.items() if m == rakor}

    # Rudenim Kupang met only IOM Kupang (002_kupang, 2024-09-11); no window bounds (nulls).
    assert [(r["agency_id"], r["meetings"]) for r in rows_of(seeded, "agencies_met_agency", agency="rudenim-kupang", since=None, until=None)] == [
        ("iom-kupang", ["mtg-2024-09-11-kupang-visit"])
    ]
    # IOM Indonesia's office IOM Kupang counts as IOM Indonesia, and is not listed as met by it.
    since_2024 = rows_of(seeded, "agencies_met_agency", agency="iom-indonesia", since=dt.date(2024, 1, 1), until=None)
    assert [(r["agency_id"], r["met_via"]) for r in since_2024] == [("rudenim-kupang", ["iom-kupang"])]


@pytest.mark.neo4j
def test_agencies_met_agency_on_topic_in_region(seeded):
    # North Sumatra's meetings (LOCATED_IN a region under prov-sumatera-utara): the Medan audience
    # (kota-medan, 000_medan) and the Sergai Rakor (kab-serdang-bedagai, 001_sergai). Only the Medan
    # audience is about refugees: it DISCUSSED cohort-medan-refugees ("Foreign refugees and
    # immigrants in Kota Medan"); the Rakor's topics and discussed items are about PMI-NP and TPPO.
    # IOM was there as iom-medan; the other agency was pemko-medan (HOSTED and ATTENDED).
    rows = rows_of(seeded, "agencies_met_agency_on_topic_in_region", agency="iom", topic="refugee", region="prov-sumatera-utara", since=dt.date(2016, 1, 1))
    assert [(r["agency_id"], r["meetings"], r["met_via"]) for r in rows] == [
        ("pemko-medan", ["mtg-2016-10-01-medan-audience"], ["iom-medan"])
    ]
    # The audience is dated 2016-10-01 (inferred): nothing since 2017.
    assert rows_of(seeded, "agencies_met_agency_on_topic_in_region", agency="iom", topic="refugee", region="prov-sumatera-utara", since=dt.date(2017, 1, 1)) == []
    # "MIGRANT" (any case) matches both: the audience's topic "... about 2,000 immigrants in Medan"
    # and the Rakor's topic "non-procedural Indonesian migrant workers (PMI-NP)".
    rows = rows_of(seeded, "agencies_met_agency_on_topic_in_region", agency="iom", topic="MIGRANT", region="prov-sumatera-utara", since=None)
    assert {r["agency_id"] for r in rows} == {
        "pemko-medan", "ditjen-imigrasi", "dit-lalu-lintas-keimigrasian", "dit-penindakan-pengawasan-keimigrasian",
        "dit-kerja-sama-keimigrasian", "pemkab-serdang-bedagai", "kanwil-kemenkumham-sumut", "polres-serdang-bedagai",
        "kodim-0204-deli-serdang",
    }
    # All of Indonesia: the Kupang visit (kota-kupang < prov-ntt < indonesia) is about refugees too.
    rows = rows_of(seeded, "agencies_met_agency_on_topic_in_region", agency="iom", topic="refugee", region="indonesia", since=None)
    assert [(r["agency_id"], r["met_via"]) for r in rows] == [("pemko-medan", ["iom-medan"]), ("rudenim-kupang", ["iom-kupang"])]


@pytest.mark.neo4j
def test_actors_in_region(seeded):
    # Kota Medan (000_medan, 001_sergai): four agencies with HAS_JURISDICTION there; iom-medan and
    # pemko-medan at the audience LOCATED_IN kota-medan; rudenim-medan OPERATES the detention house
    # located there; iom-medan and rudenim-medan SERVE the refugees kota-medan hosts; ditjen-imigrasi
    # IMPLEMENTS the cooperation programme that TARGETS (hoped) the PMI-NP cohort whose origins include
    # kota-medan (inferred: "daerah PMI terbesar"); iom-medan FUNDS and IMPLEMENTS the cash programme
    # targeting kota-medan. Ditjen Imigrasi SERVES no cohort since the seed was re-read (001_sergai: the
    # Rakor briefed officials, "sesi pemaparan materi dan diskusi", a meeting, not a service to migrants).
    # The query lists every tie whatever its status (the cooperation's TARGETS are hoped).
    rows = by(rows_of(seeded, "actors_in_region", region="kota-medan"), "agency_id")
    assert {a: r["ties"] for a, r in rows.items()} == {
        "dinsosnaker-medan": ["HAS_JURISDICTION -> kota-medan"],
        "ditjen-imigrasi": ["IMPLEMENTS -> prog-imigrasi-io-cooperation-pmi-np-tppo"],
        "iom-medan": [
            "ATTENDED -> mtg-2016-10-01-medan-audience", "FUNDS -> prog-iom-medan-cash", "HAS_JURISDICTION -> kota-medan",
            "IMPLEMENTS -> prog-iom-medan-cash", "SERVES -> cohort-medan-refugees",
        ],
        "pemko-medan": ["ATTENDED -> mtg-2016-10-01-medan-audience", "HAS_JURISDICTION -> kota-medan", "HOSTED -> mtg-2016-10-01-medan-audience"],
        "rudenim-medan": ["HAS_JURISDICTION -> kota-medan", "OPERATES -> rudenim-medan-facility", "SERVES -> cohort-medan-refugees"],
    }
    # Nusa Tenggara Barat and its regencies (004_ntb): pemprov-ntb and its two Dinas (jurisdiction,
    # the audience), the Lombok Timur DPRD (jurisdiction over kab-lombok-timur), and IOM Indonesia
    # (attended the audience located in prov-ntb; implements the programme targeting the Lombok regencies).
    rows = by(rows_of(seeded, "actors_in_region", region="prov-ntb"), "agency_id")
    assert set(rows) == {"pemprov-ntb", "disnakertrans-ntb", "dpmpd-dukcapil-ntb", "dprd-lombok-timur", "iom-indonesia"}
    assert rows["iom-indonesia"]["ties"] == ["ATTENDED -> mtg-2022-02-21-ntb-audience", "IMPLEMENTS -> prog-iom-ntb-migrant-protection"]
    assert rows_of(seeded, "actors_in_region", region="no-such-region") == []


@pytest.mark.neo4j
def test_cohorts_by_region(seeded):
    # cohorts.yaml + HOSTS_COHORT in 000_medan/001_sergai: North Sumatra's cities and regencies host
    # the Medan refugees (about 2,000, "sekitar 2.000": approximate, as of 2016-10-01, residing) and
    # the PMI-NP cohort (no number given: unknown; origin of Sergai, Deli Serdang, Medan, Langkat, Simalungun)
    # and, since the re-read, the Rakor's trafficking half (cohorts.yaml cohort-sergai-tppo-victims, "dan
    # Tindak Pidana Perdagangan Orang (TPPO)": no number; 001_sergai HOSTS_COHORT from kab-serdang-bedagai, origin).
    rows = by(rows_of(seeded, "cohorts_by_region", region="prov-sumatera-utara"), "cohort_id")
    assert set(rows) == {"cohort-medan-refugees", "cohort-sergai-pmi-np", "cohort-sergai-tppo-victims"}
    tppo = rows["cohort-sergai-tppo-victims"]
    assert (tppo["cohort_type"], tppo["size"], tppo["size_basis"], tppo["presence"], tppo["regions"]) == (
        "trafficking_victims", None, "unknown", ["origin"], ["kab-serdang-bedagai"]
    )
    refugees, pmi = rows["cohort-medan-refugees"], rows["cohort-sergai-pmi-np"]
    assert (refugees["size"], refugees["size_basis"], refugees["as_of"], refugees["presence"], refugees["regions"]) == (
        2000, "approximate", "2016-10-01", ["residing"], ["kota-medan"]
    )
    assert len(refugees["nationalities"]) == 12 and "Ethiopia" in refugees["nationalities"]  # "Etophia" normalised
    assert (pmi["size"], pmi["size_basis"], pmi["presence"]) == (None, "unknown", ["origin"])
    assert pmi["regions"] == ["kab-deli-serdang", "kab-langkat", "kab-serdang-bedagai", "kab-simalungun", "kota-medan"]
    # Kota Kupang: 171 Afghan and Pakistani refugees, a stated figure (002_kupang).
    [kupang] = rows_of(seeded, "cohorts_by_region", region="kota-kupang")
    assert (kupang["cohort_id"], kupang["size"], kupang["size_basis"], kupang["nationalities"]) == (
        "cohort-kupang-refugees", 171, "stated", ["Afghanistan", "Pakistan"]
    )
    # Kota Pontianak: returning and deported migrant workers in transit, labelled WNI M KPO by the ministry
    # (cohorts.yaml: cohort_type non_procedural_migrant_workers, not identified victims), size not given (003_kemensos).
    [kpo] = rows_of(seeded, "cohorts_by_region", region="kota-pontianak")
    assert (kpo["cohort_id"], kpo["cohort_type"], kpo["size"], kpo["size_basis"], kpo["presence"]) == (
        "cohort-pontianak-kpo", "non_procedural_migrant_workers", None, "unknown", ["transit"]
    )


@pytest.mark.neo4j
def test_programmes_targeting_region(seeded):
    # 004_ntb: the Zero Unprosedural Migrant programme TARGETS prov-ntb and cohort-ntb-pmi
    # (implemented by pemprov-ntb); the IOM-NTB protection programme TARGETS the two Lombok
    # regencies and cohort-ntb-pmi (implemented by iom-indonesia and pemprov-ntb). No FUNDS edge.
    # Every one of those TARGETS is planned ("terus berkomitmen untuk mewujudkan"; "IOM UN akan
    # melakukan kerjasama"), so both programmes are listed as planned, not delivered.
    rows = by(rows_of(seeded, "programmes_targeting_region", region="prov-ntb"), "programme_id")
    assert {p: r["status"] for p, r in rows.items()} == {
        "prog-ntb-zero-unprocedural-migrant": "planned", "prog-iom-ntb-migrant-protection": "planned",
    }
    assert {p: (r["targets"], r["implementers"], r["funders"]) for p, r in rows.items()} == {
        "prog-ntb-zero-unprocedural-migrant": (["cohort-ntb-pmi", "prov-ntb"], ["pemprov-ntb"], []),
        "prog-iom-ntb-migrant-protection": (
            ["cohort-ntb-pmi", "kab-lombok-barat", "kab-lombok-timur"], ["iom-indonesia", "pemprov-ntb"], []
        ),
    }
    assert rows["prog-iom-ntb-migrant-protection"]["services"] == ["prevention_awareness", "safe_return", "reintegration_livelihoods"]
    # Kota Medan: the cash programme targets the city and its refugees (000_medan, reported: "selalu
    # memberikan bantuan uang tunai"); Ditjen Imigrasi's cooperation targets the PMI-NP cohort, of which
    # Medan is an origin (001_sergai), and that targeting is hoped ("agar tetap memberikan perlindungan").
    rows = by(rows_of(seeded, "programmes_targeting_region", region="kota-medan"), "programme_id")
    assert {p: (r["targets"], r["status"]) for p, r in rows.items()} == {
        "prog-iom-medan-cash": (["cohort-medan-refugees", "kota-medan"], "reported"),
        "prog-imigrasi-io-cooperation-pmi-np-tppo": (["cohort-sergai-pmi-np"], "hoped"),
    }
    assert rows["prog-iom-medan-cash"]["funders"] == rows["prog-iom-medan-cash"]["implementers"] == ["iom-medan"]


@pytest.mark.neo4j
def test_programmes_targeting_cohort_type(seeded):
    # cohorts.yaml: the only trafficking_victims cohort is now cohort-sergai-tppo-victims (the Pontianak
    # cohort is non_procedural_migrant_workers: "WNI M KPO" is the ministry's label, not an identification).
    # 001_sergai: only Ditjen Imigrasi's cooperation (services [prevention_awareness], IMPLEMENTS
    # ditjen-imigrasi, no FUNDS) TARGETS it, and as a hope ("Diharapkan agar adanya sinergi ... dalam upaya
    # pencegahan perdagangan orang").
    rows = rows_of(seeded, "programmes_targeting_cohort_type", cohort_type="trafficking_victims")
    assert [(r["programme_id"], r["status"], r["services"], r["cohorts"], r["implementers"], r["funders"]) for r in rows] == [
        ("prog-imigrasi-io-cooperation-pmi-np-tppo", "hoped", ["prevention_awareness"], ["cohort-sergai-tppo-victims"], ["ditjen-imigrasi"], []),
    ]
    # Non-procedural workers: the PMI-NP cohort (the cooperation, hoped) and the Pontianak cohort (003_kemensos:
    # the hygiene kits, FUNDS iom-indonesia and IMPLEMENTS kemensos, TARGETS reported, "menyerahkan 2.500 paket
    # hygiene kit untuk PMI yang ada di transit pos"; IOM's Covid-19 response, IMPLEMENTS iom-indonesia,
    # TARGETS inferred, described for migrants "yang rentan" generally). status is that of the TARGETS.
    rows = by(rows_of(seeded, "programmes_targeting_cohort_type", cohort_type="non_procedural_migrant_workers"), "programme_id")
    assert {p: (r["status"], r["services"], r["cohorts"], r["implementers"], r["funders"]) for p, r in rows.items()} == {
        "prog-imigrasi-io-cooperation-pmi-np-tppo": ("hoped", ["prevention_awareness"], ["cohort-sergai-pmi-np"], ["ditjen-imigrasi"], []),
        "prog-iom-covid-migrant-response": ("inferred", ["health", "prevention_awareness"], ["cohort-pontianak-kpo"], ["iom-indonesia"], []),
        "prog-iom-hygiene-kits-pontianak": ("reported", ["health"], ["cohort-pontianak-kpo"], ["kemensos"], ["iom-indonesia"]),
    }
    # Refugees: only the Medan cash programme (no programme targets the Kupang refugees).
    assert [r["programme_id"] for r in rows_of(seeded, "programmes_targeting_cohort_type", cohort_type="foreign_refugees")] == ["prog-iom-medan-cash"]


@pytest.mark.neo4j
def test_cohort_shelters(seeded):
    # 000_medan: SHELTERS community-shelters-medan 1600 (stated) and rudenim-medan-facility 400
    # (stated), both reported, as of 2016-10-01, both LOCATED_IN kota-medan; rudenim-medan OPERATES
    # the detention house. No agency SERVES the cohort with 'shelter' since the re-read: Rudenim Medan's
    # is immigration supervision only ("400 orang lagi saat ini berada di Rumah Detensi Imigrasi"), and
    # the source names no operator of the community shelters. The query lists every SHELTERS record,
    # so the detention house is there, with its kind (facilities.yaml: detention_centre) to tell it apart.
    rows = rows_of(seeded, "cohort_shelters", cohort="cohort-medan-refugees")
    assert [(r["provider_id"], r["provider_type"], r["kind"], r["status"], r["count"], r["count_basis"], r["as_of"], r["regions"], r["operators"])
            for r in rows] == [
        ("community-shelters-medan", "Facility", "community_shelter", "reported", 1600, "stated", "2016-10-01", ["kota-medan"], []),
        ("rudenim-medan-facility", "Facility", "detention_centre", "reported", 400, "stated", "2016-10-01", ["kota-medan"], ["rudenim-medan"]),
    ]
    # 000_medan has no planned or hoped shelter: asking for them changes nothing.
    assert rows_of(seeded, "cohort_shelters", cohort="cohort-medan-refugees", with_planned=True) == rows
    # 002_kupang: three hotels, no count per hotel, nobody named as running them.
    rows = rows_of(seeded, "cohort_shelters", cohort="cohort-kupang-refugees")
    assert [(r["provider_id"], r["count"], r["as_of"], r["operators"]) for r in rows] == [
        ("hotel-ina-boi-kupang", None, "2024-09-11", []),
        ("hotel-kupang-inn", None, "2024-09-11", []),
        ("hotel-lavender-kupang", None, "2024-09-11", []),
    ]


@pytest.mark.neo4j
def test_services_for_cohort(seeded):
    # 003_kemensos: SERVES health from iom-indonesia (reported, 2020-08-26: "menyerahkan 2.500 paket
    # hygiene kit") and from kemensos (planned, 2020-08-27: "Bantuan ini segera kami distribusikan");
    # the hygiene kits (services [health], TARGETS the cohort reported) FUNDED by iom-indonesia (reported)
    # and IMPLEMENTED by kemensos (planned, the same "segera kami distribusikan"); the Covid-19 response
    # (services [health, prevention_awareness], TARGETS the cohort inferred) IMPLEMENTED by iom-indonesia
    # (reported), so inferred, the weaker of the two. By default only reported and inferred provision:
    # Kemensos's two planned rows are left out.
    kits, response = "prog-iom-hygiene-kits-pontianak", "prog-iom-covid-migrant-response"
    delivered = [
        ("health", "iom-indonesia", "FUNDS", kits, "reported", None),
        ("health", "iom-indonesia", "IMPLEMENTS", response, "inferred", None),
        ("health", "iom-indonesia", "SERVES", None, "reported", "2020-08-26"),
        ("prevention_awareness", "iom-indonesia", "IMPLEMENTS", response, "inferred", None),
    ]

    def answer(cohort, with_planned=None):
        rows = rows_of(seeded, "services_for_cohort", cohort=cohort, with_planned=with_planned)
        return [(r["service"], r["provider_id"], r["role"], r["programme_id"], r["status"], r["last_seen"]) for r in rows]

    assert answer("cohort-pontianak-kpo") == answer("cohort-pontianak-kpo", False) == delivered
    # Asked with planned provision, Kemensos's announced distribution comes back, marked planned.
    assert answer("cohort-pontianak-kpo", True) == [
        *delivered[:3],
        ("health", "kemensos", "IMPLEMENTS", kits, "planned", None),
        ("health", "kemensos", "SERVES", None, "planned", "2020-08-27"),
        delivered[3],
    ]
    # The Kupang refugees (002_kupang): immigration supervision from Rudenim Kupang and, since the re-read,
    # IOM Kupang's stated help ("dalam memberikan perlindungan dan bantuan kepada para pengungsi", read as
    # basic needs), both reported; nothing else.
    assert [(r[0], r[1], r[4]) for r in answer("cohort-kupang-refugees")] == [
        ("basic_needs_cash", "iom-kupang", "reported"), ("immigration_supervision", "rudenim-kupang", "reported"),
    ]
    # The NTB migrant workers (004_ntb): everything is planned (the province's commitment, "terus
    # berkomitmen untuk mewujudkan", and both programmes: "IOM UN akan melakukan kerjasama"), so nothing is
    # delivered; with planned provision, the province's SERVES and every implementer of the two programmes
    # for each of their services (programmes.yaml: Zero Unprosedural Migrant [prevention_awareness];
    # IOM-NTB protection [prevention_awareness, safe_return, reintegration_livelihoods]).
    assert answer("cohort-ntb-pmi") == []
    zero, protection = "prog-ntb-zero-unprocedural-migrant", "prog-iom-ntb-migrant-protection"
    assert answer("cohort-ntb-pmi", True) == [
        ("prevention_awareness", "iom-indonesia", "IMPLEMENTS", protection, "planned", None),
        ("prevention_awareness", "pemprov-ntb", "IMPLEMENTS", protection, "planned", None),
        ("prevention_awareness", "pemprov-ntb", "IMPLEMENTS", zero, "planned", None),
        ("prevention_awareness", "pemprov-ntb", "SERVES", None, "planned", "2022-02-21"),
        ("reintegration_livelihoods", "iom-indonesia", "IMPLEMENTS", protection, "planned", None),
        ("reintegration_livelihoods", "pemprov-ntb", "IMPLEMENTS", protection, "planned", None),
        ("safe_return", "iom-indonesia", "IMPLEMENTS", protection, "planned", None),
        ("safe_return", "pemprov-ntb", "IMPLEMENTS", protection, "planned", None),
    ]


@pytest.mark.neo4j
def test_planned_and_hoped_activity(seeded):
    # Every relationship record with `status: planned` or `status: hoped` in seed/relationships/
    # (13 planned, 3 hoped): 001_sergai: the cooperation's three TARGETS are hoped ("agar tetap memberikan
    # perlindungan", "Diharapkan agar adanya sinergi"); 003_kemensos: Kemensos's IMPLEMENTS of the kits and
    # its SERVES health ("Bantuan ini segera kami distribusikan") and its COOPERATES_WITH Kemenlu ("sedang
    # melakukan satu upaya agar") are planned; 004_ntb: all of the NTB programmes' IMPLEMENTS and TARGETS,
    # the province's SERVES and its COOPERATES_WITH IOM Indonesia are planned ("terus berkomitmen",
    # "IOM UN akan melakukan kerjasama"). Ordered by status, then from, type, to.
    cooperation, kits = "prog-imigrasi-io-cooperation-pmi-np-tppo", "prog-iom-hygiene-kits-pontianak"
    zero, protection = "prog-ntb-zero-unprocedural-migrant", "prog-iom-ntb-migrant-protection"
    hoped = [
        ("hoped", cooperation, "TARGETS", "cohort-sergai-pmi-np", None),
        ("hoped", cooperation, "TARGETS", "cohort-sergai-tppo-victims", None),
        ("hoped", cooperation, "TARGETS", "kab-serdang-bedagai", None),
    ]
    planned = [
        ("planned", "iom-indonesia", "IMPLEMENTS", protection, None),
        ("planned", "kemensos", "COOPERATES_WITH", "kemenlu", None),
        ("planned", "kemensos", "IMPLEMENTS", kits, None),
        ("planned", "kemensos", "SERVES", "cohort-pontianak-kpo", "health"),
        ("planned", "pemprov-ntb", "COOPERATES_WITH", "iom-indonesia", None),
        ("planned", "pemprov-ntb", "IMPLEMENTS", protection, None),
        ("planned", "pemprov-ntb", "IMPLEMENTS", zero, None),
        ("planned", "pemprov-ntb", "SERVES", "cohort-ntb-pmi", "prevention_awareness"),
        ("planned", protection, "TARGETS", "cohort-ntb-pmi", None),
        ("planned", protection, "TARGETS", "kab-lombok-barat", None),
        ("planned", protection, "TARGETS", "kab-lombok-timur", None),
        ("planned", zero, "TARGETS", "cohort-ntb-pmi", None),
        ("planned", zero, "TARGETS", "prov-ntb", None),
    ]

    def answer(region):
        return [(r["status"], r["from_id"], r["rel_type"], r["to_id"], r["service"]) for r in rows_of(seeded, "planned_and_hoped_activity", region=region)]

    assert answer(None) == hoped + planned
    # North Sumatra: only the cooperation, whose TARGETS reach kab-serdang-bedagai (001_sergai); the planned
    # activity is all in Jakarta's ministries, Pontianak and NTB.
    assert answer("prov-sumatera-utara") == hoped
    # Kota Pontianak: Kemensos's announced distribution, through the kits programme (which TARGETS the
    # city) and to the cohort the city hosts; its cooperation with Kemenlu is national (both HAS_JURISDICTION
    # indonesia only), so it is not listed. Each row carries its quotes (003_kemensos).
    rows = rows_of(seeded, "planned_and_hoped_activity", region="kota-pontianak")
    assert [(r["status"], r["from_id"], r["rel_type"], r["to_id"], r["quotes"], r["sources"]) for r in rows] == [
        ("planned", "kemensos", "IMPLEMENTS", kits,
         ["Melalui Kementerian Sosial RI, International Organization for Migration", "Bantuan ini segera kami distribusikan"],
         ["src-003", "src-003"]),
        ("planned", "kemensos", "SERVES", "cohort-pontianak-kpo",
         ["Melalui Kementerian Sosial RI, International Organization for Migration (IOM) Indonesia menyerahkan sejumlah bantuan",
          "Bantuan ini segera kami distribusikan"],
         ["src-003", "src-003"]),
    ]


@pytest.mark.neo4j
def test_meetings_on_topic(seeded):
    # meetings.yaml: the Rakor's topic "trafficking in persons (TPPO)", and it DISCUSSED
    # cohort-sergai-tppo-victims ("Trafficking victims (TPPO) among migrant workers ...", 001_sergai);
    # the Kemensos handover DISCUSSED prog-iom-covid-migrant-response ("... and trafficking victims")
    # (003_kemensos). The Pontianak cohort it also DISCUSSED is now "Returning and deported Indonesian
    # migrant workers (labelled WNI M KPO) ..." (cohorts.yaml), and its aliases are Indonesian: no match.
    rows = rows_of(seeded, "meetings_on_topic", topic="trafficking")
    assert [(r["meeting_id"], r["matched"]) for r in rows] == [
        ("mtg-2019-07-25-sergai-rakor", ["topic: trafficking in persons (TPPO)", "discussed: cohort-sergai-tppo-victims"]),
        ("mtg-2020-08-26-kemensos-handover", ["discussed: prog-iom-covid-migrant-response"]),
    ]
    assert rows[1]["attendees"] == ["ditjen-rehsos", "iom-indonesia", "kemensos"]
    assert (rows[1]["date"], rows[1]["date_basis"], rows[1]["region"]) == ("2020-08-26", "inferred", ["prov-dki-jakarta"])
    # Case-insensitive; the Medan audience is about refugees only through the cohort it discussed,
    # the Kupang visit through two topics and its cohort.
    rows = rows_of(seeded, "meetings_on_topic", topic="REFUGEE")
    assert [(r["meeting_id"], r["matched"]) for r in rows] == [
        ("mtg-2016-10-01-medan-audience", ["discussed: cohort-medan-refugees"]),
        ("mtg-2024-09-11-kupang-visit", [
            "topic: the situation of foreign refugees under Rudenim Kupang and IOM Kupang supervision",
            "topic: information and experience sharing on handling refugees",
            "discussed: cohort-kupang-refugees",
        ]),
    ]
    # An Indonesian acronym: in the Rakor's topic and name and in the names of what it discussed.
    [rakor] = rows_of(seeded, "meetings_on_topic", topic="pmi-np")
    assert rakor["matched"] == [
        "topic: non-procedural Indonesian migrant workers (PMI-NP)", "name",
        "discussed: cohort-sergai-pmi-np", "discussed: prog-imigrasi-io-cooperation-pmi-np-tppo",
    ]
    assert rows_of(seeded, "meetings_on_topic", topic="tsunami") == []


@pytest.mark.neo4j
def test_evidence_for_relationship(seeded):
    # 001_sergai.yaml, COOPERATES_WITH ditjen-imigrasi -> iom-indonesia: three quotes from src-001,
    # whose sources.yaml record is Realitasnews.com, 2019-07-25 (inferred), sources/001_908d840d89891c83.txt.
    expected_quotes = [
        "Direktorat Jenderal Imigrasi selalu berkoordinasi dengan para pemangku kepentingan",
        "kerjasama Keimigrasian dengan Organisasi Internasional",
        "perwakilan International Organization for Migration (IOM) Indonesia Riza",
    ]
    rows = rows_of(seeded, "evidence_for_relationship", **{"from": "ditjen-imigrasi", "type": "COOPERATES_WITH", "to": "iom-indonesia"})
    assert [r["quote"] for r in rows] == expected_quotes
    assert {(r["from_id"], r["rel_type"], r["to_id"], r["derived"], r["source_id"], r["outlet"], r["published"], r["date_basis"], r["path"]) for r in rows} == {
        ("ditjen-imigrasi", "COOPERATES_WITH", "iom-indonesia", False, "src-001", "Realitasnews.com", "2019-07-25", "inferred", "sources/001_908d840d89891c83.txt")
    }
    # The ends in the other order and the type in lower case give the same chain.
    reverse = rows_of(seeded, "evidence_for_relationship", **{"from": "iom-indonesia", "type": "cooperates_with", "to": "ditjen-imigrasi"})
    assert reverse == rows
    # 000_medan.yaml: one SERVES from rudenim-medan to the Medan refugees, immigration_supervision, with
    # one quote from src-000 (outlet not printed, 2016-10-01); its 'shelter' SERVES was dropped when the
    # seed was re-read (detention is not shelter).
    rows = rows_of(seeded, "evidence_for_relationship", **{"from": "rudenim-medan", "type": "SERVES", "to": "cohort-medan-refugees"})
    quote = "400 orang lagi saat ini berada di Rumah Detensi Imigrasi (Rudenim) Jalan Selebes"
    assert [(r["rel_key"], r["quote"], r["source_id"], r["outlet"]) for r in rows] == [
        ("SERVES:immigration_supervision", quote, "src-000", "unknown (not printed in the document)"),
    ]
    # A derived hierarchy edge: Kota Medan LOCATED_IN Sumatera Utara, from the Kemendagri list row
    # "12.71,12,Kota Medan" (graphmodel/data/idn-area-data/regencies.csv, source idn-area-regencies).
    [row] = rows_of(seeded, "evidence_for_relationship", **{"from": "kota-medan", "type": "LOCATED_IN", "to": "prov-sumatera-utara"})
    assert (row["derived"], row["quote"], row["source_id"], row["published"], row["url"]) == (
        True, "12.71,12,Kota Medan", "idn-area-regencies", None, "https://github.com/fityannugroho/idn-area-data"
    )
    # Meetings and the agencies attending them are not PART_OF each other.
    assert rows_of(seeded, "evidence_for_relationship", **{"from": "iom-indonesia", "type": "PART_OF", "to": "mtg-2019-07-25-sergai-rakor"}) == []


@pytest.mark.neo4j
def test_evidence_for_node(seeded):
    # agencies.yaml, iom-kupang: two quotes, both from src-002 (2024-09-11, outlet not printed).
    rows = rows_of(seeded, "evidence_for_node", node="iom-kupang")
    assert [(r["quote"], r["source_id"], r["published"], r["path"]) for r in rows] == [
        ("mendapatkan kunjungan dari International Of Migration (IOM) Kupang", "src-002", "2024-09-11", "sources/002_82afef0093a6f2c7.txt"),
        ("Plt. Kepala IOM Kupang Herman Rabu", "src-002", "2024-09-11", "sources/002_82afef0093a6f2c7.txt"),
    ]
    assert {(r["node_label"], r["node_name"]) for r in rows} == {("Agency", "IOM Kupang")}
    # iom (agencies.yaml): quoted from three documents, one quote each.
    assert [r["source_id"] for r in rows_of(seeded, "evidence_for_node", node="iom")] == ["src-000", "src-003", "src-004"]


@pytest.mark.neo4j
def test_regions_without_programme_service(seeded):
    # Regions hosting a cohort (HOSTS_COHORT in all five relationship files): kota-medan (refugees,
    # PMI-NP), kab-serdang-bedagai (PMI-NP, TPPO victims), kab-deli-serdang, kab-langkat, kab-simalungun
    # (PMI-NP), kota-kupang (refugees), kota-pontianak (KPO), indonesia (GBV victims, 003_kemensos),
    # prov-ntb, kab-lombok-timur, kab-lombok-barat (NTB PMI).
    # Programmes with prevention_awareness (programmes.yaml) and what they TARGET, with the status:
    # the Imigrasi cooperation (cohort-sergai-pmi-np, kab-serdang-bedagai, cohort-sergai-tppo-victims:
    # all hoped, "agar tetap memberikan perlindungan", "Diharapkan agar adanya sinergi"), IOM's Covid-19
    # response (cohort-pontianak-kpo, inferred), Zero Unprosedural Migrant (prov-ntb, cohort-ntb-pmi:
    # planned, "terus berkomitmen untuk mewujudkan"), IOM-NTB protection (both Lombok regencies,
    # cohort-ntb-pmi: planned, "IOM UN akan melakukan kerjasama"). Only reported or inferred targeting
    # covers a region, so only Kota Pontianak is covered; the others list the programmes aimed there
    # (hoped or planned, or without the service) in programmes_there.
    cooperation, cash = "prog-imigrasi-io-cooperation-pmi-np-tppo", "prog-iom-medan-cash"
    ntb = ["prog-iom-ntb-migrant-protection", "prog-ntb-zero-unprocedural-migrant"]
    rows = rows_of(seeded, "regions_without_programme_service", service="prevention_awareness", cohort_type=None)
    assert [(r["region_id"], r["cohorts"], r["programmes_there"]) for r in rows] == [
        ("indonesia", ["cohort-gbv-victims-iom-assisted"], []),
        ("kab-deli-serdang", ["cohort-sergai-pmi-np"], [cooperation]),
        ("kab-langkat", ["cohort-sergai-pmi-np"], [cooperation]),
        ("kab-lombok-barat", ["cohort-ntb-pmi"], ntb),
        ("kab-lombok-timur", ["cohort-ntb-pmi"], ntb),
        ("kab-serdang-bedagai", ["cohort-sergai-pmi-np", "cohort-sergai-tppo-victims"], [cooperation]),
        ("kab-simalungun", ["cohort-sergai-pmi-np"], [cooperation]),
        ("kota-kupang", ["cohort-kupang-refugees"], []),
        ("kota-medan", ["cohort-medan-refugees", "cohort-sergai-pmi-np"], [cooperation, cash]),
        ("prov-ntb", ["cohort-ntb-pmi"], ntb),
    ]
    # Counting refugee cohorts only: Kota Kupang and Kota Medan, whose refugees get only the cash programme.
    rows = rows_of(seeded, "regions_without_programme_service", service="prevention_awareness", cohort_type="foreign_refugees")
    assert [(r["region_id"], r["cohorts"], r["programmes_there"]) for r in rows] == [
        ("kota-kupang", ["cohort-kupang-refugees"], []),
        ("kota-medan", ["cohort-medan-refugees"], ["prog-iom-medan-cash"]),
    ]
    # safe_return is offered only by the IOM-NTB programme, which is planned ("IOM UN akan melakukan
    # kerjasama"): no region is covered, the NTB regions included, where the announced programme is
    # listed beside the gap ("What is the referral path for a worker returned through Pontianak?": none recorded).
    rows = rows_of(seeded, "regions_without_programme_service", service="safe_return", cohort_type=None)
    assert [r["region_id"] for r in rows] == [
        "indonesia", "kab-deli-serdang", "kab-langkat", "kab-lombok-barat", "kab-lombok-timur", "kab-serdang-bedagai",
        "kab-simalungun", "kota-kupang", "kota-medan", "kota-pontianak", "prov-ntb",
    ]
    gaps = by(rows, "region_id")
    assert gaps["kota-pontianak"]["programmes_there"] == ["prog-iom-covid-migrant-response", "prog-iom-hygiene-kits-pontianak"]
    assert gaps["kab-lombok-timur"]["programmes_there"] == gaps["prov-ntb"]["programmes_there"] == ntb


@pytest.mark.neo4j
def test_agencies_same_cohort_never_met(seeded):
    # SERVES in the seed: iom-medan (basic_needs_cash) and rudenim-medan (immigration_supervision only
    # since the re-read) -> Medan refugees (000_medan); rudenim-kupang and iom-kupang -> Kupang refugees
    # (002); iom-indonesia and kemensos (planned) -> KPO, iom-indonesia -> GBV victims (003); pemprov-ntb
    # (planned) -> NTB PMI (004). Three cohorts have two providers: Rudenim Kupang and IOM Kupang met at
    # the visit (002), IOM Indonesia and Kemensos at the handover (003); IOM Medan met only Pemko Medan
    # (000) and Rudenim Medan attended no meeting, and they have no COOPERATES_WITH.
    rows = rows_of(seeded, "agencies_same_cohort_never_met", cohort=None)
    assert rows == [{
        "cohort_id": "cohort-medan-refugees", "agency_a": "iom-medan", "services_a": ["basic_needs_cash"],
        "agency_b": "rudenim-medan", "services_b": ["immigration_supervision"], "cooperates": False,
    }]
    assert rows_of(seeded, "agencies_same_cohort_never_met", cohort="cohort-pontianak-kpo") == []


@pytest.mark.neo4j
def test_shortest_coordination_path(seeded):
    # rudenim-medan's only coordination tie is PART_OF ditjen-imigrasi (000_medan); polres-sergai's
    # only one is ATTENDED the Rakor (001), which ditjen-imigrasi HOSTED and ATTENDED: 3 steps.
    [row] = rows_of(seeded, "shortest_coordination_path", **{"from": "rudenim-medan", "to": "polres-serdang-bedagai"})
    assert row["hops"] == 3
    assert row["node_ids"] == ["rudenim-medan", "ditjen-imigrasi", "mtg-2019-07-25-sergai-rakor", "polres-serdang-bedagai"]
    assert row["node_labels"] == ["Agency", "Agency", "Meeting", "Agency"]
    assert row["rel_types"][0] == "PART_OF" and row["rel_types"][1] in {"ATTENDED", "HOSTED"} and row["rel_types"][2] == "ATTENDED"
    # the Path value comes back as plain dicts
    assert [n["id"] for n in row["path"]["nodes"]] == row["node_ids"]
    assert [r["type"] for r in row["path"]["relationships"]] == row["rel_types"]
    # IOM Kupang is PART_OF IOM Indonesia (002, inferred). IOM Indonesia's COOPERATES_WITH Pemprov NTB is only planned
    # ("IOM UN akan melakukan kerjasama", 004), and a planned cooperation is no path (issue 21); the two did meet at
    # the NTB audience (004: IOM Indonesia ATTENDED, Pemprov NTB HOSTED and ATTENDED it): 3 steps, no shorter way.
    [row] = rows_of(seeded, "shortest_coordination_path", **{"from": "iom-kupang", "to": "pemprov-ntb"})
    assert row["node_ids"] == ["iom-kupang", "iom-indonesia", "mtg-2022-02-21-ntb-audience", "pemprov-ntb"]
    assert row["rel_types"][:2] == ["PART_OF", "ATTENDED"] and row["rel_types"][2] in {"ATTENDED", "HOSTED"}
    # DPRD Lombok Timur has only HAS_JURISDICTION and a past office holder: no coordination path.
    assert rows_of(seeded, "shortest_coordination_path", **{"from": "dprd-lombok-timur", "to": "iom"}) == []


@pytest.mark.neo4j
def test_all_shortest_coordination_paths(seeded):
    # kemensos' ties: iom-indonesia, kemenlu (COOPERATES_WITH, the latter planned), ditjen-rehsos (PART_OF),
    # the handover, the hygiene kits; rudenim-kupang's: ditjen-imigrasi (PART_OF, inferred), iom-kupang
    # (COOPERATES_WITH), the Kupang visit. No common neighbour; two 3-step bridges through IOM Indonesia,
    # which COOPERATES_WITH ditjen-imigrasi (001, inferred) and has iom-kupang as PART_OF (002, inferred).
    # Ditjen Imigrasi's new inferred PART_OF kemenkumham (001) adds no shorter way: kemensos has no tie to it.
    rows = rows_of(seeded, "all_shortest_coordination_paths", **{"from": "kemensos", "to": "rudenim-kupang"})
    assert [(r["hops"], r["node_ids"], r["rel_types"]) for r in rows] == [
        (3, ["kemensos", "iom-indonesia", "ditjen-imigrasi", "rudenim-kupang"], ["COOPERATES_WITH", "COOPERATES_WITH", "PART_OF"]),
        (3, ["kemensos", "iom-indonesia", "iom-kupang", "rudenim-kupang"], ["COOPERATES_WITH", "PART_OF", "COOPERATES_WITH"]),
    ]


@pytest.mark.neo4j
def test_agency_meeting_timeline(seeded):
    # IOM's five meetings (meetings.yaml), through its offices: Medan 2016 (iom-medan, visitor,
    # inferred date), Sergai 2019 (iom-indonesia, speaker), Kemensos 2020 (iom-indonesia, speaker,
    # inferred), NTB 2022 (iom-indonesia, visitor, inferred), Kupang 2024 (iom-kupang, visitor).
    rows = rows_of(seeded, "agency_meeting_timeline", agency="iom")
    assert [(r["date"], r["date_basis"], r["attended_as"], r["roles"]) for r in rows] == [
        ("2016-10-01", "inferred", ["iom-medan"], ["visitor"]),
        ("2019-07-25", "stated", ["iom-indonesia"], ["speaker"]),
        ("2020-08-26", "inferred", ["iom-indonesia"], ["speaker"]),
        ("2022-02-21", "inferred", ["iom-indonesia"], ["visitor"]),
        ("2024-09-11", "stated", ["iom-kupang"], ["visitor"]),
    ]
    assert rows[4]["others"] == ["rudenim-kupang"] and rows[4]["discussed"] == ["cohort-kupang-refugees"]
    assert rows[3]["format"] == "online" and rows[3]["region"] == ["prov-ntb"]
    # Ditjen Imigrasi's offices (PART_OF it): its three directorates (001_sergai) and the two
    # detention houses (000_medan, 002_kupang). So its timeline has the Rakor, which it HOSTED and
    # ATTENDED as host with its directorates as speakers, and the Kupang visit, hosted by Rudenim Kupang.
    rakor, visit = rows_of(seeded, "agency_meeting_timeline", agency="ditjen-imigrasi")
    assert rakor["attended_as"] == ["dit-kerja-sama-keimigrasian", "dit-lalu-lintas-keimigrasian", "dit-penindakan-pengawasan-keimigrasian", "ditjen-imigrasi"]
    assert set(rakor["roles"]) == {"host", "host (HOSTED)", "speaker"}
    assert rakor["others"] == ["iom-indonesia", "kanwil-kemenkumham-sumut", "kodim-0204-deli-serdang", "pemkab-serdang-bedagai", "polres-serdang-bedagai"]
    assert (visit["meeting_id"], visit["attended_as"], visit["others"]) == ("mtg-2024-09-11-kupang-visit", ["rudenim-kupang"], ["iom-kupang"])


# --------------------------------------------------------------------------- writes are refused


@pytest.mark.neo4j
@pytest.mark.parametrize(
    "statement",
    [
        "CREATE (n:Agency {id: $id, name: 'intruder'}) RETURN n",
        "MATCH (n {id: $id}) DETACH DELETE n",
        "MATCH (n:Agency) SET n.name = $id RETURN count(n)",
        "MERGE (a:Agency {id: $id})",
    ],
)
def test_a_write_through_the_read_path_is_refused_and_changes_nothing(seeded, statement):
    before = counts(seeded)
    with pytest.raises(QueryError, match="tried to write .*Neo.ClientError.Statement.AccessMode.*nothing was changed"):
        run_cypher(seeded, statement, {"id": "iom"})
    assert counts(seeded) == before
    with seeded.session() as s:
        assert s.run("MATCH (n:Agency {id: 'iom'}) RETURN n.name AS name").single()["name"] == "International Organization for Migration"


@pytest.mark.neo4j
def test_hostile_parameter_values_are_only_data(seeded):
    before = counts(seeded)
    hostile = "x'}) DETACH DELETE n //"
    assert rows_of(seeded, "agencies_met_agency", agency=hostile, since=None, until=None) == []
    assert rows_of(seeded, "meetings_on_topic", topic=hostile) == []
    assert rows_of(seeded, "evidence_for_relationship", **{"from": hostile, "type": "SERVES]->() DELETE r //", "to": hostile}) == []
    assert counts(seeded) == before


@pytest.mark.neo4j
def test_a_cypher_error_is_a_query_error(seeded):
    with pytest.raises(QueryError, match="Neo.ClientError.Statement.SyntaxError"):
        run_cypher(seeded, "MATCH (n RETURN n", {})


# --------------------------------------------------------------------------- the command line


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*CLI, *args], capture_output=True, text=True, stdin=subprocess.DEVNULL, cwd=ROOT,
        env={**os.environ, **(env or {})}, timeout=120,
    )


def test_cli_list_names_every_query_with_purpose_and_parameters():
    proc = cli("--list", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    listed = json.loads(proc.stdout)
    assert [q["name"] for q in listed] == QUERY_NAMES
    met = next(q for q in listed if q["name"] == "agencies_met_agency")
    assert met["parameters"]["since"] == {"type": "date?", "example": "2016-01-01", "description": "first day of the window; null for no lower bound"}
    proc = cli("--list")
    assert proc.returncode == 0, proc.stderr
    for name in QUERY_NAMES:
        assert name in proc.stdout


def test_cli_unknown_query_and_missing_parameter_exit_2():
    proc = cli("no_such_query")
    assert proc.returncode == 2
    assert "unknown query 'no_such_query'" in proc.stderr and "Traceback" not in proc.stderr
    proc = cli("cohorts_by_region")
    assert proc.returncode == 2
    assert "needs parameter(s) region (e.g. --param region=prov-sumatera-utara)" in proc.stderr
    proc = cli("cohorts_by_region", "--param", "region=kota-medan", "--param", "colour=red")
    assert proc.returncode == 2 and "has no parameter colour" in proc.stderr


def test_cli_without_a_server_exits_3():
    proc = cli("cohorts_by_region", "-p", "region=kota-medan", env={"NEO4J_URI": "bolt://127.0.0.1:9", "NEO4J_PASSWORD": "not-the-password"})
    assert proc.returncode == 3, proc.stderr
    assert "cannot reach Neo4j at bolt://127.0.0.1:9" in proc.stderr and "not-the-password" not in proc.stderr


def test_cli_show_prints_the_file():
    proc = cli("cohorts_by_region", "--show")
    assert proc.returncode == 0
    assert proc.stdout == (QUERY_DIR / "cohorts_by_region.cypher").read_text(encoding="utf-8")


@pytest.mark.neo4j
def test_cli_json_output(seeded):
    proc = cli("agencies_met_agency", "--param", "agency=iom", "--param", "since=2024-01-01", "--param", "until=", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    # since 2024 only the Kupang visit (002_kupang): IOM Kupang met Rudenim Kupang
    assert data["parameters"] == {"agency": "iom", "since": "2024-01-01", "until": None}
    assert data["columns"] == get_query("agencies_met_agency").returns
    assert [(r["agency_id"], r["meetings"], r["first_met"], r["met_via"]) for r in data["rows"]] == [
        ("rudenim-kupang", ["mtg-2024-09-11-kupang-visit"], "2024-09-11", ["iom-kupang"])
    ]


@pytest.mark.neo4j
def test_cli_csv_output(seeded):
    proc = cli("cohort_shelters", "-p", "cohort=cohort-medan-refugees", "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    table = list(csv.DictReader(io.StringIO(proc.stdout)))
    # 000_medan: 1,600 in community shelters, 400 in the detention house run by Rudenim Medan (no agency
    # SERVES them with 'shelter' since the re-read); both reported
    assert [(r["provider_id"], r["status"], r["count"], r["operators"]) for r in table] == [
        ("community-shelters-medan", "reported", "1600", ""),
        ("rudenim-medan-facility", "reported", "400", "rudenim-medan"),
    ]


@pytest.mark.neo4j
def test_cli_table_output(seeded):
    proc = cli("cohorts_by_region", "-p", "region=kota-kupang", env={"COLUMNS": "300"})
    assert proc.returncode == 0, proc.stderr
    assert "cohort-kupang-refugees" in proc.stdout and "171" in proc.stdout and "1 row(s)" in proc.stderr


def test_the_planner_guide_lists_every_query():
    guide = (ROOT / "docs" / "planner-queries.md").read_text(encoding="utf-8")
    for q in list_queries():
        assert f"| `{q.name}` | {q.purpose} |" in guide, f"docs/planner-queries.md lacks the row of {q.name}"
