"""The briefing as a document to read along: stories, paragraphs, quotes and timed sentences.

The web page (`page.py`) and the EPUB (`epub.py`) both show this. It is built from the render's
plan (each line knows its story and segment) and its cues (each line's time in the file, in the
same order), so the text's times are the transcripts' times exactly: no alignment is guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from briefing.model import Chapter, Cue, SegmentKind, Story
from briefing.output.timeline import Line, PlanItem

NARRATOR_VOICE = 0
"""The narrator's voice number; speakers' voices are numbered from 1 in order of appearance."""


@dataclass(frozen=True)
class Sentence:
    """One line of the briefing as spoken: its id in the documents and its time in the audio."""

    id: str
    start: float
    end: float
    text: str


@dataclass(frozen=True)
class Run:
    """Consecutive sentences of one segment: narration (speaker None) or one quote."""

    sentences: tuple[Sentence, ...]
    speaker: str | None
    voice: int


@dataclass(frozen=True)
class Block:
    """A paragraph as in the article (a blockquote if the source set it apart)."""

    runs: tuple[Run, ...]
    blockquote: bool = False
    frame: bool = False
    """Said by the briefing itself (intro, transition, outro), not the article's text."""


@dataclass(frozen=True)
class StoryText:
    """A story: its heading's sentences and its paragraphs, with its chapter's times."""

    number: int
    title: str
    heading: tuple[Sentence, ...]
    blocks: tuple[Block, ...]
    start: float
    end: float


@dataclass(frozen=True)
class ReadAlong:
    """The whole briefing: the spoken intro, the stories (a transition in the story before it),
    the spoken outro, and how many voices it has."""

    title: str
    intro: tuple[Block, ...]
    stories: tuple[StoryText, ...]
    outro: tuple[Block, ...]
    duration: float
    voices: int

    def sentences(self) -> list[Sentence]:
        """Every sentence in reading order (which is also time order)."""
        out: list[Sentence] = [s for block in self.intro for s in _block_sentences(block)]
        for story in self.stories:
            out += story.heading
            out += [s for block in story.blocks for s in _block_sentences(block)]
        out += [s for block in self.outro for s in _block_sentences(block)]
        return out


def _block_sentences(block: Block) -> list[Sentence]:
    return [s for run in block.runs for s in run.sentences]


@dataclass
class _RunBuild:
    segment: int
    speaker: str | None
    voice: int
    sentences: list[Sentence]


@dataclass
class _BlockBuild:
    paragraph: int
    blockquote: bool
    runs: list[_RunBuild]
    frame: bool = False


@dataclass
class _Building:
    """One story's text as its lines arrive: the heading, then paragraphs in article order."""

    heading: list[Sentence]
    blocks: list[_BlockBuild]


def build_readalong(
    title: str,
    stories: Sequence[Story],
    plan: Sequence[PlanItem],
    cues: Sequence[Cue],
    chapters: Sequence[Chapter],
) -> ReadAlong:
    """Pair the plan's lines with the cues (one each, in order) and group them as the article."""
    lines = [item for item in plan if isinstance(item, Line)]
    if len(lines) != len(cues):
        raise ValueError(f"{len(lines)} lines but {len(cues)} cues: not the same render")
    voices: dict[str, int] = {}
    built: list[_Building] = [_Building([], []) for _ in stories]
    intro: list[Run] = []
    frame: list[Run] = []  # narrator lines outside a story: a transition or the outro
    seen_story = -1
    for number, (line, cue) in enumerate(zip(lines, cues, strict=True), start=1):
        sentence = Sentence(f"s{number}", cue.start, cue.end, cue.text)
        if line.story < 0 or line.segment < 0:
            (frame if seen_story >= 0 else intro).append(Run((sentence,), None, NARRATOR_VOICE))
            continue
        if frame and seen_story >= 0:
            built[seen_story].blocks.append(_frame_block(frame))
            frame = []
        seen_story = line.story
        segment = stories[line.story].segments[line.segment]
        if segment.kind is SegmentKind.HEADLINE:
            built[line.story].heading.append(sentence)
            continue
        voice = (
            NARRATOR_VOICE
            if segment.kind is not SegmentKind.QUOTE
            else voices.setdefault(line.utterance.voice.id, len(voices) + 1)
        )
        paragraphs = stories[line.story].article.paragraphs
        quoted = (
            0 <= segment.paragraph < len(paragraphs) and paragraphs[segment.paragraph].blockquote
        )
        _place(built[line.story], segment.paragraph, quoted, line.segment, sentence,
               line.speaker, voice)  # fmt: skip
    return ReadAlong(
        title=title,
        intro=(Block(tuple(intro), frame=True),) if intro else (),
        stories=tuple(
            _story_text(i, story, b, chapters)
            for i, (story, b) in enumerate(zip(stories, built, strict=True))
        ),
        outro=(Block(tuple(frame), frame=True),) if frame else (),
        duration=cues[-1].end if cues else 0.0,
        voices=len(voices) + 1,
    )


def _place(
    story: _Building,
    paragraph: int,
    blockquote: bool,
    segment: int,
    sentence: Sentence,
    speaker: str | None,
    voice: int,
) -> None:
    """Add the sentence to its paragraph, in its segment's run (two quotes in a row by the same
    speaker stay two runs)."""
    if not story.blocks or story.blocks[-1].paragraph != paragraph:
        story.blocks.append(_BlockBuild(paragraph, blockquote, []))
    runs = story.blocks[-1].runs
    if runs and runs[-1].segment == segment:
        runs[-1].sentences.append(sentence)
    else:
        runs.append(_RunBuild(segment, speaker, voice, [sentence]))


def _frame_block(runs: list[Run]) -> _BlockBuild:
    """A transition spoken after a story, kept at the story's end as a narrator paragraph."""
    sentences = [s for run in runs for s in run.sentences]
    return _BlockBuild(-2, False, [_RunBuild(-1, None, NARRATOR_VOICE, sentences)], frame=True)


def _story_text(
    index: int, story: Story, built: _Building, chapters: Sequence[Chapter]
) -> StoryText:
    chapter = chapters[index] if index < len(chapters) else None
    blocks = tuple(
        Block(
            tuple(Run(tuple(r.sentences), r.speaker, r.voice) for r in b.runs),
            b.blockquote,
            b.frame,
        )
        for b in built.blocks
    )
    sentences = [*built.heading, *(s for block in blocks for s in _block_sentences(block))]
    start = chapter.start if chapter else (sentences[0].start if sentences else 0.0)
    end = chapter.end if chapter else (sentences[-1].end if sentences else start)
    return StoryText(
        number=index + 1,
        title=story.article.title,
        heading=tuple(built.heading),
        blocks=blocks,
        start=start,
        end=end,
    )
