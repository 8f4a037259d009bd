"""`briefing batch`: many briefings from a jobs file, one shared clip cache."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from briefing.commands.options import (
    CacheDirOpt,
    EngineOpt,
    NoCacheOpt,
    SchedulerOpt,
)
from briefing.commands.running import guard

if TYPE_CHECKING:
    pass


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

    job_list = guard(lambda: load_jobs(jobs_file))
    if dry_run:
        typer.echo(plan_text(job_list, scheduler))
        return
    # Every job's synthesis runs in one go on one engine: --engine, else eSpeak.
    settings = BatchSettings(engine or "pyttsx3", jobs, cache_dir, use_cache=not no_cache)

    def run() -> BatchReport:
        executor = open_executor(scheduler, jobs)
        try:
            with progress_bar(quiet) as progress:
                return run_batch(job_list, settings, executor, progress)
        finally:
            executor.close()

    report = guard(run)
    for line in report.lines(verbose=not quiet):
        typer.echo(line, err=True)
    if report.failed:
        raise typer.Exit(1)
