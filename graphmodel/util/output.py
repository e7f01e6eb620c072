"""Writing outputs so that a failure leaves what was there: atomic files, staged folders, checked targets.

Every output takes the place of a regular file (a folder, for a folder
output) or a new path only: a device, FIFO, socket or symbolic link where an
output goes is refused and left as it is (:func:`check_output_target`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from graphmodel.errors import OutputError

__all__ = ["atomic_write", "staged_folder", "check_output_target", "check_output_folder", "output_errors", "publish"]


_CANNOT_WRITE = frozenset({
    errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM, errno.EISDIR, errno.ENOTDIR,
    errno.EEXIST, errno.ENOTEMPTY, errno.ENAMETOOLONG, errno.ELOOP, errno.EXDEV, errno.EIO,
})
"""The operating system's ways of saying that an output cannot be written where it was asked for."""

_KINDS = (
    (stat.S_ISLNK, "a symbolic link"), (stat.S_ISDIR, "a folder"), (stat.S_ISREG, "a regular file"),
    (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
)


def check_output_target(path: Path | str, *, folder: bool = False) -> None:
    """Raise :class:`~graphmodel.errors.OutputError` unless an output may be written at ``path``.

    A file output may take the place of a regular file or a new path, a folder
    output that of a folder or a new path. Anything else there (a device such as
    ``/dev/full``, a FIFO, a socket, a symbolic link) is left as it is: replacing
    it would destroy it, and writing through a link would write somewhere the
    user did not name. :func:`os.lstat` does not follow a final link.
    """
    path = Path(path)
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:  # a parent that is a file (ENOTDIR), or one that cannot be searched (EACCES)
        raise OutputError(f"cannot write {path}: {exc.strerror}; nothing was written") from exc
    wanted, what = (stat.S_ISDIR, "a folder") if folder else (stat.S_ISREG, "a regular file")
    if wanted(mode):
        return
    kind = next((name for test, name in _KINDS if test(mode)), "neither a file nor a folder")
    if stat.S_ISLNK(mode):
        kind += f" (to {os.readlink(path)})"
    raise OutputError(f"{path} is {kind}, not {what}: it was left as it is and nothing was written")


@contextlib.contextmanager
def output_errors(target: Path | str, outcome: str = "nothing was written") -> Iterator[None]:
    """Turn the operating system's refusal to write (full or read-only disk, no permission) into an ``OutputError``.

    The message names ``target`` (the path the user gave, not a temporary
    file), the reason, and ``outcome``: what the failure left behind.
    """
    try:
        yield
    except OSError as exc:
        if exc.errno not in _CANNOT_WRITE:
            raise
        raise OutputError(f"cannot write {target}: {exc.strerror}; {outcome}") from exc
    except OutputError as exc:
        if not isinstance(exc.__cause__, OSError):
            raise
        # a file inside a staging folder failed: say it of the path the user gave
        raise OutputError(f"cannot write {target}: {exc.__cause__.strerror}; {outcome}") from exc.__cause__


@contextlib.contextmanager
def atomic_write(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target`` in one step.

    Raises :class:`~graphmodel.errors.OutputError` when ``target`` is neither a
    regular file nor a new path (checked before anything is written and again
    just before the replacement), and when the file cannot be written there;
    ``target`` is then as it was and the temporary file is gone.
    """
    target = Path(target)
    check_output_target(target)
    with output_errors(target):
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    try:
        with output_errors(target, f"{target} is as it was"):
            yield Path(tmp)
            _readable(Path(tmp))
            check_output_target(target)  # again: a FIFO or a link may have been put there while the file was written
            os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def staged_folder(target: Path, replaceable: Callable[[str], bool]) -> Iterator[Path]:
    """Yield an empty folder beside ``target``; on success it takes the place of ``target`` whole.

    For an output that is a folder of files used together (the neo4j-admin
    import files and their command): a failure midway leaves the earlier folder
    exactly as it was, never new files beside old ones. ``target`` must be new,
    or a folder of regular files that ``replaceable(name)`` accepts (an earlier
    output of the same kind): the folder is replaced whole, so one holding
    anything else is refused rather than emptied.
    """
    target = Path(target)
    check_output_folder(target, replaceable)
    with output_errors(target):
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-staging-", dir=target.parent))
    try:
        with output_errors(target, f"{target} is as it was"):
            yield staging
            _readable(staging, 0o777)
            check_output_folder(target, replaceable)
            _swap_folder(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def check_output_folder(target: Path | str, replaceable: Callable[[str], bool]) -> None:
    """Raise :class:`~graphmodel.errors.OutputError` unless :func:`staged_folder` may replace ``target`` whole.

    It may when ``target`` is new, or a folder whose entries are all regular
    files that ``replaceable(name)`` accepts.
    """
    target = Path(target)
    check_output_target(target, folder=True)
    if not os.path.lexists(target):
        return
    with output_errors(target):
        entries = list(os.scandir(target))
    others = sorted(e.name for e in entries if not (e.is_file(follow_symlinks=False) and replaceable(e.name)))
    if others:
        shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
        raise OutputError(f"{target} holds {shown}, not written by this export; the export replaces its folder whole, "
                          "so give a new or empty folder (or one holding only an earlier export): nothing was written")


def _swap_folder(new: Path, target: Path) -> None:
    """Put the folder ``new`` at ``target``; an earlier ``target`` is deleted only once ``new`` is in its place."""
    if not os.path.lexists(target):
        os.replace(new, target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
    try:
        os.replace(target, old)  # a folder may take the place of an empty folder
    except BaseException:
        old.rmdir()
        raise
    try:
        os.replace(new, target)
    except BaseException:
        os.replace(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _readable(path: Path, mode: int = 0o666) -> None:
    """Temporary files and folders are created private; published outputs get the usual umask mode."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, mode & ~umask)


def publish(staging: Path, out_dir: Path) -> list[Path]:
    """Move every file of ``staging`` into ``out_dir`` (each move atomic), then drop staging.

    Every destination is checked before the first move: a FIFO, a device or a
    link where an output goes stops the publication with nothing replaced.
    """
    moves = [(path, out_dir / path.relative_to(staging)) for path in sorted(staging.rglob("*")) if path.is_file()]
    check_output_target(out_dir, folder=True)
    for _, dest in moves:
        for folder in reversed(dest.relative_to(out_dir).parents[:-1]):
            check_output_target(out_dir / folder, folder=True)
        check_output_target(dest)
    with output_errors(out_dir, "no output was replaced"):
        out_dir.mkdir(parents=True, exist_ok=True)
    for path, dest in moves:
        with output_errors(dest, "the outputs before it were replaced, the others are as they were"):
            _readable(path)
            dest.parent.mkdir(parents=True, exist_ok=True)
            check_output_target(dest)
            os.replace(path, dest)
    shutil.rmtree(staging, ignore_errors=True)
    return [dest for _, dest in moves]
