"""`briefing batch` with the local pool and the fake engine: jobs files, sharing, failures."""

from __future__ import annotations

from pathlib import Path

import pytest
from batch_helpers import clip_keys, write_articles, write_jobs
from typer.testing import CliRunner

from briefing.batch import BatchSettings, load_jobs, run_batch
from briefing.cli import app
from briefing.errors import ConfigError
from briefing.speech.process_pool import LocalPool

runner = CliRunner()
FAKE = ["--engine", "fake"]


def _batch(folder: Path, jobs: dict[str, list[str]], cache: Path) -> int:
    """Run a batch of these jobs into `cache`; the number of clips it synthesized."""
    path = write_jobs(folder, jobs)
    settings = BatchSettings(engine="fake", jobs=2, cache_dir=cache)
    report = run_batch(load_jobs(path), settings, LocalPool(2))
    assert report.failed == ()
    return report.clips_synthesized


def test_paths_are_relative_to_the_jobs_file_and_defaults_apply(tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    path = write_jobs(folder, {"a": ["ferry", "museum"], "b": ["orchard"]},
                      extra='[defaults]\nrate = 200\ncast = "cast.toml"\n')  # fmt: skip
    jobs = load_jobs(path)
    assert [job.name for job in jobs] == ["a", "b"]
    assert jobs[0].sources == (
        str(folder / "articles/ferry.txt"),
        str(folder / "articles/museum.txt"),
    )
    assert jobs[0].output == folder / "out/a.mp3" and jobs[1].output == folder / "out/b.wav"
    assert jobs[1].transcripts == (folder / "out/b.vtt",)
    assert {job.rate for job in jobs} == {200} and {job.cast for job in jobs} == {
        folder / "cast.toml"
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[job]]\nsources = ["a.txt"]\noutput = "a.mp3"\nvoice = "x"\n', "unknown key 'voice'"),
        ('[[job]]\nsources = []\noutput = "a.mp3"\n', "'sources' must be a non-empty list"),
        ('[[job]]\nsources = ["-"]\noutput = "a.mp3"\n', "cannot read standard input"),
        ('[[job]]\nsources = ["a.txt"]\n', "'output' is missing"),
        ('[[job]]\nsources = ["a.txt"]\noutput = "a.mp3"\nrate = 9000\n', "'rate' must be"),
        ("[defaults]\nrate = 150\n", "no jobs"),
        ('[[job]]\nsources = ["a.txt"]\noutput = "x.mp3"\n' * 2, "two jobs are named 'x'"),
        ('[[job]]\nname = "p"\nsources = ["a.txt"]\noutput = "x.mp3"\n'
         '[[job]]\nname = "q"\nsources = ["b.txt"]\noutput = "x.mp3"\n', "both write"),
        ("[[job]\n", "not a valid TOML"),
    ],
)  # fmt: skip
def test_a_bad_jobs_file_is_one_error_before_any_work(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "jobs.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_jobs(path)
    result = runner.invoke(app, ["batch", str(path), *FAKE])
    assert result.exit_code == 2
    assert message.split("'", maxsplit=1)[0] in result.stderr and "Traceback" not in result.stderr


def test_dry_run_prints_the_plan_and_writes_nothing(tmp_path: Path) -> None:
    path = write_jobs(tmp_path, {"ferries": ["ferry"], "maps": ["museum", "ferry"]})
    result = runner.invoke(app, ["batch", str(path), "--dry-run", *FAKE])
    assert result.exit_code == 0, result.output
    assert "2 jobs, synthesis on local worker processes" in result.stdout
    assert "ferries" in result.stdout and str(tmp_path / "out" / "maps.wav") in result.stdout
    assert str(tmp_path / "articles" / "museum.txt") in result.stdout
    assert not (tmp_path / "out").exists()


def test_a_story_in_several_briefings_is_synthesized_once(tmp_path: Path) -> None:
    write_articles(tmp_path / "articles")
    alone_a = _batch(tmp_path, {"a": ["ferry", "orchard"]}, tmp_path / "cache-a")
    alone_b = _batch(tmp_path, {"b": ["orchard", "museum"]}, tmp_path / "cache-b")
    together = _batch(tmp_path, {"a": ["ferry", "orchard"], "b": ["orchard", "museum"]},
                      tmp_path / "cache-ab")  # fmt: skip
    entries = clip_keys(tmp_path / "cache-ab")
    assert together == len(entries)
    assert set(entries) == set(clip_keys(tmp_path / "cache-a")) | set(
        clip_keys(tmp_path / "cache-b")
    )
    # The orchard story's clips are shared; only the intros and outros differ per briefing.
    assert together < alone_a + alone_b
    assert (tmp_path / "out" / "a.mp3").stat().st_size > 0 and (tmp_path / "out" / "b.wav").exists()


def test_a_failed_job_is_reported_by_name_and_the_others_finish(tmp_path: Path) -> None:
    write_articles(tmp_path / "articles")
    jobs = {"good": ["ferry"], "broken": ["ferry", "missing"], "named": ["museum"]}
    path = write_jobs(tmp_path, jobs)
    text = path.read_text(encoding="utf-8").replace(
        'name = "named"', 'name = "named"\nprofile = "radio"'
    )
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["batch", str(path), *FAKE, "--cache-dir", str(tmp_path / "c")])
    assert result.exit_code == 1, result.output
    errors = [line for line in result.stderr.splitlines() if "error:" in line]
    assert len(errors) == 2
    assert errors[0].startswith("job broken: error:") and "missing.txt" in errors[0]
    assert errors[1].startswith("job named: error:") and "profile 'radio'" in errors[1]
    assert "1 of 3 jobs rendered" in result.stderr
    assert (tmp_path / "out" / "good.mp3").stat().st_size > 0
    assert not (tmp_path / "out" / "broken.wav").exists()
    assert not (tmp_path / "out" / "named.mp3").exists()


def test_no_cache_renders_every_job_through_a_temporary_clip_cache(tmp_path: Path) -> None:
    from briefing.speech.clip_cache import ClipCache

    write_articles(tmp_path / "articles")
    path = write_jobs(tmp_path, {"a": ["ferry", "museum"], "b": ["museum", "ferry"]})
    result = runner.invoke(app, ["batch", str(path), *FAKE, "--no-cache"])
    assert result.exit_code == 0, result.output
    assert "2 of 2 jobs rendered" in result.stderr
    assert (tmp_path / "out" / "a.mp3").exists() and (tmp_path / "out" / "b.wav").exists()
    assert (
        ClipCache().info().entries == 0
    )  # the user's cache (conftest points it away) is untouched
