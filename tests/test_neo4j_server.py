"""The local Neo4j server, its settings and its test fixtures.

Tests marked ``neo4j`` run against the real server started by
``scripts/with-neo4j.sh``; the others are pure (no server, ``tmp_path`` only).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

# The fixtures (neo4j_settings, neo4j_driver, clean_neo4j) come from the
# neo4j_fixtures plugin that tests/conftest.py loads (tests/ is on sys.path).
from neo4j_fixtures import reset_database
from pydantic import SecretStr
from typer.testing import CliRunner

import neo4j
from graphmodel import local_neo4j
from graphmodel.cli.neo4j import app
from graphmodel.cli.neo4j import main as neo4j_main
from graphmodel.db.settings import ConnectionSettings, load_settings, open_driver
from graphmodel.errors import Neo4jUnavailable

WRONG_PASSWORD = "wrong-Pa55word-never-valid"


# --------------------------------------------------------------------------- real server


@pytest.mark.neo4j
def test_status_reports_neo4j_5_26(
    neo4j_settings: ConnectionSettings, neo4j_driver: neo4j.Driver
) -> None:
    info = local_neo4j.status(neo4j_settings)
    assert info is not None
    assert info.version.startswith("5.26"), info
    assert info.agent.startswith("Neo4j/5.26")
    assert info.uri == neo4j_settings.uri
    assert neo4j_settings.password.get_secret_value() not in repr(info)


@pytest.mark.neo4j
def test_round_trip_in_transactions(clean_neo4j: neo4j.Driver) -> None:
    def write(tx: neo4j.ManagedTransaction) -> int:
        record = tx.run(
            "CREATE (a:GmProbe {name: $a})-[:TALKS_TO {weight: $w}]->(b:GmProbe {name: $b}) "
            "RETURN count(*) AS created",
            a="BP2MI",
            b="Disnaker",
            w=0.75,
        ).single(strict=True)
        return int(record["created"])

    def read(tx: neo4j.ManagedTransaction) -> list[tuple[str, str, float]]:
        result = tx.run(
            "MATCH (a:GmProbe)-[r:TALKS_TO]->(b:GmProbe) RETURN a.name, b.name, r.weight"
        )
        return [tuple(r.values()) for r in result]

    with clean_neo4j.session() as session:
        assert session.execute_write(write) == 1
        assert session.execute_read(read) == [("BP2MI", "Disnaker", 0.75)]

        # a transaction that is rolled back leaves nothing behind
        with session.begin_transaction() as tx:
            tx.run("CREATE (:GmProbe {name: 'rolled back'})").consume()
            tx.rollback()
        count = session.run("MATCH (n:GmProbe) RETURN count(n) AS n").single(strict=True)["n"]
        assert count == 2


@pytest.mark.neo4j
def test_auth_is_on_and_wrong_password_is_mapped(
    neo4j_settings: ConnectionSettings, neo4j_driver: neo4j.Driver
) -> None:
    wrong = neo4j_settings.model_copy(update={"password": SecretStr(WRONG_PASSWORD)})
    with pytest.raises(Neo4jUnavailable) as caught:
        open_driver(wrong)
    message = str(caught.value)
    assert "refused the credentials" in message
    assert neo4j_settings.uri in message
    assert WRONG_PASSWORD not in message
    assert WRONG_PASSWORD not in repr(caught.value)
    assert neo4j_settings.password.get_secret_value() not in message


@pytest.mark.neo4j
def test_clean_neo4j_drops_schema_and_data(neo4j_driver: neo4j.Driver) -> None:
    neo4j_driver.execute_query(
        "CREATE CONSTRAINT gm_probe_key IF NOT EXISTS FOR (n:GmProbe) REQUIRE n.key IS UNIQUE"
    )
    neo4j_driver.execute_query(
        "CREATE INDEX gm_probe_name IF NOT EXISTS FOR (n:GmProbe) ON (n.name)"
    )
    neo4j_driver.execute_query("CREATE (:GmProbe {key: 1, name: 'x'})")

    reset_database(neo4j_driver)

    nodes, _, _ = neo4j_driver.execute_query("MATCH (n) RETURN count(n) AS n")
    constraints, _, _ = neo4j_driver.execute_query("SHOW CONSTRAINTS YIELD name RETURN name")
    indexes, _, _ = neo4j_driver.execute_query("SHOW INDEXES YIELD name, type RETURN name, type")
    assert nodes[0]["n"] == 0
    assert constraints == []
    assert {r["type"] for r in indexes} <= {"LOOKUP"}


@pytest.mark.neo4j
def test_cli_status_json(
    neo4j_settings: ConnectionSettings, neo4j_driver: neo4j.Driver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEO4J_URI", neo4j_settings.uri)
    monkeypatch.setenv("NEO4J_USER", neo4j_settings.user)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_settings.password.get_secret_value())
    result = CliRunner().invoke(app, ["status", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["version"].startswith("5.26")
    assert neo4j_settings.password.get_secret_value() not in result.output


# --------------------------------------------------------------------------- pure


def test_load_settings_env_wins_over_dotenv(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        "# local server\n"
        "NEO4J_URI=bolt://127.0.0.1:7999\n"
        "NEO4J_USER=fileuser\n"
        "NEO4J_PASSWORD='file-password'\n"
    )
    env = {"NEO4J_URI": "neo4j+s://example.databases.neo4j.io", "NEO4J_PASSWORD": "env-password"}

    settings = load_settings(tmp_path, environ=env)
    assert settings is not None
    assert settings.uri == "neo4j+s://example.databases.neo4j.io"
    assert settings.user == "fileuser"  # not in env: falls back to .env
    assert settings.password.get_secret_value() == "env-password"
    assert "env-password" not in repr(settings) and "env-password" not in str(settings)

    only_file = load_settings(tmp_path, environ={})
    assert only_file is not None
    assert only_file.uri == "bolt://127.0.0.1:7999"
    assert only_file.password.get_secret_value() == "file-password"


def test_load_settings_needs_uri_and_password(tmp_path: Path) -> None:
    assert load_settings(tmp_path, environ={}) is None
    assert load_settings(tmp_path, environ={"NEO4J_URI": "bolt://127.0.0.1:1"}) is None
    settings = load_settings(
        tmp_path, environ={"NEO4J_URI": "bolt://127.0.0.1:1", "NEO4J_PASSWORD": "pw-123456"}
    )
    assert settings is not None and settings.user == "neo4j"


def test_conf_binds_loopback_and_disables_http_by_default(tmp_path: Path) -> None:
    layout = local_neo4j.Layout.for_repo(tmp_path)
    conf = local_neo4j.render_conf(layout, 7777)
    lines = set(conf.splitlines())
    assert "server.bolt.listen_address=127.0.0.1:7777" in lines
    assert "server.default_listen_address=127.0.0.1" in lines
    assert "server.http.enabled=false" in lines
    assert "server.https.enabled=false" in lines
    assert "dbms.security.auth_enabled=true" in lines
    assert "dbms.usage_report.enabled=false" in lines
    assert f"server.directories.data={tmp_path.resolve() / '.neo4j' / 'data'}" in lines
    assert "0.0.0.0" not in conf

    with_http = set(local_neo4j.render_conf(layout, 7777, http_port=7474).splitlines())
    assert "server.http.enabled=true" in with_http
    assert "server.http.listen_address=127.0.0.1:7474" in with_http
    assert "server.https.enabled=false" in with_http


def test_jvm_command_is_the_launchers(tmp_path: Path) -> None:
    layout = local_neo4j.Layout.for_repo(tmp_path)
    cmd = local_neo4j.jvm_command(Path("/jdk/bin/java"), layout)
    assert cmd[0] == "/jdk/bin/java"
    assert cmd[-1] == "org.neo4j.server.CommunityEntryPoint"
    assert "--add-opens=java.base/java.nio=ALL-UNNAMED" in cmd
    assert "-XX:+UseG1GC" in cmd and "-Xmx2g" in cmd and "-Xms1g" in cmd
    assert cmd[cmd.index("-cp") + 1].endswith(f"{layout.lib}/*")


def test_write_env_file_keeps_other_lines(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("OTHER=1\nNEO4J_URI=bolt://old:1\n# note\nNEO4J_URI=dup\n")
    local_neo4j.write_env_file(
        tmp_path, {"NEO4J_URI": "bolt://127.0.0.1:2", "NEO4J_PASSWORD": 'we"ird pw\\'}
    )
    text = (tmp_path / ".env").read_text()
    assert text.splitlines()[:3] == ["OTHER=1", "NEO4J_URI=bolt://127.0.0.1:2", "# note"]
    assert "dup" not in text
    assert (tmp_path / ".env").stat().st_mode & 0o077 == 0
    settings = load_settings(tmp_path, environ={})
    assert settings is not None
    assert settings.password.get_secret_value() == 'we"ird pw\\'


def test_cli_status_fails_cleanly_without_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEO4J_URI", f"bolt://127.0.0.1:{local_neo4j.free_port()}")
    monkeypatch.setenv("NEO4J_PASSWORD", WRONG_PASSWORD)
    result = CliRunner().invoke(app, ["status"])
    assert result.exit_code == 1
    assert "not reachable" in result.output
    assert WRONG_PASSWORD not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("option", ["--heap", "--pagecache"])
def test_cli_start_refuses_a_bad_memory_size_before_starting(option: str, monkeypatch: pytest.MonkeyPatch) -> None:
    started = []
    monkeypatch.setattr(local_neo4j, "start", lambda *a, **k: started.append(1))  # must not be reached
    result = CliRunner().invoke(app, ["start", option, "4x"])
    assert result.exit_code == 2  # a usage error, as click reports them
    assert "expected a size such as 512m or 4g" in result.output and not started


def test_cli_start_passes_the_memory_sizes(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    seen = {}

    def fake_start(root, **kwargs):
        seen.update(kwargs)
        raise Neo4jUnavailable("stop here")

    monkeypatch.setattr(local_neo4j, "start", fake_start)
    monkeypatch.setenv("NEO4J_PAGECACHE", "3g")
    # through the one error path of the command line (run_app), as scripts/with-neo4j.sh runs it
    code = neo4j_main(["start", "--heap", "512m"])
    assert code == 3 and "stop here" in capsys.readouterr().err
    # the initial heap never exceeds the maximum: 512m < the default initial 1g
    assert (seen["heap_max"], seen["heap_initial"], seen["pagecache"]) == ("512m", "512m", "3g")


def test_a_port_counts_as_in_use_while_something_listens_not_while_old_connections_linger() -> None:
    """A server killed mid-load leaves its closed connections in TIME_WAIT for a minute (Linux); a new
    server may listen there (the JVM sets SO_REUSEADDR), so the port must not count as in use."""
    import socket

    listener = socket.create_server((local_neo4j.LOOPBACK, 0))
    port = listener.getsockname()[1]
    assert local_neo4j.port_in_use(port)  # something listens
    client = socket.create_connection((local_neo4j.LOOPBACK, port))
    accepted, _ = listener.accept()
    accepted.close()  # the server's side closes first, so its end of the connection waits in TIME_WAIT
    client.recv(1)
    client.close()
    listener.close()
    assert not local_neo4j.port_in_use(port)
