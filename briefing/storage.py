"""Cache entries on disk: where the caches live, atomic entry writes, scans that sweep strays.

Shared by every cache (clips, sections, finished renders, scripts); imports nothing of the package.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

import platformdirs

_STALE_TMP_SECONDS = 3600.0


def default_directory() -> Path:
    """The user cache directory (honours XDG_CACHE_HOME on Linux)."""
    return Path(platformdirs.user_cache_dir("briefing"))


def write_entry(path: Path, *chunks: bytes) -> bool:
    """Write a cache entry atomically: a temp name beside it, then a rename; False on failure.

    No fsync: a cache entry lost to a crash only costs the work of making it again. A full or
    read-only disk costs the entry, nothing more; `scan_entries` sweeps what a kill leaves.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{time.monotonic_ns()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("wb") as out:
            for chunk in chunks:
                out.write(chunk)
        tmp.replace(path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        return False
    return True


def scan_entries(directory: Path, suffix: str) -> list[tuple[float, int, Path]]:
    """(mtime, size, path) of the entries ending in `suffix` in `directory`.

    Temporary files older than an hour (left by a killed render) are deleted on the way.
    """
    found: list[tuple[float, int, Path]] = []
    now = time.time()
    try:
        listing = list(os.scandir(directory))
    except OSError:
        return found
    for entry in listing:
        try:
            stat = entry.stat()
        except OSError:
            continue
        if entry.name.endswith(suffix):
            found.append((stat.st_mtime, stat.st_size, Path(entry.path)))
        elif entry.name.endswith(".tmp") and now - stat.st_mtime > _STALE_TMP_SECONDS:
            with contextlib.suppress(OSError):
                Path(entry.path).unlink()
    return found
