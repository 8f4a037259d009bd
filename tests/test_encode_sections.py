"""MP3 section by section: joined sections decode gapless, cues stay on speech, loudness holds."""

from __future__ import annotations

import hashlib
import io
import itertools
from pathlib import Path

import numpy as np
import pytest
from audio_helpers import SR, decode, ebur128, ffmpeg_exe, long_timeline, rms_db

from briefing.audio.loudness import level_voices, target_gain
from briefing.audio.stitch import stitch
from briefing.model import Briefing, ChapterStart, Pause, SpokenItem
from briefing.output.mp3_sections import (
    SPLIT_MIN_MS,
    Joined,
    SectionCache,
    SectionStats,
    encode_keyed,
    section_settings,
    split_sections,
)

needs_ffmpeg = pytest.mark.skipif(ffmpeg_exe() is None, reason="no ffmpeg")


def _parts(stories: int = 3) -> list[Briefing]:
    return [stitch(s) for s in split_sections(level_voices(long_timeline(stories, 20.0)))]


def _encode(
    parts: list[Briefing], cache: SectionCache | None = None, stats: SectionStats | None = None
) -> tuple[Joined, bytes]:
    """The joined MP3 of stitched sections, each keyed by a hash of its PCM."""
    gain, ceiling = target_gain(b"".join(p.pcm for p in parts), SR, -16.0, -1.0, 0.25)
    settings = section_settings(gain, ceiling, SR)
    keys = [hashlib.sha256(settings + p.pcm).hexdigest() for p in parts]
    out = io.BytesIO()
    joined = encode_keyed(keys, parts, lambda i: parts[i].pcm, gain, ceiling, cache, out,
                          stats=stats)  # fmt: skip
    return joined, out.getvalue()


def test_sections_cut_at_long_pauses_only() -> None:
    timeline = long_timeline(3, 20.0)
    parts = split_sections(timeline)
    long_pauses = [p for p in timeline[1:-1] if isinstance(p, Pause) and p.ms >= SPLIT_MIN_MS]
    assert len(parts) == len(long_pauses) + 1
    assert sum(1 for s in parts for i in s if isinstance(i, ChapterStart)) == 3
    for section in parts:
        assert any(isinstance(i, SpokenItem) for i in section)


@needs_ffmpeg
def test_joined_sections_decode_gapless_with_cues_on_speech(tmp_path: Path) -> None:
    joined, mp3 = _encode(_parts(3))
    out = tmp_path / "b.mp3"
    out.write_bytes(mp3)
    y = decode(out)
    assert abs(len(y) - round(joined.duration * SR)) <= 1
    edge = round(0.02 * SR)
    cues = joined.timing.cues
    for cue in cues:
        a, z = round(cue.start * SR), round(cue.end * SR)
        assert rms_db(y[a + edge : z - edge]) > -35
    for prev, nxt in itertools.pairwise(cues):
        a, z = round(prev.end * SR) + edge, round(nxt.start * SR) - edge
        if prev.story == nxt.story and z > a:
            assert rms_db(y[a:z]) < -55  # a pause stays silent, joins included
    starts = [ch.start for ch in joined.timing.chapters]
    assert starts[0] == 0 and starts == sorted(starts)
    assert joined.timing.chapters[-1].end == pytest.approx(joined.duration)


@needs_ffmpeg
def test_loudness_and_peak_of_the_encoded_file(tmp_path: Path) -> None:
    _, mp3 = _encode(_parts(3))
    out = tmp_path / "b.mp3"
    out.write_bytes(mp3)
    lufs, peak = ebur128(out)
    assert abs(lufs - -16.0) <= 1.0
    assert peak <= -1.0


def test_a_changed_section_reencodes_only_itself(tmp_path: Path) -> None:
    parts = _parts(3)
    n = len(parts)
    assert n > 3
    cache = SectionCache(tmp_path)
    first = SectionStats()
    _, a = _encode(parts, cache, first)
    assert (first.encoded, first.cached) == (n, 0)
    again = SectionStats()
    assert _encode(parts, cache, again)[1] == a
    assert (again.encoded, again.cached) == (0, n)
    middle = n // 2
    x = np.frombuffer(parts[middle].pcm, dtype="<i2").copy()
    x[SR // 2 : SR // 2 + 100] //= 2  # an edit inside one section
    parts[middle] = Briefing(x.tobytes(), SR, parts[middle].cues, parts[middle].chapters)
    edited = SectionStats()
    _, b = _encode(parts, cache, edited)
    assert (edited.encoded, edited.cached) == (1, n - 1)
    assert b != a
