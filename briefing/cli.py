"""Command-line interface: the only module that imports typer and rich.

Exit codes: 0 success; 1 runtime failure; 2 bad usage, input or configuration; 3 a required engine
or encoder is missing; 130 interrupted (Ctrl-C, SIGINT), 143 terminated (SIGTERM), 129 hung up
(SIGHUP): all three clean up alike. Errors are one line on stderr; BRIEFING_DEBUG=1 adds the
traceback.
"""

from __future__ import annotations

import datetime as dt
import os
import traceback
from collections.abc import Callable
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, TypeVar

import typer

from briefing import __version__
from briefing.cast.config import parse_pause_overrides
from briefing.errors import BriefingError, ConfigError
from briefing.model import Cover, Tags
from briefing.output.timeline import Structure, Transition
from briefing.pipeline import (
    ScriptOptions,
    build_script,
    check_outputs,
    check_readable,
    load_config,
    script_from,
)
from briefing.progress import show_warnings
from briefing.signals import Stopped, stop_signals_interrupt
from briefing.sources import IngestOptions

if TYPE_CHECKING:
    from briefing.output.render import RenderResult

app = typer.Typer(
    help="Turn news articles into one narrated, multi-voice audio briefing.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
cache_app = typer.Typer(help="Inspect or clear the clip and script caches.", no_args_is_help=True)
app.add_typer(cache_app, name="cache")

T = TypeVar("T")
INTERRUPTED = 130


class ScriptFormat(StrEnum):
    """Output forms of `briefing script`."""

    TEXT = "text"
    JSON = "json"


class SourceFormat(StrEnum):
    """Input formats `--from` can force."""

    TEXT = "text"
    MARKDOWN = "markdown"
    HTML = "html"
    FEED = "feed"


Articles = Annotated[
    list[str],
    typer.Argument(
        help="Article files, directories, URLs or feeds; '-' reads stdin.", show_default=False
    ),
]
CastOpt = Annotated[
    Path | None, typer.Option("--cast", help="Cast file pinning speakers to voices.")
]
FromOpt = Annotated[SourceFormat | None, typer.Option("--from", help="Force the input format.")]
KeepAllOpt = Annotated[
    bool, typer.Option("--keep-all", help="Keep captions, credits, boilerplate.")
]
MaxItemsOpt = Annotated[
    int | None, typer.Option("--max-items", min=1, help="Feed items to take, newest first.")
]
MaxSizeOpt = Annotated[float, typer.Option("--max-size", min=0.001, help="Largest article in MB.")]
LexiconOpt = Annotated[
    list[Path] | None, typer.Option("--lexicon", help="Pronunciation lexicon (TOML); repeatable.")
]
MinWordsOpt = Annotated[
    int, typer.Option("--min-quote-words", min=1, help="Shorter quotes stay narration.")
]
EngineOpt = Annotated[
    str, typer.Option("--engine", hidden=True, help="Speech engine (pyttsx3, fake).")
]
CacheDirOpt = Annotated[
    Path | None, typer.Option("--cache-dir", help="Cache directory (clips, article scripts).")
]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the caches.")]
ProfileOpt = Annotated[
    str,
    typer.Option(
        "--profile", help="Output profile: podcast (44.1 kHz), podcast-stereo, speech (22 kHz)."
    ),
]
CoverOpt = Annotated[
    Path | None, typer.Option("--cover", help="Cover art: square RGB PNG or JPEG, 1400-3000 px.")
]
LoudnessOpt = Annotated[
    float | None,
    typer.Option(
        "--loudness", min=-40, max=-6, help="Integrated loudness of the file, LUFS (the profile's)."
    ),
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        envvar="BRIEFING_SCHEDULER",
        help="Synthesize on a Dask cluster: 'local' (one on this machine) or tcp://HOST:8786.",
    ),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"briefing {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Turn news articles into one narrated, multi-voice audio briefing."""


@app.command("render")
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
    engine: EngineOpt = "pyttsx3",
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
        when = _parse_date(date)
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
                cover=_cover(cover),
            ),
            transcripts=tuple(transcript or ()),
            chapters=chapters,
            page=page,
            epub=epub,
        )
        options = apply_profile(options, get_profile(profile), loudness)
        script_options = _script_options(
            cast, source_format, keep_all, max_items, max_size, lexicon, min_quote_words, engine
        )
        script_options = replace(script_options, cache_dir=cache_dir, use_cache=not no_cache)
        check_outputs(options, articles)
        config = load_config(script_options)
        nonlocal executor
        if scheduler:  # reached and checked before any work
            executor = open_executor(scheduler, jobs)
            executor.check(engine)
        else:  # a synthesis worker starts while the articles are read (unused if unchanged)
            prestart_worker(engine)
        script = script_from(articles, script_options, config)
        check_readable(script, title)
        with progress_bar(quiet) as progress:
            if executor is not None:
                return render_on(executor, script, options, engine, progress)
            return render(script, options, engine, progress)

    try:
        result = _guard(run)
    finally:
        discard_spare_workers()
        if executor is not None:
            executor.close()
    if not quiet:
        _summary(result)


@app.command("publish")
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
    engine: EngineOpt = "pyttsx3",
) -> None:
    """Render articles (or an edited script JSON) as a new episode of a podcast feed."""
    from briefing.progress import progress_bar
    from briefing.publish.publish import prepare, publish

    show_warnings(quiet)

    def run() -> str:
        script_options = _script_options(cast, None, False, None, 20.0, lexicon, 4, engine)
        script_options = replace(script_options, cache_dir=cache_dir, use_cache=not no_cache)
        options = prepare(feed_dir, base_url, channel, cover, profile=profile, keep=keep,
                          date=_parse_date(date) or dt.date.today(), title=title, jobs=jobs,
                          cache_dir=cache_dir, use_cache=not no_cache)  # fmt: skip
        script = script_from(articles, script_options, load_config(script_options))
        check_readable(script)
        with progress_bar(quiet) as progress:
            done = publish(script, options, engine, progress)
        gone = f", removed {len(done.removed)} old files" if done.removed else ""
        verb = "added" if done.added else "already in the feed:"
        return f"{verb} {done.episode.title}; {done.feed}: {done.episodes} episodes{gone}"

    message = _guard(run)
    if not quiet:
        typer.echo(message, err=True)


@app.command("batch")
def batch_command(
    jobs_file: Annotated[Path, typer.Argument(help="Jobs file (TOML): one [[job]] per briefing.")],
    scheduler: SchedulerOpt = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the plan; read and write nothing else.")
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, help="Synthesis workers and encoding threads."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
    cache_dir: CacheDirOpt = None,
    no_cache: NoCacheOpt = False,
    engine: EngineOpt = "pyttsx3",
) -> None:
    """Render many briefings from a jobs file, sharing one clip cache. Exit 1 if any job failed."""
    from briefing.batch import BatchReport, BatchSettings, load_jobs, plan_text, run_batch
    from briefing.progress import progress_bar
    from briefing.speech.pool import open_executor

    job_list = _guard(lambda: load_jobs(jobs_file))
    if dry_run:
        typer.echo(plan_text(job_list, scheduler))
        return
    settings = BatchSettings(engine, jobs, cache_dir, use_cache=not no_cache)

    def run() -> BatchReport:
        executor = open_executor(scheduler, jobs)
        try:
            with progress_bar(quiet) as progress:
                return run_batch(job_list, settings, executor, progress)
        finally:
            executor.close()

    report = _guard(run)
    for line in report.lines(verbose=not quiet):
        typer.echo(line, err=True)
    if report.failed:
        raise typer.Exit(1)


@app.command("script")
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
    engine: EngineOpt = "pyttsx3",
    cache_dir: CacheDirOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Show the segments, speakers and voices a render would use, without making audio."""
    from briefing.output.scriptout import script_json, script_text

    options = _script_options(
        cast, source_format, keep_all, max_items, max_size, lexicon, min_quote_words, engine
    )
    options = replace(options, cache_dir=cache_dir, use_cache=not no_cache)
    show_warnings(quiet=False)
    script = _guard(lambda: build_script(articles, options))
    typer.echo(script_json(script) if output_format is ScriptFormat.JSON else script_text(script))


@app.command("voices")
def voices_command(
    cast: CastOpt = None,
    engine: EngineOpt = "pyttsx3",
) -> None:
    """List the engine's voices and the voices the cast uses."""
    from briefing.cast.config import load_cast_config
    from briefing.speech.engines import list_voices

    def run() -> list[str]:
        config = load_cast_config(cast)
        lines = ["Cast:", f"  narrator      {config.narrator.id}"]
        lines.append(f"  unattributed  {config.unattributed.id}")
        lines += [f"  pool          {v.id}  ({v.gender.value})" for v in config.pool]
        lines += [f"  pinned        {v.id}  <- {name}" for name, v in config.pins.items()]
        lines.append("")
        lines.append(f"Engine voices ({engine}); add +m1..m8 or +f1..f5 for variants:")
        lines += [f"  {v.id:<28} {v.name}" for v in list_voices(engine)]
        return lines

    typer.echo("\n".join(_guard(run)))


@cache_app.command("info")
def cache_info(cache_dir: Annotated[Path | None, typer.Option("--cache-dir")] = None) -> None:
    """Show where the caches are and how big they are."""
    from briefing.script.cache import ScriptCache
    from briefing.speech.clip_cache import ClipCache

    info = _guard(lambda: ClipCache(cache_dir).info())
    scripts, size = _guard(lambda: ScriptCache(cache_dir).info())
    typer.echo(
        f"{info.directory}\n{info.entries} clips, {info.bytes / 1e6:.1f} MB\n"
        f"{scripts} article scripts, {size / 1e6:.1f} MB"
    )


@cache_app.command("clear")
def cache_clear(cache_dir: Annotated[Path | None, typer.Option("--cache-dir")] = None) -> None:
    """Delete every cached clip and article script."""
    from briefing.script.cache import ScriptCache
    from briefing.speech.clip_cache import ClipCache

    clips = ClipCache(cache_dir)
    removed, clips_left = _guard(clips.clear)
    scripts, scripts_left = _guard(lambda: ScriptCache(cache_dir).clear())
    left = clips_left + scripts_left
    if left and not removed + scripts:
        _fail(f"error: cannot clear the cache in {clips.directory}: "
              f"none of its {left} entries could be removed (permission denied?)", 1)  # fmt: skip
    typer.echo(f"removed {removed} cached clips and {scripts} cached article scripts")
    if left:
        typer.echo(f"warning: {left} cache entries in {clips.directory} could not be removed",
                   err=True)  # fmt: skip


def _script_options(
    cast: Path | None,
    source_format: SourceFormat | None,
    keep_all: bool,
    max_items: int | None,
    max_size: float,
    lexicon: list[Path] | None,
    min_quote_words: int,
    engine: str,
) -> ScriptOptions:
    ingest = IngestOptions(
        from_format=source_format.value if source_format else None,
        keep_all=keep_all,
        max_items=max_items,
        max_bytes=int(max_size * 1024 * 1024),
    )
    return ScriptOptions(ingest, cast, tuple(lexicon or ()), min_quote_words, engine)


def _cover(path: Path | None) -> Cover | None:
    from briefing.audio.cover import load_cover

    return load_cover(path) if path is not None else None


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"--date {value!r}: expected YYYY-MM-DD") from None


def _guard(action: Callable[[], T]) -> T:
    """Run `action`, turning every failure into one line on stderr and an exit code."""
    try:
        with stop_signals_interrupt():
            return action()
    except BriefingError as error:
        hint = f" (hint: {error.hint})" if error.hint else ""
        _fail(f"error: {error.message}{hint}", error.exit_code)
    except Stopped as stopped:
        _fail(stopped.describe(), 128 + stopped.signum)
    except KeyboardInterrupt:
        _fail("interrupted", INTERRUPTED)
    except Exception as error:  # a bug: still one line, with the way to see more
        _fail(f"internal error: {type(error).__name__}: {error} (rerun with BRIEFING_DEBUG=1)", 1)


def _fail(message: str, code: int) -> NoReturn:
    if os.environ.get("BRIEFING_DEBUG") == "1":
        traceback.print_exc()
    typer.echo(" ".join(message.split()), err=True)
    raise typer.Exit(code)


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
