"""Tags and chapters, read back with mutagen and with ffmpeg."""

from __future__ import annotations

from pathlib import Path

import pytest
from audio_helpers import ffmetadata, ffmpeg_exe, sample_timeline
from mutagen.id3 import ID3, CTOCFlags
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4
from mutagen.oggopus import OggOpus

from briefing.audio.encode import write_audio
from briefing.audio.stitch import stitch
from briefing.model import Briefing, Tags

needs_ffmpeg = pytest.mark.skipif(ffmpeg_exe() is None, reason="no ffmpeg")
TAGS = Tags(
    title="Morning = Briefing; #1",
    artist="The Desk",
    album="Daily",
    date="2026-11-28",
    comment="Three stories.",
)
TITLES = ["Intro", "Storm hits coast", "Markets rally"]


def _mp3(tmp_path: Path) -> tuple[Path, Briefing]:
    b = stitch(sample_timeline())
    out = tmp_path / "b.mp3"
    write_audio(b, out, TAGS)
    return out, b


def test_mp3_text_tags(tmp_path: Path) -> None:
    out, _ = _mp3(tmp_path)
    tag = ID3(out)
    assert tag.version[:2] == (2, 3)
    assert str(tag["TIT2"]) == TAGS.title
    assert str(tag["TPE1"]) == "The Desk"
    assert str(tag["TALB"]) == "Daily"
    assert str(tag["TCON"]) == "Podcast"
    assert str(tag.getall("TDRC")[0]) == "2026"[:4] or "2026" in str(tag.getall("TDRC")[0])
    assert tag.getall("COMM")[0].text == ["Three stories."]


def test_mp3_chapters_chap_and_ctoc(tmp_path: Path) -> None:
    out, b = _mp3(tmp_path)
    tag = ID3(out)
    chaps = tag.getall("CHAP")
    assert [str(c.sub_frames["TIT2"]) for c in chaps] == TITLES
    for c, ch in zip(chaps, b.chapters, strict=True):
        assert c.start_time == round(ch.start * 1000) and c.end_time == round(ch.end * 1000)
    (toc,) = tag.getall("CTOC")
    assert toc.flags & CTOCFlags.TOP_LEVEL and toc.flags & CTOCFlags.ORDERED
    assert toc.child_element_ids == [c.element_id for c in chaps]
    # mutagen still sees an MP3 of the right length (the Info frame carries the padding).
    info = MP3(out).info
    assert info is not None and abs(info.length - b.duration) < 0.03


@needs_ffmpeg
def test_ffmpeg_lists_mp3_chapters_in_order(tmp_path: Path) -> None:
    out, b = _mp3(tmp_path)
    meta = ffmetadata(out)
    assert meta.count("[CHAPTER]") == 3
    titles = [line[6:] for line in meta.splitlines() if line.startswith("title=")]
    assert titles == [r"Morning \= Briefing\; \#1", *TITLES]
    starts = [int(line[6:]) for line in meta.splitlines() if line.startswith("START=")]
    # ffmpeg shifts chapters by the stream's start time, the 1105-sample gapless skip (50.1 ms).
    for got, ch in zip(starts, b.chapters, strict=True):
        assert 0 <= round(ch.start * 1000) - got <= 51


@needs_ffmpeg
def test_m4a_tags_and_chapters(tmp_path: Path) -> None:
    b = stitch(sample_timeline())
    out = tmp_path / "b.m4a"
    write_audio(b, out, TAGS)
    mp4 = MP4(out)
    assert mp4.tags is not None
    assert mp4.tags["\xa9nam"] == [TAGS.title] and mp4.tags["\xa9gen"] == ["Podcast"]
    assert mp4.chapters is not None
    assert [c.title for c in mp4.chapters] == TITLES
    assert ffmetadata(out).count("[CHAPTER]") == 3


@needs_ffmpeg
def test_opus_vorbis_comments(tmp_path: Path) -> None:
    out = tmp_path / "b.opus"
    write_audio(stitch(sample_timeline()), out, TAGS)
    tags = OggOpus(out).tags
    assert tags is not None
    assert tags["title"] == [TAGS.title] and tags["genre"] == ["Podcast"]
    assert tags["CHAPTER001NAME"] == ["Storm hits coast"]


def test_wav_carries_id3_chunk(tmp_path: Path) -> None:
    out = tmp_path / "b.wav"
    write_audio(stitch(sample_timeline()), out, TAGS)
    from mutagen.wave import WAVE

    tags = WAVE(out).tags
    assert tags is not None and str(tags["TIT2"]) == TAGS.title
    assert len(tags.getall("CHAP")) == 3


def test_no_chapters_no_ctoc(tmp_path: Path) -> None:
    b = stitch([i for i in sample_timeline() if not hasattr(i, "title")])
    out = tmp_path / "b.mp3"
    write_audio(b, out, Tags(title="Only"))
    tag = ID3(out)
    assert tag.getall("CHAP") == [] and tag.getall("CTOC") == []
    assert "TPE1" not in tag
