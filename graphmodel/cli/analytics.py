"""CLI commands for the coordination analytics: ``gaps`` and ``pathways``.

``register(app)`` adds the commands to the main Typer app. Expected faults
(invalid seed, unknown cohort) are raised as
:class:`~graphmodel.errors.GraphModelError` children; the main entry point
turns them into a message and an exit code.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from graphmodel.cli.common import SeedOption, TableFormat, TableFormatOption, plain_text

__all__ = ["register", "gaps", "pathways", "findings_table"]

_out = Console(soft_wrap=False)


class GapKind(StrEnum):
    MANDATE = "mandate"
    COVERAGE = "coverage"
    TIES = "ties"
    SPOF = "spof"
    ALL = "all"




def _graph(seed: Path):
    from graphmodel.graph import build_graph
    from graphmodel.seed import load_seed

    return build_graph(load_seed(seed))


def findings_table(title: str, headers: list[str], rows: list[list[object]]) -> Table:
    """A table of findings for the terminal: every value shown as text (no markup, control characters visible).

    An empty value (``None`` or ``""``) shows as ``-``; long values fold.
    """
    table = Table(title=plain_text(title), show_lines=False)
    for h in headers:
        table.add_column(h, overflow="fold")
    for row in rows:
        table.add_row(*(plain_text("-" if v is None or v == "" else v) for v in row))
    return table


def _json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def gaps(
    seed: SeedOption = Path("seed"),
    kind: Annotated[GapKind, typer.Option("--kind", help="Which gaps: mandate, coverage, ties, spof or all.")] = GapKind.ALL,
    fmt: TableFormatOption = TableFormat.TABLE,
) -> None:
    """List coordination gaps (mandate, coverage, ties, single points of failure), ranked, with evidence."""
    from graphmodel.analytics import coordination_gaps, to_frame

    found = coordination_gaps(_graph(seed), kinds=kind.value)
    if fmt is TableFormat.JSON:
        _json([g.to_dict() for g in found])
    elif fmt is TableFormat.CSV:
        to_frame(found).to_csv(sys.stdout, index=False)
    else:
        rows = [[g.rank, f"{g.kind}/{g.subkind}", g.basis.replace("_", " "), g.confidence, g.consulted, g.title,
                 ", ".join(s for s in g.statuses if s != "reported") or "-"] for g in found]
        _out.print(findings_table(f"Coordination gaps ({kind.value})",
                          ["rank", "kind", "basis", "confidence", "consulted", "finding", "rests on"], rows))
        recorded = sum(g.basis == "recorded" for g in found)
        _out.print(plain_text(
            f"{len(found)} gap(s), {recorded} recorded in the sources; the others are not recorded: questions to "
            "verify, not proven absences. 'rests on' lists facts that are planned, hoped or inferred. "
            "Use --format json for each finding's explanation, sources consulted and quotes (docs/findings.md)."
        ))


def pathways(
    cohort: Annotated[str, typer.Option("--cohort", help="MigrantCohort id, e.g. cohort-kupang-refugees.")],
    seed: SeedOption = Path("seed"),
    k: Annotated[int, typer.Option("-k", min=1, help="How many best chains to show.")] = 3,
    fmt: TableFormatOption = TableFormat.TABLE,
) -> None:
    """Referral pathway of one cohort: providers per step, missing steps, best chains, robustness and gaps.

    The cohort is analysed as of its own date (the latest dated evidence about
    it). The robustness line pairs the number of disjoint chains with the
    steps they cover: a pathway with a step nobody provides is not intact.
    """
    from graphmodel.analytics import referral_pathways

    result = referral_pathways(_graph(seed), cohort, k=k)
    if fmt is TableFormat.JSON:
        _json(result.to_dict())
        return
    if fmt is TableFormat.CSV:
        result.to_frame().to_csv(sys.stdout, index=False)
        return
    _out.print(plain_text(result.explanation))
    as_of = result.as_of.isoformat() if result.as_of else "undated"
    _out.print(plain_text(f"as of {as_of} ({result.as_of_basis})"))
    _out.print(
        findings_table(
            f"Pathway steps for {result.cohort_name}",
            ["step", "service", "providers", "pending (planned or hoped, not delivered)", "outside jurisdiction"],
            [[sp.step, sp.label or sp.service, ", ".join(sp.provider_names), "; ".join(pp.text for pp in sp.pending),
              ", ".join(sp.outside_jurisdiction)] for sp in result.providers],
        )
    )
    _out.print(
        findings_table(
            f"{len(result.alternatives)} best chain(s)",
            ["rank", "chain", "cost", "broken hand-offs"],
            [[i, c.explanation, f"{c.cost:.3f}", c.broken] for i, c in enumerate(result.alternatives, start=1)],
        )
    )
    critical = ", ".join(result.critical_providers) or "-"
    _out.print(plain_text(
        f"steps with a provider: {result.steps_covered} of {result.steps_total}; steps missing: {result.steps_missing}"
    ))
    _out.print(plain_text(f"robustness: {result.robustness}; critical providers: {critical}"))
    if result.gaps:
        _out.print(
            findings_table("Gaps", ["kind", "service", "explanation"], [[g.kind, g.service, g.explanation] for g in result.gaps])
        )


def register(app: typer.Typer) -> None:
    """Add the ``gaps`` and ``pathways`` commands to ``app``."""
    app.command("gaps")(gaps)
    app.command("pathways")(pathways)
