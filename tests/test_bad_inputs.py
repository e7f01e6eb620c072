"""The bad-input corpus: every malformed seed gets one clear file:line: field: message, exit 2,
no traceback, and nothing written (see tests/bad_seed_corpus.py for the cases)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bad_seed_corpus import BIG_FILE_BYTES, CASES, VALUE_CASES, Case, apply
from conftest import MINI_SEED

from graphmodel.errors import SeedValidationError
from graphmodel.seed import load_seed


def broken_copy(case: Case, tmp_path: Path) -> Path:
    seed = tmp_path / "seed"
    shutil.copytree(MINI_SEED, seed)
    apply(case, seed)
    return seed


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_seed_gets_one_clear_problem(case: Case, tmp_path: Path, robustness):
    seed = broken_copy(case, tmp_path)
    with pytest.raises(SeedValidationError) as info:
        load_seed(seed)
    robustness.bad_input(kind=case.kind)
    problems = info.value.problems
    assert len(problems) == 1, "\n".join(map(str, problems))
    (problem,) = problems
    file, line, field, fragment = case.expect
    assert (problem.file, problem.line, problem.field) == (file, line, field), str(problem)
    assert fragment in problem.message, str(problem)


def test_corpus_is_large_enough():
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)
    # issue 20: each class of value that passed validation and crashed later has several variants,
    # over more than one field or record type
    by_kind: dict[str, list[Case]] = {}
    for case in VALUE_CASES:
        by_kind.setdefault(case.kind or "", []).append(case)
    assert set(by_kind) == {"control character", "length", "date window", "number range"}
    for kind, cases in by_kind.items():
        assert len(cases) >= 5, kind
        assert len({(c.expect[0], c.expect[2]) for c in cases}) >= 3, kind


def test_hundred_megabyte_file_is_refused_before_parsing(tmp_path: Path, robustness):
    seed = tmp_path / "seed"
    shutil.copytree(MINI_SEED, seed)
    with (seed / "facilities.yaml").open("wb") as fh:
        fh.truncate(BIG_FILE_BYTES + 1)  # sparse: quick to make, still 100 MB to a reader
    with pytest.raises(SeedValidationError) as info:
        load_seed(seed)
    robustness.bad_input()
    (problem,) = info.value.problems
    assert (problem.file, problem.field) == ("facilities.yaml", "file") and "limited to" in problem.message


@pytest.mark.parametrize("case", [c for c in CASES if c.id in {
    "yaml-alias-bomb", "latin1-bytes", "binary-file", "dangling-from", "quote-not-in-source",
    "missing-rel-type", "unknown-seed-file", "deep-nesting", "impossible-date", "absurd-size",
}], ids=lambda c: c.id)
def test_cli_exit_2_no_traceback_out_untouched(case: Case, tmp_path: Path):
    run_refuses(case, tmp_path)


@pytest.mark.parametrize("case", VALUE_CASES, ids=[c.id for c in VALUE_CASES])
def test_value_no_command_could_process_is_refused_by_run(case: Case, tmp_path: Path, robustness):
    """Issue 20: each value once passed `validate` and crashed a later step with a traceback (the timeline,
    the report, the pathways, GraphML, the HTML page, the loader) or took minutes; `run` now refuses it with
    exit 2 and exactly one message, before writing anything."""
    stderr = run_refuses(case, tmp_path)
    robustness.bad_input(kind=case.kind)
    file, line, field, _ = case.expect
    problem_lines = [x for x in stderr.splitlines() if x.startswith(f"{file}:")]
    assert len(problem_lines) == 1 and problem_lines[0].startswith(f"{file}:{line}: {field}: "), stderr[-2000:]


def run_refuses(case: Case, tmp_path: Path) -> str:
    """`graphmodel run` on the broken seed: exit 2, the case's problem, no traceback, and `--out` (holding an
    earlier output) untouched with no staging folder beside it. Returns the standard error."""
    seed = broken_copy(case, tmp_path)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "keep.txt").write_text("earlier output", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "graphmodel.cli", "run", "--seed", str(seed), "--out", str(out_dir)],
        capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120,
    )
    file, line, field, fragment = case.expect
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert f"{file}:{line}: {field}: " in proc.stderr and fragment in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert [p.name for p in out_dir.iterdir()] == ["keep.txt"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out-staging")]
    return proc.stderr
