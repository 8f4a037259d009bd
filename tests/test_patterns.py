"""The attribution patterns' compile-time shortcuts find exactly what the plain patterns find."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefing.script import quotes_patterns as qp
from briefing.script.speech_verbs import SPEECH_VERB_FORMS, trie_pattern

REPO = Path(__file__).resolve().parent.parent
CORPUS = sorted((REPO / "benchmarks" / "quote_corpus").glob("*.txt"))


def fragments() -> list[str]:
    """Corpus paragraphs cut at quote marks and after commas: leads and tails of quotes."""
    found: set[str] = set()
    for path in CORPUS:
        for paragraph in path.read_text(encoding="utf-8").splitlines():
            for part in re.split(r"[“”\"]", paragraph):
                found.update({part, part.strip(), part.lstrip(" ,")})
                found.update(part[m.end() :] for m in re.finditer(r",\s*", part))
    return sorted(found)


def groups(match: re.Match[str] | None) -> dict[str, tuple[str | None, tuple[int, int]]] | None:
    """Each group's text and span (a subject matched alone has another whole-match span)."""
    if match is None:
        return None
    return {name: (match.group(name), match.span(name)) for name in match.groupdict()}


@pytest.mark.parametrize(
    "words",
    [
        sorted(SPEECH_VERB_FORMS),
        sorted(qp.PERSON_HEADS),
        ["go on", "goes", "going on", "a", "ab", "abc", "b-c", "x.y", "d’s"],
    ],
)
def test_a_trie_matches_exactly_its_words_longest_first(words: list[str]) -> None:
    pattern = re.compile(trie_pattern(words))
    for word in words:
        spaced = word.replace(" ", "  ")
        assert pattern.fullmatch(spaced), word
        # Searching from a word's start finds the longest word there.
        longest = max((w for w in words if word.startswith(w)), key=len)
        found = pattern.match(word + "\x00")
        assert found is not None
        assert found.group() == longest
        for other in (word[:-1], word + "q", word.upper()):
            assert bool(pattern.fullmatch(other)) == (other in words), other


def test_shared_subject_finds_what_the_single_patterns_find() -> None:
    subj = qp._SUBJ
    lead_subject = re.compile(rf"^(?:[^,“”\"]{{1,60}},\s+)?{subj}(?P<appos>)")
    according = re.compile(rf"(?<![\w-])according\s+to\s+{subj}(?P<appos>)")
    tail_subj_verb = re.compile(rf"(?:{subj}){qp._APPOS}\s+(?:{qp._ADV}\s+){{0,2}}{qp._VERB}")
    texts = fragments()
    assert len(texts) > 3000
    for text in texts:
        assert groups(qp.lead_subject(text)) == groups(lead_subject.match(text)), text
        assert groups(qp.according_to(text, anywhere=False)) == groups(according.match(text))
        assert groups(qp.according_to(text, anywhere=True)) == groups(according.search(text))
        assert groups(qp.TAIL_SUBJ_VERB.match(text)) == groups(tail_subj_verb.match(text))


def test_one_to_three_roles_read_like_a_role_and_up_to_two_more() -> None:
    role = qp._ROLE
    before = re.compile(rf"(?:{role}\s+(?:{role}\s+){{0,2}})(?P<rest>.*)")
    after = re.compile(rf"(?:{role}\s+){{1,3}}(?P<rest>.*)")
    samples = [
        "press secretary Karine Jean-Pierre said",
        "fire chief deputy commissioner spokesman Jo Lee",
        "senior lead author Dr. X",
        "coach coach coach coach Y",
        "mayor",
        "the mayor",
    ]
    for text in samples + fragments()[:2000]:
        assert groups(before.match(text)) == groups(after.match(text)), text
