"""Ingest: read sources (files, directories, stdin, URLs, feeds) into cleaned articles.

load_articles(sources)             the one entry point the pipeline calls
  read.py     files, directories, stdin (size limit)
  fetch.py    http(s) URLs (timeout, size limit, one error per failure)
  detect.py   which reader: forced format, extension, Content-Type, content
  decode.py   bytes to clean text (encodings, binary, control characters)
  text.py / markdown.py / html.py / feed.py   one reader per format
  cleanup.py  photo credits, captions, labels, boilerplate (reported as removals)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from briefing.errors import InputError
from briefing.ingest.cleanup import clean_article, extract_byline
from briefing.ingest.decode import decode_bytes, empty_noun
from briefing.ingest.detect import check_format, detect_format
from briefing.ingest.fetch import fetch, is_url
from briefing.ingest.read import RawDocument, directory_files, read_file, read_stdin
from briefing.ingest.text import parse_text, title_from_name
from briefing.model import Article

__all__ = ["IngestOptions", "load_articles"]


@dataclass(frozen=True)
class IngestOptions:
    """How sources are read: forced format, cleanup, feed item count, size and time limits."""

    from_format: str | None = None
    """Force "text", "markdown", "html" or "feed" instead of detecting the format."""
    keep_all: bool = False
    """Turn cleanup off: keep credits, captions, labels and boilerplate."""
    max_items: int | None = None
    """Read at most this many feed items, newest first."""
    max_bytes: int = 20 * 1024 * 1024
    """Largest file or download accepted (raised with --max-size)."""
    timeout: float = 20.0
    """Seconds a URL download may take."""


def _empty_check(text: str, where: str) -> None:
    if not text.strip():
        raise InputError(f"{where}: {empty_noun(where)} is empty (only whitespace)")


def _article(raw: RawDocument, options: IngestOptions) -> list[Article]:
    """Read one document in its format; feeds give several articles, everything else one."""
    kind = detect_format(raw.source, raw.data, raw.content_type, options.from_format)
    if kind == "feed":
        from briefing.ingest.feed import parse_feed

        decode_bytes(raw.data[:65536], raw.source)  # empty or binary: the same clear errors

        def read_page(url: str) -> Article:
            page = fetch(url, timeout=options.timeout, max_bytes=options.max_bytes)
            forced = replace(options, from_format=None, keep_all=True)
            return _article(page, forced)[0]

        articles = parse_feed(raw.data, raw.source, read_page, options.max_items)
    elif kind == "html":
        from briefing.ingest.html import decode_html, parse_html

        html = decode_html(raw.data, raw.source, raw.content_type)
        _empty_check(html, raw.source)
        articles = [parse_html(html, raw.source, raw.url)]
    else:
        text = decode_bytes(raw.data, raw.source)
        _empty_check(text, raw.source)
        if kind == "markdown":
            from briefing.ingest.markdown import parse_markdown

            article = parse_markdown(text, raw.source, title_from_name(raw.source))
        else:
            # Plain text cleans line by line before wrapped lines are joined.
            article = parse_text(text, raw.source, clean=not options.keep_all)
            return [extract_byline(article)]
        articles = [article]
    if options.keep_all:
        return [extract_byline(a) for a in articles]
    return [clean_article(extract_byline(a)) for a in articles]


def _read_source(source: str, options: IngestOptions) -> list[RawDocument]:
    if source == "-":
        return [read_stdin(options.max_bytes)]
    if is_url(source):
        return [fetch(source, timeout=options.timeout, max_bytes=options.max_bytes)]
    path = Path(source)
    if path.is_dir():
        return [read_file(p, name, options.max_bytes) for p, name in directory_files(path, source)]
    return [read_file(path, source, options.max_bytes)]


def load_articles(
    sources: Sequence[str], options: IngestOptions = IngestOptions()
) -> list[Article]:
    """Read every source (path, directory, '-', http(s) URL, feed) into cleaned articles."""
    if options.from_format is not None:
        check_format(options.from_format)
    if options.max_items is not None and options.max_items < 1:
        raise InputError(f"--max-items: must be at least 1, not {options.max_items}")
    if options.max_bytes <= 0:
        raise InputError(f"--max-size: must be positive, not {options.max_bytes} bytes")
    articles: list[Article] = []
    for source in sources:
        for raw in _read_source(source, options):
            articles.extend(_article(raw, options))
    return articles
