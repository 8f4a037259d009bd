"""Gains from per-clip statistics agree with measuring the stitched audio."""

from __future__ import annotations

import numpy as np
import pytest
from audio_helpers import SR, k_weighted, long_timeline, speech_like, to_pcm, voiced_like
from scipy.ndimage import maximum_filter1d

from briefing.audio.bs1770 import integrated_loudness, step_energies
from briefing.audio.clip_stats import (
    BIN_DB,
    BINS,
    LOW_DB,
    ClipStats,
    Item,
    briefing_gain,
    clip_stats,
    limited_ratio,
    silent_steps,
    voice_gains,
)
from briefing.audio.limiter import BLOCK, window
from briefing.audio.loudness import apply_gain, level_voices, target_gain
from briefing.audio.stitch import chime_pcm, lay_out, pause_pcm, stitch
from briefing.model import Chime, Clip, Pause, SpokenItem, TimelineItem


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
    from briefing.output.levelled import levelled_clip

    return [
        SpokenItem(levelled_clip(i.clip, gains[i.voice_id]), i.text, i.speaker, i.voice_id, i.story)
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


def _held_by_time_domain(x: np.ndarray) -> np.ndarray:
    """`ClipStats.held` with each block's exact K-weighted energy (filters run over the clip)."""
    sq = np.square(k_weighted(x))
    energy = np.concatenate([sq, np.zeros(-len(sq) % BLOCK)]).reshape(-1, BLOCK).sum(axis=1)
    a = np.abs(x.astype(np.float64)) / 32768
    peaks = np.concatenate([a, np.zeros(-len(a) % BLOCK)]).reshape(-1, BLOCK).max(axis=1)
    hold, ahead = window(SR)
    size = hold + ahead + 1
    held = maximum_filter1d(peaks, size, origin=hold - size // 2, mode="nearest")
    db = 20 * np.log10(np.maximum(held, 1e-9))
    bins = np.clip(((db - LOW_DB) / BIN_DB).astype(int), 0, BINS - 1)
    out: np.ndarray = np.bincount(bins, weights=energy, minlength=BINS)[:BINS]
    return out


def test_clip_steps_are_the_loudness_steps() -> None:
    x = np.frombuffer(to_pcm(speech_like(2.57, seed=3)), dtype="<i2")
    stats = clip_stats(Clip(pcm=x.tobytes(), sample_rate=SR))
    assert stats.samples == len(x) and len(stats.steps) == len(x) // round(0.1 * SR)
    np.testing.assert_allclose(stats.steps, step_energies([x], SR), rtol=1e-5)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_held_energy_estimate_predicts_limiting_as_exact_filtering_does(seed: int) -> None:
    # Per block, clip_stats scales plain energy by its step's K-weighted share instead of
    # filtering: the energy the limiter is predicted to leave must barely move.
    parts = [voiced_like(1.2, seed=seed), speech_like(0.8, seed=seed, level=0.2)]
    x = np.frombuffer(to_pcm(np.concatenate(parts)), dtype="<i2")
    stats = clip_stats(Clip(pcm=x.tobytes(), sample_rate=SR))
    exact = ClipStats(stats.samples, SR, stats.steps, _held_by_time_domain(x))
    assert abs(10 * np.log10(stats.held.sum() / exact.held.sum())) < 0.05
    for gain in (0.0, 6.0, 12.0, 18.0):
        ours, ref = limited_ratio(stats, gain, -2.5), limited_ratio(exact, gain, -2.5)
        assert ref < 1.0 or gain == 0.0
        assert abs(10 * np.log10(ours / ref)) < 0.1


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
