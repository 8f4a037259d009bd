"""Re-rendering with the cache: nothing changed reuses the file; one change synthesizes one clip."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from briefing.model import Clip, TimelineItem
from briefing.output.options import RenderOptions
from briefing.output.render import RenderResult, render
from briefing.output.timeline import Line, Structure
from briefing.pipeline import ScriptOptions, build_script
from briefing.speech.clip_cache import ClipCache

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((REPO / "examples").glob("*.txt"))
FAKE = ScriptOptions(engine="fake")
STRUCTURE = Structure(date=dt.date(2026, 5, 1))


def _copy_examples(directory: Path) -> list[str]:
    directory.mkdir()
    for path in EXAMPLES:
        shutil.copy(path, directory / path.name)
    return [str(directory / path.name) for path in EXAMPLES]


def _render(sources: list[str], out: Path, cache: Path) -> tuple[RenderResult, bytes, str]:
    options = RenderOptions(
        output=out, structure=STRUCTURE, cache_dir=cache, transcripts=(out.with_suffix(".vtt"),)
    )
    result = render(build_script(sources, FAKE), options, "fake")
    return result, out.read_bytes(), out.with_suffix(".vtt").read_text(encoding="utf-8")


def test_warm_render_synthesizes_and_encodes_nothing(tmp_path: Path) -> None:
    sources = _copy_examples(tmp_path / "articles")
    cold, cold_audio, cold_vtt = _render(sources, tmp_path / "cold.mp3", tmp_path / "cache")
    warm, warm_audio, warm_vtt = _render(sources, tmp_path / "warm.mp3", tmp_path / "cache")
    assert cold.clips_synthesized > 0 and not cold.reused_output
    assert warm.clips_synthesized == 0 and warm.reused_output
    assert warm_audio == cold_audio
    assert warm_vtt == cold_vtt
    assert warm.duration == cold.duration


def test_one_changed_sentence_synthesizes_one_clip(tmp_path: Path) -> None:
    sources = _copy_examples(tmp_path / "articles")
    _render(sources, tmp_path / "a.mp3", tmp_path / "cache")
    first = Path(sources[0])
    text = first.read_text(encoding="utf-8")
    lines = text.splitlines()
    body = next(i for i, line in enumerate(lines) if i > 0 and len(line.split()) > 8)
    lines[body] = lines[body].rstrip() + " Officials added one more detail on Tuesday."
    first.write_text("\n".join(lines) + "\n", encoding="utf-8")
    changed, audio, vtt = _render(sources, tmp_path / "b.mp3", tmp_path / "cache")
    assert changed.clips_synthesized == 1
    assert not changed.reused_output
    assert "Officials added one more detail on Tuesday." in vtt
    assert audio != (tmp_path / "a.mp3").read_bytes()


def test_cache_clear_drops_finished_renders(tmp_path: Path) -> None:
    sources = _copy_examples(tmp_path / "articles")
    _render(sources, tmp_path / "a.mp3", tmp_path / "cache")
    ClipCache(tmp_path / "cache").clear()
    again, _, _ = _render(sources, tmp_path / "b.mp3", tmp_path / "cache")
    assert not again.reused_output
    assert again.clips_synthesized > 0


def test_no_cache_never_reuses(tmp_path: Path) -> None:
    sources = _copy_examples(tmp_path / "articles")
    for name in ("a.mp3", "b.mp3"):
        options = RenderOptions(output=tmp_path / name, structure=STRUCTURE, use_cache=False)
        result = render(build_script(sources, FAKE), options, "fake")
        assert not result.reused_output
        assert result.clips_synthesized > 0


def test_sections_are_reused_when_the_render_cache_misses(tmp_path: Path) -> None:
    sources = _copy_examples(tmp_path / "articles")
    cold, cold_audio, cold_vtt = _render(sources, tmp_path / "a.mp3", tmp_path / "cache")
    assert cold.sections_encoded == len(_sections(sources))
    shutil.rmtree(tmp_path / "cache" / "renders")
    again, audio, vtt = _render(sources, tmp_path / "b.mp3", tmp_path / "cache")
    assert not again.reused_output
    assert again.clips_synthesized == 0 and again.sections_encoded == 0
    assert again.clips_read == 0  # every section came whole from the cache
    assert audio == cold_audio and vtt == cold_vtt


def test_an_added_paragraph_encodes_its_section_and_the_one_before(tmp_path: Path) -> None:
    sources = _copy_examples(tmp_path / "articles")
    _render(sources, tmp_path / "a.mp3", tmp_path / "cache")
    last = Path(sources[-1])
    last.write_text(
        last.read_text(encoding="utf-8").rstrip() + "\n\nOfficials gave no further details.\n",
        encoding="utf-8",
    )
    changed, _, _ = _render(sources, tmp_path / "b.mp3", tmp_path / "cache")
    assert changed.clips_synthesized == 1
    # The new paragraph's section, and the last one before it: its closing pause is now a
    # paragraph's rather than the one before the outro.
    assert changed.sections_encoded == 2


def test_sections_cut_at_paragraphs_and_between_stories() -> None:
    from briefing.model import Pause, SpokenItem

    sources = [str(p) for p in EXAMPLES]
    timeline, sections = _timeline(sources), _sections(sources)
    assert len(sections) > len(sources)  # paragraphs, not only stories
    starts = [k for k, s in enumerate(sections) if any(
        isinstance(i, SpokenItem) and i.story >= 0 and i.story != _story_before(sections, k)
        for i in s)]  # fmt: skip
    for section in sections:
        stories = {i.story for i in section if isinstance(i, SpokenItem) and i.story >= 0}
        assert len(stories) <= 1  # never two stories in one section
    assert len(starts) == len(sources)
    planned = sum(i.ms for i in timeline if isinstance(i, Pause))
    cut = sum(i.ms for s in sections for i in s if isinstance(i, Pause))
    assert planned - cut == 65 * (len(sections) - 1)  # the join adds 52-78 ms back


def test_one_changed_sentence_reads_only_its_sections_clips(tmp_path: Path) -> None:
    from briefing.model import SpokenItem

    sources = _copy_examples(tmp_path / "articles")
    _render(sources, tmp_path / "a.mp3", tmp_path / "cache")
    first = Path(sources[0])
    lines = first.read_text(encoding="utf-8").splitlines()
    body = next(i for i, line in enumerate(lines) if i > 0 and len(line.split()) > 8)
    lines[body] = lines[body].rstrip() + " Officials added one more detail on Tuesday."
    first.write_text("\n".join(lines) + "\n", encoding="utf-8")
    changed, _, _ = _render(sources, tmp_path / "b.mp3", tmp_path / "cache")
    assert changed.clips_synthesized == 1 and changed.sections_encoded == 1
    # The clips of the one section holding the new sentence (the new clip too: it went to the
    # cache as it arrived and is read back), and no other clip.
    (section,) = [s for s in _sections(sources) if any(
        isinstance(i, SpokenItem) and "one more detail" in i.text for i in s)]  # fmt: skip
    assert changed.clips_read == sum(isinstance(i, SpokenItem) for i in section)


def _timeline(sources: list[str]) -> list[TimelineItem]:
    """The render's timeline for these sources, with a stand-in clip for every line."""
    from briefing.model import SpokenItem
    from briefing.output.timeline import plan_briefing

    script = build_script(sources, FAKE)
    plan = plan_briefing(
        script.stories, script.cast, script.config.pauses, STRUCTURE, 175, script.lexicon
    )
    return [
        SpokenItem(Clip(b"", 1), i.text, i.speaker, i.utterance.voice.id, i.story)
        if isinstance(i, Line)
        else i
        for i in plan
    ]


def _sections(sources: list[str]) -> list[list[TimelineItem]]:
    from briefing.output.mp3_sections import split_sections

    return split_sections(_timeline(sources))


def _story_before(sections: list[list[TimelineItem]], k: int) -> int | None:
    """The story of the last story line before section k."""
    from briefing.model import SpokenItem

    for section in reversed(sections[:k]):
        for item in reversed(section):
            if isinstance(item, SpokenItem) and item.story >= 0:
                return item.story
    return None


def test_an_output_edited_in_place_is_never_reused(tmp_path: Path) -> None:
    # A finished render is kept as a second link to the output file: a tool that then writes
    # into the output (a tag editor saving in place) changes the kept copy too.
    sources = _copy_examples(tmp_path / "articles")
    _, cold_audio, _ = _render(sources, tmp_path / "cold.mp3", tmp_path / "cache")
    warm, _, _ = _render(sources, tmp_path / "warm.mp3", tmp_path / "cache")
    assert warm.reused_output
    with (tmp_path / "warm.mp3").open("r+b") as edited:
        edited.seek(len(cold_audio) // 2)
        edited.write(b"edited in place")
    again, again_audio, _ = _render(sources, tmp_path / "again.mp3", tmp_path / "cache")
    assert not again.reused_output and again.clips_synthesized == 0
    assert again_audio == cold_audio


def test_a_warm_render_finds_its_file_without_laying_out_the_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import briefing.output.render as render_module

    sources = _copy_examples(tmp_path / "articles")
    _, cold_audio, cold_vtt = _render(sources, tmp_path / "cold.mp3", tmp_path / "cache")

    def no_plan(*_: object) -> None:
        raise AssertionError("the plan was laid out")

    monkeypatch.setattr(render_module, "render_plan", no_plan)
    warm, warm_audio, warm_vtt = _render(sources, tmp_path / "warm.mp3", tmp_path / "cache")
    assert warm.reused_output and (warm_audio, warm_vtt) == (cold_audio, cold_vtt)
    monkeypatch.undo()

    # Whatever the plan depends on misses the index: here the pause between paragraphs.
    script = build_script(sources, FAKE)
    options = RenderOptions(
        output=tmp_path / "longer.mp3",
        structure=STRUCTURE,
        cache_dir=tmp_path / "cache",
        pause_overrides={"paragraph": 900},
    )
    longer = render(script, options, "fake")
    assert not longer.reused_output and longer.duration > warm.duration
