"""A feed whose linked pages fail is read from its summaries; it fails only when nothing can be."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.errors import InputError
from briefing.sources import IngestOptions, load_articles

DEAD = "http://127.0.0.1:1"  # nothing listens on port 1: every fetch is refused at once
runner = CliRunner()


def _feed(tmp_path: Path, items: list[tuple[str, str | None]]) -> Path:
    body = "".join(
        f"<item><title>{title}</title><link>{DEAD}/{n}.html</link>"
        + (f"<description>{summary}</description>" if summary else "")
        + "</item>"
        for n, (title, summary) in enumerate(items)
    )
    path = tmp_path / "feed.rss"
    path.write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Ledger</title>{body}'
        "</channel></rss>",
        encoding="utf-8",
    )
    return path


def test_dead_links_fall_back_to_summaries(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    items = [
        ("Ferry Resumes", "The ferry made its first crossing on Monday."),
        ("Library Hours", None),
        ("Bridge Opens", "The bridge opened to traffic on Tuesday."),
    ]
    feed = _feed(tmp_path, items)
    with caplog.at_level(logging.WARNING, logger="briefing"):
        articles = load_articles([str(feed)], IngestOptions(timeout=2))
    assert [(a.title, [p.text for p in a.paragraphs]) for a in articles] == [
        ("Ferry Resumes", ["The ferry made its first crossing on Monday."]),
        ("Bridge Opens", ["The bridge opened to traffic on Tuesday."]),
    ]
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 3
    assert "summary" in messages[0] and f"{DEAD}/0.html" in messages[0]
    assert "item 2 skipped" in messages[1] and f"{DEAD}/1.html" in messages[1]


def test_a_feed_with_nothing_readable_fails_once(tmp_path: Path) -> None:
    feed = _feed(tmp_path, [("Ferry Resumes", None), ("Library Hours", None)])
    with pytest.raises(InputError) as info:
        load_articles([str(feed)], IngestOptions(timeout=2))
    assert "none of its 2 items could be read" in str(info.value)


def test_the_render_warns_and_goes_on(tmp_path: Path) -> None:
    item = ("Ferry Resumes", "The ferry made its first crossing on Monday.")
    feed = _feed(tmp_path, [item, item])
    out = tmp_path / "b.wav"
    result = runner.invoke(app, ["render", str(feed), "-o", str(out), "--engine", "fake"])
    assert result.exit_code == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 2 and all("summary" in w for w in warnings)
    assert out.stat().st_size > 1000
