"""Hostile values: Cypher-injection strings in seed values are stored verbatim and change nothing
else; markup in names is escaped in the report."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html as lxml_html

from graphmodel.db.write import load_dataset
from graphmodel.seed import load_seed

HOSTILE = [
    "x'}) DETACH DELETE n //",
    '"}) MATCH (m) DETACH DELETE m RETURN 1 //',
    "`) CALL dbms.security.createUser('evil','pw',false) //",
    "<img src=x onerror=alert(1)>",
    "</script><script>window.__pwned=1</script>",
    "{{7*7}} ${7*7} | `rm -rf /`",
]


def hostile_seed(mini_seed: Path) -> Path:
    path = mini_seed / "agencies.yaml"
    text = path.read_text(encoding="utf-8")
    for i, value in enumerate(HOSTILE):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        text += f'- id: hostile-{i}\n  name: "{escaped}"\n  aliases: ["{escaped}"]\n  kind: ngo\n  level: national\n  notes: "{escaped}"\n'
    path.write_text(text, encoding="utf-8")
    return mini_seed


@pytest.mark.neo4j
def test_cypher_injection_in_seed_values_changes_nothing(clean_neo4j, mini_seed, robustness):
    ds = load_seed(hostile_seed(mini_seed))
    load_dataset(clean_neo4j, ds)
    robustness.bad_input(len(HOSTILE))
    with clean_neo4j.session() as s:
        nodes = s.run("MATCH (n) RETURN count(n) AS n").single()["n"]
        names = {r["id"]: r["name"] for r in s.run("MATCH (a:Agency) WHERE a.id STARTS WITH 'hostile-' RETURN a.id AS id, a.name AS name")}
    assert nodes == len(ds.nodes)  # nothing deleted, nothing extra created
    assert names == {f"hostile-{i}": v for i, v in enumerate(HOSTILE)}  # stored verbatim
    with clean_neo4j.session(database="system") as s:
        assert "evil" not in {r["user"] for r in s.run("SHOW USERS YIELD user")}


def test_report_escapes_markup(mini_seed, tmp_path, robustness):
    seed = hostile_seed(mini_seed)
    out_dir = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "graphmodel.cli", "run", "--seed", str(seed), "--out", str(out_dir)],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stderr
    robustness.bad_input(len(HOSTILE))
    page = (out_dir / "report.html").read_text(encoding="utf-8")
    doc = lxml_html.fromstring(page)
    assert not doc.xpath("//img[@onerror]") and "window.__pwned" not in "".join(doc.xpath("//script/text()"))
    cells = {c.text_content() for c in doc.xpath("//td")}
    assert "<img src=x onerror=alert(1)>" in cells  # shown as text
    md = (out_dir / "report.md").read_text(encoding="utf-8")
    assert "<img" not in md and "&lt;img src=x onerror=alert(1)&gt;" in md
