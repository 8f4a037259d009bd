"""Engines by name, and voice checks the CLI and cast run before any synthesis."""

from __future__ import annotations

import difflib
import functools

from briefing.errors import BriefingError, ConfigError, MissingDependencyError
from briefing.model import Gender
from briefing.speech.engines.base import EngineVoice, TTSEngine

__all__ = [
    "ENGINES",
    "EngineVoice",
    "TTSEngine",
    "check_engine",
    "close_matches",
    "create_engine",
    "engine_sample_rate",
    "engine_version",
    "list_voices",
    "variant_gender",
    "voice_exists",
]

ENGINES: tuple[str, ...] = ("pyttsx3", "fake")

_FEMALE_NAMES = frozenset(
    {
        *("alicia", "andrea", "annie", "anika", "anikarobot", "aunty", "belinda"),
        *("grandma", "linda", "steph", "steph2", "steph3", "whisperf"),
    }
)


def create_engine(name: str) -> TTSEngine:
    """Build an engine by name; MissingDependencyError (exit 3) when it can't run here."""
    if name == "fake":
        from briefing.speech.engines.fake import FakeEngine

        return FakeEngine()
    if name == "pyttsx3":
        from briefing.speech.engines.pyttsx3_engine import Pyttsx3Engine

        return Pyttsx3Engine()
    raise ConfigError(f"unknown engine {name!r}", hint=f"choose one of: {', '.join(ENGINES)}")


def check_engine(name: str) -> None:
    """Fail early if the engine can't run; loads eSpeak NG's library but never initializes it."""
    if name == "pyttsx3":
        from briefing.speech.engines import espeak_runtime

        try:
            espeak_runtime.prepare()
            espeak_runtime.library_version()
            import pyttsx3  # noqa: F401
        except BriefingError:
            raise
        except (ImportError, OSError, RuntimeError) as exc:
            raise MissingDependencyError(
                f"the pyttsx3 engine cannot load eSpeak NG: {exc}",
                hint="pip install 'pyttsx3>=2.99' 'espeakng-loader>=0.2.4'",
            ) from exc
    else:
        create_engine(name)


def engine_version(name: str) -> str:
    """The engine's version string as cache keys use it."""
    if name == "fake":  # cheap, and set by the environment (its sample rate): never cached
        return create_engine(name).version()
    return _backend_version(name)


@functools.cache
def _backend_version(name: str) -> str:
    return create_engine(name).version()


def engine_sample_rate(name: str) -> int:
    """The rate of the engine's clips: a briefing's default rate."""
    return create_engine(name).sample_rate


def list_voices(name: str) -> list[EngineVoice]:
    """Base voices the engine offers."""
    return create_engine(name).voices()


def voice_exists(name: str, voice_id: str) -> bool:
    """Whether an id like 'gmw/en-us+f3' is usable (base voice AND variant exist)."""
    return create_engine(name).has_voice(voice_id)


def close_matches(name: str, voice_id: str) -> list[str]:
    """Suggestions for an unknown voice id (difflib)."""
    engine = create_engine(name)
    base, plus, variant = voice_id.partition("+")
    ids = [v.id for v in engine.voices()]
    if plus and engine.has_voice(base):
        candidates = [f"{base}+{v}" for v in _variant_names(name)]
        return difflib.get_close_matches(voice_id, candidates, n=5, cutoff=0.5)
    bases = difflib.get_close_matches(base.lower(), ids, n=5, cutoff=0.5)
    with_variant = [f"{b}{plus}{variant}" for b in bases]
    return [v for v in with_variant if engine.has_voice(v)] or bases


def _variant_names(name: str) -> list[str]:
    """Variant names the engine accepts after `+`."""
    if name == "pyttsx3":
        from briefing.speech.engines import espeak_runtime

        return sorted(espeak_runtime.variants())
    from briefing.speech.engines.fake import VARIANTS

    return list(VARIANTS)


def variant_gender(voice_id: str) -> Gender:
    """+f1..f5 / female named variants → FEMALE, +m1..m7 → MALE, else UNKNOWN."""
    _, _, variant = voice_id.partition("+")
    lowered = variant.lower()
    if len(lowered) == 2 and lowered[0] in "fm" and lowered[1].isdigit():
        return Gender.FEMALE if lowered[0] == "f" else Gender.MALE
    if lowered in _FEMALE_NAMES:
        return Gender.FEMALE
    return Gender.UNKNOWN
