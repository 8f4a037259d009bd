"""`briefing render`: articles (or an edited script JSON) into one audio briefing."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from briefing.cast.config import parse_pause_overrides
from briefing.commands.options import (
    Articles,
    CacheDirOpt,
    CastOpt,
    CoverOpt,
    EngineOpt,
    FromOpt,
    KeepAllOpt,
    LexiconOpt,
    LoudnessOpt,
    MaxItemsOpt,
    MaxSizeOpt,
    MinWordsOpt,
    NoCacheOpt,
    ProfileOpt,
    SchedulerOpt,
    cover_option,
    ingest_script_options,
    parse_date,
)
from briefing.commands.running import guard
from briefing.commands.scripting import script_with_narration_ahead
from briefing.model import Tags
from briefing.output.timeline import Structure, Transition
from briefing.pipeline import (
    check_outputs,
    load_config,
)
from briefing.progress import show_warnings

if TYPE_CHECKING:
    from briefing.output.render import RenderResult


def render_command(
    articles: Articles,
    output: Annotated[
        Path,
        typer.Option(
            "-o",
            "--output",
            help="Output file: .mp3, .wav, .m4a, .ogg, .opus, .flac, or .epub (a talking book).",
        ),
    ] = Path("briefing.mp3"),
    cast: CastOpt = None,
    rate: Annotated[
        int, typer.Option("--rate", min=80, max=450, help="Speaking rate, words per minute.")
    ] = 175,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
    title: Annotated[
        str, typer.Option("--title", help="Briefing title (intro, tags).")
    ] = "News Briefing",
    date: Annotated[
        str | None, typer.Option("--date", help="Briefing date, YYYY-MM-DD (default today).")
    ] = None,
    intro: Annotated[
        str | None, typer.Option("--intro", help="Spoken intro text instead of the generated one.")
    ] = None,
    no_intro: Annotated[bool, typer.Option("--no-intro", help="No spoken intro.")] = False,
    no_outro: Annotated[bool, typer.Option("--no-outro", help="No spoken outro.")] = False,
    transition: Annotated[
        Transition, typer.Option("--transition", help="Between stories.")
    ] = Transition.CHIME,
    pause: Annotated[
        list[str] | None,
        typer.Option(
            "--pause", help="NAME=MS for sentence, quote, paragraph, headline, story; repeatable."
        ),
    ] = None,
    loudness: LoudnessOpt = None,
    profile: ProfileOpt = "podcast",
    cover: CoverOpt = None,
    author: Annotated[str | None, typer.Option("--author", help="Artist/publisher tag.")] = None,
    album: Annotated[str | None, typer.Option("--album", help="Album tag.")] = None,
    comment: Annotated[str | None, typer.Option("--comment", help="Comment tag.")] = None,
    transcript: Annotated[
        list[Path] | None,
        typer.Option("--transcript", help="Transcript file: .vtt, .srt, .json, .txt; repeatable."),
    ] = None,
    chapters: Annotated[
        Path | None, typer.Option("--chapters", help="Podcasting 2.0 chapters JSON file.")
    ] = None,
    page: Annotated[
        Path | None,
        typer.Option("--page", help="Read-along web page (.html) playing the audio beside it."),
    ] = None,
    epub: Annotated[
        Path | None,
        typer.Option("--epub", help="EPUB 3 talking book (.epub), text in sync with the audio."),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", min=1, help="Synthesis workers and encoding threads (default: cores)."
        ),
    ] = None,
    cache_dir: CacheDirOpt = None,
    no_cache: NoCacheOpt = False,
    source_format: FromOpt = None,
    keep_all: KeepAllOpt = False,
    max_items: MaxItemsOpt = None,
    max_size: MaxSizeOpt = 20.0,
    lexicon: LexiconOpt = None,
    min_quote_words: MinWordsOpt = 4,
    engine: EngineOpt = None,
    scheduler: SchedulerOpt = None,
) -> None:
    """Render articles (or one edited `script --format json` file) into one audio briefing."""
    # Loaded here, not at import: `script`, `voices` and `cache` never need them.
    from briefing.output.options import RenderOptions
    from briefing.output.prefetch import render_on
    from briefing.output.profiles import apply_profile, get_profile
    from briefing.output.render import render
    from briefing.progress import progress_bar
    from briefing.speech.engines.worker import discard_spare_workers, prestart_worker
    from briefing.speech.executor import Executor
    from briefing.speech.pool import open_executor

    executor: Executor | None = None

    show_warnings(quiet)

    def run() -> RenderResult:
        when = parse_date(date)
        structure = Structure(
            title=title,
            date=when,
            intro=not no_intro,
            intro_text=intro,
            outro=not no_outro,
            transition=transition,
        )
        options = RenderOptions(
            output=output,
            rate=rate,
            jobs=jobs,
            cache_dir=cache_dir,
            use_cache=not no_cache,
            structure=structure,
            pause_overrides=parse_pause_overrides(pause or []),
            tags=Tags(
                title=title,
                artist=author,
                album=album or title,
                date=(when or dt.date.today()).isoformat(),
                comment=comment,
                cover=cover_option(cover),
            ),
            transcripts=tuple(transcript or ()),
            chapters=chapters,
            page=page,
            epub=epub,
        )
        options = apply_profile(options, get_profile(profile), loudness)
        script_options = ingest_script_options(
            cast, source_format, keep_all, max_items, max_size, lexicon, min_quote_words, engine
        )
        script_options = replace(script_options, cache_dir=cache_dir, use_cache=not no_cache)
        check_outputs(options, articles)
        config = load_config(script_options)
        nonlocal executor
        if scheduler:  # reached and checked before any work
            executor = open_executor(scheduler, jobs)
            executor.check(config.engine)
        else:  # a synthesis worker starts while the articles are read (unused if unchanged)
            prestart_worker(config.engine)
        script = script_with_narration_ahead(articles, script_options, config, options, title,
                                             ahead=executor is None)  # fmt: skip
        with progress_bar(quiet) as progress:
            if executor is not None:
                return render_on(executor, script, options, config.engine, progress)
            return render(script, options, config.engine, progress)

    try:
        result = guard(run)
    finally:
        discard_spare_workers()
        if executor is not None:
            executor.close()
    if not quiet:
        _summary(result)


def _summary(result: RenderResult) -> None:
    minutes, seconds = divmod(round(result.duration), 60)
    lines = [
        f"made {result.output}: {minutes}:{seconds:02d}, {result.stories} "
        f"{'story' if result.stories == 1 else 'stories'}, "
        f"{result.loudness_lufs:.1f} LUFS, true peak {result.true_peak_dbtp:.1f} dBTP",
        "voices:",
        *(f"  {name}: {voice}" for name, voice in result.voices.items()),
        "files: " + ", ".join(str(path) for path in result.files),
    ]
    typer.echo("\n".join(lines), err=True)
