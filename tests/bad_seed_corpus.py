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
    kind: str | None = None  # the class of bad input, counted on the robustness summary line


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


AG, CO, FA, IN, ME, RE, SO, VO, RL, PR = (
    "agencies.yaml", "cohorts.yaml", "facilities.yaml", "instruments.yaml", "meetings.yaml",
    "regions.yaml", "sources.yaml", "vocabulary.yaml", "relationships/kupang.yaml", "programmes.yaml",
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
    Case("unknown-service", RL, "service: immigration_supervision", "service: babysitting", (RL, 31, "service", "Input should be")),
    Case("unknown-field-typo", AG, "  acronym: IOM\n", "  acronyn: IOM\n", (AG, 5, "acronyn", "unknown field")),
    Case("unknown-rel-field", RL, "  role: visitor\n", "  rol: visitor\n", (RL, 9, "rol", "unknown field")),
    Case("label-field-in-file", FA, "  kind: hotel_shelter\n", "  kind: hotel_shelter\n  label: Agency\n", (FA, 4, "label", "comes from the file name")),
    # --- ids and references
    # (these append a sixth line onward to facilities.yaml, so nothing else refers to the broken record)
    Case("bad-id-chars", FA, '"Hotel Lavender Kupang"}\n', '"Hotel Lavender Kupang"}\n- id: Hotel Baru!\n  name: Hotel Baru\n  kind: hotel_shelter\n', (FA, 6, "id", "should match pattern")),
    Case("duplicate-id-across-files", FA, '"Hotel Lavender Kupang"}\n', '"Hotel Lavender Kupang"}\n- id: kota-kupang\n  name: Hotel Kota\n  kind: hotel_shelter\n', (FA, 6, "id", "duplicate id 'kota-kupang' (first defined at regions.yaml:9)")),
    Case("dangling-from", RL, "  from: hotel-lavender\n", "  from: hotel-merdeka\n", (RL, 36, "from", "no node with id 'hotel-merdeka'")),
    Case("dangling-parent", RE, "  parent: prov-ntt\n", "  parent: prov-nttt\n", (RE, 13, "parent", "'prov-nttt' is not a region in the seed")),
    Case("wrong-endpoint-type", RL, "- type: HOSTS_COHORT\n  from: kota-kupang", "- type: HOSTS_COHORT\n  from: hotel-lavender", (RL, 22, "to", "HOSTS_COHORT cannot go Facility->MigrantCohort")),
    Case("self-loop", RL, "- type: PART_OF\n  from: iom-kupang\n  to: iom\n", "- type: PART_OF\n  from: iom-kupang\n  to: iom-kupang\n", (RL, 3, "to", "cannot join a node to itself")),
    Case("evidence-source-not-a-source", ME, "{source: src-kupang,", "{source: iom,", (ME, 9, "evidence[0].source", "'iom' is not a Source")),
    # --- evidence
    Case("quote-not-in-source", CO, "berjumlah 171 orang", "berjumlah 172 orang", (CO, 9, "evidence[0].quote", "quote not found")),
    Case("quote-too-short", FA, 'quote: "Hotel Lavender Kupang"', 'quote: "Ho"', (FA, 5, "evidence[0].quote", "at least 3 characters")),
    Case("relationship-without-evidence", RL, '  evidence:\n    - {source: src-kupang, quote: "Rumah Detensi Imigrasi Kupang"}\n', "", (RL, 46, "evidence", "required field is missing")),
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


# --- values that passed validation and crashed a later command (issue 20): what `validate` accepts, every
# command must process and every format carry. The escapes are YAML's own (\0 NUL, \e ESC, \a BEL, \N NEL,
# \t TAB, \n LINE FEED, \x7f DEL, \uFFFE); the bounds are the schema's (schema.MIN_DATE, MAX_DATE,
# MAX_SAFE_INTEGER = 9007199254740991 and the text types' lengths). programmes.yaml is new to the mini seed:
# its lines are those of PROGRAMME below (money and quantity on line 5).


def programme(extra: str) -> str:
    """A programmes.yaml with one programme whose fifth line is ``extra``."""
    return "- id: prog-cash\n  name: Bantuan tunai\n  kind: cash_assistance\n  services: [basic_needs_cash]\n" + extra + "\n"


_C, _L, _D, _N = "control character", "length", "date window", "number range"
VALUE_CASES: list[Case] = [
    # control characters: names, acronyms, aliases, notes, quotes, topics, vocabulary, relationships
    Case("nul-in-name", AG, "  name: IOM Kupang\n", '  name: "IOM\\0 Kupang"\n', (AG, 7, "name", "control character U+0000 at position 4 (NUL)"), _C),
    Case("esc-in-acronym", AG, "acronym: IOM", 'acronym: "IOM\\e[31m"', (AG, 5, "acronym", "control character U+001B at position 4 (ESC)"), _C),
    Case("bel-in-notes", FA, "  kind: hotel_shelter\n", '  kind: hotel_shelter\n  notes: "ring\\a"\n', (FA, 4, "notes", "U+0007 at position 5 (BEL)"), _C),
    Case("tab-in-name", ME, "  name: IOM Kupang visit to Rudenim Kupang", '  name: "IOM Kupang\\tvisit"', (ME, 2, "name", "U+0009 at position 11 (TAB) is not allowed in one-line text"), _C),
    Case("newline-in-alias", RE, "  kind: city\n", '  kind: city\n  aliases: ["Kota\\nKupang"]\n', (RE, 12, "aliases[0]", "U+000A at position 5 (LINE FEED)"), _C),
    Case("nel-in-quote", CO, "berjumlah 171 orang yang", "berjumlah 171 orang\\N yang", (CO, 9, "evidence[0].quote", "U+0085 at position 20"), _C),
    Case("cr-in-date-reasoning", SO, "  date_reasoning: the visit is dated Rabu (11/09/2024)\n", '  date_reasoning: "the visit\\ris dated Rabu (11/09/2024)"\n', (SO, 7, "date_reasoning", "U+000D at position 10 (CARRIAGE RETURN) is not allowed in text (tab and line feed are allowed)"), _C),
    Case("nonchar-in-topic", ME, "  format: in_person\n", '  format: in_person\n  topics: ["bantuan\\uFFFE"]\n', (ME, 8, "topics[0]", "U+FFFE at position 8"), _C),
    Case("esc-in-vocabulary-alias", VO, "aliases: [WN. Afghanistan]", 'aliases: ["WN.\\x1bAfghanistan"]', (VO, 2, "nationalities[0].aliases[0]", "U+001B at position 4 (ESC)"), _C),
    Case("del-in-relationship-notes", RL, "  role: visitor\n", '  role: visitor\n  notes: "x\\x7f"\n', (RL, 10, "notes", "U+007F at position 2 (DEL)"), _C),
    # lengths: a 1 MB acronym made `run` take 13 minutes
    Case("megabyte-acronym", AG, "acronym: IOM", "acronym: " + "I" * 1_000_000, (AG, 5, "acronym", "at most 80 characters"), _L),
    Case("acronym-81-characters", AG, "acronym: IOM", "acronym: " + "I" * 81, (AG, 5, "acronym", "at most 80 characters"), _L),
    Case("notes-5001-characters", CO, "  size_basis: stated\n", "  size_basis: stated\n  notes: " + "n" * 5001 + "\n", (CO, 6, "notes", "at most 5000 characters"), _L),
    Case("url-2001-characters", SO, "  outlet: unknown\n", "  outlet: unknown\n  url: https://x.id/" + "a" * 1988 + "\n", (SO, 5, "url", "at most 2000 characters"), _L),
    Case("represented-by-501-characters", RL, "  role: visitor\n", "  role: visitor\n  represented_by: " + "r" * 501 + "\n", (RL, 10, "represented_by", "at most 500 characters"), _L),
    Case("money-original-501-characters", PR, None, programme("  money: {amount: 1200000, currency: IDR, original: " + "R" * 501 + "}"), (PR, 5, "money.original", "at most 500 characters"), _L),
    # dates outside the schema's window (1945-08-17 to 2100-12-31): placeholders and typos
    Case("meeting-on-0001-01-01", ME, "date: 2024-09-11", "date: 0001-01-01", (ME, 4, "date", "greater than or equal to 1945-08-17"), _D),
    Case("meeting-on-9999-12-31", ME, "date: 2024-09-11", "date: 9999-12-31", (ME, 4, "date", "less than or equal to 2100-12-31"), _D),
    Case("meeting-on-3016-10-01", ME, "date: 2024-09-11", "date: 3016-10-01", (ME, 4, "date", "less than or equal to 2100-12-31"), _D),
    Case("cohort-as-of-2200", CO, "as_of: 2024-09-11", "as_of: 2200-01-01", (CO, 7, "as_of", "less than or equal to 2100-12-31"), _D),
    Case("serves-last-seen-0001", RL, "last_seen: 2024-09-11", "last_seen: 0001-01-01", (RL, 32, "last_seen", "greater than or equal to 1945-08-17"), _D),
    Case("source-published-3016", SO, "published: 2024-09-11", "published: 3016-10-01", (SO, 5, "published", "less than or equal to 2100-12-31"), _D),
    Case("programme-start-1900", PR, None, programme("  start: 1900-01-01"), (PR, 5, "start", "greater than or equal to 1945-08-17"), _D),
    # numbers: finite, and within what JSON carries exactly and Neo4j's 64-bit integers hold
    Case("money-inf", PR, None, programme("  money: {amount: .inf, currency: IDR}"), (PR, 5, "money.amount", "finite number"), _N),
    Case("money-nan", PR, None, programme("  money: {amount: .nan, currency: USD}"), (PR, 5, "money.amount", "finite number"), _N),
    Case("money-1e300", PR, None, programme("  money: {amount: 1.0e+300, currency: IDR}"), (PR, 5, "money.amount", "less than or equal to 9007199254740991"), _N),
    Case("quantity-10-to-the-32", PR, None, programme("  quantity: {value: 100000000000000000000000000000000, unit: kits}"), (PR, 5, "quantity.value", "less than or equal to 9007199254740991"), _N),
    Case("shelters-count-10-to-the-12", RL, "  from: hotel-lavender\n  to: cohort-kupang\n", "  from: hotel-lavender\n  to: cohort-kupang\n  count: 1000000000000\n", (RL, 38, "count", "less than 100000000"), _N),
    Case("instrument-year-2101", IN, "year: 2016", "year: 2101", (IN, 5, "year", "less than or equal to 2100"), _N),
    Case("quantity-2-to-the-53", PR, None, programme("  quantity: {value: 9007199254740992, unit: kits}"), (PR, 5, "quantity.value", "less than or equal to 9007199254740991"), _N),
]
CASES.extend(VALUE_CASES)
