"""RSS and Atom feeds to articles: one per item, newest first, full content or the linked page."""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from typing import Any

from briefing.errors import InputError
from briefing.model import Article, Paragraph
from briefing.sources.html import fragment_paragraphs

# Fetches and reads a linked page into an article (given by the package, which knows options).
PageReader = Callable[[str], Article]


def _item_time(entry: Any) -> float | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            return time.mktime(value)
    return None


def _full_content(entry: Any) -> str | None:
    """The item's full body (content:encoded, atom content), never the summary."""
    contents = entry.get("content") or []
    best = None
    for content in contents:
        value = content.get("value") or ""
        if value.strip() and (best is None or "html" in content.get("type", "")):
            best = value
    return best


def parse_feed(
    data: bytes, source: str, read_page: PageReader, max_items: int | None
) -> list[Article]:
    """Turn a feed's items into articles, newest first, at most `max_items` of them."""
    import feedparser

    # A stream, never a str: feedparser treats strings as URLs or paths and would open them.
    parsed = feedparser.parse(io.BytesIO(data))
    entries = list(parsed.entries)
    if not entries:
        if parsed.get("bozo") and not parsed.get("version"):
            reason = parsed.get("bozo_exception")
            raise InputError(f"{source}: not a valid RSS or Atom feed ({reason})")
        raise InputError(f"{source}: the feed has no items")
    # Stable sort: dated items newest first, undated ones after them in feed order.
    order = sorted(
        range(len(entries)),
        key=lambda i: (0, -t) if (t := _item_time(entries[i])) is not None else (1, i),
    )
    if max_items is not None:
        order = order[: max(max_items, 0)]
    articles: list[Article] = []
    for number in order:
        entry = entries[number]
        title = " ".join(str(entry.get("title") or "").split())
        link = str(entry.get("link") or "")
        if not link.lower().startswith(("http://", "https://")):
            link = ""  # Atom ids such as urn:... are no address to fetch or to show
        where = link or f"{source} (item {number + 1})"
        content = _full_content(entry)
        if content is not None:
            paragraphs = fragment_paragraphs(content)
            article = Article(
                title=title or (paragraphs.pop(0).text if paragraphs else "Untitled item"),
                paragraphs=tuple(paragraphs),
                source=where,
                byline=entry.get("author") or None,
            )
        elif link:
            page = read_page(link)
            article = Article(
                title=title or page.title,
                paragraphs=_drop_repeated_title(page.paragraphs, title),
                source=link,
                byline=entry.get("author") or page.byline,
                removed=page.removed,
            )
        else:
            raise InputError(
                f"{source}: item {number + 1} ({title or 'untitled'}) has no content and no link"
            )
        articles.append(article)
    return articles


def _drop_repeated_title(paragraphs: tuple[Paragraph, ...], title: str) -> tuple[Paragraph, ...]:
    if paragraphs and paragraphs[0].text == title:
        return paragraphs[1:]
    return paragraphs
