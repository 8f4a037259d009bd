"""Who is mentioned where in an article, and what a name, pronoun or role noun refers to."""

from __future__ import annotations

import bisect
import re

from briefing.model import Gender
from briefing.script import names
from briefing.script.entities import ORG, OTHER, PERSON, Entity, Mention
from briefing.script.orgs import MEDIA_HEADS, alias_orgs, org_phrases
from briefing.script.quotes_mentions import RawMention, is_person, join_kin, scan

_LOWER_WORD = re.compile(r"[a-z]+")
_DESCRIPTIVE = re.compile(r",\s+(?:the|a|an)\s")


class Registry:
    """Entities of one article and their mentions in narration, in reading order."""

    def __init__(self, texts: list[tuple[int, str]]) -> None:
        raws: list[RawMention] = []
        self.org_phrases: list[tuple[int, str, str]] = []
        self.texts = texts
        for base, text in texts:
            scan(text, base, raws)
            self.org_phrases.extend(org_phrases(text, base))
        self._by_surname: dict[str, list[Entity]] = {}
        self._entities: dict[str, Entity] = {}
        self.mentions: list[Mention] = []
        persons = {r.core for r in raws if is_person(r)}
        # A multi-word name later used by its last word alone ("Leo Marsh" ... "Marsh") is a person.
        singles = {r.core for r in raws if " " not in r.core}
        for raw in raws:
            tokens = names.split_tokens(raw.core)
            if (
                1 < len(tokens) <= 4
                and not names.is_org_name(raw.core)
                and not names.is_acronym(tokens[0])
                and not raw.media_cue
                and names.surname(raw.core) in singles
            ):
                persons.add(raw.core)
        join_kin(raws, persons)
        surnames = {names.surname(p) for p in persons if len(names.split_tokens(p)) > 1}
        self._by_given: dict[str, list[Entity]] = {}
        givens = {names.split_tokens(p)[0] for p in persons if " " in p}
        # Full names first, so "Maria" alone can join "Maria Delgado" whichever comes first.
        for raw in sorted(raws, key=lambda r: -len(names.split_tokens(r.core))):
            kind = self._kind(raw, persons, surnames | givens)
            entity = self._entity(raw.core, kind)
            self._enrich(entity, raw)
        alias_orgs(self._entities)
        self._pos: list[int] = []
        for raw in raws:
            found = self.lookup(raw.core, raw.pos)
            if found is not None:
                self.mentions.append(Mention(raw.pos, found, raw.subject, raw.possessive))
                self._pos.append(raw.pos)

    def _kind(self, raw: RawMention, persons: set[str], surnames: set[str]) -> str:
        if raw.core in persons:
            return PERSON
        tokens = names.split_tokens(raw.core)
        if len(tokens) == 1 and raw.core in surnames:
            return PERSON
        if names.is_org_name(raw.core) or raw.media_cue:
            return ORG
        return OTHER

    def _entity(self, core: str, kind: str) -> Entity:
        """The entity for a name, joining short forms to the fullest form of one person."""
        if kind == PERSON:
            key = names.surname(core)
            family = self._by_surname.setdefault(key, [])
            tokens = names.split_tokens(core)
            for person in family:
                ptoks = names.split_tokens(person.name)
                if len(tokens) == 1 or len(ptoks) == 1 or ptoks[0] == tokens[0]:
                    if len(tokens) > len(ptoks):
                        self._entities.pop(person.name, None)
                        person.name = core
                        self._entities[core] = person
                    return person
            if len(tokens) == 1 and not family:
                known = self._by_given.get(core, [])
                if len(known) == 1:
                    return known[0]
            person = Entity(core, PERSON)
            family.append(person)
            self._entities[core] = person
            if len(tokens) > 1:
                self._by_given.setdefault(tokens[0], []).append(person)
            return person
        entity = self._entities.get(core)
        if entity is None:
            entity = Entity(core, kind)
            self._entities[core] = entity
        return entity

    @staticmethod
    def _enrich(entity: Entity, raw: RawMention) -> None:
        words = raw.titles + _LOWER_WORD.findall(raw.role.lower())
        entity.roles.update(w.lower().rstrip(".") for w in words)
        entity.speaks = entity.speaks or raw.speaks
        if raw.they:
            entity.they, entity.gender = True, Gender.UNKNOWN
        if entity.kind == PERSON and entity.gender is Gender.UNKNOWN and not entity.they:
            gender = names.title_gender(raw.titles)
            if gender is Gender.UNKNOWN:
                gender = names.given_name_gender(entity.name)
            if gender is Gender.UNKNOWN and _DESCRIPTIVE.match(raw.role):
                # Only a descriptive appositive ("Lisa Grant, the club's spokeswoman") says who
                # the person is; "X, whose wife ..." does not.
                gender = names.title_gender(raw.role.split()[1:5])
            entity.gender = gender if gender is not Gender.UNKNOWN else raw.pronoun
        if raw.media_cue or names.is_media_name(raw.core):
            entity.media = True

    def entity_for(self, name: str) -> Entity:
        """The organisation entity for a description or name (created if new)."""
        return self._entity(name, ORG)

    def lookup(self, name: str, pos: int) -> Entity | None:
        """The entity a cleaned name (titles stripped) refers to, if it is known."""
        entity = self._entities.get(name)
        family = self._by_surname.get(names.surname(name), [])
        if family and (entity is None or entity.kind == PERSON):
            tokens = names.split_tokens(name)
            if len(tokens) == 1 and len(family) > 1:
                return self._recent(family, pos) or family[0]
            for person in family:
                ptoks = names.split_tokens(person.name)
                if len(tokens) == 1 or ptoks[0] == tokens[0] or person.name == name:
                    return person
        known = self._by_given.get(name, []) if " " not in name else []
        if not family and len(known) == 1 and (entity is None or entity.kind == PERSON):
            return known[0]
        return entity

    def _recent(self, family: list[Entity], pos: int) -> Entity | None:
        idx = bisect.bisect_left(self._pos, pos)
        for mention in reversed(self.mentions[:idx]):
            if mention.entity in family:
                return mention.entity
        return None

    def resolve_name(self, raw: str, pos: int) -> tuple[str, Gender, Entity | None]:
        """Canonical name and gender for a name as written (titles allowed)."""
        cleaned = names.clean_mention(raw) or raw
        core, titles = names.strip_titles(cleaned)
        entity = self.lookup(core, pos)
        if entity is None:
            kind = PERSON if names.has_given_name(core) else OTHER
            entity = self._entity(core, kind)
        gender = names.title_gender(titles)
        if entity.gender is Gender.UNKNOWN and entity.kind == PERSON:
            entity.gender = gender if gender is not Gender.UNKNOWN else entity.gender
        return entity.name, entity.gender, entity

    def before(self, pos: int, start: int = 0) -> list[Mention]:
        """Mentions in [start, pos), most recent first."""
        lo = bisect.bisect_left(self._pos, start)
        hi = bisect.bisect_left(self._pos, pos)
        return self.mentions[lo:hi][::-1]

    def resolve_pronoun(
        self, pronoun: str, pos: int, window: int, last: Entity | None
    ) -> Entity | None:
        """The entity a he/she/they refers to: a subject since `window`, the last speaker, or
        the most recent compatible person."""
        low = pronoun.lower()
        want = {"he": Gender.MALE, "she": Gender.FEMALE}.get(low)

        def fits(entity: Entity) -> bool:
            if low == "it":
                return entity.kind in (ORG, OTHER)
            if want is None:
                return entity.kind in (ORG, OTHER) or entity.gender is Gender.UNKNOWN
            return (
                entity.kind == PERSON
                and entity.gender in (want, Gender.UNKNOWN)
                and not entity.they
            )

        recent = self.before(pos, window)
        for mention in recent:
            if mention.subject and fits(mention.entity):
                return self._fix_gender(mention.entity, want)
        if last is not None and fits(last):
            return self._fix_gender(last, want)
        for mention in self.before(pos, max(0, pos - 20000)):
            if fits(mention.entity):
                return self._fix_gender(mention.entity, want)
        if want is None:
            return last
        # No known person fits: a he/she can still only mean a person.
        found = self.person_like(pos, max(0, pos - 1500))
        if found is None:
            # A story may open on “…,” she said and name her just after ("Dolores Kaminski's").
            lo = bisect.bisect_left(self._pos, pos)
            hi = bisect.bisect_left(self._pos, pos + 400)
            for mention in self.mentions[lo:hi]:
                tokens = names.split_tokens(mention.entity.name)
                if (
                    mention.entity.kind == OTHER
                    and (mention.subject or mention.possessive)
                    and 2 <= len(tokens) <= 3
                    and not names.is_org_name(mention.entity.name)
                ):
                    mention.entity.kind = PERSON
                if fits(mention.entity):
                    found = mention.entity
                    break
        return self._fix_gender(found, want) if found is not None else None

    def person_like(self, pos: int, window: int) -> Entity | None:
        """The most recent person-like name in [window, pos) that is not an object ("Dua
        Lipa’s set ..."), taken to be a person from now on."""
        for mention in self.before(pos, window):
            entity = mention.entity
            tokens = names.split_tokens(entity.name)
            if (
                entity.kind == OTHER
                and (mention.subject or mention.possessive)
                and 2 <= len(tokens) <= 3
                and not names.is_org_name(entity.name)
            ):
                entity.kind = PERSON
                return entity
        return None

    @staticmethod
    def _fix_gender(entity: Entity, want: Gender | None) -> Entity:
        if want is not None and entity.gender is Gender.UNKNOWN:
            entity.gender = want
        return entity

    def resolve_nominal(self, head: str, pos: int) -> Entity | None:
        """The entity a role noun (the outlet, the minister, the company) refers to, if any."""
        head = head.lower()
        recent = self.before(pos, max(0, pos - 20000))
        if head == "year-old":
            return next((m.entity for m in recent if m.entity.kind == PERSON and m.subject), None)
        if head in MEDIA_HEADS:
            for mention in recent:
                if mention.entity.media:
                    return mention.entity
            return None
        for mention in recent:
            entity = mention.entity
            if entity.kind == PERSON and (head in entity.roles or head + "s" in entity.roles):
                return entity
        return None

    def next_person(self, pos: int, limit: int) -> Entity | None:
        """The first person named as a subject in [pos, limit) (a quote that opens a story)."""
        lo = bisect.bisect_left(self._pos, pos)
        hi = bisect.bisect_left(self._pos, limit)
        return next(
            (m.entity for m in self.mentions[lo:hi] if m.entity.kind == PERSON and m.subject),
            None,
        )

    def recent_person(self, pos: int, window: int) -> Entity | None:
        """The most recent person named as a subject in [window, pos)."""
        for mention in self.before(pos, window):
            if mention.entity.kind == PERSON and mention.subject:
                return mention.entity
        return None
