"""``python -m bench.extract_scaling``: time per KB of ``graphmodel extract`` at 10 KiB, 100 KiB and the 2 MiB limit.

The articles are generated from the sentences of the real articles
(``seed/sources/`` and ``tests/data/extraction/``), repeated and varied
(other cities, counts, dates and instrument numbers), so they exercise the
rules as news prose does: agencies, regions, dates, numbers, money, PMI. Two
shapes: ``paragraphs`` (a paragraph per line, as news texts come) and
``one-line`` (the same text without a line break, as a careless scrape gives).

Each article is extracted in this one process after a warm-up (the seed and
the spaCy gazetteer are loaded once, as ``graphmodel extract`` loads them
once per run), and its draft written, which is what ``graphmodel extract``
does after start-up. The figure is CPU seconds per KiB (the machine is
shared; wall time is in the JSON too). The baseline is the smallest article
of the same run: a cost linear in the length keeps the ratio of the largest
article's time per KiB to the smallest's near 1 (below 1 when a fixed part is
spread over more text); a cost that grows with the square of the length
multiplies it by the ratio of the sizes (205 from 10 KiB to 2 MiB).

Results are checked, not only timed: every article is accepted at its exact
size, and the rules find agencies, regions, dates and counts in it in numbers
that grow with its length. The table goes to standard output, progress to
standard error, everything to a JSON file (default
``bench/results-extract-<date>.json``). Not part of the test run (a smoke
test runs it at tiny sizes). To measure another checkout's code, run this file
with that checkout first on the path, e.g.
``cd OTHER && PYTHONPATH=OTHER python /path/to/bench/extract_scaling.py``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
SHAPES = ("paragraphs", "one-line")
CITIES = ("Kupang", "Medan", "Makassar", "Pekanbaru", "Batam", "Surabaya", "Tanjungpinang", "Mataram", "Semarang",
          "Denpasar", "Pontianak", "Jayapura")
"""Cities (each a Kota in the Kemendagri list) swapped for one another to vary the regions and agencies."""

console = Console(stderr=True, highlight=False)


# --------------------------------------------------------------------------- articles


def corpus_sentences(root: Path = ROOT) -> list[str]:
    """Sentences of the real articles: the seed's sources and the extraction test articles."""
    from graphmodel.extract.text import sentences

    files = [*sorted((root / "seed" / "sources").glob("*.txt")),
             *sorted((root / "tests" / "data" / "extraction").rglob("*.txt"))]
    out: list[str] = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        if text.lstrip().lower().startswith("#meta"):
            text = text.partition("\n")[2]
        out += [" ".join(text[s.start:s.end].split()) for s in sentences(text)]
    return out


def _vary(sentence: str, rng: random.Random) -> str:
    """The sentence with another city, other counts and other dates (still valid ones)."""
    present = [c for c in CITIES if c in sentence]
    if present and rng.random() < 0.6:
        sentence = sentence.replace(rng.choice(present), rng.choice(CITIES))
    sentence = re.sub(r"\((\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?\)",
                      lambda m: f"({rng.randint(1, 28)}/{rng.randint(1, 12):02d}"
                                + (f"/{rng.randint(2016, 2024)})" if m.group(3) else ")"), sentence)
    # counts and instrument numbers of two or three digits (not years, thousands, Covid-19 or codes like 0204/DS)
    return re.sub(r"(?<![\d./-])\d{2,3}(?![\d/]|\.\d)",
                  lambda m: str(rng.randint(10 ** (len(m.group()) - 1), 10 ** len(m.group()) - 1)), sentence)


def make_article(n_bytes: int, *, shape: str = "paragraphs", seed: int = 1, sentences: list[str] | None = None) -> str:
    """A news-like article of exactly ``n_bytes`` UTF-8 bytes, from varied sentences of the real articles.

    ``paragraphs``: three to six sentences a line; ``one-line``: no line break at all. The last
    sentence is cut where the size is reached, and spaces make up a split multi-byte character.
    """
    if shape not in SHAPES:
        raise ValueError(f"shape must be one of {', '.join(SHAPES)}")
    rng = random.Random(seed)
    pool = sentences if sentences is not None else corpus_sentences()
    paragraphs: list[str] = []
    size = 0
    while size < n_bytes:
        para = " ".join(_vary(rng.choice(pool), rng) for _ in range(rng.randint(3, 6)))
        paragraphs.append(para)
        size += len(para.encode("utf-8")) + 1
    text = ("\n" if shape == "paragraphs" else " ").join(paragraphs)
    cut = text.encode("utf-8")[:n_bytes].decode("utf-8", errors="ignore")
    return cut + " " * (n_bytes - len(cut.encode("utf-8")))


# --------------------------------------------------------------------------- measuring


def machine() -> dict[str, Any]:
    """What a reader needs to compare runs, and which code was measured."""
    import graphmodel

    cpu = "unknown"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return {"date": dt.date.today().isoformat(), "nproc": os.cpu_count(), "cpu": cpu,
            "python": platform.python_version(), "platform": platform.platform(),
            "graphmodel": str(Path(graphmodel.__file__).parent),  # the code measured
            "loadavg_at_start": [round(x, 2) for x in os.getloadavg()]}


def measure(path: Path, dataset: Any, seed_dir: Path, workdir: Path) -> dict[str, Any]:
    """Extract one article and write its draft, as ``graphmodel extract`` does after start-up: times and counts."""
    from graphmodel.extract.draft import write_draft
    from graphmodel.extract.extractor import extract_articles

    draft = Path(tempfile.mkdtemp(dir=workdir)) / "draft"
    wall, cpu = time.perf_counter(), time.process_time()
    docs = extract_articles([path], dataset=dataset)
    extract_cpu = time.process_time() - cpu
    write_draft(docs, draft, seed_dir=seed_dir)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    m = docs[0].mentions
    return {"bytes": path.stat().st_size, "cpu_seconds": cpu, "wall_seconds": wall, "extract_cpu_seconds": extract_cpu,
            "found": {"agencies": len(m.agencies), "regions": len(m.regions), "dates": len(m.dates),
                      "counts": len(m.counts), "money": len(m.money), "pmi": len(m.pmi), "sentences": len(m.sentences),
                      "records": len(docs[0].records) + len(docs[0].relationships)}}


def _checks(shape_rows: list[dict[str, Any]]) -> dict[str, bool]:
    """Every article read at its size, the rules at work in it, and what they find growing with the text."""
    checks: dict[str, bool] = {}
    for row in shape_rows:
        checks[f"{row['bytes']}/accepted_at_its_size"] = row["bytes"] == row["requested_bytes"]
        found = row["found"]
        checks[f"{row['bytes']}/rules_found_agencies_and_regions"] = found["agencies"] > 0 and found["regions"] > 0
    small, large = shape_rows[0], shape_rows[-1]
    # dates and sums are rarer (about one a report): the largest article has every kind
    checks["largest_has_every_kind"] = all(large["found"][k] > 0 for k in ("dates", "counts", "money", "pmi"))
    growth = large["bytes"] / small["bytes"]
    # mentions grow with the text (within a factor of 2 of its growth): the big article is not mostly padding
    checks["mentions_grow_with_the_text"] = all(
        growth / 2 <= large["found"][k] / max(small["found"][k], 1) <= growth * 2 for k in ("agencies", "regions"))
    return checks


def run(argv: list[str] | None = None) -> dict[str, Any]:
    """Generate, extract and time every size and shape; save and return the results."""
    from graphmodel.extract.articles import MAX_ARTICLE_BYTES

    args = parse_args(argv, MAX_ARTICLE_BYTES)
    sizes = sorted(args.sizes)
    results: dict[str, Any] = {"machine": machine(), "limit_bytes": MAX_ARTICLE_BYTES, "sizes": sizes,
                               "shapes": {}, "args": {**vars(args), "results": str(args.results)}}
    from graphmodel.seed import load_seed

    console.print(f"loading the seed ({args.seed_dir}) and the gazetteer (not timed)")
    dataset = load_seed(args.seed_dir)
    pool = corpus_sentences(ROOT)
    with tempfile.TemporaryDirectory(prefix="extract-scaling-") as tmp:
        work = Path(tmp)
        warm = work / "warm-up.txt"
        warm.write_text(make_article(4096, sentences=pool), encoding="utf-8")
        measure(warm, dataset, args.seed_dir, work)
        for shape in args.shapes:
            rows: list[dict[str, Any]] = []
            for n in sizes:
                path = work / f"{shape}-{n}.txt"
                path.write_text(make_article(n, shape=shape, seed=args.seed, sentences=pool), encoding="utf-8")
                console.print(f"{shape}, {n / 1024:,.0f} KiB: extracting")
                row = {"requested_bytes": n, **measure(path, dataset, args.seed_dir, work)}
                row["cpu_ms_per_kib"] = 1000 * row["cpu_seconds"] / (n / 1024)
                console.print(f"  {row['cpu_seconds']:.1f} s CPU ({row['wall_seconds']:.1f} s wall), "
                              f"{row['cpu_ms_per_kib']:.1f} ms per KiB, {row['found']['records']:,} records proposed")
                rows.append(row)
                path.unlink()
            base = rows[0]["cpu_ms_per_kib"]
            for row in rows:
                row["ratio_to_smallest"] = row["cpu_ms_per_kib"] / base
            results["shapes"][shape] = {"rows": rows, "largest_to_smallest": rows[-1]["ratio_to_smallest"],
                                        "checks": _checks(rows)}
    results["machine"]["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    results["checks"] = {f"{shape}/{k}": ok for shape, r in results["shapes"].items() for k, ok in r["checks"].items()}
    results["all_checks_passed"] = all(results["checks"].values())
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    return results


# --------------------------------------------------------------------------- output


def _size_label(n: int, limit: int) -> str:
    label = f"{n / 1024:,.0f} KiB" if n % 1024 == 0 or n >= 10240 else f"{n:,} B"
    return label + (" (the limit)" if n == limit else "")


def table(results: dict[str, Any]) -> Table:
    """One row per size: CPU ms per KiB and its ratio to the smallest article, per shape; the ratio in the caption."""
    shapes = list(results["shapes"])
    t = Table(title="graphmodel extract: time per KiB (CPU, one process, after start-up)")
    t.add_column("article")
    for shape in shapes:
        t.add_column(f"{shape} ms/KiB", justify="right")
        t.add_column("x smallest", justify="right")
    for i, n in enumerate(results["sizes"]):
        cells = [_size_label(n, results["limit_bytes"])]
        for shape in shapes:
            row = results["shapes"][shape]["rows"][i]
            cells += [f"{row['cpu_ms_per_kib']:.1f}", f"{row['ratio_to_smallest']:.2f}"]
        t.add_row(*cells)
    t.caption = "largest / smallest time per KiB: " + ", ".join(
        f"{shape} {results['shapes'][shape]['largest_to_smallest']:.2f}" for shape in shapes)
    return t


def parse_args(argv: list[str] | None, limit: int) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.extract_scaling", description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], default=[10 * 1024, 100 * 1024, limit],
                   help=f"comma-separated article sizes in bytes (default 10 KiB, 100 KiB and the limit, {limit:,})")
    p.add_argument("--shapes", type=lambda s: s.split(","), default=list(SHAPES), help="paragraphs,one-line")
    p.add_argument("--seed", type=int, default=1, help="seed of the article generator")
    p.add_argument("--seed-dir", type=Path, default=ROOT / "seed", help="seed folder the mentions are resolved against")
    p.add_argument("--results", type=Path, help="JSON file to write (default bench/results-extract-<date>.json)",
                   default=ROOT / "bench" / f"results-extract-{dt.date.today().isoformat()}.json")
    args = p.parse_args(argv)
    if any(n < 1024 or n > limit for n in args.sizes) or len(args.sizes) < 2:
        p.error(f"give at least two sizes, each from 1,024 bytes to the limit ({limit:,})")
    if any(s not in SHAPES for s in args.shapes):
        p.error(f"shapes are {', '.join(SHAPES)}")
    return args


def main(argv: list[str] | None = None) -> int:
    results = run(argv)
    Console(soft_wrap=True, width=120).print(table(results))
    if not results["all_checks_passed"]:
        console.print("[red]checks failed[/]: " + ", ".join(k for k, ok in results["checks"].items() if not ok))
        return 1
    console.print(f"results in {results['args']['results']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
