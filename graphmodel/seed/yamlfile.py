"""Reading YAML seed files with line numbers, and refusing what a seed file never needs.

Every mapping comes back as a :class:`LineDict`, which remembers the line of
the mapping and of each key, so a validation error can name ``file:line``.
Anchors and aliases are refused before anything is expanded, which also shuts
out "billion laughs" alias bombs.

A file whose records are each one line ``- {JSON object}`` (what ``graphmodel
synth`` writes; JSON is a subset of YAML) is read with :mod:`json` instead of
the YAML parser, to exactly the same data and line numbers; anything else, and
every file with a problem, is read (and reported) by the YAML path.
"""

from __future__ import annotations

import json
import re
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
        """The line of ``key``'s value, or of the mapping when the key is not there."""
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A list that remembers the 1-based line of the sequence and of each item."""

    def __init__(self, *args: Any, line: int = 0):
        super().__init__(*args)
        self.line = line
        self.item_lines: list[int] = []

    def line_of(self, index: int) -> int:
        """The line of item ``index``, or of the sequence when the item's line is not known."""
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


# PyYAML (YAML 1.1) resolves a plain scalar as a float only in this form; a JSON number outside
# it (1e5, 1.5e10) is a string to PyYAML, so such a file goes the YAML way.
_YAML_FLOAT = re.compile(r"[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?")
# Characters the YAML reader refuses (yaml.reader.Reader.NON_PRINTABLE), and those it reads as line
# breaks (a JSON string may hold them raw; YAML would fold them and count another line). A tab is
# whitespace to JSON and to libyaml in flow context but not to pure-Python PyYAML: the YAML way too.
NOT_JSON_LINES_TEXT = re.compile("[^\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
ASCII_JSON_LINES_TEXT = bytes([0x0A, 0x0D, *range(0x20, 0x7F)])  # the ASCII characters NOT_JSON_LINES_TEXT allows
# \uD800-\uDFFF: JSON pairs surrogate escapes into one character, YAML refuses them
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


# YAML allows an implicit key of at most 1024 characters of source; a JSON key's source (quotes,
# \uXXXX escapes) is at most 6 per character plus 2, so a key of up to 170 characters is safe
# (only the keys of lines of _SHORT_LINE characters or more are measured: a shorter line has no room)
_MAX_KEY_CHARS = 170


class _NotJsonLines(Exception):
    pass


def _json_float(text: str) -> float:
    if not _YAML_FLOAT.fullmatch(text):
        raise _NotJsonLines
    return float(text)


def _json_constant(_text: str) -> Any:
    raise _NotJsonLines  # NaN / Infinity: not JSON, and plain strings to YAML


# A colon written as an escape hides from the duplicate-key count of json_lines_records
_COLON_ESCAPE = re.compile(r"\\u003[aA]")
# YAML refuses an implicit key whose ':' comes more than 1024 characters after the key begins; a line
# shorter than this cannot hold one, and longer lines have their keys measured
_SHORT_LINE = 1000
_SCAN = json.JSONDecoder(parse_float=_json_float, parse_constant=_json_constant).scan_once  # type: ignore[attr-defined]  # set by JSONDecoder.__init__


def _long_key(value: Any) -> bool:
    """Whether a decoded value holds a mapping key longer than :data:`_MAX_KEY_CHARS`."""
    if type(value) is dict:
        return (bool(value) and max(map(len, value)) > _MAX_KEY_CHARS) or any(map(_long_key, value.values()))
    if type(value) is list:
        return any(map(_long_key, value))
    return False


def json_lines_records(text: str) -> LineList | None:
    r"""The records of a text made only of ``- {JSON object}`` lines, comments and blank lines; else None.

    The result has the data the YAML path gives and the same line numbers:
    each record is a :class:`LineDict` on its line, and what it holds (every
    key, item and nested mapping) is on that line too, which ``line_of``
    falls back to; nested mappings and lists are plain ``dict`` and ``list``
    (making each a LineDict was most of the reading time). None for anything
    else, including every text the YAML path would refuse.

    Each line is decoded by :mod:`json`'s C scanner without hooks. JSON keeps
    the last of duplicate keys where YAML refuses them, so duplicates are
    found by counting colons: outside strings, a JSON text has one per
    key-value pair, and a colon in a string is written as a colon (escaped
    ones send the file the YAML way), so the text has exactly as many colons
    as the decoded records written back out, and more if a key repeated.

    Examples
    --------
    >>> records = json_lines_records('# a comment\n- {"id": "iom", "name": "IOM"}\n')
    >>> records, records[0].line
    ([{'id': 'iom', 'name': 'IOM'}], 2)
    >>> json_lines_records('- {"id": "iom", "id": "unhcr"}\n') is None  # a duplicate key: the YAML way reports it
    True
    """
    if text.isascii():
        # the same test as NOT_JSON_LINES_TEXT on ASCII text, without a regex: delete every allowed byte
        if text.encode("ascii").translate(None, ASCII_JSON_LINES_TEXT):
            return None
    elif NOT_JSON_LINES_TEXT.search(text):
        return None
    if _SURROGATE_ESCAPE.search(text) or _COLON_ESCAPE.search(text):
        return None
    lines = text.split("\n")
    if "\r" in text:
        # CRLF line ends are the same lines to YAML; a lone CR is another line break to it, not to split()
        if text.count("\r") != text.count("\r\n"):
            return None
        lines = [line.removesuffix("\r") for line in lines]
    scan = _SCAN
    records = LineList()
    item_lines = records.item_lines
    colons = 0
    try:
        for line_no, line in enumerate(lines, start=1):
            if not line.startswith("- {"):
                stripped = line.lstrip(" ")
                if not stripped or stripped.startswith("#"):
                    continue
                return None
            # every { and [ can open a level: a line that might nest too deep goes the YAML way, which reports it
            if line.count("{") + line.count("[") > MAX_DEPTH - 1:
                return None
            record, end = scan(line, 2)
            if end != len(line) and line[end:].strip(" "):
                return None  # more after the object (only spaces may follow it)
            if len(line) >= _SHORT_LINE and _long_key(record):
                return None
            colons += line.count(":")
            records.append(LineDict(record, line=line_no))
            item_lines.append(line_no)
    except (ValueError, StopIteration, _NotJsonLines):  # not JSON, or a number or constant YAML reads otherwise
        return None
    if not records:
        return None
    if json.dumps(records, ensure_ascii=False, check_circular=False).count(":") != colons:
        return None  # a duplicate key: the YAML path reports it with its line
    records.line = item_lines[0]
    return records


def read_yaml(path: Path, display: str, *, json_lines: bool = True) -> tuple[Any, list[Problem]]:
    """Parse one YAML file; return ``(data, problems)``. Never raises for bad content.

    Parameters
    ----------
    path : Path
        The file to read.
    display : str
        The file name used in problem reports (relative to the seed folder).
    json_lines : bool
        Read a file of ``- {JSON object}`` lines with :func:`json_lines_records`
        (the default); False reads every file the YAML way, to the same data
        and line numbers (the reference the JSON way is tested against).

    Returns
    -------
    data : LineList, LineDict, scalar or None
        The file's content with line numbers; None when it cannot be read.
    problems : list of Problem
        What is wrong with the file, as ``file:line: field: message``.
    """
    return _read_yaml(path, display, json_lines)


def _read_yaml(path: Path, display: str, json_lines: bool = True) -> tuple[Any, list[Problem]]:
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
    records = json_lines_records(text) if json_lines else None
    if records is not None:
        return records, []
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
