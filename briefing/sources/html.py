"""HTML to an article: main-text extraction with trafilatura, headline from h1/og:title."""

from __future__ import annotations

import re
from typing import Any

from briefing.errors import InputError
from briefing.model import Article, Paragraph
from briefing.sources.decode import clean_text, decode_bytes

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_TITLE_SUFFIX = re.compile(r"\s+(?:\||–|—|-|::|·)\s+[^|–—]{1,60}$")
_SENTENCE_END = re.compile(r"[.!?…][”’\"')\]]*$")
_LISTING_TITLE = re.compile(r"^(?:index of|directory listing for)\s+/", re.IGNORECASE)
_LISTING_LINKS = 5
_LISTING_SHARE = 0.8
_PROFILE_LIKE = re.compile(r"@|://|\bwww\.|\.(?:com|net|org)/")
_BLOCK_TAGS = ("p", "blockquote", "li", "h2", "h3", "h4", "h5", "h6", "pre", "dd")


def decode_html(data: bytes, where: str, content_type: str | None = None) -> str:
    """Decode HTML bytes using the declared charset (header, then meta), else by detection."""
    decode_bytes(data[:65536], where)  # refuses empty and binary content with a clear error
    charset = None
    if content_type and "charset=" in content_type.lower():
        charset = content_type.lower().split("charset=", 1)[1].split(";")[0].strip(" \"'")
    if charset is None:
        match = _META_CHARSET.search(data[:4096])
        charset = match.group(1).decode("ascii", "ignore") if match else None
    if charset:
        try:
            return clean_text(data.decode(charset, errors="replace").lstrip("\ufeff"))
        except LookupError:
            pass  # an unknown charset name: fall back to detection
    return decode_bytes(data, where)


def _text(element: Any) -> str:
    return " ".join(clean_text("".join(element.itertext())).split())


def _walk(body: Any, title: str) -> list[Paragraph]:
    """Paragraphs from trafilatura's XML body; <quote> content becomes blockquote paragraphs."""
    out: list[Paragraph] = []
    for child in body:
        tag = child.tag
        if tag == "quote":
            inner = [c for c in child if c.tag in ("p", "list", "head")]
            if inner:
                for element in inner:
                    items = element.findall("item") if element.tag == "list" else [element]
                    out.extend(Paragraph(t, blockquote=True) for i in items if (t := _text(i)))
            elif text := _text(child):
                out.append(Paragraph(text, blockquote=True))
        elif tag == "list":
            out.extend(Paragraph(t) for item in child.iter("item") if (t := _text(item)))
        elif tag in ("p", "head", "code"):
            text = _text(child)
            # The page's own <h1> is the headline, read once as the title.
            is_headline = tag == "head" and (text == title or child.get("rend") == "h1")
            if text and not is_headline:
                out.append(Paragraph(text))
    return out


def _meta(tree: Any, *names: str) -> str | None:
    for name in names:
        for attr in ("property", "name"):
            values = tree.xpath(f'//meta[@{attr}="{name}"]/@content')
            if values and (value := " ".join(str(values[0]).split())):
                return value
    return None


def _headline(tree: Any, extracted: str | None, site: str | None) -> str | None:
    """og:title, else the first <h1>, else trafilatura's title without a " | Site" suffix."""
    og = _meta(tree, "og:title", "twitter:title")
    h1s = tree.xpath("//h1")
    h1 = _text(h1s[0]) if h1s else None
    if og and h1 and og != h1 and og.startswith(h1):
        return h1  # og:title with a " | Site" suffix the site name did not reveal
    for candidate in (og, h1, extracted):
        if candidate:
            if site and candidate.endswith(site) and candidate != site:
                return _TITLE_SUFFIX.sub("", candidate)
            return candidate
    titles = tree.xpath("//title")
    return _TITLE_SUFFIX.sub("", _text(titles[0])) if titles and _text(titles[0]) else None


def _has_prose(paragraphs: list[Paragraph]) -> bool:
    """Whether extracted text reads like an article rather than a menu or a list of links."""
    words = sum(len(p.text.split()) for p in paragraphs)
    sentences = sum(1 for p in paragraphs if _SENTENCE_END.search(p.text))
    return words >= 40 or (sentences >= 1 and words >= 5)


def _is_listing(tree: Any) -> bool:
    """Whether the page is a list of links (a server's directory index), not an article.

    Autoindex pages say so in their title ("Index of /", "Directory listing for /"); any page
    whose body text is mostly the text of its links is a listing too.
    """
    titles = tree.xpath("//title|//h1")
    if titles and _LISTING_TITLE.match(_text(titles[0])):
        return True
    bodies = tree.xpath("//body")
    if not bodies:
        return False
    total = len("".join(_text(bodies[0]).split()))
    links = tree.xpath("//body//a")
    linked = sum(len("".join(_text(a).split())) for a in links)
    return len(links) >= _LISTING_LINKS and linked >= _LISTING_SHARE * total


def parse_html(html: str, source: str, url: str | None = None) -> Article:
    """Extract the main article of a web page, or raise InputError when there is none."""
    import lxml.html
    import trafilatura

    try:
        tree = lxml.html.fromstring(html)
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_images=False,
            include_tables=False,
        )
    except Exception as exc:  # trafilatura and lxml raise assorted errors on broken markup
        raise InputError(f"{source}: cannot parse the HTML ({type(exc).__name__})") from None
    site = _meta(tree, "og:site_name")
    title = _headline(tree, getattr(doc, "title", None), site)
    body = getattr(doc, "body", None)
    paragraphs = _walk(body, title or "") if body is not None else []
    if _is_listing(tree):
        raise InputError(
            f"{source}: not an article (a directory listing or list of links)",
            hint="pass the address of one article, or a feed",
        )
    if not _has_prose(paragraphs):
        raise InputError(
            f"{source}: not an article (no article text found on the page)",
            hint="pass the page of a single article, or save its text as .txt",
        )
    if not title:
        title = paragraphs.pop(0).text
    meta = _meta(tree, "author", "article:author")
    if meta and _PROFILE_LIKE.search(meta):  # trafilatura would mangle the URL into names
        author: str | None = meta
    else:
        author = getattr(doc, "author", None) or meta
    return Article(title=title, paragraphs=tuple(paragraphs), source=source, byline=_byline(author))


def _byline(author: str | None) -> str | None:
    """The author names, without the profile URLs and @handles some pages put there."""
    if not author:
        return None
    names = [p.strip() for p in re.split(r"[;|,]\s*", author)]
    kept = [n for n in names if n and not _PROFILE_LIKE.search(n)]
    return ", ".join(kept) or None


def fragment_paragraphs(html: str) -> list[Paragraph]:
    """Paragraphs of an HTML fragment (a feed item's content), blockquotes marked."""
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except Exception:  # lxml's parser errors on garbage; treat the content as text
        return [Paragraph(t) for line in html.split("\n") if (t := " ".join(line.split()))]
    for bad in root.xpath("//script|//style|//figure|//figcaption|//img|//iframe|//noscript"):
        bad.drop_tree()
    out: list[Paragraph] = []
    pending: list[str] = []

    def flush() -> None:
        text = " ".join(clean_text(" ".join(pending)).split())
        if text:
            out.append(Paragraph(text))
        pending.clear()

    pending.append(root.text or "")
    for child in root:
        if not isinstance(child.tag, str):  # comments and processing instructions
            pending.append(child.tail or "")
            continue
        blocks = [e for e in child.iter() if isinstance(e.tag, str) and e.tag in _BLOCK_TAGS]
        if not blocks:
            pending.append(_text(child))
        else:
            flush()
            with_blocks = {id(a) for e in blocks for a in e.iterancestors()}
            for element in blocks:
                if id(element) in with_blocks:
                    continue  # its inner blocks are read one by one
                quoted = element.tag == "blockquote" or any(
                    a.tag == "blockquote" for a in element.iterancestors()
                )
                if text := _text(element):
                    out.append(Paragraph(text, blockquote=quoted))
        pending.append(child.tail or "")
    flush()
    return out
