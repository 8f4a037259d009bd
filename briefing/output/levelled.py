"""A section's audio with every clip at its voice's level, as the sectioned render stitches it.

`levelled_clip` is one clip at its voice's gain, exactly as `loudness.level_voices` makes it;
`levelled_pcm` lays a section's clips, pauses and chimes end to end as `stitch` does, each clip
levelled straight into its place in one buffer.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from briefing.audio.bs1770 import I16
from briefing.audio.loudness import apply_gain, gain_into
from briefing.audio.stitch import chime_pcm, pause_pcm
from briefing.model import Chime, Clip, Pause, SpokenItem, TimelineItem

VOICE_CEILING_DB = -0.5
"""The levelling limiter's ceiling: a quiet voice lifted a long way stays under full scale."""


def levelled_clip(clip: Clip, gain_db: float) -> Clip:
    """The clip at its voice's level, exactly as `loudness.level_voices` makes it."""
    if abs(gain_db) <= 0.05:
        return clip
    x = np.frombuffer(clip.pcm[: len(clip.pcm) // 2 * 2], dtype="<i2")
    pcm, _, _ = apply_gain(x, gain_db, VOICE_CEILING_DB, clip.sample_rate, jobs=1)
    return Clip(pcm=pcm, sample_rate=clip.sample_rate)


def levelled_pcm(part: Sequence[TimelineItem], levels: dict[str, float], sample_rate: int) -> I16:
    """`stitch(...).pcm` of the section with every clip `levelled_clip`, sample for sample.

    Made in one buffer: each clip is levelled straight into its place (no levelled copy of it,
    no join of the pieces, no bytes object for the whole section).
    """
    pieces: list[tuple[I16, float]] = []
    for item in part:
        if isinstance(item, SpokenItem):
            if item.clip.sample_rate != sample_rate:  # as `stitch` refuses it
                rate = item.clip.sample_rate
                raise ValueError(f"a {rate} Hz clip in a {sample_rate} Hz briefing")
            pcm, gain = item.clip.pcm, levels[item.voice_id]
        elif isinstance(item, Pause | Chime):
            pcm = (pause_pcm if isinstance(item, Pause) else chime_pcm)(item.ms, sample_rate)
            gain = 0.0
        else:  # a chapter start: no audio
            continue
        pieces.append((np.frombuffer(pcm[: len(pcm) // 2 * 2], dtype="<i2"), gain))
    out = np.empty(sum(len(x) for x, _ in pieces), dtype="<i2")
    at = 0
    for x, gain in pieces:
        if abs(gain) > 0.05:
            gain_into(x, out[at : at + len(x)], gain, VOICE_CEILING_DB, sample_rate)
        else:
            out[at : at + len(x)] = x
        at += len(x)
    return out
