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


class RobustnessLedger:
    """Counts what the robustness tests tried, for the summary line at the end of the run."""

    def __init__(self) -> None:
        self.bad_inputs = 0
        self.faults = 0
        self.lost = 0

    def bad_input(self, n: int = 1) -> None:
        self.bad_inputs += n

    def fault(self, n: int = 1) -> None:
        self.faults += n

    def data_lost(self, n: int) -> None:
        self.lost += n


_LEDGER = RobustnessLedger()


@pytest.fixture
def robustness() -> RobustnessLedger:
    """Record bad inputs tried, faults injected and data lost (the last must stay zero)."""
    return _LEDGER


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # noqa: ARG001
    if _LEDGER.bad_inputs or _LEDGER.faults:
        terminalreporter.write_line(
            f"robustness: bad inputs tried {_LEDGER.bad_inputs}, faults injected {_LEDGER.faults}, "
            f"data lost {_LEDGER.lost}"
        )
