"""The default engine: pyttsx3's eSpeak driver over the bundled eSpeak NG.

Two ways to drive it, both through pyttsx3 (its `init("espeak")`, its driver's property
setters and its `_espeak` ctypes bindings):

- "direct" (default): our own synth callback collects the PCM chunks into a list and an Event
  marks the end of the message. pyttsx3's own loop sleeps 10 ms per utterance, concatenates
  audio with `bytes +=` (quadratic on long text), writes a WAV file we must read back, and
  prints "Audio saved to" on stdout; direct mode avoids all four.
- "api" (BRIEFING_PYTTSX3_MODE=api): the public `save_to_file` + `runAndWait`, one save per
  run, with a property set queued before every save (the first save in a process was seen to
  produce no file without one) and stdout redirected while it runs.

Either way every clip is verified (frames, plausible duration) and retried once in-process;
the worker pool retries again in a fresh process. eSpeak is initialized lazily, on the first
synthesis, so building this engine in the main process costs nothing.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import io
import os
import shutil
import tempfile
import threading
import wave
from importlib import metadata
from pathlib import Path
from typing import Any

from briefing.errors import MissingDependencyError, SynthesisError
from briefing.model import Clip, Utterance
from briefing.speech.engines import espeak_runtime
from briefing.speech.engines.base import EngineVoice
from briefing.speech.engines.verify import verify_clip

SAMPLE_RATE = 22050
SYNTH_WAIT = 60.0
"""Seconds to wait for eSpeak to finish one message; it runs ~1,000x real time."""
DEFAULT_PITCH = 50


class Pyttsx3Engine:
    """pyttsx3 + eSpeak NG, initialized on first use (in a worker process)."""

    name = "pyttsx3"
    sample_rate = SAMPLE_RATE

    def __init__(self, mode: str | None = None) -> None:
        self.mode = mode or os.environ.get("BRIEFING_PYTTSX3_MODE", "direct")
        if self.mode not in {"direct", "api"}:
            raise ValueError(f"unknown pyttsx3 mode {self.mode!r}")
        self._engine: Any = None
        self._espeak: Any = None
        self._chunks: list[bytes] = []
        self._done = threading.Event()
        self._applied: list[tuple[str, object]] | None = None
        self._tmpdir: Path | None = None

    def version(self) -> str:
        """pyttsx3 and eSpeak NG versions (part of cache keys)."""
        espeak = espeak_runtime.library_version()
        return f"pyttsx3 {metadata.version('pyttsx3')}, eSpeak NG {espeak}"

    def voices(self) -> list[EngineVoice]:
        """eSpeak's base voices, read from its data files."""
        return list(espeak_runtime.base_voices())

    def has_voice(self, voice_id: str) -> bool:
        """Whether the base voice exists and so does the `+variant`, if any."""
        base, _, variant = voice_id.partition("+")
        known = {v.id for v in espeak_runtime.base_voices()}
        return base.lower() in known and (not variant or variant in espeak_runtime.variants())

    def synthesize(self, utterance: Utterance) -> Clip:
        """Speak one utterance; verify it; retry once; else SynthesisError."""
        self._start()
        try:
            clip = self._render(utterance)
            verify_clip(clip, utterance)
        except SynthesisError:
            clip = self._render(utterance)
            verify_clip(clip, utterance)
        return clip

    def _start(self) -> None:
        """Initialize eSpeak through pyttsx3 once per process."""
        if self._engine is not None:
            return
        espeak_runtime.prepare()
        try:
            import pyttsx3
            from pyttsx3.drivers import _espeak
        except (ImportError, RuntimeError, OSError) as exc:
            raise MissingDependencyError(f"pyttsx3 cannot load eSpeak NG: {exc}") from exc
        self._engine = pyttsx3.init("espeak")
        self._espeak = _espeak
        if self.mode == "direct":
            # Replaces the driver's callback (one per process, as eSpeak allows one).
            _espeak.SetSynthCallback(self._on_synth)
        else:
            self._tmpdir = Path(tempfile.mkdtemp(prefix="briefing-pyttsx3-"))
            atexit.register(shutil.rmtree, self._tmpdir, True)

    def _render(self, utterance: Utterance) -> Clip:
        """One synthesis, unverified."""
        text = utterance.text.replace("\x00", " ")
        if self.mode == "direct":
            return self._render_direct(utterance, text)
        return self._render_api(utterance, text)

    def _settings(self, utterance: Utterance) -> list[tuple[str, object]]:
        """Every property the utterance depends on, in the order they must be set."""
        voice = utterance.voice
        return [
            ("voice", voice.id),
            ("rate", utterance.effective_rate),
            ("pitch", DEFAULT_PITCH if voice.pitch is None else voice.pitch),
            ("volume", voice.volume),
        ]

    def _render_direct(self, utterance: Utterance, text: str) -> Clip:
        driver = self._engine.proxy._driver
        settings = self._settings(utterance)
        # Selecting a voice reloads it in eSpeak (measured: ~30% of synthesis time when done
        # per utterance), so properties are set only when they differ from the previous
        # utterance's, and then all of them, voice first: nothing else changes them in between.
        if settings != self._applied:
            self._applied = None
            try:
                for key, value in settings:
                    driver.setProperty(key, value)
            except ValueError as exc:
                raise SynthesisError(
                    f"eSpeak rejected voice {utterance.voice.id!r}: {exc}"
                ) from exc
            self._applied = settings
        self._chunks = []
        self._done.clear()
        espeak = self._espeak
        status = espeak.Synth(text.encode("utf-8"), flags=espeak.ENDPAUSE | espeak.CHARS_UTF8)
        if status != 0:
            raise SynthesisError(f"eSpeak refused the text (status {status})")
        if not self._done.wait(SYNTH_WAIT):
            espeak.Cancel()
            raise SynthesisError("eSpeak did not finish the message")
        return Clip(b"".join(self._chunks), SAMPLE_RATE)

    def _on_synth(self, wav: Any, numsamples: int, events: Any) -> int:
        """eSpeak's callback (its thread): keep the samples, note the end of the message."""
        if numsamples > 0:
            self._chunks.append(ctypes.string_at(wav, numsamples * 2))
        i = 0
        while events[i].type != self._espeak.EVENT_LIST_TERMINATED:
            if events[i].type == self._espeak.EVENT_MSG_TERMINATED:
                self._done.set()
            i += 1
        return 0

    def _render_api(self, utterance: Utterance, text: str) -> Clip:
        assert self._tmpdir is not None
        path = self._tmpdir / "clip.wav"
        path.unlink(missing_ok=True)
        engine = self._engine
        for key, value in self._settings(utterance):
            engine.setProperty(key, value)
        engine.save_to_file(text, str(path))
        # pyttsx3 prints "Audio saved to ..." from eSpeak's thread; keep it off our stdout.
        with contextlib.redirect_stdout(io.StringIO()):
            engine.runAndWait()
        if not path.exists():
            raise SynthesisError("pyttsx3 wrote no file")
        with wave.open(str(path), "rb") as wav:
            return Clip(wav.readframes(wav.getnframes()), wav.getframerate())
