"""Stitching: exact sample-accurate cue and chapter times, pauses silent, chime quiet."""

from __future__ import annotations

import numpy as np
import pytest
from audio_helpers import SR, from_pcm, item, rms_db, sample_timeline

from briefing.audio.stitch import chime_pcm, stitch
from briefing.model import ChapterStart, Chime, Pause, SpokenItem


def test_total_length_is_sum_of_parts() -> None:
    tl = sample_timeline()
    b = stitch(tl)
    clips = sum(len(i.clip.pcm) // 2 for i in tl if isinstance(i, SpokenItem))
    pauses = sum(round(i.ms * SR / 1000) for i in tl if isinstance(i, Pause))
    chimes = sum(round(i.ms * SR / 1000) for i in tl if isinstance(i, Chime))
    assert abs(len(b.pcm) // 2 - (clips + pauses + chimes)) <= 8
    assert b.sample_rate == SR


def test_cues_sit_exactly_on_their_clips() -> None:
    tl = sample_timeline()
    b = stitch(tl)
    spoken = [i for i in tl if isinstance(i, SpokenItem)]
    assert len(b.cues) == len(spoken)
    for cue, it in zip(b.cues, spoken, strict=True):
        a, z = round(cue.start * SR), round(cue.end * SR)
        assert b.pcm[a * 2 : z * 2] == it.clip.pcm
        assert cue.text == it.text and cue.speaker == it.speaker and cue.story == it.story
    assert [c.speaker for c in b.cues][:5] == [None, None, None, "Jane Doe", "John Roe"]


def test_gaps_between_cues_are_silent_or_chime() -> None:
    b = stitch(sample_timeline())
    x = from_pcm(b.pcm)
    for prev, nxt in zip(b.cues, b.cues[1:], strict=False):
        gap = x[round(prev.end * SR) : round(nxt.start * SR)]
        assert len(gap) > 0
        assert rms_db(gap) < -25  # silence, or the quiet chime


def test_chapters_run_from_start_to_next_start() -> None:
    tl = sample_timeline()
    b = stitch(tl)
    assert [c.title for c in b.chapters] == [i.title for i in tl if isinstance(i, ChapterStart)]
    assert b.chapters[0].start == 0.0
    for a, z in zip(b.chapters, b.chapters[1:], strict=False):
        assert a.end == z.start
    assert b.chapters[-1].end == b.duration
    # A chapter starts where its headline's cue starts.
    headline = next(c for c in b.cues if c.text == "Markets rally")
    assert b.chapters[2].start == headline.start


def test_chime_is_short_soft_and_quieter_than_speech() -> None:
    c = from_pcm(chime_pcm(600, SR))
    assert len(c) == round(0.6 * SR)
    assert np.max(np.abs(c)) < 0.06
    assert abs(c[0]) < 0.01 and abs(c[-1]) < 0.01  # faded: no click
    assert rms_db(c) < rms_db(from_pcm(item(1.0).clip.pcm)) - 10


def test_empty_timeline() -> None:
    b = stitch([])
    assert b.pcm == b"" and b.cues == () and b.chapters == ()


def test_clip_at_other_rate_is_refused() -> None:
    # Clips are resampled where they are made; one that reaches the stitcher at another rate
    # would otherwise be played at the wrong speed.
    it = item(1.0)
    other = SpokenItem(
        clip=type(it.clip)(pcm=it.clip.pcm, sample_rate=44100),
        text="x",
        speaker=None,
        voice_id="v",
        story=0,
    )
    with pytest.raises(ValueError, match="44100 Hz clip in a 22050 Hz briefing"):
        stitch([other])
