"""Side-by-side speed of the audio back end on ~100 minutes of speech-like audio (not a test).

Compares, in one run and alternating: single-stream lameenc (the baseline), briefing's gapless
parallel MP3 encoder, and ffmpeg's libmp3lame at 64 kbps when an ffmpeg is present; then times
stitch, level_voices and normalize on the same workload. Prints x-real-time figures and ratios.

    .venv/bin/python benchmarks/encode_bench.py [--minutes 100] [--rounds 3] [--jobs 2]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from briefing.audio.ffmpeg import find_ffmpeg
from briefing.audio.loudness import level_voices, normalize
from briefing.audio.mp3 import encode_mp3, encode_mp3_single
from briefing.audio.stitch import stitch
from briefing.model import Clip, Pause, SpokenItem, TimelineItem

SR = 22050


def _clip(seconds: float, seed: int) -> bytes:
    """Speech-like PCM: a pulse train through a formant, or shaped noise; syllable envelope."""
    rng = np.random.default_rng(seed)
    n = round(seconds * SR)
    if seed % 2:
        src = np.zeros(n)
        src[np.arange(0, n, SR / rng.uniform(90, 220)).astype(int)] = 1.0
        src = np.convolve(src, np.exp(-np.arange(200) / 30) * np.cos(np.arange(200) * 0.25))
        src = src[:n]
    else:
        src = np.convolve(rng.standard_normal(n), np.ones(6) / 6, mode="same")
    t = np.arange(n) / SR
    y = src * (0.3 + 0.7 * np.sin(np.pi * (t * 4 % 1)) ** 2)
    y *= rng.uniform(0.05, 0.3) / max(float(np.sqrt(np.mean(y**2))), 1e-9)
    out: bytes = np.clip(y * 32767, -32768, 32767).astype("<i2").tobytes()
    return out


def workload(minutes: float) -> list[TimelineItem]:
    """Clips of 2-12 s from 6 voices with 250-700 ms pauses, `minutes` long (all clips distinct)."""
    rng = np.random.default_rng(0)
    items: list[TimelineItem] = []
    total, seed = 0.0, 0
    while total < minutes * 60:
        seconds = float(rng.uniform(2, 12))
        voice = f"v{seed % 6}"
        clip = Clip(pcm=_clip(seconds, seed), sample_rate=SR)
        items += [SpokenItem(clip, f"s{seed}", voice, voice, seed // 40), Pause(250 + seed % 450)]
        total += seconds + 0.5
        seed += 1
    return items


def best_of(rounds: int, fn: Callable[[], object]) -> float:
    """Fastest wall time of `rounds` runs."""
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def ffmpeg_mp3(pcm: bytes) -> None:
    """Reference: ffmpeg libmp3lame 64 kbps from raw PCM on stdin."""
    exe = find_ffmpeg()
    assert exe is not None
    with tempfile.TemporaryDirectory() as d:
        cmd = [exe, "-v", "error", "-y", "-f", "s16le", "-ar", str(SR), "-ac", "1", "-i", "-"]
        cmd += ["-codec:a", "libmp3lame", "-b:a", "64k", str(Path(d) / "o.mp3")]
        subprocess.run(cmd, input=pcm, check=True)


def main() -> None:
    """Run the comparison and print the figures."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=100.0)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = ap.parse_args()
    t = time.perf_counter()
    timeline = workload(args.minutes)
    print(f"workload: {args.minutes:.0f} min, {len(timeline) // 2} clips, built in "
          f"{time.perf_counter() - t:.1f} s; {args.jobs} jobs, best of {args.rounds}")  # fmt: skip
    briefing = stitch(timeline)
    pcm, dur = briefing.pcm, briefing.duration

    runs: dict[str, Callable[[], object]] = {
        "lameenc single stream": lambda: encode_mp3_single(pcm, SR),
        "briefing MP3, 1 job": lambda: encode_mp3(pcm, SR, jobs=1),
        f"briefing MP3, {args.jobs} jobs": lambda: encode_mp3(pcm, SR, jobs=args.jobs),
    }
    if find_ffmpeg():
        runs["ffmpeg libmp3lame 64k"] = lambda: ffmpeg_mp3(pcm)
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(args.rounds):  # alternate, so background load hits every contender alike
        for name, fn in runs.items():
            best[name] = min(best[name], best_of(1, fn))
    base = best["lameenc single stream"]
    print(f"\n{'encoder':28} {'seconds':>8} {'x real time':>12} {'vs single':>10}")
    for name, secs in best.items():
        print(f"{name:28} {secs:8.2f} {dur / secs:12.0f} {base / secs:9.2f}x")

    leveled = level_voices(timeline)
    stages: dict[str, Callable[[], object]] = {
        "stitch": lambda: stitch(leveled),
        "level_voices": lambda: level_voices(timeline),
        "normalize": lambda: normalize(briefing),
    }
    print(f"\n{'stage':28} {'seconds':>8} {'x real time':>12}")
    for name, fn in stages.items():
        secs = best_of(args.rounds, fn)
        print(f"{name:28} {secs:8.2f} {dur / secs:12.0f}")


if __name__ == "__main__":
    main()
