"""A content-addressed clip cache on disk: verified clips keyed by everything that shapes them.

One file per clip, `<dir>/clips/<2 hex>/<sha256>.clip`: a 16-byte header (magic, sample
rate, PCM length), raw mono s16le PCM, then the checksum trailer of `briefing.storage`.
Entries are written to a temporary name and renamed into place, so concurrent renders never
see half a file and a killed render leaves at most a stray temporary file (swept later).
Reads check the checksum, header and length and delete anything that does not match (it is
synthesized again). Size is bounded: when a put takes the total over `max_bytes`, the least
recently used entries (by mtime; hits touch it) go first.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import struct
from dataclasses import dataclass
from pathlib import Path

from briefing.model import Clip, Utterance
from briefing.storage import (
    CHECK_BYTES,
    default_directory,
    drop_entry,
    read_entry,
    scan_entries,
    write_entry,
)

_MAGIC = b"BRC2"
_HEADER = struct.Struct("<4sIQ")
_KEY_FORMAT = 2


@dataclass(frozen=True)
class CacheInfo:
    """What `briefing cache info` shows."""

    directory: Path
    entries: int
    bytes: int
    max_bytes: int


def clip_key(engine: str, engine_version: str, utterance: Utterance, *, sample_rate: int) -> str:
    """sha256 over engine, engine version, the clip's sample rate (it is cached resampled to the
    briefing's), voice id, rate, pitch, volume and spoken text."""
    voice = utterance.voice
    fields = [
        _KEY_FORMAT,
        engine,
        engine_version,
        sample_rate,
        voice.id,
        utterance.effective_rate,
        voice.pitch,
        voice.volume,
        utterance.text,
    ]
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode()).hexdigest()


def entry_bytes(clip: Clip) -> int:
    """Size of a clip's cache entry on disk."""
    return _HEADER.size + len(clip.pcm) + CHECK_BYTES


class ClipCache:
    """Verified clips on disk, safe for concurrent renders, bounded in size."""

    def __init__(self, directory: Path | None = None, max_bytes: int = 2 * 1024**3) -> None:
        self.directory = directory if directory is not None else default_directory()
        self.max_bytes = max_bytes
        self._clips = self.directory / "clips"
        self._bytes: int | None = None  # total size, scanned lazily on the first put
        self.reads = 0
        """Clips read from disk by `get` (a render that reuses story sections reads few)."""

    def _path(self, key: str) -> Path:
        return self._clips / key[:2] / f"{key}.clip"

    def get(self, key: str) -> Clip | None:
        """The cached clip for `key`, or None (a damaged entry is deleted)."""
        path = self._path(key)
        found = read_entry(path, _HEADER.size)
        if found is None:
            return None
        self.reads += 1
        header, pcm = found
        magic, rate, length = _HEADER.unpack(header)
        if magic != _MAGIC or length != len(pcm) or length % 2:
            drop_entry(path)
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # mark as recently used for eviction
        return Clip(pcm, rate)

    def put(self, key: str, clip: Clip) -> None:
        """Store a clip atomically; a full or read-only disk only costs the cache entry."""
        if self.write(key, clip):
            self.account(entry_bytes(clip))

    def write(self, key: str, clip: Clip) -> bool:
        """Write the entry atomically, without size accounting (a synthesis worker's part:
        the render's own instance counts what workers wrote with `account`); False on failure."""
        header = _HEADER.pack(_MAGIC, clip.sample_rate, len(clip.pcm))
        return write_entry(self._path(key), header, clip.pcm)

    def account(self, entry_bytes: int) -> None:
        """Count a new entry of this size; evict the least recently used past the bound."""
        if self._bytes is None:
            self._bytes = self.info().bytes
        else:
            self._bytes += entry_bytes
        if self._bytes > self.max_bytes:
            self._bytes = self._evict(int(self.max_bytes * 0.9))

    def writable(self) -> bool:
        """Whether entries can be written here (not read-only, not full): a probe entry."""
        probe = self._clips / f".probe-{os.getpid()}"
        if not write_entry(probe, b"probe"):
            return False
        drop_entry(probe)
        return True

    def has(self, key: str) -> bool:
        """Whether a complete entry for `key` is present (its header is checked, not its PCM)."""
        path = self._path(key)
        try:
            with path.open("rb") as entry:
                header = entry.read(_HEADER.size)
            size = path.stat().st_size
        except OSError:
            return False
        if len(header) != _HEADER.size:
            return False
        magic, _, length = _HEADER.unpack(header)
        return bool(magic == _MAGIC and size == _HEADER.size + length + CHECK_BYTES)

    def get_stats(self, key: str) -> bytes | None:
        """The clip's statistics side file (see `clip_stats`), or None."""
        found = read_entry(self._path(key).with_suffix(".stats"))
        return found[1] if found is not None else None

    def put_stats(self, key: str, data: bytes) -> None:
        """Store the clip's statistics side file atomically (best effort)."""
        write_entry(self._path(key).with_suffix(".stats"), data)

    def info(self) -> CacheInfo:
        """Number of entries and bytes used."""
        entries = [size for _, size, _ in self._scan()]
        return CacheInfo(self.directory, len(entries), sum(entries), self.max_bytes)

    def clear(self) -> tuple[int, int]:
        """Delete every entry; return how many were removed and how many could not be."""
        before = len(self._scan())
        shutil.rmtree(self._clips, ignore_errors=True)
        # Finished renders and encoded story sections go too.
        shutil.rmtree(self.directory / "renders", ignore_errors=True)
        shutil.rmtree(self.directory / "sections", ignore_errors=True)
        left = len(self._scan())
        self._bytes = None
        return before - left, left

    def _scan(self) -> list[tuple[float, int, Path]]:
        """(mtime, size, path) of every entry; sweeps temporaries left by killed renders."""
        try:
            subdirectories = [Path(d.path) for d in os.scandir(self._clips) if d.is_dir()]
        except OSError:
            return []
        return [entry for sub in subdirectories for entry in scan_entries(sub, ".clip")]

    def _evict(self, target: int) -> int:
        """Delete least recently used entries until at most `target` bytes remain."""
        entries = sorted(self._scan())
        total = sum(size for _, size, _ in entries)
        for _, size, path in entries:
            if total <= target:
                break
            with contextlib.suppress(OSError):
                path.unlink()
            with contextlib.suppress(OSError):
                path.with_suffix(".stats").unlink()
            total -= size
        return total
