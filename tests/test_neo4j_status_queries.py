"""Planner queries and how each relationship is known (issue 21): providers come with their status,
"who provides X" keeps only reported (or inferred) provision unless asked, and planned and hoped
activity has its own list.

Run against a real Neo4j loaded with the mini seed edited by hand (``test_export_status.status_seed``):
Rudenim Kupang's SERVES immigration_supervision to the Kupang refugees is *planned*, Hotel Lavender's
SHELTERS of them *hoped*, IOM Kupang's PART_OF IOM *inferred*. The mini seed has no programme and no
other SERVES or SHELTERS (``tests/data/mini_seed/relationships/kupang.yaml``), so each expectation
below follows from those three edits.
"""

from __future__ import annotations

import pytest
from neo4j_fixtures import reset_database
from test_export_status import status_seed

from graphmodel.db.queries import get_query, run_query
from graphmodel.db.write import load_dataset
from graphmodel.seed import load_seed

pytestmark = pytest.mark.neo4j

COHORT = "cohort-kupang"
SUPERVISION_QUOTE = "pengungsi luar negeri yang berada di bawah pengawasan Rumah Detensi Imigrasi Kupang"
SHELTER_QUOTE = "tersebar di 3 tempat penampungan, Hotel Lavender Kupang"


@pytest.fixture(scope="module")
def loaded(neo4j_driver, tmp_path_factory):
    reset_database(neo4j_driver)
    load_dataset(neo4j_driver, load_seed(status_seed(tmp_path_factory.mktemp("status") / "seed")))
    return neo4j_driver


def rows_of(driver, name: str, **params) -> list[dict]:
    columns, rows = run_query(driver, name, params)
    assert columns == get_query(name).returns
    return [dict(zip(columns, row, strict=True)) for row in rows]


def test_who_provides_leaves_out_planned_provision_unless_asked(loaded):
    # the only SERVES of the cohort is planned: not a service it receives
    assert rows_of(loaded, "services_for_cohort", cohort=COHORT, with_planned=None) == []
    assert rows_of(loaded, "services_for_cohort", cohort=COHORT, with_planned=False) == []
    rows = rows_of(loaded, "services_for_cohort", cohort=COHORT, with_planned=True)
    assert [(r["service"], r["provider_id"], r["role"], r["status"], r["last_seen"]) for r in rows] == [
        ("immigration_supervision", "rudenim-kupang", "SERVES", "planned", "2024-09-11"),
    ]


def test_who_shelters_leaves_out_a_hoped_shelter_unless_asked(loaded):
    assert rows_of(loaded, "cohort_shelters", cohort=COHORT, with_planned=None) == []
    rows = rows_of(loaded, "cohort_shelters", cohort=COHORT, with_planned=True)
    assert [(r["provider_id"], r["provider_type"], r["status"]) for r in rows] == [("hotel-lavender", "Facility", "hoped")]


def test_planned_and_hoped_activity_lists_both_with_their_quotes(loaded):
    expected = [
        ("hoped", "hotel-lavender", "SHELTERS", COHORT, None, [SHELTER_QUOTE]),
        ("planned", "rudenim-kupang", "SERVES", COHORT, "immigration_supervision", [SUPERVISION_QUOTE]),
    ]

    def answer(region):
        return [(r["status"], r["from_id"], r["rel_type"], r["to_id"], r["service"], r["quotes"])
                for r in rows_of(loaded, "planned_and_hoped_activity", region=region)]

    assert answer(None) == expected
    # the cohort is hosted by Kota Kupang, which is in Nusa Tenggara Timur (regions.yaml)
    assert answer("kota-kupang") == expected and answer("prov-ntt") == expected
    assert answer("no-such-region") == []  # the filter does filter: an unknown region holds nothing
    # the inferred PART_OF is neither planned nor hoped
    assert all(row[2] != "PART_OF" for row in answer(None))
