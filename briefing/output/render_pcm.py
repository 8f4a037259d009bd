"""Rendering in memory: every clip read, levelled and stitched, the whole briefing measured.

Only for a briefing whose clips come at another sample rate than the briefing's (no engine here
does that); every format is otherwise rendered section by section by `render_keyed`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING

from briefing.model import Briefing, SpokenItem, TimelineItem, Utterance
from briefing.output.options import Progress, RenderOptions
from briefing.output.timeline import Line, PlanItem

if TYPE_CHECKING:
    from briefing.audio.loudness import LoudnessReport
    from briefing.speech.clip_cache import ClipCache
    from briefing.speech.executor import Executor
    from briefing.speech.pool import SynthStats


def render_pcm(
    plan: Sequence[PlanItem],
    options: RenderOptions,
    engine: str,
    cache: ClipCache | None,
    progress: Progress | None,
    stats: SynthStats,
    executor: Executor | None = None,
) -> tuple[Briefing, float, LoudnessReport]:
    """Synthesize, stitch and level the whole briefing in memory and write it."""
    from briefing.audio.encode import write_audio
    from briefing.audio.loudness import level_voices, normalize
    from briefing.audio.stitch import stitch
    from briefing.speech.pool import synthesize_all

    first_label: dict[Utterance, str] = {}
    for item in plan:
        if isinstance(item, Line):
            first_label.setdefault(item.utterance, item.label)
    unique = list(first_label)
    labels = list(first_label.values())
    clips = synthesize_all(
        unique,
        engine=engine,
        jobs=options.jobs,
        cache=cache,
        labels=labels,
        progress=(lambda done, total: progress("synthesizing", done, total)) if progress else None,
        stats=stats,
        executor=executor,
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
    # Drop each full-length copy as soon as the next exists: the clips once stitched, the
    # stitched PCM once normalized (peak memory is about two copies of the briefing's PCM).
    stitched = stitch(level_voices(timeline))
    del timeline
    briefing, report = normalize(stitched, options.loudness)
    del stitched
    write_audio(briefing, options.output, options.tags, jobs=options.jobs or 2)
    if progress:
        progress("encoding", 1, 1)
    return dataclasses.replace(briefing, pcm=b""), briefing.duration, report
