"""RSS and Atom feeds to articles: one per item, newest first, full content or the linked page.

An item whose linked page cannot be read is read from the feed's summary of it, with a warning;
one with neither is skipped with a warning. A feed fails only when none of its items can be read.
"""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Callable
from typing import Any

from briefing.errors import InputError
from briefing.model import Article, Paragraph
from briefing.sources.html import fragment_paragraphs

_log = logging.getLogger(__name__)

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
    failures: list[str] = []
    for number in order:
        entry = entries[number]
        try:
            articles.append(_item_article(entry, number, source, read_page))
        except InputError as error:
            if len(order) == 1:
                raise
            _log.warning(f"{error.message}; item {number + 1} skipped")
            failures.append(error.message)
    if not articles:
        raise InputError(f"{source}: none of its {len(order)} items could be read ({failures[0]})")
    return articles


def _item_article(entry: Any, number: int, source: str, read_page: PageReader) -> Article:
    """One item: its full content, else its linked page, else (with a warning) its summary."""
    title = " ".join(str(entry.get("title") or "").split())
    link = str(entry.get("link") or "")
    if not link.lower().startswith(("http://", "https://")):
        link = ""  # Atom ids such as urn:... are no address to fetch or to show
    where = link or f"{source} (item {number + 1})"
    byline = entry.get("author") or None
    content = _full_content(entry)
    if content is None and link:
        try:
            page = read_page(link)
        except InputError as error:
            content = _summary(entry)
            if content is None:
                raise
            _log.warning(f"{error.message}; reading the feed's summary of it instead")
        else:
            return Article(
                title=title or page.title,
                paragraphs=_drop_repeated_title(page.paragraphs, title),
                source=link,
                byline=byline or page.byline,
                removed=page.removed,
            )
    if content is None:
        raise InputError(
            f"{source}: item {number + 1} ({title or 'untitled'}) has no content and no link"
        )
    paragraphs = fragment_paragraphs(content)
    return Article(
        title=title or (paragraphs.pop(0).text if paragraphs else "Untitled item"),
        paragraphs=tuple(paragraphs),
        source=where,
        byline=byline,
    )


def _summary(entry: Any) -> str | None:
    """The item's summary (RSS description), when it has words."""
    value = str(entry.get("summary") or "")
    return value if value.strip() else None


def _drop_repeated_title(paragraphs: tuple[Paragraph, ...], title: str) -> tuple[Paragraph, ...]:
    if paragraphs and paragraphs[0].text == title:
        return paragraphs[1:]
    return paragraphs
