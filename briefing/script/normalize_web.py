"""Spoken form of URLs, e-mail addresses, handles and hashtags: "example dot com"."""

from __future__ import annotations

import re

_URL = re.compile(
    r"\b(?:(?:https?|ftp)://|www\.)[^\s<>\"“”‘’()\[\]]+[^\s<>\"“”‘’()\[\].,;:!?]"
    r"|\b[a-z0-9][a-z0-9-]{0,62}(?:\.[a-z0-9-]{1,63})*\.(?:com|org|net|gov|edu|io|co\.uk|uk|ca"
    r"|de|fr|au|info|news|ai|app|dev|tv|us)\b(?:/[^\s<>\"“”‘’()\[\]]*[^\s<>\"“”‘’()\[\].,;:!?])?",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"\b[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+\b")
_HANDLE = re.compile(r"(?<![\w@])@(?P<name>[A-Za-z_]\w{0,30})\b")
_HASHTAG = re.compile(r"(?<![\w&#])#(?P<tag>[A-Za-z]\w{0,60})\b")
_HASH_NUMBER = re.compile(r"(?<![\w&#])#\s?(?P<num>\d+)\b")
_SYMBOLS = {".": " dot ", "/": " slash ", "@": " at ", "-": " dash ", "_": " underscore ",
            "?": " question mark ", "=": " equals ", "&": " and ", "~": " tilde ", ":": " colon ",
            "#": " hash ", "+": " plus ", "%": " percent "}  # fmt: skip
_SPLIT = re.compile(r"([./@\-_?=&~:#+%])")


def _spell_address(address: str) -> str:
    parts = [_SYMBOLS.get(part, part) for part in _SPLIT.split(address) if part]
    return " ".join("".join(parts).split())


def _url(match: re.Match[str]) -> str:
    url = match.group(0)
    # Listeners need the site, not the scheme or tracking parameters.
    url = re.sub(r"^(?:https?|ftp)://", "", url, flags=re.IGNORECASE)
    url = re.sub(r"^www\.", "", url, flags=re.IGNORECASE).split("?", 1)[0].split("#", 1)[0]
    url = url.rstrip("/")
    return _spell_address(url)


_TLD_HINT = re.compile(
    r"\.(?:com|org|net|gov|edu|io|uk|ca|de|fr|au|info|news|ai|app|dev|tv|us)\b|://|www\.",
    re.IGNORECASE,
)


def web_to_spoken(text: str) -> str:
    """Read e-mail addresses, URLs, @handles and #hashtags the way a person would."""
    # Cheap literal checks first: the full patterns are slow to try at every position.
    if "@" in text:
        text = _EMAIL.sub(lambda m: _spell_address(m.group(0)), text)
        text = _HANDLE.sub(lambda m: f"at {m['name']}", text)
    if _TLD_HINT.search(text) is not None:
        text = _URL.sub(_url, text)
    if "#" in text:
        text = _HASH_NUMBER.sub(lambda m: f"number {m['num']}", text)
        text = _HASHTAG.sub(lambda m: f"hashtag {m['tag']}", text)
    return text
