"""Reading seed files into records: which files a seed has, each record checked against the schema.

Every problem found is added to a list as ``file:line: field: message`` (see
:class:`~graphmodel.errors.Problem`), so that one run reports them all.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from graphmodel.errors import Problem
from graphmodel.model.schema import (
    LINE_CONTROLS,
    LINE_PATTERN,
    NODE_MODELS,
    REL_MODELS,
    TEXT_CONTROLS,
    TEXT_PATTERN,
    AnyNode,
    AnyRel,
    NationalityTerm,
    NodeLabel,
    Relationship,
)
from graphmodel.seed.dataset import Origin
from graphmodel.seed.yamlfile import LineDict, LineList, read_yaml

__all__ = [
    "NODE_FILES", "RELATIONSHIP_FILES", "VOCABULARY_FILE", "Record", "read_nodes", "read_relationships",
    "read_vocabulary", "seed_files",
]

NODE_FILES: dict[str, NodeLabel] = {
    "sources": NodeLabel.SOURCE,
    "regions": NodeLabel.REGION,
    "agencies": NodeLabel.AGENCY,
    "people": NodeLabel.PERSON,
    "meetings": NodeLabel.MEETING,
    "programmes": NodeLabel.PROGRAMME,
    "cohorts": NodeLabel.MIGRANT_COHORT,
    "facilities": NodeLabel.FACILITY,
    "instruments": NodeLabel.LEGAL_INSTRUMENT,
}
"""Seed file (or folder) name -> the node type its records are."""

RELATIONSHIP_FILES = "relationships"
VOCABULARY_FILE = "vocabulary.yaml"

_REL_ADAPTER: TypeAdapter[Any] = TypeAdapter(Relationship)


@dataclass
class Record:
    """One record as read: its fields (with their lines) and the seed-relative file it is in."""

    data: LineDict
    file: str


def seed_files(seed_dir: Path, problems: list[Problem]) -> dict[str, list[Path]]:
    """Map each seed file kind to its files; anything unexpected is a problem, not ignored.

    A seed file must be a regular file inside the seed folder: a symbolic link leading outside it (whose
    content would then be quoted in problem messages) and a named pipe (whose reading would wait for ever)
    are refused, as source documents are.
    """
    found: dict[str, list[Path]] = defaultdict(list)
    root = seed_dir.resolve()

    def usable(path: Path) -> bool:
        shown = _rel(path, seed_dir)
        try:
            real = path.resolve(strict=True)
        except (OSError, RuntimeError):
            problems.append(Problem(shown, 0, "file", "cannot be followed (a dangling link or a loop of links)"))
            return False
        if not real.is_relative_to(root):
            problems.append(Problem(shown, 0, "file", "leads outside the seed folder through a symbolic link; "
                                                      "a seed file is a file inside it"))
            return False
        if not (real.is_file() or real.is_dir()):
            problems.append(Problem(shown, 0, "file", "not a regular file (a named pipe, socket or device)"))
            return False
        return True

    for path in sorted(seed_dir.iterdir()):
        is_yaml = path.suffix in {".yaml", ".yml"}
        # (the `sources/` folder of documents is checked text by text, in _source_texts)
        if (is_yaml or path.name == RELATIONSHIP_FILES or path.name in NODE_FILES.keys() - {"sources"}) and not usable(path):
            continue
        stem = path.stem if path.is_file() else path.name
        if path.is_file() and is_yaml:
            if stem in NODE_FILES or stem == RELATIONSHIP_FILES or path.name == VOCABULARY_FILE:
                found[stem].append(path)
            else:
                problems.append(Problem(path.name, 0, "file", _unknown_file_message()))
        elif path.is_dir() and stem != "sources" and (stem in NODE_FILES or stem == RELATIONSHIP_FILES):
            # (`sources/` is the corpus of documents, not a folder of Source records)
            for child in sorted(path.iterdir()):
                if child.suffix in {".yaml", ".yml"} and not usable(child):
                    continue
                if child.suffix in {".yaml", ".yml"} and child.is_file():
                    found[stem].append(child)
                elif child.is_file() and child.name != "README.md":
                    problems.append(Problem(_rel(child, seed_dir), 0, "file", "not a .yaml file"))
    if "sources" not in found:
        problems.append(Problem("sources.yaml", 0, "file", "missing: every seed needs its sources"))
    return found


def _unknown_file_message() -> str:
    names = ", ".join(f"{n}.yaml" for n in [*NODE_FILES, RELATIONSHIP_FILES]) + f", {VOCABULARY_FILE}"
    return f"unknown seed file (expected one of: {names})"


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _records(path: Path, seed_dir: Path, problems: list[Problem]) -> Iterator[Record]:
    display = _rel(path, seed_dir)
    data, read_problems = read_yaml(path, display)
    problems.extend(read_problems)
    if data is None:
        return
    if not isinstance(data, list):
        problems.append(Problem(display, getattr(data, "line", 1), "file", "a seed file holds a YAML list of records"))
        return
    for index, item in enumerate(data):
        if not isinstance(item, LineDict):
            line = data.line_of(index) if isinstance(data, LineList) else 1
            problems.append(Problem(display, line, f"[{index}]", "each record is a mapping of field: value"))
            continue
        yield Record(item, display)


def _pydantic_problems(exc: ValidationError, record: Record, skip_first: bool = False) -> list[Problem]:
    """Turn pydantic's structured errors into ``file:line: field: message`` problems."""
    out = []
    for err in exc.errors(include_url=False):
        loc = list(err["loc"])
        if skip_first and loc and isinstance(loc[0], str) and loc[0] in REL_MODELS:
            loc = loc[1:]  # the discriminated union puts the tag first
        line, container = record.data.line, record.data
        for part in loc:
            if isinstance(container, LineDict) and isinstance(part, str) and part in container:
                line = container.line_of(part)
                container = container[part]
            elif isinstance(container, list) and isinstance(part, int) and part < len(container):
                line = container.line_of(part) if isinstance(container, LineList) else line
                container = container[part]
                line = getattr(container, "line", line)
            else:
                break
        name = "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else str(p)) for i, p in enumerate(loc))
        message = err["msg"]
        if err["type"] == "extra_forbidden":
            message = "unknown field"
        elif err["type"] == "missing":
            message = "required field is missing"
        elif err["type"] == "string_pattern_mismatch":
            message = _text_problem(err) or message
        elif err["type"] == "union_tag_invalid":
            name = "type"
            message = f"unknown relationship type {err['input'].get('type') if isinstance(err['input'], dict) else ''!r}; allowed: {', '.join(REL_MODELS)}"
        elif err["type"] == "union_tag_not_found":
            name = "type"
            message = "required field is missing (the relationship type)"
        out.append(Problem(record.file, line, name or "record", message))
    return out


def _text_problem(err: Mapping[str, Any]) -> str | None:
    r"""Say which character a text field may not hold, where pydantic only repeats its pattern.

    >>> _text_problem({"type": "string_pattern_mismatch", "input": "IOM\x1b[31m",
    ...                "ctx": {"pattern": LINE_PATTERN}})
    'control character U+001B at position 4 (ESC) is not allowed in one-line text'
    """
    text = err.get("input")
    if not isinstance(text, str):
        return None
    pattern = (err.get("ctx") or {}).get("pattern")
    if pattern not in (TEXT_PATTERN, LINE_PATTERN):
        return None
    match = (_TEXT_CONTROL if pattern == TEXT_PATTERN else _LINE_CONTROL).search(text)
    if match is None:
        return None
    ch = match.group()
    where = "one-line text" if pattern == LINE_PATTERN else "text (tab and line feed are allowed)"
    name = _CONTROL_NAMES.get(ch) or unicodedata.name(ch, "")
    return f"control character U+{ord(ch):04X} at position {match.start() + 1}{f' ({name})' if name else ''} is not allowed in {where}"


_TEXT_CONTROL = re.compile(f"[{TEXT_CONTROLS}]")
_LINE_CONTROL = re.compile(f"[{LINE_CONTROLS}]")
_CONTROL_NAMES = {"\x00": "NUL", "\x07": "BEL", "\x08": "BACKSPACE", "\t": "TAB", "\n": "LINE FEED",
                  "\r": "CARRIAGE RETURN", "\x1b": "ESC", "\x7f": "DEL"}


def read_nodes(
    files: dict[str, list[Path]], seed_dir: Path, problems: list[Problem], invalid: dict[str, NodeLabel]
) -> tuple[list[AnyNode], dict[str, Origin], dict[str, LineDict]]:
    """Read node records; ids of records that fail the schema go to ``invalid``.

    Keeping those ids lets the cross-checks skip references to them, so one
    bad record is reported once, not again at every relationship that names it.
    """
    nodes: list[AnyNode] = []
    origins: dict[str, Origin] = {}
    lines: dict[str, LineDict] = {}
    seen: dict[str, Origin] = {}
    for stem, label in NODE_FILES.items():
        model = NODE_MODELS[label]
        for path in files.get(stem, []):
            for rec in _records(path, seed_dir, problems):
                if "label" in rec.data:
                    problems.append(Problem(rec.file, rec.data.line_of("label"), "label", "unknown field (the node type comes from the file name)"))
                    if isinstance(rec.data.get("id"), str):
                        invalid[rec.data["id"]] = label
                    continue
                try:
                    node = model.model_validate(rec.data)
                except ValidationError as exc:
                    problems.extend(_pydantic_problems(exc, rec))
                    if isinstance(rec.data.get("id"), str):
                        invalid[rec.data["id"]] = label
                    continue
                origin = Origin(rec.file, rec.data.line)
                if node.id in seen:
                    first = seen[node.id]
                    problems.append(Problem(rec.file, rec.data.line_of("id"), "id", f"duplicate id {node.id!r} (first defined at {first.file}:{first.line})"))
                    continue
                seen[node.id] = origin
                origins[node.id] = origin
                lines[node.id] = rec.data
                nodes.append(node)
    return nodes, origins, lines


def read_relationships(
    files: dict[str, list[Path]], seed_dir: Path, problems: list[Problem]
) -> Iterator[tuple[AnyRel, Record]]:
    """Each relationship that passes the schema, with its record, as it is read.

    A generator, so the caller checks each record and lets it go: a national
    seed has millions of them.
    """
    # the core validator itself: TypeAdapter.validate_python's wrapper adds work to every one of millions of records
    validate = getattr(_REL_ADAPTER, "validator", _REL_ADAPTER).validate_python
    for path in files.get(RELATIONSHIP_FILES, []):
        for rec in _records(path, seed_dir, problems):
            try:
                rel = validate(rec.data)
            except ValidationError as exc:
                problems.extend(_pydantic_problems(exc, rec, skip_first=True))
                continue
            yield rel, rec


def read_vocabulary(
    files: dict[str, list[Path]], seed_dir: Path, problems: list[Problem], invalid_terms: set[str]
) -> list[NationalityTerm]:
    """Read ``vocabulary.yaml``'s nationalities; the names of entries that fail the schema go to ``invalid_terms``."""
    terms: list[NationalityTerm] = []
    for path in files.get("vocabulary", []):
        display = _rel(path, seed_dir)
        data, read_problems = read_yaml(path, display)
        problems.extend(read_problems)
        if data is None:
            continue
        if not isinstance(data, LineDict) or set(data) - {"nationalities"}:
            problems.append(Problem(display, getattr(data, "line", 1), "file", "vocabulary.yaml is a mapping with the key 'nationalities'"))
            continue
        items = data.get("nationalities") or []
        if not isinstance(items, list):
            problems.append(Problem(display, data.line_of("nationalities"), "nationalities", "a list of {name, iso3, aliases}"))
            continue
        for index, item in enumerate(items):
            if not isinstance(item, LineDict):
                problems.append(Problem(display, data.line_of("nationalities"), f"nationalities[{index}]", "each entry is a mapping"))
                continue
            try:
                terms.append(NationalityTerm.model_validate(item))
            except ValidationError as exc:
                if isinstance(item.get("name"), str):
                    invalid_terms.add(item["name"])
                rec = Record(item, display)
                problems.extend(
                    Problem(p.file, p.line, f"nationalities[{index}].{p.field}", p.message) for p in _pydantic_problems(exc, rec)
                )
    return terms
