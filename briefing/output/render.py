"""Rendering: a script → the audio file, its transcripts and chapters, reusing cached work.

Synthesizes (or takes from the clip cache) every line, levels and stitches the voices, brings the
briefing to its target loudness and encodes it section by section (a paragraph each): an MP3's
unchanged sections are reused, and a render identical to a cached one is copied instead of redone.
Nothing here prints; progress is reported through a callback the CLI turns into a bar.
"""

from __future__ import annotations

import contextlib
import logging
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.model import (
    Briefing,
    Chapter,
    Cue,
    SegmentKind,
    Utterance,
)
from briefing.output.finished import (
    CachedRender,
    KeyedItem,
    RenderCache,
    render_key,
    script_key,
)
from briefing.output.options import Progress, RenderOptions
from briefing.output.timeline import Line, PlanItem, plan_briefing
from briefing.speech.clip_cache import clip_key
from briefing.speech.engines import engine_sample_rate, engine_version

if TYPE_CHECKING:
    from briefing.cast.assign import Script
    from briefing.speech.executor import Executor

GAIN_STEP_DB = 0.25
"""The briefing's gain is rounded to this, so a small edit leaves the other stories' audio as is."""


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
    clips_synthesized: int = 0
    """Clips the engine made in this render (the rest came from the clip cache)."""
    reused_output: bool = False
    """The audio was a finished render from the cache: nothing was stitched or encoded."""
    sections_encoded: int = 0
    """MP3 story sections encoded in this render (the rest came from the section cache)."""
    clips_read: int = 0
    """Clips read from the clip cache (an MP3 render reads only the clips of changed stories)."""
    sections_written: int = 0
    """Sections the audio was written in (encoded now or from the section cache)."""
    sample_rate: int = 0
    """The briefing's sample rate."""


def render(
    script: Script,
    options: RenderOptions,
    engine: str,
    progress: Progress | None = None,
    executor: Executor | None = None,
) -> RenderResult:
    """Synthesize, stitch, level and encode the script; write transcripts and chapters.

    `executor` is where synthesis runs (None: the local process pool; see `speech.executor`).
    """
    from briefing.output.readalong_files import is_epub, wants_readalong, write_readalong
    from briefing.speech.clip_cache import ClipCache

    if is_epub(options.output):
        return _render_epub(script, options, engine, progress, executor)

    plan: list[PlanItem] | None = None
    sample_rate = options.sample_rate or engine_sample_rate(engine)
    cache = ClipCache(options.cache_dir) if options.use_cache else None
    if cache is not None and not cache.writable():
        # Every clip would be made, fail to be stored, and be made again to be read back.
        logging.getLogger(__name__).warning(
            f"the cache in {cache.directory} cannot be written (read-only or full); "
            "rendering without it"
        )
        cache = None
    renders = key = None
    if cache is not None:
        renders = RenderCache(cache.directory)
        laid_out = script_key(script, replace(options, sample_rate=sample_rate), engine,
                              engine_version(engine))  # fmt: skip
        key = renders.indexed(laid_out)
        hit = renders.get(key) if key is not None else None
        if hit is None:
            plan = render_plan(script, options)
            key = _render_key(plan, options, engine, sample_rate)
            renders.index(laid_out, key)
            hit = renders.get(key)
        if hit is not None:
            written = _reuse(hit, options, sample_rate)
            if wants_readalong(options):
                plan = plan or render_plan(script, options)
                written += write_readalong(script, plan, hit.cues, hit.chapters, options)
            return RenderResult(
                output=options.output,
                duration=hit.duration,
                stories=len(script.stories),
                voices=_voices(script),
                loudness_lufs=hit.loudness_lufs,
                true_peak_dbtp=hit.true_peak_dbtp,
                files=tuple(written),
                reused_output=True,
                sample_rate=sample_rate,
            )
    # Imported only now: a reused render needs none of numpy or lameenc.
    from briefing.audio.loudness import LoudnessReport
    from briefing.output.mp3_sections import SectionCache, SectionStats
    from briefing.speech.allocator import keep_freed_buffers
    from briefing.speech.pool import SynthStats

    plan = plan or render_plan(script, options)
    keep_freed_buffers()
    stats = SynthStats()
    sections = SectionStats()
    with contextlib.ExitStack() as stack:
        from briefing.output.sectioned import render_sectioned

        # Without a cache the clips still go to disk (a temporary directory) as they arrive:
        # no format holds the briefing's audio in memory.
        clips = cache or ClipCache(Path(stack.enter_context(_temporary_directory())))
        store = SectionCache(cache.directory) if cache is not None else None
        made = render_sectioned(plan, options, engine, clips, store, sample_rate, GAIN_STEP_DB,
                                progress, stats, sections, executor)  # fmt: skip
    briefing, duration = made.timing, made.duration
    report = LoudnessReport(made.loudness_lufs, made.true_peak_dbtp, 0.0)
    written = [
        options.output,
        *_write_texts(briefing.cues, briefing.chapters, options, sample_rate),
    ]
    written += write_readalong(script, plan, briefing.cues, briefing.chapters, options)
    if renders is not None and key is not None:
        renders.put(
            key,
            options.output,
            briefing.cues,
            briefing.chapters,
            duration=duration,
            loudness_lufs=report.integrated_lufs,
            true_peak_dbtp=report.true_peak_dbtp,
        )
    return RenderResult(
        output=options.output,
        duration=duration,
        stories=len(script.stories),
        voices=_voices(script),
        loudness_lufs=report.integrated_lufs,
        true_peak_dbtp=report.true_peak_dbtp,
        files=tuple(written),
        clips_synthesized=stats.synthesized,
        sections_encoded=sections.encoded,
        clips_read=cache.reads if cache is not None else 0,
        sections_written=made.sections,
        sample_rate=sample_rate,
    )


def _render_epub(
    script: Script,
    options: RenderOptions,
    engine: str,
    progress: Progress | None,
    executor: Executor | None,
) -> RenderResult:
    """`-o FILE.epub`: an MP3 rendered into a temporary folder, then put inside the book."""
    with tempfile.TemporaryDirectory(prefix="briefing-epub-") as folder:
        audio = Path(folder) / f"{options.output.stem}.mp3"
        inner = replace(options, output=audio, epub=options.output)
        result = render(script, inner, engine, progress, executor)
    files = tuple(path for path in result.files if path != audio)
    return replace(result, output=options.output, files=files)


def render_plan(script: Script, options: RenderOptions) -> list[PlanItem]:
    """What the briefing says, in order: the lines to synthesize, pauses, chimes, chapters."""
    pauses = replace(script.config.pauses, **options.pause_overrides)
    plan = plan_briefing(
        script.stories, script.cast, pauses, options.structure, options.rate, script.lexicon
    )
    return [item for item in plan if not isinstance(item, Line) or _has_words(item)]


def _temporary_directory() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="briefing-clips-")


def _render_key(
    plan: Sequence[PlanItem], options: RenderOptions, engine: str, sample_rate: int
) -> str:
    """The render cache's key for this plan and these output settings."""
    version = engine_version(engine)
    keys: dict[Utterance, str] = {}
    items: list[KeyedItem] = []
    for item in plan:
        if isinstance(item, Line):
            u = item.utterance
            if u not in keys:
                keys[u] = clip_key(engine, version, u, sample_rate=sample_rate)
            items.append((keys[u], item.text, item.speaker, u.voice.id, item.story))
        else:
            items.append(item)
    return render_key(
        items,
        extension=options.output.suffix,
        loudness=options.loudness,
        tags=options.tags,
        sample_rate=sample_rate,
        encoder=(options.bitrate_kbps, options.channels, options.true_peak_dbtp),
    )


def _reuse(hit: CachedRender, options: RenderOptions, sample_rate: int) -> list[Path]:
    """Copy a cached render into place atomically and write its transcripts and chapters."""
    from briefing.atomic import atomic_path
    from briefing.errors import EncodeError
    from briefing.output.finished import link_or_copy

    try:
        with atomic_path(options.output) as tmp:
            link_or_copy(hit.audio, tmp)
    except OSError as e:
        raise EncodeError(f"{options.output}: cannot write audio: {e.strerror or e}") from e
    return [options.output, *_write_texts(hit.cues, hit.chapters, options, sample_rate)]


def _write_texts(
    cues: tuple[Cue, ...], chapters: tuple[Chapter, ...], options: RenderOptions, sample_rate: int
) -> list[Path]:
    """Write every transcript and the chapters file; return their paths."""
    from briefing.output.transcript import write_chapters, write_transcript

    timed = Briefing(pcm=b"", sample_rate=sample_rate, cues=cues, chapters=chapters)
    written: list[Path] = []
    for path in options.transcripts:
        write_transcript(timed, path)
        written.append(path)
    if options.chapters:
        write_chapters(timed, options.chapters)
        written.append(options.chapters)
    return written


def _voices(script: Script) -> dict[str, str]:
    """Who reads in which voice, for the CLI's summary."""
    voices = {"Narrator": script.cast.narrator.id}
    voices.update({name: voice.id for name, voice in script.cast.speakers.items()})
    if any(
        s.kind is SegmentKind.QUOTE and not s.speaker for st in script.stories for s in st.segments
    ):
        voices["(unattributed)"] = script.cast.unattributed.id
    return voices


def _has_words(line: Line) -> bool:
    # A piece that is only punctuation (a lone dash, an ellipsis) has nothing to say; eSpeak
    # would return silence that fails clip verification.
    return any(ch.isalnum() for ch in line.utterance.text)
