"""`briefing script`, `voices` and `cache`: what a render would do, and what it keeps."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from briefing.commands.options import (
    Articles,
    CacheDirOpt,
    CastOpt,
    EngineOpt,
    FromOpt,
    KeepAllOpt,
    LexiconOpt,
    MaxItemsOpt,
    MaxSizeOpt,
    MinWordsOpt,
    NoCacheOpt,
    ScriptFormat,
    ingest_script_options,
)
from briefing.commands.running import fail, guard
from briefing.pipeline import (
    build_script,
)
from briefing.progress import show_warnings

if TYPE_CHECKING:
    pass


def script_command(
    articles: Articles,
    output_format: Annotated[
        ScriptFormat, typer.Option("--format", "-f", help="text or json.")
    ] = ScriptFormat.TEXT,
    cast: CastOpt = None,
    source_format: FromOpt = None,
    keep_all: KeepAllOpt = False,
    max_items: MaxItemsOpt = None,
    max_size: MaxSizeOpt = 20.0,
    lexicon: LexiconOpt = None,
    min_quote_words: MinWordsOpt = 4,
    engine: EngineOpt = None,
    cache_dir: CacheDirOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Show the segments, speakers and voices a render would use, without making audio."""
    from briefing.output.scriptout import script_json, script_text

    options = ingest_script_options(
        cast, source_format, keep_all, max_items, max_size, lexicon, min_quote_words, engine
    )
    options = replace(options, cache_dir=cache_dir, use_cache=not no_cache)
    show_warnings(quiet=False)
    script = guard(lambda: build_script(articles, options))
    typer.echo(script_json(script) if output_format is ScriptFormat.JSON else script_text(script))


def voices_command(
    cast: CastOpt = None,
    engine: EngineOpt = None,
) -> None:
    """List the engine's voices and the voices the cast uses."""
    from briefing.cast.config import load_cast_config
    from briefing.speech.engines import list_voices

    def run() -> list[str]:
        config = load_cast_config(cast, engine)
        lines = ["Cast:", f"  narrator      {config.narrator.id}"]
        lines.append(f"  unattributed  {config.unattributed.id}")
        lines += [f"  pool          {v.id}  ({v.gender.value})" for v in config.pool]
        lines += [f"  pinned        {v.id}  <- {name}" for name, v in config.pins.items()]
        lines.append("")
        if config.engine == "kokoro":
            lines.append("Engine voices (kokoro): id, name and accent, gender:")
            lines += [
                f"  {v.id:<14} {v.name:<28} {v.gender.value}" for v in list_voices(config.engine)
            ]
        else:
            lines.append(f"Engine voices ({config.engine}); add +m1..m8 or +f1..f5 for variants:")
            lines += [f"  {v.id:<28} {v.name}" for v in list_voices(config.engine)]
        return lines

    typer.echo("\n".join(guard(run)))


def cache_info(cache_dir: Annotated[Path | None, typer.Option("--cache-dir")] = None) -> None:
    """Show where the caches are and how big they are."""
    from briefing.script.cache import ScriptCache
    from briefing.speech.clip_cache import ClipCache

    info = guard(lambda: ClipCache(cache_dir).info())
    scripts, size = guard(lambda: ScriptCache(cache_dir).info())
    typer.echo(
        f"{info.directory}\n{info.entries} clips, {info.bytes / 1e6:.1f} MB\n"
        f"{scripts} article scripts, {size / 1e6:.1f} MB"
    )


def cache_clear(cache_dir: Annotated[Path | None, typer.Option("--cache-dir")] = None) -> None:
    """Delete every cached clip and article script."""
    from briefing.script.cache import ScriptCache
    from briefing.speech.clip_cache import ClipCache

    clips = ClipCache(cache_dir)
    removed, clips_left = guard(clips.clear)
    scripts, scripts_left = guard(lambda: ScriptCache(cache_dir).clear())
    left = clips_left + scripts_left
    if left and not removed + scripts:
        fail(f"error: cannot clear the cache in {clips.directory}: "
              f"none of its {left} entries could be removed (permission denied?)", 1)  # fmt: skip
    typer.echo(f"removed {removed} cached clips and {scripts} cached article scripts")
    if left:
        typer.echo(f"warning: {left} cache entries in {clips.directory} could not be removed",
                   err=True)  # fmt: skip
