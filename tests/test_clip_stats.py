"""Gains from per-clip statistics agree with measuring the stitched audio."""

from __future__ import annotations

import numpy as np
from audio_helpers import SR, long_timeline

from briefing.clip_stats import (
    ClipStats,
    Item,
    briefing_gain,
    clip_stats,
    silent_steps,
    voice_gains,
)
from briefing.loudness import apply_gain, integrated_loudness, level_voices, target_gain
from briefing.model import Chime, Pause, SpokenItem, TimelineItem
from briefing.stitch import chime_pcm, lay_out, pause_pcm, stitch


def _measured(timeline: list[TimelineItem]) -> list[Item]:
    out: list[Item] = []
    for item in timeline:
        if isinstance(item, SpokenItem):
            out.append((clip_stats(item.clip), item.voice_id))
        elif isinstance(item, Pause):
            out.append(silent_steps(len(pause_pcm(item.ms, SR)) // 2, SR))
        elif isinstance(item, Chime):
            out.append(silent_steps(len(chime_pcm(item.ms, SR)) // 2, SR))
    return out


def _levelled(timeline: list[TimelineItem], gains: dict[str, float]) -> list[TimelineItem]:
    from briefing.render_keyed import _levelled

    return [
        SpokenItem(_levelled(i.clip, gains[i.voice_id]), i.text, i.speaker, i.voice_id, i.story)
        if isinstance(i, SpokenItem)
        else i
        for i in timeline
    ]


def test_statistics_round_trip() -> None:
    item = next(i for i in long_timeline(1, 3.0) if isinstance(i, SpokenItem))
    stats = clip_stats(item.clip)
    again = ClipStats.from_bytes(stats.to_bytes())
    assert again is not None
    assert again.samples == len(item.clip.pcm) // 2 and again.sample_rate == SR
    assert np.array_equal(again.steps, stats.steps) and np.array_equal(again.held, stats.held)
    assert ClipStats.from_bytes(stats.to_bytes()[:-3]) is None


def test_voice_gains_match_level_voices() -> None:
    timeline: list[TimelineItem] = list(long_timeline(3, 20.0))
    gains = voice_gains(_measured(timeline), SR)
    direct = integrated_loudness(stitch(level_voices(timeline)).pcm, SR)
    from_stats = integrated_loudness(stitch(_levelled(timeline, gains)).pcm, SR)
    assert abs(direct - from_stats) <= 0.2


def test_briefing_gain_reaches_the_target_within_tolerance() -> None:
    timeline: list[TimelineItem] = list(long_timeline(3, 20.0))
    measured = _measured(timeline)
    gains = voice_gains(measured, SR)
    pcm = stitch(_levelled(timeline, gains)).pcm
    direct, ceiling = target_gain(pcm, SR, -16.0, -1.0, 0.25)
    gain = briefing_gain(measured, gains, SR, -16.0, ceiling, 0.25)
    assert abs(gain - direct) <= 0.25  # one rounding step at most
    out, _, _ = apply_gain(np.frombuffer(pcm, dtype="<i2"), gain, ceiling, SR, jobs=1)
    assert abs(integrated_loudness(out, SR) - -16.0) <= 0.2


def test_lay_out_times_cues_and_chapters_as_stitch_does() -> None:
    timeline: list[TimelineItem] = list(long_timeline(2, 10.0))
    lengths = [len(i.clip.pcm) // 2 for i in timeline if isinstance(i, SpokenItem)]
    timed, stitched = lay_out(timeline, lengths, SR), stitch(timeline, SR)
    assert timed.cues == stitched.cues and timed.chapters == stitched.chapters
