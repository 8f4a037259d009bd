"""Loudness: BS.1770 measurement matches pyloudnorm, voices levelled, target and peak reached."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pyloudnorm
import pytest
from audio_helpers import (
    SR,
    from_pcm,
    item,
    k_weighted_steps,
    long_timeline,
    speech_like,
    to_pcm,
    voiced_like,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.ndimage import maximum_filter1d, minimum_filter1d, uniform_filter1d
from scipy.signal import firwin, resample_poly

from briefing.audio.bs1770 import integrated_loudness, k_weighting, step_energies
from briefing.audio.limiter import (
    _interpolator,
    block_peaks,
    limiter_gain,
    loud_peaks,
    running,
    running_mean,
)
from briefing.audio.loudness import VOICE_LEVEL_LUFS, VOICE_LEVEL_RANGE, level_voices, normalize
from briefing.audio.stitch import stitch
from briefing.model import Briefing, Pause, SpokenItem, TimelineItem


def _pyln(pcm: bytes) -> float:
    return float(pyloudnorm.Meter(SR).integrated_loudness(from_pcm(pcm).astype(np.float64)))


def _true_peak_db(pcm: bytes) -> float:
    up = resample_poly(from_pcm(pcm).astype(np.float64), 4, 1)
    return float(20 * np.log10(np.abs(up).max()))


def test_measurement_matches_pyloudnorm() -> None:
    parts = [speech_like(2.5, seed=i, level=0.05 * (i % 4 + 1)) for i in range(12)]
    parts.insert(5, np.zeros(SR * 3, np.float32))  # silence is gated out alike
    pcm = to_pcm(np.concatenate(parts))
    assert abs(integrated_loudness(pcm, SR) - _pyln(pcm)) < 0.01


@pytest.mark.parametrize("sr", [22050, 44100, 48000])
def test_k_weighting_coefficients_match_pyloudnorm(sr: int) -> None:
    stages = list(pyloudnorm.Meter(sr)._filters.values())
    ours = k_weighting(sr)
    assert ours.shape == (len(stages), 6)
    for row, stage in zip(ours, stages, strict=True):
        np.testing.assert_allclose(row[:3], stage.b * stage.passband_gain, rtol=1e-12)
        np.testing.assert_allclose(row[3:], stage.a, rtol=1e-12)


@pytest.mark.parametrize("sr", [44100, 48000])
def test_measurement_matches_pyloudnorm_at_other_rates(sr: int) -> None:
    parts = [speech_like(2.0, seed=i, level=0.05 * (i % 4 + 1), sr=sr) for i in range(6)]
    pcm = to_pcm(np.concatenate(parts))
    meter = pyloudnorm.Meter(sr)
    assert abs(integrated_loudness(pcm, sr) - meter.integrated_loudness(from_pcm(pcm))) < 0.01


def test_step_energies_match_time_domain_filtering() -> None:
    # Each step is K-weighted on its own in the frequency domain (as if periodic): against the
    # filters run over the whole signal, single steps move by hundredths of a dB at most where
    # the level jumps, and the total by less.
    parts = [voiced_like(1.0, seed=1), np.zeros(5000, np.float32), speech_like(1.5, seed=2)]
    parts += [voiced_like(2.0, seed=3, f0=200.0, level=0.05)]
    x = np.frombuffer(to_pcm(np.concatenate(parts)), dtype="<i2")
    ours, ref = step_energies([x], SR), k_weighted_steps(x)
    assert len(ours) == len(ref) == len(x) // round(0.1 * SR)
    heard = ref > ref.max() * 1e-4
    error_db = np.abs(10 * np.log10(ours[heard] / ref[heard]))
    assert np.median(error_db) < 0.02 and error_db.max() < 0.5
    assert abs(10 * np.log10(ours.sum() / ref.sum())) < 0.02


def test_step_energies_carry_partial_steps_across_chunks() -> None:
    x = np.frombuffer(to_pcm(speech_like(3.33, seed=6)), dtype="<i2")
    cuts = [0, 1000, 1001, 5000, 20000, len(x)]  # chunks shorter than a step, and ragged
    split = step_energies([x[a:b] for a, b in pairwise(cuts)], SR)
    np.testing.assert_allclose(split, step_energies([x], SR), rtol=1e-5)


def test_measurement_split_over_threads_counts_blocks_across_the_seam() -> None:
    # Quiet speech with a loud second across 3.2 s, where two threads' shares of the audio meet:
    # the 400 ms blocks spanning it must count, as they do for pyloudnorm.
    x = speech_like(5.0, level=0.03, seed=4)
    x[int(2.7 * SR) : int(3.7 * SR)] = speech_like(1.0, level=0.5, seed=5)
    pcm = to_pcm(x)
    assert abs(integrated_loudness(pcm, SR) - _pyln(pcm)) < 0.01


def test_interpolation_filter_matches_scipy_firwin() -> None:
    expected = firwin(64, 0.25, window=("kaiser", 5.0)) * 4
    np.testing.assert_allclose(_interpolator(), expected, rtol=1e-12, atol=1e-15)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(-1e4, 1e4, width=32), min_size=1, max_size=400),
    st.integers(0, 30),
    st.integers(0, 30),
)
def test_running_filters_match_scipy_ndimage(values: list[float], before: int, after: int) -> None:
    x = np.array(values, dtype=np.float32)
    size = before + after + 1
    origin = before - size // 2  # window [i - before, i + after], as the limiter uses it
    expect_min = minimum_filter1d(x, size, origin=origin, mode="nearest")
    expect_max = maximum_filter1d(x, size, origin=origin, mode="nearest")
    assert np.array_equal(running(np.minimum, x, before, after), expect_min)
    assert np.array_equal(running(np.maximum, x, before, after), expect_max)
    mean = running_mean(x, before, before)  # centred, as the limiter smooths
    expected = uniform_filter1d(x, 2 * before + 1, mode="nearest")
    np.testing.assert_allclose(mean, expected, rtol=1e-5, atol=1e-3)


def test_loud_peaks_are_block_peaks_where_they_pass_near() -> None:
    y = speech_like(3.0, level=0.5, seed=5) * np.float32(1.5)
    near = 0.6
    every, loud = block_peaks(y, near), loud_peaks(y, near)
    over = every > near
    assert over.any() and not over.all()
    assert np.array_equal(loud[over], every[over])
    assert np.all(loud[~over] == 0)


def test_silence_and_short_audio_measure_minus_inf() -> None:
    assert integrated_loudness(bytes(SR * 4), SR) == float("-inf")
    assert integrated_loudness(to_pcm(speech_like(0.2)), SR) == float("-inf")


def test_true_peak_estimate_matches_oversampling() -> None:
    y = speech_like(5.0, level=0.5, seed=3)
    peaks = block_peaks(y, 0.0)
    up = np.abs(resample_poly(y.astype(np.float64), 4, 1))
    full = len(y) // 32
    ref = up[: full * 128].reshape(full, 128).max(axis=1)  # 4x-oversampled, per block
    assert abs(20 * np.log10(peaks.max() / up.max())) < 0.1
    # Per loud block, close to scipy's longer 4x filter (ours has 16 taps per phase for speed).
    loud = ref > 0.2 * ref.max()
    assert np.all(np.abs(20 * np.log10(peaks[:full][loud] / ref[loud])) < 1.0)
    assert np.all(peaks[:full] >= np.abs(y[: full * 32]).reshape(-1, 32).max(axis=1))


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(0.0, 3.0), min_size=1, max_size=3000),
    st.floats(0.1, 1.0),
)
def test_limiter_never_exceeds_ceiling(values: list[float], ceiling: float) -> None:
    y = np.array(values, dtype=np.float32)
    y[1::2] *= -1
    limiter_gain(y, block_peaks(y, 10.0), ceiling, SR)
    assert np.all(np.abs(y) <= ceiling * (1 + 1e-5))


def test_limiter_gain_is_smooth_not_clipping() -> None:
    t = np.arange(SR, dtype=np.float32) / SR
    # A level that jumps from 0.5 to 2.0 and back: the gain must ramp, not step.
    y = np.where((t > 0.4) & (t < 0.6), 2.0, 0.5).astype(np.float32)
    before = y.copy()
    limiter_gain(y, block_peaks(y, 10.0), 0.9, SR)
    gain = y / before
    assert gain.min() > 0.44 and gain.max() <= 1.0
    assert np.abs(np.diff(gain)).max() < 0.01  # spread over > 50 samples (~2.5 ms)
    ramp = np.flatnonzero((gain < 0.999) & (gain > 0.451))
    assert 80 < len(ramp) < 800  # ramps in and out over a few ms each
    # Away from the loud part the signal is untouched.
    assert np.array_equal(y[: int(0.3 * SR)], before[: int(0.3 * SR)])


def test_limiter_leaves_audio_between_limited_parts_untouched() -> None:
    t = np.arange(2 * SR, dtype=np.float32) / SR
    y = np.where((t % 1.0 > 0.2) & (t % 1.0 < 0.3), 2.0, 0.5).astype(np.float32)
    before = y.copy()
    limiter_gain(y, block_peaks(y, 10.0), 0.9, SR)
    assert np.abs(y).max() <= 0.9 * (1 + 1e-6)
    between = (t > 0.5) & (t < 1.1)
    assert np.array_equal(y[between], before[between])


def test_level_voices_brings_voices_together() -> None:
    tl = long_timeline(stories=1, seconds=30)
    out = level_voices(tl)
    assert len(out) == len(tl)
    assert all(type(a) is type(b) for a, b in zip(tl, out, strict=True))
    by_voice: dict[str, list[bytes]] = {}
    for it in out:
        if isinstance(it, SpokenItem):
            by_voice.setdefault(it.voice_id, []).append(it.clip.pcm)
    levels = [_pyln(b"".join(p)) for p in by_voice.values()]
    assert len(levels) == 3
    assert max(levels) - min(levels) < 0.3
    # The narrator (most audio) is in range, so it sets the level; else VOICE_LEVEL_LUFS would.
    assert VOICE_LEVEL_RANGE[0] <= levels[0] <= VOICE_LEVEL_RANGE[1]
    # Durations and text are untouched.
    for a, b in zip(tl, out, strict=True):
        if isinstance(a, SpokenItem) and isinstance(b, SpokenItem):
            assert len(a.clip.pcm) == len(b.clip.pcm) and a.text == b.text


def test_main_voice_in_range_is_kept_and_others_matched() -> None:
    narrator = [item(3.0, level=0.08, seed=i) for i in range(6)]  # -23.2 LUFS: in range
    guest = [item(2.0, speaker="G", voice="g", level=0.2, seed=9 + i) for i in range(2)]
    out = level_voices([*narrator, Pause(300), *guest])
    assert all(a is b for a, b in zip(narrator, out, strict=False))  # untouched, not copied
    main = _pyln(b"".join(i.clip.pcm for i in narrator))
    leveled = [i for i in out[-2:] if isinstance(i, SpokenItem)]
    assert abs(_pyln(b"".join(i.clip.pcm for i in leveled)) - main) < 0.3


def test_main_voice_out_of_range_goes_to_reference_level() -> None:
    loud = [item(3.0, level=0.4, seed=i) for i in range(4)]  # far above -18 LUFS
    out = level_voices(loud)
    got = b"".join(i.clip.pcm for i in out if isinstance(i, SpokenItem))
    assert abs(_pyln(got) - VOICE_LEVEL_LUFS) < 0.3


def test_level_voices_keeps_silent_voice_and_pauses() -> None:
    silent = SpokenItem(
        clip=type(item(1).clip)(pcm=bytes(SR * 2), sample_rate=SR),
        text="",
        speaker="X",
        voice_id="mute",
        story=0,
    )
    tl: list[TimelineItem] = [silent, Pause(100), item(2.0)]
    out = level_voices(tl)
    assert out[0] is silent and out[1] is tl[1]


def test_normalize_reaches_target_under_ceiling() -> None:
    b = stitch(level_voices(long_timeline(stories=2, seconds=15)))
    out, report = normalize(b, target_lufs=-16.0, max_true_peak_dbtp=-1.0)
    assert out.cues == b.cues and out.chapters == b.chapters
    assert len(out.pcm) == len(b.pcm)
    assert abs(_pyln(out.pcm) - -16.0) < 0.5
    assert abs(report.integrated_lufs - _pyln(out.pcm)) < 0.1  # an estimate, not re-measured
    assert _true_peak_db(out.pcm) <= -1.0
    assert report.true_peak_dbtp <= -1.0
    assert report.gain_db > 0


def test_normalize_other_target() -> None:
    b = stitch([item(6.0, level=0.2)])
    out, report = normalize(b, target_lufs=-23.0)
    assert abs(_pyln(out.pcm) - -23.0) < 0.3
    assert report.gain_db < 0


def test_normalize_silence_is_a_no_op() -> None:
    b = Briefing(pcm=bytes(SR * 2), sample_rate=SR, cues=(), chapters=())
    out, report = normalize(b)
    assert out.pcm == b.pcm and report.gain_db == 0.0


def test_long_briefings_are_measured_on_a_sample(monkeypatch: pytest.MonkeyPatch) -> None:
    from briefing.audio import loudness

    # A steady voice, as a TTS engine's is (long_timeline mixes very different clips per voice).
    steady: list[TimelineItem] = []
    for i in range(30):
        steady += [item(1.0 + i % 4 * 0.5, level=0.08, seed=i), Pause(200 + i % 5 * 100)]
    b = stitch(steady)
    monkeypatch.setattr(loudness, "MEASURE_SECONDS", 20.0)  # ~1/4 of the audio
    out, report = normalize(b)
    assert abs(_pyln(out.pcm) - -16.0) < 0.5
    assert abs(report.integrated_lufs - _pyln(out.pcm)) < 0.3


def test_fast_length_is_the_smallest_padded_length_of_its_form() -> None:
    from briefing.audio.bs1770 import fast_length

    forms = sorted({m << k for m in (1, 3, 5) for k in range(16)})
    for n in range(1, 6000):
        assert fast_length(n) == next(f for f in forms if f >= n)
