"""Split an article into headline, narration and quote segments, each quote with its speaker."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from briefing.model import (
    Article,
    Attribution,
    AttributionMethod,
    Gender,
    Segment,
    SegmentKind,
)
from briefing.script import names
from briefing.script.attribute import Attributor
from briefing.script.blocks import find_blocks
from briefing.script.confidence import MODES, calibrated, combine
from briefing.script.coref import Registry
from briefing.script.parse import PARSE_BUDGET, parse
from briefing.script.quotes import (
    ANSWER_LABEL,
    QuoteSpan,
    find_quotes,
    nothing_lost,
    opens_with_quote,
)
from briefing.script.quotes_patterns import (
    Cue,
    any_cue,
    block_cue,
    first_sentence,
    lead_cue,
    signed,
    tail_cue,
)
from briefing.script.speakers import unify_speakers
from briefing.script.speech_verbs import has_speech_verb
from briefing.script.syntax import could_cue, syntax_cue

__all__ = ["nothing_lost", "segment_article", "unify_speakers"]

_WORD = re.compile(r"[^\W_]+(?:[’'\-][^\W_]+)*")
_SMALL = names.word_set("a an the of and or in on for to at by with from vs")
_STOP = re.compile(r"[.!?;][”\"’']?\s")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;—–…]|[.!?][”\"’'])\s*$")


@dataclass
class _Quote:
    """An accepted quotation in a paragraph and its attribution cue, if any."""

    span: QuoteSpan
    cue: Cue | None
    continues: bool = False
    loose: bool = False
    tail_first: bool = True
    evidence: str = "rules"


QuoteMarks = tuple[int, int | None, bool]
"""A quote as the parse reads it: open mark, close mark (None: runs on), tail first."""


class ParsedCues(Protocol):
    """Where the parse's cues for a paragraph's quotes are kept between runs (the script cache):
    an edited article re-parses only its edited paragraphs."""

    def get_cues(self, text: str, quotes: Sequence[QuoteMarks]) -> list[Cue | None] | None:
        """The cues stored for this paragraph and these quotes, or None."""

    def put_cues(self, text: str, quotes: Sequence[QuoteMarks], cues: Sequence[Cue | None]) -> None:
        """Keep them."""


def _words(text: str) -> int:
    """Number of words (apostrophes and hyphens keep a word whole)."""
    return len(_WORD.findall(text))


def _title_like(text: str) -> bool:
    """Whether quoted words look like a title of a work or a slogan (mostly Title Case)."""
    words = [w for w in _WORD.findall(text) if w.lower() not in _SMALL]
    if len(words) < 2 or len(words) > 14:
        return False
    capitals = sum(1 for w in words if w[0].isupper())
    return capitals / len(words) >= 0.75


def _accept(text: str, quotes: list[QuoteSpan], min_words: int, continues: bool) -> list[_Quote]:
    """Keep the quotations that are speech, not scare quotes, titles or short fragments."""
    kept: list[_Quote] = []
    prev_end = 0
    for k, span in enumerate(quotes):
        content = text[span.start : span.end]
        lead = text[prev_end : span.open_mark]
        next_open = quotes[k + 1].open_mark if k + 1 < len(quotes) else len(text)
        tail = text[span.close_mark + 1 : next_open] if span.close_mark is not None else ""
        words = _words(content)
        chained = continues and k == 0 and not lead.strip()
        if words == 0 or (not chained and (words < min_words or _title_like(content))):
            continue
        t_cue = tail_cue(tail) if tail.strip() else None
        l_cue = lead_cue(lead) if lead.strip() else None
        between = lead.strip()
        if kept and between and (between[-1] in ",—–:" or first_sentence(between) == between):
            # The second half of a split quote: “A,” said X, “B.” or “A,” said X, an analyst. “B.”
            l_cue = l_cue or tail_cue(lead)
        initial = _SENTENCE_START.search(lead[-20:]) is not None or not lead.strip()
        # X wrote that it “A” and would “B”: a second quote in the same reported sentence.
        same_report = bool(kept) and kept[-1].cue is not None and not _STOP.search(lead)
        if not (
            chained or initial or t_cue or l_cue or same_report or has_speech_verb(lead[-120:])
        ):
            continue
        if same_report and not (t_cue or l_cue):
            l_cue = kept[-1].cue
        ends_sentence = content.rstrip().endswith((".", "…")) and not t_cue
        # “A,” she said: the words after a quote ending in a comma name its speaker; a quote
        # that ends its sentence is more often introduced by the words before it.
        cue = (l_cue or t_cue) if ends_sentence and not signed(tail) else (t_cue or l_cue)
        loose = False
        if cue is None and not chained:
            cue, loose = any_cue(lead), True
        evidence = "none" if cue is None else "loose" if loose else "rules"
        kept.append(_Quote(span, cue, chained, loose, not ends_sentence, evidence))
        prev_end = span.close_mark + 1 if span.close_mark is not None else len(text)
    return kept


def _masked(text: str, quotes: list[_Quote]) -> str:
    """Paragraph text with accepted quotations blanked out (offsets kept)."""
    chars = list(text)
    for quote in quotes:
        end = quote.span.close_mark + 1 if quote.span.close_mark is not None else len(text)
        chars[quote.span.open_mark : end] = " " * (end - quote.span.open_mark)
    return "".join(chars)


def segment_article(
    article: Article,
    *,
    min_quote_words: int = 4,
    mode: str = MODES[0],
    cues: ParsedCues | None = None,
) -> tuple[Segment, ...]:
    """Split an article into headline, narration and quote segments with speakers; `mode` is
    how the dependency parse and the patterns combine (one of `MODES`); `cues` keeps the
    parse's cues per paragraph between runs."""
    paras = article.paragraphs
    spans = [
        find_quotes(
            p.text,
            single_runs_on=i + 1 < len(paras) and opens_with_quote(paras[i + 1].text, double=False),
        )
        if not p.blockquote
        else []
        for i, p in enumerate(paras)
    ]
    blocks = find_blocks(article, spans)
    bases: list[int] = []
    total = 0
    for para in paras:
        bases.append(total)
        total += len(para.text) + 2
    accepted: list[list[_Quote]] = []
    for i, para in enumerate(paras):
        if i in blocks:
            accepted.append([])
            continue
        continues = (
            i > 0
            and bool(accepted[i - 1])
            and accepted[i - 1][-1].span.close_mark is None
            and opens_with_quote(para.text, double=accepted[i - 1][-1].span.double)
        )
        accepted.append(_accept(para.text, spans[i], min_quote_words, continues))
    if mode != "rules":
        _parse_cues(article, accepted, mode, cues)
    _share_chain_cues(accepted)
    registry = Registry(
        [(bases[i], _masked(p.text, accepted[i])) for i, p in enumerate(paras) if i not in blocks]
    )
    attributor = Attributor(registry)
    # An article without a title gets no headline segment: segments are never empty.
    segments = [Segment(SegmentKind.HEADLINE, article.title, article.title, -1)]
    if not article.title.strip():
        segments.clear()
    block_speaker: dict[int, tuple[str | None, Gender, Attribution]] = {}
    for i, para in enumerate(paras):
        text = para.text
        attributor.para_start = bases[i]
        if i in blocks:
            intro = blocks[i]
            if intro not in block_speaker:
                cue = block_cue(paras[intro].text.rstrip().rstrip(":")) if intro >= 0 else None
                speaker, gender, attribution = attributor.attribute(
                    cue, bases[i], AttributionMethod.BLOCK
                )
                if cue is None and attribution.method is not AttributionMethod.NONE:
                    attribution = Attribution(AttributionMethod.BLOCK, 0.5)
                block_speaker[intro] = (speaker, gender, attribution)
            speaker, gender, attribution = block_speaker[intro]
            attributor.last_end = bases[i] + len(text)
            label = ANSWER_LABEL.match(text.lstrip()) if not para.blockquote else None
            if label is not None:
                # "A:" is the layout's, read by the narrator; the answer is the speaker's.
                _append_narration(segments, label.group().strip(), i)
                text = text.lstrip()[label.end() :]
            if text.strip():
                words = _unwrap(text.strip())
                segments.append(
                    Segment(SegmentKind.QUOTE, words, words, i, speaker, gender, attribution)
                )
            continue
        pos = 0
        for k, quote in enumerate(accepted[i]):
            span = quote.span
            narration = text[pos : span.open_mark].strip()
            if narration:
                _append_narration(segments, narration, i)
            cue = quote.cue
            method = AttributionMethod.EXPLICIT
            if cue is None and k == 0 and not narration and i > 0 and i - 1 not in blocks:
                prev = paras[i - 1].text.rstrip()
                if prev.endswith(":"):
                    cue = lead_cue(prev[:-1])
            evidence = quote.evidence
            if cue is None and quote.continues and attributor.last is not None:
                speaker, gender = attributor.last.name, attributor.last.gender
                attribution, evidence = Attribution(AttributionMethod.FOLLOW_ON, 0.8), "continued"
            else:
                speaker, gender, attribution = attributor.attribute(
                    cue, bases[i] + span.open_mark, method
                )
                if quote.loose and cue is not None:
                    attribution = Attribution(
                        attribution.method, round(attribution.confidence * 0.8, 2)
                    )
            if speaker is not None and speaker[:1].islower():
                evidence += "-phrase"  # "the official": no one named, a different kind of guess
            attribution = Attribution(
                attribution.method,
                calibrated(attribution.method, evidence, attribution.confidence),
            )
            words = text[span.start : span.end].strip()
            segments.append(
                Segment(SegmentKind.QUOTE, words, words, i, speaker, gender, attribution)
            )
            pos = span.close_mark + 1 if span.close_mark is not None else len(text)
            attributor.last_end = bases[i] + pos
        rest = text[pos:].strip()
        if rest:
            _append_narration(segments, rest, i)
    return tuple(segments)


def _parse_cues(
    article: Article, accepted: list[list[_Quote]], mode: str, store: ParsedCues | None
) -> None:
    """Combine each accepted quote's pattern cue with the cue the parse gives.

    Only paragraphs with quotes are parsed, in one batch, and of those only the ones where a
    speech verb could give a cue (`could_cue`) and `store` does not have: an article whose
    paragraphs all are so never loads the model.
    """
    wanted, budget = [], PARSE_BUDGET
    for i, quotes in enumerate(accepted):
        budget -= len(article.paragraphs[i].text) if quotes else 0
        if quotes and budget >= 0:
            wanted.append(i)
    found: dict[int, list[Cue | None]] = {}
    marks: dict[int, list[QuoteMarks]] = {}
    unparsed = []
    for i in wanted:
        text = article.paragraphs[i].text
        marks[i] = [(q.span.open_mark, q.span.close_mark, q.tail_first) for q in accepted[i]]
        if not any(could_cue(text, start, end) for start, end, _ in marks[i]):
            found[i] = [None] * len(marks[i])
            continue
        stored = store.get_cues(text, marks[i]) if store is not None else None
        if stored is not None and len(stored) == len(marks[i]):
            found[i] = stored
        else:
            unparsed.append(i)
    docs = parse([article.paragraphs[i].text for i in unparsed]) if unparsed else []
    for i, doc in zip(unparsed, docs, strict=True):
        found[i] = [syntax_cue(doc, a, b, tail_first=tail) for a, b, tail in marks[i]]
        if store is not None:
            store.put_cues(article.paragraphs[i].text, marks[i], found[i])
    for i in wanted:
        for quote, parsed in zip(accepted[i], found[i], strict=True):
            cue, evidence = combine(quote.cue, parsed, mode)
            quote.loose = quote.loose and cue is quote.cue
            quote.cue, quote.evidence = cue, "loose" if quote.loose else evidence


def _unwrap(text: str) -> str:
    """A block quote's words without the marks, when marks wrap the whole paragraph."""
    spans = find_quotes(text)
    if len(spans) == 1 and spans[0].open_mark == 0 and spans[0].close_mark == len(text) - 1:
        return text[1:-1].strip() or text
    return text


def _append_narration(segments: list[Segment], text: str, paragraph: int) -> None:
    """Add narration, merging with a narration segment just before it in the same paragraph."""
    last = segments[-1] if segments else None
    if last is not None and last.kind is SegmentKind.NARRATION and last.paragraph == paragraph:
        merged = last.text + " " + text
        segments[-1] = Segment(SegmentKind.NARRATION, merged, merged, paragraph)
    else:
        segments.append(Segment(SegmentKind.NARRATION, text, text, paragraph))


def _share_chain_cues(accepted: list[list[_Quote]]) -> None:
    """Give every part of a multi-paragraph quotation the attribution one of its parts has."""
    chain: list[_Quote] = []
    for quotes in accepted:
        if quotes and quotes[0].continues and chain:
            chain.append(quotes[0])
        else:
            _fill(chain)
            chain = [quotes[-1]] if quotes else []
            continue
        if len(quotes) > 1 or quotes[0].span.close_mark is not None:
            _fill(chain)
            chain = [quotes[-1]] if len(quotes) > 1 else []
    _fill(chain)


def _fill(chain: list[_Quote]) -> None:
    """Copy the first cue found in a chain onto the parts that have none."""
    cue = next((q.cue for q in chain if q.cue is not None), None)
    if cue is None or len(chain) < 2:
        return
    for quote in chain:
        if quote.cue is None:
            quote.cue, quote.evidence = cue, "chain"
