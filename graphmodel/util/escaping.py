"""Text from data, escaped for the renderer it reaches, so that it shows as the text it is.

A seed value (a name, a quote, a venue) or a value read back from the
database may hold what a renderer reads as instructions: Markdown links and
images, matplotlib's maths markup, a terminal's escape sequences. Each
function here turns a value into text that its renderer shows literally:

- :func:`markdown_text` for Markdown (``report.md`` and its sections);
- :func:`matplotlib_text` for any text handed to matplotlib (diagrams, the timeline);
- :func:`terminal_text` for any value printed to a terminal.

HTML needs nothing here: Jinja's autoescaping and :func:`html.escape` do it
where the HTML is built. JSON and CSV are data and are written exactly.

This is the lowest layer: it imports nothing from the rest of graphmodel, so
the report, the exports and the command line can all use it.
"""

from __future__ import annotations

import html
import re
from typing import Any

__all__ = ["markdown_text", "matplotlib_text", "terminal_text", "MATPLOTLIB_TEXT_RC"]

# The ASCII punctuation that makes a Markdown construct anywhere in a line, in CommonMark, GFM or a common
# extension: escapes, code, emphasis and strikethrough, links and images ([ ] !), footnotes (^), attribute
# lists ({ }), tables (|), maths ($), ATX heading closers (#), autolinked e-mail addresses (@).
# < > and & become entities instead (below), which also keeps raw HTML and <autolinks> out.
# Left as they are, so that the Markdown stays readable as text (dates, amounts, paths): - + . : ( ) = / and
# the rest; each is escaped only where it would start a construct (below).
_MARKDOWN_SIGNIFICANT = re.compile(r"([\\`*_{}\[\]#!|~$@^])")
# at the start of a value: a list item or thematic break ("- x", "+ x", "1. x", "1) x", "---"); a "#" or "*"
# there is escaped above, a ">" becomes an entity
_BLOCK_START = re.compile(r"^(\s*)(\d+(?=[.)](?:\s|$))|[-+](?=\s|$|-))")
# GFM's extended autolinks: "http://", "https://", "ftp://" and "www." become links without brackets
_AUTOLINK = re.compile(r"(?i)(\b(?:https?|ftp)):(?=//)|\b(www)\.")
_EQUALS_RUN = re.compile(r"={2,}")
# CommonMark's line endings: a value must not end its line (a table row, a heading, a list item)
_LINE_ENDINGS = re.compile(r"\r\n?|\n")

MATPLOTLIB_TEXT_RC = {"text.usetex": False, "text.parse_math": True}
"""The matplotlib settings under which :func:`matplotlib_text` is exact (matplotlib's defaults);
drawing code pins them with ``matplotlib.rc_context`` so that a user's ``matplotlibrc`` cannot change that."""

# C0 and C1 controls (ESC starts colour, cursor and OSC 8 hyperlink sequences; BEL ends OSC; CR
# overwrites a line) and the bidirectional overrides and isolates that reorder what a terminal shows.
# Tab and newline only move the cursor and are left as they are.
_TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape_block_start(match: re.Match[str]) -> str:
    space, marker = match.groups()
    # "1." and "1)" need the backslash before the punctuation, a lone marker before itself
    return f"{space}{marker}\\" if marker[0].isdigit() else f"{space}\\{marker}"


def markdown_text(value: Any) -> str:
    r"""``value`` as Markdown text that renders as exactly that text, wherever it is inserted.

    Safe in a table cell, a list item, a heading, a paragraph or a link's text:
    the ASCII punctuation that makes a construct anywhere in a line is
    backslash-escaped (CommonMark allows a backslash before any ASCII
    punctuation), list markers only at the start, autolinks only where they
    would link, ``<``, ``>`` and ``&`` become HTML entities, and line endings
    become spaces. Dates, amounts and paths stay as they read. Inside a code
    span backslashes are literal, so the value must not be put in one.

    References
    ----------
    CommonMark Spec 0.31.2, sections 2.4 (backslash escapes), 5.2-5.3 (lists),
    6.3-6.6 (emphasis, links, images, autolinks); GitHub Flavored Markdown
    Spec, section 6.9 (extended autolinks).

    >>> print(markdown_text("a|b <img src=x onerror=alert(1)>"))
    a\|b &lt;img src=x onerror=alert(1)&gt;
    >>> print(markdown_text("![](http://evil/x.png) [text](javascript:alert(1))"))
    \!\[\](http\://evil/x.png) \[text\](javascript:alert(1))
    >>> print(markdown_text("1) Kota Kupang, NTT\n# not a heading ==marked=="))
    1\) Kota Kupang, NTT \# not a heading \=\=marked\=\=
    >>> print(markdown_text("- 2024-09-11, Rp1.200.000, www.iom.int"))
    \- 2024-09-11, Rp1.200.000, www\.iom.int
    """
    text = _MARKDOWN_SIGNIFICANT.sub(r"\\\1", _LINE_ENDINGS.sub(" ", str(value)))
    text = _AUTOLINK.sub(lambda m: f"{m.group(1)}\\:" if m.group(1) else f"{m.group(2)}\\.", text)
    text = _BLOCK_START.sub(_escape_block_start, text)
    text = _EQUALS_RUN.sub(lambda run: "\\=" * len(run.group()), text)
    # backslashes first: html.escape then adds only & ; and letters, none of which is escaped above
    return html.escape(text, quote=False)


def matplotlib_text(value: Any) -> str:
    r"""``value`` as text that matplotlib draws literally (no maths markup).

    With usetex off and mathtext on (matplotlib's defaults,
    :data:`MATPLOTLIB_TEXT_RC`), ordinary text is parsed for one thing only: an
    even number of unescaped ``$`` makes the text between them mathtext, so
    "US$1 dan US$2" would draw "1 dan US" in italics and ``$\foo$`` raises. An
    escaped ``\$`` is drawn as ``$`` (and a backslash before an escaped ``$``
    stays), so every ``$`` is escaped. Newlines stay line breaks.

    >>> matplotlib_text("Bantuan US$1 dan US$2")
    'Bantuan US\\$1 dan US\\$2'
    """
    return str(value).replace("$", r"\$")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_text(value: Any) -> str:
    r"""``value`` as text a terminal shows and does not obey: control characters written out visibly.

    ESC, BEL, CR and the other C0 and C1 controls (but tab and newline), and
    the bidirectional overrides, are shown as ``\x1b``, ``\u202e`` and so on.
    Rich markup is a separate matter: print the result as ``rich.text.Text``
    or with ``markup=False``.

    >>> terminal_text("IOM \x1b]8;;http://evil\x07click\x1b]8;;\x07")
    'IOM \\x1b]8;;http://evil\\x07click\\x1b]8;;\\x07'
    """
    return _TERMINAL_CONTROLS.sub(_visible, str(value))
