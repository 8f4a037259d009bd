"""Command-line interface: the Typer app and its commands (in `briefing.commands`).

Exit codes: 0 success; 1 runtime failure; 2 bad usage, input or configuration; 3 a required engine
or encoder is missing; 130 interrupted (Ctrl-C, SIGINT), 143 terminated (SIGTERM), 129 hung up
(SIGHUP): all three clean up alike. Errors are one line on stderr; BRIEFING_DEBUG=1 adds the
traceback.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer

from briefing import __version__
from briefing.commands import batch, inspect, publish, render

# Set before numpy loads (nothing imported above loads it): the encoder threads' small matrix
# products gain nothing from BLAS threads, whose idle spinning takes the cores LAME needs.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

app = typer.Typer(
    help="Turn news articles into one narrated, multi-voice audio briefing.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
cache_app = typer.Typer(help="Inspect or clear the clip and script caches.", no_args_is_help=True)
app.add_typer(cache_app, name="cache")
app.command("render")(render.render_command)
app.command("publish")(publish.publish_command)
app.command("batch")(batch.batch_command)
app.command("script")(inspect.script_command)
app.command("voices")(inspect.voices_command)
cache_app.command("info")(inspect.cache_info)
cache_app.command("clear")(inspect.cache_clear)


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
