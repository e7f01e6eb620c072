"""Every node type and every relationship type, with every endpoint pair the schema allows,
validates, builds and survives the GraphML round trip; a pair it does not allow is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from graphmodel.errors import SeedValidationError
from graphmodel.export.graphml import read_graphml, write_graphml
from graphmodel.graph import build_graph, dataset_from_graph
from graphmodel.model.schema import ACTIVITY_RELS, DERIVED_RELS, ENDPOINTS, NODE_MODELS, REL_MODELS, NodeLabel, RelType
from graphmodel.seed import NODE_FILES, load_seed

# one extra node of each type (the mini seed already has the regions and sources these point at)
EV = [{"source": "src-kupang", "quote": "IOM Kupang"}]


class _NoAliases(yaml.SafeDumper):
    """Seed files refuse YAML aliases, so write shared values out in full."""

    def ignore_aliases(self, data):  # noqa: ARG002
        return True


def dump(records: list) -> str:
    return yaml.dump(records, Dumper=_NoAliases, allow_unicode=True)
EXTRA_NODES = {
    NodeLabel.PROGRAMME: {"id": "prog-x", "name": "Care programme", "kind": "protection", "services": ["shelter", "health"],
                          "money": {"amount": 1200000, "currency": "IDR", "per": "month", "original": "Rp1,2 jt"},
                          "quantity": {"value": 2500, "unit": "hygiene kits"}, "evidence": EV},
    NodeLabel.PERSON: {"id": "person-x", "name": "Herman Rabu", "office": "Plt. Kepala IOM Kupang", "evidence": EV},
}
# a node id of each label, for building every allowed pair
SAMPLE = {
    NodeLabel.AGENCY: "rudenim-kupang", NodeLabel.REGION: "kota-kupang", NodeLabel.MEETING: "mtg-kupang-visit",
    NodeLabel.PROGRAMME: "prog-x", NodeLabel.MIGRANT_COHORT: "cohort-kupang", NodeLabel.FACILITY: "hotel-lavender",
    NodeLabel.LEGAL_INSTRUMENT: "perpres-125-2016", NodeLabel.SOURCE: "src-kupang", NodeLabel.PERSON: "person-x",
}
SECOND = {NodeLabel.AGENCY: "iom-kupang", NodeLabel.REGION: "prov-ntt"}  # for Agency->Agency, Region->Region
FIELDS = {
    RelType.SERVES: {"service": "health", "since": "2020-08-26"},
    RelType.HOLDS_OFFICE: {"office": "Plt. Kepala IOM Kupang", "as_of": "2024-09-11"},
    RelType.MANDATES: {"article": "Pasal 26", "duty": "shelter"},
    RelType.SHELTERS: {"count": 10, "count_basis": "stated"},
    RelType.ATTENDED: {"role": "speaker", "represented_by": "Head of office"},
    RelType.HOSTS_COHORT: {"presence": "transit"},
}
for _rtype in ACTIVITY_RELS:  # activity must say how far it went (schema.ActivityStatus)
    FIELDS[_rtype] = {"status": "reported", **FIELDS.get(_rtype, {})}


def all_pairs_seed(seed: Path) -> list[tuple[RelType, NodeLabel, NodeLabel]]:
    for label, record in EXTRA_NODES.items():
        stem = {v: k for k, v in NODE_FILES.items()}[label]
        (seed / f"{stem}.yaml").write_text(dump([record]), encoding="utf-8")
    (seed / "relationships" / "kupang.yaml").unlink()
    rels, pairs = [], []
    for rtype, allowed in ENDPOINTS.items():
        if rtype in DERIVED_RELS:
            continue
        for a, b in sorted(allowed):
            if rtype is RelType.LOCATED_IN and (a, b) == (NodeLabel.REGION, NodeLabel.REGION):
                continue  # derived from `parent`
            src, dst = SAMPLE[a], SAMPLE[b] if a != b else SECOND[b]
            rels.append({"type": rtype.value, "from": src, "to": dst, "evidence": EV, **FIELDS.get(rtype, {})})
            pairs.append((rtype, a, b))
    (seed / "relationships" / "all.yaml").write_text(dump(rels), encoding="utf-8")
    return pairs


def test_schema_tables_cover_every_type():
    assert set(NODE_MODELS) == set(NodeLabel)
    assert set(REL_MODELS) == set(RelType) == set(ENDPOINTS)
    assert set(NODE_FILES.values()) == set(NodeLabel)


def test_every_node_type_and_every_allowed_relationship(mini_seed: Path, tmp_path: Path):
    pairs = all_pairs_seed(mini_seed)
    ds = load_seed(mini_seed)
    assert {n.label for n in ds.nodes.values()} == {label.value for label in NodeLabel}
    assert len(ds.relationships) == len(pairs)
    assert {r.type for r in ds.relationships} == {t.value for t in RelType} - {t.value for t in DERIVED_RELS}
    G = build_graph(ds)
    assert {d["type"] for _, _, d in G.edges(data=True)} == {t.value for t in RelType}  # derived ones included
    back = dataset_from_graph(read_graphml(write_graphml(G, tmp_path / "all.graphml")))
    assert back.nodes == ds.nodes
    assert sorted(back.relationships, key=repr) == sorted(ds.relationships, key=repr)


@pytest.mark.parametrize("rtype", [t for t in RelType if t not in DERIVED_RELS], ids=str)
def test_a_disallowed_endpoint_pair_is_refused(rtype: RelType, mini_seed: Path):
    allowed = ENDPOINTS[rtype]
    bad = next((a, b) for a in NodeLabel for b in NodeLabel if (a, b) not in allowed and a != b and NodeLabel.SOURCE not in (a, b))
    all_pairs_seed(mini_seed)
    path = mini_seed / "relationships" / "bad.yaml"
    path.write_text(dump([{"type": rtype.value, "from": SAMPLE[bad[0]], "to": SAMPLE[bad[1]], "evidence": EV, **FIELDS.get(rtype, {})}]), encoding="utf-8")
    with pytest.raises(SeedValidationError) as info:
        load_seed(mini_seed)
    (problem,) = info.value.problems
    assert problem.file == "relationships/bad.yaml" and problem.message.startswith(f"{rtype.value} cannot go {bad[0].value}->{bad[1].value}")
