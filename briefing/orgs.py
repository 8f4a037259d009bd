"""Organisations as speakers: role nouns that stand for them ("the ministry", "a spokesman")
and the organisation such a noun refers to."""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from briefing import names

if TYPE_CHECKING:
    from briefing.coref import Entity, Registry

SPOKES = frozenset({"spokesperson", "spokesman", "spokeswoman", "representative"})
MEDIA_HEADS = names.word_set(
    "outlet newspaper paper publication magazine network broadcaster site website journal "
    "tabloid daily channel station newsletter"
)
ORG_HEADS = names.word_set(
    """
    company firm group agency ministry department organization organisation bank team club
    union council government party campaign office authority commission committee board court
    police university school hospital charity regulator administration airline carrier
    manufacturer retailer startup giant automaker maker insurer lender utility side league
    federation body institute foundation army military embassy coalition alliance studio
    label brand developer operator watchdog service forecaster chipmaker carmaker drugmaker
    publisher provider chain nonprofit lab laboratory district county"""
)
# Modifiers that do not make "the <modifier> ministry" a name of its own.
_VAGUE = names.word_set(
    "same new other whole entire first last next previous two three both such own former "
    "very said largest biggest parent"
)
_PHRASE = re.compile(
    r"(?<![\w’'-])[Tt]he\s+((?:[a-z][\w-]*\s+){1,3}?(?:"
    + "|".join(sorted(ORG_HEADS, key=len, reverse=True))
    + r"))(?![\w’'-])"
)
_NAMED = re.compile(r",?\s+[A-Z]")
# How far back (characters) a role noun looks for the organisation it stands for.
_REACH = 3000


def org_phrases(text: str, base: int) -> list[tuple[int, str, str]]:
    """Lower-case descriptions of organisations in narration ("The state transportation
    department"), as (global offset, phrase, head noun)."""
    found = []
    for match in _PHRASE.finditer(text):
        words = match.group(1).split()
        if all(w in _VAGUE for w in words[:-1]) or _NAMED.match(text, match.end()):
            # "the artificial intelligence company Lumina Labs" describes the name after it.
            continue
        found.append((base + match.start(1), " ".join(words), words[-1]))
    return found


def resolve_org(registry: Registry, head: str, pos: int, para_start: int) -> Entity | None:
    """The organisation a role noun (the company, a spokesman, the ministry) stands for."""
    recent = [
        m
        for m in registry.before(pos, max(0, pos - _REACH))
        if m.entity.kind != "person" and not m.entity.media
    ]
    phrases = registry.org_phrases
    hi = bisect.bisect_left(phrases, (pos, "", ""))
    phrase = None
    for k in range(hi - 1, -1, -1):
        if phrases[k][0] < pos - _REACH:
            break
        if phrases[k][2] == head:
            phrase = phrases[k]
            break

    def named(entity: Entity) -> bool:
        return head in entity.name.lower() or head in entity.roles

    hit = next((m for m in recent if named(m.entity) and (m.entity.speaks or m.subject)), None)
    if phrase is not None:
        # "the police department" after "the Carson City Police Department" is that body.
        words = set(phrase[1].split())
        same = next((m for m in recent if words <= set(m.entity.name.lower().split())), None)
        if same is not None:
            return same.entity
    # The nearest description wins: "the transport ministry said ... the ministry said".
    if (
        phrase is not None
        and (hit is None or phrase[0] > hit.pos)
        and (phrase[0] >= para_start or hit is None or hit.pos < para_start)
    ):
        return registry.entity_for(phrase[1])
    if hit is not None and hit.pos >= para_start:
        return hit.entity
    # An organisation named in the same paragraph is the one its spokesman speaks for; one
    # seen speaking comes before one merely named ("SNCF said ... TGV trains").
    local = [m for m in recent if m.pos >= para_start and m.subject]
    found = next((m.entity for m in local if m.entity.speaks), None)
    # Only a subject counts: "After the FTC sued, the company said" is not the FTC speaking.
    found = found or next((m.entity for m in local if m.entity.kind == "org"), None)
    if found is not None:
        return found
    if hit is not None:
        return hit.entity
    if head in SPOKES:
        window = [m for m in recent if m.pos >= pos - 600]
        return next((m.entity for m in window if m.entity.speaks), None)
    speaking = next((m.entity for m in recent if m.entity.speaks), None)
    orgs = [m for m in recent if m.entity.kind == "org"]
    subject = next((m.entity for m in orgs if m.subject), None)
    return speaking or subject or next((m.entity for m in orgs), None)


def alias_orgs(entities: dict[str, Entity]) -> None:
    """Join a short form to the one organisation it begins ("Kestrel" for "Kestrel Home
    Products"), so the company keeps the full name it was introduced by."""
    by_prefix: dict[str, dict[str, Entity]] = {}
    for entity in list(entities.values()):
        tokens = names.split_tokens(entity.name)
        if entity.kind == "org":
            for k in range(1, len(tokens)):
                by_prefix.setdefault(" ".join(tokens[:k]), {})[entity.name] = entity
    for name, entity in list(entities.items()):
        # A name that is an organisation's name in its own right ("Southwest Airlines" beside
        # "Southwest Airlines Pilots Association") is not a short form.
        if entity.kind != "other" or names.split_tokens(name)[0].lower() in names.STOPWORDS:
            continue
        longer = by_prefix.get(name, {})
        if len(longer) == 1:
            full = next(iter(longer.values()))
            full.speaks = full.speaks or entity.speaks
            entities[name] = full
