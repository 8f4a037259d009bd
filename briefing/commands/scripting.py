"""The script a rendering command works from, with its narration synthesized meanwhile.

Shared by `render` and `publish`: attribution's parse of the uncached articles runs while
`output.prefetch.NarrationAhead` synthesizes their narration, and text the voices cannot read
is refused before any of it is synthesized.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from briefing.pipeline import ScriptOptions, check_readable, script_from
from briefing.script.parse import release

if TYPE_CHECKING:
    from briefing.cast.assign import Script
    from briefing.cast.config import CastConfig
    from briefing.output.options import RenderOptions


def script_with_narration_ahead(
    articles: Sequence[str],
    script_options: ScriptOptions,
    config: CastConfig,
    options: RenderOptions,
    title: str = "",
    *,
    ahead: bool = True,
) -> Script:
    """The checked script; with `ahead` and a cache, its new narration is in the clip cache.

    Workers the narration used are left warm for the render's pool (`take_worker`); the caller
    discards any left over (`discard_spare_workers`).
    """
    from briefing.output.prefetch import NarrationAhead

    early = NarrationAhead(options, config.engine) if ahead and options.use_cache else None

    def provisional(script: Script) -> None:
        check_readable(script, title)  # refused before any of its text is synthesized
        if early is not None:
            early.start(script)

    try:
        script = script_from(articles, script_options, config, provisional)
        if early is not None:
            early.finish()  # before the render's synthesis, which would make its clips again
    except BaseException:
        if early is not None:
            early.cancel()
        raise
    check_readable(script, title)
    release()
    return script
