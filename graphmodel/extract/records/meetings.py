"""Meeting records: who met whom, when and where, and what they discussed."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from graphmodel.extract.dates import DateMention
from graphmodel.extract.records.builder import DocumentBuilder, quoted_evidence
from graphmodel.extract.records.document import AgencyEntity
from graphmodel.extract.text import Segment, quote_span, slugify
from graphmodel.model.schema import Meeting, MeetingKind, NodeLabel, RelType
from graphmodel.util.text import fold_space

__all__ = ["propose_meetings"]

_ONLINE = re.compile(r"\b(?:daring|virtual|online|zoom|video\s*conference|telekonferensi|vicon)\b", re.I)
_HYBRID = re.compile(r"\b(?:hybrid|hibrid(?:a)?)\b", re.I)
_MEETING_KINDS: list[tuple[re.Pattern, MeetingKind, str]] = [
    (re.compile(r"\b(?:rapat\s+koordinasi|rakor|coordination\s+meeting|FGD|focus\s+group\s+discussion|lokakarya|workshop|rapat\s+kerja|rakernis|rakerda)\b", re.I), MeetingKind.COORDINATION_MEETING, "rakor"),
    (re.compile(r"\baudiensi\b", re.I), MeetingKind.AUDIENCE, "audience"),
    (re.compile(r"\b(?:kunjungan(?:\s+kerja)?|berkunjung|mengunjungi|kunker)\b", re.I), MeetingKind.VISIT, "visit"),
    (re.compile(r"\b(?:penyerahan|serah\s+terima)\b", re.I), MeetingKind.HANDOVER, "handover"),
    (re.compile(r"\b(?:jumpa\s+pers|konferensi\s+pers|press\s+conference)\b", re.I), MeetingKind.PRESS_CONFERENCE, "press"),
    (re.compile(r"\b(?:pertemuan(?:nya)?|bertemu)\b", re.I), MeetingKind.AUDIENCE, "meeting"),
    (re.compile(r"\brapat\b", re.I), MeetingKind.COORDINATION_MEETING, "rapat"),
]
_MEETING_TITLE = {
    MeetingKind.COORDINATION_MEETING: "Coordination meeting", MeetingKind.AUDIENCE: "Audience",
    MeetingKind.VISIT: "Visit", MeetingKind.HANDOVER: "Handover", MeetingKind.PRESS_CONFERENCE: "Press conference",
}
_BACKREF = re.compile(r"\b(?:tersebut|ini|itu)\b", re.I)
_VENUE = re.compile(
    r"\bdi\s+(?P<v>(?:Aula|Balai|[Rr]uang(?:an)?|Kantor|[Kk]antor|Gedung|Hotel|Pendopo|Rumah\s+(?:Dinas|Jabatan|Detensi)|"
    r"Kompleks?|Komplek|Kementerian|Mapolda|Mapolres\w*|Mako\w*|Wisma|Hall|Lapangan|Halaman|Pelabuhan|Bandara|Markas|"
    r"Gubernuran|Rujab|Rudenim|Lobby|Lobi|Graha|Sekretariat)\b[^,.;()“”\"]*?)"
    r"(?=\s*[,.;(“”\"]|\s+(?:pada|Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu|yang|untuk|dengan|dan|kemarin|menjelaskan|mengatakan|dihadiri)\b|$)"
)
_TOPIC = re.compile(r"\b(?:terkait|membahas|mengenai|tentang|untuk membahas)\s+(?P<t>[^.;“”\"]{10,140}?)(?=\s+(?:yang\s+digelar|yang\s+dilaksanakan|di\s+[A-Z])|[.;,]|$)")
_HOST_VERB = re.compile(r"\b(?:menggelar|mengadakan|menyelenggarakan|menerima\s+(?:audiensi|kunjungan)|mendapatkan\s+kunjungan|menjamu|memimpin)\b", re.I)
_VISIT_FROM = re.compile(r"\b(?:kunjungan\s+(?:kerja\s+)?dari|audiensi|berkunjung\s+ke)\b", re.I)
_SPEAKER = re.compile(r"\b(?:narasumber|sambutan(?:nya)?|pemaparan|paparan|pembicara)\b", re.I)


def propose_meetings(b: DocumentBuilder) -> None:
    """Propose the meetings reported: a meeting word with a date or a venue opens one, and the sentences after it that refer back join it.

    Each meeting gets its participants with their roles (host, visitor,
    speaker, participant), its place, and what it discussed of the cohorts,
    programmes and instruments named in its sentences.
    """
    t = b.text
    current: dict | None = None
    for seg in b.m.sentences:
        sent = t[seg.start:seg.end]
        kinds = [(first_hit, k, short) for p, k, short in _MEETING_KINDS if (first_hit := p.search(sent))]
        if not kinds:
            continue
        dates = b.dates_between(seg.start, seg.end)
        venue = _VENUE.search(sent)
        backref = any(_BACKREF.match(sent[mm.end():mm.end() + 12].strip()) for mm, _, _ in kinds)
        if current is not None and (backref or (not dates and not venue) or (dates and dates[0].date == current["date"].date)):
            current["sentences"].append(seg)
            if venue and not current["venue"]:
                current["venue"] = (seg.start + venue.start("v"), seg.start + venue.end("v"))
            continue
        if not dates and not venue:
            continue
        if not dates:
            earlier = bisect_left(b.date_starts, seg.start)  # how many dates start before the sentence
            date = b.m.dates[earlier - 1] if earlier else None
            if date is None and b.article.date:
                date = DateMention(b.article.date, seg.start, seg.start, "", "inferred",
                                   "the article's date (from its metadata)", confidence=0.5)
            if date is None:
                b.m.flags.append(f"offset {seg.start}: a meeting without any date in the report; not proposed")
                continue
            date = DateMention(date.date, date.start, date.end, date.original, "inferred",
                               f"no date printed with the meeting; the date '{date.original or date.date.isoformat()}' printed "
                               f"before it in the report is taken as an upper bound", date.weekday, min(date.confidence, 0.55))
        else:
            date = dates[0]
        mm, kind, short = kinds[0]
        current = {"kind": kind, "short": short, "date": date, "sentences": [seg], "trigger": (seg.start + mm.start(), seg.start + mm.end()),
                   "venue": (seg.start + venue.start("v"), seg.start + venue.end("v")) if venue else None}
        b.meetings.append(current)
    index = _index_for_meetings(b)
    for meeting in b.meetings:
        _meeting(b, meeting, index)


@dataclass
class _SentenceIndex:
    """What each sentence holds that a meeting in it discussed: cohorts, programmes, instruments."""

    cohort_span_in: list[dict[int, tuple[int, int]]]  # cohort -> sentence start -> its first span there
    programmes_in: dict[int, list[int]]  # sentence start -> indices of found programmes, in order
    instruments_in: dict[int, list[int]]  # sentence start -> indices of instrument mentions, in order


def _index_for_meetings(b: DocumentBuilder) -> _SentenceIndex:
    """What each sentence holds that a meeting in it discussed: cohorts, programmes, instruments."""
    # spans in order, so the first found is kept
    cohort_span_in: list[dict[int, tuple[int, int]]] = []
    for _, _, info in b.cohorts:
        first: dict[int, tuple[int, int]] = {}
        for s, e in info["spans"]:
            first.setdefault(b.sentence(s).start, (s, e))
        cohort_span_in.append(first)
    programmes_in: dict[int, list[int]] = defaultdict(list)
    for k, (_, sstart, _) in enumerate(b.found_programmes):
        programmes_in[sstart].append(k)
    instruments_in: dict[int, list[int]] = defaultdict(list)
    for k, ins in enumerate(b.m.instruments):
        instruments_in[b.sentence(ins.start).start].append(k)
    return _SentenceIndex(cohort_span_in, programmes_in, instruments_in)


def _meeting(b: DocumentBuilder, mt: dict, index: _SentenceIndex) -> None:
    t = b.text
    segs: list[Segment] = mt["sentences"]
    first = segs[0]
    sent_text = " ".join(t[s.start:s.end] for s in segs)
    date: DateMention = mt["date"]
    fmt = "online" if _ONLINE.search(t[first.start:first.end]) else ("hybrid" if _HYBRID.search(sent_text) else "in_person")
    venue = fold_space(t[mt["venue"][0]:mt["venue"][1]]) if mt["venue"] else None
    # roles
    roles: dict[str, tuple[str, tuple[int, int], AgencyEntity]] = {}
    for seg in segs:
        s_text = t[seg.start:seg.end]
        ents = b.entities_in(seg.start, seg.end)
        host_verb = _HOST_VERB.search(s_text)
        visit = _VISIT_FROM.search(s_text)
        with_m = re.search(r"\bpertemuan(?:nya)?\s+dengan\b", s_text, re.I)
        # the host is the last agency named before the verb
        before_verb = [e for e in ents if host_verb and (named_at := b.first_start(e, seg.start, seg.end, nested=True))
                       is not None and named_at - seg.start < host_verb.start()]
        host_here = before_verb[-1] if before_verb else None
        for ent in ents:
            pos = b.first_start(ent, seg.start, seg.end)
            assert pos is not None  # ents are the agencies named in seg
            rel_pos = pos - seg.start
            role = "participant"
            if host_verb and rel_pos < host_verb.start() and ent is host_here:
                role = "host"
            elif with_m and rel_pos > with_m.end():
                role = "host"
            elif with_m and rel_pos < with_m.start():
                role = "visitor"
            elif visit and rel_pos > visit.start():
                role = "visitor"
            elif _SPEAKER.search(s_text):
                role = "speaker"
            old = roles.get(ent.id)
            rank = {"host": 3, "visitor": 2, "speaker": 1, "participant": 0}
            if old is None or rank[role] > rank[old[0]]:
                roles[ent.id] = (role, (pos, pos + 1), ent)
    host = next((e for r, _, e in roles.values() if r == "host"), None)
    # where
    region_code = None
    if mt["venue"]:
        inside = b.regions_between(*mt["venue"])
        region_code = inside[-1].code if inside else None
    if region_code is None and host is not None and host.region:
        region_code = host.region
    if region_code is None:
        dl = [r for r in b.regions_between(first.start, first.end) if r.rule == "region:dateline"]
        region_code = dl[0].code if dl else None
    match = None
    if b.ds is not None:
        for n in b.ds.nodes.values():
            if isinstance(n, Meeting) and n.date == date.date:
                match = n.id
    place = b.gaz.regions[region_code].base if region_code else (venue or "")
    who = host.acronym or host.canonical if host else None
    name = f"{_MEETING_TITLE[mt['kind']]}" + (f" hosted by {who}" if who else "") + (f" at {venue}" if venue else (f" in {place}" if place else "")) + f" ({date.date.isoformat()})"
    topic = _TOPIC.search(t[first.start:first.end])
    trig = mt["trigger"]
    if match:
        mid = match
        b.add_node(NodeLabel.MEETING, {"id": mid, "name": b.seed_node(mid).name}, rule=f"meeting:{mt['short']}",
                   confidence=0.8, span=trig, match=mid, note="an existing meeting on the same date")
    else:
        mid = b.ids.new(f"mtg-{date.date.isoformat()}-{slugify(place, 24) if place else 'x'}-{mt['short']}")
        data: dict[str, Any] = {"id": mid, "name": name[:480], "kind": mt["kind"].value, "date": date.date.isoformat(),
                                "date_precision": "day", "date_basis": date.basis}
        if date.basis == "inferred":
            data["date_reasoning"] = date.reasoning or "inferred"
        if venue:
            data["venue"] = venue[:480]
        data["format"] = fmt
        if topic:
            data["topics"] = [fold_space(topic.group("t"))[:480]]
        qs = quote_span(t, first, trig[0], trig[1])
        evidence = [quoted_evidence(b.src, t, *qs)]
        dq = quote_span(t, b.sentence(date.start), date.start, date.end) if date.original else None
        if dq and quoted_evidence(b.src, t, *dq) not in evidence:
            evidence.append(quoted_evidence(b.src, t, *dq))
        data["evidence"] = evidence
        note = f"date {date.date.isoformat()} ({date.basis})" + (f": {date.reasoning}" if date.reasoning else "")
        b.add_node(NodeLabel.MEETING, data, rule=f"meeting:{mt['short']}", confidence=0.7 if date.basis == "stated" else 0.55,
                   span=trig, note=note)
    if region_code and region_code in b.region_ids:
        b.add_rel(RelType.LOCATED_IN, mid, b.region_ids[region_code], mt["venue"] or trig,
                  rule="located-in:meeting", confidence=0.6)
    for ent_id, (role, (pos, _), ent) in roles.items():
        m = b.mentions_between(ent, pos, pos + 1)[0]
        span = (m.start, m.end)
        b.add_rel(RelType.ATTENDED, ent_id, mid, span, rule=f"attended:{role}", confidence=0.65 if role != "participant" else 0.55,
                  role=role)
        if role == "host":
            b.add_rel(RelType.HOSTED, ent_id, mid, span, rule="hosted:verb", confidence=0.6)
    seg_starts = {s.start for s in segs}
    for (cid, _ctype, _info), first_in in zip(b.cohorts, index.cohort_span_in):
        spans_here = [first_in[ss] for ss in seg_starts if ss in first_in]
        if spans_here:  # the cohort's first span in one of the meeting's sentences
            s, e = min(spans_here)
            b.add_rel(RelType.DISCUSSED, mid, cid, (s, e), rule="discussed:cohort-in-meeting", confidence=0.55)
    for k in sorted(k for ss in seg_starts for k in index.programmes_in.get(ss, ())):
        pid = b.found_programmes[k][0]
        b.add_rel(RelType.DISCUSSED, mid, pid, trig, rule="discussed:programme-in-meeting", confidence=0.5)
    for k in sorted(k for ss in seg_starts for k in index.instruments_in.get(ss, ())):
        ins = b.m.instruments[k]
        b.add_rel(RelType.DISCUSSED, mid, b.instrument_ids[ins.key], (ins.start, ins.end),
                  rule="discussed:instrument-in-meeting", confidence=0.5)
