"""Markdown to an article: `#` headline, `>` block quotes, inline markup reduced to its text."""

from __future__ import annotations

import re

from briefing.model import Article, Paragraph, Removal

_ATX = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^ {0,3}(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})$")
_QUOTE = re.compile(r"^ {0,3}>\s?")
_BULLET = re.compile(r"^ {0,3}[*+-]\s+")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_REF_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S+")
_FRONT_TITLE = re.compile(r"""^title:\s*["']?(.*?)["']?\s*$""")

_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)|!\[([^\]]*)\]\[[^\]]*\]")
_LINK = re.compile(
    r"\[([^\]]+)\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)|\[([^\]]+)\]\[[^\]]*\]"
)
_AUTOLINK = re.compile(r"<((?:https?://|mailto:)[^>\s]+)>")
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>")
_CODE = re.compile(r"`+([^`]+)`+")
# Emphasis markers only where they open or close a run of text, so snake_case and 5 * 3 survive.
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EM_STAR = re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])")
_EM_UNDER = re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|])")


def inline_text(text: str, removed: list[Removal] | None = None) -> str:
    """Reduce Markdown inline markup (links, emphasis, code, images, tags) to its plain words."""

    def image(match: re.Match[str]) -> str:
        alt = (match.group(1) or match.group(2) or "").strip()
        if alt and removed is not None:
            removed.append(Removal(alt, "caption"))
        return ""

    text = _IMAGE.sub(image, text)
    text = _LINK.sub(lambda m: m.group(1) or m.group(2), text)
    text = _AUTOLINK.sub(lambda m: m.group(1).removeprefix("mailto:"), text)
    text = _CODE.sub(lambda m: m.group(1), text)
    text = _TAG.sub("", text)
    for pattern in (_STRONG, _STRIKE):
        text = pattern.sub(lambda m: m.group(2) if m.lastindex == 2 else m.group(1), text)
    text = _EM_STAR.sub(lambda m: m.group(1), text)
    text = _EM_UNDER.sub(lambda m: m.group(1), text)
    text = _ESCAPE.sub(lambda m: m.group(1), text)
    return " ".join(text.split())


def _front_matter(lines: list[str]) -> tuple[str | None, int]:
    """A YAML front matter block's title, and the line where the body starts."""
    if not lines or lines[0].strip() != "---":
        return None, 0
    for end in range(1, min(len(lines), 200)):
        if lines[end].strip() in ("---", "..."):
            title = None
            for line in lines[1:end]:
                match = _FRONT_TITLE.match(line.strip())
                if match:
                    title = match.group(1).strip() or None
            return title, end + 1
    return None, 0


def parse_markdown(text: str, source: str, fallback_title: str) -> Article:
    """Build an Article from Markdown; the first heading (or first line) is the headline."""
    lines = text.split("\n")
    title, start = _front_matter(lines)
    removed: list[Removal] = []
    blocks: list[tuple[str, bool]] = []  # (raw text, blockquote)
    current: list[str] = []
    current_quote = False
    in_fence = False
    skip = -1

    def flush() -> None:
        nonlocal current
        if current:
            blocks.append((" ".join(current), current_quote))
        current = []

    for i in range(start, len(lines)):
        raw = lines[i].rstrip()
        if i == skip:
            continue
        if _FENCE.match(raw):
            flush()
            in_fence = not in_fence
            continue
        if in_fence:
            if raw.strip():
                blocks.append((raw.strip(), False))
            continue
        if not raw.strip() or _RULE.match(raw) or _REF_DEF.match(raw):
            flush()
            continue
        setext = i + 1 < len(lines) and _SETEXT.match(lines[i + 1]) and not current
        atx = _ATX.match(raw)
        if atx or setext:
            flush()
            heading = atx.group(2) if atx else raw.strip()
            skip = i + 1 if setext else -1
            if title is None:
                title = inline_text(heading, removed)
            else:
                blocks.append((heading, False))
            continue
        quote = _QUOTE.match(raw) is not None
        body = raw
        while _QUOTE.match(body):
            body = _QUOTE.sub("", body, count=1)
        if quote and not body.strip():
            flush()
            continue
        if quote != current_quote or _BULLET.match(body):
            flush()
        current_quote = quote
        current.append(_BULLET.sub("", body).strip())
    flush()
    paragraphs = [
        Paragraph(cleaned, blockquote=quote)
        for raw_text, quote in blocks
        if (cleaned := inline_text(raw_text, removed))
    ]
    if title is None:
        if paragraphs and len(paragraphs[0].text) <= 300:
            title = paragraphs.pop(0).text
        else:
            title = fallback_title
    return Article(title=title, paragraphs=tuple(paragraphs), source=source, removed=tuple(removed))
