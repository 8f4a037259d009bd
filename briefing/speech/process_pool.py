"""The default executor: a small pool of spawned worker processes on this machine.

Why a hand-rolled pool: eSpeak initializes once per process and a forked child of a process
that started it can hang, so every worker is a fresh interpreter (spawn semantics: fork+exec,
see `briefing.speech.engines.worker.start_worker`), one engine each. A worker that hangs
(per-utterance timeout) or crashes is killed and replaced, and the utterance is retried once in
another process; ProcessPoolExecutor would instead break the whole pool. The main process never
initializes eSpeak, even for one utterance: that keeps it safe to fork later (encoders,
subprocesses) and keeps one code path for every run. Workers share this machine's disk, so a
job with a cache key is written into the clip cache by the worker ("stored").
"""

from __future__ import annotations

import contextlib
import math
import os
import subprocess
import threading
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait

from briefing import errors
from briefing.speech.clip_cache import ClipCache
from briefing.speech.engines import job_timeout
from briefing.speech.engines.worker import keep_spare_worker, take_worker
from briefing.speech.executor import Deliver, SynthJob, SynthResult

STARTUP_TIMEOUT = 30.0
"""Seconds a new worker may take to import and build its engine, on top of `timeout`."""
MIN_PER_WORKER = 8
"""Fewer pending utterances than this per worker don't pay for another process's start."""
MAX_BATCH = 16
"""Utterances per message: enough to amortize IPC, few enough that workers finish together."""
CANCEL_POLL = 0.2
"""Seconds between looks at a run's `cancel` event while workers are busy."""


class LocalPool:
    """The `Executor` of worker processes on this machine (`jobs` of them at most).

    `hand_on`: when a run ends, its idle workers are kept for the next pool (`take_worker`)
    instead of stopped: a run ahead of the render passes its warm workers to the render's.
    `cancel`: set from another thread, the run stops early (its workers are stopped; what was
    delivered stays delivered) and returns. `retries`: how many times an utterance whose worker
    failed or hung is tried again in a fresh worker before the run fails.
    """

    def __init__(
        self,
        jobs: int | None = None,
        timeout: float = 60.0,
        *,
        hand_on: bool = False,
        cancel: threading.Event | None = None,
        retries: int = 1,
    ) -> None:
        self.jobs = jobs
        self.timeout = timeout
        self.hand_on = hand_on
        self.cancel = cancel
        self.retries = retries

    def check(self, engine: str) -> None:
        """Nothing to compare: the workers run this very installation."""

    def run(
        self,
        engine: str,
        jobs: Sequence[SynthJob],
        deliver: Deliver,
        cache: ClipCache | None,
        labels: Sequence[str],
    ) -> None:
        """Synthesize every job in as many workers as the work pays for."""
        if not jobs:
            return
        workers = min(self.jobs or os.cpu_count() or 1, math.ceil(len(jobs) / MIN_PER_WORKER))
        pool = _Pool(engine, max(1, workers), self.timeout, self.hand_on, self.cancel, self.retries)
        pool.run(list(jobs), list(labels), deliver, cache)

    def close(self) -> None:
        """Nothing is kept between runs: each run's workers stop with it."""


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

    def __init__(
        self,
        engine: str,
        size: int,
        timeout: float,
        hand_on: bool = False,
        cancel: threading.Event | None = None,
        retries: int = 1,
    ) -> None:
        self.engine = engine
        self.hand_on = hand_on
        self.cancel = cancel
        self.retries = retries
        timeout = job_timeout(engine, timeout)  # a neural engine needs longer per utterance
        self.size = size
        self.timeout = timeout
        self.workers: list[_Worker] = []
        self.failed_starts = 0

    def run(
        self, jobs: list[SynthJob], labels: list[str], deliver: Deliver, cache: ClipCache | None
    ) -> None:
        """Synthesize every job, calling deliver(job, result) in the main thread.

        Jobs with a key are written into `cache` by the worker (no PCM on delivery).
        """
        self.jobs, self.labels, self.deliver, self.cache = jobs, labels, deliver, cache
        self.queue: deque[int] = deque(range(len(jobs)))
        self.attempts = [0] * len(jobs)
        self.remaining = len(jobs)
        self.batch_size = max(1, min(MAX_BATCH, len(jobs) // (self.size * 8)))
        try:
            while self.remaining:
                if self.cancel is not None and self.cancel.is_set():
                    self.hand_on = False  # workers may be mid-batch: stop them all
                    return
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
            process, conn, ready = take_worker(self.engine)
            self.workers.append(_Worker(process, conn, time.monotonic(), ready))

    def _dispatch(self) -> None:
        """Give each idle worker the next batch; its clock starts now."""
        directory = str(self.cache.directory) if self.cache is not None else None
        for worker in self.workers:
            if worker.batch or not self.queue:
                continue
            # A batch is at one sample rate (a worker message carries one).
            batch = [self.queue.popleft()]
            rate = self.jobs[batch[0]].sample_rate
            while (self.queue and len(batch) < self.batch_size
                   and self.jobs[self.queue[0]].sample_rate == rate):  # fmt: skip
                batch.append(self.queue.popleft())
            worker.batch.extend(batch)
            items = [(job, self.jobs[job].utterance, self.jobs[job].key) for job in batch]
            worker.conn.send((directory, rate, items))
            worker.deadline = time.monotonic() + self.timeout
            if not worker.ready:
                worker.deadline += STARTUP_TIMEOUT

    def _wait_and_collect(self) -> None:
        """Block until a message, an exit or a deadline; handle whatever happened."""
        now = time.monotonic()
        soonest = min((w.deadline for w in self.workers), default=math.inf)
        if self.cancel is not None:
            soonest = min(soonest, now + CANCEL_POLL)
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
                assert isinstance(payload, int)
                self.deliver(job, SynthResult(None, rate, measured, stored_bytes=payload))
            else:
                assert isinstance(payload, bytes)
                self.deliver(job, SynthResult(payload, rate, measured))
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
        if self.attempts[job] > self.retries:
            raise errors.SynthesisError(
                f"could not synthesize {self.labels[job]}: {reason}",
                hint="run with BRIEFING_DEBUG=1 to see the engine's own output",
            )
        self.queue.appendleft(job)

    def _shutdown(self) -> None:
        """Stop every worker: politely when idle, by SIGKILL otherwise (Ctrl-C, errors); with
        `hand_on` after a complete run, keep the idle ones for the next pool instead."""
        if self.hand_on and not self.remaining:
            for worker in self.workers:
                if worker.ready and not worker.batch:
                    keep_spare_worker(self.engine, worker.process, worker.conn)
                else:
                    _kill(worker)
            self.workers.clear()
            return
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
