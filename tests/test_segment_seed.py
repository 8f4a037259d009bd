"""The seed article (kept outside the repo) must read as ../shared/seed-expected.md says."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.model import Article, AttributionMethod, Paragraph, SegmentKind
from briefing.script.segment import nothing_lost, segment_article

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed-article.txt"


@pytest.fixture(scope="module")
def seed() -> Article:
    """The seed as cleanup hands it over: no "Watch:" label, caption, credit or boilerplate."""
    if not SEED.exists():
        pytest.skip("seed article not present")
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line]
    title = lines[0].removeprefix("Watch:").strip()
    body = [
        line
        for line in lines[1:]
        if not line.startswith("AP Photo/")
        and not line.startswith("Please let us know")
        and not line.endswith("at the University")
    ]
    return Article(title, tuple(Paragraph(t) for t in body), source=str(SEED))


def test_seed_voices_and_order(seed: Article) -> None:
    segments = segment_article(seed)
    assert nothing_lost(seed, segments)
    assert segments[0].kind is SegmentKind.HEADLINE
    assert "‘New Diplomatic Mission’" in segments[0].text
    quotes = [s for s in segments if s.kind is SegmentKind.QUOTE]
    speakers = [q.speaker for q in quotes]
    assert speakers == ["Antony Blinken"] * 5 + ["Foreign Policy", "Kenneth McKenzie"]
    assert {s.speaker for s in segments} == {
        None,
        "Antony Blinken",
        "Foreign Policy",
        "Kenneth McKenzie",
    }


def test_seed_block_quotes(seed: Article) -> None:
    segments = segment_article(seed)
    blocks = [
        s for s in segments if s.attribution and s.attribution.method is AttributionMethod.BLOCK
    ]
    assert [b.text.split()[:3] for b in blocks] == [
        ["A", "new", "chapter"],
        ["So", "here’s", "our"],
        ["For", "the", "time"],
    ]
    after = next(s for s in segments if s.text.startswith("While Blinken said"))
    assert after.kind is SegmentKind.NARRATION


def test_seed_fragments_stay_narration(seed: Article) -> None:
    segments = segment_article(seed)
    narration = " ".join(s.text for s in segments if s.kind is SegmentKind.NARRATION)
    assert "“with diplomacy,”" in narration
    assert "“international legitimacy.”" in narration


def test_seed_methods(seed: Article) -> None:
    quotes = [s for s in segment_article(seed) if s.kind is SegmentKind.QUOTE]
    every = next(q for q in quotes if q.text.startswith("Every step"))
    assert every.attribution is not None
    assert every.attribution.method is AttributionMethod.PRONOUN
    seeks = next(q for q in quotes if q.text.startswith("The Taliban seeks"))
    assert seeks.speaker == "Antony Blinken"
    now = next(q for q in quotes if q.text.startswith("Now that"))
    assert now.speaker == "Foreign Policy"
    assert now.attribution is not None and now.attribution.method is AttributionMethod.NOMINAL
    mil = next(q for q in quotes if q.text.startswith("The military phase"))
    assert mil.speaker == "Kenneth McKenzie"
    assert mil.attribution is not None and mil.attribution.method is AttributionMethod.PRONOUN
