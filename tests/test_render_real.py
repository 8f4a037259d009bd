"""End to end through the real pyttsx3 engine and the bundled eSpeak NG: a short article to MP3."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from mutagen.mp3 import MP3
from typer.testing import CliRunner

from briefing.cli import app

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "harbor-bridge.txt"
SEED = REPO.parent / "shared" / "seed-article.txt"

pytestmark = pytest.mark.engine
runner = CliRunner()


def test_real_render_of_an_example(tmp_path: Path) -> None:
    out = tmp_path / "harbor.mp3"
    vtt = tmp_path / "harbor.vtt"
    result = runner.invoke(
        app,
        ["render", str(EXAMPLE), "-o", str(out), "--transcript", str(vtt), "--date", "2026-03-04"],
    )
    assert result.exit_code == 0, result.stderr
    audio = MP3(out)
    assert audio.info is not None
    assert audio.info.sample_rate in (22050, 44100)
    words = len(EXAMPLE.read_text(encoding="utf-8").split())
    speech_seconds = words / 175 * 60  # eSpeak's rate is words per minute
    assert speech_seconds * 0.8 < audio.info.length < speech_seconds * 1.8
    # Voices actually used: the transcript's speakers and the voices the summary reports.
    speakers = set(re.findall(r"<v ([^>]+)>", vtt.read_text(encoding="utf-8")))
    assert {"Narrator", "Elena Ruiz", "Marcus Webb"} <= speakers
    voice_ids = set(re.findall(r"^  [^:]+: (gmw/\S+)$", result.stderr, flags=re.MULTILINE))
    assert len(voice_ids) >= 3
    # pyttsx3 prints "Audio saved to ..." for every clip; none of it may reach our stdout.
    assert "Audio saved" not in result.stdout + result.stderr


@pytest.mark.skipif(not SEED.exists(), reason="the shared seed article is not beside the checkout")
def test_seed_article_uses_four_voices() -> None:
    result = runner.invoke(app, ["script", str(SEED), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    segments = json.loads(result.stdout)["stories"][0]["segments"]
    voices = {s["voice"] for s in segments}
    speakers = {s["speaker"] for s in segments if s["kind"] == "quote"}
    assert speakers == {"Antony Blinken", "Foreign Policy", "Kenneth McKenzie"}
    assert len(voices) == 4
