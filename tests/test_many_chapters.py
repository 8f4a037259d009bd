"""256 stories and more: the ID3 table of contents holds any number of chapters (issue 16)."""

from __future__ import annotations

from pathlib import Path

import pytest
from audio_helpers import ffmetadata, ffmpeg_exe, long_timeline
from mutagen.id3 import ID3, CTOCFlags
from mutagen.wave import WAVE

from briefing.audio.encode import write_audio
from briefing.audio.stitch import stitch
from briefing.audio.tags import write_tags
from briefing.model import Chapter, Tags

COUNT = 300


def _chapters(duration: float) -> tuple[Chapter, ...]:
    step = duration / COUNT
    return tuple(Chapter(f"Story {i + 1}", i * step, (i + 1) * step) for i in range(COUNT))


def _table(tag: ID3) -> list[str]:
    """Chapter ids in table-of-contents order, sub-tables followed."""
    tocs = {toc.element_id: toc for toc in tag.getall("CTOC")}
    (top,) = [toc for toc in tocs.values() if toc.flags & CTOCFlags.TOP_LEVEL]
    assert top.flags & CTOCFlags.ORDERED

    def walk(ids: list[str]) -> list[str]:
        return [x for i in ids for x in (walk(tocs[i].child_element_ids) if i in tocs else [i])]

    return walk(top.child_element_ids)


@pytest.mark.parametrize("ext", [".mp3", ".wav"])
def test_300_chapters_are_written_and_read_back(tmp_path: Path, ext: str) -> None:
    briefing = stitch(long_timeline(stories=1, seconds=60))  # chapters of 0.2 s
    out = tmp_path / f"b{ext}"
    write_audio(briefing, out, Tags(title="Many"))
    chapters = _chapters(briefing.duration)
    write_tags(out, ext, Tags(title="Many"), chapters)
    tag = ID3(out) if ext == ".mp3" else WAVE(out).tags
    assert tag is not None
    chaps = tag.getall("CHAP")
    assert [str(c.sub_frames["TIT2"]) for c in chaps] == [c.title for c in chapters]
    assert _table(tag) == [c.element_id for c in chaps]
    if ffmpeg_exe() is not None and ext == ".mp3":
        assert ffmetadata(out).count("[CHAPTER]") == COUNT
