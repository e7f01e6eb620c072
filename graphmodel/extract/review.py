"""Interactive review of a draft: accept, reject, edit or attach each proposed record.

Each proposed record is shown with its fields, its evidence (the mention
highlighted in the quote), the rule that produced it, its confidence and any
note (near matches, unsure "PMI", inferred dates). Answers:

====  ===========================================================
a     accept
r     reject
e     edit fields: ``field=value`` lines (YAML values), empty line ends
m     attach to an existing node: give its id (sets draft.match)
s     skip (leave it proposed)
A     accept this and every remaining proposed record
q     stop (everything decided so far is saved)
====  ===========================================================

Every decision is written to the draft at once, so stopping loses nothing.
Review needs a person at a terminal: with no terminal on standard input it
refuses, unless ``--script`` says the answers come from standard input (for
tests and scripted runs).
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import yaml
from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from graphmodel.extract.draft import Draft, DraftEntry, read_draft, save_draft
from graphmodel.extract.errors import ReviewError
from graphmodel.util.escaping import terminal_text

__all__ = ["review_draft", "ReviewSummary", "stdin_is_interactive", "proposal_rows", "format_proposals", "activity_line"]

_NOT_DELIVERED = {"planned": "PLANNED, not done", "hoped": "HOPED, not done"}
"""How a planned or hoped activity is marked wherever a proposal is listed: it closes no gap once merged."""

_CHOICES = {"a": "accept", "r": "reject", "e": "edit", "m": "match", "s": "skip", "A": "accept all", "q": "quit"}


@dataclass
class ReviewSummary:
    """What a review session decided: counts of each decision, and whether it stopped before the end."""

    decisions: Counter = field(default_factory=Counter)
    remaining: int = 0
    stopped_early: bool = False

    def __str__(self) -> str:
        done = ", ".join(f"{n} {k}" for k, n in sorted(self.decisions.items())) or "no decisions"
        return f"review: {done}; {self.remaining} still proposed" + (" (stopped early)" if self.stopped_early else "")


def stdin_is_interactive(stream: IO[str] | None = None) -> bool:
    """Whether ``stream`` (standard input by default) is a terminal a reviewer types into."""
    stream = sys.stdin if stream is None else stream
    try:
        return stream is not None and not stream.closed and stream.isatty()
    except (AttributeError, ValueError):
        return False


def _source_text(draft: Draft, seed_dir: Path | None, source_id: str) -> str | None:
    for e in draft.entries:
        if e.label is not None and e.label.value == "Source" and e.data.get("id") == source_id:
            path = draft.path / str(e.data.get("path", ""))
            if path.is_file():
                return path.read_text(encoding="utf-8")
    if seed_dir is not None:
        try:
            data = yaml.safe_load((seed_dir / "sources.yaml").read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            return None
        for rec in data or []:
            if isinstance(rec, dict) and rec.get("id") == source_id and (seed_dir / str(rec.get("path"))).is_file():
                return (seed_dir / str(rec["path"])).read_text(encoding="utf-8")
    return None


def activity_line(entry: DraftEntry) -> str | None:
    """The activity status of a proposed relationship and the cue that decided it, as a reviewer reads it.

    None for a node, or a relationship without a status. Planned and hoped
    ones are marked in capitals: ``PLANNED, not done (cue "akan")``.
    """
    status = entry.data.get("status") if entry.label is None else None
    if not isinstance(status, str):
        return None
    cue = (entry.draft or {}).get("cue")
    shown = _NOT_DELIVERED.get(status, status)
    return f'{shown} (cue "{cue}")' if cue else shown


def proposal_rows(draft: Draft) -> list[dict[str, Any]]:
    """One row per record of ``draft``: what ``graphmodel review --list`` prints (text or JSON).

    Relationships carry ``activity_status`` (reported, planned, hoped,
    inferred; None for non-activity types without one), the ``cue`` word that
    decided it and ``delivers`` (False for planned and hoped: such a
    relationship, once merged, closes no coverage gap).
    """
    rows = []
    for e in draft.entries:
        meta = e.draft or {}
        evidence = e.data.get("evidence") or []
        first = evidence[0] if evidence and isinstance(evidence[0], dict) else {}
        status = e.data.get("status") if e.label is None else None
        rows.append({
            "file": e.file, "line": e.line,
            "kind": e.label.value if e.label is not None else str(e.data.get("type")),
            "id": e.data.get("id"), "from": e.data.get("from"), "to": e.data.get("to"),
            "service": e.data.get("service"),
            "review": e.status, "activity_status": status, "cue": meta.get("cue"),
            "delivers": None if status is None else status in ("reported", "inferred"),
            "confidence": meta.get("confidence"), "rule": meta.get("rule"),
            "quote": first.get("quote"), "note": meta.get("note"),
        })
    return rows


def format_proposals(rows: list[dict[str, Any]]) -> str:
    """The rows as plain lines: one per record; planned and hoped activity marked in capitals, its cue quoted."""
    lines = []
    for r in rows:
        what = r["id"] if r["from"] is None else f"{r['from']} -> {r['to']}" + (f" ({r['service']})" if r["service"] else "")
        status = r["activity_status"]
        shown = "" if status is None else _NOT_DELIVERED.get(status, status) + (f' (cue "{r["cue"]}")' if r["cue"] else "")
        lines.append(terminal_text(f"{r['file']}:{r['line']}  [{r['review']}]  {r['kind']} {what}"
                                   + (f"  | {shown}" if shown else "")
                                   + f"  | {r['rule']} {r['confidence']}"))
    return "\n".join(lines)


def _render(entry: DraftEntry, index: int, total: int, draft: Draft, seed_dir: Path | None) -> Panel:
    meta = entry.draft or {}
    kind = entry.label.value if entry.label is not None else f"{entry.data.get('type')} relationship"
    match = meta.get("match")
    # a draft is untrusted (anyone may have edited it, an article may hold escape sequences): every value is shown
    # as text, control characters written out and rich markup not parsed (a Text is never read as markup)
    title = Text(terminal_text(f"[{index}/{total}] {kind} · {'attach to ' + match if match else 'new'} · "
                               f"confidence {meta.get('confidence')} · {meta.get('rule')}"))
    body = Text()
    activity = activity_line(entry)
    if activity is not None:
        # first, and loud when not delivered: accepting a planned or hoped tie as if done is the mistake to avoid
        body.append("activity: ", style="bold")
        body.append(f"{terminal_text(activity)}\n",
                    style="bold black on yellow" if entry.data.get("status") in _NOT_DELIVERED else "green")
    for key, value in entry.data.items():
        if key == "evidence":
            continue
        body.append(f"{key}: ", style="bold")
        body.append(f"{terminal_text(value)}\n")
    for ev in entry.data.get("evidence", []) or []:
        if not isinstance(ev, dict):
            continue
        body.append(f"evidence ({terminal_text(ev.get('source'))}): ", style="bold")
        quote = str(ev.get("quote", ""))
        text = _source_text(draft, seed_dir, str(ev.get("source")))
        span = meta.get("mention")
        offsets = meta.get("offsets")
        if text and span and offsets and offsets[0] <= span[0] <= span[1] <= offsets[1]:
            before = " ".join(text[offsets[0]:span[0]].split())
            hit = " ".join(text[span[0]:span[1]].split())
            after = " ".join(text[span[1]:offsets[1]].split())
            body.append(f"“{terminal_text(before)} ")
            body.append(terminal_text(hit), style="bold reverse")
            body.append(f" {terminal_text(after)}”\n")
            span = None  # highlight the first quote only
        else:
            body.append(f"“{terminal_text(quote)}”\n")
    if meta.get("note"):
        body.append("note: ", style="bold yellow")
        body.append(f"{terminal_text(meta['note'])}\n")
    for cand in meta.get("candidates") or []:
        body.append("near match: ", style="bold yellow")
        body.append(f"{terminal_text(cand.get('id'))} ({terminal_text(cand.get('score'))})\n")
    return Panel(body, title=title, title_align="left")


def _ask(console: Console, prompt: str, stream: IO[str]) -> str:
    console.print(prompt, end="", markup=False, highlight=False)
    line = stream.readline()
    if line == "":
        raise EOFError
    return line.rstrip("\n")


def review_draft(draft_dir: Path, *, seed_dir: Path | None = None, console: Console | None = None,
                 stream: IO[str] | None = None, script: bool = False) -> ReviewSummary:
    """Walk through the proposed records of a draft, saving each decision."""
    stream = sys.stdin if stream is None else stream
    console = console or Console()
    if not script and not stdin_is_interactive(stream):
        raise ReviewError(
            "review is interactive, but standard input is not a terminal; run it in a terminal, "
            "or pass --script to read answers (a, r, s, m ID, e, A, q; one per line) from standard input, "
            "or edit draft.status in the draft's files and run `graphmodel merge`")
    if stream is None or getattr(stream, "closed", False):
        raise ReviewError("review has no standard input to read answers from")
    draft = read_draft(draft_dir)
    if draft.problems:
        raise ReviewError(f"{draft_dir}: the draft has problems; first: {draft.problems[0]}")
    known_ids: set[str] | None = None
    if seed_dir is not None and seed_dir.is_dir():
        from graphmodel.seed import load_seed

        try:
            known_ids = set(load_seed(seed_dir).nodes)
        except Exception:  # noqa: BLE001 - a broken seed only disables the id check
            known_ids = None
    todo = [(e, e.draft) for e in draft.entries if e.draft is not None and e.status == "proposed"]
    summary = ReviewSummary()
    accept_rest = False
    for i, (entry, meta) in enumerate(todo, 1):
        if accept_rest:
            meta["status"] = "accepted"
            summary.decisions["accepted"] += 1
            continue
        while True:
            console.print(_render(entry, i, len(todo), draft, seed_dir))
            try:
                answer = _ask(console, "accept [a] / reject [r] / edit [e] / match [m] / skip [s] / accept all [A] / quit [q]: ", stream).strip()
            except EOFError:
                summary.stopped_early = True
                break
            head, _, rest = answer.partition(" ")
            if head not in _CHOICES:
                console.print(f"'{answer}' is not one of: {', '.join(_CHOICES)}", markup=False)
                continue
            if head in ("a", "A"):
                meta["status"] = "accepted"
                summary.decisions["accepted"] += 1
                accept_rest = head == "A"
            elif head == "r":
                meta["status"] = "rejected"
                summary.decisions["rejected"] += 1
            elif head == "s":
                summary.decisions["skipped"] += 1
            elif head == "q":
                summary.stopped_early = True
            elif head == "m":
                target = rest.strip() or _ask(console, "existing id: ", stream).strip()
                if known_ids is not None and target not in known_ids:
                    console.print(f"no node {target!r} in the seed", markup=False)
                    continue
                old = entry.data.get("id")
                meta["match"] = target
                if entry.label is not None:
                    entry.data["id"] = target
                    _rename_references(draft, old, target)
                summary.decisions["matched"] += 1
                continue
            elif head == "e":
                changed = _edit(entry, console, stream)
                if changed:
                    summary.decisions["edited"] += 1
                save_draft(draft)
                continue
            save_draft(draft)
            break
        if summary.stopped_early:
            break
    save_draft(draft)
    summary.remaining = sum(1 for e in draft.entries if e.draft is not None and e.status == "proposed")
    return summary


def _rename_references(draft: Draft, old: Any, new: str) -> None:
    if not isinstance(old, str) or old == new:
        return
    for e in draft.entries:
        for key in ("from", "to", "parent"):
            if e.data.get(key) == old:
                e.data[key] = new


def _edit(entry: DraftEntry, console: Console, stream: IO[str]) -> bool:
    changed = False
    while True:
        try:
            line = _ask(console, "field=value (empty line to finish): ", stream)
        except EOFError:
            return changed
        if not line.strip():
            return changed
        key, sep, raw = line.partition("=")
        key = key.strip()
        if not sep or not key or key == "draft":
            console.print("write field=value, e.g. name=Rumah Detensi Imigrasi Makassar", markup=False)
            continue
        try:
            value = yaml.safe_load(raw) if raw.strip() else None
        except yaml.YAMLError:
            value = raw.strip()
        if value is None:
            entry.data.pop(key, None)
        else:
            entry.data[key] = value
        changed = True
