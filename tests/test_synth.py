"""The worker pool, with the fake engine: order, dedup, cache, retries, kills, Ctrl-C."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from briefing.errors import ConfigError, MissingDependencyError, SynthesisError
from briefing.model import Clip, Utterance, Voice
from briefing.speech import pool as synth
from briefing.speech import process_pool
from briefing.speech.clip_cache import ClipCache
from briefing.speech.engines.fake import FakeEngine
from briefing.speech.pool import synthesize_all

VOICES = ["gmw/en-us", "gmw/en-us+f3", "gmw/en-gb-scotland+m2", "gmw/en-gb-x-rp+m3"]


def _utterances(n: int, marker: str = "") -> list[Utterance]:
    return [
        Utterance(
            Voice(VOICES[i % len(VOICES)]), 175, f"Sentence {i} says {i % 7} things {marker}."
        )
        for i in range(n)
    ]


def _children() -> list[int]:
    """Live (non-zombie) child processes of this process, read from /proc."""
    return _children_of(os.getpid())


def _children_of(me: int) -> list[int]:
    """Live (non-zombie) child processes of `me`, read from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        # multiprocessing's resource tracker and forkserver (started by the cluster tests' Dask
        # workers) are shared and live as long as this process: neither is a worker.
        shared = b"resource_tracker" in command or b"multiprocessing.forkserver" in command
        if int(fields[1]) == me and fields[0] != "Z" and not shared:
            found.append(int(entry.name))
    return found


@pytest.fixture(autouse=True)
def _no_leftover_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> object:
    monkeypatch.setenv("BRIEFING_FAKE_STATE", str(tmp_path / "fake-state"))
    monkeypatch.delenv("BRIEFING_FAKE_FAIL", raising=False)
    yield
    assert multiprocessing.active_children() == []
    assert _children() == []


def test_results_come_back_in_input_order() -> None:
    utterances = _utterances(60)
    clips = synthesize_all(utterances, engine="fake", jobs=2)
    engine = FakeEngine()
    assert clips == [engine.synthesize(u) for u in utterances]


def test_duplicates_are_synthesized_once_and_progress_reaches_total() -> None:
    utterances = _utterances(5) * 3
    seen: list[tuple[int, int]] = []
    clips = synthesize_all(
        utterances, engine="fake", jobs=1, progress=lambda d, t: seen.append((d, t))
    )
    assert clips[:5] == clips[5:10] == clips[10:]
    assert seen[0] == (0, 15) and seen[-1] == (15, 15)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert len(seen) == 6  # the start, then one call per distinct utterance


def test_empty_input_starts_no_worker() -> None:
    assert synthesize_all([], engine="fake") == []


def test_warm_cache_starts_no_worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = ClipCache(tmp_path / "cache")
    utterances = _utterances(20)
    cold = synthesize_all(utterances, engine="fake", jobs=2, cache=cache)

    def no_pool(*args: object, **kwargs: object) -> None:
        raise AssertionError("a worker was started on a warm cache")

    monkeypatch.setattr(process_pool._Pool, "run", no_pool)
    assert synthesize_all(utterances, engine="fake", jobs=2, cache=cache) == cold


def test_only_changed_utterances_are_synthesized(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path / "cache")
    utterances = _utterances(20)
    synthesize_all(utterances, engine="fake", cache=cache)
    changed = [*utterances[:-1], Utterance(utterances[-1].voice, 175, "A new sentence.")]
    seen: list[tuple[int, int]] = []
    synthesize_all(changed, engine="fake", cache=cache, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(19, 20), (20, 20)]


@pytest.mark.parametrize("mode", ["raise-once", "crash-once", "empty-once"])
def test_a_failure_is_retried_in_another_worker(mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_FAKE_FAIL", f"{mode}:BOOM")
    utterances = _utterances(30)
    utterances[7] = Utterance(Voice("gmw/en-us"), 175, "This one goes BOOM once.")
    clips = synthesize_all(utterances, engine="fake", jobs=2)
    engine = FakeEngine()
    monkeypatch.delenv("BRIEFING_FAKE_FAIL")
    assert clips == [engine.synthesize(u) for u in utterances]


def test_a_hung_worker_is_killed_and_the_utterance_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_FAKE_FAIL", "hang-once:STUCK")
    utterances = _utterances(10)
    utterances[3] = Utterance(Voice("gmw/en-us"), 175, "This one is STUCK for a while.")
    clips = synthesize_all(utterances, engine="fake", jobs=1, timeout=1.0)
    assert len(clips) == 10 and all(c.pcm for c in clips)


@pytest.mark.parametrize("mode", ["raise", "crash", "hang", "empty"])
def test_a_persistent_failure_names_the_segment(mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_FAKE_FAIL", f"{mode}:BAD")
    utterances = _utterances(12)
    utterances[5] = Utterance(Voice("gmw/en-us"), 175, "Always BAD news.")
    labels = [f"story 1 'Headline', segment {i + 1}" for i in range(12)]
    with pytest.raises(SynthesisError, match="story 1 'Headline', segment 6"):
        synthesize_all(utterances, engine="fake", jobs=2, labels=labels, timeout=1.0)


def test_a_missing_backend_is_reported_as_such_without_retry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BRIEFING_FAKE_FAIL", "missing:Sentence 3 ")
    with pytest.raises(MissingDependencyError, match="not installed"):
        synthesize_all(_utterances(8), engine="fake", jobs=1)


def test_a_worker_that_cannot_build_its_engine_reports_why() -> None:
    with pytest.raises(ConfigError, match="unknown engine"):
        synthesize_all(_utterances(2), engine="no-such-engine")


def test_keyboard_interrupt_from_progress_stops_every_worker() -> None:
    def interrupt(done: int, total: int) -> None:
        if done > 0:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        synthesize_all(_utterances(200), engine="fake", jobs=2, progress=interrupt)


def test_sigint_while_workers_hang_stops_every_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_FAKE_FAIL", "hang:Sentence")
    timer = threading.Timer(1.5, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            synthesize_all(_utterances(40), engine="fake", jobs=2, timeout=120.0)
    finally:
        timer.cancel()


def test_clips_are_plain_clip_values() -> None:
    (clip,) = synthesize_all(_utterances(1), engine="fake")
    assert isinstance(clip, Clip) and clip.sample_rate == 22050 and clip.duration > 0.5


_CTRL_C_SCRIPT = """
import sys
from briefing.model import Utterance, Voice
from briefing.speech.pool import synthesize_all

if __name__ == "__main__":
    utterances = [Utterance(Voice("gmw/en-us"), 175, f"Sentence {i} hangs.") for i in range(40)]
    try:
        synthesize_all(utterances, engine="fake", jobs=2, timeout=120.0)
    except KeyboardInterrupt:
        sys.exit(130)
"""


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize("when", ["starting", "busy"])
def test_ctrl_c_to_the_process_group_leaves_no_worker_and_no_traceback(
    when: str, tmp_path: Path
) -> None:
    script = tmp_path / "render.py"
    script.write_text(_CTRL_C_SCRIPT)
    state = tmp_path / "state"
    env = {**os.environ, "BRIEFING_FAKE_FAIL": "hang-once:hangs", "BRIEFING_FAKE_STATE": str(state)}
    process = subprocess.Popen(
        [sys.executable, str(script)],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal would have
    )
    try:
        for _ in range(3000):  # bounded polling, not a timing assertion
            started = _children_of(process.pid)
            if (when == "starting" and started) or (
                when == "busy" and state.is_dir() and any(state.iterdir())
            ):
                break
            threading.Event().wait(0.01)
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 130
    assert "Traceback" not in stderr
    for _ in range(1000):
        if not _group_alive(process.pid):
            break
        threading.Event().wait(0.01)
    assert not _group_alive(process.pid)


def test_workers_do_not_rerun_the_callers_main_script(tmp_path: Path) -> None:
    # multiprocessing's spawn would re-run this unguarded script in every worker.
    script = tmp_path / "unguarded.py"
    script.write_text(
        "from briefing.model import Utterance, Voice\n"
        "from briefing.speech.pool import synthesize_all\n"
        "print('main ran')\n"
        "clips = synthesize_all([Utterance(Voice('gmw/en-us'), 175, 'One two three.')] * 3,"
        " engine='fake')\n"
        "print(len(clips))\n"
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout) == (0, "main ran\n3\n"), done.stderr


def test_workers_of_a_killed_render_exit_even_while_hung(tmp_path: Path) -> None:
    script = tmp_path / "render.py"
    script.write_text(_CTRL_C_SCRIPT)
    state = tmp_path / "state"
    env = {**os.environ, "BRIEFING_FAKE_FAIL": "hang-once:hangs", "BRIEFING_FAKE_STATE": str(state)}
    process = subprocess.Popen([sys.executable, str(script)], env=env, start_new_session=True)
    workers: list[int] = []
    try:
        for _ in range(3000):
            workers = _children_of(process.pid)
            if state.is_dir() and any(state.iterdir()):
                break
            threading.Event().wait(0.01)
        assert workers
        process.kill()  # SIGKILL: no cleanup runs in the parent
        process.wait()
        for _ in range(1000):
            if not any(Path(f"/proc/{pid}").exists() for pid in workers):
                break
            threading.Event().wait(0.01)
        assert not any(Path(f"/proc/{pid}").exists() for pid in workers)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


def test_workers_store_clips_in_the_cache_without_sending_them(tmp_path: Path) -> None:
    from briefing.audio.clip_stats import ClipStats, clip_stats
    from briefing.speech.clip_cache import entry_bytes

    utterances = _utterances(20)
    cache = ClipCache(tmp_path)
    keys = [f"{i:064x}" for i in range(len(utterances))]
    arrived: dict[int, tuple[Clip | None, bytes]] = {}
    synth.synthesize_each(
        utterances,
        lambda i, clip, stats: arrived.__setitem__(i, (clip, stats)),
        store=(cache, keys),
        engine="fake",
        jobs=2,
    )
    assert sorted(arrived) == list(range(len(utterances)))
    engine = FakeEngine()
    for i, utterance in enumerate(utterances):
        clip, stats = arrived[i]
        assert clip is None  # the audio stayed in the worker
        stored = cache.get(keys[i])
        assert stored == engine.synthesize(utterance)
        assert stored is not None
        assert stats == clip_stats(stored).to_bytes()
        assert ClipStats.from_bytes(stats) is not None
        assert cache.get_stats(keys[i]) == stats
    # The render's own instance counted what the workers wrote.
    assert (
        cache._bytes
        == cache.info().bytes
        == sum(entry_bytes(engine.synthesize(u)) for u in utterances)
    )


def test_a_prestarted_worker_is_taken_by_the_pool_and_spares_are_discarded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from briefing.speech.engines import worker

    worker.prestart_worker("fake")
    spare_pid = worker._spares[-1][1].pid
    started: list[int] = []
    original = worker.take_worker

    def spy(engine: str) -> tuple[subprocess.Popen[bytes], object, bool]:
        process, conn, ready = original(engine)
        started.append(process.pid)
        return process, conn, ready

    monkeypatch.setattr(process_pool, "take_worker", spy)
    clips = synthesize_all(_utterances(3), engine="fake", jobs=1)
    assert len(clips) == 3 and started == [spare_pid]
    worker.prestart_worker("fake")
    unused = worker._spares[-1][1]
    worker.discard_spare_workers()
    assert worker._spares == [] and unused.poll() is not None
