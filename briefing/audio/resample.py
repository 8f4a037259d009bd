"""One clip's audio at another sample rate (soxr, very-high quality), made once where it is made.

A clip of n samples at rate a becomes round(n * b / a) samples at rate b, which is what the
render counts on when it lays the briefing out from the clips' lengths.
"""

from __future__ import annotations

import numpy as np

from briefing.model import Clip


def resampled_length(samples: int, from_rate: int, to_rate: int) -> int:
    """The length soxr gives a whole clip of `samples` at `to_rate`."""
    return round(samples * to_rate / from_rate)


def resample_clip(clip: Clip, sample_rate: int) -> Clip:
    """The clip at `sample_rate` (the same clip when it already is)."""
    if clip.sample_rate == sample_rate:
        return clip
    import soxr  # only a render at a foreign rate pays for the import

    x = np.frombuffer(clip.pcm[: len(clip.pcm) // 2 * 2], dtype="<i2")
    y = soxr.resample(x, clip.sample_rate, sample_rate, quality="VHQ")
    return Clip(pcm=np.ascontiguousarray(y, dtype="<i2").tobytes(), sample_rate=sample_rate)
