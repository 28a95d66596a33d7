"""Writing files without losing anything a user wrote.

Every file tospolicy writes (reports given to `--output`, baselines, the files
of `init` and `import`) goes through `write_file`: the content is written to a
temporary file in the same folder and moved into place in one step, so an
interrupted run never leaves half a file; and an existing file is replaced
only when tospolicy itself wrote it (the caller says how to recognise that) or
the user passed `--force`.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import Callable


class OverwriteRefused(Exception):
    """The target exists and is not ours to replace; the message says what to do."""


class NotRegularFile(OSError):
    """A FIFO, a device, a socket: reading one can block forever or never end."""


_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))


def kind_of(mode: int) -> str:
    """What a file of this mode is, for messages: 'a named pipe (FIFO)', …"""
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def is_standard_output(path) -> bool:
    """Whether `path` is this process's standard output (`/dev/stdout`,
    `/proc/self/fd/1`, or the file it is redirected to)."""
    try:
        return os.path.samestat(os.stat(path), os.fstat(sys.stdout.fileno()))
    except (OSError, ValueError, AttributeError):  # no such file; stdout not a real file
        return False


def silence_standard_output() -> None:
    """Point standard output at the null device: after a reader closed the
    pipe, or the disk filled up, nothing more can be written there."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real standard output (tests)
        pass


def read_regular(path, limit: int) -> bytes:
    """At most `limit` bytes of a regular file (`open_regular_file`);
    NotRegularFile, saying what it is, for anything else."""
    stream = open_regular_file(path)
    if stream is None:
        raise NotRegularFile(f"it is {kind_of(os.stat(path).st_mode)}, not a regular file")
    with stream:
        return stream.read(limit)


def written_by_tospolicy(marker: bytes) -> Callable[[bytes], bool]:
    """A recogniser: the file's first 4 KiB contain `marker`."""

    def recognise(head: bytes) -> bool:
        return marker in head

    return recognise


def write_file(
    path: Path,
    content: str | bytes,
    *,
    force: bool = False,
    ours: Callable[[bytes], bool] | None = None,
) -> None:
    """Write `content` to `path` atomically.

    An existing non-empty file is replaced only with `force`, or when `ours`
    recognises its first 4 KiB as a file tospolicy wrote earlier.
    """
    import tempfile  # with the random module it loads, 6 ms of a run that writes nothing

    path = Path(path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    if is_standard_output(path):  # `-o /dev/stdout`: a stream, not a file to replace
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    if path.is_dir():
        raise OverwriteRefused(f"{path} is a folder")
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:  # nothing there, or a dangling link: replaced
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        # `-o /dev/null`, a FIFO (which would block), /proc/self/fd/1 redirected
        # elsewhere: replacing it with a file would destroy it.
        raise NotRegularFile(f"it is {kind_of(mode)}, not a regular file: tospolicy writes "
                             "regular files only")
    if path.exists() and not force:
        with open(path, "rb") as stream:
            head = stream.read(4096)
        if head and not (ours is not None and ours(head)):
            raise OverwriteRefused(
                f"{path} exists and was not written by tospolicy; pass --force to replace it"
            )
    folder = path.parent if str(path.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise


def open_regular_file(path: Path):
    """A binary stream reading `path`, opened without blocking (a FIFO put in
    place of a file would otherwise stop the run until someone writes to
    it), or None when what is there is not a regular file. Reading only:
    it sits here with the writes so that every `os.open` is in one module."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    stream = os.fdopen(descriptor, "rb")
    if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
        stream.close()
        return None
    return stream
