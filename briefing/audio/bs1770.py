"""ITU-R BS.1770 measurement: K-weighted energy per 100 ms gating step, gated loudness.

pyloudnorm's K-weighting filters and gating constants (checked against `pyloudnorm.Meter` in the
tests), run over int16 PCM in ~3 s chunks so no full-length float copy is made. K-weighted
energy is found per step in the frequency domain (Parseval: a step's spectrum weighted by the
filters' squared magnitude), numpy only: scipy's import alone cost ~2.5 s per render. Long
briefings are measured on an even sample of chunks (speech loudness is steady). Heavy loops run
on threads (numpy releases the GIL).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

F64 = NDArray[np.float64]
I16 = NDArray[np.int16]
T = TypeVar("T")
STEPS_PER_CHUNK = 32
"""Chunks are whole numbers of 100 ms gating steps (~6 s): small temporaries, cache-friendly."""


@functools.cache
def k_weighting(sample_rate: int) -> F64:
    """The K-weighting filters for this rate as pyloudnorm builds them, one row per stage.

    A +4 dB high shelf at 1500 Hz then a 38 Hz high-pass, from the RBJ audio-EQ cookbook
    formulas (any sample rate); rows are [b0, b1, b2, a0, a1, a2] divided by a0.
    """
    rows = []
    for shelf, gain_db, q, fc in ((True, 4.0, 1 / np.sqrt(2), 1500.0), (False, 0.0, 0.5, 38.0)):
        big_a = 10 ** (gain_db / 40.0)
        w0 = 2.0 * np.pi * (fc / sample_rate)
        cos, alpha = np.cos(w0), np.sin(w0) / (2.0 * q)
        if shelf:
            root = 2 * np.sqrt(big_a) * alpha
            b0 = big_a * ((big_a + 1) + (big_a - 1) * cos + root)
            b1 = -2 * big_a * ((big_a - 1) + (big_a + 1) * cos)
            b2 = big_a * ((big_a + 1) + (big_a - 1) * cos - root)
            a0 = (big_a + 1) - (big_a - 1) * cos + root
            a1 = 2 * ((big_a - 1) - (big_a + 1) * cos)
            a2 = (big_a + 1) - (big_a - 1) * cos - root
        else:
            b0, b1, b2 = (1 + cos) / 2, -(1 + cos), (1 + cos) / 2
            a0, a1, a2 = 1 + alpha, -2 * cos, 1 - alpha
        rows.append(np.array([b0, b1, b2, a0, a1, a2]) / a0)
    return np.array(rows)


@functools.cache
def _k_power(n: int, sample_rate: int) -> F64:
    """Weights turning the rfft of n samples into their K-weighted energy (int16 scale).

    |H(f)|^2 of the filters at each bin, doubled for bins that stand for a mirrored pair too
    (all but DC and, for even n, Nyquist), over n (Parseval) and 32768^2; repeated so they
    apply to the spectrum viewed as interleaved (re, im) float pairs.
    """
    z = np.exp(-2j * np.pi * np.arange(n // 2 + 1) / n)  # z^-1 on the unit circle
    h = np.ones(len(z), dtype=np.complex128)
    for b0, b1, b2, a0, a1, a2 in k_weighting(sample_rate):
        h *= (b0 + b1 * z + b2 * z * z) / (a0 + a1 * z + a2 * z * z)
    w = np.square(np.abs(h)) / (n * 32768.0**2)
    w[1 : (n + 1) // 2] *= 2
    return np.repeat(w, 2)


def k_energies(rows: NDArray[Any], sample_rate: int) -> F64:
    """K-weighted energy (int16 scale) of each row of samples, one row per 100 ms step.

    The filters' memory does not carry between rows: each step is filtered as if periodic.
    On eSpeak speech that moves a step's energy by ~0.003 dB (a few tenths where the level
    jumps from or into silence) and integrated loudness by 0.02 LU at most.
    """
    power, n = _power_spectrum(rows)
    k: F64 = np.einsum("ij,j->i", power, _k_power(n, sample_rate))
    return k


def k_and_plain_energies(rows: NDArray[Any], sample_rate: int) -> tuple[F64, F64]:
    """`k_energies` and the rows' plain energy (int16 scale), from the same transform.

    The plain energy is Parseval's sum over the spectrum `k_energies` makes anyway, instead of
    another pass over the samples. The sums are numpy's own (einsum), not BLAS: OpenBLAS runs
    a product this size on all cores and its threads then spin, ~0.8 CPU-s over a briefing's
    clips in the synthesis workers (each already one of several processes).
    """
    power, n = _power_spectrum(rows)
    k = np.einsum("ij,j->i", power, _k_power(n, sample_rate))
    return k, np.einsum("ij,j->i", power, _plain_power(n))


def _power_spectrum(rows: NDArray[Any]) -> tuple[F64, int]:
    """Squared spectrum of each row as interleaved (re^2, im^2) pairs, and the padded length."""
    # float64 transforms: numpy's pocketfft transforms float32 in double precision anyway,
    # casting the input up and the spectrum back down, which made a float32 transform 2.5x
    # slower than a float64 one (numpy 2.4; a clip's statistics ~28% less CPU in all).
    # Zero-padded to a length pocketfft transforms fast (2205 samples at 22,050 Hz -> 2560:
    # ~35% less time); Parseval holds for the padded transform with weights at its own bins.
    n = fast_length(rows.shape[1])
    spectrum = np.fft.rfft(rows.astype(np.float64, copy=False), n=n, axis=1)
    power: F64 = spectrum.view(np.float64)
    np.square(power, out=power)
    return power, n


@functools.cache
def _plain_power(n: int) -> F64:
    """`_k_power` with the filters left out: weights turning the rfft into plain energy."""
    w = np.full(n // 2 + 1, 1 / (n * 32768.0**2))
    w[1 : (n + 1) // 2] *= 2
    return np.repeat(w, 2)


def fast_length(n: int) -> int:
    """The smallest length >= n of the form 2^k, 3 * 2^k or 5 * 2^k."""
    return min(m << max(0, (n - 1) // m).bit_length() for m in (1, 3, 5))


def step_samples(sample_rate: int) -> int:
    """Samples per 100 ms gating step (400 ms blocks with 75% overlap are 4 steps)."""
    return round(0.1 * sample_rate)


def map_jobs(fn: Callable[[int], T], items: Sequence[int], jobs: int) -> list[T]:
    """`fn` over `items` in order, on threads when there is enough work."""
    if jobs <= 1 or len(items) < 2:
        return [fn(i) for i in items]
    with ThreadPoolExecutor(jobs) as pool:
        return list(pool.map(fn, items))


def step_energies(chunks: Iterable[I16], sample_rate: int) -> F64:
    """K-weighted energy (int16 scale) per 100 ms step of consecutive chunks.

    A chunk's samples past its last whole step open the next chunk's first step; the final
    partial step is dropped, as BS.1770's 400 ms blocks would not cover it.
    """
    step = step_samples(sample_rate)
    sums: list[F64] = []
    carry = np.zeros(0, dtype=np.int16)
    for chunk in chunks:
        x = np.concatenate([carry, chunk]) if len(carry) else chunk
        whole = len(x) // step * step
        if whole:
            sums.append(k_energies(x[:whole].reshape(-1, step), sample_rate))
        carry = x[whole:]
    return np.concatenate(sums) if sums else np.zeros(0)


def measured_runs(x: I16, sample_rate: int, seconds: float, jobs: int = 2) -> list[tuple[int, F64]]:
    """(first step, step energies) runs: the whole of x if short, else an even sample of chunks."""
    step = step_samples(sample_rate)
    size = step * STEPS_PER_CHUNK
    n_chunks = -(-len(x) // size)
    if n_chunks <= 1:
        return [(0, step_energies([x], sample_rate))]
    keep = (
        n_chunks if seconds * sample_rate >= len(x) else max(1, int(seconds * sample_rate / size))
    )
    every = -(-n_chunks // keep)
    per = -(-n_chunks // max(1, jobs)) if every == 1 else 1  # contiguous: one run per thread

    def run(first: int) -> tuple[int, F64]:
        # Steps are measured apart (no filter state), so a run needs no warm-up before it.
        a, z = first * size, min(len(x), (first + per) * size)
        chunks = (x[s : min(s + size, z)] for s in range(a, z, size))
        return first * STEPS_PER_CHUNK, step_energies(chunks, sample_rate)

    firsts = list(range(0, n_chunks, per)) if every == 1 else list(range(0, n_chunks, every))
    return map_jobs(run, firsts, jobs)


def gated_loudness(segments: list[tuple[int, F64]], sr: int, scale: F64 | None = None) -> float:
    """BS.1770 gated loudness of step-energy runs, optionally scaled per step (limiter losses)."""
    runs: list[list[F64]] = []
    end = -1
    for first, steps in segments:
        s = steps if scale is None else steps * scale[first : first + len(steps)]
        # Runs that meet (threads' shares of one measurement) are joined, so the 400 ms blocks
        # across their seams count as they do when the audio is measured in one piece.
        if runs and first == end:
            runs[-1].append(s)
        else:
            runs.append([s])
        end = first + len(steps)
    zs = []
    for run in runs:
        s = np.concatenate(run) if len(run) > 1 else run[0]
        if len(s) >= 4:
            zs.append((s[:-3] + s[1:-2] + s[2:-1] + s[3:]) / (4 * step_samples(sr)))
    z = np.concatenate(zs) if zs else np.zeros(0)
    with np.errstate(divide="ignore"):
        block = -0.691 + 10 * np.log10(z)
    gated = z[block >= -70.0]
    if len(gated) == 0:
        return float("-inf")
    relative = -0.691 + 10 * np.log10(gated.mean()) - 10.0
    return float(-0.691 + 10 * np.log10(z[(block > relative) & (block >= -70.0)].mean()))


def integrated_loudness(pcm: bytes, sample_rate: int) -> float:
    """Integrated loudness (LUFS) of mono int16 PCM, measured whole; -inf for silence."""
    x = np.frombuffer(pcm, dtype="<i2")
    return gated_loudness(measured_runs(x, sample_rate, float("inf")), sample_rate)
