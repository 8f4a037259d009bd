"""Synthesize utterances: cache first, then a small pool of spawned worker processes.

Why a hand-rolled pool: eSpeak initializes once per process and a forked child of a process
that started it can hang, so every worker is a fresh interpreter (spawn semantics: fork+exec,
see `briefing.speech.engines.worker.start`), one engine each. A worker
that hangs (per-utterance timeout) or crashes is killed and replaced, and the utterance is
retried once in another process; ProcessPoolExecutor would instead break the whole pool.
The main process never initializes eSpeak, even for one utterance: that keeps it safe to
fork later (encoders, subprocesses) and keeps one code path for every run.
"""

from __future__ import annotations

import contextlib
import math
import os
import subprocess
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait

from briefing import errors
from briefing.model import Clip, Utterance
from briefing.speech.clip_cache import ClipCache, clip_key
from briefing.speech.engines import engine_sample_rate, engine_version, job_timeout
from briefing.speech.engines.worker import take_worker

Progress = Callable[[int, int], None]

STARTUP_TIMEOUT = 30.0
"""Seconds a new worker may take to import and build its engine, on top of `timeout`."""
MIN_PER_WORKER = 8
"""Fewer pending utterances than this per worker don't pay for another process's start."""
MAX_BATCH = 16
"""Utterances per message: enough to amortize IPC, few enough that workers finish together."""


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
    sample_rate: int | None = None,
) -> list[Clip]:
    """Synthesize every utterance (cache first, then worker processes started with 'spawn').

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
    sample_rate: int | None = None,
) -> None:
    """Synthesize every utterance in worker processes, handing each clip on as it arrives.

    Nothing is kept here: a caller that stores each clip and drops it holds no audio at all.
    With `store` (a cache and each utterance's key) the workers write the clips into the cache
    themselves and deliver None in their place (the cache counts their size); the audio never
    reaches this process. Every utterance is delivered exactly once, or an error is raised.
    Clips come at `sample_rate` (default: the engine's own), resampled by the workers.
    """
    if not utterances:
        return
    total = len(utterances)
    names = list(labels) if labels is not None else [f"segment {i + 1}" for i in range(total)]
    done = 0
    if stats is not None:
        stats.synthesized += total

    def counted(job: int, clip: Clip | None, measured: bytes) -> None:
        nonlocal done
        deliver(job, clip, measured)
        done += 1
        if progress is not None:
            progress(done, total)

    workers = min(jobs or os.cpu_count() or 1, math.ceil(total / MIN_PER_WORKER))
    # Same-voice utterances in a row: an engine that keeps its settings between utterances
    # (pyttsx3 reloads a voice only when it changes) then rarely switches.
    order = sorted(range(total), key=lambda i: _voice_key(utterances[i]))
    cache = store[0] if store is not None else None
    keys = [store[1][i] if store is not None else None for i in order]
    rate = sample_rate or engine_sample_rate(engine)
    _Pool(engine, max(1, workers), timeout, rate).run(
        [utterances[i] for i in order],
        [names[i] for i in order],
        lambda job, clip, measured: counted(order[job], clip, measured),
        cache,
        keys,
    )


def _voice_key(utterance: Utterance) -> tuple[str, int, int, int, float]:
    """What an engine is set to for an utterance, as a sort key."""
    voice = utterance.voice
    return (voice.id, voice.pitch or -1, voice.rate or -1, utterance.rate, voice.volume)


@dataclass
class _Worker:
    """A worker process, its pipe, and the jobs sent to it that have no answer yet."""

    process: subprocess.Popen[bytes]
    conn: Connection
    started: float
    ready: bool = False
    batch: deque[int] = field(default_factory=deque)
    deadline: float = math.inf


class _Pool:
    """Spawned workers fed batches of job numbers; kill and replace on hang or crash."""

    def __init__(self, engine: str, size: int, timeout: float, sample_rate: int) -> None:
        self.engine = engine
        self.sample_rate = sample_rate
        self.size = size
        self.timeout = job_timeout(engine, timeout)
        self.workers: list[_Worker] = []
        self.failed_starts = 0

    def run(
        self,
        jobs: list[Utterance],
        labels: list[str],
        deliver: Deliver,
        cache: ClipCache | None = None,
        keys: Sequence[str | None] = (),
    ) -> None:
        """Synthesize every job, calling deliver(job, clip, stats) in the main thread.

        Jobs with a key are written into `cache` by the worker (clip None on delivery).
        """
        self.jobs, self.labels, self.deliver = jobs, labels, deliver
        self.cache = cache
        self.keys = list(keys) or [None] * len(jobs)
        self.queue: deque[int] = deque(range(len(jobs)))
        self.attempts = [0] * len(jobs)
        self.remaining = len(jobs)
        self.batch_size = max(1, min(MAX_BATCH, len(jobs) // (self.size * 8)))
        try:
            while self.remaining:
                self._staff()
                self._dispatch()
                self._wait_and_collect()
        finally:
            self._shutdown()

    def _staff(self) -> None:
        """Start workers until there are `size` of them, or enough for the queued work."""
        busy = sum(1 for w in self.workers if w.batch)
        wanted = min(self.size, busy + math.ceil(len(self.queue) / self.batch_size))
        while len(self.workers) < wanted:
            process, conn = take_worker(self.engine)
            self.workers.append(_Worker(process, conn, time.monotonic()))

    def _dispatch(self) -> None:
        """Give each idle worker the next batch; its clock starts now."""
        for worker in self.workers:
            if worker.batch or not self.queue:
                continue
            batch = [self.queue.popleft() for _ in range(min(self.batch_size, len(self.queue)))]
            worker.batch.extend(batch)
            directory = str(self.cache.directory) if self.cache is not None else None
            jobs = [(job, self.jobs[job], self.keys[job]) for job in batch]
            worker.conn.send((directory, self.sample_rate, jobs))
            worker.deadline = time.monotonic() + self.timeout
            if not worker.ready:
                worker.deadline += STARTUP_TIMEOUT

    def _wait_and_collect(self) -> None:
        """Block until a message, an exit or a deadline; handle whatever happened."""
        now = time.monotonic()
        soonest = min((w.deadline for w in self.workers), default=math.inf)
        # A worker's death closes its end of the socket, so its connection wakes us too.
        handles = [w.conn for w in self.workers]
        wait(handles, timeout=None if soonest == math.inf else max(0.0, soonest - now))
        for worker in list(self.workers):
            try:
                while worker in self.workers and worker.conn.poll():
                    self._handle(worker, worker.conn.recv())
            except (EOFError, OSError):
                if worker in self.workers:
                    with contextlib.suppress(subprocess.TimeoutExpired):
                        worker.process.wait(1.0)  # to report its exit code
                    self._lose(worker, _death(worker))
                continue
            if worker not in self.workers:
                continue
            if worker.process.poll() is not None:
                self._lose(worker, _death(worker))
            elif time.monotonic() > worker.deadline:
                self._lose(worker, f"no result within {self.timeout:g} s (the worker was killed)")

    def _handle(self, worker: _Worker, message: tuple[object, ...]) -> None:
        """React to one message from a worker."""
        kind = message[0]
        if kind == "ready":
            worker.ready = True
            if worker.batch:  # the startup allowance is used up; the first job's clock starts
                worker.deadline = time.monotonic() + self.timeout
        elif kind in ("ok", "stored"):
            job, payload, rate, measured = message[1], message[2], message[3], message[4]
            assert isinstance(job, int) and isinstance(rate, int) and isinstance(measured, bytes)
            worker.batch.remove(job)
            worker.deadline = time.monotonic() + self.timeout if worker.batch else math.inf
            self.remaining -= 1
            if kind == "stored":
                assert isinstance(payload, int) and self.cache is not None
                self.cache.account(payload)
                self.deliver(job, None, measured)
            else:
                assert isinstance(payload, bytes)
                self.deliver(job, Clip(payload, rate), measured)
        elif kind == "err":
            self._lose(worker, str(message[2]))
        elif kind == "fatal":
            cls = getattr(errors, str(message[1]), errors.SynthesisError)
            hint = message[3] if isinstance(message[3], str) else None
            raise cls(str(message[2]), hint=hint)

    def _lose(self, worker: _Worker, reason: str) -> None:
        """Discard a worker; blame its current job (retry once), requeue the rest of its batch."""
        self.workers.remove(worker)
        _kill(worker)
        if not worker.ready:
            # Died before its engine was built: no job is to blame, but don't loop forever.
            self.failed_starts += 1
            if self.failed_starts >= 3:
                raise errors.SynthesisError(f"synthesis workers keep failing to start: {reason}")
            self.queue.extendleft(reversed(worker.batch))
            return
        if not worker.batch:
            return
        job = worker.batch.popleft()
        self.queue.extendleft(reversed(worker.batch))
        self.attempts[job] += 1
        if self.attempts[job] >= 2:
            raise errors.SynthesisError(
                f"could not synthesize {self.labels[job]}: {reason}",
                hint="run with BRIEFING_DEBUG=1 to see the engine's own output",
            )
        self.queue.appendleft(job)

    def _shutdown(self) -> None:
        """Stop every worker: politely when idle, by SIGKILL otherwise (Ctrl-C, errors)."""
        for worker in self.workers:
            if worker.batch:
                worker.process.kill()
            else:
                try:
                    worker.conn.send(None)
                except OSError:
                    worker.process.kill()
        for worker in self.workers:
            with contextlib.suppress(subprocess.TimeoutExpired):
                worker.process.wait(2.0)
            _kill(worker)
        self.workers.clear()


def _kill(worker: _Worker) -> None:
    """Make sure a worker process is gone and reaped."""
    if worker.process.poll() is None:
        worker.process.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        worker.process.wait(5.0)
    worker.conn.close()


def _death(worker: _Worker) -> str:
    """Why a worker is gone, as far as its exit code tells."""
    code = worker.process.poll()
    if code is None:
        return "the worker process closed its pipe"
    if code < 0:
        return f"the worker process was killed by signal {-code}"
    return f"the worker process died (exit code {code})"
