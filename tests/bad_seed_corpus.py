"""The bad-input corpus for seeds: each case breaks a copy of tests/data/mini_seed in one way.

Each case names the edit and the one problem it must produce, as
``(file, line, field, part of the message)``. Lines were read off the mini
seed's files by hand (``nl -ba``) after imagining the edit; a case whose edit
adds lines says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Case:
    id: str
    file: str
    old: str | None  # text to replace; None = replace the whole file with `new`
    new: str | bytes
    expect: tuple[str, int, str, str]  # file, line, field, message fragment


def apply(case: Case, seed: Path) -> None:
    path = seed / case.file
    if case.old is None:
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(case.new, bytes):
            path.write_bytes(case.new)
        else:
            path.write_text(case.new, encoding="utf-8")
        return
    text = path.read_text(encoding="utf-8")
    assert case.old in text, f"{case.id}: {case.old!r} not in {case.file}"
    assert isinstance(case.new, str)
    path.write_text(text.replace(case.old, case.new, 1), encoding="utf-8")


AG, CO, FA, IN, ME, RE, SO, VO, RL = (
    "agencies.yaml", "cohorts.yaml", "facilities.yaml", "instruments.yaml", "meetings.yaml",
    "regions.yaml", "sources.yaml", "vocabulary.yaml", "relationships/kupang.yaml",
)

CASES: list[Case] = [
    # --- missing required fields
    Case("missing-name", AG, "  name: IOM Kupang\n", "", (AG, 6, "name", "required field is missing")),
    Case("missing-kind", FA, "  kind: hotel_shelter\n", "", (FA, 1, "kind", "required field is missing")),
    Case("missing-level", AG, "  level: international\n", "", (AG, 1, "level", "required field is missing")),
    Case("missing-size-basis", CO, "  size_basis: stated\n", "", (CO, 1, "size_basis", "required field is missing")),
    Case("missing-meeting-date", ME, "  date: 2024-09-11\n", "", (ME, 1, "date", "required field is missing")),
    Case("missing-rel-from", RL, "- type: PART_OF\n  from: iom-kupang\n", "- type: PART_OF\n", (RL, 1, "from", "required field is missing")),
    Case("missing-rel-type", RL, "- type: PART_OF\n  from: iom-kupang\n", "- from: iom-kupang\n", (RL, 1, "type", "relationship type")),
    Case("missing-source-path", SO, "  path: sources/002_82afef0093a6f2c7.txt\n", "", (SO, 1, "path", "required field is missing")),
    # --- wrong types
    Case("size-not-a-number", CO, "size: 171", "size: banyak", (CO, 4, "size", "valid integer")),
    Case("size-float", CO, "size: 171", "size: 171.5", (CO, 4, "size", "fractional part")),
    Case("date-not-a-date", ME, "date: 2024-09-11", "date: kemarin", (ME, 4, "date", "valid date")),
    Case("aliases-not-a-list", AG, "aliases: [Rudenim Kupang]", "aliases: {x: 1}", (AG, 15, "aliases", "valid tuple")),
    Case("evidence-not-a-list", FA, '  evidence:\n    - {source: src-kupang, quote: "Hotel Lavender Kupang"}', "  evidence: Hotel Lavender Kupang", (FA, 4, "evidence", "valid tuple")),
    Case("year-is-text", IN, "year: 2016", "year: dua ribu", (IN, 5, "year", "valid integer")),
    # --- negative and absurd values
    Case("negative-size", CO, "size: 171", "size: -5", (CO, 4, "size", "greater than 0")),
    Case("absurd-size", CO, "size: 171", "size: 900000000000", (CO, 4, "size", "less than 100000000")),
    Case("zero-size-with-basis", CO, "size: 171", "size: 0", (CO, 4, "size", "greater than 0")),
    Case("instrument-year-1800", IN, "year: 2016", "year: 1800", (IN, 5, "year", "greater than or equal to 1945")),
    Case("size-without-basis", CO, "size_basis: stated", "size_basis: unknown", (CO, 1, "record", "size_basis is 'unknown' exactly when size is absent")),
    # --- unknown enum values and fields
    Case("unknown-agency-kind", AG, "kind: detention_centre", "kind: jail", (AG, 16, "kind", "Input should be")),
    Case("unknown-cohort-type", CO, "cohort_type: foreign_refugees", "cohort_type: tourists", (CO, 3, "cohort_type", "Input should be")),
    Case("unknown-service", RL, "service: immigration_supervision", "service: babysitting", (RL, 30, "service", "Input should be")),
    Case("unknown-field-typo", AG, "  acronym: IOM\n", "  acronyn: IOM\n", (AG, 5, "acronyn", "unknown field")),
    Case("unknown-rel-field", RL, "  role: visitor\n", "  rol: visitor\n", (RL, 9, "rol", "unknown field")),
    Case("label-field-in-file", FA, "  kind: hotel_shelter\n", "  kind: hotel_shelter\n  label: Agency\n", (FA, 4, "label", "comes from the file name")),
    # --- ids and references
    # (these append a sixth line onward to facilities.yaml, so nothing else refers to the broken record)
    Case("bad-id-chars", FA, '"Hotel Lavender Kupang"}\n', '"Hotel Lavender Kupang"}\n- id: Hotel Baru!\n  name: Hotel Baru\n  kind: hotel_shelter\n', (FA, 6, "id", "should match pattern")),
    Case("duplicate-id-across-files", FA, '"Hotel Lavender Kupang"}\n', '"Hotel Lavender Kupang"}\n- id: kota-kupang\n  name: Hotel Kota\n  kind: hotel_shelter\n', (FA, 6, "id", "duplicate id 'kota-kupang' (first defined at regions.yaml:9)")),
    Case("dangling-from", RL, "  from: hotel-lavender\n", "  from: hotel-merdeka\n", (RL, 35, "from", "no node with id 'hotel-merdeka'")),
    Case("dangling-parent", RE, "  parent: prov-ntt\n", "  parent: prov-nttt\n", (RE, 13, "parent", "'prov-nttt' is not a region in the seed")),
    Case("wrong-endpoint-type", RL, "- type: HOSTS_COHORT\n  from: kota-kupang", "- type: HOSTS_COHORT\n  from: hotel-lavender", (RL, 22, "to", "HOSTS_COHORT cannot go Facility->MigrantCohort")),
    Case("self-loop", RL, "- type: PART_OF\n  from: iom-kupang\n  to: iom\n", "- type: PART_OF\n  from: iom-kupang\n  to: iom-kupang\n", (RL, 3, "to", "cannot join a node to itself")),
    Case("evidence-source-not-a-source", ME, "{source: src-kupang,", "{source: iom,", (ME, 9, "evidence[0].source", "'iom' is not a Source")),
    # --- evidence
    Case("quote-not-in-source", CO, "berjumlah 171 orang", "berjumlah 172 orang", (CO, 9, "evidence[0].quote", "quote not found")),
    Case("quote-too-short", FA, 'quote: "Hotel Lavender Kupang"', 'quote: "Ho"', (FA, 5, "evidence[0].quote", "at least 3 characters")),
    Case("relationship-without-evidence", RL, '  evidence:\n    - {source: src-kupang, quote: "Rumah Detensi Imigrasi Kupang"}\n', "", (RL, 44, "evidence", "required field is missing")),
    # --- dates
    Case("impossible-date", ME, "date: 2024-09-11", "date: 2024-02-30", (ME, 4, "date", "valid date")),
    Case("end-before-start", ME, "  date: 2024-09-11\n", "  date: 2024-09-11\n  end_date: 2024-09-10\n", (ME, 1, "record", "end_date is before date")),
    Case("inferred-without-reasoning", SO, "  date_reasoning: the visit is dated Rabu (11/09/2024)\n", "", (SO, 1, "record", "an inferred date needs date_reasoning")),
    Case("ambiguous-date-text", ME, "date: 2024-09-11", 'date: "11/09"', (ME, 4, "date", "valid date")),
    # --- regions
    Case("unofficial-code", RE, 'code: "53.71"', 'code: "53.98"', (RE, 12, "code", "not an official Kemendagri code")),
    Case("code-kind-mismatch", RE, 'code: "53"', 'code: "53.01"', (RE, 4, "record", "does not fit a province")),
    Case("regency-called-city", RE, "  kind: city\n", "  kind: regency\n", (RE, 11, "kind", "Kota Kupang is a city")),
    # --- vocabulary
    Case("misspelt-nationality", CO, "[Afghanistan, Pakistan]", "[Afghanistan, Pakistn]", (CO, 6, "nationalities", "'Pakistn' is not a canonical name")),
    Case("vocabulary-bad-iso3", VO, "iso3: PAK", "iso3: pk", (VO, 3, "nationalities[1].iso3", "should match pattern")),
    # --- whole-file faults: encodings, binaries, empties, bombs, nesting, sizes
    Case("empty-file", FA, None, "", (FA, 1, "file", "empty file")),
    Case("comments-only", FA, None, "# nothing here\n", (FA, 1, "file", "no YAML content")),
    Case("latin1-bytes", FA, None, "- id: hotel-caf\xe9\n".encode("latin-1"), (FA, 1, "file", "not valid UTF-8")),
    Case("mixed-encodings", FA, None, "- id: hotel-lavender\n  name: Caf\u00e9 ".encode() + "Ren\xe9\n".encode("cp1252"), (FA, 2, "file", "not valid UTF-8")),
    Case("binary-file", FA, None, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), (FA, 1, "file", "binary file")),
    Case("yaml-alias-bomb", FA, None, "- &a [x, x, x, x, x, x, x, x, x]\n- &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n- &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n- [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n", (FA, 1, "file", "anchors and aliases")),
    Case("deep-nesting", FA, None, "- id: deep\n  notes: " + "[" * 200 + "]" * 200 + "\n", (FA, 2, "file", "nested deeper than")),
    Case("yaml-syntax", FA, None, "- id: hotel-lavender\n  name: [unclosed\n", (FA, 3, "file", "YAML syntax")),
    Case("duplicate-key", FA, "  kind: hotel_shelter\n", "  kind: hotel_shelter\n  kind: community_shelter\n", (FA, 4, "file", "duplicate key 'kind'")),
    Case("not-a-list", FA, None, "id: hotel-lavender\nname: Hotel Lavender Kupang\n", (FA, 1, "file", "YAML list of records")),
    Case("record-not-a-mapping", FA, '"Hotel Lavender Kupang"}\n', '"Hotel Lavender Kupang"}\n- just a hotel\n', (FA, 6, "[1]", "mapping of field: value")),
    Case("unknown-seed-file", "cohort.yaml", None, "- id: x\n", ("cohort.yaml", 0, "file", "unknown seed file")),
    Case("source-text-not-utf8", "sources/002_82afef0093a6f2c7.txt", None, b"Kupang - Rumah Detensi \xff\xfe Imigrasi", (SO, 1, "path", "not valid UTF-8")),
]

BIG_FILE_BYTES = 100 * 1024 * 1024
"""The 100 MB case is made at test time (sparse-free but quick): it must be refused before parsing."""

CASES.append(Case("null-document", FA, None, "~\n", (FA, 1, "file", "the document is null")))
