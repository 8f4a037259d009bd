"""How sources are read: the options every ingest module shares."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IngestOptions:
    """How sources are read: forced format, cleanup, feed item count, size and time limits."""

    from_format: str | None = None
    """Force "text", "markdown", "html" or "feed" instead of detecting the format."""
    keep_all: bool = False
    """Turn cleanup off: keep credits, captions, labels and boilerplate."""
    max_items: int | None = None
    """Read at most this many feed items, newest first."""
    max_bytes: int = 20 * 1024 * 1024
    """Largest file or download accepted (raised with --max-size)."""
    timeout: float = 20.0
    """Seconds a URL download may take."""
