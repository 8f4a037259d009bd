"""The encode path's faster forms give the audio and statistics of the plain ones (issue 18)."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from audio_helpers import SR, long_timeline, speech_like, to_pcm, voiced_like

from briefing.audio.bs1770 import k_and_plain_energies, k_energies, step_samples
from briefing.audio.clip_stats import BIN_DB, BINS, LOW_DB, ClipStats, clip_stats
from briefing.audio.limiter import BLOCK, running, window
from briefing.audio.loudness import apply_gain, gain_into
from briefing.audio.stitch import stitch
from briefing.model import Clip, SpokenItem, TimelineItem
from briefing.output.levelled import levelled_clip, levelled_pcm


@pytest.mark.parametrize("sr", [16000, 22050, 24000, 44100, 48000])
def test_plain_energy_from_the_spectrum_is_the_samples_energy(sr: int) -> None:
    step = step_samples(sr)
    x = np.frombuffer(to_pcm(speech_like(1.0, seed=4, sr=sr)), dtype="<i2")
    rows = x[: len(x) // step * step].reshape(-1, step).astype(np.float32)
    k, plain = k_and_plain_energies(rows, sr)
    direct = np.einsum("ij,ij->i", rows.astype(np.float64), rows.astype(np.float64)) / 32768**2
    np.testing.assert_allclose(plain, direct, rtol=1e-5)
    np.testing.assert_allclose(k, k_energies(rows, sr), rtol=1e-5)


def _stats_as_before(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`clip_stats`' steps and held energy as computed before issue 18 (format BST1)."""
    step = step_samples(SR)
    n_steps, n_blocks = -(-len(x) // step), -(-len(x) // BLOCK)
    y = np.zeros(n_steps * step + BLOCK, dtype=np.float32)
    y[: len(x)] = x
    rows, blocks = y[: n_steps * step].reshape(-1, step), y[: n_blocks * BLOCK].reshape(-1, BLOCK)
    k = k_energies(rows, SR)
    plain = np.einsum("ij,ij->i", rows, rows).astype(np.float64) / 32768**2
    share = np.divide(k, plain, out=np.zeros_like(plain), where=plain > 0)
    owner = np.minimum((np.arange(n_blocks) * BLOCK + BLOCK // 2) // step, n_steps - 1)
    energy = np.einsum("ij,ij->i", blocks, blocks).astype(np.float64) / 32768**2 * share[owner]
    peaks = np.abs(blocks).max(axis=1) / np.float32(32768)
    held_peaks = running(np.maximum, peaks, *window(SR)).astype(np.float64)
    db = 20 * np.log10(np.maximum(held_peaks, 1e-9))
    bins = np.clip(((db - LOW_DB) / BIN_DB).astype(int), 0, BINS - 1)
    held = np.bincount(bins, weights=energy, minlength=BINS)[:BINS]
    return k[: len(x) // step], held


@pytest.mark.parametrize("seconds", [0.01, 0.1, 1.337, 4.0])
def test_clip_statistics_are_those_of_the_old_computation(seconds: float) -> None:
    audio = np.concatenate([voiced_like(seconds, seed=2), speech_like(seconds / 2, seed=3)])
    x = np.frombuffer(to_pcm(audio), dtype="<i2")
    stats = clip_stats(Clip(x.tobytes(), SR))
    steps, held = _stats_as_before(x)
    np.testing.assert_allclose(stats.steps, steps, rtol=1e-5)
    np.testing.assert_allclose(stats.held, held, rtol=1e-5, atol=1e-12 * held.sum())
    assert stats.held.sum() > 0


def test_statistics_of_the_old_format_are_measured_again() -> None:
    stats = clip_stats(Clip(to_pcm(voiced_like(0.5, seed=1)), SR))
    old = b"BST1" + stats.to_bytes()[4:]
    assert ClipStats.from_bytes(old) is None
    assert ClipStats.from_bytes(stats.to_bytes()) is not None


def _audio(seconds: float, level: float, seed: int) -> np.ndarray:
    return np.frombuffer(to_pcm(voiced_like(seconds, seed=seed) * level), dtype="<i2")


@pytest.mark.parametrize(
    ("seconds", "level", "gain_db", "case"),
    [
        (9.0, 1.0, 9.5, "limited"),  # several chunks, limited throughout
        (2.0, 1.0, 3.0, "limited"),
        (0.001, 1.0, 9.5, "loud"),  # near the ceiling, not over it
        (9.0, 0.05, 6.0, "quiet"),  # no block near the ceiling: its peak is a sample's
        (2.0, 0.1, -1.0, "quiet"),
    ],
)
def test_gain_into_is_apply_gain_sample_for_sample(
    seconds: float, level: float, gain_db: float, case: str
) -> None:
    x = _audio(seconds, level, seed=7)
    pcm, peak_db, _ = apply_gain(x, gain_db, -2.5, SR, jobs=1)
    out = np.full(len(x), 12345, dtype="<i2")
    assert gain_into(x, out, gain_db, -2.5, SR) == peak_db
    assert out.tobytes() == pcm
    scaled = x * np.float32(10 ** (gain_db / 20))
    # In float64, as the peak is reported: numpy 2.4's float32 log10 is ~2e-6 dB off.
    sample_peak_db = 20 * math.log10(float(np.abs(scaled).max()) / 32768)
    if case == "limited":
        assert peak_db <= -2.5 + 1e-6 < sample_peak_db
        assert not np.array_equal(out, np.rint(scaled))
    else:
        assert np.array_equal(out, np.rint(scaled))  # not limited: just scaled and rounded
        if case == "quiet":
            assert peak_db == pytest.approx(sample_peak_db, abs=1e-9)
        else:
            assert sample_peak_db - 1e-9 <= peak_db <= -2.5


def test_a_levelled_section_is_the_stitch_of_levelled_clips() -> None:
    timeline: list[TimelineItem] = list(long_timeline(2, 8.0))
    # One voice lifted far enough that its limiter works, one lowered, one left as it is.
    levels = {"narrator": 0.0, "f1": -2.25, "m1": 7.5}
    loud = [i for i in timeline if isinstance(i, SpokenItem) and i.voice_id == "m1"]

    def scaled(clip: Clip) -> bytes:
        y = np.rint(np.frombuffer(clip.pcm, "<i2") * np.float32(10 ** (7.5 / 20)))
        return np.clip(y, -32768, 32767).astype("<i2").tobytes()

    assert any(levelled_clip(i.clip, 7.5).pcm != scaled(i.clip) for i in loud)
    expected = stitch(
        [
            replace(i, clip=levelled_clip(i.clip, levels[i.voice_id]))
            if isinstance(i, SpokenItem)
            else i
            for i in timeline
        ],
        SR,
    ).pcm
    assert levelled_pcm(timeline, levels, SR).tobytes() == expected


def test_a_clip_at_another_rate_is_refused_as_stitch_refuses_it() -> None:
    timeline: list[TimelineItem] = list(long_timeline(1, 2.0))
    first = next(i for i in timeline if isinstance(i, SpokenItem))
    timeline[timeline.index(first)] = replace(first, clip=Clip(first.clip.pcm, 16000))
    with pytest.raises(ValueError, match="16000 Hz clip"):
        levelled_pcm(timeline, {"narrator": 0.0, "f1": 0.0, "m1": 0.0}, SR)


@pytest.mark.parametrize("channels", [1, 2])
def test_samples_encode_to_the_stream_their_bytes_make(channels: int) -> None:
    from briefing.audio.mp3 import _encode_part

    x = _audio(1.5, 0.5, seed=9)
    samples = x.copy()
    samples.flags.writeable = False
    mp3, frames = _encode_part(samples, SR, 64, channels)
    assert (mp3, frames) == _encode_part(x.tobytes(), SR, 64, channels)
    assert frames > 0 and mp3[:2] == b"\xff\xf3"  # an MPEG-2 Layer III frame sync


def test_loud_peaks_of_audio_shorter_than_the_interpolator() -> None:
    from briefing.audio.limiter import loud_peaks

    y = np.array([0.0, 9000.0, -30000.0, 12000.0, 0.0], dtype=np.float32)
    # Too short for a 16-tap window: the loud sample itself is the block's peak.
    assert loud_peaks(y, 20000.0).tolist() == [30000.0]
    out = np.empty(5, dtype="<i2")
    assert gain_into(y.astype("<i2"), out, 0.0, -6.0, SR) <= -6.0 + 1e-6
    assert np.abs(out.astype(int)).max() <= 32768 * 10 ** (-6 / 20) + 0.5  # rounded


def test_a_ceiling_over_full_scale_clips_rather_than_wraps() -> None:
    x = _audio(1.0, 1.0, seed=3)
    out = np.empty(len(x), dtype="<i2")
    gain_into(x, out, 12.0, 3.0, SR)  # the limiter holds +3 dBFS: over what int16 holds
    scaled = x * np.float32(10 ** (12 / 20))
    assert np.abs(scaled).max() > 32767 * 10 ** (3 / 20)
    # Held at the ceiling, then clipped at full scale: never wrapped round to the other sign.
    assert out.max() == 32767 and np.all(np.sign(out) == np.sign(np.rint(scaled)))
