"""Property-based tests (hypothesis) on the seed reader and the round trips.

Properties:
- the YAML reader never raises on arbitrary bytes: it returns data or problems;
- any valid record set written as YAML reads back to the same models
  (seed -> Dataset), and Dataset -> NetworkX -> GraphML -> NetworkX -> Dataset
  is the identity, whatever the (unicode, hostile) names and quotes.
"""

from __future__ import annotations

import shutil
import string
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphmodel.errors import SeedValidationError
from graphmodel.export.graphml import read_graphml, write_graphml
from graphmodel.graph import build_graph, dataset_from_graph
from graphmodel.seed import load_seed
from graphmodel.yamlfile import read_yaml

from conftest import MINI_SEED

SLOW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# names: any printable unicode including markup, quotes, Cypher and YAML specials
names = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x85\u2028\u2029\ufeff"),
    min_size=1, max_size=60,
).map(str.strip).filter(bool)
slugs = st.text(alphabet=string.ascii_lowercase + string.digits + "-", min_size=2, max_size=20).filter(lambda s: s[0].isalnum())


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_reader_never_raises_on_bytes(tmp_path_factory, data: bytes):
    path = tmp_path_factory.mktemp("yaml") / "x.yaml"
    path.write_bytes(data)
    result, problems = read_yaml(path, "x.yaml")
    assert problems or result is not None or data.strip() == b""
    for p in problems:
        assert p.file == "x.yaml" and p.line >= 0 and p.message


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_reader_never_raises_on_text(tmp_path_factory, text: str):
    path = tmp_path_factory.mktemp("yaml") / "x.yaml"
    path.write_bytes(text.encode("utf-8", "replace"))
    read_yaml(path, "x.yaml")


@SLOW
@given(
    agencies=st.lists(st.tuples(slugs, names, st.lists(names, max_size=3)), min_size=1, max_size=6, unique_by=lambda t: t[0]),
    size=st.integers(min_value=1, max_value=99_999_999),
    note=st.none() | names,
)
def test_seed_graph_graphml_round_trip(tmp_path_factory, agencies, size, note):
    seed = tmp_path_factory.mktemp("seed") / "seed"
    shutil.copytree(MINI_SEED, seed)
    taken = {"iom", "iom-kupang", "rudenim-kupang", "indonesia", "prov-ntt", "kota-kupang", "hotel-lavender",
             "perpres-125-2016", "mtg-kupang-visit", "cohort-kupang", "src-kupang", "idn-area-regencies", "idn-area-provinces"}
    records = yaml.safe_load((seed / "agencies.yaml").read_text(encoding="utf-8"))
    for slug, name, aliases in agencies:
        if slug in taken:
            continue
        records.append({"id": slug, "name": name, "aliases": aliases, "kind": "ngo", "level": "national", "notes": note})
    (seed / "agencies.yaml").write_text(yaml.safe_dump(records, allow_unicode=True), encoding="utf-8")
    cohorts = yaml.safe_load((seed / "cohorts.yaml").read_text(encoding="utf-8"))
    cohorts[0]["size"] = size
    (seed / "cohorts.yaml").write_text(yaml.safe_dump(cohorts, allow_unicode=True, default_style=None), encoding="utf-8")
    try:
        ds = load_seed(seed)
    except SeedValidationError as exc:  # only the schema's own limits may refuse a generated value
        assert all(p.field in {"name", "aliases", "notes"} or p.field.startswith("aliases") for p in exc.problems), exc
        return
    G = build_graph(ds)
    path = write_graphml(G, seed.parent / "g.graphml")
    back = dataset_from_graph(read_graphml(path))
    assert back.nodes == ds.nodes
    assert sorted(back.relationships, key=repr) == sorted(ds.relationships, key=repr)
