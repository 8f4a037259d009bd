"""SIGTERM and SIGHUP handled like SIGINT: raised as an exception where the program is.

So a service manager's stop or a closed terminal unwinds exactly as Ctrl-C does: part files
and temporary clip directories removed, workers stopped, old outputs kept. The CLI exits
128 + the signal's number (143 for SIGTERM, 129 for SIGHUP; Ctrl-C stays 130).
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator

STOP_SIGNALS: dict[int, str] = {signal.SIGTERM: "terminated", signal.SIGHUP: "hung up"}


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised where the program is, so it unwinds exactly as Ctrl-C does:
    part files and temporary clip directories removed, workers stopped, old outputs kept."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    def describe(self) -> str:
        """One line for the user: "terminated (SIGTERM)"."""
        return f"{STOP_SIGNALS[self.signum]} ({signal.Signals(self.signum).name})"


def _stop(signum: int, frame: object) -> None:
    raise Stopped(signum)


@contextlib.contextmanager
def stop_signals_interrupt() -> Iterator[None]:
    """Handle SIGTERM and SIGHUP like SIGINT inside the block (main thread only)."""
    previous = {}
    with contextlib.suppress(ValueError):  # not the main thread: leave the handlers alone
        for signum in STOP_SIGNALS:
            previous[signum] = signal.signal(signum, _stop)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
