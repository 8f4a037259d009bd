"""Loudness: level every voice alike, then bring the briefing to a target LUFS under a peak ceiling.

Measurement is ITU-R BS.1770 with pyloudnorm's K-weighting filters and gating constants (checked
against `pyloudnorm.Meter` in the tests), run over int16 PCM in ~3 s chunks so no full-length
float copy is made. K-weighted energy is found per 100 ms gating step in the frequency domain
(Parseval: a step's spectrum weighted by the filters' squared magnitude), numpy only: scipy's
import alone cost ~2.5 s per render. Long briefings are measured on an even sample of chunks
(20 minutes' worth: speech loudness is steady, the estimate lands within ~0.1 LU). True peaks
and the limiter are in `limiter`. Heavy loops run on threads (numpy releases the GIL).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from briefing.audio.limiter import BLOCK, TAPS_PER_PHASE, limiter_gain, loud_peaks
from briefing.model import Briefing, Clip, SpokenItem, TimelineItem

F32 = NDArray[np.float32]
F64 = NDArray[np.float64]
I16 = NDArray[np.int16]
T = TypeVar("T")
VOICE_LEVEL_LUFS = -24.0
"""Where `level_voices` puts every voice when the main voice's own level is out of range."""
VOICE_LEVEL_RANGE = (-27.0, -18.0)
"""If the main voice (most audio) sits in this range the others are matched to it and its clips
are left as they are: no copy, no pass over most of the audio (eSpeak voices measure -19..-22).
The range keeps speech ~10 dB over the chime and clear of clipping."""
CODEC_MARGIN_DB = 1.5
"""Headroom under the true-peak ceiling for codec overshoot (MP3 ~0.3 dB, AAC 96k / Opus ~0.6)."""
MAX_LIMITING_DB = 8.0
"""Most gain beyond the plain gain to make up for limiting; past it, report the level reached."""
STEPS_PER_CHUNK = 32
"""Chunks are whole numbers of 100 ms gating steps (~6 s): small temporaries, cache-friendly."""
MEASURE_SECONDS = 1200.0
"""Audio measured exactly; longer briefings are measured on an even sample of this much."""
VOICE_SAMPLE_SECONDS = 120.0
"""Audio per voice measured by `level_voices` (an even sample of its clips)."""


@dataclass(frozen=True)
class LoudnessReport:
    """What `normalize` measured and did."""

    integrated_lufs: float
    true_peak_dbtp: float
    gain_db: float


@functools.cache
def _k_weighting(sample_rate: int) -> F64:
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
def _k_power(n: int, sample_rate: int) -> F32:
    """Weights turning the rfft of n samples into their K-weighted energy (int16 scale).

    |H(f)|^2 of the filters at each bin, doubled for bins that stand for a mirrored pair too
    (all but DC and, for even n, Nyquist), over n (Parseval) and 32768^2; repeated so they
    apply to the spectrum viewed as interleaved (re, im) float pairs.
    """
    z = np.exp(-2j * np.pi * np.arange(n // 2 + 1) / n)  # z^-1 on the unit circle
    h = np.ones(len(z), dtype=np.complex128)
    for b0, b1, b2, a0, a1, a2 in _k_weighting(sample_rate):
        h *= (b0 + b1 * z + b2 * z * z) / (a0 + a1 * z + a2 * z * z)
    w = np.square(np.abs(h)) / (n * 32768.0**2)
    w[1 : (n + 1) // 2] *= 2
    return np.repeat(w, 2).astype(np.float32)


def _k_energies(rows: NDArray[Any], sample_rate: int) -> F64:
    """K-weighted energy (int16 scale) of each row of samples, one row per 100 ms step.

    The filters' memory does not carry between rows: each step is filtered as if periodic.
    On eSpeak speech that moves a step's energy by ~0.003 dB (a few tenths where the level
    jumps from or into silence) and integrated loudness by 0.02 LU at most.
    """
    # float32 transforms: half the memory traffic of float64, ~1e-6 relative error. Zero-padded
    # to a length pocketfft transforms fast (2205 samples at 22,050 Hz -> 2560: ~35% less time);
    # Parseval holds for the padded transform with weights at its own bins.
    n = _fast_length(rows.shape[1])
    spectrum = np.fft.rfft(rows.astype(np.float32, copy=False), n=n, axis=1)
    # numpy < 2 transforms in float64 whatever the input.
    power: NDArray[np.floating[Any]] = spectrum.view(
        np.float32 if spectrum.dtype == np.complex64 else np.float64
    )
    np.square(power, out=power)
    return np.asarray(power @ _k_power(n, sample_rate), dtype=np.float64)


def _fast_length(n: int) -> int:
    """The smallest length >= n of the form 2^k, 3 * 2^k or 5 * 2^k."""
    return min(m << max(0, (n - 1) // m).bit_length() for m in (1, 3, 5))


def _step(sample_rate: int) -> int:
    """Samples per 100 ms gating step (400 ms blocks with 75% overlap are 4 steps)."""
    return round(0.1 * sample_rate)


def _map(fn: Callable[[int], T], items: Sequence[int], jobs: int) -> list[T]:
    """`fn` over `items` in order, on threads when there is enough work."""
    if jobs <= 1 or len(items) < 2:
        return [fn(i) for i in items]
    with ThreadPoolExecutor(jobs) as pool:
        return list(pool.map(fn, items))


def _step_energies(chunks: Iterable[I16], sample_rate: int) -> F64:
    """K-weighted energy (int16 scale) per 100 ms step of consecutive chunks.

    A chunk's samples past its last whole step open the next chunk's first step; the final
    partial step is dropped, as BS.1770's 400 ms blocks would not cover it.
    """
    step = _step(sample_rate)
    sums: list[F64] = []
    carry = np.zeros(0, dtype=np.int16)
    for chunk in chunks:
        x = np.concatenate([carry, chunk]) if len(carry) else chunk
        whole = len(x) // step * step
        if whole:
            sums.append(_k_energies(x[:whole].reshape(-1, step), sample_rate))
        carry = x[whole:]
    return np.concatenate(sums) if sums else np.zeros(0)


def _segments(x: I16, sample_rate: int, seconds: float, jobs: int = 2) -> list[tuple[int, F64]]:
    """(first step, step energies) runs: the whole of x if short, else an even sample of chunks."""
    step = _step(sample_rate)
    size = step * STEPS_PER_CHUNK
    n_chunks = -(-len(x) // size)
    if n_chunks <= 1:
        return [(0, _step_energies([x], sample_rate))]
    keep = (
        n_chunks if seconds * sample_rate >= len(x) else max(1, int(seconds * sample_rate / size))
    )
    every = -(-n_chunks // keep)
    per = -(-n_chunks // max(1, jobs)) if every == 1 else 1  # contiguous: one run per thread

    def run(first: int) -> tuple[int, F64]:
        # Steps are measured apart (no filter state), so a run needs no warm-up before it.
        a, z = first * size, min(len(x), (first + per) * size)
        chunks = (x[s : min(s + size, z)] for s in range(a, z, size))
        return first * STEPS_PER_CHUNK, _step_energies(chunks, sample_rate)

    firsts = list(range(0, n_chunks, per)) if every == 1 else list(range(0, n_chunks, every))
    return _map(run, firsts, jobs)


def _loudness(segments: list[tuple[int, F64]], sr: int, scale: F64 | None = None) -> float:
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
            zs.append((s[:-3] + s[1:-2] + s[2:-1] + s[3:]) / (4 * _step(sr)))
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
    return _loudness(_segments(x, sample_rate, float("inf")), sample_rate)


def _gain_chunk(
    x: I16, dst: I16 | None, start: int, size: int, g: float, ceiling: float, sample_rate: int
) -> tuple[float, F64]:
    """Gain and limit x[start:start+size] into dst; return its peak and step energy ratios.

    Works in int16 units (ceiling scaled to match) to save passes over the data.
    """
    pad = -(-(round(0.040 * sample_rate) + 2 * BLOCK + TAPS_PER_PHASE) // BLOCK) * BLOCK
    a, z = max(0, start - pad), min(len(x), start + size + pad)
    y = np.multiply(x[a:z], np.float32(g), dtype=np.float32)  # convert and scale in one pass
    c0, c1 = start - a, start - a + min(size, len(x) - start)  # c0 is block-aligned
    top_lin = ceiling * 32768
    near = top_lin * 10 ** (-4 / 20)  # interpolated peaks stay within 4 dB of their neighbours
    step = _step(sample_rate)
    ratio = np.ones(-(-(c1 - c0) // step))
    peaks = loud_peaks(y, near)  # exact where over `near`: below it no peak nears the ceiling
    # The chunk's true peak: its loud blocks', else its largest sample (quiet blocks read 0).
    b0, b1 = c0 // BLOCK, -(-c1 // BLOCK)
    own = y[c0 : b1 * BLOCK]
    top = max(float(peaks[b0:b1].max(initial=0.0)), float(own.max(initial=0.0)))
    top = max(top, -float(own.min(initial=0.0)))
    if peaks.max(initial=0.0) > top_lin:
        n = (c1 - c0) // step * step
        rows = y[c0 : c0 + n].reshape(-1, step)
        e0 = np.einsum("ij,ij->i", rows, rows)
        limiter_gain(y, peaks, top_lin, sample_rate)
        e1 = np.einsum("ij,ij->i", rows, rows)  # rows is a view: the limited samples
        # Energy the limiter took, per gating step, so normalize can report what it reached.
        ratio[: len(e0)] = np.where(e0 > 0, e1 / np.maximum(e0, 1e-9), 1.0)
        top = min(top, top_lin)  # the limiter holds every peak at or under the ceiling
    if dst is not None:
        out = np.rint(y[c0:c1], out=y[c0:c1])  # y is this call's own copy
        if top > 32767:
            np.clip(out, -32768, 32767, out=out)
        dst[start : start + len(out)] = out
    return top / 32768, ratio


def apply_gain(
    x: I16, gain_db: float, ceiling_db: float, sample_rate: int, jobs: int = 2
) -> tuple[bytes, float, F64]:
    """Scale int16 audio by gain_db, limiting true peaks to ceiling_db.

    Returns the PCM, its true peak in dBTP and, per 100 ms step, the energy ratio the limiter left.
    """
    g, ceiling = 10 ** (gain_db / 20), 10 ** (ceiling_db / 20)
    size = _step(sample_rate) * STEPS_PER_CHUNK
    dst = np.empty(len(x), dtype="<i2")
    parts = _map(
        lambda s: _gain_chunk(x, dst, s, size, g, ceiling, sample_rate),
        range(0, len(x), size),
        jobs if len(x) > 8 * size else 1,
    )
    top = max((p[0] for p in parts), default=0.0)
    ratios = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0)
    with np.errstate(divide="ignore"):
        peak_db = float(20 * np.log10(top))
    return dst.tobytes(), peak_db, ratios


def _gain_for(
    x: I16, segments: list[tuple[int, F64]], target: float, ceiling: float, sr: int
) -> tuple[float, float]:
    """Measured loudness, and the gain that reaches `target` after limiting (found on ~60 chunks).

    Limiting speech's peaks takes loudness with it (eSpeak's peaks sit ~20 dB over its loudness),
    so the gain is raised until the limited level meets the target (secant search, a few rounds).
    """
    measured = _loudness(segments, sr)
    if measured == float("-inf"):
        return measured, 0.0
    size = _step(sr) * STEPS_PER_CHUNK
    n = STEPS_PER_CHUNK
    chunks = [(f + i, s[i : i + n]) for f, s in segments for i in range(0, len(s), n)]
    sample = chunks[:: max(1, len(chunks) // 60)]
    plain = _loudness(sample, sr)

    def miss(gain: float) -> float:
        """How far below the target the limited sample lands at this gain (dB)."""
        ratios = np.ones(max(f + len(c) for f, c in sample))
        for f, c in sample:
            r = _gain_chunk(x, None, f * _step(sr), size, 10 ** (gain / 20), ceiling, sr)[1]
            ratios[f : f + len(c)] = r[: len(c)]
        limited = _loudness(sample, sr, ratios)
        loss = plain - limited if limited > float("-inf") else 0.0
        return target - (measured + gain - loss)

    return measured, secant_gain(miss, target - measured, MAX_LIMITING_DB)


def secant_gain(miss: Callable[[float], float], g0: float, headroom: float) -> float:
    """The gain where `miss` (target minus loudness reached) is ~0, searched upward from g0."""
    cap, m0 = g0 + headroom, miss(g0)
    g1 = g0 + m0
    for _ in range(6):
        if abs(m0) < 0.03 or g0 >= cap:
            break
        m1 = miss(g1)
        slope = (m0 - m1) / (g1 - g0) if g1 != g0 else 1.0
        # The miss shrinks as gain grows, slope in (0, 1]; the clamp keeps the search sane.
        g0, m0 = g1, m1
        g1 = min(cap, g1 + m1 / min(max(slope, 0.05), 1.0))
    return g0


def target_gain(
    pcm: bytes, sample_rate: int, target_lufs: float, max_true_peak_dbtp: float, step_db: float
) -> tuple[float, float]:
    """The gain (rounded to `step_db`) and limiter ceiling that `normalize` would use."""
    x = np.frombuffer(pcm, dtype="<i2")
    ceiling = max_true_peak_dbtp - CODEC_MARGIN_DB
    segments = _segments(x, sample_rate, MEASURE_SECONDS)
    _, gain = _gain_for(x, segments, target_lufs, 10 ** (ceiling / 20), sample_rate)
    return round(gain / step_db) * step_db, ceiling


def normalize(
    briefing: Briefing, target_lufs: float = -16.0, max_true_peak_dbtp: float = -1.0
) -> tuple[Briefing, LoudnessReport]:
    """Bring the whole briefing to target integrated loudness (BS.1770) with true peak <= max."""
    sr = briefing.sample_rate
    x = np.frombuffer(briefing.pcm, dtype="<i2")
    segments = _segments(x, sr, MEASURE_SECONDS)
    ceiling = max_true_peak_dbtp - CODEC_MARGIN_DB
    _, gain = _gain_for(x, segments, target_lufs, 10 ** (ceiling / 20), sr)
    pcm, peak, ratios = apply_gain(x, gain, ceiling, sr)
    # Loudness reached = measured + gain, less what the limiter took (step energies x ratios).
    scale = np.ones(max((f + len(s) for f, s in segments), default=0))
    scale[: len(ratios)] = ratios[: len(scale)]
    reached = _loudness(segments, sr, scale * 10 ** (gain / 10))
    report = LoudnessReport(integrated_lufs=reached, true_peak_dbtp=peak, gain_db=gain)
    return dataclasses.replace(briefing, pcm=pcm), report


def level_voices(timeline: Sequence[TimelineItem]) -> list[TimelineItem]:
    """Bring every voice (grouped by SpokenItem.voice_id) to the same loudness before stitching."""
    by_voice: dict[str, list[SpokenItem]] = {}
    for item in timeline:
        if isinstance(item, SpokenItem):
            by_voice.setdefault(item.voice_id, []).append(item)
    levels: dict[str, float] = {}
    seconds: dict[str, float] = {}
    for voice, items in by_voice.items():
        sr = items[0].clip.sample_rate
        seconds[voice] = sum(len(i.clip.pcm) for i in items) / 2 / sr
        # An even sample of the voice's clips: one engine voice keeps one level throughout.
        chosen = items[:: max(1, int(seconds[voice] // VOICE_SAMPLE_SECONDS))]
        chunks = (np.frombuffer(i.clip.pcm[: len(i.clip.pcm) // 2 * 2], "<i2") for i in chosen)
        levels[voice] = _loudness([(0, _step_energies(chunks, sr))], sr)
    main = levels[max(seconds, key=seconds.__getitem__)] if levels else VOICE_LEVEL_LUFS
    level = main if VOICE_LEVEL_RANGE[0] <= main <= VOICE_LEVEL_RANGE[1] else VOICE_LEVEL_LUFS
    # Rounded to 0.25 dB so that editing a sentence (which may change the sampled clips) does
    # not change a voice's gain, and with it every story's audio.
    gains = {
        v: 0.0 if x == float("-inf") else round((level - x) * 4) / 4 for v, x in levels.items()
    }
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
