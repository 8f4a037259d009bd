"""The JSON contract of `briefing script --format json` read back: a script a producer edited.

Every segment's `voice` is what it is read with, so a render reads exactly the segments,
speakers and voices of the file. A speaker's quotes share one voice, as do the narrator's
segments and the unattributed quotes (a cast maps each to one voice); the `cast` block, when
kept, must agree with the segments. Any problem is one error naming its JSON path:
`stories[0].segments[3].voice: unknown voice 'x'`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from briefing.cast.assign import Script
from briefing.cast.config import CastConfig
from briefing.errors import InputError
from briefing.model import (
    Article,
    Attribution,
    AttributionMethod,
    Cast,
    Gender,
    Paragraph,
    Removal,
    Segment,
    SegmentKind,
    Story,
    Voice,
)
from briefing.script.lexicon import Lexicon

NARRATOR = "the narrator"
UNATTRIBUTED = "unattributed quotes"


class _Reader:
    """Walks the document, remembering where each reader's voice was first set."""

    def __init__(self, source: str, config: CastConfig, exists: Callable[[str], bool]) -> None:
        self.source = source
        self.config = config
        self.exists = exists
        self.voices: dict[str, tuple[str, str]] = {}  # who -> (voice id, path that set it)

    def fail(self, path: str, problem: str) -> InputError:
        return InputError(f"{self.source}: {path}: {problem}")

    def field(self, table: dict[str, Any], key: str, path: str, kind: type | tuple[type, ...],
              *, null: bool = False, default: Any = ...) -> Any:  # fmt: skip
        if key not in table:
            if default is ...:
                raise self.fail(f"{path}.{key}", "missing")
            return default
        value = table[key]
        if value is None and null:
            return None
        if not isinstance(value, kind) or isinstance(value, bool):
            want = (kind.__name__ if isinstance(kind, type) else "number") + " or null" * null
            raise self.fail(f"{path}.{key}", f"expected {want}, got {_json_type(value)}")
        return value

    def story(self, table: Any, path: str) -> Story:
        if not isinstance(table, dict):
            raise self.fail(path, f"expected an object, got {_json_type(table)}")
        segments_list = self.field(table, "segments", path, list)
        if not segments_list:
            raise self.fail(f"{path}.segments", "empty: a story needs a segment")
        segments = tuple(
            self.segment(s, f"{path}.segments[{i}]") for i, s in enumerate(segments_list)
        )
        removed = tuple(
            self.removal(r, f"{path}.removed[{i}]")
            for i, r in enumerate(self.field(table, "removed", path, list, default=[]))
        )
        paragraphs = sorted({s.paragraph for s in segments if s.paragraph >= 0})
        article = Article(
            title=self.field(table, "title", path, str),
            paragraphs=tuple(
                Paragraph(" ".join(s.text for s in segments if s.paragraph == p))
                for p in paragraphs
            ),
            source=self.field(table, "source", path, str, default=""),
            byline=self.field(table, "byline", path, str, null=True, default=None),
            removed=removed,
        )
        return Story(article, segments)

    def removal(self, table: Any, path: str) -> Removal:
        if not isinstance(table, dict):
            raise self.fail(path, f"expected an object, got {_json_type(table)}")
        return Removal(self.field(table, "text", path, str), self.field(table, "reason", path, str))

    def segment(self, table: Any, path: str) -> Segment:
        if not isinstance(table, dict):
            raise self.fail(path, f"expected an object, got {_json_type(table)}")
        kinds = [k.value for k in SegmentKind]
        kind_name = self.field(table, "kind", path, str)
        if kind_name not in kinds:
            raise self.fail(f"{path}.kind", f"unknown kind {kind_name!r} (one of {kinds})")
        kind = SegmentKind(kind_name)
        text = self.field(table, "text", path, str)
        spoken = self.field(table, "spoken", path, str, default=text)
        if not spoken.strip():
            raise self.fail(f"{path}.spoken", "empty: delete the segment instead")
        speaker = self.field(table, "speaker", path, str, null=True, default=None)
        if speaker is not None and kind is not SegmentKind.QUOTE:
            raise self.fail(f"{path}.speaker", f"a {kind.value} has no speaker (make it a quote)")
        paragraph = self.field(table, "paragraph", path, int)
        if paragraph < -1:
            raise self.fail(f"{path}.paragraph", f"{paragraph} is below -1 (the headline)")
        voice = self.field(table, "voice", path, str)
        if not self.exists(voice):
            raise self.fail(f"{path}.voice", f"unknown voice {voice!r}")
        who = NARRATOR if kind is not SegmentKind.QUOTE else speaker or UNATTRIBUTED
        self.claim(who, voice, f"{path}.voice")
        if kind is not SegmentKind.QUOTE:
            return Segment(kind, text, spoken, paragraph)
        genders = [g.value for g in Gender]
        gender = self.field(table, "gender", path, str, default="unknown")
        if gender not in genders:
            raise self.fail(f"{path}.gender", f"unknown gender {gender!r} (one of {genders})")
        return Segment(kind, text, spoken, paragraph, speaker, Gender(gender),
                       self.attribution(table, path))  # fmt: skip

    def attribution(self, table: dict[str, Any], path: str) -> Attribution | None:
        found = self.field(table, "attribution", path, dict, null=True, default=None)
        if found is None:
            return None
        methods = [m.value for m in AttributionMethod]
        method = self.field(found, "method", f"{path}.attribution", str, default="none")
        if method not in methods:
            raise self.fail(f"{path}.attribution.method", f"unknown method {method!r}")
        confidence = self.field(found, "confidence", f"{path}.attribution", (int, float),
                                default=0.0)  # fmt: skip
        return Attribution(AttributionMethod(method), float(confidence))

    def claim(self, who: str, voice: str, path: str) -> None:
        """`who` reads with `voice`: the same voice as wherever else `who` reads."""
        first = self.voices.setdefault(who, (voice, path))
        if first[0] != voice:
            raise self.fail(path, f"{voice!r}, but {who} reads with {first[0]!r} at {first[1]} "
                                  "(one voice per speaker: edit every segment)")  # fmt: skip

    def voice(self, voice_id: str) -> Voice:
        """The cast file's voice with this id (its rate, pitch, gender), else a plain one."""
        config = self.config
        for known in (config.narrator, config.unattributed, *config.pool, *config.pins.values()):
            if known.id == voice_id:
                return known
        return Voice(voice_id)

    def check_cast(self, table: Any) -> None:
        """The `cast` block, if kept, must say what the segments say."""
        if table is None:
            return
        if not isinstance(table, dict):
            raise self.fail("cast", f"expected an object, got {_json_type(table)}")
        named = {"narrator": NARRATOR, "unattributed": UNATTRIBUTED}
        pairs = [(f"cast.{k}", named[k], v) for k, v in table.items() if k in named]
        speakers = table.get("speakers") or {}
        if not isinstance(speakers, dict):
            raise self.fail("cast.speakers", f"expected an object, got {_json_type(speakers)}")
        pairs += [(f"cast.speakers.{name}", name, v) for name, v in speakers.items()]
        for path, who, voice in pairs:
            said = self.voices.get(who)
            if said is not None and said[0] != voice:
                raise self.fail(path, f"{voice!r}, but {said[1]} reads with {said[0]!r} (the "
                                      "segments' voices are rendered: edit them too, or drop "
                                      "the cast block)")  # fmt: skip


def read_script_json(
    text: str, source: str, config: CastConfig, lexicon: Lexicon, exists: Callable[[str], bool]
) -> Script:
    """The script a `script --format json` document describes, checked; InputError if not."""
    reader = _Reader(source, config, exists)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"{source}: not JSON (line {e.lineno}, column {e.colno}: {e.msg})") from e
    if not isinstance(document, dict):
        raise reader.fail("$", f"expected an object, got {_json_type(document)}")
    stories_list = reader.field(document, "stories", "$", list)
    if not stories_list:
        raise reader.fail("stories", "empty: nothing to render")
    stories = tuple(reader.story(s, f"stories[{i}]") for i, s in enumerate(stories_list))
    reader.check_cast(document.get("cast"))
    said = {who: reader.voice(voice) for who, (voice, _) in reader.voices.items()}
    cast = Cast(
        narrator=said.pop(NARRATOR, config.narrator),
        unattributed=said.pop(UNATTRIBUTED, config.unattributed),
        speakers=said,
    )
    return Script(stories, cast, config, lexicon)


def _json_type(value: object) -> str:
    """The JSON name of a parsed value's type."""
    names = {dict: "an object", list: "an array", str: "a string", bool: "true/false"}
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    return names.get(type(value), type(value).__name__)
