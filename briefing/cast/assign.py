"""Voices for speakers, deterministic and distinct; the script with its cast."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from briefing.cast.config import CastConfig
from briefing.errors import ConfigError
from briefing.model import Cast, Gender, Segment, SegmentKind, Story, Voice
from briefing.script.lexicon import Lexicon
from briefing.script.policy import NARRATOR_BELOW


@dataclass(frozen=True)
class Script:
    """The dry run: stories with their segments, and who reads what."""

    stories: tuple[Story, ...]
    cast: Cast
    config: CastConfig
    lexicon: Lexicon


def uncertain(segment: Segment, below: float = NARRATOR_BELOW) -> bool:
    """Whether a quote's speaker is too uncertain to voice: its confidence is under `below`."""
    attribution = segment.attribution
    return (
        segment.kind is SegmentKind.QUOTE
        and segment.speaker is not None
        and attribution is not None
        and attribution.confidence < below
    )


def reader(cast: Cast, segment: Segment, below: float = NARRATOR_BELOW) -> Voice:
    """The voice that reads a segment: the narrator reads a quote whose speaker is uncertain,
    since a neutral voice is better than a wrong one."""
    return cast.narrator if uncertain(segment, below) else cast.voice_for(segment)


def assign_voices(config: CastConfig, speakers: Sequence[tuple[str, Gender]]) -> Cast:
    """Give each speaker (in order of first appearance) a voice: pins first, then the pool.

    A speaker's preferred pool voice comes from a hash of their name, so the same person tends to
    get the same voice in every briefing; if it is taken, the next free voice of a matching gender
    is used. Only when the pool is exhausted are voices shared.
    """
    assigned: dict[str, Voice] = {}
    taken: set[str] = {config.narrator.id, config.unattributed.id}
    taken.update(voice.id for voice in config.pins.values())
    pool = [voice for voice in config.pool if voice.id != config.narrator.id]
    for name, gender in speakers:
        if name in assigned:
            continue
        pinned = config.pins.get(name)
        if pinned is not None:
            assigned[name] = pinned
            continue
        voice = _pick(pool, taken, name, gender)
        taken.add(voice.id)
        assigned[name] = voice
    return Cast(narrator=config.narrator, unattributed=config.unattributed, speakers=assigned)


def _pick(pool: list[Voice], taken: set[str], name: str, gender: Gender) -> Voice:
    if not pool:
        raise ConfigError("cast: the [pool] has no voice other than the narrator's")
    start = int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "big") % len(pool)
    order = pool[start:] + pool[:start]
    free = [voice for voice in order if voice.id not in taken]
    if gender is not Gender.UNKNOWN:
        matching = [voice for voice in free if voice.gender in (gender, Gender.UNKNOWN)]
        if matching:
            return matching[0]
        # Pool exhausted for this gender: share a voice of the right gender before a wrong one.
        same_gender = [voice for voice in order if voice.gender is gender]
        if same_gender and not free:
            return same_gender[0]
    return free[0] if free else order[0]
