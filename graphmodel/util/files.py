"""Reading a file that someone else may have put there: a regular file, a bounded read.

A seed's source texts and a draft's files are input a user did not write
themselves. Opened without waiting (``O_NONBLOCK``: opening a named pipe
would wait for a writer) and, where the caller asks, without following a
final symbolic link (``O_NOFOLLOW``), such a file is read by
:func:`read_regular_file`: it must be a regular file, its size is checked
with ``fstat`` before anything is read, and the read stops one byte past the
limit in case the file grows meanwhile. Each refusal is a child of
:class:`FileRefused`, so that a caller words it for its own users.

This is a bottom layer: it imports nothing from the rest of graphmodel.
"""

from __future__ import annotations

import os
import stat

__all__ = ["OPEN_UNTRUSTED", "FileRefused", "NotRegularFile", "FileTooLarge", "FileGrew", "read_regular_file",
           "file_kind"]

OPEN_UNTRUSTED = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
"""Flags for :func:`os.open` of an untrusted file: read only, no final link followed, no wait on a pipe."""


class FileRefused(Exception):
    """The file cannot be read as a document (see the children)."""


class NotRegularFile(FileRefused):
    """A folder, named pipe, socket or device; ``kind`` says which, in words."""

    def __init__(self, mode: int):
        self.kind = file_kind(mode)
        super().__init__(f"is {self.kind}, not a regular file")


class FileTooLarge(FileRefused):
    """Larger than the limit before it was read: ``size`` and ``limit`` in bytes."""

    def __init__(self, size: int, limit: int):
        self.size, self.limit = size, limit
        super().__init__(f"is {size:,} bytes, above the limit of {limit:,}")


class FileGrew(FileRefused):
    """Grew past the limit while it was read."""

    def __init__(self, limit: int):
        self.limit = limit
        super().__init__(f"grew past the limit of {limit:,} bytes while it was read")


def file_kind(mode: int) -> str:
    """What an ``st_mode`` is, in words ("a named pipe").

    >>> file_kind(stat.S_IFIFO | 0o600)
    'a named pipe'
    """
    for test, name in ((stat.S_ISLNK, "a symbolic link"), (stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device")):
        if test(mode):
            return name
    return "a regular file"


def read_regular_file(fd: int, limit: int) -> bytes:
    """The bytes of the open file ``fd`` if it is a regular file of at most ``limit`` bytes.

    Raises :class:`NotRegularFile`, :class:`FileTooLarge` (checked with
    ``fstat``, before reading) or :class:`FileGrew`. ``fd`` stays open.

    >>> import tempfile
    >>> with tempfile.TemporaryFile() as fh:
    ...     _ = fh.write(b"Rudenim Kupang")
    ...     fh.flush()
    ...     read_regular_file(fh.fileno(), 14)
    b'Rudenim Kupang'

    """
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        raise NotRegularFile(info.st_mode)
    if info.st_size > limit:
        raise FileTooLarge(info.st_size, limit)
    os.lseek(fd, 0, os.SEEK_SET)
    with open(fd, "rb", closefd=False) as fh:
        # read what fstat announced (a read of the limit would allocate the limit), then check it did not grow
        raw = fh.read(info.st_size + 1)
        if len(raw) > info.st_size:
            raw += fh.read(limit + 1 - len(raw))
    if len(raw) > limit:
        raise FileGrew(limit)
    return raw
