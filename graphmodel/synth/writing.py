"""How a synthetic seed is written: one-line records, files of bounded size, and the documents quotes come from.

Every record is a one-line JSON object (valid YAML, and quick to read), and
every quote a record cites is a sentence of a synthetic document, so that
``graphmodel validate`` finds each quote verbatim in its source.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from graphmodel.synth.vocabulary import DAYS_ID

__all__ = [
    "MAX_RECORDS_PER_FILE", "MAX_SOURCE_SENTENCES", "Document", "Library", "RecordFile", "date_in_words",
    "evidence_of", "record_line", "short_name", "slug",
]

MAX_RECORDS_PER_FILE = 50_000
"""Records per YAML file: far below the 64 MiB seed file limit."""
MAX_SOURCE_SENTENCES = 400
"""Sentences per synthetic document, far below the 5 MiB source limit."""

_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """A lower-case id fragment: ``slug("Kota Administrasi Jakarta Pusat") == "kota-administrasi-jakarta-pusat"``.

    >>> slug("Kabupaten Serdang Bedagai")
    'kabupaten-serdang-bedagai'
    """
    return _SLUG.sub("-", text.lower()).strip("-")


record_line = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
"""A record as a one-line JSON object: ``record_line({"id": "iom"}) == '{"id": "iom"}'``."""


def evidence_of(source: str, quote: str) -> list[dict[str, str]]:
    """The ``evidence`` field of a record citing ``quote`` in ``source``.

    >>> evidence_of("src-profil-nasional", "IOM merupakan mitra.")
    [{'source': 'src-profil-nasional', 'quote': 'IOM merupakan mitra.'}]
    """
    return [{"source": source, "quote": quote}]


def date_in_words(day: dt.date) -> str:
    """A date as a bulletin prints it.

    >>> date_in_words(dt.date(2024, 3, 5))
    'Selasa (5/3/2024)'
    """
    return f"{DAYS_ID[day.weekday()]} ({day.day}/{day.month}/{day.year})"


def short_name(name: str) -> str:
    """A regency's or city's name without its "Kabupaten" or "Kota".

    >>> short_name("Kota Administrasi Jakarta Pusat")
    'Jakarta Pusat'
    """
    return name.replace("Kabupaten Administrasi ", "").replace("Kota Administrasi ", "").replace("Kabupaten ", "").replace("Kota ", "")


# --------------------------------------------------------------------------- sources


@dataclass
class Document:
    """A synthetic source document: its title, date and sentences (each once, in the order first cited)."""

    id: str
    title: str
    published: dt.date
    sentences: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)

    def add(self, sentence: str) -> None:
        """Add ``sentence`` unless the document has it already."""
        if sentence not in self.seen:
            self.seen.add(sentence)
            self.sentences.append(sentence)


class Library:
    """The synthetic documents: each fact's sentence goes into a document, whose text is written from them."""

    def __init__(self) -> None:
        self.docs: list[Document] = []
        self._open: dict[str, Document] = {}
        self._parts: dict[str, int] = defaultdict(int)

    def doc(self, key: str, title: str, published: dt.date, room: int = 1) -> Document:
        """The open document for ``key``, or a new part when the open one has no room for ``room`` sentences."""
        current = self._open.get(key)
        if current is None or len(current.sentences) + room > MAX_SOURCE_SENTENCES:
            self._parts[key] += 1
            part = self._parts[key]
            current = Document(f"src-{key}-{part}" if part > 1 else f"src-{key}",
                               title if part == 1 else f"{title} (bagian {part})", published)
            self.docs.append(current)
            self._open[key] = current
        return current

    def cite(self, key: str, title: str, published: dt.date, sentence: str) -> str:
        """Put ``sentence`` in the open document for ``key`` and return that document's id."""
        doc = self.doc(key, title, published)
        doc.add(sentence)
        return doc.id

    def close(self, key: str) -> None:
        """Let the next sentence for ``key`` start a new document."""
        self._open.pop(key, None)


# --------------------------------------------------------------------------- writing


class RecordFile:
    """Records of one seed file kind, written as YAML flow mappings, one per line, in files of bounded size."""

    def __init__(self, root: Path, name: str, folder: bool, folder_name: str | None = None):
        self.root, self.name, self.folder = root, name, folder
        self.folder_name = folder_name or name
        self.lines: list[str] = []

    def add(self, line: str) -> None:
        """Add one record, already a line of text (see :func:`record_line`)."""
        self.lines.append(line)

    def __len__(self) -> int:
        return len(self.lines)

    def write(self, header: str) -> list[Path]:
        """Write the records under ``header``: one file, or a folder of files of at most :data:`MAX_RECORDS_PER_FILE`."""
        written = []
        if not self.folder:
            path = self.root / f"{self.name}.yaml"
            path.write_text(header + "".join(f"- {line}\n" for line in self.lines), encoding="utf-8")
            return [path]
        folder = self.root / self.folder_name
        folder.mkdir(parents=True, exist_ok=True)
        for part, start in enumerate(range(0, max(len(self.lines), 1), MAX_RECORDS_PER_FILE), start=1):
            chunk = self.lines[start : start + MAX_RECORDS_PER_FILE]
            if not chunk:
                break
            path = folder / f"{self.name}-{part:04d}.yaml"
            path.write_text(header + "".join(f"- {line}\n" for line in chunk), encoding="utf-8")
            written.append(path)
        return written
