"""Cleanup for listening: find photo credits, captions, headline labels and site boilerplate.

Every rule matches a whole line (or a labelled prefix of the headline), so a real sentence is
never cut in half; everything taken out is reported as a Removal with its reason.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from briefing.model import Article, Paragraph, Removal

PHOTO_CREDIT = "photo credit"
CAPTION = "caption"
LABEL = "label"
BOILERPLATE = "boilerplate"
REPEATED = "pull quote"

_MAX_CREDIT = 120
_MAX_CAPTION = 300
_MAX_BOILERPLATE = 200

_LABEL = re.compile(
    r"(?i)^\s*(?:watch(?:\s+live)?|video|listen|audio|photos?|gallery|podcast)\s*[:|]\s+(?=\S)"
)

_NAME = r"[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|de|van|von|da|del|la|le|bin|al))*"
_AGENCY = (
    r"(?:AP|AFP|Reuters|Getty\s+Images|Getty|Associated\s+Press|EPA(?:-EFE)?|Shutterstock|"
    r"iStock(?:photo)?|Alamy|Bloomberg|Xinhua|ZUMA(?:\s+Press|\s+Wire)?|Sipa(?:\s+USA)?|"
    r"Invision|NurPhoto|Anadolu(?:\s+Agency)?|SOPA\s+Images|LightRocket|Corbis|Redux|UPI|Pool|"
    r"Polaris|TASS|Sputnik|Kyodo|Yonhap|Handout|Courtesy(?:\s+of\s+[^()]{1,60})?)"
)
# Credits that are only an image library's name, with nothing else on the line.
_IMAGE_LIBRARY = r"(?:Getty\s+Images|Shutterstock|iStock(?:photo)?|Alamy|Corbis|NurPhoto)"
_CREDIT_BODY = (
    # "AP Photo/Patrick Semansky, Pool", "Photo: Reuters", "Photo by Jane Doe", "Image credit: X"
    rf"(?:[\w.&-]+\s+){{0,3}}(?:Photo(?:graph)?s?|Images?|Pictures?|Illustration|Video)"
    rf"(?:\s+(?:credit|illustration|courtesy))?\s*(?:[:/]|\bby\b|\bcourtesy\b)\s*[^()]{{1,100}}"
    # "Chip Somodevilla/Getty Images", "AFP via Getty Images", "Reuters/Jane Doe"
    rf"|(?:{_NAME}\s*(?:/|\bvia\b|\bfor\b)\s*)+{_AGENCY}(?:\s*(?:/|\bvia\b|,)\s*[^()]{{1,60}})?"
    rf"|{_AGENCY}\s*(?:/|\bvia\b)\s*[^()]{{1,60}}"
    rf"|{_IMAGE_LIBRARY}"
    # "Evan Vucci/Associated Press" inside parentheses: a person, a slash, an outlet
    rf"|{_NAME}\s+{_NAME}\s*/\s*[^()/]{{2,60}}"
    rf"|Credit:\s*[^()]{{1,100}}"
    rf"|Image\s+source,\s*[^()]{{1,80}}"
)
_CREDIT_LINE = re.compile(rf"^\(?\s*(?:{_CREDIT_BODY})\s*\)?\s*$")
# A caption carrying its credit at the end: "Blinken speaks in Doha. (Evan Vucci/AP)".
# Stricter than a credit line: "(Reuters/Ipsos)" ending a sentence is a poll, not a credit.
_TAIL_BODY = (
    r"(?:[\w.&-]+\s+){0,3}(?:Photo(?:graph)?s?|Images?|Pictures?)\s*(?:[:/]|\bby\b)[^()]{1,100}"
    rf"|{_NAME}\s+{_NAME}\s*/\s*[^()/]{{2,60}}|[^()]{{1,60}}(?:/|\bvia\s+){_IMAGE_LIBRARY}"
)
_CREDIT_TAIL = re.compile(
    rf"(?:\(\s*(?:{_TAIL_BODY})\s*\)|\b[A-Z]{{2,}}\s+Photo\s*/\s*{_NAME}(?:,\s*\w+)?)\s*$"
)
_FILE_PHOTO = re.compile(r"^(?:FILE\s*[-–—:]|FILE PHOTO\b|Image caption,)|\bfile photo\b")

_PHOTO_VERB = re.compile(
    r"\b(?:speaks|listens|looks\s+on|gestures|waves|arrives|walks|poses|stands|sits|holds|"
    r"attends|delivers|testifies|is\s+seen|are\s+seen|pictured|departs|greets|gather|gathers|"
    r"marches|rally|addresses|smiles|reacts|celebrates|points|participates|visits|tours|"
    r"boards|prays|kneels|salutes|shakes\s+hands|is\s+shown|are\s+shown|seen\s+here)\b"
)
_PLACE_OR_TIME = re.compile(
    r"\b(?:at|in|during|outside|inside|on|near|before|after|from)\s+(?:the\s+)?[A-Z0-9]"
    r"|\b(?:at|in|during|outside|inside|on|near)\s+the\b"
)
_END_PUNCT = re.compile(r"[.!?:;…][”’\"')\]]*\s*$")

_PROFILE = (
    r"(?:https?://)?(?:www\.)?(?:twitter|x|facebook|instagram|linkedin|tiktok|threads)"
    r"\.(?:com|net)/\S+"
)
_BOILERPLATE = re.compile(
    r"(?i)^\s*(?:"
    r"please let us know if you(?:'|’)re having (?:issues|problems|trouble) with commenting\.?"
    r"|(?:please\s+)?click here\b.{0,100}"
    r"|(?:skip\s+)?advertisements?|sponsored(?:\s+content)?|paid\s+content|ad"
    r"|(?:story|article)\s+continues\s+below(?:\s+(?:this\s+)?advertisement)?"
    r"|continue\s+reading(?:\s+(?:below|the\s+main\s+story))?|scroll\s+to\s+continue.{0,40}"
    r"|(?:related|read\s+more|more|see\s+also|also\s+read|read\s+also|recommended|trending"
    r"|related\s+(?:articles?|stories|story|coverage|content|links|reading)|you\s+may\s+also\s+like"
    r"|most\s+(?:read|popular|viewed)|more\s+from\s+[\w ]{1,40}|(?:watch|video|listen)"
    r")\s*(?::.{0,150})?"
    r"|share\s+(?:this|the)\s+(?:article|story|post|page)\b.{0,60}"
    r"|share(?:\s+(?:on|via))?\s+(?:facebook|twitter|x|email|linkedin|whatsapp|reddit)"
    r"|share(?:\s+this)?:?|tweet|email|print|copy\s+link|comments?|view\s+comments"
    r"|\d+\s+comments?|leave\s+a\s+comment|join\s+the\s+(?:conversation|discussion)"
    r"|(?:sign\s+up|subscribe)\b.{0,80}\b(?:newsletters?|inbox)\b[^.]{0,60}\.?"
    r"|(?:sign\s+up|subscribe)\s+(?:for|to)\s+(?:our|free)\b[^.]{0,80}\.?"
    r"|subscribe(?:\s+(?:now|today|here))?[.!]?"
    r"|follow\s+(?:us|[\w.]+(?:\s+[\w.]+)?)\s+on\s+(?:twitter|x|facebook|instagram|tiktok"
    r"|threads|bluesky|linkedin)\b.{0,60}"
    r"|(?:copyright\s*(?:©|\(c\)|\d{4})|©|\(c\)\s*\d{4}).{0,120}|all\s+rights\s+reserved\.?"
    r"|(?:we|this\s+(?:site|website))\s+uses?\s+cookies\b.{0,300}|accept(?:\s+all)?\s+cookies"
    r"|cookie\s+(?:settings|policy|preferences)"
    r"|listen\s+to\s+(?:this\s+)?(?:article|story)\b.{0,40}|\d+\s+min(?:ute)?s?\s+read"
    r"|enable\s+javascript\b.{0,120}|loading(?:\.\.\.|…)?"
    # Sign-offs and furniture of wire and newspaper pages, each a line of its own.
    r"|follow\s+.{1,80}\bcoverage\b.{0,60}\b(?:at|on)\s+\S+"
    r"|(?:e-?mail|contact|reach)\s+[^@\s][^@]{0,60}\s+at\s+\S+@\S+"
    r"|listen\s+to\s+.{1,80}\blive\b.{0,60}"
    r"|sources?\s*:\s*[\w ,&/'’.-]{1,60}"
    r"|(?:our\s+standards|the\s+thomson\s+reuters\s+trust\s+principles)\b.{0,120}"
    rf"|(?:[\w.'’ -]{{0,60}}\s)?{_PROFILE}(?:\s*[,|·]?\s*{_PROFILE})*"
    r")\s*$"
)
# "Editor's note: this story was updated ..." is about the article, not part of it.
_EDITORS_NOTE = re.compile(r"(?i)^\s*editor(?:'|’)?s(?:'|’)?\s+note\s*:")
_MAX_NOTE = 500
_REPEAT_MIN_WORDS = 8
_MAX_REPEAT = 300
_REPEAT_BUDGET = 200_000_000
"""Characters the pull-quote search may scan in all (a fraction of a second)."""
_NOT_WORD = re.compile(r"[\W_]+")
_REPORTING = re.compile(r"\b(?:said|says|told|according\s+to|reported|announced)\b")
# Inline promos: "Watch: the moment the rocket lifted off" as a body line of its own.
_PROMO = re.compile(r"(?i)^\s*(?:watch|video|listen|photos|gallery)\s*:\s+\S.{0,110}$")


@dataclass(frozen=True)
class Verdict:
    """What cleanup decided: the title without its label, which paragraphs stay, what went."""

    title: str
    keep: tuple[bool, ...]
    removed: tuple[Removal, ...]


def _ends_sentence(line: str) -> bool:
    return _END_PUNCT.search(line) is not None


def is_credit(line: str) -> bool:
    """Whether the whole line is a photo credit."""
    line = line.strip()
    if len(line) > _MAX_CREDIT or _CREDIT_LINE.match(line) is None:
        return False
    # "Photos by local students won first prize." is a sentence; credits carry no full stop.
    return not (_END_PUNCT.search(line.rstrip(")")) and len(line.split()) > 4)


def _is_boilerplate(line: str) -> bool:
    line = line.strip()
    if len(line) > 400 or _REPORTING.search(line):
        return False  # "...newsletter sign-ups rose, the editor said." is news
    if _BOILERPLATE.match(line) is not None and (
        len(line) <= _MAX_BOILERPLATE or "cookie" in line.lower()
    ):
        return True
    return _PROMO.match(line) is not None and not _ends_sentence(line)


def _is_caption_with_credit(line: str) -> bool:
    return len(line) <= _MAX_CAPTION + _MAX_CREDIT and _CREDIT_TAIL.search(line) is not None


def _looks_like_caption(line: str) -> bool:
    """A line before a credit: captions lack end punctuation or describe someone pictured."""
    if len(line) > _MAX_CAPTION:
        return False
    return not _ends_sentence(line) or _PHOTO_VERB.search(line) is not None


def _opening_caption(line: str) -> bool:
    """A caption right under the headline: unpunctuated and describing a photo's scene."""
    return (
        len(line) <= 200
        and not _ends_sentence(line)
        and _PHOTO_VERB.search(line) is not None
        and _PLACE_OR_TIME.search(line) is not None
    )


def _repeats(texts: Sequence[str]) -> list[int]:
    """Short paragraphs whose words are also inside a longer one: a pull quote repeating a
    sentence of the body. The copy goes; the body keeps its words.

    One search of the whole text per short paragraph, and none at all past a budget, so a
    huge article costs no more than it did without this rule.
    """
    keys = [f" {_NOT_WORD.sub(' ', t.casefold()).strip()} " for t in texts]
    joined = "\n".join(keys)
    copies = Counter(keys)
    candidates = [
        i
        for i, key in enumerate(keys)
        if len(texts[i]) <= _MAX_REPEAT and len(key.split()) >= _REPEAT_MIN_WORDS
    ]
    if len(candidates) * len(joined) > _REPEAT_BUDGET:
        return []
    return [i for i in candidates if joined.count(keys[i]) > copies[keys[i]]]


def judge(title: str, paragraphs: Sequence[Paragraph]) -> Verdict:
    """Decide which paragraphs are credits, captions or boilerplate; strip a headline label."""
    removed: list[tuple[int, Removal]] = []
    label = _LABEL.match(title)
    if label is not None and title[label.end() :].strip():
        removed.append((-1, Removal(label.group(0).strip(), LABEL)))
        title = title[label.end() :].strip()
    texts = [p.text.strip() for p in paragraphs]
    reasons: list[str | None] = [None] * len(texts)
    for i, line in enumerate(texts):
        if is_credit(line):
            reasons[i] = PHOTO_CREDIT
        elif _is_caption_with_credit(line) or (len(line) <= 500 and _FILE_PHOTO.search(line)):
            reasons[i] = CAPTION
        elif _is_boilerplate(line) or (len(line) <= _MAX_NOTE and _EDITORS_NOTE.match(line)):
            reasons[i] = BOILERPLATE
    for i in _repeats(texts):
        reasons[i] = reasons[i] or REPEATED
    for i, line in enumerate(texts):
        if reasons[i] is not None:
            continue
        before_credit = i + 1 < len(texts) and reasons[i + 1] == PHOTO_CREDIT
        if (before_credit and _looks_like_caption(line)) or (i == 0 and _opening_caption(line)):
            reasons[i] = CAPTION
    for i, reason in enumerate(reasons):
        if reason is not None:
            removed.append((i, Removal(texts[i], reason)))
    removed.sort(key=lambda pair: pair[0])
    return Verdict(
        title=title,
        keep=tuple(reason is None for reason in reasons),
        removed=tuple(r for _, r in removed),
    )


def clean_article(article: Article) -> Article:
    """Apply cleanup to a whole article, adding to what it already reports as removed."""
    verdict = judge(article.title, article.paragraphs)
    kept = tuple(p for p, keep in zip(article.paragraphs, verdict.keep, strict=True) if keep)
    return replace(
        article,
        title=verdict.title,
        paragraphs=kept,
        removed=article.removed + verdict.removed,
    )


_BYLINE = re.compile(
    r"^(?:By|BY|by)\s+(?P<names>[A-Z][\w'’.-]*(?:[\s,]+(?:and\s+|&\s+)?[A-Z][\w'’.-]*){0,8})"
    r"(?:\s*[,|·—–-]\s*[^.!?]{0,60})?$"
)


def extract_byline(article: Article) -> Article:
    """Move a "By Jane Doe" line near the top into Article.byline (metadata, not body text)."""
    for i, paragraph in enumerate(article.paragraphs[:2]):
        text = paragraph.text.strip()
        if len(text) <= 120 and (match := _BYLINE.match(text)) is not None:
            rest = article.paragraphs[:i] + article.paragraphs[i + 1 :]
            return replace(article, paragraphs=rest, byline=article.byline or match.group(0)[3:])
    return article
