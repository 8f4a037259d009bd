"""Which reader an article needs: from the forced format, the extension, the type or the bytes."""

from __future__ import annotations

import re

from briefing.errors import InputError

FORMATS = ("text", "markdown", "html", "feed")

_BY_SUFFIX = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".rss": "feed",
    ".atom": "feed",
}
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)\b", re.IGNORECASE)
_HTML_START = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
_HTML_TAGS = re.compile(rb"<(?:p|div|article|h1|meta|title|section|span)\b", re.IGNORECASE)
_MD_MARKS = re.compile(r"^(?:#{1,6} \S|> \S|\* \S|- \S|\d+\. \S)|\]\(https?://", re.MULTILINE)


def check_format(name: str) -> str:
    """Validate a forced format name (`--from`)."""
    if name not in FORMATS:
        raise InputError(
            f"--from {name}: unknown format", hint=f"choose one of {', '.join(FORMATS)}"
        )
    return name


def _sniff(data: bytes) -> str | None:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<?xml") or head.startswith(b"<rss") or head.startswith(b"<feed"):
        return "feed" if _FEED_ROOT.search(data[:8192]) else "html"
    if _HTML_START.match(head) or len(_HTML_TAGS.findall(head)) >= 3:
        return "html"
    return None


def detect_format(
    source: str, data: bytes, content_type: str | None = None, forced: str | None = None
) -> str:
    """The format of a document, from (in order) the forced format, suffix, type and content."""
    if forced is not None:
        return check_format(forced)
    path = source.split("?", 1)[0].split("#", 1)[0].lower()
    suffix = "." + path.rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else ""
    if suffix == ".xml":
        return "feed" if _FEED_ROOT.search(data[:8192]) else (_sniff(data) or "text")
    if suffix in _BY_SUFFIX and not source.startswith(("http://", "https://")):
        return _BY_SUFFIX[suffix]
    if content_type:
        kind = content_type.split(";", 1)[0].strip().lower()
        if kind in ("application/rss+xml", "application/atom+xml", "application/rdf+xml"):
            return "feed"
        if kind in ("text/html", "application/xhtml+xml"):
            return "html"
        if kind == "text/markdown":
            return "markdown"
        if kind in ("application/xml", "text/xml"):
            return "feed" if _FEED_ROOT.search(data[:8192]) else "html"
    if suffix in _BY_SUFFIX:
        return _BY_SUFFIX[suffix]
    sniffed = _sniff(data)
    if sniffed is not None:
        return sniffed
    text = data[:8192].decode("utf-8", errors="ignore")
    return "markdown" if len(_MD_MARKS.findall(text)) >= 2 or text.startswith("# ") else "text"
