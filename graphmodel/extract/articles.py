"""Reading an article to extract from: size limit, text checks, optional metadata.

An article is a UTF-8 text file of at most :data:`MAX_ARTICLE_BYTES`. Its
metadata (``url``, ``outlet``, ``date``, ``title``) may come from a first
line ``#meta {outlet: Antara, date: 2023-08-15, url: "https://..."}`` (a YAML
flow mapping; quote URLs) or from a side file ``ARTICLE.meta.yaml`` beside
``ARTICLE.txt``. Anything that is not such a file is refused with a message
that names the file and says what is wrong, before anything is written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from graphmodel.extract.errors import ArticleError

__all__ = ["Article", "read_article", "MAX_ARTICLE_BYTES", "META_KEYS"]

MAX_ARTICLE_BYTES = 2 * 1024 * 1024
"""Largest article accepted (2 MiB). News reports are a few kilobytes; anything
near this size is a dump, a scrape of a whole site, or the wrong file."""

MAX_META_BYTES = 64 * 1024
META_KEYS = ("url", "outlet", "date", "title")
HEADER_PREFIX = "#meta"

_MAGIC = {
    b"%PDF": "a PDF document (extract its text to a UTF-8 .txt file first)",
    b"PK\x03\x04": "a ZIP archive or an Office document (save it as UTF-8 text first)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x7fELF": "an executable",
    b"\xd0\xcf\x11\xe0": "an old Word/Excel document (save it as UTF-8 text first)",
}


@dataclass(frozen=True)
class Article:
    """One article's text (without its ``#meta`` line) and metadata."""

    path: Path
    text: str
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def sha256(self) -> str:
        """The SHA-256 of the article's text (as UTF-8), in hex: the text's identity in the draft."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def date(self) -> dt.date | None:
        """The article's date from its metadata (None if it has none)."""
        value = self.meta.get("date")
        return value if isinstance(value, dt.date) else None


def _refuse(path: Path, message: str) -> ArticleError:
    return ArticleError(f"{path}: {message}; nothing was written")


def _check_meta(path: Path, where: str, data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise _refuse(path, f"{where}: metadata must be a mapping of {', '.join(META_KEYS)}")
    unknown = sorted(set(map(str, data)) - set(META_KEYS))
    if unknown:
        raise _refuse(path, f"{where}: unknown metadata key(s) {', '.join(unknown)} (allowed: {', '.join(META_KEYS)})")
    meta: dict[str, Any] = {}
    for key, value in data.items():
        if value is None:
            continue
        if key == "date":
            if isinstance(value, dt.datetime):
                value = value.date()
            if not isinstance(value, dt.date):
                try:
                    value = dt.date.fromisoformat(str(value))
                except ValueError:
                    raise _refuse(path, f"{where}: date {value!r} is not YYYY-MM-DD") from None
        elif not isinstance(value, str):
            value = str(value)
        meta[key] = value
    return meta


def _side_file(path: Path) -> Path | None:
    for candidate in (path.with_suffix(".meta.yaml"), path.with_name(path.name + ".meta.yaml")):
        if candidate != path and candidate.is_file():
            return candidate
    return None


def _decode(path: Path, raw: bytes) -> str:
    for magic, what in _MAGIC.items():
        if raw.startswith(magic):
            raise _refuse(path, f"this is {what}, not a text article")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _refuse(path, "the file is UTF-16 text; save it as UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)")
    nul = raw.find(b"\x00")
    if nul != -1:
        raise _refuse(path, f"looks like a binary file (NUL byte at offset {nul}), not UTF-8 text")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = raw[exc.start : exc.start + 1]
        hint = ""
        try:
            sample = raw[max(0, exc.start - 20) : exc.start + 20].decode("cp1252")
        except UnicodeDecodeError:
            pass
        else:
            hint = (f"; it looks like Windows-1252/Latin-1 text (…{sample.strip()}…): convert it first, e.g. "
                    f"iconv -f WINDOWS-1252 -t UTF-8 {path.name} > {path.stem}.utf8{path.suffix}")
        raise _refuse(path, f"not valid UTF-8: byte 0x{bad.hex()} at offset {exc.start}{hint}") from None
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v")
    if controls > max(3, len(text) // 200):
        raise _refuse(path, f"looks like a binary file ({controls} control characters), not text")
    return text


def read_article(path: Path | str) -> Article:
    """Read and check one article; raise :class:`ArticleError` naming the file when it cannot be used."""
    path = Path(path)
    if not path.exists():
        raise _refuse(path, "no such file")
    if path.is_dir():
        raise _refuse(path, "is a folder, not a text file")
    size = path.stat().st_size
    if size > MAX_ARTICLE_BYTES:
        raise _refuse(path, f"{size:,} bytes is above the limit of {MAX_ARTICLE_BYTES:,} bytes for one article")
    if size == 0:
        raise _refuse(path, "is empty")
    with path.open("rb") as fh:
        raw = fh.read(MAX_ARTICLE_BYTES + 1)
    if len(raw) > MAX_ARTICLE_BYTES:  # grew while we looked, or a special file
        raise _refuse(path, f"is above the limit of {MAX_ARTICLE_BYTES:,} bytes for one article")
    text = _decode(path, raw).replace("\r\n", "\n").replace("\r", "\n")
    meta: dict[str, Any] = {}
    first, _, rest = text.partition("\n")
    if first.lstrip().lower().startswith(HEADER_PREFIX):
        body = first.lstrip()[len(HEADER_PREFIX):].strip()
        try:
            data = yaml.safe_load(body) if body else {}
        except yaml.YAMLError as exc:
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise _refuse(path, f"line 1: the #meta header is not a YAML mapping ({problem}); "
                                'write it as #meta {outlet: NAME, date: YYYY-MM-DD, url: "https://..."}') from None
        meta = _check_meta(path, "line 1 (#meta header)", data or {})
        text = rest
    side = _side_file(path)
    if side is not None:
        if meta:
            raise _refuse(path, f"metadata is given twice (the #meta line and {side.name}); keep one")
        if side.stat().st_size > MAX_META_BYTES:
            raise _refuse(side, f"is above the limit of {MAX_META_BYTES:,} bytes for a metadata file")
        try:
            data = yaml.safe_load(side.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise _refuse(side, f"is not a readable YAML mapping ({str(exc).splitlines()[0]})") from None
        meta = _check_meta(side, side.name, data or {})
    if not text.strip():
        raise _refuse(path, "has no text (only whitespace or a header)")
    return Article(path=path, text=text, meta=meta)
