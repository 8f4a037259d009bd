"""The render's progress bar on stderr (rich), shown only on a terminal; warnings as lines."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from briefing.output.options import Progress


@contextmanager
def progress_bar(quiet: bool) -> Iterator[Progress | None]:
    """A progress callback drawing one bar per stage, or None when quiet or not on a terminal."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    # rich costs ~80 ms to import: only a render that draws a bar pays for it.
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TaskID, TimeRemainingColumn
    from rich.progress import Progress as Bar

    with Bar(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update


class _WarningLines(logging.Handler):
    """The package's warnings (`logging.getLogger("briefing")`) as one line each on stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        typer.echo("warning: " + " ".join(record.getMessage().split()), err=True)


def show_warnings(quiet: bool) -> None:
    """Print the package's warnings from here on, unless `quiet` (errors only)."""
    logger = logging.getLogger("briefing")
    if not any(isinstance(h, _WarningLines) for h in logger.handlers):
        logger.addHandler(_WarningLines())
    logger.setLevel(logging.ERROR if quiet else logging.WARNING)
