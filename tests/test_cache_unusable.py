"""A cache that cannot be written is named once, and the render goes on without it."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from briefing.cli import app

runner = CliRunner()


def test_an_unwritable_cache_is_named_once_and_skipped(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Harbour Bridge Reopens\n\nThe bridge reopened on Monday.\n", "utf-8")
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the cache directory should be", encoding="utf-8")
    out = tmp_path / "b.wav"
    result = runner.invoke(app, ["render", str(article), "-o", str(out), "--engine", "fake",
                                 "--cache-dir", str(blocker / "cache")])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "cannot be written" in warnings[0], result.stderr
    assert out.stat().st_size > 1000
    quiet = runner.invoke(app, ["render", str(article), "-o", str(out), "--engine", "fake",
                                "--cache-dir", str(blocker / "cache"), "--quiet"])  # fmt: skip
    assert quiet.exit_code == 0 and quiet.stderr == ""
