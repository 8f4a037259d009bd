"""Narration synthesized while attribution parses: the render then makes only the quotes."""

from __future__ import annotations

import datetime as dt
import shutil
import threading
from pathlib import Path

import pytest

from briefing.model import SegmentKind, Utterance, Voice
from briefing.output.options import RenderOptions
from briefing.output.prefetch import NarrationAhead
from briefing.output.render import render, render_plan
from briefing.output.timeline import Line, Structure
from briefing.pipeline import ScriptOptions, build_script
from briefing.speech import process_pool
from briefing.speech.engines import worker
from briefing.speech.executor import SynthJob

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((REPO / "examples").glob("*.txt"))
STRUCTURE = Structure(date=dt.date(2026, 5, 1))


def _utterances(n: int) -> list[Utterance]:
    return [
        Utterance(Voice("gmw/en-us"), 175, f"Sentence {i} says {i % 7} things.") for i in range(n)
    ]


def _options(out: Path, cache: Path) -> RenderOptions:
    return RenderOptions(output=out, structure=STRUCTURE, cache_dir=cache)


def test_narration_made_ahead_leaves_the_render_only_the_quotes(tmp_path: Path) -> None:
    sources = [str(shutil.copy(p, tmp_path / p.name)) for p in EXAMPLES]
    cache = tmp_path / "cache"
    options = _options(tmp_path / "ahead.mp3", cache)
    ahead = NarrationAhead(options, "fake")
    try:
        script = build_script(sources, ScriptOptions(engine="fake", cache_dir=cache), None,
                              ahead.start)  # fmt: skip
        ahead.finish()
        result = render(script, options, "fake")
    finally:
        ahead.cancel()
        worker.discard_spare_workers()
    lines = [item for item in render_plan(script, options) if isinstance(item, Line)]
    unique = {line.utterance for line in lines}
    narrated = {line.utterance for line in lines if line.speaker is None}
    quotes = sum(s.kind is SegmentKind.QUOTE for story in script.stories for s in story.segments)
    assert quotes > 0 and ahead.queued > 0
    # Every story's narrator line was made ahead; the render made the rest (quotes, the intro
    # and outro, which name the whole briefing) and nothing twice.
    assert ahead.queued + result.clips_synthesized == len(unique)
    assert ahead.queued <= len(narrated) < len(unique)

    # The same briefing, byte for byte, as a render that made every clip itself.
    plain = _options(tmp_path / "plain.mp3", tmp_path / "other-cache")
    script = build_script(sources, ScriptOptions(engine="fake", cache_dir=tmp_path / "other"))
    alone = render(script, plain, "fake")
    assert alone.clips_synthesized == len(unique)
    assert (tmp_path / "plain.mp3").read_bytes() == (tmp_path / "ahead.mp3").read_bytes()


def test_a_script_cache_hit_synthesizes_nothing_ahead(tmp_path: Path) -> None:
    sources = [str(shutil.copy(p, tmp_path / p.name)) for p in EXAMPLES[:1]]
    script_options = ScriptOptions(engine="fake", cache_dir=tmp_path / "cache")
    build_script(sources, script_options)
    seen: list[object] = []
    build_script(sources, script_options, None, seen.append)
    assert seen == []


def test_a_pool_run_ahead_hands_its_workers_to_the_next_pool(tmp_path: Path) -> None:
    jobs = [SynthJob(u, 16000) for u in _utterances(20)]
    delivered: list[int] = []
    process_pool.LocalPool(2, hand_on=True).run(
        "fake", jobs, lambda i, _: delivered.append(i), None, [f"job {i}" for i in range(20)]
    )
    try:
        spares = [entry[1] for entry in worker._spares]
        assert sorted(delivered) == list(range(20)) and len(spares) == 2
        assert all(p.poll() is None for p in spares) and all(e[3] for e in worker._spares)
        again: list[int] = []
        process_pool.LocalPool(2).run("fake", jobs, lambda i, _: again.append(i), None,
                                      [f"job {i}" for i in range(20)])  # fmt: skip
        assert sorted(again) == list(range(20))
        assert worker._spares == []  # both taken by the second pool, which stopped them
        for process in spares:
            process.wait(5)
    finally:
        worker.discard_spare_workers()


def test_a_cancelled_pool_stops_its_workers_and_returns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_FAKE_FAIL", "slow:Sentence")  # each takes a quarter second
    cancel = threading.Event()
    delivered: list[int] = []
    started: list[object] = []
    original = worker.take_worker

    def spy(engine: str) -> tuple[object, object, bool]:
        found = original(engine)
        started.append(found[0])
        return found

    monkeypatch.setattr(process_pool, "take_worker", spy)
    jobs = [SynthJob(u, 16000) for u in _utterances(40)]
    timer = threading.Timer(1.0, cancel.set)
    timer.start()
    process_pool.LocalPool(2, hand_on=True, cancel=cancel).run(
        "fake", jobs, lambda i, _: delivered.append(i), None, [f"job {i}" for i in range(40)]
    )
    # 40 x 0.25 s on two workers take 5 s: cancelled after 1 s, the run stopped part way.
    assert len(delivered) < 40 and worker._spares == []
    assert started and all(p.poll() is not None for p in started)  # type: ignore[attr-defined]


def test_nothing_is_synthesized_ahead_into_a_cache_that_cannot_be_written(tmp_path: Path) -> None:
    sources = [str(shutil.copy(p, tmp_path / p.name)) for p in EXAMPLES[:1]]
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the cache directory should be", encoding="utf-8")
    ahead = NarrationAhead(_options(tmp_path / "a.mp3", blocker / "cache"), "fake")
    build_script(sources, ScriptOptions(engine="fake", use_cache=False), None, ahead.start)
    ahead.finish()
    # The render would go without the cache and make every clip itself: none are made twice.
    assert ahead.queued == 0 and ahead._thread is None
