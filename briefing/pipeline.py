"""The pipeline's first half: sources → script (stories, cast); `briefing.render` makes the audio.

Nothing here prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.cast import CastConfig, assign_voices, load_cast_config, validate_voices
from briefing.engines import check_engine, close_matches, voice_exists
from briefing.ingest import IngestOptions, load_articles
from briefing.lexicon import Lexicon, load_lexicon
from briefing.model import Cast, Gender, SegmentKind, Story
from briefing.normalize import to_spoken

if TYPE_CHECKING:
    from briefing.render import RenderOptions


@dataclass(frozen=True)
class ScriptOptions:
    """What turns sources into a script: ingest, cast, lexicon and quote settings."""

    ingest: IngestOptions = field(default_factory=IngestOptions)
    cast_file: Path | None = None
    lexicons: tuple[Path, ...] = ()
    min_quote_words: int = 4
    engine: str = "pyttsx3"


@dataclass(frozen=True)
class Script:
    """The dry run: stories with their segments, and who reads what."""

    stories: tuple[Story, ...]
    cast: Cast
    config: CastConfig
    lexicon: Lexicon


def load_config(options: ScriptOptions) -> CastConfig:
    """Load the cast and check every voice against the engine, before any work is done."""
    check_engine(options.engine)
    config = load_cast_config(options.cast_file)
    validate_voices(
        config,
        lambda voice_id: voice_exists(options.engine, voice_id),
        lambda voice_id: close_matches(options.engine, voice_id),
    )
    return config


def build_script(
    sources: Sequence[str], options: ScriptOptions, config: CastConfig | None = None
) -> Script:
    """Read, clean, segment and attribute every source, then cast the speakers."""
    # Segmentation compiles hundreds of patterns at import (~1 s): only commands that segment pay.
    from briefing.segment import segment_article, unify_speakers

    config = config or load_config(options)
    lexicon = load_lexicon(options.lexicons)
    articles = load_articles(sources, options.ingest)
    segmented = [segment_article(a, min_quote_words=options.min_quote_words) for a in articles]
    stories = tuple(
        Story(article, tuple(replace(s, spoken=to_spoken(s.text, lexicon)) for s in segments))
        for article, segments in zip(articles, unify_speakers(segmented), strict=True)
    )
    speakers: list[tuple[str, Gender]] = [
        (segment.speaker, segment.gender)
        for story in stories
        for segment in story.segments
        if segment.kind is SegmentKind.QUOTE and segment.speaker
    ]
    return Script(stories, assign_voices(config, speakers), config, lexicon)


def check_outputs(options: RenderOptions) -> None:
    """Fail before synthesis on an output or transcript path that cannot be written."""
    from briefing.encode import check_output
    from briefing.transcript import check_transcript_path

    check_output(options.output)
    for path in (*options.transcripts, *([options.chapters] if options.chapters else [])):
        check_transcript_path(path)
