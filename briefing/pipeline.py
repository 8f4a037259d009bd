"""The pipeline: sources → script (stories, cast) → audio file and transcripts.

Nothing here prints; progress is reported through a callback the CLI turns into a bar.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from briefing.cast import CastConfig, assign_voices, load_cast_config, validate_voices
from briefing.engines import check_engine, close_matches, voice_exists
from briefing.ingest import IngestOptions, load_articles
from briefing.lexicon import Lexicon, load_lexicon
from briefing.model import Cast, Gender, SegmentKind, SpokenItem, Story, Tags, TimelineItem
from briefing.normalize import to_spoken
from briefing.segment import segment_article, unify_speakers
from briefing.timeline import Line, Structure, plan_briefing

Progress = Callable[[str, int, int], None]
"""progress(stage, done, total): stage is "synthesizing" or "encoding"."""


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
    tags: Tags = field(default_factory=lambda: Tags(title="News Briefing"))
    transcripts: tuple[Path, ...] = ()
    chapters: Path | None = None


@dataclass(frozen=True)
class RenderResult:
    """What a render made, for the CLI's summary."""

    output: Path
    duration: float
    stories: int
    voices: dict[str, str]
    loudness_lufs: float
    true_peak_dbtp: float
    files: tuple[Path, ...]


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


def render(
    script: Script, options: RenderOptions, engine: str, progress: Progress | None = None
) -> RenderResult:
    """Synthesize, stitch, level and encode the script; write transcripts and chapters."""
    from briefing.cache import ClipCache
    from briefing.encode import write_audio
    from briefing.loudness import level_voices, normalize
    from briefing.stitch import stitch
    from briefing.synth import synthesize_all
    from briefing.transcript import write_chapters, write_transcript

    pauses = replace(script.config.pauses, **options.pause_overrides)
    plan = plan_briefing(
        script.stories, script.cast, pauses, options.structure, options.rate, script.lexicon
    )
    lines = [item for item in plan if isinstance(item, Line) and _has_words(item)]
    unique = list(dict.fromkeys(line.utterance for line in lines))
    labels = [next(ln.label for ln in lines if ln.utterance == u) for u in unique]
    cache = ClipCache(options.cache_dir) if options.use_cache else None
    clips = synthesize_all(
        unique,
        engine=engine,
        jobs=options.jobs,
        cache=cache,
        labels=labels,
        progress=(lambda done, total: progress("synthesizing", done, total)) if progress else None,
    )
    clip_of = dict(zip(unique, clips, strict=True))
    timeline: list[TimelineItem] = []
    for item in plan:
        if not isinstance(item, Line):
            timeline.append(item)
        elif _has_words(item):
            clip = clip_of[item.utterance]
            timeline.append(
                SpokenItem(clip, item.text, item.speaker, item.utterance.voice.id, item.story)
            )
    if progress:
        progress("encoding", 0, 1)
    briefing, report = normalize(stitch(level_voices(timeline)), options.loudness)
    write_audio(briefing, options.output, options.tags, jobs=options.jobs or 2)
    written = [options.output]
    for path in options.transcripts:
        write_transcript(briefing, path)
        written.append(path)
    if options.chapters:
        write_chapters(briefing, options.chapters)
        written.append(options.chapters)
    if progress:
        progress("encoding", 1, 1)
    voices = {"Narrator": script.cast.narrator.id}
    voices.update({name: voice.id for name, voice in script.cast.speakers.items()})
    if any(
        s.kind is SegmentKind.QUOTE and not s.speaker for st in script.stories for s in st.segments
    ):
        voices["(unattributed)"] = script.cast.unattributed.id
    return RenderResult(
        output=options.output,
        duration=briefing.duration,
        stories=len(script.stories),
        voices=voices,
        loudness_lufs=report.integrated_lufs,
        true_peak_dbtp=report.true_peak_dbtp,
        files=tuple(written),
    )


def _has_words(line: Line) -> bool:
    # A piece that is only punctuation (a lone dash, an ellipsis) has nothing to say; eSpeak
    # would return silence that fails clip verification.
    return any(ch.isalnum() for ch in line.utterance.text)
