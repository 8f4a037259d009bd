"""Property tests: segmentation never raises, loses or duplicates text, and stays linear."""

from __future__ import annotations

import itertools
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.model import Article, Paragraph, SegmentKind
from briefing.script.segment import nothing_lost, segment_article

# Text built from the characters that steer segmentation: every kind of quote mark and
# apostrophe, colons, sentence ends, whitespace (incl. no-break space), capitals, non-Latin.
PIECES = st.sampled_from(
    [
        "“",
        "”",
        '"',
        "‘",
        "’",
        "'",
        "«",
        "»",
        "„",
        "‹",
        "›",
        ":",
        ".",
        ",",
        "?",
        "—",
        " ",
        "\u00a0",
        "\n",
        "\t",
        "he said",
        "she said",
        "said Jane Doe",
        "Mr. Smith",
        "we",
        "our",
        "I",
        "don’t",
        "the ’90s",
        "Jones’",
        "according to",
        "the company",
        "Gen.",
        "Über",
        "日本語",
        "😀",
        "a",
        "word",
        "The Minister",
        "told reporters",
        "x" * 30,
    ]
)
TEXT = st.lists(PIECES, max_size=60).map("".join)
PARAGRAPH = st.builds(Paragraph, TEXT, st.booleans())
ARTICLE = st.builds(
    Article, title=TEXT, paragraphs=st.lists(PARAGRAPH, max_size=8).map(tuple), source=st.just("t")
)


# The parse only chooses among attribution cues, never where segments begin or end, so the
# structural properties run on the patterns alone (400 parses take minutes); a smaller run
# checks them with the parse, as the default reads.
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ARTICLE, st.integers(min_value=1, max_value=8))
def test_never_loses_or_duplicates(article: Article, min_words: int) -> None:
    _check_structure(article, min_words, "rules")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ARTICLE, st.integers(min_value=1, max_value=8))
def test_never_loses_or_duplicates_with_parse(article: Article, min_words: int) -> None:
    _check_structure(article, min_words, "parse-names")


def _check_structure(article: Article, min_words: int, mode: str) -> None:
    segments = segment_article(article, min_quote_words=min_words, mode=mode)
    has_title = bool(article.title.strip())
    if has_title:
        assert segments[0].kind is SegmentKind.HEADLINE and segments[0].text == article.title
    assert nothing_lost(article, segments)
    body = segments[1:] if has_title else segments
    assert all(s.kind is not SegmentKind.HEADLINE for s in body)
    assert [s.paragraph for s in body] == sorted(s.paragraph for s in body)
    for seg in body:
        assert seg.text.strip() and seg.spoken == seg.text
        if seg.kind is SegmentKind.QUOTE:
            assert seg.attribution is not None and 0.0 <= seg.attribution.confidence <= 1.0
        else:
            assert seg.speaker is None and seg.attribution is None
    for prev, nxt in itertools.pairwise(body):
        both_narration = prev.kind is nxt.kind is SegmentKind.NARRATION
        assert not (both_narration and prev.paragraph == nxt.paragraph)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("“”\"'’‘ aZ.:,\n"), max_size=400))
def test_arbitrary_mark_soup(text: str) -> None:
    article = Article("T", (Paragraph(text),), "t")
    assert nothing_lost(article, segment_article(article, mode="rules"))


def _seconds(article: Article) -> float:
    start = time.perf_counter()
    segment_article(article, mode="rules")
    return time.perf_counter() - start


def _quotey(n: int) -> Article:
    para = "“We will not stop until the job is done,” said Mayor Jane Doe, who spoke Monday. "
    return Article("T", tuple(Paragraph(para * 3) for _ in range(n)), "t")


def test_linear_time() -> None:
    small, large = _seconds(_quotey(200)), _seconds(_quotey(1600))
    assert large < max(small, 0.05) * 8 * 2.5


def test_pathological_inputs_are_fast_and_lossless() -> None:
    cases = [
        Article("T", (Paragraph("word " * 20000),), "t"),
        Article("T", (Paragraph("“" * 50000),), "t"),
        Article("T", (Paragraph("Mr. Smith, " * 10000 + "said"),), "t"),
        Article("T", (Paragraph("“we said things " * 100),) * 60, "t"),
        Article(
            "T", tuple(Paragraph("“" + "we keep talking and talking " * 40) for _ in range(60)), "t"
        ),
    ]
    # The patterns are timed (backtracking is what this guards against); the parse is linear in
    # words by construction and measured in `make bench`, so it is checked for losslessness.
    for article in cases:
        start = time.perf_counter()
        segments = segment_article(article, mode="rules")
        assert time.perf_counter() - start < 5
        assert nothing_lost(article, segments)
    for article in cases[:3]:
        assert nothing_lost(article, segment_article(article))


def test_quote_open_across_sixty_paragraphs_keeps_every_word() -> None:
    paras = [Paragraph("“We begin with a promise to every family")] + [
        Paragraph(f"and we keep promise number {i} for the next decade") for i in range(60)
    ]
    article = Article("T", tuple(paras), "t")
    segments = segment_article(article)
    assert nothing_lost(article, segments)
    assert {s.paragraph for s in segments[1:]} == set(range(61))
    assert all(s.kind is SegmentKind.NARRATION for s in segments[2:])
