# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 02 · Coordination gaps: who is missing, and who is not talking?
#
# **The question.** Where is a migrant cohort present but an actor that the
# law makes responsible is not linked to it (a *mandate gap*), or a service it
# needs has no provider (a *coverage gap*)? Which agencies work with the same
# people without any recorded contact (*missing ties*), and whose last
# recorded contact is years old (*stale ties*)? And for each finding: **what
# does it rest on?** Does the evidence show the gap, or do the sources simply
# not mention the service?
#
# Five news reports are not a census. Most gaps here mean "the reports record
# no such link": a question to verify with the agencies named, not proof that
# the service is absent on the ground. Section 2 shows how each finding says
# which it is.

# %% [markdown]
# ## 1. Load the seed and build the graph

# %%
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display
from matplotlib.colors import ListedColormap

from graphmodel.analytics import (
    CoverageGap,
    MandateGap,
    coordination_gaps,
    coverage_gaps,
    coverage_matrix,
    graph_as_of,
    load_pathways,
    mandate_gaps,
    mandates_table,
    missing_ties,
    stale_ties,
    to_frame,
)
from graphmodel.analytics.basis import BASES, CONFIDENCES
from graphmodel.export.common import Highlight, short_label
from graphmodel.export.diagram import draw_diagram
from graphmodel.graph import build_graph
from graphmodel.seed import load_seed
from graphmodel.util.text import fold_space

# %matplotlib inline
pd.set_option("display.max_colwidth", 140)

SEED = next(p / "seed" for p in (Path.cwd(), *Path.cwd().parents) if (p / "seed" / "sources.yaml").is_file())
ds = load_seed(SEED)
G = build_graph(ds)


def name(node: str) -> str:
    return G.nodes[node]["name"]


def quote_in_context(source: str, quote: str, margin: int = 160) -> str:
    """The quote marked >>like this<< inside the text around it, from the verbatim source document."""
    text, quote = fold_space(ds.source_texts[source]), fold_space(quote)
    at = text.find(quote)
    assert at >= 0, "every quote is in its source (load_seed checks this)"
    end = at + len(quote)
    return f"[{source}] ...{text[max(0, at - margin):at]}>>{text[at:end]}<<{text[end:end + margin]}..."


# %% [markdown]
# ## 2. What each finding rests on
#
# `coordination_gaps` gathers every kind of gap into one ranked list. Each
# finding says what it rests on (`docs/findings.md` explains the words):
#
# * **basis**: `recorded` when the sources show the gap itself (an agency
#   asked to provide a needed service, and no source reporting it delivered),
#   or `not_recorded` when nothing in the sources covers it. An announced plan,
#   or a hope in a programme's purpose, is shown beside a gap but does not
#   record it: it says what one agency intends, not that nobody provides the
#   service;
# * **consulted**: the news reports that say anything about the cohort and
#   place (or the agencies), with their years. "Not recorded in 1 article from
#   2024" says much less than "not recorded in 12 articles from 2022-2024";
# * **statuses**: how far each fact it cites went (`reported`, `planned`,
#   `hoped`, `inferred`; see `01_overview`);
# * **pending**: planned or hoped activity that would fill the gap. It is
#   shown beside the gap and never closes it: a plan is not a service;
# * **confidence**: follows from the above. An absence from news reports is
#   never `high`.
#
# The list is ranked by basis (recorded first), then confidence, then the
# triage score.

# %%
findings = coordination_gaps(G)
rests_on = pd.DataFrame(
    [
        {
            "rank": g.rank,
            "kind": g.kind,
            "title": g.title,
            "basis": g.basis,
            "confidence": g.confidence,
            "consulted": g.consulted,
            "statuses": ", ".join(g.statuses),
            "pending": "; ".join(f"{p.service}: {p.phrase()}" for p in g.pending) or "-",
        }
        for g in findings
    ]
).set_index("rank")
print(f"{len(findings)} findings")
with pd.option_context("display.max_rows", 100, "display.max_colwidth", 90):
    display(rests_on)

# %% [markdown]
# How many findings the sources show, and how many are questions to verify:

# %%
pd.crosstab(
    pd.Categorical(rests_on["basis"], categories=BASES), pd.Categorical(rests_on["confidence"], categories=CONFIDENCES),
    rownames=["basis"], colnames=["confidence"], dropna=False, margins=True, margins_name="total",
)

# %% [markdown]
# ### Announced, not delivered: a plan beside a gap
#
# At an online audience in February 2022, IOM and the NTB provincial
# government announced a programme to protect migrant workers from Lombok
# Timur and Lombok Barat, "from before departure" to their return. The report
# says IOM *will* cooperate ("akan melakukan kerjasama") and the province is
# *ready* to support it ("siap mendukung"). Nothing reports it under way, so
# the plan fills no step: it is shown beside the gap, with the date it was
# announced. The gap itself stays a question to verify: an announcement says
# what IOM intends, not that nobody else (BP3MI, the regencies, villages)
# already provides the service. Only an agency *asked* to provide a service
# ("berharap ... dapat menyediakan", "meminta") records a gap, and none of
# the five reports does that: every seed finding is a question to verify.

# %%
def about_service(g, service: str) -> bool:
    """Whether one of the analytics' findings behind ``g`` is about ``service``."""
    return any(getattr(d, "service", getattr(d, "duty", None)) == service for d in g.details)


ntb_return = next(g for g in findings if g.subjects[0] == "cohort-ntb-pmi" and g.kind == "coverage"
                  and about_service(g, "safe_return"))
print(ntb_return.title.split("; ")[0])
print(f"basis: {ntb_return.basis} | confidence: {ntb_return.confidence} | consulted: {ntb_return.consulted}")
print("pending:")
for p in ntb_return.pending:
    print(f"  {p.phrase()}")
display(pd.DataFrame([{"status": e.status, "source": e.source, "quote": e.quote, "fact": e.about}
                      for p in ntb_return.pending for e in p.evidence]).drop_duplicates(["quote", "fact"]))

# %% [markdown]
# The announcement in the original Indonesian report:

# %%
print(quote_in_context("src-004", "IOM UN akan melakukan kerjasama dengan Pemerintah Provinsi NTB"))

# %% [markdown]
# ### A finding that is not recorded: a question to verify
#
# The 171 refugees in Kota Kupang need health care, and the one report about
# them (2024) names nobody providing it. That is all the finding says: the
# report is about a visit of IOM Kupang to the detention centre, not about
# health. Its explanation ends by saying so, and its confidence is low. The
# next step is to ask the city health office, IOM and the refugees'
# representatives, not to write that the refugees have no health care.

# %%
kupang_health = next(g for g in findings if g.subjects[0] == "cohort-kupang-refugees" and g.kind == "coverage"
                     and about_service(g, "health"))
print(f"[{kupang_health.rank}] {kupang_health.title}")
print(f"basis: {kupang_health.basis} | confidence: {kupang_health.confidence} | consulted: {kupang_health.consulted}")
print(kupang_health.explanation)

# %% [markdown]
# ### One hole, one finding
#
# The NTB workers' safe return is missing from two points of view: nobody is
# recorded providing it (coverage), and five articles name who should
# (mandates: BP2MI, the province, the regencies). Counted per place and per
# article, `mandate_gaps` finds 15 gaps and `coverage_gaps` 3 for it. They
# are one hole, so the ranked list holds **one** finding, with both
# perspectives and every underlying gap in its `details`:

# %%
def perspective(d) -> dict:
    """One row per underlying gap: the point of view, the place and what is missing."""
    if isinstance(d, CoverageGap):
        return {"perspective": "coverage", "region": d.region_name, "what": f"no provider of {d.service}", "phrasing": "-"}
    assert isinstance(d, MandateGap)
    who = d.actor or d.responsible
    return {"perspective": "mandate", "region": d.region_name,
            "what": f"{d.status.replace('_', ' ')}: {who} ({d.instrument} {d.article})", "phrasing": d.phrasing}


print("perspectives:", ", ".join(ntb_return.perspectives))
pd.DataFrame([perspective(d) for d in ntb_return.details])

# %%
raw_mandate = [m for m in mandate_gaps(G) if m.cohort == "cohort-ntb-pmi" and m.duty == "safe_return"]
raw_coverage = [c for c in coverage_gaps(G) if c.cohort == "cohort-ntb-pmi" and c.service == "safe_return"]
same_hole = [g for g in findings if "cohort-ntb-pmi" in g.subjects and about_service(g, "safe_return")]
print(f"{len(raw_mandate)} mandate gaps and {len(raw_coverage)} coverage gaps -> {len(same_hole)} finding")

# %% [markdown]
# ## 3. The mandates, as data
#
# Who *should* do what comes from the law, not from the news. The package
# ships the mandates of Perpres 125/2016 (foreign refugees), UU 18/2017 with
# PP 59/2021 (Indonesian migrant workers), UU 21/2007 and Perpres 49/2023
# (trafficking) as data: which kind of agency, or which named actor, is named
# for which service to which type of cohort, with the article, an honest
# `verified` flag (was the article's wording read in a copy of the text?) and
# **how the article binds** (`phrasing`):
#
# | phrasing | the article ... | what a gap means |
# |---|---|---|
# | `duty` | says the actor must act ("wajib", "memiliki tugas dan tanggung jawab") | an unmet obligation, if the sources show no such activity |
# | `definition` | defines a term that implies a role, and imposes nothing | a question to check |
# | `enabling` | allows or asks ("dapat"), or is a circular, not a regulation | a question to check |
# | `practice` | no article was found; the role is the actor's in practice | a question to check |
# | `cooperation` | lets the government cooperate with the actor, and cannot bind it | no finding at all |
#
# So Perpres 125/2016 Pasal 2, which lets the government cooperate with an
# international organisation, makes no duty of IOM's and no gap.

# %%
mandates = mandates_table()
mandates[["instrument", "article", "phrasing", "duty", "cohort_types", "responsible", "verified"]]

# %%
mandates["phrasing"].value_counts().to_frame("mandate rows")

# %% [markdown]
# ## 4. Mandate gaps
#
# For every cohort, every region where it is present and every mandate for its
# type, `mandate_gaps` looks for a responsible agency with jurisdiction there
# that is linked to the cohort **for the mandated service** (it serves the
# cohort with that service, or runs a programme that delivers it there), by
# activity the sources report (or the curator inferred). Any other link does
# not meet the mandate, and planned or hoped activity is only shown beside it.
# Two kinds of gap:
#
# * **no actor recorded**: the graph has no responsible agency for that place
#   at all (for example, no UNHCR anywhere in the sources);
# * **actor not linked**: a responsible agency is there (say, the provincial
#   government) but nothing links it to the cohort for that service.
#
# The table counts gaps per cohort and duty, over all the cohort's regions
# and articles (before they are merged into findings).

# %%
gaps = mandate_gaps(G)
gap_table = to_frame(gaps)
summary = gap_table.pivot_table(index="cohort_name", columns="duty", values="region", aggfunc="count", fill_value=0)
print(f"{len(gaps)} mandate gaps (cohort x region x mandate)")
summary

# %% [markdown]
# **Which cohorts lack a status-determination actor?** Perpres 125/2016
# Pasal 1 angka 1 defines a refugee as someone who has received refugee status
# "dari Perserikatan Bangsa-Bangsa melalui Komisariat Tinggi Urusan Pengungsi"
# (UNHCR). That presumes UNHCR determines status; it is a definition, not a
# duty. UNHCR is named in none of the five sources, so both refugee cohorts
# have no status-determination actor in the graph: a question to check, not
# an unmet obligation.

# %%
status = gap_table[gap_table["duty"] == "status_determination"]
status[["cohort_name", "region_name", "actor", "status", "instrument", "article", "phrasing", "verified"]]

# %% [markdown]
# ### The evidence behind one gap
#
# Every finding carries a plain-language explanation and the quotes that
# support it: here, that the cohort is present in the region (a gap is only
# claimed where the sources place the cohort), each quote with the status of
# its fact.

# %%
def show_evidence(finding) -> None:
    """Print a finding's explanation, then its evidence as a table (source id, quote, fact it supports, status)."""
    print(finding.explanation)
    display(pd.DataFrame([e.to_dict() for e in finding.evidence]))


unhcr_medan = next(g for g in gaps if g.duty == "status_determination" and g.cohort == "cohort-medan-refugees")
show_evidence(unhcr_medan)

# %% [markdown]
# Anyone can check a quote: the seed keeps each source document verbatim, and
# the quote is found in it (up to spacing). The sentence around the first
# quote, from the original Indonesian report:

# %%
first = unhcr_medan.evidence[0]
print(quote_in_context(first.source, first.quote))

# %% [markdown]
# The mandate gaps with the regions merged (one line per cohort and mandate),
# as `coordination_gaps` ranks them on their own: duties before questions to
# check, each with its basis and confidence. (In the full list of section 2, a
# mandate gap for a service nobody provides is merged into that coverage
# finding.)

# %%
merged = coordination_gaps(G, kinds="mandate")
pd.DataFrame([{"rank": g.rank, "gap": g.title, "basis": g.basis, "confidence": g.confidence,
               "caveat": "; ".join(g.caveats) or "-"} for g in merged])

# %% [markdown]
# ## 5. Coverage gaps: needed services without a provider
#
# First, *who does what, where* (the 4W matrix): each agency that delivers a
# service in a region, counting implementers, not funders, and only activity
# reported (or inferred) as delivered.

# %%
four_w = coverage_matrix(G)
four_w.pivot_table(index="agency_name", columns="service", values="region", aggfunc="nunique", fill_value=0)

# %% [markdown]
# Each cohort type has a referral pathway template: the services a person of
# that type needs, in order. `coverage_gaps` compares it with the providers
# found above, per cohort and region: **no provider**, **a single provider**
# (one agency is a single point of failure), or several providers that have
# no recorded contact with each other. Two kinds of "no provider" are told
# apart: a service that is **only planned or hoped for** (the gap is on
# record), and a cohort the sources place **in shelters without saying who
# provides them** (the Kupang hotels, the Medan community shelters). The grid
# shows the result per cohort (a service needed in several regions takes its
# worst state).

# %%
cov = coverage_gaps(G)
templates = load_pathways()
STATES = ["not needed", "covered (2+ providers)", "single provider", "sheltered, provider not recorded",
          "planned or hoped only", "no provider recorded"]
COLOURS = ["#F2F2F2", "#1A9850", "#FEE08B", "#ABD9E9", "#9E9AC8", "#D73027"]


def state(g) -> int:
    """The grid value of one coverage gap (the index in STATES): the higher, the less the sources show."""
    if g.kind != "no_provider":
        return 2
    if g.sheltered_in:
        return 3
    return 4 if g.pending else 5


cohorts = sorted(n for n, d in G.nodes(data=True) if d["label"] == "MigrantCohort")
services = list(dict.fromkeys(s.value for t in templates.templates for s in t.steps))
grid = pd.DataFrame(0, index=[short_label(G, c, width=40) for c in cohorts], columns=services)
for c in cohorts:
    for s in templates.for_cohort_type(G.nodes[c]["cohort_type"]).steps:
        grid.loc[short_label(G, c, width=40), s.value] = 1  # needed, and no gap found: covered
for g in cov:
    row = short_label(G, g.cohort, width=40)
    grid.loc[row, g.service] = max(grid.loc[row, g.service], state(g))

fig, ax = plt.subplots(figsize=(12, 4.2))
ax.imshow(grid.values, cmap=ListedColormap(COLOURS), vmin=0, vmax=len(STATES) - 1, aspect="auto")
ax.set_xticks(range(len(services)), [s.replace("_", " ") for s in services], rotation=35, ha="right")
ax.set_yticks(range(len(grid)), grid.index)
ax.set_xticks([x - 0.5 for x in range(1, len(services))], minor=True)
ax.set_yticks([y - 0.5 for y in range(1, len(grid))], minor=True)
ax.grid(which="minor", color="white", linewidth=2)
ax.tick_params(which="minor", length=0)
handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in COLOURS]
ax.legend(handles, STATES, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
ax.set_title("Needed services per cohort: who is recorded providing them?")
plt.show()

# %% [markdown]
# The single providers, by name (each is a single point of failure for that
# step of the pathway):

# %%
single = to_frame(c for c in cov if c.kind == "single_provider")
single.groupby(["cohort_name", "service"])["provider_names"].first().to_frame()

# %% [markdown]
# ## 6. Missing ties: the same people, no contact
#
# Two agencies that serve the same cohort or work in the same region should
# normally be in touch. `missing_ties` measures how much their work overlaps
# (the Jaccard overlap of the cohorts and regions they serve: 1.0 means exactly
# the same) and reports pairs that share no meeting, programme, cooperation
# agreement or parent organisation. Only delivered activity counts as work
# here, and only reported ties as contact.

# %%
mt = missing_ties(G)
to_frame(mt)[["name_a", "name_b", "overlap", "shared_cohorts", "shared_regions", "sources"]]

# %% [markdown]
# The evidence for the strongest one: both agencies demonstrably work with the
# Medan refugees, yet the sources record no contact between them.

# %%
show_evidence(mt[0])

# %% [markdown]
# ## 7. Stale ties: contact that is years old
#
# "Now" is the latest date recorded in the graph, not today's date, so the
# answer does not change from one year to the next. A tie is stale when the
# two agencies' last *recorded* contact (a shared meeting or programme, a
# dated cooperation) is more than five years before that. It is the last
# contact the sources report, not the last time the agencies met: each stale
# tie carries that caveat.

# %%
as_of = graph_as_of(G)
st = stale_ties(G, as_of, years=5)
print(f"as of {as_of}: {len(st)} stale ties")
stale = to_frame(st)
stale.groupby(["last_contact", "reasons"]).agg(ties=("agency_a", "size"), age_years=("age_years", "first")).reset_index()

# %% [markdown]
# Almost all stale ties come from one event: the 2019 coordination meeting in
# Sei Rampah on non-procedural migrant workers and trafficking, where nine
# agencies met once and the sources record no later contact between them.
# The ranked view merges ties renewed by the same contact:

# %%
ties = coordination_gaps(G, kinds="ties", as_of=as_of)
pd.DataFrame([{"rank": g.rank, "kind": g.subkind, "gap": g.title, "confidence": g.confidence, "score": g.score}
              for g in ties])

# %% [markdown]
# ## 8. The gaps on the network diagram
#
# The package's briefing diagram (`graphmodel.export.diagram`), with the
# cohorts that have no status-determination actor and the agencies in a
# missing tie ringed in red. National actors sit in the centre; each shaded
# sector is a province.

# %%
highlight = Highlight(
    nodes=frozenset({g.cohort for g in status.itertuples()} | {a for t in mt for a in (t.agency_a, t.agency_b)}),
    edges=frozenset(),
)
fig = draw_diagram(G, title="Coordination gaps", subtitle="red rings: no status-determination actor, or a missing tie",
                   highlight=highlight)
plt.show()

# %% [markdown]
# ### One cohort, all its gaps
#
# The whole network hides the detail. This drawing puts one cohort in the
# middle. Above it are the agencies that serve it (grey line; the service is
# under the name). On the left are the agencies the law makes responsible
# that are present but not linked to the cohort; on the right, mandated actors
# that no source mentions at all (hollow circles). Dashed red lines are
# mandate gaps and missing ties; dotted orange lines are stale contact, with
# the date of the last recorded meeting.

# %%
def spread(n: int, low: float, high: float) -> list[float]:
    return [0.0] if n == 1 else list(np.linspace(high, low, n))


def gap_picture(cohort: str, ax) -> None:
    serves = [(u, d["service"]) for u, _, d in G.in_edges(cohort, data=True) if d["type"] == "SERVES"]
    stale_count = {a: sum(a in (t.agency_a, t.agency_b) for t in st) for a, _ in serves}
    providers = sorted({u for u, _ in serves}, key=lambda a: (-stale_count[a], a))  # stale ties go left: keep them short
    cohort_gaps = [g for g in gaps if g.cohort == cohort]
    not_linked = sorted({a for g in cohort_gaps if g.status == "actor_not_linked" for a in g.candidates})
    absent = sorted({(g.actor or g.responsible.split(" (")[0], g.duty) for g in cohort_gaps if g.status == "no_actor_recorded"})
    stale_pairs = [(t.agency_a, t.agency_b, t.last_contact) for t in st if {t.agency_a, t.agency_b} & set(providers)]
    left = not_linked + sorted({a for x, y, _ in stale_pairs for a in (x, y)} - set(providers) - set(not_linked))

    pos = {cohort: (0.0, 0.0)}
    pos.update({p: (x * 1.2, 1.35) for p, x in zip(providers, spread(len(providers), 1, -1))})  # left to right
    pos.update({a: (-2.2, y) for a, y in zip(left, spread(len(left), -1.4, 0.6))})
    pos.update({f"absent {i}": (2.2, y) for i, y in enumerate(spread(len(absent), -2.1, 1.2))})  # room for 3-line labels

    def line(a, b, **style):
        ax.plot([pos[a][0], pos[b][0]], [pos[a][1], pos[b][1]], zorder=1, **style)

    red = {"color": "#D73027", "linestyle": "--", "linewidth": 1.6}
    for p in providers:
        line(p, cohort, color="#888888", linewidth=1.6)
    for a in not_linked:
        line(a, cohort, **red)
    for i in range(len(absent)):
        line(f"absent {i}", cohort, **red)
    for t in mt:
        if t.agency_a in pos and t.agency_b in pos:
            line(t.agency_a, t.agency_b, **{**red, "linewidth": 2.4})
            x, y = (pos[t.agency_a][0] + pos[t.agency_b][0]) / 2, pos[t.agency_a][1] + 0.12
            ax.text(x, y, "no recorded tie", color="#D73027", fontsize=9, ha="center", va="bottom")
    for a, b, when in stale_pairs:
        if a in pos and b in pos:
            line(a, b, color="#F46D43", linestyle=":", linewidth=2.2)
            (xa, ya), (xb, yb) = pos[a], pos[b]
            ax.text(xa + 0.5 * (xb - xa), ya + 0.5 * (yb - ya), f"last contact\n{when}", color="#F46D43",
                    fontsize=8, ha="center", va="center", bbox={"fc": "white", "ec": "none", "alpha": 0.85, "pad": 1})

    for n, (x, y) in pos.items():
        if n.startswith("absent "):
            who, duty = absent[int(n.split()[1])]
            ax.scatter(x, y, s=650, facecolors="white", edgecolors="#D73027", linewidths=2, zorder=2)
            label = f"{who}\nfor {duty.replace('_', ' ')}\n(not in the sources)"
        else:
            ax.scatter(x, y, s=1000 if n == cohort else 650, zorder=2, edgecolors="white",
                       c="#D55E00" if n == cohort else "#0072B2")
            label = short_label(G, n, width=24)
            if n in providers:
                label += "\nserves: " + ", ".join(sorted(s.replace("_", " ") for u, s in serves if u == n))
        ax.text(x, y - 0.17, label, ha="center", va="top", fontsize=8.5, zorder=3,
                fontweight="bold" if n == cohort else "normal",
                bbox={"fc": "white", "ec": "none", "alpha": 0.8, "pad": 1})
    ax.set_title(name(cohort), fontsize=11)
    ax.set_xlim(-3.0, 3.0)
    ax.set_ylim(-2.7, 1.75)
    ax.axis("off")


fig, axes = plt.subplots(1, 2, figsize=(16, 8))
gap_picture("cohort-medan-refugees", axes[0])
gap_picture("cohort-kupang-refugees", axes[1])
plt.show()

# %% [markdown]
# ### Check the findings below
#
# This cell fails if the seed changes so that the summary no longer holds.
# Each expectation says what it was derived from.

# %%
# Only an agency asked to provide a service records a gap, and no seed report asks one. Sergai (src-001): the
# cooperation's protection is hoped ("agar tetap memberikan perlindungan", to continue protecting): a purpose,
# shown beside the gap, recording nothing. NTB (src-004): IOM's programme ("IOM UN akan melakukan kerjasama")
# and the province's ("terus berkomitmen") cover prevention, return and reintegration, all planned: shown
# beside those three gaps, which stay not recorded, low (one article).
assert [g for g in findings if g.basis == "recorded"] == []
planned_beside = [g for g in findings if g.subjects[0] == "cohort-ntb-pmi" and g.pending]
assert {s for g in planned_beside for s in (d.service for d in g.details if isinstance(d, CoverageGap))} == {
    "prevention_awareness", "safe_return", "reintegration_livelihoods"}
assert all((g.basis, g.confidence) == ("not_recorded", "low") for g in planned_beside)
assert {p.agency for p in ntb_return.pending} == {"iom-indonesia", "pemprov-ntb"}
assert {p.status for p in ntb_return.pending} == {"planned"} and {str(p.since) for p in ntb_return.pending} == {"2022-02-21"}
# Everything else is an absence in the sources: never high, and it says it is a question to verify.
assert all(g.confidence != "high" for g in findings if g.basis == "not_recorded")
assert all("a question to verify" in g.explanation for g in findings if g.basis == "not_recorded")
assert kupang_health.basis == "not_recorded" and kupang_health.confidence == "low"
assert kupang_health.consulted == "1 article from 2024"  # src-002 is the only report about Kupang
# One hole, one finding: 5 safe-return duties for migrant workers of origin (PP 59/2021 Pasal 21 twice and
# Pasal 35, UU 18/2017 Pasal 40 and 41) x 3 places (Lombok Barat, Lombok Timur, the province) = 15 mandate gaps,
# and 3 coverage gaps, all in one finding.
assert (len(raw_mandate), len(raw_coverage), len(same_hole)) == (15, 3, 1)
assert set(raw_mandate) | set(raw_coverage) == set(ntb_return.details)
assert ntb_return.perspectives == ("coverage", "mandate")
# Pasal 2 of Perpres 125/2016 only lets the government cooperate with IOM: no finding may cite it.
assert "cooperation" in set(mandates["phrasing"])
assert not any("Pasal 2 (cooperation)" in g.title for g in findings)
# Both refugee cohorts lack UNHCR, which Pasal 1 angka 1 presupposes; a definition, so never worded as verified.
no_status_actor = set(status["cohort"])
assert no_status_actor == {"cohort-medan-refugees", "cohort-kupang-refugees"}
assert set(status["status"]) == {"no_actor_recorded"} and set(status["phrasing"]) == {"definition"}
assert "verified" not in unhcr_medan.explanation and "question to check" in unhcr_medan.explanation
# IOM Medan and Rudenim Medan both serve the Medan refugees (src-000) and share nothing.
assert [(t.agency_a, t.agency_b) for t in mt] == [("iom-medan", "rudenim-medan")] and mt[0].overlap == 1.0
# Kupang (src-002): supervised by Rudenim Kupang ("di bawah pengawasan Rumah Detensi Imigrasi Kupang"), helped by
# IOM Kupang ("dalam memberikan perlindungan dan bantuan kepada para pengungsi"), housed in three hotels whose
# provider the report does not name; nothing else.
kupang = grid.loc[short_label(G, "cohort-kupang-refugees", width=40)]
assert kupang[kupang > 0].to_dict() == {
    "identification_registration": 5, "status_determination": 5, "shelter": 3, "immigration_supervision": 2,
    "basic_needs_cash": 2, "health": 5, "repatriation_resettlement": 5}
assert {g.provider_names[0] for g in cov if g.kind == "single_provider"} == {
    "Rumah Detensi Imigrasi Medan", "IOM Medan office", "Rumah Detensi Imigrasi Kupang", "IOM Kupang",
    "International Organization for Migration (IOM) Indonesia"}
# The 2019 Rakor (src-001) is the last recorded contact of 26 of the 28 stale ties; IOM Medan's two ties to the
# Medan city government date from the audience of no later than 1 Oct 2016.
assert sum(t.last_contact.isoformat() == "2019-07-25" for t in st) == 26 and len(st) == 28
assert {t.last_contact.isoformat() for t in st} == {"2019-07-25", "2016-10-01"}

# %% [markdown]
# ## What we learned
#
# * **Every finding is a question, and now it says so.** None of the 63
#   findings is recorded in the sources: no report asks an agency for a
#   service it lacks. All 63 have low confidence: each is "not recorded in 1
#   or 2 articles" about its cohort and place (or, for network findings,
#   carries a caveat), a question to verify with the agencies named, not a
#   proven absence.
# * **Plans sit beside gaps, they do not fill them.** For the migrant workers
#   of Lombok Timur and Lombok Barat, prevention, safe return and
#   reintegration were announced by IOM and the NTB province on 21 Feb 2022
#   ("IOM UN akan melakukan kerjasama") and are not reported under way; the
#   gaps stay questions to verify, with the plans beside them.
# * **One hole is one finding.** The NTB workers' missing safe return is 15
#   mandate gaps (five articles, three places) and 3 coverage gaps; the list
#   holds it once, with both perspectives: nobody is recorded providing it,
#   and BP2MI, the province and the regencies are named for it.
# * **The law is read as it binds.** Both refugee cohorts lack UNHCR, which
#   Perpres 125/2016 Pasal 1 angka 1 presupposes for status determination; it
#   is a definition, so the gap is a question to check, not an unmet duty. The
#   cooperation article (Pasal 2) makes no duty of IOM's and no finding.
# * **The Kupang refugees are supervised and helped, and their shelter's
#   provider is not recorded.** Rudenim Kupang (supervision) and IOM Kupang
#   (protection and assistance) are each the only recorded provider; the
#   refugees live in three hotels whose provider the report does not name;
#   registration, status determination, health and resettlement have no
#   recorded provider. In Medan, the 400 in the detention centre are detained,
#   not sheltered; who provides the 1,600 community shelter places is not
#   recorded.
# * **The two agencies serving the Medan refugees have no recorded tie**: IOM
#   Medan and Rudenim Medan serve exactly the same cohort (overlap 1.0) without
#   a shared meeting, programme or agreement.
# * **Recorded coordination is old.** As of 11 Sep 2024 (the latest date in
#   the data), 28 ties were last recorded more than five years earlier: 26 at
#   the single 2019 coordination meeting in Sei Rampah, and IOM Medan's ties to
#   the Medan city government and its social affairs department at the 2016
#   audience. That is the last contact the sources record, not necessarily the
#   last contact.
#
# Next: `03_referral_pathways` follows a person through those services, step
# by step.
