"""Synthetic speech-like PCM for tests: noise shaped by a syllable-rate envelope, no audio files."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import numpy as np

from briefing.model import ChapterStart, Chime, Clip, Pause, SpokenItem

SR = 22050


def speech_like(seconds: float, *, level: float = 0.3, seed: int = 0, sr: int = SR) -> np.ndarray:
    """Float32 samples: low-passed noise with a ~4 Hz syllable envelope, never silent inside."""
    n = round(seconds * sr)
    rng = np.random.default_rng(seed)
    noise = rng.standard_normal(n).astype(np.float32)
    # A short moving average tilts the spectrum toward speech's low-mid band.
    noise = np.convolve(noise, np.ones(6, np.float32) / 6, mode="same").astype(np.float32)
    noise /= max(float(np.sqrt(np.mean(noise**2))), 1e-9)
    t = np.arange(n, dtype=np.float32) / sr
    env = 0.55 + 0.45 * np.sin(2 * np.pi * (3.5 + seed % 3) * t) ** 2
    fade = min(n // 2, round(0.01 * sr))
    if fade:
        ramp = np.linspace(0, 1, fade, dtype=np.float32)
        env[:fade] *= ramp
        env[n - fade :] *= ramp[::-1]
    out = noise * env * level
    return np.clip(out, -1, 1).astype(np.float32)


def voiced_like(
    seconds: float, *, f0: float = 120.0, level: float = 0.3, seed: int = 0
) -> np.ndarray:
    """Float32 vowel-like audio: a glottal pulse train through two formants, as peaky as eSpeak."""
    from scipy.signal import lfilter

    n = round(seconds * SR)
    rng = np.random.default_rng(seed)
    pulses = np.zeros(n, np.float32)
    period = SR / (f0 * (1 + 0.1 * rng.standard_normal()))
    pulses[(np.arange(0, n, period)).astype(int)] = 1.0
    y = pulses
    for freq, bw in ((700 + 100 * (seed % 3), 250), (1200 + 150 * (seed % 5), 400)):
        r = np.exp(-np.pi * bw / SR)
        y = lfilter([1 - r], [1, -2 * r * np.cos(2 * np.pi * freq / SR), r * r], y)
    y = y + 0.01 * rng.standard_normal(n) * np.abs(y).max()
    t = np.arange(n) / SR
    env = 0.3 + 0.7 * np.sin(np.pi * np.minimum(t * 4 % 1, 1)) ** 2
    fade = min(n // 2, round(0.01 * SR))
    env[:fade] *= np.linspace(0, 1, fade)
    env[n - fade :] *= np.linspace(1, 0, fade)
    y = y * env
    y *= level / max(float(np.sqrt(np.mean(y**2))), 1e-9) / 3
    out: np.ndarray = np.clip(y, -1, 1).astype(np.float32)
    return out


def to_pcm(x: np.ndarray) -> bytes:
    """Float samples to little-endian 16-bit PCM bytes."""
    out: bytes = np.clip(np.rint(x * 32767), -32768, 32767).astype("<i2").tobytes()
    return out


def from_pcm(pcm: bytes) -> np.ndarray:
    """Little-endian 16-bit PCM bytes to float32 samples."""
    return np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768


def item(
    seconds: float,
    text: str = "Words.",
    *,
    speaker: str | None = None,
    voice: str = "narrator",
    story: int = 0,
    level: float = 0.3,
    seed: int = 0,
    voiced: bool = False,
) -> SpokenItem:
    """A SpokenItem holding a speech-like clip."""
    make = voiced_like if voiced else speech_like
    pcm = to_pcm(make(seconds, level=level, seed=seed))
    return SpokenItem(
        clip=Clip(pcm=pcm, sample_rate=SR), text=text, speaker=speaker, voice_id=voice, story=story
    )


def k_weighted(x: np.ndarray, sr: int = SR) -> np.ndarray:
    """Reference K-weighting: int16 samples through pyloudnorm's own filters (time domain, float64).

    Scaled to full scale 1.0; what `briefing.audio.loudness` estimates per step in the frequency
    domain.
    """
    import pyloudnorm
    from scipy.signal import lfilter

    y = np.asarray(x, dtype=np.float64) / 32768
    for stage in pyloudnorm.Meter(sr)._filters.values():
        y = stage.passband_gain * lfilter(stage.b, stage.a, y)
    return y


def k_weighted_steps(x: np.ndarray, sr: int = SR) -> np.ndarray:
    """Reference K-weighted energy per 100 ms step (the last, partial step dropped)."""
    y = k_weighted(x, sr)
    step = round(0.1 * sr)
    whole = len(y) // step * step
    out: np.ndarray = np.square(y[:whole]).reshape(-1, step).sum(axis=1)
    return out


def rms_db(x: np.ndarray) -> float:
    """RMS level in dBFS (-inf guarded)."""
    return float(10 * np.log10(max(float(np.mean(np.square(x, dtype=np.float64))), 1e-20)))


def sample_timeline() -> list[SpokenItem | Pause | Chime | ChapterStart]:
    """Two stories, four voices, pauses and a chime: a small but complete briefing."""
    return [
        ChapterStart("Intro"),
        item(1.2, "Good morning. Here is your briefing.", story=-1, seed=1),
        Pause(400),
        ChapterStart("Storm hits coast"),
        item(0.9, "Storm hits coast", seed=2),
        Pause(300),
        item(1.5, "The storm arrived overnight & flooded <streets>.", seed=3),
        Pause(200),
        item(1.1, "We are ready.", speaker="Jane Doe", voice="f1", level=0.15, seed=4),
        Pause(200),
        item(0.8, "Help is coming.", speaker="John Roe", voice="m2", level=0.5, seed=5),
        Chime(),
        ChapterStart("Markets rally"),
        item(0.7, "Markets rally", story=1, seed=6),
        Pause(300),
        item(1.3, "Stocks rose sharply.", speaker="Ann Poe", voice="f2", story=1, seed=7),
        Pause(500),
        item(0.9, "That was your briefing.", story=-1, seed=8),
    ]


def ffmpeg_exe() -> str | None:
    """The bundled or system ffmpeg, or None (tests needing it skip)."""
    from briefing.audio.ffmpeg import find_ffmpeg

    return find_ffmpeg()


def decode(path: Path, sr: int = SR) -> np.ndarray:
    """Decode any audio file to mono float32 at `sr` with ffmpeg (honours gapless MP3 info)."""
    exe = ffmpeg_exe()
    assert exe is not None
    cmd = [exe, "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1", "-ar", str(sr), "-"]
    out = subprocess.run(cmd, capture_output=True, check=True).stdout
    return from_pcm(out)


def ebur128(path: Path) -> tuple[float, float]:
    """Integrated loudness (LUFS) and true peak (dBTP) as ffmpeg's ebur128 filter reads the file."""
    exe = ffmpeg_exe()
    assert exe is not None
    cmd = [exe, "-nostats", "-hide_banner", "-i", str(path)]
    cmd += ["-af", "ebur128=peak=true", "-f", "null", "-"]
    err = subprocess.run(cmd, capture_output=True, text=True, check=True).stderr
    summary = err[err.rindex("Summary:") :]
    lufs = float(re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary).group(1))  # type: ignore[union-attr]
    peak = float(re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary).group(1))  # type: ignore[union-attr]
    return lufs, peak


def ffmetadata(path: Path) -> str:
    """The file's tags and chapters as ffmpeg reads them (ffmetadata text)."""
    exe = ffmpeg_exe()
    assert exe is not None
    cmd = [exe, "-v", "error", "-i", str(path), "-f", "ffmetadata", "-"]
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def long_timeline(
    stories: int = 3, seconds: float = 20.0
) -> list[SpokenItem | Pause | Chime | ChapterStart]:
    """Several stories of speech-like clips from a few voices at different levels."""
    voices = [("narrator", None, 0.25), ("f1", "Jane Doe", 0.08), ("m1", "John Roe", 0.5)]
    out: list[SpokenItem | Pause | Chime | ChapterStart] = []
    seed = 0
    for s in range(stories):
        if s:
            out.append(Chime())
        out.append(ChapterStart(f"Story {s + 1}"))
        t = 0.0
        while t < seconds:
            voice, speaker, level = voices[seed % 3]
            dur = 1.0 + (seed * 7 % 10) / 5
            out.append(
                item(
                    dur,
                    f"Sentence {seed}.",
                    speaker=speaker,
                    voice=voice,
                    story=s,
                    level=level,
                    seed=seed,
                    voiced=seed % 2 == 0,
                )
            )
            # Mostly sentence pauses, every fourth one a paragraph's (long: sections cut there).
            out.append(Pause(700 if seed % 4 == 3 else 250 + seed * 37 % 300))
            t += dur + 0.4
            seed += 1
    return out
