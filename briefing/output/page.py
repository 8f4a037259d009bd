"""The read-along web page: one self-contained HTML file (inline style and script, audio beside it).

Written from the Jinja2 template and the script and stylesheet shipped in `templates/`. A
Content-Security-Policy with the hashes of the inline style and script forbids everything else,
so the page reaches no network when it is viewed.
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path
from urllib.parse import quote

from briefing.atomic import check_writable_target, write_text_atomic
from briefing.errors import ConfigError
from briefing.output.readalong import ReadAlong

VOICE_STYLES = 6
"""Distinct quote styles in the stylesheet (`voice-1` .. `voice-6`); more voices reuse them."""
SPEEDS = (0.75, 1, 1.25, 1.5, 1.75, 2)


def check_page_path(path: Path) -> None:
    """ConfigError unless `path` is a writable .html file name."""
    if path.suffix.lower() not in (".html", ".htm"):
        raise ConfigError(f"{path}: the read-along page must be an .html file")
    check_writable_target(path)


def audio_href(page: Path, audio: Path) -> str:
    """The audio's URL relative to the page (both are files on disk)."""
    relative = os.path.relpath(audio.resolve(), page.resolve().parent)
    return quote(Path(relative).as_posix())


def render_page(readalong: ReadAlong, audio: str, language: str = "en") -> str:
    """The page's HTML for `readalong`, playing the audio at URL `audio`."""
    from importlib.resources import files

    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
    from markupsafe import Markup

    templates = files("briefing.output") / "templates"
    style = (templates / "readalong.css").read_text(encoding="utf-8")
    script = (templates / "readalong.js").read_text(encoding="utf-8")
    environment = Environment(
        loader=PackageLoader("briefing.output", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    template = environment.get_template("page.html.j2")
    return template.render(
        title=readalong.title,
        language=language,
        stories=readalong.stories,
        intro=readalong.intro,
        outro=readalong.outro,
        duration=readalong.duration,
        voices=readalong.voices,
        audio=audio,
        speeds=SPEEDS,
        # Inline style and script as they are (Markup: not escaped), each allowed by its hash.
        style=Markup(style),
        script=Markup(script),
        style_hash=_csp_hash(style),
        script_hash=_csp_hash(script),
        clock=clock,
        voice_class=lambda voice: (voice - 1) % VOICE_STYLES + 1 if voice else 0,
    )


def write_page(readalong: ReadAlong, path: Path, audio: Path) -> None:
    """Write the page to `path` atomically, its audio player pointing at `audio`."""
    write_text_atomic(path, render_page(readalong, audio_href(path, audio)))


def clock(seconds: float) -> str:
    """m:ss, or h:mm:ss from an hour on."""
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")
