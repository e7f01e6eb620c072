"""One cohort's referral pathway, or every cohort's: providers per step, best chains, robustness, gaps.

See :mod:`graphmodel.analytics.pathways` for the method and its references.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable

import networkx as nx

import graphmodel.analytics.pathways.array_engine as array_engine
import graphmodel.analytics.pathways.python_engine as python_engine
from graphmodel.analytics.agencies import Provision
from graphmodel.analytics.analysis import Analysis
from graphmodel.analytics.findings import STATUS_ORDER, dedupe, evidence_of
from graphmodel.analytics.index import GraphIndex
from graphmodel.analytics.pathways.costs import BROKEN_HANDOFF_COST, CostBook, TieCosts, tie_cost
from graphmodel.analytics.pathways.dag import ChainDag
from graphmodel.analytics.pathways.results import (
    Chain,
    Handoff,
    PathwayGap,
    PathwayResult,
    PendingProvider,
    StepProviders,
)
from graphmodel.analytics.pathways.templates import PathwayTemplates, load_pathways
from graphmodel.errors import AnalyticsError
from graphmodel.graph import as_date
from graphmodel.model.schema import NodeLabel, RelType

__all__ = ["all_referral_pathways", "cohort_as_of", "referral_pathways"]


def _handoff(H: nx.Graph, ix: GraphIndex, s1: str, a: str, s2: str, b: str, as_of: dt.date | None, half_life: float) -> Handoff:
    if a == b:
        return Handoff(s1, s2, a, b, "same_provider", 0.0, None, (f"{ix.name(a)} continues",), ())
    if not H.has_edge(a, b):
        return Handoff(s1, s2, a, b, "broken", BROKEN_HANDOFF_COST, None, ("no recorded coordination tie",), ())
    d = H.edges[a, b]
    return Handoff(s1, s2, a, b, "tied", tie_cost(d, as_of, half_life), d.get("last_contact"), tuple(d["reasons"]), tuple(d["evidence"]))



_OBSERVED_ON = ("as_of", "last_seen", "since")
"""Edge attributes that date an observation (a shelter's head count, a service last seen or running since)."""


def cohort_as_of(G: nx.MultiDiGraph | Analysis, cohort_id: str) -> tuple[dt.date | None, str]:
    """The date a cohort's pathway is analysed at, from the cohort's own evidence, and how it was found.

    The latest of: the cohort's ``as_of``; the publication date of every
    source quoted about the cohort (on the cohort itself, on every
    relationship to or from it, and on every provision that names it,
    including the programme links behind it); and the observation dates on
    those relationships (``as_of``, ``last_seen``, ``since``).

    Why: a pathway says whether a person in that cohort *could be* referred
    from step to step when the sources saw them. A cohort last reported in
    2016 analysed as of the graph's latest date (2024) would age every tie
    by eight more years and measure the gap between two news reports, not
    the cohort's situation. The latest date *of evidence* is used, not a
    programme's ``start`` or ``end`` (a plan's horizon, possibly in the
    future, is not an observation). When nothing about the cohort is dated,
    the latest date in the graph is used and the basis says so.

    Parameters
    ----------
    G : nx.MultiDiGraph or Analysis
        The evidence graph, or an :class:`~graphmodel.analytics.analysis.Analysis` of it.
    cohort_id : str
        A ``MigrantCohort`` node id.

    Returns
    -------
    tuple
        ``(date or None, basis)``: the basis names the source or fact the
        date comes from.

    Examples
    --------
    >>> import datetime as dt, networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("s1", label="Source", published=dt.date(2016, 10, 1))
    >>> G.add_node("c", label="MigrantCohort", evidence=[{"source": "s1", "quote": "q"}])
    >>> G.add_node("m", label="Meeting", date=dt.date(2024, 9, 11))
    >>> cohort_as_of(G, "c")
    (datetime.date(2016, 10, 1), 'the latest dated evidence about the cohort: s1 published 2016-10-01')
    """
    ix = Analysis.of(G).index
    graph = ix.G
    # (date, preference, what): on the same day a source's publication is named before an edge's date,
    # and an edge's date before the cohort's own as_of (the source is what a reader can open)
    found: list[tuple[dt.date, int, str]] = []
    own = as_date(ix.attr(cohort_id, "as_of"))
    if own is not None:
        found.append((own, 0, f"the cohort's as_of {own.isoformat()}"))
    sources = {e.source for e in evidence_of(graph.nodes[cohort_id], "")}
    for u, v, d in (*graph.in_edges(cohort_id, data=True), *graph.out_edges(cohort_id, data=True)):
        sources.update(e.source for e in evidence_of(d, ""))
        for key in _OBSERVED_ON:
            day = as_date(d.get(key))
            if day is not None:
                found.append((day, 1, f"{d.get('type', 'a relationship')} {u} -> {v} {key} {day.isoformat()}"))
    for p in ix.provisions_to(cohort_id):
        if p.cohort == cohort_id:
            sources.update(e.source for e in p.evidence)
    for src in sorted(sources):
        day = as_date(ix.attr(src, "published")) if ix.attr(src, "label") == NodeLabel.SOURCE else None
        if day is not None:
            found.append((day, 2, f"{src} published {day.isoformat()}"))
    if found:
        day, _, what = max(found)
        return day, f"the latest dated evidence about the cohort: {what}"
    latest = ix.latest_date()
    return latest, "no dated evidence about the cohort: the latest date in the graph"


def referral_pathways(
    G: nx.MultiDiGraph | Analysis,
    cohort_id: str,
    k: int = 3,
    templates: PathwayTemplates | None = None,
    as_of: dt.date | None = None,
    half_life_years: float = 5.0,
) -> PathwayResult:
    """The referral pathway of a cohort: providers per step, best chains, robustness and gaps.

    Parameters
    ----------
    G : nx.MultiDiGraph or Analysis
        The evidence graph, or an :class:`~graphmodel.analytics.analysis.Analysis`
        of it, whose index and coordination network are then used: a loop
        over cohorts should pass one ``Analysis``, or each call rebuilds both
        from the whole graph. For many cohorts, :func:`all_referral_pathways`
        also shares the tie costs.
    cohort_id : str
        A ``MigrantCohort`` node id.
    k : int
        How many best chains to return (``alternatives``, best first).
    templates : PathwayTemplates, optional
        Defaults to :func:`load_pathways`.
    as_of : datetime.date, optional
        "Now" for tie recency; defaults to the cohort's own date
        (:func:`cohort_as_of`: the latest dated evidence about the cohort),
        so each cohort is analysed as of its own period.
    half_life_years : float
        A tie's strength halves every this many years since its last recorded contact.

    Returns
    -------
    PathwayResult
        ``providers`` per step (an agency provides a step when it ``SERVES``
        the cohort with that service, implements a programme with it that
        reaches the cohort or its region, or -- for ``shelter`` -- operates a
        facility sheltering it, and its jurisdiction covers one of the
        cohort's regions, by a *reported* or *inferred* activity: planned and
        hoped provisions are listed as the step's ``pending``, never as its
        providers); ``best`` and ``alternatives`` (k cheapest chains);
        ``disjoint_chains`` (the largest number of chains with only tied or
        same-provider hand-offs that share no (step, provider) node: local
        node connectivity of source and sink in the intact DAG, over the
        steps that have a provider only); ``steps_missing`` and
        ``missing_steps`` (steps without a provider), ``complete_chains``
        (``disjoint_chains`` when no step is missing, else 0) and
        ``robustness`` (the count and its caveat in one sentence);
        ``critical_providers`` (agencies whose loss leaves no intact chain
        over the covered steps); ``gaps`` (missing steps; broken hand-offs of
        the best chain); ``as_of`` and ``as_of_basis``.

    Raises
    ------
    AnalyticsError
        If ``cohort_id`` is not a cohort of ``G``, ``k < 1``, or its type has
        no template.

    See Also
    --------
    all_referral_pathways : every cohort, sharing the tie costs.
    graphmodel.analytics.pathways.cohort_as_of : the date each cohort is analysed at.
    load_pathways : the templates.

    References
    ----------
    .. [1] Yen, J. Y. (1971). Finding the k shortest loopless paths in a
       network. Management Science, 17(11), 712-716 (the k best chains).
    .. [2] Menger, K. (1927). Zur allgemeinen Kurventheorie. Fundamenta
       Mathematicae, 10, 96-115 (node-disjoint chains = local node
       connectivity).
    .. [3] Ford, L. R., & Fulkerson, D. R. (1956). Maximal flow through a
       network. Canadian Journal of Mathematics, 8, 399-404.
    .. [4] The project's ``docs/pathways.md``: steps, providers, pending
       activity, missing steps, chains and hand-offs, and "as of when".

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> referral_pathways(G, "nobody")
    Traceback (most recent call last):
    ...
    graphmodel.errors.AnalyticsError: cohort 'nobody' not in graph (known cohorts: none)
    """
    A = Analysis.of(G)
    ix = A.index
    if cohort_id not in ix.G or ix.label(cohort_id) != NodeLabel.MIGRANT_COHORT:
        known = ", ".join(ix.cohorts()) or "none"
        raise AnalyticsError(f"cohort {cohort_id!r} not in graph (known cohorts: {known})")
    if k < 1:
        raise AnalyticsError(f"k must be at least 1, got {k}")
    H = A.network
    when, basis = (as_of, "given by the caller") if as_of is not None else cohort_as_of(A, cohort_id)
    return _pathway(ix, H, None, cohort_id, k, templates or load_pathways(), when, basis, half_life_years)


def all_referral_pathways(
    G: nx.MultiDiGraph | Analysis,
    cohorts: Iterable[str] | None = None,
    k: int = 3,
    templates: PathwayTemplates | None = None,
    as_of: dt.date | None = None,
    half_life_years: float = 5.0,
    *,
    progress: Callable[[int], None] | None = None,
) -> dict[str, PathwayResult | AnalyticsError]:
    """The :func:`referral_pathways` of many cohorts (every cohort by default), sharing the work they have in common.

    The same results as calling :func:`referral_pathways` once per cohort,
    but the hand-off cost of every tie of the coordination network is worked
    out once (not once per cohort from its providers' ties): at national scale
    (tens of thousands of cohorts) this is what makes the loop affordable.

    Parameters
    ----------
    G : nx.MultiDiGraph or Analysis
        The evidence graph, or an :class:`~graphmodel.analytics.analysis.Analysis`
        of it, whose index and coordination network are then used.
    cohorts : iterable of str, optional
        ``MigrantCohort`` node ids (default: every cohort of ``G``).
    k : int
        How many best chains to return per cohort, as in :func:`referral_pathways`.
    templates : PathwayTemplates, optional
        Defaults to :func:`load_pathways`.
    as_of : datetime.date, optional
        "Now" for tie recency. Without it each cohort is analysed as of its
        own date (:func:`cohort_as_of`); with it, all of them as of that date.
    half_life_years : float
        A tie's strength halves every this many years since its last recorded contact.
    progress : callable, optional
        Called with 1 after each cohort (a progress bar's ``update``).

    Returns
    -------
    dict
        Cohort id -> its :class:`PathwayResult`, or the :class:`AnalyticsError`
        saying why it has none (a cohort type without a template), in the
        order of ``cohorts`` (default: :meth:`GraphIndex.cohorts`).

    Raises
    ------
    AnalyticsError
        If a listed cohort is not a cohort of ``G``, or ``k < 1``.

    See Also
    --------
    referral_pathways : one cohort.
    coordination_gaps : ranks the broken hand-offs of every best chain.

    References
    ----------
    .. [1] Yen, J. Y. (1971). Finding the k shortest loopless paths in a
       network. Management Science, 17(11), 712-716.
    .. [2] Menger, K. (1927). Zur allgemeinen Kurventheorie. Fundamenta
       Mathematicae, 10, 96-115.
    .. [3] The project's ``docs/pathways.md``.

    Examples
    --------
    A cohort without a template has no pathway: its entry says why.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("kupang", label="Region", name="Kota Kupang", kind="city")
    >>> G.add_node("c", label="MigrantCohort", name="Refugees", cohort_type="foreign_refugees")
    >>> G.add_node("s", label="MigrantCohort", name="Stateless", cohort_type="stateless")
    >>> ev = [{"source": "src-002", "quote": "pengungsi di wilayah kota kupang"}]
    >>> _ = G.add_edge("kupang", "c", key="HOSTS_COHORT", type="HOSTS_COHORT", evidence=ev)
    >>> found = all_referral_pathways(G)
    >>> found["c"].steps_missing, found["c"].robustness
    (7, 'no chain: none of the 7 steps has a recorded provider')
    >>> found["s"]
    AnalyticsError("no referral pathway template for cohort type 'stateless'")
    """
    A = Analysis.of(G)
    ix = A.index
    wanted = ix.cohorts() if cohorts is None else list(cohorts)
    unknown = [c for c in wanted if c not in ix.G or ix.label(c) != NodeLabel.MIGRANT_COHORT]
    if unknown:
        raise AnalyticsError(f"not cohorts of the graph: {', '.join(map(repr, unknown[:10]))}")
    if k < 1:
        raise AnalyticsError(f"k must be at least 1, got {k}")
    H = A.network
    templates = templates or load_pathways()
    dates = {c: (as_of, "given by the caller") if as_of is not None else cohort_as_of(A, c) for c in wanted}
    book = CostBook(H, half_life_years, Counter(when for when, _ in dates.values()))
    found: dict[str, PathwayResult | AnalyticsError] = {}
    for cohort in wanted:
        try:
            found[cohort] = _pathway(ix, H, book, cohort, k, templates, *dates[cohort], half_life_years)
        except AnalyticsError as exc:
            found[cohort] = exc  # a cohort type without a template has no pathway to break
        if progress is not None:
            progress(1)
    return found


def _pathway(ix: GraphIndex, H: nx.Graph, book: CostBook | None, cohort_id: str, k: int, templates: PathwayTemplates,
             as_of: dt.date | None, as_of_basis: str, half_life_years: float) -> PathwayResult:
    """One cohort's pathway; ``book`` shares tie costs and solved DAGs when the caller loops over cohorts, else None."""
    ctype = str(ix.attr(cohort_id, "cohort_type", ""))
    template = templates.for_cohort_type(ctype)
    if template is None:
        raise AnalyticsError(f"no referral pathway template for cohort type {ctype!r}")
    regions = ix.cohort_regions(cohort_id)

    step_providers: list[StepProviders] = []
    # delivered_to keeps only reported and inferred provisions (Provision.delivers): a plan fills no step
    by_service = ix.delivered_to(cohort_id)
    for i, service in enumerate(template.steps, start=1):
        provs = by_service.get(service.value, [])
        inside, outside = _by_jurisdiction(ix, regions, {p.agency for p in provs})
        kept = set(inside)
        ev = dedupe(e for p in provs if p.agency in kept for e in p.evidence)
        step_providers.append(StepProviders(
            i, service.value, inside, tuple(ix.name(a) for a in inside), outside, ev,
            template.label(service.value), _pending(ix, cohort_id, regions, service.value, kept, as_of),
        ))

    present = [s for s in step_providers if s.providers]
    chains: list[Chain] = []
    disjoint: int = 0
    critical: tuple[str, ...] = ()
    if present:
        layers = tuple(s.providers for s in present)
        # cohorts with the same providers step by step (one type in one region) and the same date have the
        # same DAG: a loop over cohorts works each out once (a sixth of the DAGs at national scale are repeats)
        key = (as_of, layers, k)
        solved = book.solved.get(key) if book is not None else None
        if solved is None:
            agencies = {a for s in present for a in s.providers}
            costs = book.costs(as_of, agencies) if book is not None else TieCosts(H, as_of, half_life_years, agencies=agencies)
            best_agencies, disjoint, critical = _solve(ChainDag(list(layers), costs), k)
            if book is not None:
                book.solved[key] = best_agencies, disjoint, critical
        else:
            best_agencies, disjoint, critical = solved
        services = [s.service for s in present]
        chains = [_chain(ix, H, services, agencies, as_of, half_life_years) for agencies in best_agencies]
    best = chains[0] if chains else None
    missing = tuple(s.service for s in step_providers if not s.providers)
    gaps = _gaps(ix, cohort_id, ctype, step_providers, best)
    robustness = _robustness(step_providers, disjoint)
    explanation = _explain(ix, cohort_id, template.steps, step_providers, best, robustness, critical)
    return PathwayResult(
        cohort=cohort_id,
        cohort_name=ix.name(cohort_id),
        cohort_type=ctype,
        regions=regions,
        steps=tuple(s.value for s in template.steps),
        providers=tuple(step_providers),
        best=best,
        alternatives=tuple(chains),
        disjoint_chains=disjoint,
        critical_providers=critical,
        gaps=gaps,
        as_of=as_of,
        explanation=explanation,
        steps_total=len(step_providers),
        steps_covered=len(present),
        steps_missing=len(missing),
        missing_steps=missing,
        complete_chains=disjoint if not missing else 0,
        robustness=robustness,
        as_of_basis=as_of_basis,
    )


def _solve(dag: ChainDag, k: int) -> tuple[list[tuple[str, ...]], int, tuple[str, ...]]:
    """The k best chains' agencies, the number of node-disjoint intact chains and the critical providers.

    A small DAG (:attr:`ChainDag.small`) is worked in plain Python where the
    plain engine has the operation (every one but ``k > 1`` best chains),
    any other with the arrays; both engines give the same answers.
    """
    small = dag.small
    best = [python_engine.best_chain(dag)] if k == 1 and small else array_engine.k_best_chains(dag, k)
    chain = dag.one_intact_chain()
    if not chain:
        return best, 0, ()
    engine = python_engine if small else array_engine
    return best, engine.disjoint_chains(dag), engine.critical_providers(dag, chain)


def _by_jurisdiction(ix: GraphIndex, regions: tuple[str, ...], agencies: Iterable[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The agencies (sorted) whose jurisdiction covers one of the cohort's regions, and the others."""
    inside, outside = [], []
    for agency in sorted(agencies):
        if not regions or any(ix.covers(agency, r) for r in regions):
            inside.append(agency)
        else:
            outside.append(agency)
    return tuple(inside), tuple(outside)


def _pending(ix: GraphIndex, cohort: str, regions: tuple[str, ...], service: str, providers: set[str],
             as_of: dt.date | None) -> tuple[PendingProvider, ...]:
    """The agencies that only plan or are hoped to deliver ``service`` to the cohort (not its providers already).

    Held to the providers' rules (no funders, jurisdiction over the cohort's
    region); one entry per agency, its strongest status (planned before hoped)
    and the earliest date a source states it. A plan first stated after
    ``as_of`` is left out: the pathway is read as of the cohort's date.
    """
    by_agency: dict[str, list[Provision]] = {}
    for p in ix.provisions_to(cohort, service=service):
        if p.pending and p.via != RelType.FUNDS.value and p.agency not in providers:
            by_agency.setdefault(p.agency, []).append(p)
    inside, _ = _by_jurisdiction(ix, regions, by_agency)
    found = []
    for agency in inside:
        provs = by_agency[agency]
        status = min((p.status for p in provs), key=STATUS_ORDER.__getitem__)
        ev = dedupe(e for p in provs for e in p.evidence)
        published = [d for d in (as_date(ix.attr(e.source, "published")) for e in ev) if d is not None]
        starts = [p.start for p in provs if p.start is not None]
        since = min(published) if published else min(starts, default=None)
        if as_of is not None and since is not None and since > as_of:
            continue
        through = next((p.through for p in provs if p.through), None)
        text = f"{status} by {ix.name(agency)}" + (f" since {since.isoformat()}" if since else " (undated)")
        found.append(PendingProvider(agency, ix.name(agency), status, since, through, text, ev))
    return tuple(found)


def _chain(ix: GraphIndex, H: nx.Graph, services: list[str], agencies: tuple[str, ...], as_of: dt.date | None, half_life: float) -> Chain:
    steps = tuple(zip(services, agencies))
    hs = tuple(_handoff(H, ix, s1, a, s2, b, as_of, half_life) for (s1, a), (s2, b) in zip(steps, steps[1:]))
    cost = round(float(sum(h.cost for h in hs)), 6)
    broken = sum(h.kind == "broken" for h in hs)
    parts = [f"{ix.name(a)} ({s})" for s, a in steps]
    text = " -> ".join(parts)
    if broken:
        text += f"; {broken} hand-off{'s' if broken > 1 else ''} without a recorded tie"
    return Chain(steps, cost, broken, hs, text)


def _gaps(ix: GraphIndex, cohort: str, ctype: str, steps: list[StepProviders], best: Chain | None) -> tuple[PathwayGap, ...]:
    found: list[PathwayGap] = []
    name = ix.name(cohort)
    presence = dedupe(e for ev in ix.cohort_presence(cohort).values() for e in ev)
    for sp in steps:
        if sp.providers:
            continue
        extra = ""
        if sp.outside_jurisdiction:
            extra = " (" + ", ".join(ix.name(a) for a in sp.outside_jurisdiction) + " provide it but without recorded jurisdiction over the cohort's region)"
        pending = ""
        if sp.pending:
            # a plan or a wish is shown beside the step it would fill, never as its provider
            pending = " Not delivered, only " + "; ".join(pp.text for pp in sp.pending) + "."
        step = sp.service if not sp.label or sp.label == sp.service.replace("_", " ") else f"{sp.label}: {sp.service}"
        found.append(
            PathwayGap(
                "missing_step", cohort, name, sp.service, sp.outside_jurisdiction,
                f"Step {sp.step} ({step}) of the {ctype} pathway has no recorded provider with jurisdiction for {name}{extra}: "
                f"the sources do not show anyone delivering it, and every chain skips it, so no chain is intact end to end.{pending}",
                presence + tuple(e for pp in sp.pending for e in pp.evidence), 0.75,
            )
        )
    if best is not None:
        by_service = None
        for h in best.handoffs:
            if h.kind != "broken":
                continue
            by_service = by_service if by_service is not None else ix.delivered_to(cohort)
            ev = dedupe(
                e
                for service, agency in ((h.from_service, h.from_agency), (h.to_service, h.to_agency))
                for p in by_service.get(service, ())
                if p.agency == agency
                for e in p.evidence
            )
            found.append(
                PathwayGap(
                    "broken_handoff", cohort, name, f"{h.from_service} -> {h.to_service}", (h.from_agency, h.to_agency),
                    f"In the best referral chain for {name}, {ix.name(h.from_agency)} ({h.from_service}) must hand over to "
                    f"{ix.name(h.to_agency)} ({h.to_service}), but no meeting, shared programme, COOPERATES_WITH or PART_OF "
                    "tie between them is recorded, and no tied alternative provider exists for this hand-off.",
                    ev, 0.45,
                )
            )
    return tuple(found)


def _robustness(steps: list[StepProviders], disjoint: int) -> str:
    """The disjoint-chain count with the caveat it needs: over how many of the steps, and which have no provider.

    >>> sp = lambda i, service, *agencies: StepProviders(i, service, agencies, agencies, (), ())
    >>> _robustness([sp(1, "prevention_awareness", "A", "B"), sp(2, "identification_registration"),
    ...              sp(3, "safe_return", "A", "B")], 2)
    '2 node-disjoint chains without a broken hand-off over 2 of 3 steps; 1 step has no recorded provider (identification_registration), so no chain covers the whole pathway'
    """
    total = len(steps)
    missing = [sp.service for sp in steps if not sp.providers]
    covered = total - len(missing)
    pending = [f"{sp.service} {pp.text}" for sp in steps if not sp.providers for pp in sp.pending]
    also = "; pending: " + "; ".join(pending) if pending else ""
    if not covered:
        return f"no chain: none of the {total} steps has a recorded provider{also}"
    count = f"{disjoint} node-disjoint chain{'s' if disjoint != 1 else ''} without a broken hand-off"
    if not missing:
        text = f"{count} over all {total} steps"
        return text + ("" if disjoint else " (every chain has a broken hand-off)")
    have = "has" if len(missing) == 1 else "have"
    text = (f"{count} over {covered} of {total} steps; {len(missing)} step{'s' if len(missing) != 1 else ''} {have} "
            f"no recorded provider ({', '.join(missing)}), so no chain covers the whole pathway")
    return text + also


def _explain(ix: GraphIndex, cohort: str, template: tuple, steps: list[StepProviders], best: Chain | None,
             robustness: str, critical: tuple[str, ...]) -> str:
    """One paragraph: the steps covered, the best chain, the robustness sentence (which names the missing steps)."""
    name = ix.name(cohort)
    covered = sum(bool(sp.providers) for sp in steps)
    parts = [f"{name}: {covered} of {len(template)} pathway steps have a provider with jurisdiction"]
    if best is not None:
        parts.append(f"best chain: {best.explanation}")
    parts.append(robustness)
    if critical:
        parts.append("every chain without a broken hand-off depends on " + ", ".join(ix.name(a) for a in critical))
    return "; ".join(parts) + "."
