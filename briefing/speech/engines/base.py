"""The speech-engine extension point: a Protocol every engine implements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from briefing.model import Clip, Gender, Utterance


@dataclass(frozen=True)
class EngineVoice:
    """A voice the engine offers: its id, a readable name, and language codes."""

    id: str
    name: str
    languages: tuple[str, ...] = ()
    gender: Gender = Gender.UNKNOWN


class TTSEngine(Protocol):
    """A text-to-speech engine.

    An engine is created by name inside each worker process (see
    `briefing.speech.engines.create`), so it must be cheap to construct and must not depend on
    state from the parent process.
    """

    name: str
    """Short engine name used on the command line and in cache keys (`pyttsx3`, `fake`)."""

    sample_rate: int
    """The rate of its clips (Hz); the render resamples them when the briefing's differs."""

    def version(self) -> str:
        """Engine and backend version; part of every cache key."""
        ...

    def voices(self) -> list[EngineVoice]:
        """Base voices the engine offers (without variants)."""
        ...

    def has_voice(self, voice_id: str) -> bool:
        """Whether `voice_id` (optionally `base+variant`) can be used."""
        ...

    def synthesize(self, utterance: Utterance) -> Clip:
        """Speak one utterance and return its audio, or raise SynthesisError."""
        ...
