"""Shared by the read-along tests: the rendered briefing, a local web server, external tools.

The tools (Chromium, epubcheck, axe-core) are installed by `.ci/run`; where one is missing the
tests skip with the reason, except in CI (CI=true), where they fail: CI must never skip them.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((REPO / "examples").glob("*.txt"))
CHROMIUM = os.environ.get("BRIEFING_CHROMIUM", "/usr/bin/chromium")
EPUBCHECK_JAR = os.environ.get("BRIEFING_EPUBCHECK_JAR", "/usr/share/java/epubcheck.jar")
AXE_JS = os.environ.get(
    "BRIEFING_AXE_JS", str(REPO / ".ci" / "npm" / "node_modules" / "axe-core" / "axe.min.js")
)
ENGINE = os.environ.get("BRIEFING_READALONG_ENGINE", "fake")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]


def need(available: bool, reason: str) -> None:
    """Skip without the tool (fail instead in CI, where `.ci/run` installs it)."""
    if available:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI installs it: see .ci/run)")
    pytest.skip(reason)


@dataclass(frozen=True)
class Rendered:
    """The outputs of one `briefing render ... --page --epub --transcript` (fake engine)."""

    folder: Path
    audio: Path
    page: Path
    epub: Path
    vtt: Path


def render_examples(folder: Path) -> Rendered:
    """The issue's command on the project's own examples, with the fake engine (quick) or the
    one BRIEFING_READALONG_ENGINE names (pyttsx3: the real voices)."""
    out = Rendered(folder, folder / "b.mp3", folder / "b.html", folder / "b.epub", folder / "b.vtt")
    args = ["render", *map(str, EXAMPLES), "-o", str(out.audio), "--page", str(out.page),
            "--epub", str(out.epub), "--transcript", str(out.vtt), "--engine", ENGINE,
            "--cache-dir", str(folder / "cache"), "--date", "2026-03-02", "-q"]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return out


@dataclass(frozen=True)
class VttCue:
    start: float
    end: float
    speaker: str
    text: str


def read_vtt(path: Path) -> list[VttCue]:
    """The cues of a WebVTT file, read by webvtt-py (a real parser), voice names split off."""
    import webvtt

    cues = []
    for caption in webvtt.read(str(path)).captions:
        match = re.fullmatch(r"<v ([^>]*)>(.*)", caption.raw_text, flags=re.S)
        assert match, caption.raw_text
        text = match.group(2).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        cues.append(VttCue(_seconds(caption.start), _seconds(caption.end),
                           match.group(1), text))  # fmt: skip
    return cues


def _seconds(clock: str) -> float:
    """HH:MM:SS.mmm as seconds (webvtt-py's own `start_in_seconds` drops the milliseconds)."""
    hours, minutes, seconds = clock.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


class _RangeHandler(SimpleHTTPRequestHandler):
    """Static files with byte ranges: a browser can only seek in audio served in ranges."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        found = re.fullmatch(r"bytes=(\d*)-(\d*)", self.headers.get("Range", ""))
        if not path.is_file() or found is None:
            super().do_GET()
            return
        data = path.read_bytes()
        first = int(found.group(1) or 0)
        last = min(int(found.group(2) or len(data) - 1), len(data) - 1)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Range", f"bytes {first}-{last}/{len(data)}")
        self.send_header("Content-Length", str(last - first + 1))
        self.end_headers()
        self.wfile.write(data[first : last + 1])


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 (a free port); yield its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_RangeHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def chromium_available() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return Path(CHROMIUM).is_file()


def epubcheck_available() -> bool:
    return Path(EPUBCHECK_JAR).is_file() and shutil.which("java") is not None
