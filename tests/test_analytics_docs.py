"""Every public analytic is documented as networkx documents its algorithms.

A function of ``graphmodel.analytics.__all__`` (also one behind a cache, such
as ``load_mandates``) must have the numpydoc sections Parameters (when it
takes any), Returns, See Also, References and Examples; every name under See
Also must resolve, in ``graphmodel.analytics`` or as a dotted path that
imports. The examples themselves run as doctests (``--doctest-modules``).
"""

from __future__ import annotations

import importlib
import inspect
import re

import pytest

import graphmodel.analytics as A

SECTIONS = ("Parameters", "Returns", "See Also", "References", "Examples")


def _public_functions() -> list[str]:
    return sorted(
        n for n in A.__all__ if not inspect.isclass(getattr(A, n)) and inspect.isfunction(inspect.unwrap(getattr(A, n)))
    )


def _sections(doc: str) -> dict[str, list[str]]:
    """The numpydoc sections of a docstring: title -> its lines (a title is underlined with dashes)."""
    lines = doc.splitlines()
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for i, line in enumerate(lines):
        underline = lines[i + 1] if i + 1 < len(lines) else ""
        if line.strip() and re.fullmatch(r"-{3,}", underline.strip()) and len(underline.strip()) == len(line.strip()):
            current = found.setdefault(line.strip(), [])
            continue
        if current is not None and not re.fullmatch(r"-{3,}", line.strip()):
            current.append(line)
    return found


def _see_also_names(lines: list[str]) -> list[str]:
    """The names an entry of See Also lists: ``a, b : text`` gives ``a`` and ``b``; indented lines are text."""
    names = []
    for line in lines:
        if not line.strip() or line[:1].isspace():
            continue
        head = line.split(" : ", 1)[0]
        for name in head.split(","):
            name = re.sub(r"^:\w+:", "", name.strip()).strip("`~ ")
            if name:
                names.append(name)
    return names


def _resolves(name: str) -> bool:
    """Whether ``name`` is an attribute path from ``graphmodel.analytics`` or an importable dotted path."""
    head, *rest = name.split(".")
    obj: object = A
    if hasattr(obj, head):
        obj = getattr(obj, head)
        try:
            for part in rest:
                obj = getattr(obj, part)
        except AttributeError:
            return False
        return True
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            for part in parts[cut:]:
                obj = getattr(obj, part)
        except AttributeError:
            return False
        return True
    return False


def test_the_section_reader_reads_numpydoc():
    doc = inspect.cleandoc(
        """Summary.

        Parameters
        ----------
        x : int
            A number.

        See Also
        --------
        coordination_network : the ties.
        tie_summary, graphmodel.analytics.ties.stale_ties
            Two more.
        :func:`~graphmodel.analytics.network.coordination_digraph`
        """
    )
    sections = _sections(doc)
    assert list(sections) == ["Parameters", "See Also"]
    assert _see_also_names(sections["See Also"]) == [
        "coordination_network",
        "tie_summary",
        "graphmodel.analytics.ties.stale_ties",
        "graphmodel.analytics.network.coordination_digraph",
    ]
    assert all(map(_resolves, _see_also_names(sections["See Also"])))
    assert not _resolves("no_such_analytic") and not _resolves("graphmodel.analytics.ties.no_such_analytic")


def test_the_public_functions_are_found():
    names = _public_functions()
    assert {"coordination_network", "network_fragility", "load_mandates", "to_frame"} <= set(names)
    assert "Analysis" not in names and "BROKERAGE_ROLES" not in names


@pytest.mark.parametrize("name", _public_functions())
def test_public_analytic_has_the_numpydoc_sections(name):
    f = getattr(A, name)
    sections = _sections(inspect.getdoc(f) or "")
    wanted = [s for s in SECTIONS if s != "Parameters" or inspect.signature(f).parameters]
    missing = [s for s in wanted if not "".join(sections.get(s, [])).strip()]
    assert not missing, f"{name}: the docstring lacks {', '.join(missing)}"
    assert ">>>" in "\n".join(sections["Examples"]), f"{name}: the Examples section has no doctest"


@pytest.mark.parametrize("name", _public_functions())
def test_see_also_names_resolve(name):
    sections = _sections(inspect.getdoc(getattr(A, name)) or "")
    names = _see_also_names(sections.get("See Also", []))
    unknown = [n for n in names if not _resolves(n)]
    assert not unknown, f"{name}: See Also names {', '.join(unknown)}, which is not in graphmodel.analytics"
