"""Checks that a clip plausibly holds the utterance's speech: never trust the engine's call."""

from __future__ import annotations

import re

from briefing.errors import SynthesisError
from briefing.model import Clip, Utterance

_WORD = re.compile(r"\w+")

LOWER_FACTOR = 0.3
"""A clip shorter than this share of `words / rate` is truncated (eSpeak speaks faster than
its nominal rate on short words, but never 3x faster)."""

SECONDS_PER_CHAR_AT_1_WPM = 70.0
"""Upper bound per character: spelled-out letters and digits take up to ~0.4 s at 175 wpm."""


def duration_bounds(utterance: Utterance) -> tuple[float, float]:
    """Shortest and longest plausible duration in seconds for the utterance's text."""
    rate = max(utterance.effective_rate, 1)
    words = len(_WORD.findall(utterance.text))
    lower = LOWER_FACTOR * words * 60.0 / rate
    upper = 2.0 + len(utterance.text) * SECONDS_PER_CHAR_AT_1_WPM / rate
    return lower, upper


def verify_clip(clip: Clip, utterance: Utterance) -> None:
    """Raise SynthesisError unless the clip has frames and a duration its words can explain."""
    if not _WORD.search(utterance.text):
        return  # nothing speakable: an empty or near-silent clip is the right answer
    if len(clip.pcm) < 2 or len(clip.pcm) % 2:
        raise SynthesisError(f"the engine produced no audio ({len(clip.pcm)} bytes)")
    lower, upper = duration_bounds(utterance)
    if not lower <= clip.duration <= upper:
        raise SynthesisError(
            f"implausible clip length {clip.duration:.2f} s for {len(utterance.text)} characters "
            f"(expected {lower:.2f}-{upper:.2f} s)"
        )
