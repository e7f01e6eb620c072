"""Files merge does not trust: a draft is someone else's, so nothing in it is followed or read blindly."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path, PurePosixPath
from typing import Any

from graphmodel.util.files import OPEN_UNTRUSTED, FileRefused, file_kind, read_regular_file

__all__ = ["Refused", "check_kind", "read_inside", "check_destination", "relative_parts"]

_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)
_FOLDER = getattr(os, "O_DIRECTORY", 0)


class Refused(Exception):
    """A path merge will not read or write; the message says why, ``field`` names the record field it came from."""

    def __init__(self, message: str, field_: str = "path"):
        super().__init__(message)
        self.field = field_


def check_kind(path: Path, shown: str, *, folder: bool) -> bool:
    """Whether ``path`` exists; refuse a symbolic link, and a file where a folder is wanted (or the reverse)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return False
    wanted = stat.S_ISDIR(mode) if folder else stat.S_ISREG(mode)
    if not wanted:
        raise Refused(f"{shown} is {file_kind(mode)}, not {'a folder' if folder else 'a regular file'}; merge reads "
                       "and writes no symbolic links and no special files")
    return True


def read_inside(root: Path, parts: tuple[str, ...], limit: int, where: str = "") -> bytes:
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
        if not check_kind(root.joinpath(*parts[:i]), here, folder=i < len(parts)):
            raise Refused(f"{here} is missing")
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
        raise Refused(f"{shown} cannot be read ({why})") from None
    try:
        return read_regular_file(file_fd, limit)
    except FileRefused as exc:  # its message says what the file is, or how large
        raise Refused(f"{shown} {exc}") from None
    finally:
        os.close(file_fd)


def check_destination(seed_dir: Path, parts: tuple[str, ...]) -> bool:
    """Whether ``seed_dir/parts`` exists; refuse writing it through a symbolic link or over a special file."""
    for i in range(1, len(parts) + 1):
        here = f"the seed's {'/'.join(parts[:i])}"
        if not check_kind(seed_dir.joinpath(*parts[:i]), here, folder=i < len(parts)):
            return False  # new from here on: merge creates it
    return True


def relative_parts(value: Any) -> tuple[str, ...]:
    """The parts of a relative path that names something inside its folder, or :class:`Refused`."""
    if not isinstance(value, str) or not value.strip():
        raise Refused("must be the article's text in the draft, sources/NAME.txt")
    path = PurePosixPath(value)
    if path.is_absolute() or value.startswith("\\"):
        raise Refused(f"{value!r} is an absolute path; an article's text is sources/NAME.txt inside the draft folder")
    if ".." in path.parts:
        raise Refused(f"{value!r} leaves the draft folder ('..'); an article's text is sources/NAME.txt inside it")
    if len(path.parts) != 2 or path.parts[0] != "sources" or "\\" in value:
        raise Refused(f"{value!r} is not sources/NAME.txt, where extract puts an article's text")
    return path.parts
