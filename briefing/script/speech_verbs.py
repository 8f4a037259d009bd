"""Verbs that introduce reported speech, in every tense form, as one compiled pattern."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any


def _word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of a word-list literal."""
    return frozenset(text.split())


# Irregular verbs: base, third person, past, past participle, gerund.
_IRREGULAR = {
    "say": ("say", "says", "said", "saying"),
    "tell": ("tell", "tells", "told", "telling"),
    "write": ("write", "writes", "wrote", "written", "writing"),
    "speak": ("speak", "speaks", "spoke", "spoken", "speaking"),
    "tweet": ("tweet", "tweets", "tweeted", "tweeting"),
    "post": ("post", "posts", "posted", "posting"),
    "read": ("read", "reads", "reading"),
    "swear": ("swear", "swears", "swore", "sworn", "swearing"),
    "begin": ("begin", "begins", "began", "begun", "beginning"),
    "put": ("put", "puts", "putting"),
    "go on": ("go on", "goes on", "went on", "gone on", "going on"),
    "shoot back": ("shoot back", "shoots back", "shot back", "shooting back"),
    "hit back": ("hit back", "hits back", "hitting back"),
    "lash out": ("lash out", "lashes out", "lashed out", "lashing out"),
    "fire back": ("fire back", "fires back", "fired back", "firing back"),
    "chime in": ("chime in", "chimes in", "chimed in", "chiming in"),
    "point out": ("point out", "points out", "pointed out", "pointing out"),
    "lay out": ("lay out", "lays out", "laid out", "laying out"),
}

# Regular verbs: forms are built from the base (add, added, adds, adding).
_REGULAR = _word_set("""
add admit acknowledge advise affirm agree allege announce answer argue ask assert assure
boast brag caution charge claim comment complain concede conclude confess confirm contend
continue counter cry declare decry demand deny describe disclose dismiss emphasize emphasise
estimate exclaim explain fume gush highlight hint indicate inform insist instruct joke lament
maintain mention muse note object observe offer opine plead predict proclaim promise
pronounce propose protest quip reason recall recount reflect reiterate rejoin relate remark
remind reply report respond retort reveal scoff scream shout sigh snap state stress suggest
summarize testify thunder urge vow warn whisper wonder yell pledge
concur marvel grumble call accuse apologise apologize blast slam criticize criticise
praise hail welcome defend recommend elaborate underline underscore specify attest
""")

# Further verb phrases used by reporters that take a quotation, and the commonest verbs of
# quotations left untranslated in English copy (German, French, Spanish, Italian).
_PHRASES = (
    "was quoted as saying",
    "is quoted as saying",
    "were quoted as saying",
    "sagte",
    "sagt",
    "erklärte",
    "a déclaré",
    "a dit",
    "a affirmé",
    "dijo",
    "afirmó",
    "ha detto",
)


# Regular verbs that double their last consonant (snapped, quipped, admitted).
_DOUBLED = frozenset({"snap", "quip", "admit", "concur", "slam"})


def _regular_forms(base: str) -> tuple[str, ...]:
    """Base, third person, past and gerund of a regular verb."""
    if base.endswith("ee"):
        past, ing = base + "d", base + "ing"
    elif base.endswith("e"):
        past, ing = base + "d", base[:-1] + "ing"
    elif base.endswith("y") and base[-2] not in "aeiou":
        past, ing = base[:-1] + "ied", base + "ing"
    elif base in _DOUBLED:
        past, ing = base + base[-1] + "ed", base + base[-1] + "ing"
    else:
        past, ing = base + "ed", base + "ing"
    if base.endswith(("s", "sh", "ch", "x", "z")):
        third = base + "es"
    elif base.endswith("y") and base[-2] not in "aeiou":
        third = base[:-1] + "ies"
    else:
        third = base + "s"
    return base, third, past, ing


def all_forms() -> frozenset[str]:
    """Every speech-verb form the attribution patterns accept."""
    forms: set[str] = set(_PHRASES)
    for irregular in _IRREGULAR.values():
        forms.update(irregular)
    for base in _REGULAR:
        forms.update(_regular_forms(base))
    return frozenset(forms)


SPEECH_VERB_FORMS = all_forms()


# Longest first so "went on" beats "went" and "was quoted as saying" beats "saying".
def trie_pattern(words: Iterable[str]) -> str:
    """One regex alternation for many words, factored by prefix so matching stays fast.

    A node's branches start with different characters, so at most one can match at a place
    and their order does not matter; those of one last character go into one class
    (`(?:d|s)` -> `[ds]`), which `re` parses faster. Longer words come first: a word that is
    a prefix of others only makes the rest optional, and the optional part is greedy.
    """
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        last: list[str] = []  # characters that end a word and have nothing after them
        branches: list[str] = []
        for ch, child in sorted(node.items()):
            rest = build(child) if ch else ""
            if rest or ch == " ":
                branches.append(re.escape(ch).replace(r"\ ", r"\s+") + rest)
            elif ch:
                last.append(re.escape(ch))
        if last:
            branches.append(last[0] if len(last) == 1 else "[" + "".join(last) + "]")
        if not branches:
            return ""
        if len(branches) > 1:
            body, atom = "(?:" + "|".join(branches) + ")", True
        else:
            body, atom = branches[0], bool(last)  # one character or a class is an atom
        if "" in node:
            return body + "?" if atom else f"(?:{body})?"
        return body

    return "(?:" + build(trie) + ")"


VERB_PATTERN = trie_pattern(SPEECH_VERB_FORMS) + r"(?![\w’'-])"

# Verbs by which a publication is cited ("As Foreign Policy profiled"): a cue that X is an outlet.
MEDIA_VERBS = _word_set("reported reports profiled published revealed broke editorialized")


def _unambiguous(form: str) -> bool:
    """Whether a form is plainly a verb: past tense, gerund or a say/tell/write form."""
    return form.endswith(("ed", "ing")) or form in _PLAIN or " " in form


_PLAIN = _word_set(
    "said says told tells wrote writes spoke swore read added adds asked asks insists argues "
    "warns explains recalls admits concedes notes"
)
STRONG_VERB_RE = re.compile(
    r"(?<![\w-])" + trie_pattern(f for f in SPEECH_VERB_FORMS if _unambiguous(f)) + r"(?![\w’'-])"
)


def has_speech_verb(text: str) -> bool:
    """Whether `text` contains a form that is plainly a speech verb (not "report", "claim")."""
    return STRONG_VERB_RE.search(text) is not None
