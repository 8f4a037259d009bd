"""WAV and ffmpeg formats section by section, so no format holds the briefing's audio whole.

Each section is stitched, gained and limited on a thread and streamed, in order, into the WAV
file or into ffmpeg's input. PCM sections join exactly (no codec delay), so every cue and
chapter is known before the first sample is written, which ffmpeg needs for its chapters.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from briefing.audio.encode import write_pcm_stream
from briefing.model import Briefing, Tags
from briefing.output.mp3_sections import (
    AHEAD_PER_JOB,
    Joined,
    Samples,
    as_samples,
    ordered_map,
    place_sections,
)


def write_pcm_sections(
    path: Path,
    tags: Tags,
    timings: Sequence[Briefing],
    lengths: Sequence[int],
    pcm_of: Callable[[int], Samples],
    gain_db: float,
    ceiling_db: float,
    *,
    jobs: int = 2,
    progress: Callable[[int, int], None] | None = None,
    channels: int = 1,
) -> Joined:
    """Write section i (`lengths[i]` samples, made by `pcm_of(i)`) gained and limited, in order."""
    from briefing.audio.loudness import gain_into

    sr = timings[0].sample_rate
    # PCM sections join exactly: each starts where the previous one ends.
    starts = list(itertools.accumulate(lengths[:-1], initial=0))
    offset = sum(lengths)
    timing = place_sections(timings, starts, offset)
    peaks: list[float] = []

    def make(i: int) -> tuple[bytes, float]:
        x = as_samples(pcm_of(i))
        gained = np.empty(len(x), dtype="<i2")
        peak_db = gain_into(x, gained, gain_db, ceiling_db, sr)
        return gained.tobytes(), peak_db

    def chunks() -> Iterator[bytes]:
        with ThreadPoolExecutor(max(1, jobs)) as pool:
            made = ordered_map(pool, make, range(len(lengths)), max(1, jobs) * AHEAD_PER_JOB)
            for i, (pcm, peak_db) in enumerate(made):
                peaks.append(peak_db)
                if progress is not None:
                    progress(i + 1, len(lengths))
                yield pcm

    write_pcm_stream(path, tags, timing.chapters, sr, chunks(), channels=channels)
    return Joined(timing, offset / sr, max(peaks, default=float("-inf")))
