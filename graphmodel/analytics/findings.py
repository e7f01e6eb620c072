"""Result records: a finding, the quotes behind it, and how far the sources say it went.

Every analytic returns frozen dataclasses that mix in :class:`Finding` (plain
dicts and table rows) and carry their evidence as :class:`EvidenceRef`
quotes. The helpers here read a node's or an edge's ``evidence`` and
``status`` attributes as :func:`graphmodel.graph.build_graph` writes them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

__all__ = ["STATUS_ORDER", "EvidenceRef", "Finding", "dedupe", "evidence_of", "fact_status", "to_frame", "weakest"]



@dataclass(frozen=True, slots=True)
class EvidenceRef:
    """A quote from a source document and the fact it supports.

    ``about`` says which recorded fact the quote is evidence for, for example
    ``"SERVES iom-medan -> cohort-medan-refugees (basic_needs_cash)"``, and
    ``status`` how far the source says that fact went
    (:class:`~graphmodel.model.schema.ActivityStatus`: ``reported``, ``planned``,
    ``hoped`` or ``inferred``; a node's mention is ``reported``).
    """

    source: str
    quote: str
    about: str = ""
    status: str = "reported"

    def to_dict(self) -> dict[str, str]:
        """Plain JSON-ready dict."""
        return {"source": self.source, "quote": self.quote, "about": self.about, "status": self.status}

    def __str__(self) -> str:
        return f'{self.source}: "{self.quote}"'


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, (set, frozenset)) else items
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


class Finding:
    """Mixin for the frozen result dataclasses: plain dicts and one-row frames."""

    # no instance dict in the mixin, so the slotted results below have none either
    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict (dates as ISO text, tuples as lists, evidence as dicts)."""
        return _plain(self)

    def row(self) -> dict[str, Any]:
        """A flat table row: scalars as they are, lists joined with ``"; "``, evidence as ``source: "quote"``."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if f.name == "evidence":
                out["evidence"] = " | ".join(dict.fromkeys(str(e) for e in value))
                out["sources"] = "; ".join(sorted({e.source for e in value}))
            elif isinstance(value, (tuple, list, frozenset, set)):
                out[f.name] = "; ".join(_flat(v) for v in value)
            elif dataclasses.is_dataclass(value):
                continue
            else:
                out[f.name] = value
        return out


def _flat(value: Any) -> str:
    if isinstance(value, (tuple, list)):
        return "-".join(_flat(v) for v in value)
    return str(value)


def to_frame(findings: Iterable[Finding]) -> pd.DataFrame:
    """A table of findings, one row each (see :meth:`Finding.row`).

    Parameters
    ----------
    findings : iterable of Finding
        Results of any analytic.

    Returns
    -------
    pandas.DataFrame
        One row per finding, columns in field order.

    See Also
    --------
    Finding.row

    References
    ----------
    .. [1] McKinney, W. (2010). Data structures for statistical computing in
       Python. Proceedings of the 9th Python in Science Conference, 56-61 (the
       pandas ``DataFrame``).

    Examples
    --------
    >>> to_frame([]).empty
    True
    """
    rows = [f.row() for f in findings]
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- small helpers


def evidence_of(attrs: Mapping[str, Any], about: str) -> tuple[EvidenceRef, ...]:
    """The ``evidence`` attribute of a node or edge as :class:`EvidenceRef` (JSON text accepted)."""
    raw = attrs.get("evidence") or []
    if isinstance(raw, str):
        raw = json.loads(raw) if raw.strip() else []
    status = fact_status(attrs)
    return tuple(EvidenceRef(str(e["source"]), str(e["quote"]), about, status) for e in raw)


STATUS_ORDER: dict[str, int] = {"reported": 0, "inferred": 1, "planned": 2, "hoped": 3}
"""Statuses from the strongest evidence of delivery to the weakest (a chain is as strong as its weakest link)."""


def fact_status(attrs: Mapping[str, Any]) -> str:
    """The :class:`~graphmodel.model.schema.ActivityStatus` of a node's or edge's attributes.

    A fact without one (a node, or an edge of a graph built by hand without
    statuses) is taken as ``reported``: the seed requires a status on every
    activity relationship, so this default only reaches facts that are not
    activity.
    """
    status = attrs.get("status")
    return str(status) if status in STATUS_ORDER else "reported"


def weakest(*statuses: str) -> str:
    """The weakest of the statuses along a chain of facts (``reported`` when none).

    >>> weakest("reported", "planned", "inferred")
    'planned'
    """
    return max(statuses, key=STATUS_ORDER.__getitem__, default="reported")


def dedupe(evidence: Iterable[EvidenceRef]) -> tuple[EvidenceRef, ...]:
    """Evidence without repeats (equal ``source``, ``quote`` and ``about``), in first-seen order.

    (A C-level version, ``dict(zip(map(attrgetter(...), ev), ev))``, is
    slower on a national graph's millions of references: the interpreter's
    specialised attribute reads beat ``attrgetter`` on a dataclass.)

    >>> a, b = EvidenceRef("s1", "q", "x"), EvidenceRef("s2", "q", "x")
    >>> dedupe([a, b, EvidenceRef("s1", "q", "x")]) == (a, b)
    True
    >>> ev = (a, b)
    >>> dedupe(ev) is ev
    True
    """
    seen: dict[tuple[str, str, str], EvidenceRef] = {}
    for e in evidence:
        seen.setdefault((e.source, e.quote, e.about), e)
    if type(evidence) is tuple and len(seen) == len(evidence):
        # nothing repeated: the same tuple, shared rather than copied (findings often pass on evidence
        # deduplicated already, such as a cohort's presence in a region, the same for each of its services)
        return evidence
    return tuple(seen.values())

