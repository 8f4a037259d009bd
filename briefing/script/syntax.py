"""Who a quote's attribution names, read from the dependency parse (the news-quote method of
the Gender Gap Tracker and Citron): the speech verb next to the quote, its subject, then the
PERSON / ORG entity that subject is, is in apposition to, or holds.

Returns the same `Cue` the attribution patterns do, so resolution (names to one entity,
pronouns and role nouns to antecedents) stays in one place.
"""

from __future__ import annotations

import re
from typing import Any

from briefing.script import names
from briefing.script.orgs import MEDIA_HEADS, ORG_HEADS, SPOKES
from briefing.script.quotes import QUOTE_MARKS
from briefing.script.quotes_patterns import PERSON_HEADS, Cue, singular
from briefing.script.speech_verbs import SPEECH_VERB_FORMS

_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
_PRONOUNS = frozenset({"he", "she", "they", "it"})
_NAMED = frozenset({"PERSON", "ORG", "GPE", "FAC"})
_PARTY = frozenset({"NORP"})
_SENTENCE_END = frozenset({".", "!", "?"})
_VERBS = frozenset(f for f in SPEECH_VERB_FORMS if " " not in f)
_ROLE_WORDS = names.TITLES | names.OCCUPATIONS
_ASIDE = frozenset({"relcl", "acl", "advcl", "poss", "ccomp", "parataxis"})
_KNOWN_HEADS = PERSON_HEADS | ORG_HEADS | MEDIA_HEADS
Token = Any


def syntax_cue(doc: Any, open_mark: int, close_mark: int | None, *, tail_first: bool) -> Cue | None:
    """The cue for the quote between `open_mark` and `close_mark` (character offsets in the
    paragraph the Doc holds): the attribution after it first when `tail_first`, else before."""
    end = close_mark + 1 if close_mark is not None else len(doc.text)
    tail = _tail_verbs(doc, end)
    lead = _lead_verbs(doc, open_mark)
    for verb in (tail + lead) if tail_first else (lead + tail):
        cue = _verb_cue(verb)
        if cue is not None:
            return cue
    return None


_LETTERS = re.compile(r"[^\W\d_]+")


def could_cue(text: str, open_mark: int, close_mark: int | None) -> bool:
    """Whether `syntax_cue` could find anything for this quote: a speech-verb form among the
    words before it or after it (without the parse, which then need not be run or loaded).

    A superset of what `syntax_cue` reads: its lead verbs are tokens wholly before the open mark,
    its tail verbs tokens from the close mark on, and a speech verb is a token that is one of
    the verb forms (or "according"). The tokenizer never joins letters across a non-letter,
    so such a token is a whole run of letters here, or part of one (contractions such as
    "gonna" split into pieces, none of them a verb form).
    """
    end = close_mark + 1 if close_mark is not None else len(text)
    for region in (text[:open_mark], text[end:]):
        for word in _LETTERS.findall(region.lower()):
            if word in _VERBS or word == "according":
                return True
    return False


def _is_mark(token: Token) -> bool:
    return token.text in QUOTE_MARKS or token.text in {"''", "``"}


def _tail_verbs(doc: Any, end: int) -> list[Token]:
    """Speech verbs after the quote, up to the sentence end or the next quote."""
    found = []
    for token in doc:
        if token.idx < end:
            continue
        if _is_mark(token) or token.text in _SENTENCE_END:
            break
        if _speech_verb(token):
            found.append(token)
    return found


def _lead_verbs(doc: Any, start: int) -> list[Token]:
    """Speech verbs in the sentence leading into the quote, nearest first."""
    found = []
    words = 0
    for token in reversed(doc):
        if token.idx + len(token.text) > start:
            continue
        if _is_mark(token) or (token.text in _SENTENCE_END and words):
            break
        words += token.is_alpha
        if _speech_verb(token):
            found.append(token)
    return found


def _speech_verb(token: Token) -> bool:
    low = token.text.lower()
    if low == "according" and token.i + 1 < len(token.doc) and token.nbor().lower_ == "to":
        return True
    return token.pos_ in {"VERB", "AUX"} and low in _VERBS


def _verb_cue(verb: Token) -> Cue | None:
    """The cue the subject of a speech verb gives, if it names someone."""
    if verb.lower_ == "according":
        objects = [c for c in verb.nbor().children if c.dep_ == "pobj"]
        return _subject_cue(objects[0]) if objects else None
    node = verb
    for _ in range(3):
        subjects = [c for c in node.children if c.dep_ in _SUBJECTS]
        if subjects:
            return _subject_cue(subjects[0])
        if node.dep_ not in {"conj", "xcomp", "advcl"} or node.head is node:
            return None
        node = node.head
    return None


def _entity(token: Token) -> Any:
    """The named entity span holding `token`, if any."""
    for ent in token.doc.ents:
        if ent.start <= token.i < ent.end:
            return ent
    return None


def _name(text: str) -> str | None:
    text = text.removesuffix("’s").removesuffix("'s").strip()
    cleaned = names.clean_mention(text)
    if not cleaned or cleaned.lower() in names.STOPWORDS:
        return None
    return cleaned


def _person_under(subject: Token) -> str | None:
    """The person a role subject stands for: its apposition ("the mayor, X, said") or a
    PERSON entity it governs ("Commander of Central Command Gen. X said")."""
    found = [_entity(c) for c in subject.children if c.dep_ == "appos"]
    # Not a clause about the subject ("X, who moved from Y,") nor its owner ("Y's aide").
    for child in subject.children:
        if child.dep_ not in _ASIDE:
            found += [_entity(t) for t in child.subtree]
    for ent in found:
        if ent is not None and ent.label_ == "PERSON":
            name = _name(ent.text)
            if name:
                return name
    return None


def _subject_cue(subject: Token) -> Cue | None:
    """A cue from a subject: pronoun, named entity, an apposition's name, or a role noun."""
    low = subject.lower_
    if low in _PRONOUNS:
        return Cue(subject.text, None, None, None, None)
    ent = _entity(subject)
    if ent is not None and ent.label_ in _NAMED:
        name = _name(ent.text)
        return Cue(None, None, None, None, name) if name else None
    person = _person_under(subject)
    if person is not None:
        return Cue(None, None, None, None, person)
    if ent is not None and ent.label_ in _PARTY:
        # "the Kentucky Republican said": the person just described.
        return Cue(None, f"the {ent.text}", "year-old", None, None)
    if subject.pos_ == "PROPN" and subject.lower_ not in _ROLE_WORDS:
        left = subject
        while left.i > 0 and left.doc[left.i - 1].pos_ == "PROPN":
            left = left.doc[left.i - 1]
        name = _name(subject.doc[left.i : subject.i + 1].text)
        return Cue(None, None, None, None, name) if name else None
    if subject.pos_ != "NOUN":
        return None
    owners = [c for c in subject.children if c.dep_ == "poss"]
    if low in SPOKES and owners:
        owner = _entity(owners[0])
        name = _name(owner.text if owner is not None else owners[0].text)
        return Cue(None, None, None, name, None) if name else None
    if singular(low) not in _KNOWN_HEADS:
        # "the tight end said": a role the patterns do not know; the follow-on speaker is likelier.
        return None
    phrase = subject.doc[subject.left_edge.i : subject.i + 1].text
    return Cue(None, phrase, subject.text, None, None)
