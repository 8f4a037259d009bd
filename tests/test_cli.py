"""CLI behaviour through typer's CliRunner, with the fake engine (fast, no eSpeak)."""

from __future__ import annotations

import json
import wave
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing import __version__
from briefing.cli import app

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "harbor-bridge.txt"
FAKE = ["--engine", "fake"]

runner = CliRunner()


def _one_line_error(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


@pytest.mark.parametrize(
    "command",
    [
        ["--help"],
        ["render", "--help"],
        ["script", "--help"],
        ["voices", "--help"],
        ["cache", "--help"],
        ["cache", "info", "--help"],
        ["cache", "clear", "--help"],
    ],
)
def test_every_command_has_help(command: list[str]) -> None:
    result = runner.invoke(app, command)
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"briefing {__version__}"


def test_script_json_follows_the_contract() -> None:
    result = runner.invoke(app, ["script", str(EXAMPLE), "--format", "json", *FAKE])
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    (story,) = document["stories"]
    assert story["source"] == str(EXAMPLE)
    assert story["title"].startswith("City Council Approves")
    segments = story["segments"]
    assert segments[0]["kind"] == "headline"
    assert {s["kind"] for s in segments} == {"headline", "narration", "quote"}
    narrator = segments[0]["voice"]
    for segment in segments:
        assert set(segment) >= {"kind", "text", "spoken", "speaker", "voice"}
        if segment["kind"] == "quote":
            assert segment["voice"] != narrator
            assert segment["attribution"]["method"] in {
                "explicit",
                "pronoun",
                "nominal",
                "follow-on",
                "block",
                "none",
            }
            assert 0.0 <= segment["attribution"]["confidence"] <= 1.0
            assert not segment["text"].startswith(("“", '"'))
        else:
            assert segment["speaker"] is None
            assert segment["voice"] == narrator
    speakers = {s["speaker"] for s in segments if s["kind"] == "quote"}
    assert {"Elena Ruiz", "Marcus Webb"} <= speakers
    voices = {s["speaker"]: s["voice"] for s in segments if s["kind"] == "quote"}
    assert len(set(voices.values())) == len(voices), "each speaker has a voice of their own"


def test_script_text_names_speakers_and_voices() -> None:
    result = runner.invoke(app, ["script", str(EXAMPLE), *FAKE])
    assert result.exit_code == 0, result.stderr
    assert "Elena Ruiz (gmw/" in result.stdout
    assert "Narrator (gmw/en-us)" in result.stdout


def test_script_reads_stdin() -> None:
    article = "Short Headline\n\n“This is a quote of many words,” said Jane Porter.\n"
    result = runner.invoke(app, ["script", "-", "--format", "json", *FAKE], input=article)
    assert result.exit_code == 0, result.stderr
    story = json.loads(result.stdout)["stories"][0]
    assert story["source"] == "-"
    quotes = [s for s in story["segments"] if s["kind"] == "quote"]
    assert [(q["text"], q["speaker"]) for q in quotes] == [
        ("This is a quote of many words,", "Jane Porter")
    ]


def test_missing_article_is_exit_2_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    result = runner.invoke(app, ["script", str(missing), *FAKE])
    assert result.exit_code == 2
    assert "nope.txt" in _one_line_error(result.stderr)


def test_render_wav_with_transcript(tmp_path: Path) -> None:
    out = tmp_path / "b.wav"
    vtt = tmp_path / "b.vtt"
    result = runner.invoke(
        app,
        [
            "render",
            str(EXAMPLE),
            "-o",
            str(out),
            "--transcript",
            str(vtt),
            "--date",
            "2026-01-02",
            *FAKE,
        ],
    )
    assert result.exit_code == 0, result.stderr
    with wave.open(str(out)) as audio:
        duration = audio.getnframes() / audio.getframerate()
    words = len(EXAMPLE.read_text(encoding="utf-8").split())
    # The fake engine speaks at the render rate, so the briefing lasts about as long as its words.
    assert words / 175 * 60 * 0.7 < duration < words / 175 * 60 * 2.5
    assert "Elena Ruiz" in vtt.read_text(encoding="utf-8")
    assert "made" in result.stderr and "LUFS" in result.stderr


def test_quiet_render_prints_nothing(tmp_path: Path) -> None:
    out = tmp_path / "b.wav"
    result = runner.invoke(app, ["render", str(EXAMPLE), "-o", str(out), "--quiet", *FAKE])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""
    assert out.exists()


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["-o", "{tmp}/missing-dir/out.mp3"], "missing-dir"),
        (["-o", "{tmp}/out.xyz"], ".xyz"),
        (["-o", "{tmp}/out.mp3", "--date", "yesterday"], "--date"),
        (["-o", "{tmp}/out.mp3", "--pause", "forever=10"], "--pause"),
        (["-o", "{tmp}/out.mp3", "--transcript", "{tmp}/t.docx"], "t.docx"),
    ],
)
def test_bad_options_fail_before_synthesis(tmp_path: Path, args: list[str], needle: str) -> None:
    argv = [arg.replace("{tmp}", str(tmp_path)) for arg in args]
    result = runner.invoke(app, ["render", str(EXAMPLE), *argv, *FAKE])
    assert result.exit_code == 2, result.output
    assert needle in _one_line_error(result.stderr)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_malformed_cast_names_file_and_line(tmp_path: Path) -> None:
    cast = tmp_path / "cast.toml"
    cast.write_text('[narrator]\nvoice = "gmw/en-us"\n[pool\n', encoding="utf-8")
    result = runner.invoke(app, ["script", str(EXAMPLE), "--cast", str(cast), *FAKE])
    assert result.exit_code == 2
    line = _one_line_error(result.stderr)
    assert "cast.toml" in line and "line 3" in line


def test_unknown_voice_names_it_and_suggests(tmp_path: Path) -> None:
    cast = tmp_path / "cast.toml"
    cast.write_text('[speakers]\n"Elena Ruiz" = "gmw/en-uss+f2"\n', encoding="utf-8")
    result = runner.invoke(app, ["script", str(EXAMPLE), "--cast", str(cast), *FAKE])
    assert result.exit_code == 2
    line = _one_line_error(result.stderr)
    assert "gmw/en-uss+f2" in line and "cast.toml" in line and "gmw/en-us" in line


def test_wrong_type_in_cast(tmp_path: Path) -> None:
    cast = tmp_path / "cast.toml"
    cast.write_text("[narrator]\nvoice = 42\n", encoding="utf-8")
    result = runner.invoke(app, ["script", str(EXAMPLE), "--cast", str(cast), *FAKE])
    assert result.exit_code == 2
    assert "[narrator] voice" in _one_line_error(result.stderr)


def test_cast_pins_speaker_and_narrator(tmp_path: Path) -> None:
    cast = tmp_path / "cast.toml"
    cast.write_text(
        '[narrator]\nvoice = "gmw/en-gb-x-rp"\n[speakers]\n"Marcus Webb" = "gmw/en-us+m7"\n',
        encoding="utf-8",
    )
    result = runner.invoke(
        app, ["script", str(EXAMPLE), "--cast", str(cast), "--format", "json", *FAKE]
    )
    assert result.exit_code == 0, result.stderr
    segments = json.loads(result.stdout)["stories"][0]["segments"]
    assert segments[0]["voice"] == "gmw/en-gb-x-rp"
    assert {s["voice"] for s in segments if s["speaker"] == "Marcus Webb"} == {"gmw/en-us+m7"}


def test_failed_render_keeps_the_old_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "b.wav"
    out.write_bytes(b"old briefing")
    monkeypatch.setenv("BRIEFING_FAKE_FAIL", "raise:too high for a city")
    result = runner.invoke(
        app, ["render", str(EXAMPLE), "-o", str(out), "--no-cache", "--jobs", "1", *FAKE]
    )
    assert result.exit_code == 1
    line = _one_line_error(result.stderr)
    assert "story 1" in line and "segment" in line
    assert out.read_bytes() == b"old briefing"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.wav"]


def test_voices_lists_engine_and_cast_voices() -> None:
    result = runner.invoke(app, ["voices", *FAKE])
    assert result.exit_code == 0, result.stderr
    assert "narrator      gmw/en-us" in result.stdout
    assert "gmw/en-gb-scotland" in result.stdout
