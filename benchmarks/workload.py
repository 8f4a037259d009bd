"""A deterministic workload of news-like articles for the benchmark.

Every sentence is drawn from templates and a vocabulary with a seeded RNG and is distinct
across the whole workload, so a cold run cannot be helped by the cache; ~900 words per
article (20 articles ≈ 18,000 words ≈ 100 minutes of speech at 175 wpm). Articles have
quotes from several named speakers so the render uses many voices.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path


def _words(text: str) -> list[str]:
    """A vocabulary list from a space-separated string."""
    return text.split()


FIRST = _words("Maria James Aisha Tomas Elena Victor Priya Samuel Grace Omar Hannah Lukas Nadia")
LAST = _words("Okafor Lindqvist Moreau Castillo Brennan Nakamura Haddad Kowalski Osei Duarte")
ROLES = _words("spokesperson director chair treasurer analyst organiser engineer councillor")
ORGS = [
    "the city council",
    "the regional health board",
    "the port authority",
    "the transport union",
    "the national weather office",
    "the water company",
    "the teachers' association",
    "the chamber of commerce",
    "the planning committee",
    "the university hospital",
]
PLACES = _words("Riverton Eastbrook Maple Harbour Kingsford Ashdale Northgate Westmere Lowfield")
NOUNS = _words("""budget bridge proposal contract schedule report survey plan timetable review
levy ferry service clinic reservoir tram line library warehouse pension fund""")
ADJS = _words("revised delayed ambitious costly temporary controversial modest detailed")
VERBS = _words("approved rejected postponed announced published questioned defended extended")
DAYS = _words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")
UNITS = _words("percent million dollars households passengers kilometres beds jobs")
CLAUSES = [
    "after months of debate among residents",
    "despite warnings from independent auditors",
    "following a close vote late in the evening",
    "although several members asked for more time",
    "as costs continued to rise across the region",
    "while opponents gathered outside the building",
]
QUOTES = [
    "we have listened carefully to every {noun} raised by {place} families",
    "this {adj} {noun} will cost {n} {unit} and we owe people a straight answer",
    "nobody in {place} should wait another year for a {noun} that works",
    "the numbers show {n} {unit} more than last {day}, and that is not an accident",
    "I asked for the {noun} to be published in full before {day}",
    "our members will not accept a {adj} {noun} without a proper review",
]


@dataclass(frozen=True)
class Article:
    """A generated article: its headline and paragraphs."""

    title: str
    paragraphs: tuple[str, ...]

    def text(self) -> str:
        """The article as a plain-text file: headline, blank line, paragraphs."""
        return self.title + "\n\n" + "\n\n".join(self.paragraphs) + "\n"

    def words(self) -> int:
        """Number of words, headline included."""
        return len(self.text().split())


class _Writer:
    """Draws distinct sentences from the templates."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.seen: set[str] = set()

    def _fill(self, template: str) -> str:
        pick = self.rng.choice
        return template.format(
            noun=pick(NOUNS),
            adj=pick(ADJS),
            place=pick(PLACES),
            day=pick(DAYS),
            unit=pick(UNITS),
            n=self.rng.randint(2, 980),
        )

    def sentence(self, speakers: list[str]) -> str:
        """A narration sentence or an attributed quote, never one seen before."""
        while True:
            pick = self.rng.choice
            if self.rng.random() < 0.3:
                # The quote itself must be new: it is a segment of its own.
                body = self._fill(pick(QUOTES))
                text = f"“{body[0].upper()}{body[1:]},” said {pick(speakers)}."
            else:
                body = text = self._fill(
                    f"{pick(ORGS).capitalize()} {pick(VERBS)} the {{adj}} {{noun}} for {{place}} "
                    f"on {{day}}, {pick(CLAUSES)}, with {{n}} {{unit}} at stake."
                )
            if body not in self.seen:
                self.seen.add(body)
                return text


def generate(count: int, words_per_article: int = 900, seed: int = 5) -> list[Article]:
    """`count` distinct articles of about `words_per_article` words each."""
    writer = _Writer(seed)
    articles = []
    for index in range(count):
        rng = writer.rng
        speakers = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(4)]
        title = f"Story {index + 1}: {rng.choice(PLACES)} {rng.choice(NOUNS)} {rng.choice(VERBS)}"
        paragraphs: list[str] = []
        words = 0
        while words < words_per_article:
            sentences = [writer.sentence(speakers) for _ in range(rng.randint(2, 3))]
            paragraphs.append(" ".join(sentences))
            words += sum(len(s.split()) for s in sentences)
        articles.append(Article(title, tuple(paragraphs)))
    return articles


def change_one_sentence(article: Article, seed: int = 99) -> Article:
    """The same article with one sentence of one paragraph replaced by a new one."""
    new = _Writer(seed).sentence(["Ruth Adeyemi"]).replace("said", "added")
    _, *rest = article.paragraphs[1].split(". ", 1)
    paragraph = new + (" " + rest[0] if rest else "")
    return Article(article.title, (article.paragraphs[0], paragraph, *article.paragraphs[2:]))


def write(articles: list[Article], directory: Path) -> tuple[list[Path], Path]:
    """Write one file per article plus `all.txt` (the reference's input); return the paths."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, article in enumerate(articles):
        path = directory / f"article-{index + 1:03d}.txt"
        path.write_text(article.text(), encoding="utf-8")
        paths.append(path)
    everything = directory / "all.txt"
    everything.write_text("\n".join(a.text() for a in articles), encoding="utf-8")
    return paths, everything
