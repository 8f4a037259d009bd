"""Paragraphs read as block quotes: set apart by the source, introduced by a colon, or an
interview's answers; each mapped to the paragraph that introduces it."""

from __future__ import annotations

import re

from briefing.model import Article
from briefing.script.quotes import QuoteSpan, opens_with_quote, qa_answers
from briefing.script.quotes_patterns import lead_cue
from briefing.script.speech_verbs import has_speech_verb

_FIRST_PERSON = re.compile(
    r"(?<![\w’'-])(?:I|I[’']m|I[’']ve|I[’']d|I[’']ll|[Ww]e|[Ww]e[’']re|[Ww]e[’']ve|[Ww]e[’']ll|"
    r"[Oo]ur|[Oo]urs|us|[Mm]y|me|mine|myself|ourselves)(?![\w’'-])"
)


def find_blocks(article: Article, spans: list[list[QuoteSpan]]) -> dict[int, int]:
    """Paragraphs read as block quotes, each mapped to the paragraph that introduced them."""
    paras = article.paragraphs
    blocks: dict[int, int] = {}
    for i, para in enumerate(paras):
        if para.blockquote:
            blocks[i] = blocks.get(i - 1, i - 1) if i > 0 and paras[i - 1].blockquote else i - 1
            continue
        if not para.text.rstrip().endswith(":") or i + 1 >= len(paras):
            continue
        intro = para.text.rstrip()[:-1]
        speechy = has_speech_verb(intro[-200:])
        j = i + 1
        while j < len(paras) and not paras[j].blockquote:
            text = paras[j].text
            if not text.strip() or opens_with_quote(text) or spans[j]:
                break
            first_person = _FIRST_PERSON.search(text) is not None
            if not first_person and not (j == i + 1 and speechy):
                break
            if _names_a_speaker(text):
                break
            blocks[j] = i
            j += 1
    # An interview's answers are the interviewee's words, like a block quote.
    for i, start in qa_answers([p.text for p in paras]).items():
        blocks.setdefault(i, start)
    return blocks


def _names_a_speaker(text: str) -> bool:
    """Whether narration names someone saying something (so a block quote has ended)."""
    cue = lead_cue(text)
    return cue is not None and (cue.name is not None or cue.nom is not None)
