"""The records a document yields: proposed seed records, the agencies named, and fresh ids.

See :mod:`graphmodel.extract.records` for the ``draft`` mapping each record carries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from graphmodel.extract.articles import Article
from graphmodel.extract.mentions import AgencyMention, Mentions
from graphmodel.extract.resolve import Resolution
from graphmodel.extract.text import slugify
from graphmodel.model.schema import AdminLevel, AgencyKind, NodeLabel
from graphmodel.util.text import fold_name

__all__ = ["NODE_FILE_OF", "DraftRecord", "AgencyEntity", "DocumentExtraction", "FreshIds"]

NODE_FILE_OF: dict[NodeLabel, str] = {
    NodeLabel.SOURCE: "sources.yaml",
    NodeLabel.REGION: "regions.yaml",
    NodeLabel.AGENCY: "agencies.yaml",
    NodeLabel.MEETING: "meetings.yaml",
    NodeLabel.PROGRAMME: "programmes.yaml",
    NodeLabel.MIGRANT_COHORT: "cohorts.yaml",
    NodeLabel.FACILITY: "facilities.yaml",
    NodeLabel.LEGAL_INSTRUMENT: "instruments.yaml",
}


@dataclass
class DraftRecord:
    """One proposed record: the seed fields, and the draft mapping about it."""

    label: NodeLabel | None  # None for a relationship
    data: dict[str, Any]
    draft: dict[str, Any]

    @property
    def id(self) -> str | None:
        """The record's id (None for a relationship)."""
        return self.data.get("id")

    def key(self) -> tuple:
        """What makes two proposals the same record: (label, id), or (type, from, to, service or duty)."""
        if self.label is None:
            qual = self.data.get("service") or self.data.get("duty") or ""
            return (self.data["type"], self.data["from"], self.data["to"], qual)
        return (self.label, self.data["id"])


@dataclass
class AgencyEntity:
    """One agency named (perhaps several times) in a document."""

    mentions: list[AgencyMention]
    resolution: Resolution
    canonical: str
    aliases: list[str]
    kind: AgencyKind
    level: AdminLevel
    region: str | None
    acronym: str | None
    id: str = ""

    @property
    def first(self) -> AgencyMention:
        """The first mention of the agency in the text."""
        return self.mentions[0]

    @property
    def confidence(self) -> float:
        """The highest confidence of its mentions."""
        return max(m.confidence for m in self.mentions)

    @property
    def rule(self) -> str:
        """The rule of its most confident mention."""
        return max(self.mentions, key=lambda m: m.confidence).rule

    def names(self) -> set[str]:
        """Folded names this agency goes by (for evaluation)."""
        return {fold_name(n) for n in (self.canonical, *self.aliases, self.acronym or "", self.id) if n}


@dataclass
class DocumentExtraction:
    """What was extracted from one article."""

    article: Article
    source_id: str
    source_match: str | None
    mentions: Mentions
    agencies: list[AgencyEntity] = field(default_factory=list)
    records: list[DraftRecord] = field(default_factory=list)
    relationships: list[DraftRecord] = field(default_factory=list)
    reference_date: dt.date | None = None

    @property
    def region_codes(self) -> list[str]:
        """The official codes of the regions named, sorted."""
        return sorted({r.code for r in self.mentions.regions})


class FreshIds:
    """Fresh ids that collide neither with the seed nor with each other."""

    def __init__(self, taken: set[str]):
        self.taken = set(taken)
        self._next: dict[str, int] = {}  # wanted -> the suffix to try next (those before it are taken)

    def new(self, wanted: str) -> str:
        """A fresh id like ``wanted`` (slugified; ``-2``, ``-3`` ... appended while taken).

        >>> ids = FreshIds({"rudenim-kupang"})
        >>> ids.new("Rudenim Kupang"), ids.new("Rudenim Kupang"), ids.new("IOM")
        ('rudenim-kupang-2', 'rudenim-kupang-3', 'iom')
        """
        wanted = slugify(wanted, 70)
        if len(wanted) < 2:
            wanted = f"x-{wanted}"
        n = self._next.get(wanted, 1)
        candidate = wanted if n == 1 else f"{wanted}-{n}"
        n = max(n, 2)
        while candidate in self.taken:
            candidate = f"{wanted}-{n}"
            n += 1
        self._next[wanted] = n
        self.taken.add(candidate)
        return candidate
