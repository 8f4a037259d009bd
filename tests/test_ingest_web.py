"""HTML pages, URLs and feeds, served from a local http.server (tests never use the network)."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from briefing.errors import FetchError, InputError
from briefing.model import Paragraph
from briefing.sources import IngestOptions, load_articles

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


class _Handler(SimpleHTTPRequestHandler):
    """Serves the fixtures, with {BASE} in feeds replaced, plus a few misbehaving endpoints."""

    extensions_map = {  # noqa: RUF012 - the stdlib declares it as a plain class attribute
        **SimpleHTTPRequestHandler.extensions_map,
        ".rss": "application/rss+xml",
        ".atom": "application/atom+xml",
    }

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""

    def _send(self, body: bytes, content_type: str, length: int | None = None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        base = f"http://{self.headers['Host']}"
        if self.path == "/slow":
            time.sleep(1.5)
            self._send(b"<html><body><p>late</p></body></html>", "text/html")
        elif self.path == "/trickle":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            for _ in range(20):
                self.wfile.write(b"Title\n" * 10)
                self.wfile.flush()
                time.sleep(0.1)
        elif self.path == "/big":
            self._send(b"x" * (2 * 1024 * 1024), "text/plain")
        elif self.path == "/big-unannounced":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            for _ in range(40):
                self.wfile.write(b"word " * 13000)
        elif self.path == "/empty":
            self._send(b"", "text/html")
        elif self.path == "/photo":
            self._send(b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "image/png")
        elif self.path == "/plain":
            self._send(b"Plain Over HTTP\nIt works.\n", "text/plain; charset=utf-8")
        elif self.path == "/no-extension":
            self._send((FIXTURES / "article.html").read_bytes(), "text/html")
        elif self.path in ("/ferry", "/library"):
            self.send_error(500, "should not be fetched: the item has full content")
        elif self.path.endswith((".rss", ".atom")):
            body = (FIXTURES / self.path.lstrip("/")).read_bytes()
            self._send(body.replace(b"{BASE}", base.encode()), "application/rss+xml")
        else:
            super().do_GET()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    handler = partial(_Handler, directory=str(FIXTURES))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def fetch_error(url: str, options: IngestOptions | None = None) -> FetchError:
    with pytest.raises(FetchError) as info:
        load_articles([url], options or IngestOptions(timeout=5))
    assert "\n" not in str(info.value)
    return info.value


HARBOR_BODY_START = "PORT ELLIS — The harbor council voted 7-2 on Tuesday"


def check_harbor(paragraphs: tuple[Paragraph, ...]) -> None:
    texts = [p.text for p in paragraphs]
    assert texts[0].startswith(HARBOR_BODY_START)
    assert texts[-1].startswith("The state has promised to cover 40% of the cost")
    assert len(texts) == 7
    quotes = [p for p in paragraphs if p.blockquote]
    assert [q.text[:30] for q in quotes] == ["This is the most important dec"]
    joined = " ".join(texts)
    dropped = ["cookies", "Home", "Related", "Storm season", "Advertisement", "Share this"]
    dropped += ["newsletter", "rights reserved", "Vucci", "Workers survey", "Privacy"]
    for text in dropped:
        assert text not in joined


def test_html_file() -> None:
    [article] = load_articles([str(FIXTURES / "article.html")])
    assert article.title == "Harbor Council Approves Tide Barrier Plan"
    assert article.byline == "Maria Okafor"
    check_harbor(article.paragraphs)


def test_html_title_without_site_suffix(tmp_path: Path) -> None:
    html = (FIXTURES / "article.html").read_text("utf-8")
    html = html.replace(
        '<meta property="og:title" content="Harbor Council Approves Tide Barrier Plan">', ""
    )
    html = html.replace("<h1>Harbor Council Approves Tide Barrier Plan</h1>", "")
    path = tmp_path / "page.html"
    path.write_text(html, "utf-8")
    [article] = load_articles([str(path)])
    assert article.title == "Harbor Council Approves Tide Barrier Plan"


def test_html_declared_charset(tmp_path: Path) -> None:
    html = (
        '<html><head><meta charset="windows-1252"><title>T</title></head><body><article>'
        "<h1>Caf\xe9 News</h1><p>The caf\xe9 \x93scene\x94 is growing fast this year, "
        "owners said on Monday.</p></article></body></html>"
    ).encode("latin-1")
    path = tmp_path / "cafe.htm"
    path.write_bytes(html)
    [article] = load_articles([str(path)])
    assert article.title == "Café News"
    assert "“scene”" in article.paragraphs[0].text


def test_url_html(server: str) -> None:
    url = f"{server}/article.html"
    [article] = load_articles([url])
    assert article.source == url
    assert article.title == "Harbor Council Approves Tide Barrier Plan"
    check_harbor(article.paragraphs)


def test_url_type_from_content_type(server: str) -> None:
    [page] = load_articles([f"{server}/no-extension"])
    assert page.title == "Harbor Council Approves Tide Barrier Plan"
    [plain] = load_articles([f"{server}/plain"])
    assert (plain.title, plain.paragraphs) == ("Plain Over HTTP", (Paragraph("It works."),))


def test_url_404(server: str) -> None:
    url = f"{server}/missing.html"
    assert str(fetch_error(url)) == f"{url}: HTTP 404 File not found"


def test_url_timeout(server: str) -> None:
    url = f"{server}/slow"
    assert str(fetch_error(url, IngestOptions(timeout=0.3))) == f"{url}: timed out after 0.3 s"


def test_url_whole_transfer_deadline(server: str) -> None:
    url = f"{server}/trickle"
    assert str(fetch_error(url, IngestOptions(timeout=0.5))) == f"{url}: timed out after 0.5 s"


@pytest.mark.parametrize(
    ("path", "what"), [("/big", "2 MB is"), ("/big-unannounced", "the content is")]
)
def test_url_oversized(server: str, path: str, what: str) -> None:
    url = f"{server}{path}"
    error = fetch_error(url, IngestOptions(max_bytes=1024 * 1024))
    assert str(error) == f"{url}: {what} over the 1 MB limit (raise it with --max-size)"


def test_url_not_an_article(server: str) -> None:
    url = f"{server}/nav-only.html"
    with pytest.raises(InputError) as info:
        load_articles([url])
    assert str(info.value) == f"{url}: not an article (no article text found on the page)"


def test_url_binary(server: str) -> None:
    url = f"{server}/photo"
    with pytest.raises(InputError) as info:
        load_articles([url])
    assert str(info.value) == f"{url}: not a text article (a PNG image)"


def test_url_empty_page(server: str) -> None:
    url = f"{server}/empty"
    with pytest.raises(InputError) as info:
        load_articles([url])
    assert str(info.value) == f"{url}: the page is empty"


def test_dns_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> object:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", fail)
    url = "https://news.example.invalid/story"
    error = fetch_error(url)
    assert str(error) == f"{url}: cannot resolve host news.example.invalid (DNS lookup failed)"
    assert error.hint


def test_connection_refused() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/x"
    assert str(fetch_error(url)) == f"{url}: connection refused by 127.0.0.1"


def test_feed_url_newest_first_content_or_linked_page(server: str) -> None:
    articles = load_articles([f"{server}/feed.rss"])
    assert [a.title for a in articles] == [
        "Harbor Council Approves Tide Barrier Plan",
        "Ferry Service Resumes After Winter Pause",
        "Library Extends Weekend Hours",
    ]
    harbor, ferry, library = articles
    # No full content in the item: the linked page was fetched and extracted.
    assert harbor.source == f"{server}/article.html"
    check_harbor(harbor.paragraphs)
    # content:encoded used as is; the figure caption is dropped, the blockquote kept.
    assert ferry.byline == "Sam Ito"
    assert ferry.paragraphs == (
        Paragraph(
            "The island ferry made its first crossing of the year on Monday, "
            "carrying 212 passengers."
        ),
        Paragraph("We missed the water more than anyone.", blockquote=True),
        Paragraph("Service runs hourly until October."),
    )
    assert library.paragraphs == (
        Paragraph("The central library will open on Sundays starting in April."),
    )


def test_feed_max_items(server: str) -> None:
    articles = load_articles([f"{server}/feed.rss"], IngestOptions(max_items=1))
    assert [a.title for a in articles] == ["Harbor Council Approves Tide Barrier Plan"]


def test_atom_feed_file() -> None:
    articles = load_articles([str(FIXTURES / "feed.atom")])
    assert [a.title for a in articles] == ["Newer Story About Schools", "Older Story About Bridges"]
    assert articles[0].paragraphs == (
        Paragraph("Three schools will share one new gym."),
        Paragraph("It is about time.", blockquote=True),
    )
    assert articles[1].byline == "Ana Ruiz"
    assert articles[1].source == f"{FIXTURES / 'feed.atom'} (item 1)"


def test_feed_item_link_failure_names_the_link(
    server: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    feed = (
        (FIXTURES / "feed.rss")
        .read_text("utf-8")
        .replace("{BASE}/article.html", f"{server}/gone.html")
    )
    path = tmp_path / "feed.xml"
    path.write_text(feed.replace("{BASE}", server), "utf-8")
    with caplog.at_level(logging.WARNING, logger="briefing"):
        articles = load_articles([str(path)], IngestOptions(timeout=5))
    # The dead link's item is read from the feed's summary of it, with a warning naming it.
    harbor = next(a for a in articles if a.title.startswith("Harbor Council"))
    assert [p.text for p in harbor.paragraphs] == ["A short summary that is not the article."]
    assert [r.getMessage() for r in caplog.records] == [
        f"{server}/gone.html: HTTP 404 File not found; reading the feed's summary of it instead"
    ]


def test_xml_that_is_not_a_feed(tmp_path: Path) -> None:
    path = tmp_path / "data.rss"
    path.write_text("<?xml version='1.0'?><rss><channel><title>x</title></channel></rss>")
    with pytest.raises(InputError) as info:
        load_articles([str(path)])
    assert str(info.value) == f"{path}: the feed has no items"


def test_html_credits_captions_and_ads_inside_the_article() -> None:
    [article] = load_articles([str(FIXTURES / "article2.html")])
    # og:title carries a " | Site" suffix; the <h1> is the headline.
    assert article.title == "Three Valley Schools Will Share One New Gym"
    assert article.byline == "Ana Ruiz"
    texts = [p.text for p in article.paragraphs]
    assert texts[0].startswith("RIVERTON — Three schools")
    assert "What the plan costs" in texts
    assert "Each school gets the gym on two weekday afternoons." in texts
    assert texts[-1].startswith("Construction is expected")
    assert len(texts) == 8
    assert [(r.reason, r.text[:20]) for r in article.removed] == [
        ("caption", "Principal Dana Whitf"),
        ("photo credit", "Jim West/The Valley "),
        ("boilerplate", "Advertisement"),
        ("boilerplate", "Click here to subscr"),
    ]
