"""The synthetic seed generator: deterministic, valid, near the requested size, shaped like the domain."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from graphmodel.cli.synth import register
from graphmodel.graph import build_graph
from graphmodel.model.regions import official_regions
from graphmodel.model.schema import AgencyKind, RegionKind, RelType
from graphmodel.seed import load_seed
from graphmodel.synth import NATIONAL_ACTORS_AT, generate


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def seed_1k(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "seed"
    generate(out, scale=1000, seed=7)
    return out


@pytest.fixture(scope="module")
def seed_9k(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Large enough for the whole official region list (38 provinces, 514 regencies and cities)."""
    out = tmp_path_factory.mktemp("synth") / "seed"
    generate(out, scale=9_000, seed=3)
    return out


@pytest.fixture(scope="module")
def ds_9k(seed_9k: Path):
    return load_seed(seed_9k)


def test_same_seed_writes_byte_identical_files(seed_1k: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    generate(again, scale=1000, seed=7)
    assert _digests(again) == _digests(seed_1k)


def test_another_seed_writes_another_graph(seed_1k: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    generate(other, scale=1000, seed=8)
    assert _digests(other) != _digests(seed_1k)


@pytest.mark.parametrize("fixture, scale", [("seed_1k", 1000), ("seed_9k", 9_000)])
def test_generated_seed_validates_and_is_near_the_scale(fixture: str, scale: int, request: pytest.FixtureRequest) -> None:
    ds = load_seed(request.getfixturevalue(fixture)) if fixture == "seed_1k" else request.getfixturevalue("ds_9k")
    assert abs(len(ds.nodes) - scale) <= 0.1 * scale
    # relationships per node: the ratio the benchmarks rely on (about 3 to 5 listed per node)
    assert 2.5 <= len(ds.relationships) / len(ds.nodes) <= 6
    labels = Counter(n.label for n in ds.nodes.values())
    assert set(labels) == {"Agency", "Region", "Meeting", "Programme", "MigrantCohort", "Facility",
                           "LegalInstrument", "Source", "Person"}


def test_full_region_hierarchy_from_the_official_list(ds_9k) -> None:
    ds = ds_9k
    regions = [n for n in ds.nodes.values() if n.label == "Region"]
    kinds = Counter(r.kind for r in regions)
    official = official_regions()
    assert kinds[RegionKind.COUNTRY] == 1
    assert kinds[RegionKind.PROVINCE] == 38
    assert kinds[RegionKind.REGENCY] + kinds[RegionKind.CITY] == 514
    assert {r.code for r in regions if r.code} == set(official)


def test_every_regency_has_exactly_one_regional_government_with_jurisdiction(ds_9k) -> None:
    """Hand-checked property: one Pemkab/Pemko per regency or city, none shared, none missing."""
    ds = ds_9k
    regencies = {n.id for n in ds.nodes.values() if n.label == "Region" and n.kind in (RegionKind.REGENCY, RegionKind.CITY)}
    governments: dict[str, list[str]] = {r: [] for r in regencies}
    for rel in ds.relationships:
        if rel.type == RelType.HAS_JURISDICTION and rel.target_node in regencies:
            agency = ds.nodes[rel.source_node]
            if agency.kind is AgencyKind.REGIONAL_GOVERNMENT:
                governments[rel.target_node].append(agency.id)
    assert all(len(g) == 1 for g in governments.values()), {r: g for r, g in governments.items() if len(g) != 1}
    # and it is the government of that place: Pemko for a city, Pemkab for a regency
    assert governments["kota-medan"] == ["pemko-medan"]
    assert governments["kab-serdang-bedagai"] == ["pemkab-serdang-bedagai"]


def test_shapes_follow_the_domain(ds_9k) -> None:
    """Refugees concentrate in the hotspots; attendance is heavy-tailed; every node and edge has evidence."""
    ds = ds_9k
    refugee_regions = Counter(
        rel.source_node for rel in ds.relationships
        if rel.type == RelType.HOSTS_COHORT and ds.nodes[rel.target_node].cohort_type == "foreign_refugees"
    )
    top = {r for r, _ in refugee_regions.most_common(8)}
    assert "kota-medan" in top and "kota-makassar" in top
    attendance = Counter(rel.source_node for rel in ds.relationships
                         if rel.type == RelType.ATTENDED and ds.nodes[rel.source_node].label == "Agency")
    counts = sorted(attendance.values(), reverse=True)
    # heavy tail: the busiest agency attends far more meetings than the median one
    assert counts[0] >= 20 * counts[len(counts) // 2]
    G = build_graph(ds)
    mentioned = {u for u, _, k in G.edges(keys=True) if k == "MENTIONED_IN"}
    assert mentioned >= {n for n, d in G.nodes(data=True) if d["label"] not in ("Source",) and n != "indonesia"}


def test_scale_below_minimum_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least"):
        generate(tmp_path / "s", scale=10)


def test_cli_writes_a_seed_and_refuses_a_full_folder(tmp_path: Path) -> None:
    app = typer.Typer()
    register(app)
    runner = CliRunner()
    out = tmp_path / "seed"
    result = runner.invoke(app, ["--scale", "500", "--seed", "1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "nodes" in result.output
    load_seed(out)
    again = runner.invoke(app, ["--scale", "500", "-o", str(out)])
    assert again.exit_code == 2
    assert runner.invoke(app, ["--scale", "500", "-o", str(out), "--force"]).exit_code == 0


def _plan(scale: int, shape: str) -> dict[str, int]:
    from graphmodel.synth import plan

    return plan(scale, 1, shape=shape)


def test_the_shapes_are_one_up_to_100k() -> None:
    """Below NATIONAL_ACTORS_AT the two shapes plan the same graph (and so write the same files)."""
    for scale in (1_000, 60_000, NATIONAL_ACTORS_AT):
        assert _plan(scale, "national") == _plan(scale, "uniform")


def test_national_shape_grows_by_meetings_only() -> None:
    """Hand derivation: above 100k the national plan is the 100k plan plus (N - 100k) * 6/7 meetings.

    Each meeting brings 1/6 of a bulletin (MEETINGS_PER_BULLETIN = 6), so 6/7 of the
    extra nodes are meetings and 1/7 their bulletins. The uniform shape instead grows
    the cohorts in proportion (9.5% of the nodes beyond the skeleton).
    """
    at_100k = _plan(NATIONAL_ACTORS_AT, "national")
    national = _plan(400_000, "national")
    assert {k: v for k, v in national.items() if k != "meetings"} == {k: v for k, v in at_100k.items() if k != "meetings"}
    assert national["meetings"] == at_100k["meetings"] + 300_000 * 6 // 7
    uniform = _plan(400_000, "uniform")
    assert uniform["cohorts"] > 3.9 * at_100k["cohorts"]
    assert uniform["regencies"] == national["regencies"] == 514


def test_unknown_shape_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="shape must be one of national, uniform"):
        generate(tmp_path / "s", scale=1000, shape="dense")


def test_cli_takes_a_shape_and_refuses_an_unknown_one(tmp_path: Path) -> None:
    from graphmodel.cli.synth import Shape
    from graphmodel.synth import SHAPES

    assert [s.value for s in Shape] == list(SHAPES)  # the CLI's choices are the generator's, default first
    app = typer.Typer()
    register(app)
    runner = CliRunner()
    ok = runner.invoke(app, ["--scale", "300", "-o", str(tmp_path / "u"), "--shape", "uniform"])
    assert ok.exit_code == 0, ok.output
    assert "shape uniform" in ok.output
    bad = runner.invoke(app, ["--scale", "300", "-o", str(tmp_path / "d"), "--shape", "dense"])
    assert bad.exit_code == 2
