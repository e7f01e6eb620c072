"""A reviewer takes a new article (refugees in Makassar) from text to validated seed records.

The documented workflow (docs/extraction.md) is followed with the commands a
reviewer types: ``extract`` -> accept (by editing draft statuses, or with
``review``) -> ``merge`` into a copy of the seed -> ``load_seed`` passes and
the main job's report shows the new cohort.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from graphmodel.extract.draft import read_draft
from graphmodel.pipeline import run_main_job
from graphmodel.seed import load_seed

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "tests" / "data" / "extraction" / "review" / "makassar_pengungsi.txt"


def graphmodel(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """The extraction commands as a reviewer runs them (standalone until the main CLI registers them)."""
    return subprocess.run(
        [sys.executable, "-m", "graphmodel.cli.extract", *args],
        input=stdin, stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True, text=True, cwd=ROOT, timeout=300,
        env={**os.environ, "COLUMNS": "200"},
    )


def tree_hash(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(folder).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()


@pytest.fixture
def draft(tmp_path: Path, seed_copy: Path) -> Path:
    out = tmp_path / "draft"
    result = graphmodel("extract", str(ARTICLE), "-o", str(out), "--seed", str(seed_copy))
    assert result.returncode == 0, result.stderr
    assert "new source src-005" in result.stderr
    return out


def _set_statuses(draft: Path, status: str, *, reject: tuple[str, ...] = ()) -> None:
    """What a reviewer does in an editor: change `status: proposed` lines (reject the records naming ``reject``)."""
    for path in draft.rglob("*.yaml"):
        if path.name == "draft.yaml":
            continue
        blocks = re.split(r"(?m)^(?=- )", path.read_text(encoding="utf-8"))
        out = []
        for block in blocks:
            wanted = "rejected" if any(r in block for r in reject) else status
            out.append(block.replace("status: proposed", f"status: {wanted}"))
        path.write_text("".join(out), encoding="utf-8")


def test_extract_edit_merge_then_main_job(draft: Path, seed_copy: Path, tmp_path: Path):
    cohorts = (draft / "cohorts.yaml").read_text(encoding="utf-8")
    assert "Foreign refugees in Kota Makassar" in cohorts and "size: 1520" in cohorts
    assert "status: proposed" in cohorts
    # nothing reaches the seed before review
    before = tree_hash(seed_copy)
    result = graphmodel("merge", str(draft), "--seed", str(seed_copy))
    assert result.returncode == 0, result.stderr
    assert "no new nodes" in result.stdout and tree_hash(seed_copy) == before
    # the reviewer accepts everything but the police (not involved, they judge) in the files
    _set_statuses(draft, "accepted", reject=("polrestabes-makassar",))
    result = graphmodel("merge", str(draft), "--seed", str(seed_copy), "--force")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 MigrantCohort" in result.stdout
    ds = load_seed(seed_copy)
    cohort = ds.nodes["cohort-makassar-refugees"]
    assert cohort.size == 1520 and set(cohort.nationalities) >= {"Afghanistan", "Myanmar", "Somalia"}
    assert "polrestabes-makassar" not in ds.nodes
    assert ds.nodes["kota-makassar"].code == "73.71" and ds.nodes["kota-makassar"].parent == "prov-sulawesi-selatan"
    assert any(ev.source == "src-005" for ev in ds.nodes["iom"].evidence)  # an existing node gained a quote
    assert (seed_copy / ds.nodes["src-005"].path).is_file()
    # the main job sees the new facts
    out = tmp_path / "out"
    run_main_job(seed_copy, out)
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "Foreign refugees in Kota Makassar" in report
    assert "1,520" in report
    # merging the same draft twice is refused
    again = graphmodel("merge", str(draft), "--seed", str(seed_copy))
    assert again.returncode == 2 and "already merged" in again.stderr


def test_review_with_scripted_answers(draft: Path, seed_copy: Path):
    # records come in the order sources, regions, agencies ..., relationships:
    # the source: accept; the province: edit, then accept; Kota Makassar: reject; then stop
    answers = "a\ne\nnotes=Checked against the Kemendagri list\n\na\nr\nq\n"
    result = graphmodel("review", str(draft), "--seed", str(seed_copy), "--script", stdin=answers)
    assert result.returncode == 0, result.stderr
    assert "2 accepted" in result.stderr and "1 rejected" in result.stderr and "1 edited" in result.stderr
    entries = read_draft(draft).entries
    statuses = [e.status for e in entries if e.draft is not None]
    assert statuses[:3] == ["accepted", "accepted", "rejected"] and set(statuses[3:]) == {"proposed"}
    reviewed = [e for e in entries if e.draft is not None][:3]
    assert [e.data["id"] for e in reviewed] == ["src-005", "prov-sulawesi-selatan", "kota-makassar"]
    assert reviewed[1].data["notes"] == "Checked against the Kemendagri list"
    # a second session accepts the rest
    result = graphmodel("review", str(draft), "--seed", str(seed_copy), "--script", stdin="A\n")
    assert result.returncode == 0 and "0 still proposed" in result.stderr
    # Kota Makassar was rejected, but accepted records refer to it: merge refuses and changes nothing
    before = tree_hash(seed_copy)
    result = graphmodel("merge", str(draft), "--seed", str(seed_copy))
    assert result.returncode == 2
    assert re.search(r"relationships/src-005\.yaml:\d+: (from|to): refers to 'kota-makassar', which is rejected in the draft",
                     result.stderr), result.stderr
    assert "Traceback" not in result.stderr and tree_hash(seed_copy) == before
    # the reviewer changes their mind in the file, and merge goes through
    regions = draft / "regions.yaml"
    regions.write_text(regions.read_text(encoding="utf-8").replace("status: rejected", "status: accepted"), encoding="utf-8")
    result = graphmodel("merge", str(draft), "--seed", str(seed_copy))
    assert result.returncode == 0, result.stderr
    load_seed(seed_copy)


def test_review_refuses_without_a_terminal(draft: Path, seed_copy: Path):
    result = graphmodel("review", str(draft), "--seed", str(seed_copy))
    assert result.returncode == 2
    assert "not a terminal" in result.stderr and "--script" in result.stderr
    assert "Traceback" not in result.stderr
    assert all(e.status == "proposed" for e in read_draft(draft).entries)


def test_merge_validation_failure_names_the_draft_record_and_changes_nothing(draft: Path, seed_copy: Path):
    _set_statuses(draft, "accepted")
    cohorts = draft / "cohorts.yaml"
    cohorts.write_text(cohorts.read_text(encoding="utf-8").replace("size_basis: stated", "size_basis: unknown"),
                       encoding="utf-8")
    before = tree_hash(seed_copy)
    result = graphmodel("merge", str(draft), "--seed", str(seed_copy))
    assert result.returncode == 2
    line = next(line for line in result.stderr.splitlines() if "size_basis" in line or "cohorts.yaml" in line)
    assert re.search(r"^seed/cohorts\.yaml:\d+: record: .*size_basis.*\(draft record .*/draft/cohorts\.yaml:\d+\)$", line), result.stderr
    assert tree_hash(seed_copy) == before
    assert not list(seed_copy.parent.glob(".seed.merge-*"))


def test_review_shows_escape_sequences_and_markup_in_a_draft_as_text(draft: Path, seed_copy: Path, robustness):
    """A draft is untrusted (issue 20, case 5): an edited record whose name carries a terminal colour sequence,
    an OSC 8 hyperlink and rich markup is shown with the control characters written out and the markup as
    typed, never obeyed. The first record shown is the draft's source (the order the test above relies on)."""
    sources = draft / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    name_line = next(line for line in text.splitlines() if line.startswith("  name: "))
    hostile = r'  name: "\e[31mMerah \e]8;;http://evil.example\aklik\e]8;;\a [bold red]tebal[/bold red]"'
    sources.write_text(text.replace(name_line, hostile, 1), encoding="utf-8")
    result = graphmodel("review", str(draft), "--seed", str(seed_copy), "--script", stdin="q\n")
    robustness.bad_input(kind="markup")
    assert result.returncode == 0, result.stderr
    shown = result.stderr
    assert "\x1b" not in shown and "\x07" not in shown  # nothing reaches the terminal as a command
    assert "\\x1b[31mMerah" in shown and "\\x1b]8;;http://evil.example\\x07klik" in shown
    assert "[bold red]tebal[/bold red]" in shown


def test_review_list_shows_each_activity_status_and_its_cue(tmp_path: Path, seed_copy: Path):
    """Issue 21: the review of a newly extracted article shows each proposed activity's status. The review
    article plus a wish and an announcement: "Kami berharap Pemerintah Kota Makassar dapat menyediakan layanan
    kesehatan" is hoped (cue "berharap"), "IOM akan memberikan pemeriksaan kesehatan" planned (cue "akan"),
    "IOM memberikan bantuan biaya hidup" reported (cue "memberikan"); planned and hoped rows are marked in
    capitals in the list, and carry delivers: false in JSON."""
    article = tmp_path / "makassar_wish.txt"
    article.write_text(ARTICLE.read_text(encoding="utf-8")
                       + '\n"Kami berharap Pemerintah Kota Makassar dapat menyediakan layanan kesehatan bagi para '
                         'pengungsi," kata Koordinator IOM Makassar.\n\nIOM akan memberikan pemeriksaan kesehatan '
                         "bagi pengungsi.\n", encoding="utf-8")
    out = tmp_path / "draft"
    assert graphmodel("extract", str(article), "-o", str(out), "--seed", str(seed_copy)).returncode == 0
    listed = graphmodel("review", str(out), "--list")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()

    def line_of(what: str) -> str:
        return next(line for line in lines if what in line)

    assert 'HOPED, not done (cue "berharap")' in line_of("SERVES pemko-makassar -> cohort-makassar-refugees (health)")
    assert 'PLANNED, not done (cue "akan")' in line_of("SERVES iom -> cohort-makassar-refugees (health)")
    assert '| reported (cue "memberikan")' in line_of("SERVES iom -> cohort-makassar-refugees (basic_needs_cash)")
    assert "status" not in line_of("ATTENDED rudenim-makassar")  # no activity status where none applies
    as_json = graphmodel("review", str(out), "--list", "--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    rows = {(r["kind"], r["from"], r["service"]): r for r in json.loads(as_json.stdout) if r["from"]}
    wish = rows[("SERVES", "pemko-makassar", "health")]
    assert (wish["activity_status"], wish["cue"], wish["delivers"]) == ("hoped", "berharap", False)
    assert rows[("SERVES", "iom", "health")]["activity_status"] == "planned"
    cash = rows[("SERVES", "iom", "basic_needs_cash")]
    assert (cash["activity_status"], cash["delivers"]) == ("reported", True)
    assert rows[("ATTENDED", "rudenim-makassar", None)]["activity_status"] is None
    # listing decides nothing
    assert all(e.status == "proposed" for e in read_draft(out).entries)
    # the interactive panel shows it too, before the fields
    shown = graphmodel("review", str(out), "--script", stdin="s\n" * 200)
    assert 'activity: HOPED, not done (cue "berharap")' in shown.stderr
