"""Shared fixtures. Neo4j fixtures live in ``neo4j_fixtures.py`` (a real server, never a mock)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MINI_SEED = ROOT / "tests" / "data" / "mini_seed"
SEED = ROOT / "seed"

pytest_plugins = ["neo4j_fixtures"]


@pytest.fixture
def mini_seed(tmp_path: Path) -> Path:
    """A writable copy of the small hand-made seed (Kupang article), for mutation tests."""
    dest = tmp_path / "seed"
    shutil.copytree(MINI_SEED, dest)
    return dest


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    """A writable copy of the curated seed."""
    dest = tmp_path / "seed"
    shutil.copytree(SEED, dest)
    return dest
