"""Outputs checked before any synthesis: long names, inputs, repeats, pipes (issue 16)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app

FAKE = ["--engine", "fake"]
runner = CliRunner()
ARTICLE = "Harbour Bridge Reopens\n\nThe bridge reopened on Monday after repairs.\n"


def _one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    return lines[0]


def _article(tmp_path: Path, name: str = "a.txt") -> Path:
    path = tmp_path / name
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def _render(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["render", *args, "--quiet", *FAKE])
    return result.exit_code, result.stderr


def test_a_254_character_output_name_renders(tmp_path: Path) -> None:
    out = tmp_path / ("n" * 250 + ".mp3")
    code, stderr = _render(str(_article(tmp_path)), "-o", str(out))
    assert code == 0, stderr
    assert out.stat().st_size > 0
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize("which", ["-o", "--transcript"])
def test_a_name_over_255_bytes_is_exit_2_before_synthesis(tmp_path: Path, which: str) -> None:
    article = _article(tmp_path)
    long = tmp_path / ("n" * 255 + (".mp3" if which == "-o" else ".vtt"))
    args = ["-o", str(long)] if which == "-o" else ["-o", str(tmp_path / "b.mp3"), which, str(long)]
    code, stderr = _render(str(article), *args, "--cache-dir", str(tmp_path / "cache"))
    assert code == 2
    assert "file name too long" in _one_line(stderr)
    assert not (tmp_path / "cache" / "clips").exists()  # nothing was synthesized
    assert [p.name for p in tmp_path.iterdir() if p.suffix != ".txt" and p.name != "cache"] == []


@pytest.mark.parametrize("option", ["-o", "--transcript", "--chapters"])
def test_an_output_that_is_an_input_is_refused_and_the_input_kept(
    tmp_path: Path, option: str
) -> None:
    name = {"-o": "in.mp3", "--transcript": "in.txt", "--chapters": "in.json"}[option]
    article = _article(tmp_path, name)
    args = ["-o", str(article)] if option == "-o" else ["-o", str(tmp_path / "b.mp3")]
    if option != "-o":
        args += [option, str(article)]
    code, stderr = _render(str(article), *args)
    assert code == 2
    assert "input" in _one_line(stderr)
    assert article.read_text(encoding="utf-8") == ARTICLE
    assert not (tmp_path / "b.mp3").exists()


def test_an_output_inside_an_input_directory_is_refused(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    article = _article(articles, "story.txt")
    code, stderr = _render(str(articles), "-o", str(tmp_path / "b.mp3"), "--transcript",
                           str(article))  # fmt: skip
    assert code == 2, stderr
    assert article.read_text(encoding="utf-8") == ARTICLE


def test_two_outputs_on_one_path_are_refused(tmp_path: Path) -> None:
    article = _article(tmp_path)
    out = tmp_path / "t.json"
    code, stderr = _render(str(article), "-o", str(tmp_path / "b.mp3"), "--transcript", str(out),
                           "--chapters", str(tmp_path / "." / "t.json"))  # fmt: skip
    assert code == 2
    assert "named twice" in _one_line(stderr)
    assert not out.exists() and not (tmp_path / "b.mp3").exists()


def test_a_fifo_output_is_refused_and_left_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.mp3"
    os.mkfifo(fifo)
    code, stderr = _render(str(_article(tmp_path)), "-o", str(fifo))
    assert code == 2
    assert "not a regular file" in _one_line(stderr)
    assert fifo.is_fifo()


def test_cache_clear_on_a_cache_it_cannot_write_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    code, stderr = _render(str(_article(tmp_path)), "-o", str(tmp_path / "b.mp3"),
                           "--cache-dir", str(cache))  # fmt: skip
    assert code == 0, stderr
    entries = sorted(p for p in cache.rglob("*") if p.is_file())
    assert entries
    for directory in sorted((p for p in cache.rglob("*") if p.is_dir()), reverse=True):
        directory.chmod(0o555)
    if os.geteuid() == 0:  # root ignores the modes: fail the removals the way they would fail

        def refuse(*args: object, **kwargs: object) -> None:
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(os, "unlink", refuse)
        monkeypatch.setattr(os, "rmdir", refuse)
    try:
        result = runner.invoke(app, ["cache", "clear", "--cache-dir", str(cache)])
    finally:
        monkeypatch.undo()
        for directory in (p for p in cache.rglob("*") if p.is_dir()):
            directory.chmod(0o755)
    assert result.exit_code == 1
    assert "could be removed" in _one_line(result.stderr)
    assert "removed" not in result.stdout
    assert sorted(p for p in cache.rglob("*") if p.is_file()) == entries
