"""Reading YAML seed files with line numbers, and refusing what a seed file never needs.

Every mapping comes back as a :class:`LineDict`, which remembers the line of
the mapping and of each key, so a validation error can name ``file:line``.
Anchors and aliases are refused before anything is expanded, which also shuts
out "billion laughs" alias bombs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from graphmodel.errors import Problem

try:  # the C parser is much faster on large generated seeds
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Seed files above this size are refused: the national synthetic seed splits into several files."""

MAX_DEPTH = 20
"""Seed records are at most a few levels deep; deeper nesting is refused, not recursed into."""


class LineDict(dict):
    """A dict that remembers the 1-based line of the mapping and of each of its keys."""

    __slots__ = ("line", "key_lines")

    def __init__(self, *args: Any, line: int = 0, key_lines: dict[str, int] | None = None):
        super().__init__(*args)
        self.line = line
        self.key_lines = key_lines if key_lines is not None else {}

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A list that remembers the 1-based line of the sequence and of each item."""

    def __init__(self, *args: Any, line: int = 0):
        super().__init__(*args)
        self.line = line
        self.item_lines: list[int] = []

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class _AliasFound(Exception):
    def __init__(self, line: int):
        self.line = line


class _TooDeep(Exception):
    def __init__(self, line: int):
        self.line = line


def _make_loader(stream: Any) -> Any:
    loader = _BaseLoader(stream)
    seen: set[int] = set()

    def construct_object(node: yaml.Node, deep: bool = False, _orig=loader.construct_object) -> Any:
        # The parser shares one node object for an anchor and each of its aliases:
        # meeting a node twice means an alias, refused before it is expanded.
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            if id(node) in seen:
                raise _AliasFound(node.start_mark.line + 1)
            seen.add(id(node))
        return _orig(node, deep=deep)

    def construct_mapping(node: yaml.MappingNode, deep: bool = False) -> LineDict:
        key_lines: dict[str, int] = {}
        result = LineDict(line=node.start_mark.line + 1, key_lines=key_lines)
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) or key is None:
                raise yaml.constructor.ConstructorError(
                    None, None, "a mapping key must be a plain value", key_node.start_mark
                )
            key = str(key)
            if key in result:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            key_lines[key] = key_node.start_mark.line + 1
            result[key] = loader.construct_object(value_node, deep=True)
        return result

    def construct_sequence(node: yaml.SequenceNode, deep: bool = False) -> LineList:
        items = LineList(line=node.start_mark.line + 1)
        for child in node.value:
            items.item_lines.append(child.start_mark.line + 1)
            items.append(loader.construct_object(child, deep=True))
        return items

    loader.construct_object = construct_object
    loader.construct_mapping = construct_mapping
    loader.yaml_constructors = dict(loader.yaml_constructors)
    loader.yaml_constructors["tag:yaml.org,2002:map"] = lambda _l, n: construct_mapping(n)
    loader.yaml_constructors["tag:yaml.org,2002:seq"] = lambda _l, n: construct_sequence(n)
    # Dates stay text here: the schema parses them, so "2024-02-30" is reported at its
    # line as an invalid date instead of failing inside the YAML reader.
    loader.yaml_constructors["tag:yaml.org,2002:timestamp"] = lambda _l, n: n.value
    return loader


def _depth(node: yaml.Node, limit: int) -> None:
    stack = [(node, 1)]
    while stack:
        current, depth = stack.pop()
        if depth > limit:
            raise _TooDeep(current.start_mark.line + 1)
        if isinstance(current, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in current.value)
        elif isinstance(current, yaml.MappingNode):
            stack.extend((v, depth + 1) for _, v in current.value)


def read_yaml(path: Path, display: str) -> tuple[Any, list[Problem]]:
    """Parse one YAML file; return ``(data, problems)``. Never raises for bad content.

    ``display`` is the file name used in problem reports (relative to the seed folder).
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        return None, [Problem(display, 0, "file", f"cannot read: {exc.strerror}")]
    if size > MAX_FILE_BYTES:
        return None, [
            Problem(display, 0, "file", f"file is {size:,} bytes; seed files are limited to {MAX_FILE_BYTES:,}")
        ]
    raw = path.read_bytes()
    if b"\x00" in raw[:8192]:
        return None, [Problem(display, 1, "file", "binary file (NUL bytes): seed files are UTF-8 YAML text")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [
            Problem(display, line, "file", f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); save the file as UTF-8")
        ]
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        return None, [Problem(display, 1, "file", "empty file: a seed file holds a YAML list of records")]
    loader = _make_loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, [Problem(display, 1, "file", "no YAML content (only comments?)")]
        _depth(node, MAX_DEPTH)
        data = loader.construct_document(node)
    except _AliasFound as exc:
        return None, [Problem(display, exc.line, "file", "YAML anchors and aliases (&x, *x) are not allowed in seed files")]
    except _TooDeep as exc:
        return None, [Problem(display, exc.line, "file", f"nested deeper than {MAX_DEPTH} levels")]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        return None, [Problem(display, line, "file", f"YAML syntax: {exc.problem or exc.context}")]
    except yaml.YAMLError as exc:
        return None, [Problem(display, 0, "file", f"YAML: {exc}")]
    except RecursionError:
        return None, [Problem(display, 0, "file", "nested too deeply to read")]
    finally:
        loader.dispose()
    if data is None:  # "~" or "null": a file that says nothing must not pass as an empty list
        return None, [Problem(display, 1, "file", "the document is null: a seed file holds a YAML list of records")]
    return data, []
