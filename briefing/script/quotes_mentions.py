"""Mentions of people and organisations in an article's narration: names as written, the
titles and roles around them, and whether each is a sentence subject or an object."""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefing.model import Gender
from briefing.script import names
from briefing.script.speech_verbs import MEDIA_VERBS, SPEECH_VERB_FORMS, VERB_PATTERN

PERSON_CUES = (names.TITLES - {"state", "u.s.", "us", "uk", "eu", "un", "of"}) | {"gen."}
_OBJECT_BEFORE = re.compile(
    # A sentence may open on the preposition: "After the FTC sued".
    r"(?:\b(?i:of|to|with|by|for|from|at|on|in|about|against|and|than|like|under|between|toward|"
    r"towards|into|over|behind|beside|including|among|whom|via|per|near|across|outside|inside|"
    r"around|through|during|after|before|since|throughout|within|without|beyond|called|"
    r"named|visited|met|told|praised|criticized|criticised|accused|thanked)\s+"
    r"(?:[a-z][\w’'-]*\s+){0,2})$"
)
_APPOSITIVE = re.compile(r",\s+(?:the|a|an|who|whose|its|his|her)\b([^,.;]{0,80})")
_SPEAKS = re.compile(
    rf"(?:\s*,[^,“”\"]{{1,100}},)?[\s,]+(?:\w+ly\s+|also\s+|has\s+|had\s+)?{VERB_PATTERN}"
)
_GENDERED = re.compile(
    r"(?<![\w’'-])(?:[Hh]e|him|[Hh]is|himself|[Ss]he|[Hh]er|hers|herself)(?![\w’'-])"
)
_AS_BEFORE = re.compile(r"\bAs\s+(?:[Tt]he\s+)?$")
_LOWER_NEXT = re.compile(r"\s+[a-z]")
_AGE = re.compile(r",\s+\d{1,3},")
_LOWER_WORD = re.compile(r"[a-z]+")
_INDEFINITE = re.compile(r"(?<![\w’'-])[Aa]n?\s+$")
_ROLE_CUES = names.TITLES | names.MALE_ROLES | names.FEMALE_ROLES | {"who"}
_TITLE_BEFORE = re.compile(r"(?<![\w.])([A-Za-z.]+),?\s+$")
_KIN = re.compile(
    r"(?:(?P<owner>[A-Z][\w-]+)[’']s|\b(?P<pron>[Hh]is|[Hh]er|[Tt]heir))\s+(?:[a-z-]+\s+)?"
    r"(?P<kin>son|daughter|wife|husband|brother|sister|father|mother|grandson|granddaughter"
    r"|nephew|niece|twin)\s*,\s*$"
)
# "who gave only her first name, Eleni,": a person however unusual the name.
_FIRST_NAME = re.compile(r"\b(?P<own>his|her|their)\s+first\s+name,?\s*$")
_THEY = re.compile(r"^,?\s+who\s+(?:uses|goes\s+by)\s+(?:the\s+)?(?:pronouns?\s+)?they\b")


@dataclass
class RawMention:
    """A capitalised name found in narration, with what surrounds it."""

    pos: int
    core: str
    titles: list[str]
    role: str
    subject: bool
    speaks: bool
    media_cue: bool
    pronoun: Gender = Gender.UNKNOWN
    age: bool = False
    possessive: bool = False
    # "Her daughter, Freja": a first name whose family name is the relative's (owner or pronoun).
    kin_of: str | None = None
    they: bool = False
    first_name: bool = False


def scan(text: str, base: int, raws: list[RawMention]) -> None:
    """Collect capitalised runs in narration text at global offset `base`."""
    for match in names.NAME_RE.finditer(text):
        cleaned = names.clean_mention(match.group())
        if not cleaned:
            continue
        offset = match.group().find(cleaned)
        start = match.start() + max(offset, 0)
        possessive = cleaned.endswith(("’s", "'s"))
        if possessive:
            cleaned = cleaned[:-2]
        core, stripped = names.strip_titles(cleaned)
        titles = list(stripped)
        if not core or core.lower() in names.STOPWORDS:
            continue
        before = text[max(0, start - 40) : start]
        after = text[match.end() : match.end() + 90]
        title_before = _TITLE_BEFORE.search(before)
        if title_before and title_before.group(1).lower() in names.TITLES:
            titles = [title_before.group(1), *titles]
        appositive = _APPOSITIVE.match(after)
        role = appositive.group(0) if appositive else ""
        verb = _SPEAKS.match(after)
        media_cue = bool(
            _AS_BEFORE.search(before)
            and after.split()[:1]
            and after.split()[0].strip(",.") in MEDIA_VERBS
        )
        # "said Price had tapped": the subject of reported speech is not the one speaking.
        last_words = before.split()[-2:]
        if last_words and last_words[-1] == "that":
            last_words.pop()
        reported = (
            bool(last_words)
            and last_words[-1] in SPEECH_VERB_FORMS
            and _LOWER_NEXT.match(after) is not None
        )
        # "a Georgia Republican", "a Google engineer": a description, not someone named.
        described = _INDEFINITE.search(before) is not None
        subject = (
            not possessive and not _OBJECT_BEFORE.search(before) and not reported and not described
        )
        speaks = verb is not None and subject
        raw = RawMention(base + start, core, titles, role, subject, speaks, media_cue)
        raw.age = _AGE.match(after) is not None
        raw.possessive = possessive
        kin = _KIN.search(before) if " " not in core else None
        if kin is not None:
            raw.kin_of = kin.group("owner") or kin.group("pron").lower()
            raw.titles.append(kin.group("kin"))
        raw.they = _THEY.match(after) is not None
        first = _FIRST_NAME.search(before)
        if first is not None:
            raw.first_name = True
            own = first.group("own")
            raw.pronoun = {"his": Gender.MALE, "her": Gender.FEMALE}.get(own, raw.pronoun)
        if subject:
            raw.pronoun = _pronoun_after(text[match.end() : match.end() + 160])
        raws.append(raw)


def _pronoun_after(after: str) -> Gender:
    """Gender of the first he/his/she/her after a subject, if no other name comes first."""
    found = _GENDERED.search(after)
    if found is None:
        return Gender.UNKNOWN
    other = names.NAME_RE.search(after, 0, found.start())
    if other is not None and names.clean_mention(other.group()):
        return Gender.UNKNOWN
    return (
        Gender.MALE if found.group().lower() in {"he", "him", "his", "himself"} else Gender.FEMALE
    )


def join_kin(raws: list[RawMention], persons: set[str]) -> None:
    """Give "Her daughter, Freja" the family name of the relative the possessive points to."""
    last: list[RawMention] = []
    for raw in raws:
        if raw.kin_of is not None:
            owner = raw.kin_of
            want = {"his": Gender.MALE, "her": Gender.FEMALE}.get(owner)
            found = owner if owner[:1].isupper() else None
            for prev in reversed(last[-6:]):
                if found is not None:
                    break
                gender = names.given_name_gender(prev.core)
                gender = gender if gender is not Gender.UNKNOWN else prev.pronoun
                if want is None or gender in (want, Gender.UNKNOWN):
                    found = names.surname(prev.core)
            if found is not None and found != raw.core:
                raw.core = f"{raw.core} {found}"
                persons.add(raw.core)
        elif (
            raw.core in persons
            or names.surname(raw.core) in persons
            or (
                raw.subject
                and 2 <= len(names.split_tokens(raw.core)) <= 3
                and not names.is_org_name(raw.core)
            )
        ):
            last.append(raw)


def is_person(raw: RawMention) -> bool:
    """Whether a mention carries evidence of a person: given name, title, role, age."""
    tokens = names.split_tokens(raw.core)
    if raw.first_name:
        return True
    if len(tokens) > 4 or names.is_acronym(tokens[0]):
        return False
    if names.is_org_name(raw.core):
        return False
    if names.has_given_name(raw.core):
        return True
    if any(t.lower().rstrip(".") in PERSON_CUES for t in raw.titles):
        return True
    if raw.media_cue:
        return False
    if raw.age:
        return len(tokens) > 1
    role_words = set(_LOWER_WORD.findall(raw.role.lower()))
    if role_words & _ROLE_CUES:
        return len(tokens) > 1 or raw.speaks
    if raw.role[:5] in (", a ", ", an ") or raw.role.startswith((", a ", ", an ")):
        return len(tokens) > 1
    return len(tokens) in (2, 3) and raw.speaks
