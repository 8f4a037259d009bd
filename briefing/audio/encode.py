"""Output formats by extension: check them early, then write encoded, tagged audio atomically.

.mp3  lameenc in process (no ffmpeg needed), CBR at the profile's bitrate, gapless, on `jobs`
      threads, at the profile's rate (44.1 kHz MPEG-1 Layer III for podcasts, 22,050 Hz MPEG-2
      for the compact speech profile).
.wav  stdlib `wave`, 16-bit, with an ID3 chunk
Every format writes the mono briefing into the profile's channels.
.m4a  AAC 96k, .ogg/.opus Opus 48k, .flac: through ffmpeg (system, else imageio-ffmpeg's binary)
"""

from __future__ import annotations

import wave
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol, TypeVar

from mutagen import MutagenError

from briefing.atomic import atomic_path, check_writable_target
from briefing.audio.ffmpeg import encode_with_ffmpeg, find_ffmpeg, stream_with_ffmpeg
from briefing.audio.mp3 import BITRATE_KBPS, encode_mp3, to_channels
from briefing.audio.tags import write_tags
from briefing.errors import ConfigError, EncodeError, MissingDependencyError
from briefing.model import Briefing, Chapter, Tags


class _Timed(Protocol):
    @property
    def timing(self) -> Briefing: ...


T = TypeVar("T", bound=_Timed)


@dataclass(frozen=True)
class OutputFormat:
    """An output format: its extension, whether it needs ffmpeg, and ffmpeg's codec arguments."""

    extension: str
    needs_ffmpeg: bool
    description: str
    ffmpeg_args: tuple[str, ...] = ()


_AAC = ("-c:a", "aac", "-b:a", "96k", "-movflags", "+faststart")
_OPUS = ("-c:a", "libopus", "-b:a", "48k", "-ar", "24000")

FORMATS: dict[str, OutputFormat] = {
    f.extension: f
    for f in (
        OutputFormat(".mp3", False, "MP3, 64 kbps mono"),
        OutputFormat(".wav", False, "WAV, 16-bit PCM"),
        # Bitrates chosen so the codec's peak overshoot stays inside normalize's 1.5 dB margin
        # (ffmpeg ebur128 on eSpeak speech at -16 LUFS): AAC 64k overshot 1.3 dB, 96k 0.6 dB.
        OutputFormat(".m4a", True, "AAC in MP4", _AAC),
        # Opus at 48 kHz/48k overshot 2.7 dB; fed at 24 kHz (above the clips' 11 kHz band) 0.6 dB.
        OutputFormat(".ogg", True, "Opus in Ogg", _OPUS),
        OutputFormat(".opus", True, "Opus", _OPUS),
        OutputFormat(".flac", True, "FLAC, lossless", ("-c:a", "flac")),
    )
}


def supported_extensions() -> tuple[str, ...]:
    """Every output extension the tool can write."""
    return tuple(FORMATS)


def check_output(path: Path) -> OutputFormat:
    """Validate the output path and format BEFORE any synthesis; return its format."""
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ConfigError(
            f"{path}: unsupported output format {path.suffix or '(no extension)'!r}",
            hint="use one of " + ", ".join(FORMATS),
        )
    check_writable_target(path)
    if fmt.needs_ffmpeg and find_ffmpeg() is None:
        raise MissingDependencyError(
            f"{path}: writing {fmt.extension} needs ffmpeg, which was not found",
            hint="install ffmpeg, or `pip install 'briefing[ffmpeg]'`; .mp3 and .wav need nothing",
        )
    return fmt


def _write_wav(path: Path, sample_rate: int, chunks: Iterable[bytes], channels: int) -> None:
    """Write mono 16-bit PCM chunks as WAV with `channels` identical channels."""
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(sample_rate)
        for chunk in chunks:
            w.writeframes(to_channels(chunk, channels))


def write_audio(
    briefing: Briefing,
    path: Path,
    tags: Tags,
    *,
    jobs: int = 2,
    bitrate_kbps: int = BITRATE_KBPS,
    channels: int = 1,
) -> None:
    """Encode and tag into a temp file beside `path`; rename it into place only when complete."""
    path = Path(path)
    fmt = check_output(path)
    try:
        with atomic_path(path) as tmp:
            if fmt.extension == ".mp3":
                mp3 = encode_mp3(briefing.pcm, briefing.sample_rate, jobs=jobs,
                                 bitrate_kbps=bitrate_kbps, channels=channels)  # fmt: skip
                tmp.write_bytes(mp3)
            elif fmt.extension == ".wav":
                _write_wav(tmp, briefing.sample_rate, [briefing.pcm], channels)
            else:
                encode_with_ffmpeg(briefing, tmp, tags, fmt.ffmpeg_args, channels)
            write_tags(tmp, fmt.extension, tags, briefing.chapters)
    except OSError as e:
        raise EncodeError(f"{path}: cannot write audio: {e.strerror or e}") from e
    except MutagenError as e:
        raise EncodeError(f"{path}: cannot write tags: {e}") from e


def write_mp3_stream(path: Path, tags: Tags, write: Callable[[BinaryIO], T]) -> T:
    """Let `write` fill a temp file beside `path` with MP3 frames, tag it, move it into place.

    `write` returns what it wrote (with the chapters, as `.timing.chapters`, for the tags).
    """
    path = Path(path)
    try:
        with atomic_path(path) as tmp:
            with tmp.open("wb") as out:
                written = write(out)
            write_tags(tmp, ".mp3", tags, written.timing.chapters)
    except OSError as e:
        raise EncodeError(f"{path}: cannot write audio: {e.strerror or e}") from e
    except MutagenError as e:
        raise EncodeError(f"{path}: cannot write tags: {e}") from e
    return written


def write_pcm_stream(
    path: Path, tags: Tags, chapters: tuple[Chapter, ...], sample_rate: int,
    chunks: Iterable[bytes], *, channels: int = 1,
) -> None:  # fmt: skip
    """Write PCM chunks, as they come, as WAV or through ffmpeg; tag; move it into place."""
    path = Path(path)
    fmt = check_output(path)
    try:
        with atomic_path(path) as tmp:
            if fmt.extension == ".wav":
                _write_wav(tmp, sample_rate, chunks, channels)
            else:
                stream_with_ffmpeg(chunks, sample_rate, tmp, tags, chapters, fmt.ffmpeg_args,
                                   channels)  # fmt: skip
            write_tags(tmp, fmt.extension, tags, chapters)
    except OSError as e:
        raise EncodeError(f"{path}: cannot write audio: {e.strerror or e}") from e
    except MutagenError as e:
        raise EncodeError(f"{path}: cannot write tags: {e}") from e
