"""Attribution patterns around a quotation: who is named next to a speech verb, and where.

`tail_cue` reads the words right after a quote (`, he said`, `said Mayor John Tory`),
`lead_cue` the sentence leading into one (`X told reporters:`), `block_cue` the paragraph
introducing a block quote. Each returns a `Cue`: the speaker as written, not yet resolved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefing.script import names
from briefing.script.orgs import MEDIA_HEADS, ORG_HEADS
from briefing.script.speech_verbs import VERB_PATTERN, has_speech_verb, trie_pattern

PERSON_HEADS = names.OCCUPATIONS
_HEADS = sorted(PERSON_HEADS | ORG_HEADS | MEDIA_HEADS, key=len, reverse=True)
_HEAD = (
    trie_pattern(_HEADS) + r"(?:s|es)?|companies|agencies|authorities|spokespeople"
    r"|\d+-year-old"
)
_PRON = r"(?P<pron>[Hh]e|[Ss]he|[Tt]hey|[Ii]t)(?![\w’'-])"
_NOM = (
    rf"(?P<nom>(?:[Tt]he|[Aa]n?|[Oo]ne|[Aa]nother|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir"
    rf"|(?P<owner>{names.NAME_PATTERN})[’']s)\s+"
    rf"(?:[\w’'.-]+\s+){{0,3}}?(?P<head>{_HEAD})(?![\w-])"
    rf"(?:\s+(?:for|at|of|with)\s+(?:the\s+)?(?:[A-Za-z-]+\s+){{0,3}}?"
    rf"(?P<org>{names.NAME_PATTERN})(?:\s+[a-z][\w-]*){{0,3}}"
    # "its president of global affairs, Kent Walker, wrote": a lower-case complement.
    rf"|\s+(?:of|for|at)\s+(?:[a-z][\w-]*\s+){{0,2}}[a-z][\w-]*(?=,))?)"
)
_ROLE_WORDS = sorted(
    {w for w in names.TITLES | PERSON_HEADS if w.isalpha() and w.islower()}
    | {"press", "lead", "senior", "junior", "team", "club", "party", "campaign", "research"},
    key=len,
    reverse=True,
)
# Lower-case roles before a name: "press secretary Karine Jean-Pierre", "lead author Dr. X".
_ROLE = trie_pattern(_ROLE_WORDS)
# Lower-case words ending in a role: "fire service spokesman", "press secretary".
# A team or body may lead the role: "Maple Leafs coach Craig Berube", "Cal Fire battalion chief".
# One to three roles: `(?:R\s+){1,3}` tries what `R\s+(?:R\s+){0,2}` does, in the same order,
# with the (long) role alternation parsed once.
_ROLE_PREFIX = (
    rf"(?:(?:{names.NAME_PATTERN}\s+(?=[a-z]))?(?:[a-z][\w’'-]*\s+){{0,3}}?"
    rf"(?:{_ROLE}\s+){{1,3}})?"
)
# "the National Weather Service said": a proper name may keep its article.
_NAME = rf"(?:[Tt]he\s+(?=[A-Z]))?{_ROLE_PREFIX}(?P<name>{names.NAME_PATTERN})"
# Collective subjects reporters use without a determiner: "police said", "officials said".
_BARE = (
    r"(?P<bare>police|officials|authorities|prosecutors|investigators|researchers|experts"
    r"|analysts|critics|residents|witnesses|organi[sz]ers|doctors|scientists|lawmakers|protesters"
    r"|officers|economists|activists|sources|paramedics|firefighters|rescuers)(?![\w’'-])"
)
_SUBJ = rf"(?:{_PRON}|{_NOM}|{_BARE}|{_NAME})"
_ADV = (
    r"(?:\w+ly|also|later|then|previously|had|has|have|would|will|was|were|is|are|once|further|"
    r"again|earlier|simply|just|even|had\s+earlier|has\s+since|later\s+on)"
)
# Up to three appositives in a row share their commas: "X, director at Y, who ..., said".
_APPOS = r"(?:\s*,(?P<appos>[^,“”\"]{1,160}),(?:[^,“”\"]{1,160},){0,2})?"
_VERB = rf"(?P<verb>{VERB_PATTERN})"
TAIL_VERB_SUBJ = re.compile(
    rf"(?:{_ADV}\s+){{0,2}}{_VERB}\s+(?:{_ADV}\s+)?{_SUBJ}"
    rf"(?:\s*,\s*(?P<appos>{names.NAME_PATTERN})(?=\s*[,.;]|\s*$))?"
)
# "―" (U+2015, the quotation dash) signs roundup quotes as often as an em dash does.
_DASH_NAME = re.compile(rf"\s*[—–―-]+\s*(?P<name>{names.NAME_PATTERN})\s*(?:[,(.]|$)")
TAIL_VERB_ROLE_NAME = re.compile(
    rf"(?:{_ADV}\s+){{0,2}}{VERB_PATTERN}\s+(?P<role>[^,.“”\"]{{1,80}}?),\s*"
    rf"(?P<name>{names.NAME_PATTERN})\s*(?:[,.;]|$)"
)
# A subject alone, for the patterns below that are a fixed lead-in and then a subject: one
# compiled copy of the subject alternation serves them all (a subject never starts with a
# space, so matching the lead-in first and the subject where it ends finds the same match).
SUBJECT = re.compile(rf"{_SUBJ}(?P<appos>)")
# "X declined to comment, saying only that" / "X did Y but said": subject and verb apart,
# perhaps after a short clause ("In a statement, X ...").
_CLAUSE = re.compile(r"[^,“”\"]{1,60},\s+")
_SPOKESPERSON = frozenset({"spokesperson", "spokesman", "spokeswoman", "representative"})
_BARE_NAME = re.compile(rf"\s*(?:{names.NAME_PATTERN})\s*")
_ACCORDING_TO = re.compile(r"(?<![\w-])according\s+to\s+")
LEAD_SUBJ_VERB = re.compile(rf"(?<![\w’'-]){_SUBJ}{_APPOS}\s+(?:{_ADV}\s+){{0,2}}{_VERB}")
# After a quote the subject comes first: the same pattern, matched at the tail's start (where
# the lookbehind always holds), saves compiling a second copy.
TAIL_SUBJ_VERB = LEAD_SUBJ_VERB
_ABBREV = names.ABBREVIATIONS
_PROPER_NOM = re.compile(r"[Tt]he\s+(?:[A-Z][\w’'.-]*\s+)*[A-Z][\w’'.-]*")
_SENT_END = re.compile(r"[.!?…][”\"’']?\s+")
WINDOW = 400
LOOKAHEAD = 300


@dataclass(frozen=True)
class Cue:
    """An attribution found in the text: who (as written) and where."""

    pron: str | None
    nom: str | None
    head: str | None
    org: str | None
    name: str | None


def _cue(match: re.Match[str] | None) -> Cue | None:
    """The cue a pattern match names, preferring an appositive name over a role phrase."""
    if match is None:
        return None
    name = match.group("name")
    appos = match.group("appos")
    possessive = name is not None and name.endswith(("’s", "'s"))
    if (match.group("nom") or possessive) and appos and _BARE_NAME.fullmatch(appos):
        # "the union's rail secretary, Thierry Nier, told reporters": the name is the speaker.
        return Cue(None, None, None, None, names.clean_mention(appos.strip()) or None)
    nom, head = match.group("nom"), match.group("head")
    if match.group("bare"):
        return Cue(None, match.group("bare"), match.group("bare"), None, None)
    owner = match.group("owner")
    if owner and head and head.lower().rstrip("s") in _SPOKESPERSON:
        # "Crestview's spokesperson said": the organisation is the speaker.
        return Cue(None, None, None, owner, None)
    if nom and head and head.lower().rstrip("s") in _SPOKESPERSON and not match.group("org"):
        # "a CBI spokesman", "a Google spokeswoman": the organisation is the speaker.
        modifier = [w for w in nom.split()[1:-1] if w[:1].isupper()]
        if modifier:
            return Cue(None, None, None, " ".join(modifier), None)
    if nom and head and _PROPER_NOM.fullmatch(nom) and not match.group("org"):
        # "the Metropolitan Police said": a capitalised head makes the phrase a proper name.
        return Cue(None, None, None, None, names.clean_mention(nom.split(None, 1)[1]) or None)
    if name is not None and name.lower() in names.DEMONYMS:
        # "the Russian said" means the person just described, like "the 24-year-old said".
        return Cue(None, f"the {name}", "year-old", None, None)
    if name is not None:
        cleaned = names.clean_mention(name)
        if not cleaned:
            return None
        name = cleaned
    return Cue(
        match.group("pron"), match.group("nom"), match.group("head"), match.group("org"), name
    )


def lead_subject(text: str) -> re.Match[str] | None:
    """The subject opening `text`, or opening it after a short clause and a comma."""
    # The clause can only end at the first comma, so this is `^(?:<clause>)?<subject>`.
    clause = _CLAUSE.match(text)
    found = SUBJECT.match(text, clause.end()) if clause is not None else None
    return found or SUBJECT.match(text)


def according_to(text: str, *, anywhere: bool) -> re.Match[str] | None:
    """The subject of the first "according to X" (at the start of `text` unless `anywhere`)."""
    for lead in _ACCORDING_TO.finditer(text):
        if not anywhere and lead.start() > 0:
            break
        found = SUBJECT.match(text, lead.end())
        if found is not None:
            return found
    return None


def last_sentence(text: str) -> str:
    """The last sentence of `text`, not split at abbreviations such as Gen. or U.S."""
    start = 0
    for match in _SENT_END.finditer(text):
        word = text[: match.start()].rsplit(None, 1)[-1:] or [""]
        if match.group()[0] == "." and word[0].lower().strip('(“"') in _ABBREV:
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


def signed(tail: str) -> bool:
    """Whether a quote is signed by a dash and a name right after it (“…” — Jane Doe)."""
    return _DASH_NAME.match(tail[:WINDOW]) is not None


def tail_cue(tail: str) -> Cue | None:
    """Attribution right after a quote: `, he said`, `said Mayor John Tory`, `according to X`."""
    dashed = _DASH_NAME.match(tail[:WINDOW])
    if dashed is not None:
        # A pull quote or post signed with a dash: “…” — Jane Doe, or — Jane Doe (@jdoe)
        return Cue(None, None, None, None, names.clean_mention(dashed.group("name")) or None)
    tail = first_sentence(tail[:WINDOW]).lstrip(" ,—–-\u00a0")
    role_name = TAIL_VERB_ROLE_NAME.match(tail)
    if role_name is not None and re.search(r"\b[a-z]", role_name.group("role")):
        # "said Crestview's chief nursing officer, Dr. Alan Mercer."
        return Cue(None, None, None, None, names.clean_mention(role_name.group("name")) or None)
    for pattern in (TAIL_SUBJ_VERB, TAIL_VERB_SUBJ):
        found = _cue(pattern.match(tail))
        if found is not None:
            return found
    return _cue(according_to(tail, anywhere=False))


def lead_cue(lead: str) -> Cue | None:
    """Attribution in the sentence leading into a quote: `X said:` or `X told reporters that`."""
    sentence = last_sentence(lead[-WINDOW:])
    found = None
    for match in LEAD_SUBJ_VERB.finditer(sentence):
        cue = _cue(match)
        if cue is not None:
            found = cue
    if found is None:
        found = _cue(according_to(sentence, anywhere=True))
    if found is None and has_speech_verb(sentence):
        found = _cue(lead_subject(sentence.lstrip()))
    return found


def block_cue(intro: str) -> Cue | None:
    """Who speaks a block quote: the attribution in its introduction, else that sentence's
    subject ("The club released a statement:")."""
    found = lead_cue(intro)
    if found is None:
        found = _cue(lead_subject(last_sentence(intro[-WINDOW:]).lstrip()))
        if found is not None and found.pron is None and found.nom is None and found.org is None:
            name = found.name or ""
            if name.lower() in names.STOPWORDS or name in {"Here", "This", "These"}:
                return None
    return found


def any_cue(lead: str) -> Cue | None:
    """The last attribution anywhere in narration before a quote (for unattributed quotes)."""
    found = None
    for match in LEAD_SUBJ_VERB.finditer(lead[-WINDOW:]):
        cue = _cue(match)
        if cue is not None:
            found = cue
    return found


def singular(head: str) -> str:
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
