"""Loudness: level every voice alike, then bring the briefing to a target LUFS under a peak ceiling.

Measurement (ITU-R BS.1770) is in `bs1770`; long briefings are measured on an even sample of
chunks (20 minutes' worth: speech loudness is steady, the estimate lands within ~0.1 LU). True
peaks and the limiter are in `limiter`. Gains are applied on threads (numpy releases the GIL).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from briefing.audio.bs1770 import (
    F64,
    I16,
    STEPS_PER_CHUNK,
    gated_loudness,
    map_jobs,
    measured_runs,
    step_energies,
    step_samples,
)
from briefing.audio.limiter import BLOCK, TAPS_PER_PHASE, limiter_gain, loud_peaks
from briefing.model import Briefing, Clip, SpokenItem, TimelineItem

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


def _gain_chunk(
    x: I16, dst: I16 | None, start: int, size: int, g: float, ceiling: float, sample_rate: int,
    measure: bool = True,
) -> tuple[float, F64]:  # fmt: skip
    """Gain and limit x[start:start+size] into dst; return its peak and step energy ratios.

    Works in int16 units (ceiling scaled to match) to save passes over the data. Without
    `measure` the ratios are all 1 (callers that only want the samples skip two passes).
    """
    pad = -(-(round(0.040 * sample_rate) + 2 * BLOCK + TAPS_PER_PHASE) // BLOCK) * BLOCK
    a, z = max(0, start - pad), min(len(x), start + size + pad)
    y = np.multiply(x[a:z], np.float32(g), dtype=np.float32)  # convert and scale in one pass
    c0, c1 = start - a, start - a + min(size, len(x) - start)  # c0 is block-aligned
    top_lin = ceiling * 32768
    near = top_lin * 10 ** (-4 / 20)  # interpolated peaks stay within 4 dB of their neighbours
    step = step_samples(sample_rate)
    ratio = np.ones(-(-(c1 - c0) // step))
    peaks = loud_peaks(y, near)  # exact where over `near`: below it no peak nears the ceiling
    # The chunk's true peak: its loud blocks', else its largest sample (quiet blocks read 0).
    # A loud block's peak passes `near`, so every quiet sample: the two passes over the samples
    # are only needed when no block is loud.
    b0, b1 = c0 // BLOCK, -(-c1 // BLOCK)
    top = float(peaks[b0:b1].max(initial=0.0))
    if top == 0.0:
        own = y[c0 : b1 * BLOCK]
        top = max(float(own.max(initial=0.0)), -float(own.min(initial=0.0)))
    if peaks.max(initial=0.0) > top_lin:
        if measure:
            n = (c1 - c0) // step * step
            rows = y[c0 : c0 + n].reshape(-1, step)
            e0 = np.einsum("ij,ij->i", rows, rows)
        limiter_gain(y, peaks, top_lin, sample_rate)
        if measure:
            e1 = np.einsum("ij,ij->i", rows, rows)  # rows is a view: the limited samples
            # Energy the limiter took, per gating step, so normalize can report what it reached.
            ratio[: len(e0)] = np.where(e0 > 0, e1 / np.maximum(e0, 1e-9), 1.0)
        top = min(top, top_lin)  # the limiter holds every peak at or under the ceiling
    if dst is not None:
        own = y[c0:c1]  # y is this call's own copy
        if top > 32767:
            np.clip(np.rint(own, out=own), -32768, 32767, out=own)
            dst[start : start + len(own)] = own
        else:  # rounded straight into dst (the cast of a whole number in range is exact)
            np.rint(own, out=dst[start : start + len(own)], casting="unsafe")
    return top / 32768, ratio


def apply_gain(
    x: I16, gain_db: float, ceiling_db: float, sample_rate: int, jobs: int = 2
) -> tuple[bytes, float, F64]:
    """Scale int16 audio by gain_db, limiting true peaks to ceiling_db.

    Returns the PCM, its true peak in dBTP and, per 100 ms step, the energy ratio the limiter left.
    """
    dst = np.empty(len(x), dtype="<i2")
    peak_db, ratios = _gain_all(x, dst, gain_db, ceiling_db, sample_rate, jobs, measure=True)
    return dst.tobytes(), peak_db, ratios


def gain_into(x: I16, dst: I16, gain_db: float, ceiling_db: float, sample_rate: int) -> float:
    """`apply_gain`'s samples written into `dst` (as long as x), on this thread: the true peak.

    For callers that want only the samples (sections, levelled clips): no energy ratios, no
    copy of the result into a bytes object.
    """
    return _gain_all(x, dst, gain_db, ceiling_db, sample_rate, 1, measure=False)[0]


def _gain_all(
    x: I16, dst: I16, gain_db: float, ceiling_db: float, sample_rate: int, jobs: int,
    measure: bool,
) -> tuple[float, F64]:  # fmt: skip
    """Gain and limit all of x into dst, chunk by chunk: its true peak (dBTP) and step ratios."""
    g, ceiling = 10 ** (gain_db / 20), 10 ** (ceiling_db / 20)
    size = step_samples(sample_rate) * STEPS_PER_CHUNK
    parts = map_jobs(
        lambda s: _gain_chunk(x, dst, s, size, g, ceiling, sample_rate, measure),
        range(0, len(x), size),
        jobs if len(x) > 8 * size else 1,
    )
    top = max((p[0] for p in parts), default=0.0)
    ratios = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0)
    with np.errstate(divide="ignore"):
        peak_db = float(20 * np.log10(top))
    return peak_db, ratios


def _gain_for(
    x: I16, segments: list[tuple[int, F64]], target: float, ceiling: float, sr: int
) -> tuple[float, float]:
    """Measured loudness, and the gain that reaches `target` after limiting (found on ~60 chunks).

    Limiting speech's peaks takes loudness with it (eSpeak's peaks sit ~20 dB over its loudness),
    so the gain is raised until the limited level meets the target (secant search, a few rounds).
    """
    measured = gated_loudness(segments, sr)
    if measured == float("-inf"):
        return measured, 0.0
    size = step_samples(sr) * STEPS_PER_CHUNK
    n = STEPS_PER_CHUNK
    chunks = [(f + i, s[i : i + n]) for f, s in segments for i in range(0, len(s), n)]
    sample = chunks[:: max(1, len(chunks) // 60)]
    plain = gated_loudness(sample, sr)

    def miss(gain: float) -> float:
        """How far below the target the limited sample lands at this gain (dB)."""
        ratios = np.ones(max(f + len(c) for f, c in sample))
        for f, c in sample:
            r = _gain_chunk(x, None, f * step_samples(sr), size, 10 ** (gain / 20), ceiling, sr)[1]
            ratios[f : f + len(c)] = r[: len(c)]
        limited = gated_loudness(sample, sr, ratios)
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
    segments = measured_runs(x, sample_rate, MEASURE_SECONDS)
    _, gain = _gain_for(x, segments, target_lufs, 10 ** (ceiling / 20), sample_rate)
    return round(gain / step_db) * step_db, ceiling


def normalize(
    briefing: Briefing, target_lufs: float = -16.0, max_true_peak_dbtp: float = -1.0
) -> tuple[Briefing, LoudnessReport]:
    """Bring the whole briefing to target integrated loudness (BS.1770) with true peak <= max."""
    sr = briefing.sample_rate
    x = np.frombuffer(briefing.pcm, dtype="<i2")
    segments = measured_runs(x, sr, MEASURE_SECONDS)
    ceiling = max_true_peak_dbtp - CODEC_MARGIN_DB
    _, gain = _gain_for(x, segments, target_lufs, 10 ** (ceiling / 20), sr)
    pcm, peak, ratios = apply_gain(x, gain, ceiling, sr)
    # Loudness reached = measured + gain, less what the limiter took (step energies x ratios).
    scale = np.ones(max((f + len(s) for f, s in segments), default=0))
    scale[: len(ratios)] = ratios[: len(scale)]
    reached = gated_loudness(segments, sr, scale * 10 ** (gain / 10))
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
        levels[voice] = gated_loudness([(0, step_energies(chunks, sr))], sr)
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
