"""Soak: hundreds of varied segments through the real engine; not one clip missing or empty."""

from __future__ import annotations

import random

import pytest

from briefing.model import Utterance, Voice
from briefing.speech.engines.verify import duration_bounds
from briefing.speech.pool import synthesize_all

pytestmark = [pytest.mark.engine, pytest.mark.soak]

VOICES = [
    Voice("gmw/en-us"),
    Voice("gmw/en-us+f3"),
    Voice("gmw/en-gb-x-rp+m3"),
    Voice("gmw/en-gb-scotland+f2", pitch=60),
    Voice("gmw/en-us-nyc+m1", rate=190),
    Voice("gmw/en-029+f4", volume=0.8),
]
_VOCABULARY = (
    "council budget minister said river bridge election court ruling reporters protest "
    "hospital nurses union strike vaccine harbour weather storm flood market shares bank "
    "inflation rate school teachers parents village mayor police statement witnesses"
)
WORDS = _VOCABULARY.split()
ODD = [
    "Dr. Smith paid $1,250.75 on 3/14/2024 at 9:30 a.m.",
    "Les élèves ont dit « non » — naïve café, São Paulo, Zürich.",
    "“We will not,” she said. ‘Never.’",
    "NATO, the UN and the E.U. met (again) in Brussels; 42% agreed.",
    "Wait…",
]


def _text(rng: random.Random, i: int) -> str:
    if i % 25 == 0:
        return ODD[(i // 25) % len(ODD)]
    n = rng.choice([3, 8, 15, 25, 60])
    words = [rng.choice(WORDS) for _ in range(n)]
    return f"Item {i}: " + " ".join(words).capitalize() + rng.choice([".", "?", "!"])


def test_three_hundred_segments_all_have_plausible_audio() -> None:
    rng = random.Random(2026)
    utterances = [Utterance(VOICES[i % len(VOICES)], 175, _text(rng, i)) for i in range(320)]
    done: list[int] = []
    clips = synthesize_all(utterances, engine="pyttsx3", progress=lambda d, t: done.append(d))
    assert len(clips) == len(utterances) and done[-1] == len(utterances)
    for clip, utterance in zip(clips, utterances, strict=True):
        lower, upper = duration_bounds(utterance)
        assert clip.sample_rate == 22050
        assert len(clip.pcm) > 0 and lower <= clip.duration <= upper, utterance.text
