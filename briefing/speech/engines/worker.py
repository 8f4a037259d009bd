"""Synthesis worker processes: how the pool starts one, and what runs inside it.

A worker is a fresh interpreter (`python -c`, fork+exec: the semantics of multiprocessing's
"spawn", which eSpeak needs) talking to the pool over a socket with multiprocessing's
Connection framing. Not multiprocessing.Process itself: its spawn re-runs the caller's
`__main__` in every worker (for `briefing`, importing the whole CLI: measured +1.7 s on a
5-article render with 2 workers), and a caller without a `__main__` guard breaks outright.

A batch is (cache directory or None, the briefing's sample rate, [(index, utterance, cache key or
None), ...]); a clip at another rate is resampled to it here, once, before it is measured and
cached, so every later stage sees clips at the briefing's rate. Messages to
the parent: ("ready",), ("ok", index, pcm, sample_rate, stats), ("stored", index, entry_bytes,
sample_rate, stats), ("err", index, message), ("fatal", error_class_name, message, hint).
`stats` is the clip's loudness statistics (`briefing.audio.clip_stats`, side-file bytes), measured
here with every worker busy at once. Given a cache key, the worker writes the clip and its
statistics into the clip cache itself and sends "stored": the audio never crosses the socket
and the parent never holds it (it still sends "ok" with the PCM if the write fails). After an
"err" the worker exits, so the pool retries the utterance in another process and the failed
engine's state is never reused.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path

import briefing
from briefing.errors import BriefingError, MissingDependencyError
from briefing.model import Clip, Utterance
from briefing.speech.allocator import ENVIRONMENT
from briefing.speech.engines.base import TTSEngine
from briefing.speech.engines.verify import verify_clip

_ENTRY = (
    "import sys; from briefing.speech.engines.worker import main;"
    " main(sys.argv[1], int(sys.argv[2]))"
)


def start_worker(engine_name: str) -> tuple[subprocess.Popen[bytes], Connection]:
    """Start a worker process for `engine_name`; return it and the parent's end of its socket."""
    parent, child = socket.socketpair()
    env = dict(os.environ)
    env.update(ENVIRONMENT)  # numpy buffers reused, not re-faulted (see briefing.speech.allocator)
    # The worker imports this very `briefing`, even when it is not installed.
    package_root = str(Path(briefing.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
    # The child inherits the signal mask across exec: with SIGINT blocked, a Ctrl-C sent to
    # the terminal's process group never interrupts a worker mid-import (no stray
    # tracebacks); the parent receives it once unblocked and kills its workers itself.
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        process = subprocess.Popen(
            [sys.executable, "-c", _ENTRY, engine_name, str(child.fileno())],
            pass_fds=[child.fileno()],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            env=env,
        )
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        child.close()
    return process, Connection(parent.detach())


_spares: list[tuple[str, subprocess.Popen[bytes], Connection, bool]] = []
"""Workers waiting for a pool: engine, process, socket, and whether its "ready" was read."""


def prestart_worker(engine_name: str) -> None:
    """Start a worker now, for the next pool to take (`take_worker`).

    Its interpreter start and engine set-up (~0.3 s) then overlap the caller's own work, such as
    reading the articles, instead of following it. Call `discard_spare_workers` when done.
    """
    _spares.append((engine_name, *start_worker(engine_name), False))


def take_worker(engine_name: str) -> tuple[subprocess.Popen[bytes], Connection, bool]:
    """A prestarted (or handed-on) worker for this engine if one is still alive, else a new one;
    and whether it is known to be ready (a handed-on worker sent its "ready" to another pool)."""
    while _spares:
        name, process, conn, ready = _spares.pop()
        if name == engine_name and process.poll() is None:
            return process, conn, ready
        _stop(process, conn)
    return (*start_worker(engine_name), False)


def keep_spare_worker(engine_name: str, process: subprocess.Popen[bytes], conn: Connection) -> None:
    """Keep an idle, ready worker for the next pool (a pool that ran ahead of the render hands
    its workers on this way instead of stopping them)."""
    if process.poll() is None:
        _spares.append((engine_name, process, conn, True))
    else:
        _stop(process, conn)


def discard_spare_workers() -> None:
    """Stop every prestarted worker no pool took."""
    while _spares:
        _, process, conn, _ = _spares.pop()
        _stop(process, conn)


def _stop(process: subprocess.Popen[bytes], conn: Connection) -> None:
    """End an idle worker and reap it."""
    if process.poll() is None:
        process.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(5.0)
    conn.close()


def main(engine_name: str, fd: int) -> None:
    """Worker entry point: serve the pool on socket `fd`."""
    serve(engine_name, Connection(fd))


def _exit_when_orphaned() -> None:
    """A hung engine never reads the socket's EOF: leave when the parent is gone."""
    parent = os.getppid()
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


Batch = tuple[str | None, int, list[tuple[int, Utterance, str | None]]]


def _silence_output() -> None:
    """Point fds 1 and 2 at /dev/null: pyttsx3 prints on stdout, eSpeak warns on stderr."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    sys.stdout = Path(os.devnull).open("w")  # noqa: SIM115 - lives as long as the process
    if os.environ.get("BRIEFING_DEBUG") != "1":
        os.dup2(devnull, 2)
        sys.stderr = Path(os.devnull).open("w")  # noqa: SIM115
    os.close(devnull)


def serve(engine_name: str, conn: Connection) -> None:
    """Build the engine, then synthesize batches until told to stop."""
    # Ctrl-C reaches the whole process group; the parent handles it and kills its workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_when_orphaned, daemon=True).start()
    _silence_output()
    from briefing.speech.engines import create_engine

    try:
        engine = create_engine(engine_name)
        warm_up = getattr(engine, "warm_up", None)
        if warm_up is not None:  # a model loads within the start-up allowance, not a job's
            warm_up()
    except BriefingError as exc:
        conn.send(("fatal", type(exc).__name__, exc.message, exc.hint))
        return
    try:
        conn.send(("ready",))
        while (batch := conn.recv()) is not None:
            if not _run_batch(engine, batch, conn):
                return
    except (EOFError, BrokenPipeError, ConnectionResetError):
        return  # the parent went away; nothing to report to


def make_clip(engine: TTSEngine, utterance: Utterance, sample_rate: int) -> tuple[Clip, bytes]:
    """What every executor's workers do with a job: synthesize and verify the clip, resample it
    to the briefing's rate (once, here), and measure its statistics."""
    # Imported here, in the worker: the parent can start workers without loading numpy.
    from briefing.audio.clip_stats import clip_stats
    from briefing.audio.resample import resample_clip

    clip = engine.synthesize(utterance)
    verify_clip(clip, utterance)
    clip = resample_clip(clip, sample_rate)
    return clip, clip_stats(clip).to_bytes()


def _run_batch(engine: TTSEngine, batch: Batch, conn: Connection) -> bool:
    """Synthesize a batch, storing or sending each clip as it is done; False after a failure."""
    from briefing.speech.clip_cache import ClipCache, entry_bytes

    directory, sample_rate, jobs = batch
    cache = ClipCache(Path(directory)) if directory is not None else None
    for index, utterance, key in jobs:
        try:
            clip, stats = make_clip(engine, utterance, sample_rate)
        except MissingDependencyError as exc:  # engines start lazily: no retry will help
            conn.send(("fatal", type(exc).__name__, exc.message, exc.hint))
            return False
        except BriefingError as exc:
            conn.send(("err", index, exc.message))
            return False
        except Exception as exc:  # any engine bug becomes a retry, then an error
            conn.send(("err", index, f"{type(exc).__name__}: {exc}"))
            return False
        if cache is not None and key is not None and cache.write(key, clip):
            cache.put_stats(key, stats)
            conn.send(("stored", index, entry_bytes(clip), clip.sample_rate, stats))
        else:
            conn.send(("ok", index, clip.pcm, clip.sample_rate, stats))
    return True
