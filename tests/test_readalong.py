"""The read-along page's document, read back with lxml (no browser): the article's structure,
every sentence with its cue's times, quotes named, nothing fetched from elsewhere."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import lxml.html
import pytest
from readalong_helpers import read_vtt
from typer.testing import CliRunner

from briefing.cli import app
from briefing.output.page import clock

ARTICLE = """# Town Opens a New Ferry Pier

The town of Westbay opened its new ferry pier on Friday, two years after the old one closed.

"This pier brings the island back within reach," said Harbor Master Ada Lindqvist.
"We waited a long time for it."

> The first ferry left at seven in the morning, carrying forty passengers.

Councillor Tom Brandt said the cost had been too high.
"We paid twice what the plan promised," he said.
"""


def _render(folder: Path, *extra: str) -> None:
    article = folder / "ferry.md"
    article.write_text(ARTICLE, encoding="utf-8")
    args = ["render", str(article), "--engine", "fake", "-q", "--cache-dir", str(folder / "cache"),
            "--transcript", str(folder / "b.vtt"), "--date", "2026-03-02", *extra]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("page")
    (folder / "pages").mkdir()
    _render(folder, "-o", str(folder / "b.mp3"), "--page", str(folder / "pages" / "b.html"))
    return folder


def _by_class(element: lxml.html.HtmlElement, name: str) -> list[lxml.html.HtmlElement]:
    """Descendants with the class `name` (CSS `.name`, without needing cssselect)."""
    found: list[lxml.html.HtmlElement] = element.xpath(
        f".//*[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]"
    )
    return found


def _page(folder: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((folder / "pages" / "b.html").read_bytes())


def test_every_sentence_carries_its_cue_in_reading_order(folder: Path) -> None:
    cues = read_vtt(folder / "b.vtt")
    spans = _by_class(_page(folder), "s")
    assert len(spans) == len(cues)
    for number, (span, cue) in enumerate(zip(spans, cues, strict=True), start=1):
        assert span.get("id") == f"s{number}"
        assert float(span.get("data-begin")) == pytest.approx(cue.start, abs=0.0015)
        assert float(span.get("data-end")) == pytest.approx(cue.end, abs=0.0015)
        assert span.text_content() == cue.text


def test_the_story_keeps_its_paragraphs_heading_and_blockquote(folder: Path) -> None:
    page = _page(folder)
    (story,) = page.xpath("//section[@class='story']")
    assert story.xpath("h3")[0].text_content() == "Town Opens a New Ferry Pier"
    assert len(story.xpath("./p | ./blockquote")) == 4
    (quoted,) = story.xpath("blockquote")
    assert "forty passengers" in quoted.text_content()
    # The spoken intro and outro frame the article, set apart from it.
    frames = page.xpath("//*[@id='transcript']/p[@class='frame']")
    assert len(frames) == 2
    assert "Thanks for listening" in frames[1].text_content()


def test_quotes_are_named_as_in_the_transcript_and_styled_per_voice(folder: Path) -> None:
    cues = read_vtt(folder / "b.vtt")
    page = _page(folder)
    named = {}
    for quote in _by_class(page, "quote"):
        who = _by_class(quote, "who")[0].text_content()
        assert who.endswith(":")
        named.update({s.get("id"): who[:-1] for s in _by_class(quote, "s")})
    assert named == {f"s{i + 1}": c.speaker for i, c in enumerate(cues) if c.speaker != "Narrator"}
    styles = {
        _by_class(quote, "who")[0].text_content(): quote.get("class")
        for quote in _by_class(page, "quote")
    }
    assert len(set(styles.values())) == len(styles) == 2


def test_it_reaches_nothing_outside_itself(folder: Path) -> None:
    html = (folder / "pages" / "b.html").read_text(encoding="utf-8")
    page = lxml.html.fromstring(html)
    assert page.xpath("//audio")[0].get("src") == "../b.mp3"
    references = [v for el in page.iter() for k, v in el.attrib.items() if k in ("src", "href")]
    assert all(ref.startswith("#") or ref == "../b.mp3" for ref in references), references
    assert not re.search(r"https?:|@import|url\(", html.split("<body>")[0] + _inline(page))
    policy = page.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    assert "default-src 'none'" in policy
    for tag in ("style", "script"):
        text = page.xpath(f"//{tag}")[0].text
        digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
        assert f"{tag}-src 'sha256-{digest}'" in policy


def _inline(page: lxml.html.HtmlElement) -> str:
    return "".join(el.text or "" for el in page.xpath("//style | //script"))


def test_a_render_from_the_render_cache_writes_the_same_page(folder: Path) -> None:
    again = folder / "again.html"
    _render(folder, "-o", str(folder / "b.mp3"), "--page", str(again))
    first = (folder / "pages" / "b.html").read_text(encoding="utf-8")
    assert again.read_text(encoding="utf-8") == first.replace('"../b.mp3"', '"b.mp3"')


def test_chapter_times_are_shown_as_clock_times() -> None:
    assert [clock(s) for s in (0, 59.4, 61, 3599.6, 3725)] == [
        "0:00", "0:59", "1:01", "1:00:00", "1:02:05",
    ]  # fmt: skip


def test_a_spoken_transition_ends_the_story_before_it(tmp_path: Path) -> None:
    second = tmp_path / "second.txt"
    second.write_text("Market Hall Reopens\n\nThe market hall reopened on Monday.\n")
    _render(tmp_path, str(second), "--transition", "spoken", "--no-intro", "--no-outro",
            "-o", str(tmp_path / "b.mp3"), "--page", str(tmp_path / "b.html"))  # fmt: skip
    page = lxml.html.fromstring((tmp_path / "b.html").read_bytes())
    stories = page.xpath("//section[@class='story']")
    assert len(stories) == 2
    assert [p.text_content() for p in stories[0].xpath("p[@class='frame']")] == ["Next story."]
    assert stories[1].xpath("p[@class='frame']") == []
    assert page.xpath("//*[@id='transcript']/p") == []
    assert len(_by_class(page, "s")) == len(read_vtt(tmp_path / "b.vtt"))
