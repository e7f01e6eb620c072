# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 01 · Overview: what is in the coordination graph?
#
# **The question.** Before looking for gaps, an analyst needs to know what the
# graph holds: which kinds of things it records and how they may be linked,
# how many of each there are, which agencies work at which level of
# government, which migrant cohorts live in (or come from) which regions, and
# when the recorded meetings took place.
#
# Everything here comes from the curated seed (`seed/`), which is built from
# five Indonesian news reports. Every fact carries the id of the report it
# comes from and a quote that can be found word for word in it. No database is
# needed: the graph is built in memory.

# %% [markdown]
# ## 1. Load the seed and build the graph
#
# `load_seed` reads the YAML files, checks every record against the schema and
# every quote against its source document, and stops with a list of problems
# if anything is wrong. `build_graph` turns the checked records into a
# NetworkX graph: one node per agency, region, meeting, cohort and so on, one
# edge per relationship.

# %%
from pathlib import Path

import matplotlib.pyplot as plt
import networkx as nx
import pandas as pd
from IPython.display import display

from graphmodel.export.common import NODE_STYLE
from graphmodel.graph import build_graph
from graphmodel.model.schema import ACTIVITY_RELS, DERIVED_RELS, ENDPOINTS, ActivityStatus, NodeLabel, RelType
from graphmodel.seed import load_seed

# %matplotlib inline
pd.set_option("display.max_colwidth", 120)

# The notebooks live in notebooks/; the seed is in the repository root above them.
SEED = next(p / "seed" for p in (Path.cwd(), *Path.cwd().parents) if (p / "seed" / "sources.yaml").is_file())
ds = load_seed(SEED)
G = build_graph(ds)
print(f"{G.number_of_nodes()} nodes and {G.number_of_edges()} relationships read from {SEED.name}/")

# %% [markdown]
# ## 2. The schema in one picture
#
# The schema fixes which kinds of nodes exist and which relationship may join
# which kinds (`graphmodel.model.schema.ENDPOINTS`). The picture below draws each
# node type once; an arrow means "a relationship of this type may go from this
# kind of node to that one". Agencies are the hub: they attend meetings, serve
# cohorts, implement programmes, operate facilities and have jurisdiction over
# regions. Every node also points to the sources that mention it
# (`MENTIONED_IN`); those arrows are derived from the evidence and left out of
# the picture to keep it readable.

# %%
pairs: dict[tuple[str, str], list[str]] = {}
for rel, ends in ENDPOINTS.items():
    if rel in DERIVED_RELS:
        continue
    for a, b in ends:
        pairs.setdefault((a.value, b.value), []).append(rel.value)

# A hand-made layout: the Agency hub in the middle, the places and people around it.
pos = {"Meeting": (0, 3.2), "Person": (-1.5, 1.35), "LegalInstrument": (1.5, 1.35), "Agency": (0, 0),
       "Region": (-3.6, -0.4), "Programme": (3.6, -0.4), "Facility": (-1.8, -2.8), "MigrantCohort": (1.8, -2.8),
       "Source": (3.7, 3.2)}
# Arrows that would cross the hub are bent around it.
bend = {("Meeting", "MigrantCohort"): -0.62, ("Programme", "Region"): -0.38, ("Region", "MigrantCohort"): 0.22,
        ("Programme", "Facility"): -0.22, ("Agency", "Programme"): 0.15, ("Programme", "Agency"): 0.15,
        ("Agency", "LegalInstrument"): 0.25, ("LegalInstrument", "Agency"): 0.25, ("Meeting", "Region"): 0.2,
        ("Meeting", "Programme"): -0.2}
loop_label_at = {"Agency": (-1.25, -0.75), "Region": (-3.6, -1.5)}
label_box = {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.9}

fig, ax = plt.subplots(figsize=(11, 9))
for (a, b), rels in sorted(pairs.items()):
    text = "\n".join(sorted(rels))
    if a == b:  # a relationship between two nodes of the same type: a small loop
        x, y = pos[a]
        ax.annotate("", xy=(x + 0.2, y - 0.33), xytext=(x - 0.2, y - 0.33),
                    arrowprops={"arrowstyle": "-|>", "connectionstyle": "arc3,rad=1.8", "color": "#666666"})
        ax.text(*loop_label_at[a], text, ha="center", va="center", fontsize=8.5, bbox=label_box)
        continue
    style = f"arc3,rad={bend.get((a, b), 0.0)}"
    one = nx.DiGraph([(a, b)])
    nx.draw_networkx_edges(one, pos, ax=ax, node_size=1900, arrowsize=14, width=1.1, edge_color="#777777",
                           connectionstyle=style)
    nx.draw_networkx_edge_labels(one, pos, edge_labels={(a, b): text}, ax=ax, font_size=8.5,
                                 connectionstyle=style, bbox=label_box)
for node_type, (x, y) in pos.items():
    style = NODE_STYLE[node_type]
    ax.scatter(x, y, s=1900, c=style.colour, marker=style.marker, zorder=3, edgecolors="white")
    ax.text(x, y + 0.36, node_type, ha="center", va="bottom", fontsize=11, fontweight="bold", zorder=4,
            bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8})
ax.text(3.7, 2.75, "every type -> Source:\nMENTIONED_IN (derived\nfrom each node's evidence)",
        ha="center", va="top", fontsize=8.5)
ax.set_title("Node types and the relationships allowed between them", fontsize=13)
ax.set_xlim(-4.4, 4.6)
ax.set_ylim(-3.4, 3.8)
ax.axis("off")
plt.show()

# %% [markdown]
# The same information as a table, for looking things up (for example when
# writing a Cypher query, where the direction of an arrow matters):

# %%
schema_table = pd.DataFrame(
    [(rel.value, a.value, b.value) for rel, ends in ENDPOINTS.items() if rel not in DERIVED_RELS
     for a, b in sorted(ends)],
    columns=["relationship", "from", "to"],
)
schema_table

# %% [markdown]
# ## 3. How many of each?
#
# Counts of nodes by type and of relationships by type, as recorded in the
# seed. (People are recorded as the holders of an office at a meeting's date;
# their names are sensitive, so this notebook only counts them.)

# %%
counts = ds.counts()
node_counts = pd.Series(counts["nodes"], name="nodes").sort_values(ascending=False)
rel_counts = pd.Series(counts["relationships"], name="relationships").sort_values(ascending=False)
display(node_counts.to_frame())
display(rel_counts.to_frame())

# %% [markdown]
# ### How far each recorded activity went
#
# A news report says what happened, but also what someone announced, planned
# or asked for. Every relationship carries a **status** read from the words of
# the sentence it is quoted from (the evidence threshold in `seed/README.md`):
#
# * `reported`: the source says it is done or going on ("menyerahkan 2.500
#   paket hygiene kit");
# * `planned`: announced or committed, not reported done ("IOM UN akan
#   melakukan kerjasama");
# * `hoped`: wished for or asked of someone ("Diharapkan agar ...");
# * `inferred`: not said in the source; the curator's inference, explained in
#   the record's notes (an office's place in its organisation, a cohort's
#   place of origin the text only implies).
#
# The activity relationships (serving a cohort, funding, implementing,
# targeting, sheltering, cooperating) must say their status; the others are
# `reported` unless the curator marked them `inferred`.

# %%
STATUSES = [s.value for s in ActivityStatus]
by_status = pd.crosstab(
    pd.Series([r.type for r in ds.relationships], name="relationship"),
    pd.Series(pd.Categorical([r.status.value for r in ds.relationships], categories=STATUSES), name="status"),
    dropna=False, margins=True, margins_name="total",
)
by_status["activity"] = ["yes" if t in ACTIVITY_RELS else "" for t in by_status.index]
by_status.sort_values("total", ascending=False)

# %% [markdown]
# What it means for the analyses: only `reported` and `inferred` activity
# counts as delivered. A planned programme or a hoped-for service never closes
# a coordination gap and never ties two agencies; it is shown *beside* the gap
# ("planned by IOM since 2022-02-21"). Nearly all planned activity is the NTB
# programme, announced at the 2022 audience and not yet reported under way.

# %% [markdown]
# ## 4. The actors by level of government
#
# Each agency has an administrative level (international, national,
# provincial, regency/city) and a kind (ministry, directorate, regional
# government, detention centre, police ...). The table lists them with the
# regions they answer for and the organisation they belong to (`PART_OF`);
# the cross-table below counts kinds per level.

# %%
LEVELS = ["international", "national", "provincial", "regency_city"]


def targets(node: str, rel: RelType) -> str:
    """Names of the nodes that `node` points to through `rel` (recorded, not derived)."""
    names = sorted(G.nodes[v]["name"] for _, v, d in G.out_edges(node, data=True) if d["type"] == rel)
    return "; ".join(names)


agencies = pd.DataFrame(
    [
        {
            "level": d["level"],
            "agency": d["name"],
            "kind": d["kind"].replace("_", " "),
            "jurisdiction": targets(n, RelType.HAS_JURISDICTION),
            "part of": targets(n, RelType.PART_OF),
        }
        for n, d in G.nodes(data=True)
        if d["label"] == NodeLabel.AGENCY
    ]
)
agencies["level"] = pd.Categorical(agencies["level"], categories=LEVELS, ordered=True)
agencies = agencies.sort_values(["level", "agency"]).reset_index(drop=True)
agencies

# %%
pd.crosstab(agencies["kind"], agencies["level"], margins=True, margins_name="total")

# %% [markdown]
# ## 5. Migrant cohorts by region
#
# A *cohort* is a group of migrants of one type in one place. A region
# `HOSTS_COHORT` with a *presence*: the migrants live there (`residing`), come
# from there (`origin`) or pass through it (`transit`). Sizes keep how they are
# known: `stated` ("171 pengungsi"), `approximate` ("sekitar 2.000") or
# `unknown` when no source gives a number. A place the text only implies is
# `inferred`: the Sergai workers' places of origin beyond Serdang Bedagai,
# which the report names only as the largest sources of migrant workers in
# general ("daerah PMI terbesar").

# %%
def province_of(region: str) -> str:
    """The province a region lies in (the region itself for a province)."""
    d = G.nodes[region]
    return G.nodes[d["parent"]]["name"] if d["kind"] in ("regency", "city") else d["name"]


cohort_rows = []
for region, cohort, d in G.edges(data=True):
    if d["type"] != RelType.HOSTS_COHORT:
        continue
    c = G.nodes[cohort]
    cohort_rows.append(
        {
            "province": province_of(region),
            "region": G.nodes[region]["name"],
            "cohort": c["name"],
            "type": c["cohort_type"].replace("_", " "),
            "presence": d.get("presence", "residing"),
            "place known as": d["status"],
            "size": f"{c['size']:,}" if c.get("size") else "unknown",
            "size known as": c["size_basis"],
        }
    )
cohorts_by_region = pd.DataFrame(cohort_rows).sort_values(["province", "region", "cohort"]).reset_index(drop=True)
cohorts_by_region

# %% [markdown]
# Where the facilities hold part of a cohort, the seed records how many
# people stay there. For Medan, the report splits the 2,000 refugees between
# community shelters (1,600) and the detention centre (400). A detention
# centre (Rudenim) is immigration detention and supervision, not shelter:
# Perpres 125/2016 keeps it apart from the shelter (tempat penampungan), so
# the analyses never count it as a cohort's shelter, whatever its headcount.

# %%
shelters = pd.DataFrame(
    [
        {
            "facility": G.nodes[f]["name"],
            "kind": G.nodes[f]["kind"].replace("_", " "),
            "cohort": G.nodes[c]["name"],
            "people": d.get("count") or pd.NA,
            "count known as": d.get("count_basis") or "-",
            "counts as shelter": G.nodes[f]["kind"] != "detention_centre",
        }
        for f, c, d in G.edges(data=True)
        if d["type"] == RelType.SHELTERS
    ]
).sort_values(["cohort", "facility"]).reset_index(drop=True)
shelters["people"] = shelters["people"].astype("Int64")
shelters

# %% [markdown]
# ## 6. A timeline of the meetings
#
# Each recorded meeting on a time axis. A filled marker means the source prints
# the date; a hollow one means the curator inferred it (a weekday and a day
# without a year, or a report dated "yesterday"), with the reasoning stored
# beside the date. The label gives the place and how many agencies took part.
#
# A date also says its **precision**. Most are to the day; the Medan audience
# is `no_later_than`: the article dates only the spokesman's briefing
# ("Sabtu (1/10/2016) usai upacara"), so the meeting took place on or before
# 1 Oct 2016, on a day the source does not give. Its label reads "by".

# %%
meetings = []
for m, d in G.nodes(data=True):
    if d["label"] != NodeLabel.MEETING:
        continue
    agencies_present = {u for u, _, e in G.in_edges(m, data=True)
                        if e["type"] in (RelType.ATTENDED, RelType.HOSTED) and G.nodes[u]["label"] == NodeLabel.AGENCY}
    places = [G.nodes[v]["name"] for _, v, e in G.out_edges(m, data=True) if e["type"] == RelType.LOCATED_IN]
    meetings.append(
        {
            "date": pd.Timestamp(d["date"]),
            "date known as": d["date_basis"],
            "precision": d["date_precision"],
            "meeting": d["name"],
            "where": "; ".join(places),
            "format": d["format"].replace("_", " "),
            "agencies": len(agencies_present),
            "why inferred": d.get("date_reasoning") or "",
        }
    )
meetings = pd.DataFrame(meetings).sort_values("date").reset_index(drop=True)

fig, ax = plt.subplots(figsize=(12, 3.6))
for i, row in meetings.iterrows():
    inferred = row["date known as"] == "inferred"
    height = 1 if i % 2 == 0 else -1
    ax.vlines(row["date"], 0, height * 0.8, color="#999999", linewidth=1)
    ax.scatter(row["date"], 0, s=140, zorder=3, color=NODE_STYLE["Meeting"].colour,
               facecolors="white" if inferred else NODE_STYLE["Meeting"].colour, linewidths=2)
    when = f"by {row['date']:%d %b %Y}" if row["precision"] == "no_later_than" else f"{row['date']:%d %b %Y}"
    ax.text(row["date"], height * 0.85, f"{when}\n{row['where']}\n{row['agencies']} agencies",
            ha="center", va="bottom" if height > 0 else "top", fontsize=9)
ax.axhline(0, color="#444444", linewidth=1)
ax.set_ylim(-2.2, 2.2)
ax.set_yticks([])
ax.spines[["left", "right", "top"]].set_visible(False)
ax.set_title("Recorded meetings (filled: date printed in the source; hollow: date inferred)")
plt.show()

meetings[["date", "precision", "date known as", "meeting", "where", "format", "agencies"]]

# %% [markdown]
# The inferred dates and why the curator chose them:

# %%
with pd.option_context("display.max_colwidth", None):
    display(meetings.loc[meetings["date known as"] == "inferred", ["date", "meeting", "why inferred"]])

# %% [markdown]
# Who was in the room? IOM (or one of its offices) is at every meeting: the
# five reports are all about IOM's work, so the graph sees coordination
# through IOM's eyes. Keep that in mind when a later notebook finds IOM at the
# centre of the network.

# %%
iom_family = {"iom"} | {u for u, v, d in G.edges(data=True) if d["type"] == RelType.PART_OF and v in ("iom", "iom-indonesia")}
iom_at = pd.Series(
    {
        G.nodes[m]["name"]: ", ".join(sorted(G.nodes[u]["name"] for u, _, d in G.in_edges(m, data=True)
                                             if u in iom_family and d["type"] in (RelType.ATTENDED, RelType.HOSTED)))
        for m in G if G.nodes[m]["label"] == NodeLabel.MEETING
    },
    name="IOM present as",
)
iom_at.to_frame()

# %% [markdown]
# ### Check the findings below
#
# The summary that follows was written from the results above. This cell
# fails if the seed changes so that it no longer holds, so the text cannot go
# stale silently.

# %%
by_level = agencies["level"].value_counts()
assert len(agencies) == 25 and by_level.to_dict() == {"national": 10, "regency_city": 10, "provincial": 4, "international": 1}
# Seven cohorts (cohorts.yaml): the re-read added the trafficking half of the Sergai Rakor ("PMI-NP dan TPPO",
# src-001) and the victims of gender-based violence ("korban kekerasan berbasis gender", src-003).
assert len(set(cohorts_by_region["cohort"])) == 7
assert {"trafficking victims", "gender based violence victims"} <= set(cohorts_by_region["type"])
assert cohorts_by_region.groupby("cohort")["region"].nunique().max() == 5  # the Sergai PMI-NP cohort
# of its five places only Serdang Bedagai is stated; the other four are inferred from "daerah PMI terbesar"
sergai = cohorts_by_region[cohorts_by_region["cohort"].str.startswith("Non-procedural Indonesian migrant workers (PMI-NP)")]
assert (sergai["place known as"] == "inferred").sum() == 4
# The gender-based-violence victims are placed in the country as a whole: the source names no place for them.
assert cohorts_by_region.loc[cohorts_by_region["type"] == "gender based violence victims", "region"].tolist() == ["Indonesia"]
# The 400 in Rudenim Medan are detained, not sheltered ("400 orang lagi saat ini berada di Rumah Detensi Imigrasi").
assert shelters.loc[~shelters["counts as shelter"], "facility"].str.startswith("Rumah Detensi").all()
assert shelters.loc[~shelters["counts as shelter"], "people"].tolist() == [400]
assert (meetings["date known as"] == "inferred").sum() == 3
assert meetings.loc[meetings["precision"] != "day", "meeting"].tolist() == [
    "IOM audience with the Vice Mayor of Medan at Balai Kota Medan"]  # dated by the briefing only
assert meetings["date"].min() == pd.Timestamp("2016-10-01") and meetings["date"].max() == pd.Timestamp("2024-09-11")
assert meetings["agencies"].max() == 9
assert (iom_at != "").all()
# Statuses, counted by hand in seed/relationships/: planned are the NTB programmes' ten records (004_ntb.yaml:
# three IMPLEMENTS, five TARGETS, Pemprov NTB's prevention and its cooperation with IOM; "IOM UN akan melakukan
# kerjasama", "terus berkomitmen", "siap mendukung") and three Kemensos records (003_kemensos.yaml: implementing
# and serving by distributing the kits, "Bantuan ini segera kami distribusikan", and the effort towards
# cooperation with Kemenlu); hoped are the three TARGETS of the Sergai cooperation ("agar tetap memberikan
# perlindungan bagi para pekerja migran", 001_sergai.yaml).
assert by_status.loc["total", "planned"] == 13 and by_status.loc["total", "hoped"] == 3
planned_sources = pd.Series([r.evidence[0].source for r in ds.relationships if r.status == "planned"]).value_counts()
assert planned_sources.to_dict() == {"src-004": 10, "src-003": 3}
assert by_status.loc["total", "total"] == len(ds.relationships) == 190

# %% [markdown]
# ## What we learned
#
# * **The schema is agency-centred.** Agencies are the only node type linked
#   to every other kind: meetings, cohorts, programmes, facilities, regions and
#   laws. Coordination questions are therefore mostly questions about paths
#   between agencies through those other nodes.
# * **25 agencies at four levels:** 1 international (IOM), 10 national
#   (ministries, the Directorate General of Immigration and three of its
#   directorates, a Covid-19 task force, IOM Indonesia), 4 provincial and 10 at
#   regency/city level.
# * **7 migrant cohorts:** two groups of foreign refugees (about 2,000 in Kota
#   Medan, an approximate figure; 171 in Kota Kupang, a stated one) and five
#   groups of Indonesians whose size no source gives: non-procedural migrant
#   workers from Serdang Bedagai (recorded in 5 regions, 4 of them inferred),
#   the trafficking victims discussed at the same 2019 meeting, returning and
#   deported workers labelled WNI M KPO at the Pontianak transit post (among
#   whom trafficking victims may be), migrant workers from NTB, and victims of
#   gender-based violence assisted by IOM, placed in the country as a whole.
# * **Detention is not shelter.** Of the Medan refugees, 1,600 live in
#   community shelters and 400 are in the detention centre, which the analyses
#   do not count as shelter.
# * **Most facts are reported; some are only planned.** Of 190 recorded
#   relationships, 158 are reported, 16 inferred by the curator (each says
#   why), 13 planned (the NTB programme and Kemensos's announced distribution)
#   and 3 hoped for (the protection the Sergai cooperation is meant to give).
#   Planned and hoped activity is shown, never counted as delivered.
# * **5 meetings between 2016 and 11 Sep 2024**; 3 of the 5 dates are
#   inferred, not printed, and the Medan audience is known only as no later
#   than 1 Oct 2016. The largest is the 2019 coordination meeting (Rakor) in
#   Sei Rampah with 9 agencies.
# * **IOM is present at every recorded meeting**, because the corpus is five
#   reports about IOM. Network measures in later notebooks will put IOM at the
#   centre partly for that reason, and say so.
#
# Next: `02_coordination_gaps` asks where a cohort is present but a mandated
# actor or a needed service is missing, and what each finding rests on.
