"""Cleanup for listening: golden cases, the seed article, and a no-loss property."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.model import Article, Paragraph
from briefing.sources import IngestOptions, load_articles
from briefing.sources.cleanup import judge
from briefing.sources.decode import clean_text
from briefing.sources.text import parse_text

GOLDEN = Path(__file__).parent / "golden" / "cleanup"
SEED = Path(__file__).resolve().parents[1] / ".." / "shared" / "seed-article.txt"
CASES = sorted(GOLDEN.glob("*.txt"))


def render(article: Article) -> str:
    """The golden-file form of an article: title, byline, body lines, then removals."""
    lines = [f"title: {article.title}"]
    if article.byline:
        lines.append(f"byline: {article.byline}")
    lines += [f"{'quote' if p.blockquote else 'body'}: {p.text}" for p in article.paragraphs]
    lines += [f"removed ({r.reason}): {r.text}" for r in article.removed]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_cleanup_golden(case: Path) -> None:
    """Each tests/golden/cleanup/NAME.txt reads as NAME.expected (UPDATE_GOLDEN=1 rewrites)."""
    got = render(load_articles([str(case)])[0])
    expected_path = case.with_suffix(".expected")
    if os.environ.get("UPDATE_GOLDEN"):
        expected_path.write_text(got, encoding="utf-8")
    assert got == expected_path.read_text(encoding="utf-8")


@pytest.mark.skipif(not SEED.is_file(), reason="../shared/seed-article.txt is not here")
def test_seed_article_cleanup() -> None:
    article = load_articles([str(SEED)])[0]
    assert article.title == (
        "Blinken Touts ‘New Diplomatic Mission’ After Abandoning Afghan Allies to the Taliban"
    )
    reasons = {r.reason: r.text for r in article.removed}
    assert reasons["label"] == "Watch:"
    assert reasons["photo credit"].startswith("AP Photo/")
    assert reasons["caption"].startswith("Secretary of State Antony Blinken speaks")
    assert reasons["boilerplate"].startswith("Please let us know")
    assert len(article.removed) == 4
    body = [p.text for p in article.paragraphs]
    assert len(body) == 12
    assert body[0].startswith("During his press conference on Monday")
    assert body[3].startswith("A new chapter of America’s engagement")
    assert body[-1].endswith("he said.")
    # Every kept line of the source is in the article, in order.
    source_lines = [" ".join(x.split()) for x in SEED.read_text("utf-8").splitlines()]
    kept = [line for line in source_lines[2:] if line and line not in reasons.values()]
    assert body == kept


@pytest.mark.skipif(not SEED.is_file(), reason="../shared/seed-article.txt is not here")
def test_keep_all_turns_cleanup_off() -> None:
    article = load_articles([str(SEED)], IngestOptions(keep_all=True))[0]
    assert article.title.startswith("Watch: Blinken")
    assert article.removed == ()
    assert article.paragraphs[0].text.startswith("Secretary of State")
    assert article.paragraphs[1].text.startswith("AP Photo/")


def test_label_needs_a_headline_after_it() -> None:
    verdict = judge("Watch: ", [])
    assert verdict.title == "Watch: "
    assert verdict.removed == ()


def test_opening_caption_needs_a_scene() -> None:
    # An unpunctuated line under the headline that does not describe a photo is a dek: kept.
    dek = Paragraph("Council says the barrier will protect thousands of homes")
    assert judge("Title", [dek]).keep == (True,)
    caption = Paragraph("Mayor Lena Brandt speaks at the harbor on Monday")
    assert judge("Title", [caption]).keep == (False,)


_WORD = re.compile(r"\w+")
_text = st.lists(
    st.one_of(
        st.text(alphabet=st.characters(codec="utf-8"), max_size=80),
        st.sampled_from(
            [
                "AP Photo/Jane Doe",
                "Getty Images",
                "Advertisement",
                "Watch: the clip",
                "“Quote,” he said.",
                "(Evan Vucci/Associated Press)",
                "",
                "By Jane Doe",
            ]
        ),
    ),
    max_size=30,
).map("\n".join)


@settings(max_examples=300, deadline=None)
@given(_text)
def test_plain_text_cleanup_loses_nothing_it_does_not_report(text: str) -> None:
    cleaned = clean_text(text)
    article = parse_text(cleaned, "random.txt")
    lines = [" ".join(line.split()) for line in cleaned.split("\n")]
    lines = [line for line in lines if line]
    removed = [r.text for r in article.removed]
    byline = [article.byline] if article.byline else []
    kept_words = _WORD.findall(
        " ".join([article.title, *byline, *(p.text for p in article.paragraphs), *removed])
    )
    # Every word of every line is somewhere: kept in order, or reported as removed.
    source_words = _WORD.findall(" ".join(lines))
    assert sorted(kept_words) == sorted(source_words) or not lines
    body_words = _WORD.findall(" ".join(p.text for p in article.paragraphs))
    # The kept words appear in the source in the same order.
    remaining = iter(source_words)
    assert all(word in remaining for word in body_words)
