"""Local sources to bytes: files, directories and stdin, each with a size limit."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from briefing.errors import InputError

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".xml", ".rss", ".atom")
# Every suffix a directory listing picks up (the message names the main ones above).
_DIR_SUFFIXES = frozenset({*ARTICLE_SUFFIXES, ".text", ".markdown", ".htm", ".xhtml"})
MAX_SIZE_HINT = "raise it with --max-size"
_SITE = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|gov|edu|io|uk|ca|news)(?:/|$)")


@dataclass(frozen=True)
class RawDocument:
    """An article's bytes before decoding, with where they came from and any declared type."""

    source: str
    data: bytes
    content_type: str | None = None
    url: str | None = None


def is_url(source: str) -> bool:
    """Whether a source names an http(s) URL rather than a path (fetch.py reads those)."""
    return source.lower().startswith(("http://", "https://"))


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0")


def too_big(
    where: str, size: int | None, limit: int, error: type[InputError] = InputError
) -> InputError:
    """The error for content over the size limit, saying how big (if known) and how to raise it."""
    what = f"{_mb(size)} MB is" if size is not None else "the content is"
    return error(
        f"{where}: {what} over the {_mb(limit)} MB limit ({MAX_SIZE_HINT})",
        hint="--max-size takes megabytes, e.g. --max-size 50",
    )


def read_file(path: Path, source: str, max_bytes: int) -> RawDocument:
    """Read one file, refusing missing, unreadable and oversized ones with a one-line error."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise too_big(source, size, max_bytes)
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        looks_like_site = _SITE.match(source) is not None
        hint = (
            f"to read a web page, give the full URL: https://{source}" if looks_like_site else None
        )
        raise InputError(
            f"{source}: no such file", hint=hint if looks_like_site else None
        ) from None
    except IsADirectoryError:
        raise InputError(f"{source}: is a directory") from None
    except PermissionError:
        raise InputError(f"{source}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{source}: cannot be read ({exc.strerror or exc})") from None
    if len(data) > max_bytes:  # grew while we read it, or a special file
        raise too_big(source, len(data), max_bytes)
    return RawDocument(source=source, data=data)


def read_stdin(max_bytes: int) -> RawDocument:
    """Read standard input as bytes, up to the size limit."""
    data = sys.stdin.buffer.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_big("-", None, max_bytes)  # the rest of stdin is never read
    return RawDocument(source="-", data=data)


def directory_files(path: Path, source: str) -> Iterator[tuple[Path, str]]:
    """Article files directly inside a directory, in name order (hidden files skipped)."""
    try:
        entries = sorted(path.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        raise InputError(f"{source}: cannot list directory ({exc.strerror or exc})") from None
    found = [
        p
        for p in entries
        if not p.name.startswith(".") and p.suffix.lower() in _DIR_SUFFIXES and p.is_file()
    ]
    if not found:
        suffixes = ", ".join(ARTICLE_SUFFIXES)
        raise InputError(f"{source}: no article files ({suffixes}) in this directory")
    sep = "" if source.endswith("/") else "/"
    for p in found:
        yield p, f"{source}{sep}{p.name}"
