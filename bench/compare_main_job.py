"""``python -m bench.compare_main_job``: the main job of this tree against another commit's, side by side.

Both run ``graphmodel run --embedded`` on one synthetic seed, in fresh
processes taking turns (baseline, current, baseline, ...), so that the
machine's load falls on both alike. The other commit is checked out into a
temporary git worktree and imported from there (``PYTHONPATH`` puts it ahead
of this tree's editable install); nothing else differs. Reported per round:
wall time and peak resident memory of the process, and whether the two
commits wrote the same files (byte for byte, except what matplotlib makes new
in every SVG: its date and the random ids of its clip paths and markers): a move with no change of behaviour writes the same outputs.

The figure to read is the ratio of medians, current / baseline, measured in
the same run: below 1 is faster. Results go to ``--results`` as JSON.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_RUN = "import sys; from graphmodel.cli import main; main(sys.argv[1:])"


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()


_SVG_RUN_OWN = re.compile(rb"<dc:date>[^<]*</dc:date>|(?<=[#\"])[pm][0-9a-f]{10}(?=[)\"])")
"""What matplotlib makes new in every SVG it writes: the date, and random ids of clip paths."""


def _digests(folder: Path) -> dict[str, str]:
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".svg":
                data = _SVG_RUN_OWN.sub(b"", data)
            out[str(path.relative_to(folder))] = hashlib.sha256(data).hexdigest()
    return out


def _run_once(code_root: Path, seed: Path, out: Path) -> tuple[float, int]:
    """One main job in a fresh interpreter importing ``graphmodel`` from ``code_root``: (seconds, peak MiB)."""
    shutil.rmtree(out, ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(code_root), "NEO4J_URI": ""}
    start = time.perf_counter()
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen([sys.executable, "-c", _RUN, "run", "--embedded", "--seed", str(seed), "--out", str(out)],
                                cwd=code_root, env=env, stdout=subprocess.DEVNULL, stderr=log)
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage: its peak resident memory
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            log.seek(0)
            raise SystemExit(f"the main job of {code_root} failed ({proc.returncode}):\n{log.read()[-2000:].decode()}")
    return elapsed, usage.ru_maxrss // 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.compare_main_job", description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="HEAD~1", help="the commit to compare with (default HEAD~1)")
    parser.add_argument("--current", help="a commit to run as the current code (default: this working tree)")
    parser.add_argument("--scale", type=int, default=100_000, help="nodes in the synthetic seed (default 100000)")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each, taking turns (default 3)")
    parser.add_argument("--results", type=Path, help="write the figures here as JSON")
    args = parser.parse_args(argv)

    baseline = _git("rev-parse", args.baseline)
    if args.current:
        current = _git("rev-parse", args.current)
    else:
        current = _git("rev-parse", "HEAD") + ("+changes" if _git("status", "--porcelain", "--untracked-files=no") else "")
    work = Path(tempfile.mkdtemp(prefix="compare-main-job-"))
    tree = work / "baseline"
    current_tree = work / "current" if args.current else ROOT
    try:
        _git("worktree", "add", "--detach", str(tree), baseline)
        if args.current:
            _git("worktree", "add", "--detach", str(current_tree), current)
        seed = work / "seed"
        subprocess.run([sys.executable, "-c", _RUN, "synth", "--scale", str(args.scale), "--seed", "1", "-o", str(seed)],
                       cwd=ROOT, check=True, capture_output=True)
        runs: dict[str, list[tuple[float, int]]] = {"baseline": [], "current": []}
        outputs = {"baseline": work / "out-baseline", "current": work / "out-current"}
        for i in range(args.rounds):
            for name, code_root in (("baseline", tree), ("current", current_tree)):
                secs, mib = _run_once(code_root, seed, outputs[name])
                runs[name].append((secs, mib))
                print(f"round {i + 1}: {name:8} {secs:7.1f} s  peak {mib:,} MiB", flush=True)
        a, b = _digests(outputs["baseline"]), _digests(outputs["current"])
        differing = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
    finally:
        for folder in {tree, current_tree} - {ROOT}:
            subprocess.run(["git", "worktree", "remove", "--force", str(folder)], cwd=ROOT, capture_output=True)
        shutil.rmtree(work, ignore_errors=True)

    med = {name: statistics.median(s for s, _ in r) for name, r in runs.items()}
    ratio = med["current"] / med["baseline"]
    print(f"\nmain job at {args.scale:,} nodes, median of {args.rounds}: baseline {baseline[:7]} {med['baseline']:.1f} s, "
          f"current {current[:7]} {med['current']:.1f} s; ratio current/baseline {ratio:.3f}")
    print("outputs identical" if not differing else f"outputs differ: {', '.join(differing)}")
    if args.results:
        args.results.write_text(json.dumps({
            "what": "graphmodel run --embedded, fresh process per run, taking turns",
            "date": time.strftime("%Y-%m-%d"), "machine": f"{os.cpu_count()} cores, {platform.platform()}",
            "python": platform.python_version(), "load_average_end": os.getloadavg(),
            "scale": args.scale, "rounds": args.rounds, "baseline": baseline, "current": current,
            "runs": {k: [{"seconds": round(s, 2), "peak_mib": m} for s, m in v] for k, v in runs.items()},
            "median_seconds": {k: round(v, 2) for k, v in med.items()}, "ratio_current_to_baseline": round(ratio, 3),
            "outputs_differing": differing, "checks": {"outputs_identical": not differing},
        }, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
