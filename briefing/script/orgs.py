"""Organisations as speakers: role nouns that stand for them ("the ministry", "a spokesman")
and the organisation such a noun refers to."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from briefing.script import names

if TYPE_CHECKING:
    from briefing.script.entities import Entity

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
