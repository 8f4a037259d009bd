"""Where synthesis runs: one interface, two implementations (local processes, a Dask cluster).

A caller hands an executor frozen `SynthJob`s (utterance, clip-cache key, the briefing's sample
rate) and a `deliver` callback; the executor calls deliver(index, result) in the caller's thread
exactly once per job, in any order, or raises a `BriefingError`. A result is the clip's PCM, or
None when the worker wrote the clip into the clip cache itself ("stored": only a worker on this
machine can), with its sample rate and its statistics (`briefing.audio.clip_stats`, side-file
bytes). Both implementations run the same engine code (`engines.worker.make_clip`) and the
caller makes every cache key, so the choice of executor changes nothing in the output.

    LocalPool       spawned worker processes on this machine (the default; `process_pool`)
    DaskExecutor    a Dask distributed cluster (`dask_executor`, the `cluster` extra)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from briefing.model import Utterance

if TYPE_CHECKING:
    from briefing.speech.clip_cache import ClipCache

LOCAL_SCHEDULER = "local"
"""`--scheduler local`: an embedded Dask LocalCluster on this machine."""


@dataclass(frozen=True)
class SynthJob:
    """One utterance to synthesize, as an executor sends it to a worker."""

    utterance: Utterance
    sample_rate: int
    """The briefing's sample rate: the worker resamples a clip at another rate to it (once,
    before measuring it), so every clip arrives, and is cached, at the briefing's rate."""
    key: str | None = None
    """The clip cache's key for it (None: not cached, e.g. a one-off resynthesis)."""


@dataclass(frozen=True)
class SynthResult:
    """What came back for one job."""

    pcm: bytes | None
    """Mono s16le samples, or None: the worker stored the clip in the clip cache itself."""
    sample_rate: int
    stats: bytes
    """The clip's statistics in side-file form, measured by the worker that made it."""
    stored_bytes: int = 0
    """The size of the cache entry the worker wrote (when `pcm` is None)."""


Deliver = Callable[[int, SynthResult], None]


class Executor(Protocol):
    """Runs synthesis jobs somewhere; see the module's docstring for the contract."""

    def check(self, engine: str) -> None:
        """Fail (a `BriefingError`) unless every worker runs `engine` at this machine's version."""
        ...

    def run(
        self,
        engine: str,
        jobs: Sequence[SynthJob],
        deliver: Deliver,
        cache: ClipCache | None,
        labels: Sequence[str],
    ) -> None:
        """Synthesize every job with `engine`, delivering each result once.

        `cache` is where a worker on this machine may store clips itself (jobs with a key);
        `labels` name the jobs in errors ("story 2 (a.txt), segment 3").
        """
        ...

    def close(self) -> None:
        """Release the workers (a Dask client, its embedded cluster); idempotent."""
        ...
