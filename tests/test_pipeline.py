"""The pipeline end to end with the fake engine: timing adds up, structure is as planned."""

from __future__ import annotations

import datetime as dt
import wave
from pathlib import Path

import pytest
from audio_helpers import ffmpeg_exe
from mutagen.mp4 import MP4

from briefing.audio.bs1770 import integrated_loudness
from briefing.model import ChapterStart, Chime, Pause
from briefing.output.options import RenderOptions
from briefing.output.render import render
from briefing.output.timeline import Line, Structure, Transition, plan_briefing
from briefing.pipeline import ScriptOptions, build_script
from briefing.speech.engines import create_engine

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(str(p) for p in (REPO / "examples").glob("*.txt"))
FAKE = ScriptOptions(engine="fake")


def test_rendered_duration_is_the_sum_of_clips_and_pauses(tmp_path: Path) -> None:
    script = build_script(EXAMPLES, FAKE)
    structure = Structure(date=dt.date(2026, 5, 1), transition=Transition.CHIME)
    options = RenderOptions(output=tmp_path / "b.wav", structure=structure, use_cache=False)
    result = render(script, options, "fake")

    engine = create_engine("fake")
    plan = plan_briefing(
        script.stories, script.cast, script.config.pauses, structure, options.rate, script.lexicon
    )
    rate = 22050
    expected = 0
    for item in plan:
        if isinstance(item, Line):
            expected += len(engine.synthesize(item.utterance).pcm) // 2
        elif isinstance(item, Pause | Chime):
            expected += item.ms * rate // 1000
    with wave.open(str(options.output)) as audio:
        frames = audio.getnframes()
        assert audio.getframerate() == rate
    # Each pause and chime may round to the sample; nothing else may add or lose audio.
    assert abs(frames - expected) <= len(plan)
    assert abs(result.duration - frames / rate) < 1e-6


def test_plan_has_one_chapter_per_story_and_transitions_between() -> None:
    script = build_script(EXAMPLES, FAKE)
    plan = plan_briefing(
        script.stories, script.cast, script.config.pauses, Structure(), 175, script.lexicon
    )
    chapters = [item.title for item in plan if isinstance(item, ChapterStart)]
    assert chapters == [story.article.title for story in script.stories]
    assert sum(isinstance(item, Chime) for item in plan) == len(script.stories) - 1
    lines = [item for item in plan if isinstance(item, Line)]
    assert lines[0].label == "intro" and "3 stories" in lines[0].text
    assert lines[-1].label == "outro"


def test_every_word_of_every_segment_is_planned() -> None:
    script = build_script(EXAMPLES, FAKE)
    plan = plan_briefing(
        script.stories,
        script.cast,
        script.config.pauses,
        Structure(intro=False, outro=False),
        175,
        script.lexicon,
    )
    planned = " ".join(item.text for item in plan if isinstance(item, Line)).split()
    segments = " ".join(s.text for story in script.stories for s in story.segments).split()
    assert planned == segments


@pytest.mark.skipif(ffmpeg_exe() is None, reason="no ffmpeg")
def test_wav_and_m4a_are_written_section_by_section_with_chapters(tmp_path: Path) -> None:
    script = build_script(EXAMPLES, FAKE)
    structure = Structure(date=dt.date(2026, 5, 1))
    results = {}
    for ext in (".wav", ".m4a"):
        options = RenderOptions(output=tmp_path / f"b{ext}", structure=structure, use_cache=False)
        results[ext] = render(script, options, "fake")
    with wave.open(str(tmp_path / "b.wav")) as audio:
        pcm = audio.readframes(audio.getnframes())
    measured = integrated_loudness(pcm, 22050)
    assert abs(measured - -16.0) <= 0.5
    # The reported level is estimated from clip statistics; it must match the file's.
    assert abs(results[".wav"].loudness_lufs - measured) <= 0.3
    m4a = MP4(tmp_path / "b.m4a")
    assert m4a.info is not None
    assert abs(m4a.info.length - results[".wav"].duration) < 0.1
    assert m4a.chapters is not None
    assert [ch.title for ch in m4a.chapters] == [s.article.title for s in script.stories]
