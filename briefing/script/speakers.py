"""One canonical name per person across the stories of a briefing ("Tory" -> "John Tory").

Apart from attribution so the pipeline can unify speakers of cached stories without importing
the attribution patterns (the slowest import of all).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from briefing.model import Gender, Segment, SegmentKind
from briefing.script import names


def _canonical_map(speakers: set[str]) -> dict[str, str]:
    """Map each short name to the one fuller name sharing its surname and given name."""
    mapping: dict[str, str] = {}
    for name in speakers:
        tokens = names.split_tokens(name)
        if not tokens or name[:1].islower():
            continue
        fuller = [
            other
            for other in speakers
            if other != name
            and names.surname(other) == names.surname(name)
            and len(names.split_tokens(other)) > len(tokens)
            and (len(tokens) == 1 or names.split_tokens(other)[0] == tokens[0])
        ]
        if len({*fuller}) == 1 or (fuller and len(tokens) == 1):
            mapping[name] = max(fuller, key=lambda n: (len(names.split_tokens(n)), n))
    return mapping


def unify_speakers(stories: Sequence[tuple[Segment, ...]]) -> list[tuple[Segment, ...]]:
    """Give one canonical name per person across all stories of a briefing."""
    speakers = {s.speaker for story in stories for s in story if s.speaker}
    mapping = _canonical_map(speakers)
    genders: dict[str, Gender] = {}
    for story in stories:
        for seg in story:
            if seg.speaker and seg.gender is not Gender.UNKNOWN:
                genders.setdefault(mapping.get(seg.speaker, seg.speaker), seg.gender)
    result: list[tuple[Segment, ...]] = []
    for story in stories:
        out = []
        for seg in story:
            if seg.kind is SegmentKind.QUOTE and seg.speaker:
                name = mapping.get(seg.speaker, seg.speaker)
                out.append(replace(seg, speaker=name, gender=genders.get(name, seg.gender)))
            else:
                out.append(seg)
        result.append(tuple(out))
    return result
