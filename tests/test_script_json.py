"""`render script.json`: the JSON of `script --format json`, edited, rendered exactly as it says."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from audio_helpers import from_pcm
from typer.testing import CliRunner

from briefing.cli import app

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "harbor-bridge.txt"
FAKE = ["--engine", "fake"]
NEW_VOICE = "gmw/en-029+f4"
runner = CliRunner()


def _script(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    result = runner.invoke(app, ["script", str(EXAMPLE), "--format", "json", *FAKE])
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    path = tmp_path / "script.json"
    path.write_text(result.stdout, encoding="utf-8")
    return path, document


def _render(source: Path, out: Path) -> tuple[str, list[dict[str, Any]]]:
    words = out.with_name(f"{out.stem}-transcript.json")  # never the script.json it reads
    args = ["render", str(source), "-o", str(out), "--transcript", str(words), "--date",
            "2026-03-04", "--profile", "speech", *FAKE]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    segments: list[dict[str, Any]] = json.loads(words.read_text())["segments"]
    return result.stderr, segments


def _tone_hz(wav: Path, start: float, end: float) -> float:
    """The strongest frequency in [start, end) of the fake engine's tone-per-voice audio."""
    import wave

    with wave.open(str(wav)) as w:
        rate = w.getframerate()
        w.setpos(int(start * rate))
        x = from_pcm(w.readframes(int((end - start) * rate)))
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    return float(np.fft.rfftfreq(len(x), 1 / rate)[int(np.argmax(spectrum))])


def _voices(summary: str) -> dict[str, str]:
    """The summary's `voices:` lines as {reader: voice}."""
    lines = [line.strip() for line in summary.splitlines() if line.startswith("  ")]
    return dict(line.split(": ", 1) for line in lines)


def _write(path: Path, document: dict[str, Any]) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_unedited_script_renders_as_the_article_does(tmp_path: Path) -> None:
    path, _ = _script(tmp_path)
    article_summary, article_cues = _render(EXAMPLE, tmp_path / "article.wav")
    script_summary, script_cues = _render(path, tmp_path / "script.wav")
    assert script_cues == article_cues
    assert _voices(script_summary) == _voices(article_summary)
    a = (tmp_path / "article.wav").read_bytes()
    assert a == (tmp_path / "script.wav").read_bytes()


def test_editing_one_speakers_voice_changes_exactly_that_voice(tmp_path: Path) -> None:
    path, document = _script(tmp_path)
    speaker = "Elena Ruiz"
    for story in document["stories"]:
        for segment in story["segments"]:
            if segment["speaker"] == speaker:
                segment["voice"] = NEW_VOICE
    document["cast"]["speakers"][speaker] = NEW_VOICE
    edited = _write(tmp_path / "edited.json", document)
    before_summary, before = _render(path, tmp_path / "before.wav")
    after_summary, after = _render(edited, tmp_path / "after.wav")
    voices_before, voices_after = _voices(before_summary), _voices(after_summary)
    assert voices_after == {**voices_before, speaker: NEW_VOICE}
    assert voices_before[speaker] != NEW_VOICE
    assert [(c["speaker"], c["body"]) for c in before] == [(c["speaker"], c["body"]) for c in after]
    changed = same = 0
    for old, new in zip(before, after, strict=True):
        old_hz = _tone_hz(tmp_path / "before.wav", old["startTime"], old["endTime"])
        new_hz = _tone_hz(tmp_path / "after.wav", new["startTime"], new["endTime"])
        if old["speaker"] == speaker:
            assert abs(old_hz - new_hz) > 5, old["body"]
            changed += 1
        else:
            assert abs(old_hz - new_hz) <= 2, old["body"]
            same += 1
    assert changed >= 2 and same >= 5


def _error(tmp_path: Path, document: Any) -> str:
    path = tmp_path / "bad.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    out = tmp_path / "out.mp3"
    result = runner.invoke(app, ["render", str(path), "-o", str(out), *FAKE])
    assert result.exit_code == 2, result.stderr
    assert not out.exists()
    line = result.stderr.strip()
    assert "\n" not in line and "Traceback" not in line
    return line


def _quote_index(document: dict[str, Any]) -> int:
    kinds = [s["kind"] for s in document["stories"][0]["segments"]]
    return kinds.index("quote")


def test_unknown_voice_names_the_json_path(tmp_path: Path) -> None:
    _, document = _script(tmp_path)
    document["stories"][0]["segments"][3]["voice"] = "x"
    line = _error(tmp_path, document)
    assert line.endswith("stories[0].segments[3].voice: unknown voice 'x'")


@pytest.mark.parametrize(
    ("edit", "needle"),
    [
        (
            lambda d, q: d["stories"][0]["segments"][q].pop("kind"),
            "stories[0].segments[{q}].kind: missing",
        ),
        (
            lambda d, q: d["stories"][0]["segments"][q].update(kind="aside"),
            "stories[0].segments[{q}].kind: unknown kind 'aside'",
        ),
        (
            lambda d, q: d["stories"][0]["segments"][q].update(paragraph="2"),
            "stories[0].segments[{q}].paragraph: expected int, got a string",
        ),
        (
            lambda d, q: d["stories"][0]["segments"][0].update(speaker="Someone"),
            "stories[0].segments[0].speaker: a headline has no speaker",
        ),
        (
            lambda d, q: d["stories"][0]["segments"][q].update(voice="gmw/en-029"),
            "but Elena Ruiz reads with 'gmw/en-029' at stories[0].segments[{q}].voice (one voice",
        ),
        (
            lambda d, q: d["cast"]["speakers"].update({"Elena Ruiz": "gmw/en-029"}),
            "cast.speakers.Elena Ruiz: 'gmw/en-029', but stories[0].segments[{q}].voice reads",
        ),
        (lambda d, q: d.update(stories=[]), "stories: empty"),
        (
            lambda d, q: d["stories"][0].update(segments={}),
            "stories[0].segments: expected list, got an object",
        ),
    ],
)
def test_invalid_script_names_path_and_problem(tmp_path: Path, edit: Any, needle: str) -> None:
    _, document = _script(tmp_path)
    q = _quote_index(document)
    edit(document, q)
    assert needle.format(q=q) in _error(tmp_path, document)


def test_not_json_is_one_line(tmp_path: Path) -> None:
    assert "not JSON (line 1" in _error(tmp_path, "{stories")


def test_an_edited_spoken_form_is_what_the_engine_says(tmp_path: Path) -> None:
    # The README's "fix a spoken form": the engine gets the edited words, the transcript
    # keeps the article's; unedited segments are still said sentence by sentence.
    path, document = _script(tmp_path)
    _, before = _render(path, tmp_path / "before.mp3")
    segment = document["stories"][0]["segments"][1]
    segment["spoken"] = segment["spoken"] + " And a long correction, read out in full." * 8
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(document), encoding="utf-8")
    _, after = _render(edited, tmp_path / "after.mp3")
    assert " ".join(c["body"] for c in after) == " ".join(c["body"] for c in before)
    start = segment["text"][:40]
    first = next(c for c in before if c["body"].startswith(start))
    edited_cue = next(c for c in after if c["body"].startswith(start))
    assert edited_cue["body"] == segment["text"]  # one cue: the edit is said as one piece
    assert edited_cue["endTime"] - edited_cue["startTime"] > first["endTime"] - first["startTime"]
    longer = after[-1]["endTime"] - before[-1]["endTime"]
    assert longer > 5, longer
    untouched = [c for c in before if c["startTime"] < first["startTime"]]
    assert after[: len(untouched)] == untouched
