"""``graphmodel extract``, ``review`` and ``merge``: from news articles to reviewed seed records.

``register(app)`` adds the three commands to the main app (``graphmodel.cli``).
Run standalone (before the main app registers them) as
``python -m graphmodel.cli.extract extract ARTICLE.txt -o DRAFT``.

Exit codes as everywhere: 0 success, 2 invalid input (an article that cannot
be read, a draft or seed that does not validate, no terminal for review),
1 unexpected failure.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from graphmodel.cli.common import TextFormat
from graphmodel.util.escaping import terminal_text

__all__ = ["register", "main", "app"]

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def _window(value: str) -> tuple[int, int]:
    try:
        lo, hi = (int(x) for x in value.split("-", 1))
    except ValueError:
        raise typer.BadParameter("give the years as FROM-TO, e.g. 2015-2025") from None
    if not 1945 <= lo <= hi <= 2100:
        raise typer.BadParameter("years must satisfy 1945 <= FROM <= TO <= 2100")
    return lo, hi


def extract(
    articles: Annotated[list[Path], typer.Argument(help="Article text files (UTF-8, at most 2 MiB each).")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Draft folder to write (must not exist, or be empty).")] = None,
    seed: Annotated[Path, typer.Option("--seed", help="Seed the mentions are resolved against.")] = Path("seed"),
    evaluate: Annotated[Path | None, typer.Option("--evaluate", help="Gold folder: print precision and recall per entity type instead of (or besides) writing a draft.")] = None,
    fmt: Annotated[TextFormat, typer.Option("--format", help="text, or json for machines (with --evaluate).")] = TextFormat.TEXT,
    years: Annotated[str, typer.Option("--year-window", help="Years a date printed without one may fall in, when the article's date is unknown.")] = "2015-2025",
    force: Annotated[bool, typer.Option("--force", help="Replace an existing non-empty draft folder.")] = False,
) -> None:
    """Propose seed records from news articles into a draft folder; nothing enters the seed until reviewed and merged."""
    from graphmodel.extract.errors import ExtractionError

    if output is None and evaluate is None:
        raise ExtractionError("give -o DRAFT_DIR to write a draft (or --evaluate GOLD_DIR to score the extractor)")
    if not seed.is_dir():
        raise ExtractionError(f"{seed}: no seed folder (pass --seed PATH)")
    window = _window(years)
    from graphmodel.extract.articles import read_article
    from graphmodel.extract.evaluate import evaluate as score
    from graphmodel.extract.evaluate import format_report, gold_for, to_json
    from graphmodel.extract.extractor import extract_articles

    for path in articles:  # refuse bad input before the slow part (loading spaCy and the seed)
        read_article(path)
    golds = [gold_for(evaluate, a) for a in articles] if evaluate is not None else None
    docs = extract_articles(list(articles), seed_dir=seed, year_window=window)
    if output is not None:
        from graphmodel.extract.draft import write_draft

        written = write_draft(docs, output, seed_dir=seed, force=force)
        for doc in docs:
            proposed = len(doc.records) + len(doc.relationships)
            where = f"already in the seed as {doc.source_match}" if doc.source_match else f"new source {doc.source_id}"
            # flags quote the article, which may hold escape sequences: shown as text, never sent to the terminal
            err.print(terminal_text(f"{doc.article.path}: {where}; {proposed} proposed records"), markup=False,
                      highlight=False)
            for flag in doc.mentions.flags:
                err.print(terminal_text(f"  check: {flag}"), markup=False, highlight=False)
        err.print(terminal_text(f"wrote {len(written)} files to {output}; next: `graphmodel review {output}` "
                                f"(or set draft.status in its files), then `graphmodel merge {output} --seed {seed}`"),
                  markup=False, highlight=False)
    if golds is not None:
        ev = score(docs, golds)
        if fmt is TextFormat.JSON:
            print(to_json(ev))
        else:
            print(format_report(ev, f"extraction scores against {evaluate}"))


def review(
    draft: Annotated[Path, typer.Argument(help="Draft folder written by `graphmodel extract`.")],
    seed: Annotated[Path, typer.Option("--seed", help="Seed, to check ids given to 'match'.")] = Path("seed"),
    script: Annotated[bool, typer.Option("--script", help="Read answers from standard input even though it is not a terminal.")] = False,
    list_: Annotated[bool, typer.Option("--list", help="List every record with its activity status and cue; decide nothing (no terminal needed).")] = False,
    fmt: Annotated[TextFormat, typer.Option("--format", help="With --list: text, or json for machines.")] = TextFormat.TEXT,
) -> None:
    """Accept, reject, edit or attach each proposed record of a draft, one at a time (needs a terminal)."""
    from graphmodel.extract.review import format_proposals, proposal_rows, review_draft

    if list_ or fmt is TextFormat.JSON:
        from graphmodel.extract.draft import read_draft
        from graphmodel.extract.errors import ReviewError

        read = read_draft(draft)
        if read.problems:
            raise ReviewError(f"{draft}: the draft has problems; first: {read.problems[0]}")
        rows = proposal_rows(read)
        if fmt is TextFormat.JSON:
            import json

            print(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        else:
            out.print(format_proposals(rows), markup=False, highlight=False)
        return

    summary = review_draft(draft, seed_dir=seed if seed.is_dir() else None, console=err, script=script)
    err.print(str(summary), markup=False, highlight=False)
    err.print(f"next: `graphmodel merge {draft} --seed {seed}`", markup=False, highlight=False)


def merge(
    draft: Annotated[Path, typer.Argument(help="Reviewed draft folder.")],
    seed: Annotated[Path, typer.Option("--seed", help="Seed folder to merge into.")] = Path("seed"),
    force: Annotated[bool, typer.Option("--force", help="Merge a draft that was merged before.")] = False,
) -> None:
    """Merge the accepted records of a draft into the seed: validated first, all or nothing."""
    from graphmodel.extract.draft import merge_draft

    report = merge_draft(draft, seed, force=force)
    out.print(report.summary(), markup=False, highlight=False)
    for name in report.files_changed:
        out.print(f"  {seed / name}", markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``extract``, ``review`` and ``merge`` to ``app``."""
    app.command("extract")(extract)
    app.command("review")(review)
    app.command("merge")(merge)


app = typer.Typer(name="graphmodel", add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Extraction commands of graphmodel (extract, review, merge).")
register(app)


def main(argv: list[str] | None = None) -> None:
    """Run the extraction commands alone, with the main CLI's handling of expected faults."""
    from graphmodel.cli.common import run_app

    run_app(app, argv)


if __name__ == "__main__":  # pragma: no cover
    main()
