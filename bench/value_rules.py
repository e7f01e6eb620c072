"""``python -m bench.value_rules SEED_DIR OLD_SCHEMA``: what the one rule for every value costs validation.

Issue 20 gave every text, date and number field of ``graphmodel/model/schema.py`` its rule (no control characters,
a maximum length, a date window, finite numbers within JSON's exact integers), checked by pydantic-core's
own constraints. This validates the relationship and meeting records of a seed (the JSON-lines files that
``graphmodel synth`` writes) with the current schema and with an older ``schema.py`` given by path (for
example ``git show 0c5ed85:graphmodel/schema.py > /tmp/old_schema.py``), in the same process, rounds
alternating, and prints the best round of each and their ratio (the older schema is the baseline).
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import sys
import time
from pathlib import Path
from types import ModuleType

from pydantic import TypeAdapter
from rich.progress import track


def _module(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _records(folder: Path) -> list[dict]:
    """The records of the JSON-lines seed files under ``folder`` (one ``- {...}`` a line)."""
    return [json.loads(line[2:]) for path in sorted(folder.glob("*.yaml"))
            for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("- {")]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seed", type=Path, help="a synthetic seed folder (graphmodel synth)")
    parser.add_argument("old_schema", type=Path, help="an older schema module (graphmodel/schema.py before the move), the baseline")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    import graphmodel.model.schema as current

    schemas = {"baseline": _module("baseline_schema", args.old_schema), "with the rules": current}
    rels, meetings = _records(args.seed / "relationships"), _records(args.seed / "meetings")
    if not rels:
        raise SystemExit(f"no JSON-lines relationship records under {args.seed / 'relationships'}")
    best = {name: float("inf") for name in schemas}
    gc.disable()  # as the seed reader does: validation makes objects and frees none
    for _ in track(range(args.rounds), description="validating", transient=True):
        for name, schema in schemas.items():
            validate_rel = TypeAdapter(schema.Relationship).validator.validate_python
            validate_meeting = schema.Meeting.model_validate
            start = time.perf_counter()
            for record in rels:
                validate_rel(record)
            for record in meetings:
                validate_meeting(record)
            best[name] = min(best[name], time.perf_counter() - start)
    print(f"{len(rels):,} relationships and {len(meetings):,} meetings, best of {args.rounds} rounds")
    for name, seconds in best.items():
        print(f"{name:>15}: {seconds:.3f} s  ({seconds / best['baseline']:.2f} x baseline)")


if __name__ == "__main__":
    main()
