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

from datetime import date
from typing import Any

from graphmodel.model.schema import Money, Quantity

__all__ = ["to_properties", "from_properties", "from_properties_in_place", "RECORD_FIELDS"]

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


_PLAIN = frozenset({str, int, float, bool, list, date})  # a read-back sends the schema's dates as text
_RECORD_PREFIXES = tuple(f"{name}_" for name in RECORD_FIELDS)
_RECORD_KEYS = frozenset(
    f"{name}_{sub}" for name, model in (("money", Money), ("quantity", Quantity)) for sub in model.model_fields
)
"""Every property :func:`to_properties` can make from a record (the records' fields in the schema)."""


def from_properties(props: dict[str, Any]) -> dict[str, Any]:
    """Undo :func:`to_properties` (bookkeeping properties such as ``load_id`` are dropped)."""
    return from_properties_in_place(dict(props))


def from_properties_in_place(props: dict[str, Any]) -> dict[str, Any]:
    """:func:`from_properties`, turning ``props`` itself into the attributes and returning it.

    For a read-back, where each dict comes fresh from the driver and nothing
    else holds it. The attributes keep the order of the properties, then
    ``evidence``, then the records.

    Called once per element of a read-back (hundreds of thousands of times), so
    the common case (plain values, one piece of evidence, no record) runs
    without a Python-level loop over the keys.
    """
    pop = props.pop
    pop("load_id", None)  # bookkeeping
    pop("key", None)
    sources = pop("evidence_sources", None)
    quotes = pop("evidence_quotes", None)
    if not _PLAIN.issuperset(map(type, props.values())):
        for key, value in list(props.items()):
            kind = type(value)
            if kind in _PLAIN:
                continue
            to_native = getattr(value, "to_native", None)  # neo4j.time values -> datetime
            if callable(to_native):
                props[key] = to_native()
            elif kind is tuple:
                props[key] = list(value)
    if sources is not None:
        if quotes is None:
            raise KeyError("evidence_quotes")
        if len(sources) == 1 == len(quotes):
            props["evidence"] = [{"source": sources[0], "quote": quotes[0]}]
        else:
            props["evidence"] = [{"source": s, "quote": q} for s, q in zip(sources, quotes, strict=True)]
    if not _RECORD_KEYS.isdisjoint(props):  # a set test in C, no loop over the keys here
        records: dict[str, dict[str, Any]] = {}
        for key in [key for key in props if key.startswith(_RECORD_PREFIXES)]:
            head, _, tail = key.partition("_")
            records.setdefault(head, {})[tail] = pop(key)
        props.update(records)
    return props
