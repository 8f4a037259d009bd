"""The dry run's two forms: the JSON contract other tools read, and a readable script."""

from __future__ import annotations

import json
from typing import Any

from briefing.cast.assign import Script, reader, uncertain
from briefing.model import SegmentKind
from briefing.output.timeline import UNATTRIBUTED_LABEL


def script_json(script: Script) -> str:
    """The documented JSON contract of `briefing script --format json`."""
    stories: list[dict[str, Any]] = []
    for story in script.stories:
        segments: list[dict[str, Any]] = []
        for segment in story.segments:
            entry: dict[str, Any] = {
                "kind": segment.kind.value,
                "text": segment.text,
                "spoken": segment.spoken,
                "speaker": segment.speaker,
                "voice": reader(script.cast, segment).id,
                "paragraph": segment.paragraph,
            }
            if segment.kind is SegmentKind.QUOTE:
                attribution = segment.attribution
                entry["gender"] = segment.gender.value
                entry["attribution"] = {
                    "method": attribution.method.value if attribution else "none",
                    "confidence": round(attribution.confidence, 2) if attribution else 0.0,
                }
                entry["read_by"] = "narrator" if uncertain(segment) else "speaker"
            segments.append(entry)
        stories.append(
            {
                "title": story.article.title,
                "source": story.article.source,
                "byline": story.article.byline,
                "segments": segments,
                "removed": [{"text": r.text, "reason": r.reason} for r in story.article.removed],
            }
        )
    voices = {"narrator": script.cast.narrator.id, "unattributed": script.cast.unattributed.id}
    speakers = {name: voice.id for name, voice in script.cast.speakers.items()}
    document = {"stories": stories, "cast": {**voices, "speakers": speakers}}
    return json.dumps(document, ensure_ascii=False, indent=2)


def script_text(script: Script) -> str:
    """A readable script: who reads each segment, with which voice, and how sure we are."""
    out: list[str] = []
    for number, story in enumerate(script.stories, start=1):
        out.append(f"=== Story {number}: {story.article.title}  [{story.article.source}]")
        for segment in story.segments:
            voice = reader(script.cast, segment).id
            if segment.kind is SegmentKind.QUOTE:
                who = segment.speaker or UNATTRIBUTED_LABEL
                how = ""
                if segment.attribution:
                    method = segment.attribution.method.value
                    how = f", {method} {segment.attribution.confidence:.2f}"
                if uncertain(segment):
                    how += ", uncertain: read by the narrator"
                out.append(f"  {who} ({voice}{how}):")
                out.append(f"      “{segment.text}”")
            else:
                label = "HEADLINE" if segment.kind is SegmentKind.HEADLINE else "Narrator"
                out.append(f"  {label} ({voice}):")
                out.append(f"      {segment.text}")
        for removal in story.article.removed:
            out.append(f"  [removed, {removal.reason}] {removal.text}")
        out.append("")
    out.append("Cast:")
    out.append(f"  Narrator: {script.cast.narrator.id}")
    for name, speaker_voice in script.cast.speakers.items():
        out.append(f"  {name}: {speaker_voice.id}")
    out.append(f"  {UNATTRIBUTED_LABEL}: {script.cast.unattributed.id}")
    return "\n".join(out)
