"""Rendering from the clip cache's statistics, written to disk section by section.

Every clip has its loudness statistics beside it in the cache (`clip_stats`, measured by the
synthesis worker that made it), so the voices' levelling gains and the briefing's gain are found
without its audio, and each section's encoded MP3 is cached under its clip keys, voice gains,
pauses, the briefing's gain and the encoder settings. A section whose key is cached is written
as it is: its clips are not read. A section that is not is stitched from its clips (read back
from the cache), levelled, gained, limited and encoded. No stage holds the briefing's audio:
clips go to the cache as they arrive, sections to the output file as they are ready.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, BinaryIO

from briefing.audio.bs1770 import I16
from briefing.audio.clip_stats import (
    ClipStats,
    Item,
    briefing_gain,
    clip_stats,
    estimated_loudness,
    silent_steps,
    voice_gains,
)
from briefing.audio.loudness import CODEC_MARGIN_DB
from briefing.audio.stitch import chime_pcm, laid_length, lay_out, pause_pcm
from briefing.errors import SynthesisError
from briefing.model import Briefing, Chime, Clip, Pause, SpokenItem, TimelineItem, Utterance
from briefing.output.levelled import levelled_pcm
from briefing.output.mp3_sections import (
    Joined,
    SectionCache,
    SectionStats,
    encode_keyed,
    join_shortening,
    section_settings,
    split_sections,
)
from briefing.output.pcm_sections import write_pcm_sections
from briefing.output.timeline import Line, PlanItem
from briefing.speech.clip_cache import ClipCache, clip_key
from briefing.speech.engines import engine_version
from briefing.speech.pool import SynthStats, synthesize_all, synthesize_each

if TYPE_CHECKING:
    from briefing.output.options import Progress, RenderOptions
    from briefing.speech.executor import Executor

_FORMAT = b"BRK2"


@dataclass(frozen=True)
class SectionedRender:
    """What `render_sectioned` wrote."""

    timing: Briefing
    """Cues and chapters at their places in the file (no PCM)."""
    duration: float
    loudness_lufs: float
    """The level the gains were set for, estimated from the clips' statistics."""
    true_peak_dbtp: float
    sections: int
    """Sections written (encoded now or taken from the section cache)."""


def render_sectioned(
    plan: Sequence[PlanItem],
    options: RenderOptions,
    engine: str,
    cache: ClipCache,
    sections_cache: SectionCache | None,
    sample_rate: int,
    gain_step_db: float,
    progress: Progress | None,
    synth: SynthStats,
    sections: SectionStats,
    executor: Executor | None = None,
) -> SectionedRender:
    """Synthesize what the cache lacks and write the audio, section by section.

    Every clip is at `sample_rate`: the workers resample a clip made at another rate once,
    before it is measured and cached (its key carries the rate). `executor`: where synthesis
    runs (None: the local process pool)."""
    from briefing.audio.encode import write_mp3_stream

    lines = [item for item in plan if isinstance(item, Line)]
    first_label: dict[Utterance, str] = {}
    for line in lines:
        first_label.setdefault(line.utterance, line.label)
    unique = list(first_label)
    version = engine_version(engine)
    keys = {u: clip_key(engine, version, u, sample_rate=sample_rate) for u in unique}
    stats: dict[str, ClipStats] = {}
    pending: list[Utterance] = []
    for u in unique:
        found = _stored_stats(cache, keys[u])
        if found is None:
            pending.append(u)
        else:
            stats[keys[u]] = found
    cached = len(unique) - len(pending)
    synth.cached += cached
    if progress is not None:
        progress("synthesizing", cached, len(unique))

    def arrived(job: int, clip: Clip | None, data: bytes) -> None:
        # Workers write clips into the cache; sections read them back when encoded. A clip
        # that comes back instead (the worker could not write it) is stored here, or made
        # again later if that fails too.
        key = keys[pending[job]]
        if clip is not None:
            cache.put(key, clip)
            cache.put_stats(key, data)
        found = ClipStats.from_bytes(data)
        if found is None:  # never expected: the worker measured it with this very code
            raise SynthesisError(f"unreadable statistics for {first_label[pending[job]]}")
        stats[key] = found

    synthesize_each(
        pending,
        arrived,
        store=(cache, [keys[u] for u in pending]),
        engine=engine,
        jobs=options.jobs,
        labels=[first_label[u] for u in pending],
        progress=(lambda d, t: progress("synthesizing", d + cached, t + cached))
        if progress
        else None,
        stats=synth,
        executor=executor,
        sample_rate=sample_rate,
    )
    if any(s.sample_rate != sample_rate for s in stats.values()):  # never expected (see above)
        raise SynthesisError(f"a clip is not at the briefing's {sample_rate} Hz")

    timeline: list[TimelineItem] = []
    key_of: dict[int, str] = {}
    placeholder = Clip(b"", sample_rate)
    for item in plan:
        if isinstance(item, Line):
            u = item.utterance
            spoken = SpokenItem(placeholder, item.text, item.speaker, u.voice.id, item.story)
            key_of[id(spoken)] = keys[u]
            timeline.append(spoken)
        else:
            timeline.append(item)
    measured: list[Item] = []
    for entry in timeline:
        if isinstance(entry, SpokenItem):
            measured.append((stats[key_of[id(entry)]], entry.voice_id))
        elif isinstance(entry, Pause | Chime):
            make = pause_pcm if isinstance(entry, Pause) else chime_pcm
            n = len(make(entry.ms, sample_rate))
            measured.append(silent_steps(n // 2, sample_rate))
    levels = voice_gains(measured, sample_rate)
    ceiling = options.true_peak_dbtp - CODEC_MARGIN_DB
    gain = briefing_gain(measured, levels, sample_rate, options.loudness, ceiling, gain_step_db)
    loudness = estimated_loudness(measured, levels, sample_rate, gain, ceiling)

    is_mp3 = options.output.suffix.lower() == ".mp3"
    parts = split_sections(timeline, join_shortening(sample_rate) if is_mp3 else (0, 0))
    settings = section_settings(gain, ceiling, sample_rate, options.bitrate_kbps, options.channels)
    timings, lengths, section_keys = [], [], []
    for part in parts:
        said = [stats[key_of[id(i)]].samples for i in part if isinstance(i, SpokenItem)]
        timings.append(lay_out(part, said, sample_rate))
        lengths.append(laid_length(part, said, sample_rate))
        section_keys.append(_section_key(part, key_of, levels, settings))

    def pcm_of(i: int) -> I16:
        real: list[TimelineItem] = []
        for item in parts[i]:
            if isinstance(item, SpokenItem):
                key = key_of[id(item)]
                clip = cache.get(key) or _resynthesize(key, keys, engine, cache, sample_rate)
                real.append(replace(item, clip=clip))
            else:
                real.append(item)
        return levelled_pcm(real, levels, sample_rate)

    on_encode = (lambda d, t: progress("encoding", d, t)) if progress else None
    jobs = options.jobs or os.cpu_count() or 2
    if not is_mp3:
        joined = write_pcm_sections(options.output, options.tags, timings, lengths, pcm_of, gain,
                                    ceiling, jobs=jobs, progress=on_encode,
                                    channels=options.channels)  # fmt: skip
        return SectionedRender(
            joined.timing, joined.duration, loudness, joined.true_peak_dbtp, len(parts)
        )

    def write(out: BinaryIO) -> Joined:
        return encode_keyed(section_keys, timings, pcm_of, gain, ceiling, sections_cache, out,
                            jobs=jobs, stats=sections, progress=on_encode,
                            bitrate_kbps=options.bitrate_kbps,
                            channels=options.channels)  # fmt: skip

    joined = write_mp3_stream(options.output, options.tags, write)
    return SectionedRender(
        joined.timing, joined.duration, loudness, joined.true_peak_dbtp, len(parts)
    )


def _stored_stats(cache: ClipCache, key: str) -> ClipStats | None:
    """The clip's statistics: from its side file, else measured now (the clip is read once)."""
    data = cache.get_stats(key)
    found = ClipStats.from_bytes(data) if data is not None else None
    if found is not None:
        return found
    clip = cache.get(key)
    if clip is None:
        return None
    found = clip_stats(clip)
    cache.put_stats(key, found.to_bytes())
    return found


def _resynthesize(
    key: str, keys: dict[Utterance, str], engine: str, cache: ClipCache, sample_rate: int
) -> Clip:
    """A clip evicted from the cache since its statistics were read: make it again."""
    utterance = next(u for u, k in keys.items() if k == key)
    clips = synthesize_all([utterance], engine=engine, jobs=1, cache=cache, sample_rate=sample_rate)
    return clips[0]


def _section_key(
    part: Sequence[TimelineItem], key_of: dict[int, str], levels: dict[str, float], settings: bytes
) -> str:
    """sha256 over what shapes a section's audio: clips, their voices' gains, pauses, chimes."""
    fields: list[object] = []
    for item in part:
        if isinstance(item, SpokenItem):
            fields.append([key_of[id(item)], levels[item.voice_id]])
        elif isinstance(item, Pause):
            fields.append(["pause", item.ms])
        elif isinstance(item, Chime):
            fields.append(["chime", item.ms])
    blob = json.dumps(fields).encode()
    return hashlib.sha256(_FORMAT + settings + blob).hexdigest()
