"""Synthesis ahead of a render: the clips it will need, made before it asks for them.

- `synthesize_ahead`: every clip several briefings need, in one run. A batch's briefings share
  one clip cache: a story that appears in three of them is synthesized once. Doing all their
  synthesis up front also keeps every worker busy until the last clip instead of idling while
  each briefing is encoded.
- `NarrationAhead`: the narrator's lines of articles still being attributed. Attribution's
  dependency parse takes seconds on one core while the other idles, and the narration (about
  three quarters of a news briefing's audio) does not depend on who said the quotes, so it is
  synthesized meanwhile, from the articles' pattern-only segmentation, on a pool whose warm
  workers then pass to the render's.

Either way the renders find the clips (and their statistics) in the cache: keys are made
exactly as `render` makes them, so a guess that turns out wrong costs only its work.
"""

from __future__ import annotations

import logging
import threading
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
        _fill_cache(jobs, cache, engine, rate, executor, _offset(progress, done, total), stats)
        done += len(jobs)
    return stats


def _fill_cache(
    jobs: dict[str, tuple[Utterance, str]],
    cache: ClipCache,
    engine: str,
    rate: int,
    executor: Executor | None,
    progress: Callable[[int, int], None] | None = None,
    stats: SynthStats | None = None,
) -> None:
    """Synthesize `jobs` (clip key -> utterance, label) at `rate` into `cache`."""
    keys = list(jobs)

    def stored(job: int, clip: Clip | None, measured: bytes) -> None:
        if clip is not None:  # the worker could not write it: store it here
            cache.put(keys[job], clip)
            cache.put_stats(keys[job], measured)

    synthesize_each(
        [jobs[key][0] for key in keys],
        stored,
        store=(cache, keys),
        engine=engine,
        labels=[jobs[key][1] for key in keys],
        progress=progress,
        stats=stats,
        executor=executor,
        sample_rate=rate,
    )


AHEAD_TIMEOUT = 10.0
"""Seconds a line synthesized ahead may take (eSpeak makes a minute of speech in ~0.1 s)."""


class NarrationAhead:
    """Synthesize a provisional script's narrator lines into the clip cache, in a thread.

    `start` (called once the articles are segmented by the patterns alone) returns at once;
    `finish` waits until those clips are in the cache, and must come before the render's own
    synthesis, which would otherwise make them twice; `cancel` stops early (errors, Ctrl-C).
    A clip that fails here is left to the render, which makes it again and reports it.
    """

    def __init__(self, options: RenderOptions, engine: str) -> None:
        self.options = options
        self.engine = engine
        self.cache = ClipCache(options.cache_dir)
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self.queued = 0
        """Clips sent to synthesis ahead of the render."""

    def start(self, script: Script) -> None:
        """Queue the script's narrator lines that the cache lacks; synthesize them meanwhile."""
        if not self.cache.writable():  # the render goes without the cache: nothing to fill
            return
        rate = self.options.sample_rate or engine_sample_rate(self.engine)
        version = engine_version(self.engine)
        jobs: dict[str, tuple[Utterance, str]] = {}
        narrator = script.cast.narrator
        for item in render_plan(script, self.options):
            if not isinstance(item, Line) or item.speaker is not None:
                continue
            if item.utterance.voice != narrator:
                continue
            key = clip_key(self.engine, version, item.utterance, sample_rate=rate)
            if key not in jobs and not self.cache.has(key):
                jobs[key] = (item.utterance, item.label)
        self.queued = len(jobs)
        if jobs and self._thread is None:
            self._thread = threading.Thread(
                target=self._run, args=(jobs, rate), name="narration-ahead", daemon=True
            )
            self._thread.start()

    def _run(self, jobs: dict[str, tuple[Utterance, str]], rate: int) -> None:
        from briefing.speech.process_pool import LocalPool

        # Speculative work gives up at the first sign of trouble (an engine that fails or hangs
        # on a line): the render makes that clip itself, with its own retry and error.
        pool = LocalPool(
            self.options.jobs, AHEAD_TIMEOUT, hand_on=True, cancel=self._cancel, retries=0
        )
        try:
            _fill_cache(jobs, self.cache, self.engine, rate, pool)
        except Exception:  # a guess ahead must never fail the render
            # The render makes any clip missing here again, and names it if that fails too.
            logging.getLogger(__name__).debug("narration ahead stopped", exc_info=True)

    def finish(self) -> None:
        """Wait until every queued clip is made (or given up on)."""
        if self._thread is not None:
            self._thread.join()

    def cancel(self) -> None:
        """Stop synthesizing ahead and wait for the pool to stop its workers."""
        self._cancel.set()
        self.finish()


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
