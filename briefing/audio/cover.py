"""Cover art: checked against what podcast platforms accept, read once, embedded by `tags`.

Apple Podcasts Connect asks for a square JPEG or PNG of 1400-3000 px in the RGB colour space;
Spotify and the other directories accept the same. A file that fails gets one line naming the
problem, before any synthesis.
"""

from __future__ import annotations

import io
from pathlib import Path

from briefing.errors import ConfigError
from briefing.model import Cover

MIN_PX = 1400
MAX_PX = 3000
MIMES = {"PNG": "image/png", "JPEG": "image/jpeg"}


def load_cover(path: Path) -> Cover:
    """The checked cover at `path`; ConfigError names what is wrong with it."""
    from PIL import Image, UnidentifiedImageError

    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise ConfigError(f"--cover {path}: cannot read: {e.strerror or e}") from e
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, mode, (width, height) = image.format, image.mode, image.size
            image.verify()  # a truncated or corrupt file fails here, not in a podcast app
    except (UnidentifiedImageError, OSError, SyntaxError) as e:
        raise ConfigError(f"--cover {path}: not a readable image ({e})") from e
    problem = cover_problem(kind, mode, width, height)
    if problem:
        raise ConfigError(
            f"--cover {path}: {problem}",
            hint=f"platforms need a square RGB JPEG or PNG of {MIN_PX}-{MAX_PX} px",
        )
    return Cover(data=data, mime=MIMES[str(kind)], width=width, height=height)


def cover_problem(kind: str | None, mode: str, width: int, height: int) -> str | None:
    """What makes an image unfit as podcast cover art, or None."""
    if kind not in MIMES:
        return f"format {kind or 'unknown'} (expected JPEG or PNG)"
    if width != height:
        return f"{width}x{height} px is not square"
    if not MIN_PX <= width <= MAX_PX:
        return f"{width}x{height} px is outside {MIN_PX}-{MAX_PX} px"
    if mode != "RGB":
        return f"colour mode {mode} (expected RGB, without alpha or palette)"
    return None
