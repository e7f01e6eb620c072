"""Writing a draft folder: all of it or nothing."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

from graphmodel.extract.draft.folder import FORMAT, HEADER, MANIFEST
from graphmodel.extract.errors import DraftError
from graphmodel.extract.extractor import source_file_name
from graphmodel.extract.records import NODE_FILE_OF, DocumentExtraction, DraftRecord
from graphmodel.extract.status import goes_further
from graphmodel.extract.yamlout import dump_records

__all__ = ["write_draft"]

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
