"""Split text into sentences for the engine, keeping every word: no loss, no additions."""

from __future__ import annotations

import re

# Abbreviations after which a period never ends a sentence: a name or number always follows.
TITLES = frozenset(
    [
        "Gen", "Sen", "Rep", "Gov", "Dr", "Mr", "Mrs", "Ms", "Mx", "Prof", "Lt", "Col", "Sgt",
        "Capt", "Adm", "Maj", "Cmdr", "Cpl", "Pvt", "Gens", "Sens", "Reps", "Rev", "Fr", "Hon",
        "Pres", "Supt", "Insp", "Det", "Mt", "St", "Ste", "No", "Nos", "Nr", "Vol", "Vols", "Ch",
        "Art", "Fig", "Figs", "pp", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept",
        "Oct", "Nov", "Dec", "vs", "v", "cf", "approx", "ca", "Calif", "Mass", "Penn", "Conn",
        "Ariz", "Colo", "Fla", "Ga", "Ill", "Ind", "Kan", "Ky", "La", "Md", "Mich", "Minn", "Miss",
        "Mo", "Mont", "Neb", "Nev", "Okla", "Ore", "Tenn", "Tex", "Va", "Vt", "Wash", "Wis", "Wyo",
    ]
)  # fmt: skip
# Abbreviations that end a sentence only when a typical sentence opener follows.
TRAILING = frozenset(
    [
        "Inc", "Corp", "Co", "Ltd", "Jr", "Sr", "etc", "Bros", "Assn", "Dept", "Univ", "Ave",
        "Blvd", "Rd", "a.m", "p.m", "e.g", "i.e",
    ]
)  # fmt: skip
SENTENCE_OPENERS = frozenset(
    [
        "The", "A", "An", "He", "She", "It", "They", "We", "I", "You", "But", "And", "Or", "So",
        "Yet", "In", "On", "At", "For", "As", "If", "When", "While", "After", "Before", "Since",
        "This", "That", "These", "Those", "There", "Here", "His", "Her", "Its", "Their", "Our",
        "My", "Your", "What", "Who", "Why", "How", "Now", "Then", "Still", "Meanwhile", "However",
        "Also", "Many", "Some", "Most", "Both", "Each", "One", "Two", "Three", "No", "Not",
    ]
)  # fmt: skip
_END = re.compile(r"[.!?…][.!?…]*[”’\"')\]»]*$")
_INITIALS = re.compile(r"^(?:[A-Za-z]\.)+$")  # U.S., J., a.m.
_PUNCT_CUT = re.compile(r"[,;:—–]$|^[—–-]{1,2}$")


def _ends_sentence(token: str, following: str | None) -> bool:
    """Whether a sentence ends after `token`, looking at the token that follows."""
    if _END.search(token) is None:
        return False
    if following is None:
        return True
    if not any(c.isalnum() for c in following):
        return False  # a lone "…" or "—" stays with the sentence before it
    core = token.lstrip("“‘\"'([").rstrip("”’\"')]»")
    if not core.endswith("."):
        return True  # ! ? … end sentences whatever comes next
    word = core[:-1]
    if word in TITLES or (len(word) == 1 and word.isalpha()):
        return False  # "Gen. McKenzie", "John F. Kennedy"
    if word in TRAILING or _INITIALS.match(core):
        # "the U.S. Central Command" goes on; "left the U.S. The next day" ends.
        return following[:1] in '“"‘' or following.lstrip("([") in SENTENCE_OPENERS
    first = following.lstrip("“‘\"'([")[:1]
    return not (first.islower() or first in ",;:")


def _cut_long(tokens: list[str], max_chars: int) -> list[str]:
    """Cut one over-long sentence at punctuation (in the second half) or word boundaries."""
    pieces: list[str] = []
    start = 0  # first token of the piece being built
    length = 0  # its length in characters, spaces included
    last_punct = -1  # index of its last token ending in , ; : or a dash, past the half
    for i, token in enumerate(tokens):
        if i > start and length + 1 + len(token) > max_chars:
            cut = last_punct + 1 if last_punct >= start else i
            pieces.append(" ".join(tokens[start:cut]))
            start = cut
            length = len(" ".join(tokens[start:i]))  # at most half a piece: linear overall
            last_punct = -1
            if i > start and length + 1 + len(token) > max_chars:
                pieces.append(" ".join(tokens[start:i]))
                start, length = i, 0
        length += len(token) + (1 if i > start else 0)
        if _PUNCT_CUT.search(token) and length >= max_chars // 2:
            last_punct = i
    if start < len(tokens):
        pieces.append(" ".join(tokens[start:]))
    return pieces


def split_sentences(text: str, max_chars: int = 400) -> list[str]:
    """Split text at sentence ends (not after Gen., Dr., U.S., etc.); long pieces are cut at
    commas or word boundaries so the engine gets them in pieces."""
    tokens = text.split()
    sentences: list[list[str]] = [[]]
    for i, token in enumerate(tokens):
        sentences[-1].append(token)
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        if following is not None and _ends_sentence(token, following):
            sentences.append([])
    pieces: list[str] = []
    for sentence in sentences:
        if not sentence:
            continue
        joined = " ".join(sentence)
        if len(joined) <= max_chars:
            pieces.append(joined)
        else:
            pieces.extend(_cut_long(sentence, max_chars))
    return pieces
