"""True peak and limiting: find where audio would overshoot a ceiling, and pull it under smoothly.

True peak uses 4x polyphase interpolation next to loud samples only, the only places it can
exceed the ceiling. The limiter is a smooth lookahead gain curve over 32-sample blocks, never
clipping. `loudness` gains and limits the briefing with these.
"""

from __future__ import annotations

import functools

import numpy as np
from numpy.typing import NDArray
from scipy.ndimage import minimum_filter1d, uniform_filter1d
from scipy.signal import firwin

F32 = NDArray[np.float32]
_OVERSAMPLE = 4
TAPS_PER_PHASE = 16
"""Taps of each interpolation filter (samples k-7 .. k+8 around a point between k and k+1)."""
BLOCK = 32
"""Samples per block: peaks are found, and the limiter's gain is set, block by block."""


@functools.cache
def _phases() -> F32:
    """Interpolation filters for the 3 in-between points of 4x oversampling, shape (taps, 3)."""
    h = firwin(_OVERSAMPLE * TAPS_PER_PHASE, 1 / _OVERSAMPLE, window=("kaiser", 5.0))
    h *= _OVERSAMPLE
    # Column p-1 interpolates at t = k + p/4 from samples k-7 .. k+8.
    cols = [h[_OVERSAMPLE - p :: _OVERSAMPLE][::-1] for p in (1, 2, 3)]
    return np.stack(cols, axis=1).astype(np.float32)


def block_peaks(y: F32, near: float) -> F32:
    """True peak per 32-sample block: max |y|, raised by 4x-interpolated peaks near loud samples."""
    a = np.abs(y)
    full, nb = len(y) // BLOCK, -(-len(y) // BLOCK)
    peaks = np.empty(nb, dtype=np.float32)
    peaks[:full] = a[: full * BLOCK].reshape(full, BLOCK).max(axis=1)
    if nb > full:
        peaks[full] = a[full * BLOCK :].max()
    if nb and peaks.max() > near:
        loud = np.flatnonzero(a > near)
        half = TAPS_PER_PHASE // 2
        loud = loud[(loud >= half - 1) & (loud < len(y) - half)]
        windows = y[loud[:, None] + np.arange(1 - half, half + 1)]
        # A peak between samples n and n+1 is charged to n's block; the limiter's window
        # covers the neighbouring block too.
        between = np.abs(windows @ _phases()).max(axis=1)
        ids = loud // BLOCK  # sorted: reduce each block's run at once (ufunc.at is slow)
        first = np.flatnonzero(np.concatenate([[True], ids[1:] != ids[:-1]]))
        if len(first):
            runs = np.maximum.reduceat(between, first)
            np.maximum(peaks[ids[first]], runs, out=runs)
            peaks[ids[first]] = runs
    return peaks


def limiter_gain(y: F32, peaks: F32, ceiling: float, sample_rate: int) -> None:
    """Scale `y` in place by a smooth gain keeping gain * peak <= ceiling (5 ms ahead, 30 ms)."""
    want = np.float32(ceiling) / np.maximum(peaks, np.float32(1e-9))
    np.minimum(want, np.float32(1), out=want)
    ahead = max(2, round(0.005 * sample_rate / BLOCK))
    hold = max(ahead, round(0.030 * sample_rate / BLOCK))
    size = hold + ahead + 1
    # Window [b-hold, b+ahead]; averaging over +-(ahead-1) blocks and interpolating linearly
    # between block centres never exceeds any sample's own limit (a convex mix of minima that
    # each cover it).
    held = minimum_filter1d(want, size=size, origin=hold - size // 2, mode="nearest")
    smooth = np.minimum(uniform_filter1d(held, size=2 * ahead - 1, mode="nearest"), 1)
    left = np.concatenate([smooth[:1], smooth[:-1]])
    right = np.concatenate([smooth[1:], smooth[-1:]])
    # Only blocks whose gain (or a neighbour's) is below 1 are touched.
    blocks = np.flatnonzero(np.minimum(np.minimum(left, right), smooth) < 1)
    if len(blocks) == 0:
        return
    t = (np.arange(BLOCK, dtype=np.float32) - (BLOCK - 1) / 2) / BLOCK  # -0.48 .. 0.48
    c, lo, hi = smooth[blocks, None], left[blocks, None], right[blocks, None]
    gains = np.where(t < 0, c + (c - lo) * t, c + (hi - c) * t)
    full = len(y) // BLOCK
    inner = blocks[blocks < full]
    view = y[: full * BLOCK].reshape(full, BLOCK)
    view[inner] *= gains[: len(inner)]
    if len(inner) < len(blocks):  # the last, partial block
        y[full * BLOCK :] *= gains[-1, : len(y) - full * BLOCK]
