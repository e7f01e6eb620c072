"""Indonesian date expressions, and the year of a date printed without one.

News reports print dates as ``Kamis (25/7/2019)`` (weekday, then
day/month/year), ``kemarin (26/08)`` or ``Senin (21/02)`` (no year), or
``14 Agustus 2023``. A date without a year gets one from, in order:

1. the weekday, when exactly one year of the window (2015-2025 by default,
   or the year of the article and the one before, when the article's date is
   known) puts that day on that weekday;
2. the article's date (from its header or side file), or else the latest
   full date printed in the same report.

Every such date is returned with ``basis="inferred"`` and the reasoning in
words, for the ``date_reasoning`` a reviewer reads.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from graphmodel.extract.text import Claimed

__all__ = ["DateMention", "find_dates", "infer_year", "DEFAULT_WINDOW", "WEEKDAYS", "MONTHS"]

DEFAULT_WINDOW: tuple[int, int] = (2015, 2025)
"""Years a yearless date may fall in when the article's date is unknown."""

WEEKDAYS: dict[str, int] = {
    "senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "jum'at": 4, "jum’at": 4,
    "sabtu": 5, "minggu": 6, "ahad": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}
_WEEKDAY_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTH_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December"]

MONTHS: dict[str, int] = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "pebruari": 2, "feb": 2, "febr": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "agust": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "october": 10, "oct": 10,
    "november": 11, "nov": 11, "nopember": 11,
    "desember": 12, "des": 12, "december": 12, "dec": 12,
}

_WD = r"(?P<wd>Senin|Selasa|Rabu|Kamis|Jum[’']?at|Sabtu|Minggu|Ahad)"
_MON = "|".join(sorted(MONTHS, key=len, reverse=True))
_PAREN_RE = re.compile(
    rf"(?:{_WD}(?:\s+(?:pagi|siang|sore|malam|lalu|kemarin))?\s*,?\s*|(?P<rel>kemarin|lalu)\s*)?"
    r"\(\s*(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})(?:\s*[/.-]\s*(?P<y>\d{4}|\d{2}))?\s*\)",
)
_PLAIN_RE = re.compile(r"(?<![\w/.-])(?P<d>\d{1,2})[/-](?P<m>\d{1,2})[/-](?P<y>\d{4})(?![\w/-])")
_TEXT_RE = re.compile(
    rf"(?:{_WD}\s*,?\s+)?(?:(?:tanggal|tgl\.?)\s+)?(?<![\w.])(?P<d>\d{{1,2}})\s+(?P<mon>{_MON})\.?(?:\s+(?P<y>\d{{4}}))?(?![\w])",
    re.IGNORECASE,
)
_ISO_RE = re.compile(r"(?<![\w/-])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?![\w/-])")


@dataclass(frozen=True)
class DateMention:
    """A calendar date found in a text, with how it is known."""

    date: dt.date
    start: int
    end: int
    original: str
    basis: str  # "stated" or "inferred"
    reasoning: str | None = None
    weekday: str | None = None
    confidence: float = 0.95
    candidates: tuple[int, ...] = field(default=())


def _fmt(day: int, month: int) -> str:
    return f"{day} {_MONTH_EN[month - 1]}"


def infer_year(
    day: int,
    month: int,
    weekday: int | None = None,
    *,
    reference: dt.date | None = None,
    reference_label: str = "the article date",
    window: tuple[int, int] = DEFAULT_WINDOW,
) -> tuple[int, str, float, tuple[int, ...]] | None:
    """The year of a date printed without one: (year, reasoning, confidence, candidate years).

    >>> infer_year(21, 2, 0)[0:2]
    (2022, 'between 2015 and 2025 only 2022 has 21 February on a Monday')
    >>> y, why, conf, cands = infer_year(17, 4, 0, reference=dt.date(2023, 4, 18))
    >>> y, cands
    (2023, (2017, 2023))
    >>> infer_year(26, 8, reference=dt.date(2020, 8, 27), reference_label="the date (27/8/2020) printed in the same report")[0:2]
    (2020, 'no year printed; the year of the date (27/8/2020) printed in the same report (2020-08-27)')
    >>> infer_year(26, 8) is None
    True
    """
    lo, hi = window
    if reference is not None:
        lo, hi = min(lo, reference.year - 1), max(hi, reference.year)
    candidates: list[int] = []
    if weekday is not None:
        for year in range(lo, hi + 1):
            try:
                if dt.date(year, month, day).weekday() == weekday:
                    candidates.append(year)
            except ValueError:
                continue
        name = _WEEKDAY_EN[weekday]
        if reference is not None:
            near = [y for y in candidates if reference.year - 1 <= y <= reference.year
                    and dt.date(y, month, day) <= reference + dt.timedelta(days=7)]
            if near:
                year = max(near)
                others = [y for y in candidates if y != year]
                why = (f"{_fmt(day, month)} is a {name} in {', '.join(map(str, candidates))}; "
                       f"{reference_label} ({reference.isoformat()}) points to {year}")
                if not others:
                    why = f"{_fmt(day, month)} {year} is a {name}, consistent with {reference_label} ({reference.isoformat()})"
                return year, why, 0.85, tuple(candidates)
            year = reference.year if dt.date(reference.year, month, day) <= reference + dt.timedelta(days=31) else reference.year - 1
            return (year, f"no year printed and {_fmt(day, month)} is not a {name} near {reference_label} "
                    f"({reference.isoformat()}); year taken from it, weekday contradicts: check", 0.4, tuple(candidates))
        if len(candidates) == 1:
            return candidates[0], f"between {lo} and {hi} only {candidates[0]} has {_fmt(day, month)} on a {name}", 0.8, (candidates[0],)
        if candidates:
            return (candidates[-1], f"{_fmt(day, month)} is a {name} in {', '.join(map(str, candidates))} "
                    f"(between {lo} and {hi}); the latest was taken: check", 0.35, tuple(candidates))
        return None
    if reference is None:
        return None
    try:
        year = reference.year if dt.date(reference.year, month, day) <= reference + dt.timedelta(days=31) else reference.year - 1
    except ValueError:
        return None
    return year, f"no year printed; the year of {reference_label} ({reference.isoformat()})", 0.7, (year,)


def _weekday_of(name: str | None) -> int | None:
    return WEEKDAYS.get(name.lower()) if name else None


def _year(raw: str) -> int:
    y = int(raw)
    return y + 2000 if y < 100 else y


def find_dates(
    text: str,
    *,
    article_date: dt.date | None = None,
    window: tuple[int, int] = DEFAULT_WINDOW,
) -> list[DateMention]:
    """Every calendar date in ``text``, stated or with its year inferred.

    >>> [(d.date.isoformat(), d.basis) for d in find_dates("digelar di Sei Rampah, Kamis (25/7/2019).")]
    [('2019-07-25', 'stated')]
    >>> d = find_dates("saat menerima audiensi IOM UN secara daring di ruang kerjanya, Senin (21/02).")[0]
    >>> d.date.isoformat(), d.basis, d.reasoning
    ('2022-02-21', 'inferred', "printed 'Senin (21/02)' without a year; between 2015 and 2025 only 2022 has 21 February on a Monday")
    >>> [d.date.isoformat() for d in find_dates("di Jakarta (27/8/2020). ... di Kementerian Sosial kemarin (26/08).")]
    ['2020-08-27', '2020-08-26']
    >>> [d.date.isoformat() for d in find_dates("rapat pada Senin, 14 Agustus 2023 pukul 09.00")]
    ['2023-08-14']
    """
    full: list[DateMention] = []
    yearless: list[tuple[int, int, int, int, str, str | None]] = []
    taken = Claimed(len(text))

    def overlaps(s: int, e: int) -> bool:
        return taken.overlaps(s, e)

    def add_full(m: re.Match, day: int, month: int, year: int, wd_name: str | None) -> None:
        try:
            date = dt.date(year, month, day)
        except ValueError:
            return
        reasoning, confidence = None, 0.95
        wd = _weekday_of(wd_name)
        if wd is not None and date.weekday() != wd:
            reasoning = f"printed weekday {wd_name} but {date.isoformat()} is a {_WEEKDAY_EN[date.weekday()]}: check"
            confidence = 0.5
        full.append(DateMention(date, m.start(), m.end(), m.group(0).strip(), "stated", reasoning, wd_name, confidence))
        taken.claim(m.start(), m.end())

    for m in _PAREN_RE.finditer(text):
        day, month = int(m.group("d")), int(m.group("m"))
        if not (1 <= day <= 31 and 1 <= month <= 12):
            continue
        if m.group("y"):
            add_full(m, day, month, _year(m.group("y")), m.group("wd"))
        else:
            yearless.append((m.start(), m.end(), day, month, m.group("wd"), m.group("rel")))
            taken.claim(m.start(), m.end())
    for m in _TEXT_RE.finditer(text):
        if overlaps(m.start(), m.end()):
            continue
        day, month = int(m.group("d")), MONTHS[m.group("mon").lower()]
        if not 1 <= day <= 31:
            continue
        if m.group("y"):
            add_full(m, day, month, int(m.group("y")), m.group("wd"))
        elif m.group("wd"):  # "Senin, 21 Februari": a bare "5 Maret" is too often something else
            yearless.append((m.start(), m.end(), day, month, m.group("wd"), None))
            taken.claim(m.start(), m.end())
    for regex in (_PLAIN_RE, _ISO_RE):
        for m in regex.finditer(text):
            if overlaps(m.start(), m.end()):
                continue
            add_full(m, int(m.group("d")), int(m.group("m")), int(m.group("y")), None)

    if article_date is not None:
        reference, label = article_date, "the article date"
    elif full:
        latest = max(full, key=lambda d: d.date)
        reference, label = latest.date, f"the date '{latest.original}' printed in the same report"
    else:
        reference, label = None, ""
    out = list(full)
    for start, end, day, month, wd_name, rel in yearless:
        original = text[start:end].strip()
        guess = infer_year(day, month, _weekday_of(wd_name), reference=reference, reference_label=label, window=window)
        if guess is None:
            continue
        year, why, confidence, candidates = guess
        try:
            date = dt.date(year, month, day)
        except ValueError:
            continue
        if rel == "kemarin" and reference is not None and date == reference - dt.timedelta(days=1):
            why += "; 'kemarin' (yesterday) agrees"
        out.append(DateMention(date, start, end, original, "inferred",
                               f"printed '{original}' without a year; {why}", wd_name, confidence, candidates))
    out.sort(key=lambda d: d.start)
    return out
