"""Spoken form of numbers: money, percentages, ranges, years and decades, dates, times, units."""

from __future__ import annotations

import re

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"(?:thousand|million|billion|trillion|[mMbB]n|[mMbBkK](?![\w]))"
_SCALE_WORDS = {"k": "thousand", "m": "million", "mn": "million", "b": "billion", "bn": "billion"}

# Currency prefixes: (singular, plural, minor singular, minor plural or "" when not read).
_CURRENCIES: dict[str, tuple[str, str, str, str]] = {
    "$": ("dollar", "dollars", "cent", "cents"),
    "US$": ("US dollar", "US dollars", "cent", "cents"),
    "C$": ("Canadian dollar", "Canadian dollars", "cent", "cents"),
    "CA$": ("Canadian dollar", "Canadian dollars", "cent", "cents"),
    "A$": ("Australian dollar", "Australian dollars", "cent", "cents"),
    "AU$": ("Australian dollar", "Australian dollars", "cent", "cents"),
    "NZ$": ("New Zealand dollar", "New Zealand dollars", "cent", "cents"),
    "HK$": ("Hong Kong dollar", "Hong Kong dollars", "cent", "cents"),
    "£": ("pound", "pounds", "penny", "pence"),
    "€": ("euro", "euros", "cent", "cents"),
    "¥": ("yen", "yen", "", ""),
    "₹": ("rupee", "rupees", "paisa", "paise"),
    "₩": ("won", "won", "", ""),
    "₽": ("ruble", "rubles", "kopek", "kopeks"),
}
_CURRENCY = "|".join(re.escape(c) for c in sorted(_CURRENCIES, key=len, reverse=True))
_MONEY = re.compile(
    rf"(?<![\w$])(?P<cur>{_CURRENCY})\s?(?P<num>{_NUM})"
    rf"(?:\s?(?:-|–|to)\s?(?:{_CURRENCY})?(?P<num2>{_NUM}))?"
    rf"(?:\s?(?P<scale>{_SCALE}))?(?![\d])"
)

_PERCENT = re.compile(rf"(?P<num>{_NUM})(?:\s?(?:-|–)\s?(?P<num2>{_NUM}))?\s?(?:%|per\s?cent\b)")
# 2020–21, 5-10, pages 3–7; not phone numbers or ISO dates (more than two parts).
_RANGE = re.compile(rf"(?<![\w.,/:-])(?P<a>{_NUM})\s?(?:–|-|—)\s?(?P<b>{_NUM})(?![\w/:-]|[.,]\d)")
_ISO_DATE = re.compile(r"(?<![\w-])(\d{4})-(\d{2})-(\d{2})(?![\w-])")
_DECADE = re.compile(r"(?<![\w'’])(?:(?P<century>1[0-9]|20)|['’])(?P<tens>[0-9])0s\b")
# Found by the year itself (a fast literal scan), then the word before it is checked.
_YEAR = re.compile(r"(?<![\w$£€.,])20[1-9]\d\b(?![,.]\d|%)")
_YEAR_LEAD = re.compile(
    r"(?:\b(?:in|since|by|until|till|from|through|during|before|after|of|year|early|late|mid"
    r"|spring|summer|fall|autumn|winter|january|february|march|april|may|june|july|august"
    r"|september|october|november|december)|\d(?:st|nd|rd|th)?,)\s+$"
)
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
_DATE = re.compile(
    r"\b(?P<month>" + "|".join(_MONTHS) + r")\s+(?P<day>[1-9]|[12]\d|3[01])\b(?![,.]?\d{3}|:|\s*%)"
)
_TIME = re.compile(r"\b(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)\b(?!:)")
_ORDINAL_WORDS = {
    "1": "first", "2": "second", "3": "third", "5": "fifth", "8": "eighth", "9": "ninth",
    "12": "twelfth",
}  # fmt: skip
_DECADE_WORDS = {
    "0": "hundreds", "1": "tens", "2": "twenties", "3": "thirties", "4": "forties",
    "5": "fifties", "6": "sixties", "7": "seventies", "8": "eighties", "9": "nineties",
}  # fmt: skip

_UNITS: dict[str, tuple[str, str]] = {
    "km/h": ("kilometer per hour", "kilometers per hour"),
    "kph": ("kilometer per hour", "kilometers per hour"),
    "mph": ("mile per hour", "miles per hour"),
    "km": ("kilometer", "kilometers"),
    "cm": ("centimeter", "centimeters"),
    "mm": ("millimeter", "millimeters"),
    "mi": ("mile", "miles"),
    "kg": ("kilogram", "kilograms"),
    "mg": ("milligram", "milligrams"),
    "g": ("gram", "grams"),
    "lb": ("pound", "pounds"),
    "lbs": ("pound", "pounds"),
    "oz": ("ounce", "ounces"),
    "ft": ("foot", "feet"),
    "sq ft": ("square foot", "square feet"),
    "sq mi": ("square mile", "square miles"),
    "km²": ("square kilometer", "square kilometers"),
    "m²": ("square meter", "square meters"),
    "ml": ("milliliter", "milliliters"),
    "mL": ("milliliter", "milliliters"),
    "l": ("liter", "liters"),
    "L": ("liter", "liters"),
    "kWh": ("kilowatt hour", "kilowatt hours"),
    "kW": ("kilowatt", "kilowatts"),
    "MW": ("megawatt", "megawatts"),
    "GW": ("gigawatt", "gigawatts"),
    "GB": ("gigabyte", "gigabytes"),
    "MB": ("megabyte", "megabytes"),
    "TB": ("terabyte", "terabytes"),
    "°C": ("degree Celsius", "degrees Celsius"),
    "°F": ("degree Fahrenheit", "degrees Fahrenheit"),
    "°": ("degree", "degrees"),
}
_UNIT = re.compile(
    rf"(?P<num>{_NUM})\s?(?P<unit>"
    + "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
    + r")(?:\.(?=\s+[a-z]))?(?![\w²/])"
)


def _is_one(number: str) -> bool:
    return number in ("1", "1.0", "01")


def _money(match: re.Match[str]) -> str:
    major, majors, minor, minors = _CURRENCIES[match["cur"]]
    num, num2, scale = match["num"], match["num2"], match["scale"]
    if scale:
        scale = _SCALE_WORDS.get(scale.lower(), scale.lower())
        amount = f"{num} to {num2}" if num2 else num
        return f"{amount} {scale} {majors}"
    if num2:
        return f"{num} to {num2} {majors}"
    whole, _, cents = num.partition(".")
    if cents and len(cents) == 2 and minor:
        cents_value = int(cents)
        cent_word = minor if cents_value == 1 else minors
        if whole in ("0", ""):
            return f"{cents_value} {cent_word}"
        major_word = major if _is_one(whole) else majors
        if cents_value == 0:
            return f"{whole} {major_word}"
        return f"{whole} {major_word} {cents_value} {cent_word}"
    return f"{num} {major if _is_one(num) else majors}"


def _percent(match: re.Match[str]) -> str:
    if match["num2"]:
        return f"{match['num']} to {match['num2']} percent"
    return f"{match['num']} percent"


def _range(match: re.Match[str]) -> str:
    return f"{match['a']} to {match['b']}"


def _decade(match: re.Match[str]) -> str:
    words = _DECADE_WORDS[match["tens"]]
    century = match["century"]
    if century is None:
        return words
    if century == "20" and match["tens"] == "0":
        return "two thousands"
    return f"{century} {words}"


def _year(match: re.Match[str]) -> str:
    # "in 2021" is said "twenty twenty-one", not "two thousand twenty-one" (but "2021 people").
    start = match.start()
    before = match.string[max(0, start - 12) : start].lower()
    year = match.group(0)
    return f"{year[:2]} {year[2:]}" if _YEAR_LEAD.search(before) else year


def ordinal(day: str) -> str:
    """A day number as eSpeak reads an ordinal: "30" -> "30th", "1" -> "1st"."""
    value = int(day)
    teen = 10 <= value % 100 <= 20
    suffix = "th" if teen else {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
    return f"{value}{suffix}"


def _date(match: re.Match[str]) -> str:
    return f"{match['month']} {ordinal(match['day'])}"


def _iso_date(match: re.Match[str]) -> str:
    year, month, day = match.groups()
    if not 1 <= int(month) <= 12 or not 1 <= int(day) <= 31:
        return match.group(0)
    return f"{_MONTHS[int(month) - 1]} {ordinal(day)}, {year}"


def _time(match: re.Match[str]) -> str:
    hour, minute = int(match["h"]), match["m"]
    if minute == "00":
        return f"{hour} o'clock" if hour <= 12 else f"{hour} hundred"
    if minute.startswith("0"):
        return f"{hour} oh {minute[1]}"
    return f"{hour} {minute}"


# A bare "m" is meters only where a length is meant; "5m people" (millions) is left alone.
_METERS = re.compile(
    rf"(?P<num>{_NUM})\s?m(?=\s+(?:tall|long|high|wide|deep|away|above|below|sprint|race|"
    r"hurdles|freestyle|backstroke|butterfly|breaststroke|relay|medley)\b|[.,;:)]|$)"
)


# "1.5bn people", "5m voters": scale abbreviations without a currency (after _METERS).
_BARE_SCALE = re.compile(rf"(?<![\w.])(?P<num>{_NUM})\s?(?P<scale>bn|tn|m)\b(?![²/])")
_BARE_SCALE_WORDS = {"bn": "billion", "tn": "trillion", "m": "million"}


def _unit(match: re.Match[str]) -> str:
    one, many = _UNITS[match["unit"]]
    return f"{match['num']} {one if _is_one(match['num']) else many}"


_DIGIT = re.compile(r"\d")
_CURRENCY_CHARS = frozenset("$£€¥₹₩₽")


def numbers_to_spoken(text: str) -> str:
    """Rewrite money, percentages, ranges, decades, years, dates, times and units."""
    if _DIGIT.search(text) is None:
        return text  # most sentences have no numbers: skip every rule below
    if not _CURRENCY_CHARS.isdisjoint(text):
        text = _MONEY.sub(_money, text)
    if "%" in text or "cent" in text:
        text = _PERCENT.sub(_percent, text)
    if "-" in text:
        text = _ISO_DATE.sub(_iso_date, text)
    if "0s" in text:
        text = _DECADE.sub(_decade, text)
    if ":" in text:
        text = _TIME.sub(_time, text)
    text = _RANGE.sub(_range, text)
    text = _DATE.sub(_date, text)
    if "20" in text:
        text = _YEAR.sub(_year, text)
    text = _METERS.sub(lambda m: f"{m['num']} {'meter' if _is_one(m['num']) else 'meters'}", text)
    text = _BARE_SCALE.sub(lambda m: f"{m['num']} {_BARE_SCALE_WORDS[m['scale']]}", text)
    return _UNIT.sub(_unit, text)
