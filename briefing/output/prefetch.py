"""Synthesize, ahead of their renders, every clip that several briefings need, all in one run.

A batch's briefings share one clip cache: a story that appears in three of them is synthesized
once. Doing all their synthesis up front, in one executor run, also keeps every worker busy
until the last clip instead of idling while each briefing is encoded; the renders then find
every clip (and its statistics) in the cache. Keys are made exactly as `render` makes them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from briefing.model import Clip, Utterance
from briefing.output.render import render_plan
from briefing.output.timeline import Line
from briefing.speech.clip_cache import ClipCache, clip_key
from briefing.speech.engines import engine_sample_rate, engine_version
from briefing.speech.pool import SynthStats, synthesize_each

if TYPE_CHECKING:
    from briefing.cast.assign import Script
    from briefing.output.options import Progress, RenderOptions
    from briefing.output.render import RenderResult
    from briefing.speech.executor import Executor


def synthesize_ahead(
    briefings: Sequence[tuple[str, Script, RenderOptions]],
    engine: str,
    cache: ClipCache,
    executor: Executor | None,
    progress: Callable[[int, int], None] | None = None,
) -> SynthStats:
    """Make every clip these (named) renders need that `cache` lacks; count what was done.

    A render may still synthesize a clip evicted meanwhile (a small cache); a clip that fails
    here fails its own briefings' renders again, by name.
    """
    version = engine_version(engine)
    pending: dict[int, dict[str, tuple[Utterance, str]]] = {}  # by the briefings' rates
    seen: set[str] = set()
    for name, script, options in briefings:
        rate = options.sample_rate or engine_sample_rate(engine)
        for item in render_plan(script, options):
            if not isinstance(item, Line):
                continue
            key = clip_key(engine, version, item.utterance, sample_rate=rate)
            if key in seen:
                continue
            seen.add(key)
            if cache.get_stats(key) is None or not cache.has(key):
                pending.setdefault(rate, {})[key] = (item.utterance, f"{name}: {item.label}")
    total = sum(len(jobs) for jobs in pending.values())
    stats = SynthStats(cached=len(seen) - total)
    done = 0
    for rate, jobs in pending.items():
        keys = list(jobs)

        def stored(job: int, clip: Clip | None, measured: bytes, keys: list[str] = keys) -> None:
            if clip is not None:  # the worker could not write it: store it here
                cache.put(keys[job], clip)
                cache.put_stats(keys[job], measured)

        synthesize_each(
            [jobs[key][0] for key in keys],
            stored,
            store=(cache, keys),
            engine=engine,
            labels=[jobs[key][1] for key in keys],
            progress=_offset(progress, done, total),
            stats=stats,
            executor=executor,
            sample_rate=rate,
        )
        done += len(keys)
    return stats


def render_on(
    executor: Executor,
    script: Script,
    options: RenderOptions,
    engine: str,
    progress: Progress | None = None,
) -> RenderResult:
    """Render with synthesis on `executor`, closed as soon as every clip is in the cache.

    An embedded cluster's scheduler and idle workers cost CPU the encoding then wants (measured:
    a render's encoding 15 s alone, 26 s beside an idle two-worker LocalCluster on the shared
    2-core machine), so the cluster is released before it; a clip the render still lacks (none,
    unless the cache evicted one) is made by the local pool. Without a cache the render
    synthesizes on the executor itself.
    """
    from briefing.output.render import render

    if not options.use_cache:
        return render(script, options, engine, progress, executor)
    on_synthesis = (lambda d, t: progress("synthesizing", d, t)) if progress else None
    synthesize_ahead([("briefing", script, options)], engine, ClipCache(options.cache_dir),
                     executor, on_synthesis)  # fmt: skip
    executor.close()
    return render(script, options, engine, progress)


def _offset(
    progress: Callable[[int, int], None] | None, before: int, total: int
) -> Callable[[int, int], None] | None:
    """One rate's progress as part of the whole batch's."""
    if progress is None:
        return None
    return lambda done, _: progress(before + done, total)
