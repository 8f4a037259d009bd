"""The read-along page and the EPUB talking book, written after the audio from the same cues."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.model import Chapter, Cue
from briefing.output.options import RenderOptions
from briefing.output.timeline import PlanItem

if TYPE_CHECKING:
    from briefing.cast.assign import Script


def wants_readalong(options: RenderOptions) -> bool:
    """Whether the render writes a page or an EPUB."""
    return options.page is not None or options.epub is not None


def is_epub(path: Path) -> bool:
    """`-o FILE.epub`: the talking book is the output, with an MP3 made for it inside."""
    return path.suffix.lower() == ".epub"


def check_readalong_paths(options: RenderOptions) -> None:
    """ConfigError, before synthesis, for a page or EPUB path that cannot be written."""
    from briefing.errors import ConfigError
    from briefing.output.epub import check_epub_path
    from briefing.output.page import check_page_path

    if is_epub(options.output):
        if options.page is not None or options.epub is not None:
            raise ConfigError(
                f"{options.output}: --page and --epub need an audio file to point at",
                hint="render with -o FILE.mp3 --page FILE.html --epub FILE.epub",
            )
        check_epub_path(options.output, options.output.with_suffix(".mp3"))
        return
    if options.page is not None:
        check_page_path(options.page)
    if options.epub is not None:
        check_epub_path(options.epub, options.output)


def write_readalong(
    script: Script,
    plan: Sequence[PlanItem],
    cues: Sequence[Cue],
    chapters: Sequence[Chapter],
    options: RenderOptions,
) -> list[Path]:
    """Write the page and the EPUB the options ask for (the audio is written); their paths."""
    if not wants_readalong(options):
        return []
    from briefing.output.readalong import build_readalong

    stories = script.stories
    readalong = build_readalong(options.tags.title, stories, plan, cues, chapters)
    written: list[Path] = []
    if options.page is not None:
        from briefing.output.page import write_page

        write_page(readalong, options.page, options.output)
        written.append(options.page)
    if options.epub is not None:
        from briefing.output.epub import write_epub

        write_epub(readalong, options.epub, options.output, options.tags)
        written.append(options.epub)
    return written
