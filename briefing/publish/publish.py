"""Publish a script as an episode: render it into the feed directory and add it to the feed.

The episode's guid is a hash of what shapes it (its script, voices, date and output settings),
so publishing the same inputs again finds it already there and changes nothing. Its files are
rendered into a hidden directory inside the feed directory and moved into place under names
derived from their bytes; only then is the feed rewritten (atomically), so an interrupted or
failed publish leaves the feed, and every file it names, as they were.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email.utils
import hashlib
import json
import shutil
import tempfile
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.errors import ConfigError
from briefing.model import Cover, Tags
from briefing.output.options import Progress, RenderOptions
from briefing.publish.channel import Channel
from briefing.publish.feed import (
    FEED,
    Episode,
    content_name,
    file_sha256,
    read_episodes,
    write_feed,
)

if TYPE_CHECKING:
    from briefing.cast.assign import Script

PARTIAL_PREFIX = ".partial-"
STALE_SECONDS = 86400.0
"""A partial render this old is from a killed run (a younger one may be a publish running now)."""


@dataclass(frozen=True)
class PublishOptions:
    """Where and how an episode is published."""

    feed_dir: Path
    base_url: str
    channel: Channel
    cover: Cover
    render: RenderOptions
    """The render's settings (profile, pauses, tags...); its output paths are set here."""
    keep: int | None = None
    """Episodes kept in the feed (the oldest beyond it are deleted, files too); None: all."""
    title: str | None = None
    """The episode's title; None: its first story's, with how many more follow."""


def prepare(
    feed_dir: Path,
    base_url: str,
    channel_file: Path,
    cover_file: Path | None,
    *,
    profile: str,
    date: dt.date,
    keep: int | None = None,
    title: str | None = None,
    jobs: int | None = None,
    cache_dir: Path | None = None,
    use_cache: bool = True,
) -> PublishOptions:
    """Check the channel, cover, URL, profile and feed directory, before any synthesis."""
    from urllib.parse import urlparse

    from briefing.audio.cover import load_cover
    from briefing.output.profiles import apply_profile, get_profile
    from briefing.output.timeline import Structure
    from briefing.publish.channel import load_channel

    channel = load_channel(channel_file)
    parsed = urlparse(base_url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ConfigError(f"--base-url {base_url!r}: expected an http(s) URL")
    image = cover_file or channel.image
    if image is None:
        raise ConfigError(
            f"{channel_file}: no cover art", hint="pass --cover IMAGE or set image in the channel"
        )
    if feed_dir.exists():
        read_episodes(feed_dir)  # an unreadable episode list fails now, not after the render
    tags = Tags(title="", artist=channel.author, album=channel.title, date=date.isoformat())
    render = RenderOptions(
        output=feed_dir / "episode.mp3",  # replaced by a path in the render's own directory
        jobs=jobs,
        cache_dir=cache_dir,
        use_cache=use_cache,
        structure=Structure(title=channel.title, date=date),
        tags=tags,
    )
    return PublishOptions(
        feed_dir=feed_dir,
        base_url=base_url if base_url.endswith("/") else base_url + "/",
        channel=channel,
        cover=load_cover(image),
        render=apply_profile(render, get_profile(profile)),
        keep=keep,
        title=title,
    )


def default_title(script: Script) -> str:
    """The first story's title, and how many more the episode has."""
    first = script.stories[0].article.title
    more = len(script.stories) - 1
    return first if not more else f"{first}, and {more} more {'story' if more == 1 else 'stories'}"


@dataclass(frozen=True)
class PublishResult:
    """What a publish did, for the CLI's summary."""

    episode: Episode
    added: bool
    """False: the same episode was already in the feed; nothing was rendered or changed."""
    feed: Path
    episodes: int
    removed: tuple[str, ...]


def episode_guid(script: Script, options: RenderOptions) -> str:
    """A stable id for what shapes the episode: its script, voices, structure and settings."""
    from briefing.output.scriptout import script_json

    settings = [options.rate, options.loudness, options.sample_rate, options.bitrate_kbps,
                options.channels, options.true_peak_dbtp, repr(options.structure),
                sorted(options.pause_overrides.items()), options.tags.title]  # fmt: skip
    cover = hashlib.sha256(options.tags.cover.data).hexdigest() if options.tags.cover else ""
    blob = json.dumps([script_json(script), settings, cover], default=str)
    return "briefing-" + hashlib.sha256(blob.encode()).hexdigest()[:32]


def publish(
    script: Script, options: PublishOptions, engine: str, progress: Progress | None = None
) -> PublishResult:
    """Render `script` as a new episode unless it is there already; rewrite the feed."""
    from briefing.output.render import render

    directory = options.feed_dir
    episodes = read_episodes(directory) if directory.exists() else []
    tags = replace(options.render.tags, title=options.title or default_title(script),
                   cover=options.cover)  # fmt: skip
    options = replace(options, render=replace(options.render, tags=tags))
    guid = episode_guid(script, options.render)
    for episode in episodes:
        if episode.guid == guid:
            return PublishResult(episode, False, directory / FEED, len(episodes), ())
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ConfigError(f"{directory}: cannot create feed directory: {e.strerror or e}") from e
    with tempfile.TemporaryDirectory(dir=directory, prefix=PARTIAL_PREFIX) as tmp:
        work = Path(tmp)
        suffixes = (".mp3", ".vtt", ".json", ".chapters.json")
        audio, vtt, words, chapters = (work / f"episode{suffix}" for suffix in suffixes)
        settings = replace(options.render, output=audio, transcripts=(vtt, words),
                           chapters=chapters)  # fmt: skip
        result = render(script, settings, engine, progress)
        digest = file_sha256(audio)
        paths = (audio, vtt, words, chapters)
        names = {path: content_name(digest, s) for path, s in zip(paths, suffixes, strict=True)}
        for path, name in names.items():
            path.replace(directory / name)
    image = _place_cover(directory, options.cover)
    episode = Episode(
        guid=guid,
        title=options.render.tags.title,
        stories=tuple(story.article.title for story in script.stories),
        published=email.utils.format_datetime(datetime.now(UTC).replace(microsecond=0)),
        audio=names[audio],
        audio_bytes=(directory / names[audio]).stat().st_size,
        audio_type="audio/mpeg",
        duration=round(result.duration),
        vtt=names[vtt],
        transcript_json=names[words],
        chapters=names[chapters],
        image=image,
        marks=_marks(directory / names[chapters]),
    )
    everything = [*episodes, episode]
    kept = everything[-options.keep :] if options.keep else everything
    write_feed(directory, options.channel, kept, options.base_url, image)
    removed = _remove_unlisted(directory, everything, kept)
    return PublishResult(episode, True, directory / FEED, len(kept), removed)


def _marks(chapters_file: Path) -> tuple[tuple[float, str], ...]:
    """Chapter starts and titles from the Podcasting 2.0 chapters file the render wrote."""
    document = json.loads(chapters_file.read_text(encoding="utf-8"))
    return tuple((float(c["startTime"]), str(c["title"])) for c in document["chapters"])


def _place_cover(directory: Path, cover: Cover) -> str:
    """Copy the cover into the feed directory under a name from its bytes; return the name."""
    from briefing.atomic import write_bytes_atomic

    suffix = ".png" if cover.mime == "image/png" else ".jpg"
    name = f"cover-{hashlib.sha256(cover.data).hexdigest()[:16]}{suffix}"
    if not (directory / name).exists():
        write_bytes_atomic(directory / name, cover.data)
    return name


def _remove_unlisted(
    directory: Path, everything: list[Episode], kept: list[Episode]
) -> tuple[str, ...]:
    """Delete the files of episodes the feed no longer lists (after it was written)."""
    listed = {name for episode in kept for name in (*episode.files, episode.image)}
    gone = sorted({name for e in everything for name in (*e.files, e.image)} - listed)
    for name in gone:
        with contextlib.suppress(FileNotFoundError):
            (directory / name).unlink()
    for stale in directory.glob(PARTIAL_PREFIX + "*"):  # left by a killed run, a day ago
        with contextlib.suppress(OSError):
            if time.time() - stale.stat().st_mtime > STALE_SECONDS:
                shutil.rmtree(stale, ignore_errors=True)
    return tuple(gone)
