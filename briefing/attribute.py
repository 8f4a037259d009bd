"""Find who said a quote: attribution patterns around it, then names, pronouns and roles."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from briefing import names
from briefing.coref import MEDIA_HEADS, ORG_HEADS, Entity, Registry
from briefing.model import Attribution, AttributionMethod, Gender, Segment, SegmentKind
from briefing.speech_verbs import VERB_PATTERN, has_speech_verb

PERSON_HEADS = names.OCCUPATIONS
)
_HEADS = sorted(PERSON_HEADS | ORG_HEADS | MEDIA_HEADS, key=len, reverse=True)
_HEAD = (
    "(?:" + "|".join(_HEADS) + r")(?:s|es)?|companies|agencies|authorities|spokespeople"
    r"|\d+-year-old"
)
_PRON = r"(?P<pron>[Hh]e|[Ss]he|[Tt]hey)(?![\w’'-])"
_NOM = (
    rf"(?P<nom>(?:[Tt]he|[Aa]n?|[Oo]ne|[Aa]nother|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir)\s+"
    rf"(?:[\w’'.-]+\s+){{0,3}}?(?P<head>{_HEAD})(?![\w-])"
    rf"(?:\s+(?:for|at|of|with)\s+(?:the\s+)?(?P<org>{names.NAME_PATTERN}))?)"
)
_ROLE_WORDS = sorted(
    {w for w in names.TITLES | PERSON_HEADS if w.isalpha() and w.islower()}
    | {"press", "lead", "senior", "junior", "team", "club", "party", "campaign", "research"},
    key=len,
    reverse=True,
)
# Lower-case roles before a name: "press secretary Karine Jean-Pierre", "lead author Dr. X".
_ROLE = "(?:" + "|".join(_ROLE_WORDS) + ")"
# Lower-case words ending in a role: "fire service spokesman", "press secretary".
_ROLE_PREFIX = rf"(?:(?:[a-z][\w’'-]*\s+){{0,3}}?{_ROLE}\s+(?:{_ROLE}\s+){{0,2}})?"
_NAME = rf"{_ROLE_PREFIX}(?P<name>{names.NAME_PATTERN})"
_SUBJ = rf"(?:{_PRON}|{_NOM}|{_NAME})"
_ADV = (
    r"(?:\w+ly|also|later|then|previously|had|has|have|would|will|was|were|is|are|once|further|"
    r"again|earlier|simply|just|even|had\s+earlier|has\s+since|later\s+on)"
)
_APPOS = r"(?:\s*,(?P<appos>[^,“”\"]{1,160}),)?(?:\s*,[^,“”\"]{1,160},){0,2}"
_VERB = rf"(?P<verb>{VERB_PATTERN})"
TAIL_SUBJ_VERB = re.compile(rf"(?:{_SUBJ}){_APPOS}\s+(?:{_ADV}\s+){{0,2}}{_VERB}")
TAIL_VERB_SUBJ = re.compile(
    rf"(?:{_ADV}\s+){{0,2}}{_VERB}\s+(?:{_ADV}\s+)?{_SUBJ}"
    rf"(?:\s*,\s*(?P<appos>{names.NAME_PATTERN})(?=\s*[,.;]|\s*$))?"
)
# "X declined to comment, saying only that" / "X did Y but said": subject and verb apart.
LEAD_SUBJECT = re.compile(rf"^(?:[^,“”\"]{{1,60}},\s+)?{_SUBJ}(?P<appos>)")
_SPOKESPERSON = frozenset({"spokesperson", "spokesman", "spokeswoman", "representative"})
_BARE_NAME = re.compile(rf"\s*(?:{names.NAME_PATTERN})\s*")
ACCORDING = re.compile(rf"(?<![\w-])according\s+to\s+{_SUBJ}(?P<appos>)")
LEAD_SUBJ_VERB = re.compile(rf"(?<![\w’'-]){_SUBJ}{_APPOS}\s+(?:{_ADV}\s+){{0,2}}{_VERB}")
_ABBREV = names.ABBREVIATIONS
_SENT_END = re.compile(r"[.!?…][”\"’']?\s+")
WINDOW = 400


@dataclass(frozen=True)
class Cue:
    """An attribution found in the text: who (as written) and where."""

    pron: str | None
    nom: str | None
    head: str | None
    org: str | None
    name: str | None


def _cue(match: re.Match[str] | None) -> Cue | None:
    if match is None:
        return None
    name = match.group("name")
    appos = match.group("appos")
    if match.group("nom") and appos and _BARE_NAME.fullmatch(appos):
        # "the union's rail secretary, Thierry Nier, told reporters": the name is the speaker.
        return Cue(None, None, None, None, names.clean_mention(appos.strip()) or None)
    nom, head = match.group("nom"), match.group("head")
    if nom and head and head.lower().rstrip("s") in _SPOKESPERSON and not match.group("org"):
        # "a CBI spokesman", "a Google spokeswoman": the organisation is the speaker.
        modifier = [w for w in nom.split()[1:-1] if w[:1].isupper()]
        if modifier:
            return Cue(None, None, None, " ".join(modifier), None)
    if name is not None:
        cleaned = names.clean_mention(name)
        if not cleaned:
            return None
        name = cleaned
    return Cue(match.group("pron"), match.group("nom"), match.group("head"), match.group("org"), name)


def last_sentence(text: str) -> str:
    """The last sentence of `text`, not split at abbreviations such as Gen. or U.S."""
    start = 0
    for match in _SENT_END.finditer(text):
        word = text[: match.start()].rsplit(None, 1)[-1:] or [""]
        if match.group()[0] == "." and word[0].lower().strip("(“\"") in _ABBREV:
            continue
        if match.group()[0] == "." and len(word[0]) == 1 and word[0].isupper():
            continue
        start = match.end()
    return text[start:]


def first_sentence(text: str) -> str:
    """Text up to the first sentence end (kept short, for tail patterns)."""
    for match in _SENT_END.finditer(text):
        word = text[: match.start()].rsplit(None, 1)[-1:] or [""]
        if match.group()[0] == "." and word[0].lower() in _ABBREV:
            continue
        return text[: match.end()]
    return text


def tail_cue(tail: str) -> Cue | None:
    """Attribution right after a quote: `, he said`, `said Mayor John Tory`, `according to X`."""
    tail = first_sentence(tail[:WINDOW]).lstrip(" ,—–-\u00a0")
    for pattern in (TAIL_SUBJ_VERB, TAIL_VERB_SUBJ, ACCORDING):
        found = _cue(pattern.match(tail))
        if found is not None:
            return found
    return None


def lead_cue(lead: str) -> Cue | None:
    """Attribution in the sentence leading into a quote: `X said:` or `X told reporters that`."""
    sentence = last_sentence(lead[-WINDOW:])
    found = None
    for match in LEAD_SUBJ_VERB.finditer(sentence):
        cue = _cue(match)
        if cue is not None:
            found = cue
    if found is None:
        found = _cue(ACCORDING.search(sentence))
    if found is None and has_speech_verb(sentence):
        found = _cue(LEAD_SUBJECT.match(sentence.lstrip()))
    return found


def any_cue(lead: str) -> Cue | None:
    """The last attribution anywhere in narration before a quote (for unattributed quotes)."""
    found = None
    for match in LEAD_SUBJ_VERB.finditer(lead[-WINDOW:]):
        cue = _cue(match)
        if cue is not None:
            found = cue
    return found


def _singular(head: str) -> str:
    """Singular of a role noun (companies -> company, officials -> official)."""
    if head.endswith("year-old"):
        return "year-old"
    if head in _HEADS:
        return head
    if head.endswith("ies") and head[:-3] + "y" in _HEADS:
        return head[:-3] + "y"
    if head == "spokespeople":
        return "spokesperson"
    for cut in ("es", "s"):
        if head.endswith(cut) and head[: -len(cut)] in _HEADS:
            return head[: -len(cut)]
    return head


@dataclass
class Attributor:
    """Resolves cues to canonical speakers for one article, remembering the last speaker."""

    registry: Registry
    last: Entity | None = None
    last_phrase: str | None = None
    last_end: int = 0

    def resolve(self, cue: Cue, pos: int, method: AttributionMethod) -> tuple[Entity | None, str]:
        """Entity (or None) and a fallback speaker phrase for a cue at global `pos`."""
        if cue.name is not None:
            if cue.name.lower() in names.STOPWORDS:
                return None, ""
            _, _, entity = self.registry.resolve_name(cue.name, pos)
            return entity, ""
        if cue.pron is not None:
            return self.registry.resolve_pronoun(cue.pron, pos, self.last_end, self.last), ""
        if cue.org is not None:
            _, _, entity = self.registry.resolve_name(cue.org, pos)
            return entity, ""
        assert cue.nom is not None and cue.head is not None
        head = _singular(cue.head.lower())
        entity = self.registry.resolve_nominal(head, pos)
        phrase = re.sub(r"\s+", " ", cue.nom)
        return entity, phrase[0].lower() + phrase[1:]

    def attribute(
        self, cue: Cue | None, pos: int, method: AttributionMethod
    ) -> tuple[str | None, Gender, Attribution]:
        """Speaker, gender and attribution for a quote at `pos` given its cue (or none)."""
        if cue is not None:
            entity, phrase = self.resolve(cue, pos, method)
            if cue.pron is not None and method is AttributionMethod.EXPLICIT:
                method = AttributionMethod.PRONOUN
            elif cue.nom is not None and cue.org is None and method is AttributionMethod.EXPLICIT:
                method = AttributionMethod.NOMINAL
            if entity is not None:
                self.last, self.last_phrase = entity, None
                confidence = {
                    AttributionMethod.EXPLICIT: 0.95,
                    AttributionMethod.BLOCK: 0.8,
                    AttributionMethod.PRONOUN: 0.8,
                    AttributionMethod.NOMINAL: 0.75,
                }.get(method, 0.7)
                return entity.name, entity.gender, Attribution(method, confidence)
            if phrase:
                self.last, self.last_phrase = None, phrase
                return phrase, Gender.UNKNOWN, Attribution(method, 0.5)
        return self.follow_on(pos)

    def follow_on(self, pos: int) -> tuple[str | None, Gender, Attribution]:
        """Speaker of a quote with no attribution: previous speaker unless someone new came up."""
        newcomer = self.registry.recent_person(pos, self.last_end)
        if self.last_phrase is not None and newcomer is None:
            return self.last_phrase, Gender.UNKNOWN, Attribution(AttributionMethod.FOLLOW_ON, 0.5)
        if self.last is not None and (newcomer is None or newcomer is self.last):
            return self.last.name, self.last.gender, Attribution(AttributionMethod.FOLLOW_ON, 0.7)
        if newcomer is not None:
            self.last = newcomer
            return newcomer.name, newcomer.gender, Attribution(AttributionMethod.FOLLOW_ON, 0.45)
        return None, Gender.UNKNOWN, Attribution(AttributionMethod.NONE, 0.0)


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
                seg = replace(seg, speaker=name, gender=genders.get(name, seg.gender))
            out.append(seg)
        result.append(tuple(out))
    return result
