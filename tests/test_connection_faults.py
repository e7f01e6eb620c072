"""Connection faults: Neo4j down, wrong password, wrong URI, a server that never answers.

Each gives one clear message on stderr, a non-zero exit (3: Neo4j unavailable)
and no traceback; the password never appears in any output.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time

import pytest
from conftest import MINI_SEED


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def graphmodel(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "-m", "graphmodel.cli", *args],
        capture_output=True, text=True, stdin=subprocess.DEVNULL, env=full_env, timeout=120,
        cwd=MINI_SEED,  # no .env up the tree from here? (the repo root has one: env vars below override it)
    )


SECRET = "not-the-password-7f3a"


def assert_clear_failure(proc: subprocess.CompletedProcess, *fragments: str) -> None:
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert SECRET not in proc.stderr + proc.stdout
    for fragment in fragments:
        assert fragment in proc.stderr, proc.stderr


def test_server_down(robustness):
    port = free_port()  # nothing listens here
    proc = graphmodel("load", "--seed", str(MINI_SEED), env={"NEO4J_URI": f"bolt://127.0.0.1:{port}", "NEO4J_PASSWORD": SECRET})
    robustness.fault()
    assert_clear_failure(proc, "cannot reach Neo4j", f"127.0.0.1:{port}")


def test_wrong_uri_scheme(robustness):
    proc = graphmodel("load", "--seed", str(MINI_SEED), env={"NEO4J_URI": "http://127.0.0.1:7474", "NEO4J_PASSWORD": SECRET})
    robustness.fault()
    assert_clear_failure(proc, "invalid Neo4j URI")


def test_server_that_never_answers(robustness):
    """A socket that accepts connections and then says nothing: the driver must time out, not hang."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    port = listener.getsockname()[1]
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept_and_hold() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
                accepted.append(conn)
            except OSError:
                continue

    thread = threading.Thread(target=accept_and_hold, daemon=True)
    thread.start()
    try:
        started = time.monotonic()
        proc = graphmodel("load", "--seed", str(MINI_SEED), env={"NEO4J_URI": f"bolt://127.0.0.1:{port}", "NEO4J_PASSWORD": SECRET})
        robustness.fault()
        assert time.monotonic() - started < 100  # bounded by the driver's connection timeout, never a hang
        assert_clear_failure(proc, f"127.0.0.1:{port}")
    finally:
        stop.set()
        thread.join()
        for conn in accepted:
            conn.close()
        listener.close()


@pytest.mark.neo4j
def test_wrong_password(neo4j_settings, robustness):
    proc = graphmodel("load", "--seed", str(MINI_SEED), env={"NEO4J_URI": neo4j_settings.uri, "NEO4J_PASSWORD": SECRET})
    robustness.fault()
    assert_clear_failure(proc, "refused the credentials")


@pytest.mark.neo4j
def test_status_exit_codes(neo4j_settings):
    ok = graphmodel("neo4j", "status", env={"NEO4J_URI": neo4j_settings.uri, "NEO4J_PASSWORD": neo4j_settings.password.get_secret_value()})
    assert ok.returncode == 0, ok.stderr
    assert neo4j_settings.password.get_secret_value() not in ok.stdout + ok.stderr
    down = graphmodel("neo4j", "status", env={"NEO4J_URI": f"bolt://127.0.0.1:{free_port()}", "NEO4J_PASSWORD": SECRET})
    assert down.returncode != 0 and "Traceback" not in down.stderr
