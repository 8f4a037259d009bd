"""The pipeline's first half: sources → script (stories, cast); `briefing.output` makes the audio.

Each local document's articles and segments come from the script cache when its bytes, the
options and the code are unchanged (`briefing.script.cache`). Nothing here prints.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.cast.assign import Script, assign_voices
from briefing.cast.config import CastConfig, load_cast_config, validate_voices
from briefing.errors import ConfigError, InputError
from briefing.model import Article, Gender, Segment, SegmentKind, Story
from briefing.script.cache import ScriptCache, document_key
from briefing.script.lexicon import Lexicon, load_lexicon
from briefing.script.speakers import unify_speakers
from briefing.sources import (
    IngestOptions,
    RawDocument,
    document_format,
    parse_document,
    read_documents,
)
from briefing.sources.read import directory_files, is_url
from briefing.speech.engines import (
    check_engine,
    close_matches,
    unsupported_setting,
    voice_exists,
)

if TYPE_CHECKING:
    from briefing.output.options import RenderOptions


@dataclass(frozen=True)
class ScriptOptions:
    """What turns sources into a script: ingest, cast, lexicon, quote and cache settings."""

    ingest: IngestOptions = field(default_factory=IngestOptions)
    cast_file: Path | None = None
    lexicons: tuple[Path, ...] = ()
    min_quote_words: int = 4
    engine: str | None = None
    """The speech engine; None: the cast file's `engine`, else pyttsx3."""
    cache_dir: Path | None = None
    """Where the script cache lives (under `scripts/`); None: the user cache directory."""
    use_cache: bool = True
    """Read and write the script cache (`--no-cache` turns it off with the clip cache)."""


def load_config(options: ScriptOptions) -> CastConfig:
    """Load the cast and check every voice against the engine, before any work is done."""
    config = load_cast_config(options.cast_file, options.engine)
    engine = config.engine
    check_engine(engine)
    validate_voices(
        config,
        lambda voice_id: voice_exists(engine, voice_id),
        lambda voice_id: close_matches(engine, voice_id),
        lambda voice: unsupported_setting(engine, voice.id, voice.pitch),
    )
    return config


@dataclass(frozen=True)
class _Document:
    """One source document's articles, with their segments when the script cache had them."""

    key: str | None
    articles: tuple[Article, ...]
    segments: tuple[tuple[Segment, ...], ...] | None


Provisional = Callable[["Script"], None]
"""Called, before attribution's parse, with the articles the script cache lacked, segmented by
the patterns alone: their narration is final already (`output.prefetch.NarrationAhead`)."""


def build_script(
    sources: Sequence[str],
    options: ScriptOptions,
    config: CastConfig | None = None,
    provisional: Provisional | None = None,
) -> Script:
    """Read, clean, segment and attribute every source, then cast the speakers."""
    config = config or load_config(options)
    lexicon = load_lexicon(options.lexicons)
    cache = ScriptCache(options.cache_dir) if options.use_cache else None
    # Every document is read and parsed (or found in the cache) before any is segmented, so
    # input errors come first and in source order, as they do without a cache.
    documents = [
        _read(raw, options, lexicon, cache) for raw in read_documents(sources, options.ingest)
    ]
    if provisional is not None:
        _announce(documents, options, config, lexicon, provisional)
    articles: list[Article] = []
    segmented: list[tuple[Segment, ...]] = []
    stored = False
    for document in documents:
        segments = document.segments
        if segments is None:
            segments = _segment(document.articles, options.min_quote_words, lexicon, cues=cache)
            if cache is not None and document.key is not None:
                cache.put(document.key, list(zip(document.articles, segments, strict=True)))
                stored = True
        articles += document.articles
        segmented += segments
    if cache is not None and stored:
        cache.prune()
    stories = tuple(
        Story(article, segments)
        for article, segments in zip(articles, unify_speakers(segmented), strict=True)
    )
    speakers: list[tuple[str, Gender]] = [
        (segment.speaker, segment.gender)
        for story in stories
        for segment in story.segments
        if segment.kind is SegmentKind.QUOTE and segment.speaker
    ]
    return Script(stories, assign_voices(config, speakers), config, lexicon)


def _announce(
    documents: Sequence[_Document],
    options: ScriptOptions,
    config: CastConfig,
    lexicon: Lexicon,
    provisional: Provisional,
) -> None:
    """Hand `provisional` the uncached articles, segmented without the parse (cheap: ~10 ms an
    article), cast without speakers: only their narrator lines are meant to be used."""
    articles = [a for d in documents if d.segments is None for a in d.articles]
    if not articles:
        return
    segments = _segment(articles, options.min_quote_words, lexicon, mode="rules")
    stories = tuple(Story(a, s) for a, s in zip(articles, segments, strict=True))
    provisional(Script(stories, assign_voices(config, []), config, lexicon))


def _read(
    raw: RawDocument, options: ScriptOptions, lexicon: Lexicon, cache: ScriptCache | None
) -> _Document:
    """A document from the script cache, else parsed (its segments are made later)."""
    if cache is None:
        return _Document(None, tuple(parse_document(raw, options.ingest)), None)
    kind = document_format(raw, options.ingest)
    key = document_key(raw, kind, options.ingest, options.min_quote_words, lexicon)
    cached = cache.get(key) if key is not None else None
    if cached is None:
        return _Document(key, tuple(parse_document(raw, options.ingest)), None)
    return _Document(key, tuple(a for a, _ in cached), tuple(s for _, s in cached))


def _segment(
    articles: Sequence[Article],
    min_quote_words: int,
    lexicon: Lexicon,
    mode: str | None = None,
    cues: ScriptCache | None = None,
) -> tuple[tuple[Segment, ...], ...]:
    """Each article's segments with their spoken forms: what the script cache keeps (`cues`
    keeps the parse's cues of each paragraph, so an edited article re-parses only what changed).

    Spoken forms depend on a segment's text and the lexicon only, never on its speaker, so
    they are made here, before speaker names are unified across stories.
    """
    # Segmentation compiles hundreds of patterns at import: only a build with an article the
    # script cache does not have pays for it.
    from briefing.script.confidence import MODES
    from briefing.script.normalize import to_spoken
    from briefing.script.segment import segment_article

    how = mode or MODES[0]
    return tuple(
        tuple(
            replace(s, spoken=to_spoken(s.text, lexicon))
            for s in segment_article(article, min_quote_words=min_quote_words, mode=how, cues=cues)
        )
        for article in articles
    )


def script_from(
    sources: Sequence[str],
    options: ScriptOptions,
    config: CastConfig,
    provisional: Provisional | None = None,
) -> Script:
    """The script of the sources: one script JSON file read as it is, else built from articles."""
    if is_script_file(sources):
        return read_script_file(Path(sources[0]), options, config)
    return build_script(sources, options, config, provisional)


def is_script_file(sources: Sequence[str]) -> bool:
    """Whether the sources are one script JSON file (`script --format json`, maybe edited)."""
    return len(sources) == 1 and sources[0].lower().endswith(".json") and Path(sources[0]).is_file()


def read_script_file(path: Path, options: ScriptOptions, config: CastConfig) -> Script:
    """The script a producer edited: its segments, speakers and voices, checked, as they are."""
    from briefing.cast.script_json import read_script_json
    from briefing.errors import InputError

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: cannot read script: {e}") from e
    lexicon = load_lexicon(options.lexicons)
    exists = functools.partial(voice_exists, config.engine)
    return read_script_json(text, str(path), config, lexicon, exists)


def check_readable(script: Script, title: str = "") -> None:
    """InputError, before any synthesis, for text in a script the English voices cannot read."""
    from briefing.script.writing import foreign_script

    if title and (found := foreign_script(title)) is not None:
        raise InputError(f"--title is written in {found} script, {_UNREADABLE}")
    for story in script.stories:
        for segment in story.segments:
            found = foreign_script(segment.text)
            if found is None:
                continue
            where = "headline" if segment.paragraph < 0 else f"paragraph {segment.paragraph + 1}"
            raise InputError(
                f"{story.article.source}: {where} is written in {found} script, {_UNREADABLE}",
                hint="briefing reads English; remove or translate that text",
            )


_UNREADABLE = "which the English voices cannot read"


def check_outputs(options: RenderOptions, sources: Sequence[str] = ()) -> None:
    """Fail before synthesis on an output path that cannot be written, that names an input
    (it would be destroyed) or that names another output (one would be lost)."""
    from briefing.audio.formats import check_output
    from briefing.output.readalong_files import check_readalong_paths, is_epub
    from briefing.output.transcript import check_transcript_path

    if not is_epub(options.output):  # -o FILE.epub: the MP3 made for it goes inside
        check_output(options.output)
    check_readalong_paths(options)
    named = [("-o", options.output)] + [("--transcript", path) for path in options.transcripts]
    if options.chapters:
        named.append(("--chapters", options.chapters))
    for _, path in named[1:]:
        check_transcript_path(path)
    named += [(flag, path) for flag, path in (("--page", options.page), ("--epub", options.epub))
              if path is not None]  # fmt: skip
    inputs = _input_files(sources)
    seen: dict[str, str] = {}
    for option, path in named:
        identity = _identity(path)
        if identity in seen:
            raise ConfigError(f"{path}: named twice as an output ({seen[identity]} and {option})")
        seen[identity] = option
        if identity in inputs:
            raise ConfigError(f"{path}: {option} names an input article; it would be overwritten")


def _identity(path: Path) -> str:
    """What two names of one file share: device and inode when it exists, else its real path."""
    try:
        found = path.stat()
        return f"{found.st_dev}:{found.st_ino}"
    except OSError:
        return str(path.resolve())


def _input_files(sources: Sequence[str]) -> set[str]:
    """The identities of the local files the sources read (directories: the files inside)."""
    found: set[str] = set()
    for source in sources:
        if source == "-" or is_url(source):
            continue
        path = Path(source)
        if path.is_dir():
            with contextlib.suppress(InputError):
                found.update(_identity(p) for p, _ in directory_files(path, source))
        elif path.exists():
            found.add(_identity(path))
    return found
