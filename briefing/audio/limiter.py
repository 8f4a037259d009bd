"""True peak and limiting: find where audio would overshoot a ceiling, and pull it under smoothly.

True peak uses 4x polyphase interpolation next to loud samples only, the only places it can
exceed the ceiling. The limiter is a smooth lookahead gain curve over 32-sample blocks, never
clipping. `loudness` gains and limits the briefing with these.
"""

from __future__ import annotations

import functools
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

F32 = NDArray[np.float32]
F64 = NDArray[np.float64]
G = TypeVar("G", bound=np.generic)
_OVERSAMPLE = 4
TAPS_PER_PHASE = 16
"""Taps of each interpolation filter (samples k-7 .. k+8 around a point between k and k+1)."""
BLOCK = 32
"""Samples per block: peaks are found, and the limiter's gain is set, block by block."""


def _interpolator() -> F64:
    """The 4x oversampling low-pass: scipy's firwin(64, 0.25, window=("kaiser", 5.0)) times 4.

    A Kaiser-windowed sinc cut off at a quarter of the band, scaled to unit gain at DC (as
    firwin's scale=True), then by 4 to make up for the zeros oversampling puts between samples.
    """
    n, cutoff = _OVERSAMPLE * TAPS_PER_PHASE, 1 / _OVERSAMPLE
    h = cutoff * np.sinc(cutoff * (np.arange(n) - (n - 1) / 2)) * np.kaiser(n, 5.0)
    out: F64 = h * (_OVERSAMPLE / h.sum())
    return out


@functools.cache
def _phases() -> F32:
    """Interpolation filters for the 3 in-between points of 4x oversampling, shape (taps, 3)."""
    h = _interpolator()
    # Column p-1 interpolates at t = k + p/4 from samples k-7 .. k+8.
    cols = [h[_OVERSAMPLE - p :: _OVERSAMPLE][::-1] for p in (1, 2, 3)]
    return np.stack(cols, axis=1).astype(np.float32)


def window(sample_rate: int) -> tuple[int, int]:
    """Blocks the limiter looks back (hold, 30 ms) and ahead (5 ms) of a block for its gain."""
    ahead = max(2, round(0.005 * sample_rate / BLOCK))
    return max(ahead, round(0.030 * sample_rate / BLOCK)), ahead


def running(op: np.ufunc, x: NDArray[G], before: int, after: int) -> NDArray[G]:
    """`op` (np.minimum or np.maximum) over x[i - before : i + after + 1] for every i.

    Edges repeat the end values (scipy.ndimage's mode="nearest"). Windows double in width a pass
    at a time, so a window of w costs ~log2(w) vectorised passes.
    """
    if not len(x):
        return x.copy()
    width = before + after + 1
    m = _pad_edges(x, before, after)
    span = 1
    while 2 * span <= width:
        m = op(m[:-span], m[span:])  # m[i] = op over padded[i : i + 2 * span]
        span *= 2
    # Two windows of `span` cover the `width` at i: [i, i + span) and [i + width - span, i + width).
    out: NDArray[G] = op(m[: len(x)], m[width - span : width - span + len(x)])
    return out


def running_mean(x: NDArray[np.floating[Any]], before: int, after: int) -> F32:
    """Mean of x[i - before : i + after + 1] for every i, edges repeated (mode="nearest")."""
    if not len(x):
        return np.zeros(0, dtype=np.float32)
    width = before + after + 1
    c = np.empty(len(x) + width, dtype=np.float64)  # c[i]: sum of the first i padded values
    c[0] = 0.0
    np.cumsum(_pad_edges(x, before, after), dtype=np.float64, out=c[1:])
    mean: F32 = ((c[width:] - c[:-width]) / width).astype(np.float32)
    return mean


def _pad_edges(x: NDArray[G], before: int, after: int) -> NDArray[G]:
    """x with its end values repeated `before` and `after` times: np.pad's mode="edge", whose
    Python-level setup costs more than the padding itself on the limiter's block arrays (a
    couple of thousand values, three calls per 3 s of audio)."""
    out = np.empty(before + len(x) + after, dtype=x.dtype)
    out[:before] = x[0]
    out[before : before + len(x)] = x
    out[before + len(x) :] = x[-1]
    return out


def block_peaks(y: F32, near: float) -> F32:
    """True peak per 32-sample block: max |y|, raised by 4x-interpolated peaks near loud samples."""
    a = np.abs(y)
    # reduceat over block starts: faster than a max along rows of 32, and takes the last,
    # partial block too.
    peaks = np.maximum.reduceat(a, np.arange(0, len(y), BLOCK)) if len(y) else a
    if len(peaks) and peaks.max() > near:
        _raise_loud_blocks(y, a, near, peaks)
    return peaks


def loud_peaks(y: F32, near: float) -> F32:
    """`block_peaks` for blocks whose true peak passes `near`, 0 for the others.

    All the limiter needs when `near` is under its ceiling, at about half the cost: the
    maximum over every block is numpy's slowest pass here.
    """
    peaks = np.zeros(-(-len(y) // BLOCK), dtype=np.float32)
    _raise_loud_blocks(y, np.abs(y), near, peaks)
    return peaks


def _raise_loud_blocks(y: F32, a: F32, near: float, peaks: F32) -> None:
    """Raise `peaks` (in place) to the samples over `near` and the 4x-interpolated peaks after them.

    A loud block's largest sample is one of its loud samples, so this alone gives its peak.
    """
    loud = np.flatnonzero(a > near)
    if not len(loud):
        return
    half = TAPS_PER_PHASE // 2
    # Loud samples with a whole window around them: a run of `loud` (it is sorted), so a
    # slice rather than a mask and two gathers.
    i0, i1 = np.searchsorted(loud, (half - 1, len(y) - half))
    values = a[loud]
    # Rows y[n-7 .. n+8] of a strided view: gathering whole rows is ~3x faster than indexing
    # each of the 16 samples.
    windows = _sliding_rows(y)[loud[i0:i1] - (half - 1)]
    between = np.abs(windows @ _phases())
    # A peak between samples n and n+1 is charged to n's block; the limiter's window covers
    # the neighbouring block too. (Column by column: numpy's max along rows of 3 is slow.)
    np.maximum(between[:, 0], between[:, 1], out=between[:, 0])
    np.maximum(between[:, 0], between[:, 2], out=between[:, 0])
    np.maximum(values[i0:i1], between[:, 0], out=values[i0:i1])
    ids = loud // BLOCK  # sorted: reduce each block's run at once (ufunc.at is slow)
    first = np.flatnonzero(np.concatenate([[True], ids[1:] != ids[:-1]]))
    runs = np.maximum.reduceat(values, first)
    np.maximum(peaks[ids[first]], runs, out=runs)
    peaks[ids[first]] = runs


def _sliding_rows(y: F32) -> F32:
    """Every run of TAPS_PER_PHASE consecutive samples of y as a row: the view
    `sliding_window_view` makes, without its ~80 us of Python checks per call (one call per
    3 s of audio gained)."""
    c = np.ascontiguousarray(y)
    rows = max(0, len(c) - TAPS_PER_PHASE + 1)
    view: F32 = np.ndarray(
        (rows, TAPS_PER_PHASE), dtype=c.dtype, buffer=c, strides=(c.itemsize, c.itemsize)
    )
    return view


def limiter_gain(y: F32, peaks: F32, ceiling: float, sample_rate: int) -> None:
    """Scale `y` in place by a smooth gain keeping gain * peak <= ceiling (5 ms ahead, 30 ms)."""
    want = np.float32(ceiling) / np.maximum(peaks, np.float32(1e-9))
    np.minimum(want, np.float32(1), out=want)
    hold, ahead = window(sample_rate)
    # Window [b-hold, b+ahead]; averaging over +-(ahead-1) blocks and interpolating linearly
    # between block centres never exceeds any sample's own limit (a convex mix of minima that
    # each cover it).
    held = running(np.minimum, want, hold, ahead)
    smooth = np.minimum(running_mean(held, ahead - 1, ahead - 1), 1)
    left = np.concatenate([smooth[:1], smooth[:-1]])
    right = np.concatenate([smooth[1:], smooth[-1:]])
    # Only blocks whose gain (or a neighbour's) is below 1 need touching; the span from the
    # first to the last is scaled whole (blocks between at gain 1 stay exact), which is
    # cheaper than gathering and scattering the blocks one by one.
    touched = np.flatnonzero(np.minimum(np.minimum(left, right), smooth) < 1)
    if len(touched) == 0:
        return
    b0, b1 = int(touched[0]), int(touched[-1]) + 1
    c = smooth[b0:b1]
    # The gain runs linearly between block centres: before a block's centre it ramps from the
    # left neighbour's gain, after it towards the right one's; one slope per half block.
    slopes = np.empty((b1 - b0, 2), dtype=np.float32)
    np.subtract(c, left[b0:b1], out=slopes[:, 0])
    np.subtract(right[b0:b1], c, out=slopes[:, 1])
    t = (np.arange(BLOCK, dtype=np.float32) - (BLOCK - 1) / 2) / BLOCK  # -0.48 .. 0.48
    # Repeating into one flat array is numpy's fast path (broadcasting over rows of 32 is not).
    gains = np.repeat(slopes.ravel(), BLOCK // 2).reshape(-1, BLOCK)
    gains *= t
    gains += c[:, None]
    span = y[b0 * BLOCK : b1 * BLOCK]  # the last block may be partial
    span *= gains.ravel()[: len(span)]
