"""Every class of seed problem is reported as file:line: field: message, all at once.

Each test breaks a copy of the mini seed in one place; the expected file and
line are read off the edited text by hand (the line numbers below count from 1
in the files under tests/data/mini_seed/).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from graphmodel.errors import Problem, SeedValidationError
from graphmodel.seed import load_seed


def problems_of(seed: Path) -> list[Problem]:
    with pytest.raises(SeedValidationError) as info:
        load_seed(seed)
    return info.value.problems


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def test_clean_mini_seed_loads(mini_seed):
    ds = load_seed(mini_seed)
    assert len(ds.nodes) == 13 and len(ds.relationships) == 9


def test_yaml_syntax_error_names_line(mini_seed):
    edit(mini_seed / "agencies.yaml", "  kind: detention_centre", "  kind: [detention_centre")
    p = only(problems_of(mini_seed))
    assert (p.file, p.field) == ("agencies.yaml", "file") and "YAML syntax" in p.message
    assert p.line in (17, 18)  # libyaml reports the line where the flow sequence fails to close


def test_missing_required_field(mini_seed):
    edit(mini_seed / "agencies.yaml", "  level: regency_city\n  evidence:\n    - {source: src-kupang, quote: \"Rumah", "  evidence:\n    - {source: src-kupang, quote: \"Rumah")
    p = only(problems_of(mini_seed))
    # the record starts on line 13 ("- id: rudenim-kupang"); a missing field is reported at the record
    assert (p.file, p.line, p.field, p.message) == ("agencies.yaml", 13, "level", "required field is missing")


def test_unknown_field_is_an_error(mini_seed):
    edit(mini_seed / "cohorts.yaml", "  size: 171\n", "  size: 171\n  sise: 171\n")
    p = only(problems_of(mini_seed))
    assert (p.file, p.line, p.field, p.message) == ("cohorts.yaml", 5, "sise", "unknown field")


def test_wrong_type_and_unknown_enum(mini_seed):
    edit(mini_seed / "cohorts.yaml", "size: 171", "size: many")
    edit(mini_seed / "facilities.yaml", "kind: hotel_shelter", "kind: hotel")
    found = {(p.file, p.line, p.field) for p in problems_of(mini_seed)}
    assert found == {("cohorts.yaml", 4, "size"), ("facilities.yaml", 3, "kind")}


def test_negative_count(mini_seed):
    edit(mini_seed / "cohorts.yaml", "size: 171", "size: -171")
    p = only(problems_of(mini_seed))
    assert (p.file, p.line, p.field) == ("cohorts.yaml", 4, "size") and "greater than 0" in p.message


def test_nested_field_reports_its_own_line(mini_seed):
    edit(mini_seed / "meetings.yaml", '{source: src-kupang, quote: "Rabu (11/09/2024)"}', "{source: src-kupang}")
    p = only(problems_of(mini_seed))
    assert (p.file, p.line, p.field, p.message) == ("meetings.yaml", 9, "evidence[0].quote", "required field is missing")


def test_duplicate_id(mini_seed):
    edit(mini_seed / "facilities.yaml", "- id: hotel-lavender", "- id: iom-kupang")
    p = only([p for p in problems_of(mini_seed) if p.field == "id"])
    assert (p.file, p.line) == ("facilities.yaml", 1)
    assert "duplicate id 'iom-kupang' (first defined at agencies.yaml:6)" in p.message


def test_dangling_relationship_endpoint(mini_seed):
    edit(mini_seed / "relationships" / "kupang.yaml", "  to: iom\n", "  to: iom-geneva\n")
    p = only(problems_of(mini_seed))
    assert (p.file, p.line, p.field, p.message) == ("relationships/kupang.yaml", 3, "to", "no node with id 'iom-geneva'")


def test_endpoint_type_not_allowed(mini_seed):
    # SERVES must go Agency -> MigrantCohort; a facility cannot serve
    edit(mini_seed / "relationships" / "kupang.yaml", "- type: SERVES\n  from: rudenim-kupang", "- type: SERVES\n  from: hotel-lavender")
    p = only(problems_of(mini_seed))
    assert (p.file, p.line, p.field) == ("relationships/kupang.yaml", 27, "to")
    assert p.message.startswith("SERVES cannot go Facility->MigrantCohort (allowed: Agency->MigrantCohort)")


def test_relationship_without_evidence(mini_seed):
    edit(mini_seed / "relationships" / "kupang.yaml", "- type: HOSTED\n  from: rudenim-kupang\n  to: mtg-kupang-visit\n  evidence:\n    - {source: src-kupang, quote: \"Rumah Detensi Imigrasi Kupang mendapatkan kunjungan\"}", "- type: HOSTED\n  from: rudenim-kupang\n  to: mtg-kupang-visit\n  evidence: []")
    p = only(problems_of(mini_seed))
    assert (p.file, p.line, p.field) == ("relationships/kupang.yaml", 15, "evidence")


def test_quote_not_in_source(mini_seed):
    edit(mini_seed / "relationships" / "kupang.yaml", "tersebar di 3 tempat penampungan, Hotel Lavender Kupang", "tersebar di 4 tempat penampungan")
    p = only(problems_of(mini_seed))
    assert (p.file, p.line, p.field) == ("relationships/kupang.yaml", 40, "evidence[0].quote")
    assert "quote not found in source 'src-kupang'" in p.message


def test_quote_may_differ_in_whitespace_only(mini_seed):
    edit(mini_seed / "meetings.yaml", '"Rabu (11/09/2024)"', '"Rabu   (11/09/2024)"')
    load_seed(mini_seed)
    edit(mini_seed / "meetings.yaml", '"Rabu   (11/09/2024)"', '"rabu (11/09/2024)"')
    assert only(problems_of(mini_seed)).field == "evidence[0].quote"


def test_evidence_source_must_exist_and_be_a_source(mini_seed):
    edit(mini_seed / "meetings.yaml", "{source: src-kupang,", "{source: src-nowhere,")
    edit(mini_seed / "facilities.yaml", "{source: src-kupang,", "{source: kota-kupang,")
    found = {(p.file, p.line, p.field, p.message) for p in problems_of(mini_seed)}
    assert found == {
        ("meetings.yaml", 9, "evidence[0].source", "source 'src-nowhere' does not exist"),
        ("facilities.yaml", 5, "evidence[0].source", "source 'kota-kupang' is not a Source"),
    }


def test_region_code_name_and_parent_are_official(mini_seed):
    edit(mini_seed / "regions.yaml", 'code: "53.71"', 'code: "53.99"')
    p = only(problems_of(mini_seed))
    assert (p.file, p.line, p.field, p.message) == ("regions.yaml", 12, "code", "'53.99' is not an official Kemendagri code")


def test_region_official_name(mini_seed):
    edit(mini_seed / "regions.yaml", "name: Kota Kupang", "name: Kupang City")
    p = only(problems_of(mini_seed))
    assert (p.file, p.line, p.field) == ("regions.yaml", 10, "name") and "'Kota Kupang'" in p.message


def test_region_parent_must_be_its_province(mini_seed):
    edit(mini_seed / "regions.yaml", '  code: "53"', '  code: "52"')
    edit(mini_seed / "regions.yaml", "name: Nusa Tenggara Timur", "name: Nusa Tenggara Barat")
    p = only(problems_of(mini_seed))
    assert (p.file, p.line, p.field) == ("regions.yaml", 13, "parent")
    assert p.message == "53.71 lies in province 53, not in 52"


def test_inferred_date_needs_reasoning(mini_seed):
    edit(mini_seed / "meetings.yaml", "date_basis: stated", "date_basis: inferred")
    p = only(problems_of(mini_seed))
    assert (p.file, p.line) == ("meetings.yaml", 1) and "date_reasoning" in p.message


def test_duplicate_relationship(mini_seed):
    path = mini_seed / "relationships" / "kupang.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "- type: PART_OF\n  from: iom-kupang\n  to: iom\n  evidence:\n    - {source: src-kupang, quote: \"IOM Kupang\"}\n", encoding="utf-8")
    p = only(problems_of(mini_seed))
    assert (p.file, p.line, p.field) == ("relationships/kupang.yaml", 51, "type")
    assert "duplicate relationship PART_OF iom-kupang->iom (first at relationships/kupang.yaml:1)" in p.message


def test_derived_relationships_are_not_listed(mini_seed):
    path = mini_seed / "relationships" / "kupang.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "- type: LOCATED_IN\n  from: kota-kupang\n  to: prov-ntt\n  evidence:\n    - {source: src-kupang, quote: \"IOM Kupang\"}\n", encoding="utf-8")
    p = only(problems_of(mini_seed))
    assert (p.file, p.line, p.field) == ("relationships/kupang.yaml", 51, "type") and "derived" in p.message


def test_unknown_relationship_type(mini_seed):
    edit(mini_seed / "relationships" / "kupang.yaml", "- type: APPLIES", "- type: ENFORCES")
    p = only(problems_of(mini_seed))
    assert (p.file, p.line, p.field) == ("relationships/kupang.yaml", 41, "type")
    assert "unknown relationship type 'ENFORCES'" in p.message


def test_unknown_nationality(mini_seed):
    edit(mini_seed / "cohorts.yaml", "[Afghanistan, Pakistan]", "[Afghanistan, Pakistan, Etophia]")
    p = only(problems_of(mini_seed))
    assert (p.file, p.line, p.field) == ("cohorts.yaml", 6, "nationalities") and "'Etophia'" in p.message


def test_file_level_faults(mini_seed):
    (mini_seed / "people.yaml").write_text("", encoding="utf-8")
    (mini_seed / "programmes.yaml").write_bytes(b"- id: caf\xe9\n")
    (mini_seed / "agencie.yaml").write_text("- id: x\n", encoding="utf-8")
    (mini_seed / "relationships" / "bomb.yaml").write_text('- &a {type: PART_OF}\n- *a\n', encoding="utf-8")
    found = {(p.file, p.line, p.field): p.message for p in problems_of(mini_seed)}
    assert set(found) == {
        ("people.yaml", 1, "file"),
        ("programmes.yaml", 1, "file"),
        ("agencie.yaml", 0, "file"),
        ("relationships/bomb.yaml", 1, "file"),
    }
    assert "empty" in found[("people.yaml", 1, "file")]
    assert "UTF-8" in found[("programmes.yaml", 1, "file")]
    assert "unknown seed file" in found[("agencie.yaml", 0, "file")]
    assert "anchors and aliases" in found[("relationships/bomb.yaml", 1, "file")]


def test_not_a_list_and_not_a_mapping(mini_seed):
    (mini_seed / "people.yaml").write_text("id: x\nname: y\n", encoding="utf-8")
    (mini_seed / "programmes.yaml").write_text("- just a string\n", encoding="utf-8")
    found = {(p.file, p.line, p.field) for p in problems_of(mini_seed)}
    assert found == {("people.yaml", 1, "file"), ("programmes.yaml", 1, "[0]")}


def test_source_file_missing(mini_seed):
    (mini_seed / "sources" / "002_82afef0093a6f2c7.txt").unlink()
    problems = problems_of(mini_seed)
    assert problems[0] == Problem("sources.yaml", 1, "path", "no file 'sources/002_82afef0093a6f2c7.txt' in the seed folder")


def test_unreadable_node_file_does_not_flood_references(mini_seed):
    # every relationship names agencies; with agencies.yaml unreadable they would all dangle
    edit(mini_seed / "agencies.yaml", "  kind: detention_centre", "  kind: [detention_centre")
    assert [p.file for p in problems_of(mini_seed)] == ["agencies.yaml"]


def test_all_problems_are_reported_at_once(mini_seed):
    edit(mini_seed / "cohorts.yaml", "size: 171", "size: -1")
    edit(mini_seed / "relationships" / "kupang.yaml", "  to: iom\n", "  to: nobody\n")
    edit(mini_seed / "regions.yaml", 'code: "53.71"', 'code: "53.99"')
    assert len(problems_of(mini_seed)) == 3


def test_cli_reports_problems_exit_2_no_traceback_nothing_written(mini_seed, tmp_path):
    edit(mini_seed / "relationships" / "kupang.yaml", "  to: iom\n", "  to: nobody\n")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "report.md").write_text("previous report", encoding="utf-8")
    for args in (["validate", str(mini_seed)], ["run", "--seed", str(mini_seed), "--out", str(out_dir)]):
        proc = subprocess.run([sys.executable, "-m", "graphmodel.cli", *args], capture_output=True, text=True, stdin=subprocess.DEVNULL)
        assert proc.returncode == 2, proc.stderr
        assert "relationships/kupang.yaml:3: to: no node with id 'nobody'" in proc.stderr
        assert "Traceback" not in proc.stderr + proc.stdout
    assert sorted(p.name for p in out_dir.iterdir()) == ["report.md"]
    assert (out_dir / "report.md").read_text(encoding="utf-8") == "previous report"
    assert not list(tmp_path.glob(".out-staging-*"))
