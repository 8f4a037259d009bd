"""Spoken form of marks that news pages carry and listeners should not hear spelled out.

Bracketed insertions in quotes ("min[ute]"), market instrument codes ("(.DJI)", "(US10YT=RR)"),
a leading dot (".45-caliber", which the tidy-up would glue to the word before), tweet links,
weekday abbreviations, British titles without a full stop ("Ms Smith"), Canadian province
codes after a place, mixed numbers ("1-1/2") and bond-price fractions ("7/32").
"""

from __future__ import annotations

import re

# "min[ute]", "give[s]", "[T]he": the inserted letters join the word they complete.
_BRACKET_IN_WORD = re.compile(r"(?<=[A-Za-z])\[([A-Za-z]{1,12})\]|\[([A-Za-z]{1,12})\](?=[a-z])")
_CODE = r"(?:\.[A-Z0-9]{2,8}|[A-Z0-9]{1,10}(?:=[A-Z0-9]{0,4}|\.[A-Z]{1,2}))"
_TICKERS = re.compile(rf"\s*\(\s*{_CODE}(?:\s*,\s*{_CODE})*\s*\)")
_LEADING_DOT = re.compile(r"(?<=\s)\.(?=\d|[A-Z]{2,}\b)")
_TWEET_LINK = re.compile(r"\s*(?:https?://)?(?:t\.co|pic\.twitter\.com|pic\.x\.com)/\w+")
_WEEKDAYS = {
    "Mon": "Monday", "Tue": "Tuesday", "Tues": "Tuesday", "Wed": "Wednesday",
    "Thu": "Thursday", "Thur": "Thursday", "Thurs": "Thursday", "Fri": "Friday",
    "Sat": "Saturday", "Sun": "Sunday",
}  # fmt: skip
# "Sun." and "Sat." are words too ("the Sun."): only before a comma, "and" or a date.
_WEEKDAY = re.compile(
    r"\b(?P<day>Mon|Tues?|Wed|Thu(?:rs?)?|Fri)\.(?P<after>\s+[A-Z]|\s*$)?"
    r"|\b(?P<weekend>Sat|Sun)\.(?=,|\s+and\b|\s+(?:\d|[A-Z][a-z]{2,8}\.?\s+\d))"
)
_BRITISH_TITLES = {"Ms": "Miz", "Mr": "Mister", "Mrs": "Missus", "Dr": "Doctor"}
_BRITISH_TITLE = re.compile(r"\b(?P<title>Ms|Mrs|Mr|Dr)(?=\s+[A-Z][a-z])")
_PROVINCES = {
    "ON": "Ontario", "QC": "Quebec", "BC": "British Columbia", "AB": "Alberta",
    "MB": "Manitoba", "SK": "Saskatchewan", "NS": "Nova Scotia", "NB": "New Brunswick",
    "NL": "Newfoundland and Labrador", "PE": "Prince Edward Island", "PEI": "Prince Edward Island",
    "YT": "Yukon", "NT": "Northwest Territories", "NU": "Nunavut", "Ont.": "Ontario",
    "Que.": "Quebec", "Alta.": "Alberta", "Sask.": "Saskatchewan", "Man.": "Manitoba",
}  # fmt: skip
_PROVINCE = re.compile(
    r"(?<=[a-z],\s)(?P<code>PEI|ON|QC|BC|AB|MB|SK|NS|NB|NL|PE|YT|NT|NU|Ont\.|Que\.|Alta\.|Sask\.)"
    r"(?![\w])"
)
_MIXED_NUMBER = re.compile(r"(?<![\w/.])(?P<whole>\d+)[- ](?P<fraction>\d{1,2}/\d{1,2})(?![\w/])")
_DENOMINATORS = {
    2: ("half", "halves"), 3: ("third", "thirds"), 4: ("quarter", "quarters"),
    5: ("fifth", "fifths"), 6: ("sixth", "sixths"), 8: ("eighth", "eighths"),
    10: ("tenth", "tenths"), 16: ("sixteenth", "sixteenths"),
    32: ("thirty-second", "thirty-seconds"), 64: ("sixty-fourth", "sixty-fourths"),
}  # fmt: skip
_FRACTION = re.compile(r"(?<![\w/.-])(?P<top>\d{1,2})/(?P<bottom>\d{1,2})(?![\w/])")


def _fraction(match: re.Match[str]) -> str:
    top, bottom = int(match["top"]), int(match["bottom"])
    names = _DENOMINATORS.get(bottom)
    if names is None or not 0 < top < bottom:
        return match.group(0)  # "9/11", "24/7", "50/50": not fractions
    return f"one {names[0]}" if top == 1 else f"{top} {names[1]}"


def _weekday(match: re.Match[str]) -> str:
    if match["weekend"]:
        return _WEEKDAYS[match["weekend"]]
    after = match["after"]
    # The full stop stays when it also ended the sentence.
    return _WEEKDAYS[match["day"]] + ("." + after if after is not None else "")


def marks_to_spoken(text: str) -> str:
    """Rewrite the marks above into words (or drop them); anything else is left alone."""
    if "[" in text:
        text = _BRACKET_IN_WORD.sub(lambda m: m[1] or m[2], text)
    if "(" in text:
        text = _TICKERS.sub("", text)
    if "." in text:
        text = _TWEET_LINK.sub("", text)
        text = _LEADING_DOT.sub("", text)
        text = _WEEKDAY.sub(_weekday, text)
    text = _BRITISH_TITLE.sub(lambda m: _BRITISH_TITLES[m["title"]], text)
    if ", " in text:
        text = _PROVINCE.sub(lambda m: _PROVINCES[m["code"]], text)
    if "/" in text:
        text = _MIXED_NUMBER.sub(lambda m: f"{m['whole']} and {m['fraction']}", text)
        text = _FRACTION.sub(_fraction, text)
    return text
