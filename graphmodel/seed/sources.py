"""The source documents of a seed: each read without trusting the file, so a quote verifies only against text inside the seed."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from graphmodel.errors import Problem
from graphmodel.model.regions import DATA_DIR, reference_path
from graphmodel.model.schema import AnyNode, Source, SourceKind
from graphmodel.seed.dataset import Origin
from graphmodel.util.files import OPEN_UNTRUSTED, FileGrew, FileTooLarge, NotRegularFile, read_regular_file
from graphmodel.util.text import fold_space

__all__ = ["MAX_SOURCE_BYTES", "source_texts"]

MAX_SOURCE_BYTES = 5 * 1024 * 1024


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


def source_texts(nodes: dict[str, AnyNode], origins: dict[str, Origin], seed_dir: Path, problems: list[Problem]) -> dict[str, str]:
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
