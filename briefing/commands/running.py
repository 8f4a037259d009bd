"""Running a command: every failure one line on stderr and a documented exit code."""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, NoReturn, TypeVar

import typer

from briefing.errors import BriefingError
from briefing.signals import Stopped, stop_signals_interrupt

if TYPE_CHECKING:
    pass


T = TypeVar("T")
INTERRUPTED = 130


def guard(action: Callable[[], T]) -> T:
    """Run `action`, turning every failure into one line on stderr and an exit code."""
    try:
        with stop_signals_interrupt():
            return action()
    except BriefingError as error:
        hint = f" (hint: {error.hint})" if error.hint else ""
        fail(f"error: {error.message}{hint}", error.exit_code)
    except Stopped as stopped:
        fail(stopped.describe(), 128 + stopped.signum)
    except KeyboardInterrupt:
        fail("interrupted", INTERRUPTED)
    except Exception as error:  # a bug: still one line, with the way to see more
        fail(f"internal error: {type(error).__name__}: {error} (rerun with BRIEFING_DEBUG=1)", 1)


def fail(message: str, code: int) -> NoReturn:
    if os.environ.get("BRIEFING_DEBUG") == "1":
        traceback.print_exc()
    typer.echo(" ".join(message.split()), err=True)
    raise typer.Exit(code)
