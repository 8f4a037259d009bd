"""Real news for the bench: PolNeAR's train articles, read at bench time, never copied here.

The articles come from `../shared/dev-data/polnear/train.jsonl` beside the checkout (real US news
with many short quotes, frequent voice changes and dozens of speakers: what a render meets in
use). Articles of 600-1,500 words with at least three quotes are taken in a fixed order (by a
hash of their id), so every run and every machine reads the same ones. When the file is absent
(CI, a fresh clone) the bench says so in one line and runs the generated workload alone.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from workload import Article

POLNEAR = Path(__file__).resolve().parents[2] / "shared" / "dev-data" / "polnear" / "train.jsonl"
MIN_WORDS, MAX_WORDS, MIN_QUOTES = 600, 1500, 3


def available() -> bool:
    """Whether the real-news articles are beside the checkout."""
    return POLNEAR.is_file()


def load(count: int) -> list[Article]:
    """`count` real articles (headline = the article's first line), in the fixed order."""
    rows = [json.loads(line) for line in POLNEAR.read_text(encoding="utf-8").splitlines() if line]
    chosen = [
        row
        for row in rows
        if MIN_WORDS <= len(row["text"].split()) <= MAX_WORDS
        and len(row["quotes"]) + len(row.get("unresolved_quotes", [])) >= MIN_QUOTES
    ]
    chosen.sort(key=lambda row: hashlib.sha256(row["id"].encode()).hexdigest())
    if len(chosen) < count:
        raise SystemExit(f"only {len(chosen)} real articles fit the workload, {count} asked for")
    return [_article(row["text"]) for row in chosen[:count]]


def _article(text: str) -> Article:
    """PolNeAR's layout (stray '.' lines between paragraphs) as headline and paragraphs."""
    text = text.replace("\n .\n ", "\n\n").replace("\n.\n", "\n\n")
    paragraphs = [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]
    return Article(paragraphs[0], tuple(paragraphs[1:]))
