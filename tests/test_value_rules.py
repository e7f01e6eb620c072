"""One rule at validation for every value (issue 20): what `validate` accepts, every command can process.

The schema gives every text, date and number field a type that carries its rule (no control characters and a
maximum length for text, the window MIN_DATE..MAX_DATE for dates, finite numbers within JSON's exact integers).
The first tests walk pydantic's own validation schema of every model, so a field added later without its
rule fails here. The others feed values at the very edges of what is accepted through every command and
format: accepted must mean processable.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from pydantic import BaseModel

from graphmodel.model.schema import (
    ID_PATTERN,
    ISO3_PATTERN,
    LINE_PATTERN,
    MAX_DATE,
    MAX_SAFE_INTEGER,
    MIN_DATE,
    NODE_MODELS,
    REGION_CODE_PATTERN,
    REL_MODELS,
    TEXT_PATTERN,
    Evidence,
    Money,
    NationalityTerm,
    Quantity,
)
from graphmodel.seed import load_seed

CLOSED_PATTERNS = (TEXT_PATTERN, LINE_PATTERN, ID_PATTERN, REGION_CODE_PATTERN, ISO3_PATTERN)
MODELS: list[type[BaseModel]] = [*NODE_MODELS.values(), *REL_MODELS.values(), Evidence, Money, Quantity, NationalityTerm]


def value_schemas(schema: Any) -> Iterator[dict]:
    """Every str, date, float and int schema inside a pydantic core schema (definitions included)."""
    if isinstance(schema, dict):
        if schema.get("type") in ("str", "date", "float", "int"):
            yield schema
        for value in schema.values():
            yield from value_schemas(value)
    elif isinstance(schema, list | tuple):
        for value in schema:
            yield from value_schemas(value)


def rule_broken(s: dict) -> str | None:
    """What a value schema lacks of the one rule, or None when it carries it."""
    kind = s["type"]
    if kind == "str":
        if s.get("pattern") not in CLOSED_PATTERNS:
            return "text without the control-character rule"
        if not isinstance(s.get("max_length"), int):
            return "text without a maximum length"
    elif kind == "date":
        if s.get("ge") != MIN_DATE or s.get("le", dt.date.max) > MAX_DATE:
            return "date outside the schema's window"
    elif kind == "float":
        if s.get("allow_inf_nan", True) or s.get("le", float("inf")) > MAX_SAFE_INTEGER:
            return "number that may be infinite, NaN or beyond JSON's exact integers"
    elif kind == "int":
        upper = s.get("le", s.get("lt", float("inf")))
        if upper > MAX_SAFE_INTEGER + 1 or ("ge" not in s and "gt" not in s):
            return "integer without bounds JSON and Neo4j hold"
    return None


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_value_field_carries_the_rule(model: type[BaseModel]):
    broken = [(s, why) for s in value_schemas(model.__pydantic_core_schema__) if (why := rule_broken(s))]
    assert not broken, broken


def test_the_walk_sees_every_kind_of_value_and_catches_a_field_without_its_rule():
    """The walk must find the values it checks (else the test above passes vacuously), and must flag a plain
    ``str``, ``date``, ``float`` and ``int`` field: the four it would let through if it were broken."""
    seen = {s["type"] for m in MODELS for s in value_schemas(m.__pydantic_core_schema__)}
    assert seen == {"str", "date", "float", "int"}

    class Careless(BaseModel):
        note: str
        when: dt.date
        amount: float
        count: int

    flagged = [rule_broken(s) for s in value_schemas(Careless.__pydantic_core_schema__)]
    assert all(flagged) and len(flagged) == 4


def test_closed_patterns_refuse_control_characters():
    import re

    for pattern in (ID_PATTERN, REGION_CODE_PATTERN, ISO3_PATTERN):
        assert not re.match(pattern, "53\x1b") and not re.match(pattern, "iom\x00")


# --------------------------------------------------------------------------- the edges are processable

LONG_NOTES = ("Catatan panjang.\tKolom kedua.\n" * 200)[:5000].strip()
EDGE_RECORDS = {
    "meetings.yaml": f"""- id: mtg-earliest
  name: Rapat pada tanggal paling awal
  kind: coordination_meeting
  date: {MIN_DATE.isoformat()}
  date_basis: stated
  format: in_person
- id: mtg-latest
  name: {"R" * 500}
  kind: coordination_meeting
  date: {MAX_DATE.isoformat()}
  end_date: {MAX_DATE.isoformat()}
  date_basis: stated
  format: online
""",
    "programmes.yaml": f"""- id: prog-edge
  name: Bantuan di batas nilai
  kind: cash_assistance
  services: [basic_needs_cash]
  start: {MIN_DATE.isoformat()}
  end: {MAX_DATE.isoformat()}
  money: {{amount: {MAX_SAFE_INTEGER}.0, currency: IDR, original: "{"Rp" * 250}"}}
  quantity: {{value: {MAX_SAFE_INTEGER}, unit: paket}}
  notes: {json.dumps(LONG_NOTES)}
""",
}


def edge_seed(mini_seed: Path) -> Path:
    """The mini seed plus records at the very edges of every rule (hand-picked: the bounds themselves)."""
    for name, text in EDGE_RECORDS.items():
        path = mini_seed / name
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        path.write_text(old + text, encoding="utf-8")
    agencies = mini_seed / "agencies.yaml"
    agencies.write_text(agencies.read_text(encoding="utf-8").replace("acronym: IOM", "acronym: " + "I" * 80), encoding="utf-8")
    return mini_seed


def graphmodel(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "graphmodel.cli", *args], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=300, cwd=cwd)


def strict_json(text: str) -> Any:
    def refuse(constant: str) -> None:
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


def test_values_at_the_edges_pass_every_command_and_format(mini_seed: Path, tmp_path: Path):
    """Dates on MIN_DATE and MAX_DATE, an amount and a quantity of MAX_SAFE_INTEGER, a 500-character name,
    an 80-character acronym and 5,000 characters of notes with tabs and line breaks: all accepted, so `run` and
    every export must take them (before issue 20, dates of year 1 or 3016 and an infinite amount got through
    validation and crashed the report, the pathways and the HTML page)."""
    seed = edge_seed(mini_seed)
    ds = load_seed(seed)
    assert ds.nodes["prog-edge"].quantity.value == MAX_SAFE_INTEGER
    out = tmp_path / "out"
    proc = graphmodel("run", "--seed", str(seed), "--out", str(out))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "2100-12-31" in report and "1945-08-17" in report
    for fmt, name in [("cytoscape", "graph.cyjs"), ("graphml", "g.graphml"), ("gexf", "g.gexf"), ("html", "g.html"),
                      ("svg", "g.svg"), ("neo4j-csv", "csv"), ("hxl-4w", "4w.csv")]:
        proc = graphmodel("export", "--seed", str(seed), "--format", fmt, "-o", str(tmp_path / name))
        assert proc.returncode == 0, (fmt, proc.stderr[-3000:])
    elements = strict_json((tmp_path / "graph.cyjs").read_text(encoding="utf-8"))
    programme = next(n["data"] for n in elements["elements"]["nodes"] if n["data"]["id"] == "prog-edge")
    assert programme["quantity"]["value"] == MAX_SAFE_INTEGER
    for name in ("g.graphml", "g.gexf", "g.svg"):
        etree.parse(str(tmp_path / name))  # well-formed XML: no character XML 1.0 cannot carry


@pytest.mark.neo4j
def test_values_at_the_edges_load_into_neo4j_and_come_back(clean_neo4j, mini_seed: Path):
    """The largest accepted integer fits Neo4j's 64-bit integers, and the dates at both ends come back as dates
    (10**32 passed validation before issue 20 and made the load fail)."""
    from graphmodel.db.write import load_dataset

    ds = load_seed(edge_seed(mini_seed))
    load_dataset(clean_neo4j, ds)
    with clean_neo4j.session() as session:
        row = session.run("MATCH (p:Programme {id: 'prog-edge'}) RETURN p").single()
        dates = {r["id"]: r["date"] for r in session.run("MATCH (m:Meeting) RETURN m.id AS id, m.date AS date")}
    props = dict(row["p"])
    # flattened as graphmodel/db/codec.py says: money -> money_amount ..., quantity -> quantity_value ...
    assert props["quantity_value"] == MAX_SAFE_INTEGER and isinstance(props["quantity_value"], int)
    assert props["money_amount"] == float(MAX_SAFE_INTEGER)
    assert (dates["mtg-earliest"].to_native(), dates["mtg-latest"].to_native()) == (MIN_DATE, MAX_DATE)


def test_the_read_back_knows_every_date_field():
    """Neo4j returns dates as text in the read-back and `NODE_DATE_FIELDS`/`REL_DATE_FIELDS` say which to turn back into
    dates. They are found from the schema's annotations, which became ``Date | None`` (a date with its bounds)
    with the one rule; the list below is read off schema.py by hand. (Found missing once: every read-back
    failed with a Cypher syntax error, ``CASE type(r) ELSE``, as no relationship type had a date left.)"""
    from graphmodel.db.read import NODE_DATE_FIELDS, REL_DATE_FIELDS

    nodes = {k: v for k, v in NODE_DATE_FIELDS.items() if v}
    rels = {k: v for k, v in REL_DATE_FIELDS.items() if v}
    assert nodes == {"Meeting": ("date", "end_date"), "Programme": ("start", "end"), "MigrantCohort": ("as_of",),
                     "Source": ("published",)}
    assert rels == {"SERVES": ("since", "last_seen"), "SHELTERS": ("as_of",), "COOPERATES_WITH": ("last_seen",),
                    "HOLDS_OFFICE": ("as_of",)}
