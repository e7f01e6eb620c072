"""Atomic, recoverable loads against a real Neo4j.

A load interrupted at any point (the loader killed, or the server killed
mid-batch) leaves the previous graph plus some new elements; the next
``graphmodel load`` completes it to exactly the seed: same nodes, same
relationships, same properties, no duplicates, no orphans. Two loads at once
create no duplicates: the second waits for the first's load lock, which a
killed loader lets go at once.

The interruptions are triggered by watching the database fill up (not by
timers), at several points of a large generated seed.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from conftest import MINI_SEED

from graphmodel import local_neo4j
from graphmodel.db.read import read_graph
from graphmodel.db.settings import ConnectionSettings, find_repo_root, open_driver
from graphmodel.db.write import load_dataset
from graphmodel.graph import build_graph
from graphmodel.seed import load_seed

pytestmark = pytest.mark.neo4j

N_AGENCIES = 12_000
BATCH = 250


def big_seed(mini_seed: Path) -> Path:
    """The mini seed plus N NGOs, each cooperating with IOM Kupang (quotes from the Kupang text)."""
    lines = []
    for i in range(N_AGENCIES):
        lines.append(f"- {{id: ngo-{i:05d}, name: NGO {i}, kind: ngo, level: regency_city}}\n")
    (mini_seed / "agencies").mkdir()
    (mini_seed / "agencies.yaml").rename(mini_seed / "agencies" / "core.yaml")
    (mini_seed / "agencies" / "ngos.yaml").write_text("".join(lines), encoding="utf-8")
    rels = [
        f"- {{type: COOPERATES_WITH, from: ngo-{i:05d}, to: iom-kupang, status: reported, evidence: [{{source: src-kupang, quote: \"IOM Kupang\"}}]}}\n"
        for i in range(N_AGENCIES)
    ]
    (mini_seed / "relationships" / "ngos.yaml").write_text("".join(rels), encoding="utf-8")
    return mini_seed


def start_load(seed: Path, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "graphmodel.cli", "load", "--seed", str(seed), "--batch-size", str(BATCH)],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, **(env or {})},
    )


def count(driver, query: str) -> int:
    with driver.session() as s:
        return s.run(query).single()[0]


def wait_until(driver, query: str, threshold: int, proc: subprocess.Popen, limit: float = 300) -> int:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        n = count(driver, query)
        if n >= threshold:
            return n
        if proc.poll() is not None:
            pytest.fail(f"the load finished before the interruption point ({n} < {threshold}): {proc.stderr.read()}")
        time.sleep(0.05)
    pytest.fail("the load made no progress")


def assert_exactly(driver, expected: nx.MultiDiGraph, robustness) -> None:
    got = read_graph(driver)
    missing = set(expected.nodes) - set(got.nodes)
    extra = set(got.nodes) - set(expected.nodes)
    robustness.data_lost(len(missing))
    assert not missing and not extra
    assert count(driver, "MATCH (n) RETURN count(n)") == expected.number_of_nodes()  # no duplicates, nothing foreign
    assert count(driver, "MATCH ()-[r]->() RETURN count(r)") == expected.number_of_edges()
    assert nx.utils.graphs_equal(got, expected)


@pytest.fixture
def big(mini_seed: Path) -> tuple[Path, nx.MultiDiGraph]:
    seed = big_seed(mini_seed)
    return seed, build_graph(load_seed(seed))


@pytest.mark.parametrize(
    "watch, threshold",
    [
        ("MATCH (n:Agency) RETURN count(n)", 3_000),  # while writing nodes
        ("MATCH ()-[r:COOPERATES_WITH]->() RETURN count(r)", 4_000),  # while writing relationships
    ],
    ids=["during-nodes", "during-relationships"],
)
def test_killed_loader_is_completed_by_the_next_load(clean_neo4j, big, watch, threshold, robustness):
    seed, expected = big
    load_dataset(clean_neo4j, load_seed(MINI_SEED))  # the previous graph
    proc = start_load(seed)
    wait_until(clean_neo4j, watch, threshold, proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    robustness.fault()
    # interrupted: some new elements, nothing of the previous graph removed yet, no duplicates
    assert count(clean_neo4j, "MATCH (n:Agency) WITH n.id AS id, count(*) AS c WHERE c > 1 RETURN count(id)") == 0
    assert count(clean_neo4j, "MATCH (n {id: 'hotel-lavender'}) RETURN count(n)") == 1
    done = subprocess.run([sys.executable, "-m", "graphmodel.cli", "load", "--seed", str(seed)],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    assert_exactly(clean_neo4j, expected, robustness)


@contextlib.contextmanager
def _private_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, password: str) -> Iterator[tuple[Path, ConnectionSettings]]:
    """A second Neo4j of its own, from the same jars, in a temporary home, with ``password``."""
    shared = find_repo_root()
    root = tmp_path / "private"
    (root / "neo4j" / "target").mkdir(parents=True)
    shutil.copy(shared / local_neo4j.POM_PATH, root / local_neo4j.POM_PATH)
    (root / local_neo4j.LIB_PATH).symlink_to(local_neo4j.ensure_jars(shared), target_is_directory=True)
    monkeypatch.setenv("NEO4J_PASSWORD", password)  # read by local_neo4j.start for the new database
    info = local_neo4j.start(root, heap_initial="512m", heap_max="1g", pagecache="256m")
    settings = ConnectionSettings(uri=info.uri, user="neo4j", password=password)
    try:
        yield root, settings
    finally:
        local_neo4j.stop(root)


@pytest.fixture
def private_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, ConnectionSettings]]:
    """A private server (see :func:`_private_server`) with a fresh random password.

    The test below kills its server; killing the shared one would take every
    later Neo4j test down with it if anything went wrong before the restart.
    """
    with _private_server(tmp_path, monkeypatch, secrets.token_urlsafe(24)) as private:
        yield private


def test_a_password_beginning_with_a_dash_starts_the_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # token_urlsafe begins one password in 64 with "-", which neo4j-admin read as an unknown option (exit 64,
    # its usage text): a fresh-clone CI run failed so. local_neo4j.config.set_initial_password now ends the options first.
    with _private_server(tmp_path, monkeypatch, "-" + secrets.token_urlsafe(24)) as (_, settings):
        with open_driver(settings) as driver:
            assert driver.execute_query("RETURN 1 AS one").records[0]["one"] == 1


def test_server_killed_mid_batch(private_server, big, robustness):
    root, settings = private_server
    seed, expected = big
    env = {"NEO4J_URI": settings.uri, "NEO4J_USER": settings.user,
           "NEO4J_PASSWORD": settings.password.get_secret_value()}
    pid = local_neo4j.running_pid(root)
    assert pid is not None
    port = int(settings.uri.rsplit(":", 1)[1])
    with open_driver(settings) as driver:
        proc = start_load(seed, env)
        wait_until(driver, "MATCH (n:Agency) RETURN count(n)", 2_000, proc)
    os.kill(pid, signal.SIGKILL)  # the server dies mid-batch
    robustness.fault()
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 3, err  # one clear message, not a traceback
    assert "Traceback" not in err and "Neo4j" in err
    deadline = time.monotonic() + 60  # SIGKILL returns at once; the JVM and its socket take a moment to go
    while time.monotonic() < deadline and (local_neo4j.pid_alive(pid) or local_neo4j.port_in_use(port)):
        time.sleep(0.2)
    local_neo4j.start(root, port=port, heap_initial="512m", heap_max="1g", pagecache="256m")
    with open_driver(settings) as driver:
        done = subprocess.run([sys.executable, "-m", "graphmodel.cli", "load", "--seed", str(seed)],
                              capture_output=True, text=True, stdin=subprocess.DEVNULL,
                              env={**os.environ, **env})
        assert done.returncode == 0, done.stderr
        assert_exactly(driver, expected, robustness)


def test_two_loads_at_once_make_no_duplicates(clean_neo4j, big, robustness):
    seed, expected = big
    first, second = start_load(seed), start_load(seed)
    for proc in (first, second):
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
    robustness.fault()
    assert_exactly(clean_neo4j, expected, robustness)
