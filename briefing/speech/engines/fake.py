"""A deterministic, fast engine for tests: a tone per voice with a syllable envelope.

Failure injection for reliability tests, read from the environment in the worker:

    BRIEFING_FAKE_FAIL="mode:marker[,mode:marker...]"

For a text containing `marker`, mode `raise` raises SynthesisError, `hang` sleeps forever,
`crash` kills the process (os._exit), `empty` returns a clip with no audio, `missing` raises
MissingDependencyError (as an engine that cannot load its backend does), `slow` takes a quarter
of a second before answering (a busy engine, for cancellation). A mode suffixed
`-once` (`crash-once:X`) fails only the first time a text is seen; the "seen" mark is a file
in BRIEFING_FAKE_STATE (a directory), so it survives the worker being replaced.

BRIEFING_FAKE_SAMPLE_RATE sets the rate of its clips (default 22,050 Hz), so tests can render
briefings from an engine whose rate differs from the output's.

BRIEFING_FAKE_VERSION, when set, replaces the engine's version: a cluster worker started with
it plays one with another engine installed.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from pathlib import Path

import numpy as np

from briefing.errors import MissingDependencyError, SynthesisError
from briefing.model import Clip, Utterance
from briefing.speech.engines.base import EngineVoice

SAMPLE_RATE = 22050
VERSION = "fake-1"

VOICES = (
    EngineVoice("gmw/en-us", "English (America)", ("en-us",)),
    EngineVoice("gmw/en", "English (Great Britain)", ("en-gb",)),
    EngineVoice("gmw/en-gb-x-rp", "English (Received Pronunciation)", ("en-gb-x-rp",)),
    EngineVoice("gmw/en-gb-scotland", "English (Scotland)", ("en-gb-scotland",)),
    EngineVoice("gmw/en-gb-x-gbclan", "English (Lancaster)", ("en-gb-x-gbclan",)),
    EngineVoice("gmw/en-gb-x-gbcwmd", "English (West Midlands)", ("en-gb-x-gbcwmd",)),
    EngineVoice("gmw/en-us-nyc", "English (America, New York City)", ("en-us-nyc",)),
    EngineVoice("gmw/en-029", "English (Caribbean)", ("en-029",)),
)
VARIANTS = tuple(f"m{i}" for i in range(1, 8)) + tuple(f"f{i}" for i in range(1, 6))

_WORD = re.compile(r"\w+")


def _tone_hz(voice_id: str, pitch: int | None) -> float:
    """A stable frequency per voice id (100-340 Hz), nudged by the pitch setting."""
    digest = hashlib.sha256(voice_id.encode()).digest()
    base = 100.0 + int.from_bytes(digest[:4], "big") % 240
    return base * (1.0 + ((pitch if pitch is not None else 50) - 50) / 200.0)


class FakeEngine:
    """Tones instead of speech; same length rules as speech so verification applies."""

    name = "fake"

    def __init__(self) -> None:
        self.sample_rate = int(os.environ.get("BRIEFING_FAKE_SAMPLE_RATE", SAMPLE_RATE))

    def version(self) -> str:
        """The fake engine's version (part of cache keys), with its rate when not the default."""
        version = os.environ.get("BRIEFING_FAKE_VERSION", VERSION)
        return version if self.sample_rate == SAMPLE_RATE else f"{version}@{self.sample_rate}"

    def voices(self) -> list[EngineVoice]:
        """A small fixed list mirroring real eSpeak ids."""
        return list(VOICES)

    def has_voice(self, voice_id: str) -> bool:
        """Known base id, optionally with +m1..m7 or +f1..f5."""
        base, _, variant = voice_id.partition("+")
        known = any(v.id == base for v in VOICES)
        return known and (not variant or variant in VARIANTS)

    def synthesize(self, utterance: Utterance) -> Clip:
        """A tone lasting as long as the words would take at the utterance's rate."""
        mode = _injected_failure(utterance.text)
        if mode == "raise":
            raise SynthesisError("injected failure")
        if mode == "missing":
            raise MissingDependencyError("injected: the backend is not installed")
        if mode == "hang":
            while True:
                time.sleep(3600)
        if mode == "crash":
            os._exit(70)
        if mode == "empty":
            return Clip(b"", self.sample_rate)
        if mode == "slow":
            time.sleep(0.25)
        return Clip(_render(utterance, self.sample_rate), self.sample_rate)


def _render(utterance: Utterance, sample_rate: int) -> bytes:
    """Mono s16le samples: a tone gated into ~4 syllables per second."""
    words = len(_WORD.findall(utterance.text))
    seconds = words * 60.0 / max(utterance.effective_rate, 1)
    n = int(seconds * sample_rate)
    t = np.arange(n, dtype=np.float64) / sample_rate
    envelope = np.abs(np.sin(np.pi * 4.0 * t)) ** 0.5
    hz = _tone_hz(utterance.voice.id, utterance.voice.pitch)
    amplitude = 12000.0 * max(0.0, min(utterance.voice.volume, 2.0))
    samples = amplitude * envelope * np.sin(2.0 * np.pi * hz * t)
    return samples.astype("<i2").tobytes()


def _injected_failure(text: str) -> str | None:
    """The failure mode BRIEFING_FAKE_FAIL asks for on this text, if any."""
    spec = os.environ.get("BRIEFING_FAKE_FAIL", "")
    for item in filter(None, (part.strip() for part in spec.split(","))):
        mode, _, marker = item.partition(":")
        if not marker or marker not in text:
            continue
        if mode.endswith("-once"):
            if _seen_before(text):
                continue
            mode = mode.removesuffix("-once")
        return mode
    return None


def _seen_before(text: str) -> bool:
    """Record `text` in BRIEFING_FAKE_STATE; True if it was already recorded."""
    state = Path(os.environ.get("BRIEFING_FAKE_STATE", ".briefing-fake-state"))
    state.mkdir(parents=True, exist_ok=True)
    mark = state / hashlib.sha256(text.encode()).hexdigest()
    try:
        mark.touch(exist_ok=False)
    except FileExistsError:
        return True
    return False
