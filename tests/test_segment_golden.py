"""Golden-file tests for segmentation: one file per case under tests/golden/segment/.

A case file holds the article, a `---` line, then the expected segments:

    # optional comment lines
    title: The headline
    First paragraph.

    > A paragraph the source marked as a block quote.
    ---
    headline -1 | The headline
    narration 0 | First paragraph.
    quote 1 | Jane Doe | female | block | A paragraph the source marked as a block quote.

Quote lines read `quote PARAGRAPH | SPEAKER or - | GENDER | METHOD | TEXT`. Set
BRIEFING_UPDATE_GOLDEN=1 to rewrite the expected part from the current output (then review it).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefing.model import Article, Paragraph, Segment, SegmentKind
from briefing.script.segment import nothing_lost, segment_article

GOLDEN = Path(__file__).parent / "golden" / "segment"
CASES = sorted(GOLDEN.glob("*.txt"))


def parse_article(source: str) -> Article:
    """Build an Article from a case's input part."""
    lines = [line for line in source.splitlines() if not line.startswith("#")]
    title = ""
    if lines and lines[0].startswith("title:"):
        title = lines.pop(0).removeprefix("title:").strip()
    paragraphs: list[Paragraph] = []
    for block in "\n".join(lines).split("\n\n"):
        text = block.strip("\n")
        if not text.strip():
            continue
        if text.startswith("> "):
            paragraphs.append(Paragraph(text[2:], blockquote=True))
        else:
            paragraphs.append(Paragraph(text))
    return Article(title=title, paragraphs=tuple(paragraphs), source="golden")


def render(segments: tuple[Segment, ...]) -> str:
    """One line per segment, in the case files' format."""
    out = []
    for seg in segments:
        head = f"{seg.kind.value} {seg.paragraph}"
        if seg.kind is SegmentKind.QUOTE:
            assert seg.attribution is not None
            speaker = seg.speaker or "-"
            method = seg.attribution.method.value
            out.append(f"{head} | {speaker} | {seg.gender.value} | {method} | {seg.text}")
        else:
            out.append(f"{head} | {seg.text}")
    return "\n".join(out) + "\n"


def test_enough_cases() -> None:
    assert len(CASES) >= 80


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_golden(case: Path) -> None:
    source, _, expected = case.read_text(encoding="utf-8").partition("\n---\n")
    article = parse_article(source)
    segments = segment_article(article)
    assert nothing_lost(article, segments)
    actual = render(segments)
    if os.environ.get("BRIEFING_UPDATE_GOLDEN") == "1":
        case.write_text(f"{source}\n---\n{actual}", encoding="utf-8")
        return
    assert actual == expected
