"""Who can be named in an article: entities (people, organisations, other names) and mentions."""

from __future__ import annotations

from dataclasses import dataclass, field

from briefing.model import Gender

PERSON, ORG, OTHER = "person", "org", "other"


@dataclass
class Entity:
    """A person, organisation or other named thing, under its canonical name."""

    name: str
    kind: str
    gender: Gender = Gender.UNKNOWN
    roles: set[str] = field(default_factory=set)
    media: bool = False
    speaks: bool = False
    they: bool = False


@dataclass(frozen=True)
class Mention:
    """An entity named at a global offset of the article; `subject` if not an object."""

    pos: int
    entity: Entity
    subject: bool
    possessive: bool = False
