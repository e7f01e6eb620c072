"""What every record builder of a document shares: the text, the mentions in it, and the records so far.

The builder's cost is linear in the article's length: mentions, sentences,
regions and dates are in text order, so "what lies in this sentence" is a
bisection, and what a meeting or a cohort needs of the others is indexed
once, not searched for each of them.

Each family of records (:mod:`~graphmodel.extract.records.regions`,
:mod:`~graphmodel.extract.records.agencies`, ...) is a function of a
:class:`DocumentBuilder`; :func:`~graphmodel.extract.records.build.build_document`
runs them in order.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from graphmodel.extract.articles import Article
from graphmodel.extract.dates import DateMention
from graphmodel.extract.gazetteer import Gazetteer
from graphmodel.extract.mentions import AgencyMention, Mentions
from graphmodel.extract.records.document import AgencyEntity, DraftRecord, FreshIds
from graphmodel.extract.resolve import PmiReading, Resolution, Resolver
from graphmodel.extract.status import StatusReading, activity_status, goes_further
from graphmodel.extract.text import Segment, paragraphs, quote_span
from graphmodel.model.schema import ACTIVITY_RELS, CohortType, NodeLabel, RelType
from graphmodel.util.text import fold_space

if TYPE_CHECKING:  # pragma: no cover
    from graphmodel.seed import Dataset

__all__ = ["DocumentBuilder", "quoted_evidence"]


def quoted_evidence(source_id: str, text: str, start: int, end: int) -> dict[str, str]:
    """An evidence mapping: the source and the quote at [start, end) of ``text``, its spaces folded.

    >>> quoted_evidence("src-001", "Rudenim  Kupang menampung", 0, 15)
    {'source': 'src-001', 'quote': 'Rudenim Kupang'}
    """
    return {"source": source_id, "quote": fold_space(text[start:end])}


class DocumentBuilder:
    """One article's mentions on their way to records: the state the record builders share.

    Parameters
    ----------
    article, mentions
        The article and what the rules found in it.
    dataset
        The seed the records attach to (None: no seed, every record is new).
    gaz
        The gazetteer the mentions were found with.
    source_id, source_match
        The id the article's records cite, and the seed source it already is (if any).
    ids
        Fresh ids, shared by all the documents of one run.
    """

    def __init__(self, article: Article, mentions: Mentions, dataset: Dataset | None, gaz: Gazetteer,
                 source_id: str, source_match: str | None, ids: FreshIds):
        self.article, self.m, self.ds, self.gaz = article, mentions, dataset, gaz
        self.text = mentions.text
        self.src = source_id
        self.source_match = source_match
        self.ids = ids
        self.records: list[DraftRecord] = []
        self.rels: dict[tuple, DraftRecord] = {}
        self.paras = paragraphs(self.text)
        stated = [d for d in mentions.dates if d.basis == "stated"]
        self.reference_date = article.date or (max(d.date for d in stated) if stated else None)
        self.region_ids: dict[str, str] = {}
        self.cohorts: list[tuple[str, CohortType, dict]] = []  # (id, type, info)
        self.entities: list[AgencyEntity] = []
        self.found_programmes: list[tuple[str, int, set[CohortType]]] = []  # (id, sentence start, cohort types)
        self.instrument_ids: dict[str, str] = {}
        self.meetings: list[dict] = []
        # mentions are in text order: the lookups by place below bisect these
        self.para_starts = [p.start for p in self.paras]
        self.region_starts = [r.start for r in mentions.regions]
        self.date_starts = [d.start for d in mentions.dates]
        self.pmi_at: dict[int, PmiReading] = {}
        for p in mentions.pmi:
            self.pmi_at.setdefault(p.start, p.reading)
        self.seed_pairs = ({(r.source_node, r.type, r.target_node) for r in dataset.relationships}
                           if dataset is not None else set())
        self.resolver: Resolver | None = None
        self.resolved: dict[tuple[str, ...], Resolution] = {}
        self.found_agencies: dict[tuple[str, ...], str | None] = {}

    def sentence(self, pos: int) -> Segment:
        """The sentence holding ``pos`` (else the nearest one)."""
        return self.m.sentence_of(pos)

    def paragraph(self, pos: int) -> Segment:
        """The paragraph holding ``pos``."""
        i = bisect_right(self.para_starts, pos) - 1
        if i >= 0 and pos < self.paras[i].end:
            return self.paras[i]
        return next(p for p in self.paras if p.start <= pos < p.end)  # not in one: fails as a scan would

    def regions_between(self, start: int, end: int) -> list:
        """Region mentions starting in [start, end), in text order."""
        return self.m.regions[bisect_left(self.region_starts, start):bisect_left(self.region_starts, end)]

    def regions_in(self, start: int, end: int) -> list:
        """Region mentions in [start, end), without a province when one of its regencies is named beside it."""
        regs = self.regions_between(start, end)
        codes = {r.code for r in regs}
        # a province is the container when one of its regencies is named beside it
        return [r for r in regs if "." in r.code or not any(c.startswith(r.code + ".") for c in codes)]

    def dates_between(self, start: int, end: int) -> list[DateMention]:
        """Dates starting in [start, end), in text order."""
        return self.m.dates[bisect_left(self.date_starts, start):bisect_left(self.date_starts, end)]

    def pmi_reading_at(self, pos: int) -> PmiReading | None:
        """How the "PMI" starting at ``pos`` reads (None if none starts there)."""
        return self.pmi_at.get(pos)

    def quote(self, start: int, end: int) -> tuple[int, int]:
        """The quote around [start, end): the span widened within its sentence to read on its own."""
        return quote_span(self.text, self.sentence(start), start, end)

    def add_node(self, label: NodeLabel, data: dict, *, rule: str, confidence: float, span: tuple[int, int],
                 match: str | None = None, note: str | None = None, candidates=(), status: str = "proposed") -> DraftRecord:
        """Add a proposed node record; its first evidence is the quote around ``span``.

        Parameters
        ----------
        label : NodeLabel
            The node's label.
        data : dict
            The seed fields (without evidence, or with evidence to keep after the quote).
        rule, confidence
            The rule that proposed it, and how sure it is.
        span : tuple of int
            What the rule matched.
        match : str, optional
            The seed id this record attaches to.
        note : str, optional
            A note for the reviewer.
        candidates : sequence of (str, float)
            Seed ids it may be, with scores, when the resolver was unsure.
        status : str
            The draft status (``proposed``).

        Returns
        -------
        DraftRecord
        """
        qs, qe = self.quote(*span)
        ev0 = quoted_evidence(self.src, self.text, qs, qe)
        if "evidence" not in data:
            data["evidence"] = [ev0]
        elif label is not NodeLabel.REGION:
            # the first quote is the one the offsets point at
            rest = [ev for ev in data["evidence"] if ev != ev0]
            data["evidence"] = [ev0, *rest][: max(3, len(data["evidence"]))]
        draft = {"status": status, "confidence": round(confidence, 2), "rule": rule, "offsets": [qs, qe],
                 "mention": [span[0], span[1]], "match": match, "note": note}
        if candidates:
            draft["candidates"] = [{"id": i, "score": s} for i, s in candidates[:5]]
        rec = DraftRecord(label, data, draft)
        self.records.append(rec)
        return rec

    def status_of(self, rtype: RelType, span: tuple[int, int]) -> StatusReading | None:
        """The status an activity relationship triggered at ``span`` proposes, read from its clause (None: not one)."""
        if rtype not in ACTIVITY_RELS:
            return None
        seg = self.sentence(span[0])
        return activity_status(self.text[seg.start:seg.end], (span[0] - seg.start, span[1] - seg.start))

    def add_rel(self, rtype: RelType, src: str, dst: str, span: tuple[int, int], *, rule: str, confidence: float,
                note: str | None = None, quote_span_: tuple[int, int] | None = None,
                reading: StatusReading | None = None, **fields: Any) -> None:
        """Propose a relationship triggered at ``span``, once per (type, from, to, service or duty).

        An activity relationship takes its status from the clause around ``span``;
        one the sentence negates is not proposed, only flagged. A relationship
        proposed again gains the new quote (up to three), and a quote that says
        more ("telah" after "akan") leads and sets the status.
        """
        if not src or not dst or src == dst:
            return
        reading = reading or self.status_of(rtype, span)
        if reading is not None and reading.status is None:
            # the sentence says it did not happen (or was refused): no relationship, only a line to check
            seg = self.sentence(span[0])
            flag = (f"{rtype.value} {src} -> {dst} not proposed: negated by '{reading.cue}' in "
                    f"\"{fold_space(self.text[seg.start:seg.end])[:160]}\"")
            if flag not in self.m.flags:
                self.m.flags.append(flag)
            return
        if rtype is RelType.COOPERATES_WITH:
            # symmetric: keep one direction, the seed's when it already has the pair
            reverse = (dst, rtype.value, src, "")
            seed_has_reverse = reverse[:3] in self.seed_pairs
            if seed_has_reverse or (rtype.value, dst, src, "") in self.rels:
                src, dst = dst, src
        qs, qe = quote_span_ or self.quote(*span)
        data: dict[str, Any] = {"type": rtype.value, "from": src, "to": dst}
        if reading is not None and reading.status is not None:  # a status of None returned above
            data["status"] = reading.status.value
        data.update({k: v for k, v in fields.items() if v is not None})
        ev = quoted_evidence(self.src, self.text, qs, qe)
        rec = DraftRecord(None, data, {"status": "proposed", "confidence": round(confidence, 2), "rule": rule,
                                      "offsets": [qs, qe], "mention": [span[0], span[1]], "match": None, "note": note})
        if reading is not None:
            # the cue that decided the status: in the seed record's notes (it stays after merge) and for review
            data["notes"] = reading.note
            rec.draft["cue"] = reading.cue
        key = rec.key()
        if key in self.rels:
            old = self.rels[key]
            if reading is not None and goes_further(data["status"], old.data.get("status")):
                # a later quote says more ("telah" after "akan"): it leads, and its status holds
                old.data["status"], old.data["notes"] = data["status"], data["notes"]
                old.draft.update(offsets=[qs, qe], mention=[span[0], span[1]], cue=reading.cue)
                old.data["evidence"] = [ev, *(e for e in old.data["evidence"] if e != ev)][:3]
                return
            if ev not in old.data["evidence"] and len(old.data["evidence"]) < 3:
                old.data["evidence"].append(ev)
            return
        data["evidence"] = [ev]
        if "notes" in data:
            data["notes"] = data.pop("notes")  # after the evidence, as in the seed's files
        self.rels[key] = rec

    def seed_node(self, node_id: str):
        """The seed's node ``node_id`` (None without a seed or if there is none)."""
        return self.ds.nodes.get(node_id) if self.ds is not None else None

    def resolve(self, names: tuple[str, ...]) -> Resolution:
        """The resolver's answer for ``names``, asked once per spelling (an agency is named again and again)."""
        if self.resolver is None:
            self.resolver = Resolver(self.ds, self.gaz)
        if names not in self.resolved:
            self.resolved[names] = self.resolver.resolve(list(names))
        return self.resolved[names]

    def index_agencies(self) -> None:
        """Where each agency is mentioned, sorted by place, for the lookups by place below."""
        rows = sorted((m.start, i, m.nested) for i, ent in enumerate(self.entities) for m in ent.mentions)
        self.mention_rows = rows
        self.mention_starts = [r[0] for r in rows]
        plain = sorted((m.start, m.end, i) for i, ent in enumerate(self.entities) for m in ent.mentions if not m.nested)
        self.plain_rows = plain  # mentions not inside another's name do not overlap
        self.plain_starts = [r[0] for r in plain]
        self.entity_of = {id(m): ent for ent in reversed(self.entities) for m in ent.mentions}
        self.paragraph_firsts: dict[int, list[tuple[int, AgencyEntity]]] = {}
        self.starts_of: dict[int, tuple[list[int], list[int]]] = {}  # id(entity) -> (all starts, plain starts)
        self.mentions_by_start: dict[int, list[AgencyMention]] = {}
        for ent in self.entities:
            ordered = sorted(ent.mentions, key=lambda m: m.start)
            self.starts_of[id(ent)] = ([m.start for m in ordered], [m.start for m in ordered if not m.nested])
            self.mentions_by_start[id(ent)] = ordered

    def entity_at(self, pos: int) -> AgencyEntity | None:
        """The agency whose name (not inside another's) covers ``pos``."""
        i = bisect_right(self.plain_starts, pos) - 1
        if i >= 0 and pos < self.plain_rows[i][1]:
            return self.entities[self.plain_rows[i][2]]
        return None

    def iter_entities_in(self, start: int, end: int, *, nested: bool = False) -> Iterator[AgencyEntity]:
        """Agencies mentioned in [start, end), in order of first mention there, found as they are needed."""
        seen: set[int] = set()
        for k in range(bisect_left(self.mention_starts, start), bisect_left(self.mention_starts, end)):
            _, i, is_nested = self.mention_rows[k]
            if i not in seen and (nested or not is_nested):
                seen.add(i)
                yield self.entities[i]

    def first_two_in_paragraph(self, para: Segment) -> list[tuple[int, AgencyEntity]]:
        """The paragraph's first two agencies, with where each is first named (asked once per paragraph).

        Whatever a rule wants of "the paragraph's first agency (other than this one)" is among them; finding
        them again for each sentence would read a one-line article from its start each time.
        """
        if para.start not in self.paragraph_firsts:
            firsts: list[tuple[int, AgencyEntity]] = []
            for k in range(bisect_left(self.mention_starts, para.start), bisect_left(self.mention_starts, para.end)):
                pos, i, is_nested = self.mention_rows[k]
                if not is_nested and all(e is not self.entities[i] for _, e in firsts):
                    firsts.append((pos, self.entities[i]))
                    if len(firsts) == 2:
                        break
            self.paragraph_firsts[para.start] = firsts
        return self.paragraph_firsts[para.start]

    def entities_in(self, start: int, end: int, *, nested: bool = False) -> list[AgencyEntity]:
        """Agencies mentioned in [start, end), in order of first mention there."""
        return list(self.iter_entities_in(start, end, nested=nested))

    def first_start(self, ent: AgencyEntity, start: int, end: int, *, nested: bool = False) -> int | None:
        """Where ``ent`` is first mentioned in [start, end) (counting mentions inside other names if ``nested``)."""
        starts = self.starts_of[id(ent)][0 if nested else 1]
        k = bisect_left(starts, start)
        return starts[k] if k < len(starts) and starts[k] < end else None

    def mentions_between(self, ent: AgencyEntity, start: int, end: int) -> list[AgencyMention]:
        """``ent``'s mentions starting in [start, end), in text order."""
        starts = self.starts_of[id(ent)][0]
        return self.mentions_by_start[id(ent)][bisect_left(starts, start):bisect_left(starts, end)]
