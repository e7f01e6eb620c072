"""A draft folder: what it holds, and reading and saving the records a reviewer edits."""

from __future__ import annotations

import os
import stat
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from graphmodel.errors import Problem
from graphmodel.extract.draft.untrusted import Refused, read_inside
from graphmodel.extract.errors import DraftError
from graphmodel.extract.records import NODE_FILE_OF
from graphmodel.extract.yamlout import dump_records
from graphmodel.model.schema import NodeLabel
from graphmodel.seed.yamlfile import MAX_FILE_BYTES, LineDict, read_yaml
from graphmodel.util.files import file_kind

__all__ = ["MANIFEST", "FORMAT", "STATUSES", "LABEL_OF_FILE", "HEADER", "DraftEntry", "Draft", "read_draft", "save_draft"]

MANIFEST = "draft.yaml"
FORMAT = "graphmodel-draft/1"
STATUSES = ("proposed", "accepted", "rejected")
LABEL_OF_FILE = {v: k for k, v in NODE_FILE_OF.items()}
HEADER = (
    "Draft records proposed by `graphmodel extract`; nothing here is in the seed yet.\n"
    "Review each record: set draft.status to accepted or rejected (or run `graphmodel review DRAFT`),\n"
    "edit fields if needed (set draft.match to an existing id to attach a record to that node),\n"
    "then run `graphmodel merge DRAFT --seed SEED`. Merge drops the draft: mappings."
)


@dataclass
class DraftEntry:
    """One record of a draft file, with where it was read."""

    file: str
    line: int
    label: NodeLabel | None
    data: dict[str, Any]  # without the draft mapping
    draft: dict[str, Any] | None
    key_lines: dict[str, int] = field(default_factory=dict, repr=False)

    def line_of(self, key: str) -> int:
        """The line of field ``key`` (the record's line when it has none)."""
        return self.key_lines.get(key, self.line)

    @property
    def status(self) -> str:
        """The record's review status: ``proposed``, ``accepted`` or ``rejected`` (a record without a draft mapping is accepted)."""
        return "accepted" if self.draft is None else str(self.draft.get("status", "proposed"))

    @property
    def match(self) -> str | None:
        """The existing seed id the record attaches to (None: a new record)."""
        return None if self.draft is None else self.draft.get("match")


@dataclass
class Draft:
    """A draft folder as read: its entries by file, and its manifest."""

    path: Path
    manifest: dict[str, Any]
    entries: list[DraftEntry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def by_file(self) -> dict[str, list[DraftEntry]]:
        """The entries of each draft file, in the order read."""
        out: dict[str, list[DraftEntry]] = defaultdict(list)
        for e in self.entries:
            out[e.file].append(e)
        return out

    def counts(self) -> Counter:
        """How many entries have each status."""
        return Counter(e.status for e in self.entries)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _read_manifest(draft_dir: Path) -> dict[str, Any]:
    """The draft's ``draft.yaml``: a regular file (no link, no pipe), a YAML mapping."""
    manifest_path = draft_dir / MANIFEST
    if not os.path.lexists(manifest_path):
        raise DraftError(f"{draft_dir}: not a draft folder (no {MANIFEST}); make one with `graphmodel extract`")
    try:
        raw = read_inside(draft_dir, (MANIFEST,), MAX_FILE_BYTES)
        manifest = yaml.safe_load(raw.decode("utf-8")) or {}
    except Refused as exc:
        raise DraftError(f"{draft_dir}: {exc}; nothing was written") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        first = str(exc).splitlines()[0]
        raise DraftError(f"{manifest_path}: not readable YAML ({first}); nothing was written") from None
    if not isinstance(manifest, dict):
        raise DraftError(f"{manifest_path}: not a mapping (format, created, seed, merged, articles); "
                         "nothing was written")
    return manifest


def _draft_files(draft_dir: Path, problems: list[Problem]) -> list[Path]:
    """Every regular file of a draft folder, found without following links; links and special files are problems.

    Names starting with a dot (an editor's swap file, a partial write) are
    neither read nor refused.
    """
    files: list[Path] = []
    for folder, dirs, names in os.walk(draft_dir):
        base = Path(folder)
        entries = sorted(n for n in dirs + names if not n.startswith("."))
        dirs[:] = []  # descend only into real folders (os.walk lists a link to a folder among them)
        for name in entries:
            path = base / name
            mode = os.lstat(path).st_mode
            if stat.S_ISDIR(mode):
                dirs.append(name)
            elif stat.S_ISREG(mode):
                files.append(path)
            else:
                problems.append(Problem(path.relative_to(draft_dir).as_posix(), 0, "file",
                                        f"is {file_kind(mode)}; a draft holds regular files only (merge follows no links)"))
    return files


def read_draft(draft_dir: Path) -> Draft:
    """Read a draft folder; structural problems are collected in ``problems`` (file:line)."""
    draft_dir = Path(draft_dir)
    if not draft_dir.is_dir():
        raise DraftError(f"{draft_dir}: no such draft folder (make one with `graphmodel extract ... -o {draft_dir}`)")
    draft = Draft(draft_dir, _read_manifest(draft_dir))
    order = {name: i for i, name in enumerate(NODE_FILE_OF.values())}
    # review order: sources, regions, agencies, ... then relationships
    paths = _draft_files(draft_dir, draft.problems)
    for path in sorted(paths, key=lambda p: (order.get(p.relative_to(draft_dir).as_posix(), 99), str(p))):
        rel = path.relative_to(draft_dir).as_posix()
        if rel == MANIFEST or rel.startswith("sources/"):
            continue
        if rel in LABEL_OF_FILE:
            label: NodeLabel | None = LABEL_OF_FILE[rel]
        elif rel.startswith("relationships/") and path.suffix in (".yaml", ".yml"):
            label = None
        else:
            draft.problems.append(Problem(rel, 0, "file", "not a draft file (expected the seed's file names, relationships/*.yaml or sources/)"))
            continue
        data, problems = read_yaml(path, rel)
        draft.problems.extend(problems)
        if data is None:
            continue
        if not isinstance(data, list):
            draft.problems.append(Problem(rel, getattr(data, "line", 1), "file", "a draft file holds a YAML list of records"))
            continue
        for index, item in enumerate(data):
            if not isinstance(item, LineDict):
                draft.problems.append(Problem(rel, 1, f"[{index}]", "each record is a mapping"))
                continue
            record = _plain(dict(item))
            meta = record.pop("draft", None)
            if meta is not None and not isinstance(meta, dict):
                draft.problems.append(Problem(rel, item.line_of("draft"), "draft", "draft must be a mapping"))
                meta = None
            elif meta is not None and meta.get("status", "proposed") not in STATUSES:
                draft.problems.append(Problem(rel, item.line_of("draft"), "draft.status",
                                              f"{meta.get('status')!r} is not one of {', '.join(STATUSES)}"))
            draft.entries.append(DraftEntry(rel, item.line, label, record, meta, dict(item.key_lines)))
    return draft


def save_draft(draft: Draft) -> None:
    """Write the (edited) entries back, each file atomically (used by ``review``)."""
    for name, entries in draft.by_file().items():
        records = []
        for e in entries:
            rec = dict(e.data)
            if e.draft is not None:
                rec["draft"] = e.draft
            records.append(rec)
        target = draft.path / name
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(dump_records(records, HEADER))
        os.replace(tmp, target)
