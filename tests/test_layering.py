"""The house rules of the layout (issue 22), checked on the package itself.

Folders are layers and imports read one way (the contracts are in pyproject.toml
``[tool.importlinter]``); there is no import cycle, not even through an import
inside a function; runtime policy (the garbage collector) is set only at the
entry points; no module is longer than a reader can hold; and ``graphmodel
--help`` starts without the analytics, pandas, SciPy or the Neo4j driver.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import grimp
import networkx as nx
import pytest
from conftest import ROOT

PACKAGE = ROOT / "graphmodel"
MAX_LINES = 600
ENTRY_POINTS = ("graphmodel.util.runtime", "graphmodel.pipeline", "graphmodel.cli")
"""Where runtime policy may be set: the helpers themselves, the main job, the command line."""


@pytest.fixture(scope="module")
def imports() -> grimp.ImportGraph:
    # every import statement, at module level or inside a function (grimp reads the source, not sys.modules)
    return grimp.build_graph("graphmodel", include_external_packages=True)


def _internal_digraph(graph: grimp.ImportGraph) -> nx.DiGraph:
    D = nx.DiGraph()
    for module in graph.modules:
        if module.startswith("graphmodel"):
            D.add_node(module)
            D.add_edges_from((module, d) for d in graph.find_modules_directly_imported_by(module)
                             if d.startswith("graphmodel"))
    return D


def test_lint_imports_keeps_every_contract():
    """The CLI of import-linter, as `make check` runs it: exit 0 and every contract named KEPT."""
    proc = subprocess.run([str(Path(sys.executable).parent / "lint-imports")], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout
    assert proc.stdout.count(" KEPT") >= 3


def test_no_import_cycle_between_modules(imports):
    """A cycle through a lazy import is still a cycle: the two modules cannot be understood apart."""
    cycles = list(nx.simple_cycles(_internal_digraph(imports)))
    assert cycles == []


def test_the_cycle_check_sees_a_cycle():
    """The check above would fail on a cycle (a hand-made one: a imports b, b imports a)."""
    D = nx.DiGraph([("graphmodel.a", "graphmodel.b"), ("graphmodel.b", "graphmodel.a")])
    assert [sorted(c) for c in nx.simple_cycles(D)] == [["graphmodel.a", "graphmodel.b"]]


def test_only_entry_points_touch_the_garbage_collector(imports):
    """A notebook user who calls an analytic keeps the collector as they set it (issue 22)."""
    users = {m for m in imports.find_modules_that_directly_import("gc")}
    users |= {m for m in imports.find_modules_that_directly_import("graphmodel.util.runtime")}
    assert users, "the main job pauses the collector: someone must import it"
    stray = sorted(m for m in users if not m.startswith(ENTRY_POINTS))
    assert stray == []


def _code_lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_no_module_is_longer_than_600_lines():
    long = {str(p.relative_to(ROOT)): _code_lines(p) for p in PACKAGE.rglob("*.py") if _code_lines(p) > MAX_LINES}
    assert long == {}


def test_no_module_imports_a_private_name_of_another():
    """``from graphmodel.x import _y`` across modules couples them through what x said was its own.

    The tests, benchmarks and notebooks too: they use the package as its users do, through public names.
    """
    found = []
    paths = [p for folder in ("graphmodel", "tests", "bench", "notebooks") for p in (ROOT / folder).rglob("*.py")]
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("graphmodel"):
                found += [f"{path.relative_to(ROOT)}: {node.module}.{a.name}" for a in node.names
                          if a.name.startswith("_") and not a.name.startswith("__")]
    assert found == []


HEAVY = ("pandas", "scipy", "neo4j", "graphmodel.analytics", "matplotlib", "igraph", "spacy")

_PROBE = """
import json, sys
from graphmodel.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


@pytest.mark.parametrize("argv", [["--help"], ["validate", "--help"]])
def test_help_imports_no_analytics_pandas_scipy_or_driver(argv):
    proc = subprocess.run([sys.executable, "-c", _PROBE, *argv], capture_output=True, text=True, timeout=120,
                          cwd=ROOT)
    assert "Usage" in proc.stdout
    loaded = json.loads(proc.stderr.strip().splitlines()[-1])
    heavy = sorted(m for m in loaded if m.split(".")[0] in HEAVY or m.startswith(HEAVY))
    assert heavy == []
