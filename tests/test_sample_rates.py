"""One render path at every rate: clips made at 16 and 24 kHz become a 44.1 kHz briefing.

The fake engine makes its clips at BRIEFING_FAKE_SAMPLE_RATE (read in the worker processes,
which inherit the environment); the workers resample each clip once to the briefing's rate, so
the briefing is laid out, levelled and encoded section by section whatever the engine's rate.
"""

from __future__ import annotations

import wave
from pathlib import Path

import pytest
from audio_helpers import decode
from mutagen.mp3 import MP3

from briefing.audio.resample import resampled_length
from briefing.audio.stitch import chime_pcm, pause_pcm
from briefing.cast.assign import Script
from briefing.model import Chime, Pause
from briefing.output.options import RenderOptions
from briefing.output.render import render
from briefing.output.timeline import Line, plan_briefing
from briefing.pipeline import ScriptOptions, build_script
from briefing.speech.clip_cache import ClipCache, clip_key
from briefing.speech.engines import create_engine, engine_version

ARTICLE = """Harbour tunnel opens after six years

The harbour tunnel opened to traffic on Monday, six years after the first shaft was dug.

"We built it for the next hundred years, not the next ten," said Marta Quill, the project's
chief engineer.

Drivers queued from dawn. "It took me four minutes instead of forty," said Len Oduya, a taxi
driver who crossed it first.
"""
TARGET = 44100


def _expected_samples(script: Script, options: RenderOptions) -> int:
    """The briefing's length at TARGET, from each clip's length at the engine's rate."""
    engine = create_engine("fake")
    plan = plan_briefing(
        script.stories, script.cast, script.config.pauses, options.structure, options.rate,
        script.lexicon,
    )  # fmt: skip
    total = 0
    for item in plan:
        if isinstance(item, Line):
            if not any(ch.isalnum() for ch in item.utterance.text):
                continue  # the render drops lines with nothing to say
            n = len(engine.synthesize(item.utterance).pcm) // 2
            total += resampled_length(n, engine.sample_rate, TARGET)
        elif isinstance(item, Pause):
            total += len(pause_pcm(item.ms, TARGET)) // 2
        elif isinstance(item, Chime):
            total += len(chime_pcm(item.ms, TARGET)) // 2
    return total


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "tunnel.txt"
    path.write_text(ARTICLE)
    return path


@pytest.mark.parametrize("engine_rate", [16000, 24000])
def test_foreign_rate_clips_render_to_the_sample(
    engine_rate: int, article: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFING_FAKE_SAMPLE_RATE", str(engine_rate))
    script_options = ScriptOptions(engine="fake", cache_dir=tmp_path / "cache")
    script = build_script([str(article)], script_options)
    cache_dir = tmp_path / "cache"

    wav = RenderOptions(output=tmp_path / "b.wav", cache_dir=cache_dir, sample_rate=TARGET)
    made = render(script, wav, "fake")
    expected = _expected_samples(script, wav)
    with wave.open(str(wav.output)) as audio:
        assert audio.getframerate() == TARGET
        assert audio.getnframes() == expected
    assert made.sample_rate == TARGET
    assert made.sections_written > 1  # the sectioned path, not one block of audio
    assert round(made.duration * TARGET) == expected

    mp3 = RenderOptions(output=tmp_path / "b.mp3", cache_dir=cache_dir, sample_rate=TARGET)
    made = render(script, mp3, "fake")
    info = MP3(mp3.output).info
    assert info is not None
    assert info.sample_rate == TARGET and info.version == 1  # MPEG-1 Layer III
    assert made.sections_written > 1 and made.clips_synthesized == 0  # clips cached at 44.1 kHz
    # Gapless: the decoder gets exactly the samples the render laid out (cues are timed on them).
    assert len(decode(mp3.output, TARGET)) == round(made.duration * TARGET)
    # The MP3's joins only move audio inside the cut pauses: the length stays the WAV's, give
    # or take what each join adds to its pause.
    assert abs(made.duration - expected / TARGET) < 0.03 * made.sections_written

    # Every clip sits in the cache once, at the briefing's rate, under a key that says so.
    cache = ClipCache(cache_dir)
    line = next(s for s in script.stories[0].segments if s.kind.value == "quote")
    plan = plan_briefing(
        script.stories, script.cast, script.config.pauses, wav.structure, wav.rate, script.lexicon
    )
    utterance = next(i.utterance for i in plan if isinstance(i, Line) and i.text == line.text)
    key = clip_key("fake", engine_version("fake"), utterance, sample_rate=TARGET)
    clip = cache.get(key)
    assert clip is not None and clip.sample_rate == TARGET


def test_default_rate_is_the_engines(
    article: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFING_FAKE_SAMPLE_RATE", "24000")
    script = build_script([str(article)], ScriptOptions(engine="fake", use_cache=False))
    made = render(script, RenderOptions(output=tmp_path / "b.wav", use_cache=False), "fake")
    with wave.open(str(tmp_path / "b.wav")) as audio:
        assert audio.getframerate() == 24000
    assert made.sample_rate == 24000
