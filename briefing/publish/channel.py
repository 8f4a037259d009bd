"""A podcast's channel metadata from a TOML file, checked before any synthesis.

title = "Morning Briefing"             # required
author = "Newsroom"                    # required (itunes:author)
owner = "Newsroom"                     # required (itunes:owner name)
email = "podcast@example.org"          # required (itunes:owner email)
language = "en"                        # required (ISO 639 code)
category = "News"                      # required: an Apple Podcasts category
subcategory = "Daily News"             # optional
explicit = false                       # required
link = "https://example.org/briefing"  # required: the show's web page
image = "cover.png"                    # optional: the cover (relative to this file)
description = "..."                    # optional (default: from the title)
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from briefing.errors import ConfigError

APPLE_CATEGORIES = (
    "Arts", "Business", "Comedy", "Education", "Fiction", "Government", "History",
    "Health & Fitness", "Kids & Family", "Leisure", "Music", "News", "Religion & Spirituality",
    "Science", "Society & Culture", "Sports", "Technology", "True Crime", "TV & Film",
)  # fmt: skip
"""Apple Podcasts' top-level categories (its category list, which Spotify also accepts)."""
REQUIRED = ("title", "author", "owner", "email", "language", "category", "explicit", "link")


@dataclass(frozen=True)
class Channel:
    """What the feed says about the show itself."""

    title: str
    author: str
    owner: str
    email: str
    language: str
    category: str
    explicit: bool
    link: str
    description: str
    subcategory: str | None = None
    image: Path | None = None
    """The cover image file named by the channel file, if any (`--cover` overrides it)."""


def load_channel(path: Path) -> Channel:
    """The channel described by the TOML file at `path`; ConfigError names a bad field."""
    try:
        table = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise ConfigError(f"{path}: cannot read channel file: {e.strerror or e}") from e
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: not valid TOML: {e}") from e
    missing = [key for key in REQUIRED if key not in table]
    if missing:
        raise ConfigError(f"{path}: missing {', '.join(missing)}", hint=f"required: {REQUIRED}")
    known = {*REQUIRED, "subcategory", "image", "description"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(f"{path}: unknown field {unknown[0]!r}", hint=f"known: {sorted(known)}")
    text = {key: _text(table, key, path) for key in REQUIRED if key != "explicit"}
    if not isinstance(table["explicit"], bool):
        raise ConfigError(f"{path}: explicit: expected true or false")
    if text["category"] not in APPLE_CATEGORIES:
        raise ConfigError(
            f"{path}: category: {text['category']!r} is not an Apple Podcasts category",
            hint="one of " + ", ".join(APPLE_CATEGORIES),
        )
    if "@" not in text["email"]:
        raise ConfigError(f"{path}: email: {text['email']!r} is not an e-mail address")
    if urlparse(text["link"]).scheme not in ("http", "https"):
        raise ConfigError(f"{path}: link: {text['link']!r} is not an http(s) URL")
    image = _text(table, "image", path) if "image" in table else None
    return Channel(
        **text,
        explicit=table["explicit"],
        description=_text(table, "description", path)
        if "description" in table
        else f"{text['title']}: news articles read aloud, one voice per speaker.",
        subcategory=_text(table, "subcategory", path) if "subcategory" in table else None,
        image=(Path(path).parent / image) if image else None,
    )


def _text(table: dict[str, Any], key: str, path: Path) -> str:
    value = table[key]
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{path}: {key}: expected a non-empty string")
    return value.strip()
