"""Output formats by extension, and the check made on the output path before any synthesis.

Apart from `encode` so that the check loads no encoder (numpy, lameenc): a render that reuses
a finished file never needs them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from briefing.atomic import check_writable_target
from briefing.audio.ffmpeg import find_ffmpeg
from briefing.errors import ConfigError, MissingDependencyError


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
