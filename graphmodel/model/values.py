"""The value rules: constrained text, numbers and dates, and the small value objects (evidence, money, quantity).

One rule for every value, so that what ``validate`` accepts every command can
process and every format can carry (Neo4j, JSON, GraphML/GEXF, matplotlib, the
terminal): text without control characters and of bounded length, dates in a
plausible window, finite numbers in the range JSON holds exactly. Each field of
the schema takes one of these types; ``tests/test_value_rules.py`` walks every
model's validation schema and fails on a string, date or number field that
does not carry its rule.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field

from graphmodel.model.base import FrozenModel

__all__ = [
    "ID_PATTERN", "ISO3_PATTERN", "LINE_CONTROLS", "LINE_PATTERN", "MAX_DATE", "MAX_SAFE_INTEGER", "MIN_DATE",
    "REGION_CODE_PATTERN", "TEXT_CONTROLS", "TEXT_PATTERN", "Acronym", "Amount", "Count", "Date", "Evidence", "Id",
    "Money", "NonEmpty", "Quantity", "ShortText", "Size", "Text", "Url",
]

MIN_DATE = dt.date(1945, 8, 17)
"""The earliest date a fact may carry: the proclamation of independence; no institution in this graph is older.

A date before it is a typo (0001-01-01 is a common placeholder), and so is one after :data:`MAX_DATE`
(3016-10-01 for 2016-10-01), which the timeline and the pathways' recency could not place.
"""
MAX_DATE = dt.date(2100, 12, 31)
"""The latest date a fact may carry (planned programmes end in the future; the same bound as instruments' years)."""

MAX_SAFE_INTEGER = 2**53 - 1
"""The largest integer JSON carries exactly (JavaScript's ``Number.MAX_SAFE_INTEGER``); Neo4j holds 64-bit integers."""

TEXT_CONTROLS = r"\x00-\x08\x0B-\x1F\x7F-\x9F\uFFFE\uFFFF"
TEXT_PATTERN = f"^[^{TEXT_CONTROLS}]*$"
"""Free text (notes, reasoning, quotes): no control characters except tab and line feed.

C0 controls (NUL, ESC ...) break XML 1.0 (GraphML, GEXF) and reach terminals as commands; C1 controls and the
non-characters U+FFFE/U+FFFF are not allowed in XML either. A carriage return is refused too: YAML reads every
line break as a line feed, so a CR can only come from an escape, and a lone CR overwrites a terminal's line and
is left unquoted by CSV writers that end lines with a line feed.
"""
LINE_CONTROLS = r"\x00-\x1F\x7F-\x9F\uFFFE\uFFFF"
LINE_PATTERN = f"^[^{LINE_CONTROLS}]*$"
"""One-line text (names, acronyms, units): no control characters at all, tab and line breaks included."""

ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
ISO3_PATTERN = r"^[A-Z]{3}$"  # ISO 3166-1 alpha-3
REGION_CODE_PATTERN = r"^[0-9]{2}(\.[0-9]{2})?$"  # Kemendagri: NN for a province, NN.NN below
Id = Annotated[str, Field(pattern=ID_PATTERN, min_length=2, max_length=80)]
"""Node ids: lower-case slugs, unique across all node types."""

NonEmpty = Annotated[str, Field(min_length=1, max_length=500, pattern=LINE_PATTERN)]
"""A name or a short label: one line, 1 to 500 characters."""

Acronym = Annotated[str, Field(min_length=1, max_length=80, pattern=LINE_PATTERN)]
"""An acronym or short form ("IOM", "Kanwil Kemenkumham Kepulauan Bangka Belitung"): one line, at most 80 characters."""

ShortText = Annotated[str, Field(min_length=1, max_length=500, pattern=LINE_PATTERN)]
"""A short one-line value that may be absent (an amount as printed, an article, an office)."""

Url = Annotated[str, Field(min_length=1, max_length=2000, pattern=LINE_PATTERN)]
"""A web address, as long as browsers and servers accept (about 2,000 characters)."""

Text = Annotated[str, Field(max_length=5000, pattern=TEXT_PATTERN)]
"""Free text (notes, date reasoning): line breaks allowed, at most 5,000 characters (a long paragraph)."""

Date = Annotated[dt.date, Field(ge=MIN_DATE, le=MAX_DATE)]
"""A date between :data:`MIN_DATE` and :data:`MAX_DATE`."""

Count = Annotated[int, Field(gt=0, le=MAX_SAFE_INTEGER)]
"""A positive whole number that JSON and Neo4j both carry exactly."""

Amount = Annotated[float, Field(gt=0, le=MAX_SAFE_INTEGER, allow_inf_nan=False)]
"""A positive finite amount (no ``.inf``, no ``.nan``) no larger than JSON's exact integers."""

Size = Annotated[int, Field(gt=0, lt=100_000_000)]
"""A number of people: more than the world's displaced in one place is a typo."""



class Evidence(FrozenModel):
    """Where a fact comes from: a source document and a short quote found in it verbatim."""

    source: Id
    quote: Annotated[str, Field(min_length=3, max_length=600, pattern=TEXT_PATTERN)]


class Money(FrozenModel):
    """An amount of money with its currency and what it is per (e.g. per person per month)."""

    amount: Amount
    currency: Literal["IDR", "USD"]
    per: ShortText | None = None
    original: ShortText | None = None  # as printed, e.g. "Rp1,2 jt"


class Quantity(FrozenModel):
    """A count of things with its unit (2,500 hygiene kits)."""

    value: Count
    unit: NonEmpty
    original: ShortText | None = None  # as printed, e.g. "2.500 paket"
