"""Loudness: level every voice alike, then bring the briefing to a target LUFS under a peak ceiling.

Measurement is ITU-R BS.1770 with pyloudnorm's K-weighting filters and gating constants (checked
against `pyloudnorm.Meter` in the tests), run in chunks over the int16 PCM so that a 100-minute
briefing never needs a full-length float copy, and split over threads (numpy and scipy release
the GIL). True peak uses 4x polyphase interpolation, evaluated only next to loud samples, the
only places it can exceed the ceiling. The limiter is a smooth lookahead gain curve, not clipping.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pyloudnorm
from numpy.typing import NDArray
from scipy.ndimage import minimum_filter1d, uniform_filter1d
from scipy.signal import firwin, sosfilt

from briefing.model import Briefing, Clip, SpokenItem, TimelineItem

F32 = NDArray[np.float32]
F64 = NDArray[np.float64]
I16 = NDArray[np.int16]
VOICE_LEVEL_LUFS = -24.0
"""Where `level_voices` puts every voice: low enough that no clip clips; `normalize` lifts it."""
CODEC_MARGIN_DB = 1.5
"""Headroom below the true-peak ceiling for lossy encoders' overshoot (MP3 ~0.1 dB, Opus ~0.9)."""
STEPS_PER_CHUNK = 32
"""Chunks are whole numbers of 100 ms gating steps (~3 s): small temporaries, cache-friendly."""
_OVERSAMPLE = 4
_TAPS_PER_PHASE = 16
_BLOCK = 32
"""The limiter's gain curve is computed per 32 samples and interpolated: 32x less filtering."""


@dataclass(frozen=True)
class LoudnessReport:
    """What `normalize` measured and did."""

    integrated_lufs: float
    true_peak_dbtp: float
    gain_db: float


@functools.cache
def _k_weighting(sample_rate: int) -> F32:
    """pyloudnorm's K-weighting filters for this rate as float32 second-order sections."""
    meter = pyloudnorm.Meter(sample_rate)
    rows = []
    for stage in meter._filters.values():
        b = np.asarray(stage.b, dtype=np.float64) * stage.passband_gain
        a = np.asarray(stage.a, dtype=np.float64)
        rows.append(np.concatenate([b / a[0], a / a[0]]))
    # float32 filtering differs from float64 by ~1e-6 dB on speech and runs twice as fast.
    return np.array(rows, dtype=np.float32)


def _step(sample_rate: int) -> int:
    """Samples per 100 ms gating step (400 ms blocks with 75% overlap are 4 steps)."""
    return round(0.1 * sample_rate)


def _floats(pcm16: I16) -> F32:
    """int16 samples as float32 in -1..1."""
    return pcm16.astype(np.float32) * np.float32(1 / 32768)


def _step_energies(chunks: Iterable[I16], sample_rate: int) -> F64:
    """Sum of squared K-weighted samples per 100 ms step of audio fed as consecutive chunks."""
    sos = _k_weighting(sample_rate)
    zi = np.zeros((sos.shape[0], 2), dtype=np.float32)
    step = _step(sample_rate)
    sums: list[F64] = []
    carry = np.zeros(0, dtype=np.float64)
    for chunk in chunks:
        y, zi = sosfilt(sos, _floats(chunk), zi=zi)
        sq = np.concatenate([carry, np.square(y, dtype=np.float64)])
        whole = len(sq) // step * step
        sums.append(sq[:whole].reshape(-1, step).sum(axis=1))
        carry = sq[whole:]
    return np.concatenate(sums) if sums else np.zeros(0)


def _array_step_energies(x: I16, sample_rate: int, jobs: int = 2) -> F64:
    """`_step_energies` of one array, split over `jobs` threads with a 1 s filter warm-up each."""
    step = _step(sample_rate)
    chunk = step * STEPS_PER_CHUNK
    bounds = [len(x) // step * step * i // jobs // step * step for i in range(jobs)] + [len(x)]
    warm = step * 10  # the K-weighting filters forget their start within a few ms; 1 s is ample

    def part(i: int) -> F64:
        a, z = bounds[i], bounds[i + 1]
        w = min(a, warm)
        sums = _step_energies(
            (x[s : min(s + chunk, z)] for s in range(a - w, z, chunk)), sample_rate
        )
        return sums[w // step :]

    if jobs <= 1 or len(x) < 20 * chunk:
        return _step_energies((x[s : s + chunk] for s in range(0, len(x), chunk)), sample_rate)
    with ThreadPoolExecutor(jobs) as pool:
        return np.concatenate(list(pool.map(part, range(jobs))))


def _gated_loudness(steps: F64, sample_rate: int) -> float:
    """BS.1770 integrated loudness from per-step energies (gates: -70 LUFS absolute, -10 LU)."""
    if len(steps) < 4:
        return float("-inf")
    z = (steps[:-3] + steps[1:-2] + steps[2:-1] + steps[3:]) / (4 * _step(sample_rate))
    with np.errstate(divide="ignore"):
        block = -0.691 + 10 * np.log10(z)
    gated = z[block >= -70.0]
    if len(gated) == 0:
        return float("-inf")
    relative = -0.691 + 10 * np.log10(gated.mean()) - 10.0
    gated = z[(block > relative) & (block >= -70.0)]
    return float(-0.691 + 10 * np.log10(gated.mean()))


def integrated_loudness(pcm: bytes, sample_rate: int) -> float:
    """Integrated loudness (LUFS) of mono int16 PCM; -inf for silence or under 400 ms."""
    x = np.frombuffer(pcm, dtype="<i2")
    return _gated_loudness(_array_step_energies(x, sample_rate), sample_rate)


@functools.cache
def _phases() -> F32:
    """Interpolation filters for the 3 in-between points of 4x oversampling, shape (taps, 3)."""
    h = firwin(_OVERSAMPLE * _TAPS_PER_PHASE, 1 / _OVERSAMPLE, window=("kaiser", 5.0))
    h *= _OVERSAMPLE
    # Column p-1 interpolates at t = k + p/4 from samples k-7 .. k+8.
    cols = [h[_OVERSAMPLE - p :: _OVERSAMPLE][::-1] for p in (1, 2, 3)]
    return np.stack(cols, axis=1).astype(np.float32)


def peak_envelope(y: F32, near: float) -> F32:
    """Per-sample true peak: |y|, raised by 4x-interpolated peaks next to samples above `near`."""
    env = np.abs(y)
    loud = np.flatnonzero(env > near)
    half = _TAPS_PER_PHASE // 2
    loud = loud[(loud >= half - 1) & (loud < len(y) - half)]
    if len(loud):
        windows = y[loud[:, None] + np.arange(1 - half, half + 1)]
        between = np.abs(windows @ _phases()).max(axis=1)
        np.maximum.at(env, loud, between)
    return env


def limiter_gain(y: F32, env: F32, ceiling: float, sample_rate: int) -> None:
    """Scale `y` in place by a smooth gain keeping gain * env <= ceiling (5 ms ahead, 30 ms)."""
    nb = -(-len(env) // _BLOCK)
    padded = np.zeros(nb * _BLOCK, dtype=np.float32)
    padded[: len(env)] = env
    peaks = padded.reshape(nb, _BLOCK).max(axis=1)
    want = np.minimum(np.float32(1), np.float32(ceiling) / np.maximum(peaks, np.float32(1e-9)))
    ahead = max(2, round(0.005 * sample_rate / _BLOCK))
    hold = max(ahead, round(0.030 * sample_rate / _BLOCK))
    size = hold + ahead + 1
    # Window [b-hold, b+ahead]; averaging over +-(ahead-1) blocks and interpolating linearly
    # between block centres then never exceeds any sample's own limit (a convex mix of minima
    # that each cover it).
    held = minimum_filter1d(want, size=size, origin=hold - size // 2, mode="nearest")
    smooth = uniform_filter1d(held, size=2 * ahead - 1, mode="nearest")
    smooth = np.minimum(smooth, np.float32(1))
    # Interpolate only in blocks whose gain (or a neighbour's) is below 1: the rest stay as is.
    left = np.concatenate([smooth[:1], smooth[:-1]])
    right = np.concatenate([smooth[1:], smooth[-1:]])
    blocks = np.flatnonzero(np.minimum(np.minimum(left, right), smooth) < 1)
    if len(blocks) == 0:
        return
    t = (np.arange(_BLOCK, dtype=np.float32) - (_BLOCK - 1) / 2) / _BLOCK  # -0.48 .. 0.48
    c, lo, hi = smooth[blocks, None], left[blocks, None], right[blocks, None]
    gains = np.where(t < 0, c + (c - lo) * t, c + (hi - c) * t)
    padded[: len(y)] = y
    view = padded.reshape(nb, _BLOCK)
    view[blocks] *= gains
    y[:] = padded[: len(y)]


def _gain_chunk(
    x: I16, dst: I16 | None, start: int, size: int, g: float, ceiling: float, sample_rate: int
) -> tuple[float, F64]:
    """Gain and limit x[start:start+size] into dst; return its true peak and step energy ratios."""
    pad = round(0.040 * sample_rate) + 2 * _BLOCK + _TAPS_PER_PHASE  # hold + lookahead + filters
    a, z = max(0, start - pad), min(len(x), start + size + pad)
    y = _floats(x[a:z])
    y *= np.float32(g)
    core = slice(start - a, start - a + min(size, len(x) - start))
    near = ceiling * 10 ** (-4 / 20)  # interpolated peaks stay within 4 dB of their neighbours
    step = _step(sample_rate)
    ratio = np.ones(-(-(core.stop - core.start) // step))
    if np.abs(y).max(initial=0.0) <= near:
        out = y[core]
        top = float(np.abs(out).max(initial=0.0))
    else:
        env = peak_envelope(y, near)
        if env.max() > ceiling:
            before = y[core].copy()
            limiter_gain(y, env, ceiling, sample_rate)
            # Energy lost to limiting, per gating step, so normalize can report the level reached.
            n = len(before) // step * step
            e0 = np.square(before[:n], dtype=np.float64).reshape(-1, step).sum(axis=1)
            e1 = np.square(y[core][:n], dtype=np.float64).reshape(-1, step).sum(axis=1)
            ratio[: len(e0)] = np.where(e0 > 0, e1 / np.maximum(e0, 1e-30), 1.0)
        out = y[core]
        top = float(peak_envelope(out, near).max(initial=0.0))
    if dst is not None:
        out *= np.float32(32768)
        np.rint(out, out=out)
        np.clip(out, -32768, 32767, out=out)
        dst[start : start + len(out)] = out
    return top, ratio


def apply_gain(
    x: I16, gain_db: float, ceiling_db: float, sample_rate: int, jobs: int = 2
) -> tuple[bytes, float, F64]:
    """Scale int16 audio by gain_db, limiting true peaks to ceiling_db.

    Returns the PCM, its true peak in dBTP and, per 100 ms step, the energy ratio the limiter left.
    """
    g, ceiling = 10 ** (gain_db / 20), 10 ** (ceiling_db / 20)
    size = _step(sample_rate) * STEPS_PER_CHUNK
    starts = range(0, len(x), size)

    dst = np.empty(len(x), dtype="<i2")

    def one(start: int) -> tuple[float, F64]:
        return _gain_chunk(x, dst, start, size, g, ceiling, sample_rate)

    if jobs > 1 and len(starts) > 4:
        with ThreadPoolExecutor(jobs) as pool:
            parts = list(pool.map(one, starts))
    else:
        parts = [one(s) for s in starts]
    top = max((p[0] for p in parts), default=0.0)
    ratios = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0)
    with np.errstate(divide="ignore"):
        peak_db = float(20 * np.log10(top))
    return dst.tobytes(), peak_db, ratios


def _gain_for(x: I16, steps: F64, measured: float, target: float, ceiling: float, sr: int) -> float:
    """Gain that reaches `target` after limiting, found on a sample of ~40 chunks.

    Limiting speech's peaks takes loudness with it (eSpeak's peaks sit ~20 dB over its loudness),
    so the gain is raised by what the limiter took until the two balance (a few rounds).
    """
    size = _step(sr) * STEPS_PER_CHUNK
    starts = list(range(0, len(x), size))
    sample = starts[:: max(1, len(starts) // 40)]
    idx = np.concatenate([np.arange(s // _step(sr), (s + size) // _step(sr)) for s in sample])
    idx = idx[idx < len(steps)]
    base = steps[idx]
    gain = target - measured
    for _ in range(4):
        g = 10 ** (gain / 20)
        ratios = np.concatenate([_gain_chunk(x, None, s, size, g, ceiling, sr)[1] for s in sample])
        plain = _gated_loudness(base, sr)
        limited = _gated_loudness(base * ratios[: len(base)], sr)
        loss = plain - limited if limited > float("-inf") else 0.0
        new = target - measured + loss
        if abs(new - gain) < 0.05:
            return new
        gain = new
    return gain


def normalize(
    briefing: Briefing, target_lufs: float = -16.0, max_true_peak_dbtp: float = -1.0
) -> tuple[Briefing, LoudnessReport]:
    """Bring the whole briefing to target integrated loudness (BS.1770) with true peak <= max."""
    sr = briefing.sample_rate
    x = np.frombuffer(briefing.pcm, dtype="<i2")
    steps = _array_step_energies(x, sr)
    measured = _gated_loudness(steps, sr)
    ceiling = max_true_peak_dbtp - CODEC_MARGIN_DB
    gain = 0.0
    if measured > float("-inf"):
        gain = _gain_for(x, steps, measured, target_lufs, 10 ** (ceiling / 20), sr)
    pcm, peak, ratios = apply_gain(x, gain, ceiling, sr)
    # Loudness reached = measured + gain, less what the limiter took (step energies x ratios).
    n = min(len(steps), len(ratios))
    reached = _gated_loudness(steps[:n] * ratios[:n] * 10 ** (gain / 10), sr)
    report = LoudnessReport(integrated_lufs=reached, true_peak_dbtp=peak, gain_db=gain)
    return dataclasses.replace(briefing, pcm=pcm), report


def level_voices(timeline: Sequence[TimelineItem]) -> list[TimelineItem]:
    """Bring every voice (grouped by SpokenItem.voice_id) to the same loudness before stitching."""
    by_voice: dict[str, list[SpokenItem]] = {}
    for item in timeline:
        if isinstance(item, SpokenItem):
            by_voice.setdefault(item.voice_id, []).append(item)
    gains: dict[str, float] = {}
    for voice, items in by_voice.items():
        chunks = (np.frombuffer(i.clip.pcm[: len(i.clip.pcm) // 2 * 2], "<i2") for i in items)
        sr = items[0].clip.sample_rate
        loud = _gated_loudness(_step_energies(chunks, sr), sr)
        gains[voice] = 0.0 if loud == float("-inf") else VOICE_LEVEL_LUFS - loud
    out: list[TimelineItem] = []
    for item in timeline:
        if isinstance(item, SpokenItem) and abs(gains[item.voice_id]) > 0.05:
            clip = item.clip
            x = np.frombuffer(clip.pcm[: len(clip.pcm) // 2 * 2], dtype="<i2")
            # A quiet voice lifted a long way could clip; the limiter keeps it under full scale.
            pcm, _, _ = apply_gain(x, gains[item.voice_id], -0.5, clip.sample_rate, jobs=1)
            leveled = Clip(pcm=pcm, sample_rate=clip.sample_rate)
            out.append(dataclasses.replace(item, clip=leveled))
        else:
            out.append(item)
    return out
