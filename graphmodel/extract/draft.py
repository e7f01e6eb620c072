"""Draft folders: written by ``extract``, edited by a reviewer, merged into the seed by ``merge``.

A draft folder looks like a seed folder: ``sources.yaml``, ``agencies.yaml``,
``regions.yaml`` ..., ``relationships/<source>.yaml``, the new articles in
``sources/``, and ``draft.yaml`` (what was extracted from where, and whether
it was merged). Every record may carry a ``draft:`` mapping (see
:mod:`graphmodel.extract.records`); only records whose ``draft.status`` is
``accepted`` (or that have no ``draft`` mapping: written by the reviewer)
are merged.

Writing is all-or-nothing: the draft is built in a temporary folder beside
its destination and renamed into place when complete. Merging is too: the
seed is copied, the accepted records are written into the copy, the copy is
validated with :func:`graphmodel.seed.load_seed`, and only then are the
changed seed files replaced (each with an atomic rename). On any problem the
seed is left as it was and every problem is listed as ``file:line``.

A draft is untrusted input: someone else may have made or edited it. Merge
reads and checks all of it before it writes anything, and refuses (naming
the draft file, line and field) a symbolic link or anything but a regular
file inside the draft, a new article's ``path`` that is absolute, holds
``..`` or is not ``sources/NAME`` as ``extract`` names it, an article text
whose sha256 differs from the one ``draft.yaml`` recorded when it was
extracted, and a destination in the seed that is a symbolic link or not a
regular file. The article is copied from the bytes whose hash was checked.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import shutil
import stat
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from graphmodel.errors import Problem, SeedValidationError
from graphmodel.extract.articles import MAX_ARTICLE_BYTES, Article
from graphmodel.extract.errors import DraftError
from graphmodel.extract.extractor import source_file_name
from graphmodel.extract.records import NODE_FILE_OF, DocumentExtraction, DraftRecord
from graphmodel.extract.status import goes_further
from graphmodel.extract.yamlout import dump_records
from graphmodel.model.schema import Id, NodeLabel, rel_key
from graphmodel.seed import load_seed
from graphmodel.seed.yamlfile import MAX_FILE_BYTES, LineDict, read_yaml
from graphmodel.util.files import OPEN_UNTRUSTED, FileRefused, file_kind, read_regular_file
from graphmodel.util.text import fold_name

__all__ = ["write_draft", "read_draft", "merge_draft", "save_draft", "Draft", "DraftEntry", "MergeReport", "MANIFEST",
           "STATUSES"]

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


# --------------------------------------------------------------------------- writing


def _combine(records: list[DraftRecord]) -> list[DraftRecord]:
    """Records proposed by several articles for one node (or one relationship) become one, evidence pooled."""
    out: dict[tuple, DraftRecord] = {}
    for rec in records:
        key = rec.key()
        if key not in out:
            out[key] = DraftRecord(rec.label, json.loads(json.dumps(rec.data, default=str)), dict(rec.draft))
            continue
        old = out[key]
        if goes_further(rec.data.get("status"), old.data.get("status")):
            # one article reports what another only planned: the report holds, and its quote leads
            old.data["status"], old.data["notes"] = rec.data["status"], rec.data.get("notes")
            old.draft.update({k: rec.draft[k] for k in ("offsets", "mention", "cue") if k in rec.draft})
            old.data["evidence"] = [*rec.data.get("evidence", []),
                                    *(ev for ev in old.data.get("evidence", []) if ev not in rec.data.get("evidence", []))]
        for ev in rec.data.get("evidence", []):
            if ev not in old.data.setdefault("evidence", []):
                old.data["evidence"].append(ev)
        for alias in rec.data.get("aliases", []):
            if alias not in old.data.setdefault("aliases", []) and alias != old.data.get("name"):
                old.data["aliases"].append(alias)
        old.draft["confidence"] = max(old.draft.get("confidence", 0), rec.draft.get("confidence", 0))
        if rec.draft.get("note") and rec.draft.get("note") != old.draft.get("note"):
            old.draft["note"] = "; ".join(x for x in (old.draft.get("note"), rec.draft["note"]) if x)
    return list(out.values())


def _record_dict(rec: DraftRecord) -> dict[str, Any]:
    data = dict(rec.data)
    data["draft"] = {k: v for k, v in rec.draft.items()}
    return data


def _files(docs: list[DocumentExtraction]) -> dict[str, list[DraftRecord]]:
    by_file: dict[str, list[DraftRecord]] = defaultdict(list)
    for label, name in NODE_FILE_OF.items():
        recs = _combine([r for d in docs for r in d.records if r.label is label])
        if recs:
            by_file[name] = recs
    by_source: dict[str, list[DraftRecord]] = defaultdict(list)
    for d in docs:
        by_source[d.source_id].extend(d.relationships)
    for source_id, rels in by_source.items():
        if rels:
            by_file[f"relationships/{source_id}.yaml"] = _combine(rels)
    return by_file


def write_draft(docs: list[DocumentExtraction], draft_dir: Path, *, seed_dir: Path | None = None, force: bool = False) -> list[Path]:
    """Write a draft folder for ``docs``; all of it or nothing. Returns the files written."""
    draft_dir = Path(draft_dir)
    if draft_dir.exists() and not draft_dir.is_dir():
        raise DraftError(f"{draft_dir}: exists and is not a folder; nothing was written")
    if draft_dir.exists() and any(draft_dir.iterdir()) and not force:
        raise DraftError(f"{draft_dir}: folder exists and is not empty; choose another -o or pass --force to replace it")
    draft_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{draft_dir.name}.partial-", dir=draft_dir.parent))
    try:
        written: list[str] = []
        for name, recs in _files(docs).items():
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(dump_records([_record_dict(r) for r in recs], HEADER), encoding="utf-8")
            written.append(name)
        (staging / "sources").mkdir(exist_ok=True)
        for d in docs:
            if d.source_match is None:
                target = staging / "sources" / source_file_name(d.source_id, d.article)
                # bytes, not write_text: no newline translation, so merge can check them against the recorded sha256
                target.write_bytes(d.article.text.encode("utf-8"))
                written.append(f"sources/{target.name}")
        manifest = {
            "format": FORMAT,
            "created": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
            "seed": str(seed_dir) if seed_dir else None,
            "merged": None,
            "articles": [{"path": str(d.article.path), "source": d.source_id, "sha256": d.article.sha256,
                          "already_in_seed": d.source_match is not None, "flags": list(d.mentions.flags)} for d in docs],
        }
        (staging / MANIFEST).write_text(
            "# What `graphmodel extract` read, and whether this draft has been merged.\n"
            + yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True, width=120), encoding="utf-8")
        written.append(MANIFEST)
        if draft_dir.exists():
            old = draft_dir.with_name(f".{draft_dir.name}.old-{os.getpid()}")
            os.replace(draft_dir, old)
            os.replace(staging, draft_dir)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(staging, draft_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [draft_dir / w for w in written]


# --------------------------------------------------------------------------- files merge does not trust

_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)
_FOLDER = getattr(os, "O_DIRECTORY", 0)


class _Refused(Exception):
    """A path merge will not read or write; the message says why, ``field`` names the record field it came from."""

    def __init__(self, message: str, field_: str = "path"):
        super().__init__(message)
        self.field = field_


def _check_kind(path: Path, shown: str, *, folder: bool) -> bool:
    """Whether ``path`` exists; refuse a symbolic link, and a file where a folder is wanted (or the reverse)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return False
    wanted = stat.S_ISDIR(mode) if folder else stat.S_ISREG(mode)
    if not wanted:
        raise _Refused(f"{shown} is {file_kind(mode)}, not {'a folder' if folder else 'a regular file'}; merge reads "
                       "and writes no symbolic links and no special files")
    return True


def _read_inside(root: Path, parts: tuple[str, ...], limit: int, where: str = "") -> bytes:
    """The bytes of the regular file ``root/parts``, reached through no symbolic link, at most ``limit`` bytes.

    Each folder is opened relative to the one before (``dir_fd``) with
    ``O_NOFOLLOW``, so a link on the path, even one swapped in after the
    check, is refused by the kernel instead of followed; the file is opened
    without waiting, must be regular (``fstat``) and at most ``limit`` bytes,
    and the read stops one byte past the limit in case it grows. ``where``
    starts the messages ("the seed's ").
    """
    shown = where + "/".join(parts)
    for i in range(1, len(parts) + 1):
        here = where + "/".join(parts[:i])
        if not _check_kind(root.joinpath(*parts[:i]), here, folder=i < len(parts)):
            raise _Refused(f"{here} is missing")
    try:
        fd = os.open(root, os.O_RDONLY | _FOLDER)
        try:
            for part in parts[:-1]:
                inner = os.open(part, os.O_RDONLY | _FOLDER | _NO_FOLLOW, dir_fd=fd)
                os.close(fd)
                fd = inner
            file_fd = os.open(parts[-1], OPEN_UNTRUSTED, dir_fd=fd)
        finally:
            os.close(fd)
    except OSError as exc:
        why = "a symbolic link appeared on it" if exc.errno in (errno.ELOOP, errno.ENOTDIR) else exc.strerror
        raise _Refused(f"{shown} cannot be read ({why})") from None
    try:
        return read_regular_file(file_fd, limit)
    except FileRefused as exc:  # its message says what the file is, or how large
        raise _Refused(f"{shown} {exc}") from None
    finally:
        os.close(file_fd)


def _check_destination(seed_dir: Path, parts: tuple[str, ...]) -> bool:
    """Whether ``seed_dir/parts`` exists; refuse writing it through a symbolic link or over a special file."""
    for i in range(1, len(parts) + 1):
        here = f"the seed's {'/'.join(parts[:i])}"
        if not _check_kind(seed_dir.joinpath(*parts[:i]), here, folder=i < len(parts)):
            return False  # new from here on: merge creates it
    return True


def _relative_parts(value: Any) -> tuple[str, ...]:
    """The parts of a relative path that names something inside its folder, or :class:`_Refused`."""
    if not isinstance(value, str) or not value.strip():
        raise _Refused("must be the article's text in the draft, sources/NAME.txt")
    path = PurePosixPath(value)
    if path.is_absolute() or value.startswith("\\"):
        raise _Refused(f"{value!r} is an absolute path; an article's text is sources/NAME.txt inside the draft folder")
    if ".." in path.parts:
        raise _Refused(f"{value!r} leaves the draft folder ('..'); an article's text is sources/NAME.txt inside it")
    if len(path.parts) != 2 or path.parts[0] != "sources" or "\\" in value:
        raise _Refused(f"{value!r} is not sources/NAME.txt, where extract puts an article's text")
    return path.parts


_ID = TypeAdapter(Id)


def _recorded_hashes(manifest: dict[str, Any]) -> dict[str, str]:
    """Source id -> the sha256 of its text as ``extract`` wrote it, from the manifest's ``articles``."""
    articles = manifest.get("articles")
    out: dict[str, str] = {}
    for item in articles if isinstance(articles, list) else ():
        if isinstance(item, dict) and isinstance(item.get("source"), str) and isinstance(item.get("sha256"), str):
            out[item["source"]] = item["sha256"]
    return out


def _verified_article(e: DraftEntry, draft: Draft, recorded: dict[str, str], seed_dir: Path) -> bytes:
    """The bytes of a new article's text, checked before anything is written; :class:`_Refused` otherwise.

    The text must be ``sources/NAME`` in the draft, a regular file reached
    through no link, whose sha256 (of the UTF-8 text as ``extract`` wrote it,
    :attr:`Article.sha256`) is the one ``draft.yaml`` recorded for the source,
    named as :func:`source_file_name` names it, and its place in the seed
    must be new or hold the same bytes.
    """
    sid = e.data.get("id")
    try:
        _ID.validate_python(sid)
    except ValidationError:
        raise _Refused(f"{sid!r} is not a source id (lower-case letters, digits, '.', '_' and '-')", "id") from None
    parts = _relative_parts(e.data.get("path"))
    if sid not in recorded:
        raise _Refused(f"{MANIFEST} records no sha256 for source {sid!r}, so its text cannot be checked; "
                       "extract the article again")
    raw = _read_inside(draft.path, parts, MAX_ARTICLE_BYTES, "the article's text ")
    try:
        article = Article(path=Path(*parts), text=raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise _Refused(f"the article's text is not UTF-8 (offset {exc.start}); extract the article again") from None
    if article.sha256 != recorded[sid]:
        raise _Refused(f"the article's text {'/'.join(parts)} was changed since it was extracted (its sha256 is not "
                       f"the one {MANIFEST} recorded); extract the article again")
    expected = f"sources/{source_file_name(sid, article)}"
    if "/".join(parts) != expected:
        raise _Refused(f"{'/'.join(parts)!r} is not where extract puts this text ({expected})")
    if _check_destination(seed_dir, parts):
        try:
            same = _read_inside(seed_dir, parts, len(raw)) == raw
        except _Refused:  # larger, or not a regular file: not the same text either way
            same = False
        if not same:
            raise _Refused(f"the seed already has a different {expected}; merge replaces no existing article")
    return raw


# --------------------------------------------------------------------------- reading


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
        return "accepted" if self.draft is None else str(self.draft.get("status", "proposed"))

    @property
    def match(self) -> str | None:
        return None if self.draft is None else self.draft.get("match")


@dataclass
class Draft:
    """A draft folder as read: its entries by file, and its manifest."""

    path: Path
    manifest: dict[str, Any]
    entries: list[DraftEntry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def by_file(self) -> dict[str, list[DraftEntry]]:
        out: dict[str, list[DraftEntry]] = defaultdict(list)
        for e in self.entries:
            out[e.file].append(e)
        return out

    def counts(self) -> Counter:
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
        raw = _read_inside(draft_dir, (MANIFEST,), MAX_FILE_BYTES)
        manifest = yaml.safe_load(raw.decode("utf-8")) or {}
    except _Refused as exc:
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


# --------------------------------------------------------------------------- merging


@dataclass
class MergeReport:
    """What a merge added to the seed."""

    new_nodes: Counter = field(default_factory=Counter)
    new_relationships: int = 0
    evidence_added: int = 0
    aliases_added: int = 0
    sources_added: list[str] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)
    files_changed: list[str] = field(default_factory=list)

    def summary(self) -> str:
        nodes = ", ".join(f"{n} {label}" for label, n in sorted(self.new_nodes.items())) or "no new nodes"
        skipped = ", ".join(f"{n} {s}" for s, n in sorted(self.skipped.items())) or "none"
        return (f"merged: {nodes}; {self.new_relationships} new relationships; {self.evidence_added} quotes and "
                f"{self.aliases_added} aliases added to existing records; sources added: "
                f"{', '.join(self.sources_added) or 'none'}; not merged: {skipped}")


def _node_files(seed: Path, stem: str) -> list[Path]:
    path = seed / f"{stem}.yaml"
    files = [path] if path.is_file() else []
    folder = seed / stem
    if folder.is_dir() and stem != "sources":
        files += sorted(p for p in folder.glob("*.yaml"))
    return files


def _record_bounds(lines: list[str], records: list[LineDict], index: int) -> tuple[int, int]:
    """0-based [start, end) line range of record ``index`` (trailing blanks and comments excluded)."""
    start = records[index].line - 1
    end = records[index + 1].line - 1 if index + 1 < len(records) else len(lines)
    while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return start, end


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _add_items(path: Path, find, key: str, items: list[Any]) -> bool:
    """Append ``items`` to the list ``key`` of the record ``find`` picks in a seed file, keeping its layout."""
    from graphmodel.extract.yamlout import _flow, _quote_flow

    text = path.read_text(encoding="utf-8")
    data, problems = read_yaml(path, path.name)
    if problems or not isinstance(data, list):
        return False
    records = [r for r in data if isinstance(r, LineDict)]
    index = next((i for i, r in enumerate(records) if find(r)), None)
    if index is None:
        return False
    lines = text.splitlines()
    rec = records[index]
    start, end = _record_bounds(lines, records, index)
    render = (lambda v: _quote_flow(v)) if key == "evidence" else (lambda v: _flow(v))
    key_indent = _indent(lines[rec.line_of("id") - 1]) if "id" in rec else _indent(lines[start]) + 2
    if lines[start].lstrip().startswith("- "):
        key_indent = _indent(lines[start]) + 2
    if key in rec:
        kline = rec.line_of(key) - 1
        head = lines[kline]
        after = head.split(":", 1)[1].strip()
        if after == "" or after.startswith(("#",)):
            last = kline
            item_indent = None
            for i in range(kline + 1, end):
                if not lines[i].strip():
                    continue
                if _indent(lines[i]) <= _indent(head) and not lines[i].lstrip().startswith("- ") or (
                        _indent(lines[i]) < _indent(head)):
                    break
                if item_indent is None and lines[i].lstrip().startswith("- "):
                    item_indent = _indent(lines[i])
                last = i
            pad = " " * (item_indent if item_indent is not None else _indent(head) + 2)
            new = [f"{pad}- {render(v)}" for v in items]
            lines[last + 1:last + 1] = new
        elif after.startswith("[") and after.endswith("]"):
            existing = list(rec[key] or [])
            lines[kline] = f"{' ' * _indent(head)}{key}:"
            pad = " " * (_indent(head) + 2)
            lines[kline + 1:kline + 1] = [f"{pad}- {render(v)}" for v in (*existing, *items)]
        else:
            return False
    else:
        anchor = (rec.line_of("name") - 1) if (key == "aliases" and "name" in rec) else end - 1
        pad = " " * key_indent
        block = [f"{pad}{key}:"] + [f"{pad}  - {render(v)}" for v in items]
        lines[anchor + 1:anchor + 1] = block
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    check, problems = read_yaml(path, path.name)
    return not problems


def _append_block(path: Path, records: list[dict], comment: str) -> tuple[int, list[int]]:
    """Append records to a seed file (creating it); return the line each record starts at."""
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    if existing.strip() in ("[]", ""):
        existing = ""
    prefix = existing.rstrip("\n") + ("\n\n" if existing.strip() else "")
    block = dump_records(records, comment)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(prefix + block, encoding="utf-8")
    first = prefix.count("\n") + 1
    starts = []
    for i, line in enumerate(block.splitlines()):
        if line.startswith("- "):
            starts.append(first + i)
    return first, starts


def merge_draft(draft_dir: Path, seed_dir: Path, *, force: bool = False) -> MergeReport:
    """Merge the accepted records of a draft into the seed, validated, atomically; see the module docstring."""
    seed_dir = Path(seed_dir)
    draft = read_draft(draft_dir)
    if draft.problems:
        raise SeedValidationError([Problem(f"{draft_dir}/{p.file}", p.line, p.field, p.message) for p in draft.problems])
    if draft.manifest.get("merged") and not force:
        raise DraftError(f"{draft_dir}: already merged ({draft.manifest['merged']}); extract again for new proposals, "
                         "or pass --force to merge it again")
    try:
        ds = load_seed(seed_dir)
    except SeedValidationError as exc:
        raise DraftError(f"{seed_dir}: the seed itself does not validate ({len(exc.problems)} problem(s), first: "
                         f"{exc.problems[0]}); fix it with `graphmodel validate` first") from None
    report = MergeReport()
    problems: list[Problem] = []
    where = lambda e, field_="record": Problem(f"{draft_dir}/{e.file}", e.line, field_, "")  # noqa: E731

    def problem(e: DraftEntry, field_: str, message: str) -> None:
        p = where(e, field_)
        problems.append(Problem(p.file, p.line, p.field, message))

    nodes = [e for e in draft.entries if e.label is not None and e.label is not NodeLabel.SOURCE]
    sources = [e for e in draft.entries if e.label is NodeLabel.SOURCE]
    rels = [e for e in draft.entries if e.label is None]
    for e in draft.entries:
        if e.status != "accepted":
            report.skipped[e.status] += 1
    accepted = [e for e in nodes if e.status == "accepted"]
    held = {e.data.get("id"): e.status for e in nodes + sources if e.status != "accepted"}
    mapping: dict[str, str] = {}
    new_nodes: list[DraftEntry] = []
    additions: list[DraftEntry] = []
    for e in accepted:
        nid = e.data.get("id")
        if not isinstance(nid, str):
            problem(e, "id", "required field is missing")
            continue
        if e.match:
            target = ds.nodes.get(e.match)
            if target is None:
                problem(e, "draft.match", f"no node {e.match!r} in the seed")
            elif target.label != e.label.value:
                problem(e, "draft.match", f"{e.match!r} is a {target.label}, this record is a {e.label.value}")
            else:
                mapping[nid] = e.match
                additions.append(e)
        elif nid in ds.nodes:
            problem(e, "id", f"{nid!r} already exists in the seed: set draft.match: {nid} to add this record's "
                             "evidence to it, or give the record a new id")
        else:
            new_nodes.append(e)
    new_ids = {e.data["id"] for e in new_nodes}

    def resolve_ref(e: DraftEntry, field_: str, ref: Any) -> Any:
        if not isinstance(ref, str):
            return ref
        ref = mapping.get(ref, ref)
        if ref in ds.nodes or ref in new_ids:
            return ref
        if ref in held:
            problem(e, field_, f"refers to {ref!r}, which is {held[ref]} in the draft: accept it too, or "
                               f"{'reject this record' if e.label is None else 'change this reference'}")
        else:
            problem(e, field_, f"no node {ref!r} in the seed or among the accepted draft records")
        return ref

    for e in new_nodes:
        if e.label is NodeLabel.REGION and e.data.get("parent"):
            e.data["parent"] = resolve_ref(e, "parent", e.data["parent"])
    accepted_rels = []
    existing_keys = {rel_key(r): r for r in ds.relationships}
    for e in rels:
        if e.status != "accepted":
            continue
        data = dict(e.data)
        data["from"] = resolve_ref(e, "from", data.get("from"))
        data["to"] = resolve_ref(e, "to", data.get("to"))
        accepted_rels.append((e, data))
    # sources cited by what is accepted
    cited = {ev.get("source") for e in new_nodes + additions for ev in e.data.get("evidence", []) if isinstance(ev, dict)}
    cited |= {ev.get("source") for _, d in accepted_rels for ev in d.get("evidence", []) if isinstance(ev, dict)}
    new_sources = []
    article_bytes: dict[str, bytes] = {}  # seed-relative path -> the checked bytes, copied as they were hashed
    recorded = _recorded_hashes(draft.manifest)
    for e in sources:
        sid = e.data.get("id")
        if sid not in cited or e.match or sid in ds.nodes:
            continue
        if e.status == "rejected":
            problem(e, "draft.status", f"source {sid!r} is rejected but accepted records quote it")
            continue
        try:
            raw = _verified_article(e, draft, recorded, seed_dir)
        except _Refused as exc:
            problems.append(Problem(f"{draft_dir}/{e.file}", e.line_of(exc.field), exc.field, str(exc)))
            continue
        article_bytes[e.data["path"]] = raw
        new_sources.append(e)
    # (a draft source refused above has its own problem: saying again that it is missing would be noise)
    for sid in cited - {e.data.get("id") for e in sources} - set(ds.nodes) - {None}:
        problems.append(Problem(f"{draft_dir}/sources.yaml", 0, "id", f"accepted records quote source {sid!r}, which is neither in the seed nor in the draft"))
    if problems:
        raise SeedValidationError(problems)

    # ---------------------------------------------------------------- write into a copy of the seed
    seed_dir = seed_dir.resolve()
    work = Path(tempfile.mkdtemp(prefix=f".{seed_dir.name}.merge-", dir=seed_dir.parent))
    trail: list[tuple[str, int, int, str]] = []  # (seed file, first line, last line, draft location)
    try:
        copy = work / seed_dir.name
        try:
            shutil.copytree(seed_dir, copy)
        except (OSError, shutil.Error) as exc:  # a dangling link, a named pipe, no space left
            raise DraftError(f"{seed_dir}: cannot copy the seed to merge into it ({exc}); "
                             "nothing was written") from None
        stamp = dt.date.today().isoformat()
        by_file: dict[Path, list[DraftEntry]] = defaultdict(list)
        for e in new_nodes:
            stem = NODE_FILE_OF[e.label][:-5]
            files = _node_files(copy, stem)
            target = files[0] if files else copy / f"{stem}.yaml"
            by_file[target].append(e)
        for e in new_sources:
            by_file[copy / "sources.yaml"].append(e)
            dest = copy / e.data["path"]
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(article_bytes[e.data["path"]])
            report.sources_added.append(e.data["id"])
        for target, entries in by_file.items():
            comment = f"Added by `graphmodel merge` from the draft {Path(draft_dir).name} on {stamp} (extracted, then reviewed)."
            _, starts = _append_block(target, [e.data for e in entries], comment)
            for e, line in zip(entries, starts):
                trail.append((target.relative_to(copy).as_posix(), line, line + 200, f"{draft_dir}/{e.file}:{e.line}"))
                if e.label is not NodeLabel.SOURCE:
                    report.new_nodes[e.label.value] += 1
        # evidence and aliases for existing nodes
        for e in additions:
            node_id = mapping[e.data["id"]]
            origin = ds.origins.get(node_id)
            node = ds.nodes[node_id]
            known_quotes = {(ev.source, " ".join(ev.quote.split())) for ev in node.evidence}
            evs = [ev for ev in e.data.get("evidence", []) if isinstance(ev, dict)
                   and (ev.get("source"), " ".join(str(ev.get("quote", "")).split())) not in known_quotes]
            known_names = {fold_name(x) for x in (node.name, *node.aliases, getattr(node, "acronym", None) or "")}
            aliases = [a for a in e.data.get("aliases", []) if isinstance(a, str) and fold_name(a) not in known_names]
            path = copy / origin.file
            for key, items in (("evidence", evs), ("aliases", aliases)):
                if not items:
                    continue
                if _add_items(path, lambda r, i=node_id: r.get("id") == i, key, items):
                    if key == "evidence":
                        report.evidence_added += len(items)
                    else:
                        report.aliases_added += len(items)
                else:
                    problems.append(Problem(origin.file, origin.line, key,
                                            f"could not add {key} to {node_id!r} automatically; add by hand: {items}"))
        # relationships: new ones into relationships/<source>.yaml, known ones get the new evidence
        new_rels: dict[str, list[tuple[DraftEntry, dict]]] = defaultdict(list)
        for e, data in accepted_rels:
            qual = data.get("service") or data.get("duty") or ""
            key = (data.get("from"), data.get("type"), data.get("to"), qual)
            known = existing_keys.get(key)
            if known is None and data.get("type") == "COOPERATES_WITH":  # symmetric: either direction is the same fact
                known = existing_keys.get((key[2], key[1], key[0], key[3]))
                if known is not None:
                    key = (key[2], key[1], key[0], key[3])
            if known is None:
                source = next((ev.get("source") for ev in data.get("evidence", []) if isinstance(ev, dict)), "extracted")
                new_rels[source].append((e, data))
                continue
            have = {(ev.source, " ".join(ev.quote.split())) for ev in known.evidence}
            evs = [ev for ev in data.get("evidence", []) if (ev.get("source"), " ".join(str(ev.get("quote")).split())) not in have]
            if not evs:
                continue
            origin = ds.origins.get(rel_key(known))

            def same(r: LineDict, k=key) -> bool:
                q = r.get("service") or r.get("duty") or ""
                return (r.get("from"), r.get("type"), r.get("to"), q) == k

            if origin and _add_items(copy / origin.file, same, "evidence", evs):
                report.evidence_added += len(evs)
            else:
                problems.append(Problem(origin.file if origin else "relationships", origin.line if origin else 0, "evidence",
                                        f"could not add evidence to the existing {key[1]} {key[0]}->{key[2]}; add by hand"))
        rel_dir_files = _node_files(copy, "relationships")
        for source, items in new_rels.items():
            if (copy / "relationships").is_dir() or not rel_dir_files:
                target = copy / "relationships" / f"{source}-extracted.yaml"
            else:
                target = rel_dir_files[0]
            comment = f"Relationships from {source}, added by `graphmodel merge` on {stamp} (extracted, then reviewed)."
            _, starts = _append_block(target, [d for _, d in items], comment)
            for (e, _), line in zip(items, starts):
                trail.append((target.relative_to(copy).as_posix(), line, line + 200, f"{draft_dir}/{e.file}:{e.line}"))
            report.new_relationships += len(items)
        if problems:
            raise SeedValidationError(problems)
        try:
            load_seed(copy)
        except SeedValidationError as exc:
            mapped = []
            for p in exc.problems:
                origin = next((d for f, a, b, d in sorted(trail, key=lambda t: -t[1]) if f == p.file and a <= p.line), None)
                message = p.message + (f" (draft record {origin})" if origin else "")
                mapped.append(Problem(f"{seed_dir.name}/{p.file}", p.line, p.field, message))
            raise SeedValidationError(mapped) from None
        # ------------------------------------------------------------ publish: replace changed files one by one
        changed: list[Path] = []
        for path in sorted(copy.rglob("*")):
            if not path.is_file():
                continue
            rel = path.relative_to(copy)
            original = seed_dir / rel
            if not original.exists() or original.read_bytes() != path.read_bytes():
                changed.append(rel)
        # new articles first, YAML files last: a reader never sees records quoting a missing text
        changed.sort(key=lambda r: (r.suffix in (".yaml", ".yml"), str(r)))
        refused = []
        for rel in changed:  # every destination checked before the first is replaced: all or nothing
            try:
                _check_destination(seed_dir, rel.parts)
            except _Refused as exc:
                refused.append(Problem(f"{seed_dir.name}/{rel.as_posix()}", 0, "file", str(exc)))
        if refused:
            raise SeedValidationError(refused)
        for rel in changed:
            dest = seed_dir / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(copy / rel, dest)
            report.files_changed.append(rel.as_posix())
    finally:
        shutil.rmtree(work, ignore_errors=True)
    manifest = dict(draft.manifest)
    manifest["merged"] = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    manifest["merged_into"] = str(seed_dir)
    text = "# What `graphmodel extract` read, and whether this draft has been merged.\n" + yaml.safe_dump(
        manifest, sort_keys=False, allow_unicode=True, width=120)
    tmp = None
    try:  # replaced, not written through: draft.yaml may have become a link since it was read
        fd, tmp = tempfile.mkstemp(prefix=f".{MANIFEST}.", dir=draft.path)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, draft.path / MANIFEST)
    except OSError:  # the seed is merged; a read-only draft folder only loses its "merged" stamp
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return report

