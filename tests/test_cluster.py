"""Synthesis on a Dask LocalCluster of two worker processes, with the fake engine.

The cluster must change nothing in the output (same durations, clip keys and audio as the local
pool), survive a worker that dies mid-batch, and refuse workers with another engine version or
a scheduler it cannot reach, before any work.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from batch_helpers import clip_keys, write_articles, write_jobs
from typer.testing import CliRunner

from briefing.batch import BatchReport, BatchSettings, load_jobs, run_batch
from briefing.cli import app
from briefing.errors import ClusterError, MissingDependencyError
from briefing.speech import dask_executor
from briefing.speech.dask_executor import DaskExecutor
from briefing.speech.executor import Executor
from briefing.speech.process_pool import LocalPool

pytest.importorskip("distributed")  # the `cluster` extra; the dev extra installs it

CRASH_MARKER = "Zanzibar"
"""A word in one test article only: the worker that synthesizes it exits, once."""
CRASH_STORY = {
    "storm": (
        "Storm Closes the Coast Road",
        f"Heavy rain closed the coast road to {CRASH_MARKER} on Sunday. "
        "Engineer Ada Lind said the road would reopen within days. "
        "“We will have it cleared by Wednesday if the rain stops,” Lind said.",
    )
}
JOBS = {"first": ["ferry", "orchard"], "second": ["orchard", "museum"], "third": ["museum"]}


@pytest.fixture(scope="module")
def fake_state(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fake-state")


class _Kept(DaskExecutor):
    """The module's cluster, kept open when a batch releases it after synthesis."""

    def close(self) -> None:
        """Kept for the next test; `release` closes it."""

    def release(self) -> None:
        super().close()


@pytest.fixture(scope="module")
def cluster(fake_state: Path) -> Iterator[DaskExecutor]:
    """Two worker processes, started with the crash injection in their environment."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFING_FAKE_FAIL", f"crash-once:{CRASH_MARKER}")
        patch.setenv("BRIEFING_FAKE_STATE", str(fake_state))
        executor = _Kept("local", workers=2)
        try:
            yield executor
        finally:
            executor.release()


def _run(
    folder: Path, jobs: dict[str, list[str]], executor: Executor, cache: Path, write: bool = True
) -> BatchReport:
    path = write_jobs(folder, jobs) if write else folder / "jobs.toml"
    report = run_batch(load_jobs(path), BatchSettings("fake", 2, cache), executor)
    assert report.failed == (), [str(o.error) for o in report.failed]
    return report


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((folder / "out").iterdir())}


def test_the_cluster_renders_what_the_local_pool_renders(
    tmp_path: Path, cluster: DaskExecutor
) -> None:
    assert cluster.workers() == 2
    local, remote = tmp_path / "local", tmp_path / "remote"
    for folder in (local, remote):
        write_articles(folder / "articles")
    by_pool = _run(local, JOBS, LocalPool(2), tmp_path / "cache-local")
    by_cluster = _run(remote, JOBS, cluster, tmp_path / "cache-remote")
    durations = [[o.result.duration if o.result else None for o in r.outcomes]
                 for r in (by_pool, by_cluster)]  # fmt: skip
    assert durations[0] == durations[1] and None not in durations[0]
    keys = clip_keys(tmp_path / "cache-local")
    assert keys == clip_keys(tmp_path / "cache-remote")
    assert by_cluster.clips_synthesized == by_pool.clips_synthesized == len(keys)
    for key in keys:  # the very same clips and statistics, written by the client
        name = f"clips/{key[:2]}/{key}"
        for suffix in (".clip", ".stats"):
            a = (tmp_path / "cache-local" / (name + suffix)).read_bytes()
            assert a == (tmp_path / "cache-remote" / (name + suffix)).read_bytes()
    assert _outputs(local) == _outputs(remote)  # same audio, byte for byte (MP3, WAV, VTT)


def test_cluster_workers_resample_to_the_briefings_rate_as_local_ones_do(
    tmp_path: Path, cluster: DaskExecutor
) -> None:
    import wave

    local, remote = tmp_path / "local", tmp_path / "remote"
    for folder in (local, remote):
        write_articles(folder / "articles")
        path = write_jobs(folder, {"plain": ["ferry"], "hifi": ["museum"]})
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace('name = "hifi"', 'name = "hifi"\nsample_rate = 44100'))
    by_pool = _run(local, {}, LocalPool(2), tmp_path / "cache-local", write=False)
    by_cluster = _run(remote, {}, cluster, tmp_path / "cache-remote", write=False)
    assert [o.result.sample_rate for o in by_cluster.outcomes if o.result] == [22050, 44100]
    with wave.open(str(remote / "out" / "hifi.wav")) as wav:
        assert wav.getframerate() == 44100
    assert clip_keys(tmp_path / "cache-local") == clip_keys(tmp_path / "cache-remote")
    assert by_pool.clips_synthesized == by_cluster.clips_synthesized
    assert _outputs(local) == _outputs(remote)


def test_a_worker_that_dies_mid_batch_loses_and_duplicates_nothing(
    tmp_path: Path, cluster: DaskExecutor, fake_state: Path
) -> None:
    jobs = {"storm": ["ferry", "storm"], "calm": ["museum", "storm"]}
    remote, local = tmp_path / "remote", tmp_path / "local"
    for folder in (remote, local):
        write_articles(folder / "articles", CRASH_STORY)
    by_cluster = _run(remote, jobs, cluster, tmp_path / "cache-remote")
    assert any(fake_state.iterdir())  # a worker did exit on the marked sentence
    keys = clip_keys(tmp_path / "cache-remote")
    assert by_cluster.clips_synthesized == len(keys)  # each clip delivered once
    by_pool = _run(local, jobs, LocalPool(2), tmp_path / "cache-local")  # marked: no crash now
    assert keys == clip_keys(tmp_path / "cache-local")
    assert by_pool.clips_synthesized == len(keys)
    assert _outputs(remote) == _outputs(local)


def test_workers_with_another_engine_version_are_refused_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFING_FAKE_VERSION", "fake-0.9")
    executor = DaskExecutor("local", workers=1)
    try:
        monkeypatch.delenv("BRIEFING_FAKE_VERSION")  # this machine's fake engine: 'fake-1'
        write_articles(tmp_path / "articles")
        path = write_jobs(tmp_path, {"one": ["ferry"]})
        with pytest.raises(MissingDependencyError, match=r"has engine fake 'fake-0\.9'.*'fake-1'"):
            run_batch(load_jobs(path), BatchSettings("fake", 1, tmp_path / "cache"), executor)
        assert not (tmp_path / "out").exists() and not (tmp_path / "cache").exists()
    finally:
        executor.close()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_unreachable_scheduler_is_one_line_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dask_executor, "CONNECT_TIMEOUT", 1.0)
    address = f"tcp://127.0.0.1:{_closed_port()}"
    with pytest.raises(ClusterError, match="cannot reach the Dask scheduler"):
        DaskExecutor(address)
    write_articles(tmp_path / "articles")
    path = write_jobs(tmp_path, {"one": ["ferry"]})
    monkeypatch.setenv("BRIEFING_SCHEDULER", address)  # the option's environment variable
    result = CliRunner().invoke(app, ["batch", str(path), "--engine", "fake"])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(
        f"error: cannot reach the Dask scheduler at {address}"
    )
    assert not (tmp_path / "out").exists()


def test_render_with_an_embedded_cluster_writes_what_the_local_pool_writes(
    tmp_path: Path,
) -> None:
    write_articles(tmp_path / "articles")
    sources = [str(tmp_path / "articles" / f"{name}.txt") for name in ("ferry", "museum")]
    args = ["render", *sources, "--engine", "fake", "--date", "2026-01-05", "--quiet"]
    runner = CliRunner()
    for name, extra in (("pool", []), ("cluster", ["--scheduler", "local", "--jobs", "2"])):
        out = ["-o", str(tmp_path / f"{name}.mp3"), "--cache-dir", str(tmp_path / name)]
        result = runner.invoke(app, [*args, *out, *extra])
        assert result.exit_code == 0, result.output
    assert clip_keys(tmp_path / "pool") == clip_keys(tmp_path / "cluster") != []
    assert (tmp_path / "pool.mp3").read_bytes() == (tmp_path / "cluster.mp3").read_bytes()
