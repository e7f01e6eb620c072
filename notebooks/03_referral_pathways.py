# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 03 · Referral pathways: can a person be passed from one service to the next?
#
# **The question.** A refugee, a returning migrant worker or a trafficking
# victim needs several services in a known order: registration, then shelter,
# then cash, health care, and so on. For each cohort in the seed: which agency
# provides each step, where does a hand-off from one agency to the next lack
# any recorded contact between them (a *broken hand-off*), how many
# independent chains of providers exist (how *robust* the pathway is) and how
# many steps those chains leave out, and what happens to the pathways if one
# agency, such as IOM Indonesia, stops working? Each cohort is read as of its
# own period: the date of the latest evidence about it.

# %% [markdown]
# ## 1. Load the seed and build the graph

# %%
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display
from matplotlib.lines import Line2D

from graphmodel.analytics import (
    Analysis,
    all_referral_pathways,
    coordination_network,
    graph_as_of,
    load_pathways,
    referral_pathways,
    to_frame,
)
from graphmodel.export.common import short_label
from graphmodel.graph import build_graph
from graphmodel.seed import load_seed

# %matplotlib inline
pd.set_option("display.max_colwidth", 160)

SEED = next(p / "seed" for p in (Path.cwd(), *Path.cwd().parents) if (p / "seed" / "sources.yaml").is_file())
ds = load_seed(SEED)
G = build_graph(ds)
LATEST = graph_as_of(G)  # the latest date anywhere in the data; each cohort is read at its own, earlier or equal, date
cohorts = sorted(n for n, d in G.nodes(data=True) if d["label"] == "MigrantCohort")


def name(node: str) -> str:
    return G.nodes[node]["name"]


print(f"{len(cohorts)} cohorts; the latest date in the data is {LATEST}")

# %% [markdown]
# ## 2. The pathway templates
#
# The services each type of cohort needs, in order, with the legal basis the
# order follows. These templates ship with the package
# (`graphmodel/data/pathways.yaml`).

# %%
templates = load_pathways()
pd.DataFrame(
    [
        {"cohort type": t.cohort_type.value,
         "steps": " -> ".join(f"{i}. {t.label(s.value)}" for i, s in enumerate(t.steps, 1)),
         "basis": t.basis}
        for t in templates.templates
    ]
)

# %% [markdown]
# ## 3. The pathway of each cohort
#
# `referral_pathways` finds, for each step, the agencies that deliver that
# service to the cohort and have jurisdiction where it lives. It then looks
# for the best *chain*: one provider per step that has one, where each
# hand-off goes to the same agency or to one with a recorded tie (a shared
# meeting or programme, a cooperation, one organisation). A hand-off between
# agencies with no tie is *broken*. Steps with no provider at all are
# *missing*. Only activity the sources report as done (or that the curator
# inferred) makes an agency a provider: a programme that is only planned
# ("akan") or hoped for ("berharap") is listed beside the step as *pending*,
# and the step stays missing. `all_referral_pathways` runs it for many cohorts
# at once (the same results, with the work they share done once: use it for a
# national graph); `referral_pathways(G, cohort)` does one.
#
# Each cohort is analysed **as of its own date**: the latest dated evidence
# about it (its sources' publication dates, a shelter's head count, its own
# `as_of`). A 2016 cohort is not judged by 2024's standard of how old a tie is.

# %%
results = all_referral_pathways(G, cohorts)
overview = to_frame(results.values())
overview.insert(0, "cohort name", [name(c) for c in overview["cohort"]])
overview[["cohort name", "as_of", "steps", "steps_missing", "disjoint_chains", "complete_chains", "broken_handoffs",
          "best_chain", "pending"]]

# %% [markdown]
# **Read the chain count with the missing steps.** `disjoint_chains` counts
# chains of providers that share no provider and have no broken hand-off,
# but only over the steps that have a provider: a pathway where one step out
# of seven has a provider can show "1 chain". Such a chain is not an intact
# pathway; a person would still fall out of it at every missing step.
# `complete_chains` is the chain count when no step is missing, and 0
# otherwise. `robustness` says both in one sentence:

# %%
for r in results.values():
    print(f"* {name(r.cohort)} (as of {r.as_of}): {r.robustness}")

# %% [markdown]
# In plain words, for each cohort:

# %%
for r in results.values():
    print("*", r.explanation, f"[as of {r.as_of}: {r.as_of_basis}]", "\n")

# %% [markdown]
# Which agency provides which step (`-` where nobody does):

# %%
providers = pd.DataFrame(
    [
        {"cohort": short_label(G, c, width=40), "step": p.step, "service": p.label or p.service,
         "providers": ", ".join(short_label(G, a, width=30) for a in p.providers) or "-",
         "pending (not delivered)": "; ".join(pp.text for pp in p.pending) or "-"}
        for c, r in results.items()
        for p in r.providers
    ]
).set_index(["cohort", "step"])
providers

# %% [markdown]
# ## 4. The pathways as pictures
#
# One row per cohort, one column per step of its template. Each dot is an
# agency providing that step. Lines are the possible hand-offs between
# consecutive steps that have providers: thick grey when the same agency
# continues, green when the two agencies have a recorded tie, dashed red when
# they have none (broken). The best chain is drawn darker. A grey box means
# nobody provides that step (with what is only planned or hoped written in it).
# The title gives the chain count next to the steps it leaves out.

# %%
H = coordination_network(G)  # agencies, tied when they share a meeting, programme, cooperation or organisation


def handoff_kind(a: str, b: str) -> str:
    return "same" if a == b else "tied" if H.has_edge(a, b) else "broken"


STYLE = {"same": {"color": "#777777", "linewidth": 3.5}, "tied": {"color": "#1A9850", "linewidth": 2},
         "broken": {"color": "#D73027", "linewidth": 1.6, "linestyle": "--"}}


def draw_pathway(result, ax) -> None:
    columns = result.providers
    best = set(result.best.steps) if result.best else set()
    pos = {}
    for p in columns:
        x = p.step - 1
        if not p.providers:
            ax.add_patch(plt.Rectangle((x - 0.3, -0.35), 0.6, 0.7, color="#EEEEEE", zorder=0))
            note = "no\nprovider" + ("\n(" + ", ".join(pp.status for pp in p.pending) + ")" if p.pending else "")
            ax.text(x, 0, note, ha="center", va="center", fontsize=8, color="#888888")
        for i, a in enumerate(p.providers):
            pos[(p.service, a)] = (x, (len(p.providers) - 1) / 2 - i)
    present = [p for p in columns if p.providers]
    for p, q in zip(present, present[1:]):
        for a in p.providers:
            for b in q.providers:
                kind = handoff_kind(a, b)
                on_best = (p.service, a) in best and (q.service, b) in best
                (x0, y0), (x1, y1) = pos[(p.service, a)], pos[(q.service, b)]
                ax.plot([x0, x1], [y0, y1], alpha=1 if on_best else 0.35, zorder=1, **STYLE[kind])
    for (service, a), (x, y) in pos.items():
        ax.scatter(x, y, s=260, color="#0072B2", zorder=2, edgecolors="black" if (service, a) in best else "white")
        ax.text(x, y - 0.2, short_label(G, a, width=20), ha="center", va="top", fontsize=8, zorder=3)
    ax.set_xticks(range(len(columns)), [f"{p.step}. {p.service.replace('_', ' ')}" for p in columns], fontsize=8)
    ax.set_xlim(-0.6, 6.6)
    ax.set_ylim(-1.1, 1.0)
    ax.set_yticks([])
    ax.spines[["left", "right", "top"]].set_visible(False)
    ax.set_title(f"{name(result.cohort)} (as of {result.as_of}): {result.disjoint_chains} disjoint chain(s) over "
                 f"{result.steps_covered} of {result.steps_total} steps, {result.steps_missing} missing",
                 fontsize=10, loc="left")


fig, axes = plt.subplots(len(results), 1, figsize=(13, 2.3 * len(results)))
for ax, r in zip(axes, results.values()):
    draw_pathway(r, ax)
fig.legend([Line2D([], [], **STYLE[k]) for k in STYLE], ["same agency continues", "tied hand-off", "broken hand-off"],
           loc="upper right", ncol=3, frameon=False)
fig.tight_layout(rect=(0, 0, 1, 0.97))
plt.show()

# %% [markdown]
# ## 5. Broken hand-offs, with the evidence
#
# A broken hand-off in the best chain is a referral that has to cross between
# two agencies that, as far as the sources tell, have never met. The evidence
# shows that each of them really does provide its step.

# %%
broken = [g for r in results.values() for g in r.gaps if g.kind == "broken_handoff"]
for g in broken:
    print(g.explanation)
    display(pd.DataFrame([e.to_dict() for e in g.evidence]))

# %% [markdown]
# ## 6. How robust is each pathway?
#
# The number of *node-disjoint chains* counts the chains that share no
# provider at any step and have no broken hand-off: with two such chains, any
# one agency can drop out and such a chain remains (Menger's theorem: it
# equals the smallest number of providers whose loss leaves none).
# Zero means no such chain exists even now. It only covers the steps that
# have a provider: a pathway with one covered step and one provider counts one
# chain, but it is not a good pathway, so the bars carry the missing steps
# and the chain count of a pathway with missing steps is drawn hatched.

# %%
robust = pd.DataFrame(
    {
        "cohort": [short_label(G, c, width=40) for c in results],
        "steps covered": [r.steps_covered for r in results.values()],
        "steps needed": [r.steps_total for r in results.values()],
        "steps missing": [r.steps_missing for r in results.values()],
        "disjoint chains": [r.disjoint_chains for r in results.values()],
        "complete chains": [r.complete_chains for r in results.values()],
        "every intact chain needs": [", ".join(name(a) for a in r.critical_providers) or "-" for r in results.values()],
    }
)
fig, ax = plt.subplots(figsize=(10, 3.2))
bars = ax.barh(robust["cohort"], robust["disjoint chains"], color="#0072B2")
for bar, (_, row) in zip(bars, robust.iterrows()):
    if row["steps missing"]:
        bar.set(hatch="//", facecolor="#9ECAE1", edgecolor="#0072B2")
    ax.text(bar.get_width() + 0.05, bar.get_y() + bar.get_height() / 2,
            f"over {row['steps covered']} of {row['steps needed']} steps; {row['steps missing']} missing",
            va="center", fontsize=9)
ax.set_xlabel("node-disjoint chains without a broken hand-off, over the covered steps only")
ax.set_xlim(0, 3)
ax.set_xticks([0, 1, 2, 3])
ax.invert_yaxis()
ax.set_title("Robustness of each referral pathway (hatched: steps missing, so no chain is intact end to end)")
plt.show()
robust

# %% [markdown]
# ## 7. What if IOM Indonesia stopped working?
#
# We remove an agency from a *copy* of the graph (the original stays as it
# is), recompute every pathway and compare. `without` returns one row per
# cohort: steps with a provider, independent chains and broken hand-offs,
# before and after.

# %%
def pathway_numbers(analysis: Analysis, cohort: str) -> dict:
    r = referral_pathways(analysis, cohort, as_of=results[cohort].as_of)  # the same date with and without the agency
    return {"steps covered": sum(bool(p.providers) for p in r.providers), "chains": r.disjoint_chains,
            "broken": r.best.broken if r.best else 0, "best chain": r.best.explanation if r.best else "-"}


def without(agencies: list[str]) -> pd.DataFrame:
    reduced = G.copy()
    reduced.remove_nodes_from(agencies)
    # one Analysis per graph: each is indexed and projected onto agencies once, for every cohort
    full, cut = Analysis(G), Analysis(reduced)
    rows = []
    for c in cohorts:
        before, after = pathway_numbers(full, c), pathway_numbers(cut, c)
        change = [f"{k}: {before[k]} -> {after[k]}" for k in ("steps covered", "chains", "broken") if before[k] != after[k]]
        rows.append({"cohort": short_label(G, c, width=40), "change": "; ".join(change) or "no change",
                     "best chain without": after["best chain"]})
    return pd.DataFrame(rows)


without(["iom-indonesia"])

# %% [markdown]
# Read the `change` column with the steps: a pathway that loses its only
# provider of its only covered step falls to no chain at all, and a pathway
# whose chain count *rises* has usually lost a step (and the broken hand-off
# into it), not gained a chain. The Medan refugees' cash comes from the IOM
# *Medan office*, a separate node from IOM Indonesia. Removing IOM and all
# its offices shows what the sources record of IOM's whole part:

# %%
iom_family = ["iom"] + sorted(u for u, v, d in G.edges(data=True) if d["type"] == "PART_OF" and v in ("iom", "iom-indonesia"))
print("removed:", ", ".join(name(a) for a in iom_family))
without(iom_family)

# %% [markdown]
# Where a cohort's chain count goes *up* without IOM, a step went with IOM
# (and the broken hand-off into it): a reminder to read the robustness figure
# together with the steps covered, never alone.
#
# Finally, every provider in turn: which single agency's loss changes the
# most pathways?

# %%
provider_ids = sorted({a for r in results.values() for p in r.providers for a in p.providers})
impact = pd.concat(
    [without([a]).assign(removed=name(a)) for a in provider_ids], ignore_index=True
)
impact = impact[impact["change"] != "no change"]
impact[["removed", "cohort", "change"]].reset_index(drop=True)

# %% [markdown]
# ### Check the findings below
#
# This cell fails if the seed changes so that the summary no longer holds.
# The dates and the Kupang and NTB facts are derived by hand from the
# sources; the rest are checks of how the figures relate, from the data.

# %%
r = results
# each cohort at its own date: the publication date of its latest source (seed/sources.yaml)
assert {c: r[c].as_of.isoformat() for c in ("cohort-medan-refugees", "cohort-sergai-pmi-np", "cohort-ntb-pmi",
                                             "cohort-kupang-refugees")} == {
    "cohort-medan-refugees": "2016-10-01", "cohort-sergai-pmi-np": "2019-07-25", "cohort-ntb-pmi": "2022-02-21",
    "cohort-kupang-refugees": "2024-09-11"}
# src-002: "pengungsi luar negeri yang berada di bawah pengawasan Rumah Detensi Imigrasi Kupang"
supervision = {p.service: p.providers for p in r["cohort-kupang-refugees"].providers}["immigration_supervision"]
assert supervision == ("rudenim-kupang",)
# src-004: IOM "akan melakukan kerjasama" -- a plan fills no step; it is pending beside the step
ntb = r["cohort-ntb-pmi"]
assert ntb.steps_covered == 0 and ntb.disjoint_chains == 0 and ntb.best is None
assert any(pp.agency == "iom-indonesia" and pp.status == "planned" for p in ntb.providers for pp in p.pending)
# Perpres 125/2016 keeps detention apart from shelter: Rudenim Medan is no shelter provider
assert "rudenim-medan" not in {p.service: p.providers for p in r["cohort-medan-refugees"].providers}["shelter"]
# the chain count always travels with its caveat, and no pathway with a missing step counts as intact
for res in r.values():
    assert res.steps_missing == len(res.missing_steps) == res.steps_total - res.steps_covered
    assert res.complete_chains == (res.disjoint_chains if res.steps_missing == 0 else 0)
    assert f"{res.steps_total} steps" in res.robustness
assert all(res.steps_missing > 0 for res in r.values())  # no cohort has a complete pathway
assert "identification_registration" in set.intersection(*(set(res.missing_steps) for res in r.values()))
assert all(len(g.agencies) == 2 for g in broken)

# %% [markdown]
# ## What we learned
#
# * **No cohort has a complete pathway, so no chain count here describes an
#   intact pathway.** Every cohort misses at least one step, and
#   identification or registration (for refugees, discovery and registration;
#   for non-procedural workers, screening for trafficking) is missing for
#   all of them. The disjoint-chain figures only describe the few steps that
#   have a provider; the robustness sentence of each pathway says which.
# * **Plans fill no step.** The NTB migrant workers' protection programme
#   was only announced ("IOM UN akan melakukan kerjasama"): it is shown as
#   pending beside prevention, safe return and reintegration, and the NTB
#   pathway has no recorded provider at all. The old reading, "2
#   node-disjoint intact chains", came from counting a plan as delivery.
# * **Refugee pathways now include immigration supervision** (Perpres
#   125/2016), which is the one service the Kupang article attests for Rudenim
#   Kupang. A detention house is not counted as a shelter.
# * **The non-procedural worker pathway now screens for trafficking and
#   refers to investigation** (UU 21/2007): the sources record neither step
#   for any cohort, which is a question for the field, not a proven absence.
# * **Each cohort is read as of its own date**, from Medan in 2016 to Kupang
#   in 2024, so a tie's age is measured from the cohort's own period.
# * **A missing step is "not recorded", not "not done".** Five news reports
#   do not describe every service a cohort receives; treat each missing step
#   as a question to verify with the agencies on the ground.
#
# Next: `04_brokers_and_fragility` looks at the coordination network as a
# whole: who connects whom, and whose loss would split it.
