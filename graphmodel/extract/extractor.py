"""Extract proposed seed records from articles: read, find mentions, build records.

>>> from pathlib import Path
>>> docs = extract_articles([Path("seed/sources/002_82afef0093a6f2c7.txt")], seed_dir=Path("seed"))  # doctest: +SKIP
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from graphmodel.extract.articles import Article, read_article
from graphmodel.extract.gazetteer import gazetteer_for
from graphmodel.extract.records import DocumentExtraction, DraftRecord, FreshIds, build_document
from graphmodel.extract.rules import find_mentions
from graphmodel.extract.text import sentences
from graphmodel.model.schema import NodeLabel, Source
from graphmodel.util.text import fold_space

if TYPE_CHECKING:  # pragma: no cover
    from graphmodel.seed import Dataset

__all__ = ["extract_articles", "extract_article", "source_file_name"]


def source_file_name(source_id: str, article: Article) -> str:
    """The corpus file name for a new source: its number and a hash of its text, as in seed/sources/."""
    number = source_id.rsplit("-", 1)[-1]
    return f"{number}_{article.sha256[:16]}.txt"


def _next_source_id(taken: set[str]) -> str:
    numbers = [int(m.group(1)) for i in taken if (m := re.fullmatch(r"src-(\d+)", i))]
    n = max(numbers, default=-1) + 1
    return f"src-{n:03d}"


def _source_record(source_id: str, article: Article, found_dates) -> DraftRecord:
    text = article.text
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    title = article.meta.get("title")
    if not title:
        segs = sentences(text)
        title = first_line if len(first_line) <= 120 else fold_space(text[segs[0].start:segs[0].end])[:117] + "..."
    data: dict = {"id": source_id, "name": title, "kind": "news",
                  "outlet": article.meta.get("outlet") or "unknown (not printed in the document)"}
    note = None
    if article.date:
        data["published"] = article.date.isoformat()
        data["date_basis"] = "stated"
        note = "published date from the article's metadata"
    else:
        stated = [d for d in found_dates if d.basis == "stated"]
        if stated:
            latest = max(stated, key=lambda d: d.date)
            data["published"] = latest.date.isoformat()
            data["date_basis"] = "inferred"
            data["date_reasoning"] = f"no date given for the report; the latest date it prints is '{latest.original}'"
    if article.meta.get("url"):
        data["url"] = article.meta["url"]
    data["path"] = f"sources/{source_file_name(source_id, article)}"
    data["language"] = "id"
    return DraftRecord(NodeLabel.SOURCE, data, {"status": "proposed", "confidence": 1.0, "rule": "source:article",
                                               "offsets": [0, len(text)], "match": None,
                                               "note": note or f"the article {article.path.name}", "article": str(article.path)})


def extract_article(article: Article, dataset: Dataset | None, ids: FreshIds, *,
                    year_window: tuple[int, int] | None = None, known_texts: dict[str, str] | None = None) -> DocumentExtraction:
    """Extract one article already read (see :func:`extract_articles`)."""
    gaz, nlp = gazetteer_for(dataset)
    folded = fold_space(article.text)
    match = None
    texts = dict(dataset.source_texts) if dataset is not None else {}
    texts.update(known_texts or {})
    for sid, text in texts.items():
        if text == folded:
            match = sid
            break
    source_id = match or _next_source_id(ids.taken)
    ids.taken.add(source_id)
    if known_texts is not None:
        known_texts[source_id] = folded
    mentions = find_mentions(article.text, nlp, gaz, article_date=article.date, year_window=year_window)
    doc = build_document(article, mentions, dataset, gaz, source_id=source_id, source_match=match, ids=ids)
    if match is None:
        doc.records.insert(0, _source_record(source_id, article, mentions.dates))
    elif dataset is not None and isinstance(dataset.nodes.get(match), Source):
        pass  # the article is already in the corpus: its records cite the existing source
    return doc


def extract_articles(paths: list[Path], *, seed_dir: Path | None = None, dataset: Dataset | None = None,
                     year_window: tuple[int, int] | None = None) -> list[DocumentExtraction]:
    """Read every article first (a bad one stops everything before any work), then extract each."""
    articles = [read_article(p) for p in paths]
    if dataset is None and seed_dir is not None:
        from graphmodel.seed import load_seed

        dataset = load_seed(seed_dir)
    ids = FreshIds(set(dataset.nodes) if dataset is not None else set())
    known: dict[str, str] = {}
    return [extract_article(a, dataset, ids, year_window=year_window, known_texts=known) for a in articles]
