"""Checks of records against each other.

Evidence quotes are found verbatim in their sources, regions agree with the
official Kemendagri list and with their parents, and cohorts name only the
nationalities of the vocabulary. Each check adds what it finds to a list of
:class:`~graphmodel.errors.Problem`.
"""

from __future__ import annotations

from collections.abc import Iterable

from graphmodel.errors import Problem
from graphmodel.model.regions import official_regions
from graphmodel.model.schema import AnyNode, MigrantCohort, NationalityTerm, NodeLabel, Region, RegionKind, Source
from graphmodel.seed.dataset import Origin
from graphmodel.seed.yamlfile import LineDict
from graphmodel.util.text import fold_space

__all__ = ["check_evidence", "check_nationalities", "check_regions"]


def check_evidence(
    where: str,
    line: int,
    evidence: Iterable,
    nodes: dict,
    texts: dict[str, str],
    problems: list[Problem],
    lines: LineDict | None = None,
    invalid: dict[str, NodeLabel] | None = None,
    quote_found: dict[tuple[str, str], bool] | None = None,
) -> None:
    """Report evidence whose source is missing or not a Source, or whose quote is not in it.

    ``quote_found``: a cache of ``(source, quote) -> found`` shared over calls
    (the same quote backs many records: the relationships of one meeting).
    """
    invalid = invalid or {}
    if quote_found is None:
        quote_found = {}
    for index, ev in enumerate(evidence):
        ev_line = line
        if lines is not None:
            items = lines.get("evidence")
            if isinstance(items, list) and index < len(items) and isinstance(items[index], LineDict):
                ev_line = items[index].line
        source = nodes.get(ev.source)
        if source is None and ev.source in invalid:
            continue  # the source record itself is reported already
        if source is None or not isinstance(source, Source):
            what = "is not a Source" if source is not None else "does not exist"
            problems.append(Problem(where, ev_line, f"evidence[{index}].source", f"source {ev.source!r} {what}"))
            continue
        text = texts.get(ev.source)
        if text is None:
            continue
        found = quote_found.get((ev.source, ev.quote))
        if found is None:
            found = quote_found[(ev.source, ev.quote)] = fold_space(ev.quote) in text
        if not found:
            problems.append(Problem(where, ev_line, f"evidence[{index}].quote", f"quote not found in source {ev.source!r} ({source.path}): {ev.quote[:80]!r}"))


def check_regions(
    nodes: dict[str, AnyNode], origins: dict[str, Origin], problems: list[Problem], lines: dict[str, LineDict],
    invalid: dict[str, NodeLabel],
) -> None:
    """Report regions whose code, name or kind is not the official one, or whose parent does not fit."""
    official = official_regions()
    for node in nodes.values():
        if not isinstance(node, Region):
            continue
        origin = origins[node.id]
        rec = lines.get(node.id)
        line_of = rec.line_of if rec is not None else (lambda k, line=origin.line: line)
        if node.code is not None:
            ref = official.get(node.code)
            if ref is None:
                problems.append(Problem(origin.file, line_of("code"), "code", f"{node.code!r} is not an official Kemendagri code"))
                continue
            if ref.name != node.name:
                problems.append(Problem(origin.file, line_of("name"), "name", f"official name for {node.code} is {ref.name!r} (put other spellings in aliases)"))
            if node.kind in (RegionKind.REGENCY, RegionKind.CITY) and ref.is_city != (node.kind is RegionKind.CITY):
                problems.append(Problem(origin.file, line_of("kind"), "kind", f"{ref.name} is a {'city' if ref.is_city else 'regency'}"))
        if node.parent is not None:
            parent = nodes.get(node.parent)
            if parent is None and node.parent in invalid:
                pass
            elif not isinstance(parent, Region):
                problems.append(Problem(origin.file, line_of("parent"), "parent", f"{node.parent!r} is not a region in the seed"))
            elif node.kind is RegionKind.PROVINCE:
                if parent.kind is not RegionKind.COUNTRY:
                    problems.append(Problem(origin.file, line_of("parent"), "parent", "a province's parent is the country"))
            elif node.code and (parent.code is None or node.code.split(".")[0] != parent.code):
                problems.append(Problem(origin.file, line_of("parent"), "parent", f"{node.code} lies in province {node.code.split('.')[0]}, not in {parent.code or parent.id}"))
        elif node.kind is not RegionKind.COUNTRY:
            problems.append(Problem(origin.file, line_of("parent"), "parent", "required field is missing (every province, regency and city has a parent)"))


def check_nationalities(
    nodes: dict[str, AnyNode],
    origins: dict[str, Origin],
    problems: list[Problem],
    lines: dict[str, LineDict],
    vocabulary: list[NationalityTerm],
    invalid_terms: set[str],
) -> None:
    """Report cohort nationalities that are not a canonical name of the vocabulary (``vocabulary.yaml``).

    A name whose vocabulary entry is itself invalid (in ``invalid_terms``) is
    reported there already, not again at every cohort.
    """
    known_nationalities = {t.name for t in vocabulary}
    for cohort in (n for n in nodes.values() if isinstance(n, MigrantCohort)):
        for nat in cohort.nationalities:
            if nat not in known_nationalities and nat not in invalid_terms:
                origin = origins[cohort.id]
                line = lines[cohort.id].line_of("nationalities")
                problems.append(Problem(origin.file, line, "nationalities", f"{nat!r} is not a canonical name in vocabulary.yaml"))
