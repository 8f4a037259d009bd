"""MP3 story by story: each story is its own LAME stream, cached, and the streams are joined.

The timeline is cut in the silence between stories (inside the pause before each transition).
Each section is stitched, gained and limited on its own, and encoded as an independent LAME
stream; its frames are cached under a hash of its levelled PCM, the briefing's gain and the
encoder settings. A section never depends on where it lands in the briefing, so editing one
story re-encodes that story only.

Joining: a section encoded from n samples decodes to F frames (F x 576 samples) that start
with 1105 samples of codec delay. Laid end to end, section k's first sample decodes at
P_k = 576 x (frames of the sections before it): the delay of one stream and the padding of the
previous one fall in the silence at the cut, which grows by 52-78 ms; the two halves of the cut
pause are shortened by about that much, so the gap stays within ~15 ms of the planned pause.
Cues and chapters are placed at P_k + their offset in the section, so they stay exact. One LAME
"Info" frame in front states the total frames and the end padding (gapless decoders).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import struct
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from briefing.encode_mp3 import (
    BITRATE_KBPS,
    ENCODER_DELAY,
    FRAME_SAMPLES,
    QUALITY,
    _encode_part,
    info_frame,
)
from briefing.model import Briefing, Chapter, Cue, Pause, SpokenItem, TimelineItem

_FORMAT = b"BRS1"
_HEADER = struct.Struct("<4sIIfI")  # magic, frames, samples, peak (linear), steps
SPLIT_MIN_MS = 250
"""A pause shorter than this between stories is not cut (each half keeps >= 1024 silent samples)."""
_SHORTEN_MS = (40, 25)
"""How much shorter the two halves of a cut pause are made (the join adds 52-78 ms of silence)."""


@dataclass(frozen=True)
class Section:
    """One independently encoded piece of the briefing: MP3 frames and what was measured."""

    mp3: bytes
    frames: int
    samples: int
    peak: float
    steps: np.ndarray  # K-weighted energy per 100 ms step after gain and limiting


@dataclass(frozen=True)
class Joined:
    """The joined MP3 and what the transcripts and summary need."""

    mp3: bytes
    timing: Briefing
    """Cues and chapters at their places in the joined audio (no PCM)."""
    duration: float
    loudness_lufs: float
    true_peak_dbtp: float


@dataclass
class SectionStats:
    """How many sections a render encoded and how many came from the cache."""

    encoded: int = 0
    cached: int = 0


def split_sections(timeline: Sequence[TimelineItem]) -> list[list[TimelineItem]]:
    """Cut the timeline in the first long pause after each story's last spoken clip."""
    following: list[int | None] = [None] * len(timeline)  # story of the next story speech
    upcoming: int | None = None
    for i in range(len(timeline) - 1, -1, -1):
        following[i] = upcoming
        item = timeline[i]
        if isinstance(item, SpokenItem) and item.story >= 0:
            upcoming = item.story
    sections: list[list[TimelineItem]] = [[]]
    current: int | None = None
    cut = False
    for i, item in enumerate(timeline):
        if isinstance(item, SpokenItem) and item.story >= 0 and item.story != current:
            current, cut = item.story, False
        nxt = following[i]
        if (
            isinstance(item, Pause)
            and item.ms >= SPLIT_MIN_MS
            and current is not None
            and not cut
            and nxt is not None
            and nxt != current
        ):
            half = item.ms // 2
            sections[-1].append(Pause(half - _SHORTEN_MS[0]))
            sections.append([Pause(item.ms - half - _SHORTEN_MS[1])])
            cut = True
            continue
        sections[-1].append(item)
    return [s for s in sections if s]


class SectionCache:
    """Encoded sections on disk: `<dir>/sections/<2 hex>/<sha256>.sec`, written atomically."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory / "sections"

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.sec"

    def get(self, key: str) -> Section | None:
        """The cached section, or None (a truncated or foreign entry is ignored)."""
        try:
            data = self._path(key).read_bytes()
        except OSError:
            return None
        if len(data) < _HEADER.size:
            return None
        magic, frames, samples, peak, steps = _HEADER.unpack_from(data)
        body = data[_HEADER.size :]
        if magic != _FORMAT or len(body) < steps * 8:
            return None
        energies = np.frombuffer(body[: steps * 8], dtype="<f8")
        return Section(body[steps * 8 :], frames, samples, peak, energies)

    def put(self, key: str, section: Section) -> None:
        """Store a section; a full or read-only disk only costs the entry."""
        path = self._path(key)
        tmp = path.with_name(f".{key}.{os.getpid()}.{time.monotonic_ns()}.tmp")
        header = _HEADER.pack(
            _FORMAT, section.frames, section.samples, section.peak, len(section.steps)
        )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(header + section.steps.astype("<f8").tobytes() + section.mp3)
            tmp.replace(path)
        except OSError:
            with contextlib.suppress(OSError):
                tmp.unlink()


def encode_sections(
    parts: Sequence[Briefing],
    gain_db: float,
    ceiling_db: float,
    cache: SectionCache | None,
    *,
    jobs: int = 2,
    stats: SectionStats | None = None,
) -> Joined:
    """Gain, limit and encode each stitched section (cache first); join them gaplessly."""
    sr = parts[0].sample_rate
    settings = section_settings(gain_db, ceiling_db, sr)
    keys = [hashlib.sha256(_FORMAT + settings + p.pcm).hexdigest() for p in parts]
    return encode_keyed(keys, parts, lambda i: parts[i].pcm, gain_db, ceiling_db, cache,
                        jobs=jobs, stats=stats)  # fmt: skip


def section_settings(gain_db: float, ceiling_db: float, sample_rate: int) -> bytes:
    """What, besides its audio, shapes an encoded section: gain, ceiling, encoder, rate."""
    return f"{gain_db:.3f}|{ceiling_db:.3f}|{BITRATE_KBPS}|{QUALITY}|{sample_rate}".encode()


def encode_keyed(
    keys: Sequence[str],
    timings: Sequence[Briefing],
    pcm_of: Callable[[int], bytes],
    gain_db: float,
    ceiling_db: float,
    cache: SectionCache | None,
    *,
    jobs: int = 2,
    stats: SectionStats | None = None,
) -> Joined:
    """Encode (or take from the cache under `keys[i]`) each section and join them gaplessly.

    `timings[i]` holds section i's cues and chapters (its PCM is not used); `pcm_of(i)` makes
    its stitched, levelled PCM and is called only for sections the cache does not have.
    """
    from briefing.loudness import _loudness, _step_energies, apply_gain

    parts = timings
    sr = parts[0].sample_rate
    found = [cache.get(k) if cache is not None else None for k in keys]

    def make(i: int) -> Section:
        x = np.frombuffer(pcm_of(i), dtype="<i2")
        pcm, peak_db, _ = apply_gain(x, gain_db, ceiling_db, sr, jobs=1)
        steps = _step_energies([np.frombuffer(pcm, dtype="<i2")], sr)
        mp3, frames = _encode_part(pcm, sr)
        section = Section(mp3, frames, len(x), float(10 ** (peak_db / 20)), steps)
        if cache is not None:
            cache.put(keys[i], section)
        return section

    missing = [i for i, s in enumerate(found) if s is None]
    with ThreadPoolExecutor(max(1, min(jobs, len(missing) or 1))) as pool:
        for i, section in zip(missing, pool.map(make, missing), strict=True):
            found[i] = section
    if stats is not None:
        stats.encoded += len(missing)
        stats.cached += len(parts) - len(missing)
    sections = [s for s in found if s is not None]
    # Place every section: P_k = samples decoded before it.
    cues: list[Cue] = []
    chapters: list[tuple[str, float]] = []
    offset = 0
    for part, section in zip(parts, sections, strict=True):
        shift = offset / sr
        cues += [replace(c, start=c.start + shift, end=c.end + shift) for c in part.cues]
        chapters += [(ch.title, ch.start + shift) for ch in part.chapters]
        last_end = offset + section.samples
        offset += section.frames * FRAME_SAMPLES
    total = last_end
    ends = [start for _, start in chapters[1:]] + [total / sr] * bool(chapters)
    timing = Briefing(
        pcm=b"",
        sample_rate=sr,
        cues=tuple(cues),
        chapters=tuple(Chapter(t, s, e) for (t, s), e in zip(chapters, ends, strict=True)),
    )
    frames = sum(s.frames for s in sections)
    body = b"".join(s.mp3 for s in sections)
    end_pad = frames * FRAME_SAMPLES - ENCODER_DELAY - total
    mp3 = body
    if body and 0 <= end_pad < 4096:
        mp3 = info_frame(int.from_bytes(body[:4], "big"), frames, len(body), end_pad) + body
    loudness = _loudness([(0, np.concatenate([s.steps for s in sections]))], sr)
    peak = max(s.peak for s in sections)
    with np.errstate(divide="ignore"):
        peak_db = float(20 * np.log10(peak))
    return Joined(mp3, timing, total / sr, loudness, peak_db)
