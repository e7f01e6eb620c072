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

import yaml
from conftest import MINI_SEED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphmodel.errors import SeedValidationError
from graphmodel.export.graphml import read_graphml, write_graphml
from graphmodel.graph import build_graph, dataset_from_graph
from graphmodel.seed import load_seed
from graphmodel.seed.yamlfile import read_yaml

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


def _fold_space_by_definition(text: str) -> str:
    # the definition, without the fast path: NFC, runs of whitespace to one space, ends stripped
    import re
    import unicodedata

    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab ,.\t\n\r\x0b\x0c\x1c\x1f\u00a0\u2003e\u0301\u00e9")), max_size=12) | st.text(max_size=30))
def test_fold_space_equals_its_definition(text: str) -> None:
    """The ASCII fast path of ``fold_space`` gives what the definition gives, on quotes with every kind of space."""
    from graphmodel.util.text import fold_space

    assert fold_space(text) == _fold_space_by_definition(text)


def test_str_split_splits_at_what_the_whitespace_pattern_matches() -> None:
    """``fold_space`` joins ``str.split()``'s words: that equals ``re.sub(r"\\s+", " ", ...).strip()`` only if
    ``str.split()`` and ``\\s`` agree on what whitespace is; checked on every Unicode code point."""
    import re
    import sys

    space = re.compile(r"\s")
    disagree = [c for c in map(chr, range(sys.maxunicode + 1)) if (len(f"a{c}b".split()) == 2) != bool(space.match(c))]
    assert disagree == []
    assert "a\u2003\x1c b\n".split() == ["a", "b"]  # a few of them, by hand


def test_rel_qualifier_reads_service_and_duty_only() -> None:
    """SERVES and MANDATES are told apart by service and duty; other types have no qualifier (schema.rel_qualifier)."""
    from graphmodel.model.schema import REL_MODELS, rel_key

    ev = [{"source": "src-1", "quote": "quoted"}]
    serves = REL_MODELS["SERVES"].model_validate({"from": "iom", "to": "cohort-1", "service": "shelter", "status": "reported", "evidence": ev})
    mandates = REL_MODELS["MANDATES"].model_validate({"from": "law-1", "to": "iom", "duty": "shelter", "evidence": ev})
    attended = REL_MODELS["ATTENDED"].model_validate({"from": "iom", "to": "mtg-1", "evidence": ev})
    assert rel_key(serves) == ("iom", "SERVES", "cohort-1", "shelter")
    assert rel_key(mandates)[3] == "shelter"
    assert rel_key(attended) == ("iom", "ATTENDED", "mtg-1", "")
