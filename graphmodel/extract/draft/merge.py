"""Merging a reviewed draft into the seed: validated as a whole, then written file by file, or not at all."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from graphmodel.errors import Problem, SeedValidationError
from graphmodel.extract.articles import MAX_ARTICLE_BYTES, Article
from graphmodel.extract.draft.folder import MANIFEST, Draft, DraftEntry, read_draft
from graphmodel.extract.draft.untrusted import Refused, check_destination, read_inside, relative_parts
from graphmodel.extract.errors import DraftError
from graphmodel.extract.extractor import source_file_name
from graphmodel.extract.records import NODE_FILE_OF
from graphmodel.extract.yamlout import dump_records, evidence_flow, flow
from graphmodel.model.schema import AnyRel, Id, NodeLabel, rel_key
from graphmodel.seed import load_seed
from graphmodel.seed.yamlfile import LineDict, read_yaml
from graphmodel.util.text import fold_name

__all__ = ["merge_draft", "MergeReport"]

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
    """The bytes of a new article's text, checked before anything is written; :class:`Refused` otherwise.

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
        raise Refused(f"{sid!r} is not a source id (lower-case letters, digits, '.', '_' and '-')", "id") from None
    parts = relative_parts(e.data.get("path"))
    if sid not in recorded:
        raise Refused(f"{MANIFEST} records no sha256 for source {sid!r}, so its text cannot be checked; "
                       "extract the article again")
    raw = read_inside(draft.path, parts, MAX_ARTICLE_BYTES, "the article's text ")
    try:
        article = Article(path=Path(*parts), text=raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise Refused(f"the article's text is not UTF-8 (offset {exc.start}); extract the article again") from None
    if article.sha256 != recorded[sid]:
        raise Refused(f"the article's text {'/'.join(parts)} was changed since it was extracted (its sha256 is not "
                       f"the one {MANIFEST} recorded); extract the article again")
    expected = f"sources/{source_file_name(sid, article)}"
    if "/".join(parts) != expected:
        raise Refused(f"{'/'.join(parts)!r} is not where extract puts this text ({expected})")
    if check_destination(seed_dir, parts):
        try:
            same = read_inside(seed_dir, parts, len(raw)) == raw
        except Refused:  # larger, or not a regular file: not the same text either way
            same = False
        if not same:
            raise Refused(f"the seed already has a different {expected}; merge replaces no existing article")
    return raw


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
        """One line saying what was merged and what was not."""
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
    render = (lambda v: evidence_flow(v)) if key == "evidence" else (lambda v: flow(v))
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


def _node_label(e: DraftEntry) -> NodeLabel:
    """The label of a node's entry (a relationship's has none: callers pass nodes only)."""
    if e.label is None:  # pragma: no cover
        raise ValueError(f"{e.file}:{e.line} is a relationship, not a node")
    return e.label


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
            matched = ds.nodes.get(e.match)
            if matched is None:
                problem(e, "draft.match", f"no node {e.match!r} in the seed")
            elif matched.label != _node_label(e).value:
                problem(e, "draft.match", f"{e.match!r} is a {matched.label}, this record is a {_node_label(e).value}")
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
    existing_keys: dict[tuple[Any, ...], AnyRel] = {rel_key(r): r for r in ds.relationships}
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
        except Refused as exc:
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
            stem = NODE_FILE_OF[_node_label(e)][:-5]
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
                    report.new_nodes[_node_label(e).value] += 1
        # evidence and aliases for existing nodes
        for e in additions:
            node_id = mapping[e.data["id"]]
            origin = ds.origins[node_id]
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
        new_rels: dict[str | None, list[tuple[DraftEntry, dict]]] = defaultdict(list)  # by the source first quoted
        for e, data in accepted_rels:
            qual = data.get("service") or data.get("duty") or ""
            rkey = (data.get("from"), data.get("type"), data.get("to"), qual)
            known = existing_keys.get(rkey)
            if known is None and data.get("type") == "COOPERATES_WITH":  # symmetric: either direction is the same fact
                known = existing_keys.get((rkey[2], rkey[1], rkey[0], rkey[3]))
                if known is not None:
                    rkey = (rkey[2], rkey[1], rkey[0], rkey[3])
            if known is None:
                source = next((ev.get("source") for ev in data.get("evidence", []) if isinstance(ev, dict)), "extracted")
                new_rels[source].append((e, data))
                continue
            have = {(ev.source, " ".join(ev.quote.split())) for ev in known.evidence}
            evs = [ev for ev in data.get("evidence", []) if (ev.get("source"), " ".join(str(ev.get("quote")).split())) not in have]
            if not evs:
                continue
            rel_origin = ds.origins.get(rel_key(known))

            def same(r: LineDict, k=rkey) -> bool:
                q = r.get("service") or r.get("duty") or ""
                return (r.get("from"), r.get("type"), r.get("to"), q) == k

            if rel_origin and _add_items(copy / rel_origin.file, same, "evidence", evs):
                report.evidence_added += len(evs)
            else:
                problems.append(Problem(rel_origin.file if rel_origin else "relationships", rel_origin.line if rel_origin else 0,
                                        "evidence", f"could not add evidence to the existing {rkey[1]} {rkey[0]}->{rkey[2]}; add by hand"))
        rel_dir_files = _node_files(copy, "relationships")
        for source, rel_items in new_rels.items():
            if (copy / "relationships").is_dir() or not rel_dir_files:
                target = copy / "relationships" / f"{source}-extracted.yaml"
            else:
                target = rel_dir_files[0]
            comment = f"Relationships from {source}, added by `graphmodel merge` on {stamp} (extracted, then reviewed)."
            _, starts = _append_block(target, [d for _, d in rel_items], comment)
            for (e, _), line in zip(rel_items, starts):
                trail.append((target.relative_to(copy).as_posix(), line, line + 200, f"{draft_dir}/{e.file}:{e.line}"))
            report.new_relationships += len(rel_items)
        if problems:
            raise SeedValidationError(problems)
        try:
            load_seed(copy)
        except SeedValidationError as exc:
            mapped = []
            for p in exc.problems:
                draft_record = next((d for f, a, b, d in sorted(trail, key=lambda t: -t[1]) if f == p.file and a <= p.line), None)
                message = p.message + (f" (draft record {draft_record})" if draft_record else "")
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
                check_destination(seed_dir, rel.parts)
            except Refused as exc:
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
