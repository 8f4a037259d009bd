"""Timed transcripts (.vtt, .srt, Podcasting 2.0 .json, .txt) and Podcasting 2.0 chapters JSON."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from briefing.atomic import check_writable_target, write_text_atomic
from briefing.errors import ConfigError
from briefing.model import Briefing, Cue

NARRATOR = "Narrator"


def _name(cue: Cue) -> str:
    """Display name of the cue's voice."""
    return _oneline(cue.speaker) if cue.speaker else NARRATOR


def _oneline(text: str) -> str:
    """Collapse whitespace: a blank line would end a VTT/SRT cue early."""
    return re.sub(r"\s+", " ", text).strip()


def _ms(seconds: float) -> int:
    """Whole milliseconds, rounded (times are exact sample positions before this)."""
    return max(0, round(seconds * 1000))


def _clock(seconds: float, sep: str) -> str:
    """HH:MM:SS<sep>mmm."""
    ms = _ms(seconds)
    return (
        f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}{sep}{ms % 1000:03d}"
    )


def _escape_vtt(text: str) -> str:
    """Escape the characters WebVTT reserves in cue text and voice names."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_vtt(briefing: Briefing) -> str:
    """WebVTT: one cue per Cue, body in a `<v Speaker>` voice span."""
    out = ["WEBVTT", ""]
    for cue in briefing.cues:
        out += [
            f"{_clock(cue.start, '.')} --> {_clock(cue.end, '.')}",
            f"<v {_escape_vtt(_name(cue))}>{_escape_vtt(_oneline(cue.text))}",
            "",
        ]
    return "\n".join(out)


def render_srt(briefing: Briefing) -> str:
    """SubRip: numbered cues, each led by the speaker's name."""
    out: list[str] = []
    for i, cue in enumerate(briefing.cues, start=1):
        out += [
            str(i),
            f"{_clock(cue.start, ',')} --> {_clock(cue.end, ',')}",
            f"{_name(cue)}: {_oneline(cue.text)}",
            "",
        ]
    return "\n".join(out)


def render_json(briefing: Briefing) -> str:
    """Podcasting 2.0 JSON transcript (version 1.0.0)."""
    segments = [
        {
            "speaker": _name(cue),
            "startTime": _ms(cue.start) / 1000,
            "endTime": _ms(cue.end) / 1000,
            "body": _oneline(cue.text),
        }
        for cue in briefing.cues
    ]
    return (
        json.dumps({"version": "1.0.0", "segments": segments}, ensure_ascii=False, indent=1) + "\n"
    )


def _turns(cues: tuple[Cue, ...]) -> list[list[Cue]]:
    """Group cues into speaker turns; a story's first cue (its headline) stands alone."""
    turns: list[list[Cue]] = []
    for i, cue in enumerate(cues):
        starts_story = i == 0 or cue.story != cues[i - 1].story
        after_first = i == 1 or (i > 1 and cues[i - 2].story != cues[i - 1].story)
        if starts_story or after_first or cue.speaker != cues[i - 1].speaker:
            turns.append([cue])
        else:
            turns[-1].append(cue)
    return turns


def render_txt(briefing: Briefing) -> str:
    """A readable script: one paragraph per speaker turn, with its start time and speaker."""
    out: list[str] = []
    prev_story: int | None = None
    for turn in _turns(briefing.cues):
        first = turn[0]
        if prev_story is not None and first.story != prev_story:
            out += ["* * *", ""]
        text = " ".join(_oneline(c.text) for c in turn)
        out += [f"[{_clock(first.start, '.')[:8]}] {_name(first)}: {text}", ""]
        prev_story = first.story
    return "\n".join(out)


RENDERERS: dict[str, Callable[[Briefing], str]] = {
    ".vtt": render_vtt,
    ".srt": render_srt,
    ".json": render_json,
    ".txt": render_txt,
}


def check_transcript_path(path: Path) -> None:
    """ConfigError for an unsupported extension or unwritable dir."""
    path = Path(path)
    if path.suffix.lower() not in RENDERERS:
        raise ConfigError(
            f"{path}: unsupported transcript format {path.suffix or '(no extension)'!r}",
            hint="use one of " + ", ".join(RENDERERS),
        )
    check_writable_target(path)


def write_transcript(briefing: Briefing, path: Path) -> None:
    """Write .vtt / .srt / .json (Podcasting 2.0) / .txt by extension, atomically."""
    path = Path(path)
    check_transcript_path(path)
    write_text_atomic(path, RENDERERS[path.suffix.lower()](briefing))


def render_chapters(briefing: Briefing) -> str:
    """Podcasting 2.0 chapters JSON (version 1.2.0)."""
    chapters = [
        {"startTime": _ms(ch.start) / 1000, "endTime": _ms(ch.end) / 1000, "title": ch.title}
        for ch in briefing.chapters
    ]
    return (
        json.dumps({"version": "1.2.0", "chapters": chapters}, ensure_ascii=False, indent=1) + "\n"
    )


def write_chapters(briefing: Briefing, path: Path) -> None:
    """Write Podcasting 2.0 chapters JSON, atomically."""
    write_text_atomic(Path(path), render_chapters(briefing))
