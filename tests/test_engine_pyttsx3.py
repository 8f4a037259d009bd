"""The real engine: pyttsx3 + the bundled eSpeak NG, always in spawned workers (a few clips)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from briefing.model import Clip, Gender, Utterance, Voice
from briefing.speech.engines import (
    check_engine,
    close_matches,
    engine_version,
    list_voices,
    variant_gender,
    voice_exists,
)
from briefing.speech.engines.verify import duration_bounds
from briefing.speech.pool import synthesize_all

pytestmark = pytest.mark.engine

TEXT = "The mayor said the new bridge would open in the spring of next year, weather permitting."


def _median_f0(clip: Clip) -> float:
    """Median fundamental frequency of loud 40 ms frames, by autocorrelation (60-400 Hz)."""
    samples = np.frombuffer(clip.pcm, dtype="<i2").astype(np.float64)
    n, rate = int(0.04 * clip.sample_rate), clip.sample_rate
    frames = [samples[i : i + n] for i in range(0, len(samples) - n, n)]
    loud = max(float(np.abs(f).max()) for f in frames) * 0.3
    f0s = []
    for frame in frames:
        if np.abs(frame).max() < loud:
            continue
        centred = frame - frame.mean()
        corr = np.correlate(centred, centred, "full")[n - 1 :]
        lo, hi = rate // 400, rate // 60
        lag = lo + int(np.argmax(corr[lo:hi]))
        f0s.append(rate / lag)
    return float(np.median(f0s))


def test_check_engine_does_not_initialize_espeak_here() -> None:
    check_engine("pyttsx3")
    assert "pyttsx3" in engine_version("pyttsx3") and "eSpeak NG" in engine_version("pyttsx3")
    from pyttsx3.drivers.espeak import EspeakDriver

    assert not EspeakDriver._moduleInitialized


def test_voices_come_from_the_bundled_data() -> None:
    ids = {v.id for v in list_voices("pyttsx3")}
    assert {"gmw/en-us", "gmw/en-gb-x-rp", "gmw/en-gb-scotland"} <= ids
    assert voice_exists("pyttsx3", "gmw/en-gb-scotland+m2")
    assert voice_exists("pyttsx3", "gmw/en-us+anika")
    assert not voice_exists("pyttsx3", "gmw/en-us+f9")
    assert not voice_exists("pyttsx3", "gmw/en-usa")
    assert "gmw/en-us+f3" in close_matches("pyttsx3", "gmw/en-usa+f3")
    assert variant_gender("gmw/en-us+f2") is Gender.FEMALE


def test_real_clips_have_the_right_format_length_and_voices() -> None:
    utterances = [
        Utterance(Voice("gmw/en-us"), 175, TEXT),
        Utterance(Voice("gmw/en-us+f3"), 175, TEXT),
        Utterance(Voice("gmw/en-gb-scotland+m2"), 175, TEXT),
        Utterance(Voice("gmw/en-us", rate=260), 175, TEXT),
        Utterance(Voice("gmw/en-us", pitch=90), 175, TEXT),
    ]
    clips = synthesize_all(utterances, engine="pyttsx3", jobs=2)
    for clip, utterance in zip(clips, utterances, strict=True):
        lower, upper = duration_bounds(utterance)
        assert clip.sample_rate == 22050
        assert lower <= clip.duration <= upper
    plain, female, scottish, fast, high = clips
    assert fast.duration < plain.duration * 0.85  # the voice's own rate wins
    assert _median_f0(female) > 1.3 * _median_f0(plain)
    assert _median_f0(high) > 1.1 * _median_f0(plain)
    assert _median_f0(scottish) < _median_f0(female)
    from pyttsx3.drivers.espeak import EspeakDriver

    assert not EspeakDriver._moduleInitialized  # synthesis ran in workers only


@pytest.mark.parametrize("mode", ["direct", "api"])
def test_nothing_from_pyttsx3_reaches_stdout(mode: str) -> None:
    script = textwrap.dedent(
        """
        from briefing.model import Utterance, Voice
        from briefing.speech.engines.pyttsx3_engine import Pyttsx3Engine
        engine = Pyttsx3Engine()
        for i in range(3):  # the first save in a process is the one pyttsx3 drops
            clip = engine.synthesize(Utterance(Voice("gmw/en-us"), 175, f"Clip {i} is here."))
            assert clip.duration > 0.3, clip.duration
        """
    )
    env = {**os.environ, "BRIEFING_PYTTSX3_MODE": mode}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
