"""``python -m bench.startup``: how long ``graphmodel --help`` takes to start, against ``python -c pass``.

A person typing ``graphmodel --help`` waits for every module the command
line imports. Each command here runs in a fresh interpreter, ``--repeat``
times, taking turns with the baseline (``python -c pass``: the interpreter's
own start-up, measured in the same run), and the table gives the median wall
time and its ratio to the baseline. ``--baseline-commit REF`` adds the same
commands run from another commit's tree (a temporary git worktree), for a
before/after in one run. Figures go to ``--results`` as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_CLI = "import sys; from graphmodel.cli import main; main(sys.argv[1:])"
COMMANDS = {
    "python -c pass": ["-c", "pass"],
    "graphmodel --help": ["-c", _CLI, "--help"],
    "graphmodel validate --help": ["-c", _CLI, "validate", "--help"],
}


def _time(args: list[str], code_root: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(code_root)}
    start = time.perf_counter()
    subprocess.run([sys.executable, *args], cwd=code_root, env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.startup", description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs of each command (default 7)")
    parser.add_argument("--baseline-commit", help="also time the commands as another commit has them")
    parser.add_argument("--results", type=Path, help="write the figures here as JSON")
    args = parser.parse_args(argv)

    trees = {"this tree": ROOT}
    work = None
    if args.baseline_commit:
        work = Path(tempfile.mkdtemp(prefix="bench-startup-"))
        trees[args.baseline_commit] = work / "tree"
        subprocess.run(["git", "worktree", "add", "--detach", str(work / "tree"), args.baseline_commit], cwd=ROOT,
                       check=True, capture_output=True)
    times: dict[str, list[float]] = {}
    try:
        for _ in range(args.repeat):
            for tree, code_root in trees.items():
                for name, command in COMMANDS.items():
                    if name == "python -c pass" and tree != "this tree":
                        continue
                    label = name if tree == "this tree" else f"{name} ({tree})"
                    times.setdefault(label, []).append(_time(command, code_root))
    finally:
        if work is not None:
            subprocess.run(["git", "worktree", "remove", "--force", str(work / "tree")], cwd=ROOT, capture_output=True)
            shutil.rmtree(work, ignore_errors=True)

    base = statistics.median(times["python -c pass"])
    print(f"| command | median s ({args.repeat} runs) | x python -c pass |")
    print("|---|---|---|")
    for label, values in times.items():
        med = statistics.median(values)
        print(f"| `{label}` | {med:.3f} | {med / base:.1f} |")
    if args.results:
        args.results.write_text(json.dumps({
            "date": time.strftime("%Y-%m-%d"), "machine": f"{os.cpu_count()} cores, {platform.platform()}",
            "python": platform.python_version(), "repeat": args.repeat,
            "seconds": {k: [round(v, 4) for v in vs] for k, vs in times.items()},
            "median_seconds": {k: round(statistics.median(vs), 4) for k, vs in times.items()},
            "ratio_to_python_pass": {k: round(statistics.median(vs) / base, 2) for k, vs in times.items()},
        }, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
