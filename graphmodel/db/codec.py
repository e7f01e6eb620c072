"""Graph attributes <-> Neo4j properties.

Neo4j properties are scalars or homogeneous lists of scalars, so the few
record-valued attributes are flattened with an underscore:

- ``evidence`` (list of ``{source, quote}``) -> ``evidence_sources`` and
  ``evidence_quotes``, two parallel lists (a planner reads
  ``r.evidence_quotes[0]`` in Cypher);
- ``money`` -> ``money_amount``, ``money_currency``, ``money_per``,
  ``money_original``; ``quantity`` -> ``quantity_value``, ``quantity_unit``,
  ``quantity_original``.

Dates are written as Neo4j ``Date`` values and come back as ``datetime.date``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["to_properties", "from_properties", "RECORD_FIELDS"]

RECORD_FIELDS = ("money", "quantity")


def to_properties(attrs: dict[str, Any]) -> dict[str, Any]:
    """Flatten one node's or relationship's attributes into Neo4j properties."""
    props: dict[str, Any] = {}
    for key, value in attrs.items():
        if value is None:
            continue
        if key == "evidence":
            props["evidence_sources"] = [ev["source"] for ev in value]
            props["evidence_quotes"] = [ev["quote"] for ev in value]
        elif key in RECORD_FIELDS:
            for sub, sub_value in value.items():
                if sub_value is not None:
                    props[f"{key}_{sub}"] = sub_value
        else:
            props[key] = value
    return props


_BOOKKEEPING = frozenset({"load_id", "key"})
_EVIDENCE = frozenset({"evidence_sources", "evidence_quotes"})
_RECORD_PREFIXES = tuple(f"{name}_" for name in RECORD_FIELDS)


def from_properties(props: dict[str, Any]) -> dict[str, Any]:
    """Undo :func:`to_properties` (bookkeeping properties such as ``load_id`` are dropped).

    Called once per element of a read-back (hundreds of thousands of times), so
    it tests types and prefixes directly instead of going through helpers.
    """
    attrs: dict[str, Any] = {}
    records: dict[str, dict[str, Any]] | None = None
    for key, value in props.items():
        if key in _BOOKKEEPING or key in _EVIDENCE:
            continue
        kind = type(value)
        if kind is not str and kind is not int and kind is not float and kind is not bool and kind is not list:
            to_native = getattr(value, "to_native", None)  # neo4j.time values -> datetime
            if callable(to_native):
                value = to_native()
            elif kind is tuple:
                value = list(value)
        if key.startswith(_RECORD_PREFIXES):
            head, _, tail = key.partition("_")
            if records is None:
                records = {}
            records.setdefault(head, {})[tail] = value
        else:
            attrs[key] = value
    sources = props.get("evidence_sources")
    if sources is not None:
        attrs["evidence"] = [{"source": s, "quote": q} for s, q in zip(sources, props["evidence_quotes"], strict=True)]
    if records:
        attrs.update(records)
    return attrs
