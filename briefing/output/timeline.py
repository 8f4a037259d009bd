"""Plan what the briefing says and in what order: intro, stories, transitions, outro, pauses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from briefing.cast.assign import reader
from briefing.cast.config import Pauses
from briefing.model import Cast, ChapterStart, Chime, Pause, Segment, SegmentKind, Story, Utterance
from briefing.script.lexicon import Lexicon
from briefing.script.normalize import to_spoken
from briefing.script.sentences import split_sentences

UNATTRIBUTED_LABEL = "Unidentified speaker"
"""How transcripts name the speaker of a quote whose speaker the article does not give."""


class Transition(StrEnum):
    """What marks the move from one story to the next."""

    CHIME = "chime"
    SPOKEN = "spoken"
    NONE = "none"


@dataclass(frozen=True)
class Structure:
    """The briefing's frame around the stories."""

    title: str = "News Briefing"
    date: dt.date | None = None
    intro: bool = True
    intro_text: str | None = None
    outro: bool = True
    transition: Transition = Transition.CHIME


@dataclass(frozen=True)
class Line:
    """Something to say: the utterance for the engine and what the transcript shows for it."""

    utterance: Utterance
    text: str
    speaker: str | None
    story: int
    label: str
    segment: int = -1
    """Index of the segment in its story (-1 for intro, transitions and outro): lets the
    read-along page and EPUB place each sentence in its paragraph and quote."""


PlanItem = Line | Pause | Chime | ChapterStart


def plan_briefing(
    stories: Sequence[Story],
    cast: Cast,
    pauses: Pauses,
    structure: Structure,
    rate: int,
    lexicon: Lexicon | None = None,
) -> list[PlanItem]:
    """Lay out the whole briefing as lines, pauses, chimes and chapter marks."""
    plan: list[PlanItem] = []

    def say(text: str, story: int, label: str) -> None:
        utterance = Utterance(cast.narrator, rate, to_spoken(text, lexicon))
        plan.append(Line(utterance, text, None, story, label))

    for index, story in enumerate(stories):
        if index == 0:
            # The first chapter starts at 0 so that the intro belongs to it: players expect
            # chapters to cover the file from its first second.
            plan.append(ChapterStart(story.article.title))
            if structure.intro:
                say(intro_text(structure, len(stories)), -1, "intro")
                plan.append(Pause(pauses.story))
        else:
            plan.extend(_transition(structure.transition, pauses, cast, rate))
            plan.append(ChapterStart(story.article.title))
        plan.extend(_story_items(story, index, cast, pauses, rate, lexicon))
    if structure.outro and stories:
        plan.append(Pause(pauses.story))
        say(f"That was {structure.title}. Thanks for listening.", -1, "outro")
    return plan


def intro_text(structure: Structure, story_count: int) -> str:
    """The spoken intro: title, date and number of stories, unless the user gave their own."""
    if structure.intro_text is not None:
        return structure.intro_text
    when = structure.date or dt.date.today()
    stories = "1 story" if story_count == 1 else f"{story_count} stories"
    return f"{structure.title}, {when:%A}, {when:%B} {when.day}, {when.year}. {stories}."


def _transition(kind: Transition, pauses: Pauses, cast: Cast, rate: int) -> list[PlanItem]:
    half = Pause(pauses.story // 2)
    if kind is Transition.CHIME:
        return [half, Chime(), half]
    if kind is Transition.SPOKEN:
        words = "Next story."
        line = Line(Utterance(cast.narrator, rate, words), words, None, -1, "transition")
        return [half, line, half]
    return [Pause(pauses.story)]


def _story_items(
    story: Story, index: int, cast: Cast, pauses: Pauses, rate: int, lexicon: Lexicon | None
) -> list[PlanItem]:
    items: list[PlanItem] = []
    previous: Segment | None = None
    for number, segment in enumerate(story.segments, start=1):
        if previous is not None:
            items.append(Pause(_gap(previous, segment, cast, pauses)))
        voice = reader(cast, segment)
        speaker = _speaker_label(segment)
        label = f"story {index + 1} ({story.article.source}), segment {number}"
        for piece_number, (piece, spoken) in enumerate(_sentences(segment, lexicon)):
            if piece_number:
                items.append(Pause(pauses.sentence))
            utterance = Utterance(voice, rate, spoken)
            items.append(Line(utterance, piece, speaker, index, label, number - 1))
        previous = segment
    return items


def _sentences(segment: Segment, lexicon: Lexicon | None) -> list[tuple[str, str]]:
    """The segment's sentences with the spoken form of each; one piece, said as written, when
    its spoken form was edited in a script file (neither the text itself, a script file's
    default, nor what the text normalizes to)."""
    pieces = split_sentences(segment.text)
    spoken = [to_spoken(piece, lexicon) for piece in pieces]
    edited = (
        segment.spoken != " ".join(spoken)
        and segment.spoken != segment.text
        and segment.spoken != to_spoken(segment.text, lexicon)  # sentences normalized apart
    )
    if edited:
        return [(segment.text, segment.spoken)]
    return list(zip(pieces, spoken, strict=True))


def _gap(previous: Segment, segment: Segment, cast: Cast, pauses: Pauses) -> int:
    if previous.kind is SegmentKind.HEADLINE:
        return pauses.headline
    if previous.paragraph != segment.paragraph:
        return pauses.paragraph
    if reader(cast, previous) != reader(cast, segment):
        return pauses.quote
    return pauses.sentence


def _speaker_label(segment: Segment) -> str | None:
    if segment.kind is not SegmentKind.QUOTE:
        return None
    return segment.speaker or UNATTRIBUTED_LABEL
