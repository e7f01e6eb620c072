"""Scoring the extractor against hand-made gold annotations: precision and recall per entity type.

A gold file (YAML, one per article, named after the article: ``ARTICLE.yaml``
for ``ARTICLE.txt``) lists what a careful reader finds in the article::

    document: 000_4c83c7828043e383.txt
    agencies:                       # seed ids, or lists of acceptable names
      - iom
      - [Rumah Detensi Imigrasi Pekanbaru, Rudenim Pekanbaru]
    regions: ["12.71", "11"]        # Kemendagri codes of every region named
    dates: [2016-10-01]             # every day-precise date, printed or implied
    counts: [2000, 1600, 400]       # numbers of people or of items
    money:
      - {amount: 1200000, currency: IDR}
    instruments: [perpres 125/2016] # kind number/year

Each predicted agency is one agency the extractor found in the article (after
grouping its mentions); it matches a gold entry when one of its names,
aliases, acronym or id equals one of the entry's alternatives (case and
punctuation folded). Every other type is compared as a set per article.
Scores are micro-averaged over the articles.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from graphmodel.extract.errors import ExtractionError
from graphmodel.extract.records import DocumentExtraction
from graphmodel.util.text import fold_name

__all__ = ["Gold", "load_gold", "gold_for", "evaluate", "Evaluation", "TypeScore", "ENTITY_TYPES", "format_report"]

ENTITY_TYPES = ("agencies", "regions", "dates", "counts", "money", "instruments")
_KEYS = {"document", *ENTITY_TYPES}


@dataclass
class Gold:
    """The gold annotation of one article."""

    path: Path
    document: str
    items: dict[str, list[Any]]


def _bad(path: Path, message: str) -> ExtractionError:
    return ExtractionError(f"{path}: {message}")


def load_gold(path: Path) -> Gold:
    """Read and check one gold file."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise _bad(path, f"not a readable gold file ({str(exc).splitlines()[0]})") from None
    if not isinstance(data, dict):
        raise _bad(path, "a gold file is a mapping with document, " + ", ".join(ENTITY_TYPES))
    unknown = set(map(str, data)) - _KEYS
    if unknown:
        raise _bad(path, f"unknown key(s) {', '.join(sorted(unknown))} (allowed: document, {', '.join(ENTITY_TYPES)})")
    items: dict[str, list[Any]] = {}
    for key in ENTITY_TYPES:
        values = data.get(key) or []
        if not isinstance(values, list):
            raise _bad(path, f"{key} must be a list")
        if key == "agencies":
            items[key] = [[str(a) for a in v] if isinstance(v, list) else [str(v)] for v in values]
        elif key == "regions":
            items[key] = [str(v) for v in values]
        elif key == "dates":
            try:
                items[key] = [v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v)) for v in values]
            except ValueError as exc:
                raise _bad(path, f"dates: {exc}") from None
        elif key == "counts":
            items[key] = [int(v) for v in values]
        elif key == "money":
            items[key] = [(float(v["amount"]), str(v.get("currency", "IDR"))) for v in values]
        else:
            items[key] = [" ".join(str(v).lower().split()) for v in values]
    return Gold(Path(path), str(data.get("document") or Path(path).with_suffix(".txt").name), items)


def gold_for(gold_dir: Path, article: Path) -> Gold:
    """The gold file for an article: ``GOLD_DIR/<article stem>.yaml``, or the one whose ``document`` names it."""
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise ExtractionError(f"{gold_dir}: no such gold folder")
    direct = gold_dir / f"{Path(article).stem}.yaml"
    if direct.is_file():
        return load_gold(direct)
    for path in sorted(gold_dir.glob("*.yaml")):
        gold = load_gold(path)
        if gold.document == Path(article).name:
            return gold
    raise ExtractionError(f"{article}: no gold annotation in {gold_dir} (expected {direct.name})")


def predictions(doc: DocumentExtraction) -> dict[str, list[Any]]:
    """What the extractor found in one article, per entity type (agencies as (label, names))."""
    m = doc.mentions
    return {
        "agencies": [(e.id or e.canonical, e.names()) for e in doc.agencies],
        "regions": sorted({r.code for r in m.regions}),
        "dates": sorted({d.date for d in m.dates}),
        "counts": sorted({c.value for c in m.counts}),
        "money": sorted({(float(x.amount), x.currency) for x in m.money}),
        "instruments": sorted({i.key for i in m.instruments}),
    }


@dataclass
class TypeScore:
    """Counts and the items behind them, for one entity type."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[tuple[str, str]] = field(default_factory=list)  # (document, gold item not found)
    spurious: list[tuple[str, str]] = field(default_factory=list)  # (document, predicted item not in gold)

    @property
    def precision(self) -> float:
        """Tp / (tp + fp); with nothing predicted it is 1.0 when nothing was expected either, else 0.0."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else (1.0 if not self.fn else 0.0)

    @property
    def recall(self) -> float:
        """Share of the gold items found (1.0 when there are none)."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall (0.0 when both are 0)."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Evaluation:
    """Scores per entity type over a set of articles."""

    scores: dict[str, TypeScore]
    documents: list[str]

    def as_dict(self) -> dict[str, Any]:
        """The scores as a JSON-ready mapping."""
        return {
            "documents": self.documents,
            "scores": {t: {"precision": round(s.precision, 4), "recall": round(s.recall, 4), "f1": round(s.f1, 4),
                           "tp": s.tp, "fp": s.fp, "fn": s.fn,
                           "misses": [{"document": d, "item": i} for d, i in s.misses],
                           "spurious": [{"document": d, "item": i} for d, i in s.spurious]}
                       for t, s in self.scores.items()},
        }


def _fmt(value: Any) -> str:
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], float):
        amount = value[0]
        return f"{value[1]} {int(amount) if amount == int(amount) else amount:,}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def evaluate(docs: list[DocumentExtraction], golds: list[Gold]) -> Evaluation:
    """Compare each document's predictions with its gold annotation."""
    scores = {t: TypeScore() for t in ENTITY_TYPES}
    names = []
    for doc, gold in zip(docs, golds, strict=True):
        name = doc.article.path.name
        names.append(name)
        pred = predictions(doc)
        # agencies: one predicted agency per gold entry
        unused = list(pred["agencies"])
        for entry in gold.items["agencies"]:
            wanted = {fold_name(a) for a in entry}
            hit = next((p for p in unused if p[0] in entry or wanted & p[1]), None)
            if hit is None:
                scores["agencies"].fn += 1
                scores["agencies"].misses.append((name, entry[0] if len(entry) == 1 else " | ".join(entry)))
            else:
                unused.remove(hit)
                scores["agencies"].tp += 1
        for label, _ in unused:
            scores["agencies"].fp += 1
            scores["agencies"].spurious.append((name, label))
        for key in ENTITY_TYPES[1:]:
            want, got = set(gold.items[key]), set(pred[key])
            s = scores[key]
            s.tp += len(want & got)
            s.fn += len(want - got)
            s.fp += len(got - want)
            s.misses += [(name, _fmt(v)) for v in sorted(want - got, key=str)]
            s.spurious += [(name, _fmt(v)) for v in sorted(got - want, key=str)]
    return Evaluation(scores, names)


def format_report(ev: Evaluation, title: str = "") -> str:
    """A plain-text table of precision and recall per type, then every miss and spurious item.

    The miss list is what a rule-writer reads: ``MISSED agencies  doc.txt  Rudenim Pekanbaru``
    (in the gold, not found) and ``EXTRA regions  doc.txt  53.01`` (found, not in the gold).
    """
    lines = []
    if title:
        lines.append(title)
    lines.append(f"{len(ev.documents)} document(s): {', '.join(ev.documents)}")
    lines.append(f"{'type':<12} {'precision':>9} {'recall':>7} {'f1':>6} {'tp':>4} {'fp':>4} {'fn':>4}")
    for t, s in ev.scores.items():
        lines.append(f"{t:<12} {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f} {s.tp:>4} {s.fp:>4} {s.fn:>4}")
    issues = [(t, "MISSED", d, i) for t, s in ev.scores.items() for d, i in s.misses]
    issues += [(t, "EXTRA", d, i) for t, s in ev.scores.items() for d, i in s.spurious]
    if issues:
        lines.append("")
        lines.append("misses (in the gold, not found) and extras (found, not in the gold):")
        for t, kind, d, i in issues:
            lines.append(f"  {kind:<6} {t:<11} {d}  {i}")
    else:
        lines.append("no misses, no extras")
    return "\n".join(lines)


def to_json(ev: Evaluation) -> str:
    return json.dumps(ev.as_dict(), ensure_ascii=False, indent=2, default=str)

