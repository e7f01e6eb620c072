"""Folding text for matching names and quotes."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold_name", "fold_space"]

_PUNCT = re.compile(r"[^\w\s]+")
_SPACE = re.compile(r"\s+")
_ODD_SPACE = re.compile(r"[^\S ]|  ")  # whitespace other than a single space, or two spaces in a row


def fold_name(text: str) -> str:
    """Fold a name for matching: NFKC, case-folded, punctuation dropped, whitespace collapsed.

    >>> fold_name("  International Of Migration (IOM)  Kupang")
    'international of migration iom kupang'
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    return _SPACE.sub(" ", _PUNCT.sub(" ", text)).strip()


def fold_space(text: str) -> str:
    r"""Collapse runs of whitespace (quotes must match their source up to whitespace only).

    >>> fold_space("  di\tKupang,\n\n  kemarin ")
    'di Kupang, kemarin'
    """
    # fast path for the common quote: ASCII (NFC leaves it alone), single spaces only, none at the ends;
    # the substitution would rebuild it space by space, for each of a national seed's quotes
    if text.isascii() and not _ODD_SPACE.search(text) and text[:1] != " " and text[-1:] != " ":
        return text
    # str.split() splits at runs of exactly the characters \s matches (tested on every code point) and drops
    # them at the ends: the same as substituting \s+ and stripping, in a quarter of the time (the source texts)
    return " ".join(unicodedata.normalize("NFC", text).split())
