"""A directory listing served at a URL is not read aloud as an article (issue 16)."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app

runner = CliRunner()


def _apache(path: str) -> str:
    rows = "".join(
        f'<tr><td><img src="/icons/text.gif" alt="[TXT]"></td><td><a href="report-{n:02d}.txt">'
        f'report-{n:02d}.txt</a></td><td align="right">2024-03-{n % 28 + 1:02d} 08:{n:02d}</td>'
        f'<td align="right">{n * 3 + 1}K</td><td>&nbsp;</td></tr>\n'
        for n in range(30)
    )
    return (
        f"<html><head><title>Index of {path}</title></head><body><h1>Index of {path}</h1>"
        '<table><tr><th><a href="?C=N;O=D">Name</a></th><th><a href="?C=M;O=A">Last modified'
        f"</a></th><th>Size</th><th>Description</th></tr>{rows}</table>"
        "<address>Apache Server at 127.0.0.1 Port 80</address></body></html>"
    )


def _nginx(path: str) -> str:
    rows = "".join(
        f'<a href="harbour-story-{n:02d}.html">harbour-story-{n:02d}.html</a>'
        f"         01-Mar-2024 08:{n:02d}       {n * 311 + 20}\n"
        for n in range(30)
    )
    return (
        f"<html><head><title>Index of {path}</title></head><body><h1>Index of {path}</h1>"
        f'<hr><pre><a href="../">../</a>\n{rows}</pre><hr></body></html>'
    )


class _Listings(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        page = (_apache if self.path.startswith("/reports") else _nginx)(self.path).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep the test's stderr to what briefing prints


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Listings)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.parametrize("path", ["/reports/", "/news/"])
def test_a_served_directory_listing_is_refused(server: str, path: str) -> None:
    result = runner.invoke(app, ["script", server + path, "--engine", "fake", "--no-cache"])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "directory listing" in lines[0]


def test_a_page_of_links_is_refused(tmp_path: Path) -> None:
    links = "".join(
        f'<p><a href="/story/{n}">Council approves harbour plan number {n} on Monday</a></p>'
        for n in range(12)
    )
    page = tmp_path / "links.html"
    page.write_text(f"<html><head><title>Latest</title></head><body>{links}</body></html>")
    result = runner.invoke(app, ["script", str(page), "--engine", "fake", "--no-cache"])
    assert result.exit_code == 2, result.output
    assert "list of links" in result.stderr
