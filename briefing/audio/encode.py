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
from pathlib import Path
from typing import BinaryIO, Protocol, TypeVar

from mutagen import MutagenError

from briefing.atomic import atomic_path
from briefing.audio.ffmpeg import encode_with_ffmpeg, stream_with_ffmpeg
from briefing.audio.formats import FORMATS, OutputFormat, check_output, supported_extensions
from briefing.audio.mp3 import BITRATE_KBPS, encode_mp3, to_channels
from briefing.audio.tags import write_tags
from briefing.errors import EncodeError
from briefing.model import Briefing, Chapter, Tags

__all__ = [
    "FORMATS",
    "OutputFormat",
    "check_output",
    "supported_extensions",
    "write_audio",
    "write_mp3_stream",
    "write_pcm_stream",
]


class _Timed(Protocol):
    @property
    def timing(self) -> Briefing: ...


T = TypeVar("T", bound=_Timed)


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
