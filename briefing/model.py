"""Frozen values passed between the pipeline's stages (ingest → segment → cast → synth → stitch)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class SegmentKind(StrEnum):
    """What a segment is: read by the narrator (headline, narration) or by a speaker (quote)."""

    HEADLINE = "headline"
    NARRATION = "narration"
    QUOTE = "quote"


class Gender(StrEnum):
    """A speaker's or voice's gender, as far as the text or the voice tells."""

    MALE = "male"
    FEMALE = "female"
    UNKNOWN = "unknown"


class AttributionMethod(StrEnum):
    """How a quote's speaker was found."""

    EXPLICIT = "explicit"
    PRONOUN = "pronoun"
    NOMINAL = "nominal"
    FOLLOW_ON = "follow-on"
    BLOCK = "block"
    NONE = "none"


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of an article; `blockquote` marks text the source set apart as a quote."""

    text: str
    blockquote: bool = False


@dataclass(frozen=True)
class Removal:
    """A line the cleanup removed from an article, and why (shown by `briefing script`)."""

    text: str
    reason: str


@dataclass(frozen=True)
class Article:
    """An article as ingested: headline, body paragraphs and what cleanup took out."""

    title: str
    paragraphs: tuple[Paragraph, ...]
    source: str
    byline: str | None = None
    removed: tuple[Removal, ...] = ()


@dataclass(frozen=True)
class Attribution:
    """How a quote's speaker was found and how sure the attribution is (0..1)."""

    method: AttributionMethod
    confidence: float


@dataclass(frozen=True)
class Segment:
    """A run of the article read by one voice.

    `text` is the article's own words (for quotes, without the quote marks); `spoken` is what
    the engine is given. `paragraph` is the index of the body paragraph it comes from (-1 for
    the headline), so the stitcher knows where paragraph pauses go.
    """

    kind: SegmentKind
    text: str
    spoken: str
    paragraph: int
    speaker: str | None = None
    gender: Gender = Gender.UNKNOWN
    attribution: Attribution | None = None


@dataclass(frozen=True)
class Story:
    """One article turned into segments."""

    article: Article
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class Voice:
    """A voice as the engine is asked for it: an engine voice id plus per-voice settings.

    Static settings of the voice live here; per-render settings (the global rate) are applied
    by the synth stage.
    """

    id: str
    """Engine voice id, optionally with an eSpeak variant: `gmw/en-us+f3`."""
    gender: Gender = Gender.UNKNOWN
    """Gender the voice sounds like; used to match speakers' genders."""
    rate: int | None = None
    """Words per minute for this voice; None means the render's rate."""
    pitch: int | None = None
    """eSpeak pitch 0-99; None keeps the engine's default."""
    volume: float = 1.0
    """Engine volume 0.0-1.0 before loudness normalisation."""


@dataclass(frozen=True)
class Cast:
    """Who reads what: the narrator, the voice for unattributed quotes, and each speaker's voice."""

    narrator: Voice
    unattributed: Voice
    speakers: dict[str, Voice] = field(default_factory=dict)

    def voice_for(self, segment: Segment) -> Voice:
        """The voice that reads `segment`."""
        if segment.kind is not SegmentKind.QUOTE:
            return self.narrator
        if segment.speaker is None:
            return self.unattributed
        return self.speakers.get(segment.speaker, self.unattributed)


@dataclass(frozen=True)
class Utterance:
    """One call to the engine: a voice, a rate and the text to speak."""

    voice: Voice
    rate: int
    text: str

    @property
    def effective_rate(self) -> int:
        """The words per minute it is rendered at: the voice's own rate wins."""
        return self.voice.rate or self.rate


@dataclass(frozen=True)
class Clip:
    """Verified PCM audio for one utterance: mono, signed 16-bit little-endian."""

    pcm: bytes
    sample_rate: int

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return len(self.pcm) / 2 / self.sample_rate


@dataclass(frozen=True)
class SpokenItem:
    """A synthesized clip placed on the briefing's timeline, with what the transcript shows.

    `text` is the article's own words for this clip (one sentence or chunk of a segment);
    `speaker` is None for the narrator; `voice_id` groups clips for per-voice levelling;
    `story` is the 0-based story index, -1 for intro and outro.
    """

    clip: Clip
    text: str
    speaker: str | None
    voice_id: str
    story: int


@dataclass(frozen=True)
class Pause:
    """Silence on the timeline."""

    ms: int


@dataclass(frozen=True)
class Chime:
    """A short generated tone marking the move to the next story."""

    ms: int = 600


@dataclass(frozen=True)
class ChapterStart:
    """The audio that follows starts a chapter with this title."""

    title: str


TimelineItem = SpokenItem | Pause | Chime | ChapterStart


@dataclass(frozen=True)
class Cue:
    """A timed line of the transcript (seconds from the start of the briefing)."""

    start: float
    end: float
    text: str
    speaker: str | None
    story: int


@dataclass(frozen=True)
class Chapter:
    """A chapter of the briefing (seconds from the start)."""

    title: str
    start: float
    end: float


@dataclass(frozen=True)
class Briefing:
    """Finished audio (mono signed 16-bit PCM) with its cues and chapters."""

    pcm: bytes
    sample_rate: int
    cues: tuple[Cue, ...]
    chapters: tuple[Chapter, ...]

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return len(self.pcm) / 2 / self.sample_rate


@dataclass(frozen=True)
class Cover:
    """Cover art, checked (`briefing.audio.cover`): the image file's bytes and MIME type."""

    data: bytes
    mime: str
    """image/png or image/jpeg."""
    width: int
    height: int


@dataclass(frozen=True)
class Tags:
    """Metadata written into the output file."""

    title: str
    artist: str | None = None
    album: str | None = None
    date: str | None = None
    genre: str = "Podcast"
    comment: str | None = None
    cover: Cover | None = None
    """Embedded as APIC (MP3, WAV) or covr (M4A); not in `present()`, which is text only."""

    def present(self) -> dict[str, str]:
        """The tags that have a value, by their common name (title, artist, ... comment)."""
        named = {
            "title": self.title,
            "artist": self.artist,
            "album": self.album,
            "date": self.date,
            "genre": self.genre,
            "comment": self.comment,
        }
        return {name: value for name, value in named.items() if value}
