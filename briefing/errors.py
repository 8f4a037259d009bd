"""One exception tree for the whole tool; the CLI maps each class to an exit code.

    BriefingError                 exit 1  a runtime failure
    ├── SynthesisError            exit 1  the engine failed on a segment, even after a retry
    ├── EncodeError               exit 1  the encoder or the output file failed
    ├── ClusterError              exit 1  the Dask scheduler is unreachable or lost its workers
    ├── InputError                exit 2  an article cannot be read or is not an article
    │   └── FetchError            exit 2  a URL or feed could not be fetched
    ├── ConfigError               exit 2  a cast, lexicon or option is wrong
    └── MissingDependencyError    exit 3  a required engine or encoder is not installed

Exit code 130 (interrupted) is the CLI's own and has no class here.
"""

from __future__ import annotations


class BriefingError(Exception):
    """Base of every error the tool reports to the user as one line."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class SynthesisError(BriefingError):
    """The speech engine failed on a segment after a retry in a fresh worker."""


class EncodeError(BriefingError):
    """Encoding, tagging or writing the output file failed."""


class ClusterError(BriefingError):
    """The Dask scheduler cannot be reached, has no workers, or the cluster failed mid-run."""


class InputError(BriefingError):
    """An article cannot be read: missing, empty, binary, too large or unparseable."""

    exit_code = 2


class FetchError(InputError):
    """A URL or feed could not be fetched (HTTP status, DNS, timeout, size)."""


class ConfigError(BriefingError):
    """A cast file, lexicon, option or output path is invalid."""

    exit_code = 2


class MissingDependencyError(BriefingError):
    """A required engine or encoder is not available on this machine."""

    exit_code = 3
