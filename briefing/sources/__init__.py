"""Sources: files, directories, stdin, URLs and feeds → cleaned articles.

Imports only the shared modules (`model`, `errors`); the lowest stage.

load_articles(sources)             read and parse every source (tests and simple callers)
read_documents / parse_document    the same in two steps, so the pipeline can look a document's
                                   bytes up in the script cache before parsing them
  options.py  IngestOptions
  read.py     files, directories, stdin (size limit)
  fetch.py    http(s) URLs (timeout, size limit, one error per failure)
  parse.py    one document to articles: detect, decode, read, clean up
  detect.py   which reader: forced format, extension, Content-Type, content
  decode.py   bytes to clean text (encodings, binary, control characters)
  text.py / markdown.py / html.py / feed.py   one reader per format
  cleanup.py  photo credits, captions, labels, boilerplate (reported as removals)
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from briefing.errors import InputError
from briefing.model import Article
from briefing.sources.detect import check_format, detect_format
from briefing.sources.options import IngestOptions
from briefing.sources.read import RawDocument, directory_files, is_url, read_file, read_stdin

__all__ = [
    "IngestOptions",
    "RawDocument",
    "document_format",
    "load_articles",
    "parse_document",
    "read_documents",
]


def _read_source(source: str, options: IngestOptions) -> list[RawDocument]:
    if source == "-":
        return [read_stdin(options.max_bytes)]
    if is_url(source):
        # urllib and ssl load only when a URL is given (~40 ms at import).
        from briefing.sources.fetch import fetch

        return [fetch(source, timeout=options.timeout, max_bytes=options.max_bytes)]
    path = Path(source)
    if path.is_dir():
        return [read_file(p, name, options.max_bytes) for p, name in directory_files(path, source)]
    return [read_file(path, source, options.max_bytes)]


def read_documents(sources: Sequence[str], options: IngestOptions) -> Iterator[RawDocument]:
    """Every source's documents in order (a directory gives several), checking options first.

    Lazy: a source is read only when the previous one's documents were taken, so a caller that
    parses each document as it comes reports errors in source order.
    """
    if options.from_format is not None:
        check_format(options.from_format)
    if options.max_items is not None and options.max_items < 1:
        raise InputError(f"--max-items: must be at least 1, not {options.max_items}")
    if options.max_bytes <= 0:
        raise InputError(f"--max-size: must be positive, not {options.max_bytes} bytes")

    def documents() -> Iterator[RawDocument]:
        for source in sources:
            yield from _read_source(source, options)

    return documents()


def document_format(raw: RawDocument, options: IngestOptions) -> str:
    """The reader a document goes to: "text", "markdown", "html" or "feed"."""
    return detect_format(raw.source, raw.data, raw.content_type, options.from_format)


def parse_document(raw: RawDocument, options: IngestOptions) -> list[Article]:
    """One document's articles (a feed gives several), decoded, read and cleaned up."""
    # The readers and cleanup rules load on first use: cached documents never need them.
    from briefing.sources.parse import parse_document as parse

    return parse(raw, options)


def load_articles(sources: Sequence[str], options: IngestOptions | None = None) -> list[Article]:
    """Read every source (path, directory, '-', http(s) URL, feed) into cleaned articles."""
    options = options or IngestOptions()
    return [
        article
        for raw in read_documents(sources, options)
        for article in parse_document(raw, options)
    ]
