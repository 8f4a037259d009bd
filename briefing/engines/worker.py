"""The inside of a synthesis worker process: one engine, batches in, one message per clip out.

Messages to the parent: ("ready",), ("ok", index, pcm, sample_rate), ("err", index, message),
("fatal", error_class_name, message, hint). After an "err" the worker exits, so the pool
retries the utterance in another process and the failed engine's state is never reused.
"""

from __future__ import annotations

import os
import signal
import sys
from multiprocessing.connection import Connection
from pathlib import Path

from briefing.engines.base import TTSEngine
from briefing.engines.verify import verify_clip
from briefing.errors import BriefingError
from briefing.model import Utterance

Batch = list[tuple[int, Utterance]]


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
    """Worker entry point (spawned): build the engine, then serve batches until told to stop."""
    # Ctrl-C reaches the whole process group; the parent handles it and kills its workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _silence_output()
    from briefing.engines import create_engine

    try:
        engine = create_engine(engine_name)
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


def _run_batch(engine: TTSEngine, batch: Batch, conn: Connection) -> bool:
    """Synthesize a batch, sending each clip as it is done; False after a failure."""
    for index, utterance in batch:
        try:
            clip = engine.synthesize(utterance)
            verify_clip(clip, utterance)
        except BriefingError as exc:
            conn.send(("err", index, exc.message))
            return False
        except Exception as exc:  # any engine bug becomes a retry, then an error
            conn.send(("err", index, f"{type(exc).__name__}: {exc}"))
            return False
        conn.send(("ok", index, clip.pcm, clip.sample_rate))
    return True
