"""Seed files -> a validated :class:`Dataset`.

``load_seed(seed_dir)`` reads every seed file, checks each record against the
schema, then checks the records against each other (no duplicate or dangling
ids, relationship endpoints of allowed types, evidence quotes found verbatim in
their source, official region codes and names) and raises one
:class:`~graphmodel.errors.SeedValidationError` listing every problem as
``file:line: field: message``. Nothing is returned, so nothing can be written,
from an invalid seed.
"""

from __future__ import annotations

import errno
import os
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pydantic import TypeAdapter, ValidationError

from graphmodel.errors import Problem, SeedValidationError
from graphmodel.model.regions import DATA_DIR, official_regions, reference_path
from graphmodel.model.schema import (
    DERIVED_RELS,
    ENDPOINTS,
    LINE_CONTROLS,
    LINE_PATTERN,
    NODE_MODELS,
    REL_MODELS,
    TEXT_CONTROLS,
    TEXT_PATTERN,
    AnyNode,
    AnyRel,
    MigrantCohort,
    NationalityTerm,
    NodeLabel,
    Region,
    RegionKind,
    Relationship,
    RelType,
    Source,
    SourceKind,
    rel_key,
)
from graphmodel.seed.yamlfile import LineDict, LineList, read_yaml
from graphmodel.util.files import OPEN_UNTRUSTED, FileGrew, FileTooLarge, NotRegularFile, read_regular_file
from graphmodel.util.text import fold_name, fold_space

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
MAX_SOURCE_BYTES = 5 * 1024 * 1024

_REL_ADAPTER: TypeAdapter[Any] = TypeAdapter(Relationship)


@dataclass(frozen=True, slots=True)  # one per record: millions in a national seed
class Origin:
    """Where a record was read: seed-relative file name and 1-based line."""

    file: str
    line: int


@dataclass
class Dataset:
    """A validated seed: nodes by id, relationships, vocabularies and the source texts."""

    nodes: dict[str, AnyNode]
    relationships: list[AnyRel]
    nationalities: list[NationalityTerm] = field(default_factory=list)
    source_texts: dict[str, str] = field(default_factory=dict, repr=False)
    origins: dict[Any, Origin] = field(default_factory=dict, repr=False)
    """Where each node (by id) and relationship (by :func:`rel_key`) was read."""

    def by_label(self, label: NodeLabel | str) -> list[AnyNode]:
        """Nodes of one type, in seed order."""
        return [n for n in self.nodes.values() if n.label == label]

    def counts(self) -> dict[str, Counter]:
        """Counts of nodes by label and of relationships by type."""
        return {
            "nodes": Counter(n.label for n in self.nodes.values()),
            "relationships": Counter(r.type for r in self.relationships),
        }

    def resolve(self, mention: str) -> str:
        """The id of the node a mention names (name, alias, acronym or id), case and punctuation folded.

        Raises ``KeyError`` when nothing matches and ``LookupError`` (with the
        candidates) when the mention is ambiguous.

        >>> ds = Dataset(nodes={}, relationships=[])
        >>> ds.resolve("IOM")
        Traceback (most recent call last):
        ...
        KeyError: "no node is called 'IOM'"
        """
        candidates = self.candidates(mention)
        if not candidates:
            raise KeyError(f"no node is called {mention!r}")
        if len(candidates) > 1:
            raise LookupError(f"{mention!r} is ambiguous: {', '.join(sorted(candidates))}")
        return next(iter(candidates))

    def candidates(self, mention: str) -> set[str]:
        """Every node id whose name, alias, acronym or id folds to the same text as ``mention``."""
        return set(self._alias_index().get(fold_name(mention), ()))

    def _alias_index(self) -> dict[str, set[str]]:
        cached = self.__dict__.get("_aliases")
        if cached is None:
            cached = defaultdict(set)
            for node in self.nodes.values():
                for name in (node.id, node.name, *node.aliases, getattr(node, "acronym", None)):
                    if name:
                        cached[fold_name(name)].add(node.id)
            self.__dict__["_aliases"] = cached
        return cached

    def nationality(self, spelling: str) -> str:
        """The canonical nationality for a spelling found in a source ("Etophia" -> "Ethiopia")."""
        key = fold_name(spelling)
        for term in self.nationalities:
            if key in {fold_name(term.name), *(fold_name(a) for a in term.aliases)}:
                return term.name
        raise KeyError(f"no nationality is spelt {spelling!r}")


# --------------------------------------------------------------------------- reading


@dataclass
class _Record:
    data: LineDict
    file: str


def _seed_files(seed_dir: Path, problems: list[Problem]) -> dict[str, list[Path]]:
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


def _records(path: Path, seed_dir: Path, problems: list[Problem]) -> Iterator[_Record]:
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
        yield _Record(item, display)


def _pydantic_problems(exc: ValidationError, record: _Record, skip_first: bool = False) -> list[Problem]:
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
    """Say which character a text field may not hold, where pydantic only repeats its pattern.

    >>> _text_problem({"type": "string_pattern_mismatch", "input": "IOM\\x1b[31m",
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


def _read_nodes(
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


def _read_relationships(
    files: dict[str, list[Path]], seed_dir: Path, problems: list[Problem]
) -> Iterator[tuple[AnyRel, _Record]]:
    """Each relationship that passes the schema, with its record, as it is read.

    A generator, so the caller checks each record and lets it go: a national
    seed has millions of them.
    """
    # the core validator itself: TypeAdapter.validate_python's wrapper costs a third more per record
    validate = getattr(_REL_ADAPTER, "validator", _REL_ADAPTER).validate_python
    for path in files.get(RELATIONSHIP_FILES, []):
        for rec in _records(path, seed_dir, problems):
            try:
                rel = validate(rec.data)
            except ValidationError as exc:
                problems.extend(_pydantic_problems(exc, rec, skip_first=True))
                continue
            yield rel, rec


def _read_vocabulary(
    files: dict[str, list[Path]], seed_dir: Path, problems: list[Problem], invalid_terms: set[str]
) -> list[NationalityTerm]:
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
                rec = _Record(item, display)
                problems.extend(
                    Problem(p.file, p.line, f"nationalities[{index}].{p.field}", p.message) for p in _pydantic_problems(exc, rec)
                )
    return terms


# --------------------------------------------------------------------------- cross-checks


class _SourceFileRefused(Exception):
    """A source's file cannot be one: missing, outside its folder, not a regular file, too large."""


def _real_inside(path: Path, root: Path, where: str, shown: str) -> Path:
    """``path`` with every link resolved, if that stays inside ``root`` (resolved); else :class:`_SourceFileRefused`."""
    try:
        real = path.resolve(strict=True)
    except (FileNotFoundError, NotADirectoryError):
        raise _SourceFileRefused(f"no file {shown!r} in {where}") from None
    except (OSError, RuntimeError) as exc:  # a loop of links, a folder we may not enter
        raise _SourceFileRefused(f"{shown} cannot be followed ({getattr(exc, 'strerror', None) or exc})") from None
    if not real.is_relative_to(root):
        raise _SourceFileRefused(f"{shown} leads outside {where} through a symbolic link; a source document is "
                                 "a file inside it")
    return real


def _read_source_file(path: Path, root: Path, where: str, shown: str, folders: dict[str, str]) -> bytes:
    """The bytes of a source document that stays inside ``root`` (resolved), read without trusting the file.

    A symbolic link is followed only when its target is inside ``root``
    (``folders`` caches each folder's resolved path: a national seed has
    tens of thousands of texts in a few folders). The file is opened
    without following a link (``O_NOFOLLOW``: a link is resolved and checked
    first, then its target opened the same way) and without waiting
    (``O_NONBLOCK``: opening a named pipe would wait for a writer); what is
    not a regular file is refused, the size is checked with ``fstat`` before
    reading, and the read stops one byte past the limit in case the file grows.
    """
    parent, name = os.path.split(path)  # strings: the Path operations were half the time of a small text
    folder = folders.get(parent)
    if folder is None:
        folder = folders[parent] = str(_real_inside(Path(parent), root, where, shown))
    try:
        fd = os.open(os.path.join(folder, name), OPEN_UNTRUSTED)
    except FileNotFoundError:
        raise _SourceFileRefused(f"no file {shown!r} in {where}") from None
    except OSError as exc:
        if exc.errno != errno.ELOOP:
            raise _SourceFileRefused(f"{shown} cannot be read ({exc.strerror})") from None
        try:  # the name is a link: read its target if that is inside the folder too
            fd = os.open(_real_inside(path, root, where, shown), OPEN_UNTRUSTED)
        except OSError as exc2:
            raise _SourceFileRefused(f"{shown} cannot be read ({exc2.strerror})") from None
    try:
        return read_regular_file(fd, MAX_SOURCE_BYTES)
    except NotRegularFile:
        raise _SourceFileRefused(f"{shown} is not a regular file (a folder, a named pipe or a device); a source "
                                 "document is a text file") from None
    except FileTooLarge as exc:
        raise _SourceFileRefused(f"{shown} is {exc.size:,} bytes; source documents are limited to "
                                 f"{MAX_SOURCE_BYTES:,}") from None
    except FileGrew:
        raise _SourceFileRefused(f"{shown} grew past {MAX_SOURCE_BYTES:,} bytes while it was read; source documents "
                                 f"are limited to {MAX_SOURCE_BYTES:,}") from None
    finally:
        os.close(fd)


def _source_texts(nodes: dict[str, AnyNode], origins: dict, seed_dir: Path, problems: list[Problem]) -> dict[str, str]:
    """The text of each source document (whitespace folded); a path that cannot be one is a ``path`` problem.

    A source's ``path`` is relative and names a regular file inside the seed
    folder, or inside the package's data folder for a ``reference_dataset``
    (see :func:`_read_source_file`): a quote must never verify against a file
    outside them (a link to ``/etc/passwd``).
    """
    texts: dict[str, str] = {}
    roots = {False: (seed_dir.resolve(), "the seed folder"), True: (DATA_DIR.resolve(), "the package's data folder")}
    folders: dict[str, str] = {}
    for node in nodes.values():
        if not isinstance(node, Source):
            continue
        origin = origins[node.id]
        if Path(node.path).is_absolute() or ".." in Path(node.path).parts:
            problems.append(Problem(origin.file, origin.line, "path", "must be relative and stay inside its folder"))
            continue
        reference = node.kind is SourceKind.REFERENCE_DATASET
        path = reference_path(node.path) if reference else seed_dir / node.path
        try:
            raw = _read_source_file(path, *roots[reference], node.path, folders)
        except _SourceFileRefused as exc:
            problems.append(Problem(origin.file, origin.line, "path", str(exc)))
            continue
        try:
            texts[node.id] = fold_space(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            problems.append(Problem(origin.file, origin.line, "path", f"{node.path} is not valid UTF-8 (offset {exc.start})"))
    return texts


def _check_evidence(
    where: str,
    line: int,
    evidence: Iterable,
    nodes: dict,
    texts: dict[str, str],
    problems: list[Problem],
    lines: LineDict | None = None,
    invalid: dict[str, NodeLabel] | None = None,
    quote_found: dict[tuple[str, str], bool] | None = None,
) -> None:
    """Report evidence whose source is missing or not a Source, or whose quote is not in it.

    ``quote_found``: a cache of ``(source, quote) -> found`` shared over calls
    (the same quote backs many records: the relationships of one meeting).
    """
    invalid = invalid or {}
    if quote_found is None:
        quote_found = {}
    for index, ev in enumerate(evidence):
        ev_line = line
        if lines is not None:
            items = lines.get("evidence")
            if isinstance(items, list) and index < len(items) and isinstance(items[index], LineDict):
                ev_line = items[index].line
        source = nodes.get(ev.source)
        if source is None and ev.source in invalid:
            continue  # the source record itself is reported already
        if source is None or not isinstance(source, Source):
            what = "is not a Source" if source is not None else "does not exist"
            problems.append(Problem(where, ev_line, f"evidence[{index}].source", f"source {ev.source!r} {what}"))
            continue
        text = texts.get(ev.source)
        if text is None:
            continue
        found = quote_found.get((ev.source, ev.quote))
        if found is None:
            found = quote_found[(ev.source, ev.quote)] = fold_space(ev.quote) in text
        if not found:
            problems.append(Problem(where, ev_line, f"evidence[{index}].quote", f"quote not found in source {ev.source!r} ({source.path}): {ev.quote[:80]!r}"))


def _check_regions(
    nodes: dict[str, AnyNode], origins: dict, problems: list[Problem], lines: dict[str, LineDict], invalid: dict[str, NodeLabel]
) -> None:
    official = official_regions()
    for node in nodes.values():
        if not isinstance(node, Region):
            continue
        origin = origins[node.id]
        rec = lines.get(node.id)
        line_of = (lambda k: rec.line_of(k)) if rec is not None else (lambda k: origin.line)
        if node.code is not None:
            ref = official.get(node.code)
            if ref is None:
                problems.append(Problem(origin.file, line_of("code"), "code", f"{node.code!r} is not an official Kemendagri code"))
                continue
            if ref.name != node.name:
                problems.append(Problem(origin.file, line_of("name"), "name", f"official name for {node.code} is {ref.name!r} (put other spellings in aliases)"))
            if node.kind in (RegionKind.REGENCY, RegionKind.CITY) and ref.is_city != (node.kind is RegionKind.CITY):
                problems.append(Problem(origin.file, line_of("kind"), "kind", f"{ref.name} is a {'city' if ref.is_city else 'regency'}"))
        if node.parent is not None:
            parent = nodes.get(node.parent)
            if parent is None and node.parent in invalid:
                pass
            elif not isinstance(parent, Region):
                problems.append(Problem(origin.file, line_of("parent"), "parent", f"{node.parent!r} is not a region in the seed"))
            elif node.kind is RegionKind.PROVINCE:
                if parent.kind is not RegionKind.COUNTRY:
                    problems.append(Problem(origin.file, line_of("parent"), "parent", "a province's parent is the country"))
            elif node.code and (parent.code is None or node.code.split(".")[0] != parent.code):
                problems.append(Problem(origin.file, line_of("parent"), "parent", f"{node.code} lies in province {node.code.split('.')[0]}, not in {parent.code or parent.id}"))
        elif node.kind is not RegionKind.COUNTRY:
            problems.append(Problem(origin.file, line_of("parent"), "parent", "required field is missing (every province, regency and city has a parent)"))


class RecordSink(Protocol):
    """Where :func:`load_seed` hands the records as they pass, instead of keeping the relationships.

    ``nodes`` is called once, with every node by id in seed order, before the
    first relationship; ``relationship`` then once per relationship that passed
    every check, in seed order. A seed with problems still raises at the end,
    so whatever the sink built from it must be dropped then.
    """

    def nodes(self, nodes: Mapping[str, AnyNode]) -> None: ...

    def relationship(self, rel: AnyRel) -> None: ...


def load_seed(seed_dir: Path | str, *, sink: RecordSink | None = None) -> Dataset:
    """Read and validate a seed folder; raise :class:`SeedValidationError` listing every problem.

    With ``sink`` (see :class:`RecordSink`), each relationship goes to it as
    soon as it is checked and is not kept: the returned dataset's
    ``relationships`` is empty, and a national seed's millions of relationship
    records are never all in memory at once
    (:func:`graphmodel.graph.load_graph` builds the graph this way).
    """
    return _load_seed(Path(seed_dir), sink)


def _load_seed(seed_dir: Path, sink: RecordSink | None = None) -> Dataset:
    if not seed_dir.is_dir():
        raise SeedValidationError([Problem(str(seed_dir), 0, "folder", "not a folder")])
    problems: list[Problem] = []
    files = _seed_files(seed_dir, problems)
    invalid: dict[str, NodeLabel] = {}
    node_list, origins, node_lines = _read_nodes(files, seed_dir, problems, invalid)
    # a node file that could not be read at all hides its ids: dangling-reference
    # reports would then be noise, so they wait until that file is fixed
    unreadable = any(p.field == "file" and not p.message.startswith("unknown seed file") for p in problems)
    invalid_terms: set[str] = set()
    vocabulary = _read_vocabulary(files, seed_dir, problems, invalid_terms)
    nodes = {n.id: n for n in node_list}
    texts = _source_texts(nodes, origins, seed_dir, problems)

    quote_found: dict[tuple[str, str], bool] = {}
    for node in nodes.values():
        origin = origins[node.id]
        _check_evidence(origin.file, origin.line, node.evidence, nodes, texts, problems, node_lines[node.id], invalid, quote_found)
    _check_regions(nodes, origins, problems, node_lines, invalid)

    known_nationalities = {t.name for t in vocabulary}
    for cohort in (n for n in nodes.values() if isinstance(n, MigrantCohort)):
        for nat in cohort.nationalities:
            if nat not in known_nationalities and nat not in invalid_terms:
                origin = origins[cohort.id]
                line = node_lines[cohort.id].line_of("nationalities")
                problems.append(Problem(origin.file, line, "nationalities", f"{nat!r} is not a canonical name in vocabulary.yaml"))
    del node_lines

    relationships: list[AnyRel] = []
    if sink is not None:
        sink.nodes(nodes)
    keys: dict[tuple, Origin] = {}
    for rel, record in _read_relationships(files, seed_dir, problems):
        found_before = len(problems)
        if sink is None:
            relationships.append(rel)
        rec = record.data
        origin = Origin(record.file, rec.line)
        # the type and labels stay the models' plain strings: RelType and NodeLabel are StrEnums, so the
        # sets and maps keyed by them find the strings, and print alike (an enum call per record cost seconds)
        rtype = rel.type
        if rtype in DERIVED_RELS:
            problems.append(Problem(origin.file, rec.line_of("type"), "type", f"{rtype} is derived from node evidence; do not list it"))
            continue
        start, end = nodes.get(rel.source_node), nodes.get(rel.target_node)
        for field_name, node_id, node in (("from", rel.source_node, start), ("to", rel.target_node, end)):
            if node is None and node_id not in invalid and not unreadable:
                problems.append(Problem(origin.file, rec.line_of(field_name), field_name, f"no node with id {node_id!r}"))
        if start is not None and end is not None:
            pair = (start.label, end.label)
            if pair not in ENDPOINTS[rtype]:
                allowed = ", ".join(sorted(f"{a}->{b}" for a, b in ENDPOINTS[rtype]))
                problems.append(Problem(origin.file, rec.line, "to", f"{rtype} cannot go {pair[0]}->{pair[1]} (allowed: {allowed})"))
            elif rtype == RelType.LOCATED_IN and pair == (NodeLabel.REGION, NodeLabel.REGION):
                problems.append(Problem(origin.file, rec.line, "type", "the region hierarchy is derived from each region's parent; do not list it"))
            if rel.source_node == rel.target_node:
                problems.append(Problem(origin.file, rec.line_of("to"), "to", "a relationship cannot join a node to itself"))
        key = rel_key(rel)
        if key in keys:
            first = keys[key]
            problems.append(Problem(origin.file, rec.line, "type", f"duplicate relationship {key[1]} {key[0]}->{key[2]} (first at {first.file}:{first.line}); merge their evidence"))
        else:
            keys[key] = origin
        # most quotes back several records (a meeting's attendances): when each was found already, the
        # full check (which also looks up its source) has nothing to add
        if not all(quote_found.get((ev.source, ev.quote)) for ev in rel.evidence):
            _check_evidence(origin.file, origin.line, rel.evidence, nodes, texts, problems, rec, invalid, quote_found)
        if sink is not None and len(problems) == found_before:
            sink.relationship(rel)

    if problems:
        raise SeedValidationError(problems)
    all_origins: dict[Any, Origin] = dict(origins)
    all_origins.update(keys)
    return Dataset(
        nodes=nodes,
        relationships=relationships,
        nationalities=vocabulary,
        source_texts=texts,
        origins=all_origins,
    )
