"""Run a batch: read every job's sources, synthesize all their clips at once, render each job.

`run_batch` closes the executor once every clip is made (the renders then only encode).

Three passes, each over every job: (1) check outputs, cast and voices, and build the script;
(2) synthesize every clip the scripts need and the shared clip cache lacks, in one executor run
(a story in several briefings is made once, and every worker stays busy to the end); (3) render
each briefing from the cache (stitching, loudness, encoding). A job that fails in any pass is
reported by name and the others go on; only a failure of the batch as a whole (the cluster, a
missing engine) stops it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.batch.jobsfile import Job
from briefing.errors import BriefingError, ClusterError, ConfigError, MissingDependencyError
from briefing.model import Tags
from briefing.output.options import RenderOptions
from briefing.output.timeline import Structure, Transition
from briefing.pipeline import ScriptOptions, build_script, check_outputs, load_config
from briefing.speech.engines import check_engine

if TYPE_CHECKING:
    from briefing.cast.assign import Script
    from briefing.output.render import RenderResult
    from briefing.speech.executor import Executor

BatchProgress = Callable[[str, int, int], None]
"""progress(stage, done, total): stages "reading", "synthesizing", "briefings"."""


@dataclass(frozen=True)
class BatchSettings:
    """What every job of a batch shares."""

    engine: str = "pyttsx3"
    jobs: int | None = None
    """Encoding threads per briefing (the executor has its own worker count)."""
    cache_dir: Path | None = None
    use_cache: bool = True
    """False: a temporary clip cache for this batch only (still shared by its jobs)."""


@dataclass(frozen=True)
class Outcome:
    """One job's end: its render's summary, or the error that stopped it."""

    job: Job
    result: RenderResult | None = None
    error: BriefingError | None = None


@dataclass(frozen=True)
class BatchReport:
    """Every job's outcome, in the jobs file's order, and the batch's clip counts."""

    outcomes: tuple[Outcome, ...]
    clips_synthesized: int
    clips_cached: int

    @property
    def failed(self) -> tuple[Outcome, ...]:
        """The jobs that did not render."""
        return tuple(o for o in self.outcomes if o.error is not None)

    def lines(self, verbose: bool) -> list[str]:
        """What the CLI prints: each failure by name; unless quiet, each file made and counts."""
        lines = []
        for outcome in self.outcomes:
            if outcome.error is not None:
                hint = f" (hint: {outcome.error.hint})" if outcome.error.hint else ""
                lines.append(f"job {outcome.job.name}: error: {outcome.error.message}{hint}")
            elif outcome.result is not None and verbose:
                minutes, seconds = divmod(round(outcome.result.duration), 60)
                made = f"{outcome.result.output} ({minutes}:{seconds:02d})"
                lines.append(f"job {outcome.job.name}: made {made}")
        if verbose:
            done = len(self.outcomes) - len(self.failed)
            lines.append(
                f"{done} of {len(self.outcomes)} jobs rendered; {self.clips_synthesized} clips"
                f" synthesized, {self.clips_cached} from the cache"
            )
        return lines


_BATCH_WIDE = (ClusterError, MissingDependencyError)
"""Failures of the batch's shared synthesis that no job would escape: they stop the batch. A
job's own missing encoder (ffmpeg for .m4a) fails that job only."""


def run_batch(
    jobs: Sequence[Job],
    settings: BatchSettings,
    executor: Executor,
    progress: BatchProgress | None = None,
) -> BatchReport:
    """Render every job; see the module's docstring."""
    from briefing.output.prefetch import synthesize_ahead
    from briefing.output.render import render
    from briefing.speech.clip_cache import ClipCache
    from briefing.speech.pool import SynthStats

    report = progress or (lambda stage, done, total: None)
    errors: dict[str, BriefingError] = {}
    results: dict[str, RenderResult] = {}
    check_engine(settings.engine)  # before any work: the engine here, then the workers'
    executor.check(settings.engine)
    with _cache_directory(settings) as cache_dir:
        prepared: list[tuple[Job, Script, RenderOptions]] = []
        for number, job in enumerate(jobs, start=1):
            try:
                prepared.append((job, *_prepare(job, settings, cache_dir)))
            except ClusterError:
                raise
            except BriefingError as error:
                errors[job.name] = error
            report("reading", number, len(jobs))
        cache = ClipCache(cache_dir)
        render_on: Executor | None = executor
        try:
            made = synthesize_ahead(
                [(job.name, script, options) for job, script, options in prepared],
                settings.engine,
                cache,
                executor,
                progress=lambda done, total: report("synthesizing", done, total),
            )
        except _BATCH_WIDE:
            raise
        except BriefingError:  # one clip failed: each render tries its own clips again
            made = SynthStats()
        else:
            # Every clip is in the cache: release the cluster, whose scheduler and idle workers
            # cost CPU the encoding wants (see `output.prefetch.render_on`); a clip a render
            # still lacks (none, unless the cache evicted one) is made by the local pool.
            executor.close()
            render_on = None
        for number, (job, script, options) in enumerate(prepared, start=1):
            try:
                results[job.name] = render(script, options, settings.engine, None, render_on)
            except ClusterError:
                raise
            except BriefingError as error:
                errors[job.name] = error
            report("briefings", number, len(prepared))
    outcomes = tuple(Outcome(job, results.get(job.name), errors.get(job.name)) for job in jobs)
    synthesized = made.synthesized + sum(r.clips_synthesized for r in results.values())
    return BatchReport(outcomes, synthesized, made.cached)


@contextlib.contextmanager
def _cache_directory(settings: BatchSettings) -> Iterator[Path | None]:
    """The batch's clip cache: the user's (or --cache-dir), or a temporary one (--no-cache)."""
    if settings.use_cache:
        yield settings.cache_dir
        return
    with tempfile.TemporaryDirectory(prefix="briefing-batch-") as directory:
        yield Path(directory)


def _prepare(
    job: Job, settings: BatchSettings, cache_dir: Path | None
) -> tuple[Script, RenderOptions]:
    """The job's script and render options; its outputs, cast and voices checked first."""
    options = render_options(job, settings, cache_dir)
    script_options = ScriptOptions(
        cast_file=job.cast,
        lexicons=job.lexicons,
        engine=settings.engine,
        cache_dir=cache_dir,
        use_cache=settings.use_cache,
    )
    for target in (options.output, *options.transcripts, *filter(None, [options.chapters])):
        _make_folder(target.parent)
    check_outputs(options, job.sources)
    config = load_config(script_options)
    return build_script(job.sources, script_options, config), options


def _make_folder(folder: Path) -> None:
    """A job's output folder, made when missing (a batch writes many files, often in new ones)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"{folder}: cannot create the output folder: {exc.strerror}") from None


def render_options(job: Job, settings: BatchSettings, cache_dir: Path | None) -> RenderOptions:
    """The render options a job's keys make (what `briefing render`'s options would)."""
    from briefing.output.profiles import apply_profile, get_profile

    profile = get_profile(job.profile)
    try:
        when = dt.date.fromisoformat(job.date) if job.date is not None else None
    except ValueError:
        raise ConfigError(f"date {job.date!r}: expected YYYY-MM-DD") from None
    try:
        transition = Transition(job.transition or Transition.CHIME)
    except ValueError:
        choices = ", ".join(t.value for t in Transition)
        raise ConfigError(f"transition {job.transition!r}: expected {choices}") from None
    options = RenderOptions(
        output=job.output,
        rate=job.rate,
        jobs=settings.jobs,
        cache_dir=cache_dir,
        use_cache=True,  # the batch's own cache (temporary under --no-cache)
        structure=Structure(title=job.title, date=when, transition=transition),
        tags=Tags(
            title=job.title,
            artist=job.author,
            album=job.album or job.title,
            date=(when or dt.date.today()).isoformat(),
        ),
        transcripts=job.transcripts,
        chapters=job.chapters,
    )
    options = apply_profile(options, profile, job.loudness)
    return replace(options, sample_rate=job.sample_rate or options.sample_rate)


def plan_text(jobs: Sequence[Job], scheduler: str | None) -> str:
    """What `briefing batch --dry-run` prints: every job, its inputs and outputs."""
    where = f"Dask scheduler {scheduler}" if scheduler else "local worker processes"
    lines = [f"{len(jobs)} {'job' if len(jobs) == 1 else 'jobs'}, synthesis on {where}:"]
    for job in jobs:
        lines.append(f"  {job.name}")
        lines.append(f"    sources:  {', '.join(job.sources)}")
        if job.cast is not None:
            lines.append(f"    cast:     {job.cast}")
        lines.append(f"    profile:  {job.profile}")
        outputs = [job.output, *job.transcripts, *([job.chapters] if job.chapters else [])]
        lines.append(f"    outputs:  {', '.join(map(str, outputs))}")
    return "\n".join(lines)
