"""Find top-level quotations in a paragraph: which quote marks open and close them.

Works in one left-to-right pass per paragraph (linear time). Double marks (" “ ” „ « »)
and single marks (' ‘ ’ ‹ ›) are paired on a stack, so British-style outer singles with
nested doubles work as well as the American style. Apostrophes (don’t, the ’90s, Jones’)
are told apart from single marks by what flanks them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from briefing.model import Article, Segment

DOUBLE_MARKS = frozenset('"“”„«»‟')
SINGLE_MARKS = frozenset("'‘’‚‹›")
QUOTE_MARKS = DOUBLE_MARKS | SINGLE_MARKS

_OPEN_PUNCT = frozenset("([{—–-/") | QUOTE_MARKS
_CLOSE_PUNCT = frozenset(".,;:!?)]}—–-/…") | QUOTE_MARKS
# Leading elisions where ’ or ' opens a word rather than a quotation.
_ELISION = re.compile(r"(?:\d\d|em|til|tis|twas|cause|bout|round|n|s)(?![A-Za-z])", re.IGNORECASE)

_MARK_RE = re.compile("[" + re.escape("".join(sorted(QUOTE_MARKS))) + "]")
OPEN, CLOSE, EITHER = 1, 2, 3
# Bounds the stack so a run of stray openers cannot make pairing quadratic.
_MAX_DEPTH = 8


@dataclass(frozen=True)
class QuoteSpan:
    """A top-level quotation in a paragraph.

    `start`/`end` delimit the quoted words; `open_mark` is the index of the opening mark and
    `close_mark` the index of the closing mark (of its last character, for AP style's ''), or
    None when the quote runs to the end of the paragraph without closing.
    """

    open_mark: int
    close_mark: int | None
    start: int
    end: int
    double: bool


def _flanks(text: str, i: int) -> tuple[bool, bool]:
    """Whether the mark at `i` can open (left-flanking) and close (right-flanking)."""
    prev = text[i - 1] if i > 0 else None
    nxt = text[i + 1] if i + 1 < len(text) else None
    left = (
        nxt is not None
        and not nxt.isspace()
        and (prev is None or prev.isspace() or prev in _OPEN_PUNCT)
    )
    right = (
        prev is not None
        and not prev.isspace()
        and (nxt is None or nxt.isspace() or nxt in _CLOSE_PUNCT)
    )
    return left, right


def _double_role(text: str, i: int) -> int:
    """OPEN, CLOSE, EITHER or 0 (literal) for a double mark."""
    ch = text[i]
    left, right = _flanks(text, i)
    if ch in "„«":
        return OPEN
    if ch == "»":
        return CLOSE
    if ch in "“‟":
        return CLOSE if right and not left else OPEN
    if ch == "”":
        return OPEN if left and not right else CLOSE
    if left and not right:
        return OPEN
    if right and not left:
        return CLOSE
    return EITHER if left and right else 0


def _single_role(text: str, i: int) -> tuple[int, bool]:
    """Role of a single mark plus whether a closing role is weak (possessive s’)."""
    ch = text[i]
    prev = text[i - 1] if i > 0 else ""
    nxt = text[i + 1] if i + 1 < len(text) else ""
    if prev.isalnum() and nxt.isalnum():
        return 0, False
    left, right = _flanks(text, i)
    if ch in "‚‹":
        return OPEN, False
    if ch == "›":
        return CLOSE, False
    if left and not right:
        if ch == "’" or _ELISION.match(text, i + 1):
            return 0, False
        return OPEN, False
    if right and not left:
        return CLOSE, prev in "sSzZ"
    return 0, False


def find_quotes(text: str, *, single_runs_on: bool = False) -> list[QuoteSpan]:
    """Top-level quotations in one paragraph, in order; unclosed doubles run to the end.

    An unclosed single-quoted passage runs to the end only with `single_runs_on` (the next
    paragraph continues it), since stray single marks are common.
    """
    marks: list[tuple[int, bool, int, bool]] = []
    paired = -1
    for found in _MARK_RE.finditer(text):
        i, ch = found.start(), found.group()
        if i == paired:
            continue
        if text.startswith("''", i):
            # AP style writes a double mark as two apostrophes (''): one double mark, two wide.
            role = _double_role(text[:i] + '"' + text[i + 2 :], i)
            if role:
                marks.append((i, True, role, False))
                paired = i + 1
                continue
        if ch in DOUBLE_MARKS:
            role = _double_role(text, i)
            if role:
                marks.append((i, True, role, False))
        elif ch in SINGLE_MARKS:
            role, weak = _single_role(text, i)
            if role:
                marks.append((i, False, role, weak))
    # A weak single closer (Jones’) is skipped when a strong one follows before the next opener.
    strong_after = [False] * (len(marks) + 1)
    seen_strong = False
    for k in range(len(marks) - 1, -1, -1):
        _, double, role, weak = marks[k]
        strong_after[k + 1] = seen_strong
        if not double and role == OPEN:
            seen_strong = False
        elif not double and role in (CLOSE, EITHER) and not weak:
            seen_strong = True
    spans: list[QuoteSpan] = []
    stack: list[tuple[int, bool]] = []
    for k, (i, double, role, weak) in enumerate(marks):
        depth = next((d for d in range(len(stack) - 1, -1, -1) if stack[d][1] == double), None)
        closes = role in (CLOSE, EITHER) and depth is not None
        if closes and weak and strong_after[k + 1]:
            closes = False
        if closes and depth is not None:
            opened = stack[depth][0]
            del stack[depth:]
            if not stack:
                closer = i + 1 if text.startswith("''", i) else i
                spans.append(QuoteSpan(opened, closer, opened + _width(text, opened), i, double))
        elif (
            role in (OPEN, EITHER)
            and len(stack) < _MAX_DEPTH
            and (double or not any(not d for _, d in stack))
        ):
            stack.append((i, double))
    # An unclosed outer double quote runs to the paragraph's end; an unclosed single is literal.
    if stack and (stack[0][1] or single_runs_on):
        opened = stack[0][0]
        spans.append(QuoteSpan(opened, None, opened + _width(text, opened), len(text), stack[0][1]))
    return spans


def _width(text: str, mark: int) -> int:
    """Characters an opening mark takes: two for AP style's '', else one."""
    return 2 if text.startswith("''", mark) else 1


def opens_with_quote(text: str, *, double: bool = True) -> bool:
    """Whether a paragraph starts with an opening double (or single) mark."""
    stripped = text.lstrip()
    offset = len(text) - len(stripped)
    if not stripped:
        return False
    if double:
        if stripped.startswith("''"):
            return _double_role(text[:offset] + '"' + text[offset + 2 :], offset) in (OPEN, EITHER)
        return stripped[0] in DOUBLE_MARKS and _double_role(text, offset) in (OPEN, EITHER)
    return stripped[0] in SINGLE_MARKS and _single_role(text, offset)[0] in (OPEN, EITHER)


_QUESTION = re.compile(r"Q[:.]\s")
ANSWER_LABEL = re.compile(r"A[:.]\s+")


def qa_answers(texts: list[str]) -> dict[int, int]:
    """Answer paragraphs of a Q&A ("Q: …" then "A: …"), each mapped to the paragraph that
    introduced the interview (the one before the first question)."""
    answers: dict[int, int] = {}
    intro = None
    for i, text in enumerate(texts):
        stripped = text.lstrip()
        if _QUESTION.match(stripped):
            intro = i - 1 if intro is None else intro
        elif intro is not None and ANSWER_LABEL.match(stripped):
            answers[i] = intro
    return answers


def nothing_lost(article: Article, segments: Sequence[Segment]) -> bool:
    """Whether segments hold every non-space character of the body, less only quote marks."""
    for i, para in enumerate(article.paragraphs):
        source = "".join(para.text.split())
        produced = "".join("".join(s.text.split()) for s in segments if s.paragraph == i)
        j = 0
        for ch in source:
            if j < len(produced) and produced[j] == ch:
                j += 1
            elif ch not in QUOTE_MARKS:
                return False
        if j != len(produced) or any(not s.text.strip() for s in segments):
            return False
    return True
