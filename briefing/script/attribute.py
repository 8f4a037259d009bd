"""Find who said a quote: resolve attribution cues to names, pronouns and roles.

One canonical name per person across a briefing's stories is `briefing.script.speakers`' job."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from briefing.model import Attribution, AttributionMethod, Gender
from briefing.script import names, orgs
from briefing.script.coref import Registry
from briefing.script.entities import Entity
from briefing.script.org_roles import resolve_org
from briefing.script.quotes_patterns import LOOKAHEAD, PERSON_HEADS, Cue, singular

# How far back (characters) a definite role noun looks for the person it names.
NEARBY = 600


@dataclass
class Attributor:
    """Resolves cues to canonical speakers for one article, remembering the last speaker."""

    registry: Registry
    last: Entity | None = None
    last_phrase: str | None = None
    last_end: int = 0
    para_start: int = 0

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
        head = singular(cue.head.lower())
        phrase = re.sub(r"\s+", " ", cue.nom)
        plural = head != cue.head.lower() and head != "year-old"
        if plural and (head in PERSON_HEADS or head in orgs.ORG_HEADS):
            # "the researchers wrote", "the companies said": a group, never one of them.
            return None, phrase[0].lower() + phrase[1:]
        if head in orgs.ORG_HEADS:
            entity = resolve_org(self.registry, head, pos, self.para_start)
        elif self._unnamed(head, pos):
            # "A senior aide, who spoke on condition of anonymity, said ... the aide said".
            return None, phrase[0].lower() + phrase[1:]
        else:
            entity = self.registry.resolve_nominal(head, pos)
            if entity is None and head in orgs.SPOKES:
                entity = resolve_org(self.registry, head, pos, self.para_start)
        if entity is None and head in PERSON_HEADS and phrase.lower().startswith("the "):
            # "the singer said" right after a story about one person means that person; an
            # indefinite "a senior official" stays an unnamed source.
            window = max(0, pos - NEARBY)
            entity = self.registry.recent_person(pos, window)
            entity = entity or self.registry.person_like(pos, window)
        return entity, phrase[0].lower() + phrase[1:]

    def _unnamed(self, head: str, pos: int) -> bool:
        """Whether a sentence just before `pos` opens on an unnamed "A/An ... <head>"."""
        texts = self.registry.texts
        k = bisect.bisect_right(texts, (pos, "\uffff")) - 1
        if k < 0 or head in orgs.SPOKES:
            return False
        pattern = re.compile(
            rf"(?:^|[.!?][”\"’']?\s+)[Aa]n?\s+(?:[\w’'-]+\s+){{0,3}}{re.escape(head)}s?\b"
        )
        base, text = texts[k]
        before = texts[k - 1][1][-NEARBY:] + "\n" if k > 0 else ""
        recent = before + text[max(0, pos - base - NEARBY) : pos - base]
        return pattern.search(recent) is not None

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
        if self.last is None and self.last_phrase is None:
            # A story that opens on a quote names its speaker just after ("That is how X ...").
            ahead = self.registry.next_person(pos, pos + LOOKAHEAD)
            if ahead is not None:
                self.last = ahead
                return ahead.name, ahead.gender, Attribution(AttributionMethod.FOLLOW_ON, 0.35)
        return None, Gender.UNKNOWN, Attribution(AttributionMethod.NONE, 0.0)
