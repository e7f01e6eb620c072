"""Report sections for the analytics: Markdown and HTML, every value escaped.

:func:`analytics_sections` returns ``[{"title", "markdown", "html"}, ...]`` for
:func:`graphmodel.report.write_report` (``extra_sections=``). Both formats are
built by one writer, so they say the same thing: every value goes through
``html.escape`` in HTML and :func:`graphmodel.util.escaping.markdown_text` in
Markdown, so a hostile name in a seed shows as text (no link, image, heading
or emphasis comes from data).
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Callable, Iterable, Sequence
from itertools import islice
from typing import Any

import networkx as nx

from graphmodel.analytics.analysis import Analysis
from graphmodel.analytics.brokerage import brokerage_table
from graphmodel.analytics.coverage import coverage_matrix
from graphmodel.analytics.findings import EvidenceRef
from graphmodel.analytics.gaps import GAP_KINDS, REPORT_MISSING_TIES, CoordinationGap, GapFindings, find_gaps
from graphmodel.analytics.index import GraphIndex
from graphmodel.analytics.mandates import load_mandates
from graphmodel.analytics.pathways import PathwayResult, PathwayTemplate, PathwayTemplates, referral_pathways
from graphmodel.errors import AnalyticsError
from graphmodel.util.escaping import markdown_text

__all__ = ["analytics_sections"]

MAX_EVIDENCE = 3
"""Quotes shown per finding in the report (the JSON output has all of them)."""

MAX_ROWS = 100
"""Rows shown per table; a national graph has hundreds of thousands of findings (the report says how many)."""

MAX_FINDINGS = 50
"""Findings shown with their evidence per list (the most serious first)."""

MAX_PATHWAYS = 25
"""Cohorts whose referral pathway is shown in detail (the most broken first; all are tabled)."""
DETAIL_CHAINS = 3
"""Chains (the best and its alternatives) shown for each pathway in detail."""

_WHERE_ALL = "the notebooks, `graphmodel gaps --format json` and `graphmodel pathways` give every one"


def _fmt(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


class _Writer:
    """Builds the Markdown and the HTML of one section side by side."""

    def __init__(self, md_escape: Callable[[Any], str]):
        self._md_escape = md_escape
        self.md: list[str] = []
        self.html: list[str] = []

    def md_text(self, value: Any) -> str:
        return self._md_escape(_fmt(value))

    @staticmethod
    def html_text(value: Any) -> str:
        return html.escape(_fmt(value), quote=True)

    def heading(self, text: str) -> None:
        self.md.append(f"### {self.md_text(text)}\n")
        self.html.append(f"<h3>{self.html_text(text)}</h3>")

    def para(self, text: str) -> None:
        self.md.append(self.md_text(text) + "\n")
        self.html.append(f"<p>{self.html_text(text)}</p>")

    def table(self, headers: Sequence[str], rows: Iterable[Sequence[Any]], limit: int = MAX_ROWS, where: str = "") -> None:
        """A table of the first ``limit`` rows, saying how many there are when some are left out."""
        rows = list(rows)
        if not rows:
            self.para("(none)")
            return
        if len(rows) > limit:
            self.para(f"The first {limit:,} of {len(rows):,} rows ({where or _WHERE_ALL}).")
            rows = rows[:limit]
        self.md.append("| " + " | ".join(self.md_text(h) for h in headers) + " |")
        self.md.append("|" + "---|" * len(headers))
        for row in rows:
            self.md.append("| " + " | ".join(self.md_text(c) for c in row) + " |")
        self.md.append("")
        head = "".join(f"<th>{self.html_text(h)}</th>" for h in headers)
        body = "".join("<tr>" + "".join(f"<td>{self.html_text(c)}</td>" for c in row) + "</tr>" for row in rows)
        self.html.append(f'<table class="analytics"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')

    def findings(self, items: Iterable[tuple], limit: int = MAX_FINDINGS) -> None:
        """A numbered list of the first ``limit`` items: title, explanation, what it rests on, then the evidence.

        An item is ``(title, explanation, evidence)`` or ``(title, explanation, evidence, notes)``: ``notes``
        are lines (basis, pending activity, caveats) shown between the explanation and the quotes. A quote
        of a fact that is not reported as done says its status.
        """
        items = list(islice(items, limit + 1))
        if not items:
            self.para("(none)")
            return
        if len(items) > limit:
            self.para(f"The first {limit:,} ({_WHERE_ALL}).")
            items = items[:limit]
        html_items = []
        for i, item in enumerate(items, start=1):
            title, explanation, evidence = item[:3]
            notes = list(item[3]) if len(item) > 3 else []
            self.md.append(f"{i}. **{self.md_text(title)}**. {self.md_text(explanation)}")
            for note in notes:
                self.md.append(f"    - {self.md_text(note)}")
            shown = list(evidence)[:MAX_EVIDENCE]
            for e in shown:
                self.md.append(f'    - {self.md_text(e.source)}: "{self.md_text(e.quote)}" ({self.md_text(_about(e))})')
            more = len(evidence) - len(shown)
            if more > 0:
                self.md.append(f"    - ... and {more} more quote(s)")
            if not evidence:
                self.md.append("    - (no quote: the finding is the absence of a recorded fact)")
            ev_html = "".join(f'<li class="note"><em>{self.html_text(n)}</em></li>' for n in notes)
            ev_html += "".join(
                f"<li><code>{self.html_text(e.source)}</code>: &ldquo;{self.html_text(e.quote)}&rdquo; "
                f'<span class="note">({self.html_text(_about(e))})</span></li>'
                for e in shown
            )
            if more > 0:
                ev_html += f"<li>... and {more} more quote(s)</li>"
            if not evidence:
                ev_html += "<li>(no quote: the finding is the absence of a recorded fact)</li>"
            html_items.append(
                f"<li><strong>{self.html_text(title)}</strong>. {self.html_text(explanation)}<ul>{ev_html}</ul></li>"
            )
        self.md.append("")
        self.html.append("<ol>" + "".join(html_items) + "</ol>")

    def section(self, title: str) -> dict[str, str]:
        return {"title": title, "markdown": "\n".join(self.md).strip() + "\n", "html": "\n".join(self.html)}


def _about(e: EvidenceRef) -> str:
    """What a quote is evidence for, and its status when the fact is not reported as done."""
    status = getattr(e, "status", "reported")
    return e.about if status == "reported" else f"{e.about}; {status.upper()}"


def rests_on(g: CoordinationGap) -> list[str]:
    """The lines that say what a finding rests on: basis and confidence, pending activity, caveats."""
    basis = "recorded in the sources" if g.basis == "recorded" else "NOT RECORDED in the sources (a question to verify)"
    sources = ", ".join(g.sources_consulted.sources) if g.sources_consulted and g.sources_consulted.sources else "none"
    facts = ", ".join(g.statuses) or "none"
    lines = [f"Basis: {basis}; sources consulted: {g.consulted} ({sources}); confidence: {g.confidence}; "
             f"facts cited: {facts}."]
    lines += [f"Pending, not closing the gap: {p.phrase()} ({p.service})." for p in g.pending]
    lines += [f"Caveat: {c}." for c in g.caveats]
    if len(g.perspectives) > 1:
        lines.append(f"One hole seen as {' and '.join(g.perspectives)}.")
    return lines


def analytics_sections(
    G: nx.MultiDiGraph | Analysis, as_of: dt.date | None = None, stale_years: float = 5, top: int = 25,
    *, findings: GapFindings | None = None,
) -> list[dict[str, str]]:
    """Report sections for every analytic, each finding with its evidence.

    Sections: ranked coordination gaps; mandate gaps (with the mandates used
    and whether each was verified); the 4W coverage matrix and coverage gaps;
    missing and stale ties; brokers and single points of failure; referral
    pathways per cohort.

    Every analytic runs once, on one
    :class:`~graphmodel.analytics.analysis.Analysis` (one index, one
    coordination network): the ranked gaps and the detailed sections show
    the same results.
    Sized for a national graph: tables show their first :data:`MAX_ROWS`
    rows and lists their first :data:`MAX_FINDINGS` findings (most serious
    first), each saying how many there are; missing ties are the
    :data:`~graphmodel.analytics.gaps.REPORT_MISSING_TIES` strongest, with
    their total; referral pathways are tabled for every cohort and shown in
    detail for the :data:`MAX_PATHWAYS` most broken.

    Parameters
    ----------
    G : nx.MultiDiGraph or Analysis
        The evidence graph, or an :class:`~graphmodel.analytics.analysis.Analysis`
        of it when the caller has one (e.g. shared with the overview's gap
        highlight); made here otherwise.
    as_of : datetime.date, optional
        Reference date for stale ties and recency (default: latest date in ``G``).
    stale_years : float
        Age after which a tie is stale.
    top : int
        How many ranked gaps to detail in the first section (all are tabled).
    findings : GapFindings, optional
        ``find_gaps(G, "all", as_of, stale_years, k=..., ...)`` when the caller
        has it (the main job ranks it for the overview too); computed here
        otherwise, with :data:`~graphmodel.analytics.gaps.REPORT_MISSING_TIES`
        and ``k=1``. Any ``k`` gives the same sections: the pathways shown in
        detail get :data:`DETAIL_CHAINS` chains either way.

    Returns
    -------
    list of dict
        ``{"title": str, "markdown": str, "html": str}`` per section.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("r", label="Region", name="<script>alert(1)</script>", kind="city")
    >>> G.add_node("c", label="MigrantCohort", name="Refugees", cohort_type="foreign_refugees")
    >>> _ = G.add_edge("r", "c", key="HOSTS_COHORT", type="HOSTS_COHORT", evidence=[{"source": "s", "quote": "pengungsi"}])
    >>> sections = analytics_sections(G)
    >>> [s["title"] for s in sections][:2]
    ['Coordination gaps (ranked)', 'Mandate gaps']
    >>> any("<script>" in s["html"] or "<script>" in s["markdown"] for s in sections)
    False
    """
    A = Analysis.of(G)
    ix = A.index
    as_of = as_of or ix.latest_date()
    # the ranked gaps use only each best chain; the pathways shown in detail get DETAIL_CHAINS alternatives
    found = findings if findings is not None else find_gaps(
        A, "all", as_of, stale_years, k=1, top_missing_ties=REPORT_MISSING_TIES)
    out = []

    def writer() -> _Writer:
        return _Writer(markdown_text)

    # ---------------------------------------------------------------- ranked gaps
    w = writer()
    gaps = found.ranked() if found.kinds == frozenset(GAP_KINDS) else found.ranked(GAP_KINDS)
    counts: dict[str, int] = {}
    for g in gaps:
        counts[f"{g.kind}/{g.subkind}"] = counts.get(f"{g.kind}/{g.subkind}", 0) + 1
    kept_missing = counts.get("ties/missing_tie", 0)
    missing_note = (
        f" Missing ties: the {kept_missing:,} strongest of {found.missing_total:,} are ranked."
        if found.missing_total > kept_missing else ""
    )
    bases = {b: sum(1 for g in gaps if g.basis == b) for b in ("recorded", "not_recorded")}
    confs = {c: sum(1 for g in gaps if g.confidence == c) for c in ("high", "medium", "low")}
    w.para(
        f"What these findings rest on: {bases['recorded']:,} of {len(gaps):,} findings are recorded in the sources "
        "(the sources show the gap itself: an agency asked to provide a service, and no report of it delivered); "
        f"{bases['not_recorded']:,} only mean that nothing in the sources covers it: news reports are not a census, "
        "so each is a question to verify with the agencies named, not a proven absence. Confidence: "
        f"{confs['high']:,} high, {confs['medium']:,} medium, {confs['low']:,} low. Planned and hoped activity never "
        "closes a gap; it is shown beside it, and an announced plan does not make a gap recorded. Each finding names "
        "the reports consulted for its cohort and place. Findings are ranked by basis, then confidence, then score."
    )
    w.para(
        f"{len(gaps):,} findings ({', '.join(f'{k}: {v:,}' for k, v in sorted(counts.items())) or 'none'}). "
        "Scores are a triage order, not a measurement; findings that differ only by region are merged, and a "
        "mandate gap and a coverage gap for the same cohort, place and service are one finding. "
        f"Reference date for recency: {_fmt(as_of)}.{missing_note}"
    )
    w.table(["rank", "kind", "finding", "basis", "confidence", "consulted", "score"],
            [(g.rank, f"{g.kind}/{g.subkind}", g.title, g.basis, g.confidence, g.consulted, g.score) for g in gaps])
    w.heading(f"Top {min(top, len(gaps))} findings with evidence")
    w.findings((f"#{g.rank} {g.title}", g.explanation, g.evidence, rests_on(g)) for g in gaps[:top])
    out.append(w.section("Coordination gaps (ranked)"))

    # ---------------------------------------------------------------- mandates
    w = writer()
    ms = load_mandates()
    merged = found.ranked("mandate")
    w.para(
        "A mandate gap is a cohort present in a region, a legal mandate for its type, and no agency of the "
        "mandated kind (or the named actor) with jurisdiction over the region linked to the cohort. "
        "'no_actor_recorded': the graph has no such agency; 'actor_not_linked': it has one, not recorded giving the mandated service (planned or hoped activity does not count). "
        f"{sum(len(g.details) for g in merged)} (cohort, region, mandate) gaps, shown merged across a cohort's regions."
    )
    rows = []
    for g in merged:
        d = g.details[0]
        rows.append((d.cohort_name, _listed([x.region_name for x in g.details]), d.duty, d.actor or d.responsible,
                     d.instrument, d.article, d.status, _listed([ix.name(c) for c in d.candidates]), d.verified))
    w.table(["cohort", "regions", "duty", "responsible", "instrument", "article", "status", "candidates", "verified"], rows)
    w.heading("Each gap with its evidence")
    w.findings((g.title, g.explanation, g.evidence, rests_on(g)) for g in merged)
    w.heading("Mandates used (verified = article and wording read in a copy of the text)")
    w.table(
        ["id", "instrument", "article", "binds as", "duty", "responsible", "verified", "verification note"],
        [(m.id, ms.instrument(m.instrument).short, m.article, str(m.phrasing), m.duty.value, m.actor or m.responsible,
          m.verified, m.verification_note) for m in ms.mandates],
    )
    out.append(w.section("Mandate gaps"))

    # ---------------------------------------------------------------- coverage
    w = writer()
    frame = coverage_matrix(A)
    w.para(
        "Who does what, where, when (4W): one row per agency, service, region and period; implementers only "
        "(an agency that only funds a programme is not counted). Export: graphmodel.analytics.write_4w_hxl."
    )
    w.table(
        ["agency", "service", "region", "province", "period", "cohorts", "via", "sources"],
        [(r.agency_name, r.service, r.region_name or "-", r.adm1_name or "-", r.period, r.cohorts or "-", r.via, r.sources)
         for r in frame.itertuples()],
        where="the main job's 4w_hxl.csv has every row",
    )
    cgaps = found.coverage
    w.heading("Coverage gaps: needed services with no provider, one provider, or uncoordinated providers")
    w.table(
        ["kind", "cohort", "region", "step", "service", "providers"],
        [(g.kind, g.cohort_name, g.region_name, g.step, g.service, _listed(g.provider_names)) for g in cgaps],
    )
    w.findings((f"{g.kind}: {g.cohort_name} / {g.region_name} / {g.service}", g.explanation, g.evidence)
               for g in cgaps if g.kind != "no_provider")
    out.append(w.section("Coverage (4W) and coverage gaps"))

    # ---------------------------------------------------------------- ties
    w = writer()
    mt = found.missing
    w.para(
        "Missing ties: agencies serving the same cohorts or regions (Jaccard overlap of what they serve) with no "
        f"shared meeting, shared programme, COOPERATES_WITH or PART_OF. {found.missing_total:,} pairs, strongest first."
    )
    w.findings((f"{t.name_a} / {t.name_b} (overlap {t.overlap:.2f})", t.explanation, t.evidence) for t in mt)
    st = found.stale
    w.heading(f"Stale ties (last recorded contact more than {stale_years:g} years before {_fmt(as_of)})")
    w.para("The last contact the sources record, not the last contact: a later meeting may simply not have been reported.")
    w.table(["agency", "agency", "last recorded contact", "age (years)", "why tied"],
            [(t.name_a, t.name_b, t.last_contact, t.age_years, "; ".join(t.reasons)) for t in st])
    out.append(w.section("Missing and stale ties"))

    # ---------------------------------------------------------------- brokerage
    w = writer()
    table = brokerage_table(A)
    w.para(
        "Coordination network: agencies tied by shared meetings, programmes, COOPERATES_WITH and PART_OF. "
        f"Betweenness (normalised; {table.attrs.get('betweenness_method', 'not computed')}), Burt's constraint "
        "and effective size, and Gould-Fernandez brokerage roles "
        "on the directed network (host/funder -> participant/implementer), groups = administrative level."
    )
    w.para(
        "Caveat: centrality measures the corpus as much as the network: an agency through which the reports "
        "were found (all five seed reports were chosen because they mention IOM) sits on every path by "
        "construction, and the network pools every period of the sources into one graph. Read a high betweenness "
        "or a cut point as a question about the sources first. PART_OF links (an office and its parent) are "
        "organisation charts, not coordination, and are not reported as bridges; only reported or inferred "
        "activity makes a tie (a cooperation only planned does not)."
    )
    if not table.empty:
        shown = table.head(15)
        w.table(
            ["agency", "level", "degree", "betweenness", "constraint", "effective size", "coordinator", "itinerant",
             "representative", "gatekeeper", "liaison", "cut point"],
            [(r.name, r.level, r.degree, r.betweenness, r.constraint, r.effective_size, r.coordinator, r.itinerant,
              r.representative, r.gatekeeper, r.liaison, r.articulation_point) for r in shown.itertuples()],
        )
    fr = found.fragility
    w.heading(f"Single points of failure in the coordination network ({len(fr):,})")
    spof = {tuple(g.details[0].agencies): g for g in gaps if g.kind == "spof" and g.subkind in ("articulation_point", "bridge")}
    w.findings((f"{f.kind}: {' - '.join(f.names)}", f.explanation, f.evidence,
                rests_on(spof[f.agencies]) if f.agencies in spof else []) for f in fr)
    w.heading("Communities (Louvain, seed 42)")
    # the table's community column indexes coordination_communities(A.network): the same list, without a second Louvain run
    communities = [] if table.empty else [sorted(m) for _, m in sorted(table.groupby("community").groups.items())]
    w.table(["#", "size", "members"], [(i, len(c), _listed([ix.name(n) for n in c])) for i, c in enumerate(communities)])
    out.append(w.section("Brokers and single points of failure"))

    # ---------------------------------------------------------------- pathways
    w = writer()
    w.para(
        "For each cohort: providers of each step of its pathway template with jurisdiction over its region, the best "
        "chain of providers (hand-offs over recorded coordination ties, weighted by strength and recency; the same "
        "agency continuing is free), the alternatives, how many node-disjoint chains exist over the steps that have "
        "a provider (with the missing steps beside them: a pathway with a missing step has no complete chain), and "
        "the gaps. Each cohort is analysed as of its own date (the latest dated evidence about it). Planned and "
        "hoped providers never fill a step; they are listed as pending."
    )
    results = [(c, r) for c, r in found.pathways if isinstance(r, PathwayResult)]
    results.sort(key=lambda cr: _pathway_severity(ix, cr[1]))
    w.heading("Every cohort, the most broken pathway first")
    w.table(
        ["cohort", "type", "as of", "steps with a provider", "steps missing", "broken hand-offs", "robustness",
         "depends on"],
        [(r.cohort_name, r.cohort_type, _fmt(r.as_of), f"{r.steps_covered} of {r.steps_total}", r.steps_missing,
          r.best.broken if r.best else "-", r.robustness, ", ".join(ix.name(a) for a in r.critical_providers) or "-")
         for _, r in results],
    )
    if len(results) > MAX_PATHWAYS:
        w.para(f"In detail: the {MAX_PATHWAYS} most broken of {len(results):,} pathways ({_WHERE_ALL}).")
    for cohort, result in found.pathways:
        if isinstance(result, AnalyticsError):
            w.heading(ix.name(cohort))
            w.para(str(result))
    for _, result in results[:MAX_PATHWAYS]:
        if len(result.alternatives) < DETAIL_CHAINS:
            # the findings may keep only each best chain (the main job's, for speed at national scale):
            # the alternatives shown come from the same analysis with k = DETAIL_CHAINS
            # (with the steps the findings used, whatever templates they came from)
            same_steps = PathwayTemplates(templates=(
                PathwayTemplate.model_validate({
                    "cohort_type": result.cohort_type, "steps": result.steps, "basis": "the findings' template",
                    "labels": {sp.service: sp.label for sp in result.providers if sp.label != sp.service.replace("_", " ")},
                }),))
            result = referral_pathways(A, result.cohort, k=DETAIL_CHAINS, templates=same_steps, as_of=result.as_of)
        w.heading(f"{result.cohort_name} ({result.cohort_type})")
        w.para(result.explanation)
        w.table(["step", "service", "providers", "outside jurisdiction"],
                [(sp.step, sp.service, _listed(sp.provider_names),
                  _listed([ix.name(a) for a in sp.outside_jurisdiction])) for sp in result.providers])
        w.table(["rank", "chain", "cost", "broken hand-offs"],
                [(i, c.explanation, c.cost, c.broken) for i, c in enumerate(result.alternatives, start=1)])
        missing = [g for g in result.gaps if g.kind == "missing_step"]
        if missing:
            w.findings([(
                f"{len(missing)} missing step(s): {', '.join(g.service for g in missing)}",
                "No agency with jurisdiction over the cohort's region is recorded providing these steps; "
                "the chain skips them, so referrals break there. Evidence: the cohort's presence.",
                missing[0].evidence,
            )])
        broken = [g for g in result.gaps if g.kind != "missing_step"]
        if broken:
            w.findings((f"{g.kind}: {g.service}", g.explanation, g.evidence) for g in broken)
    out.append(w.section("Referral pathways"))
    return out


def _pathway_severity(ix: GraphIndex, r: PathwayResult) -> tuple:
    """Sort key, most broken first: missing steps and broken hand-offs, fewer intact chains, larger cohort."""
    missing = sum(g.kind == "missing_step" for g in r.gaps)
    broken = r.best.broken if r.best else 0
    return (-(missing + broken), r.disjoint_chains, -(ix.cohort_size(r.cohort) or 0), r.cohort_name, r.cohort)


def _listed(names: Sequence[str], limit: int = 10) -> str:
    """Names joined, the first ``limit`` and how many more."""
    if not names:
        return "-"
    more = len(names) - limit
    return ", ".join(names[:limit]) + (f" and {more} more" if more > 0 else "")
