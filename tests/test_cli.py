"""The command line as users call it: a real subprocess, no standard input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import networkx as nx
from conftest import MINI_SEED


def graphmodel(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "graphmodel.cli", *args], capture_output=True, text=True, stdin=subprocess.DEVNULL, cwd=cwd
    )


def test_help_lists_the_commands():
    proc = graphmodel("--help")
    assert proc.returncode == 0
    for command in ("validate", "run", "export"):
        assert command in proc.stdout


def test_validate_json_summary():
    proc = graphmodel("validate", str(MINI_SEED), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    # counted by hand in tests/data/mini_seed: 3 agencies, 3 regions, 3 sources, one of each other node
    assert summary["valid"] is True
    assert summary["nodes"] == {"Source": 3, "Region": 3, "Agency": 3, "Meeting": 1, "MigrantCohort": 1, "Facility": 1, "LegalInstrument": 1}
    assert sum(summary["relationships"].values()) == 9


def test_validate_missing_folder_exit_2():
    proc = graphmodel("validate", "no/such/folder")
    assert proc.returncode == 2 and "not a folder" in proc.stderr and "Traceback" not in proc.stderr


def test_unknown_option_is_a_usage_error():
    proc = graphmodel("export", "--format", "pdf", "-o", "x.pdf")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_run_writes_report_and_graphml(tmp_path: Path):
    out_dir = tmp_path / "out"
    proc = graphmodel("run", "--seed", str(MINI_SEED), "--out", str(out_dir))
    assert proc.returncode == 0, proc.stderr
    names = {p.name for p in out_dir.iterdir()}
    assert {"report.md", "report.html", "graph.graphml", "timeline.svg"} <= names
    report = (out_dir / "report.md").read_text(encoding="utf-8")
    assert "Rumah Detensi Imigrasi Kupang" in report and "Refugees in Kota Kupang" in report
    assert "Nusa Tenggara Timur / Kota Kupang" in report  # cohorts by region, with the province above the city
    assert nx.read_graphml(out_dir / "graph.graphml").number_of_nodes() == 13
    # the process ends with os._exit (cli_common.end_process_now) after printing what it wrote: nothing is lost
    assert proc.stdout.splitlines() == sorted(str(p) for p in out_dir.rglob("*") if p.is_file())


def _main_with_exit_handler(*args: str) -> subprocess.CompletedProcess:
    """graphmodel.cli.main(args) in a process whose exit handler says when the interpreter finalises normally."""
    code = ("import atexit, graphmodel.cli as c\n"
            "atexit.register(lambda: print('interpreter finalised', flush=True))\n"
            f"c.main({list(args)!r})")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, stdin=subprocess.DEVNULL)


def test_run_ends_the_process_without_freeing_the_graph(tmp_path: Path):
    # the handler would run at a normal interpreter exit; after os._exit (end_process_now) it does not
    proc = _main_with_exit_handler("run", "--seed", str(MINI_SEED), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    assert "report.md" in proc.stdout and "interpreter finalised" not in proc.stdout
    failing = _main_with_exit_handler("validate", str(tmp_path / "no-such-seed"))
    assert failing.returncode == 2 and "interpreter finalised" in failing.stdout  # a fault exits the usual way


def test_end_process_now_returns_inside_another_program():
    from graphmodel.cli.common import end_process_now

    # pytest is the process here: were the call to end it, pytest would die and report this test as crashed
    end_process_now(0)


def test_export_graphml(tmp_path: Path):
    target = tmp_path / "g.graphml"
    proc = graphmodel("export", "--format", "graphml", "-o", str(target), "--seed", str(MINI_SEED))
    assert proc.returncode == 0, proc.stderr
    assert nx.read_graphml(target).number_of_nodes() == 13
    assert not list(tmp_path.glob(".g.graphml.*"))  # no temporary file left behind


def test_extract_without_its_extra_says_which_extra_to_install(tmp_path: Path) -> None:
    """`make run` installs only the main job's dependencies; `graphmodel extract` then lacks spaCy and
    RapidFuzz. Hiding them (None in sys.modules makes `import spacy` raise ModuleNotFoundError, as on a
    machine without them) must give one message naming the extra, exit 1, no traceback, no draft."""
    root = Path(__file__).resolve().parents[1]
    article = root / "tests" / "data" / "extraction" / "heldout" / "articles" / "batam_tppo.txt"
    draft = tmp_path / "draft"
    probe = ("import sys\n"
             "sys.modules['spacy'] = None\n"
             "sys.modules['rapidfuzz'] = None\n"
             "from graphmodel.cli import main\n"
             "main(sys.argv[1:])\n")
    proc = subprocess.run([sys.executable, "-c", probe, "extract", str(article), "-o", str(draft), "--seed",
                           str(root / "seed")], capture_output=True, text=True, timeout=300, cwd=root)
    assert proc.returncode == 1, proc.stderr
    assert "install the 'extract' extra" in proc.stderr and "Traceback" not in proc.stderr
    assert not draft.exists()
