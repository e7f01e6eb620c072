"""How far a sentence says an activity went: the status an extracted relationship proposes.

Every activity relationship (SERVES, FUNDS, IMPLEMENTS, TARGETS, SUPPORTS,
OPERATES, SHELTERS, COOPERATES_WITH) says whether the source reports it done
or going on, only planned, only hoped for, or inferred
(:class:`graphmodel.model.schema.ActivityStatus`, the evidence threshold of
``seed/README.md``). Extraction reads it from the words of the clause that
holds the relationship's trigger (the cue word, the sum of money, the count),
the same way in every article:

==========  ==================================================================
hoped       a wish, request or call: "berharap", "harapan", "diharapkan",
            "meminta", "minta", "mohon", "semoga", "mengimbau", "mendesak",
            "ingin", "perlu", "harus", "wajib", "kewajiban", "tanggung
            jawab" ("Kami berharap Pemerintah Kota Makassar dapat
            menyediakan layanan kesehatan")
(none)      negated or refused: "tidak", "tak", "belum", "menolak", "enggan"
            ("IOM tidak pernah memberikan dukungan"), or a shortage named
            right before the trigger ("keterbatasan tempat penampungan");
            nothing is proposed
planned     announced, committed, prepared or possible: "akan", "bakal",
            "berencana", "rencana", "berkomitmen", "siap", "segera",
            "menyiapkan" (a headline's "Siapkan"), "bisa", "ke depan",
            "mendatang"
reported    everything else: done or going on ("telah", "sudah",
            "menyalurkan", "memberikan", "menetap", a figure), or a plain
            statement with no cue at all
==========  ==================================================================

Precedence runs down the table: the first row whose cue the clause holds
decides. A hope outranks a plan ("Kami berharap ... akan ..." is hoped), and
a clause that mixes a plan with a report ("telah menyalurkan ... dan akan
menambah") is planned: when the words disagree, the weaker reading is
proposed, and the reviewer may raise it; extraction never overstates.

Negation proposes nothing, not even "planned": "belum" says the activity has
not happened and does not say that it will; the schema has no status for
"not done". Negation inside a relative clause ("pengungsi yang belum
terdaftar") describes the people, not the activity, and is ignored, as are
"tidak hanya", "tak jarang", "belum lama" and the like.

A cue in a relative clause that opens after the trigger ("... dengan UNHCR
dan IOM yang menyatakan akan menangani") describes a noun, not the activity,
and is not read.

Limits: any other cue is read anywhere in the clause, so a plan or wish
about something else in it ("perlunya memaksimalkan tata tertib di 20
Community House") decides the status of every relationship the clause gives
(here the shelters, which the sentence takes as given); cue words outside these lists ("mengajak", "tugas") are not read;
a hope stated in one sentence does not reach the next.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from graphmodel.model.schema import ActivityStatus

__all__ = ["StatusReading", "activity_status", "clause_of", "goes_further", "STATUS_RANK"]


@dataclass(frozen=True)
class StatusReading:
    """The status a clause proposes, and the word that decided it; unpacks as ``status, cue``.

    ``status`` is None when the clause negates the activity: nothing is
    proposed. ``cue`` is the deciding word as printed, or "" for a plain
    statement with no cue. ``why`` replaces the cue in the note when the
    status comes from something else than the sentence's words.
    """

    status: ActivityStatus | None
    cue: str
    why: str = ""

    def __iter__(self) -> Iterator[Any]:
        return iter((self.status, self.cue))

    @property
    def note(self) -> str:
        """What a reviewer reads about it: ``status planned from "akan"``."""
        if self.why:
            return f"status {self.status.value if self.status else 'none'}: {self.why}"
        if self.status is None:
            return f'not proposed: negated by "{self.cue}"'
        if not self.cue:
            return f"status {self.status.value}: a plain statement, no cue word"
        return f'status {self.status.value} from "{self.cue}"'


STATUS_RANK: dict[str, int] = {ActivityStatus.HOPED: 0, ActivityStatus.PLANNED: 1, ActivityStatus.INFERRED: 2,
                               ActivityStatus.REPORTED: 3}
"""How far each status says the activity went: when two quotes give one relationship, the higher one holds."""


def goes_further(new: str | None, old: str | None) -> bool:
    """Whether status ``new`` says the activity went further than ``old`` (a reported quote beats a planned one)."""
    return STATUS_RANK.get(str(new), -1) > STATUS_RANK.get(str(old), -1)


def _words(*forms: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(forms) + r")\b", re.I)


_HOPE = _words(
    r"berharap", r"harapan(?:nya|\s+kami)?", r"(?:di|meng)?harapkan", r"mengharap", r"meminta(?:nya)?", r"minta",
    r"diminta", r"(?:me|di)?mohon", r"semoga", r"meng?h?imbau", r"h?imbauan", r"(?:men|di)desak", r"menuntut",
    r"ingin", r"menginginkan", r"perlu(?:nya)?", r"diperlukan", r"memerlukan", r"harus", r"seharusnya",
    r"sebaiknya", r"hendaknya", r"semestinya", r"mesti", r"wajib", r"(?:ber)?kewajiban", r"(?:ber)?tanggung\s+jawab",
)
"""A wish, a request, a call or a duty laid on someone: hoped, never delivered. "permintaan" (a request granted) is no cue."""

_PLAN = _words(
    r"akan(?!\s+tetapi)", r"bakal", r"berencana", r"(?:me|di)rencanakan", r"rencana(?:nya)?", r"berkomitmen",
    r"komitmen(?:nya)?", r"siap", r"bersiap", r"(?:di)?siapkan", r"menyiapkan", r"bisa", r"(?:mem|di)persiapkan", r"segera", r"hendak",
    r"nantinya", r"mendatang", r"ke\s+depan(?:nya)?", r"tahun\s+depan", r"ditargetkan", r"menargetkan", r"berjanji",
)
"""Announced, committed, prepared or possible: planned. "akan tetapi" (however) is no cue; a headline's
bare "Siapkan" is "menyiapkan"; "bisa" (can) states a possibility, not a delivery."""

_NOT_A_PLAN = re.compile(
    r"\b(?:takut|kepastian|keputusan|kebutuhan|kesadaran|sadar|paham|pemahaman|peduli|kepedulian|rindu|lupa|ingat)"
    r"\s+akan\b", re.I)
"""'akan' after these words means 'of, about' ("kepastian akan solusi"), not 'will'."""

_NEGATION = re.compile(
    r"\b(?:tidak|tak|belum|menolak|enggan)\b(?!\s+(?:hanya|saja|sedikit|terkecuali|kurang|lama|jarang|jauh|lain|pelak|heran|terlepas)\b)",
    re.I)
"""Not done, or refused. Followed by the words above it is no negation ("tidak hanya", "belum lama ini", "tak jauh dari")."""

_LACK = re.compile(r"\b(?:keterbatasan|kekurangan|kurangnya|minimnya|ketiadaan|tidak\s+adanya)\s+(?:\S+\s+)?$", re.I)
"""A shortage named right before the trigger ("keterbatasan tempat penampungan"): the thing is lacking, not given."""

_RELATIVE = re.compile(r"\byang\s+$", re.I)
"""A negation right after 'yang' describes a noun ("pengungsi yang belum terdaftar"), not the activity."""

_REPORTED = _words(
    r"telah", r"sudah", r"sempat", r"pernah", r"tengah", r"sedang", r"selama\s+ini", r"rutin", r"berhasil",
    r"(?:meny|dis)erahkan", r"(?:meny|dis)alurkan", r"(?:mem|di)berikan", r"memberi", r"menetap", r"ditampung",
    r"menampung", r"tinggal", r"berada", r"(?:mem|di)bantu", r"(?:mem|di)fasilitasi", r"menangani", r"ditangani",
    r"memulangkan", r"dipulangkan", r"(?:me|di)layani", r"menerima", r"diterima", r"(?:meny|dis)ediakan", r"bekerja\s+sama",
    r"berkoordinasi", r"menggelar", r"digelar",
)
"""Words that state the activity as done or going on: reported (named in the note; a plain statement is reported too)."""

_FIGURE = re.compile(r"\d[\d.,]*\d|\d")

_CLAUSE_BREAK = re.compile(
    r";|,\s*(?:sementara|sedangkan|kemudian)\b|\b(?:sedangkan|tetapi|tapi|namun|padahal)\b"
    r"|\bdan\s+(?=(?:mereka|kami|kita|ia|dia|pihaknya)\b)", re.I)
"""Where one clause ends and the next begins: a plan or wish does not reach across these ("dan" only before a
new subject: "telah koordinasi dengan IOM dan mereka siap mendukung" is two clauses)."""


def clause_of(sentence: str, span: tuple[int, int] | None = None) -> tuple[int, int]:
    """The clause of ``sentence`` that holds ``span`` (offsets into ``sentence``), as [start, end).

    A span that reaches across a break gets every clause it touches.

    >>> s = "IOM telah menyalurkan bantuan, sementara Pemkot akan menyediakan shelter."
    >>> s[slice(*clause_of(s, (0, 3)))]
    'IOM telah menyalurkan bantuan'
    >>> s[slice(*clause_of(s, (48, 52)))]
    ', sementara Pemkot akan menyediakan shelter.'
    """
    if span is None:
        return 0, len(sentence)
    lo, hi = max(0, span[0]), min(len(sentence), max(span[0], span[1]))
    start, end = 0, len(sentence)
    for brk in _CLAUSE_BREAK.finditer(sentence):
        if brk.start() <= lo:
            start = brk.start()
        elif brk.start() >= hi:
            end = brk.start()
            break
    return start, end


_YANG = re.compile(r"\byang\b", re.I)


def _governing_part(clause: str, trigger_end: int | None) -> str:
    """The part of ``clause`` whose cues govern a trigger ending at ``trigger_end`` (an offset into ``clause``).

    A 'yang' after the trigger opens a relative clause about a noun: its cues
    describe that noun, not the activity ("berkoordinasi dengan UNHCR dan IOM
    yang menyatakan akan menangani" reports the coordination; "membantu
    pengungsi yang ingin pulang" reports the help).
    """
    if trigger_end is None:
        return clause
    rel = _YANG.search(clause, max(0, trigger_end))
    return clause[: rel.start()] if rel else clause


def _negation(clause: str) -> str | None:
    for m in _NEGATION.finditer(clause):
        if not _RELATIVE.search(clause[: m.start()]):
            return m.group(0)
    return None


def _plan(clause: str) -> str | None:
    for m in _PLAN.finditer(clause):
        if m.group(0).lower() == "akan" and _NOT_A_PLAN.search(clause[: m.end()]):
            continue
        return m.group(0)
    return None


def activity_status(sentence: str, span: tuple[int, int] | None = None) -> StatusReading:
    """The status the clause of ``sentence`` holding ``span`` proposes, and the cue that decided it.

    Parameters
    ----------
    sentence
        The sentence the relationship's evidence quote comes from.
    span
        The trigger's [start, end) offsets in ``sentence`` (the cue word, a
        sum of money, a count); None reads the whole sentence.

    Returns
    -------
    StatusReading
        ``(status, cue)``: hoped, then negated (status None: propose
        nothing), then planned, then reported; see the module docstring.

    Examples
    --------
    >>> status, cue = activity_status("Kami berharap Pemerintah Kota Makassar dapat menyediakan layanan kesehatan")
    >>> status.value, cue
    ('hoped', 'berharap')
    >>> activity_status("IOM UN akan melakukan kerjasama").note
    'status planned from "akan"'
    >>> activity_status("IOM memberikan bantuan biaya hidup sebesar Rp1,25 jt per orang").note
    'status reported from "memberikan"'
    >>> activity_status("Pemerintah belum menyediakan tempat penampungan").note
    'not proposed: negated by "belum"'
    """
    start, end = clause_of(sentence, span)
    clause = _governing_part(sentence[start:end], None if span is None else span[1] - start)
    hope = _HOPE.search(clause)
    if hope:
        return StatusReading(ActivityStatus.HOPED, hope.group(0))
    lack = _LACK.search(clause[: span[0] - start]) if span is not None else None
    negated = lack.group(0).split()[0] if lack else _negation(clause)
    if negated:
        return StatusReading(None, negated)
    plan = _plan(clause)
    if plan:
        return StatusReading(ActivityStatus.PLANNED, plan)
    done = _REPORTED.search(clause)
    if done:
        return StatusReading(ActivityStatus.REPORTED, done.group(0))
    figure = _FIGURE.search(clause)
    if figure:
        return StatusReading(ActivityStatus.REPORTED, figure.group(0))
    return StatusReading(ActivityStatus.REPORTED, "")
