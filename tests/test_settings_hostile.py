"""Connection settings against a hostile folder, a URI with a password, and a password ``.env`` would change.

Issue 20, case 4:

(a) a ``.env`` in an unrelated current directory must not be read: it could
    point ``NEO4J_URI`` at another server, which would then receive the password
    from the environment in clear text (Bolt without TLS). A loopback listener
    stands in for that server and must see no connection at all.
(b) a password inside ``NEO4J_URI`` (``bolt://user:pw@host``) is refused, and no
    message ever shows it.
(c) every password survives ``write_env_file`` and the readers of ``.env``
    exactly (python-dotenv expands ``${HOME}`` unless told not to); one that
    ``.env`` cannot hold is refused before anything is written.

The commands run as real subprocesses from folders under ``tmp_path``, which
lie outside any graphmodel checkout; ``PYTHONPATH`` names the checkout under
test so that they import its ``graphmodel``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from conftest import MINI_SEED, ROOT
from hypothesis import example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from neo4j.exceptions import ServiceUnavailable

from graphmodel import local_neo4j
from graphmodel.db.settings import (
    ConnectionSettings,
    find_repo_root,
    load_settings,
    open_driver,
    read_env_file,
    unavailable_error,
)
from graphmodel.errors import Neo4jUnavailable

SECRET = "S3cret-pw-never-shown-4a1b"
NOT_CONFIGURED = "no Neo4j configured"  # session.connect's message when there are no settings


class ConnectionCounter:
    """A TCP listener on 127.0.0.1 that accepts, counts and at once closes every connection.

    It serves from a thread until the ``with`` block ends, then also counts the
    connections still waiting in its backlog, so a client that connected just
    before the end is not missed.
    """

    def __init__(self) -> None:
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.settimeout(0.1)
        self.port: int = self._sock.getsockname()[1]
        self.accepted = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _accept_one(self) -> bool:
        try:
            conn, _ = self._sock.accept()
        except (TimeoutError, BlockingIOError):
            return False
        conn.close()
        self.accepted += 1
        return True

    def _serve(self) -> None:
        while not self._stop.is_set():
            self._accept_one()
        self._sock.setblocking(False)
        while self._accept_one():
            pass

    def __enter__(self) -> ConnectionCounter:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        self._sock.close()


def run_python(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``python args`` in ``cwd`` with no NEO4J_* variables but ``env``."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    # the checkout under test, not whichever one the venv's editable install points at
    full_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    full_env.update(env)
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd, env=full_env, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120,
    )


def graphmodel(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run_python("-m", "graphmodel.cli", *args, cwd=cwd, env=env)


def make_project(folder: Path) -> Path:
    """A folder that is a graphmodel project as far as settings go: its pyproject.toml names it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pyproject.toml").write_text('[project]\nname = "graphmodel"\n', encoding="utf-8")
    return folder


def assert_one_clear_line(proc: subprocess.CompletedProcess[str], code: int) -> str:
    """Exit ``code``, one non-empty line on stderr, no traceback, the secret nowhere; returns that line."""
    output = proc.stdout + proc.stderr
    assert proc.returncode == code, output
    assert "Traceback" not in output
    assert SECRET not in output
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    return lines[0]


# --------------------------------------------------------------------------- (a) a .env of an unrelated folder


@pytest.mark.parametrize(
    ("env_file", "environment"),
    [
        pytest.param(["NEO4J_URI={uri}", f"NEO4J_PASSWORD={SECRET}"], {}, id="env-file-gives-everything"),
        # the worst case of the issue: the password from the environment goes to the .env's server
        pytest.param(["NEO4J_URI={uri}"], {"NEO4J_PASSWORD": SECRET}, id="environment-gives-the-password"),
        pytest.param(
            ["export NEO4J_URI='{uri}'", "NEO4J_USER=admin"], {"NEO4J_PASSWORD": SECRET}, id="exported-quoted-uri"
        ),
    ],
)
def test_load_outside_a_checkout_ignores_the_env_file_there(
    tmp_path: Path, env_file: list[str], environment: dict[str, str], robustness
) -> None:
    """``graphmodel load`` from an unrelated folder: no connection to the .env's URI; exit 3, settings missing."""
    robustness.bad_input(kind="settings")
    elsewhere = tmp_path / "downloads"
    elsewhere.mkdir()
    with ConnectionCounter() as listener:
        uri = f"bolt://127.0.0.1:{listener.port}"
        (elsewhere / ".env").write_text("\n".join(env_file).format(uri=uri) + "\n", encoding="utf-8")
        proc = graphmodel("load", "--seed", str(MINI_SEED), cwd=elsewhere, env=environment)
    assert listener.accepted == 0, "the password was offered to the server named by an unrelated .env"
    line = assert_one_clear_line(proc, 3)
    assert NOT_CONFIGURED in line and "NEO4J_URI" in line


def test_neo4j_status_outside_a_checkout_ignores_the_env_file_there(tmp_path: Path, robustness) -> None:
    """``graphmodel neo4j status`` took its settings from the cwd fallback of find_repo_root."""
    robustness.bad_input(kind="settings")
    elsewhere = tmp_path / "downloads"
    elsewhere.mkdir()
    with ConnectionCounter() as listener:
        (elsewhere / ".env").write_text(f"NEO4J_URI=bolt://127.0.0.1:{listener.port}\n", encoding="utf-8")
        proc = graphmodel("neo4j", "status", cwd=elsewhere, env={"NEO4J_PASSWORD": SECRET})
    assert listener.accepted == 0
    line = assert_one_clear_line(proc, 1)  # status: exit 1 when nothing is configured or answers
    assert "no NEO4J_URI/NEO4J_PASSWORD" in line


def test_load_settings_outside_a_checkout_reads_no_env_file(tmp_path: Path, robustness) -> None:
    """The library call a notebook makes, from an unrelated folder: no settings at all."""
    robustness.bad_input(kind="settings")
    elsewhere = tmp_path / "downloads"
    elsewhere.mkdir()
    (elsewhere / ".env").write_text(f"NEO4J_URI=bolt://127.0.0.1:9\nNEO4J_PASSWORD={SECRET}\n", encoding="utf-8")
    snippet = "from graphmodel.db.settings import load_settings; print(repr(load_settings()))"
    proc = run_python("-c", snippet, cwd=elsewhere, env={})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "None"


def test_the_projects_own_env_file_is_still_read_from_a_subfolder(tmp_path: Path) -> None:
    """Guard, not a case of the issue (it passes before the fix too): inside a checkout, from a
    subfolder, ``load_settings()`` reads the project's ``.env``, and the local server's files
    still live at find_repo_root's fallback outside one."""
    project = make_project(tmp_path / "checkout")
    (project / ".env").write_text("NEO4J_URI=bolt://127.0.0.1:7999\nNEO4J_PASSWORD='file-pw-123'\n")
    sub = project / "notebooks" / "drafts"
    sub.mkdir(parents=True)
    assert find_repo_root(sub) == project.resolve()
    assert find_repo_root(tmp_path) == tmp_path.resolve()  # the fallback, kept for .neo4j/ only
    snippet = "from graphmodel.db.settings import load_settings; s = load_settings(); print(s.uri, s.user)"
    proc = run_python("-c", snippet, cwd=sub, env={})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["bolt://127.0.0.1:7999", "neo4j"]


# --------------------------------------------------------------------------- (b) a password inside NEO4J_URI


@pytest.mark.parametrize(
    "userinfo",
    [
        pytest.param(f"neo4j:{SECRET}@", id="user-and-password"),
        # a password with '/', '#' or '@' in it: urlsplit would cut the host part short there
        pytest.param(f"neo4j:ab/{SECRET}#x@y@", id="password-with-slash-hash-at"),
    ],
)
@pytest.mark.parametrize("where", ["environment", "project-env-file", "uri-option"])
def test_uri_with_a_password_is_refused_without_showing_it(
    tmp_path: Path, userinfo: str, where: str, robustness
) -> None:
    """Exit 3, one line that names NEO4J_USER/NEO4J_PASSWORD and the URI without user info; no connection."""
    robustness.bad_input(kind="settings")
    project = make_project(tmp_path / "checkout")
    with ConnectionCounter() as listener:
        uri = f"bolt://{userinfo}127.0.0.1:{listener.port}"
        env = {"NEO4J_PASSWORD": "another-password-1"}
        args = ["load", "--seed", str(MINI_SEED)]
        if where == "environment":
            env["NEO4J_URI"] = uri
        elif where == "project-env-file":
            (project / ".env").write_text(f"NEO4J_URI='{uri}'\n", encoding="utf-8")
        else:
            args += ["--uri", uri]
        proc = graphmodel(*args, cwd=project, env=env)
    assert listener.accepted == 0
    line = assert_one_clear_line(proc, 3)
    assert "user info" in line and "NEO4J_USER" in line and "NEO4J_PASSWORD" in line
    assert f"bolt://127.0.0.1:{listener.port}" in line  # the URI as it should be given
    assert "ab/" not in line and "neo4j:" not in line  # no fragment of the user info either


def test_messages_show_a_uri_without_user_info(robustness) -> None:
    """Settings built in code bypass load_settings: every message about them still hides the user info."""
    robustness.bad_input(kind="settings")
    settings = ConnectionSettings(uri=f"bolt://neo4j:{SECRET}@127.0.0.1:1", password="pw-123456")
    assert SECRET not in settings.describe()
    assert settings.describe() == "neo4j@bolt://127.0.0.1:1"
    message = str(unavailable_error(settings, ServiceUnavailable("Couldn't connect to 127.0.0.1:1")))
    assert SECRET not in message and "bolt://127.0.0.1:1" in message
    with pytest.raises(Neo4jUnavailable) as refused:
        open_driver(settings)
    assert SECRET not in str(refused.value) and "user info" in str(refused.value)


# --------------------------------------------------------------------------- (c) the .env round trip


def write_and_read_back(folder: Path, password: str) -> str:
    """Store ``password`` as ``start`` does, rewrite .env once more (keeping the line), read it back."""
    local_neo4j.write_env_file(folder, {"NEO4J_URI": "bolt://127.0.0.1:7687", "NEO4J_PASSWORD": password})
    local_neo4j.write_env_file(folder, {"NEO4J_USER": "neo4j"})  # a later rewrite must keep the line intact
    settings = load_settings(folder, environ={})
    assert settings is not None
    assert settings.user == "neo4j"
    return settings.password.get_secret_value()


@pytest.mark.parametrize(
    "password",
    [
        "${HOME}",
        "pw-${HOME}-x",
        "${NOT_SET_ANYWHERE_4A1B}",
        "${HOME:-fallback}",
        "it's ${HOME}",
        'say "${HOME}"',
        "back\\slash \\${HOME}\\",
        "${HOME} #not a comment",
        "  ${HOME}\twith spaces  ",
        "\\'${USER}\\\"",
    ],
)
def test_password_with_a_variable_reference_round_trips(tmp_path: Path, password: str, robustness) -> None:
    """``${HOME}`` and friends came back expanded (or empty); quotes, backslashes, ``#`` and spaces around them."""
    robustness.bad_input(kind="settings")
    assert write_and_read_back(tmp_path, password) == password
    assert read_env_file(tmp_path)["NEO4J_PASSWORD"] == password


# every character but NUL, surrogates and the line breaks str.splitlines knows (those are refused, below)
_LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_STORABLE = st.characters(blacklist_categories=("Cs",), blacklist_characters="\0" + _LINE_BREAKS)


@hypothesis_settings(max_examples=300, deadline=None)
@given(password=st.text(_STORABLE, min_size=1, max_size=40))
@example(password="${HOME}")
def test_every_storable_password_round_trips(password: str) -> None:
    """Any text without NUL or line breaks reads back exactly (``@example``: the issue's case)."""
    with tempfile.TemporaryDirectory() as folder:
        assert write_and_read_back(Path(folder), password) == password


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param("pw\n" + SECRET, id="newline"),
        pytest.param(SECRET + "\r", id="carriage-return"),
        pytest.param("pw\0" + SECRET, id="nul"),
        pytest.param("pw\u2028" + SECRET, id="line-separator"),
        pytest.param("pw\x85" + SECRET, id="next-line"),
        pytest.param("pw\udcff" + SECRET, id="undecodable-byte"),
    ],
)
def test_a_password_env_cannot_hold_is_refused_before_writing(tmp_path: Path, bad: str, robustness) -> None:
    """One clear message naming the variable, never the value; no .env and no temporary file left."""
    robustness.bad_input(kind="settings")
    with pytest.raises(Neo4jUnavailable) as refused:
        local_neo4j.write_env_file(tmp_path, {"NEO4J_URI": "bolt://127.0.0.1:7687", "NEO4J_PASSWORD": bad})
    message = str(refused.value)
    assert "NEO4J_PASSWORD" in message and ".env cannot hold" in message
    assert SECRET not in message
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("breaker", ["\u2028", "\x85", "\x0b"], ids=["line-separator", "next-line", "vertical-tab"])
def test_neo4j_start_refuses_such_a_password_before_the_server_exists(
    tmp_path: Path, breaker: str, robustness
) -> None:
    """``graphmodel neo4j start`` checked only \\n, \\r and NUL: the database would get a password .env breaks."""
    robustness.bad_input(kind="settings")
    project = make_project(tmp_path / "checkout")
    proc = graphmodel("neo4j", "start", cwd=project, env={"NEO4J_PASSWORD": f"pw{breaker}{SECRET}"})
    line = assert_one_clear_line(proc, 3)
    assert "NEO4J_PASSWORD" in line and "line break" in line
    assert not (project / ".env").exists()
    assert not (project / ".neo4j" / "data").exists()


def test_the_env_exported_for_with_neo4j_sh_keeps_the_password(tmp_path: Path, robustness) -> None:
    """``python -m graphmodel.cli.neo4j env`` (what scripts/with-neo4j.sh reads) gives the stored password exactly."""
    robustness.bad_input(kind="settings")
    project = make_project(tmp_path / "checkout")
    password = "${HOME}'s \"pw\" #1 \\"
    local_neo4j.write_env_file(project, {"NEO4J_URI": "bolt://127.0.0.1:7687", "NEO4J_USER": "neo4j",
                                    "NEO4J_PASSWORD": password})
    proc = run_python("-m", "graphmodel.cli.neo4j", "env", cwd=project, env={"NEO4J_PASSWORD": "ignored-here"})
    assert proc.returncode == 0, proc.stderr
    pairs = dict(item.split("=", 1) for item in proc.stdout.split("\0") if item)
    assert pairs == {"NEO4J_URI": "bolt://127.0.0.1:7687", "NEO4J_USER": "neo4j", "NEO4J_PASSWORD": password}
