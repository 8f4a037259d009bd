"""Output profiles: the encoded file read back (mutagen, ffmpeg's ebur128) meets each profile."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest
from audio_helpers import ebur128, ffmpeg_exe
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4
from typer.testing import CliRunner

from briefing.cli import app
from briefing.output.options import RenderOptions
from briefing.output.profiles import PROFILES, Profile, apply_profile

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "harbor-bridge.txt"
COVER = REPO / "examples" / "cover.png"
needs_ffmpeg = pytest.mark.skipif(ffmpeg_exe() is None, reason="no ffmpeg")
runner = CliRunner()


def _render(out: Path, *extra: str, engine: str = "fake") -> None:
    args = ["render", str(EXAMPLE), "-o", str(out), "--engine", engine, "-q", *extra]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr


def _meets(out: Path, profile: Profile) -> None:
    """The file has the profile's rate, channels and bitrate, and reads at its loudness."""
    audio = MP3(out)
    assert audio.info is not None
    assert audio.info.sample_rate == profile.sample_rate
    assert audio.info.channels == profile.channels
    # CBR; mutagen derives the rate from the Info frame's byte and frame counts (±0.5%).
    assert audio.info.bitrate == pytest.approx(profile.bitrate_kbps * 1000, rel=0.005)
    # MPEG-1 Layer III at 32 kHz and above (what Apple and Spotify ask for), MPEG-2 below.
    assert audio.info.version == (1 if profile.sample_rate >= 32000 else 2)
    lufs, peak = ebur128(out)
    assert abs(lufs - profile.loudness_lufs) <= 1.0, (profile.name, lufs)
    assert peak <= profile.true_peak_dbtp, (profile.name, peak)


@needs_ffmpeg
@pytest.mark.parametrize("name", sorted(PROFILES))
def test_each_profile_is_met_by_the_encoded_file(tmp_path: Path, name: str) -> None:
    out = tmp_path / f"{name}.mp3"
    _render(out, "--profile", name)
    _meets(out, PROFILES[name])


def test_podcast_is_the_default_profile(tmp_path: Path) -> None:
    out = tmp_path / "default.mp3"
    _render(out)
    audio = MP3(out)
    assert audio.info is not None and audio.info.sample_rate == 44100


@pytest.mark.engine
@needs_ffmpeg
@pytest.mark.parametrize("name", ["podcast", "podcast-stereo"])
def test_real_speech_meets_the_podcast_profiles(tmp_path: Path, name: str) -> None:
    out = tmp_path / f"{name}.mp3"
    _render(out, "--profile", name, engine="pyttsx3")
    _meets(out, PROFILES[name])


@needs_ffmpeg
def test_loudness_option_sets_the_files_reading_in_stereo(tmp_path: Path) -> None:
    out = tmp_path / "stereo.mp3"
    _render(out, "--profile", "podcast-stereo", "--loudness", "-18")
    lufs, _ = ebur128(out)
    assert abs(lufs - -18.0) <= 1.0


def test_stereo_profile_mono_target_is_3_db_lower() -> None:
    stereo = apply_profile(RenderOptions(Path("x.mp3")), PROFILES["podcast-stereo"])
    assert stereo.loudness == pytest.approx(-16.0 - 3.0103, abs=0.001)
    assert stereo.channels == 2 and stereo.sample_rate == 44100


def test_wav_gets_the_profile_channels_and_rate(tmp_path: Path) -> None:
    out = tmp_path / "stereo.wav"
    _render(out, "--profile", "podcast-stereo")
    with wave.open(str(out)) as w:
        assert (w.getnchannels(), w.getframerate()) == (2, 44100)
        frames = w.readframes(w.getnframes())
    left, right = frames[0::4] + frames[1::4], frames[2::4] + frames[3::4]
    assert left == right  # the mono briefing in both channels


@needs_ffmpeg
def test_m4a_stereo_with_cover(tmp_path: Path) -> None:
    out = tmp_path / "stereo.m4a"
    _render(out, "--profile", "podcast-stereo", "--cover", str(COVER))
    audio = MP4(out)
    assert audio.info is not None and audio.info.channels == 2
    assert audio.info.sample_rate == 44100
    assert audio.tags is not None
    (cover,) = audio.tags["covr"]
    assert bytes(cover) == COVER.read_bytes() and cover.imageformat == cover.FORMAT_PNG


def test_unknown_profile_is_one_line_exit_2(tmp_path: Path) -> None:
    args = ["render", str(EXAMPLE), "-o", str(tmp_path / "x.mp3"), "--engine", "fake"]
    result = runner.invoke(app, [*args, "--profile", "radio"])
    assert result.exit_code == 2
    assert "--profile 'radio': unknown profile" in result.stderr
    assert "podcast-stereo" in result.stderr and "\n" not in result.stderr.strip()
    assert not (tmp_path / "x.mp3").exists()
