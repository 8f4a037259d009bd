"""A batch's jobs file (TOML): one `[[job]]` table per briefing, checked whole before any work.

    [defaults]                 # optional: any job key but name, sources and output
    cast = "cast.toml"
    rate = 175

    [[job]]
    name = "morning"           # how the batch reports it (default: the output's stem)
    sources = ["a.txt", "news/", "https://example.org/feed.xml"]
    output = "out/morning.mp3"
    transcripts = ["out/morning.vtt"]
    title = "Morning Briefing"

Paths (sources that are not URLs, cast, lexicons, output, transcripts, chapters) are relative to
the jobs file's own folder, so a batch runs the same from any working directory.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from briefing.errors import ConfigError

_URL_PREFIXES = ("http://", "https://")
_STRINGS = ("title", "author", "album", "date", "profile", "transition")
_PATHS = ("cast", "chapters")
_PATH_LISTS = ("lexicons", "transcripts")
_KEYS = {"name", "sources", "output", "rate", "loudness", "sample_rate", *_STRINGS, *_PATHS}
_KEYS |= set(_PATH_LISTS)


@dataclass(frozen=True)
class Job:
    """One briefing of a batch, its paths resolved against the jobs file's folder."""

    name: str
    sources: tuple[str, ...]
    output: Path
    cast: Path | None = None
    profile: str = "podcast"
    """The output profile (`briefing.output.profiles`), as `render --profile`."""
    title: str = "News Briefing"
    author: str | None = None
    album: str | None = None
    date: str | None = None
    transition: str | None = None
    rate: int = 175
    loudness: float | None = None
    """The file's loudness (LUFS); None: the profile's."""
    sample_rate: int | None = None
    """Overrides the profile's rate."""
    """The briefing's sample rate (Hz); None: the engine's own."""
    lexicons: tuple[Path, ...] = ()
    transcripts: tuple[Path, ...] = ()
    chapters: Path | None = None


def load_jobs(path: Path) -> list[Job]:
    """Every job of the file, or one ConfigError naming the file and the job at fault."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the jobs file: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not a valid TOML jobs file: {exc}") from None
    unknown = set(data) - {"defaults", "job"}
    if unknown:
        raise ConfigError(f"{path}: unknown table {sorted(unknown)[0]!r} (expected [[job]])")
    defaults = data.get("defaults", {})
    tables = data.get("job", [])
    if not isinstance(defaults, dict) or not isinstance(tables, list) or not tables:
        raise ConfigError(f"{path}: no jobs", hint="add a [[job]] table per briefing")
    for key in ("name", "sources", "output"):
        if key in defaults:
            raise ConfigError(f"{path}: [defaults] cannot set {key!r}: it is per job")
    base = path.parent
    jobs = [_job(path, base, number, {**defaults, **_table(path, number, table)})
            for number, table in enumerate(tables, start=1)]  # fmt: skip
    _check_unique(path, jobs)
    return jobs


def _table(path: Path, number: int, table: object) -> dict[str, object]:
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: job {number} is not a table")
    return table


def _job(path: Path, base: Path, number: int, table: Mapping[str, object]) -> Job:
    """One job from its table (defaults merged in)."""
    where = f"{path}: job {table.get('name', number)!r}"
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r}")
    sources = table.get("sources")
    if isinstance(sources, str):
        sources = [sources]
    if not isinstance(sources, list) or not sources or not all(isinstance(s, str) for s in sources):
        raise ConfigError(f"{where}: 'sources' must be a non-empty list of paths or URLs")
    if "-" in sources:
        raise ConfigError(f"{where}: a batch cannot read standard input ('-')")
    output = _string(where, table, "output")
    if output is None:
        raise ConfigError(f"{where}: 'output' is missing")
    name = _string(where, table, "name") or Path(output).stem
    strings = {key: _string(where, table, key) for key in _STRINGS}
    return Job(
        name=name,
        sources=tuple(s if s.startswith(_URL_PREFIXES) else str(_under(base, s)) for s in sources),
        output=_under(base, output),
        cast=_path(where, base, table, "cast"),
        profile=strings["profile"] or "podcast",
        title=strings["title"] or "News Briefing",
        author=strings["author"],
        album=strings["album"],
        date=strings["date"],
        transition=strings["transition"],
        rate=int(_number(where, table, "rate", 175, 80, 450)),
        loudness=_number(where, table, "loudness", -16.0, -40, -6) if "loudness" in table else None,
        sample_rate=_sample_rate(where, table),
        lexicons=_paths(where, base, table, "lexicons"),
        transcripts=_paths(where, base, table, "transcripts"),
        chapters=_path(where, base, table, "chapters"),
    )


def _string(where: str, table: Mapping[str, object], key: str) -> str | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: {key!r} must be a non-empty string")
    return value


def _number(
    where: str, table: Mapping[str, object], key: str, default: float, low: float, high: float
) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise ConfigError(f"{where}: {key!r} must be a number from {low:g} to {high:g}")
    return float(value)


def _sample_rate(where: str, table: Mapping[str, object]) -> int | None:
    if "sample_rate" not in table:
        return None
    value = _number(where, table, "sample_rate", 0, 8000, 192000)
    if value != int(value):
        raise ConfigError(f"{where}: 'sample_rate' must be a whole number of Hz")
    return int(value)


def _path(where: str, base: Path, table: Mapping[str, object], key: str) -> Path | None:
    value = _string(where, table, key)
    return _under(base, value) if value is not None else None


def _paths(where: str, base: Path, table: Mapping[str, object], key: str) -> tuple[Path, ...]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"{where}: {key!r} must be a list of paths")
    return tuple(_under(base, v) for v in value)


def _under(base: Path, path: str) -> Path:
    """`path` relative to the jobs file's folder (unchanged when absolute), `..` folded."""
    return Path(os.path.normpath(base / Path(path).expanduser()))


def _check_unique(path: Path, jobs: list[Job]) -> None:
    """Two jobs with one name, or writing one file, would make a batch's report ambiguous."""
    names: set[str] = set()
    outputs: dict[Path, str] = {}
    for job in jobs:
        if job.name in names:
            raise ConfigError(f"{path}: two jobs are named {job.name!r}")
        names.add(job.name)
        for target in (job.output, *job.transcripts, *([job.chapters] if job.chapters else [])):
            resolved = target.resolve()
            if resolved in outputs:
                raise ConfigError(
                    f"{path}: jobs {outputs[resolved]!r} and {job.name!r} both write {target}"
                )
            outputs[resolved] = job.name
