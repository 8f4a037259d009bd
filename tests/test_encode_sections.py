"""MP3 story by story: joined sections decode gapless, cues stay on speech, loudness holds."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from audio_helpers import SR, decode, ebur128, ffmpeg_exe, long_timeline, rms_db

from briefing.encode_sections import (
    Joined,
    SectionCache,
    SectionStats,
    encode_sections,
    split_sections,
)
from briefing.loudness import apply_gain, integrated_loudness, level_voices, target_gain
from briefing.model import Briefing
from briefing.stitch import stitch

needs_ffmpeg = pytest.mark.skipif(ffmpeg_exe() is None, reason="no ffmpeg")


def _parts(stories: int = 3) -> list[Briefing]:
    return [stitch(s) for s in split_sections(level_voices(long_timeline(stories, 20.0)))]


def _encode(
    parts: list[Briefing], cache: SectionCache | None = None, stats: SectionStats | None = None
) -> Joined:
    gain, ceiling = target_gain(b"".join(p.pcm for p in parts), SR, -16.0, -1.0, 0.25)
    return encode_sections(parts, gain, ceiling, cache, stats=stats)


def test_one_section_per_story() -> None:
    parts = _parts(3)
    assert len(parts) == 3
    assert [len(p.chapters) for p in parts] == [1, 1, 1]


@needs_ffmpeg
def test_joined_sections_decode_gapless_with_cues_on_speech(tmp_path: Path) -> None:
    joined = _encode(_parts(3))
    out = tmp_path / "b.mp3"
    out.write_bytes(joined.mp3)
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


def test_loudness_from_statistics_matches_a_direct_measurement() -> None:
    parts = _parts(3)
    joined = _encode(parts)
    gain, ceiling = target_gain(b"".join(p.pcm for p in parts), SR, -16.0, -1.0, 0.25)
    # The joined audio as the decoder lays it out: each gained section at its place, silence
    # (codec delay and padding) between them.
    out = np.zeros(round(joined.duration * SR), dtype="<i2")
    starts = [round(ch.start * SR) - round(p.chapters[0].start * SR) for ch, p in
              zip(joined.timing.chapters, parts, strict=True)]  # fmt: skip
    for start, part in zip(starts, parts, strict=True):
        pcm, _, _ = apply_gain(np.frombuffer(part.pcm, dtype="<i2"), gain, ceiling, SR, jobs=1)
        out[start : start + len(pcm) // 2] = np.frombuffer(pcm, dtype="<i2")
    assert abs(joined.loudness_lufs - integrated_loudness(out.tobytes(), SR)) <= 0.2


@needs_ffmpeg
def test_loudness_and_peak_of_the_encoded_file(tmp_path: Path) -> None:
    joined = _encode(_parts(3))
    out = tmp_path / "b.mp3"
    out.write_bytes(joined.mp3)
    lufs, peak = ebur128(out)
    assert abs(lufs - -16.0) <= 1.0
    assert peak <= -1.0


def test_a_changed_story_reencodes_only_itself(tmp_path: Path) -> None:
    parts = _parts(3)
    cache = SectionCache(tmp_path)
    first = SectionStats()
    a = _encode(parts, cache, first)
    assert (first.encoded, first.cached) == (3, 0)
    again = SectionStats()
    assert _encode(parts, cache, again).mp3 == a.mp3
    assert (again.encoded, again.cached) == (0, 3)
    x = np.frombuffer(parts[1].pcm, dtype="<i2").copy()
    x[SR : SR + 100] //= 2  # an edit inside the middle story
    parts[1] = Briefing(x.tobytes(), SR, parts[1].cues, parts[1].chapters)
    edited = SectionStats()
    _encode(parts, cache, edited)
    assert (edited.encoded, edited.cached) == (1, 2)
