"""Transcripts and chapters JSON, parsed back with real readers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import webvtt
from audio_helpers import sample_timeline

from briefing.audio.stitch import stitch
from briefing.errors import ConfigError
from briefing.output.transcript import (
    check_transcript_path,
    write_chapters,
    write_transcript,
)


def _ts(t: str) -> float:
    h, m, s = t.replace(",", ".").split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def test_vtt_parses_and_matches_cues(tmp_path: Path) -> None:
    b = stitch(sample_timeline())
    out = tmp_path / "t.vtt"
    write_transcript(b, out)
    captions = list(webvtt.read(str(out)).captions)
    assert len(captions) == len(b.cues)
    for cap, cue in zip(captions, b.cues, strict=True):
        assert abs(_ts(cap.start) - cue.start) < 0.001
        assert abs(_ts(cap.end) - cue.end) < 0.001
        assert cap.voice == (cue.speaker or "Narrator")
    raw = out.read_text()
    assert "<v Jane Doe>We are ready." in raw
    assert "&amp; flooded &lt;streets&gt;." in raw
    assert len({c.voice for c in captions}) == 4


def test_srt_leads_with_speaker(tmp_path: Path) -> None:
    b = stitch(sample_timeline())
    out = tmp_path / "t.srt"
    write_transcript(b, out)
    blocks = out.read_text().strip().split("\n\n")
    assert len(blocks) == len(b.cues)
    num, times, text = blocks[3].split("\n")
    assert num == "4" and " --> " in times and text == "Jane Doe: We are ready."
    assert blocks[0].split("\n")[2].startswith("Narrator: ")


def test_json_is_podcasting20(tmp_path: Path) -> None:
    b = stitch(sample_timeline())
    out = tmp_path / "t.json"
    write_transcript(b, out)
    data = json.loads(out.read_text())
    assert data["version"] == "1.0.0"
    segs = data["segments"]
    assert len(segs) == len(b.cues)
    assert set(segs[0]) == {"speaker", "startTime", "endTime", "body"}
    assert segs[4]["speaker"] == "John Roe" and segs[4]["body"] == "Help is coming."
    assert all(s["startTime"] < s["endTime"] for s in segs)


def test_txt_is_a_readable_script(tmp_path: Path) -> None:
    b = stitch(sample_timeline())
    out = tmp_path / "t.txt"
    write_transcript(b, out)
    text = out.read_text()
    assert "Jane Doe: We are ready." in text
    assert "[00:00:00] Narrator: Good morning." in text
    assert "* * *" in text
    # Each story's headline is its own paragraph, the narration after it another.
    assert "[00:00:01] Narrator: Storm hits coast\n\n" in text
    assert text.count("* * *") == 3  # intro | story 1 | story 2 | outro


def test_chapters_json(tmp_path: Path) -> None:
    b = stitch(sample_timeline())
    out = tmp_path / "c.json"
    write_chapters(b, out)
    data = json.loads(out.read_text())
    assert data["version"] == "1.2.0"
    assert [c["title"] for c in data["chapters"]] == ["Intro", "Storm hits coast", "Markets rally"]
    assert data["chapters"][0]["startTime"] == 0


@pytest.mark.parametrize("name", ["t.doc", "t", "nodir/t.vtt"])
def test_bad_transcript_paths(tmp_path: Path, name: str) -> None:
    with pytest.raises(ConfigError):
        check_transcript_path(tmp_path / name)


def test_write_keeps_old_file_on_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "t.vtt"
    out.write_text("old")
    b = stitch(sample_timeline())

    def boom(_: object) -> str:
        raise KeyboardInterrupt

    monkeypatch.setitem(
        __import__("briefing.output.transcript").output.transcript.RENDERERS, ".vtt", boom
    )
    with pytest.raises(KeyboardInterrupt):
        write_transcript(b, out)
    assert out.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["t.vtt"]
