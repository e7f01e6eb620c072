"""Writing records in the seed's own YAML style: one record per block, evidence as one-line mappings.

PyYAML's dumper would write valid YAML but not the seed's layout (flow lists
for aliases, ``- {source: ..., quote: "..."}`` for evidence), which reviewers
and curators read; this writer keeps that layout and every written file is
read back and compared in the tests.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from typing import Any

import yaml

__all__ = ["dump_records", "scalar", "flow", "evidence_flow"]

_PLAIN = re.compile(r"[A-Za-z0-9(][^\n:#{}\[\],&*!|>'\"%@`]*")
_FLOW_FIELDS = {"money", "quantity"}
_EVIDENCE_FIELDS = {"evidence"}


def scalar(value: Any) -> str:
    """One YAML scalar: plain where that reads back the same, else double-quoted.

    >>> scalar("Rudenim Makassar"), scalar("yes"), scalar("a: b"), scalar(12), scalar(None)
    ('Rudenim Makassar', '"yes"', '"a: b"', '12', 'null')
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        if isinstance(value, float) and value == int(value):
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if _PLAIN.fullmatch(text) and text == text.strip() and _reads_back(text):
        return text
    return json.dumps(text, ensure_ascii=False)


@functools.lru_cache(maxsize=8192)
def _reads_back(text: str) -> bool:
    """Whether ``text`` written plain reads back as itself (asked once per text: ids and statuses recur)."""
    try:
        return yaml.safe_load(text) == text
    except yaml.YAMLError:
        return False


def flow(value: Any) -> str:
    """A value in YAML flow style, on one line: ``{k: v}`` and ``[a, b]``, scalars as :func:`scalar` writes them.

    >>> flow({"amount": 1500000, "currency": "IDR"}), flow(["Rudenim Kupang", "yes"])
    ('{amount: 1500000, currency: IDR}', '[Rudenim Kupang, "yes"]')
    """
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    return scalar(value)


def evidence_flow(item: dict) -> str:
    """One evidence mapping on one line, its quote always double-quoted (a quote is prose, never a YAML value).

    >>> print(evidence_flow({"source": "src-001", "quote": "Rudenim Kupang"}))
    {source: src-001, quote: "Rudenim Kupang"}
    """
    parts = []
    for k, v in item.items():
        parts.append(f"{k}: {json.dumps(v, ensure_ascii=False) if k == 'quote' else flow(v)}")
    return "{" + ", ".join(parts) + "}"


def _field(key: str, value: Any, indent: str) -> list[str]:
    if isinstance(value, dict):
        if key in _FLOW_FIELDS:
            return [f"{indent}{key}: {flow(value)}"]
        lines = [f"{indent}{key}:"]
        for k, v in value.items():
            lines.extend(_field(k, v, indent + "  "))
        return lines
    if isinstance(value, (list, tuple)):
        if not value:
            return [f"{indent}{key}: []"]
        if all(isinstance(v, dict) for v in value):
            lines = [f"{indent}{key}:"]
            for v in value:
                lines.append(f"{indent}  - {evidence_flow(v) if key in _EVIDENCE_FIELDS else flow(v)}")
            return lines
        one_line = flow(value)
        if len(one_line) + len(indent) + len(key) < 110:
            return [f"{indent}{key}: {one_line}"]
        return [f"{indent}{key}:"] + [f"{indent}  - {flow(v)}" for v in value]
    if isinstance(value, str) and len(value) > 100 and key in ("notes", "note", "date_reasoning"):
        return [f"{indent}{key}: {json.dumps(value, ensure_ascii=False)}"]
    return [f"{indent}{key}: {scalar(value)}"]


def dump_records(records: list[dict[str, Any]], header: str = "") -> str:
    """A YAML list of records in the seed's layout (``header`` lines become comments).

    >>> print(dump_records([{"id": "x1", "name": "A", "evidence": [{"source": "s", "quote": "q: x"}]}]), end="")
    - id: x1
      name: A
      evidence:
        - {source: s, quote: "q: x"}
    """
    out: list[str] = [f"# {line}".rstrip() for line in header.splitlines()]
    if out:
        out.append("")
    for rec in records:
        lines: list[str] = []
        for key, value in rec.items():
            lines.extend(_field(key, value, "  "))
        lines[0] = "- " + lines[0][2:]
        out.extend(lines)
        out.append("")
    if not records:
        out.append("[]")
    return "\n".join(out).rstrip() + "\n"
