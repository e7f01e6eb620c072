"""Indonesian numbers and money as printed in news reports.

Indonesian writes ``.`` between thousands and ``,`` before decimals
("2.000" is two thousand, "1,2" is one point two), and abbreviates the
multipliers (``rb`` ribu, ``jt`` juta, ``M``/``miliar``, ``T``/``triliun``).
A period followed by something other than a group of three digits is read as
an English decimal point ("Rp1.5 juta"), the one other form seen in the
press.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graphmodel.extract.text import Claimed, sentence_around

__all__ = [
    "parse_number",
    "parse_money",
    "find_money",
    "find_counts",
    "MoneyMention",
    "CountMention",
    "PEOPLE_UNITS",
    "ITEM_UNITS",
]

MULTIPLIERS: dict[str, int] = {
    "rb": 1_000, "ribu": 1_000, "rebu": 1_000, "k": 1_000,
    "jt": 1_000_000, "juta": 1_000_000, "jta": 1_000_000,
    "m": 1_000_000_000, "miliar": 1_000_000_000, "milyar": 1_000_000_000, "mliar": 1_000_000_000,
    "t": 1_000_000_000_000, "triliun": 1_000_000_000_000, "trilyun": 1_000_000_000_000,
}

WORD_NUMBERS: dict[str, int] = {
    "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7, "delapan": 8, "sembilan": 9,
    "sepuluh": 10, "sebelas": 11, "dua belas": 12, "tiga belas": 13, "empat belas": 14, "lima belas": 15,
    "enam belas": 16, "tujuh belas": 17, "delapan belas": 18, "sembilan belas": 19, "dua puluh": 20,
    "tiga puluh": 30, "empat puluh": 40, "lima puluh": 50, "seratus": 100, "seribu": 1000,
}

_NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"
_NUMBER_RE = re.compile(rf"^(?:{_NUMBER})$")


def parse_number(text: str) -> float:
    """Read an Indonesian-formatted number.

    >>> parse_number("2.000")
    2000.0
    >>> parse_number("1.250.000")
    1250000.0
    >>> parse_number("1,2")
    1.2
    >>> parse_number("7,5")
    7.5
    >>> parse_number("171")
    171.0
    >>> parse_number("1.5")
    1.5
    """
    s = text.strip()
    if not _NUMBER_RE.match(s):
        raise ValueError(f"not a number as Indonesian prints it: {text!r}")
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", s):
        s = s.replace(".", "").replace(",", ".")
    else:
        s = s.replace(",", ".")
    return float(s)


@dataclass(frozen=True)
class MoneyMention:
    """An amount of money found in a text, with its character span."""

    amount: float
    currency: str  # IDR or USD
    original: str
    start: int
    end: int
    per: str | None = None


_CURRENCY_PREFIX = r"(?P<cur>Rp\.?|IDR|US\s?\$|USD|\$)"
_MULT = r"(?P<mult>rb|ribu|jt|juta|jta|miliar|milyar|M|triliun|trilyun|T)\b\.?"
_MONEY_RE = re.compile(
    rf"{_CURRENCY_PREFIX}\s?(?P<num>{_NUMBER})(?:\s?{_MULT})?(?:,-)?"
    rf"|(?P<num2>{_NUMBER})\s?(?P<mult2>ribu|juta|miliar|milyar|triliun)?\s(?P<cur2>rupiah|dolar(?:\sAS)?|dollar)\b",
    re.IGNORECASE,
)


def parse_money(text: str) -> tuple[float, str]:
    """Amount and currency of a printed sum.

    >>> parse_money("Rp1,2 jt")
    (1200000.0, 'IDR')
    >>> parse_money("Rp 1.250.000")
    (1250000.0, 'IDR')
    >>> parse_money("Rp7,5 juta")
    (7500000.0, 'IDR')
    >>> parse_money("USD 500")
    (500.0, 'USD')
    >>> parse_money("3 juta rupiah")
    (3000000.0, 'IDR')
    """
    found = find_money(text)
    if not found:
        raise ValueError(f"no sum of money in {text!r}")
    return found[0].amount, found[0].currency


_PER_RE = re.compile(
    r"\b(?:per|setiap|tiap|/)\s?(?P<unit>orang|jiwa|kepala keluarga|KK|keluarga|bulan(?:nya)?|hari|minggu|tahun|pengungsi)\b",
    re.IGNORECASE,
)
_PER_NAMES = {
    "orang": "person", "jiwa": "person", "pengungsi": "person", "kepala keluarga": "household",
    "kk": "household", "keluarga": "household", "bulan": "month", "bulannya": "month",
    "hari": "day", "minggu": "week", "tahun": "year",
}


def _per(text: str, start: int, end: int) -> str | None:
    """What a sum is per ("per orang setiap bulan" -> "person per month"), read from its clause."""
    clause = text[slice(*sentence_around(text, start, end, ".;\n"))]
    units = []
    for m in _PER_RE.finditer(clause):
        name = _PER_NAMES[m.group("unit").lower()]
        if name not in units:
            units.append(name)
    if not units:
        return None
    people = [u for u in units if u in ("person", "household")]
    times = [u for u in units if u not in ("person", "household")]
    return " per ".join(people[:1] + times[:1])


def find_money(text: str) -> list[MoneyMention]:
    """Every sum of money in ``text`` (rupiah and US dollars), in order.

    >>> [(m.amount, m.original) for m in find_money("antara Rp5 juta hingga Rp7,5 juta")]
    [(5000000.0, 'Rp5 juta'), (7500000.0, 'Rp7,5 juta')]
    >>> find_money("uang tunai sebesar Rp1,2 jt untuk para imigran")[0].amount
    1200000.0
    """
    out: list[MoneyMention] = []
    for m in _MONEY_RE.finditer(text):
        if m.group("num") is not None:
            cur_raw, num, mult = m.group("cur"), m.group("num"), m.group("mult")
            if mult == "M" or mult == "T":
                pass
            elif mult is not None and mult.lower() in ("m", "t"):
                mult = None  # lower-case m/t are not multipliers
        else:
            cur_raw, num, mult = m.group("cur2"), m.group("num2"), m.group("mult2")
        try:
            value = parse_number(num)
        except ValueError:
            continue
        factor = MULTIPLIERS.get(mult.lower().rstrip("."), 1) if mult else 1
        currency = "IDR" if cur_raw.lower().startswith(("rp", "idr", "rupiah")) else "USD"
        amount = round(value * factor, 2)
        if amount <= 0:
            continue
        end = m.end()
        original = text[m.start() : end].rstrip(" .,")
        if original.endswith(",-"):
            original = original[:-2]
        out.append(MoneyMention(amount, currency, original, m.start(), m.start() + len(original), _per(text, m.start(), end)))
    return out


@dataclass(frozen=True)
class CountMention:
    """A number of people or of items, with its unit and how it is known."""

    value: int
    unit: str
    kind: str  # "people" or "items"
    basis: str  # "stated" or "approximate"
    original: str
    start: int
    end: int


PEOPLE_UNITS = (
    "orang", "jiwa", "pengungsi", "imigran", "pencari suaka", "warga negara asing", "WNA", "WNI",
    "pekerja migran", "PMI", "CPMI", "calon PMI", "calon pekerja migran", "TKI", "TKW", "buruh migran",
    "korban", "anak", "perempuan", "laki-laki", "jenazah", "kepala keluarga", "KK", "penumpang", "migran",
)
ITEM_UNITS = (
    "paket", "unit", "kit", "buah", "set", "dus", "karung", "ton", "lembar", "botol", "kotak", "pcs",
    "ventilator", "masker", "tabung",
)

_APPROX_RE = re.compile(
    r"(?:sekitar|kurang lebih|kurang-lebih|lebih dari|lebih kurang|hampir|sedikitnya|setidaknya|"
    r"kira-kira|±|\+/-|ada sekitar|tak kurang dari|tidak kurang dari)\s*$",
    re.IGNORECASE,
)
_WORD_NUMBER = "|".join(sorted((re.escape(w) for w in WORD_NUMBERS), key=len, reverse=True))
_UNITS = "|".join(sorted((re.escape(u) for u in (*PEOPLE_UNITS, *ITEM_UNITS)), key=len, reverse=True))
_COUNT_RE = re.compile(
    rf"(?<![\w/.,-])(?P<num>{_NUMBER}|{_WORD_NUMBER})\s+(?:orang\s+)?(?P<unit>{_UNITS})(?![\w-])",
    re.IGNORECASE,
)
_COUNT_AFTER_RE = re.compile(
    rf"\b(?:berjumlah|sebanyak|sejumlah|mencapai|total)\s+(?P<num>{_NUMBER})(?=\s*(?:[,;)]|\.(?!\d)|$))",
    re.IGNORECASE,
)


def _value(raw: str) -> int | None:
    key = raw.lower()
    if key in WORD_NUMBERS:
        return WORD_NUMBERS[key]
    try:
        value = parse_number(raw)
    except ValueError:
        return None
    return int(value) if value == int(value) and value > 0 else None


def find_counts(text: str) -> list[CountMention]:
    """Numbers of people and items ("2.000 orang", "sekitar 300 pengungsi", "2.500 paket").

    Ages, years, dates, article numbers and codes are not counts: a count is a
    number followed by a unit of people or items.

    >>> [(c.value, c.basis) for c in find_counts("tercatat ada sekitar 2.000 orang imigran; 1.600 orang diantaranya")]
    [(2000, 'approximate'), (1600, 'stated')]
    >>> [c.value for c in find_counts("Maria (29) tiba pada 25/7/2019 di Pasal 81")]
    []
    >>> [(c.value, c.unit) for c in find_counts("Dua orang tersangka dan 2.500 paket hygiene kit")]
    [(2, 'orang'), (2500, 'paket')]
    """
    out: list[CountMention] = []
    taken = Claimed(len(text))
    for m in _COUNT_RE.finditer(text):
        value = _value(m.group("num"))
        if value is None:
            continue
        unit = m.group("unit")
        if m.group("num").lower() in WORD_NUMBERS and m.start() > 0 and text[m.start() - 1 : m.start()].isalpha():
            continue
        if unit.upper() == "PMI" and not unit.isupper():
            continue  # "pmi" in lower case is not the acronym
        kind = "items" if unit.lower() in {u.lower() for u in ITEM_UNITS} else "people"
        basis = "approximate" if _APPROX_RE.search(text[max(0, m.start() - 30) : m.start()]) else "stated"
        out.append(CountMention(value, unit, kind, basis, text[m.start() : m.end()], m.start(), m.end()))
        taken.claim(m.start(), m.end())
    for m in _COUNT_AFTER_RE.finditer(text):
        start, end = m.start("num"), m.end("num")
        if taken.covers(start):
            continue
        value = _value(m.group("num"))
        if value is None:
            continue
        # "berjumlah 171 orang" is caught above; this catches "berjumlah 171," where the unit came before
        basis = "approximate" if _APPROX_RE.search(text[max(0, start - 30) : start]) else "stated"
        out.append(CountMention(value, "orang", "people", basis, text[m.start() : end], m.start(), end))
    out.sort(key=lambda c: c.start)
    return out
