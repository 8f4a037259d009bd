"""The feed: RSS 2.0 with the itunes, podcast (Podcasting 2.0) and content namespaces.

feedgen (with its podcast extension) writes RSS and the itunes tags; the Podcasting 2.0 tags it
lacks (podcast:transcript, podcast:chapters, podcast:guid, Podlove Simple Chapters inline for
clients that read chapters only from the feed) and Apple's current true/false
itunes:explicit come from a small feedgen extension below. Episodes are kept in
`episodes.json` beside the feed, so the feed is rebuilt whole from it on every publish.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from briefing.atomic import write_bytes_atomic
from briefing.errors import ConfigError
from briefing.publish.channel import Channel

PODCAST_NS = "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md"
"""The Podcasting 2.0 namespace in its first, GitHub form, which the spec still accepts: gPodder's
podcastparser knows only this one, AntennaPod and the Podcast Index read both."""
ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PSC_NS = "http://podlove.org/simple-chapters"
MANIFEST = "episodes.json"
FEED = "feed.xml"


@dataclass(frozen=True)
class Episode:
    """One published episode: its files in the feed directory and what the feed says of it."""

    guid: str
    title: str
    stories: tuple[str, ...]
    published: str
    """RFC 2822, as the feed's pubDate."""
    audio: str
    """File names in the feed directory (content-addressed: `episode-<sha256 prefix>.*`)."""
    audio_bytes: int
    audio_type: str
    duration: int
    """Whole seconds."""
    vtt: str
    transcript_json: str
    chapters: str
    image: str
    marks: tuple[tuple[float, str], ...] = ()
    """Chapter starts (seconds) and titles, for Podlove Simple Chapters in the feed itself."""

    @property
    def files(self) -> tuple[str, ...]:
        """Every file of the episode (the image may be shared with others)."""
        return (self.audio, self.vtt, self.transcript_json, self.chapters)


def read_episodes(directory: Path) -> list[Episode]:
    """The episodes already published in `directory`, oldest first; [] for a new feed."""
    path = directory / MANIFEST
    if not path.exists():
        return []
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
        episodes = [
            Episode(**{**row, "stories": tuple(row["stories"]),
                       "marks": tuple((float(t), str(n)) for t, n in row.get("marks", ()))})
            for row in rows
        ]  # fmt: skip
    except (OSError, ValueError, TypeError, KeyError) as e:
        raise ConfigError(f"{path}: unreadable episode list ({e})",
                          hint="restore it, or publish into a new --feed-dir") from e  # fmt: skip
    return sorted(episodes, key=_when)


def write_feed(directory: Path, channel: Channel, episodes: list[Episode], base_url: str,
               channel_image: str) -> None:  # fmt: skip
    """Write the episode list, then the feed, each atomically (a reader never sees half)."""
    rows = [asdict(e) for e in sorted(episodes, key=_when)]
    manifest = json.dumps(rows, ensure_ascii=False, indent=2).encode()
    write_bytes_atomic(directory / MANIFEST, manifest)
    write_bytes_atomic(directory / FEED, feed_xml(channel, episodes, base_url, channel_image))


def feed_xml(channel: Channel, episodes: list[Episode], base_url: str, image: str) -> bytes:
    """The RSS document for `episodes` (newest first), every URL under `base_url`."""

    def url(name: str) -> str:
        return urljoin(base_url, quote(name))

    fg = FeedGenerator()
    fg.load_extension("podcast")
    fg.register_extension("podcastindex", _PodcastFeed, _PodcastEntry)
    fg.title(channel.title)
    fg.link(href=channel.link, rel="alternate")
    fg.description(channel.description)
    fg.language(channel.language)
    fg.author({"name": channel.author, "email": channel.email})
    fg.image(url=url(image), title=channel.title, link=channel.link)
    fg.generator("briefing")
    fg.podcast.itunes_author(channel.author)
    fg.podcast.itunes_owner(name=channel.owner, email=channel.email)
    category = {"cat": channel.category}
    if channel.subcategory:
        category["sub"] = channel.subcategory
    fg.podcast.itunes_category(category)
    fg.podcast.itunes_image(url(image))
    fg.podcast.itunes_type("episodic")
    fg.podcastindex.setup(explicit=channel.explicit, guid=_feed_guid(base_url))
    for episode in sorted(episodes, key=_when):  # feedgen puts the last added first
        fe = fg.add_entry()
        fe.guid(episode.guid, permalink=False)
        fe.title(episode.title)
        fe.description(_description(episode))
        fe.content(_html(episode), type="CDATA")
        fe.link(href=channel.link)
        fe.enclosure(url(episode.audio), str(episode.audio_bytes), episode.audio_type)
        fe.pubDate(episode.published)
        fe.podcast.itunes_duration(str(episode.duration))
        fe.podcast.itunes_image(url(episode.image))
        fe.podcastindex.setup(explicit=channel.explicit, language=channel.language, transcripts=(
            # VTT last: a client that keeps one transcript (podcastparser) keeps the captions.
            (url(episode.transcript_json), "application/json"), (url(episode.vtt), "text/vtt"),
        ), chapters=url(episode.chapters), marks=episode.marks)  # fmt: skip
    return bytes(fg.rss_str(pretty=True))


def _feed_guid(base_url: str) -> str:
    """podcast:guid: a UUIDv5 of the feed's URL, as the Podcasting 2.0 namespace defines it."""
    namespace = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
    bare = base_url.split("://", 1)[-1].rstrip("/")
    return str(uuid.uuid5(namespace, f"{bare}/{FEED}"))


def _description(episode: Episode) -> str:
    return "In this episode: " + "; ".join(episode.stories) + "."


def _html(episode: Episode) -> str:
    from html import escape

    items = "".join(f"<li>{escape(title)}</li>" for title in episode.stories)
    return f"<p>In this episode:</p><ul>{items}</ul>"


def _when(episode: Episode) -> datetime:
    # Sorting is stable: episodes published within the same second keep the list's order.
    return email.utils.parsedate_to_datetime(episode.published)


def content_name(data_hash: str, suffix: str) -> str:
    """A file name that changes whenever the bytes do (platforms never re-fetch a URL)."""
    return f"episode-{data_hash[:16]}{suffix}"


def file_sha256(path: Path) -> str:
    """The file's sha256, hex."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class _PodcastFeed(BaseExtension):  # type: ignore[misc]
    """Channel tags feedgen lacks: podcast:guid, and itunes:explicit as true/false."""

    def __init__(self) -> None:
        self.explicit = False
        self.guid = ""

    def setup(self, *, explicit: bool, guid: str) -> None:
        self.explicit, self.guid = explicit, guid

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": PODCAST_NS, "psc": PSC_NS}

    def extend_rss(self, rss: Any) -> Any:
        channel = rss.find("channel")
        etree.SubElement(channel, f"{{{ITUNES_NS}}}explicit").text = _bool(self.explicit)
        etree.SubElement(channel, f"{{{PODCAST_NS}}}guid").text = self.guid
        return rss


class _PodcastEntry(BaseEntryExtension):  # type: ignore[misc]
    """Item tags feedgen lacks: podcast:transcript, podcast:chapters, itunes:explicit."""

    def __init__(self) -> None:
        self.explicit = False
        self.language = ""
        self.transcripts: tuple[tuple[str, str], ...] = ()
        self.chapters = ""
        self.marks: tuple[tuple[float, str], ...] = ()

    def setup(self, *, explicit: bool, language: str, transcripts: tuple[tuple[str, str], ...],
              chapters: str, marks: tuple[tuple[float, str], ...]) -> None:  # fmt: skip
        self.explicit, self.language = explicit, language
        self.transcripts, self.chapters, self.marks = transcripts, chapters, marks

    def extend_rss(self, item: Any) -> Any:
        etree.SubElement(item, f"{{{ITUNES_NS}}}explicit").text = _bool(self.explicit)
        for href, kind in self.transcripts:
            attrs = {"url": href, "type": kind, "language": self.language}
            if kind == "text/vtt":
                attrs["rel"] = "captions"  # cues with <v Speaker> spans: usable as captions
            etree.SubElement(item, f"{{{PODCAST_NS}}}transcript", attrs)
        etree.SubElement(item, f"{{{PODCAST_NS}}}chapters",
                         {"url": self.chapters, "type": "application/json+chapters"})  # fmt: skip
        if self.marks:  # the same chapters inline, for clients that read only the feed (gPodder)
            listing = etree.SubElement(item, f"{{{PSC_NS}}}chapters", {"version": "1.2"})
            for start, title in self.marks:
                etree.SubElement(listing, f"{{{PSC_NS}}}chapter",
                                 {"start": _npt(start), "title": title})  # fmt: skip
        return item


def _npt(seconds: float) -> str:
    """Normal Play Time, HH:MM:SS.mmm, as Podlove Simple Chapters writes a start."""
    ms = round(seconds * 1000)
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def _bool(value: bool) -> str:
    return "true" if value else "false"
