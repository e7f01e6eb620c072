"""The JSON-lines fast path of the seed reader gives exactly what the YAML path gives.

``graphmodel synth`` writes one record per line as ``- {JSON object}``; such
files are read with :mod:`json`. These tests read the same text both ways
(the YAML way by switching the fast path off) and compare data, container
types and every line number, and the problems reported.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphmodel.seed import yamlfile
from graphmodel.seed.yamlfile import LineDict, LineList, read_yaml


def _shape(value: Any, line: int | None = None) -> Any:
    """Data and line numbers (as ``line_of`` answers, what error messages use) as one comparable structure.

    ``line``: the line of the enclosing container. A plain dict or list is
    allowed only inside a record (the fast path's nested containers), and is
    on the line of what holds it, which ``line_of`` falls back to there.
    """
    if isinstance(value, LineDict):
        return ("map", value.line, [(k, value.line_of(k), _shape(v, value.line)) for k, v in value.items()])
    if isinstance(value, LineList):
        return ("seq", value.line, [value.line_of(i) for i in range(len(value))], [_shape(v, value.line) for v in value])
    if isinstance(value, dict) and line is not None:
        return ("map", line, [(k, line, _shape(v, line)) for k, v in value.items()])
    if isinstance(value, list) and line is not None:
        return ("seq", line, [line] * len(value), [_shape(v, line) for v in value])
    if isinstance(value, (dict, list)):
        return ("plain " + type(value).__name__, repr(value))  # never expected at the top: fails the comparison loudly
    return (type(value).__name__, value)


def _both_ways(path: Path) -> tuple[Any, Any]:
    fast_data, fast_problems = read_yaml(path, "f.yaml")
    slow_data, slow_problems = read_yaml(path, "f.yaml", json_lines=False)
    return (_shape(fast_data), fast_problems), (_shape(slow_data), slow_problems)


def _same(tmp_path: Path, text: str) -> bool:
    """Assert both ways agree on ``text``; return whether the fast path took it."""
    path = tmp_path / "f.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    fast, slow = _both_ways(path)
    assert fast == slow
    return yamlfile.json_lines_records(text.removeprefix("\ufeff")) is not None


json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["yes", "no", "~", "null", "2024-02-30", "1e5", "0x10", "1:30", "<<", "#x", "a: b", "- x", "\\/", "\x85", "\u2028", "\ufeff"])
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)
records = st.dictionaries(st.text(max_size=8), json_values, max_size=5)


@st.composite
def json_lines_files(draw: st.DrawFn) -> str:
    lines = []
    for record in draw(st.lists(records, min_size=1, max_size=6)):
        separators = draw(st.sampled_from([(", ", ": "), (",", ":"), (",  ", " : ")]))
        ensure_ascii = draw(st.booleans())
        lines += draw(st.sampled_from([[], [""], ["# a comment"], ["  # indented comment"], ["   "]]))
        lines.append("- " + json.dumps(record, separators=separators, ensure_ascii=ensure_ascii) + draw(st.sampled_from(["", " ", "  "])))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return draw(st.sampled_from(["", "\ufeff", "# header\n"])) + newline.join(lines) + draw(st.sampled_from(["", newline]))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=json_lines_files())
def test_fast_path_reads_random_json_lines_files_as_yaml_does(tmp_path: Path, text: str):
    _same(tmp_path, text)


def test_generated_seed_files_take_the_fast_path(tmp_path: Path):
    text = (
        "# Synthetic seed\n"
        '- {"id": "a", "name": "A", "evidence": [{"source": "s", "quote": "q"}], "size": 12, "share": 0.5}\n'
        '- {"id": "b", "name": "B \\u00e9\\"\\/", "aliases": ["x", ["y"]], "empty": {}, "none": null, "ok": true}\n'
    )
    assert _same(tmp_path, text)
    data, problems = read_yaml(tmp_path / "f.yaml", "f.yaml")
    assert problems == [] and data.line == 2 and data.item_lines == [2, 3] and data[1].line_of("aliases") == 3


@pytest.mark.parametrize(
    "text",
    [
        '- {"a": 1, "a": 2}\n',  # duplicate key: reported by the YAML path with its line
        '- {"e": [{"s": "x", "q": "y", "s": "z"}]}\n',  # ... nested
        '- {"a": "k: v", "b": {"c": 1, "c": 2}}\n',  # ... beside a colon in a string
        '- {"a": 1}\n- {"b": {"c": "1:2"}, "b": 3}\n',  # ... whose lost value held colons
        '- {"a": "\\u003a", "b": 1, "b": 2}\n',  # a colon written as an escape would hide a duplicate from the count
        '- {"a": 1} {"b": 2}\n',  # more than one object on a line
        '- {"a": 1}, {"b": 2}\n',
        '- {"a": 1e5}\n',  # a string to YAML 1.1
        '- {"a": 1.5e10}\n',
        '- {"a":\t1}\n',
        '- {"a": "x\x85y"}\n',  # a line break to YAML
        '- {"a": "x\u2028y"}\n',
        '- {"a": "x\x7fy"}\n',  # not printable
        '- {"a": "\\ud83d\\ude00"}\n',  # surrogate escapes
        '- {"a": 1} # comment\n',
        '- {"a": 1}\r- {"b": 2}\n',  # a lone CR
        '- {"a": 1}\n- [1, 2]\n',
        '- {"a": 1}\n- "text"\n',
        '- {"a": 1}\nb: 2\n',
        '- {"a": 1}\n  - {"b": 2}\n',
        "- {" + '"a": [' * 25 + "1" + "]" * 25 + "}\n",  # too deep
        '- {"' + "k" * 1100 + '": 1}\n',  # an implicit key longer than YAML allows
        '- {"a": [{"' + "k" * 1100 + '": 1}]}\n',  # ... nested
        '- {"q": "' + "x" * 990 + '", "' + "k" * 171 + '": 1}\n',  # a long line: its keys are measured
        '- {"a": NaN}\n',
        '- {"a": 1\n',
        "# only a comment\n",
        "---\n- {\"a\": 1}\n",
        '-  {"a": 1}\n',
        '- {"a": 01}\n',
    ],
)
def test_anything_else_is_read_the_yaml_way(tmp_path: Path, text: str):
    assert not _same(tmp_path, text)


@pytest.mark.parametrize(
    "text",
    [
        '- {"' + "k" * 300 + '": 1}\n',  # a long key on a short line: within YAML's 1024 characters
        '- {"a": "x: y", "b": [{"c": "1:2", "d": {"e": ":"}}]}\n',  # colons in strings, none repeated
        '- {"a": {}, "b": [], "c": [[], {}], "d": "\\" : \\\\"}\n',
    ],
)
def test_more_json_lines_take_the_fast_path(tmp_path: Path, text: str):
    assert _same(tmp_path, text)


def test_ascii_check_is_the_character_class_on_every_ascii_character():
    """The fast test of ASCII text refuses exactly the ASCII characters the general pattern refuses."""
    for code in range(128):
        char = chr(code)
        fast = bool(char.encode("ascii").translate(None, yamlfile.ASCII_JSON_LINES_TEXT))
        assert fast == bool(yamlfile.NOT_JSON_LINES_TEXT.search(char)), repr(char)
