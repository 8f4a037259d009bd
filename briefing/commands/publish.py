"""`briefing publish`: a new episode in a podcast feed."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from briefing.commands.options import (
    Articles,
    CacheDirOpt,
    CastOpt,
    CoverOpt,
    EngineOpt,
    LexiconOpt,
    NoCacheOpt,
    ProfileOpt,
    ingest_script_options,
    parse_date,
)
from briefing.commands.running import guard
from briefing.commands.scripting import script_with_narration_ahead
from briefing.pipeline import (
    load_config,
)
from briefing.progress import show_warnings

if TYPE_CHECKING:
    pass


def publish_command(
    articles: Articles,
    feed_dir: Annotated[Path, typer.Option("--feed-dir", help="The feed's directory (feed.xml).")],
    base_url: Annotated[str, typer.Option("--base-url", help="URL the feed directory is at.")],
    channel: Annotated[Path, typer.Option("--channel", help="Channel metadata (TOML).")],
    cover: CoverOpt = None,
    keep: Annotated[
        int | None, typer.Option("--keep", min=1, help="Keep the last N episodes (delete older).")
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="Episode title.")] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="Episode date, YYYY-MM-DD (default today).")
    ] = None,
    profile: ProfileOpt = "podcast",
    cast: CastOpt = None,
    lexicon: LexiconOpt = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, help="Workers.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
    cache_dir: CacheDirOpt = None,
    no_cache: NoCacheOpt = False,
    engine: EngineOpt = None,
) -> None:
    """Render articles (or an edited script JSON) as a new episode of a podcast feed."""
    from briefing.progress import progress_bar
    from briefing.publish.publish import prepare, publish
    from briefing.speech.engines.worker import discard_spare_workers

    show_warnings(quiet)

    def run() -> str:
        script_options = ingest_script_options(cast, None, False, None, 20.0, lexicon, 4, engine)
        script_options = replace(script_options, cache_dir=cache_dir, use_cache=not no_cache)
        options = prepare(feed_dir, base_url, channel, cover, profile=profile, keep=keep,
                          date=parse_date(date) or dt.date.today(), title=title, jobs=jobs,
                          cache_dir=cache_dir, use_cache=not no_cache)  # fmt: skip
        config = load_config(script_options)
        script = script_with_narration_ahead(articles, script_options, config, options.render)
        with progress_bar(quiet) as progress:
            done = publish(script, options, config.engine, progress)
        gone = f", removed {len(done.removed)} old files" if done.removed else ""
        verb = "added" if done.added else "already in the feed:"
        return f"{verb} {done.episode.title}; {done.feed}: {done.episodes} episodes{gone}"

    try:
        message = guard(run)
    finally:
        discard_spare_workers()  # the narration's workers, if the render did not take them
    if not quiet:
        typer.echo(message, err=True)
