"""The neural engine: Kokoro-82M (int8 ONNX, onnxruntime) reading eSpeak NG's IPA.

An utterance's spoken text becomes token pieces (`kokoro_text`); each piece is one model call
with the voice's style vector for its length, and the pieces are joined. `--rate` becomes
Kokoro's speed (175 wpm = 1.0). Voice styles are the `voices/kokoro/*.npy` files shipped with
briefing (float16, from kokoro-js; see the NOTICE there). onnxruntime and the model load on the
first synthesis, in a worker process, with one intra-op thread: the pool runs one worker per
core, and more threads per worker only contend for the same cores.
"""

from __future__ import annotations

import functools
import hashlib
import re
from importlib import metadata
from pathlib import Path
from typing import Any

from briefing.errors import MissingDependencyError, SynthesisError
from briefing.model import Clip, Gender, Utterance
from briefing.resources import voices_dir
from briefing.speech.engines import espeak_runtime, kokoro_model
from briefing.speech.engines.base import EngineVoice
from briefing.speech.engines.kokoro_text import MAX_TOKENS, cut_tokens, tokens_of
from briefing.speech.engines.verify import verify_clip

SAMPLE_RATE = 24000
NOMINAL_RATE = 175
"""The words per minute that Kokoro's speed 1.0 stands for (the CLI's default --rate)."""
FRONTEND = "frontend 1"
"""Bumped when phonemization or cutting changes: part of the version, so of every cache key."""
ACCENTS = {"a": ("en-us", "American English"), "b": ("en-gb", "British English")}
_GENDERS = {"f": Gender.FEMALE, "m": Gender.MALE}
_VOICE_ID = re.compile(r"^[ab][fm]_[a-z]+$")
_TRIM_THRESHOLD = 0.005
_TRIM_PAD = int(0.04 * SAMPLE_RATE)


def voice_directory() -> Path:
    """The shipped Kokoro voice styles."""
    return voices_dir() / "kokoro"


@functools.cache
def shipped_voices() -> tuple[EngineVoice, ...]:
    """Every voice style file shipped, with gender and accent from Kokoro's naming (af_, bm_)."""
    found = []
    for path in sorted(voice_directory().glob("*.npy")):
        voice_id = path.stem
        if _VOICE_ID.match(voice_id):
            language, accent = ACCENTS[voice_id[0]]
            name = f"{voice_id[3:].title()}, {accent}"
            found.append(EngineVoice(voice_id, name, (language,), _GENDERS[voice_id[1]]))
    return tuple(found)


@functools.cache
def voices_digest() -> str:
    """sha256 over every shipped voice file, name and bytes: a changed voice changes keys."""
    digest = hashlib.sha256()
    for path in sorted(voice_directory().glob("*.npy")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def speed_for(rate: int) -> float:
    """Kokoro's speed for a rate in words per minute, kept where the model sounds right."""
    return min(2.0, max(0.5, rate / NOMINAL_RATE))


class KokoroEngine:
    """Kokoro-82M through onnxruntime; the model and eSpeak start on the first synthesis."""

    name = "kokoro"
    sample_rate = SAMPLE_RATE

    def __init__(self) -> None:
        self._session: Any = None
        self._styles: dict[str, Any] = {}

    def version(self) -> str:
        """Model and voices by hash, with the phonemizer's and runtime's versions."""
        kokoro_model.require_packages()
        return (
            f"kokoro-82m int8 {kokoro_model.MODEL_SHA256[:16]}, voices {voices_digest()[:16]}, "
            f"{FRONTEND}, eSpeak NG {espeak_runtime.library_version()}, "
            f"onnxruntime {metadata.version('onnxruntime')}"
        )

    def voices(self) -> list[EngineVoice]:
        """The shipped English voices."""
        return list(shipped_voices())

    def has_voice(self, voice_id: str) -> bool:
        """Whether a style file for this id is shipped (no variants: `+` is never valid)."""
        return any(voice.id == voice_id for voice in shipped_voices())

    def warm_up(self) -> None:
        """Load the model now (the worker calls this before it reports ready)."""
        self._start()

    def synthesize(self, utterance: Utterance) -> Clip:
        """Speak one utterance; verify it; else SynthesisError (the pool retries elsewhere)."""
        import numpy as np

        from briefing.speech.engines.phonemes import phonemize

        style = self._style(utterance.voice.id)
        language = ACCENTS[utterance.voice.id[0]][0]
        pieces = cut_tokens(utterance.text, lambda text: tokens_of(phonemize(text, language)))
        speed = speed_for(utterance.effective_rate)
        audio = [self._infer(tokens, style, speed) for tokens in pieces]
        samples = np.concatenate(audio) if audio else np.zeros(0, np.float32)
        samples = _trim(samples) * utterance.voice.volume
        pcm = (np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()
        clip = Clip(pcm, SAMPLE_RATE)
        verify_clip(clip, utterance)
        return clip

    def _style(self, voice_id: str) -> Any:
        """The voice's 510 x 256 style table (float32), loaded once."""
        if voice_id not in self._styles:
            import numpy as np

            if not self.has_voice(voice_id):
                raise SynthesisError(f"no Kokoro voice {voice_id!r}")
            table = np.load(voice_directory() / f"{voice_id}.npy", allow_pickle=False)
            self._styles[voice_id] = table.astype(np.float32)
        return self._styles[voice_id]

    def _infer(self, tokens: list[int], style: Any, speed: float) -> Any:
        """One model call: padded token ids, the style row for their count, the speed."""
        import numpy as np

        session = self._start()
        row = style[min(len(tokens), MAX_TOKENS - 1)].reshape(1, -1)
        feeds = {
            "tokens": np.array([[0, *tokens, 0]], dtype=np.int64),
            "style": row,
            "speed": np.array([speed], dtype=np.float32),
        }
        try:
            (audio,) = session.run(None, feeds)
        except Exception as exc:  # onnxruntime raises its own classes
            raise SynthesisError(f"Kokoro failed: {type(exc).__name__}: {exc}") from exc
        return np.asarray(audio, dtype=np.float32).reshape(-1)

    def _start(self) -> Any:
        """The onnxruntime session, one thread, created once per process."""
        if self._session is None:
            path = kokoro_model.model_path()
            try:
                import onnxruntime
            except ImportError as exc:
                raise MissingDependencyError(
                    f"onnxruntime cannot be imported: {exc}", hint=kokoro_model.INSTALL_HINT
                ) from exc
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = 1
            options.inter_op_num_threads = 1
            # Idle threads spinning for work would steal the other workers' cores.
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            self._session = onnxruntime.InferenceSession(
                str(path), sess_options=options, providers=["CPUExecutionProvider"]
            )
        return self._session


def _trim(samples: Any) -> Any:
    """Cut the model's leading and trailing near-silence: the timeline owns the pauses."""
    import numpy as np

    loud = np.flatnonzero(np.abs(samples) > _TRIM_THRESHOLD)
    if loud.size == 0:
        return samples
    return samples[max(0, loud[0] - _TRIM_PAD) : loud[-1] + _TRIM_PAD]
