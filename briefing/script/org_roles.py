"""The organisation a role noun stands for ("the company said", "a spokesman said")."""

from __future__ import annotations

import bisect

from briefing.script.coref import Registry
from briefing.script.entities import Entity
from briefing.script.orgs import SPOKES

_REACH = 3000
"""How far back (characters) a role noun looks for its organisation."""


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
