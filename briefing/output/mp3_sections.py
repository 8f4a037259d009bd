"""MP3 section by section: each paragraph is its own LAME stream, cached, joined on disk.

The timeline is cut in the silence of every long pause (between paragraphs and stories with the
default pauses). Each section is stitched, gained and limited on its own, and encoded as an
independent LAME stream; its frames are cached under a key of what shapes its audio (the caller's
choice: clip keys, gains, pauses, encoder settings). A section never depends on where it lands in
the briefing, so editing one sentence re-encodes one paragraph.

Joining: a section encoded from n samples decodes to F frames (F x 576 samples) that start
with 1105 samples of codec delay. Laid end to end, section k's first sample decodes at
P_k = 576 x (frames of the sections before it): the delay of one stream and the padding of the
previous one fall in the silence at the cut, which grows by 52-78 ms; the two halves of the cut
pause are shortened by about that much, so the gap stays within ~15 ms of the planned pause.
Cues and chapters are placed at P_k + their offset in the section, so they stay exact. One LAME
"Info" frame in front states the total frames and the end padding (gapless decoders).

Sections are written to the output file in order as they are ready, so a render holds a few
sections at a time, never the whole briefing's audio or MP3.
"""

from __future__ import annotations

import struct
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO, TypeVar

import numpy as np
from numpy.typing import NDArray

from briefing.audio.mp3 import (
    BITRATE_KBPS,
    DECODER_DELAY,
    ENCODER_DELAY,
    QUALITY,
    _encode_part,
    frame_samples,
    info_frame,
)
from briefing.model import Briefing, Chapter, ChapterStart, Cue, Pause, TimelineItem
from briefing.storage import read_entry, write_entry

R = TypeVar("R")
Samples = bytes | NDArray[np.int16]  # a section's stitched PCM, as `pcm_of` makes it
_FORMAT = b"BRS3"
_HEADER = struct.Struct("<4sIIf")  # magic, frames, samples, peak (linear)
SPLIT_MIN_MS = 600
"""Pauses at least this long are cut: paragraphs (700 ms), headlines and stories by default.
A cut pause keeps >= 1024 silent samples on each side whatever this is set to (>= 250)."""
LONG_SECTION_LINES = 12
"""Clips after which a section is also cut at a sentence pause (a paragraph of 12 sentences
is about a minute of audio, a long paragraph of the news)."""
LONG_SPLIT_MIN_MS = 150
"""The shortest pause such a cut is made in (sentence pauses are 250 ms by default)."""
CUT_SILENCE_MS = 64
"""Silence each half of a cut pause keeps at least, whatever the join shortening (1,024
samples at 16 kHz): a short pause is shortened less, and its gap grows by the difference."""
JOIN_MS = (40, 25)
"""How much shorter the two halves of a cut pause are made for MP3 at 22,050 Hz (the join adds
52-78 ms there); `join_shortening` gives any rate's."""
AHEAD_PER_JOB = 4
"""Sections encoded ahead of the one being written, per thread: keeps threads busy, memory flat."""


@dataclass(frozen=True)
class Section:
    """One independently encoded piece of the briefing: MP3 frames and its true peak."""

    mp3: bytes
    frames: int
    samples: int
    peak: float


@dataclass(frozen=True)
class Joined:
    """What was written, for the transcripts and the summary."""

    timing: Briefing
    """Cues and chapters at their places in the joined audio (no PCM)."""
    duration: float
    true_peak_dbtp: float


@dataclass
class SectionStats:
    """How many sections a render encoded and how many came from the cache."""

    encoded: int = 0
    cached: int = 0


def join_shortening(sample_rate: int) -> tuple[int, int]:
    """JOIN_MS for MP3 at `sample_rate`: the join adds both codec delays and on average a bit
    over half a frame of padding (measured 52-78 ms at 22,050 Hz, 25-51 ms at 44,100 Hz)."""
    mean_join = ENCODER_DELAY + DECODER_DELAY + 0.57 * frame_samples(sample_rate)
    total = round(1000 * mean_join / sample_rate)
    first = round(total * JOIN_MS[0] / sum(JOIN_MS))
    return first, total - first


def split_sections(
    timeline: Sequence[TimelineItem], shorten_ms: tuple[int, int] = JOIN_MS
) -> list[list[TimelineItem]]:
    """Cut the timeline in the middle of every pause of at least SPLIT_MIN_MS between sounds,
    and a section that has reached LONG_SECTION_LINES clips at its next pause between sentences.

    The halves of a cut pause are shortened by `shorten_ms` to make room for what the join adds:
    JOIN_MS for MP3 sections, nothing for PCM laid end to end. The second rule keeps a render's
    memory flat however long a paragraph is (a section's audio is held whole while it is made).
    """
    sounding = [not isinstance(i, Pause | ChapterStart) for i in timeline]
    later = [False] * len(timeline)  # a sound follows position i
    for i in range(len(timeline) - 2, -1, -1):
        later[i] = later[i + 1] or sounding[i + 1]
    sections: list[list[TimelineItem]] = [[]]
    heard = 0  # sounds in the current section
    for i, item in enumerate(timeline):
        if isinstance(item, Pause) and heard and later[i] and _cuts(item.ms, heard):
            half = item.ms // 2
            keep = (min(half, CUT_SILENCE_MS), min(item.ms - half, CUT_SILENCE_MS))
            sections[-1].append(Pause(max(half - shorten_ms[0], keep[0])))
            sections.append([Pause(max(item.ms - half - shorten_ms[1], keep[1]))])
            heard = 0
            continue
        sections[-1].append(item)
        heard += sounding[i]
    return [s for s in sections if s]


def _cuts(ms: int, heard: int) -> bool:
    """Whether a pause of `ms` after `heard` sounds ends a section."""
    return ms >= SPLIT_MIN_MS or (heard >= LONG_SECTION_LINES and ms >= LONG_SPLIT_MIN_MS)


class SectionCache:
    """Encoded sections on disk: `<dir>/sections/<2 hex>/<sha256>.sec`, written atomically."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory / "sections"

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.sec"

    def get(self, key: str) -> Section | None:
        """The cached section, or None (a damaged entry is deleted, a foreign one ignored)."""
        found = read_entry(self._path(key), _HEADER.size)
        if found is None:
            return None
        header, mp3 = found
        magic, frames, samples, peak = _HEADER.unpack(header)
        if magic != _FORMAT:
            return None
        return Section(mp3, frames, samples, peak)

    def has(self, key: str) -> bool:
        """Whether an entry exists (`get` still checks it)."""
        return self._path(key).is_file()

    def put(self, key: str, section: Section) -> None:
        """Store a section; a full or read-only disk only costs the entry."""
        header = _HEADER.pack(_FORMAT, section.frames, section.samples, section.peak)
        write_entry(self._path(key), header, section.mp3)


def section_settings(
    gain_db: float,
    ceiling_db: float,
    sample_rate: int,
    bitrate_kbps: int = BITRATE_KBPS,
    channels: int = 1,
) -> bytes:
    """What, besides its audio, shapes an encoded section: gain, ceiling, encoder, rate."""
    encoder = f"{bitrate_kbps}|{QUALITY}|{sample_rate}|{channels}"
    return f"{gain_db:.3f}|{ceiling_db:.3f}|{encoder}".encode()


def encode_keyed(
    keys: Sequence[str],
    timings: Sequence[Briefing],
    pcm_of: Callable[[int], Samples],
    gain_db: float,
    ceiling_db: float,
    cache: SectionCache | None,
    out: BinaryIO,
    *,
    jobs: int = 2,
    stats: SectionStats | None = None,
    progress: Callable[[int, int], None] | None = None,
    bitrate_kbps: int = BITRATE_KBPS,
    channels: int = 1,
) -> Joined:
    """Write every section (from the cache under `keys[i]`, else encoded) to `out`, gapless.

    `timings[i]` holds section i's cues and chapters (its PCM is not used); `pcm_of(i)` makes
    its stitched, levelled PCM and is called only for sections the cache does not have.
    """
    from briefing.audio.loudness import gain_into

    sr = timings[0].sample_rate
    spf = frame_samples(sr)
    stats = stats if stats is not None else SectionStats()

    def encode(i: int) -> Section:
        x = as_samples(pcm_of(i))
        gained = np.empty(len(x), dtype="<i2")
        peak_db = gain_into(x, gained, gain_db, ceiling_db, sr)
        gained.flags.writeable = False  # lameenc takes it as it is (read-only buffers only)
        mp3, frames = _encode_part(gained, sr, bitrate_kbps, channels)
        section = Section(mp3, frames, len(x), float(10 ** (peak_db / 20)))
        if cache is not None:
            cache.put(keys[i], section)
        return section

    def cached(i: int) -> Section | None:
        return cache.get(keys[i]) if cache is not None else None

    missing = [i for i in range(len(keys)) if cache is None or not cache.has(keys[i])]
    with ThreadPoolExecutor(max(1, min(jobs, len(missing) or 1))) as pool:
        ahead = ordered_map(pool, encode, missing, max(1, jobs) * AHEAD_PER_JOB)
        todo = set(missing)
        starts: list[int] = []
        offset = frames = audio_bytes = first_header = 0
        peak = 0.0
        info_at = out.tell()
        for i in range(len(timings)):
            if i in todo:
                section = next(ahead)
                stats.encoded += 1
            elif (found := cached(i)) is not None:
                section = found
                stats.cached += 1
            else:  # vanished or corrupt since `has`: make it again
                section = encode(i)
                stats.encoded += 1
            if i == 0:  # room for the Info frame, written once the totals are known
                first_header = int.from_bytes(section.mp3[:4], "big")
                out.write(bytes(len(info_frame(first_header, 0, 0, 0))))
            out.write(section.mp3)
            starts.append(offset)
            total = offset + section.samples
            offset += section.frames * spf
            frames += section.frames
            audio_bytes += len(section.mp3)
            peak = max(peak, section.peak)
            if progress is not None:
                progress(i + 1, len(timings))
    # The last stream's padding (at least a frame's worth) is the end padding gapless decoders
    # drop.
    end_pad = frames * spf - ENCODER_DELAY - total
    end = out.tell()
    out.seek(info_at)
    out.write(info_frame(first_header, frames, audio_bytes, end_pad, bitrate_kbps))
    out.seek(end)
    timing = place_sections(timings, starts, total)
    with np.errstate(divide="ignore"):
        peak_db = float(20 * np.log10(peak))
    return Joined(timing, total / sr, peak_db)


def as_samples(pcm: Samples) -> NDArray[np.int16]:
    """A section's mono int16 samples, whether made as bytes or as an array (no copy)."""
    return np.frombuffer(pcm, dtype="<i2") if isinstance(pcm, bytes) else pcm


def place_sections(timings: Sequence[Briefing], starts: Sequence[int], end: int) -> Briefing:
    """The briefing's cues and chapters: section i's moved to sample `starts[i]`.

    Each chapter ends where the next starts; the last at sample `end`, the briefing's end.
    """
    sr = timings[0].sample_rate
    cues: list[Cue] = []
    chapters: list[tuple[str, float]] = []
    for part, start in zip(timings, starts, strict=True):
        shift = start / sr
        cues += [replace(c, start=c.start + shift, end=c.end + shift) for c in part.cues]
        chapters += [(ch.title, ch.start + shift) for ch in part.chapters]
    ends = [start for _, start in chapters[1:]] + [end / sr] * bool(chapters)
    return Briefing(
        pcm=b"",
        sample_rate=sr,
        cues=tuple(cues),
        chapters=tuple(Chapter(t, s, e) for (t, s), e in zip(chapters, ends, strict=True)),
    )


def ordered_map(
    pool: ThreadPoolExecutor, fn: Callable[[int], R], items: Sequence[int], window: int
) -> Iterator[R]:
    """fn over items on the pool, yielded in order, with at most `window` results waiting."""
    queue: deque[Future[R]] = deque()
    position = 0
    while position < len(items) or queue:
        while position < len(items) and len(queue) < window:
            queue.append(pool.submit(fn, items[position]))
            position += 1
        yield queue.popleft().result()
