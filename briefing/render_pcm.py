"""Rendering in memory: every clip read, levelled and stitched, the whole briefing measured.

The path for WAV and ffmpeg formats, and for MP3 without a clip cache (`--no-cache`); an MP3
with a cache is rendered from clip statistics by `render_keyed` instead.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING

from briefing.model import Briefing, SpokenItem, TimelineItem, Utterance
from briefing.render import GAIN_STEP_DB, SAMPLE_RATE, Progress, RenderOptions
from briefing.timeline import Line, PlanItem

if TYPE_CHECKING:
    from briefing.cache import ClipCache
    from briefing.encode_sections import Joined, SectionStats
    from briefing.loudness import LoudnessReport
    from briefing.synth import SynthStats


def render_pcm(
    plan: Sequence[PlanItem],
    lines: list[Line],
    unique: list[Utterance],
    options: RenderOptions,
    engine: str,
    cache: ClipCache | None,
    progress: Progress | None,
    stats: SynthStats,
    sections: SectionStats,
) -> tuple[Briefing, float, LoudnessReport]:
    """Synthesize, stitch and level the whole briefing in memory and write it."""
    from briefing.encode import write_audio, write_mp3
    from briefing.encode_sections import split_sections
    from briefing.loudness import LoudnessReport, level_voices, normalize
    from briefing.stitch import stitch
    from briefing.synth import synthesize_all

    first_label: dict[Utterance, str] = {}
    for line in lines:
        first_label.setdefault(line.utterance, line.label)
    labels = [first_label[u] for u in unique]
    clips = synthesize_all(
        unique,
        engine=engine,
        jobs=options.jobs,
        cache=cache,
        labels=labels,
        progress=(lambda done, total: progress("synthesizing", done, total)) if progress else None,
        stats=stats,
    )
    clip_of = dict(zip(unique, clips, strict=True))
    del clips
    timeline: list[TimelineItem] = [
        item
        if not isinstance(item, Line)
        else SpokenItem(
            clip_of[item.utterance], item.text, item.speaker, item.utterance.voice.id, item.story
        )
        for item in plan
    ]
    del clip_of
    if progress:
        progress("encoding", 0, 1)
    if options.output.suffix.lower() == ".mp3":
        parts = [stitch(section) for section in split_sections(level_voices(timeline))]
        del timeline
        joined = _encode_mp3(parts, options, cache, sections)
        del parts
        write_mp3(joined.mp3, options.output, options.tags, joined.timing.chapters)
        briefing, duration = joined.timing, joined.duration
        report = LoudnessReport(joined.loudness_lufs, joined.true_peak_dbtp, 0.0)
    else:
        # Drop each full-length copy as soon as the next exists: the clips once stitched, the
        # stitched PCM once normalized (peak memory is about two copies of the briefing's PCM).
        stitched = stitch(level_voices(timeline))
        del timeline
        briefing, report = normalize(stitched, options.loudness)
        del stitched
        write_audio(briefing, options.output, options.tags, jobs=options.jobs or 2)
        duration = briefing.duration
        briefing = dataclasses.replace(briefing, pcm=b"")
    return briefing, duration, report


def _encode_mp3(
    parts: list[Briefing], options: RenderOptions, cache: ClipCache | None, stats: SectionStats
) -> Joined:
    """Level the briefing as a whole, then encode (or reuse) each story's MP3 section."""
    from briefing.encode_sections import SectionCache, encode_sections
    from briefing.loudness import target_gain

    whole = b"".join(p.pcm for p in parts)  # measured once, then dropped
    gain, ceiling = target_gain(whole, SAMPLE_RATE, options.loudness, -1.0, GAIN_STEP_DB)
    del whole
    sections = SectionCache(cache.directory) if cache is not None else None
    return encode_sections(parts, gain, ceiling, sections, jobs=options.jobs or 2, stats=stats)
