"""Score quote detection and attribution on the hand-annotated corpus in quote_corpus/.

Each corpus file holds an article (`title:` line, paragraphs separated by blank lines, `> ` for
source block quotes), a `===` line, then one gold direct quote a line:
`p | Full Name | quoted words` (a person), `o | Name | ...` (an organisation) or
`? | - | ...` (an unnamed speaker). The quoted words are exactly the text inside the marks.

Definitions follow issue 3:
- recall: of gold quotes of 5+ words, those at least half of whose words fall in quote segments;
- precision: of quote segments, those at least half of whose words lie inside a gold quote;
- speaker accuracy: of recalled quotes, those whose segment's speaker names the gold speaker
  (surname match for people, name match for organisations, any role phrase for unnamed ones).

Run: .venv/bin/python benchmarks/quote_eval.py [-v] [--min-words=N] [FILE-PREFIX ...]
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from briefing.model import Article, Paragraph, Segment, SegmentKind
from briefing.script.segment import segment_article

CORPUS = Path(__file__).parent / "quote_corpus"
WORD = re.compile(r"[^\W_]+(?:[’'\-][^\W_]+)*")


@dataclass(frozen=True)
class Gold:
    """One annotated direct quote: its paragraph, character range, speaker and speaker kind."""

    paragraph: int
    start: int
    end: int
    speaker: str
    kind: str
    text: str


def load(path: Path) -> tuple[Article, list[Gold]]:
    """Parse one corpus file into an Article and its gold quotes."""
    source, _, gold_part = path.read_text(encoding="utf-8").partition("\n===\n")
    lines = source.splitlines()
    title = lines.pop(0).removeprefix("title:").strip()
    paragraphs = []
    for block in "\n".join(lines).split("\n\n"):
        text = block.strip()
        if text:
            quoted = text.startswith("> ")
            paragraphs.append(Paragraph(text[2:] if quoted else text, blockquote=quoted))
    article = Article(title, tuple(paragraphs), str(path))
    golds: list[Gold] = []
    for line in gold_part.splitlines():
        if not line.strip():
            continue
        kind, speaker, text = (part.strip() for part in line.split("|", 2))
        for i, para in enumerate(paragraphs):
            at = para.text.find(text)
            if at >= 0 and not any(g.paragraph == i and g.start == at for g in golds):
                golds.append(Gold(i, at, at + len(text), speaker, kind, text))
                break
        else:
            raise SystemExit(f"{path.name}: gold quote not found: {text!r}")
    return article, golds


def word_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Character ranges of the words of text[start:end]."""
    return [(m.start() + start, m.end() + start) for m in WORD.finditer(text[start:end])]


def locate(article: Article, segments: tuple[Segment, ...]) -> list[tuple[Segment, int, int]]:
    """Each body segment with its character range in its paragraph."""
    cursor: dict[int, int] = {}
    placed = []
    for seg in segments:
        if seg.paragraph < 0:
            continue
        text = article.paragraphs[seg.paragraph].text
        at = text.find(seg.text, cursor.get(seg.paragraph, 0))
        if at < 0:
            raise SystemExit(f"segment not found in its paragraph: {seg.text[:60]!r}")
        cursor[seg.paragraph] = at + len(seg.text)
        placed.append((seg, at, at + len(seg.text)))
    return placed


def speaker_ok(gold: Gold, speaker: str | None) -> bool:
    """Whether a predicted speaker names the gold one."""
    if speaker is None:
        return False
    if gold.kind == "?":
        return speaker[:1].islower()
    if gold.kind == "o":
        # "Acme Inc." and "Acme Inc" are one name: end punctuation is not part of it.
        norm = [re.sub(r"^the\s+", "", s.lower()).strip(" .,") for s in (gold.speaker, speaker)]
        return norm[0] == norm[1]
    # A suffix (Jr., III) is not a surname.
    last = [
        [w for w in s.lower().split() if w.rstrip(".") not in {"jr", "sr", "ii", "iii", "iv"}]
        for s in (speaker, gold.speaker)
    ]
    return bool(last[0] and last[1]) and last[0][-1] == last[1][-1]


def main() -> None:
    """Score every corpus file and print recall, precision and speaker accuracy."""
    verbose = "-v" in sys.argv
    min_words = next((int(a.split("=")[1]) for a in sys.argv if a.startswith("--min-words=")), 4)
    prefixes = [a for a in sys.argv[1:] if not a.startswith("-")]
    files = [
        f
        for f in sorted(CORPUS.glob("*.txt"))
        if not prefixes or f.name.startswith(tuple(prefixes))
    ]
    n_gold = recalled = speaker_right = n_seg = precise = n_all_gold = 0
    for path in files:
        article, golds = load(path)
        placed = locate(article, segment_article(article, min_quote_words=min_words))
        quote_ranges = [(s, a, b) for s, a, b in placed if s.kind is SegmentKind.QUOTE]
        n_all_gold += len(golds)
        for gold in golds:
            words = word_spans(article.paragraphs[gold.paragraph].text, gold.start, gold.end)
            if len(words) < 5:
                continue
            n_gold += 1
            hits: dict[int, int] = {}
            for ws, we in words:
                for k, (seg, a, b) in enumerate(quote_ranges):
                    if seg.paragraph == gold.paragraph and a <= ws and we <= b:
                        hits[k] = hits.get(k, 0) + 1
            if sum(hits.values()) * 2 >= len(words):
                recalled += 1
                best = quote_ranges[max(hits, key=lambda k: hits[k])][0]
                if speaker_ok(gold, best.speaker):
                    speaker_right += 1
                elif verbose:
                    print(
                        f"SPEAKER {path.name}: {best.speaker!r} != {gold.speaker!r}: "
                        f"{gold.text[:60]!r}"
                    )
            elif verbose:
                print(f"MISSED  {path.name}: {gold.text[:70]!r}")
        # The held-out gold holds only quotes of 5+ words, so precision is scored against those.
        long_golds = [
            g
            for g in golds
            if len(word_spans(article.paragraphs[g.paragraph].text, g.start, g.end)) >= 5
        ]
        for seg, a, b in quote_ranges:
            text = article.paragraphs[seg.paragraph].text
            words = word_spans(text, a, b)
            inside = sum(
                1
                for ws, we in words
                if any(
                    g.paragraph == seg.paragraph and g.start <= ws and we <= g.end
                    for g in long_golds
                )
            )
            n_seg += 1
            if inside * 2 >= len(words):
                precise += 1
            elif verbose:
                print(f"FALSE+  {path.name}: {seg.text[:70]!r}")
    print(
        f"articles {len(files)}, gold quotes {n_all_gold} ({n_gold} of 5+ words), "
        f"quote segments {n_seg}"
    )
    print(f"recall    {recalled / max(n_gold, 1):.3f}  ({recalled}/{n_gold})")
    print(f"precision {precise / max(n_seg, 1):.3f}  ({precise}/{n_seg})")
    print(f"speaker   {speaker_right / max(recalled, 1):.3f}  ({speaker_right}/{recalled})")


if __name__ == "__main__":
    main()
