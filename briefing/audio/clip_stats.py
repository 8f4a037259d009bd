"""Per-clip loudness statistics, so a briefing's gains are found without reading its clips.

For each clip (computed once, kept beside it in the clip cache as `<key>.stats`): its length,
its K-weighted energy per 100 ms step (as `loudness` measures it) and a histogram of that
energy over the clip's held true peak (the peak the limiter's window sees, 0.5 dB bins). From
the histogram, the energy the limiter leaves at any gain is estimated without the audio, so the
per-voice levelling gains and the briefing's gain come from these statistics alone: the steps of
the timeline are laid end to end (pauses are silent steps) and gated as BS.1770 does.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from briefing.audio.bs1770 import gated_loudness, k_and_plain_energies, step_samples
from briefing.audio.limiter import BLOCK, running, window
from briefing.audio.loudness import (
    MAX_LIMITING_DB,
    VOICE_LEVEL_LUFS,
    VOICE_LEVEL_RANGE,
    secant_gain,
)
from briefing.model import Clip

F64 = NDArray[np.float64]
_MAGIC = b"BST2"  # 2: plain step energies from the spectrum (float rounding differs)
_HEADER = struct.Struct("<4sIQII")  # magic, sample rate, samples, steps, bins
BIN_DB = 0.5
LOW_DB = -60.0
"""Held peaks below this (dBFS) share the first bin: no gain in use lifts them to the ceiling."""
BINS = int(-LOW_DB / BIN_DB) + 13  # up to +6 dBFS (interpolated peaks can pass full scale)


@dataclass(frozen=True)
class ClipStats:
    """What the gains need to know about one clip."""

    samples: int
    sample_rate: int
    steps: F64
    """K-weighted energy per 100 ms step (the last, partial step dropped as `loudness` does)."""
    held: F64
    """K-weighted energy by held true peak, bin i = [LOW_DB + i * BIN_DB, + BIN_DB) dBFS."""

    def to_bytes(self) -> bytes:
        """The side-file form."""
        head = _HEADER.pack(_MAGIC, self.sample_rate, self.samples, len(self.steps), BINS)
        return head + self.steps.astype("<f8").tobytes() + self.held.astype("<f8").tobytes()

    @staticmethod
    def from_bytes(data: bytes) -> ClipStats | None:
        """Parse a side file; None when it is truncated or of another format."""
        if len(data) < _HEADER.size:
            return None
        magic, rate, samples, steps, bins = _HEADER.unpack_from(data)
        if magic != _MAGIC or bins != BINS or len(data) != _HEADER.size + 8 * (steps + bins):
            return None
        body = np.frombuffer(data, dtype="<f8", offset=_HEADER.size)
        return ClipStats(samples, rate, body[:steps].copy(), body[steps:].copy())


def clip_stats(clip: Clip) -> ClipStats:
    """Measure one clip."""
    sr = clip.sample_rate
    x = np.frombuffer(clip.pcm[: len(clip.pcm) // 2 * 2], dtype="<i2")
    step = step_samples(sr)
    if not len(x):
        return ClipStats(0, sr, np.zeros(0), np.zeros(BINS))
    # Whole steps, then the last partial step zero-padded: it is dropped from `steps` (as
    # `loudness` drops it) but its blocks still need a K-weighting estimate below.
    n_steps, n_blocks = -(-len(x) // step), -(-len(x) // BLOCK)
    y = np.zeros(n_steps * step + BLOCK, dtype=np.float64)
    y[: len(x)] = x
    rows, blocks = y[: n_steps * step].reshape(-1, step), y[: n_blocks * BLOCK].reshape(-1, BLOCK)
    k_weighted, plain = k_and_plain_energies(rows, sr)
    # Per block only plain energy is known; its step's K-weighted share of it stands in (the
    # histogram only predicts what share of the energy the limiter takes).
    share = np.divide(k_weighted, plain, out=np.zeros_like(plain), where=plain > 0)
    owner = np.minimum((np.arange(n_blocks) * BLOCK + BLOCK // 2) // step, n_steps - 1)
    energy = np.einsum("ij,ij->i", blocks, blocks).astype(np.float64) / 32768**2 * share[owner]
    # Sample peaks per block (true peaks would cost most of the time here; speech overshoots
    # between samples by a fraction of a dB, within what this estimate needs).
    # (reduceat over block starts: ~1.5x faster than a max along rows of 32.)
    peaks = np.maximum.reduceat(np.abs(y[: n_blocks * BLOCK]), np.arange(0, len(x), BLOCK))
    peaks /= np.float32(32768)
    # The limiter's gain at block b follows the largest peak in [b - hold, b + ahead].
    held_peaks = running(np.maximum, peaks, *window(sr)).astype(np.float64)
    with np.errstate(divide="ignore"):
        db = 20 * np.log10(np.maximum(held_peaks, 1e-9))
    bins = np.clip(((db - LOW_DB) / BIN_DB).astype(int), 0, BINS - 1)
    held = np.bincount(bins, weights=energy, minlength=BINS)[:BINS].astype(np.float64)
    return ClipStats(len(x), sr, k_weighted[: len(x) // step], held)


_TOP = LOW_DB + BIN_DB * (np.arange(BINS) + 1.0)  # upper edge of each bin, dBFS


def measure_all(clips: Sequence[Clip], jobs: int) -> list[ClipStats]:
    """`clip_stats` of every clip, on threads (numpy releases the GIL)."""
    from concurrent.futures import ThreadPoolExecutor

    if jobs <= 1 or len(clips) < 2:
        return [clip_stats(c) for c in clips]
    with ThreadPoolExecutor(jobs) as pool:
        return list(pool.map(clip_stats, clips, chunksize=16))


def limited_ratio(stats: ClipStats, gain_db: float, ceiling_db: float) -> float:
    """Estimated energy left by the limiter at this gain, as a share of the gained energy."""
    total = float(stats.held.sum())
    if total <= 0:
        return 1.0
    over = np.minimum(0.0, ceiling_db - (_TOP - BIN_DB / 2 + gain_db))
    return float((stats.held * 10 ** (over / 10)).sum() / total)


Item = tuple[ClipStats, str] | int
"""A timeline item for the gains: (clip statistics, voice id), or a silence of n steps."""


def voice_gains(items: Sequence[Item], sample_rate: int) -> dict[str, float]:
    """Each voice's levelling gain (rounded to 0.25 dB), as `loudness.level_voices` sets it."""
    steps: dict[str, list[F64]] = {}
    seconds: dict[str, float] = {}
    for item in items:
        if isinstance(item, tuple):
            stats, voice = item
            steps.setdefault(voice, []).append(stats.steps)
            seconds[voice] = seconds.get(voice, 0.0) + stats.samples / stats.sample_rate
    levels = {v: gated_loudness([(0, np.concatenate(s))], sample_rate) for v, s in steps.items()}
    main = levels[max(seconds, key=seconds.__getitem__)] if levels else VOICE_LEVEL_LUFS
    level = main if VOICE_LEVEL_RANGE[0] <= main <= VOICE_LEVEL_RANGE[1] else VOICE_LEVEL_LUFS
    return {v: 0.0 if x == float("-inf") else round((level - x) * 4) / 4 for v, x in levels.items()}


def briefing_gain(
    items: Sequence[Item],
    gains: dict[str, float],
    sample_rate: int,
    target: float,
    ceiling_db: float,
    step_db: float,
) -> float:
    """The briefing's gain (rounded to `step_db`) that reaches `target` after limiting."""
    laid = _Laid(items, gains, sample_rate)
    measured = gated_loudness([(0, laid.energies)], sample_rate)
    if measured == float("-inf"):
        return 0.0
    gain = secant_gain(lambda g: target - laid.loudness(g, ceiling_db), target - measured,
                       MAX_LIMITING_DB)  # fmt: skip
    return round(gain / step_db) * step_db


def estimated_loudness(
    items: Sequence[Item], gains: dict[str, float], sample_rate: int, gain_db: float,
    ceiling_db: float,
) -> float:  # fmt: skip
    """The integrated loudness (LUFS) the timeline reaches at this gain, limiter included."""
    return _Laid(items, gains, sample_rate).loudness(gain_db, ceiling_db)


class _Laid:
    """The timeline's step energies end to end (voice gains applied), and whose clip each is."""

    def __init__(self, items: Sequence[Item], gains: dict[str, float], sample_rate: int) -> None:
        parts: list[F64] = []
        self.owners: list[tuple[int, int, ClipStats, float]] = []  # first step, steps, clip, gain
        at = 0
        for item in items:
            if isinstance(item, tuple):
                stats, voice = item
                g = gains.get(voice, 0.0)
                parts.append(stats.steps * 10 ** (g / 10))
                self.owners.append((at, len(stats.steps), stats, g))
                at += len(stats.steps)
            elif item > 0:
                parts.append(np.zeros(item))
                at += item
        self.energies = np.concatenate(parts) if parts else np.zeros(0)
        self.sample_rate = sample_rate

    def loudness(self, gain_db: float, ceiling_db: float) -> float:
        """Loudness after this gain and the limiter (estimated from each clip's held peaks)."""
        scale = np.ones(len(self.energies))
        for first, n, stats, g in self.owners:
            scale[first : first + n] = limited_ratio(stats, gain_db + g, ceiling_db)
        return gated_loudness([(0, self.energies)], self.sample_rate, scale) + gain_db


def silent_steps(samples: int, sample_rate: int) -> int:
    """How many 100 ms steps a silence of `samples` counts for."""
    return round(samples / step_samples(sample_rate))
