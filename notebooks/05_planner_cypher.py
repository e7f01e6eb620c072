# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 05 · Planner questions in Cypher, against Neo4j
#
# **The question.** Planners ask the graph questions in Neo4j's query
# language, Cypher: "Show every agency that met IOM about refugees in North
# Sumatra since 2016", "Which regions host migrants but have no prevention
# programme?", "What is the referral path for a migrant worker returned
# through Pontianak?". How do we run the project's named planner queries from
# Python, tell what was done from what was only promised, turn the answers
# into tables and pictures, and write a new query safely?
#
# This notebook needs a running Neo4j server. `graphmodel neo4j start` (or
# `make test`, or `scripts/with-neo4j.sh`) starts the project's local one and
# writes its address and password to `.env`; any other server works if
# `NEO4J_URI`, `NEO4J_USER` and `NEO4J_PASSWORD` are set in the environment.
# **Loading the seed (step 2) replaces the graphmodel data in that database**:
# point it at a server meant for this.

# %% [markdown]
# ## 1. Connect
#
# `connect()` reads the settings (environment first, then `.env`), opens a
# driver and checks that the server answers. The password is never printed.
# We keep the connection open for the whole notebook and close it at the end.

# %%
import contextlib
import datetime as dt
import textwrap
from pathlib import Path

import matplotlib.pyplot as plt
import networkx as nx
import pandas as pd

from graphmodel.analytics import mandate_gaps
from graphmodel.db.write import load_dataset
from graphmodel.db.queries import get_query, list_queries, run_cypher, run_query
from graphmodel.db.read import read_graph
from graphmodel.db.session import connect
from graphmodel.db.settings import load_settings
from graphmodel.errors import QueryError
from graphmodel.export.common import NODE_STYLE
from graphmodel.graph import build_graph
from graphmodel.model.schema import NodeLabel
from graphmodel.seed import load_seed

# %matplotlib inline
pd.set_option("display.max_colwidth", 120)

settings = load_settings()
print("Neo4j:", settings.describe() if settings else "not configured (see the note above)")

connections = contextlib.ExitStack()
driver = connections.enter_context(connect())
server = driver.execute_query("CALL dbms.components() YIELD versions, edition RETURN versions[0] AS v, edition",
                              database_="system").records[0]
print(f"connected: Neo4j {server['v']} ({server['edition']})")

# %% [markdown]
# ## 2. Load the seed into Neo4j
#
# The same validated seed as in the other notebooks. `load_dataset` writes it
# in batches, with every value sent as a query parameter, and is idempotent:
# loading twice gives the same graph, and anything no longer in the seed is
# removed.

# %%
SEED = next(p / "seed" for p in (Path.cwd(), *Path.cwd().parents) if (p / "seed" / "sources.yaml").is_file())
ds = load_seed(SEED)
report = load_dataset(driver, ds)
print(f"wrote {report.nodes_written} nodes and {report.relationships_written} relationships "
      f"(load id {report.load_id})")

# %% [markdown]
# ## 3. The planner query library
#
# Each planner query is a `.cypher` file in `graphmodel/db/queries/` that can be
# pasted into Neo4j Browser as it is. A header comment says what it answers
# and which parameters it takes (with an example value). `list_queries()` reads
# them all:

# %%
library = pd.DataFrame(
    [{"name": q.name, "purpose": q.purpose, "parameters": q.describe_parameters()} for q in list_queries()]
)
library

# %% [markdown]
# One query in full, as a planner would see it in the file:

# %%
print(get_query("agencies_met_agency_on_topic_in_region").text)

# %% [markdown]
# ## 4. Running named queries
#
# `run_query(driver, name, params)` checks the parameters against the header
# (names and types), runs the query in a *read-only* session and returns the
# column names and rows. A two-line helper turns that into a table:

# %%
def ask(name: str, **params) -> pd.DataFrame:
    """Run the planner query `name` with `params`; the answer as a DataFrame."""
    columns, rows = run_query(driver, name, params)
    return pd.DataFrame(rows, columns=columns)


# %% [markdown]
# **"Show every agency that met IOM about refugees in North Sumatra since
# 2016."** IOM's offices count as IOM; sub-regions of North Sumatra count as
# North Sumatra; the topic is looked for in what each meeting discussed.

# %%
met_iom = ask("agencies_met_agency_on_topic_in_region", agency="iom", topic="refugee",
              region="prov-sumatera-utara", since=dt.date(2016, 1, 1))
met_iom

# %% [markdown]
# Only the Medan city government. The 2019 meeting in Serdang Bedagai (also in
# North Sumatra, with IOM Indonesia) was about migrant workers and
# trafficking, not refugees; with the topic "trafficking" it appears:

# %%
met_iom_trafficking = ask("agencies_met_agency_on_topic_in_region", agency="iom", topic="trafficking",
                          region="prov-sumatera-utara", since=dt.date(2016, 1, 1))
met_iom_trafficking[["agency_name", "level", "meetings", "met_via"]]

# %% [markdown]
# **"Which regions host migrants but have no prevention programme?"**
# (optional parameters may be left out; here `cohort_type` is null, so every
# cohort type counts). A region counts as covered only by a programme reported
# (or inferred) to reach it: `programmes_there` lists the ones aimed there that
# are only planned or hoped for, or lack the service.

# %%
ask("regions_without_programme_service", service="prevention_awareness")

# %% [markdown]
# The same for safe return, the step most often missing in `02` and `03`:

# %%
no_return = ask("regions_without_programme_service", service="safe_return")
no_return[["region_name", "region_kind", "cohorts", "programmes_there"]]

# %% [markdown]
# **"What is the referral path for a migrant worker returned through
# Pontianak?"** (the returning and deported workers at the transit post the
# ministry labels WNI M KPO, among whom trafficking victims may be). The first
# step is knowing who provides what to that cohort:

# %%
pontianak = ask("services_for_cohort", cohort="cohort-pontianak-kpo")
pontianak

# %% [markdown]
# **What was only promised?** Every relationship says how far its source
# says the activity went, its `status`: *reported* (done or going on),
# *inferred* (the curator's reading, explained in its notes), *planned*
# (announced: "akan", "segera") or *hoped* (wished for: "diharapkan"). For a
# planner, planned and hoped activity is a lead to follow up, not a service
# anyone can count on yet: the "who provides" queries leave it out unless
# asked with `with_planned=True`, and `planned_and_hoped_activity` lists all
# of it with the quotes it rests on.

# %%
pontianak_promised = ask("services_for_cohort", cohort="cohort-pontianak-kpo", with_planned=True)
print(pontianak_promised[["service", "provider_id", "role", "programme_id", "status"]].to_string(index=False))

promised = ask("planned_and_hoped_activity", region=None)
promised[["status", "from_name", "rel_type", "to_name", "service"]]

# %% [markdown]
# ## 5. From answers to pictures
#
# **How IOM's coordination changed over time**: the meetings IOM or one of its
# offices attended, with the other agencies present.

# %%
timeline = ask("agency_meeting_timeline", agency="iom")
timeline["date"] = pd.to_datetime(timeline["date"])
timeline["others present"] = timeline["others"].map(len)

fig, ax = plt.subplots(figsize=(11, 3.2))
ax.bar(timeline["date"], timeline["others present"], width=120, color=NODE_STYLE["Meeting"].colour)
for _, row in timeline.iterrows():
    ax.text(row["date"], row["others present"] + 0.2, f"{', '.join(row['region'])}\nas {', '.join(row['attended_as'])}",
            ha="center", va="bottom", fontsize=8)
ax.set_ylabel("other agencies present")
ax.set_ylim(0, timeline["others present"].max() + 3)
ax.set_title("Meetings with IOM (or its offices), and how many other agencies were there")
ax.spines[["right", "top"]].set_visible(False)
plt.show()
timeline[["date", "meeting_name", "attended_as", "others present"]]

# %% [markdown]
# **How is Rudenim Medan connected to the Serdang Bedagai police?** The
# shortest coordination path runs through shared meetings, cooperation,
# programmes and the organisation chart (`PART_OF`). We draw the path the
# query returns:

# %%
path = ask("shortest_coordination_path", **{"from": "rudenim-medan", "to": "polres-serdang-bedagai"})
hops = path.iloc[0]
chain = nx.DiGraph()
for i, (a, b) in enumerate(zip(hops["node_ids"], hops["node_ids"][1:])):
    chain.add_edge(a, b, label=hops["rel_types"][i])
pos = {n: (i, 0) for i, n in enumerate(hops["node_ids"])}
labels = dict(zip(hops["node_ids"], hops["node_names"]))
colours = [NODE_STYLE[label].colour for label in hops["node_labels"]]

fig, ax = plt.subplots(figsize=(12, 2.6))
nx.draw_networkx_nodes(chain, pos, ax=ax, node_color=colours, node_size=900)
nx.draw_networkx_edges(chain, pos, ax=ax, arrows=False, width=2, edge_color="#888888")
nx.draw_networkx_edge_labels(chain, pos, ax=ax, edge_labels=nx.get_edge_attributes(chain, "label"), font_size=9)
for n, (x, y) in pos.items():
    ax.text(x, y - 0.04, textwrap.fill(labels[n], 26), ha="center", va="top", fontsize=9)
ax.set_ylim(-0.16, 0.05)
ax.set_title(f"Shortest coordination path: {hops['hops']} steps", fontsize=11)
ax.axis("off")
plt.show()

# %% [markdown]
# Every step of that path has evidence in the database too. The quotes behind
# Rudenim Medan being part of the Directorate General of Immigration:

# %%
ask("evidence_for_relationship", **{"from": "rudenim-medan", "type": "PART_OF", "to": "ditjen-imigrasi"})[
    ["from_id", "rel_type", "to_id", "quote", "source_id", "outlet"]]

# %% [markdown]
# ## 6. Same graph, same answers
#
# `read_graph` reads the stored graph back into the same NetworkX form the
# other notebooks build from the files, so every analytic gives the same
# answer on either. A quick check:

# %%
from_neo4j = read_graph(driver)
from_files = build_graph(ds)
print("nodes:", from_neo4j.number_of_nodes(), "vs", from_files.number_of_nodes())
print("relationships:", from_neo4j.number_of_edges(), "vs", from_files.number_of_edges())
print("mandate gaps:", len(mandate_gaps(from_neo4j)), "vs", len(mandate_gaps(from_files)))

# %% [markdown]
# ## 7. Writing a new query, safely
#
# Suppose a planner wants the cohorts of one type with their size and
# hosting regions. The value that changes (the cohort type) goes in as a
# **parameter**, written `$cohort_type` in the query and passed separately.
# `run_cypher` runs any Cypher text the same way `run_query` runs the library
# (read-only); a new query that proves useful becomes a `.cypher` file in
# `graphmodel/db/queries/` with its header.

# %%
COHORTS_OF_TYPE = """
MATCH (r:Region)-[h:HOSTS_COHORT]->(c:MigrantCohort)
WHERE c.cohort_type = $cohort_type
RETURN c.name AS cohort, c.size AS size, c.size_basis AS size_known_as, collect(r.name) AS regions
ORDER BY cohort
"""
columns, rows = run_cypher(driver, COHORTS_OF_TYPE, {"cohort_type": "foreign_refugees"})
pd.DataFrame(rows, columns=columns)

# %% [markdown]
# **Why never an f-string.** It is tempting to paste the value into the text:
# `f"... WHERE c.cohort_type = '{cohort_type}' ..."`. Then the value becomes
# part of the *code*. Here is what a value with a quote in it does (it could
# come from a web form, a spreadsheet cell or a file name):

# %%
cohort_type = "nobody' OR true OR c.cohort_type = '"
unsafe = f"""
MATCH (r:Region)-[h:HOSTS_COHORT]->(c:MigrantCohort)
WHERE c.cohort_type = '{cohort_type}'
RETURN DISTINCT c.name AS cohort ORDER BY cohort
"""
print(unsafe)
columns, unsafe_rows = run_cypher(driver, unsafe)
print(f"f-string version: {len(unsafe_rows)} rows, every cohort in the graph, although no cohort has that type")
columns, safe_rows = run_cypher(driver, COHORTS_OF_TYPE, {"cohort_type": cohort_type})
print(f"parameter version: {len(safe_rows)} rows: the value stays a value")

# %% [markdown]
# The quote in the value closed the string and the rest became a condition
# that is always true. With a different value it could have read other data,
# or (on a writable session) deleted it. A parameter is sent separately from
# the text, so the server never reads it as code. Parameters also let Neo4j
# reuse the query plan.
#
# Two more safety nets:
#
# * **Labels and relationship types cannot be parameters** in Cypher. When a
#   query must vary them, take them from the schema's closed sets
#   (`NodeLabel`, `RelType`), never from free text: `NodeLabel(...)` refuses
#   anything that is not a known label.
# * **Planner queries run read-only.** A statement that tries to write is
#   refused by the server, and nothing changes:

# %%
try:
    NodeLabel("Agency) DETACH DELETE (n")
except ValueError as exc:
    print("refused label:", exc)

try:
    run_cypher(driver, "MATCH (n:Agency {id: $id}) DETACH DELETE n", {"id": "iom-indonesia"})
except QueryError as exc:
    print("refused write:", exc)
still_there = run_cypher(driver, "MATCH (n:Agency {id: $id}) RETURN count(n) AS n", {"id": "iom-indonesia"})[1][0][0]
print("IOM Indonesia still in the database:", still_there == 1)

# %% [markdown]
# ### Check the findings below
#
# This cell fails if the seed or the queries change so that the summary no
# longer holds. Then we close the connection.

# %%
assert list(met_iom["agency_id"]) == ["pemko-medan"] and list(met_iom["met_via"].iloc[0]) == ["iom-medan"]
assert len(met_iom_trafficking) == 8
# Pontianak: delivered provision is IOM Indonesia's only; Kemensos's distribution comes back only with planned
assert set(pontianak["provider_id"]) == {"iom-indonesia"} and set(pontianak["status"]) == {"reported", "inferred"}
assert set(pontianak["service"]) == {"health", "prevention_awareness"}
kemensos_rows = pontianak_promised[pontianak_promised["provider_id"] == "kemensos"]
assert len(kemensos_rows) == 2 and set(kemensos_rows["status"]) == {"planned"}
# the seed's relationship records: 13 say `status: planned`, 3 `status: hoped`
assert promised["status"].value_counts().to_dict() == {"planned": 13, "hoped": 3}
# prevention reaches only Kota Pontianak (IOM's Covid-19 response, inferred); the other 10 regions hosting a cohort
# have programmes only planned (NTB), hoped (North Sumatra) or none
no_prevention = ask("regions_without_programme_service", service="prevention_awareness")
assert len(no_prevention) == 10 and "kota-pontianak" not in set(no_prevention["region_id"])
# safe return: the only programme offering it (IOM-NTB) is planned, so all 11 regions hosting a cohort lack it
assert len(no_return) == 11 and "prog-iom-ntb-migrant-protection" in no_return.set_index("region_id").loc["kab-lombok-timur", "programmes_there"]
assert timeline["others present"].max() == 8 and timeline["date"].dt.year.tolist() == [2016, 2019, 2020, 2022, 2024]
assert len(unsafe_rows) == 7 and len(safe_rows) == 0
assert hops["hops"] == 3 and hops["node_ids"][0] == "rudenim-medan"
assert from_neo4j.number_of_edges() == from_files.number_of_edges()
assert len(mandate_gaps(from_neo4j)) == len(mandate_gaps(from_files))
assert still_there == 1
connections.close()

# %% [markdown]
# ## What we learned
#
# * **The named queries answer the planners' questions directly.** Since 2016
#   only one agency met IOM about refugees in North Sumatra: the Medan city
#   government, met by the IOM Medan office on 1 Oct 2016. The 2019
#   Serdang Bedagai meeting (8 other agencies) was about migrant workers and
#   trafficking, and the trafficking topic finds it.
# * **Gaps show up in Cypher too, and promises are not deliveries:** of the
#   11 regions hosting a cohort, only Kota Pontianak is reached by a
#   prevention programme reported (or inferred) to reach it; in NTB the
#   programmes are only planned, in North Sumatra the cooperation's reach is
#   only hoped for. None has a programme for safe return that has started:
#   the NTB one is announced ("akan"). For the workers returned through
#   Pontianak, the services reported are health care and prevention material
#   from IOM Indonesia; Kemensos's distribution of the kits was announced
#   ("segera kami distribusikan"), and nothing is recorded for shelter, return
#   or reintegration.
# * **Status is a worklist:** `planned_and_hoped_activity` lists the 16
#   relationships that are only planned (13) or hoped for (3), each with its
#   quote: what to follow up before counting on it.
# * **IOM's recorded meetings** run from 2016 to 2024, one in each of five
#   provinces; the largest was the 2019 Sei Rampah meeting, with 8 other
#   agencies. Rudenim Medan reaches the Serdang Bedagai police
#   in 3 steps, through its parent Directorate General, which hosted that
#   meeting.
# * **Neo4j and the files agree:** reading the graph back gives the same nodes,
#   relationships and analytics results as building it from the seed.
# * **Parameters, not f-strings.** A value pasted into query text can change
#   what the query does; a parameter cannot. Labels come from the schema's
#   closed sets, and planner queries run read-only: in the demonstration the
#   f-string version returned all 7 cohorts for a cohort type that does not
#   exist, the parameterised one none.
