"""One document's bytes to articles: detect the format, decode, read, clean up.

Kept apart from reading (`briefing.sources`) so a build whose documents are all in the script
cache never imports the readers and cleanup rules.
"""

from __future__ import annotations

from dataclasses import replace

from briefing.errors import InputError
from briefing.model import Article
from briefing.sources.cleanup import clean_article, extract_byline
from briefing.sources.decode import decode_bytes, empty_noun
from briefing.sources.detect import detect_format
from briefing.sources.options import IngestOptions
from briefing.sources.read import RawDocument
from briefing.sources.text import parse_text, title_from_name


def _empty_check(text: str, where: str) -> None:
    if not text.strip():
        raise InputError(f"{where}: {empty_noun(where)} is empty (only whitespace)")


def parse_document(raw: RawDocument, options: IngestOptions) -> list[Article]:
    """Read one document in its format; feeds give several articles, everything else one."""
    kind = detect_format(raw.source, raw.data, raw.content_type, options.from_format)
    if kind == "feed":
        from briefing.sources.feed import parse_feed
        from briefing.sources.fetch import fetch

        decode_bytes(raw.data[:65536], raw.source)  # empty or binary: the same clear errors

        def read_page(url: str) -> Article:
            page = fetch(url, timeout=options.timeout, max_bytes=options.max_bytes)
            forced = replace(options, from_format=None, keep_all=True)
            return parse_document(page, forced)[0]

        articles = parse_feed(raw.data, raw.source, read_page, options.max_items)
    elif kind == "html":
        from briefing.sources.html import decode_html, parse_html

        html = decode_html(raw.data, raw.source, raw.content_type)
        _empty_check(html, raw.source)
        articles = [parse_html(html, raw.source, raw.url)]
    else:
        text = decode_bytes(raw.data, raw.source)
        _empty_check(text, raw.source)
        if kind == "markdown":
            from briefing.sources.markdown import parse_markdown

            article = parse_markdown(text, raw.source, title_from_name(raw.source))
        else:
            # Plain text cleans line by line before wrapped lines are joined.
            article = parse_text(text, raw.source, clean=not options.keep_all)
            return [extract_byline(article)]
        articles = [article]
    if options.keep_all:
        return [extract_byline(a) for a in articles]
    return [clean_article(extract_byline(a)) for a in articles]
