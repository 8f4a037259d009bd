"""Lay clips, pauses and chimes end to end in one pass and time the transcript cues and chapters."""

from __future__ import annotations

import functools
import warnings
from collections.abc import Sequence
from typing import Any

from briefing.model import (
    Briefing,
    Chapter,
    Chime,
    Cue,
    Pause,
    SpokenItem,
    TimelineItem,
)

CHIME_TONES_HZ = (660.0, 880.0)
"""A rising fourth: reads as "next" without sounding like an alert."""
CHIME_VOLUME_DBFS = -30.0
"""Peak of each tone; speech levelled by `loudness.level_voices` sits about 10 dB above it."""


def _pydub() -> Any:
    """Import pydub lazily and quietly: it warns about ffmpeg and audioop at import time."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pydub
        import pydub.generators

    return pydub


@functools.lru_cache(maxsize=64)
def pause_pcm(ms: int, sample_rate: int) -> bytes:
    """Silence of `ms` milliseconds as mono 16-bit PCM, rounded to the nearest sample.

    Integer arithmetic: two halves of a pause cut between sections add up to the whole
    wherever the halves fall on whole samples (every default pause at 16-48 kHz)."""
    return bytes(2 * ((max(ms, 0) * sample_rate + 500) // 1000))


@functools.lru_cache(maxsize=16)
def chime_pcm(ms: int, sample_rate: int) -> bytes:
    """A soft two-tone chime lasting exactly `ms` milliseconds, as mono 16-bit PCM."""
    pydub = _pydub()
    sine = pydub.generators.Sine
    total = pydub.AudioSegment.silent(duration=ms, frame_rate=sample_rate)
    tone_ms = int(ms * 0.55)
    for i, freq in enumerate(CHIME_TONES_HZ):
        tone = sine(freq, sample_rate=sample_rate, bit_depth=16).to_audio_segment(
            duration=tone_ms, volume=CHIME_VOLUME_DBFS
        )
        # Quick attack and long decay make the tone sound struck rather than switched on.
        tone = tone.fade_in(min(15, tone_ms // 4)).fade_out(int(tone_ms * 0.7))
        total = total.overlay(tone, position=int(i * ms * 0.35))
    raw: bytes = total.set_sample_width(2).set_channels(1).raw_data
    n = round(ms * sample_rate / 1000) * 2
    return raw[:n].ljust(n, b"\0")


def _pcm_at(item: SpokenItem, sample_rate: int) -> bytes:
    """The clip's PCM; a clip at another rate is a bug upstream (clips are resampled once, where
    they are made: `briefing.audio.resample`), not something to fix here on every stitch."""
    clip = item.clip
    if clip.sample_rate != sample_rate:
        raise ValueError(f"a {clip.sample_rate} Hz clip in a {sample_rate} Hz briefing")
    return clip.pcm[: len(clip.pcm) // 2 * 2]


def stitch(timeline: Sequence[TimelineItem], sample_rate: int = 22050) -> Briefing:
    """Lay clips, pauses and chimes end to end in one pass; time a Cue per clip and the chapters."""
    parts: list[bytes] = []
    cues: list[Cue] = []
    starts: list[tuple[str, int]] = []
    pos = 0  # in samples; times come from sample positions so they are exact
    for item in timeline:
        if isinstance(item, SpokenItem):
            pcm = _pcm_at(item, sample_rate)
            n = len(pcm) // 2
            cues.append(
                Cue(
                    start=pos / sample_rate,
                    end=(pos + n) / sample_rate,
                    text=item.text,
                    speaker=item.speaker,
                    story=item.story,
                )
            )
        elif isinstance(item, Pause):
            pcm = pause_pcm(item.ms, sample_rate)
        elif isinstance(item, Chime):
            pcm = chime_pcm(item.ms, sample_rate)
        else:
            starts.append((item.title, pos))
            continue
        parts.append(pcm)
        pos += len(pcm) // 2
    ends = [p for _, p in starts[1:]] + [pos] * bool(starts)
    chapters = tuple(
        Chapter(title=title, start=start / sample_rate, end=end / sample_rate)
        for (title, start), end in zip(starts, ends, strict=True)
    )
    return Briefing(
        pcm=b"".join(parts), sample_rate=sample_rate, cues=tuple(cues), chapters=chapters
    )


def laid_length(
    timeline: Sequence[TimelineItem], samples: Sequence[int], sample_rate: int = 22050
) -> int:
    """How many samples `stitch` would make of the timeline, from each clip's length."""
    total = sum(samples)
    for item in timeline:
        if isinstance(item, Pause):
            total += len(pause_pcm(item.ms, sample_rate)) // 2
        elif isinstance(item, Chime):
            total += len(chime_pcm(item.ms, sample_rate)) // 2
    return total


def lay_out(
    timeline: Sequence[TimelineItem], samples: Sequence[int], sample_rate: int = 22050
) -> Briefing:
    """The cues and chapters `stitch` would time, from each spoken clip's length (no PCM).

    `samples[i]` is the length of the i-th SpokenItem's clip at `sample_rate`.
    """
    cues: list[Cue] = []
    starts: list[tuple[str, int]] = []
    pos = 0
    lengths = iter(samples)
    for item in timeline:
        if isinstance(item, SpokenItem):
            n = next(lengths)
            end = (pos + n) / sample_rate
            cues.append(Cue(pos / sample_rate, end, item.text, item.speaker, item.story))
        elif isinstance(item, Pause):
            n = len(pause_pcm(item.ms, sample_rate)) // 2
        elif isinstance(item, Chime):
            n = len(chime_pcm(item.ms, sample_rate)) // 2
        else:
            starts.append((item.title, pos))
            continue
        pos += n
    ends = [p for _, p in starts[1:]] + [pos] * bool(starts)
    chapters = tuple(
        Chapter(title=title, start=start / sample_rate, end=end / sample_rate)
        for (title, start), end in zip(starts, ends, strict=True)
    )
    return Briefing(pcm=b"", sample_rate=sample_rate, cues=tuple(cues), chapters=chapters)
