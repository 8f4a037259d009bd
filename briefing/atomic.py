"""Write files atomically: a temp file beside the target, fsync, then `os.replace` into place.

A failed or interrupted write (any exception, KeyboardInterrupt included) removes the temp file,
so it never leaves a partial output and never clobbers an existing one.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from briefing.errors import ConfigError


def _target_mode(target: Path) -> int:
    """Mode the finished file should get: the replaced file's, else 0666 minus the umask."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        # os.umask can only be read by setting it; restore it at once.
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


NAME_MAX = 255
"""Longest file name, in bytes, on Linux, macOS and Windows file systems alike."""
_TEMP_EXTRA = len(".." + "x" * 8 + ".part")
"""What a temporary name adds to the stem and suffix: two dots, mkstemp's 8 characters, .part."""


def _short_stem(target: Path) -> str:
    """The target's stem, cut so its temporary name stays within NAME_MAX bytes."""
    room = NAME_MAX - _TEMP_EXTRA - len(os.fsencode(target.suffix))
    stem = os.fsencode(target.stem)
    # A cut through a multibyte character still round-trips (fsdecode escapes the stray bytes).
    return target.stem if len(stem) <= room else os.fsdecode(stem[: max(room, 1)])


def _fsync_dir(directory: Path) -> None:
    """Persist the rename itself; best effort (not every platform can open a directory)."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temp path beside `target`; move it into place only if the block succeeds."""
    target = Path(target)
    # Keep the real suffix last so tools that pick a format by extension (ffmpeg) still work.
    fd, name = tempfile.mkstemp(
        dir=target.parent, prefix=f".{_short_stem(target)}.", suffix=f".part{target.suffix}"
    )
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with tmp.open("rb+") as f:
            os.fsync(f.fileno())
        tmp.chmod(_target_mode(target))
        tmp.replace(target)  # atomic rename (os.replace) within one directory
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)


def write_bytes_atomic(target: Path, data: bytes) -> None:
    """Write `data` to `target` atomically."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def write_text_atomic(target: Path, text: str) -> None:
    """Write UTF-8 `text` to `target` atomically (LF line endings)."""
    with atomic_path(target) as tmp, tmp.open("w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def check_writable_target(path: Path) -> None:
    """ConfigError unless `path` names a regular file in an existing, writable directory.

    A FIFO, socket or device is refused: it would be replaced by a regular file (the atomic
    rename), and the MP3 writer seeks back to write its header, which a pipe cannot do.
    """
    size = len(os.fsencode(path.name))
    if size > NAME_MAX:
        raise ConfigError(
            f"{path.name[:40]}...: file name too long ({size} bytes; at most {NAME_MAX})"
        )
    try:
        mode = path.stat().st_mode
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        raise ConfigError(f"{path}: not a regular file (a pipe, socket or device); write a file")
    if path.is_dir():
        raise ConfigError(f"{path}: is a directory, expected a file name")
    parent = path.parent
    if not parent.is_dir():
        raise ConfigError(f"{path}: directory {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ConfigError(f"{path}: directory {parent} is not writable")
    if path.exists() and not os.access(path, os.W_OK):
        raise ConfigError(f"{path}: file exists and is not writable")
