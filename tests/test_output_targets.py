"""Outputs that must not replace what they should not (issue 20, cases 11 and 12).

Case 11: an output takes the place of a regular file or a new path only (a
folder, for ``run --out`` and ``neo4j-csv``). A device, a FIFO or a symbolic
link where an output goes is refused with one message and exit 2, and stays
as it was, and so does the file a link points to.

Case 12: a wrong ``-o``/``--out`` (an existing file or folder), a full disk, a
read-only file system, SIGTERM and an absurd ``synth --scale`` end with one
message naming the path and what is wrong (exit 2; 143 for SIGTERM), no
traceback, the earlier output intact and no staging or temporary file beside it.

Every command runs as a real subprocess from the repository root. Faults are
real: a file size limit (``RLIMIT_FSIZE``; Python ignores SIGXFSZ, so a write
past it fails with EFBIG), a tmpfs too small for the output, a tmpfs remounted
read-only, and SIGTERM. The tmpfs tests need root (``make test`` runs as
root); they fail, never skip, where mounting is not permitted.
"""

from __future__ import annotations

import contextlib
import math
import os
import resource
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import MINI_SEED, ROOT, SEED

KIND = "output target"


def graphmodel(*args: object, preexec_fn=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "graphmodel.cli", *map(str, args)], cwd=ROOT, capture_output=True, text=True,
        stdin=subprocess.DEVNULL, timeout=600, preexec_fn=preexec_fn,
    )


def file_size_limit(limit: int):
    """A ``preexec_fn``: the child may not write a file beyond ``limit`` bytes (a full disk, portably)."""
    def limit_file_size() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limit_file_size


def snapshot(folder: Path) -> dict[str, tuple[int, bytes | str | None]]:
    """Every entry under ``folder``, links not followed: its type and its content (bytes, or a link's target)."""
    entries = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            mode = os.lstat(path).st_mode
            content = path.read_bytes() if stat.S_ISREG(mode) else os.readlink(path) if stat.S_ISLNK(mode) else None
            entries[str(path.relative_to(folder))] = (stat.S_IFMT(mode), content)
    return entries


def assert_one_message(proc: subprocess.CompletedProcess, *fragments: str, code: int = 2) -> None:
    """Exit ``code``, no traceback, and stderr one line holding every fragment (the path, what is wrong)."""
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr
    assert proc.returncode == code, proc.stdout + proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def leftovers(folder: Path) -> list[str]:
    """Staging folders and temporary files the writers make beside an output (they all start with a dot)."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def must(reason: str) -> None:
    pytest.fail(f"{reason}: these tests need root (or CAP_SYS_ADMIN) to mount a tmpfs; they never skip", pytrace=False)


@contextlib.contextmanager
def tmpfs(mountpoint: Path, size_kib: int) -> Iterator[Path]:
    """A tmpfs of ``size_kib`` KiB at ``mountpoint`` (unmounted on the way out)."""
    mountpoint.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kib}k,mode=0755", "tmpfs", str(mountpoint)],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False)
    if proc.returncode != 0:
        must(f"mount -t tmpfs failed: {proc.stderr.strip()}")
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", str(mountpoint)], capture_output=True, stdin=subprocess.DEVNULL, check=False)


def remount_read_only(mountpoint: Path) -> None:
    proc = subprocess.run(["mount", "-o", "remount,ro", str(mountpoint)], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, check=False)
    if proc.returncode != 0:
        must(f"mount -o remount,ro failed: {proc.stderr.strip()}")


# --------------------------------------------------------------------------- case 11: not a regular file


def make_non_regular(kind: str, path: Path) -> tuple[str, Path | None]:
    """Put a ``kind`` at ``path``; return the word the refusal must use and, for a link, the file it points to."""
    if kind == "fifo":
        os.mkfifo(path)
        return "FIFO", None
    if kind == "device":
        # /dev/full's numbers (1, 7) on a node of our own: a regression would replace this one, not /dev/full
        os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 7))
        return "character device", None
    outside = path.parent.parent / "elsewhere" / "private.txt"
    outside.parent.mkdir()
    outside.write_text("not to be replaced\n", encoding="utf-8")
    path.symlink_to(outside)
    return "symbolic link", outside


@pytest.mark.parametrize("fmt", ["graphml", "cytoscape"])
@pytest.mark.parametrize("kind", ["fifo", "device", "symlink"])
def test_export_refuses_a_target_that_is_not_a_regular_file(kind: str, fmt: str, mini_seed: Path, tmp_path: Path,
                                                            robustness):
    """Case 11: ``export -o`` a FIFO, a character device (/dev/full's numbers) or a link: exit 2, all left as it was.

    Before: the device node and the FIFO were replaced by a regular file and
    the command said "wrote"; the link was replaced (cut from its target).
    """
    exports = tmp_path / "exports"
    exports.mkdir()
    target = exports / f"graph.{fmt}"
    word, outside = make_non_regular(kind, target)
    before, outside_before = snapshot(exports), outside and outside.read_bytes()
    robustness.bad_input(kind=KIND)
    proc = graphmodel("export", "--seed", mini_seed, "--format", fmt, "-o", target)
    assert_one_message(proc, str(target), word, "not a regular file")
    assert snapshot(exports) == before  # the node itself, and no temporary file beside it
    if kind == "device":
        assert stat.S_ISCHR(os.lstat(target).st_mode) and os.lstat(target).st_rdev == os.makedev(1, 7)
    if outside is not None:
        assert outside.read_bytes() == outside_before


@pytest.mark.parametrize(("name", "kind"), [("report.md", "symlink"), ("graph.graphml", "fifo")])
def test_run_refuses_a_link_or_fifo_where_an_output_goes(name: str, kind: str, mini_seed: Path, tmp_path: Path,
                                                         robustness):
    """Case 11 for ``run``: out/report.md a link, out/graph.graphml a FIFO: exit 2 and no output is published.

    Each published file is checked before the first one is moved, so out/
    keeps exactly what it held (no new overview beside the old report).
    """
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "keep.txt").write_text("earlier output", encoding="utf-8")
    word, outside = make_non_regular(kind, out_dir / name)
    before = snapshot(out_dir)
    robustness.bad_input(kind=KIND)
    proc = graphmodel("run", "--seed", mini_seed, "--out", out_dir)
    assert_one_message(proc, str(out_dir / name), word)
    assert snapshot(out_dir) == before
    assert leftovers(tmp_path) == []
    if outside is not None:
        assert outside.read_text(encoding="utf-8") == "not to be replaced\n"


@pytest.mark.parametrize("kind", ["fifo", "symlink"])
def test_neo4j_csv_refuses_a_fifo_or_a_link_as_its_folder(kind: str, mini_seed: Path, tmp_path: Path, robustness):
    """Case 11 for the folder export: ``-o`` a FIFO (was a traceback) or a link to a folder (was written through).

    The link points to a folder holding an earlier export, which stays byte for byte as it was.
    """
    target = tmp_path / "csv"
    if kind == "fifo":
        os.mkfifo(target)
        word = "FIFO"
    else:
        elsewhere = tmp_path / "elsewhere"
        assert graphmodel("export", "--seed", mini_seed, "--format", "neo4j-csv", "-o", elsewhere).returncode == 0
        target.symlink_to(elsewhere, target_is_directory=True)
        word = "symbolic link"
    before = snapshot(tmp_path)
    robustness.bad_input(kind=KIND)
    proc = graphmodel("export", "--seed", mini_seed, "--format", "neo4j-csv", "-o", target)
    assert_one_message(proc, str(target), word, "not a folder")
    assert snapshot(tmp_path) == before


# --------------------------------------------------------------------------- case 12: wrong targets


def test_run_out_an_existing_file(mini_seed: Path, tmp_path: Path, robustness):
    """Case 12: ``run --out FILE`` raised FileExistsError after the whole job and left ``.afile-staging-*``."""
    afile = tmp_path / "afile"
    afile.write_text("a file, not a folder\n", encoding="utf-8")
    robustness.bad_input(kind=KIND)
    proc = graphmodel("run", "--seed", mini_seed, "--out", afile)
    assert_one_message(proc, str(afile), "regular file, not a folder")
    assert afile.read_text(encoding="utf-8") == "a file, not a folder\n"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("fmt", ["graphml", "html"])
def test_export_to_an_existing_folder(fmt: str, mini_seed: Path, tmp_path: Path, robustness):
    """Case 12: ``export -o DIR`` for a one-file format was an IsADirectoryError traceback."""
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine\n", encoding="utf-8")
    robustness.bad_input(kind=KIND)
    proc = graphmodel("export", "--seed", mini_seed, "--format", fmt, "-o", folder)
    assert_one_message(proc, str(folder), "is a folder, not a regular file")
    assert snapshot(folder) == {"notes.txt": (stat.S_IFREG, b"mine\n")}
    assert leftovers(tmp_path) == []


def test_neo4j_csv_refuses_a_folder_with_other_files(mini_seed: Path, tmp_path: Path, robustness):
    """Case 12: the folder export replaces its folder whole, so a folder holding anything else is refused, not emptied.

    Before, the files were written one by one into any folder (``-o ~`` scattered 25 files in it).
    """
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine\n", encoding="utf-8")
    robustness.bad_input(kind=KIND)
    proc = graphmodel("export", "--seed", mini_seed, "--format", "neo4j-csv", "-o", folder)
    assert_one_message(proc, str(folder), "notes.txt", "new or empty folder")
    assert snapshot(folder) == {"notes.txt": (stat.S_IFREG, b"mine\n")}
    assert leftovers(tmp_path) == []


def test_neo4j_csv_replaces_an_earlier_export_whole(mini_seed: Path, tmp_path: Path):
    """A second export into the folder of a first replaces it whole: files of the first that the second does not
    write (here ``nodes_Gone.csv``, as if a label had left the seed) go, so the folder matches its import command."""
    folder = tmp_path / "csv"
    assert graphmodel("export", "--seed", mini_seed, "--format", "neo4j-csv", "-o", folder).returncode == 0
    first = snapshot(folder)
    (folder / "nodes_Gone.csv").write_text("id:ID(Gone),:LABEL\n", encoding="utf-8")
    proc = graphmodel("export", "--seed", mini_seed, "--format", "neo4j-csv", "-o", folder)
    assert proc.returncode == 0, proc.stderr
    assert snapshot(folder) == first  # the same seed writes the same bytes
    assert leftovers(tmp_path) == []


# --------------------------------------------------------------------------- case 12: SIGTERM


def test_sigterm_during_run_cleans_up(seed_copy: Path, tmp_path: Path, robustness):
    """Case 12: SIGTERM while ``run`` writes its outputs left ``.out-staging-*`` every time (Python's default action
    ends the process without running ``finally``). Now: exit 143 (128 + 15), out/ as it was, no staging folder.

    The signal is sent once the staging folder exists, i.e. while the outputs
    are being written (about 6 s of the curated seed's 10 s run).
    """
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "report.md").write_text("the earlier report\n", encoding="utf-8")
    before = snapshot(out_dir)
    proc = subprocess.Popen([sys.executable, "-m", "graphmodel.cli", "run", "--seed", str(seed_copy), "--out",
                             str(out_dir)], cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    staging = None
    while staging is None and proc.poll() is None:
        staging = next(tmp_path.glob(".out-staging-*"), None)
        time.sleep(0.005)
    if staging is not None:
        proc.send_signal(signal.SIGTERM)
        robustness.fault()
    stdout, stderr = proc.communicate(timeout=600)
    assert staging is not None, f"the job ended before it staged its outputs: {stderr}"
    done = subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)
    assert_one_message(done, "terminated", code=128 + signal.SIGTERM)
    assert snapshot(out_dir) == before
    assert leftovers(tmp_path) == []


# --------------------------------------------------------------------------- case 12: full disk


def test_full_disk_during_neo4j_csv_keeps_the_earlier_export(tmp_path: Path, robustness):
    """Case 12: a full disk during the ``neo4j-csv`` export left 10 of 42 new files beside the old
    ``import-command.txt``. Now the export is staged and swapped in whole: exit 2, the earlier export intact.

    The tmpfs holds the earlier export (the mini seed's, 25 small files) and
    half the pages of the new one (the curated seed's 42 files, sizes measured
    by exporting it first where space is plenty): so the new export cannot
    fit beside the old one, and, written file by file over the old one, would
    stop midway.
    """
    reference = tmp_path / "reference"
    assert graphmodel("export", "--seed", SEED, "--format", "neo4j-csv", "-o", reference).returncode == 0
    earlier = tmp_path / "earlier"
    assert graphmodel("export", "--seed", MINI_SEED, "--format", "neo4j-csv", "-o", earlier).returncode == 0

    def pages(folder: Path) -> int:
        return sum(math.ceil(p.stat().st_size / 4096) for p in folder.iterdir())

    assert len(list(reference.iterdir())) == 42 and pages(reference) > 42
    with tmpfs(tmp_path / "disk", 4 * (pages(earlier) + pages(reference) // 2)) as disk:
        folder = disk / "csv"
        assert graphmodel("export", "--seed", MINI_SEED, "--format", "neo4j-csv", "-o", folder).returncode == 0
        before = snapshot(folder)
        robustness.fault()
        proc = graphmodel("export", "--seed", SEED, "--format", "neo4j-csv", "-o", folder)
        assert_one_message(proc, str(folder), "No space left on device")
        assert snapshot(folder) == before
        assert leftovers(disk) == []


@pytest.mark.parametrize("command", ["run", "graphml", "neo4j-csv", "synth"])
def test_file_size_limit_gives_one_message_and_keeps_the_earlier_output(command: str, mini_seed: Path,
                                                                         tmp_path: Path, robustness):
    """Case 12: a write that fails (EFBIG past ``RLIMIT_FSIZE``, as ENOSPC on a full disk) was a traceback.

    4 KiB: every command here writes a file bigger than that (the mini seed's
    GraphML is 12.7 kB, its overview PNG far more, nodes_Agency.csv of the
    curated seed 9.4 kB, a synthetic seed of 1,000 nodes hundreds of kB).
    """
    out = tmp_path / "out"
    if command == "run":
        out.mkdir()
        (out / "report.md").write_text("the earlier report\n", encoding="utf-8")
        args = ["run", "--seed", mini_seed, "--out", out]
    elif command == "graphml":
        out.write_text("the earlier graph\n", encoding="utf-8")
        args = ["export", "--seed", mini_seed, "--format", "graphml", "-o", out]
    elif command == "neo4j-csv":
        assert graphmodel("export", "--seed", mini_seed, "--format", "neo4j-csv", "-o", out).returncode == 0
        args = ["export", "--seed", SEED, "--format", "neo4j-csv", "-o", out]
    else:
        args = ["synth", "--scale", "1000", "-o", out]
    before = snapshot(tmp_path)
    robustness.fault()
    proc = graphmodel(*args, preexec_fn=file_size_limit(4096))
    assert_one_message(proc, f"cannot write {out}", "File too large")
    assert snapshot(tmp_path) == before  # for synth: no half-written seed folder


def test_read_only_file_system(mini_seed: Path, tmp_path: Path, robustness):
    """Case 12: a read-only file system was a traceback (OSError EROFS); now one message per command, nothing changed."""
    with tmpfs(tmp_path / "disk", 1024) as disk:
        (disk / "graph.graphml").write_text("the earlier graph\n", encoding="utf-8")
        remount_read_only(disk)
        before = snapshot(disk)
        commands = {
            disk / "graph.graphml": ["export", "--seed", mini_seed, "--format", "graphml", "-o", disk / "graph.graphml"],
            disk / "csv": ["export", "--seed", mini_seed, "--format", "neo4j-csv", "-o", disk / "csv"],
            disk / "out": ["run", "--seed", mini_seed, "--out", disk / "out"],
            disk / "synthetic": ["synth", "--scale", "300", "-o", disk / "synthetic"],
        }
        for target, args in commands.items():
            robustness.fault()
            proc = graphmodel(*args)
            assert_one_message(proc, f"cannot write {target}", "Read-only file system")
        assert snapshot(disk) == before


# --------------------------------------------------------------------------- case 12: synth


def test_synth_refuses_an_absurd_scale_up_front(tmp_path: Path, robustness):
    """Case 12: ``synth --scale 1000000000000`` asked numpy for 6 TiB (a traceback) after creating the folder.

    Now refused before anything is written, naming the limit (2,000,000, :data:`graphmodel.synth.MAX_SCALE`).
    """
    out = tmp_path / "synthetic"
    robustness.bad_input(kind=KIND)
    proc = graphmodel("synth", "--scale", 10**12, "-o", out)
    assert_one_message(proc, "at most 2,000,000", "1,000,000,000,000")
    assert not out.exists()


@pytest.mark.parametrize("kind", ["file", "fifo"])
def test_synth_refuses_an_output_that_is_not_a_folder(kind: str, tmp_path: Path, robustness):
    """Case 12: ``synth -o`` an existing file was a NotADirectoryError traceback; a FIFO the same."""
    out = tmp_path / "synthetic"
    if kind == "file":
        out.write_text("a file\n", encoding="utf-8")
    else:
        os.mkfifo(out)
    before = snapshot(tmp_path)
    robustness.bad_input(kind=KIND)
    proc = graphmodel("synth", "--scale", 300, "-o", out)
    assert_one_message(proc, str(out), "not a folder")
    assert snapshot(tmp_path) == before
