"""What the extraction rules find in a text: mentions with character offsets, the rule's name and a confidence."""

from __future__ import annotations

from dataclasses import dataclass, field

from graphmodel.extract.dates import DateMention
from graphmodel.extract.numbers import CountMention, MoneyMention
from graphmodel.extract.resolve import PmiReading
from graphmodel.extract.text import Segment, sentence_at
from graphmodel.model.schema import AdminLevel, AgencyKind, InstrumentKind

__all__ = ["RegionMention", "AgencyMention", "InstrumentMention", "NationalityMention", "PmiMention", "Mentions"]


@dataclass
class RegionMention:
    """A region named in the text, with the official code(s) it may be."""

    start: int
    end: int
    text: str
    codes: tuple[str, ...]
    rule: str
    confidence: float = 0.9
    note: str | None = None

    @property
    def code(self) -> str:
        """The region's official code (the first when the name is still ambiguous)."""
        return self.codes[0]


@dataclass
class AgencyMention:
    """An agency named in the text, with the name a record would carry."""

    start: int
    end: int
    text: str
    canonical: str
    kind: AgencyKind
    level: AdminLevel
    rule: str
    confidence: float
    aliases: tuple[str, ...] = ()
    region: str | None = None  # code of the region of its jurisdiction
    acronym: str | None = None
    seed_ids: tuple[str, ...] = ()  # ids the gazetteer matched, if any
    parent: AgencyMention | None = None
    parent_note: str | None = None
    note: str | None = None
    nested: bool = False  # inside another agency's name (the ministry in "Kanwil Kementerian ...")


@dataclass
class InstrumentMention:
    """A legal instrument cited in the text: kind, number, year and, if printed, its title."""

    start: int
    end: int
    text: str
    kind: InstrumentKind
    short: str
    number: str
    year: int
    title: str | None
    rule: str = "instrument:number-year"
    confidence: float = 0.9

    @property
    def key(self) -> str:
        """The instrument's identity in a text: short kind, number and year (``"uu 18/2017"``)."""
        return f"{self.short} {self.number}/{self.year}"


@dataclass
class NationalityMention:
    """A nationality named in the text (``exact``: as the gazetteer spells it, else a close spelling)."""

    start: int
    end: int
    text: str
    name: str
    exact: bool


@dataclass
class PmiMention:
    """A "PMI" in the text, and how it reads: migrant workers or the Red Cross."""

    start: int
    end: int
    reading: PmiReading


@dataclass
class Mentions:
    """Everything the rules found in one text."""

    text: str
    sentences: list[Segment]
    regions: list[RegionMention] = field(default_factory=list)
    agencies: list[AgencyMention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    counts: list[CountMention] = field(default_factory=list)
    money: list[MoneyMention] = field(default_factory=list)
    instruments: list[InstrumentMention] = field(default_factory=list)
    nationalities: list[NationalityMention] = field(default_factory=list)
    pmi: list[PmiMention] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    _sentence_starts: list[int] = field(default_factory=list, init=False, repr=False, compare=False)

    def sentence_of(self, pos: int) -> Segment:
        """The sentence holding ``pos``, else the nearest one."""
        if len(self._sentence_starts) != len(self.sentences):
            self._sentence_starts = [seg.start for seg in self.sentences]
        return sentence_at(self.sentences, self._sentence_starts, pos)

    def in_span(self, items, start: int, end: int):
        """The mentions of ``items`` lying within [start, end)."""
        return [m for m in items if m.start >= start and m.end <= end]
