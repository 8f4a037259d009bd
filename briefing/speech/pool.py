"""Synthesize utterances: cache first, then an executor (by default the local process pool).

`synthesize_all` returns clips (the clip cache first, identical utterances once);
`synthesize_each` hands each clip on as it arrives and keeps none. Where the work runs is the
executor's business (`briefing.speech.executor`): worker processes here (`process_pool`) or a
Dask cluster (`dask_executor`); clips that come back with their audio are written into the
cache here, those a local worker stored are only counted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from briefing import errors
from briefing.model import Clip, Utterance
from briefing.speech.clip_cache import ClipCache, clip_key, entry_bytes
from briefing.speech.engines import engine_sample_rate, engine_version
from briefing.speech.executor import Executor, SynthJob, SynthResult

Progress = Callable[[int, int], None]


@dataclass
class SynthStats:
    """What `synthesize_all` did: clips found in the cache and clips the engine made."""

    cached: int = 0
    synthesized: int = 0


def synthesize_all(
    utterances: Sequence[Utterance],
    *,
    engine: str = "pyttsx3",
    jobs: int | None = None,
    cache: ClipCache | None = None,
    labels: Sequence[str] | None = None,
    progress: Progress | None = None,
    timeout: float = 60.0,
    stats: SynthStats | None = None,
    executor: Executor | None = None,
    sample_rate: int | None = None,
) -> list[Clip]:
    """Synthesize every utterance (cache first, then `executor`: by default the local pool).

    Clips come at `sample_rate` (default: the engine's own), resampled by the workers."""
    total = len(utterances)
    names = list(labels) if labels is not None else [f"segment {i + 1}" for i in range(total)]
    # Identical utterances (a repeated sign-off, say) are synthesized once.
    unique: dict[Utterance, list[int]] = {}
    for i, utterance in enumerate(utterances):
        unique.setdefault(utterance, []).append(i)
    results: list[Clip | None] = [None] * total
    keys: dict[Utterance, str] = {}
    pending: list[Utterance] = []
    version = engine_version(engine) if cache is not None else ""
    rate = sample_rate or engine_sample_rate(engine)
    for utterance, where in unique.items():
        clip = None
        if cache is not None:
            keys[utterance] = clip_key(engine, version, utterance, sample_rate=rate)
            clip = cache.get(keys[utterance])
        if clip is None:
            pending.append(utterance)
        for i in where:
            results[i] = clip
    done = total - sum(len(unique[u]) for u in pending)
    if stats is not None:
        stats.cached += len(unique) - len(pending)
    if progress is not None:
        progress(done, total)

    def deliver(job: int, clip: Clip | None, measured: bytes) -> None:
        nonlocal done
        assert clip is not None  # no store: every clip comes back
        utterance = pending[job]
        if cache is not None:
            cache.put(keys[utterance], clip)
            cache.put_stats(keys[utterance], measured)
        for i in unique[utterance]:
            results[i] = clip
        done += len(unique[utterance])  # a repeated utterance counts once per use
        if progress is not None:
            progress(done, total)

    synthesize_each(
        pending,
        deliver,
        engine=engine,
        jobs=jobs,
        labels=[names[unique[u][0]] for u in pending],
        timeout=timeout,
        stats=stats,
        executor=executor,
        sample_rate=rate,
    )
    clips = [clip for clip in results if clip is not None]
    if len(clips) != total:  # never hand the stitcher a briefing with a hole in it
        missing = next(i for i, clip in enumerate(results) if clip is None)
        raise errors.SynthesisError(f"no audio for {names[missing]}")
    return clips


Deliver = Callable[[int, Clip | None, bytes], None]
"""deliver(index, clip, stats): called in the main thread as each clip arrives; `stats` is the
clip's `briefing.audio.clip_stats.ClipStats` in side-file form, measured by the worker. `clip` is
None when the worker wrote it into the clip cache itself (see `synthesize_each`'s `store`)."""


def synthesize_each(
    utterances: Sequence[Utterance],
    deliver: Deliver,
    *,
    store: tuple[ClipCache, Sequence[str]] | None = None,
    engine: str = "pyttsx3",
    jobs: int | None = None,
    labels: Sequence[str] | None = None,
    progress: Progress | None = None,
    timeout: float = 60.0,
    stats: SynthStats | None = None,
    executor: Executor | None = None,
    sample_rate: int | None = None,
) -> None:
    """Synthesize every utterance on `executor`, handing each clip on as it arrives.

    Nothing is kept here: a caller that stores each clip and drops it holds no audio at all.
    With `store` (a cache and each utterance's key) local workers write the clips into the
    cache themselves and deliver None in their place (the cache counts their size); the audio
    never reaches this process. A clip that comes back from elsewhere (a Dask worker) is
    written into that cache here and delivered. Every utterance is delivered exactly once, or
    an error is raised. `executor` None: the local process pool of `jobs` workers. Clips come
    at `sample_rate` (default: the engine's own), resampled by the workers.
    """
    if not utterances:
        return
    total = len(utterances)
    names = list(labels) if labels is not None else [f"segment {i + 1}" for i in range(total)]
    done = 0
    if stats is not None:
        stats.synthesized += total

    cache = store[0] if store is not None else None

    def counted(job: int, result: SynthResult) -> None:
        nonlocal done
        clip = None
        if result.pcm is None:
            if cache is not None:
                cache.account(result.stored_bytes)
        else:
            clip = Clip(result.pcm, result.sample_rate)
            # A clip from a remote worker goes into the cache here, as a local worker would
            # have stored it; if the write fails it is delivered with its audio instead.
            if cache is not None and store is not None and cache.write(store[1][job], clip):
                cache.account(entry_bytes(clip))
                cache.put_stats(store[1][job], result.stats)
                clip = None
        deliver(job, clip, result.stats)
        done += 1
        if progress is not None:
            progress(done, total)

    # Same-voice utterances in a row: an engine that keeps its settings between utterances
    # (pyttsx3 reloads a voice only when it changes) then rarely switches.
    order = sorted(range(total), key=lambda i: _voice_key(utterances[i]))
    rate = sample_rate or engine_sample_rate(engine)
    jobs_in_order = [
        SynthJob(utterances[i], rate, store[1][i] if store is not None else None) for i in order
    ]
    if executor is None:
        from briefing.speech.process_pool import LocalPool

        executor = LocalPool(jobs, timeout)
    executor.run(
        engine,
        jobs_in_order,
        lambda job, result: counted(order[job], result),
        cache,
        [names[i] for i in order],
    )


def _voice_key(utterance: Utterance) -> tuple[str, int, int, int, float]:
    """What an engine is set to for an utterance, as a sort key."""
    voice = utterance.voice
    return (voice.id, voice.pitch or -1, voice.rate or -1, utterance.rate, voice.volume)


def open_executor(scheduler: str | None, jobs: int | None = None) -> Executor:
    """The local pool for None; else a Dask cluster (`local` or an address like tcp://h:8786).

    `local` starts an embedded LocalCluster of `jobs` workers (default: one per core). A Dask
    executor connects here, so an unreachable scheduler fails before any work; call its
    `check(engine)` next to compare the workers' engines with this machine's.
    """
    if scheduler is None or not scheduler.strip():
        from briefing.speech.process_pool import LocalPool

        return LocalPool(jobs)
    from briefing.speech.dask_executor import DaskExecutor

    return DaskExecutor(scheduler.strip(), workers=jobs)
