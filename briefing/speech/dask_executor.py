"""Synthesis on a Dask distributed cluster: `--scheduler local` or `--scheduler tcp://HOST:8786`.

Imported only when a scheduler is given (the `cluster` extra: `pip install 'briefing[cluster]'`).
Workers run this same package's engine code (`engines.worker.make_clip`), one engine per worker
process, used by one thread at a time. Clips come back to the client with their statistics and
the client writes them into its own clip cache: workers need no shared filesystem, only
briefing and the engine installed. Before any work every worker's engine version is compared
with this machine's (cache keys include it), and every result carries its worker's version
too, so a worker that joins later with another engine is caught as well. A worker that dies
has its tasks rerun by Dask on another worker; each job is delivered once, from the first
result of its task, so nothing is lost or duplicated.
"""

from __future__ import annotations

import logging
import os
import threading
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from briefing.errors import BriefingError, ClusterError, MissingDependencyError
from briefing.speech.engines import engine_version
from briefing.speech.executor import LOCAL_SCHEDULER, Deliver, SynthJob, SynthResult

if TYPE_CHECKING:
    from briefing.speech.clip_cache import ClipCache
    from briefing.speech.engines.base import TTSEngine

CONNECT_TIMEOUT = 10.0
"""Seconds to reach the scheduler and to see a first worker."""
MAX_CHUNK = 16
"""Utterances per task: amortizes the scheduler's per-task cost; small enough to spread."""
TASKS_PER_WORKER = 4
"""Tasks queued per worker at least, so that workers finish close together."""
_INSTALL_HINT = "pip install 'briefing[cluster]'"


class DaskExecutor:
    """The `Executor` of a Dask cluster: an embedded LocalCluster or a running scheduler."""

    def __init__(
        self, scheduler: str, workers: int | None = None, timeout: float | None = None
    ) -> None:
        try:
            import distributed
        except ImportError as exc:
            raise MissingDependencyError(
                f"--scheduler {scheduler} needs Dask distributed, which is not installed",
                hint=_INSTALL_HINT,
            ) from exc
        self._distributed = distributed
        timeout = timeout if timeout is not None else CONNECT_TIMEOUT
        self._cluster: Any = None
        self._checked: set[str] = set()
        self.scheduler = scheduler
        address = scheduler
        if scheduler == LOCAL_SCHEDULER:
            address = self._start_local(distributed, workers)
        elif "://" not in scheduler and ":" not in scheduler:
            raise ClusterError(
                f"--scheduler {scheduler!r}: expected 'local' or an address like tcp://HOST:8786"
            )
        try:
            self._client: Any = distributed.Client(address, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            self._close_cluster()
            raise ClusterError(
                f"cannot reach the Dask scheduler at {scheduler}: {_reason(exc)}",
                hint="start one with `dask scheduler` and workers with `dask worker ADDRESS`",
            ) from None
        try:
            self._client.wait_for_workers(1, timeout=timeout)
        except (OSError, TimeoutError) as exc:
            self.close()
            raise ClusterError(
                f"the Dask scheduler at {scheduler} has no workers ({_reason(exc)})",
                hint="start workers with `dask worker ADDRESS --nthreads 1`",
            ) from None

    def _start_local(self, distributed: Any, workers: int | None) -> str:
        """Start the embedded LocalCluster; return its scheduler's address."""
        import dask

        # Worker processes forked from a forkserver that has imported Dask (and never eSpeak,
        # which needs a fresh process): measured 4.2-4.6 s to start two workers and 0.1 s to
        # stop them on the shared 2-core machine, against 8.0-9.4 s and 2.3 s spawned.
        with dask.config.set({"distributed.worker.multiprocessing-method": "forkserver"}):
            self._cluster = distributed.LocalCluster(
                n_workers=workers or os.cpu_count() or 1,
                threads_per_worker=1,  # one engine per process, one synthesis at a time
                processes=True,
                host="127.0.0.1",  # this machine's cluster: nothing listens beyond it
                dashboard_address=None,
                # No dashboard, and its health routes on any free port (8787 may be taken).
                scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                silence_logs=logging.ERROR,
                # The forkserver keeps the environment it started with; the workers get this
                # run's briefing settings (BRIEFING_DEBUG, the engines' options), as the
                # local pool's workers do.
                env={k: v for k, v in os.environ.items() if k.startswith("BRIEFING_")},
            )
        return str(self._cluster.scheduler_address)

    def workers(self) -> int:
        """How many workers the scheduler has now."""
        return len(self._client.scheduler_info()["workers"])

    def check(self, engine: str) -> None:
        """Fail unless every worker has `engine` at this machine's version (keys include it)."""
        if engine in self._checked:
            return
        mine = engine_version(engine)
        try:
            answers = self._client.run(worker_engine_version, engine)
        except Exception as exc:  # a worker that cannot import briefing or build the engine
            raise MissingDependencyError(
                f"the Dask workers cannot run the {engine} engine: {_reason(exc)}",
                hint="install the same briefing and engine on every worker",
            ) from None
        for worker, theirs in sorted(answers.items()):
            if theirs != mine:
                raise MissingDependencyError(
                    f"Dask worker {worker} has engine {engine} {theirs!r}, this machine {mine!r}",
                    hint="install the same briefing, engine and voices on every worker",
                )
        self._checked.add(engine)

    def run(
        self,
        engine: str,
        jobs: Sequence[SynthJob],
        deliver: Deliver,
        cache: ClipCache | None,
        labels: Sequence[str],
    ) -> None:
        """Submit the jobs in chunks (consecutive: same-voice runs stay together); deliver each."""
        if not jobs:
            return
        self.check(engine)
        mine = engine_version(engine)
        size = max(1, min(MAX_CHUNK, len(jobs) // (max(1, self.workers()) * TASKS_PER_WORKER)))
        starts = range(0, len(jobs), size)
        batch = uuid.uuid4().hex
        futures = {
            self._client.submit(
                synthesize_chunk,
                engine,
                list(jobs[start : start + size]),
                list(labels[start : start + size]),
                key=f"briefing-synthesize-{batch}-{start}",
                pure=False,
                retries=1,  # an engine error is retried once, as the local pool does
            ): start
            for start in starts
        }
        try:
            for future in self._distributed.as_completed(futures, loop=self._client.loop):
                start = futures[future]
                results = _result(future, labels[start])
                for offset, (result, version) in enumerate(results):
                    if version != mine:
                        raise MissingDependencyError(
                            f"a Dask worker answered with engine {engine} {version!r}, "
                            f"this machine has {mine!r}",
                            hint="install the same briefing, engine and voices on every worker",
                        )
                    deliver(start + offset, result)
                future.release()
        finally:
            self._client.cancel(list(futures))

    def close(self) -> None:
        """Disconnect; stop the embedded cluster, if any."""
        client = getattr(self, "_client", None)
        if client is not None:
            client.close()
            self._client = None
        self._close_cluster()

    def _close_cluster(self) -> None:
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None


def _result(future: Any, label: str) -> list[tuple[SynthResult, str]]:
    """A task's results; its error as a one-line BriefingError."""
    try:
        results: list[tuple[SynthResult, str]] = future.result()
    except BriefingError:
        raise
    except Exception as exc:  # KilledWorker (its workers kept dying), a lost scheduler
        raise ClusterError(
            f"the cluster could not synthesize from {label} on: {_reason(exc)}"
        ) from None
    return results


def _reason(exc: BaseException) -> str:
    """An exception as one short line."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."


# What runs on the workers: module-level functions, pickled by reference (briefing must be
# installed there), and one engine per worker process.
_engines: dict[str, TTSEngine] = {}
_engine_lock = threading.Lock()


def worker_engine_version(engine: str) -> str:
    """This worker's version of `engine` (for `DaskExecutor.check`)."""
    return engine_version(engine)


def synthesize_chunk(
    engine: str, jobs: list[SynthJob], labels: list[str]
) -> list[tuple[SynthResult, str]]:
    """Synthesize a chunk of jobs on a worker: each clip's PCM, rate, statistics and version."""
    from briefing.speech.engines import create_engine
    from briefing.speech.engines.worker import make_clip

    results = []
    # Engines hold one synthesis at a time (eSpeak has one callback per process).
    with _engine_lock:
        made = _engines.get(engine)
        if made is None:
            from briefing.speech.allocator import keep_freed_buffers

            keep_freed_buffers()  # as the local pool's workers do (see `allocator`)
            made = _engines[engine] = create_engine(engine)
        version = made.version()
        for job, label in zip(jobs, labels, strict=True):
            try:
                clip, stats = make_clip(made, job.utterance, job.sample_rate)
            except BriefingError as exc:
                raise type(exc)(
                    f"could not synthesize {label}: {exc.message}", hint=exc.hint
                ) from None
            results.append((SynthResult(clip.pcm, clip.sample_rate, stats), version))
    return results
