"""The clip cache: keys, round trips, corruption, atomic writes, eviction, info and clear."""

from __future__ import annotations

import os
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from briefing.model import Clip, Utterance, Voice
from briefing.speech.clip_cache import ClipCache, clip_key
from briefing.storage import CHECK_BYTES, default_directory

UTTERANCE = Utterance(Voice("gmw/en-us+f3", pitch=60), 175, "The council voted on Tuesday.")


def _clip(n: int, value: int = 1) -> Clip:
    return Clip(bytes([value, 0]) * n, 22050)


def _files(directory: Path, suffix: str) -> list[Path]:
    return [p for p in directory.rglob("*") if p.name.endswith(suffix)]


def test_key_covers_everything_that_shapes_the_audio() -> None:
    def key(engine: str, version: str, utterance: Utterance, sample_rate: int = 22050) -> str:
        return clip_key(engine, version, utterance, sample_rate=sample_rate)

    base = key("pyttsx3", "v1", UTTERANCE)
    voice = UTTERANCE.voice
    variants = [
        key("fake", "v1", UTTERANCE),
        key("pyttsx3", "v2", UTTERANCE),
        key(
            "pyttsx3",
            "v1",
            replace(UTTERANCE, voice=replace(voice, id="gmw/en-us")),
            sample_rate=22050,
        ),
        key("pyttsx3", "v1", replace(UTTERANCE, rate=180)),
        key("pyttsx3", "v1", replace(UTTERANCE, voice=replace(voice, pitch=61)), sample_rate=22050),
        key(
            "pyttsx3", "v1", replace(UTTERANCE, voice=replace(voice, volume=0.5)), sample_rate=22050
        ),
        key(
            "pyttsx3",
            "v1",
            replace(UTTERANCE, text="The council voted on Monday."),
            sample_rate=22050,
        ),
        key("pyttsx3", "v1", UTTERANCE, 44100),
    ]
    assert len({base, *variants}) == len(variants) + 1


def test_key_uses_the_rate_actually_rendered() -> None:
    own_rate = replace(UTTERANCE, voice=replace(UTTERANCE.voice, rate=150), rate=175)
    same = replace(UTTERANCE, voice=replace(UTTERANCE.voice, rate=150), rate=200)
    assert clip_key("f", "1", own_rate, sample_rate=22050) == clip_key(
        "f", "1", same, sample_rate=22050
    )


def test_round_trip_and_miss(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path)
    assert cache.get("ab" * 32) is None
    cache.put("ab" * 32, _clip(1000))
    assert cache.get("ab" * 32) == _clip(1000)
    assert _files(tmp_path, ".tmp") == []


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty"])
def test_a_corrupt_entry_is_discarded(tmp_path: Path, damage: str) -> None:
    cache = ClipCache(tmp_path)
    cache.put("cd" * 32, _clip(1000))
    (path,) = _files(tmp_path, ".clip")
    data = path.read_bytes()
    path.write_bytes({"truncate": data[:-7], "garbage": b"x" * len(data), "empty": b""}[damage])
    assert cache.get("cd" * 32) is None
    assert not path.exists()


def test_default_directory_honours_xdg_cache_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_directory() == tmp_path / "briefing"
    assert ClipCache().directory == tmp_path / "briefing"


def test_least_recently_used_entries_are_evicted(tmp_path: Path) -> None:
    size = 16 + 2000 + CHECK_BYTES
    cache = ClipCache(tmp_path, max_bytes=size * 3)
    keys = [f"{i:02d}" * 32 for i in range(3)]
    for age, key in enumerate(keys):
        cache.put(key, _clip(1000))
        (path,) = [p for p in _files(tmp_path, ".clip") if p.name.startswith(key)]
        os.utime(path, (1_000_000 + age, 1_000_000 + age))
    assert cache.get(keys[0]) is not None  # a hit makes the oldest the most recent
    cache.put("99" * 32, _clip(1000))
    assert cache.get(keys[1]) is None
    assert cache.get(keys[0]) is not None and cache.get("99" * 32) is not None
    assert cache.info().bytes <= size * 3


def test_info_and_clear(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path)
    for i in range(4):
        cache.put(f"{i:02d}" * 32, _clip(100))
    info = cache.info()
    assert (info.entries, info.bytes, info.directory) == (4, 4 * (16 + 200 + CHECK_BYTES), tmp_path)
    assert cache.clear() == (4, 0)
    assert cache.info().entries == 0
    assert ClipCache(tmp_path / "never-used").info().entries == 0


def test_stale_temporaries_from_killed_renders_are_swept(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path)
    cache.put("ee" * 32, _clip(10))
    (path,) = _files(tmp_path, ".clip")
    stale = path.with_name(".dead.123.456.tmp")
    stale.write_bytes(b"half a clip")
    os.utime(stale, (1_000_000, 1_000_000))
    assert cache.info().entries == 1
    assert not stale.exists()


def test_an_unwritable_cache_only_costs_the_entry(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    cache = ClipCache(blocker)
    cache.put("ff" * 32, _clip(10))
    assert cache.get("ff" * 32) is None


def test_concurrent_writers_never_expose_a_partial_entry(tmp_path: Path) -> None:
    key = "aa" * 32
    clips = [_clip(50_000, value) for value in (1, 2, 3)]
    stop = threading.Event()
    bad: list[object] = []

    def write(clip: Clip) -> None:
        cache = ClipCache(tmp_path)
        while not stop.is_set():
            cache.put(key, clip)

    def read() -> None:
        cache = ClipCache(tmp_path)
        for _ in range(300):
            got = cache.get(key)
            if got is not None and got not in clips:
                bad.append(got)

    writers = [threading.Thread(target=write, args=(c,)) for c in clips]
    for thread in writers:
        thread.start()
    try:
        read()
    finally:
        stop.set()
        for thread in writers:
            thread.join()
    assert bad == []
    assert ClipCache(tmp_path).get(key) in clips
