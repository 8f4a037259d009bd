"""Spoken form: rewrite text written for the eye into what the engine should say.

Each rule is a compiled regex applied once over the text (linear time); the order matters:
the lexicon first (producers override everything), then addresses, money and numbers (they
contain dots and dashes), then abbreviations and acronyms, then symbols and pauses.
What eSpeak NG does with each form was measured (see tests/golden/spoken/README.md).
"""

from __future__ import annotations

import re

from briefing.script.lexicon import Lexicon, default_lexicon
from briefing.script.normalize_marks import marks_to_spoken
from briefing.script.normalize_numbers import numbers_to_spoken
from briefing.script.normalize_web import web_to_spoken

# Titles before a name: always expanded, the period dropped (a name follows, not a new sentence).
_TITLES = {
    "Gen": "General", "Lt. Gen": "Lieutenant General", "Maj. Gen": "Major General",
    "Brig. Gen": "Brigadier General", "Lt. Col": "Lieutenant Colonel", "Lt": "Lieutenant",
    "Col": "Colonel", "Maj": "Major", "Capt": "Captain", "Sgt": "Sergeant", "Cpl": "Corporal",
    "Pvt": "Private", "Adm": "Admiral", "Vice Adm": "Vice Admiral", "Rear Adm": "Rear Admiral",
    "Cmdr": "Commander", "Sen": "Senator", "Sens": "Senators", "Rep": "Representative",
    "Reps": "Representatives", "Gov": "Governor", "Lt. Gov": "Lieutenant Governor",
    "Dr": "Doctor", "Drs": "Doctors", "Mr": "Mister", "Messrs": "Messieurs", "Mrs": "Missus",
    "Ms": "Miz", "Prof": "Professor", "Rev": "Reverend", "Fr": "Father", "Hon": "Honorable",
    "Pres": "President", "Supt": "Superintendent", "Det": "Detective", "Insp": "Inspector",
    "Atty": "Attorney", "Sup": "Superintendent", "Mt": "Mount", "Ft": "Fort", "Pt": "Point",
}  # fmt: skip
_TITLE = re.compile(
    r"\b(?P<abbr>"
    + "|".join(re.escape(t) for t in sorted(_TITLES, key=len, reverse=True))
    + r")\.(?=\s+(?:[A-Z]|\d|“|\"))"
)
_MONTH_ABBR = {
    "Jan": "January", "Feb": "February", "Mar": "March", "Apr": "April", "Jun": "June",
    "Jul": "July", "Aug": "August", "Sep": "September", "Sept": "September", "Oct": "October",
    "Nov": "November", "Dec": "December",
}  # fmt: skip
_MONTH = re.compile(r"\b(?P<abbr>" + "|".join(_MONTH_ABBR) + r")\.?(?=\s+\d{1,2}\b)")
# Abbreviations that may end a sentence: the period stays when a new sentence follows.
_WORD_ABBR = {
    "Inc": "Incorporated", "Corp": "Corporation", "Co": "Company", "Ltd": "Limited",
    "Jr": "Junior", "Sr": "Senior", "Bros": "Brothers", "Ave": "Avenue", "Blvd": "Boulevard",
    "Rd": "Road", "Dept": "Department", "Univ": "University", "Assn": "Association",
    "Govt": "Government", "Intl": "International", "approx": "approximately",
    "vs": "versus", "etc": "et cetera", "est": "established",
}  # fmt: skip
_WORD_ABBR_RE = re.compile(r"\b(?P<abbr>" + "|".join(_WORD_ABBR) + r")\.(?P<after>\s+\S|$)")
_EG_IE = re.compile(r"\b(?:(?P<eg>e\.\s?g)|(?P<ie>i\.\s?e))\.(?=[\s,])")
_SAINT = re.compile(r"\bSt\.?(?=\s+[A-Z])")
_STREET = re.compile(r"(?<=[A-Za-z0-9])\s+St\.?(?=[\s,;:]|$)")
_NUMBER = re.compile(r"\b(?P<abbr>No|Nos|no)\.\s?(?=\d)")
_PARTY = re.compile(r"\((?P<party>[DRI])-(?P<state>[A-Z][A-Za-z. ]{1,15}?)\.?\)")
_PARTY_COMMAS = re.compile(r",\s+(?P<party>[DRI])-(?P<state>[A-Z][A-Za-z.]{1,10}?)\.?,")
_PARTIES = {"D": "Democrat", "R": "Republican", "I": "Independent"}
_STATES = {
    "Ala": "Alabama", "Ariz": "Arizona", "Ark": "Arkansas", "Calif": "California",
    "Colo": "Colorado", "Conn": "Connecticut", "Del": "Delaware", "Fla": "Florida",
    "Ga": "Georgia", "Ill": "Illinois", "Ind": "Indiana", "Kan": "Kansas", "Ky": "Kentucky",
    "La": "Louisiana", "Md": "Maryland", "Mass": "Massachusetts", "Mich": "Michigan",
    "Minn": "Minnesota", "Miss": "Mississippi", "Mo": "Missouri", "Mont": "Montana",
    "Neb": "Nebraska", "Nev": "Nevada", "N.H": "New Hampshire", "N.J": "New Jersey",
    "N.M": "New Mexico", "N.Y": "New York", "N.C": "North Carolina", "N.D": "North Dakota",
    "Okla": "Oklahoma", "Ore": "Oregon", "Pa": "Pennsylvania", "R.I": "Rhode Island",
    "S.C": "South Carolina", "S.D": "South Dakota", "Tenn": "Tennessee", "Vt": "Vermont",
    "Va": "Virginia", "Wash": "Washington", "W.Va": "West Virginia", "Wis": "Wisconsin",
    "Wyo": "Wyoming", "Tex": "Texas",
}  # fmt: skip
# "WASHINGTON (AP) —", "OTTAWA, Ontario —", "NEW YORK, March 5 (Reuters) -"
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){0,3}"
    r"(?:,\s+[A-Z][A-Za-z.]+(?:\s+[A-Z][A-Za-z.]+)?)?)"
    r"(?:,\s+(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}))?"
    r"\s*(?:\((?:AP|Reuters|AFP|CNN|UPI|Bloomberg|dpa|CP|The Canadian Press)\)\s*)?"
    r"(?:—|–|--|-)\s+"
)
_TWO_CAPS = re.compile(r"[A-Z][A-Z]")
_NOT_LETTER = re.compile(r"[^A-Za-z]+")
_NOT_UPPER = re.compile(r"[^A-Z]+")
_SHOUTED = re.compile(r"(?<![\w.&'’-])(?P<caps>[A-Z]{2,})(?P<tail>['’]s\b)?(?![\w&'’-])")
_INITIALISM = re.compile(r"(?<![\w.&'’-])(?P<caps>[A-Z]{2,6})(?P<tail>s\b|['’]s\b)?(?![\w&'’-])")
_AMPERSAND_CAPS = re.compile(r"\b(?P<a>[A-Z]{1,3})&(?P<b>[A-Z]{1,3})\b")
_ROMAN = re.compile(
    r"\b(?P<before>World War|[A-Z][a-z]+)\s+(?P<roman>I{1,3}|IV|VI{0,3}|IX|X{1,2}I{0,3}|XI?V|XIX)\b"
)
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}
_ORDINALS = (
    "zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
    "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth",
    "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth",
)  # fmt: skip
_ROMAN_CARDINAL_AFTER = frozenset(
    {"War", "Bowl", "Apollo", "Title", "Part", "Chapter", "Phase", "Vatican", "Act", "Volume"}
)
_FRACTIONS = {"1/2": "one half", "1/3": "one third", "2/3": "two thirds", "1/4": "one quarter",
              "3/4": "three quarters", "½": "one half", "⅓": "one third", "⅔": "two thirds",
              "¼": "one quarter", "¾": "three quarters"}  # fmt: skip
_FRACTION_CHARS = frozenset("½⅓⅔¼¾")
_SYMBOL_CHARS = frozenset("&+=~×±§→≈")
_DROP_CHARS = frozenset("*_|•·[]{}<>^`")
_PAUSE_CHARS = frozenset("…—–-")
_FRACTION = re.compile(r"(?<![\w/])(?:[123]/[234]|[½⅓⅔¼¾])(?![\w/])")
_SLASH_NUMBERS = re.compile(r"(?<=\d)/(?=\d)")
_AND_OR = re.compile(r"\band/or\b")
_SLASH_WORDS = re.compile(r"(?<=[a-z])/(?=[a-z])")
_SLASH_OTHER = re.compile(r"(?<=\w)/(?=\w)")
_ELLIPSIS = re.compile(r"\s*(?:\.\s?\.\s?\.|…)\s*")
_DASH = re.compile(r"\s+(?:—|–|--|-)\s+|—|--")
_WORD_EN_DASH = re.compile(r"(?<=[A-Za-z.])–(?=[A-Za-z])")  # "U.S.–China", "Boston–Denver"
_VERSUS = re.compile(r"\b(?P<party>[A-Z][\w.'’-]*)\s+v\.\s+(?=[A-Z])")  # "Roe v. Wade"
_SYMBOL_WORDS = {"&": " and ", "+": " plus ", "=": " equals ", "~": " about ", "×": " times ",
                 "±": " plus or minus ", "§": " section ", "→": " to ", "≈": " about "}  # fmt: skip
_SYMBOL = re.compile(r"\s*[&+=~×±§→≈]\s*")
_DROP = re.compile(r"[*_|•·\[\]{}<>^`]")
_PARENS = re.compile(r"\s*\(\s*|\s*\)")
_APOSTROPHE = re.compile(r"(?<=\w)’(?=\w)|‘(?=\d\d?s)")
_SPACE_BEFORE = re.compile(r"\s+([,.;:!?])")
_COMMA_RUN = re.compile(r",(?:\s*,)+")
_COMMA_BEFORE_STOP = re.compile(r",\s*(?=[.!?;:])")
_COMMA_AFTER_STOP = re.compile(r"([!?;:]|(?<![A-Z])\.)\s*,")  # "U.S.," keeps its comma
_COMMA_AFTER_OPEN = re.compile(r"([“\"‘(])\s*,\s*")
_COMMA_SPACE = re.compile(r",(?=[^\s\d”\"’])")
_LEADING = re.compile(r"^[\s,;:]+")
_SPACES = re.compile(r"\s+")

# Words that start a new sentence after an abbreviation's period ("...Co. The company...").
_NEW_SENTENCE = re.compile(r"\s+[A-Z“\"]")


def _title(match: re.Match[str]) -> str:
    return _TITLES[match["abbr"]]


def _word_abbr(match: re.Match[str]) -> str:
    after = match["after"]
    word = _WORD_ABBR[match["abbr"]]
    # Keep the period when it also ends the sentence, so the engine still pauses there.
    if not after or _NEW_SENTENCE.match(after):
        return f"{word}.{after}"
    return f"{word}{after}"


def _party(match: re.Match[str]) -> str:
    state = match["state"].strip().rstrip(".")
    party = _PARTIES[match["party"]]
    return f", {party} of {_STATES.get(state, state)},"


def _dateline(match: re.Match[str]) -> str:
    place = match["place"]
    words = [w.capitalize() if w.isupper() and len(w) > 2 else w for w in place.split(" ")]
    date = f", {match['date']}" if match["date"] else ""
    return " ".join(words) + date + ". "


def _roman(match: re.Match[str]) -> str:
    roman, before = match["roman"], match["before"]
    value = 0
    for i, char in enumerate(roman):
        current = _ROMAN_VALUES[char]
        following = _ROMAN_VALUES[roman[i + 1]] if i + 1 < len(roman) else 0
        value += -current if current < following else current
    if before.split()[-1] in _ROMAN_CARDINAL_AFTER:
        return f"{before} {value}"
    if roman == "I" or value > 20:
        return match.group(0)  # "Part I" aside, a lone "I" after a name is the pronoun
    return f"{before} the {_ORDINALS[value]}"


def _ampersand_caps(match: re.Match[str]) -> str:
    """ "AT&T" -> "A.T. and T." (no second period when the sentence ends right there)."""
    end = "" if match.string[match.end() : match.end() + 1] == "." else "."
    return f"{'.'.join(match['a'])}. and {'.'.join(match['b'])}{end}"


def _acronyms(text: str, lexicon: Lexicon) -> str:
    """Letters for short initialisms ("GOP" -> "G.O.P."), words for those said as words."""
    if _TWO_CAPS.search(text) is None:
        return text
    letters = len(_NOT_LETTER.sub("", text))
    # An all-caps headline is words, not initialisms: only listed acronyms keep their letters.
    shouting = letters > 12 and len(_NOT_UPPER.sub("", text)) > 0.6 * letters

    def replace(match: re.Match[str]) -> str:
        caps, tail = match["caps"], match["tail"] or ""
        possessive = "'s" if tail else ""  # "CEOs" too: eSpeak reads "C.E.O.'s" as a plural
        if caps in lexicon.say:
            return caps.capitalize() + possessive  # "NATO's": eSpeak drops the 's on caps
        if caps in lexicon.spell or (not shouting and len(caps) <= 3):
            # Dotted letters are what eSpeak reliably reads letter by letter (even A and I).
            dotted = ".".join(caps)
            at_stop = not possessive and match.string[match.end() : match.end() + 1] == "."
            return dotted + possessive if at_stop else f"{dotted}.{possessive}"
        if shouting:
            return caps.capitalize() + possessive
        return caps + possessive if tail else match.group(0)

    return (_SHOUTED if shouting else _INITIALISM).sub(replace, text)


def _pauses(text: str) -> str:
    def ellipsis(match: re.Match[str]) -> str:
        start, end = match.start(), match.end()
        before = text[start - 1] if start else ""  # the pattern ate the spaces before it
        after = text[end : end + 1]
        if not before or before in ".!?,;:":
            return " "
        if not after or after.isupper() or after in '“"':
            return ". "
        return ", "

    text = _ELLIPSIS.sub(ellipsis, text)
    text = _WORD_EN_DASH.sub(" ", text)
    return _DASH.sub(", ", text)


def _tidy(text: str) -> str:
    """Collapse the commas and spaces that the rules above leave next to each other."""
    text = _SPACES.sub(" ", text).strip()
    text = _SPACE_BEFORE.sub(r"\1", text)
    text = _COMMA_RUN.sub(",", text)
    text = _COMMA_BEFORE_STOP.sub("", text)
    text = _COMMA_AFTER_STOP.sub(r"\1", text)
    text = _COMMA_AFTER_OPEN.sub(r"\1", text)
    text = _COMMA_SPACE.sub(", ", text)
    return _LEADING.sub("", text).rstrip(", ")


def _symbols(text: str) -> str:
    """Fractions, slashes and symbols read as words; typographic marks dropped."""
    if "/" in text or not _FRACTION_CHARS.isdisjoint(text):
        text = _FRACTION.sub(lambda m: " " + _FRACTIONS[m.group(0)] + " ", text)
        text = _AND_OR.sub("and or", text)
        text = _SLASH_NUMBERS.sub(" ", text)
        text = _SLASH_WORDS.sub(" or ", text)
        text = _SLASH_OTHER.sub(" ", text)
    if not _SYMBOL_CHARS.isdisjoint(text):
        text = _SYMBOL.sub(lambda m: _SYMBOL_WORDS[m.group(0).strip()], text)
    if not _DROP_CHARS.isdisjoint(text):
        text = _DROP.sub(" ", text)
    if "(" in text or ")" in text:
        text = _PARENS.sub(", ", text)
    return text


def _abbreviations(text: str) -> str:
    """Titles, months, Saint/Street, No., Inc. and friends, e.g./i.e."""
    if "(" in text:
        text = _PARTY.sub(_party, text)
    if "-" in text:
        text = _PARTY_COMMAS.sub(_party, text)  # "Amy Klobuchar, D-Minn., said"
    text = _MONTH.sub(lambda m: _MONTH_ABBR[m["abbr"]], text)
    if "." in text:
        text = _NUMBER.sub("number ", text)
        text = _TITLE.sub(_title, text)
        text = _WORD_ABBR_RE.sub(_word_abbr, text)
        text = _EG_IE.sub(lambda m: "for example" if m["eg"] else "that is", text)
        text = _VERSUS.sub(r"\g<party> versus ", text)
    if "St" in text:
        text = _SAINT.sub("Saint", text)
        text = _STREET.sub(" Street", text)
    return text


def to_spoken(text: str, lexicon: Lexicon | None = None) -> str:
    """Rewrite text written for the eye into what the engine should say.

    May return "" for text with nothing to say (a lone "…"); callers skip those.
    """
    lexicon = default_lexicon() if lexicon is None else lexicon
    if "’" in text or "‘" in text:
        text = _APOSTROPHE.sub("'", text)
    text = lexicon.respell(text)
    text = _DATELINE.sub(_dateline, text, count=1)
    text = web_to_spoken(marks_to_spoken(text))
    text = _abbreviations(text)
    text = numbers_to_spoken(text)
    text = _ROMAN.sub(_roman, text)
    if "&" in text:
        text = _AMPERSAND_CAPS.sub(_ampersand_caps, text)
    text = _acronyms(text, lexicon)
    text = _symbols(text)
    if not _PAUSE_CHARS.isdisjoint(text) or "..." in text:
        text = _pauses(text)
    return _tidy(text)
