"""Which writing system a text is in, so text the English voices cannot read is refused early.

The narrator and the speaker pool are English eSpeak NG voices. Given Chinese or Hebrew, such a
voice names each character ("Chinese letter"), the clip comes out several times longer than
its text can explain, and the render fails mid-way on a check meant for English. Text mostly in
another script is refused before any synthesis instead; a few foreign characters in an English
sentence (a name in its own script) are left alone.
"""

from __future__ import annotations

import re
import unicodedata

FOREIGN_SHARE = 0.3
"""A text whose letters are at least this share non-Latin is not English to read."""
_MIN_LETTERS = 3
_NAMES = {"CJK": "Chinese", "HIRAGANA": "Japanese", "KATAKANA": "Japanese", "HANGUL": "Korean"}
_BEYOND_LATIN = re.compile(r"[^\x00-\u024f\u1e00-\u1eff\u2000-\u206f]|[ªµº]")
"""Characters outside Basic Latin, Latin-1, Latin Extended A/B and Additional, and general
punctuation: only text with some can be in another script (a fast test for every segment)."""


def _script(char: str) -> str:
    """The Unicode script of a letter, from its name's first word (LATIN, HEBREW, CJK, ...)."""
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if name else "UNKNOWN"


def foreign_script(text: str) -> str | None:
    """The name of the non-Latin script most of `text`'s letters are in, or None."""
    if _BEYOND_LATIN.search(text) is None:
        return None
    counts: dict[str, int] = {}
    letters = 0
    for char in text:
        if char.isalpha():
            letters += 1
            script = _script(char)
            if script != "LATIN":
                counts[script] = counts.get(script, 0) + 1
    foreign = sum(counts.values())
    if foreign < _MIN_LETTERS or foreign < FOREIGN_SHARE * letters:
        return None
    top = max(counts, key=lambda s: counts[s])
    return _NAMES.get(top, top.title())
