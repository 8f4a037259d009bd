"""The fake engine, the engine registry and clip verification (no eSpeak needed)."""

from __future__ import annotations

import pytest

from briefing.errors import ConfigError, SynthesisError
from briefing.model import Clip, Gender, Utterance, Voice
from briefing.speech.engines import (
    ENGINES,
    close_matches,
    create_engine,
    list_voices,
    variant_gender,
    voice_exists,
)
from briefing.speech.engines.fake import FakeEngine
from briefing.speech.engines.verify import duration_bounds, verify_clip

TEXT = "The mayor said the new bridge would open in the spring of next year."


def test_registry_names_every_engine() -> None:
    assert ENGINES == ("pyttsx3", "kokoro", "fake")
    assert create_engine("fake").name == "fake"
    with pytest.raises(ConfigError, match="unknown engine"):
        create_engine("festival")


def test_fake_is_deterministic_and_tells_voices_apart() -> None:
    engine = FakeEngine()
    a = engine.synthesize(Utterance(Voice("gmw/en-us"), 175, TEXT))
    assert a == engine.synthesize(Utterance(Voice("gmw/en-us"), 175, TEXT))
    b = engine.synthesize(Utterance(Voice("gmw/en-us+f3"), 175, TEXT))
    assert a.duration == b.duration and a.pcm != b.pcm
    assert a.sample_rate == 22050


def test_fake_length_follows_words_and_rate() -> None:
    engine = FakeEngine()
    slow = engine.synthesize(Utterance(Voice("gmw/en-us"), 120, TEXT))
    fast = engine.synthesize(Utterance(Voice("gmw/en-us"), 240, TEXT))
    own = engine.synthesize(Utterance(Voice("gmw/en-us", rate=240), 120, TEXT))
    assert slow.duration == pytest.approx(2 * fast.duration, rel=0.01)
    assert own.duration == fast.duration
    verify_clip(slow, Utterance(Voice("gmw/en-us"), 120, TEXT))


def test_fake_failure_injection(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_FAKE_FAIL", "raise:BAD,empty:HOLLOW")
    engine = FakeEngine()
    with pytest.raises(SynthesisError):
        engine.synthesize(Utterance(Voice("gmw/en-us"), 175, "BAD text"))
    assert engine.synthesize(Utterance(Voice("gmw/en-us"), 175, "HOLLOW text")).pcm == b""
    assert engine.synthesize(Utterance(Voice("gmw/en-us"), 175, "fine text")).pcm


@pytest.mark.parametrize(
    ("voice_id", "exists"),
    [
        ("gmw/en-us", True),
        ("gmw/en-gb-x-rp+m3", True),
        ("gmw/en-gb-scotland+f5", True),
        ("gmw/en-us+f9", False),
        ("gmw/en-uss", False),
    ],
)
def test_fake_voice_ids(voice_id: str, exists: bool) -> None:
    assert voice_exists("fake", voice_id) is exists


def test_fake_lists_base_voices_and_suggests() -> None:
    assert "gmw/en-us" in {v.id for v in list_voices("fake")}
    assert "gmw/en-us+f3" in close_matches("fake", "gmw/en-uss+f3")
    assert "gmw/en-us+f3" in close_matches("fake", "gmw/en-us+f33")


@pytest.mark.parametrize(
    ("voice_id", "gender"),
    [
        ("gmw/en-us+f3", Gender.FEMALE),
        ("gmw/en-us+m7", Gender.MALE),
        ("gmw/en-us+anika", Gender.FEMALE),
        ("gmw/en-us", Gender.UNKNOWN),
        ("gmw/en-us+klatt", Gender.UNKNOWN),
    ],
)
def test_variant_gender(voice_id: str, gender: Gender) -> None:
    assert variant_gender(voice_id) is gender


def test_verification_rejects_empty_and_implausible_clips() -> None:
    utterance = Utterance(Voice("gmw/en-us"), 175, TEXT)
    lower, upper = duration_bounds(utterance)
    assert 0 < lower < 14 * 60 / 175 < upper
    with pytest.raises(SynthesisError, match="no audio"):
        verify_clip(Clip(b"", 22050), utterance)
    with pytest.raises(SynthesisError, match="implausible"):
        verify_clip(Clip(b"\0\0" * 2205, 22050), utterance)  # 0.1 s for 14 words
    with pytest.raises(SynthesisError, match="implausible"):
        verify_clip(Clip(b"\0\0" * 22050 * 600, 22050), utterance)
    verify_clip(Clip(b"", 22050), Utterance(Voice("gmw/en-us"), 175, " ... "))
