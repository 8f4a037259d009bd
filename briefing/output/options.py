"""How a script becomes audio: the render's options and its progress callback."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from briefing.model import Tags
from briefing.output.timeline import Structure

Progress = Callable[[str, int, int], None]
"""progress(stage, done, total): stage is "synthesizing" or "encoding"."""


@dataclass(frozen=True)
class RenderOptions:
    """How the script becomes audio."""

    output: Path
    rate: int = 175
    jobs: int | None = None
    cache_dir: Path | None = None
    use_cache: bool = True
    structure: Structure = field(default_factory=Structure)
    pause_overrides: dict[str, int] = field(default_factory=dict)
    loudness: float = -16.0
    """Target integrated loudness of the mono briefing, LUFS (a profile's file loudness less
    10 log10(channels): the copies in each channel add up to the profile's figure)."""
    tags: Tags = field(default_factory=lambda: Tags(title="News Briefing"))
    transcripts: tuple[Path, ...] = ()
    chapters: Path | None = None
    sample_rate: int | None = None
    """The briefing's sample rate; None: the engine's own. Clips at another rate are resampled
    once, where they are made (and cached at this rate)."""
    bitrate_kbps: int = 64
    """MP3 bitrate (CBR)."""
    channels: int = 1
    """Channels written: the mono briefing goes to each."""
    true_peak_dbtp: float = -1.0
    """Ceiling for the true peak of the encoded file."""
    page: Path | None = None
    """The read-along web page to write beside the audio (`output/page.py`)."""
    epub: Path | None = None
    """The EPUB 3 talking book to write with the audio inside (`output/epub.py`)."""
