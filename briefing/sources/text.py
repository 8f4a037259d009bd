"""Plain text to an article: the first line is the headline, each line or block a paragraph."""

from __future__ import annotations

import re

from briefing.model import Article, Paragraph
from briefing.sources.cleanup import judge

# A first line longer than this is body text, not a headline (the title comes from the name).
_MAX_TITLE = 300
_END_PUNCT = re.compile(r"[.!?:;…][”’\"')\]]*$")


def _is_hard_wrapped(block: list[str]) -> bool:
    """Whether a block of lines is one paragraph wrapped at a fixed width (e-mail style).

    Pasted web articles put a whole paragraph on each line; wrapped text has three or more
    similar-length lines of at most 100 characters, several of them stopping mid-sentence.
    """
    if len(block) < 3:
        return False
    body = block[:-1]
    lengths = [len(line) for line in body]
    if min(lengths) < 40 or max(lengths) > 100 or max(lengths) - min(lengths) > 30:
        return False
    return sum(1 for line in body if _END_PUNCT.search(line) is None) >= 2


def title_from_name(source: str) -> str:
    """A readable title from a file name or URL, for articles whose first line is no headline."""
    stem = re.sub(r"[?#].*$", "", source.rstrip("/")).rsplit("/", 1)[-1]
    stem = re.sub(r"\.\w{1,9}$", "", stem)
    words = re.sub(r"[_\-+.]+", " ", stem).split()
    return " ".join(words).capitalize() if words and source != "-" else "Untitled article"


def parse_text(text: str, source: str, *, clean: bool = True) -> Article:
    """Build an Article from decoded plain text; cleanup runs on lines before wrapped ones join."""
    blocks: list[list[str]] = [[]]
    for raw in text.split("\n"):
        line = " ".join(raw.split())
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    blocks = [b for b in blocks if b]
    if not blocks:
        return Article(title=title_from_name(source), paragraphs=(), source=source)
    first = blocks[0].pop(0)
    if len(first) > _MAX_TITLE:
        title = title_from_name(source)
        blocks[0].insert(0, first)
    else:
        title = first
    blocks = [b for b in blocks if b]
    lines = [Paragraph(line) for block in blocks for line in block]
    if clean:
        verdict = judge(title, lines)
        title, keep, removed = verdict.title, verdict.keep, verdict.removed
    else:
        keep, removed = (True,) * len(lines), ()
    paragraphs: list[Paragraph] = []
    index = 0
    for block in blocks:
        kept = [line for line, k in zip(block, keep[index : index + len(block)], strict=True) if k]
        index += len(block)
        if not kept:
            continue
        if _is_hard_wrapped(block) and len(kept) == len(block):
            paragraphs.append(Paragraph(" ".join(kept)))
        else:
            paragraphs.extend(Paragraph(line) for line in kept)
    return Article(title=title, paragraphs=tuple(paragraphs), source=source, removed=removed)
