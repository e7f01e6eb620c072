"""Shared fixtures. Neo4j fixtures live in ``neo4j_fixtures.py`` (a real server, never a mock)."""

from __future__ import annotations

import shutil
from collections import Counter
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
    """Counts what the robustness tests tried, for the summary line at the end of the run.

    A bad input may name its class (``kind``): the hostile and careless inputs of
    issue 20 (paths that leave the seed, values no command can process, outputs
    that are not regular files ...) are counted per class on the summary line.
    """

    def __init__(self) -> None:
        self.bad_inputs = 0
        self.faults = 0
        self.lost = 0
        self.kinds: Counter[str] = Counter()

    def bad_input(self, n: int = 1, kind: str | None = None) -> None:
        self.bad_inputs += n
        if kind is not None:
            self.kinds[kind] += n

    def fault(self, n: int = 1) -> None:
        self.faults += n

    def data_lost(self, n: int) -> None:
        self.lost += n

    def summary(self) -> str:
        """The closing line: ``robustness: bad inputs tried N (K by class: ...), faults injected N, data lost N``."""
        by_kind = ""
        if self.kinds:
            parts = ", ".join(f"{kind} {n}" for kind, n in sorted(self.kinds.items()))
            by_kind = f" ({sum(self.kinds.values())} by class: {parts})"
        return f"robustness: bad inputs tried {self.bad_inputs}{by_kind}, faults injected {self.faults}, data lost {self.lost}"


_LEDGER = RobustnessLedger()


@pytest.fixture
def robustness() -> RobustnessLedger:
    """Record bad inputs tried, faults injected and data lost (the last must stay zero)."""
    return _LEDGER


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # noqa: ARG001
    if _LEDGER.bad_inputs or _LEDGER.faults:
        terminalreporter.write_line(_LEDGER.summary())
