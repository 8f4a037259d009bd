"""Encoding: formats by extension, early checks, atomic writes, audio that lines up with cues."""

from __future__ import annotations

import functools
import os
from pathlib import Path

import numpy as np
import pytest
from audio_helpers import (
    SR,
    decode,
    ebur128,
    ffmpeg_exe,
    from_pcm,
    long_timeline,
    rms_db,
    sample_timeline,
    speech_like,
    to_pcm,
)

from briefing.audio import encode, formats
from briefing.audio.encode import FORMATS, check_output, write_audio
from briefing.audio.loudness import level_voices, normalize
from briefing.audio.mp3 import count_frames, encode_mp3, encode_mp3_single, frames_for
from briefing.audio.stitch import stitch
from briefing.errors import ConfigError, EncodeError, MissingDependencyError
from briefing.model import Briefing, Tags

needs_ffmpeg = pytest.mark.skipif(ffmpeg_exe() is None, reason="no ffmpeg")
TAGS = Tags(title="Morning Briefing", artist="The Desk", album="Daily", date="2026-11-28")


@functools.cache
def _briefing() -> Briefing:
    b, _ = normalize(stitch(level_voices(long_timeline(stories=3, seconds=8))))
    return b


def _offset(ref: np.ndarray, got: np.ndarray, at: int, width: int = SR) -> int:
    """Lag of `got` against `ref` around sample `at` (cross-correlation, +-1000 samples)."""
    w = ref[at : at + width]
    seg = got[at - 1000 : at + width + 1000]
    return int(np.argmax(np.correlate(seg, w, "valid"))) - 1000


@pytest.mark.parametrize("name", ["a.txt", "a", "a.MP4", "a.aiff"])
def test_unknown_extension_lists_supported(tmp_path: Path, name: str) -> None:
    with pytest.raises(ConfigError) as e:
        check_output(tmp_path / name)
    assert e.value.hint is not None and ".mp3" in e.value.hint and ".flac" in e.value.hint


def test_missing_directory_and_directory_target(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        check_output(tmp_path / "nope" / "a.mp3")
    (tmp_path / "d.mp3").mkdir()
    with pytest.raises(ConfigError, match="directory"):
        check_output(tmp_path / "d.mp3")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_directory(tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir(mode=0o555)
    with pytest.raises(ConfigError, match="not writable"):
        check_output(ro / "a.mp3")


def test_ffmpeg_formats_need_ffmpeg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(formats, "find_ffmpeg", lambda: None)
    for ext in (".m4a", ".ogg", ".opus", ".flac"):
        with pytest.raises(MissingDependencyError) as e:
            check_output(tmp_path / f"a{ext}")
        assert e.value.exit_code == 3
    assert check_output(tmp_path / "a.MP3").extension == ".mp3"
    assert not check_output(tmp_path / "a.wav").needs_ffmpeg


def test_lame_frame_count_formula() -> None:
    for n in (0, 1, 575, 576, 577, 20160, 20161, 99999):
        assert count_frames(encode_mp3_single(bytes(2 * n), SR)) == frames_for(n)


def test_frame_count_checks_every_frame_sync() -> None:
    from briefing.audio.mp3 import _frame_size

    rng = np.random.default_rng(5)
    noise = (rng.standard_normal(SR * 3) * 3000).astype("<i2").tobytes()
    mp3 = encode_mp3_single(noise, SR)
    starts, pos = [], 0
    while pos < len(mp3):
        starts.append(pos)
        pos += _frame_size(int.from_bytes(mp3[pos : pos + 4], "big"))
    assert count_frames(mp3) == len(starts) == frames_for(SR * 3)
    # CBR at 22,050 Hz pads some frames: both header forms are in the stream.
    assert len({mp3[i + 2] for i in starts}) == 2
    for damaged in starts[-3], starts[len(starts) // 2]:  # after both sizes are known
        broken = bytearray(mp3)
        broken[damaged] = 0
        with pytest.raises(EncodeError):
            count_frames(bytes(broken))
    with pytest.raises(EncodeError):
        count_frames(mp3 + mp3[:2])  # a header cut short at the end


def test_wav_roundtrip(tmp_path: Path) -> None:
    b = _briefing()
    out = tmp_path / "b.wav"
    write_audio(b, out, TAGS)
    import wave

    with wave.open(str(out)) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, SR)
        assert w.readframes(w.getnframes()) == b.pcm


@needs_ffmpeg
@pytest.mark.parametrize("jobs", [1, 2, 4])
def test_mp3_decodes_in_place_sample_for_sample(tmp_path: Path, jobs: int) -> None:
    b = _briefing()
    out = tmp_path / "b.mp3"
    write_audio(b, out, TAGS, jobs=jobs)
    ref, got = from_pcm(b.pcm), decode(out)
    # Gapless: same length, no shift anywhere (joins between parallel chunks included).
    assert len(got) == len(ref)
    loud = np.flatnonzero(np.abs(ref) > 0.05)
    for point in loud[np.linspace(100, len(loud) - 1, 12).astype(int)]:  # on speech
        # A 1 s window spans clip edges, so a voice's periodicity cannot fake a match.
        at = int(min(max(point - SR // 2, 2000), len(ref) - SR - 2000))
        assert abs(_offset(ref, got, at)) <= 2


@needs_ffmpeg
def test_parallel_joins_are_click_free() -> None:
    rng = np.random.default_rng(0)
    parts: list[np.ndarray] = []
    for i in range(30):
        parts += [speech_like(rng.uniform(0.8, 2.0), seed=i), np.zeros(int(0.3 * SR), np.float32)]
    pcm = to_pcm(np.concatenate(parts))
    one, many = encode_mp3(pcm, SR, jobs=1), encode_mp3(pcm, SR, jobs=6)
    assert many[13:17] == b"Info" and count_frames(many[208:]) > 0
    ref = from_pcm(pcm)
    silent = np.abs(ref) == 0
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        (Path(d) / "1.mp3").write_bytes(one)
        (Path(d) / "6.mp3").write_bytes(many)
        a, z = decode(Path(d) / "1.mp3"), decode(Path(d) / "6.mp3")
    assert len(a) == len(z) == len(ref)
    # Where the input is silent the decoded output stays silent (no click at any join).
    core = silent & (np.convolve(silent, np.ones(600), "same") >= 600)
    assert np.abs(z[core]).max() < 0.01
    # Chunked and single-stream encodes are the same audio to within codec noise.
    assert rms_db(z - a) < rms_db(ref) - 15


@needs_ffmpeg
@pytest.mark.parametrize("ext", [".mp3", ".m4a", ".opus", ".wav"])
def test_loudness_and_true_peak_by_ffmpeg(tmp_path: Path, ext: str) -> None:
    out = tmp_path / f"b{ext}"
    write_audio(_briefing(), out, TAGS)
    lufs, peak = ebur128(out)
    assert abs(lufs - -16.0) <= 1.0
    assert peak <= -1.0


@needs_ffmpeg
def test_cues_sit_on_speech_in_decoded_mp3(tmp_path: Path) -> None:
    b = _briefing()
    out = tmp_path / "b.mp3"
    write_audio(b, out, TAGS)
    y = decode(out)
    edge = round(0.02 * SR)
    for cue in b.cues:
        a, z = round(cue.start * SR), round(cue.end * SR)
        assert rms_db(y[a + edge : z - edge]) > -35
    speech = rms_db(y)
    for prev, nxt in zip(b.cues, b.cues[1:], strict=False):
        a, z = round(prev.end * SR) + edge, round(nxt.start * SR) - edge
        if prev.story != nxt.story:
            assert rms_db(y[a:z]) < speech - 8  # the chime: soft next to speech
        else:
            assert rms_db(y[a:z]) < -55  # a pause


@needs_ffmpeg
@pytest.mark.parametrize("ext", [".m4a", ".ogg", ".opus", ".flac"])
def test_ffmpeg_formats(tmp_path: Path, ext: str) -> None:
    b = stitch(sample_timeline())
    out = tmp_path / f"b{ext}"
    write_audio(b, out, TAGS)
    y = decode(out)
    assert abs(len(y) / SR - b.duration) < 0.1
    import mutagen

    f = mutagen.File(out)
    assert f is not None and f.tags is not None
    assert abs(f.info.length - b.duration) < 0.1
    assert FORMATS[ext].needs_ffmpeg


def test_failed_write_keeps_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "b.mp3"
    out.write_bytes(b"old")

    def boom(*_: object, **__: object) -> bytes:
        raise KeyboardInterrupt

    monkeypatch.setattr(encode, "encode_mp3", boom)
    with pytest.raises(KeyboardInterrupt):
        write_audio(stitch(sample_timeline()), out, TAGS)
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["b.mp3"]


def test_os_error_becomes_encode_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*_: object, **__: object) -> bytes:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(encode, "encode_mp3", full)
    with pytest.raises(EncodeError, match="No space"):
        write_audio(stitch(sample_timeline()), tmp_path / "b.mp3", TAGS)
    assert list(tmp_path.iterdir()) == []


def test_new_file_gets_normal_permissions(tmp_path: Path) -> None:
    out = tmp_path / "b.wav"
    write_audio(stitch(sample_timeline()), out, TAGS)
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask


def test_cut_points_sit_in_long_silences() -> None:
    x = np.full(SR * 20, 1000, dtype=np.int16)
    x[SR * 5 : SR * 5 + 5000] = 0  # long enough for a join (needs ~4200 samples)
    x[SR * 10 : SR * 10 + 2000] = 0  # too short
    x[SR * 15 : SR * 15 + 6000] = 0
    x[SR * 15 + 3000] = -32768  # full-scale negative is not silence (abs would overflow)
    from briefing.audio.mp3 import cut_points

    cuts = cut_points(x, SR, 4)
    assert cuts == sorted(cuts) and len(cuts) == 1
    (cut,) = cuts
    assert cut >= SR * 5 + 1000 and np.all(x[cut - 1024 : cut + 2800] == 0)
